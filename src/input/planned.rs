//! A file read while another program may still be writing it: the reader
//! knows the size the file had when the run planned it, and meeting the
//! end before that size, or reading past it, is an error (`Changed`)
//! rather than a silently shorter or longer input. Reading with ordinary
//! reads, unlike mapping the file, cannot fault when the file shrinks.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// A file read from a known offset that must keep the size it had when
/// the run planned it: reading past that size, or meeting the end before
/// it, means another program is writing the file.
pub(super) struct Planned {
    file: File,
    path: PathBuf,
    pos: u64,
    size: u64,
}

/// A file that changed while it was read.
#[derive(Debug)]
pub(super) struct Changed {
    path: PathBuf,
    size: u64,
    longer: bool,
}

impl Planned {
    /// `file`, positioned at `pos`, planned at `size` bytes.
    pub(super) fn new(file: File, path: &Path, pos: u64, size: u64) -> Planned {
        Planned {
            file,
            path: path.to_path_buf(),
            pos,
            size,
        }
    }
}

/// An error (`Changed`) when `path` no longer has the `size` the run
/// planned it at: for a reader of the whole file that cannot stop at the
/// planned size, asked before and after it reads.
pub(super) fn unchanged(path: &Path, size: u64) -> anyhow::Result<()> {
    let now = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?
        .len();
    if now == size {
        return Ok(());
    }
    Err(Changed {
        path: path.to_path_buf(),
        size,
        longer: now > size,
    }
    .into())
}

impl std::fmt::Display for Changed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} changed while it was read: it had {} bytes when the run started, \
             and is now {}; audit exports as they stand, not while a program writes them",
            self.path.display(),
            self.size,
            if self.longer { "longer" } else { "shorter" }
        )
    }
}

impl std::error::Error for Changed {}

impl Read for Planned {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.file.read(buf)?;
        self.pos += n as u64;
        if (n == 0 && self.pos < self.size) || self.pos > self.size {
            return Err(io::Error::other(Changed {
                path: self.path.clone(),
                size: self.size,
                longer: n > 0,
            }));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(size: u64) -> Result<Vec<u8>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, b"0123456789").unwrap();
        let mut planned = Planned::new(File::open(&path).unwrap(), &path, 0, size);
        let mut out = Vec::new();
        let mut buf = [0u8; 3];
        loop {
            match planned.read(&mut buf) {
                Ok(0) => return Ok(out),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    #[test]
    fn a_file_of_its_planned_size_reads_whole_and_any_other_is_an_error() {
        assert_eq!(read_all(10).unwrap(), b"0123456789");
        assert!(read_all(12).unwrap_err().contains("is now shorter"));
        assert!(read_all(8).unwrap_err().contains("is now longer"));
    }
}

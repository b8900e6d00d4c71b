//! Cutting a large CSV file into stretches that readers on several cores
//! take at once.
//!
//! A stretch starts at the start of a line found near a fixed size step, so
//! the cut depends on the file alone, never on the number of cores: the
//! records, and so the report, are the same on any machine. A line start
//! found this way may lie inside a quoted field that holds a line break;
//! the reader of the stretch before then finds its last record still open
//! at the cut, reads on, and the stretch it ran into is discarded
//! (`Rows::absorbed`). So a wrong guess costs time, never a wrong record.

use anyhow::Context;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The size step between cuts: large enough that each stretch's fixed
/// costs (opening the file, its own small tables) do not show, small
/// enough to keep both cores busy to the end and the memory of stretches
/// read ahead of their merge low.
pub const STRETCH_BYTES: u64 = 8 * 1024 * 1024;

/// Where the stretches after the first start: for each multiple of `step`
/// past `from` and before `size`, the start of the first line at or after
/// it, in increasing order without repeats.
pub fn line_starts<R: Read + Seek>(
    input: &mut R,
    from: u64,
    size: u64,
    step: u64,
) -> std::io::Result<Vec<u64>> {
    let mut starts: Vec<u64> = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut at = from + step.max(1);
    while at < size {
        let Some(start) = next_line_start(input, &mut buffer, at)? else {
            break;
        };
        if start >= size {
            break;
        }
        starts.push(start);
        at = (start + step).max(at + step);
    }
    Ok(starts)
}

/// The same for a file.
pub fn file_line_starts(path: &Path, from: u64, step: u64) -> anyhow::Result<Vec<u64>> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata()?.len();
    line_starts(&mut file, from, size, step)
        .with_context(|| format!("cannot read {}", path.display()))
}

/// The offset just after the first line feed at or after `at`.
fn next_line_start<R: Read + Seek>(
    input: &mut R,
    buffer: &mut [u8],
    at: u64,
) -> std::io::Result<Option<u64>> {
    input.seek(SeekFrom::Start(at))?;
    let mut offset = at;
    loop {
        let n = input.read(buffer)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some(i) = buffer[..n].iter().position(|&b| b == b'\n') {
            return Ok(Some(offset + i as u64 + 1));
        }
        offset += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn starts(text: &str, from: u64, step: u64) -> Vec<u64> {
        let size = text.len() as u64;
        line_starts(&mut Cursor::new(text.as_bytes()), from, size, step).unwrap()
    }

    #[test]
    fn cuts_fall_on_line_starts_past_each_step() {
        // Lines start at 0, 4, 8, 20, 22.
        let text = "ab;\ncd;\nlong line  \nx\ny\n";
        assert_eq!(starts(text, 0, 5), vec![8, 20]);
        assert_eq!(starts(text, 0, 1), vec![4, 8, 20, 22]);
        assert_eq!(starts(text, 0, 100), Vec::<u64>::new());
        // The step counts from where the data starts (after a BOM).
        assert_eq!(starts(text, 3, 5), vec![20]);
    }

    #[test]
    fn a_file_without_line_feeds_is_one_stretch() {
        assert!(starts("a,b\r1,2\r3,4\r", 0, 2).is_empty());
    }

    #[test]
    fn files_are_cut_like_texts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "ab;\ncd;\nlong line  \nx\ny\n").unwrap();
        assert_eq!(file_line_starts(&path, 0, 5).unwrap(), vec![8, 20]);
    }
}

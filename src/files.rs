//! What may be opened at all: inputs and rule files must be regular files
//! (a named pipe blocks a reader for ever, a device such as `/dev/zero`
//! never ends), and the sizes past which a file is refused rather than
//! read. The limits are far above any real export or rule file, and each
//! is named in the README.

use anyhow::bail;
use std::io::Read;
use std::path::Path;

/// The largest rule file read.
pub const MAX_RULE_FILE_BYTES: u64 = 1024 * 1024;

/// The longest CSV line (a record, with its quoted line breaks) read;
/// while the header is searched for, the longest line of the first rows.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;
pub const MAX_HEADER_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// The most cells a sheet may span (its rows times its columns, from its
/// first cell to its last), and the most bytes one part of a workbook
/// (a sheet, its shared strings) may unpack to, as its zip declares.
pub const MAX_SHEET_CELLS: u64 = 32_000_000;
pub const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;

/// The largest HTML table export, read whole.
pub const MAX_HTML_BYTES: u64 = 256 * 1024 * 1024;

/// The largest earlier JSON report `--baseline` reads.
pub const MAX_BASELINE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// `path` (links followed) is a regular file: its size; otherwise why not,
/// without opening it.
pub fn regular_file(path: &Path, shown: &str) -> anyhow::Result<u64> {
    let meta = std::fs::metadata(path).map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
    if !meta.is_file() {
        bail!("{shown}: not a regular file (a folder, a pipe, a device or a socket); give an export or rule file saved on disk");
    }
    Ok(meta.len())
}

/// The text of a regular file of at most `max` bytes; the error says why
/// not, `shown` naming the file.
pub fn read_text(path: &Path, shown: &str, max: u64) -> anyhow::Result<String> {
    let size = regular_file(path, shown)?;
    if size > max {
        bail!("{shown}: larger than {} ({size} bytes)", size_name(max));
    }
    let file =
        std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
    let mut text = String::new();
    // Read no more than the limit even if the file grew since.
    file.take(max + 1)
        .read_to_string(&mut text)
        .map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
    if text.len() as u64 > max {
        bail!("{shown}: larger than {}", size_name(max));
    }
    Ok(text)
}

/// A size as the README names limits: `1 MiB`.
pub fn size_name(bytes: u64) -> String {
    if bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_not_regular_files_and_sizes_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let e = regular_file(dir.path(), "d").unwrap_err().to_string();
        assert!(e.starts_with("d: not a regular file"), "{e}");
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "x = 1\n").unwrap();
        assert_eq!(read_text(&path, "a.toml", 6).unwrap(), "x = 1\n");
        let e = read_text(&path, "a.toml", 5).unwrap_err().to_string();
        assert_eq!(e, "a.toml: larger than 5 bytes (6 bytes)");
        assert_eq!(size_name(MAX_RULE_FILE_BYTES), "1 MiB");
    }
}

//! The report files sent with the digest (`--attach`): each read whole,
//! before anything is sent, so a missing or unreadable file stops the run
//! before a message leaves half-told.

use anyhow::{bail, Context};
use std::path::Path;

/// The largest file attached: Telegram's bots may send documents of up to
/// 50 MB, and a mail server seldom takes more.
pub const MAX_BYTES: u64 = 50 * 1000 * 1000;

/// A file to send.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The file's name, without its folder, as the reader sees it.
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Attachment {
    /// Reads `path`: a regular file of at most [`MAX_BYTES`].
    pub fn read(path: &Path) -> anyhow::Result<Attachment> {
        let shown = path.display();
        let meta = std::fs::metadata(path)
            .with_context(|| format!("--attach {shown}: cannot read the file"))?;
        if !meta.is_file() {
            bail!("--attach {shown}: not a regular file");
        }
        if meta.len() > MAX_BYTES {
            bail!(
                "--attach {shown}: {} bytes, more than the {MAX_BYTES} a Telegram bot may send",
                meta.len()
            );
        }
        let bytes = std::fs::read(path)
            .with_context(|| format!("--attach {shown}: cannot read the file"))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".to_string());
        Ok(Attachment {
            content_type: content_type(&name),
            name,
            bytes,
        })
    }
}

/// The media type of a report file, by its extension.
fn content_type(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "jsonl" => "application/x-ndjson",
        "md" => "text/markdown; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_or_a_missing_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = Attachment::read(dir.path()).unwrap_err().to_string();
        assert!(e.ends_with("not a regular file"), "{e}");
        let missing = dir.path().join("audit.xlsx");
        let e = format!("{:#}", Attachment::read(&missing).unwrap_err());
        assert!(e.contains("audit.xlsx: cannot read the file"), "{e}");
    }

    #[test]
    fn a_report_is_typed_by_its_extension() {
        assert_eq!(content_type("audit.HTML"), "text/html; charset=utf-8");
        assert!(content_type("audit.xlsx").contains("spreadsheetml"));
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}

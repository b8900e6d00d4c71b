//! The `manifest.json` that `crm-audit pull` leaves in a snapshot folder:
//! read for every folder audited, so the report can say where tonight's
//! data came from (the system, its address, when, which version pulled
//! it), and so a snapshot whose pull did not finish is refused rather than
//! audited as if it were whole. It is no export: the folder's reading
//! never looks at `.json` files. A `manifest.json` of another program (not
//! the fields `pull` writes) is passed over like any other JSON file: one
//! stray file does not stop the night.

use crate::model::Snapshot;
use anyhow::bail;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "manifest.json";

/// A manifest is a few hundred bytes; anything near this is no manifest.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// The fields the report shows; others (counts per entity, the period)
/// are for people reading the file.
#[derive(Debug, Deserialize)]
struct Raw {
    source: String,
    base_url: String,
    pulled_at: String,
    tool_version: String,
    complete: Option<bool>,
}

/// The manifests of the folders among `paths`, in their order; a folder
/// without one gives none.
pub fn snapshots(paths: &[PathBuf]) -> anyhow::Result<Vec<Snapshot>> {
    let mut found = Vec::new();
    for folder in paths.iter().filter(|p| p.is_dir()) {
        let file = folder.join(MANIFEST);
        if file.exists() {
            found.extend(read(folder, &file)?);
        }
    }
    Ok(found)
}

/// `None` for a `manifest.json` that is not `pull`'s.
fn read(folder: &Path, file: &Path) -> anyhow::Result<Option<Snapshot>> {
    let shown = file.display().to_string();
    if std::fs::metadata(file).map_or(true, |m| m.len() > MAX_MANIFEST_BYTES) {
        return Ok(None);
    }
    let text = crate::files::read_text(file, &shown, MAX_MANIFEST_BYTES)?;
    let Ok(raw) = serde_json::from_str::<Raw>(&text) else {
        return Ok(None);
    };
    if raw.complete != Some(true) {
        bail!(
            "{shown}: the pull that wrote this snapshot did not finish (`complete` is not true); \
             its files may hold part of the data, so it is not audited: run the pull again"
        );
    }
    Ok(Some(Snapshot {
        folder: folder.display().to_string(),
        source: raw.source,
        base_url: raw.base_url,
        pulled_at: raw.pulled_at,
        tool_version: raw.tool_version,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHOLE: &str = r#"{"source": "amocrm", "base_url": "https://example.amocrm.ru",
        "pulled_at": "2026-11-27T01:30:00Z", "tool_version": "0.1.0",
        "period": {"days": "45"}, "entities": {}, "complete": true}"#;

    #[test]
    fn a_complete_manifest_is_read_and_a_folder_without_one_gives_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(snapshots(&[dir.path().to_path_buf()]).unwrap().is_empty());
        std::fs::write(dir.path().join(MANIFEST), WHOLE).unwrap();
        let found = snapshots(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].source.as_str(), found[0].pulled_at.as_str()),
            ("amocrm", "2026-11-27T01:30:00Z")
        );
    }

    #[test]
    fn an_unfinished_manifest_is_refused_and_a_foreign_one_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(MANIFEST);
        std::fs::write(&file, WHOLE.replace("true", "false")).unwrap();
        let e = snapshots(&[dir.path().to_path_buf()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("did not finish"), "{e}");
        // Another program's manifest.json (a package's, say) is no
        // snapshot's: it stops nothing.
        std::fs::write(&file, r#"{"name": "my-package"}"#).unwrap();
        assert!(snapshots(&[dir.path().to_path_buf()]).unwrap().is_empty());
    }
}

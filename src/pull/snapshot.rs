//! The snapshot folder a pull writes, all or nothing.
//!
//! Files go into a hidden sibling of `--out` (`.NAME.partial-PID`); only
//! once every file and the manifest are written and synced is it renamed
//! into place. Replacing an existing snapshot takes two renames in the same
//! parent folder: the old one aside to `.NAME.old-PID`, the new one in;
//! then the old one is removed. A failed pull removes its partial folder
//! and leaves the old snapshot untouched. A process killed between the two
//! renames leaves `NAME` missing (an audit of it then fails loudly, never
//! reads half a snapshot) and the previous snapshot whole in
//! `.NAME.old-PID`, to be renamed back by hand or replaced by the next
//! pull. A process killed before that leaves only a `.NAME.partial-PID`
//! folder, which is safe to delete.
//!
//! An existing `--out` is replaced only if it is a snapshot (it holds a
//! `manifest.json`) or empty: a pull never deletes a folder of other files.

use super::manifest::Manifest;
use anyhow::{bail, Context};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "manifest.json";

/// A snapshot being written; dropped without [`SnapshotWriter::commit`],
/// it removes its partial folder.
#[derive(Debug)]
pub struct SnapshotWriter {
    out: PathBuf,
    partial: PathBuf,
    committed: bool,
}

impl SnapshotWriter {
    /// Starts a snapshot that will become `out`. Checks first that `out`,
    /// if it exists, may be replaced.
    pub fn create(out: &Path) -> anyhow::Result<SnapshotWriter> {
        let name = out
            .file_name()
            .with_context(|| format!("--out {}: not a folder name", out.display()))?
            .to_string_lossy()
            .into_owned();
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            bail!(
                "--out {}: the folder {} does not exist",
                out.display(),
                parent.display()
            );
        }
        check_replaceable(out)?;
        let partial = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if partial.exists() {
            std::fs::remove_dir_all(&partial)
                .with_context(|| format!("{}: cannot remove", partial.display()))?;
        }
        std::fs::create_dir(&partial)
            .with_context(|| format!("{}: cannot create the folder", partial.display()))?;
        Ok(SnapshotWriter {
            out: out.to_path_buf(),
            partial,
            committed: false,
        })
    }

    /// Writes one file of the snapshot, synced to disk.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.partial.join(name);
        let mut file =
            File::create(&path).with_context(|| format!("{}: cannot create", path.display()))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("{}: cannot write", path.display()))
    }

    /// Writes the manifest (marked complete) and puts the snapshot in
    /// place of `out`.
    pub fn commit(mut self, mut manifest: Manifest) -> anyhow::Result<()> {
        manifest.complete = true;
        let mut json = serde_json::to_vec_pretty(&manifest)?;
        json.push(b'\n');
        self.write_file(MANIFEST, &json)?;
        sync_dir(&self.partial)?;
        let parent = self
            .partial
            .parent()
            .unwrap_or(Path::new("."))
            .to_path_buf();
        if self.out.exists() {
            // Checked again: another process may have filled it meanwhile.
            check_replaceable(&self.out)?;
            let name = self.out.file_name().unwrap_or_default().to_string_lossy();
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            std::fs::rename(&self.out, &old).with_context(|| {
                format!("{}: cannot move the old snapshot aside", self.out.display())
            })?;
            if let Err(e) = std::fs::rename(&self.partial, &self.out) {
                // Put the old one back; the new one is dropped.
                let _ = std::fs::rename(&old, &self.out);
                return Err(e).with_context(|| {
                    format!(
                        "{}: cannot put the new snapshot in place",
                        self.out.display()
                    )
                });
            }
            self.committed = true;
            sync_dir(&parent)?;
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("{}: cannot remove the old snapshot", old.display()))?;
        } else {
            std::fs::rename(&self.partial, &self.out)
                .with_context(|| format!("{}: cannot create the snapshot", self.out.display()))?;
            self.committed = true;
            sync_dir(&parent)?;
        }
        Ok(())
    }
}

impl Drop for SnapshotWriter {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.partial);
        }
    }
}

/// `out` may be replaced: it does not exist, or it is a folder that is
/// empty or holds a `manifest.json`.
fn check_replaceable(out: &Path) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("--out {}: exists and is not a folder", out.display());
    }
    let empty = std::fs::read_dir(out)
        .with_context(|| format!("--out {}: cannot read the folder", out.display()))?
        .next()
        .is_none();
    if !empty && !out.join(MANIFEST).is_file() {
        bail!(
            "--out {}: the folder holds other files and no {MANIFEST}, so it is no snapshot \
             a pull may replace; give a new or empty folder",
            out.display()
        );
    }
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("{}: cannot sync the folder", dir.display()))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::new("sipuni", "https://sipuni.com/api")
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_snapshot_appears_whole_and_replaces_the_old_one() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("tonight");
        let first = SnapshotWriter::create(&out).unwrap();
        first.write_file("calls.csv", b"one").unwrap();
        assert!(!out.exists(), "nothing in place before the commit");
        first.commit(manifest()).unwrap();
        assert_eq!(listing(&out), ["calls.csv", "manifest.json"]);

        let second = SnapshotWriter::create(&out).unwrap();
        second.write_file("calls.csv", b"two").unwrap();
        second.commit(manifest()).unwrap();
        assert_eq!(std::fs::read(out.join("calls.csv")).unwrap(), b"two");
        // No partial or old folder is left beside it.
        assert_eq!(listing(root.path()), ["tonight"]);
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(MANIFEST)).unwrap()).unwrap();
        assert_eq!(json["complete"], true);
    }

    #[test]
    fn an_abandoned_snapshot_leaves_the_old_one_and_no_trace() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("tonight");
        let first = SnapshotWriter::create(&out).unwrap();
        first.write_file("calls.csv", b"one").unwrap();
        first.commit(manifest()).unwrap();
        let before = std::fs::read(out.join(MANIFEST)).unwrap();

        let failed = SnapshotWriter::create(&out).unwrap();
        failed.write_file("calls.csv", b"half").unwrap();
        drop(failed);
        assert_eq!(std::fs::read(out.join("calls.csv")).unwrap(), b"one");
        assert_eq!(std::fs::read(out.join(MANIFEST)).unwrap(), before);
        assert_eq!(listing(root.path()), ["tonight"]);
    }

    #[test]
    fn a_folder_of_other_files_is_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("deals.csv"), "keep me").unwrap();
        let e = SnapshotWriter::create(root.path()).unwrap_err().to_string();
        assert!(e.contains("no manifest.json"), "{e}");
        assert!(root.path().join("deals.csv").exists());
    }
}

//! Writing report files: never over an input, and through a temporary
//! file in the same folder, renamed into place only when complete.

use super::stale::{clear_stale_temporaries, temporary_prefix, TEMPORARY_SUFFIX};
use anyhow::{anyhow, Context};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Refuses an `--output` that is one of the inputs (an export or the rule
/// file), however it is named: `./deals.csv`, a symbolic link, a hard
/// link. Checked before anything is read, so the export is never lost.
pub fn refuse_input_as_output(output: &Path, inputs: &[(PathBuf, String)]) -> anyhow::Result<()> {
    let Ok(target) = std::fs::metadata(output) else {
        // Nothing there yet: no input can be overwritten.
        return Ok(());
    };
    let canonical = std::fs::canonicalize(output).ok();
    for (path, shown) in inputs {
        let Ok(input) = std::fs::metadata(path) else {
            continue;
        };
        let same_path = canonical.is_some() && std::fs::canonicalize(path).ok() == canonical;
        if same_path || same_file(&target, &input) {
            anyhow::bail!(
                "--output {}: that is the input {shown}, which the report would overwrite; \
                 write the report to another file",
                output.display()
            );
        }
    }
    Ok(())
}

/// The same file on disk: its device and inode.
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> bool {
    false
}

/// Writes `path` through a temporary file in the same folder, renamed into
/// place only when complete: a killed run never leaves half a report. The
/// temporaries a killed run left behind for this report are removed first
/// (`stale`).
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    // A device or a pipe (`/dev/null`, a FIFO) is written into, never
    // replaced: renaming a file over `/dev/null` would leave a regular file
    // in its place, which every program on the machine then reads.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut buffered = std::io::BufWriter::new(&mut file);
        write(&mut buffered)?;
        buffered.flush()?;
        return Ok(());
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = temporary_prefix(path);
    clear_stale_temporaries(folder, &prefix);
    let mut temp = tempfile::Builder::new()
        .prefix(&format!("{prefix}{}-", std::process::id()))
        .suffix(TEMPORARY_SUFFIX)
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in folder {}", folder.display()))?;
    {
        let mut buffered = std::io::BufWriter::new(temp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    set_report_permissions(temp.path(), path)?;
    temp.persist(path)
        .map_err(|e| anyhow!(e.error))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A temporary file is private; the report it becomes keeps the mode of
/// the file it replaces, or gets the usual `rw-r--r--`.
#[cfg(unix)]
fn set_report_permissions(temp: &Path, target: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match std::fs::metadata(target) {
        Ok(old) => old.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o644),
    };
    std::fs::set_permissions(temp, permissions)
        .with_context(|| format!("cannot set the permissions of {}", temp.display()))
}

#[cfg(not(unix))]
fn set_report_permissions(_temp: &Path, _target: &Path) -> anyhow::Result<()> {
    Ok(())
}

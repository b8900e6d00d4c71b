//! The temporary files a report is written through, and the removal of
//! those a killed run left behind. A temporary is named after its report
//! and the process writing it, `.REPORT.crm-audit-PID-RANDOM.tmp`, so a
//! later run can tell its own kind from anything else in the folder: it
//! removes only files of that pattern for the same report whose process
//! is gone, or which are older than an hour, and leaves everything else.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// Every temporary of a report ends so.
pub const TEMPORARY_SUFFIX: &str = ".tmp";

/// A temporary older than this is stale whatever its process: no report
/// takes an hour to write, and a process ID may have been reused.
const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// How much of the report's name a temporary's name repeats, so that it
/// stays within a file system's 255 bytes.
const NAME_KEPT: usize = 100;

/// `.REPORT.crm-audit-`: what the temporaries of `report` start with,
/// before the process ID.
pub fn temporary_prefix(report: &Path) -> String {
    let name = report
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cut = name
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take_while(|&end| end <= NAME_KEPT)
        .last()
        .unwrap_or(0);
    format!(".{}.crm-audit-", &name[..cut])
}

/// Removes the stale temporaries of the report whose temporaries start
/// with `prefix` in `folder`. Best effort: a file that cannot be listed or
/// removed is left, and the run goes on.
pub fn clear_stale_temporaries(folder: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| owner_of(n, prefix)) else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_file() || pid == std::process::id() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old || process_is_gone(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process ID in a temporary's name, when `name` is one of the
/// report's temporaries: `{prefix}{PID}-{RANDOM}.tmp`.
fn owner_of(name: &str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?.strip_suffix(TEMPORARY_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    let alphanumeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    (alphanumeric(random) && pid.chars().all(|c| c.is_ascii_digit()))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether no process has this ID. Known only where `/proc` shows the
/// processes; elsewhere a temporary is stale only by its age.
fn process_is_gone(pid: u32) -> bool {
    Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_are_named_after_their_report() {
        assert_eq!(
            temporary_prefix(Path::new("out/audit.xlsx")),
            ".audit.xlsx.crm-audit-"
        );
        let long = "я".repeat(80);
        let prefix = temporary_prefix(Path::new(&long));
        assert_eq!(prefix, format!(".{}.crm-audit-", "я".repeat(50)));
    }

    #[test]
    fn only_the_reports_own_temporaries_are_its_own() {
        let prefix = ".audit.xlsx.crm-audit-";
        assert_eq!(
            owner_of(".audit.xlsx.crm-audit-4242-Ab3xYz.tmp", prefix),
            Some(4242)
        );
        for other in [
            ".audit.xlsx.crm-audit-4242-Ab3xYz",
            ".audit.xlsx.crm-audit-x42-Ab3xYz.tmp",
            ".audit.xlsx.crm-audit-4242-.tmp",
            ".audit.xlsx.crm-audit-4242-a/b.tmp",
            ".other.xlsx.crm-audit-4242-Ab3xYz.tmp",
            "audit.xlsx",
            ".crm-audit-Ab3xYz",
        ] {
            assert_eq!(owner_of(other, prefix), None, "{other}");
        }
    }
}

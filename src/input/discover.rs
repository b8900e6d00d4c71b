//! Which files to read: the paths given, with each folder standing for the
//! CSV, XLSX, XLS and ODS files directly inside it, in name order so every
//! run reads them in the same order.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};

/// The file format by extension: `csv`, `xlsx`, `xls` or `ods`.
pub fn format_of(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => Some("csv"),
        "xlsx" | "xlsm" => Some("xlsx"),
        "xls" => Some("xls"),
        "ods" => Some("ods"),
        "html" | "htm" => Some("html"),
        _ => None,
    }
}

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// The name shown in reports and messages.
    pub shown: String,
    /// Found in a folder rather than named on the command line: a folder
    /// may hold strays (a contacts export of another layout, last night's
    /// report), which are skipped and listed rather than ending the run.
    pub in_folder: bool,
}

/// Expands folders; returns each file with the name shown in reports.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<Found>> {
    let mut files: Vec<Found> = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .with_context(|| format!("{}: no such file or folder", path.display()))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list folder {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file() && format_of(p).is_some_and(|f| f != "csv" || has_ext(p, "csv"))
                })
                .filter(|p| !is_hidden_or_lock(p))
                .collect();
            found.sort();
            if found.is_empty() {
                bail!(
                    "{}: the folder holds no .csv, .xlsx, .xls or .ods files",
                    path.display()
                );
            }
            files.extend(found.into_iter().map(|p| Found {
                shown: p.display().to_string(),
                path: p,
                in_folder: true,
            }));
        } else {
            // A pipe or a device would block or never end: refused unopened.
            crate::files::regular_file(path, &path.display().to_string())?;
            files.push(Found {
                path: path.clone(),
                shown: path.display().to_string(),
                in_folder: false,
            });
        }
    }
    // The same file named twice (directly and through its folder) is read
    // once; named on the command line, it is not a stray.
    let key = |f: &Found| std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
    let named: std::collections::HashSet<PathBuf> =
        files.iter().filter(|f| !f.in_folder).map(key).collect();
    for f in &mut files {
        f.in_folder &= !named.contains(&key(f));
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(key(f)));
    Ok(files)
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Dot-files and the `~$name.xlsx` lock files Excel leaves beside open workbooks.
fn is_hidden_or_lock(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_of(Path::new("a/deals.XLSX")), Some("xlsx"));
        assert_eq!(format_of(Path::new("calls.csv")), Some("csv"));
        assert_eq!(format_of(Path::new("tasks.xls")), Some("xls"));
        assert_eq!(format_of(Path::new("notes.docx")), None);
        assert_eq!(format_of(Path::new("README")), None);
    }

    #[test]
    fn lock_files_are_not_inputs() {
        assert!(is_hidden_or_lock(Path::new("x/~$deals.xlsx")));
        assert!(is_hidden_or_lock(Path::new(".deals.csv")));
        assert!(!is_hidden_or_lock(Path::new("deals.csv")));
    }
}

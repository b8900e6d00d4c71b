//! `--output` takes its format from the file's extension: a name whose
//! extension names no report format (`.xls`, which is no workbook crm-audit
//! writes, `.pdf`, or none) is refused before anything is read, with the
//! list of extensions, and nothing is written; `--format` says it instead.

use crate::support::*;

fn example() -> String {
    format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn an_output_name_that_names_no_format_is_refused_and_nothing_is_written() {
    let example = example();
    for name in ["tonight.xls", "tonight.pdf", "tonight"] {
        let dir = tempfile::tempdir().unwrap();
        let stderr = error_of(dir.path(), &[&example, "--as-of", AS_OF, "-o", name]);
        assert_eq!(
            stderr,
            format!(
                "crm-audit: error: --output {name}: its extension names no report format; \
                 the extensions are .xlsx (xlsx), .html (html), .htm (html), .md (markdown), \
                 .markdown (markdown), .csv (csv), .jsonl (jsonl), .ndjson (jsonl), \
                 .json (json), .xml (junit), .txt (table); or give --format\n"
            )
        );
        // Not the text table under a workbook's name, nor a temporary file.
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "{name}: {left:?}");
    }
}

#[test]
fn with_a_format_any_name_will_do() {
    // `-f xlsx -o tonight.xls`: the person said which format; the example
    // has violations (exit 1) and the file is a workbook (a ZIP: `PK`).
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = audit_in(
        dir.path(),
        &[
            &example(),
            "--as-of",
            AS_OF,
            "-f",
            "xlsx",
            "-o",
            "tonight.xls",
        ],
    );
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (1, "", ""));
    let written = std::fs::read(dir.path().join("tonight.xls")).unwrap();
    assert!(written.starts_with(b"PK"), "a workbook");
}

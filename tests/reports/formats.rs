//! Choosing the format (the flag, else the output file's extension), the
//! table's `--summary`, atomic output files, and byte-identical output on
//! every run.

use crate::support::{audit, example, example_json, out_dir, AS_OF, EXAMPLE};
use serde_json::Value;

/// Runs the example company into `dir/name`; returns the file's bytes.
fn to_file(dir: &std::path::Path, name: &str, extra: &[&str]) -> Vec<u8> {
    let path = dir.join(name);
    let mut args = vec![
        EXAMPLE,
        "--as-of",
        AS_OF,
        "--output",
        path.to_str().unwrap(),
    ];
    args.extend(extra);
    let run = audit(&args);
    assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{args:?} wrote to stdout");
    std::fs::read(path).unwrap()
}

#[test]
fn the_output_extension_names_the_format() {
    let dir = out_dir();
    let text = |name: &str| String::from_utf8(to_file(dir.path(), name, &[])).unwrap();
    assert!(text("r.html").starts_with("<!DOCTYPE html>"));
    assert!(text("r.htm").starts_with("<!DOCTYPE html>"));
    assert!(text("r.md").starts_with("# CRM audit, 27.11.2026 02:00"));
    assert!(text("r.csv").starts_with("as_of,manager,code,rule,"));
    let jsonl = text("r.jsonl");
    let first: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["rule"], "overdue-task");
    let violations = example_json()["violations"].as_array().unwrap().len();
    assert_eq!(jsonl.lines().count(), violations);
    let junit = text("r.xml");
    assert!(junit.starts_with("<?xml") && junit.contains("<testsuites name=\"crm-audit\""));
    let json: Value = serde_json::from_str(&text("r.json")).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert!(text("r.txt").starts_with("crm-audit "));
    assert!(to_file(dir.path(), "r.xlsx", &[]).starts_with(b"PK"));
}

#[test]
fn an_explicit_format_wins_over_the_extension() {
    let dir = out_dir();
    let bytes = to_file(dir.path(), "report.html", &["--format", "json"]);
    let json: Value = serde_json::from_slice(&bytes).expect("JSON despite .html");
    assert_eq!(json["totals"], example_json()["totals"]);
}

#[test]
fn summary_is_the_matrix_alone() {
    // With what was not checked above it: the example's one deal at an
    // unknown stage, whose required fields no rule judged.
    let text = example("table", &["--summary"]).text();
    assert!(
        text.starts_with(
            "NOT CHECKED (the inputs lack the data):\n  ! stage-missing-data: 1 deal(s) at a \
             stage the rule set does not know are not judged\n\n┌"
        ),
        "{text}"
    );
    assert!(text.contains("Петров Алексей") && text.contains("compliance"));
    assert!(!text.contains("Inputs:") && !text.contains("Total: "));
}

#[test]
fn summary_with_another_format_is_a_usage_error() {
    let run = audit(&[EXAMPLE, "--as-of", AS_OF, "--format", "json", "--summary"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.stderr,
        "crm-audit: error: --summary applies to the table format only, not --format json\n"
    );
}

#[test]
fn no_colour_when_stdout_is_not_a_terminal() {
    let text = example("table", &[]).text();
    assert!(!text.contains('\x1b'), "no escape codes in a pipe");
}

#[test]
fn output_replaces_the_old_report_and_leaves_no_temporary_file() {
    let dir = out_dir();
    let path = dir.path().join("tonight.xlsx");
    std::fs::write(&path, b"yesterday").unwrap();
    let bytes = to_file(dir.path(), "tonight.xlsx", &[]);
    assert!(bytes.starts_with(b"PK"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["tonight.xlsx"]);
}

#[cfg(unix)]
#[test]
fn a_new_report_is_readable_by_others_and_a_replaced_one_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = out_dir();
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    to_file(dir.path(), "new.html", &[]);
    assert_eq!(mode("new.html"), 0o644);
    let kept = dir.path().join("kept.html");
    std::fs::write(&kept, "old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    to_file(dir.path(), "kept.html", &[]);
    assert_eq!(mode("kept.html"), 0o640);
}

#[test]
fn every_format_gives_the_same_bytes_twice() {
    for format in [
        "table", "json", "jsonl", "csv", "markdown", "html", "junit", "xlsx",
    ] {
        let dir = out_dir();
        let a = to_file(dir.path(), "a.out", &["--format", format]);
        let b = to_file(dir.path(), "b.out", &["--format", format]);
        assert!(a == b, "{format}: two runs differ");
    }
}

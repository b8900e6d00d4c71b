//! `--summary` prints the not-checked block and the manager × rule matrix
//! of the full table report, nothing of its own: on a night with history
//! too, where the matrix's total row counts the new and open violations.

use crate::support::{audit_in, AS_OF};
use std::path::Path;

fn example(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/amocrm")
        .join(file)
}

#[test]
fn the_summary_is_the_full_reports_matrix_on_a_second_night() {
    // Night 1 records the example; by night 2 T-1019 is completed, so the
    // matrix counts new, open and fixed violations from the history. The
    // summary's every line must be the full report's, the total row
    // included (it once read 0 new and 0 open under --summary alone).
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    for file in ["call_reviews.csv", "calls.csv", "deals.xlsx", "tasks.csv"] {
        std::fs::copy(example(file), exports.join(file)).unwrap();
    }
    let night = |at: &str, history: &str, summary: bool| {
        let mut args = vec![
            "exports",
            "--as-of",
            at,
            "--history",
            history,
            "--fail-on",
            "never",
        ];
        if summary {
            args.push("--summary");
        }
        let (code, out, err) = audit_in(dir.path(), &args);
        assert_eq!(code, 0, "{err}");
        out
    };
    night(AS_OF, "history.sqlite", false);
    let tasks = std::fs::read_to_string(exports.join("tasks.csv")).unwrap();
    let done = tasks.replace(
        "T-1019;31459399;Петров Алексей;Звонок;25.11.2026 11:00;Нет;;;",
        "T-1019;31459399;Петров Алексей;Звонок;25.11.2026 11:00;Да;26.11.2026 18:00;Дозвонился;",
    );
    assert_ne!(done, tasks, "the example's T-1019 row");
    std::fs::write(exports.join("tasks.csv"), done).unwrap();
    for name in ["full.sqlite", "summary.sqlite"] {
        std::fs::copy(dir.path().join("history.sqlite"), dir.path().join(name)).unwrap();
    }
    let full = night("2026-11-27 03:00", "full.sqlite", false);
    let summary = night("2026-11-27 03:00", "summary.sqlite", true);
    let total = summary
        .lines()
        .find(|l| l.contains("total"))
        .unwrap_or_else(|| panic!("a total row in:\n{summary}"));
    assert!(
        full.contains(total),
        "{total}\nnot in the full report:\n{full}"
    );
    for line in summary.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            full.contains(line),
            "{line}\nnot in the full report:\n{full}"
        );
    }
}

//! Every report format with a history: each violation's status, each
//! manager's new / open / fixed counts, the last run's fixed violations
//! and, apart from them, the gone ones; the trend over the runs (JSON,
//! HTML, XLSX). The nights are those of `history_audit`:
//!
//! - night 1 (27.11.2026 02:00): T1 (Иванова, deal 801) and T2 (Петров,
//!   deal 802) are overdue;
//! - night 2 (03:00): T1 is done (fixed, open since 27.11.2026 for 1
//!   run); T2's row is gone from the export (gone, not fixed); T4
//!   (Иванова, deal 801, due 26.11 10:00) is overdue and new.
//!
//! Each format renders night 2 from its own copy of night 1's history.

use super::history_audit::{DEALS, TASKS_1, TASKS_2};
use crate::support::{audit_in, folder_with};
use calamine::{Data, Reader};
use serde_json::Value;
use std::path::Path;

/// Night 2 rendered as `format` into `out`, after night 1.
fn night_two(dir: &Path, format: &str, out: &str) {
    let history = format!("{format}.sqlite");
    std::fs::write(dir.join("tasks.csv"), TASKS_1).unwrap();
    let first = audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-27 02:00",
            "--history",
            &history,
            "-f",
            "json",
        ],
    );
    assert_eq!(first.0, 1, "{}", first.2);
    std::fs::write(dir.join("tasks.csv"), TASKS_2).unwrap();
    let (code, _, stderr) = audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-27 03:00",
            "--history",
            &history,
            "-f",
            format,
            "-o",
            out,
            "-q",
        ],
    );
    assert_eq!((code, stderr.as_str()), (1, ""));
}

fn rendered(format: &str) -> String {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    night_two(dir.path(), format, "out.txt");
    std::fs::read_to_string(dir.path().join("out.txt")).unwrap()
}

/// The lines from the one starting `from` up to the one starting `to`.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in {text}"));
    let end = text[start..].find(to).map_or(text.len(), |e| start + e);
    &text[start..end]
}

#[test]
fn the_table_shows_statuses_counts_and_the_fixed_apart_from_the_gone() {
    let text = rendered("table");
    assert!(
        text.contains("Иванова Мария: 1 error(s), 0 warning(s), 0 info; new 1, open 0, fixed 1\n"),
        "{text}"
    );
    let t4 = text.lines().find(|l| l.contains("task T4")).unwrap();
    assert!(t4.ends_with("┆ new    │"), "{t4}");
    let fixed = between(&text, "Fixed since the last run:", "Gone from the inputs");
    assert!(
        fixed.contains("overdue-task task T1 (deal 801) ┆ since 27.11.2026 (1 run)"),
        "{fixed}"
    );
    assert!(!fixed.contains("T2"));
    let gone = between(
        &text,
        "Gone from the inputs (not fixes):",
        "Since the last run",
    );
    assert!(
        gone.contains("Петров Алексей ┆ overdue-task task T2 (deal 802)"),
        "{gone}"
    );
    assert!(text.contains("Since the last run: new 1, open 0, fixed 1, gone 1\n"));
}

#[test]
fn csv_appends_status_since_and_runs() {
    let text = rendered("csv");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[header.len() - 3..], ["status", "since", "runs"]);
    assert_eq!(header[header.len() - 4], "fingerprint");
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].iter().rev().take(3).collect::<Vec<_>>(),
        ["", "", "new"]
    );
}

#[test]
fn markdown_has_the_status_column_and_the_fixed_and_gone_sections() {
    let text = rendered("markdown");
    assert!(
        text.contains("Since the last run: new 1, open 0, fixed 1, gone 1."),
        "{text}"
    );
    assert!(text.contains("| Specifics | Status |"));
    assert!(text.contains("· new 1, open 0, fixed 1\n"));
    let fixed = between(&text, "## Fixed since the last run", "## Gone");
    assert!(fixed.contains(
        "| Иванова Мария | overdue-task task T1 (deal 801) | since 27.11.2026 (1 run) |"
    ));
    let gone = between(
        &text,
        "## Gone from the inputs (not fixes)",
        "## Not checked",
    );
    assert!(
        gone.contains("| Петров Алексей | overdue-task task T2 (deal 802) |"),
        "{gone}"
    );
}

#[test]
fn html_has_badges_the_fixed_section_and_a_trend_chart_per_manager() {
    let page = rendered("html");
    assert!(
        page.contains(r#"<span class="status new">new</span>"#),
        "{page}"
    );
    let fixed = between(&page, r#"<section id="fixed">"#, "Gone from the inputs");
    assert!(fixed.contains("overdue-task task T1 (deal 801)"));
    assert!(between(&page, "Gone from the inputs", "</section>").contains("task T2"));
    // The department and its two managers, each a line through 2 runs.
    let trend = between(&page, r#"<section id="trend">"#, "</section>");
    assert_eq!(trend.matches("<svg").count(), 3);
    assert_eq!(trend.matches("<circle").count(), 6);
    assert!(!page.contains("<script"));
}

#[test]
fn json_carries_the_trend_of_the_runs() {
    let report: Value = serde_json::from_str(&rendered("json")).unwrap();
    let trend = &report["history"]["trend"];
    // Night 1: 2 violations over 2 deals in work, 10 per 10 deals; night
    // 2: 1 over 2, 5.
    let per_10 = |runs: &Value| -> Vec<f64> {
        runs.as_array()
            .unwrap()
            .iter()
            .map(|p| p["per_10_deals"].as_f64().unwrap())
            .collect()
    };
    assert_eq!(per_10(&trend["department"]), [10.0, 5.0]);
    let managers = trend["managers"].as_array().unwrap();
    // Worst first: Иванова has tonight's violation; 1 of 1 deal both nights.
    assert_eq!(managers[0]["name"], "Иванова Мария");
    assert_eq!(per_10(&managers[0]["runs"]), [10.0, 10.0]);
    assert_eq!(managers[1]["name"], "Петров Алексей");
    assert_eq!(per_10(&managers[1]["runs"]), [10.0, 0.0]);
    assert_eq!(trend["department"][1]["run"], 2);
}

#[test]
fn a_baseline_gives_statuses_but_no_trend() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS_1.as_bytes()),
    ]);
    let dir = dir.path();
    let (_, previous, _) = audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-27 02:00",
            "-f",
            "json",
        ],
    );
    std::fs::write(dir.join("previous.json"), previous).unwrap();
    std::fs::write(dir.join("tasks.csv"), TASKS_2).unwrap();
    let (_, text, _) = audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-27 03:00",
            "--baseline",
            "previous.json",
            "-f",
            "md",
        ],
    );
    assert!(
        text.contains("## Fixed since the last run") && text.contains("| Status |"),
        "{text}"
    );
    let (_, json, _) = audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-27 03:00",
            "--baseline",
            "previous.json",
            "-f",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&json).unwrap();
    assert!(report["history"].get("trend").is_none());
}

#[test]
fn the_workbook_gains_fixed_and_trend_sheets_and_is_still_known_as_a_report() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    night_two(dir, "xlsx", "audit.xlsx");
    let mut book = calamine::open_workbook_auto(dir.join("audit.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Violations",
            "Fixed",
            "Trend",
            "Fix first",
            "Inputs",
            "About"
        ]
    );
    let violations = book.worksheet_range("Violations").unwrap();
    assert_eq!(
        violations.get_value((0, 17)),
        Some(&Data::String("Status".into()))
    );
    assert_eq!(
        violations.get_value((1, 17)),
        Some(&Data::String("new".into()))
    );
    let fixed = book.worksheet_range("Fixed").unwrap();
    assert_eq!(fixed.get_value((2, 3)), Some(&Data::String("T1".into())));
    // T2 under the gone heading, not among the fixed.
    let gone_row = (0..fixed.height() as u32)
        .find(|&r| {
            fixed.get_value((r, 0))
                == Some(&Data::String("Gone from the inputs (not fixes)".into()))
        })
        .expect("a gone heading");
    assert_eq!(
        fixed.get_value((gone_row + 3, 3)),
        Some(&Data::String("T2".into()))
    );
    let trend = book.worksheet_range("Trend").unwrap();
    // Rows per run, the department then Иванова and Петров: 10, 10, 10
    // on night 1; 5, 10, 0 on night 2.
    let row = |r: u32| {
        (2..5)
            .map(|c| trend.get_value((r, c)).cloned())
            .collect::<Vec<_>>()
    };
    let f = |x: f64| Some(Data::Float(x));
    assert_eq!(row(2), [f(10.0), f(10.0), f(10.0)]);
    assert_eq!(row(3), [f(5.0), f(10.0), f(0.0)]);
    // Left among the exports, the report is not read as one.
    std::fs::remove_file(dir.join("tasks.csv")).unwrap();
    let (_, json, stderr) = audit_in(dir, &[".", "--as-of", "2026-11-27 03:00", "-f", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap_or_else(|_| panic!("{stderr}"));
    let not_read: Vec<&str> = report["not_read"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        not_read.iter().any(|p| p.ends_with("audit.xlsx")),
        "{report}"
    );
}

#[test]
fn the_trend_covers_the_last_fourteen_runs_tonight_last() {
    // Fifteen runs an hour apart over the same night-1 inputs: the trend
    // drops the first and ends with tonight's (run 15), each 2 violations
    // over 2 deals in work.
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS_1.as_bytes()),
    ]);
    let mut last = String::new();
    for hour in 2..17 {
        let as_of = format!("2026-11-27 {hour:02}:00");
        let (code, out, err) = audit_in(
            dir.path(),
            &[
                "deals.csv",
                "tasks.csv",
                "--as-of",
                &as_of,
                "--history",
                "h.sqlite",
                "-f",
                "json",
            ],
        );
        assert_eq!(code, 1, "{err}");
        last = out;
    }
    let report: Value = serde_json::from_str(&last).unwrap();
    let department = report["history"]["trend"]["department"].as_array().unwrap();
    let runs: Vec<i64> = department
        .iter()
        .map(|p| p["run"].as_i64().unwrap())
        .collect();
    assert_eq!(runs, (2..=15).collect::<Vec<_>>());
    assert_eq!(department[13]["as_of"], "2026-11-27T16:00:00+03:00");
    assert!(department.iter().all(|p| p["per_10_deals"] == 10.0));
}

/// Night 2 as a reader sees it, whole (the counts asserted above).
#[test]
fn snapshot_markdown_and_table_of_night_two() {
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("history_night_two_markdown", rendered("markdown"));
        insta::assert_snapshot!("history_night_two_table", rendered("table"));
    });
}

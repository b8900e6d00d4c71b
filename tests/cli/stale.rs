//! Stale inputs: the example company's call log ends Thursday 26.11.2026
//! at 19:21:48 and its task list's last change is 26.11.2026 18:40 (a
//! task completed). Its deals workbook carries no activity dates, so its
//! file's modification time counts: the checkout's, after every audit
//! moment here, so it is never stale.
//!
//! An audit on Friday 27.11 judges against Thursday, the working day
//! before: nothing is stale. On Tuesday 01.12 the working day before is
//! Monday 30.11, and both the calls and the tasks are older.

use crate::support::{audit_in, json_in, AS_OF};

fn example() -> String {
    format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn an_audit_the_morning_after_the_last_working_day_is_not_stale() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let report = json_in(dir.path(), &[&example, "--as-of", AS_OF]);
    assert!(report.get("stale").is_none(), "{:?}", report["stale"]);
    // Late on Friday, Thursday is still the working day before.
    let late = json_in(dir.path(), &[&example, "--as-of", "2026-11-27 23:00"]);
    assert!(late.get("stale").is_none());
}

#[test]
fn inputs_older_than_the_working_day_before_are_named_in_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let as_of = "2026-12-01 02:00";
    let report = json_in(dir.path(), &[&example, "--as-of", as_of]);
    let stale = report["stale"].as_array().unwrap();
    let named: Vec<(&str, &str, &str)> = stale
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().rsplit('/').next().unwrap(),
                s["last"].as_str().unwrap(),
                s["by"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("calls.csv", "2026-11-26T19:21:48", "last-call"),
            ("tasks.csv", "2026-11-26T18:40:00", "last-task-change"),
        ]
    );
    // The table opens with the warning, in either language.
    let (code, table, _) = audit_in(dir.path(), &[&example, "--as-of", as_of]);
    assert_eq!(code, 1);
    let second = table.lines().nth(1).unwrap();
    assert!(
        second.starts_with("WARNING: stale input ")
            && second.contains("calls.csv: last call 26.11.2026 19:21"),
        "{table}"
    );
    let (_, ru, _) = audit_in(dir.path(), &[&example, "--as-of", as_of, "--lang", "ru"]);
    assert!(
        ru.contains("calls.csv: последний звонок 26.11.2026 19:21, больше чем за рабочий день"),
        "{ru}"
    );
    let (_, md, _) = audit_in(dir.path(), &[&example, "--as-of", as_of, "--format", "md"]);
    assert!(
        md.lines()
            .nth(2)
            .unwrap()
            .starts_with("**WARNING: stale input"),
        "{md}"
    );
    let (_, html, _) = audit_in(
        dir.path(),
        &[&example, "--as-of", as_of, "--format", "html"],
    );
    let warning = html
        .find(r#"<p class="stale">WARNING: stale input"#)
        .unwrap();
    assert!(warning < html.find(r#"<section class="cards">"#).unwrap());
}

#[test]
fn fail_on_stale_writes_the_report_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let (code, stdout, stderr) = audit_in(
        dir.path(),
        &[&example, "--as-of", "2026-12-01 02:00", "--fail-on-stale"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stdout.contains("WARNING: stale input"),
        "the report is written"
    );
    assert!(
        stderr.contains("--fail-on-stale")
            && stderr.contains("calls.csv (last record 26.11.2026 19:21)"),
        "{stderr}"
    );
    // Fresh inputs: the flag changes nothing.
    let (code, _, stderr) = audit_in(dir.path(), &[&example, "--as-of", AS_OF, "--fail-on-stale"]);
    assert_eq!(code, 1, "{stderr}");
}

//! `audit --history`: three nights of a small company recorded in one
//! history, each violation new or open, the last night's fixed and gone,
//! the completeness guard, and a file that is not a history.

use crate::support::folder_with;
use serde_json::Value;
use std::path::Path;

pub(crate) const DEALS: &str =
    "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Мобильный телефон (контакт)\n\
801,Радиаторы для дома,Орлов Игорь,Иванова Мария,Счет,+7 927 555-66-77\n\
802,Котел в гараж,Зайцева Ольга,Петров Алексей,Счет,+7 927 555-11-22\n";

/// Night 1 (27.11.2026 02:00): T1 (Иванова, deal 801) and T2 (Петров,
/// 802) are open and were due 25.11 10:00: two overdue tasks. T3 keeps
/// 802 with a task due later.
pub(crate) const TASKS_1: &str = "ID,ID сделки,Ответственный,Срок,Выполнена\n\
T1,801,Иванова Мария,25.11.2026 10:00,Нет\n\
T2,802,Петров Алексей,25.11.2026 10:00,Нет\n\
T3,802,Петров Алексей,30.11.2026 10:00,Нет\n";

/// Night 2 (03:00): T1 is done (fixed); T2's row is gone from the export
/// (not a fix: gone); T4 of 801, due 26.11 10:00 and open, is new.
pub(crate) const TASKS_2: &str = "ID,ID сделки,Ответственный,Срок,Выполнена\n\
T1,801,Иванова Мария,25.11.2026 10:00,Да\n\
T3,802,Петров Алексей,30.11.2026 10:00,Нет\n\
T4,801,Иванова Мария,26.11.2026 10:00,Нет\n";

fn night(dir: &Path, tasks: &str, as_of: &str, extra: &[&str]) -> (i32, String, String) {
    std::fs::write(dir.join("tasks.csv"), tasks).unwrap();
    let mut args = vec![
        "deals.csv",
        "tasks.csv",
        "--as-of",
        as_of,
        "--history",
        "history.sqlite",
        "--format",
        "json",
    ];
    args.extend(extra);
    crate::support::audit_in(dir, &args)
}

fn report(run: (i32, String, String)) -> Value {
    let (code, stdout, stderr) = run;
    assert_eq!((code, stderr.as_str()), (1, ""), "{stdout}");
    serde_json::from_str(&stdout).unwrap()
}

/// (task, status, since, runs) of every overdue task.
fn overdue(report: &Value) -> Vec<(String, String, String, i64)> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "overdue-task")
        .map(|v| {
            (
                v["entity"]["id"].as_str().unwrap().to_string(),
                v["status"].as_str().unwrap().to_string(),
                v["since"].as_str().unwrap_or("").to_string(),
                v["runs"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

fn ids(report: &Value, list: &str) -> Vec<String> {
    report["history"][list]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["entity_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn three_nights_new_open_fixed_and_gone() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    let s = |t: &str| t.to_string();

    let first = report(night(dir, TASKS_1, "2026-11-27 02:00", &[]));
    assert_eq!(
        overdue(&first),
        [(s("T1"), s("new"), s(""), 0), (s("T2"), s("new"), s(""), 0)]
    );
    assert_eq!(first["history"]["run"], 1);

    let second = report(night(dir, TASKS_2, "2026-11-27 03:00", &[]));
    assert_eq!(overdue(&second), [(s("T4"), s("new"), s(""), 0)]);
    assert_eq!(ids(&second, "fixed"), ["T1"]);
    assert_eq!(ids(&second, "gone"), ["T2"]);
    assert_eq!(
        second["history"]["fixed"][0]["since"],
        "2026-11-27T02:00:00+03:00"
    );

    let third = report(night(dir, TASKS_2, "2026-11-27 04:00", &[]));
    assert_eq!(
        overdue(&third),
        [(s("T4"), s("open"), s("2026-11-27T03:00:00+03:00"), 2)]
    );
    assert!(ids(&third, "fixed").is_empty() && ids(&third, "gone").is_empty());
}

#[test]
fn an_export_cut_short_keeps_what_it_hides_open() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    report(night(dir, TASKS_1, "2026-11-27 02:00", &[]));

    // Night 2 without the tasks export: its overdue tasks would all look
    // fixed or gone. The night is recorded, and the report and standard
    // error say what dropped; T1 and T2 stay open, not judged.
    let args = [
        "deals.csv",
        "--as-of",
        "2026-11-27 03:00",
        "--history",
        "history.sqlite",
        "--format",
        "json",
    ];
    let (code, stdout, stderr) = crate::support::audit_in(dir, &args);
    assert!(code == 0 || code == 1, "{stderr}");
    assert!(
        stderr.contains("no tasks tonight: the last run read 3 row(s) of tasks"),
        "{stderr}"
    );
    assert!(stderr.contains("--accept-drop"), "{stderr}");
    let second: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(second["history"]["run"], 2);
    assert!(ids(&second, "fixed").is_empty(), "{stdout}");
    assert!(ids(&second, "gone").is_empty(), "{stdout}");
    assert_eq!(ids(&second, "not_judged"), ["T1", "T2"]);
    assert_eq!(
        second["history"]["incomplete"][0],
        "no tasks tonight: the last run read 3 row(s) of tasks"
    );

    // Night 3, the tasks back as on night 1: both are open since night 1.
    let s = |t: &str| t.to_string();
    let third = report(night(dir, TASKS_1, "2026-11-27 04:00", &[]));
    let since = || s("2026-11-27T02:00:00+03:00");
    assert_eq!(
        overdue(&third),
        [
            (s("T1"), s("open"), since(), 2),
            (s("T2"), s("open"), since(), 2)
        ]
    );
}

#[test]
fn a_file_that_is_not_a_history_stops_the_run_and_is_left_as_it_was() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("history.sqlite", b"not a database at all\n"),
    ]);
    let (code, stdout, stderr) = night(dir.path(), TASKS_1, "2026-11-27 02:00", &[]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("history history.sqlite: not a crm-audit history database"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("history.sqlite")).unwrap(),
        b"not a database at all\n"
    );
}

#[test]
fn history_with_manager_is_refused() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let (code, _, stderr) = night(
        dir.path(),
        TASKS_1,
        "2026-11-27 02:00",
        &["--manager", "Иванова"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("--manager narrows the report"), "{stderr}");
    assert!(!dir.path().join("history.sqlite").exists());
}

#[test]
fn the_report_is_never_written_over_the_history() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    report(night(dir.path(), TASKS_1, "2026-11-27 02:00", &[]));
    let before = std::fs::read(dir.path().join("history.sqlite")).unwrap();
    let (code, _, stderr) = night(
        dir.path(),
        TASKS_1,
        "2026-11-27 03:00",
        &["--output", "./history.sqlite"],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("that is the input history.sqlite"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("history.sqlite")).unwrap(),
        before
    );
}

/// (fixed, gone) entity IDs of a night.
fn fixed_and_gone(report: &Value) -> (Vec<String>, Vec<String>) {
    (ids(report, "fixed"), ids(report, "gone"))
}

#[test]
fn a_record_tonight_could_not_read_whole_is_not_fixed() {
    // Night 2: T1's due date is `-`. The overdue check skipped T1 (its
    // unreadable value is a finding of its own): T1 is not fixed, and on
    // night 3, read again, it is open since night 1.
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    report(night(dir, TASKS_1, "2026-11-27 02:00", &[]));
    let unreadable = TASKS_1.replace(
        "T1,801,Иванова Мария,25.11.2026 10:00",
        "T1,801,Иванова Мария,-",
    );
    let second = report(night(dir, &unreadable, "2026-11-27 03:00", &[]));
    assert_eq!(fixed_and_gone(&second), (vec![], vec![]));
    let third = report(night(dir, TASKS_1, "2026-11-27 04:00", &[]));
    let t1 = overdue(&third).into_iter().find(|v| v.0 == "T1").unwrap();
    assert_eq!(
        (t1.1.as_str(), t1.2.as_str()),
        ("open", "2026-11-27T02:00:00+03:00")
    );
}

#[test]
fn a_record_named_by_its_row_is_gone_not_fixed_when_rows_move() {
    // No ID column: tasks are named `tasks.csv:ROW`. Night 2 swaps the
    // overdue task (row 2) with the one due later (row 3): row 3 is a new
    // overdue task, and row 2's violation cannot be said to be fixed.
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    let first = "ID сделки,Ответственный,Срок,Выполнена\n\
                 802,Петров Алексей,25.11.2026 10:00,Нет\n\
                 802,Петров Алексей,30.11.2026 10:00,Нет\n";
    let swapped = "ID сделки,Ответственный,Срок,Выполнена\n\
                   802,Петров Алексей,30.11.2026 10:00,Нет\n\
                   802,Петров Алексей,25.11.2026 10:00,Нет\n";
    report(night(dir, first, "2026-11-27 02:00", &[]));
    let second = report(night(dir, swapped, "2026-11-27 03:00", &[]));
    assert_eq!(
        fixed_and_gone(&second),
        (vec![], vec!["tasks.csv:2".to_string()])
    );
}

#[test]
fn a_waiver_is_no_fix() {
    // Night 2 waives T1's overdue task: it leaves the report, but nobody
    // fixed it, so it is not listed as fixed.
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    report(night(dir, TASKS_1, "2026-11-27 02:00", &[]));
    std::fs::write(
        dir.join("company.toml"),
        "extends = \"builtin\"\n[[waivers]]\nrule = \"overdue-task\"\nentity = \"task:T1\"\n\
         reason = \"клиент в отъезде\"\nuntil = \"2026-12-10\"\n",
    )
    .unwrap();
    let second = report(night(
        dir,
        TASKS_1,
        "2026-11-27 03:00",
        &["--rules", "company.toml"],
    ));
    assert!(overdue(&second).iter().all(|v| v.0 != "T1"));
    assert_eq!(fixed_and_gone(&second), (vec![], vec![]));
}

#[test]
fn a_report_that_cannot_be_written_records_no_run() {
    // Night 2's report goes to a folder that does not exist: the run fails
    // with exit 2, and the history is as night 1 left it, so a rerun is not
    // counted twice and night 2's fixes are not recorded unseen.
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    report(night(dir, TASKS_1, "2026-11-27 02:00", &[]));
    let before = std::fs::read(dir.join("history.sqlite")).unwrap();
    let (code, _, stderr) = night(
        dir,
        TASKS_2,
        "2026-11-27 03:00",
        &["--output", "no-such-folder/report.json"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(std::fs::read(dir.join("history.sqlite")).unwrap(), before);
    // The rerun that reaches a folder is night 2, run 2.
    let second = report(night(dir, TASKS_2, "2026-11-27 03:00", &[]));
    assert_eq!(second["history"]["run"], 2);
    assert_eq!(ids(&second, "fixed"), ["T1"]);
}

#[test]
fn a_quota_day_stays_open_through_a_night_that_could_not_judge_it() {
    // Иванова makes 10 calls on 26.11 (quota 40), Петров none: two quota
    // days. Night 2 has
    // no call log (accepted): the quota is not checked. Night 3 has the
    // log again: the same day is open since night 1, not new.
    let calls = crate::support::call_log(&[("Иванова Мария", "26.11.2026", "Исходящий", 10)]);
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("calls.csv", calls.as_bytes()),
    ]);
    let dir = dir.path();
    let run = |as_of: &str, files: &[&str], extra: &[&str]| {
        let mut args = files.to_vec();
        args.extend([
            "--as-of",
            as_of,
            "--history",
            "h.sqlite",
            "--format",
            "json",
        ]);
        args.extend(extra);
        let (code, stdout, stderr) = crate::support::audit_in(dir, &args);
        assert!(code < 2, "{stderr}");
        serde_json::from_str::<Value>(&stdout).unwrap()
    };
    let quota = |report: &Value| -> Vec<(String, String)> {
        report["violations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["rule"] == "daily-call-quota")
            .map(|v| {
                (
                    v["status"].as_str().unwrap_or("").to_string(),
                    v["since"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let first = run("2026-11-27 02:00", &["deals.csv", "calls.csv"], &[]);
    // Иванова's 10 calls and Петров's none (he is responsible for 802).
    assert_eq!(quota(&first), vec![("new".to_string(), String::new()); 2]);
    run("2026-11-27 03:00", &["deals.csv"], &["--accept-drop"]);
    let third = run("2026-11-27 04:00", &["deals.csv", "calls.csv"], &[]);
    assert_eq!(
        quota(&third),
        vec![("open".to_string(), "2026-11-27T02:00:00+03:00".to_string()); 2]
    );
}

#[test]
fn a_run_of_some_rules_is_no_night_of_the_history() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    std::fs::write(dir.join("tasks.csv"), TASKS_1).unwrap();
    // An explicit history with --select is refused, and nothing is written.
    let (code, _, stderr) = crate::support::audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--history",
            "h.sqlite",
            "--select",
            "overdue-task",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--select and --ignore narrow the night"),
        "{stderr}"
    );
    assert!(!dir.join("h.sqlite").exists());
    // The rule set's history is not written by such a run, which says so.
    std::fs::write(
        dir.join("company.toml"),
        "extends = \"builtin\"\nhistory = \"h.sqlite\"\n",
    )
    .unwrap();
    let (code, _, stderr) = crate::support::audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--rules",
            "company.toml",
            "--ignore",
            "overdue-task",
            "-q",
            "-o",
            "r.json",
        ],
    );
    assert!(code < 2, "{stderr}");
    assert!(
        stderr.contains("is not recorded in the history"),
        "{stderr}"
    );
    assert!(!dir.join("h.sqlite").exists());
    // One manager, likewise.
    let (code, _, stderr) = crate::support::audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--rules",
            "company.toml",
            "--manager",
            "Иванова",
            "-q",
            "-o",
            "r.json",
        ],
    );
    assert!(code < 2, "{stderr}");
    assert!(!dir.join("h.sqlite").exists());
}

#[test]
fn a_csv_report_with_statuses_left_among_the_exports_is_no_export() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    night(dir, TASKS_1, "2026-11-27 02:00", &[]);
    let (code, _, stderr) = crate::support::audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-27 03:00",
            "--history",
            "h.sqlite",
            "-q",
            "-o",
            "report.csv",
        ],
    );
    assert!(code < 2, "{stderr}");
    let report = crate::support::json_in(dir, &[".", "--as-of", "2026-11-27 03:00"]);
    let not_read = report["not_read"].as_array().unwrap();
    let csv = not_read
        .iter()
        .find(|n| n["path"] == "./report.csv")
        .unwrap();
    assert!(
        csv["reason"]
            .as_str()
            .unwrap()
            .starts_with("a crm-audit report (CSV"),
        "{csv:#}"
    );
}

#[test]
fn hostile_text_in_a_history_report_stops_nothing_and_runs_nothing() {
    // A manager's name longer than a cell holds (801 has no phone: one
    // violation): the night's workbook is still written (the Trend sheet
    // names its column with the cut name).
    let long = "Я".repeat(33_000);
    let deals = format!(
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Мобильный телефон (контакт)\n\
         801,Котел,Орлов Игорь,{long},Счет,\n"
    );
    let dir = folder_with(&[("deals.csv", deals.as_bytes())]);
    let dir = dir.path();
    let (code, _, stderr) = crate::support::audit_in(
        dir,
        &[
            "deals.csv",
            "--as-of",
            "2026-11-27 02:00",
            "--history",
            "h.sqlite",
            "-q",
            "-o",
            "n1.xlsx",
        ],
    );
    assert!(code < 2, "{stderr}");
    assert!(dir.join("n1.xlsx").is_file());
    // A baseline's `since` that a spreadsheet would run is guarded in the
    // CSV like any text.
    let (code, _, stderr) = crate::support::audit_in(
        dir,
        &[
            "deals.csv",
            "--as-of",
            "2026-11-27 02:00",
            "-q",
            "-o",
            "n1.json",
        ],
    );
    assert!(code < 2, "{stderr}");
    let json = std::fs::read_to_string(dir.join("n1.json")).unwrap();
    let mut base: Value = serde_json::from_str(&json).unwrap();
    for v in base["violations"].as_array_mut().unwrap() {
        v["status"] = "open".into();
        v["since"] = "=HYPERLINK(\"http://x\",\"y\")".into();
        v["runs"] = 2.into();
    }
    std::fs::write(dir.join("n1.json"), base.to_string()).unwrap();
    let (code, _, stderr) = crate::support::audit_in(
        dir,
        &[
            "deals.csv",
            "--as-of",
            "2026-11-27 03:00",
            "--baseline",
            "n1.json",
            "-q",
            "-o",
            "n2.csv",
        ],
    );
    assert!(code < 2, "{stderr}");
    let csv = std::fs::read_to_string(dir.join("n2.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
}

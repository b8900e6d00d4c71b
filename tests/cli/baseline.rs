//! `audit --baseline PREVIOUS.json`: the nights of `history_audit.rs`
//! compared report to report, with no history database: the same
//! statuses, the same fixed and gone, and the same completeness guard.

use crate::history_audit::{DEALS, TASKS_1, TASKS_2};
use crate::support::{audit_in, folder_with};
use serde_json::Value;
use std::path::Path;

/// Audits `tasks` at `as_of` into `out` (JSON), comparing with `baseline`.
fn night(dir: &Path, tasks: &str, as_of: &str, baseline: Option<&str>, out: &str) -> (i32, String) {
    std::fs::write(dir.join("tasks.csv"), tasks).unwrap();
    let mut args = vec!["deals.csv", "tasks.csv", "--as-of", as_of, "-o", out, "-q"];
    if let Some(file) = baseline {
        args.extend(["--baseline", file]);
    }
    let (code, _, stderr) = audit_in(dir, &args);
    (code, stderr)
}

fn read(dir: &Path, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
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
                v["status"].as_str().unwrap_or("").to_string(),
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
fn three_nights_compared_report_to_report() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    let s = |t: &str| t.to_string();

    // Night 1 has nothing to compare with: no statuses at all.
    assert_eq!(
        night(dir, TASKS_1, "2026-11-27 02:00", None, "n1.json").0,
        1
    );
    let first = read(dir, "n1.json");
    assert_eq!(
        overdue(&first),
        [(s("T1"), s(""), s(""), 0), (s("T2"), s(""), s(""), 0)]
    );

    // Night 2: T1 done (fixed), T2's row gone (not a fix), T4 new.
    let (code, stderr) = night(dir, TASKS_2, "2026-11-27 03:00", Some("n1.json"), "n2.json");
    assert_eq!((code, stderr.as_str()), (1, ""));
    let second = read(dir, "n2.json");
    assert_eq!(overdue(&second), [(s("T4"), s("new"), s(""), 0)]);
    assert_eq!(ids(&second, "fixed"), ["T1"]);
    assert_eq!(ids(&second, "gone"), ["T2"]);
    assert_eq!(second["history"]["baseline"], "n1.json");
    assert!(second["history"].get("run").is_none());
    // T1 had been seen in one run, night 1's.
    assert_eq!(
        second["history"]["fixed"][0]["since"],
        "2026-11-27T02:00:00+03:00"
    );
    assert_eq!(second["history"]["fixed"][0]["runs"], 1);
    let ivanova = second["managers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Иванова Мария")
        .unwrap();
    assert_eq!(
        ivanova["changes"],
        serde_json::json!({"new": 1, "open": 0, "fixed": 1, "gone": 0})
    );

    // Night 3 against night 2: T4 open since night 2, two runs in a row.
    night(dir, TASKS_2, "2026-11-27 04:00", Some("n2.json"), "n3.json");
    let third = read(dir, "n3.json");
    assert_eq!(
        overdue(&third),
        [(s("T4"), s("open"), s("2026-11-27T03:00:00+03:00"), 2)]
    );
    // Night 4 against night 3 carries the stretch on.
    night(dir, TASKS_2, "2026-11-27 05:00", Some("n3.json"), "n4.json");
    assert_eq!(
        overdue(&read(dir, "n4.json")),
        [(s("T4"), s("open"), s("2026-11-27T03:00:00+03:00"), 3)]
    );
}

#[test]
fn a_baseline_with_more_inputs_stops_the_comparison() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    night(dir, TASKS_1, "2026-11-27 02:00", None, "n1.json");
    // Tonight without the tasks export: its overdue tasks would look fixed.
    let args = [
        "deals.csv",
        "--as-of",
        "2026-11-27 03:00",
        "--baseline",
        "n1.json",
    ];
    let (code, stdout, stderr) = audit_in(dir, &args);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("no tasks tonight: the last run read 3 row(s) of tasks"),
        "{stderr}"
    );
}

#[test]
fn a_baseline_that_is_no_report_and_a_baseline_beside_a_history_are_errors() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("old.json", b"{\"hello\": 1}"),
    ]);
    let (code, _, stderr) = audit_in(dir.path(), &["deals.csv", "--baseline", "old.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("old.json: not a JSON report of crm-audit"),
        "{stderr}"
    );
    let (code, _, stderr) = audit_in(
        dir.path(),
        &[
            "deals.csv",
            "--baseline",
            "old.json",
            "--history",
            "h.sqlite",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("--history"), "{stderr}");
    assert!(!dir.path().join("h.sqlite").exists());
}

#[test]
fn fail_on_new_counts_what_the_baseline_says_is_new() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    night(dir, TASKS_1, "2026-11-27 02:00", None, "n1.json");
    night(dir, TASKS_2, "2026-11-27 03:00", Some("n1.json"), "n2.json");
    let run = |baseline: &str| {
        let args = [
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-27 04:00",
            "--baseline",
            baseline,
            "--fail-on",
            "new",
            "-o",
            "n3.json",
            "-q",
        ];
        audit_in(dir, &args).0
    };
    // Against night 1, T4 (an error) is new: the run fails.
    assert_eq!(run("n1.json"), 1);
    // Against night 2, T4 is open: nothing new, the run passes.
    assert_eq!(run("n2.json"), 0);
}

#[test]
fn a_baseline_of_fewer_rules_leaves_the_others_without_a_status() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    std::fs::write(dir.join("tasks.csv"), TASKS_1).unwrap();
    let ignore = [
        "deals.csv",
        "tasks.csv",
        "--as-of",
        "2026-11-27 02:00",
        "--ignore",
        "overdue-task",
        "-o",
        "n1.json",
        "-q",
    ];
    assert!(audit_in(dir, &ignore).0 < 2);
    // Night 2, every rule: night 1 did not run overdue-task, so T4 (and
    // any overdue task) is neither new nor open, and --fail-on new does
    // not fail on it.
    night(dir, TASKS_2, "2026-11-27 03:00", Some("n1.json"), "n2.json");
    let second = read(dir, "n2.json");
    assert_eq!(
        overdue(&second),
        [("T4".to_string(), String::new(), String::new(), 0)]
    );
    let args = [
        "deals.csv",
        "tasks.csv",
        "--as-of",
        "2026-11-27 03:00",
        "--baseline",
        "n1.json",
        "--fail-on",
        "new",
        "-o",
        "n2b.json",
        "-q",
    ];
    assert_eq!(audit_in(dir, &args).0, 0);
}

#[test]
fn a_masked_or_narrowed_baseline_and_manager_with_baseline_are_refused() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    std::fs::write(dir.join("tasks.csv"), TASKS_1).unwrap();
    let base = [
        "deals.csv",
        "tasks.csv",
        "--as-of",
        "2026-11-27 02:00",
        "-q",
    ];
    let mut masked = base.to_vec();
    masked.extend(["--mask-phones", "-o", "masked.json"]);
    audit_in(dir, &masked);
    let mut narrowed = base.to_vec();
    narrowed.extend(["--manager", "Иванова", "-o", "one.json"]);
    audit_in(dir, &narrowed);
    let mut whole = base.to_vec();
    whole.extend(["-o", "whole.json"]);
    audit_in(dir, &whole);
    for (baseline, extra, expected) in [
        ("masked.json", None, "was written with --mask-phones"),
        (
            "one.json",
            None,
            "is a report of some managers only (Иванова Мария)",
        ),
        (
            "whole.json",
            Some("Иванова"),
            "--manager narrows the report",
        ),
    ] {
        let mut args = vec!["deals.csv", "tasks.csv", "--baseline", baseline];
        if let Some(manager) = extra {
            args.extend(["--manager", manager]);
        }
        let (code, stdout, stderr) = audit_in(dir, &args);
        assert_eq!((code, stdout.as_str()), (2, ""), "{baseline}: {stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
}

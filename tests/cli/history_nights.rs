//! The order of nights in a history: a rerun of the newest night (the
//! same `--as-of`: a cron job retried) replaces it, as if the first run had
//! not happened; an earlier night, or a baseline of tonight or later, is
//! refused and nothing is written.

use crate::history_audit::{DEALS, TASKS_1, TASKS_2};
use crate::support::{audit_in, folder_with};
use serde_json::Value;
use std::path::Path;

/// Audits `deals.csv` and `tasks` (written as `tasks.csv`) as of `as_of`
/// into `h.sqlite`: (exit code, stdout, stderr).
fn night(dir: &Path, tasks: &str, as_of: &str, extra: &[&str]) -> (i32, String, String) {
    std::fs::write(dir.join("tasks.csv"), tasks).unwrap();
    let mut args = vec![
        "deals.csv",
        "tasks.csv",
        "--as-of",
        as_of,
        "--history",
        "h.sqlite",
    ];
    args.extend(extra);
    audit_in(dir, &args)
}

fn json(run: (i32, String, String)) -> Value {
    let (code, stdout, stderr) = run;
    assert!(code < 2, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// (task, status, since, runs) of every overdue task.
fn overdue(report: &Value) -> Vec<(String, String, String, u64)> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "overdue-task")
        .map(|v| {
            let s = |x: &Value| x.as_str().unwrap_or("").to_string();
            (
                s(&v["entity"]["id"]),
                s(&v["status"]),
                s(&v["since"]),
                v["runs"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The runs `crm-audit history` lists: (run, audit moment).
fn runs(dir: &Path) -> Vec<(i64, String)> {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .args(["history", "--history", "h.sqlite", "-f", "json"])
        .output()
        .unwrap();
    let runs: Value = serde_json::from_slice(&output.stdout).unwrap();
    runs.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["run"].as_i64().unwrap(),
                r["as_of"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_rerun_of_the_same_night_replaces_it_and_new_stays_new() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    // T1 and T2 are overdue, both new: --fail-on new-error fails.
    let fail_new = ["--fail-on", "new-error", "--format", "json"];
    let (code, _, stderr) = night(dir, TASKS_1, "2026-11-27 02:00", &fail_new);
    assert_eq!(code, 1, "{stderr}");
    // The cron job retries the same night: still new, still exit 1, and
    // the history holds one run, not two.
    let (code, stdout, stderr) = night(dir, TASKS_1, "2026-11-27 02:00", &fail_new);
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["history"]["run"], 1);
    let new = |id: &str| (id.to_string(), "new".to_string(), String::new(), 0);
    assert_eq!(overdue(&report), [new("T1"), new("T2")]);
    assert_eq!(runs(dir), [(1, "2026-11-27T02:00:00+03:00".to_string())]);
}

#[test]
fn a_rerun_undoes_what_the_first_run_of_the_night_recorded() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    json(night(dir, TASKS_1, "2026-11-27 02:00", &["-f", "json"]));
    // Night 2 from a wrong export: T1 looks done (fixed), T2's row is
    // missing (gone), T4 is new.
    let wrong = json(night(dir, TASKS_2, "2026-11-27 03:00", &["-f", "json"]));
    assert_eq!(wrong["history"]["fixed"][0]["entity_id"], "T1");
    // The export is corrected and night 2 run again: as if the wrong run
    // had not happened, T1 and T2 are open since night 1, for 2 runs; no
    // fix, nothing gone, no T4; the run is still number 2.
    let right = json(night(dir, TASKS_1, "2026-11-27 03:00", &["-f", "json"]));
    assert_eq!(right["history"]["run"], 2);
    // The trend has night 1 and night 2 once each: 2 violations, then 2.
    let trend: Vec<(i64, i64)> = right["history"]["trend"]["department"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["run"].as_i64().unwrap(),
                p["violations"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(trend, [(1, 2), (2, 2)]);
    let since = "2026-11-27T02:00:00+03:00".to_string();
    let open = |id: &str| (id.to_string(), "open".to_string(), since.clone(), 2);
    assert_eq!(overdue(&right), [open("T1"), open("T2")]);
    assert!(right["history"]["fixed"].as_array().unwrap().is_empty());
    assert!(right["history"]["gone"].as_array().unwrap().is_empty());
    // Night 3 from the same export: open for 3 runs, since night 1.
    let third = json(night(dir, TASKS_1, "2026-11-27 04:00", &["-f", "json"]));
    assert_eq!(third["history"]["run"], 3);
    let open = |id: &str| (id.to_string(), "open".to_string(), since.clone(), 3);
    assert_eq!(overdue(&third), [open("T1"), open("T2")]);
}

#[test]
fn an_earlier_night_than_the_newest_is_refused_and_nothing_is_written() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let dir = dir.path();
    for day in 27..=30 {
        json(night(
            dir,
            TASKS_1,
            &format!("2026-11-{day} 02:00"),
            &["-f", "json"],
        ));
    }
    let before = std::fs::read(dir.join("h.sqlite")).unwrap();
    let (code, stdout, stderr) = night(dir, TASKS_1, "2026-11-25 02:00", &["-o", "old.html"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr.trim_end(),
        "crm-audit: error: history h.sqlite: its newest night is 30.11.2026 02:00 (run 4), \
         after this run's 25.11.2026 02:00; a history keeps its nights in order (an earlier \
         night would be open since a later date), so nothing was recorded: audit that night \
         without this history, or with a history of its own (--history OTHER.sqlite)"
    );
    assert!(!dir.join("old.html").exists());
    assert_eq!(std::fs::read(dir.join("h.sqlite")).unwrap(), before);
    // As it says: a history of its own takes that night.
    let (code, _, stderr) = audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-25 02:00",
            "--history",
            "other.sqlite",
        ],
    );
    assert!(code < 2, "{stderr}");
}

#[test]
fn a_baseline_of_tonight_or_later_is_refused() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS_1.as_bytes()),
    ]);
    let dir = dir.path();
    let report = |as_of: &str| {
        let (code, stdout, stderr) = audit_in(
            dir,
            &["deals.csv", "tasks.csv", "--as-of", as_of, "-f", "json"],
        );
        assert!(code < 2, "{stderr}");
        stdout
    };
    std::fs::write(dir.join("late.json"), report("2026-11-30 02:00")).unwrap();
    std::fs::write(dir.join("same.json"), report("2026-11-27 02:00")).unwrap();
    for (file, then) in [
        ("late.json", "30.11.2026 02:00"),
        ("same.json", "27.11.2026 02:00"),
    ] {
        let (code, stdout, stderr) = audit_in(
            dir,
            &[
                "deals.csv",
                "tasks.csv",
                "--as-of",
                "2026-11-27 02:00",
                "--baseline",
                file,
            ],
        );
        assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "{file} is the report of {then}, not earlier than tonight's audit moment \
                 27.11.2026 02:00"
            )),
            "{stderr}"
        );
    }
    // An earlier night's report is a baseline.
    std::fs::write(dir.join("early.json"), report("2026-11-26 02:00")).unwrap();
    let (code, _, stderr) = audit_in(
        dir,
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            "2026-11-27 02:00",
            "--baseline",
            "early.json",
        ],
    );
    assert!(code < 2, "{stderr}");
}

//! `crm-audit history`: the runs of a history, a manager's and a rule's
//! trend, pruning, and where the file is named. The history is built here
//! through the library, three hand-made nights whose numbers are worked
//! out beside them.

use crm_audit::history::{History, InputRows, ManagerRun, Outcome, Run, Seen};
use std::path::Path;

fn seen<'a>(fingerprint: &'a str, rule: &'a str, manager: &'a str, deal: &'a str) -> Seen<'a> {
    Seen {
        fingerprint,
        rule,
        manager,
        entity_kind: "deal",
        entity_id: deal,
        deal_id: Some(deal),
        severity: "error",
        day_bound: false,
    }
}

/// Night 1: A, B (Иванова, 10 deals in work), C (Петров, 5 deals): 3 new.
/// Night 2: A and C again, B fixed: 2 violations, 0 new, 1 fixed.
/// Night 3: C again, D new (Иванова): 2 violations, 1 new, A fixed.
fn three_nights(path: &Path) {
    let mut history = History::open(path).unwrap();
    let managers = [
        ManagerRun {
            name: "Иванова Мария",
            deals_in_work: 10,
            lead_violations: 0,
        },
        ManagerRun {
            name: "Петров Алексей",
            deals_in_work: 5,
            lead_violations: 0,
        },
    ];
    let a = seen("A", "overdue-task", "Иванова Мария", "1");
    let b = seen("B", "missing-phone", "Иванова Мария", "2");
    let c = seen("C", "overdue-task", "Петров Алексей", "3");
    let d = seen("D", "missing-phone", "Иванова Мария", "4");
    let nights: [(&str, Vec<Seen>); 3] = [
        ("2026-11-24T02:00:00+03:00", vec![a, b, c]),
        ("2026-11-25T02:00:00+03:00", vec![a, c]),
        ("2026-11-26T02:00:00+03:00", vec![c, d]),
    ];
    for (as_of, violations) in &nights {
        let run = Run {
            as_of,
            rule_set: "Регламент отдела продаж",
            rule_set_hash: "0",
            tool_version: "0.1.0",
            inputs: &[InputRows {
                path: "deals.csv",
                kind: "deals",
                rows: 15,
            }],
            violations,
            managers: &managers,
        };
        history.record(&run, |_| Outcome::Fixed).unwrap();
    }
}

fn history(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .arg("history")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_runs_with_their_new_fixed_and_gone() {
    let dir = tempfile::tempdir().unwrap();
    three_nights(&dir.path().join("h.sqlite"));
    let (code, stdout, stderr) = history(dir.path(), &["--history", "h.sqlite", "-f", "csv"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "run,audit moment,violations,new,fixed,gone\n\
         1,2026-11-24T02:00:00+03:00,3,3,0,0\n\
         2,2026-11-25T02:00:00+03:00,2,0,1,0\n\
         3,2026-11-26T02:00:00+03:00,2,1,1,0\n"
    );
    let (_, last_two, _) = history(
        dir.path(),
        &["--history", "h.sqlite", "-f", "csv", "--last", "2"],
    );
    assert_eq!(last_two.lines().count(), 3);
}

#[test]
fn a_managers_and_a_rules_trend() {
    let dir = tempfile::tempdir().unwrap();
    three_nights(&dir.path().join("h.sqlite"));
    // Иванова: 2, 1, 1 violations over 10 deals: 2, 1, 1 per 10 deals.
    let (code, stdout, _) = history(
        dir.path(),
        &[
            "--history",
            "h.sqlite",
            "--manager",
            "Иванова Мария",
            "-f",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let trend: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let points: Vec<(i64, f64)> = trend
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["violations"].as_i64().unwrap(),
                p["per_10_deals"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(points, [(2, 2.0), (1, 1.0), (1, 1.0)]);
    // missing-phone: B, then none, then D.
    let (_, stdout, _) = history(
        dir.path(),
        &[
            "--history",
            "h.sqlite",
            "--rule",
            "missing-phone",
            "-f",
            "csv",
        ],
    );
    let counts: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(counts, ["1", "0", "1"]);
}

#[test]
fn an_unknown_manager_lists_those_the_history_has() {
    let dir = tempfile::tempdir().unwrap();
    three_nights(&dir.path().join("h.sqlite"));
    let (code, _, stderr) = history(
        dir.path(),
        &["--history", "h.sqlite", "--manager", "Сидоров"],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "crm-audit: error: no manager \"Сидоров\" in the history; it has \
         \"Иванова Мария\", \"Петров Алексей\"\n"
    );
}

#[test]
fn a_missing_history_is_an_error_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = history(dir.path(), &["--history", "none.sqlite"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "crm-audit: error: no history at none.sqlite yet: \
         `crm-audit audit … --history none.sqlite` starts one\n"
    );
    assert!(!dir.path().join("none.sqlite").exists());
    // Without --history and without `history` in the rule set.
    let (code, _, stderr) = history(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no history named: give --history FILE"),
        "{stderr}"
    );
}

#[test]
fn the_rule_set_names_the_history_beside_itself() {
    let dir = tempfile::tempdir().unwrap();
    let company = dir.path().join("company");
    std::fs::create_dir(&company).unwrap();
    three_nights(&company.join("history.sqlite"));
    std::fs::write(
        company.join("crm-audit.toml"),
        "extends = \"builtin\"\nhistory = \"history.sqlite\"\n",
    )
    .unwrap();
    // Run from another folder: the path is the rule file's folder's.
    let (code, stdout, stderr) = history(
        dir.path(),
        &["--rules", "company/crm-audit.toml", "-f", "csv"],
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout.lines().count(), 4);
}

#[test]
fn prune_keeps_the_newest_runs() {
    let dir = tempfile::tempdir().unwrap();
    three_nights(&dir.path().join("h.sqlite"));
    let (code, stdout, _) = history(
        dir.path(),
        &["prune", "--keep", "1", "--history", "h.sqlite"],
    );
    assert_eq!(code, 0);
    assert_eq!(stdout, "h.sqlite: forgot 2 run(s), kept the newest 1\n");
    let (_, runs, _) = history(dir.path(), &["--history", "h.sqlite", "-f", "csv"]);
    assert_eq!(
        runs,
        "run,audit moment,violations,new,fixed,gone\n3,2026-11-26T02:00:00+03:00,2,1,1,0\n"
    );
    let (code, _, stderr) = history(
        dir.path(),
        &["prune", "--keep", "0", "--history", "h.sqlite"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("keep at least 1"), "{stderr}");
}

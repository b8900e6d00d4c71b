//! Overlapping exports in one folder: the newer copy of a deal or a task
//! is the one audited, whichever file the folder's name order reads
//! first. `tests/fixtures/overlap/README.md` works out each answer.

use crate::support::*;
use serde_json::Value;
use std::path::PathBuf;

fn overlap(name: &str) -> Vec<u8> {
    let path = fixtures().join("../overlap").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rules() -> String {
    let path: PathBuf = fixtures().join("../overlap/stale.toml");
    path.display().to_string()
}

/// Every violation as (rule, record ID).
fn all_violations(report: &Value) -> Vec<(String, String)> {
    report["violations"]
        .as_array()
        .expect("violations is an array")
        .iter()
        .map(|v| (text(&v["rule"]), text(&v["entity"]["id"])))
        .collect()
}

/// The two orders a folder's name order can read an older and a newer
/// export in: (older file's name, newer file's name).
fn both_orders(older: &str, newer: &str) -> [(String, String); 2] {
    [
        (older.to_string(), newer.to_string()),
        (format!("b_{older}"), format!("a_{newer}")),
    ]
}

#[test]
fn the_newer_copy_of_a_deal_is_audited_whole() {
    let orders = both_orders(
        "amocrm_export_leads_2026-11-20.csv",
        "amocrm_export_leads_2026-11-26.csv",
    );
    for (older, newer) in orders {
        let dir = folder_with(&[
            (&older, &overlap("deals_older.csv")),
            (&newer, &overlap("deals_newer.csv")),
        ]);
        let report = json_in(dir.path(), &[".", "--rules", &rules(), "--as-of", AS_OF]);
        assert_eq!(
            all_violations(&report),
            [("deal-without-task".to_string(), "1003".to_string())],
            "{older} and {newer}"
        );
        let v = violation(&report, "deal-without-task", "1003");
        assert_eq!(v["manager"], "Иванова Мария");
        assert_eq!(v["source"]["file"], format!("./{newer}"));
        assert_eq!(v["source"]["row"], 4);
        // The older export's copies are accounted for, naming the kept copy.
        let kept = |why: &str| {
            format!("an older copy of a deal also in ./{newer} ({why}); that copy is audited")
        };
        let older_input = input(&report, &format!("./{older}"));
        assert_eq!(
            skipped(older_input),
            [
                (kept("a newer export"), 1, vec![5]),
                (kept("changed later there"), 3, vec![2, 3, 4]),
            ],
            "{older} and {newer}"
        );
        assert_eq!(older_input["audited"], 1);
        let newer_input = input(&report, &format!("./{newer}"));
        assert_eq!(newer_input["audited"], 5);
        assert_eq!(skipped(newer_input), []);
    }
}

#[test]
fn an_older_copy_is_said_in_russian_too() {
    let dir = folder_with(&[
        (
            "amocrm_export_leads_2026-11-20.csv",
            &overlap("deals_older.csv"),
        ),
        (
            "amocrm_export_leads_2026-11-26.csv",
            &overlap("deals_newer.csv"),
        ),
    ]);
    let (_, table, stderr) = audit_in(
        dir.path(),
        &[".", "--rules", &rules(), "--as-of", AS_OF, "--lang", "ru"],
    );
    assert!(
        table.contains(
            "3 старая копия сделки, которая есть и в ./amocrm_export_leads_2026-11-26.csv \
             (там изменена позже); проверена та копия"
        ),
        "{table}{stderr}"
    );
}

#[test]
fn the_newer_export_of_a_task_list_says_whether_a_task_is_done_and_when_due() {
    for (older, newer) in both_orders("tasks_2026-11-20.csv", "tasks_2026-11-26.csv") {
        let dir = folder_with(&[
            ("deals.csv", &overlap("deals.csv")),
            (&older, &overlap("tasks_older.csv")),
            (&newer, &overlap("tasks_newer.csv")),
        ]);
        let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
        assert_eq!(
            all_violations(&report),
            [("overdue-task".to_string(), "T2".to_string())],
            "{older} and {newer}"
        );
        assert_eq!(
            violation(&report, "overdue-task", "T2")["source"]["file"],
            format!("./{newer}")
        );
        let kept = format!(
            "an older copy of a task also in ./{newer} (a newer export); that copy is audited"
        );
        assert_eq!(
            skipped(input(&report, &format!("./{older}"))),
            [(kept, 3, vec![2, 3, 4])],
            "{older} and {newer}"
        );
    }
}

//! The same inputs give byte-identical reports, run after run.

use crate::support::*;

#[test]
fn two_runs_give_byte_identical_json_and_table_output() {
    // Five managers, seven files of three kinds, six rules firing.
    let args = [
        "deals_with_tasks.csv",
        "tasks_for_deals.csv",
        "deals_qualification.csv",
        "deals_lost.csv",
        "deals_duplicate_headers.csv",
        "contacts.csv",
        "tasks_bom.csv",
        "--as-of",
        AS_OF,
    ];
    for format in ["json", "table"] {
        let mut with_format = args.to_vec();
        with_format.extend(["--format", format]);
        let (code, first, stderr) = audit(&with_format);
        assert_eq!(code, 1, "{format}: {stderr}");
        let (_, second, _) = audit(&with_format);
        assert!(!first.is_empty());
        assert!(first == second, "{format} output differs between runs");
    }
}

#[test]
fn fingerprints_are_stable_and_distinct() {
    let first = json(&[
        "deals_with_tasks.csv",
        "tasks_for_deals.csv",
        "--as-of",
        AS_OF,
    ]);
    // A later audit moment and a different order of files: the same
    // violations keep their fingerprints.
    let later = json(&[
        "tasks_for_deals.csv",
        "deals_with_tasks.csv",
        "--as-of",
        "2026-11-28 12:00",
    ]);
    let prints = |report: &serde_json::Value| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = violations(report, "deal-without-task")
            .iter()
            .map(|v| (text(&v["entity"]["id"]), text(&v["fingerprint"])))
            .collect();
        v.sort();
        v
    };
    let a = prints(&first);
    assert_eq!(a.len(), 4);
    assert_eq!(a, prints(&later));
    for (_, print) in &a {
        assert_eq!(print.len(), 16);
        assert!(print.chars().all(|c| c.is_ascii_hexdigit()), "{print}");
    }
    let mut distinct: Vec<&String> = a.iter().map(|(_, p)| p).collect();
    distinct.dedup();
    assert_eq!(distinct.len(), 4);
}

//! The bundled example company (`examples/amocrm`): the tool's JSON report
//! must find exactly the violations its README reasons out by hand, in the
//! table between the `expected-violations` markers.

mod common;

use assert_cmd::Command;
use std::collections::BTreeSet;

const AS_OF: &str = "2026-11-27 02:00";

/// (rule, manager, `kind:id`) rows of the README's expected table.
fn expected() -> BTreeSet<common::Row> {
    let rows = common::expected("examples/amocrm");
    assert!(
        rows.len() > 20,
        "the README's table was read: {} rows",
        rows.len()
    );
    rows
}

fn audit_json(paths: &[&str]) -> serde_json::Value {
    let output = Command::cargo_bin("crm-audit")
        .unwrap()
        .arg("audit")
        .args(paths)
        .args(["--as-of", AS_OF, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "violations of severity error exit 1"
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn found(report: &serde_json::Value) -> BTreeSet<common::Row> {
    common::found(report)
}

#[test]
fn the_audit_finds_what_the_readme_reasons_out() {
    let report = audit_json(&["examples/amocrm"]);
    common::assert_same(&expected(), &report);
}

#[test]
fn every_row_of_every_file_is_audited() {
    let report = audit_json(&["examples/amocrm"]);
    let inputs: Vec<(String, String, u64, u64)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap().to_string(),
                i["kind"].as_str().unwrap().to_string(),
                i["rows"].as_u64().unwrap(),
                i["audited"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            (
                "examples/amocrm/call_reviews.csv".into(),
                "call-reviews".into(),
                12,
                12
            ),
            ("examples/amocrm/calls.csv".into(), "calls".into(), 523, 523),
            ("examples/amocrm/deals.xlsx".into(), "deals".into(), 60, 60),
            ("examples/amocrm/tasks.csv".into(), "tasks".into(), 156, 156),
        ]
    );
    // Only the deal planted at an unknown stage escapes a rule, and says
    // so in the report's language (Russian, the built-in regulation's).
    let not_checked: Vec<String> = report["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{}: {}",
                n["rule"].as_str().unwrap(),
                n["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        not_checked,
        ["stage-missing-data: 1 сделка на этапе, которого нет в правилах, не оценена"]
    );
}

#[test]
fn the_csv_source_of_the_deals_gives_the_same_result() {
    let report = audit_json(&[
        "examples/amocrm/source/deals.csv",
        "examples/amocrm/tasks.csv",
        "examples/amocrm/calls.csv",
        "examples/amocrm/call_reviews.csv",
    ]);
    assert_eq!(found(&report), expected());
}

#[test]
fn every_rule_fires_and_one_manager_is_clean() {
    let report = audit_json(&["examples/amocrm"]);
    for (rule, count) in report["totals"]["by_rule"].as_object().unwrap() {
        if rule == "unreadable-value" {
            // Every value cell of the example's exports reads.
            assert_eq!(count, 0, "no unreadable value in the example");
            continue;
        }
        assert!(count.as_u64().unwrap() > 0, "{rule} fires in the example");
    }
    let clean: Vec<&str> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["total"] == 0)
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(clean, ["Иванова Мария"]);
}

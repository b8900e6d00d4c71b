//! Waivers: a violation an active waiver covers is left out; an expired
//! waiver covers nothing; one that covers nothing says so.

use super::testing::*;
use super::{run, WaiverStatus};

fn waiver(rule: &str, entity: &str, until: &str) -> String {
    format!("[[waivers]]\nrule = \"{rule}\"\nentity = \"{entity}\"\nreason = \"согласовано с руководителем\"\nuntil = \"{until}\"\n")
}

fn data(rules: &str) -> TestData {
    TestData::with_company_rules(rules)
        .deals_file(&["nearest-task"])
        .deal("1", "Счет", "Иванова", |_| {})
        .deal("2", "Счет", "Петров", |_| {})
        .tasks_file()
}

#[test]
fn a_waiver_holds_through_its_last_day() {
    let t = data(&waiver("deal-without-task", "deal:1", "2026-11-27"));
    // On the day it expires, deal 1 is still exempt.
    assert_eq!(
        t.run("deal-without-task", "27.11.2026 23:00"),
        vec!["deal:2 Петров stage=Счет"]
    );
    // The next day it is reported again.
    assert_eq!(
        t.run("deal-without-task", "28.11.2026 00:00"),
        vec!["deal:1 Иванова stage=Счет", "deal:2 Петров stage=Счет"]
    );
}

#[test]
fn what_became_of_each_waiver() {
    let rules = format!(
        "{}{}{}",
        waiver("deal-without-task", "deal:1", "2026-12-31"),
        waiver("deal-without-task", "deal:404", "2026-12-31"),
        waiver("deal-without-task", "deal:2", "2026-11-01"),
    );
    let t = data(&rules);
    let outcome = run(&t.data, &t.rules, at("27.11.2026 02:00"));
    let statuses: Vec<_> = outcome
        .waivers
        .iter()
        .map(|w| (w.status, w.matched))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (WaiverStatus::Used, 1),
            (WaiverStatus::Unmatched, 0),
            (WaiverStatus::Expired, 1)
        ]
    );
    assert_eq!(
        outcome.violations.len(),
        1,
        "deal 2's expired waiver covers nothing"
    );
}

#[test]
fn a_waiver_covers_one_rule_only() {
    let t = data(&waiver("missing-phone", "deal:1", "2026-12-31"));
    assert_eq!(t.run("deal-without-task", "27.11.2026 02:00").len(), 2);
}

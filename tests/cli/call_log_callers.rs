//! A generic call log's manager column (`Ответственный`) names the caller.
//! A row whose cell is empty, or names no person (a queue, a group), is
//! nobody's call: it is skipped with the reason, and an outgoing one
//! leaves its day unjudged by the quota, since it may have been anyone's.

use crate::support::{call_log, folder_with, input, json, not_checked, skipped, violations};

/// Иванова's 30 outgoing calls of Thursday 26.11.2026 with her name, and
/// `more` rows of that day as `(manager, direction, count)`.
fn log_with(more: &[(&str, &str, usize)]) -> String {
    let mut log = call_log(&[("Иванова Мария", "26.11.2026", "Исходящий", 30)]);
    for &(manager, direction, count) in more {
        for i in 0..count {
            log.push_str(&format!(
                "26.11.2026 15:{i:02}:00,{manager},{direction},Отвечен\n"
            ));
        }
    }
    log
}

/// The JSON report of `log` audited alone, and the log's path in it.
fn audit_log(log: &str) -> (serde_json::Value, String) {
    let dir = folder_with(&[("calls.csv", log.as_bytes())]);
    let calls = dir.path().join("calls.csv");
    let calls = calls.to_str().unwrap().to_string();
    (json(&[&calls, "--as-of", "2026-11-27 02:00"]), calls)
}

#[test]
fn thirty_named_calls_are_below_the_quota_of_forty() {
    // The guard of the tests below: with nothing else in the log, 30
    // outgoing calls on a working day are below the built-in 40.
    let (report, _) = audit_log(&log_with(&[]));
    let quota = violations(&report, "daily-call-quota");
    assert_eq!(quota.len(), 1, "{report:#}");
    assert_eq!(quota[0]["manager"], "Иванова Мария");
}

#[test]
fn outgoing_calls_with_an_empty_manager_leave_the_day_unjudged() {
    // Ten more outgoing calls that day name no manager: they may be
    // Иванова's (30 + 10 = 40, her quota met), so 26.11 is not judged.
    let (report, path) = audit_log(&log_with(&[("", "Исходящий", 10)]));
    assert!(
        violations(&report, "daily-call-quota").is_empty(),
        "{report:#}"
    );
    let why = not_checked(&report, "daily-call-quota").join("\n");
    assert!(why.contains("26.11.2026") && why.contains("10"), "{why}");
    // Every row is accounted for: 30 audited, 10 skipped with the reason.
    let calls = input(&report, &path);
    assert_eq!(calls["audited"], 30, "{calls:#}");
    let skips = skipped(calls);
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert_eq!(skips[0].0, "outgoing call without a manager");
    assert_eq!(skips[0].1, 10);
}

#[test]
fn a_queue_in_the_manager_column_is_no_manager() {
    // An incoming call answered by the sales queue: no person, so no
    // manager with a day of 0 outgoing calls; Иванова's day is judged as
    // before (an incoming call does not count toward the quota).
    let (report, path) = audit_log(&log_with(&[("Очередь продаж", "Входящий", 1)]));
    let quota = violations(&report, "daily-call-quota");
    let managers: Vec<&str> = quota
        .iter()
        .map(|v| v["manager"].as_str().unwrap())
        .collect();
    assert_eq!(managers, ["Иванова Мария"], "{report:#}");
    let skips = skipped(input(&report, &path));
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert!(
        skips[0].0.contains("«Очередь продаж» is not a person"),
        "{skips:?}"
    );
}

#[test]
fn a_name_with_a_format_character_before_it_is_no_group() {
    // Ten more outgoing calls that day name `<U+200B>Иванова Мария`, a
    // zero-width space pasted before the name: they are hers (the
    // character hides no lower-case word that would make the cell read as
    // a group), all 40 rows are audited, and 30 + 10 meets the quota.
    let (report, path) = audit_log(&log_with(&[("\u{200B}Иванова Мария", "Исходящий", 10)]));
    let calls = input(&report, &path);
    assert_eq!(calls["audited"], 40, "{calls:#}");
    assert!(skipped(calls).is_empty(), "{calls:#}");
    assert!(
        violations(&report, "daily-call-quota").is_empty(),
        "{report:#}"
    );
}

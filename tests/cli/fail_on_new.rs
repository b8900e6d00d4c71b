//! `--fail-on new-error` / `new-warning` (`new` is `new-error`): with a
//! history, only violations new since the last run fail the run, so a
//! nightly job alerts on what broke tonight, not on what everyone already
//! knows is open. Without a history it is a usage error.

use crate::support::{audit_in, folder_with, AS_OF};
use std::path::Path;

/// 801 (Иванова) and 802 (Петров), in work at `Счет`, with phones and
/// contacts; night 3 adds 803 (Иванова), whose only phone is `12-34`: no
/// number one could call (invalid-phone, a warning).
const DEALS: &str =
    "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Мобильный телефон (контакт)\n\
801,Радиаторы для дома,Орлов Игорь,Иванова Мария,Счет,+7 927 555-66-77\n\
802,Котел в гараж,Зайцева Ольга,Петров Алексей,Счет,+7 927 555-11-22\n";
const DEAL_803: &str = "803,Бойлер,Белова Анна,Иванова Мария,Счет,12-34\n";

/// T1 (801) and T2 (802) open, due 25.11 10:00: overdue (errors) from
/// night 1 on; T3 keeps 802 with a later task; T5 keeps 803 with one.
const TASKS: &str = "ID,ID сделки,Ответственный,Срок,Выполнена\n\
T1,801,Иванова Мария,25.11.2026 10:00,Нет\n\
T2,802,Петров Алексей,25.11.2026 10:00,Нет\n\
T3,802,Петров Алексей,30.11.2026 10:00,Нет\n\
T5,803,Иванова Мария,30.11.2026 10:00,Нет\n";
/// T4 (801), open and due 26.11 10:00: a new overdue task (an error).
const TASK_T4: &str = "T4,801,Иванова Мария,26.11.2026 10:00,Нет\n";

fn night(dir: &Path, history: &str, as_of: &str, fail_on: &str) -> i32 {
    let args = [
        "deals.csv",
        "tasks.csv",
        "--as-of",
        as_of,
        "--history",
        history,
        "--fail-on",
        fail_on,
        "--format",
        "json",
    ];
    let (code, _, stderr) = audit_in(dir, &args);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    code
}

#[test]
fn only_violations_new_since_the_last_run_fail_it() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    let dir = dir.path();
    // Night 1: T1 and T2 are overdue, and new (the history is empty).
    assert_eq!(
        night(dir, "history.sqlite", "2026-11-27 02:00", "new-error"),
        1
    );
    // Night 2: the same two, open since night 1: nothing new. Plain
    // `--fail-on error` would fail on them (checked on a copy, so this
    // history records night 2 once).
    std::fs::copy(dir.join("history.sqlite"), dir.join("copy.sqlite")).unwrap();
    assert_eq!(night(dir, "copy.sqlite", "2026-11-27 03:00", "error"), 1);
    assert_eq!(
        night(dir, "history.sqlite", "2026-11-27 03:00", "new-error"),
        0
    );
    // Night 3: deal 803 comes with an implausible phone: a new warning,
    // and no new error. new-error passes, new-warning fails.
    std::fs::write(dir.join("deals.csv"), format!("{DEALS}{DEAL_803}")).unwrap();
    std::fs::copy(dir.join("history.sqlite"), dir.join("copy.sqlite")).unwrap();
    assert_eq!(
        night(dir, "copy.sqlite", "2026-11-27 04:00", "new-error"),
        0
    );
    assert_eq!(
        night(dir, "history.sqlite", "2026-11-27 04:00", "new-warning"),
        1
    );
    // Night 4: T4 is a new overdue task: `--fail-on new` (new errors) fails.
    std::fs::write(dir.join("tasks.csv"), format!("{TASKS}{TASK_T4}")).unwrap();
    assert_eq!(night(dir, "history.sqlite", "2026-11-27 05:00", "new"), 1);
    // Night 5: nothing new; new-warning passes though errors and warnings
    // stay open.
    assert_eq!(
        night(dir, "history.sqlite", "2026-11-27 06:00", "new-warning"),
        0
    );
}

#[test]
fn failing_on_new_violations_needs_a_history() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    for (value, named) in [
        ("new", "new-error"),
        ("new-error", "new-error"),
        ("new-warning", "new-warning"),
    ] {
        let (code, stdout, stderr) = audit_in(
            dir.path(),
            &[
                "deals.csv",
                "tasks.csv",
                "--as-of",
                AS_OF,
                "--fail-on",
                value,
            ],
        );
        assert_eq!((code, stdout.as_str()), (2, ""), "{value}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "crm-audit: error: --fail-on {named} counts only violations new since the last \
                 run, which a history tells: give --history FILE (or `history` in the rule set), \
                 or --baseline PREVIOUS.json"
            )
        );
    }
    // The rule set's `history` is a history too.
    std::fs::write(
        dir.path().join("company.toml"),
        "extends = \"builtin\"\nhistory = \"nights.sqlite\"\n",
    )
    .unwrap();
    let (code, _, stderr) = audit_in(
        dir.path(),
        &[
            "deals.csv",
            "tasks.csv",
            "--rules",
            "company.toml",
            "--as-of",
            AS_OF,
            "--fail-on",
            "new",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(dir.path().join("nights.sqlite").exists());
}

//! Daily counts at their boundaries: exactly the quota, exactly the
//! capacity, a holiday, a transferred working Saturday, days the call log
//! does not cover.

use crate::audit::testing::*;
use crate::value::Direction::{Incoming, Outgoing};

#[test]
fn calls_plus_letters_against_the_quota() {
    // Friday 27.11.2026, 02:00: the day judged is Thursday 26.11.
    let t = TestData::new()
        .deals_file(&[])
        .deal("1", "Счет", "Соколова", |_| {})
        .tasks_file()
        .letter("Петров", "26.11.2026 12:00")
        .letter("Петров", "25.11.2026 12:00")
        .calls_file()
        .calls("Иванова", "26.11.2026 10:00", Outgoing, 40)
        .calls("Петров", "26.11.2026 10:00", Outgoing, 38)
        .calls("Петров", "26.11.2026 11:00", Incoming, 10)
        .calls("Петров", "25.11.2026 11:00", Outgoing, 10);
    assert_eq!(
        t.run("daily-call-quota", "27.11.2026 02:00"),
        // Sokolova (named in deals only): none at all; Petrov: 38 calls + 1
        // letter that day; Ivanova: exactly the quota.
        vec![
            "day:Соколова/2026-11-26 Соколова date=26.11.2026 count=0 limit=40 calls=0 letters=0",
            "day:Петров/2026-11-26 Петров date=26.11.2026 count=39 limit=40 calls=38 letters=1"
        ]
    );
}

#[test]
fn only_working_days_the_log_covers_are_judged() {
    let t = TestData::with_company_rules("[rules.daily-call-quota]\ndays = 3\n")
        .calls_file()
        .calls("Иванова", "26.11.2026 10:00", Outgoing, 3)
        .calls("Иванова", "30.11.2026 10:00", Outgoing, 50);
    let t = ["26.11.2026 11:00", "27.11.2026 11:00", "30.11.2026 11:00"]
        .iter()
        .fold(t, |t, day| t.calls("Петров", day, Outgoing, 40));
    // Tuesday 01.12: the three working days before are 30.11, 27.11, 26.11
    // (28 and 29 are a weekend); the log covers 26.11–30.11. Petrov met the
    // quota each day; Ivanova made none on 27.11, a day the log holds.
    let found = t.run("daily-call-quota", "01.12.2026 09:00");
    assert_eq!(found.len(), 2);
    assert!(
        found[0].starts_with("day:Иванова/2026-11-26 Иванова date=26.11.2026 count=3 "),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("day:Иванова/2026-11-27 Иванова date=27.11.2026 count=0 "),
        "{found:?}"
    );
    // Monday 07.12: judged days 04.12, 03.12, 02.12 are all after the log ends.
    assert!(t.run("daily-call-quota", "07.12.2026 09:00").is_empty());
    assert_eq!(
        t.not_checked("daily-call-quota", "07.12.2026 09:00"),
        vec![
            "02.12.2026 not judged: the call log covers 26.11.2026 to 30.11.2026",
            "03.12.2026 not judged: the call log covers 26.11.2026 to 30.11.2026",
            "04.12.2026 not judged: the call log covers 26.11.2026 to 30.11.2026",
            "letters are not counted (no task list among the inputs): the quota is judged on calls alone"
        ]
    );
}

#[test]
fn a_day_the_log_holds_no_call_of_is_judged_for_no_one() {
    // Tuesday 24.11 and Thursday 26.11 are in the log, Wednesday 25.11 is
    // not (a daily file missing): on Friday 27.11 with `days = 3`, 25.11
    // is said not judged rather than a day of 0 calls for both. On 26.11
    // Petrov called and Ivanova did not: that day is judged.
    let t = TestData::with_company_rules("[rules.daily-call-quota]\ndays = 3\n")
        .calls_file()
        .calls("Иванова", "24.11.2026 10:00", Outgoing, 40)
        .calls("Петров", "24.11.2026 10:00", Outgoing, 40)
        .calls("Петров", "26.11.2026 10:00", Outgoing, 40);
    let found = t.run("daily-call-quota", "27.11.2026 02:00");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("day:Иванова/2026-11-26 Иванова date=26.11.2026 count=0 "),
        "{found:?}"
    );
    assert!(t
        .not_checked("daily-call-quota", "27.11.2026 02:00")
        .contains(&"25.11.2026 not judged: the call log has no call at all that day (a missing file, or an outage?)".to_string()));
}

#[test]
fn a_holiday_is_not_judged() {
    // Thursday 05.11.2026: the day before, Wednesday 04.11, is a public
    // holiday, so the working day judged is Tuesday 03.11.
    let t = TestData::new()
        .calls_file()
        .calls("Иванова", "03.11.2026 10:00", Outgoing, 40)
        .calls("Иванова", "04.11.2026 10:00", Outgoing, 1);
    assert!(t.run("daily-call-quota", "05.11.2026 09:00").is_empty());
}

#[test]
fn a_transferred_working_saturday_is_judged() {
    // A company calendar with Saturday 28.11.2026 as a working day: on
    // Monday 30.11 the working day before is that Saturday.
    let t = TestData::with_company_rules("[calendar]\nworking-days = [\"2026-11-28\"]\n")
        .calls_file()
        .calls("Иванова", "27.11.2026 10:00", Outgoing, 40)
        .calls("Иванова", "28.11.2026 10:00", Outgoing, 12);
    let found = t.run("daily-call-quota", "30.11.2026 09:00");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("day:Иванова/2026-11-28 "), "{found:?}");
    // Without the transfer, Friday 27.11 is judged, and it met the quota.
    let plain = TestData::new()
        .calls_file()
        .calls("Иванова", "27.11.2026 10:00", Outgoing, 40)
        .calls("Иванова", "28.11.2026 10:00", Outgoing, 12);
    assert!(plain.run("daily-call-quota", "30.11.2026 09:00").is_empty());
}

#[test]
fn per_manager_quota_and_no_call_log() {
    let t = TestData::with_company_rules(
        "[rules.daily-call-quota]\nper-manager = { \"Иванова\" = 20 }\n",
    )
    .calls_file()
    .calls("Иванова", "26.11.2026 10:00", Outgoing, 20)
    .calls("Петров", "26.11.2026 10:00", Outgoing, 20);
    let found = t.run("daily-call-quota", "27.11.2026 02:00");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("day:Петров/2026-11-26 Петров date=26.11.2026 count=20 limit=40"),
        "{found:?}"
    );
    let none = TestData::new()
        .deals_file(&[])
        .deal("1", "Счет", "Иванова", |_| {});
    assert_eq!(
        none.not_checked("daily-call-quota", "27.11.2026 02:00"),
        vec!["no call log among the inputs"]
    );
}

#[test]
fn task_overload_counts_open_tasks_due_each_day_ahead() {
    let mut t =
        TestData::with_company_rules("[rules.task-overload]\nat-most = 2\ndays-ahead = 2\n")
            .tasks_file();
    // Friday 27.11 (the audit date), then Monday 30.11 and Tuesday 01.12.
    for (id, due) in [
        ("A1", "27.11.2026 10:00"),
        ("A2", "27.11.2026"),
        ("A3", "27.11.2026 18:00"),
    ] {
        t = t.task(id, "1", "Иванова", Some(due), false);
    }
    for (id, due) in [("B1", "30.11.2026 10:00"), ("B2", "30.11.2026 11:00")] {
        t = t.task(id, "1", "Иванова", Some(due), false);
    }
    // Completed tasks and tasks beyond the window are not load.
    t = t
        .task("C1", "1", "Иванова", Some("01.12.2026 10:00"), true)
        .task("C2", "1", "Иванова", Some("01.12.2026 10:00"), true)
        .task("C3", "1", "Иванова", Some("01.12.2026 10:00"), true)
        .task("D1", "1", "Иванова", Some("02.12.2026 10:00"), false)
        .task("D2", "1", "Иванова", Some("02.12.2026 10:00"), false)
        .task("D3", "1", "Иванова", Some("02.12.2026 10:00"), false);
    assert_eq!(
        t.run("task-overload", "27.11.2026 09:00"),
        // 3 due on 27.11 is over 2; exactly 2 on 30.11 is fine.
        vec!["day:Иванова/2026-11-27 Иванова date=27.11.2026 count=3 limit=2"]
    );
}

#[test]
fn the_roster_gives_quotas_and_days_off() {
    let t = TestData::with_company_rules(
        "[[managers]]\nname = \"Иванова\"\nquota = 20\n\
         [[managers]]\nname = \"Петров\"\nabsent = [\"2026-11-26\"]\n",
    )
    .calls_file()
    .calls("Иванова", "26.11.2026 10:00", Outgoing, 20)
    .calls("Петров", "26.11.2026 10:00", Outgoing, 2)
    .calls("Соколова", "26.11.2026 10:00", Outgoing, 39);
    // Ivanova meets her own quota of 20; Petrov was off that day; Sokolova
    // (not in the roster) has the rule's 40.
    let found = t.run("daily-call-quota", "27.11.2026 02:00");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("day:Соколова/2026-11-26 Соколова date=26.11.2026 count=39 limit=40"),
        "{found:?}"
    );
}

#[test]
fn a_day_with_calls_from_unknown_extensions_is_not_judged() {
    let t = TestData::new()
        .calls_file()
        .calls("Иванова", "25.11.2026 10:00", Outgoing, 1)
        .calls("Иванова", "26.11.2026 10:00", Outgoing, 3)
        .unattributed("26.11.2026 11:00", "203")
        .unattributed("26.11.2026 12:00", "203");
    // Ivanova's 3 calls might not be all of hers: the day is not judged.
    assert!(t.run("daily-call-quota", "27.11.2026 02:00").is_empty());
    assert_eq!(
        t.not_checked("daily-call-quota", "27.11.2026 02:00"),
        vec![
            "26.11.2026 not judged: 2 outgoing call(s) from extension(s) 203 the managers roster does not know",
            "letters are not counted (no task list among the inputs): the quota is judged on calls alone"
        ]
    );
    // The day before had none: it is judged.
    assert_eq!(t.run("daily-call-quota", "26.11.2026 09:00").len(), 1);
}

#[test]
fn a_holiday_of_another_decreed_year_is_not_judged() {
    // A real Sipuni log of March 2023: Thursday 09.03.2023, the day before
    // is Wednesday 8 March, a public holiday (decree of 29.08.2022 No 1505),
    // so the working day judged is Tuesday 07.03, where the quota was met.
    let t = TestData::new()
        .calls_file()
        .calls("Иванова", "07.03.2023 10:00", Outgoing, 40)
        .calls("Иванова", "08.03.2023 10:00", Outgoing, 1);
    assert!(t.run("daily-call-quota", "09.03.2023 09:00").is_empty());
    assert!(t.notes("09.03.2023 09:00").is_empty(), "2023 is decreed");
}

#[test]
fn a_year_without_a_decree_falls_back_to_the_labour_code_and_says_so() {
    // Tuesday 11.05.2027: no decree for 2027 in the rule set. By the Labour
    // Code, 9 May (a Sunday) moves to Monday 10 May, so the working day
    // judged is Friday 07.05, where the quota was met; 10.05 is not judged.
    let t = TestData::new()
        .calls_file()
        .calls("Иванова", "07.05.2027 10:00", Outgoing, 40)
        .calls("Иванова", "10.05.2027 10:00", Outgoing, 1);
    assert!(t.run("daily-call-quota", "11.05.2027 09:00").is_empty());
    assert_eq!(
        t.notes("11.05.2027 09:00"),
        vec!["calendar for 2027 estimated from the Labour Code: add the decree's transfers to the rule set"]
    );
    // A day of 2026 judged on 04.12.2026 needs no estimate.
    let t = TestData::new()
        .calls_file()
        .calls("Иванова", "03.12.2026 10:00", Outgoing, 40);
    assert!(t.notes("04.12.2026 09:00").is_empty());
}

#[test]
fn beyond_the_calendar_not_checked_leaves_the_day_unjudged() {
    // The same log, with a rule set that does not estimate: Friday 07.05.2027
    // (the Labour Code's working day before 11.05) is not judged, even with
    // too few calls, and the report says why.
    let t = TestData::with_company_rules("[calendar]\nbeyond-calendar = \"not-checked\"\n")
        .calls_file()
        .calls("Иванова", "07.05.2027 10:00", Outgoing, 3);
    assert!(t.run("daily-call-quota", "11.05.2027 09:00").is_empty());
    assert!(t
        .not_checked("daily-call-quota", "11.05.2027 09:00")
        .contains(
            &"07.05.2027 not judged: the rule set has no production calendar for 2027".to_string()
        ));
    assert!(t.notes("11.05.2027 09:00").is_empty());
}

#[test]
fn a_manager_whose_only_work_is_a_task_done_that_day_is_judged() {
    // Friday 27.11.2026, 02:00: the day judged is Thursday 26.11. Orlova
    // and Zaitsev have only closed deals; Orlova completed a task on
    // 26.11 (she was at work and made no call), Zaitsev only on 25.11 and
    // at 00:00 on 27.11 (nothing says he worked on 26.11: not judged).
    let t = TestData::new()
        .deals_file(&[])
        .deal("1", "Успешно реализовано", "Орлова", |_| {})
        .deal("2", "Успешно реализовано", "Зайцев", |_| {})
        .tasks_file()
        .closed_task("T1", "1", "Орлова", "20.11.2026 10:00", "26.11.2026 18:00", "26.11.2026 23:59")
        .closed_task("T2", "2", "Зайцев", "20.11.2026 10:00", "25.11.2026 18:00", "25.11.2026 23:59")
        .closed_task("T3", "2", "Зайцев", "20.11.2026 10:00", "27.11.2026 00:00", "27.11.2026 00:00")
        .calls_file()
        .calls("Иванова", "26.11.2026 10:00", Outgoing, 40);
    assert_eq!(
        t.run("daily-call-quota", "27.11.2026 02:00"),
        vec!["day:Орлова/2026-11-26 Орлова date=26.11.2026 count=0 limit=40 calls=0 letters=0"]
    );
    let not_checked = t.not_checked("daily-call-quota", "27.11.2026 02:00");
    assert!(
        not_checked.iter().any(|n| n.contains("Зайцев")),
        "{not_checked:?}"
    );
    assert!(
        !not_checked.iter().any(|n| n.contains("Орлова")),
        "{not_checked:?}"
    );
}

use super::*;
use chrono::Datelike;
use crate::audit::testing::*;
use crate::value::Direction::{Incoming, Outgoing};

fn day(text: &str) -> NaiveDate {
    at(&format!("{text} 00:00")).date()
}

/// The log of three managers over four days; the days asked about are
/// 26.11 and 27.11 (25.11 and 30.11 are outside them).
fn sweep() -> (TestData, CallSweep) {
    let mut t = TestData::new()
        .calls_file()
        .calls("Иванова", "25.11.2026 10:00", Outgoing, 7)
        .calls("Иванова", "26.11.2026 10:00", Outgoing, 3)
        .calls("Иванова", "26.11.2026 11:00", Incoming, 2)
        .calls("Петров", "27.11.2026 09:00", Incoming, 1)
        .calls("Сидоров", "30.11.2026 18:00", Outgoing, 4);
    // Of Ivanova's calls on 26.11, one was not answered, one does not
    // say: the count below judges by `answered` alone.
    let first_on_26 = t.data.calls.iter().position(|c| c.time.day() == 26).unwrap();
    t.data.calls[first_on_26].answered = Some(false);
    t.data.calls[first_on_26 + 1].answered = None;
    let days = [day("26.11.2026"), day("27.11.2026")];
    let sweep = CallSweep::new(&t.data, &days, |call| call.answered);
    (t, sweep)
}


#[test]
fn the_span_is_every_call_s_days_asked_about_or_not() {
    let (_, sweep) = sweep();
    assert_eq!(sweep.span, Some((day("25.11.2026"), day("30.11.2026"))));
    assert!(sweep.holds(day("26.11.2026")));
    assert!(sweep.holds(day("27.11.2026")));
    // A day not asked about is not known to be held, whatever its calls.
    assert!(!sweep.holds(day("25.11.2026")));
}

#[test]
fn every_manager_a_call_names_and_who_called_on_each_day() {
    let (t, sweep) = sweep();
    let names = |ids: Vec<ManagerId>| -> Vec<&str> {
        let mut names: Vec<&str> = ids.iter().map(|&m| t.data.manager_name(m)).collect();
        names.sort();
        names
    };
    assert_eq!(
        names(sweep.named().collect()),
        ["Иванова", "Петров", "Сидоров"]
    );
    // An incoming call is a call: Petrov was at work on 27.11.
    assert_eq!(names(sweep.calling_on(day("26.11.2026")).collect()), ["Иванова"]);
    assert_eq!(names(sweep.calling_on(day("27.11.2026")).collect()), ["Петров"]);
    assert_eq!(sweep.calling_on(day("30.11.2026")).count(), 0);
}

#[test]
fn outgoing_calls_counted_and_those_that_may_count() {
    let (t, sweep) = sweep();
    let ivanova = t.data.managers.get("Иванова").unwrap();
    // Three outgoing on 26.11: one answered, one not, one unknown; the
    // two incoming ones count for nothing.
    assert_eq!(
        sweep.outgoing_on(day("26.11.2026")).collect::<Vec<_>>(),
        [(ivanova, 1, 1)]
    );
    // Petrov's only call of 27.11 was incoming.
    assert_eq!(sweep.outgoing_on(day("27.11.2026")).count(), 0);
}

#[test]
fn no_calls_and_no_days_asked_about() {
    let t = TestData::new().calls_file();
    let sweep = CallSweep::new(&t.data, &[day("26.11.2026")], |_| Some(true));
    assert_eq!(sweep.span, None);
    assert!(!sweep.holds(day("26.11.2026")));
    let (t, _) = self::sweep();
    let sweep = CallSweep::new(&t.data, &[], |_| Some(true));
    assert_eq!(sweep.named().count(), 3);
    assert!(!sweep.holds(day("26.11.2026")));
    assert_eq!(sweep.outgoing_on(day("26.11.2026")).count(), 0);
}

#[test]
fn a_manager_the_names_do_not_list_yet_is_counted_too() {
    let (mut t, _) = sweep();
    let stranger = t.data.managers.len() as ManagerId + 2;
    let mut call = t.data.calls[0];
    (call.manager, call.time) = (stranger, at("27.11.2026 15:00"));
    t.data.calls.push(call);
    let days = [day("26.11.2026"), day("27.11.2026")];
    let sweep = CallSweep::new(&t.data, &days, |_| Some(true));
    assert!(sweep.named().any(|m| m == stranger));
    assert!(sweep.calling_on(day("27.11.2026")).any(|m| m == stranger));
    assert!(sweep
        .outgoing_on(day("27.11.2026"))
        .any(|c| c == (stranger, 1, 0)));
    // The managers before it keep their own days.
    assert_eq!(sweep.calling_on(day("26.11.2026")).count(), 1);
}

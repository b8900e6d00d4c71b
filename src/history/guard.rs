//! The completeness guard: before a run is recorded, tonight's inputs are
//! held against the last run's, so an export cut short cannot mark a
//! hundred violations fixed. A kind of input the last run read and tonight
//! lacks, deals falling by more than the allowed share (the rule set's
//! `history-drop-threshold`), or call logs that end before the day the
//! call quota judges, stop the run (the caller's `--accept-drop` records
//! it anyway).

use crate::model::Dataset;
use crate::rules::columns::EntityKind;
use crate::rules::{Check, Counted, RuleSet, Window};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;

/// Rows per kind of input (`deals`, `tasks`, `calls`, …) of one run.
pub type RowsByKind = BTreeMap<String, u64>;

/// What dropped since the last run, one sentence each; empty when nothing
/// did. `max_drop` is the largest allowed fall in deals (0.3 is 30%).
pub fn dropped(last: &RowsByKind, tonight: &RowsByKind, max_drop: f64) -> Vec<String> {
    let mut found = Vec::new();
    for (kind, &rows) in last {
        if rows > 0 && tonight.get(kind).copied().unwrap_or(0) == 0 {
            found.push(format!(
                "no {kind} tonight: the last run read {rows} row(s) of {kind}"
            ));
        }
    }
    let before = last.get("deals").copied().unwrap_or(0);
    let now = tonight.get("deals").copied().unwrap_or(0);
    if before > 0 && now > 0 && now < before {
        let fall = (before - now) as f64 / before as f64;
        if fall > max_drop {
            found.push(format!(
                "deals fell from {before} to {now} ({:.0}% fewer; at most {:.0}% is allowed)",
                fall * 100.0,
                max_drop * 100.0
            ));
        }
    }
    found
}

/// When call logs are among tonight's inputs and a rule counts outgoing
/// calls: whether the logs end before the latest day that rule judges (the
/// working day before the audit date), a log exported or pulled too early
/// or cut short. Read before the calls are freed.
pub fn call_logs_end_early(
    data: &Dataset,
    rules: &RuleSet,
    as_of: NaiveDateTime,
) -> Option<String> {
    if !data.has_kind(EntityKind::Calls) {
        return None;
    }
    let judged = rules
        .rules
        .iter()
        .filter_map(|r| match &r.check {
            Check::DailyCount(count) => match (&count.counted, count.window) {
                (Counted::OutgoingContacts { .. }, Window::Back(n)) => rules
                    .calendar
                    .working_days_before(as_of.date(), n)
                    .first()
                    .copied(),
                _ => None,
            },
            _ => None,
        })
        .max()?;
    calls_end_before(last_call_day(data), judged)
}

/// The latest day of a call in the logs read: a manager's or no one's,
/// read whole or with a value (not its time) unreadable.
fn last_call_day(data: &Dataset) -> Option<NaiveDate> {
    let calls = data.calls.iter().map(|c| c.time.date());
    let unreadable = data.unreadable_calls.iter().filter_map(|c| c.date);
    let no_ones = data.unattributed_calls.iter().filter_map(|u| u.date);
    calls.chain(unreadable).chain(no_ones).max()
}

/// What is wrong when the logs' last call (`None`: no call at all) is
/// before `judged`, the day the call quota judges.
fn calls_end_before(last: Option<NaiveDate>, judged: NaiveDate) -> Option<String> {
    let day = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    match last {
        Some(last) if last >= judged => None,
        Some(last) => Some(format!(
            "the call logs end on {}, before {}, the day the call quota judges",
            day(last),
            day(judged)
        )),
        None => Some(format!(
            "the call logs hold no call, and the call quota judges {}",
            day(judged)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(list: &[(&str, u64)]) -> RowsByKind {
        list.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    #[test]
    fn a_kind_missing_tonight_stops_the_run() {
        let last = rows(&[("deals", 60), ("tasks", 156), ("calls", 523)]);
        let tonight = rows(&[("deals", 60), ("tasks", 150)]);
        assert_eq!(
            dropped(&last, &tonight, 0.30),
            ["no calls tonight: the last run read 523 row(s) of calls"]
        );
    }

    #[test]
    fn deals_may_fall_by_the_allowed_share_and_no_more() {
        let last = rows(&[("deals", 100)]);
        // 70 of 100 is a fall of exactly 30%: allowed.
        assert!(dropped(&last, &rows(&[("deals", 70)]), 0.30).is_empty());
        // 69 is 31%.
        assert_eq!(
            dropped(&last, &rows(&[("deals", 69)]), 0.30),
            ["deals fell from 100 to 69 (31% fewer; at most 30% is allowed)"]
        );
        // A company setting of 50%.
        assert!(dropped(&last, &rows(&[("deals", 69)]), 0.50).is_empty());
        // No deals at all is the missing-kind case, said once.
        assert_eq!(
            dropped(&last, &rows(&[]), 0.30),
            ["no deals tonight: the last run read 100 row(s) of deals"]
        );
    }

    #[test]
    fn call_logs_must_reach_the_day_the_quota_judges() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        assert_eq!(calls_end_before(Some(d(26)), d(26)), None);
        assert_eq!(calls_end_before(Some(d(27)), d(26)), None);
        assert_eq!(
            calls_end_before(Some(d(25)), d(26)).as_deref(),
            Some(
                "the call logs end on 25.11.2026, before 26.11.2026, the day the call quota judges"
            )
        );
        assert_eq!(
            calls_end_before(None, d(26)).as_deref(),
            Some("the call logs hold no call, and the call quota judges 26.11.2026")
        );
    }

    #[test]
    fn growth_and_a_first_run_pass() {
        let tonight = rows(&[("deals", 200), ("calls", 10)]);
        assert!(dropped(&rows(&[("deals", 100)]), &tonight, 0.30).is_empty());
        assert!(dropped(&rows(&[]), &tonight, 0.30).is_empty());
    }
}

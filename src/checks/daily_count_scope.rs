//! Whom and which days the outgoing-contacts count judges: the days the
//! call log covers and holds a call of, no call of an unknown caller; the
//! people at work or named by the rule set; not those a call or letter
//! that cannot be read may change. Each day or person left out is said
//! under "not checked"; nothing here counts.

use super::calls::CallSweep;
use crate::audit::{Reason, Sink};
use crate::model::{day_number, Dataset, ManagerId, Unattributed, UNASSIGNED};
use crate::rules::columns::EntityKind;
use crate::value::Direction;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Outgoing calls with a value that cannot be read may be the ones that
/// fill a quota: one whose time cannot be read may be any day's, so its
/// manager is judged on no day (taken out of `managers`); one whose time
/// is read (its duration is not) leaves that manager's day unjudged, among
/// the pairs returned. Says both under "not checked".
pub(super) fn unreadable_calls(
    data: &Dataset,
    judged: &[NaiveDate],
    answered_only: bool,
    managers: &mut BTreeSet<ManagerId>,
    sink: &mut Sink,
) -> BTreeSet<(ManagerId, NaiveDate)> {
    // A call plainly not answered could fill no quota of answered calls.
    let outgoing: Vec<&crate::model::UnreadableCall> = data
        .unreadable_calls
        .iter()
        .filter(|c| c.direction == Direction::Outgoing && managers.contains(&c.manager))
        .filter(|c| !(answered_only && c.answered == Some(false)))
        .collect();
    let any_day: BTreeSet<ManagerId> = outgoing
        .iter()
        .filter(|c| c.date.is_none())
        .map(|c| c.manager)
        .collect();
    if !any_day.is_empty() {
        managers.retain(|m| !any_day.contains(m));
        sink.not_checked(Reason::CallTimeUnreadable(any_day.len()));
    }
    let days: BTreeSet<(ManagerId, NaiveDate)> = outgoing
        .iter()
        .filter_map(|c| Some((c.manager, c.date?)))
        .filter(|(m, d)| !any_day.contains(m) && judged.contains(d))
        .collect();
    let mut by_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for &(_, day) in &days {
        *by_day.entry(day).or_default() += 1;
    }
    for (day, count) in by_day {
        sink.not_checked(Reason::CallValueUnreadable {
            day,
            managers: count,
        });
    }
    days
}

/// Letters count as outgoing contacts; where no task list can show them
/// (none given, or one without a type or completion-date column), the
/// report says the quota is judged on calls alone. Whether every task
/// list shows them.
pub(super) fn say_if_letters_are_uncounted(data: &Dataset, sink: &mut Sink) -> bool {
    use crate::rules::columns::TaskField;
    if !data.has_kind(EntityKind::Tasks) {
        sink.not_checked(Reason::LettersNotCounted);
        return false;
    }
    let mut counted = true;
    for file in data.files_of(EntityKind::Tasks) {
        if !file.has(TaskField::Type.index()) || !file.has(TaskField::CompletedAt.index()) {
            counted = false;
            sink.not_checked(Reason::LettersNotCountedIn {
                file: file.path.clone(),
            });
        }
    }
    counted
}

/// The days of `days` the call log covers; says why the others are not judged.
pub(super) fn days_the_log_covers(
    data: &Dataset,
    days: Vec<NaiveDate>,
    sweep: &CallSweep,
    sink: &mut Sink,
) -> Option<Vec<NaiveDate>> {
    if !data.has_kind(EntityKind::Calls) {
        sink.not_checked(Reason::NoCallLog);
        return None;
    }
    // The log's days are those of all its calls, a manager's or not, read
    // whole or not (a day is known unless the time is what is unreadable):
    // the calls read, as the sweep found them, and the others.
    let unread = data.unreadable_calls.iter().filter_map(|c| c.date);
    let others = unread.chain(data.unattributed_calls.iter().filter_map(|u| u.date));
    // The first, the last, and which of `days` the log holds.
    let (mut first, mut last) = sweep.span.unzip();
    let mut holds: Vec<bool> = days.iter().map(|&day| sweep.holds(day)).collect();
    for date in others {
        first = Some(first.map_or(date, |f| f.min(date)));
        last = Some(last.map_or(date, |l| l.max(date)));
        if let Some(k) = days.iter().position(|d| *d == date) {
            holds[k] = true;
        }
    }
    let held: Vec<NaiveDate> = days
        .iter()
        .zip(&holds)
        .filter(|(_, &h)| h)
        .map(|(d, _)| *d)
        .collect();
    let (Some(first), Some(last)) = (first, last) else {
        sink.not_checked(Reason::NoCalls);
        return None;
    };
    let (mut judged, outside): (Vec<NaiveDate>, Vec<NaiveDate>) =
        days.into_iter().partition(|d| (first..=last).contains(d));
    for day in outside {
        sink.not_checked(Reason::OutsideLog { day, first, last });
    }
    // A working day inside the span with no call at all, anyone's, is a
    // day the log does not hold (a daily file missing, an outage), not a
    // day the whole department sat idle.
    judged.retain(|day| {
        let held = held.contains(day);
        if !held {
            sink.not_checked(Reason::NoCallThatDay(*day));
        }
        held
    });
    judged.retain(|day| {
        let mut unknown: Vec<&Unattributed> = data
            .unattributed_calls
            .iter()
            // One whose time cannot be read may be any day's.
            .filter(|u| u.date.is_none_or(|d| d == *day))
            .collect();
        if unknown.is_empty() {
            return true;
        }
        unknown.sort_by(|a, b| (a.why, &a.caller).cmp(&(b.why, &b.caller)));
        for same in unknown.chunk_by(|a, b| a.why == b.why) {
            let mut callers: Vec<&str> = same.iter().map(|u| u.caller.as_ref()).collect();
            callers.dedup();
            sink.not_checked(Reason::UnknownCallers {
                day: *day,
                calls: same.len(),
                why: same[0].why,
                callers: callers.iter().map(|c| c.to_string()).collect(),
            });
        }
        false
    });
    Some(judged)
}

/// Everyone named as responsible in the inputs, and everyone `listed` (the
/// roster's people are managers even with no record: `input::roster_people`).
pub(super) fn everyone(
    data: &Dataset,
    sweep: &CallSweep,
    listed: &dyn Fn(&str) -> bool,
) -> BTreeSet<ManagerId> {
    let unassigned = data.managers.get(UNASSIGNED);
    // A lead export names admins and robots too: its people are judged
    // only where deals, tasks or calls name them.
    let mut named = Flags::new(data);
    named.set_all(
        data.deals
            .iter()
            .filter(|d| !data.is_lead(d))
            .map(|d| d.manager),
    );
    named.set_all(data.tasks.iter().map(|t| t.manager));
    named.set_all(sweep.named());
    named.set_all((0..data.managers.len() as ManagerId).filter(|&m| listed(data.manager_name(m))));
    named
        .into_set()
        .into_iter()
        .filter(|m| Some(*m) != unassigned)
        .collect()
}

/// A flag per manager, for the passes over millions of records that find
/// who is named (a flag set is cheaper than a search of an ordered set).
struct Flags(Vec<bool>);

impl Flags {
    fn new(data: &Dataset) -> Flags {
        Flags(vec![false; data.managers.len()])
    }

    fn set_all(&mut self, managers: impl Iterator<Item = ManagerId>) {
        for m in managers {
            let m = m as usize;
            if m >= self.0.len() {
                self.0.resize(m + 1, false);
            }
            self.0[m] = true;
        }
    }

    fn into_set(self) -> BTreeSet<ManagerId> {
        (0..self.0.len())
            .filter(|&m| self.0[m])
            .map(|m| m as ManagerId)
            .collect()
    }
}

/// Of those named responsible, the people at work in the days judged: a
/// deal in work, an open task (or one whose state cannot be read), a task
/// done or a call on a day judged; and everyone `listed`. Clause 2 binds
/// the department's managers: one named only by closed deals and old
/// tasks (a former employee) is not judged, and the report names them.
pub(super) fn at_work(
    data: &Dataset,
    named: BTreeSet<ManagerId>,
    judged: &[NaiveDate],
    sweep: &CallSweep,
    listed: &dyn Fn(&str) -> bool,
    sink: &mut Sink,
) -> BTreeSet<ManagerId> {
    if judged.is_empty() {
        return named;
    }
    let on_a_judged_day = |date: Option<NaiveDate>| date.is_none_or(|d| judged.contains(&d));
    // A completion's day told by its number: a sweep of every task.
    let judged_days: Vec<i64> = judged.iter().map(|d| day_number(*d)).collect();
    let mut busy = Flags::new(data);
    busy.set_all(
        data.deals
            .iter()
            .filter(|d| !data.is_lead(d) && data.stage(d).matched.in_work())
            .map(|d| d.manager),
    );
    busy.set_all(
        data.tasks
            .iter()
            .filter(|t| {
                t.is_open()
                    || t.unreadable
                    || t
                        .completed_at
                        .day_number()
                        .is_some_and(|day| judged_days.contains(&day))
            })
            .map(|t| t.manager),
    );
    for &day in judged {
        busy.set_all(sweep.calling_on(day));
    }
    busy.set_all(
        data.unreadable_calls
            .iter()
            .filter(|c| on_a_judged_day(c.date))
            .map(|c| c.manager),
    );
    let busy = busy.into_set();
    let (judged, idle): (BTreeSet<ManagerId>, BTreeSet<ManagerId>) = named
        .into_iter()
        .partition(|m| busy.contains(m) || listed(data.manager_name(*m)));
    if !idle.is_empty() {
        let mut names: Vec<String> = idle
            .iter()
            .map(|m| data.manager_name(*m).to_string())
            .collect();
        names.sort();
        sink.not_checked(Reason::Idle(names));
    }
    judged
}


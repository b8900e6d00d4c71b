//! Counts per manager per working day against a bound. Two things are
//! counted: outgoing contacts (clause 2: outgoing calls plus completed
//! letter tasks, for the working days before the audit date, at least the
//! quota) and open tasks due (clause 4: for the audit date and the working
//! days ahead, at most the daily capacity).
//!
//! Outgoing contacts are judged only for days the call log covers: a log
//! exported before a day began says nothing of it; nor on a day an
//! outgoing call of the manager's may belong to but could not be read.

use self::calls::CallSweep;
use self::params::compile_count;
use self::scope::{
    at_work, days_the_log_covers, everyone, say_if_letters_are_uncounted, unreadable_calls,
};
use super::compile::Compile;
use super::shared::{fill, say_which_calendars_are_estimated, within_the_calendar};
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Entity, Note, Reason, Sink, Value};
use crate::input::Wants;
use crate::model::{Dataset, ManagerId, UNASSIGNED};
use crate::rules::columns::EntityKind;
use crate::rules::compile::Result;
use crate::rules::RuleSet;
use crate::value::TaskType;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a daily count counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Counted {
    /// Outgoing calls plus completed letter tasks (clause 2).
    OutgoingContacts {
        answered_only: bool,
        min_duration_seconds: u32,
        letter_task_types: Vec<TaskType>,
    },
    /// Open tasks due that day (clause 4: check the load before setting a due date).
    OpenTasksDue,
}

/// The bound a daily count must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    AtLeast(u32),
    AtMost(u32),
}

impl Bound {
    pub fn limit(self) -> u32 {
        match self {
            Bound::AtLeast(n) | Bound::AtMost(n) => n,
        }
    }

    pub fn with_limit(self, n: u32) -> Bound {
        match self {
            Bound::AtLeast(_) => Bound::AtLeast(n),
            Bound::AtMost(_) => Bound::AtMost(n),
        }
    }

    pub fn holds(self, count: u32) -> bool {
        match self {
            Bound::AtLeast(n) => count >= n,
            Bound::AtMost(n) => count <= n,
        }
    }
}

/// Which working days a daily count judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The N working days before the audit date.
    Back(u32),
    /// The audit date (if a working day) and the N working days after it.
    Ahead(u32),
}

/// A count per manager per working day against a bound.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyCount {
    pub counted: Counted,
    pub bound: Bound,
    pub window: Window,
    /// The limit per manager, by any name the files or the roster use for
    /// them (matched ignoring case when the rule runs).
    pub per_manager: HashMap<String, u32>,
}

/// `{date}`: the working day judged.
const DATE: Placeholder = Placeholder::new("date");
/// `{count}`: what was counted that day.
const COUNT: Placeholder = Placeholder::new("count");
/// `{limit}` (or `{quota}`): the bound the day is held to.
const LIMIT: Placeholder = Placeholder::new("limit");
const QUOTA: Placeholder = Placeholder::from_key("quota", "limit");
/// `{calls}`, `{letters}`: the outgoing calls and letters counted.
const CALLS: Placeholder = Placeholder::new("calls");
const LETTERS: Placeholder = Placeholder::new("letters");

impl Kind for DailyCount {
    const NAME: &'static str = "daily-count";
    const PARAMS: &'static [Param] = &[Param::new("count", Shape::Text), Param::new("at-least", Shape::Count), Param::new("at-most", Shape::Count), Param::new("days", Shape::Count), Param::new("days-ahead", Shape::Count), Param::new("per-manager", Shape::Counts), Param::new("answered-only", Shape::Flag), Param::new("min-duration-seconds", Shape::Count), Param::new("letter-task-types", Shape::List)];
    const PLACEHOLDERS: &'static [Placeholder] = &[DATE, COUNT, LIMIT, QUOTA, CALLS, LETTERS];

    fn compile(cx: &mut Compile) -> Result<Self> {
        compile_count(cx)
    }

    fn describe(&self, _: &RuleSet, out: &mut Described) {
        params::describe(self, out);
    }

    /// Calls' statuses and durations, where the count reads them.
    fn needs(&self, needs: &mut Wants) {
        if let Counted::OutgoingContacts {
            answered_only,
            min_duration_seconds,
            ..
        } = &self.counted
        {
            needs.call_status |= *answered_only;
            needs.call_duration |= *min_duration_seconds > 0;
        }
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        check(cx.data, cx.rules, self, cx.as_of, sink);
    }
}

/// Per manager and day: (calls, letters) or (open tasks, 0).
type Counts = HashMap<(ManagerId, NaiveDate), (u32, u32)>;

/// Per manager and day: the outgoing calls that may count or not, the log
/// not saying whether they were answered or how long they were.
type Maybe = HashMap<(ManagerId, NaiveDate), u32>;

/// What a count found: per manager and day, the days judged, the managers
/// judged, and the (manager, day) pairs that cannot be judged.
struct Found {
    counts: Counts,
    /// Calls that may count, besides `counts`.
    maybe: Maybe,
    /// Whether letters were counted (a task list shows them).
    letters_counted: bool,
    judged: Vec<NaiveDate>,
    managers: BTreeSet<ManagerId>,
    unsure: BTreeSet<(ManagerId, NaiveDate)>,
}

fn check(
    data: &Dataset,
    rules: &RuleSet,
    count: &DailyCount,
    as_of: NaiveDateTime,
    sink: &mut Sink,
) {
    let days = within_the_calendar(rules, window(rules, count.window, as_of), sink);
    let found = match &count.counted {
        Counted::OutgoingContacts {
            answered_only,
            min_duration_seconds,
            letter_task_types,
        } => {
            let counted = (*answered_only, *min_duration_seconds, &letter_task_types[..]);
            let own = super::per_manager::own_settings(data, rules, &count.per_manager);
            let named: BTreeSet<&str> = own
                .by_manager
                .keys()
                .map(|&m| data.manager_name(m))
                .collect();
            let listed = |name: &str| rules.roster.find(name).is_some() || named.contains(name);
            count_outgoing(data, days, counted, &listed, sink)
        }
        Counted::OpenTasksDue => count_open_tasks(data, days, sink),
    };
    if let Some(found) = found {
        say_which_calendars_are_estimated(rules, &found.judged, sink);
        judge(data, rules, count, found, sink);
    }
}

/// The working days the window spans, in order.
fn window(rules: &RuleSet, window: Window, as_of: NaiveDateTime) -> Vec<NaiveDate> {
    match window {
        Window::Back(n) => {
            let mut days = rules.calendar.working_days_before(as_of.date(), n);
            days.reverse();
            days
        }
        Window::Ahead(n) => {
            let mut days: Vec<NaiveDate> = Vec::new();
            if rules.calendar.is_working_day(as_of.date()) {
                days.push(as_of.date());
            }
            days.extend(rules.calendar.working_days_after(as_of.date(), n));
            days
        }
    }
}

/// Outgoing contacts on the days the call log covers; `counted`: answered
/// calls only, their least duration, the task types that are letters;
/// `listed`: whether the rule set names a person (the roster, the rule's
/// own limits), who is judged even with nothing at work.
fn count_outgoing(
    data: &Dataset,
    days: Vec<NaiveDate>,
    (answered_only, min_duration_seconds, letter_task_types): (bool, u32, &[TaskType]),
    listed: &dyn Fn(&str) -> bool,
    sink: &mut Sink,
) -> Option<Found> {
    let sweep = CallSweep::new(data, &days, |call| {
        counts_as_contact(call, answered_only, min_duration_seconds)
    });
    let judged = days_the_log_covers(data, days, &sweep, sink)?;
    let letters_counted =
        letter_task_types.is_empty() || say_if_letters_are_uncounted(data, sink);
    let (counts, maybe) = outgoing(data, &judged, &sweep, letter_task_types);
    // Everyone named responsible is judged, with 0 if they made no
    // call; but a letter task whose state or date cannot be read
    // may be a letter of any day: its manager is not judged.
    let unsure: Vec<ManagerId> = data
        .tasks
        .iter()
        .filter(|t| t.unreadable && letter_task_types.contains(&t.task_type))
        .map(|t| t.manager)
        .collect();
    let named = everyone(data, &sweep, listed);
    let mut managers = at_work(data, named, &judged, &sweep, listed, sink);
    let before = managers.len();
    managers.retain(|m| !unsure.contains(m));
    if managers.len() < before {
        sink.not_checked(Reason::LetterUnreadable(before - managers.len()));
    }
    let unsure = unreadable_calls(data, &judged, answered_only, &mut managers, sink);
    Some(Found {
        counts,
        maybe,
        letters_counted,
        judged,
        managers,
        unsure,
    })
}

/// Open tasks due on each day.
fn count_open_tasks(data: &Dataset, days: Vec<NaiveDate>, sink: &mut Sink) -> Option<Found> {
    if !data.has_kind(EntityKind::Tasks) {
        sink.not_checked(Reason::NoTasksFile);
        return None;
    }
    let counts = open_tasks_due(data, &days);
    let managers = counts.keys().map(|(m, _)| *m).collect();
    Some(Found {
        counts,
        maybe: Maybe::new(),
        letters_counted: true,
        judged: days,
        managers,
        unsure: BTreeSet::new(),
    })
}

/// Each manager's count of each day judged against their bound.
fn judge(data: &Dataset, rules: &RuleSet, count: &DailyCount, found: Found, sink: &mut Sink) {
    let outgoing = matches!(count.counted, Counted::OutgoingContacts { .. });
    let own = super::per_manager::own_settings(data, rules, &count.per_manager);
    for unmatched in own.unmatched {
        sink.note(Note::PerManagerUnmatched {
            rule: sink.rule_name(),
            name: unmatched.name,
            nearest: unmatched.nearest,
        });
    }
    // Per day, the managers whose calls of unknown outcome may fill it.
    let mut unknown_outcome: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for manager in found.managers {
        let name = data.manager_name(manager);
        let person = rules.roster.find(name);
        let bound = match (
            own.by_manager.get(&manager),
            person.and_then(|p| p.quota),
        ) {
            (Some(&limit), _) => count.bound.with_limit(limit),
            (None, Some(quota)) if outgoing => count.bound.with_limit(quota),
            _ => count.bound,
        };
        for &date in &found.judged {
            if outgoing && person.is_some_and(|p| p.absent.contains(&date)) {
                continue;
            }
            if found.unsure.contains(&(manager, date)) {
                continue;
            }
            let (first, letters) = found.counts.get(&(manager, date)).copied().unwrap_or((0, 0));
            let total = first + letters;
            // Calls the log does not say enough of may count or not: the
            // day is judged only where the bound says the same with none
            // of them and with all; otherwise it is not judged.
            let maybe = found.maybe.get(&(manager, date)).copied().unwrap_or(0);
            match (bound.holds(total), bound.holds(total + maybe)) {
                (true, true) => continue,
                (false, false) => {}
                _ => {
                    *unknown_outcome.entry(date).or_default() += 1;
                    continue;
                }
            }
            // Short of an "at least": the count is known only as at most
            // so many. Over an "at most", the count read is a floor, and
            // is said as read.
            let known = |n: u32| match bound {
                Bound::AtLeast(_) if maybe > 0 => Value::AtMost(i64::from(n + maybe)),
                _ => Value::Int(i64::from(n)),
            };
            let mut details = vec![
                fill(DATE, Value::Date(date)),
                fill(COUNT, known(total)),
                fill(LIMIT, Value::Int(i64::from(bound.limit()))),
            ];
            if outgoing {
                details.push(fill(CALLS, known(first)));
                let letters = if found.letters_counted || letters > 0 {
                    Value::Int(i64::from(letters))
                } else {
                    Value::NotCounted
                };
                details.push(fill(LETTERS, letters));
            }
            sink.violation(manager, Entity::ManagerDay(manager, date), details);
        }
    }
    for (day, managers) in unknown_outcome {
        sink.not_checked(Reason::CallOutcomeUnknown { day, managers });
    }
}

/// Whether an outgoing call counts: answered (where only answered ones
/// do) and long enough (where a least duration is set). `None` when the
/// log does not say: no status or no duration, in the row or the file.
fn counts_as_contact(
    call: &crate::model::Call,
    answered_only: bool,
    min_seconds: u32,
) -> Option<bool> {
    let answered = if answered_only { call.answered } else { Some(true) };
    let long_enough = match (min_seconds, call.duration) {
        (0, _) => Some(true),
        (_, Some(seconds)) => Some(seconds >= min_seconds),
        (_, None) => None,
    };
    match (answered, long_enough) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// The contacts counted per manager and day, and the calls that may count.
fn outgoing(
    data: &Dataset,
    days: &[NaiveDate],
    sweep: &CallSweep,
    letter_task_types: &[TaskType],
) -> (Counts, Maybe) {
    let mut counts = Counts::new();
    let mut maybe = Maybe::new();
    for &date in days {
        for (manager, counted, may) in sweep.outgoing_on(date) {
            if counted > 0 {
                counts.insert((manager, date), (counted, 0));
            }
            if may > 0 {
                maybe.insert((manager, date), may);
            }
        }
    }
    // Only a letter's completion date is unpacked.
    for task in &data.tasks {
        if !(task.completed && letter_task_types.contains(&task.task_type)) {
            continue;
        }
        let Some(done) = task.completed_at.get() else {
            continue;
        };
        let date = done.date();
        if days.contains(&date) {
            counts.entry((task.manager, date)).or_default().1 += 1;
        }
    }
    (counts, maybe)
}

fn open_tasks_due(data: &Dataset, days: &[NaiveDate]) -> Counts {
    let unassigned = data.managers.get(UNASSIGNED);
    let mut counts = Counts::new();
    for task in data
        .tasks
        .iter()
        .filter(|t| t.is_open() && Some(t.manager) != unassigned)
    {
        if let Some(due) = task.due.get() {
            if days.contains(&due.date()) {
                counts.entry((task.manager, due.date())).or_default().0 += 1;
            }
        }
    }
    counts
}

#[path = "daily_count_calls.rs"]
mod calls;
#[path = "daily_count_params.rs"]
mod params;
#[path = "daily_count_scope.rs"]
mod scope;
#[cfg(test)]
#[path = "daily_count_tests.rs"]
mod tests;

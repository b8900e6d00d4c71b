//! Counts per manager per working day against a bound. Two things are
//! counted: outgoing contacts (clause 2: outgoing calls plus completed
//! letter tasks, for the working days before the audit date, at least the
//! quota) and open tasks due (clause 4: for the audit date and the working
//! days ahead, at most the daily capacity).
//!
//! Outgoing contacts are judged only for days the call log covers: a log
//! exported before a day began says nothing of it; nor on a day an
//! outgoing call of the manager's may belong to but could not be read.

use super::compile::Compile;
use super::shared::{fill, say_which_calendars_are_estimated, within_the_calendar};
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Entity, Note, Reason, Sink, Value};
use crate::input::Wants;
use crate::model::{Dataset, ManagerId, Unattributed, UNASSIGNED};
use crate::rules::columns::EntityKind;
use crate::rules::compile::Result;
use crate::rules::RuleSet;
use crate::value::{normalize_name, Direction, TaskType};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use toml::Spanned;

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
        describe(self, out);
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

/// What a count found: per manager and day, the days judged, the managers
/// judged, and the (manager, day) pairs that cannot be judged.
struct Found {
    counts: Counts,
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
            count_outgoing(data, days, counted, sink)
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
/// calls only, their least duration, the task types that are letters.
fn count_outgoing(
    data: &Dataset,
    days: Vec<NaiveDate>,
    (answered_only, min_duration_seconds, letter_task_types): (bool, u32, &[TaskType]),
    sink: &mut Sink,
) -> Option<Found> {
    let judged = days_the_log_covers(data, days, sink)?;
    if !letter_task_types.is_empty() {
        say_if_letters_are_uncounted(data, sink);
    }
    let counts = outgoing(
        data,
        &judged,
        answered_only,
        min_duration_seconds,
        letter_task_types,
    );
    // Everyone named responsible is judged, with 0 if they made no
    // call; but a letter task whose state or date cannot be read
    // may be a letter of any day: its manager is not judged.
    let unsure: Vec<ManagerId> = data
        .tasks
        .iter()
        .filter(|t| t.unreadable && letter_task_types.contains(&t.task_type))
        .map(|t| t.manager)
        .collect();
    let mut managers = everyone(data);
    let before = managers.len();
    managers.retain(|m| !unsure.contains(m));
    if managers.len() < before {
        sink.not_checked(Reason::LetterUnreadable(before - managers.len()));
    }
    let unsure = unreadable_calls(data, &judged, answered_only, &mut managers, sink);
    Some(Found {
        counts,
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
            if bound.holds(total) {
                continue;
            }
            let mut details = vec![
                fill(DATE, Value::Date(date)),
                fill(COUNT, Value::Int(i64::from(total))),
                fill(LIMIT, Value::Int(i64::from(bound.limit()))),
            ];
            if outgoing {
                details.push(fill(CALLS, Value::Int(i64::from(first))));
                details.push(fill(LETTERS, Value::Int(i64::from(letters))));
            }
            sink.violation(manager, Entity::ManagerDay(manager, date), details);
        }
    }
}

/// Outgoing calls with a value that cannot be read may be the ones that
/// fill a quota: one whose time cannot be read may be any day's, so its
/// manager is judged on no day (taken out of `managers`); one whose time
/// is read (its duration is not) leaves that manager's day unjudged, among
/// the pairs returned. Says both under "not checked".
fn unreadable_calls(
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
/// report says the quota is judged on calls alone.
fn say_if_letters_are_uncounted(data: &Dataset, sink: &mut Sink) {
    use crate::rules::columns::TaskField;
    if !data.has_kind(EntityKind::Tasks) {
        sink.not_checked(Reason::LettersNotCounted);
        return;
    }
    for file in data.files_of(EntityKind::Tasks) {
        if !file.has(TaskField::Type.index()) || !file.has(TaskField::CompletedAt.index()) {
            sink.not_checked(Reason::LettersNotCountedIn {
                file: file.path.clone(),
            });
        }
    }
}

/// The days of `days` the call log covers; says why the others are not judged.
fn days_the_log_covers(
    data: &Dataset,
    days: Vec<NaiveDate>,
    sink: &mut Sink,
) -> Option<Vec<NaiveDate>> {
    if !data.has_kind(EntityKind::Calls) {
        sink.not_checked(Reason::NoCallLog);
        return None;
    }
    // The log's days are those of all its calls, a manager's or not, read
    // whole or not (a day is known unless the time is what is unreadable).
    let dates = || {
        let calls = data.calls.iter().map(|c| c.time.date());
        let unread = data.unreadable_calls.iter().filter_map(|c| c.date);
        calls
            .chain(unread)
            .chain(data.unattributed_calls.iter().filter_map(|u| u.date))
    };
    let (first, last) = (dates().min(), dates().max());
    let (Some(first), Some(last)) = (first, last) else {
        sink.not_checked(Reason::NoCalls);
        return None;
    };
    let (mut judged, outside): (Vec<NaiveDate>, Vec<NaiveDate>) =
        days.into_iter().partition(|d| (first..=last).contains(d));
    for day in outside {
        sink.not_checked(Reason::OutsideLog { day, first, last });
    }
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

fn outgoing(
    data: &Dataset,
    days: &[NaiveDate],
    answered_only: bool,
    min_duration_seconds: u32,
    letter_task_types: &[TaskType],
) -> Counts {
    let mut counts = Counts::new();
    for call in &data.calls {
        let date = call.time.date();
        let counted = call.direction == Direction::Outgoing
            && (!answered_only || call.answered == Some(true))
            && (min_duration_seconds == 0
                || call.duration.is_some_and(|d| d >= min_duration_seconds));
        if counted && days.contains(&date) {
            counts.entry((call.manager, date)).or_default().0 += 1;
        }
    }
    for task in &data.tasks {
        let Some(done) = task.completed_at.get() else {
            continue;
        };
        let date = done.date();
        if task.completed && letter_task_types.contains(&task.task_type) && days.contains(&date) {
            counts.entry((task.manager, date)).or_default().1 += 1;
        }
    }
    counts
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

/// Everyone named as responsible in the inputs, in order of first appearance.
fn everyone(data: &Dataset) -> BTreeSet<ManagerId> {
    let unassigned = data.managers.get(UNASSIGNED);
    // A lead export names admins and robots too: its people are judged
    // only where deals, tasks or calls name them.
    let named = data
        .deals
        .iter()
        .filter(|d| !data.is_lead(d))
        .map(|d| d.manager)
        .chain(data.tasks.iter().map(|t| t.manager))
        .chain(data.calls.iter().map(|c| c.manager));
    named.filter(|m| Some(*m) != unassigned).collect()
}

/// What `count` counts, with the keys that say how.
fn counted(cx: &Compile) -> Result<Counted> {
    let count = cx.needs(cx.text("count"), "count")?;
    Ok(match count.get_ref().trim() {
        "outgoing-contacts" => Counted::OutgoingContacts {
            answered_only: cx.flag("answered-only").is_some_and(|a| *a.get_ref()),
            min_duration_seconds: cx.count("min-duration-seconds").map_or(0, |m| *m.get_ref()),
            letter_task_types: cx
                .list("letter-task-types")
                .unwrap_or_default()
                .iter()
                .map(|t| match t.get_ref().trim() {
                    "email" => Ok(TaskType::Email),
                    "call" => Ok(TaskType::Call),
                    "meeting" => Ok(TaskType::Meeting),
                    "other" => Ok(TaskType::Other),
                    other => Err(cx.error(
                        Some(t.span()),
                        format!("task type `{other}` in letter-task-types: use email, call, meeting or other"),
                    )),
                })
                .collect::<Result<Vec<_>>>()?,
        },
        "open-tasks-due" => {
            for (param, set) in [
                ("answered-only", cx.flag("answered-only").is_some()),
                ("min-duration-seconds", cx.count("min-duration-seconds").is_some()),
                ("letter-task-types", cx.list("letter-task-types").is_some()),
            ] {
                if set {
                    return Err(cx.error(
                        Some(count.span()),
                        format!("`{param}` applies to count = \"outgoing-contacts\", not \"open-tasks-due\""),
                    ));
                }
            }
            Counted::OpenTasksDue
        }
        other => {
            return Err(cx.error(
                Some(count.span()),
                format!("count `{other}`: use \"outgoing-contacts\" or \"open-tasks-due\""),
            ))
        }
    })
}

fn compile_count(cx: &mut Compile) -> Result<DailyCount> {
    let counted = counted(cx)?;
    if matches!(counted, Counted::OutgoingContacts { .. }) && cx.count("days-ahead").is_some() {
        return Err(cx.error(
            cx.count("days-ahead").map(|d| d.span()),
            "outgoing contacts are counted for days past (`days`), not `days-ahead`",
        ));
    }
    let bound = match (cx.count("at-least"), cx.count("at-most")) {
        (Some(n), None) => Bound::AtLeast(*n.get_ref()),
        (None, Some(n)) => Bound::AtMost(*n.get_ref()),
        _ => {
            return Err(cx.error(
                Some(cx.name.span()),
                format!(
                    "rule {} needs exactly one of `at-least` and `at-most`",
                    cx.name.get_ref()
                ),
            ))
        }
    };
    let window = match (cx.count("days"), cx.count("days-ahead")) {
        (Some(d), None) => Window::Back(checked_days(cx, d)?),
        (None, Some(d)) => Window::Ahead(checked_days(cx, d)?),
        _ => {
            return Err(cx.error(
                Some(cx.name.span()),
                format!(
                    "rule {} needs exactly one of `days` (before the audit date) and `days-ahead`",
                    cx.name.get_ref()
                ),
            ))
        }
    };
    Ok(DailyCount {
        counted,
        bound,
        window,
        per_manager: cx
            .counts("per-manager")
            .into_iter()
            .flatten()
            .map(|(name, n)| (normalize_name(name), *n.get_ref()))
            .collect(),
    })
}

fn checked_days(cx: &Compile, days: &Spanned<u32>) -> Result<u32> {
    let n = *days.get_ref();
    if (1..=31).contains(&n) {
        Ok(n)
    } else {
        Err(cx.error(
            Some(days.span()),
            format!("{n} days: judge from 1 to 31 working days"),
        ))
    }
}

/// The count, its bound, its days and each manager's own limit.
fn describe(d: &DailyCount, out: &mut Described) {
    let mut push = |k: &str, v: String| out.push((k.to_string(), v));
    match &d.counted {
        Counted::OutgoingContacts {
            answered_only,
            min_duration_seconds,
            letter_task_types,
        } => {
            push(
                "count",
                "outgoing-contacts (outgoing calls + completed letter tasks)".into(),
            );
            push("answered-only", answered_only.to_string());
            push("min-duration-seconds", min_duration_seconds.to_string());
            let types: Vec<String> = letter_task_types
                .iter()
                .map(|t| format!("{t:?}").to_lowercase())
                .collect();
            push("letter-task-types", types.join(", "));
        }
        Counted::OpenTasksDue => push("count", "open-tasks-due".into()),
    }
    match d.bound {
        Bound::AtLeast(n) => push("at-least", n.to_string()),
        Bound::AtMost(n) => push("at-most", n.to_string()),
    }
    match d.window {
        Window::Back(n) => push("days", format!("{n} working day(s) before the audit date")),
        Window::Ahead(n) => push(
            "days-ahead",
            format!("the audit date and {n} working day(s) after"),
        ),
    }
    let mut managers: Vec<_> = d.per_manager.iter().collect();
    managers.sort();
    for (name, n) in managers {
        push(&format!("per-manager «{name}»"), n.to_string());
    }
}

#[cfg(test)]
#[path = "daily_count_tests.rs"]
mod tests;

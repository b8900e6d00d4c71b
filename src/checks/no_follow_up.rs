//! `no-follow-up`, clause 5, second half: when a contact failed (the task's result says so:
//! "не дозвонился", "перезвонить", …), a task for a repeat contact must be
//! set. A completed task whose result reports a failed contact, on a deal
//! still in work, fails when the deal has no other task created or due
//! after the failed task's completion.

use super::failure_words::FailureWords;
use super::shared::fill;
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Column, Entity, Reason, Sink, Value};
use crate::input::Wants;
use crate::model::{Dataset, NO_DEAL};
use crate::rules::columns::{EntityKind, TaskField};
use crate::rules::RuleSet;
use crate::value::Moment;
use chrono::NaiveDateTime;

/// A failed contact with no task set after it.
#[derive(Debug, Clone)]
pub struct NoFollowUp {
    /// Words of a result that report a failed contact, lowercase.
    pub patterns: Vec<String>,
    /// The words made into a finder once: any of them, ignoring case. The
    /// readers' filter of the results worth keeping is this over every
    /// rule's words (the one rule's own finder, where there is one), so it
    /// keeps whatever some rule's own finder finds.
    matcher: Option<FailureWords>,
}

/// `{result}`: the failed task's result.
const RESULT: Placeholder = Placeholder::new("result");
/// `{completed}`: when the failed task was completed.
const COMPLETED: Placeholder = Placeholder::new("completed");

impl Kind for NoFollowUp {
    const NAME: &'static str = "no-follow-up";
    const PARAMS: &'static [Param] = &[Param::new("failure-patterns", Shape::List)];
    const PLACEHOLDERS: &'static [Placeholder] = &[RESULT, COMPLETED];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        let patterns = cx.needs(cx.list("failure-patterns"), "failure-patterns")?;
        let patterns: Vec<String> = patterns
            .iter()
            .map(|p| p.get_ref().trim().to_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        Ok(NoFollowUp {
            matcher: FailureWords::new(&patterns),
            patterns,
        })
    }

    fn describe(&self, _: &RuleSet, out: &mut Described) {
        let words: Vec<String> = self.patterns.iter().map(|p| format!("«{p}»")).collect();
        out.push(("failure-patterns".into(), words.join(", ")));
    }

    fn needs(&self, needs: &mut Wants) {
        needs.failure_words.extend(self.matcher.clone());
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        check(cx.data, self.matcher.as_ref(), sink);
    }
}

/// Whether some task list has the result and completion columns; says
/// which lack them.
fn judgeable(data: &Dataset, sink: &mut Sink) -> bool {
    if !data.has_kind(EntityKind::Tasks) {
        sink.not_checked(Reason::NoTasksFile);
        return false;
    }
    let mut judged_somewhere = false;
    for file in data.files_of(EntityKind::Tasks) {
        if !file.has(TaskField::Result.index()) {
            sink.not_checked(Reason::NoColumn {
                file: file.path.clone(),
                column: Column::Result,
            });
        } else if !file.has(TaskField::CompletedAt.index()) {
            sink.not_checked(Reason::NoColumn {
                file: file.path.clone(),
                column: Column::CompletionDate,
            });
        } else {
            judged_somewhere = true;
        }
    }
    judged_somewhere
}

/// Whether another task of the deal was set after the failure at `done`:
/// created after it (the same minute included: exports keep minutes, and a
/// date without a time counts as the end of its day), or due after it and
/// not closed before it. Closing an old overdue task late is no follow-up,
/// and neither is a task done before the failure. `siblings`: the deal's
/// tasks.
fn followed(data: &Dataset, failed: usize, siblings: &[u32], done: NaiveDateTime) -> bool {
    siblings.iter().map(|&j| j as usize).any(|j| {
        let other = &data.tasks[j];
        j != failed
            && (other.created_at.get().is_some_and(|c| c >= done)
                || (other.due.get().is_some_and(|d| d.deadline() > done)
                    && other.completed_at.get().is_none_or(|closed| closed >= done)))
    })
}

/// Judges the completed tasks whose result `words` match: the readers keep
/// the results any follow-up rule's words match, other rules' among them.
fn check(data: &Dataset, words: Option<&FailureWords>, sink: &mut Sink) {
    if !judgeable(data, sink) {
        return;
    }
    let Some(words) = words else {
        return;
    };
    // Only the failed contacts' deals' tasks are gathered. One sweep of
    // the tasks (large records, millions of them) finds the failures and
    // notes every task's deal; the rest reads the notes.
    let mut failed: Vec<usize> = Vec::new();
    let deal_of: Vec<u32> = (data.tasks.iter().enumerate())
        .map(|(i, t)| {
            if t.completed
                && !t.failed_result.is_empty()
                && words.is_match(data.text(t.failed_result))
            {
                failed.push(i);
            }
            t.deal
        })
        .collect();
    if failed.is_empty() {
        return;
    }
    let mut wanted = vec![false; data.deals.len()];
    for &i in &failed {
        if deal_of[i] != NO_DEAL {
            wanted[deal_of[i] as usize] = true;
        }
    }
    // The tasks of each deal with a failure, grouped by deal in task
    // order: counted per deal, then placed (a counting sort; sorting
    // (deal, task) pairs was slower where most deals have a failure).
    let wanted_deal = |d: u32| (d != NO_DEAL && wanted[d as usize]).then_some(d as usize);
    let mut starts = vec![0usize; data.deals.len() + 1];
    for deal in deal_of.iter().filter_map(|&d| wanted_deal(d)) {
        starts[deal + 1] += 1;
    }
    for d in 0..data.deals.len() {
        starts[d + 1] += starts[d];
    }
    let mut by_deal = vec![0u32; starts[data.deals.len()]];
    let mut next = starts.clone();
    for (i, &d) in deal_of.iter().enumerate() {
        if let Some(deal) = wanted_deal(d) {
            by_deal[next[deal]] = i as u32;
            next[deal] += 1;
        }
    }
    let tasks_of = |deal: usize| &by_deal[starts[deal]..starts[deal + 1]];
    let mut unknown_deal = 0usize;
    let mut undated = 0usize;
    let mut unsure = 0usize;
    for i in failed {
        let task = &data.tasks[i];
        if task.unreadable {
            continue;
        }
        let result = data.text(task.failed_result);
        let Some(done) = task.completed_at.get() else {
            undated += 1;
            continue;
        };
        // A lead's task: no-follow-up judges deals' (it takes no `leads`).
        let Some(deal) = task.deal().filter(|_| !task.to_lead) else {
            unknown_deal += 1;
            continue;
        };
        if !data.stage(&data.deals[deal]).matched.in_work() {
            continue;
        }
        // A task of the deal with an unreadable date or state may be the
        // follow-up: the failure is not judged.
        let siblings = tasks_of(deal);
        if siblings.iter().any(|&j| data.tasks[j as usize].unreadable) {
            unsure += 1;
            continue;
        }
        if !followed(data, i, siblings, done) {
            sink.violation(
                task.manager,
                Entity::Task(i),
                vec![
                    fill(RESULT, Value::Text(result.to_string())),
                    fill(COMPLETED, Value::Moment(Moment::At(done))),
                ],
            );
        }
    }
    if undated > 0 {
        sink.not_checked(Reason::FailedUndated(undated));
    }
    if unsure > 0 {
        sink.not_checked(Reason::FailedUnsure(unsure));
    }
    if unknown_deal > 0 {
        sink.not_checked(Reason::FailedUnknownDeal(unknown_deal));
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;

    /// Task 3001 of deal 1 failed at 25.11.2026 10:00; task 3002 of the
    /// deal was created 01.11, due at `due` and closed at `closed`.
    fn failed_then_closed(due: &str, closed: &str) -> TestData {
        TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |_| {})
            .tasks_file()
            .done("3001", "1", "Иванова", "25.11.2026 10:00", "не дозвонился")
            .closed_task("3002", "1", "Иванова", "01.11.2026 09:00", due, closed)
    }

    #[test]
    fn a_failed_contact_needs_a_later_task() {
        let t = TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |_| {})
            .deal("2", "Счет", "Иванова", |_| {})
            .deal("3", "Счет", "Петров", |_| {})
            .deal("4", "Закрыто и не реализовано", "Петров", |_| {})
            .tasks_file()
            // Deal 1: failed, nothing after it.
            .done(
                "T1",
                "1",
                "Иванова",
                "25.11.2026 10:00",
                "Не дозвонился, сбросил",
            )
            // Deal 2: failed, then a task due the next day.
            .done("T2", "2", "Иванова", "25.11.2026 10:00", "Недозвон")
            .task("T3", "2", "Иванова", Some("26.11.2026"), false)
            // Deal 3: a successful call needs no follow-up.
            .done(
                "T4",
                "3",
                "Петров",
                "25.11.2026 10:00",
                "Обсудили счет, клиент согласен",
            )
            // Deal 4 is closed.
            .done("T5", "4", "Петров", "25.11.2026 10:00", "не берет трубку");
        assert_eq!(
            t.run("no-follow-up", "26.11.2026 10:00"),
            vec!["task:T1 Иванова result=Не дозвонился, сбросил completed=25.11.2026 10:00"]
        );
    }

    #[test]
    fn a_task_created_after_the_failure_is_a_follow_up() {
        let t = TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |_| {})
            .tasks_file()
            .done(
                "T1",
                "1",
                "Иванова",
                "25.11.2026 10:00",
                "Абонент недоступен",
            )
            // Created after the failed call, though due (and late) before it.
            .open_task("T2", "1", "Иванова", "25.11.2026 10:05", "25.11.2026 09:30");
        assert!(t.run("no-follow-up", "26.11.2026 10:00").is_empty());
    }

    #[test]
    fn a_task_due_before_the_failure_is_no_follow_up() {
        let t = TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |_| {})
            .tasks_file()
            .task("T0", "1", "Иванова", Some("25.11.2026 09:00"), false)
            .done(
                "T1",
                "1",
                "Иванова",
                "25.11.2026 10:00",
                "Перезвонить завтра",
            );
        assert_eq!(t.run("no-follow-up", "26.11.2026 10:00").len(), 1);
    }

    #[test]
    fn closing_an_old_overdue_task_late_is_no_follow_up() {
        // Task 3001 failed at 25.11 10:00; the deal's only other task was
        // created 01.11, due 24.11 and closed late at 25.11 12:00: neither
        // created nor due after the failure.
        let t = TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |_| {})
            .tasks_file()
            .done("3001", "1", "Иванова", "25.11.2026 10:00", "не дозвонился")
            .closed_task(
                "3000",
                "1",
                "Иванова",
                "01.11.2026 09:00",
                "24.11.2026 18:00",
                "25.11.2026 12:00",
            );
        assert_eq!(
            t.run("no-follow-up", "26.11.2026 10:00"),
            vec!["task:3001 Иванова result=не дозвонился completed=25.11.2026 10:00"]
        );
    }

    #[test]
    fn a_task_due_after_the_failure_but_done_before_it_is_no_follow_up() {
        // The reverse: created 01.11, due 27.11 (after the failure) but
        // closed early at 25.11 09:00, an hour before the contact failed:
        // nothing was left to do after the failure, so it is not followed up.
        let t = failed_then_closed("27.11.2026 12:00", "25.11.2026 09:00");
        assert_eq!(t.run("no-follow-up", "26.11.2026 10:00").len(), 1);
    }

    #[test]
    fn a_task_due_after_the_failure_and_done_after_it_is_a_follow_up() {
        // The same task closed at 25.11 12:00, after the failure at 10:00.
        let t = failed_then_closed("27.11.2026 12:00", "25.11.2026 12:00");
        assert!(t.run("no-follow-up", "26.11.2026 10:00").is_empty());
    }
}

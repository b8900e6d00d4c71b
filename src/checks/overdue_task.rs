//! `overdue-task`, clause 4: no open task is past due. The tasks file is
//! the authority where one is given; without it, the deal export's
//! nearest-task column (`Ближайшая задача`) stands in.

use super::shared::{deal_files_with, deals_in_work, fill};
use super::{Kind, Placeholder, Run, Param};
use crate::audit::{Column, Details, Entity, Sink, Value};
use crate::model::Dataset;
use crate::rules::columns::{DealField, EntityKind};
use crate::value::Moment;
use chrono::NaiveDateTime;

/// An open task past its due moment (or, with no tasks file, a deal in
/// work whose nearest task is in the past).
#[derive(Debug, Clone)]
pub struct OverdueTask;

/// `{due}`: when the task was due.
const DUE: Placeholder = Placeholder::new("due");
/// `{late}`: how late it is.
pub(super) const LATE: Placeholder = Placeholder::from_key("late", "late_minutes");

impl Kind for OverdueTask {
    const NAME: &'static str = "overdue-task";
    const PARAMS: &'static [Param] = &[];
    const PLACEHOLDERS: &'static [Placeholder] = &[DUE, LATE];

    fn compile(_: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(OverdueTask)
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        overdue(cx.data, cx.as_of, sink);
    }
}

/// Whether `due` has passed at `as_of`, and by how many minutes.
pub(super) fn lateness(due: Moment, as_of: NaiveDateTime) -> Option<i64> {
    let overdue = match due {
        Moment::At(t) => t < as_of,
        Moment::Day(_) => due.end() < as_of,
    };
    overdue.then(|| (as_of - due.deadline()).num_minutes())
}

fn overdue_details(due: Moment, as_of: NaiveDateTime) -> Option<Details> {
    lateness(due, as_of).map(|late| {
        vec![
            fill(DUE, Value::Moment(due)),
            fill(LATE, Value::Minutes(late)),
        ]
    })
}

fn overdue(data: &Dataset, as_of: NaiveDateTime, sink: &mut Sink) {
    if data.has_kind(EntityKind::Tasks) {
        let judged = |t: &&crate::model::Task| t.is_open() && !t.unreadable;
        for (i, task) in data.tasks.iter().enumerate().filter(|(_, t)| judged(t)) {
            if let Some(details) = task.due.get().and_then(|due| overdue_details(due, as_of)) {
                sink.violation(task.manager, Entity::Task(i), details);
            }
        }
        return;
    }
    if !deal_files_with(
        data,
        DealField::NearestTask.index(),
        Column::NearestTask,
        sink,
    ) {
        return;
    }
    for (i, deal) in deals_in_work(data) {
        // A date on a product row does not stand in for an unreadable one.
        if data.nearest_task_unreadable(i) {
            continue;
        }
        if let Some(details) = deal
            .nearest_task
            .and_then(|due| overdue_details(due, as_of))
        {
            sink.violation(deal.manager, Entity::Deal(i), details);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;

    #[test]
    fn an_open_task_is_overdue_only_after_its_due_minute() {
        let t = TestData::new().tasks_file();
        let t = t
            .task("T1", "1", "Иванова", Some("26.11.2026 14:30"), false)
            .task("T2", "1", "Иванова", Some("26.11.2026 14:31"), false)
            .task("T3", "1", "Иванова", Some("26.11.2026 10:00"), true)
            .task("T4", "1", "Иванова", None, false);
        let v = t.run("overdue-task", "26.11.2026 14:31");
        assert_eq!(
            v,
            vec!["task:T1 Иванова due=26.11.2026 14:30 late_minutes=1"]
        );
    }

    #[test]
    fn a_date_without_time_is_due_until_the_end_of_the_day() {
        let t = TestData::new()
            .tasks_file()
            .task("T1", "1", "Петров", Some("26.11.2026"), false);
        assert!(t.run("overdue-task", "26.11.2026 23:59:59").is_empty());
        assert_eq!(
            t.run("overdue-task", "27.11.2026 00:00"),
            vec!["task:T1 Петров due=26.11.2026 late_minutes=0"]
        );
        assert_eq!(
            t.run("overdue-task", "27.11.2026 02:00"),
            vec!["task:T1 Петров due=26.11.2026 late_minutes=120"]
        );
    }

    #[test]
    fn without_tasks_the_nearest_task_column_stands_in() {
        let t = TestData::new()
            .deals_file(&["nearest-task"])
            .deal("1", "Квалификация", "Иванова", |d| {
                d.nearest = Some("25.11.2026 10:00")
            })
            .deal("2", "Квалификация", "Иванова", |d| {
                d.nearest = Some("28.11.2026 10:00")
            })
            .deal("3", "Квалификация", "Петров", |_| {})
            .deal(
                "4",
                "Успешно реализовано",
                "Петров",
                |d| d.nearest = Some("01.11.2026"),
            );
        assert_eq!(
            t.run("overdue-task", "26.11.2026 10:00"),
            vec!["deal:1 Иванова due=25.11.2026 10:00 late_minutes=1440"]
        );
        assert_eq!(
            t.run("deal-without-task", "26.11.2026 10:00"),
            vec!["deal:3 Петров stage=Квалификация"]
        );
    }

    #[test]
    fn with_a_tasks_file_a_deal_needs_an_open_task() {
        let t = TestData::new()
            .deals_file(&["nearest-task"])
            .deal("1", "Новая заявка", "Иванова", |d| {
                d.nearest = Some("25.11.2026")
            })
            .deal("2", "Неразобранное", "Иванова", |_| {})
            .deal("3", "Счет", "Петров", |_| {})
            .deal("4", "Закрыто и не реализовано", "Петров", |_| {})
            .tasks_file()
            .task("T1", "1", "Иванова", Some("20.11.2026"), true)
            .task("T2", "3", "Петров", Some("20.11.2026"), false);
        // Deal 1's only task is completed (its nearest-task column is ignored),
        // deal 2 (inbox) has none, deal 3's task is open though overdue.
        assert_eq!(
            t.run("deal-without-task", "26.11.2026 10:00"),
            vec![
                "deal:1 Иванова stage=Новая заявка",
                "deal:2 Иванова stage=Неразобранное"
            ]
        );
    }

    #[test]
    fn absent_data_is_not_checked_and_says_so() {
        let t = TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |_| {});
        assert!(t.run("overdue-task", "26.11.2026 10:00").is_empty());
        assert_eq!(
            t.not_checked("deal-without-task", "26.11.2026 10:00"),
            vec!["deals.csv: no tasks file and no «Ближайшая задача» column"]
        );
    }
}

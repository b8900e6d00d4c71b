//! `deal-without-task`, clause 3: every deal in work has an open task. The
//! tasks file is the authority where one is given; without it, the deal
//! export's nearest-task column (`Ближайшая задача`) stands in.

use super::shared::{record_files, record_files_with, records_in_work, stage_detail, STAGE};
use super::{Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Column, Entity, Reason, Sink};
use crate::model::Dataset;
use crate::rules::columns::{DealField, EntityKind, TaskField};

/// A deal in work with no open task.
#[derive(Debug, Clone)]
pub struct DealWithoutTask;

impl Kind for DealWithoutTask {
    const NAME: &'static str = "deal-without-task";
    const PARAMS: &'static [Param] = &[Param::new("leads", Shape::Flag)];
    const PLACEHOLDERS: &'static [Placeholder] = &[STAGE];

    fn compile(_: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(DealWithoutTask)
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        deal_without_task(cx.data, cx.leads, sink);
    }
}

/// Whether the task lists can show a lead's task: only a tracker's CRM
/// column links a task to a lead. Says so for each lead export when not.
fn leads_linkable(data: &Dataset, sink: &mut Sink) -> bool {
    let linkable = data
        .files_of(EntityKind::Tasks)
        .any(|f| f.has(TaskField::Crm.index()));
    if !linkable {
        for file in data.files_of(EntityKind::Leads) {
            sink.not_checked(Reason::NoLeadLink {
                file: file.path.clone(),
            });
        }
    }
    linkable
}

/// With task lists: a deal in work needs an open task linked to it.
fn by_the_task_lists(data: &Dataset, leads: bool, sink: &mut Sink) {
    let leads = leads && leads_linkable(data, sink);
    if !data.has_kind(EntityKind::Deals) {
        sink.not_checked(Reason::NoDealExport);
    }
    if record_files(data, leads).next().is_none() {
        return;
    }
    // A task list that names no deal cannot show that a deal has a task.
    let unlinked: Vec<&str> = data
        .files_of(EntityKind::Tasks)
        .filter(|f| !f.has(TaskField::DealId.index()) && !f.has(TaskField::Crm.index()))
        .map(|f| f.path.as_str())
        .collect();
    if !unlinked.is_empty() {
        for path in unlinked {
            sink.not_checked(Reason::NoDealColumn {
                file: path.to_string(),
            });
        }
        return;
    }
    let mut unsure = 0;
    let mut unreadable = 0;
    let mut with_open_task = vec![false; data.deals.len()];
    // A task that may be open or done may be the open one.
    let mut with_unreadable_task = vec![false; data.deals.len()];
    for task in &data.tasks {
        if let Some(deal) = task.deal() {
            with_open_task[deal] |= task.is_open();
            with_unreadable_task[deal] |= task.state_unknown;
        }
    }
    for (i, deal) in records_in_work(data, leads) {
        if with_open_task[i] {
            continue;
        }
        if with_unreadable_task[i] {
            unreadable += 1;
            continue;
        }
        if data.ambiguous_deals.contains(&i) {
            unsure += 1;
            continue;
        }
        sink.violation(
            deal.manager,
            Entity::Deal(i),
            vec![stage_detail(data, deal)],
        );
    }
    if unreadable > 0 {
        sink.not_checked(Reason::DealsTaskUnreadable(unreadable));
    }
    if unsure > 0 {
        sink.not_checked(Reason::DealsTitleShared(unsure));
    }
}

/// Leads (where `leads`) are judged by a task list that can link a task
/// to a lead (a tracker's CRM column), or by their own nearest-task column.
fn deal_without_task(data: &Dataset, leads: bool, sink: &mut Sink) {
    if data.has_kind(EntityKind::Tasks) {
        by_the_task_lists(data, leads, sink);
        return;
    }
    if !record_files_with(
        data,
        leads,
        DealField::NearestTask.index(),
        Column::NearestTask,
        sink,
    ) {
        return;
    }
    for (i, deal) in records_in_work(data, leads) {
        // A nearest task that is not a date is no evidence of no task: the
        // deal's unreadable-value finding says it was not judged.
        if data.file(deal.file).has(DealField::NearestTask.index())
            && deal.nearest_task.is_none()
            && !data.nearest_task_unreadable(i)
        {
            sink.violation(
                deal.manager,
                Entity::Deal(i),
                vec![stage_detail(data, deal)],
            );
        }
    }
}

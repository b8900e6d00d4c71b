//! Task rows → `Task`. A task is completed when its completed column says
//! so, or, where that cell is blank, when it has a completion date.

use super::row::Row;
use super::{catalog_values, CatalogColumns, Loader};
use crate::model::{FileId, Task};
use crate::rules::columns::TaskField;
use crate::value::{self, TaskType};

pub(super) fn read(
    loader: &mut Loader,
    row: &Row,
    file: FileId,
    catalog: &CatalogColumns,
) -> anyhow::Result<Option<String>> {
    let completed_at = row
        .moment(TaskField::CompletedAt.index())?
        .map(|m| m.start());
    let completed = row
        .flag(TaskField::Completed.index())?
        .unwrap_or(completed_at.is_some());
    let id = row.text(TaskField::Id.index());
    let id: Box<str> = if id.is_empty() {
        format!("{}:{}", row.header.path, row.number()).into()
    } else {
        id.as_ref().into()
    };
    let filled = catalog_values(
        row,
        catalog,
        &loader.rules.task_fields,
        &mut loader.data.task_values,
    )?;
    let result = row.text(TaskField::Result.index());
    let failed_result = if loader.needs.failure_patterns.is_empty() || result.is_empty() {
        None
    } else {
        let lower = result.to_lowercase();
        loader
            .needs
            .failure_patterns
            .iter()
            .any(|p| lower.contains(p.as_str()))
            .then(|| result.as_ref().into())
    };
    let task = Task {
        id,
        deal_id: row.text(TaskField::DealId.index()).as_ref().into(),
        manager: loader.manager(&row.text(TaskField::Manager.index())),
        task_type: if row.has(TaskField::Type.index()) {
            value::parse_task_type(&row.text(TaskField::Type.index()))
        } else {
            TaskType::Other
        },
        due: row.moment(TaskField::Due.index())?,
        completed,
        completed_at,
        created_at: row.moment(TaskField::CreatedAt.index())?.map(|m| m.start()),
        failed_result,
        filled,
        file,
        row: row.number(),
    };
    loader.data.tasks.push(task);
    Ok(None)
}

//! Task rows → `Task`. A task list says which tasks are done either in a
//! yes/no column or in a tracker's status (Bitrix24: `Завершена` and `Ждет
//! контроля` are done, `Отклонена` is neither open nor done, the rest are
//! open: the words of `[values.task-state]`); where both are blank, a
//! completion date means done.
//!
//! A tracker links a task to its deal by the deal's title (`Сделка:
//! Радиаторы для коттеджа;`), resolved once every file is read: a title
//! that matches no deal, or several, is noted on the file and never guessed.

use super::newer::ExportOrder;
use super::reason::{FileNote, Linked, Skip};
use super::row::Row;
use super::{catalog_values, memo, remember, CatalogColumns, Loader};
use crate::model::{Dataset, FileId, PackedTime, Task, Text, LEAD_TITLE};
use crate::rules::columns::{EntityKind, TaskField};
use crate::rules::values::{Classes, TaskState as State};
use crate::value::{normalize_name, TaskType};
use std::collections::HashMap;

/// The deal and lead titles a tracker's CRM cell links (`Сделка: title;`,
/// `Лид: title;` entries), a lead's led by `LEAD_TITLE`.
fn deal_titles(crm: &str) -> Vec<String> {
    crm.split([';', '\n'])
        .filter_map(|entry| {
            let entry = entry.trim();
            let (kind, title) = entry.split_once(':')?;
            let title = title.trim();
            if title.is_empty() {
                return None;
            }
            match kind.trim().to_lowercase().as_str() {
                "сделка" | "deal" => Some(title.to_string()),
                "лид" | "lead" => Some(format!("{LEAD_TITLE}{title}")),
                _ => None,
            }
        })
        .collect()
}

pub(super) fn read(
    loader: &mut Loader,
    row: &Row,
    file: FileId,
    catalog: &CatalogColumns,
) -> anyhow::Result<Option<Skip>> {
    // Cells a rule reads as values but cannot (`завтра` as a due date),
    // when the audit goes on without them.
    let mut unreadable = Vec::new();
    let completed_at = loader
        .value(row.moment(TaskField::CompletedAt.index()), &mut unreadable)?
        .map(|m| m.start());
    let (state, state_unknown) = done_state(loader, row, completed_at.is_some(), &mut unreadable)?;
    // Without an ID, the merge names the task by its file and line.
    let id = loader.keep(row, &row.text(TaskField::Id.index()))?;
    let filled = catalog_values(
        row,
        catalog,
        &loader.rules.task_fields,
        &loader.rules.blank_words,
        &mut loader.data.task_values,
        &mut loader.data.texts,
        loader.lenient_values.then_some(&mut unreadable),
    )?;
    let failed_result = failed_result(loader, row)?;
    let task_type = task_type(loader, row)?;
    let due = loader.value(row.moment(TaskField::Due.index()), &mut unreadable)?;
    let created_at = loader.value(row.moment(TaskField::CreatedAt.index()), &mut unreadable)?;
    let has_unreadable = !unreadable.is_empty();
    if has_unreadable {
        // Keyed by its place in the piece until the merge knows its row.
        let index = loader.data.tasks.len() as u64;
        loader
            .data
            .unreadable_tasks
            .insert((file, index), unreadable);
    }
    let crm = row.text(TaskField::Crm.index());
    let titles = deal_titles(&crm);
    let task = Task {
        deal_id: loader.keep(row, &row.text(TaskField::DealId.index()))?,
        deal: crate::model::NO_DEAL,
        // Several titles (rare) travel joined by line breaks, which no title holds.
        deal_title: loader.keep(row, &titles.join("\n"))?,
        to_lead: false,
        id,
        manager: loader.manager(&loader.manager_cell(row, TaskField::Manager.index())),
        task_type,
        due: due.into(),
        completed: state == State::Done,
        declined: state == State::Declined,
        completed_at: completed_at.into(),
        created_at: created_at.map(|m| m.end()).into(),
        failed_result,
        filled,
        unreadable: has_unreadable,
        state_unknown,
        file,
        row: row.number(),
    };
    loader.data.tasks.push(task);
    Ok(None)
}

/// Whether the task is done, and whether that cannot be told: its yes/no
/// column, else a tracker's status, else whether it has a completion date
/// (`completed`). `unreadable` holds the completion date's cell when it
/// could not be read, and gets the done column's.
fn done_state(
    loader: &mut Loader,
    row: &Row,
    completed: bool,
    unreadable: &mut Vec<crate::input::error::UnreadableCell>,
) -> anyhow::Result<(State, bool)> {
    let completed_at_unreadable = !unreadable.is_empty();
    let flag_text = row.text(TaskField::Completed.index());
    let flag = memo(&mut loader.memo.flags, &flag_text, || {
        row.flag(TaskField::Completed.index())
    });
    let before = unreadable.len();
    let flag = loader.value(flag, unreadable)?;
    let flag_unreadable = unreadable.len() > before;
    // Whether it is done cannot be told (the done column, or the
    // completion date standing in for it, unreadable): neither open nor
    // done, and judged by no rule.
    let mut state_unknown = flag_unreadable;
    let state = match flag {
        _ if flag_unreadable => State::Declined,
        Some(true) => State::Done,
        Some(false) => State::Open,
        None => match row.text(TaskField::Status.index()) {
            s if !s.is_empty() => match loader.rules.values.task_state.classify(&s) {
                Some(state) => state,
                None => {
                    loader.unclassified(State::TABLE, "open", &s);
                    State::Open
                }
            },
            _ if completed => State::Done,
            _ if completed_at_unreadable => {
                state_unknown = true;
                State::Declined
            }
            _ => State::Open,
        },
    };
    Ok((state, state_unknown))
}

/// The task's result, kept only when it may report a failed contact.
fn failed_result(loader: &mut Loader, row: &Row) -> anyhow::Result<Text> {
    // Kept when some follow-up rule's words are in it (to save memory; each
    // rule judges it by its own words), else not kept at all.
    let result = row.text(TaskField::Result.index());
    let failed = loader
        .needs
        .failure
        .as_ref()
        .is_some_and(|words| !result.is_empty() && words.is_match(&result));
    if failed {
        loader.keep(row, &result)
    } else {
        Ok(Text::EMPTY)
    }
}

/// The task's type, by the words of `[values.task-type]`.
fn task_type(loader: &mut Loader, row: &Row) -> anyhow::Result<TaskType> {
    let type_text = row.text(TaskField::Type.index());
    Ok(if type_text.is_empty() {
        TaskType::Other
    } else {
        let words = &loader.rules.values.task_type;
        let class = remember(&mut loader.memo.task_types, &type_text, || {
            words.classify(&type_text)
        });
        if class.is_none() {
            loader.unclassified(TaskType::TABLE, "no type", &type_text);
        }
        class.unwrap_or(TaskType::Other)
    })
}

/// Merges tasks repeated by ID: a repeat in the file of the task's first
/// row is laid over it (`merge`: one export listing a task twice); a copy
/// another export holds (overlapping task exports) is no more of the task
/// but another state of it, and the copy in the newer export (`ranks`,
/// by file: `input::newer`) is the task, whole: done or open, its due date,
/// every field. The rows left out are accounted for as skipped rows of
/// their files.
pub(super) fn merge_repeats(data: &mut Dataset, stride: usize, ranks: &ExportOrder) {
    let (tasks, texts) = (&data.tasks, &data.texts);
    let repeats = crate::id_index::repeats(
        tasks.len(),
        |t| texts.get(tasks[t as usize].id),
        crate::parallel::cores(),
    );
    if repeats.is_empty() {
        return;
    }
    let mut repeated = vec![false; data.tasks.len()];
    for (i, kept) in repeats.into_iter().map(|(i, k)| (i as usize, k as usize)) {
        repeated[i] = true;
        if data.tasks[i].file != data.tasks[kept].file {
            keep_newer(data, stride, ranks, i, kept);
            continue;
        }
        let copy = data.tasks[i].clone();
        if let Some(cells) = data.unreadable_tasks.remove(&(copy.file, copy.row)) {
            let first = (data.tasks[kept].file, data.tasks[kept].row);
            data.unreadable_tasks
                .entry(first)
                .or_default()
                .extend(cells);
        }
        let file = &mut data.files[usize::from(copy.file)];
        file.audited -= 1;
        file.skip(Skip::TaskRepeat, copy.row);
        merge(&mut data.tasks[kept], copy);
    }
    let mut index = 0;
    data.tasks.retain(|_| {
        index += 1;
        !repeated[index - 1]
    });
    if stride > 0 {
        let mut chunk = 0;
        data.task_values.retain(|_| {
            chunk += 1;
            !repeated[(chunk - 1) / stride]
        });
    }
}

/// Of the copy of a task at `copy` and the task kept so far at `kept`,
/// from two exports, keeps the one in the newer export whole at `kept`
/// (the copy at `copy` is then dropped) and accounts the other's row as an
/// older copy, skipped. Its unreadable cells go with the older copy.
fn keep_newer(data: &mut Dataset, stride: usize, ranks: &ExportOrder, copy: usize, kept: usize) {
    let (copy_file, kept_file) = (data.tasks[copy].file, data.tasks[kept].file);
    let copy_wins = ranks[usize::from(copy_file)] > ranks[usize::from(kept_file)];
    let older = if copy_wins {
        let newer = data.tasks[copy].clone();
        let older = std::mem::replace(&mut data.tasks[kept], newer);
        data.task_values
            .copy_within(copy * stride..(copy + 1) * stride, kept * stride);
        older
    } else {
        data.tasks[copy].clone()
    };
    data.unreadable_tasks.remove(&(older.file, older.row));
    let (older_file, newer) = if copy_wins {
        (kept_file, copy_file)
    } else {
        (copy_file, kept_file)
    };
    let by = ranks.newer_by(older_file, newer);
    let newer = data.files[usize::from(newer)].path.clone();
    let file = &mut data.files[usize::from(older.file)];
    file.audited -= 1;
    file.skip(
        Skip::OlderCopy {
            kind: EntityKind::Tasks,
            newer,
            by,
        },
        older.row,
    );
}

/// Lays a repeat of a task in one export over its first row there. Which
/// row is newer cannot be told, so the merge leans away from blame: done
/// in either is done (not overdue), and the later due date stands.
fn merge(kept: &mut Task, repeat: Task) {
    kept.completed |= repeat.completed;
    kept.declined |= repeat.declined;
    if kept.completed_at == PackedTime::NONE {
        kept.completed_at = repeat.completed_at;
    }
    if kept.created_at == PackedTime::NONE {
        kept.created_at = repeat.created_at;
    }
    if kept.failed_result.is_empty() {
        kept.failed_result = repeat.failed_result;
    }
    kept.due = match (kept.due.get(), repeat.due.get()) {
        (Some(a), Some(b)) => Some(if b.deadline() > a.deadline() { b } else { a }),
        (a, b) => a.or(b),
    }
    .into();
    if kept.deal_id.is_empty() {
        kept.deal_id = repeat.deal_id;
    }
    if kept.deal_title.is_empty() {
        kept.deal_title = repeat.deal_title;
    }
    kept.filled = kept.filled | repeat.filled;
    kept.unreadable |= repeat.unreadable;
    kept.state_unknown |= repeat.state_unknown;
}

/// Resolves the deal and lead titles of tasks that have no deal ID: a
/// title that names exactly one deal (or lead) links it; otherwise the
/// task's file says so.
pub(super) fn link_by_title(data: &mut Dataset) {
    if data.tasks.iter().all(|t| t.deal_title.is_empty()) {
        return;
    }
    let by_title = records_by_title(data);
    let find = |title: &str| by_title.get(&title_key(title)).map(Vec::as_slice);
    for task in data.tasks.iter_mut().filter(|t| t.deal_id.is_empty()) {
        let titles = std::mem::take(&mut task.deal_title);
        if titles.is_empty() {
            continue;
        }
        let titles: Vec<&str> = data.texts.get(titles).split('\n').collect();
        // A deal's link wins: a cell naming a deal and the lead it came
        // from (`Сделка: X; Лид: X;`) is the deal's task.
        let deals: Vec<&str> = titles
            .iter()
            .copied()
            .filter(|t| !t.starts_with(LEAD_TITLE))
            .collect();
        let titles = if deals.is_empty() { titles } else { deals };
        let id = data.texts.get(task.id).to_string();
        let note = match (titles.as_slice(), titles.first().and_then(|t| find(t))) {
            ([_], Some([deal])) => {
                task.deal_id = data.deals[*deal].id;
                task.to_lead =
                    data.files[usize::from(data.deals[*deal].file)].kind == EntityKind::Leads;
                continue;
            }
            ([title], Some(several)) => {
                data.ambiguous_deals.extend(several.iter().copied());
                let (title, what) = shown(title);
                FileNote::TitleShared {
                    task: id,
                    title: title.to_string(),
                    what,
                    count: several.len(),
                }
            }
            ([title], None) => {
                let (title, what) = shown(title);
                FileNote::TitleUnknown {
                    task: id,
                    title: title.to_string(),
                    what,
                }
            }
            (many, _) => {
                // Which of its deals the task belongs to cannot be told: it
                // counts for none, and none of them is judged for lacking one.
                for title in many {
                    data.ambiguous_deals
                        .extend(find(title).unwrap_or_default().iter().copied());
                }
                let what = if many[0].starts_with(LEAD_TITLE) {
                    Linked::Lead
                } else {
                    Linked::Deal
                };
                FileNote::SeveralLinks {
                    task: id,
                    what,
                    count: many.len(),
                }
            }
        };
        data.files[usize::from(task.file)].notes.push(note);
    }
}

/// Deals by title, and leads by `LEAD_TITLE` and title, as `title_key`
/// writes them.
fn records_by_title(data: &Dataset) -> HashMap<String, Vec<usize>> {
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, deal) in data.deals.iter().enumerate() {
        let title = normalize_name(data.texts.get(deal.name)).to_lowercase();
        let key = if data.is_lead(deal) {
            format!("{LEAD_TITLE}{title}")
        } else {
            title
        };
        by_title.entry(key).or_default().push(i);
    }
    by_title
}

/// A linked title (a lead's led by `LEAD_TITLE`) with spaces tidied and
/// case ignored.
fn title_key(title: &str) -> String {
    match title.strip_prefix(LEAD_TITLE) {
        Some(lead) => format!("{LEAD_TITLE}{}", normalize_name(lead).to_lowercase()),
        None => normalize_name(title).to_lowercase(),
    }
}

/// A linked title as a note shows it, and what it is the title of.
fn shown(title: &str) -> (&str, Linked) {
    match title.strip_prefix(LEAD_TITLE) {
        Some(lead) => (lead, Linked::Lead),
        None => (title, Linked::Deal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crm_cells_link_deals_by_title() {
        assert_eq!(
            deal_titles("Сделка: Радиаторы для коттеджа;"),
            ["Радиаторы для коттеджа"]
        );
        assert_eq!(
            deal_titles("Контакт: Иван Петров; Сделка: Котел: замена;"),
            ["Котел: замена"]
        );
        assert_eq!(deal_titles("Сделка: А; Сделка: Б;"), ["А", "Б"]);
        assert_eq!(
            deal_titles("Лид: Заявка с сайта; Контакт: Иван;"),
            ["\u{1}Заявка с сайта"]
        );
        assert!(deal_titles("").is_empty());
        assert!(deal_titles("Компания: ООО Тепло;").is_empty());
    }
}

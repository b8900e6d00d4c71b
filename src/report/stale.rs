//! Stale inputs: an export whose newest record is more than one working
//! day before the audit moment was probably not downloaded tonight, and an
//! audit of it blames managers for tasks they may have done since. Every
//! human report opens with a warning naming such an input; the JSON holds
//! the list; `--fail-on-stale` makes the run exit 2.
//!
//! The newest record of a call log is its last call; of a task list, its
//! last change (a task created or completed), or its last due moment when
//! the list says neither; of any other export, which carries no dates of
//! its own activity, the file's modification time. Computed before the
//! calls are freed for the report (`commands::audit`).

use crate::model::Dataset;
use crate::rules::columns::EntityKind;
use crate::rules::RuleSet;
use chrono::NaiveDateTime;
use serde::Serialize;

/// An input whose newest record is older than the previous working day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleInput {
    pub path: String,
    /// `deals`, `tasks`, `calls`, … as the inputs list says.
    pub kind: &'static str,
    /// The newest record's moment, company-local (`2026-11-24T15:00:00`).
    pub last: NaiveDateTime,
    /// What told it.
    pub by: StaleBy,
}

/// What tells how old an input is (in JSON: `last-call`,
/// `last-task-change`, `last-due`, `file-modified`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StaleBy {
    /// A call log's newest call.
    LastCall,
    /// A task list's newest change.
    LastTaskChange,
    /// A task list without changes: its latest due date.
    LastDue,
    /// Any other input: the file's modification time.
    FileModified,
}

/// The inputs of `data` that are stale at `as_of`: their newest record
/// falls before the working day before `as_of` (for an audit on Friday,
/// before Thursday), in the order the inputs are listed.
pub fn stale_inputs(data: &Dataset, rules: &RuleSet, as_of: NaiveDateTime) -> Vec<StaleInput> {
    let Some(&previous) = rules.calendar.working_days_before(as_of.date(), 1).first() else {
        return Vec::new();
    };
    // The newest moment per file, by the file's index: millions of calls
    // and tasks, a handful of files.
    let mut calls = vec![None; data.files.len()];
    for call in &data.calls {
        later(&mut calls[call.file as usize], call.time);
    }
    // A task's times are compared packed (milliseconds, in order): the
    // newest is unpacked once per file, not each of millions.
    let (mut changes, mut dues) = (vec![None; data.files.len()], vec![None; data.files.len()]);
    for task in &data.tasks {
        for millis in [task.created_at.millis(), task.completed_at.millis()]
            .into_iter()
            .flatten()
        {
            later(&mut changes[task.file as usize], millis);
        }
        if let Some(millis) = task.due.millis() {
            later(&mut dues[task.file as usize], millis);
        }
    }
    let unpack = |slots: Vec<Option<i64>>| -> Vec<Option<NaiveDateTime>> {
        let time = |slot: Option<i64>| slot.and_then(crate::model::PackedTime::from_millis);
        slots.into_iter().map(time).collect()
    };
    let (changes, dues) = (unpack(changes), unpack(dues));
    let mut stale = Vec::new();
    for (index, file) in data.files.iter().enumerate() {
        let newest = match file.kind {
            EntityKind::Calls => calls[index].map(|t| (t, StaleBy::LastCall)),
            EntityKind::Tasks => changes[index]
                .map(|t| (t, StaleBy::LastTaskChange))
                .or_else(|| dues[index].map(|t| (t, StaleBy::LastDue))),
            _ => modified(&file.path, rules).map(|t| (t, StaleBy::FileModified)),
        };
        if let Some((last, by)) = newest.filter(|(last, _)| last.date() < previous) {
            stale.push(StaleInput {
                path: file.path.clone(),
                kind: file.kind.as_str(),
                last,
                by,
            });
        }
    }
    stale
}

/// Keeps in `slot` the later of it and `time`.
fn later<T: Ord + Copy>(slot: &mut Option<T>, time: T) {
    *slot = Some(slot.map_or(time, |last| last.max(time)));
}

/// The file's modification time, company-local; none when the file
/// system does not tell.
fn modified(path: &str, rules: &RuleSet) -> Option<NaiveDateTime> {
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    let utc: chrono::DateTime<chrono::Utc> = time.into();
    Some(utc.with_timezone(&rules.time_zone).naive_local())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_tells_the_age_keeps_its_json_name() {
        let names = [
            (StaleBy::LastCall, "last-call"),
            (StaleBy::LastTaskChange, "last-task-change"),
            (StaleBy::LastDue, "last-due"),
            (StaleBy::FileModified, "file-modified"),
        ];
        for (by, name) in names {
            assert_eq!(serde_json::to_value(by).unwrap(), name);
        }
    }
}

//! The audited records, kept compact: interned manager names and stages,
//! parsed dates, flags instead of text wherever a rule needs only a yes/no.
//! Filled by `input`, read by `audit`; nothing here parses or prints.

use crate::rules::columns::EntityKind;
use crate::rules::stages::{FieldMask, StageMatch};
use crate::value::{Direction, Moment, TaskType};
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashMap};

/// The name reported for a record whose responsible manager is empty.
pub const UNASSIGNED: &str = "(unassigned)";

/// An index into `Dataset::managers`.
pub type ManagerId = u32;
/// An index into `Dataset::stages`.
pub type StageId = u32;
/// An index into `Dataset::files`.
pub type FileId = u16;

/// Distinct strings, each stored once and referred to by index.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: rustc_hash::FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// What a record's phone columns hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum PhoneState {
    /// No digit in any phone column.
    #[default]
    Missing,
    /// Digits, but no number one could call.
    Implausible,
    /// At least one plausible number.
    Plausible,
}

/// A deal from a deal export.
#[derive(Debug, Clone)]
pub struct Deal {
    pub id: Box<str>,
    pub name: Box<str>,
    pub manager: ManagerId,
    pub stage: StageId,
    /// An index into `Dataset::pipelines`.
    pub pipeline: u32,
    /// The deal's budget (`Бюджет`), when the export has it filled.
    pub budget: Option<f64>,
    /// The main contact's name as written (empty when none).
    pub contact_name: Box<str>,
    /// The deal's phones (or, where a contacts file lends them, its contact's).
    pub phones: PhoneState,
    /// The phone cells as written, kept only when no number is plausible.
    pub implausible_phones: Option<Box<str>>,
    /// The due moment of the deal's nearest open task (`Ближайшая задача`).
    pub nearest_task: Option<Moment>,
    /// The refusal-reason column is not empty.
    pub has_refusal_reason: bool,
    /// Which fields of the rule set's deal catalog are filled.
    pub filled: FieldMask,
    pub file: FileId,
    /// The row as a person finds it in the file (CSV line, sheet row).
    pub row: u64,
}

/// `Task::deal` of a task whose deal is not among the deals read.
pub const NO_DEAL: u32 = u32::MAX;

/// A task from a task list.
#[derive(Debug, Clone)]
pub struct Task {
    /// The task's ID; when the file has none, `FILE:ROW`.
    pub id: Box<str>,
    /// The deal the task belongs to (empty when none).
    pub deal_id: Box<str>,
    /// That deal's index in `Dataset::deals`, or `NO_DEAL` when it is not
    /// among the deals read; set by `Dataset::link_tasks` once all are read.
    pub deal: u32,
    pub manager: ManagerId,
    pub task_type: TaskType,
    pub due: Option<Moment>,
    pub completed: bool,
    /// Declined in a task tracker: neither open nor done.
    pub declined: bool,
    /// The deal's title from a task tracker's CRM link, until it is
    /// resolved to a deal ID after every file is read.
    pub deal_title: Option<Box<str>>,
    pub completed_at: Option<NaiveDateTime>,
    pub created_at: Option<NaiveDateTime>,
    /// The result text, kept only when it reports a failed contact.
    pub failed_result: Option<Box<str>>,
    /// Which fields of the rule set's task catalog are filled.
    pub filled: FieldMask,
    pub file: FileId,
    pub row: u64,
}

impl Task {
    /// The index of the task's deal among the deals read.
    pub fn deal(&self) -> Option<usize> {
        (self.deal != NO_DEAL).then_some(self.deal as usize)
    }

    /// Neither completed nor declined.
    pub fn is_open(&self) -> bool {
        !self.completed && !self.declined
    }
}

/// A call from a call log.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    pub time: NaiveDateTime,
    pub manager: ManagerId,
    pub direction: Direction,
    /// `None` when the log has no status column.
    pub answered: Option<bool>,
    /// Seconds; `None` when the log has no duration column.
    pub duration: Option<u32>,
    pub file: FileId,
}

/// A contact from a contact export, reduced to what deals borrow from it.
#[derive(Debug, Clone)]
pub struct Contact {
    /// `value::normalize_name` of the name, lowercased, for matching.
    pub name_key: Box<str>,
    pub phones: PhoneState,
    /// The phone cells as written, kept only when no number is plausible.
    pub implausible_phones: Option<Box<str>>,
}

/// A call's type on the call-review sheet: which script applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallType {
    /// A first contact with a client from the base (clause 1.1).
    Base,
    /// A first contact on an inbound request (clause 1.2).
    Inbound,
}

/// A reviewed call from a call-review sheet.
#[derive(Debug, Clone)]
pub struct Review {
    /// The call's ID, or its time, or `FILE:ROW`.
    pub id: Box<str>,
    pub manager: ManagerId,
    pub call_type: CallType,
    /// Marked columns, as bits by `ReviewField` index.
    pub marked: u32,
    pub file: FileId,
    pub row: u64,
}

/// A distinct stage text of the deals and what the rule set makes of it.
#[derive(Debug, Clone)]
pub struct StageEntry {
    pub text: Box<str>,
    /// Whose stages it is judged by (0: the rule set's [stages]).
    pub pipeline: crate::rules::PipelineId,
    /// The text normalised (`value::normalize_header`), for `stage-in`.
    pub key: Box<str>,
    pub matched: StageMatch,
}

/// How a file was read: what a person needs to trust the numbers.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The path as given on the command line (or found in a given folder).
    pub path: String,
    pub kind: EntityKind,
    /// `csv`, `xlsx`, `xls`, `ods`.
    pub format: &'static str,
    /// CSV only.
    pub encoding: Option<&'static str>,
    /// CSV only.
    pub delimiter: Option<char>,
    /// Spreadsheets only.
    pub sheet: Option<String>,
    /// The header's row number as a person sees it.
    pub header_row: u64,
    /// Data rows read below the header.
    pub rows: u64,
    /// Rows that became records.
    pub audited: u64,
    /// Rows that did not, by reason, with their row numbers.
    pub skipped: BTreeMap<String, Vec<u64>>,
    /// Whether each logical field of the kind had a column (by field index).
    pub present: Vec<bool>,
    /// Which fields of the rule set's catalog for this kind had a column.
    pub fields_present: FieldMask,
    /// What a reader should know about the file's records: links that could
    /// not be resolved, names the roster does not know.
    pub notes: Vec<String>,
    /// Each field the file has (a mapped field's key, or a field a rule
    /// names by its header), with the headers that carry it.
    pub mapping: Vec<(String, Vec<String>)>,
    /// Headers no field of the kind reads.
    pub unmapped: Vec<String>,
}

impl InputFile {
    pub fn has(&self, field_index: usize) -> bool {
        self.present.get(field_index).copied().unwrap_or(false)
    }

    pub fn skip(&mut self, reason: impl Into<String>, row: u64) {
        self.skipped.entry(reason.into()).or_default().push(row);
    }

    pub fn skipped_count(&self) -> u64 {
        self.skipped.values().map(|rows| rows.len() as u64).sum()
    }
}

/// Everything read from the inputs.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub files: Vec<InputFile>,
    pub deals: Vec<Deal>,
    pub tasks: Vec<Task>,
    pub calls: Vec<Call>,
    pub contacts: Vec<Contact>,
    pub reviews: Vec<Review>,
    pub managers: Interner,
    pub stages: Vec<StageEntry>,
    /// Pipeline names, normalised (`value::normalize_header`); 0 is none.
    pub pipelines: Interner,
    /// Texts of the deal catalog's value fields: deal `i`'s slot `s` is at
    /// `i * stride + s`, where stride is the catalog's value count.
    pub deal_values: Vec<Box<str>>,
    /// The same for tasks.
    pub task_values: Vec<Box<str>>,
    /// Outgoing calls whose caller is an extension the roster does not
    /// know: their day and the extension.
    pub unattributed_calls: Vec<(chrono::NaiveDate, Box<str>)>,
    /// Calls per deal ID they name (kept for `inspect` only).
    pub call_deal_ids: HashMap<Box<str>, u32>,
    /// Deal IDs a task may belong to but names only by a title several deals
    /// share: whether such a deal has a task cannot be told.
    pub ambiguous_deals: std::collections::HashSet<Box<str>>,
    /// Deals whose phone came from a contact of the same name.
    pub phones_from_contacts: usize,
}

impl Dataset {
    /// Points each task at its deal by ID (deal IDs are unique once
    /// repeats are merged), so rules and reports need no ID lookups.
    pub fn link_tasks(&mut self) {
        let index: rustc_hash::FxHashMap<&str, u32> = self
            .deals
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_ref(), i as u32))
            .collect();
        for task in &mut self.tasks {
            task.deal = index.get(task.deal_id.as_ref()).copied().unwrap_or(NO_DEAL);
        }
    }

    pub fn files_of(&self, kind: EntityKind) -> impl Iterator<Item = &InputFile> {
        self.files.iter().filter(move |f| f.kind == kind)
    }

    pub fn has_kind(&self, kind: EntityKind) -> bool {
        self.files_of(kind).next().is_some()
    }

    pub fn manager_name(&self, id: ManagerId) -> &str {
        self.managers.name(id)
    }

    pub fn stage(&self, deal: &Deal) -> &StageEntry {
        &self.stages[deal.stage as usize]
    }

    pub fn file(&self, id: FileId) -> &InputFile {
        &self.files[usize::from(id)]
    }

    /// A kept text of deal `index` (empty when blank).
    pub fn deal_value(&self, index: usize, stride: usize, slot: usize) -> &str {
        self.deal_values
            .get(index * stride + slot)
            .map_or("", |v| v.as_ref())
    }

    /// A kept text of task `index` (empty when blank).
    pub fn task_value(&self, index: usize, stride: usize, slot: usize) -> &str {
        self.task_values
            .get(index * stride + slot)
            .map_or("", |v| v.as_ref())
    }
}

#[cfg(test)]
mod tests {
    /// Millions of these are kept: a field added to one must earn its
    /// bytes (see bench/README.md for what they cost at scale).
    #[test]
    fn records_stay_compact() {
        assert!(std::mem::size_of::<super::Call>() <= 32);
        assert!(std::mem::size_of::<super::Task>() <= 144);
        assert!(std::mem::size_of::<super::Deal>() <= 136);
    }
}

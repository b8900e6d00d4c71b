//! The audited records, kept compact: interned manager names and stages,
//! parsed dates, flags instead of text wherever a rule needs only a yes/no.
//! Filled by `input`, read by `audit`; nothing here parses or prints.

use crate::input::error::UnreadableCell;
use crate::input::reason::{FileNote, NotExport, Skip};
use crate::rules::columns::EntityKind;
use crate::rules::stages::{FieldMask, StageMatch};
use crate::rules::PhoneCountry;
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

    /// Names `id` `name` instead (another spelling of the same name).
    pub fn rename(&mut self, id: u32, name: &str) {
        let old = std::mem::replace(&mut self.names[id as usize], name.into());
        self.ids.remove(&old);
        self.ids.insert(name.into(), id);
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A text the dataset keeps, as a span of its `Texts`: eight bytes and no
/// allocation of its own where millions of IDs and names are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Text(u64);

/// The longest text a `Text` can hold (16 MiB − 1; a spreadsheet cell
/// holds at most 32,767 characters).
pub const TEXT_MAX_BYTES: usize = (1 << LEN_BITS) - 1;
const LEN_BITS: u32 = 24;

impl Text {
    pub const EMPTY: Text = Text(0);

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    fn start(self) -> usize {
        (self.0 >> LEN_BITS) as usize
    }

    fn len(self) -> usize {
        (self.0 & ((1 << LEN_BITS) - 1)) as usize
    }

    /// The same text in an arena appended `by` bytes further on.
    pub fn shifted(self, by: usize) -> Text {
        if self.is_empty() {
            self
        } else {
            Text(self.0 + ((by as u64) << LEN_BITS))
        }
    }
}

/// The texts of a dataset's records, back to back.
#[derive(Debug, Default, Clone)]
pub struct Texts {
    bytes: String,
}

impl Texts {
    /// Keeps `text`; `None` when it is longer than `TEXT_MAX_BYTES`.
    pub fn keep(&mut self, text: &str) -> Option<Text> {
        if text.is_empty() {
            return Some(Text::EMPTY);
        }
        if text.len() > TEXT_MAX_BYTES {
            return None;
        }
        let start = self.bytes.len() as u64;
        self.bytes.push_str(text);
        Some(Text((start << LEN_BITS) | text.len() as u64))
    }

    pub fn get(&self, text: Text) -> &str {
        &self.bytes[text.start()..text.start() + text.len()]
    }

    /// Appends `other`'s texts; returns how far its `Text`s shift.
    pub fn append(&mut self, other: &Texts) -> usize {
        let by = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        by
    }

    /// Forgets every text, keeping the memory for new ones.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }
}

/// An optional date and time in eight bytes: milliseconds since 1970 as
/// written (company-local), or none. Finer than a millisecond is not kept:
/// no export writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedTime(i64);

impl PackedTime {
    pub const NONE: PackedTime = PackedTime(i64::MIN);

    pub fn get(self) -> Option<NaiveDateTime> {
        if self == PackedTime::NONE {
            return None;
        }
        PackedTime::from_millis(self.0)
    }

    /// Its milliseconds since 1970, which order times as they order:
    /// compared without unpacking each.
    pub fn millis(self) -> Option<i64> {
        (self != PackedTime::NONE).then_some(self.0)
    }

    /// Its day, as days since 1970 (`day_number` of its date), without
    /// unpacking it into a date: a sweep of every task asks this.
    pub fn day_number(self) -> Option<i64> {
        self.millis().map(|ms| ms.div_euclid(MILLIS_A_DAY))
    }

    /// The time `millis` milliseconds after 1970 (company-local).
    pub fn from_millis(millis: i64) -> Option<NaiveDateTime> {
        chrono::DateTime::from_timestamp_millis(millis).map(|t| t.naive_utc())
    }
}

impl From<Option<NaiveDateTime>> for PackedTime {
    fn from(time: Option<NaiveDateTime>) -> Self {
        time.map_or(PackedTime::NONE, |t| {
            PackedTime(t.and_utc().timestamp_millis())
        })
    }
}

const MILLIS_A_DAY: i64 = 86_400_000;

/// A date as days since 1970: its midnight's milliseconds as a
/// `PackedTime` keeps them, divided as `PackedTime::day_number` divides.
pub fn day_number(date: chrono::NaiveDate) -> i64 {
    midnight_millis(date).div_euclid(MILLIS_A_DAY)
}

/// A date's midnight as milliseconds since 1970 (company-local), as the
/// packed times keep it.
fn midnight_millis(date: chrono::NaiveDate) -> i64 {
    (date.and_time(chrono::NaiveTime::MIN))
        .and_utc()
        .timestamp_millis()
}

/// An optional `Moment` in eight bytes: a `PackedTime`'s milliseconds
/// times two, plus one for a whole day (its midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedMoment(i64);

impl PackedMoment {
    pub const NONE: PackedMoment = PackedMoment(i64::MIN);

    pub fn get(self) -> Option<Moment> {
        if self == PackedMoment::NONE {
            return None;
        }
        let at = PackedTime::from_millis(self.0 >> 1)?;
        Some(if self.0 & 1 == 1 {
            Moment::Day(at.date())
        } else {
            Moment::At(at)
        })
    }

    /// Its time's milliseconds since 1970 (a whole day's midnight), as
    /// `PackedTime::millis`.
    pub fn millis(self) -> Option<i64> {
        (self != PackedMoment::NONE).then_some(self.0 >> 1)
    }
}

impl From<Option<Moment>> for PackedMoment {
    fn from(moment: Option<Moment>) -> Self {
        match moment {
            None => PackedMoment::NONE,
            Some(Moment::At(at)) => PackedMoment(at.and_utc().timestamp_millis() << 1),
            Some(Moment::Day(day)) => PackedMoment((midnight_millis(day) << 1) | 1),
        }
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

/// A record's phones as each numbering plan the rules ask for judges them,
/// two bits a plan (`PhoneCountry::index`) in one byte, as one state took.
/// A plan no rule asks for is not judged and reads `Missing`; whether a
/// digit is there at all is the same in every plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Phones(u8);

impl Phones {
    /// The state as `country`'s numbering plan judges it.
    pub fn of(self, country: PhoneCountry) -> PhoneState {
        match (self.0 >> (2 * country.index())) & 0b11 {
            0 => PhoneState::Missing,
            1 => PhoneState::Implausible,
            _ => PhoneState::Plausible,
        }
    }

    /// Records `country`'s judgement.
    pub fn set(&mut self, country: PhoneCountry, state: PhoneState) {
        let shift = 2 * country.index();
        let bits = match state {
            PhoneState::Missing => 0,
            PhoneState::Implausible => 1,
            PhoneState::Plausible => 2,
        };
        self.0 = (self.0 & !(0b11 << shift)) | (bits << shift);
    }

    /// No digit in any phone column.
    pub fn missing(self) -> bool {
        self.0 == 0
    }

    /// Some numbering plan finds digits but no number one could call.
    pub fn implausible_somewhere(self) -> bool {
        PhoneCountry::ALL
            .iter()
            .any(|&c| self.of(c) == PhoneState::Implausible)
    }
}

/// A deal from a deal export.
#[derive(Debug, Clone)]
pub struct Deal {
    pub id: Text,
    pub name: Text,
    pub manager: ManagerId,
    pub stage: StageId,
    /// An index into `Dataset::pipelines`.
    pub pipeline: u32,
    /// The deal's budget (`Бюджет`), when the export has it filled.
    pub budget: Option<f64>,
    /// The main contact's name as written (empty when none).
    pub contact_name: Text,
    /// The deal's phones (or, where a contacts file lends them, its contact's).
    pub phones: Phones,
    /// The phone cells as written, kept only when no number is plausible.
    pub implausible_phones: Text,
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

/// A deal's value cells that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Each cell, where it is and what is wrong in it.
    pub cells: Vec<UnreadableCell>,
    /// One of them is `Ближайшая задача`: whether the deal has a task, and
    /// when it is due, cannot be told from the deal.
    pub nearest_task: bool,
}

/// Leads a lead's title among `Task::deal_title`'s (no title read from a
/// cell holds it).
pub const LEAD_TITLE: char = '\u{1}';

/// `Task::deal` of a task whose deal is not among the deals read.
pub const NO_DEAL: u32 = u32::MAX;

/// A task from a task list.
#[derive(Debug, Clone)]
pub struct Task {
    /// The task's ID; when the file has none, `FILE:ROW`.
    pub id: Text,
    /// The deal the task belongs to (empty when none).
    pub deal_id: Text,
    /// That deal's index in `Dataset::deals`, or `NO_DEAL` when it is not
    /// among the deals read; set by `Dataset::link_tasks` once all are read.
    pub deal: u32,
    pub manager: ManagerId,
    pub task_type: TaskType,
    pub due: PackedMoment,
    pub completed: bool,
    /// Declined in a task tracker: neither open nor done.
    pub declined: bool,
    /// The deal's title from a task tracker's CRM link, until it is
    /// resolved to a deal ID after every file is read (several titles
    /// joined by line breaks, which no title holds; a lead's title led by
    /// `LEAD_TITLE`).
    pub deal_title: Text,
    /// `deal_id` is a lead's ID (a tracker's `Лид:` link), not a deal's.
    pub to_lead: bool,
    pub completed_at: PackedTime,
    /// When the task was set; a date without a time is the end of that
    /// day (it may have been set after anything else that day).
    pub created_at: PackedTime,
    /// The result text, kept only when it reports a failed contact.
    pub failed_result: Text,
    /// Which fields of the rule set's task catalog are filled.
    pub filled: FieldMask,
    /// A value cell could not be read (its due date, whether or when it
    /// was done, when it was created): no rule judges the task, and the
    /// rules reasoning across tasks do not judge what it could change.
    pub unreadable: bool,
    /// Of those, whether it is done (the done column, or the completion
    /// date standing in for it): the task may be open or done, and is
    /// counted as neither.
    pub state_unknown: bool,
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

/// A call-log row with a value cell that cannot be read (its time, its
/// duration): never counted, reported as its unreadable-value finding, and
/// the quota days it may belong to are not judged.
#[derive(Debug, Clone)]
pub struct UnreadableCall {
    /// The log's own call ID; once merged, `FILE:LINE` where it has none.
    pub id: Text,
    pub manager: ManagerId,
    pub direction: Direction,
    /// Its day, `None` when its time cannot be read (it may be any day's).
    pub date: Option<chrono::NaiveDate>,
    /// As `Call::answered`: a call plainly not answered fills no quota
    /// that counts answered calls only, whatever else cannot be read.
    pub answered: Option<bool>,
    /// Each cell, where it is and what is wrong in it.
    pub cells: Vec<UnreadableCell>,
    pub file: FileId,
    pub row: u64,
}

/// A call as a log row gives it: read whole, or with a value unreadable.
#[derive(Debug, Clone)]
pub enum LoggedCall {
    Read(Call),
    Unreadable(UnreadableCall),
}

impl LoggedCall {
    pub fn direction(&self) -> Direction {
        match self {
            LoggedCall::Read(c) => c.direction,
            LoggedCall::Unreadable(u) => u.direction,
        }
    }

    /// Its day, `None` when its time cannot be read.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        match self {
            LoggedCall::Read(c) => Some(c.time.date()),
            LoggedCall::Unreadable(u) => u.date,
        }
    }

    pub fn file(&self) -> FileId {
        match self {
            LoggedCall::Read(c) => c.file,
            LoggedCall::Unreadable(u) => u.file,
        }
    }
}

/// An outgoing call no known manager is the caller of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unattributed {
    /// Its day; `None` when its time cannot be read: it may be any day's.
    pub date: Option<chrono::NaiveDate>,
    /// The caller as the log writes it (`201`, `envyz`, `294 (Mega)`).
    pub caller: Box<str>,
    pub why: NoCaller,
}

/// Why a call's caller is no known manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoCaller {
    /// An extension no roster or CRM column says the owner of.
    UnknownExtension,
    /// A call log's manager cell left empty.
    Unnamed,
    /// A name that is no person's (a queue, group or scenario).
    NotAPerson,
    /// `EXT (Name)` whose name is no manager the deals or tasks name.
    UnknownName,
    /// `EXT (Name)` whose name is a word of several managers' names.
    AmbiguousName,
}

/// A call whose caller is written `EXT (Name)`, kept until the managers
/// of every deal and task are known.
#[derive(Debug, Clone)]
pub struct NamedCall {
    /// The call; its `manager` is not set yet.
    pub call: LoggedCall,
    /// The name in brackets, tidied (`Нурмагамбетова`).
    pub name: Box<str>,
    /// The cell as written (`202 (Нурмагамбетова)`).
    pub written: Box<str>,
    /// Its row in its file.
    pub row: u64,
    /// As `CallRow::phone`.
    pub phone: u64,
    /// As `CallRow::to_the_minute`.
    pub to_the_minute: bool,
}

/// Where a call was read and what tells its copy in another log, while
/// reading only (`input::repeated_calls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallRow {
    /// Its row in its file.
    pub row: u64,
    /// The last ten digits of the phone it was with, 0 when none.
    pub phone: u64,
    /// Whether its time was written without seconds (`26.11.2026 09:05`):
    /// a copy written with them is known by the minute alone.
    pub to_the_minute: bool,
}

/// A contact from a contact export, reduced to what deals borrow from it.
#[derive(Debug, Clone)]
pub struct Contact {
    /// `value::normalize_name` of the name, lowercased, for matching.
    pub name_key: Box<str>,
    pub phones: Phones,
    /// The phone cells as written, kept only when no number is plausible.
    pub implausible_phones: Text,
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
    /// Columns whose mark cannot be read, as bits by `ReviewField` index:
    /// the rules reading them do not judge the review.
    pub unreadable_marks: u32,
    /// The cells that cannot be read, each with its file, row and column
    /// (reported as the review's unreadable-value finding).
    pub unreadable: Vec<UnreadableCell>,
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
    pub skipped: BTreeMap<Skip, Vec<u64>>,
    /// Whether each logical field of the kind had a column (by field index).
    pub present: Vec<bool>,
    /// Which fields of the rule set's catalog for this kind had a column.
    pub fields_present: FieldMask,
    /// What a reader should know about the file's records: links that could
    /// not be resolved, names the roster does not know.
    pub notes: Vec<FileNote>,
    /// Each field the file has (a mapped field's key, or a field a rule
    /// names by its header), with the headers that carry it.
    pub mapping: Vec<(String, Vec<String>)>,
    /// Headers no field of the kind reads.
    pub unmapped: Vec<String>,
}

impl InputFile {
    /// A CSV file of `kind` with nothing read yet, for tests.
    #[cfg(test)]
    pub fn empty_csv(path: &str, kind: crate::rules::columns::EntityKind) -> InputFile {
        InputFile {
            path: path.into(),
            kind,
            format: "csv",
            encoding: None,
            delimiter: None,
            sheet: None,
            header_row: 1,
            rows: 0,
            audited: 0,
            skipped: Default::default(),
            present: Vec::new(),
            fields_present: Default::default(),
            notes: Vec::new(),
            mapping: Vec::new(),
            unmapped: Vec::new(),
        }
    }

    pub fn has(&self, field_index: usize) -> bool {
        self.present.get(field_index).copied().unwrap_or(false)
    }

    pub fn skip(&mut self, reason: Skip, row: u64) {
        self.skipped.entry(reason).or_default().push(row);
    }

    pub fn skipped_count(&self) -> u64 {
        self.skipped.values().map(|rows| rows.len() as u64).sum()
    }
}

/// A file found in a folder and not read: not an export crm-audit knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRead {
    pub path: String,
    pub reason: NotExport,
}

/// A folder written by `crm-audit pull`, as its `manifest.json` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The folder as given.
    pub folder: String,
    /// The system pulled from: `amocrm`, `bitrix24`, `sipuni`.
    pub source: String,
    /// Its address, with any secret in it shown as `***`.
    pub base_url: String,
    /// When the pull finished, UTC, RFC 3339.
    pub pulled_at: String,
    /// The version of crm-audit that pulled it.
    pub tool_version: String,
}

/// Everything read from the inputs.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub files: Vec<InputFile>,
    /// The snapshot folders among the inputs (`manifest.json`).
    pub snapshots: Vec<Snapshot>,
    /// Files of the folders given that are not exports, skipped.
    pub not_read: Vec<NotRead>,
    pub deals: Vec<Deal>,
    pub tasks: Vec<Task>,
    pub calls: Vec<Call>,
    pub contacts: Vec<Contact>,
    pub reviews: Vec<Review>,
    pub managers: Interner,
    pub stages: Vec<StageEntry>,
    /// Pipeline names, normalised (`value::normalize_header`); 0 is none.
    pub pipelines: Interner,
    /// The records' texts (IDs, names, kept values).
    pub texts: Texts,
    /// The value cells of deals that could not be read, by deal index
    /// (kept aside: few deals have any).
    pub unreadable_deals: BTreeMap<u32, Unreadable>,
    /// The same for tasks, by the task's file and row (a task's index
    /// changes when repeats merge; a piece keys its own by index).
    pub unreadable_tasks: BTreeMap<(FileId, u64), Vec<UnreadableCell>>,
    /// Call-log rows with a value cell that cannot be read, in file order.
    pub unreadable_calls: Vec<UnreadableCall>,
    /// Texts of the deal catalog's value fields: deal `i`'s slot `s` is at
    /// `i * stride + s`, where stride is the catalog's value count.
    pub deal_values: Vec<Text>,
    /// The same for tasks.
    pub task_values: Vec<Text>,
    /// Each deal's modification date (`Дата изменения`), while reading
    /// only: of two exports' copies of a deal, the later changed is
    /// audited (`input::merge`). Empty once read.
    pub deal_modified: Vec<PackedMoment>,
    /// The row of each of a piece's `calls`, while reading only: the
    /// merge accounts for a call two overlapping logs hold by its row
    /// (`input::repeated_calls`). Empty once merged.
    pub call_rows: Vec<CallRow>,
    /// Outgoing calls no known manager is the caller of: their day cannot
    /// be judged for the quota.
    pub unattributed_calls: Vec<Unattributed>,
    /// Calls a telephony log gives only as `EXT (Name)` with a name that
    /// is no full name (`202 (Нурмагамбетова)`), no roster and no owner of
    /// the extension known: whose they are is settled once every file is
    /// read (`input::named_calls`); empty after reading.
    pub named_calls: Vec<NamedCall>,
    /// Names a telephony log gives where a person should be that name no
    /// person (a queue, group or scenario), with their calls.
    pub not_people: BTreeMap<Box<str>, u64>,
    /// Words no list of the rule set's `[values.*]` has: (the table, what
    /// the word was read as, the word) → rows.
    pub unclassified: BTreeMap<(&'static str, &'static str, Box<str>), u64>,
    /// Calls per deal ID they name (kept for `inspect` only).
    pub call_deal_ids: HashMap<Box<str>, u32>,
    /// Deals (by index) a task may belong to but names only by a title
    /// several deals share: whether such a deal has a task cannot be told.
    pub ambiguous_deals: std::collections::HashSet<usize>,
    /// Deals whose phone came from a contact of the same name.
    pub phones_from_contacts: usize,
    /// Inputs read and no longer needed (a workbook's cells), kept so that
    /// freeing them, which takes a while for millions of cells, happens
    /// when the caller chooses: see `Dataset::drop_in_background`.
    pub spent: Spent,
}

/// Things to free later; a clone of a dataset has none. (Behind a lock
/// only so that a dataset can be shared among threads; nothing reads it.)
#[derive(Default)]
pub struct Spent(std::sync::Mutex<Vec<Box<dyn Send>>>);

impl Spent {
    pub fn push(&mut self, thing: Box<dyn Send>) {
        self.things().push(thing);
    }

    /// Takes over what `other` holds.
    pub fn append(&mut self, other: &mut Spent) {
        let mut taken = std::mem::take(other.things());
        self.things().append(&mut taken);
    }

    fn things(&mut self) -> &mut Vec<Box<dyn Send>> {
        self.0.get_mut().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clone for Spent {
    fn clone(&self) -> Self {
        Spent::default()
    }
}

impl std::fmt::Debug for Spent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.0.lock().map_or(0, |things| things.len());
        write!(f, "Spent({held})")
    }
}

impl Dataset {
    /// Frees the dataset on a thread of its own: millions of records and a
    /// workbook's cells take a while to free, which a command about to end
    /// need not wait for (the process ending frees them anyway).
    pub fn drop_in_background(self) {
        crate::parallel::drop_in_background(self);
    }

    /// Points each task at its deal by ID (deal IDs are unique once
    /// repeats are merged), so rules and reports need no ID lookups.
    pub fn link_tasks(&mut self) {
        let (deals, texts) = (&self.deals, &self.texts);
        let mut index = crate::id_index::IdIndex::with_capacity(deals.len());
        let mut leads = crate::id_index::IdIndex::default();
        for (i, deal) in deals.iter().enumerate() {
            let id = texts.get(deal.id);
            let ids = if self.is_lead(deal) {
                &mut leads
            } else {
                &mut index
            };
            ids.find_or_insert(id, i as u32, |d| texts.get(deals[d as usize].id));
        }
        self.link_tasks_by(&index, &leads);
    }

    /// `link_tasks` with the deals and the leads already indexed by ID;
    /// the tasks are shared among the cores.
    pub(crate) fn link_tasks_by(
        &mut self,
        deal_index: &crate::id_index::IdIndex,
        lead_index: &crate::id_index::IdIndex,
    ) {
        let (deals, texts) = (&self.deals, &self.texts);
        let share = self.tasks.len().div_ceil(crate::parallel::cores()).max(1);
        std::thread::scope(|scope| {
            for tasks in self.tasks.chunks_mut(share) {
                scope.spawn(move || {
                    for task in tasks {
                        let deal = texts.get(task.deal_id);
                        let index = if task.to_lead { lead_index } else { deal_index };
                        task.deal = index
                            .find(deal, |d| texts.get(deals[d as usize].id))
                            .unwrap_or(NO_DEAL);
                    }
                });
            }
        });
    }

    /// Whether `deal` is a lead of a lead export, not a deal: its stage is
    /// its status, judged by the rule set's [leads]; only the rules that
    /// say `leads = true` judge it, and it is no deal of the workload.
    pub fn is_lead(&self, deal: &Deal) -> bool {
        self.files[usize::from(deal.file)].kind == EntityKind::Leads
    }

    pub fn files_of(&self, kind: EntityKind) -> impl Iterator<Item = &InputFile> {
        self.files.iter().filter(move |f| f.kind == kind)
    }

    pub fn has_kind(&self, kind: EntityKind) -> bool {
        self.files_of(kind).next().is_some()
    }

    /// Every record that names a manager, as its manager and its file:
    /// deals and leads, tasks, calls (read or not), call reviews.
    pub fn manager_records(&self) -> impl Iterator<Item = (ManagerId, FileId)> + '_ {
        let (first, second) = self.manager_records_halved();
        first.chain(second)
    }

    /// `manager_records` in two parts of about the same cost to sweep,
    /// for two threads: the deals and the first half of the tasks (the
    /// most records, and large ones), then the other half of the tasks,
    /// the calls and the call reviews.
    pub(crate) fn manager_records_halved(
        &self,
    ) -> (
        impl Iterator<Item = (ManagerId, FileId)> + Send + '_,
        impl Iterator<Item = (ManagerId, FileId)> + Send + '_,
    ) {
        let deals = self.deals.iter().map(|d| (d.manager, d.file));
        let (first, second) = self.tasks.split_at(self.tasks.len() / 2);
        let task = |t: &Task| (t.manager, t.file);
        let calls = self.calls.iter().map(|c| (c.manager, c.file));
        let unreadable = self.unreadable_calls.iter().map(|c| (c.manager, c.file));
        let reviews = self.reviews.iter().map(|r| (r.manager, r.file));
        (
            deals.chain(first.iter().map(task)),
            (second.iter().map(task))
                .chain(calls)
                .chain(unreadable)
                .chain(reviews),
        )
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

    /// A kept text.
    pub fn text(&self, text: Text) -> &str {
        self.texts.get(text)
    }

    /// Deal `index`'s unreadable value cells.
    pub fn unreadable_cells(&self, index: usize) -> &[UnreadableCell] {
        u32::try_from(index)
            .ok()
            .and_then(|i| self.unreadable_deals.get(&i))
            .map_or(&[], |u| &u.cells)
    }

    /// The unreadable value cells of the task read at `file` and `row`.
    pub fn unreadable_task_cells(&self, file: FileId, row: u64) -> &[UnreadableCell] {
        self.unreadable_tasks
            .get(&(file, row))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether deal `index`'s `Ближайшая задача` could not be read.
    pub fn nearest_task_unreadable(&self, index: usize) -> bool {
        u32::try_from(index)
            .ok()
            .and_then(|i| self.unreadable_deals.get(&i))
            .is_some_and(|u| u.nearest_task)
    }

    /// A kept text of deal `index` (empty when blank).
    pub fn deal_value(&self, index: usize, stride: usize, slot: usize) -> &str {
        self.deal_values
            .get(index * stride + slot)
            .map_or("", |&v| self.text(v))
    }

    /// A kept text of task `index` (empty when blank).
    pub fn task_value(&self, index: usize, stride: usize, slot: usize) -> &str {
        self.task_values
            .get(index * stride + slot)
            .map_or("", |&v| self.text(v))
    }
}

#[cfg(test)]
mod tests {
    use super::{day_number, PackedMoment, PackedTime};
    use crate::value::Moment;
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

    #[test]
    fn a_times_day_number_is_its_dates() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(day_number(day(1970, 1, 1)), 0);
        assert_eq!(day_number(day(1969, 12, 31)), -1);
        for date in [
            day(1969, 12, 31),
            day(1970, 1, 1),
            day(2026, 11, 26),
            day(2028, 2, 29),
        ] {
            let number = day_number(date);
            assert_eq!(date.succ_opt().map(day_number), Some(number + 1));
            // The first and the last millisecond of the day are its.
            for (h, m, s, ms) in [(0, 0, 0, 0), (12, 30, 0, 0), (23, 59, 59, 999)] {
                let at = date.and_hms_milli_opt(h, m, s, ms).unwrap();
                assert_eq!(
                    PackedTime::from(Some(at)).day_number(),
                    Some(number),
                    "{at}"
                );
            }
        }
        assert_eq!(PackedTime::NONE.day_number(), None);
    }

    #[test]
    fn packed_milliseconds_order_times_as_the_times_order() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let at = |h, m| day.and_hms_opt(h, m, 0).unwrap();
        let before_1970 = NaiveDate::from_ymd_opt(1969, 12, 31)
            .unwrap()
            .and_time(NaiveTime::MIN);
        let times: [NaiveDateTime; 4] = [
            before_1970,
            day.and_time(NaiveTime::MIN),
            at(9, 30),
            at(18, 0),
        ];
        for pair in times.windows(2) {
            let [a, b] = [pair[0], pair[1]].map(|t| PackedTime::from(Some(t)).millis().unwrap());
            assert!(a < b, "{pair:?}");
        }
        for t in times {
            let millis = PackedTime::from(Some(t)).millis().unwrap();
            assert_eq!(PackedTime::from_millis(millis), Some(t));
            // A moment's milliseconds: its time, or its day's midnight.
            let moment = PackedMoment::from(Some(Moment::At(t)));
            assert_eq!(moment.millis(), Some(millis));
            let whole_day = PackedMoment::from(Some(Moment::Day(t.date())));
            let midnight = t.date().and_time(NaiveTime::MIN);
            assert_eq!(
                whole_day.millis().and_then(PackedTime::from_millis),
                Some(midnight)
            );
        }
        assert_eq!(PackedTime::NONE.millis(), None);
        assert_eq!(PackedMoment::NONE.millis(), None);
    }

    /// Millions of these are kept: a field added to one must earn its
    /// bytes (see bench/README.md for what they cost at scale).
    #[test]
    fn records_stay_compact() {
        assert!(std::mem::size_of::<super::Call>() <= 28);
        assert!(std::mem::size_of::<super::Task>() <= 96);
        assert!(std::mem::size_of::<super::Deal>() <= 104);
        assert_eq!(std::mem::size_of::<super::Text>(), 8);
    }

    #[test]
    fn moments_pack_into_eight_bytes_and_back() {
        use super::{PackedMoment, PackedTime};
        use crate::value::Moment;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let at = day.and_hms_milli_opt(23, 59, 59, 250).unwrap();
        let old = chrono::NaiveDate::from_ymd_opt(1899, 12, 31).unwrap();
        for moment in [
            None,
            Some(Moment::Day(day)),
            Some(Moment::At(at)),
            Some(Moment::At(day.and_time(chrono::NaiveTime::MIN))),
            Some(Moment::Day(old)),
        ] {
            assert_eq!(PackedMoment::from(moment).get(), moment);
        }
        assert_ne!(
            PackedMoment::from(Some(Moment::Day(day))),
            PackedMoment::from(Some(Moment::At(day.and_time(chrono::NaiveTime::MIN)))),
            "a whole day is not its midnight"
        );
        for time in [None, Some(at), Some(old.and_hms_opt(0, 0, 1).unwrap())] {
            assert_eq!(PackedTime::from(time).get(), time);
        }
        assert_eq!(std::mem::size_of::<PackedMoment>(), 8);
    }

    #[test]
    fn texts_keep_and_shift() {
        use super::{Text, Texts};
        let mut a = Texts::default();
        let id = a.keep("31400000").unwrap();
        let name = a.keep("Радиаторы для коттеджа").unwrap();
        assert_eq!(a.keep(""), Some(Text::EMPTY));
        assert_eq!(
            (a.get(id), a.get(name), a.get(Text::EMPTY)),
            ("31400000", "Радиаторы для коттеджа", "")
        );
        let mut b = Texts::default();
        let other = b.keep("52000001").unwrap();
        let by = b.append(&a);
        assert_eq!(by, 8);
        assert_eq!(b.get(other), "52000001");
        assert_eq!(b.get(name.shifted(by)), "Радиаторы для коттеджа");
        assert_eq!(Text::EMPTY.shifted(by), Text::EMPTY);
        assert_eq!(b.keep(&"x".repeat(super::TEXT_MAX_BYTES + 1)), None);
        assert!(b.keep(&"x".repeat(super::TEXT_MAX_BYTES)).is_some());
    }
}

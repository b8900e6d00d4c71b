//! Reading the exports: finding the files, recognising each by its header,
//! and turning rows into the compact records of `model`. Every data row is
//! accounted for: it becomes a record or is skipped with a reason that the
//! report shows. A value that cannot be read is never guessed: in a deal,
//! task, logged call or reviewed call it is described on the record
//! (reported as its unreadable-value finding), elsewhere, or with
//! `--strict`, an error naming the file, the row and the column.
//!
//! The order of work: `plan` recognises every file; `stretches` cuts large
//! CSV files (and `SheetSource` sheets) into pieces; `part` reads pieces on
//! every core; `merge` puts them together in file order, into the dataset
//! one thread reading row after row would build.

mod calls;
mod catalog;
mod contacts;
pub(crate) mod csv_source;
mod deals;
mod discover;
pub(crate) mod error;
pub(crate) mod html_source;
mod manifest;
mod merge;
mod named_calls;
mod newer;
mod open;
mod owners;
mod part;
mod people;
mod phones;
mod plain_record;
mod plan;
mod planned;
pub(crate) mod reason;
pub(crate) mod recognize;
mod repeated_calls;
mod reviews;
mod roster_people;
mod row;
mod same_person;
mod sheet_grid;
pub(crate) mod sheet_source;
pub(crate) mod source;
pub(crate) mod stretches;
mod tasks;

use crate::checks::failure_words::FailureWords;
use crate::model::{Dataset, FileId, NotRead, StageEntry, StageId, Text, UNASSIGNED};
use crate::rules::columns::EntityKind;
use crate::rules::{PhoneCountry, RuleSet};
use crate::value::{normalize_header, normalize_name};
use anyhow::anyhow;
pub(crate) use catalog::{catalog_values, CatalogColumns};
use error::{Problem, UnreadableCell};
use people::People;
use row::Row;
use rustc_hash::FxHashMap;

pub use discover::{discover, Found};
pub use manifest::snapshots;
pub use phones::{phone_state, phone_states};

/// Choices of the command line that affect reading.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The sheet of a workbook to read; the first when `None`.
    pub sheet: Option<String>,
    /// Keep what only `inspect` shows (the deal IDs calls name), which an
    /// audit does not need.
    pub for_inspection: bool,
    /// Where the bytes read are counted for a watcher, if anyone watches.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
    /// How many threads read (0: one per core).
    pub threads: usize,
    /// The largest size step at which CSV files are cut into stretches
    /// read in parallel (`stretches::STRETCH_BYTES`; a smaller file is cut
    /// finer, see `stretches::step`; tests cut finer still).
    pub stretch_bytes: u64,
    /// How many rows of a sheet each thread takes at a time.
    pub sheet_rows: usize,
    /// A file found in a folder that is not an export (`--strict`) ends
    /// the run, as one named on the command line does, instead of being
    /// skipped and listed.
    pub strict: bool,
    /// The audit moment, when known: a date in a file's name after it is
    /// no day of its export (`input::newer`).
    pub as_of: Option<chrono::NaiveDateTime>,
}

/// Rows of a sheet per piece: enough that a piece's fixed costs do not
/// show, few enough to share a 100,000-row sheet among the cores.
pub const SHEET_ROWS: usize = 16 * 1024;

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            sheet: None,
            for_inspection: false,
            progress: None,
            threads: 0,
            stretch_bytes: stretches::STRETCH_BYTES,
            sheet_rows: SHEET_ROWS,
            strict: false,
            as_of: None,
        }
    }
}

/// Reads every file (folders already expanded by `discover`): each is
/// recognised first, then their rows are read in pieces on every core and
/// the pieces merged in file order, as if read one row after another.
pub fn load(files: &[Found], rules: &RuleSet, options: &LoadOptions) -> anyhow::Result<Dataset> {
    let mut needs = Needs::of(rules);
    let Planned {
        plans,
        inputs,
        not_read,
        pieces,
    } = plan_files(files, rules, options)?;
    let exports = |kind| plans.iter().filter(|p| p.kind == kind).count();
    needs.deal_dates = exports(EntityKind::Deals) > 1 || exports(EntityKind::Leads) > 1;
    needs.call_copies = exports(EntityKind::Calls) > 1;
    check_deal_exports(&plans, &not_read)?;
    let shared = part::Shared {
        rules,
        needs: &needs,
        options,
        plans: &plans,
        spare: std::sync::Mutex::new(Vec::new()),
    };
    let as_of = options.as_of.map(|t| t.date());
    let mut merger = merge::Merger::new(rules, inputs, as_of, needs.call_copies);
    read_pieces(&shared, &pieces, &mut merger)?;
    let (mut data, deal_index, lead_index, ranks) = merger.finish();
    roster_people::add(&mut data, rules);
    data.not_read = not_read;
    check_some_deal_readable(&data)?;
    calls::check_some_readable(&data)?;
    reviews::check_some_readable(&data)?;
    contacts::lend_phones(&mut data);
    tasks::merge_repeats(&mut data, rules.task_fields.value_count(), &ranks);
    tasks::link_by_title(&mut data);
    data.link_tasks_by(&deal_index, &lead_index);
    Ok(data)
}

/// The files recognised, with the pieces their rows are read in.
struct Planned {
    plans: Vec<plan::Plan>,
    inputs: Vec<crate::model::InputFile>,
    /// A folder's files that are no export, skipped.
    not_read: Vec<NotRead>,
    pieces: Vec<part::Piece>,
}

/// Recognises every file and cuts each into pieces; a file of a folder
/// that is no export is skipped and listed (unless `--strict`).
fn plan_files(files: &[Found], rules: &RuleSet, options: &LoadOptions) -> anyhow::Result<Planned> {
    let mut plans = Vec::with_capacity(files.len());
    let mut inputs = Vec::with_capacity(files.len());
    let mut not_read = Vec::new();
    let mut pieces = Vec::new();
    for found in files {
        let (path, shown) = (&found.path, &found.shown);
        let file = FileId::try_from(plans.len()).map_err(|_| anyhow!("too many input files"))?;
        let (mut plan, body, input) =
            match plan::plan(file, path, shown, rules, options.sheet.as_deref()) {
                Ok(planned) => planned,
                Err(e) if found.in_folder && !options.strict => {
                    match e.downcast::<recognize::Unrecognised>() {
                        Ok(stray) => {
                            not_read.push(NotRead {
                                path: stray.path,
                                reason: stray.reason,
                            });
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                }
                Err(e) => return Err(e),
            };
        if let Some(progress) = &options.progress {
            progress.add_total(plan.size);
        }
        let before = pieces.len();
        pieces.extend(pieces_of(&plan, plans.len(), path, body, options)?);
        plan.pieces = (pieces.len() - before) as u64;
        plans.push(plan);
        inputs.push(input);
    }
    Ok(Planned {
        plans,
        inputs,
        not_read,
        pieces,
    })
}

/// The pieces the file of `plan` (the `index`th) is read in.
fn pieces_of(
    plan: &plan::Plan,
    index: usize,
    path: &std::path::Path,
    body: plan::Body,
    options: &LoadOptions,
) -> anyhow::Result<Vec<part::Piece>> {
    // A call-review sheet names a row without an ID by its line,
    // which only a whole reading knows.
    let whole = plan.kind == EntityKind::CallReviews;
    let cuts = match plan.csv {
        // Decoded files change their offsets.
        Some((encoding, delimiter)) if encoding != csv_source::Encoding::Windows1251 && !whole => {
            let shape = stretches::Shape {
                delimiter,
                width: plan.header_cells.len(),
            };
            let step = stretches::step(plan.size, options.stretch_bytes);
            stretches::file_cuts(path, encoding.data_start(), step, shape)?
        }
        _ => Vec::new(),
    };
    let sheet_rows = if whole {
        usize::MAX
    } else {
        options.sheet_rows
    };
    Ok(part::pieces(index, body, &cuts, sheet_rows))
}

/// Reads the pieces on the threads asked for and merges them in order.
fn read_pieces(
    shared: &part::Shared,
    pieces: &[part::Piece],
    merger: &mut merge::Merger,
) -> anyhow::Result<()> {
    let threads = match shared.options.threads {
        0 => crate::parallel::cores(),
        n => n,
    };
    let plans = shared.plans;
    // Per file: where the next piece's lines count on from; and how many
    // pieces to drop because the piece before read on into them.
    let mut line_base = vec![0u64; plans.len()];
    let mut dropping = 0usize;
    crate::parallel::in_order(
        pieces,
        threads,
        |piece| shared.read(piece, 1),
        |i, part| {
            if dropping > 0 {
                dropping -= 1;
                return Ok(());
            }
            let piece = &pieces[i];
            let base = line_base[piece.plan];
            let (part, offset) = match part {
                Ok(part) => (part, base),
                Err(e) if base == 0 => return Err(e),
                // Read again with its lines known, for the error to name
                // the right line.
                Err(_) => (shared.read(piece, base + 1)?, 0),
            };
            line_base[piece.plan] = base + part.lines;
            dropping = part.absorbed;
            shared.give_back(merger.add(plans[piece.plan].file, part, offset));
            Ok(())
        },
    )
}

/// A folder's files skipped, or deal exports that cannot be audited
/// together, leave nothing an audit can be trusted on: no deal export at
/// all once strays are skipped (so a broken deal export is never skipped
/// into an audit of nothing), or deal exports of two CRMs, whose IDs and
/// stages mean different things.
fn check_deal_exports(plans: &[plan::Plan], not_read: &[NotRead]) -> anyhow::Result<()> {
    let deals: Vec<&plan::Plan> = plans
        .iter()
        .filter(|p| p.kind == EntityKind::Deals)
        .collect();
    // A lead export is no stand-in for a deal export skipped as a stray.
    if deals.is_empty() && !not_read.is_empty() {
        let skipped: Vec<String> = not_read
            .iter()
            .map(|n| format!("\n  {}: {}", n.path, n.reason))
            .collect();
        anyhow::bail!(
            "no deal export among the inputs; files not read:{}",
            skipped.concat()
        );
    }
    // Leads are Bitrix24's: beside amoCRM's deals they are another CRM's.
    let mut systems = plans.iter().filter_map(|p| p.crm().map(|crm| (crm, p)));
    if let Some((first, first_plan)) = systems.next() {
        if let Some((other, other_plan)) = systems.find(|(crm, _)| *crm != first) {
            anyhow::bail!(
                "deal exports of two CRMs: {} ({first}) and {} ({other}); \
                 audit each CRM's exports on their own",
                first_plan.shown,
                other_plan.shown
            );
        }
    }
    Ok(())
}

/// A deal file none of whose deals could be read whole (or a task list
/// none of whose tasks could) is the wrong file or a wrong mapping, not a
/// night's odd cell: the run ends with the first unreadable cell, as
/// `--strict` would have.
fn check_some_deal_readable(data: &Dataset) -> anyhow::Result<()> {
    // Only a task list has tasks, and only a deal or lead export has
    // deals: a sweep of every record for another file finds none (two
    // sweeps of four million tasks at the benchmark's large size, alone
    // on one core).
    let files_of = |kinds: &'static [EntityKind]| {
        (data.files.iter().enumerate()).filter(move |(_, f)| kinds.contains(&f.kind))
    };
    for (index, file) in files_of(&[EntityKind::Tasks]) {
        let mut tasks = data.tasks.iter().filter(|t| usize::from(t.file) == index);
        let Some(first) = tasks.next() else {
            continue;
        };
        if !first.unreadable || tasks.any(|t| !t.unreadable) {
            continue;
        }
        let cell = first_cell(data.unreadable_task_cells(first.file, first.row));
        anyhow::bail!("{cell} (no task of {} could be read whole)", file.path);
    }
    for (index, file) in files_of(&[EntityKind::Deals, EntityKind::Leads]) {
        let mut deals = (0..data.deals.len()).filter(|&d| usize::from(data.deals[d].file) == index);
        let Some(first) = deals.next() else {
            continue;
        };
        let whole = |d: usize| data.unreadable_cells(d).is_empty();
        if whole(first) || deals.any(whole) {
            continue;
        }
        let cell = first_cell(data.unreadable_cells(first));
        anyhow::bail!("{cell} (no deal of {} could be read whole)", file.path);
    }
    Ok(())
}

/// The first of a record's unreadable cells, in English, as an error
/// ending the run names it.
pub(super) fn first_cell(cells: &[UnreadableCell]) -> String {
    cells.first().map(ToString::to_string).unwrap_or_default()
}

/// What the rules need read beyond the essentials: a value no rule uses is
/// not parsed, so a malformed cell in an unused column cannot stop the audit.
struct Needs {
    call_status: bool,
    call_duration: bool,
    /// The numbering plans phone numbers are judged by: each invalid-phone
    /// rule's country, once (Russia's when no rule names one). Usually one.
    phone_countries: Vec<PhoneCountry>,
    /// Result texts worth keeping: any follow-up rule's words, ignoring
    /// case, in one pass over the text. Only to save memory (tens of
    /// millions of tasks, few of them failed contacts): each rule judges a
    /// kept result by its own words.
    failure: Option<FailureWords>,
    /// A rule reports records' unreadable value cells: without one, such a
    /// cell ends the run, as with `--strict`, so none is ever passed over
    /// unsaid.
    unreadable_findings: bool,
    /// Deals' modification dates, which tell which of two exports' copies
    /// of a deal is newer: read only when two deal (or lead) exports are.
    deal_dates: bool,
    /// Each call's row, phone and time as written, which tell a call's
    /// copy in another log (`repeated_calls`): kept only when two call
    /// logs are read.
    call_copies: bool,
}

/// Notes an unreadable value cell of a record in `cells` (once per cell);
/// any other error stays one.
fn note_unreadable(cells: &mut Vec<UnreadableCell>, error: anyhow::Error) -> anyhow::Result<()> {
    let cell = UnreadableCell::of(error)?;
    let known = |c: &UnreadableCell| c.column == cell.column && c.error == cell.error;
    if !cells.iter().any(known) {
        cells.push(cell);
    }
    Ok(())
}

/// Why a cell cannot be kept.
const TOO_LONG: &str = "a cell holds more than 16 MiB of text";

/// Values already parsed, by their text.
#[derive(Default)]
struct Memo {
    /// A call log's employee cells, by file, as `calls::whose` judges
    /// them (a log repeats a few hundred cells over millions of rows).
    callers: FxHashMap<FileId, FxHashMap<Box<str>, calls::Caller>>,
    flags: FxHashMap<Box<str>, bool>,
    directions: FxHashMap<Box<str>, crate::value::Direction>,
    /// A call log's status cells as the status words class them (none:
    /// a word no list knows).
    statuses: FxHashMap<Box<str>, Option<crate::rules::values::CallStatus>>,
    task_types: FxHashMap<Box<str>, Option<crate::value::TaskType>>,
    pipelines: FxHashMap<Box<str>, u32>,
}

/// The value of `text` from `cache`, made (and remembered) once.
fn remember<T: Copy>(
    cache: &mut FxHashMap<Box<str>, T>,
    text: &str,
    make: impl FnOnce() -> T,
) -> T {
    if let Some(&v) = cache.get(text) {
        return v;
    }
    let made = make();
    cache.insert(text.into(), made);
    made
}

/// The value of `text` from `cache`, parsing it (and remembering it) once.
fn memo<T: Copy>(
    cache: &mut FxHashMap<Box<str>, T>,
    text: &str,
    parse: impl FnOnce() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<Option<T>> {
    if let Some(&v) = cache.get(text) {
        return Ok(Some(v));
    }
    let parsed = parse()?;
    if let Some(v) = parsed {
        cache.insert(text.into(), v);
    }
    Ok(parsed)
}

impl Needs {
    /// What the rules ask for: each rule's check kind says its part.
    fn of(rules: &RuleSet) -> Needs {
        let mut wants = Wants::default();
        for rule in &rules.rules {
            rule.check.needs(&mut wants);
        }
        let failure = FailureWords::any_of(&wants.failure_words);
        Needs {
            call_status: wants.call_status,
            call_duration: wants.call_duration,
            phone_countries: if wants.phone_countries.is_empty() {
                vec![PhoneCountry::Ru]
            } else {
                wants.phone_countries
            },
            failure,
            unreadable_findings: wants.unreadable_findings,
            deal_dates: false,
            call_copies: false,
        }
    }
}

/// What one rule's check asks the readers to keep, added up over the rules
/// (`checks::Kind::needs`).
#[derive(Debug, Default)]
pub(crate) struct Wants {
    /// Calls' statuses (a count of answered calls).
    pub call_status: bool,
    /// Calls' durations (a count of calls of a least duration).
    pub call_duration: bool,
    /// The numbering plans phone numbers are judged by, each once.
    pub phone_countries: Vec<PhoneCountry>,
    /// Each follow-up rule's finder of the words of a task's result that
    /// report a failed contact (a rule without words has none).
    pub failure_words: Vec<FailureWords>,
    /// Records' unreadable value cells are reported, not an error.
    pub unreadable_findings: bool,
}

/// Turns rows into records for one piece of reading: its own tables of
/// managers, stages and pipelines, numbered in the piece (see `merge`).
struct Loader<'r> {
    rules: &'r RuleSet,
    needs: &'r Needs,
    data: Dataset,
    /// Stage ids by pipeline (as `RuleSet::pipeline_of` numbers them) and text.
    stage_ids: Vec<FxHashMap<Box<str>, StageId>>,
    /// Parsed values by the text they were parsed from: exports repeat a
    /// handful of words (`Да`, `Исходящий`, `Звонок`) millions of times.
    memo: Memo,
    /// Manager ids by the text as the files write it.
    manager_ids: FxHashMap<Box<str>, (u32, bool)>,
    /// Manager names read that held format characters (removed).
    format_chars: u64,
    /// Manager ids by name, spaces tidied and case ignored: `Иванова Мария`
    /// and `иванова  мария` are one person, shown as first written.
    managers: People,
    /// A record's value cell that cannot be read is described on
    /// the record (and reported as its finding) instead of ending the run.
    lenient_values: bool,
    /// `--strict`: a row a reader would skip for a word it does not know
    /// (a review's call type) ends the run instead.
    strict: bool,
}

impl<'r> Loader<'r> {
    /// A loader filling `data`, whose records are empty (its vectors may
    /// hold memory from an earlier piece).
    fn new(rules: &'r RuleSet, needs: &'r Needs, mut data: Dataset) -> Self {
        data.pipelines.intern("");
        Loader {
            rules,
            needs,
            data,
            stage_ids: Vec::new(),
            manager_ids: FxHashMap::default(),
            format_chars: 0,
            memo: Memo::default(),
            managers: People::default(),
            lenient_values: false,
            strict: false,
        }
    }

    /// A value read from the row: when it cannot be read and the loader
    /// is lenient, none, with the cell described in `cells`.
    fn value<T>(
        &self,
        read: anyhow::Result<Option<T>>,
        cells: &mut Vec<UnreadableCell>,
    ) -> anyhow::Result<Option<T>> {
        match read {
            Err(e) if self.lenient_values => note_unreadable(cells, e).map(|()| None),
            read => read,
        }
    }
    /// Counts a word no list of `[values.TABLE]` has, read as `read_as`.
    fn unclassified(&mut self, table: &'static str, read_as: &'static str, word: &str) {
        *self
            .data
            .unclassified
            .entry((table, read_as, word.into()))
            .or_default() += 1;
    }

    /// Keeps a text of the row's record.
    fn keep(&mut self, row: &Row, text: &str) -> anyhow::Result<Text> {
        self.data
            .texts
            .keep(text)
            .ok_or_else(|| row.input_error(None, Problem::Cell(TOO_LONG.into())).into())
    }

    /// A cell naming a manager (a deal's, a task's, a call's or a review's
    /// responsible, a telephony log's caller), as read: empty when it holds
    /// only a blank word (`-`, `нет`: `blank-words`), like an empty cell.
    fn manager_cell<'a>(&self, row: &Row<'a>, field: usize) -> std::borrow::Cow<'a, str> {
        let text = row.text(field);
        if !text.is_empty() && self.rules.blank_words.is_blank(&text) {
            return std::borrow::Cow::Borrowed("");
        }
        text
    }

    /// Whether a cell is empty or holds only a blank word (`-`): a call's
    /// status or duration so written is not known, like an empty one.
    fn blank_cell(&self, row: &Row, field: usize) -> bool {
        self.rules.blank_words.is_blank(&row.text(field))
    }

    /// The manager a name stands for: the roster's person when it knows
    /// the name (or alias), else the name as written (spaces tidied).
    fn manager(&mut self, written: &str) -> u32 {
        if let Some(&(id, hidden)) = self.manager_ids.get(written) {
            self.format_chars += u64::from(hidden);
            return id;
        }
        let hidden = crate::value::has_format_chars(written);
        self.format_chars += u64::from(hidden);
        let name = normalize_name(written);
        let name = if name.is_empty() {
            UNASSIGNED.to_string()
        } else {
            match self.rules.roster.find(&name) {
                Some(person) => person.name.clone(),
                None => name,
            }
        };
        let id = self.managers.id(&mut self.data.managers, &name);
        self.manager_ids.insert(written.into(), (id, hidden));
        id
    }

    /// The stage of a deal in `pipeline` (an index of `data.pipelines`),
    /// classified by that pipeline's stages where the rule set has them.
    fn stage(&mut self, pipeline: u32, text: &str) -> StageId {
        let judged_by = self.rules.pipeline_of(self.data.pipelines.name(pipeline));
        self.stage_judged_by(judged_by, text)
    }

    /// A stage classified by the stages `judged_by` names (a lead's status
    /// by the rule set's [leads]).
    fn stage_judged_by(&mut self, judged_by: crate::rules::PipelineId, text: &str) -> StageId {
        let text = text.trim();
        let by_text = usize::from(judged_by);
        if self.stage_ids.len() <= by_text {
            self.stage_ids.resize_with(by_text + 1, FxHashMap::default);
        }
        if let Some(&id) = self.stage_ids[by_text].get(text) {
            return id;
        }
        let id = self.data.stages.len() as StageId;
        self.data.stages.push(StageEntry {
            text: text.into(),
            pipeline: judged_by,
            key: normalize_header(text).into(),
            matched: self
                .rules
                .stages_of(judged_by)
                .classify_with(text, &self.rules.blank_words),
        });
        self.stage_ids[by_text].insert(text.into(), id);
        id
    }
}

//! Reading the exports: finding the files, recognising each by its header,
//! and turning rows into the compact records of `model`. Every data row is
//! accounted for: it becomes a record or is skipped with a reason that the
//! report shows. A value that cannot be read is an error naming the file,
//! the row and the column; the audit never guesses.

mod calls;
mod catalog;
mod contacts;
pub mod csv_source;
mod deals;
mod discover;
pub mod html_source;
mod open;
mod phones;
pub mod recognize;
mod reviews;
mod row;
pub mod sheet_source;
pub mod source;
pub mod stretches;
mod tasks;

use crate::model::{Dataset, InputFile, StageEntry, StageId, UNASSIGNED};
use crate::rules::columns::{field_specs, CallField, EntityKind, Role, TaskField};
use crate::rules::stages::FieldMask;
use crate::rules::{Check, Counted, PhoneCountry, RuleSet};
use crate::value::{normalize_header, normalize_name};
use anyhow::{anyhow, bail};
use catalog::{catalog_columns, mapping};
pub(crate) use catalog::{catalog_values, CatalogColumns};
use recognize::{header_names, recognize, HEADER_SEARCH_ROWS};
use row::{Header, Row};
use rustc_hash::FxHashMap;
use source::cell_text;
use std::path::{Path, PathBuf};

pub use discover::discover;
pub use phones::phone_state;

/// Choices of the command line that affect reading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The sheet of a workbook to read; the first when `None`.
    pub sheet: Option<String>,
    /// Keep what only `inspect` shows (the deal IDs calls name), which an
    /// audit does not need.
    pub for_inspection: bool,
    /// Where the bytes read are counted for a watcher, if anyone watches.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
}

/// Reads every file (folders already expanded by `discover`).
pub fn load(
    files: &[(PathBuf, String)],
    rules: &RuleSet,
    options: &LoadOptions,
) -> anyhow::Result<Dataset> {
    let mut loader = Loader::new(rules);
    loader.data.pipelines.intern("");
    for (path, shown) in files {
        loader.load_file(path, shown, options)?;
    }
    contacts::lend_phones(&mut loader.data);
    tasks::merge_repeats(&mut loader.data, rules.task_fields.value_count());
    tasks::link_by_title(&mut loader.data);
    Ok(loader.data)
}

/// What the rules need read beyond the essentials: a value no rule uses is
/// not parsed, so a malformed cell in an unused column cannot stop the audit.
struct Needs {
    call_status: bool,
    call_duration: bool,
    /// How phone numbers are judged (the invalid-phone rule's country).
    phone_country: PhoneCountry,
    /// Result texts that report a failed contact: any follow-up rule's
    /// words, ignoring case, in one pass over the text.
    failure: Option<regex::Regex>,
}

/// Values already parsed, by their text.
#[derive(Default)]
struct Memo {
    flags: FxHashMap<Box<str>, bool>,
    directions: FxHashMap<Box<str>, crate::value::Direction>,
    task_types: FxHashMap<Box<str>, crate::value::TaskType>,
    pipelines: FxHashMap<Box<str>, u32>,
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

struct Loader<'r> {
    rules: &'r RuleSet,
    data: Dataset,
    /// Stage ids by pipeline (as `RuleSet::pipeline_of` numbers them) and text.
    stage_ids: Vec<FxHashMap<Box<str>, StageId>>,
    deal_index: FxHashMap<Box<str>, usize>,
    /// Parsed values by the text they were parsed from: exports repeat a
    /// handful of words (`Да`, `Исходящий`, `Звонок`) millions of times.
    memo: Memo,
    /// Manager ids by the text as the files write it.
    manager_ids: FxHashMap<Box<str>, u32>,
    /// Manager ids by name, spaces tidied and case ignored: `Иванова Мария`
    /// and `иванова  мария` are one person, shown as first written.
    manager_keys: FxHashMap<String, u32>,
    needs: Needs,
}

impl<'r> Loader<'r> {
    fn new(rules: &'r RuleSet) -> Self {
        // What any rule needs read: every counting rule's status and
        // duration, every follow-up rule's failure words.
        let counted = || {
            rules.rules.iter().filter_map(|r| match &r.check {
                Check::DailyCount(d) => match &d.counted {
                    Counted::OutgoingContacts {
                        answered_only,
                        min_duration_seconds,
                        ..
                    } => Some((*answered_only, *min_duration_seconds)),
                    Counted::OpenTasksDue => None,
                },
                _ => None,
            })
        };
        let mut failure_patterns: Vec<String> = rules
            .rules
            .iter()
            .flat_map(|r| match &r.check {
                Check::NoFollowUp { patterns } => patterns.clone(),
                _ => Vec::new(),
            })
            .collect();
        failure_patterns.sort();
        failure_patterns.dedup();
        let failure = (!failure_patterns.is_empty()).then(|| {
            let words: Vec<String> = failure_patterns.iter().map(|p| regex::escape(p)).collect();
            regex::RegexBuilder::new(&words.join("|"))
                .case_insensitive(true)
                .build()
                .expect("escaped words form a valid pattern")
        });
        Loader {
            rules,
            data: Dataset::default(),
            stage_ids: Vec::new(),
            deal_index: FxHashMap::default(),
            manager_ids: FxHashMap::default(),
            memo: Memo::default(),
            manager_keys: FxHashMap::default(),
            needs: Needs {
                call_status: counted().any(|(answered, _)| answered),
                call_duration: counted().any(|(_, min)| min > 0),
                phone_country: rules
                    .rules
                    .iter()
                    .find_map(|r| match r.check {
                        Check::InvalidPhone { country } => Some(country),
                        _ => None,
                    })
                    .unwrap_or(PhoneCountry::Ru),
                failure,
            },
        }
    }

    /// The manager a name stands for: the roster's person when it knows
    /// the name (or alias), else the name as written (spaces tidied).
    fn manager(&mut self, written: &str) -> u32 {
        if let Some(&id) = self.manager_ids.get(written) {
            return id;
        }
        let name = normalize_name(written);
        let name = if name.is_empty() {
            UNASSIGNED.to_string()
        } else {
            match self.rules.roster.find(&name) {
                Some(person) => person.name.clone(),
                None => name,
            }
        };
        let key = name.to_lowercase();
        let id = match self.manager_keys.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.data.managers.intern(&name);
                self.manager_keys.insert(key, id);
                id
            }
        };
        self.manager_ids.insert(written.into(), id);
        id
    }

    /// The stage of a deal in `pipeline` (an index of `data.pipelines`),
    /// classified by that pipeline's stages where the rule set has them.
    fn stage(&mut self, pipeline: u32, text: &str) -> StageId {
        let text = text.trim();
        let judged_by = self.rules.pipeline_of(self.data.pipelines.name(pipeline));
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
            matched: self.rules.stages_of(judged_by).classify(text),
        });
        self.stage_ids[by_text].insert(text.into(), id);
        id
    }

    fn load_file(&mut self, path: &Path, shown: &str, options: &LoadOptions) -> anyhow::Result<()> {
        let opened = open::open(path, options.sheet.as_deref())?;
        let mut source = opened.source;
        let mut first: Vec<Vec<String>> = Vec::new();
        while first.len() < HEADER_SEARCH_ROWS && source.next_row()? {
            first.push(
                (0..source.width())
                    .map(|c| cell_text(source.cell(c)).into_owned())
                    .collect(),
            );
        }
        if first.iter().all(|r| r.iter().all(String::is_empty)) {
            bail!("{shown}: the file is empty; expected a deal, task, call or contact export with a header row");
        }
        let found = recognize(&first, &self.rules.columns).map_err(|e| anyhow!("{shown}: {e}"))?;
        let kind = found.kind;
        for (field, spec) in field_specs(kind).iter().enumerate() {
            if spec.role == Role::Required && found.columns[field].is_empty() {
                bail!(
                    "{shown}: recognised as {}, but it has no column {} (needed for `{}`); \
                     add the column or map its header in the rule set's [columns.{}]",
                    kind.as_str(),
                    header_names(&self.rules.columns, kind, field),
                    spec.key,
                    kind.as_str()
                );
            }
        }
        if kind == EntityKind::Tasks
            && [TaskField::Completed, TaskField::Status]
                .iter()
                .all(|f| found.columns[f.index()].is_empty())
        {
            bail!(
                "{shown}: recognised as a task list, but it does not say which tasks are done: no column {} or {}",
                header_names(&self.rules.columns, kind, TaskField::Completed.index()),
                header_names(&self.rules.columns, kind, TaskField::Status.index()),
            );
        }
        if kind == EntityKind::Calls
            && [CallField::Manager, CallField::From, CallField::AnsweredBy]
                .iter()
                .all(|f| found.columns[f.index()].is_empty())
        {
            bail!(
                "{shown}: recognised as a call log, but it names no one: no column {}, {} or {}",
                header_names(&self.rules.columns, kind, CallField::Manager.index()),
                header_names(&self.rules.columns, kind, CallField::From.index()),
                header_names(&self.rules.columns, kind, CallField::AnsweredBy.index()),
            );
        }
        source.rewind()?;
        for _ in 0..=found.header_index {
            source.next_row()?;
        }
        let header_cells = first.swap_remove(found.header_index);
        let catalog = match kind {
            EntityKind::Deals => Some(&self.rules.deal_fields),
            EntityKind::Tasks => Some(&self.rules.task_fields),
            _ => None,
        };
        let catalog_columns = match kind {
            EntityKind::Deals => {
                catalog_columns(&header_cells, &found.columns, &self.rules.deal_fields)
            }
            EntityKind::Tasks => {
                catalog_columns(&header_cells, &found.columns, &self.rules.task_fields)
            }
            _ => Vec::new(),
        };
        let file_id =
            u16::try_from(self.data.files.len()).map_err(|_| anyhow!("too many input files"))?;
        self.data.files.push(InputFile {
            path: shown.to_string(),
            kind,
            format: opened.format,
            encoding: opened.encoding,
            delimiter: opened.delimiter,
            sheet: opened.sheet,
            header_row: source.row_number(),
            rows: 0,
            audited: 0,
            skipped: Default::default(),
            present: found.columns.iter().map(|c| !c.is_empty()).collect(),
            fields_present: catalog_columns
                .iter()
                .fold(FieldMask::default(), |m, (i, _)| m.with(*i)),
            notes: Vec::new(),
            mapping: mapping(
                kind,
                &found.columns,
                &catalog_columns,
                catalog,
                &header_cells,
            ),
            unmapped: header_cells
                .iter()
                .enumerate()
                .filter(|(i, h)| {
                    !h.is_empty()
                        && !found.columns.iter().any(|c| c.contains(i))
                        && !catalog_columns.iter().any(|(_, c)| c.contains(i))
                })
                .map(|(_, h)| h.trim().to_string())
                .collect(),
        });
        let header = Header {
            path: shown,
            cells: &header_cells,
            columns: &found.columns,
            time_zone: self.rules.time_zone,
        };
        loop {
            let more = source.next_row()?;
            let file = &mut self.data.files[usize::from(file_id)];
            for &line in source.blank_lines() {
                file.rows += 1;
                file.skip("empty row", line);
            }
            if !more {
                break;
            }
            let row = Row {
                header: &header,
                source: source.as_ref(),
            };
            let number = row.number();
            let skipped = if row.is_blank() {
                Some("empty row".to_string())
            } else {
                match kind {
                    EntityKind::Deals => deals::read(self, &row, file_id, &catalog_columns)?,
                    EntityKind::Tasks => tasks::read(self, &row, file_id, &catalog_columns)?,
                    EntityKind::Calls => calls::read(self, &row, file_id, options.for_inspection)?,
                    EntityKind::Contacts => contacts::read(self, &row)?,
                    EntityKind::CallReviews => reviews::read(self, &row, file_id)?,
                }
            };
            let file = &mut self.data.files[usize::from(file_id)];
            file.rows += 1;
            match skipped {
                Some(reason) => file.skip(reason, number),
                None => file.audited += 1,
            }
        }
        Ok(())
    }
}

//! Reading the exports: finding the files, recognising each by its header,
//! and turning rows into the compact records of `model`. Every data row is
//! accounted for: it becomes a record or is skipped with a reason that the
//! report shows. A value that cannot be read is an error naming the file,
//! the row and the column; the audit never guesses.

mod calls;
mod contacts;
pub mod csv_source;
mod deals;
mod discover;
pub mod html_source;
mod phones;
pub mod recognize;
mod reviews;
mod row;
pub mod sheet_source;
pub mod source;
mod tasks;

use crate::model::{Dataset, InputFile, StageEntry, StageId, UNASSIGNED};
use crate::rules::columns::{field_specs, CallField, EntityKind, Role, TaskField};
use crate::rules::fields::{FieldCatalog, FieldSource, ValueKind};
use crate::rules::stages::FieldMask;
use crate::rules::{Check, Counted, PhoneCountry, RuleSet};
use crate::value::{normalize_header, normalize_name};
use anyhow::{anyhow, bail, Context};
use recognize::{header_names, recognize, HEADER_SEARCH_ROWS};
use row::{Header, Row};
use source::{cell_text, RowSource};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use discover::discover;
pub use phones::phone_state;

/// Choices of the command line that affect reading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The sheet of a workbook to read; the first when `None`.
    pub sheet: Option<String>,
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
    flags: HashMap<Box<str>, bool>,
    directions: HashMap<Box<str>, crate::value::Direction>,
    task_types: HashMap<Box<str>, crate::value::TaskType>,
    pipelines: HashMap<Box<str>, u32>,
}

/// The value of `text` from `cache`, parsing it (and remembering it) once.
fn memo<T: Copy>(
    cache: &mut HashMap<Box<str>, T>,
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
    stage_ids: HashMap<Box<str>, StageId>,
    deal_index: HashMap<Box<str>, usize>,
    /// Parsed values by the text they were parsed from: exports repeat a
    /// handful of words (`Да`, `Исходящий`, `Звонок`) millions of times.
    memo: Memo,
    /// Manager ids by the text as the files write it.
    manager_ids: HashMap<Box<str>, u32>,
    /// Manager ids by name, spaces tidied and case ignored: `Иванова Мария`
    /// and `иванова  мария` are one person, shown as first written.
    manager_keys: HashMap<String, u32>,
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
            stage_ids: HashMap::new(),
            deal_index: HashMap::new(),
            manager_ids: HashMap::new(),
            memo: Memo::default(),
            manager_keys: HashMap::new(),
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

    fn stage(&mut self, text: &str) -> StageId {
        let text = text.trim();
        if let Some(&id) = self.stage_ids.get(text) {
            return id;
        }
        let id = self.data.stages.len() as StageId;
        self.data.stages.push(StageEntry {
            text: text.into(),
            key: normalize_header(text).into(),
            matched: self.rules.stages.classify(text),
        });
        self.stage_ids.insert(text.into(), id);
        id
    }

    fn load_file(&mut self, path: &Path, shown: &str, options: &LoadOptions) -> anyhow::Result<()> {
        let opened = open(path, options.sheet.as_deref())?;
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
                    EntityKind::Calls => calls::read(self, &row, file_id)?,
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

/// The columns of a file that carry a catalog field.
pub(crate) type CatalogColumns = Vec<(usize, Vec<usize>)>;

/// For each field of the rule set's catalog that this file has, its index
/// and the columns that carry it: a mapped field's recognised columns, or
/// the columns whose header is the field's name.
fn catalog_columns(
    header: &[String],
    recognised: &[Vec<usize>],
    catalog: &FieldCatalog,
) -> CatalogColumns {
    let normal: Vec<String> = header.iter().map(|h| normalize_header(h)).collect();
    catalog
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, field)| {
            let cols: Vec<usize> = match &field.source {
                FieldSource::Logical(f) => recognised.get(*f).cloned().unwrap_or_default(),
                FieldSource::Header(key) => normal
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| *h == key)
                    .map(|(c, _)| c)
                    .collect(),
            };
            (!cols.is_empty()).then_some((i, cols))
        })
        .collect()
}

/// The catalog fields filled in this row; the texts of those whose value a
/// rule needs are appended to `values` at the record's slots, checked to be
/// what the rule reads them as (an amount, a date).
fn catalog_values(
    row: &Row,
    columns: &CatalogColumns,
    catalog: &FieldCatalog,
    values: &mut Vec<Box<str>>,
) -> anyhow::Result<FieldMask> {
    let start = values.len();
    values.resize(start + catalog.value_count(), Box::from(""));
    let mut filled = FieldMask::default();
    for (field, cols) in columns {
        let first = cols
            .iter()
            .map(|&c| (c, row.source.cell(c)))
            .find(|(_, cell)| !cell.is_empty());
        let Some((column, cell)) = first else {
            continue;
        };
        filled = filled.with(*field);
        let reference = &catalog.fields[*field];
        if let Some(slot) = reference.value_slot {
            // A date cell at midnight is a whole day, as `Row::moment` reads it.
            let text = match cell {
                source::Cell::DateTime(d) if d.time() == chrono::NaiveTime::MIN => {
                    std::borrow::Cow::Owned(d.format("%d.%m.%Y").to_string())
                }
                _ => source::cell_text(cell),
            };
            let checked = match reference.value_kind {
                ValueKind::Text => Ok(()),
                ValueKind::Amount => crate::value::parse_amount(&text).map(drop),
                ValueKind::Moment => match cell {
                    source::Cell::DateTime(_) => Ok(()),
                    _ => crate::value::parse_moment(&text, row.header.time_zone).map(drop),
                },
            };
            checked.map_err(|e| row.error(column, &e.0))?;
            values[start + slot] = text.as_ref().into();
        }
    }
    Ok(filled)
}

struct Opened {
    source: Box<dyn RowSource>,
    format: &'static str,
    encoding: Option<&'static str>,
    delimiter: Option<char>,
    sheet: Option<String>,
}

fn open(path: &Path, sheet: Option<&str>) -> anyhow::Result<Opened> {
    let format = discover::format_of(path).ok_or_else(|| {
        anyhow!(
            "{}: unsupported file type; crm-audit reads .csv, .xlsx, .xls and .ods files",
            path.display()
        )
    })?;
    // Bitrix24's "Excel" export is an HTML table saved as .xls: told by its
    // content, whatever the extension says.
    if html_source::looks_like_html(&read_start(path, html_source::SAMPLE_BYTES)?) {
        let html = html_source::HtmlSource::open(path)?;
        return Ok(Opened {
            format: "html",
            encoding: Some(html.encoding),
            delimiter: None,
            sheet: None,
            source: Box::new(html),
        });
    }
    if format == "csv" {
        let csv = csv_source::CsvSource::open(path)?;
        Ok(Opened {
            format,
            encoding: Some(csv.encoding.as_str()),
            delimiter: Some(char::from(csv.delimiter)),
            sheet: None,
            source: Box::new(csv),
        })
    } else {
        let sheet_source = sheet_source::SheetSource::open(path, sheet)?;
        Ok(Opened {
            format,
            encoding: None,
            delimiter: None,
            sheet: Some(sheet_source.sheet.clone()),
            source: Box::new(sheet_source),
        })
    }
}

/// The first `n` bytes of a file (fewer if it is shorter).
fn read_start(path: &Path, n: usize) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut start = Vec::with_capacity(n);
    file.take(n as u64)
        .read_to_end(&mut start)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(start)
}

/// Each field the file has, with the headers (as written) that carry it:
/// the kind's mapped fields, then the fields rules name by header.
fn mapping(
    kind: EntityKind,
    columns: &[Vec<usize>],
    catalog_columns: &CatalogColumns,
    catalog: Option<&FieldCatalog>,
    header: &[String],
) -> Vec<(String, Vec<String>)> {
    let headers = |cols: &[usize]| cols.iter().map(|&c| header[c].trim().to_string()).collect();
    let mut out: Vec<(String, Vec<String>)> = field_specs(kind)
        .iter()
        .zip(columns)
        .filter(|(_, cols)| !cols.is_empty())
        .map(|(spec, cols)| (spec.key.to_string(), headers(cols)))
        .collect();
    if let Some(catalog) = catalog {
        for (field, cols) in catalog_columns {
            if matches!(catalog.fields[*field].source, FieldSource::Header(_)) {
                out.push((catalog.name(*field).to_string(), headers(cols)));
            }
        }
    }
    out
}

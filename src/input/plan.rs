//! Before any data row is read: each file opened, recognised by its header
//! and checked to have the columns its kind needs. Every file is planned
//! before the first is read, so a file that cannot be audited stops the run
//! at once rather than after minutes of reading the others. (A call log's
//! owners are read later, when a call first asks: `owners::LazyOwners`.)

use super::catalog::{catalog_columns, mapping, CatalogColumns};
use super::csv_source::Encoding;
use super::reason::{NotExport, OwnReport};
use super::recognize::{
    header_names, recognize, Recognized, Unfit, Unrecognised, HEADER_SEARCH_ROWS,
};
use super::source::{cell_text, RowSource};
use super::{open, owners};
use crate::model::{FileId, InputFile};
use crate::rules::columns::{field_specs, CallField, DealField, EntityKind, Role, TaskField};
use crate::rules::stages::FieldMask;
use crate::rules::RuleSet;
use crate::value::normalize_header;
use anyhow::{anyhow, bail};
use std::path::{Path, PathBuf};

/// A recognised file: what its rows mean.
pub(super) struct Plan {
    pub(super) path: PathBuf,
    /// The path as the user gave it, for messages.
    pub(super) shown: String,
    pub(super) file: FileId,
    pub(super) kind: EntityKind,
    /// Header cells as written.
    pub(super) header_cells: Vec<String>,
    /// Columns of each logical field of the kind (by field index).
    pub(super) columns: Vec<Vec<usize>>,
    /// Columns of the rule set's catalog fields.
    pub(super) catalog: CatalogColumns,
    /// The file's size in bytes.
    pub(super) size: u64,
    /// A CSV file's encoding and delimiter.
    pub(super) csv: Option<(Encoding, u8)>,
    /// How many pieces the file is read in (set when it is cut).
    pub(super) pieces: u64,
    /// A call log's extensions with the person each belongs to, as its
    /// CRM column says.
    pub(super) owners: owners::LazyOwners,
}

impl Plan {
    /// The CRM a deal export comes from, as its stage header tells:
    /// amoCRM writes `Этап сделки`, Bitrix24 `Стадия сделки`; `None` for
    /// another spelling (mapped in the rule set) or another kind of file.
    pub(super) fn crm(&self) -> Option<&'static str> {
        // Only Bitrix24 exports leads apart from deals.
        if self.kind == EntityKind::Leads {
            return Some("Bitrix24");
        }
        if self.kind != EntityKind::Deals {
            return None;
        }
        let column = *self.columns[DealField::Stage.index()].first()?;
        match normalize_header(self.header_cells.get(column)?).as_str() {
            "этап сделки" => Some("amoCRM"),
            "стадия сделки" => Some("Bitrix24"),
            _ => None,
        }
    }

    /// The columns some field is read from.
    pub(super) fn read_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.columns
            .iter()
            .chain(self.catalog.iter().map(|(_, c)| c))
            .flatten()
            .copied()
    }
}

/// How the rows below the header are to be read.
pub(super) enum Body {
    /// Reopened in stretches; the first skips `header_records` records
    /// (the header and any title rows above it).
    Csv { header_records: usize },
    /// A workbook or HTML table, already in memory, positioned after its
    /// header.
    Opened(Box<dyn RowSource + Send>),
}

/// Opens and recognises one file; its `InputFile` has no rows counted yet.
pub(super) fn plan(
    file: FileId,
    path: &Path,
    shown: &str,
    rules: &RuleSet,
    sheet: Option<&str>,
) -> anyhow::Result<(Plan, Body, InputFile)> {
    let opened = open::open(path, sheet)?;
    let mut source = opened.source;
    let (mut first, numbers) = first_rows(source.as_mut())?;
    let found = recognise(&first, shown, rules)?;
    let kind = found.kind;
    check_columns(shown, kind, &found.columns, rules)?;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let owners = call_owners(path, size, opened.csv, source.as_mut(), &found)?;
    if opened.csv.is_none() {
        // Read on from below the header; a CSV file is reopened in stretches.
        skip_to_body(source.as_mut(), found.header_index)?;
    }
    let header_cells = first.swap_remove(found.header_index);
    let catalog_fields = match kind {
        EntityKind::Deals | EntityKind::Leads => Some(&rules.deal_fields),
        EntityKind::Tasks => Some(&rules.task_fields),
        _ => None,
    };
    let catalog = catalog_fields.map_or_else(Vec::new, |fields| {
        catalog_columns(&header_cells, &found.columns, fields)
    });
    let input = InputFile {
        path: shown.to_string(),
        kind,
        format: opened.format,
        encoding: opened.encoding,
        delimiter: opened.delimiter,
        sheet: opened.sheet,
        header_row: numbers[found.header_index],
        rows: 0,
        audited: 0,
        skipped: Default::default(),
        present: found.columns.iter().map(|c| !c.is_empty()).collect(),
        fields_present: catalog
            .iter()
            .fold(FieldMask::default(), |m, (i, _)| m.with(*i)),
        notes: opened.note.into_iter().collect(),
        mapping: mapping(
            kind,
            &found.columns,
            &catalog,
            catalog_fields,
            &header_cells,
        ),
        unmapped: unmapped(&header_cells, &found.columns, &catalog),
    };
    let body = match opened.csv {
        Some(_) => Body::Csv {
            header_records: found.header_index + 1,
        },
        None => Body::Opened(source),
    };
    let plan = Plan {
        path: path.to_path_buf(),
        shown: shown.to_string(),
        file,
        kind,
        header_cells,
        columns: found.columns,
        catalog,
        size,
        csv: opened.csv,
        pieces: 1,
        owners,
    };
    Ok((plan, body, input))
}

/// The rows the header may be among, as text, with their row numbers.
fn first_rows(source: &mut (dyn RowSource + Send)) -> anyhow::Result<(Vec<Vec<String>>, Vec<u64>)> {
    let mut first: Vec<Vec<String>> = Vec::new();
    let mut numbers: Vec<u64> = Vec::new();
    while first.len() < HEADER_SEARCH_ROWS && source.next_row()? {
        numbers.push(source.row_number());
        first.push(
            (0..source.width())
                .map(|c| cell_text(source.cell(c)).into_owned())
                .collect(),
        );
    }
    Ok((first, numbers))
}

/// The kind of export and its header among the first rows, or why the
/// file is none (empty, a report of crm-audit, no layout or several).
fn recognise(first: &[Vec<String>], shown: &str, rules: &RuleSet) -> anyhow::Result<Recognized> {
    let unrecognised = |reason: NotExport| Unrecognised {
        path: shown.to_string(),
        reason,
    };
    if first.iter().all(|r| r.iter().all(String::is_empty)) {
        return Err(unrecognised(NotExport::Empty).into());
    }
    if is_csv_report(first) {
        return Err(unrecognised(NotExport::OwnReport(OwnReport::Csv)).into());
    }
    recognize(first, &rules.columns).map_err(|e| match e {
        Unfit::NoLayout(reason) => anyhow::Error::from(unrecognised(reason)),
        Unfit::Several(reason) => anyhow!("{shown}: {reason}"),
    })
}

/// A call log's extensions with the person each belongs to, when it has
/// a CRM column saying so; none for another file. A UTF-8 CSV log is read
/// for them only when a call asks (`LazyOwners`).
fn call_owners(
    path: &Path,
    size: u64,
    csv: Option<(Encoding, u8)>,
    source: &mut (dyn RowSource + Send),
    found: &Recognized,
) -> anyhow::Result<owners::LazyOwners> {
    let columns = match found.columns.get(CallField::CrmResponsible.index()) {
        Some(columns) if found.kind == EntityKind::Calls && !columns.is_empty() => columns,
        _ => return Ok(owners::LazyOwners::Ready(owners::Owners::default())),
    };
    // Every row says whose an extension is: they are all read (when a
    // call first asks), so each piece of the log knows what the whole log
    // says.
    if let Some((encoding, delimiter)) = csv.filter(|(e, _)| *e != Encoding::Windows1251) {
        return Ok(owners::LazyOwners::later(owners::PlainLog {
            path: path.to_path_buf(),
            size,
            encoding,
            delimiter,
            header_index: found.header_index,
            columns: columns.clone(),
        }));
    }
    skip_to_body(source, found.header_index)?;
    owners::read(source, columns).map(owners::LazyOwners::Ready)
}

/// Rewinds `source` to the row below its header.
pub(super) fn skip_to_body(
    source: &mut (dyn RowSource + Send),
    header_index: usize,
) -> anyhow::Result<()> {
    source.rewind()?;
    for _ in 0..=header_index {
        source.next_row()?;
    }
    Ok(())
}

/// The header cells no field is read from, as written.
fn unmapped(
    header_cells: &[String],
    columns: &[Vec<usize>],
    catalog: &CatalogColumns,
) -> Vec<String> {
    header_cells
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            !h.is_empty()
                && !columns.iter().any(|c| c.contains(i))
                && !catalog.iter().any(|(_, c)| c.contains(i))
        })
        .map(|(_, h)| h.trim().to_string())
        .collect()
}

/// Whether the first non-empty row is the header of crm-audit's CSV report.
fn is_csv_report(rows: &[Vec<String>]) -> bool {
    let Some(header) = rows.iter().find(|r| r.iter().any(|c| !c.is_empty())) else {
        return false;
    };
    let header: Vec<&str> = header
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    // With a history or a baseline, the status columns follow.
    let base = crate::report::csv_out::HEADER;
    let history = crate::report::csv_out::HISTORY_HEADER;
    header == base
        || (header.len() == base.len() + history.len()
            && header[..base.len()] == base
            && header[base.len()..] == history)
}

/// The columns without which a file of `kind` cannot be audited.
fn check_columns(
    shown: &str,
    kind: EntityKind,
    columns: &[Vec<usize>],
    rules: &RuleSet,
) -> anyhow::Result<()> {
    for (field, spec) in field_specs(kind).iter().enumerate() {
        if spec.role == Role::Required && columns[field].is_empty() {
            bail!(
                "{shown}: recognised as {}, but it has no column {} (needed for `{}`); \
                 add the column or map its header in the rule set's [columns.{}]",
                kind.as_str(),
                header_names(&rules.columns, kind, field),
                spec.key,
                kind.as_str()
            );
        }
    }
    if kind == EntityKind::Tasks
        && [TaskField::Completed, TaskField::Status]
            .iter()
            .all(|f| columns[f.index()].is_empty())
    {
        bail!(
            "{shown}: recognised as a task list, but it does not say which tasks are done: no column {} or {}",
            header_names(&rules.columns, kind, TaskField::Completed.index()),
            header_names(&rules.columns, kind, TaskField::Status.index()),
        );
    }
    if kind == EntityKind::Calls
        && [CallField::Manager, CallField::From, CallField::AnsweredBy]
            .iter()
            .all(|f| columns[f.index()].is_empty())
    {
        bail!(
            "{shown}: recognised as a call log, but it names no one: no column {}, {} or {}",
            header_names(&rules.columns, kind, CallField::Manager.index()),
            header_names(&rules.columns, kind, CallField::From.index()),
            header_names(&rules.columns, kind, CallField::AnsweredBy.index()),
        );
    }
    Ok(())
}

//! The fields a rule set names beyond the built-in ones (its catalog), read
//! from a file's columns: which columns carry each, whether a row fills it,
//! and the text of the few a rule compares or computes with, checked when
//! the row is read. Also the field → header mapping `inspect` shows.

use super::row::Row;
use super::source;
use crate::model::{Text, Texts};
use crate::rules::blank::BlankWords;
use crate::rules::columns::{field_specs, EntityKind};
use crate::rules::fields::{FieldCatalog, FieldSource, ValueKind};
use crate::rules::stages::FieldMask;
use crate::value::normalize_header;

/// The columns of a file that carry a catalog field.
pub(crate) type CatalogColumns = Vec<(usize, Vec<usize>)>;

/// For each field of the rule set's catalog that this file has, its index
/// and the columns that carry it: a mapped field's recognised columns, or
/// the columns whose header is the field's name.
pub(super) fn catalog_columns(
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
/// what the rule reads them as (an amount, a date). A text that is not is
/// an error, or, given `unreadable`, kept as written and described there
/// (the rules reading it find it unreadable and pass the record over).
/// A text field holding one of `blank` (`-`, `нет`) is not filled; an
/// amount or a date holding one stays a value that cannot be read.
pub(crate) fn catalog_values(
    row: &Row,
    columns: &CatalogColumns,
    catalog: &FieldCatalog,
    blank: &BlankWords,
    values: &mut Vec<Text>,
    texts: &mut Texts,
    mut unreadable: Option<&mut Vec<super::error::UnreadableCell>>,
) -> anyhow::Result<FieldMask> {
    let start = values.len();
    values.resize(start + catalog.value_count(), Text::EMPTY);
    let mut filled = FieldMask::default();
    for (field, cols) in columns {
        let reference = &catalog.fields[*field];
        let is_text = reference.value_kind == ValueKind::Text;
        let first = cols
            .iter()
            .map(|&c| (c, row.source.cell(c)))
            .find(|(_, cell)| match cell {
                source::Cell::Text(t) if is_text => !blank.is_blank(t),
                _ => !cell.is_empty(),
            });
        let Some((column, cell)) = first else {
            continue;
        };
        filled = filled.with(*field);
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
            if let Err(e) = checked {
                let bad = row.value_error(column, e);
                match unreadable.as_deref_mut() {
                    Some(cells) => super::note_unreadable(cells, bad)?,
                    None => return Err(bad),
                }
            }
            values[start + slot] = texts
                .keep(&text)
                .ok_or_else(|| row.error(column, super::TOO_LONG))?;
        }
    }
    Ok(filled)
}

/// Each field the file has, with the headers (as written) that carry it:
/// the kind's mapped fields, then the fields rules name by header.
pub(super) fn mapping(
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

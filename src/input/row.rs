//! One data row seen through a recognised header: logical fields instead of
//! column numbers, values parsed with `value`, and errors that name the file,
//! the row and the column as a person finds them.

use super::error::{Column, InputError, Problem};
use super::source::{cell_text, Cell, RowSource};
use crate::value::{self, Moment};
use chrono_tz::Tz;
use std::borrow::Cow;

/// The fixed context of one file's rows.
pub struct Header<'a> {
    pub path: &'a str,
    /// Header cells as written.
    pub cells: &'a [String],
    /// Columns of each logical field (by field index).
    pub columns: &'a [Vec<usize>],
    pub time_zone: Tz,
}

/// The current row of a source, read through a header.
pub struct Row<'a> {
    pub header: &'a Header<'a>,
    pub source: &'a dyn RowSource,
}

impl<'a> Row<'a> {
    pub fn number(&self) -> u64 {
        self.source.row_number()
    }

    /// Whether the file has a column for `field`.
    pub fn has(&self, field: usize) -> bool {
        !self.header.columns[field].is_empty()
    }

    /// The first non-empty cell among the field's columns (duplicate
    /// headers: the first non-empty value wins), with its column.
    fn first(&self, field: usize) -> Option<(usize, Cell<'a>)> {
        self.header.columns[field]
            .iter()
            .map(|&c| (c, self.source.cell(c)))
            .find(|(_, cell)| !cell.is_empty())
    }

    /// The field's text, trimmed; empty when absent or blank.
    pub fn text(&self, field: usize) -> Cow<'a, str> {
        self.header.columns[field]
            .iter()
            .find_map(|&c| self.source.text(c))
            .unwrap_or(Cow::Borrowed(""))
    }

    /// Whether the row has no content at all.
    pub fn is_blank(&self) -> bool {
        self.source.is_blank()
    }

    /// A date or date-time field: a date cell, an Excel serial number, or text.
    pub fn moment(&self, field: usize) -> anyhow::Result<Option<Moment>> {
        let Some((column, cell)) = self.first(field) else {
            return Ok(None);
        };
        let parsed = match cell {
            // A date cell carries no "date only" flag; a date at midnight is
            // read as the whole day, so a due date typed without a time is
            // not overdue from its first minute.
            Cell::DateTime(d) if d.time() == chrono::NaiveTime::MIN => Ok(Moment::Day(d.date())),
            Cell::DateTime(d) => Ok(Moment::At(d)),
            Cell::Number(n) => value::moment_from_excel_serial(n),
            Cell::Text(t) => value::parse_moment(t, self.header.time_zone),
            Cell::Error(e) => Err(value::ValueError::ErrorCell(e.to_string())),
            Cell::Empty => return Ok(None),
        };
        parsed.map(Some).map_err(|e| self.value_error(column, e))
    }

    /// A yes/no field.
    pub fn flag(&self, field: usize) -> anyhow::Result<Option<bool>> {
        let Some((column, cell)) = self.first(field) else {
            return Ok(None);
        };
        match cell {
            Cell::Number(n) if n == 0.0 || n == 1.0 => Ok(Some(n == 1.0)),
            _ => value::parse_bool(&cell_text(cell))
                .map(Some)
                .map_err(|e| self.value_error(column, e)),
        }
    }

    /// A duration in seconds.
    pub fn seconds(&self, field: usize) -> anyhow::Result<Option<u32>> {
        let Some((column, cell)) = self.first(field) else {
            return Ok(None);
        };
        match cell {
            Cell::Number(n) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => {
                Ok(Some(n as u32))
            }
            _ => value::parse_duration_secs(&cell_text(cell))
                .map(Some)
                .map_err(|e| self.value_error(column, e)),
        }
    }

    /// A parsed value of a field through `parse`, errors located.
    pub fn parsed<T>(
        &self,
        field: usize,
        parse: impl FnOnce(&str) -> Result<T, value::ValueError>,
    ) -> anyhow::Result<Option<T>> {
        let Some((column, cell)) = self.first(field) else {
            return Ok(None);
        };
        parse(&cell_text(cell))
            .map(Some)
            .map_err(|e| self.value_error(column, e))
    }

    /// An error at `column` of this row that ends the run.
    pub fn error(&self, column: usize, message: &str) -> anyhow::Error {
        self.input_error(Some(column), Problem::Cell(message.to_string()))
            .into()
    }

    /// A cell whose text is not the value a rule reads (a date, an
    /// amount, a yes/no, a duration): an error the reader may turn into a
    /// finding of the record (`Problem::Value`).
    pub fn value_error(&self, column: usize, error: value::ValueError) -> anyhow::Error {
        self.input_error(Some(column), Problem::Value(error)).into()
    }

    /// `problem` at this row (and `column` of it, counted in the file
    /// from the first column read), located as a person finds it.
    pub fn input_error(&self, column: Option<usize>, problem: Problem) -> InputError {
        InputError {
            file: self.header.path.to_string(),
            row_word: self.source.row_word(),
            row: self.number(),
            column: column.map(|column| Column {
                header: Some(
                    self.header
                        .cells
                        .get(column)
                        .map_or("", |h| h.trim())
                        .to_string(),
                ),
                index: column + self.source.column_offset(),
            }),
            problem,
        }
    }
}

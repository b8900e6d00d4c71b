//! A sheet's cells as `SheetSource` reads them: only the cells that hold
//! something, in row order, each already in the form `RowSource::cell`
//! gives (numbers, dates, an error's text, text in one buffer).
//!
//! calamine's `Range<Data>` holds every cell of the sheet's rectangle and
//! a string of its own for every text cell, and an export's sheet reached
//! it through a list of cells as long again, each text allocated, then
//! copied into the rectangle: more memory than calamine itself needs to
//! read the sheet. Here a text shared by cell after cell (a manager, a
//! stage) is kept once, and the text of all cells is bounded
//! (`MAX_SHEET_TEXT_BYTES`): a small workbook whose one long string fills
//! millions of cells would otherwise unpack past any memory.

use super::source::Cell;
use calamine::{CellErrorType, Data, DataRef, Range};
use chrono::NaiveDateTime;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// The most text a sheet's cells may hold together: past it the sheet is
/// refused, not read until memory runs out. A million rows of thirty
/// cells of 17 bytes each hold half of it.
pub(super) const MAX_SHEET_TEXT_BYTES: usize = 1 << 30;

/// A sheet's cells hold more text than the limit.
#[derive(Debug, PartialEq)]
pub(super) struct TooMuchText {
    pub(super) limit: usize,
}

impl TooMuchText {
    /// The error, naming the file and the sheet.
    pub(super) fn in_sheet(self, sheet: &str, path: &std::path::Path) -> anyhow::Error {
        anyhow::anyhow!(
            "{}: the cells of sheet \"{sheet}\" hold more than {} of text; not read",
            path.display(),
            crate::files::size_name(self.limit as u64)
        )
    }
}

/// How many shared strings met last are remembered, each in a slot its
/// text picks (so that which are kept once depends on the sheet alone,
/// and so does whether it passes the text limit): the texts a sheet
/// repeats from cell to cell are kept once without a table of every text.
const RECENT: usize = 4096;

/// The cells of a sheet that hold something, with their bounds.
#[derive(Debug, Default)]
pub(super) struct Grid {
    /// Every text of the cells, one after another.
    text: String,
    /// The cells, ordered by row, then column; one per position.
    cells: Vec<Placed>,
    /// The first and last row and column: those of the cells, or the
    /// range's a grid was made from. `None` for an empty sheet.
    bounds: Option<((u32, u32), (u32, u32))>,
}

/// A cell and where it is (0-based, as calamine counts).
#[derive(Debug, Clone, Copy)]
struct Placed {
    row: u32,
    column: u32,
    value: Value,
}

/// A cell's value, as `cell` gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    /// Text with something besides white space: `len` bytes of the
    /// buffer from `at`.
    Text {
        at: usize,
        len: u32,
    },
    /// Text of white space alone: no value, though the cell counts in
    /// the sheet's bounds.
    Blank,
    Number(f64),
    DateTime(NaiveDateTime),
    Bool(bool),
    Error(&'static str),
}

/// Builds a grid cell by cell, in the order a sheet's reader gives them.
pub(super) struct GridBuilder {
    grid: Grid,
    /// Whether the cells came in order (they do, in a sheet Excel wrote).
    in_order: bool,
    /// Shared strings met, each by its address in the workbook (which
    /// stays put while the sheet is read), with the buffer's copy.
    recent: Vec<(usize, Value)>,
    text_limit: usize,
}

impl GridBuilder {
    pub(super) fn with_capacity(cells: usize) -> GridBuilder {
        GridBuilder {
            grid: Grid {
                cells: Vec::with_capacity(cells),
                ..Grid::default()
            },
            in_order: true,
            recent: vec![(0, Value::Blank); RECENT],
            text_limit: MAX_SHEET_TEXT_BYTES,
        }
    }

    #[cfg(test)]
    fn with_text_limit(text_limit: usize) -> GridBuilder {
        GridBuilder {
            text_limit,
            ..GridBuilder::with_capacity(0)
        }
    }

    /// Adds the cell at (`row`, `column`) of an XLSX sheet; an empty one
    /// is left out. A cell at a position already given replaces the
    /// earlier one.
    pub(super) fn add(
        &mut self,
        row: u32,
        column: u32,
        value: &DataRef<'_>,
    ) -> Result<(), TooMuchText> {
        let value = match value {
            DataRef::Empty => return Ok(()),
            DataRef::SharedString(s) => {
                // A shared string is met again where it lies in the
                // workbook's table, which stays put while the sheet is
                // read (empty strings share an address, and are blank
                // alike).
                let address = s.as_ptr() as usize;
                let slot = (FxBuildHasher.hash_one(s) as usize) % RECENT;
                match self.recent[slot] {
                    (met, kept) if met == address => kept,
                    _ => {
                        let kept = self.text_value(s)?;
                        self.recent[slot] = (address, kept);
                        kept
                    }
                }
            }
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                self.text_value(s)?
            }
            DataRef::Int(n) => Value::Number(*n as f64),
            DataRef::Float(f) => Value::Number(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(dt) => date_time(dt),
            DataRef::Error(e) => Value::Error(error_text(e)),
        };
        self.place(row, column, value);
        Ok(())
    }

    /// As `add`, for a cell of a range calamine read.
    fn add_data(&mut self, row: u32, column: u32, value: &Data) -> Result<(), TooMuchText> {
        let value = match value {
            Data::Empty => return Ok(()),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => self.text_value(s)?,
            Data::Int(n) => Value::Number(*n as f64),
            Data::Float(f) => Value::Number(*f),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(dt) => date_time(dt),
            Data::Error(e) => Value::Error(error_text(e)),
        };
        self.place(row, column, value);
        Ok(())
    }

    fn text_value(&mut self, s: &str) -> Result<Value, TooMuchText> {
        if s.trim().is_empty() {
            return Ok(Value::Blank);
        }
        let text = &mut self.grid.text;
        if text.len() + s.len() > self.text_limit {
            return Err(TooMuchText {
                limit: self.text_limit,
            });
        }
        let at = text.len();
        text.push_str(s);
        // Under the limit, which is below 4 GiB.
        let len = u32::try_from(s.len()).expect("a cell's text is shorter than the limit");
        Ok(Value::Text { at, len })
    }

    fn place(&mut self, row: u32, column: u32, value: Value) {
        if let Some(last) = self.grid.cells.last() {
            self.in_order &= (last.row, last.column) < (row, column);
        }
        self.grid.cells.push(Placed { row, column, value });
        let bounds = self
            .grid
            .bounds
            .get_or_insert(((row, column), (row, column)));
        bounds.0 = (bounds.0 .0.min(row), bounds.0 .1.min(column));
        bounds.1 = (bounds.1 .0.max(row), bounds.1 .1.max(column));
    }

    /// The first and last row and column of the cells so far.
    pub(super) fn bounds(&self) -> Option<((u32, u32), (u32, u32))> {
        self.grid.bounds
    }

    pub(super) fn finish(mut self) -> Grid {
        if !self.in_order {
            // As calamine's range: of two cells at one position, the
            // later; a stable sort keeps them in the order given.
            let cells = &mut self.grid.cells;
            cells.sort_by_key(|c| (c.row, c.column));
            let mut kept: Vec<Placed> = Vec::with_capacity(cells.len());
            for cell in cells.drain(..) {
                match kept.last_mut() {
                    Some(last) if (last.row, last.column) == (cell.row, cell.column) => {
                        *last = cell;
                    }
                    _ => kept.push(cell),
                }
            }
            *cells = kept;
        }
        self.grid
    }
}

impl Grid {
    /// The cells of a range calamine read (a workbook other than XLSX),
    /// within the range's own bounds.
    pub(super) fn of_range(range: &Range<Data>) -> Result<Grid, TooMuchText> {
        let mut builder = GridBuilder::with_capacity(0);
        if let Some(start) = range.start() {
            for (row, column, value) in range.used_cells() {
                let (row, column) = (start.0 + row as u32, start.1 + column as u32);
                builder.add_data(row, column, value)?;
            }
        }
        let mut grid = builder.finish();
        grid.bounds = range.start().zip(range.end());
        Ok(grid)
    }

    /// The first and last row and column; `None` for an empty sheet.
    pub(super) fn bounds(&self) -> Option<((u32, u32), (u32, u32))> {
        self.bounds
    }

    /// Where the cells of `row` lie, found from `from`: the index of a
    /// cell of `row` or before it, with no cell of `row` before it (the
    /// end of the row before, read in order; else `first_of`).
    pub(super) fn row_from(&self, row: u32, from: usize) -> (usize, usize) {
        let rest = |from: usize| self.cells.get(from..).unwrap_or_default().iter();
        let start = from + rest(from).take_while(|c| c.row < row).count();
        // Not `row + 1` as the next row's start: a cell may lie in the
        // last row a sheet can number.
        (
            start,
            start + rest(start).take_while(|c| c.row == row).count(),
        )
    }

    /// Where the cells of `row` or the rows after it start.
    pub(super) fn first_of(&self, row: u32) -> usize {
        self.cells.partition_point(|c| c.row < row)
    }

    /// The cell in `column` among the cells `row` (from `row_from`).
    pub(super) fn cell(&self, row: (usize, usize), column: u32) -> Cell<'_> {
        let cells = &self.cells[row.0..row.1];
        let Some(first) = cells.first() else {
            return Cell::Empty;
        };
        // A row's columns rise by one or more from cell to cell, so the
        // cell of `column` lies no further in than `column` is from the
        // row's first: there, in a row without gaps.
        let Some(furthest) = column.checked_sub(first.column) else {
            return Cell::Empty;
        };
        let furthest = (furthest as usize).min(cells.len() - 1);
        let i = match cells[furthest].column.cmp(&column) {
            std::cmp::Ordering::Equal => furthest,
            std::cmp::Ordering::Less => return Cell::Empty,
            std::cmp::Ordering::Greater => {
                match cells[..furthest].binary_search_by_key(&column, |c| c.column) {
                    Ok(i) => i,
                    Err(_) => return Cell::Empty,
                }
            }
        };
        match cells[i].value {
            Value::Text { at, len } => Cell::Text(&self.text[at..at + len as usize]),
            Value::Blank => Cell::Empty,
            Value::Number(n) => Cell::Number(n),
            Value::DateTime(d) => Cell::DateTime(d),
            Value::Bool(true) => Cell::Text("true"),
            Value::Bool(false) => Cell::Text("false"),
            Value::Error(e) => Cell::Error(e),
        }
    }
}

/// A date cell below serial 1 is no date (Excel shows 0 as 00.01.1900):
/// as a number, the date readers reject it as they reject the same number
/// in a CSV file.
fn date_time(dt: &calamine::ExcelDateTime) -> Value {
    match dt.as_datetime() {
        Some(d) if dt.is_datetime() && dt.as_f64() >= 1.0 => Value::DateTime(d),
        _ => Value::Number(dt.as_f64()),
    }
}

/// An error value as Excel shows it.
fn error_text(error: &CellErrorType) -> &'static str {
    use calamine::CellErrorType::*;
    match error {
        Div0 => "#DIV/0!",
        NA => "#N/A",
        Name => "#NAME?",
        Null => "#NULL!",
        Num => "#NUM!",
        Ref => "#REF!",
        Value => "#VALUE!",
        GettingData => "#GETTING_DATA",
    }
}

#[cfg(test)]
#[path = "sheet_grid_tests.rs"]
mod tests;

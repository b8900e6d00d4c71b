//! Spreadsheets (XLSX, XLS, ODS) through calamine: the first visible sheet
//! unless one is named. Date cells are kept as dates, numbers as numbers; the row
//! numbers reported are the ones Excel shows.

use super::reason::{FileNote, NotExport, OwnReport};
use super::recognize::Unrecognised;
use super::source::{Cell, RowSource};
use crate::files::{size_name, MAX_SHEET_CELLS, MAX_UNPACKED_BYTES};
use anyhow::bail;
use anyhow::{anyhow, Context};
use calamine::{open_workbook_auto, Data, DataRef, Range, Reader, Sheets, Xlsx};
use std::path::Path;
use std::sync::Arc;

/// One sheet of a workbook, loaded whole (calamine reads a sheet at once),
/// or a run of its rows: pieces share the sheet and are read on several
/// threads.
pub struct SheetSource {
    pub sheet: String,
    /// Why the sheet read is not the first: the sheets before it are
    /// hidden (a stale sheet someone hid is not the export).
    pub note: Option<FileNote>,
    range: Arc<Range<Data>>,
    /// Index of the current row within `range`; `None` before the first.
    current: Option<usize>,
    /// Index of the row `next_row` moves to, and of the row this source
    /// stops before.
    next: usize,
    end: usize,
    first_row: u64,
}

impl SheetSource {
    pub fn open(path: &Path, sheet: Option<&str>) -> anyhow::Result<SheetSource> {
        let shown = path.display().to_string();
        check_parts(path)?;
        let mut book = open_workbook_auto(path).map_err(|e| Unrecognised {
            path: shown.clone(),
            reason: NotExport::NotASpreadsheet(e.to_string()),
        })?;
        let names = book.sheet_names();
        if crate::report::xlsx::is_report(&names) {
            return Err(Unrecognised {
                path: shown,
                reason: NotExport::OwnReport(OwnReport::Xlsx),
            }
            .into());
        }
        let name = match sheet {
            Some(wanted) => names
                .iter()
                .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()) || n.trim() == wanted.trim())
                .cloned()
                .ok_or_else(|| {
                    anyhow!(
                        "{}: no sheet named \"{wanted}\"; the sheets are {}",
                        path.display(),
                        names
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?,
            None => first_visible(book.sheets_metadata()).ok_or_else(|| Unrecognised {
                path: shown.clone(),
                reason: NotExport::NoSheets,
            })?,
        };
        let hidden_before: Vec<String> = book
            .sheets_metadata()
            .iter()
            .take_while(|s| s.name != name)
            .map(|s| s.name.clone())
            .collect();
        let note =
            (sheet.is_none() && !hidden_before.is_empty()).then(|| FileNote::FirstVisibleSheet {
                sheet: name.clone(),
                hidden: hidden_before,
            });
        let range = match &mut book {
            Sheets::Xlsx(xlsx) => xlsx_range(xlsx, &name, path),
            _ => book.worksheet_range(&name).map_err(|e| anyhow!("{e}")),
        }
        .with_context(|| format!("{}: cannot read sheet \"{name}\"", path.display()))?;
        let first_row = range.start().map_or(1, |(row, _)| u64::from(row) + 1);
        Ok(SheetSource {
            sheet: name,
            note,
            end: range.height(),
            range: Arc::new(range),
            current: None,
            next: 0,
            first_row,
        })
    }
}

/// The first sheet shown in Excel: a hidden sheet is not the one a person
/// sees on opening the file. Every sheet hidden (a broken file): the first.
fn first_visible(sheets: &[calamine::Sheet]) -> Option<String> {
    sheets
        .iter()
        .find(|s| s.visible == calamine::SheetVisible::Visible)
        .or_else(|| sheets.first())
        .map(|s| s.name.clone())
}

/// A workbook is a zip archive (XLSX, ODS): no part of it may declare that
/// it unpacks past `MAX_UNPACKED_BYTES` (a zip bomb's shared strings would
/// otherwise be held whole). Other files are left to calamine.
fn check_parts(path: &Path) -> anyhow::Result<()> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut magic = [0u8; 4];
    use std::io::Read;
    if file.read_exact(&mut magic).is_err() || &magic != b"PK\x03\x04" {
        return Ok(());
    }
    let Ok(mut archive) = zip::ZipArchive::new(file) else {
        // Not a readable zip: calamine says why.
        return Ok(());
    };
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(i) else {
            continue;
        };
        if part.size() > MAX_UNPACKED_BYTES {
            bail!(
                "{}: {} unpacks to {} bytes, more than {}; not read",
                path.display(),
                part.name().unwrap_or_default(),
                part.size(),
                size_name(MAX_UNPACKED_BYTES)
            );
        }
    }
    Ok(())
}

/// A sheet of an XLSX workbook, as calamine's `worksheet_range` reads it,
/// but refused before a range is allocated when its declared dimensions
/// or its cells span more than `MAX_SHEET_CELLS` (a cell at XFD1048576
/// beside one at A1 would ask for 17 billion cells at once).
fn xlsx_range<R: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<R>,
    name: &str,
    path: &Path,
) -> anyhow::Result<Range<Data>> {
    let too_many = |start: (u32, u32), end: (u32, u32)| {
        let cells = u64::from(end.0.saturating_sub(start.0) + 1)
            * u64::from(end.1.saturating_sub(start.1) + 1);
        (cells > MAX_SHEET_CELLS).then(|| {
            anyhow!(
                "{}: sheet \"{name}\" spans {}{}:{}{}, more than {MAX_SHEET_CELLS} cells; not read",
                path.display(),
                super::source::column_letter(start.1 as usize),
                start.0 + 1,
                super::source::column_letter(end.1 as usize),
                end.0 + 1
            )
        })
    };
    let mut reader = book
        .worksheet_cells_reader(name)
        .map_err(|e| anyhow!("{e}"))?;
    let declared = reader.dimensions();
    if let Some(e) = too_many(declared.start, declared.end) {
        return Err(e);
    }
    let mut cells = Vec::new();
    let (mut start, mut end) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    while let Some(cell) = reader.next_cell().map_err(|e| anyhow!("{e}"))? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        start = (start.0.min(row), start.1.min(column));
        end = (end.0.max(row), end.1.max(column));
        if let Some(e) = too_many(start, end) {
            return Err(e);
        }
        cells.push(calamine::Cell::new(
            (row, column),
            Data::from(cell.get_value().clone()),
        ));
    }
    Ok(Range::from_sparse(cells))
}

/// An error value as Excel shows it.
fn error_text(error: &calamine::CellErrorType) -> &'static str {
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

impl RowSource for SheetSource {
    fn next_row(&mut self) -> anyhow::Result<bool> {
        if self.next < self.end {
            self.current = Some(self.next);
            self.next += 1;
            Ok(true)
        } else {
            self.current = Some(self.end);
            Ok(false)
        }
    }

    fn cell(&self, index: usize) -> Cell<'_> {
        let Some(i) = self.current else {
            return Cell::Empty;
        };
        let width = self.range.width();
        if index >= width {
            return Cell::Empty;
        }
        let Some(start) = self.range.start() else {
            return Cell::Empty;
        };
        let position = (start.0 + i as u32, start.1 + index as u32);
        match self.range.get_value(position) {
            None | Some(Data::Empty) => Cell::Empty,
            Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s)
                }
            }
            Some(Data::Float(f)) => Cell::Number(*f),
            Some(Data::Int(n)) => Cell::Number(*n as f64),
            Some(Data::Bool(true)) => Cell::Text("true"),
            Some(Data::Bool(false)) => Cell::Text("false"),
            // A date cell below serial 1 is no date (Excel shows 0 as
            // 00.01.1900): as a number, the date readers reject it as
            // they reject the same number in a CSV file.
            Some(Data::DateTime(dt)) => match dt.as_datetime() {
                Some(d) if dt.is_datetime() && dt.as_f64() >= 1.0 => Cell::DateTime(d),
                _ => Cell::Number(dt.as_f64()),
            },
            Some(Data::Error(e)) => Cell::Error(error_text(e)),
        }
    }

    fn width(&self) -> usize {
        // Every row of a sheet's range is as wide as the range.
        self.range.width()
    }

    fn row_number(&self) -> u64 {
        self.first_row + self.current.unwrap_or(0) as u64
    }

    fn rewind(&mut self) -> anyhow::Result<()> {
        self.current = None;
        self.next = 0;
        self.end = self.range.height();
        Ok(())
    }

    fn split(self: Box<Self>, rows: usize) -> Vec<Box<dyn RowSource + Send>> {
        let rows = rows.max(1);
        let mut pieces: Vec<Box<dyn RowSource + Send>> = Vec::new();
        let mut start = self.next;
        while start < self.end {
            let end = self.end.min(start.saturating_add(rows));
            pieces.push(Box::new(SheetSource {
                sheet: self.sheet.clone(),
                note: None,
                range: Arc::clone(&self.range),
                current: None,
                next: start,
                end,
                first_row: self.first_row,
            }));
            start = end;
        }
        if pieces.is_empty() {
            pieces.push(self);
        }
        pieces
    }

    fn row_word(&self) -> super::error::RowWord {
        super::error::RowWord::Row
    }

    fn may_hold_errors(&self) -> bool {
        true
    }

    fn column_offset(&self) -> usize {
        self.range.start().map_or(0, |(_, column)| column as usize)
    }
}

//! Spreadsheets (XLSX, XLS, ODS) through calamine: the first visible sheet
//! unless one is named. Date cells are kept as dates, numbers as numbers; the row
//! numbers reported are the ones Excel shows. The sheet's cells are kept in
//! a `Grid` (`sheet_grid`).

use super::reason::{FileNote, NotExport, OwnReport};
use super::recognize::Unrecognised;
use super::sheet_grid::{Grid, GridBuilder};
use super::source::{Cell, RowSource};
use crate::files::{size_name, MAX_SHEET_CELLS, MAX_UNPACKED_BYTES};
use anyhow::bail;
use anyhow::{anyhow, Context};
use calamine::{open_workbook_auto, Reader, Sheets, Xlsx};
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
    grid: Arc<Grid>,
    /// Index of the current row within the grid's rows; `None` before the
    /// first.
    current: Option<usize>,
    /// Where the current row's cells lie in the grid.
    cells: (usize, usize),
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
        let grid = match &mut book {
            Sheets::Xlsx(xlsx) => xlsx_grid(xlsx, &name, path),
            _ => match book.worksheet_range(&name) {
                Ok(range) => Grid::of_range(&range).map_err(|e| e.in_sheet(&name, path)),
                Err(e) => Err(anyhow!("{e}")),
            },
        }
        .with_context(|| format!("{}: cannot read sheet \"{name}\"", path.display()))?;
        let first_row = grid.bounds().map_or(1, |(start, _)| u64::from(start.0) + 1);
        Ok(SheetSource {
            sheet: name,
            note,
            end: height(&grid),
            grid: Arc::new(grid),
            current: None,
            cells: (0, 0),
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

/// A sheet of an XLSX workbook, cell by cell, but refused when its
/// declared dimensions or its cells span more than `MAX_SHEET_CELLS` (a
/// cell at XFD1048576 beside one at A1 would ask calamine's range for 17
/// billion cells at once, and the readers to walk a billion empty rows).
fn xlsx_grid<R: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<R>,
    name: &str,
    path: &Path,
) -> anyhow::Result<Grid> {
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
    // The declared size, where it is told, spares the list its growing.
    let mut grid = GridBuilder::with_capacity(declared.len().min(RESERVED_CELLS) as usize);
    while let Some(cell) = reader.next_cell().map_err(|e| anyhow!("{e}"))? {
        let (row, column) = cell.get_position();
        let before = grid.bounds();
        (grid.add(row, column, cell.get_value())).map_err(|e| e.in_sheet(name, path))?;
        // Only a cell that widens the bounds can take them past the limit.
        if grid.bounds() != before {
            if let Some(e) = grid.bounds().and_then(|(start, end)| too_many(start, end)) {
                return Err(e);
            }
        }
    }
    Ok(grid.finish())
}

/// The most cells the list is made room for at once: a sheet's declared
/// size may be a lie, and a reservation past the memory the system lends
/// would stop the run.
const RESERVED_CELLS: u64 = 4 << 20;

/// How many rows the grid's bounds span.
fn height(grid: &Grid) -> usize {
    grid.bounds()
        .map_or(0, |(start, end)| (end.0 - start.0) as usize + 1)
}

impl RowSource for SheetSource {
    fn next_row(&mut self) -> anyhow::Result<bool> {
        if self.next >= self.end {
            self.current = Some(self.end);
            self.cells = (0, 0);
            return Ok(false);
        }
        if let Some((start, _)) = self.grid.bounds() {
            // Rows are read in order: the next row's cells start where
            // this one's end.
            let row = start.0 + self.next as u32;
            let from = match self.current {
                Some(_) => self.cells.1,
                None => self.grid.first_of(row),
            };
            self.cells = self.grid.row_from(row, from);
        }
        self.current = Some(self.next);
        self.next += 1;
        Ok(true)
    }

    fn cell(&self, index: usize) -> Cell<'_> {
        let (Some(_), Some((start, end))) = (self.current, self.grid.bounds()) else {
            return Cell::Empty;
        };
        match u32::try_from(index) {
            Ok(index) if index <= end.1 - start.1 => self.grid.cell(self.cells, start.1 + index),
            _ => Cell::Empty,
        }
    }

    fn width(&self) -> usize {
        // Every row of a sheet is as wide as its bounds.
        self.grid
            .bounds()
            .map_or(0, |(start, end)| (end.1 - start.1) as usize + 1)
    }

    fn row_number(&self) -> u64 {
        self.first_row + self.current.unwrap_or(0) as u64
    }

    fn rewind(&mut self) -> anyhow::Result<()> {
        self.current = None;
        self.next = 0;
        self.end = height(&self.grid);
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
                grid: Arc::clone(&self.grid),
                current: None,
                cells: (0, 0),
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
        self.grid.bounds().map_or(0, |(start, _)| start.1 as usize)
    }
}

//! Spreadsheets (XLSX, XLS, ODS) through calamine: the first visible sheet
//! unless one is named. Date cells are kept as dates, numbers as numbers; the row
//! numbers reported are the ones Excel shows.

use super::recognize::Unrecognised;
use super::source::{Cell, RowSource};
use anyhow::{anyhow, Context};
use calamine::{open_workbook_auto, Data, Range, Reader};
use std::path::Path;
use std::sync::Arc;

/// Why a workbook of crm-audit's own is not read as an export.
const OWN_XLSX_REPORT: &str = "a crm-audit report (XLSX: sheets Summary, Violations, \
     Fix first, Inputs, About), not an export; reports are not audited";

/// One sheet of a workbook, loaded whole (calamine reads a sheet at once),
/// or a run of its rows: pieces share the sheet and are read on several
/// threads.
pub struct SheetSource {
    pub sheet: String,
    /// Why the sheet read is not the first: the sheets before it are
    /// hidden (a stale sheet someone hid is not the export).
    pub note: Option<String>,
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
        let mut book = open_workbook_auto(path).map_err(|e| Unrecognised {
            path: shown.clone(),
            reason: format!("cannot open as a spreadsheet: {e}"),
        })?;
        let names = book.sheet_names();
        if names == crate::report::xlsx::SHEETS {
            return Err(Unrecognised {
                path: shown,
                reason: OWN_XLSX_REPORT.into(),
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
                reason: "the workbook has no sheets".into(),
            })?,
        };
        let hidden_before: Vec<String> = book
            .sheets_metadata()
            .iter()
            .take_while(|s| s.name != name)
            .map(|s| format!("«{}»", s.name))
            .collect();
        let note = (sheet.is_none() && !hidden_before.is_empty()).then(|| {
            format!(
                "read sheet «{name}», the first visible one; hidden before it: {}",
                hidden_before.join(", ")
            )
        });
        let range = book
            .worksheet_range(&name)
            .map_err(|e| anyhow!("{e}"))
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
            Some(Data::DateTime(dt)) => match dt.as_datetime() {
                Some(d) if dt.is_datetime() => Cell::DateTime(d),
                _ => Cell::Number(dt.as_f64()),
            },
            Some(Data::Error(_)) => Cell::Text("#ERROR"),
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

    fn row_word(&self) -> &'static str {
        "row"
    }

    fn column_offset(&self) -> usize {
        self.range.start().map_or(0, |(_, column)| column as usize)
    }
}

//! A file as rows of cells, whatever its format: the one interface the
//! readers of deals, tasks, calls and contacts use. Also how a cell's place
//! is named in errors, the way a person finds it in Excel or an editor.

use super::error::RowWord;
use chrono::NaiveDateTime;

/// One cell's content.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    DateTime(NaiveDateTime),
    /// A spreadsheet's error value as Excel shows it (`#N/A`): no value,
    /// and no empty cell either.
    Error(&'static str),
}

impl Cell<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => crate::value::trim(t).is_empty(),
            Cell::Number(_) | Cell::DateTime(_) | Cell::Error(_) => false,
        }
    }
}

/// Rows of a file, read one at a time into a buffer the source reuses.
pub trait RowSource {
    /// Moves to the next row; `false` at the end of the file.
    fn next_row(&mut self) -> anyhow::Result<bool>;
    /// A cell of the current row; `Empty` beyond its width.
    fn cell(&self, index: usize) -> Cell<'_>;
    /// A cell's text as a text field reads it (`cell_text`); `None` when
    /// the cell is empty.
    fn text(&self, index: usize) -> Option<std::borrow::Cow<'_, str>> {
        let cell = self.cell(index);
        (!cell.is_empty()).then(|| cell_text(cell))
    }
    /// The number of cells in the current row.
    fn width(&self) -> usize;
    /// Whether the current row has no content at all.
    fn is_blank(&self) -> bool {
        (0..self.width()).all(|c| self.cell(c).is_empty())
    }
    /// The current row's number as a person sees it (a CSV line, a sheet row).
    fn row_number(&self) -> u64;
    /// Starts again from the first row.
    fn rewind(&mut self) -> anyhow::Result<()>;
    /// `line` for text files, `row` for spreadsheets.
    fn row_word(&self) -> RowWord;
    /// How many columns lie left of the first column read (a sheet whose
    /// table starts in column C): added to name columns as Excel does.
    fn column_offset(&self) -> usize {
        0
    }
    /// Wholly empty lines met just before the current row (or the end),
    /// by line number: text files skip them, but they are accounted for.
    fn blank_lines(&self) -> &[u64] {
        &[]
    }
    /// The rows still to read as runs of at most `rows` rows, read in
    /// order by one source each (a source that cannot be split stays
    /// whole).
    fn split(self: Box<Self>, rows: usize) -> Vec<Box<dyn RowSource + Send>>;
    /// Reads only these columns from now on, where the format can leave
    /// the others unread (CSV); other sources read every column anyway.
    fn read_only(&mut self, _columns: &[usize]) {}
    /// Whether a cell may be `Cell::Error` (spreadsheets): only then are a
    /// row's cells looked at for errors.
    fn may_hold_errors(&self) -> bool {
        false
    }
}

/// The Excel column letter of a 0-based column index: 0 → A, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// The text of a cell for a text field: numbers written without a spurious
/// `.0` (IDs and phones are often number cells), dates as `dd.mm.yyyy hh:mm:ss`.
pub fn cell_text(cell: Cell<'_>) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    match cell {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Text(t) => Cow::Borrowed(crate::value::trim(t)),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Cow::Owned(format!("{n:.0}")),
        Cell::Number(n) => Cow::Owned(number_text(n)),
        Cell::DateTime(d) => Cow::Owned(d.format("%d.%m.%Y %H:%M:%S").to_string()),
        Cell::Error(e) => Cow::Borrowed(e),
    }
}

/// A number cell's fraction as text that `value::parse_amount` reads back
/// as the same number: it takes a point before exactly three digits for
/// thousands (`75.000`), so such a fraction gets a fourth digit (`1.1250`).
fn number_text(n: f64) -> String {
    let text = n.to_string();
    match text.split_once('.') {
        Some((_, fraction)) if fraction.len() == 3 => text + "0",
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_like_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn number_cells_read_as_text_without_decimals() {
        assert_eq!(cell_text(Cell::Number(31457201.0)), "31457201");
        assert_eq!(cell_text(Cell::Number(79275556677.0)), "79275556677");
        assert_eq!(cell_text(Cell::Number(2.5)), "2.5");
        // Three decimals read as text would be a thousands group.
        assert_eq!(cell_text(Cell::Number(1.125)), "1.1250");
        assert_eq!(
            crate::value::parse_amount(&cell_text(Cell::Number(1.125))),
            Ok(1.125)
        );
        assert_eq!(
            crate::value::parse_amount(&cell_text(Cell::Number(0.125))),
            Ok(0.125)
        );
        assert_eq!(cell_text(Cell::Text("  Счет ")), "Счет");
        assert!(Cell::Text(" \t").is_empty());
        assert!(!Cell::Number(0.0).is_empty());
    }
}

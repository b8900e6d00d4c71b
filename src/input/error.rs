//! One error for input that cannot be read where it stands: the file, the
//! row and the column as a person finds them (a CSV's line, a sheet's row;
//! the header as written and the column's letter as Excel shows it), kept
//! as data and shown as one line, as the csv crate's errors carry their
//! position. The readers build it; the loader looks at its problem to turn
//! an unreadable value cell into a finding instead of ending the run: an
//! [`UnreadableCell`], kept as data so the report names it in its own
//! language while an error ending the run stays English.

use super::source::column_letter;
use crate::lang::Lang;
use crate::value::ValueError;
use std::fmt;

/// How a file counts its rows: a text file's lines, a sheet's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowWord {
    /// A text file (CSV): the line an editor shows.
    Line,
    /// A spreadsheet or an HTML table: the row Excel shows.
    Row,
}

impl fmt::Display for RowWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RowWord::Line => "line",
            RowWord::Row => "row",
        })
    }
}

/// A column as a person finds it: its header as written, where the file
/// has one, and its place counted from the sheet's column A.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: Option<String>,
    /// 0 for column A.
    pub index: usize,
}

impl Column {
    /// The column's letters as Excel shows them (`A`, `AB`).
    pub fn letter(&self) -> String {
        column_letter(self.index)
    }
}

impl Column {
    /// The column as a reader of `lang` finds it: `column "Срок" (E)`,
    /// `столбец «Срок» (E)`.
    pub fn describe(&self, lang: Lang) -> String {
        match (&self.header, lang) {
            (Some(header), Lang::En) => format!("column \"{header}\" ({})", self.letter()),
            (Some(header), Lang::Ru) => format!("столбец «{header}» ({})", self.letter()),
            (None, Lang::En) => format!("column {}", self.letter()),
            (None, Lang::Ru) => format!("столбец {}", self.letter()),
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

/// What is wrong at the place an `InputError` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A value cell whose text is not the value its field reads (a date,
    /// an amount, a yes/no): the record may be kept with a finding
    /// instead, unless the run is strict.
    Value(ValueError),
    /// A cell no audit can use (an error cell, a word no list knows where
    /// one is required, more text than is kept): the run ends.
    Cell(String),
    /// Bytes that are not text in the encoding the file is read in.
    NotText { encoding: &'static str },
    /// A UTF-8 line in a file most of whose lines are Windows-1251.
    Utf8InWindows1251,
    /// NUL bytes, which no export writes.
    NulBytes,
    /// A quote opened on the line and never closed.
    UnclosedQuote,
    /// A line (with the lines its quoted cells run on to) longer than
    /// `max` bytes.
    TooLong { max: usize },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Value(error) => write!(f, "{error}"),
            Problem::Cell(message) => f.write_str(message),
            Problem::NotText { encoding } => write!(
                f,
                "the text is not valid {encoding} (was the file re-saved in another encoding?)"
            ),
            Problem::Utf8InWindows1251 => f.write_str(
                "the text is UTF-8 in a file read as Windows-1251 (by most of its lines): read \
                 so, its names would be garbled; was one line pasted from another file? Save \
                 the file in one encoding",
            ),
            Problem::NulBytes => f.write_str(
                "the line holds NUL bytes, which no export writes (a file cut short while it \
                 was written leaves its rest as zeros; a UTF-16 file has one in every \
                 character): export the file again",
            ),
            Problem::UnclosedQuote => f.write_str(
                "a quote (\") opened on this line is never closed: the rest of the file would \
                 be read as one cell; close the quote (a quote inside a quoted cell is written \
                 twice: \"\")",
            ),
            Problem::TooLong { max } => write!(
                f,
                "the line is longer than {} (with the lines a quoted cell runs on to): no \
                 export has such a line; is a quote never closed, or is this not a CSV export?",
                crate::files::size_name(*max as u64)
            ),
        }
    }
}

/// Input that cannot be read where it stands, and where that is: `FILE,
/// line N, column "H" (X): what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, {row_word} {row}{}: {problem}", self.column_part())]
pub struct InputError {
    /// The file as the command line or the folder named it.
    pub file: String,
    pub row_word: RowWord,
    /// 1-based, as an editor or Excel shows it.
    pub row: u64,
    pub column: Option<Column>,
    pub problem: Problem,
}

impl InputError {
    fn column_part(&self) -> String {
        self.column
            .as_ref()
            .map_or_else(String::new, |column| format!(", {column}"))
    }
}

/// A value cell a record could not be read from, where it is: what the
/// record keeps, and what its unreadable-value finding names
/// (`deals.csv, line 5, column "Оплачено" (H): …`), in English or in the
/// report's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableCell {
    /// The file as the command line or the folder named it.
    pub file: String,
    pub row_word: RowWord,
    /// 1-based, as an editor or Excel shows it; a piece of a file read
    /// apart numbers its rows from its start until it is merged.
    pub row: u64,
    pub column: Column,
    pub error: ValueError,
}

impl UnreadableCell {
    /// The cell an error names, when it is a value cell that could not be
    /// read; any other error is given back.
    pub fn of(error: anyhow::Error) -> anyhow::Result<UnreadableCell> {
        match error.downcast::<InputError>()? {
            InputError {
                file,
                row_word,
                row,
                column: Some(column),
                problem: Problem::Value(error),
            } => Ok(UnreadableCell {
                file,
                row_word,
                row,
                column,
                error,
            }),
            other => Err(other.into()),
        }
    }

    /// The cell as a reader of `lang` finds it, and what is wrong in it.
    pub fn describe(&self, lang: Lang) -> String {
        let row_word = match lang {
            Lang::En => self.row_word.to_string(),
            Lang::Ru => "строка".to_string(),
        };
        format!(
            "{}, {row_word} {}, {}: {}",
            self.file,
            self.row,
            self.column.describe(lang),
            self.error.describe(lang)
        )
    }
}

impl fmt::Display for UnreadableCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{discover, load, LoadOptions};
    use crate::rules::RuleSet;

    #[test]
    fn a_bad_date_cell_names_its_file_row_and_column() {
        // T-2's due date `32.13.2026` is on line 3 of the task list, in
        // its fifth column, `Срок`: E.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tasks.csv");
        std::fs::write(
            &path,
            "ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена\n\
             T-1;101;Иванова Мария;Звонок;30.11.2026 10:00;Нет\n\
             T-2;102;Петров Алексей;Звонок;32.13.2026;Нет\n",
        )
        .unwrap();
        let files = discover(std::slice::from_ref(&path)).unwrap();
        let strict = LoadOptions {
            strict: true,
            ..LoadOptions::default()
        };
        let error = load(&files, &RuleSet::builtin(), &strict).err().unwrap();
        let error = error.downcast::<InputError>().unwrap();
        let expected = "`32.13.2026` is not a date; expected e.g. 26.11.2026 14:30, \
                        26.11.2026, 2026-11-26T14:30:00 or an Excel serial number";
        let not_a_date =
            crate::value::ValueError::not_a("32.13.2026", crate::value::Expected::Date);
        assert_eq!(error.file, path.display().to_string());
        assert_eq!((error.row_word, error.row), (RowWord::Line, 3));
        let column = error.column.clone().unwrap();
        assert_eq!(column.header.as_deref(), Some("Срок"));
        assert_eq!(column.letter(), "E");
        assert_eq!(error.problem, Problem::Value(not_a_date));
        assert_eq!(
            error.to_string(),
            format!(
                "{}, line 3, column \"Срок\" (E): {expected}",
                path.display()
            )
        );
        let cell = UnreadableCell::of(error.into()).unwrap();
        assert_eq!(
            cell.describe(Lang::Ru),
            format!(
                "{}, строка 3, столбец «Срок» (E): «32.13.2026» — не дата; ожидается, \
                 например, 26.11.2026 14:30, 26.11.2026, 2026-11-26T14:30:00 или номер дня Excel",
                path.display()
            )
        );
    }

    #[test]
    fn a_line_or_a_column_without_a_header() {
        let error = InputError {
            file: "deals.csv".into(),
            row_word: RowWord::Line,
            row: 4,
            column: Some(Column {
                header: None,
                index: 27,
            }),
            problem: Problem::NotText { encoding: "UTF-8" },
        };
        assert_eq!(
            error.to_string(),
            "deals.csv, line 4, column AB: the text is not valid UTF-8 (was the file \
             re-saved in another encoding?)"
        );
        let error = InputError {
            column: None,
            row_word: RowWord::Row,
            problem: Problem::NulBytes,
            ..error
        };
        assert!(error
            .to_string()
            .starts_with("deals.csv, row 4: the line holds NUL"));
    }
}

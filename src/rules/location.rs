//! Where in a rule file something is: byte spans turned into the line and
//! column a person finds in a text editor, and the error that carries them.
//!
//! Owns no parsing; `compile` and `raw` hand it spans.

use std::fmt;
use std::ops::Range;

/// A mistake in a rule file, located at a line and column (both 1-based,
/// the column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFileError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rule file {}, line {}, column {}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for RuleFileError {}

/// The text of one rule file and its name, to locate spans in it.
pub struct SourceText<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl SourceText<'_> {
    /// An error at the start of `span` (or at the top of the file).
    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> RuleFileError {
        let (line, column) = span.map_or((1, 1), |s| line_and_column(self.text, s.start));
        RuleFileError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_characters_not_bytes() {
        let text = "a = 1\nстадия = \"x\"\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 6), (2, 1));
        // "стадия = " is 6 Cyrillic letters (12 bytes) then " = ".
        let quote = text.find('"').unwrap();
        assert_eq!(line_and_column(text, quote), (2, 10));
    }

    #[test]
    fn error_without_span_points_at_the_top() {
        let source = SourceText {
            file: "r.toml",
            text: "x",
        };
        let e = source.error(None, "bad");
        assert_eq!(e.to_string(), "rule file r.toml, line 1, column 1: bad");
    }
}

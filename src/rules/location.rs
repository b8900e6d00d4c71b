//! Where in a rule file something is: byte spans turned into the file, line
//! and column a person finds in a text editor, and the error that carries
//! them.
//!
//! The parser's own words for a value of the wrong type (`invalid type:
//! string "2", expected u32`) are put the way a company's admin says it
//! (`expected a whole number, found the text "2"`).
//!
//! A rule set may be several files (`extends`). Each file is parsed as if
//! it stood at its own offset of one long text (padded with spaces, which
//! TOML ignores), so every span, whichever file it came from, maps back to
//! its file here.

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

/// One file of a rule set and where it stands in the shared offsets.
#[derive(Debug, Clone)]
struct Segment {
    start: usize,
    file: String,
    text: String,
}

/// The files of a rule set, to locate spans in them.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

impl SourceMap {
    /// Adds a file; returns the offset its spans start at, and the text to
    /// parse (the file's text behind that many spaces).
    pub fn add(&mut self, file: &str, text: &str) -> (usize, String) {
        let start = self
            .segments
            .last()
            .map_or(0, |s| s.start + s.text.len() + 1);
        self.segments.push(Segment {
            start,
            file: file.to_string(),
            text: text.to_string(),
        });
        let mut padded = String::with_capacity(start + text.len());
        padded.extend(std::iter::repeat_n(' ', start));
        padded.push_str(text);
        (start, padded)
    }

    /// The file that came first (the one named on the command line; the
    /// files it extends are added after it).
    pub fn top_file(&self) -> &str {
        self.segments.first().map_or("", |s| s.file.as_str())
    }

    /// An error at the start of `span`; without a span, at the top of the
    /// file the user named.
    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> RuleFileError {
        let message = message.into();
        let located = span.and_then(|s| {
            self.segments
                .iter()
                .find(|seg| s.start >= seg.start && s.start <= seg.start + seg.text.len())
                .map(|seg| (seg, s.start - seg.start))
        });
        match located {
            Some((seg, offset)) => {
                let (line, column) = line_and_column(&seg.text, offset);
                RuleFileError {
                    file: seg.file.clone(),
                    line,
                    column,
                    message,
                }
            }
            None => RuleFileError {
                file: self.top_file().to_string(),
                line: 1,
                column: 1,
                message,
            },
        }
    }
}

/// The parser's message for a value of the wrong type or out of range,
/// `invalid type: string "2", expected u32`, in plain words: `expected a
/// whole number, found the text "2"`. Any other message as it is.
pub fn plain_words(message: &str) -> String {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    let Some((found, expected)) = rest.and_then(|r| r.rsplit_once(", expected ")) else {
        return message.to_string();
    };
    let out_of_range = message.starts_with("invalid value: ");
    match (found_words(found), expected_words(expected, out_of_range)) {
        (Some(found), Some(expected)) => format!("expected {expected}, found {found}"),
        _ => message.to_string(),
    }
}

/// What serde's `Unexpected` names, as a person says it.
fn found_words(found: &str) -> Option<String> {
    let quoted = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|v| v.trim_matches('`').to_string())
    };
    if let Some(text) = found.strip_prefix("string ") {
        return Some(format!("the text {text}"));
    }
    if let Some(n) = quoted("integer ").or_else(|| quoted("floating point ")) {
        return Some(format!("the number {n}"));
    }
    if let Some(b) = quoted("boolean ") {
        return Some(format!("`{b}`"));
    }
    match found {
        "sequence" => Some("a list".into()),
        "map" => Some("a table".into()),
        _ => None,
    }
}

/// What serde expected, as a person says it.
fn expected_words(expected: &str, out_of_range: bool) -> Option<&'static str> {
    Some(match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" if out_of_range => "a whole number of 0 or more",
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            "a whole number"
        }
        "f32" | "f64" => "a number",
        "a string" => "a text in quotes",
        "a boolean" => "true or false",
        "a sequence" => "a list",
        "a map" => "a table",
        other if other.starts_with("struct ") => "a table",
        _ => return None,
    })
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
    fn spans_map_back_to_their_file() {
        // The file named on the command line comes first, what it extends after.
        let mut map = SourceMap::default();
        let (a, _) = map.add("company.toml", "z = 3\n");
        let (b, padded) = map.add("base.toml", "x = 1\ny = 2\n");
        assert_eq!(a, 0);
        assert_eq!(&padded[b..], "x = 1\ny = 2\n");
        let e = map.error(Some(b + 6..b + 7), "in base");
        assert_eq!((e.file.as_str(), e.line, e.column), ("base.toml", 2, 1));
        let e = map.error(Some(a + 4..a + 5), "in company");
        assert_eq!((e.file.as_str(), e.line, e.column), ("company.toml", 1, 5));
        let e = map.error(None, "anywhere");
        assert_eq!(
            e.to_string(),
            "rule file company.toml, line 1, column 1: anywhere"
        );
    }

    #[test]
    fn the_parsers_type_names_become_plain_words() {
        for (said, plain) in [
            (
                "invalid type: string \"2\", expected u32",
                "expected a whole number, found the text \"2\"",
            ),
            (
                "invalid value: integer `-2`, expected u32",
                "expected a whole number of 0 or more, found the number -2",
            ),
            (
                "invalid type: floating point `2.5`, expected u32",
                "expected a whole number, found the number 2.5",
            ),
            (
                "invalid type: string \"30\", expected i64",
                "expected a whole number, found the text \"30\"",
            ),
            (
                "invalid type: integer `5`, expected a string",
                "expected a text in quotes, found the number 5",
            ),
            (
                "invalid type: boolean `true`, expected a string",
                "expected a text in quotes, found `true`",
            ),
            (
                "invalid type: sequence, expected u32",
                "expected a whole number, found a list",
            ),
            (
                "invalid type: integer `3`, expected struct RawCondition",
                "expected a table, found the number 3",
            ),
            (
                "invalid type: string \"x\", expected a boolean",
                "expected true or false, found the text \"x\"",
            ),
        ] {
            assert_eq!(plain_words(said), plain, "{said}");
        }
        // Anything else is left as it is.
        for other in [
            "unknown field `at-leest`; did you mean `at-least`?",
            "invalid type: unit value, expected u32",
            "invalid type: string \"x\", expected something odd",
        ] {
            assert_eq!(plain_words(other), other);
        }
    }
}

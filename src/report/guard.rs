//! The formula-injection guard for spreadsheet cells. Exports carry text
//! that clients typed (deal names, comments); a cell that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return is taken by Excel and
//! LibreOffice for a formula when a CSV is opened, or when an XLSX cell is
//! edited. CSV gets a leading apostrophe (the convention both programs
//! read as "text"); XLSX keeps the text and marks the cell quote-prefixed.

use std::borrow::Cow;

/// The first characters a spreadsheet program may read as a formula.
pub const FORMULA_PREFIXES: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a text cell would be taken for a formula.
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(FORMULA_PREFIXES)
}

/// A CSV cell's text, with an apostrophe before a formula-like start.
pub fn csv_text(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prefix_is_guarded() {
        for prefix in FORMULA_PREFIXES {
            let text = format!("{prefix}HYPERLINK(\"http://x\")");
            assert_eq!(csv_text(&text), format!("'{text}"), "{prefix:?}");
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in ["Радиаторы", "", "1+1", "a=b", " =x", "'quoted"] {
            assert_eq!(csv_text(text), text);
        }
    }
}

//! Call-review sheet rows → `Review`: the call type decides which script
//! applies; each stage or conduct column is marked (`+`, `1`, `да`, `✓`) or
//! not (empty, `-`, `0`, `нет`). Anything else is an input error: a mark
//! the audit cannot read must not become a violation.

use super::row::Row;
use super::source::cell_text;
use super::Loader;
use crate::model::{CallType, FileId, Review};
use crate::rules::columns::ReviewField;

pub(super) fn read(loader: &mut Loader, row: &Row, file: FileId) -> anyhow::Result<Option<String>> {
    let type_field = ReviewField::CallType.index();
    let call_type = match row.text(type_field).to_lowercase().as_str() {
        "" => return Ok(Some("reviewed call without a call type".into())),
        t if t.starts_with("баз") || t.starts_with("из баз") || t == "base" || t == "исходящий" => {
            CallType::Base
        }
        t if t.starts_with("вход") || t == "inbound" || t == "заявка" => {
            CallType::Inbound
        }
        other => {
            let column = row.header.columns[type_field][0];
            return Err(row.error(
                column,
                &format!(
                    "`{other}` is not a call type; write «база» (base) or «входящий» (inbound)"
                ),
            ));
        }
    };
    let mut marked = 0u32;
    for &field in ReviewField::ALL {
        if matches!(
            field,
            ReviewField::Id | ReviewField::Time | ReviewField::Manager | ReviewField::CallType
        ) {
            continue;
        }
        for &column in &row.header.columns[field.index()] {
            let text = cell_text(row.source.cell(column));
            if is_mark(&text).map_err(|e| row.error(column, &e))? {
                marked |= 1 << field.index();
            }
        }
    }
    let id = row.text(ReviewField::Id.index());
    let id: Box<str> = if !id.is_empty() {
        id.as_ref().into()
    } else {
        match row.moment(ReviewField::Time.index())? {
            Some(t) => t.start().format("%Y-%m-%d %H:%M:%S").to_string().into(),
            None => format!("{}:{}", row.header.path, row.number()).into(),
        }
    };
    let review = Review {
        id,
        manager: loader.manager(&row.text(ReviewField::Manager.index())),
        call_type,
        marked,
        file,
        row: row.number(),
    };
    loader.data.reviews.push(review);
    Ok(None)
}

/// Whether a review cell marks its column.
fn is_mark(text: &str) -> Result<bool, String> {
    match text.trim().to_lowercase().as_str() {
        "" | "-" | "0" | "нет" | "no" | "false" => Ok(false),
        "+" | "1" | "да" | "✓" | "✔" | "v" | "yes" | "true" | "x" | "х" => Ok(true),
        other => Err(format!(
            "`{other}` is not a mark; write +, 1, да or ✓, or leave the cell empty"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::is_mark;

    #[test]
    fn marks() {
        for yes in ["+", "1", "да", "Да", "✓", "x"] {
            assert_eq!(is_mark(yes), Ok(true), "{yes}");
        }
        for no in ["", " ", "-", "0", "нет"] {
            assert_eq!(is_mark(no), Ok(false), "{no:?}");
        }
        assert!(is_mark("может быть").unwrap_err().contains("is not a mark"));
    }
}

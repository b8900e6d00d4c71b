//! Call-review sheet rows → `Review`: the call type decides which script
//! applies; each stage or conduct column is marked (`+`, `1`, `да`, `✓`) or
//! not (empty, `-`, `0`, `нет`). A mark the audit cannot read must not
//! become a violation: it is the review's unreadable-value finding, and the
//! rules reading that column do not judge the review (with `--strict`, or
//! without that rule, an input error).

use super::reason::Skip;
use super::row::Row;
use super::source::cell_text;
use super::Loader;
use crate::model::{CallType, Dataset, FileId, Review};
use crate::rules::columns::ReviewField;

pub(super) fn read(loader: &mut Loader, row: &Row, file: FileId) -> anyhow::Result<Option<Skip>> {
    let type_field = ReviewField::CallType.index();
    let call_type = match row.text(type_field).to_lowercase().as_str() {
        "" => return Ok(Some(Skip::ReviewWithoutCallType)),
        t if t.starts_with("баз") || t.starts_with("из баз") || t == "base" || t == "исходящий" => {
            CallType::Base
        }
        t if t.starts_with("вход") || t == "inbound" || t == "заявка" => {
            CallType::Inbound
        }
        // A word of no script: the review cannot be judged, but it says
        // nothing of the others (with `--strict`, the run ends).
        _ if !loader.strict => {
            let written = row.text(type_field).into_owned();
            return Ok(Some(Skip::ReviewUnknownCallType(written)));
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
    // Cells that cannot be read (a mark `может быть`, a date `вчера`), when
    // the audit goes on without them. A sheet is read whole, so the row
    // each names is the row in the file.
    let mut unreadable = Vec::new();
    let (mut marked, mut unreadable_marks) = (0u32, 0u32);
    for &field in ReviewField::ALL {
        if matches!(
            field,
            ReviewField::Id | ReviewField::Time | ReviewField::Manager | ReviewField::CallType
        ) {
            continue;
        }
        for &column in &row.header.columns[field.index()] {
            let text = cell_text(row.source.cell(column));
            let mark = is_mark(&text).map_err(|e| row.value_error(column, e));
            let before = unreadable.len();
            match loader.value(mark.map(Some), &mut unreadable)? {
                Some(true) => marked |= 1 << field.index(),
                Some(false) => {}
                None if unreadable.len() > before => unreadable_marks |= 1 << field.index(),
                None => {}
            }
        }
    }
    let id = row.text(ReviewField::Id.index());
    let id: Box<str> = if !id.is_empty() {
        id.as_ref().into()
    } else {
        match loader.value(row.moment(ReviewField::Time.index()), &mut unreadable)? {
            Some(t) => t.start().format("%Y-%m-%d %H:%M:%S").to_string().into(),
            None => format!("{}:{}", row.header.path, row.number()).into(),
        }
    };
    let review = Review {
        id,
        manager: loader.manager(&loader.manager_cell(row, ReviewField::Manager.index())),
        call_type,
        marked,
        unreadable_marks,
        unreadable,
        file,
        row: row.number(),
    };
    loader.data.reviews.push(review);
    Ok(None)
}

/// A call-review sheet none of whose reviews could be read whole is the
/// wrong file or a wrong mapping: the run ends with the first unreadable
/// cell, as `--strict` would have.
pub(super) fn check_some_readable(data: &Dataset) -> anyhow::Result<()> {
    for (index, file) in data.files.iter().enumerate() {
        let mut reviews = data.reviews.iter().filter(|r| usize::from(r.file) == index);
        let Some(first) = reviews.next() else {
            continue;
        };
        if first.unreadable.is_empty() || reviews.any(|r| r.unreadable.is_empty()) {
            continue;
        }
        anyhow::bail!(
            "{} (no review of {} could be read whole)",
            first.unreadable[0],
            file.path
        );
    }
    Ok(())
}

/// Whether a review cell marks its column.
fn is_mark(text: &str) -> Result<bool, crate::value::ValueError> {
    match text.trim().to_lowercase().as_str() {
        "" | "-" | "0" | "нет" | "no" | "false" => Ok(false),
        "+" | "1" | "да" | "✓" | "✔" | "v" | "yes" | "true" | "x" | "х" => Ok(true),
        other => Err(crate::value::ValueError::NotA {
            written: crate::value::Written::Whole(other.to_string()),
            kind: crate::value::Expected::Mark,
        }),
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
        assert!(is_mark("может быть")
            .unwrap_err()
            .to_string()
            .contains("is not a mark"));
    }
}

//! Telling what a file holds from its header row: deals, tasks, calls or
//! contacts. The header may sit below a title line, so the first rows are
//! tried in turn. A file that fits no layout, or two, is an error that lists
//! the closest layouts and the headers they missed.

use super::reason::{Closest, NotExport};
use crate::rules::columns::{field_specs, Columns, EntityKind, Role};
use crate::value::normalize_header;

/// A file that is not an export crm-audit knows: a layout it cannot
/// recognise, an empty file, a file its format's reader cannot open, or a
/// report of crm-audit's own. A folder may hold such strays, which are
/// skipped and listed; a file named on the command line is an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct Unrecognised {
    /// The file as shown in messages.
    pub path: String,
    /// Why it is not read, for the report's list of files not read.
    pub reason: NotExport,
}

/// How many rows from the top may hold the header.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// A recognised header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognized {
    pub kind: EntityKind,
    /// Index of the header among the rows given (0 = first).
    pub header_index: usize,
    /// For each logical field of the kind (by index), the columns that carry
    /// it, in column order.
    pub columns: Vec<Vec<usize>>,
}

/// How well one row fits one layout.
struct Fit {
    kind: EntityKind,
    columns: Vec<Vec<usize>>,
    /// Identifying fields found / all identifying fields.
    found: usize,
    wanted: usize,
    missing: Vec<Vec<String>>,
}

/// How the row whose cells are `normal` (each `normalize_header`d) fits
/// an export of `kind`.
fn fit(kind: EntityKind, normal: &[String], layouts: &Columns) -> Fit {
    let layout = layouts.layout(kind);
    let specs = field_specs(kind);
    let mut columns = vec![Vec::new(); specs.len()];
    for (field, spec_columns) in columns.iter_mut().enumerate() {
        let names = layout.headers_of(field);
        for (i, h) in normal.iter().enumerate() {
            if !h.is_empty() && names.contains(h) {
                spec_columns.push(i);
            }
        }
    }
    let mut found = 0;
    let mut wanted = 0;
    let mut missing = Vec::new();
    for (field, spec) in specs.iter().enumerate() {
        if spec.role == Role::Identifying {
            wanted += 1;
            if columns[field].is_empty() {
                missing.push(header_list(layouts, kind, field));
            } else {
                found += 1;
            }
        }
    }
    Fit {
        kind,
        columns,
        found,
        wanted,
        missing,
    }
}

/// `Срок` or `due` — how a person reads the names a field may have.
pub fn header_names(layouts: &Columns, kind: EntityKind, field: usize) -> String {
    super::reason::either(&header_list(layouts, kind, field), " or ")
}

/// The headers a field may have, as written.
fn header_list(layouts: &Columns, kind: EntityKind, field: usize) -> Vec<String> {
    let names = layouts.layout(kind).written_of(field);
    names.iter().map(|n| n.to_string()).collect()
}

/// Why no layout was taken: none fits (a stray file), or several do (an
/// export whose headers need mapping). The text says which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unfit {
    #[error("{0}")]
    NoLayout(NotExport),
    #[error("{0}")]
    Several(String),
}

/// Finds the header row among `rows` (the first rows of a file) and the
/// kind it announces. The error text lists what each layout missed.
pub fn recognize(rows: &[Vec<String>], layouts: &Columns) -> Result<Recognized, Unfit> {
    let mut closest: Vec<Fit> = Vec::new();
    for (index, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        // Normalised once for every kind it is tried as.
        let normal: Vec<String> = row.iter().map(|h| normalize_header(h)).collect();
        let fits: Vec<Fit> = EntityKind::ALL
            .iter()
            .map(|&k| fit(k, &normal, layouts))
            .collect();
        let complete: Vec<&Fit> = fits.iter().filter(|f| f.found == f.wanted).collect();
        match complete.as_slice() {
            [one] => {
                return Ok(Recognized {
                    kind: one.kind,
                    header_index: index,
                    columns: one.columns.clone(),
                })
            }
            [] => {
                let best_here: usize = fits.iter().map(|f| f.found).max().unwrap_or(0);
                let best_so_far = closest.iter().map(|f| f.found).max().unwrap_or(0);
                if closest.is_empty() || best_here > best_so_far {
                    closest = fits;
                }
            }
            many => {
                let kinds: Vec<&str> = many.iter().map(|f| f.kind.as_str()).collect();
                return Err(Unfit::Several(format!(
                    "the header row (row {}) fits several kinds of export at once: {}; \
                     rename or map the columns in the rule set's [columns] so that only one fits",
                    index + 1,
                    kinds.join(" and ")
                )));
            }
        }
    }
    closest.sort_by_key(|f| std::cmp::Reverse(f.found * 100 / f.wanted.max(1)));
    let closest = closest
        .into_iter()
        .map(|f| Closest {
            kind: f.kind,
            needs: identifying_list(layouts, f.kind),
            missing: f.missing,
        })
        .collect();
    Err(Unfit::NoLayout(NotExport::NoHeader {
        rows: HEADER_SEARCH_ROWS,
        closest,
    }))
}

fn identifying_list(layouts: &Columns, kind: EntityKind) -> Vec<Vec<String>> {
    let specs = field_specs(kind);
    specs
        .iter()
        .enumerate()
        .filter(|(_, s)| s.role == Role::Identifying)
        .map(|(i, _)| header_list(layouts, kind, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::columns::{DealField, TaskField};
    use crate::rules::RuleSet;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn recognises_an_amocrm_deal_export_case_and_space_insensitively() {
        let rules = RuleSet::builtin();
        let header = row(&[
            "ID",
            "название сделки",
            "Бюджет ",
            " Этап сделки",
            "Ответственный",
            "Мобильный телефон (контакт)",
            "Рабочий телефон (контакт)",
        ]);
        let r = recognize(&[header], &rules.columns).unwrap();
        assert_eq!(r.kind, EntityKind::Deals);
        assert_eq!(r.header_index, 0);
        assert_eq!(r.columns[DealField::Stage.index()], vec![3]);
        assert_eq!(r.columns[DealField::Phones.index()], vec![5, 6]);
        assert!(r.columns[DealField::NearestTask.index()].is_empty());
    }

    #[test]
    fn finds_the_header_below_a_title_line() {
        let rules = RuleSet::builtin();
        let rows = [
            row(&["Задачи отдела продаж на 26.11.2026"]),
            row(&[]),
            row(&["id", "deal_id", "manager", "due", "completed"]),
        ];
        let r = recognize(&rows, &rules.columns).unwrap();
        assert_eq!(r.kind, EntityKind::Tasks);
        assert_eq!(r.header_index, 2);
        assert_eq!(r.columns[TaskField::Due.index()], vec![3]);
    }

    #[test]
    fn duplicate_headers_are_all_kept_in_order() {
        let rules = RuleSet::builtin();
        let header = row(&[
            "ID",
            "Название сделки",
            "Этап сделки",
            "Ответственный",
            "Причина отказа",
            "Причина отказа",
        ]);
        let r = recognize(&[header], &rules.columns).unwrap();
        assert_eq!(r.columns[DealField::RefusalReason.index()], vec![4, 5]);
    }

    #[test]
    fn an_unknown_file_lists_what_each_layout_missed() {
        let rules = RuleSet::builtin();
        let e = recognize(&[row(&["Дата", "Сумма", "Клиент"])], &rules.columns)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("not recognised as deals, leads, tasks, calls, contacts, call-reviews: no header row found in the first 10 rows."),
            "{e}"
        );
        assert!(
            e.contains("calls needs \"Дата\" or \"time\" or \"Время\" or \"Поступил в компанию\" or \"Начало разговора\", \"Направление\" or \"direction\" or \"Тип\"; missing \"Направление\" or \"direction\" or \"Тип\""),
            "{e}"
        );
        assert!(e.contains("tasks needs"), "{e}");
        // The closest layout (calls: one of two found) comes first.
        assert!(
            e.find("calls needs").unwrap() < e.find("deals needs").unwrap(),
            "{e}"
        );
    }

    #[test]
    fn a_header_fitting_two_layouts_is_an_error() {
        let rules = RuleSet::builtin();
        let header = row(&["Срок", "Выполнена", "Дата", "Направление", "Ответственный"]);
        let e = recognize(&[header], &rules.columns).unwrap_err();
        assert!(matches!(e, Unfit::Several(_)), "{e}");
        let e = e.to_string();
        assert!(
            e.contains("fits several kinds of export at once: tasks and calls"),
            "{e}"
        );
    }
}

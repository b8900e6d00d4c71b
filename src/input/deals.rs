//! Deal rows → `Deal`. Rows of one file with the same deal ID are one deal
//! (Bitrix24 repeats a deal per product): `merge` lays each repeat over the
//! first row, the first non-empty value of each field winning, and a
//! product row adds its amount to the deal's budget (see
//! `adds_up_products`). A deal another export holds too is another copy of
//! it, not more of it: the newer copy is the deal (see `newer`), whole.

use super::reason::{NewerBy, Skip};
use super::row::Row;
use super::source::cell_text;
use super::{catalog_values, phones, CatalogColumns, Loader};
use crate::model::{Deal, FileId, Phones, Text};
use crate::rules::columns::DealField;
use crate::value::{self, normalize_header, Moment};
use std::cmp::Ordering;

/// Reads one deal row; `Some(reason)` when the row is not a deal of its own.
pub(super) fn read(
    loader: &mut Loader,
    row: &Row,
    file: FileId,
    catalog: &CatalogColumns,
    lead: bool,
) -> anyhow::Result<Option<Skip>> {
    let id = row.text(DealField::Id.index());
    if let Some(skip) = no_deal(row, &id, lead) {
        return Ok(Some(skip));
    }
    // Cells a rule reads as values but cannot (`50%` as an amount), when
    // the audit goes on without them.
    let mut unreadable = Vec::new();
    // No rule that judges leads reads a value of a catalog field (only
    // whether it is filled), nor a budget: a lead's cell that is no amount
    // or date blames no one.
    let mut ignored = Vec::new();
    let filled = catalog_values(
        row,
        catalog,
        &loader.rules.deal_fields,
        &loader.rules.blank_words,
        &mut loader.data.deal_values,
        &mut loader.data.texts,
        if lead {
            Some(&mut ignored)
        } else {
            loader.lenient_values.then_some(&mut unreadable)
        },
    )?;
    let (phones, implausible_phones) = read_phones(loader, row)?;
    let pipeline = pipeline(loader, row);
    let budget = if lead {
        None
    } else {
        loader.value(
            row.parsed(budget_field(row), value::parse_amount),
            &mut unreadable,
        )?
    };
    let before = unreadable.len();
    let nearest_task = loader.value(row.moment(DealField::NearestTask.index()), &mut unreadable)?;
    let nearest_task_unreadable = unreadable.len() > before;
    if !unreadable.is_empty() {
        let index = loader.data.deals.len() as u32;
        let found = crate::model::Unreadable {
            cells: unreadable,
            nearest_task: nearest_task_unreadable,
        };
        loader.data.unreadable_deals.insert(index, found);
    }
    let deal = Deal {
        id: loader.keep(row, &id)?,
        name: loader.keep(row, &row.text(DealField::Name.index()))?,
        manager: loader.manager(&loader.manager_cell(row, DealField::Manager.index())),
        stage: if lead {
            loader.stage_judged_by(crate::rules::LEADS, &row.text(DealField::Stage.index()))
        } else {
            loader.stage(pipeline, &row.text(DealField::Stage.index()))
        },
        pipeline,
        budget,
        contact_name: loader.keep(row, &filled_text(loader, row, DealField::ContactName))?,
        phones,
        implausible_phones,
        nearest_task,
        has_refusal_reason: !filled_text(loader, row, DealField::RefusalReason).is_empty(),
        filled,
        file,
        row: row.number(),
    };
    loader.data.deals.push(deal);
    // Read as `stale-deal` reads it; a cell that is no date tells nothing
    // of which copy is newer (and is that rule's finding where it runs).
    let modified = loader
        .needs
        .deal_dates
        .then(|| row.moment(DealField::Modified.index()));
    let modified = modified.and_then(|m| m.ok().flatten());
    loader.data.deal_modified.push(modified.into());
    Ok(None)
}

/// Whether `copy`, a deal's copy from another export than the copy `kept`,
/// is the newer one, and what tells: its modification date when both
/// copies have one and they differ (a date without a time only by the
/// day), else whether its file is the newer export (`input::newer`).
pub(super) fn newer(
    copy: Option<Moment>,
    kept: Option<Moment>,
    copy_in_newer_export: bool,
    export_by: NewerBy,
) -> (bool, NewerBy) {
    let later = match (copy, kept) {
        (Some(Moment::At(a)), Some(Moment::At(b))) => a.cmp(&b),
        (Some(a), Some(b)) => a.start().date().cmp(&b.start().date()),
        _ => Ordering::Equal,
    };
    match later {
        Ordering::Equal => (copy_in_newer_export, export_by),
        later => (later == Ordering::Greater, NewerBy::Changed),
    }
}

/// Why a row with no deal ID (or a totals line's words for one) is no
/// deal: a totals line a person or a spreadsheet added under the export
/// (a cell starting with `Итого`, `Всего`, `Total` or `Сумма`, in the ID
/// column or, the ID empty, anywhere, and beside it nothing but numbers
/// and the responsible's name: `Итого по менеджеру`, `Всего сделок: 1`),
/// a row with no name, responsible or stage either, or else a deal row
/// missing its ID. `None` for a row with an ID, and for a deal whose ID
/// only starts with such a word but whose row holds more than totals.
fn no_deal(row: &Row, id: &str, lead: bool) -> Option<Skip> {
    if !id.is_empty() && !starts_with_totals_word(id) {
        return None;
    }
    if is_totals_row(row) {
        return Some(Skip::TotalsRow);
    }
    if !id.is_empty() && !is_totals_word(id) {
        return None;
    }
    let no_data = [DealField::Name, DealField::Manager, DealField::Stage]
        .iter()
        .all(|f| row.text(f.index()).is_empty());
    Some(if no_data {
        Skip::NoDealData
    } else {
        Skip::WithoutId { lead }
    })
}

/// Whether a row holds a totals line's words and beside them only
/// numbers, amounts and, in the responsible's column, a name.
fn is_totals_row(row: &Row) -> bool {
    let managers = &row.header.columns[DealField::Manager.index()];
    let mut totals_word = false;
    let only_totals = (0..row.source.width())
        .map(|c| (c, row.source.cell(c)))
        .filter(|(_, cell)| !cell.is_empty())
        .all(|(c, cell)| match cell {
            super::source::Cell::Number(_) => true,
            super::source::Cell::Text(t) if starts_with_totals_word(t) => {
                totals_word = true;
                true
            }
            super::source::Cell::Text(t) => value::parse_amount(t).is_ok() || managers.contains(&c),
            _ => false,
        });
    only_totals && totals_word
}

const TOTALS_WORDS: [&str; 4] = ["итого", "всего", "total", "сумма"];

/// Whether a cell is a totals line's word: `Итого`, `Всего`, `Total`,
/// `Сумма`, in any case, a colon after it allowed.
fn is_totals_word(text: &str) -> bool {
    let word = text.trim().trim_end_matches(':').trim_end();
    TOTALS_WORDS.iter().any(|w| word.to_lowercase() == *w)
}

/// Whether a cell starts with a totals line's word, then a space, a colon
/// or its end (`Итого по менеджеру`, `Всего сделок: 1`, `Total`; not
/// `Суммарно`).
fn starts_with_totals_word(text: &str) -> bool {
    let text = text.trim().to_lowercase();
    TOTALS_WORDS.iter().any(|w| {
        text.strip_prefix(w)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':', '\u{a0}', '\t']))
    })
}

/// A text field's text, empty where it holds only a blank word (`-`,
/// `нет`) or nothing visible, as the rule set's `blank-words` say.
fn filled_text<'a>(loader: &Loader, row: &Row<'a>, field: DealField) -> std::borrow::Cow<'a, str> {
    let text = row.text(field.index());
    if loader.rules.blank_words.is_blank(&text) {
        std::borrow::Cow::Borrowed("")
    } else {
        text
    }
}

/// The deal's phones as each numbering plan asked for judges them, and
/// their cells as written when some plan finds no number one could call.
fn read_phones(loader: &mut Loader, row: &Row) -> anyhow::Result<(Phones, Text)> {
    let cells: Vec<_> = row.header.columns[DealField::Phones.index()]
        .iter()
        .map(|&c| cell_text(row.source.cell(c)))
        .filter(|t| !t.is_empty())
        .collect();
    let phones = phones::phone_states(&cells, &loader.needs.phone_countries);
    let implausible_phones = if phones.implausible_somewhere() {
        let texts: Vec<&str> = cells.iter().map(|c| c.as_ref()).collect();
        loader.keep(row, &texts.join("; "))?
    } else {
        Text::EMPTY
    };
    Ok((phones, implausible_phones))
}

/// The deal's pipeline, an index of `Dataset::pipelines`.
fn pipeline(loader: &mut Loader, row: &Row) -> u32 {
    let pipeline_text = row.text(DealField::Pipeline.index());
    match loader.memo.pipelines.get(pipeline_text.as_ref()) {
        Some(&id) => id,
        None => {
            let id = loader
                .data
                .pipelines
                .intern(&normalize_header(&pipeline_text));
            loader
                .memo
                .pipelines
                .insert(pipeline_text.as_ref().into(), id);
            id
        }
    }
}

/// The field a row's budget is read from: the deal's own total where the
/// export has one, else the budget (in an export with products, the row's
/// amount).
fn budget_field(row: &Row) -> usize {
    if row.has(DealField::DealTotal.index()) {
        DealField::DealTotal.index()
    } else {
        DealField::Budget.index()
    }
}

/// Whether a file's rows repeating a deal are its products, their amounts
/// to be added up: the file has product and quantity columns (Bitrix24's
/// export with products) and no deal total of its own. `present`: whether
/// each deal field has a column.
pub(super) fn adds_up_products(present: impl Fn(DealField) -> bool) -> bool {
    present(DealField::Product)
        && present(DealField::ProductQuantity)
        && !present(DealField::DealTotal)
}

/// Fills what the first row of a deal left empty from a repeat row.
/// `stage_empty`: the first row had no stage; `product_row`: the repeat is
/// a product row of the same export, its amount part of the budget.
pub(super) fn merge(kept: &mut Deal, repeat: Deal, stage_empty: bool, product_row: bool) {
    if kept.name.is_empty() {
        kept.name = repeat.name;
    }
    if kept.contact_name.is_empty() {
        kept.contact_name = repeat.contact_name;
    }
    (kept.phones, kept.implausible_phones) = phones::together(
        (kept.phones, kept.implausible_phones),
        (repeat.phones, repeat.implausible_phones),
    );
    // A stage is classified by its pipeline's stages: the two travel together.
    if (kept.pipeline == 0 && repeat.pipeline != 0) || stage_empty {
        kept.pipeline = repeat.pipeline;
        kept.stage = repeat.stage;
    }
    kept.nearest_task = kept.nearest_task.or(repeat.nearest_task);
    kept.budget = match (kept.budget, repeat.budget) {
        (Some(total), Some(amount)) if product_row => Some(total + amount),
        (kept, repeat) => kept.or(repeat),
    };
    kept.has_refusal_reason |= repeat.has_refusal_reason;
    kept.filled = kept.filled | repeat.filled;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_totals_line_starts_with_its_word() {
        for (text, expected) in [
            ("Итого по менеджеру", true),
            ("Всего сделок: 1", true),
            ("ИТОГО:", true),
            ("Total", true),
            ("  сумма ", true),
            ("Суммарно", false),
            ("Totals", false),
            ("Всеволод", false),
            ("1", false),
        ] {
            assert_eq!(starts_with_totals_word(text), expected, "{text}");
        }
    }

    fn at(d: u32, h: u32) -> Option<Moment> {
        let day = NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        Some(Moment::At(day.and_hms_opt(h, 0, 0).unwrap()))
    }

    fn day(d: u32) -> Option<Moment> {
        Some(Moment::Day(NaiveDate::from_ymd_opt(2026, 11, d).unwrap()))
    }

    #[test]
    fn the_later_change_decides_before_the_newer_export() {
        // Changed later: the copy wins even from the older export, and
        // loses, later changed or not, by its own date alone.
        assert_eq!(
            newer(at(24, 12), at(19, 10), false, NewerBy::NameDate),
            (true, NewerBy::Changed)
        );
        assert_eq!(
            newer(at(19, 10), at(24, 12), true, NewerBy::NameDate),
            (false, NewerBy::Changed)
        );
        assert_eq!(
            newer(day(24), at(23, 18), false, NewerBy::NameDate),
            (true, NewerBy::Changed)
        );
        // The same moment, the same day given once without a time, or a
        // copy without a date: the newer export's copy.
        for (copy, kept) in [
            (at(24, 12), at(24, 12)),
            (day(24), at(24, 12)),
            (None, at(24, 12)),
            (at(24, 12), None),
            (None, None),
        ] {
            assert_eq!(
                newer(copy, kept, true, NewerBy::NameDate),
                (true, NewerBy::NameDate)
            );
            assert_eq!(
                newer(copy, kept, false, NewerBy::NameDate),
                (false, NewerBy::NameDate)
            );
        }
    }
}

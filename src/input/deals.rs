//! Deal rows → `Deal`. Rows with the same deal ID are one deal (Bitrix24
//! repeats a deal per product; overlapping exports repeat it too): the
//! first non-empty value of each field wins and the repeat row is accounted
//! as merged.

use super::row::Row;
use super::Loader;
use crate::model::{Deal, FileId};
use crate::rules::columns::DealField;
use crate::rules::stages::FieldMask;
use crate::value;

/// Reads one deal row; `Some(reason)` when the row is not a deal of its own.
pub(super) fn read(
    loader: &mut Loader,
    row: &Row,
    file: FileId,
    required_columns: &[(usize, Vec<usize>)],
) -> anyhow::Result<Option<String>> {
    let id = row.text(DealField::Id.index());
    if id.is_empty() {
        return Ok(Some("deal row without an ID".into()));
    }
    let filled = required_columns
        .iter()
        .filter(|(_, cols)| cols.iter().any(|&c| !row.source.cell(c).is_empty()))
        .fold(FieldMask::default(), |m, (i, _)| m.with(*i));
    let deal = Deal {
        id: id.as_ref().into(),
        name: row.text(DealField::Name.index()).as_ref().into(),
        manager: loader.manager(&row.text(DealField::Manager.index())),
        stage: loader.stage(&row.text(DealField::Stage.index())),
        budget: row.parsed(DealField::Budget.index(), value::parse_amount)?,
        contact_name: row.text(DealField::ContactName.index()).as_ref().into(),
        has_phone: row.any_digit(DealField::Phones.index()),
        nearest_task: row.moment(DealField::NearestTask.index())?,
        has_refusal_reason: !row.text(DealField::RefusalReason.index()).is_empty(),
        filled,
        file,
        row: row.number(),
    };
    if let Some(&first) = loader.deal_index.get(deal.id.as_ref()) {
        let kept = &mut loader.data.deals[first];
        merge(kept, deal);
        let at = loader.data.files[usize::from(kept.file)].path.clone();
        return Ok(Some(format!(
            "repeats deal {} (first at {at}, row {})",
            kept.id, kept.row
        )));
    }
    loader
        .deal_index
        .insert(deal.id.clone(), loader.data.deals.len());
    loader.data.deals.push(deal);
    Ok(None)
}

/// Fills what the first row of a deal left empty from a repeat row.
fn merge(kept: &mut Deal, repeat: Deal) {
    if kept.name.is_empty() {
        kept.name = repeat.name;
    }
    if kept.contact_name.is_empty() {
        kept.contact_name = repeat.contact_name;
    }
    kept.has_phone |= repeat.has_phone;
    kept.nearest_task = kept.nearest_task.or(repeat.nearest_task);
    kept.budget = kept.budget.or(repeat.budget);
    kept.has_refusal_reason |= repeat.has_refusal_reason;
    kept.filled = FieldMask(kept.filled.0 | repeat.filled.0);
}

//! Contact rows → `Contact`, and lending their phones to deals: a deal whose
//! own phone columns are empty takes the phones of the contact with the
//! same name as its main contact.

use super::reason::Skip;
use super::row::Row;
use super::source::cell_text;
use super::{phones, Loader};
use crate::model::{Contact, Dataset, Deal, Phones, Text};
use crate::rules::columns::{ContactField, EntityKind};
use crate::value::normalize_name;
use std::collections::HashMap;

pub(super) fn read(loader: &mut Loader, row: &Row) -> anyhow::Result<Option<Skip>> {
    let name = name_key(&row.text(ContactField::Name.index()));
    if name.is_empty() {
        return Ok(Some(Skip::ContactWithoutName));
    }
    let cells: Vec<_> = row.header.columns[ContactField::Phones.index()]
        .iter()
        .map(|&c| cell_text(row.source.cell(c)))
        .collect();
    let texts: Vec<&str> = cells
        .iter()
        .map(|c| c.as_ref())
        .filter(|t| !t.is_empty())
        .collect();
    let phones = phones::phone_states(&texts, &loader.needs.phone_countries);
    let implausible_phones = if phones.implausible_somewhere() {
        loader.keep(row, &texts.join("; "))?
    } else {
        Text::EMPTY
    };
    loader.data.contacts.push(Contact {
        name_key: name.into(),
        phones,
        implausible_phones,
    });
    Ok(None)
}

fn name_key(name: &str) -> String {
    normalize_name(name).to_lowercase()
}

/// Gives each deal without a phone the best phone of the contacts named
/// like its main contact; returns how many deals were matched this way.
pub(super) fn lend_phones(data: &mut Dataset) -> usize {
    if data.contacts.is_empty() {
        return 0;
    }
    // The best phones among contacts of one name.
    let mut by_name: HashMap<&str, (Phones, Text)> = HashMap::new();
    for c in &data.contacts {
        let phones = (c.phones, c.implausible_phones);
        by_name
            .entry(c.name_key.as_ref())
            .and_modify(|best| *best = phones::together(*best, phones))
            .or_insert(phones);
    }
    let mut lent = 0;
    // A lead's phones are its own: no contact lends it one.
    let files = &data.files;
    let lead = |d: &Deal| files[usize::from(d.file)].kind == EntityKind::Leads;
    for deal in data
        .deals
        .iter_mut()
        .filter(|d| !lead(d) && d.phones.missing() && !d.contact_name.is_empty())
    {
        let name = name_key(data.texts.get(deal.contact_name));
        if let Some(&(phones, cells)) = by_name.get(name.as_str()) {
            if !phones.missing() {
                deal.phones = phones;
                deal.implausible_phones = cells;
                lent += 1;
            }
        }
    }
    data.phones_from_contacts = lent;
    lent
}

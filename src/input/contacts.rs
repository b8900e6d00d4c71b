//! Contact rows → `Contact`, and lending their phones to deals: a deal whose
//! own phone columns are empty has a phone when a contact with the same name
//! as its main contact has one.

use super::row::Row;
use super::Loader;
use crate::model::{Contact, Dataset};
use crate::rules::columns::ContactField;
use crate::value::normalize_name;
use std::collections::HashMap;

pub(super) fn read(loader: &mut Loader, row: &Row) -> anyhow::Result<Option<String>> {
    let name = name_key(&row.text(ContactField::Name.index()));
    if name.is_empty() {
        return Ok(Some("contact without a name".into()));
    }
    loader.data.contacts.push(Contact {
        name_key: name.into(),
        has_phone: row.any_digit(ContactField::Phones.index()),
    });
    Ok(None)
}

fn name_key(name: &str) -> String {
    normalize_name(name).to_lowercase()
}

/// Gives a phone to each deal without one whose main contact's name matches
/// a contact with a phone; returns how many deals were matched this way.
pub(super) fn lend_phones(data: &mut Dataset) -> usize {
    if data.contacts.is_empty() {
        return 0;
    }
    let mut with_phone: HashMap<&str, bool> = HashMap::new();
    for c in &data.contacts {
        *with_phone.entry(c.name_key.as_ref()).or_default() |= c.has_phone;
    }
    let mut lent = 0;
    for deal in data
        .deals
        .iter_mut()
        .filter(|d| !d.has_phone && !d.contact_name.is_empty())
    {
        if with_phone.get(name_key(&deal.contact_name).as_str()) == Some(&true) {
            deal.has_phone = true;
            lent += 1;
        }
    }
    data.phones_from_contacts = lent;
    lent
}

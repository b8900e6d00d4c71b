//! Every person of the managers roster is a manager of the report, with
//! the roster's name, even one no deal, task or call names: clause 2 binds
//! them, so the quota judges a roster person who made no call (0 that
//! day), and the report lists them. A person the inputs already name in
//! another form (`Новиков П.`, with the patronymic) is not added twice:
//! that would judge a second, empty manager.

use crate::model::{Dataset, UNASSIGNED};
use crate::names::{fits, name_key};
use crate::rules::RuleSet;

/// Adds the roster's people the inputs name in no form, in roster order.
pub(super) fn add(data: &mut Dataset, rules: &RuleSet) {
    let mut keys: Vec<String> = (0..data.managers.len() as u32)
        .map(|m| data.manager_name(m))
        .filter(|name| *name != UNASSIGNED)
        .map(name_key)
        .collect();
    for person in &rules.roster.people {
        let key = name_key(&person.name);
        let named = keys
            .iter()
            .any(|k| *k == key || fits(&key, k) || fits(k, &key));
        if !named {
            data.managers.intern(&person.name);
            keys.push(key);
        }
    }
}

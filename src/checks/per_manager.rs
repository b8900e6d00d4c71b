//! A rule's per-manager settings (`per-manager = { "Смирнова Ольга" = 25 }`)
//! matched to the managers the inputs name, through the roster and
//! `names::find` as every other list of names is. A setting that names no
//! manager (a typo, a person gone) is not dropped unsaid: it comes back as
//! unmatched, with the nearest manager's name when one is close, for the
//! report's notes and `inspect`.

use crate::model::{Dataset, ManagerId, UNASSIGNED};
use crate::names::{find, name_key, Found};
use crate::rules::compile::edit_distance;
use crate::rules::RuleSet;
use std::collections::HashMap;

/// The settings matched: each manager's own value, and the names that
/// matched none (sorted).
#[derive(Debug, Default, PartialEq)]
pub struct OwnSettings {
    pub by_manager: HashMap<ManagerId, u32>,
    pub unmatched: Vec<Unmatched>,
}

/// A setting's name that is no manager of the inputs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unmatched {
    /// The name as the rule file writes it.
    pub name: String,
    /// What may have been meant.
    pub nearest: Hint,
}

/// What a name that is no one manager may have meant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Hint {
    /// No manager is near it.
    None,
    /// The closest manager's name, close enough to be a typo.
    Typo(String),
    /// Every manager it is another form of (two or more): it is none.
    Several(Vec<String>),
}

/// Matches `settings` (name → value) to the managers of `data`: a roster
/// name or alias is its person; a name is the manager `names::find` takes
/// it for (two it could be are neither).
pub fn own_settings(
    data: &Dataset,
    rules: &RuleSet,
    settings: &HashMap<String, u32>,
) -> OwnSettings {
    let mut out = OwnSettings::default();
    if settings.is_empty() {
        return out;
    }
    let unassigned = data.managers.get(UNASSIGNED);
    let ids: Vec<ManagerId> = (0..data.managers.len() as ManagerId)
        .filter(|&m| Some(m) != unassigned)
        .collect();
    let keys: Vec<String> = ids
        .iter()
        .map(|&m| name_key(data.manager_name(m)))
        .collect();
    let known: Vec<&str> = keys.iter().map(String::as_str).collect();
    // Two settings may name one manager (`Петров Алексей` and `Петров А.`):
    // the one naming them as the inputs do wins, else the first by name,
    // never the hash order of the table.
    let mut named: Vec<(&String, &u32)> = settings.iter().collect();
    named.sort();
    let mut exact: Vec<ManagerId> = Vec::new();
    for (name, &value) in named {
        let shown = rules
            .roster
            .find(name)
            .map_or(name.as_str(), |p| p.name.as_str());
        match find(shown, &known) {
            Found::One(at) => {
                let manager = ids[at];
                let as_written = name_key(shown) == keys[at];
                if as_written && !exact.contains(&manager) {
                    exact.push(manager);
                    out.by_manager.insert(manager, value);
                } else {
                    out.by_manager.entry(manager).or_insert(value);
                }
            }
            Found::None => out.unmatched.push(Unmatched {
                name: name.clone(),
                nearest: nearest(data, &ids, &keys, shown).map_or(Hint::None, Hint::Typo),
            }),
            Found::Several(several) => out.unmatched.push(Unmatched {
                name: name.clone(),
                nearest: Hint::Several(
                    several
                        .iter()
                        .map(|&at| data.manager_name(ids[at]).to_string())
                        .collect(),
                ),
            }),
        }
    }
    out.unmatched.sort();
    out
}

/// The manager whose name is within a typo or two of `name`.
fn nearest(data: &Dataset, ids: &[ManagerId], keys: &[String], name: &str) -> Option<String> {
    let key = name_key(name);
    let (distance, at) = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (edit_distance(&key, k), i))
        .min()?;
    (distance <= key.chars().count() / 4 + 1).then(|| data.manager_name(ids[at]).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_two_settings_for_one_manager_the_one_written_as_the_inputs_write_wins() {
        let mut data = Dataset::default();
        data.managers.intern("Петров Алексей");
        let rules = RuleSet::builtin();
        // Every order of insertion, so the hash order cannot decide.
        for names in [
            ["Петров А.", "Петров Алексей", "Алексей Петров"],
            ["Петров Алексей", "Алексей Петров", "Петров А."],
            ["Алексей Петров", "Петров А.", "Петров Алексей"],
        ] {
            let settings: HashMap<String, u32> = names
                .iter()
                .map(|n| (n.to_string(), if *n == "Петров А." { 5 } else { 7 }))
                .collect();
            let own = own_settings(&data, &rules, &settings);
            assert_eq!(own.by_manager.get(&0), Some(&7), "{names:?}");
            assert!(own.unmatched.is_empty());
        }
        let settings: HashMap<String, u32> =
            [("Петров А.".to_string(), 5), ("Петров Ал.".to_string(), 6)].into();
        for _ in 0..8 {
            let own = own_settings(&data, &rules, &settings);
            assert_eq!(own.by_manager.get(&0), Some(&5));
        }
    }
}

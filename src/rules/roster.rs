//! The managers roster: one person under every name the files use (a CRM
//! spelling, a telephony extension, an e-mail), with a team, a quota of
//! their own and days absent. Without a roster, names are taken as written.

use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

/// One person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub team: Option<String>,
    /// Outgoing contacts a working day, instead of the rule's quota.
    pub quota: Option<u32>,
    pub absent: BTreeSet<NaiveDate>,
}

/// The compiled roster.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub people: Vec<Person>,
    /// Every name and alias, normalised and lowercased → person.
    by_name: HashMap<String, usize>,
}

pub use crate::names::name_key;

impl Roster {
    /// Adds a person under `names` (its own name first); returns the name
    /// already given to another person, if any.
    pub fn add(&mut self, person: Person, aliases: &[String]) -> Result<(), String> {
        let index = self.people.len();
        for name in std::iter::once(&person.name).chain(aliases) {
            let key = name_key(name);
            if let Some(&other) = self.by_name.get(&key) {
                if other != index {
                    return Err(format!(
                        "`{name}` is already a name of {}",
                        self.people[other].name
                    ));
                }
            }
            self.by_name.insert(key, index);
        }
        self.people.push(person);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Each person's names and aliases (as `name_key`s), by the person's
    /// index in `people`, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = (&str, usize)> {
        self.by_name.iter().map(|(k, &i)| (k.as_str(), i))
    }

    /// The person a name (or alias) stands for.
    pub fn find(&self, name: &str) -> Option<&Person> {
        // Most companies keep no roster: no name is then keyed for nothing.
        if self.by_name.is_empty() {
            return None;
        }
        self.by_name.get(&name_key(name)).map(|&i| &self.people[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_find_the_person() {
        let mut r = Roster::default();
        let person = Person {
            name: "Иванова Мария".into(),
            team: None,
            quota: Some(30),
            absent: BTreeSet::new(),
        };
        r.add(person, &["201".into(), "Мария  Иванова".into()])
            .unwrap();
        assert_eq!(r.find("201").unwrap().name, "Иванова Мария");
        assert_eq!(r.find("мария иванова").unwrap().quota, Some(30));
        assert!(r.find("202").is_none());
        let twin = Person {
            name: "Петров Алексей".into(),
            team: None,
            quota: None,
            absent: BTreeSet::new(),
        };
        assert_eq!(
            r.add(twin, &["201".into()]),
            Err("`201` is already a name of Иванова Мария".into())
        );
    }
}

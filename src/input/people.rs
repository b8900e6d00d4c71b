//! The managers a reader or the merge has named: one id per person
//! whatever the case and the order of the words of their name.

use crate::model::Interner;
use rustc_hash::FxHashMap;

/// The people named so far, by the key of their names and by the names
/// as given.
#[derive(Default)]
pub(super) struct People {
    /// Ids by `name_key`: case and the order of the words ignored.
    by_key: FxHashMap<String, u32>,
    /// Ids by the names `id` was given, so that a name met again (each
    /// piece of a file names its managers anew) is not keyed again.
    by_name: FxHashMap<Box<str>, u32>,
}

impl People {
    /// The id of the person `name` (tidied) stands for: one id whatever
    /// the case and the order of the words, named in `names` as first
    /// written.
    pub(super) fn id(&mut self, names: &mut Interner, name: &str) -> u32 {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let key = crate::rules::roster::name_key(name);
        let id = match self.by_key.get(&key) {
            Some(&id) => id,
            None => {
                let id = names.intern(name);
                self.by_key.insert(key, id);
                id
            }
        };
        self.by_name.insert(name.into(), id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_are_one_person_named_as_first_written() {
        let mut names = Interner::default();
        let mut people = People::default();
        let maria = people.id(&mut names, "Иванова Мария");
        let petrov = people.id(&mut names, "Петров Алексей");
        assert_ne!(maria, petrov);
        // Each asked twice, the second time from the names as given.
        for _ in 0..2 {
            assert_eq!(people.id(&mut names, "мария  ИВАНОВА"), maria);
            assert_eq!(people.id(&mut names, "Иванова Мария"), maria);
            assert_eq!(people.id(&mut names, "Петров Алексей"), petrov);
        }
        assert_eq!(names.len(), 2);
        assert_eq!(names.name(maria), "Иванова Мария");
    }

    /// A name already in `names` (put there by another way) is still
    /// keyed: its other spellings find its id.
    #[test]
    fn a_name_interned_elsewhere_is_keyed_when_first_asked() {
        let mut names = Interner::default();
        let orlov = names.intern("Орлов Дмитрий");
        let mut people = People::default();
        assert_eq!(people.id(&mut names, "Орлов Дмитрий"), orlov);
        assert_eq!(people.id(&mut names, "дмитрий орлов"), orlov);
        assert_eq!(names.len(), 1);
    }
}

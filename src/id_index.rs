//! Records indexed by an ID kept in the dataset's texts (deal and task
//! IDs). The table holds record numbers with their IDs' hashes and
//! compares IDs in the arena, so a million IDs cost a few megabytes, not
//! a copy of each; the hash kept makes growing the table a move of
//! entries, not a second reading of every ID in the arena.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Record numbers by ID.
#[derive(Default)]
pub(crate) struct IdIndex {
    /// (the ID's hash, the record).
    table: HashTable<(u64, u32)>,
}

fn hash(id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl IdIndex {
    pub(crate) fn with_capacity(records: usize) -> IdIndex {
        IdIndex {
            table: HashTable::with_capacity(records),
        }
    }

    /// The record indexed under `id`; `id_of` gives a record's ID.
    pub(crate) fn find<'a>(&self, id: &str, id_of: impl Fn(u32) -> &'a str) -> Option<u32> {
        let hash = hash(id);
        self.table
            .find(hash, |&(h, record)| h == hash && id_of(record) == id)
            .map(|&(_, record)| record)
    }

    /// The record already indexed under `id`; else `record` is indexed
    /// under it and `None` returned.
    pub(crate) fn find_or_insert<'a>(
        &mut self,
        id: &str,
        record: u32,
        id_of: impl Fn(u32) -> &'a str,
    ) -> Option<u32> {
        let hash = hash(id);
        match self
            .table
            .entry(hash, |&(h, r)| h == hash && id_of(r) == id, |&(h, _)| h)
        {
            hashbrown::hash_table::Entry::Occupied(first) => Some(first.get().1),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert((hash, record));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_record_of_an_id() {
        let ids = ["10", "11", "10", "", "12", "11"];
        let mut index = IdIndex::default();
        let firsts: Vec<Option<u32>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| index.find_or_insert(id, i as u32, |r| ids[r as usize]))
            .collect();
        assert_eq!(firsts, [None, None, Some(0), None, None, Some(1)]);
        assert_eq!(index.find("12", |r| ids[r as usize]), Some(4));
        assert_eq!(index.find("13", |r| ids[r as usize]), None);
    }
}

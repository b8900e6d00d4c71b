//! Records indexed by an ID kept in the dataset's texts (deal and task
//! IDs). The table holds record numbers with their IDs' hashes and
//! compares IDs in the arena, so a million IDs cost about 16 MB, not a
//! copy of each; the hash kept makes growing the table a move of
//! entries, not a second reading of every ID in the arena.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Record numbers by ID.
#[derive(Default)]
pub(crate) struct IdIndex {
    /// (the ID's hash, the record): 8 bytes an entry.
    table: HashTable<(u32, u32)>,
}

/// An ID's hash: the well-mixed upper half of its Fx hash, kept whole in
/// 32 bits beside the record.
fn hash(id: &str) -> u32 {
    (rustc_hash::FxBuildHasher.hash_one(id) >> 32) as u32
}

/// The table's hash of a kept one: its bits give both the bucket (the low
/// bits) and the tag (the top seven).
fn spread(hash: u32) -> u64 {
    (u64::from(hash) << 32) | u64::from(hash)
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
            .find(spread(hash), |&(h, record)| {
                h == hash && id_of(record) == id
            })
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
        match self.table.entry(
            spread(hash),
            |&(h, r)| h == hash && id_of(r) == id,
            |&(h, _)| spread(h),
        ) {
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

//! Records indexed by an ID kept in the dataset's texts (deal and task
//! IDs). An ID written as a plain number (the CRMs' own IDs) is kept as
//! that number beside its record (16 bytes an entry, about 32 MB for a
//! million), so finding it reads neither the record nor the arena: at a
//! million deals each of those is a cache miss, and linking four million
//! tasks made three of them a task. Any other ID is kept as its hash and
//! compared in the arena (8 bytes an entry), not as a copy of each; the
//! hash kept makes growing the table a move of entries, not a second
//! reading of every ID.

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Record numbers by ID.
#[derive(Default)]
pub(crate) struct IdIndex {
    /// (the ID's number, the record), for IDs that are plain numbers.
    numbers: HashTable<(u64, u32)>,
    /// (the ID's hash, the record), for every other ID: 8 bytes an entry.
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

/// The number an ID is when it is written as one and as nothing else
/// would be: ASCII digits only, no leading zero (`010` is another ID than
/// `10`), at most 19 of them (below `u64::MAX`). Two such IDs are the same
/// text exactly when they are the same number.
fn plain_number(id: &str) -> Option<u64> {
    let digits = id.as_bytes();
    let leading_zero = digits.len() > 1 && digits[0] == b'0';
    if digits.is_empty() || digits.len() > 19 || leading_zero {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &c| {
        let digit = c.wrapping_sub(b'0');
        (digit < 10).then(|| n * 10 + u64::from(digit))
    })
}

/// The numbers' table's hash of a number.
fn number_hash(number: u64) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(number)
}

impl IdIndex {
    pub(crate) fn with_capacity(records: usize) -> IdIndex {
        IdIndex {
            numbers: HashTable::with_capacity(records),
            table: HashTable::new(),
        }
    }

    /// The record indexed under `id`; `id_of` gives a record's ID.
    pub(crate) fn find<'a>(&self, id: &str, id_of: impl Fn(u32) -> &'a str) -> Option<u32> {
        if let Some(number) = plain_number(id) {
            return self
                .numbers
                .find(number_hash(number), |&(n, _)| n == number)
                .map(|&(_, record)| record);
        }
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
        if let Some(number) = plain_number(id) {
            return match self.numbers.entry(
                number_hash(number),
                |&(n, _)| n == number,
                |&(n, _)| number_hash(n),
            ) {
                Entry::Occupied(first) => Some(first.get().1),
                Entry::Vacant(slot) => {
                    slot.insert((number, record));
                    None
                }
            };
        }
        self.first_or_insert(hash(id), record, |r| id_of(r) == id)
    }

    /// The record already indexed under the ID whose hash is `hash`
    /// (`same`: whether a record has that ID, asked only of records of
    /// the same hash) in the table of IDs kept by hash; else `record` is
    /// indexed under it and `None` returned.
    fn first_or_insert(
        &mut self,
        hash: u32,
        record: u32,
        same: impl Fn(u32) -> bool,
    ) -> Option<u32> {
        match self.table.entry(
            spread(hash),
            |&(h, r)| h == hash && same(r),
            |&(h, _)| spread(h),
        ) {
            Entry::Occupied(first) => Some(first.get().1),
            Entry::Vacant(slot) => {
                slot.insert((hash, record));
                None
            }
        }
    }
}

/// How many parts `repeats` cuts the records into by their IDs' hashes: at
/// a million records each part's table is a few pages, in the cache.
const PARTS: usize = 256;

/// The part of an ID's hash: its bits multiplied through, so that each
/// part still spreads over every bucket and tag of its table.
fn part(hash: u32) -> usize {
    (hash.wrapping_mul(0x9E37_79B9) >> 24) as usize
}

/// Of records `0..count` (their IDs by `id_of`), each whose ID an earlier
/// record has, with the first record of that ID: (record, first), in
/// record order, as indexing them one by one would find them. The records
/// are cut into parts by their IDs' hashes and each part is indexed on its
/// own, in record order: small tables that stay in the cache, the parts
/// shared among `threads`.
pub(crate) fn repeats<'a, F>(count: usize, id_of: F, threads: usize) -> Vec<(u32, u32)>
where
    F: Fn(u32) -> &'a str + Sync,
{
    let threads = threads.max(1);
    let id_of = &id_of;
    let mut hashes = vec![0u32; count];
    let share = count.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for (k, chunk) in hashes.chunks_mut(share).enumerate() {
            scope.spawn(move || {
                for (j, h) in chunk.iter_mut().enumerate() {
                    *h = hash(id_of((k * share + j) as u32));
                }
            });
        }
    });
    // The records of each part, in record order: a counting sort.
    let mut starts = vec![0usize; PARTS + 1];
    for &h in &hashes {
        starts[part(h) + 1] += 1;
    }
    for p in 0..PARTS {
        starts[p + 1] += starts[p];
    }
    // (hash, record) pairs: a part is then read in one sweep, and an ID
    // only when its hash is met again.
    let mut order = vec![(0u32, 0u32); count];
    let mut next = starts.clone();
    for (record, &h) in hashes.iter().enumerate() {
        let p = part(h);
        order[next[p]] = (h, record as u32);
        next[p] += 1;
    }
    drop(hashes);
    let (order, starts) = (&order, &starts);
    let per_thread = PARTS.div_ceil(threads);
    let mut found: Vec<(u32, u32)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut index = IdIndex::default();
                    let mut found = Vec::new();
                    for p in t * per_thread..((t + 1) * per_thread).min(PARTS) {
                        index.table.clear();
                        for &(hash, record) in &order[starts[p]..starts[p + 1]] {
                            let same = |r| id_of(r) == id_of(record);
                            if let Some(first) = index.first_or_insert(hash, record, same) {
                                found.push((record, first));
                            }
                        }
                    }
                    found
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    found.sort_unstable();
    found
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

    #[test]
    fn an_id_is_a_number_only_when_no_other_text_is_that_number() {
        for (id, number) in [
            ("0", Some(0)),
            ("31400000", Some(31_400_000)),
            ("9999999999999999999", Some(9_999_999_999_999_999_999)),
            ("10000000000000000000", None),
            ("010", None),
            ("00", None),
            ("", None),
            ("+10", None),
            ("1 0", None),
            ("1/0", None),
            ("1:0", None),
            ("١٠", None),
        ] {
            assert_eq!(plain_number(id), number, "{id:?}");
        }
    }

    #[test]
    fn numbers_and_other_ids_are_found_apart() {
        // `10` and `010` are two IDs; long and empty IDs are texts.
        let ids = [
            "10",
            "010",
            "10",
            "010",
            "",
            "",
            "12345678901234567890",
            "12345678901234567890",
            "x1",
            "0",
        ];
        let mut index = IdIndex::with_capacity(4);
        let firsts: Vec<Option<u32>> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| index.find_or_insert(id, i as u32, |r| ids[r as usize]))
            .collect();
        assert_eq!(
            firsts,
            [
                None,
                None,
                Some(0),
                Some(1),
                None,
                Some(4),
                None,
                Some(6),
                None,
                None
            ]
        );
        for (id, record) in [
            ("10", Some(0)),
            ("010", Some(1)),
            ("0", Some(9)),
            ("00", None),
            ("x1", Some(8)),
            ("11", None),
        ] {
            assert_eq!(index.find(id, |r| ids[r as usize]), record, "{id:?}");
        }
    }

    #[test]
    fn repeats_are_what_indexing_one_by_one_finds() {
        // IDs of 0 to 4 digits, many repeated several times, over every
        // part; read on one to three threads.
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let ids: Vec<String> = (0..20_000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let id = seed % 9_000;
                if id < 9 {
                    String::new()
                } else {
                    id.to_string()
                }
            })
            .collect();
        let mut index = IdIndex::default();
        let expected: Vec<(u32, u32)> = (0..ids.len() as u32)
            .filter_map(|r| {
                index
                    .find_or_insert(&ids[r as usize], r, |t| &ids[t as usize])
                    .map(|first| (r, first))
            })
            .collect();
        assert!(expected.len() > 10_000);
        for threads in 1..=3 {
            assert_eq!(
                repeats(ids.len(), |r| &ids[r as usize], threads),
                expected,
                "{threads} threads"
            );
        }
        assert!(repeats(0, |_| "", 2).is_empty());
    }
}

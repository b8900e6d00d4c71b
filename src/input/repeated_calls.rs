//! A call two overlapping call logs hold (last night's log and tonight's,
//! both covering yesterday) is one call: counted twice it would fill a
//! manager's quota with calls never made. Calls carry no ID every log
//! writes, so a call is known by its moment, its manager and its
//! direction: one person places or takes no two calls of one direction in
//! one second. Of the logs holding such a call, the newer export's copy
//! is counted (`input::newer`), and the others' rows are skipped, naming
//! it. Rows of one log are never merged with each other: a log writes
//! each call once, and two rows of one log alike are two calls as far as
//! anyone can tell.

use super::reason::{NewerBy, Skip};
use crate::model::Dataset;
use crate::rules::columns::EntityKind;

/// Drops from `data.calls` each call another log holds too, in a newer
/// export; `rows`: each call's row in its file; `ranks`: each file's place
/// from the oldest export to the newest.
pub(super) fn drop_older_copies(data: &mut Dataset, rows: &[u64], ranks: &[u32]) {
    let calls = &data.calls;
    debug_assert_eq!(rows.len(), calls.len(), "a row for every call");
    if rows.len() != calls.len() {
        return;
    }
    let key = |i: u32| {
        let c = &calls[i as usize];
        (c.time, c.manager, c.direction)
    };
    let mut order: Vec<u32> = (0..calls.len() as u32).collect();
    order.sort_unstable_by_key(|&i| {
        let rank = ranks[usize::from(calls[i as usize].file)];
        (key(i), rank, i)
    });
    let mut dropped = vec![false; calls.len()];
    let mut skips = Vec::new();
    for group in order.chunk_by(|&a, &b| key(a) == key(b)) {
        // Sorted by the file's rank: the last call's file is the newest.
        let newest = calls[*group.last().expect("a group is never empty") as usize].file;
        for &i in group {
            let call = &calls[i as usize];
            if call.file != newest {
                dropped[i as usize] = true;
                skips.push((call.file, rows[i as usize], newest));
            }
        }
    }
    if skips.is_empty() {
        return;
    }
    skips.sort_unstable();
    for (file, row, newest) in skips {
        let newer = data.files[usize::from(newest)].path.clone();
        let input = &mut data.files[usize::from(file)];
        input.audited -= 1;
        input.skip(
            Skip::OlderCopy {
                kind: EntityKind::Calls,
                newer,
                by: NewerBy::Export,
            },
            row,
        );
    }
    let mut index = 0;
    data.calls.retain(|_| {
        index += 1;
        !dropped[index - 1]
    });
}

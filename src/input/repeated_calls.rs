//! A call two overlapping call logs hold (last night's log and tonight's,
//! both covering yesterday) is one call: counted twice it would fill a
//! manager's quota with calls never made. Calls carry no ID every log
//! writes, so a call is known by its moment, its manager and its
//! direction, and its phone tells which copy is which. Of the logs holding
//! such a call, the newer export's copy is counted (`input::newer`), and
//! the others' rows are skipped, naming it.
//!
//! Copies pair one to one: where the newer log has one call of a second
//! and the older log two (to two phones), one of the older two is the
//! newer's copy and the other a call the newer log lacks, which is
//! counted. A log that writes times without seconds (Sipuni's
//! `26.11.2026 09:05`) is matched by the minute with a log that writes
//! them (`09:05:37`). Rows of one log are never merged with each other: a
//! log writes each call once, and two rows of one log alike are two calls
//! as far as anyone can tell.

use super::newer::ExportOrder;
use super::reason::Skip;
use super::row::Row;
use crate::model::{Call, CallRow, Dataset};
use crate::rules::columns::{CallField, EntityKind};
use chrono::{NaiveDateTime, Timelike};

/// What a call row tells of its copies in other logs: its row, its phone,
/// whether its time was written without seconds.
pub(super) fn call_row(row: &Row) -> CallRow {
    CallRow {
        row: row.number(),
        phone: phone_key(&row.text(CallField::Phone.index())),
        to_the_minute: without_seconds(&row.text(CallField::Time.index())),
    }
}

/// The last ten digits of a phone as a number; 0 for fewer than five
/// digits (no phone to tell copies by).
fn phone_key(text: &str) -> u64 {
    // The number of the digits so far, kept to its last ten.
    let (mut digits, mut last_ten) = (0usize, 0u64);
    for d in text.bytes().filter(u8::is_ascii_digit) {
        digits += 1;
        last_ten = (last_ten * 10 + u64::from(d - b'0')) % 10_000_000_000;
    }
    if digits < 5 {
        return 0;
    }
    last_ten
}

/// Whether a time is written to the minute: `HH:MM` not followed by
/// `:SS` (`26.11.2026 09:05`, `2026-11-26 09:05+03:00`). A date cell or a
/// serial number (no colon) counts as written with seconds.
fn without_seconds(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(colon) = bytes.iter().position(|&b| b == b':') else {
        return false;
    };
    let minutes = bytes.get(colon + 1..colon + 3);
    minutes.is_some_and(|m| m.iter().all(u8::is_ascii_digit))
        && !(bytes.get(colon + 3) == Some(&b':')
            && bytes.get(colon + 4).is_some_and(u8::is_ascii_digit))
}

/// How two rows of one minute may be copies of one call, most certain
/// first.
#[derive(Clone, Copy)]
enum Pairing {
    /// The same second (or both to the minute) and the same phone.
    SecondAndPhone,
    SameSecond,
    /// One written without seconds, the same phone.
    MinuteAndPhone,
    SameMinute,
}

impl Pairing {
    const ALL: [Pairing; 4] = [
        Pairing::SecondAndPhone,
        Pairing::SameSecond,
        Pairing::MinuteAndPhone,
        Pairing::SameMinute,
    ];

    fn fits(self, a: (&Call, &CallRow), b: (&Call, &CallRow)) -> bool {
        let same_precision = a.1.to_the_minute == b.1.to_the_minute;
        let same_phone = a.1.phone != 0 && a.1.phone == b.1.phone;
        match self {
            Pairing::SecondAndPhone => same_precision && a.0.time == b.0.time && same_phone,
            Pairing::SameSecond => same_precision && a.0.time == b.0.time,
            Pairing::MinuteAndPhone => !same_precision && same_phone,
            Pairing::SameMinute => !same_precision,
        }
    }
}

fn minute(time: NaiveDateTime) -> NaiveDateTime {
    time.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(time)
}

/// Drops from `data.calls` each call another log holds too, in a newer
/// export; `rows`: each call's row in its file; `ranks`: each file's place
/// from the oldest export to the newest.
pub(super) fn drop_older_copies(data: &mut Dataset, rows: &[CallRow], ranks: &ExportOrder) {
    let calls = &data.calls;
    debug_assert_eq!(rows.len(), calls.len(), "a row for every call");
    if rows.len() != calls.len() {
        return;
    }
    let key = |i: u32| {
        let c = &calls[i as usize];
        (minute(c.time), c.manager, c.direction)
    };
    let rank = |i: u32| ranks[usize::from(calls[i as usize].file)];
    let mut order: Vec<u32> = (0..calls.len() as u32).collect();
    // Each minute's calls from the newest log to the oldest.
    order.sort_unstable_by_key(|&i| (key(i), std::cmp::Reverse(rank(i)), i));
    let seen = |i: u32| (&calls[i as usize], &rows[i as usize]);
    let mut dropped = vec![false; calls.len()];
    let mut skips = Vec::new();
    for group in order.chunk_by(|&a, &b| key(a) == key(b)) {
        // The calls that stand so far: the newest log's, then each older
        // log's that no call standing before it is a copy of.
        let mut standing: Vec<u32> = Vec::new();
        for log in group.chunk_by(|&a, &b| calls[a as usize].file == calls[b as usize].file) {
            let before = standing.len();
            let mut taken = vec![false; before];
            let mut copy_of: Vec<Option<u32>> = vec![None; log.len()];
            for pairing in Pairing::ALL {
                for (slot, &i) in log.iter().enumerate() {
                    if copy_of[slot].is_some() {
                        continue;
                    }
                    let found = (0..before)
                        .find(|&k| !taken[k] && pairing.fits(seen(i), seen(standing[k])));
                    if let Some(k) = found {
                        taken[k] = true;
                        copy_of[slot] = Some(standing[k]);
                    }
                }
            }
            for (&i, copy) in log.iter().zip(copy_of) {
                match copy {
                    Some(kept) => {
                        dropped[i as usize] = true;
                        let call = &calls[i as usize];
                        skips.push((call.file, rows[i as usize].row, calls[kept as usize].file));
                    }
                    None => standing.push(i),
                }
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
                by: ranks.newer_by(file, newest),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_written_to_the_minute_is_told_from_one_with_seconds() {
        for (text, expected) in [
            ("26.11.2026 09:05", true),
            ("2026-11-26 09:05+03:00", true),
            ("26.11.2026 09:05:37", false),
            ("2026-11-26T06:00:00Z", false),
            ("46352.375", false),
            ("", false),
        ] {
            assert_eq!(without_seconds(text), expected, "{text}");
        }
    }

    #[test]
    fn a_phone_is_known_by_its_last_ten_digits() {
        assert_eq!(phone_key("+7 927 123-45-67"), 9_271_234_567);
        assert_eq!(phone_key("89271234567"), 9_271_234_567);
        assert_eq!(phone_key("79271234567"), 9_271_234_567);
        assert_eq!(phone_key(""), 0);
        assert_eq!(phone_key("201"), 0);
        assert_eq!(phone_key("12-34-5"), 12_345);
        assert_eq!(phone_key("1234"), 0);
        // Two numbers in a cell: the last ten digits of them all.
        assert_eq!(
            phone_key("+7 927 123-45-67, 8 800 555 35 35"),
            8_005_553_535
        );
    }
}

//! Which of two exports is the newer, for a record both hold (overlapping
//! deal exports, task lists or call logs in one folder): its copy in the
//! newer export is the one audited, where the copies themselves cannot
//! tell (a deal's `Дата изменения` decides first, see `deals::newer`).
//!
//! An export is newer by, in order: the date its file name carries
//! (`amocrm_export_leads_2026-11-26.csv`, Bitrix24's `DEAL_20261126_….csv`,
//! `сделки 26.11.2026.xlsx`, `deals_26.11.26.csv`, `deals_26112026.csv`;
//! the latest when it carries several), else the
//! company-local day of its modification time; on the same day, the later
//! modification time; then the later file in the order files are read
//! (paths as given, a folder's files by name). A file's newest row is not
//! asked: files are put together as they are read, before their last row
//! is known.
//!
//! A date in a name after the audit moment tells nothing: the file was
//! exported before the audit, so such a date is no day of its export but
//! the end of a period asked for (`DEAL_20261120_20261201_….csv`, a
//! period ending next week). Of the dates left, the latest is the export's
//! day, or the nearest to it: a period's end (`calls_2026_11_01-2026_11_26`)
//! is on or before the day it was exported, its start further before.

use super::reason::NewerBy;
use crate::model::{FileId, InputFile};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use std::time::SystemTime;

/// Each file's place among the inputs from the oldest export (0) to the
/// newest (indexed by file), and what set each pair apart.
pub(super) struct ExportOrder {
    ranks: Vec<u32>,
    keys: Vec<Key>,
}

/// A file's sort key: its day (with whether its name gave it), its
/// modification time, its place in the reading order.
type Key = (Option<NaiveDate>, bool, Option<SystemTime>, usize);

impl std::ops::Index<usize> for ExportOrder {
    type Output = u32;

    fn index(&self, file: usize) -> &u32 {
        &self.ranks[file]
    }
}

impl ExportOrder {
    /// What made the file `newer` the newer export of the two: the first
    /// of the keys to differ.
    pub(super) fn newer_by(&self, older: FileId, newer: FileId) -> NewerBy {
        let (a, b) = (
            &self.keys[usize::from(older)],
            &self.keys[usize::from(newer)],
        );
        if a.0 != b.0 {
            if b.1 {
                NewerBy::NameDate
            } else {
                NewerBy::Modified
            }
        } else if a.2 != b.2 {
            NewerBy::Modified
        } else {
            NewerBy::ReadingOrder
        }
    }
}

/// `as_of`: the audit moment, when known; a name's date after it is not
/// the day of the export.
pub(super) fn file_ranks(
    files: &[InputFile],
    time_zone: Tz,
    as_of: Option<NaiveDate>,
) -> ExportOrder {
    let keys: Vec<Key> = files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let modified = std::fs::metadata(&file.path)
                .and_then(|m| m.modified())
                .ok();
            let local_day = modified.map(|t| {
                let utc: chrono::DateTime<chrono::Utc> = t.into();
                utc.with_timezone(&time_zone).date_naive()
            });
            let named = name_date(&file.path, as_of);
            (named.or(local_day), named.is_some(), modified, index)
        })
        .collect();
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| (keys[i].0, keys[i].2, keys[i].3));
    let mut ranks = vec![0; files.len()];
    for (rank, &file) in order.iter().enumerate() {
        ranks[file] = rank as u32;
    }
    ExportOrder { ranks, keys }
}

/// The latest date a file's name carries, not after `as_of` (else within
/// 2000 to 2099): `2026-11-26` (or with `_` or `.`), `20261126`,
/// `26.11.2026` (or with `-` or `_`), `26.11.26` (with `.` only, the way a
/// Russian date is written short), `26112026` (an eight-digit run that is
/// no date read year first; never both: `20yy` then a month `20`).
pub(super) fn name_date(path: &str, as_of: Option<NaiveDate>) -> Option<NaiveDate> {
    let name = std::path::Path::new(path).file_name()?.to_str()?;
    // Runs of digits, with the one character before each.
    let mut runs: Vec<(usize, &str)> = Vec::new();
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, &name[start..i]));
        } else {
            i += 1;
        }
    }
    let date = |y: &str, m: &str, d: &str| {
        let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        NaiveDate::from_ymd_opt(y, m, d).filter(|d| (2000..2100).contains(&d.year()))
    };
    // Whether two runs are parted by exactly one separator.
    let joined = |a: (usize, &str), b: (usize, &str)| {
        b.0 == a.0 + a.1.len() + 1 && matches!(bytes[b.0 - 1], b'-' | b'_' | b'.')
    };
    let mut found = Vec::new();
    for (k, &run) in runs.iter().enumerate() {
        if run.1.len() == 8 {
            let year_first = date(&run.1[..4], &run.1[4..6], &run.1[6..]);
            found.extend(year_first.or_else(|| date(&run.1[4..], &run.1[2..4], &run.1[..2])));
        }
        if let (Some(&second), Some(&third)) = (runs.get(k + 1), runs.get(k + 2)) {
            if joined(run, second) && joined(second, third) {
                let lens = (run.1.len(), second.1.len(), third.1.len());
                found.extend(match lens {
                    (4, 2, 2) => date(run.1, second.1, third.1),
                    (2, 2, 4) => date(third.1, second.1, run.1),
                    (2, 2, 2) if bytes[second.0 - 1] == b'.' && bytes[third.0 - 1] == b'.' => {
                        // Not the middle of a longer run of dotted numbers.
                        let dotted_digit = |at: usize| {
                            bytes.get(at) == Some(&b'.')
                                && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
                        };
                        let after = dotted_digit(third.0 + 2);
                        let before = run.0 >= 2
                            && bytes[run.0 - 1] == b'.'
                            && bytes[run.0 - 2].is_ascii_digit();
                        let alone = !after && !before;
                        alone
                            .then(|| date(&format!("20{}", third.1), second.1, run.1))
                            .flatten()
                    }
                    _ => None,
                });
            }
        }
    }
    found
        .into_iter()
        .filter(|day| as_of.is_none_or(|as_of| *day <= as_of))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn a_file_name_says_the_day_of_its_export() {
        let cases = [
            ("in/amocrm_export_leads_2026-11-26.csv", day(2026, 11, 26)),
            (
                "DEAL_20261126_1a2b3c4d_65f0a1b2c3d4e.csv",
                day(2026, 11, 26),
            ),
            ("сделки 20.11.2026.xlsx", day(2026, 11, 20)),
            ("calls_2026_11_01-2026_11_26.csv", day(2026, 11, 26)),
            ("tasks.2026.11.25.xls", day(2026, 11, 25)),
            // No date: a run of other length, a month 13, parts not joined.
            ("deals (1).csv", None),
            ("DEAL_12345678.csv", None),
            ("2026-13-01.csv", None),
            ("2026--11-26.csv", None),
            ("2026-11-26/deals.csv", None),
        ];
        for (path, expected) in cases {
            assert_eq!(name_date(path, None), expected, "{path}");
        }
    }

    #[test]
    fn a_short_or_undivided_russian_date_in_a_name_is_read() {
        let as_of = day(2026, 11, 27);
        let cases = [
            ("deals_20.11.26.csv", day(2026, 11, 20)),
            ("deals_20112026.csv", day(2026, 11, 20)),
            ("deals_2026-11-27.csv", day(2026, 11, 27)),
            // A period ending after the audit: its end is no export day.
            (
                "DEAL_20261120_20261201_65f0a1b2c3d4e.csv",
                day(2026, 11, 20),
            ),
            (
                "DEAL_20261126_1a2b3c4d_65f0a1b2c3d4e.csv",
                day(2026, 11, 26),
            ),
            // Only a date after the audit moment: none.
            ("deals_2026-12-01.csv", None),
            // Not dates: a version number, a 13th month.
            ("report v1.2.3.4.csv", None),
            ("deals_20.13.26.csv", None),
            ("deals_32112026.csv", None),
        ];
        for (path, expected) in cases {
            assert_eq!(name_date(path, as_of), expected, "{path}");
        }
    }

    #[test]
    fn the_name_date_comes_before_the_order_files_are_read_in() {
        let file =
            |path: &str| InputFile::empty_csv(path, crate::rules::columns::EntityKind::Deals);
        // Files that do not exist: no modification time, so the name's day,
        // then the order.
        let files = [
            file("/nonexistent/b_2026-11-26.csv"),
            file("/nonexistent/a_2026-11-20.csv"),
            file("/nonexistent/c_2026-11-20.csv"),
        ];
        let order = file_ranks(&files, chrono_tz::Europe::Moscow, None);
        assert_eq!([order[0], order[1], order[2]], [2, 0, 1]);
        assert_eq!(order.newer_by(1, 0), NewerBy::NameDate);
        assert_eq!(order.newer_by(1, 2), NewerBy::ReadingOrder);
    }
}

//! The completeness guard: before a run is recorded, tonight's inputs are
//! held against the last run's, so an export cut short cannot mark a
//! hundred violations fixed. A kind of input the last run read and tonight
//! lacks, or deals falling by more than the allowed share, stops the run
//! (the caller's `--accept-drop` records it anyway).

use std::collections::BTreeMap;

/// The default largest fall in deals from one run to the next: 30%.
pub const DEFAULT_MAX_DROP: f64 = 0.30;

/// Rows per kind of input (`deals`, `tasks`, `calls`, …) of one run.
pub type RowsByKind = BTreeMap<String, u64>;

/// What dropped since the last run, one sentence each; empty when nothing
/// did. `max_drop` is the largest allowed fall in deals (0.3 is 30%).
pub fn dropped(last: &RowsByKind, tonight: &RowsByKind, max_drop: f64) -> Vec<String> {
    let mut found = Vec::new();
    for (kind, &rows) in last {
        if rows > 0 && tonight.get(kind).copied().unwrap_or(0) == 0 {
            found.push(format!(
                "no {kind} tonight: the last run read {rows} row(s) of {kind}"
            ));
        }
    }
    let before = last.get("deals").copied().unwrap_or(0);
    let now = tonight.get("deals").copied().unwrap_or(0);
    if before > 0 && now > 0 && now < before {
        let fall = (before - now) as f64 / before as f64;
        if fall > max_drop {
            found.push(format!(
                "deals fell from {before} to {now} ({:.0}% fewer; at most {:.0}% is allowed)",
                fall * 100.0,
                max_drop * 100.0
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(list: &[(&str, u64)]) -> RowsByKind {
        list.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    #[test]
    fn a_kind_missing_tonight_stops_the_run() {
        let last = rows(&[("deals", 60), ("tasks", 156), ("calls", 523)]);
        let tonight = rows(&[("deals", 60), ("tasks", 150)]);
        assert_eq!(
            dropped(&last, &tonight, DEFAULT_MAX_DROP),
            ["no calls tonight: the last run read 523 row(s) of calls"]
        );
    }

    #[test]
    fn deals_may_fall_by_the_allowed_share_and_no_more() {
        let last = rows(&[("deals", 100)]);
        // 70 of 100 is a fall of exactly 30%: allowed.
        assert!(dropped(&last, &rows(&[("deals", 70)]), 0.30).is_empty());
        // 69 is 31%.
        assert_eq!(
            dropped(&last, &rows(&[("deals", 69)]), 0.30),
            ["deals fell from 100 to 69 (31% fewer; at most 30% is allowed)"]
        );
        // A company setting of 50%.
        assert!(dropped(&last, &rows(&[("deals", 69)]), 0.50).is_empty());
        // No deals at all is the missing-kind case, said once.
        assert_eq!(
            dropped(&last, &rows(&[]), 0.30),
            ["no deals tonight: the last run read 100 row(s) of deals"]
        );
    }

    #[test]
    fn growth_and_a_first_run_pass() {
        let tonight = rows(&[("deals", 200), ("calls", 10)]);
        assert!(dropped(&rows(&[("deals", 100)]), &tonight, 0.30).is_empty());
        assert!(dropped(&rows(&[]), &tonight, 0.30).is_empty());
    }
}

//! `stale-deal` over the hand-written exports of `tests/fixtures/stale_deal`,
//! whose README works out each deal's answer.

use crate::support::*;
use std::path::PathBuf;

fn folder() -> PathBuf {
    fixtures().join("../stale_deal")
}

#[test]
fn amocrm_deals_unchanged_for_more_than_the_working_days_allowed() {
    let report = json_in(
        &folder(),
        &[
            "amocrm_deals.csv",
            "--rules",
            "stale.toml",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(ids(&report, "stale-deal"), ["31500001", "31500005"]);
    let v = violation(&report, "stale-deal", "31500001");
    assert_eq!(v["details"]["modified"], "20.11.2026 17:45");
    assert_eq!(v["details"]["days"], 3);
    assert_eq!(v["details"]["stage"], "Счет");
    assert_eq!(
        v["message"],
        "stage «Счет»: not changed since 20.11.2026 17:45, more than 3 working days"
    );
    // No date: not judged, and said; not a date: the unreadable value's.
    assert_eq!(
        not_checked(&report, "stale-deal"),
        ["1 record(s) not judged: «modified» is empty"]
    );
    assert_eq!(ids(&report, "unreadable-value"), ["31500007"]);
}

#[test]
fn bitrix24_deals_too() {
    let report = json_in(
        &folder(),
        &[
            "bitrix_deals.csv",
            "--rules",
            "stale.toml",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(ids(&report, "stale-deal"), ["201"]);
    assert_eq!(
        violation(&report, "stale-deal", "201")["details"]["modified"],
        "19.11.2026 16:40"
    );
}

#[test]
fn off_in_the_built_in_rules_it_reads_nothing() {
    let report = json_in(&folder(), &["amocrm_deals.csv", "--as-of", AS_OF]);
    assert!(ids(&report, "stale-deal").is_empty());
    assert!(not_checked(&report, "stale-deal").is_empty());
    // Nobody reads the modification date: `вчера` there is no finding.
    assert!(ids(&report, "unreadable-value").is_empty());
}

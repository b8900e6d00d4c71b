//! The working calendar across years: a decreed year's holidays are never
//! judged, a year with no decree in the rule set is estimated from the
//! Labour Code and the report says so in every format, or left unjudged
//! when the rule set asks.

use crate::support::*;

/// The roster that makes Sipuni's extension 201 a person.
fn roster(dir: &std::path::Path, extra: &str) -> String {
    let rules = dir.join("company.toml");
    std::fs::write(
        &rules,
        format!(
            "extends = \"builtin\"\n{extra}\n[[managers]]\nname = \"Петров Иван\"\naliases = [\"201\"]\n"
        ),
    )
    .unwrap();
    rules.to_str().unwrap().to_string()
}

fn quota_days(report: &serde_json::Value) -> Vec<(String, u64)> {
    violations(report, "daily-call-quota")
        .iter()
        .map(|v| {
            (
                text(&v["entity"]["id"]),
                v["details"]["calls"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_public_holiday_of_2023_is_not_judged() {
    // Thursday 09.03.2023: 8 March is a holiday, so the day judged is
    // Tuesday 07.03 (3 outgoing calls, below 40); the one call on the
    // holiday is no working day's count.
    let dir = tempfile::tempdir().unwrap();
    let rules = roster(dir.path(), "");
    let report = json(&[
        &format!(
            "{}/tests/fixtures/formats/sipuni_calls_2023_03.csv",
            env!("CARGO_MANIFEST_DIR")
        ),
        "--as-of",
        "2023-03-09 09:00",
        "--rules",
        &rules,
    ]);
    assert_eq!(
        quota_days(&report),
        [("Петров Иван/2023-03-07".to_string(), 3)]
    );
    assert!(report.get("notes").is_none(), "2023 has its decree");
}

/// A call log of Friday 07.05.2027 (5 outgoing calls) and Monday 10.05.2027
/// (1), audited on Tuesday 11.05.2027.
fn may_2027() -> tempfile::TempDir {
    let log = call_log(&[
        ("Петров Иван", "07.05.2027", "Исходящий", 5),
        ("Петров Иван", "10.05.2027", "Исходящий", 1),
    ]);
    folder_with(&[("calls.csv", log.as_bytes())])
}

const ESTIMATED: &str =
    "calendar for 2027 estimated from the Labour Code: add the decree's transfers to the rule set";

#[test]
fn a_year_without_a_decree_is_estimated_and_the_report_says_so() {
    // No decree for 2027: by the Labour Code 9 May (a Sunday) moves to
    // Monday 10 May, so the day before 11.05 that is judged is 07.05.
    let dir = may_2027();
    let calls = dir.path().join("calls.csv");
    let calls = calls.to_str().unwrap();
    let report = json(&[calls, "--as-of", "2027-05-11 09:00"]);
    assert_eq!(
        quota_days(&report),
        [("Петров Иван/2027-05-07".to_string(), 5)]
    );
    assert_eq!(report["notes"], serde_json::json!([ESTIMATED]));
    for format in ["table", "markdown", "html", "junit"] {
        let (_, out, _) = audit(&[calls, "--as-of", "2027-05-11 09:00", "--format", format]);
        // (HTML and XML escape the apostrophe further on.)
        assert!(
            out.contains("calendar for 2027 estimated from the Labour Code"),
            "{format}: {out}"
        );
    }
}

#[test]
fn beyond_calendar_not_checked_skips_the_day_and_says_why() {
    let dir = may_2027();
    let rules = dir.path().join("company.toml");
    std::fs::write(
        &rules,
        "extends = \"builtin\"\n[calendar]\nbeyond-calendar = \"not-checked\"\n",
    )
    .unwrap();
    let calls = dir.path().join("calls.csv");
    let report = json(&[
        calls.to_str().unwrap(),
        "--as-of",
        "2027-05-11 09:00",
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert!(quota_days(&report).is_empty());
    assert!(not_checked(&report, "daily-call-quota").contains(
        &"07.05.2027 not judged: the rule set has no production calendar for 2027".to_string()
    ));
    assert!(report.get("notes").is_none());
}

#[test]
fn a_misspelt_beyond_calendar_is_a_rule_file_mistake() {
    let dir = may_2027();
    let rules = dir.path().join("company.toml");
    std::fs::write(
        &rules,
        "extends = \"builtin\"\n[calendar]\nbeyond-calendar = \"skip\"\n",
    )
    .unwrap();
    let message = error_of(
        dir.path(),
        &["calls.csv", "--rules", rules.to_str().unwrap()],
    );
    assert!(
        message.contains("line 3") && message.contains("`skip` is not a value of beyond-calendar"),
        "{message}"
    );
}

#[test]
fn the_workbook_carries_the_calendar_note_on_its_about_sheet() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = may_2027();
    let calls = dir.path().join("calls.csv");
    let book = dir.path().join("audit.xlsx");
    let (code, _, stderr) = audit(&[
        calls.to_str().unwrap(),
        "--as-of",
        "2027-05-11 09:00",
        "--output",
        book.to_str().unwrap(),
    ]);
    // The quota violation is a warning: exit 0 under the default --fail-on.
    assert_eq!(code, 0, "{stderr}");
    let mut workbook: Xlsx<_> = open_workbook(&book).unwrap();
    let about = workbook.worksheet_range("About").unwrap();
    let note = about.rows().find_map(|row| match row {
        [Data::String(label), Data::String(text), ..] if label == "Note" => Some(text.clone()),
        _ => None,
    });
    assert_eq!(note.as_deref(), Some(ESTIMATED));
}

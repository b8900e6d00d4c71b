//! A telephony provider's own call log (Sipuni): the caller of an outgoing
//! call is in `Откуда`, who answered an incoming one in `Кто ответил`, often
//! as an extension that the roster turns into a person.

use crate::support::*;

fn sipuni() -> String {
    format!(
        "{}/tests/fixtures/formats/sipuni_calls.csv",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn extensions_become_people_through_the_roster() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("company.toml");
    std::fs::write(
        &rules,
        "extends = \"builtin\"\n\
         [[managers]]\nname = \"Петров Иван\"\naliases = [\"201\"]\n\
         [[managers]]\nname = \"Смирнова Анна\"\naliases = [\"202\"]\n",
    )
    .unwrap();
    let report = json(&[
        &sipuni(),
        "--as-of",
        AS_OF,
        "--rules",
        rules.to_str().unwrap(),
    ]);
    let file = &report["inputs"][0];
    assert_eq!(
        (
            file["kind"].as_str(),
            file["rows"].as_u64(),
            file["audited"].as_u64()
        ),
        (Some("calls"), Some(9), Some(9))
    );
    // Outgoing on 26.11: 201 at 09:12 and 15:47, 202 at 09:40 and 11:15,
    // «Дмитрий Орлов» at 14:30. Incoming and internal calls do not count;
    // «Ответственный из CRM» (the client's manager) is not the caller.
    let mut found: Vec<(String, u64)> = violations(&report, "daily-call-quota")
        .iter()
        .map(|v| {
            (
                v["manager"].as_str().unwrap().to_string(),
                v["details"]["calls"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("Дмитрий Орлов".to_string(), 1),
            ("Петров Иван".to_string(), 2),
            ("Смирнова Анна".to_string(), 2)
        ]
    );
}

#[test]
fn unknown_extensions_are_reported_and_their_day_not_judged() {
    let report = json(&[&sipuni(), "--as-of", AS_OF]);
    let file = &report["inputs"][0];
    // Seven rows name extension 201 or 202 as the employee; the unanswered
    // incoming call (no one) and Орлов's call by name are read.
    assert_eq!(
        skipped(file),
        vec![
            (
                "extension 201 is not in the managers roster".to_string(),
                4,
                vec![2, 4, 7, 9]
            ),
            (
                "extension 202 is not in the managers roster".to_string(),
                3,
                vec![3, 6, 10]
            ),
        ]
    );
    assert!(violations(&report, "daily-call-quota").is_empty());
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        [
            "26.11.2026 not judged: 4 outgoing call(s) from extension(s) 201, 202 the managers roster does not know",
            "letters are not counted (no task list among the inputs): the quota is judged on calls alone"
        ]
    );
}

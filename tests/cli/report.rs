//! The shape of the JSON report and the table, on one small audit.

use crate::support::*;

#[test]
fn json_report_has_the_documented_fields() {
    let report = json(&[
        "deals_with_tasks.csv",
        "tasks_for_deals.csv",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["as_of"], "2026-11-27T02:00:00+03:00");

    let deals = input(&report, "deals_with_tasks.csv");
    assert_eq!(deals["kind"], "deals");
    assert_eq!(deals["rows"], 7);
    assert_eq!(deals["audited"], 7);
    assert!(skipped(deals).is_empty());
    let tasks = input(&report, "tasks_for_deals.csv");
    assert_eq!(tasks["kind"], "tasks");
    assert_eq!(tasks["rows"], 3);

    // Not checked: no call log; no phone, reason or qualification columns;
    // and one deal (306) at a stage the rule set does not know.
    let not_checked: Vec<(String, String)> = report["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (text(&n["rule"]), text(&n["reason"])))
        .collect();
    assert!(not_checked.contains(&(
        "daily-call-quota".into(),
        "no call log among the inputs".into()
    )));
    assert!(not_checked.contains(&(
        "stage-missing-data".into(),
        "1 deal(s) at a stage the rule set does not know are not judged".into()
    )));

    // Иванова Мария: 302 and 307 without a task; Петров Алексей: 303 and
    // 306. No overdue task (T-32 is done, T-31 and T-33 are due 30.11).
    // A manager's figures add up: by severity and by rule.
    let managers = report["managers"].as_array().unwrap();
    let names: Vec<String> = managers.iter().map(|m| text(&m["name"])).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["Иванова Мария", "Петров Алексей"]);
    for m in managers {
        assert_eq!(m["counts"]["deal-without-task"], 2, "{m}");
        assert_eq!(m["counts"]["overdue-task"], 0, "{m}");
        let number = |key: &str| m[key].as_u64().unwrap_or_else(|| panic!("{key} in {m}"));
        let by_rule: u64 = m["counts"]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum();
        assert_eq!(number("total"), by_rule, "{m}");
        assert_eq!(
            number("total"),
            number("errors") + number("warnings") + number("infos"),
            "{m}"
        );
        assert!(number("errors") >= 2, "{m}");
    }

    let v = violation(&report, "deal-without-task", "302");
    assert_eq!(v["code"], "CA002");
    assert_eq!(v["clause"], "3");
    assert_eq!(v["severity"], "error");
    assert_eq!(v["manager"], "Иванова Мария");
    assert_eq!(v["entity"]["kind"], "deal");
    assert_eq!(v["entity"]["id"], "302");
    assert_eq!(v["entity"]["name"], "Батареи в офис");
    assert_eq!(v["details"]["stage"], "Квалификация");
    assert_eq!(v["source"]["file"], "deals_with_tasks.csv");
    assert_eq!(v["source"]["row"], 3);
    assert!(v["fingerprint"].is_string());

    // The totals count the violations listed.
    let listed = report["violations"].as_array().unwrap();
    let of_severity = |s: &str| listed.iter().filter(|v| v["severity"] == s).count() as u64;
    let totals = &report["totals"];
    assert_eq!(totals["violations"], listed.len() as u64);
    assert_eq!(totals["errors"], of_severity("error"));
    assert_eq!(totals["warnings"], of_severity("warning"));
    assert_eq!(totals["managers_with_violations"], 2);
    assert_eq!(totals["by_rule"]["deal-without-task"], 4);
    assert_eq!(totals["by_rule"]["overdue-task"], 0);
}

#[test]
fn table_report_lists_inputs_not_checked_and_violations_per_manager() {
    let (code, stdout, _) = audit(&["deals_phones.csv", "--as-of", AS_OF]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("  deals_phones.csv: deals, 6 rows (6 audited)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("NOT CHECKED (the inputs lack the data):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  ! deal-without-task: deals_phones.csv: no tasks file and no «Ближайшая задача» column"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Петров Алексей: 2 error(s), 0 warning(s), 0 info"),
        "{stdout}"
    );
    assert!(stdout.contains("deal 403 «Отопление склада»"), "{stdout}");
    assert!(
        stdout.contains("deal 404 «Замена радиаторов в квартире»"),
        "{stdout}"
    );
    // Иванова Мария has no violation, so no block of her own.
    assert!(!stdout.contains("Иванова Мария: "), "{stdout}");
}

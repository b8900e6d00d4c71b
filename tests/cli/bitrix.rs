//! Bitrix24's deal exports as downloaded: the CSV (every field quoted, `;`,
//! a trailing `;`, BOM) and the "Excel" export, an HTML table saved as
//! `.xls`, told by its content. A deal repeated for each product is one deal.

use crate::support::*;

fn formats(name: &str) -> String {
    format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// (rule, deal ID) of every violation.
fn found(report: &serde_json::Value) -> Vec<(String, String)> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap().to_string(),
                v["entity"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_html_xls_and_the_csv_read_to_the_same_deals() {
    let html = json(&[&formats("bitrix_deals.xls"), "--as-of", AS_OF]);
    let csv = json(&[&formats("bitrix_deals.csv"), "--as-of", AS_OF]);
    let (h, c) = (&html["inputs"][0], &csv["inputs"][0]);
    assert_eq!(
        (h["kind"].as_str(), h["format"].as_str()),
        (Some("deals"), Some("html"))
    );
    assert_eq!(
        (c["kind"].as_str(), c["delimiter"].as_str()),
        (Some("deals"), Some(";"))
    );
    // Six rows, five deals: deal 101 is on two rows, one per product
    // (Excel rows 2 and 3; CSV lines 2 and 4, its comment spanning two lines).
    let repeat = "repeats a deal ID read before (a product row of that deal)".to_string();
    assert_eq!(
        (h["rows"].as_u64(), h["audited"].as_u64()),
        (Some(6), Some(5))
    );
    assert_eq!(skipped(h), vec![(repeat.clone(), 1, vec![3])]);
    assert_eq!(skipped(c), vec![(repeat, 1, vec![4])]);
    // Deal 105 («Новая», in work) has no contact and no phone; the other
    // stages are Bitrix24's defaults, known to the rule set.
    let expected = vec![
        ("missing-phone".to_string(), "105".to_string()),
        ("missing-contact-name".to_string(), "105".to_string()),
    ];
    assert_eq!(found(&html), expected);
    assert_eq!(found(&csv), expected);
    assert!(ids(&html, "unknown-stage").is_empty());
}

#[test]
fn tasks_link_to_deals_by_title_and_statuses_say_what_is_open() {
    let report = json(&[
        &formats("bitrix_deals.xls"),
        &formats("bitrix_tasks.xls"),
        "--as-of",
        AS_OF,
    ]);
    let tasks = &report["inputs"][1];
    assert!(tasks["path"]
        .as_str()
        .unwrap()
        .ends_with("bitrix_tasks.xls"));
    assert_eq!(
        (
            tasks["kind"].as_str(),
            tasks["rows"].as_u64(),
            tasks["audited"].as_u64()
        ),
        (Some("tasks"), Some(6), Some(6))
    );
    // 2205 names «Отопление гаража», which is no deal: noted, never guessed.
    assert_eq!(
        tasks["notes"],
        serde_json::json!(["task 2205: «Отопление гаража» matches no deal"])
    );
    // Open and past due at 27.11 02:00 (fixture README): 2202 «Выполняется»
    // (13.11), 2204 «Ждет контроля» (24.11), 2205 «Новая» (26.11 12:00);
    // 2203 is «Завершена», 2201 and 2206 are due later.
    let mut overdue = ids(&report, "overdue-task");
    overdue.sort();
    assert_eq!(overdue, ["2202", "2204", "2205"]);
    // Deals 101 and 102 (in work) have open tasks through their titles;
    // 105 («Новая», no task names it) has none.
    assert_eq!(ids(&report, "deal-without-task"), ["105"]);
}

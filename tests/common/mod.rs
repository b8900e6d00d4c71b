//! What the example-company tests share: the hand-worked table of expected
//! violations in an example's README, and the violations the tool reports.

use std::collections::BTreeSet;

/// A violation as the README's table writes it: (rule, manager, `kind:id`).
pub type Row = (String, String, String);

/// The rows of the table between the `expected-violations` markers of
/// `folder`'s README; the table must hold no duplicates.
pub fn expected(folder: &str) -> BTreeSet<Row> {
    let readme = std::fs::read_to_string(format!("{folder}/README.md")).unwrap();
    let start = readme
        .find("<!-- expected-violations:start -->")
        .expect("start marker");
    let end = readme
        .find("<!-- expected-violations:end -->")
        .expect("end marker");
    let rows: Vec<Row> = readme[start..end]
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (
                cells[0].to_string(),
                cells[1].to_string(),
                cells[2].to_string(),
            )
        })
        .collect();
    let set: BTreeSet<Row> = rows.iter().cloned().collect();
    assert_eq!(
        set.len(),
        rows.len(),
        "the README's table has no duplicates"
    );
    set
}

/// The violations of a JSON report as table rows.
pub fn found(report: &serde_json::Value) -> BTreeSet<Row> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap().to_string(),
                v["manager"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}",
                    v["entity"]["kind"].as_str().unwrap(),
                    v["entity"]["id"].as_str().unwrap()
                ),
            )
        })
        .collect()
}

/// Asserts the report holds exactly the expected violations, each once.
pub fn assert_same(expected: &BTreeSet<Row>, report: &serde_json::Value) {
    let found = found(report);
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
    assert_eq!(
        report["violations"].as_array().unwrap().len(),
        expected.len(),
        "no duplicates"
    );
}

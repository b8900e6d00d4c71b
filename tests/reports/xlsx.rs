//! The XLSX report of the example company, read back with calamine: the
//! Summary sheet cell by cell against the JSON report of the same run, the
//! Violations sheet's dates and links, the Inputs sheet, and the same
//! bytes on every run.

use crate::support::{audit, example_json, out_dir, rules_with_crm_url, AS_OF, EXAMPLE};
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Writes the example company's workbook into `dir`; returns its path.
fn write_workbook(dir: &Path, name: &str) -> PathBuf {
    write_workbook_in(dir, name, &[])
}

/// As `write_workbook`, with more arguments (`--lang ru`).
fn write_workbook_in(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut args = vec![
        EXAMPLE,
        "--as-of",
        AS_OF,
        "--rules",
        rules_with_crm_url(),
        "--output",
        path.to_str().unwrap(),
    ];
    args.extend(extra);
    let run = audit(&args);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "the report went to the file");
    path
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range(name).unwrap()
}

fn string(range: &Range<Data>, row: usize, col: usize) -> String {
    match range.get_value((row as u32, col as u32)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn number(range: &Range<Data>, row: usize, col: usize) -> f64 {
    match range.get_value((row as u32, col as u32)) {
        Some(Data::Float(x)) => *x,
        Some(Data::Int(x)) => *x as f64,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

fn is_empty(range: &Range<Data>, row: usize, col: usize) -> bool {
    matches!(
        range.get_value((row as u32, col as u32)),
        None | Some(Data::Empty)
    )
}

fn date(range: &Range<Data>, row: usize, col: usize) -> String {
    match range.get_value((row as u32, col as u32)) {
        Some(Data::DateTime(t)) => t.as_datetime().unwrap().to_string(),
        other => panic!("({row}, {col}) is not a date: {other:?}"),
    }
}

fn items(json: &Value, key: &str) -> Vec<Value> {
    json[key].as_array().unwrap().clone()
}

/// The Summary's header row: below the title, the totals line and a gap.
const HEADER: usize = 3;
/// The figures after the rule columns, as the JSON names them.
const FIGURES: [(&str, &str); 6] = [
    ("Errors", "errors"),
    ("Warnings", "warnings"),
    ("Total", "total"),
    ("Deals in work", "deals_in_work"),
    ("Violations per 10 deals", "violations_per_10_deals"),
    ("Compliance rate", "compliance_rate"),
];

#[test]
fn summary_cell_by_cell() {
    let json = example_json();
    let dir = out_dir();
    let summary = sheet(&write_workbook(dir.path(), "report.xlsx"), "Summary");
    assert_eq!(
        string(&summary, 0, 0),
        "CRM audit, 27.11.2026 02:00 (Europe/Moscow)"
    );
    let t = &json["totals"];
    assert!(string(&summary, 1, 0).starts_with(&format!(
        "{} violations: {} errors, {} warnings",
        t["violations"], t["errors"], t["warnings"]
    )));

    let rules = items(&json, "rules");
    let mut columns = vec!["Manager".to_string()];
    columns.extend(rules.iter().map(|r| {
        format!(
            "{} {}",
            r["code"].as_str().unwrap(),
            r["name"].as_str().unwrap()
        )
    }));
    columns.extend(FIGURES.iter().map(|(title, _)| title.to_string()));
    for (col, title) in columns.iter().enumerate() {
        assert_eq!(string(&summary, HEADER, col), *title);
    }
    assert!(is_empty(&summary, HEADER, columns.len()));

    // A rule not checked in full shows its zeros as a dash, not a 0.
    let not_checked = items(&json, "not_checked");
    let unchecked: Vec<&str> = not_checked
        .iter()
        .map(|n| n["rule"].as_str().unwrap())
        .collect();
    let count_is = |row: usize, col: usize, rule: &str, count: f64| {
        if count == 0.0 && unchecked.contains(&rule) {
            assert_eq!(string(&summary, row, col), "—", "{rule}");
        } else {
            assert_eq!(number(&summary, row, col), count, "{rule}");
        }
    };
    let managers = items(&json, "managers");
    for (i, m) in managers.iter().enumerate() {
        let row = HEADER + 1 + i;
        assert_eq!(string(&summary, row, 0), m["name"].as_str().unwrap());
        for (j, rule) in rules.iter().enumerate() {
            let count = m["counts"][rule["name"].as_str().unwrap()]
                .as_f64()
                .unwrap();
            count_is(row, 1 + j, rule["name"].as_str().unwrap(), count);
        }
        for (k, (title, key)) in FIGURES.iter().enumerate() {
            let col = 1 + rules.len() + k;
            match m[key].as_f64() {
                Some(x) => assert_eq!(number(&summary, row, col), x, "{title}"),
                None => assert!(is_empty(&summary, row, col), "{title}"),
            }
        }
    }
    let total = HEADER + 1 + managers.len();
    assert_eq!(string(&summary, total, 0), "Total");
    for (j, rule) in rules.iter().enumerate() {
        let count = t["by_rule"][rule["name"].as_str().unwrap()]
            .as_f64()
            .unwrap();
        count_is(total, 1 + j, rule["name"].as_str().unwrap(), count);
    }
    for (k, key) in [
        "errors",
        "warnings",
        "violations",
        "deals_in_work",
        "violations_per_10_deals",
        "compliance_rate",
    ]
    .iter()
    .enumerate()
    {
        let col = 1 + rules.len() + k;
        assert_eq!(
            number(&summary, total, col),
            t[key].as_f64().unwrap(),
            "{key}"
        );
    }
    assert!(is_empty(&summary, total + 1, 0), "nothing below the total");

    // The example company's README: Петров Алексей is the worst, Иванова
    // Мария has no violation among her 8 deals in work.
    assert_eq!(string(&summary, HEADER + 1, 0), "Петров Алексей");
    let ivanova = (0..managers.len())
        .map(|i| HEADER + 1 + i)
        .find(|&r| string(&summary, r, 0) == "Иванова Мария")
        .expect("Иванова Мария has a row");
    let total_col = 1 + rules.len() + 2;
    assert_eq!(number(&summary, ivanova, total_col), 0.0);
    assert_eq!(number(&summary, ivanova, total_col + 1), 8.0);
    assert_eq!(number(&summary, ivanova, total_col + 3), 1.0);
}

#[test]
fn violations_with_dates_and_links() {
    let json = example_json();
    let dir = out_dir();
    let path = write_workbook(dir.path(), "report.xlsx");
    let sheet_ = sheet(&path, "Violations");
    let violations = items(&json, "violations");
    assert_eq!(sheet_.height(), 1 + violations.len());
    let header: Vec<String> = (0..17).map(|c| string(&sheet_, 0, c)).collect();
    assert_eq!(
        header,
        [
            "Manager",
            "Code",
            "Rule",
            "Clause",
            "Severity",
            "Entity",
            "ID",
            "Deal",
            "Deal name",
            "Stage",
            "Budget",
            "Due / day",
            "Specifics",
            "CRM card",
            "File",
            "Row",
            "Fingerprint"
        ]
    );
    for (i, v) in violations.iter().enumerate() {
        let row = 1 + i;
        assert_eq!(string(&sheet_, row, 0), v["manager"].as_str().unwrap());
        assert_eq!(string(&sheet_, row, 2), v["rule"].as_str().unwrap());
        assert_eq!(string(&sheet_, row, 6), v["entity"]["id"].as_str().unwrap());
        assert_eq!(string(&sheet_, row, 12), v["message"].as_str().unwrap());
        match v["entity"]["budget"].as_f64() {
            Some(b) => assert_eq!(number(&sheet_, row, 10), b),
            None => assert!(is_empty(&sheet_, row, 10)),
        }
    }
    // Петров Алексей's task T-1015, due 24.11.2026 15:00, first in the report.
    let t1015 = violations
        .iter()
        .position(|v| v["entity"]["id"] == "T-1015")
        .expect("task T-1015 is overdue")
        + 1;
    assert_eq!(string(&sheet_, t1015, 7), "31461295");
    assert_eq!(
        string(&sheet_, t1015, 8),
        "Радиаторы для дома, пос. Алексеевка"
    );
    assert_eq!(date(&sheet_, t1015, 11), "2026-11-24 15:00:00");

    let with_links = violations
        .iter()
        .filter(|v| v["entity"]["url"].is_string())
        .count();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let links = book.hyperlinks_by_sheet_name("Violations").unwrap();
    assert_eq!(links.len(), with_links);
    let link = links
        .iter()
        .find(|l| l.range.start == (t1015 as u32, 13))
        .expect("a link in T-1015's CRM card column");
    assert_eq!(
        link.target.as_deref(),
        Some("https://example.amocrm.ru/leads/detail/31461295")
    );
}

#[test]
fn inputs_say_what_was_read() {
    let json = example_json();
    let dir = out_dir();
    let path = write_workbook(dir.path(), "report.xlsx");
    let inputs = sheet(&path, "Inputs");
    assert_eq!(string(&inputs, 0, 0), "File");
    let files = items(&json, "inputs");
    assert_eq!(inputs.height(), 1 + files.len());
    for (i, input) in files.iter().enumerate() {
        let row = 1 + i;
        assert_eq!(string(&inputs, row, 0), input["path"].as_str().unwrap());
        assert_eq!(string(&inputs, row, 1), input["kind"].as_str().unwrap());
        assert_eq!(number(&inputs, row, 7), input["rows"].as_f64().unwrap());
        assert_eq!(number(&inputs, row, 8), input["audited"].as_f64().unwrap());
    }
    assert!(
        (1..inputs.height()).any(|r| string(&inputs, r, 0) == "examples/amocrm/deals.xlsx"),
        "the deal export is listed"
    );
    let about = sheet(&path, "About");
    assert_eq!(string(&about, 0, 0), "Audit as of");
    assert_eq!(date(&about, 0, 1), "2026-11-27 02:00:00");
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let dir = out_dir();
    let a = std::fs::read(write_workbook(dir.path(), "a.xlsx")).unwrap();
    let b = std::fs::read(write_workbook(dir.path(), "b.xlsx")).unwrap();
    assert!(a.starts_with(b"PK"), "a ZIP container");
    assert!(a == b, "two runs wrote different workbooks");
}

/// Every sheet of the example company's workbook as text, for a snapshot:
/// each sheet's name, then each row's cells (`|` between them), text as
/// written, numbers as numbers, dates as `date:` and ISO 8601.
pub fn workbook_text(extra: &[&str]) -> String {
    let dir = out_dir();
    let path = write_workbook_in(dir.path(), "report.xlsx", extra);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let mut text = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        text.push_str(&format!("## {name}\n"));
        for (r, row) in range.rows().enumerate() {
            let mut cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.replace('\n', "\\n"),
                    Data::Float(x) => x.to_string(),
                    Data::Int(x) => x.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(t) => format!("date:{}", t.as_datetime().unwrap()),
                    other => format!("{other:?}"),
                })
                .collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            text.push_str(&format!("{}: {}\n", r + 1, cells.join(" | ")));
        }
    }
    // The rule file's temporary path, as the text snapshots write it.
    text.replace(rules_with_crm_url(), "[rules]")
}

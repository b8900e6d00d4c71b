//! The report formats over the example company (`examples/amocrm`, as of
//! 27.11.2026 02:00, with CRM links): a snapshot of every text format, the
//! XLSX read back cell by cell, the HTML rendered in headless Chromium,
//! and what is written when exports carry hostile or personal text.
//!
//! Snapshots live in `tests/snapshots`; after an intended change, review
//! and accept them with `cargo insta review` (or `INSTA_UPDATE=always`).

#[path = "reports/browser.rs"]
mod browser;
#[path = "reports/formats.rs"]
mod formats;
#[path = "reports/safety.rs"]
mod safety;
#[path = "reports/support.rs"]
mod support;
#[path = "reports/xlsx.rs"]
mod xlsx;

use support::example_text;

#[test]
fn snapshot_table() {
    insta::assert_snapshot!("table", example_text("table", &[]));
}

#[test]
fn snapshot_table_summary() {
    insta::assert_snapshot!("table_summary", example_text("table", &["--summary"]));
}

#[test]
fn snapshot_json() {
    insta::assert_snapshot!("json", example_text("json", &[]));
}

#[test]
fn snapshot_markdown() {
    insta::assert_snapshot!("markdown", example_text("markdown", &[]));
}

#[test]
fn snapshot_csv() {
    insta::assert_snapshot!("csv", example_text("csv", &[]));
}

#[test]
fn snapshot_jsonl() {
    insta::assert_snapshot!("jsonl", example_text("jsonl", &[]));
}

#[test]
fn snapshot_junit() {
    insta::assert_snapshot!("junit", example_text("junit", &[]));
}

#[test]
fn snapshot_html() {
    insta::assert_snapshot!("html", example_text("html", &[]));
}

// The same report in Russian, the language of the built-in regulation
// (the snapshots above are its English, `--lang en`). Read against the
// English ones: the same numbers, rows and order, only the words differ.

#[test]
fn snapshot_table_ru() {
    insta::assert_snapshot!("table_ru", example_text("table", &["--lang", "ru"]));
}

#[test]
fn snapshot_table_summary_ru() {
    insta::assert_snapshot!(
        "table_summary_ru",
        example_text("table", &["--summary", "--lang", "ru"])
    );
}

#[test]
fn snapshot_markdown_ru() {
    insta::assert_snapshot!("markdown_ru", example_text("markdown", &["--lang", "ru"]));
}

#[test]
fn snapshot_html_ru() {
    insta::assert_snapshot!("html_ru", example_text("html", &["--lang", "ru"]));
}

#[test]
fn snapshot_json_ru() {
    insta::assert_snapshot!("json_ru", example_text("json", &["--lang", "ru"]));
}

#[test]
fn snapshot_jsonl_ru() {
    insta::assert_snapshot!("jsonl_ru", example_text("jsonl", &["--lang", "ru"]));
}

// The workbook, every sheet's cells read back as text, in both languages.

#[test]
fn snapshot_xlsx() {
    insta::assert_snapshot!("xlsx", xlsx::workbook_text(&[]));
}

#[test]
fn snapshot_xlsx_ru() {
    insta::assert_snapshot!("xlsx_ru", xlsx::workbook_text(&["--lang", "ru"]));
}

#[test]
fn snapshot_junit_ru() {
    insta::assert_snapshot!("junit_ru", example_text("junit", &["--lang", "ru"]));
}

#[test]
fn junit_test_names_stay_english_in_a_russian_report() {
    // CI tools list JUnit's suites and cases by name: `CA001 overdue-task`
    // whatever the report's language (only messages follow it).
    let names = |text: String| -> Vec<String> {
        text.split(" name=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_string())
            .collect()
    };
    let russian = names(example_text("junit", &["--lang", "ru"]));
    assert!(russian.contains(&"CA001 overdue-task".to_string()));
    assert_eq!(russian, names(example_text("junit", &[])));
}

#[test]
fn snapshot_csv_ru() {
    insta::assert_snapshot!("csv_ru", example_text("csv", &["--lang", "ru"]));
}

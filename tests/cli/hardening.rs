//! Bad input as a nightly job meets it: files cut short or padded, quotes
//! never closed, encodings mixed, spreadsheets with error cells or hostile
//! sizes, and paths that are not regular files. Each must end the run with
//! exit code 2 and a message naming the file (and the row and column where
//! there is one), never a wrong report, a hang or a crash.
//!
//! Every run has a time limit: a reader that blocks fails the test instead
//! of hanging the suite.

use super::support::folder_with;
use std::path::Path;
use std::time::Duration;

/// Runs `crm-audit audit ARGS...` in `dir`, killed after a few seconds:
/// (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    command_in(dir, &all)
}

/// Runs `crm-audit ARGS...` in `dir`, killed after a few seconds.
fn command_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .env_remove("COLUMNS")
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .expect("run crm-audit");
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("crm-audit {args:?} was killed (a hang or a crash)"));
    (
        code,
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A run that must fail with exit code 2 and print no report: its stderr.
fn error_in(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run_in(dir, args);
    assert_eq!(
        code, 2,
        "exit code of {args:?}\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert_eq!(stdout, "", "a failed run prints no report");
    assert!(stderr.starts_with("crm-audit: error: "), "{stderr}");
    stderr
}

const AS_OF: &str = "2026-11-27 02:00";

/// Five deals; `row` (2..=6, a line of the file) gets `edit` applied.
fn five_deals(edit: impl Fn(usize, &str) -> String) -> String {
    let rows = [
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки",
        "601,Радиаторы для коттеджа,Орлов Игорь,Иванова Мария,Счет",
        "602,Батареи в офис,Зайцева Ольга,Петров Алексей,Новая заявка",
        "603,Отопление склада,Смирнов Павел,Петров Алексей,Закрыто и не реализовано",
        "604,Радиаторы для школы,Лебедева Анна,Петров Алексей,Счет",
        "605,Котельная,Гусев Илья,Иванова Мария,Успешно реализовано",
    ];
    rows.iter()
        .enumerate()
        .map(|(i, r)| edit(i + 1, r) + "\n")
        .collect()
}

// 1. A quote opened and never closed.

#[test]
fn a_quote_never_closed_on_a_middle_line_is_an_error_naming_that_line() {
    // Line 3's contact opens a quote nothing closes: read on, lines 3 to 6
    // would be one record (deals 603-605 gone), so the run must stop.
    let text = five_deals(|line, r| {
        if line == 3 {
            r.replace("Зайцева Ольга", "\"Зайцева Ольга")
        } else {
            r.to_string()
        }
    });
    let dir = folder_with(&[("deals.csv", text.as_bytes())]);
    let e = error_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.csv, line 3: a quote (\") opened on this line is never closed"),
        "{e}"
    );
}

#[test]
fn a_quote_never_closed_on_the_last_line_is_an_error_naming_that_line() {
    // The won deal 605's stage opens a quote at the end of the file: read
    // as it stands, its stage would be `Успешно реализовано\n`, an unknown
    // stage of a deal in work.
    let text = five_deals(|line, r| {
        if line == 6 {
            r.replace("Успешно", "\"Успешно")
        } else {
            r.to_string()
        }
    });
    let dir = folder_with(&[("deals.csv", text.as_bytes())]);
    let e = error_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.csv, line 6: a quote (\") opened on this line is never closed"),
        "{e}"
    );
}

#[test]
fn quotes_closed_on_a_later_line_are_one_cell_as_before() {
    // The same quote closed two lines on is a note with line breaks: four
    // deals, the note of 602 holding lines 3 to 5.
    let text = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Примечание\n\
                601,Радиаторы,Орлов Игорь,Иванова Мария,Счет,\n\
                602,Батареи,Зайцева Ольга,Петров Алексей,Счет,\"звонить\n\
                после 14:00\n\
                или утром\"\n\
                603,Склад,Смирнов Павел,Петров Алексей,Счет,\n";
    let dir = folder_with(&[("deals.csv", text.as_bytes())]);
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["deals.csv", "--as-of", AS_OF, "--format", "json"],
    );
    assert!(code <= 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["inputs"][0]["rows"], 3, "{:#}", report["inputs"]);
}

// 2. One line in another encoding.

/// The five deals in UTF-8 with line `line`'s text in Windows-1251, as a
/// line pasted from a file Excel re-saved.
fn five_deals_one_line_1251(line: usize) -> Vec<u8> {
    five_deals_encoded(|i| if i == line { cp1251 } else { utf8 })
}

/// The five deals, line `i` (1-based) written by `encoding_of(i)`.
fn five_deals_encoded(encoding_of: impl Fn(usize) -> fn(&str) -> Vec<u8>) -> Vec<u8> {
    let text = five_deals(|_, r| r.to_string());
    text.split_inclusive('\n')
        .enumerate()
        .flat_map(|(i, l)| encoding_of(i + 1)(l))
        .collect()
}

fn utf8(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn cp1251(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1251.encode(text).0.into_owned()
}

#[test]
fn one_windows_1251_line_in_a_utf8_file_is_an_error_naming_that_line() {
    // Line 4 (deal 603, Петров Алексей) is Windows-1251: decoding the file
    // as Windows-1251 would garble every other name (Иванова Мария as
    // "РРІР°РЅРѕРІР° ...") and split Петров Алексей in two.
    let bytes = five_deals_one_line_1251(4);
    let dir = folder_with(&[("deals.csv", &bytes)]);
    let e = error_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.csv, line 4, column B: the text is not valid UTF-8"),
        "{e}"
    );
}

#[test]
fn one_utf8_line_in_a_windows_1251_file_is_an_error_naming_that_line() {
    // The reverse: the file is Windows-1251 (Excel re-saved it) but line 4
    // (deal 603) was pasted from a UTF-8 file. Read as Windows-1251 it would
    // be a manager «РџРµС‚СЂРѕРІ РђР»РµРєСЃРµР№» nobody is, and Петров
    // Алексей's deal would be lost; the run must stop, naming line 4.
    let bytes = five_deals_encoded(|i| if i == 4 { utf8 } else { cp1251 });
    let dir = folder_with(&[("deals.csv", &bytes)]);
    let e = error_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.csv, line 4: the text is UTF-8 in a file read as Windows-1251"),
        "{e}"
    );
    // The same file all in Windows-1251 reads, its five deals audited.
    let whole = five_deals_encoded(|_| cp1251);
    let dir = folder_with(&[("deals.csv", &whole)]);
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["deals.csv", "--as-of", AS_OF, "--format", "json"],
    );
    assert!(code <= 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["inputs"][0]["audited"], 5, "{:#}", report["inputs"]);
}

// 3. and 4. Spreadsheet cells that hold no date or an error.

/// A task list workbook (`ID`, `Срок`, `Выполнена`, `Ответственный`) with
/// tasks 1 and 2; `edit` writes over row 3 (task 2).
fn task_book(edit: impl Fn(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (c, h) in ["ID", "Срок", "Выполнена", "Ответственный"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=2u32 {
        sheet.write_number(r, 0, f64::from(r)).unwrap();
        // 46352 is 26.11.2026.
        sheet
            .write_number_with_format(r, 1, 46352.0, &date)
            .unwrap();
        sheet.write_string(r, 2, "Нет").unwrap();
        sheet.write_string(r, 3, "Иванова Мария").unwrap();
    }
    edit(sheet);
    book.save_to_buffer().unwrap()
}

#[test]
fn a_date_cell_holding_serial_0_or_below_is_an_error_naming_row_and_column() {
    // Excel shows serial 0 formatted as a date as 00.01.1900; read as a
    // date it was 30.12.1899, a task 46 000 days overdue. Serial -3 is no
    // date at all. Either is the error the CSV reader gives for `0`.
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    for serial in [0.0, -3.0] {
        let book = task_book(|sheet| {
            sheet.write_number_with_format(2, 1, serial, &date).unwrap();
        });
        let dir = folder_with(&[("tasks.xlsx", &book)]);
        let cell = format!(
            "tasks.xlsx, row 3, column \"Срок\" (B): `{serial}` is not an Excel date serial number"
        );
        // --strict stops at the cell, as the CSV reader does.
        let e = error_in(dir.path(), &["tasks.xlsx", "--as-of", AS_OF, "--strict"]);
        assert!(e.contains(&cell), "{e}");
        // Without it, the cell is the task's unreadable value: a finding
        // of its own, and never a due date in 1899.
        let (code, stdout, stderr) = run_in(
            dir.path(),
            &["tasks.xlsx", "--as-of", AS_OF, "--format", "json"],
        );
        assert_eq!((code, stderr.as_str()), (1, ""), "{stdout}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let violations = report["violations"].as_array().unwrap();
        // Task 1, due 26.11.2026 and open, is 2 h overdue; task 2 is only
        // its unreadable due date.
        let mut found: Vec<(&str, &str)> = violations
            .iter()
            .map(|v| {
                (
                    v["rule"].as_str().unwrap(),
                    v["entity"]["id"].as_str().unwrap(),
                )
            })
            .collect();
        found.sort_unstable();
        assert_eq!(
            found,
            [("overdue-task", "1"), ("unreadable-value", "2")],
            "{stdout}"
        );
        assert!(!stdout.contains("1899"), "{stdout}");
    }
}

#[test]
fn an_error_cell_is_an_error_of_its_row() {
    // `=NA()` in the responsible column, cached as #N/A: task 2 has no
    // manager anyone can name, so the run stops at row 3, column D.
    let book = task_book(|sheet| {
        let formula = rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A");
        sheet.write_formula(2, 3, formula).unwrap();
    });
    let dir = folder_with(&[("tasks.xlsx", &book)]);
    let e = error_in(dir.path(), &["tasks.xlsx", "--as-of", AS_OF]);
    assert!(
        e.contains(
            "tasks.xlsx, row 3, column \"Ответственный\" (D): the cell holds the error #N/A"
        ),
        "{e}"
    );
}

// 5. Invisible format characters in names.

#[test]
fn format_characters_in_a_name_are_removed_and_inspect_says_so() {
    // Deal 602's responsible hides a zero-width space inside "Петров
    // Алексей"; deal 605's starts with a right-to-left override. Removed,
    // they are the two managers of the other rows: Петров Алексей (3
    // deals) and Иванова Мария (2), two values changed.
    let text = five_deals(|line, r| match line {
        3 => r.replace("Петров Алексей", "Пет\u{200B}ров Алексей"),
        6 => r.replace("Иванова Мария", "\u{202E}Иванова Мария"),
        _ => r.to_string(),
    });
    let dir = folder_with(&[("deals.csv", text.as_bytes())]);
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["deals.csv", "--as-of", AS_OF, "--format", "json"],
    );
    assert!(code <= 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mut managers: Vec<String> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    managers.sort();
    assert_eq!(managers, ["Иванова Мария", "Петров Алексей"]);
    let (code, stdout, stderr) = command_in(dir.path(), &["inspect", "deals.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("note: 2 manager name(s) held invisible format characters (zero-width spaces, direction marks), removed"),
        "{stdout}"
    );
}

// 6. Files padded with zeros or cut short.

#[test]
fn a_row_of_nul_bytes_is_an_error_naming_its_line() {
    // A download that stopped leaves the file's preallocated tail as NUL
    // bytes: line 7 would be a deal of "(unassigned)" in work, with
    // violations nobody committed.
    let mut bytes = five_deals(|_, r| r.to_string()).into_bytes();
    bytes.extend(vec![0u8; 300]);
    let dir = folder_with(&[("deals.csv", &bytes)]);
    let e = error_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.csv, line 7: the line holds NUL bytes"),
        "{e}"
    );
}

#[test]
fn an_html_table_cut_short_is_an_error_naming_the_file() {
    // Bitrix24's HTML ".xls" export, cut inside its third deal's row: the
    // rows before would be audited as if they were the whole export.
    let html = "\u{FEFF}<meta http-equiv=\"Content-type\" content=\"text/html;charset=UTF-8\">\
        <table border=\"1\"><thead><tr><th>ID</th><th>Название сделки</th><th>Стадия сделки</th>\
        <th>Ответственный</th><th>Контакт</th></tr></thead><tbody>\
        <tr><td>1</td><td>Радиаторы</td><td>Новая</td><td>Иванова Мария</td><td>Орлов Игорь</td></tr>\
        <tr><td>2</td><td>Батареи</td><td>Новая</td><td>Петров Алексей</td><td>Зайцева Ольга</td></tr>\
        <tr><td>3</td><td>Скла";
    let dir = folder_with(&[("deals.xls", html.as_bytes())]);
    let e = error_in(dir.path(), &["deals.xls", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.xls: the file ends inside its table (no </table>)"),
        "{e}"
    );
    // The same table closed is read: two deals, three with the third row.
    let whole = format!("{html}д</td><td>Новая</td><td>Петров Алексей</td><td>Смирнов Павел</td></tr></tbody></table>");
    let dir = folder_with(&[("deals.xls", whole.as_bytes())]);
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &["deals.xls", "--as-of", AS_OF, "--format", "json"],
    );
    assert!(code <= 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["inputs"][0]["rows"], 3);
}

// 7. Paths that are not regular files; sizes past the limits.

/// A named pipe at `path`: opening it for reading blocks until a writer
/// comes, which in a nightly job is never.
fn fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success());
}

#[test]
fn a_pipe_as_an_input_is_not_a_regular_file() {
    let dir = folder_with(&[]);
    fifo(&dir.path().join("deals.csv"));
    let e = error_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    assert!(e.contains("deals.csv: not a regular file"), "{e}");
}

#[test]
fn a_device_as_an_input_is_not_a_regular_file_even_through_a_link() {
    // /dev/zero would be read for ever, growing one endless line.
    let dir = folder_with(&[]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.csv")).unwrap();
    for path in ["zero.csv", "/dev/zero"] {
        let e = error_in(dir.path(), &[path, "--as-of", AS_OF]);
        assert!(e.contains(&format!("{path}: not a regular file")), "{e}");
    }
}

#[test]
fn a_pipe_as_a_rule_file_or_its_base_is_not_a_regular_file() {
    let deals = five_deals(|_, r| r.to_string());
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("company.toml", b"extends = \"base.toml\"\n"),
    ]);
    fifo(&dir.path().join("rules.toml"));
    fifo(&dir.path().join("base.toml"));
    let e = error_in(dir.path(), &["deals.csv", "--rules", "rules.toml"]);
    assert!(e.contains("rules.toml: not a regular file"), "{e}");
    let e = error_in(dir.path(), &["deals.csv", "--rules", "company.toml"]);
    assert!(e.contains("base.toml: not a regular file"), "{e}");
}

#[test]
fn a_rule_file_over_its_limit_is_refused_unread() {
    // A megabyte of comments is no rule set a person wrote.
    let mut text = String::from("extends = \"builtin\"\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("# комментарий, повторённый много раз\n");
    }
    let deals = five_deals(|_, r| r.to_string());
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("big.toml", text.as_bytes()),
    ]);
    let e = error_in(dir.path(), &["deals.csv", "--rules", "big.toml"]);
    assert!(e.contains("big.toml: larger than 1 MiB"), "{e}");
}

#[test]
fn a_sparse_file_of_nul_bytes_stops_at_once() {
    // 2 GB that take no disk: all NUL bytes, no line break.
    let dir = folder_with(&[]);
    let file = std::fs::File::create(dir.path().join("deals.csv")).unwrap();
    file.set_len(2 << 30).unwrap();
    let started = std::time::Instant::now();
    let e = error_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.csv, line 1: the line holds NUL bytes"),
        "{e}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_header_search_past_its_limit_is_an_error() {
    // A first line of 17 MiB with no line break: no export's title line.
    let mut text = "x".repeat(17 << 20);
    text.push_str("\nID,Название сделки,Основной контакт,Ответственный,Этап сделки\n");
    let dir = folder_with(&[("deals.csv", text.as_bytes())]);
    let e = error_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.csv, line 1: the line is longer than 16 MiB"),
        "{e}"
    );
}

#[test]
fn a_sheet_spanning_more_cells_than_the_limit_is_refused_unread() {
    // Two cells, A1 and XFD1048576: a range of 17 billion cells, which
    // calamine would allocate at once.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "ID").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < 10_000);
    let dir = folder_with(&[("deals.xlsx", &bytes)]);
    let e = error_in(dir.path(), &["deals.xlsx", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.xlsx: sheet \"Sheet1\" spans A1:XFD1048576, more than 32000000 cells"),
        "{e}"
    );
}

#[test]
fn a_workbook_part_unpacking_past_the_limit_is_refused_unread() {
    // The shared strings of a small workbook, declared in the zip's
    // directory to unpack to 1.2 GB (as a zip bomb declares them).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "ID").unwrap();
    let mut bytes = book.save_to_buffer().unwrap();
    let name = b"xl/sharedStrings.xml";
    let at = bytes
        .windows(name.len())
        .rposition(|w| w == name)
        .expect("the central directory names the shared strings");
    // The central directory header: the name at offset 46, the unpacked
    // size at offset 24.
    let header = at - 46;
    assert_eq!(&bytes[header..header + 4], b"PK\x01\x02");
    bytes[header + 24..header + 28].copy_from_slice(&1_200_000_000u32.to_le_bytes());
    let dir = folder_with(&[("deals.xlsx", &bytes)]);
    let e = error_in(dir.path(), &["deals.xlsx", "--as-of", AS_OF]);
    assert!(
        e.contains(
            "deals.xlsx: xl/sharedStrings.xml unpacks to 1200000000 bytes, more than 512 MiB"
        ),
        "{e}"
    );
}

#[test]
fn an_html_export_past_its_limit_is_refused_unread() {
    // A table start, then 300 MB that take no disk.
    let dir = folder_with(&[("deals.xls", b"<table><tr><td>ID</td></tr>")]);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("deals.xls"))
        .unwrap();
    file.set_len(300 << 20).unwrap();
    let e = error_in(dir.path(), &["deals.xls", "--as-of", AS_OF]);
    assert!(
        e.contains("deals.xls: an HTML table export larger than 256 MiB (314572800 bytes)"),
        "{e}"
    );
}

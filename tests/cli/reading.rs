//! Reading exports as users download them: recognition by header, folders,
//! CSV delimiters and encodings, quoted line breaks, duplicate headers,
//! blank rows, and XLSX files with real date cells.

use crate::support::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

// ---- recognising files ----

#[test]
fn files_are_recognised_by_their_header_not_their_name() {
    // A deal export saved as "tasks.csv", with headers in odd case and
    // padded with spaces; a task list with the English headers; a call log
    // with the English headers.
    let deals = concat!(
        " id ,НАЗВАНИЕ СДЕЛКИ,Основной контакт,ответственный,Этап сделки \n",
        "1801,Радиаторы для коттеджа,,Иванова Мария,Счет\n",
    );
    let tasks = "\
id,deal_id,manager,type,due,completed,completed_at
T-81,1801,Иванова Мария,call,2026-11-26 10:00,no,
";
    let calls = "\
time,manager,direction,status
2026-11-26 10:00:00,Иванова Мария,outgoing,answered
";
    let dir = folder_with(&[
        ("tasks.csv", deals.as_bytes()),
        ("export_1.csv", tasks.as_bytes()),
        ("export_2.csv", calls.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &[
            "tasks.csv",
            "export_1.csv",
            "export_2.csv",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(input(&report, "tasks.csv")["kind"], "deals");
    assert_eq!(input(&report, "export_1.csv")["kind"], "tasks");
    assert_eq!(input(&report, "export_2.csv")["kind"], "calls");
    // Read through those headers: deal 1801 has no contact name, T-81 is
    // overdue (due 26.11 10:00), and Иванова made 1 call of 40 on 26.11.
    assert_eq!(ids(&report, "missing-contact-name"), ["1801"]);
    assert_eq!(ids(&report, "overdue-task"), ["T-81"]);
    assert_eq!(
        violation(&report, "overdue-task", "T-81")["entity"]["deal_id"],
        "1801"
    );
    assert_eq!(
        ids(&report, "daily-call-quota"),
        ["Иванова Мария/2026-11-26"]
    );
}

#[test]
fn the_header_may_stand_below_a_title_line() {
    let report = json(&["deals_titled.csv", "--as-of", AS_OF]);
    // Line 1 is a title, line 2 an empty row of `;`, line 3 the header.
    let file = input(&report, "deals_titled.csv");
    assert_eq!(file["kind"], "deals");
    assert_eq!(file["header_row"], 3);
    assert_eq!(file["rows"], 2);
    assert_eq!(file["audited"], 2);
    // Deal 1402, on line 5, has no contact name.
    assert_eq!(ids(&report, "missing-contact-name"), ["1402"]);
    assert_eq!(
        violation(&report, "missing-contact-name", "1402")["source"]["row"],
        5
    );
}

/// A deal export whose header stands on line `line`, below title lines.
fn deals_with_header_on_line(line: usize) -> String {
    let mut text = String::new();
    for i in 1..line {
        text.push_str(&format!("Отчёт по сделкам: страница {i}\n"));
    }
    text.push_str("ID;Название сделки;Основной контакт;Ответственный;Этап сделки\n");
    text.push_str("1901;Радиаторы для коттеджа;;Иванова Мария;Счет\n");
    text
}

#[test]
fn the_header_is_searched_in_the_first_ten_rows() {
    let dir = folder_with(&[
        ("deals_10.csv", deals_with_header_on_line(10).as_bytes()),
        ("deals_11.csv", deals_with_header_on_line(11).as_bytes()),
    ]);
    let report = json_in(dir.path(), &["deals_10.csv", "--as-of", AS_OF]);
    assert_eq!(input(&report, "deals_10.csv")["header_row"], 10);
    assert_eq!(ids(&report, "missing-contact-name"), ["1901"]);
    // On line 11 the header is too far down.
    let stderr = error_of(dir.path(), &["deals_11.csv", "--as-of", AS_OF]);
    assert!(
        stderr.starts_with(
            "crm-audit: error: deals_11.csv: not recognised as deals, leads, tasks, calls, contacts, call-reviews: no header row found in the first 10 rows."
        ),
        "{stderr}"
    );
}

#[test]
fn a_folder_means_the_export_files_directly_in_it() {
    // folder/ holds deals.csv, tasks.csv, notes.txt and archive/deals_2025.csv.
    let report = json(&["folder", "--as-of", AS_OF]);
    let paths: Vec<String> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| text(&i["path"]))
        .collect();
    assert_eq!(paths, ["folder/deals.csv", "folder/tasks.csv"]);
    // 1501 has the open task T-51; 1502 has none. Deal 1599 of the archive
    // subfolder is not read.
    assert_eq!(ids(&report, "deal-without-task"), ["1502"]);
}

#[test]
fn a_folder_reads_spreadsheets_too() {
    let dir = tasks_workbook();
    std::fs::write(
        dir.path().join("deals.csv"),
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки\n\
         104,Радиаторы для коттеджа,Орлов Игорь,Иванова Мария,Счет\n\
         105,Батареи в офис,Зайцева Ольга,Иванова Мария,Счет\n",
    )
    .unwrap();
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    let kinds: Vec<(String, String)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (text(&i["path"]), text(&i["kind"])))
        .collect();
    assert_eq!(
        kinds,
        [
            ("./deals.csv".to_string(), "deals".to_string()),
            ("./tasks.xlsx".to_string(), "tasks".to_string())
        ]
    );
    // The workbook's open tasks belong to deals 101-104: 105 has none.
    assert_eq!(ids(&report, "deal-without-task"), ["105"]);
}

// ---- CSV ----

/// A task list with a quoted note holding all three candidate delimiters.
fn tasks_with_delimiter(d: &str) -> String {
    [
        [
            "ID",
            "ID сделки",
            "Ответственный",
            "Тип задачи",
            "Срок",
            "Выполнена",
            "Результат",
        ]
        .join(d),
        [
            "T-1",
            "101",
            "Иванова Мария",
            "Звонок",
            "26.11.2026 10:00",
            "Нет",
            "\"Перезвонить; после 14:00,\tуточнить\"",
        ]
        .join(d),
        [
            "T-2",
            "102",
            "Иванова Мария",
            "Звонок",
            "30.11.2026 10:00",
            "Нет",
            "",
        ]
        .join(d),
    ]
    .join("\n")
        + "\n"
}

#[test]
fn the_csv_delimiter_is_detected() {
    for (delimiter, shown) in [(",", ","), (";", ";"), ("\t", "tab")] {
        let dir = folder_with(&[("tasks.csv", tasks_with_delimiter(delimiter).as_bytes())]);
        let report = json_in(dir.path(), &["tasks.csv", "--as-of", AS_OF]);
        let file = input(&report, "tasks.csv");
        assert_eq!(file["delimiter"], shown);
        assert_eq!(file["kind"], "tasks");
        assert_eq!(file["rows"], 2, "delimiter {shown}");
        // T-1 (26.11 10:00) is overdue, T-2 (30.11) is not.
        assert_eq!(ids(&report, "overdue-task"), ["T-1"], "delimiter {shown}");
    }
}

#[test]
fn a_utf8_csv_with_a_bom_and_crlf_is_read() {
    let report = json(&["tasks_bom.csv", "--as-of", AS_OF]);
    let file = input(&report, "tasks_bom.csv");
    assert_eq!(file["encoding"], "UTF-8 with BOM");
    assert_eq!(file["delimiter"], ";");
    // The first header, `ID` right after the BOM, is recognised: the task
    // keeps its own id rather than a file:line stand-in.
    assert_eq!(ids(&report, "overdue-task"), ["T-1"]);
    assert_eq!(
        violation(&report, "overdue-task", "T-1")["manager"],
        "Иванова Мария"
    );
}

#[test]
fn a_windows_1251_csv_is_read() {
    let text = "\
ID;Название сделки;Основной контакт;Ответственный;Этап сделки;Мобильный телефон (контакт)\r\n\
1701;Радиаторы для коттеджа;Орлов Игорь;Петров Алексей;Счет;\r\n\
1702;Батареи в офис;Зайцева Ольга;Петров Алексей;Закрыто и не реализовано;\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!unmappable);
    let dir = folder_with(&[("deals.csv", &bytes)]);
    let report = json_in(dir.path(), &["deals.csv", "--as-of", AS_OF]);
    let file = input(&report, "deals.csv");
    assert_eq!(file["encoding"], "Windows-1251");
    assert_eq!(file["kind"], "deals");
    // 1701 is in work with no phone; 1702 is lost.
    assert_eq!(ids(&report, "missing-phone"), ["1701"]);
    let v = violation(&report, "missing-phone", "1701");
    assert_eq!(v["manager"], "Петров Алексей");
    assert_eq!(v["entity"]["name"], "Радиаторы для коттеджа");
}

#[test]
fn quoted_fields_may_hold_line_breaks() {
    let report = json(&["deals_multiline.csv", "--as-of", AS_OF]);
    // Deal 1201's note runs over lines 2-4; deal 1202 is on line 5.
    assert_eq!(input(&report, "deals_multiline.csv")["rows"], 2);
    assert_eq!(ids(&report, "missing-contact-name"), ["1201", "1202"]);
    assert_eq!(
        violation(&report, "missing-contact-name", "1201")["source"]["row"],
        2
    );
    assert_eq!(
        violation(&report, "missing-contact-name", "1202")["source"]["row"],
        5
    );
}

#[test]
fn with_duplicate_headers_the_first_non_empty_value_wins() {
    // `Причина отказа` and `Основной контакт` each appear twice.
    let report = json(&[
        "deals_duplicate_headers.csv",
        "contacts.csv",
        "--as-of",
        AS_OF,
    ]);
    // 1301's reason is in the second column; 1302 has none in either.
    assert_eq!(ids(&report, "refusal-without-reason"), ["1302"]);
    // 1303's contact is in the second column: Орлов Игорь.
    assert!(ids(&report, "missing-contact-name").is_empty());
    // 1303 borrows Орлов Игорь's phone. 1304's first contact, Зайцева Ольга
    // (no phone), wins over the second, Орлов Игорь.
    assert_eq!(ids(&report, "missing-phone"), ["1304"]);
}

#[test]
fn a_row_of_empty_cells_is_skipped_as_an_empty_row() {
    let report = json(&["deals_blank_row.csv", "--as-of", AS_OF]);
    let file = input(&report, "deals_blank_row.csv");
    // Line 3 is `,,,,`.
    assert_eq!(file["rows"], 3);
    assert_eq!(file["audited"], 2);
    assert_eq!(skipped(file), [("empty row".to_string(), 1, vec![3])]);
    assert_eq!(
        violation(&report, "missing-contact-name", "1102")["source"]["row"],
        4
    );
}

#[test]
fn an_empty_line_is_skipped_as_an_empty_row() {
    let report = json(&["deals_empty_line.csv", "--as-of", AS_OF]);
    let file = input(&report, "deals_empty_line.csv");
    // Line 3 is empty: skipped as an empty row. Deal 1112 is on line 4.
    let row_of_1112 = &violation(&report, "missing-contact-name", "1112")["source"]["row"];
    assert_eq!(
        (skipped(file), row_of_1112.as_u64()),
        (vec![("empty row".to_string(), 1, vec![3])], Some(4))
    );
    assert_eq!(file["rows"], 3);
    assert_eq!(file["audited"], 2);
}

// ---- XLSX ----

const TASK_HEADER: [&str; 6] = [
    "ID",
    "ID сделки",
    "Ответственный",
    "Тип задачи",
    "Срок",
    "Выполнена",
];

/// Writes one task row, `due` filling the `Срок` cell (column E).
fn task_row(
    sheet: &mut Worksheet,
    row: u32,
    id: &str,
    deal: f64,
    due: impl FnOnce(&mut Worksheet, u32, u16),
) {
    sheet.write_string(row, 0, id).unwrap();
    sheet.write_number(row, 1, deal).unwrap();
    sheet.write_string(row, 2, "Иванова Мария").unwrap();
    sheet.write_string(row, 3, "Звонок").unwrap();
    due(sheet, row, 4);
    sheet.write_string(row, 5, "Нет").unwrap();
}

fn header(sheet: &mut Worksheet) {
    for (c, h) in TASK_HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
}

/// A task workbook whose `Срок` cells are, row by row: a date-time cell,
/// a plain Excel serial number of a whole day, a fractional serial number,
/// and a date cell with a date-only format.
fn tasks_workbook() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Задачи").unwrap();
    header(sheet);
    let date_time = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let date_only = Format::new().set_num_format("dd.mm.yyyy");
    let at = ExcelDateTime::from_ymd(2026, 11, 26)
        .unwrap()
        .and_hms(14, 30, 0)
        .unwrap();
    let day = ExcelDateTime::from_ymd(2026, 11, 26).unwrap();
    task_row(sheet, 1, "T-1", 101.0, |s, r, c| {
        s.write_datetime_with_format(r, c, &at, &date_time).unwrap();
    });
    // 46352 is 26.11.2026; 46353.5 is 27.11.2026 12:00.
    task_row(sheet, 2, "T-2", 102.0, |s, r, c| {
        s.write_number(r, c, 46352.0).unwrap();
    });
    task_row(sheet, 3, "T-3", 103.0, |s, r, c| {
        s.write_number(r, c, 46353.5).unwrap();
    });
    task_row(sheet, 4, "T-4", 104.0, |s, r, c| {
        s.write_datetime_with_format(r, c, &day, &date_only)
            .unwrap();
    });
    book.save(dir.path().join("tasks.xlsx")).unwrap();
    dir
}

#[test]
fn xlsx_date_cells_and_serial_numbers_are_due_moments() {
    let dir = tasks_workbook();
    let report = json_in(dir.path(), &["tasks.xlsx", "--as-of", AS_OF]);
    let file = input(&report, "tasks.xlsx");
    assert_eq!(file["format"], "xlsx");
    assert_eq!(file["sheet"], "Задачи");
    assert_eq!(file["rows"], 4);
    // At 27.11 02:00: T-1 (26.11 14:30) is 11 h 30 min late; T-2 (the whole
    // day 26.11) 2 h; T-3 (27.11 12:00) is not due yet; T-4 (26.11) is late.
    assert_eq!(ids(&report, "overdue-task"), ["T-1", "T-2", "T-4"]);
    let t1 = violation(&report, "overdue-task", "T-1");
    assert_eq!(t1["details"]["due"], "26.11.2026 14:30");
    assert_eq!(t1["details"]["late_minutes"], 690);
    // A number cell for the deal id reads as text without decimals.
    assert_eq!(t1["entity"]["deal_id"], "101");
    let t2 = violation(&report, "overdue-task", "T-2");
    assert_eq!(t2["details"]["due"], "26.11.2026");
    assert_eq!(t2["details"]["late_minutes"], 120);
    // Rows are numbered as Excel shows them: the header is row 1.
    assert_eq!(t2["source"]["file"], "tasks.xlsx");
    assert_eq!(t2["source"]["row"], 3);
}

#[test]
fn an_xlsx_date_cell_without_a_time_is_due_until_the_end_of_that_day() {
    let dir = tasks_workbook();
    // T-4's `Срок` is a date cell showing 26.11.2026, no time: like the text
    // `26.11.2026` (T-2), it is due until the end of that day. At 26.11
    // 12:00 nothing is overdue (T-1 is due at 14:30); at 27.11 02:00 T-4 is
    // 2 h late, shown as the date it holds.
    let at_noon = json_in(dir.path(), &["tasks.xlsx", "--as-of", "2026-11-26 12:00"]);
    let at_night = json_in(dir.path(), &["tasks.xlsx", "--as-of", AS_OF]);
    let t4 = violation(&at_night, "overdue-task", "T-4");
    assert_eq!(
        (
            ids(&at_noon, "overdue-task"),
            text(&t4["details"]["due"]),
            t4["details"]["late_minutes"].as_i64()
        ),
        (vec![], "26.11.2026".to_string(), Some(120))
    );
}

#[test]
fn sheet_chooses_the_sheet_of_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let summary = book.add_worksheet();
    summary.set_name("Сводка").unwrap();
    summary.write_string(0, 0, "Задач просрочено").unwrap();
    summary.write_number(0, 1, 1.0).unwrap();
    let tasks = book.add_worksheet();
    tasks.set_name("Задачи").unwrap();
    header(tasks);
    task_row(tasks, 1, "T-1", 101.0, |s, r, c| {
        s.write_string(r, c, "26.11.2026 10:00").unwrap();
    });
    book.save(dir.path().join("export.xlsx")).unwrap();

    // The first sheet is read by default, and it is no export.
    let stderr = error_of(dir.path(), &["export.xlsx", "--as-of", AS_OF]);
    assert!(
        stderr.starts_with(
            "crm-audit: error: export.xlsx: not recognised as deals, leads, tasks, calls, contacts, call-reviews: no header row found in the first 10 rows."
        ),
        "{stderr}"
    );
    let report = json_in(
        dir.path(),
        &["export.xlsx", "--sheet", "Задачи", "--as-of", AS_OF],
    );
    assert_eq!(input(&report, "export.xlsx")["sheet"], "Задачи");
    assert_eq!(ids(&report, "overdue-task"), ["T-1"]);
}

/// Writes deal rows (ID, name, contact) under an amoCRM header.
fn deal_sheet(sheet: &mut Worksheet, deals: &[(&str, &str, &str)]) {
    for (c, h) in [
        "ID",
        "Название сделки",
        "Основной контакт",
        "Ответственный",
        "Этап сделки",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (id, name, contact)) in deals.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in [*id, *name, *contact, "Иванова Мария", "Счет"]
            .iter()
            .enumerate()
        {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    }
}

#[test]
fn a_hidden_first_sheet_is_passed_over_for_the_first_visible_one() {
    // Someone kept last month's export as a first sheet and hid it: Excel
    // opens on «Сделки», and that is the export. The stale sheet's deal
    // 1401 has no contact; today's 1502 has none.
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let stale = book.add_worksheet();
    stale.set_name("Старое").unwrap();
    deal_sheet(
        stale,
        &[("1401", "Котёл", ""), ("1402", "Бойлер", "Орлов Игорь")],
    );
    stale.set_hidden(true);
    let deals = book.add_worksheet();
    deals.set_name("Сделки").unwrap();
    deal_sheet(
        deals,
        &[
            ("1501", "Радиаторы", "Зайцева Ольга"),
            ("1502", "Батареи", ""),
        ],
    );
    deals.set_active(true);
    book.save(dir.path().join("deals.xlsx")).unwrap();

    let report = json_in(dir.path(), &["deals.xlsx", "--as-of", AS_OF]);
    let deals = input(&report, "deals.xlsx");
    assert_eq!(deals["sheet"], "Сделки");
    assert_eq!(ids(&report, "missing-contact-name"), ["1502"]);
    let note = "read sheet «Сделки», the first visible one; hidden before it: «Старое»";
    assert_eq!(deals["notes"][0], note);
    // inspect says so too.
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir.path())
        .args(["inspect", "deals.xlsx"])
        .output()
        .unwrap();
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(shown.contains("sheet «Сделки»"), "{shown}");
    assert!(shown.contains(&format!("note: {note}")), "{shown}");
    // Named, a hidden sheet is read.
    let report = json_in(
        dir.path(),
        &["deals.xlsx", "--sheet", "Старое", "--as-of", AS_OF],
    );
    assert_eq!(ids(&report, "missing-contact-name"), ["1401"]);
}

#[test]
fn a_bad_date_in_an_xlsx_names_the_excel_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    header(sheet);
    task_row(sheet, 1, "T-1", 101.0, |s, r, c| {
        s.write_string(r, c, "30.11.2026 10:00").unwrap();
    });
    task_row(sheet, 2, "T-2", 102.0, |s, r, c| {
        s.write_string(r, c, "32.13.2026").unwrap();
    });
    book.save(dir.path().join("tasks.xlsx")).unwrap();
    let stderr = error_of(dir.path(), &["tasks.xlsx", "--strict", "--as-of", AS_OF]);
    assert!(
        stderr.starts_with(
            "crm-audit: error: tasks.xlsx, row 3, column \"Срок\" (E): `32.13.2026` is not a date"
        ),
        "{stderr}"
    );
    // Without --strict, T-2's finding names the sheet's row as Excel does.
    let report = json_in(dir.path(), &["tasks.xlsx", "--as-of", AS_OF]);
    let message = text(&violation(&report, "unreadable-value", "T-2")["message"]);
    assert!(
        message.contains("tasks.xlsx, row 3, column \"Срок\" (E): `32.13.2026` is not a date"),
        "{message}"
    );
}

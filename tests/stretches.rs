//! Reading files in pieces on several threads must give the report one
//! reader gives: every record, line number, skipped row, merged repeat and
//! error the same. The fixtures are small, so they are cut into stretches
//! of a few bytes (sheets into runs of a few rows), which puts cuts inside
//! quoted line breaks, between the rows of a repeated deal and right after
//! the header.

use crm_audit::report::{render, Format, RenderOptions};
use crm_audit::rules::RuleSet;
use crm_audit::{audit, input, inspect, report};
use std::path::PathBuf;

fn as_of() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap()
}

/// The JSON report and the JSON inspection of `paths`, or the error.
fn read(paths: &[&str], options: &input::LoadOptions) -> Result<String, String> {
    let rules = RuleSet::builtin();
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let files = input::discover(&paths).map_err(|e| format!("{e:#}"))?;
    let data = input::load(&files, &rules, options).map_err(|e| format!("{e:#}"))?;
    let outcome = audit::run(&data, &rules, as_of());
    let report = report::build(&data, &rules, &outcome, as_of(), &[]).unwrap();
    let mut out = Vec::new();
    render(&report, Format::Json, RenderOptions::default(), &mut out).unwrap();
    let inspection = serde_json::to_string_pretty(&inspect::inspect(&data, &rules)).unwrap();
    Ok(String::from_utf8(out).unwrap() + &inspection)
}

fn assert_pieces_read_as_whole(paths: &[&str]) {
    assert_pieces_read_as_whole_with(paths, false);
}

/// As `assert_pieces_read_as_whole`, an unreadable value an error when
/// `strict`.
fn assert_pieces_read_as_whole_with(paths: &[&str], strict: bool) {
    // Read whole: a file under 1 MiB (the least step a file is cut at when
    // the step asked is larger) is one stretch.
    for path in paths {
        let path = std::path::Path::new(path);
        let files: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
            Err(_) => vec![path.to_path_buf()],
        };
        for file in files {
            let size = std::fs::metadata(&file).map_or(0, |m| m.len());
            assert!(
                size < 1024 * 1024,
                "{} is too large to be read whole",
                file.display()
            );
        }
    }
    let whole = read(
        paths,
        &input::LoadOptions {
            threads: 1,
            stretch_bytes: u64::MAX / 2,
            sheet_rows: usize::MAX,
            strict,
            ..Default::default()
        },
    );
    let cuts = [
        (1, 1),
        (2, 2),
        (5, 3),
        (13, 7),
        (64, 64),
        (256, 1000),
        (4096, 1),
    ];
    for (stretch_bytes, sheet_rows) in cuts {
        for threads in [1, 2, 3] {
            let options = input::LoadOptions {
                threads,
                stretch_bytes,
                sheet_rows,
                strict,
                ..Default::default()
            };
            assert_eq!(
                read(paths, &options),
                whole,
                "{paths:?} in stretches of {stretch_bytes} bytes or {sheet_rows} rows on {threads} threads"
            );
        }
    }
}

#[test]
fn the_amocrm_example_from_csv() {
    assert_pieces_read_as_whole(&[
        "examples/amocrm/source/deals.csv",
        "examples/amocrm/tasks.csv",
        "examples/amocrm/calls.csv",
        "examples/amocrm/call_reviews.csv",
    ]);
}

#[test]
fn the_amocrm_example_from_its_workbook() {
    assert_pieces_read_as_whole(&["examples/amocrm"]);
}

#[test]
fn the_bitrix24_example_and_a_telephony_log() {
    assert_pieces_read_as_whole(&[
        "tests/fixtures/formats/bitrix_deals.csv",
        "tests/fixtures/formats/sipuni_calls.csv",
        "tests/fixtures/formats/sipuni_calls_named.csv",
        "examples/bitrix24",
    ]);
}

#[test]
fn product_rows_cut_apart_add_up_as_one_reader_adds_them() {
    // A deal's product rows fall into different stretches: the budget is
    // still their sum, and the same export again adds nothing.
    assert_pieces_read_as_whole(&[
        "tests/fixtures/formats/bitrix_deals_products.csv",
        "tests/fixtures/formats/bitrix_deals_products.xls",
    ]);
}

#[test]
fn every_core_fixture_alone() {
    let mut files: Vec<String> = std::fs::read_dir("tests/fixtures/core")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.len() > 15, "the fixtures are there");
    for file in &files {
        assert_pieces_read_as_whole(&[file]);
    }
}

#[test]
fn an_error_names_the_same_line_when_read_in_pieces() {
    // With --strict the bad date is an error; without, T-2's finding.
    let strict = input::LoadOptions {
        strict: true,
        ..Default::default()
    };
    let whole = read(&["tests/fixtures/core/tasks_bad_date.csv"], &strict);
    let error = whole.clone().unwrap_err();
    assert!(error.contains(", line "), "{error}");
    assert_pieces_read_as_whole_with(&["tests/fixtures/core/tasks_bad_date.csv"], true);
    assert_pieces_read_as_whole(&["tests/fixtures/core/tasks_bad_date.csv"]);
}

#[test]
fn notes_that_look_like_records_mislead_the_cuts() {
    // Notes quoting whole lines of the export (as someone pasting rows into
    // a note does) look like records to the cutter, so cuts land inside
    // them: the readers before read on, and nothing changes.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deals.csv");
    let mut text = String::from(
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Примечание 1\n",
    );
    let pasted = "9999,Копия,Иван,Петров Олег,Счет,x";
    for i in 0..60 {
        let note = match i % 3 {
            0 => format!("\"Скопировал:\n{pasted}\n{pasted}\n{pasted}\""),
            1 => "\"Перезвонить,\nпосле 14:00\"".to_string(),
            _ => String::new(),
        };
        text.push_str(&format!(
            "{},Радиаторы,Иван {i},Иванова Мария,Счет,{note}\n",
            1300 + i
        ));
    }
    std::fs::write(&path, text).unwrap();
    assert_pieces_read_as_whole(&[path.to_str().unwrap()]);
}

#[test]
fn deals_repeated_across_files_merge_into_the_first() {
    assert_pieces_read_as_whole(&[
        "tests/fixtures/core/deals_plain.csv",
        "tests/fixtures/core/deals_plain.csv",
        "tests/fixtures/core/tasks_for_deals.csv",
    ]);
}

#[test]
fn an_unreadable_cell_in_a_late_piece_is_the_same_finding() {
    // deals_unreadable.csv: `50%` on line 2, `-` on line 4, and `нет` on
    // line 7, a product row of the deal on line 6: cut finely, the last
    // lands in a piece of its own and is merged across the cut.
    let path = "tests/fixtures/core/deals_unreadable.csv";
    let whole = read(&[path], &input::LoadOptions::default()).unwrap();
    for cell in [
        "deals_unreadable.csv, line 2, column \\\"Оплачено\\\" (H): `50%`",
        "deals_unreadable.csv, line 4, column \\\"Бюджет\\\" (G): `-`",
        "deals_unreadable.csv, line 7, column \\\"Оплачено\\\" (H): `нет`",
    ] {
        assert!(whole.contains(cell), "{cell} in\n{whole}");
    }
    assert_pieces_read_as_whole(&[path]);
    // A task list's, the same: `вчера` on line 6, the last.
    let path = "tests/fixtures/core/tasks_unreadable.csv";
    let whole = read(&[path], &input::LoadOptions::default()).unwrap();
    let cell = "tasks_unreadable.csv, line 6, column \\\"Дата выполнения\\\" (G): `вчера`";
    assert!(whole.contains(cell), "{cell} in\n{whole}");
    assert_pieces_read_as_whole(&[path]);
}

#[test]
fn a_quote_never_closed_is_the_same_error_in_pieces() {
    // Line 4 opens a quote nothing closes: every stretch cut after it
    // starts inside the quoted field; the reader of line 4 reads on to the
    // end of the file and names line 4, whatever the cuts.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deals.csv");
    let mut text = String::from("ID,Название сделки,Основной контакт,Ответственный,Этап сделки\n");
    for i in 0..40 {
        let contact = if i == 2 { "\"Иван" } else { "Иван" };
        text.push_str(&format!(
            "{},Радиаторы,{contact},Иванова Мария,Счет\n",
            1300 + i
        ));
    }
    std::fs::write(&path, text).unwrap();
    let error = read(&[path.to_str().unwrap()], &input::LoadOptions::default()).unwrap_err();
    assert!(
        error.ends_with("deals.csv, line 4: a quote (\") opened on this line is never closed: the rest of the file would be read as one cell; close the quote (a quote inside a quoted cell is written twice: \"\")"),
        "{error}"
    );
    assert_pieces_read_as_whole(&[path.to_str().unwrap()]);
}

#[test]
fn an_unreadable_call_in_a_late_piece_is_the_same_finding() {
    // A Sipuni log of 60 calls with `EXT (Name)` callers: the short name
    // «Нурмагамбетова» is settled with the deals' «Айгерим
    // Нурмагамбетова» once every piece is read. Line 58 is her call timed
    // `вчера`: cut finely, it lands in a late piece, and is still the one
    // finding naming line 58, with its manager settled.
    let dir = tempfile::tempdir().unwrap();
    let deals = dir.path().join("deals.csv");
    std::fs::write(
        &deals,
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки\n\
         7001,Котёл,Орлов Игорь,Айгерим Нурмагамбетова,Счет\n\
         7002,Бойлер,Зайцева Ольга,Петров Иван,Счет\n",
    )
    .unwrap();
    let calls = dir.path().join("calls.csv");
    let mut text =
        String::from("\u{feff}Тип;Статус;Время;Откуда;Куда;Кто ответил;Длительность разговора\n");
    for line in 2..=61 {
        let (time, from) = match line {
            58 => ("вчера".to_string(), "202 (Нурмагамбетова)"),
            _ if line % 2 == 0 => (
                format!("26.11.2026 10:{:02}:00", line - 2),
                "202 (Нурмагамбетова)",
            ),
            _ => (
                format!("26.11.2026 11:{:02}:00", line - 2),
                "201 (Петров Иван)",
            ),
        };
        text.push_str(&format!(
            "Исходящий;Отвечен;{time};{from};79165551234;;45\n"
        ));
    }
    std::fs::write(&calls, text).unwrap();
    let paths = [deals.to_str().unwrap(), calls.to_str().unwrap()];
    let whole = read(&paths, &input::LoadOptions::default()).unwrap();
    let cell = "calls.csv, line 58, column \\\"Время\\\" (C): `вчера` is not a date";
    assert!(whole.contains(cell), "{cell} in\n{whole}");
    assert!(
        whole.contains("\"manager\": \"Айгерим Нурмагамбетова\",\n      \"entity\": {\n        \"kind\": \"call\""),
        "{whole}"
    );
    assert_pieces_read_as_whole(&paths);
}

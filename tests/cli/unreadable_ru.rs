//! An unreadable cell in a Russian report (`--lang ru`) is named in
//! Russian: its file, `строка N`, `столбец «Заголовок» (X)`, the text in
//! «ёлочках» and what was expected, for each kind of value a hand-written
//! export can get wrong. The JSON's `details.cells` keep the English
//! description (a machine field, as the skipped rows' `reason`), and an
//! error that ends the run stays English on standard error.
//!
//! The message of `unreadable-value` in Russian is the rule set's
//! `message-ru` («значение не удалось прочитать, …: {cells}»), its cells
//! parted by `; `.

use crate::support::*;
use serde_json::Value;

const PREFIX: &str =
    "значение не удалось прочитать, поэтому правила, которые его читают, эту запись не проверяли: ";

/// The report of `args` in Russian, as JSON.
fn russian(dir: &std::path::Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--lang", "ru", "--as-of", AS_OF]);
    json_in(dir, &all)
}

fn message(report: &Value, id: &str) -> String {
    text(&violation(report, "unreadable-value", id)["message"])
}

#[test]
fn an_amount_that_is_no_amount_is_named_in_russian() {
    // deals_unreadable.csv (see tests/cli/unreadable.rs): deal 2001's
    // `Оплачено`, column H of line 2, is `50%`; 2005's product row, line
    // 7, has `нет` there.
    let report = russian(&fixtures(), &["deals_unreadable.csv"]);
    assert_eq!(
        message(&report, "2001"),
        format!(
            "{PREFIX}deals_unreadable.csv, строка 2, столбец «Оплачено» (H): «50%» — не сумма; \
             ожидается число, например 150000, 150 000,50, 1,234,567.89, 150 000 ₽, \
             150 000 руб., 150000 RUB или $1,200"
        )
    );
    assert!(
        message(&report, "2005")
            .contains("deals_unreadable.csv, строка 7, столбец «Оплачено» (H): «нет» — не сумма"),
        "{}",
        message(&report, "2005")
    );
    // The JSON's cells stay the English machine text.
    assert_eq!(
        violation(&report, "unreadable-value", "2001")["details"]["cells"][0],
        "deals_unreadable.csv, line 2, column \"Оплачено\" (H): `50%` is not an amount; \
         expected a number such as 150000, 150 000,50, 1,234,567.89, 150 000 ₽, 150 000 руб., \
         150000 RUB or $1,200"
    );
}

#[test]
fn a_date_and_a_yes_no_that_cannot_be_read_are_named_in_russian() {
    // tasks_unreadable.csv: T-1's `Срок` (E, line 2) is `завтра`; T-2's
    // `Выполнена` (F, line 3) is `?`; T-5's `Дата выполнения` (G, line 6)
    // is `вчера`.
    let report = russian(&fixtures(), &["tasks_unreadable.csv"]);
    assert_eq!(
        message(&report, "T-1"),
        format!(
            "{PREFIX}tasks_unreadable.csv, строка 2, столбец «Срок» (E): «завтра» — не дата; \
             ожидается, например, 26.11.2026 14:30, 26.11.2026, 2026-11-26T14:30:00 или номер \
             дня Excel"
        )
    );
    assert_eq!(
        message(&report, "T-2"),
        format!(
            "{PREFIX}tasks_unreadable.csv, строка 3, столбец «Выполнена» (F): «?» — не «да» или \
             «нет»; ожидается Да/Нет, true/false, 1/0, yes/no, y/n, +/-, ✓, Выполнена, \
             Завершена или Не выполнена"
        )
    );
    assert!(
        message(&report, "T-5").contains(
            "tasks_unreadable.csv, строка 6, столбец «Дата выполнения» (G): «вчера» — не дата"
        ),
        "{}",
        message(&report, "T-5")
    );
}

#[test]
fn a_duration_that_cannot_be_read_is_named_in_russian() {
    // A quota counting calls of 30 s or more reads each call's
    // `Длительность` (E): `1:75` on line 2 has 75 seconds past a minute,
    // no duration.
    let log = "Дата,Ответственный,Направление,Статус,Длительность\n\
               26.11.2026 09:00:00,Иванова Мария,Исходящий,Отвечен,1:75\n\
               26.11.2026 09:10:00,Иванова Мария,Исходящий,Отвечен,95\n";
    let rules = "extends = \"builtin\"\n[rules.daily-call-quota]\nmin-duration-seconds = 30\n";
    let dir = folder_with(&[
        ("calls.csv", log.as_bytes()),
        ("company.toml", rules.as_bytes()),
    ]);
    let report = russian(dir.path(), &["calls.csv", "--rules", "company.toml"]);
    assert_eq!(
        message(&report, "calls.csv:2"),
        format!(
            "{PREFIX}calls.csv, строка 2, столбец «Длительность» (E): «1:75» — не длительность; \
             ожидается длительность в секундах (75 или 75,4), м:сс (1:15) или ч:мм:сс (01:02:03)"
        )
    );
}

#[test]
fn a_review_mark_that_cannot_be_read_is_named_in_russian() {
    // C-1's `Презентация продукта` (H, line 2) is `может быть`; C-2,
    // whole, keeps the sheet from being all unreadable (an error then).
    let reviews = "\
ID звонка,Дата звонка,Менеджер,Тип звонка,Приветствие,Установление контакта,Квалификация и выявление потребности,Презентация продукта,Предложение под потребность,Отработка возражений,Закрывающий вопрос
C-1,26.11.2026 10:00,Иванова Мария,база,+,+,+,может быть,,+,+
C-2,26.11.2026 11:00,Иванова Мария,база,+,+,+,+,,+,+
";
    let dir = folder_with(&[("call_reviews.csv", reviews.as_bytes())]);
    let report = russian(dir.path(), &["call_reviews.csv"]);
    assert_eq!(
        message(&report, "C-1"),
        format!(
            "{PREFIX}call_reviews.csv, строка 2, столбец «Презентация продукта» (H): «может быть» \
             — не отметка; поставьте +, 1, да или ✓ либо оставьте ячейку пустой"
        )
    );
}

/// A task list workbook (`ID`, `Срок`, `Выполнена`, `Ответственный`):
/// task 1 due 26.11.2026 (serial 46352), task 2 as `edit` writes row 3.
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
fn a_workbook_date_before_excels_first_day_is_named_in_russian() {
    // Task 2's `Срок` (B, row 3) is a date cell holding serial 0, which
    // Excel shows as 00.01.1900: no day of its calendar.
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    let book = task_book(|sheet| {
        sheet.write_number_with_format(2, 1, 0.0, &date).unwrap();
    });
    let dir = folder_with(&[("tasks.xlsx", &book)]);
    let report = russian(dir.path(), &["tasks.xlsx"]);
    assert_eq!(
        message(&report, "2"),
        format!(
            "{PREFIX}tasks.xlsx, строка 3, столбец «Срок» (B): «0» — не номер дня Excel; \
             ожидается число от 1 (01.01.1900) до 2958465 (31.12.9999)"
        )
    );
}

#[test]
fn two_cells_of_one_record_are_parted_by_semicolons() {
    // Deal 3001 (line 2) has `50%` as its `Оплачено` (H) and `-` as its
    // `Бюджет` (G): two cells, each with commas of its own (the rule's
    // fields are read before the budget, so `Оплачено` comes first). Deal 3002,
    // whole, keeps the file from being all unreadable (an error then).
    let deals = "ID,Название сделки,Основной контакт,Рабочий телефон (контакт),Ответственный,Этап сделки,Бюджет,Оплачено\n\
                 3001,Котёл,Орлов Игорь,+7 927 123-45-67,Иванова Мария,Заказ оплачен / предоплачен,-,50%\n\
                 3002,Бойлер,Зайцева Ольга,+7 927 765-43-21,Иванова Мария,Заказ оплачен / предоплачен,100000,60000\n";
    let dir = folder_with(&[("deals.csv", deals.as_bytes())]);
    let report = russian(dir.path(), &["deals.csv"]);
    let message = message(&report, "3001");
    assert!(
        message.contains(
            "deals.csv, строка 2, столбец «Оплачено» (H): «50%» — не сумма; ожидается число, \
             например 150000, 150 000,50, 1,234,567.89, 150 000 ₽, 150 000 руб., 150000 RUB или \
             $1,200; deals.csv, строка 2, столбец «Бюджет» (G): «-» — не сумма"
        ),
        "{message}"
    );
}

#[test]
fn every_human_format_says_the_cell_in_russian() {
    for format in ["table", "markdown", "html", "csv"] {
        let (code, stdout, stderr) = audit(&[
            "deals_unreadable.csv",
            "--lang",
            "ru",
            "--as-of",
            AS_OF,
            "--format",
            format,
        ]);
        assert_eq!((code, stderr.as_str()), (1, ""), "{format}");
        assert!(
            stdout.contains("столбец «Оплачено» (H): «50%» — не сумма"),
            "{format}: {stdout}"
        );
        // CSV's `details` column keeps the English machine text.
        if format != "csv" {
            assert!(!stdout.contains("is not an amount"), "{format}: {stdout}");
        }
    }
}

#[test]
fn english_reports_and_errors_stay_as_they_were() {
    // The English message, whole, as before the cells were kept as data.
    let report = json(&["deals_unreadable.csv", "--as-of", AS_OF]);
    assert_eq!(
        message(&report, "2001"),
        "a value cannot be read, so the rules reading it did not judge this record: \
         deals_unreadable.csv, line 2, column \"Оплачено\" (H): `50%` is not an amount; \
         expected a number such as 150000, 150 000,50, 1,234,567.89, 150 000 ₽, 150 000 руб., \
         150000 RUB or $1,200"
    );
    // An error ending the run is English in a Russian run too: --strict,
    // and a direction no list knows (which always ends it).
    let e = error_of(
        &fixtures(),
        &[
            "deals_unreadable.csv",
            "--strict",
            "--lang",
            "ru",
            "--as-of",
            AS_OF,
        ],
    );
    assert!(
        e.starts_with(
            "crm-audit: error: deals_unreadable.csv, line 2, column \"Оплачено\" (H): `50%` is \
             not an amount; expected"
        ),
        "{e}"
    );
    let log = "Дата,Ответственный,Направление,Статус\n\
               26.11.2026 09:00:00,Иванова Мария,Туда-сюда,Отвечен\n";
    let dir = folder_with(&[("calls.csv", log.as_bytes())]);
    let e = error_of(dir.path(), &["calls.csv", "--lang", "ru", "--as-of", AS_OF]);
    assert!(
        e.starts_with(
            "crm-audit: error: calls.csv, line 2, column \"Направление\" (C): `Туда-сюда` is not \
             a call direction; expected in, inbound,"
        ),
        "{e}"
    );
    assert!(
        e.trim_end()
            .ends_with("or the word added to the rule set's [values.call-direction]"),
        "{e}"
    );
}

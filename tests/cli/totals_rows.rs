//! A totals line under an export (`Итого` and the budgets' sum), added by a
//! person or a spreadsheet, is no deal. Before, it was audited as a deal of
//! "(unassigned)" with no task, phone, contact or stage: four violations,
//! and the department's compliance halved.

use crate::support::*;

/// One open task for deal 1 due after the audit moment, so the only deal
/// has nothing to report.
const TASKS: &str = "\
ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания
T1;1;Иванова Мария;Звонок;30.11.2026 10:00;Нет;;;26.11.2026 10:00
";

const HEADER: [&str; 7] = [
    "ID",
    "Название сделки",
    "Основной контакт",
    "Ответственный",
    "Этап сделки",
    "Бюджет",
    "Рабочий телефон (контакт)",
];

/// Deal 1 is clean; lines 3 and 4 are no deals: nothing is found, one
/// deal is audited and the two lines are skipped with their reasons.
fn assert_only_the_deal_is_read(dir: &std::path::Path, deals: &str, rows: (u64, u64)) {
    let report = json_in(dir, &[deals, "tasks.csv", "--as-of", AS_OF]);
    assert_eq!(report["violations"], serde_json::json!([]));
    let input = input(&report, deals);
    assert_eq!(input["rows"], 3);
    assert_eq!(input["audited"], 1);
    assert_eq!(
        skipped(input),
        [
            ("row with no deal data".to_string(), 1, vec![rows.1]),
            ("totals row".to_string(), 1, vec![rows.0]),
        ]
    );
    assert_eq!(report["totals"]["compliance_rate"], 1.0);
}

#[test]
fn a_csv_totals_line_is_skipped() {
    // Line 3: `Итого` in the ID column and the budgets' sum; line 4: a sum
    // alone, with no ID, name, responsible or stage.
    let deals = format!(
        "{}\n\
         1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67\n\
         Итого,,,,,1000,\n\
         ,,,,,\"1 000\",\n",
        HEADER.join(",")
    );
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    assert_only_the_deal_is_read(dir.path(), "deals.csv", (3, 4));
}

#[test]
fn a_bitrix24_html_totals_line_is_skipped() {
    // Bitrix24's "Excel" export with a totals row a person added: `Всего:`
    // spanning the first four columns, then the sum.
    let deals = "\u{feff}<meta http-equiv=\"Content-type\" content=\"text/html;charset=UTF-8\" />
<table border=\"1\">
<thead>
<tr><th>ID</th><th>Название сделки</th><th>Стадия сделки</th><th>Сумма</th><th>Ответственный</th><th>Контакт</th><th>Контакт: Рабочий телефон</th></tr>
</thead>
<tbody>
<tr><td>1</td><td>Радиаторы</td><td>Новая</td><td>1000</td><td>Иванова Мария</td><td>Орлов Игорь</td><td>+7 927 123-45-67</td></tr>
<tr><td colspan=\"3\">Всего:</td><td>1000</td><td></td><td></td><td></td></tr>
<tr><td></td><td></td><td></td><td>1000.00</td><td></td><td></td><td></td></tr>
</tbody></table>
";
    let dir = folder_with(&[
        ("deals.xls", deals.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    assert_only_the_deal_is_read(dir.path(), "deals.xls", (3, 4));
}

#[test]
fn an_xlsx_totals_line_is_skipped() {
    // Row 3: `ИТОГО` in the name column, the sum a number cell; row 4: the
    // sum alone. Excel numbers the rows as the CSV lines are numbered.
    let dir = folder_with(&[("tasks.csv", TASKS.as_bytes())]);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let deal = [
        "1",
        "Д1",
        "Орлов Игорь",
        "Иванова Мария",
        "Новая заявка",
        "1000",
        "+7 927 123-45-67",
    ];
    for (c, (title, value)) in HEADER.iter().zip(deal).enumerate() {
        sheet.write_string(0, c as u16, *title).unwrap();
        sheet.write_string(1, c as u16, value).unwrap();
    }
    sheet.write_string(2, 1, "ИТОГО").unwrap();
    sheet.write_number(2, 5, 1000.0).unwrap();
    sheet.write_number(3, 5, 1000.0).unwrap();
    book.save(dir.path().join("deals.xlsx")).unwrap();
    assert_only_the_deal_is_read(dir.path(), "deals.xlsx", (3, 4));
}

#[test]
fn a_row_with_a_name_but_no_id_is_still_a_deal_row_without_an_id() {
    // A deal someone typed in without its ID is no totals line: it is
    // skipped as it always was, and not as a totals row, though it holds
    // `Сумма` as its name.
    let deals = format!(
        "{}\n\
         1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67\n\
         ,Сумма,Орлов Игорь,Иванова Мария,Новая заявка,1000,\n",
        HEADER.join(",")
    );
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    let report = json_in(dir.path(), &["deals.csv", "tasks.csv", "--as-of", AS_OF]);
    let input = input(&report, "deals.csv");
    assert_eq!(
        skipped(input),
        [("deal row without an ID".to_string(), 1, vec![3])]
    );
}

#[test]
fn a_totals_line_with_words_after_the_word_or_the_managers_name_is_skipped() {
    // Line 3: `Итого по менеджеру` in the ID column, Иванова's name in the
    // responsible's and her budgets' sum; line 4: `Итого` as the name, the
    // ID empty, her name and the sum; line 5: `Всего сделок: 1` and the
    // sum. None is a deal: before, lines 3 and 5 were audited as deals
    // `Итого по менеджеру` (hers) and `Всего сделок: 1` (no one's) with no
    // contact, phone, stage or task.
    let deals = format!(
        "{}\n\
         1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67\n\
         Итого по менеджеру,,,Иванова Мария,,1000,\n\
         ,Итого,,Иванова Мария,,1000,\n\
         Всего сделок: 1,,,,,\"1 000,00\",\n",
        HEADER.join(",")
    );
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    let report = json_in(dir.path(), &["deals.csv", "tasks.csv", "--as-of", AS_OF]);
    assert_eq!(report["violations"], serde_json::json!([]));
    let input = input(&report, "deals.csv");
    assert_eq!(input["audited"], 1);
    assert_eq!(
        skipped(input),
        [("totals row".to_string(), 3, vec![3, 4, 5])]
    );
}

#[test]
fn a_deal_named_like_a_totals_line_with_an_id_is_audited() {
    // Deals 2 `Итого` and 3 `Сумма по договору` have IDs, a stage and a
    // responsible: real deals, with no contact's name, no phone and no task
    // (deal 1 has T1): each is blamed for all three.
    let deals = format!(
        "{}\n\
         1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67\n\
         2,Итого,,Иванова Мария,Новая заявка,1000,\n\
         3,Сумма по договору,,Иванова Мария,Новая заявка,1000,\n",
        HEADER.join(",")
    );
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    let report = json_in(dir.path(), &["deals.csv", "tasks.csv", "--as-of", AS_OF]);
    assert_eq!(input(&report, "deals.csv")["audited"], 3);
    for rule in ["deal-without-task", "missing-phone", "missing-contact-name"] {
        assert_eq!(ids(&report, rule), ["2", "3"], "{rule}");
    }
}

//! The inputs section in the reader's language: every reason a row is
//! skipped, every note on a file and every reason a folder's file is not
//! read, in Russian in a Russian report, while the JSON's `reason` of a
//! skip stays the English machine text scripts count rows by.
//!
//! Each case is a small hand-written export (or a fixture of
//! `tests/fixtures/formats`) audited as of 27.11.2026 02:00; the rows
//! skipped are worked out in the comment beside each.

use crate::support::*;
use std::path::Path;

fn formats(name: &str) -> String {
    format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The "Входные файлы" section of the Russian table report of `args` run
/// in `dir` (up to the first blank line after it).
fn russian_inputs(dir: &Path, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--as-of", AS_OF, "--lang", "ru"]);
    let (code, stdout, stderr) = audit_in(dir, &all);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    let start = stdout
        .find("Входные файлы:\n")
        .unwrap_or_else(|| panic!("no inputs section:\n{stdout}"));
    let section = &stdout[start..];
    let end = section.find("\n\n").unwrap_or(section.len());
    section[..end].to_string()
}

/// Asserts that `section` holds each of `said` and none of `unsaid` (the
/// English of the same reasons).
fn says(section: &str, said: &[&str], unsaid: &[&str]) {
    for text in said {
        assert!(section.contains(text), "«{text}» missing from:\n{section}");
    }
    for text in unsaid {
        assert!(!section.contains(text), "«{text}» (English) in:\n{section}");
    }
}

/// An amoCRM deal export: 1701 on line 2; line 3 a row of empty cells;
/// line 4 a deal with no ID; line 5 repeats 1701 (no product column: the
/// same deal written again). Rows 4, audited 1, skipped 3.
const DEALS: &str = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки
1701,Радиаторы для коттеджа,Орлов Игорь,Иванова Мария,Счет
,,,,
,Батареи в офис,Зайцева Ольга,Петров Алексей,Счет
1701,Радиаторы для коттеджа,Орлов Игорь,Иванова Мария,Счет
";

#[test]
fn deal_rows_are_skipped_for_reasons_in_russian() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let section = russian_inputs(dir.path(), &["deals.csv"]);
    says(
        &section,
        &[
            "deals.csv: сделки, строк: 4 (проверено 1, 3 пропущено: ",
            "1 пустая строка",
            "1 строка сделки без ID",
            "1 повторяет ID уже прочитанной сделки (та же сделка выгружена ещё раз)",
        ],
        &["empty row", "without an ID", "repeats a deal ID"],
    );
}

#[test]
fn the_json_keeps_the_english_reason_in_a_russian_report() {
    // The machine field: a script counting skipped rows by reason reads the
    // same text whatever the report's language.
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let report = json_in(dir.path(), &["deals.csv", "--as-of", AS_OF, "--lang", "ru"]);
    assert_eq!(report["language"], "ru");
    assert_eq!(
        skipped(input(&report, "deals.csv")),
        [
            ("deal row without an ID".to_string(), 1, vec![4]),
            ("empty row".to_string(), 1, vec![3]),
            (
                "repeats a deal ID read before (the same deal exported again)".to_string(),
                1,
                vec![5]
            ),
        ]
    );
}

#[test]
fn the_markdown_lists_the_skipped_rows_in_russian() {
    // The same three skipped rows, each with its line, in the Markdown's
    // inputs table (HTML and XLSX write the same text).
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let (code, md, stderr) = audit_in(
        dir.path(),
        &[
            "deals.csv",
            "--as-of",
            AS_OF,
            "--lang",
            "ru",
            "-f",
            "markdown",
        ],
    );
    assert!(code == 0 || code == 1, "{stderr}");
    says(
        &md,
        &[
            "1 строка сделки без ID (строка 4)",
            "1 пустая строка (строка 3)",
        ],
        &["deal row without an ID", "empty row"],
    );
}

#[test]
fn a_lead_row_without_an_id_is_skipped_in_russian() {
    // bitrix_leads.csv with its first lead's ID emptied (line 2).
    let leads = std::fs::read_to_string(formats("bitrix_leads.csv"))
        .unwrap()
        .replacen("\"501\";", "\"\";", 1);
    let dir = folder_with(&[("leads.csv", leads.as_bytes())]);
    let section = russian_inputs(dir.path(), &["leads.csv"]);
    says(&section, &["1 строка лида без ID"], &["lead row without"]);
}

#[test]
fn product_rows_are_skipped_in_russian() {
    // bitrix_deals_products.csv: deal 201 on three product rows (lines
    // 2-4), 202 on one (line 5): lines 3 and 4 are 201's products.
    let section = russian_inputs(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[&formats("bitrix_deals_products.csv")],
    );
    says(
        &section,
        &["2 повторяет ID уже прочитанной сделки (строка товара этой сделки)"],
        &["product row"],
    );
}

#[test]
fn a_repeated_task_is_skipped_in_russian() {
    // T-1 on lines 2 and 3 (overlapping exports): line 3 is the repeat.
    let tasks = "ID;ID сделки;Ответственный;Срок;Выполнена\n\
                 T-1;1701;Иванова Мария;30.11.2026 10:00;Нет\n\
                 T-1;1701;Иванова Мария;30.11.2026 10:00;Нет\n";
    let deals = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки\n\
                 1701,Радиаторы,Орлов Игорь,Иванова Мария,Счет\n";
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("tasks.csv", tasks.as_bytes()),
    ]);
    let section = russian_inputs(dir.path(), &["deals.csv", "tasks.csv"]);
    says(
        &section,
        &["1 повторяет ID уже прочитанной задачи (выгрузки пересекаются)"],
        &["overlapping exports"],
    );
}

#[test]
fn calls_without_a_time_a_direction_or_a_known_extension_are_skipped_in_russian() {
    // Line 2 has no time, line 3 no direction, line 4 an extension (105)
    // no roster names; line 5 is Иванова's call, read.
    let calls = "Дата,Ответственный,Направление,Статус\n\
                 ,Иванова Мария,Исходящий,Отвечен\n\
                 26.11.2026 10:00:00,Иванова Мария,,Отвечен\n\
                 26.11.2026 11:00:00,105,Исходящий,Отвечен\n\
                 26.11.2026 12:00:00,Иванова Мария,Исходящий,Отвечен\n";
    let dir = folder_with(&[("calls.csv", calls.as_bytes())]);
    let section = russian_inputs(dir.path(), &["calls.csv"]);
    says(
        &section,
        &[
            "calls.csv: звонки, строк: 4 (проверено 1, 3 пропущено: ",
            "1 звонок без времени",
            "1 звонок без направления",
            "1 добавочного 105 нет в списке менеджеров",
        ],
        &["call without", "managers roster"],
    );
}

#[test]
fn a_queue_where_a_person_should_be_is_skipped_in_russian() {
    // sipuni_calls_named.csv: line 5's `envyz` (a voice-menu scenario) and
    // line 9's `Отдел продаж` (a group) are no one.
    let section = russian_inputs(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[&formats("sipuni_calls_named.csv")],
    );
    says(
        &section,
        &[
            "1 «envyz» — не человек (очередь, группа или сценарий?)",
            "1 «Отдел продаж» — не человек (очередь, группа или сценарий?)",
        ],
        &["is not a person"],
    );
}

/// Sipuni's 24-column header and one answered outgoing call on 26.11.2026
/// at 10:00 from `caller` (line 2).
fn sipuni_call(caller: &str) -> String {
    format!(
        "Тип;Статус;Время;ID схемы звонка;Схема;Исходящая линия;Откуда;Куда;Кто ответил;\
         Длительность звонка;Длительность разговора;Время ответа;Оценка;ID записи;Метка;Теги;\
         Инициатор завершения звонка;ID заказа звонка;Запись существует;Новый клиент;\
         Состояние перезвона;Время перезвона;Информация из CRM;Ответственный из CRM;\n\
         Исходящий;Отвечен;26.11.2026 10:00:00;;;74951234567;{caller};79165551234;79165551234;\
         95;81;;;;;;Клиент;;Да;Нет;;;;;\n"
    )
}

#[test]
fn a_name_in_brackets_no_manager_has_is_skipped_in_russian() {
    // The deals name Мария and Ольга Иванова. `294 (Mega)` is neither;
    // `205 (Иванова)` may be either: both calls are skipped, each saying why.
    let deals = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки\n\
                 1,Сделка 1,Клиент 1,Мария Иванова,Счет\n\
                 2,Сделка 2,Клиент 2,Ольга Иванова,Счет\n";
    let mega = sipuni_call("294 (Mega)");
    let both = sipuni_call("205 (Иванова)");
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("mega.csv", mega.as_bytes()),
        ("both.csv", both.as_bytes()),
    ]);
    let section = russian_inputs(dir.path(), &["deals.csv", "mega.csv", "both.csv"]);
    says(
        &section,
        &[
            "1 добавочный 294 (Mega): «Mega» нет среди менеджеров прочитанных сделок и задач",
            "1 добавочный 205 (Иванова): «Иванова» может быть любым из менеджеров \
             прочитанных сделок и задач: Мария Иванова, Ольга Иванова",
        ],
        &["is no manager", "may be any of"],
    );
}

#[test]
fn a_contact_without_a_name_is_skipped_in_russian() {
    // Line 3 of the contacts has no name.
    let contacts = "ID,Тип,Наименование,Компания,Рабочий телефон,Мобильный телефон,Рабочий email\n\
                    501,контакт,Орлов Игорь,ООО Тепло,,+7 927 555-66-77,orlov@example.ru\n\
                    502,контакт,,,,+7 927 555-66-78,\n";
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("contacts.csv", contacts.as_bytes()),
    ]);
    let section = russian_inputs(dir.path(), &["deals.csv", "contacts.csv"]);
    says(&section, &["1 контакт без имени"], &["contact without"]);
}

#[test]
fn a_reviewed_call_without_a_type_is_skipped_in_russian() {
    // Line 3 of the review sheet has no call type.
    let reviews = "ID звонка,Дата звонка,Менеджер,Тип звонка,Приветствие,Установление контакта,\
                   Квалификация и выявление потребности,Презентация продукта,Предложение под потребность,\
                   Отработка возражений,Закрывающий вопрос,Грубость,Нецензурная лексика,Полемика с клиентом\n\
                   5520117,25.11.2026 09:10:14,Волков Сергей,база,+,+,+,+,+,+,+,,,\n\
                   5520118,25.11.2026 09:20:14,Волков Сергей,,+,+,+,+,+,+,+,,,\n";
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("reviews.csv", reviews.as_bytes()),
    ]);
    let section = russian_inputs(dir.path(), &["deals.csv", "reviews.csv"]);
    says(
        &section,
        &["1 проверенный звонок без типа звонка"],
        &["reviewed call without"],
    );
}

#[test]
fn task_link_notes_are_in_russian() {
    // A tracker's task list linking by title: T1 to «Радиаторы А» (one
    // deal: linked), T2 to «Котёл» (no deal has it), T3 to «Батареи» (the
    // title of deals 2 and 3), T4 to two deals at once.
    let deals = "ID,Название сделки,Этап сделки,Ответственный\n\
                 1,Радиаторы А,Счет,Иванова Мария\n\
                 2,Батареи,Счет,Иванова Мария\n\
                 3,Батареи,Счет,Иванова Мария\n";
    let tasks = "ID;Ответственный;Крайний срок;Статус;CRM\n\
                 T1;Иванова Мария;30.11.2026;Новая;Сделка: Радиаторы А;\n\
                 T2;Иванова Мария;30.11.2026;Новая;Сделка: Котёл;\n\
                 T3;Иванова Мария;30.11.2026;Новая;Сделка: Батареи;\n\
                 T4;Иванова Мария;30.11.2026;Новая;\"Сделка: Радиаторы А; Сделка: Батареи;\"\n";
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("tasks.csv", tasks.as_bytes()),
    ]);
    let section = russian_inputs(dir.path(), &["deals.csv", "tasks.csv"]);
    says(
        &section,
        &[
            "    примечание: задача T2: «Котёл» не совпадает ни с одной сделкой\n",
            "    примечание: задача T3: «Батареи» — название 2 сделок; не связана ни с одной сделкой\n",
            "    примечание: задача T4: её ячейка CRM ссылается на 2 сделки; не связана ни с одной сделкой",
        ],
        &["matches no", "is the title of", "CRM cell links"],
    );
}

#[test]
fn the_format_characters_note_is_in_russian() {
    // Иванова's name on line 2 holds a zero-width space: removed, and noted.
    let deals = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки\n\
                 1,Радиаторы,Орлов Игорь,Иванова\u{200b} Мария,Счет\n";
    let dir = folder_with(&[("deals.csv", deals.as_bytes())]);
    let section = russian_inputs(dir.path(), &["deals.csv"]);
    says(
        &section,
        &["примечание: в 1 имени менеджера были невидимые символы форматирования"],
        &["format characters"],
    );
}

#[test]
fn the_hidden_sheet_note_is_in_russian() {
    // A hidden «Старое» before the visible «Сделки»: the latter is read.
    let dir = tempfile::tempdir().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, hidden) in [("Старое", true), ("Сделки", false)] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        let rows = [
            [
                "ID",
                "Название сделки",
                "Основной контакт",
                "Ответственный",
                "Этап сделки",
            ],
            ["1", "Радиаторы", "Орлов Игорь", "Иванова Мария", "Счет"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
        if hidden {
            sheet.set_hidden(true);
        } else {
            sheet.set_active(true);
        }
    }
    book.save(dir.path().join("deals.xlsx")).unwrap();
    let section = russian_inputs(dir.path(), &["deals.xlsx"]);
    says(
        &section,
        &["примечание: прочитан лист «Сделки», первый видимый; скрытые листы перед ним: «Старое»"],
        &["read sheet"],
    );
}

#[test]
fn files_of_a_folder_not_read_say_why_in_russian() {
    // Beside the deal export: a mailing list (no known header), an empty
    // CSV, an empty .xlsx (no workbook), an HTML ".xls" with no table, and
    // a CSV report of crm-audit's own (its header, no violation).
    let mailing = "ФИО;E-mail;Подписан\nОрлов Игорь;orlov@example.ru;да\n";
    let report = "as_of,manager,code,rule,clause,severity,entity_kind,entity_id,deal_id,\
                  deal_name,stage,budget,message,when,details,url,source,fingerprint\n";
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("mailing.csv", mailing.as_bytes()),
        ("empty.csv", b""),
        ("empty.xlsx", b""),
        ("page.xls", b"<html><body><p>no table</p></body></html>"),
        ("audit.csv", report.as_bytes()),
    ]);
    let section = russian_inputs(dir.path(), &["."]);
    says(
        &section,
        &[
            "./audit.csv: не прочитан: отчёт crm-audit (CSV, строка на нарушение), не выгрузка; \
             отчёты не проверяются",
            "./empty.csv: не прочитан: файл пуст; ожидалась выгрузка сделок",
            "./empty.xlsx: не прочитан: не открывается как электронная таблица: ",
            "./mailing.csv: не прочитан: не распознан как выгрузка (сделки, лиды, задачи, звонки, \
             контакты, оценки звонков): в первых 10 строках нет строки заголовков.",
            "\n  сделки: нужны ",
            "./page.xls: не прочитан: HTML-файл без таблицы; ожидалась выгрузка Битрикс24",
        ],
        &[
            "not an export",
            "the file is empty",
            "cannot open",
            "not recognised",
            "needs",
            "with no table",
        ],
    );
}

#[test]
fn a_phone_number_in_a_skip_reason_is_masked_in_both_texts() {
    // A log whose caller column holds a client's phone number where an
    // extension should be (line 2): skipped as an unknown extension, and
    // with --mask-phones neither the Russian text nor the JSON's English
    // reason shows more than its last 4 digits.
    let calls = "Дата,Ответственный,Направление,Статус\n\
                 26.11.2026 10:00:00,79161234567,Исходящий,Отвечен\n\
                 26.11.2026 12:00:00,Иванова Мария,Исходящий,Отвечен\n";
    let dir = folder_with(&[("calls.csv", calls.as_bytes())]);
    let section = russian_inputs(dir.path(), &["calls.csv", "--mask-phones"]);
    says(
        &section,
        &["1 добавочного *******4567 нет в списке менеджеров"],
        &["79161234567"],
    );
    let report = json_in(
        dir.path(),
        &[
            "calls.csv",
            "--as-of",
            AS_OF,
            "--lang",
            "ru",
            "--mask-phones",
        ],
    );
    assert_eq!(
        skipped(input(&report, "calls.csv")),
        [(
            "extension *******4567 is not in the managers roster".to_string(),
            1,
            vec![2]
        )]
    );
}

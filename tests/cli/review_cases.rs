//! Cases an independent review found: each once blamed a manager for a
//! violation that was not there, or missed one without a word. Each test
//! states what went wrong before it was fixed.

use crate::support::*;
use std::path::Path;

/// The audit as of Thursday 26.11.2026 10:00 (the day judged: 25.11).
const THURSDAY: &str = "2026-11-26 10:00";

fn write(dir: &Path, name: &str, text: &str) -> String {
    std::fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

#[test]
fn one_manager_however_the_files_capitalise_the_name() {
    // Before: «иванова мария» in the call log was another person, and
    // «Иванова Мария» of the deals got "0 outgoing contacts".
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный\n1,A,Счет,Иванова Мария\n",
    );
    write(
        p,
        "calls.csv",
        "Дата,Ответственный,Направление\n25.11.2026 10:00,иванова  мария,Исходящий\n",
    );
    write(
        p,
        "q1.toml",
        "extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = 1\n",
    );
    let report = json_in(
        p,
        &[
            "deals.csv",
            "calls.csv",
            "--as-of",
            THURSDAY,
            "--rules",
            "q1.toml",
            "--select",
            "daily-call-quota",
        ],
    );
    assert!(
        violations(&report, "daily-call-quota").is_empty(),
        "{}",
        report["violations"]
    );
    let names: Vec<&str> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Иванова Мария"], "shown as first written");
}

#[test]
fn a_task_list_without_a_deal_column_cannot_show_deals_without_tasks() {
    // Before: every deal in work was blamed for having no open task.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный\n1,A,Счет,Иванова Мария\n",
    );
    write(
        p,
        "tasks.csv",
        "ID;Ответственный;Срок;Выполнена\nT1;Иванова Мария;27.11.2026;Нет\n",
    );
    let report = json_in(p, &["deals.csv", "tasks.csv", "--as-of", THURSDAY]);
    assert!(ids(&report, "deal-without-task").is_empty());
    assert_eq!(
        not_checked(&report, "deal-without-task"),
        ["tasks.csv: no deal column, so its tasks cannot be matched to deals"]
    );
}

#[test]
fn a_task_repeated_by_overlapping_exports_is_one_task() {
    // Before: the older export's open copy was overdue twice over, though
    // the newer export had it done.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let header = "ID;ID сделки;Ответственный;Срок;Выполнена\n";
    write(
        p,
        "tasks_old.csv",
        &format!("{header}T1;1;Иванова Мария;25.11.2026;Нет\nT2;1;Иванова Мария;25.11.2026;Нет\n"),
    );
    write(
        p,
        "tasks_new.csv",
        &format!("{header}T1;1;Иванова Мария;25.11.2026;Да\nT2;1;Иванова Мария;25.11.2026;Нет\n"),
    );
    let report = json_in(p, &["tasks_old.csv", "tasks_new.csv", "--as-of", THURSDAY]);
    assert_eq!(
        ids(&report, "overdue-task"),
        ["T2"],
        "T1 is done in one copy; T2 is one task"
    );
    // The newer export (no date in either name, so the later written or,
    // written at one moment, the later read) is the one audited; the
    // older's rows are skipped, saying which of the two told.
    let older = |why: &str| {
        format!("an older copy of a task also in tasks_new.csv ({why}); that copy is audited")
    };
    let by_time = older("a newer export by the file's modification time");
    let by_order = older("read later; the exports' dates do not tell them apart");
    let skips = skipped(input(&report, "tasks_old.csv"));
    assert!(
        skips == [(by_time, 2, vec![2, 3])] || skips == [(by_order, 2, vec![2, 3])],
        "{skips:?}"
    );
    assert_eq!(skipped(input(&report, "tasks_new.csv")), []);
}

#[test]
fn a_second_counting_rule_gets_the_columns_it_needs() {
    // Before: only the first counting rule decided whether call statuses
    // were read, so an answered-calls rule counted nothing.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "calls.csv",
        "Дата,Ответственный,Направление,Статус,Длительность\n\
         25.11.2026 10:00,Иванова Мария,Исходящий,Отвечен,1:05\n\
         25.11.2026 11:00,Иванова Мария,Исходящий,Отвечен,2:10\n\
         25.11.2026 12:00,Иванова Мария,Исходящий,Не отвечен,0:00\n",
    );
    write(
        p,
        "answered.toml",
        "extends = \"builtin\"\n[rules.answered-calls]\ncheck = \"daily-count\"\ncode = \"CO010\"\nclause = \"2\"\n\
         severity = \"warning\"\nmessage = \"{count} answered on {date}\"\ncount = \"outgoing-contacts\"\n\
         at-least = 3\ndays = 1\nanswered-only = true\nmin-duration-seconds = 30\n",
    );
    let report = json_in(
        p,
        &[
            "calls.csv",
            "--as-of",
            THURSDAY,
            "--rules",
            "answered.toml",
            "--select",
            "answered-calls",
        ],
    );
    // Two answered calls of a minute or more: 2 of 3.
    assert_eq!(
        violations(&report, "answered-calls")[0]["message"],
        "2 answered on 25.11.2026"
    );
}

#[test]
fn a_call_of_the_longest_duration_still_counts() {
    // A review found the largest duration a log can hold once stood for
    // "no duration": such a call then counted for nothing.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "calls.csv",
        "Дата,Ответственный,Направление,Статус,Длительность\n\
         25.11.2026 10:00,Иванова Мария,Исходящий,Отвечен,4294967295\n",
    );
    write(
        p,
        "long.toml",
        "extends = \"builtin\"\n[rules.long-calls]\ncheck = \"daily-count\"\ncode = \"CO011\"\nclause = \"2\"\n\
         severity = \"warning\"\nmessage = \"{count} on {date}\"\ncount = \"outgoing-contacts\"\n\
         at-least = 1\ndays = 1\nmin-duration-seconds = 10\n",
    );
    let report = json_in(
        p,
        &[
            "calls.csv",
            "--as-of",
            THURSDAY,
            "--rules",
            "long.toml",
            "--select",
            "long-calls",
        ],
    );
    assert!(violations(&report, "long-calls").is_empty(), "{report}");
}

#[test]
fn a_deal_file_without_phones_or_names_borrows_nothing_from_contacts() {
    // Before: with any contacts file given, such deals were blamed for a
    // missing phone they could not have.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный\n1,A,Счет,Иванова Мария\n",
    );
    write(
        p,
        "contacts.csv",
        "ID,Тип,Наименование,Мобильный телефон\n7,контакт,Пётр Сидоров,+7 927 555-66-77\n",
    );
    let report = json_in(p, &["deals.csv", "contacts.csv", "--as-of", THURSDAY]);
    assert!(ids(&report, "missing-phone").is_empty());
    assert_eq!(
        not_checked(&report, "missing-phone"),
        ["deals.csv: no phone column"]
    );
}

#[test]
fn a_reason_with_parentheses_of_its_own_is_still_a_lost_deal() {
    // Before: an unknown stage, so a closed deal counted as in work.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный,Ближайшая задача\n\
         1,A,Закрыто и не реализовано (Купили у конкурента (дешевле)),Иванова Мария,\n",
    );
    let report = json_in(p, &["deals.csv", "--as-of", THURSDAY]);
    assert_eq!(
        report["totals"]["violations"], 0,
        "{}",
        report["violations"]
    );
}

#[test]
fn a_failed_contact_without_a_completion_date_is_said_to_be_unjudged() {
    // Before: skipped without a word.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный\n1,A,Счет,Иванова Мария\n",
    );
    write(
        p,
        "tasks.csv",
        "ID;ID сделки;Ответственный;Срок;Выполнена;Дата выполнения;Результат\n\
         T1;1;Иванова Мария;25.11.2026;Да;;Не дозвонился\n",
    );
    let report = json_in(p, &["deals.csv", "tasks.csv", "--as-of", THURSDAY]);
    assert_eq!(
        not_checked(&report, "no-follow-up"),
        ["1 failed contact(s) not judged: completed with no completion date"]
    );
}

#[test]
fn a_rule_file_with_a_byte_order_mark_can_be_extended() {
    // Before: "invalid unquoted key" at line 1 of the extended file.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "base.toml",
        "\u{feff}extends = \"builtin\"\nname = \"База\"\n",
    );
    write(p, "top.toml", "extends = \"base.toml\"\n");
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный\n1,A,Счет,Иванова Мария\n",
    );
    let report = json_in(
        p,
        &["deals.csv", "--as-of", THURSDAY, "--rules", "top.toml"],
    );
    assert_eq!(report["rule_set"]["name"], "База");
}

#[test]
fn a_share_is_written_as_a_fraction() {
    // Before: `min = 50` was taken as 5000% and every paid deal failed.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "min50.toml",
        "extends = \"builtin\"\n[rules.prepayment-below-minimum]\nmin = 50.0\n",
    );
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный\n1,A,Счет,Иванова Мария\n",
    );
    let e = error_of(
        p,
        &["deals.csv", "--as-of", THURSDAY, "--rules", "min50.toml"],
    );
    assert_eq!(e, "crm-audit: error: rule file min50.toml, line 3, column 7: 50 is not a share: write 0.5 for 50%\n");
}

#[test]
fn spreadsheet_errors_name_the_column_excel_shows() {
    // Before: a table starting in column B had its columns named one
    // letter too early.
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "ID",
        "Название сделки",
        "Этап сделки",
        "Ответственный",
        "Бюджет",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, 1 + c as u16, *h).unwrap();
    }
    for (c, v) in ["1", "A", "Счет", "Иванова Мария", "много"]
        .iter()
        .enumerate()
    {
        sheet.write_string(3, 1 + c as u16, *v).unwrap();
    }
    book.save(dir.path().join("deals.xlsx")).unwrap();
    let e = error_of(dir.path(), &["deals.xlsx", "--as-of", THURSDAY]);
    assert!(
        e.starts_with("crm-audit: error: deals.xlsx, row 4, column \"Бюджет\" (F): `много`"),
        "{e}"
    );
}

#[test]
fn a_date_cell_without_a_time_is_a_whole_day_in_a_rule_of_ones_own() {
    // Before: `not-before-as-of` read it as midnight and found it late the
    // morning of that very day.
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "ID",
        "Название сделки",
        "Этап сделки",
        "Ответственный",
        "Дата отгрузки",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["1", "A", "Счет", "Иванова Мария"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    let date = ExcelDateTime::from_ymd(2026, 11, 26).unwrap();
    sheet
        .write_datetime_with_format(1, 4, &date, &Format::new().set_num_format("dd.mm.yyyy"))
        .unwrap();
    book.save(dir.path().join("deals.xlsx")).unwrap();
    std::fs::write(
        dir.path().join("ship.toml"),
        "extends = \"builtin\"\n[rules.shipping-date]\ncheck = \"not-before-as-of\"\ncode = \"CO020\"\nclause = \"7\"\n\
         severity = \"warning\"\nmessage = \"{field} {date} passed\"\nfield = \"Дата отгрузки\"\n",
    )
    .unwrap();
    let report = json_in(
        dir.path(),
        &[
            "deals.xlsx",
            "--as-of",
            THURSDAY,
            "--rules",
            "ship.toml",
            "--select",
            "shipping-date",
        ],
    );
    assert!(
        violations(&report, "shipping-date").is_empty(),
        "{}",
        report["violations"]
    );
}

#[test]
fn a_reader_that_stops_early_is_no_error() {
    // Before: `crm-audit audit … --format csv | head -c 1` ended with exit
    // code 2 and "Broken pipe" (the JSON and CSV writers wrap the error).
    use std::io::Read;
    use std::process::{Command, Stdio};
    let example = format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"));
    for format in ["json", "csv", "jsonl", "table"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crm-audit"))
            .args(["audit", &example, "--as-of", AS_OF, "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe is closed here; whatever is left to write meets it.
        let output = child.wait_with_output().unwrap();
        let code = output.status.code();
        assert!(
            code == Some(0) || code == Some(1),
            "{format}: exit {code:?}"
        );
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{format}");
    }
}

// ---- found by a second review ----

#[test]
fn a_task_listed_twice_in_one_export_is_one_task() {
    // Before: merged only across files, so T1 (done in one copy) was overdue
    // and T2 was reported twice.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "tasks.csv",
        "ID;ID сделки;Ответственный;Срок;Выполнена\nT1;1;Иванова Мария;20.11.2026;Нет\n\
         T1;1;Иванова Мария;20.11.2026;Да\nT2;1;Иванова Мария;20.11.2026;Нет\nT2;1;Иванова Мария;20.11.2026;Нет\n",
    );
    let report = json_in(p, &["tasks.csv", "--as-of", THURSDAY]);
    assert_eq!(ids(&report, "overdue-task"), ["T2"]);
}

#[test]
fn a_task_linked_to_several_deals_leaves_them_unjudged() {
    // Before: it counted for none of them, and both were blamed for having
    // no task.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "deals.csv", "ID,Название сделки,Этап сделки,Ответственный\n1,Радиаторы А,Счет,Иванова Мария\n2,Радиаторы Б,Счет,Иванова Мария\n");
    write(
        p,
        "tasks.csv",
        "ID;Ответственный;Крайний срок;Статус;CRM\nT1;Иванова Мария;30.11.2026;Новая;\"Сделка: Радиаторы А; Сделка: Радиаторы Б;\"\n",
    );
    let report = json_in(p, &["deals.csv", "tasks.csv", "--as-of", THURSDAY]);
    assert!(ids(&report, "deal-without-task").is_empty());
    assert_eq!(
        not_checked(&report, "deal-without-task"),
        ["2 deal(s) not judged: a task names their title, which several deals share"]
    );
}

#[test]
fn a_per_manager_quota_finds_its_manager_by_any_name() {
    // Before: the key had to be the shown name, exactly.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "calls.csv",
        "Дата,Ответственный,Направление\n25.11.2026 10:00,иванова мария,Исходящий\n25.11.2026 11:00,Иванова Мария,Исходящий\n\
         25.11.2026 10:00,Петров Алексей,Исходящий\n25.11.2026 11:00,Петров Алексей,Исходящий\n",
    );
    write(
        p,
        "q.toml",
        "extends = \"builtin\"\n[rules.daily-call-quota]\nper-manager = { \"Иванова Мария\" = 2, \"Петров Алексей\" = 2 }\n\
         [[managers]]\nname = \"Алексей Петров\"\naliases = [\"Петров Алексей\"]\n",
    );
    let report = json_in(p, &["calls.csv", "--as-of", THURSDAY, "--rules", "q.toml"]);
    assert!(
        violations(&report, "daily-call-quota").is_empty(),
        "{}",
        report["violations"]
    );
}

#[test]
fn renames_and_shared_stage_names_across_pipelines() {
    // Before: [stages.rename] renamed a pipeline's own «Счет» too (making
    // it unknown), and a condition naming «Счет» held only for [stages].
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "company.toml",
        "extends = \"builtin\"\n[stages.rename]\n\"Счет\" = \"Выставлен счет\"\n\
         [[pipelines]]\nname = \"Опт\"\nfunnel = [\"Новая заявка\", \"Счет\", \"Отгрузка\"]\nwon = [\"Отгружено\"]\nlost = [\"Отказ\"]\n",
    );
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Воронка,Ответственный,Номер счета\n\
         1,A,Счет,Опт,Иванова Мария,\n2,B,Выставлен счет,Воронка продаж,Иванова Мария,\n3,C,Новая заявка,Опт,Иванова Мария,\n",
    );
    let report = json_in(
        p,
        &["deals.csv", "--as-of", THURSDAY, "--rules", "company.toml"],
    );
    assert!(
        ids(&report, "unknown-stage").is_empty(),
        "{}",
        report["violations"]
    );
    // From «Счет» on, in either pipeline, an invoice number is required.
    let mut invoice = ids(&report, "invoice-missing");
    invoice.sort();
    assert_eq!(invoice, ["1", "2"]);
}

#[test]
fn a_repeated_deal_row_brings_its_pipeline_and_stage_together() {
    // Before: the pipeline came from the repeat, the stage from the first
    // row, classified by the other pipeline's stages.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "company.toml",
        "extends = \"builtin\"\n[[pipelines]]\nname = \"Бассейны\"\nfunnel = [\"Новый лид\", \"Замер\", \"Смета\"]\n\
         won = [\"Построен\"]\nlost = [\"Отказ\"]\n",
    );
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Воронка,Ответственный\n1,A,Смета,,Иванова Мария\n1,A,Смета,Бассейны,Иванова Мария\n",
    );
    let report = json_in(
        p,
        &["deals.csv", "--as-of", THURSDAY, "--rules", "company.toml"],
    );
    assert!(
        ids(&report, "unknown-stage").is_empty(),
        "{}",
        report["violations"]
    );
}

//! A date Excel has no serial for (before 1900 or after 9999: a typo such
//! as `26.11.1026`, a placeholder such as `01.01.0001`) must not cost the
//! night its workbook: the cell holds the text the other formats show.

use super::support::{audit_in, folder_with, AS_OF};
use calamine::{open_workbook, Data, Reader, Xlsx};

/// One deal of Иванова Мария in work, with a task due 26.11.1026 (the
/// digit-swapped 26.11.2026) and a task due 30.11.2026 (not yet due on
/// 27.11.2026 02:00), and a deal whose `Ближайшая задача` is 01.01.0001.
/// The tasks file is read, so the deals' `Ближайшая задача` is not what
/// overdue-task judges: only T1 is overdue (its due moment is past, however
/// far), and deal 2 has no task in the list, so it is without a task.
const DEALS: &str = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт),Ближайшая задача
1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67,26.11.1026 10:00
2,Д2,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-68,01.01.0001
";
const TASKS: &str = "\
ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания
T1;1;Иванова Мария;Звонок;26.11.1026 10:00;Нет;;;26.11.2026 10:00
T2;1;Иванова Мария;Звонок;30.11.2026 10:00;Нет;;;26.11.2026 10:00
";

/// The Violations sheet of `book`, each row as text.
fn violation_rows(book: &std::path::Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook(book).expect("the workbook opens");
    let range = workbook.worksheet_range(sheet).expect("the sheet is there");
    range.rows().map(<[Data]>::to_vec).collect()
}

#[test]
fn a_due_moment_before_1900_is_written_as_text() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    let (code, stdout, stderr) = audit_in(dir.path(), &[".", "--as-of", AS_OF, "-o", "night.xlsx"]);
    // Violations are found (exit 1), and the workbook is written.
    assert_eq!(code, 1, "stdout: {stdout}\nstderr: {stderr}");
    let rows = violation_rows(&dir.path().join("night.xlsx"), "Violations");
    let overdue: Vec<&Vec<Data>> = rows.iter().filter(|r| r[2] == "overdue-task").collect();
    assert_eq!(overdue.len(), 1, "{rows:?}");
    // Column L (11) holds the due moment: text, as the message shows it.
    assert_eq!(overdue[0][11], Data::String("26.11.1026 10:00".into()));
    assert_eq!(overdue[0][6], Data::String("T1".into()));
}

/// Without a tasks file, overdue-task reads `Ближайшая задача`: deal 1's
/// 26.11.1026 10:00 and deal 2's 01.01.0001 are both past the audit moment.
#[test]
fn a_next_task_day_of_year_one_is_written_as_text() {
    let dir = folder_with(&[("deals.csv", DEALS.as_bytes())]);
    let (code, stdout, stderr) = audit_in(
        dir.path(),
        &[
            "deals.csv",
            "--as-of",
            AS_OF,
            "-o",
            "night.xlsx",
            "--lang",
            "ru",
        ],
    );
    assert_eq!(code, 1, "stdout: {stdout}\nstderr: {stderr}");
    let rows = violation_rows(&dir.path().join("night.xlsx"), "Нарушения");
    let mut due: Vec<(String, Data)> = rows
        .iter()
        .filter(|r| r[2] == "overdue-task")
        .map(|r| (r[6].to_string(), r[11].clone()))
        .collect();
    due.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        due,
        [
            ("1".to_string(), Data::String("26.11.1026 10:00".into())),
            ("2".to_string(), Data::String("01.01.0001".into())),
        ]
    );
}

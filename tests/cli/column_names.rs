//! The columns a "not checked" reason names, as the reader knows them: a
//! logical field of the rule set (`budget`, `contact-name`, `result`) reads
//! in a Russian report as the header an export read carries it under, or
//! by its Russian name where no export has it; the English report keeps
//! the rule file's own word, as it always has.

use crate::support::*;

/// Two amoCRM deal exports of one night: deals.csv names the budget
/// `Сумма` and has the contact column; deals2.csv has neither. Neither
/// has `Оплачено` (prepayment-below-minimum's numerator). The task list
/// has no result column.
fn exports() -> tempfile::TempDir {
    folder_with(&[
        (
            "deals.csv",
            "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Сумма\n\
             1901,Радиаторы для коттеджа,Орлов Игорь,Иванова Мария,Счет,120000\n"
                .as_bytes(),
        ),
        (
            "deals2.csv",
            "ID,Название сделки,Ответственный,Этап сделки\n\
             1902,Батареи в офис,Петров Алексей,Счет\n"
                .as_bytes(),
        ),
        (
            "tasks.csv",
            "ID;ID сделки;Ответственный;Срок;Выполнена\n\
             T-91;1901;Иванова Мария;30.11.2026 10:00;Нет\n\
             T-92;1902;Петров Алексей;30.11.2026 10:00;Да\n"
                .as_bytes(),
        ),
    ])
}

/// The reasons each rule was not checked, `rule: reason`, in `lang`.
fn reasons(lang: &str) -> Vec<String> {
    let dir = exports();
    let report = json_in(
        dir.path(),
        &[
            "deals.csv",
            "deals2.csv",
            "tasks.csv",
            "--as-of",
            AS_OF,
            "--lang",
            lang,
        ],
    );
    [
        "missing-contact-name",
        "prepayment-below-minimum",
        "task-without-result",
    ]
    .iter()
    .flat_map(|rule| {
        not_checked(&report, rule)
            .into_iter()
            .map(move |reason| format!("{rule}: {reason}"))
    })
    .collect()
}

#[test]
fn russian_reasons_name_columns_as_the_exports_do() {
    // `contact-name` is `Основной контакт` in deals.csv, so deals2.csv
    // lacks «Основной контакт»; the budget is `Сумма` in deals.csv (its
    // own header there, and the other export's name for it in deals2.csv);
    // no task list has a result: its Russian name, «Результат».
    assert_eq!(
        reasons("ru"),
        [
            "missing-contact-name: deals2.csv: нет столбца «Основной контакт»",
            "prepayment-below-minimum: deals.csv: нет столбца «Оплачено»: отношение «Оплачено» / «Сумма» \
             не проверено, проверено лишь, что поле «Сумма» заполнено там, где это требуется",
            "prepayment-below-minimum: deals2.csv: нет столбцов «Оплачено», «Сумма»",
            "task-without-result: tasks.csv: нет столбца «Результат»",
        ]
    );
}

#[test]
fn english_reasons_keep_the_rule_files_words() {
    assert_eq!(
        reasons("en"),
        [
            "missing-contact-name: deals2.csv: no column for «contact-name»",
            "prepayment-below-minimum: deals.csv: no column for «Оплачено»: «Оплачено» / «budget» \
             is not checked, only that «budget» is filled where required",
            "prepayment-below-minimum: deals2.csv: no column for «Оплачено», «budget»",
            "task-without-result: tasks.csv: no column for «result»",
        ]
    );
}

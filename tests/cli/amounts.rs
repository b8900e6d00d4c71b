//! Amounts written with a point or a comma before three digits. Money has
//! at most two decimals, so `600.000` is 600 000 as `600,000` is: a deal
//! whose paid amount was read as 600 was blamed for a prepayment of 0%.

use crate::support::*;

/// Deals at «Заказ оплачен / предоплачен» (the prepayment rule asks for 50%
/// of the budget), each with an open task due after the audit moment.
fn deals_and_tasks(rows: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let mut deals = String::from(
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Оплачено,\
         Номер счета,Рабочий телефон (контакт)\n",
    );
    let mut tasks = String::from(
        "ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания\n",
    );
    for (id, budget, paid) in rows {
        deals.push_str(&format!(
            "{id},Д{id},Орлов Игорь,Иванова Мария,Заказ оплачен / предоплачен,\"{budget}\",\
             \"{paid}\",С-{id},+7 927 123-45-67\n"
        ));
        tasks.push_str(&format!(
            "T{id};{id};Иванова Мария;Звонок;30.11.2026 10:00;Нет;;;20.11.2026 10:00\n"
        ));
    }
    folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("tasks.csv", tasks.as_bytes()),
    ])
}

#[test]
fn a_point_before_three_digits_separates_thousands_as_a_comma_does() {
    let dir = deals_and_tasks(&[
        // 60 000 of 100 000: 60%, enough (before: 60 of 100 000, 0%).
        ("1", "100000", "60.000"),
        // 60 000 of 100 000 with kopecks: 60%.
        ("2", "100.000,00", "60.000,00"),
        // 600 000 of 1 000 000: 60% (before: 600 of 1 000 000).
        ("3", "1.000.000", "600.000"),
        // 60 000 of 100 000, a comma: 60%, as it always was.
        ("4", "100000", "60,000"),
        // 60 rubles of 100 000 (two decimals after the comma): 0.06%, a
        // real violation.
        ("5", "100000", "60,00"),
        // 75 000 of 150 000: exactly 50%, enough (before: 75, 0%).
        ("6", "150000", "75.000"),
        // 40 000 of 100 000: 40%, a real violation, found at 40% not 0%.
        ("7", "100000", "40.000"),
        // 0,125: three decimals are no money and no thousands group either:
        // the cell is unreadable, not guessed.
        ("8", "100000", "0,125"),
    ]);
    let report = json_in(dir.path(), &["deals.csv", "tasks.csv", "--as-of", AS_OF]);
    assert_eq!(ids(&report, "prepayment-below-minimum"), ["5", "7"]);
    let seven = violation(&report, "prepayment-below-minimum", "7");
    assert_eq!(seven["details"]["numerator"], 40000.0);
    assert_eq!(seven["details"]["ratio"], 0.4);
    assert_eq!(ids(&report, "unreadable-value"), ["8"]);
    let cells = text(&violation(&report, "unreadable-value", "8")["message"]);
    assert!(cells.contains("`0,125` is not an amount"), "{cells}");
}

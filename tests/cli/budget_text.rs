//! What the prepayment rule says of a budget that is negative or absurdly
//! large. Before, a negative budget read "field «Бюджет» not filled" though
//! it was, and 1e29 was written 184 467 440 737 095 516,15: a u64 of
//! kopecks overflowed. A budget of 0 is no budget, as before: amoCRM
//! writes 0 for a deal nobody priced.

use crate::support::*;

#[test]
fn a_budget_is_shown_as_written_and_never_overflows() {
    // Every deal is at «Заказ утвержден / ждем оплату», where the rule asks
    // for a budget, with an open task due after the audit moment.
    let rows = [
        ("1", "0"),
        ("2", "-5 000"),
        ("3", ""),
        ("4", "99999999999999999999999999999"),
        ("5", "10000"),
    ];
    let mut deals = String::from(
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Номер счета,\
         Рабочий телефон (контакт)\n",
    );
    let mut tasks = String::from("ID;ID сделки;Ответственный;Срок;Выполнена\n");
    for (id, budget) in rows {
        deals.push_str(&format!(
            "{id},Д{id},Орлов Игорь,Иванова Мария,Заказ утвержден / ждем оплату,\"{budget}\",\
             С-{id},+7 927 123-45-67\n"
        ));
        tasks.push_str(&format!("T{id};{id};Иванова Мария;30.11.2026 10:00;Нет\n"));
    }
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("tasks.csv", tasks.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            AS_OF,
            "--lang",
            "ru",
            "--select",
            "prepayment-below-minimum,unreadable-value",
        ],
    );
    // 1: 0, no budget (amoCRM's unpriced deal); 2: a budget written, but
    // below zero; 3: no budget at all; 5 has one, and nothing paid is asked
    // for before the next stage.
    assert_eq!(ids(&report, "prepayment-below-minimum"), ["1", "2", "3"]);
    let message = |id| text(&violation(&report, "prepayment-below-minimum", id)["message"]);
    assert_eq!(
        message("1"),
        "этап «Заказ утвержден / ждем оплату»: оплачено 0 из бюджета — \
         (поле «Бюджет» не заполнено), а нужно не меньше 50%"
    );
    assert_eq!(
        message("2"),
        "этап «Заказ утвержден / ждем оплату»: оплачено 0 из бюджета -5\u{a0}000 \
         (поле «Бюджет» меньше нуля), а нужно не меньше 50%"
    );
    assert_eq!(
        message("3"),
        "этап «Заказ утвержден / ждем оплату»: оплачено 0 из бюджета — \
         (поле «Бюджет» не заполнено), а нужно не меньше 50%"
    );
    // 29 digits are no deal's budget, nor kept exactly by a f64: the cell
    // is unreadable as written, and no amount is shown for it.
    assert_eq!(ids(&report, "unreadable-value"), ["4"]);
    let unreadable = text(&violation(&report, "unreadable-value", "4")["message"]);
    assert!(
        unreadable.contains("«99999999999999999999999999999» — не сумма"),
        "{unreadable}"
    );
}

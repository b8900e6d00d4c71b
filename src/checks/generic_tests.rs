//! The generic checks at their boundaries, through the rules of the
//! built-in set written in them and through company rules.

use crate::audit::testing::*;

#[test]
fn invoice_is_required_from_the_invoice_stage_on() {
    let t = TestData::new()
        .deals_file(&[])
        .deal("1", "Квалификация", "Иванова", |d| {
            d.empty = vec!["Номер счета"]
        })
        .deal("2", "Счет", "Иванова", |d| {
            d.empty = vec!["Номер счета"]
        })
        .deal("3", "Заказ утвержден / ждем оплату", "Петров", |_| {})
        .deal(
            "4",
            "Успешно реализовано",
            "Петров",
            |d| d.empty = vec!["Номер счета"],
        );
    assert_eq!(
        t.run("invoice-missing", "27.11.2026 02:00"),
        vec!["deal:2 Иванова missing_fields=Номер счета stage=Счет"]
    );
}

#[test]
fn a_completed_task_needs_a_result() {
    let t = TestData::new()
        .tasks_file()
        .done("T1", "1", "Иванова", "26.11.2026 10:00", "")
        .done("T2", "1", "Иванова", "26.11.2026 11:00", "Отправил КП")
        .task("T3", "1", "Петров", Some("28.11.2026"), false);
    assert_eq!(
        t.run("task-without-result", "27.11.2026 02:00"),
        vec!["task:T1 Иванова missing_fields=result"]
    );
    let no_column = TestData::new()
        .tasks_file()
        .without_columns(&["result"])
        .done("T1", "1", "Иванова", "26.11.2026 10:00", "");
    assert!(no_column
        .run("task-without-result", "27.11.2026 02:00")
        .is_empty());
    assert_eq!(
        no_column.not_checked("task-without-result", "27.11.2026 02:00"),
        vec!["tasks.csv: no column for «result»"]
    );
}

#[test]
fn prepayment_at_exactly_half_is_enough() {
    let paid_stage = "Заказ оплачен / предоплачен";
    let t = TestData::new()
        .deals_file(&["budget"])
        .deal("1", paid_stage, "Иванова", |d| {
            d.values = vec![("Оплачено", "50000"), ("budget", "100000")]
        })
        .deal("2", paid_stage, "Иванова", |d| {
            d.values = vec![("Оплачено", "49 999"), ("budget", "100 000")]
        })
        .deal("3", paid_stage, "Петров", |d| {
            d.values = vec![("Оплачено", ""), ("budget", "100000")]
        })
        .deal(
            "4",
            "Заказ утвержден / ждем оплату",
            "Петров",
            |d| d.values = vec![("Оплачено", ""), ("budget", "")],
        )
        .deal(
            "5",
            "Заказ утвержден / ждем оплату",
            "Петров",
            |d| d.values = vec![("Оплачено", ""), ("budget", "80000")],
        )
        .deal("6", "Счет", "Петров", |d| {
            d.values = vec![("Оплачено", ""), ("budget", "")]
        });
    assert_eq!(
        t.run("prepayment-below-minimum", "27.11.2026 02:00"),
        vec![
            "deal:2 Иванова stage=Заказ оплачен / предоплачен numerator=49 999 denominator=100 000 ratio=49.9% min=50%",
            "deal:3 Петров stage=Заказ оплачен / предоплачен numerator=0 denominator=100 000 ratio=0% min=50%",
            "deal:4 Петров stage=Заказ утвержден / ждем оплату numerator=0 denominator=— ratio=no budget min=50%"
        ]
    );
}

#[test]
fn without_a_paid_column_an_approved_order_still_needs_a_budget() {
    // An export with a budget but no «Оплачено» column: the paid share
    // cannot be judged (deal 1 is not blamed for it), but an approved
    // order with no budget (deal 2) needs only the budget column. Deal 3,
    // approved with a budget, is fine.
    let t = TestData::new()
        .deals_file(&["budget"])
        .without_columns(&["Оплачено"])
        .deal(
            "1",
            "Заказ оплачен / предоплачен",
            "Иванова",
            |d| d.values = vec![("budget", "100000")],
        )
        .deal(
            "2",
            "Заказ утвержден / ждем оплату",
            "Петров",
            |d| d.values = vec![("budget", "")],
        )
        .deal(
            "3",
            "Заказ утвержден / ждем оплату",
            "Петров",
            |d| d.values = vec![("budget", "80000")],
        );
    assert_eq!(
        t.run("prepayment-below-minimum", "27.11.2026 02:00"),
        vec!["deal:2 Петров stage=Заказ утвержден / ждем оплату numerator=0 denominator=— ratio=no budget min=50%"]
    );
    assert_eq!(
        t.not_checked("prepayment-below-minimum", "27.11.2026 02:00"),
        vec!["deals.csv: no column for «Оплачено»: «Оплачено» / «budget» is not checked, only that «budget» is filled where required"]
    );
    // Without the budget column nothing of the rule can be judged.
    let t = TestData::new()
        .deals_file(&[])
        .without_columns(&["Оплачено"])
        .deal("2", "Заказ утвержден / ждем оплату", "Петров", |_| {});
    assert!(t
        .run("prepayment-below-minimum", "27.11.2026 02:00")
        .is_empty());
    assert_eq!(
        t.not_checked("prepayment-below-minimum", "27.11.2026 02:00"),
        vec!["deals.csv: no column for «Оплачено», «budget»"]
    );
}

#[test]
fn a_company_rule_from_scratch_budget_from_the_invoice_on() {
    // The README's example.
    let t = TestData::with_company_rules(
        "[rules.budget-from-invoice]\ncheck = \"required\"\ncode = \"CO001\"\nclause = \"7\"\nseverity = \"warning\"\n\
         message = \"stage «{stage}»: {fields} is empty\"\nentity = \"deal\"\nfields = [\"Бюджет\"]\n\
         when = { in-work = true, stage-at-or-after = \"Счет\" }\n",
    )
    .deals_file(&[])
    .deal("1", "Счет", "Иванова", |d| d.empty = vec!["Бюджет"])
    .deal("2", "Квалификация", "Иванова", |d| d.empty = vec!["Бюджет"])
    .deal("3", "Доставка заказа / Доплата", "Петров", |_| {})
    .deal("4", "Закрыто и не реализовано", "Петров", |d| d.empty = vec!["Бюджет"]);
    assert_eq!(
        t.run("budget-from-invoice", "27.11.2026 02:00"),
        vec!["deal:1 Иванова missing_fields=Бюджет stage=Счет"]
    );
}

#[test]
fn in_set_pattern_and_conditions_on_values() {
    let t = TestData::with_company_rules(
        "[rules.payment-form]\ncheck = \"in-set\"\ncode = \"CO002\"\nclause = \"7\"\nseverity = \"info\"\n\
         message = \"{field}: «{value}»\"\nfield = \"Форма оплаты\"\nvalues = [\"Наличная\", \"Безналичная\"]\n\
         [rules.inn]\ncheck = \"pattern\"\ncode = \"CO003\"\nclause = \"7\"\nseverity = \"info\"\nmessage = \"{value}\"\n\
         field = \"ИНН\"\npattern = \"^\\\\d{10}(\\\\d{2})?$\"\n\
         when = { equals = { field = \"Форма оплаты\", value = \"безналичная\" } }\n",
    )
    .deals_file(&[])
    .deal("1", "Счет", "Иванова", |d| d.values = vec![("Форма оплаты", "безналичная"), ("ИНН", "6312345678")])
    .deal("2", "Счет", "Иванова", |d| d.values = vec![("Форма оплаты", "Карта"), ("ИНН", "123")])
    .deal("3", "Счет", "Петров", |d| d.values = vec![("Форма оплаты", "Безналичная"), ("ИНН", "63-123")])
    .deal("4", "Счет", "Петров", |d| d.values = vec![("Форма оплаты", ""), ("ИНН", "")]);
    assert_eq!(
        t.run("payment-form", "27.11.2026 02:00"),
        vec!["deal:2 Иванова field=Форма оплаты value=Карта stage=Счет"]
    );
    // Only cashless deals need a valid taxpayer number.
    assert_eq!(
        t.run("inn", "27.11.2026 02:00"),
        vec!["deal:3 Петров field=ИНН value=63-123 stage=Счет"]
    );
}

#[test]
fn a_date_field_not_before_the_audit_moment() {
    let t = TestData::with_company_rules(
        "[rules.close-date]\ncheck = \"not-before-as-of\"\ncode = \"CO004\"\nclause = \"3\"\nseverity = \"info\"\n\
         message = \"{field} {date} passed {late} ago\"\nfield = \"Планируемая дата закрытия\"\nwhen = { in-work = true }\n",
    )
    .deals_file(&[])
    .deal("1", "Счет", "Иванова", |d| d.values = vec![("Планируемая дата закрытия", "26.11.2026")])
    .deal("2", "Счет", "Иванова", |d| d.values = vec![("Планируемая дата закрытия", "27.11.2026")])
    .deal("3", "Успешно реализовано", "Петров", |d| d.values = vec![("Планируемая дата закрытия", "01.11.2026")]);
    assert_eq!(
        t.run("close-date", "27.11.2026 02:00"),
        vec!["deal:1 Иванова field=Планируемая дата закрытия date=26.11.2026 late_minutes=120 stage=Счет"]
    );
}

#[test]
fn a_condition_on_an_absent_column_is_not_judged() {
    let t = TestData::new()
        .deals_file(&[])
        .without_columns(&["Номер счета"])
        .deal("1", "Счет", "Иванова", |d| {
            d.empty = vec!["Номер счета"]
        });
    assert!(t.run("invoice-missing", "27.11.2026 02:00").is_empty());
    assert_eq!(
        t.not_checked("invoice-missing", "27.11.2026 02:00"),
        vec!["deals.csv: no column for «Номер счета»"]
    );
}

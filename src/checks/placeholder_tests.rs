//! Every kind of the registry, made to fire on a small dataset: each
//! placeholder it declares is filled in the message, and each detail it
//! emits is one it declares, so the placeholders a rule file may use and
//! the keys of the JSON report cannot drift apart.

use super::KINDS;
use crate::audit::details::slot_text;
use crate::audit::testing::*;
use crate::lang::Lang;
use crate::model::CallType;
use crate::rules::template::Template;
use crate::value::Direction::Outgoing;

/// A company's rules for the kinds the built-in set has no rule of (or
/// none that fills all its placeholders: its ratio has no `max`).
const COMPANY: &str = r#"
[rules.payment-form]
check = "in-set"
code = "CO002"
clause = "7"
severity = "info"
message = "{field}"
field = "Форма оплаты"
values = ["Наличная", "Безналичная"]

[rules.inn]
check = "pattern"
code = "CO003"
clause = "7"
severity = "info"
message = "{value}"
field = "ИНН"
pattern = '^\d{10}(\d{2})?$'

[rules.close-date]
check = "not-before-as-of"
code = "CO004"
clause = "3"
severity = "info"
message = "{date}"
field = "Планируемая дата закрытия"

[rules.prepayment-band]
check = "ratio"
code = "CO005"
clause = "7"
severity = "info"
message = "{ratio}"
numerator = "Оплачено"
denominator = "budget"
min = 0.5
max = 0.9
"#;

/// Each kind by a rule of it, with the data that makes the rule fire and
/// the audit moment.
fn cases() -> Vec<(&'static str, &'static str, TestData, &'static str)> {
    let company = || TestData::with_company_rules(COMPANY);
    let reviews = || {
        let mut t = TestData::new().reviews_file().review(
            "C1",
            "Иванова",
            CallType::Base,
            &["greeting", "rudeness"],
        );
        t.data.reviews[0].unreadable = vec![crate::input::error::UnreadableCell {
            file: "reviews.xlsx".into(),
            row_word: crate::input::error::RowWord::Row,
            row: 2,
            column: crate::input::error::Column {
                header: Some("Возражения".into()),
                index: 7,
            },
            error: crate::value::ValueError::NotA {
                written: crate::value::Written::Whole("да?".into()),
                kind: crate::value::Expected::Mark,
            },
        }];
        t
    };
    vec![
        (
            "overdue-task",
            "overdue-task",
            TestData::new().tasks_file().task(
                "T1",
                "1",
                "Иванова",
                Some("26.11.2026 14:30"),
                false,
            ),
            "26.11.2026 14:31",
        ),
        (
            "deal-without-task",
            "deal-without-task",
            TestData::new().deals_file(&["nearest-task"]).deal(
                "1",
                "Квалификация",
                "Петров",
                |_| {},
            ),
            "26.11.2026 10:00",
        ),
        (
            "missing-phone",
            "missing-phone",
            TestData::new()
                .deals_file(&["phones", "contact-name"])
                .deal("1", "Счет", "Иванова", |d| d.phone = None),
            "26.11.2026 10:00",
        ),
        (
            "invalid-phone",
            "invalid-phone",
            TestData::new()
                .deals_file(&["phones", "contact-name"])
                .deal("1", "Счет", "Иванова", |d| {
                    d.phone = Some("555-66-77")
                }),
            "26.11.2026 10:00",
        ),
        (
            "stage-missing-data",
            "stage-missing-data",
            TestData::new().deals_file(&[]).deal(
                "1",
                "Квалификация",
                "Иванова",
                |d| d.empty = vec!["Вентили"],
            ),
            "26.11.2026 10:00",
        ),
        (
            "refusal-without-reason",
            "refusal-without-reason",
            TestData::new().deals_file(&["refusal-reason"]).deal(
                "1",
                "Закрыто и не реализовано",
                "Иванова",
                |_| {},
            ),
            "26.11.2026 10:00",
        ),
        (
            "unknown-stage",
            "unknown-stage",
            TestData::new()
                .deals_file(&[])
                .deal("1", "Переговоры", "Иванова", |_| {}),
            "26.11.2026 10:00",
        ),
        (
            "unreadable-value",
            "unreadable-value",
            reviews(),
            "26.11.2026 10:00",
        ),
        (
            "no-follow-up",
            "no-follow-up",
            TestData::new()
                .deals_file(&[])
                .deal("1", "Счет", "Иванова", |_| {})
                .tasks_file()
                .done("T1", "1", "Иванова", "25.11.2026 10:00", "Не дозвонился"),
            "26.11.2026 10:00",
        ),
        (
            "call-script-stages",
            "call-script-stages",
            reviews(),
            "26.11.2026 10:00",
        ),
        (
            "call-conduct",
            "call-conduct",
            reviews(),
            "26.11.2026 10:00",
        ),
        (
            "required",
            "missing-contact-name",
            TestData::new()
                .deals_file(&["phones", "contact-name"])
                .deal("1", "Счет", "Иванова", |d| d.contact = None),
            "26.11.2026 10:00",
        ),
        (
            "in-set",
            "payment-form",
            company().deals_file(&[]).deal("1", "Счет", "Иванова", |d| {
                d.values = vec![("Форма оплаты", "Карта")]
            }),
            "27.11.2026 02:00",
        ),
        (
            "pattern",
            "inn",
            company().deals_file(&[]).deal("1", "Счет", "Иванова", |d| {
                d.values = vec![("ИНН", "63-123")]
            }),
            "27.11.2026 02:00",
        ),
        (
            "ratio",
            "prepayment-band",
            company()
                .deals_file(&["budget"])
                .deal("1", "Счет", "Иванова", |d| {
                    d.values = vec![("Оплачено", "10000"), ("budget", "100000")]
                }),
            "27.11.2026 02:00",
        ),
        (
            "not-before-as-of",
            "close-date",
            company().deals_file(&[]).deal("1", "Счет", "Иванова", |d| {
                d.values = vec![("Планируемая дата закрытия", "26.11.2026")]
            }),
            "27.11.2026 02:00",
        ),
        (
            "daily-count",
            "daily-call-quota",
            TestData::new()
                .deals_file(&[])
                .deal("1", "Счет", "Петров", |_| {})
                .tasks_file()
                .letter("Петров", "26.11.2026 12:00")
                .calls_file()
                .calls("Петров", "26.11.2026 10:00", Outgoing, 3),
            "27.11.2026 02:00",
        ),
        (
            "stale-deal",
            "stale-deal",
            TestData::with_company_rules("[rules.stale-deal]\nenabled = true\n")
                .deals_file(&["modified"])
                .deal("1", "Счет", "Иванова", |d| {
                    d.values = vec![("modified", "02.11.2026")]
                }),
            "27.11.2026 02:00",
        ),
    ]
}

#[test]
fn every_kind_fills_every_placeholder_it_declares_and_emits_no_other_key() {
    let cases = cases();
    for kind in KINDS {
        assert!(
            cases.iter().any(|(k, ..)| *k == kind.name),
            "kind {} has a case here",
            kind.name
        );
    }
    for (kind, rule, data, as_of) in &cases {
        let declared = data.rules.rule(rule).unwrap().check.placeholders();
        assert_eq!(
            KINDS.iter().find(|k| k.name == *kind).unwrap().placeholders,
            declared,
            "rule {rule} is of kind {kind}"
        );
        let all: Vec<String> = declared.iter().map(|p| format!("{{{}}}", p.name)).collect();
        let template = Template::parse_placeholders(&all.join("|"), declared).unwrap();
        let found = data.details(rule, as_of);
        assert!(!found.is_empty(), "{rule} fires");
        for details in found {
            let message = template.render(|key| slot_text(&details, key, Lang::Ru));
            for (placeholder, text) in declared.iter().zip(message.split('|')) {
                assert!(
                    !text.is_empty(),
                    "{rule}: {{{}}} is empty in «{message}»",
                    placeholder.name
                );
            }
            for d in &details {
                assert!(
                    declared.iter().any(|p| p.key == d.key),
                    "{rule} emits `{}`, which no placeholder of {kind} names",
                    d.key
                );
            }
        }
    }
}

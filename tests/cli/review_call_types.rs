//! A call-review sheet's `Тип звонка` that names no script (`повторный`):
//! before, one such row ended the whole run with exit code 2, while an
//! empty type on another row was only skipped. Now it is skipped with its
//! word and the known types named, and ends the run only with `--strict`.

use crate::support::*;

const DEALS: &str = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Рабочий телефон (контакт)
1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,+7 927 123-45-67
";

/// Line 2: a base call missing its closing question (a violation); line 3:
/// `повторный`, no script; line 4: no type at all.
const REVIEWS: &str = "\
ID звонка,Дата звонка,Менеджер,Тип звонка,Приветствие,Установление контакта,Квалификация и выявление потребности,Презентация продукта,Предложение под потребность,Отработка возражений,Закрывающий вопрос,Грубость,Нецензурная лексика,Полемика с клиентом
1,26.11.2026 10:00,Иванова Мария,база,+,+,+,+,,+,,,,
2,26.11.2026 11:00,Иванова Мария,повторный,+,,,,,,,,,
3,26.11.2026 12:00,Иванова Мария,,+,+,+,+,,+,+,,,
";

fn folder() -> tempfile::TempDir {
    folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("reviews.csv", REVIEWS.as_bytes()),
    ])
}

#[test]
fn an_unknown_call_type_skips_its_review_with_the_word_and_the_known_types() {
    let dir = folder();
    let report = json_in(
        dir.path(),
        &[
            "deals.csv",
            "reviews.csv",
            "--as-of",
            AS_OF,
            "--select",
            "call-script-stages",
        ],
    );
    // Review 1 is judged; 2 (`повторный`, which would miss four stages of
    // either script) is not blamed for anything.
    assert_eq!(ids(&report, "call-script-stages"), ["1"]);
    let input = input(&report, "reviews.csv");
    assert_eq!(input["audited"], 1);
    assert_eq!(
        skipped(input),
        [
            (
                "reviewed call of type «повторный», neither «база» (base) nor «входящий» (inbound)"
                    .to_string(),
                1,
                vec![3]
            ),
            ("reviewed call without a call type".to_string(), 1, vec![4]),
        ]
    );
    // In Russian, the reason in the inputs section.
    let (_, table, _) = audit_in(
        dir.path(),
        &["deals.csv", "reviews.csv", "--as-of", AS_OF, "--lang", "ru"],
    );
    assert!(
        table.contains("проверенный звонок с типом «повторный»: ни «база», ни «входящий»"),
        "{table}"
    );
}

#[test]
fn with_strict_an_unknown_call_type_ends_the_run() {
    let dir = folder();
    let err = error_of(
        dir.path(),
        &["deals.csv", "reviews.csv", "--as-of", AS_OF, "--strict"],
    );
    assert!(
        err.contains(
            "reviews.csv, line 3, column \"Тип звонка\" (D): `повторный` is not a call type; \
             write «база» (base) or «входящий» (inbound)"
        ),
        "{err}"
    );
}

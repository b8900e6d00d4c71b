//! A placeholder in a mandatory field (`-`, `?`, a zero-width space alone)
//! is how a CRM's required field is got past: it fills nothing. Before,
//! each of these deals and tasks passed as filled. `нет` is no placeholder
//! unless a company lists it: it answers the qualification's yes/no fields.

use crate::support::*;

const DEALS: &str = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Номер счета,Причина отказа,Рабочий телефон (контакт)
1,Д1,-,Иванова Мария,Счет,1000,-,,+7 927 123-45-67
2,Д2,\u{200b},Иванова Мария,Счет,1000,С-2,,+7 927 123-45-67
3,Д3,Орлов Игорь,Иванова Мария,Закрыто и не реализовано,1000,,?,+7 927 123-45-67
4,Д4,Орлов Игорь,Иванова Мария,Закрыто и не реализовано,1000,,\u{2014},+7 927 123-45-67
5,Д5,Орлов Игорь,Иванова Мария,Закрыто и не реализовано,1000,,Дорого,+7 927 123-45-67
6,Д6,Орлов Игорь,Иванова Мария,Счет,1000,N/A,,+7 927 123-45-67
7,Д7,Орлов Игорь,Иванова Мария,Счет,1000,С-7,,+7 927 123-45-67
8,Д8,Орлов Игорь,Иванова Мария,Закрыто и не реализовано,1000,,Нет,+7 927 123-45-67
9,Д9,Орлов Игорь,Иванова Мария,Закрыто и не реализовано (-),1000,,,+7 927 123-45-67
10,Д10,Орлов Игорь,Иванова Мария,Закрыто и не реализовано (Дорого),1000,,,+7 927 123-45-67
";

const TASKS: &str = "\
ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания
T1;1;Иванова Мария;Звонок;25.11.2026 10:00;Да;25.11.2026 11:00;-;20.11.2026 10:00
T2;2;Иванова Мария;Звонок;25.11.2026 10:00;Да;25.11.2026 11:00;Договорились о встрече;20.11.2026 10:00
";

const RULES: &str =
    "missing-contact-name,invoice-missing,refusal-without-reason,task-without-result";

#[test]
fn a_placeholder_fills_no_field() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            AS_OF,
            "--select",
            RULES,
        ],
    );
    // Contact `-` (1) and a zero-width space alone (2): no contact name.
    assert_eq!(ids(&report, "missing-contact-name"), ["1", "2"]);
    // Invoice `-` (1) and `N/A` (6, case ignored); 2 and 7 have numbers.
    assert_eq!(ids(&report, "invoice-missing"), ["1", "6"]);
    // Reason `?` (3), an em dash (4) and `(-)` after the stage (9);
    // `Дорого` (5, and 10 in parentheses) is a reason, and so is `Нет` (8)
    // unless a company lists it.
    assert_eq!(ids(&report, "refusal-without-reason"), ["3", "4", "9"]);
    // Result `-` (T1); T2 says what happened.
    assert_eq!(ids(&report, "task-without-result"), ["T1"]);
}

#[test]
fn a_company_lists_its_own_blank_words() {
    // The company's list replaces the built-in one: `нет` is blank (8),
    // `-`, `?`, `N/A` and the em dash are no longer blank words (a
    // zero-width space alone still fills nothing: nothing visible in it).
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
        (
            "company.toml",
            "extends = \"builtin\"\nblank-words = [\"НЕТ\"]\n".as_bytes(),
        ),
    ]);
    let report = json_in(
        dir.path(),
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            AS_OF,
            "--select",
            RULES,
            "--rules",
            "company.toml",
        ],
    );
    assert_eq!(ids(&report, "missing-contact-name"), ["2"]);
    assert!(ids(&report, "invoice-missing").is_empty());
    assert_eq!(ids(&report, "refusal-without-reason"), ["8"]);
    assert!(ids(&report, "task-without-result").is_empty());
}

/// The fields the built-in rule set requires from «Квалификация» on.
const QUALIFICATION: [&str; 12] = [
    "Рабочее давление",
    "Модель радиатора",
    "Количество радиаторов",
    "Количество секций",
    "Диаметр подключения",
    "Вид подключения",
    "Покраска радиаторов",
    "Вентили",
    "Аксессуары",
    "Покраска вентилей и аксессуаров",
    "Форма оплаты",
    "Адрес и приемщик",
];

#[test]
fn a_stage_requirement_is_not_met_by_a_placeholder() {
    // A deal at «Счет» requires the qualification fields; every one is
    // filled except «Рабочее давление», which holds `?`: only it is missing.
    let header = format!(
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Номер счета,\
         Рабочий телефон (контакт),{}",
        QUALIFICATION.join(",")
    );
    let values = ["?"]
        .into_iter()
        .chain(std::iter::repeat_n("есть", QUALIFICATION.len() - 1))
        .collect::<Vec<_>>()
        .join(",");
    let deals =
        format!("{header}\n1,Д1,Орлов Игорь,Иванова Мария,Счет,С-1,+7 927 123-45-67,{values}\n");
    let dir = folder_with(&[("deals.csv", deals.as_bytes())]);
    let report = json_in(
        dir.path(),
        &[
            "deals.csv",
            "--as-of",
            AS_OF,
            "--select",
            "stage-missing-data",
        ],
    );
    let found = violation(&report, "stage-missing-data", "1");
    assert_eq!(
        found["details"]["missing_fields"],
        serde_json::json!(["Рабочее давление"])
    );
}

#[test]
fn an_empty_blank_word_is_a_rule_file_mistake() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        (
            "company.toml",
            "extends = \"builtin\"\nblank-words = [\"-\", \" \"]\n".as_bytes(),
        ),
    ]);
    let err = error_of(dir.path(), &["deals.csv", "--rules", "company.toml"]);
    assert!(err.contains("company.toml, line 2, column"), "{err}");
    assert!(err.contains("blank-words: an empty word"), "{err}");
}

/// A `-` in a manager cell names no one: before, it was a manager called
/// "-". The deal whose `Ответственный` is `-` is unassigned; the outgoing
/// call whose `Ответственный` is `-` is anyone's, so 26.11 cannot be
/// judged for the quota of 2 (it may be Петров's or Сидоров's second call)
/// and no one is blamed: neither "-" (no person) nor Петров and Сидоров
/// (1 call each, but the unnamed call may be theirs). Each row is
/// accounted: the call skipped with its reason.
#[test]
fn a_blank_word_in_a_manager_cell_names_no_manager() {
    let deals = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт)
1,Д1,Орлов Игорь,Петров Алексей,Новая заявка,1000,+7 927 123-45-67
2,Д2,Орлов Игорь,Сидоров Иван,Новая заявка,1000,+7 927 123-45-67
3,Д3,Орлов Игорь,-,Новая заявка,1000,+7 927 123-45-67
";
    let calls = "\
Дата,Ответственный,Направление,Статус
26.11.2026 09:00:00,Петров Алексей,Исходящий,Отвечен
26.11.2026 09:01:00,-,Исходящий,Отвечен
26.11.2026 09:05:00,Сидоров Иван,Исходящий,Отвечен
";
    // Deals 1 and 2 have an open task; deal 3 has none (CA002, unassigned).
    let tasks = "\
ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания
T1;1;Петров Алексей;Звонок;30.11.2026 10:00;Нет;;;20.11.2026 10:00
T2;2;Сидоров Иван;Звонок;30.11.2026 10:00;Нет;;;20.11.2026 10:00
";
    let dir = folder_with(&[
        ("deals.csv", deals.as_bytes()),
        ("calls.csv", calls.as_bytes()),
        ("tasks.csv", tasks.as_bytes()),
        (
            "r.toml",
            b"extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = 2\n",
        ),
    ]);
    let report = json_in(dir.path(), &[".", "--rules", "r.toml", "--as-of", AS_OF]);
    let names: Vec<&str> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"-"), "{names:?}");
    assert!(ids(&report, "daily-call-quota").is_empty());
    assert!(not_checked(&report, "daily-call-quota").contains(
        &"26.11.2026 not judged: 1 outgoing call(s) from an unnamed caller (the manager cell is empty)"
            .to_string()
    ));
    let deal = violation(&report, "deal-without-task", "3");
    assert_eq!(deal["manager"], "(unassigned)");
    assert_eq!(
        skipped(input(&report, "./calls.csv")),
        vec![("outgoing call without a manager".to_string(), 1, vec![3])]
    );
}

//! Inputs that come only some nights, and a first night with nothing to
//! compare: the report is written and the night recorded; what a missing
//! or cut input could hide stays open, not judged (neither fixed nor
//! gone), and the report and standard error say why. A deal export that
//! shrank past the threshold still marks nothing fixed.

use crate::support::{audit_in, folder_with};
use serde_json::Value;
use std::path::Path;

/// One deal in work of Иванова Мария with an open task due later: no deal
/// or task rule fires.
const DEALS: &str = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт)
1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67
";
const TASKS: &str = "\
ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания
T1;1;Иванова Мария;Звонок;30.11.2026 10:00;Нет;;;20.11.2026 10:00
";
/// Two reviewed base calls of Иванова: R-1 misses the presentation (a
/// call-script-stages violation), R-2 was rude (a call-conduct one).
const REVIEWS: &str = "\
ID звонка,Дата звонка,Менеджер,Тип звонка,Приветствие,Установление контакта,Квалификация и выявление потребности,Презентация продукта,Предложение под потребность,Отработка возражений,Закрывающий вопрос,Грубость,Нецензурная лексика,Полемика с клиентом
R-1,26.11.2026 10:00,Иванова Мария,база,+,+,+,,,+,+,,,
R-2,26.11.2026 11:00,Иванова Мария,база,+,+,+,+,,+,+,+,,
";

/// `crm-audit audit . --history h.sqlite --as-of AS_OF --format json`:
/// (exit code, report, stderr). The report must be written.
fn night(dir: &Path, as_of: &str) -> (i32, Value, String) {
    let (code, stdout, stderr) = audit_in(
        dir,
        &[
            ".",
            "--as-of",
            as_of,
            "--history",
            "h.sqlite",
            "--format",
            "json",
        ],
    );
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    (code, serde_json::from_str(&stdout).unwrap(), stderr)
}

/// `(rule, entity id)` of a list of the history part, sorted.
fn listed(report: &Value, list: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report["history"][list]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| {
                    (
                        v["rule"].as_str().unwrap().to_string(),
                        v["entity_id"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// `(rule, id, status, since)` of tonight's violations, sorted.
fn statuses(report: &Value) -> Vec<(String, String, String, String)> {
    let mut found: Vec<_> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let s = |key: &str| v[key].as_str().unwrap_or("").to_string();
            (
                s("rule"),
                v["entity"]["id"].as_str().unwrap().to_string(),
                s("status"),
                s("since"),
            )
        })
        .collect();
    found.sort();
    found
}

fn pair(rule: &str, id: &str) -> (String, String) {
    (rule.to_string(), id.to_string())
}

#[test]
fn a_night_without_the_review_sheet_is_recorded_and_keeps_its_violations_open() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
        ("reviews.csv", REVIEWS.as_bytes()),
    ]);
    let dir = dir.path();
    let (_, first, _) = night(dir, "2026-11-27 02:00");
    assert_eq!(
        statuses(&first),
        [
            (
                "call-conduct".into(),
                "R-2".into(),
                "new".into(),
                String::new()
            ),
            (
                "call-script-stages".into(),
                "R-1".into(),
                "new".into(),
                String::new()
            ),
        ]
    );

    // Night 2: the sheet is reviewed weekly, and tonight there is none.
    std::fs::remove_file(dir.join("reviews.csv")).unwrap();
    let (code, second, stderr) = night(dir, "2026-11-28 02:00");
    // Nothing found tonight; the two review violations are neither fixed
    // nor gone: their sheet is missing, so they stay open, not judged.
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(second["history"]["run"], 2);
    assert!(listed(&second, "fixed").is_empty());
    assert!(listed(&second, "gone").is_empty());
    assert_eq!(
        listed(&second, "not_judged"),
        [
            pair("call-conduct", "R-2"),
            pair("call-script-stages", "R-1")
        ]
    );
    assert_eq!(
        second["history"]["incomplete"][0],
        "no call-reviews tonight: the last run read 2 row(s) of call-reviews"
    );
    assert_eq!(second["managers"][0]["changes"]["not_judged"], 2);
    assert!(
        stderr.starts_with("crm-audit: warning: tonight's inputs look incomplete"),
        "{stderr}"
    );

    // Night 3: the sheet is back, as it was: both are still open since
    // night 1, not new (a retried `--fail-on new` must not fire on them).
    std::fs::write(dir.join("reviews.csv"), REVIEWS).unwrap();
    let (_, third, stderr) = night(dir, "2026-11-29 02:00");
    assert_eq!(stderr, "");
    let since = "2026-11-27T02:00:00+03:00".to_string();
    assert_eq!(
        statuses(&third),
        [
            (
                "call-conduct".into(),
                "R-2".into(),
                "open".into(),
                since.clone()
            ),
            (
                "call-script-stages".into(),
                "R-1".into(),
                "open".into(),
                since
            ),
        ]
    );
}

#[test]
fn a_retried_night_is_compared_with_the_night_before_not_with_itself() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
        ("reviews.csv", REVIEWS.as_bytes()),
    ]);
    let dir = dir.path();
    night(dir, "2026-11-27 02:00");
    std::fs::remove_file(dir.join("reviews.csv")).unwrap();
    night(dir, "2026-11-28 02:00");
    // The cron job retries night 2, the sheet still missing. The retry
    // replaces night 2's run, so it is measured against night 1 (two
    // reviews), not against the attempt it replaces (none): the two
    // review violations stay open and not judged, never gone.
    let (code, retry, stderr) = night(dir, "2026-11-28 02:00");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(retry["history"]["run"], 2);
    assert!(listed(&retry, "gone").is_empty());
    assert!(listed(&retry, "fixed").is_empty());
    assert_eq!(
        listed(&retry, "not_judged"),
        [
            pair("call-conduct", "R-2"),
            pair("call-script-stages", "R-1")
        ]
    );
    assert!(
        stderr.starts_with("crm-audit: warning: tonight's inputs look incomplete"),
        "{stderr}"
    );
}

#[test]
fn a_first_night_whose_call_log_ends_early_is_recorded() {
    // As of 27.11.2026 02:00 the quota judges 26.11; the log ends on 25.11.
    // With no run before it, nothing can be marked fixed: the night is
    // recorded (the quota says itself what it could not judge).
    let calls = "Дата,Ответственный,Направление,Статус\n\
                 25.11.2026 10:00:00,Иванова Мария,Исходящий,Отвечен\n";
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
        ("calls.csv", calls.as_bytes()),
    ]);
    let (_, report, stderr) = night(dir.path(), "2026-11-27 02:00");
    assert_eq!(stderr, "");
    assert_eq!(report["history"]["run"], 1);
    assert!(report["history"].get("incomplete").is_none());
}

/// `n` deals in work of Иванова Мария from ID 901, none with a phone: a
/// missing-phone violation each; with no task list, an empty `Ближайшая
/// задача` is a deal-without-task each too.
fn deals(n: usize) -> String {
    let mut text = String::from(
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Рабочий телефон (контакт),Ближайшая задача\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "{},Радиаторы,Орлов Игорь,Иванова Мария,Счет,,\n",
            901 + i
        ));
    }
    text
}

#[test]
fn a_deal_export_cut_in_half_marks_nothing_fixed_and_nothing_gone() {
    let dir = folder_with(&[("deals.csv", deals(10).as_bytes())]);
    let dir = dir.path();
    let (_, first, _) = night(dir, "2026-11-27 02:00");
    let phones = |r: &Value| {
        r["violations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["rule"] == "missing-phone")
            .count()
    };
    assert_eq!(phones(&first), 10);

    // Night 2: the export stops after 5 deals (a fall of 50%, past the
    // default 30%). The 5 deals read are judged (still open); the other
    // 5 deals' violations are neither fixed nor gone, but not judged.
    std::fs::write(dir.join("deals.csv"), deals(5)).unwrap();
    let (_, second, stderr) = night(dir, "2026-11-28 02:00");
    assert!(listed(&second, "fixed").is_empty(), "{second:#}");
    assert!(listed(&second, "gone").is_empty(), "{second:#}");
    let held = listed(&second, "not_judged");
    assert_eq!(held.len(), 10, "{held:?}");
    assert!(held.contains(&pair("missing-phone", "910")), "{held:?}");
    assert_eq!(
        second["history"]["incomplete"][0],
        "deals fell from 10 to 5 (50% fewer; at most 30% is allowed)"
    );
    assert!(stderr.contains("deals fell from 10 to 5"), "{stderr}");

    // Night 3: the export is whole again. Deal 910's violation is open
    // since night 1, not new.
    std::fs::write(dir.join("deals.csv"), deals(10)).unwrap();
    let (_, third, _) = night(dir, "2026-11-29 02:00");
    let since: Vec<&Value> = third["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "missing-phone" && v["entity"]["id"] == "910")
        .collect();
    assert_eq!(since.len(), 1);
    assert_eq!(since[0]["status"], "open");
    assert_eq!(since[0]["since"], "2026-11-27T02:00:00+03:00");
}

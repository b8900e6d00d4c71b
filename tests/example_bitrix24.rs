//! The second bundled example company (`examples/bitrix24`): Bitrix24's
//! HTML-table deal and task exports and a call log. The tool's JSON report
//! must find exactly the violations its README reasons out by hand, in the
//! table between the `expected-violations` markers, and say what it could
//! not check.

mod common;

use assert_cmd::Command;
use std::collections::BTreeSet;

const AS_OF: &str = "2026-11-27 02:00";
const FOLDER: &str = "examples/bitrix24";

/// (rule, manager, `kind:id`) rows of the README's expected table.
fn expected() -> BTreeSet<common::Row> {
    let set = common::expected(FOLDER);
    assert_eq!(set.len(), 22, "the README's table was read");
    set
}

fn audit_json() -> serde_json::Value {
    let output = Command::cargo_bin("crm-audit")
        .unwrap()
        .args(["audit", FOLDER, "--as-of", AS_OF, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "violations of severity error exit 1"
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn strings(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap()).collect())
        .unwrap_or_default()
}

#[test]
fn the_audit_finds_what_the_readme_reasons_out() {
    let report = audit_json();
    common::assert_same(&expected(), &report);
}

#[test]
fn the_exports_are_read_as_bitrix24_writes_them() {
    let report = audit_json();
    let inputs: Vec<(&str, &str, &str, u64, u64)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap(),
                i["kind"].as_str().unwrap(),
                i["format"].as_str().unwrap(),
                i["rows"].as_u64().unwrap(),
                i["audited"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            ("examples/bitrix24/calls.csv", "calls", "csv", 465, 465),
            ("examples/bitrix24/deals.xls", "deals", "html", 44, 40),
            ("examples/bitrix24/tasks.xls", "tasks", "html", 72, 72),
        ]
    );
    // Only the product rows of deals 4139, 4115 and 4102 are not deals of
    // their own.
    let skipped: Vec<(&str, &str, u64, Vec<u64>)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| {
            i["skipped"].as_array().unwrap().iter().map(move |s| {
                (
                    i["path"].as_str().unwrap(),
                    s["reason"].as_str().unwrap(),
                    s["count"].as_u64().unwrap(),
                    s["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_u64().unwrap())
                        .collect(),
                )
            })
        })
        .collect();
    assert_eq!(
        skipped,
        [(
            "examples/bitrix24/deals.xls",
            "repeats a deal ID read before (a product row of that deal)",
            4,
            vec![20, 21, 34, 45]
        )]
    );
}

#[test]
fn task_links_that_name_no_single_deal_are_noted_not_guessed() {
    let report = audit_json();
    let tasks = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "tasks")
        .unwrap();
    // The notes follow the report's language (Russian, the built-in
    // regulation's); in English they read as the README quotes them.
    assert_eq!(
        strings(&tasks["notes"]),
        [
            "задача 5242: «Радиаторы в квартиру» — название 2 сделок; не связана ни с одной сделкой",
            "задача 5255: «Тендер: радиаторы для школы № 45» не совпадает ни с одной сделкой",
        ]
    );
    for input in report["inputs"].as_array().unwrap() {
        if input["kind"] != "tasks" {
            assert!(strings(&input["notes"]).is_empty(), "{}", input["path"]);
        }
    }
}

#[test]
fn what_bitrix24_cannot_show_is_reported_as_not_checked() {
    let report = audit_json();
    let not_checked: Vec<String> = report["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{}: {}",
                n["rule"].as_str().unwrap(),
                n["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        not_checked,
        [
            "call-conduct: среди входных файлов нет листа разбора звонков",
            "call-script-stages: среди входных файлов нет листа разбора звонков",
            "daily-call-quota: examples/bitrix24/tasks.xls: письма не учтены (нет столбца типа задачи или даты выполнения): норма оценена только по звонкам",
            "deal-without-task: 2 сделки не оценены: задача указывает название сделки, общее для нескольких сделок",
            "invoice-missing: examples/bitrix24/deals.xls: нет столбца «Номер счета»",
            "no-follow-up: examples/bitrix24/tasks.xls: нет столбца с результатом",
            // The budget as the export names it (`Сумма`), the result by
            // its Russian name (the task export has no such column).
            "prepayment-below-minimum: examples/bitrix24/deals.xls: нет столбца «Оплачено»: отношение «Оплачено» / «Сумма» не проверено, проверено лишь, что поле «Сумма» заполнено там, где это требуется",
            "stage-missing-data: 1 сделка на этапе, которого нет в правилах, не оценена",
            "task-without-result: examples/bitrix24/tasks.xls: нет столбца «Результат»",
        ]
    );
}

#[test]
fn nine_rules_fire_and_one_manager_is_clean() {
    let report = audit_json();
    let firing: Vec<&str> = report["totals"]["by_rule"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, count)| count.as_u64().unwrap() > 0)
        .map(|(rule, _)| rule.as_str())
        .collect();
    assert_eq!(
        firing,
        [
            "daily-call-quota",
            "deal-without-task",
            "invalid-phone",
            "missing-contact-name",
            "missing-phone",
            "overdue-task",
            "refusal-without-reason",
            "task-overload",
            "unknown-stage",
        ]
    );
    let managers: Vec<(&str, u64, u64)> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap(),
                m["total"].as_u64().unwrap(),
                m["deals_in_work"].as_u64().unwrap(),
            )
        })
        .collect();
    // The head of sales, named only as a task's setter or observer and a
    // deal's editor, is no manager of the report.
    assert_eq!(
        managers,
        [
            ("Зайцев Игорь", 7, 6),
            ("Титова Елена", 4, 6),
            ("Громов Павел", 7, 6),
            ("Орлова Дарья", 4, 6),
            ("Белова Наталья", 0, 6),
        ]
    );
}

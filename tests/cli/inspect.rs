//! `crm-audit inspect`: what each file was read as, which header carries
//! which field, date ranges, managers and stages, and one test per warning.

use crate::support::*;
use std::path::Path;

fn inspect_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .arg("inspect")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn warnings(v: &serde_json::Value) -> Vec<String> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn how_each_file_was_read() {
    let example = format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"));
    let v = inspect_json(&fixtures(), &[&example]);
    let deals = &v["files"][2];
    assert_eq!(deals["kind"], "deals");
    assert_eq!(deals["fields"]["stage"], serde_json::json!(["Этап сделки"]));
    assert_eq!(
        deals["fields"]["Номер счета"],
        serde_json::json!(["Номер счета"]),
        "a field a rule reads"
    );
    assert!(deals["unmapped_headers"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("Кем создана")));
    // The example's README: 8 deals at «Квалификация», 10 of Волков Сергей.
    assert_eq!(deals["stages"]["Квалификация"], 8);
    assert_eq!(deals["managers"]["Волков Сергей"], 10);
    let calls = &v["files"][1];
    assert_eq!(
        calls["date_ranges"]["time"][0].as_str().unwrap().get(..10),
        Some("2026-11-25")
    );
    assert_eq!(
        warnings(&v),
        [
            "stage «Выставлен счёт» is unknown to the rule set: 1 deal(s), counted as in work",
            "1 deal(s) have no responsible manager"
        ]
    );
}

#[test]
fn warns_of_managers_the_roster_does_not_know_and_tasks_of_unknown_deals() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("deals.csv"),
        "ID,Название сделки,Этап сделки,Ответственный\n1,A,Счет,Иванова Мария\n2,B,Счет,Петров\n",
    )
    .unwrap();
    std::fs::write(p.join("tasks.csv"), "ID;ID сделки;Ответственный;Срок;Выполнена\nT1;1;Иванова Мария;27.11.2026;Нет\nT2;9;Иванова Мария;27.11.2026;Нет\n").unwrap();
    std::fs::write(
        p.join("calls.csv"),
        "Дата,Ответственный,Направление,ID сделки\n26.11.2026 10:00,Иванова Мария,Исходящий,1\n26.11.2026 11:00,Иванова Мария,Исходящий,77\n26.11.2026 12:00,Иванова Мария,Исходящий,77\n",
    )
    .unwrap();
    std::fs::write(
        p.join("roster.toml"),
        "extends = \"builtin\"\n[[managers]]\nname = \"Иванова Мария\"\n",
    )
    .unwrap();
    let v = inspect_json(
        p,
        &[
            "deals.csv",
            "tasks.csv",
            "calls.csv",
            "--rules",
            "roster.toml",
        ],
    );
    assert_eq!(
        warnings(&v),
        [
            "manager «Петров» is not in the managers roster",
            "1 task(s) name a deal ID that is not among the deals read",
            "2 call(s) name a deal ID that is not among the deals read"
        ]
    );
    let roster: Vec<(String, bool)> = v["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["in_roster"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        roster,
        [
            ("Иванова Мария".to_string(), true),
            ("Петров".to_string(), false)
        ]
    );
}

#[test]
fn warns_of_calls_from_extensions_the_roster_does_not_know() {
    let sipuni = format!(
        "{}/tests/fixtures/formats/sipuni_calls.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let v = inspect_json(&fixtures(), &[&sipuni]);
    // Outgoing calls from extensions 201 (09:12, 15:47) and 202 (09:40, 11:15).
    assert_eq!(
        warnings(&v),
        ["4 outgoing call(s) come from extensions the managers roster does not know"]
    );
    let skipped = v["files"][0]["skipped"].as_array().unwrap();
    assert_eq!(
        skipped.len(),
        2,
        "extensions 201 and 202, each with its rows"
    );
}

#[test]
fn names_that_are_no_person_are_listed() {
    // `sipuni_calls_named.csv`: `envyz` (a scenario) and `Отдел продаж` (a
    // group) answered one incoming call each; neither is a manager. With
    // no deal export, `202 (Нурмагамбетова)` names no manager either (no
    // roster, no owner in `Ответственный из CRM`, no full name): its 3
    // outgoing calls (09:05, 09:20, 16:45) are counted as an unknown
    // extension's.
    let log = format!(
        "{}/tests/fixtures/formats/sipuni_calls_named.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let v = inspect_json(&fixtures(), &[&log]);
    let managers = v["files"][0]["managers"].as_object().unwrap();
    assert!(!managers.contains_key("envyz"), "{managers:?}");
    assert_eq!(
        warnings(&v),
        [
            "not a person? «envyz» in 1 call(s), not judged as anyone's",
            "not a person? «Отдел продаж» in 1 call(s), not judged as anyone's",
            "3 outgoing call(s) come from extensions the managers roster does not know"
        ]
    );
}

#[test]
fn lists_each_word_it_could_not_classify_with_its_count() {
    // A task list with a type (`Совещание`, twice) and a state (`На паузе`)
    // and a call log with a status (`Сорвался`) and a direction
    // (`Переадресация`) that no `[values.*]` list of the built-in rule set
    // has. Inspect reads on and lists each word once with its rows; the
    // call of unknown direction is skipped, not guessed.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("tasks.csv"),
        "ID;Ответственный;Срок;Статус;Тип задачи\n\
         T1;Иванова Мария;27.11.2026;Ждет выполнения;Совещание\n\
         T2;Иванова Мария;27.11.2026;На паузе;Совещание\n\
         T3;Иванова Мария;27.11.2026;Завершена;Звонок\n",
    )
    .unwrap();
    std::fs::write(
        p.join("calls.csv"),
        "Дата;Ответственный;Направление;Статус\n\
         26.11.2026 10:00;Иванова Мария;Исходящий;Сорвался\n\
         26.11.2026 11:00;Иванова Мария;Переадресация;Отвечен\n",
    )
    .unwrap();
    let v = inspect_json(p, &["tasks.csv", "calls.csv"]);
    assert_eq!(
        warnings(&v),
        [
            "«Переадресация» is in no list of [values.call-direction]: 1 row(s), read as skipped",
            "«Сорвался» is in no list of [values.call-status]: 1 row(s), read as not answered",
            "«На паузе» is in no list of [values.task-state]: 1 row(s), read as open",
            "«Совещание» is in no list of [values.task-type]: 2 row(s), read as no type"
        ]
    );
}

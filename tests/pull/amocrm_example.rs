//! End to end: the example company of `examples/amocrm`, served by the
//! fake amoCRM as API pages the test builds from its files, pulled into a
//! snapshot; the audit of the snapshot (with the example's call-review
//! sheet, which no CRM holds) finds the same violations as the audit of
//! the example folder itself.
//!
//! The translation, file by file:
//! - `source/deals.csv` (the table `deals.xlsx` is made from): a deal per
//!   row; its stage a status of one pipeline «Воронка продаж» (142 won,
//!   143 lost, a reason written in the lost stage's parentheses or in
//!   `Причина отказа` its loss reason); the twelve qualification fields,
//!   `Номер счета`, `Оплачено` (a numeric field, sent as a number) and
//!   `Примечание 1` custom deal fields; the main contact a contact with
//!   its name and its work and mobile phones. Company, e-mail and the
//!   creator are not sent: no rule reads them.
//! - `tasks.csv`: a task per row, `T-1001` being task 1001 (amoCRM's task
//!   IDs are numbers); a task with no deal is on a company; a date-only
//!   due is amoCRM's whole-day task, due 23:59; a completed task was last
//!   changed when it was completed.
//! - `calls.csv`: a call note per row on its deal, or on a contact when the
//!   row has none; answered is a conversation (call_status 4), not
//!   answered is "did not get through" (6).

use super::amocrm::{assert_no_token, snap, workspace, Run, TOKEN};
use super::amocrm_fake::{handler, Account};
use super::server::RoutedServer;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/amocrm");
const PIPELINE: i64 = 7_000_001;

fn read(path: &str, delimiter: u8) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(format!("{EXAMPLE}/{path}"))
        .unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A company-local moment (`dd.mm.yyyy hh:mm[:ss]`, or a bare day at
/// 23:59) as a unix timestamp.
fn ts(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let local = NaiveDateTime::parse_from_str(text, "%d.%m.%Y %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%d.%m.%Y %H:%M"))
        .or_else(|_| {
            NaiveDate::parse_from_str(text, "%d.%m.%Y").map(|d| d.and_hms_opt(23, 59, 0).unwrap())
        })
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    Some(
        chrono_tz::Europe::Moscow
            .from_local_datetime(&local)
            .single()
            .unwrap()
            .timestamp(),
    )
}

fn seconds(duration: &str) -> i64 {
    let (m, s) = duration.split_once(':').unwrap();
    m.parse::<i64>().unwrap() * 60 + s.parse::<i64>().unwrap()
}

/// The deal fields sent as custom fields, in the export's column order.
const FIELDS: [&str; 15] = [
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
    "Номер счета",
    "Оплачено",
    "Примечание 1",
];

fn example_account() -> Account {
    let deals = read("source/deals.csv", b',');
    let tasks = read("tasks.csv", b';');
    let calls = read("calls.csv", b',');

    let mut users: BTreeMap<String, i64> = BTreeMap::new();
    for name in deals
        .iter()
        .chain(&tasks)
        .chain(&calls)
        .map(|r| r["Ответственный"].clone())
        .filter(|n| !n.is_empty())
    {
        let next = 501 + users.len() as i64;
        users.entry(name).or_insert(next);
    }
    let user = |name: &str| users.get(name).copied().unwrap_or(0);

    let mut statuses: Vec<(i64, String)> = vec![
        (142, "Успешно реализовано".into()),
        (143, "Закрыто и не реализовано".into()),
    ];
    let mut leads = Vec::new();
    let mut contacts = Vec::new();
    for (row, deal) in deals.iter().enumerate() {
        let stage = deal["Этап сделки"].as_str();
        let mut reason = deal["Причина отказа"].clone();
        let status = if let Some(rest) = stage.strip_prefix("Закрыто и не реализовано")
        {
            if reason.is_empty() {
                reason = rest
                    .trim()
                    .trim_start_matches('(')
                    .trim_end_matches(')')
                    .to_string();
            }
            143
        } else if let Some((id, _)) = statuses.iter().find(|(_, n)| n == stage) {
            *id
        } else {
            let id = 40_000_000 + statuses.len() as i64;
            statuses.push((id, stage.to_string()));
            id
        };
        let fields: Vec<Value> = FIELDS
            .iter()
            .enumerate()
            .filter(|(_, name)| !deal[**name].is_empty())
            .map(|(i, name)| {
                let text = &deal[*name];
                let (kind, value) = match (*name, text.parse::<i64>()) {
                    ("Оплачено", Ok(n)) => ("numeric", json!(n)),
                    _ => ("text", json!(text)),
                };
                json!({"field_id": 900 + i, "field_name": name, "field_code": null,
                       "field_type": kind, "values": [{"value": value}]})
            })
            .collect();
        let mut embedded = json!({"tags": []});
        let (name, work, mobile) = (
            &deal["Основной контакт"],
            &deal["Рабочий телефон (контакт)"],
            &deal["Мобильный телефон (контакт)"],
        );
        if !(name.is_empty() && work.is_empty() && mobile.is_empty()) {
            let id = 60_000 + row as i64;
            let mut phones = Vec::new();
            if !work.is_empty() {
                phones.push(json!({"value": work, "enum_code": "WORK"}));
            }
            if !mobile.is_empty() {
                phones.push(json!({"value": mobile, "enum_code": "MOB"}));
            }
            let fields = if phones.is_empty() {
                Value::Null
            } else {
                json!([{"field_id": 3, "field_name": "Телефон", "field_code": "PHONE",
                        "field_type": "multitext", "values": phones}])
            };
            contacts.push(json!({"id": id, "name": name, "custom_fields_values": fields}));
            embedded["contacts"] = json!([{"id": id, "is_main": true}]);
        }
        if !reason.is_empty() {
            embedded["loss_reason"] = json!([{"id": 1, "name": reason}]);
        }
        leads.push(json!({
            "id": deal["ID"].parse::<i64>().unwrap(),
            "name": deal["Название сделки"],
            "price": deal["Бюджет"].parse::<i64>().unwrap_or(0),
            "responsible_user_id": user(&deal["Ответственный"]),
            "status_id": status,
            "pipeline_id": PIPELINE,
            "created_at": ts(&deal["Дата создания"]),
            "updated_at": ts(&deal["Дата изменения"]),
            // `не закрыта` on the open deals is no moment: no closed_at.
            "closed_at": if deal["Дата закрытия"].starts_with(|c: char| c.is_ascii_digit()) {
                ts(&deal["Дата закрытия"])
            } else {
                None
            },
            "closest_task_at": ts(&deal["Ближайшая задача"]),
            "custom_fields_values": if fields.is_empty() { Value::Null } else { json!(fields) },
            "_embedded": embedded,
        }));
    }

    let task_types = ["Звонок", "Встреча", "Письмо"];
    let tasks: Vec<Value> = tasks
        .iter()
        .map(|t| {
            let done = t["Выполнена"] == "Да";
            let created = ts(&t["Дата создания"]);
            let (entity_type, entity_id) = match t["ID сделки"].parse::<i64>() {
                Ok(deal) => ("leads", deal),
                Err(_) => ("companies", 1),
            };
            json!({
                "id": t["ID"].trim_start_matches("T-").parse::<i64>().unwrap(),
                "responsible_user_id": user(&t["Ответственный"]),
                "entity_id": entity_id, "entity_type": entity_type,
                "is_completed": done,
                "task_type_id": 1 + task_types.iter().position(|k| *k == t["Тип задачи"]).unwrap(),
                "text": "", "duration": 0,
                "result": if t["Результат"].is_empty() { json!([]) } else { json!({"text": t["Результат"]}) },
                "complete_till": ts(&t["Срок"]),
                "created_at": created,
                "updated_at": if done { ts(&t["Дата выполнения"]) } else { created },
            })
        })
        .collect();

    let notes: Vec<(&'static str, Value)> = calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let at = ts(&c["Дата"]);
            let (on, entity) = match c["ID сделки"].parse::<i64>() {
                Ok(deal) => ("leads", deal),
                Err(_) => ("contacts", 1),
            };
            let note = json!({
                "id": 9_000_000 + i as i64, "entity_id": entity,
                "created_by": user(&c["Ответственный"]),
                "responsible_user_id": user(&c["Ответственный"]),
                "created_at": at, "updated_at": at,
                "note_type": if c["Направление"] == "Исходящий" { "call_out" } else { "call_in" },
                "params": {"uniq": format!("call-{i}"), "duration": seconds(&c["Длительность"]),
                           "source": "telephony", "phone": c["Телефон"],
                           "call_status": if c["Статус"] == "Отвечен" { 4 } else { 6 }},
            });
            (on, note)
        })
        .collect();

    Account {
        token: TOKEN.to_string(),
        time_zone: "Europe/Moscow".into(),
        task_types: task_types
            .iter()
            .enumerate()
            .map(|(i, k)| json!({"id": i + 1, "name": k}))
            .collect(),
        users: users
            .iter()
            .map(|(name, id)| json!({"id": id, "name": name}))
            .collect(),
        pipelines: vec![
            json!({"id": PIPELINE, "name": "Воронка продаж", "is_main": true,
            "_embedded": {"statuses": statuses.iter()
                .map(|(id, name)| json!({"id": id, "name": name, "pipeline_id": PIPELINE}))
                .collect::<Vec<_>>()}}),
        ],
        lead_fields: FIELDS
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let kind = if *name == "Оплачено" {
                    "numeric"
                } else {
                    "text"
                };
                json!({"id": 900 + i, "name": name, "type": kind})
            })
            .collect(),
        leads,
        contacts,
        tasks,
        notes,
        page_size: 250,
    }
}

/// The audit's violations, each without what names the file and row it
/// was read from (and the fingerprint, made of the entity's ID), a task's
/// `T-` dropped from its ID, and a deal's budget of 0 taken for none: an
/// amoCRM deal always has a price, 0 when unset, where an export may show
/// an empty cell (deal 31460309); the rules read both alike.
fn violations(paths: &[&Path]) -> Vec<Value> {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .arg("audit")
        .args(paths)
        .args(["--as-of", "2026-11-27 02:00", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut found: Vec<Value> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .cloned()
        .map(|mut v| {
            let v = v.as_object_mut().unwrap();
            v.remove("source");
            v.remove("fingerprint");
            let entity = v.get_mut("entity").unwrap().as_object_mut().unwrap();
            if let Some(Value::String(id)) = entity.get_mut("id") {
                *id = id.trim_start_matches("T-").to_string();
            }
            if entity.get("budget").and_then(Value::as_f64) == Some(0.0) {
                entity.remove("budget");
            }
            Value::Object(v.clone())
        })
        .collect();
    found.sort_by_key(|v| v.to_string());
    found
}

#[test]
fn the_example_company_pulled_from_the_api_has_the_same_violations() {
    let dir = workspace();
    let server = RoutedServer::start(handler(example_account(), vec![]));
    // History back to 01.09.2026 whenever the test runs (the example's
    // oldest completed task is of 10.11.2026).
    let september = chrono::DateTime::parse_from_rfc3339("2026-09-01T00:00:00Z").unwrap();
    let days = (chrono::Utc::now() - september.to_utc())
        .num_days()
        .to_string();
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .env_remove("AMOCRM_TOKEN")
        .args([
            "pull",
            "amocrm",
            "--url",
            &server.url.clone(),
            "--days",
            &days,
            "--out",
        ])
        .arg(snap(dir.path()))
        .arg("--token-file")
        .arg(dir.path().join("token"))
        .output()
        .unwrap();
    server.requests();
    let run = Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert_no_token(dir.path(), &run, TOKEN);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("pulled 523 calls, 60 deals, 156 tasks from "),
        "{}",
        run.stdout
    );

    let example = violations(&[Path::new(EXAMPLE)]);
    let reviews = Path::new(EXAMPLE).join("call_reviews.csv");
    let pulled = violations(&[&snap(dir.path()), &reviews]);
    assert_eq!(example.len(), 41, "the README's 41 violations");
    for (a, b) in example.iter().zip(&pulled) {
        assert_eq!(a, b);
    }
    assert_eq!(example.len(), pulled.len());
}

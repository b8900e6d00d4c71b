//! `pull bitrix24`: tonight's deals, tasks and calls of a Bitrix24 portal
//! through an incoming webhook (see `bitrix24_api`), written as the files
//! the audit reads from Bitrix24's own exports:
//!
//! - `deals.csv` in the layout of the deal export (`Стадия сделки`,
//!   `Воронка`, `Сумма`, the responsible and the primary contact by name,
//!   the contact's phones), every deal of every pipeline the webhook's
//!   user sees; the stage and pipeline by name (`crm.status.list`,
//!   `crm.category.list`), and every custom deal field as a column under
//!   its label (`crm.deal.userfield.list`), so the company's own `Причина
//!   отказа` is read as in an export.
//! - `tasks.csv` in the layout of the task export (`Крайний срок`,
//!   `Статус` in the portal's words, `Дата закрытия`), with the deal as an
//!   `ID сделки` column from the task's CRM binding (`D_123`) instead of
//!   the export's title, which two deals may share. A task bound to several
//!   deals is linked to the first. Every open task is pulled, and the
//!   tasks completed within `--days`; declined tasks are neither open nor
//!   done for any rule, and are not pulled.
//! - `calls.csv`: the call activities (`crm.activity.list`, `TYPE_ID` 2)
//!   started within `--days`, each credited to its responsible; a call on
//!   a deal carries the deal's ID. Activities need only the `crm` right
//!   and hold the calls of every telephony the portal records, Bitrix24's
//!   own and an external PBX's; they do not say whether the call was
//!   answered nor reliably how long it took, so the file has no status or
//!   duration column (a quota counting only answered or long calls is
//!   then not checked, and the report says so).
//!
//! People are written `Фамилия Имя`, as the portal's Russian exports
//! write them. Times are written as the portal sends them, in its own
//! offset. A responsible the portal's users do not include ends the pull
//! rather than inventing a manager.

use super::bitrix24_api::{int, text, Api, Listed};
use super::manifest::Entity;
use super::table::Table;
use anyhow::{bail, Context};
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

pub use super::crm::{Options, CALLS_FILE, DEALS_FILE, DEFAULT_DAYS, TASKS_FILE};

/// What a pull fetched, as files.
#[derive(Debug)]
pub struct Pulled {
    pub files: Vec<(&'static str, Vec<u8>)>,
    pub entities: BTreeMap<String, Entity>,
    /// The first moment of history pulled (completed tasks, calls).
    pub since: DateTime<Utc>,
}

/// Bitrix24's task states (`REAL_STATUS`) in the words of its task export.
fn task_status(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "Новая",
        2 => "Ждет выполнения",
        3 => "Выполняется",
        4 => "Ждет контроля",
        5 => "Завершена",
        6 => "Отложена",
        7 => "Отклонена",
        _ => return None,
    })
}
/// The tasks pulled whatever their age: those not closed. 4 (`Ждет
/// контроля`, finished and waiting for the setter's check) is among them,
/// as its closing date may be empty; written in its word, the audit takes
/// it for done, as it does in a task export.
const OPEN_STATES: [i64; 5] = [1, 2, 3, 4, 6];
const COMPLETED: i64 = 5;

/// Fetches everything and builds the snapshot's files.
pub fn pull(api: &mut Api, options: Options) -> anyhow::Result<Pulled> {
    let since = options.now - chrono::Duration::days(i64::from(options.days));
    let since_text = since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let users = api.list("user.get", json!({}), None)?;
    let (pipelines, stages) = pipelines_and_stages(api)?;
    let fields = api.list(
        "crm.deal.userfield.list",
        json!({"filter": {"LANG": "ru"}, "order": {"SORT": "ASC", "ID": "ASC"}}),
        None,
    )?;
    let mut select = vec![Value::from("*")];
    select.extend(
        fields
            .items
            .iter()
            .filter_map(|f| text(f, "FIELD_NAME"))
            .map(Value::from),
    );
    let deals = api.list(
        "crm.deal.list",
        json!({"select": select, "order": {"ID": "ASC"}}),
        None,
    )?;
    let contacts = api.list(
        "crm.contact.list",
        json!({"select": ["ID", "NAME", "LAST_NAME", "PHONE"], "order": {"ID": "ASC"}}),
        None,
    )?;
    let (open, done) = open_and_done_tasks(api, &since_text)?;
    let calls = calls_since(api, &since_text)?;

    let people = People::new(&users.items);
    let deals_table = deals_table(
        &deals.items,
        &pipelines,
        &stages,
        &fields.items,
        &contacts.items,
        &people,
    )?;
    let mut tasks: Vec<&Value> = open.items.iter().chain(&done.items).collect();
    tasks.sort_by_key(|t| int(t, "id"));
    tasks.dedup_by_key(|t| int(t, "id"));
    let tasks_table = tasks_table(&tasks, &people)?;
    let calls_table = calls_table(&calls.items, &people)?;

    let entity = |file: &str, table: &Table, pages: u64, total: Option<u64>| Entity {
        file: file.to_string(),
        rows: table.len(),
        pages,
        api_total: total,
    };
    let mut entities = BTreeMap::new();
    entities.insert(
        "deals".into(),
        entity(DEALS_FILE, &deals_table, deals.pages, deals.total),
    );
    entities.insert(
        "tasks".into(),
        entity(
            TASKS_FILE,
            &tasks_table,
            open.pages + done.pages,
            sum(&open, &done),
        ),
    );
    entities.insert(
        "calls".into(),
        entity(CALLS_FILE, &calls_table, calls.pages, calls.total),
    );
    Ok(Pulled {
        files: vec![
            (DEALS_FILE, deals_table.to_bytes()?),
            (TASKS_FILE, tasks_table.to_bytes()?),
            (CALLS_FILE, calls_table.to_bytes()?),
        ],
        entities,
        since,
    })
}

/// The deal pipelines' names by id, and every pipeline's stages' names
/// by stage id.
fn pipelines_and_stages(
    api: &mut Api,
) -> anyhow::Result<(HashMap<i64, String>, HashMap<String, String>)> {
    let categories = api.list(
        "crm.category.list",
        json!({"entityTypeId": 2}),
        Some("categories"),
    )?;
    let mut pipelines: HashMap<i64, String> = HashMap::new();
    let mut stage_lists = vec![(0, "DEAL_STAGE".to_string())];
    for category in &categories.items {
        let id = int(category, "id").context("crm.category.list: a pipeline without an id")?;
        pipelines.insert(id, text(category, "name").unwrap_or_default());
        if id != 0 {
            stage_lists.push((id, format!("DEAL_STAGE_{id}")));
        }
    }
    let mut stages: HashMap<String, String> = HashMap::new();
    for (_, entity) in &stage_lists {
        let listed = api.list(
            "crm.status.list",
            json!({"filter": {"ENTITY_ID": entity}}),
            None,
        )?;
        for status in &listed.items {
            if let (Some(id), Some(name)) = (text(status, "STATUS_ID"), text(status, "NAME")) {
                stages.insert(id, name);
            }
        }
    }
    Ok((pipelines, stages))
}

/// The open tasks, and those completed since `since_text`.
fn open_and_done_tasks(api: &mut Api, since_text: &str) -> anyhow::Result<(Listed, Listed)> {
    let task_select = json!([
        "ID",
        "TITLE",
        "STATUS",
        "REAL_STATUS",
        "DEADLINE",
        "CLOSED_DATE",
        "CREATED_DATE",
        "RESPONSIBLE_ID",
        "UF_CRM_TASK"
    ]);
    let open = api.list(
        "tasks.task.list",
        json!({"filter": {"REAL_STATUS": OPEN_STATES}, "select": task_select,
               "order": {"ID": "asc"}}),
        Some("tasks"),
    )?;
    let done = api.list(
        "tasks.task.list",
        json!({"filter": {"REAL_STATUS": COMPLETED, ">=CLOSED_DATE": since_text},
               "select": task_select, "order": {"ID": "asc"}}),
        Some("tasks"),
    )?;
    Ok((open, done))
}

/// The call activities started since `since_text`.
fn calls_since(api: &mut Api, since_text: &str) -> anyhow::Result<Listed> {
    api.list(
        "crm.activity.list",
        json!({"filter": {"TYPE_ID": 2, ">=START_TIME": since_text},
               "select": ["ID", "OWNER_ID", "OWNER_TYPE_ID", "START_TIME", "DIRECTION",
                          "RESPONSIBLE_ID", "COMMUNICATIONS"],
               "order": {"ID": "ASC"}}),
        None,
    )
}

fn sum(a: &Listed, b: &Listed) -> Option<u64> {
    Some(a.total? + b.total?)
}

/// The portal's users by ID, as `Фамилия Имя`.
struct People {
    names: HashMap<i64, String>,
}

impl People {
    fn new(users: &[Value]) -> People {
        let names = users
            .iter()
            .filter_map(|u| Some((int(u, "ID")?, person(u))))
            .collect();
        People { names }
    }

    /// A user by ID; 0 or none is nobody. An ID the portal's users do not
    /// have is an error: a made-up name would be blamed for it.
    fn user(&self, id: Option<i64>, what: &str) -> anyhow::Result<String> {
        match id {
            None | Some(0) => Ok(String::new()),
            Some(id) => match self.names.get(&id) {
                Some(name) => Ok(name.clone()),
                None => bail!("{what}: the responsible user {id} is not among the portal's users"),
            },
        }
    }
}

/// `LAST_NAME NAME`, or whichever part there is.
fn person(record: &Value) -> String {
    [text(record, "LAST_NAME"), text(record, "NAME")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A moment as the portal sent it (`2026-11-26T14:30:00+03:00`), written
/// `26.11.2026 14:30:00` in the same offset.
fn moment(value: Option<String>, what: &str) -> anyhow::Result<String> {
    let Some(value) = value else {
        return Ok(String::new());
    };
    let parsed: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(&value)
        .with_context(|| format!("{what}: `{value}` is not a moment (expected ISO 8601)"))?;
    Ok(parsed.format("%d.%m.%Y %H:%M:%S").to_string())
}

const DEAL_COLUMNS: [&str; 15] = [
    "ID",
    "Название сделки",
    "Стадия сделки",
    "Воронка",
    "Сумма",
    "Валюта",
    "Ответственный",
    "Дата создания",
    "Дата изменения",
    "Сделка закрыта",
    "Контакт",
    "Контакт: Имя",
    "Контакт: Фамилия",
    "Контакт: Рабочий телефон",
    "Контакт: Мобильный телефон",
];
/// Phones of other kinds (home, fax, mailing…): still numbers to call.
const OTHER_PHONE: &str = "Другой телефон";

fn deals_table(
    deals: &[Value],
    pipelines: &HashMap<i64, String>,
    stages: &HashMap<String, String>,
    fields: &[Value],
    contacts: &[Value],
    people: &People,
) -> anyhow::Result<Table> {
    let (header, custom) = deal_header(fields);
    let contacts: HashMap<i64, &Value> = contacts
        .iter()
        .filter_map(|c| Some((int(c, "ID")?, c)))
        .collect();

    let mut table = Table::new(header.clone());
    for deal in deals {
        let id = int(deal, "ID").context("crm.deal.list: a deal without an ID")?;
        let what = format!("deal {id}");
        let stage_id = text(deal, "STAGE_ID").unwrap_or_default();
        let Some(stage) = stages.get(&stage_id) else {
            bail!("{what}: its stage `{stage_id}` is not among the portal's deal stages");
        };
        let category = int(deal, "CATEGORY_ID").unwrap_or(0);
        let pipeline = match pipelines.get(&category) {
            Some(name) => name.clone(),
            None if category == 0 => String::new(),
            None => bail!("{what}: its pipeline {category} is not among the portal's pipelines"),
        };
        let mut row = vec![String::new(); header.len()];
        row[0] = id.to_string();
        row[1] = text(deal, "TITLE").unwrap_or_default();
        row[2] = stage.clone();
        row[3] = pipeline;
        row[4] = text(deal, "OPPORTUNITY").unwrap_or_default();
        row[5] = text(deal, "CURRENCY_ID").unwrap_or_default();
        row[6] = people.user(int(deal, "ASSIGNED_BY_ID"), &what)?;
        row[7] = moment(text(deal, "DATE_CREATE"), &what)?;
        row[8] = moment(text(deal, "DATE_MODIFY"), &what)?;
        row[9] = match text(deal, "CLOSED").as_deref() {
            Some("Y") => "Да".into(),
            Some("N") => "Нет".into(),
            _ => String::new(),
        };
        let contact = int(deal, "CONTACT_ID")
            .filter(|&c| c > 0)
            .and_then(|c| contacts.get(&c));
        if let Some(contact) = contact {
            fill_contact(&mut row, contact);
        }
        for (code, column, field) in &custom {
            let value = field_text(
                deal.get(code.as_str()).unwrap_or(&Value::Null),
                field,
                &what,
            )?;
            if row[*column].is_empty() {
                row[*column] = value;
            } else if *column > 15 && !value.is_empty() {
                append(&mut row[*column], &value);
            }
        }
        table.push(row);
    }
    Ok(table)
}

/// A custom deal field: its code (`UF_CRM_…`), its column, its definition.
type CustomField<'a> = (String, usize, &'a Value);

/// The deal export's header, and each custom field's code, column and
/// definition. Custom fields go by label; fields of one label share a
/// column, and a label that is a fixed column fills it where it is empty.
fn deal_header(fields: &[Value]) -> (Vec<String>, Vec<CustomField<'_>>) {
    let mut header: Vec<String> = DEAL_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.push(OTHER_PHONE.to_string());
    let mut by_name: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), i))
        .collect();
    let mut custom: Vec<CustomField> = Vec::new();
    for field in fields {
        let Some(code) = text(field, "FIELD_NAME") else {
            continue;
        };
        let label = label(field).unwrap_or_else(|| code.clone());
        let column = match by_name.get(&label) {
            Some(&column) => column,
            None => {
                header.push(label.clone());
                by_name.insert(label, header.len() - 1);
                header.len() - 1
            }
        };
        custom.push((code, column, field));
    }
    (header, custom)
}

/// The deal's contact: its name as a person, first and last name, and
/// each phone in the column of its kind (work, mobile, other).
fn fill_contact(row: &mut [String], contact: &Value) {
    row[10] = person(contact);
    row[11] = text(contact, "NAME").unwrap_or_default();
    row[12] = text(contact, "LAST_NAME").unwrap_or_default();
    for phone in contact["PHONE"].as_array().into_iter().flatten() {
        let Some(number) = text(phone, "VALUE") else {
            continue;
        };
        let column = match text(phone, "VALUE_TYPE").as_deref() {
            Some("WORK") => 13,
            Some("MOBILE") => 14,
            _ => 15,
        };
        append(&mut row[column], &number);
    }
}

fn append(cell: &mut String, value: &str) {
    if cell.is_empty() {
        *cell = value.to_string();
    } else {
        *cell = format!("{cell}, {value}");
    }
}

/// A field's label in the list (or the form): a string with `LANG`, or
/// one per language without it (Russian first).
fn label(field: &Value) -> Option<String> {
    for key in ["LIST_COLUMN_LABEL", "EDIT_FORM_LABEL"] {
        match field.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.trim().to_string()),
            Some(Value::Object(by_lang)) => {
                let found = by_lang
                    .get("ru")
                    .into_iter()
                    .chain(by_lang.values())
                    .find_map(|v| v.as_str().map(str::trim).filter(|s| !s.is_empty()));
                if let Some(found) = found {
                    return Some(found.to_string());
                }
            }
            _ => {}
        }
    }
    None
}

/// A custom field's value as one cell: a list item by its text, yes/no as
/// `Да`/`Нет`, a date or moment as the export writes it, money without its
/// currency, several values joined with `, `.
fn field_text(value: &Value, field: &Value, what: &str) -> anyhow::Result<String> {
    let kind = text(field, "USER_TYPE_ID").unwrap_or_default();
    let one = |v: &Value| -> anyhow::Result<String> {
        let Some(raw) = (match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
            _ => None,
        }) else {
            return Ok(String::new());
        };
        if raw.is_empty() {
            return Ok(raw);
        }
        Ok(match kind.as_str() {
            "enumeration" => field["LIST"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|item| text(item, "ID").as_deref() == Some(raw.as_str()))
                .and_then(|item| text(item, "VALUE"))
                .unwrap_or(raw),
            "boolean" => match raw.as_str() {
                "1" | "Y" | "true" => "Да".into(),
                _ => "Нет".into(),
            },
            "date" => DateTime::parse_from_rfc3339(&raw)
                .map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or(raw),
            "datetime" => moment(Some(raw), what)?,
            "money" => raw.split('|').next().unwrap_or("").to_string(),
            _ => raw,
        })
    };
    match value {
        Value::Array(values) => {
            let mut parts = Vec::new();
            for v in values {
                let t = one(v)?;
                if !t.is_empty() {
                    parts.push(t);
                }
            }
            Ok(parts.join(", "))
        }
        v => one(v),
    }
}

fn tasks_table(tasks: &[&Value], people: &People) -> anyhow::Result<Table> {
    let header = [
        "ID",
        "Название",
        "Ответственный",
        "Дата создания",
        "Статус",
        "Крайний срок",
        "Дата закрытия",
        "ID сделки",
    ];
    let mut table = Table::new(header.iter().map(|s| s.to_string()).collect());
    for task in tasks {
        let id = int(task, "id").context("tasks.task.list: a task without an id")?;
        let what = format!("task {id}");
        let code = int(task, "realStatus")
            .or_else(|| int(task, "status"))
            .with_context(|| format!("{what}: no status"))?;
        let Some(status) = task_status(code) else {
            bail!("{what}: its status {code} is none of Bitrix24's task states 1 to 7");
        };
        let deal = task["ufCrmTask"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find_map(|b| b.strip_prefix("D_"))
            .unwrap_or("")
            .to_string();
        table.push(vec![
            id.to_string(),
            text(task, "title").unwrap_or_default(),
            people.user(int(task, "responsibleId"), &what)?,
            moment(text(task, "createdDate"), &what)?,
            status.to_string(),
            moment(text(task, "deadline"), &what)?,
            if code == COMPLETED {
                moment(text(task, "closedDate"), &what)?
            } else {
                String::new()
            },
            deal,
        ]);
    }
    Ok(table)
}

/// Owner type 2 in Bitrix24's CRM is a deal.
const OWNER_DEAL: i64 = 2;

fn calls_table(activities: &[Value], people: &People) -> anyhow::Result<Table> {
    let header = [
        "Дата",
        "Ответственный",
        "Направление",
        "Телефон",
        "ID сделки",
    ];
    let mut table = Table::new(header.iter().map(|s| s.to_string()).collect());
    let mut calls: Vec<&Value> = activities.iter().collect();
    calls.sort_by_key(|a| (text(a, "START_TIME"), int(a, "ID")));
    for call in calls {
        let id = int(call, "ID").unwrap_or(0);
        let what = format!("call activity {id}");
        let direction = match int(call, "DIRECTION") {
            Some(1) => "Входящий",
            Some(2) => "Исходящий",
            other => bail!(
                "{what}: its direction {} is neither 1 (incoming) nor 2 (outgoing)",
                other
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "(none)".into())
            ),
        };
        let phone = call["COMMUNICATIONS"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|c| text(c, "VALUE"))
            .unwrap_or_default();
        let deal = match int(call, "OWNER_TYPE_ID") {
            Some(OWNER_DEAL) => int(call, "OWNER_ID")
                .filter(|&d| d > 0)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        table.push(vec![
            moment(text(call, "START_TIME"), &what)?,
            people.user(int(call, "RESPONSIBLE_ID"), &what)?,
            direction.to_string(),
            phone,
            deal,
        ]);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_keep_the_portals_offset() {
        assert_eq!(
            moment(Some("2026-11-26T14:30:00+03:00".into()), "x").unwrap(),
            "26.11.2026 14:30:00"
        );
        assert_eq!(moment(None, "x").unwrap(), "");
        let e = moment(Some("26.11.2026".into()), "task 5")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("task 5: `26.11.2026` is not a moment"), "{e}");
    }

    #[test]
    fn an_unknown_user_is_an_error_not_a_name() {
        let people = People::new(&[json!({"ID": "5", "NAME": "Дарья", "LAST_NAME": "Орлова"})]);
        assert_eq!(people.user(Some(5), "deal 1").unwrap(), "Орлова Дарья");
        assert_eq!(people.user(Some(0), "deal 1").unwrap(), "");
        assert_eq!(
            people.user(Some(9), "deal 1").unwrap_err().to_string(),
            "deal 1: the responsible user 9 is not among the portal's users"
        );
    }

    #[test]
    fn custom_fields_read_as_a_person_sees_them() {
        let list = json!({"USER_TYPE_ID": "enumeration",
                          "LIST": [{"ID": "31", "VALUE": "Дорого"}]});
        assert_eq!(field_text(&json!("31"), &list, "d").unwrap(), "Дорого");
        assert_eq!(
            field_text(&json!(["31", "32"]), &list, "d").unwrap(),
            "Дорого, 32"
        );
        let flag = json!({"USER_TYPE_ID": "boolean"});
        assert_eq!(field_text(&json!("1"), &flag, "d").unwrap(), "Да");
        let money = json!({"USER_TYPE_ID": "money"});
        assert_eq!(field_text(&json!("5000|RUB"), &money, "d").unwrap(), "5000");
        assert_eq!(field_text(&Value::Null, &money, "d").unwrap(), "");
        assert_eq!(
            label(&json!({"LIST_COLUMN_LABEL": {"en": "Reason", "ru": "Причина отказа"}})),
            Some("Причина отказа".into())
        );
    }

    #[test]
    fn task_states_are_the_exports_words() {
        assert_eq!(task_status(4), Some("Ждет контроля"));
        assert_eq!(task_status(7), Some("Отклонена"));
        assert_eq!(task_status(-1), None);
    }
}

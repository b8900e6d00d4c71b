//! `pull amocrm`: tonight's deals, tasks and calls of an amoCRM account
//! through API v4 (see `amocrm_api`), written as the files a person would
//! give the audit:
//!
//! - `deals.csv` in the layout of amoCRM's own deal export: stage and
//!   pipeline by name (statuses through the pipelines; 142 won, 143 lost),
//!   the responsible by name, the budget (amoCRM keeps an unset budget as
//!   0, and writes it so in its export; the rules take 0 for no budget),
//!   the loss reason as `Причина
//!   отказа`, every custom field of deals as a column under its name (all
//!   the account defines, so a field no deal fills is an empty column, not
//!   a missing one), and the main contact's name and phones.
//! - `tasks.csv`: every open task, and the tasks completed within `--days`.
//!   A task due at 23:59 is a task "for the whole day" and is written as
//!   the bare day, as the audit reads a date-only due. The API gives no
//!   completion time: a completed task's last change (`updated_at`) is
//!   taken for it.
//! - `calls.csv`: the call notes (`call_in`, `call_out`) on deals,
//!   contacts and companies created within `--days`, credited to the
//!   note's responsible user (its author when none); a call noted on a
//!   contact or company has no deal.
//!
//! Times are the account's own (`datetime_settings.timezone`).

use super::amocrm_api::{
    Account, Api, Contact, FieldDef, FieldValues, Lead, Listed, Named, Note, Pipeline, Task,
};
use super::manifest::Entity;
use super::table::Table;
use anyhow::{bail, Context};
use chrono::{DateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};

pub use super::crm::{Options, CALLS_FILE, DEALS_FILE, DEFAULT_DAYS, TASKS_FILE};

/// amoCRM's fixed won and lost statuses, in every pipeline.
const WON: i64 = 142;
const LOST: i64 = 143;

/// What a pull fetched, as files.
#[derive(Debug)]
pub struct Pulled {
    pub files: Vec<(&'static str, Vec<u8>)>,
    pub entities: BTreeMap<String, Entity>,
    pub time_zone: String,
    /// The first moment of history pulled (completed tasks, calls).
    pub since: DateTime<Utc>,
}

/// Fetches everything and builds the snapshot's files.
pub fn pull(api: &mut Api, options: Options) -> anyhow::Result<Pulled> {
    let since = options.now - chrono::Duration::days(i64::from(options.days));
    let since_ts = since.timestamp();
    let (account, zone_name, zone) = account(api)?;
    let users = users(api)?;
    let pipelines: Listed<Pipeline> = api.list("api/v4/leads/pipelines", "", "pipelines")?;
    let fields: Listed<FieldDef> = api.list("api/v4/leads/custom_fields", "", "custom_fields")?;
    let leads: Listed<Lead> = api.list("api/v4/leads", "with=contacts,loss_reason", "leads")?;
    let contacts: Listed<Contact> = api.list("api/v4/contacts", "", "contacts")?;
    let open: Listed<Task> = api.list("api/v4/tasks", &query("filter[is_completed]=0"), "tasks")?;
    let done: Listed<Task> = api.list(
        "api/v4/tasks",
        &query(&format!(
            "filter[is_completed]=1&filter[updated_at][from]={since_ts}"
        )),
        "tasks",
    )?;
    let (mut notes, note_pages) = call_notes(api, since_ts)?;

    let names = Names {
        users: users
            .items
            .iter()
            .map(|u| (u.id, u.name.clone().unwrap_or_default()))
            .collect(),
        zone,
    };
    let deals = deals_table(
        &leads.items,
        &pipelines.items,
        &fields.items,
        &contacts.items,
        &names,
    )?;
    let task_types: HashMap<i64, String> = account
        .embedded
        .task_types
        .iter()
        .map(|t| (t.id, t.name.clone().unwrap_or_default()))
        .collect();
    let mut tasks: Vec<&Task> = open.items.iter().chain(&done.items).collect();
    tasks.sort_by_key(|t| t.id);
    tasks.dedup_by_key(|t| t.id);
    let tasks = tasks_table(&tasks, &task_types, &names)?;
    notes.sort_by_key(|n| (n.created_at, n.id));
    let calls = calls_table(&notes, &names)?;

    let entity = |file: &str, table: &Table, pages: u64| Entity {
        file: file.to_string(),
        rows: table.len(),
        pages,
        api_total: None,
    };
    let mut entities = BTreeMap::new();
    entities.insert("deals".into(), entity(DEALS_FILE, &deals, leads.pages));
    entities.insert(
        "tasks".into(),
        entity(TASKS_FILE, &tasks, open.pages + done.pages),
    );
    entities.insert("calls".into(), entity(CALLS_FILE, &calls, note_pages));
    Ok(Pulled {
        files: vec![
            (DEALS_FILE, deals.to_bytes()?),
            (TASKS_FILE, tasks.to_bytes()?),
            (CALLS_FILE, calls.to_bytes()?),
        ],
        entities,
        time_zone: zone_name,
        since,
    })
}

/// The account, with its time zone's name and the zone.
fn account(api: &mut Api) -> anyhow::Result<(Account, String, Tz)> {
    let account: Account = api
        .get("api/v4/account?with=task_types,datetime_settings")?
        .context("GET /api/v4/account: an empty answer")?;
    let zone_name = account
        .embedded
        .datetime_settings
        .as_ref()
        .and_then(|d| d.timezone.clone())
        .context("GET /api/v4/account: the account does not say its time zone")?;
    let zone: Tz = zone_name.parse().map_err(|_| {
        anyhow::anyhow!("GET /api/v4/account: `{zone_name}` is not a time zone the tool knows")
    })?;
    Ok((account, zone_name, zone))
}

/// The account's users; a refusal says that only an administrator's
/// token may list them.
fn users(api: &mut Api) -> anyhow::Result<Listed<Named>> {
    api.list("api/v4/users", "", "users").map_err(|e| {
        let denied = e
            .downcast_ref::<super::http::HttpError>()
            .is_some_and(|h| h.status == Some(403));
        if denied {
            e.context(
                "amoCRM lists its users to administrators only: make the long-lived token \
                 as an administrator of the account",
            )
        } else {
            e
        }
    })
}

/// The call notes of deals, contacts and companies made since `since_ts`
/// (only a deal's note keeps its deal), with the pages they took.
fn call_notes(api: &mut Api, since_ts: i64) -> anyhow::Result<(Vec<Note>, u64)> {
    let mut notes: Vec<Note> = Vec::new();
    let mut pages = 0;
    for entity in ["leads", "contacts", "companies"] {
        let listed: Listed<Note> = api.list(
            &format!("api/v4/{entity}/notes"),
            &query(&format!(
                "filter[note_type][]=call_in&filter[note_type][]=call_out\
                 &filter[updated_at][from]={since_ts}"
            )),
            "notes",
        )?;
        pages += listed.pages;
        notes.extend(
            listed
                .items
                .into_iter()
                .filter(|n| n.created_at.is_some_and(|t| t >= since_ts))
                .map(|mut n| {
                    if entity != "leads" {
                        n.entity_id = None;
                    }
                    n
                }),
        );
    }
    Ok((notes, pages))
}

/// A query with its brackets percent-encoded (`filter[id]` is
/// `filter%5Bid%5D` on the wire).
fn query(text: &str) -> String {
    text.replace('[', "%5B").replace(']', "%5D")
}

/// How ids and times become what a person reads.
struct Names {
    users: HashMap<i64, String>,
    zone: Tz,
}

impl Names {
    /// A user by id; 0 or none is nobody. An id the account's users do
    /// not have is an error: a made-up name would be blamed for it.
    fn user(&self, id: Option<i64>, what: &str) -> anyhow::Result<String> {
        match id {
            None | Some(0) => Ok(String::new()),
            Some(id) => match self.users.get(&id) {
                Some(name) => Ok(name.clone()),
                None => bail!("{what}: the responsible user {id} is not among the account's users"),
            },
        }
    }

    /// A moment as `26.11.2026 14:30:00`, company-local.
    fn moment(&self, ts: Option<i64>) -> String {
        self.local(ts)
            .map(|t| t.format("%d.%m.%Y %H:%M:%S").to_string())
            .unwrap_or_default()
    }

    /// A due moment; 23:59 (a task for the whole day) is the bare day.
    fn due(&self, ts: Option<i64>) -> String {
        match self.local(ts) {
            Some(t) if t.hour() == 23 && t.minute() == 59 => t.format("%d.%m.%Y").to_string(),
            Some(t) => t.format("%d.%m.%Y %H:%M:%S").to_string(),
            None => String::new(),
        }
    }

    fn local(&self, ts: Option<i64>) -> Option<DateTime<Tz>> {
        ts.filter(|&t| t > 0)
            .and_then(|t| self.zone.timestamp_opt(t, 0).single())
    }
}

/// The main contact's phone columns, by the phone's kind.
const PHONE_COLUMNS: [(&str, &str); 5] = [
    ("WORK", "Рабочий телефон (контакт)"),
    ("WORKDD", "Рабочий прямой телефон (контакт)"),
    ("MOB", "Мобильный телефон (контакт)"),
    ("HOME", "Домашний телефон (контакт)"),
    ("OTHER", "Другой телефон (контакт)"),
];

const FIXED: [&str; 11] = [
    "ID",
    "Название сделки",
    "Ответственный",
    "Этап сделки",
    "Воронка",
    "Бюджет",
    "Дата создания",
    "Дата изменения",
    "Теги сделки",
    "Ближайшая задача",
    "Дата закрытия",
];
const REFUSAL: &str = "Причина отказа";
const CONTACT: &str = "Основной контакт";

fn deals_table(
    leads: &[Lead],
    pipelines: &[Pipeline],
    fields: &[FieldDef],
    contacts: &[Contact],
    names: &Names,
) -> anyhow::Result<Table> {
    let mut stages: HashMap<(i64, i64), String> = HashMap::new();
    let mut pipeline_names: HashMap<i64, String> = HashMap::new();
    for pipeline in pipelines {
        pipeline_names.insert(pipeline.id, pipeline.name.clone());
        for status in &pipeline.embedded.statuses {
            let name = status.name.clone().unwrap_or_default();
            stages.insert((pipeline.id, status.id), name);
        }
    }
    let columns = DealColumns::of(fields);
    let contacts: HashMap<i64, &Contact> = contacts.iter().map(|c| (c.id, c)).collect();
    let mut table = Table::new(columns.header.clone());
    for lead in leads {
        let what = format!("lead {}", lead.id);
        let stage = match stages.get(&(lead.pipeline_id, lead.status_id)) {
            Some(name) => name.clone(),
            None if lead.status_id == WON => "Успешно реализовано".to_string(),
            None if lead.status_id == LOST => "Закрыто и не реализовано".to_string(),
            None => bail!(
                "{what}: its status {} is not among the statuses of pipeline {}",
                lead.status_id,
                lead.pipeline_id
            ),
        };
        let mut row = vec![String::new(); columns.header.len()];
        row[0] = lead.id.to_string();
        row[1] = lead.name.clone().unwrap_or_default();
        row[2] = names.user(lead.responsible_user_id, &what)?;
        row[3] = stage;
        row[4] = pipeline_names
            .get(&lead.pipeline_id)
            .cloned()
            .unwrap_or_default();
        row[5] = lead.price.map(amount).unwrap_or_default();
        row[6] = names.moment(lead.created_at);
        row[7] = names.moment(lead.updated_at);
        row[8] = join(lead.embedded.tags.iter().filter_map(|t| t.name.clone()));
        row[9] = names.moment(lead.closest_task_at);
        row[10] = names.moment(lead.closed_at);
        columns.fill_custom_fields(&mut row, lead, names, &what)?;
        let reason = join(
            lead.embedded
                .loss_reason
                .iter()
                .filter_map(|r| r.name.clone()),
        );
        if !reason.is_empty() {
            row[columns.refusal] = reason;
        }
        let main = lead
            .embedded
            .contacts
            .iter()
            .find(|c| c.is_main)
            .or_else(|| lead.embedded.contacts.first());
        if let Some(contact) = main.and_then(|c| contacts.get(&c.id)) {
            columns.fill_contact(&mut row, contact);
        }
        table.push(row);
    }
    Ok(table)
}

/// The columns of the deal export: the fixed columns, every custom field
/// by name (fields of one name share a column; a field named as a fixed
/// column fills it when the fixed value is empty), the loss reason, the
/// main contact and its phones.
struct DealColumns {
    header: Vec<String>,
    /// Each column by its header.
    by_name: HashMap<String, usize>,
    /// Each custom field's column, by the field's id.
    by_field: HashMap<i64, usize>,
    /// The first custom field's column.
    custom_start: usize,
    refusal: usize,
    contact: usize,
}

impl DealColumns {
    fn of(fields: &[FieldDef]) -> DealColumns {
        let mut header: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
        let tail: Vec<&str> = std::iter::once(REFUSAL)
            .chain(std::iter::once(CONTACT))
            .chain(PHONE_COLUMNS.iter().map(|(_, h)| *h))
            .collect();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, h) in FIXED.iter().enumerate() {
            by_name.insert(h.to_string(), i);
        }
        let custom_start = header.len();
        let mut custom_names: Vec<String> = Vec::new();
        for field in fields {
            let name = field.name.trim().to_string();
            if !by_name.contains_key(&name) && !tail.contains(&name.as_str()) {
                by_name.insert(name.clone(), custom_start + custom_names.len());
                custom_names.push(name.clone());
            }
        }
        header.extend(custom_names.iter().cloned());
        let tail_start = header.len();
        header.extend(tail.iter().map(|s| s.to_string()));
        for (i, h) in tail.iter().enumerate() {
            by_name.insert(h.to_string(), tail_start + i);
        }
        let by_field = fields
            .iter()
            .map(|field| (field.id, by_name[field.name.trim()]))
            .collect();
        DealColumns {
            header,
            refusal: by_name[REFUSAL],
            contact: by_name[CONTACT],
            by_name,
            by_field,
            custom_start,
        }
    }

    /// The lead's custom field values into their columns: a fixed
    /// column's value stays when it has one, values of fields sharing a
    /// name are joined.
    fn fill_custom_fields(
        &self,
        row: &mut [String],
        lead: &Lead,
        names: &Names,
        what: &str,
    ) -> anyhow::Result<()> {
        for values in lead.custom_fields_values.iter().flatten() {
            let column = values
                .field_id
                .and_then(|id| self.by_field.get(&id).copied())
                .or_else(|| {
                    values
                        .field_name
                        .as_deref()
                        .and_then(|n| self.by_name.get(n.trim()).copied())
                });
            let Some(column) = column else {
                bail!(
                    "{what}: its custom field {} is not among the deal fields the account defines",
                    values.field_id.map(|i| i.to_string()).unwrap_or_default()
                );
            };
            let text = field_text(values, names);
            if row[column].is_empty() {
                row[column] = text;
            } else if !text.is_empty() && column >= self.custom_start {
                row[column] = format!("{}, {text}", row[column]);
            }
        }
        Ok(())
    }

    /// The main contact's name and phones, each phone in its kind's column.
    fn fill_contact(&self, row: &mut [String], contact: &Contact) {
        row[self.contact] = contact.name.clone().unwrap_or_default();
        for (kind, phone) in phones(contact) {
            let h = PHONE_COLUMNS
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(PHONE_COLUMNS[4].1, |(_, h)| *h);
            let cell = &mut row[self.by_name[h]];
            if cell.is_empty() {
                *cell = phone;
            } else {
                *cell = format!("{cell}, {phone}");
            }
        }
    }
}

/// A contact's phones with their kind (`WORK`, `MOB`, …; `OTHER` when the
/// kind is none of the five).
fn phones(contact: &Contact) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for field in contact.custom_fields_values.iter().flatten() {
        if field.field_code.as_deref() != Some("PHONE") {
            continue;
        }
        for value in field.values.iter().flatten() {
            let kind = value
                .enum_code
                .as_deref()
                .or(value.enum_name.as_deref())
                .unwrap_or("OTHER");
            let kind = PHONE_COLUMNS
                .iter()
                .map(|(k, _)| *k)
                .find(|k| k.eq_ignore_ascii_case(kind))
                .unwrap_or("OTHER");
            let text = scalar(&value.value);
            if !text.is_empty() {
                out.push((kind, text));
            }
        }
    }
    out
}

/// A custom field's values as one cell: dates company-local, several
/// values joined with `, `.
fn field_text(field: &FieldValues, names: &Names) -> String {
    let kind = field.field_type.as_deref().unwrap_or("");
    join(field.values.iter().flatten().map(|v| {
        match (&v.value, kind) {
            (serde_json::Value::Number(n), "date" | "birthday") => names
                .local(n.as_i64())
                .map(|t| t.format("%d.%m.%Y").to_string())
                .unwrap_or_default(),
            (serde_json::Value::Number(n), "date_time") => names.moment(n.as_i64()),
            (value, _) => scalar(value),
        }
    }))
}

/// A JSON scalar as text: a string as it is, a number as written, a
/// checkbox as `Да`/`Нет`.
fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(true) => "Да".into(),
        serde_json::Value::Bool(false) => "Нет".into(),
        _ => String::new(),
    }
}

fn amount(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn tasks_table(
    tasks: &[&Task],
    types: &HashMap<i64, String>,
    names: &Names,
) -> anyhow::Result<Table> {
    let header = [
        "ID",
        "ID сделки",
        "Ответственный",
        "Тип задачи",
        "Срок",
        "Выполнена",
        "Дата выполнения",
        "Результат",
        "Дата создания",
        "Текст задачи",
    ];
    let mut table = Table::new(header.iter().map(|s| s.to_string()).collect());
    for task in tasks {
        let what = format!("task {}", task.id);
        let deal = match (task.entity_type.as_deref(), task.entity_id) {
            (Some("leads"), Some(id)) if id > 0 => id.to_string(),
            _ => String::new(),
        };
        let kind = task.task_type_id.map_or(String::new(), |id| {
            types.get(&id).cloned().unwrap_or_else(|| id.to_string())
        });
        table.push(vec![
            task.id.to_string(),
            deal,
            names.user(task.responsible_user_id, &what)?,
            kind,
            names.due(task.complete_till),
            if task.is_completed { "Да" } else { "Нет" }.to_string(),
            if task.is_completed {
                names.moment(task.updated_at)
            } else {
                String::new()
            },
            task.result.text().to_string(),
            names.moment(task.created_at),
            task.text.clone().unwrap_or_default(),
        ]);
    }
    Ok(table)
}

/// A call note's outcome (`params.call_status`) as the call log's status:
/// the client spoke (4 a conversation, 2 "call back later", 3 "not in")
/// is answered; a message left, a wrong number, no answer (1, 5, 6) is
/// not; 7 is busy; 8 ("undefined") or none is left empty.
fn call_status(code: Option<i64>) -> &'static str {
    match code {
        Some(2..=4) => "Отвечен",
        Some(1 | 5 | 6) => "Не отвечен",
        Some(7) => "Занято",
        _ => "",
    }
}

fn calls_table(notes: &[Note], names: &Names) -> anyhow::Result<Table> {
    let header = [
        "Дата",
        "Ответственный",
        "Направление",
        "Статус",
        "Длительность",
        "Телефон",
        "ID сделки",
    ];
    let mut table = Table::new(header.iter().map(|s| s.to_string()).collect());
    for note in notes {
        let what = format!("call note {}", note.id);
        let direction = match note.note_type.as_str() {
            "call_in" => "Входящий",
            "call_out" => "Исходящий",
            _ => continue,
        };
        let responsible = note
            .responsible_user_id
            .filter(|&id| id > 0)
            .or(note.created_by);
        let params = note.params.as_ref();
        let number = |v: Option<&serde_json::Value>| match v {
            Some(serde_json::Value::Number(n)) => n.as_i64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let duration = number(params.and_then(|p| p.duration.as_ref()));
        let status = number(params.and_then(|p| p.call_status.as_ref()));
        table.push(vec![
            names.moment(note.created_at),
            names.user(responsible, &what)?,
            direction.to_string(),
            call_status(status).to_string(),
            duration.map(|d| d.to_string()).unwrap_or_default(),
            params.and_then(|p| p.phone.clone()).unwrap_or_default(),
            note.entity_id
                .filter(|&id| id > 0)
                .map(|id| id.to_string())
                .unwrap_or_default(),
        ]);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            users: [(501, "Петров Алексей".to_string())].into_iter().collect(),
            zone: chrono_tz::Europe::Moscow,
        }
    }

    #[test]
    fn a_whole_day_task_is_due_on_its_day() {
        let names = names();
        // 1795726740 = 26.11.2026 23:59:00 Moscow; 1795683600 = 26.11.2026 12:00.
        assert_eq!(names.due(Some(1_795_726_740)), "26.11.2026");
        assert_eq!(names.due(Some(1_795_683_600)), "26.11.2026 12:00:00");
        assert_eq!(names.due(None), "");
    }

    #[test]
    fn an_unknown_user_is_an_error_not_a_name() {
        let names = names();
        assert_eq!(names.user(Some(501), "lead 1").unwrap(), "Петров Алексей");
        assert_eq!(names.user(Some(0), "lead 1").unwrap(), "");
        let e = names.user(Some(77), "lead 1").unwrap_err().to_string();
        assert_eq!(
            e,
            "lead 1: the responsible user 77 is not among the account's users"
        );
    }

    #[test]
    fn call_outcomes() {
        assert_eq!(call_status(Some(4)), "Отвечен");
        assert_eq!(call_status(Some(6)), "Не отвечен");
        assert_eq!(call_status(Some(7)), "Занято");
        assert_eq!(call_status(None), "");
    }

    #[test]
    fn brackets_are_encoded() {
        assert_eq!(
            query("filter[note_type][]=call_in"),
            "filter%5Bnote_type%5D%5B%5D=call_in"
        );
    }
}

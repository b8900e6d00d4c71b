//! amoCRM API v4 as a pull reads it: the requests (a bearer token, `limit`
//! 250 and `page` until a page has no `_links.next` or the answer is
//! `204 No Content`), and the shapes of the answers, read tolerantly:
//! unknown fields are ignored, `custom_fields_values: null` is no field,
//! a task's `result` is `[]` when empty and `{"text": …}` when set.
//!
//! The page is counted here, never taken from `_links.next.href`: the
//! token goes only to the address given with `--url`.

use super::crm::parse_json;
use super::endpoint::BaseUrl;
use super::http::{Client, Request};
use super::secret::Secret;
use anyhow::{bail, Context};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The most a list page holds (the API's own cap).
pub const PAGE_LIMIT: u32 = 250;
/// A list longer than this many pages is taken for a server that never
/// stops saying "next" (2.5 million records).
pub const MAX_PAGES: u32 = 10_000;

/// The API of one account, behind one client.
pub struct Api<'a> {
    pub client: &'a mut Client,
    pub base: &'a BaseUrl,
    pub token: &'a Secret,
    /// Told after every page (see `progress`).
    pub on_page: super::progress::OnPage<'a>,
}

/// A list read whole: its records and the requests it took.
#[derive(Debug)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub pages: u64,
}

impl Api<'_> {
    fn request(&self, path_and_query: &str) -> (String, Request) {
        let url = self.base.join(path_and_query);
        let mut request = Request::get(url.clone());
        request.headers.push((
            "Authorization".to_string(),
            Secret::new(format!("Bearer {}", self.token.expose())),
        ));
        (url, request)
    }

    /// One object; `None` for a `204 No Content`.
    pub fn get<T: DeserializeOwned>(&mut self, path_and_query: &str) -> anyhow::Result<Option<T>> {
        let (url, request) = self.request(path_and_query);
        let reply = self.client.send(&request)?;
        if reply.status == 204 || reply.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        parse_json(&reply.body)
            .with_context(|| format!("GET {url}"))
            .map(Some)
    }

    /// Every record of a list, page after page; `key` names the array
    /// under `_embedded` (`leads`, `tasks`, …).
    pub fn list<T: DeserializeOwned>(
        &mut self,
        path: &str,
        query: &str,
        key: &str,
    ) -> anyhow::Result<Listed<T>> {
        let mut items = Vec::new();
        for page in 1..=MAX_PAGES {
            let pages = u64::from(page);
            let sep = if query.is_empty() { "" } else { "&" };
            let asked = format!("{path}?{query}{sep}limit={PAGE_LIMIT}&page={page}");
            let Some(body) = self.get::<Page>(&asked)? else {
                return Ok(Listed { items, pages });
            };
            let url = self.base.join(&asked);
            let records = match body.embedded.as_ref().and_then(|e| e.get(key)) {
                Some(records) => records.clone(),
                None if body.embedded.is_none() => serde_json::Value::Array(Vec::new()),
                None => bail!("GET {url}: the answer has no `_embedded.{key}` list"),
            };
            let mut read: Vec<T> = serde_json::from_value(records)
                .with_context(|| format!("GET {url}: `_embedded.{key}` is not a list of {key}"))?;
            let empty = read.is_empty();
            items.append(&mut read);
            super::progress::tell(&mut self.on_page, key, pages, items.len() as u64);
            let has_next = body
                .links
                .as_ref()
                .and_then(|l| l.get("next"))
                .is_some_and(|n| !n.is_null());
            if !has_next || empty {
                return Ok(Listed { items, pages });
            }
        }
        bail!(
            "GET {}: the list goes on past {MAX_PAGES} pages of {PAGE_LIMIT}; \
             the server keeps saying there is a next page",
            self.base.join(path)
        )
    }
}

#[derive(Debug, Deserialize)]
struct Page {
    #[serde(rename = "_embedded")]
    embedded: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(rename = "_links")]
    links: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `GET /api/v4/account?with=task_types,datetime_settings`.
#[derive(Debug, Deserialize)]
pub struct Account {
    #[serde(rename = "_embedded", default)]
    pub embedded: AccountEmbedded,
}

#[derive(Debug, Default, Deserialize)]
pub struct AccountEmbedded {
    #[serde(default)]
    pub task_types: Vec<Named>,
    pub datetime_settings: Option<DatetimeSettings>,
}

#[derive(Debug, Deserialize)]
pub struct DatetimeSettings {
    pub timezone: Option<String>,
}

/// Anything with an `id` and a `name`: a user, a task type, a loss reason.
#[derive(Debug, Clone, Deserialize)]
pub struct Named {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Pipeline {
    pub id: i64,
    pub name: String,
    #[serde(rename = "_embedded", default)]
    pub embedded: PipelineEmbedded,
}

#[derive(Debug, Default, Deserialize)]
pub struct PipelineEmbedded {
    #[serde(default)]
    pub statuses: Vec<Named>,
}

/// A custom field's definition (`/api/v4/leads/custom_fields`).
#[derive(Debug, Deserialize)]
pub struct FieldDef {
    pub id: i64,
    pub name: String,
}

/// A custom field's values on a record.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldValues {
    pub field_id: Option<i64>,
    pub field_name: Option<String>,
    pub field_code: Option<String>,
    pub field_type: Option<String>,
    #[serde(default)]
    pub values: Option<Vec<FieldValue>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FieldValue {
    #[serde(default)]
    pub value: serde_json::Value,
    pub enum_code: Option<String>,
    #[serde(rename = "enum")]
    pub enum_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Lead {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub price: Option<f64>,
    #[serde(default)]
    pub responsible_user_id: Option<i64>,
    pub status_id: i64,
    pub pipeline_id: i64,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub updated_at: Option<i64>,
    #[serde(default)]
    pub closed_at: Option<i64>,
    #[serde(default)]
    pub closest_task_at: Option<i64>,
    #[serde(default)]
    pub custom_fields_values: Option<Vec<FieldValues>>,
    #[serde(rename = "_embedded", default)]
    pub embedded: LeadEmbedded,
}

#[derive(Debug, Default, Deserialize)]
pub struct LeadEmbedded {
    #[serde(default)]
    pub contacts: Vec<LeadContact>,
    #[serde(default)]
    pub loss_reason: Vec<Named>,
    #[serde(default)]
    pub tags: Vec<Named>,
}

#[derive(Debug, Deserialize)]
pub struct LeadContact {
    pub id: i64,
    #[serde(default)]
    pub is_main: bool,
}

#[derive(Debug, Deserialize)]
pub struct Contact {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub custom_fields_values: Option<Vec<FieldValues>>,
}

#[derive(Debug, Deserialize)]
pub struct Task {
    pub id: i64,
    #[serde(default)]
    pub responsible_user_id: Option<i64>,
    #[serde(default)]
    pub entity_id: Option<i64>,
    #[serde(default)]
    pub entity_type: Option<String>,
    #[serde(default)]
    pub is_completed: bool,
    #[serde(default)]
    pub task_type_id: Option<i64>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub result: TaskResult,
    #[serde(default)]
    pub complete_till: Option<i64>,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub updated_at: Option<i64>,
}

/// A task's result: `[]` (or `null`) when there is none, `{"text": …}`
/// when there is one.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum TaskResult {
    Set {
        #[serde(default)]
        text: Option<String>,
    },
    // The shape that takes amoCRM's `[]`; what it holds is never read.
    Empty(#[allow(dead_code)] Vec<serde_json::Value>),
    #[default]
    None,
}

impl TaskResult {
    pub fn text(&self) -> &str {
        match self {
            TaskResult::Set { text: Some(text) } => text,
            _ => "",
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Note {
    pub id: i64,
    #[serde(default)]
    pub entity_id: Option<i64>,
    #[serde(default)]
    pub created_by: Option<i64>,
    #[serde(default)]
    pub responsible_user_id: Option<i64>,
    #[serde(default)]
    pub created_at: Option<i64>,
    pub note_type: String,
    #[serde(default)]
    pub params: Option<CallParams>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CallParams {
    #[serde(default)]
    pub duration: Option<serde_json::Value>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub call_status: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_result_reads_as_an_empty_list_or_an_object() {
        let empty: Task = serde_json::from_str(
            r#"{"id":7087,"entity_id":167353,"entity_type":"leads","is_completed":true,
               "task_type_id":2,"result":[],"complete_till":1575665940}"#,
        )
        .unwrap();
        assert_eq!(empty.result.text(), "");
        let set: Task = serde_json::from_str(
            r#"{"id":56981,"is_completed":true,"result":{"text":"Результат есть"}}"#,
        )
        .unwrap();
        assert_eq!(set.result.text(), "Результат есть");
        let null: Task = serde_json::from_str(r#"{"id":1,"result":null}"#).unwrap();
        assert_eq!(null.result.text(), "");
    }

    #[test]
    fn a_lead_without_fields_or_contacts_reads() {
        // The lead-detail sample of the API's documentation, trimmed.
        let lead: Lead = serde_json::from_str(
            r#"{"id":3912171,"name":"Example","price":12,"responsible_user_id":504141,
               "status_id":143,"pipeline_id":3104455,"loss_reason_id":4203748,
               "closest_task_at":null,"custom_fields_values":null,"score":null,
               "_embedded":{"tags":[{"id":100667,"name":"тест"}],
                 "loss_reason":[{"id":4203748,"name":"Пропала потребность","sort":100000}],
                 "contacts":[{"id":10971465,"is_main":true}]}}"#,
        )
        .unwrap();
        assert!(lead.custom_fields_values.is_none());
        assert_eq!(
            lead.embedded.loss_reason[0].name.as_deref(),
            Some("Пропала потребность")
        );
        assert!(lead.embedded.contacts[0].is_main);
    }
}

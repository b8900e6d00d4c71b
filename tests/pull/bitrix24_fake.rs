//! A fake Bitrix24 portal for `pull bitrix24` tests: the REST methods the
//! pull calls, through an incoming webhook (`POST /rest/1/CODE/METHOD`
//! with a JSON body), paged as the real API pages them (`start`, at most
//! 50 a page, `next` while more follow, `total`), the filters and `select`
//! the pull sends applied, numbers sent as strings as the portal sends
//! them, and the webhook's code checked. Faults (a 503
//! `QUERY_LIMIT_EXCEEDED`, an HTML 403, a body cut short…) are scripted
//! per method and served once each, before the method's normal answer.

use super::server::Reply;
use chrono::DateTime;
use serde_json::{json, Value};
use std::collections::VecDeque;

#[derive(Debug, Clone, Default)]
pub struct Portal {
    /// The webhook's secret code.
    pub code: String,
    pub users: Vec<Value>,
    /// `crm.category.list`'s pipelines of deals (`id`, `name`).
    pub categories: Vec<Value>,
    /// `crm.status.list`'s statuses, each with its `ENTITY_ID`.
    pub statuses: Vec<Value>,
    pub userfields: Vec<Value>,
    pub deals: Vec<Value>,
    pub contacts: Vec<Value>,
    /// `tasks.task.list`'s tasks, camelCase, `ufCrmTask` among them.
    pub tasks: Vec<Value>,
    pub activities: Vec<Value>,
    /// The fake's own page size (the API's is 50; a smaller one makes
    /// several pages of a few records).
    pub page_size: usize,
}

/// A request as the fake reads it.
pub struct Asked {
    pub code: String,
    pub method: String,
    pub params: Value,
}

impl Asked {
    pub fn parse(request: &str) -> Asked {
        let first = request.lines().next().unwrap_or("");
        let target = first.split(' ').nth(1).unwrap_or("");
        // /rest/1/CODE/METHOD
        let parts: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
        let (code, method) = match parts.as_slice() {
            ["rest", _user, code, method] => (code.to_string(), method.to_string()),
            _ => (String::new(), String::new()),
        };
        let body = request.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        let params = serde_json::from_str(body).unwrap_or(Value::Null);
        Asked {
            code,
            method,
            params,
        }
    }
}

/// The handler of a `RoutedServer` serving `portal`, with `faults` (a
/// method, and the reply its next call gets instead) served first.
pub fn handler(
    portal: Portal,
    faults: Vec<(&'static str, Reply)>,
) -> impl FnMut(&str) -> Reply + Send + 'static {
    let mut faults: VecDeque<(&'static str, Reply)> = faults.into();
    move |request: &str| {
        let asked = Asked::parse(request);
        if let Some(at) = faults.iter().position(|(m, _)| asked.method == *m) {
            return faults.remove(at).unwrap().1;
        }
        if asked.code != portal.code {
            return json_reply(
                401,
                &json!({"error": "NO_AUTH_FOUND", "error_description": "Wrong authorization data"}),
            );
        }
        serve(&portal, &asked)
    }
}

fn serve(portal: &Portal, asked: &Asked) -> Reply {
    let p = &asked.params;
    let filter = &p["filter"];
    let since = |key: &str| filter.get(key).and_then(Value::as_str).map(moment);
    match asked.method.as_str() {
        "user.get" => page(portal, p, &portal.users, None),
        "crm.category.list" => {
            assert_eq!(p["entityTypeId"], 2);
            page(portal, p, &portal.categories, Some("categories"))
        }
        "crm.status.list" => {
            let entity = filter["ENTITY_ID"].as_str().expect("filtered by ENTITY_ID");
            let statuses: Vec<Value> = portal
                .statuses
                .iter()
                .filter(|s| s["ENTITY_ID"] == entity)
                .cloned()
                .collect();
            page(portal, p, &statuses, None)
        }
        "crm.deal.userfield.list" => page(portal, p, &portal.userfields, None),
        "crm.deal.list" => page(portal, p, &selected(&portal.deals, &p["select"]), None),
        "crm.contact.list" => page(portal, p, &selected(&portal.contacts, &p["select"]), None),
        "tasks.task.list" => {
            let states: Vec<i64> = match &filter["REAL_STATUS"] {
                Value::Array(a) => a.iter().map(|v| v.as_i64().unwrap()).collect(),
                Value::Number(n) => vec![n.as_i64().unwrap()],
                _ => vec![],
            };
            let closed_from = since(">=CLOSED_DATE");
            let with_crm = p["select"]
                .as_array()
                .is_some_and(|s| s.iter().any(|f| f == "UF_CRM_TASK"));
            let tasks: Vec<Value> = portal
                .tasks
                .iter()
                .filter(|t| {
                    let status: i64 = t["status"].as_str().unwrap().parse().unwrap();
                    states.is_empty() || states.contains(&status)
                })
                .filter(|t| {
                    closed_from
                        .is_none_or(|f| t["closedDate"].as_str().is_some_and(|c| moment(c) >= f))
                })
                .map(|t| {
                    let mut t = t.clone();
                    if !with_crm {
                        t.as_object_mut().unwrap().remove("ufCrmTask");
                    }
                    t
                })
                .collect();
            page(portal, p, &tasks, Some("tasks"))
        }
        "crm.activity.list" => {
            let from = since(">=START_TIME");
            let kind = filter["TYPE_ID"].as_i64();
            let calls: Vec<Value> = portal
                .activities
                .iter()
                .filter(|a| {
                    kind.is_none_or(|k| {
                        a["TYPE_ID"].as_str().and_then(|t| t.parse().ok()) == Some(k)
                    })
                })
                .filter(|a| from.is_none_or(|f| moment(a["START_TIME"].as_str().unwrap()) >= f))
                .cloned()
                .collect();
            page(portal, p, &selected(&calls, &p["select"]), None)
        }
        _ => json_reply(
            404,
            &json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"}),
        ),
    }
}

fn moment(text: &str) -> i64 {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .timestamp()
}

/// The records with only the selected fields: `*` the standard ones
/// (not `UF_…`, not the multiple `PHONE`), and each one named.
fn selected(records: &[Value], select: &Value) -> Vec<Value> {
    let select: Vec<&str> = select
        .as_array()
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let star = select.is_empty() || select.contains(&"*");
    records
        .iter()
        .map(|r| {
            let kept = r
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| {
                    select.contains(&k.as_str()) || (star && !k.starts_with("UF_") && *k != "PHONE")
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Value::Object(kept)
        })
        .collect()
}

/// One page of a list, as Bitrix24 sends it: the records from `start`,
/// `next` while more follow, and `total`.
fn page(portal: &Portal, params: &Value, all: &[Value], key: Option<&str>) -> Reply {
    let start = params["start"].as_u64().unwrap_or(0) as usize;
    let size = portal.page_size.clamp(1, 50);
    let items: Vec<Value> = all.iter().skip(start).take(size).cloned().collect();
    let result = match key {
        Some(key) => json!({ key: items }),
        None => json!(items),
    };
    let mut body = json!({"result": result, "total": all.len(),
        "time": {"start": 1764151200.1, "finish": 1764151200.3, "duration": 0.2,
                 "processing": 0.1, "date_start": "2026-11-27T02:00:00+03:00",
                 "date_finish": "2026-11-27T02:00:00+03:00", "operating": 0}});
    if start + size < all.len() {
        body["next"] = json!(start + size);
    }
    json_reply(200, &body)
}

pub fn json_reply(status: u16, body: &Value) -> Reply {
    Reply::Full {
        status,
        headers: vec![(
            "Content-Type",
            "application/json; charset=utf-8".to_string(),
        )],
        body: serde_json::to_vec(body).unwrap(),
    }
}

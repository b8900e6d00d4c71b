//! A fake amoCRM account for `pull amocrm` tests: the API v4 lists the
//! pull reads, paged as the real API pages them (`page`, `limit`,
//! `_links.next` while more follow, `204 No Content` past the end), the
//! `filter[…]` parameters the pull sends applied, and a bearer token
//! checked. Faults (a 429, an HTML 403, a body cut short…) are scripted
//! per path and served once each, before the path's normal answer.

use super::server::Reply;
use serde_json::{json, Value};
use std::collections::VecDeque;

#[derive(Debug, Clone, Default)]
pub struct Account {
    pub token: String,
    pub time_zone: String,
    pub task_types: Vec<Value>,
    pub users: Vec<Value>,
    pub pipelines: Vec<Value>,
    pub lead_fields: Vec<Value>,
    pub leads: Vec<Value>,
    pub contacts: Vec<Value>,
    pub tasks: Vec<Value>,
    /// Call notes by the entity they are on: `leads`, `contacts`, `companies`.
    pub notes: Vec<(&'static str, Value)>,
    /// The fake's own page size (the pull asks 250; a smaller one makes
    /// several pages of a few records).
    pub page_size: usize,
}

/// A request as the fake reads it.
pub struct Asked {
    pub path: String,
    pub query: Vec<(String, String)>,
    pub token: Option<String>,
}

impl Asked {
    pub fn parse(request: &str) -> Asked {
        let first = request.lines().next().unwrap_or("");
        let target = first.split(' ').nth(1).unwrap_or("");
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let decode = |s: &str| s.replace("%5B", "[").replace("%5D", "]");
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        let token = request.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("authorization")
                .then(|| value.trim().strip_prefix("Bearer ").map(str::to_string))
                .flatten()
        });
        Asked {
            path: path.to_string(),
            query,
            token,
        }
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn params(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// The handler of a `RoutedServer` serving `account`, with `faults`
/// (a path, and the reply its next request gets instead) served first.
pub fn handler(
    account: Account,
    faults: Vec<(&'static str, Reply)>,
) -> impl FnMut(&str) -> Reply + Send + 'static {
    let mut faults: VecDeque<(&'static str, Reply)> = faults.into();
    move |request: &str| {
        let asked = Asked::parse(request);
        if let Some(at) = faults.iter().position(|(path, _)| asked.path == *path) {
            return faults.remove(at).unwrap().1;
        }
        if asked.token.as_deref() != Some(account.token.as_str()) {
            return json_reply(
                401,
                &json!({"title":"Unauthorized","type":"https://httpstatus.es/401",
                        "status":401,"detail":"Неверный логин или пароль"}),
            );
        }
        serve(&account, &asked)
    }
}

fn serve(account: &Account, asked: &Asked) -> Reply {
    let since = |a: &Asked| {
        a.param("filter[updated_at][from]")
            .map(|v| v.parse::<i64>().unwrap())
    };
    match asked.path.as_str() {
        "/api/v4/account" => json_reply(
            200,
            &json!({"id": 1231414, "name": "example", "subdomain": "example",
                    "_embedded": {"task_types": account.task_types,
                                  "datetime_settings": {"timezone": account.time_zone,
                                                        "date_pattern": "d.m.Y H:i"}}}),
        ),
        "/api/v4/users" => page(account, asked, "users", &account.users),
        "/api/v4/leads/pipelines" => page(account, asked, "pipelines", &account.pipelines),
        "/api/v4/leads/custom_fields" => {
            page(account, asked, "custom_fields", &account.lead_fields)
        }
        "/api/v4/leads" => {
            assert_eq!(asked.param("with"), Some("contacts,loss_reason"));
            page(account, asked, "leads", &account.leads)
        }
        "/api/v4/contacts" => page(account, asked, "contacts", &account.contacts),
        "/api/v4/tasks" => {
            let completed = asked.param("filter[is_completed]").map(|v| v == "1");
            let from = since(asked);
            let tasks: Vec<Value> = account
                .tasks
                .iter()
                .filter(|t| completed.is_none_or(|c| t["is_completed"] == c))
                .filter(|t| from.is_none_or(|f| t["updated_at"].as_i64().unwrap() >= f))
                .cloned()
                .collect();
            page(account, asked, "tasks", &tasks)
        }
        path if path.ends_with("/notes") => {
            let entity = path
                .trim_start_matches("/api/v4/")
                .trim_end_matches("/notes");
            let types = asked.params("filter[note_type][]");
            let from = since(asked);
            let notes: Vec<Value> = account
                .notes
                .iter()
                .filter(|(on, _)| *on == entity)
                .map(|(_, n)| n)
                .filter(|n| types.is_empty() || types.contains(&n["note_type"].as_str().unwrap()))
                .filter(|n| from.is_none_or(|f| n["updated_at"].as_i64().unwrap() >= f))
                .cloned()
                .collect();
            page(account, asked, "notes", &notes)
        }
        _ => json_reply(404, &json!({"title":"Not Found","status":404})),
    }
}

/// One page of a list, as amoCRM sends it: a next link on every full
/// page (so a list that fills its last page ends with the next one
/// answered 204 with no body), none on a page that is not full.
fn page(account: &Account, asked: &Asked, key: &str, all: &[Value]) -> Reply {
    let number: usize = asked.param("page").unwrap_or("1").parse().unwrap();
    let limit: usize = asked.param("limit").unwrap_or("50").parse().unwrap();
    let size = limit.min(account.page_size.max(1));
    let start = (number - 1) * size;
    if start >= all.len() {
        return Reply::Full {
            status: 204,
            headers: vec![],
            body: vec![],
        };
    }
    let items = &all[start..all.len().min(start + size)];
    let href = |n: usize| {
        format!(
            "https://example.amocrm.ru{}?page={n}&limit={limit}",
            asked.path
        )
    };
    let mut links = json!({"self": {"href": href(number)}});
    if items.len() == size {
        links["next"] = json!({"href": href(number + 1)});
    }
    json_reply(
        200,
        &json!({"_page": number, "_links": links, "_embedded": {key: items}}),
    )
}

pub fn json_reply(status: u16, body: &Value) -> Reply {
    let content_type = if status < 300 {
        "application/hal+json"
    } else {
        "application/problem+json"
    };
    Reply::Full {
        status,
        headers: vec![("Content-Type", content_type.to_string())],
        body: serde_json::to_vec(body).unwrap(),
    }
}

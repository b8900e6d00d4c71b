//! Bitrix24's REST API as a pull reads it, through an incoming webhook:
//! `POST https://PORTAL/rest/USER_ID/CODE/METHOD` with a JSON body. The
//! webhook's code is its secret, so the address is kept as a [`Webhook`]
//! that shows it as `***` everywhere.
//!
//! Lists come 50 records a page; the next page is asked with `start` set
//! to the answer's `next`, until an answer has none. Answers are read
//! tolerantly, as [`serde_json::Value`]: Bitrix24 sends most numbers as
//! strings (`"ID": "37"`), some as numbers, and adds fields over time;
//! [`int`] and [`text`] take either, and unknown fields are ignored.
//!
//! A 401 (`NO_AUTH_FOUND`, `expired_token`) or a 403 (`INVALID_CREDENTIALS`,
//! `insufficient_scope`, `ACCESS_DENIED`) is one line saying what to do
//! with the webhook; a 503 `QUERY_LIMIT_EXCEEDED` and a 429
//! `OPERATION_TIME_LIMIT` are tried again by the client.

use super::crm::parse_json;
use super::endpoint::BaseUrl;
use super::http::{Client, HttpError, Method, Request};
use super::secret::{Redactor, Secret};
use anyhow::{bail, Context};
use serde_json::Value;

/// A list longer than this many pages of 50 is taken for a server that
/// never stops saying `next` (500,000 records).
pub const MAX_PAGES: u64 = 10_000;

/// An incoming webhook: the portal's address with the user's ID and the
/// secret code, `https://PORTAL/rest/1/CODE/`.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The address up to and with the code, without a trailing `/`.
    url: Secret,
    code: Secret,
    /// The same with the code as `***`, for messages and the manifest.
    shown: String,
}

impl Webhook {
    /// Checks a webhook address: `https://HOST/rest/USER_ID/CODE/`
    /// (`http://` to this machine only), a method name after it (as the
    /// portal's example shows one) dropped.
    pub fn parse(text: &str) -> anyhow::Result<Webhook> {
        let text = text.trim();
        let (origin, path) = match text.split_once("://") {
            Some((scheme, rest)) => match rest.find('/') {
                Some(at) => (format!("{scheme}://{}", &rest[..at]), &rest[at..]),
                None => (text.to_string(), ""),
            },
            None => (text.to_string(), ""),
        };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let at = parts.iter().position(|p| *p == "rest");
        let (user, code) = match at.map(|at| (parts.get(at + 1), parts.get(at + 2))) {
            Some((Some(user), Some(code)))
                if !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (*user, *code)
            }
            _ => {
                // The text may be the secret itself: never shown.
                bail!(
                    "the webhook address is not of the form https://PORTAL/rest/USER_ID/CODE/ \
                     (Bitrix24: Разработчикам → Другое → Входящий вебхук)"
                )
            }
        };
        let rest_at = at.unwrap_or(0);
        let prefix: String = parts[..rest_at].iter().map(|p| format!("/{p}")).collect();
        let shown_origin = Redactor::new([Secret::new(code)]).redact(&origin);
        BaseUrl::parse(&origin).map_err(|e| {
            let message = e.to_string().replace("--url", "the webhook address");
            anyhow::anyhow!(Redactor::new([Secret::new(code)]).redact(&message))
        })?;
        let url = format!("{origin}{prefix}/rest/{user}/{code}");
        let shown = format!("{shown_origin}{prefix}/rest/{user}/***");
        Ok(Webhook {
            url: Secret::new(url),
            code: Secret::new(code),
            shown,
        })
    }

    /// The address with its code as `***`.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The secret code, for the client's redactor.
    pub fn code(&self) -> Secret {
        self.code.clone()
    }

    fn method_url(&self, method: &str) -> String {
        format!("{}/{method}", self.url.expose())
    }
}

/// The API of one portal, behind one client.
pub struct Api<'a> {
    pub client: &'a mut Client,
    pub webhook: &'a Webhook,
    /// Told after every page (see `progress`).
    pub on_page: super::progress::OnPage<'a>,
}

/// A list read whole: its records, the requests it took, and the total
/// the API reported on its first page.
#[derive(Debug)]
pub struct Listed {
    pub items: Vec<Value>,
    pub pages: u64,
    pub total: Option<u64>,
}

impl Api<'_> {
    /// Calls `method` with `params`; the whole answer.
    pub fn call(&mut self, method: &str, params: &Value) -> anyhow::Result<Value> {
        let url = self.webhook.method_url(method);
        let asked = format!("POST {}/{method}", self.webhook.shown());
        let request = Request {
            method: Method::PostBody {
                content_type: "application/json".to_string(),
                body: serde_json::to_vec(params)?,
            },
            url,
            headers: Vec::new(),
            // A list page only reads: one cut short is asked again.
            delivers: false,
        };
        let reply = self.client.send(&request).map_err(explain)?;
        let answer: Value = parse_json(&reply.body).with_context(|| asked.clone())?;
        if let Some(error) = answer.get("error").filter(|e| !e.is_null()) {
            let description = text(&answer, "error_description").unwrap_or_default();
            bail!(
                "{asked}: the portal answers {}{}",
                error.as_str().unwrap_or("an error"),
                if description.is_empty() {
                    String::new()
                } else {
                    format!(": {description}")
                }
            );
        }
        if answer.get("result").is_none() {
            bail!("{asked}: the answer has no `result`");
        }
        Ok(answer)
    }

    /// Every record of a list method, page after page. `key` names the
    /// array inside `result` where a method wraps it (`tasks.task.list`:
    /// `tasks`; `crm.category.list`: `categories`), `None` where `result`
    /// is the array.
    pub fn list(
        &mut self,
        method: &str,
        params: Value,
        key: Option<&str>,
    ) -> anyhow::Result<Listed> {
        let mut items = Vec::new();
        let mut start: u64 = 0;
        let mut total = None;
        for pages in 1..=MAX_PAGES {
            let mut asked = params.clone();
            asked["start"] = Value::from(start);
            let answer = self.call(method, &asked)?;
            let where_ = || format!("POST {}/{method} (start {start})", self.webhook.shown());
            let result = &answer["result"];
            let records = match key {
                Some(key) => &result[key],
                None => result,
            };
            let records = match records {
                Value::Array(records) => records.clone(),
                // An empty list may come as `[]` or, wrapped, as `{}`.
                Value::Object(map) if map.is_empty() => Vec::new(),
                _ => bail!(
                    "{}: `result{}` is not a list",
                    where_(),
                    key.map(|k| format!(".{k}")).unwrap_or_default()
                ),
            };
            if pages == 1 {
                total = answer
                    .get("total")
                    .and_then(as_int)
                    .map(|t| t.max(0) as u64);
            }
            items.extend(records);
            super::progress::tell(&mut self.on_page, method, pages, items.len() as u64);
            match answer.get("next").and_then(as_int) {
                None => {
                    return Ok(Listed {
                        items,
                        pages,
                        total,
                    })
                }
                Some(next) if next as u64 > start && next > 0 => start = next as u64,
                Some(next) => bail!(
                    "{}: the answer's `next` ({next}) does not move past this page",
                    where_()
                ),
            }
        }
        bail!(
            "POST {}/{method}: the list goes on past {MAX_PAGES} pages of 50; \
             the portal keeps saying there is a next page",
            self.webhook.shown()
        )
    }
}

/// A failed request, with what to do about a refused webhook.
fn explain(e: HttpError) -> anyhow::Error {
    let hint = match e.status {
        Some(401) => Some(
            "the webhook's code is wrong, or the webhook was deleted or has expired: \
             make a new incoming webhook and save its address with --webhook-file",
        ),
        Some(403) if e.message.contains("insufficient_scope") => Some(
            "the webhook lacks a right: give it crm, task and user \
             (Bitrix24: Разработчикам → Другое → Входящий вебхук)",
        ),
        Some(403) if e.message.contains("INVALID_CREDENTIALS") => Some(
            "the webhook's user lacks the right to read this: make the webhook as a user \
             who sees every deal, task and call of the department (an administrator)",
        ),
        _ => None,
    };
    match hint {
        Some(hint) => anyhow::anyhow!("{}; {hint}", e.message),
        None => anyhow::Error::new(e),
    }
}

/// A whole number sent as a number or as a string (`37`, `"37"`).
pub fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `record[key]` as a whole number, sent either way.
pub fn int(record: &Value, key: &str) -> Option<i64> {
    record.get(key).and_then(as_int)
}

/// `record[key]` as text: a string as it is, a number as written; absent,
/// `null` or empty is `None`.
pub fn text(record: &Value, key: &str) -> Option<String> {
    let text = match record.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_webhook_shows_its_code_as_stars() {
        let hook = Webhook::parse("https://example.bitrix24.ru/rest/1/abc123xyz/").unwrap();
        assert_eq!(hook.shown(), "https://example.bitrix24.ru/rest/1/***");
        assert_eq!(
            hook.method_url("crm.deal.list"),
            "https://example.bitrix24.ru/rest/1/abc123xyz/crm.deal.list"
        );
        // The portal's example URL carries a method: dropped.
        let hook =
            Webhook::parse("https://example.bitrix24.ru/rest/7/abc123xyz/profile.json").unwrap();
        assert_eq!(hook.shown(), "https://example.bitrix24.ru/rest/7/***");
        assert_eq!(hook.code().expose(), "abc123xyz");
    }

    #[test]
    fn a_bad_or_plain_http_webhook_is_refused_without_its_code() {
        for (bad, says) in [
            (
                "http://example.bitrix24.ru/rest/1/abc123xyz/",
                "plain http://",
            ),
            ("https://example.bitrix24.ru/abc123xyz/", "not of the form"),
            ("abc123xyz", "not of the form"),
            (
                "https://example.bitrix24.ru/rest/admin/abc123xyz/",
                "not of the form",
            ),
        ] {
            let e = Webhook::parse(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
            assert!(!e.contains("abc123xyz"), "{bad}: {e}");
        }
        assert!(Webhook::parse("http://127.0.0.1:8080/rest/1/abc123xyz/").is_ok());
    }

    #[test]
    fn numbers_come_as_strings_or_numbers() {
        let record = json!({"ID": "37", "SORT": 10, "TITLE": " Дом ", "X": null, "E": ""});
        assert_eq!(int(&record, "ID"), Some(37));
        assert_eq!(int(&record, "SORT"), Some(10));
        assert_eq!(text(&record, "SORT").as_deref(), Some("10"));
        assert_eq!(text(&record, "TITLE").as_deref(), Some("Дом"));
        assert_eq!(text(&record, "X"), None);
        assert_eq!(text(&record, "E"), None);
        assert_eq!(text(&record, "missing"), None);
    }
}

//! What the CRM pulls (amoCRM's, Bitrix24's) share: the files their
//! snapshot holds, what a pull asks for, and how an answer is read.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

pub const DEALS_FILE: &str = "deals.csv";
pub const TASKS_FILE: &str = "tasks.csv";
pub const CALLS_FILE: &str = "calls.csv";
pub const DEFAULT_DAYS: u32 = 45;

/// What a pull asks for.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Completed tasks and calls of the last `days` days.
    pub days: u32,
    pub now: DateTime<Utc>,
}

/// An answer's body read as JSON, or one line saying where it breaks off
/// (cut short), that it is not shaped as `T` expects, or what it is if it
/// is not JSON at all.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> anyhow::Result<T> {
    serde_json::from_slice(body).map_err(|e| {
        if e.is_eof() {
            anyhow::anyhow!(
                "the answer's JSON breaks off after {} bytes (line {}, column {}): \
                 the answer was cut short",
                body.len(),
                e.line(),
                e.column()
            )
        } else if e.is_data() {
            anyhow::anyhow!("the answer is not shaped as expected ({e})")
        } else {
            anyhow::anyhow!(
                "the answer is not JSON ({e}); {}",
                super::http::body_says(None, body).unwrap_or_default()
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_cut_short_says_so() {
        let e = parse_json::<serde_json::Value>(br#"{"_embedded":{"leads":[{"id":1"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("the answer's JSON breaks off after 30 bytes"),
            "{e}"
        );
    }

    #[test]
    fn an_answer_of_another_shape_or_no_json_says_which() {
        #[derive(Debug, serde::Deserialize)]
        struct Lead {
            #[allow(dead_code)]
            id: i64,
        }
        let e = parse_json::<Lead>(br#"{"id":"x"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("the answer is not shaped as expected"), "{e}");
        let e = parse_json::<serde_json::Value>(b"<html>")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("the answer is not JSON"), "{e}");
    }
}

//! Sipuni's call statistics export (`POST /statistic/export`): a request
//! signed with the account's API key, answered with the call log as CSV
//! (`;`, UTF-8 with a BOM), the layout the telephony reader already reads.
//!
//! The signature: the md5 of the values of every sent field in
//! alphabetical order of the field names, then the account number, then
//! the API key, joined by `+`. The key itself is never sent.

use super::endpoint::BaseUrl;
use super::http::{body_says, Client, Request};
use super::manifest::Entity;
use super::secret::Secret;
use anyhow::bail;
use chrono::NaiveDate;

pub const DEFAULT_URL: &str = "https://sipuni.com/api";
pub const EXPORT_PATH: &str = "statistic/export";
/// The file the call log is saved as in the snapshot.
pub const CALLS_FILE: &str = "calls.csv";

/// What to export: an account's calls over whole days.
#[derive(Debug, Clone)]
pub struct Export {
    /// The account number (`user`).
    pub user: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The export's fields except `user` and `hash`, in alphabetical order of
/// their names (the order the signature takes them in). All calls of every
/// direction and outcome, whole days, employees named (`201 (Петров)`), as
/// public clients of the API ask for them.
pub fn fields(export: &Export) -> Vec<(&'static str, String)> {
    let day = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    vec![
        ("anonymous", "1".into()),
        ("crmLinks", "0".into()),
        ("dtmfUserAnswer", "0".into()),
        ("firstTime", "0".into()),
        ("from", day(export.from)),
        ("fromNumber", String::new()),
        ("hangupinitor", String::new()),
        ("ignoreSpecChar", "1".into()),
        ("names", "1".into()),
        ("numbersInvolved", "1".into()),
        ("numbersRinged", "1".into()),
        ("outgoingLine", "1".into()),
        ("rating", "0".into()),
        ("showTreeId", "1".into()),
        ("state", "0".into()),
        ("timeFrom", "00:00".into()),
        ("timeTo", "23:59".into()),
        ("to", day(export.to)),
        ("toAnswer", String::new()),
        ("toNumber", String::new()),
        ("tree", String::new()),
        ("type", "0".into()),
    ]
}

/// The text the signature hashes: the field values, the account, the key.
fn signed_text(fields: &[(&str, String)], user: &str, key: &Secret) -> String {
    let mut parts: Vec<&str> = fields.iter().map(|(_, v)| v.as_str()).collect();
    parts.push(user);
    parts.push(key.expose());
    parts.join("+")
}

/// The `hash` field for these fields.
pub fn sign(fields: &[(&str, String)], user: &str, key: &Secret) -> String {
    format!("{:x}", md5::compute(signed_text(fields, user, key)))
}

/// The form a request sends: the fields, `user`, and `hash`.
pub fn form(export: &Export, key: &Secret) -> Vec<(String, String)> {
    let fields = fields(export);
    let hash = sign(&fields, &export.user, key);
    let mut form: Vec<(String, String)> = fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    form.push(("user".into(), export.user.clone()));
    form.push(("hash".into(), hash));
    form
}

/// Fetches the call log; returns the CSV as it came and its counts.
pub fn pull(
    client: &mut Client,
    base: &BaseUrl,
    export: &Export,
    key: &Secret,
) -> anyhow::Result<(Vec<u8>, Entity)> {
    let url = base.join(EXPORT_PATH);
    let reply = client.send(&Request::post_form(url.clone(), form(export, key)))?;
    let rows = check_call_log(&reply.body, reply.content_type.as_deref())
        .map_err(|e| anyhow::anyhow!("POST {url}: {e}"))?;
    let entity = Entity {
        file: CALLS_FILE.to_string(),
        rows,
        pages: 1,
        api_total: None,
    };
    Ok((reply.body, entity))
}

/// Sipuni answers a bad request with 200 and a line of text (`Error…`, or
/// words like «ошибка»), so a body counts as a call log by its header row
/// alone (`Тип` and `Время` among its cells): a row's words (a status such
/// as «номер не найден») never make a good log an error.
/// Returns the number of data rows.
pub fn check_call_log(body: &[u8], content_type: Option<&str>) -> anyhow::Result<u64> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("").trim();
    let has_header = first_line.split(';').any(|c| c.trim() == "Время")
        && first_line.split(';').any(|c| c.trim() == "Тип");
    if text.trim().is_empty() {
        bail!("Sipuni sent an empty answer instead of the call log");
    }
    if !has_header {
        let said = body_says(content_type, body).unwrap_or_default();
        bail!("Sipuni's answer is not a call log (no `Тип;…;Время` header row); {said}");
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut rows = 0u64;
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| anyhow::anyhow!("Sipuni's call log cannot be read as CSV: {e}"))?
    {
        if record.iter().any(|field| !field.is_empty()) {
            rows += 1;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export() -> Export {
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        Export {
            user: "123456".into(),
            from: day,
            to: day,
        }
    }

    #[test]
    fn the_fields_are_in_alphabetical_order() {
        let names: Vec<&str> = fields(&export()).iter().map(|(k, _)| *k).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn the_signature_joins_values_user_and_key() {
        // The 22 values in order (anonymous … type; empty ones leave `++`),
        // then user, then key, worked out by hand from `fields`.
        let key = Secret::new("s3cr3t");
        let fields = fields(&export());
        assert_eq!(
            signed_text(&fields, "123456", &key),
            "1+0+0+0+26.11.2026+++1+1+1+1+1+0+1+0+00:00+23:59+26.11.2026++++0+123456+s3cr3t"
        );
        // `printf %s '<that text>' | md5sum`
        assert_eq!(
            sign(&fields, "123456", &key),
            "83aa33a0584d6730d3a678619af655e1"
        );
        let form = form(&export(), &key);
        assert!(form.iter().all(|(_, v)| v != "s3cr3t"));
        assert_eq!(form[form.len() - 2], ("user".into(), "123456".into()));
    }

    #[test]
    fn error_text_in_a_200_is_not_a_call_log() {
        let e = check_call_log(b"Error: wrong hash", Some("text/html"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a call log"), "{e}");
        assert!(check_call_log(b"", None).is_err());
    }

    #[test]
    fn a_log_whose_rows_say_error_is_still_a_log() {
        let csv = "Тип;Статус;Время\nИсходящий;Ошибка: номер не найден;26.11.2026 09:12:04\n";
        assert_eq!(check_call_log(csv.as_bytes(), None).unwrap(), 1);
    }

    #[test]
    fn rows_are_counted_without_the_header_and_blank_lines() {
        let csv = "\u{feff}Тип;Статус;Время\nИсходящий;Отвечен;26.11.2026 09:12:04\n\n\
                   Входящий;Не отвечен;26.11.2026 10:00:00\n";
        assert_eq!(check_call_log(csv.as_bytes(), None).unwrap(), 2);
    }
}

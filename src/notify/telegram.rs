//! Telegram's Bot API: the digest as `sendMessage` in HTML mode (the text
//! escaped, split at Telegram's 4096-character limit with each part saying
//! which it is), the reports as `sendDocument` (a multipart form). The bot
//! token is part of every address (`/bot<token>/method`), so the client
//! hides it in every message it builds; requests and retries are the pull
//! client's (`crate::pull::http`).

use super::attachments::Attachment;
use super::text::Message;
use crate::pull::http::{Client, ClientConfig, Method, Reply, Request};
use crate::pull::secret::{Redactor, Secret};
use anyhow::bail;

/// The Bot API's address.
pub const DEFAULT_API: &str = "https://api.telegram.org";

/// The longest text of one message, in characters. Telegram counts them
/// after parsing the HTML; the parts here are measured before (tags and
/// escapes included) and in UTF-16 units, so they always fit.
pub const MESSAGE_LIMIT: usize = 4096;

/// Room kept in each part of a split message for its `(часть 1 из 3)` line.
const PART_LINE: usize = 40;

/// A bot sending to one chat.
pub struct Bot {
    client: Client,
    base: String,
    token: Secret,
    chat: String,
    redactor: Redactor,
}

impl Bot {
    /// A bot at `api` (`https://`, or `http://` to 127.0.0.1 for tests).
    pub fn new(api: &str, token: Secret, chat: &str, config: ClientConfig) -> anyhow::Result<Bot> {
        let base = check_api(api)?;
        Ok(Bot {
            client: Client::new(config, [token.clone()]),
            base,
            redactor: Redactor::new([token.clone()]),
            token,
            chat: chat.to_string(),
        })
    }

    /// Sends one HTML text.
    pub fn send_message(&mut self, html: &str) -> anyhow::Result<()> {
        let form = vec![
            ("chat_id".to_string(), self.chat.clone()),
            ("text".to_string(), html.to_string()),
            ("parse_mode".to_string(), "HTML".to_string()),
            ("disable_web_page_preview".to_string(), "true".to_string()),
        ];
        let request = Request::post_form(self.url("sendMessage"), form).delivering();
        self.call(&request)
    }

    /// Sends a file as a document.
    pub fn send_document(&mut self, file: &Attachment) -> anyhow::Result<()> {
        let (content_type, body) = multipart(&self.chat, file);
        let request = Request {
            method: Method::PostBody { content_type, body },
            url: self.url("sendDocument"),
            headers: Vec::new(),
            delivers: true,
        };
        self.call(&request)
    }

    fn url(&self, method: &str) -> String {
        format!("{}/bot{}/{method}", self.base, self.token.expose())
    }

    /// Sends `request`; an answer that is not `{"ok": true, …}` is an error.
    fn call(&mut self, request: &Request) -> anyhow::Result<()> {
        let reply = self
            .client
            .send(request)
            .map_err(|e| anyhow::anyhow!("Telegram: {}", self.redactor.redact(&e.message)))?;
        check_ok(&reply).map_err(|e| {
            let asked = self.redactor.redact(&request.url);
            anyhow::anyhow!("Telegram: POST {asked}: {}", self.redactor.redact(&e))
        })
    }
}

/// `api` checked and without a trailing `/`: the token travels in the
/// address, so plain `http://` only to this machine.
fn check_api(api: &str) -> anyhow::Result<String> {
    let api = api.trim().trim_end_matches('/');
    let rest = if let Some(rest) = api.strip_prefix("https://") {
        rest
    } else if let Some(rest) = api.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if host != "127.0.0.1" && host != "localhost" {
            bail!(
                "--api-url {api}: plain http:// is accepted only for 127.0.0.1 and localhost; \
                 the bot token goes with every request, so use https://"
            );
        }
        rest
    } else {
        bail!("--api-url {api}: not an address; expected e.g. {DEFAULT_API}");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        bail!("--api-url {api}: expected https://HOST[:PORT][/PATH], with no user or password");
    }
    Ok(api.to_string())
}

/// The error of an answer that is not `{"ok": true}`, in Telegram's words.
fn check_ok(reply: &Reply) -> Result<(), String> {
    let json: serde_json::Value = serde_json::from_slice(&reply.body).map_err(|_| {
        format!(
            "HTTP {}, but the answer is not the Bot API's JSON",
            reply.status
        )
    })?;
    if json.get("ok") == Some(&serde_json::Value::Bool(true)) {
        return Ok(());
    }
    let said = json
        .get("description")
        .and_then(|d| d.as_str())
        .unwrap_or("no description");
    Err(format!("HTTP {}, the Bot API says: {said}", reply.status))
}

/// Text for Telegram's HTML mode: `&`, `<` and `>` as entities, the only
/// three it requires.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The message as HTML texts of at most [`MESSAGE_LIMIT`] characters: the
/// title in bold, the lines escaped. A message too long for one is split
/// between lines, every part starting with `(часть K из N)`, so nothing is
/// dropped; a single line too long for a part is cut, ending in `…`.
pub fn parts(message: &Message) -> Vec<String> {
    let mut lines = vec![format!("<b>{}</b>", escape(&message.title))];
    lines.extend(message.lines.iter().map(|l| escape(l)));
    let whole = lines.join("\n");
    if units(&whole) <= MESSAGE_LIMIT {
        return vec![whole];
    }
    let budget = MESSAGE_LIMIT - PART_LINE;
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines.iter().map(|l| cut(l, budget)) {
        let extra = units(&line) + usize::from(!current.is_empty());
        if !current.is_empty() && units(&current) + extra > budget {
            chunks.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(&line);
    }
    chunks.push(current);
    let n = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| format!("<i>(часть {} из {n})</i>\n{chunk}", i + 1))
        .collect()
}

/// Length as Telegram bounds it: UTF-16 code units.
fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `line` (escaped HTML) cut to `budget` units with `…`, never inside an
/// entity such as `&amp;`; the title's `<b>` is closed again.
fn cut(line: &str, budget: usize) -> String {
    if units(line) <= budget {
        return line.to_string();
    }
    let bold = line.starts_with("<b>");
    let room = budget - 1 - if bold { 4 } else { 0 };
    let mut out = String::new();
    let mut used = 0;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        // An entity moves whole: `&` up to its `;`.
        let piece = if c == '&' {
            rest.find(';').map_or(&rest[..1], |end| &rest[..=end])
        } else {
            &rest[..c.len_utf8()]
        };
        if bold && piece == "<" && rest.starts_with("</b>") {
            break;
        }
        if used + units(piece) > room {
            break;
        }
        used += units(piece);
        out.push_str(piece);
        rest = &rest[piece.len()..];
    }
    out.push('…');
    if bold {
        out.push_str("</b>");
    }
    out
}

/// A `multipart/form-data` body with the chat and the file as `document`,
/// and its content type. The boundary is chosen to occur nowhere in the
/// file.
fn multipart(chat: &str, file: &Attachment) -> (String, Vec<u8>) {
    let mut seed: u64 = 0xcbf2_9ce4_8422_2325;
    let boundary = loop {
        let candidate = format!("crm-audit-{seed:016x}");
        if memchr::memmem::find(&file.bytes, candidate.as_bytes()).is_none()
            && !chat.contains(&candidate)
        {
            break candidate;
        }
        seed = seed.wrapping_mul(0x0100_0000_01b3) ^ 0x5bd1_e995;
    };
    let name: String = file
        .name
        .chars()
        .map(|c| {
            if matches!(c, '"' | '\\' | '\r' | '\n') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut body = Vec::with_capacity(file.bytes.len() + 512);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n{chat}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"document\"; \
             filename=\"{name}\"\r\nContent-Type: {}\r\n\r\n",
            file.content_type
        )
        .as_bytes(),
    );
    body.extend_from_slice(&file.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_specials_are_escaped() {
        assert_eq!(
            escape("ООО «Рога & Копыта» <b>x</b>"),
            "ООО «Рога &amp; Копыта» &lt;b&gt;x&lt;/b&gt;"
        );
    }

    #[test]
    fn a_short_message_is_one_part() {
        let m = Message {
            title: "Аудит CRM за 27.11.2026: 2 нарушения".into(),
            lines: vec!["• A & B: 2 нарушения".into()],
        };
        assert_eq!(
            parts(&m),
            ["<b>Аудит CRM за 27.11.2026: 2 нарушения</b>\n• A &amp; B: 2 нарушения"]
        );
    }

    /// 300 lines of 30 characters (9,000 with the line breaks) cannot go
    /// in one message: they go in three parts, each within the limit, each
    /// saying which it is, and every line is in one of them.
    #[test]
    fn a_long_message_is_split_between_lines_and_says_so() {
        let lines: Vec<String> = (0..300)
            .map(|i| format!("• Менеджер {i:03} & Ко: 1 нарушение"))
            .collect();
        let m = Message {
            title: "Аудит".into(),
            lines: lines.clone(),
        };
        let parts = parts(&m);
        assert_eq!(parts.len(), 3);
        let mut seen = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            assert!(units(part) <= MESSAGE_LIMIT, "part {i}: {}", units(part));
            let mut rows = part.lines();
            assert_eq!(
                rows.next().unwrap(),
                format!("<i>(часть {} из 3)</i>", i + 1)
            );
            seen.extend(rows.map(str::to_string));
        }
        let mut expected = vec!["<b>Аудит</b>".to_string()];
        expected.extend(lines.iter().map(|l| escape(l)));
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_line_too_long_is_cut_whole_entities_and_marked() {
        let cut = cut(&escape(&"&".repeat(3000)), 100);
        assert!(cut.ends_with("&amp;…"), "{cut}");
        assert_eq!(units(&cut), 96);
        let title = cut_title();
        assert!(
            title.starts_with("<b>") && title.ends_with("…</b>"),
            "{title}"
        );
    }

    fn cut_title() -> String {
        cut(&format!("<b>{}</b>", "я".repeat(5000)), 4056)
    }

    #[test]
    fn the_document_is_a_multipart_form() {
        let file = Attachment {
            name: "audit \"ноябрь\".html".into(),
            content_type: "text/html; charset=utf-8",
            bytes: b"<html>crm-audit-cbf29ce484222325</html>".to_vec(),
        };
        let (content_type, body) = multipart("-1001234567890", &file);
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        // The first candidate occurs in the file, so another was taken.
        assert_ne!(boundary, "crm-audit-cbf29ce484222325");
        let body = String::from_utf8(body).unwrap();
        assert!(body.contains(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n-1001234567890\r\n"
        )));
        assert!(body.contains(
            "name=\"document\"; filename=\"audit _ноябрь_.html\"\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html>crm-audit-cbf29ce484222325</html>\r\n"
        ));
        assert!(body.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[test]
    fn the_token_travels_over_https_or_to_this_machine_only() {
        assert!(check_api("https://api.telegram.org/").is_ok());
        assert!(check_api("http://127.0.0.1:8081").is_ok());
        for refused in [
            "http://api.telegram.org",
            "http://127.0.0.1.evil.ru",
            "ftp://127.0.0.1",
            "https://user:pw@api.telegram.org",
        ] {
            assert!(check_api(refused).is_err(), "{refused}");
        }
    }
}

//! The one HTTP client every source uses: blocking (a nightly pull makes a
//! handful of requests in a row; an async runtime would buy nothing), a
//! timeout on every request, bounded retries for transient failures, a
//! per-source rate limit, no redirects followed (a redirect could carry a
//! secret to another host), and errors of one line that say what was
//! asked, with every secret shown as `***`, and what came back.

use super::limiter::RateLimiter;
use super::retry::{is_transient_status, parse_retry_after, Decision, RetryPolicy};
use super::secret::{Redactor, Secret};
use std::time::{Duration, Instant};

/// How a client behaves; [`ClientConfig::default`] suits a nightly pull.
#[derive(Debug, Clone, Copy)]
pub struct ClientConfig {
    /// The longest a connection may take to open.
    pub connect_timeout: Duration,
    /// The longest one request may take, connect to last byte.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Requests a second at most (see `limiter`).
    pub per_second: u32,
    /// The largest answer accepted, in bytes.
    pub max_body: u64,
    /// Whether a 500 is tried again too: off for pulls (an API's 500 is
    /// mostly its answer to the request itself), on where a duplicate is
    /// less harm than nothing (the morning digest's Bot API, whose 500s
    /// pass).
    pub retry_server_error: bool,
}

impl Default for ClientConfig {
    fn default() -> ClientConfig {
        ClientConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
            per_second: 1,
            max_body: 1 << 30,
            retry_server_error: false,
        }
    }
}

/// A request: its method, URL, headers (an `Authorization` one holds a
/// secret and is never shown) and form fields.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, Secret)>,
    /// It delivers something (a message, a file): once the server has
    /// taken it (2xx), it is never sent again, even if the answer is cut
    /// short. A query (a pull's page, even by POST) is sent again.
    pub delivers: bool,
}

#[derive(Debug, Clone)]
pub enum Method {
    Get,
    /// A POST of `application/x-www-form-urlencoded` fields.
    PostForm(Vec<(String, String)>),
    /// A POST of a body already encoded (a multipart form) and its type.
    PostBody {
        content_type: String,
        body: Vec<u8>,
    },
}

impl Request {
    pub fn get(url: impl Into<String>) -> Request {
        Request {
            method: Method::Get,
            url: url.into(),
            headers: Vec::new(),
            delivers: false,
        }
    }

    pub fn post_form(url: impl Into<String>, form: Vec<(String, String)>) -> Request {
        Request {
            method: Method::PostForm(form),
            url: url.into(),
            headers: Vec::new(),
            delivers: false,
        }
    }

    /// The request delivers something: see `delivers`.
    pub fn delivering(self) -> Request {
        Request {
            delivers: true,
            ..self
        }
    }

    fn method_name(&self) -> &'static str {
        match self.method {
            Method::Get => "GET",
            Method::PostForm(_) | Method::PostBody { .. } => "POST",
        }
    }
}

/// A successful (2xx) answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// A request that failed for good: what was asked (secrets as `***`), the
/// status when one came, and one line for a person.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct HttpError {
    pub status: Option<u16>,
    pub message: String,
}

/// One attempt's failure, before the retry decision.
struct Failure {
    status: Option<u16>,
    transient: bool,
    retry_after: Option<Duration>,
    what: String,
}

pub struct Client {
    agent: ureq::Agent,
    config: ClientConfig,
    limiter: RateLimiter,
    redactor: Redactor,
}

impl Client {
    /// A client whose messages hide every one of `secrets`.
    pub fn new(config: ClientConfig, secrets: impl IntoIterator<Item = Secret>) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(config.connect_timeout.min(config.timeout)))
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("crm-audit/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            config,
            limiter: RateLimiter::per_second(config.per_second),
            redactor: Redactor::new(secrets),
        }
    }

    /// Sends `request`, retrying transient failures as the policy allows.
    pub fn send(&mut self, request: &Request) -> Result<Reply, HttpError> {
        let asked = format!(
            "{} {}",
            request.method_name(),
            self.redactor.redact(&request.url)
        );
        let mut waited = Duration::ZERO;
        for attempt in 1.. {
            self.limiter.wait();
            let failure = match self.attempt(request) {
                Ok(reply) => return Ok(reply),
                Err(failure) => failure,
            };
            let give_up = |reason: Option<String>| HttpError {
                status: failure.status,
                message: self.redactor.redact(&match reason {
                    Some(reason) => format!("{asked}: {} ({reason})", failure.what),
                    None => format!("{asked}: {}", failure.what),
                }),
            };
            if !failure.transient {
                return Err(give_up(None));
            }
            match self
                .config
                .retry
                .decide(attempt, waited, failure.retry_after)
            {
                Decision::RetryAfter(delay) => {
                    std::thread::sleep(delay);
                    waited += delay;
                }
                Decision::GiveUp(reason) => return Err(give_up(Some(reason))),
            }
        }
        unreachable!("the retry policy bounds the attempts")
    }

    /// Sends `request` once, with its headers.
    fn send_once(
        &self,
        request: &Request,
    ) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        fn with_headers<B>(
            mut builder: ureq::RequestBuilder<B>,
            request: &Request,
        ) -> ureq::RequestBuilder<B> {
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.expose());
            }
            builder
        }
        match &request.method {
            Method::Get => with_headers(self.agent.get(&request.url), request).call(),
            Method::PostForm(form) => with_headers(self.agent.post(&request.url), request)
                .send_form(form.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            Method::PostBody { content_type, body } => {
                with_headers(self.agent.post(&request.url), request)
                    .header("Content-Type", content_type.as_str())
                    .send(&body[..])
            }
        }
    }

    fn attempt(&self, request: &Request) -> Result<Reply, Failure> {
        let started = Instant::now();
        let sent = self.send_once(request);
        let mut response = sent.map_err(|e| self.transport_failure(e, started))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v));
        let location = header("location");
        let body = response
            .body_mut()
            .with_config()
            .limit(self.config.max_body)
            .read_to_vec();
        // A delivery answered 2xx was taken (a message sent, a file
        // posted): an answer cut short after that is no reason to send it
        // again.
        let taken = (200..300).contains(&status) && request.delivers;
        let body = body.map_err(|e| self.body_failure(e, status, taken, started))?;
        if (200..300).contains(&status) {
            return Ok(Reply {
                status,
                content_type,
                body,
            });
        }
        Err(Failure {
            status: Some(status),
            transient: is_transient_status(status)
                || (status == 500 && self.config.retry_server_error),
            retry_after: retry_after.or_else(|| body_retry_after(&body)),
            what: describe_status(status, content_type.as_deref(), &body, location.as_deref()),
        })
    }

    /// An answer whose body could not be read whole: too large, too slow,
    /// or cut short (a delivery that was taken is not sent again).
    fn body_failure(&self, e: ureq::Error, status: u16, taken: bool, started: Instant) -> Failure {
        let (transient, what) = match e {
            e if taken => (
                false,
                format!(
                    "HTTP {status}: the request was taken, but its answer was cut short ({e}); \
                     it is not sent again"
                ),
            ),
            ureq::Error::BodyExceedsLimit(limit) => (
                false,
                format!("the answer is larger than {} MB", limit >> 20),
            ),
            ureq::Error::Timeout(_) => return self.timed_out(started),
            e => (
                true,
                format!(
                    "HTTP {status}, but the connection dropped before the whole answer came ({e})"
                ),
            ),
        };
        Failure {
            status: Some(status),
            transient,
            retry_after: None,
            what,
        }
    }

    fn transport_failure(&self, e: ureq::Error, started: Instant) -> Failure {
        use std::io::ErrorKind::*;
        let (transient, what) = match &e {
            ureq::Error::Timeout(_) => return self.timed_out(started),
            ureq::Error::ConnectionFailed => (true, "could not connect".to_string()),
            ureq::Error::HostNotFound => (false, "the host is not found (DNS)".to_string()),
            ureq::Error::Io(io) => (
                matches!(
                    io.kind(),
                    ConnectionReset
                        | ConnectionAborted
                        | ConnectionRefused
                        | UnexpectedEof
                        | BrokenPipe
                        | TimedOut
                ),
                format!("the connection failed ({io})"),
            ),
            ureq::Error::Protocol(_) => (true, format!("the answer is not valid HTTP ({e})")),
            ureq::Error::Tls(_) => (false, format!("TLS failed ({e})")),
            _ => (false, e.to_string()),
        };
        Failure {
            status: None,
            transient,
            retry_after: None,
            what,
        }
    }

    fn timed_out(&self, started: Instant) -> Failure {
        Failure {
            status: None,
            transient: true,
            retry_after: None,
            what: format!(
                "no complete answer within {} s (timed out after {:.1} s)",
                self.config.timeout.as_secs_f64(),
                started.elapsed().as_secs_f64()
            ),
        }
    }
}

/// A wait the body asks for when no `Retry-After` header does, as
/// Telegram's Bot API writes it: `{"parameters": {"retry_after": 5}}`.
fn body_retry_after(body: &[u8]) -> Option<Duration> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let seconds = json.get("parameters")?.get("retry_after")?.as_u64()?;
    Some(Duration::from_secs(seconds))
}

/// One line for a status that is not success: its meaning for the common
/// ones, and what the body says (a JSON message, "an HTML page", or the
/// first line of text).
pub fn describe_status(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    location: Option<&str>,
) -> String {
    let meaning = match status {
        401 => "the token or key is invalid or expired".to_string(),
        403 => "access denied (the key lacks the right, or the address is blocked)".to_string(),
        404 => "not found (check --url)".to_string(),
        429 => "too many requests (rate-limited)".to_string(),
        300..=399 => match location {
            Some(to) => format!("redirected to {to}; give the final address with --url"),
            None => "a redirect; give the final address with --url".to_string(),
        },
        500..=599 => "the server failed".to_string(),
        _ => String::new(),
    };
    let said = body_says(content_type, body);
    match (meaning.is_empty(), said) {
        (true, None) => format!("HTTP {status}"),
        (true, Some(said)) => format!("HTTP {status}: {said}"),
        (false, None) => format!("HTTP {status}: {meaning}"),
        (false, Some(said)) => format!("HTTP {status}: {meaning}; {said}"),
    }
}

/// What a body says, in a few words: a JSON error's message, "an HTML
/// page" (a proxy's or a block page), or its first line of text.
pub fn body_says(content_type: Option<&str>, body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return None;
    }
    let lower_start: String = text.chars().take(64).collect::<String>().to_lowercase();
    if content_type.is_some_and(|t| t.to_ascii_lowercase().contains("text/html"))
        || lower_start.starts_with("<!doctype html")
        || lower_start.starts_with("<html")
    {
        return Some("the server sent an HTML page, not the API's answer".to_string());
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        if let Some(message) = json_message(&json) {
            return Some(format!("the server says: {}", shorten(&message)));
        }
    }
    let first_line = text.lines().next().unwrap_or("");
    Some(format!("the server says: {}", shorten(first_line)))
}

/// The message fields of the error bodies these APIs send: amoCRM's
/// `title`/`detail`/`hint`, Bitrix24's `error`/`error_description`,
/// Telegram's `description`, and the common `message`.
fn json_message(json: &serde_json::Value) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for key in [
        "error",
        "error_description",
        "title",
        "detail",
        "hint",
        "description",
        "message",
    ] {
        let text = match json.get(key) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Object(inner)) => match inner.get("message") {
                Some(serde_json::Value::String(s)) => s.clone(),
                _ => continue,
            },
            _ => continue,
        };
        if !text.is_empty() && !parts.contains(&text) {
            parts.push(text);
        }
    }
    (!parts.is_empty()).then(|| parts.join(": "))
}

fn shorten(text: &str) -> String {
    const MAX: usize = 200;
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX {
        one_line
    } else {
        format!("{}…", one_line.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_401_says_the_key_is_invalid_or_expired() {
        // amoCRM's body for a revoked token (its SDK's issue #123).
        let body = br#"{"hint":"Token has been revoked","title":"Unauthorized","status":401}"#;
        assert_eq!(
            describe_status(401, Some("application/problem+json"), body, None),
            "HTTP 401: the token or key is invalid or expired; \
             the server says: Unauthorized: Token has been revoked"
        );
    }

    #[test]
    fn bitrix_errors_read_as_code_and_description() {
        let body = br#"{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}"#;
        assert_eq!(
            body_says(Some("application/json"), body).unwrap(),
            "the server says: QUERY_LIMIT_EXCEEDED: Too many requests"
        );
    }

    #[test]
    fn a_wait_asked_in_the_body_is_read() {
        let body = br#"{"ok":false,"error_code":429,"parameters":{"retry_after":7}}"#;
        assert_eq!(body_retry_after(body), Some(Duration::from_secs(7)));
        assert_eq!(body_retry_after(b"Too Many Requests"), None);
        assert_eq!(body_retry_after(br#"{"retry_after":7}"#), None);
    }

    #[test]
    fn telegram_errors_read_as_their_description() {
        let body = br#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#;
        assert_eq!(
            describe_status(400, Some("application/json"), body, None),
            "HTTP 400: the server says: Bad Request: chat not found"
        );
    }

    #[test]
    fn an_html_page_is_named_not_dumped() {
        let body = b"<!DOCTYPE html><html><body><h1>403 Forbidden</h1></body></html>";
        assert_eq!(
            describe_status(403, None, body, None),
            "HTTP 403: access denied (the key lacks the right, or the address is blocked); \
             the server sent an HTML page, not the API's answer"
        );
    }

    #[test]
    fn plain_text_gives_its_first_line() {
        assert_eq!(
            describe_status(400, Some("text/plain"), b"Error: wrong hash\nmore", None),
            "HTTP 400: the server says: Error: wrong hash"
        );
        assert_eq!(describe_status(418, None, b"", None), "HTTP 418");
    }
}

//! The digest by e-mail: one message to the rule set's recipients, the
//! digest as its plain-text body and title as its subject, the reports
//! attached, sent over SMTP with STARTTLS (lettre's blocking transport
//! with rustls). Plain SMTP is allowed only to this machine (a local relay,
//! the tests' fake server); the rule set's compile step holds that. A
//! temporary refusal (4xx) or a dropped connection is tried again as the
//! pull client does (`crate::pull::retry`); a permanent one is not.

use super::attachments::Attachment;
use super::text::Message;
use crate::pull::retry::{Decision, RetryPolicy};
use crate::pull::secret::{Redactor, Secret};
use crate::rules::{EmailSettings, SmtpTls};
use anyhow::{bail, Context};
use lettre::message::header::ContentType;
use lettre::message::{Attachment as Part, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{SmtpTransport, Transport};
use std::time::Duration;

/// Sends `message` with `files` as `settings` say; `password` when the
/// server wants a login (`user` in the rule set).
pub fn send(
    settings: &EmailSettings,
    password: Option<&Secret>,
    message: &Message,
    files: &[Attachment],
    retry: RetryPolicy,
    timeout: Duration,
) -> anyhow::Result<()> {
    let mail = build(settings, message, files)?;
    let transport = transport(settings, password, timeout)?;
    let redactor = Redactor::new(credential_forms(settings.user.as_deref(), password));
    let asked = format!("SMTP {}:{}", settings.server, settings.port);
    let mut waited = Duration::ZERO;
    for attempt in 1.. {
        let e = match transport.send(&mail) {
            Ok(_) => return Ok(()),
            Err(e) => e,
        };
        let said = redactor.redact(&format!("{e}"));
        let passing = e.is_transient()
            || !(e.is_permanent() || e.is_response() || e.is_client() || e.is_tls());
        if !passing {
            if e.is_permanent() {
                bail!("{asked}: the server refused the mail: {said}");
            }
            bail!("{asked}: cannot send: {said}");
        }
        match retry.decide(attempt, waited, None) {
            Decision::RetryAfter(delay) => {
                std::thread::sleep(delay);
                waited += delay;
            }
            Decision::GiveUp(reason) => bail!("{asked}: {said} ({reason})"),
        }
    }
    unreachable!("the retry policy bounds the attempts")
}

/// The mail: the digest as text, each file attached under its name.
fn build(
    settings: &EmailSettings,
    message: &Message,
    files: &[Attachment],
) -> anyhow::Result<lettre::Message> {
    let mut builder = lettre::Message::builder()
        .from(mailbox(&settings.sender, "sender")?)
        .subject(message.title.as_str());
    for to in &settings.recipients {
        builder = builder.to(mailbox(to, "recipients")?);
    }
    let mut body = MultiPart::mixed().singlepart(SinglePart::plain(message.plain()));
    for file in files {
        let kind = ContentType::parse(file.content_type)
            .with_context(|| format!("{}: {}", file.name, file.content_type))?;
        body = body.singlepart(Part::new(file.name.clone()).body(file.bytes.clone(), kind));
    }
    builder
        .multipart(body)
        .context("the digest mail cannot be built")
}

fn mailbox(address: &str, key: &str) -> anyhow::Result<Mailbox> {
    address
        .parse()
        .with_context(|| format!("[notify.email] {key}: `{address}` is not an e-mail address"))
}

/// The password, and every form a login sends it in (AUTH PLAIN's
/// base64 of `\0user\0password`, AUTH LOGIN's base64 of each): a server
/// that echoes the line it refused puts one of them in the error.
fn credential_forms(user: Option<&str>, password: Option<&Secret>) -> Vec<Secret> {
    use base64::Engine as _;
    let Some(password) = password else {
        return Vec::new();
    };
    let b64 = |bytes: &[u8]| Secret::new(base64::engine::general_purpose::STANDARD.encode(bytes));
    let pass = password.expose();
    let mut forms = vec![password.clone(), b64(pass.as_bytes())];
    if let Some(user) = user {
        forms.push(b64(format!("\0{user}\0{pass}").as_bytes()));
    }
    forms
}

fn transport(
    settings: &EmailSettings,
    password: Option<&Secret>,
    timeout: Duration,
) -> anyhow::Result<SmtpTransport> {
    let builder = match settings.tls {
        SmtpTls::StartTls => SmtpTransport::starttls_relay(&settings.server)
            .with_context(|| format!("SMTP {}: cannot prepare STARTTLS", settings.server))?,
        SmtpTls::None => SmtpTransport::builder_dangerous(&settings.server),
    };
    let mut builder = builder.port(settings.port).timeout(Some(timeout));
    if let Some(user) = &settings.user {
        let Some(password) = password else {
            bail!("[notify.email] user = \"{user}\" needs a password: set SMTP_PASSWORD or give --smtp-password-file FILE (mode 600)");
        };
        builder = builder.credentials(Credentials::new(
            user.clone(),
            password.expose().to_string(),
        ));
    }
    Ok(builder.build())
}

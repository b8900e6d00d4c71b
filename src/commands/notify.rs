//! `crm-audit notify`: the digest of the newest run in the history, sent
//! to the Telegram chat and the e-mail recipients the rule set names (or
//! printed with `--dry-run`), with the report files given by `--attach`.
//! Every file and secret is read before anything is sent; a channel that
//! fails does not keep the other from being tried, and any failure ends
//! with exit 2 and its reason.

use super::Status;
use crate::history::History;
use crate::notify::attachments::Attachment;
use crate::notify::digest::Digest;
use crate::notify::telegram::{self, Bot};
use crate::notify::{email, text};
use crate::pull::http::ClientConfig;
use crate::pull::retry::RetryPolicy;
use crate::pull::secret::{self, Secret};
use crate::rules::notify::is_chat;
use anyhow::bail;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct NotifyArgs {
    /// The history database (default: `history` in the rule set).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,

    /// A rule file (TOML): its `history` and `[notify.*]` tables.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// A report file to send with the digest (repeatable), e.g. the HTML
    /// and XLSX the audit just wrote.
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,

    /// The Telegram chat (instead of `[notify.telegram] chat`); a group's
    /// id is negative (`--chat -1001234567890`).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub chat: Option<String>,

    /// A file holding the bot token, readable by its owner only (chmod
    /// 600); default: the TELEGRAM_BOT_TOKEN variable.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// A file holding the SMTP password (chmod 600); default: the
    /// SMTP_PASSWORD variable.
    #[arg(long, value_name = "FILE")]
    pub smtp_password_file: Option<PathBuf>,

    /// The Bot API's address (https://, or http:// to 127.0.0.1 only).
    #[arg(long, value_name = "URL", default_value = telegram::DEFAULT_API)]
    pub api_url: String,

    /// Print the message instead of sending it.
    #[arg(long)]
    pub dry_run: bool,

    /// Hide phone numbers (all but the last 4 digits) and e-mail local
    /// parts in the message, as `audit --mask-phones` does.
    #[arg(long)]
    pub mask_phones: bool,

    /// The longest one request may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,

    /// How often a send that failed for a passing reason (429, 500, 502,
    /// 503, 504, a dropped connection, a timeout, an SMTP 4xx) is tried
    /// again.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
}

pub fn run(args: &NotifyArgs, out: &mut dyn Write) -> anyhow::Result<Status> {
    let rules = super::load_rules(args.rules.as_deref(), &[])?;
    let path = super::history_of(args.history.as_deref(), &rules)?;
    let digest = Digest::latest(&History::open_existing(&path)?)?;
    let files: Vec<Attachment> = args
        .attach
        .iter()
        .map(|p| Attachment::read(p))
        .collect::<anyhow::Result<_>>()?;
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let mut message = text::message(&digest, &names);
    if args.mask_phones {
        message = message.map(crate::report::mask::mask_text);
    }
    let chat = match &args.chat {
        Some(chat) if !is_chat(chat.trim()) => bail!(
            "--chat `{chat}` is no chat id; expected a number such as -1001234567890 or a channel's @name"
        ),
        Some(chat) => Some(chat.trim().to_string()),
        None => rules.notify.telegram.as_ref().map(|t| t.chat.clone()),
    };
    let mail = rules.notify.email.as_ref();

    if args.dry_run {
        write_dry_run(&message, chat.as_deref(), mail, &names, out)?;
        return Ok(Status::Clean);
    }
    if chat.is_none() && mail.is_none() {
        bail!(
            "nowhere to send the digest: set [notify.telegram] chat or [notify.email] in the rule \
             set ({}), or give --chat; --dry-run prints it",
            rules.source
        );
    }

    // Every secret before anything is sent.
    let (token, password) = secrets(args, chat.is_some(), mail)?;
    let retry = RetryPolicy {
        retries: args.retries,
        ..RetryPolicy::default()
    };
    let timeout = Duration::from_secs(args.timeout);
    let run = format!("run {}", digest.run);

    let mut failures = Vec::new();
    if let (Some(chat), Some(token)) = (&chat, token) {
        let config = ClientConfig {
            timeout,
            retry,
            per_second: 1,
            max_body: 1 << 20,
            retry_server_error: true,
            ..ClientConfig::default()
        };
        match send_telegram(&args.api_url, token, chat, config, &message, &files) {
            Ok(parts) => writeln!(
                out,
                "sent the digest of {run} to Telegram chat {chat}: {parts} message(s), {} file(s)",
                files.len()
            )?,
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    if let Some(mail) = mail {
        match email::send(mail, password.as_ref(), &message, &files, retry, timeout) {
            Ok(()) => writeln!(
                out,
                "sent the digest of {run} by e-mail to {}: {} file(s)",
                mail.recipients.join(", "),
                files.len()
            )?,
            Err(e) => failures.push(format!("e-mail: {e:#}")),
        }
    }
    if !failures.is_empty() {
        bail!("the digest was not sent: {}", failures.join("; "));
    }
    Ok(Status::Clean)
}

/// The bot token when a chat is sent to, and the SMTP password when the
/// mail server wants a user's.
fn secrets(
    args: &NotifyArgs,
    telegram: bool,
    mail: Option<&crate::rules::notify::EmailSettings>,
) -> anyhow::Result<(Option<Secret>, Option<Secret>)> {
    let token = if telegram {
        Some(load_secret(
            args.token_file.as_deref(),
            "TELEGRAM_BOT_TOKEN",
            "no bot token: set TELEGRAM_BOT_TOKEN or give --token-file FILE (mode 600)",
        )?)
    } else {
        None
    };
    let password = match mail.and_then(|m| m.user.as_ref()) {
        Some(user) => Some(load_secret(
            args.smtp_password_file.as_deref(),
            "SMTP_PASSWORD",
            &format!(
                "no SMTP password for user `{user}`: set SMTP_PASSWORD or give \
                 --smtp-password-file FILE (mode 600)"
            ),
        )?),
        None => None,
    };
    Ok((token, password))
}

/// `--dry-run`: the message, and where it would have gone with which files.
fn write_dry_run(
    message: &text::Message,
    chat: Option<&str>,
    mail: Option<&crate::rules::notify::EmailSettings>,
    names: &[String],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out, "{}", message.plain())?;
    let mut to = Vec::new();
    if let Some(chat) = chat {
        to.push(format!("Telegram chat {chat}"));
    }
    if let Some(mail) = mail {
        to.push(format!("e-mail to {}", mail.recipients.join(", ")));
    }
    writeln!(
        out,
        "\n(--dry-run: nothing sent; it would go to {}{})",
        if to.is_empty() {
            "nowhere (the rule set names no [notify.*])".to_string()
        } else {
            to.join(" and ")
        },
        if names.is_empty() {
            String::new()
        } else {
            format!(", with {}", names.join(", "))
        }
    )?;
    Ok(())
}

/// The message's parts, then each file; the number of parts sent.
fn send_telegram(
    api: &str,
    token: Secret,
    chat: &str,
    config: ClientConfig,
    message: &text::Message,
    files: &[Attachment],
) -> anyhow::Result<usize> {
    let mut bot = Bot::new(api, token, chat, config)?;
    let parts = telegram::parts(message);
    for (i, part) in parts.iter().enumerate() {
        bot.send_message(part).map_err(|e| match i {
            0 => e,
            sent => e.context(format!(
                "{sent} of the message's {} parts were sent, the rest were not",
                parts.len()
            )),
        })?;
    }
    for file in files {
        bot.send_document(file).map_err(|e| {
            e.context(format!(
                "the message was sent, the file {} was not",
                file.name
            ))
        })?;
    }
    Ok(parts.len())
}

/// A secret from `file` (its mode checked) or the variable `var`.
fn load_secret(file: Option<&Path>, var: &str, missing: &str) -> anyhow::Result<Secret> {
    if file.is_none() && std::env::var_os(var).is_none() {
        bail!("{missing}");
    }
    secret::load(file, var)
}

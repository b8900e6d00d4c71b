//! `[notify.telegram]` and `[notify.email]`: where `crm-audit notify`
//! sends the morning digest, checked once here so a mistake is found with
//! its line and column, not at six in the morning by a failed send.
//! Secrets (the bot token, the SMTP password) are never keys of the rule
//! set: they come from the environment or a file.

use super::compile::{nearest, Result};
use super::location::SourceMap;
use super::raw::{RawEmail, RawRuleSet, RawTelegram, Text};

/// Where the digest goes; both empty when the rule set names nowhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifySettings {
    pub telegram: Option<TelegramSettings>,
    pub email: Option<EmailSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramSettings {
    /// A chat id (`-1001234567890`) or a channel's `@name`.
    pub chat: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailSettings {
    pub server: String,
    pub port: u16,
    /// `audit@example.ru` or `Аудит CRM <audit@example.ru>`.
    pub sender: String,
    pub recipients: Vec<String>,
    /// The login, when the server wants one.
    pub user: Option<String>,
    pub tls: SmtpTls,
}

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// STARTTLS, required: no mail goes in clear text.
    StartTls,
    /// None at all: only to a server on this machine.
    None,
}

/// The submission port, where servers offer STARTTLS.
pub const DEFAULT_SMTP_PORT: u16 = 587;

/// A Telegram chat as the Bot API takes it: a number (negative for groups
/// and channels) or a public channel's `@name`.
pub fn is_chat(chat: &str) -> bool {
    let digits = chat.strip_prefix('-').unwrap_or(chat);
    let number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let name = chat.strip_prefix('@').is_some_and(|n| {
        n.len() >= 5
            && n.starts_with(|c: char| c.is_ascii_alphabetic())
            && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    number || name
}

pub(super) fn settings(src: &SourceMap, raw: &RawRuleSet) -> Result<NotifySettings> {
    let Some(notify) = &raw.notify else {
        return Ok(NotifySettings::default());
    };
    Ok(NotifySettings {
        telegram: notify
            .telegram
            .as_ref()
            .map(|t| telegram(src, t))
            .transpose()?,
        email: notify.email.as_ref().map(|e| email(src, e)).transpose()?,
    })
}

fn telegram(src: &SourceMap, raw: &RawTelegram) -> Result<TelegramSettings> {
    let chat = required(src, raw.chat.as_ref(), "[notify.telegram]", "chat")?;
    if !is_chat(chat.get_ref().trim()) {
        return Err(src.error(
            Some(chat.span()),
            format!(
                "[notify.telegram] chat `{}` is no chat id; expected a number such as \
                 -1001234567890 or a channel's @name",
                chat.get_ref()
            ),
        ));
    }
    Ok(TelegramSettings {
        chat: chat.get_ref().trim().to_string(),
    })
}

fn email(src: &SourceMap, raw: &RawEmail) -> Result<EmailSettings> {
    let server = required(src, raw.server.as_ref(), "[notify.email]", "server")?;
    let host = server.get_ref().trim();
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains("://") {
        return Err(src.error(
            Some(server.span()),
            format!(
                "[notify.email] server `{}`: expected a host name such as smtp.yandex.ru",
                server.get_ref()
            ),
        ));
    }
    let sender = required(src, raw.sender.as_ref(), "[notify.email]", "sender")?;
    address(src, sender, "sender")?;
    let recipients = match &raw.recipients {
        Some(list) if !list.is_empty() => list,
        _ => {
            return Err(src.error(
                None,
                "[notify.email] needs `recipients`, e.g. recipients = [\"head@example.ru\"]",
            ))
        }
    };
    for to in recipients {
        address(src, to, "recipients")?;
    }
    let tls = match &raw.tls {
        None => SmtpTls::StartTls,
        Some(tls) => match tls.get_ref().trim() {
            "starttls" => SmtpTls::StartTls,
            "none" if matches!(host, "127.0.0.1" | "localhost" | "::1") => SmtpTls::None,
            "none" => {
                return Err(src.error(
                    Some(tls.span()),
                    format!(
                        "[notify.email] tls = \"none\" is accepted only for a server on this \
                         machine (127.0.0.1), not `{host}`: the mail and the password would \
                         cross the network in clear text"
                    ),
                ))
            }
            other => {
                return Err(src.error(
                    Some(tls.span()),
                    format!(
                        "[notify.email] tls `{other}` is unknown{}",
                        nearest(other, ["starttls", "none"].into_iter())
                    ),
                ))
            }
        },
    };
    let user = match &raw.user {
        Some(user) if user.get_ref().trim().is_empty() => {
            return Err(src.error(Some(user.span()), "[notify.email] user is empty"))
        }
        user => user.as_ref().map(|u| u.get_ref().trim().to_string()),
    };
    Ok(EmailSettings {
        server: host.to_string(),
        port: raw
            .port
            .as_ref()
            .map_or(DEFAULT_SMTP_PORT, |p| *p.get_ref()),
        sender: sender.get_ref().trim().to_string(),
        recipients: recipients
            .iter()
            .map(|r| r.get_ref().trim().to_string())
            .collect(),
        user,
        tls,
    })
}

fn required<'a>(
    src: &SourceMap,
    value: Option<&'a Text>,
    table: &str,
    key: &str,
) -> Result<&'a Text> {
    value.ok_or_else(|| src.error(None, format!("{table} needs `{key}`")))
}

fn address(src: &SourceMap, text: &Text, key: &str) -> Result<()> {
    match text.get_ref().trim().parse::<lettre::message::Mailbox>() {
        Ok(_) => Ok(()),
        Err(_) => Err(src.error(
            Some(text.span()),
            format!(
                "[notify.email] {key}: `{}` is not an e-mail address",
                text.get_ref()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile::company;
    use super::*;

    #[test]
    fn both_channels_are_read() {
        let rules = company(
            "[notify.telegram]\nchat = \"-1001234567890\"\n\
             [notify.email]\nserver = \"smtp.yandex.ru\"\nsender = \"Аудит CRM <audit@example.ru>\"\n\
             recipients = [\"head@example.ru\"]\nuser = \"audit@example.ru\"\n",
        )
        .unwrap();
        assert_eq!(
            rules.notify.telegram,
            Some(TelegramSettings {
                chat: "-1001234567890".into()
            })
        );
        let email = rules.notify.email.unwrap();
        assert_eq!(
            (email.server.as_str(), email.port, email.tls),
            ("smtp.yandex.ru", 587, SmtpTls::StartTls)
        );
        assert_eq!(email.user.as_deref(), Some("audit@example.ru"));
    }

    #[test]
    fn an_unknown_key_is_located_with_a_suggestion() {
        let e = company("[notify.telegram]\nchta = \"-100\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert_eq!(e.message, "unknown field `chta`; did you mean `chat`?");
        let e = company("[notify.emial]\n").unwrap_err();
        assert_eq!(e.message, "unknown field `emial`; did you mean `email`?");
    }

    #[test]
    fn mistakes_in_the_tables_are_located() {
        let e = company("[notify.telegram]\nchat = \"мой чат\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 8));
        assert!(e.message.contains("is no chat id"), "{}", e.message);

        let mail = "[notify.email]\nserver = \"smtp.example.ru\"\nsender = \"audit@example.ru\"\n\
                    recipients = [\"head@example.ru\"]\n";
        let e = company(&format!("{mail}tls = \"none\"\n")).unwrap_err();
        assert_eq!(e.line, 6);
        assert!(
            e.message.contains("only for a server on this machine"),
            "{}",
            e.message
        );
        let e = company(&format!("{mail}tls = \"startls\"\n")).unwrap_err();
        assert!(
            e.message.ends_with("did you mean `starttls`?"),
            "{}",
            e.message
        );
        let e = company(&mail.replace("head@example.ru", "начальник")).unwrap_err();
        assert_eq!((e.line, e.column), (5, 15));
        assert!(
            e.message.contains("is not an e-mail address"),
            "{}",
            e.message
        );
        let e = company(&mail.replace("recipients = [\"head@example.ru\"]\n", "")).unwrap_err();
        assert!(e.message.contains("needs `recipients`"), "{}", e.message);
        let local = mail.replace("smtp.example.ru", "127.0.0.1");
        let rules = company(&format!("{local}tls = \"none\"\nport = 2525\n")).unwrap();
        let email = rules.notify.email.unwrap();
        assert_eq!((email.tls, email.port), (SmtpTls::None, 2525));
    }

    #[test]
    fn chats_are_numbers_or_channel_names() {
        for ok in ["-1001234567890", "123456789", "@sales_audit"] {
            assert!(is_chat(ok), "{ok}");
        }
        for bad in ["", "-", "@ab", "@1abcde", "мой чат", "12 34"] {
            assert!(!is_chat(bad), "{bad}");
        }
    }
}

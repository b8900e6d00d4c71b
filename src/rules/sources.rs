//! `[sources.amocrm]`, `[sources.bitrix24]`, `[sources.sipuni]`: what
//! `crm-audit pull` fetches when the command line does not say, so a cron
//! line is `crm-audit pull amocrm`. Checked once here, with the line and
//! column of a mistake. Secrets are never keys of the rule set (a rule
//! file is read by many and kept in version control): a key named like
//! one is an error that says where the secret goes.

use super::compile::{nearest, Result};
use super::location::SourceMap;
use super::raw::RawRuleSet;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The tables as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSources {
    pub amocrm: Option<RawSource>,
    pub bitrix24: Option<RawSource>,
    pub sipuni: Option<RawSource>,
}

/// One source's table. The secret-like keys are read only to be refused
/// with a message saying where the secret goes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSource {
    pub url: Option<Spanned<String>>,
    pub out: Option<Spanned<String>>,
    pub days: Option<Spanned<i64>>,
    pub user: Option<Spanned<String>>,
    pub token: Option<Spanned<toml::Value>>,
    pub secret: Option<Spanned<toml::Value>>,
    pub webhook: Option<Spanned<toml::Value>>,
    pub password: Option<Spanned<toml::Value>>,
    /// The folder of the rule file that wrote the table: `out` is
    /// relative to it.
    #[serde(skip)]
    pub base: Option<PathBuf>,
}

/// The checked settings; a source the rule set does not name is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub amocrm: Option<Source>,
    pub bitrix24: Option<Source>,
    pub sipuni: Option<Source>,
}

/// What a pull of one source takes from the rule set; the command line's
/// flags override each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The account's or API's address (no secret in it).
    pub url: Option<String>,
    /// The snapshot folder, relative paths taken from the rule file's folder.
    pub out: Option<PathBuf>,
    /// History to pull, in days (amoCRM, Bitrix24), or the days up to today
    /// (Sipuni, when no `--from`/`--to` is given).
    pub days: Option<u32>,
    /// Sipuni's account number.
    pub user: Option<String>,
}

/// The systems, and the keys each takes.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Amocrm,
    Bitrix24,
    Sipuni,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Amocrm => "amocrm",
            Kind::Bitrix24 => "bitrix24",
            Kind::Sipuni => "sipuni",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Amocrm => &["url", "out", "days"],
            // The webhook's address holds its secret: it is no `url` here.
            Kind::Bitrix24 => &["out", "days"],
            Kind::Sipuni => &["url", "out", "days", "user"],
        }
    }

    /// Where this source's secret goes instead.
    fn secret_goes(self) -> &'static str {
        match self {
            Kind::Amocrm => {
                "the token goes in a file given with --token-file (mode 600) or in AMOCRM_TOKEN"
            }
            Kind::Bitrix24 => {
                "the webhook's address holds its secret and goes in a file given with \
                 --webhook-file (mode 600) or in BITRIX24_WEBHOOK"
            }
            Kind::Sipuni => {
                "the API key goes in a file given with --secret-file (mode 600) or in SIPUNI_SECRET"
            }
        }
    }
}

/// The longest history a pull takes, as `--days` allows.
const MAX_DAYS: i64 = 3650;

pub(super) fn settings(src: &SourceMap, raw: &RawRuleSet) -> Result<Sources> {
    let Some(sources) = &raw.sources else {
        return Ok(Sources::default());
    };
    let one = |raw: &Option<RawSource>, kind: Kind| {
        raw.as_ref().map(|r| source(src, r, kind)).transpose()
    };
    Ok(Sources {
        amocrm: one(&sources.amocrm, Kind::Amocrm)?,
        bitrix24: one(&sources.bitrix24, Kind::Bitrix24)?,
        sipuni: one(&sources.sipuni, Kind::Sipuni)?,
    })
}

/// A secret, or a key the source does not take, is an error at its place.
fn refuse_keys(src: &SourceMap, raw: &RawSource, kind: Kind, table: &str) -> Result<()> {
    for (key, value) in [
        ("token", &raw.token),
        ("secret", &raw.secret),
        ("webhook", &raw.webhook),
        ("password", &raw.password),
    ] {
        if let Some(value) = value {
            return Err(src.error(
                Some(value.span()),
                format!(
                    "{table} {key}: a secret never goes in the rule file; {}",
                    kind.secret_goes()
                ),
            ));
        }
    }
    let given: [(&str, Option<std::ops::Range<usize>>); 4] = [
        ("url", raw.url.as_ref().map(Spanned::span)),
        ("out", raw.out.as_ref().map(Spanned::span)),
        ("days", raw.days.as_ref().map(Spanned::span)),
        ("user", raw.user.as_ref().map(Spanned::span)),
    ];
    for (key, span) in given {
        if let Some(span) = span.filter(|_| !kind.keys().contains(&key)) {
            let why = match (kind, key) {
                (Kind::Bitrix24, "url") => format!("; {}", kind.secret_goes()),
                _ => format!(
                    "; it takes {}{}",
                    kind.keys().join(", "),
                    nearest(key, kind.keys().iter().copied())
                ),
            };
            return Err(src.error(
                Some(span),
                format!("{table}: `{key}` is not a key of this source{why}"),
            ));
        }
    }
    Ok(())
}

/// An https:// address (http:// to this machine only) with no user name
/// or password in it.
fn check_url(src: &SourceMap, url: &Spanned<String>, kind: Kind, table: &str) -> Result<()> {
    let text = url.get_ref().trim();
    let scheme_ok = text.starts_with("https://")
        || text.starts_with("http://127.0.0.1")
        || text.starts_with("http://localhost");
    if !scheme_ok {
        return Err(src.error(
            Some(url.span()),
            format!(
                "{table} url `{text}`: expected an https:// address \
                 (http:// to this machine only)"
            ),
        ));
    }
    let authority = text
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    if authority.contains('@') {
        return Err(src.error(
            Some(url.span()),
            format!(
                "{table} url: the address carries a user name or password; {}",
                kind.secret_goes()
            ),
        ));
    }
    Ok(())
}

fn source(src: &SourceMap, raw: &RawSource, kind: Kind) -> Result<Source> {
    let table = format!("[sources.{}]", kind.name());
    refuse_keys(src, raw, kind, &table)?;
    if let Some(url) = &raw.url {
        check_url(src, url, kind, &table)?;
    }
    let days = match &raw.days {
        None => None,
        Some(days) => match u32::try_from(*days.get_ref()) {
            Ok(n) if (1..=MAX_DAYS).contains(&i64::from(n)) => Some(n),
            _ => {
                return Err(src.error(
                    Some(days.span()),
                    format!(
                        "{table} days = {} is not a number of days from 1 to {MAX_DAYS}",
                        days.get_ref()
                    ),
                ))
            }
        },
    };
    let out = match &raw.out {
        None => None,
        Some(out) if out.get_ref().trim().is_empty() => {
            return Err(src.error(Some(out.span()), format!("{table} out is empty")))
        }
        Some(out) => {
            let path = Path::new(out.get_ref().trim());
            Some(match &raw.base {
                Some(base) if path.is_relative() => base.join(path),
                _ => path.to_path_buf(),
            })
        }
    };
    let user = match &raw.user {
        Some(user) if user.get_ref().trim().is_empty() => {
            return Err(src.error(Some(user.span()), format!("{table} user is empty")))
        }
        user => user.as_ref().map(|u| u.get_ref().trim().to_string()),
    };
    Ok(Source {
        url: raw.url.as_ref().map(|u| u.get_ref().trim().to_string()),
        out,
        days,
        user,
    })
}

/// Sets the folder `out` is relative to, on the tables of one rule file.
pub(super) fn set_base(sources: &mut Option<RawSources>, base: Option<&Path>) {
    if let Some(sources) = sources {
        for source in [
            &mut sources.amocrm,
            &mut sources.bitrix24,
            &mut sources.sipuni,
        ]
        .into_iter()
        .flatten()
        {
            source.base = base.map(Path::to_path_buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile::company;
    use super::*;

    #[test]
    fn the_three_tables_are_read() {
        let rules = company(
            "[sources.amocrm]\nurl = \"https://example.amocrm.ru\"\nout = \"/srv/exports/amocrm\"\ndays = 30\n\
             [sources.bitrix24]\nout = \"/srv/exports/bitrix24\"\n\
             [sources.sipuni]\nuser = \"123456\"\nout = \"/srv/exports/calls\"\ndays = 2\n",
        )
        .unwrap();
        assert_eq!(
            rules.sources.amocrm,
            Some(Source {
                url: Some("https://example.amocrm.ru".into()),
                out: Some("/srv/exports/amocrm".into()),
                days: Some(30),
                user: None,
            })
        );
        assert_eq!(
            rules.sources.bitrix24.unwrap().out,
            Some(PathBuf::from("/srv/exports/bitrix24"))
        );
        let sipuni = rules.sources.sipuni.unwrap();
        assert_eq!(
            (sipuni.user.as_deref(), sipuni.days),
            (Some("123456"), Some(2))
        );
    }

    #[test]
    fn a_secret_key_says_where_secrets_go() {
        let e =
            company("[sources.amocrm]\nurl = \"https://example.amocrm.ru\"\ntoken = \"eyJ…\"\n")
                .unwrap_err();
        assert_eq!((e.line, e.column), (4, 9));
        assert_eq!(
            e.message,
            "[sources.amocrm] token: a secret never goes in the rule file; the token goes in \
             a file given with --token-file (mode 600) or in AMOCRM_TOKEN"
        );
        for (table, key, says) in [
            ("bitrix24", "webhook", "--webhook-file"),
            ("sipuni", "secret", "SIPUNI_SECRET"),
            ("sipuni", "password", "--secret-file"),
            ("bitrix24", "url", "BITRIX24_WEBHOOK"),
        ] {
            let e = company(&format!("[sources.{table}]\n{key} = \"x\"\n")).unwrap_err();
            assert_eq!(e.line, 3, "{table}.{key}");
            assert!(e.message.contains(says), "{table}.{key}: {}", e.message);
        }
    }

    #[test]
    fn mistakes_are_located_with_a_suggestion() {
        let e = company("[sources.amocrm]\nuri = \"https://example.amocrm.ru\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert_eq!(e.message, "unknown field `uri`; did you mean `url`?");
        let e = company("[sources.amocmr]\n").unwrap_err();
        assert_eq!(e.message, "unknown field `amocmr`; did you mean `amocrm`?");
        let e = company("[sources.amocrm]\nuser = \"1\"\n").unwrap_err();
        assert!(
            e.message.starts_with(
                "[sources.amocrm]: `user` is not a key of this source; it takes url, out, days"
            ),
            "{}",
            e.message
        );
        let e = company("[sources.amocrm]\nurl = \"http://example.amocrm.ru\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 7));
        assert!(
            e.message.contains("expected an https:// address"),
            "{}",
            e.message
        );
        let e = company("[sources.sipuni]\ndays = 0\n").unwrap_err();
        assert!(e.message.contains("from 1 to 3650"), "{}", e.message);
    }
}

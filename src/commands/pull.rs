//! `crm-audit pull SOURCE`: fetch tonight's data through an API into a
//! snapshot folder that `audit` reads. The flags of each source are
//! declared here; the work is in `crate::pull`.

use crate::cli::Status;
use crate::pull::amocrm;
use crate::pull::amocrm_api::Api;
use crate::pull::bitrix24;
use crate::pull::bitrix24_api::{self, Webhook};
use crate::pull::endpoint::BaseUrl;
use crate::pull::http::{Client, ClientConfig};
use crate::pull::jwt;
use crate::pull::limiter::{AMOCRM_PER_SECOND, BITRIX24_PER_SECOND, SIPUNI_PER_SECOND};
use crate::pull::manifest::Manifest;
use crate::pull::retry::RetryPolicy;
use crate::pull::secret::{self, Redactor};
use crate::pull::sipuni::{self, Export};
use crate::pull::snapshot::SnapshotWriter;
use anyhow::{bail, Context};
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct PullArgs {
    #[command(subcommand)]
    pub source: PullSource,
}

/// The systems a pull fetches from.
#[derive(Debug, clap::Subcommand)]
pub enum PullSource {
    /// Sipuni's call log for whole days, saved as calls.csv. The API key
    /// comes from --secret-file or SIPUNI_SECRET, never the command line.
    Sipuni(SipuniArgs),
    /// amoCRM's deals, tasks and call notes through API v4, saved as
    /// deals.csv, tasks.csv and calls.csv. The long-lived token comes from
    /// --token-file or AMOCRM_TOKEN, never the command line.
    Amocrm(AmocrmArgs),
    /// Bitrix24's deals, tasks and call activities through an incoming
    /// webhook, saved as deals.csv, tasks.csv and calls.csv. The webhook's
    /// address holds its secret: it comes from --webhook-file or
    /// BITRIX24_WEBHOOK, never the command line.
    Bitrix24(Bitrix24Args),
}

#[derive(Debug, clap::Args)]
pub struct Bitrix24Args {
    /// The snapshot folder to write (replaced whole, only when the pull is
    /// complete; an existing folder must be an earlier snapshot or empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// A file holding the incoming webhook's address,
    /// https://PORTAL/rest/USER_ID/CODE/, readable by its owner only
    /// (chmod 600); default: the BITRIX24_WEBHOOK variable.
    #[arg(long, value_name = "FILE")]
    pub webhook_file: Option<PathBuf>,

    /// Completed tasks and calls of the last N days (open tasks and every
    /// deal are pulled whole).
    #[arg(long, value_name = "N", default_value_t = bitrix24::DEFAULT_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,

    #[command(flatten)]
    pub network: NetworkArgs,
}

#[derive(Debug, clap::Args)]
pub struct AmocrmArgs {
    /// The account's address, https://SUBDOMAIN.amocrm.ru (http:// to this
    /// machine only).
    #[arg(long, value_name = "URL")]
    pub url: String,

    /// The snapshot folder to write (replaced whole, only when the pull is
    /// complete; an existing folder must be an earlier snapshot or empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// A file holding the private integration's long-lived token, readable
    /// by its owner only (chmod 600); default: the AMOCRM_TOKEN variable.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Completed tasks and calls of the last N days (open tasks and every
    /// deal are pulled whole).
    #[arg(long, value_name = "N", default_value_t = amocrm::DEFAULT_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,

    #[command(flatten)]
    pub network: NetworkArgs,
}

/// How patient a pull is with a server.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct NetworkArgs {
    /// The longest one request may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// How often a request that failed for a passing reason (429, 502,
    /// 503, 504, a dropped connection, a timeout) is tried again.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
}

impl NetworkArgs {
    fn config(&self, per_second: u32) -> ClientConfig {
        ClientConfig {
            timeout: Duration::from_secs(self.timeout),
            retry: RetryPolicy {
                retries: self.retries,
                ..RetryPolicy::default()
            },
            per_second,
            ..ClientConfig::default()
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct SipuniArgs {
    /// The snapshot folder to write (replaced whole, only when the pull is
    /// complete; an existing folder must be an earlier snapshot or empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// The first day, e.g. 2026-11-26 or 26.11.2026.
    #[arg(long, value_name = "DATE")]
    pub from: String,

    /// The last day (included).
    #[arg(long, value_name = "DATE")]
    pub to: String,

    /// The Sipuni account number; default: the SIPUNI_USER variable.
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,

    /// A file holding the API key, readable by its owner only (chmod 600);
    /// default: the SIPUNI_SECRET variable.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,

    /// The API's base address (https://, or http:// to this machine only).
    #[arg(long, value_name = "URL", default_value = sipuni::DEFAULT_URL)]
    pub url: String,

    /// The longest one request may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// How often a request that failed for a passing reason (429, 502,
    /// 503, 504, a dropped connection, a timeout) is tried again.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
}

/// Runs a pull: its one-line summary goes to `out`, warnings (a token
/// about to expire) to `warnings`.
pub fn run(
    args: &PullArgs,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> anyhow::Result<Status> {
    match &args.source {
        PullSource::Sipuni(args) => pull_sipuni(args, out),
        PullSource::Amocrm(args) => pull_amocrm(args, out, warnings),
        PullSource::Bitrix24(args) => pull_bitrix24(args, out),
    }
}

fn pull_bitrix24(args: &Bitrix24Args, out: &mut dyn Write) -> anyhow::Result<Status> {
    let address = secret::load_given(
        args.webhook_file.as_deref(),
        "--webhook-file",
        "BITRIX24_WEBHOOK",
    )?;
    let webhook = Webhook::parse(address.expose())?;
    let redactor = Redactor::new([webhook.code()]);
    let now = chrono::Utc::now();
    let snapshot = SnapshotWriter::create(&args.out)?;
    let mut client = Client::new(args.network.config(BITRIX24_PER_SECOND), [webhook.code()]);
    let unchanged = || {
        format!(
            "pull bitrix24: nothing written, {} left as it was",
            args.out.display()
        )
    };
    let mut api = bitrix24_api::Api {
        client: &mut client,
        webhook: &webhook,
    };
    let options = bitrix24::Options {
        days: args.days,
        now,
    };
    // The last guard: whatever a server echoed, no secret reaches a message.
    let pulled = bitrix24::pull(&mut api, options)
        .map_err(|e| anyhow::anyhow!(redactor.redact(&format!("{e:#}"))))
        .with_context(unchanged)?;

    let shown_url = webhook.shown().to_string();
    let mut manifest = Manifest::new("bitrix24", &shown_url);
    manifest.pulled_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    manifest.period.insert("days".into(), args.days.to_string());
    manifest.period.insert(
        "from".into(),
        pulled
            .since
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    );
    let counts: Vec<String> = pulled
        .entities
        .iter()
        .map(|(name, e)| format!("{} {name}", e.rows))
        .collect();
    manifest.entities = pulled.entities;
    for (name, bytes) in &pulled.files {
        snapshot.write_file(name, bytes).with_context(unchanged)?;
    }
    snapshot.commit(manifest).with_context(unchanged)?;
    writeln!(
        out,
        "pulled {} from {shown_url} into {}",
        counts.join(", "),
        args.out.display()
    )?;
    Ok(Status::Clean)
}

fn pull_amocrm(
    args: &AmocrmArgs,
    out: &mut dyn Write,
    warnings: &mut dyn Write,
) -> anyhow::Result<Status> {
    let base = BaseUrl::parse(&args.url)?;
    let token = secret::load_given(args.token_file.as_deref(), "--token-file", "AMOCRM_TOKEN")?;
    let redactor = Redactor::new([token.clone()]);
    let now = chrono::Utc::now();
    if let Some(warning) = jwt::warning(token.expose(), now) {
        writeln!(
            warnings,
            "crm-audit: warning: {}",
            redactor.redact(&warning)
        )?;
    }
    let snapshot = SnapshotWriter::create(&args.out)?;
    let mut client = Client::new(args.network.config(AMOCRM_PER_SECOND), [token.clone()]);
    let unchanged = || {
        format!(
            "pull amocrm: nothing written, {} left as it was",
            args.out.display()
        )
    };
    let mut api = Api {
        client: &mut client,
        base: &base,
        token: &token,
    };
    let options = amocrm::Options {
        days: args.days,
        now,
    };
    // The last guard: whatever a server echoed, no token reaches a message.
    let pulled = amocrm::pull(&mut api, options)
        .map_err(|e| anyhow::anyhow!(redactor.redact(&format!("{e:#}"))))
        .with_context(unchanged)?;

    let shown_url = redactor.redact(base.as_str());
    let mut manifest = Manifest::new("amocrm", &shown_url);
    manifest.pulled_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    manifest.period.insert("days".into(), args.days.to_string());
    manifest.period.insert(
        "from".into(),
        pulled
            .since
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    );
    manifest
        .period
        .insert("time_zone".into(), pulled.time_zone.clone());
    let counts: Vec<String> = pulled
        .entities
        .iter()
        .map(|(name, e)| format!("{} {name}", e.rows))
        .collect();
    manifest.entities = pulled.entities;
    for (name, bytes) in &pulled.files {
        snapshot.write_file(name, bytes).with_context(unchanged)?;
    }
    snapshot.commit(manifest).with_context(unchanged)?;
    writeln!(
        out,
        "pulled {} from {shown_url} into {}",
        counts.join(", "),
        args.out.display()
    )?;
    Ok(Status::Clean)
}

fn pull_sipuni(args: &SipuniArgs, out: &mut dyn Write) -> anyhow::Result<Status> {
    let base = BaseUrl::parse(&args.url)?;
    let from = parse_day("--from", &args.from)?;
    let to = parse_day("--to", &args.to)?;
    if to < from {
        bail!("--to {} is before --from {}", args.to, args.from);
    }
    let user = match &args.user {
        Some(user) => user.trim().to_string(),
        None => std::env::var("SIPUNI_USER")
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    if user.is_empty() {
        bail!("no Sipuni account: give --user ID or set SIPUNI_USER");
    }
    let key = secret::load(args.secret_file.as_deref(), "SIPUNI_SECRET")?;
    let redactor = Redactor::new([key.clone()]);
    let snapshot = SnapshotWriter::create(&args.out)?;
    let config = ClientConfig {
        timeout: Duration::from_secs(args.timeout),
        retry: RetryPolicy {
            retries: args.retries,
            ..RetryPolicy::default()
        },
        per_second: SIPUNI_PER_SECOND,
        ..ClientConfig::default()
    };
    let mut client = Client::new(config, [key.clone()]);
    let export = Export { user, from, to };
    let unchanged = || {
        format!(
            "pull sipuni: nothing written, {} left as it was",
            args.out.display()
        )
    };
    // The last guard: whatever a server echoed, no key reaches a message.
    let (csv, calls) = sipuni::pull(&mut client, &base, &export, &key)
        .map_err(|e| anyhow::anyhow!(redactor.redact(&format!("{e:#}"))))
        .with_context(unchanged)?;

    let shown_url = redactor.redact(base.as_str());
    let mut manifest = Manifest::new("sipuni", &shown_url);
    manifest.pulled_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    manifest.period.insert("from".into(), from.to_string());
    manifest.period.insert("to".into(), to.to_string());
    let rows = calls.rows;
    manifest.entities.insert("calls".into(), calls);
    snapshot
        .write_file(sipuni::CALLS_FILE, &csv)
        .with_context(unchanged)?;
    snapshot.commit(manifest).with_context(unchanged)?;
    writeln!(
        out,
        "pulled {rows} calls from {shown_url} into {}",
        args.out.display()
    )?;
    Ok(Status::Clean)
}

/// A day as people and cron scripts write it: `2026-11-26` or `26.11.2026`.
fn parse_day(flag: &str, text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%d.%m.%Y"))
        .with_context(|| {
            format!("{flag}: `{text}` is not a date; expected e.g. 2026-11-26 or 26.11.2026")
        })
}

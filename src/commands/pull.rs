//! `crm-audit pull SOURCE`: fetch tonight's data through an API into a
//! snapshot folder that `audit` reads. The flags of each source are
//! declared here; the work is in `crate::pull`.

use super::Status;
use crate::pull::amocrm;
use crate::pull::amocrm_api::Api;
use crate::pull::bitrix24;
use crate::pull::bitrix24_api::{self, Webhook};
use crate::pull::endpoint::BaseUrl;
use crate::pull::http::{Client, ClientConfig};
use crate::pull::jwt;
use crate::pull::limiter::{AMOCRM_PER_SECOND, BITRIX24_PER_SECOND, SIPUNI_PER_SECOND};
use crate::pull::manifest::Entity;
use crate::pull::manifest::Manifest;
use crate::pull::retry::RetryPolicy;
use crate::pull::secret::{self, Redactor};
use crate::pull::sipuni::{self, Export};
use crate::pull::snapshot::SnapshotWriter;
use anyhow::{bail, Context};
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    /// complete; an existing folder must be an earlier snapshot or empty);
    /// default: `out` of [sources.bitrix24] in the rule set.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// A file holding the incoming webhook's address,
    /// https://PORTAL/rest/USER_ID/CODE/, readable by its owner only
    /// (chmod 600); default: the BITRIX24_WEBHOOK variable.
    #[arg(long, value_name = "FILE")]
    pub webhook_file: Option<PathBuf>,

    /// Completed tasks and calls of the last N days (open tasks and every
    /// deal are pulled whole); default: the rule set's, else 45.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: Option<u32>,

    /// The rule file whose [sources.bitrix24] gives the defaults; default:
    /// crm-audit.toml in the current folder.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    #[command(flatten)]
    pub network: NetworkArgs,
}

#[derive(Debug, clap::Args)]
pub struct AmocrmArgs {
    /// The account's address, https://SUBDOMAIN.amocrm.ru (http:// to this
    /// machine only); default: `url` of [sources.amocrm] in the rule set.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// The snapshot folder to write (replaced whole, only when the pull is
    /// complete; an existing folder must be an earlier snapshot or empty);
    /// default: `out` of [sources.amocrm] in the rule set.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// A file holding the private integration's long-lived token, readable
    /// by its owner only (chmod 600); default: the AMOCRM_TOKEN variable.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Completed tasks and calls of the last N days (open tasks and every
    /// deal are pulled whole); default: the rule set's, else 45.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: Option<u32>,

    /// The rule file whose [sources.amocrm] gives the defaults; default:
    /// crm-audit.toml in the current folder.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

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
    /// complete; an existing folder must be an earlier snapshot or empty);
    /// default: `out` of [sources.sipuni] in the rule set.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The first day, e.g. 2026-11-26 or 26.11.2026; without --from and
    /// --to, the `days` of [sources.sipuni] before today, and today.
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<String>,

    /// The last day (included).
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<String>,

    /// The Sipuni account number; default: `user` of [sources.sipuni],
    /// else the SIPUNI_USER variable.
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,

    /// A file holding the API key, readable by its owner only (chmod 600);
    /// default: the SIPUNI_SECRET variable.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,

    /// The API's base address (https://, or http:// to this machine only);
    /// default: `url` of [sources.sipuni], else https://sipuni.com/api.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// The rule file whose [sources.sipuni] gives the defaults; default:
    /// crm-audit.toml in the current folder.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

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
/// A progress line (given only when stderr is a terminal) goes to
/// `progress`.
pub fn run(
    args: &PullArgs,
    out: &mut dyn Write,
    progress: Option<Box<dyn Write + Send>>,
    warnings: &mut dyn Write,
) -> anyhow::Result<Status> {
    let mut line = PullLine {
        out: progress,
        started: Instant::now(),
        drawn: false,
    };
    match &args.source {
        PullSource::Sipuni(args) => pull_sipuni(args, out),
        PullSource::Amocrm(args) => pull_amocrm(args, out, &mut line, warnings),
        PullSource::Bitrix24(args) => pull_bitrix24(args, out, &mut line),
    }
}

/// A pull's progress on a terminal's stderr: after each page, once a
/// second has passed (a quick pull shows nothing), the list, the page and
/// the records read so far; cleared before the summary or an error.
struct PullLine {
    out: Option<Box<dyn Write + Send>>,
    started: Instant,
    drawn: bool,
}

impl PullLine {
    fn page(&mut self, entity: &str, page: u64, rows: u64) {
        let Some(out) = &mut self.out else { return };
        if self.started.elapsed() < super::progress::DELAY {
            return;
        }
        // Best-effort: a failed write costs only the line.
        let _ = write!(
            out,
            "\r\x1b[Kcrm-audit: pulling {entity}: page {page}, {rows} rows"
        );
        let _ = out.flush();
        self.drawn = true;
    }

    fn clear(&mut self) {
        if let (true, Some(out)) = (self.drawn, &mut self.out) {
            let _ = write!(out, "\r\x1b[K");
            let _ = out.flush();
        }
        self.drawn = false;
    }
}

impl Drop for PullLine {
    fn drop(&mut self) {
        self.clear();
    }
}

fn pull_bitrix24(
    args: &Bitrix24Args,
    out: &mut dyn Write,
    line: &mut PullLine,
) -> anyhow::Result<Status> {
    let rules = super::load_rules(args.rules.as_deref(), &[])?;
    let source = rules.sources.bitrix24.clone().unwrap_or_default();
    let folder = snapshot_folder(args.out.as_ref(), &source, "bitrix24")?;
    let days = args.days.or(source.days).unwrap_or(bitrix24::DEFAULT_DAYS);
    let address = secret::load_given(
        args.webhook_file.as_deref(),
        "--webhook-file",
        "BITRIX24_WEBHOOK",
    )?;
    let webhook = Webhook::parse(address.expose())?;
    let redactor = Redactor::new([webhook.code()]);
    let now = chrono::Utc::now();
    let snapshot = SnapshotWriter::create(&folder)?;
    let mut client = Client::new(args.network.config(BITRIX24_PER_SECOND), [webhook.code()]);
    let unchanged = || {
        format!(
            "pull bitrix24: nothing written, {} left as it was",
            folder.display()
        )
    };
    let options = bitrix24::Options { days, now };
    let pulled = {
        let mut on_page = |entity: &str, page: u64, rows: u64| line.page(entity, page, rows);
        let mut api = bitrix24_api::Api {
            client: &mut client,
            webhook: &webhook,
            on_page: Some(&mut on_page),
        };
        bitrix24::pull(&mut api, options)
    };
    line.clear();
    // The last guard: whatever a server echoed, no secret reaches a message.
    let pulled = pulled
        .map_err(|e| anyhow::anyhow!(redactor.redact(&format!("{e:#}"))))
        .with_context(unchanged)?;

    let shown_url = webhook.shown().to_string();
    let manifest = crm_manifest("bitrix24", &shown_url, now, days, pulled.since);
    let saved = Pulled {
        entities: pulled.entities,
        files: &pulled.files,
    };
    save(snapshot, manifest, saved, &unchanged, &folder, out)
}

/// A CRM pull's manifest: when it was made, and the days and the first
/// moment of history it holds.
fn crm_manifest(
    system: &str,
    shown_url: &str,
    now: DateTime<Utc>,
    days: u32,
    since: DateTime<Utc>,
) -> Manifest {
    let mut manifest = Manifest::new(system, shown_url);
    manifest.pulled_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    manifest.period.insert("days".into(), days.to_string());
    manifest.period.insert(
        "from".into(),
        since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    );
    manifest
}

/// What a pull fetched: its entities' counts and its files.
struct Pulled<'a> {
    entities: BTreeMap<String, Entity>,
    files: &'a [(&'static str, Vec<u8>)],
}

/// Writes the pulled files, then the manifest that makes the snapshot
/// whole (`unchanged` says why nothing was written when either fails),
/// and says what was pulled.
fn save(
    snapshot: SnapshotWriter,
    mut manifest: Manifest,
    pulled: Pulled,
    unchanged: &dyn Fn() -> String,
    folder: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let counts: Vec<String> = pulled
        .entities
        .iter()
        .map(|(name, e)| format!("{} {name}", e.rows))
        .collect();
    manifest.entities = pulled.entities;
    for (name, bytes) in pulled.files {
        snapshot.write_file(name, bytes).with_context(unchanged)?;
    }
    let shown_url = manifest.base_url.clone();
    snapshot.commit(manifest).with_context(unchanged)?;
    writeln!(
        out,
        "pulled {} from {shown_url} into {}",
        counts.join(", "),
        folder.display()
    )?;
    Ok(Status::Clean)
}

fn pull_amocrm(
    args: &AmocrmArgs,
    out: &mut dyn Write,
    line: &mut PullLine,
    warnings: &mut dyn Write,
) -> anyhow::Result<Status> {
    let rules = super::load_rules(args.rules.as_deref(), &[])?;
    let source = rules.sources.amocrm.clone().unwrap_or_default();
    let Some(url) = args.url.clone().or(source.url.clone()) else {
        bail!(
            "no amoCRM address: give --url https://SUBDOMAIN.amocrm.ru or `url` in \
             [sources.amocrm] of the rule set"
        );
    };
    let folder = snapshot_folder(args.out.as_ref(), &source, "amocrm")?;
    let days = args.days.or(source.days).unwrap_or(amocrm::DEFAULT_DAYS);
    let base = BaseUrl::parse(&url)?;
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
    let snapshot = SnapshotWriter::create(&folder)?;
    let mut client = Client::new(args.network.config(AMOCRM_PER_SECOND), [token.clone()]);
    let unchanged = || {
        format!(
            "pull amocrm: nothing written, {} left as it was",
            folder.display()
        )
    };
    let options = amocrm::Options { days, now };
    let pulled = {
        let mut on_page = |entity: &str, page: u64, rows: u64| line.page(entity, page, rows);
        let mut api = Api {
            client: &mut client,
            base: &base,
            token: &token,
            on_page: Some(&mut on_page),
        };
        amocrm::pull(&mut api, options)
    };
    line.clear();
    // The last guard: whatever a server echoed, no token reaches a message.
    let pulled = pulled
        .map_err(|e| anyhow::anyhow!(redactor.redact(&format!("{e:#}"))))
        .with_context(unchanged)?;

    let shown_url = redactor.redact(base.as_str());
    let mut manifest = crm_manifest("amocrm", &shown_url, now, days, pulled.since);
    manifest
        .period
        .insert("time_zone".into(), pulled.time_zone.clone());
    let saved = Pulled {
        entities: pulled.entities,
        files: &pulled.files,
    };
    save(snapshot, manifest, saved, &unchanged, &folder, out)
}

fn pull_sipuni(args: &SipuniArgs, out: &mut dyn Write) -> anyhow::Result<Status> {
    let rules = super::load_rules(args.rules.as_deref(), &[])?;
    let source = rules.sources.sipuni.clone().unwrap_or_default();
    let folder = snapshot_folder(args.out.as_ref(), &source, "sipuni")?;
    let url = args
        .url
        .clone()
        .or(source.url.clone())
        .unwrap_or_else(|| sipuni::DEFAULT_URL.to_string());
    let base = BaseUrl::parse(&url)?;
    let (from, to) = sipuni_period(args, source.days, &rules)?;
    let user = match args.user.as_ref().or(source.user.as_ref()) {
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
    let snapshot = SnapshotWriter::create(&folder)?;
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
            folder.display()
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
        folder.display()
    )?;
    Ok(Status::Clean)
}

/// The days a Sipuni pull asks for: `--from` to `--to`, else from the
/// `days`-th working day before today to today, in the company's time zone
/// and by the rule set's calendar: the quota judges working days, so on a
/// Monday `days = 1` reaches back to Friday, after a holiday to the day
/// before it.
fn sipuni_period(
    args: &SipuniArgs,
    days: Option<u32>,
    rules: &crate::rules::RuleSet,
) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    Ok(match (&args.from, &args.to, days) {
        (Some(from_text), Some(to_text), _) => {
            let from = parse_day("--from", from_text)?;
            let to = parse_day("--to", to_text)?;
            if to < from {
                bail!("--to {to_text} is before --from {from_text}");
            }
            (from, to)
        }
        (_, _, Some(days)) => {
            let today = chrono::Utc::now()
                .with_timezone(&rules.time_zone)
                .date_naive();
            let calendar_days = today - chrono::Days::new(u64::from(days));
            let working = rules.calendar.working_days_before(today, days);
            let from = working
                .last()
                .map_or(calendar_days, |&d| d.min(calendar_days));
            (from, today)
        }
        _ => bail!(
            "no period: give --from DATE --to DATE, or `days` in [sources.sipuni] of the rule set"
        ),
    })
}

/// A day as people and cron scripts write it: `2026-11-26` or `26.11.2026`.
fn parse_day(flag: &str, text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%d.%m.%Y"))
        .with_context(|| {
            format!("{flag}: `{text}` is not a date; expected e.g. 2026-11-26 or 26.11.2026")
        })
}

/// The snapshot folder: `--out`, else `out` of the rule set's table.
fn snapshot_folder(
    flag: Option<&PathBuf>,
    source: &crate::rules::sources::Source,
    name: &str,
) -> anyhow::Result<PathBuf> {
    match flag.or(source.out.as_ref()) {
        Some(folder) => Ok(folder.clone()),
        None => bail!(
            "no snapshot folder: give --out DIR, or `out` in [sources.{name}] of the rule set"
        ),
    }
}

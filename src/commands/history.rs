//! `crm-audit history`: the runs the history holds, or one manager's or
//! rule's trend, as a table, JSON or CSV; `history prune` forgets old runs.

use super::Status;
use crate::history::{History, Subject};
use anyhow::bail;
use clap::{Subcommand, ValueEnum};
use comfy_table::{presets, Table};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub action: Option<HistoryAction>,

    /// The history database (default: `history` in the rule set).
    #[arg(long, value_name = "FILE", global = true)]
    pub history: Option<PathBuf>,

    /// A rule file (TOML) to use instead of the built-in regulation.
    #[arg(long, value_name = "FILE", global = true)]
    pub rules: Option<PathBuf>,

    /// This manager's trend: violations and violations per 10 deals in work.
    #[arg(long, value_name = "NAME", conflicts_with = "rule")]
    pub manager: Option<String>,

    /// This rule's trend: its violations per run.
    #[arg(long, value_name = "RULE")]
    pub rule: Option<String>,

    /// How many of the newest runs to show.
    #[arg(long, value_name = "N", default_value_t = 14)]
    pub last: usize,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = HistoryFormat::Table)]
    pub format: HistoryFormat,
}

#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// Keep only the newest runs (and the violations seen in them).
    Prune {
        /// How many of the newest runs to keep.
        #[arg(long, value_name = "N")]
        keep: usize,
    },
}

/// The formats of `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    Table,
    Json,
    Csv,
}

pub fn run(args: &HistoryArgs, out: &mut dyn Write) -> anyhow::Result<Status> {
    let path = history_path(args)?;
    if let Some(HistoryAction::Prune { keep }) = &args.action {
        if *keep == 0 {
            bail!("history prune --keep 0 would forget every run; keep at least 1");
        }
        let mut history = History::open_existing(&path)?;
        let removed = history.prune(*keep)?;
        writeln!(
            out,
            "{}: forgot {removed} run(s), kept the newest {keep}",
            path.display()
        )?;
        return Ok(Status::Clean);
    }
    let history = History::open_existing(&path)?;
    let (managers, rules) = history.names()?;
    let subject = match (&args.manager, &args.rule) {
        (Some(name), _) => Subject::Manager(known(name, "manager", &managers)?),
        (_, Some(rule)) => Subject::Rule(known(rule, "rule", &rules)?),
        (None, None) => {
            let runs = history.runs(args.last)?;
            let header = ["run", "audit moment", "violations", "new", "fixed", "gone"];
            let rows = runs.iter().map(|r| {
                vec![
                    r.run.to_string(),
                    r.as_of.clone(),
                    r.violations.to_string(),
                    r.new.to_string(),
                    r.fixed.to_string(),
                    r.gone.to_string(),
                ]
            });
            write(args.format, &header, rows, &runs, out).map_err(crate::report::io_first)?;
            return Ok(Status::Clean);
        }
    };
    let trend = history.trend(subject, args.last)?;
    let header = [
        "run",
        "audit moment",
        "violations",
        "deals in work",
        "per 10 deals",
    ];
    let blank = |v: Option<String>| v.unwrap_or_default();
    let rows = trend.iter().map(|p| {
        vec![
            p.run.to_string(),
            p.as_of.clone(),
            p.violations.to_string(),
            blank(p.deals_in_work.map(|d| d.to_string())),
            blank(p.per_10_deals.map(|v| v.to_string())),
        ]
    });
    write(args.format, &header, rows, &trend, out).map_err(crate::report::io_first)?;
    Ok(Status::Clean)
}

/// `--history`, else the rule set's `history`.
fn history_path(args: &HistoryArgs) -> anyhow::Result<PathBuf> {
    if let Some(path) = &args.history {
        return Ok(path.clone());
    }
    let rules = super::load_rules(args.rules.as_deref(), &[])?;
    super::history_of(None, &rules)
}

/// `name` if the history has counts for it, else an error listing those it has.
fn known<'a>(name: &'a str, what: &str, names: &[String]) -> anyhow::Result<&'a str> {
    if names.iter().any(|n| n == name) {
        return Ok(name);
    }
    let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    bail!(
        "no {what} \"{name}\" in the history; it has {}",
        if list.is_empty() {
            "none yet".to_string()
        } else {
            list.join(", ")
        }
    )
}

/// The rows as a table or CSV, or `items` as JSON. A caller hands a failed
/// write on as an `std::io::Error` (`report::io_first`), whichever encoder
/// met it.
fn write<T: Serialize>(
    format: HistoryFormat,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    items: &[T],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        HistoryFormat::Table => {
            let mut table = Table::new();
            table.load_style(presets::UTF8_FULL_CONDENSED);
            table.set_header(header.to_vec());
            for row in rows {
                table.add_row(row);
            }
            writeln!(out, "{table}")?;
        }
        HistoryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, items)?;
            writeln!(out)?;
        }
        HistoryFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(header)?;
            for row in rows {
                csv.write_record(row)?;
            }
            csv.flush()?;
        }
    }
    Ok(())
}

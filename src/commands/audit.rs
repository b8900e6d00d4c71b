//! `crm-audit audit`: read the exports, run the rules, render the report,
//! and say whether anything at or above `--fail-on` was found.

use super::output::{refuse_input_as_output, write_atomically};
use super::progress::{enter, Watcher};
use crate::cli::{AuditArgs, Format, Status, Stdout};
use crate::progress::Stage;
use crate::report::table::TableOptions;
use crate::rules::RuleSet;
use crate::{audit, input, report, value};
use anyhow::anyhow;
use chrono::{NaiveDateTime, Timelike};

pub fn run(args: &AuditArgs, stdout: Stdout) -> anyhow::Result<Status> {
    let format = output_format(args, stdout.is_terminal)?;
    let files = input::discover(&args.paths)?;
    if let Some(output) = &args.output {
        let mut inputs = files.clone();
        if let Some(rules) = &args.rules {
            inputs.push((rules.clone(), rules.display().to_string()));
        }
        refuse_input_as_output(output, &inputs)?;
    }
    let mut rules = super::load_rules(args.rules.as_deref())?;
    rules.select(&args.select, &args.ignore)?;
    let as_of = match &args.as_of {
        Some(text) => parse_as_of(text, &rules)?,
        None => now_in(&rules),
    };
    // Dropped on any early return, which clears its line before the error.
    let mut watcher = stdout.progress.map(Watcher::on);
    let options = input::LoadOptions {
        sheet: args.sheet.clone(),
        for_inspection: false,
        progress: watcher.as_ref().map(Watcher::progress),
        ..input::LoadOptions::default()
    };
    let mut data = input::load(&files, &rules, &options)?;
    enter(watcher.as_ref(), Stage::Auditing);
    let outcome = audit::run(&data, &rules, as_of);
    // The report reads deals, tasks and reviews, never the calls: at
    // scale they are a tenth of the memory, freed before the report
    // takes its own.
    data.calls = Vec::new();
    let mut report = report::build(&data, &rules, &outcome, as_of, &args.manager)?;
    let status = if args.fail_on.fails(report.worst()) {
        Status::Violations
    } else {
        Status::Clean
    };
    if args.mask_phones {
        report::mask::mask_report(&mut report);
    }
    let table = TableOptions {
        summary_only: args.summary,
        ..TableOptions::default()
    };
    enter(watcher.as_ref(), Stage::Writing);
    match &args.output {
        Some(path) => write_atomically(path, |out| report::render(&report, format, table, out))?,
        None => {
            // Standard output may reach the progress line's terminal, even
            // through a pipe (`| less`): clear the line and stop redrawing
            // before the report starts.
            if let Some(watcher) = &mut watcher {
                watcher.finish();
            }
            let table = TableOptions {
                width: stdout.terminal_width,
                color: stdout.color,
                ..table
            };
            report::render(&report, format, table, stdout.writer)?;
            stdout.writer.flush()?;
        }
    }
    if let Some(watcher) = &mut watcher {
        watcher.finish();
    }
    data.drop_in_background();
    Ok(status)
}

/// The format asked for: `--format`, else the output file's extension,
/// else the table. Checked before any input is read.
pub(crate) fn output_format(args: &AuditArgs, stdout_is_terminal: bool) -> anyhow::Result<Format> {
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_extension))
        .unwrap_or(Format::Table);
    if args.summary && format != Format::Table {
        anyhow::bail!(
            "--summary applies to the table format only, not --format {}",
            format.name()
        );
    }
    if format.is_binary() && args.output.is_none() && stdout_is_terminal {
        anyhow::bail!(
            "--format {0} is a binary file and standard output is a terminal; \
             give --output FILE.{0} or redirect standard output to a file",
            format.name()
        );
    }
    Ok(format)
}

pub(crate) fn parse_as_of(text: &str, rules: &RuleSet) -> anyhow::Result<NaiveDateTime> {
    value::parse_moment(text, rules.time_zone)
        .map(|m| m.start())
        .map_err(|e| anyhow!("--as-of: {e}"))
}

fn now_in(rules: &RuleSet) -> NaiveDateTime {
    let now = chrono::Utc::now()
        .with_timezone(&rules.time_zone)
        .naive_local();
    now.with_nanosecond(0).unwrap_or(now)
}

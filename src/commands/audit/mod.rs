//! `crm-audit audit`: read the exports, run the rules, render the report,
//! and say whether anything at or above `--fail-on` was found.

mod args;

pub use args::{AuditArgs, ColorChoice, FailOn, FormatChoice, LangChoice};

use super::output::{refuse_input_as_output, write_atomically};
use super::progress::{enter, Watcher};
use super::{Status, Stdout};
use crate::history::{guard, History};
use crate::progress::Stage;
use crate::report::history::Recording;
use crate::report::table::TableOptions;
use crate::report::{CsvDialect, Format, RenderOptions};
use crate::rules::RuleSet;
use crate::{audit, input, report, value};
use anyhow::anyhow;
use chrono::{NaiveDateTime, Timelike};
use clap::ValueEnum;
use std::path::{Path, PathBuf};

pub fn run(args: &AuditArgs, stdout: Stdout) -> anyhow::Result<Status> {
    let format = output_format(args, stdout.is_terminal)?;
    let files = input::discover(&args.paths)?;
    // Before the long read: a snapshot whose pull did not finish stops
    // the run at once.
    let snapshots = input::snapshots(&args.paths)?;
    let rule_file = super::rule_file(args.rules.as_deref(), &args.paths);
    if let Some(output) = output_file(args) {
        let mut inputs: Vec<(PathBuf, String)> = files
            .iter()
            .map(|found| (found.path.clone(), found.shown.clone()))
            .collect();
        if let Some(rules) = &rule_file {
            inputs.push((rules.clone(), rules.display().to_string()));
        }
        refuse_input_as_output(output, &inputs)?;
    }
    let mut rules = super::load_rules(rule_file.as_deref(), &[])?;
    rules.select(&args.select, &args.ignore)?;
    if let Some(lang) = args.lang {
        rules.language = lang.into();
    }
    // Opened before the long read: a file that is not a history stops the
    // run at once, and is left as it was.
    // A baseline stands in for the rule set's history: one comparison.
    // The history keeps whole nights: a run of some rules or managers is
    // not recorded in the rule set's history (and says so), and is refused
    // with an explicit one.
    let narrowed = !args.manager.is_empty() || !args.select.is_empty() || !args.ignore.is_empty();
    let history_path = match (&args.baseline, &args.history, &rules.history) {
        (Some(_), _, _) => None,
        (None, Some(path), _) if !args.select.is_empty() || !args.ignore.is_empty() => {
            anyhow::bail!(
                "--select and --ignore narrow the night, and the history {} keeps whole nights \
                 (a rule left out would look fixed, then new): audit a selection without \
                 --history",
                path.display()
            )
        }
        (None, Some(path), _) => Some(path),
        (None, None, Some(path)) if narrowed => {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "crm-audit: note: this run of some rules or managers is not recorded in the \
                 history {}",
                path.display()
            );
            None
        }
        (None, None, rule_set) => rule_set.as_ref(),
    };
    let baseline = match &args.baseline {
        Some(path) => {
            let shown = path.display().to_string();
            let text = crate::files::read_text(path, &shown, crate::files::MAX_BASELINE_BYTES)?;
            Some((shown, text))
        }
        None => None,
    };
    if let Some(output) = output_file(args) {
        for path in history_path.into_iter().chain(&args.baseline) {
            refuse_input_as_output(output, &[(path.clone(), path.display().to_string())])?;
        }
    }
    let mut history = match history_path {
        None if args.fail_on.new_only() && baseline.is_none() => anyhow::bail!(
            "--fail-on {} counts only violations new since the last run, which a history \
             tells: give --history FILE (or `history` in the rule set), or --baseline \
             PREVIOUS.json",
            args.fail_on
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string())
        ),
        None if baseline.is_some() && !args.manager.is_empty() => anyhow::bail!(
            "--manager narrows the report, and a violation handed to another manager would \
             look fixed beside the baseline: compare the whole department's reports"
        ),
        Some(path) if !args.manager.is_empty() => anyhow::bail!(
            "--manager narrows the report, and the history {} keeps the whole department's \
             nights: audit one manager without --history",
            path.display()
        ),
        Some(path) => Some(History::open(path)?),
        None => None,
    };
    let as_of = match &args.as_of {
        Some(text) => parse_as_of(text, &rules)?,
        None => now_in(&rules),
    };
    // Dropped on any early return, which clears its line before the error.
    let mut watcher = stdout.progress.map(Watcher::on);
    let options = input::LoadOptions {
        sheet: args.sheet.clone(),
        for_inspection: false,
        strict: args.strict,
        progress: watcher.as_ref().map(Watcher::progress),
        ..input::LoadOptions::default()
    };
    let mut data = input::load(&files, &rules, &options)?;
    data.snapshots = snapshots;
    enter(watcher.as_ref(), Stage::Auditing);
    let outcome = audit::run(&data, &rules, as_of);
    let calls_end_early = (history.is_some() || baseline.is_some())
        .then(|| guard::call_logs_end_early(&data, &rules, as_of))
        .flatten();
    let stale = report::stale::stale_inputs(&data, &rules, as_of);
    // The report reads deals, tasks and reviews, never the calls: at
    // scale they are a tenth of the memory, freed before the report
    // takes its own.
    data.calls = Vec::new();
    let mut report = report::build(&data, &rules, &outcome, as_of, &args.manager)?;
    report.stale = stale;
    let stale_error = (args.fail_on_stale && !report.stale.is_empty()).then(|| {
        let inputs: Vec<String> = report
            .stale
            .iter()
            .map(|s| {
                format!(
                    "{} (last record {})",
                    s.path,
                    s.last.format("%d.%m.%Y %H:%M")
                )
            })
            .collect();
        anyhow!(
            "--fail-on-stale: inputs older than the working day before the audit moment: {}",
            inputs.join(", ")
        )
    });
    let worst = report.worst();
    // With `--fail-on new-…`, the worst of the violations new tonight,
    // known once the history has given each its status.
    let mut worst_new = None;
    let status = |worst| {
        if args.fail_on.fails(worst) {
            Status::Violations
        } else {
            Status::Clean
        }
    };
    let wrote_line = format!(
        "{} violations, {} managers",
        report.totals.violations,
        report.managers.len()
    );
    let options = RenderOptions {
        table: TableOptions {
            summary_only: args.summary,
            ..TableOptions::default()
        },
        csv: if args.csv_excel || rules.csv_excel {
            CsvDialect::Excel
        } else {
            CsvDialect::Plain
        },
    };
    // Masks and writes the report; with a history, the run is committed
    // only after this succeeds.
    let mut deliver = |mut report: report::Report| -> anyhow::Result<()> {
        worst_new = report
            .violations
            .iter()
            .filter(|v| v.status == Some(crate::history::Status::New))
            .map(|v| v.severity)
            .max();
        if args.mask_phones {
            report::mask::mask_report(&mut report);
        }
        enter(watcher.as_ref(), Stage::Writing);
        match output_file(args) {
            Some(path) => {
                write_atomically(path, |out| report::render(&report, format, options, out))?
            }
            None => {
                // Standard output may reach the progress line's terminal,
                // even through a pipe (`| less`): clear the line and stop
                // redrawing before the report starts.
                if let Some(watcher) = &mut watcher {
                    watcher.finish();
                }
                let options = RenderOptions {
                    table: TableOptions {
                        width: stdout.terminal_width,
                        color: args.color.resolve(stdout.color),
                        ..options.table
                    },
                    ..options
                };
                report::render(&report, format, options, stdout.writer)?;
                stdout.writer.flush()?;
            }
        }
        Ok(())
    };
    match &mut history {
        Some(history) => {
            let recording = Recording {
                rule_set_hash: &rule_set_hash(&rules),
                max_drop: f64::from(rules.history_drop_threshold) / 100.0,
                accept_drop: args.accept_drop,
                calls_end_early: calls_end_early.as_deref(),
            };
            report::history::record(&report, &data, history, recording, deliver)?;
        }
        None => match &baseline {
            Some((shown, text)) => {
                let guard = report::baseline::Guard {
                    max_drop: f64::from(rules.history_drop_threshold) / 100.0,
                    accept_drop: args.accept_drop,
                    calls_end_early: calls_end_early.as_deref(),
                };
                deliver(report::baseline::compare(
                    &report, &data, shown, text, guard,
                )?)?
            }
            None => deliver(report)?,
        },
    }
    if let Some(watcher) = &mut watcher {
        watcher.finish();
    }
    if let (Some(path), Some(notices), false) = (output_file(args), stdout.notices, args.quiet) {
        wrote(notices, path, &wrote_line);
    }
    data.drop_in_background();
    // The report is written, with its warning; the run still fails.
    if let Some(error) = stale_error {
        return Err(error);
    }
    Ok(status(if args.fail_on.new_only() {
        worst_new
    } else {
        worst
    }))
}

/// The format asked for: `--format`, else the output file's extension,
/// else the table. Checked before any input is read.
pub(crate) fn output_format(args: &AuditArgs, stdout_is_terminal: bool) -> anyhow::Result<Format> {
    let format = match (args.format, output_file(args)) {
        (Some(choice), _) => Format::from(choice),
        (None, Some(path)) => Format::from_extension(path).ok_or_else(|| {
            let known: Vec<String> = Format::EXTENSIONS
                .iter()
                .map(|(ext, format)| format!(".{ext} ({})", format.name()))
                .collect();
            anyhow!(
                "--output {}: its extension names no report format; \
                 the extensions are {}; or give --format",
                path.display(),
                known.join(", ")
            )
        })?,
        (None, None) => Format::Table,
    };
    if args.summary && format != Format::Table {
        anyhow::bail!(
            "--summary applies to the table format only, not --format {}",
            format.name()
        );
    }
    if args.csv_excel && format != Format::Csv {
        anyhow::bail!(
            "--csv-excel applies to the CSV format only, not --format {}",
            format.name()
        );
    }
    if format.is_binary() && output_file(args).is_none() && stdout_is_terminal {
        anyhow::bail!(
            "--format {0} is a binary file and standard output is a terminal; \
             give --output FILE.{0} or redirect standard output to a file",
            format.name()
        );
    }
    Ok(format)
}

/// A hash of the rule file's text (the built-in regulation's when no file
/// was read), so the history shows when the rules changed.
fn rule_set_hash(rules: &RuleSet) -> String {
    let text = if rules.source == crate::rules::BUILTIN_NAME {
        crate::rules::BUILTIN_RULES.to_string()
    } else {
        std::fs::read_to_string(&rules.source).unwrap_or_default()
    };
    report::fingerprint(&[&text])
}

/// One line for the person at the terminal: `wrote audit.xlsx: 41
/// violations, 6 managers`. The report is written; failing to say so is
/// not an error.
fn wrote(mut notices: Box<dyn std::io::Write + Send>, path: &Path, what: &str) {
    let _ = writeln!(notices, "wrote {}: {what}", path.display());
}

/// The report file `--output` names; `-` (or no `--output`) is standard output.
fn output_file(args: &AuditArgs) -> Option<&Path> {
    args.output
        .as_deref()
        .filter(|path| *path != Path::new("-"))
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

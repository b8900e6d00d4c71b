//! `crm-audit audit`: read the exports, run the rules, render the report,
//! and say whether anything at or above `--fail-on` was found.

mod args;

pub use args::AuditArgs;

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
        let inputs = files.iter().map(|found| (&found.path, &found.shown));
        refuse_inputs_as_output(output, inputs, rule_file.as_ref())?;
    }
    let rules = rules_of(args, rule_file.as_deref())?;
    let history_path = history_path(args, &rules)?;
    let baseline = read_baseline(args)?;
    if let Some(output) = output_file(args) {
        for path in history_path.into_iter().chain(&args.baseline) {
            refuse_input_as_output(output, &[(path.clone(), path.display().to_string())])?;
        }
    }
    let mut history = open_history(args, history_path, baseline.is_some())?;
    let as_of = match &args.as_of {
        Some(text) => parse_as_of(text, &rules)?,
        None => now_in(&rules),
    };
    if let Some(history) = &history {
        // Before the long read: an earlier night than the history's newest
        // is refused at once.
        history.refuse_earlier(&report::as_of_text(as_of, &rules))?;
    }
    // Dropped on any early return, which clears its line before the error.
    let watcher = stdout.progress.map(Watcher::on);
    let options = input::LoadOptions {
        sheet: args.sheet.clone(),
        for_inspection: false,
        strict: args.strict,
        progress: watcher.as_ref().map(Watcher::progress),
        as_of: Some(as_of),
        ..input::LoadOptions::default()
    };
    let mut data = input::load(&files, &rules, &options)?;
    data.snapshots = snapshots;
    enter(watcher.as_ref(), Stage::Auditing);
    // The stale inputs' newest dates are read on a thread of their own
    // while the rules run: the rules leave a core idle at their end.
    let (stale, outcome) = crate::parallel::both(
        || report::stale::stale_inputs(&data, &rules, as_of),
        || audit::run(&data, &rules, as_of),
    );
    let calls_end_early = (history.is_some() || baseline.is_some())
        .then(|| guard::call_logs_end_early(&data, &rules, as_of))
        .flatten();
    // The report reads deals, tasks and reviews, never the calls: at
    // scale they are a tenth of the memory, freed before the report
    // takes its own.
    data.calls = Vec::new();
    let mut report = report::build(&data, &rules, &outcome, as_of, &args.manager)?;
    report.stale = stale;
    let stale_error = stale_error(args, &report);
    let worst = report.worst();
    let wrote_line = written(&report);
    let mut delivery = Delivery {
        args,
        format,
        options: render_options(args, &rules),
        watcher,
        writer: stdout.writer,
        terminal_width: stdout.terminal_width,
        color: stdout.color,
        worst_new: None,
        held_back: None,
    };
    let earlier = match (history.as_mut(), &baseline) {
        (Some(history), _) => Earlier::History(history),
        (None, Some((shown, text))) => Earlier::Baseline { shown, text },
        (None, None) => Earlier::Nothing,
    };
    let guard = report::baseline::Guard {
        max_drop: f64::from(rules.history_drop_threshold) / 100.0,
        accept_drop: args.accept_drop,
        calls_end_early: calls_end_early.as_ref(),
    };
    compare_and_deliver(report, &data, &rules, earlier, guard, &mut delivery)?;
    if let Some(watcher) = &mut delivery.watcher {
        watcher.finish();
    }
    if let (Some(path), Some(notices), false) = (output_file(args), stdout.notices, args.quiet) {
        wrote(notices, path, &wrote_line);
    }
    if let Some(held_back) = &delivery.held_back {
        // Not an error: the night is recorded, and the report says what
        // was held back; a cron job's log should say it too.
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "crm-audit: warning: {held_back}");
    }
    data.drop_in_background();
    // A violation's details are texts of their own: at a million deals,
    // freeing them took a tenth of a second after the report was written.
    crate::parallel::drop_in_background(outcome);
    // The report is written, with its warning; the run still fails.
    if let Some(error) = stale_error {
        return Err(error);
    }
    Ok(args.fail_on.status(worst, delivery.worst_new))
}

/// Refuses an `--output` that is one of the exports or the rule file.
fn refuse_inputs_as_output<'a>(
    output: &Path,
    exports: impl Iterator<Item = (&'a PathBuf, &'a String)>,
    rule_file: Option<&PathBuf>,
) -> anyhow::Result<()> {
    let mut inputs: Vec<(PathBuf, String)> = exports
        .map(|(path, shown)| (path.clone(), shown.clone()))
        .collect();
    if let Some(rules) = rule_file {
        inputs.push((rules.clone(), rules.display().to_string()));
    }
    refuse_input_as_output(output, &inputs)
}

/// The rule set, narrowed by `--select` and `--ignore`, in `--lang`.
fn rules_of(args: &AuditArgs, rule_file: Option<&Path>) -> anyhow::Result<RuleSet> {
    let mut rules = super::load_rules(rule_file, &[])?;
    rules.select(&args.select, &args.ignore)?;
    if let Some(lang) = args.lang {
        rules.language = lang.into();
    }
    Ok(rules)
}

/// `--baseline`'s text, read before anything else is, with its name as
/// given.
fn read_baseline(args: &AuditArgs) -> anyhow::Result<Option<(String, String)>> {
    let Some(path) = &args.baseline else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    let text = crate::files::read_text(path, &shown, crate::files::MAX_BASELINE_BYTES)?;
    Ok(Some((shown, text)))
}

/// What tonight's report is compared with: the history's last run, an
/// earlier JSON report, or nothing.
enum Earlier<'a> {
    History(&'a mut History),
    Baseline { shown: &'a str, text: &'a str },
    Nothing,
}

/// Gives the report its statuses beside `earlier` (refusing inputs that
/// look incomplete, unless `--accept-drop`) and delivers it; a history
/// records the run only once the report is written.
fn compare_and_deliver(
    report: report::Report,
    data: &crate::model::Dataset,
    rules: &RuleSet,
    earlier: Earlier,
    guard: report::baseline::Guard,
    delivery: &mut Delivery,
) -> anyhow::Result<()> {
    match earlier {
        Earlier::History(history) => {
            let recording = Recording {
                rule_set_hash: &rule_set_hash(rules),
                max_drop: guard.max_drop,
                accept_drop: guard.accept_drop,
                calls_end_early: guard.calls_end_early,
                rules,
            };
            report::history::record(&report, data, history, recording, |report| {
                delivery.deliver(report)
            })
        }
        Earlier::Baseline { shown, text } => delivery.deliver(report::baseline::compare(
            &report, data, shown, text, guard,
        )?),
        Earlier::Nothing => delivery.deliver(report),
    }
}

/// The history this run is recorded in, if any. Opened before the long
/// read (by `open_history`): a file that is not a history stops the run at
/// once, and is left as it was. A baseline stands in for the rule set's
/// history: one comparison. The history keeps whole nights: a run of some
/// rules or managers is not recorded in the rule set's history (and says
/// so), and is refused with an explicit one.
fn history_path<'a>(
    args: &'a AuditArgs,
    rules: &'a RuleSet,
) -> anyhow::Result<Option<&'a PathBuf>> {
    let narrowed = !args.manager.is_empty() || !args.select.is_empty() || !args.ignore.is_empty();
    Ok(match (&args.baseline, &args.history, &rules.history) {
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
    })
}

/// The history at `path`, opened; none without one. Refuses what a
/// history cannot answer: `--fail-on new-…` with neither a history nor a
/// baseline, and `--manager` beside either.
fn open_history(
    args: &AuditArgs,
    path: Option<&PathBuf>,
    baseline: bool,
) -> anyhow::Result<Option<History>> {
    Ok(match path {
        None if args.fail_on.new_only() && !baseline => anyhow::bail!(
            "--fail-on {} counts only violations new since the last run, which a history \
             tells: give --history FILE (or `history` in the rule set), or --baseline \
             PREVIOUS.json",
            args.fail_on
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string())
        ),
        None if baseline && !args.manager.is_empty() => anyhow::bail!(
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
    })
}

/// With `--fail-on-stale`, the error that ends the run after the report
/// is written, naming each stale input.
fn stale_error(args: &AuditArgs, report: &report::Report) -> Option<anyhow::Error> {
    (args.fail_on_stale && !report.stale.is_empty()).then(|| {
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
    })
}

/// How the report is rendered, as the flags and the rule set ask.
fn render_options(args: &AuditArgs, rules: &RuleSet) -> RenderOptions {
    RenderOptions {
        table: TableOptions {
            summary_only: args.summary,
            ..TableOptions::default()
        },
        csv: if args.csv_excel || rules.csv_excel {
            CsvDialect::Excel
        } else {
            CsvDialect::Plain
        },
    }
}

/// Where and how the finished report goes: the `--output` file or
/// standard output.
struct Delivery<'a> {
    args: &'a AuditArgs,
    format: Format,
    options: RenderOptions,
    watcher: Option<Watcher>,
    writer: &'a mut dyn std::io::Write,
    terminal_width: Option<u16>,
    color: bool,
    /// The worst severity among the violations new tonight, once the
    /// report delivered has its statuses.
    worst_new: Option<crate::rules::Severity>,
    /// What the history held back tonight because inputs looked
    /// incomplete, said for standard error.
    held_back: Option<String>,
}

impl Delivery<'_> {
    /// Masks and writes the report; with a history, the run is committed
    /// only after this succeeds.
    fn deliver(&mut self, mut report: report::Report) -> anyhow::Result<()> {
        // Asked only by `--fail-on new-…`: a pass over every violation.
        self.worst_new = (self.args.fail_on.new_only())
            .then(|| {
                (report.violations.keys())
                    .filter(|v| v.status == Some(&crate::history::Status::New))
                    .map(|v| v.severity)
                    .max()
            })
            .flatten();
        self.held_back = report
            .history
            .as_ref()
            .filter(|h| !h.incomplete.is_empty())
            .map(|h| {
                format!(
                    "tonight's inputs look incomplete beside the last run's ({}): the night is \
                     recorded, and what they could hide was not judged but kept open (neither \
                     fixed nor gone; {} of the last run's violations are not judged tonight); \
                     give --accept-drop to judge them anyway",
                    h.incomplete.join("; "),
                    h.not_judged.len()
                )
            });
        if self.args.mask_phones {
            report::mask::mask_report(&mut report);
        }
        enter(self.watcher.as_ref(), Stage::Writing);
        let (format, options) = (self.format, self.options);
        match output_file(self.args) {
            Some(path) => {
                write_atomically(path, |out| report::render(&report, format, options, out))?
            }
            None => {
                // Standard output may reach the progress line's terminal,
                // even through a pipe (`| less`): clear the line and stop
                // redrawing before the report starts.
                if let Some(watcher) = &mut self.watcher {
                    watcher.finish();
                }
                let options = RenderOptions {
                    table: TableOptions {
                        width: self.terminal_width,
                        color: self.args.color.resolve(self.color),
                        ..options.table
                    },
                    ..options
                };
                report::render(&report, format, options, self.writer)?;
                self.writer.flush()?;
            }
        }
        Ok(())
    }
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

/// What `wrote FILE: …` says of the report: `41 violations, 6 managers`.
fn written(report: &report::Report) -> String {
    format!(
        "{} violations, {} managers",
        report.totals.violations,
        report.managers.len()
    )
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

//! The command line: its flags, each documented where it is declared, and
//! `run`, which turns parsed flags into an exit status. Writes only to the
//! writers it is given (the report's, and the progress line's when there is
//! one) or to the `--output` file; never prints.

use crate::commands;
pub use crate::report::Format;
use crate::rules::Severity;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit codes:
  0  no violation at or above --fail-on
  1  at least one violation at or above --fail-on
  2  a usage error, an input file that cannot be read, or a rule-file mistake";

/// Audits CRM exports (amoCRM, Bitrix24, call logs) against the sales
/// regulation and reports, per manager, what is broken.
#[derive(Debug, Parser)]
#[command(name = "crm-audit", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit export files (or folders of them) and report violations per manager.
    #[command(after_help = EXIT_CODES)]
    Audit(AuditArgs),
    /// Show what the inputs hold before any rule: how each file was read,
    /// which header carries which field, date ranges, managers, stages, and
    /// what looks wrong. Run it first when a number in the audit looks wrong.
    Inspect(InspectArgs),
    /// List the rules of the active rule set: code, name, clause, severity.
    Rules(RulesArgs),
    /// Explain a rule: what it checks, the clause it enforces (in Russian as
    /// written and in English), how to fix a violation, its parameters.
    Explain(ExplainArgs),
    /// The nightly history: its runs (new, fixed, gone), or one manager's
    /// or rule's trend; `history prune --keep N` drops old runs.
    History(HistoryArgs),
    /// Write a starter crm-audit.toml in the current folder: the built-in
    /// regulation, with the settings a company changes first as comments.
    Init,
    /// Print a shell completion script (`crm-audit completions bash >
    /// /etc/bash_completion.d/crm-audit`).
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `crm-audit man > crm-audit.1`.
    Man,
    /// Fetch tonight's data through an API into a snapshot folder that
    /// `audit` reads (exit 0 done, 2 any failure; the old snapshot stays).
    Pull(commands::pull::PullArgs),
    /// Send the morning digest of the newest run in the history (totals,
    /// new and fixed per manager, the violations open longest) by Telegram
    /// or e-mail, with report files attached (exit 0 sent, 2 any failure).
    Notify(commands::notify::NotifyArgs),
}

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

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The languages of `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangChoice {
    Ru,
    En,
}

impl From<LangChoice> for crate::lang::Lang {
    fn from(choice: LangChoice) -> Self {
        match choice {
            LangChoice::Ru => crate::lang::Lang::Ru,
            LangChoice::En => crate::lang::Lang::En,
        }
    }
}

/// The shells completion scripts are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Export files, or folders of them, as for `audit`.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A rule file (TOML) to use instead of the built-in regulation.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// The sheet to read in spreadsheet inputs (default: the first visible).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// A file in a folder that is not an export crm-audit knows (another
    /// layout, a report, an empty file) ends the run with exit code 2
    /// instead of being skipped and listed in the report.
    #[arg(long)]
    pub strict: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    pub format: InspectFormat,
}

/// The formats of `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule file (TOML) to use instead of the built-in regulation.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Print the built-in regulation's TOML, the starting point of a
    /// company's own rule file.
    #[arg(long, conflicts_with = "rules")]
    pub show_builtin: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule's name or code (`overdue-task`, `CA001`).
    #[arg(value_name = "RULE")]
    pub rule: String,

    /// A rule file (TOML) to use instead of the built-in regulation.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Export files, or folders: a folder means every .csv, .xlsx, .xls and
    /// .ods file directly in it. Each file is recognised by its header row.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// A rule file (TOML) to use instead of the built-in regulation.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// The audit moment, company-local: "2026-11-27 02:00", "27.11.2026 02:00"
    /// or a date (its start). Default: now in the rule set's time zone.
    #[arg(long, value_name = "MOMENT")]
    pub as_of: Option<String>,

    /// Output format. Default: the one the --output file's extension names
    /// (.xlsx, .html, .md, .csv, .jsonl, .xml for JUnit, .json, .txt for
    /// the table); an extension that names none is an error.
    #[arg(short, long, value_enum)]
    pub format: Option<Format>,

    /// Write the report to FILE (atomically: a temporary file renamed into
    /// place) instead of standard output; `-` is standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Say nothing on standard error after writing --output (by default one
    /// line says what was written, when standard error is a terminal).
    #[arg(short, long)]
    pub quiet: bool,

    /// Colour in the table: `auto` when standard output is a terminal and
    /// `NO_COLOR` is unset.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Keep this run in a history database (SQLite; created on first use):
    /// each violation becomes new or open since a date, and the last run's
    /// violations gone tonight are listed as fixed, or gone with their
    /// deal. Default: `history` of the rule set, if it names one.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,

    /// Without a history: compare with an earlier JSON report of
    /// crm-audit instead, for the same new / open / fixed / gone statuses
    /// of one comparison (nothing is recorded).
    #[arg(long, value_name = "PREVIOUS.json", conflicts_with = "history")]
    pub baseline: Option<PathBuf>,

    /// Record the run in the history even when tonight's inputs dropped
    /// since the last run (a kind of input missing, or deals falling by
    /// more than 30%), which otherwise stops the run.
    #[arg(long)]
    pub accept_drop: bool,

    /// CSV format for Excel in a Russian locale: `;` between fields, a
    /// UTF-8 byte-order mark, `,` before decimals; opens by double-click.
    #[arg(long)]
    pub csv_excel: bool,

    /// Table format: only the manager × rule matrix.
    #[arg(long)]
    pub summary: bool,

    /// Exit with code 2 (after writing the report) when an input's newest
    /// record is more than one working day before the audit moment: an
    /// export that was probably not downloaded tonight.
    #[arg(long)]
    pub fail_on_stale: bool,

    /// The reports' language, instead of the rule set's `language`
    /// (Russian for the built-in regulation).
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangChoice>,

    /// Mask phone numbers (all but the last 4 digits) and e-mail local
    /// parts in every format, for reports that leave the sales head's hands.
    #[arg(long)]
    pub mask_phones: bool,

    /// Only this manager's part of the report (repeatable). The exit code
    /// then reflects only these managers.
    #[arg(long, value_name = "NAME")]
    pub manager: Vec<String>,

    /// The lowest severity that makes the exit code 1; `new-error` and
    /// `new-warning` (`new` is `new-error`) count only violations new
    /// since the last run of the history (`--history` or the rule set's).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// The sheet to read in spreadsheet inputs (default: the first visible).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// A file in a folder that is not an export crm-audit knows (another
    /// layout, a report, an empty file) ends the run with exit code 2
    /// instead of being skipped and listed in the report.
    #[arg(long)]
    pub strict: bool,

    /// Run only these rules (names or codes; repeatable, or comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these rules (names or codes; repeatable, or comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

/// When the table is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour or not, given what `auto` would decide.
    pub fn resolve(self, auto: bool) -> bool {
        match self {
            ColorChoice::Auto => auto,
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        }
    }
}

/// Which violations fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    /// An error new since the last recorded run (not open from before).
    #[value(alias = "new")]
    NewError,
    /// A warning or an error new since the last recorded run.
    NewWarning,
    Never,
}

impl FailOn {
    /// Whether the worst violation counted (every one, or only the new
    /// ones when `new_only`) fails the run.
    pub fn fails(self, worst: Option<Severity>) -> bool {
        match (self, worst) {
            (FailOn::Never, _) | (_, None) => false,
            (FailOn::Error | FailOn::NewError, Some(s)) => s >= Severity::Error,
            (FailOn::Warning | FailOn::NewWarning, Some(s)) => s >= Severity::Warning,
        }
    }

    /// Only violations new since the last run count: a history must say
    /// which those are.
    pub fn new_only(self) -> bool {
        matches!(self, FailOn::NewError | FailOn::NewWarning)
    }
}

/// What the run found, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing at or above `--fail-on`.
    Clean,
    /// A violation at or above `--fail-on`.
    Violations,
}

/// Where standard output goes, and what kind of place it is.
pub struct Stdout<'a> {
    pub writer: &'a mut dyn Write,
    /// How wide its terminal is, if it is one.
    pub terminal_width: Option<u16>,
    /// It is a terminal: no binary format is written there.
    pub is_terminal: bool,
    /// Colour is wanted: a terminal, and `NO_COLOR` unset.
    pub color: bool,
    /// Where a progress line for long runs goes: stderr when it is a
    /// terminal, else `None`, so pipes, files and logs never get one.
    pub progress: Option<Box<dyn Write + Send>>,
    /// Where a person reads what a run did beside its report (`wrote
    /// audit.xlsx: …`): stderr when it is a terminal, else `None`.
    pub notices: Option<Box<dyn Write + Send>>,
}

pub fn run(cli: Cli, stdout: Stdout) -> anyhow::Result<Status> {
    match cli.command {
        Command::Audit(args) => commands::audit::run(&args, stdout),
        Command::Inspect(args) => commands::inspect::run(&args, stdout),
        Command::Rules(args) => commands::rules::list(&args, stdout.writer),
        Command::Explain(args) => commands::rules::explain(&args, stdout.writer),
        Command::Completions(args) => commands::shell::completions(args.shell, stdout.writer),
        Command::Man => commands::shell::man(stdout.writer),
        Command::History(args) => commands::history::run(&args, stdout.writer),
        Command::Init => commands::init::run(std::path::Path::new("."), stdout.writer),
        Command::Pull(args) => commands::pull::run(
            &args,
            stdout.writer,
            stdout.progress,
            &mut std::io::stderr(),
        ),
        Command::Notify(args) => commands::notify::run(&args, stdout.writer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::audit::{output_format, parse_as_of};
    use crate::rules::RuleSet;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn fail_on_thresholds() {
        assert!(FailOn::Error.fails(Some(Severity::Error)));
        assert!(!FailOn::Error.fails(Some(Severity::Warning)));
        assert!(FailOn::Warning.fails(Some(Severity::Warning)));
        assert!(!FailOn::Warning.fails(Some(Severity::Info)));
        assert!(!FailOn::Never.fails(Some(Severity::Error)));
        assert!(!FailOn::Error.fails(None));
        assert!(FailOn::NewError.fails(Some(Severity::Error)));
        assert!(!FailOn::NewError.fails(Some(Severity::Warning)));
        assert!(FailOn::NewWarning.fails(Some(Severity::Warning)));
        assert!(FailOn::NewWarning.new_only() && !FailOn::Warning.new_only());
    }

    fn audit_args(args: &[&str]) -> AuditArgs {
        let mut all = vec!["crm-audit", "audit", "exports"];
        all.extend(args);
        match Cli::try_parse_from(all).unwrap().command {
            Command::Audit(args) => args,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_format_follows_the_flag_then_the_extension() {
        let format = |args: &[&str]| output_format(&audit_args(args), false).unwrap();
        assert_eq!(format(&[]), Format::Table);
        assert_eq!(format(&["--output", "out/tonight.xlsx"]), Format::Xlsx);
        assert_eq!(format(&["--output", "tonight.html"]), Format::Html);
        assert_eq!(format(&["--output", "tonight.txt"]), Format::Table);
        assert_eq!(format(&["--output", "-"]), Format::Table);
        assert_eq!(format(&["--output", "-", "--format", "csv"]), Format::Csv);
        assert_eq!(
            format(&["--output", "tonight.report", "--format", "table"]),
            Format::Table
        );
        assert_eq!(
            format(&["--output", "tonight.html", "--format", "md"]),
            Format::Markdown
        );
        assert_eq!(format(&["--format", "xlsx"]), Format::Xlsx);
    }

    #[test]
    fn an_extension_that_names_no_format_is_an_error() {
        // Not the text table silently written under a workbook's name.
        for name in ["tonight.xls", "tonight.pdf", "tonight"] {
            let e = output_format(&audit_args(&["--output", name]), false).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "--output {name}: its extension names no report format; the extensions \
                     are .xlsx (xlsx), .html (html), .htm (html), .md (markdown), \
                     .markdown (markdown), .csv (csv), .jsonl (jsonl), .ndjson (jsonl), \
                     .json (json), .xml (junit), .txt (table); or give --format"
                )
            );
        }
    }

    #[test]
    fn a_workbook_to_standard_output_is_refused_on_a_terminal() {
        let e = output_format(&audit_args(&["--format", "xlsx", "--output", "-"]), true);
        assert!(e.is_err());
    }

    #[test]
    fn no_workbook_on_a_terminal() {
        let e = output_format(&audit_args(&["--format", "xlsx"]), true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--format xlsx is a binary file and standard output is a terminal; \
             give --output FILE.xlsx or redirect standard output to a file"
        );
        let to_file = audit_args(&["--output", "r.xlsx"]);
        assert_eq!(output_format(&to_file, true).unwrap(), Format::Xlsx);
    }

    #[test]
    fn csv_excel_is_for_the_csv_format() {
        let e = output_format(&audit_args(&["--csv-excel", "-o", "r.html"]), false);
        assert_eq!(
            e.unwrap_err().to_string(),
            "--csv-excel applies to the CSV format only, not --format html"
        );
        let csv = audit_args(&["--csv-excel", "-o", "r.csv"]);
        assert_eq!(output_format(&csv, false).unwrap(), Format::Csv);
    }

    #[test]
    fn summary_is_for_the_table() {
        let e = output_format(&audit_args(&["--summary", "--output", "r.csv"]), false);
        assert_eq!(
            e.unwrap_err().to_string(),
            "--summary applies to the table format only, not --format csv"
        );
        assert!(output_format(&audit_args(&["--summary"]), true).is_ok());
    }

    #[test]
    fn as_of_in_company_time() {
        let rules = RuleSet::builtin();
        let t = parse_as_of("2026-11-27 02:00", &rules).unwrap();
        assert_eq!(t.to_string(), "2026-11-27 02:00:00");
        let day = parse_as_of("27.11.2026", &rules).unwrap();
        assert_eq!(day.to_string(), "2026-11-27 00:00:00");
        let e = parse_as_of("вчера", &rules).unwrap_err().to_string();
        assert!(e.starts_with("--as-of: `вчера` is not a date"), "{e}");
    }
}

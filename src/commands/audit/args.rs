//! The flags of `crm-audit audit`, each documented where it is declared,
//! and the closed sets they take. Parsed by `cli`; read by `run`.

use crate::commands::Status;
use crate::report::Format;
use crate::rules::Severity;
use clap::ValueEnum;
use std::path::PathBuf;

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
    pub format: Option<FormatChoice>,

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

    /// Judge the last run's violations even when tonight's inputs dropped
    /// since the last run (a kind of input missing, deals falling by more
    /// than 30%, call logs ending early); otherwise what the drop could
    /// hide stays open, not judged (and a baseline comparison stops).
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

    /// The run's verdict, from the worst violation of the report and the
    /// worst of those new tonight (known once the history has given each
    /// its status).
    pub fn status(self, worst: Option<Severity>, worst_new: Option<Severity>) -> Status {
        let counted = if self.new_only() { worst_new } else { worst };
        if self.fails(counted) {
            Status::Violations
        } else {
            Status::Clean
        }
    }
}

/// The report formats `--format` takes, each the `report::Format` of the
/// same name: the report layer does not know the argument parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatChoice {
    /// Tables for a terminal.
    Table,
    /// The full report for scripts (see the README for its schema).
    Json,
    /// One violation per line, for loading into a warehouse.
    Jsonl,
    /// One row per violation.
    Csv,
    /// For a chat or a ticket.
    #[value(alias = "md")]
    Markdown,
    /// One self-contained page for a browser or an e-mail.
    Html,
    /// An Excel workbook: summary, violations, fix-first list, inputs, about.
    Xlsx,
    /// JUnit XML: a test suite per manager, a test case per rule.
    Junit,
}

impl From<FormatChoice> for Format {
    fn from(choice: FormatChoice) -> Self {
        match choice {
            FormatChoice::Table => Format::Table,
            FormatChoice::Json => Format::Json,
            FormatChoice::Jsonl => Format::Jsonl,
            FormatChoice::Csv => Format::Csv,
            FormatChoice::Markdown => Format::Markdown,
            FormatChoice::Html => Format::Html,
            FormatChoice::Xlsx => Format::Xlsx,
            FormatChoice::Junit => Format::Junit,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn new_only_thresholds_count_the_new_violations() {
        let (error, warning) = (Some(Severity::Error), Some(Severity::Warning));
        assert_eq!(FailOn::Error.status(error, None), Status::Violations);
        assert_eq!(FailOn::NewError.status(error, None), Status::Clean);
        assert_eq!(FailOn::NewError.status(error, warning), Status::Clean);
        assert_eq!(
            FailOn::NewWarning.status(error, warning),
            Status::Violations
        );
    }

    #[test]
    fn each_format_is_taken_by_its_own_name() {
        // Every report format has a choice, named as the format names
        // itself in messages; `md` stays the alias of markdown.
        let every = Format::EXTENSIONS.iter().map(|&(_, format)| format);
        for format in every.chain([Format::Json, Format::Junit]) {
            let choice = FormatChoice::from_str(format.name(), false).unwrap();
            assert_eq!(Format::from(choice), format);
        }
        for choice in FormatChoice::value_variants() {
            let name = choice.to_possible_value().unwrap();
            assert_eq!(Format::from(*choice).name(), name.get_name());
        }
        assert_eq!(
            FormatChoice::from_str("md", false),
            Ok(FormatChoice::Markdown)
        );
    }
}

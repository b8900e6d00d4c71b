//! The command line: the top-level parser, its subcommands, and `run`,
//! which hands each to its command. Each command declares its own flags
//! beside what it does (`commands::<command>`). Writes only to the writers
//! it is given (the report's, and the progress line's when there is one)
//! or to the `--output` file; never prints.

use crate::commands::audit::AuditArgs;
use crate::commands::history::HistoryArgs;
use crate::commands::inspect::InspectArgs;
use crate::commands::notify::NotifyArgs;
use crate::commands::pull::PullArgs;
use crate::commands::rules::{ExplainArgs, RulesArgs};
use crate::commands::shell::CompletionsArgs;
use crate::commands::{self, Status, Stdout};
use clap::{CommandFactory, Parser, Subcommand};

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
    Pull(PullArgs),
    /// Send the morning digest of the newest run in the history (totals,
    /// new and fixed per manager, the violations open longest) by Telegram
    /// or e-mail, with report files attached (exit 0 sent, 2 any failure).
    Notify(NotifyArgs),
}

pub fn run(cli: Cli, stdout: Stdout) -> anyhow::Result<Status> {
    match cli.command {
        Command::Audit(args) => commands::audit::run(&args, stdout),
        Command::Inspect(args) => commands::inspect::run(&args, stdout),
        Command::Rules(args) => commands::rules::list(&args, stdout.writer),
        Command::Explain(args) => commands::rules::explain(&args, stdout.writer),
        Command::Completions(args) => {
            commands::shell::completions(args.shell, Cli::command(), stdout.writer)
        }
        Command::Man => commands::shell::man(Cli::command(), stdout.writer),
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
    use crate::report::Format;
    use crate::rules::RuleSet;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every `.rs` file below `dir` of this crate's sources, with its text.
    fn sources(dir: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    found.push((path.display().to_string(), text));
                }
            }
        }
        found
    }

    /// The top-level modules `text` names through `crm_audit::` (one path,
    /// or a `{…}` list of them).
    fn crate_modules_named(text: &str) -> Vec<String> {
        let word = |item: &str| -> String {
            item.trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let mut named = Vec::new();
        for (at, _) in text.match_indices("crm_audit::") {
            let rest = &text[at + "crm_audit::".len()..];
            match rest.strip_prefix('{') {
                Some(inner) => {
                    let list = &inner[..inner.find('}').unwrap_or(inner.len())];
                    named.extend(list.split(',').map(word));
                }
                None => named.push(word(rest)),
            }
        }
        named.retain(|name| !name.is_empty());
        named
    }

    #[test]
    fn the_library_shows_only_what_its_users_use() {
        // The binary, the tests, the examples and the fuzz targets are the
        // library's users; a public module none of them names is the
        // crate's own business.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = std::collections::BTreeSet::new();
        let mut users = sources("tests");
        for dir in ["examples", "fuzz"] {
            if root.join(dir).is_dir() {
                users.extend(sources(dir));
            }
        }
        users.push(("src/main.rs".into(), include_str!("main.rs").into()));
        for (_, text) in &users {
            used.extend(crate_modules_named(text));
        }
        let lib = include_str!("lib.rs");
        let public: Vec<&str> = lib
            .lines()
            .filter_map(|line| line.strip_prefix("pub mod "))
            .map(|name| name.trim_end_matches(';'))
            .collect();
        for module in &public {
            assert!(
                used.contains(*module),
                "`pub mod {module}` is used by none of them"
            );
        }
        assert!(public.contains(&"report") && public.contains(&"cli"));
    }

    #[test]
    fn only_the_command_line_knows_the_argument_parser() {
        // The library (reports, readers, rules) is used without a command
        // line; the commands are reached from `cli`, never the reverse.
        let edge = ["/src/cli.rs", "/src/main.rs", "/src/commands/"];
        for (path, text) in sources("src") {
            if !edge.iter().any(|e| path.contains(e)) {
                assert!(!text.contains("clap"), "{path} uses the argument parser");
            }
            if path.contains("/src/commands/") {
                assert!(!text.contains("crate::cli"), "{path} imports `cli`");
            }
        }
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

//! `crm-audit inspect`: what the inputs hold, as text or JSON.

use super::progress::Watcher;
use super::{Status, Stdout};
use crate::input;
use crate::inspect::{inspect, FileInspection, Inspection};
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

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

pub fn run(args: &InspectArgs, stdout: Stdout) -> anyhow::Result<Status> {
    let out = stdout.writer;
    let rules = super::load_rules(args.rules.as_deref(), &args.paths)?;
    let files = input::discover(&args.paths)?;
    // Reading is the slow part; dropped on any early return, which clears
    // its line before the error.
    let mut watcher = stdout.progress.map(Watcher::on);
    let options = input::LoadOptions {
        sheet: args.sheet.clone(),
        for_inspection: true,
        strict: args.strict,
        progress: watcher.as_ref().map(Watcher::progress),
        ..input::LoadOptions::default()
    };
    let data = input::load(&files, &rules, &options)?;
    let inspection = inspect(&data, &rules);
    data.drop_in_background();
    // Done before writing: standard output may reach the progress line's
    // terminal, even through a pipe.
    if let Some(watcher) = &mut watcher {
        watcher.finish();
    }
    match args.format {
        InspectFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &inspection)
                .map_err(|e| crate::report::io_first(e.into()))?;
            writeln!(out)?;
        }
        InspectFormat::Text => {
            // Names and values from the exports reach a terminal: their
            // control characters are shown, never obeyed.
            let mut text = Vec::new();
            write_text(&inspection, &mut text)?;
            let text = String::from_utf8_lossy(&text);
            out.write_all(crate::report::escape::terminal(&text).as_bytes())?;
        }
    }
    Ok(Status::Clean)
}

fn write_text(i: &Inspection, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "Rule set: {}", i.rule_set)?;
    for file in &i.files {
        write_file(file, out)?;
    }
    for file in &i.not_read {
        writeln!(out)?;
        writeln!(out, "{}: not read: {}", file.path, file.reason)?;
    }
    if i.phones_from_contacts > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{} deal(s) took their phone from a contact of the same name",
            i.phones_from_contacts
        )?;
    }
    writeln!(out)?;
    if i.warnings.is_empty() {
        writeln!(out, "No warnings.")?;
    } else {
        writeln!(out, "Warnings:")?;
        for w in &i.warnings {
            writeln!(out, "  ! {w}")?;
        }
    }
    Ok(())
}

/// One file read: how, its rows, its fields and their headers, its dates,
/// managers and stages, and its notes.
fn write_file(file: &FileInspection, out: &mut dyn Write) -> anyhow::Result<()> {
    let f = &file.input;
    writeln!(out)?;
    let mut how = vec![f.format.to_string()];
    how.extend(f.encoding.map(str::to_string));
    how.extend(f.delimiter.as_ref().map(|d| format!("delimiter {d}")));
    how.extend(f.sheet.as_ref().map(|s| format!("sheet «{s}»")));
    writeln!(
        out,
        "{}: {} ({}), header on row {}",
        f.path,
        f.kind,
        how.join(", "),
        f.header_row
    )?;
    let skipped: usize = f.skipped.iter().map(|s| s.count).sum();
    writeln!(
        out,
        "  rows: {} read, {} audited, {skipped} skipped",
        f.rows, f.audited
    )?;
    for s in &f.skipped {
        let shown: Vec<String> = s.rows.iter().take(10).map(u64::to_string).collect();
        let more = if s.count > 10 {
            format!(" and {} more", s.count - 10)
        } else {
            String::new()
        };
        writeln!(out, "    {}: {}{more}", s.reason, shown.join(", "))?;
    }
    writeln!(out, "  fields:")?;
    for (field, headers) in &file.fields {
        writeln!(
            out,
            "    {field} ← {}",
            headers
                .iter()
                .map(|h| format!("«{h}»"))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    if !file.unmapped_headers.is_empty() {
        writeln!(
            out,
            "  headers no field reads: {}",
            file.unmapped_headers.join(", ")
        )?;
    }
    for (field, [first, last]) in &file.date_ranges {
        writeln!(out, "  {field}: {first} to {last}")?;
    }
    writeln!(
        out,
        "  managers: {}",
        file.managers
            .iter()
            .map(|(m, n)| format!("{m} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    if !file.stages.is_empty() {
        writeln!(
            out,
            "  stages: {}",
            file.stages
                .iter()
                .map(|(s, n)| format!("{s} ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    for note in &f.notes {
        writeln!(out, "  note: {note}")?;
    }
    Ok(())
}

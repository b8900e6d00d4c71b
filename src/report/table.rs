//! The terminal format: a header that says what was read and what could
//! not be checked, the manager × rule matrix with each manager's workload,
//! the deals to fix first, then one block per manager (worst first) with
//! each violation, then a total line. `--summary` prints the matrix alone.
//! Colour (errors red, warnings yellow) only when asked for: the caller
//! decides, from whether standard output is a terminal and `NO_COLOR`.
//! Every text from the exports is escaped first (`escape::terminal`): the
//! only escape sequences the table writes are its own colours.
//! On a terminal every line fits its width and no word is cut: prose
//! wraps between words, and a table too narrow for its words prints
//! compact (`fit`, `lists`). A file or a pipe has no width and gets every
//! line and table whole, the same whatever the terminal.

pub(super) mod fit;
mod lists;

use super::lang::{words, Words};
use super::texts::{rewrite, TextPass};
use super::{text, Report};
use crate::rules::Severity;
use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};
use fit::write_line;
use std::io::Write;

/// Options of the table format.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Wrap tables to this width (a terminal's); `None` never wraps, so
    /// output written to a file is the same whatever the terminal.
    pub width: Option<u16>,
    /// Colour severities with ANSI escapes.
    pub color: bool,
    /// Only the manager × rule matrix.
    pub summary_only: bool,
}

pub(super) fn new_table(options: TableOptions) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    if options.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    match options.width {
        Some(width) => {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(width);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

fn severity_color(severity: Severity) -> Option<Color> {
    match severity {
        Severity::Error => Some(Color::Red),
        Severity::Warning => Some(Color::Yellow),
        Severity::Info => None,
    }
}

/// A cell coloured by severity when colour is on.
pub(super) fn cell(text: impl ToString, severity: Severity, options: TableOptions) -> Cell {
    let cell = Cell::new(text);
    match severity_color(severity) {
        Some(color) if options.color => cell.fg(color),
        _ => cell,
    }
}

/// Text wrapped in an ANSI colour when colour is on and the count is not 0.
pub(super) fn paint(
    text: String,
    severity: Severity,
    count: usize,
    options: TableOptions,
) -> String {
    let code = match severity {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => return text,
    };
    if options.color && count > 0 {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text
    }
}

pub fn write(report: &Report, options: TableOptions, out: &mut dyn Write) -> anyhow::Result<()> {
    let report = &for_terminal(report);
    let w = words(report.language);
    if options.summary_only {
        // The matrix alone would show an unchecked rule as nothing found:
        // what was not checked comes with it.
        if !report.not_checked.is_empty() {
            write_not_checked(report, w, options, out)?;
            writeln!(out)?;
        }
        return super::matrix::write(report, options, out);
    }
    write_heading(report, w, options, out)?;
    write_inputs(report, w, options, out)?;
    write_caveats(report, w, options, out)?;
    writeln!(out)?;
    super::matrix::write(report, options, out)?;
    lists::write_fix_first(report, options, out)?;
    lists::write_managers(report, options, out)?;
    lists::write_vanished(report, options, out)?;
    writeln!(out)?;
    write_totals(report, w, options, out)
}

// Every line of prose below wraps between words on a terminal; a file
// gets each as one line, as it always has.

/// The tool, the audit moment and the rule set; warnings of stale inputs.
fn write_heading(
    report: &Report,
    w: &Words,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let as_of = text::as_of_shown(report, w);
    let heading = format!(
        "crm-audit {}: {} {} ({}), {}: {}",
        report.tool.version,
        w.audit_at,
        as_of,
        report.time_zone,
        w.rule_set.to_lowercase(),
        report.rule_set.label(w)
    );
    write_line(out, &heading, options.width)?;
    for warning in text::stale_warnings(report, w) {
        let warning = paint(warning, Severity::Error, 1, options);
        write_line(out, &warning, options.width)?;
    }
    Ok(())
}

/// Each file read (its rows, those skipped and why, its notes), each not
/// read, and each snapshot folder.
fn write_inputs(
    report: &Report,
    w: &Words,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}:", w.inputs)?;
    for input in &report.inputs {
        let skipped: usize = input.skipped.iter().map(|s| s.count).sum();
        let mut read = format!(
            "  {}: {}, {}",
            input.path,
            (w.input_kind)(input.kind),
            (w.rows_audited)(input.rows, input.audited)
        );
        if skipped > 0 {
            let reasons: Vec<String> = input
                .skipped
                .iter()
                .map(|s| format!("{} {}", s.count, s.text))
                .collect();
            read.push_str(&format!(
                ", {skipped} {}: {}",
                w.skipped.to_lowercase(),
                reasons.join("; ")
            ));
        }
        write_line(out, &format!("{read})"), options.width)?;
        for note in &input.notes {
            write_line(out, &format!("    {}: {note}", w.note), options.width)?;
        }
    }
    for file in &report.not_read {
        let not_read = format!("  {}: {}: {}", file.path, w.not_read, file.reason);
        write_line(out, &not_read, options.width)?;
    }
    for snapshot in &report.snapshots {
        write_line(out, &format!("  {}", snapshot.line(w)), options.width)?;
    }
    Ok(())
}

/// What a reader must keep in mind before the figures: the run's notes,
/// what was not checked, the managers it is limited to, the waivers.
fn write_caveats(
    report: &Report,
    w: &Words,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if !report.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}:", w.notes.to_uppercase())?;
        for note in &report.notes {
            write_line(out, &format!("  ! {note}"), options.width)?;
        }
    }
    if !report.not_checked.is_empty() {
        writeln!(out)?;
        write_not_checked(report, w, options, out)?;
    }
    if let Some(filter) = &report.manager_filter {
        writeln!(out)?;
        let only = format!("{}: {}", w.only_managers, filter.join(", "));
        write_line(out, &only, options.width)?;
    }
    if !report.waivers.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}:", w.waivers)?;
        for waiver in &report.waivers {
            let waiver = format!("  {}", super::text::waiver_line(waiver, w));
            write_line(out, &waiver, options.width)?;
        }
    }
    Ok(())
}

/// The changes since the last run, if any, and the total line.
fn write_totals(
    report: &Report,
    w: &Words,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let t = &report.totals;
    if let Some(c) = super::history::total_changes(report) {
        let changes = format!("{}: {}", w.since_last_run, text::changes(&c, w));
        write_line(out, &changes, options.width)?;
    }
    let errors = paint(
        severity_count(t.errors, Severity::Error, w),
        Severity::Error,
        t.errors,
        options,
    );
    let warnings = paint(
        severity_count(t.warnings, Severity::Warning, w),
        Severity::Warning,
        t.warnings,
        options,
    );
    let total = match w.lang {
        crate::lang::Lang::En => format!(
            "Total: {} violation(s): {errors}, {warnings}, {} info, {} of {} manager(s) with violations",
            t.violations,
            t.infos,
            t.managers_with_violations,
            report.managers.len()
        ),
        crate::lang::Lang::Ru => format!(
            "Итого: {}: {errors}, {warnings}, {} инфо; {}",
            w.count(t.violations, w.violations),
            t.infos,
            (w.managers_with_violations)(t.managers_with_violations, report.managers.len())
        ),
    };
    write_line(out, &total, options.width)?;
    Ok(())
}

/// `2 error(s)` as the table has always written it in English; `2 ошибки`.
pub(super) fn severity_count(n: usize, severity: Severity, w: &Words) -> String {
    match (w.lang, severity) {
        (crate::lang::Lang::En, Severity::Error) => format!("{n} error(s)"),
        (crate::lang::Lang::En, _) => format!("{n} warning(s)"),
        (crate::lang::Lang::Ru, Severity::Error) => w.count(n, w.errors),
        (crate::lang::Lang::Ru, _) => w.count(n, w.warnings),
    }
}

/// What the inputs did not let the rules check.
fn write_not_checked(
    report: &Report,
    w: &Words,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    write_line(out, &format!("{}:", w.not_checked_heading), options.width)?;
    for n in &report.not_checked {
        write_line(out, &format!("  ! {}: {}", n.rule, n.reason), options.width)?;
    }
    Ok(())
}

/// The report with every text escaped for the terminal. The copy shares
/// the compact violations: they are escaped as each is made, and only
/// when a list shows them (`--summary` makes none).
fn for_terminal<'a>(report: &Report<'a>) -> Report<'a> {
    let mut copy = report.clone();
    rewrite(&mut copy, TextPass::Terminal);
    copy
}

pub(super) fn right(cell: Cell) -> Cell {
    cell.set_alignment(CellAlignment::Right)
}

/// A paragraph wrapped between words to the width (100 without one).
pub(super) fn write_wrapped(
    paragraph: &str,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let width = usize::from(options.width.unwrap_or(100));
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            writeln!(out, "{line}")?;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

    fn text(options: TableOptions) -> String {
        let mut out = Vec::new();
        write(&sample::report(), options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_audit_moment_is_written_as_each_reader_writes_it() {
        // The sample's moment is 2026-11-27T02:00:00+03:00: RFC 3339 in
        // English, as the JSON; a Russian reader's 27.11.2026 02:00.
        let first_line = |report: &Report| {
            let mut out = Vec::new();
            write(report, TableOptions::default(), &mut out).unwrap();
            String::from_utf8(out)
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string()
        };
        let mut report = sample::report();
        assert!(first_line(&report).contains("audit at 2026-11-27T02:00:00+03:00 (Europe/Moscow)"));
        report.language = crate::lang::Lang::Ru;
        assert!(
            first_line(&report).contains("аудит на 27.11.2026 02:00 (Europe/Moscow)"),
            "{}",
            first_line(&report)
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = text(TableOptions::default());
        assert!(!plain.contains('\x1b'), "{plain}");
        let coloured = text(TableOptions {
            color: true,
            ..TableOptions::default()
        });
        assert!(coloured.contains("\x1b[31m2 error(s)\x1b[0m"), "{coloured}");
        assert!(
            coloured.contains("\x1b[33m1 warning(s)\x1b[0m"),
            "{coloured}"
        );
    }

    #[test]
    fn a_history_adds_statuses_changes_and_the_fixed_apart_from_the_gone() {
        let mut out = Vec::new();
        write(&sample::with_history(), TableOptions::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("Петров Алексей: 2 error(s), 1 warning(s), 0 info; new 2, open 1, fixed 0, gone 1\n"),
            "{text}"
        );
        assert!(
            text.contains("┆ open since 25.11.2026 (3 runs) │"),
            "{text}"
        );
        assert!(text.contains("Since the last run: new 2, open 1, fixed 1, gone 1\n"));
        let fixed = text.find("Fixed since the last run:").unwrap();
        let gone = text.find("Gone from the inputs (not fixes):").unwrap();
        assert!(text[fixed..gone].contains("overdue-task task T-9 (deal 102)"));
        assert!(text[fixed..gone].contains("since 25.11.2026 (2 runs)"));
        assert!(text[gone..].contains("missing-phone deal 205"));
        // The matrix: Иванова has no violation tonight and one fixed.
        let ivanova = text
            .lines()
            .find(|l| l.starts_with("│ Иванова Мария"))
            .unwrap();
        assert!(ivanova.ends_with("┆   0 ┆    0 ┆     1 │"), "{ivanova}");
        // Wrapped to a narrow terminal, the status still shows whole words.
        let mut out = Vec::new();
        let narrow = TableOptions {
            width: Some(80),
            ..TableOptions::default()
        };
        write(&sample::with_history(), narrow, &mut out).unwrap();
        let narrow = String::from_utf8(out).unwrap();
        assert!(narrow.contains("status"), "{narrow}");
        // The note on the gone ones wraps to the width too.
        let note: Vec<&str> = narrow
            .lines()
            .skip_while(|l| !l.starts_with("Gone from the inputs"))
            .skip(1)
            .take_while(|l| !l.starts_with('┌'))
            .collect();
        assert!(
            note.len() > 1 && note.iter().all(|l| l.chars().count() <= 80),
            "{note:?}"
        );
        // Without a history, none of it.
        let plain = super::tests::text(TableOptions::default());
        assert!(
            !plain.contains("status") && !plain.contains("Fixed since") && !plain.contains("new ")
        );
    }

    #[test]
    fn summary_is_the_matrix_and_its_legend() {
        let summary = text(TableOptions {
            summary_only: true,
            ..TableOptions::default()
        });
        // What was not checked comes first: without it, the matrix
        // would show the unchecked rule's zeros as nothing found.
        assert!(
            summary.starts_with(
                "NOT CHECKED (the inputs lack the data):\n  \
                 ! daily-call-quota: no call log among the inputs\n\n┌"
            ),
            "{summary}"
        );
        assert!(summary.contains("Петров Алексей") && summary.contains("75%"));
        assert!(
            summary.ends_with(
                "CA001 overdue-task · CA003 missing-phone · CA007 daily-call-quota\n\
                 — not checked, or checked only in part, and nothing found: see Not checked, \
                 no clean zero\n"
            ),
            "{summary}"
        );
        assert!(!summary.contains("Inputs:"));
    }

    #[test]
    fn a_rule_not_checked_in_full_shows_its_zeros_as_a_dash() {
        // The sample: daily-call-quota was not checked in full (no call
        // log); Петров has 1 quota violation, Иванова none. Her cell is no
        // clean zero: a dash; overdue-task, checked in full, keeps its dot.
        let summary = text(TableOptions {
            summary_only: true,
            ..TableOptions::default()
        });
        let row = |name: &str| {
            summary
                .lines()
                .find(|l| l.starts_with(&format!("│ {name}")))
                .unwrap()
                .split('┆')
                .map(str::trim)
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(row("Петров Алексей")[3], "1");
        assert_eq!(row("Иванова Мария")[3], "—");
        assert_eq!(row("Иванова Мария")[1], "·");
    }

    /// The report on a terminal `width` wide, without colour.
    pub(super) fn narrow(report: &Report, width: u16) -> String {
        let mut out = Vec::new();
        let options = TableOptions {
            width: Some(width),
            ..TableOptions::default()
        };
        write(report, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The widest line's visible characters.
    pub(super) fn widest(text: &str) -> usize {
        text.lines().map(fit::visible_width).max().unwrap_or(0)
    }

    #[test]
    fn every_line_of_the_report_wraps_between_words() {
        // The header (99 characters in English) and the total line (90)
        // are longer than 60 columns: each wraps at a space, its second
        // line indented two.
        let text = narrow(&sample::with_history(), 60);
        assert!(widest(&text) <= 60, "{text}");
        assert!(
            text.starts_with(
                "crm-audit 0.1.0: audit at 2026-11-27T02:00:00+03:00\n  \
                 (Europe/Moscow), rule set: Регламент (built-in)\n"
            ),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Total: 3 violation(s): 2 error(s), 1 warning(s), 0 info, 1\n  \
                 of 2 manager(s) with violations\n"
            ),
            "{text}"
        );
        // Without a width (a file), each is one line as it always was.
        let file = super::tests::text(TableOptions::default());
        assert!(file.starts_with(
            "crm-audit 0.1.0: audit at 2026-11-27T02:00:00+03:00 (Europe/Moscow), rule set: \
             Регламент (built-in)\n"
        ));
    }
}

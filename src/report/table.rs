//! The terminal format: a header that says what was read and what could
//! not be checked, the manager × rule matrix with each manager's workload,
//! the deals to fix first, then one block per manager (worst first) with
//! each violation, then a total line. `--summary` prints the matrix alone.
//! Colour (errors red, warnings yellow) only when asked for: the caller
//! decides, from whether standard output is a terminal and `NO_COLOR`.
//! Every text from the exports is escaped first (`escape::terminal`): the
//! only escape sequences the table writes are its own colours.

use super::lang::{words, Words};
use super::texts::for_each_text;
use super::{escape, text, Report};
use crate::rules::Severity;
use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};
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
            write_not_checked(report, w, out)?;
            writeln!(out)?;
        }
        return super::matrix::write(report, options, out);
    }
    writeln!(
        out,
        "crm-audit {}: {} {} ({}), {}: {}",
        report.tool.version,
        w.audit_at,
        report.as_of,
        report.time_zone,
        w.rule_set.to_lowercase(),
        report.rule_set.label(w)
    )?;
    for warning in text::stale_warnings(report, w) {
        writeln!(out, "{}", paint(warning, Severity::Error, 1, options))?;
    }
    writeln!(out)?;
    writeln!(out, "{}:", w.inputs)?;
    for input in &report.inputs {
        let skipped: usize = input.skipped.iter().map(|s| s.count).sum();
        write!(
            out,
            "  {}: {}, {}",
            input.path,
            (w.input_kind)(input.kind),
            (w.rows_audited)(input.rows, input.audited)
        )?;
        if skipped > 0 {
            let reasons: Vec<String> = input
                .skipped
                .iter()
                .map(|s| format!("{} {}", s.count, s.text))
                .collect();
            write!(
                out,
                ", {skipped} {}: {}",
                w.skipped.to_lowercase(),
                reasons.join("; ")
            )?;
        }
        writeln!(out, ")")?;
        for note in &input.notes {
            writeln!(out, "    {}: {note}", w.note)?;
        }
    }
    for file in &report.not_read {
        writeln!(out, "  {}: {}: {}", file.path, w.not_read, file.reason)?;
    }
    for snapshot in &report.snapshots {
        writeln!(out, "  {}", snapshot.line())?;
    }
    if !report.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}:", w.notes.to_uppercase())?;
        for note in &report.notes {
            writeln!(out, "  ! {note}")?;
        }
    }
    if !report.not_checked.is_empty() {
        writeln!(out)?;
        write_not_checked(report, w, out)?;
    }
    if let Some(filter) = &report.manager_filter {
        writeln!(out)?;
        writeln!(out, "{}: {}", w.only_managers, filter.join(", "))?;
    }
    if !report.waivers.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}:", w.waivers)?;
        for waiver in &report.waivers {
            writeln!(out, "  {}", super::text::waiver_line(waiver, w))?;
        }
    }
    writeln!(out)?;
    super::matrix::write(report, options, out)?;
    write_fix_first(report, options, out)?;
    for manager in report.managers.iter().filter(|m| m.total > 0) {
        writeln!(out)?;
        let changes = manager
            .changes
            .map(|c| format!("; {}", text::changes(&c, w)))
            .unwrap_or_default();
        writeln!(
            out,
            "{}: {}, {}, {} {}{changes}",
            manager.name,
            paint(
                severity_count(manager.errors, Severity::Error, w),
                Severity::Error,
                manager.errors,
                options
            ),
            paint(
                severity_count(manager.warnings, Severity::Warning, w),
                Severity::Warning,
                manager.warnings,
                options
            ),
            manager.infos,
            w.info
        )?;
        let mut table = new_table(options);
        let mut header = vec![w.rule, w.severity_column, w.entity, w.details_column];
        if report.history.is_some() {
            header.push(w.status);
        }
        let header: Vec<String> = header.into_iter().map(str::to_lowercase).collect();
        table.set_header(header);
        for v in report
            .violations
            .iter()
            .filter(|v| v.manager == manager.name)
        {
            let e = &v.entity;
            // The English table has always named the kind as the JSON does.
            let kind = match w.lang {
                crate::lang::Lang::En => e.kind.as_str(),
                crate::lang::Lang::Ru => (w.entity_kind)(e.kind.as_str()),
            };
            let deal_word = (w.entity_kind)("deal");
            let entity = match (&e.name, &e.deal_id, &e.deal_name) {
                (Some(name), _, _) => format!("{kind} {} «{name}»", e.id),
                (None, Some(deal), Some(name)) => {
                    format!("{kind} {} ({deal_word} {deal} «{name}»)", e.id)
                }
                (None, Some(deal), None) => format!("{kind} {} ({deal_word} {deal})", e.id),
                (None, None, _) => format!("{kind} {}", e.id),
            };
            let mut row = vec![
                Cell::new(v.rule),
                cell((w.severity)(v.severity), v.severity, options),
                Cell::new(entity),
                Cell::new(&v.message),
            ];
            if report.history.is_some() {
                row.push(Cell::new(
                    v.status
                        .as_ref()
                        .map(|s| text::status_label(s, w))
                        .unwrap_or_default(),
                ));
            }
            table.add_row(row);
        }
        writeln!(out, "{table}")?;
    }
    write_vanished(report, options, out)?;
    writeln!(out)?;
    let t = &report.totals;
    if let Some(c) = super::history::total_changes(report) {
        writeln!(out, "{}: {}", w.since_last_run, text::changes(&c, w))?;
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
    match w.lang {
        crate::lang::Lang::En => writeln!(
            out,
            "Total: {} violation(s): {errors}, {warnings}, {} info, {} of {} manager(s) with violations",
            t.violations,
            t.infos,
            t.managers_with_violations,
            report.managers.len()
        )?,
        crate::lang::Lang::Ru => writeln!(
            out,
            "Итого: {}: {errors}, {warnings}, {} инфо; {}",
            w.count(t.violations, w.violations),
            t.infos,
            (w.managers_with_violations)(t.managers_with_violations, report.managers.len())
        )?,
    }
    Ok(())
}

/// `2 error(s)` as the table has always written it in English; `2 ошибки`.
fn severity_count(n: usize, severity: Severity, w: &Words) -> String {
    match (w.lang, severity) {
        (crate::lang::Lang::En, Severity::Error) => format!("{n} error(s)"),
        (crate::lang::Lang::En, _) => format!("{n} warning(s)"),
        (crate::lang::Lang::Ru, Severity::Error) => w.count(n, w.errors),
        (crate::lang::Lang::Ru, _) => w.count(n, w.warnings),
    }
}

/// What the inputs did not let the rules check.
fn write_not_checked(report: &Report, w: &Words, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{}:", w.not_checked_heading)?;
    for n in &report.not_checked {
        writeln!(out, "  ! {}: {}", n.rule, n.reason)?;
    }
    Ok(())
}

/// The report with every text escaped for the terminal.
fn for_terminal(report: &Report) -> Report {
    let mut copy = report.clone();
    for_each_text(&mut copy, &mut |_, text| {
        if let std::borrow::Cow::Owned(escaped) = escape::terminal(text) {
            *text = escaped;
        }
    });
    copy
}

pub(super) fn right(cell: Cell) -> Cell {
    cell.set_alignment(CellAlignment::Right)
}

/// The last run's violations fixed tonight, and apart from them those
/// gone from the inputs, which are not fixes.
fn write_vanished(
    report: &Report,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(history) = &report.history else {
        return Ok(());
    };
    let w = words(report.language);
    for (title, list) in [
        (w.fixed_title, &history.fixed),
        (w.gone_title, &history.gone),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{title}:")?;
        if title == w.gone_title {
            write_wrapped(w.gone_note, options, out)?;
        }
        let mut table = new_table(options);
        table.set_header(
            [w.manager, w.violation, w.had_been_open]
                .map(str::to_lowercase)
                .to_vec(),
        );
        for v in list {
            table.add_row(vec![
                Cell::new(super::text::manager(&v.manager, w)),
                Cell::new(text::vanished_label(v, w)),
                Cell::new(text::open_since(&v.since, v.runs, w)),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    Ok(())
}

/// A paragraph wrapped between words to the width (100 without one).
pub(super) fn write_wrapped(
    paragraph: &str,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let width = usize::from(options.width.unwrap_or(100)).max(40);
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

/// The deals in work to fix first.
fn write_fix_first(
    report: &Report,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if report.fix_first.is_empty() {
        return Ok(());
    }
    let w = words(report.language);
    writeln!(out)?;
    writeln!(out, "{}:", w.fix_first_table)?;
    let mut table = new_table(options);
    table.set_header(
        [
            w.deal,
            w.name,
            w.manager,
            w.stage,
            w.budget,
            w.severity_column,
            w.rules,
        ]
        .map(str::to_lowercase)
        .to_vec(),
    );
    for deal in &report.fix_first {
        table.add_row(vec![
            Cell::new(&deal.deal_id),
            Cell::new(&deal.name),
            Cell::new(super::text::manager(&deal.manager, w)),
            Cell::new(&deal.stage),
            right(Cell::new(
                deal.budget.map(|b| text::budget(b, w)).unwrap_or_default(),
            )),
            cell((w.severity)(deal.severity), deal.severity, options),
            Cell::new(deal.rules.join(", ")),
        ]);
    }
    writeln!(out, "{table}")?;
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
}

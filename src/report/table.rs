//! The terminal format: a header that says what was read and what could
//! not be checked, then one block per manager (worst first) with a count per
//! rule and each violation, then a total line.

use super::Report;
use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};
use std::io::Write;

/// Options of the table format.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Wrap tables to this width (a terminal's); `None` never wraps, so
    /// output written to a file is the same whatever the terminal.
    pub width: Option<u16>,
}

fn new_table(options: TableOptions) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
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

pub fn write(report: &Report, options: TableOptions, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "crm-audit {}: audit at {} ({}), rule set: {}",
        report.tool.version, report.as_of, report.time_zone, report.rule_set.name
    )?;
    writeln!(out)?;
    writeln!(out, "Inputs:")?;
    for input in &report.inputs {
        let skipped: usize = input.skipped.iter().map(|s| s.count).sum();
        write!(
            out,
            "  {}: {}, {} rows ({} audited",
            input.path, input.kind, input.rows, input.audited
        )?;
        if skipped > 0 {
            let reasons: Vec<String> = input
                .skipped
                .iter()
                .map(|s| format!("{} {}", s.count, s.reason))
                .collect();
            write!(out, ", {skipped} skipped: {}", reasons.join("; "))?;
        }
        writeln!(out, ")")?;
    }
    if !report.not_checked.is_empty() {
        writeln!(out)?;
        writeln!(out, "NOT CHECKED (the inputs lack the data):")?;
        for n in &report.not_checked {
            writeln!(out, "  ! {}: {}", n.rule, n.reason)?;
        }
    }
    if let Some(filter) = &report.manager_filter {
        writeln!(out)?;
        writeln!(out, "Only managers: {}", filter.join(", "))?;
    }
    writeln!(out)?;
    write_summary(report, options, out)?;
    for manager in report.managers.iter().filter(|m| m.total > 0) {
        writeln!(out)?;
        writeln!(
            out,
            "{}: {} error(s), {} warning(s), {} info",
            manager.name, manager.errors, manager.warnings, manager.infos
        )?;
        let mut table = new_table(options);
        table.set_header(vec!["rule", "severity", "entity", "details"]);
        for v in report
            .violations
            .iter()
            .filter(|v| v.manager == manager.name)
        {
            let entity = match (&v.entity.name, &v.entity.deal_id) {
                (Some(name), _) => format!("{} {} «{}»", v.entity.kind, v.entity.id, name),
                (None, Some(deal)) => format!("{} {} (deal {deal})", v.entity.kind, v.entity.id),
                (None, None) => format!("{} {}", v.entity.kind, v.entity.id),
            };
            table.add_row(vec![
                Cell::new(v.rule),
                Cell::new(v.severity.as_str()),
                Cell::new(entity),
                Cell::new(&v.message),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    writeln!(out)?;
    let t = &report.totals;
    writeln!(
        out,
        "Total: {} violation(s): {} error(s), {} warning(s), {} info, {} of {} manager(s) with violations",
        t.violations,
        t.errors,
        t.warnings,
        t.infos,
        t.managers_with_violations,
        report.managers.len()
    )?;
    Ok(())
}

/// The manager × rule matrix.
fn write_summary(
    report: &Report,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut table = new_table(options);
    let mut header = vec![Cell::new("manager")];
    header.extend(report.rules.iter().map(|r| Cell::new(r.name)));
    header.push(Cell::new("total"));
    table.set_header(header);
    for m in &report.managers {
        let mut row = vec![Cell::new(&m.name)];
        for rule in &report.rules {
            let n = m.counts.get(rule.name).copied().unwrap_or(0);
            row.push(
                Cell::new(if n == 0 {
                    "·".to_string()
                } else {
                    n.to_string()
                })
                .set_alignment(CellAlignment::Right),
            );
        }
        row.push(Cell::new(m.total).set_alignment(CellAlignment::Right));
        table.add_row(row);
    }
    let mut total = vec![Cell::new("total")];
    for rule in &report.rules {
        let n = report.totals.by_rule.get(rule.name).copied().unwrap_or(0);
        total.push(Cell::new(n).set_alignment(CellAlignment::Right));
    }
    total.push(Cell::new(report.totals.violations).set_alignment(CellAlignment::Right));
    table.add_row(total);
    writeln!(out, "{table}")?;
    Ok(())
}

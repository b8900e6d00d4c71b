//! The lists of the terminal report, each a table with a row per thing:
//! the deals to fix first, each manager's violations, and with a history
//! the violations fixed and gone since the last run. On a terminal too
//! narrow for a table's words, its compact form: a block per row, the
//! thing it is about first (`fit`).

use super::fit::{self, joined, write_line, Block};
use super::{cell, new_table, paint, right, severity_count, write_wrapped, TableOptions};
use crate::report::lang::{words, Words};
use crate::report::{text, Report};
use crate::rules::Severity;
use comfy_table::{Cell, Table};
use std::io::Write;

/// The deals in work to fix first.
pub(super) fn write_fix_first(
    report: &Report,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if report.fix_first.is_empty() {
        return Ok(());
    }
    let w = words(report.language);
    writeln!(out)?;
    write_line(out, &format!("{}:", w.fix_first_table), options.width)?;
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
            Cell::new(text::manager(&deal.manager, w)),
            Cell::new(&deal.stage),
            right(Cell::new(
                deal.budget.map(|b| text::budget(b, w)).unwrap_or_default(),
            )),
            cell((w.severity)(deal.severity), deal.severity, options),
            Cell::new(deal.rules.join(", ")),
        ]);
    }
    // Compact: the deal, then who has it, where, for how much and how
    // bad, then the rules it breaks.
    let blocks: Vec<Block> = report
        .fix_first
        .iter()
        .map(|deal| {
            let budget = deal.budget.map(|b| text::budget(b, w)).unwrap_or_default();
            Block {
                title: format!("{} {}", deal.deal_id, deal.name),
                lines: vec![
                    joined(&[
                        text::manager(&deal.manager, w),
                        &deal.stage,
                        &budget,
                        &severity_word(deal.severity, w, options),
                    ]),
                    deal.rules.join(", "),
                ],
            }
        })
        .collect();
    fit::write_drawn(fit::draw(table, options.width), || blocks, out)?;
    Ok(())
}

/// Each manager with violations, worst first: a heading with the counts,
/// then the violations, in one form for all (see `fit::compact_width`).
pub(super) fn write_managers(
    report: &Report,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let w = words(report.language);
    let managers: Vec<_> = report.managers.iter().filter(|m| m.total > 0).collect();
    let compact = fit::compact_width(
        managers
            .iter()
            .map(|m| violations_table(report, &violation_rows(report, &m.name), options)),
        options.width,
    );
    for manager in managers {
        writeln!(out)?;
        let changes = manager
            .changes
            .map(|c| format!("; {}", text::changes(&c, w)))
            .unwrap_or_default();
        write_line(
            out,
            &format!(
                "{}: {}, {}, {} {}{changes}",
                text::manager(&manager.name, w),
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
            ),
            options.width,
        )?;
        let rows = violation_rows(report, &manager.name);
        let drawn = match compact {
            Some(width) => fit::Drawn::Compact(width),
            None => fit::draw(violations_table(report, &rows, options), options.width),
        };
        fit::write_drawn(drawn, || violation_blocks(&rows, w, options), out)?;
    }
    Ok(())
}

/// What a violation is about: `task T-1 (deal 101 «Радиаторы для дома»)`.
fn entity_name(e: &crate::report::EntityReport, w: &Words) -> String {
    // The English table has always named the kind as the JSON does.
    let kind = match w.lang {
        crate::lang::Lang::En => e.kind.as_str(),
        crate::lang::Lang::Ru => (w.entity_kind)(e.kind),
    };
    let deal_word = (w.entity_kind)(super::super::EntityKind::Deal);
    match (&e.name, &e.deal_id, &e.deal_name) {
        (Some(name), _, _) => format!("{kind} {} «{name}»", e.id),
        (None, Some(deal), Some(name)) => {
            format!("{kind} {} ({deal_word} {deal} «{name}»)", e.id)
        }
        (None, Some(deal), None) => format!("{kind} {} ({deal_word} {deal})", e.id),
        (None, None, _) => format!("{kind} {}", e.id),
    }
}

/// A violation as both forms show it: the violation, what it is about,
/// and (with a history) its status.
struct ViolationRow<'a> {
    violation: &'a crate::report::ViolationReport,
    entity: String,
    status: String,
}

/// One manager's violations, in the report's order.
fn violation_rows<'a>(report: &'a Report, manager: &str) -> Vec<ViolationRow<'a>> {
    let w = words(report.language);
    let history = report.history.is_some();
    report
        .violations
        .slice()
        .iter()
        .filter(|v| v.manager == manager)
        .map(|v| ViolationRow {
            violation: v,
            entity: entity_name(&v.entity, w),
            status: v
                .status
                .as_ref()
                .filter(|_| history)
                .map(|s| text::status_label(s, w))
                .unwrap_or_default(),
        })
        .collect()
}

/// A manager's violations as a table: rule, severity, what it is about,
/// the message and (with a history) the status.
fn violations_table(report: &Report, rows: &[ViolationRow], options: TableOptions) -> Table {
    let w = words(report.language);
    let history = report.history.is_some();
    let mut table = new_table(options);
    let mut header = vec![w.rule, w.severity_column, w.entity, w.details_column];
    if history {
        header.push(w.status);
    }
    let header: Vec<String> = header.into_iter().map(str::to_lowercase).collect();
    table.set_header(header);
    for row in rows {
        let v = row.violation;
        let mut cells = vec![
            Cell::new(v.rule),
            cell((w.severity)(v.severity), v.severity, options),
            Cell::new(&row.entity),
            Cell::new(&v.message),
        ];
        if history {
            cells.push(Cell::new(&row.status));
        }
        table.add_row(cells);
    }
    table
}

/// A manager's violations compact, a block each: what it is about, then
/// the rule, the severity and the status, then the message.
fn violation_blocks(rows: &[ViolationRow], w: &Words, options: TableOptions) -> Vec<Block> {
    rows.iter()
        .map(|row| {
            let v = row.violation;
            Block {
                title: row.entity.clone(),
                lines: vec![
                    joined(&[v.rule, &severity_word(v.severity, w, options), &row.status]),
                    v.message.clone(),
                ],
            }
        })
        .collect()
}

/// A severity's word, coloured when colour is on.
fn severity_word(severity: Severity, w: &Words, options: TableOptions) -> String {
    paint((w.severity)(severity).to_string(), severity, 1, options)
}

/// The last run's violations fixed tonight, and apart from them those
/// gone from the inputs, which are not fixes.
pub(super) fn write_vanished(
    report: &Report,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(history) = &report.history else {
        return Ok(());
    };
    let w = words(report.language);
    let lists: Vec<_> = [
        (w.fixed_title, &history.fixed),
        (w.gone_title, &history.gone),
        (w.not_judged_title, &history.not_judged),
    ]
    .into_iter()
    .filter(|(_, list)| !list.is_empty())
    .collect();
    let compact = fit::compact_width(
        lists.iter().map(|(_, list)| vanished(list, w, options).0),
        options.width,
    );
    for (title, list) in lists {
        writeln!(out)?;
        write_line(out, &format!("{title}:"), options.width)?;
        if title == w.gone_title {
            write_wrapped(w.gone_note, options, out)?;
        }
        if title == w.not_judged_title {
            write_wrapped(w.not_judged_note, options, out)?;
            if let Some(why) = text::incomplete(history, w) {
                write_wrapped(&why, options, out)?;
            }
        }
        let (table, blocks) = vanished(list, w, options);
        let drawn = match compact {
            Some(width) => fit::Drawn::Compact(width),
            None => fit::draw(table, options.width),
        };
        fit::write_drawn(drawn, || blocks, out)?;
    }
    Ok(())
}

/// Fixed or gone violations as a table, and in the compact form a block
/// each: the violation, then its manager and how long it had been open.
fn vanished(
    list: &[crate::history::Vanished],
    w: &Words,
    options: TableOptions,
) -> (Table, Vec<Block>) {
    let mut table = new_table(options);
    table.set_header(
        [w.manager, w.violation, w.had_been_open]
            .map(str::to_lowercase)
            .to_vec(),
    );
    let mut blocks = Vec::new();
    for v in list {
        let manager = text::manager(&v.manager, w);
        let violation = text::vanished_label(v, w);
        let since = text::open_since(&v.since, v.runs, w);
        blocks.push(Block {
            title: violation.clone(),
            lines: vec![joined(&[manager, &since])],
        });
        table.add_row(vec![
            Cell::new(manager),
            Cell::new(violation),
            Cell::new(since),
        ]);
    }
    (table, blocks)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{narrow, widest};
    use crate::report::sample;

    #[test]
    fn fix_first_on_a_narrow_terminal_is_a_block_per_deal() {
        // The fix-first table's longest words: deal, Радиаторы, manager
        // (and Алексей), stage, 187 000 (a no-break space), severity,
        // overdue-task, (with its comma): 4 + 9 + 7 + 5 + 7 + 8 + 13 = 53
        // characters, a space each side and a border each (7 × 3 + 1):
        // 75 columns. At 80 it is a table, its words whole; at 60 the deal
        // is a block: the deal, then manager · stage · budget · severity,
        // then its rules.
        let wide = narrow(&sample::report(), 80);
        assert!(widest(&wide) <= 80, "{wide}");
        assert!(wide.contains("┆ overdue-task, "), "{wide}");
        assert!(wide.contains("│ 101  ┆ Радиаторы "), "{wide}");
        let text = narrow(&sample::report(), 60);
        assert!(widest(&text) <= 60, "{text}");
        assert!(
            text.contains(
                "Fix first (the most serious, then the largest budget):\n\
                 101 Радиаторы для дома\n  \
                 Петров Алексей · Счет · 187\u{a0}000 · error\n  \
                 overdue-task, missing-phone\n\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn violations_on_a_narrow_terminal_are_a_block_each_with_their_status() {
        // The violations' longest words: daily-call-quota (16), severity
        // (8), Алексей/2026-11-26 (18), 26.11.2026, (11) and, with the
        // history, 25.11.2026 (10) of the status: 63 characters and
        // 5 × 3 + 1 of padding and borders, 79 columns. At 80 a table; at
        // 60 a block each: the entity, rule · severity · status, message.
        let wide = narrow(&sample::with_history(), 80);
        assert!(widest(&wide) <= 80, "{wide}");
        assert!(wide.contains("│ daily-call-quota ┆"), "{wide}");
        let text = narrow(&sample::with_history(), 60);
        assert!(widest(&text) <= 60, "{text}");
        assert!(
            text.contains(
                "task T-1 (deal 101 «Радиаторы для дома»)\n  \
                 overdue-task · error · new\n  \
                 task due 24.11.2026 15:00 is 2 d 11 h overdue\n\
                 deal 101 «Радиаторы для дома»\n  \
                 missing-phone · error · open since 25.11.2026 (3 runs)\n"
            ),
            "{text}"
        );
        // The message wraps between words, under its block.
        assert!(
            text.contains(
                "  31 outgoing contacts on 26.11.2026, quota 40 (29 calls, 2\n    letters)\n"
            ),
            "{text}"
        );
        // Without a history, no status: rule · severity alone.
        let plain = narrow(&sample::report(), 60);
        assert!(plain.contains("\n  overdue-task · error\n"), "{plain}");
    }

    #[test]
    fn fixed_and_gone_turn_compact_together() {
        // Fixed (Иванова's overdue-task T-9) needs 7 + 12 + 10 = 29
        // characters of words and 10 of padding and borders: 39 columns.
        // Gone (Петров's missing-phone deal 205) needs one more: 40. At 39
        // the fixed table would fit, but both are blocks, alike.
        let text = narrow(&sample::with_history(), 39);
        assert!(
            text.contains(
                "Fixed since the last run:\n\
                 overdue-task task T-9 (deal 102)\n  \
                 Иванова Мария · since 25.11.2026 (2\n    runs)\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "missing-phone deal 205\n  Петров Алексей · since 26.11.2026 (1\n    run)\n"
            ),
            "{text}"
        );
        // At 40 both are tables.
        let wide = narrow(&sample::with_history(), 40);
        assert!(wide.contains("│ Иванова ┆"), "{wide}");
        assert!(wide.contains("│ Петров  ┆ missing-phone ┆"), "{wide}");
    }
}

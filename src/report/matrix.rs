//! The table format's manager × rule matrix, with each manager's workload
//! figures, and the legend of its rule codes.
//!
//! With 17 rules the matrix is about 190 characters wide. Where it does not
//! fit the terminal it is printed compact instead: the workload figures as
//! a table of their own (five columns fit 80; where even they cannot keep
//! their words, a block per manager), then each manager's rules on
//! a line of their own, `CA001 ×3, CA005 —, CA010 ×1`, wrapped between
//! items, never inside one. Managers stay rows in the order of the matrix,
//! as a person reading the wide one would find them; the rules a manager
//! broke are few, so a list is shorter than a column per rule, and rules as
//! rows would need a column per manager, no narrower. A rule not checked in
//! full that found nothing keeps its `—` and the legend says what it means.
//! Written to a file or a pipe (no width), the matrix is always the wide
//! one, so a report file is the same whatever the terminal.

use super::lang::{words, Words};
use super::table::fit::{self, joined, visible_width, Block};
use super::table::{cell, new_table, paint, right, write_wrapped, TableOptions};
use super::{text, ManagerReport, Report};
use comfy_table::{Cell, Table};
use std::io::Write;

/// The matrix, or its compact form where it is wider than the terminal,
/// then the legend of the rule codes.
pub fn write(report: &Report, options: TableOptions, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    // Counts do not wrap: the wide matrix is measured as it would print.
    let wide = matrix(report, w, options).to_string();
    let fits = match options.width {
        Some(width) => wide
            .lines()
            .all(|line| visible_width(line) <= usize::from(width)),
        None => true,
    };
    if fits {
        writeln!(out, "{wide}")?;
    } else {
        write_figures(report, w, options, out)?;
        write_by_rule(report, w, options, out)?;
    }
    write_legend(report, options, out)?;
    if report
        .rules
        .iter()
        .any(|r| report.unchecked_zero(r.name, 0))
    {
        match options.width {
            // A file keeps the one line it has always had.
            None => writeln!(out, "{}", w.not_checked_legend)?,
            Some(_) => write_wrapped(w.not_checked_legend, options, out)?,
        }
    }
    Ok(())
}

/// The header cells of the workload figures (and the history's counts).
fn figure_header(report: &Report, w: &Words) -> Vec<Cell> {
    let mut header: Vec<&str> = vec![
        w.total_column,
        w.in_work_column,
        w.per_10_deals,
        w.compliance,
    ];
    if report.history.is_some() {
        header.extend([w.new, w.open, w.fixed]);
    }
    header
        .into_iter()
        .map(|s| Cell::new(s.to_lowercase()))
        .collect()
}

/// A manager's (or the total's) workload figures as cells.
fn figure_cells(
    total: usize,
    in_work: usize,
    per_10: Option<f64>,
    compliance: Option<f64>,
    changes: Option<[usize; 3]>,
    w: &Words,
) -> Vec<Cell> {
    let optional = |x: Option<String>| x.unwrap_or_else(|| "–".to_string());
    let mut cells = vec![
        right(Cell::new(total)),
        right(Cell::new(in_work)),
        right(Cell::new(optional(per_10.map(|x| text::decimal(x, w))))),
        right(Cell::new(optional(compliance.map(|x| text::percent(x, w))))),
    ];
    if let Some(changes) = changes {
        cells.extend(changes.map(|n| right(Cell::new(n))));
    }
    cells
}

/// The whole matrix: a column per rule, then the workload figures.
fn matrix(report: &Report, w: &Words, options: TableOptions) -> Table {
    let mut table = new_table(TableOptions {
        width: None,
        ..options
    });
    let mut header = vec![Cell::new(w.manager.to_lowercase())];
    header.extend(report.rules.iter().map(|r| Cell::new(&r.code)));
    header.extend(figure_header(report, w));
    table.set_header(header);
    let history = report.history.is_some();
    for m in &report.managers {
        let mut row = vec![Cell::new(text::manager(&m.name, w))];
        for rule in &report.rules {
            let n = m.counts.get(rule.name).copied().unwrap_or(0);
            row.push(right(if report.unchecked_zero_for(rule.name, n, &m.name) {
                Cell::new("—")
            } else if n == 0 {
                Cell::new("·")
            } else {
                cell(n, rule.severity, options)
            }));
        }
        row.extend(manager_figures(m, history, w));
        table.add_row(row);
    }
    let t = &report.totals;
    let mut total = vec![Cell::new(w.total_column.to_lowercase())];
    for rule in &report.rules {
        let n = t.by_rule.get(rule.name).copied().unwrap_or(0);
        total.push(right(if report.unchecked_zero(rule.name, n) {
            Cell::new("—")
        } else {
            Cell::new(n)
        }));
    }
    total.extend(total_figures(report, w));
    table.add_row(total);
    table
}

/// A manager's workload figures (and, with a history, new, open and
/// fixed), as the matrix and the compact figures both show them.
fn manager_figures(m: &ManagerReport, history: bool, w: &Words) -> Vec<Cell> {
    let changes = m
        .changes
        .filter(|_| history)
        .map(|c| [c.new, c.open, c.fixed]);
    figure_cells(
        m.total,
        m.deals_in_work,
        m.violations_per_10_deals,
        m.compliance_rate,
        changes,
        w,
    )
}

/// The total row's figures.
fn total_figures(report: &Report, w: &Words) -> Vec<Cell> {
    let t = &report.totals;
    let changes = super::history::total_changes(report).map(|c| [c.new, c.open, c.fixed]);
    figure_cells(
        t.violations,
        t.deals_in_work,
        t.violations_per_10_deals,
        t.compliance_rate,
        changes,
        w,
    )
}

/// The compact form's figures: each manager's workload figures in a
/// table of their own, drawn as long as each column keeps its longest
/// word; on a terminal narrower than that, a block per manager (and the
/// total): the name, then each figure after its column's name.
fn write_figures(
    report: &Report,
    w: &Words,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut table = new_table(options);
    let mut header = vec![Cell::new(w.manager.to_lowercase())];
    header.extend(figure_header(report, w));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let history = report.history.is_some();
    for m in &report.managers {
        let mut row = vec![Cell::new(text::manager(&m.name, w))];
        row.extend(manager_figures(m, history, w));
        rows.push(row);
    }
    let mut total = vec![Cell::new(w.total_column.to_lowercase())];
    total.extend(total_figures(report, w));
    rows.push(total);
    let names: Vec<String> = header.iter().map(|c| c.content()).collect();
    let blocks: Vec<Block> = rows
        .iter()
        .map(|row| {
            let figures: Vec<String> = names
                .iter()
                .zip(row)
                .skip(1)
                // A no-break space keeps each figure beside its name.
                .map(|(name, cell)| format!("{name}\u{a0}{}", cell.content()))
                .collect();
            let figures: Vec<&str> = figures.iter().map(String::as_str).collect();
            Block {
                title: row[0].content(),
                lines: vec![joined(&figures)],
            }
        })
        .collect();
    table.set_header(header);
    for row in rows {
        table.add_row(row);
    }
    fit::write_drawn(fit::draw(table, options.width), || blocks, out)?;
    Ok(())
}

/// One item of a manager's list: the rule's code and its count (coloured
/// by severity), or `—` where it was not checked in full and found nothing;
/// `None` for a clean zero, which the list leaves out.
fn item(rule: &super::RuleInfo, n: usize, unchecked: bool, options: TableOptions) -> Option<Item> {
    if unchecked {
        let plain = format!("{} —", rule.code);
        return Some(Item {
            shown: plain.clone(),
            plain,
        });
    }
    if n == 0 {
        return None;
    }
    let plain = format!("{} ×{n}", rule.code);
    Some(Item {
        shown: paint(plain.clone(), rule.severity, n, options),
        plain,
    })
}

/// A list item as measured (`plain`) and as printed (`shown`, maybe coloured).
struct Item {
    plain: String,
    shown: String,
}

/// Each manager's rules, then the total's, one line each, wrapped
/// between items to the width with the continuation indented.
fn write_by_rule(
    report: &Report,
    w: &Words,
    options: TableOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let width = usize::from(options.width.unwrap_or(100));
    writeln!(out, "{}:", w.by_rule)?;
    let mut lines: Vec<(String, Vec<Item>)> = report
        .managers
        .iter()
        .map(|m| {
            let items = report
                .rules
                .iter()
                .filter_map(|r| {
                    let n = m.counts.get(r.name).copied().unwrap_or(0);
                    let unchecked = report.unchecked_zero_for(r.name, n, &m.name);
                    item(r, n, unchecked, options)
                })
                .collect();
            (text::manager(&m.name, w).to_string(), items)
        })
        .collect();
    let totals = report
        .rules
        .iter()
        .filter_map(|r| {
            let n = report.totals.by_rule.get(r.name).copied().unwrap_or(0);
            item(r, n, report.unchecked_zero(r.name, n), options)
        })
        .collect();
    lines.push((w.total_column.to_string(), totals));
    for (name, items) in lines {
        let mut shown = format!("  {name}:");
        if items.is_empty() {
            writeln!(out, "{shown} {}", w.nothing_found)?;
            continue;
        }
        let mut used = shown.chars().count();
        let last = items.len() - 1;
        for (i, it) in items.into_iter().enumerate() {
            let comma = if i < last { "," } else { "" };
            let piece = it.plain.chars().count() + comma.len();
            // Items wrap between items, never inside one; a name too long
            // to keep even the first beside it has its items below it.
            if used + 1 + piece > width && used > 3 {
                writeln!(out, "{shown}")?;
                shown = "   ".to_string();
                used = 3;
            }
            shown.push(' ');
            shown.push_str(&it.shown);
            shown.push_str(comma);
            used += 1 + piece;
        }
        writeln!(out, "{shown}")?;
    }
    Ok(())
}

/// What each rule code in the matrix stands for, wrapped to the width.
fn write_legend(report: &Report, options: TableOptions, out: &mut dyn Write) -> anyhow::Result<()> {
    let width = usize::from(options.width.unwrap_or(100));
    let mut line = String::new();
    for rule in &report.rules {
        let item = format!("{} {}", rule.code, rule.name);
        if !line.is_empty() && line.chars().count() + 3 + item.chars().count() > width {
            writeln!(out, "{line}")?;
            line.clear();
        }
        if !line.is_empty() {
            line.push_str(" · ");
        }
        line.push_str(&item);
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
    use crate::lang::Lang;

    fn summary(language: Lang, width: Option<u16>) -> String {
        let mut report = sample::report();
        report.language = language;
        let mut out = Vec::new();
        let options = TableOptions {
            width,
            ..TableOptions::default()
        };
        write(&report, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn widest(text: &str) -> usize {
        text.lines().map(visible_width).max().unwrap_or(0)
    }

    #[test]
    fn a_matrix_too_wide_for_the_terminal_becomes_a_list_per_manager() {
        // The sample: Петров broke CA001, CA003 and CA007 once each;
        // Иванова broke nothing, and CA007 (daily-call-quota) was not
        // checked in full: her zero there is no clean zero, a dash. The
        // whole matrix is wider than 60 columns.
        let wide = summary(Lang::En, None);
        assert!(widest(&wide) > 60, "{wide}");
        let narrow = summary(Lang::En, Some(60));
        assert!(widest(&narrow) <= 60, "{narrow}");
        assert!(!narrow.contains("┆ CA001"), "{narrow}");
        assert!(
            narrow.contains(
                "By rule:\n  Петров Алексей: CA001 ×1, CA003 ×1, CA007 ×1\n  \
                 Иванова Мария: CA007 —\n  total: CA001 ×1, CA003 ×1, CA007 ×1\n"
            ),
            "{narrow}"
        );
        // The legend of the codes and of the dash stay, wrapped.
        assert!(narrow.contains("CA007 daily-call-quota"), "{narrow}");
        assert!(narrow.contains("— not checked, or checked only in part"));
        // Its figures stay, in a table of their own.
        let petrov = narrow.lines().find(|l| l.starts_with("│ Петров")).unwrap();
        assert!(petrov.ends_with("75% │"), "{petrov}");
    }

    #[test]
    fn the_list_wraps_between_items_and_speaks_russian() {
        // At 40 columns Петров's three items do not fit one line after his
        // name (2 + 15 + 3 × 10 − 1 = 46): the third goes on the next
        // line, indented, whole.
        let narrow = summary(Lang::Ru, Some(40));
        assert!(
            narrow.contains(
                "По правилам:\n  Петров Алексей: CA001 ×1, CA003 ×1,\n    CA007 ×1\n  \
                 Иванова Мария: CA007 —\n  итого: CA001 ×1, CA003 ×1, CA007 ×1\n"
            ),
            "{narrow}"
        );
        // The dash's legend, wrapped between words.
        let words: Vec<&str> = narrow.split_whitespace().collect();
        assert!(
            words
                .join(" ")
                .contains("— не проверено или проверено лишь частично"),
            "{narrow}"
        );
        // Words are never cut: every word of the output is one of the
        // full matrix's, a list item's count, or of the list's heading.
        let wide = summary(Lang::Ru, None);
        for word in narrow.split(|c: char| c.is_whitespace() || "│┆,:".contains(c)) {
            let word = word.trim_matches(|c: char| "─┌┐└┘├┤┬┴┼╞╡╪═".contains(c));
            assert!(
                word.is_empty()
                    || wide.contains(word)
                    || word.starts_with('×')
                    || "По правилам".contains(word),
                "«{word}» is cut:\n{narrow}"
            );
        }
    }

    #[test]
    fn a_name_with_no_room_beside_it_has_its_items_below() {
        // At 20 columns «  Петров Алексей:» (17) leaves no room for
        // «CA001 ×1,» (9): every item goes below the name, one a line.
        let narrow = summary(Lang::Ru, Some(20));
        assert!(
            narrow.contains("  Петров Алексей:\n    CA001 ×1,\n    CA003 ×1,\n    CA007 ×1\n"),
            "{narrow}"
        );
        for line in narrow
            .lines()
            .filter(|l| l.contains("CA00") && l.contains('×'))
        {
            assert!(line.chars().count() <= 20, "{line}");
        }
    }

    #[test]
    fn figures_too_wide_for_the_terminal_become_a_block_per_manager() {
        // With a history the figures have eight columns, whose longest
        // words (Алексей, total, work, deals, compliance, new, open,
        // fixed: 7 + 5 + 4 + 5 + 10 + 3 + 4 + 5 = 43) and 8 × 3 + 1 of
        // padding and borders need 68 columns: at 60, a block each, the
        // name, then each figure after its column's name, held together
        // by a no-break space. Петров: 3 violations, 4 deals in work, 7.5
        // per 10, 75%, new 2, open 1, fixed 0 (the sample's history).
        let mut report = sample::with_history();
        report.language = Lang::En;
        let mut out = Vec::new();
        let options = TableOptions {
            width: Some(60),
            ..TableOptions::default()
        };
        write(&report, options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(widest(&text) <= 60, "{text}");
        let block = text
            .split("Петров Алексей\n")
            .nth(1)
            .and_then(|rest| rest.split("\nИванова").next())
            .unwrap_or_else(|| panic!("no block of Петров:\n{text}"));
        assert_eq!(
            // Joined again where it wrapped (a no-break space is no
            // place to wrap, nor to split here).
            block
                .split([' ', '\n'])
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            "total\u{a0}3 · in work\u{a0}4 · per 10 deals\u{a0}7.5 · compliance\u{a0}75% · \
             new\u{a0}2 · open\u{a0}1 · fixed\u{a0}0"
        );
        assert!(block.starts_with("  total"), "{block}");
        // At 68 columns the figures are a table again.
        let mut out = Vec::new();
        let options = TableOptions {
            width: Some(68),
            ..TableOptions::default()
        };
        write(&report, options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("│ Петров  ┆"), "{text}");
        assert!(widest(&text) <= 68, "{text}");
    }

    #[test]
    fn a_very_narrow_terminal_still_gets_whole_words_within_its_width() {
        // 30 columns: the legend's items (`CA007 daily-call-quota`, 22),
        // Петров's line up to its first item (`  Петров Алексей: CA001
        // ×1,`, 27) and every word of the figures' blocks and of the
        // dash's legend fit; the legend once kept 40 columns whatever
        // the terminal said.
        for lang in [Lang::En, Lang::Ru] {
            let text = summary(lang, Some(30));
            assert!(widest(&text) <= 30, "{text}");
            assert!(text.contains("CA007 daily-call-quota\n"), "{text}");
        }
    }

    #[test]
    fn a_matrix_that_fits_is_the_matrix_whatever_the_width() {
        for lang in [Lang::En, Lang::Ru] {
            let file = summary(lang, None);
            let wide = summary(lang, Some(200));
            assert_eq!(wide, file, "a wide terminal shows what a file holds");
            assert!(wide.contains("┆ CA001 ┆ CA003 ┆ CA007 ┆"), "{wide}");
        }
    }
}

//! The Markdown format, for a chat or a ticket: the totals, the manager ×
//! rule summary with workload figures, the deals to fix first, each
//! manager's violations, what could not be checked, the inputs and the
//! rules. Every piece of text from the exports is escaped for a table
//! cell; deals and tasks link to their CRM card when the rule set has one.

use super::escape::{markdown as md, markdown_url, web_url};
use super::lang::{words, Words};
use super::{text, EntityKind, Report, ViolationReport};
use crate::history::Vanished;
use std::io::Write;

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let t = &report.totals;
    let w = words(report.language);
    writeln!(out, "# {}, {}", w.title, md(&text::as_of(report)))?;
    for warning in text::stale_warnings(report, w) {
        writeln!(out)?;
        writeln!(out, "**{}**", md(&warning))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}: {} · {} {} · crm-audit {}",
        w.rule_set,
        md(&report.rule_set.label(w)),
        w.time_zone,
        md(&report.time_zone),
        report.tool.version
    )?;
    if let Some(filter) = &report.manager_filter {
        let names: Vec<String> = filter.iter().map(|n| md(n)).collect();
        writeln!(out)?;
        writeln!(out, "{}: {}", w.only_managers, names.join(", "))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "**{}**: {}; {}.",
        w.count(t.violations, w.violations),
        text::severity_counts(t.errors, t.warnings, t.infos, w),
        (w.managers_with_violations)(t.managers_with_violations, report.managers.len())
    )?;
    if let Some(c) = super::history::total_changes(report) {
        writeln!(out)?;
        writeln!(out, "{}: {}.", w.since_last_run, text::changes(&c, w))?;
    }
    write_notes(report, out)?;
    write_summary(report, out)?;
    write_fix_first(report, out)?;
    write_managers(report, out)?;
    write_vanished(report, out)?;
    write_not_checked(report, out)?;
    write_inputs(report, out)?;
    write_rules(report, out)?;
    Ok(())
}

fn row(out: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
    writeln!(out, "| {} |", cells.join(" | "))
}

fn header(out: &mut dyn Write, cells: &[&str], right_from: usize) -> std::io::Result<()> {
    writeln!(out, "| {} |", cells.join(" | "))?;
    let align: Vec<&str> = (0..cells.len())
        .map(|i| if i >= right_from { "---:" } else { "---" })
        .collect();
    writeln!(out, "| {} |", align.join(" | "))
}

fn link(label: &str, url: Option<&str>) -> String {
    match url.and_then(web_url) {
        Some(url) => format!("[{}]({})", md(label), markdown_url(url)),
        None => md(label),
    }
}

fn optional(x: Option<String>) -> String {
    x.unwrap_or_else(|| "–".to_string())
}

fn write_summary(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out)?;
    let w = words(report.language);
    writeln!(out, "## {}", w.summary)?;
    writeln!(out)?;
    let mut head = vec![w.manager];
    head.extend(report.rules.iter().map(|r| r.code.as_str()));
    head.extend([w.total, w.in_work, w.per_10_deals, w.compliance]);
    let changes = super::history::total_changes(report);
    if changes.is_some() {
        head.extend([w.new, w.open, w.fixed]);
    }
    header(out, &head, 1)?;
    for m in &report.managers {
        let mut cells = vec![md(text::manager(&m.name, w))];
        for rule in &report.rules {
            let n = m.counts.get(rule.name).copied().unwrap_or(0);
            cells.push(if report.unchecked_zero_for(rule.name, n, &m.name) {
                "—".into()
            } else if n == 0 {
                "·".into()
            } else {
                n.to_string()
            });
        }
        cells.push(format!("**{}**", m.total));
        cells.push(m.deals_in_work.to_string());
        cells.push(optional(
            m.violations_per_10_deals.map(|x| text::decimal(x, w)),
        ));
        cells.push(optional(m.compliance_rate.map(|x| text::percent(x, w))));
        if let Some(c) = m.changes.filter(|_| changes.is_some()) {
            cells.extend([c.new, c.open, c.fixed].map(|n| n.to_string()));
        }
        row(out, &cells)?;
    }
    let t = &report.totals;
    let mut cells = vec![format!("**{}**", w.total)];
    for rule in &report.rules {
        let n = t.by_rule.get(rule.name).copied().unwrap_or(0);
        cells.push(if report.unchecked_zero(rule.name, n) {
            "—".into()
        } else {
            n.to_string()
        });
    }
    cells.push(format!("**{}**", t.violations));
    cells.push(t.deals_in_work.to_string());
    cells.push(optional(
        t.violations_per_10_deals.map(|x| text::decimal(x, w)),
    ));
    cells.push(optional(t.compliance_rate.map(|x| text::percent(x, w))));
    if let Some(c) = changes {
        cells.extend([c.new, c.open, c.fixed].map(|n| n.to_string()));
    }
    row(out, &cells)?;
    if report
        .rules
        .iter()
        .any(|r| report.unchecked_zero(r.name, 0))
    {
        writeln!(out)?;
        writeln!(out, "{}", w.not_checked_legend)?;
    }
    Ok(())
}

fn write_fix_first(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    if report.fix_first.is_empty() {
        return Ok(());
    }
    let w = words(report.language);
    writeln!(out)?;
    writeln!(out, "## {}", w.fix_first)?;
    writeln!(out)?;
    writeln!(out, "{}", w.fix_first_lead)?;
    writeln!(out)?;
    header(
        out,
        &[
            "#",
            w.deal,
            w.manager,
            w.stage,
            w.budget,
            w.severity_column,
            w.rules,
        ],
        99,
    )?;
    for (i, deal) in report.fix_first.iter().enumerate() {
        let label = format!("{} {}", deal.deal_id, deal.name);
        row(
            out,
            &[
                (i + 1).to_string(),
                link(label.trim(), deal.url.as_deref()),
                md(text::manager(&deal.manager, w)),
                md(&deal.stage),
                deal.budget.map(|b| text::budget(b, w)).unwrap_or_default(),
                (w.severity)(deal.severity).to_string(),
                deal.rules.join(", "),
            ],
        )?;
    }
    Ok(())
}

fn write_managers(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    for m in &report.managers {
        writeln!(out)?;
        writeln!(out, "## {}", md(text::manager(&m.name, w)))?;
        writeln!(out)?;
        writeln!(out, "{}", text::manager_line(m, w))?;
        let violations: Vec<&ViolationReport> = report
            .violations
            .slice()
            .iter()
            .filter(|v| v.manager == m.name)
            .collect();
        if violations.is_empty() {
            continue;
        }
        writeln!(out)?;
        let history = report.history.is_some();
        let mut head = vec![
            w.rule,
            w.severity_column,
            w.entity,
            w.deal,
            w.stage,
            w.specifics,
        ];
        if history {
            head.push(w.status);
        }
        // The fix last: the columns before it read as they always have.
        head.push(w.how_to_fix);
        header(out, &head, 99)?;
        for v in violations {
            let deal = text::deal_of(&v.entity);
            let deal_cell = match (deal.id, deal.name) {
                (Some(id), Some(name)) if v.entity.kind != EntityKind::Deal => {
                    format!("{id} {name}")
                }
                (_, Some(name)) => name.to_string(),
                (Some(id), None) if v.entity.kind != EntityKind::Deal => id.to_string(),
                _ => String::new(),
            };
            let mut cells = vec![
                format!("{} {}", md(&v.code), v.rule),
                (w.severity)(v.severity).to_string(),
                link(&text::entity_label(&v.entity, w), v.entity.url.as_deref()),
                md(&deal_cell),
                md(deal.stage.unwrap_or("")),
                md(&v.message),
            ];
            if history {
                cells.push(md(&v
                    .status
                    .as_ref()
                    .map(|s| text::status_label(s, w))
                    .unwrap_or_default()));
            }
            cells.push(md(report.fix_of(v.rule)));
            row(out, &cells)?;
        }
    }
    Ok(())
}

/// The last run's violations fixed tonight, then apart from them those
/// gone from the inputs, which are not fixes.
fn write_vanished(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(history) = &report.history else {
        return Ok(());
    };
    let w = words(report.language);
    writeln!(out)?;
    writeln!(out, "## {}", w.fixed_title)?;
    writeln!(out)?;
    if history.fixed.is_empty() {
        writeln!(out, "{}", w.none)?;
    } else {
        write_vanished_table(&history.fixed, w, out)?;
    }
    if !history.gone.is_empty() {
        writeln!(out)?;
        writeln!(out, "## {}", w.gone_title)?;
        writeln!(out)?;
        writeln!(out, "{}", w.gone_note)?;
        writeln!(out)?;
        write_vanished_table(&history.gone, w, out)?;
    }
    if !history.not_judged.is_empty() {
        writeln!(out)?;
        writeln!(out, "## {}", w.not_judged_title)?;
        writeln!(out)?;
        writeln!(out, "{}", w.not_judged_note)?;
        if let Some(why) = text::incomplete(history, w) {
            writeln!(out)?;
            writeln!(out, "{}", md(&why))?;
        }
        writeln!(out)?;
        write_vanished_table(&history.not_judged, w, out)?;
    }
    Ok(())
}

/// Fixed or gone violations: whose, which, and how long they had been open.
fn write_vanished_table(
    vanished: &[Vanished],
    w: &Words,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    header(out, &[w.manager, w.violation, w.had_been_open], 99)?;
    for v in vanished {
        row(
            out,
            &[
                md(text::manager(&v.manager, w)),
                md(&text::vanished_label(v, w)),
                md(&text::open_since(&v.since, v.runs, w)),
            ],
        )?;
    }
    Ok(())
}

/// What a reader should know about how the audit judged, at the top.
fn write_notes(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    if !report.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "## {}", words(report.language).notes)?;
        writeln!(out)?;
        for note in &report.notes {
            writeln!(out, "- {}", md(note))?;
        }
    }
    Ok(())
}

fn write_not_checked(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    if report.not_checked.is_empty() {
        return Ok(());
    }
    let w = words(report.language);
    writeln!(out)?;
    writeln!(out, "## {}", w.not_checked)?;
    writeln!(out)?;
    writeln!(out, "{}", w.not_checked_lead)?;
    writeln!(out)?;
    for n in &report.not_checked {
        writeln!(out, "- {}: {}", n.rule, md(&n.reason))?;
    }
    Ok(())
}

fn write_inputs(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    writeln!(out)?;
    writeln!(out, "## {}", w.inputs)?;
    writeln!(out)?;
    header(
        out,
        &[w.file, w.kind, w.read_as, w.rows, w.audited, w.skipped],
        3,
    )?;
    for input in &report.inputs {
        let skipped = match text::skipped_count(input) {
            0 => "0".to_string(),
            n => format!("{n}: {}", md(&text::skipped(input, w))),
        };
        row(
            out,
            &[
                md(&input.path),
                (w.input_kind)(input.kind).to_string(),
                md(&text::input_format(input, w)),
                input.rows.to_string(),
                input.audited.to_string(),
                skipped,
            ],
        )?;
    }
    let notes: Vec<String> = text::input_notes(report)
        .map(|(path, note)| format!("- {}: {}", md(path), md(note)))
        .collect();
    if !notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", notes.join("\n"))?;
    }
    if !report.snapshots.is_empty() {
        writeln!(out)?;
        writeln!(out, "{} (`crm-audit pull`):", w.snapshots_heading)?;
        writeln!(out)?;
        for snapshot in &report.snapshots {
            writeln!(out, "- {}", md(&snapshot.line(w)))?;
        }
    }
    if !report.not_read.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}:", w.not_read_heading)?;
        writeln!(out)?;
        for file in &report.not_read {
            writeln!(out, "- {}: {}", md(&file.path), md(&file.reason))?;
        }
    }
    if !report.waivers.is_empty() {
        writeln!(out)?;
        writeln!(out, "## {}", w.waivers)?;
        writeln!(out)?;
        for waiver in &report.waivers {
            writeln!(out, "- {}", md(&text::waiver_line(waiver, w)))?;
        }
    }
    Ok(())
}

fn write_rules(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    writeln!(out)?;
    writeln!(out, "## {}", w.rules)?;
    writeln!(out)?;
    header(
        out,
        &[w.code, w.rule, w.clause, w.severity_column, w.checks],
        99,
    )?;
    for r in &report.rules {
        row(
            out,
            &[
                md(&r.code),
                r.name.to_string(),
                md(&r.clause),
                (w.severity)(r.severity).to_string(),
                md(&r.summary),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

    #[test]
    fn a_rule_not_checked_in_full_is_no_clean_zero() {
        let text = text(&sample::report());
        let ivanova = text
            .lines()
            .find(|l| l.starts_with("| Иванова Мария |"))
            .unwrap();
        // Codes CA001, CA003, CA007: the quota, not checked in full, is a dash.
        assert!(
            ivanova.starts_with("| Иванова Мария | · | · | — |"),
            "{ivanova}"
        );
        assert!(text.contains("\n— not checked, or checked only in part"));
    }

    #[test]
    fn each_violation_says_how_to_fix_it() {
        let report = sample::report();
        let text = text(&report);
        assert!(text.contains("| Specifics | How to fix |"), "{text}");
        let history = super::tests::text(&sample::with_history());
        assert!(history.contains("| Specifics | Status | How to fix |"));
        for v in report.violations.slice() {
            let row = text
                .lines()
                .find(|l| l.contains(&v.message))
                .unwrap_or_else(|| panic!("{}: {text}", v.message));
            assert!(row.ends_with(&format!(" | {} fix |", v.rule)), "{row}");
        }
    }

    fn text(report: &Report) -> String {
        let mut out = Vec::new();
        write(report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn names_cannot_break_the_table() {
        let text = text(&sample::with_deal_name("A | B <b>*x*</b> [y](z)"));
        assert!(
            text.contains(r"A \| B &lt;b&gt;\*x\*&lt;/b&gt; \[y\](z)"),
            "{text}"
        );
        for line in text.lines().filter(|l| l.starts_with("| 1 |")) {
            assert_eq!(line.matches(" | ").count(), 6, "{line}");
        }
    }

    #[test]
    fn a_history_shows_statuses_changes_and_the_fixed_apart_from_the_gone() {
        let text = text(&sample::with_history());
        assert!(text.contains("Since the last run: new 2, open 1, fixed 1, gone 1."));
        assert!(text.contains("| Specifics | Status |"), "{text}");
        assert!(
            text.contains("| open since 25.11.2026 (3 runs) |"),
            "{text}"
        );
        assert!(
            text.contains("· new 2, open 1, fixed 0, gone 1\n"),
            "{text}"
        );
        let fixed = text.find("## Fixed since the last run").unwrap();
        let gone = text.find("## Gone from the inputs (not fixes)").unwrap();
        assert!(fixed < gone);
        assert!(text[fixed..gone].contains(
            "| Иванова Мария | overdue-task task T-9 (deal 102) | since 25.11.2026 (2 runs) |"
        ));
        assert!(text[gone..].contains("| Петров Алексей | missing-phone deal 205 |"));
        // A moment the history holds that is no date cannot break the table.
        let mut odd = sample::with_history();
        odd.history.as_mut().unwrap().fixed[0].since = "a | b".to_string();
        let odd = super::tests::text(&odd);
        assert!(odd.contains(r"since a \| b (2 runs) |"), "{odd}");
        // Without a history none of it.
        let plain = super::tests::text(&sample::report());
        assert!(!plain.contains("Status") && !plain.contains("Fixed since"));
    }

    #[test]
    fn deals_link_to_their_card() {
        let text = text(&sample::report());
        assert!(
            text.contains("[101 Радиаторы для дома](https://example.amocrm.ru/leads/detail/101)")
        );
        assert!(text.contains("[task T-1](https://example.amocrm.ru/leads/detail/101)"));
    }
}

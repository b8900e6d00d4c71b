//! The HTML format: one self-contained page a person opens from an e-mail
//! (no script, no external stylesheet, font or image): the totals, the
//! manager × rule summary with workload figures, a bar chart of violations
//! per manager stacked by rule (inline SVG), the deals to fix first, each
//! manager's violations, what could not be checked, the inputs and the
//! rules. Every piece of text is escaped; deals and tasks link to their
//! CRM card when the rule set has a `crm-url`.

use super::escape::{html, web_url};
use super::history::ViolationStatus;
use super::html_chart::{rule_color, svg, trend_svg};
use super::lang::{words, Words};
use super::{text, EntityKind, ManagerReport, Report};
use crate::history::Status;
use crate::lang::plural::Forms;
use crate::lang::Lang;
use crate::rules::Severity;
use std::io::Write;

const STYLE: &str = include_str!("html.css");

/// What a report with a history adds: the status badges, the status
/// column, the trend charts side by side.
const HISTORY_STYLE: &str = "\
.status { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; }
.status.new { background: #dbeafe; color: #1e40af; font-weight: 600; }
.status.open { background: #f3f4f6; color: var(--ink); }
col.status { width: 13%; }
.trends { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.trends figure { margin: 0; }
.trends figcaption { font-weight: 600; }
";

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let when = html(&text::as_of(report));
    let w = words(report.language);
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, r#"<html lang="{}">"#, w.lang.code())?;
    writeln!(out, "<head>")?;
    writeln!(out, r#"<meta charset="utf-8">"#)?;
    writeln!(
        out,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    )?;
    writeln!(
        out,
        r#"<meta name="generator" content="crm-audit {}">"#,
        html(report.tool.version)
    )?;
    writeln!(out, "<title>{}, {when}</title>", w.title)?;
    writeln!(out, "<style>\n{STYLE}</style>")?;
    if report.history.is_some() {
        writeln!(out, "<style>\n{HISTORY_STYLE}</style>")?;
    }
    writeln!(out, "</head>")?;
    writeln!(out, "<body>")?;
    writeln!(out, "<main>")?;
    write_header(report, &when, out)?;
    for warning in text::stale_warnings(report, w) {
        writeln!(out, r#"<p class="stale">{}</p>"#, html(&warning))?;
    }
    write_cards(report, out)?;
    write_notes(report, out)?;
    // What was not checked stands beside the totals, not under the lists.
    write_not_checked(report, out)?;
    write_summary(report, out)?;
    writeln!(out, r#"<section id="chart">"#)?;
    writeln!(out, "<h2>{}</h2>", w.violations_per_manager)?;
    writeln!(out, "{}", svg(report))?;
    writeln!(out, "</section>")?;
    write_trend(report, out)?;
    write_fix_first(report, out)?;
    write_managers(report, out)?;
    write_vanished(report, out)?;
    write_inputs(report, out)?;
    write_rules(report, out)?;
    writeln!(
        out,
        "<footer>{}</footer>",
        (w.footer)(
            &html(report.tool.version),
            &html(&text::as_of_shown(report, w))
        )
    )?;
    writeln!(out, "</main>")?;
    writeln!(out, "</body>")?;
    writeln!(out, "</html>")?;
    Ok(())
}

/// The page's header: title, time zone, rule set, the managers kept,
/// and links to the sections there are.
fn write_header(report: &Report, when: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    writeln!(out, "<header>")?;
    writeln!(out, "<h1>{}, {when}</h1>", w.title)?;
    writeln!(
        out,
        r#"<p class="muted">{} {} · {} {} · crm-audit {}</p>"#,
        text::upper_first(w.time_zone),
        html(&report.time_zone),
        w.rule_set.to_lowercase(),
        html(&report.rule_set.label(w)),
        html(report.tool.version)
    )?;
    if let Some(filter) = &report.manager_filter {
        let names: Vec<String> = filter.iter().map(|n| html(n)).collect();
        writeln!(out, "<p>{}: {}</p>", w.only_managers, names.join(", "))?;
    }
    // Links to the sections there are: Trend with a history's trend,
    // Fixed with a history or a baseline.
    let trend_link = format!(r##"<a href="#trend">{}</a>"##, w.trend);
    let fixed_link = format!(r##"<a href="#fixed">{}</a>"##, w.fixed);
    let (trend, fixed) = match &report.history {
        Some(h) if h.trend.is_some() => (trend_link.as_str(), fixed_link.as_str()),
        Some(_) => ("", fixed_link.as_str()),
        None => ("", ""),
    };
    writeln!(
        out,
        r##"<nav><a href="#summary">{}</a><a href="#chart">{}</a>{trend}<a href="#fix-first">{}</a><a href="#managers">{}</a>{fixed}<a href="#inputs">{}</a><a href="#rules">{}</a></nav>"##,
        w.summary, w.chart, w.fix_first, w.by_manager, w.inputs, w.rules
    )?;
    writeln!(out, "</header>")?;
    Ok(())
}

/// An anchor when the CRM link is a web address, else the text alone.
fn link(label: &str, url: Option<&str>) -> String {
    match url.and_then(web_url) {
        Some(url) => format!(r#"<a href="{}">{}</a>"#, html(url), html(label)),
        None => html(label),
    }
}

fn severity_badge(severity: Severity, w: &Words) -> String {
    format!(
        r#"<span class="sev {}">{}</span>"#,
        severity.as_str(),
        (w.severity)(severity)
    )
}

/// A violation's message, and under it the one-line fix of its rule.
fn fix_line(message: &str, fix: &str, w: &Words) -> String {
    if fix.is_empty() {
        return html(message);
    }
    format!(
        r#"{}<div class="fix">{}: {}</div>"#,
        html(message),
        w.how_to_fix,
        html(fix)
    )
}

fn rate_class(rate: f64) -> &'static str {
    if rate >= 0.8 {
        "good"
    } else if rate >= 0.5 {
        "fair"
    } else {
        "poor"
    }
}

fn manager_anchor(index: usize) -> String {
    format!("m-{}", index + 1)
}

fn write_cards(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let t = &report.totals;
    let w = words(report.language);
    writeln!(out, r#"<section class="cards">"#)?;
    let card = |out: &mut dyn Write, class: &str, value: String, label: &str| {
        writeln!(
            out,
            r#"<div class="card {class}"><b>{}</b><span>{}</span></div>"#,
            html(&value),
            html(label)
        )
    };
    // A Russian label agrees with its number (41 нарушение, 23 ошибки).
    let noun = |n: usize, forms: (Forms, &'static str, &'static str), en: &'static str| match w.lang
    {
        Lang::Ru => crate::lang::plural::plural(n as i64, forms.0),
        Lang::En => en,
    };
    card(
        out,
        "",
        t.violations.to_string(),
        noun(t.violations, w.violations, w.card_violations),
    )?;
    card(
        out,
        "error",
        t.errors.to_string(),
        noun(t.errors, w.errors, w.card_errors),
    )?;
    card(
        out,
        "warning",
        t.warnings.to_string(),
        noun(t.warnings, w.warnings, w.card_warnings),
    )?;
    card(
        out,
        "",
        format!(
            "{} {} {}",
            t.managers_with_violations,
            w.of,
            report.managers.len()
        ),
        w.card_managers,
    )?;
    if let Some(c) = super::history::total_changes(report) {
        card(out, "", c.new.to_string(), w.card_new)?;
        card(out, "", c.fixed.to_string(), w.card_fixed)?;
    }
    let deals = match w.lang {
        Lang::Ru => format!(
            "{} {}",
            crate::lang::plural::plural(t.deals_in_work as i64, w.deals.0),
            w.in_work_after
        ),
        Lang::En => w.card_deals.to_string(),
    };
    card(out, "", t.deals_in_work.to_string(), &deals)?;
    let unchecked: std::collections::BTreeSet<&str> =
        report.not_checked.iter().map(|n| n.rule).collect();
    if !unchecked.is_empty() {
        let n = unchecked.len();
        let label = match w.lang {
            Lang::Ru => crate::lang::plural::plural(n as i64, RULES_NOT_CHECKED),
            Lang::En => w.card_not_checked,
        };
        card(out, "unchecked", n.to_string(), label)?;
    }
    if let Some(rate) = t.compliance_rate {
        card(out, "", text::percent(rate, w), w.card_compliance)?;
    }
    writeln!(out, "</section>")?;
    Ok(())
}

/// Which form a count of rules not checked in full takes.
const RULES_NOT_CHECKED: Forms = Forms {
    one: "правило проверено не полностью",
    few: "правила проверены не полностью",
    many: "правил проверено не полностью",
};

/// A rule's count that is no clean zero: the rule did not run in full
/// and found nothing; grey, with a dash.
const UNCHECKED_CELL: &str = r#"<td class="n unchecked">—</td>"#;

fn count_cell(n: usize, severity: Severity) -> String {
    if n == 0 {
        r#"<td class="n zero">·</td>"#.to_string()
    } else {
        format!(r#"<td class="n {}">{n}</td>"#, severity.as_str())
    }
}

fn workload_cells(per_10: Option<f64>, rate: Option<f64>, w: &Words) -> String {
    let per_10 = per_10.map_or_else(|| "–".to_string(), |x| text::decimal(x, w));
    let rate = match rate {
        Some(r) => format!(
            r#"<td class="n {}">{}</td>"#,
            rate_class(r),
            text::percent(r, w)
        ),
        None => r#"<td class="n">–</td>"#.to_string(),
    };
    format!(r#"<td class="n">{per_10}</td>{rate}"#)
}

fn change_cells(c: &super::history::Changes) -> String {
    format!(
        r#"<td class="n">{}</td><td class="n">{}</td><td class="n">{}</td>"#,
        c.new, c.open, c.fixed
    )
}

fn status_badge(status: &ViolationStatus, w: &Words) -> String {
    let class = match status {
        Status::New => "new",
        Status::Open { .. } => "open",
    };
    format!(
        r#"<span class="status {class}">{}</span>"#,
        html(&text::status_label(status, w))
    )
}

/// The summary table's header row: the manager, the workload, tonight's
/// changes with a history, then each rule by its code.
fn write_summary_head(report: &Report, changes: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    write!(
        out,
        r#"<thead><tr><th>{}</th><th class="n">{}</th><th class="n">{}</th><th class="n">{}</th><th class="n">{}</th>"#,
        w.manager, w.violations_column, w.in_work, w.per_10_deals, w.compliance
    )?;
    if changes {
        write!(
            out,
            r#"<th class="n">{}</th><th class="n">{}</th><th class="n">{}</th>"#,
            w.new, w.open, w.fixed
        )?;
    }
    for rule in &report.rules {
        write!(
            out,
            r#"<th class="n" title="{0} {1}: {2}">{0}</th>"#,
            html(&rule.code),
            rule.name,
            html(&rule.summary),
        )?;
    }
    writeln!(out, "</tr></thead>")?;
    Ok(())
}

fn write_summary(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    writeln!(out, r#"<section id="summary">"#)?;
    writeln!(out, "<h2>{}</h2>", w.summary)?;
    // The words are the program's own: written as they are.
    writeln!(out, r#"<p class="muted">{}</p>"#, w.summary_lead)?;
    writeln!(out, r#"<div class="wide"><table class="summary">"#)?;
    let changes = super::history::total_changes(report);
    write_summary_head(report, changes.is_some(), out)?;
    writeln!(out, "<tbody>")?;
    for (i, m) in report.managers.iter().enumerate() {
        write!(
            out,
            r##"<tr><th><a href="#{}">{}</a></th><td class="n"><b>{}</b></td><td class="n">{}</td>{}"##,
            manager_anchor(i),
            html(text::manager(&m.name, w)),
            m.total,
            m.deals_in_work,
            workload_cells(m.violations_per_10_deals, m.compliance_rate, w)
        )?;
        if let Some(c) = m.changes.filter(|_| changes.is_some()) {
            write!(out, "{}", change_cells(&c))?;
        }
        for rule in &report.rules {
            let n = m.counts.get(rule.name).copied().unwrap_or(0);
            if report.unchecked_zero_for(rule.name, n, &m.name) {
                write!(out, "{UNCHECKED_CELL}")?;
            } else {
                write!(out, "{}", count_cell(n, rule.severity))?;
            }
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody>")?;
    let t = &report.totals;
    write!(
        out,
        r#"<tfoot><tr><th>{}</th><td class="n">{}</td><td class="n">{}</td>{}"#,
        w.total,
        t.violations,
        t.deals_in_work,
        workload_cells(t.violations_per_10_deals, t.compliance_rate, w)
    )?;
    if let Some(c) = changes {
        write!(out, "{}", change_cells(&c))?;
    }
    for rule in &report.rules {
        let n = t.by_rule.get(rule.name).copied().unwrap_or(0);
        if report.unchecked_zero(rule.name, n) {
            write!(out, "{UNCHECKED_CELL}")?;
        } else {
            write!(out, r#"<td class="n">{n}</td>"#)?;
        }
    }
    writeln!(out, "</tr></tfoot>")?;
    writeln!(out, "</table></div>")?;
    if report
        .rules
        .iter()
        .any(|r| report.unchecked_zero(r.name, 0))
    {
        writeln!(
            out,
            r##"<p class="muted"><a href="#not-checked">{}</a></p>"##,
            w.not_checked_legend
        )?;
    }
    writeln!(out, "</section>")?;
    Ok(())
}

fn write_fix_first(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    writeln!(out, r#"<section id="fix-first">"#)?;
    writeln!(out, "<h2>{}</h2>", w.fix_first)?;
    if report.fix_first.is_empty() {
        writeln!(out, r#"<p class="clean">{}</p>"#, w.no_deal_with_violation)?;
        writeln!(out, "</section>")?;
        return Ok(());
    }
    writeln!(out, r#"<p class="muted">{}</p>"#, w.fix_first_lead_html)?;
    writeln!(out, "<table>")?;
    writeln!(
        out,
        r#"<thead><tr><th class="n">#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class="n">{}</th><th>{}</th><th>{}</th></tr></thead>"#,
        w.deal, w.name, w.manager, w.stage, w.budget, w.severity_column, w.rules
    )?;
    writeln!(out, "<tbody>")?;
    for (i, deal) in report.fix_first.iter().enumerate() {
        writeln!(
            out,
            r#"<tr><td class="n">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td>{}</td><td>{}</td></tr>"#,
            i + 1,
            link(&deal.deal_id, deal.url.as_deref()),
            html(&deal.name),
            html(text::manager(&deal.manager, w)),
            html(&deal.stage),
            html(&deal.budget.map(|b| text::budget(b, w)).unwrap_or_default()),
            severity_badge(deal.severity, w),
            html(&deal.rules.join(", "))
        )?;
    }
    writeln!(out, "</tbody>")?;
    writeln!(out, "</table>")?;
    writeln!(out, "</section>")?;
    Ok(())
}

fn write_managers(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, r#"<section id="managers">"#)?;
    writeln!(out, "<h2>{}</h2>", words(report.language).by_manager)?;
    for (i, m) in report.managers.iter().enumerate() {
        write_manager(report, i, m, out)?;
    }
    writeln!(out, "</section>")?;
    Ok(())
}

fn write_manager(
    report: &Report,
    index: usize,
    m: &ManagerReport,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let w = words(report.language);
    writeln!(out, r#"<article id="{}">"#, manager_anchor(index))?;
    writeln!(out, "<h3>{}</h3>", html(text::manager(&m.name, w)))?;
    writeln!(
        out,
        r#"<p class="muted">{}</p>"#,
        html(&text::manager_line(m, w))
    )?;
    let violations: Vec<_> = report
        .violations
        .slice()
        .iter()
        .filter(|v| v.manager == m.name)
        .collect();
    if violations.is_empty() {
        writeln!(out, r#"<p class="clean">{}</p>"#, w.no_violations)?;
        writeln!(out, "</article>")?;
        return Ok(());
    }
    writeln!(out, r#"<table class="violations">"#)?;
    let history = report.history.is_some();
    if history {
        writeln!(
            out,
            r#"<colgroup><col class="rule"><col class="severity"><col class="entity"><col class="deal"><col class="stage"><col><col class="status"></colgroup>"#
        )?;
        writeln!(
            out,
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            w.rule, w.severity_column, w.entity, w.deal, w.stage, w.specifics, w.status
        )?;
    } else {
        writeln!(
            out,
            r#"<colgroup><col class="rule"><col class="severity"><col class="entity"><col class="deal"><col class="stage"><col></colgroup>"#
        )?;
        writeln!(
            out,
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            w.rule, w.severity_column, w.entity, w.deal, w.stage, w.specifics
        )?;
    }
    writeln!(out, "<tbody>")?;
    for v in violations {
        let deal = text::deal_of(&v.entity);
        let deal_cell = match (v.entity.kind, deal.id, deal.name) {
            (EntityKind::Deal, _, name) => html(name.unwrap_or("")),
            (_, Some(id), Some(name)) => format!("{} {}", html(id), html(name)),
            (_, Some(id), None) => html(id),
            _ => String::new(),
        };
        let status = match (&v.status, history) {
            (Some(status), true) => format!("<td>{}</td>", status_badge(status, w)),
            (None, true) => "<td></td>".to_string(),
            (_, false) => String::new(),
        };
        writeln!(
            out,
            r#"<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{status}</tr>"#,
            html(&v.code),
            v.rule,
            severity_badge(v.severity, w),
            link(&text::entity_label(&v.entity, w), v.entity.url.as_deref()),
            deal_cell,
            html(deal.stage.unwrap_or("")),
            fix_line(&v.message, report.fix_of(v.rule), w)
        )?;
    }
    writeln!(out, "</tbody>")?;
    writeln!(out, "</table>")?;
    writeln!(out, "</article>")?;
    Ok(())
}

/// The last run's violations fixed tonight, then apart from them those
/// gone from the inputs, which are not fixes.
fn write_vanished(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(history) = &report.history else {
        return Ok(());
    };
    let w = words(report.language);
    writeln!(out, r#"<section id="fixed">"#)?;
    writeln!(out, "<h2>{}</h2>", w.fixed_title)?;
    if history.fixed.is_empty() {
        writeln!(out, r#"<p class="muted">{}</p>"#, w.none)?;
    } else {
        vanished_table(&history.fixed, w, out)?;
    }
    if !history.gone.is_empty() {
        writeln!(out, "<h3>{}</h3>", w.gone_title)?;
        writeln!(out, r#"<p class="muted">{}</p>"#, html(w.gone_note))?;
        vanished_table(&history.gone, w, out)?;
    }
    if !history.not_judged.is_empty() {
        writeln!(out, "<h3>{}</h3>", w.not_judged_title)?;
        writeln!(out, r#"<p class="muted">{}</p>"#, html(w.not_judged_note))?;
        if let Some(why) = text::incomplete(history, w) {
            writeln!(out, r#"<p class="muted">{}</p>"#, html(&why))?;
        }
        vanished_table(&history.not_judged, w, out)?;
    }
    writeln!(out, "</section>")?;
    Ok(())
}

fn vanished_table(
    list: &[crate::history::Vanished],
    w: &Words,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out, "<table>")?;
    writeln!(
        out,
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        w.manager, w.violation, w.had_been_open
    )?;
    writeln!(out, "<tbody>")?;
    for v in list {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            html(text::manager(&v.manager, w)),
            html(&text::vanished_label(v, w)),
            html(&text::open_since(&v.since, v.runs, w))
        )?;
    }
    writeln!(out, "</tbody>")?;
    writeln!(out, "</table>")?;
    Ok(())
}

/// Violations per 10 deals in work over the last runs: the department's
/// chart, then one per manager on a shared scale.
fn write_trend(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(trend) = report.history.as_ref().and_then(|h| h.trend.as_ref()) else {
        return Ok(());
    };
    let w = words(report.language);
    writeln!(out, r#"<section id="trend">"#)?;
    writeln!(out, "<h2>{}</h2>", w.trend)?;
    writeln!(
        out,
        r#"<p class="muted">{}</p>"#,
        (w.trend_lead)(trend.department.len())
    )?;
    writeln!(out, r#"<div class="trends">"#)?;
    writeln!(
        out,
        "<figure><figcaption>{}</figcaption>{}</figure>",
        w.department,
        trend_svg(w.department, &trend.department, None, w)
    )?;
    let top = trend
        .managers
        .iter()
        .flat_map(|m| &m.runs)
        .filter_map(|p| p.per_10_deals)
        .fold(0.0, f64::max);
    for m in &trend.managers {
        let name = text::manager(&m.name, w);
        writeln!(
            out,
            "<figure><figcaption>{}</figcaption>{}</figure>",
            html(name),
            trend_svg(name, &m.runs, Some(top), w)
        )?;
    }
    writeln!(out, "</div>")?;
    writeln!(out, "</section>")?;
    Ok(())
}

/// What a reader should know about how the audit judged, at the top.
fn write_notes(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    if !report.notes.is_empty() {
        writeln!(out, r#"<section id="notes">"#)?;
        writeln!(out, "<h2>{}</h2>", words(report.language).notes)?;
        writeln!(out, "<ul>")?;
        for note in &report.notes {
            writeln!(out, "<li>{}</li>", html(note))?;
        }
        writeln!(out, "</ul>")?;
        writeln!(out, "</section>")?;
    }
    Ok(())
}

fn write_not_checked(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    if report.not_checked.is_empty() {
        return Ok(());
    }
    let w = words(report.language);
    writeln!(out, r#"<section id="not-checked">"#)?;
    writeln!(out, "<h2>{}</h2>", w.not_checked)?;
    writeln!(out, "<p>{}</p>", w.not_checked_lead)?;
    writeln!(out, "<ul>")?;
    for n in &report.not_checked {
        writeln!(out, "<li>{}: {}</li>", n.rule, html(&n.reason))?;
    }
    writeln!(out, "</ul>")?;
    writeln!(out, "</section>")?;
    Ok(())
}

fn write_inputs(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    writeln!(out, r#"<section id="inputs">"#)?;
    writeln!(out, "<h2>{}</h2>", w.inputs)?;
    writeln!(out, r#"<p class="muted">{}</p>"#, w.inputs_lead)?;
    writeln!(out, "<table>")?;
    writeln!(
        out,
        r#"<thead><tr><th>{}</th><th>{}</th><th>{}</th><th class="n">{}</th><th class="n">{}</th><th>{}</th></tr></thead>"#,
        w.file, w.kind, w.read_as, w.rows, w.audited, w.skipped
    )?;
    writeln!(out, "<tbody>")?;
    for input in &report.inputs {
        let skipped = match text::skipped_count(input) {
            0 => "0".to_string(),
            n => format!("{n}: {}", text::skipped(input, w)),
        };
        writeln!(
            out,
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
            html(&input.path),
            (w.input_kind)(input.kind),
            html(&text::input_format(input, w)),
            input.rows,
            input.audited,
            html(&skipped)
        )?;
    }
    writeln!(out, "</tbody>")?;
    writeln!(out, "</table>")?;
    let notes: Vec<String> = text::input_notes(report)
        .map(|(path, note)| format!("<li>{}: {}</li>", html(path), html(note)))
        .collect();
    if !notes.is_empty() {
        writeln!(out, "<ul>{}</ul>", notes.join(""))?;
    }
    if !report.snapshots.is_empty() {
        writeln!(
            out,
            "<p>{} (<code>crm-audit pull</code>):</p>",
            w.snapshots_heading
        )?;
        let items: Vec<String> = report
            .snapshots
            .iter()
            .map(|s| format!("<li>{}</li>", html(&s.line(w))))
            .collect();
        writeln!(out, "<ul>{}</ul>", items.join(""))?;
    }
    if !report.not_read.is_empty() {
        writeln!(out, "<p>{}:</p>", w.not_read_heading)?;
        let items: Vec<String> = report
            .not_read
            .iter()
            .map(|f| format!("<li>{}: {}</li>", html(&f.path), html(&f.reason)))
            .collect();
        writeln!(out, "<ul>{}</ul>", items.join(""))?;
    }
    if !report.waivers.is_empty() {
        writeln!(out, "<h3>{}</h3>", w.waivers)?;
        writeln!(out, "<ul>")?;
        for waiver in &report.waivers {
            writeln!(out, "<li>{}</li>", html(&text::waiver_line(waiver, w)))?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</section>")?;
    Ok(())
}

fn write_rules(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let w = words(report.language);
    writeln!(out, r#"<section id="rules">"#)?;
    writeln!(out, "<h2>{}</h2>", w.rules)?;
    writeln!(out, "<table>")?;
    writeln!(
        out,
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        w.code, w.rule, w.clause, w.severity_column, w.checks
    )?;
    writeln!(out, "<tbody>")?;
    for (i, r) in report.rules.iter().enumerate() {
        writeln!(
            out,
            r#"<tr><td><span class="swatch" style="background:{}"></span>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            rule_color(i),
            html(&r.code),
            r.name,
            html(&r.clause),
            severity_badge(r.severity, w),
            html(&r.summary)
        )?;
    }
    writeln!(out, "</tbody>")?;
    writeln!(out, "</table>")?;
    writeln!(out, "</section>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

    fn page(report: &Report) -> String {
        let mut out = Vec::new();
        write(report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn what_was_not_checked_stands_at_the_top_and_its_zeros_are_grey_dashes() {
        // The sample's daily-call-quota was not checked in full; Иванова
        // has no quota violation, which is no clean zero.
        let page = page(&sample::report());
        let not_checked = page.find(r#"<section id="not-checked">"#).unwrap();
        let summary = page.find(r#"<section id="summary">"#).unwrap();
        assert!(not_checked < summary);
        assert!(page.contains(
            r#"<div class="card unchecked"><b>1</b><span>rules not checked in full</span></div>"#
        ));
        assert!(page.contains(r#"<td class="n unchecked">—</td>"#));
        assert!(page.contains("— not checked, or checked only in part"));
    }

    #[test]
    fn each_violation_says_how_to_fix_it() {
        let report = sample::report();
        let page = page(&report);
        for v in report.violations.slice() {
            assert!(
                page.contains(&format!(
                    r#"{}<div class="fix">How to fix: {} fix</div>"#,
                    html(&v.message),
                    v.rule
                )),
                "{page}"
            );
        }
    }

    #[test]
    fn a_script_in_a_deal_name_is_text() {
        let page = page(&sample::with_deal_name("<script>alert(1)</script>"));
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn quotes_cannot_leave_an_attribute() {
        let mut report = sample::report();
        report.managers[0].name = "\" onmouseover=\"alert(1)".to_string();
        let page = page(&report);
        assert!(!page.contains("\" onmouseover"), "{page}");
    }

    #[test]
    fn self_contained_with_a_chart_and_links() {
        let page = page(&sample::report());
        assert!(page.contains("<svg"));
        assert!(page.contains(r#"<a href="https://example.amocrm.ru/leads/detail/101">"#));
        for external in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!page.contains(external), "{external}");
        }
        for text in [
            "Петров Алексей",
            "Иванова Мария",
            "No violations.",
            "deals.csv",
        ] {
            assert!(page.contains(text), "{text}");
        }
    }

    #[test]
    fn a_history_adds_badges_counts_trend_charts_and_the_fixed_apart_from_the_gone() {
        let page = page(&sample::with_history());
        assert!(page.contains(r#"<span class="status open">open since 25.11.2026 (3 runs)</span>"#));
        assert_eq!(
            page.matches(r#"<span class="status new">new</span>"#)
                .count(),
            2
        );
        assert!(page.contains("<th>Status</th>"));
        assert!(page
            .contains(r#"<th class="n">New</th><th class="n">Open</th><th class="n">Fixed</th>"#));
        // Петров: 2 new, 1 open, 0 fixed; Иванова: 0, 0, 1.
        assert!(page.contains(r#"<td class="n">2</td><td class="n">1</td><td class="n">0</td>"#));
        assert!(page.contains(r#"<td class="n">0</td><td class="n">0</td><td class="n">1</td>"#));
        let fixed = page.find(r#"<section id="fixed">"#).unwrap();
        let gone = page.find("Gone from the inputs (not fixes)").unwrap();
        assert!(page[fixed..gone].contains("overdue-task task T-9 (deal 102)"));
        assert!(!page[fixed..gone].contains("missing-phone deal 205"));
        assert!(page[gone..].contains("missing-phone deal 205"));
        // The department's chart and one per manager, inline.
        let trend = page.find(r#"<section id="trend">"#).unwrap();
        assert_eq!(page[trend..].matches("<figure>").count(), 3);
        for external in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!page.contains(external), "{external}");
        }
        assert!(page.contains(r##"<a href="#trend">Trend</a>"##));
        // A baseline has no trend: no link to one.
        let mut baseline = sample::with_history();
        baseline.history.as_mut().unwrap().trend = None;
        let baseline = super::tests::page(&baseline);
        assert!(!baseline.contains("#trend") && baseline.contains(r##"<a href="#fixed">"##));
        let plain = super::tests::page(&sample::report());
        assert!(!plain.contains("status") && !plain.contains(r#"id="trend""#));
    }

    #[test]
    fn only_web_links_are_followed() {
        let mut report = sample::report();
        report.violations.to_mut()[1].entity.url = Some("javascript:alert(1)".to_string());
        assert!(!page(&report).contains("javascript:"));
    }

    #[test]
    fn the_trend_of_no_manager_is_labelled_in_the_reports_language() {
        // A deal with no responsible gives the trend a line of its own,
        // under the audit's name for no one: its chart's label and
        // tooltip say it as the rest of the page does.
        let mut report = sample::with_history();
        report.language = crate::lang::Lang::Ru;
        let trend = report.history.as_mut().unwrap().trend.as_mut().unwrap();
        trend.managers[1].name = crate::model::UNASSIGNED.to_string();
        let page = page(&report);
        let trend = page.find(r#"<section id="trend">"#).unwrap();
        assert!(
            page[trend..].contains(
                r#"aria-label="(не назначен): нарушения на 10 сделок в работе по запускам""#
            ),
            "{}",
            &page[trend..]
        );
        assert!(!page[trend..].contains("unassigned"));
    }

    #[test]
    fn the_footer_writes_the_audit_moment_as_its_reader_does() {
        let mut report = sample::report();
        assert!(page(&report)
            .contains("from the inputs listed above, as of 2026-11-27T02:00:00+03:00.</footer>"));
        report.language = crate::lang::Lang::Ru;
        assert!(page(&report)
            .contains("по входным файлам, перечисленным выше, на 27.11.2026 02:00.</footer>"));
    }
}

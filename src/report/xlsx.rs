//! The XLSX format, for a head of sales who lives in Excel: a Summary sheet
//! (a row per manager, worst first, a column per rule, totals, deals in
//! work, violations per 10 deals and the compliance rate, coloured), a
//! Violations sheet (every violation with a link to its CRM card, filtered
//! and frozen), a Fix first sheet, an Inputs sheet (what was read and
//! skipped) and an About sheet (the audit moment, the rule set, what could
//! not be checked, the rules). Dates are real dates.
//!
//! Text from the exports is written as text, quote-prefixed where Excel
//! would take it for a formula. The workbook's creation time is the audit
//! moment, so the same inputs give the same bytes.

use super::guard::looks_like_formula;
use super::lang::{words, Words};
use super::{text, Report};
use crate::history::Status;
use crate::lang::Lang;
use crate::rules::Severity;
use rust_xlsxwriter::{
    Color, ConditionalFormat2ColorScale, ConditionalFormat3ColorScale, ConditionalFormatCell,
    ConditionalFormatCellRule, ConditionalFormatType, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Url, Workbook, Worksheet, XlsxError,
};
use std::io::Write;

/// The Summary sheet's header row (zero-based); managers follow it.
pub const SUMMARY_HEADER_ROW: u32 = 3;
/// Autofit stops at this many pixels; longer text runs on.
/// The workbook's sheets in `lang`, in order: how a report left among
/// the exports is told from an export (`input::sheet_source`).
pub fn sheets(lang: Lang) -> [&'static str; 5] {
    let [summary, violations, _, _, fix_first, inputs, about] = words(lang).sheets;
    [summary, violations, fix_first, inputs, about]
}

/// The sheets a report with a history adds after Violations (a baseline's,
/// Fixed alone: it has no trend).
pub fn history_sheets(lang: Lang) -> [&'static str; 2] {
    let [_, _, fixed, trend, ..] = words(lang).sheets;
    [fixed, trend]
}

/// Whether a workbook with these sheets is one of this tool's reports,
/// in any language, with a history's sheets or without.
pub fn is_report(names: &[String]) -> bool {
    Lang::ALL.into_iter().any(|lang| {
        let base: Vec<&String> = names
            .iter()
            .filter(|n| !history_sheets(lang).contains(&n.as_str()))
            .collect();
        base == sheets(lang)
    })
}
const MAX_WIDTH: u32 = 420;
/// The longest text an Excel cell holds.
const MAX_CELL_CHARS: usize = 32_767;

const ERROR_FILL: &str = "FDE2E2";
const ERROR_FONT: &str = "9C0006";
const WARNING_FILL: &str = "FEF3C7";
const WARNING_FONT: &str = "7A4A00";

/// The formats the sheets share.
struct Styles {
    title: Format,
    header: Format,
    text_guarded: Format,
    date: Format,
    datetime: Format,
    money: Format,
    count: Format,
    decimal: Format,
    percent: Format,
    total_label: Format,
    total_count: Format,
    total_decimal: Format,
    total_percent: Format,
    bold: Format,
    /// A rule's zero that is no clean zero (not checked in full): grey.
    unchecked: Format,
    /// Long text (a message, a fix, a reason): wrapped in its column.
    wrapped: Format,
    wrapped_guarded: Format,
}

impl Styles {
    fn new() -> Styles {
        let total = Format::new().set_bold().set_border_top(FormatBorder::Thin);
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color("E5E7EB")
                .set_border_bottom(FormatBorder::Thin),
            text_guarded: Format::new().set_quote_prefix(),
            wrapped: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            wrapped_guarded: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_quote_prefix(),
            date: Format::new().set_num_format("dd.mm.yyyy"),
            datetime: Format::new().set_num_format("dd.mm.yyyy hh:mm"),
            money: Format::new().set_num_format("#,##0"),
            count: Format::new().set_num_format("0;-0;\"·\""),
            decimal: Format::new().set_num_format("0.0"),
            percent: Format::new().set_num_format("0.0%"),
            unchecked: Format::new()
                .set_background_color("D9D9D9")
                .set_font_color("595959")
                .set_align(FormatAlign::Right),
            total_label: total.clone(),
            total_count: total.clone().set_num_format("0"),
            total_decimal: total.clone().set_num_format("0.0"),
            total_percent: total.set_num_format("0.0%"),
            bold: Format::new().set_bold(),
        }
    }

    fn severity(severity: Severity) -> Format {
        match severity {
            Severity::Error => Format::new()
                .set_background_color(ERROR_FILL)
                .set_font_color(ERROR_FONT),
            Severity::Warning => Format::new()
                .set_background_color(WARNING_FILL)
                .set_font_color(WARNING_FONT),
            Severity::Info => Format::new(),
        }
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let styles = Styles::new();
    let w = words(report.language);
    let mut workbook = Workbook::new();
    let mut properties = DocProperties::new()
        .set_title(format!("{}, {}", w.title, text::as_of(report)))
        .set_author(format!("crm-audit {}", report.tool.version));
    if let Some(created) = creation_time(report) {
        properties = properties.set_creation_datetime(&created);
    }
    workbook.set_properties(&properties);
    workbook.push_worksheet(summary(report, &styles)?);
    workbook.push_worksheet(violations(report, &styles)?);
    if let Some(history) = &report.history {
        workbook.push_worksheet(fixed(report, &styles)?);
        if let Some(trend) = &history.trend {
            workbook.push_worksheet(trend_sheet(trend, w, &styles)?);
        }
    }
    workbook.push_worksheet(fix_first(report, &styles)?);
    workbook.push_worksheet(inputs(report, &styles)?);
    workbook.push_worksheet(about(report, &styles)?);
    out.write_all(&workbook.save_to_buffer()?)?;
    Ok(())
}

/// The audit moment in UTC, as the document properties keep it.
fn creation_time(report: &Report) -> Option<ExcelDateTime> {
    let utc = chrono::DateTime::parse_from_rfc3339(&report.as_of)
        .ok()?
        .naive_utc();
    excel_datetime(utc)
}

/// `t` as an Excel date, where Excel has one: a day of 1900 to 9999.
/// Before or after (a year typed `1026`, a placeholder `01.01.0001`) there
/// is none, and the caller writes text instead of failing the workbook.
fn excel_datetime(t: chrono::NaiveDateTime) -> Option<ExcelDateTime> {
    use chrono::{Datelike, Timelike};
    // Checked before the narrowing casts: year 67436 would wrap to 1900.
    if !(1900..=9999).contains(&t.year()) {
        return None;
    }
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)
        .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second()))
        .ok()
}

/// Writes `t` as a real date in `format` (`styles.date` or
/// `styles.datetime`), or, outside Excel's range, as the text the other
/// formats show (`26.11.1026 10:00`, `01.01.0001`): one odd date in the
/// exports must not cost the night its workbook.
fn put_moment(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    t: chrono::NaiveDateTime,
    timed: bool,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let format = if timed {
        &styles.datetime
    } else {
        &styles.date
    };
    match excel_datetime(t) {
        Some(date) => sheet.write_datetime_with_format(row, col, date, format)?,
        None if timed => sheet.write_string(row, col, t.format("%d.%m.%Y %H:%M").to_string())?,
        None => sheet.write_string(row, col, t.format("%d.%m.%Y").to_string())?,
    };
    Ok(())
}

/// Writes text from the exports: quote-prefixed when it looks like a
/// formula, cut to what a cell holds.
/// A text cut to what a cell holds.
fn cut_cell(value: &str) -> &str {
    match value.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => &value[..cut],
        None => value,
    }
}

/// The managers a Trend sheet has columns for (a sheet has 16,384
/// columns; the first two hold the run, the third the department).
const MAX_TREND_MANAGERS: usize = 16_000;

fn put_text(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    col: u16,
    value: &str,
) -> Result<(), XlsxError> {
    let value = cut_cell(value);
    if value.is_empty() {
        return Ok(());
    }
    if looks_like_formula(value) {
        sheet.write_string_with_format(row, col, value, &styles.text_guarded)?;
    } else {
        sheet.write_string(row, col, value)?;
    }
    Ok(())
}

/// Long text in a cell of a column `WRAPPED_WIDTH` wide, wrapped there
/// instead of running across the sheet.
fn put_wrapped(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    col: u16,
    value: &str,
) -> Result<(), XlsxError> {
    let value = match value.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => &value[..cut],
        None => value,
    };
    if value.is_empty() {
        return Ok(());
    }
    let format = if looks_like_formula(value) {
        &styles.wrapped_guarded
    } else {
        &styles.wrapped
    };
    sheet.write_string_with_format(row, col, value, format)?;
    Ok(())
}

/// The width, in characters, of a column of long text.
const WRAPPED_WIDTH: f64 = 60.0;

/// A link to a CRM card, or nothing when there is no web address.
fn put_link(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    url: Option<&str>,
    w: &Words,
) -> Result<(), XlsxError> {
    if let Some(url) = url.and_then(super::escape::web_url) {
        if sheet
            .write_url_with_text(row, col, Url::new(url), w.open_card)
            .is_err()
        {
            sheet.write_string(row, col, url)?;
        }
    }
    Ok(())
}

fn put_header(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    names: &[String],
) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, name, &styles.header)?;
    }
    Ok(())
}

/// Columns fitted to their text; printed landscape, one page wide.
fn finish(sheet: &mut Worksheet) {
    sheet.set_autofit_max_width(MAX_WIDTH);
    sheet.autofit();
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
}

/// A sheet named `name` listing one thing a row under the header `names`.
fn list_sheet(name: &str, names: &[String], styles: &Styles) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(name)?;
    put_header(&mut sheet, styles, 0, names)?;
    Ok(sheet)
}

/// A list's last touches: a filter over its `columns` down to `last_row`,
/// the header frozen, the columns fitted.
fn finish_list(sheet: &mut Worksheet, last_row: u32, columns: usize) -> Result<(), XlsxError> {
    sheet.autofilter(0, 0, last_row, columns as u16 - 1)?;
    sheet.set_freeze_panes(1, 0)?;
    finish(sheet);
    Ok(())
}

fn summary(report: &Report, styles: &Styles) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    let w = words(report.language);
    sheet.set_name(w.sheets[0])?;
    summary_heading(&mut sheet, report, styles)?;
    let mut names = vec![w.manager.to_string()];
    names.extend(
        report
            .rules
            .iter()
            .map(|r| format!("{} {}", r.code, r.name)),
    );
    names.extend(w.xlsx_summary.map(String::from));
    let header = SUMMARY_HEADER_ROW;
    put_header(&mut sheet, styles, header, &names)?;
    let c = SummaryColumns::after(report.rules.len() as u16);
    let mut row = header;
    for m in &report.managers {
        row += 1;
        summary_manager_row(&mut sheet, report, styles, &c, row, m)?;
    }
    let last_manager = row;
    summary_total_row(&mut sheet, report, styles, &c, last_manager + 1)?;
    if last_manager > header {
        summary_colours(&mut sheet, report, &c, header + 1, last_manager)?;
    }
    let mut last_col = c.rate;
    if let Some(total) = super::history::total_changes(report) {
        let first = c.rate + 1;
        for (i, name) in [w.new, w.open, w.fixed].into_iter().enumerate() {
            sheet.write_string_with_format(header, first + i as u16, name, &styles.header)?;
        }
        for (i, m) in report.managers.iter().enumerate() {
            if let Some(m) = m.changes {
                for (j, n) in [m.new, m.open, m.fixed].into_iter().enumerate() {
                    sheet.write_number(header + 1 + i as u32, first + j as u16, n as f64)?;
                }
            }
        }
        for (j, n) in [total.new, total.open, total.fixed].into_iter().enumerate() {
            sheet.write_number_with_format(
                last_manager + 1,
                first + j as u16,
                n as f64,
                &styles.total_count,
            )?;
        }
        last_col = first + 2;
    }
    if report
        .rules
        .iter()
        .any(|r| report.unchecked_zero(r.name, 0))
    {
        // Two rows under the totals, so the autofilter's table stays whole.
        sheet.write_string(last_manager + 3, 0, w.not_checked_legend)?;
    }
    sheet.autofilter(header, 0, last_manager, last_col)?;
    sheet.set_freeze_panes(header + 1, 1)?;
    finish(&mut sheet);
    summary_widths(&mut sheet, report)?;
    Ok(sheet)
}

/// The summary's columns after the manager's and the rules' own.
struct SummaryColumns {
    errors: u16,
    warnings: u16,
    total: u16,
    deals: u16,
    per_10: u16,
    rate: u16,
}

impl SummaryColumns {
    fn after(rules: u16) -> SummaryColumns {
        SummaryColumns {
            errors: rules + 1,
            warnings: rules + 2,
            total: rules + 3,
            deals: rules + 4,
            per_10: rules + 5,
            rate: rules + 6,
        }
    }
}

/// The title, the totals line, and under it the stale inputs' warning.
fn summary_heading(
    sheet: &mut Worksheet,
    report: &Report,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let w = words(report.language);
    let t = &report.totals;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "{}, {} ({})",
            w.title,
            text::as_of(report),
            report.time_zone
        ),
        &styles.title,
    )?;
    put_text(
        sheet,
        styles,
        1,
        0,
        &(w.xlsx_totals)(
            &w.count(t.violations, w.violations),
            &text::severity_counts(t.errors, t.warnings, t.infos, w),
            &(w.managers_with_violations)(t.managers_with_violations, report.managers.len()),
            &report.rule_set.label(w),
        ),
    )?;
    // The row between the totals line and the table: the stale inputs.
    let warnings = text::stale_warnings(report, w);
    if !warnings.is_empty() {
        let format = Styles::severity(Severity::Error).set_bold();
        sheet.write_string_with_format(2, 0, warnings.join(" "), &format)?;
    }
    Ok(())
}

/// One manager's row: counts per rule (a dash where a rule did not run
/// in full and found nothing), per severity, and the workload.
fn summary_manager_row(
    sheet: &mut Worksheet,
    report: &Report,
    styles: &Styles,
    c: &SummaryColumns,
    row: u32,
    m: &super::ManagerReport,
) -> Result<(), XlsxError> {
    let w = words(report.language);
    put_text(sheet, styles, row, 0, text::manager(&m.name, w))?;
    for (i, rule) in report.rules.iter().enumerate() {
        let n = m.counts.get(rule.name).copied().unwrap_or(0);
        if report.unchecked_zero_for(rule.name, n, &m.name) {
            sheet.write_string_with_format(row, i as u16 + 1, "—", &styles.unchecked)?;
        } else if report.unchecked_zero(rule.name, 0) {
            // Coloured here: a conditional format would take the dash
            // (text) for more than 0.
            let format = Styles::severity(rule.severity).set_num_format("0");
            sheet.write_number_with_format(row, i as u16 + 1, n as f64, &format)?;
        } else {
            sheet.write_number_with_format(row, i as u16 + 1, n as f64, &styles.count)?;
        }
    }
    sheet.write_number(row, c.errors, m.errors as f64)?;
    sheet.write_number(row, c.warnings, m.warnings as f64)?;
    sheet.write_number_with_format(row, c.total, m.total as f64, &styles.bold)?;
    sheet.write_number(row, c.deals, m.deals_in_work as f64)?;
    if let Some(x) = m.violations_per_10_deals {
        sheet.write_number_with_format(row, c.per_10, x, &styles.decimal)?;
    }
    if let Some(x) = m.compliance_rate {
        sheet.write_number_with_format(row, c.rate, x, &styles.percent)?;
    }
    Ok(())
}

/// The department's row under the managers'.
fn summary_total_row(
    sheet: &mut Worksheet,
    report: &Report,
    styles: &Styles,
    c: &SummaryColumns,
    row: u32,
) -> Result<(), XlsxError> {
    let w = words(report.language);
    let t = &report.totals;
    sheet.write_string_with_format(row, 0, w.total, &styles.total_label)?;
    for (i, rule) in report.rules.iter().enumerate() {
        let n = t.by_rule.get(rule.name).copied().unwrap_or(0);
        if report.unchecked_zero(rule.name, n) {
            sheet.write_string_with_format(row, i as u16 + 1, "—", &styles.unchecked)?;
        } else {
            sheet.write_number_with_format(row, i as u16 + 1, n as f64, &styles.total_count)?;
        }
    }
    for (col, n) in [
        (c.errors, t.errors),
        (c.warnings, t.warnings),
        (c.total, t.violations),
        (c.deals, t.deals_in_work),
    ] {
        sheet.write_number_with_format(row, col, n as f64, &styles.total_count)?;
    }
    match t.violations_per_10_deals {
        Some(x) => sheet.write_number_with_format(row, c.per_10, x, &styles.total_decimal)?,
        None => sheet.write_blank(row, c.per_10, &styles.total_label)?,
    };
    match t.compliance_rate {
        Some(x) => sheet.write_number_with_format(row, c.rate, x, &styles.total_percent)?,
        None => sheet.write_blank(row, c.rate, &styles.total_label)?,
    };
    Ok(())
}

/// Colours the managers' rows `first..=last` in Excel itself, so they
/// follow an edited count: a rule's count above 0 in its severity's
/// colour, the violations per 10 deals from white to red, the compliance
/// rate from red through yellow to green.
fn summary_colours(
    sheet: &mut Worksheet,
    report: &Report,
    c: &SummaryColumns,
    first: u32,
    last: u32,
) -> Result<(), XlsxError> {
    for (i, rule) in report.rules.iter().enumerate() {
        if report.unchecked_zero(rule.name, 0) {
            continue;
        }
        let col = i as u16 + 1;
        let colour = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(0))
            .set_format(Styles::severity(rule.severity));
        sheet.add_conditional_format(first, col, last, col, &colour)?;
    }
    for (col, severity) in [(c.errors, Severity::Error), (c.warnings, Severity::Warning)] {
        let colour = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(0))
            .set_format(Styles::severity(severity));
        sheet.add_conditional_format(first, col, last, col, &colour)?;
    }
    let per_10 = ConditionalFormat2ColorScale::new()
        .set_minimum_color(Color::White)
        .set_maximum_color("F8696B");
    sheet.add_conditional_format(first, c.per_10, last, c.per_10, &per_10)?;
    let rate = ConditionalFormat3ColorScale::new()
        .set_minimum(ConditionalFormatType::Number, 0)
        .set_midpoint(ConditionalFormatType::Number, 0.5)
        .set_maximum(ConditionalFormatType::Number, 1)
        .set_minimum_color("F8696B")
        .set_midpoint_color("FFEB84")
        .set_maximum_color("63BE7B");
    sheet.add_conditional_format(first, c.rate, last, c.rate, &rate)?;
    Ok(())
}

/// The title and the totals line run across; the columns fit the table.
fn summary_widths(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    let widest_name = report
        .managers
        .iter()
        .map(|m| m.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(10);
    sheet.set_column_width(0, widest_name as f64 + 4.0)?;
    for (i, rule) in report.rules.iter().enumerate() {
        let width = rule.name.len().max(rule.code.len() + 4) as f64 + 2.0;
        sheet.set_column_width(i as u16 + 1, width.min(16.0))?;
    }
    sheet.set_row_height(SUMMARY_HEADER_ROW, 45)?;
    Ok(())
}

fn violations(report: &Report, styles: &Styles) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    let w = words(report.language);
    sheet.set_name(w.sheets[1])?;
    let mut names = w.xlsx_violations.map(String::from).to_vec();
    let history = report.history.is_some();
    if history {
        names.extend(w.xlsx_history.map(String::from));
    }
    // The fix last, so the columns scripts read by position do not move.
    let fix_col = names.len() as u16;
    names.push(w.how_to_fix.to_string());
    put_header(&mut sheet, styles, 0, &names)?;
    let mut row = 0;
    for v in report.violations.slice() {
        row += 1;
        let deal = text::deal_of(&v.entity);
        put_text(&mut sheet, styles, row, 0, text::manager(&v.manager, w))?;
        put_text(&mut sheet, styles, row, 1, &v.code)?;
        sheet.write_string(row, 2, v.rule)?;
        put_text(&mut sheet, styles, row, 3, &v.clause)?;
        sheet.write_string_with_format(
            row,
            4,
            (w.severity)(v.severity),
            &Styles::severity(v.severity),
        )?;
        sheet.write_string(row, 5, kind_word(v.entity.kind, w))?;
        put_text(&mut sheet, styles, row, 6, &v.entity.id)?;
        put_text(&mut sheet, styles, row, 7, deal.id.unwrap_or(""))?;
        put_text(&mut sheet, styles, row, 8, deal.name.unwrap_or(""))?;
        put_text(&mut sheet, styles, row, 9, deal.stage.unwrap_or(""))?;
        if let Some(budget) = v.entity.budget {
            sheet.write_number_with_format(row, 10, budget, &styles.money)?;
        }
        if let Some((moment, timed)) = v.details.when() {
            put_moment(&mut sheet, row, 11, moment, timed, styles)?;
        }
        put_wrapped(&mut sheet, styles, row, 12, &v.message)?;
        put_link(&mut sheet, row, 13, v.entity.url.as_deref(), w)?;
        if let Some(source) = &v.source {
            put_text(&mut sheet, styles, row, 14, &source.file)?;
            sheet.write_number(row, 15, source.row as f64)?;
        }
        sheet.write_string(row, 16, &v.fingerprint)?;
        match v.status.as_ref().filter(|_| history) {
            Some(Status::New) => {
                sheet.write_string(row, 17, w.status_new)?;
            }
            Some(Status::Open { since, runs }) => {
                sheet.write_string(row, 17, w.status_open)?;
                put_day(&mut sheet, styles, row, 18, since)?;
                sheet.write_number(row, 19, f64::from(*runs))?;
            }
            None => {}
        }
        put_wrapped(&mut sheet, styles, row, fix_col, report.fix_of(v.rule))?;
    }
    finish_list(&mut sheet, row, names.len())?;
    sheet.set_column_width(11, 16)?;
    sheet.set_column_width(12, WRAPPED_WIDTH)?;
    sheet.set_column_width(fix_col, WRAPPED_WIDTH)?;
    Ok(sheet)
}

/// A run's audit moment (RFC 3339) as its company-local day, a real
/// date; the text as it is when it is not one.
fn put_day(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    col: u16,
    moment: &str,
) -> Result<(), XlsxError> {
    match chrono::DateTime::parse_from_rfc3339(moment) {
        Ok(t) => {
            let day = t.naive_local().date().and_time(chrono::NaiveTime::MIN);
            put_moment(sheet, row, col, day, false, styles)?;
        }
        Err(_) => put_text(sheet, styles, row, col, moment)?,
    }
    Ok(())
}

/// A record's kind as a sheet names it: the English workbook as the JSON
/// does (`task`), the Russian one in the reader's word (`задача`).
fn kind_word(kind: super::EntityKind, w: &Words) -> &'static str {
    match w.lang {
        Lang::En => kind.as_str(),
        Lang::Ru => (w.entity_kind)(kind),
    }
}

/// The last run's violations fixed tonight, per manager, with how long
/// they had been open; below them, apart, those gone from the inputs.
fn fixed(report: &Report, styles: &Styles) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    let w = words(report.language);
    sheet.set_name(w.sheets[2])?;
    let names = w.xlsx_fixed.map(String::from);
    let empty = Vec::new();
    let (fixed, gone, not_judged) = report
        .history
        .as_ref()
        .map_or((&empty, &empty, &empty), |h| {
            (&h.fixed, &h.gone, &h.not_judged)
        });
    sheet.write_string_with_format(0, 0, w.fixed_title, &styles.title)?;
    put_header(&mut sheet, styles, 1, &names)?;
    let mut row = 1;
    let put = |sheet: &mut Worksheet, row: u32, v: &crate::history::Vanished| {
        put_text(sheet, styles, row, 0, text::manager(&v.manager, w))?;
        put_text(sheet, styles, row, 1, &v.rule)?;
        put_text(sheet, styles, row, 2, kind_word(v.entity_kind, w))?;
        put_text(sheet, styles, row, 3, &v.entity_id)?;
        put_text(sheet, styles, row, 4, v.deal_id.as_deref().unwrap_or(""))?;
        put_day(sheet, styles, row, 5, &v.since)?;
        sheet.write_number(row, 6, f64::from(v.runs))?;
        Ok::<_, XlsxError>(())
    };
    for v in fixed {
        row += 1;
        put(&mut sheet, row, v)?;
    }
    if fixed.is_empty() {
        row += 1;
        sheet.write_string(row, 0, w.xlsx_none)?;
    }
    if !gone.is_empty() {
        row += 2;
        sheet.write_string_with_format(row, 0, w.gone_title, &styles.title)?;
        row += 1;
        sheet.write_string(row, 0, w.gone_note)?;
        row += 1;
        put_header(&mut sheet, styles, row, &names)?;
        for v in gone {
            row += 1;
            put(&mut sheet, row, v)?;
        }
    }
    if !not_judged.is_empty() {
        row += 2;
        sheet.write_string_with_format(row, 0, w.not_judged_title, &styles.title)?;
        row += 1;
        sheet.write_string(row, 0, w.not_judged_note)?;
        if let Some(why) = report.history.as_ref().and_then(|h| text::incomplete(h, w)) {
            row += 1;
            sheet.write_string(row, 0, why)?;
        }
        row += 1;
        put_header(&mut sheet, styles, row, &names)?;
        for v in not_judged {
            row += 1;
            put(&mut sheet, row, v)?;
        }
    }
    finish(&mut sheet);
    sheet.set_column_width(0, 24)?;
    Ok(sheet)
}

/// A row per run of the trend, oldest first: violations per 10 deals in
/// work of the department and of each manager (a column each).
fn trend_sheet(
    trend: &super::history::Trend,
    w: &Words,
    styles: &Styles,
) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(w.sheets[3])?;
    sheet.write_string_with_format(0, 0, w.xlsx_trend_title, &styles.title)?;
    let mut names = w.xlsx_trend.map(String::from).to_vec();
    // Names are the exports' text: cut to a cell, and no more columns
    // than a sheet has.
    let managers = &trend.managers[..trend.managers.len().min(MAX_TREND_MANAGERS)];
    names.extend(
        managers
            .iter()
            .map(|m| cut_cell(text::manager(&m.name, w)).to_string()),
    );
    for (col, name) in names.iter().enumerate() {
        if col < 3 {
            sheet.write_string_with_format(1, col as u16, name, &styles.header)?;
        } else {
            // A manager's name is text from the exports.
            let format = if looks_like_formula(name) {
                styles.header.clone().set_quote_prefix()
            } else {
                styles.header.clone()
            };
            sheet.write_string_with_format(1, col as u16, name, &format)?;
        }
    }
    for (i, point) in trend.department.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_number(row, 0, point.run as f64)?;
        match chrono::DateTime::parse_from_rfc3339(&point.as_of) {
            Ok(t) => put_moment(&mut sheet, row, 1, t.naive_local(), true, styles)?,
            Err(_) => {
                sheet.write_string(row, 1, &point.as_of)?;
            }
        };
        let columns = std::iter::once(Some(point)).chain(managers.iter().map(|m| m.runs.get(i)));
        for (col, p) in columns.enumerate() {
            if let Some(x) = p.and_then(|p| p.per_10_deals) {
                sheet.write_number_with_format(row, 2 + col as u16, x, &styles.decimal)?;
            }
        }
    }
    sheet.set_freeze_panes(2, 2)?;
    finish(&mut sheet);
    sheet.set_column_width(1, 16)?;
    Ok(sheet)
}

fn fix_first(report: &Report, styles: &Styles) -> Result<Worksheet, XlsxError> {
    let w = words(report.language);
    let names = w.xlsx_fix_first.map(String::from);
    let mut sheet = list_sheet(w.sheets[4], &names, styles)?;
    let mut row = 0;
    for deal in &report.fix_first {
        row += 1;
        sheet.write_number(row, 0, row as f64)?;
        put_text(&mut sheet, styles, row, 1, &deal.deal_id)?;
        put_text(&mut sheet, styles, row, 2, &deal.name)?;
        put_text(&mut sheet, styles, row, 3, text::manager(&deal.manager, w))?;
        put_text(&mut sheet, styles, row, 4, &deal.stage)?;
        if let Some(budget) = deal.budget {
            sheet.write_number_with_format(row, 5, budget, &styles.money)?;
        }
        sheet.write_string_with_format(
            row,
            6,
            (w.severity)(deal.severity),
            &Styles::severity(deal.severity),
        )?;
        sheet.write_string(row, 7, deal.rules.join(", "))?;
        put_link(&mut sheet, row, 8, deal.url.as_deref(), w)?;
    }
    finish_list(&mut sheet, row, names.len())?;
    Ok(sheet)
}

fn inputs(report: &Report, styles: &Styles) -> Result<Worksheet, XlsxError> {
    let w = words(report.language);
    let names = w.xlsx_inputs.map(String::from);
    let mut sheet = list_sheet(w.sheets[5], &names, styles)?;
    let mut row = 0;
    for input in &report.inputs {
        row += 1;
        put_text(&mut sheet, styles, row, 0, &input.path)?;
        sheet.write_string(row, 1, (w.input_kind)(input.kind))?;
        sheet.write_string(row, 2, input.format)?;
        let encoding = text::encoding(input, w).unwrap_or_default();
        put_text(&mut sheet, styles, row, 3, &encoding)?;
        put_text(&mut sheet, styles, row, 4, text::delimiter(input, w))?;
        put_text(
            &mut sheet,
            styles,
            row,
            5,
            input.sheet.as_deref().unwrap_or(""),
        )?;
        sheet.write_number(row, 6, input.header_row as f64)?;
        sheet.write_number(row, 7, input.rows as f64)?;
        sheet.write_number(row, 8, input.audited as f64)?;
        sheet.write_number(row, 9, text::skipped_count(input) as f64)?;
        put_text(&mut sheet, styles, row, 10, &text::skipped(input, w))?;
        put_text(&mut sheet, styles, row, 11, &input.notes.join("; "))?;
    }
    for file in &report.not_read {
        row += 1;
        put_text(&mut sheet, styles, row, 0, &file.path)?;
        sheet.write_string(row, 1, w.not_read)?;
        put_text(&mut sheet, styles, row, 11, &file.reason)?;
    }
    for snapshot in &report.snapshots {
        row += 1;
        put_text(&mut sheet, styles, row, 0, &snapshot.folder)?;
        sheet.write_string(row, 1, w.snapshot_kind)?;
        put_text(&mut sheet, styles, row, 11, &snapshot.line(w))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    finish(&mut sheet);
    Ok(sheet)
}

/// The audit itself: when, which rule set, what could not be checked, the rules.
fn about(report: &Report, styles: &Styles) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    let w = words(report.language);
    let [as_of_label, zone, rule_set, source, generated, only] = w.xlsx_about;
    sheet.set_name(w.sheets[6])?;
    sheet.write_string_with_format(0, 0, as_of_label, &styles.bold)?;
    match text::as_of_local(report) {
        Some(t) => put_moment(&mut sheet, 0, 1, t, true, styles)?,
        None => {
            sheet.write_string(0, 1, &report.as_of)?;
        }
    };
    let mut meta = vec![
        (zone, report.time_zone.clone()),
        (rule_set, report.rule_set.name.clone()),
        (source, report.rule_set.shown_source(w)),
        (
            generated,
            format!("{} {}", report.tool.name, report.tool.version),
        ),
    ];
    if let Some(filter) = &report.manager_filter {
        meta.push((only, filter.join(", ")));
    }
    let mut row = 0;
    for (label, value) in &meta {
        row += 1;
        sheet.write_string_with_format(row, 0, *label, &styles.bold)?;
        put_text(&mut sheet, styles, row, 1, value)?;
    }
    for note in &report.notes {
        row += 1;
        sheet.write_string_with_format(row, 0, text::upper_first(w.note), &styles.bold)?;
        put_text(&mut sheet, styles, row, 1, note)?;
    }
    row += 2;
    put_header(
        &mut sheet,
        styles,
        row,
        &w.xlsx_not_checked.map(String::from),
    )?;
    if report.not_checked.is_empty() {
        row += 1;
        sheet.write_string(row, 0, w.xlsx_all_checked)?;
    }
    for n in &report.not_checked {
        row += 1;
        sheet.write_string(row, 0, n.rule)?;
        put_text(&mut sheet, styles, row, 1, &n.reason)?;
    }
    if !report.waivers.is_empty() {
        row = about_waivers(&mut sheet, report, styles, row + 2)?;
    }
    about_rules(&mut sheet, report, styles, row + 2)?;
    finish(&mut sheet);
    Ok(sheet)
}

/// The waivers' table from `row` on, and what became of each; the last
/// row written.
fn about_waivers(
    sheet: &mut Worksheet,
    report: &Report,
    styles: &Styles,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let w = words(report.language);
    let names = w.xlsx_waivers.map(String::from);
    put_header(sheet, styles, row, &names)?;
    for waiver in &report.waivers {
        row += 1;
        put_text(
            sheet,
            styles,
            row,
            0,
            &format!("{} {}", waiver.rule, text::waiver_entity(&waiver.entity, w)),
        )?;
        sheet.write_string(row, 1, (w.waiver_status)(waiver.status))?;
        put_text(sheet, styles, row, 2, &text::waiver_until(&waiver.until, w))?;
        sheet.write_number(row, 3, waiver.matched as f64)?;
        put_text(sheet, styles, row, 4, &waiver.reason)?;
    }
    Ok(row)
}

/// The rules' table from `row` on: code, name, clause, severity, what
/// each checks.
fn about_rules(
    sheet: &mut Worksheet,
    report: &Report,
    styles: &Styles,
    mut row: u32,
) -> Result<(), XlsxError> {
    let w = words(report.language);
    let names = [w.code, w.rule, w.clause, w.severity_column, w.checks].map(String::from);
    put_header(sheet, styles, row, &names)?;
    for rule in &report.rules {
        row += 1;
        put_text(sheet, styles, row, 0, &rule.code)?;
        sheet.write_string(row, 1, rule.name)?;
        put_text(sheet, styles, row, 2, &rule.clause)?;
        sheet.write_string_with_format(
            row,
            3,
            (w.severity)(rule.severity),
            &Styles::severity(rule.severity),
        )?;
        put_text(sheet, styles, row, 4, &rule.summary)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::guard::FORMULA_PREFIXES;
    use super::super::sample;
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn workbook(report: &Report) -> Xlsx<Cursor<Vec<u8>>> {
        let mut out = Vec::new();
        write(report, &mut out).unwrap();
        Xlsx::new(Cursor::new(out)).unwrap()
    }

    /// The Russian XLSX names a waiver's status in Russian, as the other
    /// human formats do; JSON keeps `used`, `expired`, `unmatched`.
    #[test]
    fn waiver_statuses_are_in_the_reports_language() {
        use crate::audit::WaiverStatus;
        let mut report = sample::report();
        let statuses = [
            (WaiverStatus::Used, "used"),
            (WaiverStatus::Expired, "expired"),
            (WaiverStatus::Unmatched, "unmatched"),
        ];
        for (status, name) in statuses {
            assert_eq!(serde_json::to_value(status).unwrap(), name);
            report.waivers.push(super::super::WaiverReport {
                rule: "overdue-task".into(),
                entity: format!("task:{name}"),
                reason: "клиент в отпуске".into(),
                until: "2026-12-10".into(),
                status,
                matched: 1,
            });
        }
        // Each waiver's row: what it covers, its status, its last day.
        let cells = |report: &Report, column: usize| -> Vec<String> {
            let mut book = workbook(report);
            let about = *sheets(report.language).last().unwrap();
            let sheet = book.worksheet_range(about).unwrap();
            sheet
                .rows()
                .filter(|r| r.len() > 4 && r[4] == "клиент в отпуске")
                .map(|r| r[column].to_string())
                .collect()
        };
        assert_eq!(cells(&report, 1), ["used", "expired", "unmatched"]);
        assert_eq!(cells(&report, 0)[0], "overdue-task task:used");
        assert_eq!(cells(&report, 2)[0], "2026-12-10");
        report.language = Lang::Ru;
        assert_eq!(
            cells(&report, 1),
            ["применено", "истекло", "ни к чему не подошло"]
        );
        // The record and the day in the reader's words, as every Russian
        // format names them.
        assert_eq!(cells(&report, 0)[0], "overdue-task задача used");
        assert_eq!(cells(&report, 2)[0], "10.12.2026");
    }

    #[test]
    fn five_sheets() {
        let book = workbook(&sample::report());
        assert_eq!(book.sheet_names(), sheets(Lang::En));
    }

    #[test]
    fn each_violation_says_how_to_fix_it_in_the_last_column() {
        let report = sample::report();
        let mut book = workbook(&report);
        let sheet = book.worksheet_range("Violations").unwrap();
        let last = sheet.width() as u32 - 1;
        assert_eq!(
            sheet.get_value((0, last)).cloned(),
            Some(Data::String("How to fix".into()))
        );
        for (i, v) in report.violations.iter().enumerate() {
            assert_eq!(
                sheet.get_value((1 + i as u32, last)).cloned(),
                Some(Data::String(format!("{} fix", v.rule)))
            );
        }
    }

    #[test]
    fn a_rule_not_checked_in_full_shows_a_dash_not_a_zero() {
        let mut book = workbook(&sample::report());
        let summary = book.worksheet_range("Summary").unwrap();
        let ivanova = (0..summary.height() as u32)
            .find(|&r| summary.get_value((r, 0)) == Some(&Data::String("Иванова Мария".into())))
            .unwrap();
        // Column 3 is CA007 daily-call-quota, not checked in full.
        assert_eq!(
            summary.get_value((ivanova, 3)).cloned(),
            Some(Data::String("—".into()))
        );
        assert_eq!(
            summary.get_value((ivanova, 1)).cloned(),
            Some(Data::Float(0.0))
        );
    }

    #[test]
    fn a_stale_input_is_named_above_the_summary_table() {
        let mut report = sample::report();
        report.stale = vec![super::super::stale::StaleInput {
            path: "calls.csv".to_string(),
            kind: "calls",
            last: chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
                .unwrap()
                .and_hms_opt(18, 5, 0)
                .unwrap(),
            by: super::super::stale::StaleBy::LastCall,
        }];
        let mut book = workbook(&report);
        let summary = book.worksheet_range("Summary").unwrap();
        assert_eq!(
            summary.get_value((2, 0)).cloned(),
            Some(Data::String(
                "WARNING: stale input calls.csv: last call 24.11.2026 18:05, more than one \
                 working day before the audit. Is it tonight's export?"
                    .into()
            ))
        );
        let fresh = workbook(&sample::report())
            .worksheet_range("Summary")
            .unwrap();
        assert!(matches!(fresh.get_value((2, 0)), None | Some(Data::Empty)));
    }

    #[test]
    fn messages_and_fixes_wrap_in_columns_of_their_own_width() {
        use std::io::Read;
        let mut bytes = Vec::new();
        write(&sample::report(), &mut bytes).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut part = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        // Violations is the second sheet; M is its message column.
        let sheet = part("xl/worksheets/sheet2.xml");
        let styles = part("xl/styles.xml");
        let style_of = |cell: &str| -> usize {
            let at = sheet.find(&format!(r#"<c r="{cell}""#)).unwrap();
            let tag = &sheet[at..at + sheet[at..].find('>').unwrap()];
            let s = tag.split(r#" s=""#).nth(1).unwrap();
            s[..s.find('"').unwrap()].parse().unwrap()
        };
        let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
        let xf = |n: usize| xfs.split("<xf ").nth(1 + n).unwrap().to_string();
        let fix = last_column(&sheet);
        for cell in ["M2".to_string(), format!("{fix}2")] {
            assert!(xf(style_of(&cell)).contains(r#"wrapText="1""#), "{cell}");
        }
        assert!(
            sheet.contains(r#"<col min="13" max="13" width="60.7109375""#),
            "{sheet}"
        );
    }

    /// The letter of a sheet's last column (the Violations sheet's fix).
    fn last_column(sheet: &str) -> String {
        let dimension = sheet.split(r#"<dimension ref="A1:"#).nth(1).unwrap();
        dimension
            .chars()
            .take_while(|c| c.is_ascii_uppercase())
            .collect()
    }

    #[test]
    fn a_russian_workbook_names_its_sheets_columns_and_cells_in_russian() {
        let mut report = sample::with_history();
        report.language = Lang::Ru;
        let mut book = workbook(&report);
        let names = book.sheet_names();
        assert_eq!(
            names,
            [
                "Сводка",
                "Нарушения",
                "Исправлено",
                "Динамика",
                "Исправить сначала",
                "Входные файлы",
                "Об аудите"
            ]
        );
        // Left among the exports, it is still known as a report.
        assert!(is_report(&names));
        let violations = book.worksheet_range("Нарушения").unwrap();
        let cell = |r: u32, c: u32| violations.get_value((r, c)).cloned();
        assert_eq!(cell(0, 0), Some(Data::String("Менеджер".into())));
        assert_eq!(cell(0, 12), Some(Data::String("Подробности".into())));
        assert_eq!(cell(1, 4), Some(Data::String("ошибка".into())));
        assert_eq!(cell(1, 17), Some(Data::String("новое".into())));
        assert_eq!(cell(2, 17), Some(Data::String("открыто".into())));
    }

    #[test]
    fn a_history_adds_the_fixed_and_trend_sheets_and_status_columns() {
        let mut book = workbook(&sample::with_history());
        let names = book.sheet_names();
        assert_eq!(
            names,
            [
                "Summary",
                "Violations",
                "Fixed",
                "Trend",
                "Fix first",
                "Inputs",
                "About"
            ]
        );
        assert!(is_report(&names) && is_report(&workbook(&sample::report()).sheet_names()));
        // A baseline's workbook: Fixed, and no Trend, since it has none.
        let mut baseline = sample::with_history();
        baseline.history.as_mut().unwrap().trend = None;
        let baseline = workbook(&baseline).sheet_names();
        assert_eq!(
            baseline,
            [
                "Summary",
                "Violations",
                "Fixed",
                "Fix first",
                "Inputs",
                "About"
            ]
        );
        assert!(is_report(&baseline));
        let stranger = [
            "Summary",
            "Violations",
            "Trend",
            "Fix first",
            "Inputs",
            "About",
            "Сделки",
        ];
        assert!(!is_report(&stranger.map(String::from)));
        let violations = book.worksheet_range("Violations").unwrap();
        let cell = |sheet: &calamine::Range<Data>, r: u32, c: u32| sheet.get_value((r, c)).cloned();
        assert_eq!(
            cell(&violations, 0, 17),
            Some(Data::String("Status".into()))
        );
        assert_eq!(cell(&violations, 1, 17), Some(Data::String("new".into())));
        assert_eq!(cell(&violations, 2, 17), Some(Data::String("open".into())));
        let Some(Data::DateTime(since)) = cell(&violations, 2, 18) else {
            panic!("no date: {:?}", cell(&violations, 2, 18))
        };
        assert_eq!(
            since.as_datetime().unwrap().to_string(),
            "2026-11-25 00:00:00"
        );
        assert_eq!(cell(&violations, 2, 19), Some(Data::Float(3.0)));
        let fixed = book.worksheet_range("Fixed").unwrap();
        assert_eq!(cell(&fixed, 2, 3), Some(Data::String("T-9".into())));
        assert_eq!(cell(&fixed, 2, 6), Some(Data::Float(2.0)));
        // Gone apart, under its own heading, after a blank row.
        assert_eq!(
            cell(&fixed, 4, 0),
            Some(Data::String("Gone from the inputs (not fixes)".into()))
        );
        assert_eq!(cell(&fixed, 7, 3), Some(Data::String("205".into())));
        let trend = book.worksheet_range("Trend").unwrap();
        assert_eq!(
            cell(&trend, 1, 3),
            Some(Data::String("Петров Алексей".into()))
        );
        // Run 3: the department 3 of 6 deals = 5 per 10; Петров 3 of 4 =
        // 7.5; Иванова 0 of 2 = 0.
        assert_eq!(cell(&trend, 4, 0), Some(Data::Float(3.0)));
        assert_eq!(cell(&trend, 4, 2), Some(Data::Float(5.0)));
        assert_eq!(cell(&trend, 4, 3), Some(Data::Float(7.5)));
        assert_eq!(cell(&trend, 4, 4), Some(Data::Float(0.0)));
        let summary = book.worksheet_range("Summary").unwrap();
        let last = 3 + 6 + 3; // manager, 3 rules, 6 figures, then new/open/fixed
        assert_eq!(
            cell(&summary, SUMMARY_HEADER_ROW, last - 2),
            Some(Data::String("New".into()))
        );
        assert_eq!(
            cell(&summary, SUMMARY_HEADER_ROW + 1, last - 2),
            Some(Data::Float(2.0))
        );
        assert_eq!(
            cell(&summary, SUMMARY_HEADER_ROW + 2, last),
            Some(Data::Float(1.0))
        );
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write(&sample::report(), &mut a).unwrap();
        write(&sample::report(), &mut b).unwrap();
        assert!(a == b, "two renderings differ");
    }

    #[test]
    fn due_moments_and_days_are_dates() {
        let mut book = workbook(&sample::report());
        let sheet = book.worksheet_range("Violations").unwrap();
        let due = sheet.get_value((1, 11)).unwrap();
        let Data::DateTime(due) = due else {
            panic!("not a date: {due:?}")
        };
        assert_eq!(
            due.as_datetime().unwrap().to_string(),
            "2026-11-24 15:00:00"
        );
        let day = sheet.get_value((3, 11)).unwrap();
        assert!(matches!(day, Data::DateTime(_)), "{day:?}");
        assert_eq!(sheet.get_value((2, 11)), Some(&Data::Empty));
    }

    /// Excel has serials for the days of 1900 to 9999 only; a year past
    /// 65535 must not wrap round into that range through the cast.
    #[test]
    fn only_excels_years_become_excel_dates() {
        let at = |y: i32| {
            chrono::NaiveDate::from_ymd_opt(y, 11, 26)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap()
        };
        assert!(excel_datetime(at(1900)).is_some());
        assert!(excel_datetime(at(9999)).is_some());
        for year in [1, 1026, 1899, 10_000, 65_536 + 1900] {
            assert!(excel_datetime(at(year)).is_none(), "{year}");
        }
    }

    fn guarded_name(prefix: char) {
        assert!(FORMULA_PREFIXES.contains(&prefix));
        let name = format!("{prefix}HYPERLINK(\"http://evil\";\"click\")");
        let mut book = workbook(&sample::with_deal_name(&name));
        let sheet = book.worksheet_range("Violations").unwrap();
        for row in 1..=2 {
            assert_eq!(
                sheet.get_value((row, 8)),
                Some(&Data::String(name.clone())),
                "row {row}"
            );
        }
        for name in ["Violations", "Fix first"] {
            let formulas = book.worksheet_formula(name).unwrap();
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "{name} has a formula"
            );
        }
    }

    #[test]
    fn guards_equals() {
        guarded_name('=');
    }

    #[test]
    fn guards_plus() {
        guarded_name('+');
    }

    #[test]
    fn guards_minus() {
        guarded_name('-');
    }

    #[test]
    fn guards_at() {
        guarded_name('@');
    }

    #[test]
    fn guards_tab() {
        guarded_name('\t');
    }

    #[test]
    fn guards_carriage_return() {
        guarded_name('\r');
    }

    /// The Fixed sheet names each record's kind as the Violations sheet
    /// does: the JSON's word in English, the reader's in Russian.
    #[test]
    fn the_fixed_sheet_names_kinds_in_the_reports_language() {
        // The sample's fixed violation is Иванова's task T-9; the gone
        // one Петров's deal 205.
        let kinds = |report: &Report| -> Vec<String> {
            let mut book = workbook(report);
            let [fixed, _] = history_sheets(report.language);
            let sheet = book.worksheet_range(fixed).unwrap();
            sheet
                .rows()
                .filter(|r| ["T-9", "205"].contains(&r[3].to_string().as_str()))
                .map(|r| r[2].to_string())
                .collect()
        };
        let mut report = sample::with_history();
        assert_eq!(kinds(&report), ["task", "deal"]);
        report.language = Lang::Ru;
        assert_eq!(kinds(&report), ["задача", "сделка"]);
    }

    /// The Inputs sheet says how a file was read as `input_format` does.
    #[test]
    fn the_inputs_sheet_names_encoding_and_delimiter_in_the_reports_language() {
        let mut report = sample::report();
        report.inputs[0].encoding = Some("UTF-8 with BOM");
        report.inputs[0].delimiter = Some("tab".to_string());
        let cells = |report: &Report| -> (String, String) {
            let mut book = workbook(report);
            let inputs = sheets(report.language)[3];
            let sheet = book.worksheet_range(inputs).unwrap();
            let row = sheet.rows().nth(1).unwrap();
            (row[3].to_string(), row[4].to_string())
        };
        assert_eq!(cells(&report), ("UTF-8 with BOM".into(), "tab".into()));
        report.language = Lang::Ru;
        assert_eq!(cells(&report), ("UTF-8 с BOM".into(), "табуляция".into()));
    }

    /// The About sheet names the built-in rule set's source as the reader
    /// would: the JSON's `built-in rules/regulation.toml` in English.
    #[test]
    fn the_built_in_source_is_named_in_the_reports_language() {
        let source = |report: &Report| -> String {
            let mut book = workbook(report);
            let about = sheets(report.language)[4];
            let label = words(report.language).xlsx_about[3];
            let sheet = book.worksheet_range(about).unwrap();
            let row = sheet.rows().find(|r| r[0] == label).unwrap();
            row[1].to_string()
        };
        let mut report = sample::report();
        assert_eq!(source(&report), "built-in rules/regulation.toml");
        report.language = Lang::Ru;
        assert_eq!(
            source(&report),
            "встроенный регламент (rules/regulation.toml)"
        );
        // A company's file is named by its path in every language.
        report.rule_set.source = "/etc/crm-audit/crm-audit.toml".into();
        assert_eq!(source(&report), "/etc/crm-audit/crm-audit.toml");
    }
}

//! Plain-text pieces every human-facing format shows the same way: how an
//! entity is named, which deal a violation concerns, percentages, budgets,
//! the input accounting. Formats add their own markup around these;
//! nothing here escapes or writes.

use super::history::{Changes, ViolationStatus};
use super::lang::Words;
use super::{EntityKind, EntityReport, InputReport, Report};
use crate::audit::WaiverStatus;
use crate::history::{Status, Vanished};
use crate::lang::Lang;
use chrono::{NaiveDate, NaiveDateTime};

/// The deal a violation concerns: the deal itself, or a task's deal.
#[derive(Debug, Clone, Copy, Default)]
pub struct DealRef<'a> {
    pub id: Option<&'a str>,
    pub name: Option<&'a str>,
    pub stage: Option<&'a str>,
}

pub fn deal_of(entity: &EntityReport) -> DealRef<'_> {
    match entity.kind {
        EntityKind::Deal | EntityKind::Lead => DealRef {
            id: Some(&entity.id),
            name: entity.name.as_deref(),
            stage: entity.stage.as_deref(),
        },
        _ => DealRef {
            id: entity.deal_id.as_deref(),
            name: entity.deal_name.as_deref(),
            stage: entity.deal_stage.as_deref(),
        },
    }
}

/// `deal 31462315`, `task T-1015`, `day 26.11.2026` (`сделка 31462315`, …).
pub fn entity_label(entity: &EntityReport, w: &Words) -> String {
    let kind = (w.entity_kind)(entity.kind);
    match entity.kind {
        EntityKind::ManagerDay => {
            let day = entity.id.rsplit_once('/').map_or("", |(_, d)| d);
            match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                Ok(d) => format!("{kind} {}", d.format("%d.%m.%Y")),
                Err(_) => format!("{kind} {}", entity.id),
            }
        }
        _ => format!("{kind} {}", entity.id),
    }
}

/// The report's audit moment, company-local, as `27.11.2026 02:00`.
pub fn as_of(report: &Report) -> String {
    as_of_local(report).map_or_else(
        || report.as_of.clone(),
        |t| t.format("%d.%m.%Y %H:%M").to_string(),
    )
}

/// The report's audit moment as a company-local date and time.
pub fn as_of_local(report: &Report) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(&report.as_of)
        .map(|t| t.naive_local())
        .or_else(|_| NaiveDateTime::parse_from_str(&report.as_of, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// The audit moment as a reader of `w` writes it: English keeps the
/// JSON's RFC 3339, Russian writes `27.11.2026 02:00` (the zone is named
/// beside it where it is shown).
pub fn as_of_shown(report: &Report, w: &Words) -> String {
    match (w.lang, as_of_local(report)) {
        (Lang::Ru, Some(at)) => at.format("%d.%m.%Y %H:%M").to_string(),
        _ => report.as_of.clone(),
    }
}

/// `37.5%`, `100%`; `37,5%` in Russian.
pub fn percent(rate: f64, w: &Words) -> String {
    format!("{}%", decimal(rate * 100.0, w))
}

/// `13.8`, `0`; `13,8` in Russian.
pub fn decimal(x: f64, w: &Words) -> String {
    let text = trim_zero(format!("{x:.1}"));
    match w.lang {
        Lang::Ru => text.replace('.', ","),
        Lang::En => text,
    }
}

fn trim_zero(text: String) -> String {
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// `390 000`, `1 250 000.50`, with spaces that do not break; a decimal
/// comma in Russian (`1 250 000,50`).
pub fn budget(amount: f64, w: &Words) -> String {
    if w.lang == Lang::Ru {
        return w.lang.amount(amount);
    }
    let cents = (amount.abs() * 100.0).round() as u64;
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
    if frac == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac:02}")
    }
}

/// How a file was read: `csv, UTF-8 with BOM, delimiter ;` or `xlsx, sheet Сделки`.
pub fn input_format(input: &InputReport, w: &Words) -> String {
    let mut parts = vec![input.format.to_string()];
    if let Some(encoding) = encoding(input, w) {
        parts.push(encoding);
    }
    match input.delimiter.as_deref() {
        Some("tab") => parts.push(format!("{} {}", w.delimiter, w.tab)),
        Some(d) => parts.push(format!("{} \"{d}\"", w.delimiter)),
        None => {}
    }
    if let Some(sheet) = &input.sheet {
        parts.push(format!("{} {sheet}", w.sheet));
    }
    if input.header_row != 1 {
        parts.push(format!("{} {}", w.header_on_row, input.header_row));
    }
    parts.join(", ")
}

/// A text file's encoding as a reader of `w` names it: `UTF-8 with BOM`,
/// `UTF-8 с BOM` (the JSON keeps the English name).
pub fn encoding(input: &InputReport, w: &Words) -> Option<String> {
    let encoding = input.encoding?;
    Some(match encoding.strip_suffix(" with BOM") {
        Some(base) => format!("{base} {}", w.with_bom),
        None => encoding.to_string(),
    })
}

/// A text file's delimiter as a sheet's cell shows it: the character,
/// or the word for a tab.
pub fn delimiter<'a>(input: &'a InputReport, w: &Words) -> &'a str {
    match input.delimiter.as_deref() {
        Some("tab") => w.tab,
        Some(d) => d,
        None => "",
    }
}

/// `2 blank row (rows 5, 9); 1 duplicate ID (row 12)`, or empty.
pub fn skipped(input: &InputReport, w: &Words) -> String {
    input
        .skipped
        .iter()
        .map(|s| {
            let rows: Vec<String> = s.rows.iter().take(10).map(u64::to_string).collect();
            let more = if s.rows.len() > 10 { ", …" } else { "" };
            let word = if s.rows.len() == 1 {
                w.row
            } else {
                w.rows_word
            };
            format!("{} {} ({word} {}{more})", s.count, s.text, rows.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The warnings a report opens with, one per stale input.
pub fn stale_warnings(report: &Report, w: &Words) -> Vec<String> {
    report
        .stale
        .iter()
        .map(|s| {
            (w.stale)(
                &s.path,
                (w.stale_by)(s.by),
                &s.last.format("%d.%m.%Y %H:%M").to_string(),
            )
        })
        .collect()
}

/// A manager's name as the human formats show it: the name of no manager
/// (`(unassigned)`) in the report's language, any other as it is.
pub fn manager<'a>(name: &'a str, w: &Words) -> &'a str {
    if name == crate::model::UNASSIGNED {
        w.unassigned
    } else {
        name
    }
}

/// `Time zone` from `time zone`: a word that opens a line or a label.
pub fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The number of rows skipped in a file.
pub fn skipped_count(input: &InputReport) -> usize {
    input.skipped.iter().map(|s| s.count).sum()
}

/// `7 errors, 4 warnings` (infos only when there are some).
pub fn severity_counts(errors: usize, warnings: usize, infos: usize, w: &Words) -> String {
    let mut parts = vec![w.count(errors, w.errors), w.count(warnings, w.warnings)];
    if infos > 0 {
        parts.push(format!("{infos} {}", w.info));
    }
    parts.join(", ")
}

/// `1 violation`, `3 violations`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A waiver in one line: what it covers, until when, what became of it, why.
pub fn waiver_line(waiver: &super::WaiverReport, w: &Words) -> String {
    let covered = match waiver.status {
        WaiverStatus::Used => (w.waiver_used)(waiver.matched),
        WaiverStatus::Expired => (w.waiver_expired)(waiver.matched),
        WaiverStatus::Unmatched => w.waiver_unmatched.to_string(),
    };
    format!(
        "{} {} {} {} ({covered}): {}",
        waiver.rule,
        waiver_entity(&waiver.entity, w),
        w.until,
        waiver_until(&waiver.until, w),
        waiver.reason
    )
}

/// The record a waiver names, as the rule file writes it in English
/// (`deal:31457201`), in the reader's words in Russian (`сделка
/// 31457201`, `день 26.11.2026 Петров Алексей`).
pub fn waiver_entity(entity: &str, w: &Words) -> String {
    let parsed = entity
        .split_once(':')
        .and_then(|(kind, id)| Some((EntityKind::parse(kind)?, id)));
    match (w.lang, parsed) {
        (Lang::Ru, Some((EntityKind::ManagerDay, id))) => match id.rsplit_once('/') {
            Some((manager, day)) => format!(
                "{} {} {manager}",
                (w.entity_kind)(EntityKind::ManagerDay),
                date_text(day)
            ),
            None => format!("{} {id}", (w.entity_kind)(EntityKind::ManagerDay)),
        },
        (Lang::Ru, Some((kind, id))) => format!("{} {id}", (w.entity_kind)(kind)),
        _ => entity.to_string(),
    }
}

/// A waiver's last day (`2026-12-10` in the rule file): as written in
/// English, `10.12.2026` in Russian.
pub fn waiver_until(until: &str, w: &Words) -> String {
    match w.lang {
        Lang::En => until.to_string(),
        Lang::Ru => date_text(until),
    }
}

/// An ISO day as Russians write it; any other text as it is.
fn date_text(day: &str) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_or_else(|_| day.to_string(), |d| d.format("%d.%m.%Y").to_string())
}

/// `20.11.2026` from a run's audit moment (RFC 3339); the text as it is
/// when it is not one.
pub fn day_of(moment: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(moment)
        .map(|t| t.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| moment.to_string())
}

/// `since 20.11.2026 (5 runs)`: how long a violation has been open.
pub fn open_since(since: &str, runs: u32, w: &Words) -> String {
    format!(
        "{} {} ({})",
        w.since,
        day_of(since),
        w.count(runs as usize, w.runs)
    )
}

/// `new`, or `open since 20.11.2026 (5 runs)`.
pub fn status_label(status: &ViolationStatus, w: &Words) -> String {
    match status {
        Status::New => w.status_new.to_string(),
        Status::Open { since, runs } => {
            format!("{} {}", w.status_open, open_since(since, *runs, w))
        }
    }
}

/// Every input's notes, each with its file, in the order of the inputs.
pub fn input_notes<'r>(report: &'r Report) -> impl Iterator<Item = (&'r str, &'r str)> {
    report.inputs.iter().flat_map(|input| {
        input
            .notes
            .iter()
            .map(move |note| (input.path.as_str(), note.as_str()))
    })
}

/// A manager's numbers in one line, as the Markdown and HTML reports head
/// their part: `3 violations · 2 errors, 1 warning · 12 deals in work ·
/// 2.5 per 10 deals · 75% compliant`, and tonight's changes with a history.
pub fn manager_line(m: &super::ManagerReport, w: &Words) -> String {
    let mut line = vec![
        w.count(m.total, w.violations),
        severity_counts(m.errors, m.warnings, m.infos, w),
        format!("{} {}", w.count(m.deals_in_work, w.deals), w.in_work_after),
    ];
    if let Some(x) = m.violations_per_10_deals {
        line.push(format!("{} {}", decimal(x, w), w.per_10_deals_after));
    }
    if let Some(x) = m.compliance_rate {
        line.push(format!("{} {}", percent(x, w), w.compliant_after));
    }
    if let Some(c) = &m.changes {
        line.push(changes(c, w));
    }
    line.join(" · ")
}

/// `new 1, open 2, fixed 1`, and `gone 1` when some left the inputs.
pub fn changes(c: &Changes, w: &Words) -> String {
    let [new, open, fixed, gone] = w.change_words;
    let mut line = format!("{new} {}, {open} {}, {fixed} {}", c.new, c.open, c.fixed);
    if c.gone > 0 {
        line.push_str(&format!(", {gone} {}", c.gone));
    }
    if c.not_judged > 0 {
        line.push_str(&format!(", {} {}", w.not_judged_word, c.not_judged));
    }
    line
}

/// `Tonight's inputs look incomplete …: no call-reviews tonight: …`, when
/// the history held something back for it.
pub fn incomplete(history: &super::history::HistoryReport, w: &Words) -> Option<String> {
    (!history.incomplete.is_empty())
        .then(|| format!("{}: {}.", w.incomplete_lead, history.incomplete.join("; ")))
}

/// What a fixed or gone violation was: `overdue-task task T1 (deal 801)`.
pub fn vanished_label(v: &Vanished, w: &Words) -> String {
    let kind = (w.entity_kind)(v.entity_kind);
    let mut label = format!("{} {kind} {}", v.rule, v.entity_id);
    if let Some(deal) = v.deal_id.as_deref().filter(|d| *d != v.entity_id) {
        label.push_str(&format!(" ({} {deal})", (w.entity_kind)(EntityKind::Deal)));
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::lang::words;

    #[test]
    fn a_waiver_is_named_in_the_readers_words() {
        // The rule file writes the record `deal:31457201` and the day
        // `2026-12-10`; a Russian reader reads «сделка 31457201» and
        // 10.12.2026, as everywhere else in the report.
        let waiver = |entity: &str| crate::report::WaiverReport {
            rule: "deal-without-task".into(),
            entity: entity.into(),
            reason: "клиент в отпуске до 10.12".into(),
            until: "2026-12-10".into(),
            status: WaiverStatus::Unmatched,
            matched: 0,
        };
        assert_eq!(
            waiver_line(&waiver("deal:31457201"), words(Lang::En)),
            "deal-without-task deal:31457201 until 2026-12-10 (matched nothing): клиент в \
             отпуске до 10.12"
        );
        assert_eq!(
            waiver_line(&waiver("deal:31457201"), words(Lang::Ru)),
            "deal-without-task сделка 31457201 до 10.12.2026 (ни к чему не подошло): клиент в \
             отпуске до 10.12"
        );
        let ru = |entity| waiver_line(&waiver(entity), words(Lang::Ru));
        assert!(ru("task:T-1015").starts_with("deal-without-task задача T-1015 до"));
        assert!(ru("manager-day:Петров Алексей/2026-11-26")
            .starts_with("deal-without-task день 26.11.2026 Петров Алексей до"));
    }

    #[test]
    fn how_a_file_was_read_is_said_in_the_readers_language() {
        // A tab-separated UTF-8 file with a byte order mark.
        let mut input = crate::report::sample::report().inputs[0].clone();
        input.encoding = Some("UTF-8 with BOM");
        input.delimiter = Some("tab".to_string());
        assert_eq!(
            input_format(&input, words(Lang::En)),
            "csv, UTF-8 with BOM, delimiter tab"
        );
        assert_eq!(
            input_format(&input, words(Lang::Ru)),
            "csv, UTF-8 с BOM, разделитель табуляция"
        );
        input.encoding = Some("UTF-8");
        input.delimiter = Some(";".to_string());
        assert_eq!(
            input_format(&input, words(Lang::Ru)),
            "csv, UTF-8, разделитель \";\""
        );
    }

    #[test]
    fn statuses_and_changes_read_as_people_write_them() {
        let en = words(Lang::En);
        assert_eq!(status_label(&Status::New, en), "new");
        let open = Status::Open {
            since: "2026-11-20T02:00:00+03:00".to_string(),
            runs: 5,
        };
        assert_eq!(status_label(&open, en), "open since 20.11.2026 (5 runs)");
        assert_eq!(
            open_since("2026-11-26T02:00:00+03:00", 1, en),
            "since 26.11.2026 (1 run)"
        );
        let c = Changes {
            new: 1,
            open: 2,
            fixed: 3,
            gone: 0,
            not_judged: 0,
        };
        assert_eq!(changes(&c, en), "new 1, open 2, fixed 3");
        assert_eq!(
            changes(&Changes { gone: 4, ..c }, en),
            "new 1, open 2, fixed 3, gone 4"
        );
        assert_eq!(
            changes(&Changes { not_judged: 5, ..c }, en),
            "new 1, open 2, fixed 3, not judged 5"
        );
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        let en = words(Lang::En);
        assert_eq!(percent(0.375, en), "37.5%");
        assert_eq!(percent(1.0, en), "100%");
        assert_eq!(percent(0.0, en), "0%");
        assert_eq!(decimal(13.8, en), "13.8");
        assert_eq!(decimal(20.0, en), "20");
        assert_eq!(budget(390000.0, en), "390\u{a0}000");
        assert_eq!(budget(1250000.5, en), "1\u{a0}250\u{a0}000.50");
        assert_eq!(budget(0.0, en), "0");
        assert_eq!(budget(-1500.0, en), "-1\u{a0}500");
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(severity_counts(2, 0, 0, en), "2 errors, 0 warnings");
    }

    #[test]
    fn russian_numbers_statuses_and_counts() {
        let ru = words(Lang::Ru);
        assert_eq!(percent(0.375, ru), "37,5%");
        assert_eq!(decimal(13.8, ru), "13,8");
        assert_eq!(decimal(20.0, ru), "20");
        assert_eq!(budget(1250000.5, ru), "1\u{a0}250\u{a0}000,50");
        assert_eq!(
            severity_counts(2, 5, 1, ru),
            "2 ошибки, 5 предупреждений, 1 инфо"
        );
        let open = Status::Open {
            since: "2026-11-20T02:00:00+03:00".to_string(),
            runs: 21,
        };
        assert_eq!(status_label(&open, ru), "открыто с 20.11.2026 (21 запуск)");
    }
}

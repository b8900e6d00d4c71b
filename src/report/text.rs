//! Plain-text pieces every human-facing format shows the same way: how an
//! entity is named, which deal a violation concerns, percentages, budgets,
//! the input accounting. Formats add their own markup around these;
//! nothing here escapes or writes.

use super::history::{Changes, ViolationStatus};
use super::{EntityReport, InputReport, Report};
use crate::history::{Status, Vanished};
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
        "deal" | "lead" => DealRef {
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

/// `deal 31462315`, `task T-1015`, `day 26.11.2026`.
pub fn entity_label(entity: &EntityReport) -> String {
    match entity.kind {
        "manager-day" => {
            let day = entity.id.rsplit_once('/').map_or("", |(_, d)| d);
            match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                Ok(d) => format!("day {}", d.format("%d.%m.%Y")),
                Err(_) => format!("day {}", entity.id),
            }
        }
        kind => format!("{kind} {}", entity.id),
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

/// `37.5%`, `100%`.
pub fn percent(rate: f64) -> String {
    format!("{}%", trim_zero(format!("{:.1}", rate * 100.0)))
}

/// `13.8`, `0`.
pub fn decimal(x: f64) -> String {
    trim_zero(format!("{x:.1}"))
}

fn trim_zero(text: String) -> String {
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// `390 000`, `1 250 000.50`, with spaces that do not break.
pub fn budget(amount: f64) -> String {
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
pub fn input_format(input: &InputReport) -> String {
    let mut parts = vec![input.format.to_string()];
    if let Some(encoding) = input.encoding {
        parts.push(encoding.to_string());
    }
    match input.delimiter.as_deref() {
        Some("tab") => parts.push("delimiter tab".to_string()),
        Some(d) => parts.push(format!("delimiter \"{d}\"")),
        None => {}
    }
    if let Some(sheet) = &input.sheet {
        parts.push(format!("sheet {sheet}"));
    }
    if input.header_row != 1 {
        parts.push(format!("header on row {}", input.header_row));
    }
    parts.join(", ")
}

/// `2 blank row (rows 5, 9); 1 duplicate ID (row 12)`, or empty.
pub fn skipped(input: &InputReport) -> String {
    input
        .skipped
        .iter()
        .map(|s| {
            let rows: Vec<String> = s.rows.iter().take(10).map(u64::to_string).collect();
            let more = if s.rows.len() > 10 { ", …" } else { "" };
            let word = if s.rows.len() == 1 { "row" } else { "rows" };
            format!(
                "{} {} ({word} {}{more})",
                s.count,
                s.reason,
                rows.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The number of rows skipped in a file.
pub fn skipped_count(input: &InputReport) -> usize {
    input.skipped.iter().map(|s| s.count).sum()
}

/// `7 errors, 4 warnings` (infos only when there are some).
pub fn severity_counts(errors: usize, warnings: usize, infos: usize) -> String {
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(format!("{infos} info"));
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
pub fn waiver_line(w: &super::WaiverReport) -> String {
    let covered = match w.status {
        "used" => format!("{} violation(s) left out", w.matched),
        "expired" => format!("expired; {} violation(s) reported again", w.matched),
        _ => "matched nothing".to_string(),
    };
    format!(
        "{} {} until {} ({covered}): {}",
        w.rule, w.entity, w.until, w.reason
    )
}

/// `20.11.2026` from a run's audit moment (RFC 3339); the text as it is
/// when it is not one.
pub fn day_of(moment: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(moment)
        .map(|t| t.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| moment.to_string())
}

/// `since 20.11.2026 (5 runs)`: how long a violation has been open.
pub fn open_since(since: &str, runs: u32) -> String {
    format!("since {} ({})", day_of(since), plural(runs as usize, "run"))
}

/// `new`, or `open since 20.11.2026 (5 runs)`.
pub fn status_label(status: &ViolationStatus) -> String {
    match status {
        Status::New => "new".to_string(),
        Status::Open { since, runs } => format!("open {}", open_since(since, *runs)),
    }
}

/// `new 1, open 2, fixed 1`, and `gone 1` when some left the inputs.
pub fn changes(c: &Changes) -> String {
    let mut line = format!("new {}, open {}, fixed {}", c.new, c.open, c.fixed);
    if c.gone > 0 {
        line.push_str(&format!(", gone {}", c.gone));
    }
    line
}

/// What a fixed or gone violation was: `overdue-task task T1 (deal 801)`.
pub fn vanished_label(v: &Vanished) -> String {
    let mut label = format!("{} {} {}", v.rule, v.entity_kind, v.entity_id);
    if let Some(deal) = v.deal_id.as_deref().filter(|d| *d != v.entity_id) {
        label.push_str(&format!(" (deal {deal})"));
    }
    label
}

/// The heading of the fixed violations.
pub const FIXED_TITLE: &str = "Fixed since the last run";

/// The heading of the gone violations.
pub const GONE_TITLE: &str = "Gone from the inputs (not fixes)";

/// Why the gone violations are not fixes.
pub const GONE_NOTE: &str = "The last run's violations whose deal or record is no longer in \
     tonight's inputs: deleted, closed out of the export, or the export is incomplete. Nothing \
     says they were fixed.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_changes_read_as_people_write_them() {
        assert_eq!(status_label(&Status::New), "new");
        let open = Status::Open {
            since: "2026-11-20T02:00:00+03:00".to_string(),
            runs: 5,
        };
        assert_eq!(status_label(&open), "open since 20.11.2026 (5 runs)");
        assert_eq!(
            open_since("2026-11-26T02:00:00+03:00", 1),
            "since 26.11.2026 (1 run)"
        );
        let c = Changes {
            new: 1,
            open: 2,
            fixed: 3,
            gone: 0,
        };
        assert_eq!(changes(&c), "new 1, open 2, fixed 3");
        assert_eq!(
            changes(&Changes { gone: 4, ..c }),
            "new 1, open 2, fixed 3, gone 4"
        );
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(percent(0.375), "37.5%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(decimal(13.8), "13.8");
        assert_eq!(decimal(20.0), "20");
        assert_eq!(budget(390000.0), "390\u{a0}000");
        assert_eq!(budget(1250000.5), "1\u{a0}250\u{a0}000.50");
        assert_eq!(budget(0.0), "0");
        assert_eq!(budget(-1500.0), "-1\u{a0}500");
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(severity_counts(2, 0, 0), "2 errors, 0 warnings");
    }
}

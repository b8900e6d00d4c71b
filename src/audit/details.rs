//! The specifics of a violation: named values that fill the rule's message
//! and appear in every report (the JSON `details` object). Each check says
//! which names it fills (`Check::placeholders`); the rule set checks the
//! message against them when it compiles.

use crate::value::Moment;
use chrono::NaiveDate;

/// One value of a violation's specifics.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    /// A duration in minutes (JSON: a number; messages: `2 d 3 h`).
    Minutes(i64),
    /// A day (JSON: `2026-11-26`; messages: `26.11.2026`).
    Date(NaiveDate),
    /// A moment as the exports write it (`26.11.2026 14:30`, `26.11.2026`).
    Moment(Moment),
    List(Vec<String>),
    /// Money (messages: `150 000`).
    Amount(f64),
    /// A share (JSON: 0.45; messages: `45%`).
    Share(f64),
}

/// A named value.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// Its key in the JSON report.
    pub key: &'static str,
    pub value: Value,
}

/// The specifics of one violation, in the order the check gives them.
pub type Details = Vec<Detail>;

pub fn detail(key: &'static str, value: Value) -> Detail {
    Detail { key, value }
}

/// The message placeholder a key answers to, where the two differ.
fn slot_of(key: &str) -> &str {
    match key {
        "late_minutes" => "late",
        "missing_fields" => "fields",
        other => other,
    }
}

/// The text that fills placeholder `slot` of a rule's message.
pub fn slot_text(details: &[Detail], slot: &str) -> String {
    let slot = if slot == "quota" { "limit" } else { slot };
    details
        .iter()
        .find(|d| slot_of(d.key) == slot)
        .map(|d| d.value.message_text())
        .unwrap_or_default()
}

impl Value {
    /// The value as a message shows it.
    pub fn message_text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Int(n) => n.to_string(),
            Value::Minutes(m) => format_late(*m),
            Value::Date(d) => d.format("%d.%m.%Y").to_string(),
            Value::Moment(m) => format_moment(*m),
            Value::List(items) => items.join(", "),
            Value::Amount(a) => format_amount(*a),
            Value::Share(s) => format_share(*s),
        }
    }

    /// The value in the JSON report.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Text(t) => J::from(t.clone()),
            Value::Int(n) | Value::Minutes(n) => J::from(*n),
            Value::Date(d) => J::from(d.format("%Y-%m-%d").to_string()),
            Value::Moment(m) => J::from(format_moment(*m)),
            Value::List(items) => J::from(items.clone()),
            Value::Amount(a) | Value::Share(a) => J::from(*a),
        }
    }
}

/// Formats a moment as the exports write it.
pub fn format_moment(m: Moment) -> String {
    match m {
        Moment::At(t) => t.format("%d.%m.%Y %H:%M").to_string(),
        Moment::Day(d) => d.format("%d.%m.%Y").to_string(),
    }
}

/// `2 d 3 h`, `5 h 10 min`, `12 min`.
pub fn format_late(minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) if mins == 0 => format!("{hours} h"),
        (0, _) => format!("{hours} h {mins} min"),
        (_, 0) => format!("{days} d"),
        _ => format!("{days} d {hours} h"),
    }
}

/// `150 000`, `1 234,50`: money as a Russian reader writes it.
pub fn format_amount(amount: f64) -> String {
    let cents = (amount.abs() * 100.0).round() as u64;
    let (whole, fraction) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
    if fraction == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction:02}")
    }
}

/// `50%`, `49.9%`: rounded down, so a share just below a bound never
/// reads as the bound itself.
pub fn format_share(share: f64) -> String {
    let percent = (share * 1000.0 + 1e-9).floor() / 10.0;
    if percent.fract() == 0.0 {
        format!("{percent:.0}%")
    } else {
        format!("{percent:.1}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lateness_reads_like_a_person_would_say_it() {
        assert_eq!(format_late(0), "0 min");
        assert_eq!(format_late(12), "12 min");
        assert_eq!(format_late(120), "2 h");
        assert_eq!(format_late(130), "2 h 10 min");
        assert_eq!(format_late(1440), "1 d");
        assert_eq!(format_late(1440 * 3 + 61), "3 d 1 h");
    }

    #[test]
    fn amounts_and_shares() {
        assert_eq!(format_amount(150000.0), "150 000");
        assert_eq!(format_amount(1234.5), "1 234,50");
        assert_eq!(format_amount(999.0), "999");
        assert_eq!(format_amount(-1000.0), "-1 000");
        assert_eq!(format_share(0.5), "50%");
        assert_eq!(format_share(0.4999), "49.9%");
        assert_eq!(format_share(0.499), "49.9%");
    }

    #[test]
    fn slots_read_their_keys() {
        let d = vec![
            detail("late_minutes", Value::Minutes(130)),
            detail("limit", Value::Int(40)),
            detail(
                "missing_fields",
                Value::List(vec!["Вентили".into(), "Аксессуары".into()]),
            ),
        ];
        assert_eq!(slot_text(&d, "late"), "2 h 10 min");
        assert_eq!(slot_text(&d, "quota"), "40");
        assert_eq!(slot_text(&d, "limit"), "40");
        assert_eq!(slot_text(&d, "fields"), "Вентили, Аксессуары");
        assert_eq!(slot_text(&d, "stage"), "");
        assert_eq!(
            detail(
                "date",
                Value::Date(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
            )
            .value
            .to_json(),
            "2026-11-26"
        );
    }
}

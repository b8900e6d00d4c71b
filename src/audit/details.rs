//! The specifics of a violation: named values that fill the rule's message
//! and appear in every report (the JSON `details` object). Each check kind
//! declares the placeholders it fills and the key each is filled from
//! (`checks::Kind::PLACEHOLDERS`); the rule set checks the message against
//! them when it compiles.

use crate::audit::FieldName;
use crate::input::error::UnreadableCell;
use crate::lang::Lang;
use crate::model::CallType;
use crate::rules::columns::ReviewField;
use crate::value::Moment;
use chrono::{Datelike, NaiveDate, Timelike};

/// One value of a violation's specifics.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    /// A duration in minutes (JSON: a number; messages: `2 дня 3 ч`, `2 d 3 h`).
    Minutes(i64),
    /// A day (JSON: `2026-11-26`; messages: `26.11.2026`).
    Date(NaiveDate),
    /// A moment as the exports write it (`26.11.2026 14:30`, `26.11.2026`).
    Moment(Moment),
    List(Vec<String>),
    /// Money (messages: `150 000`, grouped as the report's language does).
    Amount(f64),
    /// A share (JSON: 0.45; messages: `45%`).
    Share(f64),
    /// Stages or faults of a reviewed call (JSON: `["objections"]`;
    /// messages: `отработка возражений` in Russian).
    Marks(Vec<ReviewField>),
    /// Which script a reviewed call follows (JSON: `base`, `inbound`).
    CallType(CallType),
    /// An empty cell shown as a value (JSON and English: `(empty)`;
    /// Russian: `(пусто)`).
    Blank,
    /// A field with no value where one was needed (JSON and English
    /// messages: `no budget`; Russian: `поле «Сумма» не заполнено`).
    Empty(FieldName),
    /// A count whose true value is this or less: some of what it counts
    /// could not be told (JSON: `{"at_most": 10}`; messages: `at most 10`,
    /// `не более 10`).
    AtMost(i64),
    /// A count that was not made, because no input shows it (JSON: `null`;
    /// messages: `uncounted`, `не учтены`).
    NotCounted,
    /// Value cells that cannot be read, each where it is and what is
    /// wrong (JSON: the English descriptions; messages: the report's
    /// language, `строка 36, столбец «Срок» (E): «вчера» — не дата; …`).
    Cells(Vec<UnreadableCell>),
    /// A field filled with an amount below zero where a positive one was
    /// needed (JSON and English: `budget below zero`; Russian: `поле
    /// «Сумма» меньше нуля`).
    Negative(FieldName),
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

impl Detail {
    /// The detail as the report keeps it (`Value::for_report`).
    pub fn for_report(&self) -> Detail {
        detail(self.key, self.value.for_report())
    }
}

/// `write_slot`'s text on its own (tests).
#[cfg(test)]
pub fn slot_text(details: &[Detail], key: &str, lang: Lang) -> String {
    let mut out = String::new();
    write_slot(details, key, lang, &mut out);
    out
}

/// Appends the text that fills a rule's message where it uses the
/// placeholder of detail `key` (each kind declares which key fills which
/// placeholder), written the way `lang` writes numbers and durations.
pub fn write_slot(details: &[Detail], key: &str, lang: Lang, out: &mut String) {
    if let Some(d) = details.iter().find(|d| d.key == key) {
        d.value.write_message_text(lang, out);
    }
}

impl Value {
    /// The value as a message in `lang` shows it.
    pub fn message_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.write_message_text(lang, &mut out);
        out
    }

    /// Appends `message_text` to `out`.
    pub fn write_message_text(&self, lang: Lang, out: &mut String) {
        match self {
            Value::Text(t) => out.push_str(t),
            Value::Int(n) => out.push_str(&n.to_string()),
            Value::Minutes(m) => out.push_str(&lang.duration(*m)),
            Value::Date(d) => write_day(*d, out),
            Value::Moment(m) => write_moment(*m, out),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(item);
                }
            }
            Value::Amount(a) => out.push_str(&lang.amount(*a)),
            Value::Share(s) => out.push_str(&lang.share(*s)),
            Value::Marks(marks) => out.push_str(&marks_text(marks, lang)),
            Value::CallType(t) => out.push_str(call_type_text(*t, lang)),
            Value::Empty(field) => out.push_str(&empty_text(field, lang)),
            Value::Negative(field) => out.push_str(&negative_text(field, lang)),
            Value::Blank => out.push_str(blank_text(lang)),
            Value::AtMost(n) => match lang {
                Lang::En => out.push_str(&format!("at most {n}")),
                Lang::Ru => out.push_str(&format!("не более {n}")),
            },
            Value::NotCounted => out.push_str(match lang {
                Lang::En => "uncounted",
                Lang::Ru => "не учтены",
            }),
            Value::Cells(cells) => out.push_str(&cells_text(cells, lang)),
        }
    }

    /// The value in the JSON report.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Text(t) => J::from(t.clone()),
            Value::Int(n) | Value::Minutes(n) => J::from(*n),
            Value::Date(d) => J::from(iso_day(*d)),
            Value::Moment(m) => J::from(format_moment(*m)),
            Value::List(items) => J::from(items.clone()),
            Value::Amount(a) | Value::Share(a) => J::from(*a),
            Value::Marks(marks) => J::from(
                marks
                    .iter()
                    .map(|f| review_label(*f, Lang::En))
                    .collect::<Vec<_>>(),
            ),
            Value::CallType(t) => J::from(call_type_text(*t, Lang::En)),
            Value::Empty(field) => J::from(empty_text(field, Lang::En)),
            Value::Negative(field) => J::from(negative_text(field, Lang::En)),
            Value::Blank => J::from(blank_text(Lang::En)),
            Value::AtMost(n) => serde_json::json!({ "at_most": n }),
            Value::NotCounted => J::Null,
            Value::Cells(cells) => J::from(cells_english(cells)),
        }
    }

    /// The value as the report keeps it: unreadable cells as their
    /// English descriptions, as JSON writes them (and `--mask-phones`
    /// masks them); every other value as it is.
    pub fn for_report(&self) -> Value {
        match self {
            Value::Cells(cells) => Value::List(cells_english(cells)),
            other => other.clone(),
        }
    }
}

/// Each cell described in English, as JSON and errors name it.
fn cells_english(cells: &[UnreadableCell]) -> Vec<String> {
    cells.iter().map(ToString::to_string).collect()
}

/// Unreadable cells as a message in `lang` lists them: each describes
/// itself with commas, so Russian parts them with semicolons (English
/// keeps the commas it always had).
fn cells_text(cells: &[UnreadableCell], lang: Lang) -> String {
    let described: Vec<String> = cells.iter().map(|c| c.describe(lang)).collect();
    match lang {
        Lang::En => described.join(", "),
        Lang::Ru => described.join("; "),
    }
}

/// An empty cell, as a message in `lang` shows it.
fn blank_text(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "(empty)",
        Lang::Ru => "(пусто)",
    }
}

/// An empty field, as a message in `lang` says it.
fn empty_text(field: &FieldName, lang: Lang) -> String {
    match lang {
        Lang::En => format!("no {}", field.key),
        Lang::Ru => format!("поле {} не заполнено", field.russian()),
    }
}

/// A field holding an amount below zero, as a message in `lang` says it.
fn negative_text(field: &FieldName, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} below zero", field.key),
        Lang::Ru => format!("поле {} меньше нуля", field.russian()),
    }
}

fn marks_text(marks: &[ReviewField], lang: Lang) -> String {
    let labels: Vec<&str> = marks.iter().map(|f| review_label(*f, lang)).collect();
    labels.join(", ")
}

/// How a call's type reads in a message; in English, its JSON value.
fn call_type_text(t: CallType, lang: Lang) -> &'static str {
    match (t, lang) {
        (CallType::Base, Lang::En) => "base",
        (CallType::Inbound, Lang::En) => "inbound",
        (CallType::Base, Lang::Ru) => "по базе",
        (CallType::Inbound, Lang::Ru) => "по входящей заявке",
    }
}

/// How a call-review column reads in a message or a "not checked" reason:
/// in English, its JSON value; in Russian, the regulation's words.
pub fn review_label(field: ReviewField, lang: Lang) -> &'static str {
    match lang {
        Lang::En => match field {
            ReviewField::Greeting => "greeting",
            ReviewField::Rapport => "rapport",
            ReviewField::Qualification => "qualification",
            ReviewField::Presentation => "presentation",
            ReviewField::Offer => "offer for the need",
            ReviewField::Objections => "objections",
            ReviewField::Closing => "closing question",
            ReviewField::Rudeness => "rudeness",
            ReviewField::Obscene => "obscene language",
            ReviewField::Arguing => "arguing with the client",
            ReviewField::Id | ReviewField::Time | ReviewField::Manager | ReviewField::CallType => {
                ""
            }
        },
        Lang::Ru => match field {
            ReviewField::Greeting => "приветствие",
            ReviewField::Rapport => "установление контакта",
            ReviewField::Qualification => "квалификация и выявление потребности",
            ReviewField::Presentation => "презентация продукта",
            ReviewField::Offer => "предложение продукта под потребность",
            ReviewField::Objections => "отработка возражений",
            ReviewField::Closing => "закрывающий вопрос",
            ReviewField::Rudeness => "грубость",
            ReviewField::Obscene => "нецензурная лексика",
            ReviewField::Arguing => "полемика с клиентом",
            ReviewField::Id | ReviewField::Time | ReviewField::Manager | ReviewField::CallType => {
                ""
            }
        },
    }
}

/// Formats a moment as the exports write it.
pub fn format_moment(m: Moment) -> String {
    let mut out = String::with_capacity("26.11.2026 14:30".len());
    write_moment(m, &mut out);
    out
}

/// Appends a moment as the exports write it: `26.11.2026 14:30`, or
/// `26.11.2026` for a day.
pub fn write_moment(m: Moment, out: &mut String) {
    match m {
        Moment::At(t) => {
            write_day(t.date(), out);
            out.push(' ');
            push_two(out, t.hour());
            out.push(':');
            push_two(out, t.minute());
        }
        Moment::Day(d) => write_day(d, out),
    }
}

/// Appends a day as the exports write it (`26.11.2026`, chrono's
/// `%d.%m.%Y`). Written by hand: a report writes hundreds of thousands of
/// them, and chrono reads its format string each time.
fn write_day(d: NaiveDate, out: &mut String) {
    match u32::try_from(d.year()).ok().filter(|y| *y <= 9999) {
        Some(year) => {
            push_two(out, d.day());
            out.push('.');
            push_two(out, d.month());
            out.push('.');
            push_two(out, year / 100);
            push_two(out, year % 100);
        }
        // A year of other than four digits, as chrono signs and pads it.
        None => out.push_str(&d.format("%d.%m.%Y").to_string()),
    }
}

/// A day as JSON writes it (`2026-11-26`, chrono's `%Y-%m-%d`).
fn iso_day(d: NaiveDate) -> String {
    match u32::try_from(d.year()).ok().filter(|y| *y <= 9999) {
        Some(year) => {
            let mut out = String::with_capacity("2026-11-26".len());
            push_two(&mut out, year / 100);
            push_two(&mut out, year % 100);
            out.push('-');
            push_two(&mut out, d.month());
            out.push('-');
            push_two(&mut out, d.day());
            out
        }
        None => d.format("%Y-%m-%d").to_string(),
    }
}

/// Appends `n` (below 100) as two digits.
fn push_two(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_field_is_named_as_each_reader_knows_it() {
        // The built-in ratio's denominator: the logical field `budget`,
        // found under amoCRM's header «Бюджет». JSON keeps the English.
        let budget = Value::Empty(FieldName {
            key: "budget".into(),
            logical: Some((crate::rules::columns::EntityKind::Deals, 5)),
            found: Some("Бюджет".into()),
        });
        assert_eq!(budget.message_text(Lang::En), "no budget");
        assert_eq!(budget.message_text(Lang::Ru), "поле «Бюджет» не заполнено");
        assert_eq!(budget.to_json(), serde_json::json!("no budget"));
        // An empty stage, as unknown-stage names it.
        assert_eq!(Value::Blank.message_text(Lang::En), "(empty)");
        assert_eq!(Value::Blank.message_text(Lang::Ru), "(пусто)");
        assert_eq!(Value::Blank.to_json(), serde_json::json!("(empty)"));
    }

    #[test]
    fn lateness_and_amounts_follow_the_language() {
        let late = Value::Minutes(2 * 1440 + 11 * 60);
        assert_eq!(late.message_text(Lang::Ru), "2 дня 11 ч");
        assert_eq!(late.message_text(Lang::En), "2 d 11 h");
        let budget = Value::Amount(150_000.0);
        assert_eq!(budget.message_text(Lang::Ru), "150\u{a0}000");
        assert_eq!(budget.message_text(Lang::En), "150 000");
        assert_eq!(Value::Share(0.4999).message_text(Lang::Ru), "49,9%");
        assert_eq!(Value::Share(0.4999).message_text(Lang::En), "49.9%");
    }

    #[test]
    fn days_and_moments_are_written_as_chrono_writes_them() {
        // Every day of four years around a leap year, the ends of the
        // four-digit years, and years beyond them (chrono's signs).
        let mut days: Vec<NaiveDate> = (0..4 * 366)
            .filter_map(|n| {
                NaiveDate::from_ymd_opt(2023, 1, 1)?.checked_add_days(chrono::Days::new(n))
            })
            .collect();
        for (y, m, d) in [
            (0, 1, 1),
            (9, 3, 7),
            (999, 12, 31),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
        ] {
            days.push(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        }
        for day in days {
            let at = day
                .and_hms_opt(day.ordinal() % 24, day.ordinal() % 60, 0)
                .unwrap();
            assert_eq!(
                format_moment(Moment::Day(day)),
                day.format("%d.%m.%Y").to_string()
            );
            assert_eq!(
                format_moment(Moment::At(at)),
                at.format("%d.%m.%Y %H:%M").to_string()
            );
            assert_eq!(iso_day(day), day.format("%Y-%m-%d").to_string());
            assert_eq!(
                Value::Date(day).message_text(Lang::Ru),
                day.format("%d.%m.%Y").to_string()
            );
        }
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
        assert_eq!(slot_text(&d, "late_minutes", Lang::En), "2 h 10 min");
        assert_eq!(slot_text(&d, "limit", Lang::En), "40");
        assert_eq!(
            slot_text(&d, "missing_fields", Lang::En),
            "Вентили, Аксессуары"
        );
        assert_eq!(slot_text(&d, "stage", Lang::En), "");
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

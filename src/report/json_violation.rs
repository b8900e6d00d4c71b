//! One violation of the JSON report, written from its view (`View`)
//! without making its `ViolationReport`: the bytes serde_json prints for
//! that violation pretty at its depth in the report (`json::Nested`),
//! copying none of its texts but the few made for it (a manager-day's ID,
//! a CRM card's address). A dense company's report is hundreds of
//! megabytes of these; made as reports, each cost about ten allocations,
//! its details as `serde_json::Value`s, and an escaping loop a byte at a
//! time. The tests hold this writer to serde_json's printing of the
//! violation made as a `ViolationReport`.

use super::json::Nested;
use super::json_string::{push_escaped, push_string};
use super::view::{Fingerprint, View};
use crate::audit::details::write_moment;
use crate::audit::{Detail, Value};
use crate::history::Status;

/// Appends violation `v` as an object whose braces are at `depth` (its
/// keys one deeper). `scratch` holds a message slot's or a moment's text.
pub(super) fn write(
    v: &View,
    depth: usize,
    out: &mut Vec<u8>,
    scratch: &mut String,
) -> anyhow::Result<()> {
    let mut o = Object::open(out, depth);
    o.string("rule", v.rule);
    o.string("code", v.code);
    o.string("clause", v.clause);
    o.word("severity", v.severity.as_str().as_bytes());
    o.string("manager", v.manager);
    entity(v, o.key("entity"), depth + 1);
    let out = o.key("message");
    out.push(b'"');
    v.message.write_with(out, scratch, push_escaped);
    out.push(b'"');
    details(v.details, o.key("details"), depth + 1, scratch)?;
    if let Some((file, row)) = v.source {
        let mut source = Object::open(o.key("source"), depth + 1);
        source.string("file", file);
        source.number("row", row);
        source.close();
    }
    match &v.fingerprint {
        Fingerprint::Made(digits) => o.word("fingerprint", digits.hex()),
        Fingerprint::Written(text) => o.string("fingerprint", text),
    }
    match v.status {
        Some(Status::New) => o.string("status", "new"),
        Some(Status::Open { since, runs }) => {
            o.string("status", "open");
            o.string("since", since);
            o.number("runs", *runs);
        }
        None => {}
    }
    o.close();
    Ok(())
}

/// The `entity` object, its braces at `depth`.
fn entity(v: &View, out: &mut Vec<u8>, depth: usize) {
    let mut o = Object::open(out, depth);
    o.word("kind", v.kind.as_str().as_bytes());
    o.string("id", &v.id);
    let texts = [("name", v.name), ("deal_id", v.deal_id), ("stage", v.stage)];
    for (key, text) in texts {
        if let Some(text) = text {
            o.string(key, text);
        }
    }
    if let Some(budget) = v.budget {
        // serde_json's numbers (`null` for one not finite).
        let out = o.key("budget");
        serde_json::to_writer(out, &budget).expect("a number writes into memory");
    }
    let texts = [
        ("deal_name", v.deal_name),
        ("deal_stage", v.deal_stage),
        ("url", v.url.as_deref()),
    ];
    for (key, text) in texts {
        if let Some(text) = text {
            o.string(key, text);
        }
    }
    o.close();
}

/// The `details` object, its braces at `depth`.
fn details(
    details: &[Detail],
    out: &mut Vec<u8>,
    depth: usize,
    scratch: &mut String,
) -> anyhow::Result<()> {
    let mut o = Object::open(out, depth);
    for d in details {
        let out = o.key(d.key);
        match &d.value {
            Value::Text(t) => push_string(out, t),
            Value::Int(n) | Value::Minutes(n) => push_integer(out, *n),
            Value::Moment(m) => {
                scratch.clear();
                write_moment(*m, scratch);
                push_string(out, scratch);
            }
            Value::List(items) => list(items, out, depth + 1),
            // The rest, seldom in a report, as the report prints them.
            other => {
                let mut printer =
                    serde_json::Serializer::with_formatter(&mut *out, Nested::at(depth + 1));
                serde::Serialize::serialize(&other.to_json(), &mut printer)?;
            }
        }
    }
    o.close();
    Ok(())
}

/// A list of texts, its brackets at `depth`.
fn list(items: &[String], out: &mut Vec<u8>, depth: usize) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        indent(out, depth + 1);
        push_string(out, item);
    }
    if !items.is_empty() {
        out.push(b'\n');
        indent(out, depth);
    }
    out.push(b']');
}

/// An object being written: `{`, then each key on a line of its own one
/// level deeper than the braces, as serde_json's pretty printing puts it.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    /// The braces' depth.
    depth: usize,
    empty: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>, depth: usize) -> Self {
        out.push(b'{');
        Object {
            out,
            depth,
            empty: true,
        }
    }

    /// Starts the entry of `key`: the bytes for its value go after. The
    /// keys are the program's own words, none of which JSON escapes (a
    /// detail's key is a name in a check's code). Inlined, so that the
    /// key's bytes are copied as a constant's.
    #[inline(always)]
    fn key(&mut self, key: &'static str) -> &mut Vec<u8> {
        debug_assert!(!key.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.out.push(b'\n');
        indent(self.out, self.depth + 1);
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
        self.out
    }

    #[inline(always)]
    fn string(&mut self, key: &'static str, value: &str) {
        push_string(self.key(key), value);
    }

    fn number(&mut self, key: &'static str, value: impl itoa::Integer) {
        push_integer(self.key(key), value);
    }

    /// A text of the program's own (a severity, a kind) or made of hex
    /// digits: written as it is, nothing in it for JSON to escape.
    #[inline(always)]
    fn word(&mut self, key: &'static str, value: &[u8]) {
        debug_assert!(!value.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\'));
        let out = self.key(key);
        out.push(b'"');
        out.extend_from_slice(value);
        out.push(b'"');
    }

    fn close(self) {
        if !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(b'}');
    }
}

/// A whole number, as serde_json writes one (with `itoa`).
fn push_integer(out: &mut Vec<u8>, value: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Two spaces a level, as serde_json's pretty printing indents. Up to
/// eight levels (every key of a violation in the report) as sixteen
/// spaces cut back: a copy of a fixed length is a few moves in place,
/// where one of the depth's length is a call of `memcpy`.
#[inline]
fn indent(out: &mut Vec<u8>, depth: usize) {
    const SPACES: [u8; 16] = [b' '; 16];
    if depth <= SPACES.len() / 2 {
        let at = out.len();
        out.extend_from_slice(&SPACES);
        out.truncate(at + 2 * depth);
    } else {
        (0..depth).for_each(|_| out.extend_from_slice(b"  "));
    }
}

#[cfg(test)]
mod tests {
    use super::super::json::Nested;
    use super::super::view::View;
    use super::super::{DetailsReport, EntityKind, EntityReport, SourceReport, ViolationReport};
    use crate::audit::details::detail;
    use crate::audit::{FieldName, Value};
    use crate::history::Status;
    use crate::input::error::{Column, RowWord, UnreadableCell};
    use crate::model::CallType;
    use crate::rules::columns::ReviewField;
    use crate::rules::Severity;
    use crate::value::Moment;
    use chrono::NaiveDate;

    /// Texts JSON escapes, and some it does not.
    const AWKWARD: &str = "«Кавычки» \"и\" \\ обратная\nстрока\tтаб\r\u{1}\u{1f}\u{7f} — ок";

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn cell() -> UnreadableCell {
        UnreadableCell {
            file: "deals \"1\".csv".into(),
            row_word: RowWord::Line,
            row: 7,
            column: Column {
                header: Some("Срок".into()),
                index: 4,
            },
            error: crate::value::ValueError::NotA {
                written: crate::value::Written::Whole("вчера".into()),
                kind: crate::value::Expected::Date,
            },
        }
    }

    /// One detail of every kind of value, some twice.
    fn every_value() -> Vec<crate::audit::Detail> {
        let field = |found: Option<&str>| FieldName {
            key: "budget".into(),
            logical: None,
            found: found.map(Into::into),
        };
        vec![
            detail("text", Value::Text(AWKWARD.into())),
            detail("empty_text", Value::Text(String::new())),
            detail("int", Value::Int(-42)),
            detail("late_minutes", Value::Minutes(3690)),
            detail("date", Value::Date(day())),
            detail(
                "due",
                Value::Moment(Moment::At(day().and_hms_opt(9, 5, 0).unwrap())),
            ),
            detail("due_day", Value::Moment(Moment::Day(day()))),
            detail("list", Value::List(vec!["Вентили".into(), AWKWARD.into()])),
            detail("empty_list", Value::List(Vec::new())),
            detail("amount", Value::Amount(150_000.5)),
            detail("not_a_number", Value::Amount(f64::NAN)),
            detail("share", Value::Share(0.45)),
            detail(
                "marks",
                Value::Marks(vec![ReviewField::Greeting, ReviewField::Rudeness]),
            ),
            detail("no_marks", Value::Marks(Vec::new())),
            detail("call_type", Value::CallType(CallType::Inbound)),
            detail("blank", Value::Blank),
            detail("empty", Value::Empty(field(Some("Бюджет")))),
            detail("negative", Value::Negative(field(None))),
            detail("at_most", Value::AtMost(10)),
            detail("not_counted", Value::NotCounted),
            detail("cells", Value::Cells(vec![cell(), cell()])),
        ]
    }

    fn violation(details: Vec<crate::audit::Detail>, status: Option<Status>) -> ViolationReport {
        ViolationReport {
            rule: "overdue-task",
            code: "CA001".into(),
            clause: "4.1 \"б\"".into(),
            severity: Severity::Warning,
            manager: AWKWARD.into(),
            entity: EntityReport {
                kind: EntityKind::Task,
                id: "52000923".into(),
                name: Some(AWKWARD.into()),
                deal_id: Some("31401009".into()),
                stage: Some("Квалификация".into()),
                budget: Some(1234.5),
                deal_name: Some("Склад \\ радиаторы".into()),
                deal_stage: Some("Счет".into()),
                url: Some("https://crm.example/leads/31401009?a=1&b=\"2\"".into()),
            },
            message: format!("задача просрочена: {AWKWARD}"),
            details: DetailsReport(
                details
                    .iter()
                    .map(crate::audit::Detail::for_report)
                    .collect(),
            ),
            source: Some(SourceReport {
                file: "C:\\exports\\tasks.csv".into(),
                row: 969,
            }),
            fingerprint: "f9e785976f40d445".into(),
            status,
        }
    }

    /// What serde_json prints for `v` at `depth`.
    fn printed(v: &ViolationReport, depth: usize) -> String {
        let mut out = Vec::new();
        let mut printer = serde_json::Serializer::with_formatter(&mut out, Nested::at(depth));
        serde::Serialize::serialize(v, &mut printer).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn written(view: &View, depth: usize) -> String {
        let mut out = Vec::new();
        super::write(view, depth, &mut out, &mut String::new()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_field_and_value_is_written_as_serde_json_prints_it() {
        let statuses = [
            None,
            Some(Status::New),
            Some(Status::Open {
                since: "2026-11-20T02:00:00+03:00".into(),
                runs: 7,
            }),
        ];
        for status in statuses {
            let v = violation(every_value(), status);
            for depth in [0, 2, 5] {
                assert_eq!(written(&View::of_report(&v), depth), printed(&v, depth));
            }
        }
    }

    #[test]
    fn absent_fields_and_empty_details_are_left_out_as_serde_json_leaves_them() {
        let mut v = violation(Vec::new(), None);
        v.entity = super::super::sample::entity(EntityKind::ManagerDay, "Иванова/2026-11-26");
        v.source = None;
        let out = written(&View::of_report(&v), 2);
        assert!(out.contains("\"details\": {}"), "{out}");
        assert_eq!(out, printed(&v, 2));
        // A budget that is no number prints as serde_json prints it.
        v.entity.budget = Some(f64::INFINITY);
        assert_eq!(written(&View::of_report(&v), 2), printed(&v, 2));
    }

    #[test]
    fn unreadable_cells_as_the_check_gives_them_print_as_the_report_keeps_them() {
        // A violation being written borrows the check's details, cells and
        // all; the report's own copy holds them as English descriptions.
        let given = every_value();
        let v = violation(given.clone(), None);
        let mut view = View::of_report(&v);
        view.details = &given;
        assert_eq!(written(&view, 2), printed(&v, 2));
    }
}

//! `not-before-as-of`, generic: a date field must not be before the audit
//! moment (a planned date already past). A value that is no date is not
//! judged: it is the record's unreadable value.

use super::generic::{describe_field, FieldOf, Walk, FIELD};
use super::overdue_task::{lateness, LATE};
use super::shared::{fill, STAGE};
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Sink, Value};
use crate::model::Dataset;
use crate::rules::condition::{Condition, Facts};
use crate::rules::fields::ValueKind;
use crate::rules::{Record, RuleSet};
use crate::value::parse_moment;
use chrono::NaiveDateTime;

/// A date field must not be before the audit moment.
#[derive(Debug, Clone)]
pub struct NotBeforeAsOf {
    pub field: FieldOf,
    pub when: Condition,
}

/// `{date}`: the date as written.
const DATE: Placeholder = Placeholder::new("date");

impl Kind for NotBeforeAsOf {
    const NAME: &'static str = "not-before-as-of";
    const PARAMS: &'static [Param] = &[Param::new("entity", Shape::Text), Param::new("field", Shape::Text), Param::new("when", Shape::Condition)];
    const PLACEHOLDERS: &'static [Placeholder] = &[FIELD, DATE, LATE, STAGE];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        let (field, when) = FieldOf::compile(cx)?;
        let text = cx.needs(cx.text("field"), "field")?;
        let src = cx.src;
        cx.catalog(field.record)
            .0
            .require(field.field, ValueKind::Moment)
            .map_err(|e| src.error(Some(text.span()), e))?;
        Ok(NotBeforeAsOf { field, when })
    }

    fn describe(&self, rules: &RuleSet, out: &mut Described) {
        describe_field(rules, &self.field, &self.when, out);
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        let f = &self.field;
        not_before(cx.data, cx.rules, f.record, (f.field, f.slot), &self.when, cx.as_of, sink);
    }
}

fn not_before(
    data: &Dataset,
    rules: &RuleSet,
    record: Record,
    (field, slot): (usize, usize),
    when: &Condition,
    as_of: NaiveDateTime,
    sink: &mut Sink,
) {
    let mut walk = Walk::new(data, rules, record);
    for i in walk.indexes() {
        if !walk.meets(when, i) {
            continue;
        }
        let facts = walk.facts(i);
        let Some(text) = facts.value(slot) else {
            continue;
        };
        // Not a date: kept as written and reported as the record's
        // unreadable value, never judged.
        let Ok(date) = parse_moment(text, rules.time_zone) else {
            continue;
        };
        if let Some(late) = lateness(date, as_of) {
            let mut details = vec![
                fill(FIELD, Value::Text(walk.catalog.name(field).to_string())),
                fill(DATE, Value::Moment(date)),
                fill(LATE, Value::Minutes(late)),
            ];
            details.extend(walk.lead_details(i));
            sink.violation(walk.manager(i), walk.entity(i), details);
        }
    }
    walk.finish(&[field], sink);
}

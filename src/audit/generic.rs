//! The generic checks a rule file writes rules in: a field is required, a
//! value is in a set or matches a pattern, a ratio of two amounts is within
//! bounds, a date is not before the audit moment. Each reads deals or tasks
//! through their catalog fields and judges only records whose file has the
//! columns the rule needs.

use super::details::{detail, Value};
use super::facts::RecordFacts;
use super::tasks::lateness;
use super::{stage_detail, Details, Entity, FieldName, RatioGap, Reason, Sink};
use crate::model::{Dataset, ManagerId};
use crate::rules::columns::{DealField, EntityKind};
use crate::rules::condition::{Condition, Facts};
use crate::rules::fields::{FieldCatalog, FieldSource};
use crate::rules::{RatioParams, Record, RuleSet};
use crate::value::{normalize_header, parse_amount, parse_moment};
use chrono::NaiveDateTime;
use std::collections::BTreeMap;

/// The records a generic check walks, with what it needs of each.
struct Walk<'a> {
    data: &'a Dataset,
    catalog: &'a FieldCatalog,
    record: Record,
    /// Leads are walked too (the rule says `leads = true`).
    leads: bool,
    /// Records whose condition could not be judged, by the missing fields.
    unknown: BTreeMap<String, usize>,
}

impl<'a> Walk<'a> {
    fn new(data: &'a Dataset, rules: &'a RuleSet, record: Record) -> Self {
        let catalog = match record {
            Record::Deal => &rules.deal_fields,
            Record::Task => &rules.task_fields,
        };
        Walk {
            data,
            catalog,
            record,
            leads: false,
            unknown: BTreeMap::new(),
        }
    }

    /// The records walked: every task, or every deal (and lead, where the
    /// rule judges leads). Borrows the dataset, not the walk.
    fn indexes(&self) -> impl Iterator<Item = usize> + 'a {
        let (data, leads) = (self.data, self.leads);
        let count = match self.record {
            Record::Deal => data.deals.len(),
            Record::Task => data.tasks.len(),
        };
        let record = self.record;
        (0..count)
            .filter(move |&i| record == Record::Task || leads || !data.is_lead(&data.deals[i]))
    }

    fn facts(&self, index: usize) -> RecordFacts<'a> {
        RecordFacts {
            data: self.data,
            catalog: self.catalog,
            record: self.record,
            index,
        }
    }

    /// Whether record `index` meets `when`; an unknown answer is counted.
    /// A task with an unreadable value meets nothing: its
    /// unreadable-value finding says it was not judged.
    fn meets(&mut self, when: &Condition, index: usize) -> bool {
        if self.record == Record::Task && self.data.tasks[index].unreadable {
            return false;
        }
        match when.eval(&self.facts(index)) {
            Some(b) => b,
            None => {
                let mut fields = Vec::new();
                when.fields(self.catalog, &mut fields);
                *self.unknown.entry(fields.join(", ")).or_default() += 1;
                false
            }
        }
    }

    fn manager(&self, index: usize) -> ManagerId {
        match self.record {
            Record::Deal => self.data.deals[index].manager,
            Record::Task => self.data.tasks[index].manager,
        }
    }

    fn entity(&self, index: usize) -> Entity {
        match self.record {
            Record::Deal => Entity::Deal(index),
            Record::Task => Entity::Task(index),
        }
    }

    /// The deal's stage, as the first detail of a deal's violation.
    fn lead_details(&self, index: usize) -> Details {
        match self.record {
            Record::Deal => vec![stage_detail(self.data, &self.data.deals[index])],
            Record::Task => Vec::new(),
        }
    }

    /// Says which files lack the columns of `fields`, and which records'
    /// conditions could not be judged.
    fn finish(self, fields: &[usize], sink: &mut Sink) {
        let kind = match self.record {
            Record::Deal => EntityKind::Deals,
            Record::Task => EntityKind::Tasks,
        };
        let leads = self.leads && self.data.has_kind(EntityKind::Leads);
        if !self.data.has_kind(kind) {
            sink.not_checked(Reason::NoFileOf(kind));
        }
        let lead_files = self.data.files_of(EntityKind::Leads).filter(|_| leads);
        for file in self.data.files_of(kind).chain(lead_files) {
            let absent: Vec<FieldName> = fields
                .iter()
                .filter(|&&f| !file.fields_present.contains(f))
                .map(|&f| FieldName::of(self.data, self.catalog, f, file))
                .collect();
            if !absent.is_empty() {
                sink.not_checked(Reason::NoColumnFor {
                    file: file.path.clone(),
                    columns: absent,
                });
            }
        }
        for (fields, n) in self.unknown {
            sink.not_checked(Reason::ConditionUnknown { records: n, fields });
        }
    }
}

pub(super) fn required(
    data: &Dataset,
    rules: &RuleSet,
    (record, leads): (Record, bool),
    fields: &[usize],
    when: &Condition,
    sink: &mut Sink,
) {
    let mut walk = Walk::new(data, rules, record);
    walk.leads = leads;
    for i in walk.indexes() {
        if !walk.meets(when, i) {
            continue;
        }
        let facts = walk.facts(i);
        let missing: Vec<String> = fields
            .iter()
            .filter(|&&f| facts.filled(f) == Some(false))
            .map(|&f| walk.catalog.name(f).to_string())
            .collect();
        if !missing.is_empty() {
            let mut details = vec![detail("missing_fields", Value::List(missing))];
            details.extend(walk.lead_details(i));
            sink.violation(walk.manager(i), walk.entity(i), details);
        }
    }
    walk.finish(fields, sink);
}

/// A check of one field's text against a test; empty values are not judged
/// (whether a field must be filled is `required`'s business).
fn each_value(
    data: &Dataset,
    rules: &RuleSet,
    record: Record,
    (field, slot): (usize, usize),
    when: &Condition,
    sink: &mut Sink,
    fails: impl Fn(&str) -> bool,
) {
    let mut walk = Walk::new(data, rules, record);
    for i in walk.indexes() {
        if !walk.meets(when, i) {
            continue;
        }
        let facts = walk.facts(i);
        let Some(value) = facts.value(slot) else {
            continue;
        };
        if !value.is_empty() && fails(value) {
            let mut details = vec![
                detail("field", Value::Text(walk.catalog.name(field).to_string())),
                detail("value", Value::Text(value.to_string())),
            ];
            details.extend(walk.lead_details(i));
            sink.violation(walk.manager(i), walk.entity(i), details);
        }
    }
    walk.finish(&[field], sink);
}

pub(super) fn in_set(
    data: &Dataset,
    rules: &RuleSet,
    record: Record,
    field: (usize, usize),
    values: &[String],
    when: &Condition,
    sink: &mut Sink,
) {
    each_value(data, rules, record, field, when, sink, |v| {
        let key = normalize_header(v);
        !values.contains(&key)
    });
}

pub(super) fn pattern(
    data: &Dataset,
    rules: &RuleSet,
    record: Record,
    field: (usize, usize),
    pattern: &regex::Regex,
    when: &Condition,
    sink: &mut Sink,
) {
    each_value(data, rules, record, field, when, sink, |v| {
        !pattern.is_match(v)
    });
}

pub(super) fn not_before(
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
                detail("field", Value::Text(walk.catalog.name(field).to_string())),
                detail("date", Value::Moment(date)),
                detail("late_minutes", Value::Minutes(late)),
            ];
            details.extend(walk.lead_details(i));
            sink.violation(walk.manager(i), walk.entity(i), details);
        }
    }
    walk.finish(&[field], sink);
}

pub(super) fn ratio(data: &Dataset, rules: &RuleSet, p: &RatioParams, sink: &mut Sink) {
    let mut walk = Walk::new(data, rules, Record::Deal);
    for i in walk.indexes() {
        // Without a denominator column nothing can be judged; without a
        // numerator column only whether the denominator is there.
        // An unreadable denominator (reported as the deal's unreadable
        // value) leaves the whole rule unjudged for the deal; an unreadable
        // numerator only the ratio, as a missing column does.
        let Some(Some(total)) = ratio_amount(&walk, i, p.denominator, p.denominator_slot) else {
            continue;
        };
        let numerator = ratio_amount(&walk, i, p.numerator, p.numerator_slot).flatten();
        let share = (total > 0.0).then(|| numerator.map(|paid| paid / total));
        let breaks = match share {
            None => p
                .denominator_required_when
                .as_ref()
                .is_some_and(|c| walk.meets(c, i)),
            Some(None) => false,
            Some(Some(share)) => {
                walk.meets(&p.when, i)
                    && (p.min.is_some_and(|min| share < min)
                        || p.max.is_some_and(|max| share > max))
            }
        };
        let paid = numerator.unwrap_or(0.0);
        let share = share.flatten();
        if breaks {
            let mut details = walk.lead_details(i);
            details.push(detail("numerator", Value::Amount(paid)));
            details.push(detail(
                "denominator",
                if total > 0.0 {
                    Value::Amount(total)
                } else {
                    Value::Text("—".into())
                },
            ));
            details.push(detail(
                "ratio",
                match share {
                    Some(s) => Value::Share(s),
                    None => Value::Text(format!("no {}", walk.catalog.name(p.denominator))),
                },
            ));
            if let Some(min) = p.min {
                details.push(detail("min", Value::Share(min)));
            }
            if let Some(max) = p.max {
                details.push(detail("max", Value::Share(max)));
            }
            sink.violation(walk.manager(i), walk.entity(i), details);
        }
    }
    say_which_part_is_not_checked(&walk, p, sink);
    walk.finish(&[], sink);
}

/// A file without the denominator's column switches the whole rule off for
/// its records; one without only the numerator's switches off the ratio,
/// not the check that the denominator is there.
fn say_which_part_is_not_checked(walk: &Walk, p: &RatioParams, sink: &mut Sink) {
    for file in walk.data.files_of(EntityKind::Deals) {
        let name = |field| FieldName::of(walk.data, walk.catalog, field, file);
        let has = |field: usize| file.fields_present.contains(field);
        let gap = match (has(p.numerator), has(p.denominator)) {
            (true, true) => continue,
            (false, false) => RatioGap::Both(name(p.numerator), name(p.denominator)),
            (true, false) => RatioGap::Denominator(name(p.denominator)),
            (false, true) if p.denominator_required_when.is_some() => {
                RatioGap::NumeratorWhereRequired(name(p.numerator), name(p.denominator))
            }
            (false, true) => RatioGap::Numerator(name(p.numerator)),
        };
        sink.not_checked(Reason::Ratio {
            file: file.path.clone(),
            gap,
        });
    }
}

/// An amount of deal `i` for a ratio: `None` when its file lacks the
/// column, `Some(None)` when its text is no amount (kept as written, and
/// reported as the deal's unreadable value); empty is zero. The budget is
/// the deal's, not its first row's text: an export with products writes one
/// amount per row, added up into the deal's budget.
fn ratio_amount(walk: &Walk, i: usize, field: usize, slot: usize) -> Option<Option<f64>> {
    let facts = walk.facts(i);
    let text = facts.value(slot)?;
    if walk.catalog.fields[field].source == FieldSource::Logical(DealField::Budget.index()) {
        if let Some(budget) = walk.data.deals[i].budget {
            return Some(Some(budget));
        }
    }
    Some(if text.is_empty() {
        Some(0.0)
    } else {
        parse_amount(text).ok()
    })
}

#[cfg(test)]
#[path = "generic_tests.rs"]
mod tests;

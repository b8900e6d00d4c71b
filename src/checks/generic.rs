//! What the generic kinds share (`required`, `in-set`, `pattern`,
//! `not-before-as-of`, `ratio`): a rule file writes rules in them. Each
//! reads deals or tasks through their catalog fields and judges only
//! records whose file has the columns the rule needs.

use super::shared::{fill, stage_detail};
use super::{Described, Placeholder};
use crate::audit::facts::RecordFacts;
use crate::audit::{Details, Entity, FieldName, Reason, Sink, Value};
use crate::model::{Dataset, ManagerId};
use crate::rules::columns::EntityKind;
use crate::rules::condition::{Condition, Facts};
use crate::rules::fields::FieldCatalog;
use crate::rules::{Record, RuleSet};
use std::collections::BTreeMap;

/// `{field}`: the field judged.
pub(super) const FIELD: Placeholder = Placeholder::new("field");
/// `{value}`: its value as written.
pub(super) const VALUE: Placeholder = Placeholder::new("value");

/// A field of a record, and the slot its text is kept in.
#[derive(Debug, Clone)]
pub struct FieldOf {
    pub record: Record,
    pub field: usize,
    pub slot: usize,
}

impl FieldOf {
    /// `entity`, `when` and `field` (whose text is read), in that order.
    pub(super) fn compile(
        cx: &mut super::compile::Compile,
    ) -> crate::rules::compile::Result<(FieldOf, Condition)> {
        let record = cx.record()?;
        let when = cx.when(record)?;
        let text = cx.needs(cx.text("field"), "field")?;
        let field = cx.field(record, text, true)?;
        let slot = cx.slot(record, field);
        Ok((
            FieldOf {
                record,
                field,
                slot,
            },
            when,
        ))
    }
}

/// `entity`, `field` and `when` as `crm-audit explain` shows them.
pub(super) fn describe_field(rules: &RuleSet, f: &FieldOf, when: &Condition, out: &mut Described) {
    let catalog = catalog(rules, f.record);
    out.push(("entity".into(), record_name(f.record).into()));
    out.push(("field".into(), format!("«{}»", catalog.name(f.field))));
    describe_when(rules, f.record, when, out);
}

pub(super) fn describe_when(
    rules: &RuleSet,
    record: Record,
    when: &Condition,
    out: &mut Described,
) {
    let text = crate::rules::describe::condition(rules, catalog(rules, record), when);
    out.push(("when".into(), text));
}

pub(super) fn record_name(record: Record) -> &'static str {
    match record {
        Record::Deal => "deal",
        Record::Task => "task",
    }
}

pub(super) fn catalog(rules: &RuleSet, record: Record) -> &FieldCatalog {
    match record {
        Record::Deal => &rules.deal_fields,
        Record::Task => &rules.task_fields,
    }
}

/// The records a generic check walks, with what it needs of each.
pub(super) struct Walk<'a> {
    pub(super) data: &'a Dataset,
    pub(super) catalog: &'a FieldCatalog,
    pub(super) record: Record,
    /// Leads are walked too (the rule says `leads = true`).
    pub(super) leads: bool,
    /// Records whose condition could not be judged, by the missing fields.
    unknown: BTreeMap<String, usize>,
}

impl<'a> Walk<'a> {
    pub(super) fn new(data: &'a Dataset, rules: &'a RuleSet, record: Record) -> Self {
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
    pub(super) fn indexes(&self) -> impl Iterator<Item = usize> + 'a {
        let (data, leads) = (self.data, self.leads);
        let count = match self.record {
            Record::Deal => data.deals.len(),
            Record::Task => data.tasks.len(),
        };
        let record = self.record;
        (0..count)
            .filter(move |&i| record == Record::Task || leads || !data.is_lead(&data.deals[i]))
    }

    pub(super) fn facts(&self, index: usize) -> RecordFacts<'a> {
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
    pub(super) fn meets(&mut self, when: &Condition, index: usize) -> bool {
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

    pub(super) fn manager(&self, index: usize) -> ManagerId {
        match self.record {
            Record::Deal => self.data.deals[index].manager,
            Record::Task => self.data.tasks[index].manager,
        }
    }

    pub(super) fn entity(&self, index: usize) -> Entity {
        match self.record {
            Record::Deal => Entity::Deal(index),
            Record::Task => Entity::Task(index),
        }
    }

    /// The deal's stage, as the first detail of a deal's violation.
    pub(super) fn lead_details(&self, index: usize) -> Details {
        match self.record {
            Record::Deal => vec![stage_detail(self.data, &self.data.deals[index])],
            Record::Task => Vec::new(),
        }
    }

    /// Says which files lack the columns of `fields`, and which records'
    /// conditions could not be judged.
    pub(super) fn finish(self, fields: &[usize], sink: &mut Sink) {
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

/// A check of one field's text against a test; empty values are not judged
/// (whether a field must be filled is `required`'s business).
pub(super) fn each_value(
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
                fill(FIELD, Value::Text(walk.catalog.name(field).to_string())),
                fill(VALUE, Value::Text(value.to_string())),
            ];
            details.extend(walk.lead_details(i));
            sink.violation(walk.manager(i), walk.entity(i), details);
        }
    }
    walk.finish(&[field], sink);
}

#[cfg(test)]
#[path = "generic_tests.rs"]
mod tests;

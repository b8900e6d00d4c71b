//! `required`, generic: the fields must be filled on the records (deals or
//! tasks) that meet `when`.

use super::generic::{catalog, describe_when, record_name, Walk};
use super::shared::{fill, STAGE};
use super::stage_missing_data::FIELDS;
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Sink, Value};
use crate::model::Dataset;
use crate::rules::condition::{Condition, Facts};
use crate::rules::{Record, RuleSet};

/// The fields must be filled on records meeting `when`.
#[derive(Debug, Clone)]
pub struct Required {
    pub record: Record,
    pub fields: Vec<usize>,
    pub when: Condition,
}

impl Kind for Required {
    const NAME: &'static str = "required";
    const PARAMS: &'static [Param] = &[Param::new("entity", Shape::Text), Param::new("fields", Shape::List), Param::new("when", Shape::Condition), Param::new("leads", Shape::Flag)];
    const PLACEHOLDERS: &'static [Placeholder] = &[FIELDS, STAGE];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        let record = cx.record()?;
        let when = cx.when(record)?;
        let mut fields = Vec::new();
        for f in cx.needs(cx.list("fields"), "fields")? {
            fields.push(cx.field(record, f, false)?);
        }
        // Leads are deals at their status: a rule over tasks cannot judge them.
        if let Some(leads) = cx.flag("leads") {
            if *leads.get_ref() && record == Record::Task {
                return Err(cx.error(
                    Some(leads.span()),
                    format!(
                        "rule {} checks tasks: `leads = true` needs `entity = \"deal\"`",
                        cx.rule()
                    ),
                ));
            }
        }
        Ok(Required {
            record,
            fields,
            when,
        })
    }

    fn describe(&self, rules: &RuleSet, out: &mut Described) {
        let catalog = catalog(rules, self.record);
        out.push(("entity".into(), record_name(self.record).into()));
        let names: Vec<String> = self
            .fields
            .iter()
            .map(|f| format!("«{}»", catalog.name(*f)))
            .collect();
        out.push(("fields".into(), names.join(", ")));
        describe_when(rules, self.record, &self.when, out);
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        let on = (self.record, cx.leads);
        required(cx.data, cx.rules, on, &self.fields, &self.when, sink);
    }
}

fn required(
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
            let mut details = vec![fill(FIELDS, Value::List(missing))];
            details.extend(walk.lead_details(i));
            sink.violation(walk.manager(i), walk.entity(i), details);
        }
    }
    walk.finish(fields, sink);
}

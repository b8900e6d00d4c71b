//! `in-set`, generic: a field's value must be one of a list (compared as
//! headers are: trimmed, case and `ё` ignored). Empty values are not
//! judged (whether a field must be filled is `required`'s business).

use super::generic::{describe_field, each_value, FieldOf, FIELD, VALUE};
use super::shared::STAGE;
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::Sink;
use crate::model::Dataset;
use crate::rules::condition::Condition;
use crate::rules::{Record, RuleSet};
use crate::value::normalize_header;

/// The field's value must be one of `values` (normalised).
#[derive(Debug, Clone)]
pub struct InSet {
    pub field: FieldOf,
    pub values: Vec<String>,
    pub when: Condition,
}

impl Kind for InSet {
    const NAME: &'static str = "in-set";
    const PARAMS: &'static [Param] = &[Param::new("entity", Shape::Text), Param::new("field", Shape::Text), Param::new("values", Shape::List), Param::new("when", Shape::Condition)];
    const PLACEHOLDERS: &'static [Placeholder] = &[FIELD, VALUE, STAGE];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        let (field, when) = FieldOf::compile(cx)?;
        let values = cx.needs(cx.list("values"), "values")?;
        Ok(InSet {
            field,
            values: values.iter().map(|v| normalize_header(v.get_ref())).collect(),
            when,
        })
    }

    fn describe(&self, rules: &RuleSet, out: &mut Described) {
        describe_field(rules, &self.field, &self.when, out);
        let values: Vec<String> = self.values.iter().map(|v| format!("«{v}»")).collect();
        // `values` stands between `field` and `when`, as the rule file has it.
        out.insert(out.len() - 1, ("values".into(), values.join(", ")));
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        let f = &self.field;
        in_set(cx.data, cx.rules, f.record, (f.field, f.slot), &self.values, &self.when, sink);
    }
}

fn in_set(
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

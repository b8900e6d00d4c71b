//! `pattern`, generic: a field's value must match a regular expression
//! (ignoring case). Empty values are not judged.

use super::generic::{describe_field, each_value, FieldOf, FIELD, VALUE};
use super::shared::STAGE;
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::Sink;
use crate::model::Dataset;
use crate::rules::condition::Condition;
use crate::rules::{Record, RuleSet};

/// The field's value must match the pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub field: FieldOf,
    pub pattern: regex::Regex,
    pub when: Condition,
}

impl Kind for Pattern {
    const NAME: &'static str = "pattern";
    const PARAMS: &'static [Param] = &[Param::new("entity", Shape::Text), Param::new("field", Shape::Text), Param::new("pattern", Shape::Text), Param::new("when", Shape::Condition)];
    const PLACEHOLDERS: &'static [Placeholder] = &[FIELD, VALUE, STAGE];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        let (field, when) = FieldOf::compile(cx)?;
        let pattern = cx.regex(cx.needs(cx.text("pattern"), "pattern")?)?;
        Ok(Pattern {
            field,
            pattern,
            when,
        })
    }

    fn describe(&self, rules: &RuleSet, out: &mut Described) {
        describe_field(rules, &self.field, &self.when, out);
        out.insert(out.len() - 1, ("pattern".into(), self.pattern.as_str().into()));
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        let f = &self.field;
        pattern(cx.data, cx.rules, f.record, (f.field, f.slot), &self.pattern, &self.when, sink);
    }
}

fn pattern(
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

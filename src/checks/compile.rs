//! What a kind compiles its parameters with: the rule's table, where it is
//! written (for errors located in the rule file), the stages its conditions
//! may name, and the field catalogs its fields are interned in.

use crate::rules::columns::{EntityKind, ReviewField};
use crate::rules::compile::{nearest, Result};
use crate::rules::compile_condition::condition;
use crate::rules::compile_rules::Context;
use crate::rules::condition::Condition;
use crate::rules::fields::{FieldCatalog, ValueKind};
use crate::rules::location::{RuleFileError, SourceMap};
use crate::rules::raw::{RawCondition, RawParam, RawRule, Text};
use crate::rules::Record;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

pub(crate) struct Compile<'a> {
    pub src: &'a SourceMap,
    /// The rule's name as the rule file writes it (`[rules.NAME]`).
    pub name: &'a Text,
    pub raw: &'a RawRule,
    pub ctx: &'a Context<'a>,
    pub deal_fields: &'a mut FieldCatalog,
    pub task_fields: &'a mut FieldCatalog,
}

impl<'a> Compile<'a> {
    /// The rule's name, trimmed.
    pub fn rule(&self) -> &'a str {
        self.name.get_ref().trim()
    }

    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> RuleFileError {
        self.src.error(span, message)
    }

    /// A parameter the rule must set: "rule NAME needs `key`" where it does not.
    pub fn needs<T>(&self, value: Option<T>, key: &str) -> Result<T> {
        value.ok_or_else(|| {
            self.error(
                Some(self.name.span()),
                format!("rule {} needs `{key}`", self.rule()),
            )
        })
    }

    fn param(&self, key: &str) -> Option<&'a RawParam> {
        self.raw.params.get(key)
    }

    /// A string parameter.
    pub fn text(&self, key: &str) -> Option<&'a Text> {
        match self.param(key)? {
            RawParam::Text(t) => Some(t),
            _ => None,
        }
    }

    /// A list of strings.
    pub fn list(&self, key: &str) -> Option<&'a [Text]> {
        match self.param(key)? {
            RawParam::List(l) => Some(l),
            _ => None,
        }
    }

    /// A whole number.
    pub fn count(&self, key: &str) -> Option<&'a Spanned<u32>> {
        match self.param(key)? {
            RawParam::Count(n) => Some(n),
            _ => None,
        }
    }

    pub fn number(&self, key: &str) -> Option<&'a Spanned<f64>> {
        match self.param(key)? {
            RawParam::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn flag(&self, key: &str) -> Option<&'a Spanned<bool>> {
        match self.param(key)? {
            RawParam::Flag(f) => Some(f),
            _ => None,
        }
    }

    /// Whole numbers by name.
    pub fn counts(&self, key: &str) -> Option<&'a BTreeMap<String, Spanned<u32>>> {
        match self.param(key)? {
            RawParam::Counts(m) => Some(m),
            _ => None,
        }
    }

    fn raw_condition(&self, key: &str) -> Option<&'a Spanned<RawCondition>> {
        match self.param(key)? {
            RawParam::Condition(c) => Some(c),
            _ => None,
        }
    }

    /// The condition under `key`, over `record`; `None` where the rule sets none.
    pub fn condition(&mut self, key: &str, record: Record) -> Result<Option<Condition>> {
        self.raw_condition(key)
            .map(|c| {
                condition(
                    self.src,
                    c,
                    record,
                    self.ctx,
                    self.deal_fields,
                    self.task_fields,
                )
            })
            .transpose()
    }

    /// `when`, or always.
    pub fn when(&mut self, record: Record) -> Result<Condition> {
        Ok(self.condition("when", record)?.unwrap_or(Condition::Always))
    }

    /// The record `entity` names: deals unless it says tasks.
    pub fn record(&self) -> Result<Record> {
        match self.text("entity") {
            None => Ok(Record::Deal),
            Some(e) => match e.get_ref().trim() {
                "deal" => Ok(Record::Deal),
                "task" => Ok(Record::Task),
                other => Err(self.error(
                    Some(e.span()),
                    format!("entity `{other}`: use deal or task"),
                )),
            },
        }
    }

    /// The catalog of `record`'s fields.
    pub fn catalog(&mut self, record: Record) -> (&mut FieldCatalog, EntityKind) {
        match record {
            Record::Deal => (&mut *self.deal_fields, EntityKind::Deals),
            Record::Task => (&mut *self.task_fields, EntityKind::Tasks),
        }
    }

    /// Field `t` of `record`, interned; `value`: its text is read.
    pub fn field(&mut self, record: Record, t: &Text, value: bool) -> Result<usize> {
        let src = self.src;
        let (catalog, kind) = self.catalog(record);
        catalog
            .intern(kind, t.get_ref(), value)
            .map_err(|e| src.error(Some(t.span()), e))
    }

    /// Field `t` of `record`, read as `kind` of value.
    pub fn typed_field(&mut self, record: Record, t: &Text, kind: ValueKind) -> Result<usize> {
        let field = self.field(record, t, true)?;
        let src = self.src;
        self.catalog(record)
            .0
            .require(field, kind)
            .map_err(|e| src.error(Some(t.span()), e))?;
        Ok(field)
    }

    /// The slot a field interned with its value keeps its text in.
    pub fn slot(&mut self, record: Record, field: usize) -> usize {
        self.catalog(record).0.fields[field]
            .value_slot
            .expect("interned with a value")
    }

    pub fn regex(&self, p: &Text) -> Result<regex::Regex> {
        crate::rules::compile_rules::regex(self.src, p)
    }

    /// Call-review columns that hold a mark (a script stage or a fault).
    pub fn review_fields(&self, list: &[Text]) -> Result<Vec<ReviewField>> {
        let marks: Vec<ReviewField> = ReviewField::ALL
            .iter()
            .copied()
            .filter(|f| {
                !matches!(
                    f,
                    ReviewField::Id
                        | ReviewField::Time
                        | ReviewField::Manager
                        | ReviewField::CallType
                )
            })
            .collect();
        list.iter()
            .map(|t| {
                marks
                    .iter()
                    .copied()
                    .find(|f| f.key() == t.get_ref().trim())
                    .ok_or_else(|| {
                        let names: Vec<&str> = marks.iter().map(|f| f.key()).collect();
                        self.error(
                            Some(t.span()),
                            format!(
                                "`{}` is not a column of the call-review sheet{}",
                                t.get_ref(),
                                nearest(t.get_ref(), names.iter().copied())
                            ),
                        )
                    })
            })
            .collect()
    }
}

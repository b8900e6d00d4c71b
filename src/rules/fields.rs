//! The record fields rules refer to beyond the built-in ones: a column
//! header (`Номер счета`) or a mapped field of the kind's layout
//! (`contact-name`, `budget`, `result`). The rule set gathers every field
//! its rules and stages name into one catalog per kind, so the reader keeps
//! exactly those, and no more: whether each is filled (a bit per field), and
//! the text of the few that a rule compares or computes with.

use super::columns::{field_specs, EntityKind};
use super::stages::FieldMask;
use crate::value::normalize_header;

/// Where a referenced field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldSource {
    /// A logical field of the kind's layout, by its index.
    Logical(usize),
    /// A column with this header (normalised with `normalize_header`).
    Header(String),
}

/// What a kept text must be, checked when the file is read so that a bad
/// value is an input error with its file, row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValueKind {
    #[default]
    Text,
    /// An amount of money (`value::parse_amount`).
    Amount,
    /// A date or date-time (`value::parse_moment`).
    Moment,
}

/// One referenced field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// As the rule file writes it.
    pub name: String,
    pub source: FieldSource,
    /// Its slot among the kept texts, when a rule needs the text.
    pub value_slot: Option<usize>,
    pub value_kind: ValueKind,
}

/// The referenced fields of one kind, indexed as `FieldMask` bits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldCatalog {
    pub fields: Vec<FieldRef>,
    values: usize,
}

impl FieldCatalog {
    /// The index of `name`, adding it if new; `needs_value` keeps its text.
    pub fn intern(
        &mut self,
        kind: EntityKind,
        name: &str,
        needs_value: bool,
    ) -> Result<usize, String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("an empty field name".into());
        }
        let source = match field_specs(kind).iter().position(|s| s.key == name) {
            Some(i) => FieldSource::Logical(i),
            None => FieldSource::Header(normalize_header(name)),
        };
        let index = match self.fields.iter().position(|f| f.source == source) {
            Some(i) => i,
            None => {
                if self.fields.len() == FieldMask::MAX_FIELDS {
                    return Err(format!(
                        "at most {} distinct fields can be referenced per kind of record",
                        FieldMask::MAX_FIELDS
                    ));
                }
                self.fields.push(FieldRef {
                    name: name.to_string(),
                    source,
                    value_slot: None,
                    value_kind: ValueKind::Text,
                });
                self.fields.len() - 1
            }
        };
        if needs_value && self.fields[index].value_slot.is_none() {
            self.fields[index].value_slot = Some(self.values);
            self.values += 1;
        }
        Ok(index)
    }

    /// Requires the field's text to be of `kind` (a field read as two
    /// kinds is an error).
    pub fn require(&mut self, index: usize, kind: ValueKind) -> Result<(), String> {
        let field = &mut self.fields[index];
        match field.value_kind {
            ValueKind::Text => {
                field.value_kind = kind;
                Ok(())
            }
            k if k == kind || kind == ValueKind::Text => Ok(()),
            k => Err(format!(
                "field `{}` is read both as {k:?} and as {kind:?}",
                field.name
            )),
        }
    }

    /// The field whose text is kept in `slot`.
    pub fn field_of_slot(&self, slot: usize) -> Option<usize> {
        self.fields.iter().position(|f| f.value_slot == Some(slot))
    }

    /// How many texts each record keeps.
    pub fn value_count(&self) -> usize {
        self.values
    }

    pub fn name(&self, index: usize) -> &str {
        &self.fields[index].name
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_logical_fields_are_interned_once() {
        let mut c = FieldCatalog::default();
        let invoice = c.intern(EntityKind::Deals, "Номер счета", false).unwrap();
        assert_eq!(
            c.intern(EntityKind::Deals, " номер  СЧЕТА ", false)
                .unwrap(),
            invoice
        );
        let budget = c.intern(EntityKind::Deals, "budget", true).unwrap();
        assert_eq!(c.fields[budget].source, FieldSource::Logical(5));
        assert_eq!(c.fields[budget].value_slot, Some(0));
        assert_eq!(c.fields[invoice].value_slot, None);
        c.intern(EntityKind::Deals, "Номер счета", true).unwrap();
        assert_eq!(c.fields[invoice].value_slot, Some(1));
        assert_eq!(c.value_count(), 2);
        assert!(c.intern(EntityKind::Deals, "  ", false).is_err());
    }
}

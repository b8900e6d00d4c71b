//! `ratio`, generic: one amount of a deal against another (the prepayment
//! against the budget) within bounds, where `when` holds; where
//! `denominator-required-when` holds, a missing or zero denominator is
//! itself a violation.

use super::generic::{describe_when, Walk};
use super::shared::{fill, STAGE};
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{FieldName, RatioGap, Reason, Sink, Value};
use crate::model::Dataset;
use crate::rules::columns::{DealField, EntityKind};
use crate::rules::condition::{Condition, Facts};
use crate::rules::fields::{FieldSource, ValueKind};
use crate::rules::{Record, RuleSet};
use crate::value::parse_amount;

/// Parameters of a ratio check (prepayment against the budget).
#[derive(Debug, Clone)]
pub struct RatioParams {
    pub numerator: usize,
    pub numerator_slot: usize,
    pub denominator: usize,
    pub denominator_slot: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Where the ratio is judged.
    pub when: Condition,
    /// Where a missing or zero denominator is itself a violation.
    pub denominator_required_when: Option<Condition>,
}

/// `{ratio}`: the share found.
const RATIO: Placeholder = Placeholder::new("ratio");
/// `{numerator}`, `{denominator}`: the two amounts.
const NUMERATOR: Placeholder = Placeholder::new("numerator");
const DENOMINATOR: Placeholder = Placeholder::new("denominator");
/// `{min}`, `{max}`: the bounds, as the rule sets them.
const MIN: Placeholder = Placeholder::new("min");
const MAX: Placeholder = Placeholder::new("max");

impl Kind for RatioParams {
    const NAME: &'static str = "ratio";
    const PARAMS: &'static [Param] = &[Param::new("numerator", Shape::Text), Param::new("denominator", Shape::Text), Param::new("min", Shape::Number), Param::new("max", Shape::Number), Param::new("when", Shape::Condition), Param::new("denominator-required-when", Shape::Condition)];
    const PLACEHOLDERS: &'static [Placeholder] =
        &[RATIO, NUMERATOR, DENOMINATOR, MIN, MAX, STAGE];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        let when = cx.when(Record::Deal)?;
        let required_when = cx.condition("denominator-required-when", Record::Deal)?;
        let numerator_text = cx.needs(cx.text("numerator"), "numerator")?;
        let numerator = cx.typed_field(Record::Deal, numerator_text, ValueKind::Amount)?;
        let denominator_text = cx.needs(cx.text("denominator"), "denominator")?;
        let denominator = cx.typed_field(Record::Deal, denominator_text, ValueKind::Amount)?;
        let (min_text, max_text) = (cx.number("min"), cx.number("max"));
        let (min, max) = (min_text.map(|m| *m.get_ref()), max_text.map(|m| *m.get_ref()));
        // A share is written 0.5 for 50%; a ratio may exceed 1 only as a maximum.
        for (bound, limit) in [(min_text, 1.0), (max_text, 10.0)] {
            if let Some(b) = bound {
                if !(0.0..=limit).contains(b.get_ref()) {
                    return Err(cx.error(
                        Some(b.span()),
                        format!("{} is not a share: write 0.5 for 50%", b.get_ref()),
                    ));
                }
            }
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                return Err(cx.error(
                    min_text.map(|m| m.span()),
                    format!("min {lo} is above max {hi}"),
                ));
            }
        }
        if min.is_none() && max.is_none() {
            return Err(cx.error(
                Some(cx.name.span()),
                format!("rule {} needs `min` or `max`", cx.name.get_ref()),
            ));
        }
        Ok(RatioParams {
            numerator,
            numerator_slot: cx.slot(Record::Deal, numerator),
            denominator,
            denominator_slot: cx.slot(Record::Deal, denominator),
            min,
            max,
            when,
            denominator_required_when: required_when,
        })
    }

    fn describe(&self, rules: &RuleSet, out: &mut Described) {
        let deal = &rules.deal_fields;
        out.push(("numerator".into(), format!("«{}»", deal.name(self.numerator))));
        out.push(("denominator".into(), format!("«{}»", deal.name(self.denominator))));
        if let Some(min) = self.min {
            out.push(("min".into(), min.to_string()));
        }
        if let Some(max) = self.max {
            out.push(("max".into(), max.to_string()));
        }
        describe_when(rules, Record::Deal, &self.when, out);
        if let Some(c) = &self.denominator_required_when {
            let text = crate::rules::describe::condition(rules, deal, c);
            out.push(("denominator-required-when".into(), text));
        }
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        ratio(cx.data, cx.rules, self, sink);
    }
}

fn ratio(data: &Dataset, rules: &RuleSet, p: &RatioParams, sink: &mut Sink) {
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
            // A denominator below zero is shown as written, and said to be
            // below zero, not "not filled". Zero stays no budget: amoCRM's
            // price of a deal nobody priced is 0, as its export writes it.
            let written = total < 0.0 && walk.facts(i).filled(p.denominator) == Some(true);
            let name = || {
                FieldName::of(
                    walk.data,
                    walk.catalog,
                    p.denominator,
                    walk.data.file(walk.data.deals[i].file),
                )
            };
            let mut details = walk.lead_details(i);
            details.push(fill(NUMERATOR, Value::Amount(paid)));
            details.push(fill(
                DENOMINATOR,
                if total > 0.0 || written {
                    Value::Amount(total)
                } else {
                    Value::Text("—".into())
                },
            ));
            details.push(fill(
                RATIO,
                match share {
                    Some(s) => Value::Share(s),
                    None if written => Value::Negative(name()),
                    None => Value::Empty(name()),
                },
            ));
            if let Some(min) = p.min {
                details.push(fill(MIN, Value::Share(min)));
            }
            if let Some(max) = p.max {
                details.push(fill(MAX, Value::Share(max)));
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

//! The engine: runs each rule of a compiled rule set over the dataset and
//! returns violations as data. It cannot fail: configuration was checked
//! when the rule set compiled, values when the inputs were read.
//!
//! "Absent data is not empty data": a rule whose data is missing from the
//! inputs is not checked for that part, and says so in `not_checked`, which
//! the report shows prominently.

mod contact;
mod quota;
mod refusal;
mod stage_data;
mod tasks;

use crate::model::{Dataset, ManagerId, StageId};
use crate::rules::stages::FieldMask;
use crate::rules::{Check, Rule, RuleSet};
use crate::value::Moment;
use chrono::{NaiveDate, NaiveDateTime};

/// What a violation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    /// An index into `Dataset::deals`.
    Deal(usize),
    /// An index into `Dataset::tasks`.
    Task(usize),
    /// A manager's working day.
    ManagerDay(ManagerId, NaiveDate),
}

/// The specifics of a violation, which fill its rule's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    Overdue {
        due: Moment,
        /// Minutes past the due moment at the audit moment.
        late_minutes: i64,
    },
    Stage {
        stage: StageId,
    },
    MissingFields {
        stage: StageId,
        fields: FieldMask,
    },
    Quota {
        date: NaiveDate,
        count: u32,
        quota: u32,
        calls: u32,
        letters: u32,
    },
    None,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// An index into `RuleSet::rules`.
    pub rule: usize,
    pub manager: ManagerId,
    pub entity: Entity,
    pub details: Details,
}

/// A part of a rule the inputs did not allow to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotChecked {
    pub rule: &'static str,
    pub reason: String,
}

/// The result of an audit.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub violations: Vec<Violation>,
    pub not_checked: Vec<NotChecked>,
}

/// Where one rule's findings go.
pub(crate) struct Sink<'o> {
    rule: usize,
    name: &'static str,
    outcome: &'o mut Outcome,
}

impl Sink<'_> {
    fn violation(&mut self, manager: ManagerId, entity: Entity, details: Details) {
        self.outcome.violations.push(Violation {
            rule: self.rule,
            manager,
            entity,
            details,
        });
    }

    fn not_checked(&mut self, reason: impl Into<String>) {
        self.outcome.not_checked.push(NotChecked {
            rule: self.name,
            reason: reason.into(),
        });
    }
}

/// Audits `data` against `rules` at the moment `as_of` (company-local).
pub fn run(data: &Dataset, rules: &RuleSet, as_of: NaiveDateTime) -> Outcome {
    let mut outcome = Outcome::default();
    for (index, rule) in rules.rules.iter().enumerate() {
        let mut sink = Sink {
            rule: index,
            name: rule.name,
            outcome: &mut outcome,
        };
        run_rule(data, rules, rule, as_of, &mut sink);
    }
    outcome.not_checked.sort();
    outcome.not_checked.dedup();
    outcome
}

fn run_rule(data: &Dataset, rules: &RuleSet, rule: &Rule, as_of: NaiveDateTime, sink: &mut Sink) {
    match &rule.check {
        Check::OverdueTask => tasks::overdue(data, as_of, sink),
        Check::DealWithoutTask => tasks::deal_without_task(data, sink),
        Check::MissingPhone => contact::missing_phone(data, sink),
        Check::MissingContactName => contact::missing_contact_name(data, sink),
        Check::StageMissingData => stage_data::check(data, rules, sink),
        Check::RefusalWithoutReason => refusal::check(data, sink),
        Check::DailyCallQuota(params) => quota::check(data, rules, params, as_of, sink),
    }
}

/// Deals in work, with their index.
fn deals_in_work(data: &Dataset) -> impl Iterator<Item = (usize, &crate::model::Deal)> {
    data.deals
        .iter()
        .enumerate()
        .filter(|(_, d)| data.stage(d).matched.in_work())
}

/// Records "not checked" for every deal file that lacks `field`, and says
/// whether any deal file has it. `what` names the missing column.
fn deal_files_with(data: &Dataset, field: usize, what: &str, sink: &mut Sink) -> bool {
    use crate::rules::columns::EntityKind;
    if !data.has_kind(EntityKind::Deals) {
        sink.not_checked("no deal export among the inputs");
        return false;
    }
    let mut any = false;
    for file in data.files_of(EntityKind::Deals) {
        if file.has(field) {
            any = true;
        } else {
            sink.not_checked(format!("{}: no {what} column", file.path));
        }
    }
    any
}

#[cfg(test)]
pub(crate) mod testing;

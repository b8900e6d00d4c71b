//! The engine: runs each rule of a compiled rule set over the dataset and
//! returns violations as data. It cannot fail: configuration was checked
//! when the rule set compiled, values when the inputs were read.
//!
//! "Absent data is not empty data": a rule whose data is missing from the
//! inputs is not checked for that part, and says so in `not_checked`, which
//! the report shows prominently. Waivers granted in the rule set remove the
//! violations they cover, and the outcome says which waivers were used,
//! which had expired and which matched nothing.

mod contact;
mod daily;
pub(crate) mod details;
mod facts;
mod follow_up;
mod generic;
pub(crate) mod reason;
mod refusal;
mod reviews;
mod stage_data;
mod tasks;
mod unreadable;

use crate::model::{Dataset, ManagerId};
use crate::rules::{Check, Rule, RuleSet};
use chrono::{NaiveDate, NaiveDateTime};
pub use details::{Detail, Details, Value};
pub use reason::{Column, Note, RatioGap, Reason};

/// What a violation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    /// An index into `Dataset::deals`.
    Deal(usize),
    /// An index into `Dataset::tasks`.
    Task(usize),
    /// An index into `Dataset::reviews`.
    Call(usize),
    /// An index into `Dataset::unreadable_calls`: a call of a log.
    LoggedCall(usize),
    /// A manager's working day.
    ManagerDay(ManagerId, NaiveDate),
}

impl Entity {
    /// The entity's kind and id as reports and waivers write them.
    pub fn kind_and_id(self, data: &Dataset) -> (&'static str, String) {
        match self {
            Entity::Deal(i) => {
                let deal = &data.deals[i];
                let kind = if data.is_lead(deal) { "lead" } else { "deal" };
                (kind, data.text(deal.id).to_string())
            }
            Entity::Task(i) => ("task", data.text(data.tasks[i].id).to_string()),
            Entity::Call(i) => ("call", data.reviews[i].id.to_string()),
            Entity::LoggedCall(i) => ("call", data.text(data.unreadable_calls[i].id).to_string()),
            Entity::ManagerDay(m, date) => (
                "manager-day",
                format!("{}/{}", data.manager_name(m), date.format("%Y-%m-%d")),
            ),
        }
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq)]
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
    pub reason: Reason,
}

/// What became of a waiver (in JSON: `used`, `expired`, `unmatched`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WaiverStatus {
    /// It held and removed violations.
    Used,
    /// Its date has passed; what it covered is reported again.
    Expired,
    /// It held but covered no violation: stale, or mistyped.
    Unmatched,
}

/// A waiver of the rule set and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverUse {
    /// An index into `RuleSet::waivers`.
    pub waiver: usize,
    pub status: WaiverStatus,
    /// Violations it covered (removed when `Used`).
    pub matched: usize,
}

/// The result of an audit.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub violations: Vec<Violation>,
    pub not_checked: Vec<NotChecked>,
    /// What a reader should know about how the audit judged (a year's
    /// calendar estimated), sorted, each once.
    pub notes: Vec<Note>,
    pub waivers: Vec<WaiverUse>,
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

    fn note(&mut self, note: Note) {
        self.outcome.notes.push(note);
    }

    fn not_checked(&mut self, reason: Reason) {
        self.outcome.not_checked.push(NotChecked {
            rule: self.name,
            reason,
        });
    }
}

/// Audits `data` against `rules` at the moment `as_of` (company-local).
/// Rules run on every core, each into an outcome of its own; the
/// outcomes are joined in rule order, as one thread would have found them.
pub fn run(data: &Dataset, rules: &RuleSet, as_of: NaiveDateTime) -> Outcome {
    let mut outcome = Outcome::default();
    let indexes: Vec<usize> = (0..rules.rules.len()).collect();
    let one_rule = |&index: &usize| {
        let mut found = Outcome::default();
        let rule = &rules.rules[index];
        let mut sink = Sink {
            rule: index,
            name: rule.name,
            outcome: &mut found,
        };
        run_rule(data, rules, rule, as_of, &mut sink);
        found
    };
    let joined =
        crate::parallel::in_order(&indexes, crate::parallel::cores(), one_rule, |_, found| {
            outcome.violations.extend(found.violations);
            outcome.not_checked.extend(found.not_checked);
            outcome.notes.extend(found.notes);
            Ok(())
        });
    joined.expect("joining outcomes cannot fail");
    outcome.not_checked.sort();
    outcome.not_checked.dedup();
    outcome.notes.sort();
    outcome.notes.dedup();
    apply_waivers(data, rules, as_of.date(), &mut outcome);
    outcome
}

fn run_rule(data: &Dataset, rules: &RuleSet, rule: &Rule, as_of: NaiveDateTime, sink: &mut Sink) {
    match &rule.check {
        Check::OverdueTask => tasks::overdue(data, as_of, sink),
        Check::DealWithoutTask => tasks::deal_without_task(data, rule.leads, sink),
        Check::MissingPhone => contact::missing_phone(data, rule.leads, sink),
        Check::InvalidPhone { .. } => contact::invalid_phone(data, rule.leads, sink),
        Check::StageMissingData => stage_data::check(data, rules, sink),
        Check::RefusalWithoutReason => refusal::check(data, sink),
        Check::UnknownStage => refusal::unknown_stage(data, rule.leads, sink),
        Check::UnreadableValue => unreadable::check(data, sink),
        Check::NoFollowUp { patterns } => follow_up::check(data, patterns, sink),
        Check::CallScript { base, inbound } => reviews::script(data, base, inbound, sink),
        Check::CallConduct { marks } => reviews::conduct(data, marks, sink),
        Check::Required {
            record,
            fields,
            when,
        } => generic::required(data, rules, (*record, rule.leads), fields, when, sink),
        Check::InSet {
            record,
            field,
            slot,
            values,
            when,
        } => generic::in_set(data, rules, *record, (*field, *slot), values, when, sink),
        Check::Pattern {
            record,
            field,
            slot,
            pattern,
            when,
        } => generic::pattern(data, rules, *record, (*field, *slot), pattern, when, sink),
        Check::Ratio(params) => generic::ratio(data, rules, params, sink),
        Check::NotBeforeAsOf {
            record,
            field,
            slot,
            when,
        } => generic::not_before(data, rules, *record, (*field, *slot), when, as_of, sink),
        Check::DailyCount(count) => daily::check(data, rules, count, as_of, sink),
    }
}

fn apply_waivers(data: &Dataset, rules: &RuleSet, today: NaiveDate, outcome: &mut Outcome) {
    if rules.waivers.is_empty() {
        return;
    }
    let mut matched = vec![0usize; rules.waivers.len()];
    let mut waived = vec![false; outcome.violations.len()];
    for (v_index, v) in outcome.violations.iter().enumerate() {
        let rule = rules.rules[v.rule].name;
        let (kind, id) = v.entity.kind_and_id(data);
        for (w_index, w) in rules.waivers.iter().enumerate() {
            if w.rule == rule && w.kind == kind && w.id == id {
                matched[w_index] += 1;
                if w.holds_on(today) {
                    waived[v_index] = true;
                }
            }
        }
    }
    let mut keep = waived.iter().map(|w| !w);
    outcome.violations.retain(|_| keep.next().unwrap_or(true));
    outcome.waivers = rules
        .waivers
        .iter()
        .enumerate()
        .map(|(i, w)| WaiverUse {
            waiver: i,
            status: if !w.holds_on(today) {
                WaiverStatus::Expired
            } else if matched[i] > 0 {
                WaiverStatus::Used
            } else {
                WaiverStatus::Unmatched
            },
            matched: matched[i],
        })
        .collect();
}

/// Deals in work (not leads), with their index.
fn deals_in_work(data: &Dataset) -> impl Iterator<Item = (usize, &crate::model::Deal)> {
    records_in_work(data, false)
}

/// Deals in work, and leads in work where `leads`, with their index.
fn records_in_work(
    data: &Dataset,
    leads: bool,
) -> impl Iterator<Item = (usize, &crate::model::Deal)> {
    data.deals
        .iter()
        .enumerate()
        .filter(move |(_, d)| (leads || !data.is_lead(d)) && data.stage(d).matched.in_work())
}

/// The deal exports, and the lead exports where `leads`.
fn record_files(data: &Dataset, leads: bool) -> impl Iterator<Item = &crate::model::InputFile> {
    use crate::rules::columns::EntityKind;
    data.files
        .iter()
        .filter(move |f| f.kind == EntityKind::Deals || (leads && f.kind == EntityKind::Leads))
}

/// Records "not checked" for every deal file that lacks `field`, and says
/// whether any deal file has it. `what` names the missing column.
fn deal_files_with(data: &Dataset, field: usize, what: Column, sink: &mut Sink) -> bool {
    record_files_with(data, false, field, what, sink)
}

/// `deal_files_with` over the lead exports too, where `leads`.
fn record_files_with(
    data: &Dataset,
    leads: bool,
    field: usize,
    what: Column,
    sink: &mut Sink,
) -> bool {
    if !data.has_kind(crate::rules::columns::EntityKind::Deals) {
        sink.not_checked(Reason::NoDealExport);
    }
    if record_files(data, leads).next().is_none() {
        return false;
    }
    let mut any = false;
    for file in record_files(data, leads) {
        if file.has(field) {
            any = true;
        } else {
            sink.not_checked(Reason::NoColumn {
                file: file.path.clone(),
                column: what,
            });
        }
    }
    any
}

/// The stage of a deal as a detail.
fn stage_detail(data: &Dataset, deal: &crate::model::Deal) -> Detail {
    let text = &data.stage(deal).text;
    details::detail(
        "stage",
        Value::Text(if text.is_empty() {
            "(empty)".into()
        } else {
            text.to_string()
        }),
    )
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
#[path = "waiver_tests.rs"]
mod waiver_tests;

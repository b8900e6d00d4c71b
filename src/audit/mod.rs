//! The engine: runs each rule of a compiled rule set over the dataset and
//! returns violations as data. It cannot fail: configuration was checked
//! when the rule set compiled, values when the inputs were read.
//!
//! "Absent data is not empty data": a rule whose data is missing from the
//! inputs is not checked for that part, and says so in `not_checked`, which
//! the report shows prominently. Waivers granted in the rule set remove the
//! violations they cover, and the outcome says which waivers were used,
//! which had expired and which matched nothing.

pub(crate) mod details;
pub(crate) mod facts;
pub(crate) mod reason;

use crate::model::{Dataset, ManagerId};
use crate::rules::{Rule, RuleSet};
use chrono::{NaiveDate, NaiveDateTime};
pub use details::{Detail, Details, Value};
pub use reason::{Column, FieldName, Note, RatioGap, Reason};

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
    pub(crate) fn violation(&mut self, manager: ManagerId, entity: Entity, details: Details) {
        self.outcome.violations.push(Violation {
            rule: self.rule,
            manager,
            entity,
            details,
        });
    }

    /// The name of the rule whose findings these are.
    pub(crate) fn rule_name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn note(&mut self, note: Note) {
        self.outcome.notes.push(note);
    }

    pub(crate) fn not_checked(&mut self, reason: Reason) {
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
    // Every rule's outcome is kept until the end anyway, so no thread
    // waits for an earlier rule to be taken: a long rule (no-follow-up
    // over millions of tasks) would hold up the rules after it.
    let ahead = indexes.len();
    let cores = crate::parallel::cores();
    let joined = crate::parallel::in_order_ahead(&indexes, cores, ahead, one_rule, |_, found| {
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
    let cx = crate::checks::Run {
        data,
        rules,
        leads: rule.leads,
        as_of,
    };
    rule.check.run(&cx, sink);
}

fn apply_waivers(data: &Dataset, rules: &RuleSet, today: NaiveDate, outcome: &mut Outcome) {
    if rules.waivers.is_empty() {
        return;
    }
    let mut matched = vec![0usize; rules.waivers.len()];
    let mut waived = vec![false; outcome.violations.len()];
    let mut days: Vec<Option<(ManagerId, NaiveDate)>> = Vec::new();
    for w in &rules.waivers {
        days.push(match manager_day(data, w) {
            WaiverDay::One(m, date) => Some((m, date)),
            WaiverDay::None => None,
            WaiverDay::Several(name, managers) => {
                outcome.notes.push(Note::WaiverOfSeveral {
                    name,
                    managers: (managers.iter())
                        .map(|&m| data.manager_name(m).to_string())
                        .collect(),
                });
                None
            }
        });
    }
    outcome.notes.sort();
    outcome.notes.dedup();
    for (v_index, v) in outcome.violations.iter().enumerate() {
        let rule = rules.rules[v.rule].name;
        let (kind, id) = v.entity.kind_and_id(data);
        for (w_index, w) in rules.waivers.iter().enumerate() {
            let covers = match v.entity {
                Entity::ManagerDay(m, date) => days[w_index] == Some((m, date)),
                _ => w.kind == kind && w.id == id,
            };
            if w.rule == rule && covers {
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

/// The manager and day a `manager-day:NAME/DATE` waiver names.
enum WaiverDay {
    /// No waiver of a manager's day, or of no manager.
    None,
    One(ManagerId, NaiveDate),
    /// NAME, and every manager it is another form of: it is none of them.
    Several(String, Vec<ManagerId>),
}

/// The manager and day a `manager-day:NAME/DATE` waiver names: the manager
/// `names::find` takes NAME for, as the files' names are matched (case,
/// word order, `ё`, another form of one manager's name); none when it
/// matches no one manager.
fn manager_day(data: &Dataset, w: &crate::rules::waivers::Waiver) -> WaiverDay {
    if w.kind != "manager-day" {
        return WaiverDay::None;
    }
    let Some((name, date)) = w.id.rsplit_once('/') else {
        return WaiverDay::None;
    };
    let Ok(date) = NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
        return WaiverDay::None;
    };
    let keys: Vec<String> = (0..data.managers.len() as ManagerId)
        .map(|m| crate::names::name_key(data.manager_name(m)))
        .collect();
    let known: Vec<&str> = keys.iter().map(String::as_str).collect();
    match crate::names::find(name, &known) {
        crate::names::Found::One(m) => WaiverDay::One(m as ManagerId, date),
        crate::names::Found::None => WaiverDay::None,
        crate::names::Found::Several(several) => WaiverDay::Several(
            name.to_string(),
            several.into_iter().map(|m| m as ManagerId).collect(),
        ),
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
#[path = "waiver_tests.rs"]
mod waiver_tests;

//! A report's place in the nightly history: tonight's run is recorded and
//! each violation gets its status (new, or open since a date for so many
//! runs); the last run's violations that are gone tonight are listed as
//! fixed, or as gone with their record when the inputs no longer hold it.
//!
//! Nothing is called fixed that tonight could not judge: a violation of a
//! rule that did not run, or that the inputs did not let it check fully,
//! stays open as it was; a day's record (a quota day, an overloaded day)
//! is never fixed by the audit window moving past it.

use super::{EntityKind, Report, ViolationReport};
use crate::history::guard::{Reach, Shortfall};
use crate::history::{
    self, History, InputRows, ManagerRun, Outcome, Run, Seen, Subject, TrendPoint, Vanished,
};
use crate::model::Dataset;
use crate::rules::RuleSet;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashSet;

/// What the history says about tonight, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryReport {
    /// Tonight's run's number in the history (absent when compared with a
    /// baseline report instead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<i64>,
    /// The earlier JSON report tonight was compared with (`--baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// The last run's violations whose record is still read and no longer
    /// breaks the rule.
    pub fixed: Vec<Vanished>,
    /// The last run's violations whose deal or record is no longer in the
    /// inputs: deleted, closed out of the export, or the export is
    /// incomplete. Not a fix.
    pub gone: Vec<Vanished>,
    /// The last run's violations tonight could not judge (their rule was
    /// switched off, not checked in full, or an input looked incomplete):
    /// still open, neither fixed nor seen tonight.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_judged: Vec<Vanished>,
    /// Why tonight's inputs looked incomplete beside the last run's, one
    /// sentence each: what they could hide was not judged.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
    /// The department's and each manager's numbers over the last runs,
    /// tonight's last (a history only: a baseline has one run, no trend).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
}

/// How many runs a report's trend covers, tonight's included.
pub const TREND_RUNS: usize = 14;

/// Violations per 10 deals in work over the last runs.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// The whole department's runs, oldest first.
    pub department: Vec<TrendPoint>,
    /// Each manager of the report, in the report's order.
    pub managers: Vec<ManagerTrend>,
}

/// One manager's runs, oldest first (a run without them counts zero).
#[derive(Debug, Clone, Serialize)]
pub struct ManagerTrend {
    pub name: String,
    pub runs: Vec<TrendPoint>,
}

/// Where a violation of tonight stands, beside it in the report.
pub type ViolationStatus = history::Status;

/// A manager's changes since the last run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Tonight's violations not in the last run.
    pub new: usize,
    /// Tonight's violations that were in the last run too.
    pub open: usize,
    /// The last run's violations tonight found fixed.
    pub fixed: usize,
    /// The last run's violations whose record left the inputs (not fixes).
    pub gone: usize,
    /// The last run's violations tonight could not judge: still open.
    #[serde(skip_serializing_if = "is_zero")]
    pub not_judged: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Writes the statuses, the fixed and gone violations and each manager's
/// changes into `report`.
/// A violation without a status is one whose newness is not known.
pub(super) fn annotate(
    report: &mut Report,
    statuses: &[Option<ViolationStatus>],
    history: HistoryReport,
) {
    report.violations.set_statuses(statuses);
    let mut changes: std::collections::BTreeMap<&str, Changes> = report
        .managers
        .iter()
        .map(|m| (m.name.as_str(), Changes::default()))
        .collect();
    for (v, status) in report.violations.keys().zip(statuses) {
        if let Some(c) = changes.get_mut(v.manager) {
            match status {
                Some(history::Status::New) => c.new += 1,
                Some(history::Status::Open { .. }) => c.open += 1,
                None => {}
            }
        }
    }
    for v in &history.fixed {
        if let Some(c) = changes.get_mut(v.manager.as_str()) {
            c.fixed += 1;
        }
    }
    for v in &history.gone {
        if let Some(c) = changes.get_mut(v.manager.as_str()) {
            c.gone += 1;
        }
    }
    for v in &history.not_judged {
        if let Some(c) = changes.get_mut(v.manager.as_str()) {
            c.not_judged += 1;
        }
    }
    let changes: Vec<Changes> = report
        .managers
        .iter()
        .map(|m| changes[m.name.as_str()])
        .collect();
    for (m, c) in report.managers.iter_mut().zip(changes) {
        m.changes = Some(c);
    }
    report.history = Some(history);
}

/// How the run is recorded.
#[derive(Debug, Clone, Copy)]
pub struct Recording<'a> {
    /// A hash of the rule set's text.
    pub rule_set_hash: &'a str,
    /// The largest fall in deals since the last run that is not taken for
    /// an export cut short (0.3 is 30%).
    pub max_drop: f64,
    /// Judge the last run's violations even when inputs dropped.
    pub accept_drop: bool,
    /// The rules that ran, to tell which a shortfall reaches.
    pub rules: &'a RuleSet,
    /// What says tonight's call logs end too early, if they do (see
    /// `guard::call_logs_end_early`: read before the calls are freed).
    pub calls_end_early: Option<&'a Shortfall>,
}

/// Records `report` as tonight's run in `history` and hands `deliver` the
/// report with the statuses and the fixed, gone and not judged violations
/// written in; the run is committed only once `deliver` (writing the
/// report) succeeds. When tonight's inputs dropped since the last run
/// (unless accepted), what the drop could hide is not judged: those
/// violations stay open, and the report says why.
pub fn record(
    report: &Report,
    data: &Dataset,
    history: &mut History,
    how: Recording,
    deliver: impl FnOnce(Report) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dropped = dropped_inputs(
        &history.last_inputs(&report.as_of)?,
        report,
        how.max_drop,
        how.calls_end_early,
    );
    let held = if how.accept_drop { Vec::new() } else { dropped };
    let inputs = input_rows(report);
    // Made here, not kept in the report: the copy delivered below shares
    // the compact violations and makes each again as it is written.
    let all: Vec<ViolationReport> = report.violations.iter().map(Cow::into_owned).collect();
    let violations = seen(&all);
    let managers = manager_runs(report);
    let judged = Judged::of(report, data, &all).holding(&held, how.rules);
    let earlier = earlier_trend(report, history)?;
    history.record_then(
        &Run {
            as_of: &report.as_of,
            rule_set: &report.rule_set.name,
            rule_set_hash: how.rule_set_hash,
            tool_version: report.tool.version,
            inputs: &inputs,
            violations: &violations,
            managers: &managers,
        },
        |v| judged.outcome(v),
        |recorded| {
            let mut tonight = report.clone();
            let history = HistoryReport {
                run: Some(recorded.run),
                baseline: None,
                fixed: recorded.fixed.clone(),
                gone: recorded.gone.clone(),
                not_judged: recorded.not_judged.clone(),
                incomplete: held.iter().map(|s| s.said(report.language)).collect(),
                trend: Some(with_tonight(earlier, report, recorded.run)),
            };
            let statuses: Vec<_> = recorded.statuses.iter().cloned().map(Some).collect();
            annotate(&mut tonight, &statuses, history);
            deliver(tonight)
        },
    )?;
    Ok(())
}

/// What says tonight's inputs dropped since `last` (the rows of each
/// kind the last run read): a kind missing, deals falling by more than
/// `max_drop`, call logs ending too early. A first run (no `last`) has
/// nothing to mark fixed, and so no shortfall.
pub(super) fn dropped_inputs(
    last: &history::guard::RowsByKind,
    report: &Report,
    max_drop: f64,
    calls_end_early: Option<&Shortfall>,
) -> Vec<Shortfall> {
    if last.is_empty() {
        return Vec::new();
    }
    let mut dropped = history::guard::dropped(last, &rows_by_kind(report), max_drop);
    dropped.extend(calls_end_early.cloned());
    dropped
}

/// Each input file of the report with the rows it read, as a run keeps it.
fn input_rows<'r>(report: &'r Report) -> Vec<InputRows<'r>> {
    report
        .inputs
        .iter()
        .map(|i| InputRows {
            path: &i.path,
            kind: i.kind,
            rows: i.rows,
        })
        .collect()
}

/// Each violation as a run keeps it.
fn seen(violations: &[ViolationReport]) -> Vec<Seen<'_>> {
    violations
        .iter()
        .map(|v| Seen {
            fingerprint: &v.fingerprint,
            rule: v.rule,
            manager: &v.manager,
            entity_kind: v.entity.kind.as_str(),
            entity_id: &v.entity.id,
            deal_id: v.entity.deal_id.as_deref().or(match v.entity.kind {
                EntityKind::Deal => Some(v.entity.id.as_str()),
                _ => None,
            }),
            severity: v.severity.as_str(),
            day_bound: v.entity.kind == EntityKind::ManagerDay,
        })
        .collect()
}

/// Each manager's workload, as a run keeps it.
fn manager_runs<'r>(report: &'r Report) -> Vec<ManagerRun<'r>> {
    report
        .managers
        .iter()
        .map(|m| ManagerRun {
            name: &m.name,
            deals_in_work: m.deals_in_work as u64,
            lead_violations: m.lead_violations as u64,
        })
        .collect()
}

/// The trend of the runs before tonight's (one fewer than the trend
/// shows), for the department and each manager of the report. A run of
/// tonight's audit moment is one tonight replaces: not among them.
fn earlier_trend(report: &Report, history: &History) -> anyhow::Result<Trend> {
    let earlier = |subject| -> anyhow::Result<Vec<TrendPoint>> {
        let mut points = history.trend(subject, TREND_RUNS)?;
        points.retain(|p| p.as_of != report.as_of);
        let extra = points.len().saturating_sub(TREND_RUNS - 1);
        points.drain(..extra);
        Ok(points)
    };
    Ok(Trend {
        department: earlier(Subject::Department)?,
        managers: report
            .managers
            .iter()
            .map(|m| {
                Ok(ManagerTrend {
                    name: m.name.clone(),
                    runs: earlier(Subject::Manager(&m.name))?,
                })
            })
            .collect::<anyhow::Result<_>>()?,
    })
}

/// `earlier` with tonight's run (number `run`) added last, as the history
/// records it: every violation of the report, and the deals in work of
/// its managers.
fn with_tonight(mut earlier: Trend, report: &Report, run: i64) -> Trend {
    // Violations of leads are no part of violations per 10 deals.
    let deals: usize = report.managers.iter().map(|m| m.deals_in_work).sum();
    let leads: usize = report.managers.iter().map(|m| m.lead_violations).sum();
    earlier.department.push(TrendPoint::new(
        run,
        &report.as_of,
        (report.violations.len() - leads) as i64,
        Some(deals as i64),
    ));
    for (trend, m) in earlier.managers.iter_mut().zip(&report.managers) {
        trend.runs.push(TrendPoint::new(
            run,
            &report.as_of,
            (m.total - m.lead_violations) as i64,
            Some(m.deals_in_work as i64),
        ));
    }
    earlier
}

/// Tonight's new, open, fixed and gone violations of the whole report,
/// when it has a history or a baseline.
pub fn total_changes(report: &Report) -> Option<Changes> {
    let history = report.history.as_ref()?;
    // From the statuses alone: no violation's texts are made.
    let (mut new, mut open) = (0, 0);
    for key in report.violations.keys() {
        match key.status {
            Some(history::Status::New) => new += 1,
            Some(history::Status::Open { .. }) => open += 1,
            // A violation whose newness a baseline could not tell is neither.
            None => {}
        }
    }
    Some(Changes {
        new,
        open,
        fixed: history.fixed.len(),
        gone: history.gone.len(),
        not_judged: history.not_judged.len(),
    })
}

/// Rows per kind of input tonight.
pub(super) fn rows_by_kind(report: &Report) -> history::guard::RowsByKind {
    let mut rows = history::guard::RowsByKind::new();
    for input in &report.inputs {
        *rows.entry(input.kind.to_string()).or_default() += input.rows;
    }
    rows
}

/// What tonight's run could judge: the rules that ran and were checked in
/// full, the records the inputs hold, the records tonight could not read
/// whole, and what a waiver covers tonight.
pub(super) struct Judged<'a> {
    rules_checked: HashSet<&'a str>,
    deals: HashSet<&'a str>,
    leads: HashSet<&'a str>,
    tasks: HashSet<&'a str>,
    calls: HashSet<&'a str>,
    /// `kind:id` of records with an unreadable value tonight: the rules
    /// that needed it skipped them.
    unreadable: HashSet<String>,
    /// `(rule, "kind:id")` of tonight's used waivers.
    waived: HashSet<(&'a str, &'a str)>,
    /// What tonight's shortfalls leave unjudged.
    held: Held,
}

/// What an incomplete input leaves unjudged: everything, or the rules
/// over a kind of input (and the records of that kind).
#[derive(Default)]
struct Held {
    everything: bool,
    rules: HashSet<&'static str>,
    calls: bool,
}

impl<'a> Judged<'a> {
    /// `violations` are tonight's, written out (the caller has them made
    /// already: made again here, each would be rendered twice).
    pub(super) fn of(
        report: &'a Report,
        data: &'a Dataset,
        violations: &[ViolationReport],
    ) -> Judged<'a> {
        let partly: HashSet<&str> = report.not_checked.iter().map(|n| n.rule).collect();
        Judged {
            rules_checked: report
                .rules
                .iter()
                .map(|r| r.name)
                .filter(|name| !partly.contains(name))
                .collect(),
            deals: data
                .deals
                .iter()
                .filter(|d| !data.is_lead(d))
                .map(|d| data.text(d.id))
                .collect(),
            leads: data
                .deals
                .iter()
                .filter(|d| data.is_lead(d))
                .map(|d| data.text(d.id))
                .collect(),
            tasks: data.tasks.iter().map(|t| data.text(t.id)).collect(),
            calls: data.reviews.iter().map(|r| &*r.id).collect(),
            unreadable: violations
                .iter()
                .filter(|v| v.rule == UNREADABLE)
                .map(|v| format!("{}:{}", v.entity.kind.as_str(), v.entity.id))
                .collect(),
            waived: report
                .waivers
                .iter()
                .filter(|w| w.status == crate::audit::WaiverStatus::Used)
                .map(|w| (w.rule.as_str(), w.entity.as_str()))
                .collect(),
            held: Held::default(),
        }
    }

    /// As judged, with what `shortfalls` reach left unjudged: the rules
    /// over calls or call reviews for those, everything for any other.
    pub(super) fn holding(mut self, shortfalls: &[Shortfall], rules: &RuleSet) -> Judged<'a> {
        for shortfall in shortfalls {
            let reads: fn(&crate::rules::Check) -> bool = match shortfall.reach() {
                Reach::Everything => {
                    self.held.everything = true;
                    continue;
                }
                Reach::CallQuota => history::guard::counts_calls,
                Reach::CallReviews => {
                    self.held.calls = true;
                    history::guard::reads_reviews
                }
            };
            self.held.rules.extend(
                rules
                    .rules
                    .iter()
                    .filter(|r| reads(&r.check))
                    .map(|r| r.name),
            );
        }
        self
    }

    /// Fixed when its rule ran in full and its record (and deal) is read
    /// tonight; gone when the record or its deal is not; not judged when
    /// its rule did not run in full.
    pub(super) fn outcome(&self, v: &Vanished) -> Outcome {
        let kind = v.entity_kind.as_str();
        let entity = format!("{kind}:{}", v.entity_id);
        let unreadable = |kind: &str, id: &str| self.unreadable.contains(&format!("{kind}:{id}"));
        if self.held.everything
            || self.held.rules.contains(v.rule.as_str())
            || (self.held.calls && v.entity_kind == EntityKind::Call)
        {
            // An input that looks incomplete may hide its record.
            return Outcome::NotJudged;
        }
        if !self.rules_checked.contains(v.rule.as_str())
            || self.waived.contains(&(v.rule.as_str(), entity.as_str()))
            || unreadable(kind, &v.entity_id)
            || v.deal_id
                .as_deref()
                .is_some_and(|deal| unreadable("deal", deal))
        {
            // Its rule did not run in full, a waiver set it aside, or its
            // record could not be read whole: nothing says it was fixed.
            return Outcome::NotJudged;
        }
        if named_by_place(&v.entity_id) {
            // `FILE:ROW`, a record without an ID: another row may stand
            // there tonight, so whether it was fixed cannot be told.
            return Outcome::Gone;
        }
        let deal_read = v
            .deal_id
            .as_deref()
            .is_none_or(|deal| self.deals.contains(deal));
        let record_read = match v.entity_kind {
            EntityKind::Deal => self.deals.contains(v.entity_id.as_str()),
            EntityKind::Lead => self.leads.contains(v.entity_id.as_str()),
            EntityKind::Task => self.tasks.contains(v.entity_id.as_str()),
            EntityKind::Call => self.calls.contains(v.entity_id.as_str()),
            // A quota day is never listed as fixed (see `vanished`).
            EntityKind::ManagerDay => true,
        };
        if deal_read && record_read {
            Outcome::Fixed
        } else {
            Outcome::Gone
        }
    }
}

/// The rule that reports records tonight could not read whole.
const UNREADABLE: &str = "unreadable-value";

/// A record named by its place (`tasks.csv:14`) because its export gave it
/// no ID.
pub(crate) fn named_by_place(id: &str) -> bool {
    id.rsplit_once(':').is_some_and(|(file, row)| {
        !row.is_empty()
            && row.bytes().all(|b| b.is_ascii_digit())
            && [".csv", ".xlsx", ".xls", ".ods"]
                .iter()
                .any(|ext| file.to_ascii_lowercase().ends_with(ext))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_without_a_status_is_neither_new_nor_open() {
        let mut report = super::super::sample::with_history();
        let open = |r: &Report| {
            r.violations
                .iter()
                .filter(|v| matches!(v.status, Some(history::Status::Open { .. })))
                .count()
        };
        let before = total_changes(&report).unwrap();
        assert_eq!(before.open, open(&report));
        // A baseline that could not tell: no status.
        let unknown = report
            .violations
            .iter()
            .position(|v| matches!(v.status, Some(history::Status::Open { .. })))
            .unwrap();
        report.violations.to_mut()[unknown].status = None;
        let after = total_changes(&report).unwrap();
        assert_eq!((after.open, after.new), (before.open - 1, before.new));
    }
}

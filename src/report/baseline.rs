//! `--baseline PREVIOUS.json`: tonight's report compared with one earlier
//! JSON report instead of a history database. Each violation is new, or
//! open since the earlier report's run (its own `since` where it had one);
//! the earlier violations gone tonight are fixed or gone by the same
//! judgement the history makes, and the same completeness guard holds.
//!
//! A report knows less than a history: a violation its rule could not judge
//! that night (not checked in full, or not run) is not in it. Tonight's
//! violation of such a rule that the earlier report lacks gets no status
//! rather than a wrong `new`. A report of some managers, or one written with
//! `--mask-phones`, cannot be a baseline.

use super::history::{annotate, HistoryReport, Judged, ViolationStatus};
use super::EntityKind;
use super::{Report, ViolationReport};
use crate::history::{guard, Outcome, Status, Vanished};
use crate::model::Dataset;
use anyhow::{bail, Context};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The part of an earlier JSON report a comparison reads.
#[derive(Debug, Deserialize)]
struct Previous {
    as_of: String,
    #[serde(default)]
    inputs: Vec<PreviousInput>,
    violations: Vec<PreviousViolation>,
    /// The rules that ran (absent in a report too old to say: all did).
    #[serde(default)]
    rules: Vec<Named>,
    #[serde(default)]
    not_checked: Vec<NotChecked>,
    #[serde(default)]
    manager_filter: Option<Vec<String>>,
    #[serde(default)]
    masked: bool,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
}

#[derive(Debug, Deserialize)]
struct NotChecked {
    rule: String,
}

#[derive(Debug, Deserialize)]
struct PreviousInput {
    kind: String,
    rows: u64,
}

#[derive(Debug, Deserialize)]
struct PreviousViolation {
    fingerprint: String,
    rule: String,
    manager: String,
    entity: PreviousEntity,
    /// `open` where that report had a history or a baseline of its own.
    status: Option<String>,
    since: Option<String>,
    runs: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct PreviousEntity {
    kind: EntityKind,
    id: String,
    deal_id: Option<String>,
}

/// How a comparison treats a drop in tonight's inputs.
#[derive(Debug, Clone, Copy)]
pub struct Guard<'a> {
    /// The largest fall in deals not taken for an export cut short.
    pub max_drop: f64,
    /// Compare even when inputs dropped.
    pub accept_drop: bool,
    /// What says tonight's call logs end too early, if they do.
    pub calls_end_early: Option<&'a guard::Shortfall>,
}

/// `report` with each violation's status and the earlier report's fixed
/// and gone violations written in. `shown` names the earlier report in
/// messages and in the report; `text` is its content.
pub fn compare<'a>(
    report: &Report<'a>,
    data: &Dataset,
    shown: &str,
    text: &str,
    guard: Guard<'_>,
) -> anyhow::Result<Report<'a>> {
    let previous = Previous::read(shown, text)?;
    previous.check_earlier(report, shown)?;
    previous.check_complete(report, shown, guard)?;
    let statuses = previous.statuses(report);
    let (fixed, gone, not_judged) = previous.vanished(report, data);
    let mut compared = report.clone();
    let history = HistoryReport {
        run: None,
        baseline: Some(shown.to_string()),
        fixed,
        gone,
        not_judged,
        incomplete: Vec::new(),
        trend: None,
    };
    annotate(&mut compared, &statuses, history);
    Ok(compared)
}

impl Previous {
    /// The earlier report, when it can be a baseline: unmasked and of the
    /// whole department.
    fn read(shown: &str, text: &str) -> anyhow::Result<Previous> {
        let previous: Previous = serde_json::from_str(text)
            .with_context(|| format!("{shown}: not a JSON report of crm-audit"))?;
        if previous.masked {
            bail!(
                "{shown} was written with --mask-phones: its names and IDs are not the exports', \
                 so tonight cannot be compared with it; keep an unmasked JSON report as the baseline"
            );
        }
        if let Some(managers) = &previous.manager_filter {
            bail!(
                "{shown} is a report of some managers only ({}): compare with a report of the \
                 whole department",
                managers.join(", ")
            );
        }
        Ok(previous)
    }

    /// Refuses a baseline of tonight's audit moment or later: compared
    /// with a later night, tonight's violations would read as open since
    /// after tonight; with the same night, nothing would be new.
    fn check_earlier(&self, report: &Report, shown: &str) -> anyhow::Result<()> {
        let moment = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
        let (Some(then), Some(tonight)) = (moment(&self.as_of), moment(&report.as_of)) else {
            return Ok(());
        };
        if then >= tonight {
            let day = |t: chrono::DateTime<chrono::FixedOffset>| t.format("%d.%m.%Y %H:%M");
            bail!(
                "{shown} is the report of {}, not earlier than tonight's audit moment {}: a \
                 baseline is an earlier night's JSON report (a later one would make tonight's \
                 violations open since after tonight, the same one would make none new)",
                day(then),
                day(tonight)
            );
        }
        Ok(())
    }

    /// Refuses tonight's inputs when they look cut short beside the
    /// earlier report's (unless the guard accepts the drop).
    fn check_complete(&self, report: &Report, shown: &str, guard: Guard<'_>) -> anyhow::Result<()> {
        let mut last = guard::RowsByKind::new();
        for input in &self.inputs {
            *last.entry(input.kind.clone()).or_default() += input.rows;
        }
        let dropped: Vec<String> =
            super::history::dropped_inputs(&last, report, guard.max_drop, guard.calls_end_early)
                .iter()
                .map(guard::Shortfall::sentence)
                .collect();
        if !dropped.is_empty() && !guard.accept_drop {
            bail!(
                "tonight's inputs look incomplete beside {shown}'s, so they were not compared (an \
                 export cut short would mark violations fixed): {}; give --accept-drop to compare \
                 anyway",
                dropped.join("; ")
            );
        }
        Ok(())
    }

    /// Since when an earlier violation has been open.
    fn since(&self, v: &PreviousViolation) -> String {
        v.since.clone().unwrap_or_else(|| self.as_of.clone())
    }

    /// How many runs an earlier violation had been open by then.
    fn runs(v: &PreviousViolation) -> u32 {
        match v.status.as_deref() {
            Some("open") => v.runs.unwrap_or(1),
            _ => 1,
        }
    }

    /// Each of tonight's violations open since the earlier report, new,
    /// or (its rule not judged in full that night) of no known status.
    fn statuses(&self, report: &Report) -> Vec<Option<ViolationStatus>> {
        let before: HashMap<&str, &PreviousViolation> = self
            .violations
            .iter()
            .map(|v| (v.fingerprint.as_str(), v))
            .collect();
        // Rules whose every violation that night the earlier report lists.
        let judged_then: HashSet<&str> = self
            .rules
            .iter()
            .map(|r| r.name.as_str())
            .filter(|r| !self.not_checked.iter().any(|n| n.rule == *r))
            .collect();
        let all_ran = self.rules.is_empty();
        report
            .violations
            .iter()
            .map(|v| match before.get(v.fingerprint.as_str()) {
                Some(p) => Some(Status::Open {
                    since: self.since(p),
                    runs: Self::runs(p) + 1,
                }),
                None if all_ran || judged_then.contains(v.rule) => Some(Status::New),
                // That night's rule could not have listed it: new or not is
                // not known.
                None => None,
            })
            .collect()
    }

    /// The earlier violations not found tonight: those fixed, and apart
    /// those gone from the inputs and those tonight could not judge.
    #[allow(clippy::type_complexity)]
    fn vanished(
        &self,
        report: &Report,
        data: &Dataset,
    ) -> (Vec<Vanished>, Vec<Vanished>, Vec<Vanished>) {
        let all: Vec<ViolationReport> = report.violations.iter().map(Cow::into_owned).collect();
        let tonight: HashSet<&str> = all.iter().map(|v| v.fingerprint.as_str()).collect();
        let judged = Judged::of(report, data, &all);
        let (mut fixed, mut gone, mut not_judged) = (Vec::new(), Vec::new(), Vec::new());
        // A day's record (a quota day) is never fixed by the window moving on.
        let mut listed: HashSet<&str> = HashSet::new();
        for p in self.violations.iter().filter(|p| {
            !tonight.contains(p.fingerprint.as_str()) && p.entity.kind != EntityKind::ManagerDay
        }) {
            // One report lists a fingerprint once; a second copy is the same
            // violation.
            if !listed.insert(p.fingerprint.as_str()) {
                continue;
            }
            let vanished =
                Vanished {
                    fingerprint: p.fingerprint.clone(),
                    rule: p.rule.clone(),
                    manager: p.manager.clone(),
                    entity_kind: p.entity.kind,
                    entity_id: p.entity.id.clone(),
                    deal_id: p.entity.deal_id.clone().or_else(|| {
                        (p.entity.kind == EntityKind::Deal).then(|| p.entity.id.clone())
                    }),
                    since: self.since(p),
                    runs: Self::runs(p),
                };
            match judged.outcome(&vanished) {
                Outcome::Fixed => fixed.push(vanished),
                Outcome::Gone => gone.push(vanished),
                Outcome::NotJudged => not_judged.push(vanished),
            }
        }
        (fixed, gone, not_judged)
    }
}

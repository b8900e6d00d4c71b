//! `--baseline PREVIOUS.json`: tonight's report compared with one earlier
//! JSON report instead of a history database. Each violation is new, or
//! open since the earlier report's run (its own `since` where it had one);
//! the earlier violations gone tonight are fixed or gone by the same
//! judgement the history makes, and the same completeness guard holds.

use super::history::{annotate, HistoryReport, Judged, ViolationStatus};
use super::Report;
use crate::history::{guard, Outcome, Status, Vanished};
use crate::model::Dataset;
use anyhow::{bail, Context};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The part of an earlier JSON report a comparison reads.
#[derive(Debug, Deserialize)]
struct Previous {
    as_of: String,
    #[serde(default)]
    inputs: Vec<PreviousInput>,
    violations: Vec<PreviousViolation>,
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
    kind: String,
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
    pub calls_end_early: Option<&'a str>,
}

/// `report` with each violation's status and the earlier report's fixed
/// and gone violations written in. `shown` names the earlier report in
/// messages and in the report; `text` is its content.
pub fn compare(
    report: &Report,
    data: &Dataset,
    shown: &str,
    text: &str,
    guard: Guard<'_>,
) -> anyhow::Result<Report> {
    let mut previous: Previous = serde_json::from_str(text)
        .with_context(|| format!("{shown}: not a JSON report of crm-audit"))?;
    let mut last = guard::RowsByKind::new();
    for input in &previous.inputs {
        *last.entry(input.kind.clone()).or_default() += input.rows;
    }
    let mut dropped = guard::dropped(&last, &super::history::rows_by_kind(report), guard.max_drop);
    dropped.extend(guard.calls_end_early.map(str::to_string));
    if !dropped.is_empty() && !guard.accept_drop {
        bail!(
            "tonight's inputs look incomplete beside {shown}'s, so they were not compared (an \
             export cut short would mark violations fixed): {}; give --accept-drop to compare \
             anyway",
            dropped.join("; ")
        );
    }
    // A report of some managers (`--manager`) is compared with theirs only.
    let shown_managers: HashSet<&str> = report.managers.iter().map(|m| m.name.as_str()).collect();
    previous
        .violations
        .retain(|v| report.manager_filter.is_none() || shown_managers.contains(v.manager.as_str()));
    let before: HashMap<&str, &PreviousViolation> = previous
        .violations
        .iter()
        .map(|v| (v.fingerprint.as_str(), v))
        .collect();
    let since = |v: &PreviousViolation| v.since.clone().unwrap_or_else(|| previous.as_of.clone());
    let runs = |v: &PreviousViolation| match v.status.as_deref() {
        Some("open") => v.runs.unwrap_or(1),
        _ => 1,
    };
    let statuses: Vec<ViolationStatus> = report
        .violations
        .iter()
        .map(|v| match before.get(v.fingerprint.as_str()) {
            Some(p) => Status::Open {
                since: since(p),
                runs: runs(p) + 1,
            },
            None => Status::New,
        })
        .collect();
    let tonight: HashSet<&str> = report
        .violations
        .iter()
        .map(|v| v.fingerprint.as_str())
        .collect();
    let judged = Judged::of(report, data);
    let (mut fixed, mut gone) = (Vec::new(), Vec::new());
    // A day's record (a quota day) is never fixed by the window moving on.
    for p in previous
        .violations
        .iter()
        .filter(|p| !tonight.contains(p.fingerprint.as_str()) && p.entity.kind != "manager-day")
    {
        let vanished = Vanished {
            fingerprint: p.fingerprint.clone(),
            rule: p.rule.clone(),
            manager: p.manager.clone(),
            entity_kind: p.entity.kind.clone(),
            entity_id: p.entity.id.clone(),
            deal_id: p
                .entity
                .deal_id
                .clone()
                .or_else(|| (p.entity.kind == "deal").then(|| p.entity.id.clone())),
            since: since(p),
            runs: runs(p),
        };
        match judged.outcome(&vanished) {
            Outcome::Fixed => fixed.push(vanished),
            Outcome::Gone => gone.push(vanished),
            Outcome::NotJudged => {}
        }
    }
    let mut compared = report.clone();
    let history = HistoryReport {
        run: None,
        baseline: Some(shown.to_string()),
        fixed,
        gone,
        trend: None,
    };
    annotate(&mut compared, &statuses, history);
    Ok(compared)
}

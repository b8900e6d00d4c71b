//! The report: everything an audit found, as one serialisable value that
//! every output format renders. Building it fixes the order of everything
//! visible (managers worst first, violations by manager, rule and place in
//! the file), so the same inputs give byte-identical output.
//!
//! The JSON format is this structure as it is; `schema_version` changes
//! whenever a field is renamed or removed.

pub(crate) mod baseline;
pub(crate) mod csv_out;
mod details;
mod entity_kind;
pub mod escape;
mod fingerprint;
mod format;
mod guard;
pub(crate) mod history;
pub(crate) mod html;
mod html_chart;
pub(crate) mod input_reason;
pub(crate) mod json;
mod json_string;
mod json_violation;
pub(crate) mod jsonl;
pub(crate) mod junit;
pub(crate) mod lang;
pub(crate) mod markdown;
pub(crate) mod mask;
mod matrix;
#[cfg(test)]
mod memory_tests;
#[cfg(test)]
mod order_tests;
pub(crate) mod reason;
#[cfg(test)]
mod sample;
pub(crate) mod stale;
pub(crate) mod table;
mod text;
mod texts;
mod view;
pub(crate) mod violations;
pub(crate) mod workload;
pub(crate) mod xlsx;

use crate::audit::{Entity, Outcome, Violation};
use crate::lang::Lang;
use crate::model::{Dataset, ManagerId, UNASSIGNED};
use crate::rules::{RuleSet, Severity};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

pub use details::DetailsReport;
pub use entity_kind::EntityKind;
pub use fingerprint::fingerprint;
pub use format::{io_first, render, CsvDialect, Format, RenderOptions};
pub use violations::Violations;
pub use workload::FixFirst;

/// Bumped when the JSON changes incompatibly.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    pub schema_version: u32,
    /// The language of the report's texts (the rule set's `language`, or
    /// `--lang`): the human formats' words, and every `message`.
    pub language: Lang,
    pub tool: Tool,
    /// The audit moment, company-local with its offset (RFC 3339).
    pub as_of: String,
    pub time_zone: String,
    pub rule_set: RuleSetInfo,
    pub inputs: Vec<InputReport>,
    /// The snapshot folders among the inputs, as their `manifest.json`
    /// (written by `crm-audit pull`) says.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub snapshots: Vec<SnapshotReport>,
    /// Inputs whose newest record is older than the working day before
    /// the audit moment: probably not tonight's export.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale: Vec<stale::StaleInput>,
    /// What a reader should know about how the audit judged (a year's
    /// calendar estimated from the Labour Code).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Files of the folders given that are not exports, skipped unread.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_read: Vec<NotReadReport>,
    /// Parts of rules the inputs did not allow to check.
    pub not_checked: Vec<NotCheckedReport>,
    /// The rules that ran, in rule-set order.
    pub rules: Vec<RuleInfo>,
    /// Managers, worst first.
    pub managers: Vec<ManagerReport>,
    /// Kept compact until a format writes them (`violations`).
    pub violations: Violations<'a>,
    /// Deals in work with violations: the most serious first, then the
    /// largest budget (at most `workload::FIX_FIRST_LIMIT`).
    pub fix_first: Vec<FixFirst>,
    pub totals: Totals,
    /// The rule set's waivers and what became of each.
    pub waivers: Vec<WaiverReport>,
    /// Set when `--manager` narrowed the report: the managers kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager_filter: Option<Vec<String>>,
    /// Set when the run was recorded in a history (`--history`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<history::HistoryReport>,
    /// Phones, e-mails and long numbers were masked (`--mask-phones`): the
    /// report's names and IDs are not the inputs' (no baseline of a later
    /// comparison).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleSetInfo {
    pub name: String,
    pub source: String,
}

impl RuleSetInfo {
    /// Where the rule set was read from, as a reader of `w` names it:
    /// the built-in one in their words, a file by its path.
    pub fn shown_source(&self, w: &lang::Words) -> String {
        if self.source == crate::rules::BUILTIN_NAME {
            w.built_in_source.to_string()
        } else {
            self.source.clone()
        }
    }

    /// How report headers name the rule set: its name, and the file it was
    /// read from when that is not the built-in regulation, so a company's
    /// file (found by itself, or extending the built-in one) is never taken
    /// for the built-in rules.
    pub fn label(&self, w: &lang::Words) -> String {
        if self.source == crate::rules::BUILTIN_NAME {
            format!("{} {}", self.name, w.built_in)
        } else {
            format!("{} {}", self.name, (w.from_file)(&self.source))
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    pub path: String,
    /// `deals`, `tasks`, `calls` or `contacts`.
    pub kind: &'static str,
    /// `csv`, `xlsx`, `xls`, `ods`.
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub header_row: u64,
    /// Data rows below the header.
    pub rows: u64,
    pub audited: u64,
    pub skipped: Vec<SkipReport>,
    /// What a reader should know about the file's records (a task's deal
    /// title that matches no deal, or several).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A file found in a folder and not read, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotReport {
    pub folder: String,
    pub source: String,
    pub base_url: String,
    pub pulled_at: String,
    pub tool_version: String,
}

impl SnapshotReport {
    /// One line: `FOLDER: pulled from SOURCE (URL) at WHEN by crm-audit
    /// VERSION`; in Russian `FOLDER: выгружено из SOURCE (URL) 27.11.2026
    /// 01:30 UTC программой crm-audit VERSION`.
    pub fn line(&self, w: &lang::Words) -> String {
        match w.lang {
            Lang::En => format!(
                "{}: pulled from {} ({}) at {} by crm-audit {}",
                self.folder, self.source, self.base_url, self.pulled_at, self.tool_version
            ),
            Lang::Ru => {
                let at = chrono::DateTime::parse_from_rfc3339(&self.pulled_at).map_or_else(
                    |_| self.pulled_at.clone(),
                    |t| t.naive_utc().format("%d.%m.%Y %H:%M UTC").to_string(),
                );
                format!(
                    "{}: выгружено из {} ({}) {at} программой crm-audit {}",
                    self.folder, self.source, self.base_url, self.tool_version
                )
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NotReadReport {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkipReport {
    /// The reason in English in every language: a machine field.
    pub reason: String,
    /// The reason in the report's language, as the human formats show it.
    #[serde(skip)]
    pub text: String,
    pub count: usize,
    /// Row numbers as a person sees them (CSV line, sheet row).
    pub rows: Vec<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotCheckedReport {
    pub rule: &'static str,
    pub reason: String,
    /// The managers the reason alone concerns (people not judged); none
    /// when it concerns everyone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managers: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub name: &'static str,
    pub code: String,
    pub clause: String,
    pub severity: Severity,
    pub summary: String,
    /// How to fix a violation of the rule, in one line, in the report's
    /// language; the human formats show it beside each violation (machine
    /// readers have `crm-audit explain`).
    #[serde(skip)]
    pub fix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManagerReport {
    pub name: String,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub total: usize,
    /// The manager's deals in work.
    pub deals_in_work: usize,
    /// Violations per 10 deals in work (one decimal); absent without deals.
    pub violations_per_10_deals: Option<f64>,
    /// The share of deals in work with no violation (0 to 1); absent without deals.
    pub compliance_rate: Option<f64>,
    /// Violations per rule name, for every rule that ran (zeros included).
    pub counts: BTreeMap<&'static str, usize>,
    /// With a history or a baseline: what changed since the last run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<history::Changes>,
    /// Of `total`, the violations of leads and their tasks (no part of
    /// `violations_per_10_deals`).
    #[serde(skip_serializing_if = "is_zero")]
    pub lead_violations: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize)]
pub struct ViolationReport {
    pub rule: &'static str,
    pub code: String,
    pub clause: String,
    pub severity: Severity,
    pub manager: String,
    pub entity: EntityReport,
    pub message: String,
    pub details: DetailsReport,
    /// Where the record is: the file and its row as a person sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceReport>,
    /// Stable across runs: rule, entity kind and id.
    pub fingerprint: String,
    /// With a history: `new`, or `open` with `since` and `runs`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub status: Option<history::ViolationStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityReport {
    /// `deal`, `lead`, `task`, `call` or `manager-day`.
    pub kind: EntityKind,
    /// The deal or task ID; `MANAGER/YYYY-MM-DD` for a manager-day.
    pub id: String,
    /// The deal's name, where the entity is a deal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The deal a task belongs to, where the entity is a task that has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal_id: Option<String>,
    /// The deal's stage, where the entity is a deal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The deal's budget, where the entity is a deal that has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    /// The name of a task's deal, where the deal is in the inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal_name: Option<String>,
    /// The stage of a task's deal, where the deal is in the inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal_stage: Option<String>,
    /// The CRM card of the deal (or of a task's deal), from the rule set's `crm-url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub file: String,
    pub row: u64,
}

/// A waiver of the rule set and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct WaiverReport {
    pub rule: String,
    /// `deal:ID`, `task:ID`, `manager-day:NAME/YYYY-MM-DD`.
    pub entity: String,
    pub reason: String,
    /// The last day it holds (`YYYY-MM-DD`).
    pub until: String,
    pub status: crate::audit::WaiverStatus,
    /// Violations it covered (left out of the report when `used`).
    pub matched: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub violations: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub managers_with_violations: usize,
    /// Violations per rule name (zeros included).
    pub by_rule: BTreeMap<&'static str, usize>,
    /// The deals in work of the managers in the report.
    pub deals_in_work: usize,
    /// All violations per 10 deals in work (one decimal); absent without deals.
    pub violations_per_10_deals: Option<f64>,
    /// The share of those deals with no violation (0 to 1); absent without deals.
    pub compliance_rate: Option<f64>,
}

impl Report<'_> {
    /// How to fix a violation of `rule`, in the report's language (empty
    /// for a rule the rule set gives no fix).
    pub fn fix_of(&self, rule: &str) -> &str {
        self.rules
            .iter()
            .find(|r| r.name == rule)
            .map_or("", |r| r.fix.as_str())
    }

    /// Whether a count of `n` for `rule` is no clean zero: nothing found
    /// by a rule the inputs did not let run in full (`not_checked`). The
    /// matrix shows it as `—`, never as a zero that reads as compliance.
    pub fn unchecked_zero(&self, rule: &str, n: usize) -> bool {
        n == 0 && self.not_checked.iter().any(|c| c.rule == rule)
    }

    /// The same for one manager's count: a reason that concerns only other
    /// managers (a former employee not judged) leaves this one's zero clean.
    pub fn unchecked_zero_for(&self, rule: &str, n: usize, manager: &str) -> bool {
        n == 0
            && self.not_checked.iter().any(|c| {
                c.rule == rule && (c.managers.is_empty() || c.managers.iter().any(|m| m == manager))
            })
    }

    /// The most serious severity among the violations, as the totals
    /// count them (without a pass over hundreds of thousands).
    pub fn worst(&self) -> Option<Severity> {
        let t = &self.totals;
        [
            (t.errors, Severity::Error),
            (t.warnings, Severity::Warning),
            (t.infos, Severity::Info),
        ]
        .into_iter()
        .find_map(|(count, severity)| (count > 0).then_some(severity))
    }
}

/// The audit moment as a report (and the history) writes it: RFC 3339
/// with the company's offset.
pub fn as_of_text(as_of: NaiveDateTime, rules: &RuleSet) -> String {
    as_of
        .and_local_timezone(rules.time_zone)
        .earliest()
        .map_or_else(
            || as_of.format("%Y-%m-%dT%H:%M:%S").to_string(),
            |t| t.to_rfc3339(),
        )
}

/// Builds the report. `managers`, when given, narrows it to those managers
/// (names matched as `names::find` and `find_manager` say); an unknown name is
/// an error listing the managers there are, so a typo cannot pass for a
/// clean report.
pub fn build<'a>(
    data: &'a Dataset,
    rules: &'a RuleSet,
    outcome: &'a Outcome,
    as_of: NaiveDateTime,
    managers: &[String],
) -> anyhow::Result<Report<'a>> {
    let keep = manager_filter(data, managers)?;
    let kept: Vec<&'a Violation> = outcome
        .violations
        .iter()
        .filter(|v| keep.as_ref().is_none_or(|k| k.contains(&v.manager)))
        .collect();
    // The fix-first list on a thread of its own while the managers are
    // ranked (each reads every violation of a neglected company).
    let (fix_first, (loads, ranked)) = crate::parallel::both(
        || workload::fix_first(data, rules, outcome, keep.as_ref()),
        || {
            let loads = workload::workloads(data, outcome);
            let ranked = manager_reports(data, rules, &kept, keep.as_ref(), &loads);
            (loads, ranked)
        },
    );
    // Each manager's rank by id, looked up once per violation.
    let mut rank = vec![usize::MAX; data.managers.len()];
    for (i, (id, _)) in ranked.iter().enumerate() {
        rank[*id as usize] = i;
    }
    let managers_report: Vec<ManagerReport> = ranked.into_iter().map(|(_, m)| m).collect();
    let all = workload::Workload::sum(
        managers_report
            .iter()
            .filter_map(|m| data.managers.get(&m.name))
            .filter_map(|id| loads.get(&id).copied()),
    );
    let order = in_report_order(data, &kept, &rank);
    let mut per_rule = vec![0usize; rules.rules.len()];
    let mut by_severity = [0usize; 3];
    // Counted in the outcome's order, where the violations lie in memory.
    for v in &kept {
        per_rule[v.rule] += 1;
        by_severity[match rules.rules[v.rule].severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += 1;
    }
    let violations = Violations::compact(data, rules, order);
    let totals = Totals {
        violations: violations.len(),
        errors: by_severity[0],
        warnings: by_severity[1],
        infos: by_severity[2],
        managers_with_violations: managers_report.iter().filter(|m| m.total > 0).count(),
        by_rule: rules
            .rules
            .iter()
            .zip(&per_rule)
            .map(|(r, &n)| (r.name, n))
            .collect(),
        deals_in_work: all.deals_in_work,
        violations_per_10_deals: all.per_10_deals(violations.len()),
        compliance_rate: all.compliance_rate(),
    };
    let offset = as_of_text(as_of, rules);
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        language: rules.language,
        tool: Tool {
            name: "crm-audit",
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: offset,
        time_zone: rules.time_zone.name().to_string(),
        rule_set: RuleSetInfo {
            name: rules.name.clone(),
            source: rules.source.clone(),
        },
        inputs: data
            .files
            .iter()
            .map(|f| input_report(f, rules.language))
            .collect(),
        snapshots: data.snapshots.iter().map(snapshot_report).collect(),
        stale: Vec::new(),
        notes: outcome
            .notes
            .iter()
            .map(|n| reason::note_text(n, rules.language))
            .collect(),
        not_read: data
            .not_read
            .iter()
            .map(|f| not_read_report(f, rules.language))
            .collect(),
        not_checked: not_checked_report(outcome, rules.language),
        rules: rules
            .rules
            .iter()
            .map(|r| RuleInfo {
                name: r.name,
                code: r.code.clone(),
                clause: r.clause.clone(),
                severity: r.severity,
                summary: r.summary_in(rules.language).to_string(),
                fix: r.fix_in(rules.language).to_string(),
            })
            .collect(),
        managers: managers_report,
        violations,
        fix_first,
        waivers: outcome
            .waivers
            .iter()
            .map(|u| {
                let w = &rules.waivers[u.waiver];
                WaiverReport {
                    rule: w.rule.clone(),
                    entity: format!("{}:{}", w.kind, w.id),
                    reason: w.reason.clone(),
                    until: w.until.format("%Y-%m-%d").to_string(),
                    status: u.status,
                    matched: u.matched,
                }
            })
            .collect(),
        totals,
        manager_filter: keep.map(|ids| {
            let mut names: Vec<String> = ids
                .iter()
                .map(|&m| data.manager_name(m).to_string())
                .collect();
            names.sort();
            names
        }),
        history: None,
        masked: false,
    })
}

/// The "not checked" reasons in `lang`, by rule and then by their text,
/// each once.
fn not_checked_report(outcome: &Outcome, lang: crate::lang::Lang) -> Vec<NotCheckedReport> {
    let mut all: Vec<NotCheckedReport> = outcome
        .not_checked
        .iter()
        .map(|n| NotCheckedReport {
            rule: n.rule,
            reason: reason::reason_text(&n.reason, lang),
            managers: n.reason.only_for().to_vec(),
        })
        .collect();
    all.sort_by(|a, b| (a.rule, &a.reason).cmp(&(b.rule, &b.reason)));
    all.dedup_by(|a, b| a.rule == b.rule && a.reason == b.reason);
    all
}

/// What the report says of one input file, in `lang`.
pub fn input_report(file: &crate::model::InputFile, lang: Lang) -> InputReport {
    InputReport {
        path: file.path.clone(),
        kind: file.kind.as_str(),
        format: file.format,
        encoding: file.encoding,
        delimiter: file.delimiter.map(|d| {
            if d == '\t' {
                "tab".to_string()
            } else {
                d.to_string()
            }
        }),
        sheet: file.sheet.clone(),
        header_row: file.header_row,
        rows: file.rows,
        audited: file.audited,
        skipped: input_reason::skip_reports(file, lang),
        notes: input_reason::notes(file, lang),
    }
}

pub fn snapshot_report(s: &crate::model::Snapshot) -> SnapshotReport {
    SnapshotReport {
        folder: s.folder.clone(),
        source: s.source.clone(),
        base_url: s.base_url.clone(),
        pulled_at: s.pulled_at.clone(),
        tool_version: s.tool_version.clone(),
    }
}

pub use input_reason::not_read_report;

fn manager_filter(data: &Dataset, wanted: &[String]) -> anyhow::Result<Option<HashSet<u32>>> {
    if wanted.is_empty() {
        return Ok(None);
    }
    let names: Vec<&str> = (0..data.managers.len() as u32)
        .map(|m| data.manager_name(m))
        .collect();
    let quoted = |mut list: Vec<&str>| {
        list.sort_unstable();
        list.iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut keep = HashSet::new();
    for name in wanted {
        match find_manager(name, &names) {
            Ok(m) => {
                keep.insert(m as u32);
            }
            Err(matches) if matches.is_empty() => anyhow::bail!(
                "--manager \"{name}\": no such manager in the inputs; the managers are {}",
                quoted(names.clone())
            ),
            Err(matches) => anyhow::bail!(
                "--manager \"{name}\" names more than one manager: {}; give more of the name",
                quoted(matches.iter().map(|&m| names[m]).collect())
            ),
        }
    }
    Ok(Some(keep))
}

/// The manager `wanted` names among `names`: the full name (as
/// `names::find` matches one: case, spacing, word order, `ё`, another form
/// that fits only one), else the one name that a word of it (a surname) or
/// its beginning matches. `Err` holds every match when there is not exactly
/// one (none, or an ambiguous prefix or surname).
fn find_manager(wanted: &str, names: &[&str]) -> Result<usize, Vec<usize>> {
    let keys: Vec<String> = names.iter().map(|n| crate::names::name_key(n)).collect();
    let known: Vec<&str> = keys.iter().map(String::as_str).collect();
    let key = crate::names::folded(wanted);
    // One word is matched below as a word or the start of a name, so that
    // a surname is also the start of another's (`Иванов`, `Иванова`).
    if key.contains(' ') {
        match crate::names::find(wanted, &known) {
            crate::names::Found::One(m) => return Ok(m),
            crate::names::Found::Several(all) => return Err(all),
            crate::names::Found::None => {}
        }
    }
    let lower: Vec<String> = names.iter().map(|n| crate::names::folded(n)).collect();
    let matches: Vec<usize> = lower
        .iter()
        .enumerate()
        .filter(|(_, n)| !key.is_empty() && (n.starts_with(&key) || n.split(' ').any(|w| w == key)))
        .map(|(m, _)| m)
        .collect();
    match matches[..] {
        [m] => Ok(m),
        _ => Err(matches),
    }
}

/// Orders one manager's violations: by rule, then by where the record
/// stands (file and row); then by id (`entity_id`). The rule and the file
/// share one word: two words compared instead of a tuple of four.
type SortKey = (u64, u64);

/// The violations in the report's order, sorted on small keys before any
/// text is made (a neglected company has hundreds of thousands): the
/// manager's `rank`, the rule, the record's place; its ID only between
/// records of one place (manager-days). Ties keep the outcome's order, as
/// one stable sort of them all keeps it.
///
/// The managers come first in the order, so the violations are first
/// dealt into one run per rank, in the outcome's order (a counting sort:
/// no comparison), and each run is sorted on its own. A run is mostly in
/// order already (a rule finds its records in the files' order), which
/// the stable sort sees in one pass. Many violations are sorted on two
/// threads, each taking whole runs.
fn in_report_order<'a>(
    data: &Dataset,
    kept: &[&'a Violation],
    rank: &[usize],
) -> Vec<&'a Violation> {
    // Below this many, a thread costs more than it saves.
    const PARALLEL_FROM: usize = 1 << 12;
    let parallel = kept.len() >= PARALLEL_FROM && crate::parallel::cores() > 1;
    sorted_by_rank(data, kept, rank, parallel)
}

/// `in_report_order`, on two threads or one.
fn sorted_by_rank<'a>(
    data: &Dataset,
    kept: &[&'a Violation],
    rank: &[usize],
    parallel: bool,
) -> Vec<&'a Violation> {
    let Some(&any) = kept.first() else {
        return Vec::new();
    };
    // A manager without a rank (none is left so) goes last, as
    // `usize::MAX` would sort.
    let run_of = |v: &Violation| rank[v.manager as usize].min(rank.len());
    let mut starts = vec![0usize; rank.len() + 2];
    for v in kept {
        starts[run_of(v) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut keyed: Vec<(SortKey, &'a Violation)> = vec![((0, 0), any); kept.len()];
    for &v in kept {
        let (file, row) = place(data, v.entity);
        let slot = &mut next[run_of(v)];
        keyed[*slot] = (((v.rule as u64) << 16 | u64::from(file), row), v);
        *slot += 1;
    }
    let sort_runs = |part: &mut [(SortKey, &'a Violation)], offset: usize| {
        for run in starts.windows(2) {
            let (from, to) = (run[0].max(offset), run[1].min(offset + part.len()));
            if from < to {
                part[from - offset..to - offset].sort_by(|a, b| report_order(data, a, b));
            }
        }
    };
    if parallel {
        // The run boundary nearest the middle: each thread sorts whole
        // runs, and nothing is merged after.
        let half = kept.len() / 2;
        let split = starts
            .iter()
            .copied()
            .min_by_key(|&s| s.abs_diff(half))
            .unwrap_or(0);
        let (first, second) = keyed.split_at_mut(split);
        crate::parallel::both(|| sort_runs(first, 0), || sort_runs(second, split));
    } else {
        sort_runs(&mut keyed, 0);
    }
    keyed.into_iter().map(|(_, v)| v).collect()
}

/// How two keyed violations of one manager stand in the report's order.
fn report_order(
    data: &Dataset,
    (a, va): &(SortKey, &Violation),
    (b, vb): &(SortKey, &Violation),
) -> std::cmp::Ordering {
    a.cmp(b)
        .then_with(|| entity_id(data, va.entity).cmp(&entity_id(data, vb.entity)))
}

/// Where a violation's record stands: its file and row; a manager-day
/// stands nowhere (0, 0).
fn place(data: &Dataset, entity: Entity) -> (u16, u64) {
    match entity {
        Entity::Deal(i) => (data.deals[i].file, data.deals[i].row),
        Entity::Task(i) => (data.tasks[i].file, data.tasks[i].row),
        Entity::Call(i) => (data.reviews[i].file, data.reviews[i].row),
        Entity::LoggedCall(i) => (data.unreadable_calls[i].file, data.unreadable_calls[i].row),
        Entity::ManagerDay(..) => (0, 0),
    }
}

/// The entity's ID as the report writes it (`EntityReport::id`).
fn entity_id(data: &Dataset, entity: Entity) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    match entity {
        Entity::Deal(i) => Cow::Borrowed(data.text(data.deals[i].id)),
        Entity::Task(i) => Cow::Borrowed(data.text(data.tasks[i].id)),
        Entity::Call(i) => Cow::Borrowed(&data.reviews[i].id),
        Entity::LoggedCall(i) => Cow::Borrowed(data.text(data.unreadable_calls[i].id)),
        Entity::ManagerDay(..) => Cow::Owned(entity.kind_and_id(data).1),
    }
}

/// Each manager's line (every manager of the inputs but the unassigned
/// one, and whoever has a violation), worst first, with the manager's id.
fn manager_reports(
    data: &Dataset,
    rules: &RuleSet,
    violations: &[&Violation],
    keep: Option<&HashSet<u32>>,
    loads: &std::collections::HashMap<u32, workload::Workload>,
) -> Vec<(ManagerId, ManagerReport)> {
    let unassigned = data.managers.get(UNASSIGNED);
    let empty = |name: &str| ManagerReport {
        name: name.to_string(),
        errors: 0,
        warnings: 0,
        infos: 0,
        total: 0,
        deals_in_work: 0,
        violations_per_10_deals: None,
        compliance_rate: None,
        counts: BTreeMap::new(),
        changes: None,
        lead_violations: 0,
    };
    // Counted by manager id and rule index; names come once per manager.
    let mut lines: Vec<Option<(ManagerReport, Vec<usize>)>> =
        (0..data.managers.len()).map(|_| None).collect();
    let line = |m: ManagerId| (empty(data.manager_name(m)), vec![0; rules.rules.len()]);
    for m in 0..data.managers.len() as u32 {
        if Some(m) != unassigned && keep.is_none_or(|k| k.contains(&m)) {
            lines[m as usize] = Some(line(m));
        }
    }
    for v in violations {
        let (entry, per_rule) = lines[v.manager as usize].get_or_insert_with(|| line(v.manager));
        entry.total += 1;
        match rules.rules[v.rule].severity {
            Severity::Error => entry.errors += 1,
            Severity::Warning => entry.warnings += 1,
            Severity::Info => entry.infos += 1,
        }
        per_rule[v.rule] += 1;
    }
    let mut list: Vec<(ManagerId, ManagerReport)> = lines
        .into_iter()
        .enumerate()
        .filter_map(|(m, line)| line.map(|l| (m as ManagerId, l)))
        .map(|(m, (mut report, per_rule))| {
            report.counts = rules.rules.iter().map(|r| r.name).zip(per_rule).collect();
            let load = loads.get(&m).copied().unwrap_or_default();
            report.deals_in_work = load.deals_in_work;
            report.violations_per_10_deals = load.per_10_deals(report.total);
            report.lead_violations = load.lead_violations;
            report.compliance_rate = load.compliance_rate();
            (m, report)
        })
        .collect();
    list.sort_by(|(_, a), (_, b)| {
        (b.errors, b.warnings, b.total)
            .cmp(&(a.errors, a.warnings, a.total))
            .then_with(|| a.name.cmp(&b.name))
    });
    list
}

#[cfg(test)]
mod manager_filter_tests {
    use super::find_manager;

    #[test]
    fn a_manager_is_found_by_full_name_surname_or_unique_prefix() {
        let names = ["Иванова Мария", "Иванов Пётр", "Петров Алексей"];
        assert_eq!(find_manager("иванова  мария", &names), Ok(0));
        // A surname that is a whole word of one name.
        assert_eq!(find_manager("Иванова", &names), Ok(0));
        assert_eq!(find_manager("Петров", &names), Ok(2));
        assert_eq!(find_manager("Алексей", &names), Ok(2));
        // "Иванов" is Пётр's surname exactly, and the start of Мария's:
        // both match, so it is ambiguous rather than a guess.
        assert_eq!(find_manager("Иванов", &names), Err(vec![0, 1]));
        // «Петр» is Пётр's first name (ё is е) and the start of Петров.
        assert_eq!(find_manager("Петр", &names), Err(vec![1, 2]));
        // The log's spelling of a name the CRM writes with ё, or with an
        // initial that fits one manager only.
        assert_eq!(find_manager("иванов петр", &names), Ok(1));
        assert_eq!(find_manager("Петров А.", &names), Ok(2));
        assert_eq!(find_manager("Сидоров", &names), Err(vec![]));
        assert_eq!(find_manager("", &names), Err(vec![]));
    }
}

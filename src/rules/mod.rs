//! The rule set: the regulation as data. A rule file is read into raw serde
//! structs (`raw`), then compiled once into the checked `RuleSet` below
//! (`compile`); after that the audit cannot fail on configuration.
//!
//! This module declares every check the engine knows (`Check`): each rule in
//! a rule file names one, and carries its severity, clause, message and
//! explanation. The engine (`crate::audit`) implements them.

pub mod calendar;
pub mod columns;
mod compile;
pub mod location;
mod raw;
pub mod stages;
pub mod template;

use crate::value::TaskType;
use anyhow::Context;
use calendar::Calendar;
use chrono_tz::Tz;
use columns::Columns;
use serde::Serialize;
use stages::Stages;
use std::collections::HashMap;
use std::path::Path;
use template::Template;

pub use location::RuleFileError;

/// The built-in rule set's text, compiled into the binary.
pub const BUILTIN_RULES: &str = include_str!("../../rules/regulation.toml");
/// How the built-in rule set is named in reports and errors.
pub const BUILTIN_NAME: &str = "built-in rules/regulation.toml";

/// How serious a violation is; `--fail-on` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// What a rule checks. The closed set of checks the engine implements; the
/// rule file chooses which run and with what parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Clause 4: an open task past its due moment (or, with no tasks file,
    /// a deal in work whose nearest task is in the past).
    OverdueTask,
    /// Clause 3: a deal in work with no open task.
    DealWithoutTask,
    /// Clause 6: a deal in work whose phone columns hold no digit.
    MissingPhone,
    /// Clause 6: a deal in work with no contact name.
    MissingContactName,
    /// Clause 7: a deal in work lacking a field its stage requires.
    StageMissingData,
    /// Clause 8: a lost deal with no refusal reason.
    RefusalWithoutReason,
    /// Clause 2: a working day with fewer outgoing contacts than the quota.
    DailyCallQuota(QuotaParams),
}

impl Check {
    /// The placeholders this check fills in its rule's message.
    pub fn placeholders(&self) -> &'static [&'static str] {
        match self {
            Check::OverdueTask => &["due", "late"],
            Check::DealWithoutTask => &["stage"],
            Check::MissingPhone | Check::MissingContactName | Check::RefusalWithoutReason => &[],
            Check::StageMissingData => &["stage", "fields"],
            Check::DailyCallQuota(_) => &["date", "count", "quota", "calls", "letters"],
        }
    }
}

/// Parameters of the daily outgoing-contact quota (clause 2).
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaParams {
    /// Contacts a manager must make on a working day.
    pub quota: u32,
    /// Working days before the audit date that are judged.
    pub days: u32,
    /// Count only answered calls.
    pub answered_only: bool,
    /// Count only calls at least this long.
    pub min_duration_seconds: u32,
    /// Completed tasks of these types count as outgoing contacts.
    pub letter_task_types: Vec<TaskType>,
    /// Quota per manager, keyed by `value::normalize_name` of the name.
    pub per_manager: HashMap<String, u32>,
}

impl QuotaParams {
    pub fn quota_for(&self, manager: &str) -> u32 {
        self.per_manager.get(manager).copied().unwrap_or(self.quota)
    }
}

/// One rule of the active rule set, documented where it is declared.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Kebab-case name, as in the rule file (`overdue-task`).
    pub name: &'static str,
    /// Stable code (`CA001`).
    pub code: String,
    /// The regulation's clause (`4`, `1.1`).
    pub clause: String,
    pub severity: Severity,
    /// One line: what a violation means.
    pub summary: String,
    pub message: Template,
    /// What it checks, why, how to fix.
    pub explanation: String,
    pub check: Check,
}

/// A compiled, validated rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub name: String,
    /// Where it came from: a path, or the built-in name.
    pub source: String,
    pub time_zone: Tz,
    /// A link to a deal's card in the CRM (`{id}` is the deal's ID).
    pub crm_url: Option<Template>,
    pub calendar: Calendar,
    pub stages: Stages,
    pub columns: Columns,
    /// Enabled rules, in rule-file order of declaration.
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The built-in regulation.
    pub fn builtin() -> RuleSet {
        compile::compile(BUILTIN_RULES, BUILTIN_NAME)
            .expect("the built-in rule set compiles (checked by a test)")
    }

    /// Compiles rule-file text; `file` names it in errors.
    pub fn from_text(text: &str, file: &str) -> Result<RuleSet, RuleFileError> {
        compile::compile(text, file)
    }

    /// Reads and compiles a rule file.
    pub fn load(path: &Path) -> anyhow::Result<RuleSet> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read rule file {}", path.display()))?;
        Ok(Self::from_text(&text, &path.display().to_string())?)
    }

    pub fn rule(&self, name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rule_set_compiles_with_the_seven_core_rules() {
        let rules = RuleSet::builtin();
        let names: Vec<_> = rules.rules.iter().map(|r| r.name).collect();
        assert_eq!(
            names,
            [
                "overdue-task",
                "deal-without-task",
                "missing-phone",
                "missing-contact-name",
                "stage-missing-data",
                "refusal-without-reason",
                "daily-call-quota"
            ]
        );
        assert_eq!(rules.time_zone, chrono_tz::Europe::Moscow);
        assert_eq!(rules.stages.funnel.len(), 9);
        assert_eq!(rules.stages.required_fields.len(), 12);
    }

    #[test]
    fn rule_codes_and_names_are_unique() {
        let rules = RuleSet::builtin();
        let mut codes: Vec<_> = rules.rules.iter().map(|r| r.code.as_str()).collect();
        let mut names: Vec<_> = rules.rules.iter().map(|r| r.name).collect();
        codes.sort_unstable();
        codes.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(codes.len(), rules.rules.len());
        assert_eq!(names.len(), rules.rules.len());
    }

    #[test]
    fn builtin_calendar_has_russias_2026_working_days() {
        let rules = RuleSet::builtin();
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let working = start
            .iter_days()
            .take(365)
            .filter(|d| rules.calendar.is_working_day(*d))
            .count();
        // The official 2026 production calendar: 247 working days.
        assert_eq!(working, 247);
    }
}

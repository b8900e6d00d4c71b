//! The rule set: the regulation as data. A rule file is read into raw serde
//! structs (`raw`), then compiled once into the checked `RuleSet` below
//! (`compile`); after that the audit cannot fail on configuration.
//!
//! Each rule of a rule file names a check kind (`crate::checks`, where
//! each kind is declared, compiled and run) and carries its severity,
//! clause, message and explanation.

pub(crate) mod blank;
pub(crate) mod calendar;
// Public though only the crate reads it: its `FieldSpec::multi` and the
// fields' `multi()` are read by nothing, and crate-private they are dead
// code whose removal rewrites every field declaration of its macro.
pub mod columns;
pub(crate) mod compile;
mod compile_calendar;
pub(crate) mod compile_condition;
pub(crate) mod compile_rules;
pub(crate) mod condition;
pub(crate) mod describe;
pub(crate) mod fields;
mod labour_code;
pub(crate) mod location;
mod merge;
pub(crate) mod notify;
pub(crate) mod raw;
pub(crate) mod roster;
pub(crate) mod sources;
pub(crate) mod stages;
pub(crate) mod template;
pub(crate) mod values;
pub(crate) mod waivers;

use crate::lang::Lang;
use calendar::Calendar;
use chrono_tz::Tz;
use columns::Columns;
use fields::FieldCatalog;
use serde::Serialize;
use stages::Stages;
use std::path::Path;
use template::Template;

pub use crate::checks::{Bound, Check, Counted, DailyCount, PhoneCountry, RatioParams, Window};
pub use location::RuleFileError;
pub use notify::{EmailSettings, NotifySettings, SmtpTls, TelegramSettings};

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

/// The kind of record a generic check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Deal,
    Task,
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
    /// What it checks and why.
    pub explanation: String,
    /// How to fix a violation.
    pub fix: String,
    /// The Russian summary, message and fix, where the rule set gives them.
    pub summary_ru: Option<String>,
    pub message_ru: Option<Template>,
    pub fix_ru: Option<String>,
    pub check: Check,
    /// The rule judges Bitrix24's leads too, each as a deal at its status
    /// (`leads = true`; only kinds over deals take it).
    pub leads: bool,
}

impl Rule {
    /// The one-line summary in `lang`; a rule without a Russian one shows
    /// the summary it has.
    pub fn summary_in(&self, lang: Lang) -> &str {
        match (lang, &self.summary_ru) {
            (Lang::Ru, Some(ru)) => ru,
            _ => &self.summary,
        }
    }

    /// The message template in `lang`, falling back as `summary_in` does.
    pub fn message_in(&self, lang: Lang) -> &Template {
        match (lang, &self.message_ru) {
            (Lang::Ru, Some(ru)) => ru,
            _ => &self.message,
        }
    }

    /// How to fix a violation, in `lang`, falling back as `summary_in` does.
    pub fn fix_in(&self, lang: Lang) -> &str {
        match (lang, &self.fix_ru) {
            (Lang::Ru, Some(ru)) => ru,
            _ => &self.fix,
        }
    }
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
    /// The history database named by the rule set (`history = "…"`),
    /// resolved against the folder of the rule file that names it.
    pub history: Option<std::path::PathBuf>,
    /// The largest fall in deals since the last recorded run, in percent
    /// (1..=100), that is not taken for an export cut short
    /// (`history-drop-threshold`; 30 unless the rule set says).
    pub history_drop_threshold: u8,
    /// The words that leave a text field empty (`blank-words`: `-`, `нет`).
    pub blank_words: blank::BlankWords,
    /// The reports' language (`language`; Russian unless the rule set
    /// says, and `--lang` overrides it).
    pub language: Lang,
    /// CSV reports in Excel's Russian dialect (`csv-excel = true`), as
    /// `--csv-excel` asks for one run.
    pub csv_excel: bool,
    /// Where `crm-audit notify` sends the digest (`[notify.*]`).
    pub notify: NotifySettings,
    /// What `crm-audit pull` fetches by default (`[sources.*]`).
    pub sources: sources::Sources,
    pub calendar: Calendar,
    /// The stages of deals in no pipeline of their own.
    pub stages: Stages,
    /// Pipelines of their own, by the deal export's `Воронка`.
    pub pipelines: Vec<Pipeline>,
    /// The statuses of leads, where the rule set lists them ([leads]).
    pub lead_stages: Option<Stages>,
    pub columns: Columns,
    /// The words of call directions, call statuses, task states and types.
    pub values: values::Values,
    /// The deal fields rules and stages refer to.
    pub deal_fields: FieldCatalog,
    /// The task fields rules refer to.
    pub task_fields: FieldCatalog,
    /// Enabled rules, in the rule file's order.
    pub rules: Vec<Rule>,
    /// Rules switched off (`enabled = false`), by name, for `crm-audit rules`.
    pub disabled: Vec<String>,
    /// The regulation's clauses: their text, or why no rule checks them.
    pub clauses: Vec<Clause>,
    pub waivers: Vec<waivers::Waiver>,
    pub roster: roster::Roster,
}

/// A pipeline with stages of its own.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// As the rule file writes it.
    pub name: String,
    /// `value::normalize_header` of the name, as deals are matched.
    pub key: String,
    pub stages: Stages,
}

/// Which stages a deal is judged by: 0 for [stages], `i + 1` for pipeline
/// `i`, `LEADS` for a lead's status.
pub type PipelineId = u8;

/// The `PipelineId` of leads' statuses (a rule set has at most 250 pipelines).
pub const LEADS: PipelineId = PipelineId::MAX;

/// The statuses of a rule set without [leads]: none known.
static NO_STAGES: std::sync::LazyLock<Stages> = std::sync::LazyLock::new(Stages::default);

/// A clause of the regulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// `4`, `1.1`, `1.3.4`.
    pub number: String,
    pub ru: String,
    pub en: String,
    /// Why no rule checks it, when none does.
    pub not_checkable: Option<String>,
}

impl RuleSet {
    /// The built-in regulation.
    pub fn builtin() -> RuleSet {
        compile::compile(BUILTIN_RULES, BUILTIN_NAME, None)
            .expect("the built-in rule set compiles (checked by a test)")
    }

    /// Compiles rule-file text; `file` names it in errors. An `extends`
    /// path is taken relative to the current folder.
    pub fn from_text(text: &str, file: &str) -> Result<RuleSet, RuleFileError> {
        compile::compile(text, file, None)
    }

    /// Reads and compiles a rule file (and those it extends).
    pub fn load(path: &Path) -> anyhow::Result<RuleSet> {
        let shown = path.display().to_string();
        let text = crate::files::read_text(path, &shown, crate::files::MAX_RULE_FILE_BYTES)
            .map_err(|e| anyhow::anyhow!("rule file {e:#}"))?;
        Ok(compile::compile(
            &text,
            &path.display().to_string(),
            Some(path),
        )?)
    }

    /// The pipeline a deal's `Воронка` (normalised) names, or 0.
    pub fn pipeline_of(&self, key: &str) -> PipelineId {
        self.pipelines
            .iter()
            .position(|p| p.key == key)
            .map_or(0, |i| (i + 1) as PipelineId)
    }

    /// The stages of a pipeline (0: [stages]).
    pub fn stages_of(&self, pipeline: PipelineId) -> &Stages {
        match pipeline {
            0 => &self.stages,
            LEADS => self.lead_stages.as_ref().unwrap_or(&NO_STAGES),
            p => &self.pipelines[usize::from(p) - 1].stages,
        }
    }

    /// The name of a pipeline, or `None` for [stages].
    pub fn pipeline_name(&self, pipeline: PipelineId) -> Option<&str> {
        match pipeline {
            0 => None,
            LEADS => Some("leads"),
            p => Some(self.pipelines[usize::from(p) - 1].name.as_str()),
        }
    }

    /// A rule by name or code (`overdue-task`, `CA001`, `ca001`).
    pub fn find(&self, name_or_code: &str) -> Option<&Rule> {
        let wanted = name_or_code.trim();
        self.rules
            .iter()
            .find(|r| r.name == wanted || r.code.eq_ignore_ascii_case(wanted))
    }

    /// Keeps only the rules `select` names (all when empty), less those
    /// `ignore` names; by name or code. An unknown name is an error that
    /// suggests the nearest.
    pub fn select(&mut self, select: &[String], ignore: &[String]) -> anyhow::Result<()> {
        for (flag, names) in [("--select", select), ("--ignore", ignore)] {
            for name in names {
                if self.find(name).is_none() {
                    let known: Vec<&str> = self.rules.iter().map(|r| r.name).collect();
                    anyhow::bail!(
                        "{flag} {name}: no such rule in the rule set{}",
                        compile::nearest(name, known.iter().copied())
                    );
                }
            }
        }
        let named = |r: &Rule, names: &[String]| {
            names
                .iter()
                .any(|n| r.name == n.trim() || r.code.eq_ignore_ascii_case(n.trim()))
        };
        self.rules
            .retain(|r| (select.is_empty() || named(r, select)) && !named(r, ignore));
        // A report of no rule would read as a clean department.
        if self.rules.is_empty() && !(select.is_empty() && ignore.is_empty()) {
            anyhow::bail!(
                "--select and --ignore leave no rule to run; `crm-audit rules` lists them"
            );
        }
        Ok(())
    }

    /// The clause with this number.
    pub fn clause(&self, number: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.number == number)
    }

    pub fn rule(&self, name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn builtin_rule_set_compiles_with_every_rule_of_the_regulation() {
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
                "daily-call-quota",
                "invalid-phone",
                "unknown-stage",
                "invoice-missing",
                "prepayment-below-minimum",
                "task-without-result",
                "no-follow-up",
                "task-overload",
                "call-script-stages",
                "call-conduct",
                "unreadable-value",
            ]
        );
        assert_eq!(rules.time_zone, chrono_tz::Europe::Moscow);
        assert_eq!(rules.stages.funnel.len(), 9);
    }

    #[test]
    fn rule_codes_and_names_are_unique() {
        let rules = RuleSet::builtin();
        let codes: BTreeSet<_> = rules.rules.iter().map(|r| r.code.as_str()).collect();
        let names: BTreeSet<_> = rules.rules.iter().map(|r| r.name).collect();
        assert_eq!(codes.len(), rules.rules.len());
        assert_eq!(names.len(), rules.rules.len());
    }

    #[test]
    fn every_clause_is_covered_by_a_rule_or_says_why_not() {
        let rules = RuleSet::builtin();
        let covered: BTreeSet<&str> = rules
            .rules
            .iter()
            .flat_map(|r| r.clause.split(',').map(str::trim))
            .collect();
        // The regulation's numbered clauses (1.1.x and 1.2.x are the stages
        // of 1.1 and 1.2, judged together by call-script-stages).
        let regulation = [
            "0", "1.1", "1.2", "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "2", "3", "4", "5",
            "6", "7", "8",
        ];
        for number in regulation {
            let clause = rules
                .clause(number)
                .unwrap_or_else(|| panic!("clause {number} is listed"));
            assert!(
                !clause.ru.is_empty() && !clause.en.is_empty(),
                "clause {number} has its text"
            );
            match (&clause.not_checkable, covered.contains(number)) {
                (Some(_), true) => panic!("clause {number} is both checked and not checkable"),
                (None, false) => {
                    panic!("clause {number} is neither checked nor said to be uncheckable")
                }
                _ => {}
            }
        }
        for rule in &rules.rules {
            // unreadable-value is about the export, not a clause: it cites none.
            let cited = rule.clause.split(',').map(str::trim).filter(|c| *c != "—");
            for number in cited {
                assert!(
                    rules.clause(number).is_some(),
                    "rule {} cites clause {number}, which is listed",
                    rule.name
                );
            }
            assert!(
                !rule.explanation.is_empty() && !rule.fix.is_empty() && !rule.summary.is_empty(),
                "{} is documented",
                rule.name
            );
        }
    }

    #[test]
    fn builtin_calendar_has_russias_official_working_days() {
        let rules = RuleSet::builtin();
        // The official production calendars: working days a year.
        for (year, expected) in [
            (2022, 247),
            (2023, 247),
            (2024, 248),
            (2025, 247),
            (2026, 247),
        ] {
            let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            let working = start
                .iter_days()
                .take_while(|d| chrono::Datelike::year(d) == year)
                .filter(|d| rules.calendar.is_working_day(*d))
                .count();
            assert_eq!(working, expected, "{year}");
            assert!(rules.calendar.knows(year));
        }
        assert!(!rules.calendar.knows(2027), "no decree for 2027 yet");
        // 2022's moves: 7 March and 3 and 10 May off, Saturday 5 March worked.
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2022, m, day).unwrap();
        for day in [d(3, 7), d(5, 3), d(5, 10)] {
            assert!(!rules.calendar.is_working_day(day), "{day}");
        }
        assert!(rules.calendar.is_working_day(d(3, 5)));
    }
}

//! The rule file as written: serde structs that mirror the TOML, with spans
//! kept for every value a later check may reject. Unknown keys are refused
//! here (`deny_unknown_fields`), with the line and column toml reports.
//!
//! Nothing here is validated beyond its TOML type; `compile` does that.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub type Text = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRuleSet {
    pub name: Option<String>,
    pub time_zone: Text,
    /// A link to a deal's card in the CRM, with `{id}` for the deal's ID.
    pub crm_url: Option<Text>,
    #[serde(default)]
    pub calendar: RawCalendar,
    pub stages: RawStages,
    pub columns: RawColumns,
    pub rules: RawRules,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCalendar {
    #[serde(default)]
    pub weekends: Option<Vec<Text>>,
    #[serde(default)]
    pub holidays: Vec<Text>,
    #[serde(default)]
    pub working_days: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawStages {
    #[serde(default)]
    pub inbox: Vec<Text>,
    pub funnel: Vec<Text>,
    pub won: Vec<Text>,
    pub lost: Vec<Text>,
    #[serde(default)]
    pub required: Vec<RawRequirement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRequirement {
    pub from: Text,
    pub fields: Vec<Text>,
}

/// Header names per logical field; keys are checked against the closed set
/// of fields of each kind in `compile`, so a typo is located and explained.
pub type RawLayout = Spanned<BTreeMap<Text, Vec<Text>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawColumns {
    pub deals: RawLayout,
    pub tasks: RawLayout,
    pub calls: RawLayout,
    pub contacts: RawLayout,
}

/// Declares a rule's raw table: the keys every rule has, plus its own
/// parameters. Written out per rule so `deny_unknown_fields` works (serde
/// cannot combine it with `flatten`).
macro_rules! raw_rule {
    ($name:ident { $($(#[$attr:meta])* $field:ident : $ty:ty,)* }) => {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub struct $name {
            #[serde(default = "enabled_by_default")]
            pub enabled: bool,
            pub code: Text,
            pub clause: String,
            pub severity: Text,
            pub summary: String,
            pub message: Text,
            pub explanation: String,
            $($(#[$attr])* pub $field: $ty,)*
        }

        impl RawCommon for $name {
            fn common(&self) -> Common<'_> {
                Common {
                    enabled: self.enabled,
                    code: &self.code,
                    clause: &self.clause,
                    severity: &self.severity,
                    summary: &self.summary,
                    message: &self.message,
                    explanation: &self.explanation,
                }
            }
        }
    };
}

fn enabled_by_default() -> bool {
    true
}

/// The keys every rule table has, borrowed.
pub struct Common<'a> {
    pub enabled: bool,
    pub code: &'a Text,
    pub clause: &'a str,
    pub severity: &'a Text,
    pub summary: &'a str,
    pub message: &'a Text,
    pub explanation: &'a str,
}

pub trait RawCommon {
    fn common(&self) -> Common<'_>;
}

raw_rule!(RawPlainRule {});

raw_rule!(RawQuotaRule {
    quota: Spanned<u32>,
    #[serde(default = "one_day")]
    days: Spanned<u32>,
    #[serde(default)]
    answered_only: bool,
    #[serde(default)]
    min_duration_seconds: u32,
    #[serde(default)]
    letter_task_types: Vec<Text>,
    #[serde(default)]
    per_manager: BTreeMap<String, Spanned<u32>>,
});

fn one_day() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

/// The rules, one table each under `[rules.NAME]`; a name that is not one of
/// these is an unknown key, refused with the list of known rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRules {
    pub overdue_task: Option<RawPlainRule>,
    pub deal_without_task: Option<RawPlainRule>,
    pub missing_phone: Option<RawPlainRule>,
    pub missing_contact_name: Option<RawPlainRule>,
    pub stage_missing_data: Option<RawPlainRule>,
    pub refusal_without_reason: Option<RawPlainRule>,
    pub daily_call_quota: Option<RawQuotaRule>,
}

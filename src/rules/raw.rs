//! The rule file as written: serde structs that mirror the TOML, with spans
//! kept for every value a later check may reject. Unknown keys are refused
//! here (`deny_unknown_fields`), with the line and column toml reports.
//!
//! Every field is optional so that a company file that `extends` another
//! can say only what differs; `merge` lays files over each other and
//! `compile` then insists on what the merged set must have.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub type Text = Spanned<String>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRuleSet {
    /// `"builtin"`, or a rule file (relative to this one) to start from.
    pub extends: Option<Text>,
    pub name: Option<String>,
    pub time_zone: Option<Text>,
    /// A link to a deal's card in the CRM, with `{id}` for the deal's ID.
    pub crm_url: Option<Text>,
    /// The history database, relative to the rule file that names it.
    pub history: Option<Text>,
    /// The folder of the rule file that set `history`.
    #[serde(skip)]
    pub history_base: Option<std::path::PathBuf>,
    /// The largest fall in deals from one recorded run to the next, in
    /// percent, not taken for an export cut short.
    pub history_drop_threshold: Option<Spanned<i64>>,
    /// What people type into a mandatory field to leave it empty (`-`,
    /// `нет`): such a text field counts as empty.
    pub blank_words: Option<Vec<Text>>,
    /// The reports' language: `ru` or `en`.
    pub language: Option<Text>,
    /// CSV reports for Excel in a Russian locale, as `--csv-excel`.
    pub csv_excel: Option<bool>,
    /// Where `crm-audit notify` sends the morning digest.
    pub notify: Option<RawNotify>,
    /// What `crm-audit pull` fetches by default.
    pub sources: Option<super::sources::RawSources>,
    pub calendar: Option<RawCalendar>,
    pub stages: Option<RawStages>,
    pub columns: Option<RawColumns>,
    /// The words of closed sets of values (`[values.call-direction]`, …).
    pub values: Option<RawValues>,
    /// The regulation's clauses, by number: their text, or why no rule checks them.
    pub clauses: Option<BTreeMap<String, RawClause>>,
    pub rules: Option<BTreeMap<Text, RawRule>>,
    pub waivers: Option<Vec<RawWaiver>>,
    /// The managers roster.
    pub managers: Option<Vec<RawManager>>,
    /// Pipelines of their own: deals whose `Воронка` names one are judged by
    /// its stages; the rest by [stages].
    pub pipelines: Option<Vec<RawPipeline>>,
    /// The statuses of leads (Bitrix24's lead export), listed as [stages]
    /// lists a funnel's stages.
    pub leads: Option<RawLeads>,
}

/// Lead statuses: in work (`inbox`, `other`, `funnel`), converted (`won`)
/// or junk (`lost`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLeads {
    pub inbox: Option<Vec<Text>>,
    pub other: Option<Vec<Text>>,
    pub funnel: Option<Vec<Text>>,
    pub won: Option<Vec<Text>>,
    pub lost: Option<Vec<Text>>,
}

/// `[notify.telegram]` and `[notify.email]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawNotify {
    pub telegram: Option<RawTelegram>,
    pub email: Option<RawEmail>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawTelegram {
    /// The chat's numeric id (`-1001234567890`) or a channel's `@name`.
    pub chat: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawEmail {
    pub server: Option<Text>,
    pub port: Option<Spanned<u16>>,
    pub sender: Option<Text>,
    pub recipients: Option<Vec<Text>>,
    /// The login, when the server wants one (the password is no key here).
    pub user: Option<Text>,
    /// `starttls` (the default) or `none` (to 127.0.0.1 only).
    pub tls: Option<Text>,
}

/// A pipeline with stages of its own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPipeline {
    /// The pipeline's name as the deal export's `Воронка` writes it.
    pub name: Text,
    pub inbox: Option<Vec<Text>>,
    pub other: Option<Vec<Text>>,
    pub funnel: Option<Vec<Text>>,
    pub won: Option<Vec<Text>>,
    pub lost: Option<Vec<Text>>,
    pub required: Option<Vec<RawRequirement>>,
}

/// One person of the roster.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawManager {
    /// The name reports use.
    pub name: Text,
    /// Other names the files use for the same person.
    #[serde(default)]
    pub aliases: Vec<Text>,
    pub team: Option<String>,
    /// Outgoing contacts a working day, instead of the rule's quota.
    pub quota: Option<Spanned<u32>>,
    /// Days off (`YYYY-MM-DD`): no quota on those days.
    #[serde(default)]
    pub absent: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCalendar {
    pub weekends: Option<Vec<Text>>,
    /// Holidays of any year; for a year they name a day of, they replace
    /// that year's `years` list (the older way of writing a calendar).
    pub holidays: Option<Vec<Text>>,
    pub working_days: Option<Vec<Text>>,
    /// Each year's government decree, by year (`[calendar.years.2026]`).
    pub years: Option<BTreeMap<Text, RawCalendarYear>>,
    /// `labour-code` (the default) or `not-checked`: what the daily rules
    /// do with a day of a year the rule set has no decree for.
    pub beyond_calendar: Option<Text>,
}

/// One year's production calendar, as its decree sets it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCalendarYear {
    /// The decree, as a citation (`Постановление Правительства РФ от …`):
    /// for the people who keep the rule set, not read by the audit.
    #[allow(dead_code)]
    pub decree: Option<String>,
    /// The year's non-working weekdays: holidays and the days moved to.
    pub holidays: Option<Vec<Text>>,
    /// The year's weekend days made working days.
    pub working_days: Option<Vec<Text>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawStages {
    pub inbox: Option<Vec<Text>>,
    pub other: Option<Vec<Text>>,
    pub funnel: Option<Vec<Text>>,
    pub won: Option<Vec<Text>>,
    pub lost: Option<Vec<Text>>,
    pub required: Option<Vec<RawRequirement>>,
    /// Stage names the company's CRM spells differently: built-in name → its own.
    pub rename: Option<BTreeMap<Text, Text>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRequirement {
    pub from: Text,
    pub fields: Vec<Text>,
}

/// Header names per logical field; keys are checked against the closed set
/// of fields of each kind in `compile`, so a typo is located and explained.
pub type RawLayout = BTreeMap<Text, Vec<Text>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawColumns {
    pub deals: Option<RawLayout>,
    pub leads: Option<RawLayout>,
    pub tasks: Option<RawLayout>,
    pub calls: Option<RawLayout>,
    pub contacts: Option<RawLayout>,
    pub call_reviews: Option<RawLayout>,
}

/// Each table: a class's key → the words that mean it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawValues {
    pub call_direction: Option<RawLayout>,
    pub call_status: Option<RawLayout>,
    pub task_state: Option<RawLayout>,
    pub task_type: Option<RawLayout>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawClause {
    /// The clause as written (Russian).
    pub ru: Option<String>,
    /// The English rendering.
    pub en: Option<String>,
    /// Why exported data cannot check it, when no rule does.
    pub not_checkable: Option<String>,
}

/// One rule: the keys every rule has, then its check kind's own keys,
/// kept as written for the kind to read (`checks::compile`). A key that is
/// neither is refused here, with the line and column toml reports.
#[derive(Debug, Default)]
pub struct RawRule {
    pub enabled: Option<bool>,
    /// The check kind; defaults to the rule's name for the built-in checks.
    pub check: Option<Text>,
    pub code: Option<Text>,
    pub clause: Option<Text>,
    pub severity: Option<Text>,
    pub summary: Option<String>,
    pub message: Option<Text>,
    pub explanation: Option<String>,
    /// How to fix a violation.
    pub fix: Option<String>,
    /// The Russian `summary`, `message` and `fix`, for reports in Russian;
    /// without them a Russian report shows the texts above.
    pub summary_ru: Option<String>,
    pub message_ru: Option<Text>,
    pub fix_ru: Option<String>,
    /// The kind's parameters by key, in the shape each key has
    /// (`checks::Param`); `leads` among them.
    pub params: BTreeMap<String, RawParam>,
}

/// The keys every rule has, in the order an unknown key's error lists them.
const COMMON_KEYS: [&str; 12] = [
    "enabled",
    "check",
    "code",
    "clause",
    "severity",
    "summary",
    "message",
    "explanation",
    "fix",
    "summary-ru",
    "message-ru",
    "fix-ru",
];

/// A parameter of a check kind as written.
#[derive(Debug, Clone)]
pub enum RawParam {
    Text(Text),
    List(Vec<Text>),
    Count(Spanned<u32>),
    Number(Spanned<f64>),
    Flag(Spanned<bool>),
    Condition(Box<Spanned<RawCondition>>),
    /// A number per name (`per-manager`).
    Counts(BTreeMap<String, Spanned<u32>>),
}

impl RawParam {
    /// Where it is written: its value, a list's first item, a table's first
    /// value (`None` for an empty list or table).
    pub fn span(&self) -> Option<std::ops::Range<usize>> {
        match self {
            RawParam::Text(t) => Some(t.span()),
            RawParam::List(l) => l.first().map(|t| t.span()),
            RawParam::Count(n) => Some(n.span()),
            RawParam::Number(n) => Some(n.span()),
            RawParam::Flag(f) => Some(f.span()),
            RawParam::Condition(c) => Some(c.span()),
            RawParam::Counts(m) => m.values().next().map(|v| v.span()),
        }
    }
}

/// Every key a rule may have: the common ones, then each kind's, once.
fn all_rule_keys() -> &'static [&'static str] {
    static KEYS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<&'static str> = COMMON_KEYS.to_vec();
        for param in crate::checks::KINDS.iter().flat_map(|k| k.params) {
            if !keys.contains(&param.key) {
                keys.push(param.key);
            }
        }
        keys
    })
}

/// A rule's key, refused (at the key's own place) when no rule has it.
struct RuleKey;

impl<'de> serde::de::DeserializeSeed<'de> for RuleKey {
    type Value = &'static str;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct Known;
        impl serde::de::Visitor<'_> for Known {
            type Value = &'static str;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a rule's key")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<&'static str, E> {
                let keys = all_rule_keys();
                keys.iter()
                    .find(|k| **k == v)
                    .copied()
                    .ok_or_else(|| E::unknown_field(v, keys))
            }
        }
        d.deserialize_identifier(Known)
    }
}

impl<'de> Deserialize<'de> for RawRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Rule;
        impl<'de> serde::de::Visitor<'de> for Rule {
            type Value = RawRule;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("struct RawRule")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawRule, A::Error> {
                use crate::checks::Shape;
                let mut r = RawRule::default();
                while let Some(key) = map.next_key_seed(RuleKey)? {
                    match key {
                        "enabled" => r.enabled = Some(map.next_value()?),
                        "check" => r.check = Some(map.next_value()?),
                        "code" => r.code = Some(map.next_value()?),
                        "clause" => r.clause = Some(map.next_value()?),
                        "severity" => r.severity = Some(map.next_value()?),
                        "summary" => r.summary = Some(map.next_value()?),
                        "message" => r.message = Some(map.next_value()?),
                        "explanation" => r.explanation = Some(map.next_value()?),
                        "fix" => r.fix = Some(map.next_value()?),
                        "summary-ru" => r.summary_ru = Some(map.next_value()?),
                        "message-ru" => r.message_ru = Some(map.next_value()?),
                        "fix-ru" => r.fix_ru = Some(map.next_value()?),
                        param => {
                            let Some(shape) = crate::checks::shape_of(param) else {
                                return Err(serde::de::Error::unknown_field(
                                    param,
                                    all_rule_keys(),
                                ));
                            };
                            let value = match shape {
                                Shape::Text => RawParam::Text(map.next_value()?),
                                Shape::List => RawParam::List(map.next_value()?),
                                Shape::Count => RawParam::Count(map.next_value()?),
                                Shape::Number => RawParam::Number(map.next_value()?),
                                Shape::Flag => RawParam::Flag(map.next_value()?),
                                Shape::Condition => RawParam::Condition(map.next_value()?),
                                Shape::Counts => RawParam::Counts(map.next_value()?),
                            };
                            r.params.insert(param.to_string(), value);
                        }
                    }
                }
                Ok(r)
            }
        }
        d.deserialize_map(Rule)
    }
}

/// A condition over a record; several keys in one table must all hold.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCondition {
    pub in_work: Option<bool>,
    pub won: Option<bool>,
    pub lost: Option<bool>,
    pub open: Option<bool>,
    pub completed: Option<bool>,
    pub stage_at_or_after: Option<Text>,
    pub stage_before: Option<Text>,
    pub stage_in: Option<Vec<Text>>,
    pub pipeline: Option<Text>,
    pub empty: Option<Text>,
    pub not_empty: Option<Text>,
    pub equals: Option<RawFieldValue>,
    pub matches: Option<RawFieldValue>,
    pub all: Option<Vec<Spanned<RawCondition>>>,
    pub any: Option<Vec<Spanned<RawCondition>>>,
    pub not: Option<Box<Spanned<RawCondition>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFieldValue {
    pub field: Text,
    pub value: Text,
}

/// An entity exempted from a rule, with a reason, until a date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawWaiver {
    pub rule: Text,
    /// `deal:ID`, `task:ID` or `manager-day:NAME/YYYY-MM-DD`.
    pub entity: Text,
    pub reason: Text,
    /// The last day the waiver holds (`YYYY-MM-DD`).
    pub until: Text,
}

//! The `[rules.*]` tables → `Rule`s. Each rule names a check kind (its own
//! name, for the built-in checks) and gives that kind's parameters; a
//! parameter the kind does not take, a missing one, a field, stage or
//! pattern that cannot be, are errors located in the rule file.

use super::columns::{EntityKind, ReviewField};
use super::compile::{nearest, Renames, Result};
use super::compile_condition::condition;
use super::condition::Condition;
use super::fields::{FieldCatalog, ValueKind};
use super::location::SourceMap;
use super::raw::{RawCondition, RawRule, RawRuleSet, Text};
use super::stages::Stages;
use super::template::Template;
use super::{
    Bound, Check, Counted, DailyCount, PhoneCountry, RatioParams, Record, Rule, Severity, Window,
};
use crate::value::{normalize_header, normalize_name, TaskType};
use std::collections::HashMap;
use std::ops::Range;
use toml::Spanned;

pub(super) struct Context<'a> {
    pub stages: &'a Stages,
    pub pipelines: &'a [super::Pipeline],
    pub renames: &'a Renames,
}

/// The check kinds a rule may name, with the parameters each takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OverdueTask,
    DealWithoutTask,
    MissingPhone,
    InvalidPhone,
    StageMissingData,
    RefusalWithoutReason,
    UnknownStage,
    UnreadableValue,
    NoFollowUp,
    CallScriptStages,
    CallConduct,
    Required,
    InSet,
    Pattern,
    Ratio,
    NotBeforeAsOf,
    DailyCount,
}

const KINDS: [(Kind, &str, &[&str]); 17] = [
    (Kind::OverdueTask, "overdue-task", &[]),
    (Kind::DealWithoutTask, "deal-without-task", &["leads"]),
    (Kind::MissingPhone, "missing-phone", &["leads"]),
    (Kind::InvalidPhone, "invalid-phone", &["country", "leads"]),
    (Kind::StageMissingData, "stage-missing-data", &[]),
    (Kind::RefusalWithoutReason, "refusal-without-reason", &[]),
    (Kind::UnknownStage, "unknown-stage", &["leads"]),
    (Kind::UnreadableValue, "unreadable-value", &[]),
    (Kind::NoFollowUp, "no-follow-up", &["failure-patterns"]),
    (
        Kind::CallScriptStages,
        "call-script-stages",
        &["base", "inbound"],
    ),
    (Kind::CallConduct, "call-conduct", &["marks"]),
    (
        Kind::Required,
        "required",
        &["entity", "fields", "when", "leads"],
    ),
    (
        Kind::InSet,
        "in-set",
        &["entity", "field", "values", "when"],
    ),
    (
        Kind::Pattern,
        "pattern",
        &["entity", "field", "pattern", "when"],
    ),
    (
        Kind::Ratio,
        "ratio",
        &[
            "numerator",
            "denominator",
            "min",
            "max",
            "when",
            "denominator-required-when",
        ],
    ),
    (
        Kind::NotBeforeAsOf,
        "not-before-as-of",
        &["entity", "field", "when"],
    ),
    (
        Kind::DailyCount,
        "daily-count",
        &[
            "count",
            "at-least",
            "at-most",
            "days",
            "days-ahead",
            "per-manager",
            "answered-only",
            "min-duration-seconds",
            "letter-task-types",
        ],
    ),
];

/// The check kinds, for messages and `crm-audit rules`.
pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|(_, n, _)| *n).collect()
}

/// The parameters a rule sets, with where each is written.
fn set_params(r: &RawRule) -> Vec<(&'static str, Option<Range<usize>>)> {
    fn span<T>(v: &Option<Spanned<T>>) -> Option<Option<Range<usize>>> {
        v.as_ref().map(|s| Some(s.span()))
    }
    fn list(v: &Option<Vec<Text>>) -> Option<Option<Range<usize>>> {
        v.as_ref().map(|l| l.first().map(|t| t.span()))
    }
    let params = [
        ("entity", span(&r.entity)),
        ("when", span(&r.when)),
        ("fields", list(&r.fields)),
        ("field", span(&r.field)),
        ("values", list(&r.values)),
        ("pattern", span(&r.pattern)),
        ("numerator", span(&r.numerator)),
        ("denominator", span(&r.denominator)),
        ("min", span(&r.min)),
        ("max", span(&r.max)),
        (
            "denominator-required-when",
            span(&r.denominator_required_when),
        ),
        ("count", span(&r.count)),
        ("at-least", span(&r.at_least)),
        ("at-most", span(&r.at_most)),
        ("days", span(&r.days)),
        ("days-ahead", span(&r.days_ahead)),
        (
            "per-manager",
            r.per_manager
                .as_ref()
                .map(|m| m.values().next().map(|v| v.span())),
        ),
        ("answered-only", span(&r.answered_only)),
        ("min-duration-seconds", span(&r.min_duration_seconds)),
        ("letter-task-types", list(&r.letter_task_types)),
        ("failure-patterns", list(&r.failure_patterns)),
        ("country", span(&r.country)),
        ("base", list(&r.base)),
        ("inbound", list(&r.inbound)),
        ("marks", list(&r.marks)),
        ("leads", span(&r.leads)),
    ];
    params
        .into_iter()
        .filter_map(|(n, s)| s.map(|s| (n, s)))
        .collect()
}

pub(super) fn rules(
    src: &SourceMap,
    raw: &RawRuleSet,
    ctx: &Context,
    deal_fields: &mut FieldCatalog,
    task_fields: &mut FieldCatalog,
) -> Result<(Vec<Rule>, Vec<String>)> {
    let mut rules = Vec::new();
    let mut disabled = Vec::new();
    for (name, r) in raw.rules.iter().flatten() {
        let rule_name = name.get_ref().trim();
        if rule_name.is_empty()
            || !rule_name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(src.error(
                Some(name.span()),
                format!("rule name `{rule_name}`: use lowercase letters, digits and dashes"),
            ));
        }
        let kind = kind_of(src, name, r)?;
        let allowed = KINDS
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map_or(&[][..], |(_, _, p)| *p);
        for (param, span) in set_params(r) {
            if !allowed.contains(&param) {
                let takes = if allowed.is_empty() {
                    "it takes no parameters".to_string()
                } else {
                    format!(
                        "it takes {}",
                        allowed
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                return Err(src.error(
                    span.or(Some(name.span())),
                    format!(
                        "`{param}` is not a parameter of rule {rule_name} (check `{}`); {takes}",
                        kind_name(kind)
                    ),
                ));
            }
        }
        let check = check(src, name, r, kind, ctx, deal_fields, task_fields)?;
        let mut rule = common(src, name, r, check)?;
        rule.leads = leads(src, name, r, &rule.check)?;
        if r.enabled.unwrap_or(true) {
            rules.push(rule);
        } else {
            disabled.push(rule.name.to_string());
        }
    }
    rules.sort_by(|a, b| a.code.cmp(&b.code).then_with(|| a.name.cmp(b.name)));
    let mut codes: HashMap<&str, &str> = HashMap::new();
    for rule in &rules {
        if let Some(other) = codes.insert(rule.code.as_str(), rule.name) {
            let span = raw
                .rules
                .iter()
                .flatten()
                .find(|(n, _)| n.get_ref().trim() == rule.name)
                .and_then(|(_, r)| r.code.as_ref().map(|c| c.span()));
            return Err(src.error(
                span,
                format!(
                    "code `{}` of rule {} is already used by rule {other}",
                    rule.code, rule.name
                ),
            ));
        }
    }
    Ok((rules, disabled))
}

fn kind_name(kind: Kind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or("", |(_, n, _)| n)
}

fn kind_of(src: &SourceMap, name: &Text, r: &RawRule) -> Result<Kind> {
    let (text, span) = match &r.check {
        Some(c) => (c.get_ref().trim(), c.span()),
        None => (name.get_ref().trim(), name.span()),
    };
    KINDS.iter().find(|(_, n, _)| *n == text).map(|(k, _, _)| *k).ok_or_else(|| {
        let names = kind_names();
        let hint = nearest(text, names.iter().copied());
        let message = if r.check.is_some() {
            format!("unknown check `{text}`{hint}")
        } else {
            format!("unknown rule `{text}`{hint}; a rule of your own names its check with `check = \"...\"`")
        };
        src.error(Some(span), message)
    })
}

fn common(src: &SourceMap, name: &Text, r: &RawRule, check: Check) -> Result<Rule> {
    let rule_name = name.get_ref().trim();
    let missing =
        |key: &str| src.error(Some(name.span()), format!("rule {rule_name} needs `{key}`"));
    let severity_text = r.severity.as_ref().ok_or_else(|| missing("severity"))?;
    let severity = Severity::parse(severity_text.get_ref().trim()).ok_or_else(|| {
        src.error(
            Some(severity_text.span()),
            format!(
                "severity `{}` of rule {rule_name}: use error, warning or info",
                severity_text.get_ref()
            ),
        )
    })?;
    let code = r.code.as_ref().ok_or_else(|| missing("code"))?;
    if code.get_ref().trim().is_empty() {
        return Err(src.error(Some(code.span()), format!("rule {rule_name} needs a code")));
    }
    let message_text = r.message.as_ref().ok_or_else(|| missing("message"))?;
    let message = Template::parse(message_text.get_ref(), check.placeholders()).map_err(|e| {
        src.error(
            Some(message_text.span()),
            format!("message of rule {rule_name}: {e}"),
        )
    })?;
    let message_ru = r
        .message_ru
        .as_ref()
        .map(|text| {
            Template::parse(text.get_ref(), check.placeholders()).map_err(|e| {
                src.error(
                    Some(text.span()),
                    format!("message-ru of rule {rule_name}: {e}"),
                )
            })
        })
        .transpose()?;
    let text = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let clause = r.clause.as_ref().ok_or_else(|| missing("clause"))?;
    Ok(Rule {
        // A rule set is compiled once per run and lives as long as the
        // process; a leaked name lets reports hold it as `&'static str`.
        name: Box::leak(rule_name.to_string().into_boxed_str()),
        code: code.get_ref().trim().to_string(),
        clause: clause.get_ref().trim().to_string(),
        severity,
        summary: r.summary.clone().unwrap_or_default().trim().to_string(),
        message,
        explanation: r.explanation.clone().unwrap_or_default().trim().to_string(),
        fix: r.fix.clone().unwrap_or_default().trim().to_string(),
        summary_ru: text(&r.summary_ru),
        message_ru,
        fix_ru: text(&r.fix_ru),
        check,
        leads: false,
    })
}

/// Whether the rule judges leads too; only a rule over deals can.
fn leads(src: &SourceMap, name: &Text, r: &RawRule, check: &Check) -> Result<bool> {
    let Some(leads) = &r.leads else {
        return Ok(false);
    };
    if *leads.get_ref()
        && matches!(
            check,
            Check::Required {
                record: Record::Task,
                ..
            }
        )
    {
        return Err(src.error(
            Some(leads.span()),
            format!(
                "rule {} checks tasks: `leads = true` needs `entity = \"deal\"`",
                name.get_ref().trim()
            ),
        ));
    }
    Ok(*leads.get_ref())
}

fn required_param<'a, T>(
    src: &SourceMap,
    name: &Text,
    value: &'a Option<T>,
    key: &str,
) -> Result<&'a T> {
    value.as_ref().ok_or_else(|| {
        src.error(
            Some(name.span()),
            format!("rule {} needs `{key}`", name.get_ref().trim()),
        )
    })
}

fn record_of(src: &SourceMap, r: &RawRule) -> Result<Record> {
    match &r.entity {
        None => Ok(Record::Deal),
        Some(e) => match e.get_ref().trim() {
            "deal" => Ok(Record::Deal),
            "task" => Ok(Record::Task),
            other => Err(src.error(
                Some(e.span()),
                format!("entity `{other}`: use deal or task"),
            )),
        },
    }
}

pub(super) fn catalog<'c>(
    record: Record,
    deal: &'c mut FieldCatalog,
    task: &'c mut FieldCatalog,
) -> (&'c mut FieldCatalog, EntityKind) {
    match record {
        Record::Deal => (deal, EntityKind::Deals),
        Record::Task => (task, EntityKind::Tasks),
    }
}

#[allow(clippy::too_many_arguments)]
fn check(
    src: &SourceMap,
    name: &Text,
    r: &RawRule,
    kind: Kind,
    ctx: &Context,
    deal_fields: &mut FieldCatalog,
    task_fields: &mut FieldCatalog,
) -> Result<Check> {
    let field_of = |catalog: &mut FieldCatalog, kind: EntityKind, t: &Text, value: bool| {
        catalog
            .intern(kind, t.get_ref(), value)
            .map_err(|e| src.error(Some(t.span()), e))
    };
    let when = |r: &Option<Spanned<RawCondition>>,
                record: Record,
                deal: &mut FieldCatalog,
                task: &mut FieldCatalog| {
        r.as_ref().map_or(Ok(Condition::Always), |c| {
            condition(src, c, record, ctx, deal, task)
        })
    };
    Ok(match kind {
        Kind::OverdueTask => Check::OverdueTask,
        Kind::DealWithoutTask => Check::DealWithoutTask,
        Kind::MissingPhone => Check::MissingPhone,
        Kind::StageMissingData => Check::StageMissingData,
        Kind::RefusalWithoutReason => Check::RefusalWithoutReason,
        Kind::UnknownStage => Check::UnknownStage,
        Kind::UnreadableValue => Check::UnreadableValue,
        Kind::InvalidPhone => Check::InvalidPhone {
            country: match r
                .country
                .as_ref()
                .map(|c| (c.get_ref().trim().to_ascii_lowercase(), c.span()))
            {
                None => PhoneCountry::Ru,
                Some((c, _)) if c == "ru" => PhoneCountry::Ru,
                Some((c, _)) if c == "any" => PhoneCountry::Any,
                Some((c, span)) => {
                    return Err(
                        src.error(Some(span), format!("country `{c}`: use \"ru\" or \"any\""))
                    );
                }
            },
        },
        Kind::NoFollowUp => {
            let patterns = required_param(src, name, &r.failure_patterns, "failure-patterns")?;
            Check::NoFollowUp {
                patterns: patterns
                    .iter()
                    .map(|p| p.get_ref().trim().to_lowercase())
                    .filter(|p| !p.is_empty())
                    .collect(),
            }
        }
        Kind::CallScriptStages => Check::CallScript {
            base: review_fields(src, required_param(src, name, &r.base, "base")?)?,
            inbound: review_fields(src, required_param(src, name, &r.inbound, "inbound")?)?,
        },
        Kind::CallConduct => Check::CallConduct {
            marks: review_fields(src, required_param(src, name, &r.marks, "marks")?)?,
        },
        Kind::Required => {
            let record = record_of(src, r)?;
            let when = when(&r.when, record, deal_fields, task_fields)?;
            let (catalog, kind) = catalog(record, deal_fields, task_fields);
            let fields = required_param(src, name, &r.fields, "fields")?
                .iter()
                .map(|f| field_of(catalog, kind, f, false))
                .collect::<Result<Vec<_>>>()?;
            Check::Required {
                record,
                fields,
                when,
            }
        }
        Kind::InSet | Kind::Pattern | Kind::NotBeforeAsOf => {
            let record = record_of(src, r)?;
            let when = when(&r.when, record, deal_fields, task_fields)?;
            let (catalog, entity) = catalog(record, deal_fields, task_fields);
            let field_text = required_param(src, name, &r.field, "field")?;
            let field = field_of(catalog, entity, field_text, true)?;
            let slot = catalog.fields[field]
                .value_slot
                .expect("interned with a value");
            match kind {
                Kind::InSet => Check::InSet {
                    record,
                    field,
                    slot,
                    values: required_param(src, name, &r.values, "values")?
                        .iter()
                        .map(|v| normalize_header(v.get_ref()))
                        .collect(),
                    when,
                },
                Kind::Pattern => {
                    let p = required_param(src, name, &r.pattern, "pattern")?;
                    Check::Pattern {
                        record,
                        field,
                        slot,
                        pattern: regex(src, p)?,
                        when,
                    }
                }
                _ => {
                    catalog
                        .require(field, ValueKind::Moment)
                        .map_err(|e| src.error(Some(field_text.span()), e))?;
                    Check::NotBeforeAsOf {
                        record,
                        field,
                        slot,
                        when,
                    }
                }
            }
        }
        Kind::Ratio => {
            let when_c = when(&r.when, Record::Deal, deal_fields, task_fields)?;
            let required_when = r
                .denominator_required_when
                .as_ref()
                .map(|c| condition(src, c, Record::Deal, ctx, deal_fields, task_fields))
                .transpose()?;
            let mut amount = |key: &str, text: &Option<Text>| -> Result<usize> {
                let t = required_param(src, name, text, key)?;
                let field = field_of(deal_fields, EntityKind::Deals, t, true)?;
                deal_fields
                    .require(field, ValueKind::Amount)
                    .map_err(|e| src.error(Some(t.span()), e))?;
                Ok(field)
            };
            let numerator = amount("numerator", &r.numerator)?;
            let denominator = amount("denominator", &r.denominator)?;
            let (min, max) = (
                r.min.as_ref().map(|m| *m.get_ref()),
                r.max.as_ref().map(|m| *m.get_ref()),
            );
            // A share is written 0.5 for 50%; a ratio may exceed 1 only as a maximum.
            for (bound, limit) in [(&r.min, 1.0), (&r.max, 10.0)] {
                if let Some(b) = bound {
                    if !(0.0..=limit).contains(b.get_ref()) {
                        return Err(src.error(
                            Some(b.span()),
                            format!("{} is not a share: write 0.5 for 50%", b.get_ref()),
                        ));
                    }
                }
            }
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    return Err(src.error(
                        r.min.as_ref().map(|m| m.span()),
                        format!("min {lo} is above max {hi}"),
                    ));
                }
            }
            if min.is_none() && max.is_none() {
                return Err(src.error(
                    Some(name.span()),
                    format!("rule {} needs `min` or `max`", name.get_ref()),
                ));
            }
            Check::Ratio(RatioParams {
                numerator,
                numerator_slot: deal_fields.fields[numerator].value_slot.expect("value"),
                denominator,
                denominator_slot: deal_fields.fields[denominator].value_slot.expect("value"),
                min,
                max,
                when: when_c,
                denominator_required_when: required_when,
            })
        }
        Kind::DailyCount => Check::DailyCount(daily_count(src, name, r)?),
    })
}

pub(super) fn regex(src: &SourceMap, p: &Text) -> Result<regex::Regex> {
    regex::RegexBuilder::new(p.get_ref())
        .case_insensitive(true)
        .build()
        .map_err(|e| {
            src.error(
                Some(p.span()),
                format!(
                    "pattern `{}` is not a valid regular expression: {e}",
                    p.get_ref()
                ),
            )
        })
}

fn review_fields(src: &SourceMap, list: &[Text]) -> Result<Vec<ReviewField>> {
    let marks: Vec<ReviewField> = ReviewField::ALL
        .iter()
        .copied()
        .filter(|f| {
            !matches!(
                f,
                ReviewField::Id | ReviewField::Time | ReviewField::Manager | ReviewField::CallType
            )
        })
        .collect();
    list.iter()
        .map(|t| {
            marks
                .iter()
                .copied()
                .find(|f| f.key() == t.get_ref().trim())
                .ok_or_else(|| {
                    let names: Vec<&str> = marks.iter().map(|f| f.key()).collect();
                    src.error(
                        Some(t.span()),
                        format!(
                            "`{}` is not a column of the call-review sheet{}",
                            t.get_ref(),
                            nearest(t.get_ref(), names.iter().copied())
                        ),
                    )
                })
        })
        .collect()
}

fn daily_count(src: &SourceMap, name: &Text, r: &RawRule) -> Result<DailyCount> {
    let count = required_param(src, name, &r.count, "count")?;
    let counted = match count.get_ref().trim() {
        "outgoing-contacts" => Counted::OutgoingContacts {
            answered_only: r.answered_only.as_ref().is_some_and(|a| *a.get_ref()),
            min_duration_seconds: r.min_duration_seconds.as_ref().map_or(0, |m| *m.get_ref()),
            letter_task_types: r
                .letter_task_types
                .iter()
                .flatten()
                .map(|t| match t.get_ref().trim() {
                    "email" => Ok(TaskType::Email),
                    "call" => Ok(TaskType::Call),
                    "meeting" => Ok(TaskType::Meeting),
                    "other" => Ok(TaskType::Other),
                    other => Err(src.error(
                        Some(t.span()),
                        format!("task type `{other}` in letter-task-types: use email, call, meeting or other"),
                    )),
                })
                .collect::<Result<Vec<_>>>()?,
        },
        "open-tasks-due" => {
            for (param, set) in [
                ("answered-only", r.answered_only.is_some()),
                ("min-duration-seconds", r.min_duration_seconds.is_some()),
                ("letter-task-types", r.letter_task_types.is_some()),
            ] {
                if set {
                    return Err(src.error(
                        Some(count.span()),
                        format!("`{param}` applies to count = \"outgoing-contacts\", not \"open-tasks-due\""),
                    ));
                }
            }
            Counted::OpenTasksDue
        }
        other => {
            return Err(src.error(
                Some(count.span()),
                format!("count `{other}`: use \"outgoing-contacts\" or \"open-tasks-due\""),
            ))
        }
    };
    if matches!(counted, Counted::OutgoingContacts { .. }) && r.days_ahead.is_some() {
        return Err(src.error(
            r.days_ahead.as_ref().map(|d| d.span()),
            "outgoing contacts are counted for days past (`days`), not `days-ahead`",
        ));
    }
    let bound = match (&r.at_least, &r.at_most) {
        (Some(n), None) => Bound::AtLeast(*n.get_ref()),
        (None, Some(n)) => Bound::AtMost(*n.get_ref()),
        _ => {
            return Err(src.error(
                Some(name.span()),
                format!(
                    "rule {} needs exactly one of `at-least` and `at-most`",
                    name.get_ref()
                ),
            ))
        }
    };
    let window = match (&r.days, &r.days_ahead) {
        (Some(d), None) => Window::Back(checked_days(src, d)?),
        (None, Some(d)) => Window::Ahead(checked_days(src, d)?),
        _ => {
            return Err(src.error(
                Some(name.span()),
                format!(
                    "rule {} needs exactly one of `days` (before the audit date) and `days-ahead`",
                    name.get_ref()
                ),
            ))
        }
    };
    Ok(DailyCount {
        counted,
        bound,
        window,
        per_manager: r
            .per_manager
            .iter()
            .flatten()
            .map(|(name, n)| (normalize_name(name), *n.get_ref()))
            .collect(),
    })
}

fn checked_days(src: &SourceMap, days: &Spanned<u32>) -> Result<u32> {
    let n = *days.get_ref();
    if (1..=31).contains(&n) {
        Ok(n)
    } else {
        Err(src.error(
            Some(days.span()),
            format!("{n} days: judge from 1 to 31 working days"),
        ))
    }
}

//! The `[rules.*]` tables → `Rule`s. Each rule names a check kind (its own
//! name, for the built-in checks) and gives that kind's parameters; a
//! parameter the kind does not take, a missing one, a field, stage or
//! pattern that cannot be, are errors located in the rule file.

use super::columns::EntityKind;
use super::compile::{nearest, Renames, Result};
use super::fields::FieldCatalog;
use super::location::SourceMap;
use super::raw::{RawParam, RawRule, RawRuleSet, Text};
use super::stages::Stages;
use super::template::Template;
use super::{Check, Record, Rule, Severity};
use crate::checks::compile::Compile;
use crate::checks::{KindInfo, KINDS};
use std::collections::HashMap;

pub(crate) struct Context<'a> {
    pub stages: &'a Stages,
    pub pipelines: &'a [super::Pipeline],
    pub renames: &'a Renames,
}

/// The check kinds, for messages and `crm-audit rules`.
pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
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
        refuse_foreign_params(src, name, r, kind)?;
        // A rule switched off is checked as any other, but leaves no field
        // for the readers to keep (and to find unreadable).
        let enabled = r.enabled.unwrap_or(true);
        let (mut deal_scratch, mut task_scratch);
        let (deals, tasks) = if enabled {
            (&mut *deal_fields, &mut *task_fields)
        } else {
            (deal_scratch, task_scratch) = (deal_fields.clone(), task_fields.clone());
            (&mut deal_scratch, &mut task_scratch)
        };
        let check = (kind.compile)(&mut Compile {
            src,
            name,
            raw: r,
            ctx,
            deal_fields: deals,
            task_fields: tasks,
        })?;
        let mut rule = common(src, name, r, check)?;
        rule.leads = matches!(r.params.get("leads"), Some(RawParam::Flag(l)) if *l.get_ref());
        if enabled {
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

/// A parameter the rule's kind does not take, the first written, is an
/// error that lists what it takes.
fn refuse_foreign_params(src: &SourceMap, name: &Text, r: &RawRule, kind: &KindInfo) -> Result<()> {
    let allowed: Vec<&str> = kind.params.iter().map(|p| p.key).collect();
    let foreign = r
        .params
        .iter()
        .filter(|(key, _)| !allowed.contains(&key.as_str()))
        .min_by_key(|(_, value)| value.span().map_or(usize::MAX, |s| s.start));
    let Some((param, value)) = foreign else {
        return Ok(());
    };
    let takes = if allowed.is_empty() {
        "it takes no parameters".to_string()
    } else {
        let keys: Vec<String> = allowed.iter().map(|p| format!("`{p}`")).collect();
        format!("it takes {}", keys.join(", "))
    };
    Err(src.error(
        value.span().or(Some(name.span())),
        format!(
            "`{param}` is not a parameter of rule {} (check `{}`); {takes}",
            name.get_ref().trim(),
            kind.name
        ),
    ))
}

fn kind_of(src: &SourceMap, name: &Text, r: &RawRule) -> Result<&'static KindInfo> {
    let (text, span) = match &r.check {
        Some(c) => (c.get_ref().trim(), c.span()),
        None => (name.get_ref().trim(), name.span()),
    };
    KINDS.iter().find(|k| k.name == text).ok_or_else(|| {
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
    let message = Template::parse_placeholders(message_text.get_ref(), check.placeholders())
        .map_err(|e| {
            src.error(
                Some(message_text.span()),
                format!("message of rule {rule_name}: {e}"),
            )
        })?;
    let message_ru = r
        .message_ru
        .as_ref()
        .map(|text| {
            Template::parse_placeholders(text.get_ref(), check.placeholders()).map_err(|e| {
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

pub(crate) fn regex(src: &SourceMap, p: &Text) -> Result<regex::Regex> {
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

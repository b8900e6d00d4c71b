//! Raw rule file → checked `RuleSet`. Every mistake a person can make in a
//! rule file is caught here and located by file, line and column, with what
//! would have been valid.

use super::calendar::{parse_weekday, Calendar};
use super::columns::{field_specs, Columns, EntityKind, Layout, Role};
use super::location::{RuleFileError, SourceText};
use super::raw::{RawCommon, RawLayout, RawQuotaRule, RawRuleSet, Text};
use super::stages::{FieldMask, StageClass, Stages};
use super::template::Template;
use super::{Check, QuotaParams, Rule, RuleSet, Severity};
use crate::value::{normalize_header, normalize_name, TaskType};
use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use std::collections::{BTreeSet, HashMap};

type Result<T> = std::result::Result<T, RuleFileError>;

pub fn compile(text: &str, file: &str) -> Result<RuleSet> {
    let src = SourceText { file, text };
    let raw: RawRuleSet =
        toml::from_str(text).map_err(|e| src.error(e.span(), e.message().trim()))?;
    let time_zone: Tz = raw.time_zone.get_ref().parse().map_err(|_| {
        src.error(
            Some(raw.time_zone.span()),
            format!(
                "unknown time zone `{}`; use an IANA name such as \"Europe/Moscow\"",
                raw.time_zone.get_ref()
            ),
        )
    })?;
    Ok(RuleSet {
        name: raw.name.clone().unwrap_or_else(|| file.to_string()),
        source: file.to_string(),
        time_zone,
        crm_url: raw
            .crm_url
            .as_ref()
            .map(|url| {
                Template::parse(url.get_ref(), &["id"])
                    .map_err(|e| src.error(Some(url.span()), format!("crm-url: {e}")))
            })
            .transpose()?,
        calendar: calendar(&src, &raw)?,
        stages: stages(&src, &raw)?,
        columns: columns(&src, &raw)?,
        rules: rules(&src, &raw)?,
    })
}

fn calendar(src: &SourceText, raw: &RawRuleSet) -> Result<Calendar> {
    let weekends = match &raw.calendar.weekends {
        None => vec![Weekday::Sat, Weekday::Sun],
        Some(days) => days
            .iter()
            .map(|d| {
                parse_weekday(d.get_ref()).ok_or_else(|| {
                    src.error(
                        Some(d.span()),
                        format!("`{}` is not a day of the week; use mon, tue, wed, thu, fri, sat or sun", d.get_ref()),
                    )
                })
            })
            .collect::<Result<_>>()?,
    };
    let dates = |list: &[Text]| -> Result<BTreeSet<NaiveDate>> {
        list.iter()
            .map(|d| {
                NaiveDate::parse_from_str(d.get_ref().trim(), "%Y-%m-%d").map_err(|_| {
                    src.error(
                        Some(d.span()),
                        format!("`{}` is not a date; write it as 2026-11-04", d.get_ref()),
                    )
                })
            })
            .collect()
    };
    Ok(Calendar::new(
        &weekends,
        dates(&raw.calendar.holidays)?,
        dates(&raw.calendar.working_days)?,
    ))
}

fn stages(src: &SourceText, raw: &RawRuleSet) -> Result<Stages> {
    let s = &raw.stages;
    let mut seen: HashMap<String, &'static str> = HashMap::new();
    let lists: [(&'static str, &Vec<Text>); 4] = [
        ("inbox", &s.inbox),
        ("funnel", &s.funnel),
        ("won", &s.won),
        ("lost", &s.lost),
    ];
    for (list, names) in lists {
        for name in names {
            let key = normalize_header(name.get_ref());
            if key.is_empty() {
                return Err(src.error(
                    Some(name.span()),
                    format!("an empty stage name in stages.{list}"),
                ));
            }
            if let Some(other) = seen.insert(key, list) {
                return Err(src.error(
                    Some(name.span()),
                    format!(
                        "stage `{}` is listed twice (also in stages.{other})",
                        name.get_ref()
                    ),
                ));
            }
        }
    }
    if s.funnel.is_empty() {
        return Err(src.error(
            None,
            "stages.funnel is empty; list the funnel's stages in order",
        ));
    }
    let plain = |v: &Vec<Text>| {
        v.iter()
            .map(|t| t.get_ref().trim().to_string())
            .collect::<Vec<_>>()
    };
    let funnel = plain(&s.funnel);
    let mut required_fields: Vec<String> = Vec::new();
    let mut required = Vec::new();
    for req in &s.required {
        let from = req.from.get_ref();
        let position = funnel
            .iter()
            .position(|f| normalize_header(f) == normalize_header(from))
            .ok_or_else(|| {
                let nearest = nearest(from, funnel.iter().map(String::as_str));
                src.error(
                    Some(req.from.span()),
                    format!("`{from}` in stages.required is not a funnel stage{nearest}"),
                )
            })?;
        let mut indexes = Vec::new();
        for field in &req.fields {
            let name = field.get_ref().trim();
            if name.is_empty() {
                return Err(src.error(Some(field.span()), "an empty field name in stages.required"));
            }
            let index = match required_fields
                .iter()
                .position(|f| normalize_header(f) == normalize_header(name))
            {
                Some(i) => i,
                None => {
                    if required_fields.len() == FieldMask::MAX_FIELDS {
                        return Err(src.error(
                            Some(field.span()),
                            format!(
                                "at most {} distinct required fields are supported",
                                FieldMask::MAX_FIELDS
                            ),
                        ));
                    }
                    required_fields.push(name.to_string());
                    required_fields.len() - 1
                }
            };
            indexes.push(index);
        }
        required.push((position as u16, indexes));
    }
    let stages = Stages::new(
        &plain(&s.inbox),
        funnel,
        &plain(&s.won),
        &plain(&s.lost),
        required_fields,
        &required,
    );
    debug_assert!(stages.lookup(&s.funnel[0].get_ref().clone()) == Some(StageClass::Funnel(0)));
    Ok(stages)
}

fn columns(src: &SourceText, raw: &RawRuleSet) -> Result<Columns> {
    let mut columns = Columns::default();
    let layouts: [(EntityKind, &RawLayout); 4] = [
        (EntityKind::Deals, &raw.columns.deals),
        (EntityKind::Tasks, &raw.columns.tasks),
        (EntityKind::Calls, &raw.columns.calls),
        (EntityKind::Contacts, &raw.columns.contacts),
    ];
    for (kind, layout) in layouts {
        *columns.layout_mut(kind) = layout_of(src, kind, layout)?;
    }
    Ok(columns)
}

fn layout_of(src: &SourceText, kind: EntityKind, raw: &RawLayout) -> Result<Layout> {
    let specs = field_specs(kind);
    let mut headers = vec![Vec::new(); specs.len()];
    let mut owner: HashMap<String, &str> = HashMap::new();
    for (key, names) in raw.get_ref() {
        let index = specs
            .iter()
            .position(|s| s.key == key.get_ref())
            .ok_or_else(|| {
                let allowed: Vec<_> = specs.iter().map(|s| format!("`{}`", s.key)).collect();
                src.error(
                    Some(key.span()),
                    format!(
                        "unknown field `{}` in columns.{}; the fields are {}",
                        key.get_ref(),
                        kind.as_str(),
                        allowed.join(", ")
                    ),
                )
            })?;
        for name in names {
            let normal = normalize_header(name.get_ref());
            if normal.is_empty() {
                return Err(src.error(Some(name.span()), "an empty header name"));
            }
            if let Some(other) = owner.insert(normal.clone(), specs[index].key) {
                if other != specs[index].key {
                    return Err(src.error(
                        Some(name.span()),
                        format!(
                            "header `{}` is given for both `{other}` and `{}` in columns.{}",
                            name.get_ref(),
                            specs[index].key,
                            kind.as_str()
                        ),
                    ));
                }
            }
            if !headers[index].contains(&normal) {
                headers[index].push(normal);
            }
        }
    }
    for (spec, names) in specs.iter().zip(&headers) {
        if spec.role != Role::Optional && names.is_empty() {
            return Err(src.error(
                Some(raw.span()),
                format!(
                    "columns.{} needs header names for `{}`: files of this kind cannot be read without it",
                    kind.as_str(),
                    spec.key
                ),
            ));
        }
    }
    Ok(Layout { headers })
}

fn rules(src: &SourceText, raw: &RawRuleSet) -> Result<Vec<Rule>> {
    let r = &raw.rules;
    let mut out = Vec::new();
    let plain = [
        ("overdue-task", &r.overdue_task, Check::OverdueTask),
        (
            "deal-without-task",
            &r.deal_without_task,
            Check::DealWithoutTask,
        ),
        ("missing-phone", &r.missing_phone, Check::MissingPhone),
        (
            "missing-contact-name",
            &r.missing_contact_name,
            Check::MissingContactName,
        ),
        (
            "stage-missing-data",
            &r.stage_missing_data,
            Check::StageMissingData,
        ),
        (
            "refusal-without-reason",
            &r.refusal_without_reason,
            Check::RefusalWithoutReason,
        ),
    ];
    for (name, rule, check) in plain {
        if let Some(rule) = rule {
            out.extend(rule_of(src, name, rule, check)?);
        }
    }
    if let Some(rule) = &r.daily_call_quota {
        let check = Check::DailyCallQuota(quota_params(src, rule)?);
        out.extend(rule_of(src, "daily-call-quota", rule, check)?);
    }
    let mut codes: HashMap<&str, &str> = HashMap::new();
    for rule in &out {
        if let Some(other) = codes.insert(rule.code.as_str(), rule.name) {
            let span = code_span(r, rule.name);
            return Err(src.error(
                span,
                format!(
                    "code `{}` of rule {} is already used by rule {other}",
                    rule.code, rule.name
                ),
            ));
        }
    }
    Ok(out)
}

fn code_span(r: &super::raw::RawRules, name: &str) -> Option<std::ops::Range<usize>> {
    let common = match name {
        "overdue-task" => r.overdue_task.as_ref().map(|x| x.common()),
        "deal-without-task" => r.deal_without_task.as_ref().map(|x| x.common()),
        "missing-phone" => r.missing_phone.as_ref().map(|x| x.common()),
        "missing-contact-name" => r.missing_contact_name.as_ref().map(|x| x.common()),
        "stage-missing-data" => r.stage_missing_data.as_ref().map(|x| x.common()),
        "refusal-without-reason" => r.refusal_without_reason.as_ref().map(|x| x.common()),
        _ => r.daily_call_quota.as_ref().map(|x| x.common()),
    };
    common.map(|c| c.code.span())
}

fn rule_of(
    src: &SourceText,
    name: &'static str,
    raw: &impl RawCommon,
    check: Check,
) -> Result<Option<Rule>> {
    let c = raw.common();
    let severity = Severity::parse(c.severity.get_ref().trim()).ok_or_else(|| {
        src.error(
            Some(c.severity.span()),
            format!(
                "severity `{}` of rule {name}: use error, warning or info",
                c.severity.get_ref()
            ),
        )
    })?;
    let code = c.code.get_ref().trim();
    if code.is_empty() {
        return Err(src.error(Some(c.code.span()), format!("rule {name} needs a code")));
    }
    let message = Template::parse(c.message.get_ref(), check.placeholders()).map_err(|e| {
        src.error(
            Some(c.message.span()),
            format!("message of rule {name}: {e}"),
        )
    })?;
    if !c.enabled {
        return Ok(None);
    }
    Ok(Some(Rule {
        name,
        code: code.to_string(),
        clause: c.clause.trim().to_string(),
        severity,
        summary: c.summary.trim().to_string(),
        message,
        explanation: c.explanation.trim().to_string(),
        check,
    }))
}

fn quota_params(src: &SourceText, raw: &RawQuotaRule) -> Result<QuotaParams> {
    let days = *raw.days.get_ref();
    if !(1..=31).contains(&days) {
        return Err(src.error(
            Some(raw.days.span()),
            format!("days = {days} in rule daily-call-quota: judge from 1 to 31 working days"),
        ));
    }
    let letter_task_types = raw
        .letter_task_types
        .iter()
        .map(|t| match t.get_ref().trim() {
            "email" => Ok(TaskType::Email),
            "call" => Ok(TaskType::Call),
            "meeting" => Ok(TaskType::Meeting),
            "other" => Ok(TaskType::Other),
            other => Err(src.error(
                Some(t.span()),
                format!(
                    "task type `{other}` in letter-task-types: use email, call, meeting or other"
                ),
            )),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(QuotaParams {
        quota: *raw.quota.get_ref(),
        days,
        answered_only: raw.answered_only,
        min_duration_seconds: raw.min_duration_seconds,
        letter_task_types,
        per_manager: raw
            .per_manager
            .iter()
            .map(|(name, quota)| (normalize_name(name), *quota.get_ref()))
            .collect(),
    })
}

/// ", did you mean `X`?" for the closest candidate, or the full list.
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> String {
    let key = normalize_header(word);
    let best = candidates
        .clone()
        .map(|c| (edit_distance(&key, &normalize_header(c)), c))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, c)) if d <= key.chars().count() / 3 + 1 => format!("; did you mean `{c}`?"),
        _ => {
            let list: Vec<_> = candidates.map(|c| format!("`{c}`")).collect();
            format!("; the funnel is {}", list.join(", "))
        }
    }
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::BUILTIN_RULES;

    fn with(from: &str, to: &str) -> String {
        assert!(
            BUILTIN_RULES.contains(from),
            "the built-in file has `{from}`"
        );
        BUILTIN_RULES.replacen(from, to, 1)
    }

    fn error_of(text: &str) -> RuleFileError {
        compile(text, "company.toml").unwrap_err()
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text[..text.find(needle).unwrap()].matches('\n').count() + 1
    }

    #[test]
    fn unknown_key_is_located() {
        let text = with(
            "[rules.overdue-task]\n",
            "[rules.overdue-task]\nseverty = \"error\"\n",
        );
        let e = error_of(&text);
        assert_eq!(e.line, line_of(&text, "severty"));
        assert_eq!(e.column, 1);
        assert!(
            e.message.contains("unknown field `severty`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn unknown_rule_lists_the_known_ones() {
        let text = format!("{BUILTIN_RULES}\n[rules.overdue-tasks]\ncode = \"X\"\n");
        let e = error_of(&text);
        assert_eq!(e.line, line_of(&text, "[rules.overdue-tasks]"));
        assert!(
            e.message.contains("`overdue-tasks`") && e.message.contains("`daily-call-quota`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn required_stage_outside_the_funnel_suggests_the_nearest() {
        let text = with("from = \"Квалификация\"", "from = \"Квалификацыя\"");
        let e = error_of(&text);
        assert_eq!(e.line, line_of(&text, "from = \"Квалификацыя\""));
        assert_eq!(e.column, 8);
        assert_eq!(
            e.message,
            "`Квалификацыя` in stages.required is not a funnel stage; did you mean `Квалификация`?"
        );
    }

    #[test]
    fn a_final_stage_is_not_a_funnel_stage_for_requirements() {
        let e = error_of(&with(
            "from = \"Квалификация\"",
            "from = \"Успешно реализовано\"",
        ));
        assert!(
            e.message
                .contains("is not a funnel stage; the funnel is `Новая заявка`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn bad_values_are_located_and_explained() {
        let cases = [
            (
                ("time-zone = \"Europe/Moscow\"", "time-zone = \"Moscow\""),
                "unknown time zone `Moscow`",
            ),
            (
                ("severity = \"warning\"", "severity = \"warn\""),
                "use error, warning or info",
            ),
            (
                ("\"2026-01-01\"", "\"01.01.2026\""),
                "`01.01.2026` is not a date",
            ),
            (
                ("weekends = [\"sat\", \"sun\"]", "weekends = [\"сб\"]"),
                "`сб` is not a day of the week",
            ),
            (("days = 1", "days = 0"), "judge from 1 to 31 working days"),
            (
                (
                    "message = \"task due {due} is {late} overdue\"",
                    "message = \"task {when}\"",
                ),
                "unknown placeholder `{when}`",
            ),
            (
                ("code = \"CA002\"", "code = \"CA001\""),
                "code `CA001` of rule deal-without-task is already used by rule overdue-task",
            ),
            (
                (
                    "lost = [\"Закрыто и не реализовано\",",
                    "lost = [\"Квалификация\",",
                ),
                "stage `Квалификация` is listed twice (also in stages.funnel)",
            ),
            (
                (
                    "letter-task-types = [\"email\"]",
                    "letter-task-types = [\"letter\"]",
                ),
                "task type `letter`",
            ),
        ];
        for ((from, to), expected) in cases {
            let text = with(from, to);
            let e = error_of(&text);
            assert!(e.message.contains(expected), "{to}: {}", e.message);
            // The replacement stands where `from` stood in the built-in file.
            assert_eq!(e.line, line_of(BUILTIN_RULES, from), "{to}");
        }
    }

    #[test]
    fn crm_url_takes_the_deal_id() {
        let text = with("time-zone = \"Europe/Moscow\"\n", "time-zone = \"Europe/Moscow\"\ncrm-url = \"https://example.amocrm.ru/leads/detail/{id}\"\n");
        let set = compile(&text, "x.toml").unwrap();
        let url = set.crm_url.unwrap().render(|_| "31457201".into());
        assert_eq!(url, "https://example.amocrm.ru/leads/detail/31457201");
        let bad = with(
            "time-zone = \"Europe/Moscow\"\n",
            "time-zone = \"Europe/Moscow\"\ncrm-url = \"https://x/{deal}\"\n",
        );
        assert!(error_of(&bad)
            .message
            .contains("crm-url: unknown placeholder `{deal}`"));
    }

    #[test]
    fn column_mistakes() {
        let e = error_of(&with("nearest-task = [", "next-task = ["));
        assert!(
            e.message.contains(
                "unknown field `next-task` in columns.deals; the fields are `id`, `name`"
            ),
            "{}",
            e.message
        );
        let e = error_of(&with("due = [\"Срок\", \"due\"]\n", ""));
        assert!(
            e.message
                .contains("columns.tasks needs header names for `due`"),
            "{}",
            e.message
        );
        let e = error_of(&with(
            "result = [\"Результат\", \"result\"]",
            "result = [\"Срок\"]",
        ));
        assert!(
            e.message.contains("header `Срок` is given for both"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_disabled_rule_is_left_out() {
        let text = with(
            "[rules.missing-phone]\n",
            "[rules.missing-phone]\nenabled = false\n",
        );
        let set = compile(&text, "x.toml").unwrap();
        assert!(set.rule("missing-phone").is_none());
        assert!(set.rule("overdue-task").is_some());
    }

    #[test]
    fn per_manager_quota_overrides_the_default() {
        let text = with(
            "[rules.daily-call-quota.per-manager]\n",
            "[rules.daily-call-quota.per-manager]\n\"Иванова  Мария\" = 25\n",
        );
        let set = compile(&text, "x.toml").unwrap();
        let Check::DailyCallQuota(q) = &set.rule("daily-call-quota").unwrap().check else {
            panic!("quota rule")
        };
        assert_eq!(q.quota_for("Иванова Мария"), 25);
        assert_eq!(q.quota_for("Петров Алексей"), 40);
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("счет", "счёт"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}

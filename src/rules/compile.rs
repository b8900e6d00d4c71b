//! Raw rule file(s) → checked `RuleSet`. Every mistake a person can make in
//! a rule file is caught here and located by file, line and column, with
//! what would have been valid. The rules themselves are compiled in
//! `compile_rules`.

use super::columns::{field_specs, Columns, EntityKind, Layout, Role};
use super::fields::FieldCatalog;
use super::location::{RuleFileError, SourceMap};
use super::raw::{RawLayout, RawRuleSet, Text};
use super::roster::{Person, Roster};
use super::stages::Stages;
use super::template::Template;
use super::waivers::Waiver;
use super::{compile_rules, merge, Clause, Pipeline, RuleSet};
use crate::lang::Lang;
use crate::value::normalize_header;
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub(crate) type Result<T> = std::result::Result<T, RuleFileError>;

pub fn compile(text: &str, file: &str, path: Option<&Path>) -> Result<RuleSet> {
    let (raw, src) = merge::load(text, file, path)?;
    let time_zone = time_zone(&src, &raw)?;
    let renames = renames(&src, &raw)?;
    let mut deal_fields = FieldCatalog::default();
    let stages = stages(&src, &raw, &renames, &mut deal_fields)?;
    let pipelines = pipelines(&src, &raw, &mut deal_fields)?;
    let lead_stages = lead_stages(&src, &raw, &mut deal_fields)?;
    let columns = columns(&src, &raw)?;
    // Without its statuses every lead would count as in work.
    if lead_stages.is_none() && columns.leads.headers.iter().any(|h| !h.is_empty()) {
        return Err(src.error(
            None,
            "[columns.leads] reads lead exports, but the rule set lists no lead statuses: \
             add [leads] with funnel, won and lost",
        ));
    }
    let values = super::values::values(&src, &raw)?;
    let mut task_fields = FieldCatalog::default();
    let (rules, disabled) = compile_rules::rules(
        &src,
        &raw,
        &compile_rules::Context {
            stages: &stages,
            pipelines: &pipelines,
            renames: &renames,
        },
        &mut deal_fields,
        &mut task_fields,
    )?;
    let clauses = clauses(&raw);
    let waivers = waivers(&src, &raw, &rules, &disabled)?;
    let roster = roster(&src, &raw)?;
    Ok(RuleSet {
        name: raw
            .name
            .clone()
            .unwrap_or_else(|| src.top_file().to_string()),
        source: file.to_string(),
        time_zone,
        crm_url: crm_url(&src, &raw)?,
        history: history(&raw),
        history_drop_threshold: history_drop_threshold(&src, &raw)?,
        blank_words: super::blank::blank_words(&src, &raw)?,
        language: language(&src, &raw)?,
        csv_excel: raw.csv_excel.unwrap_or(false),
        notify: super::notify::settings(&src, &raw)?,
        sources: super::sources::settings(&src, &raw)?,
        calendar: super::compile_calendar::calendar(&src, &raw)?,
        stages,
        pipelines,
        lead_stages,
        columns,
        values,
        deal_fields,
        task_fields,
        rules,
        disabled,
        clauses,
        waivers,
        roster,
    })
}

/// The rule set's time zone, an IANA name.
fn time_zone(src: &SourceMap, raw: &RawRuleSet) -> Result<Tz> {
    let time_zone = raw.time_zone.as_ref().ok_or_else(|| {
        src.error(
            None,
            "the rule set has no `time-zone`; add e.g. time-zone = \"Europe/Moscow\"",
        )
    })?;
    time_zone.get_ref().parse().map_err(|_| {
        src.error(
            Some(time_zone.span()),
            format!(
                "unknown time zone `{}`; use an IANA name such as \"Europe/Moscow\"",
                time_zone.get_ref()
            ),
        )
    })
}

/// The link to a deal's card, with `{id}`.
fn crm_url(src: &SourceMap, raw: &RawRuleSet) -> Result<Option<Template>> {
    raw.crm_url
        .as_ref()
        .map(|url| {
            Template::parse(url.get_ref(), &["id"])
                .map_err(|e| src.error(Some(url.span()), format!("crm-url: {e}")))
        })
        .transpose()
}

/// The history database, relative to the rule file that names it.
fn history(raw: &RawRuleSet) -> Option<std::path::PathBuf> {
    raw.history.as_ref().map(|h| {
        let path = std::path::Path::new(h.get_ref().trim());
        match &raw.history_base {
            Some(base) if path.is_relative() => base.join(path),
            _ => path.to_path_buf(),
        }
    })
}

/// The history's deals-drop threshold: a percentage, 30 unless given.
fn history_drop_threshold(src: &SourceMap, raw: &RawRuleSet) -> Result<u8> {
    let Some(threshold) = &raw.history_drop_threshold else {
        return Ok(DEFAULT_HISTORY_DROP_THRESHOLD);
    };
    match u8::try_from(*threshold.get_ref()) {
        Ok(percent @ 1..=100) => Ok(percent),
        _ => Err(src.error(
            Some(threshold.span()),
            format!(
                "history-drop-threshold = {} is not a percentage from 1 to 100 \
                 (the largest fall in deals since the last run, 30 by default)",
                threshold.get_ref()
            ),
        )),
    }
}

/// The reports' language: Russian unless the rule set says `en`.
fn language(src: &SourceMap, raw: &RawRuleSet) -> Result<Lang> {
    let Some(code) = &raw.language else {
        return Ok(Lang::default());
    };
    Lang::parse(code.get_ref()).ok_or_else(|| {
        src.error(
            Some(code.span()),
            format!(
                "language = \"{}\" is not a language of the reports: use \"ru\" or \"en\"",
                code.get_ref()
            ),
        )
    })
}

/// The deals may fall by 30% from one recorded run to the next.
pub const DEFAULT_HISTORY_DROP_THRESHOLD: u8 = 30;

fn roster(src: &SourceMap, raw: &RawRuleSet) -> Result<Roster> {
    let mut roster = Roster::default();
    for m in raw.managers.iter().flatten() {
        let name = m.name.get_ref().trim();
        if name.is_empty() {
            return Err(src.error(Some(m.name.span()), "a manager needs a name"));
        }
        let absent = m
            .absent
            .iter()
            .map(|d| parse_date(src, d))
            .collect::<Result<_>>()?;
        let person = Person {
            name: crate::value::normalize_name(name),
            team: m.team.clone(),
            quota: m.quota.as_ref().map(|q| *q.get_ref()),
            absent,
        };
        let aliases: Vec<String> = m.aliases.iter().map(|a| a.get_ref().clone()).collect();
        roster.add(person, &aliases).map_err(|e| {
            let at = m
                .aliases
                .iter()
                .find(|a| e.contains(&format!("`{}`", a.get_ref())))
                .map_or(m.name.span(), |a| a.span());
            src.error(Some(at), e)
        })?;
    }
    Ok(roster)
}

pub(super) fn parse_date(src: &SourceMap, d: &Text) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(d.get_ref().trim(), "%Y-%m-%d").map_err(|_| {
        src.error(
            Some(d.span()),
            format!("`{}` is not a date; write it as 2026-11-04", d.get_ref()),
        )
    })
}

/// `[stages.rename]`: the built-in name (normalised) → the company's.
pub(crate) type Renames = HashMap<String, String>;

fn renames(src: &SourceMap, raw: &RawRuleSet) -> Result<Renames> {
    let mut out = HashMap::new();
    for (from, to) in raw
        .stages
        .as_ref()
        .and_then(|s| s.rename.as_ref())
        .into_iter()
        .flatten()
    {
        if to.get_ref().trim().is_empty() {
            return Err(src.error(Some(to.span()), "a stage cannot be renamed to nothing"));
        }
        out.insert(
            normalize_header(from.get_ref()),
            to.get_ref().trim().to_string(),
        );
    }
    Ok(out)
}

/// A stage name as the company's CRM writes it, after `[stages.rename]`.
pub(super) fn renamed(renames: &Renames, name: &str) -> String {
    renames
        .get(&normalize_header(name))
        .cloned()
        .unwrap_or_else(|| name.trim().to_string())
}

fn stages(
    src: &SourceMap,
    raw: &RawRuleSet,
    renames: &Renames,
    deal_fields: &mut FieldCatalog,
) -> Result<Stages> {
    let s = raw.stages.as_ref().ok_or_else(|| {
        src.error(
            None,
            "the rule set has no [stages]: list the funnel and its final stages",
        )
    })?;
    let section = StageLists {
        inbox: &s.inbox,
        other: &s.other,
        funnel: &s.funnel,
        won: &s.won,
        lost: &s.lost,
        required: &s.required,
    };
    stage_lists(src, &section, "stages", None, renames, deal_fields)
}

/// The pipelines of their own, each compiled like [stages].
fn pipelines(
    src: &SourceMap,
    raw: &RawRuleSet,
    deal_fields: &mut FieldCatalog,
) -> Result<Vec<Pipeline>> {
    let mut out: Vec<Pipeline> = Vec::new();
    for p in raw.pipelines.iter().flatten() {
        let key = normalize_header(p.name.get_ref());
        if key.is_empty() {
            return Err(src.error(Some(p.name.span()), "a pipeline needs a name"));
        }
        if out.iter().any(|q| q.key == key) {
            return Err(src.error(
                Some(p.name.span()),
                format!("pipeline `{}` is listed twice", p.name.get_ref()),
            ));
        }
        let section = StageLists {
            inbox: &p.inbox,
            other: &p.other,
            funnel: &p.funnel,
            won: &p.won,
            lost: &p.lost,
            required: &p.required,
        };
        let context = format!("pipeline `{}`", p.name.get_ref().trim());
        // [stages.rename] speaks of [stages]; a pipeline lists its own names.
        let stages = stage_lists(
            src,
            &section,
            &context,
            Some(p.name.span()),
            &Renames::new(),
            deal_fields,
        )?;
        out.push(Pipeline {
            name: p.name.get_ref().trim().to_string(),
            key,
            stages,
        });
    }
    if out.len() > 250 {
        return Err(src.error(None, "at most 250 pipelines are supported"));
    }
    Ok(out)
}

/// The statuses of leads, compiled like [stages] (no status requires data).
fn lead_stages(
    src: &SourceMap,
    raw: &RawRuleSet,
    deal_fields: &mut FieldCatalog,
) -> Result<Option<Stages>> {
    let Some(l) = &raw.leads else {
        return Ok(None);
    };
    let section = StageLists {
        inbox: &l.inbox,
        other: &l.other,
        funnel: &l.funnel,
        won: &l.won,
        lost: &l.lost,
        required: &None,
    };
    stage_lists(src, &section, "leads", None, &Renames::new(), deal_fields).map(Some)
}

/// The stage lists of [stages] or of a pipeline.
struct StageLists<'a> {
    inbox: &'a Option<Vec<Text>>,
    other: &'a Option<Vec<Text>>,
    funnel: &'a Option<Vec<Text>>,
    won: &'a Option<Vec<Text>>,
    lost: &'a Option<Vec<Text>>,
    required: &'a Option<Vec<super::raw::RawRequirement>>,
}

fn stage_lists(
    src: &SourceMap,
    s: &StageLists,
    context: &str,
    at: Option<std::ops::Range<usize>>,
    renames: &Renames,
    deal_fields: &mut FieldCatalog,
) -> Result<Stages> {
    let need = |list: &Option<Vec<Text>>, key: &str| -> Result<Vec<Text>> {
        list.clone()
            .ok_or_else(|| src.error(at.clone(), format!("{context} has no `{key}`")))
    };
    let funnel_raw = need(s.funnel, "funnel")?;
    let lists: [(&'static str, Vec<Text>); 5] = [
        ("inbox", s.inbox.clone().unwrap_or_default()),
        ("other", s.other.clone().unwrap_or_default()),
        ("funnel", funnel_raw.clone()),
        ("won", need(s.won, "won")?),
        ("lost", need(s.lost, "lost")?),
    ];
    let mut seen: HashMap<String, &'static str> = HashMap::new();
    let mut names: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for (list, entries) in &lists {
        for name in entries {
            let written = renamed(renames, name.get_ref());
            let key = normalize_header(&written);
            if key.is_empty() {
                return Err(src.error(
                    Some(name.span()),
                    format!("an empty stage name in {context}.{list}"),
                ));
            }
            if let Some(other) = seen.insert(key, list) {
                return Err(src.error(
                    Some(name.span()),
                    format!("stage `{written}` is listed twice (also in {context}.{other})"),
                ));
            }
            names.entry(list).or_default().push(written);
        }
    }
    if funnel_raw.is_empty() {
        return Err(src.error(
            at.clone(),
            format!("{context}.funnel is empty; list the funnel's stages in order"),
        ));
    }
    let funnel = names.remove("funnel").unwrap_or_default();
    let mut required = Vec::new();
    for req in s.required.iter().flatten() {
        let position = funnel_position(
            src,
            &funnel,
            renames,
            &req.from,
            &format!("{context}.required"),
        )?;
        let mut indexes = Vec::new();
        for field in &req.fields {
            let index = deal_fields
                .intern(EntityKind::Deals, field.get_ref(), false)
                .map_err(|e| src.error(Some(field.span()), e))?;
            indexes.push(index);
        }
        required.push((position, indexes));
    }
    Ok(Stages::new(
        names.get("inbox").map_or(&[][..], Vec::as_slice),
        names.get("other").map_or(&[][..], Vec::as_slice),
        funnel,
        names.get("won").map_or(&[][..], Vec::as_slice),
        names.get("lost").map_or(&[][..], Vec::as_slice),
        &required,
    ))
}

/// The funnel position of a stage named in the rule file, or an error that
/// suggests the nearest funnel stage.
pub(super) fn funnel_position(
    src: &SourceMap,
    funnel: &[String],
    renames: &Renames,
    name: &Text,
    context: &str,
) -> Result<u16> {
    let wanted = normalize_header(&renamed(renames, name.get_ref()));
    funnel
        .iter()
        .position(|f| normalize_header(f) == wanted)
        .map(|p| p as u16)
        .ok_or_else(|| {
            let hint = nearest(name.get_ref(), funnel.iter().map(String::as_str));
            src.error(
                Some(name.span()),
                format!(
                    "`{}` in {context} is not a funnel stage{hint}",
                    name.get_ref()
                ),
            )
        })
}

fn columns(src: &SourceMap, raw: &RawRuleSet) -> Result<Columns> {
    let c = raw
        .columns
        .as_ref()
        .ok_or_else(|| src.error(None, "the rule set has no [columns]"))?;
    let mut columns = Columns::default();
    let layouts: [(EntityKind, &Option<RawLayout>); 6] = [
        (EntityKind::Deals, &c.deals),
        (EntityKind::Leads, &c.leads),
        (EntityKind::Tasks, &c.tasks),
        (EntityKind::Calls, &c.calls),
        (EntityKind::Contacts, &c.contacts),
        (EntityKind::CallReviews, &c.call_reviews),
    ];
    for (kind, layout) in layouts {
        // Leads came later: a rule set written without them reads none.
        if kind == EntityKind::Leads && layout.is_none() {
            continue;
        }
        let empty = RawLayout::new();
        *columns.layout_mut(kind) = layout_of(src, kind, layout.as_ref().unwrap_or(&empty))?;
    }
    Ok(columns)
}

fn layout_of(src: &SourceMap, kind: EntityKind, raw: &RawLayout) -> Result<Layout> {
    let specs = field_specs(kind);
    let mut headers = vec![Vec::new(); specs.len()];
    let mut written: Vec<Vec<String>> = vec![Vec::new(); specs.len()];
    let mut owner: HashMap<String, &str> = HashMap::new();
    for (key, names) in raw {
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
                written[index].push(name.get_ref().trim().to_string());
            }
        }
    }
    for (spec, names) in specs.iter().zip(&headers) {
        if spec.role != Role::Optional && names.is_empty() {
            return Err(src.error(
                raw.keys().next().map(|k| k.span()),
                format!(
                    "columns.{} needs header names for `{}`: files of this kind cannot be read without it",
                    kind.as_str(),
                    spec.key
                ),
            ));
        }
    }
    Ok(Layout { headers, written })
}

fn clauses(raw: &RawRuleSet) -> Vec<Clause> {
    let mut list: Vec<Clause> = raw
        .clauses
        .iter()
        .flatten()
        .map(|(number, c)| Clause {
            number: number.trim().to_string(),
            ru: c.ru.clone().unwrap_or_default().trim().to_string(),
            en: c.en.clone().unwrap_or_default().trim().to_string(),
            not_checkable: c.not_checkable.as_ref().map(|s| s.trim().to_string()),
        })
        .collect();
    list.sort_by_key(|c| clause_key(&c.number));
    list
}

/// `1.3.4` sorts after `1.3` and before `2`.
pub fn clause_key(number: &str) -> Vec<u32> {
    number
        .split('.')
        .map(|p| p.trim().parse().unwrap_or(u32::MAX))
        .collect()
}

fn waivers(
    src: &SourceMap,
    raw: &RawRuleSet,
    rules: &[super::Rule],
    disabled: &[String],
) -> Result<Vec<Waiver>> {
    let mut out = Vec::new();
    for w in raw.waivers.iter().flatten() {
        let written = w.rule.get_ref().trim();
        // A rule by its name or, as `--select` takes it, its code.
        let rule = rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(written))
            .map_or(written, |r| r.name);
        if !rules.iter().any(|r| r.name == rule) && !disabled.iter().any(|d| d == rule) {
            let known: Vec<&str> = rules.iter().map(|r| r.name).collect();
            let hint = nearest(rule, known.iter().copied());
            return Err(src.error(
                Some(w.rule.span()),
                format!("waiver for unknown rule `{rule}`{hint}"),
            ));
        }
        let (kind, id) = Waiver::parse_entity(w.entity.get_ref())
            .map_err(|e| src.error(Some(w.entity.span()), e))?;
        if w.reason.get_ref().trim().is_empty() {
            return Err(src.error(Some(w.reason.span()), "a waiver needs a reason"));
        }
        out.push(Waiver {
            rule: rule.to_string(),
            kind,
            id,
            reason: w.reason.get_ref().trim().to_string(),
            until: parse_date(src, &w.until)?,
        });
    }
    Ok(out)
}

/// "; did you mean `X`?" for the closest candidate, or the full list.
pub(crate) fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> String {
    let key = normalize_header(word);
    let best = candidates
        .clone()
        .map(|c| (edit_distance(&key, &normalize_header(c)), c))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, c)) if d <= key.chars().count() / 3 + 1 => format!("; did you mean `{c}`?"),
        _ => {
            let list: Vec<_> = candidates.map(|c| format!("`{c}`")).collect();
            if list.is_empty() {
                String::new()
            } else {
                format!("; it must be one of {}", list.join(", "))
            }
        }
    }
}

/// Levenshtein distance in characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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

/// A company's rule file (`company.toml`) that extends the built-in set,
/// for the tests of each part of a rule set.
#[cfg(test)]
pub(crate) fn company(text: &str) -> Result<RuleSet> {
    compile(
        &format!("extends = \"builtin\"\n{text}"),
        "company.toml",
        None,
    )
}

#[cfg(test)]
#[path = "compile_tests.rs"]
mod tests;

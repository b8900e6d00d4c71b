//! `extends`: a company's rule file starts from another (the built-in
//! regulation, or a file of its own) and says only what differs. Files are
//! read into raw structs each on its own, unknown keys refused with their
//! own location, then laid over each other key by key: a value the company
//! sets replaces the base's; lists are replaced whole; waivers add up.

use super::location::{RuleFileError, SourceMap};
use super::raw::*;
use super::sources::RawSources;
use super::{BUILTIN_NAME, BUILTIN_RULES};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How deep `extends` may chain.
const MAX_DEPTH: usize = 8;

/// Reads a rule file and every file it extends, merged.
pub fn load(
    text: &str,
    file: &str,
    path: Option<&Path>,
) -> Result<(RawRuleSet, SourceMap), RuleFileError> {
    let mut sources = SourceMap::default();
    let raw = load_into(&mut sources, text, file, path, 0, &mut Vec::new())?;
    Ok((raw, sources))
}

/// serde's "unknown field `at-leats`, expected one of `enabled`, …" with
/// the nearest known key suggested, as stage names are, where one is
/// close; the list stays for the rest.
fn with_suggestion(message: &str) -> String {
    let message = message.trim();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    // serde says "expected one of `a`, `b`, `c`", and "expected `a` or
    // `b`" or "expected `a`" for a table of two keys or one
    // (`[notify]`, `[notify.telegram]`).
    let Some((field, expected)) = rest
        .split_once("`, expected one of ")
        .or_else(|| rest.split_once("`, expected "))
    else {
        return message.to_string();
    };
    // Two keys are "`a` or `b`".
    let expected = expected.replace("` or `", "`, `");
    let known: Vec<&str> = expected.split(", ").map(|k| k.trim_matches('`')).collect();
    let hint = super::compile::nearest(field, known.iter().copied());
    match hint.strip_prefix("; ") {
        Some(did_you_mean) if did_you_mean.starts_with("did you mean") => {
            format!("unknown field `{field}`; {did_you_mean}")
        }
        _ => message.to_string(),
    }
}

fn load_into(
    sources: &mut SourceMap,
    text: &str,
    file: &str,
    path: Option<&Path>,
    depth: usize,
    seen: &mut Vec<PathBuf>,
) -> Result<RawRuleSet, RuleFileError> {
    // A byte-order mark is no part of the TOML (and would not stay at the
    // start of the padded text).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (_, padded) = sources.add(file, text);
    let mut raw: RawRuleSet = toml::from_str(&padded).map_err(|e| {
        let message = super::location::plain_words(&with_suggestion(e.message()));
        sources.error(e.span(), message)
    })?;
    raw.history_base = path.and_then(Path::parent).map(Path::to_path_buf);
    super::sources::set_base(&mut raw.sources, path.and_then(Path::parent));
    let Some(extends) = &raw.extends else {
        return Ok(raw);
    };
    if depth >= MAX_DEPTH {
        return Err(sources.error(Some(extends.span()), "`extends` chains too deep (a loop?)"));
    }
    let base = if extends.get_ref().trim() == "builtin" {
        load_into(sources, BUILTIN_RULES, BUILTIN_NAME, None, depth + 1, seen)?
    } else {
        let folder = path.and_then(Path::parent).unwrap_or(Path::new("."));
        let base_path = folder.join(extends.get_ref().trim());
        let canonical = std::fs::canonicalize(&base_path).map_err(|e| {
            sources.error(
                Some(extends.span()),
                format!(
                    "cannot read `{}`: {e}; `extends` takes \"builtin\" or a rule file's path",
                    base_path.display()
                ),
            )
        })?;
        if seen.contains(&canonical) {
            return Err(sources.error(
                Some(extends.span()),
                format!("`extends` loops back to {}", base_path.display()),
            ));
        }
        seen.push(canonical);
        let shown = base_path.display().to_string();
        let base_text =
            crate::files::read_text(&base_path, &shown, crate::files::MAX_RULE_FILE_BYTES)
                .map_err(|e| sources.error(Some(extends.span()), format!("cannot read {e:#}")))?;
        load_into(
            sources,
            &base_text,
            &base_path.display().to_string(),
            Some(&base_path),
            depth + 1,
            seen,
        )?
    };
    Ok(merge(base, raw))
}

/// `over` laid on `base`. One entry per key of a rule set, each saying how
/// the company's value is laid over the base's: long because the rule set
/// has that many keys, and clearer whole than cut in arbitrary parts.
fn merge(base: RawRuleSet, over: RawRuleSet) -> RawRuleSet {
    RawRuleSet {
        extends: None,
        name: over.name.or(base.name),
        time_zone: over.time_zone.or(base.time_zone),
        crm_url: over.crm_url.or(base.crm_url),
        history_base: if over.history.is_some() {
            over.history_base
        } else {
            base.history_base
        },
        history: over.history.or(base.history),
        history_drop_threshold: over.history_drop_threshold.or(base.history_drop_threshold),
        // A company's list replaces the base's whole.
        blank_words: over.blank_words.or(base.blank_words),
        language: over.language.or(base.language),
        csv_excel: over.csv_excel.or(base.csv_excel),
        // A company's [notify.telegram] or [notify.email] replaces the base's table.
        notify: merge_option(base.notify, over.notify, |b, o| RawNotify {
            telegram: o.telegram.or(b.telegram),
            email: o.email.or(b.email),
        }),
        // A company's [sources.amocrm] (…) replaces the base's table.
        sources: merge_option(base.sources, over.sources, |b, o| RawSources {
            amocrm: o.amocrm.or(b.amocrm),
            bitrix24: o.bitrix24.or(b.bitrix24),
            sipuni: o.sipuni.or(b.sipuni),
        }),
        calendar: merge_option(base.calendar, over.calendar, |b, o| RawCalendar {
            weekends: o.weekends.or(b.weekends),
            holidays: o.holidays.or(b.holidays),
            working_days: o.working_days.or(b.working_days),
            // A year the company writes replaces the base's year whole.
            // A year the company writes changes only the lists it gives:
            // adding a working Saturday keeps the decree's holidays.
            years: merge_maps(b.years, o.years, |b, o| RawCalendarYear {
                decree: o.decree.or(b.decree),
                holidays: o.holidays.or(b.holidays),
                working_days: o.working_days.or(b.working_days),
            }),
            beyond_calendar: o.beyond_calendar.or(b.beyond_calendar),
        }),
        stages: merge_option(base.stages, over.stages, |b, o| RawStages {
            inbox: o.inbox.or(b.inbox),
            other: o.other.or(b.other),
            funnel: o.funnel.or(b.funnel),
            won: o.won.or(b.won),
            lost: o.lost.or(b.lost),
            required: o.required.or(b.required),
            rename: merge_maps(b.rename, o.rename, |_, o| o),
        }),
        columns: merge_option(base.columns, over.columns, |b, o| RawColumns {
            deals: merge_maps(b.deals, o.deals, |_, o| o),
            leads: merge_maps(b.leads, o.leads, |_, o| o),
            tasks: merge_maps(b.tasks, o.tasks, |_, o| o),
            calls: merge_maps(b.calls, o.calls, |_, o| o),
            contacts: merge_maps(b.contacts, o.contacts, |_, o| o),
            call_reviews: merge_maps(b.call_reviews, o.call_reviews, |_, o| o),
        }),
        values: merge_option(base.values, over.values, |b, o| RawValues {
            call_direction: merge_option(b.call_direction, o.call_direction, merge_words),
            call_status: merge_option(b.call_status, o.call_status, merge_words),
            task_state: merge_option(b.task_state, o.task_state, merge_words),
            task_type: merge_option(b.task_type, o.task_type, merge_words),
        }),
        clauses: merge_maps(base.clauses, over.clauses, |_, o| o),
        rules: merge_maps(base.rules, over.rules, merge_rule),
        managers: over.managers.or(base.managers),
        pipelines: over.pipelines.or(base.pipelines),
        leads: merge_option(base.leads, over.leads, |b, o| RawLeads {
            inbox: o.inbox.or(b.inbox),
            other: o.other.or(b.other),
            funnel: o.funnel.or(b.funnel),
            won: o.won.or(b.won),
            lost: o.lost.or(b.lost),
        }),
        waivers: match (base.waivers, over.waivers) {
            (Some(mut b), Some(o)) => {
                b.extend(o);
                Some(b)
            }
            (b, o) => o.or(b),
        },
    }
}

fn merge_option<T>(base: Option<T>, over: Option<T>, both: impl FnOnce(T, T) -> T) -> Option<T> {
    match (base, over) {
        (Some(b), Some(o)) => Some(both(b, o)),
        (b, o) => o.or(b),
    }
}

/// A `[values.*]` table laid on the base's: the company's words are added
/// to the base's (naming one more word for `done` keeps `Завершена`), and a
/// word the company files under a key leaves whatever key the base had it
/// under, so a word can also be moved (`Отложена` from open to declined).
/// Words are compared as the readers match them: trimmed, ignoring case.
fn merge_words(mut base: RawLayout, over: RawLayout) -> RawLayout {
    let same =
        |a: &Text, b: &Text| a.get_ref().trim().to_lowercase() == b.get_ref().trim().to_lowercase();
    for words in base.values_mut() {
        words.retain(|w| !over.values().flatten().any(|o| same(o, w)));
    }
    for (key, words) in over {
        let list = base.entry(key).or_default();
        for word in words {
            if !list.iter().any(|w| same(w, &word)) {
                list.push(word);
            }
        }
    }
    base
}

fn merge_maps<K: Ord, V>(
    base: Option<BTreeMap<K, V>>,
    over: Option<BTreeMap<K, V>>,
    both: impl Fn(V, V) -> V,
) -> Option<BTreeMap<K, V>> {
    merge_option(base, over, |mut b, o| {
        for (key, value) in o {
            let merged = match b.remove(&key) {
                Some(old) => both(old, value),
                None => value,
            };
            b.insert(key, merged);
        }
        b
    })
}

/// A rule's keys laid over the base rule of the same name.
fn merge_rule(mut b: RawRule, o: RawRule) -> RawRule {
    // A text the company rewrites in one language only stands for both:
    // the base's other-language text says what the company no longer does.
    if o.summary.is_some() && o.summary_ru.is_none() {
        b.summary_ru = None;
    }
    if o.message.is_some() && o.message_ru.is_none() {
        b.message_ru = None;
    }
    if o.fix.is_some() && o.fix_ru.is_none() {
        b.fix_ru = None;
    }

    // The kind's own keys: a company's key replaces the inherited one.
    let mut params = b.params;
    params.extend(o.params);
    RawRule {
        enabled: o.enabled.or(b.enabled),
        check: o.check.or(b.check),
        code: o.code.or(b.code),
        clause: o.clause.or(b.clause),
        severity: o.severity.or(b.severity),
        summary: o.summary.or(b.summary),
        message: o.message.or(b.message),
        explanation: o.explanation.or(b.explanation),
        fix: o.fix.or(b.fix),
        summary_ru: o.summary_ru.or(b.summary_ru),
        message_ru: o.message_ru.or(b.message_ru),
        fix_ru: o.fix_ru.or(b.fix_ru),
        params,
    }
}

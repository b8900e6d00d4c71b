//! The `daily-count` kind's parameters, checked once when the rule set
//! compiles, and the description `explain` prints.

use super::{Bound, Counted, DailyCount, Window};
use crate::checks::compile::Compile;
use crate::checks::Described;
use crate::rules::compile::Result;
use crate::value::{normalize_name, TaskType};
use toml::Spanned;

/// What `count` counts, with the keys that say how.
fn counted(cx: &Compile) -> Result<Counted> {
    let count = cx.needs(cx.text("count"), "count")?;
    Ok(match count.get_ref().trim() {
        "outgoing-contacts" => Counted::OutgoingContacts {
            answered_only: cx.flag("answered-only").is_some_and(|a| *a.get_ref()),
            min_duration_seconds: cx.count("min-duration-seconds").map_or(0, |m| *m.get_ref()),
            letter_task_types: cx
                .list("letter-task-types")
                .unwrap_or_default()
                .iter()
                .map(|t| match t.get_ref().trim() {
                    "email" => Ok(TaskType::Email),
                    "call" => Ok(TaskType::Call),
                    "meeting" => Ok(TaskType::Meeting),
                    "other" => Ok(TaskType::Other),
                    other => Err(cx.error(
                        Some(t.span()),
                        format!("task type `{other}` in letter-task-types: use email, call, meeting or other"),
                    )),
                })
                .collect::<Result<Vec<_>>>()?,
        },
        "open-tasks-due" => {
            for (param, set) in [
                ("answered-only", cx.flag("answered-only").is_some()),
                ("min-duration-seconds", cx.count("min-duration-seconds").is_some()),
                ("letter-task-types", cx.list("letter-task-types").is_some()),
            ] {
                if set {
                    return Err(cx.error(
                        Some(count.span()),
                        format!("`{param}` applies to count = \"outgoing-contacts\", not \"open-tasks-due\""),
                    ));
                }
            }
            Counted::OpenTasksDue
        }
        other => {
            return Err(cx.error(
                Some(count.span()),
                format!("count `{other}`: use \"outgoing-contacts\" or \"open-tasks-due\""),
            ))
        }
    })
}

pub(super) fn compile_count(cx: &mut Compile) -> Result<DailyCount> {
    let counted = counted(cx)?;
    if matches!(counted, Counted::OutgoingContacts { .. }) && cx.count("days-ahead").is_some() {
        return Err(cx.error(
            cx.count("days-ahead").map(|d| d.span()),
            "outgoing contacts are counted for days past (`days`), not `days-ahead`",
        ));
    }
    let bound = match (cx.count("at-least"), cx.count("at-most")) {
        (Some(n), None) => Bound::AtLeast(*n.get_ref()),
        (None, Some(n)) => Bound::AtMost(*n.get_ref()),
        _ => {
            return Err(cx.error(
                Some(cx.name.span()),
                format!(
                    "rule {} needs exactly one of `at-least` and `at-most`",
                    cx.name.get_ref()
                ),
            ))
        }
    };
    let window = match (cx.count("days"), cx.count("days-ahead")) {
        (Some(d), None) => Window::Back(checked_days(cx, d)?),
        (None, Some(d)) => Window::Ahead(checked_days(cx, d)?),
        _ => {
            return Err(cx.error(
                Some(cx.name.span()),
                format!(
                    "rule {} needs exactly one of `days` (before the audit date) and `days-ahead`",
                    cx.name.get_ref()
                ),
            ))
        }
    };
    Ok(DailyCount {
        counted,
        bound,
        window,
        per_manager: cx
            .counts("per-manager")
            .into_iter()
            .flatten()
            .map(|(name, n)| (normalize_name(name), *n.get_ref()))
            .collect(),
    })
}

fn checked_days(cx: &Compile, days: &Spanned<u32>) -> Result<u32> {
    let n = *days.get_ref();
    if (1..=31).contains(&n) {
        Ok(n)
    } else {
        Err(cx.error(
            Some(days.span()),
            format!("{n} days: judge from 1 to 31 working days"),
        ))
    }
}

/// The count, its bound, its days and each manager's own limit.
pub(super) fn describe(d: &DailyCount, out: &mut Described) {
    let mut push = |k: &str, v: String| out.push((k.to_string(), v));
    match &d.counted {
        Counted::OutgoingContacts {
            answered_only,
            min_duration_seconds,
            letter_task_types,
        } => {
            push(
                "count",
                "outgoing-contacts (outgoing calls + completed letter tasks)".into(),
            );
            push("answered-only", answered_only.to_string());
            push("min-duration-seconds", min_duration_seconds.to_string());
            let types: Vec<String> = letter_task_types
                .iter()
                .map(|t| format!("{t:?}").to_lowercase())
                .collect();
            push("letter-task-types", types.join(", "));
        }
        Counted::OpenTasksDue => push("count", "open-tasks-due".into()),
    }
    match d.bound {
        Bound::AtLeast(n) => push("at-least", n.to_string()),
        Bound::AtMost(n) => push("at-most", n.to_string()),
    }
    match d.window {
        Window::Back(n) => push("days", format!("{n} working day(s) before the audit date")),
        Window::Ahead(n) => push(
            "days-ahead",
            format!("the audit date and {n} working day(s) after"),
        ),
    }
    let mut managers: Vec<_> = d.per_manager.iter().collect();
    managers.sort();
    for (name, n) in managers {
        push(&format!("per-manager «{name}»"), n.to_string());
    }
}


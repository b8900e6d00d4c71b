//! The completeness guard: before a run is recorded, tonight's inputs are
//! held against the last run's, so an export cut short cannot mark a
//! hundred violations fixed. A kind of input the last run read and tonight
//! lacks, deals falling by more than the allowed share (the rule set's
//! `history-drop-threshold`), or call logs that end before the day the
//! call quota judges, are shortfalls. The night is still recorded, but
//! what a shortfall reaches is not judged: the last run's violations it
//! could hide stay open, neither fixed nor gone (the caller's
//! `--accept-drop` judges them anyway).

use crate::lang::Lang;
use crate::model::Dataset;
use crate::rules::columns::EntityKind;
use crate::rules::{Check, Counted, RuleSet, Window};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;

/// Rows per kind of input (`deals`, `tasks`, `calls`, …) of one run.
pub type RowsByKind = BTreeMap<String, u64>;

/// Something in tonight's inputs that looks incomplete beside the last
/// run's.
#[derive(Debug, Clone, PartialEq)]
pub enum Shortfall {
    /// A kind of input the last run read (`rows` rows of it) is missing.
    Missing { kind: String, rows: u64 },
    /// Deals fell by more than `max_drop` (0.3 is 30%).
    DealsFell {
        before: u64,
        now: u64,
        max_drop: f64,
    },
    /// The call logs end (their last call on `last`; `None`: no call at
    /// all) before `judged`, the day the call quota judges.
    CallsEndEarly {
        last: Option<NaiveDate>,
        judged: NaiveDate,
    },
}

/// What a shortfall leaves tonight unable to judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Any of the last run's violations: a record may be missing from any
    /// export.
    Everything,
    /// The rules that count outgoing calls.
    CallQuota,
    /// The rules over the call-review sheet, and the reviewed calls.
    CallReviews,
}

impl Shortfall {
    /// One sentence in `lang`, for a report.
    pub fn said(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.sentence(),
            Lang::Ru => self.sentence_ru(),
        }
    }

    fn sentence_ru(&self) -> String {
        match self {
            Shortfall::Missing { kind, rows } => {
                format!(
                    "сегодня нет входных файлов вида {kind}: прошлый запуск прочитал строк: {rows}"
                )
            }
            Shortfall::DealsFell {
                before,
                now,
                max_drop,
            } => {
                let fall = (before - now) as f64 / *before as f64;
                format!(
                    "сделок стало {now} вместо {before} (на {:.0}% меньше; допустимо не более {:.0}%)",
                    fall * 100.0,
                    max_drop * 100.0
                )
            }
            Shortfall::CallsEndEarly {
                last: Some(last),
                judged,
            } => format!(
                "журнал звонков кончается {}, раньше {}, дня, который судит норма звонков",
                day(*last),
                day(*judged)
            ),
            Shortfall::CallsEndEarly { last: None, judged } => format!(
                "в журнале звонков нет ни одного звонка, а норма звонков судит {}",
                day(*judged)
            ),
        }
    }

    /// One sentence, for the error of a baseline and an English report.
    pub fn sentence(&self) -> String {
        match self {
            Shortfall::Missing { kind, rows } => {
                format!("no {kind} tonight: the last run read {rows} row(s) of {kind}")
            }
            Shortfall::DealsFell {
                before,
                now,
                max_drop,
            } => {
                let fall = (before - now) as f64 / *before as f64;
                format!(
                    "deals fell from {before} to {now} ({:.0}% fewer; at most {:.0}% is allowed)",
                    fall * 100.0,
                    max_drop * 100.0
                )
            }
            Shortfall::CallsEndEarly {
                last: Some(last),
                judged,
            } => format!(
                "the call logs end on {}, before {}, the day the call quota judges",
                day(*last),
                day(*judged)
            ),
            Shortfall::CallsEndEarly { last: None, judged } => format!(
                "the call logs hold no call, and the call quota judges {}",
                day(*judged)
            ),
        }
    }

    /// What it leaves unjudged: calls and call reviews feed their own
    /// rules only; any other export missing or cut short may hide the
    /// record of any violation.
    pub fn reach(&self) -> Reach {
        match self {
            Shortfall::Missing { kind, .. } if kind == EntityKind::Calls.as_str() => {
                Reach::CallQuota
            }
            Shortfall::Missing { kind, .. } if kind == EntityKind::CallReviews.as_str() => {
                Reach::CallReviews
            }
            Shortfall::CallsEndEarly { .. } => Reach::CallQuota,
            _ => Reach::Everything,
        }
    }
}

/// What dropped since the last run; empty when nothing did. `max_drop` is
/// the largest allowed fall in deals (0.3 is 30%).
pub fn dropped(last: &RowsByKind, tonight: &RowsByKind, max_drop: f64) -> Vec<Shortfall> {
    let mut found = Vec::new();
    for (kind, &rows) in last {
        if rows > 0 && tonight.get(kind).copied().unwrap_or(0) == 0 {
            found.push(Shortfall::Missing {
                kind: kind.clone(),
                rows,
            });
        }
    }
    let before = last.get("deals").copied().unwrap_or(0);
    let now = tonight.get("deals").copied().unwrap_or(0);
    if before > 0 && now > 0 && now < before {
        let fall = (before - now) as f64 / before as f64;
        if fall > max_drop {
            found.push(Shortfall::DealsFell {
                before,
                now,
                max_drop,
            });
        }
    }
    found
}

/// Whether `check` counts outgoing calls (the call quota).
pub fn counts_calls(check: &Check) -> bool {
    matches!(check, Check::DailyCount(count) if matches!(count.counted, Counted::OutgoingContacts { .. }))
}

/// Whether `check` reads the call-review sheet.
pub fn reads_reviews(check: &Check) -> bool {
    matches!(check, Check::CallScript(_) | Check::CallConduct(_))
}

/// When call logs are among tonight's inputs and a rule counts outgoing
/// calls: whether the logs end before the latest day that rule judges (the
/// working day before the audit date), a log exported or pulled too early
/// or cut short. Read before the calls are freed.
pub fn call_logs_end_early(
    data: &Dataset,
    rules: &RuleSet,
    as_of: NaiveDateTime,
) -> Option<Shortfall> {
    if !data.has_kind(EntityKind::Calls) {
        return None;
    }
    let judged = rules
        .rules
        .iter()
        .filter_map(|r| match &r.check {
            Check::DailyCount(count) => match (&count.counted, count.window) {
                (Counted::OutgoingContacts { .. }, Window::Back(n)) => rules
                    .calendar
                    .working_days_before(as_of.date(), n)
                    .first()
                    .copied(),
                _ => None,
            },
            _ => None,
        })
        .max()?;
    calls_end_before(last_call_day(data), judged)
}

/// The latest day of a call in the logs read: a manager's or no one's,
/// read whole or with a value (not its time) unreadable.
fn last_call_day(data: &Dataset) -> Option<NaiveDate> {
    let calls = data.calls.iter().map(|c| c.time.date());
    let unreadable = data.unreadable_calls.iter().filter_map(|c| c.date);
    let no_ones = data.unattributed_calls.iter().filter_map(|u| u.date);
    calls.chain(unreadable).chain(no_ones).max()
}

/// What is wrong when the logs' last call (`None`: no call at all) is
/// before `judged`, the day the call quota judges.
fn calls_end_before(last: Option<NaiveDate>, judged: NaiveDate) -> Option<Shortfall> {
    match last {
        Some(last) if last >= judged => None,
        _ => Some(Shortfall::CallsEndEarly { last, judged }),
    }
}

/// `26.11.2026`.
fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(list: &[(&str, u64)]) -> RowsByKind {
        list.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    fn dropped(last: &RowsByKind, tonight: &RowsByKind, max_drop: f64) -> Vec<String> {
        super::dropped(last, tonight, max_drop)
            .iter()
            .map(Shortfall::sentence)
            .collect()
    }

    #[test]
    fn a_kind_missing_tonight_is_a_shortfall() {
        let last = rows(&[("deals", 60), ("tasks", 156), ("calls", 523)]);
        let tonight = rows(&[("deals", 60), ("tasks", 150)]);
        assert_eq!(
            dropped(&last, &tonight, 0.30),
            ["no calls tonight: the last run read 523 row(s) of calls"]
        );
    }

    #[test]
    fn deals_may_fall_by_the_allowed_share_and_no_more() {
        let last = rows(&[("deals", 100)]);
        // 70 of 100 is a fall of exactly 30%: allowed.
        assert!(dropped(&last, &rows(&[("deals", 70)]), 0.30).is_empty());
        // 69 is 31%.
        assert_eq!(
            dropped(&last, &rows(&[("deals", 69)]), 0.30),
            ["deals fell from 100 to 69 (31% fewer; at most 30% is allowed)"]
        );
        // A company setting of 50%.
        assert!(dropped(&last, &rows(&[("deals", 69)]), 0.50).is_empty());
        // No deals at all is the missing-kind case, said once.
        assert_eq!(
            dropped(&last, &rows(&[]), 0.30),
            ["no deals tonight: the last run read 100 row(s) of deals"]
        );
    }

    #[test]
    fn call_logs_must_reach_the_day_the_quota_judges() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let calls_end_before =
            |last, judged| super::calls_end_before(last, judged).map(|s| s.sentence());
        assert_eq!(calls_end_before(Some(d(26)), d(26)), None);
        assert_eq!(calls_end_before(Some(d(27)), d(26)), None);
        assert_eq!(
            calls_end_before(Some(d(25)), d(26)).as_deref(),
            Some(
                "the call logs end on 25.11.2026, before 26.11.2026, the day the call quota judges"
            )
        );
        assert_eq!(
            calls_end_before(None, d(26)).as_deref(),
            Some("the call logs hold no call, and the call quota judges 26.11.2026")
        );
    }

    #[test]
    fn growth_and_a_first_run_pass() {
        let tonight = rows(&[("deals", 200), ("calls", 10)]);
        assert!(dropped(&rows(&[("deals", 100)]), &tonight, 0.30).is_empty());
        assert!(dropped(&rows(&[]), &tonight, 0.30).is_empty());
    }
}

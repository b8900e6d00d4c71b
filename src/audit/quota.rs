//! Clause 2: each working day a manager makes at least the quota of
//! outgoing contacts: outgoing calls plus completed letter tasks. Judged for
//! the last `days` working days before the audit date, and only for days
//! the call log covers: a log exported before a day began says nothing of it.

use super::{Details, Entity, Sink};
use crate::model::{Dataset, ManagerId, UNASSIGNED};
use crate::rules::columns::EntityKind;
use crate::rules::{QuotaParams, RuleSet};
use crate::value::Direction;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{BTreeSet, HashMap};

pub(super) fn check(
    data: &Dataset,
    rules: &RuleSet,
    params: &QuotaParams,
    as_of: NaiveDateTime,
    sink: &mut Sink,
) {
    if !data.has_kind(EntityKind::Calls) {
        sink.not_checked("no call log among the inputs");
        return;
    }
    let Some((first, last)) = covered_dates(data) else {
        sink.not_checked("the call log has no calls");
        return;
    };
    let mut days = rules
        .calendar
        .working_days_before(as_of.date(), params.days);
    days.reverse();
    let (judged, outside): (Vec<NaiveDate>, Vec<NaiveDate>) =
        days.into_iter().partition(|d| (first..=last).contains(d));
    for day in outside {
        sink.not_checked(format!(
            "{} not judged: the call log covers {} to {}",
            day.format("%d.%m.%Y"),
            first.format("%d.%m.%Y"),
            last.format("%d.%m.%Y")
        ));
    }
    if judged.is_empty() {
        return;
    }
    let counts = count_contacts(data, params, &judged);
    for manager in managers(data) {
        let quota = params.quota_for(data.manager_name(manager));
        for &date in &judged {
            let (calls, letters) = counts.get(&(manager, date)).copied().unwrap_or((0, 0));
            let count = calls + letters;
            if count < quota {
                sink.violation(
                    manager,
                    Entity::ManagerDay(manager, date),
                    Details::Quota {
                        date,
                        count,
                        quota,
                        calls,
                        letters,
                    },
                );
            }
        }
    }
}

/// The first and last dates with a call.
fn covered_dates(data: &Dataset) -> Option<(NaiveDate, NaiveDate)> {
    let first = data.calls.iter().map(|c| c.time.date()).min()?;
    let last = data.calls.iter().map(|c| c.time.date()).max()?;
    Some((first, last))
}

/// Outgoing calls and letters per manager and judged day.
fn count_contacts(
    data: &Dataset,
    params: &QuotaParams,
    days: &[NaiveDate],
) -> HashMap<(ManagerId, NaiveDate), (u32, u32)> {
    let mut counts: HashMap<(ManagerId, NaiveDate), (u32, u32)> = HashMap::new();
    let counted_call = |answered: Option<bool>, duration: Option<u32>| {
        (!params.answered_only || answered == Some(true))
            && (params.min_duration_seconds == 0
                || duration.is_some_and(|d| d >= params.min_duration_seconds))
    };
    for call in &data.calls {
        let date = call.time.date();
        if call.direction == Direction::Outgoing
            && days.contains(&date)
            && counted_call(call.answered, call.duration)
        {
            counts.entry((call.manager, date)).or_default().0 += 1;
        }
    }
    for task in &data.tasks {
        let Some(done) = task.completed_at else {
            continue;
        };
        let date = done.date();
        if task.completed
            && params.letter_task_types.contains(&task.task_type)
            && days.contains(&date)
        {
            counts.entry((task.manager, date)).or_default().1 += 1;
        }
    }
    counts
}

/// Everyone named as responsible in the inputs, in order of first appearance.
fn managers(data: &Dataset) -> BTreeSet<ManagerId> {
    let unassigned = data.managers.get(UNASSIGNED);
    let named = data
        .deals
        .iter()
        .map(|d| d.manager)
        .chain(data.tasks.iter().map(|t| t.manager))
        .chain(data.calls.iter().map(|c| c.manager));
    named.filter(|m| Some(*m) != unassigned).collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::rules::RuleSet;
    use crate::value::Direction::{Incoming, Outgoing};

    #[test]
    fn calls_plus_letters_against_the_quota() {
        // Friday 27.11.2026, 02:00: the day judged is Thursday 26.11.
        let t = TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Соколова", |_| {})
            .tasks_file()
            .letter("Петров", "26.11.2026 12:00")
            .letter("Петров", "25.11.2026 12:00")
            .calls_file()
            .calls("Иванова", "26.11.2026 10:00", Outgoing, 40)
            .calls("Петров", "26.11.2026 10:00", Outgoing, 38)
            .calls("Петров", "26.11.2026 11:00", Incoming, 10)
            .calls("Петров", "25.11.2026 11:00", Outgoing, 10);
        assert_eq!(
            t.run("daily-call-quota", "27.11.2026 02:00"),
            // Sokolova (named in deals only): none at all; Petrov: 38 calls + 1 letter that day.
            vec![
                "day:Соколова/2026-11-26 Соколова 0/40",
                "day:Петров/2026-11-26 Петров 39/40"
            ]
        );
    }

    #[test]
    fn only_working_days_the_log_covers_are_judged() {
        let mut t = TestData::new()
            .calls_file()
            .calls("Иванова", "26.11.2026 10:00", Outgoing, 3)
            .calls("Иванова", "30.11.2026 10:00", Outgoing, 50);
        let text = crate::rules::BUILTIN_RULES.replacen("days = 1", "days = 3", 1);
        t = t.with_rules(RuleSet::from_text(&text, "x.toml").unwrap());
        // Tuesday 01.12: the three working days before are 30.11, 27.11, 26.11
        // (28 and 29 are a weekend); the log covers 26.11–30.11.
        assert_eq!(
            t.run("daily-call-quota", "01.12.2026 09:00"),
            vec![
                "day:Иванова/2026-11-26 Иванова 3/40",
                "day:Иванова/2026-11-27 Иванова 0/40"
            ]
        );
        // Monday 07.12: judged days 04.12, 03.12, 02.12 are all after the log ends.
        assert!(t.run("daily-call-quota", "07.12.2026 09:00").is_empty());
        assert_eq!(
            t.not_checked("daily-call-quota", "07.12.2026 09:00"),
            vec![
                "02.12.2026 not judged: the call log covers 26.11.2026 to 30.11.2026",
                "03.12.2026 not judged: the call log covers 26.11.2026 to 30.11.2026",
                "04.12.2026 not judged: the call log covers 26.11.2026 to 30.11.2026"
            ]
        );
    }

    #[test]
    fn a_holiday_is_not_judged() {
        // Thursday 05.11.2026: the day before, Wednesday 04.11, is a public
        // holiday, so the working day judged is Tuesday 03.11.
        let t = TestData::new()
            .calls_file()
            .calls("Иванова", "03.11.2026 10:00", Outgoing, 40)
            .calls("Иванова", "04.11.2026 10:00", Outgoing, 1);
        assert!(t.run("daily-call-quota", "05.11.2026 09:00").is_empty());
    }

    #[test]
    fn per_manager_quota_and_no_call_log() {
        let text = crate::rules::BUILTIN_RULES.replacen(
            "[rules.daily-call-quota.per-manager]\n",
            "[rules.daily-call-quota.per-manager]\n\"Иванова\" = 20\n",
            1,
        );
        let t = TestData::new()
            .with_rules(RuleSet::from_text(&text, "x.toml").unwrap())
            .calls_file()
            .calls("Иванова", "26.11.2026 10:00", Outgoing, 20)
            .calls("Петров", "26.11.2026 10:00", Outgoing, 20);
        assert_eq!(
            t.run("daily-call-quota", "27.11.2026 02:00"),
            vec!["day:Петров/2026-11-26 Петров 20/40"]
        );
        let none = TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |_| {});
        assert_eq!(
            none.not_checked("daily-call-quota", "27.11.2026 02:00"),
            vec!["no call log among the inputs"]
        );
    }
}

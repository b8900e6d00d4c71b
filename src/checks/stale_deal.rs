//! `stale-deal`, clause 3: a deal in work is kept current. A deal whose
//! card has not changed for more than `days` working days (the rule set's
//! calendar: weekends, holidays and transfers) is stale. Its last change is
//! the deal export's `Дата изменения` (amoCRM, Bitrix24; the older amoCRM
//! layout's `Дата редактирования`), the logical field `modified`, which a
//! pulled snapshot fills from the API's `updated_at` / `DATE_MODIFY`.
//!
//! A deal is stale when N + 1 working days lie wholly between the day of its
//! last change and the audit date: changed on Monday 23.11.2026, audited on
//! Friday 27.11 with `days = 2`, three working days passed without a change
//! (Tuesday to Thursday), more than two. A deal whose modification date is
//! empty is not judged and the report says so; one whose date cannot be
//! read is the unreadable-value rule's finding, never this rule's.

use super::generic::Walk;
use super::shared::{
    fill, records_in_work, say_which_calendars_are_estimated, stage_detail, within_the_calendar,
    STAGE,
};
use super::{Described, Kind, Param, Placeholder, Run, Shape};
use crate::audit::{Entity, FieldName, Reason, Sink, Value};
use crate::rules::columns::EntityKind;
use crate::rules::condition::Facts;
use crate::rules::fields::ValueKind;
use crate::rules::{Record, RuleSet};
use crate::value::parse_moment;
use chrono::NaiveDate;

/// A deal in work whose card has not changed for more than `days` working days.
#[derive(Debug, Clone)]
pub struct StaleDeal {
    pub days: u32,
    /// The catalog field `modified`, and the slot its text is kept in.
    pub field: usize,
    pub slot: usize,
}

/// `{modified}`: when the deal last changed, as the export writes it.
const MODIFIED: Placeholder = Placeholder::new("modified");
/// `{days}`: the rule's number of working days.
const DAYS: Placeholder = Placeholder::new("days");

/// The most working days a rule may allow (a working year and a half).
const MAX_DAYS: u32 = 366;

impl Kind for StaleDeal {
    const NAME: &'static str = "stale-deal";
    const PARAMS: &'static [Param] = &[Param::new("days", Shape::Count)];
    const PLACEHOLDERS: &'static [Placeholder] = &[STAGE, MODIFIED, DAYS];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        let days = cx.needs(cx.count("days"), "days")?;
        let n = *days.get_ref();
        if !(1..=MAX_DAYS).contains(&n) {
            return Err(cx.error(
                Some(days.span()),
                format!("{n} days: a deal is stale after 1 to {MAX_DAYS} working days"),
            ));
        }
        let modified = toml::Spanned::new(days.span(), "modified".to_string());
        let field = cx.typed_field(Record::Deal, &modified, ValueKind::Moment)?;
        Ok(StaleDeal {
            days: n,
            field,
            slot: cx.slot(Record::Deal, field),
        })
    }

    fn describe(&self, _: &RuleSet, out: &mut Described) {
        let text = format!("{} working day(s) without a change of the deal", self.days);
        out.push(("days".into(), text));
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        let walk = Walk::new(cx.data, cx.rules, Record::Deal);
        if let Some(before) = self.changed_before(cx, sink) {
            self.judge(&walk, cx, before, sink);
        }
        walk.finish(&[self.field], sink);
    }
}

impl StaleDeal {
    /// The day a deal must have changed on or after not to be stale: the
    /// (N + 1)-th working day before the audit date. `None` where the
    /// calendar cannot count those days (said not checked).
    fn changed_before(&self, cx: &Run, sink: &mut Sink) -> Option<NaiveDate> {
        let today = cx.as_of.date();
        let window = cx.rules.calendar.working_days_before(today, self.days + 1);
        if window.len() < self.days as usize + 1 {
            sink.not_checked(Reason::NoCalendar(today));
            return None;
        }
        let counted = within_the_calendar(cx.rules, window.clone(), sink);
        if counted.len() < window.len() {
            return None;
        }
        say_which_calendars_are_estimated(cx.rules, &counted, sink);
        window.last().copied()
    }

    fn judge(&self, walk: &Walk, cx: &Run, before: NaiveDate, sink: &mut Sink) {
        let mut empty = 0;
        for (i, deal) in records_in_work(cx.data, false) {
            // A file without the column: `finish` says it is not checked.
            let facts = walk.facts(i);
            let Some(text) = facts.value(self.slot) else {
                continue;
            };
            if text.is_empty() {
                empty += 1;
                continue;
            }
            // Not a date: the deal's unreadable-value finding.
            let Ok(modified) = parse_moment(text, cx.rules.time_zone) else {
                continue;
            };
            if modified.start().date() < before {
                let details = vec![
                    stage_detail(cx.data, deal),
                    fill(MODIFIED, Value::Moment(modified)),
                    fill(DAYS, Value::Int(i64::from(self.days))),
                ];
                sink.violation(deal.manager, Entity::Deal(i), details);
            }
        }
        // The column as the deal exports name it (the first one that
        // has it), so each language shows the header a person knows.
        let file = cx.data.files_of(EntityKind::Deals).next();
        if let (true, Some(file)) = (empty > 0, file) {
            sink.not_checked(Reason::EmptyValue {
                records: empty,
                field: FieldName::of(cx.data, walk.catalog, self.field, file),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;

    /// Deals in work changed on the days of the week before Friday
    /// 27.11.2026 (Monday 23.11 to Thursday 26.11 are working days; 21 and
    /// 22.11 a weekend), audited at 02:00 that Friday, by a rule of 2 days.
    fn deals() -> TestData {
        TestData::with_company_rules("[rules.stale-deal]\nenabled = true\ndays = 2\n")
            .deals_file(&["modified"])
            .deal("1", "Счет", "Иванова", |d| d.values = vec![("modified", "23.11.2026 18:00")])
            .deal("2", "Счет", "Иванова", |d| d.values = vec![("modified", "24.11.2026 09:00")])
            .deal("3", "Квалификация", "Петров", |d| d.values = vec![("modified", "20.11.2026")])
            .deal("4", "Успешно реализовано", "Петров", |d| {
                d.values = vec![("modified", "01.10.2026")]
            })
            .deal("5", "Счет", "Петров", |d| d.values = vec![("modified", "")])
    }

    #[test]
    fn more_than_n_working_days_without_a_change() {
        // Deal 1: Tue, Wed, Thu passed unchanged, 3 > 2. Deal 2: Wed and
        // Thu, 2, not more. Deal 3: changed on a Friday, the weekend does
        // not count, Mon to Thu: 4. Deal 4 is won; deal 5 has no date.
        assert_eq!(
            deals().run("stale-deal", "27.11.2026 02:00"),
            vec![
                "deal:1 Иванова stage=Счет modified=23.11.2026 18:00 days=2",
                "deal:3 Петров stage=Квалификация modified=20.11.2026 days=2",
            ]
        );
        assert_eq!(
            deals().not_checked("stale-deal", "27.11.2026 02:00"),
            vec!["1 record(s) not judged: «modified» is empty"]
        );
    }

    #[test]
    fn holidays_are_no_working_days() {
        // 4.11.2026 (Unity Day) is a holiday: changed on Tuesday 3.11,
        // audited on Monday 9.11 with 2 days, the working days between are
        // Thursday 5 and Friday 6 (Saturday 7.11 is no transferred working
        // day in 2026): 2, not more.
        let t = TestData::with_company_rules("[rules.stale-deal]\nenabled = true\ndays = 2\n")
            .deals_file(&["modified"])
            .deal("1", "Счет", "Иванова", |d| d.values = vec![("modified", "03.11.2026 12:00")]);
        assert!(t.run("stale-deal", "09.11.2026 02:00").is_empty());
        assert_eq!(
            t.run("stale-deal", "10.11.2026 02:00"),
            vec!["deal:1 Иванова stage=Счет modified=03.11.2026 12:00 days=2"]
        );
    }

    #[test]
    fn without_the_column_nothing_is_blamed() {
        let t = TestData::with_company_rules("[rules.stale-deal]\nenabled = true\ndays = 2\n")
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |_| {});
        assert!(t.run("stale-deal", "27.11.2026 02:00").is_empty());
        assert_eq!(
            t.not_checked("stale-deal", "27.11.2026 02:00"),
            vec!["deals.csv: no column for «modified»"]
        );
    }

    #[test]
    fn off_by_default_and_its_days_are_checked() {
        assert!(crate::rules::RuleSet::builtin().rule("stale-deal").is_none());
        let e = crate::rules::RuleSet::from_text(
            "extends = \"builtin\"\n[rules.stale-deal]\ndays = 0\n",
            "company.toml",
        )
        .unwrap_err();
        assert_eq!(e.message, "0 days: a deal is stale after 1 to 366 working days");
        assert_eq!((e.line, e.column), (3, 8));
    }
}

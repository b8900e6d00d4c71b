//! The working calendar: which dates are working days. Quota rules count
//! working days only; a holiday or a weekend is never judged.
//!
//! The rule set lists holidays and transferred working days by the years
//! their government decree is known for. A year without one is estimated
//! from the Labour Code (`labour_code`), or left unjudged, as the rule set
//! says: the calendar answers for any date, and says whether it knows.

use super::labour_code;
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// What the daily rules do with a day of a year the rule set has no
/// decree for (`beyond-calendar` in `[calendar]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BeyondCalendar {
    /// Judge it by the Labour Code's holidays and moves, and say so.
    #[default]
    LabourCode,
    /// Do not judge it; say why.
    NotChecked,
}

/// Weekends, public holidays and transferred working days, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    weekends: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
    working_days: BTreeSet<NaiveDate>,
    /// Years whose holidays and transfers the rule set lists.
    known_years: BTreeSet<i32>,
    beyond: BeyondCalendar,
}

impl Calendar {
    /// A calendar that knows the years its lists name a day of.
    pub fn new(
        weekends: &[Weekday],
        holidays: BTreeSet<NaiveDate>,
        working_days: BTreeSet<NaiveDate>,
    ) -> Self {
        let mut flags = [false; 7];
        for day in weekends {
            flags[day.num_days_from_monday() as usize] = true;
        }
        let known_years = holidays
            .iter()
            .chain(&working_days)
            .map(|d| d.year())
            .collect();
        Calendar {
            weekends: flags,
            holidays,
            working_days,
            known_years,
            beyond: BeyondCalendar::default(),
        }
    }

    /// The same calendar, knowing these years too (a decreed year may have
    /// no transfer at all, and a list then names none of its days).
    pub fn knowing(mut self, years: impl IntoIterator<Item = i32>) -> Self {
        self.known_years.extend(years);
        self
    }

    /// The same calendar, treating unknown years as `beyond` says.
    pub fn beyond(mut self, beyond: BeyondCalendar) -> Self {
        self.beyond = beyond;
        self
    }

    /// Whether the rule set lists `year`'s holidays and transfers.
    pub fn knows(&self, year: i32) -> bool {
        self.known_years.contains(&year)
    }

    /// What to do with a day of a year the calendar does not know.
    pub fn beyond_calendar(&self) -> BeyondCalendar {
        self.beyond
    }

    /// Whether `date` is a working day: a transferred working day always
    /// is; otherwise neither a weekend nor a holiday. In a year the rule
    /// set has no decree for, the Labour Code's holidays and moves.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.working_days.contains(&date) {
            return true;
        }
        if self.is_weekend(date) {
            return false;
        }
        if self.knows(date.year()) {
            !self.holidays.contains(&date)
        } else {
            !labour_code::days_off(date.year(), |d| self.is_weekend(d)).contains(&date)
        }
    }

    fn is_weekend(&self, date: NaiveDate) -> bool {
        self.weekends[date.weekday().num_days_from_monday() as usize]
    }

    /// The `count` working days strictly before `date`, latest first.
    pub fn working_days_before(&self, date: NaiveDate, count: u32) -> Vec<NaiveDate> {
        let mut days = Vec::with_capacity(count as usize);
        let mut day = date;
        // A calendar with every day off would loop forever; a year without a
        // working day is no calendar.
        for _ in 0..(366 * 2) {
            if days.len() as u32 >= count {
                break;
            }
            match day.pred_opt() {
                Some(previous) => day = previous,
                None => break,
            }
            if self.is_working_day(day) {
                days.push(day);
            }
        }
        days
    }
}

impl Calendar {
    /// The `count` working days strictly after `date`, earliest first.
    pub fn working_days_after(&self, date: NaiveDate, count: u32) -> Vec<NaiveDate> {
        let mut days = Vec::with_capacity(count as usize);
        let mut day = date;
        for _ in 0..(366 * 2) {
            if days.len() as u32 >= count {
                break;
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
            if self.is_working_day(day) {
                days.push(day);
            }
        }
        days
    }
}

/// Parses `mon`…`sun` (or the full English name) into a weekday.
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    match text.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" => Some(Weekday::Mon),
        "tue" | "tuesday" => Some(Weekday::Tue),
        "wed" | "wednesday" => Some(Weekday::Wed),
        "thu" | "thursday" => Some(Weekday::Thu),
        "fri" | "friday" => Some(Weekday::Fri),
        "sat" | "saturday" => Some(Weekday::Sat),
        "sun" | "sunday" => Some(Weekday::Sun),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn calendar() -> Calendar {
        Calendar::new(
            &[Weekday::Sat, Weekday::Sun],
            [d(2026, 11, 4)].into_iter().collect(),
            [d(2026, 11, 7)].into_iter().collect(),
        )
    }

    #[test]
    fn weekends_holidays_and_transfers() {
        let c = calendar();
        assert!(c.is_working_day(d(2026, 11, 3)));
        assert!(!c.is_working_day(d(2026, 11, 4)), "holiday");
        assert!(c.is_working_day(d(2026, 11, 7)), "transferred Saturday");
        assert!(!c.is_working_day(d(2026, 11, 8)), "Sunday");
    }

    #[test]
    fn working_days_before_skips_days_off() {
        let c = calendar();
        // Monday 9.11: before it Sat 7.11 (working), Fri 6.11, Thu 5.11, then 4.11 is off.
        assert_eq!(
            c.working_days_before(d(2026, 11, 9), 4),
            vec![
                d(2026, 11, 7),
                d(2026, 11, 6),
                d(2026, 11, 5),
                d(2026, 11, 3)
            ]
        );
        assert!(c.working_days_before(d(2026, 11, 9), 0).is_empty());
    }

    #[test]
    fn working_days_after_skips_days_off() {
        let c = calendar();
        // After Tuesday 3.11: 4.11 is a holiday, then 5, 6, 7 (transferred Saturday), 9.
        assert_eq!(
            c.working_days_after(d(2026, 11, 3), 4),
            vec![
                d(2026, 11, 5),
                d(2026, 11, 6),
                d(2026, 11, 7),
                d(2026, 11, 9)
            ]
        );
    }

    #[test]
    fn a_calendar_without_working_days_does_not_hang() {
        use Weekday::*;
        let c = Calendar::new(
            &[Mon, Tue, Wed, Thu, Fri, Sat, Sun],
            BTreeSet::new(),
            BTreeSet::new(),
        );
        assert!(c.working_days_before(d(2026, 11, 9), 1).is_empty());
    }

    #[test]
    fn a_year_without_a_decree_is_estimated_from_the_labour_code() {
        let c = calendar();
        assert!(c.knows(2026));
        assert!(!c.knows(2027));
        // 2027: 8 March is a Monday, a holiday by law; 1 May a Saturday,
        // moved by law to Monday 3 May; 4 May an ordinary Tuesday.
        assert!(!c.is_working_day(d(2027, 3, 8)));
        assert!(!c.is_working_day(d(2027, 5, 3)));
        assert!(c.is_working_day(d(2027, 5, 4)));
        // Known years keep their own lists: 8 March 2026 (a Sunday) moved
        // to 9 March only where the list says so, and this one does not.
        assert!(c.is_working_day(d(2026, 3, 9)));
    }

    #[test]
    fn a_decreed_year_without_listed_days_is_known() {
        let c = Calendar::new(
            &[Weekday::Sat, Weekday::Sun],
            BTreeSet::new(),
            BTreeSet::new(),
        )
        .knowing([2027]);
        assert!(c.knows(2027));
        assert!(
            c.is_working_day(d(2027, 3, 8)),
            "the (odd) rule set lists no holiday"
        );
    }

    #[test]
    fn weekday_names() {
        assert_eq!(parse_weekday("Sat"), Some(Weekday::Sat));
        assert_eq!(parse_weekday("sunday"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("сб"), None);
    }
}

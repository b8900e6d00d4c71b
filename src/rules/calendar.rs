//! The working calendar: which dates are working days. Quota rules count
//! working days only; a holiday or a weekend is never judged.

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// Weekends, public holidays and transferred working days, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    weekends: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
    working_days: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn new(
        weekends: &[Weekday],
        holidays: BTreeSet<NaiveDate>,
        working_days: BTreeSet<NaiveDate>,
    ) -> Self {
        let mut flags = [false; 7];
        for day in weekends {
            flags[day.num_days_from_monday() as usize] = true;
        }
        Calendar {
            weekends: flags,
            holidays,
            working_days,
        }
    }

    /// Whether `date` is a working day: a transferred working day always
    /// is; otherwise neither a weekend nor a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.working_days.contains(&date) {
            return true;
        }
        !self.weekends[date.weekday().num_days_from_monday() as usize]
            && !self.holidays.contains(&date)
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
    fn weekday_names() {
        assert_eq!(parse_weekday("Sat"), Some(Weekday::Sat));
        assert_eq!(parse_weekday("sunday"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("сб"), None);
    }
}

//! The days off the law fixes for every year, for a year the rule set has
//! no government decree for: the non-working public holidays of Labour Code
//! article 112 (1–6 and 8 January, the New Year holidays; 7 January;
//! 23 February; 8 March; 1 and 9 May; 12 June; 4 November), and the move of
//! a holiday that falls on a weekend to the next working day, except the
//! January ones (the government moves those by its yearly decree, and only
//! the decree can say where). An estimate: the decree may move days
//! differently, so a report judged by it says so.

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

/// The holidays of article 112, as (month, day).
const HOLIDAYS: [(u32, u32); 14] = [
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
];

/// The days off of `year` besides the weekends: the holidays, and for each
/// holiday on a weekend outside January the next working day after it.
pub fn days_off(year: i32, is_weekend: impl Fn(NaiveDate) -> bool) -> BTreeSet<NaiveDate> {
    let holidays: BTreeSet<NaiveDate> = HOLIDAYS
        .iter()
        .filter_map(|&(month, day)| NaiveDate::from_ymd_opt(year, month, day))
        .collect();
    let mut off = holidays.clone();
    for holiday in &holidays {
        if holiday.month() == 1 || !is_weekend(*holiday) {
            continue;
        }
        let mut day = *holiday;
        while let Some(next) = day.succ_opt() {
            day = next;
            if !is_weekend(day) && !off.contains(&day) {
                off.insert(day);
                break;
            }
        }
    }
    off
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn saturday_or_sunday(date: NaiveDate) -> bool {
        matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }

    #[test]
    fn holidays_on_a_weekend_move_to_the_next_working_day() {
        // 2027: 1 May is a Saturday and 9 May a Sunday; the law moves them
        // to Monday 3 May and Monday 10 May. 12 June is a Saturday: Monday
        // 14 June. 23 February (Tuesday), 8 March (Monday) and 4 November
        // (Thursday) stay as they are.
        let off = days_off(2027, saturday_or_sunday);
        for day in [
            d(2027, 2, 23),
            d(2027, 3, 8),
            d(2027, 5, 3),
            d(2027, 5, 10),
            d(2027, 6, 14),
            d(2027, 11, 4),
        ] {
            assert!(off.contains(&day), "{day} is off");
        }
        assert!(!off.contains(&d(2027, 5, 4)));
        assert!(!off.contains(&d(2027, 11, 5)));
    }

    #[test]
    fn january_holidays_on_a_weekend_do_not_move() {
        // 2027: 2 and 3 January are Saturday and Sunday; only a decree can
        // move them, so no other day of the year is taken off for them.
        let off = days_off(2027, saturday_or_sunday);
        assert_eq!(off.len(), 8 + 6 + 3, "the 14 holidays and 3 moved days");
        assert!(!off.contains(&d(2027, 1, 11)));
    }

    #[test]
    fn a_sunday_holiday_moves_to_monday() {
        // 2022 (as its real calendar has it, besides the decree's moves):
        // 1 May and 12 June are Sundays, so Mondays 2 May and 13 June are
        // off; 9 May is a Monday and moves nothing.
        let off = days_off(2022, saturday_or_sunday);
        assert!(off.contains(&d(2022, 5, 2)));
        assert!(off.contains(&d(2022, 6, 13)));
        assert!(!off.contains(&d(2022, 5, 10)));
    }
}

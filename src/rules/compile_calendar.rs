//! `[calendar]` → `Calendar`: weekends, each decreed year's holidays and
//! transfers (`[calendar.years.YYYY]`), the flat `holidays` and
//! `working-days` lists of older rule files, and what to do beyond the
//! years the rule set knows. A date in the wrong year's table, a year that
//! is not one, or an unknown `beyond-calendar` is a mistake located in the
//! rule file.

use super::calendar::{parse_weekday, BeyondCalendar, Calendar};
use super::compile::{parse_date, Result};
use super::location::SourceMap;
use super::raw::{RawRuleSet, Text};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

pub(super) fn calendar(src: &SourceMap, raw: &RawRuleSet) -> Result<Calendar> {
    let cal = raw.calendar.as_ref();
    let weekends = weekends(src, cal.and_then(|c| c.weekends.as_ref()))?;
    let dates = |list: Option<&Vec<Text>>| -> Result<BTreeSet<NaiveDate>> {
        list.into_iter()
            .flatten()
            .map(|d| parse_date(src, d))
            .collect()
    };
    let flat_holidays = dates(cal.and_then(|c| c.holidays.as_ref()))?;
    let flat_working = dates(cal.and_then(|c| c.working_days.as_ref()))?;
    let mut holidays = flat_holidays.clone();
    let mut working_days = flat_working.clone();
    let mut years = BTreeSet::new();
    for (key, table) in cal.and_then(|c| c.years.as_ref()).into_iter().flatten() {
        let year = parse_year(src, key)?;
        years.insert(year);
        let in_year = |list: Option<&Vec<Text>>| -> Result<BTreeSet<NaiveDate>> {
            let mut days = BTreeSet::new();
            for text in list.into_iter().flatten() {
                let day = parse_date(src, text)?;
                if day.year() != year {
                    return Err(src.error(
                        Some(text.span()),
                        format!(
                            "`{}` is not in {year}; list it under [calendar.years.{}]",
                            text.get_ref(),
                            day.year()
                        ),
                    ));
                }
                days.insert(day);
            }
            Ok(days)
        };
        // A year without its holidays would make every holiday of it a
        // working day, worse than the Labour Code's estimate.
        let Some(listed) = table.holidays.as_ref() else {
            return Err(src.error(
                Some(key.span()),
                format!(
                    "[calendar.years.{}] needs `holidays`: the decree's non-working weekdays",
                    key.get_ref()
                ),
            ));
        };
        let year_holidays = in_year(Some(listed))?;
        let year_working = in_year(table.working_days.as_ref())?;
        // A flat list that names a day of this year is that year's list.
        if !flat_holidays.iter().any(|d| d.year() == year) {
            holidays.extend(year_holidays);
        }
        if !flat_working.iter().any(|d| d.year() == year) {
            working_days.extend(year_working);
        }
    }
    let beyond = beyond(src, cal.and_then(|c| c.beyond_calendar.as_ref()))?;
    Ok(Calendar::new(&weekends, holidays, working_days)
        .knowing(years)
        .beyond(beyond))
}

/// The days of the week off (Saturday and Sunday unless the rule set says).
fn weekends(src: &SourceMap, list: Option<&Vec<Text>>) -> Result<Vec<Weekday>> {
    Ok(match list {
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
    })
}

/// What the daily rules do with a day of a year with no decree.
fn beyond(src: &SourceMap, text: Option<&Text>) -> Result<BeyondCalendar> {
    Ok(match text {
        None => BeyondCalendar::LabourCode,
        Some(text) => match text.get_ref().trim() {
            "labour-code" => BeyondCalendar::LabourCode,
            "not-checked" => BeyondCalendar::NotChecked,
            other => {
                let message = format!(
                    "`{other}` is not a value of beyond-calendar; use labour-code or not-checked"
                );
                return Err(src.error(Some(text.span()), message));
            }
        },
    })
}

fn parse_year(src: &SourceMap, key: &Text) -> Result<i32> {
    key.get_ref()
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1900..=2999).contains(y))
        .ok_or_else(|| {
            src.error(
                Some(key.span()),
                format!(
                    "`{}` is not a year; write the table as [calendar.years.2026]",
                    key.get_ref()
                ),
            )
        })
}

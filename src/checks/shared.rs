//! What several kinds share: the deals in work, the files that have a
//! column, a deal's stage as a detail.

use crate::audit::details::{detail, Detail, Value};
use crate::audit::{Column, Note, Reason, Sink};
use crate::model::Dataset;
use crate::rules::calendar::BeyondCalendar;
use crate::rules::template::Placeholder;
use crate::rules::RuleSet;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

/// `{stage}`: the deal's stage as the export writes it.
pub(crate) const STAGE: Placeholder = Placeholder::new("stage");

/// The detail that fills `placeholder`.
pub(crate) fn fill(placeholder: Placeholder, value: Value) -> Detail {
    detail(placeholder.key, value)
}

/// Deals in work (not leads), with their index.
pub(crate) fn deals_in_work(data: &Dataset) -> impl Iterator<Item = (usize, &crate::model::Deal)> {
    records_in_work(data, false)
}

/// Deals in work, and leads in work where `leads`, with their index.
pub(crate) fn records_in_work(
    data: &Dataset,
    leads: bool,
) -> impl Iterator<Item = (usize, &crate::model::Deal)> {
    data.deals
        .iter()
        .enumerate()
        .filter(move |(_, d)| (leads || !data.is_lead(d)) && data.stage(d).matched.in_work())
}

/// The deal exports, and the lead exports where `leads`.
pub(crate) fn record_files(
    data: &Dataset,
    leads: bool,
) -> impl Iterator<Item = &crate::model::InputFile> {
    use crate::rules::columns::EntityKind;
    data.files
        .iter()
        .filter(move |f| f.kind == EntityKind::Deals || (leads && f.kind == EntityKind::Leads))
}

/// Records "not checked" for every deal file that lacks `field`, and says
/// whether any deal file has it. `what` names the missing column.
pub(crate) fn deal_files_with(data: &Dataset, field: usize, what: Column, sink: &mut Sink) -> bool {
    record_files_with(data, false, field, what, sink)
}

/// `deal_files_with` over the lead exports too, where `leads`.
pub(crate) fn record_files_with(
    data: &Dataset,
    leads: bool,
    field: usize,
    what: Column,
    sink: &mut Sink,
) -> bool {
    if !data.has_kind(crate::rules::columns::EntityKind::Deals) {
        sink.not_checked(Reason::NoDealExport);
    }
    if record_files(data, leads).next().is_none() {
        return false;
    }
    let mut any = false;
    for file in record_files(data, leads) {
        if file.has(field) {
            any = true;
        } else {
            sink.not_checked(Reason::NoColumn {
                file: file.path.clone(),
                column: what,
            });
        }
    }
    any
}

/// The stage of a deal as a detail.
pub(crate) fn stage_detail(data: &Dataset, deal: &crate::model::Deal) -> Detail {
    let text = &data.stage(deal).text;
    fill(
        STAGE,
        if text.is_empty() {
            Value::Blank
        } else {
            Value::Text(text.to_string())
        },
    )
}

/// The days of `days` the rule set's calendar can judge: all of them,
/// unless the rule set says a day of a year with no decree is `not-checked`
/// (each such day is said not checked).
pub(crate) fn within_the_calendar(
    rules: &RuleSet,
    days: Vec<NaiveDate>,
    sink: &mut Sink,
) -> Vec<NaiveDate> {
    let calendar = &rules.calendar;
    if calendar.beyond_calendar() == BeyondCalendar::LabourCode {
        return days;
    }
    let (known, beyond): (Vec<NaiveDate>, Vec<NaiveDate>) =
        days.into_iter().partition(|d| calendar.knows(d.year()));
    for day in beyond {
        sink.not_checked(Reason::NoCalendar(day));
    }
    known
}

/// Days judged in a year with no decree were told from the Labour Code's
/// estimate of its calendar: the report says so.
pub(crate) fn say_which_calendars_are_estimated(
    rules: &RuleSet,
    judged: &[NaiveDate],
    sink: &mut Sink,
) {
    let years: BTreeSet<i32> = judged
        .iter()
        .map(|d| d.year())
        .filter(|&y| !rules.calendar.knows(y))
        .collect();
    for year in years {
        sink.note(Note::CalendarEstimated(year));
    }
}

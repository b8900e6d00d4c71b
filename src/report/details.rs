//! A violation's specifics in the report: the named values its check
//! gives (`audit::details`), in the check's order. The JSON report writes
//! them as the `details` object; the other formats read the few they show
//! in their own way (a due moment or a day as a date) through the methods
//! here, so no format depends on which rule produced them.

use crate::audit::{Detail, Value};
use crate::value::Moment;
use chrono::{NaiveDateTime, NaiveTime};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The specifics of one violation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetailsReport(pub Vec<Detail>);

impl Serialize for DetailsReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for detail in &self.0 {
            map.serialize_entry(detail.key, &detail.value.to_json())?;
        }
        map.end()
    }
}

impl DetailsReport {
    /// The value named `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|d| d.key == key).map(|d| &d.value)
    }

    /// The moment or day the violation is about, for a date cell: a task's
    /// due moment, else the day or moment a check names `date`.
    /// `(moment, has_time)`.
    pub fn when(&self) -> Option<(NaiveDateTime, bool)> {
        let value = self.get("due").or_else(|| self.get("date"))?;
        match value {
            Value::Moment(Moment::At(t)) => Some((*t, true)),
            Value::Moment(Moment::Day(d)) | Value::Date(d) => {
                Some((d.and_time(NaiveTime::MIN), false))
            }
            _ => None,
        }
    }

    /// Every piece of free text, for masking.
    pub fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        self.0.iter_mut().flat_map(|d| match &mut d.value {
            Value::Text(t) => std::slice::from_mut(t).iter_mut(),
            Value::List(items) => items.iter_mut(),
            _ => [].iter_mut(),
        })
    }

    /// The specifics as one line of compact JSON (`{"due":"…","late_minutes":…}`).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::details::detail;
    use chrono::NaiveDate;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn serialised_in_the_checks_order() {
        let details = DetailsReport(vec![
            detail("due", Value::Moment(Moment::Day(day()))),
            detail("late_minutes", Value::Minutes(120)),
            detail("missing_fields", Value::List(vec!["Вентили".into()])),
        ]);
        assert_eq!(
            details.to_json_line(),
            r#"{"due":"26.11.2026","late_minutes":120,"missing_fields":["Вентили"]}"#
        );
        assert_eq!(DetailsReport::default().to_json_line(), "{}");
    }

    #[test]
    fn due_moments_and_days_are_dates() {
        let at = day().and_hms_opt(14, 30, 0).unwrap();
        let due = DetailsReport(vec![detail("due", Value::Moment(Moment::At(at)))]);
        assert_eq!(due.when(), Some((at, true)));
        let quota = DetailsReport(vec![detail("date", Value::Date(day()))]);
        assert_eq!(quota.when(), Some((day().and_time(NaiveTime::MIN), false)));
        assert_eq!(DetailsReport::default().when(), None);
    }

    #[test]
    fn texts_can_be_rewritten() {
        let mut details = DetailsReport(vec![
            detail("phones", Value::Text("нет".into())),
            detail("count", Value::Int(3)),
            detail("missing", Value::List(vec!["a".into(), "b".into()])),
        ]);
        details.texts_mut().for_each(|t| t.push('!'));
        assert_eq!(
            details.to_json_line(),
            r#"{"phones":"нет!","count":3,"missing":["a!","b!"]}"#
        );
    }
}

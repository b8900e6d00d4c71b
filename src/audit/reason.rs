//! Why a part of a rule was not checked, and what a reader should know of
//! how the audit judged, as data: the audit picks no language. Each value
//! is put into words, in the report's language, by `report::reason`.

use crate::model::NoCaller;
use crate::rules::columns::{EntityKind, ReviewField};
use chrono::NaiveDate;

/// A column a check needs, named in a "not checked" reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    Phone,
    RefusalReason,
    Result,
    CompletionDate,
    /// A deal export with no `Ближайшая задача`, where no task list is read.
    NearestTask,
}

/// What a ratio lacks in one deal export.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RatioGap {
    /// Neither column: numerator, denominator.
    Both(String, String),
    /// The denominator's column.
    Denominator(String),
    /// The numerator's column, where the denominator is required by a
    /// condition: numerator, denominator.
    NumeratorWhereRequired(String, String),
    /// The numerator's column.
    Numerator(String),
}

/// Why a part of a rule was not checked. Column names written `«…»` are
/// the catalog's, as the exports write them; counts are of records.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    NoDealExport,
    NoTasksFile,
    NoCallLog,
    NoReviewSheet,
    /// No file of a kind a generic check reads.
    NoFileOf(EntityKind),
    /// The call log has no call at all.
    NoCalls,
    NoColumn {
        file: String,
        column: Column,
    },
    /// Columns of the catalog, each written `«…»`.
    NoColumnFor {
        file: String,
        columns: Vec<String>,
    },
    NoReviewColumn {
        file: String,
        columns: Vec<ReviewField>,
    },
    Ratio {
        file: String,
        gap: RatioGap,
    },
    /// Records whose condition reads fields (`«…»`) their file lacks.
    ConditionUnknown {
        records: usize,
        fields: String,
    },
    UnknownStage(usize),
    /// Records a rule reads a value of (`«…»`) that is empty there.
    EmptyValue {
        records: usize,
        field: String,
    },
    /// A lead export no task list can link tasks to.
    NoLeadLink {
        file: String,
    },
    /// A task list with no deal column.
    NoDealColumn {
        file: String,
    },
    DealsTaskUnreadable(usize),
    DealsTitleShared(usize),
    FailedUndated(usize),
    FailedUnsure(usize),
    FailedUnknownDeal(usize),
    LetterUnreadable(usize),
    CallTimeUnreadable(usize),
    CallValueUnreadable {
        day: NaiveDate,
        managers: usize,
    },
    /// No task list: the quota is judged on calls alone.
    LettersNotCounted,
    /// A task list without the type or completion date.
    LettersNotCountedIn {
        file: String,
    },
    NoCalendar(NaiveDate),
    OutsideLog {
        day: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    },
    UnknownCallers {
        day: NaiveDate,
        calls: usize,
        why: NoCaller,
        callers: Vec<String>,
    },
}

/// What a reader should know about how the audit judged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Note {
    /// The year's production calendar was estimated from the Labour Code.
    CalendarEstimated(i32),
}

//! Why a part of a rule was not checked, and what a reader should know of
//! how the audit judged, as data: the audit picks no language. Each value
//! is put into words, in the report's language, by `report::reason`;
//! a `FieldName` says itself, since messages (`audit::details`) name an
//! empty field too.

use crate::model::{Dataset, InputFile, NoCaller};
use crate::rules::columns::{EntityKind, ReviewField};
use crate::rules::fields::{FieldCatalog, FieldSource};
use chrono::NaiveDate;

/// A field of the rule set's catalog named in a reason: as the rule file
/// names it, and as the exports do, so each language can show the column
/// as a person knows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldName {
    /// As the rule file writes it: a logical field's key (`budget`) or a
    /// column header (`Оплачено`).
    pub key: String,
    /// The logical field it is, by kind and index of `field_specs`.
    pub logical: Option<(EntityKind, usize)>,
    /// The header that carries it in `file`, else in another export of
    /// that kind, when one does.
    pub found: Option<String>,
}

impl FieldName {
    /// Field `field` of `catalog`, for a reason about `file`.
    pub fn of(data: &Dataset, catalog: &FieldCatalog, field: usize, file: &InputFile) -> Self {
        let key = catalog.name(field).to_string();
        let logical = match catalog.fields[field].source {
            FieldSource::Logical(index) => Some((file.kind, index)),
            FieldSource::Header(_) => None,
        };
        let header_in = |f: &InputFile| {
            f.mapping
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, headers)| headers.first().cloned())
        };
        let found = header_in(file).or_else(|| data.files_of(file.kind).find_map(header_in));
        FieldName {
            key,
            logical,
            found,
        }
    }
    /// As the English reasons have always named it: the rule file's word
    /// for it (`«budget»`, `«Оплачено»`).
    pub fn english(&self) -> String {
        format!("«{}»", self.key)
    }

    /// As a Russian reader knows it: a header as the rule file writes it;
    /// a logical field (`budget`) as an export read carries it (`Сумма`),
    /// else by its Russian name.
    pub fn russian(&self) -> String {
        let name = match (&self.logical, &self.found) {
            (None, _) => self.key.as_str(),
            (Some(_), Some(found)) => found.as_str(),
            (Some((kind, index)), None) => russian_name(*kind, *index).unwrap_or(&self.key),
        };
        format!("«{name}»")
    }
}

/// The Russian name of a logical field of the catalog's kinds.
fn russian_name(kind: EntityKind, index: usize) -> Option<&'static str> {
    use crate::rules::columns::{DealField, TaskField};
    match kind {
        EntityKind::Deals | EntityKind::Leads => DealField::ALL.get(index).map(|f| f.russian()),
        EntityKind::Tasks => TaskField::ALL.get(index).map(|f| f.russian()),
        _ => None,
    }
}

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
    Both(FieldName, FieldName),
    /// The denominator's column.
    Denominator(FieldName),
    /// The numerator's column, where the denominator is required by a
    /// condition: numerator, denominator.
    NumeratorWhereRequired(FieldName, FieldName),
    /// The numerator's column.
    Numerator(FieldName),
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
    /// Columns of the catalog.
    NoColumnFor {
        file: String,
        columns: Vec<FieldName>,
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
        field: FieldName,
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
    /// A day of the quota whose managers' known calls fall short, but whose
    /// other outgoing calls have no status or duration to tell whether they
    /// count: for so many managers.
    CallOutcomeUnknown {
        day: NaiveDate,
        managers: usize,
    },
    /// A working day inside the call log's span with no call at all in it
    /// (a daily file missing, an outage): no one's quota is judged.
    NoCallThatDay(NaiveDate),
    /// People named only by closed deals or done tasks, with no call in the
    /// days judged and in no roster: not judged for the quota.
    Idle(Vec<String>),
}

impl Reason {
    /// The managers a reason alone concerns (the rest were checked in
    /// full); empty when it concerns everyone.
    pub fn only_for(&self) -> &[String] {
        match self {
            Reason::Idle(names) => names,
            _ => &[],
        }
    }
}

/// What a reader should know about how the audit judged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Note {
    /// The year's production calendar was estimated from the Labour Code.
    CalendarEstimated(i32),
    /// A rule's `per-manager` setting names no manager of the inputs (its
    /// default applies to everyone); the closest manager's name, or the
    /// managers it fits, if any.
    PerManagerUnmatched {
        rule: &'static str,
        name: String,
        nearest: crate::checks::per_manager::Hint,
    },
    /// A `manager-day` waiver's name is another form of several managers'
    /// names: it waives none of their days.
    WaiverOfSeveral { name: String, managers: Vec<String> },
}

//! Clauses 1.1–1.3 from the call-review sheet: a reviewed first call must
//! contain every stage of its script (base or inbound), and must not be
//! marked for rudeness, obscene language or arguing. Without a review sheet
//! these rules are not checked; a review with a mark that cannot be read in
//! a column a rule reads is not judged by that rule (its unreadable-value
//! finding says so).

use super::details::{detail, Value};
use super::{Entity, Reason, Sink};
use crate::model::{CallType, Dataset};
use crate::rules::columns::{EntityKind, ReviewField};

/// Says which review files lack which of `fields`; whether any sheet exists.
fn sheets_with(data: &Dataset, fields: &[ReviewField], sink: &mut Sink) -> bool {
    if !data.has_kind(EntityKind::CallReviews) {
        sink.not_checked(Reason::NoReviewSheet);
        return false;
    }
    for file in data.files_of(EntityKind::CallReviews) {
        let absent: Vec<ReviewField> = fields
            .iter()
            .filter(|f| !file.has(f.index()))
            .copied()
            .collect();
        if !absent.is_empty() {
            sink.not_checked(Reason::NoReviewColumn {
                file: file.path.clone(),
                columns: absent,
            });
        }
    }
    true
}

pub(super) fn script(
    data: &Dataset,
    base: &[ReviewField],
    inbound: &[ReviewField],
    sink: &mut Sink,
) {
    let all: Vec<ReviewField> = base.iter().chain(inbound).copied().collect();
    if !sheets_with(data, &all, sink) {
        return;
    }
    for (i, review) in data.reviews.iter().enumerate() {
        let required = match review.call_type {
            CallType::Base => base,
            CallType::Inbound => inbound,
        };
        let file = data.file(review.file);
        // A stage whose mark cannot be read is not judged (its
        // unreadable-value finding says so); the stages plainly missing
        // beside it are.
        let missing: Vec<ReviewField> = required
            .iter()
            .filter(|f| review.unreadable_marks & (1 << f.index()) == 0)
            .filter(|f| file.has(f.index()) && review.marked & (1 << f.index()) == 0)
            .copied()
            .collect();
        if !missing.is_empty() {
            sink.violation(
                review.manager,
                Entity::Call(i),
                vec![
                    detail("type", Value::CallType(review.call_type)),
                    detail("missing", Value::Marks(missing)),
                ],
            );
        }
    }
}

pub(super) fn conduct(data: &Dataset, marks: &[ReviewField], sink: &mut Sink) {
    if !sheets_with(data, marks, sink) {
        return;
    }
    for (i, review) in data.reviews.iter().enumerate() {
        // A fault whose mark cannot be read is not judged; one plainly
        // marked beside it is.
        let found: Vec<ReviewField> = marks
            .iter()
            .filter(|f| review.unreadable_marks & (1 << f.index()) == 0)
            .filter(|f| review.marked & (1 << f.index()) != 0)
            .copied()
            .collect();
        if !found.is_empty() {
            sink.violation(
                review.manager,
                Entity::Call(i),
                vec![detail("marks", Value::Marks(found))],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::model::CallType::{Base, Inbound};

    #[test]
    fn each_call_type_has_its_script() {
        let t = TestData::new()
            .reviews_file()
            .review(
                "C1",
                "Иванова",
                Base,
                &[
                    "greeting",
                    "rapport",
                    "qualification",
                    "presentation",
                    "objections",
                    "closing",
                ],
            )
            .review(
                "C2",
                "Иванова",
                Base,
                &[
                    "greeting",
                    "rapport",
                    "qualification",
                    "offer",
                    "objections",
                    "closing",
                ],
            )
            .review(
                "C3",
                "Петров",
                Inbound,
                &[
                    "greeting",
                    "rapport",
                    "qualification",
                    "offer",
                    "objections",
                    "closing",
                ],
            )
            .review(
                "C4",
                "Петров",
                Inbound,
                &["greeting", "qualification", "objections"],
            );
        assert_eq!(
            t.run("call-script-stages", "27.11.2026 02:00"),
            vec![
                "call:C2 Иванова type=base missing=presentation",
                "call:C4 Петров type=inbound missing=rapport, offer for the need, closing question"
            ]
        );
    }

    #[test]
    fn conduct_marks() {
        let t = TestData::new()
            .reviews_file()
            .review("C1", "Иванова", Base, &["greeting", "rudeness", "arguing"])
            .review("C2", "Петров", Inbound, &["greeting"]);
        assert_eq!(
            t.run("call-conduct", "27.11.2026 02:00"),
            vec!["call:C1 Иванова marks=rudeness, arguing with the client"]
        );
        let none = TestData::new().deals_file(&[]);
        assert_eq!(
            none.not_checked("call-conduct", "27.11.2026 02:00"),
            vec!["no call-review sheet among the inputs"]
        );
    }
}

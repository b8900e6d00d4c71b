//! `call-script-stages`, clauses 1.1 and 1.2 from the call-review sheet: a
//! reviewed first call must contain every stage of its script (base or
//! inbound). Without a review sheet the rule is not checked; a review with
//! a mark that cannot be read in a column the rule reads is not judged by
//! it (its unreadable-value finding says so).

use super::shared::fill;
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Entity, Reason, Sink, Value};
use crate::model::{CallType, Dataset};
use crate::rules::columns::{EntityKind, ReviewField};
use crate::rules::RuleSet;

/// A reviewed first call missing a stage of its script.
#[derive(Debug, Clone)]
pub struct CallScript {
    pub base: Vec<ReviewField>,
    pub inbound: Vec<ReviewField>,
}

/// `{type}`: which script the call follows.
const TYPE: Placeholder = Placeholder::new("type");
/// `{missing}`: the stages it skipped.
const MISSING: Placeholder = Placeholder::new("missing");

impl Kind for CallScript {
    const NAME: &'static str = "call-script-stages";
    const PARAMS: &'static [Param] = &[Param::new("base", Shape::List), Param::new("inbound", Shape::List)];
    const PLACEHOLDERS: &'static [Placeholder] = &[TYPE, MISSING];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(CallScript {
            base: cx.review_fields(cx.needs(cx.list("base"), "base")?)?,
            inbound: cx.review_fields(cx.needs(cx.list("inbound"), "inbound")?)?,
        })
    }

    fn describe(&self, _: &RuleSet, out: &mut Described) {
        out.push(("base".into(), keys(&self.base)));
        out.push(("inbound".into(), keys(&self.inbound)));
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        script(cx.data, &self.base, &self.inbound, sink);
    }
}

/// Review columns as the rule file names them.
pub(super) fn keys(fields: &[ReviewField]) -> String {
    let keys: Vec<&str> = fields.iter().map(|f| f.key()).collect();
    keys.join(", ")
}

/// Says which review files lack which of `fields`; whether any sheet exists.
pub(super) fn sheets_with(data: &Dataset, fields: &[ReviewField], sink: &mut Sink) -> bool {
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

fn script(
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
                    fill(TYPE, Value::CallType(review.call_type)),
                    fill(MISSING, Value::Marks(missing)),
                ],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;
    use crate::model::CallType::{Base, Inbound};

    /// Every stage of the inbound script: a call missing none of them.
    const INBOUND_SCRIPT: &[&str] = &[
        "greeting",
        "rapport",
        "qualification",
        "offer",
        "objections",
        "closing",
    ];

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
                INBOUND_SCRIPT,
            )
            .review(
                "C3",
                "Петров",
                Inbound,
                INBOUND_SCRIPT,
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

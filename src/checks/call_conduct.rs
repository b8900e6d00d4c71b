//! `call-conduct`, clause 1.3 from the call-review sheet: a reviewed call
//! must not be marked for rudeness, obscene language or arguing. Without a
//! review sheet the rule is not checked; a review whose mark cannot be read
//! in a column the rule reads is not judged by it.

use super::call_script_stages::{keys, sheets_with};
use super::shared::fill;
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Entity, Sink, Value};
use crate::model::Dataset;
use crate::rules::columns::ReviewField;
use crate::rules::RuleSet;

/// A reviewed call marked for a conduct fault.
#[derive(Debug, Clone)]
pub struct CallConduct {
    pub marks: Vec<ReviewField>,
}

/// `{marks}`: the faults the call is marked for.
const MARKS: Placeholder = Placeholder::new("marks");

impl Kind for CallConduct {
    const NAME: &'static str = "call-conduct";
    const PARAMS: &'static [Param] = &[Param::new("marks", Shape::List)];
    const PLACEHOLDERS: &'static [Placeholder] = &[MARKS];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(CallConduct {
            marks: cx.review_fields(cx.needs(cx.list("marks"), "marks")?)?,
        })
    }

    fn describe(&self, _: &RuleSet, out: &mut Described) {
        out.push(("marks".into(), keys(&self.marks)));
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        conduct(cx.data, &self.marks, sink);
    }
}

fn conduct(data: &Dataset, marks: &[ReviewField], sink: &mut Sink) {
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
                vec![fill(MARKS, Value::Marks(found))],
            );
        }
    }
}

//! A deal, task, logged call or reviewed call with a value cell that
//! cannot be read (`50%` or `-` as an amount, `завтра` as a date) is a
//! finding of its own, naming the file, the row, the column and the text: the audit does not guess the value,
//! and it does not end the night's run for one cell either. The rules that
//! read that value pass the record over (a deal's see no value they could
//! judge; a task is judged by no rule; a call is counted on no day, and
//! the quota days it may belong to are not judged; a review is not judged
//! by the rules reading the mark); this finding is how the report says so.

use super::shared::fill;
use super::{Kind, Placeholder, Run, Param};
use crate::audit::{Entity, Sink, Value};
use crate::input::Wants;
use crate::model::Dataset;

/// A deal, task, call or review with a value cell that cannot be read,
/// reported instead of ending the run.
#[derive(Debug, Clone)]
pub struct UnreadableValue;

/// `{cells}`: the cells that cannot be read, with their text.
const CELLS: Placeholder = Placeholder::new("cells");

impl Kind for UnreadableValue {
    const NAME: &'static str = "unreadable-value";
    const PARAMS: &'static [Param] = &[];
    const PLACEHOLDERS: &'static [Placeholder] = &[CELLS];

    fn compile(_: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(UnreadableValue)
    }

    /// Without this rule an unreadable cell ends the run, as with
    /// `--strict`, so none is ever passed over unsaid.
    fn needs(&self, needs: &mut Wants) {
        needs.unreadable_findings = true;
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        check(cx.data, sink);
    }
}

fn check(data: &Dataset, sink: &mut Sink) {
    let cells = |cells: &[crate::input::error::UnreadableCell]| {
        vec![fill(CELLS, Value::Cells(cells.to_vec()))]
    };
    for &i in data.unreadable_deals.keys() {
        let (i, deal) = (i as usize, &data.deals[i as usize]);
        sink.violation(deal.manager, Entity::Deal(i), cells(data.unreadable_cells(i)));
    }
    for (i, task) in data.tasks.iter().enumerate().filter(|(_, t)| t.unreadable) {
        let found = data.unreadable_task_cells(task.file, task.row);
        sink.violation(task.manager, Entity::Task(i), cells(found));
    }
    for (i, call) in data.unreadable_calls.iter().enumerate() {
        sink.violation(call.manager, Entity::LoggedCall(i), cells(&call.cells));
    }
    for (i, review) in data.reviews.iter().enumerate() {
        if review.unreadable.is_empty() {
            continue;
        }
        sink.violation(review.manager, Entity::Call(i), cells(&review.unreadable));
    }
}

//! `unknown-stage`, clause 7: every deal's stage is one the rule set knows
//! (a stage renamed in the CRM and not in the rule set would leave its
//! deals unjudged by every stage rule).

use super::shared::{stage_detail, STAGE};
use super::{Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Entity, Sink};
use crate::model::Dataset;

/// A deal whose stage is in no list of the rule set.
#[derive(Debug, Clone)]
pub struct UnknownStage;

impl Kind for UnknownStage {
    const NAME: &'static str = "unknown-stage";
    const PARAMS: &'static [Param] = &[Param::new("leads", Shape::Flag)];
    const PLACEHOLDERS: &'static [Placeholder] = &[STAGE];

    fn compile(_: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(UnknownStage)
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        unknown_stage(cx.data, cx.leads, sink);
    }
}

/// A lead's status is judged by the rule set's [leads] where the rule
/// judges leads.
fn unknown_stage(data: &Dataset, leads: bool, sink: &mut Sink) {
    for (i, deal) in data.deals.iter().enumerate() {
        if (leads || !data.is_lead(deal)) && data.stage(deal).matched.class.is_none() {
            sink.violation(
                deal.manager,
                Entity::Deal(i),
                vec![stage_detail(data, deal)],
            );
        }
    }
}

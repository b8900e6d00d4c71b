//! Conditions over a record, as rules write them in `when`: the deal's
//! stage (at or after, before, in a set; in work, won, lost; its pipeline),
//! a task's state (open, completed), a field (empty, not empty, equal to a
//! value, matching a pattern), and `all` / `any` / `not` of these.
//!
//! A condition on a field whose column the file lacks is unknown, not
//! false: the rule then does not judge that record (`None` from `eval`).

use super::fields::FieldCatalog;
use super::stages::StageClass;
use super::PipelineId;
use crate::value::normalize_header;
use regex::Regex;

/// A compiled condition.
#[derive(Debug, Clone)]
pub enum Condition {
    Always,
    InWork,
    Won,
    Lost,
    Open,
    Completed,
    /// At or after the named stage, in each pipeline whose funnel has it
    /// (its position there); final, inbox and other stages are not, nor are
    /// deals of a pipeline without that stage.
    StageAtOrAfter(Vec<(PipelineId, u16)>),
    /// Before the named stage, in each pipeline whose funnel has it (the
    /// inbox is before every position).
    StageBefore(Vec<(PipelineId, u16)>),
    /// The stage's normalised text is one of these.
    StageIn(Vec<String>),
    /// The pipeline's normalised name.
    Pipeline(String),
    Empty(usize),
    NotEmpty(usize),
    /// The field's text (by value slot), compared trimmed, ignoring case.
    Equals {
        slot: usize,
        value: String,
    },
    Matches {
        slot: usize,
        pattern: Regex,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

/// What a condition can ask of a record.
pub trait Facts {
    /// The deal's stage: the pipeline whose stages judge it, its class
    /// there (`None` when unknown) and its normalised text.
    fn stage(&self) -> Option<(PipelineId, Option<StageClass>, &str)> {
        None
    }
    /// The deal's pipeline, normalised.
    fn pipeline(&self) -> Option<&str> {
        None
    }
    /// Whether a task is open (neither completed nor declined).
    fn open(&self) -> Option<bool> {
        None
    }
    /// Whether a task is completed.
    fn completed(&self) -> Option<bool> {
        None
    }
    /// Whether a catalog field is filled; `None` when its column is absent.
    fn filled(&self, field: usize) -> Option<bool>;
    /// A kept field text; `None` when its column is absent.
    fn value(&self, slot: usize) -> Option<&str>;
}

impl Condition {
    /// Whether the record meets the condition; `None` when the record's
    /// file lacks what the condition needs.
    pub fn eval(&self, r: &dyn Facts) -> Option<bool> {
        let class = || r.stage().map(|(_, class, _)| class);
        // The named stage's position in the deal's pipeline, if it has one.
        let position_in = |at: &[(PipelineId, u16)], pipeline: PipelineId| {
            at.iter()
                .find(|(p, _)| *p == pipeline)
                .map(|(_, position)| *position)
        };
        match self {
            Condition::Always => Some(true),
            Condition::InWork => class().map(|c| c.is_none_or(StageClass::in_work)),
            Condition::Won => class().map(|c| c == Some(StageClass::Won)),
            Condition::Lost => class().map(|c| c == Some(StageClass::Lost)),
            Condition::Open => r.open(),
            Condition::Completed => r.completed(),
            Condition::StageAtOrAfter(at) => {
                r.stage().map(
                    |(pipeline, class, _)| match (position_in(at, pipeline), class) {
                        (Some(p), Some(StageClass::Funnel(q))) => q >= p,
                        _ => false,
                    },
                )
            }
            Condition::StageBefore(at) => {
                r.stage().map(
                    |(pipeline, class, _)| match (position_in(at, pipeline), class) {
                        (Some(_), Some(StageClass::Inbox)) => true,
                        (Some(p), Some(StageClass::Funnel(q))) => q < p,
                        _ => false,
                    },
                )
            }
            Condition::StageIn(names) => r
                .stage()
                .map(|(_, _, text)| names.iter().any(|n| n == text)),
            Condition::Pipeline(name) => r.pipeline().map(|p| p == name),
            Condition::Empty(f) => r.filled(*f).map(|filled| !filled),
            Condition::NotEmpty(f) => r.filled(*f),
            Condition::Equals { slot, value } => {
                r.value(*slot).map(|v| normalize_header(v) == *value)
            }
            Condition::Matches { slot, pattern } => r.value(*slot).map(|v| pattern.is_match(v)),
            Condition::All(list) => {
                let mut unknown = false;
                for c in list {
                    match c.eval(r) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                (!unknown).then_some(true)
            }
            Condition::Any(list) => {
                let mut unknown = false;
                for c in list {
                    match c.eval(r) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                (!unknown).then_some(false)
            }
            Condition::Not(c) => c.eval(r).map(|b| !b),
        }
    }

    /// The fields the condition reads (to say which column was missing).
    pub fn fields(&self, catalog: &FieldCatalog, out: &mut Vec<String>) {
        match self {
            Condition::Empty(f) | Condition::NotEmpty(f) => out.push(catalog.name(*f).to_string()),
            Condition::Equals { slot, .. } | Condition::Matches { slot, .. } => {
                if let Some(f) = catalog.fields.iter().find(|f| f.value_slot == Some(*slot)) {
                    out.push(f.name.clone());
                }
            }
            Condition::All(list) | Condition::Any(list) => {
                list.iter().for_each(|c| c.fields(catalog, out))
            }
            Condition::Not(c) => c.fields(catalog, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Deal {
        pipeline: PipelineId,
        class: Option<StageClass>,
        text: &'static str,
        filled: Vec<Option<bool>>,
        values: Vec<Option<&'static str>>,
    }

    impl Facts for Deal {
        fn stage(&self) -> Option<(PipelineId, Option<StageClass>, &str)> {
            Some((self.pipeline, self.class, self.text))
        }
        fn filled(&self, field: usize) -> Option<bool> {
            self.filled.get(field).copied().flatten()
        }
        fn value(&self, slot: usize) -> Option<&str> {
            self.values.get(slot).copied().flatten()
        }
    }

    fn deal(class: Option<StageClass>) -> Deal {
        Deal {
            pipeline: 0,
            class,
            text: "счет",
            filled: vec![Some(true), Some(false), None],
            values: vec![Some(" Безналичная "), None],
        }
    }

    #[test]
    fn stage_conditions() {
        let at_3 = deal(Some(StageClass::Funnel(3)));
        assert_eq!(
            Condition::StageAtOrAfter(vec![(0, 3)]).eval(&at_3),
            Some(true)
        );
        assert_eq!(
            Condition::StageAtOrAfter(vec![(0, 4)]).eval(&at_3),
            Some(false)
        );
        assert_eq!(Condition::StageBefore(vec![(0, 4)]).eval(&at_3), Some(true));
        assert_eq!(
            Condition::StageBefore(vec![(0, 3)]).eval(&at_3),
            Some(false)
        );
        let inbox = deal(Some(StageClass::Inbox));
        assert_eq!(
            Condition::StageBefore(vec![(0, 0)]).eval(&inbox),
            Some(true)
        );
        assert_eq!(
            Condition::StageAtOrAfter(vec![(0, 0)]).eval(&inbox),
            Some(false)
        );
        let won = deal(Some(StageClass::Won));
        assert_eq!(
            Condition::StageAtOrAfter(vec![(0, 0)]).eval(&won),
            Some(false),
            "final stages are not in the funnel"
        );
        assert_eq!(Condition::InWork.eval(&won), Some(false));
        assert_eq!(
            Condition::InWork.eval(&deal(None)),
            Some(true),
            "unknown stages are in work"
        );
        assert_eq!(
            Condition::StageIn(vec!["счет".into()]).eval(&at_3),
            Some(true)
        );
    }

    #[test]
    fn fields_and_logic_with_unknowns() {
        let d = deal(Some(StageClass::Funnel(3)));
        assert_eq!(Condition::NotEmpty(0).eval(&d), Some(true));
        assert_eq!(Condition::Empty(1).eval(&d), Some(true));
        assert_eq!(Condition::Empty(2).eval(&d), None, "absent column: unknown");
        let eq = Condition::Equals {
            slot: 0,
            value: "безналичная".into(),
        };
        assert_eq!(eq.eval(&d), Some(true));
        let m = Condition::Matches {
            slot: 0,
            pattern: Regex::new("^Нал").unwrap(),
        };
        assert_eq!(m.eval(&d), Some(false));
        assert_eq!(
            Condition::All(vec![Condition::Empty(2), Condition::Empty(0)]).eval(&d),
            Some(false)
        );
        assert_eq!(
            Condition::All(vec![Condition::Empty(2), Condition::Empty(1)]).eval(&d),
            None
        );
        assert_eq!(
            Condition::Any(vec![Condition::Empty(2), Condition::Empty(1)]).eval(&d),
            Some(true)
        );
        assert_eq!(
            Condition::Any(vec![Condition::Empty(2), Condition::Empty(0)]).eval(&d),
            None
        );
        assert_eq!(
            Condition::Not(Box::new(Condition::Empty(1))).eval(&d),
            Some(false)
        );
    }
}

//! The check kinds, one file each: a kind's name, its parameters (parsed
//! and validated by the kind from its rule's table), the placeholders its
//! messages may use, which are the detail keys its violations carry, its
//! description for `crm-audit explain`, what it needs the readers to keep,
//! and its run over the dataset. `registry` lists them all; nothing else
//! in the code names a kind.
//!
//! A kind runs after the inputs are read and the rule set compiled: it
//! cannot fail, only find violations and say what it could not check.

pub(crate) mod compile;
pub(crate) mod failure_words;
mod generic;
pub(crate) mod per_manager;
mod shared;

pub use crate::rules::template::Placeholder;
pub use daily_count::{Bound, Counted, DailyCount, Window};
pub use invalid_phone::PhoneCountry;
pub use ratio::RatioParams;

use crate::audit::Sink;
use crate::input::Wants;
use crate::model::Dataset;
use crate::rules::RuleSet;
use chrono::NaiveDateTime;
use compile::Compile;

/// What a kind runs with besides its parameters.
pub(crate) struct Run<'a> {
    pub data: &'a Dataset,
    pub rules: &'a RuleSet,
    /// The rule judges leads too (`leads = true`).
    pub leads: bool,
    /// The audit moment, company-local.
    pub as_of: NaiveDateTime,
}

/// A kind's parameters as configured, one `(name, value)` a line, for
/// `crm-audit explain`.
pub type Described = Vec<(String, String)>;

/// One check kind. Its parameters are the implementing type.
pub(crate) trait Kind: Sized {
    /// The kind's name, as a rule's `check = "…"` writes it.
    const NAME: &'static str;
    /// The parameters a rule of this kind may set, in the order
    /// `crm-audit` lists them.
    const PARAMS: &'static [Param];
    /// The message placeholders it fills, each with the detail key it fills
    /// it from; a violation's details carry exactly these keys.
    const PLACEHOLDERS: &'static [Placeholder];
    /// Reads and validates the rule's parameters.
    fn compile(cx: &mut Compile) -> crate::rules::compile::Result<Self>;
    /// Its parameters as configured.
    fn describe(&self, _rules: &RuleSet, _out: &mut Described) {}
    /// What the readers must keep for it.
    fn needs(&self, _needs: &mut Wants) {}
    fn run(&self, cx: &Run, sink: &mut Sink);
}

/// How a parameter is written in a rule's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    Text,
    /// A list of strings.
    List,
    /// A whole number, 0 or more.
    Count,
    /// A number (a share: 0.5 for 50%).
    Number,
    Flag,
    /// A condition table (`{ in-work = true, … }`).
    Condition,
    /// A table of whole numbers by name.
    Counts,
}

/// A parameter a kind takes: its key in a rule's table and its shape. A
/// key several kinds take has one shape (checked by a test).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub key: &'static str,
    pub shape: Shape,
}

impl Param {
    pub const fn new(key: &'static str, shape: Shape) -> Param {
        Param { key, shape }
    }
}

/// The shape of parameter `key`, as the first kind that takes it declares
/// it; `None` for a key no kind takes.
pub(crate) fn shape_of(key: &str) -> Option<Shape> {
    KINDS
        .iter()
        .flat_map(|k| k.params)
        .find(|p| p.key == key)
        .map(|p| p.shape)
}

/// What the rule compiler and the docs know of a kind without its parameters.
pub struct KindInfo {
    pub name: &'static str,
    pub params: &'static [Param],
    /// Read by the tests that hold the README and the messages to the
    /// registry; a compiled rule asks its `Check` instead.
    #[cfg(test)]
    pub placeholders: &'static [Placeholder],
    pub(crate) compile: fn(&mut Compile) -> crate::rules::compile::Result<Check>,
}

fn compile_as<K: Kind>(cx: &mut Compile) -> crate::rules::compile::Result<Check>
where
    Check: From<K>,
{
    Ok(Check::from(K::compile(cx)?))
}

/// Declares each kind's module, the `Check` enum of their parameters and
/// `KINDS`, in one list.
macro_rules! registry {
    ($($module:ident :: $kind:ident => $variant:ident,)*) => {
        $(pub mod $module;)*

        /// A rule's check: its kind, with the parameters it was given.
        #[derive(Debug, Clone)]
        pub enum Check {
            $($variant($module::$kind),)*
        }

        $(impl From<$module::$kind> for Check {
            fn from(k: $module::$kind) -> Check {
                Check::$variant(k)
            }
        })*

        /// Every kind, in the order `crm-audit` lists them.
        pub static KINDS: &[KindInfo] = &[$(KindInfo {
            name: <$module::$kind as Kind>::NAME,
            params: <$module::$kind as Kind>::PARAMS,
            #[cfg(test)]
            placeholders: <$module::$kind as Kind>::PLACEHOLDERS,
            compile: compile_as::<$module::$kind>,
        },)*];

        impl Check {
            /// The kind's name (`overdue-task`).
            pub fn name(&self) -> &'static str {
                match self {
                    $(Check::$variant(_) => <$module::$kind as Kind>::NAME,)*
                }
            }

            /// The placeholders this check fills in its rule's message.
            pub fn placeholders(&self) -> &'static [Placeholder] {
                match self {
                    $(Check::$variant(_) => <$module::$kind as Kind>::PLACEHOLDERS,)*
                }
            }

            /// Its parameters as configured, for `crm-audit explain`.
            pub fn describe(&self, rules: &RuleSet) -> Described {
                let mut out = Described::new();
                match self {
                    $(Check::$variant(k) => k.describe(rules, &mut out),)*
                }
                out
            }

            pub(crate) fn needs(&self, needs: &mut Wants) {
                match self {
                    $(Check::$variant(k) => k.needs(needs),)*
                }
            }

            pub(crate) fn run(&self, cx: &Run, sink: &mut Sink) {
                match self {
                    $(Check::$variant(k) => k.run(cx, sink),)*
                }
            }
        }
    };
}

registry! {
    overdue_task::OverdueTask => OverdueTask,
    deal_without_task::DealWithoutTask => DealWithoutTask,
    missing_phone::MissingPhone => MissingPhone,
    invalid_phone::InvalidPhone => InvalidPhone,
    stage_missing_data::StageMissingData => StageMissingData,
    refusal_without_reason::RefusalWithoutReason => RefusalWithoutReason,
    unknown_stage::UnknownStage => UnknownStage,
    unreadable_value::UnreadableValue => UnreadableValue,
    no_follow_up::NoFollowUp => NoFollowUp,
    call_script_stages::CallScript => CallScript,
    call_conduct::CallConduct => CallConduct,
    required::Required => Required,
    in_set::InSet => InSet,
    pattern::Pattern => Pattern,
    ratio::RatioParams => Ratio,
    not_before_as_of::NotBeforeAsOf => NotBeforeAsOf,
    daily_count::DailyCount => DailyCount,
    stale_deal::StaleDeal => StaleDeal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_a_key_has_one_shape_in_every_kind() {
        let mut names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
        for kind in KINDS {
            for param in kind.params {
                assert_eq!(
                    shape_of(param.key),
                    Some(param.shape),
                    "`{}` of {} is written as other kinds write it",
                    param.key,
                    kind.name
                );
            }
        }
    }
}

#[cfg(test)]
#[path = "placeholder_tests.rs"]
mod placeholder_tests;

#[cfg(test)]
#[path = "readme_tests.rs"]
mod readme_tests;

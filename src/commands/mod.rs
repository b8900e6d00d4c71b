//! What each subcommand does, one file each; `cli` parses the flags and
//! dispatches here. Commands write to the writer or file they are given and
//! never print.

pub mod audit;
pub mod inspect;
pub mod output;
pub mod progress;
pub mod rules;
mod stale;

use crate::rules::RuleSet;
use std::path::Path;

/// The rule file named, or the built-in regulation.
pub fn load_rules(path: Option<&Path>) -> anyhow::Result<RuleSet> {
    match path {
        Some(path) => RuleSet::load(path),
        None => Ok(RuleSet::builtin()),
    }
}

//! What each subcommand does, one file each with its own flags; `cli`
//! holds the top-level parser and dispatches here. Commands write to the
//! writer or file they are given and never print.

pub(crate) mod audit;
pub(crate) mod history;
pub(crate) mod init;
pub(crate) mod inspect;
pub(crate) mod notify;
pub(crate) mod output;
pub(crate) mod progress;
pub(crate) mod pull;
pub(crate) mod rules;
pub(crate) mod shell;
mod stale;

use crate::rules::RuleSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the run found, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing at or above `--fail-on`.
    Clean,
    /// A violation at or above `--fail-on`.
    Violations,
}

/// Where standard output goes, and what kind of place it is.
pub struct Stdout<'a> {
    pub writer: &'a mut dyn Write,
    /// How wide its terminal is, if it is one.
    pub terminal_width: Option<u16>,
    /// It is a terminal: no binary format is written there.
    pub is_terminal: bool,
    /// Colour is wanted: a terminal, and `NO_COLOR` unset.
    pub color: bool,
    /// Where a progress line for long runs goes: stderr when it is a
    /// terminal, else `None`, so pipes, files and logs never get one.
    pub progress: Option<Box<dyn Write + Send>>,
    /// Where a person reads what a run did beside its report (`wrote
    /// audit.xlsx: …`): stderr when it is a terminal, else `None`.
    pub notices: Option<Box<dyn Write + Send>>,
}

/// The company's rule file, found without `--rules`, and written by `init`.
pub const CONFIG_FILE: &str = "crm-audit.toml";

/// The rule set: the `--rules` file; else `crm-audit.toml` in the current
/// folder, else in the first audited folder that has one; else the
/// built-in regulation. The rule set names its file, and every report
/// names the rule set.
pub fn load_rules(path: Option<&Path>, audited: &[PathBuf]) -> anyhow::Result<RuleSet> {
    match rule_file(path, audited) {
        Some(path) => RuleSet::load(&path),
        None => Ok(RuleSet::builtin()),
    }
}

/// The history `--history` names (`given`), else the rule set's.
pub fn history_of(given: Option<&Path>, rules: &RuleSet) -> anyhow::Result<PathBuf> {
    match (given, &rules.history) {
        (Some(path), _) => Ok(path.to_path_buf()),
        (None, Some(path)) => Ok(path.clone()),
        (None, None) => anyhow::bail!(
            "no history named: give --history FILE, or set history = \"FILE\" in the rule set ({})",
            rules.source
        ),
    }
}

/// The rule file `load_rules` reads, if any: `--rules`, else a
/// `crm-audit.toml` found here or in an audited folder.
pub fn rule_file(path: Option<&Path>, audited: &[PathBuf]) -> Option<PathBuf> {
    path.map(Path::to_path_buf).or_else(|| find_config(audited))
}

/// `crm-audit.toml` in the current folder, else in an audited folder.
fn find_config(audited: &[PathBuf]) -> Option<PathBuf> {
    let here = PathBuf::from(CONFIG_FILE);
    std::iter::once(here)
        .chain(
            audited
                .iter()
                .filter(|path| path.is_dir())
                .map(|folder| folder.join(CONFIG_FILE)),
        )
        .find(|file| file.is_file())
}

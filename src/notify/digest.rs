//! Tonight's digest as data, read from the history: the newest run's
//! totals, each manager's new and fixed, and the violations open longest.
//! Nothing is re-audited: the digest says what the audit recorded.

use crate::history::{Chronic, History, ManagerCounts};
use anyhow::bail;

/// How many long-open violations the digest names.
pub const CHRONIC_SHOWN: usize = 5;

/// The digest of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The run's number in the history.
    pub run: i64,
    /// Its audit moment, RFC 3339 with the company's offset.
    pub as_of: String,
    pub violations: i64,
    pub new: i64,
    pub fixed: i64,
    /// Violations of the run before whose record was not read tonight.
    pub gone: i64,
    /// Managers with a violation or a fix tonight, the most violations first.
    pub managers: Vec<ManagerCounts>,
    /// Up to [`CHRONIC_SHOWN`] violations seen tonight and before, the
    /// longest open first.
    pub chronic: Vec<Chronic>,
}

impl Digest {
    /// The digest of the newest run in `history`; a history without runs
    /// is an error (there is nothing to tell yet).
    pub fn latest(history: &History) -> anyhow::Result<Digest> {
        let Some(run) = history.latest_run()? else {
            bail!(
                "history {}: no audit run recorded yet; run `crm-audit audit … --history {}` first",
                history.path().display(),
                history.path().display()
            );
        };
        Ok(Digest {
            managers: history.manager_counts(run.run)?,
            chronic: history.chronic(run.run, CHRONIC_SHOWN)?,
            run: run.run,
            as_of: run.as_of,
            violations: run.violations,
            new: run.new,
            fixed: run.fixed,
            gone: run.gone,
        })
    }
}

//! Reading the history back: the runs, one manager's, one rule's or the
//! department's trend, and pruning old runs.

use super::History;
use rusqlite::params;
use serde::Serialize;

/// One run, as `crm-audit history` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRow {
    pub run: i64,
    pub as_of: String,
    pub rule_set: String,
    pub violations: i64,
    pub new: i64,
    pub fixed: i64,
    pub gone: i64,
}

impl RunRow {
    /// A row of `SELECT id, as_of, rule_set, violations, new, fixed, gone`.
    pub(super) fn read(r: &rusqlite::Row) -> rusqlite::Result<RunRow> {
        Ok(RunRow {
            run: r.get(0)?,
            as_of: r.get(1)?,
            rule_set: r.get(2)?,
            violations: r.get(3)?,
            new: r.get(4)?,
            fixed: r.get(5)?,
            gone: r.get(6)?,
        })
    }
}

/// One run's numbers for a manager, a rule or the whole department.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub run: i64,
    pub as_of: String,
    /// A manager's or the department's: the violations of deals and their
    /// tasks (not of leads), as violations per 10 deals count them.
    pub violations: i64,
    /// Deals in work (managers and the department; absent for a rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deals_in_work: Option<i64>,
    /// Violations per 10 deals in work, where there were deals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_10_deals: Option<f64>,
}

impl TrendPoint {
    /// A run's point: `per_10_deals` is the violations per 10 deals in
    /// work, to one decimal, where there were deals.
    pub fn new(run: i64, as_of: &str, violations: i64, deals_in_work: Option<i64>) -> TrendPoint {
        TrendPoint {
            run,
            as_of: as_of.to_string(),
            violations,
            deals_in_work,
            per_10_deals: deals_in_work
                .filter(|&d| d > 0)
                .map(|d| (violations as f64 * 10.0 / d as f64 * 10.0).round() / 10.0),
        }
    }
}

/// What a trend follows.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Department,
    Manager(&'a str),
    Rule(&'a str),
}

impl History {
    /// The last `limit` runs, oldest first.
    pub fn runs(&self, limit: usize) -> anyhow::Result<Vec<RunRow>> {
        self.select(
            "SELECT id, as_of, rule_set, violations, new, fixed, gone FROM \
             (SELECT * FROM runs ORDER BY id DESC LIMIT ?1) ORDER BY id",
            [limit as i64],
            RunRow::read,
        )
    }

    /// The subject's numbers over the last `runs` runs, oldest first; a run
    /// in which a manager or rule had no row counts zero.
    pub fn trend(&self, subject: Subject, runs: usize) -> anyhow::Result<Vec<TrendPoint>> {
        let (sql, key) = match subject {
            Subject::Department => (
                "SELECT r.id, r.as_of, \
                 (SELECT coalesce(sum(violations - lead_violations), 0) FROM run_managers \
                  WHERE run_id = r.id), \
                 (SELECT coalesce(sum(deals_in_work), 0) FROM run_managers WHERE run_id = r.id) \
                 FROM last r ORDER BY r.id",
                None,
            ),
            Subject::Manager(name) => (
                "SELECT r.id, r.as_of, coalesce(m.violations - m.lead_violations, 0), \
                 coalesce(m.deals_in_work, 0) \
                 FROM last r LEFT JOIN run_managers m ON m.run_id = r.id AND m.manager = ?2 \
                 ORDER BY r.id",
                Some(name),
            ),
            Subject::Rule(name) => (
                "SELECT r.id, r.as_of, coalesce(x.violations, 0), NULL \
                 FROM last r LEFT JOIN run_rules x ON x.run_id = r.id AND x.rule = ?2 \
                 ORDER BY r.id",
                Some(name),
            ),
        };
        let sql =
            format!("WITH last AS (SELECT id, as_of FROM runs ORDER BY id DESC LIMIT ?1) {sql}");
        let point = |r: &rusqlite::Row| {
            let as_of: String = r.get(1)?;
            Ok(TrendPoint::new(r.get(0)?, &as_of, r.get(2)?, r.get(3)?))
        };
        match key {
            Some(key) => self.select(&sql, params![runs as i64, key], point),
            None => self.select(&sql, params![runs as i64], point),
        }
    }

    /// The rows per kind of input of the newest run of another night than
    /// `tonight` (a run of tonight's moment is the attempt a retry
    /// replaces, and no measure of what tonight lacks); empty without one.
    pub fn last_inputs(&self, tonight: &str) -> anyhow::Result<super::guard::RowsByKind> {
        self.select(
            "SELECT kind, sum(rows) FROM run_inputs \
             WHERE run_id = (SELECT max(id) FROM runs WHERE as_of <> ?1) GROUP BY kind",
            [tonight],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)),
        )
    }

    /// Every manager and every rule the history has counts for, sorted.
    pub fn names(&self) -> anyhow::Result<(Vec<String>, Vec<String>)> {
        let list =
            |sql: &str| -> anyhow::Result<Vec<String>> { self.select(sql, [], |r| r.get(0)) };
        Ok((
            list("SELECT DISTINCT manager FROM run_managers ORDER BY manager")?,
            list("SELECT DISTINCT rule FROM run_rules ORDER BY rule")?,
        ))
    }

    /// Keeps the newest `keep` runs and forgets the rest, with the
    /// violations last seen before them; returns how many runs went.
    pub fn prune(&mut self, keep: usize) -> anyhow::Result<usize> {
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| super::failed_at(&path, e);
        let tx = self.conn.transaction().map_err(fail)?;
        let removed = tx
            .execute(
                "DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?1)",
                [keep as i64],
            )
            .map_err(fail)?;
        // With no run left, no violation is left either (`min(id)` is
        // NULL then, and nothing is below NULL).
        tx.execute(
            "DELETE FROM violations WHERE NOT EXISTS (SELECT 1 FROM runs) \
             OR last_run < (SELECT min(id) FROM runs)",
            [],
        )
        .map_err(fail)?;
        // What a forgotten run kept for undoing it goes with it.
        tx.execute(
            "DELETE FROM run_undo WHERE run_id NOT IN (SELECT id FROM runs)",
            [],
        )
        .map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(removed)
    }
}

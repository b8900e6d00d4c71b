//! The order of nights. A history is read night after night: a violation
//! is open since the night it was first seen, the trend runs left to right,
//! the digest tells the newest night. So a run is never recorded before
//! the newest night already kept (refused: it would be open "since" a later
//! date), and a rerun of the newest night (the same audit moment: a cron
//! job retried, a report written again) replaces it, as if the first run
//! had not happened: what was new then is new again.
//!
//! Replacing needs what the replaced run changed: each violation row it
//! touched, as it was before, is kept beside the newest run (`run_undo`)
//! and dropped when the next run is recorded.

use super::History;
use anyhow::bail;
use rusqlite::{params, OptionalExtension, Transaction};
use std::path::Path;

/// The columns of a violation row, as `run_undo` keeps them.
const COLUMNS: &str = "fingerprint, rule, manager, entity_kind, entity_id, deal_id, severity, \
                       day_bound, first_run, last_run, streak, seen_run, since";

/// The newest run: its number, audit moment and whether it can be
/// replaced.
struct Newest {
    run: i64,
    as_of: String,
    undoable: bool,
}

fn newest(conn: &rusqlite::Connection) -> rusqlite::Result<Option<Newest>> {
    conn.query_row(
        "SELECT id, as_of, undoable FROM runs ORDER BY id DESC LIMIT 1",
        [],
        |r| {
            Ok(Newest {
                run: r.get(0)?,
                as_of: r.get(1)?,
                undoable: r.get(2)?,
            })
        },
    )
    .optional()
}

/// How two audit moments (RFC 3339) compare in time; as text when one is
/// not a moment.
fn order(a: &str, b: &str) -> std::cmp::Ordering {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => a.cmp(b),
    }
}

/// `30.11.2026 02:00`, as the run's company wrote it.
fn shown(as_of: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(as_of)
        .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| as_of.to_string())
}

/// Where a run of `as_of` goes: after the newest night (`None`), or in
/// place of it, a rerun of the same night (`Some(run)`). An earlier night
/// is an error saying which night is newest and how to proceed.
fn place(path: &Path, newest: Option<Newest>, as_of: &str) -> anyhow::Result<Option<i64>> {
    let Some(newest) = newest else {
        return Ok(None);
    };
    let path = path.display();
    match order(as_of, &newest.as_of) {
        std::cmp::Ordering::Greater => Ok(None),
        std::cmp::Ordering::Equal if newest.undoable => Ok(Some(newest.run)),
        std::cmp::Ordering::Equal => bail!(
            "history {path}: run {} of this same night ({}) was recorded by an earlier version \
             of crm-audit, which kept no record to replace it by; it was left as it was: audit \
             the night again with a history of its own (--history OTHER.sqlite)",
            newest.run,
            shown(as_of)
        ),
        std::cmp::Ordering::Less => bail!(
            "history {path}: its newest night is {} (run {}), after this run's {}; a history \
             keeps its nights in order (an earlier night would be open since a later date), so \
             nothing was recorded: audit that night without this history, or with a history \
             of its own (--history OTHER.sqlite)",
            shown(&newest.as_of),
            newest.run,
            shown(as_of)
        ),
    }
}

impl History {
    /// Refuses a run of `as_of` before the newest night this history
    /// holds, before anything is read.
    pub fn refuse_earlier(&self, as_of: &str) -> anyhow::Result<()> {
        let newest = newest(&self.conn).map_err(|e| self.failed(e))?;
        place(&self.path, newest, as_of).map(|_| ())
    }
}

/// In the recording transaction: refuses an earlier night, and for a
/// rerun of the newest night, undoes that run (its violation rows as they
/// were before it, and the run itself); the run tonight follows the one
/// before. Returns the run tonight follows, if any.
pub(super) fn make_room(path: &Path, tx: &Transaction, as_of: &str) -> anyhow::Result<Option<i64>> {
    let fail = |e: rusqlite::Error| super::failed_at(path, e);
    if let Some(replaced) = place(path, newest(tx).map_err(fail)?, as_of)? {
        // Every row the run carried or started has it as its last run, and
        // every row it could change is kept: all back as they were (a row
        // it started, with nothing before, just goes).
        tx.execute(
            "DELETE FROM violations WHERE last_run = ?1 \
             OR fingerprint IN (SELECT fingerprint FROM run_undo WHERE run_id = ?1)",
            [replaced],
        )
        .map_err(fail)?;
        tx.execute(
            &format!(
                "INSERT INTO violations ({COLUMNS}) SELECT {COLUMNS} FROM run_undo \
                 WHERE run_id = ?1"
            ),
            [replaced],
        )
        .map_err(fail)?;
        tx.execute("DELETE FROM run_undo WHERE run_id = ?1", [replaced])
            .map_err(fail)?;
        tx.execute("DELETE FROM runs WHERE id = ?1", [replaced])
            .map_err(fail)?;
    }
    tx.query_row("SELECT max(id) FROM runs", [], |r| r.get(0))
        .map_err(fail)
}

/// Keeps, for run `id`, the rows it may change: every violation row of
/// the run before (`previous`), and drops what older runs kept. The table
/// is emptied whole (SQLite then frees its pages at once): only the newest
/// run is ever replaced, and `id` is the newest run from now on.
pub(super) fn keep_before(
    tx: &Transaction,
    id: i64,
    previous: Option<i64>,
) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM run_undo", [])?;
    if let Some(previous) = previous {
        tx.execute(
            &format!(
                "INSERT INTO run_undo (run_id, {COLUMNS}) SELECT ?1, {COLUMNS} FROM violations \
                 WHERE last_run = ?2"
            ),
            params![id, previous],
        )?;
    }
    tx.execute("UPDATE runs SET undoable = 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// Keeps, for run `id`, the row of `fingerprint` before a new stretch
/// replaces it.
pub(super) fn keep_replaced(tx: &Transaction, id: i64, fingerprint: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO run_undo (run_id, {COLUMNS}) SELECT ?1, {COLUMNS} FROM violations \
         WHERE fingerprint = ?2"
    ))?
    .execute(params![id, fingerprint])?;
    Ok(())
}

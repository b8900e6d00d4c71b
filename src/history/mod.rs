//! The nightly history: every audit run kept in one SQLite file, so a
//! report can say which violations are new tonight, which have been open
//! for a week, which were fixed, and how each manager's numbers move.
//!
//! This module owns the file: opening it safely (a file that is not this
//! tool's history is refused and left untouched), migrating its schema,
//! recording a run in one transaction, and reading runs and trends back.
//! It knows violations only by their fingerprints and a few names; what a
//! violation means, and whether a vanished one was fixed or its deal is
//! gone from the inputs, is the caller's to say.

mod digest;
pub(crate) mod guard;
mod night;
mod query;
mod record;
mod schema;
#[cfg(test)]
mod tests;

pub use digest::{Chronic, ManagerCounts};
pub use query::{RunRow, Subject, TrendPoint};
pub use record::{InputRows, ManagerRun, Outcome, Recorded, Run, Seen, Status, Vanished};

use anyhow::{bail, Context};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a run waits for another run that is writing the history,
/// before it gives up with an error.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

/// An open history database.
pub struct History {
    conn: Connection,
    path: PathBuf,
}

impl History {
    /// Opens the history at `path`, creating it when there is no file. A
    /// file that is not a regular file, not a SQLite database, another
    /// program's database, corrupt, or written by a newer version of this
    /// tool is an error naming it, and is not changed.
    pub fn open(path: &Path) -> anyhow::Result<History> {
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => {
                bail!("history {}: not a regular file", path.display())
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read history {}", path.display()))
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open history {}", path.display()))?;
        let mut history = History {
            conn,
            path: path.to_path_buf(),
        };
        history.conn.busy_timeout(BUSY_TIMEOUT)?;
        history.migrate()?;
        history
            .conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| history.failed(e))?;
        Ok(history)
    }

    /// Opens a history that must already exist (for reading it back): a
    /// missing file is an error, not a new empty history.
    pub fn open_existing(path: &Path) -> anyhow::Result<History> {
        if !path.exists() {
            bail!(
                "no history at {} yet: `crm-audit audit … --history {}` starts one",
                path.display(),
                path.display()
            );
        }
        History::open(path)
    }

    /// The file this history lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Brings the schema up to date, in one transaction that waits for any
    /// other run; a new file gets the whole schema.
    fn migrate(&mut self) -> anyhow::Result<()> {
        let known = schema::MIGRATIONS.len() as i64;
        let (app, version, objects) = match self.header() {
            Ok(header) => header,
            Err(e) => return Err(self.failed(e)),
        };
        self.check_ours(app, version, objects, known)?;
        if version == known {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| failed_at(&self.path, e))?;
        // Another run may have migrated while this one waited.
        let version: i64 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| failed_at(&self.path, e))?;
        for migration in &schema::MIGRATIONS[version as usize..] {
            tx.execute_batch(migration)
                .map_err(|e| failed_at(&self.path, e))?;
        }
        tx.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .and_then(|()| tx.pragma_update(None, "user_version", known))
            .and_then(|()| tx.commit())
            .map_err(|e| failed_at(&self.path, e))
    }

    /// The file's application id, schema version and number of schema
    /// objects, read in one transaction: another run creating the same new
    /// file at this moment is seen before its schema or after, never
    /// between (its tables without its application id would look like
    /// another program's database). Reading them writes nothing.
    fn header(&mut self) -> rusqlite::Result<(i32, i64, i64)> {
        let tx = self.conn.transaction()?;
        // The first read takes the snapshot the others see.
        let objects = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let app = tx.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        tx.finish()?;
        Ok((app, version, objects))
    }

    fn check_ours(&self, app: i32, version: i64, objects: i64, known: i64) -> anyhow::Result<()> {
        let fresh = app == 0 && version == 0 && objects == 0;
        if !fresh && app != schema::APPLICATION_ID {
            bail!(
                "history {}: a SQLite database of another program, not a crm-audit history; \
                 it was left as it was",
                self.path.display()
            );
        }
        if version > known {
            bail!(
                "history {}: written by a newer crm-audit (schema {version}; this one knows up \
                 to {known}); it was left as it was",
                self.path.display()
            );
        }
        Ok(())
    }

    /// An SQLite error, said in the history's terms.
    fn failed(&self, e: rusqlite::Error) -> anyhow::Error {
        failed_at(&self.path, e)
    }

    /// The rows `sql` selects with `params`, each made by `row`, gathered
    /// in order; an SQLite error is said in the history's terms.
    fn select<T, C: FromIterator<T>>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> anyhow::Result<C> {
        let mut statement = self.conn.prepare_cached(sql).map_err(|e| self.failed(e))?;
        let rows = statement
            .query_map(params, row)
            .map_err(|e| self.failed(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.failed(e))
    }
}

/// An SQLite error on the history at `path`: a file that is no database or
/// a corrupt one is named as such; a busy one says another run holds it.
fn failed_at(path: &Path, e: rusqlite::Error) -> anyhow::Error {
    let what = match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => "not a crm-audit history database (not SQLite)",
        Some(ErrorCode::DatabaseCorrupt) => "the history database is corrupt",
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "another crm-audit run kept the history busy for too long"
        }
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            "the history cannot be written"
        }
        _ => return anyhow::Error::new(e).context(format!("history {}", path.display())),
    };
    anyhow::Error::new(e).context(format!(
        "history {}: {what}; it was left as it was",
        path.display()
    ))
}

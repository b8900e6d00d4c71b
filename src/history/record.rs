//! Recording one run: each violation of tonight is new or open (since when,
//! for how many runs in a row); each violation of the last run that is
//! gone tonight is fixed or gone with its deal, as the caller judges,
//! except a day's record (a quota day), which the audit window passing it
//! never fixes. All of it in one transaction: a killed run leaves the
//! history as the last run left it.

use super::History;
use crate::report::EntityKind;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One audit run, as the history keeps it.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The audit moment, RFC 3339.
    pub as_of: &'a str,
    pub rule_set: &'a str,
    /// A hash of the rule set's text, so a change of rules shows.
    pub rule_set_hash: &'a str,
    pub tool_version: &'a str,
    pub inputs: &'a [InputRows<'a>],
    pub violations: &'a [Seen<'a>],
    /// Every manager of the report, with or without violations.
    pub managers: &'a [ManagerRun<'a>],
}

/// An input file of a run and the rows it had.
#[derive(Debug, Clone, Copy)]
pub struct InputRows<'a> {
    pub path: &'a str,
    /// `deals`, `tasks`, `calls`, …
    pub kind: &'a str,
    pub rows: u64,
}

/// A violation found tonight.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub fingerprint: &'a str,
    pub rule: &'a str,
    pub manager: &'a str,
    pub entity_kind: &'a str,
    pub entity_id: &'a str,
    /// The deal the entity is or belongs to, where it has one.
    pub deal_id: Option<&'a str>,
    pub severity: &'a str,
    /// A day's record (a quota day, an overloaded day): never fixed.
    pub day_bound: bool,
}

/// A manager of the run and the deals they had in work.
#[derive(Debug, Clone, Copy)]
pub struct ManagerRun<'a> {
    pub name: &'a str,
    pub deals_in_work: u64,
    /// Of the manager's violations, those of leads and their tasks: no
    /// part of violations per 10 deals in work.
    pub lead_violations: u64,
}

/// Where a violation of tonight stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Status {
    /// Not in the last run.
    New,
    /// In the last run too: open since the run of `since` (its audit
    /// moment), `runs` runs in a row, tonight's included.
    Open { since: String, runs: u32 },
}

/// A violation of the last run that is not in tonight's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vanished {
    pub fingerprint: String,
    pub rule: String,
    pub manager: String,
    pub entity_kind: EntityKind,
    pub entity_id: String,
    pub deal_id: Option<String>,
    /// The audit moment of the first run of its open stretch.
    pub since: String,
    /// The runs in a row it was seen in.
    pub runs: u32,
}

/// What the caller makes of a vanished violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Its record is still in the inputs and no longer breaks the rule.
    Fixed,
    /// Its deal (or record) is no longer in the inputs: deleted, closed out
    /// of the export, or the export is incomplete. Not a fix.
    Gone,
    /// Tonight could not judge it (its rule did not run, or could not be
    /// checked): it stays open as it was, neither fixed nor counted.
    NotJudged,
}

/// What recording a run found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The run's number in the history.
    pub run: i64,
    /// One per violation of the run, in its order.
    pub statuses: Vec<Status>,
    pub fixed: Vec<Vanished>,
    pub gone: Vec<Vanished>,
    /// The last run's violations tonight could not judge (their rule did
    /// not run, was not checked in full, or an input looked incomplete):
    /// kept open, neither fixed nor seen.
    pub not_judged: Vec<Vanished>,
}

/// A violation's open stretch, as stored.
struct Stretch {
    last_run: i64,
    streak: u32,
    /// The audit moment the stretch began.
    since: String,
}

/// A violation's `since`, or for a stretch whose first run an older
/// version pruned, the oldest run kept.
pub(super) const SINCE: &str = "coalesce(v.since, (SELECT as_of FROM runs ORDER BY id LIMIT 1))";

impl History {
    /// Records `run`: tonight's statuses, and the last run's violations
    /// that vanished, judged by `classify` (day-bound ones never are).
    pub fn record(
        &mut self,
        run: &Run,
        classify: impl Fn(&Vanished) -> Outcome,
    ) -> anyhow::Result<Recorded> {
        self.record_then(run, classify, |_| Ok(()))
    }

    /// As `record`, with `deliver` (writing tonight's report) run before
    /// the run is committed: when delivering fails, the history is left as
    /// the last run left it, so a rerun is not counted twice and no night's
    /// fixes are recorded unseen.
    pub fn record_then(
        &mut self,
        run: &Run,
        classify: impl Fn(&Vanished) -> Outcome,
        deliver: impl FnOnce(&Recorded) -> anyhow::Result<()>,
    ) -> anyhow::Result<Recorded> {
        let path = self.path.clone();
        let fail = |e: rusqlite::Error| super::failed_at(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        // An earlier night is refused; a rerun of the newest replaces it.
        let previous = super::night::make_room(&path, &tx, run.as_of)?;
        tx.execute(
            "INSERT INTO runs (as_of, rule_set, rule_set_hash, tool_version, violations, new, \
             fixed, gone) VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0)",
            params![
                run.as_of,
                run.rule_set,
                run.rule_set_hash,
                run.tool_version,
                run.violations.len() as i64
            ],
        )
        .map_err(fail)?;
        let id = tx.last_insert_rowid();
        super::night::keep_before(&tx, id, previous).map_err(fail)?;

        let statuses = statuses(&tx, run, id, previous, &path)?;
        let (fixed, gone, not_judged) = match previous {
            Some(previous) => vanished(&tx, previous, id, classify, &path)?,
            None => (Vec::new(), Vec::new(), Vec::new()),
        };
        write_counts(&tx, run, id, &statuses, &fixed, &path)?;
        let new = statuses.iter().filter(|s| **s == Status::New).count() as i64;
        tx.execute(
            "UPDATE runs SET new = ?2, fixed = ?3, gone = ?4 WHERE id = ?1",
            params![id, new, fixed.len() as i64, gone.len() as i64],
        )
        .map_err(fail)?;
        let recorded = Recorded {
            run: id,
            statuses,
            fixed,
            gone,
            not_judged,
        };
        deliver(&recorded)?;
        tx.commit().map_err(fail)?;
        Ok(recorded)
    }
}

/// Tonight's violations, each new or open since an earlier run: an open
/// one carries its stretch on, a new one starts one. In run `id`, after
/// run `previous`.
fn statuses(
    tx: &Transaction,
    run: &Run,
    id: i64,
    previous: Option<i64>,
    path: &Path,
) -> anyhow::Result<Vec<Status>> {
    let fail = |e: rusqlite::Error| super::failed_at(path, e);
    // Each is set below: `order` holds every index once.
    let mut statuses: Vec<Status> = vec![Status::New; run.violations.len()];
    // In the order of the fingerprints, as the history keeps its rows:
    // each page of the table and its index is visited in one stretch.
    let mut order: Vec<usize> = (0..run.violations.len()).collect();
    order.sort_by_key(|&i| (run.violations[i].fingerprint, i));
    let mut last: Option<usize> = None;
    {
        let mut find = tx
            .prepare_cached(&format!(
                "SELECT v.last_run, v.streak, {SINCE} FROM violations v WHERE v.fingerprint = ?1"
            ))
            .map_err(fail)?;
        let mut carry = tx
            .prepare_cached(
                "UPDATE violations SET last_run = ?2, seen_run = ?2, streak = streak + 1, \
                 manager = ?3, severity = ?4, deal_id = ?5 WHERE fingerprint = ?1",
            )
            .map_err(fail)?;
        let mut start = tx
            .prepare_cached(
                "INSERT OR REPLACE INTO violations (fingerprint, rule, manager, entity_kind, \
                 entity_id, deal_id, severity, day_bound, first_run, last_run, seen_run, \
                 streak, since) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9, 1, ?10)",
            )
            .map_err(fail)?;
        for i in order {
            let v = &run.violations[i];
            // The same fingerprint twice in one run is one violation.
            if let Some(first) = last.filter(|&l| run.violations[l].fingerprint == v.fingerprint) {
                statuses[i] = statuses[first].clone();
                continue;
            }
            last = Some(i);
            let stretch = find
                .query_row([v.fingerprint], |r| {
                    Ok(Stretch {
                        last_run: r.get(0)?,
                        streak: r.get(1)?,
                        since: r.get(2)?,
                    })
                })
                .optional()
                .map_err(fail)?;
            let status = match stretch {
                Some(s) if Some(s.last_run) == previous => {
                    carry
                        .execute(params![v.fingerprint, id, v.manager, v.severity, v.deal_id])
                        .map_err(fail)?;
                    Status::Open {
                        since: s.since,
                        runs: s.streak + 1,
                    }
                }
                other => {
                    if other.is_some() {
                        // An ended stretch, replaced by a new one.
                        super::night::keep_replaced(tx, id, v.fingerprint).map_err(fail)?;
                    }
                    start
                        .execute(params![
                            v.fingerprint,
                            v.rule,
                            v.manager,
                            v.entity_kind,
                            v.entity_id,
                            v.deal_id,
                            v.severity,
                            v.day_bound,
                            id,
                            run.as_of
                        ])
                        .map_err(fail)?;
                    Status::New
                }
            };
            statuses[i] = status;
        }
    }
    Ok(statuses)
}

/// The last run's violations not seen tonight, judged by `classify`:
/// fixed, gone with their record, or not judged tonight (kept open into
/// run `id`). A day's record is neither fixed nor gone. Returns the
/// fixed, the gone and the not judged.
#[allow(clippy::type_complexity)]
fn vanished(
    tx: &Transaction,
    previous: i64,
    id: i64,
    classify: impl Fn(&Vanished) -> Outcome,
    path: &Path,
) -> anyhow::Result<(Vec<Vanished>, Vec<Vanished>, Vec<Vanished>)> {
    let fail = |e: rusqlite::Error| super::failed_at(path, e);
    let (mut fixed, mut gone, mut unjudged) = (Vec::new(), Vec::new(), Vec::new());
    {
        let mut vanished = tx
            .prepare_cached(&format!(
                "SELECT v.fingerprint, v.rule, v.manager, v.entity_kind, v.entity_id, \
                 v.deal_id, {SINCE}, v.streak, v.day_bound FROM violations v \
                 WHERE v.last_run = ?1 \
                 ORDER BY v.manager, v.rule, v.entity_id, v.fingerprint"
            ))
            .map_err(fail)?;
        let rows = vanished
            .query_map([previous], |r| {
                let vanished = Vanished {
                    fingerprint: r.get(0)?,
                    rule: r.get(1)?,
                    manager: r.get(2)?,
                    entity_kind: stored_kind(r, 3)?,
                    entity_id: r.get(4)?,
                    deal_id: r.get(5)?,
                    since: r.get(6)?,
                    runs: r.get(7)?,
                };
                Ok((vanished, r.get::<_, bool>(8)?))
            })
            .map_err(fail)?;
        for row in rows {
            let (v, day_bound) = row.map_err(fail)?;
            match classify(&v) {
                // A day's record is never fixed by the window moving
                // past it; but a night whose rule could not judge it
                // keeps it open, as any other.
                Outcome::NotJudged => unjudged.push(v),
                _ if day_bound => {}
                Outcome::Fixed => fixed.push(v),
                Outcome::Gone => gone.push(v),
            }
        }
        drop(vanished);
        let mut keep_open = tx
            .prepare_cached("UPDATE violations SET last_run = ?2 WHERE fingerprint = ?1")
            .map_err(fail)?;
        for v in &unjudged {
            keep_open
                .execute(params![v.fingerprint, id])
                .map_err(fail)?;
        }
    }
    Ok((fixed, gone, unjudged))
}

/// Run `id`'s counts per manager (with those fixed), per rule, and its
/// inputs' rows.
fn write_counts(
    tx: &Transaction,
    run: &Run,
    id: i64,
    statuses: &[Status],
    fixed: &[Vanished],
    path: &Path,
) -> anyhow::Result<()> {
    let fail = |e: rusqlite::Error| super::failed_at(path, e);
    let by_manager = counts(run.violations, statuses, |v| v.manager);
    let by_rule = counts(run.violations, statuses, |v| v.rule);
    let mut fixed_by_manager: BTreeMap<&str, i64> = BTreeMap::new();
    for v in fixed {
        *fixed_by_manager.entry(v.manager.as_str()).or_default() += 1;
    }
    {
        let mut manager = tx
            .prepare_cached(
                "INSERT INTO run_managers (run_id, manager, violations, deals_in_work, new, \
                 fixed, lead_violations) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(fail)?;
        let mut names: BTreeMap<&str, (i64, i64)> = run
            .managers
            .iter()
            .map(|m| (m.name, (m.deals_in_work as i64, m.lead_violations as i64)))
            .collect();
        for name in by_manager.keys().chain(fixed_by_manager.keys()) {
            names.entry(name).or_insert((0, 0));
        }
        for (name, (deals, leads)) in names {
            let (count, new) = by_manager.get(name).copied().unwrap_or((0, 0));
            let fixed = fixed_by_manager.get(name).copied().unwrap_or(0);
            manager
                .execute(params![id, name, count, deals, new, fixed, leads])
                .map_err(fail)?;
        }
        let mut rule = tx
            .prepare_cached(
                "INSERT INTO run_rules (run_id, rule, violations, new) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(fail)?;
        for (name, (count, new)) in &by_rule {
            rule.execute(params![id, name, count, new]).map_err(fail)?;
        }
        let mut input = tx
            .prepare_cached(
                "INSERT INTO run_inputs (run_id, path, kind, rows) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(fail)?;
        for file in run.inputs {
            input
                .execute(params![id, file.path, file.kind, file.rows as i64])
                .map_err(fail)?;
        }
    }
    Ok(())
}

/// Violations and new ones per manager or rule (`pick`), by name.
fn counts<'a>(
    violations: &[Seen<'a>],
    statuses: &[Status],
    pick: fn(&Seen<'a>) -> &'a str,
) -> BTreeMap<&'a str, (i64, i64)> {
    let mut counts: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for (v, status) in violations.iter().zip(statuses) {
        let entry = counts.entry(pick(v)).or_default();
        entry.0 += 1;
        entry.1 += i64::from(*status == Status::New);
    }
    counts
}

/// An entity kind as the history stores it; a word this version does not
/// know is a history it cannot read, not a record of no kind.
pub(super) fn stored_kind(r: &rusqlite::Row, index: usize) -> rusqlite::Result<EntityKind> {
    let word: String = r.get(index)?;
    EntityKind::parse(&word).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown entity kind `{word}`").into(),
        )
    })
}

//! What the morning digest reads from the history: the newest run's
//! totals, each manager's counts in it, and the violations seen in it that
//! have been open longest. Only violations seen in that run are named: one
//! its rules could not judge is kept open by the history, but it was not
//! found tonight, and the digest blames no one for it.

use super::{History, RunRow};
use rusqlite::OptionalExtension;

/// A manager's numbers in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerCounts {
    pub manager: String,
    pub violations: i64,
    pub new: i64,
    pub fixed: i64,
}

/// A violation seen in the run, open since an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chronic {
    pub rule: String,
    pub manager: String,
    pub entity_kind: crate::report::EntityKind,
    pub entity_id: String,
    /// The audit moment of the first run of its open stretch, RFC 3339.
    pub since: String,
    /// The runs in a row it was seen in, the newest included.
    pub runs: u32,
}

impl History {
    /// The newest run, if the history holds one.
    pub fn latest_run(&self) -> anyhow::Result<Option<RunRow>> {
        self.conn
            .query_row(
                "SELECT id, as_of, rule_set, violations, new, fixed, gone FROM runs \
                 ORDER BY id DESC LIMIT 1",
                [],
                RunRow::read,
            )
            .optional()
            .map_err(|e| self.failed(e))
    }

    /// The managers of `run` with a violation or a fix in it: the most
    /// violations first, then by name.
    pub fn manager_counts(&self, run: i64) -> anyhow::Result<Vec<ManagerCounts>> {
        self.select(
            "SELECT manager, violations, new, fixed FROM run_managers \
             WHERE run_id = ?1 AND (violations > 0 OR fixed > 0) \
             ORDER BY violations DESC, manager",
            [run],
            |r| {
                Ok(ManagerCounts {
                    manager: r.get(0)?,
                    violations: r.get(1)?,
                    new: r.get(2)?,
                    fixed: r.get(3)?,
                })
            },
        )
    }

    /// Up to `limit` violations seen in `run` and in the run before it, the
    /// longest open first (the earliest start, then the most runs), ties in
    /// a fixed order.
    pub fn chronic(&self, run: i64, limit: usize) -> anyhow::Result<Vec<Chronic>> {
        let sql = format!(
            "SELECT v.rule, v.manager, v.entity_kind, v.entity_id, {}, v.streak \
                 FROM violations v WHERE v.seen_run = ?1 AND v.streak > 1 \
                 ORDER BY v.first_run, v.streak DESC, v.manager, v.rule, v.entity_id, \
                 v.fingerprint LIMIT ?2",
            super::record::SINCE
        );
        self.select(&sql, [run, limit as i64], |r| {
            Ok(Chronic {
                rule: r.get(0)?,
                manager: r.get(1)?,
                entity_kind: super::record::stored_kind(r, 2)?,
                entity_id: r.get(3)?,
                since: r.get(4)?,
                runs: r.get(5)?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{schema, InputRows, ManagerRun, Outcome, Run, Seen};
    use super::*;

    fn seen<'a>(fingerprint: &'a str, rule: &'a str, manager: &'a str) -> Seen<'a> {
        Seen {
            fingerprint,
            rule,
            manager,
            entity_kind: "task",
            entity_id: fingerprint,
            deal_id: Some("801"),
            severity: "error",
            day_bound: false,
        }
    }

    fn record(history: &mut History, as_of: &str, violations: &[Seen], unjudged: &[&str]) {
        let managers = [ManagerRun {
            name: "Иванова Мария",
            deals_in_work: 4,
            lead_violations: 0,
        }];
        let inputs = [InputRows {
            path: "deals.csv",
            kind: "deals",
            rows: 4,
        }];
        let run = Run {
            as_of,
            rule_set: "Регламент",
            rule_set_hash: "0",
            tool_version: "0.1.0",
            inputs: &inputs,
            violations,
            managers: &managers,
        };
        history
            .record(&run, |v| {
                if unjudged.contains(&v.fingerprint.as_str()) {
                    Outcome::NotJudged
                } else {
                    Outcome::Fixed
                }
            })
            .unwrap();
    }

    /// Night 1: A, B, C. Night 2: A, B (C fixed). Night 3: A and D (new);
    /// B's rule did not run, so the history keeps B open, but it was not
    /// seen on night 3. Chronic on night 3: A alone (since night 1, 3 runs);
    /// B is not named, D is new. Иванова: 2 violations, 1 new, 0 fixed.
    #[test]
    fn only_violations_seen_tonight_are_chronic() {
        let dir = tempfile::tempdir().unwrap();
        let mut history = History::open(&dir.path().join("h.sqlite")).unwrap();
        let m = "Иванова Мария";
        let (a, b, c, d) = (
            seen("A", "overdue-task", m),
            seen("B", "call-conduct", m),
            seen("C", "overdue-task", m),
            seen("D", "overdue-task", m),
        );
        record(&mut history, "2026-11-25T02:00:00+03:00", &[a, b, c], &[]);
        record(&mut history, "2026-11-26T02:00:00+03:00", &[a, b], &[]);
        record(&mut history, "2026-11-27T02:00:00+03:00", &[a, d], &["B"]);
        let latest = history.latest_run().unwrap().unwrap();
        assert_eq!((latest.run, latest.violations, latest.new), (3, 2, 1));
        let chronic = history.chronic(latest.run, 5).unwrap();
        assert_eq!(
            chronic,
            [Chronic {
                rule: "overdue-task".into(),
                manager: m.into(),
                entity_kind: crate::report::EntityKind::Task,
                entity_id: "A".into(),
                since: "2026-11-25T02:00:00+03:00".into(),
                runs: 3,
            }]
        );
        assert_eq!(
            history.manager_counts(2).unwrap(),
            [ManagerCounts {
                manager: m.into(),
                violations: 2,
                new: 0,
                fixed: 1,
            }]
        );
    }

    /// Night 1: E and F. Night 2: A–G, so E and F are open since night 1
    /// and A, B, C, D, G since night 2. Night 3: all seven again. The five
    /// open longest: E, F (since night 1, 3 runs), then A, B, C (since
    /// night 2, 2 runs; by entity). D and G are not named.
    #[test]
    fn five_are_named_the_longest_open_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut history = History::open(&dir.path().join("h.sqlite")).unwrap();
        let m = "Иванова Мария";
        let all: Vec<Seen> = ["A", "B", "C", "D", "E", "F", "G"]
            .into_iter()
            .map(|f| seen(f, "overdue-task", m))
            .collect();
        let early = [all[4], all[5]];
        record(&mut history, "2026-11-25T02:00:00+03:00", &early, &[]);
        record(&mut history, "2026-11-26T02:00:00+03:00", &all, &[]);
        record(&mut history, "2026-11-27T02:00:00+03:00", &all, &[]);
        let named: Vec<(String, u32)> = history
            .chronic(3, CHRONIC)
            .unwrap()
            .into_iter()
            .map(|c| (c.entity_id, c.runs))
            .collect();
        let expected = [("E", 3), ("F", 3), ("A", 2), ("B", 2), ("C", 2)];
        assert_eq!(
            named,
            expected.map(|(id, runs)| (id.to_string(), runs)).to_vec()
        );
    }

    const CHRONIC: usize = 5;

    #[test]
    fn an_empty_history_has_no_latest_run() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::open(&dir.path().join("h.sqlite")).unwrap();
        assert_eq!(history.latest_run().unwrap(), None);
    }

    /// A history written before violations carried `seen_run`: X was seen
    /// in every run of its stretch (streak 3 over runs 1–3), so it was seen
    /// in run 3; Y's streak of 2 over runs 1–3 means one run only kept it
    /// open, perhaps run 3, so it is not taken as seen there.
    #[test]
    fn migrating_an_older_history_marks_only_what_was_surely_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO runs VALUES (1, '2026-11-26T02:00:00+03:00', 'r', 'h', '0', 2, 2, 0, 0);
             INSERT INTO runs VALUES (2, '2026-11-27T02:00:00+03:00', 'r', 'h', '0', 2, 0, 0, 0);
             INSERT INTO runs VALUES (3, '2026-11-28T02:00:00+03:00', 'r', 'h', '0', 1, 0, 0, 0);
             INSERT INTO violations VALUES
               ('X', 'overdue-task', 'Иванова Мария', 'task', 'X', '801', 'error', 0, 1, 3, 3),
               ('Y', 'call-conduct', 'Иванова Мария', 'call', 'Y', NULL, 'error', 0, 1, 3, 2);",
        )
        .unwrap();
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        drop(conn);
        let history = History::open(&path).unwrap();
        let chronic = history.chronic(3, 5).unwrap();
        let ids: Vec<&str> = chronic.iter().map(|c| c.entity_id.as_str()).collect();
        assert_eq!(ids, ["X"]);
    }
}

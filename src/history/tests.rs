//! The history over a few hand-made nights: statuses, fixes, deals gone,
//! days never fixed, trends, pruning, and files that are not a history.

use super::*;
use std::collections::HashSet;

fn seen<'a>(fingerprint: &'a str, manager: &'a str, deal: Option<&'a str>) -> Seen<'a> {
    Seen {
        fingerprint,
        rule: "overdue-task",
        manager,
        entity_kind: "task",
        entity_id: fingerprint,
        deal_id: deal,
        severity: "error",
        day_bound: false,
    }
}

fn quota_day<'a>(fingerprint: &'a str, manager: &'a str) -> Seen<'a> {
    Seen {
        rule: "daily-call-quota",
        entity_kind: "manager-day",
        deal_id: None,
        severity: "warning",
        day_bound: true,
        ..seen(fingerprint, manager, None)
    }
}

const MANAGERS: [ManagerRun; 2] = [
    ManagerRun {
        name: "Иванова Мария",
        deals_in_work: 10,
        lead_violations: 0,
    },
    ManagerRun {
        name: "Петров Алексей",
        deals_in_work: 4,
        lead_violations: 0,
    },
];

fn run<'a>(as_of: &'a str, violations: &'a [Seen<'a>]) -> Run<'a> {
    Run {
        as_of,
        rule_set: "Регламент отдела продаж",
        rule_set_hash: "abc",
        tool_version: "0.1.0",
        inputs: &[InputRows {
            path: "deals.csv",
            kind: "deals",
            rows: 14,
        }],
        violations,
        managers: &MANAGERS,
    }
}

/// Judges a vanished violation fixed when its deal is among `deals`.
fn by_deals(deals: &[&str]) -> impl Fn(&Vanished) -> Outcome {
    let deals: HashSet<String> = deals.iter().map(|d| d.to_string()).collect();
    move |v| match &v.deal_id {
        Some(d) if !deals.contains(d) => Outcome::Gone,
        _ => Outcome::Fixed,
    }
}

fn open_in(dir: &tempfile::TempDir) -> History {
    History::open(&dir.path().join("history.sqlite")).unwrap()
}

#[test]
fn a_week_of_nights_new_open_fixed_gone_and_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);

    // Night 1: everything is new.
    let night1 = [
        seen("A", "Иванова Мария", Some("1")),
        seen("B", "Петров Алексей", Some("2")),
        quota_day("Q1", "Петров Алексей"),
    ];
    let r1 = history
        .record(
            &run("2026-11-24T02:00:00+03:00", &night1),
            by_deals(&["1", "2"]),
        )
        .unwrap();
    assert_eq!(r1.run, 1);
    assert_eq!(r1.statuses, vec![Status::New; 3]);
    assert!(r1.fixed.is_empty() && r1.gone.is_empty());

    // Night 2: A is still there; B's task was done (deal 2 still read);
    // the quota day Q1 left the window, which fixes nothing; Q2 is new.
    let night2 = [
        seen("A", "Иванова Мария", Some("1")),
        quota_day("Q2", "Петров Алексей"),
    ];
    let r2 = history
        .record(
            &run("2026-11-25T02:00:00+03:00", &night2),
            by_deals(&["1", "2"]),
        )
        .unwrap();
    assert_eq!(
        r2.statuses,
        vec![
            Status::Open {
                since: "2026-11-24T02:00:00+03:00".into(),
                runs: 2
            },
            Status::New
        ]
    );
    assert_eq!(r2.fixed.len(), 1);
    assert_eq!(r2.fixed[0].fingerprint, "B");
    assert_eq!(r2.fixed[0].since, "2026-11-24T02:00:00+03:00");
    assert_eq!(r2.fixed[0].runs, 1);
    assert!(r2.gone.is_empty());

    // Night 3: deal 1 is no longer in the inputs: A is gone, not fixed.
    // B is back: new again, not open.
    let night3 = [seen("B", "Петров Алексей", Some("2"))];
    let r3 = history
        .record(&run("2026-11-26T02:00:00+03:00", &night3), by_deals(&["2"]))
        .unwrap();
    assert_eq!(r3.statuses, vec![Status::New]);
    assert!(r3.fixed.is_empty());
    assert_eq!(r3.gone.len(), 1);
    assert_eq!(r3.gone[0].fingerprint, "A");
    assert_eq!(r3.gone[0].runs, 2);

    let runs = history.runs(14).unwrap();
    let counts: Vec<(i64, i64, i64, i64)> = runs
        .iter()
        .map(|r| (r.violations, r.new, r.fixed, r.gone))
        .collect();
    assert_eq!(counts, [(3, 3, 0, 0), (2, 1, 1, 0), (1, 1, 0, 1)]);

    // Петров: 2, 1, 1 violations over 4 deals in work: 5, 2.5, 2.5 per 10.
    let trend = history
        .trend(Subject::Manager("Петров Алексей"), 14)
        .unwrap();
    let points: Vec<(i64, Option<f64>)> = trend
        .iter()
        .map(|p| (p.violations, p.per_10_deals))
        .collect();
    assert_eq!(points, [(2, Some(5.0)), (1, Some(2.5)), (1, Some(2.5))]);
    // The department: 3, 2, 1 over 14 deals.
    let department = history.trend(Subject::Department, 2).unwrap();
    let points: Vec<(i64, Option<i64>)> = department
        .iter()
        .map(|p| (p.violations, p.deals_in_work))
        .collect();
    assert_eq!(points, [(2, Some(14)), (1, Some(14))]);
    let quota = history
        .trend(Subject::Rule("daily-call-quota"), 14)
        .unwrap();
    let counts: Vec<i64> = quota.iter().map(|p| p.violations).collect();
    assert_eq!(counts, [1, 1, 0]);
}

#[test]
fn a_violation_tonight_could_not_judge_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);
    let a = [seen("A", "Иванова Мария", Some("1"))];
    history
        .record(&run("2026-11-24T02:00:00+03:00", &a), by_deals(&["1"]))
        .unwrap();
    // Night 2 ran without its rule: neither fixed nor gone.
    let r2 = history
        .record(&run("2026-11-25T02:00:00+03:00", &[]), |_| {
            Outcome::NotJudged
        })
        .unwrap();
    assert!(r2.fixed.is_empty() && r2.gone.is_empty());
    // Night 3 sees it again: still open since night 1.
    let r3 = history
        .record(&run("2026-11-26T02:00:00+03:00", &a), by_deals(&["1"]))
        .unwrap();
    assert_eq!(
        r3.statuses,
        [Status::Open {
            since: "2026-11-24T02:00:00+03:00".into(),
            runs: 2
        }]
    );
}

#[test]
fn a_run_that_fails_midway_leaves_the_last_good_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);
    let a = [seen("A", "Иванова Мария", Some("1"))];
    history
        .record(&run("2026-11-24T02:00:00+03:00", &a), by_deals(&["1"]))
        .unwrap();
    let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        history.record(&run("2026-11-25T02:00:00+03:00", &[]), |_| {
            panic!("killed while judging")
        })
    }));
    assert!(failed.is_err());
    drop(history);
    let mut history = open_in(&dir);
    assert_eq!(history.runs(10).unwrap().len(), 1);
    let r = history
        .record(&run("2026-11-26T02:00:00+03:00", &a), by_deals(&["1"]))
        .unwrap();
    assert!(matches!(r.statuses[0], Status::Open { runs: 2, .. }));
}

#[test]
fn runs_at_once_wait_for_each_other_even_on_a_new_file() {
    // Several runs opening a history that does not exist yet: one creates
    // its schema while the others look; none may take the half-made file
    // for another program's database, and every run is recorded unless a
    // later night got there first (nights are kept in order). Repeated on
    // fresh files, since the moment that matters is short.
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite");
        let threads: Vec<_> = (0..4)
            .map(|n| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut history = History::open(&path)
                        .unwrap_or_else(|e| panic!("round {round}, run {n}: {e:#}"));
                    let as_of = format!("2026-11-2{n}T02:00:00+03:00");
                    let a = [seen("A", "Иванова Мария", Some("1"))];
                    match history.record(&run(&as_of, &a), |_| Outcome::Fixed) {
                        Ok(_) => true,
                        Err(e) if format!("{e:#}").contains("its newest night is") => false,
                        Err(e) => panic!("round {round}, run {n}: {e:#}"),
                    }
                })
            })
            .collect();
        let recorded = threads
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|&ok| ok)
            .count();
        let runs = History::open(&path).unwrap().runs(10).unwrap();
        assert_eq!(runs.len(), recorded);
        assert!(recorded >= 1);
        assert!(runs.windows(2).all(|w| w[0].as_of < w[1].as_of), "{runs:?}");
    }
}

#[test]
fn prune_keeps_the_newest_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);
    for day in 1..=5 {
        let as_of = format!("2026-11-0{day}T02:00:00+03:00");
        let a = [seen("A", "Иванова Мария", Some("1"))];
        history
            .record(&run(&as_of, &a), |_| Outcome::Fixed)
            .unwrap();
    }
    assert_eq!(history.prune(2).unwrap(), 3);
    let runs: Vec<i64> = history.runs(10).unwrap().iter().map(|r| r.run).collect();
    assert_eq!(runs, [4, 5]);
    assert_eq!(history.trend(Subject::Department, 14).unwrap().len(), 2);
}

/// `history.open` on `bytes` fails with a message containing `expected`,
/// and leaves the file byte for byte.
fn refused(bytes: &[u8], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    std::fs::write(&path, bytes).unwrap();
    let e = format!("{:#}", History::open(&path).err().expect("refused"));
    assert!(e.contains(expected), "{e}");
    assert!(e.contains("it was left as it was"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_text_file_is_not_a_history() {
    refused(
        "Дата;Менеджер\n27.11.2026;Иванова\n".repeat(200).as_bytes(),
        "not a crm-audit history database (not SQLite)",
    );
}

#[test]
fn another_programs_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x');")
        .unwrap();
    drop(conn);
    refused(
        &std::fs::read(&other).unwrap(),
        "a SQLite database of another program",
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.sqlite");
    drop(open_in_path(&newer));
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    refused(
        &std::fs::read(&newer).unwrap(),
        "written by a newer crm-audit (schema 99",
    );
}

fn open_in_path(path: &std::path::Path) -> History {
    History::open(path).unwrap()
}

#[test]
fn a_corrupt_history_is_refused() {
    // A real history with its pages after the header overwritten.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.sqlite");
    let mut history = open_in_path(&path);
    let a = [seen("A", "Иванова Мария", Some("1"))];
    history
        .record(&run("2026-11-24T02:00:00+03:00", &a), |_| Outcome::Fixed)
        .unwrap();
    drop(history);
    let mut bytes = std::fs::read(&path).unwrap();
    for byte in &mut bytes[100..] {
        *byte = 0x5a;
    }
    refused(&bytes, "history");
}

#[test]
fn a_folder_is_not_a_history() {
    let dir = tempfile::tempdir().unwrap();
    let e = History::open(dir.path()).err().unwrap().to_string();
    assert!(e.ends_with("not a regular file"), "{e}");
}

#[test]
fn the_last_runs_inputs_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);
    assert!(history
        .last_inputs("2026-11-25T02:00:00+03:00")
        .unwrap()
        .is_empty());
    let mut run = run("2026-11-24T02:00:00+03:00", &[]);
    let inputs = [
        InputRows {
            path: "deals.csv",
            kind: "deals",
            rows: 40,
        },
        InputRows {
            path: "deals_old.csv",
            kind: "deals",
            rows: 20,
        },
        InputRows {
            path: "calls.csv",
            kind: "calls",
            rows: 523,
        },
    ];
    run.inputs = &inputs;
    history.record(&run, |_| Outcome::Fixed).unwrap();
    let last = history.last_inputs("2026-11-25T02:00:00+03:00").unwrap();
    // Tonight's own run is the attempt a retry replaces: no measure.
    assert!(history
        .last_inputs("2026-11-24T02:00:00+03:00")
        .unwrap()
        .is_empty());
    assert_eq!(
        last.into_iter().collect::<Vec<_>>(),
        [("calls".to_string(), 523), ("deals".to_string(), 60)]
    );
}

#[test]
fn a_stretch_keeps_its_start_when_prune_drops_that_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);
    let a = [seen("A", "Иванова Мария", Some("1"))];
    for day in 1..=3 {
        let as_of = format!("2026-11-0{day}T02:00:00+03:00");
        history
            .record(&run(&as_of, &a), |_| Outcome::Fixed)
            .unwrap();
    }
    // Runs 1 and 2 go; A's stretch began in run 1.
    assert_eq!(history.prune(1).unwrap(), 2);
    let recorded = history
        .record(&run("2026-11-04T02:00:00+03:00", &a), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!(
        recorded.statuses,
        [Status::Open {
            since: "2026-11-01T02:00:00+03:00".into(),
            runs: 4
        }]
    );
    // Gone the next night, it is fixed with the same start.
    let recorded = history
        .record(&run("2026-11-05T02:00:00+03:00", &[]), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!(recorded.fixed.len(), 1);
    assert_eq!(recorded.fixed[0].since, "2026-11-01T02:00:00+03:00");
}

/// A violation fixed on night 2 and back on night 3 starts a new stretch
/// over its old row; night 3 run again without it must find the old row
/// as it was (its stretch ended on night 1: neither open nor fixed again),
/// and with it, new again.
#[test]
fn a_rerun_of_the_newest_night_restores_a_stretch_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);
    let a = [seen("A", "Иванова Мария", Some("1"))];
    let night = |day: u32| format!("2026-11-{day}T02:00:00+03:00");
    history
        .record(&run(&night(25), &a), |_| Outcome::Fixed)
        .unwrap();
    let r = history
        .record(&run(&night(26), &[]), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!(r.fixed.len(), 1);
    let r = history
        .record(&run(&night(27), &a), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!((r.run, r.statuses[0].clone()), (3, Status::New));
    // Night 3 again, A not there: nothing of the last run (night 2) to fix.
    let r = history
        .record(&run(&night(27), &[]), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!(r.run, 3);
    assert!(r.fixed.is_empty() && r.not_judged.is_empty());
    // And once more with A: new, as on the first run of night 3.
    let r = history
        .record(&run(&night(27), &a), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!((r.run, r.statuses[0].clone()), (3, Status::New));
    assert_eq!(history.runs(10).unwrap().len(), 3);
    // An earlier night is refused, and changes nothing.
    let e = history
        .record(&run(&night(26), &a), |_| Outcome::Fixed)
        .unwrap_err();
    assert!(
        format!("{e:#}").contains("its newest night is 27.11.2026 02:00 (run 3)"),
        "{e:#}"
    );
    assert_eq!(history.runs(10).unwrap().len(), 3);
}

/// A history of schema 5 (`run_undo` tied to `runs` by a foreign key)
/// keeps what its newest run needs for a rerun, and loses the key: the
/// rerun after migrating restores the night before as it was.
#[test]
fn migrating_run_undo_keeps_the_newest_runs_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let night = |day: u32| format!("2026-11-{day}T02:00:00+03:00");
    let a = [seen("A", "Иванова Мария", Some("1"))];
    {
        let mut history = History::open(&path).unwrap();
        for day in [25, 26] {
            history
                .record(&run(&night(day), &a), |_| Outcome::Fixed)
                .unwrap();
        }
    }
    // Back to schema 5 as an older version left it: the key, and a row
    // kept for a run that is gone.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             ALTER TABLE run_undo RENAME TO kept;
             CREATE TABLE run_undo (
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                fingerprint TEXT NOT NULL, rule TEXT NOT NULL, manager TEXT NOT NULL,
                entity_kind TEXT NOT NULL, entity_id TEXT NOT NULL, deal_id TEXT,
                severity TEXT NOT NULL, day_bound INTEGER NOT NULL,
                first_run INTEGER NOT NULL, last_run INTEGER NOT NULL,
                streak INTEGER NOT NULL, seen_run INTEGER, since TEXT,
                PRIMARY KEY (run_id, fingerprint)) WITHOUT ROWID;
             INSERT INTO run_undo SELECT * FROM kept;
             INSERT INTO run_undo SELECT 9, 'B', rule, manager, entity_kind, 'B', deal_id,
                severity, day_bound, first_run, last_run, streak, seen_run, since FROM kept;
             DROP TABLE kept;",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 5).unwrap();
    }
    let mut history = History::open(&path).unwrap();
    let conn = &history.conn;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::MIGRATIONS.len() as i64);
    let keys: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_foreign_key_list('run_undo')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(keys, 0);
    let kept: Vec<(i64, String)> = conn
        .prepare("SELECT run_id, fingerprint FROM run_undo ORDER BY run_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kept, [(2, "A".to_string())]);
    // Night 2 again without A: A was open on night 1, so it is fixed now,
    // as if the first run of night 2 had not happened.
    let r = history
        .record(&run(&night(26), &[]), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!(r.run, 2);
    let fixed: Vec<(&str, u32)> = r
        .fixed
        .iter()
        .map(|v| (v.fingerprint.as_str(), v.runs))
        .collect();
    assert_eq!(fixed, [("A", 1)]);
}

/// Pruning keeps the newest run's record for a rerun, and forgets it
/// with the run; forgetting every run forgets every violation.
#[test]
fn a_rerun_after_prune_still_restores_the_night_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);
    let night = |day: u32| format!("2026-11-{day}T02:00:00+03:00");
    let a = [seen("A", "Иванова Мария", Some("1"))];
    for day in [25, 26, 27] {
        history
            .record(&run(&night(day), &a), |_| Outcome::Fixed)
            .unwrap();
    }
    assert_eq!(history.prune(2).unwrap(), 1);
    let r = history
        .record(&run(&night(27), &a), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!(r.run, 3);
    assert_eq!(
        r.statuses,
        [Status::Open {
            since: night(25),
            runs: 3
        }]
    );
    // Forgetting every run (the command line refuses; the library obeys)
    // forgets the violations and what was kept for undoing the newest:
    // the next night is a first night, its run 1 again.
    history.prune(0).unwrap();
    let count = |table: &str| -> i64 {
        history
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!((count("violations"), count("run_undo")), (0, 0));
    let r = history
        .record(&run(&night(28), &[]), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!(r.run, 1);
    assert!(r.fixed.is_empty() && r.gone.is_empty() && r.not_judged.is_empty());
}

/// The same fingerprint twice in one run is one violation: both get its
/// status, and the history keeps the first as written.
#[test]
fn a_fingerprint_twice_in_a_run_is_one_violation_kept_as_first_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut history = open_in(&dir);
    let night = |day: u32| format!("2026-11-{day}T02:00:00+03:00");
    let manager_of = |history: &History, fingerprint: &str| -> String {
        history
            .conn
            .query_row(
                "SELECT manager FROM violations WHERE fingerprint = ?1",
                [fingerprint],
                |r| r.get(0),
            )
            .unwrap()
    };
    let first = [
        seen("B", "Петров Алексей", Some("2")),
        seen("A", "Петров Алексей", Some("1")),
        seen("A", "Иванова Мария", Some("1")),
    ];
    let r = history
        .record(&run(&night(25), &first), |_| Outcome::Fixed)
        .unwrap();
    assert_eq!(r.statuses, [Status::New, Status::New, Status::New]);
    assert_eq!(manager_of(&history, "A"), "Петров Алексей");
    let second = [
        seen("A", "Иванова Мария", Some("1")),
        seen("A", "Петров Алексей", Some("1")),
    ];
    let r = history
        .record(&run(&night(26), &second), |_| Outcome::Fixed)
        .unwrap();
    let open = Status::Open {
        since: night(25),
        runs: 2,
    };
    assert_eq!(r.statuses, [open.clone(), open]);
    assert_eq!(manager_of(&history, "A"), "Иванова Мария");
    assert_eq!(r.fixed.len(), 1);
}

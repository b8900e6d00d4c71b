//! The history database's schema, as a list of migrations: migration N
//! takes a database at schema version N-1 (SQLite's `user_version`) to N.
//! A migration is never edited once released; a change is a new one.

/// Marks a SQLite file as this tool's history (SQLite's `application_id`,
/// "CRMA" in ASCII), so another program's database is never written into.
pub const APPLICATION_ID: i32 = 0x4352_4d41;

/// The migrations, in order; the schema version is how many have run.
pub const MIGRATIONS: &[&str] = &[
    // 1: runs, what each read, the violations seen, and per-manager counts.
    "
    CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        as_of         TEXT NOT NULL,      -- the audit moment, RFC 3339
        rule_set      TEXT NOT NULL,
        rule_set_hash TEXT NOT NULL,
        tool_version  TEXT NOT NULL,
        violations    INTEGER NOT NULL,
        new           INTEGER NOT NULL,
        fixed         INTEGER NOT NULL,
        gone          INTEGER NOT NULL
    );
    CREATE TABLE run_inputs (
        run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        path    TEXT NOT NULL,
        kind    TEXT NOT NULL,
        rows    INTEGER NOT NULL
    );
    CREATE INDEX run_inputs_run ON run_inputs(run_id);
    CREATE TABLE violations (
        fingerprint TEXT PRIMARY KEY,
        rule        TEXT NOT NULL,
        manager     TEXT NOT NULL,
        entity_kind TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        deal_id     TEXT,
        severity    TEXT NOT NULL,
        day_bound   INTEGER NOT NULL,     -- a day's record: never fixed
        first_run   INTEGER NOT NULL,     -- the run of this open stretch
        last_run    INTEGER NOT NULL,
        streak      INTEGER NOT NULL      -- runs in a row, up to last_run
    ) WITHOUT ROWID;
    CREATE INDEX violations_last_run ON violations(last_run);
    CREATE TABLE run_rules (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        rule       TEXT NOT NULL,
        violations INTEGER NOT NULL,
        new        INTEGER NOT NULL,
        PRIMARY KEY (run_id, rule)
    ) WITHOUT ROWID;
    CREATE TABLE run_managers (
        run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        manager       TEXT NOT NULL,
        violations    INTEGER NOT NULL,
        deals_in_work INTEGER NOT NULL,
        new           INTEGER NOT NULL,
        fixed         INTEGER NOT NULL,
        PRIMARY KEY (run_id, manager)
    ) WITHOUT ROWID;
    ",
    // 2: the run each violation was last seen in. `last_run` also moves
    // on for a violation tonight could not judge (kept open, not seen), so
    // the morning digest, which names violations seen tonight only, needs
    // its own mark. A violation of an older file counts as seen in its
    // last run only when it was seen in every run of its stretch (its
    // streak spans them all); otherwise it is left unknown, never guessed.
    "
    ALTER TABLE violations ADD COLUMN seen_run INTEGER;
    UPDATE violations SET seen_run = last_run WHERE streak = last_run - first_run + 1;
    ",
    // 3: when each open stretch began, kept with the violation: `prune`
    // drops old runs, and a stretch that began in one of them must keep
    // its date (and not stop the next night's recording). A stretch whose
    // first run an older version already pruned is left NULL; readers take
    // the oldest run kept (it has been open at least since then).
    "
    ALTER TABLE violations ADD COLUMN since TEXT;
    UPDATE violations SET since = (SELECT as_of FROM runs WHERE runs.id = violations.first_run);
    ",
    // 4: per manager and run, the violations of leads (and of their
    // tasks): the trend's violations per 10 deals in work leave them out,
    // as the report does. Earlier runs knew no leads: 0.
    "
    ALTER TABLE run_managers ADD COLUMN lead_violations INTEGER NOT NULL DEFAULT 0;
    ",
    // 5: the newest run can be replaced by a rerun of the same night: what
    // it changed in `violations` is kept (each row it touched, as it was
    // before), for that run only. A run an older version recorded has no
    // such record (`undoable` 0), and is not replaced.
    "
    ALTER TABLE runs ADD COLUMN undoable INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE run_undo (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        rule        TEXT NOT NULL,
        manager     TEXT NOT NULL,
        entity_kind TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        deal_id     TEXT,
        severity    TEXT NOT NULL,
        day_bound   INTEGER NOT NULL,
        first_run   INTEGER NOT NULL,
        last_run    INTEGER NOT NULL,
        streak      INTEGER NOT NULL,
        seen_run    INTEGER,
        since       TEXT,
        PRIMARY KEY (run_id, fingerprint)
    ) WITHOUT ROWID;
    ",
    // 6: `run_undo` without its foreign key on `runs`. Every night empties
    // the table and fills it with about as many rows as the night before
    // left open, and with foreign keys on SQLite checks each row's run on
    // the way in and cannot empty the table at once on the way out (it
    // deletes row by row): 100k rows took 130 ms to delete instead of 20.
    // The history removes a run's rows itself where it removes the run
    // (`night::make_room`, `prune`).
    "
    CREATE TABLE run_undo_6 (
        run_id      INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        rule        TEXT NOT NULL,
        manager     TEXT NOT NULL,
        entity_kind TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        deal_id     TEXT,
        severity    TEXT NOT NULL,
        day_bound   INTEGER NOT NULL,
        first_run   INTEGER NOT NULL,
        last_run    INTEGER NOT NULL,
        streak      INTEGER NOT NULL,
        seen_run    INTEGER,
        since       TEXT,
        PRIMARY KEY (run_id, fingerprint)
    ) WITHOUT ROWID;
    INSERT INTO run_undo_6 (run_id, fingerprint, rule, manager, entity_kind, entity_id,
        deal_id, severity, day_bound, first_run, last_run, streak, seen_run, since)
    SELECT run_id, fingerprint, rule, manager, entity_kind, entity_id, deal_id, severity,
        day_bound, first_run, last_run, streak, seen_run, since
    FROM run_undo WHERE run_id IN (SELECT id FROM runs);
    DROP TABLE run_undo;
    ALTER TABLE run_undo_6 RENAME TO run_undo;
    ",
];

#!/usr/bin/env python3
"""The benchmark's reference: five of crm-audit's rules written in SQL and
run by DuckDB over the same CSV exports.

    duckdb_checks.py DIR [--as-of "2026-11-27 02:00"] [--rules rules/regulation.toml]

DIR holds `deals.csv` (amoCRM deal export), `tasks.csv` and `calls.csv`
(Sipuni's call log, `;`-separated, or the generic layout), as
`examples/generate.rs` writes them. Prints one
JSON object: the number of violations of each rule, keyed like crm-audit's
`totals.by_rule`:

    overdue-task, deal-without-task, missing-phone, refusal-without-reason,
    daily-call-quota

The SQL follows the tool's semantics (src/audit/*.rs, src/input/*.rs) with
the rule set's data read from the same TOML file: stages compared trimmed,
whitespace-collapsed and case-insensitively; final stages from the rule set;
a text ending in ")" is a lost stage when the part before one of its "("
is, with a reason when the rest inside is not blank (a stage the rule set
does not know is in work); managers are one person across files whatever
the case and spacing of their name; a task is completed by its `Выполнена`
flag or, where that is blank, by a completion date; a date-only due is
overdue only after 23:59:59 of its day; a deal in work without an open task
by its ID; missing phone = no digit in any phone column; the quota counts
outgoing calls plus completed letter tasks (by completion date) per manager
(a call's employee: whoever answered an incoming call, the caller of any
other, else the log's manager column)
on the judged working days that the call log covers, for everyone named
responsible in any file (0 when they made no call). Not covered, as the
generated data has none of it: repeated deal or task IDs (the tool merges
such rows), Excel serial dates in CSV cells, a managers roster, and the
fallbacks for a missing tasks file or column.
"""

import argparse
import datetime as dt
import json
import sys
import time
import tomllib
from pathlib import Path

import duckdb

# Rust's char::is_whitespace, as a RE2 class (trim_cell also strips a BOM).
WS = r"\s\x{000B}\x{0085}\x{00A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}"

# value::parse_task_type, value::parse_direction, value::parse_bool.
TASK_TYPE_WORDS = {
    "call": ["звонок", "call", "позвонить", "связаться"],
    "email": ["письмо", "email", "e-mail", "mail", "написать письмо", "написать"],
    "meeting": ["встреча", "meeting"],
}
OUTGOING = ["исходящий", "исходящая", "outgoing", "out", "outbound"]
INCOMING = ["входящий", "входящая", "incoming", "in", "inbound"]
INTERNAL = ["внутренний", "внутренняя", "internal"]
TRUE_WORDS = ["да", "true", "1", "yes", "y", "+", "✓", "выполнена", "завершена"]
FALSE_WORDS = ["нет", "false", "0", "no", "n", "-", "не выполнена"]
UNASSIGNED = "(unassigned)"
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
MOMENT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]


def normalize_header(text: str) -> str:
    """value::normalize_header: trimmed (BOM too), whitespace runs collapsed, lowercased."""
    return " ".join(text.strip(" \t\r\n\ufeff\u00a0").split()).lower()


def sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_list(items) -> str:
    return "[" + ", ".join(sql_str(i) for i in items) + "]"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def header_of(path: Path, delimiter: str) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return f.readline().rstrip("\r\n").split(delimiter)


def sniff_delimiter(path: Path) -> str:
    """`;` when the header line has more of them than commas (Sipuni)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        line = f.readline()
    return ";" if line.count(";") > line.count(",") else ","


def column(header: list[str], names: list[str], what: str, required=True):
    """The first header cell matching any of `names`, as DuckDB names it."""
    keys = {normalize_header(n) for n in names}
    for cell in header:
        if normalize_header(cell) in keys:
            return cell.strip("\ufeff")
    if required:
        sys.exit(f"duckdb_checks: no {what} column (one of {names})")
    return None


def columns(header: list[str], names: list[str]) -> list[str]:
    keys = {normalize_header(n) for n in names}
    return [c.strip("\ufeff") for c in header if normalize_header(c) in keys]


def judged_days(rules: dict, as_of: dt.datetime) -> list[dt.date]:
    """Calendar::working_days_before: the `days` working days before the as-of date."""
    cal = rules.get("calendar", {})
    weekends = {WEEKDAYS[w.strip().lower()[:3]] for w in cal.get("weekends", [])}
    holidays = {dt.date.fromisoformat(d) for d in cal.get("holidays", [])}
    working = {dt.date.fromisoformat(d) for d in cal.get("working-days", [])}
    count = rules["rules"]["daily-call-quota"].get("days", 1)
    days, day = [], as_of.date()
    for _ in range(366 * 2):
        if len(days) >= count:
            break
        day -= dt.timedelta(days=1)
        if day in working or (day.weekday() not in weekends and day not in holidays):
            days.append(day)
    return days


def main() -> None:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--as-of", default="2026-11-27 02:00")
    ap.add_argument("--rules", type=Path, default=here.parent / "rules" / "regulation.toml")
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    started = time.perf_counter()

    rules = tomllib.loads(args.rules.read_text(encoding="utf-8"))
    as_of = dt.datetime.fromisoformat(args.as_of)
    quota_rule = rules["rules"]["daily-call-quota"]
    quota = int(quota_rule.get("at-least", quota_rule.get("quota", 40)))
    per_manager = quota_rule.get("per-manager", {}) or {}
    answered_only = bool(quota_rule.get("answered-only", False))
    min_duration = int(quota_rule.get("min-duration-seconds", 0))
    letter_types = quota_rule.get("letter-task-types", ["email"])
    days = judged_days(rules, as_of)

    stages = rules["stages"]
    stage_keys = {}
    for cls, names in (
        ("inbox", stages.get("inbox", [])),
        ("funnel", stages.get("funnel", [])),
        ("won", stages.get("won", [])),
        ("lost", stages.get("lost", [])),
    ):
        for n in names:
            stage_keys[normalize_header(n)] = cls

    cols = rules["columns"]
    deals_csv, tasks_csv, calls_csv = (args.dir / f for f in ("deals.csv", "tasks.csv", "calls.csv"))
    dh = header_of(deals_csv, ",")
    th = header_of(tasks_csv, ";")
    calls_delim = sniff_delimiter(calls_csv)
    ch = header_of(calls_csv, calls_delim)
    d_id = column(dh, cols["deals"]["id"], "deal ID")
    d_manager = column(dh, cols["deals"]["manager"], "deal manager")
    d_stage = column(dh, cols["deals"]["stage"], "stage")
    d_reason = column(dh, cols["deals"]["refusal-reason"], "refusal reason")
    d_phones = columns(dh, cols["deals"]["phones"])
    if not d_phones:
        sys.exit("duckdb_checks: no phone column in the deal export")
    t_deal = column(th, cols["tasks"]["deal-id"], "task deal ID")
    t_manager = column(th, cols["tasks"]["manager"], "task manager")
    t_type = column(th, cols["tasks"]["type"], "task type")
    t_due = column(th, cols["tasks"]["due"], "due")
    t_done = column(th, cols["tasks"]["completed"], "completed")
    t_done_at = column(th, cols["tasks"]["completed-at"], "completed-at")
    c_time = column(ch, cols["calls"]["time"], "call time")
    c_manager = column(ch, cols["calls"]["manager"], "call manager", required=False)
    c_from = column(ch, cols["calls"]["from"], "caller", required=False)
    c_answered_by = column(ch, cols["calls"]["answered-by"], "answered by", required=False)
    if not (c_manager or c_from or c_answered_by):
        sys.exit("duckdb_checks: the call log names no one")
    c_direction = column(ch, cols["calls"]["direction"], "direction")
    c_status = column(ch, cols["calls"]["status"], "status", required=False)
    c_duration = column(ch, cols["calls"]["duration"], "duration", required=False)

    letter_words = []
    for t in letter_types:
        letter_words += TASK_TYPE_WORDS.get(t, [])

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    con.execute(f"""
        CREATE MACRO ws_trim(s) AS
            regexp_replace(coalesce(s, ''), '^[{WS}\\x{{FEFF}}]+|[{WS}\\x{{FEFF}}]+$', '', 'g');
        CREATE MACRO name_key(s) AS regexp_replace(ws_trim(s), '[{WS}]+', ' ', 'g');
        CREATE MACRO norm(s) AS lower(name_key(s));
        CREATE MACRO person(s) AS lower(name_key(s));
        CREATE MACRO moment(s) AS try_strptime(ws_trim(s), {sql_list(MOMENT_FORMATS)});
    """)

    def read(path: Path, delim: str) -> str:
        return (
            f"read_csv({sql_str(str(path))}, delim={sql_str(delim)}, quote='\"', escape='\"', "
            "header=true, all_varchar=true)"
        )

    phone_text = " || ' ' || ".join(f"coalesce({ident(c)}, '')" for c in d_phones)
    con.execute(f"""
        CREATE TABLE deals AS
        SELECT ws_trim({ident(d_id)}) AS id,
               person({ident(d_manager)}) AS manager,
               ws_trim({ident(d_stage)}) AS stage,
               regexp_matches({phone_text}, '[0-9]') AS has_phone,
               ws_trim({ident(d_reason)}) <> '' AS has_reason
        FROM {read(deals_csv, ",")}
        WHERE ws_trim({ident(d_id)}) <> ''
    """)
    con.execute(f"""
        CREATE TABLE tasks AS
        SELECT ws_trim({ident(t_deal)}) AS deal_id,
               person({ident(t_manager)}) AS manager,
               norm({ident(t_type)}) AS type,
               ws_trim({ident(t_due)}) AS due_text,
               moment({ident(t_due)}) AS due,
               norm({ident(t_done)}) AS flag,
               ws_trim({ident(t_done_at)}) AS done_text,
               moment({ident(t_done_at)}) AS done_at
        FROM {read(tasks_csv, ";")}
    """)
    status_sql = f"norm({ident(c_status)})" if c_status else "NULL"
    duration_sql = f"ws_trim({ident(c_duration)})" if c_duration else "NULL"
    def cell(c):
        return f"ws_trim({ident(c)})" if c else "''"

    employee = (
        f"coalesce(nullif(CASE WHEN norm({ident(c_direction)}) IN "
        f"(SELECT unnest({sql_list(INCOMING)})) THEN {cell(c_answered_by)} "
        f"ELSE {cell(c_from)} END, ''), {cell(c_manager)})"
    )
    con.execute(f"""
        CREATE TABLE calls AS
        SELECT person({employee}) AS manager,
               ws_trim({ident(c_time)}) AS time_text,
               moment({ident(c_time)}) AS call_at,
               norm({ident(c_direction)}) AS direction,
               {status_sql} AS status,
               {duration_sql} AS duration
        FROM {read(calls_csv, calls_delim)}
        WHERE ws_trim({ident(c_time)}) <> '' AND ws_trim({ident(c_direction)}) <> ''
    """)
    loaded = time.perf_counter()

    # The tool stops on a value it cannot read; so does this script.
    bad = con.execute(f"""
        SELECT (SELECT count(*) FROM tasks WHERE (due_text <> '' AND due IS NULL)
                    OR (done_text <> '' AND done_at IS NULL)
                    OR (flag <> '' AND flag NOT IN (SELECT unnest({sql_list(TRUE_WORDS + FALSE_WORDS)})))),
               (SELECT count(*) FROM calls WHERE call_at IS NULL
                    OR direction NOT IN (SELECT unnest({sql_list(OUTGOING + INCOMING + INTERNAL)})))
    """).fetchone()
    if any(bad):
        sys.exit(f"duckdb_checks: unreadable values: {bad[0]} task rows, {bad[1]} call rows")

    con.execute("CREATE TABLE stage_keys (key VARCHAR, class VARCHAR)")
    con.executemany("INSERT INTO stage_keys VALUES (?, ?)", list(stage_keys.items()))
    con.execute("CREATE TABLE quotas (manager VARCHAR, quota INTEGER)")
    if per_manager:
        con.executemany(
            "INSERT INTO quotas VALUES (?, ?)",
            [(" ".join(k.split()).lower(), int(v)) for k, v in per_manager.items()],
        )
    # Stages::classify, once per distinct stage text: a known stage; else,
    # for a text ending in ")", the first "(" whose prefix is a lost stage
    # makes it lost, with a reason when the rest inside is not blank.
    con.execute(r"""
        CREATE TABLE stage_class AS
        WITH s AS (SELECT DISTINCT stage FROM deals),
        opening AS (
            SELECT stage, unnest(list_filter(range(1, length(stage) + 1),
                                             lambda i: substr(stage, i, 1) = '(')) AS pos
            FROM s WHERE ends_with(stage, ')')
        ),
        lost_with_parens AS (
            SELECT o.stage,
                   arg_min(ws_trim(substr(o.stage, o.pos + 1, length(o.stage) - o.pos - 1)) <> '',
                           o.pos) AS has_reason
            FROM opening o
            JOIN stage_keys k ON k.key = norm(substr(o.stage, 1, o.pos - 1)) AND k.class = 'lost'
            GROUP BY o.stage
        )
        SELECT s.stage,
               CASE WHEN k.class IS NOT NULL THEN k.class
                    WHEN p.has_reason THEN 'lost-with-reason'
                    WHEN p.stage IS NOT NULL THEN 'lost'
                    ELSE 'unknown' END AS class
        FROM s
        LEFT JOIN stage_keys k ON k.key = norm(s.stage)
        LEFT JOIN lost_with_parens p ON p.stage = s.stage
    """)
    con.execute(f"""
        CREATE TABLE deal_state AS
        SELECT d.*, c.class,
               c.class NOT IN ('won', 'lost', 'lost-with-reason') AS in_work
        FROM deals d JOIN stage_class c USING (stage);
        CREATE TABLE task_state AS
        SELECT t.*,
               CASE WHEN t.flag IN (SELECT unnest({sql_list(TRUE_WORDS)})) THEN true
                    WHEN t.flag IN (SELECT unnest({sql_list(FALSE_WORDS)})) THEN false
                    ELSE t.done_at IS NOT NULL END AS completed
        FROM tasks t;
    """)

    as_of_sql = f"TIMESTAMP {sql_str(as_of.strftime('%Y-%m-%d %H:%M:%S'))}"
    days_sql = ", ".join(f"(DATE {sql_str(d.isoformat())})" for d in days) or "(NULL::DATE)"
    counted_call = "true"
    if answered_only:
        counted_call += (
            " AND (starts_with(c.status, 'отвечен') OR c.status IN ('answered', 'success', 'успешный'))"
        )
    if min_duration > 0:
        counted_call += f"""
            AND (CASE WHEN c.duration ~ '^[0-9]+$' THEN c.duration::BIGINT
                      WHEN c.duration ~ '^[0-9]+:[0-9]{{2}}$'
                          THEN split_part(c.duration, ':', 1)::BIGINT * 60 + split_part(c.duration, ':', 2)::BIGINT
                      WHEN c.duration ~ '^[0-9]+:[0-9]{{2}}:[0-9]{{2}}$'
                          THEN split_part(c.duration, ':', 1)::BIGINT * 3600
                               + split_part(c.duration, ':', 2)::BIGINT * 60 + split_part(c.duration, ':', 3)::BIGINT
                      END) >= {min_duration}"""

    row = con.execute(f"""
        WITH
        overdue AS (
            SELECT count(*) AS n FROM task_state
            WHERE NOT completed AND due IS NOT NULL
              AND CASE WHEN NOT contains(due_text, ':')
                       THEN due + INTERVAL 1 DAY - INTERVAL 1 SECOND < {as_of_sql}
                       ELSE due < {as_of_sql} END
        ),
        with_open_task AS (
            SELECT DISTINCT deal_id FROM task_state WHERE NOT completed AND deal_id <> ''
        ),
        without_task AS (
            SELECT count(*) AS n FROM deal_state d
            WHERE d.in_work AND NOT EXISTS (SELECT 1 FROM with_open_task o WHERE o.deal_id = d.id)
        ),
        no_phone AS (SELECT count(*) AS n FROM deal_state WHERE in_work AND NOT has_phone),
        no_reason AS (SELECT count(*) AS n FROM deal_state WHERE class = 'lost' AND NOT has_reason),
        cover AS (SELECT min(call_at::DATE) AS first, max(call_at::DATE) AS last FROM calls),
        judged AS (
            SELECT d.day FROM (VALUES {days_sql}) d(day), cover
            WHERE d.day BETWEEN cover.first AND cover.last
        ),
        people AS (
            SELECT manager FROM deal_state
            UNION SELECT manager FROM task_state
            UNION SELECT manager FROM calls
        ),
        judged_people AS (
            SELECT p.manager, j.day FROM people p, judged j
            WHERE p.manager <> '' AND p.manager <> {sql_str(UNASSIGNED)}
        ),
        call_counts AS (
            SELECT c.manager, c.call_at::DATE AS day, count(*) AS n FROM calls c
            WHERE c.direction IN (SELECT unnest({sql_list(OUTGOING)}))
              AND c.call_at::DATE IN (SELECT day FROM judged) AND {counted_call}
            GROUP BY ALL
        ),
        letter_counts AS (
            SELECT manager, done_at::DATE AS day, count(*) AS n FROM task_state
            WHERE completed AND done_at IS NOT NULL
              AND type IN (SELECT unnest({sql_list(letter_words)}))
              AND done_at::DATE IN (SELECT day FROM judged)
            GROUP BY ALL
        ),
        below_quota AS (
            SELECT count(*) AS n FROM judged_people p
            LEFT JOIN call_counts c USING (manager, day)
            LEFT JOIN letter_counts l USING (manager, day)
            LEFT JOIN quotas q USING (manager)
            WHERE coalesce(c.n, 0) + coalesce(l.n, 0) < coalesce(q.quota, {quota})
        )
        SELECT (SELECT n FROM overdue), (SELECT n FROM without_task), (SELECT n FROM no_phone),
               (SELECT n FROM no_reason), (SELECT n FROM below_quota),
               (SELECT count(*) FROM judged)
    """).fetchone()
    done = time.perf_counter()
    result = {
        "overdue-task": row[0],
        "deal-without-task": row[1],
        "missing-phone": row[2],
        "refusal-without-reason": row[3],
        "daily-call-quota": row[4],
    }
    print(json.dumps(result, ensure_ascii=False))
    print(
        f"duckdb_checks: load {loaded - started:.2f}s, checks {done - loaded:.2f}s, "
        f"judged days {row[5]} of {len(days)}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

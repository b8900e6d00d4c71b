//! Running the built `crm-audit` binary and reading what it printed.
//!
//! Every run starts in `tests/fixtures/core` (or a folder the test names),
//! so paths in messages read as the fixture's bare file name.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The audit moment most tests use: Friday 27.11.2026, 02:00 in Moscow. The
/// working day before it is Thursday 26.11.2026.
pub const AS_OF: &str = "2026-11-27 02:00";

/// The folder of hand-written fixture exports.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/core")
}

/// A fixture file's absolute path, for runs started in another folder.
pub fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

/// Runs `crm-audit audit ARGS...` in the fixtures folder: (exit code, stdout, stderr).
pub fn audit(args: &[&str]) -> (i32, String, String) {
    audit_in(&fixtures(), args)
}

/// Runs `crm-audit audit ARGS...` in `dir`: (exit code, stdout, stderr).
/// The report is in English (`--lang en`) unless the test asks for a
/// language: these tests are about what the audit finds and how the
/// command behaves, and read the English texts.
pub fn audit_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .env_remove("COLUMNS")
        .arg("audit")
        .args(english_unless_asked(args))
        .args(args)
        .output()
        .expect("run crm-audit");
    (
        output.status.code().expect("crm-audit exited by a signal"),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// `--lang en`, unless `args` name a language themselves.
pub fn english_unless_asked(args: &[&str]) -> &'static [&'static str] {
    if args
        .iter()
        .any(|a| *a == "--lang" || a.starts_with("--lang="))
    {
        &[]
    } else {
        &["--lang", "en"]
    }
}

/// Runs the audit in the fixtures folder with `--format json` and parses
/// the report; the run must succeed (exit 0 or 1) and print nothing on stderr.
pub fn json(args: &[&str]) -> Value {
    json_in(&fixtures(), args)
}

/// As `json`, run in `dir`.
pub fn json_in(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = audit_in(dir, &all);
    assert!(
        code == 0 || code == 1,
        "crm-audit {all:?} exited {code}\nstderr: {stderr}"
    );
    assert_eq!(stderr, "", "crm-audit {all:?} wrote to stderr");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// A run that must fail with exit code 2: its stderr, after checking that
/// nothing went to stdout and that the message has the documented prefix.
pub fn error_of(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = audit_in(dir, args);
    assert_eq!(
        code, 2,
        "exit code of {args:?}\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert_eq!(stdout, "", "a failed run prints no report");
    assert!(
        stderr.starts_with("crm-audit: error: "),
        "stderr starts with the error prefix: {stderr}"
    );
    stderr
}

/// The violations of one rule, in report order.
pub fn violations<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["violations"]
        .as_array()
        .expect("violations is an array")
        .iter()
        .filter(|v| v["rule"] == rule)
        .collect()
}

/// The entity ids of one rule's violations, sorted.
pub fn ids(report: &Value, rule: &str) -> Vec<String> {
    let mut ids: Vec<String> = violations(report, rule)
        .iter()
        .map(|v| text(&v["entity"]["id"]))
        .collect();
    ids.sort();
    ids
}

/// The one violation of `rule` about entity `id`.
pub fn violation<'a>(report: &'a Value, rule: &str, id: &str) -> &'a Value {
    let found: Vec<&Value> = violations(report, rule)
        .into_iter()
        .filter(|v| v["entity"]["id"] == id)
        .collect();
    assert_eq!(found.len(), 1, "one {rule} violation for {id}: {found:#?}");
    found[0]
}

/// The reasons `rule` was (partly) not checked, in report order.
pub fn not_checked(report: &Value, rule: &str) -> Vec<String> {
    report["not_checked"]
        .as_array()
        .expect("not_checked is an array")
        .iter()
        .filter(|n| n["rule"] == rule)
        .map(|n| text(&n["reason"]))
        .collect()
}

/// The report's input with this path.
pub fn input<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["inputs"]
        .as_array()
        .expect("inputs is an array")
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no input {path} in {:#}", report["inputs"]))
}

/// An input's skipped rows as (reason, count, rows).
pub fn skipped(input: &Value) -> Vec<(String, u64, Vec<u64>)> {
    input["skipped"]
        .as_array()
        .expect("skipped is an array")
        .iter()
        .map(|s| {
            let rows = s["rows"].as_array().expect("rows is an array");
            (
                text(&s["reason"]),
                s["count"].as_u64().expect("count is a number"),
                rows.iter()
                    .map(|r| r.as_u64().expect("a row number"))
                    .collect(),
            )
        })
        .collect()
}

/// A JSON string's text.
pub fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
        .to_string()
}

/// A fresh temporary folder holding `files` (name, bytes).
pub fn folder_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write a file");
    }
    dir
}

/// A telephony call log (`Дата,Ответственный,Направление,Статус`): for each
/// group (manager, date `dd.mm.yyyy`, direction, count), `count` answered
/// calls that day, one a minute from 09:00.
pub fn call_log(groups: &[(&str, &str, &str, usize)]) -> String {
    let mut log = String::from("Дата,Ответственный,Направление,Статус\n");
    for &(manager, date, direction, count) in groups {
        for i in 0..count {
            log.push_str(&format!(
                "{date} {:02}:{:02}:00,{manager},{direction},Отвечен\n",
                9 + i / 60,
                i % 60
            ));
        }
    }
    log
}

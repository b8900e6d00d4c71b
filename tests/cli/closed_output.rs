//! Standard output that goes away (`crm-audit audit … | head`) or fills up
//! (`/dev/full`), whichever encoder meets it: a reader that stopped reading
//! is no error, a full disk is one, with the system's words.

use crate::support::*;
use std::process::{Command, Stdio};

/// Runs `crm-audit ARGS...` in the fixtures folder with standard output
/// going to `stdout`: (exit code, stderr).
fn run_into(stdout: Stdio, args: &[&str]) -> (i32, String) {
    let output = Command::new(assert_cmd::cargo::cargo_bin!("crm-audit"))
        .current_dir(fixtures())
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("run crm-audit");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    (output.status.code().expect("an exit code"), stderr)
}

/// A pipe whose reading end is already closed: every write meets a
/// broken pipe, as `| head` does once it has its lines.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    writer.into()
}

/// The runs whose whole output is one encoder's: the JSON, JSON Lines and
/// CSV encoders wrap the write's error in their own; the table, Markdown
/// and `inspect`'s text write directly.
const RUNS: &[&[&str]] = &[
    &["audit", "deals_lost.csv", "--as-of", AS_OF, "-f", "json"],
    &["audit", "deals_lost.csv", "--as-of", AS_OF, "-f", "jsonl"],
    &["audit", "deals_lost.csv", "--as-of", AS_OF, "-f", "csv"],
    &["audit", "deals_lost.csv", "--as-of", AS_OF, "-f", "table"],
    &["audit", "deals_lost.csv", "--as-of", AS_OF, "-f", "md"],
    &["inspect", "deals_plain.csv", "--format", "json"],
    &["inspect", "deals_plain.csv"],
];

#[test]
fn a_reader_that_went_away_is_no_error() {
    for args in RUNS {
        let (code, stderr) = run_into(closed_pipe(), args);
        // deals_lost.csv has 3 violations, yet a report nobody reads
        // carries no verdict: exit 0, as `| head` expects, not 2.
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

#[test]
fn a_full_disk_is_an_error_in_the_systems_words() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here: skipped");
        return;
    };
    for args in RUNS {
        let (code, stderr) = run_into(full.try_clone().unwrap().into(), args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(
            stderr, "crm-audit: error: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}

//! Exit codes, `--fail-on`, `--manager` and `--output`.

use crate::support::*;

#[test]
fn exit_0_when_nothing_is_violated() {
    let (code, stdout, stderr) = audit(&["clean", "--as-of", AS_OF]);
    // clean/: deal 1001 in work has every field, a phone, a contact and the
    // open task T-101 due 30.11; 1002 is lost with a reason; 1003 is won.
    assert_eq!(code, 0, "stdout: {stdout}\nstderr: {stderr}");
    assert_eq!(stderr, "");
    assert!(
        stdout.contains("Total: 0 violation(s): 0 error(s), 0 warning(s), 0 info, 0 of 1 manager(s) with violations"),
        "{stdout}"
    );
    let report = json(&["clean", "--as-of", AS_OF]);
    assert_eq!(report["violations"], serde_json::json!([]));
    assert_eq!(report["totals"]["violations"], 0);
    // Without a call log, the quota is not checked; the other rules of the
    // regulation are, since every column they need is there.
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        ["no call log among the inputs"]
    );
    for rule in [
        "overdue-task",
        "deal-without-task",
        "missing-phone",
        "missing-contact-name",
        "stage-missing-data",
        "refusal-without-reason",
    ] {
        assert_eq!(not_checked(&report, rule), Vec::<String>::new(), "{rule}");
    }
}

#[test]
fn exit_1_when_an_error_is_found() {
    // deals_phones.csv: deals 403 and 404 have no phone (errors).
    let (code, stdout, stderr) = audit(&["deals_phones.csv", "--as-of", AS_OF]);
    assert_eq!(code, 1, "stderr: {stderr}");
    assert_eq!(stderr, "");
    assert!(
        stdout.contains("Total: 2 violation(s): 2 error(s), 0 warning(s), 0 info, 1 of 2 manager(s) with violations"),
        "{stdout}"
    );
}

#[test]
fn warnings_alone_exit_0_unless_fail_on_warning() {
    // deals_lost.csv: three refusals without a reason (warnings), no error.
    let report = json(&["deals_lost.csv", "--as-of", AS_OF]);
    assert_eq!(report["totals"]["errors"], 0);
    assert_eq!(report["totals"]["warnings"], 3);
    let (code, _, _) = audit(&["deals_lost.csv", "--as-of", AS_OF]);
    assert_eq!(code, 0);
    let (code, _, _) = audit(&["deals_lost.csv", "--as-of", AS_OF, "--fail-on", "error"]);
    assert_eq!(code, 0);
    let (code, _, _) = audit(&["deals_lost.csv", "--as-of", AS_OF, "--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn fail_on_never_exits_0_despite_errors() {
    let (code, stdout, _) = audit(&["deals_phones.csv", "--as-of", AS_OF, "--fail-on", "never"]);
    assert_eq!(code, 0);
    // The report is the same: the errors are still listed.
    assert!(
        stdout.contains("Total: 2 violation(s): 2 error(s)"),
        "{stdout}"
    );
}

#[test]
fn fail_on_warning_also_fails_on_errors() {
    let (code, _, _) = audit(&["deals_phones.csv", "--as-of", AS_OF, "--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn exit_2_on_a_usage_error() {
    let (code, stdout, stderr) = audit(&["deals_phones.csv", "--as-of", AS_OF, "--colour"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("unexpected argument '--colour'"),
        "{stderr}"
    );

    let (code, _, stderr) = audit(&["deals_phones.csv", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid value 'xml' for '--format"),
        "{stderr}"
    );

    let (code, _, stderr) = audit(&["deals_phones.csv", "--fail-on", "sometimes"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid value 'sometimes' for '--fail-on"),
        "{stderr}"
    );

    // No path at all.
    let (code, _, stderr) = audit(&["--as-of", AS_OF]);
    assert_eq!(code, 2);
    assert!(stderr.contains("<PATH>"), "{stderr}");
}

#[test]
fn manager_narrows_the_report_and_the_exit_code() {
    // Иванова Мария's deals 401 and 402 have phones; Петров's 403 and 404 do not.
    let (code, _, _) = audit(&[
        "deals_phones.csv",
        "--as-of",
        AS_OF,
        "--manager",
        "Иванова Мария",
    ]);
    assert_eq!(code, 0);
    let report = json(&[
        "deals_phones.csv",
        "--as-of",
        AS_OF,
        "--manager",
        "Иванова Мария",
    ]);
    assert_eq!(report["violations"], serde_json::json!([]));
    assert_eq!(
        report["manager_filter"],
        serde_json::json!(["Иванова Мария"])
    );
    let names: Vec<String> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| text(&m["name"]))
        .collect();
    assert_eq!(names, ["Иванова Мария"]);

    let (code, _, _) = audit(&[
        "deals_phones.csv",
        "--as-of",
        AS_OF,
        "--manager",
        "Петров Алексей",
    ]);
    assert_eq!(code, 1);
    let report = json(&[
        "deals_phones.csv",
        "--as-of",
        AS_OF,
        "--manager",
        "Петров Алексей",
    ]);
    assert_eq!(ids(&report, "missing-phone"), ["403", "404"]);
    assert_eq!(report["totals"]["violations"], 2);
}

#[test]
fn manager_is_repeatable() {
    let report = json(&[
        "deals_phones.csv",
        "--as-of",
        AS_OF,
        "--manager",
        "Иванова Мария",
        "--manager",
        "Петров Алексей",
    ]);
    assert_eq!(
        report["manager_filter"],
        serde_json::json!(["Иванова Мария", "Петров Алексей"])
    );
    assert_eq!(ids(&report, "missing-phone"), ["403", "404"]);
}

#[test]
fn output_writes_the_report_to_the_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    let path_arg = path.display().to_string();
    let deals = fixture("deals_phones.csv");
    let (code, stdout, stderr) = audit(&[
        &deals, "--as-of", AS_OF, "--format", "json", "--output", &path_arg,
    ]);
    // The exit code still reflects the violations (403 and 404).
    assert_eq!(code, 1, "stderr: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "");
    let written = std::fs::read_to_string(&path).unwrap();
    let (_, printed, _) = audit(&[&deals, "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(written, printed, "the file holds what stdout would have");
    let report: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(ids(&report, "missing-phone"), ["403", "404"]);
    // Only the report is left in the folder: no temporary file.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn output_in_table_format_matches_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    let path_arg = path.display().to_string();
    let (code, stdout, _) = audit(&["deals_phones.csv", "--as-of", AS_OF, "--output", &path_arg]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    let written = std::fs::read_to_string(&path).unwrap();
    let (_, printed, _) = audit(&["deals_phones.csv", "--as-of", AS_OF]);
    assert_eq!(written, printed);
    assert!(
        written.contains("Петров Алексей: 2 error(s), 0 warning(s), 0 info"),
        "{written}"
    );
}

//! What `--output` may write over: never an input, however it is named;
//! and the temporary files a killed run left beside its report.
//!
//! Every case copies `deals_plain.csv` (four deals of Иванова Мария and
//! Петров Алексей; see `tests/fixtures/core`) into a fresh folder, so an
//! overwritten export would show as a changed file there.

use super::support::{audit, audit_in, error_of, fixture, AS_OF};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A fresh folder holding `deals.csv`.
fn folder_with_deals() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("deals_plain.csv")).unwrap();
    std::fs::write(dir.path().join("deals.csv"), &bytes).unwrap();
    (dir, bytes)
}

/// The run is refused with exit 2, naming the input, and the export is
/// as it was.
fn refused(dir: &Path, args: &[&str], original: &[u8], input: &str) {
    let stderr = error_of(dir, args);
    assert!(
        stderr.contains(&format!("that is the input {input}")),
        "{args:?}: {stderr}"
    );
    assert_eq!(
        std::fs::read(dir.join("deals.csv")).unwrap(),
        original,
        "{args:?}: the export is untouched"
    );
}

#[test]
fn output_naming_an_input_file_is_refused() {
    let (dir, original) = folder_with_deals();
    let dir = dir.path();
    let as_of = ["--as-of", AS_OF];
    refused(
        dir,
        &["deals.csv", as_of[0], as_of[1], "--output", "deals.csv"],
        &original,
        "deals.csv",
    );
    refused(
        dir,
        &["deals.csv", as_of[0], as_of[1], "--output", "./deals.csv"],
        &original,
        "deals.csv",
    );
    let absolute = dir.join("deals.csv").display().to_string();
    refused(
        dir,
        &[
            "deals.csv",
            as_of[0],
            as_of[1],
            "--output",
            &absolute,
            "--format",
            "json",
        ],
        &original,
        "deals.csv",
    );
}

#[test]
fn output_naming_a_file_of_an_input_folder_is_refused() {
    let (dir, original) = folder_with_deals();
    // `audit . --output ./deals.csv`: the folder stands for deals.csv.
    refused(
        dir.path(),
        &[".", "--as-of", AS_OF, "--output", "./deals.csv"],
        &original,
        "./deals.csv",
    );
}

#[cfg(unix)]
#[test]
fn output_reaching_an_input_through_a_link_is_refused() {
    let (dir, original) = folder_with_deals();
    let dir = dir.path();
    std::os::unix::fs::symlink("deals.csv", dir.join("tonight.csv")).unwrap();
    refused(
        dir,
        &["deals.csv", "--as-of", AS_OF, "--output", "tonight.csv"],
        &original,
        "deals.csv",
    );
    // A hard link has no link to follow: only the file's identity (device
    // and inode) tells it is the export.
    std::fs::hard_link(dir.join("deals.csv"), dir.join("copy.csv")).unwrap();
    refused(
        dir,
        &["deals.csv", "--as-of", AS_OF, "--output", "copy.csv"],
        &original,
        "deals.csv",
    );
}

#[test]
fn output_naming_the_rule_file_is_refused() {
    let (dir, original) = folder_with_deals();
    let dir = dir.path();
    let rules = "extends = \"builtin\"\n";
    std::fs::write(dir.join("company.toml"), rules).unwrap();
    refused(
        dir,
        &[
            "deals.csv",
            "--rules",
            "company.toml",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--output",
            "company.toml",
        ],
        &original,
        "company.toml",
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("company.toml")).unwrap(),
        rules
    );
}

#[test]
fn output_beside_the_inputs_is_written() {
    let (dir, original) = folder_with_deals();
    let dir = dir.path();
    // The file has no phone, task or reason column, so the rules that read
    // them are not checked and nothing is violated: exit code 0.
    let (code, stdout, stderr) = audit_in(dir, &[".", "--as-of", AS_OF, "--output", "report.json"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["inputs"][0]["rows"], 4);
    assert_eq!(std::fs::read(dir.join("deals.csv")).unwrap(), original);
}

fn set_age(path: &Path, age: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

/// No process can have this ID: Linux's largest is 2^22.
const GONE_PID: u32 = 999_999_999;

#[test]
fn stale_temporaries_of_the_report_are_removed() {
    let (dir, _) = folder_with_deals();
    let dir = dir.path();
    let own = |pid: u32, random: &str| format!(".report.json.crm-audit-{pid}-{random}.tmp");
    // A run killed while writing report.json: its process is gone.
    let killed = own(GONE_PID, "aB3dE9");
    // A run of process 1 (always alive) two hours ago: too old to be
    // still writing.
    let old = own(1, "Zz0000");
    // A run of process 1 a minute ago: it may still be writing.
    let writing = own(1, "Yy1111");
    // Not this report's temporaries, or not temporaries at all.
    let others = [
        format!(".other.json.crm-audit-{GONE_PID}-aB3dE9.tmp"),
        format!(".report.json.crm-audit-{GONE_PID}-aB3dE9"),
        ".report.json.swp".to_string(),
        "notes.txt".to_string(),
    ];
    for name in [&killed, &old, &writing].into_iter().chain(&others) {
        std::fs::write(dir.join(name), "half a report").unwrap();
    }
    set_age(&dir.join(&old), Duration::from_secs(2 * 3600));
    set_age(&dir.join(&writing), Duration::from_secs(60));
    set_age(&dir.join(&others[0]), Duration::from_secs(2 * 3600));
    set_age(&dir.join(&others[1]), Duration::from_secs(2 * 3600));

    let (code, _, stderr) = audit_in(
        dir,
        &["deals.csv", "--as-of", AS_OF, "--output", "report.json"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !dir.join(&killed).exists(),
        "the killed run's temporary is removed"
    );
    assert!(
        !dir.join(&old).exists(),
        "the hour-old temporary is removed"
    );
    assert!(
        dir.join(&writing).exists(),
        "a live run's temporary is left"
    );
    for name in &others {
        assert!(dir.join(name).exists(), "{name} is left");
    }
    // The run's own temporary became the report.
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".report.json.crm-audit-") && n.ends_with(".tmp"))
        .collect();
    assert_eq!(left, [writing]);
    assert!(dir.join("report.json").exists());
}

/// Deals whose budget cell and manager name carry an escape sequence that
/// would turn a terminal's text red.
fn deals_with_escapes() -> tempfile::TempDir {
    super::support::folder_with(&[(
        "deals.csv",
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет\n\
         701,Радиаторы,Орлов Игорь,Иванова \u{1b}[31mМария,Счет,\u{1b}[31m5000\n"
            .as_bytes(),
    )])
}

#[test]
fn an_error_quoting_a_cell_shows_its_escape_sequence_as_text() {
    let dir = deals_with_escapes();
    let stderr = error_of(dir.path(), &["deals.csv", "--as-of", AS_OF, "--strict"]);
    assert!(
        !stderr.contains('\u{1b}'),
        "a raw ESC reached stderr: {stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}[31m5000"), "{stderr}");
}

#[test]
fn inspect_shows_escape_sequences_from_the_data_as_text() {
    let dir = super::support::folder_with(&[(
        "deals.csv",
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки
         701,Радиаторы,Орлов Игорь,Иванова \u{1b}[31mМария,Счет\n"
            .as_bytes(),
    )]);
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir.path())
        .args(["inspect", "deals.csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        !stdout.contains('\u{1b}'),
        "a raw ESC reached stdout: {stdout:?}"
    );
    assert!(stdout.contains("Иванова \\u{1b}[31mМария"), "{stdout}");
}

#[test]
fn a_record_named_by_a_file_with_a_phone_in_its_name_is_masked() {
    // A task list without IDs names its tasks `FILE:ROW`; the file's name
    // carries a phone. Its only task is overdue: the ID must be masked too.
    let dir = super::support::folder_with(&[
        (
            "deals.csv",
            "ID,Название сделки,Основной контакт,Ответственный,Этап сделки\n\
             701,Радиаторы,Орлов Игорь,Иванова Мария,Счет\n"
                .as_bytes(),
        ),
        (
            "tasks_89275556666.csv",
            "ID сделки,Ответственный,Срок,Выполнена\n701,Иванова Мария,25.11.2026 10:00,Нет\n"
                .as_bytes(),
        ),
    ]);
    let (code, stdout, stderr) = audit_in(
        dir.path(),
        &[
            "deals.csv",
            "tasks_89275556666.csv",
            "--as-of",
            AS_OF,
            "--mask-phones",
            "--format",
            "json",
        ],
    );
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert!(stdout.contains("overdue-task"), "{stdout}");
    assert!(!stdout.contains("927555"), "{stdout}");
}

#[test]
fn an_output_that_is_a_device_is_written_into_never_replaced() {
    // `out.json` links to /dev/null: the report goes into the device, and
    // the link (and so /dev/null) stays what it was. Were the report
    // renamed over the path, the link, not /dev/null, would be replaced.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    std::os::unix::fs::symlink("/dev/null", &out).unwrap();
    let (code, _, stderr) = audit(&[
        &fixture("deals_contact_names.csv"),
        "--as-of",
        AS_OF,
        "-o",
        &out.display().to_string(),
        "-q",
    ]);
    assert!(code < 2, "{stderr}");
    let link = std::fs::symlink_metadata(&out).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}

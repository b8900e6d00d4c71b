//! A nightly exports folder is not a clean room: a contacts export of a
//! layout crm-audit does not know, an empty file, last night's report.
//! In a folder such files are skipped and listed with the reason; named on
//! the command line, or with `--strict`, they end the run.

use crate::support::*;
use std::path::Path;

/// Two deals of one company (amoCRM layout) and one open task:
/// 1501 (Иванова) has T-51, due 30.11.2026, after the audit moment; 1502
/// (Петров) has no task. Both at `Счет`, so both are in work.
const DEALS: &str = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки
1501,Радиаторы для коттеджа,Орлов Игорь,Иванова Мария,Счет
1502,Батареи в офис,Зайцева Ольга,Петров Алексей,Счет
";
const TASKS: &str = "\
ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена
T-51;1501;Иванова Мария;Звонок;30.11.2026 10:00;Нет
";
/// A contacts export from a mailing service: no layout crm-audit reads.
const MAILING_LIST: &str = "\
ФИО;E-mail;Подписан
Орлов Игорь;orlov@example.ru;да
";

fn exports_with_strays() -> tempfile::TempDir {
    folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
        ("mailing.csv", MAILING_LIST.as_bytes()),
        ("empty.xlsx", b""),
    ])
}

/// The `not_read` list of a JSON report or inspection as (path, reason).
fn not_read(report: &serde_json::Value) -> Vec<(String, String)> {
    report["not_read"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .map(|f| (text(&f["path"]), text(&f["reason"])))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_stray_file_in_a_folder_is_skipped_and_listed() {
    let dir = exports_with_strays();
    let dir_path = dir.path().display().to_string();
    let report = json(&[&dir_path, "--as-of", AS_OF]);
    // The two exports are read as ever: 1502 has no task, 1501 has T-51.
    assert_eq!(ids(&report, "deal-without-task"), ["1502"]);
    let inputs: Vec<String> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| text(&i["kind"]))
        .collect();
    assert_eq!(inputs, ["deals", "tasks"]);
    // The strays are listed, in name order, each with why.
    let strays = not_read(&report);
    assert_eq!(strays.len(), 2, "{strays:?}");
    assert_eq!(strays[0].0, format!("{dir_path}/empty.xlsx"));
    assert!(
        strays[0].1.starts_with("cannot open as a spreadsheet"),
        "{strays:?}"
    );
    assert_eq!(strays[1].0, format!("{dir_path}/mailing.csv"));
    assert!(
        strays[1]
            .1
            .starts_with("not recognised as deals, leads, tasks"),
        "{strays:?}"
    );
}

#[test]
fn every_report_format_with_an_inputs_section_lists_the_strays() {
    let dir = exports_with_strays();
    let out = tempfile::tempdir().unwrap();
    let dir_path = dir.path().display().to_string();
    for name in ["audit.txt", "audit.md", "audit.html"] {
        let file = out.path().join(name);
        let (code, _, stderr) = audit(&[
            &dir_path,
            "--as-of",
            AS_OF,
            "--output",
            &file.display().to_string(),
        ]);
        assert_eq!(code, 1, "{stderr}");
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.contains("mailing.csv"), "{name}:\n{written}");
        assert!(
            written.contains("not recognised as deals, leads, tasks"),
            "{name}:\n{written}"
        );
    }
    let file = out.path().join("audit.xlsx");
    let (code, _, stderr) = audit(&[
        &dir_path,
        "--as-of",
        AS_OF,
        "--output",
        &file.display().to_string(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&file).unwrap();
    let inputs = book.worksheet_range("Inputs").unwrap();
    // Row 0 the header, rows 1 and 2 the exports, then the strays.
    let row = |r: u32, c: u32| inputs.get_value((r, c)).map(|v| v.to_string());
    assert_eq!(row(4, 0), Some(format!("{dir_path}/mailing.csv")));
    assert_eq!(row(4, 1).as_deref(), Some("not read"));
    assert!(row(4, 11).unwrap().starts_with("not recognised"));
}

#[test]
fn inspect_lists_the_strays() {
    let dir = exports_with_strays();
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir.path())
        .args(["inspect", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let inspection: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<String> = not_read(&inspection).into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["./empty.xlsx", "./mailing.csv"]);
}

#[test]
fn a_stray_named_on_the_command_line_or_under_strict_ends_the_run() {
    let dir = exports_with_strays();
    let e = error_of(dir.path(), &["deals.csv", "mailing.csv", "--as-of", AS_OF]);
    assert!(
        e.starts_with("crm-audit: error: mailing.csv: not recognised as deals"),
        "{e}"
    );
    let e = error_of(dir.path(), &[".", "--strict", "--as-of", AS_OF]);
    assert!(
        e.starts_with("crm-audit: error: ./empty.xlsx: cannot open as a spreadsheet"),
        "{e}"
    );
}

#[test]
fn a_folder_left_with_no_deal_export_ends_the_run() {
    // Without the deal export, what is left cannot be trusted: was the
    // deal export the stray? The message lists what was not read.
    let dir = folder_with(&[
        ("tasks.csv", TASKS.as_bytes()),
        ("mailing.csv", MAILING_LIST.as_bytes()),
    ]);
    let e = error_of(dir.path(), &[".", "--as-of", AS_OF]);
    assert!(
        e.starts_with(
            "crm-audit: error: no deal export among the inputs; files not read:\n  ./mailing.csv: not recognised"
        ),
        "{e}"
    );
}

#[test]
fn deal_exports_of_two_crms_end_the_run() {
    // amoCRM's `Этап сделки` beside Bitrix24's `Стадия сделки`: their IDs
    // and stages mean different things, and deal 1501 in one is not 1501
    // in the other.
    let bitrix = "\
ID,Название сделки,Стадия сделки,Ответственный
1501,Котёл,Новая,Смирнова Ольга
";
    let dir = folder_with(&[
        ("amo.csv", DEALS.as_bytes()),
        ("bitrix.csv", bitrix.as_bytes()),
    ]);
    let e = error_of(dir.path(), &[".", "--as-of", AS_OF]);
    assert!(
        e.starts_with(
            "crm-audit: error: deal exports of two CRMs: ./amo.csv (amoCRM) and ./bitrix.csv (Bitrix24)"
        ),
        "{e}"
    );
}

/// Writes last night's report of `dir` as `name` into `dir`.
fn leave_report(dir: &Path, name: &str) {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join(name);
    let (code, _, stderr) = audit_in(
        dir,
        &[
            ".",
            "--as-of",
            AS_OF,
            "--output",
            &file.display().to_string(),
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    std::fs::copy(&file, dir.join(name)).unwrap();
}

#[test]
fn reports_left_in_the_exports_folder_are_not_audited() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    let before = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    for name in ["audit.csv", "audit.xlsx", "audit.json", "audit.html"] {
        leave_report(dir.path(), name);
    }
    let after = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    assert_eq!(after["violations"], before["violations"]);
    assert_eq!(after["inputs"], before["inputs"]);
    // The CSV, XLSX and HTML reports are told by their shape; a .json
    // file is no input of a folder at all, so it is not listed.
    let strays = not_read(&after);
    let paths: Vec<&str> = strays.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["./audit.csv", "./audit.html", "./audit.xlsx"]);
    for (path, reason) in &strays {
        assert!(reason.starts_with("a crm-audit report"), "{path}: {reason}");
    }
}

#[test]
fn a_json_report_named_on_the_command_line_is_told_for_what_it_is() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
    ]);
    leave_report(dir.path(), "audit.json");
    let e = error_of(dir.path(), &["deals.csv", "audit.json", "--as-of", AS_OF]);
    assert_eq!(
        e,
        "crm-audit: error: audit.json: a crm-audit report (JSON), not an export; reports are not audited\n"
    );
}

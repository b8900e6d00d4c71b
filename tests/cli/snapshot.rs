//! A folder written by `crm-audit pull`: its `manifest.json` is shown in
//! every report's inputs section (where the data came from, when, by which
//! version), is never listed as a stray file, and a manifest saying the
//! pull did not finish stops the audit with exit 2.

use super::support::{audit_in, error_of, folder_with, json_in, AS_OF};

/// One deal in work with an open task due tomorrow: clean for the rules
/// selected below, so only the inputs matter.
const DEALS: &str = "ID;Название сделки;Ответственный;Этап сделки;Бюджет;Основной контакт;Мобильный телефон (контакт)\n\
                     31000001;Котел в дом;Петров Алексей;Квалификация;120000;Смирнов Олег;+7 916 222-33-44\n";
const TASKS: &str = "ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Результат\n\
                     1001;31000001;Петров Алексей;Звонок;28.11.2026 10:00;Нет;\n";

fn manifest(complete: bool) -> String {
    format!(
        r#"{{
  "source": "amocrm",
  "base_url": "https://example.amocrm.ru",
  "pulled_at": "2026-11-27T01:30:00Z",
  "tool_version": "0.1.0",
  "period": {{"days": "45"}},
  "entities": {{}},
  "complete": {complete}
}}
"#
    )
}

fn snapshot(complete: bool) -> tempfile::TempDir {
    folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("tasks.csv", TASKS.as_bytes()),
        ("manifest.json", manifest(complete).as_bytes()),
    ])
}

const LINE: &str = "pulled from amocrm (https://example.amocrm.ru) at 2026-11-27T01:30:00Z \
                    by crm-audit 0.1.0";

#[test]
fn a_russian_report_says_where_the_snapshot_came_from_in_russian() {
    // The same manifest: pulled at 01:30 UTC on 27.11.2026.
    let dir = snapshot(true);
    let folder = dir.path().to_str().unwrap();
    let line = format!(
        "{folder}: выгружено из amocrm (https://example.amocrm.ru) 27.11.2026 01:30 UTC \
         программой crm-audit 0.1.0"
    );
    for format in ["table", "markdown", "html"] {
        let (code, stdout, stderr) = audit_in(
            dir.path(),
            &[
                folder,
                "--as-of",
                AS_OF,
                "--select",
                "overdue-task,deal-without-task",
                "--lang",
                "ru",
                "--format",
                format,
            ],
        );
        assert_eq!(code, 0, "{format}: {stderr}");
        assert!(stdout.contains(&line), "{format}:\n{stdout}");
        assert!(!stdout.contains("pulled from"), "{format}:\n{stdout}");
        // Markdown and HTML head the list too.
        if format != "table" {
            assert!(
                stdout.contains("Выгрузки через API ("),
                "{format}:\n{stdout}"
            );
            assert!(!stdout.contains("Snapshots"), "{format}:\n{stdout}");
        }
    }
    // The workbook's Inputs sheet: the folder's kind and its line.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let out = tempfile::tempdir().unwrap();
    let book = out.path().join("audit.xlsx");
    let (code, _, stderr) = audit_in(
        dir.path(),
        &[
            folder,
            "--as-of",
            AS_OF,
            "--select",
            "overdue-task,deal-without-task",
            "--lang",
            "ru",
            "-q",
            "--output",
            book.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut workbook: Xlsx<_> = open_workbook(&book).unwrap();
    let inputs = workbook.worksheet_range("Входные файлы").unwrap();
    let row = inputs
        .rows()
        .find(|row| row.first() == Some(&Data::String(folder.to_string())))
        .expect("the snapshot's row on the Inputs sheet");
    assert_eq!(row[1], Data::String("выгрузка через API".into()));
    assert_eq!(row[11], Data::String(line));
}

#[test]
fn the_manifest_is_shown_among_the_inputs_of_every_format() {
    let dir = snapshot(true);
    let folder = dir.path().to_str().unwrap();
    let select = ["--select", "overdue-task,deal-without-task"];
    let report = json_in(
        dir.path(),
        &[folder, "--as-of", AS_OF, select[0], select[1]],
    );
    assert_eq!(
        report["snapshots"],
        serde_json::json!([{
            "folder": folder, "source": "amocrm", "base_url": "https://example.amocrm.ru",
            "pulled_at": "2026-11-27T01:30:00Z", "tool_version": "0.1.0"
        }])
    );
    // The two exports read; the manifest is no stray.
    assert_eq!(report["inputs"].as_array().unwrap().len(), 2);
    assert!(report.get("not_read").is_none(), "{}", report["not_read"]);

    let line = format!("{folder}: {LINE}");
    for format in ["table", "markdown", "html"] {
        let (code, stdout, stderr) = audit_in(
            dir.path(),
            &[
                folder, "--as-of", AS_OF, select[0], select[1], "--format", format,
            ],
        );
        assert_eq!(code, 0, "{format}: {stderr}");
        assert!(stdout.contains(&line), "{format}:\n{stdout}");
    }

    use calamine::{open_workbook, Data, Reader, Xlsx};
    let out = tempfile::tempdir().unwrap();
    let book = out.path().join("audit.xlsx");
    let (code, _, stderr) = audit_in(
        dir.path(),
        &[
            folder,
            "--as-of",
            AS_OF,
            select[0],
            select[1],
            "-q",
            "--output",
            book.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut workbook: Xlsx<_> = open_workbook(&book).unwrap();
    let inputs = workbook.worksheet_range("Inputs").unwrap();
    let row = inputs
        .rows()
        .find(|row| matches!(row.get(1), Some(Data::String(kind)) if kind == "snapshot"))
        .expect("a snapshot row on the Inputs sheet");
    assert_eq!(row[0], Data::String(folder.to_string()));
    assert_eq!(row[11], Data::String(line.clone()));
}

#[test]
fn a_snapshot_whose_pull_did_not_finish_is_refused() {
    let dir = snapshot(false);
    let folder = dir.path().to_str().unwrap();
    let stderr = error_of(dir.path(), &[folder, "--as-of", AS_OF]);
    assert_eq!(
        stderr,
        format!(
            "crm-audit: error: {folder}/manifest.json: the pull that wrote this snapshot did not \
             finish (`complete` is not true); its files may hold part of the data, so it is not \
             audited: run the pull again\n"
        )
    );
}

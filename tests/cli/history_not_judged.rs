//! A rule switched off in the rule set after some nights: its open
//! violations are not judged tonight. They are not fixed, not dropped
//! without a trace: every format's history part lists them on their own,
//! in both languages, and each manager's changes count them.

use crate::support::{audit_in, folder_with};
use calamine::{open_workbook, Reader, Xlsx};
use serde_json::Value;
use std::path::Path;

/// Two deals in work, each with a task due later (no task rule fires):
/// 801 of Иванова Мария has no phone (missing-phone), 802 of Петров
/// Алексей has one.
const DEALS: &str = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Рабочий телефон (контакт),Ближайшая задача
801,Радиаторы,Орлов Игорь,Иванова Мария,Счет,,30.12.2026 10:00
802,Котел,Зайцева Ольга,Петров Алексей,Счет,+7 927 555-11-22,30.12.2026 10:00
";
const SWITCHED_OFF: &str = "extends = \"builtin\"\n[rules.missing-phone]\nenabled = false\n";

fn run(dir: &Path, as_of: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "deals.csv",
        "--as-of",
        as_of,
        "--history",
        "h.sqlite",
        "--rules",
        "company.toml",
    ];
    args.extend(extra);
    audit_in(dir, &args)
}

#[test]
fn a_switched_off_rules_violations_are_listed_as_not_judged() {
    let dir = folder_with(&[
        ("deals.csv", DEALS.as_bytes()),
        ("company.toml", b"extends = \"builtin\"\n"),
    ]);
    let dir = dir.path();
    let (code, _, stderr) = run(dir, "2026-11-27 02:00", &["-f", "json"]);
    assert_eq!(code, 1, "{stderr}");

    // Night 2: the company switches missing-phone off. Deal 801 still has
    // no phone; nothing says it was fixed.
    std::fs::write(dir.join("company.toml"), SWITCHED_OFF).unwrap();
    let (code, stdout, stderr) = run(dir, "2026-11-28 02:00", &["-f", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let history = &report["history"];
    assert_eq!(history["fixed"].as_array().unwrap().len(), 0);
    assert_eq!(history["not_judged"].as_array().unwrap().len(), 1);
    assert_eq!(history["not_judged"][0]["rule"], "missing-phone");
    assert_eq!(history["not_judged"][0]["entity_id"], "801");
    assert_eq!(
        history["not_judged"][0]["since"],
        "2026-11-27T02:00:00+03:00"
    );
    // The run switched a rule off, so no incomplete input is named.
    assert!(history.get("incomplete").is_none());
    let ivanova = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Иванова Мария")
        .unwrap();
    assert_eq!(ivanova["changes"]["not_judged"], 1);

    // The human formats of the nights after, the rule still off: the
    // violation is still open and still not judged, night after night.
    let formats: [(&str, &str, &str); 6] = [
        ("table", "en", "Not judged tonight (still open):"),
        ("md", "en", "## Not judged tonight (still open)"),
        ("html", "en", "<h3>Not judged tonight (still open)</h3>"),
        ("table", "ru", "Сегодня не проверены (остаются открытыми):"),
        ("md", "ru", "## Сегодня не проверены (остаются открытыми)"),
        (
            "html",
            "ru",
            "<h3>Сегодня не проверены (остаются открытыми)</h3>",
        ),
    ];
    for (n, (format, lang, title)) in formats.into_iter().enumerate() {
        let as_of = format!("2026-12-{:02} 02:00", n + 1);
        let (code, stdout, stderr) = run(
            dir,
            &as_of,
            &["-f", format, "--lang", lang, "--color", "never"],
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains(title), "{format} {lang}: {stdout}");
        assert!(
            stdout.contains("missing-phone"),
            "{format} {lang}: {stdout}"
        );
    }
    for (lang, sheet, title) in [
        ("en", "Fixed", "Not judged tonight (still open)"),
        (
            "ru",
            "Исправлено",
            "Сегодня не проверены (остаются открытыми)",
        ),
    ] {
        let book = dir.join(format!("night-{lang}.xlsx"));
        let as_of = if lang == "en" {
            "2026-12-10 02:00"
        } else {
            "2026-12-11 02:00"
        };
        let (code, _, stderr) = run(dir, as_of, &["-o", book.to_str().unwrap(), "--lang", lang]);
        assert_eq!(code, 0, "{stderr}");
        let mut workbook: Xlsx<_> = open_workbook(&book).unwrap();
        let range = workbook.worksheet_range(sheet).unwrap();
        let cells: Vec<String> = range.rows().map(|r| r[0].to_string()).collect();
        let at = cells
            .iter()
            .position(|c| c == title)
            .unwrap_or_else(|| panic!("{cells:?}"));
        let rows: Vec<Vec<String>> = range
            .rows()
            .skip(at)
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert!(
            rows.iter()
                .any(|r| r[1] == "missing-phone" && r[3] == "801"),
            "{rows:?}"
        );
    }
}

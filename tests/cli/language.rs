//! The report's language: Russian for the built-in regulation, `language`
//! in a rule file, and `--lang` over both. The example company's task
//! T-1015 was due 24.11.2026 15:00; at 27.11.2026 02:00 it is 2 days and
//! 11 hours overdue (3540 minutes), which Russian writes «2 дня 11 ч».
//! Deal 31459227 has 150 000 paid of a 455 000 budget: 32.97%, shown
//! rounded down as 32,9% in Russian.

use crate::support::{json_in, violation, AS_OF};
use std::path::Path;

fn example() -> String {
    format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"))
}

fn message(report: &serde_json::Value, rule: &str, id: &str) -> String {
    violation(report, rule, id)["message"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_built_in_regulation_reports_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let report = json_in(dir.path(), &[&example, "--as-of", AS_OF, "--lang", "ru"]);
    assert_eq!(report["language"], "ru");
    assert_eq!(
        message(&report, "overdue-task", "T-1015"),
        "задача со сроком 24.11.2026 15:00 просрочена на 2 дня 11 ч"
    );
    assert_eq!(
        message(&report, "prepayment-below-minimum", "31459227"),
        "этап «Заказ оплачен / предоплачен»: оплачено 150\u{a0}000 из бюджета \
         455\u{a0}000 (32,9%), а нужно не меньше 50%"
    );
    // The machine fields stay as they are in every language.
    let v = violation(&report, "overdue-task", "T-1015");
    assert_eq!(v["details"]["late_minutes"], 3540);
    assert_eq!(v["code"], "CA001");
}

#[test]
fn lang_en_and_a_rule_files_language_switch_it_and_lang_wins() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let english = json_in(dir.path(), &[&example, "--as-of", AS_OF, "--lang", "en"]);
    assert_eq!(english["language"], "en");
    assert_eq!(
        message(&english, "overdue-task", "T-1015"),
        "task due 24.11.2026 15:00 is 2 d 11 h overdue"
    );
    let rules = dir.path().join("english.toml");
    std::fs::write(&rules, "extends = \"builtin\"\nlanguage = \"en\"\n").unwrap();
    let rules = rules.display().to_string();
    // The rule file alone, with no --lang at all.
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(Path::new(&example))
        .args(["audit", ".", "--as-of", AS_OF, "--rules", &rules])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let by_file: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(by_file["language"], "en");
    assert_eq!(
        message(&by_file, "overdue-task", "T-1015"),
        "task due 24.11.2026 15:00 is 2 d 11 h overdue"
    );
    let overridden = json_in(
        dir.path(),
        &[
            &example, "--as-of", AS_OF, "--rules", &rules, "--lang", "ru",
        ],
    );
    assert_eq!(
        message(&overridden, "overdue-task", "T-1015"),
        "задача со сроком 24.11.2026 15:00 просрочена на 2 дня 11 ч"
    );
}

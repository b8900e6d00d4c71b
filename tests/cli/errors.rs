//! Every error a user can hit: exit code 2, nothing on stdout, and a
//! message on stderr that names the file, the row and the column.

use crate::support::*;
use std::path::Path;

/// The built-in rule file's text, the base of the broken rule files below.
fn builtin_rules() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/regulation.toml");
    std::fs::read_to_string(path).expect("read rules/regulation.toml")
}

/// The 1-based line of `text` where `needle` starts.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` in the text"));
    text[..at].matches('\n').count() + 1
}

/// Writes `text` as `company.toml` in a fresh folder, audits a fixture with
/// it from that folder, and returns the error message.
fn rule_file_error(text: &str) -> String {
    let dir = folder_with(&[("company.toml", text.as_bytes())]);
    error_of(
        dir.path(),
        &[
            &fixture("deals_plain.csv"),
            "--rules",
            "company.toml",
            "--as-of",
            AS_OF,
        ],
    )
}

#[test]
fn a_file_matching_no_layout_says_what_each_layout_missed() {
    let stderr = error_of(&fixtures(), &["not_an_export.csv", "--as-of", AS_OF]);
    assert!(
        stderr.starts_with(
            "crm-audit: error: not_an_export.csv: not recognised as deals, leads, tasks, calls, contacts, call-reviews: no header row found in the first 10 rows."
        ),
        "{stderr}"
    );
    // Header names are compared ignoring case; so is the message here.
    let lower = stderr.to_lowercase();
    // `Дата` is there: calls miss only the direction.
    assert!(
        lower.contains("calls needs \"дата\" or \"time\" or \"время\" or \"поступил в компанию\" or \"начало разговора\", \"направление\" or \"direction\" or \"тип\"; missing \"направление\" or \"direction\" or \"тип\""),
        "{stderr}"
    );
    assert!(
        lower.contains("deals needs \"id\", \"название сделки\", \"этап сделки\" or \"стадия сделки\"; missing \"id\", \"название сделки\", \"этап сделки\" or \"стадия сделки\""),
        "{stderr}"
    );
    assert!(
        lower.contains("tasks needs \"срок\" or \"due\" or \"крайний срок\"; missing \"срок\" or \"due\" or \"крайний срок\""),
        "{stderr}"
    );
    assert!(
        lower.contains("contacts needs \"тип\", \"наименование\" or \"полное имя контакта\" or \"полное имя\"; missing \"тип\", \"наименование\" or \"полное имя контакта\" or \"полное имя\""),
        "{stderr}"
    );
}

#[test]
fn a_tasks_file_without_a_manager_column_is_rejected() {
    let stderr = error_of(
        &fixtures(),
        &["tasks_without_manager.csv", "--as-of", AS_OF],
    );
    let lower = stderr.to_lowercase();
    assert!(
        lower.starts_with(
            "crm-audit: error: tasks_without_manager.csv: recognised as tasks, but it has no column \"ответственный\" or \"manager\""
        ),
        "{stderr}"
    );
}

#[test]
fn a_bad_due_date_names_the_file_line_and_column() {
    // With --strict an unreadable value is an error, as it was always
    // (without, it is T-2's unreadable-value finding: tests/cli/unreadable.rs).
    let stderr = error_of(
        &fixtures(),
        &["tasks_bad_date.csv", "--strict", "--as-of", AS_OF],
    );
    // T-2 is on line 3; `Срок` is the fifth column, E.
    assert!(
        stderr.starts_with(
            "crm-audit: error: tasks_bad_date.csv, line 3, column \"Срок\" (E): `32.13.2026` is not a date; expected e.g. 26.11.2026 14:30"
        ),
        "{stderr}"
    );
}

#[test]
fn a_rule_file_with_an_unknown_key_is_located() {
    let base = builtin_rules();
    let text = base.replacen(
        "[rules.overdue-task]\n",
        "[rules.overdue-task]\nseverty = \"error\"\n",
        1,
    );
    let line = line_of(&text, "severty");
    assert_eq!(line, line_of(&base, "[rules.overdue-task]") + 1);
    let stderr = rule_file_error(&text);
    let expected = format!("crm-audit: error: rule file company.toml, line {line}, column 1: ");
    assert!(
        stderr.starts_with(&expected),
        "{stderr}\nexpected: {expected}"
    );
    assert!(stderr.contains("unknown field `severty`"), "{stderr}");
}

#[test]
fn a_rule_file_with_an_unknown_rule_name_is_located() {
    let text = format!(
        "{}\n[rules.overdue-tasks]\ncode = \"CA099\"\n",
        builtin_rules()
    );
    let line = line_of(&text, "[rules.overdue-tasks]");
    let stderr = rule_file_error(&text);
    // The name starts after `[rules.`, in column 8.
    let expected = format!("crm-audit: error: rule file company.toml, line {line}, column 8: ");
    assert!(
        stderr.starts_with(&expected),
        "{stderr}\nexpected: {expected}"
    );
    assert!(stderr.contains("`overdue-tasks`"), "{stderr}");
    // The rule meant is named, as a suggestion or in the list of rules.
    assert!(stderr.contains("`overdue-task`"), "{stderr}");
}

#[test]
fn a_number_written_in_quotes_is_said_in_plain_words() {
    // `at-least = "2"` on line 3: the value starts after `at-least = `, in
    // column 12. An admin reads what was expected, not the parser's types.
    let text = "extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = \"2\"\n";
    let stderr = rule_file_error(text);
    assert_eq!(
        stderr.trim_end(),
        "crm-audit: error: rule file company.toml, line 3, column 12: expected a whole number, \
         found the text \"2\""
    );
}

#[test]
fn a_rule_file_requiring_fields_from_a_stage_outside_the_funnel_is_located() {
    let text = builtin_rules().replacen("from = \"Квалификация\"", "from = \"Квалификацыя\"", 1);
    let line = line_of(&text, "from = \"Квалификацыя\"");
    let stderr = rule_file_error(&text);
    // The value starts after `from = `, in column 8.
    let expected = format!("crm-audit: error: rule file company.toml, line {line}, column 8: ");
    assert!(
        stderr.starts_with(&expected),
        "{stderr}\nexpected: {expected}"
    );
    assert!(
        stderr.contains("`Квалификацыя` in stages.required is not a funnel stage"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `Квалификация`?"), "{stderr}");
}

#[test]
fn an_unknown_manager_is_an_error_listing_the_managers() {
    let stderr = error_of(
        &fixtures(),
        &[
            "deals_phones.csv",
            "--as-of",
            AS_OF,
            "--manager",
            "Сидоров Олег",
        ],
    );
    assert_eq!(
        stderr,
        "crm-audit: error: --manager \"Сидоров Олег\": no such manager in the inputs; \
         the managers are \"Иванова Мария\", \"Петров Алексей\"\n"
    );
}

#[test]
fn manager_by_surname_or_prefix_and_ambiguity() {
    // deals_phones.csv has two managers, Иванова Мария and Петров Алексей.
    let filter = |name: &str| {
        json(&["deals_phones.csv", "--as-of", AS_OF, "--manager", name])["manager_filter"].clone()
    };
    assert_eq!(filter("Иванова"), serde_json::json!(["Иванова Мария"]));
    assert_eq!(filter("петров"), serde_json::json!(["Петров Алексей"]));
    assert_eq!(filter("Петр"), serde_json::json!(["Петров Алексей"]));
    // A bare "а" starts neither name and is no whole word of either.
    let (_, _, stderr) = audit(&["deals_phones.csv", "--as-of", AS_OF, "--manager", "а"]);
    assert!(stderr.contains("no such manager in the inputs"), "{stderr}");
    // A prefix both names share is refused with both.
    let (_dir, rules) = fixture_rules_with_two_ivanovs();
    let (code, _, stderr) = audit(&[
        "deals_phones.csv",
        "--as-of",
        AS_OF,
        "--rules",
        &rules,
        "--manager",
        "Иван",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "crm-audit: error: --manager \"Иван\" names more than one manager: \
         \"Иванов Пётр\", \"Иванова Мария\"; give more of the name\n"
    );
}

/// A rule file whose roster renames Петров Алексей to Иванов Пётр, so the
/// fixture has two managers whose names both start with «Иван».
fn fixture_rules_with_two_ivanovs() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two-ivanovs.toml");
    std::fs::write(
        &path,
        "extends = \"builtin\"\n[[managers]]\nname = \"Иванов Пётр\"\naliases = [\"Петров Алексей\"]\n",
    )
    .unwrap();
    let path = path.display().to_string();
    (dir, path)
}

#[test]
fn a_bad_as_of_is_an_error() {
    let stderr = error_of(&fixtures(), &["deals_phones.csv", "--as-of", "вчера"]);
    assert!(
        stderr.starts_with(
            "crm-audit: error: --as-of: `вчера` is not a date; expected e.g. 26.11.2026 14:30"
        ),
        "{stderr}"
    );
    // 31 November does not exist.
    let stderr = error_of(
        &fixtures(),
        &["deals_phones.csv", "--as-of", "2026-11-31 02:00"],
    );
    assert!(
        stderr.starts_with("crm-audit: error: --as-of: `2026-11-31 02:00` is not a date"),
        "{stderr}"
    );
}

#[test]
fn a_missing_path_is_an_error() {
    let stderr = error_of(&fixtures(), &["no_such_export.csv", "--as-of", AS_OF]);
    assert!(
        stderr.starts_with("crm-audit: error: no_such_export.csv: no such file or folder"),
        "{stderr}"
    );
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    let stderr = error_of(dir.path(), &["exports", "--as-of", AS_OF]);
    assert_eq!(
        stderr,
        "crm-audit: error: exports: the folder holds no .csv, .xlsx, .xls or .ods files\n"
    );
}

#[test]
fn a_folder_with_no_export_files_is_an_error() {
    // Only a text note: not an export type.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    std::fs::write(dir.path().join("exports/notes.txt"), "Выгрузка за ноябрь").unwrap();
    let stderr = error_of(dir.path(), &["exports", "--as-of", AS_OF]);
    assert_eq!(
        stderr,
        "crm-audit: error: exports: the folder holds no .csv, .xlsx, .xls or .ods files\n"
    );
}

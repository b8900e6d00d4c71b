//! Finding the company's rule file without `--rules`, as ruff and typos find
//! theirs: `crm-audit.toml` in the current folder, else in the audited
//! folder; and `crm-audit init`, which writes a starter one.

use crate::support::{json_in, AS_OF};
use std::path::Path;

fn example() -> String {
    format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"))
}

/// A rule file that extends the built-in one under a name of its own.
fn company_file(folder: &Path, name: &str) {
    std::fs::write(
        folder.join("crm-audit.toml"),
        format!("extends = \"builtin\"\nname = \"{name}\"\n"),
    )
    .unwrap();
}

/// A copy of the example company's exports in `folder`.
fn copy_example(folder: &Path) {
    for entry in std::fs::read_dir(example()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn the_rule_file_is_found_here_then_in_the_audited_folder() {
    let here = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    copy_example(exports.path());
    let audited = exports.path().to_str().unwrap();
    let rule_set = |dir: &Path, extra: &[&str]| {
        let mut args = vec![audited, "--as-of", AS_OF];
        args.extend(extra);
        let report = json_in(dir, &args);
        (
            report["rule_set"]["name"].as_str().unwrap().to_string(),
            report["rule_set"]["source"].as_str().unwrap().to_string(),
        )
    };

    // Nowhere: the built-in regulation.
    assert_eq!(
        rule_set(here.path(), &[]).1,
        "built-in rules/regulation.toml"
    );
    // In the audited folder only: that one.
    company_file(exports.path(), "Папка выгрузок");
    let in_folder = format!("{audited}/crm-audit.toml");
    assert_eq!(
        rule_set(here.path(), &[]),
        ("Папка выгрузок".to_string(), in_folder)
    );
    // In the current folder too: the current folder's wins.
    company_file(here.path(), "Текущая папка");
    assert_eq!(
        rule_set(here.path(), &[]),
        ("Текущая папка".to_string(), "crm-audit.toml".to_string())
    );
    // --rules wins over both.
    let named = here.path().join("other.toml");
    std::fs::write(&named, "extends = \"builtin\"\nname = \"Названный\"\n").unwrap();
    let named = named.to_str().unwrap();
    assert_eq!(
        rule_set(here.path(), &["--rules", named]),
        ("Названный".to_string(), named.to_string())
    );
}

#[test]
fn a_found_rule_file_is_named_in_the_table_header() {
    let here = tempfile::tempdir().unwrap();
    company_file(here.path(), "Наш регламент");
    let (code, stdout, _) = crate::support::audit_in(here.path(), &[&example(), "--as-of", AS_OF]);
    assert_eq!(code, 1);
    let first = stdout.lines().next().unwrap();
    assert!(
        first.ends_with("rule set: Наш регламент (from crm-audit.toml)"),
        "{first}"
    );
}

#[test]
fn init_writes_a_starter_that_audits_the_example_as_the_built_in_rules_do() {
    let here = tempfile::tempdir().unwrap();
    let run = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(here.path())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let starter = std::fs::read_to_string(here.path().join("crm-audit.toml")).unwrap();
    assert!(starter.contains("extends = \"builtin\""));

    // Found by itself, it gives the example README's 41 violations.
    let report = json_in(here.path(), &[&example(), "--as-of", AS_OF]);
    assert_eq!(report["rule_set"]["source"], "crm-audit.toml");
    assert_eq!(report["totals"]["violations"], 41);

    // A second init never replaces the file.
    let again = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(here.path())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        "crm-audit: error: cannot create crm-audit.toml (it exists; init never replaces a \
         rule file): File exists (os error 17)\n"
    );
    assert_eq!(
        std::fs::read_to_string(here.path().join("crm-audit.toml")).unwrap(),
        starter
    );
}

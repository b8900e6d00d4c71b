//! `csv-excel = true` in the rule set: every CSV report in Excel's Russian
//! dialect without the flag on each run; other formats are unaffected
//! (the setting is no usage error the way `--csv-excel --format json` is).

use crate::support::{audit_in, AS_OF};

#[test]
fn the_rule_sets_csv_excel_writes_excels_dialect() {
    let dir = tempfile::tempdir().unwrap();
    let example = format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"));
    let rules = dir.path().join("excel.toml");
    std::fs::write(&rules, "extends = \"builtin\"\ncsv-excel = true\n").unwrap();
    let rules = rules.display().to_string();
    let (code, csv, stderr) = audit_in(
        dir.path(),
        &[
            &example, "--as-of", AS_OF, "--rules", &rules, "--format", "csv",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    // A UTF-8 byte-order mark, then `;` between the header's fields.
    assert!(csv.starts_with("\u{feff}as_of;manager;code;rule;"), "{csv}");
    // Without the setting, the plain dialect.
    let (_, plain, _) = audit_in(dir.path(), &[&example, "--as-of", AS_OF, "--format", "csv"]);
    assert!(plain.starts_with("as_of,manager,code,rule,"));
    // The table is written as ever.
    let (code, _, stderr) = audit_in(dir.path(), &[&example, "--as-of", AS_OF, "--rules", &rules]);
    assert_eq!(code, 1, "{stderr}");
}

//! The rule set from the command line: `crm-audit rules`, `crm-audit
//! explain`, `--select` / `--ignore`, and a company file that extends the
//! built-in regulation with its own rule and a waiver.

use crate::support::*;

fn run(args: &[&str]) -> (i32, String, String) {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(fixtures())
        .args(args)
        .output()
        .expect("run crm-audit");
    (
        output.status.code().expect("exit code"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn rules_lists_every_rule_with_its_code() {
    let (code, stdout, _) = run(&["rules"]);
    assert_eq!(code, 0);
    for n in 1..=16 {
        assert!(
            stdout.contains(&format!("CA{n:03}")),
            "CA{n:03} listed:\n{stdout}"
        );
    }
    assert!(stdout.contains("overdue-task") && stdout.contains("call-conduct"));
    assert!(stdout.contains("Clauses no rule checks, and why:"));
}

#[test]
fn explain_by_code_or_name() {
    let (code, stdout, _) = run(&["explain", "ca003"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("CA003 missing-phone: A deal in work has no contact phone."),
        "{stdout}"
    );
    assert!(stdout.contains("По каждой сделке обязательно в карточке компании должно быть заполнено имя контактного лица"));
    assert!(stdout.contains(
        "Every deal must have, in the company card, the contact person's name and a phone number."
    ));
    let (code, _, stderr) = run(&["explain", "missing-phones"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "crm-audit: error: no rule `missing-phones` in built-in rules/regulation.toml; did you mean `missing-phone`?; `crm-audit rules` lists them\n"
    );
}

#[test]
fn select_and_ignore_narrow_the_rules_that_run() {
    let example = format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"));
    let only = json(&[&example, "--as-of", AS_OF, "--select", "overdue-task,CA003"]);
    let rules: Vec<&str> = only["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["overdue-task", "missing-phone"]);
    // The example's README: 7 overdue tasks and 3 deals without a phone.
    assert_eq!(only["totals"]["violations"], 10);
    let without = json(&[
        &example,
        "--as-of",
        AS_OF,
        "--ignore",
        "overdue-task",
        "--ignore",
        "CA003",
    ]);
    assert_eq!(without["totals"]["violations"], 41 - 10);
    let e = error_of(
        &fixtures(),
        &[&example, "--as-of", AS_OF, "--select", "overdue-tsk"],
    );
    assert!(
        e.contains(
            "--select overdue-tsk: no such rule in the rule set; did you mean `overdue-task`?"
        ),
        "{e}"
    );
}

#[test]
fn select_and_ignore_that_leave_no_rule_are_an_error() {
    // Not a report of no rule, which would read as a clean department.
    let example = format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"));
    for flags in [
        &["--select", "overdue-task", "--ignore", "CA001"][..],
        &["--select", "missing-phone", "--ignore", "missing-phone"][..],
    ] {
        let mut args = vec![example.as_str(), "--as-of", AS_OF];
        args.extend(flags);
        assert_eq!(
            error_of(&fixtures(), &args),
            "crm-audit: error: --select and --ignore leave no rule to run; \
             `crm-audit rules` lists them\n",
            "{flags:?}"
        );
    }
}

#[test]
fn a_company_file_adds_a_rule_and_a_waiver() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("company.toml"),
        "extends = \"builtin\"\n\
         [rules.budget-from-invoice]\ncheck = \"required\"\ncode = \"CO001\"\nclause = \"7\"\nseverity = \"warning\"\n\
         summary = \"From the invoice on, the deal has a budget.\"\nmessage = \"stage «{stage}»: {fields} is empty\"\n\
         entity = \"deal\"\nfields = [\"Бюджет\"]\nwhen = { in-work = true, stage-at-or-after = \"Счет\" }\n\
         [[waivers]]\nrule = \"prepayment-below-minimum\"\nentity = \"deal:31460309\"\n\
         reason = \"бюджет согласуется\"\nuntil = \"2026-11-27\"\n",
    )
    .unwrap();
    let example = format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"));
    let rules = dir.path().join("company.toml").display().to_string();
    let report = json(&[&example, "--as-of", AS_OF, "--rules", &rules]);
    // Deal 31460309 (README: an approved order with its budget emptied) is
    // the one deal at «Счет» or later without a budget.
    assert_eq!(ids(&report, "budget-from-invoice"), ["31460309"]);
    assert_eq!(
        violation(&report, "budget-from-invoice", "31460309")["message"],
        "stage «Заказ утвержден / ждем оплату»: Бюджет is empty"
    );
    // Its prepayment violation is waived through the audit date.
    assert!(!ids(&report, "prepayment-below-minimum").contains(&"31460309".to_string()));
    let waivers = report["waivers"].as_array().unwrap();
    assert_eq!(waivers.len(), 1);
    assert_eq!(
        (
            waivers[0]["status"].as_str(),
            waivers[0]["matched"].as_u64()
        ),
        (Some("used"), Some(1))
    );
    // The waiver is listed in the formats people read, too.
    for (format, expected) in [
        ("markdown", "- prepayment-below-minimum deal:31460309 until 2026-11-27 (1 violation(s) left out): бюджет согласуется"),
        ("html", "<li>prepayment-below-minimum deal:31460309 until 2026-11-27 (1 violation(s) left out): бюджет согласуется</li>"),
        ("table", "  prepayment-below-minimum deal:31460309 until 2026-11-27 (1 violation(s) left out): бюджет согласуется"),
    ] {
        let (_, stdout, _) = audit(&[&example, "--as-of", AS_OF, "--rules", &rules, "--format", format]);
        assert!(stdout.contains(expected), "{format}:\n{stdout}");
    }
    // And in the workbook's About sheet.
    let book = dir.path().join("audit.xlsx");
    let (code, _, stderr) = audit(&[
        &example,
        "--as-of",
        AS_OF,
        "--rules",
        &rules,
        "--output",
        book.to_str().unwrap(),
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let mut xlsx: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    use calamine::Reader;
    let about = xlsx.worksheet_range("About").unwrap();
    let waiver_row = about
        .rows()
        .find(|r| {
            r.first().map(|c| c.to_string())
                == Some("prepayment-below-minimum deal:31460309".into())
        })
        .expect("the waiver is listed");
    assert_eq!(waiver_row[1].to_string(), "used");
    // A day later the waiver has expired and the violation is back.
    let later = json(&[&example, "--as-of", "2026-11-28 02:00", "--rules", &rules]);
    assert!(ids(&later, "prepayment-below-minimum").contains(&"31460309".to_string()));
    assert_eq!(later["waivers"][0]["status"], "expired");
}

//! What each fuzz target does with the fuzzer's bytes, in one module the
//! targets (`fuzz_targets/*.rs`) and the replay of the cases they found
//! (`tests/fuzz_cases.rs`, run by plain `cargo test`) share. Each takes
//! any bytes; refusing them with an error is fine, a panic, a hang or an
//! abort is the bug.

// The replay test uses some of these functions at a time.
#![allow(dead_code)]

use crm_audit::report::{render, Format, RenderOptions};
use crm_audit::rules::{PhoneCountry, RuleSet};
use crm_audit::{audit, input, report, value};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// What a target does with one input.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/Cargo.toml` and the case folders name them.
pub const TARGETS: [(&str, Target); 5] = [
    ("csv_reader", csv_reader),
    ("html_reader", html_reader),
    ("xlsx_reader", xlsx_reader),
    ("values", values),
    ("rule_file", rule_file),
];

/// The CSV reader: the bytes as a `.csv` export (encoding, delimiter and
/// layout detection, quoted fields, rows), read whole and in stretches of
/// 7 bytes, which must give the same report or the same error: real runs
/// cut a large file into stretches read in parallel.
pub fn csv_reader(data: &[u8]) {
    let path = file_with(data, "csv");
    let whole = audit_file(&path, &whole());
    let pieces = audit_file(
        &path,
        &input::LoadOptions {
            stretch_bytes: 7,
            ..self::whole()
        },
    );
    assert_eq!(whole, pieces, "read whole and in stretches of 7 bytes");
}

/// The HTML-table reader: the bytes as Bitrix24's "Excel" export, a
/// `.xls` file told HTML by its content, as the real ones are.
pub fn html_reader(data: &[u8]) {
    let _ = audit_file(&file_with(data, "xls"), &whole());
}

/// The XLSX reader: the bytes as an `.xlsx` workbook (the zip and XML are
/// calamine's; the sheet's cells, dates and layout are ours).
pub fn xlsx_reader(data: &[u8]) {
    let _ = audit_file(&file_with(data, "xlsx"), &whole());
}

/// The value parsers a cell goes through: dates and times (offsets, Excel
/// serial numbers), amounts, durations, booleans, call directions, task
/// types, names and phone cells.
pub fn values(data: &[u8]) {
    if let Some(bits) = data.get(..8).and_then(|b| b.try_into().ok()) {
        let _ = value::moment_from_excel_serial(f64::from_bits(u64::from_le_bytes(bits)));
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(moment) = value::parse_moment(text, rules().time_zone) {
        let _ = (
            moment.start(),
            moment.end(),
            moment.deadline(),
            moment.date(),
        );
    }
    let _ = value::parse_amount(text);
    let _ = value::parse_duration_secs(text);
    let _ = value::parse_bool(text);
    let words = &rules().values;
    let _ = words.call_direction.classify(text);
    let _ = words.call_status.classify(text);
    let _ = words.task_state.classify(text);
    let _ = words.task_type.classify(text);
    let _ = value::normalize_name(text);
    let cells = text.split('\t');
    let _ = input::phone_state(cells.clone(), PhoneCountry::Ru);
    let _ = input::phone_state(cells, PhoneCountry::Any);
}

/// The rule-file compiler: the bytes as a company's rule file, compiled
/// or refused with an error that names the place.
pub fn rule_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = RuleSet::from_text(text, "company.toml") {
        let _ = e.to_string();
    }
}

/// The audit moment: Friday 27.11.2026, 02:00.
fn as_of() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
        .and_then(|d| d.and_hms_opt(2, 0, 0))
        .expect("a valid moment")
}

/// The built-in rule set, compiled once.
fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

/// Writes `data` to this process's (and thread's) own file `*.{extension}`.
fn file_with(data: &[u8], extension: &str) -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    let path = std::env::temp_dir().join(format!(
        "crm-audit-fuzz-{}-{thread}.{extension}",
        std::process::id()
    ));
    std::fs::write(&path, data).expect("the input is written");
    path
}

/// The file read with `options`, audited and rendered as JSON, or the error.
fn audit_file(path: &Path, options: &input::LoadOptions) -> Result<String, String> {
    let files = vec![input::Found {
        path: path.to_path_buf(),
        shown: "input".to_string(),
        in_folder: false,
    }];
    let data = input::load(&files, rules(), options).map_err(|e| format!("{e:#}"))?;
    let outcome = audit::run(&data, rules(), as_of());
    let report =
        report::build(&data, rules(), &outcome, as_of(), &[]).map_err(|e| format!("{e:#}"))?;
    let mut out = Vec::new();
    render(&report, Format::Json, RenderOptions::default(), &mut out)
        .map_err(|e| format!("{e:#}"))?;
    Ok(String::from_utf8(out).expect("the JSON report is UTF-8"))
}

/// One reader on one thread, the file in one piece.
fn whole() -> input::LoadOptions {
    input::LoadOptions {
        threads: 1,
        stretch_bytes: u64::MAX / 2,
        sheet_rows: usize::MAX,
        ..Default::default()
    }
}

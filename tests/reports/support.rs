//! Running the built `crm-audit` over the example company (or a fixture)
//! in the crate's folder, so paths in reports read `examples/amocrm/...`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The audit moment of the example company's README.
pub const AS_OF: &str = "2026-11-27 02:00";
/// The example company.
pub const EXAMPLE: &str = "examples/amocrm";
/// Deals whose names try formula injection, markup and personal data.
pub const HOSTILE: &str = "tests/reports/fixtures/hostile";
/// Its rule set: the built-in regulation with waivers whose reasons carry
/// a phone number and an escape sequence.
pub const HOSTILE_RULES: &str = "tests/reports/fixtures/hostile.toml";
/// The CRM link template the reports are tested with.
pub const CRM_URL: &str = "https://example.amocrm.ru/leads/detail/{id}";

pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The built-in regulation with `crm-url` set, written once per run.
pub fn rules_with_crm_url() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let regulation =
            std::fs::read_to_string(crate_dir().join("rules/regulation.toml")).unwrap();
        let line = format!("crm-url = \"{CRM_URL}\"");
        let text = if regulation.lines().any(|l| l.starts_with("crm-url")) {
            regulation
        } else {
            regulation.replacen("\ntime-zone = ", &format!("\n{line}\ntime-zone = "), 1)
        };
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reports-regulation.toml");
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    })
}

pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }
}

/// `--lang en`, unless `args` name a language: the English snapshots and
/// the tests of what a report holds read the English texts.
fn english_unless_asked(args: &[&str]) -> &'static [&'static str] {
    if args
        .iter()
        .any(|a| *a == "--lang" || a.starts_with("--lang="))
    {
        &[]
    } else {
        &["--lang", "en"]
    }
}

/// `crm-audit audit ARGS...` in the crate's folder (in English unless
/// `args` say `--lang`).
pub fn audit(args: &[&str]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(crate_dir())
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .arg("audit")
        .args(english_unless_asked(args))
        .args(args)
        .output()
        .expect("run crm-audit");
    Run {
        code: output.status.code().expect("crm-audit exited by a signal"),
        stdout: output.stdout,
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The example company's report in `format`, with CRM links; the rule
/// file's temporary path reads `[rules]`. The run must exit 1 (it has
/// errors) and print nothing on stderr.
pub fn example(format: &str, extra: &[&str]) -> Run {
    let rules = rules_with_crm_url();
    let mut args = vec![
        EXAMPLE, "--as-of", AS_OF, "--rules", rules, "--format", format,
    ];
    args.extend(extra);
    let run = audit(&args);
    assert_eq!(run.code, 1, "exit code of {args:?}; stderr: {}", run.stderr);
    assert_eq!(run.stderr, "", "stderr of {args:?}");
    run
}

/// The example company's JSON report (with CRM links).
pub fn example_json() -> serde_json::Value {
    serde_json::from_slice(&example("json", &[]).stdout).expect("a JSON report")
}

/// As `example`, as text, with the rule file's path replaced by `[rules]`.
pub fn example_text(format: &str, extra: &[&str]) -> String {
    let path = rules_with_crm_url();
    // Markdown writes the path with its `_` escaped (a clone in
    // `/tmp/ci_clone` reads `ci\_clone` there).
    example(format, extra)
        .text()
        .replace(path, "[rules]")
        .replace(&path.replace('_', "\\_"), "[rules]")
}

/// A fresh folder for output files.
pub fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

//! `[sources.*]` in the rule set: `crm-audit pull amocrm` with no flags
//! takes the address, the snapshot folder (relative to the rule file) and
//! the days from `[sources.amocrm]` of `crm-audit.toml`; a flag overrides
//! its key; a secret in the rule file, or no folder anywhere, is an error
//! that says where it goes.

use super::amocrm::{contents, small_account, TOKEN};
use super::amocrm_fake::handler;
use super::server::RoutedServer;
use chrono::Datelike;
use serde_json::Value;
use std::path::Path;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `crm-audit pull amocrm ARGS…` in `dir`, the token in AMOCRM_TOKEN.
fn pull(dir: &Path, args: &[&str]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .env("AMOCRM_TOKEN", TOKEN)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .args(["pull", "amocrm"])
        .args(args)
        .output()
        .expect("run crm-audit");
    let run = Run {
        code: output.status.code().expect("exited by a signal"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
    run
}

fn manifest(folder: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn the_cron_line_needs_no_flags_and_a_flag_overrides_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let server = RoutedServer::start(handler(small_account(), vec![]));
    std::fs::write(
        dir.path().join("crm-audit.toml"),
        format!(
            "extends = \"builtin\"\n\n[sources.amocrm]\nurl = \"{}\"\nout = \"exports/amocrm\"\ndays = 400\n",
            server.url
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();

    let run = pull(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let folder = dir.path().join("exports/amocrm");
    // Found here, the rule file's folder is this one.
    assert!(
        run.stdout.ends_with(" into exports/amocrm\n"),
        "{}",
        run.stdout
    );
    assert_eq!(manifest(&folder)["period"]["days"], "400");
    assert_eq!(manifest(&folder)["base_url"], server.url.as_str());

    // Run from elsewhere with --rules: `out` is still the rule file's
    // folder's; --days and --out given win over the table.
    let other = tempfile::tempdir().unwrap();
    let rules = dir.path().join("crm-audit.toml");
    let elsewhere = other.path().join("snap");
    let run = pull(
        other.path(),
        &["--rules", rules.to_str().unwrap(), "--days", "3"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(manifest(&folder)["period"]["days"], "3");
    let run = pull(
        other.path(),
        &[
            "--rules",
            rules.to_str().unwrap(),
            "--out",
            elsewhere.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(manifest(&elsewhere)["period"]["days"], "400");
    server.requests();
    // The same account pulled: the same deals, whichever way it was asked.
    let deals = |f: &Path| {
        contents(f)
            .into_iter()
            .find(|(name, _)| name == "deals.csv")
            .unwrap()
            .1
    };
    assert_eq!(deals(&folder), deals(&elsewhere));
}

#[test]
fn a_token_in_the_rule_file_says_where_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crm-audit.toml"),
        "extends = \"builtin\"\n[sources.amocrm]\nurl = \"https://example.amocrm.ru\"\ntoken = \"eyJhbGciOi\"\n",
    )
    .unwrap();
    let run = pull(dir.path(), &["--out", "snap"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "crm-audit: error: rule file crm-audit.toml, line 4, column 9: [sources.amocrm] token: \
         a secret never goes in the rule file; the token goes in a file given with \
         --token-file (mode 600) or in AMOCRM_TOKEN\n"
    );
    assert!(!run.stderr.contains("eyJhbGciOi"));
}

#[test]
fn no_folder_anywhere_says_where_to_give_one() {
    let dir = tempfile::tempdir().unwrap();
    let run = pull(dir.path(), &["--url", "https://example.amocrm.ru"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "crm-audit: error: no snapshot folder: give --out DIR, or `out` in [sources.amocrm] \
         of the rule set\n"
    );
    let run = pull(dir.path(), &["--out", "snap"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no amoCRM address: give --url"),
        "{}",
        run.stderr
    );
}

/// Today in Moscow (the built-in rule set's zone), and a day as the Sipuni
/// form writes it.
fn moscow_today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Moscow)
        .date_naive()
}

fn form_day(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// `crm-audit pull sipuni` with no flags against a fake server, the rule
/// file `[sources.sipuni]` with `days = 1` and `calendar` (a `[calendar]`
/// table's body): the form it posted, and the folder.
fn sipuni_by_the_table(calendar: &str) -> (String, tempfile::TempDir) {
    use super::server::{FakeServer, Reply};
    let dir = tempfile::tempdir().unwrap();
    let server = FakeServer::start(vec![Reply::ok(
        "text/csv; charset=utf-8",
        super::CALL_LOG.as_bytes(),
    )]);
    std::fs::write(
        dir.path().join("crm-audit.toml"),
        format!(
            "extends = \"builtin\"\n[calendar]\n{calendar}\n[sources.sipuni]\nurl = \"{}\"\nuser = \"123456\"\nout = \"calls\"\ndays = 1\n",
            server.url
        ),
    )
    .unwrap();
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir.path())
        .env("SIPUNI_SECRET", "s3cr3t")
        .env_remove("SIPUNI_USER")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .args(["pull", "sipuni"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let requests = server.requests();
    (requests[0].clone(), dir)
}

#[test]
fn sipuni_days_reach_back_to_the_working_day_the_quota_judges() {
    // A calendar whose only working weekday is that of three days ago,
    // that day named a working day: yesterday and the day before are days
    // off, as Saturday and Sunday are on a Monday. `days = 1` must reach
    // back to that working day, or its quota is never judged; not stop at
    // yesterday.
    let today = moscow_today();
    let friday = today - chrono::Days::new(3);
    let off: Vec<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .enumerate()
        .filter(|(i, _)| *i as u32 != friday.weekday().num_days_from_monday())
        .map(|(_, d)| format!("\"{d}\""))
        .collect();
    let (form, _dir) = sipuni_by_the_table(&format!(
        "weekends = [{}]\nworking-days = [\"{}\"]",
        off.join(", "),
        friday.format("%Y-%m-%d")
    ));
    assert!(
        form.contains(&format!("from={}", form_day(friday)))
            && form.contains(&format!("to={}", form_day(today))),
        "{form}"
    );
}

#[test]
fn sipuni_takes_its_account_folder_and_days_from_the_table() {
    use super::server::{FakeServer, Reply};
    let dir = tempfile::tempdir().unwrap();
    let server = FakeServer::start(vec![Reply::ok(
        "text/csv; charset=utf-8",
        super::CALL_LOG.as_bytes(),
    )]);
    // Yesterday made a working day, whatever today is: `days = 1` pulls
    // from it.
    let yesterday = moscow_today() - chrono::Days::new(1);
    std::fs::write(
        dir.path().join("crm-audit.toml"),
        format!(
            "extends = \"builtin\"\n[calendar]\nworking-days = [\"{}\"]\n[sources.sipuni]\nurl = \"{}\"\nuser = \"123456\"\nout = \"calls\"\ndays = 1\n",
            yesterday.format("%Y-%m-%d"),
            server.url
        ),
    )
    .unwrap();
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir.path())
        .env("SIPUNI_SECRET", "s3cr3t")
        .env_remove("SIPUNI_USER")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .args(["pull", "sipuni"])
        .output()
        .unwrap();
    let requests = server.requests();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    // Yesterday and today, Moscow (the rule set's zone).
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Moscow)
        .date_naive();
    let day = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let form = &requests[0];
    assert!(
        form.contains(&format!("from={}", day(today - chrono::Days::new(1))))
            && form.contains(&format!("to={}", day(today)))
            && form.contains("user=123456"),
        "{form}"
    );
    assert!(dir.path().join("calls/calls.csv").is_file());
}

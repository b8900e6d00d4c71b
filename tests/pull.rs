//! `crm-audit pull sipuni` against a fake Sipuni on 127.0.0.1, all offline:
//! a good export becomes a snapshot the audit reads; 429 and 503 are
//! retried; 401, an HTML 403, a body cut short and a server that never
//! answers end in one clear line and exit 2, leaving the previous snapshot
//! byte for byte; secrets are refused where they would leak, and the key
//! appears in no output, manifest or file of any run.

#[path = "pull/files.rs"]
mod files;
#[path = "pull/server.rs"]
mod server;

#[path = "pull/amocrm_fake.rs"]
mod amocrm_fake;

#[path = "pull/amocrm.rs"]
mod amocrm;

#[path = "pull/amocrm_example.rs"]
mod amocrm_example;

#[path = "pull/bitrix24_fake.rs"]
mod bitrix24_fake;

#[path = "pull/bitrix24.rs"]
mod bitrix24;

#[path = "pull/bitrix24_example.rs"]
mod bitrix24_example;

#[path = "pull/sources.rs"]
mod sources;

#[path = "pull/progress.rs"]
mod progress;

#[path = "common/pty.rs"]
mod pty;

use files::{contents, file_holding, names_in};
use server::{FakeServer, Reply};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The API key and account of every test. With them and the day
/// 26.11.2026, `printf %s '1+0+0+0+26.11.2026+++1+1+1+1+1+0+1+0+00:00+23:59+26.11.2026++++0+123456+s3cr3t' | md5sum`
/// gives the signature (the unit tests of `pull::sipuni` reason out the text).
const SECRET: &str = "s3cr3t";
const USER: &str = "123456";
const HASH: &str = "83aa33a0584d6730d3a678619af655e1";

/// Sipuni's call log for Thursday 26.11.2026, as its export sends it (a
/// BOM, `;`, employees as `EXT (Name)`). Outgoing calls: `201 (Петров Иван)` at
/// 09:05, 10:30 (not answered: still a call made) and 14:00, three;
/// `202 (Смирнова Анна)` at 11:00, one. The incoming call Смирнова answered at
/// 12:00 and the internal one at 13:00 are no outgoing calls. Six rows.
/// (Full names in brackets: audited without deals, a surname alone names
/// no one the audit can judge.)
const CALL_LOG: &str = "\u{feff}Тип;Статус;Время;ID схемы звонка;Схема;Исходящая линия;Откуда;Куда;Кто ответил;Длительность звонка;Длительность разговора;Время ответа;Оценка;ID записи;Метка;Теги;Инициатор завершения звонка;ID заказа звонка;Запись существует;Новый клиент;Состояние перезвона;Время перезвона;Информация из CRM;Ответственный из CRM
Исходящий;Отвечен;26.11.2026 09:05:00;;;74951234567;201 (Петров Иван);79165551234;79165551234;120;110;10;;1764137100.1;;;Клиент;;Да;Нет;;;;
Исходящий;Не отвечен;26.11.2026 10:30:00;;;74951234567;201 (Петров Иван);79031112233;;30;0;;;;;;Сотрудник;;Нет;Нет;;;;
Исходящий;Отвечен;26.11.2026 11:00:00;;;74951234567;202 (Смирнова Анна);79104445566;79104445566;90;80;10;;1764144000.3;;;Клиент;;Да;Нет;;;;
Входящий;Отвечен;26.11.2026 12:00:00;4471;Входящие офис;;79165551234;74951234567;202 (Смирнова Анна);60;50;10;;1764147600.4;;;Клиент;;Да;Нет;;;;
Внутренний;Отвечен;26.11.2026 13:00:00;;;;201 (Петров Иван);202 (Смирнова Анна);202 (Смирнова Анна);40;35;5;;1764151200.5;;;Сотрудник;;Да;Нет;;;;
Исходящий;Отвечен;26.11.2026 14:00:00;;;74951234567;201 (Петров Иван);79857654321;79857654321;200;190;10;;1764154800.2;;;Клиент;;Да;Нет;;;;
";

fn good_log() -> Reply {
    Reply::ok("text/csv; charset=utf-8", CALL_LOG.as_bytes())
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A working folder with the key in `key` (mode 600); the snapshot goes
/// to `snap` in it.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_key(&dir.path().join("key"), 0o600);
    dir
}

fn write_key(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("{SECRET}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn snap(dir: &Path) -> PathBuf {
    dir.join("snap")
}

/// Runs `crm-audit pull sipuni` for 26.11.2026 into `dir/snap`, the key
/// from `dir/key`, then checks that the key leaked nowhere.
fn pull(dir: &Path, url: &str, extra: &[&str]) -> Run {
    let key = dir.join("key");
    let mut args = vec![
        "--secret-file".to_string(),
        key.display().to_string(),
        "--user".into(),
        USER.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(dir, url, &args, &[])
}

fn run(dir: &Path, url: &str, args: &[String], env: &[(&str, &str)]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .env_remove("SIPUNI_SECRET")
        .env_remove("SIPUNI_USER")
        // The fake server is on this machine: no proxy of the caller's.
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .envs(env.iter().copied())
        .args(["pull", "sipuni", "--out"])
        .arg(snap(dir))
        .args(["--from", "2026-11-26", "--to", "26.11.2026", "--url", url])
        .args(args)
        .output()
        .expect("run crm-audit");
    let run = Run {
        code: output.status.code().expect("exited by a signal"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert_no_secret(dir, &run);
    run
}

/// The key is in no output and no file of the folder but its own.
fn assert_no_secret(dir: &Path, run: &Run) {
    assert!(!run.stdout.contains(SECRET), "stdout: {}", run.stdout);
    assert!(!run.stderr.contains(SECRET), "stderr: {}", run.stderr);
    let found = file_holding(dir, SECRET, &dir.join("key"));
    assert!(found.is_none(), "{found:?} holds the key");
}

#[test]
fn a_good_export_is_a_snapshot_the_audit_reads() {
    let dir = workspace();
    let server = FakeServer::start(vec![good_log()]);
    let url = server.url.clone();
    let run = pull(dir.path(), &url, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        format!(
            "pulled 6 calls from {url} into {}\n",
            snap(dir.path()).display()
        )
    );

    // One signed POST of form fields; the key itself is not sent.
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].starts_with("POST /api/statistic/export HTTP/1.1\r\n"));
    assert!(
        requests[0].contains(&format!("hash={HASH}")),
        "{}",
        requests[0]
    );
    assert!(requests[0].contains("from=26.11.2026") && requests[0].contains("user=123456"));

    // The log as it came, and the manifest.
    let snap = snap(dir.path());
    assert_eq!(names_in(&snap), ["calls.csv", "manifest.json"]);
    assert_eq!(
        std::fs::read(snap.join("calls.csv")).unwrap(),
        CALL_LOG.as_bytes()
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(snap.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["source"], "sipuni");
    assert_eq!(manifest["base_url"], url.as_str());
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["tool_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["period"]["from"], "2026-11-26");
    assert_eq!(manifest["period"]["to"], "2026-11-26");
    assert_eq!(manifest["entities"]["calls"]["file"], "calls.csv");
    assert_eq!(manifest["entities"]["calls"]["rows"], 6);
    assert_eq!(manifest["entities"]["calls"]["pages"], 1);
    assert!(manifest["pulled_at"].as_str().unwrap().ends_with('Z'));

    // The audit reads the snapshot folder as an export folder: the quota
    // (40 outgoing calls on 26.11) is missed by Петров with 3 and Смирнова
    // with 1, as counted in CALL_LOG's comment; all 6 rows audited.
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .args(["audit", "--as-of", "2026-11-27 02:00", "--format", "json"])
        .arg(&snap)
        .output()
        .unwrap();
    // Missing the quota is a warning: below the default --fail-on error.
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let file = &report["inputs"][0];
    assert_eq!(
        (
            file["kind"].as_str(),
            file["rows"].as_u64(),
            file["audited"].as_u64()
        ),
        (Some("calls"), Some(6), Some(6))
    );
    let mut quota: Vec<(String, u64)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "daily-call-quota")
        .map(|v| {
            (
                v["manager"].as_str().unwrap().to_string(),
                v["details"]["calls"].as_u64().unwrap(),
            )
        })
        .collect();
    quota.sort();
    assert_eq!(
        quota,
        [
            ("Петров Иван".to_string(), 3),
            ("Смирнова Анна".to_string(), 1)
        ]
    );
}

#[test]
fn a_429_waits_as_retry_after_asks_then_succeeds() {
    let dir = workspace();
    let server = FakeServer::start(vec![
        Reply::status(
            429,
            &[("Retry-After", "1")],
            r#"{"message":"Too many requests"}"#,
        ),
        good_log(),
    ]);
    let started = Instant::now();
    let run = pull(dir.path(), &server.url.clone(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured"
    );
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        std::fs::read(snap(dir.path()).join("calls.csv")).unwrap(),
        CALL_LOG.as_bytes()
    );
}

#[test]
fn a_503_is_tried_again_and_the_key_may_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeServer::start(vec![
        Reply::status(
            503,
            &[("Content-Type", "text/plain")],
            "Service Unavailable",
        ),
        good_log(),
    ]);
    let run = run(
        dir.path(),
        &server.url.clone(),
        &[],
        &[("SIPUNI_SECRET", SECRET), ("SIPUNI_USER", USER)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].contains(&format!("hash={HASH}")));
}

#[test]
fn a_401_says_the_key_is_invalid_and_exits_2_without_retrying() {
    let dir = workspace();
    let server = FakeServer::start(vec![Reply::status(
        401,
        &[("Content-Type", "application/json")],
        r#"{"success":false,"message":"Неверная подпись"}"#,
    )]);
    let url = server.url.clone();
    let run = pull(dir.path(), &url, &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "crm-audit: error: pull sipuni: nothing written, {} left as it was: \
             POST {url}/statistic/export: HTTP 401: the token or key is invalid or expired; \
             the server says: Неверная подпись\n",
            snap(dir.path()).display()
        )
    );
    assert_eq!(server.requests().len(), 1);
    assert!(!snap(dir.path()).exists());
    assert_eq!(names_in(dir.path()), ["key"], "no partial folder is left");
}

#[test]
fn an_html_403_from_a_proxy_is_named_not_dumped() {
    let dir = workspace();
    let server = FakeServer::start(vec![Reply::status(
        403,
        &[("Content-Type", "text/html")],
        "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head>\
         <body><h1>Access denied</h1></body></html>",
    )]);
    let run = pull(dir.path(), &server.url.clone(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("HTTP 403: access denied") && run.stderr.contains("an HTML page"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("<html"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1);
    server.requests();
}

#[test]
fn an_error_line_in_a_200_is_no_call_log() {
    // Sipuni answers a bad signature with 200 and a line of text.
    let dir = workspace();
    let server = FakeServer::start(vec![Reply::ok("text/html", b"Error: hash is wrong")]);
    let run = pull(dir.path(), &server.url.clone(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a call log"), "{}", run.stderr);
    assert!(!snap(dir.path()).exists());
    server.requests();
}

#[test]
fn a_body_cut_short_is_retried_then_fails_cleanly() {
    let dir = workspace();
    let half = CALL_LOG.as_bytes()[..300].to_vec();
    let cut = || Reply::Truncated {
        body: half.clone(),
        promised: CALL_LOG.len(),
    };
    let server = FakeServer::start(vec![cut(), cut()]);
    let run = pull(dir.path(), &server.url.clone(), &["--retries", "1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the connection dropped before the whole answer came")
            && run.stderr.contains("(after 2 attempts)"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 2);
    assert!(!snap(dir.path()).exists(), "half a log is never a snapshot");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let dir = workspace();
    let server = FakeServer::start(vec![Reply::Silent {
        for_at_most: Duration::from_secs(10),
    }]);
    let started = Instant::now();
    let run = pull(
        dir.path(),
        &server.url.clone(),
        &["--timeout", "1", "--retries", "0"],
    );
    let took = started.elapsed();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no complete answer within 1 s (timed out"),
        "{}",
        run.stderr
    );
    assert!(took < Duration::from_secs(8), "took {took:?}");
    server.requests();
}

#[test]
fn a_failed_pull_leaves_the_previous_snapshot_byte_for_byte() {
    let dir = workspace();
    let server = FakeServer::start(vec![good_log(), Reply::status(401, &[], "")]);
    let url = server.url.clone();
    assert_eq!(pull(dir.path(), &url, &[]).code, 0);
    let before = contents(&snap(dir.path()));
    let run = pull(dir.path(), &url, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("left as it was"), "{}", run.stderr);
    assert_eq!(contents(&snap(dir.path())), before);
    assert_eq!(names_in(dir.path()), ["key", "snap"]);
    server.requests();
}

#[test]
fn a_secret_file_others_can_read_is_refused() {
    let dir = workspace();
    write_key(&dir.path().join("key"), 0o640);
    let run = pull(dir.path(), "http://127.0.0.1:9/api", &[]);
    let key = dir.path().join("key");
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "crm-audit: error: {}: the secret file is open to group or others (mode 0640); \
             run `chmod 600 {}`\n",
            key.display(),
            key.display()
        )
    );
}

#[test]
fn plain_http_is_refused_beyond_this_machine() {
    let dir = workspace();
    let run = pull(dir.path(), "http://sipuni.com/api", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("plain http:// is accepted only for 127.0.0.1 and localhost"),
        "{}",
        run.stderr
    );
    assert!(!snap(dir.path()).exists());
}

#[test]
fn no_key_anywhere_says_where_to_put_it() {
    let dir = tempfile::tempdir().unwrap();
    let run = run(
        dir.path(),
        "http://127.0.0.1:9/api",
        &["--user".into(), USER.into()],
        &[],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "crm-audit: error: no secret: give --secret-file FILE (mode 600) or set SIPUNI_SECRET\n"
    );
}

#[test]
fn a_server_echoing_the_key_never_gets_it_printed() {
    // A proxy or a debugging endpoint may quote the request back; the
    // message keeps its words and shows the key as `***`.
    let dir = workspace();
    let echo = format!(r#"{{"message":"bad request: key {SECRET} refused"}}"#);
    let server = FakeServer::start(vec![Reply::status(
        400,
        &[("Content-Type", "application/json")],
        &echo,
    )]);
    let run = pull(dir.path(), &server.url.clone(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("HTTP 400: the server says: bad request: key *** refused"),
        "{}",
        run.stderr
    );
    server.requests();
}

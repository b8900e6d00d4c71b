//! `crm-audit pull bitrix24` against a fake Bitrix24 portal on 127.0.0.1:
//! several pages (`start`, `next`) become deals.csv, tasks.csv and
//! calls.csv the audit reads; a 503 `QUERY_LIMIT_EXCEEDED` is tried again;
//! a 401, an HTML 403, a JSON body cut short, a dropped connection and a
//! server that never answers each end in one line and exit 2 with the
//! previous snapshot byte for byte; the webhook's code appears in no
//! output or file.

use super::bitrix24_fake::{handler, json_reply, Portal};
use super::files::{contents, file_holding, names_in};
use super::server::{Reply, RoutedServer};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The webhook's secret code in every test.
pub const CODE: &str = "q7w3k9x2m5v8z1r4";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A working folder; the webhook's address goes to `webhook` (mode 600)
/// once the server's port is known.
pub fn workspace() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write_webhook(path: &Path, url: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("{url}/rest/1/{CODE}/\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

pub fn snap(dir: &Path) -> PathBuf {
    dir.join("snap")
}

/// `crm-audit pull bitrix24 --out dir/snap --webhook-file dir/webhook
/// EXTRA…` against the portal at `url`, then checks the code leaked
/// nowhere.
pub fn pull(dir: &Path, url: &str, extra: &[&str]) -> Run {
    let webhook = dir.join("webhook");
    write_webhook(&webhook, url, 0o600);
    let mut args = vec!["--webhook-file", webhook.to_str().unwrap()];
    args.extend(extra);
    run(dir, &args, &[])
}

fn run(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .env_remove("BITRIX24_WEBHOOK")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .envs(env.iter().copied())
        .args(["pull", "bitrix24", "--out"])
        .arg(snap(dir))
        .args(extra)
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

/// The webhook's code is in no output and in no file but the webhook's.
pub fn assert_no_secret(dir: &Path, run: &Run) {
    assert!(!run.stdout.contains(CODE), "stdout: {}", run.stdout);
    assert!(!run.stderr.contains(CODE), "stderr: {}", run.stderr);
    let found = file_holding(dir, CODE, &dir.join("webhook"));
    assert!(found.is_none(), "{found:?} holds the webhook's code");
}

/// A small portal, two records a page, all times Moscow:
///
/// - users 5 Петров Алексей, 6 Иванова Мария (IDs as strings, one as a
///   number: both are read);
/// - the default pipeline «Общая» with NEW «Новая», PREPARATION
///   «Подготовка документов», LOSE «Сделка провалена»;
/// - a list field `UF_CRM_7` «Причина отказа» (item 41 «Дорого»);
/// - deals: 301 Петров, Подготовка документов, 120000.00, contact 7001
///   (Смирнов Олег, work +7 495 111-22-33 and mobile +7 916 222-33-44);
///   302 Иванова, lost «Дорого», no contact; 303 Петров, Новая, contact
///   7002 with no phone (two pages: `next` 2, then none);
/// - tasks: 1001 Петров, deal 301, `Ждет выполнения`, due 26.11.2026 15:00
///   (overdue at 27.11 02:00); 1002 Петров, deal 303, `Новая`, due
///   30.11.2026 10:00; 1003 Иванова, deal 302, `Завершена` 25.11.2026
///   10:00;
/// - calls: Петров out on deal 301 at 26.11 09:05, Иванова in at 10:00
///   (on a contact: no deal), Петров out at 11:30 (on a lead: no deal).
pub fn small_portal() -> Portal {
    Portal {
        code: CODE.into(),
        users: vec![
            json!({"ID": "5", "ACTIVE": true, "NAME": "Алексей", "LAST_NAME": "Петров",
                   "UNKNOWN_FIELD": {"x": 1}}),
            json!({"ID": 6, "ACTIVE": true, "NAME": "Мария", "LAST_NAME": "Иванова"}),
        ],
        categories: vec![json!({"id": 0, "name": "Общая", "isDefault": "Y"})],
        statuses: vec![
            json!({"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "NEW", "NAME": "Новая", "SORT": "10"}),
            json!({"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "PREPARATION",
                   "NAME": "Подготовка документов", "SORT": "20"}),
            json!({"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "LOSE", "NAME": "Сделка провалена",
                   "SORT": "70"}),
        ],
        userfields: vec![json!({"ID": "9", "FIELD_NAME": "UF_CRM_7",
            "USER_TYPE_ID": "enumeration", "LIST_COLUMN_LABEL": "Причина отказа",
            "LIST": [{"ID": "41", "VALUE": "Дорого"}]})],
        deals: vec![
            json!({"ID": "301", "TITLE": "Радиаторы в офис", "CATEGORY_ID": "0",
                   "STAGE_ID": "PREPARATION", "OPPORTUNITY": "120000.00", "CURRENCY_ID": "RUB",
                   "ASSIGNED_BY_ID": "5", "CONTACT_ID": "7001", "CLOSED": "N",
                   "DATE_CREATE": "2026-11-20T10:00:00+03:00", "UF_CRM_7": null}),
            json!({"ID": "302", "TITLE": "Котел на дачу", "CATEGORY_ID": "0",
                   "STAGE_ID": "LOSE", "OPPORTUNITY": "0.00", "CURRENCY_ID": "RUB",
                   "ASSIGNED_BY_ID": 6, "CONTACT_ID": null, "CLOSED": "Y",
                   "UF_CRM_7": "41"}),
            json!({"ID": "303", "TITLE": "Полотенцесушитель", "CATEGORY_ID": "0",
                   "STAGE_ID": "NEW", "OPPORTUNITY": "15000", "CURRENCY_ID": "RUB",
                   "ASSIGNED_BY_ID": "5", "CONTACT_ID": "7002", "CLOSED": "N"}),
        ],
        contacts: vec![
            json!({"ID": "7001", "NAME": "Олег", "LAST_NAME": "Смирнов", "PHONE": [
                {"ID": "1", "VALUE_TYPE": "WORK", "VALUE": "+7 495 111-22-33", "TYPE_ID": "PHONE"},
                {"ID": "2", "VALUE_TYPE": "MOBILE", "VALUE": "+7 916 222-33-44", "TYPE_ID": "PHONE"}]}),
            json!({"ID": "7002", "NAME": "Анна", "LAST_NAME": "Козлова"}),
        ],
        tasks: vec![
            json!({"id": "1001", "title": "Позвонить", "status": "2", "responsibleId": "5",
                   "deadline": "2026-11-26T15:00:00+03:00", "createdDate": "2026-11-20T10:00:00+03:00",
                   "closedDate": null, "ufCrmTask": ["D_301"]}),
            json!({"id": "1002", "title": "Выслать КП", "status": "1", "responsibleId": "5",
                   "deadline": "2026-11-30T10:00:00+03:00", "createdDate": "2026-11-26T10:00:00+03:00",
                   "ufCrmTask": ["C_7002", "D_303"]}),
            json!({"id": "1003", "title": "Узнать причину", "status": "5", "responsibleId": "6",
                   "deadline": "2026-11-25T18:00:00+03:00", "createdDate": "2026-11-24T10:00:00+03:00",
                   "closedDate": "2026-11-25T10:00:00+03:00", "ufCrmTask": ["D_302"]}),
        ],
        activities: vec![
            json!({"ID": "1", "TYPE_ID": "2", "OWNER_TYPE_ID": "2", "OWNER_ID": "301",
                   "START_TIME": "2026-11-26T09:05:00+03:00", "DIRECTION": "2",
                   "RESPONSIBLE_ID": "5", "COMMUNICATIONS": [{"VALUE": "+74951112233"}]}),
            json!({"ID": "2", "TYPE_ID": "2", "OWNER_TYPE_ID": "3", "OWNER_ID": "7002",
                   "START_TIME": "2026-11-26T10:00:00+03:00", "DIRECTION": "1",
                   "RESPONSIBLE_ID": "6"}),
            json!({"ID": "3", "TYPE_ID": "2", "OWNER_TYPE_ID": "1", "OWNER_ID": "55",
                   "START_TIME": "2026-11-26T11:30:00+03:00", "DIRECTION": 2,
                   "RESPONSIBLE_ID": "5"}),
        ],
        page_size: 2,
    }
}

/// Days back to 01.11.2026 from today, so the fixtures' history is pulled.
fn days_since_november() -> String {
    let november = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap();
    (chrono::Utc::now() - november.to_utc())
        .num_days()
        .to_string()
}

const DEALS: &str = "\u{feff}ID;Название сделки;Стадия сделки;Воронка;Сумма;Валюта;Ответственный;\
Дата создания;Дата изменения;Сделка закрыта;Контакт;Контакт: Имя;Контакт: Фамилия;\
Контакт: Рабочий телефон;Контакт: Мобильный телефон;Другой телефон;Причина отказа\r\n\
301;Радиаторы в офис;Подготовка документов;Общая;120000.00;RUB;Петров Алексей;\
20.11.2026 10:00:00;;Нет;Смирнов Олег;Олег;Смирнов;+7 495 111-22-33;+7 916 222-33-44;;\r\n\
302;Котел на дачу;Сделка провалена;Общая;0.00;RUB;Иванова Мария;;;Да;;;;;;;Дорого\r\n\
303;Полотенцесушитель;Новая;Общая;15000;RUB;Петров Алексей;;;Нет;Козлова Анна;Анна;Козлова;;;;\r\n";

#[test]
fn pages_of_a_portal_become_a_snapshot_the_audit_reads() {
    let dir = workspace();
    let server = RoutedServer::start(handler(small_portal(), vec![]));
    let url = server.url.clone();
    let days = days_since_november();
    let run = pull(dir.path(), &url, &["--days", &days]);
    let requests = server.requests();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Piped, standard error gets no progress line.
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        format!(
            "pulled 3 calls, 3 deals, 3 tasks from {}/rest/1/*** into {}\n",
            url,
            snap(dir.path()).display()
        )
    );
    // Every call a POST of JSON to the webhook's method; the deals asked
    // twice (start 0, then the `next` 2), with the custom field selected.
    assert!(requests
        .iter()
        .all(|r| r.starts_with(&format!("POST /rest/1/{CODE}/"))));
    let deal_pages: Vec<Value> = requests
        .iter()
        .filter(|r| r.contains("/crm.deal.list "))
        .map(|r| serde_json::from_str(r.split_once("\r\n\r\n").unwrap().1).unwrap())
        .collect();
    assert_eq!(deal_pages.len(), 2);
    assert_eq!(deal_pages[0]["start"], 0);
    assert_eq!(deal_pages[1]["start"], 2);
    assert_eq!(deal_pages[0]["select"], json!(["*", "UF_CRM_7"]));

    let snap = snap(dir.path());
    assert_eq!(
        names_in(&snap),
        ["calls.csv", "deals.csv", "manifest.json", "tasks.csv"]
    );
    assert_eq!(
        std::fs::read_to_string(snap.join("deals.csv")).unwrap(),
        DEALS
    );
    assert_eq!(
        std::fs::read_to_string(snap.join("tasks.csv")).unwrap(),
        "\u{feff}ID;Название;Ответственный;Дата создания;Статус;Крайний срок;Дата закрытия;ID сделки\r\n\
         1001;Позвонить;Петров Алексей;20.11.2026 10:00:00;Ждет выполнения;26.11.2026 15:00:00;;301\r\n\
         1002;Выслать КП;Петров Алексей;26.11.2026 10:00:00;Новая;30.11.2026 10:00:00;;303\r\n\
         1003;Узнать причину;Иванова Мария;24.11.2026 10:00:00;Завершена;25.11.2026 18:00:00;25.11.2026 10:00:00;302\r\n"
    );
    assert_eq!(
        std::fs::read_to_string(snap.join("calls.csv")).unwrap(),
        "\u{feff}Дата;Ответственный;Направление;Телефон;ID сделки\r\n\
         26.11.2026 09:05:00;Петров Алексей;Исходящий;+74951112233;301\r\n\
         26.11.2026 10:00:00;Иванова Мария;Входящий;;\r\n\
         26.11.2026 11:30:00;Петров Алексей;Исходящий;;\r\n"
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(snap.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["source"], "bitrix24");
    assert_eq!(manifest["complete"], true);
    assert!(manifest["base_url"]
        .as_str()
        .unwrap()
        .ends_with("/rest/1/***"));
    assert_eq!(manifest["entities"]["deals"]["pages"], 2);
    assert_eq!(manifest["entities"]["deals"]["api_total"], 3);

    // The audit reads the snapshot: 1001 is overdue, Петров's; deal 303
    // has an open task, 302 is lost with a reason; Козлова has no phone.
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .arg("audit")
        .arg(&snap)
        .args(["--as-of", "2026-11-27 02:00", "--format", "json"])
        .args([
            "--select",
            "overdue-task,deal-without-task,missing-phone,refusal-without-reason",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut found: Vec<(String, String, String)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap().to_string(),
                v["manager"].as_str().unwrap().to_string(),
                v["entity"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "missing-phone".into(),
                "Петров Алексей".into(),
                "303".into()
            ),
            (
                "overdue-task".into(),
                "Петров Алексей".into(),
                "1001".into()
            ),
        ]
    );
}

#[test]
fn a_task_awaiting_control_is_pulled_and_audited_as_done() {
    // Task 1004 of Петров on deal 303, REAL_STATUS 4 (`Ждет контроля`:
    // finished, waiting for its setter's check), due 25.11.2026 12:00 and
    // with no closing date: pulled with the open tasks, written in its
    // word, and not overdue at 27.11 02:00 (before, its responsible was
    // blamed for the setter's delay). 1001 is still overdue.
    let mut portal = small_portal();
    portal.tasks.push(
        json!({"id": "1004", "title": "Отправить спецификацию", "status": "4",
        "responsibleId": "5", "deadline": "2026-11-25T12:00:00+03:00",
        "createdDate": "2026-11-20T10:00:00+03:00", "closedDate": null,
        "ufCrmTask": ["D_303"]}),
    );
    let dir = workspace();
    let server = RoutedServer::start(handler(portal, vec![]));
    let days = days_since_november();
    let run = pull(dir.path(), &server.url.clone(), &["--days", &days]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tasks = std::fs::read_to_string(snap(dir.path()).join("tasks.csv")).unwrap();
    assert!(
        tasks.contains(
            "1004;Отправить спецификацию;Петров Алексей;20.11.2026 10:00:00;Ждет контроля;\
             25.11.2026 12:00:00;;303\r\n"
        ),
        "{tasks}"
    );
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .arg("audit")
        .arg(snap(dir.path()))
        .args(["--as-of", "2026-11-27 02:00", "--format", "json"])
        .args(["--select", "overdue-task"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let overdue: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["entity"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, ["1001"]);
}

/// Pulls the small portal once into `dir/snap`, for the failure tests'
/// "previous snapshot".
fn first_snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let server = RoutedServer::start(handler(small_portal(), vec![]));
    let run = pull(dir, &server.url.clone(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    server.requests();
    contents(&snap(dir))
}

/// Pulls with `faults` over a good previous snapshot: exit 2, one line on
/// stderr saying nothing was written, the snapshot byte for byte.
fn failing_pull(faults: Vec<(&'static str, Reply)>, extra: &[&str]) -> (Run, Vec<String>) {
    let dir = workspace();
    let before = first_snapshot(dir.path());
    let server = RoutedServer::start(handler(small_portal(), faults));
    let run = pull(dir.path(), &server.url.clone(), extra);
    let requests = server.requests();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "crm-audit: error: pull bitrix24: nothing written, {} left as it was: ",
            snap(dir.path()).display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(contents(&snap(dir.path())), before);
    assert_eq!(
        names_in(dir.path()),
        ["snap", "webhook"],
        "no partial folder"
    );
    (run, requests)
}

#[test]
fn a_503_query_limit_exceeded_is_tried_again() {
    let dir = workspace();
    let server = RoutedServer::start(handler(
        small_portal(),
        vec![(
            "crm.deal.list",
            json_reply(
                503,
                &json!({"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}),
            ),
        )],
    ));
    let started = Instant::now();
    let run = pull(dir.path(), &server.url.clone(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The backoff's first wait is 1 s.
    assert!(started.elapsed() >= Duration::from_secs(1));
    let requests = server.requests();
    let first_pages = requests
        .iter()
        .filter(|r| r.contains("/crm.deal.list ") && r.contains(r#""start":0"#))
        .count();
    assert_eq!(first_pages, 2, "asked again after the 503");
    assert_eq!(
        std::fs::read_to_string(snap(dir.path()).join("deals.csv")).unwrap(),
        DEALS
    );
}

#[test]
fn requests_keep_to_two_a_second() {
    // 14 requests for the small portal: the first at once, each next one
    // half a second after, so at least 6.5 s.
    let dir = workspace();
    let server = RoutedServer::start(handler(small_portal(), vec![]));
    let started = Instant::now();
    let run = pull(dir.path(), &server.url.clone(), &[]);
    let requests = server.requests();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let n = requests.len() as u32;
    assert!(n >= 10, "{n}");
    assert!(started.elapsed() >= Duration::from_millis(500) * (n - 1));
}

#[test]
fn a_401_says_the_webhook_is_wrong_and_keeps_the_snapshot() {
    let (run, requests) = failing_pull(
        vec![(
            "user.get",
            json_reply(
                401,
                &json!({"error": "expired_token", "error_description": "The access token provided has expired."}),
            ),
        )],
        &[],
    );
    assert!(
        run.stderr.contains(
            "/rest/1/***/user.get: HTTP 401: the token or key is invalid or expired; \
             the server says: expired_token: The access token provided has expired.; \
             the webhook's code is wrong, or the webhook was deleted or has expired"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(requests.len(), 1, "a 401 is not tried again");
}

#[test]
fn a_403_for_a_missing_right_names_the_rights() {
    let (run, _) = failing_pull(
        vec![(
            "tasks.task.list",
            json_reply(
                403,
                &json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the webhook token"}),
            ),
        )],
        &[],
    );
    assert!(
        run.stderr
            .contains("the webhook lacks a right: give it crm, task and user"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_html_403_is_named_not_dumped() {
    let (run, _) = failing_pull(
        vec![(
            "crm.contact.list",
            Reply::status(
                403,
                &[("Content-Type", "text/html")],
                "<html><head><title>403 Forbidden</title></head><body><center>nginx</center></body></html>",
            ),
        )],
        &[],
    );
    assert!(
        run.stderr
            .contains("/rest/1/***/crm.contact.list: HTTP 403: access denied")
            && run
                .stderr
                .contains("the server sent an HTML page, not the API's answer"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("nginx"));
}

#[test]
fn a_json_body_cut_short_is_an_error_not_half_a_list() {
    let (run, _) = failing_pull(
        vec![(
            "crm.activity.list",
            Reply::ok(
                "application/json",
                br#"{"result":[{"ID":"1","TYPE_ID":"2","OWNER_ID":"30"#,
            ),
        )],
        &[],
    );
    assert!(
        run.stderr
            .contains("/rest/1/***/crm.activity.list: the answer's JSON breaks off after 49 bytes"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_connection_dropped_mid_page_is_retried_then_fails() {
    let cut = || Reply::Truncated {
        body: br#"{"result":[{"ID":"30"#.to_vec(),
        promised: 5000,
    };
    let (run, requests) = failing_pull(
        vec![("crm.deal.list", cut()), ("crm.deal.list", cut())],
        &["--retries", "1"],
    );
    assert!(
        run.stderr
            .contains("the connection dropped before the whole answer came")
            && run.stderr.contains("(after 2 attempts)"),
        "{}",
        run.stderr
    );
    let asked = requests
        .iter()
        .filter(|r| r.contains("/crm.deal.list "))
        .count();
    assert_eq!(asked, 2);
}

#[test]
fn a_server_that_never_answers_times_out() {
    let started = Instant::now();
    let (run, _) = failing_pull(
        vec![(
            "crm.status.list",
            Reply::Silent {
                for_at_most: Duration::from_secs(10),
            },
        )],
        &["--timeout", "1", "--retries", "0"],
    );
    assert!(
        run.stderr
            .contains("no complete answer within 1 s (timed out"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_responsible_the_portal_does_not_list_ends_the_pull() {
    let mut portal = small_portal();
    portal.deals[2]["ASSIGNED_BY_ID"] = json!("99");
    let dir = workspace();
    let server = RoutedServer::start(handler(portal, vec![]));
    let run = pull(dir.path(), &server.url.clone(), &[]);
    server.requests();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .ends_with("deal 303: the responsible user 99 is not among the portal's users\n"),
        "{}",
        run.stderr
    );
    assert!(!snap(dir.path()).exists());
}

#[test]
fn a_webhook_file_others_can_read_is_refused_and_http_only_here() {
    let dir = workspace();
    write_webhook(
        &dir.path().join("webhook"),
        "https://example.bitrix24.ru",
        0o644,
    );
    let webhook = dir.path().join("webhook");
    let run = run(
        dir.path(),
        &["--webhook-file", webhook.to_str().unwrap()],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("mode 0644") && run.stderr.contains("chmod 600"),
        "{}",
        run.stderr
    );

    let address = format!("http://example.bitrix24.ru/rest/1/{CODE}/");
    let run = super::bitrix24::run(dir.path(), &[], &[("BITRIX24_WEBHOOK", &address)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "the webhook address http://example.bitrix24.ru: plain http:// is accepted only for 127.0.0.1"
        ),
        "{}",
        run.stderr
    );

    let run = super::bitrix24::run(dir.path(), &[], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no secret: give --webhook-file FILE (mode 600) or set BITRIX24_WEBHOOK"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_webhook_may_come_from_the_environment() {
    let dir = workspace();
    let server = RoutedServer::start(handler(small_portal(), vec![]));
    let address = format!("{}/rest/1/{CODE}/", server.url);
    let run = run(dir.path(), &[], &[("BITRIX24_WEBHOOK", &address)]);
    server.requests();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("/rest/1/*** into "), "{}", run.stdout);
}

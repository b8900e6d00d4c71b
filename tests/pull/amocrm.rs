//! `crm-audit pull amocrm` against a fake amoCRM account on 127.0.0.1:
//! several pages and a 204 end become deals.csv, tasks.csv and calls.csv
//! the audit reads; a 429 waits as Retry-After asks; a 401, an HTML 403, a
//! JSON body cut short, a dropped connection and a server that never
//! answers each end in one line and exit 2 with the previous snapshot
//! byte for byte; the token appears in no output or file.

use super::amocrm_fake::{handler, json_reply, Account};
pub use super::files::contents;
use super::files::{file_holding, names_in};
use super::server::{Reply, RoutedServer};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The token of every test: a JWT whose `exp` is 2100-01-01 (far off: no
/// warning), `{"alg":"RS256","typ":"JWT"}.{"aud":"crm-audit-test","exp":4102444800}`
/// in base64url with a made-up signature.
pub const TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.\
eyJhdWQiOiJjcm0tYXVkaXQtdGVzdCIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJlLXRva2Vu";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A working folder with the token in `token` (mode 600).
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_token(&dir.path().join("token"), TOKEN, 0o600);
    dir
}

fn write_token(path: &Path, token: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("{token}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

pub fn snap(dir: &Path) -> PathBuf {
    dir.join("snap")
}

/// `crm-audit pull amocrm --url URL --out dir/snap --token-file dir/token
/// EXTRA…`, then checks the token leaked nowhere.
pub fn pull(dir: &Path, url: &str, extra: &[&str]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .env_remove("AMOCRM_TOKEN")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .args(["pull", "amocrm", "--url", url, "--out"])
        .arg(snap(dir))
        .arg("--token-file")
        .arg(dir.join("token"))
        .args(extra)
        .output()
        .expect("run crm-audit");
    let run = Run {
        code: output.status.code().expect("exited by a signal"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert_no_token(dir, &run, TOKEN);
    run
}

/// The token, or its signature part alone, is in no output and in no
/// file but its own.
pub fn assert_no_token(dir: &Path, run: &Run, token: &str) {
    let signature = token.rsplit('.').next().unwrap();
    for needle in [token, signature] {
        assert!(!run.stdout.contains(needle), "stdout: {}", run.stdout);
        assert!(!run.stderr.contains(needle), "stderr: {}", run.stderr);
    }
    let found = file_holding(dir, signature, &dir.join("token"));
    assert!(found.is_none(), "{found:?} holds the token");
}

/// A small account, all times Moscow (timestamps from
/// `TZ=Europe/Moscow date -d '2026-11-26 15:00' +%s`):
///
/// - users 501 Петров Алексей, 502 Иванова Мария;
/// - one pipeline, «Воронка продаж»: Неразобранное, Новая заявка,
///   Квалификация, and the fixed 142 won / 143 lost;
/// - deal fields: 901 «Номер счета» (text), 902 «Оплачено» (numeric),
///   903 «Дата замера» (date; no deal fills it, so it is an empty column);
/// - three deals, two a page (so two pages): 31000001 Петров, Квалификация,
///   budget 120000, paid «60000» (sent as a string), main contact 7001 with
///   a work and a mobile phone; 31000002 Иванова, lost «Дорого», budget 0
///   (unset, written 0 as amoCRM's export writes it), `custom_fields_values: null`, no contact;
///   31000003 Петров, Новая заявка, contact 7002 without phones;
/// - contacts 7001 and 7002, two a page: the first page is full, so it
///   has a next link, and the second is a 204 with no body;
/// - tasks: 1001 (Петров, 31000001, «Звонок», due 26.11.2026 15:00,
///   open, `result: []`: overdue at 27.11 02:00), 1002 (Петров, 31000003,
///   due 27.11.2026 23:59, a whole-day task, open), 1003 (Иванова,
///   31000002, done 25.11 10:00 with the result «Клиент отказался»),
///   1004 (Иванова, a base call on a company, done 01.10.2026: before
///   the `--days` the tests give, see [`days_since_november`], so not pulled);
/// - call notes: an outgoing call on deal 31000001 by Петров 26.11 09:05,
///   130 s, conversation (status 4); an incoming call on contact 7001
///   26.11 12:00, 60 s, not reached (6), its responsible 0, so credited to
///   its author 502 (Иванова).
pub fn small_account() -> Account {
    let status = |id: i64, name: &str| json!({"id": id, "name": name, "pipeline_id": 3177727});
    Account {
        token: TOKEN.to_string(),
        time_zone: "Europe/Moscow".into(),
        task_types: vec![
            json!({"id": 1, "name": "Звонок", "code": "FOLLOW_UP"}),
            json!({"id": 2, "name": "Встреча", "code": "MEETING"}),
        ],
        users: vec![
            json!({"id": 501, "name": "Петров Алексей", "email": "petrov@example.ru",
                   "rights": {"is_admin": false, "is_active": true}}),
            json!({"id": 502, "name": "Иванова Мария", "email": "ivanova@example.ru"}),
        ],
        pipelines: vec![json!({"id": 3177727, "name": "Воронка продаж", "sort": 1,
            "is_main": true, "_embedded": {"statuses": [
                status(32392156, "Неразобранное"), status(32392159, "Новая заявка"),
                status(32392162, "Квалификация"), status(142, "Успешно реализовано"),
                status(143, "Закрыто и не реализовано")]}})],
        lead_fields: vec![
            json!({"id": 901, "name": "Номер счета", "type": "text", "sort": 1}),
            json!({"id": 902, "name": "Оплачено", "type": "numeric", "sort": 2}),
            json!({"id": 903, "name": "Дата замера", "type": "date", "sort": 3}),
        ],
        leads: vec![
            json!({"id": 31000001, "name": "Дом на Волге; 8 радиаторов", "price": 120000,
                "responsible_user_id": 501, "status_id": 32392162, "pipeline_id": 3177727,
                "created_at": 1795154400, "updated_at": 1795509000, "closed_at": null,
                "closest_task_at": 1795694400, "is_deleted": false,
                "custom_fields_values": [{"field_id": 902, "field_name": "Оплачено",
                    "field_code": null, "field_type": "numeric", "values": [{"value": "60000"}]}],
                "_embedded": {"tags": [{"id": 1, "name": "сайт"}],
                    "contacts": [{"id": 7001, "is_main": true}]}}),
            json!({"id": 31000002, "name": "Офис", "price": 0, "responsible_user_id": 502,
                "status_id": 143, "pipeline_id": 3177727, "loss_reason_id": 11,
                "created_at": 1795154400, "updated_at": 1795590000, "closed_at": 1795590000,
                "closest_task_at": null, "custom_fields_values": null,
                "_embedded": {"tags": [], "loss_reason": [{"id": 11, "name": "Дорого", "sort": 1}]}}),
            json!({"id": 31000003, "name": "Школа", "price": 50000, "responsible_user_id": 501,
                "status_id": 32392159, "pipeline_id": 3177727, "created_at": 1795509000,
                "updated_at": 1795509000, "closest_task_at": 1795813140,
                "custom_fields_values": null,
                "_embedded": {"contacts": [{"id": 7002, "is_main": true}]}}),
        ],
        contacts: vec![
            json!({"id": 7001, "name": "Анисимова Светлана", "custom_fields_values": [
                {"field_id": 3, "field_name": "Телефон", "field_code": "PHONE",
                 "field_type": "multitext", "values": [
                    {"value": "+7 (846) 273-50-90", "enum_id": 1, "enum_code": "WORK"},
                    {"value": "+7 927 209-84-55", "enum_id": 2, "enum": "MOB"}]}]}),
            json!({"id": 7002, "name": "Сидоров Пётр", "custom_fields_values": null}),
        ],
        tasks: vec![
            json!({"id": 1001, "responsible_user_id": 501, "entity_id": 31000001,
                "entity_type": "leads", "is_completed": false, "task_type_id": 1,
                "text": "Перезвонить по смете", "result": [], "complete_till": 1795694400,
                "created_at": 1795509000, "updated_at": 1795509000}),
            json!({"id": 1002, "responsible_user_id": 501, "entity_id": 31000003,
                "entity_type": "leads", "is_completed": false, "task_type_id": 2,
                "text": "Замер", "result": [], "complete_till": 1795813140,
                "created_at": 1795509000, "updated_at": 1795509000}),
            json!({"id": 1003, "responsible_user_id": 502, "entity_id": 31000002,
                "entity_type": "leads", "is_completed": true, "task_type_id": 1,
                "text": "Узнать решение", "result": {"text": "Клиент отказался"},
                "complete_till": 1795590000, "created_at": 1795154400, "updated_at": 1795590000}),
            json!({"id": 1004, "responsible_user_id": 502, "entity_id": 1,
                "entity_type": "companies", "is_completed": true, "task_type_id": 1,
                "text": "База", "result": [], "complete_till": 1790845200,
                "created_at": 1790845200, "updated_at": 1790845200}),
        ],
        notes: vec![
            (
                "leads",
                json!({"id": 1254829, "entity_id": 31000001, "created_by": 501,
                "updated_by": 501, "created_at": 1795673100, "updated_at": 1795673100,
                "responsible_user_id": 501, "note_type": "call_out",
                "params": {"uniq": "865a950a", "duration": 130, "source": "Sipuni",
                    "phone": "+78462735090", "call_result": "Разговор состоялся",
                    "call_status": 4}}),
            ),
            (
                "contacts",
                json!({"id": 1254830, "entity_id": 7001, "created_by": 502,
                "created_at": 1795683600, "updated_at": 1795683600,
                "responsible_user_id": 0, "note_type": "call_in",
                "params": {"duration": "60", "phone": "+79272098455", "call_status": 6}}),
            ),
        ],
        page_size: 2,
    }
}

/// `--days` reaching back from today to 01.11.2026 (give or take a day),
/// so history is cut between task 1004 (01.10) and everything else
/// (from 20.11) whenever the tests run.
pub fn days_since_november() -> String {
    let november = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap();
    let days = (chrono::Utc::now() - november.to_utc()).num_days().max(1);
    days.to_string()
}

/// deals.csv of the small account, worked out from its comment: the fixed
/// columns, the three deal fields in their order, the loss reason, the
/// main contact and its five phone columns.
const DEALS: &str = "\u{feff}ID;Название сделки;Ответственный;Этап сделки;Воронка;Бюджет;Дата создания;Дата изменения;Теги сделки;Ближайшая задача;Дата закрытия;Номер счета;Оплачено;Дата замера;Причина отказа;Основной контакт;Рабочий телефон (контакт);Рабочий прямой телефон (контакт);Мобильный телефон (контакт);Домашний телефон (контакт);Другой телефон (контакт)\r
31000001;\"Дом на Волге; 8 радиаторов\";Петров Алексей;Квалификация;Воронка продаж;120000;20.11.2026 09:00:00;24.11.2026 11:30:00;сайт;26.11.2026 15:00:00;;;60000;;;Анисимова Светлана;+7 (846) 273-50-90;;+7 927 209-84-55;;\r
31000002;Офис;Иванова Мария;Закрыто и не реализовано;Воронка продаж;0;20.11.2026 09:00:00;25.11.2026 10:00:00;;;25.11.2026 10:00:00;;;;Дорого;;;;;;\r
31000003;Школа;Петров Алексей;Новая заявка;Воронка продаж;50000;24.11.2026 11:30:00;24.11.2026 11:30:00;;27.11.2026 23:59:00;;;;;;Сидоров Пётр;;;;;\r
";

/// tasks.csv: the three tasks since November by ID; 1002's 23:59 is
/// its bare day; 1003's completion is its last change.
const TASKS: &str = "\u{feff}ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания;Текст задачи\r
1001;31000001;Петров Алексей;Звонок;26.11.2026 15:00:00;Нет;;;24.11.2026 11:30:00;Перезвонить по смете\r
1002;31000003;Петров Алексей;Встреча;27.11.2026;Нет;;;24.11.2026 11:30:00;Замер\r
1003;31000002;Иванова Мария;Звонок;25.11.2026 10:00:00;Да;25.11.2026 10:00:00;Клиент отказался;20.11.2026 09:00:00;Узнать решение\r
";

/// calls.csv: the two call notes by time.
const CALLS: &str = "\u{feff}Дата;Ответственный;Направление;Статус;Длительность;Телефон;ID сделки\r
26.11.2026 09:05:00;Петров Алексей;Исходящий;Отвечен;130;+78462735090;31000001\r
26.11.2026 12:00:00;Иванова Мария;Входящий;Не отвечен;60;+79272098455;\r
";

#[test]
fn pages_of_an_account_become_a_snapshot_the_audit_reads() {
    let dir = workspace();
    let server = RoutedServer::start(handler(small_account(), vec![]));
    let url = server.url.clone();
    let started = Instant::now();
    let days = days_since_november();
    let run = pull(dir.path(), &url, &["--days", &days]);
    let took = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        format!(
            "pulled 2 calls, 3 deals, 3 tasks from {url} into {}\n",
            snap(dir.path()).display()
        )
    );
    let snap = snap(dir.path());
    assert_eq!(
        names_in(&snap),
        ["calls.csv", "deals.csv", "manifest.json", "tasks.csv"]
    );
    let text = |name: &str| String::from_utf8(std::fs::read(snap.join(name)).unwrap()).unwrap();
    assert_eq!(text("deals.csv"), DEALS);
    assert_eq!(text("calls.csv"), CALLS);
    assert_eq!(text("tasks.csv"), TASKS);

    let requests = server.requests();
    // Every request carries the token; the lists are asked 250 a page;
    // leads took two pages (the second not full, without a next link),
    // contacts two (the second a 204).
    assert!(requests
        .iter()
        .all(|r| r.contains(&format!("authorization: Bearer {TOKEN}"))
            || r.contains(&format!("Authorization: Bearer {TOKEN}"))));
    let asked: Vec<String> = requests
        .iter()
        .map(|r| r.split(' ').nth(1).unwrap().to_string())
        .collect();
    assert!(asked.contains(&"/api/v4/leads?with=contacts,loss_reason&limit=250&page=2".to_string()));
    assert!(
        !asked.contains(&"/api/v4/leads?with=contacts,loss_reason&limit=250&page=3".to_string())
    );
    assert!(asked.iter().any(|a| a.starts_with(
        "/api/v4/tasks?filter%5Bis_completed%5D=1&filter%5Bupdated_at%5D%5Bfrom%5D="
    )));
    // At most 7 requests a second: n requests take at least (n-1)/7 s.
    let floor = Duration::from_millis(1000 * (requests.len() as u64 - 1) / 7);
    assert!(took >= floor, "{} requests in {took:?}", requests.len());

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(snap.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["source"], "amocrm");
    assert_eq!(manifest["base_url"], url.as_str());
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["period"]["days"], days.as_str());
    assert_eq!(manifest["period"]["time_zone"], "Europe/Moscow");
    assert_eq!(manifest["entities"]["deals"]["rows"], 3);
    assert_eq!(manifest["entities"]["deals"]["pages"], 2);
    assert_eq!(manifest["entities"]["calls"]["rows"], 2);

    // The audit reads the snapshot as an export folder: every row of the
    // three files audited, and task 1001 (due 26.11 15:00) overdue for
    // Петров at 27.11 02:00.
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .args(["audit", "--as-of", "2026-11-27 02:00", "--format", "json"])
        .arg(&snap)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let inputs: Vec<(String, u64, u64)> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["rows"].as_u64().unwrap(),
                i["audited"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            ("calls".to_string(), 2, 2),
            ("deals".to_string(), 3, 3),
            ("tasks".to_string(), 3, 3)
        ]
    );
    let overdue: Vec<(&str, &str)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "overdue-task")
        .map(|v| {
            (
                v["manager"].as_str().unwrap(),
                v["entity"]["id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(overdue, [("Петров Алексей", "1001")]);
}

/// Pulls the small account once into `dir/snap`, for the failure tests'
/// "previous snapshot".
fn first_snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let server = RoutedServer::start(handler(small_account(), vec![]));
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
    let server = RoutedServer::start(handler(small_account(), faults));
    let run = pull(dir.path(), &server.url.clone(), extra);
    let requests = server.requests();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "crm-audit: error: pull amocrm: nothing written, {} left as it was: ",
            snap(dir.path()).display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(contents(&snap(dir.path())), before);
    assert_eq!(names_in(dir.path()), ["snap", "token"], "no partial folder");
    (run, requests)
}

#[test]
fn a_429_waits_as_retry_after_asks() {
    let dir = workspace();
    let server = RoutedServer::start(handler(
        small_account(),
        vec![(
            "/api/v4/leads",
            Reply::status(
                429,
                &[("Retry-After", "1")],
                "<html>Too Many Requests</html>",
            ),
        )],
    ));
    let started = Instant::now();
    let run = pull(dir.path(), &server.url.clone(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(started.elapsed() >= Duration::from_secs(1));
    let requests = server.requests();
    let leads_first_page = requests
        .iter()
        .filter(|r| r.starts_with("GET /api/v4/leads?with=contacts,loss_reason&limit=250&page=1 "))
        .count();
    assert_eq!(leads_first_page, 2, "asked again after the 429");
    let deals = std::fs::read_to_string(snap(dir.path()).join("deals.csv")).unwrap();
    assert_eq!(deals, DEALS);
}

#[test]
fn a_401_says_the_token_is_invalid_and_keeps_the_snapshot() {
    let (run, requests) = failing_pull(
        vec![(
            "/api/v4/account",
            json_reply(
                401,
                &json!({"title": "Unauthorized", "type": "https://httpstatus.es/401",
                        "status": 401, "detail": "Неверный логин или пароль"}),
            ),
        )],
        &[],
    );
    assert!(
        run.stderr.ends_with(
            "/api/v4/account?with=task_types,datetime_settings: HTTP 401: the token or key \
             is invalid or expired; the server says: Unauthorized: Неверный логин или пароль\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(requests.len(), 1, "a 401 is not tried again");
}

#[test]
fn an_html_403_is_named_not_dumped() {
    let (run, _) = failing_pull(
        vec![(
            "/api/v4/users",
            Reply::status(
                403,
                &[("Content-Type", "text/html")],
                "<html><head><title>403 Forbidden</title></head><body><center>nginx</center></body></html>",
            ),
        )],
        &[],
    );
    assert!(
        run.stderr.contains("GET ")
            && run
                .stderr
                .contains("/api/v4/users?limit=250&page=1: HTTP 403: access denied")
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
            "/api/v4/tasks",
            Reply::ok(
                "application/hal+json",
                br#"{"_page":1,"_links":{},"_embedded":{"tasks":[{"id":1001,"entity_id":3"#,
            ),
        )],
        &[],
    );
    assert!(
        run.stderr.contains(
            "/api/v4/tasks?filter%5Bis_completed%5D=0&limit=250&page=1: \
             the answer's JSON breaks off after 69 bytes"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_connection_dropped_mid_page_is_retried_then_fails() {
    let cut = || Reply::Truncated {
        body: br#"{"_page":1,"_embedded":{"contacts":[{"id":70"#.to_vec(),
        promised: 5000,
    };
    let (run, requests) = failing_pull(
        vec![("/api/v4/contacts", cut()), ("/api/v4/contacts", cut())],
        &["--retries", "1"],
    );
    assert!(
        run.stderr
            .contains("the connection dropped before the whole answer came")
            && run.stderr.contains("(after 2 attempts)"),
        "{}",
        run.stderr
    );
    let contacts = requests
        .iter()
        .filter(|r| r.starts_with("GET /api/v4/contacts"))
        .count();
    assert_eq!(contacts, 2);
}

#[test]
fn a_server_that_never_answers_times_out() {
    let started = Instant::now();
    let (run, _) = failing_pull(
        vec![(
            "/api/v4/leads/pipelines",
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
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn a_token_expiring_within_a_week_is_warned_about() {
    // `{"alg":"RS256"}.{"exp":<now + 3 days>}`: the warning names the day,
    // never the token, and the pull goes on.
    let exp = chrono::Utc::now().timestamp() + 3 * 86_400;
    let b64 = |s: &str| {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let bytes = s.as_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    };
    let token = format!(
        "{}.{}.c29vbi1leHBpcmluZw",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(&format!(r#"{{"exp":{exp}}}"#))
    );
    let dir = workspace();
    write_token(&dir.path().join("token"), &token, 0o600);
    let mut account = small_account();
    account.token = token.clone();
    let server = RoutedServer::start(handler(account, vec![]));
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .env_remove("AMOCRM_TOKEN")
        .args(["pull", "amocrm", "--url", &server.url.clone(), "--out"])
        .arg(snap(dir.path()))
        .env("AMOCRM_TOKEN", &token)
        .output()
        .unwrap();
    server.requests();
    let run = Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert_no_token(dir.path(), &run, &token);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let day = chrono::DateTime::from_timestamp(exp, 0).unwrap();
    assert_eq!(
        run.stderr,
        format!(
            "crm-audit: warning: the amoCRM token expires at {} (in 3.0 days); make a new \
             long-lived token in the private integration's settings before then\n",
            day.format("%Y-%m-%d %H:%M UTC")
        )
    );
}

#[test]
fn a_token_file_others_can_read_is_refused_and_http_only_here() {
    let dir = workspace();
    write_token(&dir.path().join("token"), TOKEN, 0o644);
    let run = pull(dir.path(), "http://127.0.0.1:9", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the secret file is open to group or others (mode 0644)"),
        "{}",
        run.stderr
    );
    let dir = workspace();
    let run = pull(dir.path(), "http://example.amocrm.ru", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("plain http:// is accepted only for 127.0.0.1"),
        "{}",
        run.stderr
    );
    assert!(!snap(dir.path()).exists());
}

#[test]
fn no_token_anywhere_says_where_to_put_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .env_remove("AMOCRM_TOKEN")
        .args([
            "pull",
            "amocrm",
            "--url",
            "https://example.amocrm.ru",
            "--out",
        ])
        .arg(snap(dir.path()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "crm-audit: error: no secret: give --token-file FILE (mode 600) or set AMOCRM_TOKEN\n"
    );
}

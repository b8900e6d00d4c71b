//! `crm-audit notify`: the morning digest built from a history that two
//! audit runs wrote, printed with `--dry-run` and snapshot-tested; sent to
//! a fake Bot API and a fake SMTP server on 127.0.0.1 that record what
//! they received; retries, a permanent failure, and secrets that appear in
//! no output.

use crate::support::{audit_in, folder_with};
use crm_audit::history::{History, InputRows, ManagerRun, Outcome, Run, Seen};
use std::path::Path;

#[allow(dead_code)]
#[path = "../pull/server.rs"]
mod server;
#[path = "smtp_server.rs"]
mod smtp_server;

use server::{FakeServer, Reply};

const TOKEN: &str = "7012345678:AAF-s3cr3t_t0ken";
const CHAT: &str = "-1001234567890";

/// Night 1 (27.11.2026 02:00) and night 2 (28.11.2026 02:00) of a small
/// company; both nights read the same rule set (no call log, no review
/// sheet: the quota and call rules are not checked).
///
/// Night 1, five violations, all new:
/// - T1 (Иванова, deal 801) and T2 (Петров, 802), open, due 25.11 10:00:
///   two overdue tasks;
/// - deal 803 (Иванова) has no phone and no task: missing-phone and
///   deal-without-task;
/// - deal 804 (Петров) has no contact name: missing-contact-name.
///
/// (T3 and T6 are open and due later: they keep 802 and 804 with a task.)
const DEALS_1: &str =
    "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Мобильный телефон (контакт)\n\
801,Радиаторы для дома,Орлов Игорь,Иванова Мария,Счет,+7 927 555-66-77\n\
802,Котел в гараж,Зайцева Ольга,Петров Алексей,Счет,+7 927 555-11-22\n\
803,Теплый пол,Смирнов Олег,Иванова Мария,Счет,\n\
804,Бойлер,,Петров Алексей,Счет,+7 927 555-33-44\n";

const TASKS_1: &str = "ID,ID сделки,Ответственный,Срок,Выполнена\n\
T1,801,Иванова Мария,25.11.2026 10:00,Нет\n\
T2,802,Петров Алексей,25.11.2026 10:00,Нет\n\
T3,802,Петров Алексей,30.11.2026 10:00,Нет\n\
T6,804,Петров Алексей,30.11.2026 10:00,Нет\n";

/// Night 2: deal 804 and its task are no longer exported (3 deals of 4, a
/// drop under the guard's 30%); T1 is done and T4 keeps 801 with a task;
/// T5 of 802, due 27.11 12:00, is open.
/// - T1's overdue task: fixed (its task is read, done);
/// - 804's missing contact name: gone (its deal is not read), not fixed;
/// - T2 overdue, 803's missing-phone and deal-without-task: open, second
///   run in a row, since 27.11.2026;
/// - T5 overdue: new.
///
/// So 4 violations, 1 new, 1 fixed, 1 gone. Иванова: 2 (803 twice), 0
/// new, 1 fixed; Петров: 2 (T2, T5), 1 new, 0 fixed. The three open ones
/// are the chronic list, all since night 1, by manager, rule, entity.
const DEALS_2: &str =
    "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Мобильный телефон (контакт)\n\
801,Радиаторы для дома,Орлов Игорь,Иванова Мария,Счет,+7 927 555-66-77\n\
802,Котел в гараж,Зайцева Ольга,Петров Алексей,Счет,+7 927 555-11-22\n\
803,Теплый пол,Смирнов Олег,Иванова Мария,Счет,\n";

const TASKS_2: &str = "ID,ID сделки,Ответственный,Срок,Выполнена\n\
T1,801,Иванова Мария,25.11.2026 10:00,Да\n\
T2,802,Петров Алексей,25.11.2026 10:00,Нет\n\
T3,802,Петров Алексей,30.11.2026 10:00,Нет\n\
T4,801,Иванова Мария,01.12.2026 10:00,Нет\n\
T5,802,Петров Алексей,27.11.2026 12:00,Нет\n";

/// The rule file of the company: the history's place and the chat.
const RULES: &str = "extends = \"builtin\"\nhistory = \"history.sqlite\"\n\
[notify.telegram]\nchat = \"-1001234567890\"\n";

/// A folder whose history holds the two nights, audited through the CLI.
fn two_nights() -> tempfile::TempDir {
    let dir = folder_with(&[("crm-audit.toml", RULES.as_bytes())]);
    for (deals, tasks, as_of) in [
        (DEALS_1, TASKS_1, "2026-11-27 02:00"),
        (DEALS_2, TASKS_2, "2026-11-28 02:00"),
    ] {
        std::fs::write(dir.path().join("deals.csv"), deals).unwrap();
        std::fs::write(dir.path().join("tasks.csv"), tasks).unwrap();
        let (code, _, stderr) = audit_in(
            dir.path(),
            &[
                "deals.csv",
                "tasks.csv",
                "--as-of",
                as_of,
                "--history",
                "history.sqlite",
                "--format",
                "json",
            ],
        );
        assert_eq!((code, stderr.as_str()), (1, ""), "the audit of {as_of}");
    }
    std::fs::write(dir.path().join("audit.html"), "<html>отчёт</html>").unwrap();
    dir
}

/// Runs `crm-audit notify ARGS…` in `dir` with `env` (and no token or
/// password from the test's own environment): (exit code, stdout, stderr).
fn notify(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("crm-audit");
    command
        .current_dir(dir)
        .env_remove("TELEGRAM_BOT_TOKEN")
        .env_remove("SMTP_PASSWORD")
        .arg("notify")
        .args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run crm-audit");
    (
        output.status.code().expect("exited by a signal"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_digest_of_two_nights() {
    let dir = two_nights();
    // No --history: the rule set's `history` names it.
    let (code, stdout, stderr) = notify(dir.path(), &["--dry-run", "--attach", "audit.html"], &[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    // The counts reasoned out above DEALS_2.
    assert!(
        stdout.starts_with("Аудит CRM за 28.11.2026: 4 нарушения, новых 1, исправлено 1\n"),
        "{stdout}"
    );
    assert!(stdout.contains("• Иванова Мария: 2 нарушения, новых 0, исправлено 1\n"));
    assert!(stdout.contains("• Петров Алексей: 2 нарушения, новых 1, исправлено 0\n"));
    assert!(stdout.contains("Пропали из выгрузки: 1 нарушение прошлого запуска"));
    assert!(stdout.contains(
        "3. overdue-task · Петров Алексей · задача T2 · с 27.11.2026, 2 запуска подряд\n"
    ));
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("notify_two_nights", stdout);
    });
}

/// A history written through the library: one run, its one violation by a
/// CRM user shown by e-mail, on a task numbered like a phone.
fn history_of_one_night(dir: &Path, manager: &str, entity: &str) {
    let mut history = History::open(&dir.join("history.sqlite")).unwrap();
    let violations = [Seen {
        fingerprint: "f1",
        rule: "overdue-task",
        manager,
        entity_kind: "task",
        entity_id: entity,
        deal_id: None,
        severity: "error",
        day_bound: false,
    }];
    let run = Run {
        as_of: "2026-11-27T02:00:00+03:00",
        rule_set: "Регламент",
        rule_set_hash: "0",
        tool_version: "0.1.0",
        inputs: &[InputRows {
            path: "deals.csv",
            kind: "deals",
            rows: 1,
        }],
        violations: &violations,
        managers: &[ManagerRun {
            name: manager,
            deals_in_work: 1,
            lead_violations: 0,
        }],
    };
    history.record(&run, |_| Outcome::Fixed).unwrap();
}

#[test]
fn mask_phones_masks_the_message_as_the_audit_does() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "ivanova.m@example.ru +7 927 123-45-67", "T1");
    let args = ["--history", "history.sqlite", "--dry-run"];
    let (_, plain, _) = notify(dir.path(), &args, &[]);
    assert!(plain.contains("• ivanova.m@example.ru +7 927 123-45-67: 1 нарушение"));
    let (code, masked, _) = notify(dir.path(), &[&args[..], &["--mask-phones"]].concat(), &[]);
    assert_eq!(code, 0);
    assert!(
        masked.contains("• i***@example.ru +* *** ***-45-67: 1 нарушение, новых 1"),
        "{masked}"
    );
    assert!(!masked.contains("ivanova.m") && !masked.contains("123-45-67"));
}

/// `notify` of `dir`'s history to the fake Bot API at `url`, the token
/// in the environment.
fn telegram(dir: &Path, url: &str) -> (i32, String, String) {
    notify(
        dir,
        &[
            "--history",
            "history.sqlite",
            "--chat",
            CHAT,
            "--api-url",
            url,
        ],
        &[("TELEGRAM_BOT_TOKEN", TOKEN)],
    )
}

fn ok_reply() -> Reply {
    Reply::ok(
        "application/json",
        br#"{"ok":true,"result":{"message_id":1}}"#,
    )
}

/// A form body's field, percent-decoded (`+` is a space).
fn form_field(request: &str, name: &str) -> String {
    let body = request.split("\r\n\r\n").nth(1).unwrap();
    let raw = body
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {body}"));
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn no_token(outputs: &[&str]) {
    for text in outputs {
        assert!(!text.contains("s3cr3t"), "the token leaked: {text}");
    }
}

/// The message to the chat in HTML mode, the special characters of a
/// name escaped, then the report as a multipart document.
#[test]
fn telegram_gets_the_escaped_message_then_the_report() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Ким Олег <стажёр> & наставник", "T1");
    std::fs::write(dir.path().join("audit.html"), "<html>отчёт</html>").unwrap();
    let server = FakeServer::start(vec![ok_reply(), ok_reply()]);
    let (code, stdout, stderr) = notify(
        dir.path(),
        &[
            "--history",
            "history.sqlite",
            "--chat",
            CHAT,
            "--api-url",
            &server.url,
            "--attach",
            "audit.html",
        ],
        &[("TELEGRAM_BOT_TOKEN", TOKEN)],
    );
    let requests = server.requests();
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(
        stdout,
        format!("sent the digest of run 1 to Telegram chat {CHAT}: 1 message(s), 1 file(s)\n")
    );
    assert_eq!(requests.len(), 2);
    assert!(requests[0].starts_with(&format!("POST /api/bot{TOKEN}/sendMessage HTTP/1.1\r\n")));
    assert_eq!(form_field(&requests[0], "chat_id"), CHAT);
    assert_eq!(form_field(&requests[0], "parse_mode"), "HTML");
    let text = form_field(&requests[0], "text");
    assert!(
        text.starts_with("<b>Аудит CRM за 27.11.2026: 1 нарушение, новых 1, исправлено 0</b>\n"),
        "{text}"
    );
    assert!(
        text.contains("• Ким Олег &lt;стажёр&gt; &amp; наставник: 1 нарушение"),
        "{text}"
    );
    assert!(text.ends_with("Отчёты во вложении: audit.html"), "{text}");

    let document = &requests[1];
    assert!(document.starts_with(&format!("POST /api/bot{TOKEN}/sendDocument HTTP/1.1\r\n")));
    assert!(document
        .to_lowercase()
        .contains("content-type: multipart/form-data; boundary="));
    assert!(document.contains(&format!(
        "Content-Disposition: form-data; name=\"chat_id\"\r\n\r\n{CHAT}\r\n"
    )));
    assert!(document.contains(
        "Content-Disposition: form-data; name=\"document\"; filename=\"audit.html\"\r\n\
         Content-Type: text/html; charset=utf-8\r\n\r\n<html>отчёт</html>\r\n"
    ));
    no_token(&[&stdout, &stderr]);
}

/// 429, 500 and 503 are passing failures: the message is sent on the
/// fourth try (a wait of 0 s, asked in Telegram's JSON or the header,
/// keeps the test quick).
#[test]
fn telegram_rate_limits_and_outages_are_retried() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    let too_many = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 0","parameters":{"retry_after":0}}"#;
    let server = FakeServer::start(vec![
        Reply::status(429, &[], too_many),
        Reply::status(500, &[("Retry-After", "0")], "Internal Server Error"),
        Reply::status(503, &[("Retry-After", "0")], "Service Unavailable"),
        ok_reply(),
    ]);
    let (code, stdout, stderr) = notify(
        dir.path(),
        &[
            "--history",
            "history.sqlite",
            "--chat",
            CHAT,
            "--api-url",
            &server.url,
        ],
        &[("TELEGRAM_BOT_TOKEN", TOKEN)],
    );
    let requests = server.requests();
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(requests.len(), 4);
    assert!(requests
        .iter()
        .all(|r| r.contains("/sendMessage HTTP/1.1") && r.contains("chat_id=-1001234567890")));
}

/// A revoked token: one request, exit 2, one line saying what was asked
/// (the token as `***`) and what Telegram said.
#[test]
fn a_permanent_failure_ends_with_its_reason_and_no_token() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    let token_file = dir.path().join("bot.token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let server = FakeServer::start(vec![Reply::status(
        401,
        &[("Content-Type", "application/json")],
        r#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#,
    )]);
    let (code, stdout, stderr) = notify(
        dir.path(),
        &[
            "--history",
            "history.sqlite",
            "--chat",
            CHAT,
            "--token-file",
            "bot.token",
            "--api-url",
            &server.url,
        ],
        &[],
    );
    let url = server.url.clone();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!(
            "crm-audit: error: the digest was not sent: Telegram: POST {}/bot***/sendMessage: \
             HTTP 401: the token or key is invalid or expired; the server says: Unauthorized\n",
            url
        )
    );
    no_token(&[&stdout, &stderr]);
}

#[test]
fn retries_run_out_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    let busy = || Reply::status(502, &[("Retry-After", "0")], "Bad Gateway");
    let server = FakeServer::start(vec![busy(), busy()]);
    let (code, _, stderr) = notify(
        dir.path(),
        &[
            "--history",
            "history.sqlite",
            "--chat",
            CHAT,
            "--api-url",
            &server.url,
            "--retries",
            "1",
        ],
        &[("TELEGRAM_BOT_TOKEN", TOKEN)],
    );
    assert_eq!(server.requests().len(), 2);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/bot***/sendMessage: HTTP 502: the server failed")
            && stderr.ends_with("(after 2 attempts)\n"),
        "{stderr}"
    );
    no_token(&[&stderr]);
}

#[test]
fn a_message_taken_with_its_answer_cut_short_is_not_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    // 200 promising a body that never comes whole: Telegram took the
    // message. Sending it again would post the digest twice.
    let cut = Reply::Truncated {
        body: b"{\"ok\":tr".to_vec(),
        promised: 200,
    };
    let server = FakeServer::start(vec![cut]);
    let (code, _, stderr) = telegram(dir.path(), &server.url);
    assert_eq!(server.requests().len(), 1, "{stderr}");
    assert_eq!(code, 2);
    assert!(stderr.contains("the request was taken"), "{stderr}");
    no_token(&[&stderr]);
}

/// Extra arguments, the environment, and the start of the error.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

/// Mistakes found before anything is sent: the server gets no request.
#[test]
fn nothing_is_sent_when_a_file_or_secret_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    let token_file = dir.path().join("bot.token");
    std::fs::write(&token_file, TOKEN).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let server = FakeServer::start(vec![]);
    let url = server.url.clone();
    let base = ["--history", "history.sqlite"];
    let to = ["--chat", CHAT, "--api-url", &url];
    let cases: [Case; 5] = [
        (
            &[&to[..], &["--attach", "audit.xlsx"]].concat(),
            &[("TELEGRAM_BOT_TOKEN", TOKEN)],
            "crm-audit: error: --attach audit.xlsx: cannot read the file: ",
        ),
        (
            &to,
            &[],
            "crm-audit: error: no bot token: set TELEGRAM_BOT_TOKEN or give --token-file FILE (mode 600)\n",
        ),
        (
            &[&to[..], &["--token-file", "bot.token"]].concat(),
            &[],
            "crm-audit: error: bot.token: the secret file is open to group or others (mode 0644); run `chmod 600 bot.token`\n",
        ),
        (
            &["--chat", "отдел продаж", "--api-url", &url],
            &[("TELEGRAM_BOT_TOKEN", TOKEN)],
            "crm-audit: error: --chat `отдел продаж` is no chat id; expected a number such as -1001234567890 or a channel's @name\n",
        ),
        (
            &["--chat", CHAT, "--api-url", "http://api.telegram.org"],
            &[("TELEGRAM_BOT_TOKEN", TOKEN)],
            "crm-audit: error: the digest was not sent: --api-url http://api.telegram.org: plain http:// is accepted only for 127.0.0.1 and localhost; the bot token goes with every request, so use https://\n",
        ),
    ];
    for (extra, env, expected) in cases {
        let (code, stdout, stderr) = notify(dir.path(), &[&base[..], extra].concat(), env);
        assert_eq!((code, stdout.as_str()), (2, ""), "{extra:?}: {stderr}");
        assert!(stderr.starts_with(expected), "{extra:?}: {stderr}");
        no_token(&[&stderr]);
    }
    assert!(server.requests().is_empty());
}

#[test]
fn a_history_without_runs_or_without_a_destination_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    drop(History::open(&dir.path().join("empty.sqlite")).unwrap());
    let (code, _, stderr) = notify(dir.path(), &["--history", "empty.sqlite", "--dry-run"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("history empty.sqlite: no audit run recorded yet"),
        "{stderr}"
    );
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    let (code, _, stderr) = notify(dir.path(), &["--history", "history.sqlite"], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("crm-audit: error: nowhere to send the digest: set [notify.telegram] chat or [notify.email]"),
        "{stderr}"
    );
}

/// The mail to a fake SMTP server on 127.0.0.1 (plain SMTP, allowed to
/// this machine only): the login with the password from SMTP_PASSWORD,
/// the sender and recipients, the digest and the report attached.
#[test]
fn the_mail_reaches_the_smtp_server_with_the_report() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    std::fs::write(dir.path().join("audit.html"), "<html>отчёт</html>").unwrap();
    let smtp = smtp_server::FakeSmtp::start(&[smtp_server::Session::Accept]);
    let rules = format!(
        "extends = \"builtin\"\n[notify.email]\nserver = \"127.0.0.1\"\nport = {}\ntls = \"none\"\n\
         sender = \"Аудит CRM <audit@example.ru>\"\nrecipients = [\"head@example.ru\", \"ivanova@example.ru\"]\n\
         user = \"audit@example.ru\"\n",
        smtp.port
    );
    std::fs::write(dir.path().join("company.toml"), rules).unwrap();
    let (code, stdout, stderr) = notify(
        dir.path(),
        &[
            "--rules",
            "company.toml",
            "--history",
            "history.sqlite",
            "--attach",
            "audit.html",
        ],
        &[("SMTP_PASSWORD", "pa55-smtp")],
    );
    let sessions = smtp.sessions();
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(
        stdout,
        "sent the digest of run 1 by e-mail to head@example.ru, ivanova@example.ru: 1 file(s)\n"
    );
    let mail = &sessions[0];
    // AUTH PLAIN: base64 of "\0audit@example.ru\0pa55-smtp".
    assert!(
        mail.contains("AUTH PLAIN AGF1ZGl0QGV4YW1wbGUucnUAcGE1NS1zbXRw\r\n"),
        "{mail}"
    );
    assert!(mail.contains("MAIL FROM:<audit@example.ru>"), "{mail}");
    assert!(
        mail.contains("RCPT TO:<head@example.ru>") && mail.contains("RCPT TO:<ivanova@example.ru>")
    );
    assert!(
        mail.contains("Content-Disposition: attachment; filename=\"audit.html\""),
        "{mail}"
    );
    // The report, base64 as lettre encodes a non-ASCII text part.
    let data = smtp_server::decoded_parts(mail);
    assert!(data.iter().any(|p| p == "<html>отчёт</html>"), "{data:?}");
    assert!(data
        .iter()
        .any(|p| p.starts_with("Аудит CRM за 27.11.2026: 1 нарушение, новых 1, исправлено 0\n")));
    assert!(!stdout.contains("pa55") && !stderr.contains("pa55"));
}

/// A 421 at the greeting (the server is busy) is tried again; a 550 for
/// the recipient is not, and the run ends with the server's words.
#[test]
fn smtp_passing_refusals_are_retried_and_permanent_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    let rules = |port: u16| {
        format!(
            "extends = \"builtin\"\n[notify.email]\nserver = \"127.0.0.1\"\nport = {port}\n\
             tls = \"none\"\nsender = \"audit@example.ru\"\nrecipients = [\"head@example.ru\"]\n"
        )
    };
    let smtp =
        smtp_server::FakeSmtp::start(&[smtp_server::Session::Busy, smtp_server::Session::Accept]);
    std::fs::write(dir.path().join("company.toml"), rules(smtp.port)).unwrap();
    let args = ["--rules", "company.toml", "--history", "history.sqlite"];
    let (code, _, stderr) = notify(dir.path(), &args, &[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let sessions = smtp.sessions();
    assert_eq!(sessions.len(), 2);
    assert!(sessions[1].contains("RCPT TO:<head@example.ru>"));

    let smtp = smtp_server::FakeSmtp::start(&[smtp_server::Session::NoSuchUser]);
    let port = smtp.port;
    std::fs::write(dir.path().join("company.toml"), rules(port)).unwrap();
    let (code, _, stderr) = notify(dir.path(), &args, &[]);
    assert_eq!(smtp.sessions().len(), 1);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!(
            "crm-audit: error: the digest was not sent: e-mail: SMTP 127.0.0.1:{port}: \
             the server refused the mail: "
        )) && stderr.contains("no such user"),
        "{stderr}"
    );
}

#[test]
fn a_server_echoing_the_refused_login_shows_no_password() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    let smtp = smtp_server::FakeSmtp::start(&[smtp_server::Session::EchoRefusedLogin]);
    let rules = format!(
        "extends = \"builtin\"\n[notify.email]\nserver = \"127.0.0.1\"\nport = {}\n\
         tls = \"none\"\nsender = \"audit@example.ru\"\nrecipients = [\"head@example.ru\"]\n\
         user = \"audit@example.ru\"\n",
        smtp.port
    );
    std::fs::write(dir.path().join("company.toml"), rules).unwrap();
    let args = ["--rules", "company.toml", "--history", "history.sqlite"];
    let (code, stdout, stderr) = notify(dir.path(), &args, &[("SMTP_PASSWORD", "pa55-smtp")]);
    let sessions = smtp.sessions();
    assert_eq!(code, 2, "{stderr}");
    // The server did get the login, and echoed it in its refusal.
    assert!(sessions[0].contains("AUTH PLAIN "), "{sessions:?}");
    assert!(stderr.contains("refused: AUTH PLAIN ***"), "{stderr}");
    // AUTH PLAIN sends base64("\0user\0password").
    let plain = "AGF1ZGl0QGV4YW1wbGUucnUAcGE1NS1zbXRw";
    for out in [&stdout, &stderr] {
        assert!(!out.contains("pa55-smtp") && !out.contains(plain), "{out}");
    }
}

/// A server that does not offer STARTTLS gets neither the login nor the
/// mail: with `tls` left at its default, nothing goes in clear text.
#[test]
fn no_mail_goes_in_clear_text_to_a_server_without_starttls() {
    let dir = tempfile::tempdir().unwrap();
    history_of_one_night(dir.path(), "Иванова Мария", "T1");
    let smtp = smtp_server::FakeSmtp::start(&[smtp_server::Session::Accept]);
    let rules = format!(
        "extends = \"builtin\"\n[notify.email]\nserver = \"127.0.0.1\"\nport = {}\n\
         sender = \"audit@example.ru\"\nrecipients = [\"head@example.ru\"]\nuser = \"audit@example.ru\"\n",
        smtp.port
    );
    std::fs::write(dir.path().join("company.toml"), rules).unwrap();
    let (code, _, stderr) = notify(
        dir.path(),
        &["--rules", "company.toml", "--history", "history.sqlite"],
        &[("SMTP_PASSWORD", "pa55-smtp")],
    );
    let sessions = smtp.sessions();
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot send: ") && stderr.contains("STARTTLS is not supported"),
        "{stderr}"
    );
    assert!(!stderr.contains("pa55"), "{stderr}");
    let said = sessions.concat();
    assert!(said.starts_with("EHLO "), "{said}");
    assert!(
        !said.contains("AUTH") && !said.contains("MAIL FROM"),
        "{said}"
    );
}

/// A night of 80 managers with one violation each: 80 lines of about 60
/// characters, too long for one Telegram message, so it goes in two
/// parts. The first is taken, the second refused: the error says the
/// first part was sent.
#[test]
fn a_long_digest_goes_in_parts_and_a_failure_says_which_were_sent() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (1..=80)
        .map(|i| format!("Константинопольская Анастасия {i:02}"))
        .collect();
    let prints: Vec<String> = (1..=80).map(|i| format!("f{i}")).collect();
    let violations: Vec<Seen> = names
        .iter()
        .zip(&prints)
        .map(|(name, print)| Seen {
            fingerprint: print,
            rule: "deal-without-task",
            manager: name,
            entity_kind: "deal",
            entity_id: print,
            deal_id: Some(print),
            severity: "error",
            day_bound: false,
        })
        .collect();
    let managers: Vec<ManagerRun> = names
        .iter()
        .map(|name| ManagerRun {
            name,
            deals_in_work: 1,
            lead_violations: 0,
        })
        .collect();
    History::open(&dir.path().join("history.sqlite"))
        .unwrap()
        .record(
            &Run {
                as_of: "2026-11-27T02:00:00+03:00",
                rule_set: "Регламент",
                rule_set_hash: "0",
                tool_version: "0.1.0",
                inputs: &[],
                violations: &violations,
                managers: &managers,
            },
            |_| Outcome::Fixed,
        )
        .unwrap();
    let refused = Reply::status(
        400,
        &[("Content-Type", "application/json")],
        r#"{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}"#,
    );
    let server = FakeServer::start(vec![ok_reply(), refused]);
    let (code, _, stderr) = telegram(dir.path(), &server.url);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let first = form_field(&requests[0], "text");
    let second = form_field(&requests[1], "text");
    assert!(
        first.starts_with("<i>(часть 1 из 2)</i>\n<b>Аудит CRM"),
        "{first}"
    );
    assert!(second.starts_with("<i>(часть 2 из 2)</i>\n"), "{second}");
    assert!(first.chars().count() <= 4096 && second.chars().count() <= 4096);
    // Every manager's line is in one part or the other.
    for name in &names {
        assert_eq!(
            first.matches(name.as_str()).count() + second.matches(name.as_str()).count(),
            1,
            "{name}"
        );
    }
    assert_eq!(code, 2);
    assert!(
        stderr.contains("1 of the message's 2 parts were sent, the rest were not: Telegram: ")
            && stderr.contains("Bad Request: message is too long"),
        "{stderr}"
    );
}

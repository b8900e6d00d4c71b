//! What a person running `pull` at a terminal sees: a line on standard
//! error saying which list, which page and how many records so far, once
//! the pull has taken a second, cleared before the summary. Through a real
//! pseudo-terminal (`script` from util-linux); a pipe never gets the line
//! (the other tests check that standard error holds nothing else).

use super::bitrix24::{small_portal, CODE};
use super::bitrix24_fake::handler;
use super::server::RoutedServer;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUN_LIMIT: Duration = Duration::from_secs(60);

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[test]
fn a_pull_at_a_terminal_shows_its_list_page_and_rows_then_clears_the_line() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let server = RoutedServer::start(handler(small_portal(), vec![]));
    let webhook = dir.path().join("webhook");
    std::fs::write(&webhook, format!("{}/rest/1/{CODE}/\n", server.url)).unwrap();
    std::fs::set_permissions(&webhook, std::fs::Permissions::from_mode(0o600)).unwrap();
    let binary = assert_cmd::cargo::cargo_bin!("crm-audit");
    let line = [
        binary.display().to_string(),
        "pull".into(),
        "bitrix24".into(),
        "--out".into(),
        dir.path().join("snap").display().to_string(),
        "--webhook-file".into(),
        webhook.display().to_string(),
    ]
    .iter()
    .map(|a| shell_quote(a))
    .collect::<Vec<_>>()
    .join(" ");
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir.path())
        .env_remove("BITRIX24_WEBHOOK")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script(1) from util-linux runs");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut text).unwrap();
        text
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            panic!("pull on a terminal took more than {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    server.requests();
    let shown = String::from_utf8(reader.join().unwrap()).unwrap();
    // At two requests a second the deals' second page comes some 2.5 s
    // in, past the line's one-second delay: 3 deals read by then.
    assert!(
        shown.contains("\r\x1b[Kcrm-audit: pulling crm.deal.list: page 2, 3 rows"),
        "{shown:?}"
    );
    // The line is cleared, then the summary starts on a clean line.
    let last = shown.rfind("crm-audit: pulling").unwrap();
    let summary = shown.find("pulled 3 calls, 3 deals, 3 tasks").unwrap();
    assert!(shown[last..summary].contains("\r\x1b[K"), "{shown:?}");
    assert!(!shown.contains(CODE));
}

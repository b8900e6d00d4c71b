//! What a person running `pull` at a terminal sees: a line on standard
//! error saying which list, which page and how many records so far, once
//! the pull has taken a second, cleared before the summary. Through a real
//! pseudo-terminal (`script` from util-linux); a pipe never gets the line
//! (the other tests check that standard error holds nothing else).

use super::bitrix24::{small_portal, CODE};
use super::bitrix24_fake::handler;
use super::pty;
use super::server::RoutedServer;

#[test]
fn a_pull_at_a_terminal_shows_its_list_page_and_rows_then_clears_the_line() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let server = RoutedServer::start(handler(small_portal(), vec![]));
    let webhook = dir.path().join("webhook");
    std::fs::write(&webhook, format!("{}/rest/1/{CODE}/\n", server.url)).unwrap();
    std::fs::set_permissions(&webhook, std::fs::Permissions::from_mode(0o600)).unwrap();
    let snap = dir.path().join("snap").display().to_string();
    let webhook = webhook.display().to_string();
    let args = [
        "pull",
        "bitrix24",
        "--out",
        &snap,
        "--webhook-file",
        &webhook,
    ];
    let unset = ["BITRIX24_WEBHOOK", "HTTP_PROXY", "http_proxy"];
    let shown = pty::on_a_terminal(dir.path(), &args, None, &unset);
    server.requests();
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

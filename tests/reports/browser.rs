//! The HTML report in headless Chromium, as a person would open it: the
//! page renders (a screenshot is taken and is a real picture), its text
//! names every manager, the SVG chart is there, and a deal named like a
//! script shows as text.
//!
//! The tests never install anything: `.ci/run` installs Debian's `chromium`
//! on CI machines. Where it is missing, a local `cargo test` says so on
//! standard error and skips these two tests; under `CI=true` a missing
//! browser fails them, so CI cannot skip them silently.

use crate::support::{audit, example, out_dir, AS_OF, HOSTILE};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// One Chromium run may take this long before the test gives up on it.
const RUN_LIMIT: Duration = Duration::from_secs(45);

/// The browser, or `None` (with the reason printed) where it is missing and
/// the run is not CI's.
fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from(CHROMIUM);
    if path.exists() {
        return Some(path);
    }
    assert!(
        !on_ci(),
        "{CHROMIUM} is missing on CI: .ci/run installs it (apt-get install chromium)"
    );
    // Written to the stream itself, not through `eprintln!`, which the test
    // harness captures: a skip must show in a plain `cargo test`.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: headless Chromium test: {CHROMIUM} is missing \
         (apt-get install chromium to run it)"
    );
    None
}

/// CI sets `CI=true`, as most CI services do.
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Runs headless Chromium on `page` with `action` (`--dump-dom` or
/// `--screenshot=FILE`); returns what it printed.
fn run_chromium(browser: &Path, page: &Path, action: &str) -> String {
    let profile = out_dir();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(action)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
        text
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {action} failed: {status}");
            break;
        }
        if start.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            panic!("chromium {action} took more than {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// The width and height in a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn the_html_report_renders_in_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = out_dir();
    let page = dir.path().join("report.html");
    std::fs::write(&page, example("html", &[]).stdout).unwrap();

    let shot = dir.path().join("report.png");
    run_chromium(&browser, &page, &format!("--screenshot={}", shot.display()));
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(png_size(&png), (1280, 2000));
    assert!(
        png.len() > 50_000,
        "a picture with content: {} bytes",
        png.len()
    );

    let dom = run_chromium(&browser, &page, "--dump-dom");
    assert!(dom.contains("<svg"), "the chart is in the page");
    assert!(dom.contains("<rect"), "the chart has bars");
    let json: Value = serde_json::from_slice(&example("json", &[]).stdout).unwrap();
    for m in json["managers"].as_array().unwrap() {
        let name = m["name"].as_str().unwrap();
        assert!(dom.contains(name), "the page names {name}");
    }
    for text in [
        "CRM audit, 27.11.2026 02:00",
        "Fix first",
        "examples/amocrm/deals.xlsx",
        "No violations.",
        "https://example.amocrm.ru/leads/detail/31461295",
    ] {
        assert!(dom.contains(text), "the page shows {text:?}");
    }
}

#[test]
fn a_script_in_a_deal_name_stays_text_in_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = out_dir();
    let page = dir.path().join("hostile.html");
    let run = audit(&[HOSTILE, "--as-of", AS_OF, "--format", "html"]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    std::fs::write(&page, &run.stdout).unwrap();
    let dom = run_chromium(&browser, &page, "--dump-dom");
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the name shows as text"
    );
    assert!(!dom.contains("<script"), "no script element in the page");
}

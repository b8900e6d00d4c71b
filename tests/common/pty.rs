//! Running the built `crm-audit` on a real pseudo-terminal (`script` from
//! util-linux gives the run one), for what only a terminal gets: the
//! progress line, the `wrote FILE` line, colour, the terminal's width.
//! Shared by the test crates that need it (`#[path]`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run under a pseudo-terminal may take this long before the test gives up.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Runs `crm-audit ARGS...` in `dir` with standard output and standard error
/// on a pseudo-terminal, `columns` wide when given, without `COLUMNS` or
/// any of `unset` in its environment; returns what the terminal showed.
pub fn on_a_terminal(dir: &Path, args: &[&str], columns: Option<u16>, unset: &[&str]) -> String {
    let binary = assert_cmd::cargo::cargo_bin!("crm-audit");
    let mut line = match columns {
        Some(columns) => format!("stty cols {columns} rows 40; "),
        None => String::new(),
    };
    line.push_str(&shell_quote(&binary.display().to_string()));
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let mut command = Command::new("script");
    command
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .env_remove("COLUMNS");
    for name in unset {
        command.env_remove(name);
    }
    let mut child = command
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
            panic!("crm-audit {args:?} on a terminal took more than {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    String::from_utf8(reader.join().unwrap()).expect("the terminal shows UTF-8")
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

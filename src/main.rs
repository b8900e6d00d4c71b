//! The `crm-audit` binary: parses the command line, runs the library, and
//! maps the outcome to the documented exit code. Nothing else lives here.

use clap::Parser;
use crm_audit::cli::{self, Cli};
use crm_audit::commands::{Status, Stdout};
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let stdout = std::io::stdout();
    let is_terminal = stdout.is_terminal();
    let terminal_width = is_terminal.then(terminal_width).flatten();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let stderr_is_terminal = std::io::stderr().is_terminal();
    let to_stderr = || Box::new(std::io::stderr()) as Box<dyn std::io::Write + Send>;
    let progress = stderr_is_terminal.then(to_stderr);
    let notices = stderr_is_terminal.then(to_stderr);
    let mut lock = stdout.lock();
    let outcome = cli::run(
        cli,
        Stdout {
            writer: &mut lock,
            terminal_width,
            is_terminal,
            color: is_terminal && !no_color,
            progress,
            notices,
        },
    );
    match outcome {
        Ok(Status::Clean) => ExitCode::SUCCESS,
        Ok(Status::Violations) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // A message may quote a cell: its control characters are
            // shown, never sent to the terminal as they are.
            let message = format!("{e:#}");
            eprintln!(
                "crm-audit: error: {}",
                crm_audit::report::escape::terminal(&message)
            );
            ExitCode::from(2)
        }
    }
}

/// The width of the terminal standard output is on, as the terminal says;
/// `COLUMNS` where it says nothing (some emulators and `script` logs),
/// else a common default.
fn terminal_width() -> Option<u16> {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(terminal_size::Width(w), _)| w)
        .filter(|&w| w > 0)
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .or(Some(120))
}

/// `crm-audit audit … | head` closing the pipe early is not an error. The
/// commands hand a failed write back as an `std::io::Error`, whichever
/// encoder met it (`report::io_first`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

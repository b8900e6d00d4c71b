//! The progress line on a terminal's stderr: a thread that reads the run's
//! `Progress` counters and redraws one line while a long run works.
//!
//! It stays silent for the first second, so a quick run shows nothing, and
//! it must never slow a run down: finishing wakes the thread at once rather
//! than waiting for its next tick. When it stops it clears the line it drew,
//! so an error message or the shell prompt starts on a clean line. Progress
//! is best-effort: a failed write to its writer is ignored, never an error.
//! Whether a writer is given at all (only when stderr is a terminal) is the
//! binary's decision; nothing here looks at the terminal.

use crate::progress::{Progress, Snapshot, Stage};
use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a run goes before its progress is shown.
pub const DELAY: Duration = Duration::from_secs(1);

/// How often the line is redrawn once shown.
const REDRAW: Duration = Duration::from_millis(200);

/// Returns the cursor to the start of the line and erases it.
const CLEAR_LINE: &str = "\r\x1b[K";

/// Draws a run's progress until it finishes; finishing (or dropping it,
/// as an early `?` return does) stops the thread and clears the line.
pub struct Watcher {
    progress: Arc<Progress>,
    /// Dropping it wakes the thread to stop.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Watches `progress`, drawing to `out` once `delay` has passed.
    pub fn start(progress: Arc<Progress>, out: Box<dyn Write + Send>, delay: Duration) -> Watcher {
        let (stop, stopped) = mpsc::channel();
        let counters = Arc::clone(&progress);
        // Without a thread the run goes on unwatched: progress is optional.
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || watch(&counters, out, delay, &stopped))
            .ok();
        Watcher {
            progress,
            stop: Some(stop),
            thread,
        }
    }

    /// Starts a watcher with fresh counters and the production delay.
    pub fn on(out: Box<dyn Write + Send>) -> Watcher {
        Watcher::start(Arc::new(Progress::new()), out, DELAY)
    }

    /// The counters the readers feed.
    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }

    pub fn set_stage(&self, stage: Stage) {
        self.progress.set_stage(stage);
    }

    /// Stops the thread and waits until it has cleared its line. Calling it
    /// again does nothing.
    pub fn finish(&mut self) {
        self.progress.set_stage(Stage::Finished);
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            // A panic in the drawing thread costs only the progress line.
            let _ = thread.join();
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Moves the stage on, if a watcher is there to show it.
pub fn enter(watcher: Option<&Watcher>, stage: Stage) {
    if let Some(watcher) = watcher {
        watcher.set_stage(stage);
    }
}

/// The thread's body: wait out the delay, then redraw until told to stop.
fn watch(
    progress: &Progress,
    mut out: Box<dyn Write + Send>,
    delay: Duration,
    stopped: &mpsc::Receiver<()>,
) {
    let mut wait = delay;
    let mut drawn = false;
    // Nothing is ever sent: the sender's drop is the signal, so anything
    // but a timeout means stop.
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
        let Some(text) = line(progress.snapshot()) else {
            break;
        };
        let _ = write!(out, "{CLEAR_LINE}{text}");
        let _ = out.flush();
        drawn = true;
        wait = REDRAW;
    }
    if drawn {
        let _ = write!(out, "{CLEAR_LINE}");
        let _ = out.flush();
    }
}

/// The line shown for a reading of the counters; none once finished.
pub fn line(snapshot: Snapshot) -> Option<String> {
    let Snapshot { stage, done, total } = snapshot;
    Some(match stage {
        Stage::Reading if total > 0 => format!(
            "crm-audit: reading {} of {} ({}%)",
            bytes(done),
            bytes(total),
            percent(done, total)
        ),
        // The readers have not said how much there is yet.
        Stage::Reading if done > 0 => format!("crm-audit: reading {}", bytes(done)),
        Stage::Reading | Stage::Auditing | Stage::Writing => {
            format!("crm-audit: {}…", stage.as_str())
        }
        Stage::Finished => return None,
    })
}

/// `done` as a whole percentage of `total` (> 0), never above 100: a file
/// that grows while it is read must not show 104%.
fn percent(done: u64, total: u64) -> u64 {
    (u128::from(done) * 100 / u128::from(total)).min(100) as u64
}

/// A byte count as a person reads it: decimal units, three significant
/// figures at most ("412 MB", "1.8 GB", "950 B").
pub fn bytes(count: u64) -> String {
    const UNITS: [&str; 6] = ["kB", "MB", "GB", "TB", "PB", "EB"];
    if count < 1000 {
        return format!("{count} B");
    }
    let mut value = count as f64 / 1000.0;
    for unit in UNITS {
        // Decide on the rounded value, so 999 999 B reads "1.0 MB", not "1000 kB".
        if value < 9.95 {
            return format!("{value:.1} {unit}");
        }
        if value < 999.5 || unit == "EB" {
            return format!("{value:.0} {unit}");
        }
        value /= 1000.0;
    }
    unreachable!("the last unit returns")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Instant;

    #[test]
    fn byte_counts_read_as_a_person_would() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1000), "1.0 kB");
        assert_eq!(bytes(1_049), "1.0 kB");
        assert_eq!(bytes(9_949), "9.9 kB");
        assert_eq!(bytes(9_950), "10 kB");
        assert_eq!(bytes(412_300_000), "412 MB");
        assert_eq!(bytes(999_499), "999 kB");
        assert_eq!(bytes(999_999), "1.0 MB");
        assert_eq!(bytes(1_800_000_000), "1.8 GB");
        assert_eq!(bytes(u64::MAX), "18 EB");
    }

    fn at(stage: Stage, done: u64, total: u64) -> Option<String> {
        line(Snapshot { stage, done, total })
    }

    #[test]
    fn each_stage_has_its_line() {
        assert_eq!(
            at(Stage::Reading, 412_000_000, 1_800_000_000).as_deref(),
            Some("crm-audit: reading 412 MB of 1.8 GB (22%)")
        );
        assert_eq!(
            at(Stage::Auditing, 5, 5).as_deref(),
            Some("crm-audit: auditing…")
        );
        assert_eq!(
            at(Stage::Writing, 5, 5).as_deref(),
            Some("crm-audit: writing the report…")
        );
        assert_eq!(at(Stage::Finished, 5, 5), None);
    }

    #[test]
    fn reading_makes_sense_without_a_total() {
        assert_eq!(
            at(Stage::Reading, 0, 0).as_deref(),
            Some("crm-audit: reading…")
        );
        assert_eq!(
            at(Stage::Reading, 2_500, 0).as_deref(),
            Some("crm-audit: reading 2.5 kB")
        );
        assert_eq!(
            at(Stage::Reading, 0, 2_500).as_deref(),
            Some("crm-audit: reading 0 B of 2.5 kB (0%)")
        );
    }

    #[test]
    fn percentages_stop_at_100() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(3, 3), 100);
        assert_eq!(percent(4, 3), 100);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
    }

    /// A writer the test can read while the watcher holds it.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }

        /// Waits (up to a generous bound) until the text contains `part`.
        fn wait_for(&self, part: &str) {
            let deadline = Instant::now() + Duration::from_secs(10);
            while !self.text().contains(part) {
                assert!(
                    Instant::now() < deadline,
                    "no {part:?} in {:?}",
                    self.text()
                );
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }

    #[test]
    fn a_run_shorter_than_the_delay_shows_nothing_and_ends_at_once() {
        let out = Shared::default();
        let delay = Duration::from_secs(10);
        let mut watcher = Watcher::start(Arc::new(Progress::new()), Box::new(out.clone()), delay);
        std::thread::sleep(Duration::from_millis(20));
        let started = Instant::now();
        watcher.finish();
        let took = started.elapsed();
        // Waiting out the delay would take 10 s; a prompt finish takes
        // microseconds. 2 s leaves room for a loaded machine.
        assert!(took < Duration::from_secs(2), "finish took {took:?}");
        assert_eq!(out.text(), "");
    }

    #[test]
    fn a_long_run_shows_each_stage_then_clears_the_line() {
        let out = Shared::default();
        let progress = Arc::new(Progress::new());
        progress.add_total(2_000);
        progress.advance(1_000);
        let mut watcher =
            Watcher::start(Arc::clone(&progress), Box::new(out.clone()), Duration::ZERO);
        out.wait_for("\r\x1b[Kcrm-audit: reading 1.0 kB of 2.0 kB (50%)");
        watcher.set_stage(Stage::Auditing);
        out.wait_for("\r\x1b[Kcrm-audit: auditing…");
        watcher.finish();
        let text = out.text();
        assert!(text.starts_with(CLEAR_LINE), "{text:?}");
        assert!(text.ends_with("…\r\x1b[K"), "{text:?}");
        // Finished stays finished, and a second finish draws nothing more.
        assert_eq!(progress.snapshot().stage, Stage::Finished);
        watcher.finish();
        assert_eq!(out.text(), text);
    }

    #[test]
    fn dropping_the_watcher_clears_the_line() {
        // An early `?` return drops the watcher before the error is printed.
        let out = Shared::default();
        let watcher = Watcher::start(
            Arc::new(Progress::new()),
            Box::new(out.clone()),
            Duration::ZERO,
        );
        out.wait_for("crm-audit: reading…");
        drop(watcher);
        assert!(out.text().ends_with("reading…\r\x1b[K"), "{:?}", out.text());
    }

    #[test]
    fn a_failed_write_does_not_stop_the_drawing() {
        /// Fails its first write, as a momentarily unwritable stderr would.
        struct FailsOnce(bool, Shared);
        impl Write for FailsOnce {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                if std::mem::replace(&mut self.0, false) {
                    return Err(std::io::ErrorKind::Interrupted.into());
                }
                self.1.write(buf)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let out = Shared::default();
        let failing = Box::new(FailsOnce(true, out.clone()));
        let mut watcher = Watcher::start(Arc::new(Progress::new()), failing, Duration::ZERO);
        out.wait_for("crm-audit: reading…");
        watcher.finish();
        assert!(out.text().ends_with("\r\x1b[K"), "{:?}", out.text());
    }
}

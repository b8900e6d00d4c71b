//! How far a run has got, counted by the library for whoever watches it.
//!
//! The readers add the bytes they consume; `commands` moves the stage on.
//! Counting is a relaxed atomic add per buffer read (every 64 KiB or so), so
//! it costs nothing measurable and needs no lock across reading threads.
//! What a person sees of it (a line on a terminal's stderr, only for runs
//! longer than a second) is drawn by `commands::progress`; nothing here
//! prints.

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};

/// What the run is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Auditing,
    Writing,
    Finished,
}

impl Stage {
    fn from_u8(value: u8) -> Stage {
        match value {
            0 => Stage::Reading,
            1 => Stage::Auditing,
            2 => Stage::Writing,
            _ => Stage::Finished,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Auditing => "auditing",
            Stage::Writing => "writing the report",
            Stage::Finished => "finished",
        }
    }
}

/// Counters shared between the run and its watcher.
#[derive(Debug, Default)]
pub struct Progress {
    total: AtomicU64,
    done: AtomicU64,
    stage: AtomicU8,
}

/// One reading of the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub stage: Stage,
    /// Input bytes read so far.
    pub done: u64,
    /// Input bytes to read in all (the files' sizes).
    pub total: u64,
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// More input to read: a file's size in bytes.
    pub fn add_total(&self, bytes: u64) {
        self.total.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Input bytes just read.
    pub fn advance(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }

    pub fn set_stage(&self, stage: Stage) {
        self.stage.store(stage as u8, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            stage: Stage::from_u8(self.stage.load(Ordering::Relaxed)),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_bytes_and_stages() {
        let p = Progress::new();
        assert_eq!(p.snapshot().stage, Stage::Reading);
        p.add_total(100);
        p.add_total(50);
        p.advance(30);
        p.advance(15);
        p.set_stage(Stage::Auditing);
        assert_eq!(
            p.snapshot(),
            Snapshot {
                stage: Stage::Auditing,
                done: 45,
                total: 150
            }
        );
        for stage in [
            Stage::Reading,
            Stage::Auditing,
            Stage::Writing,
            Stage::Finished,
        ] {
            p.set_stage(stage);
            assert_eq!(p.snapshot().stage, stage);
        }
    }
}

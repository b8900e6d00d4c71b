//! The history benchmark (`bench/run.sh history`): records a night of N
//! violations (default 100 000) into a fresh history, then a second night
//! in which a tenth are fixed and a tenth are new, then reads a manager's
//! and the department's 14-run trend. Prints one line per step with its
//! wall time; the targets are under 1 s to record and under 100 ms to
//! read a trend.
//!
//!     cargo run --release --example history_bench -- [N] [FILE]

use crm_audit::history::{History, InputRows, ManagerRun, Outcome, Run, Seen, Subject};
use std::time::Instant;

const MANAGERS: usize = 40;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let dir = tempfile::tempdir()?;
    let path = args
        .next()
        .map_or_else(|| dir.path().join("history.sqlite"), Into::into);
    let names: Vec<String> = (0..MANAGERS).map(|m| format!("Менеджер {m:02}")).collect();
    let managers: Vec<ManagerRun> = names
        .iter()
        .map(|name| ManagerRun {
            name,
            deals_in_work: 250,
        })
        .collect();
    let mut history = History::open(&path)?;
    for night in 0..2 {
        // Night 2 drops the first tenth (fixed) and adds a tenth (new).
        let first = night * n / 10;
        let fingerprints: Vec<String> = (first..first + n).map(|i| format!("{i:016x}")).collect();
        let ids: Vec<String> = (first..first + n)
            .map(|i| format!("{}", 30_000_000 + i))
            .collect();
        let violations: Vec<Seen> = fingerprints
            .iter()
            .zip(&ids)
            .enumerate()
            .map(|(i, (fingerprint, id))| Seen {
                fingerprint,
                rule: ["overdue-task", "deal-without-task", "missing-phone"][i % 3],
                manager: &names[i % MANAGERS],
                entity_kind: "deal",
                entity_id: id,
                deal_id: Some(id),
                severity: "error",
                day_bound: false,
            })
            .collect();
        let as_of = format!("2026-11-2{}T02:00:00+03:00", night + 1);
        let run = Run {
            as_of: &as_of,
            rule_set: "bench",
            rule_set_hash: "0",
            tool_version: env!("CARGO_PKG_VERSION"),
            inputs: &[InputRows {
                path: "deals.csv",
                kind: "deals",
                rows: n as u64,
            }],
            violations: &violations,
            managers: &managers,
        };
        let start = Instant::now();
        let recorded = history.record(&run, |_| Outcome::Fixed)?;
        println!(
            "record night {}: {n} violations ({} fixed) in {:.3} s",
            night + 1,
            recorded.fixed.len(),
            start.elapsed().as_secs_f64()
        );
    }
    let start = Instant::now();
    let trend = history.trend(Subject::Manager(&names[0]), 14)?;
    println!(
        "trend of one manager: {} runs in {:.1} ms",
        trend.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    let start = Instant::now();
    let trend = history.trend(Subject::Department, 14)?;
    println!(
        "trend of the department: {} runs in {:.1} ms",
        trend.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

//! The history benchmark (`bench/run.sh history`): records fourteen nights
//! of N violations each (default 100 000, over 40 managers) into a fresh
//! history, each night with a tenth of the last night's fixed and a tenth
//! new, then reads the 14-run trend: one manager's, the department's, and
//! the whole report's (the department and every manager, as `audit
//! --history` reads it). Prints one line per step with its wall time and
//! exits 1 when a target is missed: recording a night under 1 s, reading
//! a trend under 100 ms.
//!
//!     cargo run --release --example history_bench -- [N] [FILE]

use crm_audit::history::{History, InputRows, ManagerRun, Outcome, Run, Seen, Subject};
use std::time::{Duration, Instant};

const MANAGERS: usize = 40;
const NIGHTS: usize = 14;
const RECORD_TARGET: Duration = Duration::from_secs(1);
const TREND_TARGET: Duration = Duration::from_millis(100);

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
            lead_violations: 0,
        })
        .collect();
    let mut history = History::open(&path)?;
    let mut slowest = Duration::ZERO;
    for night in 0..NIGHTS {
        // Each night drops the first tenth of the last (fixed) and adds a
        // tenth (new): 90% carry over as open.
        let first = night * n / 10;
        // A fingerprint is a hash: in the report's order (by manager, rule
        // and record) they come in no order of their own. Multiplying by
        // an odd number scatters them and keeps them distinct.
        let fingerprints: Vec<String> = (first..first + n)
            .map(|i| format!("{:016x}", (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)))
            .collect();
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
        let as_of = format!("2026-11-{:02}T02:00:00+03:00", night + 1);
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
        let took = start.elapsed();
        slowest = slowest.max(took);
        println!(
            "record night {:2}: {n} violations ({} new, {} fixed) in {:.3} s",
            night + 1,
            recorded
                .statuses
                .iter()
                .filter(|s| **s == crm_audit::history::Status::New)
                .count(),
            recorded.fixed.len(),
            took.as_secs_f64()
        );
    }
    let mut missed = Vec::new();
    if slowest > RECORD_TARGET {
        missed.push(format!(
            "recording took up to {:.3} s (target {:.0} s)",
            slowest.as_secs_f64(),
            RECORD_TARGET.as_secs_f64()
        ));
    }
    let mut measure = |what: &str, read: &mut dyn FnMut() -> anyhow::Result<usize>| {
        let start = Instant::now();
        let points = read()?;
        let took = start.elapsed();
        println!(
            "trend of {what}: {points} points in {:.1} ms",
            took.as_secs_f64() * 1000.0
        );
        if took > TREND_TARGET {
            missed.push(format!(
                "the trend of {what} took {:.1} ms (target {} ms)",
                took.as_secs_f64() * 1000.0,
                TREND_TARGET.as_millis()
            ));
        }
        anyhow::Ok(())
    };
    measure("one manager", &mut || {
        Ok(history.trend(Subject::Manager(&names[0]), NIGHTS)?.len())
    })?;
    measure("the department", &mut || {
        Ok(history.trend(Subject::Department, NIGHTS)?.len())
    })?;
    measure("the report (department and every manager)", &mut || {
        let mut points = history.trend(Subject::Department, NIGHTS)?.len();
        for name in &names {
            points += history.trend(Subject::Manager(name), NIGHTS)?.len();
        }
        Ok(points)
    })?;
    if !missed.is_empty() {
        anyhow::bail!("targets missed: {}", missed.join("; "));
    }
    println!("targets met: every night recorded under 1 s, every trend read under 100 ms");
    Ok(())
}

//! The JSON Lines format: one violation per line, each carrying the audit
//! moment and the rule set, so files of many nights load into one
//! warehouse table. The fields are the JSON report's `violations[]` ones.

use super::{Report, ViolationReport};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Line<'a> {
    as_of: &'a str,
    rule_set: &'a str,
    #[serde(flatten)]
    violation: &'a ViolationReport,
}

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    // A token at a time into a buffer of its own type (see `json`).
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    // Each violation made, written and dropped in turn.
    for violation in report.violations.iter() {
        let line = Line {
            as_of: &report.as_of,
            rule_set: &report.rule_set.name,
            violation: &violation,
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

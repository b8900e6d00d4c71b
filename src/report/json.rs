//! The JSON format: the report structure as it is, pretty-printed, with a
//! final newline. Documented field by field in the README.

use super::Report;
use std::io::Write;

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)?;
    Ok(())
}

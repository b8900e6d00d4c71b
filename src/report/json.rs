//! The JSON format: the report structure as it is, pretty-printed, with a
//! final newline. Documented field by field in the README.

use super::Report;
use std::io::{BufWriter, Write};

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    // serde_json writes a token at a time: into a buffer of its own type
    // each is a copy, where through `dyn Write` each was a call.
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, report)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

//! The JSON format: the report structure as it is, pretty-printed, with a
//! final newline. Documented field by field in the README.
//!
//! The violations, nearly all of a large report's bytes, are written on
//! every core: each is pretty-printed alone and indented to its depth in
//! the report, which gives the bytes of printing the report whole. The
//! rest of the report is printed around an empty list and the violations
//! put in its place.

use super::{Report, Violations};
use std::io::{BufWriter, Write};

/// Where the violations go in the printed report: a top-level key (the
/// only lines indented by two spaces that start with a quote; a line
/// break inside a string value is written `\n`).
const EMPTY_LIST: &[u8] = b"\n  \"violations\": []";
/// Each violation's lines are indented to its depth: two levels.
const INDENT: &[u8] = b"    ";

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    // serde_json writes a token at a time: into a buffer of its own type
    // each is a copy, where through `dyn Write` each was a call.
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    let shell = Report {
        violations: Violations::from(Vec::new()),
        ..report.clone()
    };
    let printed = serde_json::to_vec_pretty(&shell)?;
    let at = find(&printed, EMPTY_LIST)
        .ok_or_else(|| anyhow::anyhow!("the report printed without its violations key"))?;
    let (before, after) = printed.split_at(at + EMPTY_LIST.len() - b"[]".len());
    out.write_all(before)?;
    if report.violations.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[")?;
        let mut first = true;
        report.violations.write_in_chunks(
            |violation, bytes| {
                // serde_json puts the comma before each element but the
                // first; a run's first is given one and it comes off below.
                bytes.extend_from_slice(b",\n");
                bytes.extend_from_slice(INDENT);
                let alone = serde_json::to_vec_pretty(violation)?;
                indented(&alone, bytes);
                Ok(())
            },
            |run| {
                let run = if first { &run[1..] } else { run };
                first = false;
                out.write_all(run)?;
                Ok(())
            },
        )?;
        out.write_all(b"\n  ]")?;
    }
    out.write_all(&after[b"[]".len()..])?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// `printed` put after `bytes` with every line but its first indented
/// by [`INDENT`].
fn indented(printed: &[u8], bytes: &mut Vec<u8>) {
    let mut rest = printed;
    while let Some(at) = memchr::memchr(b'\n', rest) {
        bytes.extend_from_slice(&rest[..=at]);
        bytes.extend_from_slice(INDENT);
        rest = &rest[at + 1..];
    }
    bytes.extend_from_slice(rest);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::TestData;
    use crate::report::build;

    /// Fails naming where two long texts first differ.
    fn same(written: &str, whole: &str) {
        let at = written
            .bytes()
            .zip(whole.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(written.len().min(whole.len()));
        let near = |t: &str| t.as_bytes()[at.saturating_sub(40)..(at + 40).min(t.len())].to_vec();
        assert!(
            written == whole,
            "written and whole differ at byte {at}: {:?} against {:?}",
            String::from_utf8_lossy(&near(written)),
            String::from_utf8_lossy(&near(whole)),
        );
    }

    /// The report as `write` writes it, and as serde_json prints it whole.
    fn both_ways(company: &TestData) -> (String, String) {
        let data = company.linked();
        let as_of = crate::audit::testing::at("27.11.2026 02:00");
        let outcome = crate::audit::run(&data, &company.rules, as_of);
        let report = build(&data, &company.rules, &outcome, as_of, &[]).unwrap();
        let mut written = Vec::new();
        super::write(&report, &mut written).unwrap();
        let mut whole = serde_json::to_vec_pretty(&report).unwrap();
        whole.push(b'\n');
        (
            String::from_utf8(written).unwrap(),
            String::from_utf8(whole).unwrap(),
        )
    }

    #[test]
    fn violations_written_in_runs_print_as_the_whole_report_would() {
        // Two violations a deal: more than one run of violations, the last
        // one short.
        let mut company = TestData::new().deals_file(&["phones", "contact-name"]);
        for i in 0..1100 {
            company = company.deal(&(1000 + i).to_string(), "Счет", "Иванова", |d| {
                d.contact = None;
                d.phone = None;
            });
        }
        let (written, whole) = both_ways(&company);
        assert!(written.matches("\"fingerprint\"").count() > super::super::violations::CHUNK);
        same(&written, &whole);
    }

    #[test]
    fn a_report_without_violations_prints_an_empty_list() {
        let company = TestData::new().deals_file(&["phones", "contact-name"]);
        let (written, whole) = both_ways(&company);
        assert!(written.contains("\"violations\": []"), "{written}");
        same(&written, &whole);
    }
}

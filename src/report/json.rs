//! The JSON format: the report structure as it is, pretty-printed, with a
//! final newline. Documented field by field in the README.
//!
//! The violations, nearly all of a large report's bytes, are written on
//! every core: each alone as if at its depth in the report, by
//! `json_violation` (serde_json's bytes, without making the violation's
//! texts; its rare values through serde_json with `Nested`), which gives
//! the bytes of printing the report whole. The rest of the report is
//! printed around an empty list and the violations put in its place.

use super::{Report, Violations};
use std::io::{BufWriter, Write};

/// Where the violations go in the printed report: a top-level key (the
/// only lines indented by two spaces that start with a quote; a line
/// break inside a string value is written `\n`). This holds while every
/// part of the report is printed by serde_json, none as raw JSON text.
const EMPTY_LIST: &[u8] = b"\n  \"violations\": []";
/// A violation's depth in the report: an element of a top-level list.
const DEPTH: usize = 2;

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    // The pieces between the runs are small writes: one buffer for them.
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    let shell = Report {
        violations: Violations::from(Vec::new()),
        ..report.clone()
    };
    let printed = serde_json::to_vec_pretty(&shell)?;
    let at = memchr::memmem::find(&printed, EMPTY_LIST)
        .ok_or_else(|| anyhow::anyhow!("the report printed without its violations key"))?;
    let (before, after) = printed.split_at(at + EMPTY_LIST.len() - b"[]".len());
    out.write_all(before)?;
    if report.violations.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[")?;
        let mut first = true;
        report.violations.write_in_chunks(
            |violation, bytes, scratch| {
                // serde_json puts the comma before each element but the
                // first; a run's first is given one and it comes off below.
                bytes.extend_from_slice(b",\n");
                indent(bytes, DEPTH)?;
                super::json_violation::write(violation, DEPTH, bytes, scratch)
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

/// serde_json's pretty printing (two spaces a level) begun at a depth.
pub(super) struct Nested {
    depth: usize,
    /// Whether the list or object being closed had a value.
    has_value: bool,
}

impl Nested {
    pub(super) fn at(depth: usize) -> Self {
        Nested {
            depth,
            has_value: false,
        }
    }

    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        indent(out, self.depth)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

fn indent<W: ?Sized + Write>(out: &mut W, depth: usize) -> std::io::Result<()> {
    for _ in 0..depth {
        out.write_all(b"  ")?;
    }
    Ok(())
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
    fn violations_of_every_kind_print_as_the_whole_report_would() {
        // Deals (a budget, a CRM card), tasks of a deal (a due moment and
        // a lateness), a failed contact, a manager's day of calls (a date
        // and counts), reviewed calls (marks, a call type), managers whose
        // names JSON escapes; with and without a history. (Leads, which
        // the test data cannot make, take the same fields as deals; the
        // writer's unit tests cover every field and value.)
        let mut company = TestData::with_company_rules(
            "crm-url = \"https://crm.example/leads/{id}?from=\\\"audit\\\"\"\n",
        )
        .deals_file(&["phones", "contact-name", "budget"]);
        for (i, manager) in ["Иванова \"старшая\"", "Петров\\Сидоров", "Орлов\tН."]
            .iter()
            .enumerate()
        {
            let id = (2000 + i).to_string();
            company = company
                .deal(&id, "Счет", manager, |d| {
                    d.phone = None;
                    d.budget = Some(150_000.5 + i as f64);
                })
                .deal(&format!("{id}0"), "Отказ", manager, |d| {
                    d.reason = None
                });
        }
        company = company
            .tasks_file()
            .task(
                "T1",
                "2000",
                "Иванова \"старшая\"",
                Some("20.11.2026 10:00"),
                false,
            )
            .task("T2", "2001", "Петров\\Сидоров", Some("25.11.2026"), false)
            .done(
                "T3",
                "2002",
                "Орлов\tН.",
                "24.11.2026 12:30",
                "не дозвонился, \"занято\"",
            )
            .calls_file()
            .calls(
                "Иванова \"старшая\"",
                "26.11.2026 11:00",
                crate::value::Direction::Outgoing,
                3,
            )
            .reviews_file()
            .review(
                "C1",
                "Петров\\Сидоров",
                crate::model::CallType::Base,
                &["greeting"],
            )
            .review(
                "C2",
                "Орлов\tН.",
                crate::model::CallType::Inbound,
                &["rudeness"],
            );
        let data = company.linked();
        let as_of = crate::audit::testing::at("27.11.2026 02:00");
        let outcome = crate::audit::run(&data, &company.rules, as_of);
        let mut report = build(&data, &company.rules, &outcome, as_of, &[]).unwrap();
        let kinds: std::collections::BTreeSet<&str> = report
            .violations
            .iter()
            .map(|v| v.entity.kind.as_str())
            .collect();
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["call", "deal", "manager-day", "task"]
        );
        for history in [false, true] {
            if history {
                let statuses: Vec<_> = (0..report.violations.len())
                    .map(|i| match i % 3 {
                        0 => None,
                        1 => Some(crate::history::Status::New),
                        _ => Some(crate::history::Status::Open {
                            since: "2026-11-20T02:00:00+03:00".into(),
                            runs: i as u32,
                        }),
                    })
                    .collect();
                report.violations.set_statuses(&statuses);
            }
            let mut written = Vec::new();
            super::write(&report, &mut written).unwrap();
            let mut whole = serde_json::to_vec_pretty(&report).unwrap();
            whole.push(b'\n');
            let written = String::from_utf8(written).unwrap();
            assert!(written.contains("crm.example/leads/2000?from=\\\"audit\\\""));
            assert_eq!(written.contains("\"status\": \"open\""), history);
            same(&written, &String::from_utf8(whole).unwrap());
        }
    }

    #[test]
    fn a_report_without_violations_prints_an_empty_list() {
        let company = TestData::new().deals_file(&["phones", "contact-name"]);
        let (written, whole) = both_ways(&company);
        assert!(written.contains("\"violations\": []"), "{written}");
        same(&written, &whole);
    }
}

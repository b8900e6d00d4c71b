//! The JUnit XML format, which CI systems show natively: one test suite
//! per manager (worst first), one test case per rule; a rule the manager
//! violated fails, its failure listing each violation; a rule the inputs
//! did not allow to check, with no violation, is skipped with the reason.

use super::escape::html as xml;
use super::lang::words;
use super::{text, EntityKind, ManagerReport, Report, RuleInfo, ViolationReport};
use crate::lang::Lang;
use std::io::Write;

pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let rules = report.rules.len();
    let failures: usize = report
        .managers
        .iter()
        .map(|m| failed_rules(report, m))
        .sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="crm-audit" tests="{}" failures="{failures}" errors="0" time="0" timestamp="{}">"#,
        rules * report.managers.len(),
        xml(&report.as_of),
    )?;
    for m in &report.managers {
        write_suite(report, m, out)?;
    }
    writeln!(out, "</testsuites>")?;
    Ok(())
}

fn failed_rules(report: &Report, m: &ManagerReport) -> usize {
    report
        .rules
        .iter()
        .filter(|r| m.counts.get(r.name).copied().unwrap_or(0) > 0)
        .count()
}

fn write_suite(report: &Report, m: &ManagerReport, out: &mut dyn Write) -> anyhow::Result<()> {
    let name = xml(&m.name);
    let skipped = report
        .rules
        .iter()
        .filter(|r| {
            m.counts.get(r.name).copied().unwrap_or(0) == 0
                && report.not_checked.iter().any(|n| n.rule == r.name)
        })
        .count();
    writeln!(
        out,
        r#"  <testsuite name="{name}" tests="{}" failures="{}" errors="0" skipped="{skipped}" time="0" timestamp="{}">"#,
        report.rules.len(),
        failed_rules(report, m),
        xml(&report.as_of),
    )?;
    write_properties(report, m, out)?;
    for rule in &report.rules {
        write_case(report, m, rule, out)?;
    }
    writeln!(out, "  </testsuite>")?;
    Ok(())
}

/// The manager's workload figures and the run's notes.
fn write_properties(report: &Report, m: &ManagerReport, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "    <properties>")?;
    let mut property = |key: &str, value: String| {
        writeln!(
            out,
            r#"      <property name="{key}" value="{}"/>"#,
            xml(&value)
        )
    };
    property("deals_in_work", m.deals_in_work.to_string())?;
    if let Some(x) = m.violations_per_10_deals {
        property("violations_per_10_deals", x.to_string())?;
    }
    if let Some(x) = m.compliance_rate {
        property("compliance_rate", x.to_string())?;
    }
    for note in &report.notes {
        property("note", note.clone())?;
    }
    writeln!(out, "    </properties>")?;
    Ok(())
}

/// One rule for one manager: failed with each violation, skipped with
/// why it was not checked, or passed.
fn write_case(
    report: &Report,
    m: &ManagerReport,
    rule: &RuleInfo,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let case = format!(
        r#"    <testcase classname="{}" name="{} {}" time="0""#,
        xml(&m.name),
        xml(&rule.code),
        rule.name
    );
    let violations: Vec<_> = report
        .violations
        .slice()
        .iter()
        .filter(|v| v.manager == m.name && v.rule == rule.name)
        .collect();
    let not_checked: Vec<&str> = report
        .not_checked
        .iter()
        .filter(|n| n.rule == rule.name)
        .map(|n| n.reason.as_str())
        .collect();
    if !violations.is_empty() {
        writeln!(out, "{case}>")?;
        writeln!(
            out,
            r#"      <failure type="{}" message="{}: {} (clause {})">"#,
            rule.severity.as_str(),
            xml(&text::plural(violations.len(), "violation")),
            xml(&rule.summary),
            xml(&rule.clause),
        )?;
        for v in violations {
            writeln!(out, "{}", xml(&failure_line(v)))?;
        }
        writeln!(out, "      </failure>")?;
        writeln!(out, "    </testcase>")?;
    } else if !not_checked.is_empty() {
        writeln!(out, "{case}>")?;
        writeln!(
            out,
            r#"      <skipped message="not checked: {}"/>"#,
            xml(&not_checked.join("; "))
        )?;
        writeln!(out, "    </testcase>")?;
    } else {
        writeln!(out, "{case}/>")?;
    }
    Ok(())
}

/// A violation as a line of its failure: what, of which deal, the
/// message and the link to the CRM card.
fn failure_line(v: &ViolationReport) -> String {
    let deal = text::deal_of(&v.entity);
    let mut line = text::entity_label(&v.entity, words(Lang::En));
    if let (Some(id), true) = (deal.id, v.entity.kind != EntityKind::Deal) {
        line.push_str(&format!(" (deal {id})"));
    }
    if let Some(name) = deal.name {
        line.push_str(&format!(" «{name}»"));
    }
    line.push_str(&format!(": {}", v.message));
    if let Some(url) = &v.entity.url {
        line.push_str(&format!(" {url}"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

    #[test]
    fn a_suite_per_manager_and_a_case_per_rule() {
        let mut out = Vec::new();
        write(&sample::report(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("<testsuite ").count(), 2);
        assert_eq!(text.matches("<testcase ").count(), 6);
        assert!(text.contains(r#"<testsuites name="crm-audit" tests="6" failures="3""#));
        assert!(text.contains(r#"<failure type="warning" message="1 violation"#));
        // Иванова Мария: no quota violation, and the rule was not checked.
        assert_eq!(
            text.matches(r#"<skipped message="not checked: no call log among the inputs"/>"#)
                .count(),
            1
        );
    }
}

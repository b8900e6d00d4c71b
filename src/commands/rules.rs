//! `crm-audit rules` and `crm-audit explain RULE`: the active rule set in
//! words, so a head of sales can see what is checked and why, and a company
//! can check that its own rule file says what it means.

use super::Status;
use crate::rules::{describe, Rule, RuleSet};
use comfy_table::{presets, Table};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule file (TOML) to use instead of the built-in regulation.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Print the built-in regulation's TOML, the starting point of a
    /// company's own rule file.
    #[arg(long, conflicts_with = "rules")]
    pub show_builtin: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule's name or code (`overdue-task`, `CA001`).
    #[arg(value_name = "RULE")]
    pub rule: String,

    /// A rule file (TOML) to use instead of the built-in regulation.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
}

pub fn list(args: &RulesArgs, out: &mut dyn Write) -> anyhow::Result<Status> {
    if args.show_builtin {
        out.write_all(crate::rules::BUILTIN_RULES.as_bytes())?;
        return Ok(Status::Clean);
    }
    let rules = super::load_rules(args.rules.as_deref(), &[])?;
    write_list(&rules, out)?;
    Ok(Status::Clean)
}

pub fn explain(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<Status> {
    let rules = super::load_rules(args.rules.as_deref(), &[])?;
    let rule = rules.find(&args.rule).ok_or_else(|| {
        let known: Vec<&str> = rules.rules.iter().map(|r| r.name).collect();
        anyhow::anyhow!(
            "no rule `{}` in {}{}; `crm-audit rules` lists them",
            args.rule,
            rules.source,
            crate::rules::compile::nearest(&args.rule, known.iter().copied())
        )
    })?;
    write_explanation(&rules, rule, out)?;
    Ok(Status::Clean)
}

fn write_list(rules: &RuleSet, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "Rule set: {} ({})", rules.name, rules.source)?;
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["code", "rule", "clause", "severity", "what it means"]);
    for r in &rules.rules {
        table.add_row(vec![
            r.code.as_str(),
            r.name,
            r.clause.as_str(),
            r.severity.as_str(),
            r.summary.as_str(),
        ]);
    }
    writeln!(out, "{table}")?;
    if !rules.disabled.is_empty() {
        writeln!(out, "Switched off: {}", rules.disabled.join(", "))?;
    }
    let uncheckable: Vec<_> = rules
        .clauses
        .iter()
        .filter(|c| c.not_checkable.is_some())
        .collect();
    if !uncheckable.is_empty() {
        writeln!(out)?;
        writeln!(out, "Clauses no rule checks, and why:")?;
        for c in uncheckable {
            writeln!(
                out,
                "  {} ({}): {}",
                c.number,
                c.en,
                c.not_checkable.as_deref().unwrap_or("")
            )?;
        }
    }
    Ok(())
}

fn write_explanation(rules: &RuleSet, rule: &Rule, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{} {}: {}", rule.code, rule.name, rule.summary)?;
    writeln!(
        out,
        "Severity: {}. Clause: {}.",
        rule.severity.as_str(),
        rule.clause
    )?;
    writeln!(out)?;
    writeln!(out, "What it checks")?;
    writeln!(out, "{}", indent(&rule.explanation))?;
    for number in rule.clause.split(',').map(str::trim) {
        if let Some(clause) = rules.clause(number) {
            writeln!(out)?;
            writeln!(out, "Why: clause {number} of the regulation")?;
            writeln!(out, "{}", indent(&clause.ru))?;
            writeln!(out, "{}", indent(&clause.en))?;
        }
    }
    if !rule.fix.is_empty() {
        writeln!(out)?;
        writeln!(out, "How to fix")?;
        writeln!(out, "{}", indent(&rule.fix))?;
    }
    writeln!(out)?;
    writeln!(out, "As configured ({})", rules.source)?;
    writeln!(out, "  message: {}", rule.message.source())?;
    for (key, value) in describe::parameters(rules, &rule.check) {
        writeln!(out, "  {key}: {value}")?;
    }
    if rule.leads {
        writeln!(
            out,
            "  leads: judged too, each lead as a deal at its status ([leads])"
        )?;
    }
    let waivers: Vec<_> = rules
        .waivers
        .iter()
        .filter(|w| w.rule == rule.name)
        .collect();
    for w in waivers {
        writeln!(
            out,
            "  waiver: {}:{} until {} ({})",
            w.kind,
            w.id,
            w.until.format("%d.%m.%Y"),
            w.reason
        )?;
    }
    Ok(())
}

/// Text indented by two spaces, line by line.
fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(name: &str) -> String {
        let rules = RuleSet::builtin();
        let mut out = Vec::new();
        write_explanation(&rules, rules.find(name).unwrap(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn explain_gives_the_clause_in_both_languages_the_fix_and_the_parameters() {
        let text = explained("CA007");
        assert!(
            text.starts_with("CA007 daily-call-quota: A manager made fewer outgoing contacts"),
            "{text}"
        );
        assert!(
            text.contains(
                "Why: clause 2 of the regulation\n  Менеджер обязан выполнять дневной норматив"
            ),
            "{text}"
        );
        assert!(
            text.contains("  A manager must meet the daily quota of outgoing contacts"),
            "{text}"
        );
        assert!(
            text.contains("How to fix\n  The head of sales reviews the day"),
            "{text}"
        );
        assert!(text.contains("  at-least: 40\n"), "{text}");
        assert!(
            text.contains("  message: {count} outgoing contacts on {date}"),
            "{text}"
        );
    }

    #[test]
    fn a_rule_citing_two_clauses_gives_both() {
        let text = explained("call-script-stages");
        assert!(
            text.contains("Why: clause 1.1 of the regulation")
                && text.contains("Why: clause 1.2 of the regulation")
        );
    }

    #[test]
    fn the_list_names_every_rule_and_the_uncheckable_clauses() {
        let rules = RuleSet::builtin();
        let mut out = Vec::new();
        write_list(&rules, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for r in &rules.rules {
            assert!(
                text.contains(r.name) && text.contains(&r.code),
                "{}",
                r.name
            );
        }
        assert!(text.contains("1.3.1 (Confidence): A judgement"), "{text}");
    }
}

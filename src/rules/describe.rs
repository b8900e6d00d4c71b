//! Rules and conditions described in words, for `crm-audit explain`: what a
//! rule's check reads and the parameters it runs with, as configured.

use super::condition::Condition;
use super::fields::FieldCatalog;
use super::{Check, RuleSet};

/// The check's parameters as configured, one per line (each kind
/// describes its own: `checks::Kind::describe`).
pub fn parameters(rules: &RuleSet, check: &Check) -> Vec<(String, String)> {
    check.describe(rules)
}

/// A condition in words.
pub fn condition(rules: &RuleSet, catalog: &FieldCatalog, c: &Condition) -> String {
    let stage = |pipeline: super::PipelineId, p: u16| {
        let name = rules
            .stages_of(pipeline)
            .funnel
            .get(usize::from(p))
            .cloned()
            .unwrap_or_default();
        match rules.pipeline_name(pipeline) {
            Some(of) => format!("{name}» of pipeline «{of}"),
            None => name,
        }
    };
    let join = |list: &[Condition], word: &str| {
        let parts: Vec<String> = list.iter().map(|c| condition(rules, catalog, c)).collect();
        if parts.len() == 1 {
            parts[0].clone()
        } else {
            format!("({})", parts.join(word))
        }
    };
    match c {
        Condition::Always => "always".into(),
        Condition::InWork => "the deal is in work".into(),
        Condition::Won => "the deal is won".into(),
        Condition::Lost => "the deal is lost".into(),
        Condition::Open => "the task is open".into(),
        Condition::Completed => "the task is completed".into(),
        Condition::StageAtOrAfter(at) => {
            let names: Vec<String> = at
                .iter()
                .map(|(pipeline, p)| format!("«{}»", stage(*pipeline, *p)))
                .collect();
            format!("the stage is {} or later", names.join(" or "))
        }
        Condition::StageBefore(at) => {
            let names: Vec<String> = at
                .iter()
                .map(|(pipeline, p)| format!("«{}»", stage(*pipeline, *p)))
                .collect();
            format!("the stage is before {}", names.join(" or "))
        }
        Condition::StageIn(names) => format!("the stage is one of {}", names.join(", ")),
        Condition::Pipeline(name) => format!("the pipeline is «{name}»"),
        Condition::Empty(f) => format!("«{}» is empty", catalog.name(*f)),
        Condition::NotEmpty(f) => format!("«{}» is filled", catalog.name(*f)),
        Condition::Equals { slot, value } => {
            format!("«{}» is «{value}»", slot_name(catalog, *slot))
        }
        Condition::Matches { slot, pattern } => {
            format!(
                "«{}» matches {}",
                slot_name(catalog, *slot),
                pattern.as_str()
            )
        }
        Condition::All(list) => join(list, " and "),
        Condition::Any(list) => join(list, " or "),
        Condition::Not(inner) => format!("not {}", condition(rules, catalog, inner)),
    }
}

fn slot_name(catalog: &FieldCatalog, slot: usize) -> String {
    catalog
        .field_of_slot(slot)
        .map(|f| catalog.name(f).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_read_as_configured() {
        let rules = RuleSet::builtin();
        let params = |name: &str| parameters(&rules, &rules.rule(name).unwrap().check);
        assert_eq!(
            params("invoice-missing"),
            vec![
                ("entity".to_string(), "deal".to_string()),
                ("fields".to_string(), "«Номер счета»".to_string()),
                (
                    "when".to_string(),
                    "(the deal is in work and the stage is «Счет» or later)".to_string()
                ),
            ]
        );
        let quota = params("daily-call-quota");
        assert!(
            quota.contains(&("at-least".to_string(), "40".to_string())),
            "{quota:?}"
        );
        assert!(quota.contains(&(
            "days".to_string(),
            "1 working day(s) before the audit date".to_string()
        )));
        let stage = params("stage-missing-data");
        assert_eq!(
            stage.len(),
            7,
            "Квалификация and the six stages after it: {stage:?}"
        );
        assert!(
            stage[0].0.contains("Квалификация") && stage[0].1.starts_with("Рабочее давление, ")
        );
    }
}

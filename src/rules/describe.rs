//! Rules and conditions described in words, for `crm-audit explain`: what a
//! rule's check reads and the parameters it runs with, as configured.

use super::condition::Condition;
use super::fields::FieldCatalog;
use super::{Bound, Check, Counted, PhoneCountry, Record, RuleSet, Window};

/// The check kind's name and its parameters as configured, one per line.
pub fn parameters(rules: &RuleSet, check: &Check) -> Vec<(String, String)> {
    let deal = &rules.deal_fields;
    let catalog = |r: Record| match r {
        Record::Deal => &rules.deal_fields,
        Record::Task => &rules.task_fields,
    };
    let record = |r: Record| match r {
        Record::Deal => "deal",
        Record::Task => "task",
    };
    let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(", ");
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| out.push((k.to_string(), v));
    match check {
        Check::OverdueTask
        | Check::DealWithoutTask
        | Check::MissingPhone
        | Check::RefusalWithoutReason
        | Check::UnknownStage
        | Check::UnreadableValue => {}
        Check::StageMissingData => {
            let pipelines = std::iter::once((0, &rules.stages)).chain(
                rules
                    .pipelines
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ((i + 1) as super::PipelineId, &p.stages)),
            );
            for (pipeline, stages) in pipelines {
                let of = rules
                    .pipeline_name(pipeline)
                    .map_or(String::new(), |name| format!(" of pipeline «{name}»"));
                for (i, stage) in stages.funnel.iter().enumerate() {
                    let fields = stages.required_at(i as u16);
                    if !fields.is_empty() {
                        push(
                            &format!("required at «{stage}»{of}"),
                            list(&mut fields.iter().map(|f| deal.name(f).to_string())),
                        );
                    }
                }
            }
        }
        Check::InvalidPhone { country } => push(
            "country",
            match country {
                PhoneCountry::Ru => {
                    "ru (10 digits, or 11 starting with 7 or 8; 12–15: foreign)".into()
                }
                PhoneCountry::Any => "any (10 to 15 digits)".into(),
            },
        ),
        Check::NoFollowUp { patterns } => push(
            "failure-patterns",
            list(&mut patterns.iter().map(|p| format!("«{p}»"))),
        ),
        Check::CallScript { base, inbound } => {
            push("base", list(&mut base.iter().map(|f| f.key().to_string())));
            push(
                "inbound",
                list(&mut inbound.iter().map(|f| f.key().to_string())),
            );
        }
        Check::CallConduct { marks } => push(
            "marks",
            list(&mut marks.iter().map(|f| f.key().to_string())),
        ),
        Check::Required {
            record: r,
            fields,
            when,
        } => {
            push("entity", record(*r).into());
            push(
                "fields",
                list(&mut fields.iter().map(|f| format!("«{}»", catalog(*r).name(*f)))),
            );
            push("when", condition(rules, catalog(*r), when));
        }
        Check::InSet {
            record: r,
            field,
            values,
            when,
            ..
        } => {
            push("entity", record(*r).into());
            push("field", format!("«{}»", catalog(*r).name(*field)));
            push("values", list(&mut values.iter().map(|v| format!("«{v}»"))));
            push("when", condition(rules, catalog(*r), when));
        }
        Check::Pattern {
            record: r,
            field,
            pattern,
            when,
            ..
        } => {
            push("entity", record(*r).into());
            push("field", format!("«{}»", catalog(*r).name(*field)));
            push("pattern", pattern.as_str().to_string());
            push("when", condition(rules, catalog(*r), when));
        }
        Check::NotBeforeAsOf {
            record: r,
            field,
            when,
            ..
        } => {
            push("entity", record(*r).into());
            push("field", format!("«{}»", catalog(*r).name(*field)));
            push("when", condition(rules, catalog(*r), when));
        }
        Check::Ratio(p) => {
            push("numerator", format!("«{}»", deal.name(p.numerator)));
            push("denominator", format!("«{}»", deal.name(p.denominator)));
            if let Some(min) = p.min {
                push("min", min.to_string());
            }
            if let Some(max) = p.max {
                push("max", max.to_string());
            }
            push("when", condition(rules, deal, &p.when));
            if let Some(c) = &p.denominator_required_when {
                push("denominator-required-when", condition(rules, deal, c));
            }
        }
        Check::DailyCount(d) => {
            match &d.counted {
                Counted::OutgoingContacts {
                    answered_only,
                    min_duration_seconds,
                    letter_task_types,
                } => {
                    push(
                        "count",
                        "outgoing-contacts (outgoing calls + completed letter tasks)".into(),
                    );
                    push("answered-only", answered_only.to_string());
                    push("min-duration-seconds", min_duration_seconds.to_string());
                    push(
                        "letter-task-types",
                        list(
                            &mut letter_task_types
                                .iter()
                                .map(|t| format!("{t:?}").to_lowercase()),
                        ),
                    );
                }
                Counted::OpenTasksDue => push("count", "open-tasks-due".into()),
            }
            match d.bound {
                Bound::AtLeast(n) => push("at-least", n.to_string()),
                Bound::AtMost(n) => push("at-most", n.to_string()),
            }
            match d.window {
                Window::Back(n) => {
                    push("days", format!("{n} working day(s) before the audit date"))
                }
                Window::Ahead(n) => push(
                    "days-ahead",
                    format!("the audit date and {n} working day(s) after"),
                ),
            }
            let mut managers: Vec<_> = d.per_manager.iter().collect();
            managers.sort();
            for (name, n) in managers {
                push(&format!("per-manager «{name}»"), n.to_string());
            }
        }
    }
    out
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

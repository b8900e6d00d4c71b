//! Clause 7: a deal in work at or after a funnel stage that requires fields
//! carries all of them. Deals at a stage the rule set does not know are not
//! judged; a required field whose column is absent from a deal export is
//! not judged for that file.

use super::{deals_in_work, Details, Entity, Sink};
use crate::model::Dataset;
use crate::rules::stages::{FieldMask, StageClass};
use crate::rules::RuleSet;

pub(super) fn check(data: &Dataset, rules: &RuleSet, sink: &mut Sink) {
    let stages = &rules.stages;
    let mut unknown = 0usize;
    let mut absent: Vec<(u16, FieldMask)> = Vec::new();
    for (i, deal) in deals_in_work(data) {
        let stage = data.stage(deal);
        let position = match stage.matched.class {
            Some(StageClass::Funnel(p)) => p,
            Some(_) => continue,
            None => {
                unknown += 1;
                continue;
            }
        };
        let required = stages.required_at(position);
        if required.is_empty() {
            continue;
        }
        let present = data.file(deal.file).required_present;
        let not_in_file = required & !present;
        if !not_in_file.is_empty() && !absent.iter().any(|(f, _)| *f == deal.file) {
            absent.push((deal.file, not_in_file));
        }
        let missing = required & present & !deal.filled;
        if !missing.is_empty() {
            sink.violation(
                deal.manager,
                Entity::Deal(i),
                Details::MissingFields {
                    stage: deal.stage,
                    fields: missing,
                },
            );
        }
    }
    for (file, fields) in absent {
        let names: Vec<&str> = fields
            .iter()
            .map(|i| stages.required_fields[i].as_str())
            .collect();
        sink.not_checked(format!(
            "{}: no column for {}",
            data.file(file).path,
            names
                .iter()
                .map(|n| format!("«{n}»"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if unknown > 0 {
        sink.not_checked(format!(
            "{unknown} deal(s) at a stage the rule set does not know are not judged"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn from_qualification_on_the_twelve_fields_are_required() {
        let t = TestData::new()
            .deals_file(&[])
            .deal(
                "1",
                "Уточнение остатков на складе",
                "Иванова",
                |d| d.empty = vec!["Вентили"],
            )
            .deal("2", "Квалификация", "Иванова", |d| {
                d.empty = vec!["Вентили", "Рабочее давление"]
            })
            .deal(
                "3",
                "Документы подписаны, возвращены в офис",
                "Петров",
                |d| d.empty = vec!["Форма оплаты"],
            )
            .deal("4", "Счет", "Петров", |_| {})
            .deal(
                "5",
                "Успешно реализовано",
                "Петров",
                |d| d.empty = vec!["Вентили"],
            )
            .deal("6", "Неразобранное", "Петров", |d| {
                d.empty = vec!["Вентили"]
            });
        assert_eq!(
            t.run("stage-missing-data", "26.11.2026 10:00"),
            vec![
                // Listed in the rule set's order, not the order they were left empty.
                "deal:2 Иванова missing Рабочее давление, Вентили",
                "deal:3 Петров missing Форма оплаты"
            ]
        );
    }

    #[test]
    fn unknown_stages_and_absent_columns_are_not_judged() {
        let t = TestData::new()
            .deals_file(&[])
            .without_required_columns(&["Вентили"])
            .deal("1", "Квалификация", "Иванова", |d| {
                d.empty = vec!["Вентили"]
            })
            .deal("2", "Выставлен счёт", "Иванова", |d| {
                d.empty = vec!["Модель радиатора"]
            })
            .deal("3", "Счет", "Петров", |d| {
                d.empty = vec!["Вентили", "Аксессуары"]
            });
        assert_eq!(
            t.run("stage-missing-data", "26.11.2026 10:00"),
            vec!["deal:3 Петров missing Аксессуары"]
        );
        assert_eq!(
            t.not_checked("stage-missing-data", "26.11.2026 10:00"),
            vec![
                "1 deal(s) at a stage the rule set does not know are not judged",
                "deals.csv: no column for «Вентили»"
            ]
        );
    }
}

//! `stage-missing-data`, clause 7: a deal in work at or after a funnel stage that requires fields
//! carries all of them. Deals at a stage the rule set does not know are not
//! judged; a required field whose column is absent from a deal export is
//! not judged for that file.

use super::shared::{deals_in_work, fill, stage_detail, STAGE};
use super::{Described, Kind, Placeholder, Run, Param};
use crate::audit::{Entity, FieldName, Reason, Sink, Value};
use crate::model::Dataset;
use crate::rules::stages::{FieldMask, StageClass};
use crate::rules::RuleSet;

/// A deal in work lacking a field its stage requires (`[stages] required`).
#[derive(Debug, Clone)]
pub struct StageMissingData;

/// `{fields}`: the required fields left empty.
pub(super) const FIELDS: Placeholder = Placeholder::from_key("fields", "missing_fields");

impl Kind for StageMissingData {
    const NAME: &'static str = "stage-missing-data";
    const PARAMS: &'static [Param] = &[];
    const PLACEHOLDERS: &'static [Placeholder] = &[STAGE, FIELDS];

    fn compile(_: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(StageMissingData)
    }

    /// The fields each stage requires, from the rule set's stages.
    fn describe(&self, rules: &RuleSet, out: &mut Described) {
        let pipelines = std::iter::once((0, &rules.stages)).chain(
            rules
                .pipelines
                .iter()
                .enumerate()
                .map(|(i, p)| ((i + 1) as crate::rules::PipelineId, &p.stages)),
        );
        for (pipeline, stages) in pipelines {
            let of = rules
                .pipeline_name(pipeline)
                .map_or(String::new(), |name| format!(" of pipeline «{name}»"));
            for (i, stage) in stages.funnel.iter().enumerate() {
                let fields = stages.required_at(i as u16);
                if !fields.is_empty() {
                    let names: Vec<&str> = fields.iter().map(|f| rules.deal_fields.name(f)).collect();
                    out.push((format!("required at «{stage}»{of}"), names.join(", ")));
                }
            }
        }
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        check(cx.data, cx.rules, sink);
    }
}

fn check(data: &Dataset, rules: &RuleSet, sink: &mut Sink) {
    let catalog = &rules.deal_fields;
    let mut unknown = 0usize;
    let mut absent: Vec<(u16, FieldMask)> = Vec::new();
    for (i, deal) in deals_in_work(data) {
        let position = match data.stage(deal).matched.class {
            Some(StageClass::Funnel(p)) => p,
            Some(_) => continue,
            None => {
                unknown += 1;
                continue;
            }
        };
        let required = rules
            .stages_of(data.stage(deal).pipeline)
            .required_at(position);
        if required.is_empty() {
            continue;
        }
        let present = data.file(deal.file).fields_present;
        let not_in_file = required & !present;
        if !not_in_file.is_empty() && !absent.iter().any(|(f, _)| *f == deal.file) {
            absent.push((deal.file, not_in_file));
        }
        let missing = required & present & !deal.filled;
        if !missing.is_empty() {
            let names = missing
                .iter()
                .map(|f| catalog.name(f).to_string())
                .collect();
            sink.violation(
                deal.manager,
                Entity::Deal(i),
                vec![
                    stage_detail(data, deal),
                    fill(FIELDS, Value::List(names)),
                ],
            );
        }
    }
    for (file, fields) in absent {
        let names: Vec<FieldName> = fields
            .iter()
            .map(|i| FieldName::of(data, catalog, i, data.file(file)))
            .collect();
        sink.not_checked(Reason::NoColumnFor {
            file: data.file(file).path.clone(),
            columns: names,
        });
    }
    if unknown > 0 {
        sink.not_checked(Reason::UnknownStage(unknown));
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;

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
                "deal:2 Иванова stage=Квалификация missing_fields=Рабочее давление, Вентили",
                "deal:3 Петров stage=Документы подписаны, возвращены в офис missing_fields=Форма оплаты"
            ]
        );
    }

    #[test]
    fn unknown_stages_and_absent_columns_are_not_judged() {
        let t = TestData::new()
            .deals_file(&[])
            .without_columns(&["Вентили"])
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
            vec!["deal:3 Петров stage=Счет missing_fields=Аксессуары"]
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

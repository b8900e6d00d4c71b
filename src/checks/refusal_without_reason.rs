//! `refusal-without-reason`, clause 8: a lost deal states why the client
//! refused (in the reason column or in parentheses after the lost stage).
//! Without a reason column the rule is not checked: the reason may live
//! where the export cannot show.

use super::shared::deal_files_with;
use super::{Kind, Placeholder, Run, Param};
use crate::audit::{Column, Entity, Sink};
use crate::model::Dataset;
use crate::rules::columns::DealField;
use crate::rules::stages::StageClass;

/// A lost deal with no refusal reason.
#[derive(Debug, Clone)]
pub struct RefusalWithoutReason;

impl Kind for RefusalWithoutReason {
    const NAME: &'static str = "refusal-without-reason";
    const PARAMS: &'static [Param] = &[];
    const PLACEHOLDERS: &'static [Placeholder] = &[];

    fn compile(_: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(RefusalWithoutReason)
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        check(cx.data, sink);
    }
}

fn check(data: &Dataset, sink: &mut Sink) {
    let field = DealField::RefusalReason.index();
    if !deal_files_with(data, field, Column::RefusalReason, sink) {
        return;
    }
    for (i, deal) in data
        .deals
        .iter()
        .enumerate()
        .filter(|(_, d)| !data.is_lead(d))
    {
        let stage = data.stage(deal).matched;
        if stage.class == Some(StageClass::Lost)
            && !stage.reason_in_stage
            && data.file(deal.file).has(field)
            && !deal.has_refusal_reason
        {
            sink.violation(deal.manager, Entity::Deal(i), Vec::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;

    #[test]
    fn a_lost_deal_needs_a_reason_in_the_column_or_the_stage() {
        let t = TestData::new()
            .deals_file(&["refusal-reason"])
            .deal("1", "Закрыто и не реализовано", "Иванова", |_| {})
            .deal(
                "2",
                "Закрыто и не реализовано",
                "Иванова",
                |d| d.reason = Some("Дорого"),
            )
            .deal(
                "3",
                "Закрыто и не реализовано (Купили у конкурента)",
                "Петров",
                |_| {},
            )
            .deal("4", "Сделка провалена", "Петров", |d| d.reason = Some("  "))
            .deal("5", "Успешно реализовано", "Петров", |_| {})
            .deal("6", "Счет", "Петров", |_| {});
        assert_eq!(
            t.run("refusal-without-reason", "26.11.2026 10:00"),
            vec!["deal:1 Иванова", "deal:4 Петров"]
        );
    }

    #[test]
    fn without_a_reason_column_it_is_not_checked() {
        let t = TestData::new().deals_file(&[]).deal(
            "1",
            "Закрыто и не реализовано",
            "Иванова",
            |_| {},
        );
        assert!(t
            .run("refusal-without-reason", "26.11.2026 10:00")
            .is_empty());
        assert_eq!(
            t.not_checked("refusal-without-reason", "26.11.2026 10:00"),
            vec!["deals.csv: no refusal-reason column"]
        );
    }

    #[test]
    fn a_stage_in_no_list_is_unknown_final_stages_included() {
        let t = TestData::new()
            .deals_file(&[])
            .deal("1", "Выставлен счёт", "Иванова", |_| {})
            .deal("2", "", "Иванова", |_| {})
            .deal("3", "Закрыто и не реализовано (Дорого)", "Петров", |_| {})
            .deal("4", "Успешно реализовано", "Петров", |_| {})
            .deal("5", "неразобранное", "Петров", |_| {})
            .deal("6", "Успешно", "Петров", |_| {});
        assert_eq!(
            t.run("unknown-stage", "26.11.2026 10:00"),
            vec![
                "deal:1 Иванова stage=Выставлен счёт",
                "deal:2 Иванова stage=(empty)",
                "deal:6 Петров stage=Успешно"
            ]
        );
    }
}

//! A company with two pipelines audits both: a deal is judged by the stages
//! of the pipeline its `Воронка` names.

use crate::support::*;

#[test]
fn each_pipeline_by_its_own_stages() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("company.toml"),
        "extends = \"builtin\"\n\
         [[pipelines]]\nname = \"Бассейны\"\nfunnel = [\"Новый лид\", \"Замер\", \"Смета\"]\n\
         won = [\"Построен\"]\nlost = [\"Отказ\"]\n\
         [[pipelines.required]]\nfrom = \"Замер\"\nfields = [\"Объем чаши\"]\n",
    )
    .unwrap();
    std::fs::write(
        p.join("deals.csv"),
        "ID,Название сделки,Этап сделки,Воронка,Ответственный,Объем чаши,Ближайшая задача\n\
         1,Бассейн на даче,Смета,Бассейны,Иванова Мария,,28.11.2026\n\
         2,Бассейн в коттедже,Новый лид,Бассейны,Иванова Мария,,28.11.2026\n\
         3,Радиаторы,Квалификация,Бассейны,Петров Алексей,,28.11.2026\n\
         4,Бассейн закрыт,Построен,Бассейны,Петров Алексей,,\n\
         5,Радиаторы в дом,Новая заявка,Воронка продаж,Петров Алексей,,28.11.2026\n\
         6,Радиаторы закрыты,Построен,Воронка продаж,Петров Алексей,,\n",
    )
    .unwrap();
    let report = json_in(
        p,
        &["deals.csv", "--as-of", AS_OF, "--rules", "company.toml"],
    );
    // Deal 1 is at «Смета», after «Замер»: its pool volume is required.
    // Deal 2 («Новый лид») is before it. Deal 3's «Квалификация» is no stage
    // of «Бассейны»; deal 6's «Построен» is none of the sales funnel's.
    let missing = violations(&report, "stage-missing-data");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0]["entity"]["id"], "1");
    assert_eq!(
        missing[0]["details"]["missing_fields"],
        serde_json::json!(["Объем чаши"])
    );
    let mut unknown = ids(&report, "unknown-stage");
    unknown.sort();
    assert_eq!(unknown, ["3", "6"]);
    // Deal 4 is won in its pipeline: not in work, so it needs no task;
    // deal 6's stage is unknown in its pipeline, so it counts as in work.
    assert_eq!(ids(&report, "deal-without-task"), ["6"]);
}

//! Bitrix24's lead export: leads are recognised as leads, kept apart from
//! deals (an ID of both is two records), and judged only by the rules that
//! say `leads = true`: contact name and phone, a status the rule set does
//! not know, and an open task where a task list links tasks to leads.
//! `tests/fixtures/formats/README.md` reasons out every lead.

use crate::support::*;
use serde_json::Value;

fn formats(name: &str) -> String {
    format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// (rule, entity kind, entity ID) of every violation, sorted.
fn found(report: &Value) -> Vec<(String, String, String)> {
    let mut all: Vec<(String, String, String)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                text(&v["rule"]),
                text(&v["entity"]["kind"]),
                text(&v["entity"]["id"]),
            )
        })
        .collect();
    all.sort();
    all
}

fn triple(rule: &str, kind: &str, id: &str) -> (String, String, String) {
    (rule.to_string(), kind.to_string(), id.to_string())
}

/// A tracker's task list (the generic layout with Bitrix24's `Крайний срок`,
/// `Статус` and `CRM`) linking tasks to leads and to a deal by title:
/// 9001 open on lead 501, 9002 open on lead 503, 9003 done on lead 101,
/// 9004 open on deal 101 («Радиаторы для коттеджа»), and 9005 open on a
/// lead of that same title, which is no lead (only the deal has it).
const TASKS: &str = "\u{feff}\"ID\";\"Название\";\"Ответственный\";\"Крайний срок\";\"Статус\";\"CRM\"\n\
\"9001\";\"Перезвонить\";\"Иван Петров\";\"30.11.2026 18:00\";\"Ждет выполнения\";\"Лид: Заявка с сайта: радиаторы;\"\n\
\"9002\";\"Отправить КП\";\"Анна Смирнова\";\"28.11.2026 12:00\";\"Ждет выполнения\";\"Лид: Бассейн под ключ;\"\n\
\"9003\";\"Позвонить\";\"Анна Смирнова\";\"25.11.2026 12:00\";\"Завершена\";\"Лид: Теплый пол;\"\n\
\"9004\";\"Выставить счет\";\"Иван Петров\";\"01.12.2026 10:00\";\"Ждет выполнения\";\"Сделка: Радиаторы для коттеджа;\"\n\
\"9005\";\"Замер\";\"Иван Петров\";\"02.12.2026\";\"Ждет выполнения\";\"Лид: Радиаторы для коттеджа;\"\n";

/// A folder of the lead and the deal fixtures, and a task list if given.
fn leads_and_deals(tasks: Option<&str>) -> tempfile::TempDir {
    let leads = std::fs::read(formats("bitrix_leads.csv")).unwrap();
    let deals = std::fs::read(formats("bitrix_deals.csv")).unwrap();
    let mut files: Vec<(&str, &[u8])> = vec![("leads.csv", &leads), ("deals.csv", &deals)];
    if let Some(tasks) = tasks {
        files.push(("tasks.csv", tasks.as_bytes()));
    }
    folder_with(&files)
}

#[test]
fn a_lead_export_is_read_as_leads_and_judged_by_the_lead_rules() {
    let report = json(&[&formats("bitrix_leads.csv"), "--as-of", AS_OF]);
    let input = &report["inputs"][0];
    assert_eq!(input["kind"], "leads");
    assert_eq!(
        (input["rows"].as_u64(), input["audited"].as_u64()),
        (Some(7), Some(7))
    );
    // 502 has neither name nor phone; 503's only number is `123-45`; 506's
    // status is none of Bitrix24's defaults. The closed 504 and 505 lack
    // both too, and are judged by nothing.
    assert_eq!(
        found(&report),
        vec![
            triple("invalid-phone", "lead", "503"),
            triple("missing-contact-name", "lead", "502"),
            triple("missing-phone", "lead", "502"),
            triple("unknown-stage", "lead", "506"),
        ]
    );
    // No task list, and a lead export has no nearest-task column.
    assert_eq!(
        not_checked(&report, "deal-without-task"),
        [
            format!(
                "{}: no tasks file and no «Ближайшая задача» column",
                formats("bitrix_leads.csv")
            ),
            "no deal export among the inputs".to_string(),
        ]
    );
    // Leads are no deals of the workload.
    assert_eq!(
        report["totals"]["deals_in_work"], 0,
        "{:#}",
        report["totals"]
    );
}

#[test]
fn a_task_list_linking_leads_shows_which_leads_in_work_have_no_task() {
    let dir = leads_and_deals(Some(TASKS));
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    // Lead 101 and deal 101 are two records: neither file skips a row as a
    // repeat of the other.
    for (path, rows) in [("./leads.csv", 7), ("./deals.csv", 5)] {
        let i = input(&report, path);
        assert_eq!(i["audited"].as_u64(), Some(rows), "{i:#}");
    }
    let without: Vec<(String, String, String)> = found(&report)
        .into_iter()
        .filter(|(rule, _, _)| rule == "deal-without-task")
        .collect();
    // Deals in work: 101 has task 9004; 102 and 105 have none. Leads in
    // work: 501 and 503 have open tasks, 101's only task is done, 502 and
    // 506 have none. Task 9005's lead title is the deal's, not a lead's: it
    // gives deal 101 nothing and no lead either.
    assert_eq!(
        without,
        vec![
            triple("deal-without-task", "deal", "102"),
            triple("deal-without-task", "deal", "105"),
            triple("deal-without-task", "lead", "101"),
            triple("deal-without-task", "lead", "502"),
            triple("deal-without-task", "lead", "506"),
        ]
    );
    assert!(not_checked(&report, "deal-without-task").is_empty());
    let notes = &input(&report, "./tasks.csv")["notes"];
    assert!(
        notes
            .to_string()
            .contains("task 9005: «Радиаторы для коттеджа» matches no lead"),
        "{notes:#}"
    );
}

#[test]
fn a_task_list_that_cannot_name_a_lead_leaves_leads_unjudged_for_tasks() {
    // The generic task list links by deal ID only: a lead's task cannot be
    // told, so no lead is blamed for having none.
    let tasks = "ID,ID сделки,Ответственный,Срок,Выполнена\nT1,102,Иван Петров,30.11.2026,нет\n";
    let dir = leads_and_deals(Some(tasks));
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    let without: Vec<(String, String, String)> = found(&report)
        .into_iter()
        .filter(|(rule, _, _)| rule == "deal-without-task")
        .collect();
    assert_eq!(
        without,
        vec![
            triple("deal-without-task", "deal", "101"),
            triple("deal-without-task", "deal", "105"),
        ]
    );
    assert_eq!(
        not_checked(&report, "deal-without-task"),
        ["./leads.csv: no task list links tasks to leads (a tracker's CRM column)"]
    );
}

#[test]
fn a_company_switches_leads_off_per_rule_and_only_deal_rules_take_the_key() {
    let leads = std::fs::read(formats("bitrix_leads.csv")).unwrap();
    let dir = folder_with(&[
        ("leads.csv", &leads),
        (
            "company.toml",
            b"extends = \"builtin\"\n[rules.missing-phone]\nleads = false\n\
              [[waivers]]\nrule = \"unknown-stage\"\nentity = \"lead:506\"\n\
              reason = \"status added last week\"\nuntil = \"2026-12-31\"\n",
        ),
    ]);
    let report = json_in(
        dir.path(),
        &["leads.csv", "--rules", "company.toml", "--as-of", AS_OF],
    );
    assert_eq!(
        found(&report),
        vec![
            triple("invalid-phone", "lead", "503"),
            triple("missing-contact-name", "lead", "502"),
        ]
    );
    let dir = folder_with(&[
        ("leads.csv", &leads),
        (
            "company.toml",
            b"extends = \"builtin\"\n[rules.stage-missing-data]\nleads = true\n",
        ),
    ]);
    let e = error_of(
        dir.path(),
        &["leads.csv", "--rules", "company.toml", "--as-of", AS_OF],
    );
    assert!(
        e.contains("`leads` is not a parameter of rule stage-missing-data"),
        "{e}"
    );
}

#[test]
fn a_folder_of_leads_without_deals_is_audited() {
    let dir = folder_with(&[(
        "leads.csv",
        &std::fs::read(formats("bitrix_leads.csv")).unwrap()[..],
    )]);
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    assert_eq!(report["inputs"][0]["kind"], "leads");
    assert_eq!(found(&report).len(), 4);
    // The deal side says it had nothing to judge.
    assert!(not_checked(&report, "missing-phone")
        .contains(&"no deal export among the inputs".to_string()));
}

#[test]
fn explain_says_whether_a_rule_judges_leads() {
    let explain = |rule: &str| {
        let out = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
            .args(["explain", rule])
            .output()
            .expect("run crm-audit");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    assert!(explain("missing-phone").contains("  leads: judged too"));
    assert!(!explain("stage-missing-data").contains("leads"));
}

/// A tracker's task list with results: (ID, manager, due, status, CRM,
/// closed, result, created).
fn tracker(rows: &[[&str; 8]]) -> String {
    let mut out = String::from(
        "\"ID\";\"Ответственный\";\"Крайний срок\";\"Статус\";\"CRM\";\"Дата закрытия\";\"Результат\";\"Дата создания\"\n",
    );
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| format!("\"{c}\"")).collect();
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
    out
}

#[test]
fn a_task_naming_a_deal_and_its_lead_is_the_deals() {
    // 9001 failed on deal 102 at 10:05; 9002, set at 10:06, names deal 102
    // and the lead it came from: it is 102's follow-up, so no violation.
    let tasks = tracker(&[
        [
            "9001",
            "Иван Петров",
            "25.11.2026 10:00",
            "Завершена",
            "Сделка: Котельная для склада;",
            "25.11.2026 10:05",
            "Не дозвонился",
            "24.11.2026 09:00",
        ],
        [
            "9002",
            "Иван Петров",
            "30.11.2026 10:00",
            "Ждет выполнения",
            "Сделка: Котельная для склада; Лид: Котельная для склада;",
            "",
            "",
            "25.11.2026 10:06",
        ],
    ]);
    let dir = folder_with(&[
        (
            "deals.csv",
            &std::fs::read(formats("bitrix_deals.csv")).unwrap(),
        ),
        ("tasks.csv", tasks.as_bytes()),
    ]);
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    assert!(
        ids(&report, "no-follow-up").is_empty(),
        "{:#}",
        report["violations"]
    );
    assert!(!ids(&report, "deal-without-task").contains(&"102".to_string()));
}

#[test]
fn a_leads_task_is_no_deals_failed_contact() {
    // 9101 failed on lead 501 with nothing after it: no-follow-up judges
    // deals' tasks (it takes no `leads`), so it is not judged.
    let tasks = tracker(&[[
        "9101",
        "Иван Петров",
        "25.11.2026 10:00",
        "Завершена",
        "Лид: Заявка с сайта: радиаторы;",
        "25.11.2026 10:05",
        "Не дозвонился",
        "24.11.2026 09:00",
    ]]);
    let dir = leads_and_deals(Some(&tasks));
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    assert!(ids(&report, "no-follow-up").is_empty());
}

#[test]
fn lead_violations_are_no_part_of_violations_per_10_deals() {
    let dir = leads_and_deals(None);
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    let mut checked = 0;
    for m in report["managers"].as_array().unwrap() {
        let Some(per_10) = m["violations_per_10_deals"].as_f64() else {
            continue;
        };
        let deals = m["deals_in_work"].as_f64().unwrap();
        let of_deals = report["violations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["manager"] == m["name"] && v["entity"]["kind"] != "lead")
            .count() as f64;
        assert_eq!(per_10, (of_deals * 100.0 / deals).round() / 10.0, "{m:#}");
        checked += 1;
    }
    // Иван Петров has deals in work and lead violations (502, 506).
    assert!(checked > 0);
}

#[test]
fn a_person_named_only_on_leads_has_no_call_quota() {
    let leads = String::from_utf8(std::fs::read(formats("bitrix_leads.csv")).unwrap())
        .unwrap()
        .replace("\"Анна Смирнова\"", "\"Администратор Портала\"");
    let deals = "ID,Название сделки,Стадия сделки,Ответственный\n1,Котел,Новая,Иван Петров\n";
    let calls = call_log(&[("Иван Петров", "26.11.2026", "Исходящий", 40)]);
    let dir = folder_with(&[
        ("leads.csv", leads.as_bytes()),
        ("deals.csv", deals.as_bytes()),
        ("calls.csv", calls.as_bytes()),
    ]);
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    // Иван Петров made his 40 calls; the portal's administrator, named on
    // leads only, is no manager the quota judges.
    assert!(
        violations(&report, "daily-call-quota").is_empty(),
        "{:#}",
        report["violations"]
    );
}

#[test]
fn a_leads_cell_no_lead_rule_reads_blames_no_one() {
    let leads = "\"ID\";\"Статус\";\"Название лида\";\"Имя\";\"Мобильный телефон\";\"Ответственный\";\"Оплачено\"\n\
                 \"1\";\"В работе\";\"Котел\";\"Олег\";\"+7 916 222-33-44\";\"Иван Петров\";\"50%\"\n";
    let dir = folder_with(&[("leads.csv", leads.as_bytes())]);
    let report = json_in(dir.path(), &["leads.csv", "--as-of", AS_OF]);
    assert!(violations(&report, "unreadable-value").is_empty());
}

#[test]
fn leads_beside_a_broken_deal_export_or_another_crms_deals_stop_the_run() {
    let leads = std::fs::read(formats("bitrix_leads.csv")).unwrap();
    // A deal export whose stage header is misspelt is a stray: the leads
    // alone would look like a clean audit of deals.
    let broken = "ID,Название сделки,Стадия,Ответственный\n1,Котел,Новая,Иван Петров\n";
    let dir = folder_with(&[("leads.csv", &leads), ("deals.csv", broken.as_bytes())]);
    let e = error_of(dir.path(), &[".", "--as-of", AS_OF]);
    assert!(e.contains("no deal export among the inputs"), "{e}");
    // amoCRM's deals and Bitrix24's leads are two CRMs.
    let amo = "ID,Название сделки,Этап сделки,Ответственный\n1,Котел,Счет,Иван Петров\n";
    let dir = folder_with(&[("leads.csv", &leads), ("deals.csv", amo.as_bytes())]);
    let e = error_of(dir.path(), &[".", "--as-of", AS_OF]);
    assert!(e.contains("two CRMs"), "{e}");
}

#[test]
fn the_history_trend_counts_violations_per_10_deals_as_the_report_does() {
    let dir = leads_and_deals(None);
    let report = json_in(
        dir.path(),
        &[".", "--as-of", AS_OF, "--history", "history.sqlite"],
    );
    let trend = &report["history"]["trend"];
    for (m, t) in report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .zip(trend["managers"].as_array().unwrap())
    {
        assert_eq!(t["name"], m["name"]);
        let tonight = t["runs"].as_array().unwrap().last().unwrap();
        assert_eq!(
            tonight["per_10_deals"], m["violations_per_10_deals"],
            "{m:#}"
        );
    }
    let department = trend["department"].as_array().unwrap().last().unwrap();
    assert_eq!(
        department["per_10_deals"],
        report["totals"]["violations_per_10_deals"]
    );
    // And as the history keeps it, for the next night's chart.
    let out = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir.path())
        .args([
            "history",
            "--history",
            "history.sqlite",
            "--manager",
            "Иван Петров",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    let kept: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let petrov = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Иван Петров")
        .unwrap();
    assert!(petrov["lead_violations"].as_u64().unwrap() > 0);
    let last = kept.as_array().and_then(|p| p.last()).expect("one run");
    assert_eq!(
        last["per_10_deals"], petrov["violations_per_10_deals"],
        "{kept:#}"
    );
}

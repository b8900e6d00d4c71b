//! A small report built by hand, for the renderers' unit tests: two
//! managers, a deal, a task and a manager-day violation, one input file
//! with skipped rows, one rule not checked. Tests change its text to try
//! what exports may carry.

use super::*;
use crate::audit::details::detail;
use crate::audit::Value;
use crate::value::Moment;

fn at(year: i32, month: u32, day: u32, hour: u32) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(year, month, day)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn rule(name: &'static str, code: &str, severity: Severity) -> RuleInfo {
    RuleInfo {
        name,
        code: code.to_string(),
        clause: "4".to_string(),
        severity,
        summary: format!("{name} summary"),
        fix: format!("{name} fix"),
    }
}

fn counts(overdue: usize, phone: usize, quota: usize) -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("overdue-task", overdue),
        ("missing-phone", phone),
        ("daily-call-quota", quota),
    ])
}

pub(super) fn entity(kind: EntityKind, id: &str) -> EntityReport {
    EntityReport {
        kind,
        id: id.to_string(),
        name: None,
        deal_id: None,
        stage: None,
        budget: None,
        deal_name: None,
        deal_stage: None,
        url: None,
    }
}

fn violation(
    rule: &RuleInfo,
    manager: &str,
    entity: EntityReport,
    message: &str,
    details: DetailsReport,
) -> ViolationReport {
    ViolationReport {
        rule: rule.name,
        code: rule.code.clone(),
        clause: rule.clause.clone(),
        severity: rule.severity,
        manager: manager.to_string(),
        entity,
        message: message.to_string(),
        details,
        source: Some(SourceReport {
            file: "deals.csv".to_string(),
            row: 2,
        }),
        fingerprint: "0123456789abcdef".to_string(),
        status: None,
    }
}

pub fn report() -> Report<'static> {
    let rules = vec![
        rule("overdue-task", "CA001", Severity::Error),
        rule("missing-phone", "CA003", Severity::Error),
        rule("daily-call-quota", "CA007", Severity::Warning),
    ];
    let deal = EntityReport {
        name: Some("Радиаторы для дома".to_string()),
        stage: Some("Счет".to_string()),
        budget: Some(187000.0),
        url: Some("https://example.amocrm.ru/leads/detail/101".to_string()),
        ..entity(EntityKind::Deal, "101")
    };
    let task = EntityReport {
        deal_id: Some("101".to_string()),
        deal_name: Some("Радиаторы для дома".to_string()),
        deal_stage: Some("Счет".to_string()),
        url: Some("https://example.amocrm.ru/leads/detail/101".to_string()),
        ..entity(EntityKind::Task, "T-1")
    };
    let violations = vec![
        violation(
            &rules[0],
            "Петров Алексей",
            task,
            "task due 24.11.2026 15:00 is 2 d 11 h overdue",
            DetailsReport(vec![
                detail("due", Value::Moment(Moment::At(at(2026, 11, 24, 15)))),
                detail("late_minutes", Value::Minutes(3540)),
            ]),
        ),
        violation(
            &rules[1],
            "Петров Алексей",
            deal,
            "no phone number for the contact of the deal",
            DetailsReport::default(),
        ),
        violation(
            &rules[2],
            "Петров Алексей",
            entity(EntityKind::ManagerDay, "Петров Алексей/2026-11-26"),
            "31 outgoing contacts on 26.11.2026, quota 40 (29 calls, 2 letters)",
            DetailsReport(vec![
                detail("date", Value::Date(at(2026, 11, 26, 0).date())),
                detail("count", Value::Int(31)),
                detail("limit", Value::Int(40)),
                detail("calls", Value::Int(29)),
                detail("letters", Value::Int(2)),
            ]),
        ),
    ];
    let manager = |name: &str, errors, warnings, deals, per_10, rate, counts| ManagerReport {
        name: name.to_string(),
        errors,
        warnings,
        infos: 0,
        total: errors + warnings,
        deals_in_work: deals,
        violations_per_10_deals: per_10,
        compliance_rate: rate,
        counts,
        changes: None,
        lead_violations: 0,
    };
    Report {
        schema_version: SCHEMA_VERSION,
        language: crate::lang::Lang::En,
        tool: Tool {
            name: "crm-audit",
            version: "0.1.0",
        },
        as_of: "2026-11-27T02:00:00+03:00".to_string(),
        time_zone: "Europe/Moscow".to_string(),
        rule_set: RuleSetInfo {
            name: "Регламент".to_string(),
            source: "built-in rules/regulation.toml".to_string(),
        },
        inputs: vec![InputReport {
            path: "deals.csv".to_string(),
            kind: "deals",
            format: "csv",
            encoding: Some("UTF-8"),
            delimiter: Some(";".to_string()),
            sheet: None,
            header_row: 1,
            rows: 5,
            audited: 3,
            notes: Vec::new(),
            skipped: vec![SkipReport {
                reason: "blank row".to_string(),
                text: "blank row".to_string(),
                count: 2,
                rows: vec![4, 6],
            }],
        }],
        notes: Vec::new(),
        snapshots: Vec::new(),
        not_read: Vec::new(),
        stale: Vec::new(),
        not_checked: vec![NotCheckedReport {
            rule: "daily-call-quota",
            reason: "no call log among the inputs".to_string(),
            managers: Vec::new(),
        }],
        managers: vec![
            manager(
                "Петров Алексей",
                2,
                1,
                4,
                Some(7.5),
                Some(0.75),
                counts(1, 1, 1),
            ),
            manager(
                "Иванова Мария",
                0,
                0,
                2,
                Some(0.0),
                Some(1.0),
                counts(0, 0, 0),
            ),
        ],
        fix_first: vec![FixFirst {
            deal_id: "101".to_string(),
            name: "Радиаторы для дома".to_string(),
            manager: "Петров Алексей".to_string(),
            stage: "Счет".to_string(),
            budget: Some(187000.0),
            severity: Severity::Error,
            rules: vec!["overdue-task", "missing-phone"],
            url: Some("https://example.amocrm.ru/leads/detail/101".to_string()),
        }],
        totals: Totals {
            violations: 3,
            errors: 2,
            warnings: 1,
            infos: 0,
            managers_with_violations: 1,
            by_rule: counts(1, 1, 1),
            deals_in_work: 6,
            violations_per_10_deals: Some(5.0),
            compliance_rate: Some(0.833),
        },
        rules,
        violations: violations.into(),
        waivers: Vec::new(),
        manager_filter: None,
        history: None,
        masked: false,
    }
}

/// The sample with the deal's name (wherever it shows) set to `name`.
pub fn with_deal_name(name: &str) -> Report<'static> {
    let mut report = report();
    for v in report.violations.to_mut() {
        if v.entity.name.is_some() {
            v.entity.name = Some(name.to_string());
        }
        if v.entity.deal_name.is_some() {
            v.entity.deal_name = Some(name.to_string());
        }
    }
    for deal in &mut report.fix_first {
        deal.name = name.to_string();
    }
    report
}

/// The sample as a run recorded in a history, three runs in: Петров's
/// task and quota day are new tonight, his deal's missing phone has been
/// open since 25.11.2026 for 3 runs; Иванова's overdue task T-9 was fixed
/// after 2 runs since 25.11.2026; Петров's deal 205, missing a phone last
/// night, is gone from the inputs.
pub fn with_history() -> Report<'static> {
    use crate::history::{Status, TrendPoint, Vanished};
    use history::{HistoryReport, ManagerTrend, Trend};
    let mut report = report();
    let statuses = [
        Status::New,
        Status::Open {
            since: "2026-11-25T02:00:00+03:00".to_string(),
            runs: 3,
        },
        Status::New,
    ];
    let vanished =
        |rule: &str, manager: &str, kind: &str, id: &str, deal: &str, since: &str, runs| Vanished {
            fingerprint: format!("{rule}-{id}"),
            rule: rule.to_string(),
            manager: manager.to_string(),
            entity_kind: super::EntityKind::parse(kind).expect("a kind"),
            entity_id: id.to_string(),
            deal_id: Some(deal.to_string()),
            since: since.to_string(),
            runs,
        };
    let point = |run: i64, day: u32, violations, deals| {
        TrendPoint::new(
            run,
            &format!("2026-11-{day}T02:00:00+03:00"),
            violations,
            Some(deals),
        )
    };
    let trend = Trend {
        department: vec![point(1, 25, 4, 6), point(2, 26, 3, 6), point(3, 27, 3, 6)],
        managers: vec![
            ManagerTrend {
                name: "Петров Алексей".to_string(),
                runs: vec![point(1, 25, 2, 4), point(2, 26, 2, 4), point(3, 27, 3, 4)],
            },
            ManagerTrend {
                name: "Иванова Мария".to_string(),
                runs: vec![point(1, 25, 2, 2), point(2, 26, 1, 2), point(3, 27, 0, 2)],
            },
        ],
    };
    let history = HistoryReport {
        run: Some(3),
        baseline: None,
        fixed: vec![vanished(
            "overdue-task",
            "Иванова Мария",
            "task",
            "T-9",
            "102",
            "2026-11-25T02:00:00+03:00",
            2,
        )],
        gone: vec![vanished(
            "missing-phone",
            "Петров Алексей",
            "deal",
            "205",
            "205",
            "2026-11-26T02:00:00+03:00",
            1,
        )],
        not_judged: Vec::new(),
        incomplete: Vec::new(),
        trend: Some(trend),
    };
    history::annotate(&mut report, &statuses.map(Some), history);
    report
}

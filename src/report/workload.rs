//! Figures that put violations against the work a manager carries: deals
//! in work, violations per 10 deals, the share of deals in work with no
//! violation; and the "fix first" list of deals in work with the most
//! serious violations, the largest budgets at risk first.

use crate::audit::{Entity, Outcome};
use crate::model::{Dataset, ManagerId};
use crate::rules::{RuleSet, Severity};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// How many deals the "fix first" list holds at most.
pub const FIX_FIRST_LIMIT: usize = 20;

/// A deal to fix first.
#[derive(Debug, Clone, Serialize)]
pub struct FixFirst {
    pub deal_id: String,
    pub name: String,
    pub manager: String,
    pub stage: String,
    pub budget: Option<f64>,
    /// The most serious severity among its violations.
    pub severity: Severity,
    /// Its violations (of the deal and of its tasks), by rule name.
    pub rules: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Per manager: deals in work, and how many of them have a violation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Workload {
    pub deals_in_work: usize,
    pub deals_with_violations: usize,
    /// Violations of leads and of their tasks: no deal's, so no part of
    /// the violations per 10 deals.
    pub lead_violations: usize,
}

impl Workload {
    /// Violations per 10 deals in work, one decimal; `None` without deals.
    /// `violations` counts all of the manager's; those of leads are left out.
    pub fn per_10_deals(self, violations: usize) -> Option<f64> {
        let violations = violations.saturating_sub(self.lead_violations);
        (self.deals_in_work > 0)
            .then(|| round(violations as f64 * 10.0 / self.deals_in_work as f64, 1))
    }

    /// The workloads of several managers together.
    pub fn sum(loads: impl IntoIterator<Item = Workload>) -> Workload {
        loads
            .into_iter()
            .fold(Workload::default(), |a, b| Workload {
                deals_in_work: a.deals_in_work + b.deals_in_work,
                deals_with_violations: a.deals_with_violations + b.deals_with_violations,
                lead_violations: a.lead_violations + b.lead_violations,
            })
    }

    /// The share of deals in work with no violation, three decimals.
    pub fn compliance_rate(self) -> Option<f64> {
        (self.deals_in_work > 0).then(|| {
            let clean = self.deals_in_work - self.deals_with_violations;
            round(clean as f64 / self.deals_in_work as f64, 3)
        })
    }
}

fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// The deal (by index) a violation concerns: the deal itself, or the deal
/// of a task.
fn deal_of(data: &Dataset, entity: Entity) -> Option<usize> {
    match entity {
        Entity::Deal(i) => Some(i),
        Entity::Task(t) => data.tasks[t].deal(),
        Entity::Call(..) | Entity::LoggedCall(..) | Entity::ManagerDay(..) => None,
    }
}

/// Each violated deal with the rules of the violations that concern it,
/// as (deal, rule) pairs sorted by deal, then rule; a rule broken twice is
/// there twice. A sorted list where a map held a list per deal: at a
/// million deals the map and its lists were most of the report's time.
fn violated_deals(
    data: &Dataset,
    outcome: &Outcome,
    keep: Option<&HashSet<ManagerId>>,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = outcome
        .violations
        .iter()
        .filter(|v| keep.is_none_or(|k| k.contains(&v.manager)))
        .filter_map(|v| Some((deal_of(data, v.entity)?, v.rule)))
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Deals in work and those with violations, per manager.
pub fn workloads(data: &Dataset, outcome: &Outcome) -> HashMap<ManagerId, Workload> {
    let mut violated = vec![false; data.deals.len()];
    for v in &outcome.violations {
        if let Some(deal) = deal_of(data, v.entity) {
            violated[deal] = true;
        }
    }
    let mut loads: HashMap<ManagerId, Workload> = HashMap::new();
    // Leads are no deals of the workload (nor of the fix-first list).
    for (i, deal) in data
        .deals
        .iter()
        .enumerate()
        .filter(|(_, d)| !data.is_lead(d))
    {
        if data.stage(deal).matched.in_work() {
            let load = loads.entry(deal.manager).or_default();
            load.deals_in_work += 1;
            if violated[i] {
                load.deals_with_violations += 1;
            }
        }
    }
    for v in &outcome.violations {
        let lead = match v.entity {
            Entity::Deal(i) => data.is_lead(&data.deals[i]),
            Entity::Task(t) => data.tasks[t].to_lead,
            Entity::Call(..) | Entity::LoggedCall(..) | Entity::ManagerDay(..) => false,
        };
        if lead {
            loads.entry(v.manager).or_default().lead_violations += 1;
        }
    }
    loads
}

/// A deal ranked for the fix-first list: its index, its most serious
/// severity, its (deal, rule) pairs.
type Ranked<'p> = (usize, Severity, &'p [(usize, usize)]);

/// Deals in work with violations: the most serious first, then the largest
/// budget, then the most violations, then by ID.
pub fn fix_first(
    data: &Dataset,
    rules: &RuleSet,
    outcome: &Outcome,
    keep: Option<&HashSet<ManagerId>>,
) -> Vec<FixFirst> {
    // Ranked on each deal's figures; the texts are made for the few listed.
    let pairs = violated_deals(data, outcome, keep);
    let mut list: Vec<Ranked> = pairs
        .chunk_by(|a, b| a.0 == b.0)
        .map(|group| (group[0].0, group))
        .filter(|(i, _)| {
            !data.is_lead(&data.deals[*i]) && data.stage(&data.deals[*i]).matched.in_work()
        })
        .map(|(i, group)| {
            let severity = group
                .iter()
                .map(|&(_, r)| rules.rules[r].severity)
                .max()
                .unwrap_or(Severity::Info);
            (i, severity, group)
        })
        .collect();
    let budget = |i: usize| data.deals[i].budget.unwrap_or(0.0);
    // The deal's place last: the order is total, so choosing the first
    // few and sorting only them lists what sorting them all would.
    let rank = |(a, sa, ra): &Ranked, (b, sb, rb): &Ranked| {
        sb.cmp(sa)
            .then_with(|| budget(*b).total_cmp(&budget(*a)))
            .then_with(|| rb.len().cmp(&ra.len()))
            .then_with(|| {
                data.text(data.deals[*a].id)
                    .cmp(data.text(data.deals[*b].id))
            })
            .then_with(|| a.cmp(b))
    };
    if list.len() > FIX_FIRST_LIMIT {
        list.select_nth_unstable_by(FIX_FIRST_LIMIT - 1, rank);
        list.truncate(FIX_FIRST_LIMIT);
    }
    list.sort_by(rank);
    list.into_iter()
        .map(|(i, severity, group)| {
            let deal = &data.deals[i];
            let distinct: BTreeSet<usize> = group.iter().map(|&(_, r)| r).collect();
            FixFirst {
                deal_id: data.text(deal.id).to_string(),
                name: data.text(deal.name).to_string(),
                manager: data.manager_name(deal.manager).to_string(),
                stage: data.stage(deal).text.to_string(),
                budget: deal.budget,
                severity,
                rules: distinct.iter().map(|&r| rules.rules[r].name).collect(),
                url: rules
                    .crm_url
                    .as_ref()
                    .map(|t| t.render(|_| data.text(deal.id).to_string())),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_figures() {
        let load = Workload {
            deals_in_work: 8,
            deals_with_violations: 3,
            lead_violations: 0,
        };
        assert_eq!(load.per_10_deals(3), Some(3.8));
        // Two of five violations are leads': 3 per 8 deals.
        let with_leads = Workload {
            lead_violations: 2,
            ..load
        };
        assert_eq!(with_leads.per_10_deals(5), Some(3.8));
        assert_eq!(load.compliance_rate(), Some(0.625));
        let none = Workload::default();
        assert_eq!(none.per_10_deals(2), None);
        assert_eq!(none.compliance_rate(), None);
    }

    #[test]
    fn the_first_twenty_by_budget_then_id_of_more_ranked() {
        // 25 deals in work breaking the same rules, budgets 0, 1000, …,
        // 4000 five times over, added in the reverse of their IDs' order.
        let mut company =
            crate::audit::testing::TestData::new().deals_file(&["phones", "contact-name"]);
        for i in (0..25).rev() {
            company = company.deal(&(1000 + i).to_string(), "Счет", "Иванова", |d| {
                d.budget = Some(f64::from(i % 5) * 1000.0);
                d.contact = None;
                d.phone = None;
            });
        }
        let data = company.linked();
        let as_of = crate::audit::testing::at("27.11.2026 02:00");
        let outcome = crate::audit::run(&data, &company.rules, as_of);
        let listed: Vec<String> = fix_first(&data, &company.rules, &outcome, None)
            .into_iter()
            .map(|f| f.deal_id)
            .collect();
        let mut expected = Vec::new();
        for budget in [4, 3, 2, 1] {
            for i in (0..25).filter(|i| i % 5 == budget) {
                expected.push((1000 + i).to_string());
            }
        }
        assert_eq!(listed, expected);
    }
}

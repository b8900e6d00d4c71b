//! The report's order of violations, sorted in halves on two threads and
//! merged, against one stable sort of them all.

use super::{merged, place, report_order, sorted_in_halves, SortKey};
use crate::audit::testing::TestData;
use crate::audit::Violation;

#[test]
fn halves_sorted_apart_and_merged_give_the_order_of_one_sort() {
    // Deals without a phone or a
    // contact's name (two rules) of three managers, in the files' order,
    // some on the same row (two deal files); and manager-days, which all
    // stand at one place, so only their IDs order them.
    let managers = ["Иванова", "Петров", "Орлов"];
    let mut company = TestData::new().deals_file(&["phones", "contact-name"]);
    for i in 0..3000 {
        company = company.deal(
            &(10_000 + 7 * i % 3001).to_string(),
            "Счет",
            managers[i % 3],
            |d| {
                d.phone = None;
                d.contact = (i % 2 == 0).then_some("Клиент");
            },
        );
    }
    company = company.deals_file(&["phones", "contact-name"]);
    for i in 0..1500 {
        company = company.deal(
            &(90_000 - i).to_string(),
            "Счет",
            managers[i % 2],
            |d| {
                d.phone = None;
            },
        );
    }
    company = company.calls_file();
    for day in 16..=26 {
        for m in managers {
            let at = format!("{day}.11.2026 11:00");
            company = company.calls(m, &at, crate::value::Direction::Outgoing, 1);
        }
    }
    let data = company.linked();
    let as_of = crate::audit::testing::at("27.11.2026 02:00");
    let outcome = crate::audit::run(&data, &company.rules, as_of);
    let kept: Vec<&Violation> = outcome.violations.iter().collect();
    assert!(kept.len() > 6000, "{}", kept.len());
    assert!(kept
        .iter()
        .any(|v| matches!(v.entity, crate::audit::Entity::ManagerDay(..))));
    // Ranks that put the managers in another order than their ids.
    let rank: Vec<usize> = (0..data.managers.len()).rev().collect();
    let mut whole: Vec<(SortKey, &Violation)> = kept
        .iter()
        .map(|&v| {
            let (file, row) = place(&data, v.entity);
            ((rank[v.manager as usize], v.rule, file, row), v)
        })
        .collect();
    whole.sort_by(|a, b| report_order(&data, a, b));
    let expected: Vec<*const Violation> = whole.iter().map(|(_, v)| *v as *const _).collect();
    for halves in [true, false] {
        let merged: Vec<*const Violation> = sorted_in_halves(&data, &kept, &rank, halves)
            .into_iter()
            .map(|v| v as *const _)
            .collect();
        assert!(
            merged == expected,
            "halves {halves}: the order differs from one sort's"
        );
    }
}

#[test]
fn ties_keep_the_first_lists_items_first() {
    // Keys with many ties, each item with its place in the whole: the
    // halves sorted apart and merged give the order of one stable sort.
    let items: Vec<(u8, usize)> = (0..500).map(|i| ((i * 37 % 11) as u8, i)).collect();
    let (first, second) = items.split_at(230);
    let sorted = |part: &[(u8, usize)]| {
        let mut part = part.to_vec();
        part.sort_by_key(|(key, _)| *key);
        part
    };
    let merged = merged(sorted(first), sorted(second), |b, a| b.0 < a.0);
    assert_eq!(merged, sorted(&items));
}

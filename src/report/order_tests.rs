//! The report's order of violations, dealt into runs by manager and each
//! run sorted (on two threads or one), against one stable sort of them
//! all on the whole key.

use super::{entity_id, place, sorted_by_rank};
use crate::audit::testing::TestData;
use crate::audit::Violation;

#[test]
fn runs_sorted_apart_give_the_order_of_one_sort() {
    // Deals without a phone or a contact's name (two rules) of three
    // managers, in the files' order, some on the same row (two deal
    // files, the second's IDs before the first's); and five manager-days
    // of each manager, which all stand at one place, so only their IDs
    // order them.
    let managers = ["Иванова", "Петров", "Орлов"];
    let mut company = TestData::with_company_rules("[rules.daily-call-quota]\ndays = 5\n")
        .deals_file(&["phones", "contact-name"]);
    for i in 0..3000 {
        company = company.deal(
            &(50_000 + 7 * i % 3001).to_string(),
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
        company = company.deal(&(2_500 - i).to_string(), "Счет", managers[i % 2], |d| {
            d.phone = None;
        });
    }
    company = company.calls_file();
    for day in 16..=26 {
        for m in managers {
            let at = format!("{day}.11.2026 11:00");
            company = company.calls(m, &at, crate::value::Direction::Outgoing, 1);
        }
    }
    let mut data = company.linked();
    // The test company numbers rows on across files; an export's rows
    // start again at 2 in each file.
    let second = data.deals.last().map(|d| d.file);
    for deal in data.deals.iter_mut().filter(|d| Some(d.file) == second) {
        deal.row -= 3000;
    }
    let as_of = crate::audit::testing::at("27.11.2026 02:00");
    let outcome = crate::audit::run(&data, &company.rules, as_of);
    // Copies of some violations tie with them on every key: only the
    // stability of the sort orders them. And the list is shuffled, as no
    // rule finds its records, so that no run is in order beforehand.
    let copies: Vec<Violation> = outcome.violations.iter().step_by(7).cloned().collect();
    let mut kept: Vec<&Violation> = outcome.violations.iter().chain(&copies).collect();
    let n = kept.len();
    let mut shuffled: Vec<usize> = (0..n).collect();
    shuffled.sort_by_key(|&i| (i * 7919) % n);
    kept = shuffled.into_iter().map(|i| kept[i]).collect();
    assert!(kept.len() > 6000, "{}", kept.len());
    let days = (kept.iter())
        .filter(|v| matches!(v.entity, crate::audit::Entity::ManagerDay(..)))
        .count();
    assert!(days > managers.len(), "{days} manager-days");
    // Ranks that put the managers in another order than their ids.
    let rank: Vec<usize> = (0..data.managers.len()).rev().collect();
    let mut whole = kept.clone();
    whole.sort_by(|a, b| {
        let key = |v: &Violation| {
            let (file, row) = place(&data, v.entity);
            (rank[v.manager as usize], v.rule, file, row)
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| entity_id(&data, a.entity).cmp(&entity_id(&data, b.entity)))
    });
    let expected: Vec<*const Violation> = whole.iter().map(|v| *v as *const _).collect();
    for parallel in [true, false] {
        let sorted: Vec<*const Violation> = sorted_by_rank(&data, &kept, &rank, parallel)
            .into_iter()
            .map(|v| v as *const _)
            .collect();
        assert!(
            sorted == expected,
            "parallel {parallel}: the order differs from one sort's"
        );
    }
}

//! Whose calls are the ones a telephony log writes only as `EXT (Name)`
//! with a short name (Sipuni's `202 (Нурмагамбетова)`, `294 (Mega)`) when
//! no roster and no CRM column says who owns the extension.
//!
//! The name is a manager only when the deals and tasks name that manager:
//! the same full name, or one whole word (a surname) of exactly one
//! manager's name, with any initials beside it (`Нурмагамбетова А.`) the
//! first letters of that name's other words. Anything else is no one's: a
//! scenario, a person the deals never name, a surname two managers share.
//! Such a call is skipped with the reason and, when outgoing, kept aside
//! so its day is not judged for the quota; it is never counted under a
//! manager of its own, who would then be one person twice (the deals' full
//! name with 0 calls, the short name with all of them).
//!
//! Calls and deals are read in pieces at once, so this is settled when the
//! pieces are merged, with every deal and task known.

use super::reason::Skip;
use crate::model::{
    Call, CallRow, Dataset, LoggedCall, ManagerId, NoCaller, Unattributed, UnreadableCall,
    UNASSIGNED,
};
use crate::rules::roster::name_key;
use crate::value::Direction;
use std::collections::{BTreeSet, HashMap};

/// Which managers a name in brackets may be.
#[derive(Debug, PartialEq, Eq)]
enum Match {
    One(ManagerId),
    None,
    Several(Vec<ManagerId>),
}

/// Gives each kept `EXT (Name)` call its manager, or skips it; the row of
/// each call added to `data.calls` is added to `rows`, when kept.
pub(super) fn settle(data: &mut Dataset, mut rows: Option<&mut Vec<CallRow>>) {
    let calls = std::mem::take(&mut data.named_calls);
    if calls.is_empty() {
        return;
    }
    let names: Vec<(ManagerId, String)> = named_managers(data)
        .into_iter()
        .map(|m| (m, name_key(data.manager_name(m))))
        .collect();
    // A log repeats a handful of names over all its calls.
    let mut matches: HashMap<Box<str>, Match> = HashMap::new();
    for named in calls {
        let found = matches
            .entry(named.name.clone())
            .or_insert_with(|| matching(&names, &named.name));
        let (why, reason) = match found {
            Match::One(manager) => {
                match named.call {
                    LoggedCall::Read(call) => {
                        data.calls.push(Call {
                            manager: *manager,
                            ..call
                        });
                        if let Some(rows) = rows.as_deref_mut() {
                            rows.push(CallRow {
                                row: named.row,
                                phone: named.phone,
                                to_the_minute: named.to_the_minute,
                            });
                        }
                    }
                    LoggedCall::Unreadable(call) => data.unreadable_calls.push(UnreadableCall {
                        manager: *manager,
                        ..call
                    }),
                }
                continue;
            }
            Match::None => (
                NoCaller::UnknownName,
                Skip::UnknownName {
                    written: named.written.to_string(),
                    name: named.name.to_string(),
                },
            ),
            Match::Several(managers) => {
                let all = managers.iter().map(|&m| data.manager_name(m).to_string());
                (
                    NoCaller::AmbiguousName,
                    Skip::AmbiguousName {
                        written: named.written.to_string(),
                        name: named.name.to_string(),
                        managers: all.collect(),
                    },
                )
            }
        };
        let input = &mut data.files[usize::from(named.call.file())];
        input.audited -= 1;
        input.skip(reason, named.row);
        if named.call.direction() == Direction::Outgoing {
            data.unattributed_calls.push(Unattributed {
                date: named.call.date(),
                caller: named.written,
                why,
            });
        }
    }
}

/// The managers deals and tasks name as responsible, in id order.
fn named_managers(data: &Dataset) -> BTreeSet<ManagerId> {
    let unassigned = data.managers.get(UNASSIGNED);
    data.deals
        .iter()
        .filter(|d| !data.is_lead(d))
        .map(|d| d.manager)
        .chain(data.tasks.iter().map(|t| t.manager))
        .filter(|&m| Some(m) != unassigned)
        .collect()
}

pub(super) use crate::names::is_initial;

/// The manager of `managers` (id, `name_key` of the name) that `name` is:
/// the same full name, else the one whose name has `name` (a surname) as
/// a whole word, with the initials beside it (`Нурмагамбетова А.`) the
/// first letters of other words of that name; case ignored.
fn matching(managers: &[(ManagerId, String)], name: &str) -> Match {
    let key = name_key(name);
    if let Some(&(id, _)) = managers.iter().find(|(_, n)| *n == key) {
        return Match::One(id);
    }
    let (initials, words): (Vec<&str>, Vec<&str>) =
        key.split_whitespace().partition(|w| is_initial(w));
    let [surname] = words[..] else {
        // Two words or more that are no initials: only the full name.
        return Match::None;
    };
    let letters: Vec<char> = initials
        .iter()
        .flat_map(|i| i.chars().filter(|c| c.is_alphabetic()))
        .collect();
    let bears = |name: &str| {
        let words: Vec<&str> = name.split_whitespace().collect();
        // `Анна-Мария` has two first letters: `А.М.`
        let others = || {
            words
                .iter()
                .filter(|&&w| w != surname)
                .flat_map(|w| w.split('-'))
        };
        words.contains(&surname) && letters.iter().all(|&l| others().any(|w| w.starts_with(l)))
    };
    let bearers: Vec<ManagerId> = managers
        .iter()
        .filter(|(_, n)| bears(n))
        .map(|&(id, _)| id)
        .collect();
    match bearers.as_slice() {
        [] => Match::None,
        [one] => Match::One(*one),
        _ => Match::Several(bearers),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_initial, matching, Match};

    fn managers() -> Vec<(u32, String)> {
        [
            "Айгерим Нурмагамбетова",
            "Мария Иванова",
            "Ольга Иванова",
            "Петров",
            "Анна-Мария Кузнецова",
            "Динара Нурмагамбетова",
        ]
        .iter()
        .enumerate()
        .map(|(i, n)| (i as u32, crate::rules::roster::name_key(n)))
        .collect()
    }

    #[test]
    fn a_surname_of_one_manager_is_that_manager() {
        assert_eq!(matching(&managers(), "Кузнецова"), Match::One(4));
        // Case as the log writes it does not matter.
        assert_eq!(matching(&managers(), "кузнецова"), Match::One(4));
    }

    #[test]
    fn initials_tell_apart_managers_of_one_surname() {
        // Айгерим and Динара Нурмагамбетова: the surname alone is either's,
        // `А.` is Айгерим's first letter, `Д` Динара's, `К.` no one's.
        assert_eq!(
            matching(&managers(), "Нурмагамбетова"),
            Match::Several(vec![0, 5])
        );
        assert_eq!(matching(&managers(), "Нурмагамбетова А."), Match::One(0));
        assert_eq!(matching(&managers(), "А. Нурмагамбетова"), Match::One(0));
        assert_eq!(matching(&managers(), "Нурмагамбетова Д"), Match::One(5));
        assert_eq!(matching(&managers(), "Нурмагамбетова К."), Match::None);
        assert_eq!(matching(&managers(), "Кузнецова А.М."), Match::One(4));
        assert_eq!(matching(&managers(), "Иванова О."), Match::One(2));
    }

    #[test]
    fn initials_are_letters_with_dots_or_a_lone_letter() {
        assert!(is_initial("А."));
        assert!(is_initial("А.С."));
        assert!(is_initial("Д"));
        assert!(!is_initial("Мария"));
        assert!(!is_initial("Ст.Петербург."));
        assert!(!is_initial("Mega"));
    }

    #[test]
    fn the_same_full_name_beats_a_word_of_another() {
        // «Петров» is a manager of its own name: not a word of anyone else.
        assert_eq!(matching(&managers(), "Петров"), Match::One(3));
        assert_eq!(
            matching(&managers(), "Айгерим  Нурмагамбетова"),
            Match::One(0)
        );
    }

    #[test]
    fn a_shared_surname_or_a_part_of_a_word_is_not_guessed() {
        assert_eq!(matching(&managers(), "Иванова"), Match::Several(vec![1, 2]));
        // «Мария» is a whole word of one name only; «Анна» is only part
        // of the word «Анна-Мария», and «Mega» no one's.
        assert_eq!(matching(&managers(), "Мария"), Match::One(1));
        assert_eq!(matching(&managers(), "Анна"), Match::None);
        assert_eq!(matching(&managers(), "Mega"), Match::None);
        assert_eq!(matching(&managers(), "Нурмагамбет"), Match::None);
    }
}

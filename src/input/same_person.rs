//! One person, one manager: a name the deals write in full and a task list
//! or a call log writes another way (`Петров Алексей Викторович`, with the
//! patronymic; `Иванова М.`, with an initial) is one manager, named as the
//! CRM names them, when exactly one manager the CRM names fits
//! (`names::fits`). Each file whose names were so taken says so in its
//! notes; a name that two such managers fit is taken as neither, the file
//! says which two, and the outgoing calls under it leave their days
//! unjudged for the quota (they may be either's).
//!
//! The same spelling up to `names::name_key` is one manager already when
//! the pieces are merged. This settles the rest, once every file is read;
//! it must not touch a manager the deals name: the CRM's own spelling is
//! the person's name.

use super::reason::FileNote;
use crate::model::{Dataset, FileId, Interner, ManagerId, NoCaller, Unattributed, UNASSIGNED};
use crate::names::{fits, folded, name_key, Patronymic};
use crate::rules::columns::EntityKind;
use crate::rules::roster::Roster;
use crate::value::Direction;
use std::collections::BTreeSet;

/// How near a kind of file is to the CRM's list of managers: a deal (or
/// lead) export's names are the CRM's own, a task list's next, then the
/// rest (call logs, review sheets). A name is only ever taken as one
/// nearer the CRM, and spelt as the nearest file writes it.
pub(super) fn rank(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Deals | EntityKind::Leads => 0,
        EntityKind::Tasks => 1,
        EntityKind::Calls | EntityKind::Contacts | EntityKind::CallReviews => 2,
    }
}

/// Takes each manager written another way than a manager nearer the CRM
/// as that manager, where exactly one fits. A full name the same file (or
/// one as far from the CRM) writes is a person too: a short form both it
/// and a manager nearer the CRM fit is taken as neither. Names with two
/// different patronymics are two people: when both would be taken as one
/// manager, none of that manager's other forms is taken.
pub(super) fn settle(data: &mut Dataset) {
    let count = data.managers.len();
    if count < 2 {
        return;
    }
    let ranks = ranks(data);
    let keys: Vec<String> = (0..count as u32)
        .map(|m| name_key(data.manager_name(m)))
        .collect();
    let written: Vec<String> = (0..count as u32)
        .map(|m| folded(data.manager_name(m)))
        .collect();
    let is_full =
        |m: usize| written[m].split_whitespace().count() >= 2 && !written[m].contains('.');
    let mut taken_as: Vec<Option<ManagerId>> = vec![None; count];
    let mut ambiguous: Vec<(ManagerId, Vec<ManagerId>)> = Vec::new();
    for rank in 1..=2u8 {
        // Full names first, so that a short form's rivals are known as
        // whom they were taken for.
        let mut order: Vec<usize> = (0..count).filter(|&m| ranks[m] == Some(rank)).collect();
        order.sort_by_key(|&m| !is_full(m));
        for m in order {
            let mut candidates: BTreeSet<ManagerId> = (0..count)
                .filter(|&k| ranks[k].is_some_and(|r| r < rank) && fits(&written[m], &keys[k]))
                .map(|k| taken_as[k].unwrap_or(k as ManagerId))
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let rivals = (0..count)
                .filter(|&k| k != m && ranks[k] == Some(rank) && is_full(k))
                .filter(|&k| fits(&written[m], &keys[k]))
                .map(|k| taken_as[k].unwrap_or(k as ManagerId));
            candidates.extend(rivals);
            match candidates.len() {
                1 => taken_as[m] = candidates.first().copied(),
                _ => ambiguous.push((m as ManagerId, candidates.into_iter().collect())),
            }
        }
    }
    let namesakes = namesakes(&written, &mut taken_as);
    note(data, &taken_as, &ambiguous, &namesakes);
    leave_days_open(data, &ambiguous);
    leave_days_open(data, &namesakes);
    if taken_as.iter().any(Option::is_some) {
        renumber(data, &taken_as);
    }
}

/// The names taken as one manager among which two patronymics differ:
/// each of that manager's taken forms is untaken, listed with the
/// manager and the forms whose patronymics differ.
fn namesakes(
    written: &[String],
    taken_as: &mut [Option<ManagerId>],
) -> Vec<(ManagerId, Vec<ManagerId>)> {
    let targets: BTreeSet<ManagerId> = taken_as.iter().flatten().copied().collect();
    let mut out = Vec::new();
    for target in targets {
        let forms: Vec<usize> = (0..taken_as.len())
            .filter(|&m| taken_as[m] == Some(target))
            .collect();
        let patronymics: Vec<Option<Patronymic>> =
            forms.iter().map(|&m| Patronymic::of(&written[m])).collect();
        let differing: Vec<ManagerId> = (0..forms.len())
            .filter(|&i| {
                (0..forms.len()).any(|j| match (&patronymics[i], &patronymics[j]) {
                    (Some(a), Some(b)) => a.differs(b),
                    _ => false,
                })
            })
            .map(|i| forms[i] as ManagerId)
            .collect();
        if differing.is_empty() {
            continue;
        }
        for &m in &forms {
            taken_as[m] = None;
            let mut with: Vec<ManagerId> = vec![target];
            with.extend(differing.iter().copied().filter(|&d| d as usize != m));
            out.push((m as ManagerId, with));
        }
    }
    out
}

/// Names each manager of the inputs the roster does not know as written
/// by the roster's name of the one person that is another form of it
/// (`names::fits`, either way: `Козлова Анна` and the roster's `Козлова
/// Анна Сергеевна`, or its `Сидоров И.`), when that person fits no other
/// manager of the inputs and the manager no other person; the files say
/// so. The roster's days absent and quota then reach the manager.
pub(super) fn take_roster_names(data: &mut Dataset, roster: &Roster) {
    if roster.is_empty() {
        return;
    }
    let unassigned = data.managers.get(UNASSIGNED);
    let count = data.managers.len() as ManagerId;
    let named: BTreeSet<usize> = (0..count)
        .filter_map(|m| roster.find(data.manager_name(m)))
        .filter_map(|p| roster.people.iter().position(|q| std::ptr::eq(p, q)))
        .collect();
    let unknown: Vec<ManagerId> = (0..count)
        .filter(|&m| Some(m) != unassigned && roster.find(data.manager_name(m)).is_none())
        .collect();
    let mut fitting: Vec<BTreeSet<ManagerId>> = vec![BTreeSet::new(); roster.people.len()];
    for &m in &unknown {
        let (written, key) = (folded(data.manager_name(m)), name_key(data.manager_name(m)));
        for (alias, person) in roster.keys() {
            if !named.contains(&person) && (fits(&written, alias) || fits(alias, &key)) {
                fitting[person].insert(m);
            }
        }
    }
    let mut renames: Vec<(ManagerId, usize)> = Vec::new();
    for (person, managers) in fitting.iter().enumerate() {
        let [m] = managers.iter().copied().collect::<Vec<_>>()[..] else {
            continue;
        };
        if fitting.iter().filter(|f| f.contains(&m)).count() == 1 {
            renames.push((m, person));
        }
    }
    for (m, person) in renames {
        let name = roster.people[person].name.clone();
        let written = data.manager_name(m).to_string();
        for file in files_naming(data, m) {
            data.files[usize::from(file)]
                .notes
                .push(FileNote::NameTakenAs {
                    written: written.clone(),
                    manager: name.clone(),
                });
        }
        data.managers.rename(m, &name);
    }
}

/// Each manager's rank (`rank`) by the nearest file naming them; `None`
/// for the unassigned and for a name no record uses.
fn ranks(data: &Dataset) -> Vec<Option<u8>> {
    // Every record is looked at, millions of them, between reading and
    // the rules: each half of them on a thread of its own, their ranks
    // then joined.
    let (first, second) = data.manager_records_halved();
    let (others, mut ranks) =
        crate::parallel::both(|| nearest(data, second), || nearest(data, first));
    for (slot, other) in ranks.iter_mut().zip(others) {
        if let Some(r) = other {
            nearer(slot, r);
        }
    }
    if let Some(nobody) = data.managers.get(UNASSIGNED) {
        ranks[nobody as usize] = None;
    }
    ranks
}

/// Each manager's nearest rank among `records` (manager, file).
fn nearest(data: &Dataset, records: impl Iterator<Item = (ManagerId, FileId)>) -> Vec<Option<u8>> {
    let mut ranks: Vec<Option<u8>> = vec![None; data.managers.len()];
    for (m, file) in records {
        nearer(
            &mut ranks[m as usize],
            rank(data.files[usize::from(file)].kind),
        );
    }
    ranks
}

/// Keeps in `slot` the nearer of it and rank `r`.
fn nearer(slot: &mut Option<u8>, r: u8) {
    *slot = Some(slot.map_or(r, |old| old.min(r)));
}

/// The files (by index) whose records name manager `m`.
fn files_naming(data: &Dataset, m: ManagerId) -> BTreeSet<u16> {
    let deals = data.deals.iter().filter(|d| d.manager == m).map(|d| d.file);
    let tasks = data.tasks.iter().filter(|t| t.manager == m).map(|t| t.file);
    let calls = data.calls.iter().filter(|c| c.manager == m).map(|c| c.file);
    let unread = (data.unreadable_calls.iter())
        .filter(|c| c.manager == m)
        .map(|c| c.file);
    let reviews = data
        .reviews
        .iter()
        .filter(|r| r.manager == m)
        .map(|r| r.file);
    deals
        .chain(tasks)
        .chain(calls)
        .chain(unread)
        .chain(reviews)
        .collect()
}

/// Tells, in the notes of each file writing the name, which name was taken
/// as which manager, and which was not for fitting several.
fn note(
    data: &mut Dataset,
    taken_as: &[Option<ManagerId>],
    ambiguous: &[(ManagerId, Vec<ManagerId>)],
    namesakes: &[(ManagerId, Vec<ManagerId>)],
) {
    let mut notes: Vec<(u16, FileNote)> = Vec::new();
    for (m, target) in taken_as.iter().enumerate() {
        let Some(target) = *target else { continue };
        for file in files_naming(data, m as ManagerId) {
            notes.push((
                file,
                FileNote::NameTakenAs {
                    written: data.manager_name(m as ManagerId).to_string(),
                    manager: data.manager_name(target).to_string(),
                },
            ));
        }
    }
    for (m, candidates) in ambiguous {
        for file in files_naming(data, *m) {
            notes.push((
                file,
                FileNote::NameOfSeveral {
                    written: data.manager_name(*m).to_string(),
                    managers: candidates
                        .iter()
                        .map(|&c| data.manager_name(c).to_string())
                        .collect(),
                },
            ));
        }
    }
    for (m, with) in namesakes {
        let (manager, others) = with.split_first().expect("a manager and its namesakes");
        for file in files_naming(data, *m) {
            notes.push((
                file,
                FileNote::NamesakesDiffer {
                    written: data.manager_name(*m).to_string(),
                    manager: data.manager_name(*manager).to_string(),
                    others: others
                        .iter()
                        .map(|&c| data.manager_name(c).to_string())
                        .collect(),
                },
            ));
        }
    }
    for (file, note) in notes {
        data.files[usize::from(file)].notes.push(note);
    }
}

/// An outgoing call under a name several managers fit may be any of
/// theirs: its day is judged for no one, as a call of an unknown caller.
fn leave_days_open(data: &mut Dataset, ambiguous: &[(ManagerId, Vec<ManagerId>)]) {
    for (m, _) in ambiguous {
        let caller: Box<str> = data.manager_name(*m).into();
        let dates = data
            .calls
            .iter()
            .filter(|c| c.manager == *m && c.direction == Direction::Outgoing)
            .map(|c| Some(c.time.date()));
        let unread = data
            .unreadable_calls
            .iter()
            .filter(|c| c.manager == *m && c.direction == Direction::Outgoing)
            .map(|c| c.date);
        // A completed task of the name may be a letter of either person
        // (which task types are letters is the rule's to say): its day
        // is left open too.
        let letters = data
            .tasks
            .iter()
            .filter(|t| t.manager == *m && t.completed)
            .filter_map(|t| t.completed_at.get())
            .map(|at| Some(at.date()));
        let open: Vec<Unattributed> = dates
            .chain(unread)
            .chain(letters)
            .map(|date| Unattributed {
                date,
                caller: caller.clone(),
                why: NoCaller::AmbiguousName,
            })
            .collect();
        data.unattributed_calls.extend(open);
    }
}

/// Numbers the managers anew without those taken as another, in the
/// order they were first met, and gives every record its new number.
fn renumber(data: &mut Dataset, taken_as: &[Option<ManagerId>]) {
    let old = std::mem::take(&mut data.managers);
    let mut managers = Interner::default();
    let mut new_id: Vec<ManagerId> = vec![0; taken_as.len()];
    for (m, target) in taken_as.iter().enumerate() {
        if target.is_none() {
            new_id[m] = managers.intern(old.name(m as ManagerId));
        }
    }
    for (m, target) in taken_as.iter().enumerate() {
        if let Some(target) = *target {
            new_id[m] = new_id[target as usize];
        }
    }
    data.managers = managers;
    let id = |m: &mut ManagerId| *m = new_id[*m as usize];
    data.deals.iter_mut().for_each(|d| id(&mut d.manager));
    data.tasks.iter_mut().for_each(|t| id(&mut t.manager));
    data.calls.iter_mut().for_each(|c| id(&mut c.manager));
    data.unreadable_calls
        .iter_mut()
        .for_each(|c| id(&mut c.manager));
    data.reviews.iter_mut().for_each(|r| id(&mut r.manager));
}

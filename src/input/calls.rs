//! Call rows → `Call`. A call without a time or a direction cannot be
//! counted for any day: it is skipped with that reason, never guessed. A
//! time or duration that cannot be read (`вчера`, `abc`) is not guessed
//! either: the call is kept as an `UnreadableCall`, reported as its
//! unreadable-value finding and counted on no day, and the quota days it
//! may belong to are not judged (with `--strict`, an input error).
//!
//! Whose call it is: a telephony log names the caller of an outgoing call
//! (`Откуда`) and who answered an incoming one (`Кто ответил`), as an
//! extension (`202`), an extension with a name (Sipuni: `202
//! (Нурмагамбетова)`) or a name; a generic log names the manager. An
//! extension is the roster's person, else the person the log's CRM column
//! says owns it (`owners`), else (with no roster) the name written beside it when it
//! reads as a full name (`202 (Айгерим Нурмагамбетова)`); a shorter name
//! (`202 (Нурмагамбетова)`, `294 (Mega)`) waits until every file is read,
//! to be matched with the managers the deals and tasks name
//! (`named_calls`). An extension no one owns is no one's: the call is
//! skipped with that reason and kept aside, so the quota is not judged on
//! a day whose calls could not all be attributed. A name that is no
//! person's (a queue, a group, a scenario such as `envyz`) is no manager
//! either: its calls are skipped and `inspect` lists it.

use super::error::UnreadableCell;
use super::owners::LazyOwners;
use super::reason::Skip;
use super::row::Row;
use super::{memo, remember, Loader};
use crate::model::{
    Call, Dataset, FileId, LoggedCall, ManagerId, NamedCall, NoCaller, Unattributed, UnreadableCall,
};
use crate::rules::columns::CallField;
use crate::rules::values::{CallStatus, Classes, Words};
use crate::value::{self, is_format_char, normalize_name, Direction};
use std::borrow::Cow;

/// `210 Ирина Подшивалова` or `202 (Нурмагамбетова)`: the extension and
/// the name; `None` for anything else.
pub(super) fn extension_and_name(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (extension, rest) = text.split_at(digits);
    let rest = rest.trim();
    let name = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest)
        .trim();
    // A name starts with a letter: `74951234567` or `12:30` is no one.
    name.chars()
        .next()
        .is_some_and(char::is_alphabetic)
        .then_some((extension, name))
}

/// How a telephony log writes the employee of a call.
#[derive(Debug, PartialEq, Eq)]
enum Employee<'t> {
    /// `202`, or `202 (Нурмагамбетова)` with the name Sipuni adds.
    Extension(&'t str, Option<&'t str>),
    Name(&'t str),
}

fn employee(text: &str) -> Employee<'_> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return Employee::Extension(text, None);
    }
    match extension_and_name(text) {
        Some((extension, name)) if text.ends_with(')') => {
            Employee::Extension(extension, Some(name))
        }
        _ => Employee::Name(text),
    }
}

/// Whether a name reads as a person's: two or three words (`Дмитрий
/// Орлов`, `Иванова М. А.`), each starting with a capital letter and made
/// of letters, hyphens and dots. A scenario (`envyz`), a group (`Отдел
/// продаж`) or a single word does not. Invisible format characters (a
/// zero-width space pasted inside a surname) are no part of a name: it
/// is judged without them, as the managers' names are matched.
fn looks_like_a_person(name: &str) -> bool {
    let words: Vec<_> = visible_words(name).collect();
    (2..=3).contains(&words.len())
        && words.into_iter().all(|mut letters| {
            letters.next().is_some_and(char::is_uppercase)
                && letters.all(|c| c.is_alphabetic() || c == '-' || c == '.')
        })
}

/// The words of `name`, each as its characters but format characters;
/// a word of nothing else is none.
fn visible_words(name: &str) -> impl Iterator<Item = impl Iterator<Item = char> + '_> + '_ {
    name.split_whitespace()
        .filter(|word| word.chars().any(|c| !is_format_char(c)))
        .map(|word| word.chars().filter(|&c| !is_format_char(c)))
}

/// Whether a generic log's manager cell names a group, not a person:
/// words of which some start with a capital and some do not (`Очередь
/// продаж`, `Отдел продаж`). A name typed all in lower case (`мария
/// иванова`) or a login (`ivanova`) stays a name: the deals' managers
/// may match it.
fn reads_as_a_group(name: &str) -> bool {
    // Asked of every row of a generic log: one pass, nothing allocated.
    let (mut upper, mut lower) = (false, false);
    for mut letters in visible_words(name) {
        if letters.next().is_some_and(char::is_uppercase) {
            upper = true;
        } else {
            lower = true;
        }
        if upper && lower {
            return true;
        }
    }
    false
}

/// Whose call a telephony log's employee cell names.
enum Whose<'t> {
    Person(Cow<'t, str>),
    /// An extension no one is known to own.
    UnknownExtension,
    /// An extension with a name that is no full name (a surname, a
    /// scenario): whose it is depends on the managers of every file read.
    Named(&'t str),
    /// A name that is no person's.
    NoOne,
}

/// `whose`, owned, as the reader remembers it per file and cell.
#[derive(Debug, Clone)]
pub(super) enum Caller {
    /// The reader's manager, found once: a log's millions of rows each
    /// take the id, not the name to look up again. `hidden`: the name
    /// held format characters, counted for each row as `Loader::manager`
    /// counts them.
    Person {
        id: ManagerId,
        hidden: bool,
    },
    UnknownExtension,
    Named(Box<str>),
    NoOne,
}

/// `whose` of a cell of `file`, judged once per distinct cell.
fn caller(
    loader: &mut Loader,
    owners: &LazyOwners,
    file: FileId,
    written: &str,
) -> anyhow::Result<Caller> {
    if let Some(known) = loader.memo.callers.get(&file).and_then(|c| c.get(written)) {
        if let Caller::Person { hidden: true, .. } = known {
            loader.format_chars += 1;
        }
        return Ok(known.clone());
    }
    let judged = match whose(loader, owners, written)? {
        Whose::Person(name) => Caller::Person {
            id: loader.manager(&name),
            hidden: crate::value::has_format_chars(&name),
        },
        Whose::UnknownExtension => Caller::UnknownExtension,
        Whose::Named(name) => Caller::Named(name.into()),
        Whose::NoOne => Caller::NoOne,
    };
    loader
        .memo
        .callers
        .entry(file)
        .or_default()
        .insert(written.into(), judged.clone());
    Ok(judged)
}

fn whose<'t>(
    loader: &Loader,
    owners: &'t LazyOwners,
    written: &'t str,
) -> anyhow::Result<Whose<'t>> {
    let roster = &loader.rules.roster;
    Ok(match employee(written) {
        Employee::Extension(extension, name) => {
            if let Some(person) = roster.find(extension) {
                Whose::Person(Cow::Owned(person.name.clone()))
            } else if let Some(person) = name.and_then(|n| roster.find(n)) {
                Whose::Person(Cow::Owned(person.name.clone()))
            } else if let Some(owner) = owners.of(extension)? {
                Whose::Person(Cow::Borrowed(owner))
            } else if let Some(name) = name.filter(|_| roster.is_empty()) {
                // `Нурмагамбетова А.` is a surname with initials, no full
                // name: it is matched with the deals' managers too. Told
                // without format characters, as `looks_like_a_person`
                // judges the name (`А<U+200B>.` is an initial too).
                let initials = normalize_name(name)
                    .split_whitespace()
                    .any(super::named_calls::is_initial);
                if looks_like_a_person(name) && !initials {
                    Whose::Person(Cow::Borrowed(name))
                } else {
                    Whose::Named(name)
                }
            } else {
                Whose::UnknownExtension
            }
        }
        Employee::Name(name) if roster.find(name).is_some() || looks_like_a_person(name) => {
            Whose::Person(Cow::Borrowed(name))
        }
        Employee::Name(_) => Whose::NoOne,
    })
}

/// What the steps after the time and the direction need of a call row.
struct Facts {
    file: FileId,
    direction: Direction,
    /// `None` when the time cannot be read: the call may be any day's.
    date: Option<chrono::NaiveDate>,
    answered: Option<bool>,
}

/// Whose a call row is: a manager's (as written, or an extension's
/// person), or a short name that waits for the managers of every file.
enum Attribution<'a> {
    Manager(Cow<'a, str>),
    /// A telephony log's employee, judged once per cell.
    Person(ManagerId),
    Named(String),
}

pub(super) fn read(
    loader: &mut Loader,
    row: &Row,
    file: FileId,
    owners: &LazyOwners,
    for_inspection: bool,
) -> anyhow::Result<Option<Skip>> {
    // Cells read as values but that cannot be (`вчера` as a time, `abc`
    // as a duration), when the audit goes on without them.
    let mut unreadable = Vec::new();
    let time = loader.value(row.moment(CallField::Time.index()), &mut unreadable)?;
    if time.is_none() && unreadable.is_empty() {
        return Ok(Some(Skip::CallWithoutTime));
    }
    let time = time.map(|t| t.start());
    let direction = match direction(loader, row, for_inspection)? {
        Ok(direction) => direction,
        Err(skip) => return Ok(Some(skip)),
    };
    let facts = Facts {
        file,
        direction,
        date: time.map(|t| t.date()),
        answered: answered(loader, row, for_inspection),
    };
    let duration =
        if loader.needs.call_duration && !loader.blank_cell(row, CallField::Duration.index()) {
            loader.value(row.seconds(CallField::Duration.index()), &mut unreadable)?
        } else {
            None
        };
    let employee_field = match direction {
        Direction::Incoming => CallField::AnsweredBy,
        Direction::Outgoing | Direction::Internal => CallField::From,
    };
    let telephony = loader.manager_cell(row, employee_field.index());
    let attribution = match attribute(loader, owners, row, &facts, &telephony)? {
        Ok(attribution) => attribution,
        Err(skip) => return Ok(Some(skip)),
    };
    let manager = match &attribution {
        Attribution::Manager(employee) => loader.manager(employee),
        Attribution::Person(id) => *id,
        Attribution::Named(_) => 0,
    };
    let call = match time {
        Some(time) if unreadable.is_empty() => LoggedCall::Read(Call {
            time,
            manager,
            direction,
            answered: facts.answered,
            duration,
            file,
        }),
        _ => LoggedCall::Unreadable(unreadable_call(loader, row, &facts, manager, unreadable)?),
    };
    if for_inspection {
        count_deal_id(loader, row);
    }
    match attribution {
        // Counted as audited for now; `named_calls` may skip it yet.
        Attribution::Named(name) => {
            let seen = super::repeated_calls::call_row(row);
            loader.data.named_calls.push(NamedCall {
                call,
                name: name.into(),
                written: telephony.as_ref().into(),
                row: seen.row,
                phone: seen.phone,
                to_the_minute: seen.to_the_minute,
            })
        }
        Attribution::Manager(_) | Attribution::Person(_) => match call {
            LoggedCall::Read(call) => {
                loader.data.calls.push(call);
                // A call's copy in another log is told by these; with one
                // log there is none.
                if loader.needs.call_copies {
                    let seen = super::repeated_calls::call_row(row);
                    loader.data.call_rows.push(seen);
                }
            }
            LoggedCall::Unreadable(call) => loader.data.unreadable_calls.push(call),
        },
    }
    Ok(None)
}

/// The call's direction, or why the row is skipped without one. A word
/// no list knows stops an audit (the call may be outgoing); `inspect`
/// shows the word instead.
fn direction(
    loader: &mut Loader,
    row: &Row,
    for_inspection: bool,
) -> anyhow::Result<Result<Direction, Skip>> {
    let text = row.text(CallField::Direction.index());
    if text.is_empty() {
        return Ok(Err(Skip::CallWithoutDirection));
    }
    let words = &loader.rules.values.call_direction;
    let direction = memo(&mut loader.memo.directions, &text, || {
        Ok(words.classify(&text))
    })?;
    if let Some(direction) = direction {
        return Ok(Ok(direction));
    }
    if !for_inspection {
        row.parsed(CallField::Direction.index(), |text| {
            Err::<(), _>(unknown_direction(text, words))
        })?;
    }
    loader.unclassified(Direction::TABLE, "skipped", &text);
    Ok(Err(Skip::UnknownDirection(text.into_owned())))
}

/// Whether the call was answered, when a rule needs to know (or
/// `inspect` shows the words); `None` when the log does not say: no
/// status column, or a status cell empty or holding only a blank word.
fn answered(loader: &mut Loader, row: &Row, for_inspection: bool) -> Option<bool> {
    let text = row.text(CallField::Status.index());
    let blank = loader.blank_cell(row, CallField::Status.index());
    if (loader.needs.call_status || for_inspection) && !blank {
        let words = &loader.rules.values.call_status;
        let status = remember(&mut loader.memo.statuses, &text, || words.classify(&text));
        if status.is_none() {
            loader.unclassified(CallStatus::TABLE, "not answered", &text);
        }
        Some(status == Some(CallStatus::Answered))
    } else {
        None
    }
}

/// Whose the call is, from the telephony log's employee cell, else the
/// generic log's manager; or why the row is skipped (an extension no one
/// owns, a name that is no person's).
fn attribute<'a>(
    loader: &mut Loader,
    owners: &LazyOwners,
    row: &Row<'a>,
    facts: &Facts,
    telephony: &str,
) -> anyhow::Result<Result<Attribution<'a>, Skip>> {
    if telephony.is_empty() {
        let generic = loader.manager_cell(row, CallField::Manager.index());
        let is_extension = !generic.is_empty() && generic.bytes().all(|b| b.is_ascii_digit());
        if is_extension && loader.rules.roster.find(&generic).is_none() {
            return Ok(Err(unknown_extension(
                loader,
                facts.direction,
                facts.date,
                &generic,
            )));
        }
        if generic.is_empty() && facts.direction == Direction::Outgoing {
            // Anyone's call: the day's counts are not complete.
            set_aside(loader, facts.direction, facts.date, "", NoCaller::Unnamed);
            return Ok(Err(Skip::CallWithoutManager));
        }
        // A queue or a group in the manager column is no manager, as in a
        // telephony log's employee cell.
        if reads_as_a_group(&generic) && loader.rules.roster.find(&generic).is_none() {
            return Ok(Err(no_one(loader, facts, &generic)));
        }
        return Ok(Ok(Attribution::Manager(generic)));
    }
    Ok(match caller(loader, owners, facts.file, telephony)? {
        Caller::Person { id, .. } => Ok(Attribution::Person(id)),
        Caller::UnknownExtension => Err(unknown_extension(
            loader,
            facts.direction,
            facts.date,
            telephony,
        )),
        Caller::Named(name) => Ok(Attribution::Named(normalize_name(&name))),
        Caller::NoOne => Err(no_one(loader, facts, telephony)),
    })
}

/// Accounts a call by a name that is no person's (a queue); the reason.
fn no_one(loader: &mut Loader, facts: &Facts, written: &str) -> Skip {
    *loader.data.not_people.entry(written.into()).or_default() += 1;
    set_aside(
        loader,
        facts.direction,
        facts.date,
        written,
        NoCaller::NotAPerson,
    );
    Skip::NotAPerson(written.to_string())
}

/// A call with a cell that cannot be read, kept to be reported.
fn unreadable_call(
    loader: &mut Loader,
    row: &Row,
    facts: &Facts,
    manager: ManagerId,
    cells: Vec<UnreadableCell>,
) -> anyhow::Result<UnreadableCall> {
    Ok(UnreadableCall {
        // The merge names a call without an ID by its file and line.
        id: loader.keep(row, &row.text(CallField::Id.index()))?,
        manager,
        direction: facts.direction,
        date: facts.date,
        answered: facts.answered,
        cells,
        file: facts.file,
        row: row.number(),
    })
}

/// Counts the deal a call names, for `inspect`'s check of the IDs.
fn count_deal_id(loader: &mut Loader, row: &Row) {
    let deal = row.text(CallField::DealId.index());
    if !deal.is_empty() {
        *loader
            .data
            .call_deal_ids
            .entry(deal.as_ref().into())
            .or_default() += 1;
    }
}

/// Accounts a call from an extension no one is known to own; the reason.
fn unknown_extension(
    loader: &mut Loader,
    direction: Direction,
    date: Option<chrono::NaiveDate>,
    written: &str,
) -> Skip {
    set_aside(loader, direction, date, written, NoCaller::UnknownExtension);
    Skip::UnknownExtension(written.to_string())
}

/// Keeps an outgoing call no manager can be given aside: someone made it,
/// so its day's counts are not complete (an incoming one changes none).
fn set_aside(
    loader: &mut Loader,
    direction: Direction,
    date: Option<chrono::NaiveDate>,
    caller: &str,
    why: NoCaller,
) {
    if direction == Direction::Outgoing {
        loader.data.unattributed_calls.push(Unattributed {
            date,
            caller: caller.into(),
            why,
        });
    }
}

/// A call log none of whose calls could be read whole is the wrong file
/// or a wrong mapping, not a night's odd cell: the run ends with the first
/// unreadable cell, as `--strict` would have.
pub(super) fn check_some_readable(data: &Dataset) -> anyhow::Result<()> {
    for (index, file) in data.files.iter().enumerate() {
        let mut unreadable = data
            .unreadable_calls
            .iter()
            .filter(|c| usize::from(c.file) == index);
        let Some(first) = unreadable.next() else {
            continue;
        };
        if file.audited > 1 + unreadable.count() as u64 {
            continue;
        }
        let cell = super::first_cell(&first.cells);
        anyhow::bail!("{cell} (no call of {} could be read whole)", file.path);
    }
    Ok(())
}

/// Why a direction no `[values.call-direction]` list has stops the audit.
fn unknown_direction(text: &str, words: &Words<Direction>) -> value::ValueError {
    let known = words.words().into_iter().map(|(_, w)| w.to_string());
    value::ValueError::NotA {
        written: value::Written::Whole(text.to_string()),
        kind: value::Expected::Direction {
            known: known.collect(),
            table: Direction::TABLE,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{employee, extension_and_name, looks_like_a_person, Employee};

    #[test]
    fn sipuni_writes_an_employee_three_ways() {
        assert_eq!(employee("210"), Employee::Extension("210", None));
        assert_eq!(
            employee("202 (Нурмагамбетова)"),
            Employee::Extension("202", Some("Нурмагамбетова"))
        );
        assert_eq!(
            employee("294 (Mega)"),
            Employee::Extension("294", Some("Mega"))
        );
        assert_eq!(employee("Дмитрий Орлов"), Employee::Name("Дмитрий Орлов"));
        assert_eq!(employee("envyz"), Employee::Name("envyz"));
    }

    #[test]
    fn the_crm_column_names_an_extensions_owner() {
        assert_eq!(
            extension_and_name("210 Ирина Подшивалова"),
            Some(("210", "Ирина Подшивалова"))
        );
        assert_eq!(extension_and_name("Ирина Подшивалова"), None);
        assert_eq!(extension_and_name("74951234567"), None);
        assert_eq!(extension_and_name(""), None);
    }

    #[test]
    fn a_generic_logs_group_is_told_from_a_name() {
        assert!(super::reads_as_a_group("Очередь продаж"));
        assert!(super::reads_as_a_group("Отдел продаж"));
        assert!(!super::reads_as_a_group("Иванова Мария"));
        assert!(!super::reads_as_a_group("мария иванова"));
        assert!(!super::reads_as_a_group("Иванова М. А."));
        assert!(!super::reads_as_a_group("ivanova"));
        // A format character before a capital hides nothing.
        assert!(!super::reads_as_a_group("\u{200B}Иванова Мария"));
        assert!(!super::reads_as_a_group("Иванова \u{2060} Мария"));
        assert!(super::reads_as_a_group("Отдел \u{200B}продаж"));
    }

    #[test]
    fn queues_groups_and_scenarios_are_no_people() {
        assert!(looks_like_a_person("Дмитрий Орлов"));
        assert!(looks_like_a_person("Иванова М. А."));
        assert!(looks_like_a_person("Анна-Мария Кузнецова"));
        assert!(!looks_like_a_person("envyz"));
        assert!(!looks_like_a_person("Отдел продаж"));
        assert!(!looks_like_a_person("Mega"));
        assert!(!looks_like_a_person("Очередь 1"));
    }

    #[test]
    fn a_name_is_judged_without_its_format_characters() {
        // A zero-width space inside a word, before one, and as a word of
        // its own; a soft hyphen and a word joiner.
        assert!(looks_like_a_person("Ива\u{200B}нова Мария"));
        assert!(looks_like_a_person("\u{200B}Иванова Мария"));
        assert!(looks_like_a_person("Иванова \u{200B} Мария"));
        assert!(looks_like_a_person("Кузне\u{AD}цова Анна\u{2060}"));
        // Still no person: one word, or a group, however written.
        assert!(!looks_like_a_person("Ива\u{200B}нова"));
        assert!(!looks_like_a_person("Отдел \u{200B}продаж"));
    }
}

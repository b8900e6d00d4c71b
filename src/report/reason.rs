//! The "not checked" reasons and the notes of an audit, put into words in
//! the report's language. The audit hands them over as data
//! (`audit::Reason`, `audit::Note`); this is the one place that writes
//! them, one function per language. The English texts are those the
//! reports have always shown: scripts and snapshots read them.

use crate::audit::details::review_label;
use crate::audit::{Column, FieldName, Note, RatioGap, Reason};
use crate::checks::per_manager::Hint;
use crate::lang::plural::{plural, Forms};
use crate::lang::Lang;
use crate::model::NoCaller;
use crate::rules::columns::EntityKind;
use chrono::{Datelike, NaiveDate};

/// A reason in `lang`.
pub fn reason_text(reason: &Reason, lang: Lang) -> String {
    match lang {
        Lang::En => english(reason),
        Lang::Ru => russian(reason),
    }
}

/// A note in `lang`.
pub fn note_text(note: &Note, lang: Lang) -> String {
    match (note, lang) {
        (
            Note::PerManagerUnmatched {
                rule,
                name,
                nearest,
            },
            Lang::En,
        ) => match nearest {
            Hint::Several(managers) => format!(
                "{rule}: per-manager «{name}» fits {} managers, {}: not applied to either",
                managers.len(),
                managers.join(" and ")
            ),
            Hint::Typo(n) => format!(
                "{rule}: per-manager «{name}» is no manager of the inputs; not applied; did you mean «{n}»?"
            ),
            Hint::None => {
                format!("{rule}: per-manager «{name}» is no manager of the inputs; not applied")
            }
        },
        (
            Note::PerManagerUnmatched {
                rule,
                name,
                nearest,
            },
            Lang::Ru,
        ) => match nearest {
            Hint::Several(managers) => format!(
                "{rule}: per-manager «{name}» подходит к {} менеджерам, {}: настройка не применена ни к кому из них",
                managers.len(),
                managers.join(" и ")
            ),
            Hint::Typo(n) => format!(
                "{rule}: в per-manager «{name}» — не менеджер из входных файлов; настройка не применена; может быть, «{n}»?"
            ),
            Hint::None => format!(
                "{rule}: в per-manager «{name}» — не менеджер из входных файлов; настройка не применена"
            ),
        },
        (Note::WaiverOfSeveral { name, managers }, Lang::En) => format!(
            "waiver manager-day «{name}» fits {} managers, {}: it waives the day of neither",
            managers.len(),
            managers.join(" and ")
        ),
        (Note::WaiverOfSeveral { name, managers }, Lang::Ru) => format!(
            "исключение manager-day «{name}» подходит к {} менеджерам, {}: день не исключён ни для кого из них",
            managers.len(),
            managers.join(" и ")
        ),
        (Note::CalendarEstimated(year), Lang::En) => format!(
            "calendar for {year} estimated from the Labour Code: add the decree's transfers to the rule set"
        ),
        (Note::CalendarEstimated(year), Lang::Ru) => format!(
            "календарь на {year} год рассчитан по Трудовому кодексу: добавьте в правила переносы выходных из постановления правительства"
        ),
    }
}

/// `no column for «A», «B»`.
fn no_column_for(names: &[String]) -> String {
    format!("no column for {}", names.join(", "))
}

fn day(d: &NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

// Long by design: one arm per variant of the closed `Reason` enum.
fn english(reason: &Reason) -> String {
    match reason {
        Reason::NoDealExport => "no deal export among the inputs".into(),
        Reason::NoTasksFile => "no tasks file among the inputs".into(),
        Reason::NoCallLog => "no call log among the inputs".into(),
        Reason::NoReviewSheet => "no call-review sheet among the inputs".into(),
        Reason::NoFileOf(kind) => format!("no {} file among the inputs", kind.as_str()),
        Reason::NoCalls => "the call log has no calls".into(),
        Reason::NoColumn { file, column } => {
            let what = match column {
                Column::Phone => "phone",
                Column::RefusalReason => "refusal-reason",
                Column::Result => "result",
                Column::CompletionDate => "completion-date",
                Column::NearestTask => "tasks file and no «Ближайшая задача»",
            };
            format!("{file}: no {what} column")
        }
        Reason::NoColumnFor { file, columns } => {
            let names: Vec<String> = columns.iter().map(FieldName::english).collect();
            format!("{file}: {}", no_column_for(&names))
        }
        Reason::NoReviewColumn { file, columns } => {
            let names: Vec<String> = columns
                .iter()
                .map(|f| review_label(*f, Lang::En).to_string())
                .collect();
            format!("{file}: {}", no_column_for(&names))
        }
        Reason::Ratio { file, gap } => {
            let gap = match gap {
                RatioGap::Both(n, d) => no_column_for(&[n.english(), d.english()]),
                RatioGap::Denominator(d) => no_column_for(&[d.english()]),
                RatioGap::NumeratorWhereRequired(n, d) => {
                    let (n, d) = (n.english(), d.english());
                    format!(
                        "no column for {n}: {n} / {d} is not checked, only that {d} is filled where required"
                    )
                }
                RatioGap::Numerator(n) => no_column_for(&[n.english()]),
            };
            format!("{file}: {gap}")
        }
        Reason::ConditionUnknown { records, fields } => format!(
            "{records} record(s) not judged: the condition reads {fields}, which their file lacks"
        ),
        Reason::UnknownStage(n) => {
            format!("{n} deal(s) at a stage the rule set does not know are not judged")
        }
        Reason::EmptyValue { records, field } => {
            let field = field.english();
            format!("{records} record(s) not judged: {field} is empty")
        }
        Reason::NoLeadLink { file } => {
            format!("{file}: no task list links tasks to leads (a tracker's CRM column)")
        }
        Reason::NoDealColumn { file } => {
            format!("{file}: no deal column, so its tasks cannot be matched to deals")
        }
        Reason::DealsTaskUnreadable(n) => format!(
            "{n} deal(s) not judged: a task of theirs may be open or done (an unreadable value)"
        ),
        Reason::DealsTitleShared(n) => format!(
            "{n} deal(s) not judged: a task names their title, which several deals share"
        ),
        Reason::FailedUndated(n) => {
            format!("{n} failed contact(s) not judged: completed with no completion date")
        }
        Reason::FailedUnsure(n) => format!(
            "{n} failed contact(s) not judged: another task of the deal has an unreadable value"
        ),
        Reason::FailedUnknownDeal(n) => format!(
            "{n} failed contact(s) not judged: their deal is not among the deals read"
        ),
        Reason::LetterUnreadable(n) => format!(
            "{n} manager(s) not judged: a letter task of theirs has an unreadable value"
        ),
        Reason::CallTimeUnreadable(n) => format!(
            "{n} manager(s) not judged on any day: an outgoing call of theirs has a time that cannot be read"
        ),
        Reason::CallValueUnreadable { day: d, managers } => format!(
            "{} not judged for {managers} manager(s): an outgoing call of theirs has a value that cannot be read",
            day(d)
        ),
        Reason::CallOutcomeUnknown { day: d, managers } => format!(
            "{} not judged for {managers} manager(s): some of their outgoing calls have no status or duration, and without them the quota is not reached",
            day(d)
        ),
        Reason::NoCallThatDay(d) => format!(
            "{} not judged: the call log has no call at all that day (a missing file, or an outage?)",
            day(d)
        ),
        Reason::Idle(names) => format!(
            "{} not judged: no deal in work, no open task and no call on the days judged (a former employee?); a person of the managers roster is always judged",
            names.join(", ")
        ),
        Reason::LettersNotCounted => "letters are not counted (no task list among the inputs): the quota is judged on calls alone".into(),
        Reason::LettersNotCountedIn { file } => format!(
            "{file}: letters are not counted (no task-type or completion-date column): the quota is judged on calls alone"
        ),
        Reason::NoCalendar(d) => format!(
            "{} not judged: the rule set has no production calendar for {}",
            day(d),
            d.year()
        ),
        Reason::OutsideLog { day: d, first, last } => format!(
            "{} not judged: the call log covers {} to {}",
            day(d),
            day(first),
            day(last)
        ),
        Reason::UnknownCallers {
            day: d,
            calls,
            why,
            callers,
        } => {
            let callers = callers.join(", ");
            let from = match why {
                NoCaller::UnknownExtension => {
                    format!("extension(s) {callers} the managers roster does not know")
                }
                NoCaller::Unnamed => "an unnamed caller (the manager cell is empty)".to_string(),
                NoCaller::NotAPerson => {
                    format!("{callers}, no person's name (a queue, group or scenario?)")
                }
                NoCaller::UnknownName => {
                    format!("{callers}, a name no manager of the deals or tasks has")
                }
                NoCaller::AmbiguousName => {
                    format!("{callers}, a name several managers of the deals or tasks share")
                }
            };
            format!("{} not judged: {calls} outgoing call(s) from {from}", day(d))
        }
    }
}

const DEALS: Forms = Forms {
    one: "сделка",
    few: "сделки",
    many: "сделок",
};
const RECORDS: Forms = Forms {
    one: "запись",
    few: "записи",
    many: "записей",
};
const MANAGERS: Forms = Forms {
    one: "менеджер",
    few: "менеджера",
    many: "менеджеров",
};
const CONTACTS: Forms = Forms {
    one: "неудачный контакт",
    few: "неудачных контакта",
    many: "неудачных контактов",
};
const CALLS: Forms = Forms {
    one: "исходящий звонок",
    few: "исходящих звонка",
    many: "исходящих звонков",
};

/// `не оценена`, `не оценены`: the verb agrees with the number before it
/// (singular after 1, 21, …; not after 11).
fn verb(n: usize, feminine: bool) -> &'static str {
    match (n % 100, n % 10, feminine) {
        (11..=14, _, _) => "не оценены",
        (_, 1, true) => "не оценена",
        (_, 1, false) => "не оценён",
        _ => "не оценены",
    }
}

/// `3 сделки не оценены`.
fn not_judged(n: usize, forms: Forms, feminine: bool) -> String {
    format!("{n} {} {}", plural(n as i64, forms), verb(n, feminine))
}

/// `нет столбца «A»`, `нет столбцов «A», «B»`.
fn no_columns(names: &[String]) -> String {
    let word = if names.len() == 1 {
        "столбца"
    } else {
        "столбцов"
    };
    format!("нет {word} {}", names.join(", "))
}

// Long by design: one arm per variant of the closed `Reason` enum.
fn russian(reason: &Reason) -> String {
    const NO_INPUT: &str = "среди входных файлов нет";
    match reason {
        Reason::NoDealExport => format!("{NO_INPUT} выгрузки сделок"),
        Reason::NoTasksFile => format!("{NO_INPUT} списка задач"),
        Reason::NoCallLog => format!("{NO_INPUT} журнала звонков"),
        Reason::NoReviewSheet => format!("{NO_INPUT} листа разбора звонков"),
        Reason::NoFileOf(kind) => {
            let what = match kind {
                EntityKind::Deals => "выгрузки сделок",
                EntityKind::Leads => "выгрузки лидов",
                EntityKind::Tasks => "списка задач",
                EntityKind::Calls => "журнала звонков",
                EntityKind::Contacts => "выгрузки контактов",
                EntityKind::CallReviews => "листа разбора звонков",
            };
            format!("{NO_INPUT} {what}")
        }
        Reason::NoCalls => "в журнале звонков нет ни одного звонка".into(),
        Reason::NoColumn { file, column } => match column {
            Column::Phone => format!("{file}: нет столбца с телефоном"),
            Column::RefusalReason => format!("{file}: нет столбца с причиной отказа"),
            Column::Result => format!("{file}: нет столбца с результатом"),
            Column::CompletionDate => format!("{file}: нет столбца с датой выполнения"),
            Column::NearestTask => {
                format!("{file}: нет ни списка задач, ни столбца «Ближайшая задача»")
            }
        },
        Reason::NoColumnFor { file, columns } => {
            let names: Vec<String> = columns.iter().map(FieldName::russian).collect();
            format!("{file}: {}", no_columns(&names))
        }
        Reason::NoReviewColumn { file, columns } => {
            let names: Vec<String> = columns
                .iter()
                .map(|f| format!("«{}»", review_label(*f, Lang::Ru)))
                .collect();
            format!("{file}: {}", no_columns(&names))
        }
        Reason::Ratio { file, gap } => {
            let gap = match gap {
                RatioGap::Both(n, d) => no_columns(&[n.russian(), d.russian()]),
                RatioGap::Denominator(d) => no_columns(&[d.russian()]),
                RatioGap::NumeratorWhereRequired(n, d) => {
                    let (n, d) = (n.russian(), d.russian());
                    format!(
                        "нет столбца {n}: отношение {n} / {d} не проверено, проверено лишь, что поле {d} заполнено там, где это требуется"
                    )
                }
                RatioGap::Numerator(n) => no_columns(&[n.russian()]),
            };
            format!("{file}: {gap}")
        }
        Reason::ConditionUnknown { records, fields } => format!(
            "{}: условие правила читает {fields}, а в файле таких столбцов нет",
            not_judged(*records, RECORDS, true)
        ),
        Reason::UnknownStage(n) => format!(
            "{} {} на этапе, которого нет в правилах, {}",
            n,
            plural(*n as i64, DEALS),
            verb(*n, true)
        ),
        Reason::EmptyValue { records, field } => format!(
            "{}: значение {} не заполнено",
            not_judged(*records, RECORDS, true),
            field.russian()
        ),
        Reason::NoLeadLink { file } => format!(
            "{file}: ни один список задач не связывает задачи с лидами (нужен столбец CRM из трекера)"
        ),
        Reason::NoDealColumn { file } => format!(
            "{file}: нет столбца сделки, поэтому задачи не сопоставить со сделками"
        ),
        Reason::DealsTaskUnreadable(n) => format!(
            "{}: задача по сделке может быть и открытой, и выполненной (значение не читается)",
            not_judged(*n, DEALS, true)
        ),
        Reason::DealsTitleShared(n) => format!(
            "{}: задача указывает название сделки, общее для нескольких сделок",
            not_judged(*n, DEALS, true)
        ),
        Reason::FailedUndated(n) => format!(
            "{}: выполнены без даты выполнения",
            not_judged(*n, CONTACTS, false)
        ),
        Reason::FailedUnsure(n) => format!(
            "{}: у другой задачи сделки нечитаемое значение",
            not_judged(*n, CONTACTS, false)
        ),
        Reason::FailedUnknownDeal(n) => format!(
            "{}: сделки нет среди прочитанных",
            not_judged(*n, CONTACTS, false)
        ),
        Reason::LetterUnreadable(n) => format!(
            "{}: у задачи-письма менеджера нечитаемое значение",
            not_judged(*n, MANAGERS, false)
        ),
        Reason::CallTimeUnreadable(n) => format!(
            "{} ни за один день: у исходящего звонка менеджера не читается время",
            not_judged(*n, MANAGERS, false)
        ),
        Reason::CallValueUnreadable { day: d, managers } => format!(
            "{} не оценён для {} {}: у исходящего звонка менеджера нечитаемое значение",
            day(d),
            managers,
            plural(*managers as i64, GENITIVE_MANAGERS)
        ),
        Reason::CallOutcomeUnknown { day: d, managers } => format!(
            "{} не оценён для {} {}: у части их исходящих звонков нет статуса или длительности, а без них норма не выполнена",
            day(d),
            managers,
            plural(*managers as i64, GENITIVE_MANAGERS)
        ),
        Reason::NoCallThatDay(d) => format!(
            "{} не оценён: в журнале звонков за этот день нет ни одного звонка (нет файла за день или сбой телефонии?)",
            day(d)
        ),
        Reason::Idle(names) => format!(
            "не оценивались: {} — нет сделок в работе, открытых задач и звонков за оцениваемые дни (бывший сотрудник?); человек из списка менеджеров оценивается всегда",
            names.join(", ")
        ),
        Reason::LettersNotCounted => "письма не учтены (среди входных файлов нет списка задач): норма оценена только по звонкам".into(),
        Reason::LettersNotCountedIn { file } => format!(
            "{file}: письма не учтены (нет столбца типа задачи или даты выполнения): норма оценена только по звонкам"
        ),
        Reason::NoCalendar(d) => format!(
            "{} не оценён: в правилах нет производственного календаря на {} год",
            day(d),
            d.year()
        ),
        Reason::OutsideLog { day: d, first, last } => format!(
            "{} не оценён: журнал звонков охватывает только дни с {} по {}",
            day(d),
            day(first),
            day(last)
        ),
        Reason::UnknownCallers {
            day: d,
            calls,
            why,
            callers,
        } => {
            let callers = callers.join(", ");
            let from = match why {
                NoCaller::UnknownExtension => {
                    format!("с добавочных {callers}, которых нет в списке менеджеров")
                }
                NoCaller::Unnamed => "без указанного менеджера (ячейка пуста)".to_string(),
                NoCaller::NotAPerson => {
                    format!("от {callers}: это не имя человека (очередь, группа или сценарий?)")
                }
                NoCaller::UnknownName => {
                    format!("от {callers}: такого имени нет ни у одного менеджера сделок и задач")
                }
                NoCaller::AmbiguousName => {
                    format!("от {callers}: это имя носят несколько менеджеров сделок и задач")
                }
            };
            format!(
                "{} не оценён: {calls} {} {from}",
                day(d),
                plural(*calls as i64, CALLS)
            )
        }
    }
}

/// `для 1 менеджера`, `для 5 менеджеров`.
const GENITIVE_MANAGERS: Forms = Forms {
    one: "менеджера",
    few: "менеджеров",
    many: "менеджеров",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::columns::ReviewField;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    /// One reason of every kind, its parameters written without a Latin
    /// letter, so any Latin letter in its text (but the word CRM, which
    /// Russian writes so) is an untranslated word.
    fn every_reason() -> Vec<Reason> {
        let file = || "выгрузка".to_string();
        let col = |s: &str| format!("«{s}»");
        // A header the rule file names, and a logical field no export read
        // carries (its Russian name shows).
        let header = |s: &str| FieldName {
            key: s.to_string(),
            logical: None,
            found: None,
        };
        let budget = || FieldName {
            key: "budget".to_string(),
            logical: Some((
                EntityKind::Deals,
                crate::rules::columns::DealField::Budget.index(),
            )),
            found: None,
        };
        let mut all = vec![
            Reason::NoDealExport,
            Reason::NoTasksFile,
            Reason::NoCallLog,
            Reason::NoReviewSheet,
            Reason::NoCalls,
            Reason::NoColumnFor {
                file: file(),
                columns: vec![header("Оплачено"), budget()],
            },
            Reason::NoReviewColumn {
                file: file(),
                columns: ReviewField::ALL.to_vec(),
            },
            Reason::ConditionUnknown {
                records: 3,
                fields: col("Источник"),
            },
            Reason::UnknownStage(1),
            Reason::EmptyValue {
                records: 2,
                field: header("Дата изменения"),
            },
            Reason::NoLeadLink { file: file() },
            Reason::NoDealColumn { file: file() },
            Reason::DealsTaskUnreadable(2),
            Reason::DealsTitleShared(5),
            Reason::FailedUndated(1),
            Reason::FailedUnsure(2),
            Reason::FailedUnknownDeal(11),
            Reason::LetterUnreadable(21),
            Reason::CallTimeUnreadable(1),
            Reason::CallValueUnreadable {
                day: d(24),
                managers: 2,
            },
            Reason::CallOutcomeUnknown {
                day: d(24),
                managers: 2,
            },
            Reason::NoCallThatDay(d(25)),
            Reason::Idle(vec!["Сидоров Олег".into()]),
            Reason::LettersNotCounted,
            Reason::LettersNotCountedIn { file: file() },
            Reason::NoCalendar(d(25)),
            Reason::OutsideLog {
                day: d(2),
                first: d(3),
                last: d(26),
            },
        ];
        all.extend(EntityKind::ALL.map(Reason::NoFileOf));
        for column in [
            Column::Phone,
            Column::RefusalReason,
            Column::Result,
            Column::CompletionDate,
            Column::NearestTask,
        ] {
            all.push(Reason::NoColumn {
                file: file(),
                column,
            });
        }
        for gap in [
            RatioGap::Both(header("Оплачено"), budget()),
            RatioGap::Denominator(budget()),
            RatioGap::NumeratorWhereRequired(header("Оплачено"), budget()),
            RatioGap::Numerator(header("Оплачено")),
        ] {
            all.push(Reason::Ratio { file: file(), gap });
        }
        for why in [
            NoCaller::UnknownExtension,
            NoCaller::Unnamed,
            NoCaller::NotAPerson,
            NoCaller::UnknownName,
            NoCaller::AmbiguousName,
        ] {
            all.push(Reason::UnknownCallers {
                day: d(24),
                calls: 3,
                why,
                callers: vec!["105".into(), "Очередь".into()],
            });
        }
        all
    }

    #[test]
    fn every_reason_has_russian_words_of_its_own() {
        for reason in every_reason() {
            let text = reason_text(&reason, Lang::Ru);
            assert!(
                !text
                    .replace("CRM", "")
                    .chars()
                    .any(|c| c.is_ascii_alphabetic()),
                "{reason:?}: {text}"
            );
            assert_ne!(text, reason_text(&reason, Lang::En));
        }
    }

    #[test]
    fn the_count_and_the_verb_agree_in_russian() {
        let shared = |n| reason_text(&Reason::DealsTitleShared(n), Lang::Ru);
        let start = |n| shared(n).split(':').next().unwrap().to_string();
        assert_eq!(start(1), "1 сделка не оценена");
        assert_eq!(start(2), "2 сделки не оценены");
        assert_eq!(start(5), "5 сделок не оценены");
        assert_eq!(start(11), "11 сделок не оценены");
        assert_eq!(start(21), "21 сделка не оценена");
        assert_eq!(start(22), "22 сделки не оценены");
        let managers = |n| reason_text(&Reason::LetterUnreadable(n), Lang::Ru);
        assert!(managers(1).starts_with("1 менеджер не оценён:"));
        assert!(managers(25).starts_with("25 менеджеров не оценены:"));
    }

    #[test]
    fn a_logical_field_reads_as_its_export_header_in_russian_only() {
        let result = |found: Option<&str>| FieldName {
            key: "result".to_string(),
            logical: Some((
                EntityKind::Tasks,
                crate::rules::columns::TaskField::Result.index(),
            )),
            found: found.map(String::from),
        };
        let reason = |field| Reason::NoColumnFor {
            file: "tasks.csv".into(),
            columns: vec![field],
        };
        // No export carries it: its Russian name.
        assert_eq!(
            reason_text(&reason(result(None)), Lang::Ru),
            "tasks.csv: нет столбца «Результат»"
        );
        // An export carries it as `Итог`: that header.
        assert_eq!(
            reason_text(&reason(result(Some("Итог"))), Lang::Ru),
            "tasks.csv: нет столбца «Итог»"
        );
        // English keeps the rule file's word either way.
        for found in [None, Some("Итог")] {
            assert_eq!(
                reason_text(&reason(result(found)), Lang::En),
                "tasks.csv: no column for «result»"
            );
        }
        // A header the rule file names is shown as written.
        let paid = FieldName {
            key: "Оплачено".into(),
            logical: None,
            found: Some("оплачено ".into()),
        };
        assert_eq!(
            reason_text(&reason(paid), Lang::Ru),
            "tasks.csv: нет столбца «Оплачено»"
        );
    }

    #[test]
    fn the_estimated_calendar_note_in_both_languages() {
        let note = Note::CalendarEstimated(2027);
        assert_eq!(
            note_text(&note, Lang::En),
            "calendar for 2027 estimated from the Labour Code: add the decree's transfers to the rule set"
        );
        assert!(note_text(&note, Lang::Ru).starts_with("календарь на 2027 год рассчитан"));
    }
}

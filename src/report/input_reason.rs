//! What the inputs section says of each file, in the report's language:
//! why rows were skipped, why a folder's file was not read, and the
//! file's notes. Reading hands them over as data (`input::reason`); the
//! English text is their `Display`, the text the reports have always
//! shown, so only Russian is written here.
//!
//! A skip's English text stays the JSON's `reason` in every language: a
//! script counting skipped rows by reason keeps working whatever language
//! the report is in. The words a person reads follow the language.

use super::lang::words;
use super::{NotReadReport, SkipReport};
use crate::input::reason::{either, FileNote, Linked, NewerBy, NotExport, OwnReport, Skip};
use crate::lang::plural::{plural, Forms};
use crate::lang::Lang;
use crate::model::{InputFile, NotRead};
use crate::rules::columns::EntityKind;

/// A skip reason in `lang`.
pub fn skip_text(skip: &Skip, lang: Lang) -> String {
    match lang {
        Lang::En => skip.to_string(),
        Lang::Ru => russian_skip(skip),
    }
}

/// A file's note in `lang`.
pub fn note_text(note: &FileNote, lang: Lang) -> String {
    match lang {
        Lang::En => note.to_string(),
        Lang::Ru => russian_note(note),
    }
}

/// Why a file is no export, in `lang`.
pub fn not_export_text(why: &NotExport, lang: Lang) -> String {
    match lang {
        Lang::En => why.to_string(),
        Lang::Ru => russian_not_export(why),
    }
}

/// A file's skipped rows by reason, in the order of their English text
/// (the order the reports have always had, in every language).
pub fn skip_reports(file: &InputFile, lang: Lang) -> Vec<SkipReport> {
    let mut all: Vec<SkipReport> = file
        .skipped
        .iter()
        .map(|(skip, rows)| SkipReport {
            reason: skip.to_string(),
            text: skip_text(skip, lang),
            count: rows.len(),
            rows: rows.clone(),
        })
        .collect();
    all.sort_by(|a, b| a.reason.cmp(&b.reason));
    all
}

/// A file's notes in `lang`.
pub fn notes(file: &InputFile, lang: Lang) -> Vec<String> {
    file.notes.iter().map(|n| note_text(n, lang)).collect()
}

/// A folder's file not read, with why, in `lang`.
pub fn not_read_report(file: &NotRead, lang: Lang) -> NotReadReport {
    NotReadReport {
        path: file.path.clone(),
        reason: not_export_text(&file.reason, lang),
    }
}

fn russian_skip(skip: &Skip) -> String {
    match skip {
        Skip::EmptyRow => "пустая строка".into(),
        Skip::WithoutId { lead: false } => "строка сделки без ID".into(),
        Skip::WithoutId { lead: true } => "строка лида без ID".into(),
        Skip::ProductRow => {
            "повторяет ID уже прочитанной сделки (строка товара этой сделки)".into()
        }
        Skip::DealRepeat => {
            "повторяет ID уже прочитанной сделки (та же сделка выгружена ещё раз)".into()
        }
        Skip::TaskRepeat => "повторяет ID уже прочитанной задачи (выгрузки пересекаются)".into(),
        Skip::OlderCopy { kind, newer, by } => {
            let why = match by {
                NewerBy::Changed => "там изменена позже",
                NewerBy::NameDate => "более новая выгрузка по дате в имени файла",
                NewerBy::Modified => "более новая выгрузка по времени изменения файла",
                NewerBy::ReadingOrder => "прочитана позже; даты выгрузок их не различают",
            };
            match kind {
                EntityKind::Calls => format!(
                    "тот же звонок есть и в {newer} ({why}); посчитан один раз, оттуда"
                ),
                _ => format!(
                    "старая копия {}, которая есть и в {newer} ({why}); проверена та копия",
                    record_genitive(*kind)
                ),
            }
        }
        Skip::CallWithoutTime => "звонок без времени".into(),
        Skip::CallWithoutDirection => "звонок без направления".into(),
        Skip::UnknownDirection(word) => format!(
            "направления звонка «{word}» нет ни в одном списке [values.{}]",
            <crate::value::Direction as crate::rules::values::Classes>::TABLE
        ),
        Skip::UnknownExtension(written) => {
            format!("добавочного {written} нет в списке менеджеров")
        }
        Skip::NotAPerson(written) => {
            format!("«{written}» — не человек (очередь, группа или сценарий?)")
        }
        Skip::CallWithoutManager => "исходящий звонок без менеджера".to_string(),
        Skip::UnknownName { written, name } => format!(
            "добавочный {written}: «{name}» нет среди менеджеров прочитанных сделок и задач"
        ),
        Skip::AmbiguousName {
            written,
            name,
            managers,
        } => format!(
            "добавочный {written}: «{name}» может быть любым из менеджеров прочитанных сделок и задач: {}",
            managers.join(", ")
        ),
        Skip::ContactWithoutName => "контакт без имени".into(),
        Skip::ReviewWithoutCallType => "проверенный звонок без типа звонка".into(),
        Skip::ReviewUnknownCallType(written) => format!(
            "проверенный звонок с типом «{written}»: ни «база», ни «входящий»"
        ),
        Skip::TotalsRow => "строка итогов".into(),
        Skip::NoDealData => "строка без данных сделки".into(),
    }
}

/// A record of `kind` in the genitive: `старая копия сделки`.
fn record_genitive(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Deals => "сделки",
        EntityKind::Leads => "лида",
        EntityKind::Tasks => "задачи",
        EntityKind::Calls => "звонка",
        EntityKind::Contacts => "контакта",
        EntityKind::CallReviews => "проверенного звонка",
    }
}

/// `в 1 имени менеджера`, `в 2 именах менеджеров`.
const IN_NAMES: Forms = Forms {
    one: "имени менеджера",
    few: "именах менеджеров",
    many: "именах менеджеров",
};

/// `название 2 сделок`, `название 21 сделки`.
fn of_count(count: usize, what: Linked) -> String {
    let forms = match what {
        Linked::Deal => Forms {
            one: "сделки",
            few: "сделок",
            many: "сделок",
        },
        Linked::Lead => Forms {
            one: "лида",
            few: "лидов",
            many: "лидов",
        },
    };
    format!("{count} {}", plural(count as i64, forms))
}

/// `на 2 сделки`, `на 5 лидов`.
fn to_count(count: usize, what: Linked) -> String {
    let forms = match what {
        Linked::Deal => Forms {
            one: "сделку",
            few: "сделки",
            many: "сделок",
        },
        Linked::Lead => Forms {
            one: "лида",
            few: "лида",
            many: "лидов",
        },
    };
    format!("{count} {}", plural(count as i64, forms))
}

/// `ни с одной сделкой`, `ни с одним лидом`.
fn with_none(what: Linked) -> &'static str {
    match what {
        Linked::Deal => "ни с одной сделкой",
        Linked::Lead => "ни с одним лидом",
    }
}

fn russian_note(note: &FileNote) -> String {
    match note {
        FileNote::FirstVisibleSheet { sheet, hidden } => {
            let hidden: Vec<String> = hidden.iter().map(|s| format!("«{s}»")).collect();
            format!(
                "прочитан лист «{sheet}», первый видимый; скрытые листы перед ним: {}",
                hidden.join(", ")
            )
        }
        FileNote::FormatCharacters(count) => format!(
            "в {count} {} были невидимые символы форматирования \
             (пробелы нулевой ширины, знаки направления текста), они удалены",
            plural(*count as i64, IN_NAMES)
        ),
        FileNote::TitleShared {
            task,
            title,
            what,
            count,
        } => format!(
            "задача {task}: «{title}» — название {}; не связана {}",
            of_count(*count, *what),
            with_none(*what)
        ),
        FileNote::TitleUnknown { task, title, what } => {
            format!("задача {task}: «{title}» не совпадает {}", with_none(*what))
        }
        FileNote::SeveralLinks { task, what, count } => format!(
            "задача {task}: её ячейка CRM ссылается на {}; не связана {}",
            to_count(*count, *what),
            with_none(*what)
        ),
        FileNote::NameTakenAs { written, manager } => {
            format!("менеджер «{written}» принят за {manager}")
        }
        FileNote::NameOfSeveral { written, managers } => format!(
            "менеджер «{written}» может быть {}: не принят ни за кого из них, \
             дни его исходящих звонков по норме не оценены",
            managers.join(" или ")
        ),
        FileNote::NamesakesDiffer {
            written,
            manager,
            others,
        } => format!(
            "менеджер «{written}» подходит к {manager}, как и имена с другим отчеством ({}): \
             неизвестно, кто из них {manager}, поэтому не принят ни за кого, \
             дни его исходящих звонков по норме не оценены",
            crate::input::reason::quoted(others)
        ),
    }
}

fn russian_not_export(why: &NotExport) -> String {
    const NOT_AUDITED: &str = "не выгрузка; отчёты не проверяются";
    match why {
        NotExport::OwnReport(own) => {
            let what = match own {
                OwnReport::Json => "JSON",
                OwnReport::Html => "HTML",
                OwnReport::Xlsx => "XLSX с листами отчёта",
                OwnReport::Csv => "CSV, строка на нарушение",
            };
            format!("отчёт crm-audit ({what}), {NOT_AUDITED}")
        }
        NotExport::NotASpreadsheet(e) => format!("не открывается как электронная таблица: {e}"),
        NotExport::NoSheets => "в книге нет листов".into(),
        NotExport::HtmlWithoutTable => {
            "HTML-файл без таблицы; ожидалась выгрузка Битрикс24, сохранённая как .xls".into()
        }
        NotExport::Empty => {
            "файл пуст; ожидалась выгрузка сделок, задач, звонков или контактов со строкой заголовков"
                .into()
        }
        NotExport::NoHeader { rows, closest } => {
            let w = words(Lang::Ru);
            let kinds: Vec<&str> = crate::rules::columns::EntityKind::ALL
                .iter()
                .map(|k| (w.input_kind)(k.as_str()))
                .collect();
            let mut text = format!(
                "не распознан как выгрузка ({}): в первых {rows} строках нет строки заголовков.",
                kinds.join(", ")
            );
            let list = |fields: &[Vec<String>]| {
                let each: Vec<String> = fields.iter().map(|n| either(n, " или ")).collect();
                each.join(", ")
            };
            for c in closest {
                text.push_str(&format!(
                    "\n  {}: нужны {}; нет {}",
                    (w.input_kind)(c.kind.as_str()),
                    list(&c.needs),
                    list(&c.missing)
                ));
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::reason::Closest;
    use crate::rules::columns::EntityKind;

    /// One value of every kind, its parameters written without a Latin
    /// letter, so any Latin letter in its Russian text (but ID, CRM, the
    /// rule file's `[values.call-direction]` and file formats, which
    /// Russian writes so) is an untranslated word.
    fn every_text() -> Vec<(String, String)> {
        let s = |t: &str| t.to_string();
        let mut skips = vec![
            Skip::EmptyRow,
            Skip::WithoutId { lead: false },
            Skip::WithoutId { lead: true },
            Skip::ProductRow,
            Skip::DealRepeat,
            Skip::TaskRepeat,
            Skip::CallWithoutTime,
            Skip::CallWithoutDirection,
            Skip::UnknownDirection(s("Перевод")),
            Skip::UnknownExtension(s("105")),
            Skip::NotAPerson(s("Очередь")),
            Skip::CallWithoutManager,
            Skip::UnknownName {
                written: s("294 (Мега)"),
                name: s("Мега"),
            },
            Skip::AmbiguousName {
                written: s("205 (Иванова)"),
                name: s("Иванова"),
                managers: vec![s("Мария Иванова"), s("Ольга Иванова")],
            },
            Skip::ContactWithoutName,
            Skip::ReviewWithoutCallType,
            Skip::ReviewUnknownCallType(s("повторный")),
            Skip::TotalsRow,
            Skip::NoDealData,
        ];
        for kind in EntityKind::ALL {
            for by in [
                NewerBy::Changed,
                NewerBy::NameDate,
                NewerBy::Modified,
                NewerBy::ReadingOrder,
            ] {
                skips.push(Skip::OlderCopy {
                    kind,
                    newer: s("сделки_26"),
                    by,
                });
            }
        }
        let mut notes = vec![
            FileNote::FirstVisibleSheet {
                sheet: s("Сделки"),
                hidden: vec![s("Старое")],
            },
            FileNote::FormatCharacters(2),
        ];
        for what in [Linked::Deal, Linked::Lead] {
            notes.extend([
                FileNote::TitleShared {
                    task: s("5242"),
                    title: s("Радиаторы"),
                    what,
                    count: 2,
                },
                FileNote::TitleUnknown {
                    task: s("5255"),
                    title: s("Тендер"),
                    what,
                },
                FileNote::SeveralLinks {
                    task: s("5256"),
                    what,
                    count: 3,
                },
            ]);
        }
        let mut strays = vec![
            NotExport::NotASpreadsheet(s("повреждён")),
            NotExport::NoSheets,
            NotExport::HtmlWithoutTable,
            NotExport::Empty,
            NotExport::NoHeader {
                rows: 10,
                closest: vec![Closest {
                    kind: EntityKind::Calls,
                    needs: vec![vec![s("Дата"), s("Время")], vec![s("Направление")]],
                    missing: vec![vec![s("Направление")]],
                }],
            },
        ];
        strays.extend(
            [
                OwnReport::Json,
                OwnReport::Html,
                OwnReport::Xlsx,
                OwnReport::Csv,
            ]
            .map(NotExport::OwnReport),
        );
        let mut all: Vec<(String, String)> = skips
            .iter()
            .map(|k| (skip_text(k, Lang::En), skip_text(k, Lang::Ru)))
            .collect();
        all.extend(
            notes
                .iter()
                .map(|n| (note_text(n, Lang::En), note_text(n, Lang::Ru))),
        );
        all.extend(
            strays
                .iter()
                .map(|n| (not_export_text(n, Lang::En), not_export_text(n, Lang::Ru))),
        );
        all
    }

    #[test]
    fn every_input_text_has_russian_words_of_its_own() {
        for (english, russian) in every_text() {
            let latin = russian
                .replace("ID", "")
                .replace("CRM", "")
                .replace("[values.call-direction]", "")
                .replace("crm-audit", "")
                .replace("JSON", "")
                .replace("HTML", "")
                .replace("XLSX", "")
                .replace("CSV", "")
                .replace(".xls", "");
            assert!(
                !latin.chars().any(|c| c.is_ascii_alphabetic()),
                "{english}: {russian}"
            );
            assert_ne!(english, russian);
        }
    }

    #[test]
    fn counts_in_russian_notes_take_their_forms() {
        let chars = |n| note_text(&FileNote::FormatCharacters(n), Lang::Ru);
        assert!(chars(1).starts_with("в 1 имени менеджера были"));
        assert!(chars(2).starts_with("в 2 именах менеджеров были"));
        assert!(chars(21).starts_with("в 21 имени менеджера были"));
        let shared = |count| {
            note_text(
                &FileNote::TitleShared {
                    task: "T".into(),
                    title: "А".into(),
                    what: Linked::Deal,
                    count,
                },
                Lang::Ru,
            )
        };
        assert!(shared(2).contains("— название 2 сделок;"));
        assert!(shared(21).contains("— название 21 сделки;"));
        let links = |count, what| {
            note_text(
                &FileNote::SeveralLinks {
                    task: "T".into(),
                    what,
                    count,
                },
                Lang::Ru,
            )
        };
        assert!(links(2, Linked::Deal).contains("ссылается на 2 сделки;"));
        assert!(links(5, Linked::Deal).contains("ссылается на 5 сделок;"));
        assert!(links(3, Linked::Lead).contains("ссылается на 3 лида; не связана ни с одним лидом"));
    }

    #[test]
    fn skips_are_listed_in_the_order_of_their_english_text() {
        // The order the reports have always had (a map keyed by the English
        // text), in Russian too, where it is not alphabetical.
        let mut file = InputFile::empty_csv("deals.csv", EntityKind::Deals);
        file.rows = 3;
        file.skip(Skip::EmptyRow, 3);
        file.skip(Skip::WithoutId { lead: false }, 4);
        file.skip(Skip::DealRepeat, 5);
        let reasons: Vec<String> = skip_reports(&file, Lang::Ru)
            .into_iter()
            .map(|s| s.reason)
            .collect();
        assert_eq!(
            reasons,
            [
                "deal row without an ID",
                "empty row",
                "repeats a deal ID read before (the same deal exported again)"
            ]
        );
    }
}

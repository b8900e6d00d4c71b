//! The words exports write for values of a closed set: call directions,
//! answered or missed calls, task states and task types. The sets are
//! closed (enums); the words come from the rule set's `[values.*]` tables,
//! so a provider that writes `Исходящий внешний вызов` is a line of TOML
//! away, like a header under `[columns.*]`.
//!
//! Owns no file reading: the readers classify a cell here and account for
//! a word no table lists (`inspect` shows each with its count).

use super::location::SourceMap;
use super::raw::{RawLayout, RawRuleSet};
use crate::value::{normalize_header, Direction, TaskType};
use std::collections::HashMap;

/// Whether a call got through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Answered,
    Missed,
}

/// A task's state as a tracker's status says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    Open,
    Done,
    /// Neither open nor done (Bitrix24's `Отклонена`).
    Declined,
}

/// A closed set a `[values.*]` table gives words for.
pub trait Classes: Copy + 'static {
    /// The table's name under `[values]`.
    const TABLE: &'static str;
    /// Each class by its key in the table.
    const ALL: &'static [(&'static str, Self)];
}

impl Classes for Direction {
    const TABLE: &'static str = "call-direction";
    const ALL: &'static [(&'static str, Self)] = &[
        ("outgoing", Direction::Outgoing),
        ("incoming", Direction::Incoming),
        ("internal", Direction::Internal),
    ];
}

impl Classes for CallStatus {
    const TABLE: &'static str = "call-status";
    const ALL: &'static [(&'static str, Self)] = &[
        ("answered", CallStatus::Answered),
        ("missed", CallStatus::Missed),
    ];
}

impl Classes for TaskState {
    const TABLE: &'static str = "task-state";
    const ALL: &'static [(&'static str, Self)] = &[
        ("open", TaskState::Open),
        ("done", TaskState::Done),
        ("declined", TaskState::Declined),
    ];
}

impl Classes for TaskType {
    const TABLE: &'static str = "task-type";
    const ALL: &'static [(&'static str, Self)] = &[
        ("call", TaskType::Call),
        ("email", TaskType::Email),
        ("meeting", TaskType::Meeting),
    ];
}

/// One table: the class of each word, matched trimmed, spaces tidied and
/// case ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words<C> {
    by_word: HashMap<String, C>,
}

impl<C> Default for Words<C> {
    fn default() -> Self {
        Words {
            by_word: HashMap::new(),
        }
    }
}

impl<C: Classes> Words<C> {
    /// The class of a cell's text; `None` for a word no list has.
    pub fn classify(&self, text: &str) -> Option<C> {
        self.by_word.get(&normalize_header(text)).copied()
    }

    /// Every word of the table with its class's key, sorted (for tests and
    /// messages).
    pub fn words(&self) -> Vec<(&'static str, &str)> {
        let key = |class: &C| {
            C::ALL
                .iter()
                .find(|(_, c)| std::mem::discriminant(c) == std::mem::discriminant(class))
                .map_or("", |(k, _)| *k)
        };
        let mut all: Vec<_> = self
            .by_word
            .iter()
            .map(|(w, c)| (key(c), w.as_str()))
            .collect();
        all.sort_unstable();
        all
    }
}

/// Every `[values.*]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    pub call_direction: Words<Direction>,
    pub call_status: Words<CallStatus>,
    pub task_state: Words<TaskState>,
    pub task_type: Words<TaskType>,
}

/// The tables of a merged rule set; each must be there.
pub(super) fn values(src: &SourceMap, raw: &RawRuleSet) -> super::compile::Result<Values> {
    let tables = raw.values.as_ref();
    Ok(Values {
        call_direction: words(src, tables.and_then(|t| t.call_direction.as_ref()))?,
        call_status: words(src, tables.and_then(|t| t.call_status.as_ref()))?,
        task_state: words(src, tables.and_then(|t| t.task_state.as_ref()))?,
        task_type: words(src, tables.and_then(|t| t.task_type.as_ref()))?,
    })
}

fn words<C: Classes>(src: &SourceMap, raw: Option<&RawLayout>) -> super::compile::Result<Words<C>> {
    let raw =
        raw.ok_or_else(|| src.error(None, format!("the rule set has no [values.{}]", C::TABLE)))?;
    let mut table = Words::default();
    let mut owner: HashMap<String, (&str, std::ops::Range<usize>)> = HashMap::new();
    for (key, words) in raw {
        let Some(&(name, class)) = C::ALL.iter().find(|(k, _)| *k == key.get_ref()) else {
            let keys: Vec<String> = C::ALL.iter().map(|(k, _)| format!("`{k}`")).collect();
            return Err(src.error(
                Some(key.span()),
                format!(
                    "unknown key `{}` in values.{}; the keys are {}",
                    key.get_ref(),
                    C::TABLE,
                    keys.join(", ")
                ),
            ));
        };
        for word in words {
            let normal = normalize_header(word.get_ref());
            if normal.is_empty() {
                return Err(src.error(Some(word.span()), "an empty word"));
            }
            match owner.insert(normal.clone(), (name, word.span())) {
                Some((other, at)) if other != name => {
                    // Where the files were read first: the company's own
                    // file before the one it extends.
                    let here = word.span();
                    let first = if at.start < here.start { at } else { here };
                    return Err(src.error(
                        Some(first),
                        format!(
                            "`{}` is given for both `{other}` and `{name}` in values.{}",
                            word.get_ref(),
                            C::TABLE
                        ),
                    ));
                }
                _ => {}
            }
            table.by_word.insert(normal, class);
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn the_builtin_words_classify_what_the_exports_write() {
        let values = RuleSet::builtin().values;
        let d = &values.call_direction;
        assert_eq!(d.classify("Исходящий"), Some(Direction::Outgoing));
        assert_eq!(d.classify(" входящая "), Some(Direction::Incoming));
        assert_eq!(d.classify("OUTBOUND"), Some(Direction::Outgoing));
        assert_eq!(d.classify("Внутренний"), Some(Direction::Internal));
        assert_eq!(d.classify(" \u{feff}out\u{a0}"), Some(Direction::Outgoing));
        // Mango Office's words.
        assert_eq!(
            d.classify("Исходящий внешний вызов"),
            Some(Direction::Outgoing)
        );
        assert_eq!(
            d.classify("Входящий внешний вызов"),
            Some(Direction::Incoming)
        );
        assert_eq!(d.classify("Внутренний вызов"), Some(Direction::Internal));
        for unknown in ["пропущенный", "inout", "Исходящий вызов"] {
            assert_eq!(d.classify(unknown), None, "{unknown}");
        }
        let s = &values.call_status;
        assert_eq!(s.classify("Отвечен"), Some(CallStatus::Answered));
        assert_eq!(s.classify("answered"), Some(CallStatus::Answered));
        assert_eq!(s.classify("Не отвечен"), Some(CallStatus::Missed));
        assert_eq!(s.classify("Занято"), Some(CallStatus::Missed));
        let t = &values.task_state;
        assert_eq!(t.classify("Завершена"), Some(TaskState::Done));
        // Finished by its responsible, waiting for its setter's check.
        assert_eq!(t.classify("Ждет контроля"), Some(TaskState::Done));
        assert_eq!(t.classify("Отклонена"), Some(TaskState::Declined));
        for open in ["Новая", "Ждет выполнения", "Выполняется", "Отложена"]
        {
            assert_eq!(t.classify(open), Some(TaskState::Open), "{open}");
        }
        let k = &values.task_type;
        for (text, class) in [
            ("Звонок", TaskType::Call),
            ("ЗВОНОК", TaskType::Call),
            ("Позвонить", TaskType::Call),
            ("Связаться", TaskType::Call),
            ("Письмо", TaskType::Email),
            ("E-Mail", TaskType::Email),
            (" написать\u{a0} ПИСЬМО ", TaskType::Email),
            ("Написать", TaskType::Email),
            ("Встреча", TaskType::Meeting),
            ("meeting", TaskType::Meeting),
        ] {
            assert_eq!(k.classify(text), Some(class), "{text}");
        }
        for unknown in ["Совещание", "Задача", "Звонок клиенту"] {
            assert_eq!(k.classify(unknown), None, "{unknown}");
        }
    }
}

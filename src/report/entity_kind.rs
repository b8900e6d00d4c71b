//! What a violation is about, as the report names it: a closed set that
//! the printers match on. Every format and the history write it as the
//! same words (`deal`, `lead`, `task`, `call`, `manager-day`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    Deal,
    /// A Bitrix24 lead (a deal export of its own).
    Lead,
    Task,
    /// A reviewed call, or a call of a log.
    Call,
    /// A manager's working day.
    ManagerDay,
}

impl EntityKind {
    /// The word the JSON, the CSV and the history write.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Deal => "deal",
            EntityKind::Lead => "lead",
            EntityKind::Task => "task",
            EntityKind::Call => "call",
            EntityKind::ManagerDay => "manager-day",
        }
    }

    /// Every kind.
    pub const ALL: [EntityKind; 5] = [
        EntityKind::Deal,
        EntityKind::Lead,
        EntityKind::Task,
        EntityKind::Call,
        EntityKind::ManagerDay,
    ];

    /// The kind a word of `as_str` names (as the history stores it).
    pub fn parse(word: &str) -> Option<EntityKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

#[cfg(test)]
mod tests {
    use super::EntityKind;

    #[test]
    fn each_word_reads_back_as_its_kind() {
        for word in ["deal", "lead", "task", "call", "manager-day"] {
            assert_eq!(EntityKind::parse(word).map(EntityKind::as_str), Some(word));
        }
        assert_eq!(EntityKind::parse("contact"), None);
    }

    #[test]
    fn each_kind_is_written_as_its_word() {
        for kind in EntityKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(EntityKind::ManagerDay.as_str(), "manager-day");
    }
}

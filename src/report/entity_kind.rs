//! What a violation is about, as the report names it: a closed set that
//! the printers match on. Every format and the history write it as the
//! same words (`deal`, `lead`, `task`, `call`, `manager-day`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
}

#[cfg(test)]
mod tests {
    use super::EntityKind;

    #[test]
    fn each_kind_is_written_as_its_word() {
        for kind in [
            EntityKind::Deal,
            EntityKind::Lead,
            EntityKind::Task,
            EntityKind::Call,
            EntityKind::ManagerDay,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(EntityKind::ManagerDay.as_str(), "manager-day");
    }
}

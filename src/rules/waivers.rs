//! Waivers: an entity exempted from one rule, for a stated reason, until a
//! date (inclusive). The head of sales grants them in the rule file; the
//! report lists which were used, which have expired and which matched
//! nothing, so a stale waiver cannot hide a problem quietly.

use chrono::NaiveDate;

/// A compiled waiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// The rule's name.
    pub rule: String,
    /// `deal`, `task` or `manager-day`.
    pub kind: &'static str,
    /// The deal or task ID, or `NAME/YYYY-MM-DD`.
    pub id: String,
    pub reason: String,
    /// The last day the waiver holds.
    pub until: NaiveDate,
}

impl Waiver {
    /// Whether the waiver holds on the audit date.
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        date <= self.until
    }

    /// `deal:31457201` → (`deal`, `31457201`).
    pub fn parse_entity(text: &str) -> Result<(&'static str, String), String> {
        let (kind, id) = text.split_once(':').ok_or_else(|| {
            format!(
                "entity `{text}`: write deal:ID, lead:ID, task:ID or manager-day:NAME/YYYY-MM-DD"
            )
        })?;
        let id = id.trim();
        let kind = match kind.trim() {
            "deal" => "deal",
            "lead" => "lead",
            "task" => "task",
            "manager-day" => {
                let date = id.rsplit_once('/').map(|(_, d)| d);
                if date
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .is_none()
                {
                    return Err(format!("entity `{text}`: a manager-day is NAME/YYYY-MM-DD"));
                }
                "manager-day"
            }
            other => {
                return Err(format!(
                    "entity kind `{other}`: use deal, lead, task or manager-day"
                ))
            }
        };
        if id.is_empty() {
            return Err(format!("entity `{text}` has no ID"));
        }
        Ok((kind, id.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            Waiver::parse_entity("deal:31457201"),
            Ok(("deal", "31457201".into()))
        );
        assert_eq!(
            Waiver::parse_entity("manager-day:Иванова Мария/2026-11-26"),
            Ok(("manager-day", "Иванова Мария/2026-11-26".into()))
        );
        assert!(Waiver::parse_entity("manager-day:Иванова").is_err());
        assert_eq!(Waiver::parse_entity("lead:1"), Ok(("lead", "1".into())));
        assert!(Waiver::parse_entity("contact:1")
            .unwrap_err()
            .contains("use deal, lead, task or manager-day"));
        assert!(Waiver::parse_entity("31457201").is_err());
    }

    #[test]
    fn a_waiver_holds_through_its_last_day() {
        let w = Waiver {
            rule: "deal-without-task".into(),
            kind: "deal",
            id: "1".into(),
            reason: "клиент в отпуске".into(),
            until: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        };
        assert!(w.holds_on(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()));
        assert!(!w.holds_on(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()));
    }
}

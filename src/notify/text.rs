//! The digest in Russian, as its readers (managers and the head of sales)
//! read it: a title line with tonight's totals, each manager's numbers,
//! the violations open longest, and the attached reports. Plain text; each
//! channel escapes it as it must (Telegram's HTML) and `--mask-phones`
//! masks it line by line.

use super::digest::Digest;
use crate::history::Chronic;
use crate::lang::plural::{count, RUNS, VIOLATIONS};
use crate::report::EntityKind;

/// A message: a title (an e-mail's subject, Telegram's bold first line)
/// and the lines below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub title: String,
    pub lines: Vec<String>,
}

impl Message {
    /// The whole text, the title first.
    pub fn plain(&self) -> String {
        let mut text = self.title.clone();
        for line in &self.lines {
            text.push('\n');
            text.push_str(line);
        }
        text
    }

    /// Every line, the title's included, passed through `f`.
    pub fn map(self, f: impl Fn(&str) -> String) -> Message {
        Message {
            title: f(&self.title),
            lines: self.lines.iter().map(|l| f(l)).collect(),
        }
    }
}

/// The message of `digest`, naming the files sent with it.
pub fn message(digest: &Digest, attachments: &[String]) -> Message {
    let title = format!(
        "Аудит CRM за {}: {}, новых {}, исправлено {}",
        day(&digest.as_of),
        count(digest.violations, VIOLATIONS),
        digest.new,
        digest.fixed
    );
    let mut lines = Vec::new();
    if digest.gone > 0 {
        lines.push(format!(
            "Пропали из выгрузки: {} прошлого запуска (сделки или задачи нет в выгрузке: \
             удалена, закрыта или выгрузка неполная); это не исправление.",
            count(digest.gone, VIOLATIONS)
        ));
    }
    lines.push(String::new());
    if digest.managers.is_empty() {
        lines.push("По менеджерам: нарушений нет.".to_string());
    } else {
        lines.push("По менеджерам:".to_string());
        for m in &digest.managers {
            lines.push(format!(
                "• {}: {}, новых {}, исправлено {}",
                manager(&m.manager),
                count(m.violations, VIOLATIONS),
                m.new,
                m.fixed
            ));
        }
    }
    lines.push(String::new());
    if digest.chronic.is_empty() {
        lines.push("Нарушений, открытых дольше одного запуска, нет.".to_string());
    } else {
        lines.push("Дольше всего открыты:".to_string());
        for (i, c) in digest.chronic.iter().enumerate() {
            lines.push(chronic_line(i + 1, c));
        }
    }
    if !attachments.is_empty() {
        lines.push(String::new());
        lines.push(format!("Отчёты во вложении: {}", attachments.join(", ")));
    }
    Message { title, lines }
}

/// `1. overdue-task · Иванова Мария · задача T1 · с 20.11.2026, 7 запусков подряд`
fn chronic_line(n: usize, c: &Chronic) -> String {
    format!(
        "{n}. {} · {} · {} · с {}, {} подряд",
        c.rule,
        manager(&c.manager),
        entity(c.entity_kind, &c.entity_id),
        day(&c.since),
        count(i64::from(c.runs), RUNS)
    )
}

/// A manager as the digest names them: no one's records as the Russian
/// reports name them, «(не назначен)».
fn manager(name: &str) -> &str {
    if name == crate::model::UNASSIGNED {
        crate::report::lang::words(crate::lang::Lang::Ru).unassigned
    } else {
        name
    }
}

/// An entity as a reader names it: `сделка 801`, `задача T1`, `день 26.11.2026`.
fn entity(kind: EntityKind, id: &str) -> String {
    match kind {
        EntityKind::Deal => format!("сделка {id}"),
        EntityKind::Lead => format!("лид {id}"),
        EntityKind::Task => format!("задача {id}"),
        EntityKind::Call => format!("звонок {id}"),
        // MANAGER/YYYY-MM-DD: the manager is named beside it already.
        EntityKind::ManagerDay => match id.rsplit_once('/') {
            Some((_, date)) => format!("день {}", day(date)),
            None => format!("день {id}"),
        },
    }
}

/// The company-local date of an RFC 3339 moment or an ISO date, as
/// Russians write it (`27.11.2026`); anything else as it is.
fn day(moment: &str) -> String {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(moment) {
        return at.date_naive().format("%d.%m.%Y").to_string();
    }
    match chrono::NaiveDate::parse_from_str(moment, "%Y-%m-%d") {
        Ok(date) => date.format("%d.%m.%Y").to_string(),
        Err(_) => moment.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::ManagerCounts;

    fn digest() -> Digest {
        Digest {
            run: 7,
            as_of: "2026-11-27T02:00:00+03:00".into(),
            violations: 42,
            new: 5,
            fixed: 3,
            gone: 1,
            managers: vec![ManagerCounts {
                manager: "Иванова Мария".into(),
                violations: 21,
                new: 2,
                fixed: 1,
            }],
            chronic: vec![Chronic {
                rule: "daily-call-quota".into(),
                manager: "Иванова Мария".into(),
                entity_kind: EntityKind::ManagerDay,
                entity_id: "Иванова Мария/2026-11-26".into(),
                since: "2026-11-27T01:30:00+03:00".into(),
                runs: 2,
            }],
        }
    }

    #[test]
    fn every_kind_of_record_is_named_in_russian() {
        // A lead was named by its English word before the kinds were an enum.
        assert_eq!(super::entity(EntityKind::Lead, "101"), "лид 101");
        assert_eq!(super::entity(EntityKind::Deal, "801"), "сделка 801");
        assert_eq!(
            super::entity(EntityKind::ManagerDay, "Иванова Мария/2026-11-26"),
            "день 26.11.2026"
        );
    }

    #[test]
    fn the_title_counts_in_russian() {
        let m = message(&digest(), &[]);
        assert_eq!(
            m.title,
            "Аудит CRM за 27.11.2026: 42 нарушения, новых 5, исправлено 3"
        );
        assert!(m.lines[0].starts_with("Пропали из выгрузки: 1 нарушение прошлого запуска"));
        assert_eq!(
            m.lines[3],
            "• Иванова Мария: 21 нарушение, новых 2, исправлено 1"
        );
        // The moment's own date, not the UTC one (22:30 UTC on the 26th).
        assert_eq!(
            m.lines[6],
            "1. daily-call-quota · Иванова Мария · день 26.11.2026 · с 27.11.2026, 2 запуска подряд"
        );
    }

    #[test]
    fn a_quiet_night_says_so() {
        let quiet = Digest {
            violations: 0,
            new: 0,
            fixed: 0,
            gone: 0,
            managers: vec![],
            chronic: vec![],
            ..digest()
        };
        let m = message(&quiet, &["audit.html".to_string()]);
        assert_eq!(
            m.plain(),
            "Аудит CRM за 27.11.2026: 0 нарушений, новых 0, исправлено 0\n\n\
             По менеджерам: нарушений нет.\n\n\
             Нарушений, открытых дольше одного запуска, нет.\n\n\
             Отчёты во вложении: audit.html"
        );
    }

    #[test]
    fn records_of_no_manager_are_named_as_the_russian_reports_name_them() {
        // Deal 31466296 has no responsible: the history keeps the
        // audit's own name for no one, which the digest says in Russian.
        let unassigned = crate::model::UNASSIGNED.to_string();
        let night = Digest {
            managers: vec![ManagerCounts {
                manager: unassigned.clone(),
                violations: 2,
                new: 0,
                fixed: 0,
            }],
            chronic: vec![Chronic {
                rule: "deal-without-task".into(),
                manager: unassigned,
                entity_kind: EntityKind::Deal,
                entity_id: "31466296".into(),
                since: "2026-11-27T02:00:00+03:00".into(),
                runs: 2,
            }],
            ..digest()
        };
        let text = message(&night, &[]).plain();
        assert!(
            text.contains("• (не назначен): 2 нарушения, новых 0, исправлено 0"),
            "{text}"
        );
        assert!(
            text.contains("1. deal-without-task · (не назначен) · сделка 31466296 · с 27.11.2026"),
            "{text}"
        );
        assert!(!text.contains("unassigned"), "{text}");
    }
}

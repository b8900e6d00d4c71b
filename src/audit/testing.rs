//! A small builder of datasets for the engine's unit tests: records are
//! written as the exports would carry them, without going through files.

use super::{run, Details, Entity};
use crate::model::{Call, Dataset, Deal, InputFile, StageEntry, Task, UNASSIGNED};
use crate::rules::columns::{field_specs, EntityKind};
use crate::rules::stages::FieldMask;
use crate::rules::RuleSet;
use crate::value::{self, Direction, TaskType};
use chrono::NaiveDateTime;

/// A deal as a test writes it.
#[derive(Default)]
pub struct DealSpec {
    pub contact: Option<&'static str>,
    pub phone: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub nearest: Option<&'static str>,
    pub budget: Option<f64>,
    /// Required fields left empty, by name.
    pub empty: Vec<&'static str>,
}

pub struct TestData {
    pub rules: RuleSet,
    pub data: Dataset,
}

fn moment(text: &str) -> value::Moment {
    value::parse_moment(text, chrono_tz::Europe::Moscow).expect("a test date")
}

pub fn at(text: &str) -> NaiveDateTime {
    moment(text).start()
}

impl TestData {
    pub fn new() -> Self {
        TestData {
            rules: RuleSet::builtin(),
            data: Dataset::default(),
        }
    }

    pub fn with_rules(mut self, rules: RuleSet) -> Self {
        self.rules = rules;
        self
    }

    fn file(mut self, kind: EntityKind, path: &str, present: &[&str]) -> Self {
        let present = field_specs(kind)
            .iter()
            .map(|s| s.role != crate::rules::columns::Role::Optional || present.contains(&s.key))
            .collect();
        let all = (0..self.rules.stages.required_fields.len())
            .fold(FieldMask::default(), FieldMask::with);
        self.data.files.push(InputFile {
            path: path.into(),
            kind,
            format: "csv",
            encoding: Some("UTF-8"),
            delimiter: Some(','),
            sheet: None,
            header_row: 1,
            rows: 0,
            audited: 0,
            skipped: Default::default(),
            present,
            required_present: all,
        });
        self
    }

    /// A deal file with the given optional columns (`phones`, `contact-name`, …).
    pub fn deals_file(self, present: &[&str]) -> Self {
        self.file(EntityKind::Deals, "deals.csv", present)
    }

    /// The last deal file lacks these required-field columns.
    pub fn without_required_columns(mut self, names: &[&str]) -> Self {
        let fields = self.rules.stages.required_fields.clone();
        let file = self.data.files.last_mut().expect("a file");
        for (i, f) in fields.iter().enumerate() {
            if names.contains(&f.as_str()) {
                file.required_present = FieldMask(file.required_present.0 & !(1u128 << i));
            }
        }
        self
    }

    pub fn tasks_file(self) -> Self {
        self.file(
            EntityKind::Tasks,
            "tasks.csv",
            &["id", "deal-id", "type", "completed-at"],
        )
    }

    pub fn calls_file(self) -> Self {
        self.file(EntityKind::Calls, "calls.csv", &["status", "duration"])
    }

    fn manager(&mut self, name: &str) -> u32 {
        self.data
            .managers
            .intern(if name.is_empty() { UNASSIGNED } else { name })
    }

    pub fn deal(
        mut self,
        id: &str,
        stage: &str,
        manager: &str,
        edit: impl FnOnce(&mut DealSpec),
    ) -> Self {
        let mut spec = DealSpec {
            contact: Some("Клиент"),
            phone: Some("+7 927 555-66-77"),
            ..DealSpec::default()
        };
        edit(&mut spec);
        let stage_id = self.data.stages.len() as u32;
        self.data.stages.push(StageEntry {
            text: stage.into(),
            matched: self.rules.stages.classify(stage),
        });
        let filled = self
            .rules
            .stages
            .required_fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !spec.empty.contains(&f.as_str()))
            .fold(FieldMask::default(), |m, (i, _)| m.with(i));
        let manager = self.manager(manager);
        let file = (self.data.files.len() - 1) as u16;
        self.data.deals.push(Deal {
            id: id.into(),
            name: format!("Сделка {id}").into(),
            manager,
            stage: stage_id,
            budget: spec.budget,
            contact_name: spec.contact.unwrap_or("").into(),
            has_phone: spec.phone.is_some_and(value::has_digit),
            nearest_task: spec.nearest.map(moment),
            has_refusal_reason: spec.reason.is_some_and(|r| !r.trim().is_empty()),
            filled,
            file,
            row: self.data.deals.len() as u64 + 2,
        });
        self
    }

    pub fn task(
        mut self,
        id: &str,
        deal: &str,
        manager: &str,
        due: Option<&str>,
        completed: bool,
    ) -> Self {
        let manager = self.manager(manager);
        self.data.tasks.push(Task {
            id: id.into(),
            deal_id: deal.into(),
            manager,
            task_type: TaskType::Call,
            due: due.map(moment),
            completed,
            completed_at: None,
            file: (self.data.files.len() - 1) as u16,
            row: self.data.tasks.len() as u64 + 2,
        });
        self
    }

    pub fn letter(mut self, manager: &str, completed_at: &str) -> Self {
        let manager = self.manager(manager);
        self.data.tasks.push(Task {
            id: format!("L{}", self.data.tasks.len()).into(),
            deal_id: "".into(),
            manager,
            task_type: TaskType::Email,
            due: None,
            completed: true,
            completed_at: Some(at(completed_at)),
            file: (self.data.files.len() - 1) as u16,
            row: self.data.tasks.len() as u64 + 2,
        });
        self
    }

    /// `count` calls of one manager at `time`.
    pub fn calls(mut self, manager: &str, time: &str, direction: Direction, count: usize) -> Self {
        let manager = self.manager(manager);
        for _ in 0..count {
            self.data.calls.push(Call {
                time: at(time),
                manager,
                direction,
                answered: Some(true),
                duration: Some(60),
            });
        }
        self
    }

    /// The violations of one rule, one line each: `entity manager [details]`.
    pub fn run(&self, rule: &str, as_of: &str) -> Vec<String> {
        let index = self
            .rules
            .rules
            .iter()
            .position(|r| r.name == rule)
            .expect("a rule of the set");
        let outcome = run(&self.data, &self.rules, at(as_of));
        outcome
            .violations
            .iter()
            .filter(|v| v.rule == index)
            .map(|v| {
                let entity = match v.entity {
                    Entity::Deal(i) => format!("deal:{}", self.data.deals[i].id),
                    Entity::Task(i) => format!("task:{}", self.data.tasks[i].id),
                    Entity::ManagerDay(m, d) => format!("day:{}/{d}", self.data.managers.name(m)),
                };
                let details = match &v.details {
                    Details::Overdue { late_minutes, .. } => format!(" late {late_minutes}"),
                    Details::MissingFields { fields, .. } => {
                        let names: Vec<_> = fields
                            .iter()
                            .map(|i| self.rules.stages.required_fields[i].as_str())
                            .collect();
                        format!(" missing {}", names.join(", "))
                    }
                    Details::Quota { count, quota, .. } => format!(" {count}/{quota}"),
                    Details::Stage { .. } | Details::None => String::new(),
                };
                format!("{entity} {}{details}", self.data.managers.name(v.manager))
            })
            .collect()
    }

    /// The "not checked" reasons of one rule.
    pub fn not_checked(&self, rule: &str, as_of: &str) -> Vec<String> {
        run(&self.data, &self.rules, at(as_of))
            .not_checked
            .into_iter()
            .filter(|n| n.rule == rule)
            .map(|n| n.reason)
            .collect()
    }
}

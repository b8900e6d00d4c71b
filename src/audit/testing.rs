//! A small builder of datasets for the engine's unit tests: records are
//! written as the exports would carry them, without going through files.

use super::{run, Entity};
use crate::input::phone_states;
use crate::model::{
    Call, CallType, Dataset, Deal, InputFile, PackedMoment, PackedTime, Review, StageEntry, Task,
    Text, UNASSIGNED,
};
use crate::rules::columns::{field_specs, EntityKind, ReviewField, Role};
use crate::rules::fields::FieldSource;
use crate::rules::stages::FieldMask;
use crate::rules::{PhoneCountry, RuleSet};
use crate::value::{self, normalize_header, Direction, TaskType};
use chrono::NaiveDateTime;

/// A deal as a test writes it.
#[derive(Default)]
pub struct DealSpec {
    pub contact: Option<&'static str>,
    pub phone: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub nearest: Option<&'static str>,
    pub budget: Option<f64>,
    /// Catalog fields left empty, by name.
    pub empty: Vec<&'static str>,
    /// Texts of catalog fields whose value rules read, by name.
    pub values: Vec<(&'static str, &'static str)>,
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
        Self::with_rules(RuleSet::builtin())
    }

    pub fn with_rules(rules: RuleSet) -> Self {
        let mut data = Dataset::default();
        data.pipelines.intern("");
        TestData { rules, data }
    }

    /// A company rule file laid over the built-in rules.
    pub fn with_company_rules(text: &str) -> Self {
        let text = format!("extends = \"builtin\"\n{text}");
        Self::with_rules(RuleSet::from_text(&text, "company.toml").expect("a valid company file"))
    }

    fn file(mut self, kind: EntityKind, path: &str, present: &[&str]) -> Self {
        let present: Vec<bool> = field_specs(kind)
            .iter()
            .map(|s| s.role != Role::Optional || present.contains(&s.key))
            .collect();
        let catalog = match kind {
            EntityKind::Deals => Some(&self.rules.deal_fields),
            EntityKind::Tasks => Some(&self.rules.task_fields),
            _ => None,
        };
        // A mapped field is there when its logical column is; a named
        // column is there unless `without_columns` says otherwise.
        let fields_present = catalog.map_or(FieldMask::default(), |c| {
            c.fields
                .iter()
                .enumerate()
                .filter(|(_, f)| match f.source {
                    FieldSource::Logical(i) => present[i],
                    FieldSource::Header(_) => true,
                })
                .fold(FieldMask::default(), |m, (i, _)| m.with(i))
        });
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
            fields_present,
            notes: Vec::new(),
            mapping: Vec::new(),
            unmapped: Vec::new(),
        });
        self
    }

    /// A deal file with the given optional columns (`phones`, `contact-name`, …).
    pub fn deals_file(self, present: &[&str]) -> Self {
        self.file(EntityKind::Deals, "deals.csv", present)
    }

    /// The last file lacks these catalog fields' columns.
    pub fn without_columns(mut self, names: &[&str]) -> Self {
        let file = self.data.files.last_mut().expect("a file");
        let catalog = match file.kind {
            EntityKind::Tasks => &self.rules.task_fields,
            _ => &self.rules.deal_fields,
        };
        for (i, f) in catalog.fields.iter().enumerate() {
            if names
                .iter()
                .any(|n| normalize_header(n) == normalize_header(&f.name))
            {
                file.fields_present = file.fields_present.without(i);
            }
        }
        self
    }

    pub fn tasks_file(self) -> Self {
        self.file(
            EntityKind::Tasks,
            "tasks.csv",
            &[
                "id",
                "deal-id",
                "type",
                "completed-at",
                "result",
                "created-at",
            ],
        )
    }

    pub fn calls_file(self) -> Self {
        self.file(EntityKind::Calls, "calls.csv", &["status", "duration"])
    }

    pub fn reviews_file(self) -> Self {
        let keys: Vec<&str> = ReviewField::ALL.iter().map(|f| f.key()).collect();
        self.file(EntityKind::CallReviews, "reviews.csv", &keys)
    }

    fn manager(&mut self, name: &str) -> u32 {
        self.data
            .managers
            .intern(if name.is_empty() { UNASSIGNED } else { name })
    }

    fn last_file(&self) -> u16 {
        (self.data.files.len() - 1) as u16
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
            pipeline: 0,
            key: normalize_header(stage).into(),
            matched: self.rules.stages.classify(stage),
        });
        let catalog = &self.rules.deal_fields;
        let mut values = vec![Text::EMPTY; catalog.value_count()];
        let mut filled = FieldMask::default();
        for (i, field) in catalog.fields.iter().enumerate() {
            let named = |n: &&str| normalize_header(n) == normalize_header(&field.name);
            let given = spec.values.iter().find(|(n, _)| named(n)).map(|(_, v)| *v);
            let is_filled = match (field.value_slot, given) {
                (Some(slot), Some(text)) => {
                    values[slot] = self.data.texts.keep(text).expect("a short text");
                    !text.is_empty()
                }
                (Some(_), None) => false,
                (None, _) => !spec.empty.iter().any(named),
            };
            let logical_contact = field.name == "contact-name";
            if is_filled && !(logical_contact && spec.contact.is_none()) {
                filled = filled.with(i);
            }
        }
        self.data.deal_values.extend(values);
        let manager = self.manager(manager);
        let file = self.last_file();
        // Judged in every numbering plan, as readers would for rules of each.
        let cells: Vec<&str> = spec.phone.into_iter().collect();
        let phones = phone_states(&cells, &PhoneCountry::ALL);
        let texts = &mut self.data.texts;
        let mut keep = |text: &str| texts.keep(text).expect("a short text");
        let implausible = if phones.implausible_somewhere() {
            spec.phone.unwrap_or("")
        } else {
            ""
        };
        let deal = Deal {
            id: keep(id),
            name: keep(&format!("Сделка {id}")),
            manager,
            stage: stage_id,
            pipeline: 0,
            // As a reader would: the budget column's text, parsed.
            budget: spec.budget.or_else(|| {
                let (_, text) = spec.values.iter().find(|(k, _)| *k == "budget")?;
                crate::value::parse_amount(text).ok()
            }),
            contact_name: keep(spec.contact.unwrap_or("")),
            phones,
            implausible_phones: keep(implausible),
            nearest_task: spec.nearest.map(moment),
            has_refusal_reason: spec.reason.is_some_and(|r| !r.trim().is_empty()),
            filled,
            file,
            row: self.data.deals.len() as u64 + 2,
        };
        self.data.deals.push(deal);
        self
    }

    fn push_task(&mut self, task: Task, result: &str) {
        let catalog = &self.rules.task_fields;
        let mut filled = FieldMask::default();
        for (i, f) in catalog.fields.iter().enumerate() {
            if f.name == "result" && !result.is_empty() {
                filled = filled.with(i);
            }
        }
        self.data
            .task_values
            .extend(vec![Text::EMPTY; catalog.value_count()]);
        self.data.tasks.push(Task { filled, ..task });
    }

    fn new_task(&mut self, id: &str, deal: &str, manager: &str) -> Task {
        let manager = self.manager(manager);
        Task {
            id: self.data.texts.keep(id).expect("a short text"),
            deal_id: self.data.texts.keep(deal).expect("a short text"),
            deal: crate::model::NO_DEAL,
            manager,
            task_type: TaskType::Call,
            due: PackedMoment::NONE,
            completed: false,
            declined: false,
            deal_title: Text::EMPTY,
            to_lead: false,
            completed_at: PackedTime::NONE,
            created_at: PackedTime::NONE,
            failed_result: Text::EMPTY,
            filled: FieldMask::default(),
            unreadable: false,
            state_unknown: false,
            file: self.last_file(),
            row: self.data.tasks.len() as u64 + 2,
        }
    }

    /// A task, open or completed (completed tasks here have a result).
    pub fn task(
        mut self,
        id: &str,
        deal: &str,
        manager: &str,
        due: Option<&str>,
        completed: bool,
    ) -> Self {
        let task = Task {
            due: due.map(moment).into(),
            completed,
            ..self.new_task(id, deal, manager)
        };
        self.push_task(task, if completed { "Сделано" } else { "" });
        self
    }

    /// A completed task with its completion moment and result.
    pub fn done(
        mut self,
        id: &str,
        deal: &str,
        manager: &str,
        completed_at: &str,
        result: &str,
    ) -> Self {
        // Kept whatever it says, as a reader keeps what some rule's words
        // match: each follow-up rule judges it by its own.
        let failed_result = self.data.texts.keep(result).expect("a short text");
        let task = Task {
            due: Some(moment(completed_at)).into(),
            completed: true,
            completed_at: Some(at(completed_at)).into(),
            failed_result,
            ..self.new_task(id, deal, manager)
        };
        self.push_task(task, result);
        self
    }

    /// An open task created at `created` and due at `due`.
    pub fn open_task(
        mut self,
        id: &str,
        deal: &str,
        manager: &str,
        created: &str,
        due: &str,
    ) -> Self {
        let task = self.dated_task(id, deal, manager, created, due);
        self.push_task(task, "");
        self
    }

    /// A task of `deal` created at `created` and due at `due`.
    fn dated_task(
        &mut self,
        id: &str,
        deal: &str,
        manager: &str,
        created: &str,
        due: &str,
    ) -> Task {
        Task {
            due: Some(moment(due)).into(),
            created_at: Some(at(created)).into(),
            ..self.new_task(id, deal, manager)
        }
    }

    /// A task created at `created`, due at `due` and completed at
    /// `completed_at`, with a result.
    pub fn closed_task(
        mut self,
        id: &str,
        deal: &str,
        manager: &str,
        created: &str,
        due: &str,
        completed_at: &str,
    ) -> Self {
        let task = Task {
            completed: true,
            completed_at: Some(at(completed_at)).into(),
            ..self.dated_task(id, deal, manager, created, due)
        };
        self.push_task(task, "Сделано");
        self
    }

    pub fn letter(mut self, manager: &str, completed_at: &str) -> Self {
        let id = format!("L{}", self.data.tasks.len());
        let task = Task {
            task_type: TaskType::Email,
            completed: true,
            completed_at: Some(at(completed_at)).into(),
            ..self.new_task(&id, "", manager)
        };
        self.push_task(task, "Отправлено КП");
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
                file: (self.data.files.len() - 1) as u16,
            });
        }
        self
    }

    /// An outgoing call from an extension the roster does not know.
    pub fn unattributed(mut self, time: &str, extension: &str) -> Self {
        self.data
            .unattributed_calls
            .push(crate::model::Unattributed {
                date: Some(at(time).date()),
                caller: extension.into(),
                why: crate::model::NoCaller::UnknownExtension,
            });
        self
    }

    /// A reviewed call with the columns marked.
    pub fn review(mut self, id: &str, manager: &str, call_type: CallType, marked: &[&str]) -> Self {
        let manager = self.manager(manager);
        let marked = ReviewField::ALL
            .iter()
            .filter(|f| marked.contains(&f.key()))
            .fold(0u32, |m, f| m | (1 << f.index()));
        self.data.reviews.push(Review {
            id: id.into(),
            manager,
            call_type,
            marked,
            unreadable_marks: 0,
            unreadable: Vec::new(),
            file: self.last_file(),
            row: self.data.reviews.len() as u64 + 2,
        });
        self
    }

    /// The data as loading leaves it: tasks pointed at their deals.
    pub fn linked(&self) -> Dataset {
        let mut data = self.data.clone();
        data.link_tasks();
        data
    }

    /// The violations of one rule, one line each: `entity manager key=value…`.
    pub fn run(&self, rule: &str, as_of: &str) -> Vec<String> {
        let index = self
            .rules
            .rules
            .iter()
            .position(|r| r.name == rule)
            .expect("a rule of the set");
        let data = self.linked();
        let outcome = run(&data, &self.rules, at(as_of));
        outcome
            .violations
            .iter()
            .filter(|v| v.rule == index)
            .map(|v| {
                let (kind, id) = v.entity.kind_and_id(&data);
                let kind = if matches!(v.entity, Entity::ManagerDay(..)) {
                    "day"
                } else {
                    kind
                };
                let mut line = format!("{kind}:{id} {}", self.data.managers.name(v.manager));
                for d in &v.details {
                    let value = match &d.value {
                        super::Value::Minutes(m) => m.to_string(),
                        other => other.message_text(crate::lang::Lang::En),
                    };
                    line.push_str(&format!(" {}={value}", d.key));
                }
                line
            })
            .collect()
    }

    /// The details of each violation of one rule.
    pub fn details(&self, rule: &str, as_of: &str) -> Vec<super::Details> {
        let index = self
            .rules
            .rules
            .iter()
            .position(|r| r.name == rule)
            .expect("a rule of the set");
        run(&self.linked(), &self.rules, at(as_of))
            .violations
            .into_iter()
            .filter(|v| v.rule == index)
            .map(|v| v.details)
            .collect()
    }

    /// The "not checked" reasons of one rule.
    /// In English, sorted as the report sorts them.
    pub fn not_checked(&self, rule: &str, as_of: &str) -> Vec<String> {
        let mut reasons: Vec<String> = run(&self.linked(), &self.rules, at(as_of))
            .not_checked
            .into_iter()
            .filter(|n| n.rule == rule)
            .map(|n| crate::report::reason::reason_text(&n.reason, crate::lang::Lang::En))
            .collect();
        reasons.sort();
        reasons
    }

    /// The report's notes on how the audit judged.
    pub fn notes(&self, as_of: &str) -> Vec<String> {
        run(&self.linked(), &self.rules, at(as_of))
            .notes
            .iter()
            .map(|n| crate::report::reason::note_text(n, crate::lang::Lang::En))
            .collect()
    }
}

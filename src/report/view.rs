//! One violation's report fields, borrowed where they lie: in the dataset
//! and the rule set for a violation being written, or in a written-out
//! `ViolationReport`. The JSON writer prints a view without copying a
//! text (`json_violation`); a `ViolationReport` is a view made owned
//! (`View::to_report`), so the two read a violation the same way.

use super::fingerprint::Digits;
use super::history::ViolationStatus;
use super::{DetailsReport, EntityKind, EntityReport, SourceReport, ViolationReport};
use crate::audit::{Detail, Entity, Violation};
use crate::lang::Lang;
use crate::model::Dataset;
use crate::rules::template::{Part, Template};
use crate::rules::{RuleSet, Severity};
use std::borrow::Cow;

/// The fields of `ViolationReport`, borrowed.
pub(super) struct View<'a> {
    pub rule: &'static str,
    pub code: &'a str,
    pub clause: &'a str,
    pub severity: Severity,
    pub manager: &'a str,
    pub kind: EntityKind,
    pub id: Cow<'a, str>,
    pub name: Option<&'a str>,
    pub deal_id: Option<&'a str>,
    pub stage: Option<&'a str>,
    pub budget: Option<f64>,
    pub deal_name: Option<&'a str>,
    pub deal_stage: Option<&'a str>,
    pub url: Option<Cow<'a, str>>,
    pub message: Message<'a>,
    /// As the check gave them (unreadable cells as cells) or as a report
    /// keeps them (`Detail::for_report`); both print the same.
    pub details: &'a [Detail],
    /// The file and its row.
    pub source: Option<(&'a str, u64)>,
    pub fingerprint: Fingerprint<'a>,
    pub status: Option<&'a ViolationStatus>,
}

/// A violation's fingerprint: made from the violation, or as a report
/// holds it.
pub(super) enum Fingerprint<'a> {
    Made(Digits),
    Written(&'a str),
}

impl Fingerprint<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Fingerprint::Made(digits) => digits.as_str(),
            Fingerprint::Written(written) => written,
        }
    }
}

/// A violation's message: the rule's template and the details that fill
/// it, or the text a report holds.
pub(super) enum Message<'a> {
    Template {
        template: &'a Template,
        details: &'a [Detail],
        lang: Lang,
    },
    Written(&'a str),
}

impl Message<'_> {
    /// Writes the message into `out` in pieces: `text` takes each, the
    /// slots' values written into `scratch` first.
    pub fn write_with<O: ?Sized>(
        &self,
        out: &mut O,
        scratch: &mut String,
        mut text: impl FnMut(&mut O, &str),
    ) {
        match self {
            Message::Template {
                template,
                details,
                lang,
            } => {
                for part in template.parts() {
                    match part {
                        Part::Text(piece) => text(out, piece),
                        Part::Slot(key) => {
                            scratch.clear();
                            crate::audit::details::write_slot(details, key, *lang, scratch);
                            text(out, scratch);
                        }
                    }
                }
            }
            Message::Written(written) => text(out, written),
        }
    }

    fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_with(&mut out, &mut String::new(), |out, piece| {
            out.push_str(piece)
        });
        out
    }
}

impl<'a> View<'a> {
    /// Violation `v` as the report writes it, with its `status`.
    pub fn of(
        data: &'a Dataset,
        rules: &'a RuleSet,
        v: &'a Violation,
        status: Option<&'a ViolationStatus>,
    ) -> View<'a> {
        let rule = &rules.rules[v.rule];
        let mut deal_id = None;
        let (mut stage, mut budget) = (None, None);
        let (mut deal_name, mut deal_stage) = (None, None);
        let non_empty = |t: &'a str| Some(t).filter(|t| !t.is_empty());
        let id = super::entity_id(data, v.entity);
        let (kind, name) = match v.entity {
            Entity::Deal(i) => {
                let d = &data.deals[i];
                stage = Some(&*data.stage(d).text);
                budget = d.budget;
                let kind = if data.is_lead(d) {
                    EntityKind::Lead
                } else {
                    EntityKind::Deal
                };
                (kind, non_empty(data.text(d.name)))
            }
            Entity::Task(i) => {
                let t = &data.tasks[i];
                // A task of a lead names no deal (nor the lead's CRM card).
                deal_id = non_empty(data.text(t.deal_id)).filter(|_| !t.to_lead);
                if let Some(deal) = t
                    .deal()
                    .map(|d| &data.deals[d])
                    .filter(|d| !data.is_lead(d))
                {
                    deal_name = non_empty(data.text(deal.name));
                    deal_stage = Some(&*data.stage(deal).text);
                }
                (EntityKind::Task, None)
            }
            Entity::Call(_) | Entity::LoggedCall(_) => (EntityKind::Call, None),
            Entity::ManagerDay(..) => (EntityKind::ManagerDay, None),
        };
        // The record's file and row; a manager-day stands in no file.
        let source = match v.entity {
            Entity::ManagerDay(..) => None,
            entity => {
                let (file, row) = super::place(data, entity);
                Some((data.file(file).path.as_str(), row))
            }
        };
        let card = match kind {
            EntityKind::Deal => Some(&*id),
            _ => deal_id,
        };
        let url = rules
            .crm_url
            .as_ref()
            .zip(card)
            .map(|(t, card)| t.render(|_| card.to_string()).into());
        View {
            rule: rule.name,
            code: &rule.code,
            clause: &rule.clause,
            severity: rule.severity,
            manager: data.manager_name(v.manager),
            fingerprint: Fingerprint::Made(Digits::of(&[rule.name, kind.as_str(), &id])),
            kind,
            id,
            name,
            deal_id,
            stage,
            budget,
            deal_name,
            deal_stage,
            url,
            message: Message::Template {
                template: rule.message_in(rules.language),
                details: &v.details,
                lang: rules.language,
            },
            details: &v.details,
            source,
            status,
        }
    }

    /// A written-out violation, as it is.
    pub fn of_report(v: &'a ViolationReport) -> View<'a> {
        let e = &v.entity;
        View {
            rule: v.rule,
            code: &v.code,
            clause: &v.clause,
            severity: v.severity,
            manager: &v.manager,
            kind: e.kind,
            id: e.id.as_str().into(),
            name: e.name.as_deref(),
            deal_id: e.deal_id.as_deref(),
            stage: e.stage.as_deref(),
            budget: e.budget,
            deal_name: e.deal_name.as_deref(),
            deal_stage: e.deal_stage.as_deref(),
            url: e.url.as_deref().map(Cow::Borrowed),
            message: Message::Written(&v.message),
            details: &v.details.0,
            source: v.source.as_ref().map(|s| (s.file.as_str(), s.row)),
            fingerprint: Fingerprint::Written(&v.fingerprint),
            status: v.status.as_ref(),
        }
    }

    /// The violation written out, every text its own.
    pub fn to_report(&self) -> ViolationReport {
        let owned = |t: Option<&str>| t.map(str::to_string);
        ViolationReport {
            rule: self.rule,
            code: self.code.to_string(),
            clause: self.clause.to_string(),
            severity: self.severity,
            manager: self.manager.to_string(),
            entity: EntityReport {
                kind: self.kind,
                id: self.id.to_string(),
                name: owned(self.name),
                deal_id: owned(self.deal_id),
                stage: owned(self.stage),
                budget: self.budget,
                deal_name: owned(self.deal_name),
                deal_stage: owned(self.deal_stage),
                url: owned(self.url.as_deref()),
            },
            message: self.message.to_text(),
            details: DetailsReport(self.details.iter().map(Detail::for_report).collect()),
            source: self.source.map(|(file, row)| SourceReport {
                file: file.to_string(),
                row,
            }),
            fingerprint: self.fingerprint.as_str().to_string(),
            status: self.status.cloned(),
        }
    }
}

//! What the inputs hold, before any rule: how each file was recognised and
//! read, which header carries which field, the dates each date column spans,
//! the managers and stages met, and what looks wrong (unknown stages,
//! managers the roster does not know, tasks whose deal is not among the
//! deals, deals nobody is responsible for). What a user runs first when a
//! number in the audit looks wrong.

use crate::lang::Lang;
use crate::model::{Dataset, InputFile, UNASSIGNED};
use crate::report::{input_report, not_read_report, InputReport, NotReadReport};
use crate::rules::columns::EntityKind;
use crate::rules::RuleSet;
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub rule_set: String,
    pub files: Vec<FileInspection>,
    /// Files of the folders given that are not exports, skipped unread.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_read: Vec<NotReadReport>,
    /// Everyone named in the inputs, by name.
    pub managers: Vec<ManagerSeen>,
    /// Deals whose phone came from a contact of the same name.
    pub phones_from_contacts: usize,
    pub warnings: Vec<String>,
}

/// One file: what the report says of it, and what it holds.
#[derive(Debug, Clone, Serialize)]
pub struct FileInspection {
    #[serde(flatten)]
    pub input: InputReport,
    /// Field → the headers that carry it.
    pub fields: BTreeMap<String, Vec<String>>,
    pub unmapped_headers: Vec<String>,
    /// Date field → [first, last], as `YYYY-MM-DD HH:MM`.
    pub date_ranges: BTreeMap<&'static str, [String; 2]>,
    /// Manager → records.
    pub managers: BTreeMap<String, usize>,
    /// Stage → deals (deal files only).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub stages: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManagerSeen {
    pub name: String,
    /// `None` when the rule set has no roster.
    pub in_roster: Option<bool>,
    pub deals: usize,
    pub tasks: usize,
    pub calls: usize,
}

/// Widens `[first, last]` to take in `t`.
fn widen(range: &mut Option<(NaiveDateTime, NaiveDateTime)>, t: NaiveDateTime) {
    *range = Some(match *range {
        Some((a, b)) => (a.min(t), b.max(t)),
        None => (t, t),
    });
}

pub fn inspect(data: &Dataset, rules: &RuleSet) -> Inspection {
    let mut files: Vec<FileInspection> = data.files.iter().map(file_part).collect();
    count_records(data, &mut files);
    for (file, ranges) in files.iter_mut().zip(date_ranges(data)) {
        file.date_ranges = ranges;
    }
    Inspection {
        rule_set: rules.source.clone(),
        managers: managers(data, rules),
        phones_from_contacts: data.phones_from_contacts,
        warnings: warnings(data, rules),
        files,
        not_read: data
            .not_read
            .iter()
            .map(|f| not_read_report(f, Lang::En))
            .collect(),
    }
}

/// Each file's records per manager, and its deals per stage.
fn count_records(data: &Dataset, files: &mut [FileInspection]) {
    let mut count = |file: u16, manager: u32| {
        *files[usize::from(file)]
            .managers
            .entry(data.manager_name(manager).to_string())
            .or_default() += 1;
    };
    for (manager, file) in data.manager_records() {
        count(file, manager);
    }
    for d in &data.deals {
        *files[usize::from(d.file)]
            .stages
            .entry(data.stage(d).text.to_string())
            .or_default() += 1;
    }
}

/// For each file, the first and last moment of each of its date fields.
fn date_ranges(data: &Dataset) -> Vec<BTreeMap<&'static str, [String; 2]>> {
    let mut ranges: Vec<BTreeMap<&'static str, Option<(NaiveDateTime, NaiveDateTime)>>> =
        vec![BTreeMap::new(); data.files.len()];
    for d in &data.deals {
        if let Some(m) = d.nearest_task {
            widen(
                ranges[usize::from(d.file)]
                    .entry("nearest-task")
                    .or_default(),
                m.start(),
            );
        }
    }
    for t in &data.tasks {
        let r = &mut ranges[usize::from(t.file)];
        for (key, value) in [
            ("due", t.due.get().map(|m| m.start())),
            ("completed-at", t.completed_at.get()),
            ("created-at", t.created_at.get()),
        ] {
            if let Some(v) = value {
                widen(r.entry(key).or_default(), v);
            }
        }
    }
    for c in &data.calls {
        widen(
            ranges[usize::from(c.file)].entry("time").or_default(),
            c.time,
        );
    }
    let shown = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    ranges
        .into_iter()
        .map(|r| {
            r.into_iter()
                .filter_map(|(k, v)| v.map(|(a, b)| (k, [shown(a), shown(b)])))
                .collect()
        })
        .collect()
}

fn file_part(f: &InputFile) -> FileInspection {
    FileInspection {
        input: input_report(f, Lang::En),
        fields: f.mapping.iter().cloned().collect(),
        unmapped_headers: f.unmapped.clone(),
        date_ranges: BTreeMap::new(),
        managers: BTreeMap::new(),
        stages: BTreeMap::new(),
    }
}

fn managers(data: &Dataset, rules: &RuleSet) -> Vec<ManagerSeen> {
    let mut seen: Vec<ManagerSeen> = (0..data.managers.len() as u32)
        .map(|m| {
            let name = data.manager_name(m);
            ManagerSeen {
                name: name.to_string(),
                in_roster: (!rules.roster.is_empty() && name != UNASSIGNED)
                    .then(|| rules.roster.find(name).is_some()),
                deals: data
                    .deals
                    .iter()
                    .filter(|d| !data.is_lead(d) && d.manager == m)
                    .count(),
                tasks: data.tasks.iter().filter(|t| t.manager == m).count(),
                calls: data.calls.iter().filter(|c| c.manager == m).count(),
            }
        })
        .collect();
    seen.sort_by(|a, b| a.name.cmp(&b.name));
    seen
}

fn warnings(data: &Dataset, rules: &RuleSet) -> Vec<String> {
    let mut out = Vec::new();
    let mut unknown: BTreeMap<(bool, &str), usize> = BTreeMap::new();
    for d in &data.deals {
        let stage = data.stage(d);
        if stage.matched.class.is_none() {
            *unknown.entry((data.is_lead(d), &stage.text)).or_default() += 1;
        }
    }
    for ((lead, stage), n) in unknown {
        out.push(if lead {
            format!("lead status «{stage}» is unknown to the rule set ([leads]): {n} lead(s), counted as in work")
        } else {
            format!("stage «{stage}» is unknown to the rule set: {n} deal(s), counted as in work")
        });
    }
    if !rules.roster.is_empty() {
        for m in 0..data.managers.len() as u32 {
            let name = data.manager_name(m);
            if name != UNASSIGNED && rules.roster.find(name).is_none() {
                out.push(format!("manager «{name}» is not in the managers roster"));
            }
        }
    }
    if data.has_kind(EntityKind::Deals) {
        let ids: HashSet<&str> = data.deals.iter().map(|d| data.text(d.id)).collect();
        let orphans = data
            .tasks
            .iter()
            .filter(|t| !t.deal_id.is_empty() && t.deal().is_none())
            .count();
        if orphans > 0 {
            out.push(format!(
                "{orphans} task(s) name a deal ID that is not among the deals read"
            ));
        }
        let orphan_calls: u32 = data
            .call_deal_ids
            .iter()
            .filter(|(id, _)| !ids.contains(id.as_ref()))
            .map(|(_, n)| n)
            .sum();
        if orphan_calls > 0 {
            out.push(format!(
                "{orphan_calls} call(s) name a deal ID that is not among the deals read"
            ));
        }
    }
    let unassigned = data.managers.get(UNASSIGNED);
    let nobody = data
        .deals
        .iter()
        .filter(|d| Some(d.manager) == unassigned)
        .count();
    if nobody > 0 {
        out.push(format!("{nobody} deal(s) have no responsible manager"));
    }
    for ((table, read_as, word), rows) in &data.unclassified {
        out.push(format!(
            "«{word}» is in no list of [values.{table}]: {rows} row(s), read as {read_as}"
        ));
    }
    for (name, calls) in &data.not_people {
        out.push(format!(
            "not a person? «{name}» in {calls} call(s), not judged as anyone's"
        ));
    }
    for rule in &rules.rules {
        if let crate::rules::Check::DailyCount(count) = &rule.check {
            let own = crate::checks::per_manager::own_settings(data, rules, &count.per_manager);
            for unmatched in own.unmatched {
                let note = crate::audit::Note::PerManagerUnmatched {
                    rule: rule.name,
                    name: unmatched.name,
                    nearest: unmatched.nearest,
                };
                out.push(crate::report::reason::note_text(&note, Lang::En));
            }
        }
    }
    for file in &data.files {
        for note in &file.notes {
            if let crate::input::reason::FileNote::NameOfSeveral { .. }
            | crate::input::reason::FileNote::NamesakesDiffer { .. } = note
            {
                out.push(format!("{}: {note}", file.path));
            }
        }
    }
    if !data.unattributed_calls.is_empty() {
        out.push(format!(
            "{} outgoing call(s) come from extensions the managers roster does not know",
            data.unattributed_calls.len()
        ));
    }
    out
}

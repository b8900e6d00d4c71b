//! A rule's `when` table (and `denominator-required-when`) → `Condition`.
//! Each key is checked against the kind of record the rule reads (stage
//! conditions need deals, open/completed need tasks), stage names against
//! the funnel (with the nearest suggested), fields interned in the catalog.

use super::columns::EntityKind;
use super::compile::{funnel_position, nearest, renamed, Result};
use super::compile_rules::{catalog, regex, Context};
use super::condition::Condition;
use super::fields::FieldCatalog;
use super::location::SourceMap;
use super::raw::{RawCondition, Text};
use super::{PipelineId, Record};
use crate::value::normalize_header;
use toml::Spanned;

/// Compiles a `when` table; several keys in one table must all hold.
pub(crate) fn condition(
    src: &SourceMap,
    raw: &Spanned<RawCondition>,
    record: Record,
    ctx: &Context,
    deal_fields: &mut FieldCatalog,
    task_fields: &mut FieldCatalog,
) -> Result<Condition> {
    let c = raw.get_ref();
    let on = On {
        src,
        at: Some(raw.span()),
        record,
    };
    let mut all = Vec::new();
    states(&on, c, &mut all)?;
    stages(&on, ctx, c, &mut all)?;
    let (catalog, kind) = catalog(record, deal_fields, task_fields);
    values(&on, catalog, kind, c, &mut all)?;
    let mut nested = |list: &Vec<Spanned<RawCondition>>| -> Result<Vec<Condition>> {
        list.iter()
            .map(|c| condition(src, c, record, ctx, deal_fields, task_fields))
            .collect()
    };
    if let Some(list) = &c.all {
        all.push(Condition::All(nested(list)?));
    }
    if let Some(list) = &c.any {
        all.push(Condition::Any(nested(list)?));
    }
    if let Some(inner) = &c.not {
        all.push(Condition::Not(Box::new(condition(
            src,
            inner,
            record,
            ctx,
            deal_fields,
            task_fields,
        )?)));
    }
    match all.len() {
        0 => Err(src.error(on.at, "an empty condition; write e.g. { in-work = true }")),
        1 => Ok(all.pop().expect("one")),
        _ => Ok(Condition::All(all)),
    }
}

/// Where a condition table is written, and the record its rule reads.
struct On<'a> {
    src: &'a SourceMap,
    at: Option<std::ops::Range<usize>>,
    record: Record,
}

impl On<'_> {
    /// A key that is a condition on `wanted` records only.
    fn only(&self, wanted: Record, key: &str) -> Result<()> {
        if self.record == wanted {
            return Ok(());
        }
        let (on, reads) = match wanted {
            Record::Deal => ("deals", "tasks"),
            Record::Task => ("tasks", "deals"),
        };
        Err(self.src.error(
            self.at.clone(),
            format!("`{key}` is a condition on {on}, and this rule reads {reads}"),
        ))
    }
}

/// `in-work`, `won`, `lost` of a deal; `open`, `completed` of a task.
fn states(on: &On, c: &RawCondition, all: &mut Vec<Condition>) -> Result<()> {
    let keys = [
        (c.in_work, Record::Deal, "in-work", Condition::InWork),
        (c.won, Record::Deal, "won", Condition::Won),
        (c.lost, Record::Deal, "lost", Condition::Lost),
        (c.open, Record::Task, "open", Condition::Open),
        (c.completed, Record::Task, "completed", Condition::Completed),
    ];
    for (value, record, key, condition) in keys {
        if let Some(value) = value {
            on.only(record, key)?;
            all.push(if value {
                condition
            } else {
                Condition::Not(Box::new(condition))
            });
        }
    }
    Ok(())
}

/// The deal's stage and pipeline.
fn stages(on: &On, ctx: &Context, c: &RawCondition, all: &mut Vec<Condition>) -> Result<()> {
    let src = on.src;
    if let Some(stage) = &c.stage_at_or_after {
        on.only(Record::Deal, "stage-at-or-after")?;
        let at = locate(src, ctx, stage, "stage-at-or-after")?;
        all.push(Condition::StageAtOrAfter(at));
    }
    if let Some(stage) = &c.stage_before {
        on.only(Record::Deal, "stage-before")?;
        all.push(Condition::StageBefore(locate(
            src,
            ctx,
            stage,
            "stage-before",
        )?));
    }
    if let Some(list) = &c.stage_in {
        on.only(Record::Deal, "stage-in")?;
        let mut names = Vec::new();
        for stage in list {
            let written = renamed(ctx.renames, stage.get_ref());
            let known = std::iter::once(ctx.stages)
                .chain(ctx.pipelines.iter().map(|p| &p.stages))
                .any(|stages| stages.lookup(&written).is_some());
            if !known {
                let hint = nearest(&written, ctx.stages.known.iter().map(String::as_str));
                return Err(src.error(
                    Some(stage.span()),
                    format!("`{written}` in stage-in is not a stage of the rule set{hint}"),
                ));
            }
            names.push(normalize_header(&written));
        }
        all.push(Condition::StageIn(names));
    }
    if let Some(p) = &c.pipeline {
        on.only(Record::Deal, "pipeline")?;
        all.push(Condition::Pipeline(normalize_header(p.get_ref())));
    }
    Ok(())
}

/// A field empty or not, equal to a value or matching a pattern.
fn values(
    on: &On,
    catalog: &mut FieldCatalog,
    kind: EntityKind,
    c: &RawCondition,
    all: &mut Vec<Condition>,
) -> Result<()> {
    let src = on.src;
    let intern = |catalog: &mut FieldCatalog, t: &Text, value: bool| {
        catalog
            .intern(kind, t.get_ref(), value)
            .map_err(|e| src.error(Some(t.span()), e))
    };
    if let Some(f) = &c.empty {
        all.push(Condition::Empty(intern(catalog, f, false)?));
    }
    if let Some(f) = &c.not_empty {
        all.push(Condition::NotEmpty(intern(catalog, f, false)?));
    }
    if let Some(fv) = &c.equals {
        let field = intern(catalog, &fv.field, true)?;
        all.push(Condition::Equals {
            slot: catalog.fields[field].value_slot.expect("value"),
            value: normalize_header(fv.value.get_ref()),
        });
    }
    if let Some(fv) = &c.matches {
        let field = intern(catalog, &fv.field, true)?;
        all.push(Condition::Matches {
            slot: catalog.fields[field].value_slot.expect("value"),
            pattern: regex(src, &fv.value)?,
        });
    }
    Ok(())
}

/// Where a stage a condition names stands: its position in every funnel
/// that has it ([stages] through its renames, each pipeline by its own
/// names). A name no funnel has is an error suggesting the nearest.
fn locate(
    src: &SourceMap,
    ctx: &Context,
    stage: &Text,
    key: &str,
) -> Result<Vec<(PipelineId, u16)>> {
    let mut at = Vec::new();
    let renamed_key = normalize_header(&renamed(ctx.renames, stage.get_ref()));
    if let Some(p) = ctx
        .stages
        .funnel
        .iter()
        .position(|f| normalize_header(f) == renamed_key)
    {
        at.push((0, p as u16));
    }
    let own_key = normalize_header(stage.get_ref());
    for (i, pipeline) in ctx.pipelines.iter().enumerate() {
        if let Some(p) = pipeline
            .stages
            .funnel
            .iter()
            .position(|f| normalize_header(f) == own_key)
        {
            at.push(((i + 1) as PipelineId, p as u16));
        }
    }
    if at.is_empty() {
        // The default funnel's error, with its nearest stage.
        funnel_position(src, &ctx.stages.funnel, ctx.renames, stage, key)?;
    }
    Ok(at)
}

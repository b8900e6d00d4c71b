//! A rule's `when` table (and `denominator-required-when`) → `Condition`.
//! Each key is checked against the kind of record the rule reads (stage
//! conditions need deals, open/completed need tasks), stage names against
//! the funnel (with the nearest suggested), fields interned in the catalog.

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
    let at = Some(raw.span());
    let deals_only = |key: &str| -> Result<()> {
        if record == Record::Deal {
            Ok(())
        } else {
            Err(src.error(
                at.clone(),
                format!("`{key}` is a condition on deals, and this rule reads tasks"),
            ))
        }
    };
    let tasks_only = |key: &str| -> Result<()> {
        if record == Record::Task {
            Ok(())
        } else {
            Err(src.error(
                at.clone(),
                format!("`{key}` is a condition on tasks, and this rule reads deals"),
            ))
        }
    };
    let flag = |value: bool, c: Condition| {
        if value {
            c
        } else {
            Condition::Not(Box::new(c))
        }
    };
    let mut all = Vec::new();
    if let Some(v) = c.in_work {
        deals_only("in-work")?;
        all.push(flag(v, Condition::InWork));
    }
    if let Some(v) = c.won {
        deals_only("won")?;
        all.push(flag(v, Condition::Won));
    }
    if let Some(v) = c.lost {
        deals_only("lost")?;
        all.push(flag(v, Condition::Lost));
    }
    if let Some(v) = c.open {
        tasks_only("open")?;
        all.push(flag(v, Condition::Open));
    }
    if let Some(v) = c.completed {
        tasks_only("completed")?;
        all.push(flag(v, Condition::Completed));
    }
    if let Some(stage) = &c.stage_at_or_after {
        deals_only("stage-at-or-after")?;
        all.push(Condition::StageAtOrAfter(locate(
            src,
            ctx,
            stage,
            "stage-at-or-after",
        )?));
    }
    if let Some(stage) = &c.stage_before {
        deals_only("stage-before")?;
        all.push(Condition::StageBefore(locate(
            src,
            ctx,
            stage,
            "stage-before",
        )?));
    }
    if let Some(list) = &c.stage_in {
        deals_only("stage-in")?;
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
        deals_only("pipeline")?;
        all.push(Condition::Pipeline(normalize_header(p.get_ref())));
    }
    let (catalog, kind) = catalog(record, deal_fields, task_fields);
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
        0 => Err(src.error(at, "an empty condition; write e.g. { in-work = true }")),
        1 => Ok(all.pop().expect("one")),
        _ => Ok(Condition::All(all)),
    }
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

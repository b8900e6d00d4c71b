//! Every piece of text in the report, for the passes that rewrite text
//! once for every format: `--mask-phones` and the terminal's escaping.
//!
//! The walk takes every struct apart with a pattern that names all its
//! fields, so a field added to the report does not compile until it is
//! placed here: no text can enter the report and miss the masking.

use super::{
    EntityKind, EntityReport, InputReport, ManagerReport, NotCheckedReport, Report, RuleInfo,
    RuleSetInfo, SkipReport, SourceReport, Tool, Totals, ViolationReport, WaiverReport,
};
use crate::history::{Status, Vanished};
use crate::report::history::{named_by_place, HistoryReport, ManagerTrend, Trend};
use crate::report::{FixFirst, NotReadReport, SnapshotReport};

/// What a text is: free text (names, messages, notes, paths) that may
/// quote a person's phone or e-mail, or an identifier (a deal or task ID,
/// a CRM link, a fingerprint) that finds a record and must stay as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Free,
    Identifier,
}

/// A rewrite of every text of the report, for every format: the passes
/// are named (not closures) so that the violations, made only as they are
/// written (`Violations`), can apply them then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPass {
    /// `--mask-phones`: phones and e-mails in free text hidden.
    Mask,
    /// The terminal's escaping of control characters in every text.
    Terminal,
}

impl TextPass {
    fn apply(self, role: Role, text: &mut String) {
        match self {
            TextPass::Mask => {
                if role == Role::Free {
                    super::mask::mask(text);
                }
            }
            TextPass::Terminal => {
                if let std::borrow::Cow::Owned(escaped) = super::escape::terminal(text) {
                    *text = escaped;
                }
            }
        }
    }
}

/// Rewrites every text of the report with `pass`: the violations' as each
/// is made (`Violations::rewrite`).
pub fn rewrite(report: &mut Report, pass: TextPass) {
    for_each_text(report, &mut |role, text| pass.apply(role, text));
    report.violations.rewrite(pass);
}

/// Rewrites every text of one violation with `pass`.
pub fn rewrite_violation(v: &mut ViolationReport, pass: TextPass) {
    violation(v, &mut |role, text| pass.apply(role, text));
}

/// Calls `f` on every text of the report but its violations' (see
/// `rewrite`). Texts the program writes itself (`&'static str`: rule
/// names, kinds, statuses) are not visited.
// Long by design: one pattern naming every field of every report struct.
fn for_each_text(report: &mut Report, f: &mut dyn FnMut(Role, &mut String)) {
    let Report {
        schema_version: _,
        language: _,
        tool: Tool {
            name: _,
            version: _,
        },
        as_of,
        time_zone,
        rule_set: RuleSetInfo { name, source },
        inputs,
        snapshots,
        stale,
        not_read,
        notes,
        not_checked,
        rules,
        managers,
        // Rewritten by their own pass (`rewrite`), as each is made.
        violations: _,
        fix_first,
        totals:
            Totals {
                violations: _,
                errors: _,
                warnings: _,
                infos: _,
                managers_with_violations: _,
                by_rule: _,
                deals_in_work: _,
                violations_per_10_deals: _,
                compliance_rate: _,
            },
        waivers,
        manager_filter,
        history,
        masked: _,
    } = report;
    f(Role::Identifier, as_of);
    f(Role::Identifier, time_zone);
    f(Role::Free, name);
    f(Role::Free, source);
    inputs.iter_mut().for_each(|i| input(i, f));
    for super::stale::StaleInput {
        path,
        kind: _,
        last: _,
        by: _,
    } in stale
    {
        f(Role::Free, path);
    }
    if let Some(HistoryReport {
        run: _,
        baseline,
        fixed,
        gone,
        not_judged,
        incomplete,
        trend,
    }) = history
    {
        if let Some(path) = baseline {
            f(Role::Free, path);
        }
        fixed
            .iter_mut()
            .chain(gone)
            .chain(not_judged)
            .for_each(|v| vanished(v, f));
        incomplete.iter_mut().for_each(|s| f(Role::Identifier, s));
        if let Some(Trend {
            department: _,
            managers,
        }) = trend
        {
            for ManagerTrend { name, runs: _ } in managers {
                f(Role::Free, name);
            }
        }
    }
    for SnapshotReport {
        folder,
        source,
        base_url,
        pulled_at,
        tool_version,
    } in snapshots
    {
        f(Role::Free, folder);
        f(Role::Identifier, source);
        f(Role::Identifier, base_url);
        f(Role::Identifier, pulled_at);
        f(Role::Identifier, tool_version);
    }
    for NotReadReport { path, reason } in not_read {
        f(Role::Free, path);
        f(Role::Free, reason);
    }
    for note in notes {
        f(Role::Free, note);
    }
    for NotCheckedReport { reason, .. } in not_checked {
        f(Role::Free, reason);
    }
    for rule in rules {
        let RuleInfo {
            name: _,
            code,
            clause,
            severity: _,
            summary,
            fix,
        } = rule;
        f(Role::Identifier, code);
        f(Role::Free, clause);
        f(Role::Free, summary);
        f(Role::Free, fix);
    }
    for manager in managers {
        let ManagerReport {
            name,
            errors: _,
            warnings: _,
            infos: _,
            total: _,
            deals_in_work: _,
            violations_per_10_deals: _,
            compliance_rate: _,
            counts: _,
            changes: _,
            lead_violations: _,
        } = manager;
        f(Role::Free, name);
    }
    for deal in fix_first {
        let FixFirst {
            deal_id,
            name,
            manager,
            stage,
            budget: _,
            severity: _,
            rules: _,
            url,
        } = deal;
        f(Role::Identifier, deal_id);
        f(Role::Free, name);
        f(Role::Free, manager);
        f(Role::Free, stage);
        if let Some(url) = url {
            f(Role::Identifier, url);
        }
    }
    for waiver in waivers {
        let WaiverReport {
            rule,
            entity,
            reason,
            until,
            status: _,
            matched: _,
        } = waiver;
        f(Role::Identifier, rule);
        // `manager-day:NAME/DAY` names a person; `deal:ID` finds a record.
        let role = if entity.starts_with("manager-day:") {
            Role::Free
        } else {
            Role::Identifier
        };
        f(role, entity);
        f(Role::Free, reason);
        f(Role::Identifier, until);
    }
    if let Some(names) = manager_filter {
        names.iter_mut().for_each(|n| f(Role::Free, n));
    }
}

fn input(input: &mut InputReport, f: &mut dyn FnMut(Role, &mut String)) {
    let InputReport {
        path,
        kind: _,
        format: _,
        encoding: _,
        delimiter,
        sheet,
        header_row: _,
        rows: _,
        audited: _,
        skipped,
        notes,
    } = input;
    f(Role::Free, path);
    if let Some(delimiter) = delimiter {
        f(Role::Identifier, delimiter);
    }
    if let Some(sheet) = sheet {
        f(Role::Free, sheet);
    }
    for SkipReport {
        reason,
        text,
        count: _,
        rows: _,
    } in skipped
    {
        f(Role::Free, reason);
        f(Role::Free, text);
    }
    notes.iter_mut().for_each(|n| f(Role::Free, n));
}

fn violation(v: &mut ViolationReport, f: &mut dyn FnMut(Role, &mut String)) {
    let ViolationReport {
        rule: _,
        code,
        clause,
        severity: _,
        manager,
        entity,
        message,
        details,
        source,
        fingerprint,
        status,
    } = v;
    if let Some(Status::Open { since, runs: _ }) = status {
        f(Role::Identifier, since);
    }
    f(Role::Identifier, code);
    f(Role::Free, clause);
    f(Role::Free, manager);
    let EntityReport {
        kind,
        id,
        name,
        deal_id,
        stage,
        budget: _,
        deal_name,
        deal_stage,
        url,
    } = entity;
    f(id_role(*kind == EntityKind::ManagerDay, id), id);
    for text in [name, stage, deal_name, deal_stage].into_iter().flatten() {
        f(Role::Free, text);
    }
    for text in [deal_id, url].into_iter().flatten() {
        f(Role::Identifier, text);
    }
    f(Role::Free, message);
    details.texts_mut().for_each(|t| f(Role::Free, t));
    if let Some(SourceReport { file, row: _ }) = source {
        f(Role::Free, file);
    }
    f(Role::Identifier, fingerprint);
}

/// A violation of the last run that vanished tonight.
fn vanished(v: &mut Vanished, f: &mut dyn FnMut(Role, &mut String)) {
    let Vanished {
        fingerprint,
        rule,
        manager,
        entity_kind,
        entity_id,
        deal_id,
        since,
        runs: _,
    } = v;
    f(Role::Free, manager);
    f(
        id_role(*entity_kind == EntityKind::ManagerDay, entity_id),
        entity_id,
    );
    for text in [fingerprint, rule, since]
        .into_iter()
        .chain(deal_id.as_mut())
    {
        f(Role::Identifier, text);
    }
}

/// What an entity's ID is: a manager-day's (`NAME/YYYY-MM-DD`) names a
/// person, and a record without an ID is named by its file (`FILE:ROW`),
/// whose name may hold anything: free text; any other ID finds a record.
fn id_role(manager_day: bool, id: &str) -> Role {
    if manager_day || named_by_place(id) {
        Role::Free
    } else {
        Role::Identifier
    }
}

//! Command-line tests of `crm-audit audit`: each rule at its boundary, the
//! exit codes and options, every user-facing error message, the reading of
//! CSV and XLSX exports, and the determinism of the report.
//!
//! Fixtures are small hand-written exports in `tests/fixtures/core`; files
//! whose bytes matter (encodings, workbooks, long call logs) are built by the
//! tests in a temporary folder. Every expected result is reasoned out by hand
//! in a comment beside its assertion.

#[path = "common/pty.rs"]
mod pty;
#[path = "cli/support.rs"]
mod support;

#[path = "cli/amounts.rs"]
mod amounts;
#[path = "cli/awaiting_control.rs"]
mod awaiting_control;
#[path = "cli/baseline.rs"]
mod baseline;
#[path = "cli/bitrix.rs"]
mod bitrix;
#[path = "cli/blank_words.rs"]
mod blank_words;
#[path = "cli/budget_text.rs"]
mod budget_text;
#[path = "cli/calendar.rs"]
mod calendar;
#[path = "cli/call_log_callers.rs"]
mod call_log_callers;
#[path = "cli/closed_output.rs"]
mod closed_output;
#[path = "cli/column_names.rs"]
mod column_names;
#[path = "cli/config.rs"]
mod config;
#[path = "cli/csv_excel_setting.rs"]
mod csv_excel_setting;
#[path = "cli/determinism.rs"]
mod determinism;
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/exit_codes.rs"]
mod exit_codes;
#[path = "cli/fail_on_new.rs"]
mod fail_on_new;
#[path = "cli/hardening.rs"]
mod hardening;
#[path = "cli/history.rs"]
mod history;
#[path = "cli/history_audit.rs"]
mod history_audit;
#[path = "cli/history_formats.rs"]
mod history_formats;
#[path = "cli/history_guard.rs"]
mod history_guard;
#[path = "cli/history_nights.rs"]
mod history_nights;
#[path = "cli/history_not_judged.rs"]
mod history_not_judged;
#[path = "cli/history_shortfall.rs"]
mod history_shortfall;
#[path = "cli/history_week.rs"]
mod history_week;
#[path = "cli/input_words.rs"]
mod input_words;
#[path = "cli/inspect.rs"]
mod inspect;
#[path = "cli/language.rs"]
mod language;
#[path = "cli/leads.rs"]
mod leads;
#[path = "cli/named_callers.rs"]
mod named_callers;
#[path = "cli/notify.rs"]
mod notify;
#[path = "cli/one_person.rs"]
mod one_person;
#[path = "cli/output_names.rs"]
mod output_names;
#[path = "cli/output_safety.rs"]
mod output_safety;
#[path = "cli/overlap.rs"]
mod overlap;
#[path = "cli/pipelines.rs"]
mod pipelines;
#[path = "cli/quota_judged.rs"]
mod quota_judged;
#[path = "cli/reading.rs"]
mod reading;
#[path = "cli/real_exports.rs"]
mod real_exports;
#[path = "cli/report.rs"]
mod report;
#[path = "cli/review_call_types.rs"]
mod review_call_types;
#[path = "cli/review_cases.rs"]
mod review_cases;
#[path = "cli/rule_set.rs"]
mod rule_set;
#[path = "cli/rules.rs"]
mod rules;
#[path = "cli/rules_of_a_kind.rs"]
mod rules_of_a_kind;
#[path = "cli/shell.rs"]
mod shell;
#[path = "cli/snapshot.rs"]
mod snapshot;
#[path = "cli/stale.rs"]
mod stale;
#[path = "cli/stale_deal.rs"]
mod stale_deal;
#[path = "cli/strays.rs"]
mod strays;
#[path = "cli/summary.rs"]
mod summary;
#[path = "cli/telephony.rs"]
mod telephony;
#[path = "cli/terminal.rs"]
mod terminal;
#[path = "cli/totals_rows.rs"]
mod totals_rows;
#[path = "cli/unreadable.rs"]
mod unreadable;
#[path = "cli/unreadable_calls.rs"]
mod unreadable_calls;
#[path = "cli/unreadable_ru.rs"]
mod unreadable_ru;
#[path = "cli/xlsx_dates.rs"]
mod xlsx_dates;

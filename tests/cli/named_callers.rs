//! Sipuni writes a caller as `EXT (Name)`, the name often a surname alone
//! (`202 (Нурмагамбетова)`) or a scenario (`294 (Mega)`), while the deals
//! name the manager in full (`Айгерим Нурмагамбетова`). With no roster, the
//! name in brackets is a manager only when it is one the deals or tasks
//! name (the same full name, or a whole word of exactly one manager's
//! name) or reads as a full name itself; otherwise its calls are no one's,
//! skipped with the reason, and their day is not judged for the quota:
//! never a manager blamed for 0 calls made under another spelling.
//!
//! Every case is audited as of 27.11.2026 09:00 (a Friday): the day judged
//! for the quota is Thursday 26.11.2026, the only day the logs cover.

use crate::support::*;
use std::path::Path;

const AS_OF_FRIDAY: &str = "27.11.2026 09:00";

/// The 24-column Sipuni header (as `tests/fixtures/formats/sipuni_calls_named.csv`).
const SIPUNI_HEADER: &str = "Тип;Статус;Время;ID схемы звонка;Схема;Исходящая линия;Откуда;Куда;Кто ответил;Длительность звонка;Длительность разговора;Время ответа;Оценка;ID записи;Метка;Теги;Инициатор завершения звонка;ID заказа звонка;Запись существует;Новый клиент;Состояние перезвона;Время перезвона;Информация из CRM;Ответственный из CRM;\n";

/// A Sipuni log of answered outgoing calls on 26.11.2026, one per
/// (time, caller), lines numbered from 2.
fn sipuni(calls: &[(&str, &str)]) -> String {
    let mut log = String::from(SIPUNI_HEADER);
    for (time, caller) in calls {
        log.push_str(&format!(
            "Исходящий;Отвечен;26.11.2026 {time};;;74951234567;{caller};79165551234;79165551234;95;81;;;;;;Клиент;;Да;Нет;;;;;\n"
        ));
    }
    log
}

/// An amoCRM deal export with one deal in work per responsible manager.
fn deals(managers: &[&str]) -> String {
    let mut text = String::from("ID,Название сделки,Основной контакт,Ответственный,Этап сделки\n");
    for (i, manager) in managers.iter().enumerate() {
        text.push_str(&format!(
            "{},Сделка {i},Клиент {i},{manager},Счет\n",
            1001 + i
        ));
    }
    text
}

/// The six outgoing calls of the review's repro, 09:00 to 14:00.
fn six_calls_of(caller: &str) -> Vec<(&'static str, &str)> {
    [
        "09:00:00", "10:00:00", "11:00:00", "12:00:00", "13:00:00", "14:00:00",
    ]
    .into_iter()
    .map(|time| (time, caller))
    .collect()
}

/// Audits deals.csv and calls.csv of `dir` with a quota of `quota`.
fn audit(dir: &Path, quota: u32) -> serde_json::Value {
    std::fs::write(
        dir.join("company.toml"),
        format!("extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = {quota}\n"),
    )
    .unwrap();
    json_in(
        dir,
        &[
            "deals.csv",
            "calls.csv",
            "--as-of",
            AS_OF_FRIDAY,
            "--rules",
            "company.toml",
        ],
    )
}

/// (manager, calls) of every quota violation, sorted.
fn quota_calls(report: &serde_json::Value) -> Vec<(String, u64)> {
    let mut found: Vec<(String, u64)> = violations(report, "daily-call-quota")
        .iter()
        .map(|v| (text(&v["manager"]), v["details"]["calls"].as_u64().unwrap()))
        .collect();
    found.sort();
    found
}

/// The names of the report's managers.
fn managers(report: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| text(&m["name"]))
        .collect();
    names.sort();
    names
}

fn folder(deal_managers: &[&str], calls: &[(&str, &str)]) -> tempfile::TempDir {
    folder_with(&[
        ("deals.csv", deals(deal_managers).as_bytes()),
        ("calls.csv", sipuni(calls).as_bytes()),
    ])
}

#[test]
fn a_surname_in_brackets_is_the_deals_manager_of_that_surname() {
    // The review's repro: the deals' responsible is «Айгерим
    // Нурмагамбетова»; Sipuni writes her 6 outgoing calls of 26.11 as
    // `202 (Нурмагамбетова)`, a whole word of her name and of no other
    // manager's. They are her calls: with a quota of 6 she met it (no
    // violation, no second person «Нурмагамбетова» with 6 calls, and
    // never she with 0); with a quota of 7 she missed it by one, with 6.
    let dir = folder(
        &["Айгерим Нурмагамбетова"],
        &six_calls_of("202 (Нурмагамбетова)"),
    );
    let met = audit(dir.path(), 6);
    assert_eq!(quota_calls(&met), []);
    assert!(not_checked(&met, "daily-call-quota")
        .iter()
        .all(|n| !n.starts_with("26.11.2026 not judged")));
    let calls = input(&met, "calls.csv");
    assert_eq!(
        (calls["rows"].as_u64(), calls["audited"].as_u64()),
        (Some(6), Some(6))
    );
    let missed = audit(dir.path(), 7);
    assert_eq!(
        quota_calls(&missed),
        [("Айгерим Нурмагамбетова".to_string(), 6)]
    );
    assert_eq!(managers(&missed), ["Айгерим Нурмагамбетова"]);
}

#[test]
fn a_scenario_in_brackets_is_no_manager_and_its_day_is_not_judged() {
    // The repro plus one outgoing call at 15:00 from `294 (Mega)`, a
    // scenario: «Mega» is no manager of the deals and no full name, so its
    // call (line 8) is skipped, «Mega» is judged for nothing, and 26.11 is
    // not judged at all (whoever made that call, some manager's count of
    // the day may be short of it). Айгерим's 6 calls are still hers.
    let mut calls = six_calls_of("202 (Нурмагамбетова)");
    calls.push(("15:00:00", "294 (Mega)"));
    let dir = folder(&["Айгерим Нурмагамбетова"], &calls);
    let report = audit(dir.path(), 40);
    assert_eq!(quota_calls(&report), []);
    assert_eq!(managers(&report), ["Айгерим Нурмагамбетова"]);
    let file = input(&report, "calls.csv");
    assert_eq!(
        (file["rows"].as_u64(), file["audited"].as_u64()),
        (Some(7), Some(6))
    );
    assert_eq!(
        skipped(file),
        [(
            "extension 294 (Mega): «Mega» is no manager of the deals or tasks read".to_string(),
            1,
            vec![8]
        )]
    );
    assert_eq!(
        not_checked(&report, "daily-call-quota")[0],
        "26.11.2026 not judged: 1 outgoing call(s) from 294 (Mega), a name no manager of the deals or tasks has"
    );
}

#[test]
fn a_surname_two_managers_share_is_not_guessed() {
    // Two managers are «Иванова» (Мария and Ольга); Sipuni writes 6 calls
    // as `205 (Иванова)`. They may be either's: none is counted for
    // anyone, lines 2-7 are skipped naming both, and 26.11 is not judged
    // (neither is blamed for 0 calls, nor is a third person «Иванова»).
    let dir = folder(
        &["Мария Иванова", "Ольга Иванова"],
        &six_calls_of("205 (Иванова)"),
    );
    let report = audit(dir.path(), 40);
    assert_eq!(quota_calls(&report), []);
    assert_eq!(managers(&report), ["Мария Иванова", "Ольга Иванова"]);
    let file = input(&report, "calls.csv");
    assert_eq!(
        skipped(file),
        [(
            "extension 205 (Иванова): «Иванова» may be any of Мария Иванова, Ольга Иванова (managers of the deals or tasks read)".to_string(),
            6,
            vec![2, 3, 4, 5, 6, 7]
        )]
    );
    assert_eq!(
        not_checked(&report, "daily-call-quota")[0],
        "26.11.2026 not judged: 6 outgoing call(s) from 205 (Иванова), a name several managers of the deals or tasks share"
    );
}

#[test]
fn a_full_name_in_brackets_is_a_person_even_with_no_deal_of_theirs() {
    // `203 (Дмитрий Орлов)` reads as a person's full name: his 6 calls are
    // his although no deal names him (a manager may only call), and the
    // day is judged: with a quota of 7 both he (6 calls) and the deals'
    // Айгерим Нурмагамбетова (0: she made no call) missed it.
    let dir = folder(
        &["Айгерим Нурмагамбетова"],
        &six_calls_of("203 (Дмитрий Орлов)"),
    );
    let report = audit(dir.path(), 7);
    assert_eq!(
        quota_calls(&report),
        [
            ("Айгерим Нурмагамбетова".to_string(), 0),
            ("Дмитрий Орлов".to_string(), 6)
        ]
    );
}

#[test]
fn the_report_says_what_an_unattributed_caller_is() {
    // One outgoing call of 26.11 from each kind of caller no manager is:
    // line 2 `201`, a bare extension nothing says the owner of; line 3
    // `Отдел продаж`, a group (no person); line 4 `294 (Mega)`, a name no
    // deal's manager has. Айгерим's 6 calls (lines 5-10) are hers, but the
    // day is not judged, and each line of the report says which callers
    // are of which kind rather than calling them all extensions (the
    // report sorts its lines).
    let mut calls = vec![
        ("08:00:00", "201"),
        ("08:10:00", "Отдел продаж"),
        ("08:20:00", "294 (Mega)"),
    ];
    calls.extend(six_calls_of("202 (Нурмагамбетова)"));
    let dir = folder(&["Айгерим Нурмагамбетова"], &calls);
    let report = audit(dir.path(), 40);
    assert_eq!(quota_calls(&report), []);
    assert_eq!(
        not_checked(&report, "daily-call-quota")[..3],
        [
            "26.11.2026 not judged: 1 outgoing call(s) from 294 (Mega), a name no manager of the deals or tasks has",
            "26.11.2026 not judged: 1 outgoing call(s) from extension(s) 201 the managers roster does not know",
            "26.11.2026 not judged: 1 outgoing call(s) from Отдел продаж, no person's name (a queue, group or scenario?)",
        ]
    );
}

#[test]
fn a_log_whose_calls_are_all_no_ones_still_covers_its_day() {
    // Every call of the log (lines 2-7, 26.11) is from `205 (Иванова)`,
    // whom the deals do not name: the log does cover 26.11, and the
    // report says why the day is not judged, not that the log is empty.
    let dir = folder(&["Айгерим Нурмагамбетова"], &six_calls_of("205 (Иванова)"));
    let report = audit(dir.path(), 40);
    assert_eq!(quota_calls(&report), []);
    assert_eq!(
        not_checked(&report, "daily-call-quota")[0],
        "26.11.2026 not judged: 6 outgoing call(s) from 205 (Иванова), a name no manager of the deals or tasks has"
    );
}

#[test]
fn a_surname_with_initials_is_the_manager_they_fit() {
    // Two managers are Нурмагамбетова: Айгерим and Динара. Sipuni writes
    // 6 calls as `202 (Нурмагамбетова А.)` (lines 2-7) and 6 as `203
    // (Нурмагамбетова Д.)` (lines 8-13). A surname with initials is no
    // full name of a person of its own: the initial tells which of the two
    // it is. With a quota of 7 each missed it with her own 6 calls; no one
    // is judged with 0, and no «Нурмагамбетова А.» is a manager.
    let mut calls = six_calls_of("202 (Нурмагамбетова А.)");
    calls.extend(six_calls_of("203 (Нурмагамбетова Д.)"));
    let dir = folder(&["Айгерим Нурмагамбетова", "Динара Нурмагамбетова"], &calls);
    let report = audit(dir.path(), 7);
    assert_eq!(
        quota_calls(&report),
        [
            ("Айгерим Нурмагамбетова".to_string(), 6),
            ("Динара Нурмагамбетова".to_string(), 6)
        ]
    );
    assert_eq!(
        managers(&report),
        ["Айгерим Нурмагамбетова", "Динара Нурмагамбетова"]
    );
}

/// A caller written with a zero-width space inside is the roster's
/// manager, the character removed: her six calls are hers (a quota of
/// seven finds six), and the log's note counts the name on each of its
/// six rows, as a deal export's notes count theirs.
#[test]
fn a_caller_with_a_format_character_is_the_manager_and_counted_on_each_row() {
    let dir = folder(&["Иванова Мария"], &six_calls_of("Ива\u{200B}нова Мария"));
    std::fs::write(
        dir.path().join("company.toml"),
        "extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = 7\n\
         [[managers]]\nname = \"Иванова Мария\"\n",
    )
    .unwrap();
    let args = ["deals.csv", "calls.csv", "--as-of", AS_OF_FRIDAY];
    let report = json_in(
        dir.path(),
        &[&args[..], &["--rules", "company.toml"]].concat(),
    );
    assert_eq!(quota_calls(&report), [("Иванова Мария".to_string(), 6)]);
    let notes = input(&report, "calls.csv")["notes"].to_string();
    assert!(
        notes.contains("6 manager name(s) held invisible format characters"),
        "{notes}"
    );
}

/// With no roster, a log's employee cell with a zero-width space inside
/// the name (`Ива<U+200B>нова Мария`, as pasted from a messenger) is still
/// a full name, the deals' manager's: her 2 calls as written plainly, 2
/// with the character and 2 as `EXT (name)` with it are all hers. With a
/// quota of 7 she missed it with 6; the day is judged, and no call is set
/// aside as no person's (which would leave the day unjudged).
#[test]
fn a_full_name_with_a_format_character_is_a_person_without_a_roster() {
    let calls = [
        ("09:00:00", "Иванова Мария"),
        ("10:00:00", "Иванова Мария"),
        ("11:00:00", "Ива\u{200B}нова Мария"),
        ("12:00:00", "Ива\u{200B}нова Мария"),
        ("13:00:00", "204 (Ива\u{200B}нова Мария)"),
        ("14:00:00", "204 (Ива\u{200B}нова Мария)"),
    ];
    let dir = folder(&["Иванова Мария"], &calls);
    let report = audit(dir.path(), 7);
    assert_eq!(quota_calls(&report), [("Иванова Мария".to_string(), 6)]);
    assert_eq!(managers(&report), ["Иванова Мария"]);
    let file = input(&report, "calls.csv");
    assert_eq!(
        (file["rows"].as_u64(), file["audited"].as_u64()),
        (Some(6), Some(6))
    );
}

/// The initials case with a zero-width space inside the initial
/// (`Нурмагамбетова А<U+200B>.`): still a surname with an initial, no full
/// name of a person of its own, so the calls are Айгерим's, and no
/// «Нурмагамбетова А.» appears as a manager.
#[test]
fn an_initial_with_a_format_character_is_still_an_initial() {
    let mut calls = six_calls_of("202 (Нурмагамбетова А\u{200B}.)");
    calls.extend(six_calls_of("203 (Нурмагамбетова Д.)"));
    let dir = folder(&["Айгерим Нурмагамбетова", "Динара Нурмагамбетова"], &calls);
    let report = audit(dir.path(), 7);
    assert_eq!(
        managers(&report),
        ["Айгерим Нурмагамбетова", "Динара Нурмагамбетова"]
    );
    assert_eq!(
        quota_calls(&report),
        [
            ("Айгерим Нурмагамбетова".to_string(), 6),
            ("Динара Нурмагамбетова".to_string(), 6)
        ]
    );
}

/// A surname with an initial no manager of the deals has, written with a
/// zero-width space inside the initial (`Сидорова А<U+200B>.`), is no full
/// name either: its six calls are no one's, 26.11 is not judged, and
/// neither a manager «Сидорова А.» with 6 calls nor Айгерим with 0 is in
/// the report's quota violations.
#[test]
fn an_unknown_surname_with_a_format_character_in_its_initial_is_no_one() {
    let dir = folder(
        &["Айгерим Нурмагамбетова"],
        &six_calls_of("202 (Сидорова А\u{200B}.)"),
    );
    let report = audit(dir.path(), 7);
    assert_eq!(quota_calls(&report), []);
    assert_eq!(managers(&report), ["Айгерим Нурмагамбетова"]);
    assert!(
        not_checked(&report, "daily-call-quota")[0]
            .starts_with("26.11.2026 not judged: 6 outgoing call(s) from 202 (Сидорова А"),
        "{:?}",
        not_checked(&report, "daily-call-quota")
    );
}

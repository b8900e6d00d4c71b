//! One person under two spellings is one manager: the deals' name and a
//! call log's (or a task list's, a waiver's, a rule's per-manager setting,
//! `--manager`) are matched through one function. `ё` is `е`; a Latin
//! letter typed for a Cyrillic one is that letter; a patronymic more or
//! less, or initials for the first name, are the same person only when
//! exactly one manager of the CRM fits, and the report's inputs say so.
//!
//! Every case is audited as of Friday 27.11.2026 02:00 with a quota of 3
//! outgoing calls: the day judged is Thursday 26.11.2026, the one day the
//! logs cover. A manager the deals name whose calls the log writes another
//! way would get "0 calls" for that day if the names were not matched.

use crate::support::*;
use std::path::Path;

/// An amoCRM deal export with one new deal per responsible manager.
fn deals(managers: &[&str]) -> String {
    let mut text = String::from(
        "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Рабочий телефон (контакт)\n",
    );
    for (i, manager) in managers.iter().enumerate() {
        text.push_str(&format!(
            "{},Сделка {i},Клиент {i},{manager},Новая заявка,+7 927 123-45-67\n",
            1001 + i
        ));
    }
    text
}

/// A folder with `deals.csv` of `managers`, `calls.csv` of three answered
/// outgoing calls on 26.11.2026 by each caller, and `company.toml` (a quota
/// of 3, then `extra`).
fn company(managers: &[&str], callers: &[&str], extra: &str) -> tempfile::TempDir {
    let groups: Vec<(&str, &str, &str, usize)> = callers
        .iter()
        .map(|c| (*c, "26.11.2026", "Исходящий", 3))
        .collect();
    let rules = format!("extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = 3\n{extra}");
    folder_with(&[
        ("deals.csv", deals(managers).as_bytes()),
        ("calls.csv", call_log(&groups).as_bytes()),
        ("company.toml", rules.as_bytes()),
    ])
}

/// The JSON report of `dir`'s files (the call log first, so a name it
/// writes is met before the deals'), with `args` added.
fn report(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec![
        "calls.csv",
        "deals.csv",
        "--rules",
        "company.toml",
        "--as-of",
        AS_OF,
    ];
    all.extend(args);
    json_in(dir, &all)
}

fn manager_names(report: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| text(&m["name"]))
        .collect();
    names.sort();
    names
}

fn notes_of(report: &serde_json::Value, path: &str) -> Vec<String> {
    input(report, path)["notes"]
        .as_array()
        .map(|n| n.iter().map(text).collect())
        .unwrap_or_default()
}

fn inspect_warnings(dir: &Path) -> Vec<String> {
    let output = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .args([
            "inspect",
            "calls.csv",
            "deals.csv",
            "--rules",
            "company.toml",
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    v["warnings"].as_array().unwrap().iter().map(text).collect()
}

#[test]
fn yo_and_ye_are_one_letter() {
    // The deals write «Семёнова Алёна», the log «Семенова Алена» with 3
    // calls: one manager, spelt as the CRM spells her, quota met.
    let dir = company(&["Семёнова Алёна"], &["Семенова Алена"], "");
    let r = report(dir.path(), &[]);
    assert_eq!(manager_names(&r), ["Семёнова Алёна"]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
    // `--manager` with the log's spelling finds her too.
    let only = report(dir.path(), &["--manager", "Семенова"]);
    assert_eq!(text(&only["manager_filter"][0]), "Семёнова Алёна");
}

#[test]
fn a_latin_letter_typed_for_a_cyrillic_one_is_that_letter() {
    // «Петрoв» in the log has a Latin o.
    let dir = company(&["Петров Алексей"], &["Петрoв Алексей"], "");
    let r = report(dir.path(), &[]);
    assert_eq!(manager_names(&r), ["Петров Алексей"]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
}

#[test]
fn the_crm_spells_the_name_though_the_log_is_read_first() {
    // The log, read first, writes «СИДОРОВ ИВАН»; the deals «Сидоров Иван».
    let dir = company(&["Сидоров Иван"], &["СИДОРОВ ИВАН"], "");
    let r = report(dir.path(), &[]);
    assert_eq!(manager_names(&r), ["Сидоров Иван"]);
}

#[test]
fn a_patronymic_more_is_the_one_manager_it_fits_and_the_inputs_say_so() {
    let dir = company(&["Петров Алексей"], &["Петров Алексей Викторович"], "");
    let r = report(dir.path(), &[]);
    assert_eq!(manager_names(&r), ["Петров Алексей"]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
    assert_eq!(
        notes_of(&r, "calls.csv"),
        ["manager «Петров Алексей Викторович» taken as Петров Алексей"]
    );
}

#[test]
fn an_initial_is_the_one_manager_it_fits() {
    // «Иванова М.» fits Иванова Мария only: Петров Алексей is another
    // surname.
    let dir = company(
        &["Иванова Мария", "Петров Алексей"],
        &["Иванова М.", "Петров Алексей"],
        "",
    );
    let r = report(dir.path(), &[]);
    assert_eq!(manager_names(&r), ["Иванова Мария", "Петров Алексей"]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
    assert_eq!(
        notes_of(&r, "calls.csv"),
        ["manager «Иванова М.» taken as Иванова Мария"]
    );
}

#[test]
fn an_initial_two_managers_share_is_neither_and_leaves_the_day_unjudged() {
    // «Иванова М.» may be Мария or Марина: taken as neither, said in the
    // report and by inspect, and since its 3 outgoing calls may be either's,
    // 26.11 is judged for no one (never "0 calls" for both).
    let dir = company(&["Иванова Мария", "Иванова Марина"], &["Иванова М."], "");
    let r = report(dir.path(), &[]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
    let note = "manager «Иванова М.» may be Иванова Мария or Иванова Марина: taken as neither, \
                and the days of its outgoing calls not judged for the quota";
    assert_eq!(notes_of(&r, "calls.csv"), [note]);
    assert!(
        inspect_warnings(dir.path()).contains(&format!("calls.csv: {note}")),
        "{:?}",
        inspect_warnings(dir.path())
    );
}

#[test]
fn a_manager_day_waiver_matches_the_name_however_written() {
    // Иванова Мария made no call on 26.11 (Петров did, so the log covers
    // the day): a quota violation, waived by a waiver that writes her name
    // in another order, lowercase, with a double space.
    let waiver = "[[waivers]]\nrule = \"daily-call-quota\"\n\
                  entity = \"manager-day:мария  иванова/2026-11-26\"\n\
                  reason = \"болела\"\nuntil = \"2026-12-31\"\n";
    let dir = company(
        &["Иванова Мария", "Петров Алексей"],
        &["Петров Алексей"],
        waiver,
    );
    let r = report(dir.path(), &[]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
    assert_eq!(text(&r["waivers"][0]["status"]), "used");
}

#[test]
fn a_waiver_may_name_its_rule_by_code() {
    // CA003 is missing-phone: deal 1001 has no phone, waived by code.
    let waiver = "[[waivers]]\nrule = \"CA003\"\nentity = \"deal:1001\"\n\
                  reason = \"клиент без телефона\"\nuntil = \"2026-12-31\"\n";
    let dir = company(&["Петров Алексей"], &["Петров Алексей"], waiver);
    let no_phone = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,\
                    Рабочий телефон (контакт)\n\
                    1001,Сделка,Клиент,Петров Алексей,Новая заявка,\n";
    std::fs::write(dir.path().join("deals.csv"), no_phone).unwrap();
    let r = report(dir.path(), &[]);
    assert_eq!(ids(&r, "missing-phone"), Vec::<String>::new());
    assert_eq!(text(&r["waivers"][0]["rule"]), "missing-phone");
    assert_eq!(text(&r["waivers"][0]["status"]), "used");
}

#[test]
fn a_per_manager_quota_of_no_manager_is_said_with_the_nearest_name() {
    // «Иванва Мария» (a letter missing) is no manager: the rule's 3 holds
    // for everyone, and the report and inspect say so. «Семенова Алена»
    // is Семёнова Алёна's quota, and applies: 3 calls against 4 is short.
    let extra = "per-manager = { \"Иванва Мария\" = 1, \"Семенова Алена\" = 4 }\n";
    let dir = company(
        &["Иванова Мария", "Семёнова Алёна"],
        &["Иванова Мария", "Семёнова Алёна"],
        extra,
    );
    let r = report(dir.path(), &[]);
    let note = "daily-call-quota: per-manager «Иванва Мария» is no manager of the inputs; \
                not applied; did you mean «Иванова Мария»?";
    assert_eq!(r["notes"], serde_json::json!([note]));
    assert_eq!(ids(&r, "daily-call-quota"), ["Семёнова Алёна/2026-11-26"]);
    assert!(inspect_warnings(dir.path()).contains(&note.to_string()));
}

/// `company`, with each caller's count of answered outgoing calls on
/// 26.11.2026 given.
fn company_calls(managers: &[&str], callers: &[(&str, usize)]) -> tempfile::TempDir {
    let dir = company(managers, &[], "");
    let groups: Vec<(&str, &str, &str, usize)> = callers
        .iter()
        .map(|&(c, n)| (c, "26.11.2026", "Исходящий", n))
        .collect();
    std::fs::write(dir.path().join("calls.csv"), call_log(&groups)).unwrap();
    dir
}

#[test]
fn a_surname_alone_or_with_two_initials_is_the_one_manager_it_fits() {
    // Сидоров Иван made 3 calls, written «Сидоров» twice and «Сидоров
    // И.И.» once (his name has no patronymic, so the second initial says
    // nothing); «П. Петров» made 3 as Петров Алексей would need «А.», so
    // he is another person. The quota of 3 is met by Сидоров; «П. Петров»
    // stays a manager of his own (3 calls, met) and Петров Алексей, with no
    // call, is short: one violation, his, and no "Сидоров" with 2 calls.
    let dir = company_calls(
        &["Сидоров Иван", "Петров Алексей"],
        &[("Сидоров", 2), ("Сидоров И.И.", 1), ("П. Петров", 3)],
    );
    let r = report(dir.path(), &[]);
    assert_eq!(
        manager_names(&r),
        ["П. Петров", "Петров Алексей", "Сидоров Иван"]
    );
    assert_eq!(ids(&r, "daily-call-quota"), ["Петров Алексей/2026-11-26"]);
    assert_eq!(
        notes_of(&r, "calls.csv"),
        [
            "manager «Сидоров» taken as Сидоров Иван",
            "manager «Сидоров И.И.» taken as Сидоров Иван"
        ]
    );
}

#[test]
fn an_initial_is_not_credited_when_the_log_names_the_other_in_full() {
    // The deals name only Иванова Мария; the log has «Иванова Марина» in
    // full (3 calls), so «Иванова М.» (3 calls) may be either woman: taken
    // as neither, and 26.11 judged for no one (Мария has no call of her
    // own, Марина might have 6).
    let dir = company_calls(
        &["Иванова Мария", "Петров Алексей"],
        &[
            ("Иванова М.", 3),
            ("Иванова Марина", 3),
            ("Петров Алексей", 3),
        ],
    );
    let r = report(dir.path(), &[]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
    let note = "manager «Иванова М.» may be Иванова Марина or Иванова Мария: taken as neither, \
                and the days of its outgoing calls not judged for the quota";
    assert_eq!(notes_of(&r, "calls.csv"), [note]);
    assert!(inspect_warnings(dir.path()).contains(&format!("calls.csv: {note}")));
}

#[test]
fn two_patronymics_are_two_people_and_neither_is_taken() {
    // Павел Андреев of the deals may be Павел Иванович (3 calls) or Павел
    // Петрович (1 call), not both: neither is taken as him, nor is
    // «Андреев П.» (which could be either), and 26.11 is judged for no one
    // (merged, the 5 calls met a quota one person may have missed).
    let dir = company_calls(
        &["Павел Андреев"],
        &[
            ("Андреев Павел Иванович", 3),
            ("Андреев Павел Петрович", 1),
            ("Андреев П.", 1),
        ],
    );
    let r = report(dir.path(), &[]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
    assert_eq!(
        manager_names(&r),
        [
            "Андреев П.",
            "Андреев Павел Иванович",
            "Андреев Павел Петрович",
            "Павел Андреев"
        ]
    );
    let note = |written: &str, others: &str| {
        format!(
            "manager «{written}» fits Павел Андреев, and so do names of another patronymic \
             ({others}): not knowing which is Павел Андреев, taken as none, \
             and the days of its outgoing calls not judged for the quota"
        )
    };
    let ivanovich = "«Андреев Павел Иванович»";
    let petrovich = "«Андреев Павел Петрович»";
    assert_eq!(
        notes_of(&r, "calls.csv"),
        [
            note("Андреев Павел Иванович", petrovich),
            note("Андреев Павел Петрович", ivanovich),
            note("Андреев П.", &format!("{ivanovich}, {petrovich}")),
        ]
    );
    let warnings = inspect_warnings(dir.path());
    let first = format!("calls.csv: {}", note("Андреев Павел Иванович", petrovich));
    assert!(warnings.contains(&first), "{warnings:?}");
    let ru = report(dir.path(), &["--lang", "ru"]);
    assert_eq!(
        notes_of(&ru, "calls.csv")[0],
        format!(
            "менеджер «Андреев Павел Иванович» подходит к Павел Андреев, как и имена с другим \
             отчеством ({petrovich}): неизвестно, кто из них Павел Андреев, поэтому не принят \
             ни за кого, дни его исходящих звонков по норме не оценены"
        )
    );
}

#[test]
fn the_roster_finds_its_person_under_another_form_of_the_name() {
    // The roster writes «Козлова Анна Сергеевна», absent on 26.11; the
    // deals write «Козлова Анна», who made no call that day. She is the
    // roster's person (one patronymic more, no other manager fits), so her
    // day off is not judged. Петров made 3 calls: the log covers the day.
    let roster = "[[managers]]\nname = \"Козлова Анна Сергеевна\"\nabsent = [\"2026-11-26\"]\n";
    let dir = company(
        &["Козлова Анна", "Петров Алексей"],
        &["Петров Алексей"],
        roster,
    );
    let r = report(dir.path(), &[]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
    assert_eq!(
        manager_names(&r),
        ["Козлова Анна Сергеевна", "Петров Алексей"]
    );
    assert_eq!(
        notes_of(&r, "deals.csv"),
        ["manager «Козлова Анна» taken as Козлова Анна Сергеевна"]
    );
}

#[test]
fn a_setting_or_waiver_two_managers_fit_names_both() {
    // «Иванова М.» fits Иванова Мария and Иванова Марина: her quota of 1
    // and her waiver of 26.11 apply to neither, and the notes say why, in
    // either language. Марина's 1 call is short of the rule's 3 (Мария
    // made 3).
    let extra = "per-manager = { \"Иванова М.\" = 1 }\n\
                 [[waivers]]\nrule = \"daily-call-quota\"\n\
                 entity = \"manager-day:Иванова М./2026-11-26\"\n\
                 reason = \"отгул\"\nuntil = \"2026-12-31\"\n";
    let dir = company_calls(
        &["Иванова Мария", "Иванова Марина"],
        &[("Иванова Мария", 3), ("Иванова Марина", 1)],
    );
    let rules = format!("extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = 3\n{extra}");
    std::fs::write(dir.path().join("company.toml"), rules).unwrap();
    let r = report(dir.path(), &[]);
    assert_eq!(ids(&r, "daily-call-quota"), ["Иванова Марина/2026-11-26"]);
    assert_eq!(text(&r["waivers"][0]["status"]), "unmatched");
    let per_manager = "daily-call-quota: per-manager «Иванова М.» fits 2 managers, \
                       Иванова Мария and Иванова Марина: not applied to either";
    let waiver = "waiver manager-day «Иванова М.» fits 2 managers, \
                  Иванова Мария and Иванова Марина: it waives the day of neither";
    assert_eq!(r["notes"], serde_json::json!([per_manager, waiver]));
    assert!(inspect_warnings(dir.path()).contains(&per_manager.to_string()));
    let ru = report(dir.path(), &["--lang", "ru"]);
    assert_eq!(
        ru["notes"],
        serde_json::json!([
            "daily-call-quota: per-manager «Иванова М.» подходит к 2 менеджерам, \
             Иванова Мария и Иванова Марина: настройка не применена ни к кому из них",
            "исключение manager-day «Иванова М.» подходит к 2 менеджерам, \
             Иванова Мария и Иванова Марина: день не исключён ни для кого из них"
        ])
    );
}

#[test]
fn a_letter_of_an_initial_two_managers_share_leaves_the_day_unjudged() {
    // Мария and Марина each made 2 calls on 26.11, one short of 3. The task
    // list's «Иванова М.» sent a letter that day: it may be either's, and
    // with it either would reach 3, so 26.11 is judged for no one (never
    // "2 contacts" for both).
    let dir = company(
        &["Иванова Мария", "Иванова Марина"],
        &["Иванова Мария", "Иванова Марина"],
        "",
    );
    // `company` gives each caller 3 calls; keep 2 of each.
    let calls = call_log(&[
        ("Иванова Мария", "26.11.2026", "Исходящий", 2),
        ("Иванова Марина", "26.11.2026", "Исходящий", 2),
    ]);
    std::fs::write(dir.path().join("calls.csv"), calls).unwrap();
    let tasks = "ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания\n\
                 T1;1001;Иванова М.;Письмо;26.11.2026 12:00;Да;26.11.2026 12:00;Отправлено КП;20.11.2026 10:00\n";
    std::fs::write(dir.path().join("tasks.csv"), tasks).unwrap();
    let r = report(dir.path(), &["tasks.csv"]);
    assert_eq!(ids(&r, "daily-call-quota"), Vec::<String>::new());
}

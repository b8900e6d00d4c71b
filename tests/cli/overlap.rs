//! Overlapping exports in one folder: the newer copy of a deal, a task or a
//! call is the one audited, whichever file the folder's name order reads
//! first. `tests/fixtures/overlap/README.md` works out each answer.

use crate::support::*;
use serde_json::Value;
use std::path::PathBuf;

fn overlap(name: &str) -> Vec<u8> {
    let path = fixtures().join("../overlap").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rules() -> String {
    let path: PathBuf = fixtures().join("../overlap/stale.toml");
    path.display().to_string()
}

/// Every violation as (rule, record ID).
fn all_violations(report: &Value) -> Vec<(String, String)> {
    report["violations"]
        .as_array()
        .expect("violations is an array")
        .iter()
        .map(|v| (text(&v["rule"]), text(&v["entity"]["id"])))
        .collect()
}

/// The two orders a folder's name order can read an older and a newer
/// export in: (older file's name, newer file's name).
fn both_orders(older: &str, newer: &str) -> [(String, String); 2] {
    [
        (older.to_string(), newer.to_string()),
        (format!("b_{older}"), format!("a_{newer}")),
    ]
}

#[test]
fn the_newer_copy_of_a_deal_is_audited_whole() {
    let orders = both_orders(
        "amocrm_export_leads_2026-11-20.csv",
        "amocrm_export_leads_2026-11-26.csv",
    );
    for (older, newer) in orders {
        let dir = folder_with(&[
            (&older, &overlap("deals_older.csv")),
            (&newer, &overlap("deals_newer.csv")),
        ]);
        let report = json_in(dir.path(), &[".", "--rules", &rules(), "--as-of", AS_OF]);
        assert_eq!(
            all_violations(&report),
            [("deal-without-task".to_string(), "1003".to_string())],
            "{older} and {newer}"
        );
        let v = violation(&report, "deal-without-task", "1003");
        assert_eq!(v["manager"], "Иванова Мария");
        assert_eq!(v["source"]["file"], format!("./{newer}"));
        assert_eq!(v["source"]["row"], 4);
        // The older export's copies are accounted for, naming the kept copy.
        let kept = |why: &str| {
            format!("an older copy of a deal also in ./{newer} ({why}); that copy is audited")
        };
        let older_input = input(&report, &format!("./{older}"));
        assert_eq!(
            skipped(older_input),
            [
                (
                    kept("a newer export by the date in its file name"),
                    1,
                    vec![5]
                ),
                (kept("changed later there"), 3, vec![2, 3, 4]),
            ],
            "{older} and {newer}"
        );
        assert_eq!(older_input["audited"], 1);
        let newer_input = input(&report, &format!("./{newer}"));
        assert_eq!(newer_input["audited"], 5);
        assert_eq!(skipped(newer_input), []);
    }
}

#[test]
fn an_older_copy_is_said_in_russian_too() {
    let dir = folder_with(&[
        (
            "amocrm_export_leads_2026-11-20.csv",
            &overlap("deals_older.csv"),
        ),
        (
            "amocrm_export_leads_2026-11-26.csv",
            &overlap("deals_newer.csv"),
        ),
    ]);
    let (_, table, stderr) = audit_in(
        dir.path(),
        &[".", "--rules", &rules(), "--as-of", AS_OF, "--lang", "ru"],
    );
    assert!(
        table.contains(
            "3 старая копия сделки, которая есть и в ./amocrm_export_leads_2026-11-26.csv \
             (там изменена позже); проверена та копия"
        ),
        "{table}{stderr}"
    );
}

#[test]
fn the_newer_export_of_a_task_list_says_whether_a_task_is_done_and_when_due() {
    for (older, newer) in both_orders("tasks_2026-11-20.csv", "tasks_2026-11-26.csv") {
        let dir = folder_with(&[
            ("deals.csv", &overlap("deals.csv")),
            (&older, &overlap("tasks_older.csv")),
            (&newer, &overlap("tasks_newer.csv")),
        ]);
        let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
        assert_eq!(
            all_violations(&report),
            [("overdue-task".to_string(), "T2".to_string())],
            "{older} and {newer}"
        );
        assert_eq!(
            violation(&report, "overdue-task", "T2")["source"]["file"],
            format!("./{newer}")
        );
        let kept = format!(
            "an older copy of a task also in ./{newer} (a newer export by the date in its file name); that copy is audited"
        );
        assert_eq!(
            skipped(input(&report, &format!("./{older}"))),
            [(kept, 3, vec![2, 3, 4])],
            "{older} and {newer}"
        );
    }
}

#[test]
fn a_call_two_logs_hold_is_counted_once() {
    // Иванова's 25 calls of the morning of Thursday 26.11 are in both
    // logs; the newer one adds 5: 30 calls, below the quota of 40 (55
    // when counted twice).
    let morning = call_log(&[("Иванова Мария", "26.11.2026", "Исходящий", 25)]);
    let day = call_log(&[("Иванова Мария", "26.11.2026", "Исходящий", 30)]);
    for (older, newer) in both_orders("calls_2026-11-26.csv", "calls_2026-11-27.csv") {
        let dir = folder_with(&[
            ("deals.csv", &overlap("deals_with_task.csv")),
            (&older, morning.as_bytes()),
            (&newer, day.as_bytes()),
        ]);
        let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
        assert_eq!(
            all_violations(&report),
            [(
                "daily-call-quota".to_string(),
                "Иванова Мария/2026-11-26".to_string()
            )],
            "{older} and {newer}"
        );
        let v = &violations(&report, "daily-call-quota")[0];
        assert_eq!(v["details"]["count"], 30, "{older} and {newer}");
        let once = format!(
            "the same call is also in ./{newer} (a newer export by the date in its file name); counted once, from there"
        );
        let rows: Vec<u64> = (2..=26).collect();
        assert_eq!(
            skipped(input(&report, &format!("./{older}"))),
            [(once, 25, rows)],
            "{older} and {newer}"
        );
        assert_eq!(input(&report, &format!("./{newer}"))["audited"], 30);
    }
}

#[test]
fn a_call_two_sipuni_logs_hold_under_a_short_name_is_counted_once() {
    // Sipuni writes the caller as `202 (Нурмагамбетова)`; whose calls those
    // are is settled only once the deals are read (Айгерим
    // Нурмагамбетова's), and a call both logs hold is still one: 25 of the
    // morning in both, 5 more in the newer, 30 below the quota of 40.
    let log = |count: usize| {
        let mut log = String::from(
            "Тип;Статус;Время;Откуда;Куда;Кто ответил;Длительность звонка;Длительность разговора\n",
        );
        for i in 0..count {
            log.push_str(&format!(
                "Исходящий;Отвечен;26.11.2026 09:{i:02}:00;202 (Нурмагамбетова);79165551234;79165551234;95;81\n"
            ));
        }
        log
    };
    let deals = "ID,Название сделки,Основной контакт,Мобильный телефон (контакт),Ответственный,Этап сделки,Ближайшая задача\n\
                 3001,Радиаторы в офис,Орлов Игорь,+7 927 555-66-91,Айгерим Нурмагамбетова,Новая заявка,30.11.2026 10:00\n";
    for (older, newer) in both_orders("sipuni_2026-11-26.csv", "sipuni_2026-11-27.csv") {
        let dir = folder_with(&[
            ("deals.csv", deals.as_bytes()),
            (&older, log(25).as_bytes()),
            (&newer, log(30).as_bytes()),
        ]);
        let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
        assert_eq!(
            all_violations(&report),
            [(
                "daily-call-quota".to_string(),
                "Айгерим Нурмагамбетова/2026-11-26".to_string()
            )],
            "{older} and {newer}"
        );
        let v = &violations(&report, "daily-call-quota")[0];
        assert_eq!(v["details"]["count"], 30, "{older} and {newer}");
        assert_eq!(input(&report, &format!("./{older}"))["audited"], 0);
    }
}

/// A folder of `files` with a rule file asking `quota` outgoing calls a
/// day, audited; the rule file is `quota.toml`.
fn audit_with_quota(files: &[(&str, &[u8])], quota: u32) -> Value {
    let rules = format!("extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = {quota}\n");
    let mut all = files.to_vec();
    all.push(("quota.toml", rules.as_bytes()));
    let dir = folder_with(&all);
    json_in(
        dir.path(),
        &[".", "--rules", "quota.toml", "--as-of", AS_OF],
    )
}

/// Петров's and Сидоров's deals, each with a contact, a phone and a task.
const TWO_DEALS: &str = "ID,Название сделки,Основной контакт,Мобильный телефон (контакт),Ответственный,Этап сделки,Ближайшая задача\n\
    1,Радиаторы,Орлов Игорь,+7 927 123-45-67,Петров Алексей,Новая заявка,30.11.2026 10:00\n\
    2,Котёл,Белова Анна,+7 927 123-45-68,Сидоров Иван,Новая заявка,30.11.2026 10:00\n";

/// (manager, calls counted) of every quota violation.
fn quota_counts(report: &Value) -> Vec<(String, u64)> {
    violations(report, "daily-call-quota")
        .iter()
        .map(|v| (text(&v["manager"]), v["details"]["count"].as_u64().unwrap()))
        .collect()
}

#[test]
fn copies_of_calls_of_one_second_pair_one_to_one() {
    // The older log has two calls of Петров at 09:00:00 on Thursday 26.11,
    // to two phones; the newer log has the one to …67 and one at 09:30.
    // The older …67 row is the newer's copy; its …68 call is one the newer
    // log lacks and counts: 3 calls, the quota of 3 met. Taking both
    // older rows for copies of the one newer call counted 2 and blamed him.
    let older = "Дата,Ответственный,Направление,Статус,Длительность,Телефон\n\
        26.11.2026 09:00:00,Петров Алексей,Исходящий,Отвечен,1:00,+79271234568\n\
        26.11.2026 09:00:00,Петров Алексей,Исходящий,Отвечен,1:00,+79271234567\n";
    let newer = "Дата,Ответственный,Направление,Статус,Длительность,Телефон\n\
        26.11.2026 09:00:00,Петров Алексей,Исходящий,Отвечен,1:00,+79271234567\n\
        26.11.2026 09:30:00,Петров Алексей,Исходящий,Отвечен,1:00,+79271234569\n\
        26.11.2026 09:20:00,Сидоров Иван,Исходящий,Отвечен,1:00,+79271234568\n\
        26.11.2026 09:40:00,Сидоров Иван,Исходящий,Отвечен,1:00,+79271234568\n";
    for (older_name, newer_name) in both_orders("calls_2026-11-26.csv", "calls_2026-11-27.csv") {
        let report = audit_with_quota(
            &[
                ("deals.csv", TWO_DEALS.as_bytes()),
                (&older_name, older.as_bytes()),
                (&newer_name, newer.as_bytes()),
            ],
            3,
        );
        // Сидоров has 2 calls, in the newer log only: still blamed.
        assert_eq!(
            quota_counts(&report),
            [("Сидоров Иван".to_string(), 2)],
            "{older_name} and {newer_name}"
        );
        // The copy skipped is the row of the same phone (line 3), not the
        // first row of that second.
        let once = format!(
            "the same call is also in ./{newer_name} (a newer export by the date in its file name); counted once, from there"
        );
        let older_input = input(&report, &format!("./{older_name}"));
        assert_eq!(skipped(older_input), [(once, 1, vec![3])]);
        assert_eq!(older_input["audited"], 1);
    }
}

#[test]
fn a_call_written_without_seconds_is_the_copy_of_one_with_them() {
    // A generic log writes Сидоров's call at 09:05:37; the newer Sipuni
    // log writes the same call at 09:05 (no seconds) and one more at
    // 11:00. He made 2 calls, below the quota of 3; counting the 09:05:37
    // row apart from the 09:05 one made 3 and hid it. A call at 10:15:20
    // in the generic log has no copy in Sipuni's 10:16 (another minute):
    // Петров's 2 calls (10:15:20 and 10:16) are both counted, below 3.
    let generic = "Дата,Ответственный,Направление,Статус,Длительность,Телефон\n\
        26.11.2026 09:05:37,Сидоров Иван,Исходящий,Отвечен,1:00,+79271234568\n\
        26.11.2026 10:15:20,Петров Алексей,Исходящий,Отвечен,1:00,+79271234567\n";
    let sipuni =
        "Тип;Статус;Время;Откуда;Куда;Кто ответил;Длительность звонка;Длительность разговора\n\
        Исходящий;Отвечен;26.11.2026 09:05;201 (Сидоров Иван);79271234568;79271234568;60;50\n\
        Исходящий;Отвечен;26.11.2026 11:00;201 (Сидоров Иван);79271234568;79271234568;60;50\n\
        Исходящий;Отвечен;26.11.2026 10:16;202 (Петров Алексей);79271234567;79271234567;60;50\n";
    for (older, newer) in both_orders("calls_2026-11-26.csv", "sipuni_2026-11-27.csv") {
        let report = audit_with_quota(
            &[
                ("deals.csv", TWO_DEALS.as_bytes()),
                (&older, generic.as_bytes()),
                (&newer, sipuni.as_bytes()),
            ],
            3,
        );
        assert_eq!(
            quota_counts(&report),
            [
                ("Петров Алексей".to_string(), 2),
                ("Сидоров Иван".to_string(), 2)
            ],
            "{older} and {newer}"
        );
        let once = format!(
            "the same call is also in ./{newer} (a newer export by the date in its file name); counted once, from there"
        );
        assert_eq!(
            skipped(input(&report, &format!("./{older}"))),
            [(once, 1, vec![2])]
        );
    }
}

/// Sets a file's modification time to `minutes` after the audit moment's
/// day began (UTC; only the order matters).
fn touch(path: &std::path::Path, minutes: u64) {
    let day = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_737_600); // 2026-11-27
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(day + std::time::Duration::from_secs(minutes * 60))
        .unwrap();
}

#[test]
fn a_short_or_undivided_date_in_a_name_tells_the_older_export() {
    // `deals_20.11.26.csv` and `deals_20112026.csv` are last week's
    // exports (20.11), copied into the folder after tonight's
    // `deals_2026-11-27.csv` was written: the name's date, not the later
    // modification time, makes tonight's the newer. Only last week's copy
    // of deal 1 lacks its contact's name; tonight's has it.
    let header = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт),Ближайшая задача\n";
    let old = format!(
        "{header}1,Д1,,Петров Алексей,Новая заявка,1000,+7 927 123-45-67,30.11.2026 10:00\n"
    );
    let new = format!("{header}1,Д1,Орлов Игорь,Петров Алексей,Новая заявка,1000,+7 927 123-45-67,30.11.2026 10:00\n");
    for old_name in ["deals_20.11.26.csv", "deals_20112026.csv"] {
        let dir = folder_with(&[
            (old_name, old.as_bytes()),
            ("deals_2026-11-27.csv", new.as_bytes()),
        ]);
        touch(&dir.path().join("deals_2026-11-27.csv"), 60);
        touch(&dir.path().join(old_name), 90);
        let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
        assert_eq!(
            ids(&report, "missing-contact-name"),
            Vec::<String>::new(),
            "{old_name}"
        );
        assert_eq!(
            input(&report, &format!("./{old_name}"))["audited"],
            0,
            "{old_name}"
        );
    }
}

#[test]
fn a_date_in_a_name_after_the_audit_moment_is_no_export_day() {
    // Bitrix24's `DEAL_20261120_20261201_….csv` is a period from 20.11 to
    // 01.12, a day after the audit moment (27.11): 01.12 is no day it was
    // exported on, and 20.11 is before `DEAL_20261126_….csv`'s 26.11. Only
    // the older export's copy of deal 101 lacks its contact.
    let header = "\"ID\";\"Название сделки\";\"Стадия сделки\";\"Сумма\";\"Ответственный\";\"Контакт\";\"Контакт: Рабочий телефон\"\n";
    let old = format!(
        "{header}\"101\";\"Р\";\"В работе\";\"500\";\"Петров Алексей\";\"\";\"+79271234567\"\n"
    );
    let new = format!("{header}\"101\";\"Р\";\"В работе\";\"500\";\"Петров Алексей\";\"Орлов\";\"+79271234567\"\n");
    let old_name = "DEAL_20261120_20261201_65f0a1b2c3d4e.csv";
    let new_name = "DEAL_20261126_1a2b3c4d_65f0a1b2c3d4e.csv";
    let dir = folder_with(&[(old_name, old.as_bytes()), (new_name, new.as_bytes())]);
    touch(&dir.path().join(new_name), 60);
    touch(&dir.path().join(old_name), 60);
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    assert_eq!(ids(&report, "missing-contact-name"), Vec::<String>::new());
    assert_eq!(input(&report, &format!("./{old_name}"))["audited"], 0);
    assert_eq!(input(&report, &format!("./{new_name}"))["audited"], 1);
}

#[test]
fn the_reason_of_an_older_copy_says_what_told_the_newer_export() {
    // No date in either name: the modification time tells (deals_a.csv
    // written an hour after deals_b.csv, though read before it by name),
    // else, at the same time, the order files are read in (deals_b.csv
    // read later). `deals_2026-11-27.csv` beside a copy made later of
    // last week's `deals_20112026.csv`: the date in the name tells.
    let header = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт),Ближайшая задача\n";
    let deal = format!(
        "{header}1,Д1,Орлов Игорь,Петров Алексей,Новая заявка,1000,+7 927 123-45-67,30.11.2026 10:00\n"
    );
    let cases = [
        (
            ("deals_a.csv", 120, "deals_b.csv", 60),
            "a newer export by the file's modification time",
            "более новая выгрузка по времени изменения файла",
        ),
        (
            ("deals_b.csv", 60, "deals_a.csv", 60),
            "read later; the exports' dates do not tell them apart",
            "прочитана позже; даты выгрузок их не различают",
        ),
        (
            ("deals_2026-11-27.csv", 60, "deals_20112026.csv", 90),
            "a newer export by the date in its file name",
            "более новая выгрузка по дате в имени файла",
        ),
    ];
    for ((newer, newer_at, older, older_at), why, why_ru) in cases {
        let dir = folder_with(&[(newer, deal.as_bytes()), (older, deal.as_bytes())]);
        touch(&dir.path().join(newer), newer_at);
        touch(&dir.path().join(older), older_at);
        let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
        let reason =
            format!("an older copy of a deal also in ./{newer} ({why}); that copy is audited");
        assert_eq!(
            skipped(input(&report, &format!("./{older}"))),
            [(reason, 1, vec![2])],
            "{newer} and {older}"
        );
        let (_, table, _) = audit_in(dir.path(), &[".", "--as-of", AS_OF, "--lang", "ru"]);
        assert!(
            table.contains(&format!("и в ./{newer} ({why_ru})")),
            "{table}"
        );
    }
}

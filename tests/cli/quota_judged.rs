//! Who and which days the call quota (clause 2) judges, when the inputs
//! cannot say everything: a log without the status or the duration the
//! rule counts by, a day the log holds no call of, no task list to count
//! letters from, a person named only by closed deals.
//!
//! Every run is as of Friday 27.11.2026 02:00 (`AS_OF`): with the built-in
//! `days = 1` the day judged is Thursday 26.11.2026, quota 40.

use super::support::*;
use serde_json::json;

/// An amoCRM deal export: one deal in work for each manager named.
fn deals(managers: &[&str]) -> String {
    let mut csv = String::from("ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт)\n");
    for (i, manager) in managers.iter().enumerate() {
        csv.push_str(&format!(
            "{},Сделка {},Орлов Игорь,{manager},Новая заявка,10000,+7 927 123-45-6{}\n",
            i + 1,
            i + 1,
            i
        ));
    }
    csv
}

/// An amoCRM task list with the type and completion columns (so letters
/// are counted) and one open call task per deal of `deals`.
fn tasks(managers: &[&str]) -> String {
    let mut csv = String::from(
        "ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения;Результат;Дата создания\n",
    );
    for (i, manager) in managers.iter().enumerate() {
        csv.push_str(&format!(
            "T{};{};{manager};Звонок;30.11.2026 10:00;Нет;;;20.11.2026 10:00\n",
            i + 1,
            i + 1
        ));
    }
    csv
}

/// A Mango Office call log (Windows-1251, `;`): `calls` outgoing external
/// calls per (employee, day, count, how many of them have `Начало
/// разговора` filled), a minute apart from 09:00. Mango's log has no
/// status column.
fn mango(calls: &[(&str, &str, usize, usize)]) -> Vec<u8> {
    let mut log = String::from("Направление;\"Запись разговора\";\"Поступил в компанию\";\"Поступил на группу\";\"Распределён на сотрудника\";\"Начало разговора\";Группа;Длительность;\"Кто звонил\";\"Телефон (Кто звонил)\";\"Кому звонил\";\"Телефон (Кому звонил)\";\"Куда звонил\";\"Комментарий к номеру (куда звонил)\";\"Путь переадресации\";Комментарий;Тема;\"Окончание разговора \";\"Откуда поступил\";\"Компания клиента\";\"Уникальный идентификатор\"\n");
    let mut id = 0;
    for &(employee, day, count, talked) in calls {
        for i in 0..count {
            let at = format!("{day} {:02}:{:02}:00", 9 + i / 60, i % 60);
            let (start, length) = if i < talked {
                (at.as_str(), "00:01:00")
            } else {
                ("", "00:00:00")
            };
            log.push_str(&format!(
                "\"Исходящий внешний вызов\";;\"{at}\";;;\"{start}\";;{length};\"{employee}\";101;;79031112233;79031112233;;;;;\"{at}\";;;MG-{id}\n"
            ));
            id += 1;
        }
    }
    encoding_rs::WINDOWS_1251.encode(&log).0.into_owned()
}

/// A generic call log of outgoing calls: per (manager, day, status cell,
/// count), a minute apart from 09:00; no duration column.
fn generic(calls: &[(&str, &str, &str, usize)]) -> String {
    let mut log = String::from("Дата,Ответственный,Направление,Статус,Телефон\n");
    for &(manager, day, status, count) in calls {
        for i in 0..count {
            log.push_str(&format!(
                "{day} {:02}:{:02}:00,{manager},Исходящий,{status},+79271234567\n",
                9 + i / 60,
                i % 60
            ));
        }
    }
    log
}

const ANSWERED_ONLY: &str =
    "extends = \"builtin\"\n[rules.daily-call-quota]\nanswered-only = true\n";

#[test]
fn answered_only_on_a_log_without_status_blames_only_who_falls_short_anyway() {
    // Mango's log has no status column: whether a call was answered is
    // not in it. Ivanova made 40 outgoing calls (39 with a conversation
    // start): answered or not is unknown, and 40 could fill the quota of
    // 40, so 26.11 is not judged for her. Petrov made 12: even were all 12
    // answered he falls short, a violation with at most 12 contacts.
    let dir = folder_with(&[
        (
            "deals.csv",
            deals(&["Иванова Мария", "Петров Олег"]).as_bytes(),
        ),
        (
            "tasks.csv",
            tasks(&["Иванова Мария", "Петров Олег"]).as_bytes(),
        ),
        (
            "calls.csv",
            &mango(&[
                ("Иванова Мария", "26.11.2026", 40, 39),
                ("Петров Олег", "26.11.2026", 12, 12),
            ]),
        ),
        ("rules.toml", ANSWERED_ONLY.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &[".", "--rules", "rules.toml", "--as-of", AS_OF],
    );
    assert_eq!(
        ids(&report, "daily-call-quota"),
        vec!["Петров Олег/2026-11-26"]
    );
    let petrov = violation(&report, "daily-call-quota", "Петров Олег/2026-11-26");
    assert_eq!(
        petrov["message"],
        "at most 12 outgoing contacts on 26.11.2026, quota 40 (at most 12 calls, 0 letters)"
    );
    assert_eq!(petrov["details"]["count"], json!({ "at_most": 12 }));
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        vec!["26.11.2026 not judged for 1 manager(s): some of their outgoing calls have no status or duration, and without them the quota is not reached"]
    );
    // The same in Russian.
    let ru = json_in(
        dir.path(),
        &[
            ".",
            "--rules",
            "rules.toml",
            "--as-of",
            AS_OF,
            "--lang",
            "ru",
        ],
    );
    assert_eq!(
        violations(&ru, "daily-call-quota")[0]["message"],
        "26.11.2026: исходящих контактов не более 12 при норме 40 (звонков: не более 12, писем: 0)"
    );
}

#[test]
fn a_least_duration_on_a_log_without_durations_is_not_a_day_of_zero() {
    // A generic log with a status but no duration column, and
    // `min-duration-seconds = 10`: Ivanova's 40 answered calls may all be
    // long enough: 26.11 is not judged, where she was blamed for 0.
    let dir = folder_with(&[
        ("deals.csv", deals(&["Иванова Мария"]).as_bytes()),
        ("tasks.csv", tasks(&["Иванова Мария"]).as_bytes()),
        (
            "calls.csv",
            generic(&[("Иванова Мария", "26.11.2026", "Отвечен", 40)]).as_bytes(),
        ),
        (
            "rules.toml",
            b"extends = \"builtin\"\n[rules.daily-call-quota]\nmin-duration-seconds = 10\n",
        ),
    ]);
    let report = json_in(
        dir.path(),
        &[".", "--rules", "rules.toml", "--as-of", AS_OF],
    );
    assert!(ids(&report, "daily-call-quota").is_empty());
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        vec!["26.11.2026 not judged for 1 manager(s): some of their outgoing calls have no status or duration, and without them the quota is not reached"]
    );
}

#[test]
fn an_empty_status_cell_is_unknown_not_unanswered() {
    // A log whose status column is empty on some rows. Ivanova: 38
    // answered and 2 with no status: the 2 could make 40, so the day is
    // not judged (she was blamed for 38 before). Petrov: 30 answered, 5
    // not answered, 1 with no status: at most 31, short of 40 anyway.
    let dir = folder_with(&[
        (
            "deals.csv",
            deals(&["Иванова Мария", "Петров Олег"]).as_bytes(),
        ),
        (
            "tasks.csv",
            tasks(&["Иванова Мария", "Петров Олег"]).as_bytes(),
        ),
        (
            "calls.csv",
            generic(&[
                ("Иванова Мария", "26.11.2026", "Отвечен", 38),
                ("Иванова Мария", "26.11.2026", "", 2),
                ("Петров Олег", "26.11.2026", "Отвечен", 30),
                ("Петров Олег", "26.11.2026", "Не отвечен", 5),
                ("Петров Олег", "26.11.2026", "", 1),
            ])
            .as_bytes(),
        ),
        ("rules.toml", ANSWERED_ONLY.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &[".", "--rules", "rules.toml", "--as-of", AS_OF],
    );
    assert_eq!(
        ids(&report, "daily-call-quota"),
        vec!["Петров Олег/2026-11-26"]
    );
    let petrov = violation(&report, "daily-call-quota", "Петров Олег/2026-11-26");
    assert_eq!(petrov["details"]["calls"], json!({ "at_most": 31 }));
    assert_eq!(not_checked(&report, "daily-call-quota").len(), 1);
}

#[test]
fn a_day_missing_from_a_multi_day_log_is_judged_for_no_one() {
    // `days = 3` as of Friday 27.11: 24.11, 25.11 and 26.11. The log
    // holds 24.11 and 26.11 (the file of 25.11 was not downloaded).
    // 24.11: both made 40. 25.11: no call of anyone: not judged. 26.11:
    // Petrov made 40 and Ivanova none: the log holds that day, so her 0
    // is a violation.
    let dir = folder_with(&[
        (
            "deals.csv",
            deals(&["Иванова Мария", "Петров Олег"]).as_bytes(),
        ),
        (
            "tasks.csv",
            tasks(&["Иванова Мария", "Петров Олег"]).as_bytes(),
        ),
        (
            "calls.csv",
            call_log(&[
                ("Иванова Мария", "24.11.2026", "Исходящий", 40),
                ("Петров Олег", "24.11.2026", "Исходящий", 40),
                ("Петров Олег", "26.11.2026", "Исходящий", 40),
            ])
            .as_bytes(),
        ),
        (
            "rules.toml",
            b"extends = \"builtin\"\n[rules.daily-call-quota]\ndays = 3\n",
        ),
    ]);
    let report = json_in(
        dir.path(),
        &[".", "--rules", "rules.toml", "--as-of", AS_OF],
    );
    assert_eq!(
        ids(&report, "daily-call-quota"),
        vec!["Иванова Мария/2026-11-26"]
    );
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        vec!["25.11.2026 not judged: the call log has no call at all that day (a missing file, or an outage?)"]
    );
}

#[test]
fn without_a_task_list_the_message_does_not_count_letters() {
    // amoCRM's usual night: deals and calls, no task list. Petrov made 35
    // calls; letters were never counted, so the message says so instead
    // of «0 letters».
    let dir = folder_with(&[
        ("deals.csv", deals(&["Петров Олег"]).as_bytes()),
        (
            "calls.csv",
            call_log(&[("Петров Олег", "26.11.2026", "Исходящий", 35)]).as_bytes(),
        ),
    ]);
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    let petrov = violation(&report, "daily-call-quota", "Петров Олег/2026-11-26");
    assert_eq!(
        petrov["message"],
        "35 outgoing contacts on 26.11.2026, quota 40 (35 calls, uncounted letters)"
    );
    assert_eq!(petrov["details"]["letters"], json!(null));
    let ru = json_in(dir.path(), &[".", "--as-of", AS_OF, "--lang", "ru"]);
    assert_eq!(
        violations(&ru, "daily-call-quota")[0]["message"],
        "26.11.2026: исходящих контактов 35 при норме 40 (звонков: 35, писем: не учтены)"
    );
    // A task list without `Тип задачи`: the same.
    let dir = folder_with(&[
        ("deals.csv", deals(&["Петров Олег"]).as_bytes()),
        (
            "tasks.csv",
            "ID;ID сделки;Ответственный;Срок;Выполнена;Дата выполнения\nT1;1;Петров Олег;30.11.2026 10:00;Нет;\n"
                .as_bytes(),
        ),
        (
            "calls.csv",
            call_log(&[("Петров Олег", "26.11.2026", "Исходящий", 35)]).as_bytes(),
        ),
    ]);
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    assert_eq!(
        violation(&report, "daily-call-quota", "Петров Олег/2026-11-26")["message"],
        "35 outgoing contacts on 26.11.2026, quota 40 (35 calls, uncounted letters)"
    );
}

#[test]
fn a_former_employee_with_only_closed_deals_is_not_judged_unless_the_roster_names_them() {
    // Сидоров Олег owns only a won and a lost deal, no task, no call on
    // 26.11: no longer at work, not judged (he was blamed for 0 calls
    // every night), and NOT CHECKED names him. Ivanova made her 40.
    let deals_csv = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт),Причина отказа\n\
        1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67,\n\
        2,Д2,Орлов Игорь,Сидоров Олег,Успешно реализовано,1000,+7 927 123-45-67,\n\
        3,Д3,Орлов Игорь,Сидоров Олег,Закрыто и не реализовано,1000,+7 927 123-45-67,Дорого\n";
    let calls = call_log(&[("Иванова Мария", "26.11.2026", "Исходящий", 40)]);
    let dir = folder_with(&[
        ("deals.csv", deals_csv.as_bytes()),
        ("tasks.csv", tasks(&["Иванова Мария"]).as_bytes()),
        ("calls.csv", calls.as_bytes()),
        (
            "roster.toml",
            "extends = \"builtin\"\n[[managers]]\nname = \"Сидоров Олег\"\n".as_bytes(),
        ),
    ]);
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    assert!(ids(&report, "daily-call-quota").is_empty());
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        vec!["Сидоров Олег not judged: no deal in work, no open task and no call on the days judged (a former employee?); a person of the managers roster is always judged"]
    );
    // A roster that lists him says he is at work: judged, with 0.
    let report = json_in(
        dir.path(),
        &[".", "--rules", "roster.toml", "--as-of", AS_OF],
    );
    assert_eq!(
        ids(&report, "daily-call-quota"),
        vec!["Сидоров Олег/2026-11-26"]
    );
}

#[test]
fn a_roster_person_no_record_names_is_a_manager_the_quota_judges() {
    // Новиков Павел is in the roster, on duty 26.11 (not absent), but no
    // deal, task or call names him: he made 0 calls that day, short of the
    // quota of 2 (Иванова made her 2), so CA007 blames him for 0, and he
    // is a manager of the report. A `per-manager` quota for him (a roster
    // person) is his, not a note. Сидоров, in the roster too, is absent
    // that day: listed, never blamed. Кузнецов, named by `per-manager`
    // alone (no roster, no record), stays a note and is no manager.
    let calls = call_log(&[("Иванова Мария", "26.11.2026", "Исходящий", 2)]);
    let rules = "extends = \"builtin\"\n\
        [rules.daily-call-quota]\nat-least = 2\n\
        per-manager = { \"Новиков Павел\" = 3, \"Кузнецов Пётр\" = 5 }\n\
        [[managers]]\nname = \"Новиков Павел\"\n\
        [[managers]]\nname = \"Сидоров Олег\"\nabsent = [\"2026-11-26\"]\n";
    let dir = folder_with(&[
        ("deals.csv", deals(&["Иванова Мария"]).as_bytes()),
        ("tasks.csv", tasks(&["Иванова Мария"]).as_bytes()),
        ("calls.csv", calls.as_bytes()),
        ("r.toml", rules.as_bytes()),
    ]);
    let report = json_in(dir.path(), &[".", "--rules", "r.toml", "--as-of", AS_OF]);
    assert_eq!(
        ids(&report, "daily-call-quota"),
        vec!["Новиков Павел/2026-11-26"]
    );
    assert_eq!(
        violation(&report, "daily-call-quota", "Новиков Павел/2026-11-26")["message"],
        "0 outgoing contacts on 26.11.2026, quota 3 (0 calls, 0 letters)"
    );
    let mut names: Vec<&str> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Иванова Мария", "Новиков Павел", "Сидоров Олег"]);
    assert!(not_checked(&report, "daily-call-quota").is_empty());
    let text = report.to_string();
    assert!(text.contains("per-manager «Кузнецов Пётр» is no manager of the inputs"));
    assert!(!text.contains("«Новиков Павел» is no manager"));
}

#[test]
fn a_blank_word_in_a_call_status_or_duration_is_not_known() {
    // Quota 2, answered calls of 30 s or more. Each manager made one call
    // that counts and one whose status or duration is `-` (a blank word:
    // the log does not say). Иванова's second (status `-`, 0:45) and
    // Петров's (answered, duration `-`) may count: their day is not judged
    // (before, Иванова's `-` was read as "not answered" and she was
    // blamed). Козлова's second (status `-`, 0:10) is too short whatever
    // its status: 1 contact, short of 2, a real shortfall still reported.
    let calls = "\
Дата,Ответственный,Направление,Статус,Длительность
26.11.2026 09:00:00,Иванова Мария,Исходящий,Отвечен,1:00
26.11.2026 09:01:00,Иванова Мария,Исходящий,-,0:45
26.11.2026 09:02:00,Петров Олег,Исходящий,Отвечен,1:00
26.11.2026 09:03:00,Петров Олег,Исходящий,Отвечен,-
26.11.2026 09:04:00,Козлова Анна,Исходящий,Отвечен,1:00
26.11.2026 09:05:00,Козлова Анна,Исходящий,-,0:10
";
    let managers = ["Иванова Мария", "Петров Олег", "Козлова Анна"];
    let rules = "extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = 2\n\
        answered-only = true\nmin-duration-seconds = 30\n";
    let dir = folder_with(&[
        ("deals.csv", deals(&managers).as_bytes()),
        ("tasks.csv", tasks(&managers).as_bytes()),
        ("calls.csv", calls.as_bytes()),
        ("r.toml", rules.as_bytes()),
    ]);
    let report = json_in(dir.path(), &[".", "--rules", "r.toml", "--as-of", AS_OF]);
    assert_eq!(
        ids(&report, "daily-call-quota"),
        vec!["Козлова Анна/2026-11-26"]
    );
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        vec!["26.11.2026 not judged for 2 manager(s): some of their outgoing calls have no status or duration, and without them the quota is not reached"]
    );
    assert!(skipped(input(&report, "./calls.csv")).is_empty());
}

#[test]
fn a_former_employee_not_judged_leaves_the_others_quota_cells_clean() {
    // Сидоров Олег owns a won deal only: not judged for the quota, and
    // NOT CHECKED names him. Иванова Мария was judged and made her 40 on
    // 26.11: her CA007 cell is a clean `·`, not the `—` of a rule not
    // checked; his stays `—`. The total keeps `—` (not everyone was
    // judged). In JSON the reason names whom it alone concerns.
    let deals_csv = "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт)\n\
        1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67\n\
        2,Д2,Орлов Игорь,Сидоров Олег,Успешно реализовано,1000,+7 927 123-45-67\n";
    let calls = call_log(&[("Иванова Мария", "26.11.2026", "Исходящий", 40)]);
    let dir = folder_with(&[
        ("deals.csv", deals_csv.as_bytes()),
        ("tasks.csv", tasks(&["Иванова Мария"]).as_bytes()),
        ("calls.csv", calls.as_bytes()),
    ]);
    let (code, table, _) = audit_in(dir.path(), &[".", "--as-of", AS_OF, "-f", "table"]);
    assert_eq!(code, 0);
    let header = table.lines().find(|l| l.contains("CA007")).unwrap();
    let column = |line: &str| {
        let at = header.split('┆').position(|c| c.contains("CA007")).unwrap();
        line.split('┆').nth(at).unwrap().trim().to_string()
    };
    let row = |name: &str| {
        let start = format!("│ {name} ");
        table
            .lines()
            .find(|l| l.starts_with(&start))
            .unwrap()
            .to_string()
    };
    assert_eq!(column(&row("Иванова Мария")), "·");
    assert_eq!(column(&row("Сидоров Олег")), "—");
    assert_eq!(column(&row("total")), "—");
    let report = json_in(dir.path(), &[".", "--as-of", AS_OF]);
    let reasons: Vec<&serde_json::Value> = report["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["rule"] == "daily-call-quota")
        .collect();
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0]["managers"], json!(["Сидоров Олег"]));
}

#[test]
fn a_cap_on_contacts_is_judged_only_where_unknown_calls_cannot_change_it() {
    // A company caps outgoing contacts at 10 a day, answered ones only, on
    // a log without status (Mango's): Ivanova's 8 calls might all have
    // been answered or none, and 8 is under 10 either way (kept). Petrov's
    // 12 might be 12 answered (over) or none (under): not judged. Nobody
    // is blamed.
    let rules = "extends = \"builtin\"\n\
        [rules.daily-call-quota]\nenabled = false\n\
        [rules.contact-cap]\ncheck = \"daily-count\"\ncode = \"CX001\"\nclause = \"2\"\n\
        severity = \"info\"\nmessage = \"{count} contacts on {date}, cap {limit}\"\n\
        count = \"outgoing-contacts\"\nat-most = 10\ndays = 1\nanswered-only = true\n";
    let dir = folder_with(&[
        (
            "deals.csv",
            deals(&["Иванова Мария", "Петров Олег"]).as_bytes(),
        ),
        (
            "tasks.csv",
            tasks(&["Иванова Мария", "Петров Олег"]).as_bytes(),
        ),
        (
            "calls.csv",
            &mango(&[
                ("Иванова Мария", "26.11.2026", 8, 8),
                ("Петров Олег", "26.11.2026", 12, 12),
            ]),
        ),
        ("rules.toml", rules.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &[".", "--rules", "rules.toml", "--as-of", AS_OF],
    );
    assert!(ids(&report, "contact-cap").is_empty());
    assert_eq!(
        not_checked(&report, "contact-cap"),
        vec!["26.11.2026 not judged for 1 manager(s): some of their outgoing calls have no status or duration, and without them the quota is not reached"]
    );
}

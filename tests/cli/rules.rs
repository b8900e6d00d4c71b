//! Each rule of the built-in regulation, firing and not firing at its
//! boundary, through the command line on small exports.

use crate::support::*;

// ---- overdue-task (clause 4) ----

#[test]
fn overdue_task_fires_for_open_tasks_due_before_the_audit_moment() {
    let report = json(&["tasks_overdue.csv", "--as-of", AS_OF]);
    // At 27.11.2026 02:00: T-1 (due 26.11.2026, a whole day) ended at
    // midnight, 2 h ago; T-2 (01:59) is 1 min late; T-3 is due exactly now,
    // which is not before the audit moment; T-4 is done; T-5 is due today.
    assert_eq!(ids(&report, "overdue-task"), ["T-1", "T-2"]);
    let t1 = violation(&report, "overdue-task", "T-1");
    assert_eq!(t1["entity"]["kind"], "task");
    assert_eq!(t1["entity"]["deal_id"], "101");
    assert_eq!(t1["manager"], "Иванова Мария");
    assert_eq!(t1["code"], "CA001");
    assert_eq!(t1["severity"], "error");
    assert_eq!(t1["details"]["due"], "26.11.2026");
    assert_eq!(t1["details"]["late_minutes"], 120);
    assert_eq!(t1["message"], "task due 26.11.2026 is 2 h overdue");
    assert_eq!(t1["source"]["file"], "tasks_overdue.csv");
    assert_eq!(t1["source"]["row"], 2);
    let t2 = violation(&report, "overdue-task", "T-2");
    assert_eq!(t2["details"]["late_minutes"], 1);
    assert_eq!(t2["message"], "task due 27.11.2026 01:59 is 1 min overdue");
}

#[test]
fn overdue_task_with_a_date_only_due_is_late_from_the_next_midnight() {
    // T-1 is due 26.11.2026 without a time: the whole of that day.
    let before = json(&["tasks_overdue.csv", "--as-of", "2026-11-26 23:59"]);
    assert!(ids(&before, "overdue-task").is_empty());

    let at_midnight = json(&["tasks_overdue.csv", "--as-of", "2026-11-27 00:00"]);
    assert_eq!(ids(&at_midnight, "overdue-task"), ["T-1"]);
    let t1 = violation(&at_midnight, "overdue-task", "T-1");
    assert_eq!(t1["details"]["late_minutes"], 0);
    assert_eq!(t1["message"], "task due 26.11.2026 is 0 min overdue");
}

#[test]
fn overdue_task_without_a_tasks_file_reads_the_deals_nearest_task() {
    let report = json(&["deals_nearest_task.csv", "--as-of", AS_OF]);
    // Deal 201 (in work) had its nearest task at 26.11.2026 18:00: 8 h late.
    // 202's is tomorrow; 203's is past, but the deal is won.
    assert_eq!(ids(&report, "overdue-task"), ["201"]);
    let v = violation(&report, "overdue-task", "201");
    assert_eq!(v["entity"]["kind"], "deal");
    assert_eq!(v["entity"]["name"], "Радиаторы для коттеджа");
    assert_eq!(v["manager"], "Иванова Мария");
    assert_eq!(v["details"]["due"], "26.11.2026 18:00");
    assert_eq!(v["details"]["late_minutes"], 480);
    assert_eq!(v["source"]["row"], 2);
}

// ---- deal-without-task (clause 3) ----

#[test]
fn deal_without_task_needs_an_open_task_in_the_tasks_file() {
    let report = json(&[
        "deals_with_tasks.csv",
        "tasks_for_deals.csv",
        "--as-of",
        AS_OF,
    ]);
    // 301 has the open task T-31. 302's only task is done. 303 is in the
    // inbox (in work) with no task. 304 is won, 305 lost. 306's stage is
    // unknown, so in work. 307 has a nearest task in the deal export, but
    // the tasks file, which has none for it, is the authority.
    assert_eq!(
        ids(&report, "deal-without-task"),
        ["302", "303", "306", "307"]
    );
    let v = violation(&report, "deal-without-task", "303");
    assert_eq!(v["manager"], "Петров Алексей");
    assert_eq!(v["code"], "CA002");
    assert_eq!(v["details"]["stage"], "Неразобранное");
    assert_eq!(
        v["message"],
        "deal in work at stage «Неразобранное» has no open task"
    );
}

#[test]
fn deal_without_task_without_a_tasks_file_needs_a_nearest_task() {
    let report = json(&["deals_nearest_task.csv", "--as-of", AS_OF]);
    // Empty «Ближайшая задача»: 204 (Новая заявка), 205 (Неразобранное, in
    // work), 206 (an unknown stage, in work). 207-213 are empty too but
    // won (Сделка успешна, Closed - won) or lost (Закрыто и не реализовано,
    // with or without a reason, Сделка провалена, Анализ причины провала,
    // Closed - lost), so not in work.
    assert_eq!(ids(&report, "deal-without-task"), ["204", "205", "206"]);
    assert!(not_checked(&report, "deal-without-task").is_empty());
}

#[test]
fn deal_without_task_is_not_checked_without_tasks_or_nearest_task_column() {
    let report = json(&["deals_plain.csv", "--as-of", AS_OF]);
    assert!(ids(&report, "deal-without-task").is_empty());
    assert_eq!(
        not_checked(&report, "deal-without-task"),
        ["deals_plain.csv: no tasks file and no «Ближайшая задача» column"]
    );
    assert_eq!(
        not_checked(&report, "overdue-task"),
        ["deals_plain.csv: no tasks file and no «Ближайшая задача» column"]
    );
}

// ---- missing-phone (clause 6) ----

#[test]
fn missing_phone_fires_when_no_phone_column_holds_a_digit() {
    let report = json(&["deals_phones.csv", "--as-of", AS_OF]);
    // 401: a mobile; 402: a work phone with Excel's leading apostrophe;
    // 403: "нет" has no digit; 404: both empty; 405 won and 406 lost.
    assert_eq!(ids(&report, "missing-phone"), ["403", "404"]);
    let v = violation(&report, "missing-phone", "403");
    assert_eq!(v["code"], "CA003");
    assert_eq!(v["severity"], "error");
    assert_eq!(v["manager"], "Петров Алексей");
    assert_eq!(v["message"], "no phone number for the contact of the deal");
    assert!(not_checked(&report, "missing-phone").is_empty());
}

#[test]
fn missing_phone_reads_the_older_amocrm_layout() {
    let report = json(&["deals_old_layout.csv", "--as-of", AS_OF]);
    // Older layout: `Мобильный телефон` (451) and `Рабочий телефон` (453)
    // count; 452 has neither.
    assert_eq!(ids(&report, "missing-phone"), ["452"]);
    // 453's `Полное имя контакта` is empty.
    assert_eq!(ids(&report, "missing-contact-name"), ["453"]);
}

#[test]
fn missing_phone_is_not_checked_without_a_phone_column_or_contacts() {
    let report = json(&["deals_plain.csv", "--as-of", AS_OF]);
    assert!(ids(&report, "missing-phone").is_empty());
    assert_eq!(
        not_checked(&report, "missing-phone"),
        ["deals_plain.csv: no phone column"]
    );
}

#[test]
fn missing_phone_borrows_the_phone_of_the_contact_with_the_same_name() {
    let report = json(&["deals_plain.csv", "contacts.csv", "--as-of", AS_OF]);
    // 601's contact Орлов Игорь has a mobile in contacts.csv; 602's contact
    // Зайцева Ольга has none; 603's Смирнов Павел is not in contacts.csv;
    // 604 is lost.
    assert_eq!(ids(&report, "missing-phone"), ["602", "603"]);
    assert!(not_checked(&report, "missing-phone").is_empty());
    assert_eq!(input(&report, "contacts.csv")["kind"], "contacts");
    assert_eq!(input(&report, "contacts.csv")["audited"], 3);
}

// ---- missing-contact-name (clause 6) ----

#[test]
fn missing_contact_name_fires_for_deals_in_work_with_an_empty_contact() {
    let report = json(&["deals_contact_names.csv", "--as-of", AS_OF]);
    // 701 has a name; 702 empty; 703 only spaces; 704 lost and 705 won
    // need none; 706 empty and without a responsible manager.
    assert_eq!(ids(&report, "missing-contact-name"), ["702", "703", "706"]);
    let v = violation(&report, "missing-contact-name", "702");
    assert_eq!(v["code"], "CA004");
    assert_eq!(v["manager"], "Кузнецов Дмитрий");
    assert_eq!(v["message"], "no contact person's name on the deal");
}

#[test]
fn a_deal_with_no_responsible_manager_is_reported_as_unassigned() {
    let report = json(&["deals_contact_names.csv", "--as-of", AS_OF]);
    let v = violation(&report, "missing-contact-name", "706");
    assert_eq!(v["manager"], "(unassigned)");
    let managers: Vec<String> = report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| text(&m["name"]))
        .collect();
    // Кузнецов: 702 and 703 (2 errors); (unassigned): 706 (1 error).
    assert_eq!(managers, ["Кузнецов Дмитрий", "(unassigned)"]);
    assert_eq!(report["managers"][1]["errors"], 1);
    assert_eq!(report["managers"][1]["counts"]["missing-contact-name"], 1);
}

// ---- stage-missing-data (clause 7) ----

#[test]
fn stage_missing_data_requires_the_twelve_fields_from_qualification_on() {
    let report = json(&["deals_qualification.csv", "--as-of", AS_OF]);
    // 801 is one stage before Квалификация and 808 at the first stage: not
    // judged. 802 has all twelve. 803 (Квалификация) lacks Вентили; 804
    // (Счет) lacks Рабочее давление and Форма оплаты; 807 (the last funnel
    // stage) lacks Адрес и приемщик. 805 is won, 806 in the inbox.
    assert_eq!(ids(&report, "stage-missing-data"), ["803", "804", "807"]);
    let v = violation(&report, "stage-missing-data", "804");
    assert_eq!(v["code"], "CA005");
    assert_eq!(v["severity"], "warning");
    assert_eq!(v["details"]["stage"], "Счет");
    assert_eq!(
        v["details"]["missing_fields"],
        serde_json::json!(["Рабочее давление", "Форма оплаты"])
    );
    assert_eq!(
        v["message"],
        "stage «Счет» requires: Рабочее давление, Форма оплаты"
    );
    assert_eq!(
        violation(&report, "stage-missing-data", "803")["details"]["missing_fields"],
        serde_json::json!(["Вентили"])
    );
    assert!(not_checked(&report, "stage-missing-data").is_empty());
}

#[test]
fn stage_missing_data_skips_fields_whose_column_is_absent() {
    let report = json(&["deals_two_fields.csv", "--as-of", AS_OF]);
    // Only two of the twelve columns are in the file: 851 lacks one of them
    // (Модель радиатора); 852 has both. The other ten are not judged.
    assert_eq!(ids(&report, "stage-missing-data"), ["851"]);
    assert_eq!(
        violation(&report, "stage-missing-data", "851")["details"]["missing_fields"],
        serde_json::json!(["Модель радиатора"])
    );
    assert_eq!(
        not_checked(&report, "stage-missing-data"),
        [
            "deals_two_fields.csv: no column for «Количество радиаторов», «Количество секций», \
          «Диаметр подключения», «Вид подключения», «Покраска радиаторов», «Вентили», \
          «Аксессуары», «Покраска вентилей и аксессуаров», «Форма оплаты», «Адрес и приемщик»"
        ]
    );
}

// ---- refusal-without-reason (clause 8) ----

#[test]
fn refusal_without_reason_fires_for_lost_deals_without_a_reason() {
    let report = json(&["deals_lost.csv", "--as-of", AS_OF]);
    // 901, 904 (Сделка провалена) and 908 (Анализ причины провала) are lost
    // with an empty reason. 902 has one in the column, 903 in parentheses
    // after the stage, 905 (Closed - lost) in the column. 906 is won, 907
    // in work.
    assert_eq!(
        ids(&report, "refusal-without-reason"),
        ["901", "904", "908"]
    );
    let v = violation(&report, "refusal-without-reason", "901");
    assert_eq!(v["code"], "CA006");
    assert_eq!(v["severity"], "warning");
    assert_eq!(v["manager"], "Соколова Анна");
    assert_eq!(v["message"], "deal closed as lost with no refusal reason");
}

#[test]
fn refusal_without_reason_is_not_checked_without_a_reason_column() {
    // 604 is lost, but the export has no `Причина отказа` column.
    let report = json(&["deals_plain.csv", "--as-of", AS_OF]);
    assert!(ids(&report, "refusal-without-reason").is_empty());
    assert_eq!(
        not_checked(&report, "refusal-without-reason"),
        ["deals_plain.csv: no refusal-reason column"]
    );
}

// ---- daily-call-quota (clause 2) ----

/// A task list with letters (`Письмо`) and a call task, for the quota.
const QUOTA_TASKS: &str = "\
ID;ID сделки;Ответственный;Тип задачи;Срок;Выполнена;Дата выполнения
T-61;;Смирнова Ольга;Письмо;26.11.2026 12:00;Да;26.11.2026 12:10
T-62;;Кузнецов Дмитрий;Письмо;25.11.2026 12:00;Да;25.11.2026 12:10
T-63;;Кузнецов Дмитрий;Письмо;27.11.2026;Нет;
T-64;;Кузнецов Дмитрий;Звонок;26.11.2026 15:00;Да;26.11.2026 15:05
";

/// A deal export naming a manager who appears nowhere else.
const QUOTA_DEALS: &str = "\
ID,Название сделки,Основной контакт,Ответственный,Этап сделки
1601,Радиаторы для коттеджа,Орлов Игорь,Соколова Анна,Счет
";

#[test]
fn daily_call_quota_counts_outgoing_calls_and_letters_of_the_working_day_before() {
    let calls = call_log(&[
        ("Иванова Мария", "26.11.2026", "Исходящий", 40),
        ("Петров Алексей", "25.11.2026", "Исходящий", 10),
        ("Петров Алексей", "26.11.2026", "Исходящий", 39),
        ("Петров Алексей", "26.11.2026", "Входящий", 5),
        ("Смирнова Ольга", "26.11.2026", "Исходящий", 39),
        ("Кузнецов Дмитрий", "26.11.2026", "Исходящий", 38),
    ]);
    let dir = folder_with(&[
        ("calls.csv", calls.as_bytes()),
        ("tasks.csv", QUOTA_TASKS.as_bytes()),
        ("deals.csv", QUOTA_DEALS.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &["calls.csv", "tasks.csv", "deals.csv", "--as-of", AS_OF],
    );
    // The day judged is Thursday 26.11 (as-of Friday). Иванова: 40 calls,
    // exactly the quota. Петров: 39 outgoing (incoming and 25.11 calls do
    // not count). Смирнова: 39 calls + 1 letter done 26.11 = 40. Кузнецов:
    // 38 calls; his letters were done 25.11 or not at all, and a call task
    // is no letter. Соколова is named only in the deals: 0.
    assert_eq!(
        ids(&report, "daily-call-quota"),
        [
            "Кузнецов Дмитрий/2026-11-26",
            "Петров Алексей/2026-11-26",
            "Соколова Анна/2026-11-26"
        ]
    );
    let petrov = violation(&report, "daily-call-quota", "Петров Алексей/2026-11-26");
    assert_eq!(petrov["entity"]["kind"], "manager-day");
    assert_eq!(petrov["code"], "CA007");
    assert_eq!(petrov["severity"], "warning");
    assert_eq!(petrov["manager"], "Петров Алексей");
    let d = &petrov["details"];
    assert_eq!(d["date"], "2026-11-26");
    assert_eq!(d["count"], 39);
    assert_eq!(d["calls"], 39);
    assert_eq!(d["letters"], 0);
    assert_eq!(
        petrov["message"],
        "39 outgoing contacts on 26.11.2026, quota 40 (39 calls, 0 letters)"
    );
    let kuznetsov = violation(&report, "daily-call-quota", "Кузнецов Дмитрий/2026-11-26");
    assert_eq!(kuznetsov["details"]["count"], 38);
    assert_eq!(kuznetsov["details"]["letters"], 0);
    let sokolova = violation(&report, "daily-call-quota", "Соколова Анна/2026-11-26");
    assert_eq!(sokolova["details"]["count"], 0);
    assert!(not_checked(&report, "daily-call-quota").is_empty());
}

#[test]
fn daily_call_quota_skips_weekends() {
    // Monday 30.11.2026: the working day before is Friday 27.11; Sunday's
    // 50 calls neither count for Friday nor make Sunday a judged day.
    let calls = call_log(&[
        ("Иванова Мария", "27.11.2026", "Исходящий", 40),
        ("Петров Алексей", "27.11.2026", "Исходящий", 10),
        ("Петров Алексей", "29.11.2026", "Исходящий", 50),
    ]);
    let dir = folder_with(&[("calls.csv", calls.as_bytes())]);
    let report = json_in(dir.path(), &["calls.csv", "--as-of", "2026-11-30 09:00"]);
    assert_eq!(
        ids(&report, "daily-call-quota"),
        ["Петров Алексей/2026-11-27"]
    );
    let v = violation(&report, "daily-call-quota", "Петров Алексей/2026-11-27");
    assert_eq!(v["details"]["count"], 10);
}

#[test]
fn daily_call_quota_skips_public_holidays() {
    // Thursday 05.11.2026: Wednesday 04.11 is Unity Day, a holiday, so the
    // working day judged is Tuesday 03.11.
    let calls = call_log(&[
        ("Иванова Мария", "03.11.2026", "Исходящий", 40),
        ("Иванова Мария", "04.11.2026", "Исходящий", 1),
        ("Петров Алексей", "03.11.2026", "Исходящий", 39),
        ("Петров Алексей", "04.11.2026", "Исходящий", 40),
    ]);
    let dir = folder_with(&[("calls.csv", calls.as_bytes())]);
    let report = json_in(dir.path(), &["calls.csv", "--as-of", "2026-11-05 09:00"]);
    assert_eq!(
        ids(&report, "daily-call-quota"),
        ["Петров Алексей/2026-11-03"]
    );
    assert_eq!(
        violation(&report, "daily-call-quota", "Петров Алексей/2026-11-03")["details"]["count"],
        39
    );
}

#[test]
fn daily_call_quota_judges_only_days_the_call_log_covers() {
    // The log covers 25.11-26.11; on Monday 30.11 the day to judge is
    // Friday 27.11, which the log does not cover.
    let calls = call_log(&[
        ("Иванова Мария", "25.11.2026", "Исходящий", 3),
        ("Иванова Мария", "26.11.2026", "Исходящий", 3),
    ]);
    let dir = folder_with(&[("calls.csv", calls.as_bytes())]);
    let report = json_in(dir.path(), &["calls.csv", "--as-of", "2026-11-30 09:00"]);
    assert!(ids(&report, "daily-call-quota").is_empty());
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        [
            "27.11.2026 not judged: the call log covers 25.11.2026 to 26.11.2026",
            "letters are not counted (no task list among the inputs): the quota is judged on calls alone"
        ]
    );
    // The same log judged on Friday 27.11: Thursday 26.11 is covered.
    let report = json_in(dir.path(), &["calls.csv", "--as-of", AS_OF]);
    assert_eq!(
        ids(&report, "daily-call-quota"),
        ["Иванова Мария/2026-11-26"]
    );

    // A log that starts after the day to judge says nothing of it either:
    // calls made on Friday night after midnight, audited at 02:00.
    let calls = "\
Дата,Ответственный,Направление,Статус
27.11.2026 00:30:00,Иванова Мария,Исходящий,Отвечен
27.11.2026 01:15:00,Иванова Мария,Исходящий,Не отвечен
";
    let dir = folder_with(&[("calls.csv", calls.as_bytes())]);
    let report = json_in(dir.path(), &["calls.csv", "--as-of", AS_OF]);
    assert!(ids(&report, "daily-call-quota").is_empty());
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        [
            "26.11.2026 not judged: the call log covers 27.11.2026 to 27.11.2026",
            "letters are not counted (no task list among the inputs): the quota is judged on calls alone"
        ]
    );
}

#[test]
fn daily_call_quota_is_not_checked_without_a_call_log() {
    let report = json(&["deals_plain.csv", "--as-of", AS_OF]);
    assert!(ids(&report, "daily-call-quota").is_empty());
    assert_eq!(
        not_checked(&report, "daily-call-quota"),
        ["no call log among the inputs"]
    );
}

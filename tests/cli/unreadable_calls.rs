//! One unreadable cell in a call log or a call-review sheet must not end
//! the night either: the call (or the review) is reported as its
//! unreadable-value finding, naming the file, the line, the column and the
//! text; it is counted on no day, and no quota day it may belong to is
//! judged: a call whose time cannot be read may be the one that fills
//! any day's quota, a call whose duration cannot be read only its own
//! day's. `--strict` keeps the stop, and a log with no call read whole is
//! still an error.

use crate::support::*;

/// The rule set of these tests: a quota of 2 outgoing calls of at least
/// 30 seconds (so the duration is read), one working day back.
const QUOTA_2: &str = "extends = \"builtin\"\n\
                       [rules.daily-call-quota]\n\
                       at-least = 2\n\
                       min-duration-seconds = 30\n";

/// Sipuni's header (`;`, UTF-8 with a BOM); the employee is in `Откуда`
/// for an outgoing call, in `Кто ответил` for an incoming one, written
/// `EXT (Name)`; the talk time in `Длительность разговора` (K).
const SIPUNI_HEADER: &str = "Тип;Статус;Время;ID схемы звонка;Схема;Исходящая линия;Откуда;Куда;\
Кто ответил;Длительность звонка;Длительность разговора;Время ответа;Оценка;ID записи;Метка;Теги;\
Инициатор завершения звонка;ID заказа звонка;Запись существует;Новый клиент;Состояние перезвона;\
Время перезвона;Информация из CRM;Ответственный из CRM";

/// A Sipuni row: type, time, caller (`Откуда`), who answered, talk seconds.
fn sipuni_row(kind: &str, time: &str, from: &str, answered_by: &str, talk: &str) -> String {
    format!(
        "{kind};Отвечен;{time};;;74951234567;{from};79165551234;{answered_by};{talk};{talk};5;;;;;Клиент;;Да;Нет;;;;\n"
    )
}

/// `calls_sipuni.csv`, Thursday 26.11.2026 (the working day before the
/// audit moment, 27.11.2026 02:00), quota 2 calls of 30 s or more:
/// - line 2: Петров Иван, outgoing 09:12, 171 s: counts;
/// - line 3: Петров Иван, outgoing, time `вчера 10:00`: unreadable. It
///   may be his second call of 26.11 (or of any day): he is judged on no
///   day, though one counted call is below the quota;
/// - line 4: Смирнова Анна, outgoing 11:00, talk `abc`: unreadable. It is
///   a call of 26.11 that may have lasted 30 s: her 26.11 is not judged,
///   though one counted call (line 5) is below the quota;
/// - line 5: Смирнова Анна, outgoing 11:30, 40 s: counts;
/// - lines 6, 7: Орлов Дмитрий, outgoing 12:00 (61 s) and 12:30 (15 s, too
///   short): 1 call counted, below 2: the one quota violation;
/// - line 8: an incoming call Петров Иван answered: no outgoing contact.
fn sipuni_log() -> String {
    let mut log = format!("\u{feff}{SIPUNI_HEADER}\n");
    for (kind, time, from, answered_by, talk) in [
        (
            "Исходящий",
            "26.11.2026 09:12:04",
            "201 (Петров Иван)",
            "",
            "171",
        ),
        ("Исходящий", "вчера 10:00", "201 (Петров Иван)", "", "95"),
        (
            "Исходящий",
            "26.11.2026 11:00:00",
            "202 (Смирнова Анна)",
            "",
            "abc",
        ),
        (
            "Исходящий",
            "26.11.2026 11:30:00",
            "202 (Смирнова Анна)",
            "",
            "40",
        ),
        (
            "Исходящий",
            "26.11.2026 12:00:00",
            "203 (Орлов Дмитрий)",
            "",
            "61",
        ),
        (
            "Исходящий",
            "26.11.2026 12:30:00",
            "203 (Орлов Дмитрий)",
            "",
            "15",
        ),
        (
            "Входящий",
            "26.11.2026 13:00:00",
            "79165551234",
            "201 (Петров Иван)",
            "50",
        ),
    ] {
        log.push_str(&sipuni_row(kind, time, from, answered_by, talk));
    }
    log
}

/// A folder with the log and the quota-2 rule file.
fn with_rules(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let mut all = files.to_vec();
    all.push(("company.toml", QUOTA_2.as_bytes()));
    folder_with(&all)
}

#[test]
fn an_unreadable_time_or_duration_is_a_finding_and_no_one_is_blamed_for_it() {
    let log = sipuni_log();
    let dir = with_rules(&[("calls_sipuni.csv", log.as_bytes())]);
    let report = json_in(
        dir.path(),
        &[
            "calls_sipuni.csv",
            "--rules",
            "company.toml",
            "--as-of",
            AS_OF,
        ],
    );
    // Sipuni's log has no call ID: each call is named by its file and line.
    assert_eq!(
        ids(&report, "unreadable-value"),
        ["calls_sipuni.csv:3", "calls_sipuni.csv:4"]
    );
    let time = violation(&report, "unreadable-value", "calls_sipuni.csv:3");
    assert_eq!(time["entity"]["kind"], "call");
    assert_eq!(time["manager"], "Петров Иван");
    assert_eq!(time["severity"], "error");
    assert_eq!(time["source"]["file"], "calls_sipuni.csv");
    assert_eq!(time["source"]["row"], 3);
    let cell = text(&time["details"]["cells"][0]);
    assert!(
        cell.starts_with(
            "calls_sipuni.csv, line 3, column \"Время\" (C): `вчера 10:00` is not a date"
        ),
        "{cell}"
    );
    let duration = violation(&report, "unreadable-value", "calls_sipuni.csv:4");
    assert_eq!(duration["manager"], "Смирнова Анна");
    let cell = text(&duration["details"]["cells"][0]);
    assert!(
        cell.starts_with("calls_sipuni.csv, line 4, column \"Длительность разговора\" (K): `abc`"),
        "{cell}"
    );
    // Only Орлов is judged below the quota: Петров on no day, Смирнова
    // not on 26.11.
    assert_eq!(
        ids(&report, "daily-call-quota"),
        ["Орлов Дмитрий/2026-11-26"]
    );
    assert_eq!(
        violation(&report, "daily-call-quota", "Орлов Дмитрий/2026-11-26")["details"]["calls"],
        1
    );
    let reasons = not_checked(&report, "daily-call-quota");
    for reason in [
        "1 manager(s) not judged on any day: an outgoing call of theirs has a time that cannot be read",
        "26.11.2026 not judged for 1 manager(s): an outgoing call of theirs has a value that cannot be read",
    ] {
        assert!(reasons.contains(&reason.to_string()), "{reasons:#?}");
    }
    // Every row is accounted for: seven calls, all audited.
    let input = input(&report, "calls_sipuni.csv");
    assert_eq!(
        (input["rows"].as_u64(), input["audited"].as_u64()),
        (Some(7), Some(7))
    );
}

#[test]
fn without_the_unreadable_call_the_same_managers_are_blamed() {
    // The control: lines 3 and 4 left out, Петров (1 call) and Смирнова
    // (1 call) are below the quota too. It is the unreadable calls, not
    // the fixture, that keep them from being blamed above.
    let log: String = sipuni_log()
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 2 && *i != 3)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let dir = with_rules(&[("calls_sipuni.csv", log.as_bytes())]);
    let report = json_in(
        dir.path(),
        &[
            "calls_sipuni.csv",
            "--rules",
            "company.toml",
            "--as-of",
            AS_OF,
        ],
    );
    assert!(ids(&report, "unreadable-value").is_empty());
    assert_eq!(
        ids(&report, "daily-call-quota"),
        [
            "Орлов Дмитрий/2026-11-26",
            "Петров Иван/2026-11-26",
            "Смирнова Анна/2026-11-26"
        ]
    );
}

#[test]
fn an_unreadable_duration_leaves_only_its_own_day_unjudged() {
    // Two working days back (25.11 and 26.11), quota 2. Смирнова's call
    // of 26.11 has talk `abc`: 26.11 is not judged for her; on 25.11 she
    // made one counted call: blamed for 25.11 only.
    let mut log = format!("\u{feff}{SIPUNI_HEADER}\n");
    for (time, talk) in [
        ("25.11.2026 10:00:00", "45"),
        ("26.11.2026 11:00:00", "abc"),
        ("26.11.2026 11:30:00", "40"),
    ] {
        log.push_str(&sipuni_row(
            "Исходящий",
            time,
            "202 (Смирнова Анна)",
            "",
            talk,
        ));
    }
    let rules = format!("{QUOTA_2}days = 2\n");
    let dir = folder_with(&[
        ("calls_sipuni.csv", log.as_bytes()),
        ("company.toml", rules.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &[
            "calls_sipuni.csv",
            "--rules",
            "company.toml",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(ids(&report, "unreadable-value"), ["calls_sipuni.csv:3"]);
    assert_eq!(
        ids(&report, "daily-call-quota"),
        ["Смирнова Анна/2026-11-25"]
    );
}

/// Mango Office's header (Windows-1251, `;`, multi-word headers quoted).
const MANGO_HEADER: &str = "Направление;\"Запись разговора\";\"Поступил в компанию\";\
\"Поступил на группу\";\"Распределён на сотрудника\";\"Начало разговора\";Группа;Длительность;\
\"Кто звонил\";\"Телефон (Кто звонил)\";\"Кому звонил\";\"Телефон (Кому звонил)\";\"Куда звонил\";\
\"Комментарий к номеру (куда звонил)\";\"Путь переадресации\";Комментарий;Тема;\
\"Окончание разговора \";\"Откуда поступил\";\"Компания клиента\";\"Уникальный идентификатор\"";

/// `mango_calls.csv`, 26.11.2026, quota 2 calls of 30 s or more:
/// - MG-7001 (line 2): Иванова Мария, outgoing 09:15, 2:14: counts;
/// - MG-7002 (line 3): Иванова Мария, outgoing, `Поступил в компанию`
///   `26.11.2026 25:10:00` (no 25th hour): unreadable, may be any day's:
///   Иванова is judged on no day;
/// - MG-7003 (line 4): Петров Алексей, outgoing 11:45, 1:24: counts;
/// - MG-7004 (line 5): Петров Алексей, outgoing 12:10, `Длительность`
///   `0:1` (no h:mm:ss): unreadable; his 26.11 is not judged;
/// - MG-7005 (line 6): Козлов Павел, outgoing 13:00, 0:45: 1 counted call,
///   below 2: the one quota violation.
fn mango_log() -> Vec<u8> {
    let mut log = format!("{MANGO_HEADER}\n");
    for (id, at, length, who) in [
        (
            "MG-7001",
            "26.11.2026 09:15:03",
            "00:02:14",
            "Иванова Мария",
        ),
        (
            "MG-7002",
            "26.11.2026 25:10:00",
            "00:01:10",
            "Иванова Мария",
        ),
        (
            "MG-7003",
            "26.11.2026 11:45:00",
            "00:01:24",
            "Петров Алексей",
        ),
        ("MG-7004", "26.11.2026 12:10:00", "0:1", "Петров Алексей"),
        ("MG-7005", "26.11.2026 13:00:00", "00:00:45", "Козлов Павел"),
    ] {
        log.push_str(&format!(
            "\"Исходящий внешний вызов\";;\"{at}\";;;\"{at}\";;{length};\"{who}\";101;;79161234567;\
             79161234567;;;;;;;;{id}\n"
        ));
    }
    encoding_rs::WINDOWS_1251.encode(&log).0.into_owned()
}

#[test]
fn a_mango_call_is_named_by_its_own_id() {
    let dir = with_rules(&[("mango_calls.csv", &mango_log())]);
    let report = json_in(
        dir.path(),
        &[
            "mango_calls.csv",
            "--rules",
            "company.toml",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(ids(&report, "unreadable-value"), ["MG-7002", "MG-7004"]);
    let time = violation(&report, "unreadable-value", "MG-7002");
    assert_eq!(time["manager"], "Иванова Мария");
    assert_eq!(time["source"]["row"], 3);
    let cell = text(&time["details"]["cells"][0]);
    assert!(
        cell.starts_with(
            "mango_calls.csv, line 3, column \"Поступил в компанию\" (C): `26.11.2026 25:10:00` is not a date"
        ),
        "{cell}"
    );
    let cell = text(&violation(&report, "unreadable-value", "MG-7004")["details"]["cells"][0]);
    assert!(
        cell.starts_with("mango_calls.csv, line 5, column \"Длительность\" (H): `0:1`"),
        "{cell}"
    );
    assert_eq!(
        ids(&report, "daily-call-quota"),
        ["Козлов Павел/2026-11-26"]
    );
}

#[test]
fn every_format_names_the_calls_file_line_column_and_value() {
    let log = sipuni_log();
    let dir = with_rules(&[("calls_sipuni.csv", log.as_bytes())]);
    let run = |file: &std::path::Path| {
        audit_in(
            dir.path(),
            &[
                "calls_sipuni.csv",
                "--rules",
                "company.toml",
                "--as-of",
                AS_OF,
                "--output",
                &file.display().to_string(),
            ],
        )
    };
    let out = tempfile::tempdir().unwrap();
    for name in [
        "audit.txt",
        "audit.csv",
        "audit.jsonl",
        "audit.md",
        "audit.html",
        "audit.xml",
    ] {
        let file = out.path().join(name);
        let (code, _, stderr) = run(&file);
        assert_eq!(code, 1, "{name}: {stderr}");
        // Markdown escapes `_` and backticks, HTML quotes and backticks:
        // undone, the text reads alike in every format.
        let written = std::fs::read_to_string(&file)
            .unwrap()
            .replace('\\', "")
            .replace("&quot;", "\"")
            .replace("&#96;", "`");
        assert!(written.contains("unreadable-value"), "{name}");
        assert!(
            written.contains("calls_sipuni.csv:3"),
            "{name}: the call's ID"
        );
        assert!(
            written.contains("calls_sipuni.csv, line 3, column ")
                && written.contains("(C): `вчера 10:00` is not a date"),
            "{name}:\n{written}"
        );
    }
    let file = out.path().join("audit.xlsx");
    let (code, _, stderr) = run(&file);
    assert_eq!(code, 1, "{stderr}");
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&file).unwrap();
    let sheet = book.worksheet_range("Violations").unwrap();
    let found = sheet.rows().any(|row| {
        row.iter().any(|c| {
            c.to_string()
                .contains("calls_sipuni.csv, line 4, column \"Длительность разговора\" (K): `abc`")
        })
    });
    assert!(found, "the Violations sheet names the cell");
}

#[test]
fn strict_stops_at_the_first_unreadable_call_cell() {
    let log = sipuni_log();
    let dir = with_rules(&[("calls_sipuni.csv", log.as_bytes())]);
    let e = error_of(
        dir.path(),
        &[
            "calls_sipuni.csv",
            "--rules",
            "company.toml",
            "--strict",
            "--as-of",
            AS_OF,
        ],
    );
    assert!(
        e.starts_with(
            "crm-audit: error: calls_sipuni.csv, line 3, column \"Время\" (C): `вчера 10:00` is not a date"
        ),
        "{e}"
    );
}

#[test]
fn a_call_log_with_no_readable_call_is_an_error() {
    let log = format!(
        "\u{feff}{SIPUNI_HEADER}\n{}{}",
        sipuni_row("Исходящий", "вчера", "201 (Петров Иван)", "", "30"),
        sipuni_row("Исходящий", "позавчера", "201 (Петров Иван)", "", "30"),
    );
    let dir = folder_with(&[("calls.csv", log.as_bytes())]);
    let e = error_of(dir.path(), &["calls.csv", "--as-of", AS_OF]);
    assert!(
        e.starts_with(
            "crm-audit: error: calls.csv, line 2, column \"Время\" (C): `вчера` is not a date"
        ),
        "{e}"
    );
    assert!(
        e.contains("(no call of calls.csv could be read whole)"),
        "{e}"
    );
}

#[test]
fn a_late_unreadable_time_in_a_large_log_is_the_same_finding() {
    // A generic log of 149,999 calls (over 8 MiB: read in stretches on
    // every core): 149,919 incoming calls of 25.11, then 40 outgoing
    // calls of Иванова Мария on 26.11 (the quota met) and 39 of Петров
    // Алексей (one short of 40). Петров's 40th outgoing call, on the
    // file's last line, is timed `26.11.2026 9:9x`: it may be his 40th of
    // 26.11, so his day is not judged, and the finding names that line.
    let mut log = String::from("Дата,Ответственный,Направление,Статус\n");
    for i in 0..149_919 {
        log.push_str(&format!(
            "25.11.2026 {:02}:{:02}:{:02},Иванова Мария,Входящий,Отвечен\n",
            8 + i / 3600 % 10,
            i / 60 % 60,
            i % 60
        ));
    }
    for i in 0..40 {
        log.push_str(&format!(
            "26.11.2026 10:{i:02}:00,Иванова Мария,Исходящий,Отвечен\n"
        ));
    }
    for i in 0..39 {
        log.push_str(&format!(
            "26.11.2026 11:{i:02}:00,Петров Алексей,Исходящий,Отвечен\n"
        ));
    }
    log.push_str("26.11.2026 9:9x,Петров Алексей,Исходящий,Отвечен\n");
    let last_line = log.lines().count();
    assert_eq!(last_line, 150_000);
    assert!(log.len() > 8 * 1024 * 1024, "larger than one stretch");
    let dir = folder_with(&[("calls.csv", log.as_bytes())]);
    let report = json_in(dir.path(), &["calls.csv", "--as-of", AS_OF]);
    let id = format!("calls.csv:{last_line}");
    assert_eq!(ids(&report, "unreadable-value"), [id.as_str()]);
    let finding = violation(&report, "unreadable-value", &id);
    assert_eq!(finding["source"]["row"], last_line);
    let cell = text(&finding["details"]["cells"][0]);
    assert!(
        cell.starts_with(&format!(
            "calls.csv, line {last_line}, column \"Дата\" (A): `26.11.2026 9:9x` is not a date"
        )),
        "{cell}"
    );
    // Neither manager is blamed: Иванова met the quota, Петров is not judged.
    assert!(ids(&report, "daily-call-quota").is_empty());
    let input = input(&report, "calls.csv");
    assert_eq!(
        (input["rows"].as_u64(), input["audited"].as_u64()),
        (Some(149_999), Some(149_999))
    );
}

/// A call-review sheet: C-1 is a base call with every stage but the
/// presentation marked `может быть` (line 2): whether that stage was
/// there cannot be told, so C-1 is not judged for the script (nor is it
/// blamed for rudeness: its conduct marks are empty and readable, so the
/// conduct rule judges it, clean). C-2 (line 3) misses the presentation
/// (empty): a script violation. C-3 (line 4) has `Грубость` written `??`:
/// not judged for conduct; its stages are all marked: clean.
const REVIEWS: &str = "\
ID звонка,Дата звонка,Менеджер,Тип звонка,Приветствие,Установление контакта,Квалификация и выявление потребности,Презентация продукта,Предложение под потребность,Отработка возражений,Закрывающий вопрос,Грубость,Нецензурная лексика,Полемика с клиентом
C-1,26.11.2026 10:00,Иванова Мария,база,+,+,+,может быть,,+,+,,,
C-2,26.11.2026 11:00,Иванова Мария,база,+,+,+,,,+,+,,,
C-3,26.11.2026 12:00,Петров Алексей,база,+,+,+,+,,+,+,??,,
";

#[test]
fn an_unreadable_review_mark_is_a_finding_and_that_rule_does_not_judge_it() {
    let dir = folder_with(&[("call_reviews.csv", REVIEWS.as_bytes())]);
    let report = json_in(dir.path(), &["call_reviews.csv", "--as-of", AS_OF]);
    assert_eq!(ids(&report, "unreadable-value"), ["C-1", "C-3"]);
    assert_eq!(ids(&report, "call-script-stages"), ["C-2"]);
    assert!(ids(&report, "call-conduct").is_empty());
    let finding = violation(&report, "unreadable-value", "C-1");
    assert_eq!(finding["entity"]["kind"], "call");
    assert_eq!(finding["manager"], "Иванова Мария");
    let cell = text(&finding["details"]["cells"][0]);
    assert!(
        cell.starts_with(
            "call_reviews.csv, line 2, column \"Презентация продукта\" (H): `может быть` is not a mark"
        ),
        "{cell}"
    );
    let cell = text(&violation(&report, "unreadable-value", "C-3")["details"]["cells"][0]);
    assert!(
        cell.starts_with("call_reviews.csv, line 4, column \"Грубость\" (L): `??` is not a mark"),
        "{cell}"
    );
    // With --strict, the first such cell ends the run, as before.
    let e = error_of(
        dir.path(),
        &["call_reviews.csv", "--strict", "--as-of", AS_OF],
    );
    assert!(
        e.starts_with(
            "crm-audit: error: call_reviews.csv, line 2, column \"Презентация продукта\" (H): `может быть` is not a mark"
        ),
        "{e}"
    );
}

#[test]
fn an_unreadable_review_date_names_the_review_by_its_line() {
    // No `ID звонка`: a review is named by its date, and where that cannot
    // be read (`вчера`), by its file and line. Its marks are readable: it
    // is still judged (the presentation is missing).
    let reviews = "\
Дата звонка,Менеджер,Тип звонка,Приветствие,Установление контакта,Квалификация и выявление потребности,Презентация продукта,Предложение под потребность,Отработка возражений,Закрывающий вопрос
26.11.2026 10:00,Иванова Мария,база,+,+,+,+,,+,+
вчера,Иванова Мария,база,+,+,+,,,+,+
";
    let dir = folder_with(&[("call_reviews.csv", reviews.as_bytes())]);
    let report = json_in(dir.path(), &["call_reviews.csv", "--as-of", AS_OF]);
    assert_eq!(ids(&report, "unreadable-value"), ["call_reviews.csv:3"]);
    assert_eq!(ids(&report, "call-script-stages"), ["call_reviews.csv:3"]);
    let cell =
        text(&violation(&report, "unreadable-value", "call_reviews.csv:3")["details"]["cells"][0]);
    assert!(
        cell.starts_with(
            "call_reviews.csv, line 3, column \"Дата звонка\" (A): `вчера` is not a date"
        ),
        "{cell}"
    );
}

#[test]
fn a_review_sheet_with_no_readable_review_is_an_error() {
    let reviews = "\
ID звонка,Менеджер,Тип звонка,Приветствие,Презентация продукта
C-1,Иванова Мария,база,+,может быть
";
    let dir = folder_with(&[("call_reviews.csv", reviews.as_bytes())]);
    let e = error_of(dir.path(), &["call_reviews.csv", "--as-of", AS_OF]);
    assert!(
        e.starts_with(
            "crm-audit: error: call_reviews.csv, line 2, column \"Презентация продукта\" (E): `может быть` is not a mark"
        ),
        "{e}"
    );
    assert!(
        e.contains("(no review of call_reviews.csv could be read whole)"),
        "{e}"
    );
}

#[test]
fn an_unknown_extensions_call_at_an_unreadable_time_leaves_every_day_unjudged() {
    // Extension 201 is no one's (no roster, no name): its calls are
    // skipped and their day is not judged. Its call timed `вчера` may be
    // of any day: 26.11, when Орлов made one call of the two, is not
    // judged for anyone.
    let mut log = format!("\u{feff}{SIPUNI_HEADER}\n");
    log.push_str(&sipuni_row("Исходящий", "вчера", "201", "", "45"));
    log.push_str(&sipuni_row(
        "Исходящий",
        "26.11.2026 12:00:00",
        "203 (Орлов Дмитрий)",
        "",
        "61",
    ));
    let dir = with_rules(&[("calls_sipuni.csv", log.as_bytes())]);
    let report = json_in(
        dir.path(),
        &[
            "calls_sipuni.csv",
            "--rules",
            "company.toml",
            "--as-of",
            AS_OF,
        ],
    );
    assert!(ids(&report, "daily-call-quota").is_empty());
    let reasons = not_checked(&report, "daily-call-quota");
    assert!(
        reasons.contains(
            &"26.11.2026 not judged: 1 outgoing call(s) from extension(s) 201 the managers roster does not know"
                .to_string()
        ),
        "{reasons:#?}"
    );
    assert_eq!(
        skipped(input(&report, "calls_sipuni.csv")),
        [(
            "extension 201 is not in the managers roster".to_string(),
            1,
            vec![2]
        )]
    );
}

/// C-4 (line 2): presentation `может быть`, and objections and closing
/// plainly empty: those two stages are missing whatever the presentation
/// was. C-5 (line 3): `Грубость` `??`, but `Нецензурная лексика` marked: a
/// conduct fault whatever the rudeness was. C-6 (line 4) is read whole
/// and clean (a sheet of no whole review would be the wrong file).
const DEFINITE: &str = "\
ID звонка,Дата звонка,Менеджер,Тип звонка,Приветствие,Установление контакта,Квалификация и выявление потребности,Презентация продукта,Предложение под потребность,Отработка возражений,Закрывающий вопрос,Грубость,Нецензурная лексика,Полемика с клиентом
C-4,26.11.2026 10:00,Иванова Мария,база,+,+,+,может быть,,,,,,
C-5,26.11.2026 11:00,Петров Алексей,база,+,+,+,+,,+,+,??,+,
C-6,26.11.2026 12:00,Петров Алексей,база,+,+,+,+,,+,+,,,
";

#[test]
fn a_definite_fault_beside_an_unreadable_mark_is_still_reported() {
    let dir = folder_with(&[("call_reviews.csv", DEFINITE.as_bytes())]);
    let report = json_in(dir.path(), &["call_reviews.csv", "--as-of", AS_OF]);
    assert_eq!(ids(&report, "unreadable-value"), ["C-4", "C-5"]);
    let script = violation(&report, "call-script-stages", "C-4");
    assert_eq!(
        script["details"]["missing"],
        serde_json::json!(["objections", "closing question"])
    );
    let conduct = violation(&report, "call-conduct", "C-5");
    assert_eq!(
        conduct["details"]["marks"],
        serde_json::json!(["obscene language"])
    );
}

#[test]
fn an_unanswered_unreadable_call_fills_no_quota_of_answered_calls() {
    // Quota 2 answered calls of 30 s. Петров: one answered call (line 2) and one
    // `Не отвечен` whose talk time is `abc` (line 3); Смирнова: one
    // answered (line 4) and one `Не отвечен` at `вчера` (line 5). An
    // unanswered call counts for no one, so both days are judged: one
    // answered call each, below the quota.
    let rules = "extends = \"builtin\"\n[rules.daily-call-quota]\nat-least = 2\n\
                 answered-only = true\nmin-duration-seconds = 30\n";
    let row = |status: &str, time: &str, from: &str, talk: &str| {
        sipuni_row("Исходящий", time, from, "", talk).replacen(
            ";Отвечен;",
            &format!(";{status};"),
            1,
        )
    };
    let log = format!(
        "\u{feff}{SIPUNI_HEADER}\n{}{}{}{}",
        row("Отвечен", "26.11.2026 09:12:04", "201 (Петров Иван)", "171"),
        row(
            "Не отвечен",
            "26.11.2026 10:00:00",
            "201 (Петров Иван)",
            "abc"
        ),
        row(
            "Отвечен",
            "26.11.2026 11:00:00",
            "202 (Смирнова Анна)",
            "60"
        ),
        row("Не отвечен", "вчера", "202 (Смирнова Анна)", "0"),
    );
    let dir = folder_with(&[
        ("calls.csv", log.as_bytes()),
        ("company.toml", rules.as_bytes()),
    ]);
    let report = json_in(
        dir.path(),
        &["calls.csv", "--rules", "company.toml", "--as-of", AS_OF],
    );
    assert_eq!(
        ids(&report, "unreadable-value"),
        ["calls.csv:3", "calls.csv:5"]
    );
    let blamed: Vec<String> = violations(&report, "daily-call-quota")
        .iter()
        .map(|v| text(&v["manager"]))
        .collect();
    assert_eq!(blamed, ["Петров Иван", "Смирнова Анна"]);
}

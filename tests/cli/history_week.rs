//! A week of history on the example company (`examples/amocrm`): seven
//! nightly runs recorded in one history, each night's exports derived from
//! the example by small edits a sales department makes (a task done, a
//! phone added, a deal closed, a task row lost from the export and back).
//!
//! So that every other fact stays as the example's README works it out
//! (41 violations as of 27.11.2026 02:00), the seven runs share its audit
//! day: 27.11.2026 from 02:00 to 08:00, an hour apart. No open task falls
//! due in that stretch (the first of 27.11 is T-1065 at 09:30; the
//! date-only dues of 27.11 end with the day), the call quota judges
//! Thursday 26.11 all night, and the task-load window is the same: only
//! the edits change what is found.
//!
//! The nights, each counted by hand (new, open, fixed, gone; total):
//!
//! 1. 02:00, the example as it is: all 41 violations are new.
//! 2. 03:00, Петров Алексей completes T-1019 (overdue since 25.11, on
//!    Соколова's deal 31459399, which keeps its open T-1073): overdue-task
//!    T-1019 is fixed. 40 violations, all open: (0, 40, 1, 0).
//! 3. 04:00, Смирнова Ольга adds the clinic's mobile to 31463498 (the cell
//!    read `не дал`): its missing-phone is fixed; `+7 (927) 600-12-34` is a
//!    valid number, so invalid-phone stays quiet. (0, 39, 1, 0).
//! 4. 05:00, Кузнецов Дмитрий closes 31463332 as lost with a reason (`Нет
//!    в наличии`): a closed deal needs no task and no follow-up, so its
//!    deal-without-task and T-1017's no-follow-up are both fixed; the
//!    reason is given, so refusal-without-reason stays quiet. (0, 37, 2, 0).
//! 5. 06:00, the task export loses T-1050's row (Волков Сергей's overdue
//!    meeting on 31458618): its overdue-task is gone, not fixed; and the
//!    deal, whose other task T-1031 is done, now shows no open task:
//!    deal-without-task 31458618 is new. Иванова Мария gets T-1157 on
//!    31462122, due 26.11 17:00 and open: overdue, her first violation,
//!    new. 38 violations: (2, 36, 0, 1).
//! 6. 07:00, nothing changes: (0, 38, 0, 0).
//! 7. 08:00, Иванова completes T-1157 (fixed) and T-1050's row is back:
//!    its overdue-task is new again (its open stretch broke on night 5,
//!    since = night 7), and deal-without-task 31458618, its deal read and
//!    with an open task again, is fixed. 37 violations: (1, 36, 2, 0).

use crate::support::audit_in;
use serde_json::Value;
use std::path::Path;

fn example(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/amocrm")
        .join(file);
    std::fs::read_to_string(path).unwrap()
}

/// The deal export with `edit` applied to the row of deal `id`, by header.
fn edit_deal(deals: &str, id: &str, edit: &[(&str, &str)]) -> String {
    let mut reader = csv::Reader::from_reader(deals.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    let mut found = false;
    for record in reader.records() {
        let mut cells: Vec<String> = record.unwrap().iter().map(String::from).collect();
        if cells[0] == id {
            found = true;
            for (name, value) in edit {
                cells[column(name)] = value.to_string();
            }
        }
        writer.write_record(&cells).unwrap();
    }
    assert!(found, "no deal {id}");
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// The task list (`;`, CRLF) with the line of task `id` replaced (or
/// removed, given `None`).
fn edit_task(tasks: &str, id: &str, line: Option<&str>) -> String {
    let prefix = format!("{id};");
    assert!(tasks.contains(&format!("\r\n{prefix}")), "no task {id}");
    tasks
        .split_inclusive("\r\n")
        .filter_map(|l| match l.starts_with(&prefix) {
            true => line.map(|l| format!("{l}\r\n")),
            false => Some(l.to_string()),
        })
        .collect()
}

const T1157_OPEN: &str =
    "T-1157;31462122;Иванова Мария;Звонок;26.11.2026 17:00;Нет;;;26.11.2026 09:00";
const T1157_DONE: &str = "T-1157;31462122;Иванова Мария;Звонок;26.11.2026 17:00;Да;27.11.2026 07:30;Клиентка подтвердила доставку;26.11.2026 09:00";

/// (new, open, fixed, gone) of the whole report.
fn changes(report: &Value) -> (usize, usize, usize, usize) {
    let statuses = report["violations"].as_array().unwrap();
    let new = statuses.iter().filter(|v| v["status"] == "new").count();
    let open = statuses.iter().filter(|v| v["status"] == "open").count();
    let list = |name: &str| report["history"][name].as_array().unwrap().len();
    assert_eq!(new + open, statuses.len(), "every violation has a status");
    (new, open, list("fixed"), list("gone"))
}

fn ids(report: &Value, list: &str) -> Vec<String> {
    report["history"][list]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v["rule"].as_str().unwrap(),
                v["entity_id"].as_str().unwrap()
            )
        })
        .collect()
}

fn manager<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["managers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no manager {name}"))
}

#[test]
fn a_week_of_nights_on_the_example_company() {
    let root = tempfile::tempdir().unwrap();
    let exports = root.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    std::fs::write(exports.join("calls.csv"), example("calls.csv")).unwrap();
    std::fs::write(
        exports.join("call_reviews.csv"),
        example("call_reviews.csv"),
    )
    .unwrap();
    let mut deals = example("source/deals.csv");
    let mut tasks = example("tasks.csv");

    let night = |hour: u32, deals: &str, tasks: &str| -> Value {
        std::fs::write(exports.join("deals.csv"), deals).unwrap();
        std::fs::write(exports.join("tasks.csv"), tasks).unwrap();
        let as_of = format!("2026-11-27 {hour:02}:00");
        let (code, out, err) = audit_in(
            root.path(),
            &[
                "exports",
                "--as-of",
                &as_of,
                "--history",
                "week.sqlite",
                "-f",
                "json",
            ],
        );
        assert_eq!((code, err.as_str()), (1, ""), "night at {as_of}");
        serde_json::from_str(&out).unwrap()
    };

    let first = night(2, &deals, &tasks);
    assert_eq!(first["totals"]["violations"], 41);
    assert_eq!(changes(&first), (41, 0, 0, 0));

    tasks = edit_task(
        &tasks,
        "T-1019",
        Some("T-1019;31459399;Петров Алексей;Звонок;25.11.2026 11:00;Да;27.11.2026 02:30;Клиентка подтвердила оплату;20.11.2026 10:20"),
    );
    let second = night(3, &deals, &tasks);
    assert_eq!(changes(&second), (0, 40, 1, 0));
    assert_eq!(ids(&second, "fixed"), ["overdue-task T-1019"]);

    deals = edit_deal(
        &deals,
        "31463498",
        &[("Мобильный телефон (контакт)", "+7 (927) 600-12-34")],
    );
    let third = night(4, &deals, &tasks);
    assert_eq!(changes(&third), (0, 39, 1, 0));
    assert_eq!(ids(&third, "fixed"), ["missing-phone 31463498"]);

    deals = edit_deal(
        &deals,
        "31463332",
        &[
            ("Этап сделки", "Закрыто и не реализовано"),
            ("Причина отказа", "Нет в наличии"),
            ("Дата закрытия", "27.11.2026 04:30:00"),
        ],
    );
    let fourth = night(5, &deals, &tasks);
    assert_eq!(changes(&fourth), (0, 37, 2, 0));
    assert_eq!(
        ids(&fourth, "fixed"),
        ["deal-without-task 31463332", "no-follow-up T-1017"]
    );

    let with_t1050 = tasks.clone();
    tasks = edit_task(&tasks, "T-1050", None);
    tasks.push_str(&format!("{T1157_OPEN}\r\n"));
    let fifth = night(6, &deals, &tasks);
    assert_eq!(changes(&fifth), (2, 36, 0, 1));
    assert_eq!(ids(&fifth, "gone"), ["overdue-task T-1050"]);
    assert_eq!(manager(&fifth, "Иванова Мария")["changes"]["new"], 1);
    assert_eq!(manager(&fifth, "Волков Сергей")["changes"]["gone"], 1);

    let sixth = night(7, &deals, &tasks);
    assert_eq!(changes(&sixth), (0, 38, 0, 0));

    tasks = format!("{with_t1050}{T1157_DONE}\r\n");
    let seventh = night(8, &deals, &tasks);
    assert_eq!(changes(&seventh), (1, 36, 2, 0));
    assert_eq!(
        ids(&seventh, "fixed"),
        ["deal-without-task 31458618", "overdue-task T-1157"]
    );
    let t1050 = seventh["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["entity"]["id"] == "T-1050")
        .unwrap();
    assert_eq!(t1050["status"], "new");
    // Петров's quota day of 26.11 was found every night: open 7 runs.
    let quota = seventh["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "daily-call-quota" && v["manager"] == "Петров Алексей")
        .unwrap();
    assert_eq!(
        (quota["since"].as_str(), quota["runs"].as_i64()),
        (Some("2026-11-27T02:00:00+03:00"), Some(7))
    );
    // Every open one has been found since night 1, 7 runs in a row.
    let open: Vec<&Value> = seventh["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["status"] == "open")
        .collect();
    assert_eq!(open.len(), 36);
    assert!(open
        .iter()
        .all(|v| v["runs"] == 7 && v["since"] == "2026-11-27T02:00:00+03:00"));
    // Night 7 per manager: Иванова 0 violations, 1 fixed; Волков 6 (T-1050
    // new, 5 open), 1 fixed; Петров 15 open (16 less T-1019).
    let c = |name: &str| {
        let m = &manager(&seventh, name)["changes"];
        (
            m["new"].as_i64().unwrap(),
            m["open"].as_i64().unwrap(),
            m["fixed"].as_i64().unwrap(),
        )
    };
    assert_eq!(c("Иванова Мария"), (0, 0, 1));
    assert_eq!(c("Волков Сергей"), (1, 5, 1));
    assert_eq!(c("Петров Алексей"), (0, 15, 0));
    // The department's trend: the violations of each night.
    let trend: Vec<i64> = seventh["history"]["trend"]["department"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["violations"].as_i64().unwrap())
        .collect();
    assert_eq!(trend, [41, 40, 39, 37, 38, 38, 37]);
}

//! Two rules of one check kind with different parameters: each judges by
//! its own, never by the other's. The exports are written here; each
//! expected answer is reasoned out beside its assertion.

use crate::support::*;
use std::path::Path;

/// The audit as of Thursday 26.11.2026 10:00.
const THURSDAY: &str = "2026-11-26 10:00";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_follow_up_rule_judges_results_by_its_own_words() {
    // The built-in no-follow-up knows «не дозвон»; the company adds a rule
    // for letters that came back, with words of its own.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "letters.toml",
        "extends = \"builtin\"\n[rules.letter-follow-up]\ncheck = \"no-follow-up\"\n\
         code = \"CO030\"\nclause = \"5\"\nseverity = \"warning\"\n\
         message = \"letter of {completed} came back («{result}»)\"\n\
         failure-patterns = [\"письмо вернулось\"]\n",
    );
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный\n\
         1,Радиаторы для коттеджа,Счет,Иванова Мария\n\
         2,Батареи в офис,Счет,Иванова Мария\n",
    );
    // Both deals are in work (Счет) and have no task after the one done
    // at 25.11 10:00. Deal 1's result is a failed call (built-in words
    // only); deal 2's a letter that came back (the company's words only).
    write(
        p,
        "tasks.csv",
        "ID;ID сделки;Ответственный;Тип задачи;Дата создания;Срок;Выполнена;Дата выполнения;Результат\n\
         11;1;Иванова Мария;Звонок;24.11.2026 09:00;25.11.2026 10:00;Да;25.11.2026 10:00;Не дозвонился\n\
         21;2;Иванова Мария;Письмо;24.11.2026 09:00;25.11.2026 10:00;Да;25.11.2026 10:00;Письмо вернулось\n",
    );
    let report = json_in(
        p,
        &[
            "deals.csv",
            "tasks.csv",
            "--rules",
            "letters.toml",
            "--as-of",
            THURSDAY,
        ],
    );
    // Each rule blames only the task whose result holds its own words.
    assert_eq!(ids(&report, "no-follow-up"), ["11"]);
    assert_eq!(ids(&report, "letter-follow-up"), ["21"]);
}

#[test]
fn a_phone_rule_judges_numbers_by_its_own_country() {
    // The built-in invalid-phone judges by Russia's numbering plan; the
    // company adds one for customers abroad that takes any country's.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "abroad.toml",
        "extends = \"builtin\"\n[rules.invalid-phone-abroad]\ncheck = \"invalid-phone\"\n\
         code = \"CO031\"\nclause = \"6\"\nseverity = \"warning\"\ncountry = \"any\"\n\
         message = \"no number among {phones}\"\n",
    );
    // Deal 1: 11 digits starting with 1: no Russian number (neither 7 nor
    // 8 first), but 10 to 15 digits is some country's. Deal 2: 22 digits
    // in a row, two Russian mobile numbers written together (8 927… twice):
    // Russia's plan cuts them apart; any country's sees one run of more
    // than 15 digits. Deal 3: a Russian mobile number, plausible in both.
    write(
        p,
        "deals.csv",
        "ID,Название сделки,Этап сделки,Ответственный,Мобильный телефон (контакт)\n\
         1,Радиаторы для коттеджа,Счет,Иванова Мария,19275556677\n\
         2,Батареи в офис,Счет,Иванова Мария,8927555667789275556688\n\
         3,Котел в гараж,Счет,Иванова Мария,+7 (927) 555-11-22\n",
    );
    let report = json_in(
        p,
        &["deals.csv", "--rules", "abroad.toml", "--as-of", THURSDAY],
    );
    assert_eq!(ids(&report, "invalid-phone"), ["1"]);
    assert_eq!(ids(&report, "invalid-phone-abroad"), ["2"]);
    assert_eq!(
        violation(&report, "invalid-phone-abroad", "2")["details"]["phones"],
        "8927555667789275556688"
    );
    // No deal lacks a digit: missing-phone, judged in no country, is quiet.
    assert!(ids(&report, "missing-phone").is_empty());
}

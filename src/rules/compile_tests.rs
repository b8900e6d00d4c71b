//! Rule-file mistakes, one test each: every error a person can make says
//! where (file, line, column) and what would be valid.

use super::*;
use crate::rules::{Bound, Check, Severity, Window, BUILTIN_RULES};

fn with(from: &str, to: &str) -> String {
    assert!(
        BUILTIN_RULES.contains(from),
        "the built-in file has `{from}`"
    );
    BUILTIN_RULES.replacen(from, to, 1)
}

fn error_of(text: &str) -> RuleFileError {
    compile(text, "company.toml", None).unwrap_err()
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn unknown_key_is_located() {
    let text = with(
        "[rules.overdue-task]\n",
        "[rules.overdue-task]\nseverty = \"error\"\n",
    );
    let e = error_of(&text);
    assert_eq!(e.line, line_of(&text, "severty"));
    assert_eq!(e.column, 1);
    assert_eq!(
        e.message,
        "unknown field `severty`; did you mean `severity`?"
    );
}

#[test]
fn an_unknown_key_far_from_every_known_one_lists_them() {
    let text = "extends = \"builtin\"\n[calendar]\nhollydays-and-more = []\n";
    let e = error_of(text);
    assert_eq!(
        e.message,
        "unknown field `hollydays-and-more`, expected one of `weekends`, `holidays`, \
         `working-days`, `years`, `beyond-calendar`"
    );
    let near = error_of("extends = \"builtin\"\ncrm-ulr = \"x\"\n");
    assert_eq!(
        near.message,
        "unknown field `crm-ulr`; did you mean `crm-url`?"
    );
}

#[test]
fn unknown_rule_suggests_the_nearest_check() {
    let text = format!("{BUILTIN_RULES}\n[rules.overdue-tasks]\ncode = \"X\"\n");
    let e = error_of(&text);
    assert_eq!(e.line, line_of(&text, "[rules.overdue-tasks]"));
    assert_eq!(
        e.message,
        "unknown rule `overdue-tasks`; did you mean `overdue-task`?; a rule of your own names its check with `check = \"...\"`"
    );
    let e = company("[rules.x]\ncheck = \"requred\"\n").unwrap_err();
    assert_eq!(
        e.message,
        "unknown check `requred`; did you mean `required`?"
    );
    assert_eq!((e.line, e.column), (3, 9));
}

#[test]
fn required_stage_outside_the_funnel_suggests_the_nearest() {
    let text = with("from = \"Квалификация\"", "from = \"Квалификацыя\"");
    let e = error_of(&text);
    assert_eq!(e.line, line_of(&text, "from = \"Квалификацыя\""));
    assert_eq!(e.column, 8);
    assert_eq!(
        e.message,
        "`Квалификацыя` in stages.required is not a funnel stage; did you mean `Квалификация`?"
    );
}

#[test]
fn a_final_stage_is_not_a_funnel_stage_for_requirements() {
    let e = error_of(&with(
        "from = \"Квалификация\"",
        "from = \"Успешно реализовано\"",
    ));
    assert!(
        e.message
            .contains("is not a funnel stage; it must be one of `Новая заявка`"),
        "{}",
        e.message
    );
}

#[test]
fn bad_values_are_located_and_explained() {
    let cases = [
        (
            ("time-zone = \"Europe/Moscow\"", "time-zone = \"Moscow\""),
            "unknown time zone `Moscow`",
        ),
        (
            ("severity = \"warning\"", "severity = \"warn\""),
            "use error, warning or info",
        ),
        (
            ("\"2026-01-01\"", "\"01.01.2026\""),
            "`01.01.2026` is not a date",
        ),
        (
            ("weekends = [\"sat\", \"sun\"]", "weekends = [\"сб\"]"),
            "`сб` is not a day of the week",
        ),
        (
            ("days = 1", "days = 0"),
            "0 days: judge from 1 to 31 working days",
        ),
        (
            (
                "message = \"task due {due} is {late} overdue\"",
                "message = \"task {when}\"",
            ),
            "unknown placeholder `{when}`",
        ),
        (
            ("code = \"CA002\"", "code = \"CA001\""),
            "code `CA001` of rule",
        ),
        (
            (
                "lost = [\"Закрыто и не реализовано\",",
                "lost = [\"Квалификация\",",
            ),
            "stage `Квалификация` is listed twice (also in stages.funnel)",
        ),
        (
            (
                "letter-task-types = [\"email\"]",
                "letter-task-types = [\"letter\"]",
            ),
            "task type `letter`",
        ),
        (
            ("country = \"ru\"", "country = \"kz\""),
            "country `kz`: use \"ru\" or \"any\"",
        ),
        (
            ("count = \"open-tasks-due\"", "count = \"tasks\""),
            "count `tasks`",
        ),
        (
            ("marks = [\"rudeness\",", "marks = [\"rudenes\","),
            "`rudenes` is not a column of the call-review sheet; did you mean `rudeness`?",
        ),
    ];
    for ((from, to), expected) in cases {
        let text = with(from, to);
        let e = error_of(&text);
        assert!(e.message.contains(expected), "{to}: {}", e.message);
        assert_eq!(e.file, "company.toml");
        // The replacement stands where `from` stood in the built-in file.
        if !expected.starts_with("code `") {
            assert_eq!(e.line, line_of(BUILTIN_RULES, from), "{to}");
        }
    }
}

#[test]
fn a_parameter_the_check_does_not_take() {
    let e = company("[rules.stage-missing-data]\nfields = [\"Телефон\"]\n").unwrap_err();
    assert_eq!(e.message, "`fields` is not a parameter of rule stage-missing-data (check `stage-missing-data`); it takes no parameters");
    let e = company("[rules.missing-phone]\nfields = [\"Телефон\"]\n").unwrap_err();
    assert_eq!(e.message, "`fields` is not a parameter of rule missing-phone (check `missing-phone`); it takes `leads`");
    assert_eq!((e.file.as_str(), e.line), ("company.toml", 3));
    let e = company("[rules.invoice-missing]\npattern = \"^\\\\d+$\"\n").unwrap_err();
    assert!(e.message.starts_with("`pattern` is not a parameter of rule invoice-missing (check `required`); it takes `entity`, `fields`, `when`"), "{}", e.message);
}

#[test]
fn of_two_parameters_the_check_does_not_take_the_first_written_is_named() {
    let e =
        company("[rules.missing-phone]\nmarks = [\"rudeness\"]\nentity = \"deal\"\n").unwrap_err();
    assert_eq!(e.message, "`marks` is not a parameter of rule missing-phone (check `missing-phone`); it takes `leads`");
    assert_eq!((e.line, e.column), (3, 10));
}

#[test]
fn a_kinds_own_key_misspelt_is_located_and_the_nearest_offered() {
    let text = with("at-least = 40", "at-leats = 40");
    let e = error_of(&text);
    assert_eq!(
        e.message,
        "unknown field `at-leats`; did you mean `at-least`?"
    );
    assert_eq!((e.line, e.column), (line_of(&text, "at-leats"), 1));
    // Far from every key, the keys of a rule are listed: the common ones
    // and every kind's.
    let e = company("[rules.overdue-task]\nzzzzzzzzzzzz = 1\n").unwrap_err();
    assert!(
        e.message.starts_with(
            "unknown field `zzzzzzzzzzzz`, expected one of `enabled`, `check`, `code`"
        ),
        "{}",
        e.message
    );
    for key in [
        "`fix-ru`",
        "`leads`",
        "`per-manager`",
        "`marks`",
        "`denominator-required-when`",
    ] {
        assert!(e.message.contains(key), "{key}: {}", e.message);
    }
}

#[test]
fn a_value_of_the_wrong_type_is_said_in_plain_words() {
    // In the words a company's admin uses, not the parser's type names.
    let e = company("[rules]\noverdue-task = 5\n").unwrap_err();
    assert_eq!(e.message, "expected a table, found the number 5");
    let e = company("[rules.overdue-task]\nseverity = 3\n").unwrap_err();
    assert_eq!(e.message, "expected a text in quotes, found the number 3");
    // A kind's own key of the wrong type, as the flat rule table said it.
    let e = company("[rules.daily-call-quota]\nat-least = \"x\"\n").unwrap_err();
    assert_eq!(e.message, "expected a whole number, found the text \"x\"");
    let e = company("[rules.daily-call-quota]\nat-least = -2\n").unwrap_err();
    assert_eq!(
        e.message,
        "expected a whole number of 0 or more, found the number -2"
    );
    let e = company("[rules.daily-call-quota]\nper-manager = 3\n").unwrap_err();
    assert_eq!(e.message, "expected a table, found the number 3");
    let e = company("[rules.invoice-missing]\nwhen = 3\n").unwrap_err();
    assert_eq!(e.message, "expected a table, found the number 3");
}

#[test]
fn extends_replaces_a_kinds_key_and_keeps_the_others() {
    // The built-in quota: at-least 40 over 1 day; the company changes the
    // number of days only.
    let set = company("[rules.daily-call-quota]\ndays = 3\n").unwrap();
    let Check::DailyCount(q) = &set.rule("daily-call-quota").unwrap().check else {
        panic!()
    };
    assert_eq!((q.bound, q.window), (Bound::AtLeast(40), Window::Back(3)));
}

#[test]
fn a_rule_switched_off_is_checked_but_asks_the_readers_for_nothing() {
    let rule =
        "[rules.close-date]\ncheck = \"not-before-as-of\"\ncode = \"CO004\"\nclause = \"3\"\n\
                severity = \"info\"\nmessage = \"{date}\"\nfield = \"Планируемая дата закрытия\"\n";
    let on = company(rule).unwrap();
    let off = company(&format!("{rule}enabled = false\n")).unwrap();
    let read = |set: &RuleSet| {
        set.deal_fields
            .fields
            .iter()
            .any(|f| f.name == "Планируемая дата закрытия")
    };
    assert!(read(&on));
    assert!(!read(&off), "a rule that does not run reads no column");
    assert!(off.disabled.contains(&"close-date".to_string()));
    let e = company(&format!("{rule}enabled = false\nentity = \"lead\"\n")).unwrap_err();
    assert_eq!(e.message, "entity `lead`: use deal or task");
}

#[test]
fn conditions_are_checked_against_the_record() {
    let e = company("[rules.task-without-result]\nwhen = { in-work = true }\n").unwrap_err();
    assert_eq!(
        e.message,
        "`in-work` is a condition on deals, and this rule reads tasks"
    );
    let e =
        company("[rules.invoice-missing]\nwhen = { stage-at-or-after = \"Счёт\" }\n").unwrap_err();
    assert_eq!(
        e.message,
        "`Счёт` in stage-at-or-after is not a funnel stage; did you mean `Счет`?"
    );
    let e = company("[rules.invoice-missing]\nwhen = {}\n").unwrap_err();
    assert!(e.message.starts_with("an empty condition"), "{}", e.message);
    let e = company("[rules.x]\ncheck = \"pattern\"\ncode = \"X1\"\nclause = \"6\"\nseverity = \"info\"\nmessage = \"m\"\nfield = \"Телефон\"\npattern = \"([\"\n").unwrap_err();
    assert!(
        e.message
            .starts_with("pattern `([` is not a valid regular expression"),
        "{}",
        e.message
    );
}

#[test]
fn a_missing_key_of_a_new_rule() {
    let e = company("[rules.budget-from-invoice]\ncheck = \"required\"\nfields = [\"Бюджет\"]\n")
        .unwrap_err();
    assert_eq!(e.message, "rule budget-from-invoice needs `severity`");
    let e = company("[rules.x]\ncheck = \"daily-count\"\ncount = \"open-tasks-due\"\ndays = 1\n")
        .unwrap_err();
    assert_eq!(
        e.message,
        "rule x needs exactly one of `at-least` and `at-most`"
    );
}

#[test]
fn extends_changes_only_what_differs() {
    let set = company(
        "crm-url = \"https://example.amocrm.ru/leads/detail/{id}\"\n\
         [rules.missing-contact-name]\nseverity = \"warning\"\n\
         [rules.daily-call-quota]\nat-least = 30\nper-manager = { \"Смирнова Ольга\" = 25 }\n\
         [rules.call-conduct]\nenabled = false\n\
         [rules.invoice-missing]\nfields = [\"№ счета\"]\n\
         [stages.rename]\n\"Счет\" = \"Выставлен счет\"\n",
    )
    .unwrap();
    let base = RuleSet::builtin();
    assert_eq!(set.rules.len(), base.rules.len() - 1);
    assert!(set.rule("call-conduct").is_none());
    // The rules the company switched off, beside those the built-in set has off.
    let off: Vec<&String> = set
        .disabled
        .iter()
        .filter(|d| !base.disabled.contains(d))
        .collect();
    assert_eq!(off, ["call-conduct"]);
    assert_eq!(
        set.rule("missing-contact-name").unwrap().severity,
        Severity::Warning
    );
    assert_eq!(
        set.rule("overdue-task").unwrap().severity,
        Severity::Error,
        "untouched"
    );
    let Check::DailyCount(q) = &set.rule("daily-call-quota").unwrap().check else {
        panic!()
    };
    assert_eq!(q.bound, Bound::AtLeast(30));
    assert_eq!(q.per_manager.get("Смирнова Ольга"), Some(&25));
    assert_eq!(q.window, Window::Back(1), "kept from the base");
    assert_eq!(set.stages.funnel[3], "Выставлен счет");
    assert_eq!(
        set.stages.lookup("выставлен счет"),
        Some(super::super::stages::StageClass::Funnel(3))
    );
    assert_eq!(set.stages.lookup("Счет"), None);
    assert!(set.deal_fields.fields.iter().any(|f| f.name == "№ счета"));
    assert!(set.crm_url.is_some());
}

#[test]
fn errors_in_an_extending_file_name_that_file() {
    let e = company("[rules.overdue-task]\nseverity = \"fatal\"\n").unwrap_err();
    assert_eq!((e.file.as_str(), e.line, e.column), ("company.toml", 3, 12));
    let e = compile("extends = \"missing.toml\"\n", "company.toml", None).unwrap_err();
    assert!(
        e.message.starts_with("cannot read `./missing.toml`"),
        "{}",
        e.message
    );
}

#[test]
fn waivers_are_validated() {
    let ok = company(
        "[[waivers]]\nrule = \"deal-without-task\"\nentity = \"deal:31457201\"\nreason = \"клиент в отпуске\"\nuntil = \"2026-12-10\"\n",
    )
    .unwrap();
    assert_eq!(ok.waivers.len(), 1);
    assert_eq!(ok.waivers[0].kind, "deal");
    let e = company("[[waivers]]\nrule = \"deal-without-tasks\"\nentity = \"deal:1\"\nreason = \"x\"\nuntil = \"2026-12-10\"\n").unwrap_err();
    assert_eq!(
        e.message,
        "waiver for unknown rule `deal-without-tasks`; did you mean `deal-without-task`?"
    );
    let e = company("[[waivers]]\nrule = \"deal-without-task\"\nentity = \"contact:1\"\nreason = \"x\"\nuntil = \"2026-12-10\"\n").unwrap_err();
    assert!(
        e.message.contains("use deal, lead, task or manager-day"),
        "{}",
        e.message
    );
    let e = company("[[waivers]]\nrule = \"deal-without-task\"\nentity = \"deal:1\"\nreason = \"x\"\nuntil = \"10.12.2026\"\n").unwrap_err();
    assert!(
        e.message.contains("`10.12.2026` is not a date"),
        "{}",
        e.message
    );
}

#[test]
fn a_company_rule_written_from_scratch() {
    // The README's example: from «Счет» onward «Бюджет» must be filled.
    let set = company(
        "[rules.budget-from-invoice]\ncheck = \"required\"\ncode = \"CO001\"\nclause = \"7\"\nseverity = \"warning\"\n\
         summary = \"From the invoice on, the deal has a budget.\"\nmessage = \"stage «{stage}»: {fields} is empty\"\n\
         entity = \"deal\"\nfields = [\"Бюджет\"]\nwhen = { in-work = true, stage-at-or-after = \"Счет\" }\n",
    )
    .unwrap();
    let rule = set.rule("budget-from-invoice").unwrap();
    let Check::Required(crate::checks::required::Required { fields, .. }) = &rule.check else {
        panic!("{:?}", rule.check)
    };
    assert_eq!(set.deal_fields.name(fields[0]), "Бюджет");
}

#[test]
fn crm_url_takes_the_deal_id() {
    let set = company("crm-url = \"https://example.amocrm.ru/leads/detail/{id}\"\n").unwrap();
    let url = set.crm_url.unwrap().render(|_| "31457201".into());
    assert_eq!(url, "https://example.amocrm.ru/leads/detail/31457201");
    let e = company("crm-url = \"https://x/{deal}\"\n").unwrap_err();
    assert!(
        e.message.contains("crm-url: unknown placeholder `{deal}`"),
        "{}",
        e.message
    );
}

#[test]
fn column_mistakes() {
    let e = error_of(&with("nearest-task = [", "next-task = ["));
    assert!(
        e.message
            .contains("unknown field `next-task` in columns.deals; the fields are `id`, `name`"),
        "{}",
        e.message
    );
    let e = error_of(&with("due = [\"Срок\", \"due\", \"Крайний срок\"]\n", ""));
    assert!(
        e.message
            .contains("columns.tasks needs header names for `due`"),
        "{}",
        e.message
    );
    let e = error_of(&with(
        "result = [\"Результат\", \"result\"]",
        "result = [\"Срок\"]",
    ));
    assert!(
        e.message.contains("header `Срок` is given for both"),
        "{}",
        e.message
    );
}

#[test]
fn edit_distance_counts_characters() {
    assert_eq!(edit_distance("счет", "счёт"), 1);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
}

#[test]
fn pipelines_of_their_own() {
    let pools =
        "[[pipelines]]\nname = \"Бассейны\"\nfunnel = [\"Новый лид\", \"Замер\", \"Смета\"]\n\
                 won = [\"Построен\"]\nlost = [\"Отказ\"]\n\
                 [[pipelines.required]]\nfrom = \"Смета\"\nfields = [\"Объем чаши\"]\n";
    let set = company(pools).unwrap();
    assert_eq!(set.pipeline_of("бассейны"), 1);
    assert_eq!(
        set.pipeline_of("воронка продаж"),
        0,
        "deals of any other pipeline: [stages]"
    );
    let stages = set.stages_of(1);
    assert_eq!(
        stages.lookup("Замер"),
        Some(super::super::stages::StageClass::Funnel(1))
    );
    assert_eq!(
        stages.lookup("Квалификация"),
        None,
        "[stages] are not this pipeline's"
    );
    let field = set
        .deal_fields
        .fields
        .iter()
        .position(|f| f.name == "Объем чаши")
        .unwrap();
    assert!(stages.required_at(2).contains(field));
    assert!(!set.stages.required_at(8).contains(field));
    let e = company(&pools.replace("from = \"Смета\"", "from = \"Смета?\"")).unwrap_err();
    assert_eq!(
        e.message,
        "`Смета?` in pipeline `Бассейны`.required is not a funnel stage; did you mean `Смета`?"
    );
    let e =
        company("[[pipelines]]\nname = \"Бассейны\"\nwon = [\"Построен\"]\nlost = [\"Отказ\"]\n")
            .unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.line),
        ("pipeline `Бассейны` has no `funnel`", 3)
    );
}

#[test]
fn a_calendar_year_holds_only_its_own_days() {
    let e = company("[calendar.years.2027]\nholidays = [\"2026-01-01\"]\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, 13));
    assert!(
        e.message
            .contains("`2026-01-01` is not in 2027; list it under [calendar.years.2026]"),
        "{}",
        e.message
    );
    let e = company("[calendar.years.next]\nholidays = []\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("`next` is not a year"), "{}", e.message);
}

#[test]
fn a_company_year_replaces_the_base_year_and_flat_lists_replace_their_years() {
    // A company that lists its own 2027 (say, the decree once published):
    // 2027 is then known, with its holidays.
    let rules = company(
        "[calendar.years.2027]\nholidays = [\"2027-01-01\", \"2027-05-03\"]\nworking-days = []\n",
    )
    .unwrap();
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert!(rules.calendar.knows(2027));
    assert!(!rules.calendar.is_working_day(d(2027, 5, 3)));
    assert!(
        rules.calendar.is_working_day(d(2027, 5, 10)),
        "not in its list"
    );
    // The older flat list: for 2026 it is the whole list of holidays, as it
    // always was; 2025 keeps the built-in decree's days.
    let rules = company("[calendar]\nholidays = [\"2026-01-01\"]\n").unwrap();
    assert!(!rules.calendar.is_working_day(d(2026, 1, 1)));
    assert!(rules.calendar.is_working_day(d(2026, 1, 2)));
    assert!(!rules.calendar.is_working_day(d(2025, 1, 2)));
}

#[test]
fn value_words_name_a_class_of_their_table_once() {
    let e = company("[values.call-direction]\noutbound = [\"Исх.\"]\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, 1));
    assert_eq!(
        e.message,
        "unknown key `outbound` in values.call-direction; the keys are `outgoing`, `incoming`, `internal`"
    );
    // One file naming a word under two keys cannot mean both.
    let e = company("[values.call-status]\nanswered = [\"Принят\"]\nmissed = [\"принят\"]\n")
        .unwrap_err();
    assert_eq!((e.line, e.column), (3, 13));
    assert_eq!(
        e.message,
        "`принят` is given for both `answered` and `missed` in values.call-status"
    );
    let e = error_of(&with("[values.task-type]\n", "[values.task-kind]\n"));
    assert!(
        e.message.contains("unknown field `task-kind`"),
        "{}",
        e.message
    );
}

#[test]
fn a_companys_value_words_add_to_the_built_in_ones_or_move_them() {
    use crate::rules::values::TaskState;
    // One more word for `done` keeps the built-in `Завершена`: before, it
    // replaced the list, and a closed task read as open (an overdue task
    // that was not there).
    let rules = company("[values.task-state]\ndone = [\"Сделано\"]\n").unwrap();
    let state = |w: &str| rules.values.task_state.classify(w);
    assert_eq!(state("Сделано"), Some(TaskState::Done));
    assert_eq!(state("Завершена"), Some(TaskState::Done));
    assert_eq!(state("Отложена"), Some(TaskState::Open));
    // A built-in word filed under another key moves there.
    let rules = company("[values.task-state]\ndeclined = [\"отложена\"]\n").unwrap();
    assert_eq!(
        rules.values.task_state.classify("Отложена"),
        Some(TaskState::Declined)
    );
    assert_eq!(
        rules.values.task_state.classify("Отклонена"),
        Some(TaskState::Declined)
    );
}

#[test]
fn a_company_year_changes_only_the_lists_it_gives() {
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    // A working Saturday added to 2026 keeps the decree's holidays: 9
    // January and 9 March 2026 stay days off (they were lost before, and
    // a quota was judged on them).
    let rules = company("[calendar.years.2026]\nworking-days = [\"2026-11-07\"]\n").unwrap();
    assert!(rules.calendar.is_working_day(d(2026, 11, 7)));
    assert!(!rules.calendar.is_working_day(d(2026, 1, 9)));
    assert!(!rules.calendar.is_working_day(d(2026, 3, 9)));
    // A year of the company's own needs its holidays.
    let e = company("[calendar.years.2027]\nworking-days = []\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 17));
    assert_eq!(
        e.message,
        "[calendar.years.2027] needs `holidays`: the decree's non-working weekdays"
    );
}

/// The built-in text less one `[table]` (up to the next blank line).
fn without_table(text: &str, header: &str) -> String {
    let start = text.find(header).expect("the table is there");
    let end = text[start..]
        .find("\n\n")
        .map_or(text.len(), |e| start + e + 2);
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn a_rule_set_written_before_leads_reads_no_leads() {
    // No [columns.leads], no [leads], no `leads = true`: it compiles, and
    // no file is taken for leads.
    let old = without_table(
        &without_table(BUILTIN_RULES, "[columns.leads]\n"),
        "[leads]\n",
    )
    .replace("leads = true\n", "");
    let rules = compile(&old, "old.toml", None).unwrap();
    assert!(rules.columns.leads.headers.iter().all(Vec::is_empty));
    assert!(rules.lead_stages.is_none());
    // A lead layout without the statuses would count every lead in work.
    let e = error_of(&without_table(BUILTIN_RULES, "[leads]\n"));
    assert!(
        e.message.contains("lists no lead statuses"),
        "{}",
        e.message
    );
}

#[test]
fn the_language_is_russian_unless_the_rule_set_says_english() {
    let builtin = compile(BUILTIN_RULES, "builtin", None).unwrap();
    assert_eq!(builtin.language, crate::lang::Lang::Ru);
    let english = company("language = \"en\"\n").unwrap();
    assert_eq!(english.language, crate::lang::Lang::En);
    // A file of its own, extending nothing and naming no language, is Russian too.
    let text = BUILTIN_RULES.replacen("language = \"ru\"\n", "", 1);
    assert_eq!(error_free(&text).language, crate::lang::Lang::Ru);
}

fn error_free(text: &str) -> RuleSet {
    compile(text, "company.toml", None).unwrap()
}

#[test]
fn an_unknown_language_is_located_and_says_which_there_are() {
    let text = "extends = \"builtin\"\nlanguage = \"de\"\n";
    let e = error_of(text);
    assert_eq!(e.line, 2);
    assert_eq!(e.column, 12);
    assert_eq!(
        e.message,
        "language = \"de\" is not a language of the reports: use \"ru\" or \"en\""
    );
}

#[test]
fn each_rule_speaks_both_languages_and_falls_back_to_the_text_it_has() {
    use crate::lang::Lang;
    let set = compile(BUILTIN_RULES, "builtin", None).unwrap();
    for rule in &set.rules {
        assert!(rule.summary_ru.is_some(), "{} summary-ru", rule.name);
        assert!(rule.message_ru.is_some(), "{} message-ru", rule.name);
        assert!(rule.fix_ru.is_some(), "{} fix-ru", rule.name);
    }
    let overdue = set.rules.iter().find(|r| r.name == "overdue-task").unwrap();
    assert_eq!(overdue.fix_in(Lang::En), overdue.fix);
    assert!(overdue.fix_in(Lang::Ru).starts_with("Выполните задачу"));
    // A slot is filled from the detail key its placeholder declares:
    // `{late}` from `late_minutes`.
    assert_eq!(
        overdue
            .message_in(Lang::Ru)
            .render(|key| format!("<{key}>")),
        "задача со сроком <due> просрочена на <late_minutes>"
    );
    // A company that rewrites the English message only: its text stands
    // for both languages, never the built-in Russian it no longer means.
    let own = company("[rules.overdue-task]\nmessage = \"просрочка {late}\"\n").unwrap();
    let rule = own.rules.iter().find(|r| r.name == "overdue-task").unwrap();
    assert_eq!(
        rule.message_in(Lang::Ru).render(|s| format!("<{s}>")),
        "просрочка <late_minutes>"
    );
    // Overriding the Russian text alone keeps the English one.
    let own = company("[rules.overdue-task]\nmessage-ru = \"просрочено на {late}\"\n").unwrap();
    let rule = own.rules.iter().find(|r| r.name == "overdue-task").unwrap();
    assert_eq!(
        rule.message_in(Lang::Ru).render(|s| format!("<{s}>")),
        "просрочено на <late_minutes>"
    );
    assert_eq!(
        rule.message_in(Lang::En).render(|s| format!("<{s}>")),
        "task due <due> is <late_minutes> overdue"
    );
}

#[test]
fn a_russian_message_is_checked_for_its_placeholders_too() {
    let text = "extends = \"builtin\"\n[rules.overdue-task]\nmessage-ru = \"срок {deadline}\"\n";
    let e = error_of(text);
    assert_eq!(e.line, 3);
    assert_eq!(
        e.message,
        "message-ru of rule overdue-task: unknown placeholder `{deadline}`; this rule's \
         message can use {due}, {late}"
    );
}

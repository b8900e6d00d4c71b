//! Every word the human formats write themselves (headings, column names,
//! sheet names, summary lines, labels), once per language. A renderer asks
//! `words(report.language)` and never spells a word of its own, so a text
//! cannot exist in one language and be missing in the other: each
//! language is one value of the same struct, and a field added to it does
//! not compile until both give it.
//!
//! Texts from the exports and the rule set (names, stages, messages) are
//! not here: they come in the report already in their language.

use super::stale::StaleBy;
use super::EntityKind;
use crate::audit::WaiverStatus;
use crate::lang::plural::Forms;
use crate::lang::Lang;
use crate::rules::Severity;

/// The words of one language.
pub struct Words {
    pub lang: Lang,
    /// `deal`, `task`, `day`, … by the entity kind of the report.
    pub entity_kind: fn(EntityKind) -> &'static str,
    /// `deals`, `tasks`, … by the input kind of the report.
    pub input_kind: fn(&str) -> &'static str,
    pub severity: fn(Severity) -> &'static str,
    /// `(built-in)`, `(from FILE)` after the rule set's name.
    pub built_in: &'static str,
    /// Where the built-in rule set comes from, as the workbook's About
    /// sheet names it.
    pub built_in_source: &'static str,
    pub from_file: fn(&str) -> String,

    // The summary line and counts.
    pub violations: (Forms, &'static str, &'static str),
    pub errors: (Forms, &'static str, &'static str),
    pub warnings: (Forms, &'static str, &'static str),
    pub deals: (Forms, &'static str, &'static str),
    pub runs: (Forms, &'static str, &'static str),
    /// `2 info` / `2 инфо`: the same after any number.
    pub info: &'static str,
    /// `6 of 7 managers with violations`.
    pub managers_with_violations: fn(usize, usize) -> String,

    // Headings.
    pub title: &'static str,
    pub rule_set: &'static str,
    pub time_zone: &'static str,
    pub inputs: &'static str,
    pub notes: &'static str,
    pub not_checked: &'static str,
    pub not_checked_lead: &'static str,
    /// Under the matrix, when a `—` shows in it.
    pub not_checked_legend: &'static str,
    /// The table's block title: `NOT CHECKED (the inputs lack the data)`.
    pub not_checked_heading: &'static str,
    /// The table's title of the fix-first list.
    pub fix_first_table: &'static str,
    /// The `total` column and row of the matrix.
    pub total_column: &'static str,
    /// The `in work` column of the table's matrix.
    pub in_work_column: &'static str,
    pub only_managers: &'static str,
    /// How the human formats name the records no manager is responsible
    /// for (`model::UNASSIGNED`, kept as it is in JSON, JSONL and CSV).
    pub unassigned: &'static str,
    pub waivers: &'static str,
    pub summary: &'static str,
    pub fix_first: &'static str,
    pub fix_first_lead: &'static str,
    pub rules: &'static str,
    pub since_last_run: &'static str,
    pub total: &'static str,
    pub none: &'static str,
    /// The compact matrix's list of each manager's rules, and a manager
    /// with none in it.
    pub by_rule: &'static str,
    pub nothing_found: &'static str,
    pub not_read: &'static str,
    /// A folder written by `crm-audit pull`, as the workbook's Inputs
    /// sheet names its kind.
    pub snapshot_kind: &'static str,
    /// Markdown's and HTML's heading of those folders (`crm-audit pull`
    /// follows it in brackets).
    pub snapshots_heading: &'static str,
    pub not_read_heading: &'static str,
    pub note: &'static str,
    pub fixed_title: &'static str,
    pub gone_title: &'static str,
    pub gone_note: &'static str,
    /// The last run's violations tonight could not judge.
    pub not_judged_title: &'static str,
    pub not_judged_note: &'static str,
    /// Before the reasons tonight's inputs looked incomplete.
    pub incomplete_lead: &'static str,
    /// `not judged` beside a manager's new, open and fixed counts.
    pub not_judged_word: &'static str,

    // Column names.
    pub manager: &'static str,
    pub rule: &'static str,
    pub severity_column: &'static str,
    pub entity: &'static str,
    pub deal: &'static str,
    pub name: &'static str,
    pub stage: &'static str,
    pub budget: &'static str,
    pub specifics: &'static str,
    /// The table's column of a violation's message.
    pub details_column: &'static str,
    pub how_to_fix: &'static str,
    pub status: &'static str,
    pub violation: &'static str,
    pub had_been_open: &'static str,
    pub in_work: &'static str,
    pub per_10_deals: &'static str,
    pub compliance: &'static str,
    pub new: &'static str,
    pub open: &'static str,
    pub fixed: &'static str,
    pub gone: &'static str,
    pub file: &'static str,
    pub kind: &'static str,
    pub read_as: &'static str,
    pub rows: &'static str,
    pub audited: &'static str,
    pub skipped: &'static str,
    pub code: &'static str,
    pub clause: &'static str,
    pub checks: &'static str,

    // Pieces of lines.
    /// `audit at`, in the table's first line.
    pub audit_at: &'static str,
    /// `… in work`, `… per 10 deals`, `… compliant` after a manager's figures.
    pub in_work_after: &'static str,
    pub per_10_deals_after: &'static str,
    pub compliant_after: &'static str,
    /// `since 20.11.2026 (5 runs)`.
    pub since: &'static str,
    /// `delimiter`, `sheet`, `header on row` in how a file was read.
    pub delimiter: &'static str,
    /// `with BOM` after an encoding (`UTF-8 with BOM`), and the tab a
    /// file's cells are separated by, in how a file was read.
    pub with_bom: &'static str,
    pub tab: &'static str,
    pub sheet: &'static str,
    pub header_on_row: &'static str,
    /// `60 rows (60 audited` in the table's inputs (the `)` follows).
    pub rows_audited: fn(u64, u64) -> String,
    pub row: &'static str,
    pub rows_word: &'static str,
    /// A waiver's fate: used (N left out), expired (N reported again), unmatched.
    pub waiver_used: fn(usize) -> String,
    pub waiver_expired: fn(usize) -> String,
    pub waiver_unmatched: &'static str,
    /// A waiver's status (`used`, `expired`, `unmatched`) in a cell of its own.
    pub waiver_status: fn(WaiverStatus) -> &'static str,
    pub until: &'static str,
    // The HTML page's own words.
    pub chart: &'static str,
    pub trend: &'static str,
    pub by_manager: &'static str,
    pub violations_per_manager: &'static str,
    /// The bar chart's accessible title.
    pub chart_label: &'static str,
    pub footer: fn(&str, &str) -> String,
    pub card_violations: &'static str,
    pub card_errors: &'static str,
    pub card_warnings: &'static str,
    pub of: &'static str,
    pub card_managers: &'static str,
    pub card_new: &'static str,
    pub card_fixed: &'static str,
    pub card_deals: &'static str,
    pub card_compliance: &'static str,
    pub card_not_checked: &'static str,
    pub summary_lead: &'static str,
    pub violations_column: &'static str,
    pub no_deal_with_violation: &'static str,
    pub fix_first_lead_html: &'static str,
    pub no_violations: &'static str,
    pub trend_lead: fn(usize) -> String,
    pub department: &'static str,
    pub inputs_lead: &'static str,
    /// A trend chart's title, and one run's point.
    pub trend_label: fn(&str) -> String,
    pub trend_point: fn(&str, &str, i64, i64) -> String,
    // The workbook's sheets and columns.
    /// Summary, Violations, Fixed, Trend, Fix first, Inputs, About.
    pub sheets: [&'static str; 7],
    pub xlsx_summary: [&'static str; 6],
    pub xlsx_violations: [&'static str; 17],
    pub xlsx_history: [&'static str; 3],
    pub xlsx_fixed: [&'static str; 7],
    pub xlsx_trend_title: &'static str,
    pub xlsx_trend: [&'static str; 3],
    pub xlsx_fix_first: [&'static str; 9],
    pub xlsx_inputs: [&'static str; 12],
    /// Audit as of, Time zone, Rule set, Rule set source, Generated by, Only managers.
    pub xlsx_about: [&'static str; 6],
    pub xlsx_not_checked: [&'static str; 2],
    pub xlsx_all_checked: &'static str,
    pub xlsx_waivers: [&'static str; 5],
    pub xlsx_none: &'static str,
    pub open_card: &'static str,
    /// The summary sheet's line under the title.
    pub xlsx_totals: fn(&str, &str, &str, &str) -> String,
    /// The warning a report opens with for each stale input: its path,
    /// what told its date, the date.
    pub stale: fn(&str, &str, &str) -> String,
    /// `last call`, … by `StaleInput::by`.
    pub stale_by: fn(StaleBy) -> &'static str,
    /// A violation's status: `new`, `open` (before `since …`).
    pub status_new: &'static str,
    pub status_open: &'static str,
    /// `new`, `open`, `fixed`, `gone` before their counts in a line.
    pub change_words: [&'static str; 4],
}

/// The words of `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

impl Words {
    /// `n` and the right form of `noun` after it.
    pub fn count(&self, n: usize, noun: (Forms, &'static str, &'static str)) -> String {
        let (ru, one, many) = noun;
        self.lang.count(n as i64, ru, (one, many))
    }
}

const NO_FORMS: Forms = Forms {
    one: "",
    few: "",
    many: "",
};

/// The English words, for tests that read them without a report.
#[cfg(test)]
pub static EN_WORDS: &Words = &EN;

static EN: Words = Words {
    lang: Lang::En,
    entity_kind: |kind| match kind {
        EntityKind::Deal => "deal",
        EntityKind::Task => "task",
        EntityKind::Lead => "lead",
        EntityKind::Call => "call",
        EntityKind::ManagerDay => "day",
    },
    input_kind: |kind| match kind {
        "deals" => "deals",
        "tasks" => "tasks",
        "calls" => "calls",
        "contacts" => "contacts",
        "leads" => "leads",
        "call-reviews" => "call-reviews",
        _ => "other",
    },
    severity: |s| s.as_str(),
    built_in: "(built-in)",
    built_in_source: crate::rules::BUILTIN_NAME,
    from_file: |file| format!("(from {file})"),
    violations: (NO_FORMS, "violation", "violations"),
    errors: (NO_FORMS, "error", "errors"),
    warnings: (NO_FORMS, "warning", "warnings"),
    deals: (NO_FORMS, "deal", "deals"),
    runs: (NO_FORMS, "run", "runs"),
    info: "info",
    managers_with_violations: |with, all| format!("{with} of {all} managers with violations"),
    title: "CRM audit",
    rule_set: "Rule set",
    time_zone: "time zone",
    inputs: "Inputs",
    notes: "Notes",
    not_checked: "Not checked",
    not_checked_lead: "The inputs lack the data for these parts of rules:",
    not_checked_legend: "— not checked, or checked only in part, and nothing found: see Not checked, no clean zero",
    not_checked_heading: "NOT CHECKED (the inputs lack the data)",
    fix_first_table: "Fix first (the most serious, then the largest budget)",
    total_column: "total",
    in_work_column: "in work",
    only_managers: "Only managers",
    unassigned: "(unassigned)",
    waivers: "Waivers",
    summary: "Summary",
    fix_first: "Fix first",
    fix_first_lead: "Deals in work with violations: the most serious first, then the largest budget.",
    rules: "Rules",
    since_last_run: "Since the last run",
    total: "Total",
    none: "None.",
    by_rule: "By rule",
    nothing_found: "nothing found",
    not_read: "not read",
    snapshot_kind: "snapshot",
    snapshots_heading: "Snapshots",
    not_read_heading: "Not read (not exports)",
    note: "note",
    fixed_title: "Fixed since the last run",
    gone_title: "Gone from the inputs (not fixes)",
    gone_note: "The last run's violations whose deal or record is no longer in \
         tonight's inputs: deleted, closed out of the export, or the export is incomplete. \
         Nothing says they were fixed.",
    not_judged_title: "Not judged tonight (still open)",
    not_judged_note: "The last run's violations tonight could not judge: their rule was \
         switched off or not checked in full, or an input looked incomplete. They stay open, \
         neither fixed nor new, until a night judges them.",
    incomplete_lead: "Tonight's inputs look incomplete beside the last run's, so what they \
         could hide was not judged (--accept-drop judges it anyway)",
    not_judged_word: "not judged",
    manager: "Manager",
    rule: "Rule",
    severity_column: "Severity",
    entity: "Entity",
    deal: "Deal",
    name: "Name",
    stage: "Stage",
    budget: "Budget",
    specifics: "Specifics",
    details_column: "details",
    how_to_fix: "How to fix",
    status: "Status",
    violation: "Violation",
    had_been_open: "Had been open",
    in_work: "Deals in work",
    per_10_deals: "Per 10 deals",
    compliance: "Compliance",
    new: "New",
    open: "Open",
    fixed: "Fixed",
    gone: "Gone",
    file: "File",
    kind: "Kind",
    read_as: "Read as",
    rows: "Rows",
    audited: "Audited",
    skipped: "Skipped",
    code: "Code",
    clause: "Clause",
    checks: "Checks",
    audit_at: "audit at",
    in_work_after: "in work",
    per_10_deals_after: "per 10 deals",
    compliant_after: "compliant",
    since: "since",
    delimiter: "delimiter",
    with_bom: "with BOM",
    tab: "tab",
    sheet: "sheet",
    header_on_row: "header on row",
    rows_audited: |rows, audited| format!("{rows} rows ({audited} audited"),
    row: "row",
    rows_word: "rows",
    waiver_used: |n| format!("{n} violation(s) left out"),
    waiver_expired: |n| format!("expired; {n} violation(s) reported again"),
    waiver_unmatched: "matched nothing",
    waiver_status: |status| match status {
        WaiverStatus::Used => "used",
        WaiverStatus::Expired => "expired",
        WaiverStatus::Unmatched => "unmatched",
    },
    until: "until",
    chart: "Chart",
    trend: "Trend",
    by_manager: "By manager",
    violations_per_manager: "Violations per manager",
    chart_label: "Violations per manager, stacked by rule",
    footer: |version, as_of| {
        format!("Generated by crm-audit {version} from the inputs listed above, as of {as_of}.")
    },
    card_violations: "violations",
    card_errors: "errors",
    card_warnings: "warnings",
    of: "of",
    card_managers: "managers with violations",
    card_new: "new since the last run",
    card_fixed: "fixed since the last run",
    card_deals: "deals in work",
    card_compliance: "deals in work with no violation",
    card_not_checked: "rules not checked in full",
    summary_lead: "Worst first. Compliance is the share of the manager's deals in work with no violation; then the violations of each rule (hover a code for its name).",
    violations_column: "Violations",
    no_deal_with_violation: "No deal in work has a violation.",
    fix_first_lead_html: "Deals in work with violations: the most serious first, then the largest budget at risk.",
    no_violations: "No violations.",
    trend_lead: |n| format!("Violations per 10 deals in work in each of the last {n} runs, tonight's last (hover a point for its numbers)."),
    department: "Department",
    trend_label: |subject| format!("{subject}: violations per 10 deals in work, by run"),
    trend_point: |day, per_10, violations, deals| {
        format!("{day}: {per_10} per 10 deals ({violations} violations, {deals} deals in work)")
    },
    inputs_lead: "What was read: every data row was either audited or skipped for the reason given.",
    sheets: [
        "Summary",
        "Violations",
        "Fixed",
        "Trend",
        "Fix first",
        "Inputs",
        "About",
    ],
    xlsx_summary: [
        "Errors",
        "Warnings",
        "Total",
        "Deals in work",
        "Violations per 10 deals",
        "Compliance rate",
    ],
    xlsx_violations: [
        "Manager",
        "Code",
        "Rule",
        "Clause",
        "Severity",
        "Entity",
        "ID",
        "Deal",
        "Deal name",
        "Stage",
        "Budget",
        "Due / day",
        "Specifics",
        "CRM card",
        "File",
        "Row",
        "Fingerprint",
    ],
    xlsx_history: ["Status", "Open since", "Runs"],
    xlsx_fixed: [
        "Manager",
        "Rule",
        "Entity",
        "ID",
        "Deal",
        "Open since",
        "Runs",
    ],
    xlsx_trend_title: "Violations per 10 deals in work, by run",
    xlsx_trend: ["Run", "Audit moment", "Department"],
    xlsx_fix_first: [
        "#", "Deal", "Name", "Manager", "Stage", "Budget", "Severity", "Rules", "CRM card",
    ],
    xlsx_inputs: [
        "File",
        "Kind",
        "Format",
        "Encoding",
        "Delimiter",
        "Sheet",
        "Header row",
        "Rows",
        "Audited",
        "Skipped",
        "Skipped rows",
        "Notes",
    ],
    xlsx_about: [
        "Audit as of",
        "Time zone",
        "Rule set",
        "Rule set source",
        "Generated by",
        "Only managers",
    ],
    xlsx_not_checked: ["Not checked", "Reason"],
    xlsx_all_checked: "(every rule was checked in full)",
    xlsx_waivers: ["Waiver", "Status", "Until", "Covered", "Reason"],
    xlsx_none: "(none)",
    open_card: "open card",
    xlsx_totals: |violations, severities, managers, rule_set| {
        format!("{violations}: {severities}; {managers}. Rule set: {rule_set}")
    },
    stale: |path, by, last| {
        format!(
            "WARNING: stale input {path}: {by} {last}, more than one working day before the \
             audit. Is it tonight's export?"
        )
    },
    stale_by: |by| match by {
        StaleBy::LastCall => "last call",
        StaleBy::LastTaskChange => "last task change",
        StaleBy::LastDue => "last due date",
        StaleBy::FileModified => "file modified",
    },
    status_new: "new",
    status_open: "open",
    change_words: ["new", "open", "fixed", "gone"],
};

static RU: Words = Words {
    lang: Lang::Ru,
    entity_kind: |kind| match kind {
        EntityKind::Deal => "сделка",
        EntityKind::Task => "задача",
        EntityKind::Lead => "лид",
        EntityKind::Call => "звонок",
        EntityKind::ManagerDay => "день",
    },
    input_kind: |kind| match kind {
        "deals" => "сделки",
        "tasks" => "задачи",
        "calls" => "звонки",
        "contacts" => "контакты",
        "leads" => "лиды",
        "call-reviews" => "оценки звонков",
        _ => "другое",
    },
    severity: |s| match s {
        Severity::Error => "ошибка",
        Severity::Warning => "предупреждение",
        Severity::Info => "инфо",
    },
    built_in: "(встроенный)",
    built_in_source: "встроенный регламент (rules/regulation.toml)",
    from_file: |file| format!("(из {file})"),
    violations: (crate::lang::plural::VIOLATIONS, "", ""),
    errors: (
        Forms {
            one: "ошибка",
            few: "ошибки",
            many: "ошибок",
        },
        "",
        "",
    ),
    warnings: (
        Forms {
            one: "предупреждение",
            few: "предупреждения",
            many: "предупреждений",
        },
        "",
        "",
    ),
    deals: (
        Forms {
            one: "сделка",
            few: "сделки",
            many: "сделок",
        },
        "",
        "",
    ),
    runs: (crate::lang::plural::RUNS, "", ""),
    info: "инфо",
    managers_with_violations: |with, all| format!("нарушения у {with} из {all} менеджеров"),
    title: "Аудит CRM",
    rule_set: "Регламент",
    time_zone: "часовой пояс",
    inputs: "Входные файлы",
    notes: "Примечания",
    not_checked: "Не проверено",
    not_checked_lead: "Во входных файлах нет данных для этих частей правил:",
    not_checked_legend: "— не проверено или проверено лишь частично, и ничего не найдено: см. «Не проверено»; это не чистый ноль",
    not_checked_heading: "НЕ ПРОВЕРЕНО (во входных файлах нет нужных данных)",
    fix_first_table: "Исправить в первую очередь (сначала самое серьёзное, затем самый большой бюджет)",
    total_column: "итого",
    in_work_column: "в работе",
    only_managers: "Только менеджеры",
    unassigned: "(не назначен)",
    waivers: "Исключения",
    summary: "Сводка",
    fix_first: "Исправить в первую очередь",
    fix_first_lead: "Сделки в работе с нарушениями: сначала самые серьёзные, затем с самым большим бюджетом.",
    rules: "Правила",
    since_last_run: "С прошлого запуска",
    total: "Итого",
    none: "Нет.",
    by_rule: "По правилам",
    nothing_found: "ничего не найдено",
    not_read: "не прочитан",
    snapshot_kind: "выгрузка через API",
    snapshots_heading: "Выгрузки через API",
    not_read_heading: "Не прочитаны (не выгрузки)",
    note: "примечание",
    fixed_title: "Исправлено с прошлого запуска",
    gone_title: "Пропало из входных файлов (не исправления)",
    gone_note: "Нарушения прошлого запуска, чьей сделки или записи больше нет в сегодняшних \
         входных файлах: их удалили, закрыли и не выгрузили, или выгрузка неполная. Ничто не \
         говорит, что их исправили.",
    not_judged_title: "Сегодня не проверены (остаются открытыми)",
    not_judged_note: "Нарушения прошлого запуска, которые сегодня нельзя было проверить: \
         правило выключено или проверено не полностью, или входной файл выглядит неполным. Они \
         остаются открытыми, не исправлены и не новые, пока их не проверит следующий запуск.",
    incomplete_lead: "Сегодняшние входные файлы выглядят неполными по сравнению с прошлым \
         запуском, поэтому то, что они могли скрыть, не проверено (--accept-drop проверит \
         всё равно)",
    not_judged_word: "не проверено",
    manager: "Менеджер",
    rule: "Правило",
    severity_column: "Важность",
    entity: "Объект",
    deal: "Сделка",
    name: "Название",
    stage: "Этап",
    budget: "Бюджет",
    specifics: "Подробности",
    details_column: "подробности",
    how_to_fix: "Как исправить",
    status: "Статус",
    violation: "Нарушение",
    had_been_open: "Было открыто",
    in_work: "Сделок в работе",
    per_10_deals: "На 10 сделок",
    compliance: "Без нарушений",
    new: "Новые",
    open: "Открытые",
    fixed: "Исправлено",
    gone: "Пропало",
    file: "Файл",
    kind: "Вид",
    read_as: "Прочитан как",
    rows: "Строк",
    audited: "Проверено",
    skipped: "Пропущено",
    code: "Код",
    clause: "Пункт",
    checks: "Что проверяет",
    audit_at: "аудит на",
    in_work_after: "в работе",
    per_10_deals_after: "на 10 сделок",
    compliant_after: "без нарушений",
    since: "с",
    delimiter: "разделитель",
    with_bom: "с BOM",
    tab: "табуляция",
    sheet: "лист",
    header_on_row: "заголовок в строке",
    rows_audited: |rows, audited| format!("строк: {rows} (проверено {audited}"),
    row: "строка",
    rows_word: "строки",
    waiver_used: |n| format!("не показано нарушений: {n}"),
    waiver_expired: |n| format!("истекло; снова показано нарушений: {n}"),
    waiver_unmatched: "ни к чему не подошло",
    waiver_status: |status| match status {
        WaiverStatus::Used => "применено",
        WaiverStatus::Expired => "истекло",
        WaiverStatus::Unmatched => "ни к чему не подошло",
    },
    until: "до",
    chart: "График",
    trend: "Динамика",
    by_manager: "По менеджерам",
    violations_per_manager: "Нарушения по менеджерам",
    chart_label: "Нарушения по менеджерам, по правилам",
    footer: |version, as_of| {
        format!("Подготовлено crm-audit {version} по входным файлам, перечисленным выше, на {as_of}.")
    },
    card_violations: "нарушений",
    card_errors: "ошибок",
    card_warnings: "предупреждений",
    of: "из",
    card_managers: "менеджеров с нарушениями",
    card_new: "новые с прошлого запуска",
    card_fixed: "исправлены с прошлого запуска",
    card_deals: "сделок в работе",
    card_compliance: "сделок в работе без нарушений",
    card_not_checked: "правил не проверено",
    summary_lead: "Сначала худшие. «Без нарушений» — доля сделок менеджера в работе, где нет ни одного нарушения; дальше нарушения по каждому правилу (наведите на код, чтобы увидеть название).",
    violations_column: "Нарушений",
    no_deal_with_violation: "Ни в одной сделке в работе нет нарушений.",
    fix_first_lead_html: "Сделки в работе с нарушениями: сначала самые серьёзные, затем с самым большим бюджетом под угрозой.",
    no_violations: "Нарушений нет.",
    trend_lead: |n| format!("Нарушения на 10 сделок в работе за последние запуски ({n}), сегодняшний последним (наведите на точку, чтобы увидеть числа)."),
    department: "Отдел",
    trend_label: |subject| format!("{subject}: нарушения на 10 сделок в работе по запускам"),
    trend_point: |day, per_10, violations, deals| {
        format!("{day}: {per_10} на 10 сделок (нарушений: {violations}, сделок в работе: {deals})")
    },
    inputs_lead: "Что прочитано: каждая строка данных либо проверена, либо пропущена по указанной причине.",
    sheets: [
        "Сводка",
        "Нарушения",
        "Исправлено",
        "Динамика",
        "Исправить сначала",
        "Входные файлы",
        "Об аудите",
    ],
    xlsx_summary: [
        "Ошибок",
        "Предупреждений",
        "Итого",
        "Сделок в работе",
        "Нарушений на 10 сделок",
        "Доля сделок без нарушений",
    ],
    xlsx_violations: [
        "Менеджер",
        "Код",
        "Правило",
        "Пункт",
        "Важность",
        "Объект",
        "ID",
        "Сделка",
        "Название сделки",
        "Этап",
        "Бюджет",
        "Срок / день",
        "Подробности",
        "Карточка в CRM",
        "Файл",
        "Строка",
        "Отпечаток",
    ],
    xlsx_history: ["Статус", "Открыто с", "Запусков"],
    xlsx_fixed: [
        "Менеджер",
        "Правило",
        "Объект",
        "ID",
        "Сделка",
        "Открыто с",
        "Запусков",
    ],
    xlsx_trend_title: "Нарушения на 10 сделок в работе по запускам",
    xlsx_trend: ["Запуск", "Момент аудита", "Отдел"],
    xlsx_fix_first: [
        "№",
        "Сделка",
        "Название",
        "Менеджер",
        "Этап",
        "Бюджет",
        "Важность",
        "Правила",
        "Карточка в CRM",
    ],
    xlsx_inputs: [
        "Файл",
        "Вид",
        "Формат",
        "Кодировка",
        "Разделитель",
        "Лист",
        "Строка заголовка",
        "Строк",
        "Проверено",
        "Пропущено",
        "Пропущенные строки",
        "Примечания",
    ],
    xlsx_about: [
        "Аудит на",
        "Часовой пояс",
        "Регламент",
        "Источник регламента",
        "Подготовлено",
        "Только менеджеры",
    ],
    xlsx_not_checked: ["Не проверено", "Причина"],
    xlsx_all_checked: "(все правила проверены полностью)",
    xlsx_waivers: ["Исключение", "Статус", "До", "Охвачено", "Причина"],
    xlsx_none: "(нет)",
    open_card: "открыть карточку",
    xlsx_totals: |violations, severities, managers, rule_set| {
        format!("{violations}: {severities}; {managers}. Регламент: {rule_set}")
    },
    stale: |path, by, last| {
        format!(
            "ВНИМАНИЕ: устаревший файл {path}: {by} {last}, больше чем за рабочий день до \
             аудита. Это сегодняшняя выгрузка?"
        )
    },
    stale_by: |by| match by {
        StaleBy::LastCall => "последний звонок",
        StaleBy::LastTaskChange => "последнее изменение задачи",
        StaleBy::LastDue => "последний срок задачи",
        StaleBy::FileModified => "файл изменён",
    },
    status_new: "новое",
    status_open: "открыто",
    change_words: ["новых", "открытых", "исправлено", "пропало"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_russian_take_the_plural_forms() {
        let ru = words(Lang::Ru);
        assert_eq!(ru.count(1, ru.errors), "1 ошибка");
        assert_eq!(ru.count(2, ru.errors), "2 ошибки");
        assert_eq!(ru.count(5, ru.errors), "5 ошибок");
        assert_eq!(ru.count(11, ru.warnings), "11 предупреждений");
        assert_eq!(ru.count(21, ru.deals), "21 сделка");
        assert_eq!(ru.count(22, ru.violations), "22 нарушения");
        assert_eq!(ru.count(25, ru.runs), "25 запусков");
        let en = words(Lang::En);
        assert_eq!(en.count(1, en.errors), "1 error");
        assert_eq!(en.count(2, en.deals), "2 deals");
    }

    #[test]
    fn each_language_names_every_kind_and_severity() {
        for lang in Lang::ALL {
            let w = words(lang);
            for kind in EntityKind::ALL {
                assert!(!(w.entity_kind)(kind).is_empty());
            }
            for s in [Severity::Error, Severity::Warning, Severity::Info] {
                assert!(!(w.severity)(s).is_empty());
            }
        }
        assert_eq!(
            (words(Lang::Ru).entity_kind)(EntityKind::ManagerDay),
            "день"
        );
    }
}

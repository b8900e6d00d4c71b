//! What a person at a terminal sees beside the report, through a real
//! pseudo-terminal (`script` from util-linux gives the run one): the line
//! that says what `--output` wrote, which `-q` silences and a pipe never
//! gets.

use crate::pty;
use crate::support::AS_OF;
use std::path::Path;

/// Runs `crm-audit ARGS...` in `dir` with standard output and standard error
/// on a pseudo-terminal; returns what the terminal showed.
fn on_a_terminal(dir: &Path, args: &[&str]) -> String {
    on_a_terminal_of(None, dir, args)
}

/// As `on_a_terminal`, on a terminal `columns` wide when given.
fn on_a_terminal_of(columns: Option<u16>, dir: &Path, args: &[&str]) -> String {
    pty::on_a_terminal(dir, args, columns, &[])
}

fn example() -> String {
    format!("{}/examples/amocrm", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn writing_a_report_file_says_so_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let shown = on_a_terminal(
        dir.path(),
        &["audit", &example, "--as-of", AS_OF, "-o", "audit.xlsx"],
    );
    // The example company: 41 violations (its README), 7 managers in the
    // report (six with violations and one without). A loaded machine may
    // take over a second, and draw the progress line first: it is cleared
    // (`\r\x1b[K`) before the line that stays.
    let stays = shown.rsplit("\r\x1b[K").next().unwrap_or_default();
    assert_eq!(
        stays, "wrote audit.xlsx: 41 violations, 7 managers\r\n",
        "{shown:?}"
    );
    assert!(dir.path().join("audit.xlsx").is_file());
}

#[test]
fn quiet_and_piped_runs_say_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let args = ["audit", &example, "--as-of", AS_OF, "-o", "audit.json"];
    let quiet: Vec<&str> = args.iter().copied().chain(["-q"]).collect();
    assert_eq!(on_a_terminal(dir.path(), &quiet), "");
    let long_quiet: Vec<&str> = args.iter().copied().chain(["--quiet"]).collect();
    assert_eq!(on_a_terminal(dir.path(), &long_quiet), "");

    let piped = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(1));
    assert_eq!(
        (piped.stdout.as_slice(), piped.stderr.as_slice()),
        (&b""[..], &b""[..])
    );
}

/// The widest line of the "Fix first" table, in characters.
fn fix_first_width(shown: &str) -> usize {
    let table: Vec<&str> = shown
        .lines()
        .skip_while(|line| !line.starts_with("Fix first"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .collect();
    assert!(table.len() > 3, "a fix-first table in:\n{shown}");
    table.iter().map(|line| line.chars().count()).max().unwrap()
}

#[test]
fn tables_wrap_to_the_width_the_terminal_says() {
    // COLUMNS is unset (on_a_terminal_of removes it): the width comes from
    // the terminal itself. The fix-first table is 120 characters wide when
    // the terminal says nothing (the default), grows to use a 200-column
    // terminal for its long deal names, and wraps them on a narrower one.
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    // In English: the test finds the table by its English title.
    let args = [
        "audit", &example, "--as-of", AS_OF, "--color", "never", "--lang", "en",
    ];
    let wide = fix_first_width(&on_a_terminal_of(Some(200), dir.path(), &args));
    let narrow = fix_first_width(&on_a_terminal_of(Some(90), dir.path(), &args));
    assert!(
        wide > 120 && wide <= 200,
        "{wide} characters on 200 columns"
    );
    assert!(narrow <= 90, "{narrow} characters on a 90-column terminal");
}

#[test]
fn colour_follows_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let escape = "\u{1b}[";
    let args = ["audit", &example, "--as-of", AS_OF];
    // A terminal gets colour by default, and none with --color never.
    assert!(on_a_terminal(dir.path(), &args).contains(escape));
    let never: Vec<&str> = args.iter().copied().chain(["--color", "never"]).collect();
    assert!(!on_a_terminal(dir.path(), &never).contains(escape));
    // A pipe gets none by default, and colour with --color always.
    let piped = |extra: &[&str]| {
        let run = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
            .args(args)
            .args(extra)
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        String::from_utf8(run.stdout).unwrap()
    };
    assert!(!piped(&[]).contains(escape));
    assert!(piped(&["--color", "always"]).contains(escape));
}

/// `--summary` of the example on a terminal `columns` wide, in `lang`,
/// without colour, its line ends as a file has them.
fn summary_on(columns: u16, lang: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    let args = [
        "audit",
        &example,
        "--as-of",
        AS_OF,
        "--summary",
        "--color",
        "never",
        "--lang",
        lang,
    ];
    on_a_terminal_of(Some(columns), dir.path(), &args).replace("\r\n", "\n")
}

#[test]
fn the_matrix_fits_an_80_column_terminal_in_both_languages() {
    // The example's matrix, 17 rule columns, is about 200 characters wide:
    // on 80 columns it becomes the managers' figures and a list of each
    // one's rules. Соколова Анна (the example's README): one each of
    // overdue-task, deal-without-task, missing-contact-name,
    // invoice-missing and no-follow-up; stage-missing-data could not judge
    // the deal at an unknown stage and found nothing of hers: a dash.
    for (lang, heading, sokolova, legend) in [
        (
            "en",
            "By rule:\n",
            "  Соколова Анна: CA001 ×1, CA002 ×1, CA004 ×1, CA005 —, CA010 ×1, CA013 ×1\n",
            "— not checked, or checked only in part",
        ),
        (
            "ru",
            "По правилам:\n",
            "  Соколова Анна: CA001 ×1, CA002 ×1, CA004 ×1, CA005 —, CA010 ×1, CA013 ×1\n",
            "— не проверено или проверено лишь частично",
        ),
    ] {
        let shown = summary_on(80, lang);
        let matrix = &shown[shown.find('┌').expect("a table")..];
        let widest = matrix.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= 80, "{widest} characters on 80 columns:\n{shown}");
        assert!(matrix.contains(heading), "{shown}");
        assert!(matrix.contains(sokolova), "{shown}");
        assert!(!matrix.contains("┆ CA001 ┆"), "{shown}");
        // Иванова Мария broke nothing; the dash is her unjudged zero.
        assert!(matrix.contains("\n  Иванова Мария: CA005 —\n"), "{shown}");
        let words = matrix.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains(legend), "{shown}");
    }
}

#[test]
fn a_wide_terminal_shows_the_whole_matrix_in_both_languages() {
    // 220 columns hold the whole matrix (202 characters in English, 206 in
    // Russian): a column per rule, as a file gets it.
    for (lang, header) in [("en", "│ manager "), ("ru", "│ менеджер ")] {
        let shown = summary_on(220, lang);
        let line = shown
            .lines()
            .find(|l| l.starts_with(header))
            .unwrap_or_else(|| panic!("no matrix header:\n{shown}"));
        assert!(line.contains("┆ CA001 ┆ CA002 ┆"), "{line}");
        assert!(line.contains("┆ CA017 ┆"), "{line}");
        assert!(!shown.contains("By rule:") && !shown.contains("По правилам:"));
    }
}

/// The words of a report as a reader sees them: split at spaces and at
/// the table's borders, without the punctuation that ends a word.
fn words_of(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| c.is_whitespace() || "│┆".contains(c))
        .map(|w| w.trim_matches(|c: char| "─┌┐└┘├┤┬┴┼╞╡╪═,:;".contains(c)))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// The words of `narrow` that are no word of `file` (the same report with
/// no width): a word cut in two shows as its pieces. The compact matrix
/// adds its heading and its `×N` counts, which a file never has.
fn cut_words(narrow: &str, file: &str) -> Vec<String> {
    let whole = words_of(file);
    words_of(narrow)
        .into_iter()
        .filter(|w| !whole.contains(w))
        .filter(|w| !w.starts_with('×') && !["By", "rule", "По", "правилам"].contains(&w.as_str()))
        .collect()
}

/// `crm-audit ARGS…` in `dir` through a pipe: the report a file gets.
fn piped(dir: &Path, args: &[&str]) -> String {
    let run = assert_cmd::cargo::cargo_bin_cmd!("crm-audit")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(run.stdout).unwrap()
}

/// Asserts that every line of `shown` fits `columns` and that no word of
/// it is cut, against the same report written to a pipe.
fn assert_fits(shown: &str, file: &str, columns: usize) {
    let widest = shown.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        widest <= columns,
        "{widest} characters on {columns} columns:\n{shown}"
    );
    let cut = cut_words(shown, file);
    assert!(cut.is_empty(), "cut words {cut:?}:\n{shown}");
}

#[test]
fn the_whole_report_fits_80_columns_without_cutting_a_word() {
    // The example's report has long lines (the header, 113 characters in
    // English and 116 in Russian; the total line, 88 in Russian) and
    // tables whose columns cannot keep their longest words in 80 columns:
    // fix first (`prepayment-below-minimum` alone takes 24 of them, the
    // Russian stage «Заказ оплачен / предоплачен» 11 more) and each
    // manager's violations. All of it fits, every word whole; with
    // --summary too.
    let dir = tempfile::tempdir().unwrap();
    let example = example();
    for lang in ["en", "ru"] {
        for summary in [false, true] {
            let mut args = vec![
                "audit", &example, "--as-of", AS_OF, "--color", "never", "--lang", lang,
            ];
            if summary {
                args.push("--summary");
            }
            let shown = on_a_terminal_of(Some(80), dir.path(), &args).replace("\r\n", "\n");
            assert_fits(&shown, &piped(dir.path(), &args), 80);
            if !summary {
                // The deal 31459227 of Смирнова Ольга, fix first, whole.
                for word in ["«ПромВент»:", "предоплачен", "prepayment-below-minimum"]
                {
                    assert!(shown.contains(word), "{word} in:\n{shown}");
                }
            }
        }
    }
}

#[test]
fn a_night_with_history_fits_80_columns_without_cutting_a_word() {
    // Night 1 (02:00) records the example as it is; by night 2 (03:00)
    // Петров has completed T-1019 (fixed) and T-1050's row is gone from
    // the task list (its violation gone, not fixed): the report adds a
    // status to each violation, new/open/fixed per manager, and the fixed
    // and gone lists, all within 80 columns.
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    for file in ["call_reviews.csv", "calls.csv", "deals.xlsx", "tasks.csv"] {
        std::fs::copy(Path::new(&example()).join(file), exports.join(file)).unwrap();
    }
    let night = |at: &str, history: &str| {
        vec![
            "audit".to_string(),
            "exports".to_string(),
            "--as-of".to_string(),
            at.to_string(),
            "--history".to_string(),
            history.to_string(),
            "--color".to_string(),
            "never".to_string(),
        ]
    };
    let first = night(AS_OF, "history.sqlite");
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    piped(dir.path(), &first);
    let tasks = std::fs::read_to_string(exports.join("tasks.csv")).unwrap();
    let tasks: String = tasks
        .split_inclusive("\r\n")
        .filter(|line| !line.starts_with("T-1050;"))
        .map(|line| {
            line.replace(
                "T-1019;31459399;Петров Алексей;Звонок;25.11.2026 11:00;Нет;;;",
                "T-1019;31459399;Петров Алексей;Звонок;25.11.2026 11:00;Да;26.11.2026 18:00;Дозвонился;",
            )
        })
        .collect();
    assert!(tasks.contains("T-1019;31459399;Петров Алексей;Звонок;25.11.2026 11:00;Да;"));
    std::fs::write(exports.join("tasks.csv"), tasks).unwrap();
    for lang in ["en", "ru"] {
        // The same second night, once on a terminal and once to a pipe,
        // each in a copy of the first night's history.
        let copy = |name: &str| {
            std::fs::copy(dir.path().join("history.sqlite"), dir.path().join(name)).unwrap();
        };
        copy("terminal.sqlite");
        copy("pipe.sqlite");
        let mut on_terminal = night("2026-11-27 03:00", "terminal.sqlite");
        let mut to_pipe = night("2026-11-27 03:00", "pipe.sqlite");
        for args in [&mut on_terminal, &mut to_pipe] {
            args.extend(["--lang".to_string(), lang.to_string()]);
        }
        let on_terminal: Vec<&str> = on_terminal.iter().map(String::as_str).collect();
        let to_pipe: Vec<&str> = to_pipe.iter().map(String::as_str).collect();
        let shown = on_a_terminal_of(Some(80), dir.path(), &on_terminal).replace("\r\n", "\n");
        let file = piped(dir.path(), &to_pipe).replace("pipe.sqlite", "terminal.sqlite");
        assert_fits(&shown, &file, 80);
        let (fixed, gone) = match lang {
            "en" => (
                "Fixed since the last run:",
                "Gone from the inputs (not fixes):",
            ),
            _ => (
                "Исправлено с прошлого запуска:",
                "Пропало из входных файлов (не исправления):",
            ),
        };
        let fixed_at = shown
            .find(fixed)
            .unwrap_or_else(|| panic!("{fixed} in:\n{shown}"));
        let gone_at = shown
            .find(gone)
            .unwrap_or_else(|| panic!("{gone} in:\n{shown}"));
        assert!(shown[fixed_at..gone_at].contains("T-1019"), "{shown}");
        assert!(shown[gone_at..].contains("T-1050"), "{shown}");
    }
}

//! Fitting the terminal report to the terminal's width without cutting a
//! word. A line wraps between words, its continuation indented; a table is
//! drawn only where each of its columns can keep its longest word within
//! the width, and is otherwise printed compact, as blocks: a row's first
//! line names what the row is about, the lines under it, indented, carry
//! its other columns joined by ` · `. Only a single word wider than the
//! whole width (a long path) overflows.
//!
//! Without a width (a file, a pipe) nothing here changes a byte: a report
//! file is the same whatever the terminal it was written from.

use comfy_table::{ColumnConstraint, Table, Width};
use std::io::Write;

/// Characters a terminal shows of a text (colour escapes take none).
pub(in crate::report) fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => width += 1,
        }
    }
    width
}

/// `line` as lines no wider than `width`, broken at spaces (a no-break
/// space holds, as in `455 000`); each continuation starts with `hang`
/// spaces. A `·` between items never starts a line. A line that fits is
/// given back as it is.
pub(in crate::report) fn wrap(line: &str, width: usize, hang: usize) -> Vec<String> {
    if visible_width(line) <= width {
        return vec![line.to_string()];
    }
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut words: Vec<String> = Vec::new();
    for word in line[indent..].split(' ').filter(|w| !w.is_empty()) {
        match words.last_mut() {
            Some(last) if word == "·" => last.push_str(" ·"),
            _ => words.push(word.to_string()),
        }
    }
    let mut lines = Vec::new();
    let mut current = " ".repeat(indent);
    let mut used = indent;
    let mut empty = true;
    for word in words {
        let size = visible_width(&word);
        if !empty && used + 1 + size > width {
            lines.push(std::mem::replace(&mut current, " ".repeat(hang)));
            used = hang;
            empty = true;
        }
        if !empty {
            current.push(' ');
            used += 1;
        }
        current.push_str(&word);
        used += size;
        empty = false;
    }
    lines.push(current);
    lines
}

/// Writes `line`; on a terminal, wrapped to its width with the
/// continuation indented two more than the line.
pub(in crate::report) fn write_line(
    out: &mut dyn Write,
    line: &str,
    width: Option<u16>,
) -> std::io::Result<()> {
    let Some(width) = width else {
        return writeln!(out, "{line}");
    };
    let indent = line.len() - line.trim_start_matches(' ').len();
    for piece in wrap(line, usize::from(width), indent + 2) {
        writeln!(out, "{piece}")?;
    }
    Ok(())
}

/// The longest word of each column (header included), in characters.
fn longest_words(table: &Table) -> Vec<usize> {
    let mut longest: Vec<usize> = Vec::new();
    for row in table.header().into_iter().chain(table.row_iter()) {
        for (column, cell) in row.cell_iter().enumerate() {
            let word = cell
                .content()
                .split([' ', '\n'])
                .map(visible_width)
                .max()
                .unwrap_or(0);
            if longest.len() <= column {
                longest.resize(column + 1, 0);
            }
            longest[column] = longest[column].max(word);
        }
    }
    longest
}

/// A table as it is to be printed.
#[derive(Debug, PartialEq)]
pub(in crate::report) enum Drawn {
    /// The table, drawn.
    Table(String),
    /// Too narrow a terminal, this wide, for the table's words: the
    /// caller prints its compact form.
    Compact(u16),
}

/// The table drawn to the width, each column at least as wide as its
/// longest word, or `Compact` when it cannot be so within the width.
/// Without a width, the table as it is.
pub(in crate::report) fn draw(mut table: Table, width: Option<u16>) -> Drawn {
    let Some(width) = width else {
        return Drawn::Table(table.to_string());
    };
    let longest = longest_words(&table);
    // A column takes its content, a space each side and one border; the
    // table one border more.
    let needed: usize = longest.iter().map(|l| l + 3).sum::<usize>() + 1;
    if needed > usize::from(width) {
        return Drawn::Compact(width);
    }
    for (column, longest) in table.column_iter_mut().zip(longest) {
        let bound = u16::try_from(longest + 2).unwrap_or(u16::MAX);
        column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(bound)));
    }
    let drawn = table.to_string();
    if drawn
        .lines()
        .all(|line| visible_width(line) <= usize::from(width))
    {
        Drawn::Table(drawn)
    } else {
        Drawn::Compact(width)
    }
}

/// The width at which tables of one kind print compact: the terminal's,
/// as soon as one of them cannot keep its words whole, so that a reader
/// does not meet the same columns in two shapes. `None` when each draws
/// whole, and always without a width (the tables are then not made).
pub(in crate::report) fn compact_width(
    tables: impl IntoIterator<Item = Table>,
    width: Option<u16>,
) -> Option<u16> {
    let width = width?;
    tables
        .into_iter()
        .any(|table| matches!(draw(table, Some(width)), Drawn::Compact(_)))
        .then_some(width)
}

/// Writes a drawn table, or its compact form, the blocks `blocks` makes
/// (only then).
pub(in crate::report) fn write_drawn(
    drawn: Drawn,
    blocks: impl FnOnce() -> Vec<Block>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match drawn {
        Drawn::Table(table) => writeln!(out, "{table}"),
        Drawn::Compact(width) => write_blocks(&blocks(), width, out),
    }
}

/// A row of a table in its compact form: what it is about, then its other
/// columns, a line each (empty ones are left out).
pub(in crate::report) struct Block {
    pub title: String,
    pub lines: Vec<String>,
}

/// The parts that are not empty, joined by ` · `.
pub(in crate::report) fn joined(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Blocks wrapped to the width: the title at the margin, its other lines
/// indented two, every continuation four.
pub(in crate::report) fn write_blocks(
    blocks: &[Block],
    width: u16,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let width = usize::from(width);
    for block in blocks {
        let lines = std::iter::once(block.title.clone()).chain(
            block
                .lines
                .iter()
                .filter(|l| !l.is_empty())
                .map(|l| format!("  {l}")),
        );
        for line in lines {
            for piece in wrap(&line, width, 4) {
                writeln!(out, "{piece}")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::{presets, ContentArrangement};

    #[test]
    fn colour_escapes_take_no_width() {
        assert_eq!(visible_width("\x1b[31m12\x1b[0m ab"), 5);
    }

    #[test]
    fn a_line_wraps_between_words_and_keeps_what_fits() {
        let line = "Итого: 41 нарушение: 23 ошибки, 17 предупреждений, 1 инфо; нарушения у 6 из 7 менеджеров";
        assert_eq!(
            wrap(line, 60, 2),
            [
                "Итого: 41 нарушение: 23 ошибки, 17 предупреждений, 1 инфо;",
                "  нарушения у 6 из 7 менеджеров",
            ]
        );
        assert_eq!(wrap("  short", 60, 4), ["  short"]);
        // A no-break space holds an amount together; a `·` stays at the
        // end of its line; a word wider than the width stays whole.
        assert_eq!(
            wrap("  Смирнова Ольга · 455\u{a0}000 · ошибка", 24, 4),
            ["  Смирнова Ольга ·", "    455\u{a0}000 · ошибка"]
        );
        assert_eq!(
            wrap("a examples/a-very-long/path.csv b", 12, 2),
            ["a", "  examples/a-very-long/path.csv", "  b"]
        );
        // Colour escapes take no room: the line fits as it is.
        let red = "\x1b[31m2 ошибки\x1b[0m, 0 инфо";
        assert_eq!(wrap(red, 16, 2), [red]);
    }

    /// A table laid out for a terminal `width` wide, as `new_table` does.
    fn table(width: u16) -> Table {
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        table.force_no_tty();
        table.set_content_arrangement(ContentArrangement::Dynamic);
        table.set_width(width);
        table.set_header(["этап", "правила"]);
        table.add_row(["Заказ оплачен / предоплачен", "prepayment-below-minimum"]);
        table
    }

    #[test]
    fn a_table_is_drawn_only_when_its_words_fit() {
        // The longest words: «предоплачен» (11) and the rule (24): the two
        // columns need 11 + 3 + 24 + 3 + 1 = 42 characters.
        assert_eq!(draw(table(41), Some(41)), Drawn::Compact(41));
        let Drawn::Table(drawn) = draw(table(42), Some(42)) else {
            panic!("no table at 42 columns");
        };
        assert!(drawn.lines().all(|l| l.chars().count() <= 42), "{drawn}");
        assert!(drawn.contains("┆ prepayment-below-minimum │"), "{drawn}");
        assert!(drawn.contains("│ предоплачен ┆"), "{drawn}");
        // Without a width, the table as it always was.
        let mut file = table(40);
        file.set_content_arrangement(ContentArrangement::Disabled);
        let whole = file.to_string();
        assert_eq!(draw(file, None), Drawn::Table(whole));
    }

    #[test]
    fn one_compact_table_makes_all_of_its_kind_compact() {
        // The table above needs 42 columns; one column of «оплачен»
        // (7 characters), 11.
        let small = || {
            let mut t = Table::new();
            t.load_style(presets::UTF8_FULL_CONDENSED);
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(41);
            t.set_header(["этап"]);
            t.add_row(["оплачен"]);
            t
        };
        assert_eq!(compact_width([small()], Some(11)), None);
        assert_eq!(compact_width([small(), table(41)], Some(41)), Some(41));
        assert_eq!(compact_width([small(), table(42)], Some(42)), None);
        // Without a width no table is even looked at.
        let none: [Table; 0] = [];
        assert_eq!(compact_width(none, None), None);
    }

    #[test]
    fn blocks_indent_their_lines_and_drop_the_empty_ones() {
        let blocks = [Block {
            title: "31459227 ООО «ПромВент»: радиаторы в цех".to_string(),
            lines: vec![
                joined(&["Смирнова Ольга", "", "ошибка"]),
                String::new(),
                "prepayment-below-minimum".to_string(),
            ],
        }];
        let mut out = Vec::new();
        write_blocks(&blocks, 30, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "31459227 ООО «ПромВент»:\n    радиаторы в цех\n  Смирнова Ольга · ошибка\n  \
             prepayment-below-minimum\n"
        );
    }
}

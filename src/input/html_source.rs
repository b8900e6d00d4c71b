//! Bitrix24's "Excel" exports (deals, tasks): not a workbook but an HTML
//! table saved with an `.xls` extension, which spreadsheet libraries reject.
//! The first `<table>` is read the way Excel lays it out when it opens such
//! a file: one row per `<tr>`, one column per `<td>` or `<th>`, a `colspan`
//! or `rowspan` leaving the cells it covers empty, the text without markup.
//! Everything outside that table (a `<style>`, a `<script>`, later tables)
//! is ignored.
//!
//! This is a tolerant reader of the plain markup these exports use, not a
//! browser: it builds no document tree and applies no styles. It never
//! guesses at content: a file without a table is an error.
//!
//! Unlike a CSV file, the file is read whole: Bitrix24 caps the rows of an
//! export, so these files stay small, and the encoding is named by a
//! `<meta>` tag that must be found before any text can be decoded.

use super::csv_source::Encoding;
use super::source::{Cell, RowSource};
use anyhow::{anyhow, bail, Context};
use encoding_rs::WINDOWS_1251;
use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

/// How much of the start of a file [`looks_like_html`] looks at.
pub const SAMPLE_BYTES: usize = 4 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The largest `colspan` and `rowspan` honoured, as in browsers: a typo in
/// an attribute cannot ask for millions of cells.
const MAX_COLSPAN: usize = 1000;
const MAX_ROWSPAN: usize = 65534;

/// Whether a file that calls itself `.xls` is really an HTML table: after
/// an optional UTF-8 BOM and whitespace it starts with `<`, and its first
/// [`SAMPLE_BYTES`] hold `<table`, `<html` or `<meta`. A real workbook
/// (XLS starts `D0 CF 11 E0`, XLSX `PK\x03\x04`) never does.
pub fn looks_like_html(sample: &[u8]) -> bool {
    let text = sample.strip_prefix(BOM).unwrap_or(sample);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let head = &text[start..text.len().min(start + SAMPLE_BYTES)];
    head.first() == Some(&b'<')
        && [&b"<table"[..], b"<html", b"<meta"]
            .iter()
            .any(|tag| find_ci(head, tag, 0).is_some())
}

/// The first table of an HTML file, held in memory.
pub struct HtmlSource {
    /// As named by `csv_source::Encoding::as_str`.
    pub encoding: &'static str,
    table: Table,
    /// Index of the current row; `None` before the first.
    current: Option<usize>,
}

impl HtmlSource {
    pub fn open(path: &Path) -> anyhow::Result<HtmlSource> {
        // Read whole, unlike a CSV file: see the module documentation; a
        // file past the limit is no export Bitrix24 writes.
        let max = crate::files::MAX_HTML_BYTES;
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata().map_or(0, |m| m.len());
        if size > max {
            bail!(
                "{}: an HTML table export larger than {} ({size} bytes); not read",
                path.display(),
                crate::files::size_name(max)
            );
        }
        let mut bytes = Vec::new();
        file.take(max + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", path.display()))?;
        read(&bytes, path)
    }

    /// The cells of the current row, as indices into the table's cells.
    fn row(&self) -> Range<usize> {
        match self.current {
            Some(i) if i < self.table.row_ends.len() => self.table.row(i),
            _ => 0..0,
        }
    }
}

fn read(bytes: &[u8], path: &Path) -> anyhow::Result<HtmlSource> {
    let (encoding, html) = decode(bytes).ok_or_else(|| {
        anyhow!(
            "{}: starts with a UTF-8 byte order mark but is not valid UTF-8 (was the file re-saved in another encoding?)",
            path.display()
        )
    })?;
    let table = match first_table(&html) {
        Some(Ok(table)) => table,
        // An export cut short is a real export with a problem, never a
        // stray to pass over.
        Some(Err(Unclosed)) => bail!(
            "{}: the file ends inside its table (no </table>): it was cut short; download the export again",
            path.display()
        ),
        None => {
            return Err(super::recognize::Unrecognised {
                path: path.display().to_string(),
                reason: super::reason::NotExport::HtmlWithoutTable,
            }
            .into())
        }
    };
    Ok(HtmlSource {
        encoding: encoding.as_str(),
        table,
        current: None,
    })
}

impl RowSource for HtmlSource {
    fn next_row(&mut self) -> anyhow::Result<bool> {
        let rows = self.table.row_ends.len();
        let next = self.current.map_or(0, |i| i + 1);
        self.current = Some(next.min(rows));
        Ok(next < rows)
    }

    fn cell(&self, index: usize) -> Cell<'_> {
        let row = self.row();
        if index >= row.len() {
            return Cell::Empty;
        }
        let text = self.table.cell(row.start + index);
        if text.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    fn width(&self) -> usize {
        self.row().len()
    }

    fn row_number(&self) -> u64 {
        self.current.unwrap_or(0) as u64 + 1
    }

    fn rewind(&mut self) -> anyhow::Result<()> {
        self.current = None;
        Ok(())
    }

    fn row_word(&self) -> super::error::RowWord {
        super::error::RowWord::Row
    }

    fn split(self: Box<Self>, _rows: usize) -> Vec<Box<dyn RowSource + Send>> {
        // A table's rows can span several rows: read in one piece.
        vec![self]
    }
}

/// The encoding and the text. A BOM means UTF-8 whatever a `<meta>` says
/// (an editor that re-saves the file adds the BOM but leaves the tag);
/// otherwise Windows-1251 when a `<meta>` names it or the bytes are not
/// UTF-8. `None` for a BOM before bytes that are not UTF-8.
fn decode(bytes: &[u8]) -> Option<(Encoding, String)> {
    if let Some(rest) = bytes.strip_prefix(BOM) {
        let text = std::str::from_utf8(rest).ok()?;
        return Some((Encoding::Utf8Bom, text.to_string()));
    }
    if !declares_windows_1251(bytes) {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return Some((Encoding::Utf8, text.to_string()));
        }
    }
    let text = WINDOWS_1251.decode_without_bom_handling(bytes).0;
    Some((Encoding::Windows1251, text.into_owned()))
}

/// Whether a `<meta>` before the first table sets `charset=` to a name of
/// Windows-1251 (`windows-1251`, `cp1251`, any label `encoding_rs` knows).
fn declares_windows_1251(bytes: &[u8]) -> bool {
    let head = &bytes[..find_ci(bytes, b"<table", 0).unwrap_or(bytes.len())];
    let mut from = 0;
    while let Some(at) = find_ci(head, b"<meta", from) {
        let end = find(head, b">", at).unwrap_or(head.len());
        let tag = &head[at..end];
        if let Some(c) = find_ci(tag, b"charset", 0) {
            let value = tag[c + b"charset".len()..].trim_ascii_start();
            if let Some(value) = value.strip_prefix(b"=") {
                let value = value.trim_ascii_start();
                let value = match value.first() {
                    Some(b'"' | b'\'') => &value[1..],
                    _ => value,
                };
                let len = value
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || b"-_:.".contains(b)))
                    .unwrap_or(value.len());
                if encoding_rs::Encoding::for_label(&value[..len]) == Some(WINDOWS_1251) {
                    return true;
                }
            }
        }
        from = end;
    }
    false
}

/// The cells of a table: their texts one after another in `text`.
struct Table {
    text: String,
    /// Where each cell's text ends in `text`; it starts where the last ended.
    cell_ends: Vec<usize>,
    /// Where each row's cells end in `cell_ends`.
    row_ends: Vec<usize>,
}

impl Table {
    fn row(&self, index: usize) -> Range<usize> {
        let start = index.checked_sub(1).map_or(0, |i| self.row_ends[i]);
        start..self.row_ends[index]
    }

    fn cell(&self, index: usize) -> &str {
        let start = index.checked_sub(1).map_or(0, |i| self.cell_ends[i]);
        &self.text[start..self.cell_ends[index]]
    }
}

/// The tags that matter; all others vanish, keeping their text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Table,
    Row,
    Cell,
    /// `thead`, `tbody`, `tfoot`: each ends the open row and any rowspan.
    Section,
    /// `br`: a line break in the cell, even at a blank line.
    Break,
    /// `p`, `div`, `li`: start a new line unless one was just started.
    Block,
    /// `script`, `style`: their content is not text.
    RawText,
    Other,
}

fn classify(name: &[u8]) -> Tag {
    let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
    if is("table") {
        Tag::Table
    } else if is("tr") {
        Tag::Row
    } else if is("td") || is("th") {
        Tag::Cell
    } else if is("thead") || is("tbody") || is("tfoot") {
        Tag::Section
    } else if is("br") {
        Tag::Break
    } else if is("p") || is("div") || is("li") {
        Tag::Block
    } else if is("script") || is("style") {
        Tag::RawText
    } else {
        Tag::Other
    }
}

/// How many columns and rows a cell covers.
#[derive(Debug, Clone, Copy)]
struct Spans {
    columns: usize,
    rows: usize,
}

/// What a `<` starts.
enum Markup {
    Start(Tag, Spans),
    End(Tag),
    /// A comment, a doctype, a script or style: nothing to read.
    Skip,
    /// A `<` that starts no tag: it is text.
    Lone,
}

/// A table the document ends inside: the file was cut short.
#[derive(Debug, PartialEq)]
struct Unclosed;

/// Reads the first table of a document; `None` when there is none, an
/// error when the document ends before the table does.
fn first_table(html: &str) -> Option<Result<Table, Unclosed>> {
    let bytes = html.as_bytes();
    let mut builder: Option<Builder> = None;
    let mut pos = 0;
    while pos < bytes.len() {
        let lt = find(bytes, b"<", pos).unwrap_or(bytes.len());
        if let Some(b) = &mut builder {
            b.text(&html[pos..lt]);
        }
        if lt == bytes.len() {
            break;
        }
        let (markup, next) = markup(bytes, lt);
        pos = next;
        let Some(b) = &mut builder else {
            if let Markup::Start(Tag::Table, _) = markup {
                builder = Some(Builder::new());
            }
            continue;
        };
        match markup {
            Markup::Start(tag, spans) => b.start(tag, spans),
            Markup::End(tag) => {
                if b.end(tag) {
                    return builder.map(|b| Ok(b.finish()));
                }
            }
            Markup::Lone => b.text("<"),
            Markup::Skip => {}
        }
    }
    builder.map(|_| Err(Unclosed))
}

/// The markup that starts at `at` (a `<`) and where the text after it starts.
fn markup(b: &[u8], at: usize) -> (Markup, usize) {
    let after_gt = |from: usize| find(b, b">", from).map_or(b.len(), |i| i + 1);
    if b[at..].starts_with(b"<!--") {
        return (
            Markup::Skip,
            find(b, b"-->", at + 4).map_or(b.len(), |i| i + 3),
        );
    }
    match b.get(at + 1) {
        Some(b'!' | b'?') => (Markup::Skip, after_gt(at)),
        Some(b'/') if b.get(at + 2).is_some_and(u8::is_ascii_alphabetic) => {
            let (name, _) = tag_name(b, at + 2);
            (Markup::End(classify(name)), after_gt(at))
        }
        Some(b'/') => (Markup::Skip, after_gt(at)),
        Some(c) if c.is_ascii_alphabetic() => {
            let (name, end) = tag_name(b, at + 1);
            let (spans, after) = attributes(b, end);
            match classify(name) {
                Tag::RawText => (Markup::Skip, skip_raw_text(b, after, name)),
                tag => (Markup::Start(tag, spans), after),
            }
        }
        _ => (Markup::Lone, at + 1),
    }
}

fn tag_name(b: &[u8], start: usize) -> (&[u8], usize) {
    let end = b[start..]
        .iter()
        .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
        .map_or(b.len(), |i| start + i);
    (&b[start..end], end)
}

/// Reads a start tag's attributes from `i` to its `>`, keeping only the
/// spans (a quoted value may hold a `>`); returns the spans and where the
/// text after the tag starts.
fn attributes(b: &[u8], mut i: usize) -> (Spans, usize) {
    let mut spans = Spans {
        columns: 1,
        rows: 1,
    };
    let skip_space = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        match b.get(i) {
            None => return (spans, b.len()),
            Some(b'>') => return (spans, i + 1),
            _ => {}
        }
        let start = i;
        // A name may start with `=`, as in browsers; it then takes one byte.
        i += 1;
        while i < b.len() && !(b[i].is_ascii_whitespace() || b"/>=".contains(&b[i])) {
            i += 1;
        }
        let name = &b[start..i];
        skip_space(&mut i);
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        skip_space(&mut i);
        let value = match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let end = find(b, &[q], i + 1).unwrap_or(b.len());
                let value = &b[i + 1..end];
                i = (end + 1).min(b.len());
                value
            }
            _ => {
                let start = i;
                while i < b.len() && !(b[i].is_ascii_whitespace() || b[i] == b'>') {
                    i += 1;
                }
                &b[start..i]
            }
        };
        if name.eq_ignore_ascii_case(b"colspan") {
            spans.columns = span(value, MAX_COLSPAN);
        } else if name.eq_ignore_ascii_case(b"rowspan") {
            spans.rows = span(value, MAX_ROWSPAN);
        }
    }
}

/// A span's leading digits as browsers read them: missing or 0 is 1.
fn span(value: &[u8], max: usize) -> usize {
    value
        .trim_ascii_start()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0usize, |n, &d| {
            n.saturating_mul(10).saturating_add(usize::from(d - b'0'))
        })
        .clamp(1, max)
}

/// Where the text after a `<script>` or `<style>` element starts: past its
/// end tag, whatever the element holds before it.
fn skip_raw_text(b: &[u8], mut from: usize, name: &[u8]) -> usize {
    while let Some(at) = find(b, b"</", from) {
        let rest = &b[at + 2..];
        let ends = rest.len() >= name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && rest
                .get(name.len())
                .is_none_or(|c| !c.is_ascii_alphanumeric());
        if ends {
            return find(b, b">", at).map_or(b.len(), |i| i + 1);
        }
        from = at + 2;
    }
    b.len()
}

/// The rows of the first table, built as its markup is read.
struct Builder {
    table: Table,
    row_open: bool,
    cell: Option<OpenCell>,
    /// Whitespace was met in the open cell and is still to be written.
    space: bool,
    /// By column: the last row a `rowspan` above covers.
    covered: Vec<u64>,
    /// Tables open inside the first one.
    nested: usize,
}

struct OpenCell {
    /// Where its text starts in `table.text`.
    start: usize,
    column: usize,
    spans: Spans,
}

impl Builder {
    fn new() -> Self {
        Builder {
            table: Table {
                text: String::new(),
                cell_ends: Vec::new(),
                row_ends: Vec::new(),
            },
            row_open: false,
            cell: None,
            space: false,
            covered: Vec::new(),
            nested: 0,
        }
    }

    fn start(&mut self, tag: Tag, spans: Spans) {
        match tag {
            Tag::Break => self.line_break(true),
            Tag::Block => self.line_break(false),
            // Inside a nested table, its structure only separates words.
            Tag::Table => {
                self.nested += 1;
                self.space = true;
            }
            Tag::Row | Tag::Cell | Tag::Section if self.nested > 0 => self.space = true,
            Tag::Row => {
                self.close_row();
                self.row_open = true;
            }
            Tag::Cell => {
                self.close_cell();
                self.row_open = true;
                self.open_cell(spans);
            }
            Tag::Section => {
                self.close_row();
                self.covered.clear();
            }
            Tag::RawText | Tag::Other => {}
        }
    }

    /// Handles an end tag; `true` when it closes the first table.
    fn end(&mut self, tag: Tag) -> bool {
        match tag {
            // Browsers read `</br>` as `<br>`.
            Tag::Break => self.line_break(true),
            Tag::Block => self.line_break(false),
            Tag::Table if self.nested > 0 => {
                self.nested -= 1;
                self.space = true;
            }
            Tag::Table => {
                self.close_row();
                return true;
            }
            Tag::Row | Tag::Cell | Tag::Section if self.nested > 0 => self.space = true,
            Tag::Cell => self.close_cell(),
            Tag::Row => self.close_row(),
            Tag::Section => {
                self.close_row();
                self.covered.clear();
            }
            Tag::RawText | Tag::Other => {}
        }
        false
    }

    /// Text between tags: outside a cell it is dropped.
    fn text(&mut self, mut text: &str) {
        if self.cell.is_none() {
            return;
        }
        while let Some(amp) = text.find('&') {
            text[..amp].chars().for_each(|c| self.push(c));
            let after = &text[amp + 1..];
            match entity(after) {
                Some((c, len)) => {
                    self.push(c);
                    text = &after[len..];
                }
                None => {
                    self.push('&');
                    text = after;
                }
            }
        }
        text.chars().for_each(|c| self.push(c));
    }

    /// Writes a character of the open cell, collapsing whitespace to one
    /// space between words (none at the start of a line).
    fn push(&mut self, c: char) {
        let Some(cell) = &self.cell else { return };
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            self.space = true;
            return;
        }
        let text = &mut self.table.text;
        if std::mem::take(&mut self.space) && text.len() > cell.start && !text.ends_with('\n') {
            text.push(' ');
        }
        text.push(c);
    }

    /// A line break in the open cell: always for `<br>` (`hard`), only
    /// after a line with text for a block; never at the cell's start.
    fn line_break(&mut self, hard: bool) {
        let Some(cell) = &self.cell else { return };
        self.space = false;
        let text = &mut self.table.text;
        if text.len() > cell.start && (hard || !text.ends_with('\n')) {
            text.push('\n');
        }
    }

    /// The number of the open row, counted from 1.
    fn row_number(&self) -> u64 {
        self.table.row_ends.len() as u64 + 1
    }

    fn open_cell(&mut self, spans: Spans) {
        let row = self.row_number();
        let row_start = self.table.row_ends.last().copied().unwrap_or(0);
        let mut column = self.table.cell_ends.len() - row_start;
        // Columns a rowspan above reaches into stay empty in this row.
        while self.covered.get(column).is_some_and(|&last| last >= row) {
            self.table.cell_ends.push(self.table.text.len());
            column += 1;
        }
        self.cell = Some(OpenCell {
            start: self.table.text.len(),
            column,
            spans,
        });
        self.space = false;
    }

    fn close_cell(&mut self) {
        let Some(cell) = self.cell.take() else { return };
        self.space = false;
        let table = &mut self.table;
        while table.text.len() > cell.start && table.text.ends_with('\n') {
            table.text.pop();
        }
        for _ in 0..cell.spans.columns {
            table.cell_ends.push(table.text.len());
        }
        if cell.spans.rows > 1 {
            let last = self.row_number() + cell.spans.rows as u64 - 1;
            let columns = cell.column..cell.column + cell.spans.columns;
            if self.covered.len() < columns.end {
                self.covered.resize(columns.end, 0);
            }
            self.covered[columns].fill(last);
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        if std::mem::take(&mut self.row_open) {
            self.table.row_ends.push(self.table.cell_ends.len());
        }
    }

    fn finish(mut self) -> Table {
        self.close_row();
        self.table
    }
}

/// The character a reference stands for, given the text after its `&`,
/// and the length of the rest of the reference (up to and with its `;`).
/// `None` for a name it does not know: the reference then stays as written.
fn entity(after: &str) -> Option<(char, usize)> {
    let semicolon = after.bytes().take(12).position(|b| b == b';')?;
    let name = &after[..semicolon];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let number = name.strip_prefix('#')?;
            let (digits, radix) = match number.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return None;
            }
            let code = u32::from_str_radix(digits, radix).ok()?;
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    };
    Some((c, semicolon + 1))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn find_ci(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(html: &str) -> HtmlSource {
        read(html.as_bytes(), Path::new("deals.xls")).unwrap()
    }

    /// Every row: its number and its cells' texts (`""` for `Empty`).
    fn rows(source: &mut dyn RowSource) -> Vec<(u64, Vec<String>)> {
        source.rewind().unwrap();
        let mut rows = Vec::new();
        while source.next_row().unwrap() {
            let cells = (0..source.width())
                .map(|i| match source.cell(i) {
                    Cell::Text(t) => t.to_string(),
                    Cell::Empty => String::new(),
                    other => panic!("unexpected {other:?}"),
                })
                .collect();
            rows.push((source.row_number(), cells));
        }
        rows
    }

    fn row(number: u64, cells: &[&str]) -> (u64, Vec<String>) {
        (number, cells.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn recognises_html_saved_as_xls() {
        let bitrix = "\u{FEFF}<meta http-equiv=\"Content-type\" content=\"text/html;charset=UTF-8\" />\n<table border=\"1\">";
        assert!(looks_like_html(bitrix.as_bytes()));
        assert!(looks_like_html(b"\r\n  <TABLE><TR><TD>1</TD></TR></TABLE>"));
        assert!(looks_like_html(b"<!DOCTYPE html>\n<HTML><body>"));
        // A real XLS (OLE2) and XLSX (zip) workbook.
        assert!(!looks_like_html(
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0<table"
        ));
        assert!(!looks_like_html(b"PK\x03\x04\x14\0\x06\0<table"));
        assert!(!looks_like_html("ID;Название\n1;<table>".as_bytes()));
        assert!(!looks_like_html(b"<?xml version=\"1.0\"?><Workbook>"));
        let late = format!("<div>{}</div><table>", " ".repeat(SAMPLE_BYTES));
        assert!(!looks_like_html(late.as_bytes()), "a table past the sample");
    }

    #[test]
    fn reads_a_bitrix24_deal_export() {
        let html = "\u{FEFF}<meta http-equiv=\"Content-type\" content=\"text/html;charset=UTF-8\" />\n\
            <table border=\"1\">\n\
            <thead><tr><th>ID</th><th>Название сделки</th><th>Стадия сделки</th><th>Компания</th><th>Комментарий</th></tr></thead>\n\
            <tbody>\n\
            <tr><td>101</td><td>Радиаторы для коттеджа</td><td>Счет на предоплату</td><td>ООО &quot;ТеплоДом&quot;</td><td>Замер 12.11<br>Монтаж после оплаты</td></tr>\n\
            <tr><td>102</td><td>Котельная для склада</td><td>В работе</td><td></td><td></td></tr>\n\
            </tbody></table>\n";
        let mut s = source(html);
        assert_eq!(s.encoding, "UTF-8 with BOM");
        assert_eq!(s.row_word(), crate::input::error::RowWord::Row);
        assert_eq!(
            rows(&mut s),
            vec![
                row(
                    1,
                    &[
                        "ID",
                        "Название сделки",
                        "Стадия сделки",
                        "Компания",
                        "Комментарий"
                    ]
                ),
                row(
                    2,
                    &[
                        "101",
                        "Радиаторы для коттеджа",
                        "Счет на предоплату",
                        "ООО \"ТеплоДом\"",
                        "Замер 12.11\nМонтаж после оплаты"
                    ]
                ),
                row(3, &["102", "Котельная для склада", "В работе", "", ""]),
            ]
        );
    }

    #[test]
    fn colspan_leaves_the_covered_columns_empty() {
        let mut s = source(
            "<table><tr><td colspan=\"3\">Итого</td><td>5</td></tr>\
             <tr><td COLSPAN=2>a</td><td colspan='x'>b</td><td colspan=\"0\">c</td></tr></table>",
        );
        assert_eq!(
            rows(&mut s),
            vec![
                row(1, &["Итого", "", "", "5"]),
                row(2, &["a", "", "b", "c"])
            ]
        );
    }

    #[test]
    fn rowspan_leaves_the_covered_cells_empty() {
        let mut s = source(
            "<table><tr><td rowspan=\"2\">101</td><td>Котел</td><td>2</td></tr>\
             <tr><td>Бойлер</td><td>1</td></tr>\
             <tr><td>102</td><td>Труба</td></tr></table>",
        );
        assert_eq!(
            rows(&mut s),
            vec![
                row(1, &["101", "Котел", "2"]),
                row(2, &["", "Бойлер", "1"]),
                row(3, &["102", "Труба"]),
            ]
        );
    }

    #[test]
    fn closing_tags_are_optional_and_tags_ignore_case() {
        let mut s = source(
            "<TABLE BORDER=1>\n<TR><TH>ID<TH>Название\n\
             <TR><TD>101<TD>Котел<BR>газовый\n\
             <Tr><tD>102</Td><td>Бойлер\n</TABLE>",
        );
        assert_eq!(
            rows(&mut s),
            vec![
                row(1, &["ID", "Название"]),
                row(2, &["101", "Котел\nгазовый"]),
                row(3, &["102", "Бойлер"]),
            ]
        );
    }

    #[test]
    fn styles_scripts_and_comments_do_not_leak() {
        let mut s = source(
            "<html><head><title>Сделки</title>\
             <style>td { mso-number-format:\"\\@\"; } </style>\
             <script>var t = \"<table><tr><td>из скрипта</td></tr></table>\";</script>\
             <!-- <table><tr><td>старая</td></tr></table> -->\
             </head><body><h1>Выгрузка</h1>\
             <table><tr><td>ID<!-- </table> --></td><td><style>p{}</style>Название</td></tr></table>\
             </body></html>",
        );
        assert_eq!(rows(&mut s), vec![row(1, &["ID", "Название"])]);
    }

    #[test]
    fn windows_1251_when_a_meta_tag_or_the_bytes_say_so() {
        let html = "<meta http-equiv=\"Content-type\" content=\"text/html; charset=windows-1251\">\
                    <table><tr><td>Стадия сделки</td><td>Счет на предоплату</td></tr></table>";
        let bytes = WINDOWS_1251.encode(html).0;
        let mut s = read(&bytes, Path::new("deals.xls")).unwrap();
        assert_eq!(s.encoding, "Windows-1251");
        assert_eq!(
            rows(&mut s),
            vec![row(1, &["Стадия сделки", "Счет на предоплату"])]
        );

        // No meta tag: the bytes are not UTF-8.
        let bytes = WINDOWS_1251
            .encode("<table><tr><td>Новая</td></tr></table>")
            .0;
        let mut s = read(&bytes, Path::new("deals.xls")).unwrap();
        assert_eq!(s.encoding, "Windows-1251");
        assert_eq!(rows(&mut s), vec![row(1, &["Новая"])]);

        // ASCII only: the meta tag alone decides, under another label.
        let ascii = b"<META charset='CP1251'><table><tr><td>ID</td></tr></table>";
        assert_eq!(
            read(ascii, Path::new("deals.xls")).unwrap().encoding,
            "Windows-1251"
        );
        // A BOM outweighs the tag: the file was re-saved as UTF-8.
        let resaved = "\u{FEFF}<meta charset=windows-1251><table><tr><td>Новая</td></tr></table>";
        let mut s = read(resaved.as_bytes(), Path::new("deals.xls")).unwrap();
        assert_eq!(s.encoding, "UTF-8 with BOM");
        assert_eq!(rows(&mut s), vec![row(1, &["Новая"])]);
        let ascii = b"<meta charset=\"utf-8\"><table><tr><td>ID</td></tr></table>";
        assert_eq!(
            read(ascii, Path::new("deals.xls")).unwrap().encoding,
            "UTF-8"
        );
    }

    #[test]
    fn only_the_first_table_is_read() {
        let mut s = source(
            "<table><tr><td>Товары</td>\
             <td><table><tr><th>Товар</th><th>Кол-во</th></tr><tr><td>Котел</td><td>2</td></tr></table></td>\
             <td>после</td></tr></table>\
             <table><tr><td>вторая</td></tr></table>",
        );
        assert_eq!(
            rows(&mut s),
            vec![row(1, &["Товары", "Товар Кол-во Котел 2", "после"])]
        );
    }

    #[test]
    fn blank_cells_and_rows_read_as_empty() {
        let mut s = source(
            "<table><tr><td>ID</td><td>Сумма</td><td>Валюта</td><td>Тип</td></tr>\
             <tr><td></td><td> &nbsp; </td><td>\n </td><td>x</td></tr>\
             <tr></tr>\
             <tr><td>103</td></tr></table>",
        );
        assert!(s.next_row().unwrap() && s.next_row().unwrap());
        assert_eq!(s.row_number(), 2);
        assert_eq!(s.width(), 4);
        assert_eq!(s.cell(0), Cell::Empty);
        assert_eq!(s.cell(1), Cell::Empty, "only a non-breaking space");
        assert_eq!(s.cell(2), Cell::Empty);
        assert_eq!(s.cell(3), Cell::Text("x"));
        assert_eq!(s.cell(4), Cell::Empty, "beyond the width");
        assert!(s.next_row().unwrap());
        assert_eq!((s.row_number(), s.width()), (3, 0));
        assert!(s.next_row().unwrap());
        assert_eq!((s.row_number(), s.cell(0)), (4, Cell::Text("103")));
        assert!(!s.next_row().unwrap());
        assert_eq!(s.width(), 0);
        assert!(!s.next_row().unwrap(), "stays at the end");
    }

    #[test]
    fn cell_text_loses_markup_and_extra_whitespace() {
        let mut s = source(
            "<table><tr>\
             <td>  <a href=\"/crm/deal/details/101/\" title=\"a>b\">Радиаторы</a>\r\n\t для <b>коттеджа</b>  </td>\
             <td><p>Первый</p>\n<p>Второй</p></td>\
             <td>a <br/> b<br><br>c<br></td>\
             <td>&amp; &lt;b&gt; &#39;x&apos; &#1044;&#x416;&nbsp;1 &copy; &bogus &#xZZ; &#0; 5 < 7</td>\
             </tr></table>",
        );
        assert_eq!(
            rows(&mut s),
            vec![row(
                1,
                &[
                    "Радиаторы для коттеджа",
                    "Первый\nВторой",
                    "a\nb\n\nc",
                    "& <b> 'x' ДЖ\u{a0}1 &copy; &bogus &#xZZ; &#0; 5 < 7"
                ]
            )]
        );
    }

    #[test]
    fn rewind_starts_again() {
        let mut s = source("<table><tr><td>ID</td></tr><tr><td>101</td></tr></table>");
        while s.next_row().unwrap() {}
        s.rewind().unwrap();
        assert!(s.next_row().unwrap());
        assert_eq!((s.row_number(), s.cell(0)), (1, Cell::Text("ID")));
    }

    #[test]
    fn a_file_without_a_table_is_an_error() {
        let error = read(
            "<html><body>Нет данных</body></html>".as_bytes(),
            Path::new("export/deals.xls"),
        )
        .err()
        .unwrap();
        assert_eq!(
            format!("{error:#}"),
            "export/deals.xls: an HTML file with no table; expected a Bitrix24 export saved as .xls"
        );
    }

    #[test]
    fn a_bom_before_bytes_that_are_not_utf8_is_an_error() {
        let mut bytes = BOM.to_vec();
        bytes.extend_from_slice(
            &WINDOWS_1251
                .encode("<table><tr><td>Новая</td></tr></table>")
                .0,
        );
        let error = read(&bytes, Path::new("deals.xls")).err().unwrap();
        assert_eq!(
            format!("{error:#}"),
            "deals.xls: starts with a UTF-8 byte order mark but is not valid UTF-8 (was the file re-saved in another encoding?)"
        );
    }

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats")
            .join(name)
    }

    #[test]
    fn the_deal_fixture_matches_its_csv_twin() {
        let mut html = HtmlSource::open(&fixture("bitrix_deals.xls")).unwrap();
        let mut csv =
            super::super::csv_source::CsvSource::open(&fixture("bitrix_deals.csv")).unwrap();
        assert_eq!(html.encoding, "UTF-8 with BOM");
        let html_rows = rows(&mut html);
        let csv_rows = rows(&mut csv);
        assert_eq!(html_rows.len(), 7);
        assert_eq!(html_rows[0].1.len(), 25);
        assert_eq!(html_rows.len(), csv_rows.len());
        for ((number, cells), (_, csv_cells)) in html_rows.iter().zip(&csv_rows) {
            assert_eq!(cells.len(), 25, "row {number}");
            // Bitrix24 ends every CSV line with a `;`: one more, empty field.
            assert_eq!(csv_cells.len(), 26, "row {number}");
            assert_eq!(cells[..], csv_cells[..25], "row {number}");
        }
        assert_eq!(html_rows[1].1[3], "Общая");
    }

    #[test]
    fn the_task_fixture_reads_whole() {
        let mut s = HtmlSource::open(&fixture("bitrix_tasks.xls")).unwrap();
        let all = rows(&mut s);
        assert_eq!(all.len(), 7);
        assert!(all.iter().all(|(_, cells)| cells.len() == 22));
        assert_eq!(all[0].1[16], "CRM");
        assert_eq!(all[1].1[16], "Сделка: Радиаторы для коттеджа;");
    }
}

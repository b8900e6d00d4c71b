//! The closed set of output formats, which format an output file's name
//! asks for, and the one place that hands a report to its renderer. Each
//! format lives in its own file and writes to the writer it is handed.

use super::table::TableOptions;
use super::Report;
use std::io::Write;
use std::path::Path;

/// The report formats. Every one renders the same `Report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for a terminal.
    Table,
    /// The full report for scripts (see the README for its schema).
    Json,
    /// One violation per line, for loading into a warehouse.
    Jsonl,
    /// One row per violation.
    Csv,
    /// For a chat or a ticket.
    Markdown,
    /// One self-contained page for a browser or an e-mail.
    Html,
    /// An Excel workbook: summary, violations, fix-first list, inputs, about.
    Xlsx,
    /// JUnit XML: a test suite per manager, a test case per rule.
    Junit,
}

impl Format {
    /// The file extensions that name a format, in the order `--help` and
    /// error messages list them.
    pub const EXTENSIONS: &'static [(&'static str, Format)] = &[
        ("xlsx", Format::Xlsx),
        ("html", Format::Html),
        ("htm", Format::Html),
        ("md", Format::Markdown),
        ("markdown", Format::Markdown),
        ("csv", Format::Csv),
        ("jsonl", Format::Jsonl),
        ("ndjson", Format::Jsonl),
        ("json", Format::Json),
        ("xml", Format::Junit),
        ("txt", Format::Table),
    ];

    /// The format an output file's extension asks for, if any.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        Format::EXTENSIONS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(ext))
            .map(|&(_, format)| format)
    }

    /// A format whose bytes mean nothing on a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx)
    }

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Junit => "junit",
        }
    }
}

/// How a format is written, where it can be written more than one way.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// The table format's width, colour and summary.
    pub table: TableOptions,
    /// The CSV format's dialect.
    pub csv: CsvDialect,
}

/// The two kinds of CSV readers the report is written for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CsvDialect {
    /// RFC 4180: UTF-8 without a BOM, commas, `.` in numbers; for scripts.
    #[default]
    Plain,
    /// What Excel in a Russian locale opens by double-click: a UTF-8 BOM,
    /// `;` between fields, `,` before decimals.
    Excel,
}

/// Renders `report` in `format`, with the options that format takes.
/// A failed write is an `std::io::Error`, whichever encoder met it.
pub fn render(
    report: &Report,
    format: Format,
    options: RenderOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    render_as(report, format, options, out).map_err(io_first)
}

fn render_as(
    report: &Report,
    format: Format,
    options: RenderOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        Format::Table => super::table::write(report, options.table, out),
        Format::Json => super::json::write(report, out),
        Format::Jsonl => super::jsonl::write(report, out),
        Format::Csv => super::csv_out::write(report, options.csv, out),
        Format::Markdown => super::markdown::write(report, out),
        Format::Html => super::html::write(report, out),
        Format::Xlsx => super::xlsx::write(report, out),
        Format::Junit => super::junit::write(report, out),
    }
}

/// An encoder's error that is a failed write, as an `std::io::Error` of
/// that write's kind (the JSON and CSV encoders wrap it in their own), so a
/// caller asks one type whether the reader went away; any other error as
/// it is. Its text stays the encoder's.
pub fn io_first(error: anyhow::Error) -> anyhow::Error {
    let error = match error.downcast::<serde_json::Error>() {
        Ok(json) => match json.io_error_kind() {
            Some(kind) => return std::io::Error::new(kind, json).into(),
            None => return json.into(),
        },
        Err(error) => error,
    };
    match error.downcast::<csv::Error>() {
        Ok(csv) => match csv.kind() {
            csv::ErrorKind::Io(io) => std::io::Error::new(io.kind(), csv).into(),
            _ => csv.into(),
        },
        Err(error) => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_name_formats() {
        let of = |name: &str| Format::from_extension(Path::new(name));
        assert_eq!(of("/srv/reports/2026-11-27.xlsx"), Some(Format::Xlsx));
        assert_eq!(of("report.HTML"), Some(Format::Html));
        assert_eq!(of("report.htm"), Some(Format::Html));
        assert_eq!(of("report.md"), Some(Format::Markdown));
        assert_eq!(of("report.csv"), Some(Format::Csv));
        assert_eq!(of("report.jsonl"), Some(Format::Jsonl));
        assert_eq!(of("junit.xml"), Some(Format::Junit));
        assert_eq!(of("report.json"), Some(Format::Json));
        assert_eq!(of("report.txt"), Some(Format::Table));
        assert_eq!(of("report"), None);
        assert_eq!(of("report.pdf"), None);
        assert_eq!(of("report.xls"), None);
    }

    #[test]
    fn only_the_workbook_is_binary() {
        assert!(Format::Xlsx.is_binary() && !Format::Html.is_binary());
    }
}

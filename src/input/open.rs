//! Which reader a file needs: an HTML table saved as a spreadsheet (told by
//! its content), CSV, or a workbook (by its extension).

use super::reason::{NotExport, OwnReport};
use super::source::RowSource;
use super::{csv_source, discover, html_source, sheet_source};
use anyhow::Context;
use std::path::Path;

pub(super) struct Opened {
    pub(super) source: Box<dyn RowSource + Send>,
    /// A CSV file's encoding and delimiter.
    pub(super) csv: Option<(csv_source::Encoding, u8)>,
    pub(super) format: &'static str,
    pub(super) encoding: Option<&'static str>,
    pub(super) delimiter: Option<char>,
    pub(super) sheet: Option<String>,
    /// What a reader should know of how the file was opened.
    pub(super) note: Option<super::reason::FileNote>,
}

pub(super) fn open(path: &Path, sheet: Option<&str>) -> anyhow::Result<Opened> {
    let Some(format) = discover::format_of(path) else {
        if is_json_report(&read_start(path, REPORT_SAMPLE_BYTES)?) {
            return Err(own_report(path, OwnReport::Json).into());
        }
        anyhow::bail!(
            "{}: unsupported file type; crm-audit reads .csv, .xlsx, .xls and .ods files",
            path.display()
        );
    };
    let start = read_start(path, html_source::SAMPLE_BYTES)?;
    if is_html_report(&start) {
        return Err(own_report(path, OwnReport::Html).into());
    }
    // Bitrix24's "Excel" export is an HTML table saved as .xls: told by its
    // content, whatever the extension says.
    if html_source::looks_like_html(&start) {
        let html = html_source::HtmlSource::open(path)?;
        return Ok(Opened {
            format: "html",
            encoding: Some(html.encoding),
            delimiter: None,
            sheet: None,
            note: None,
            csv: None,
            source: Box::new(html),
        });
    }
    if format == "csv" {
        let csv = csv_source::CsvSource::open(path)?;
        Ok(Opened {
            format,
            encoding: Some(csv.encoding.as_str()),
            delimiter: Some(char::from(csv.delimiter)),
            sheet: None,
            note: None,
            csv: Some((csv.encoding, csv.delimiter)),
            source: Box::new(csv),
        })
    } else {
        let sheet_source = sheet_source::SheetSource::open(path, sheet)?;
        Ok(Opened {
            format,
            encoding: None,
            delimiter: None,
            sheet: Some(sheet_source.sheet.clone()),
            note: sheet_source.note.clone(),
            csv: None,
            source: Box::new(sheet_source),
        })
    }
}

/// How much of a file tells a report of crm-audit's own by its start.
const REPORT_SAMPLE_BYTES: usize = 256;

/// A report of crm-audit's own, left where the exports are.
fn own_report(path: &Path, which: OwnReport) -> super::recognize::Unrecognised {
    super::recognize::Unrecognised {
        path: path.display().to_string(),
        reason: NotExport::OwnReport(which),
    }
}

/// The JSON report: an object whose first key is `schema_version`, then
/// `tool` (named `crm-audit`), as `report::json` writes it.
fn is_json_report(start: &[u8]) -> bool {
    let text = String::from_utf8_lossy(start);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.starts_with("{\"schema_version\":")
        && compact.contains("\"tool\":{\"name\":\"crm-audit\"")
}

/// The HTML report names its generator in its head.
fn is_html_report(start: &[u8]) -> bool {
    String::from_utf8_lossy(start).contains(r#"<meta name="generator" content="crm-audit "#)
}

/// The first `n` bytes of a file (fewer if it is shorter).
fn read_start(path: &Path, n: usize) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut start = Vec::with_capacity(n);
    file.take(n as u64)
        .read_to_end(&mut start)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(start)
}

//! Which reader a file needs: an HTML table saved as a spreadsheet (told by
//! its content), CSV, or a workbook (by its extension).

use super::source::RowSource;
use super::{csv_source, discover, html_source, sheet_source};
use anyhow::{anyhow, Context};
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
    pub(super) note: Option<String>,
}

pub(super) fn open(path: &Path, sheet: Option<&str>) -> anyhow::Result<Opened> {
    let format = discover::format_of(path).ok_or_else(|| {
        anyhow!(
            "{}: unsupported file type; crm-audit reads .csv, .xlsx, .xls and .ods files",
            path.display()
        )
    })?;
    // Bitrix24's "Excel" export is an HTML table saved as .xls: told by its
    // content, whatever the extension says.
    if html_source::looks_like_html(&read_start(path, html_source::SAMPLE_BYTES)?) {
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

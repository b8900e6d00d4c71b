//! Turns a CSV deal export into an XLSX workbook, the way amoCRM writes one.
//!
//! The bundled example data keeps its deal export as a hand-written CSV
//! (`examples/amocrm/source/deals.csv`); this program produces the XLSX twin
//! (`examples/amocrm/deals.xlsx`) from it:
//!
//! ```text
//! cargo run --example csv_to_xlsx -- IN.csv OUT.xlsx [--date-columns "Дата создания"]
//! ```
//!
//! The input is UTF-8 (a BOM is allowed), comma-delimited, RFC 4180 quoting,
//! with a header row. The workbook gets one sheet, `Сделки`. Every cell is
//! written as a text string, except the cells of the columns named in
//! `--date-columns` (a comma-separated list of header names): their
//! `dd.mm.yyyy hh:mm:ss` values become real Excel date-time cells with the
//! number format `dd.mm.yyyy hh:mm:ss`, as real amoCRM files sometimes carry
//! them. Empty CSV cells are left blank. The workbook's creation time is
//! fixed, so the same CSV always gives the same bytes.

use std::error::Error;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

const USAGE: &str = "usage: csv_to_xlsx IN.csv OUT.xlsx [--date-columns \"Column A,Column B\"]";

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output, date_columns) = match args.as_slice() {
        [input, output] => (input, output, Vec::new()),
        [input, output, flag, list] if flag == "--date-columns" => (
            input,
            output,
            list.split(',').map(|s| s.trim().to_string()).collect(),
        ),
        _ => return Err(USAGE.into()),
    };

    let mut reader = csv::Reader::from_path(input)?;
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        // The first header may carry a BOM; it does not belong in the sheet.
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    for name in &date_columns {
        if !headers.iter().any(|h| h.trim() == name) {
            return Err(format!("no column named {name:?} in {input}").into());
        }
    }
    let is_date: Vec<bool> = headers
        .iter()
        .map(|h| date_columns.iter().any(|name| name == h.trim()))
        .collect();

    let mut workbook = Workbook::new();
    // A fixed creation time keeps the output byte-for-byte reproducible.
    let created = ExcelDateTime::from_ymd(2026, 11, 27)?.and_hms(1, 55, 0)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = workbook.add_worksheet();
    sheet.set_name("Сделки")?;
    let date_format = Format::new().set_num_format("dd.mm.yyyy hh:mm:ss");
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, u16::try_from(col)?, header)?;
    }
    for (index, record) in reader.records().enumerate() {
        let record = record?;
        let row = u32::try_from(index + 1)?;
        for (col, value) in record.iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            if is_date.get(col) == Some(&true) {
                let when = parse_date_time(value)
                    .ok_or_else(|| format!("record {row}: not dd.mm.yyyy hh:mm:ss: {value:?}"))?;
                sheet.write_datetime_with_format(row, u16::try_from(col)?, &when, &date_format)?;
            } else {
                sheet.write_string(row, u16::try_from(col)?, value)?;
            }
        }
    }
    workbook.save(output)?;
    Ok(())
}

/// Parses `dd.mm.yyyy hh:mm:ss` into an Excel date-time.
fn parse_date_time(text: &str) -> Option<ExcelDateTime> {
    let (date, time) = text.trim().split_once(' ')?;
    let mut d = date.split('.').map(str::parse::<u16>);
    let mut t = time.split(':').map(str::parse::<u16>);
    let (day, month, year) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let (hour, min, sec) = (t.next()?.ok()?, t.next()?.ok()?, t.next()?.ok()?);
    if d.next().is_some() || t.next().is_some() {
        return None;
    }
    ExcelDateTime::from_ymd(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
        .ok()?
        .and_hms(hour, u8::try_from(min).ok()?, sec)
        .ok()
}

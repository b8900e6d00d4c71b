//! The floor under the benchmark (`bench/run.sh`): the least work that any
//! audit of the same files must do, which is reading their bytes.
//!
//! ```text
//! cargo run --release --example read_limit -- FILE.csv... [--xlsx FILE.xlsx]
//! ```
//!
//! Each CSV file is read once with the `csv` crate into one reused
//! `ByteRecord` (no headers, flexible row lengths, the delimiter `;` or `,`
//! chosen by which occurs more often in the first line), and its row count is
//! printed: no decoding, no validation, no values. With `--xlsx FILE`, the
//! workbook is opened with calamine (`open_workbook_auto`), its first sheet
//! read whole with `worksheet_range`, and its rows counted: calamine's own
//! cost, under any tool that reads spreadsheets through it.

use calamine::{open_workbook_auto, Reader};
use std::error::Error;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

const USAGE: &str = "usage: read_limit FILE.csv... [--xlsx FILE.xlsx]";

/// `;` when the first line has more semicolons than commas, else `,`.
fn delimiter(path: &Path) -> Result<u8, Box<dyn Error>> {
    let mut first = Vec::new();
    BufReader::new(File::open(path)?).read_until(b'\n', &mut first)?;
    let count = |d: u8| first.iter().filter(|&&b| b == d).count();
    Ok(if count(b';') > count(b',') {
        b';'
    } else {
        b','
    })
}

fn count_csv(path: &Path) -> Result<u64, Box<dyn Error>> {
    let delimiter = delimiter(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(File::open(path)?);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    while reader.read_byte_record(&mut record)? {
        rows += 1;
    }
    Ok(rows)
}

fn count_xlsx(path: &Path) -> Result<u64, Box<dyn Error>> {
    let mut book = open_workbook_auto(path)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or("the workbook has no sheets")?;
    let range = book.worksheet_range(&first)?;
    Ok(range.rows().count() as u64)
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mut csvs = Vec::new();
    let mut xlsx = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--xlsx" => xlsx = Some(args.next().ok_or(USAGE)?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ => csvs.push(arg),
        }
    }
    if csvs.is_empty() && xlsx.is_none() {
        return Err(USAGE.into());
    }
    let mut total = 0;
    for file in &csvs {
        let rows = count_csv(Path::new(file))?;
        println!("{file}: {rows} rows");
        total += rows;
    }
    if let Some(file) = &xlsx {
        let rows = count_xlsx(Path::new(file))?;
        println!("{file}: {rows} rows (first sheet)");
        total += rows;
    }
    println!("total: {total} rows");
    Ok(())
}

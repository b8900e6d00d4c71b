//! Keeps the bundled amoCRM example's XLSX deal export in step with its source.
//!
//! `examples/amocrm/deals.xlsx` is generated from the hand-written
//! `examples/amocrm/source/deals.csv` by
//! `cargo run --example csv_to_xlsx -- examples/amocrm/source/deals.csv examples/amocrm/deals.xlsx --date-columns "Дата создания"`.
//! This test reads both files and demands that they hold the same table, cell
//! by cell: text cells equal the CSV text, empty CSV cells are blank, and the
//! `Дата создания` column holds real Excel date-time cells that print back as
//! the CSV's `dd.mm.yyyy hh:mm:ss` text. If it fails, edit the CSV and run the
//! command above again.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

const DATE_COLUMN: &str = "Дата создания";

fn example(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/amocrm")
        .join(path)
}

/// The CSV source: every record, header first.
fn csv_rows() -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(example("source/deals.csv"))
        .expect("open source/deals.csv");
    reader
        .records()
        .map(|r| {
            r.expect("read a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Prints an Excel date-time cell as `dd.mm.yyyy hh:mm:ss`.
fn format_date_time(cell: &calamine::ExcelDateTime) -> String {
    let (year, month, day, hour, min, sec, _milli) = cell.to_ymd_hms_milli();
    format!("{day:02}.{month:02}.{year:04} {hour:02}:{min:02}:{sec:02}")
}

#[test]
fn deals_xlsx_matches_its_csv_source() {
    let csv = csv_rows();
    assert_eq!(csv.len(), 61, "the source holds a header and 60 deals");
    let header = &csv[0];
    let date_col = header
        .iter()
        .position(|h| h == DATE_COLUMN)
        .expect("the source has a «Дата создания» column");

    let mut workbook = open_workbook_auto(example("deals.xlsx")).expect("open deals.xlsx");
    assert_eq!(workbook.sheet_names(), vec!["Сделки".to_string()]);
    let sheet = workbook
        .worksheet_range_at(0)
        .expect("deals.xlsx has a sheet")
        .expect("read the first sheet");
    assert_eq!(sheet.start(), Some((0, 0)), "the table starts at A1");
    assert_eq!(
        sheet.get_size(),
        (csv.len(), header.len()),
        "the sheet and the CSV have the same rows and columns"
    );

    let mut date_cells = 0;
    for (r, row) in csv.iter().enumerate() {
        assert_eq!(row.len(), header.len(), "CSV record {r} is ragged");
        for (c, text) in row.iter().enumerate() {
            let cell = sheet.get((r, c)).unwrap_or(&Data::Empty);
            let at = format!("row {}, column «{}»", r + 1, header[c]);
            match cell {
                Data::Empty => assert!(text.is_empty(), "{at}: blank cell, CSV has {text:?}"),
                Data::String(s) => {
                    assert!(
                        r == 0 || c != date_col,
                        "{at}: a text cell where a date cell belongs"
                    );
                    assert_eq!(s, text, "{at}");
                }
                Data::DateTime(when) => {
                    assert!(r > 0 && c == date_col, "{at}: unexpected date cell");
                    assert_eq!(&format_date_time(when), text, "{at}");
                    date_cells += 1;
                }
                other => panic!("{at}: unexpected cell {other:?}, CSV has {text:?}"),
            }
        }
    }
    assert_eq!(
        date_cells,
        csv.len() - 1,
        "every deal's «Дата создания» is a real date cell"
    );
}

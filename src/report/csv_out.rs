//! The CSV format: one row per violation, every column a plain value, for
//! a spreadsheet or a script: `when` is the due moment or the day (ISO
//! 8601), `details` the JSON report's specifics as compact JSON. UTF-8, comma-separated, quoted as RFC 4180
//! says, lines ending in LF; or, for Excel in a Russian locale, with a BOM,
//! `;` between fields and `,` before a budget's decimals. Text that a
//! spreadsheet would take for a formula is guarded.

use super::guard::csv_text;
use super::history::ViolationStatus;
use super::{text, CsvDialect, Report};
use crate::history::Status;
use std::io::Write;

/// The columns, in order.
pub const HEADER: [&str; 18] = [
    "as_of",
    "manager",
    "code",
    "rule",
    "clause",
    "severity",
    "entity_kind",
    "entity_id",
    "deal_id",
    "deal_name",
    "stage",
    "budget",
    "message",
    "when",
    "details",
    "url",
    "source",
    "fingerprint",
];

/// The columns appended with a history or a baseline: `new` or `open`,
/// the audit moment of the run it was first seen in (RFC 3339), and the
/// runs in a row it has been seen in, tonight's included.
pub const HISTORY_HEADER: [&str; 3] = ["status", "since", "runs"];

fn status_cells(status: Option<&ViolationStatus>) -> [String; 3] {
    match status {
        Some(Status::New) => ["new".to_string(), String::new(), String::new()],
        Some(Status::Open { since, runs }) => ["open".to_string(), since.clone(), runs.to_string()],
        None => Default::default(),
    }
}

pub fn write(report: &Report, dialect: CsvDialect, out: &mut dyn Write) -> anyhow::Result<()> {
    let excel = dialect == CsvDialect::Excel;
    if excel {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut csv = csv::WriterBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .from_writer(out);
    let history = report.history.is_some();
    let mut header = HEADER.to_vec();
    if history {
        header.extend(HISTORY_HEADER);
    }
    csv.write_record(header)?;
    for v in report.violations.iter() {
        let deal = text::deal_of(&v.entity);
        let when = match v.details.when() {
            Some((t, true)) => t.format("%Y-%m-%dT%H:%M").to_string(),
            Some((t, false)) => t.format("%Y-%m-%d").to_string(),
            None => String::new(),
        };
        let source = v
            .source
            .as_ref()
            .map(|s| format!("{}:{}", s.file, s.row))
            .unwrap_or_default();
        let budget = v.entity.budget.map(|b| b.to_string()).unwrap_or_default();
        let budget = if excel {
            budget.replace('.', ",")
        } else {
            budget
        };
        let record: [&str; 18] = [
            &report.as_of,
            &v.manager,
            &v.code,
            v.rule,
            &v.clause,
            v.severity.as_str(),
            v.entity.kind.as_str(),
            &v.entity.id,
            deal.id.unwrap_or(""),
            deal.name.unwrap_or(""),
            deal.stage.unwrap_or(""),
            &budget,
            &v.message,
            &when,
            &v.details.to_json_line(),
            v.entity.url.as_deref().unwrap_or(""),
            &source,
            &v.fingerprint,
        ];
        // Field by field: no copy of a cell that needs no guard.
        for cell in record {
            csv.write_field(csv_text(cell).as_bytes())?;
        }
        if history {
            // `since` may come from a baseline report: guarded as any text.
            for cell in status_cells(v.status.as_ref()) {
                csv.write_field(csv_text(&cell).as_bytes())?;
            }
        }
        csv.write_record(None::<&[u8]>)?;
    }
    csv.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::guard::FORMULA_PREFIXES;
    use super::super::sample;
    use super::*;

    fn rows(report: &Report) -> Vec<csv::StringRecord> {
        let mut out = Vec::new();
        write(report, CsvDialect::Plain, &mut out).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_slice());
        reader.records().map(Result::unwrap).collect()
    }

    fn column(name: &str) -> usize {
        HEADER.iter().position(|h| *h == name).unwrap()
    }

    #[test]
    fn one_row_per_violation_under_the_header() {
        let rows = rows(&sample::report());
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].iter().collect::<Vec<_>>(), HEADER);
        let task = &rows[1];
        assert_eq!(&task[column("entity_id")], "T-1");
        assert_eq!(&task[column("deal_id")], "101");
        assert_eq!(&task[column("deal_name")], "Радиаторы для дома");
        assert_eq!(&task[column("when")], "2026-11-24T15:00");
        assert_eq!(
            &task[column("details")],
            r#"{"due":"24.11.2026 15:00","late_minutes":3540}"#
        );
        let deal = &rows[2];
        assert_eq!(&deal[column("budget")], "187000");
        assert_eq!(
            &deal[column("url")],
            "https://example.amocrm.ru/leads/detail/101"
        );
        let day = &rows[3];
        assert_eq!(&day[column("when")], "2026-11-26");
        assert_eq!(
            &day[column("details")],
            r#"{"date":"2026-11-26","count":31,"limit":40,"calls":29,"letters":2}"#
        );
        assert_eq!(&day[column("source")], "deals.csv:2");
    }

    #[test]
    fn the_excel_dialect_has_a_bom_semicolons_and_decimal_commas() {
        let mut report = sample::report();
        report.violations.to_mut()[1].entity.budget = Some(187000.5);
        let mut out = Vec::new();
        write(&report, CsvDialect::Excel, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let body = text.strip_prefix('\u{feff}').expect("a BOM first");
        assert!(body.starts_with("as_of;manager;code;rule;"), "{body}");
        let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(&rows[2][column("budget")], "187000,5");
        assert_eq!(&rows[1][column("deal_name")], "Радиаторы для дома");
        // The plain dialect keeps the point, the commas and no BOM.
        let mut plain = Vec::new();
        write(&report, CsvDialect::Plain, &mut plain).unwrap();
        assert!(plain.starts_with(b"as_of,manager,"));
        assert!(String::from_utf8(plain).unwrap().contains(",187000.5,"));
    }

    #[test]
    fn status_columns_come_last_and_only_with_a_history() {
        let width = HEADER.len();
        let tail =
            |r: &csv::StringRecord| r.iter().skip(width).map(String::from).collect::<Vec<_>>();
        let history = rows(&sample::with_history());
        assert_eq!(history[0].len(), width + 3);
        assert_eq!(tail(&history[0]), ["status", "since", "runs"]);
        assert_eq!(tail(&history[1]), ["new", "", ""]);
        assert_eq!(
            tail(&history[2]),
            ["open", "2026-11-25T02:00:00+03:00", "3"]
        );
        assert_eq!(&history[2][column("fingerprint")], "0123456789abcdef");
        assert!(rows(&sample::report()).iter().all(|r| r.len() == width));
    }

    /// The deal name column of every row that names the deal.
    fn guarded_name(prefix: char) {
        assert!(FORMULA_PREFIXES.contains(&prefix));
        let name = format!("{prefix}HYPERLINK(\"http://evil\";\"click\")");
        let rows = rows(&sample::with_deal_name(&name));
        for row in &rows[1..3] {
            assert_eq!(&row[column("deal_name")], format!("'{name}"));
        }
    }

    #[test]
    fn guards_equals() {
        guarded_name('=');
    }

    #[test]
    fn guards_plus() {
        guarded_name('+');
    }

    #[test]
    fn guards_minus() {
        guarded_name('-');
    }

    #[test]
    fn guards_at() {
        guarded_name('@');
    }

    #[test]
    fn guards_tab() {
        guarded_name('\t');
    }

    #[test]
    fn guards_carriage_return() {
        guarded_name('\r');
    }
}

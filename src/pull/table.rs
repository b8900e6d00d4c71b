//! A snapshot's CSV file as a person would save it from the CRM for Excel
//! in a Russian locale: UTF-8 with a BOM, `;` between cells, CRLF, quotes
//! only where a cell needs them. The audit reads the same bytes.

/// A table being built: its header and rows, every row as long as the
/// header.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: Vec<String>) -> Table {
        Table {
            header,
            rows: Vec::new(),
        }
    }

    /// Adds a row; a short one is padded with empty cells.
    pub fn push(&mut self, mut row: Vec<String>) {
        debug_assert!(row.len() <= self.header.len());
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
    }

    /// Data rows (the header not counted).
    pub fn len(&self) -> u64 {
        self.rows.len() as u64
    }

    pub fn to_bytes(&self) -> anyhow::Result<Vec<u8>> {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut writer = csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            writer.write_record(&self.header)?;
            for row in &self.rows {
                writer.write_record(row)?;
            }
            writer.flush()?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_semicolons_crlf_and_quotes_where_needed() {
        let mut table = Table::new(vec!["ID".into(), "Название".into(), "Телефон".into()]);
        table.push(vec!["1".into(), "Дом; 10 шт.".into()]);
        assert_eq!(
            String::from_utf8(table.to_bytes().unwrap()).unwrap(),
            "\u{feff}ID;Название;Телефон\r\n1;\"Дом; 10 шт.\";\r\n"
        );
        assert_eq!(table.len(), 1);
    }
}

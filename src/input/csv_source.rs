//! CSV files as users download them: the encoding (UTF-8 with or without a
//! BOM, else Windows-1251) and the delimiter (`,` `;` tab) are detected from
//! the start of the file; quoted fields may hold delimiters and line breaks.
//!
//! Rows are read into one reused record, as the csv crate recommends for
//! speed; the encoding is converted while streaming, never by loading the
//! whole file.

use super::source::{Cell, RowSource};
use anyhow::{bail, Context};
use encoding_rs::{Decoder, WINDOWS_1251};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// How much of the start of a file is looked at to detect its encoding and
/// delimiter.
const SAMPLE_BYTES: usize = 256 * 1024;

/// The text encodings a CSV file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Windows1251,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Windows1251 => "Windows-1251",
        }
    }
}

/// A CSV file opened for reading rows.
pub struct CsvSource {
    path: PathBuf,
    pub encoding: Encoding,
    pub delimiter: u8,
    reader: csv::Reader<Box<dyn Read>>,
    record: csv::ByteRecord,
    line: u64,
}

impl CsvSource {
    pub fn open(path: &Path) -> anyhow::Result<CsvSource> {
        let sample = read_sample(path)?;
        let encoding = detect_encoding(&sample);
        let text = match encoding {
            Encoding::Utf8 => String::from_utf8_lossy(&sample).into_owned(),
            Encoding::Utf8Bom => String::from_utf8_lossy(&sample[3..]).into_owned(),
            Encoding::Windows1251 => WINDOWS_1251
                .decode_without_bom_handling(&sample)
                .0
                .into_owned(),
        };
        let delimiter = detect_delimiter(&text);
        let reader = open_reader(path, encoding, delimiter)?;
        Ok(CsvSource {
            path: path.to_path_buf(),
            encoding,
            delimiter,
            reader,
            record: csv::ByteRecord::new(),
            line: 0,
        })
    }
}

fn read_sample(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    file.take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(sample)
}

fn open_reader(
    path: &Path,
    encoding: Encoding,
    delimiter: u8,
) -> anyhow::Result<csv::Reader<Box<dyn Read>>> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let input: Box<dyn Read> = match encoding {
        Encoding::Utf8 => Box::new(file),
        Encoding::Utf8Bom => {
            file.seek(SeekFrom::Start(3))?;
            Box::new(file)
        }
        Encoding::Windows1251 => Box::new(DecodingReader::new(
            file,
            WINDOWS_1251.new_decoder_without_bom_handling(),
        )),
    };
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input))
}

/// UTF-8 (a BOM says so; otherwise the sample must be valid UTF-8, allowing
/// a character cut at the sample's end), else Windows-1251, the encoding
/// Excel uses when it re-saves a CSV on a Russian Windows.
pub fn detect_encoding(sample: &[u8]) -> Encoding {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8Bom;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => Encoding::Utf8,
        Err(e) if e.error_len().is_none() && sample.len() >= SAMPLE_BYTES => Encoding::Utf8,
        Err(_) => Encoding::Windows1251,
    }
}

/// The delimiter that splits the first lines most consistently: for each
/// candidate, the most common non-zero count per line (outside quotes),
/// weighted by how many lines share it; ties go to `,` then `;` then tab.
pub fn detect_delimiter(text: &str) -> u8 {
    let candidates = [b',', b';', b'\t'];
    let mut best = (b',', 0usize);
    for &delimiter in &candidates {
        let counts = counts_per_line(text, delimiter, 30);
        let mut tally: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for c in counts.into_iter().filter(|&c| c > 0) {
            *tally.entry(c).or_default() += 1;
        }
        // Score: lines agreeing on a count, times that count (more columns
        // in agreement beats a stray comma in a title line).
        let score = tally
            .iter()
            .map(|(count, lines)| lines * 1000 + count)
            .max()
            .unwrap_or(0);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

fn counts_per_line(text: &str, delimiter: u8, max_lines: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut in_quotes = false;
    let mut count = 0;
    for &b in text.as_bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                counts.push(count);
                count = 0;
                if counts.len() == max_lines {
                    return counts;
                }
            }
            b if b == delimiter && !in_quotes => count += 1,
            _ => {}
        }
    }
    if count > 0 {
        counts.push(count);
    }
    counts
}

impl RowSource for CsvSource {
    fn next_row(&mut self) -> anyhow::Result<bool> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .with_context(|| format!("{}: cannot read CSV", self.path.display()))?;
        if !more {
            return Ok(false);
        }
        self.line = self.record.position().map_or(self.line + 1, |p| p.line());
        for (i, field) in self.record.iter().enumerate() {
            if std::str::from_utf8(field).is_err() {
                bail!(
                    "{}, line {}, column {}: the text is not valid {} (was the file re-saved in another encoding?)",
                    self.path.display(),
                    self.line,
                    super::source::column_letter(i),
                    self.encoding.as_str()
                );
            }
        }
        Ok(true)
    }

    fn cell(&self, index: usize) -> Cell<'_> {
        match self.record.get(index) {
            // Checked in next_row.
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) if !text.trim().is_empty() => Cell::Text(text),
                _ => Cell::Empty,
            },
            None => Cell::Empty,
        }
    }

    fn width(&self) -> usize {
        // Bitrix24 ends every line with a delimiter: that last empty field is no column.
        self.record.len()
    }

    fn row_number(&self) -> u64 {
        self.line
    }

    fn rewind(&mut self) -> anyhow::Result<()> {
        self.reader = open_reader(&self.path, self.encoding, self.delimiter)?;
        self.line = 0;
        Ok(())
    }

    fn row_word(&self) -> &'static str {
        "line"
    }
}

/// Converts a byte stream to UTF-8 while it is read.
struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    finished: bool,
}

impl<R: Read> DecodingReader<R> {
    fn new(inner: R, decoder: Decoder) -> Self {
        DecodingReader {
            inner,
            decoder,
            input: vec![0; 64 * 1024],
            output: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            finished: false,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_start == self.out_end && !self.finished {
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            // A single-byte encoding: every input byte decodes on its own,
            // and the output buffer holds three bytes for each.
            let (_, read, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[..n], &mut self.output, last);
            debug_assert_eq!(read, n);
            self.out_start = 0;
            self.out_end = written;
            self.finished = last;
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFID;x"), Encoding::Utf8Bom);
        assert_eq!(detect_encoding("ID,Этап".as_bytes()), Encoding::Utf8);
        // "Этап" in Windows-1251.
        assert_eq!(
            detect_encoding(b"ID;\xDD\xF2\xE0\xEF"),
            Encoding::Windows1251
        );
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a;b;c\n1;\"2,5\";3\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        // A title line with a comma above a semicolon table.
        assert_eq!(
            detect_delimiter("Отчет, ноябрь\nID;Срок;Выполнена\n1;2;3\n4;5;6\n"),
            b';'
        );
        // A quoted note with semicolons does not fool it.
        assert_eq!(
            detect_delimiter("ID,Примечание\n1,\"a; b; c; d\"\n2,x\n"),
            b','
        );
    }

    #[test]
    fn windows_1251_decodes_while_streaming() {
        let bytes: &[u8] = b"\xDD\xF2\xE0\xEF;\xD1\xF0\xEE\xEA";
        let mut out = String::new();
        DecodingReader::new(bytes, WINDOWS_1251.new_decoder_without_bom_handling())
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "Этап;Срок");
    }
}

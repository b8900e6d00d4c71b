//! CSV files as users download them: the encoding (UTF-8 with or without a
//! BOM, else Windows-1251) and the delimiter (`,` `;` tab) are detected from
//! the start of the file; quoted fields may hold delimiters and line breaks.
//!
//! Rows are parsed into one reused buffer (no allocation per row): a plain
//! record by `plain_record`, every other by `csv_core`; the encoding is
//! converted while streaming, never by loading the whole file. The reader
//! counts lines itself: the `csv` crate's record positions lag by one on
//! CRLF files and point at the blank line before a record, and an error or
//! a report must name the line a text editor shows.

use super::error::{Column, InputError, Problem};
use super::plain_record::{plain_record, Bounds};
use super::planned::{Changed, Planned};
use super::source::{Cell, RowSource};
use crate::progress::Progress;
use anyhow::{bail, Context};
use encoding_rs::{Decoder, WINDOWS_1251};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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
    /// Where the text starts: after the byte order mark, if any.
    pub fn data_start(self) -> u64 {
        match self {
            Encoding::Utf8Bom => 3,
            Encoding::Utf8 | Encoding::Windows1251 => 0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Windows1251 => "Windows-1251",
        }
    }
}

/// A stretch of a CSV file for one reader: from `start`, the start of a
/// line, to the first of `ends` (none: the end of the file), read on into
/// the later ones while a record is open there. Lines are numbered from
/// `first_line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub start: u64,
    pub ends: Vec<u64>,
    pub first_line: u64,
}

impl Stretch {
    /// From `start` to the end of the file, lines numbered from 1.
    pub fn whole(start: u64) -> Stretch {
        Stretch {
            start,
            ends: Vec::new(),
            first_line: 1,
        }
    }
}

/// A CSV file opened for reading rows.
pub struct CsvSource {
    path: PathBuf,
    pub encoding: Encoding,
    pub delimiter: u8,
    /// The file's size when it was opened (or planned): it must not change.
    size: u64,
    rows: Rows,
    /// The current record's fields read, as checked text (one buffer,
    /// reused), and where each field is in it.
    text: String,
    spans: Vec<(usize, usize)>,
    /// The columns read (`None`: all); the others cannot stop the audit
    /// with bytes that are not text.
    columns: Option<Vec<bool>>,
    /// The same columns, in order (none when all are read).
    read_list: Vec<usize>,
}

/// The span of a field that is not read.
const NOT_READ: (usize, usize) = (usize::MAX, usize::MAX);

/// How many bytes a reader asks the file for at a time: large enough that
/// the calls cost nothing next to parsing.
const READ_BYTES: usize = 256 * 1024;

/// A stretch's reading buffer and parser, kept for the stretches after
/// it: a new buffer is zeroed and its pages faulted in one by one, a new
/// parser builds its tables (about 250k instructions, as many as splitting
/// a thousand rows), and a file is read in dozens of stretches.
struct Spare {
    buffer: Vec<u8>,
    parser: csv_core::Reader,
    delimiter: u8,
}

/// At most `SPARES_KEPT` are kept.
static SPARES: Mutex<Vec<Spare>> = Mutex::new(Vec::new());

/// More than the readers that run at once on most machines.
const SPARES_KEPT: usize = 8;

/// A parser splitting at `delimiter` as if new and a reading buffer of
/// `READ_BYTES`, spare ones if there are. A spare buffer's old bytes are
/// never read, only what the input puts in it; a spare parser is reset
/// (`csv_core`'s clone of a parser would not do: it loses its tables).
fn parser_and_buffer(delimiter: u8) -> (csv_core::Reader, Vec<u8>) {
    let build = || csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    match SPARES.lock().ok().and_then(|mut spares| spares.pop()) {
        Some(mut spare) if spare.delimiter == delimiter => {
            spare.parser.reset();
            (spare.parser, spare.buffer)
        }
        Some(spare) => (build(), spare.buffer),
        None => (build(), vec![0; READ_BYTES]),
    }
}

impl Drop for Rows {
    fn drop(&mut self) {
        if self.buffer.len() != READ_BYTES {
            return;
        }
        let Ok(mut spares) = SPARES.lock() else {
            return;
        };
        if spares.len() < SPARES_KEPT {
            spares.push(Spare {
                buffer: std::mem::take(&mut self.buffer),
                parser: std::mem::take(&mut self.parser),
                delimiter: self.delimiter,
            });
        }
    }
}

/// `problem` on `line` of the file at `path`.
fn line_error(path: &Path, line: u64, problem: Problem) -> InputError {
    InputError {
        file: path.display().to_string(),
        row_word: super::error::RowWord::Line,
        row: line,
        column: None,
        problem,
    }
}

/// A record that cannot be read, and the line that says where.
#[derive(Debug)]
enum BadRecord {
    /// A quoted field still open at the end of the file: the line its
    /// quote opened on.
    UnclosedQuote { line: u64 },
    /// A record longer than the limit, from its first line.
    TooLong { line: u64, max: usize },
}

impl BadRecord {
    /// The line, and what is wrong there.
    fn at(&self) -> (u64, Problem) {
        match *self {
            BadRecord::UnclosedQuote { line } => (line, Problem::UnclosedQuote),
            BadRecord::TooLong { line, max } => (line, Problem::TooLong { max }),
        }
    }
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (line, problem) = self.at();
        write!(f, "line {line}: {problem}")
    }
}

impl std::error::Error for BadRecord {}

/// Records parsed from a byte stream, with the line each starts on.
struct Rows {
    input: Box<dyn Read + Send>,
    parser: csv_core::Reader,
    /// Bytes to parse: `buffer[start..end]`.
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// The current record's bytes, its fields at `starts[i]..ends[i]` in
    /// them: as `csv_core` writes them (one after another), or a plain
    /// record split in place (`plain_record`). `length`: how many bytes.
    fields: Vec<u8>,
    starts: Vec<usize>,
    ends: Vec<usize>,
    count: usize,
    length: usize,
    /// The plain record's fields with quotes doubled (`plain_record`).
    doubled: Vec<usize>,
    /// Where in `buffer` the current record's bytes start, when it is a
    /// plain record read where it lies (`plain_record`): its fields are
    /// then at `starts[i]..ends[i]` from there, not in `fields`.
    in_buffer: Option<usize>,
    /// Whether `csv_core` has been given input: until then it would take a
    /// byte order mark off the first record, which a plain record does not.
    parser_started: bool,
    /// Whether plain records may be split without `csv_core` (always, but
    /// in the tests that hold the two ways to each other).
    plain: bool,
    /// The current record's bytes as read (quotes and all), to tell at the
    /// end of the file whether a quote is still open: those of earlier
    /// buffers, then `buffer[raw_from..start]`.
    raw: Vec<u8>,
    raw_from: usize,
    delimiter: u8,
    /// The longest record read (`files::MAX_RECORD_BYTES`).
    max_record: usize,
    /// 1 + the line breaks consumed so far.
    line: u64,
    /// The line the current record starts on.
    record_line: u64,
    /// Empty lines met before the current record (or the end).
    blank_lines: Vec<u64>,
    /// The last record ended with a CR whose LF is still to come.
    pending_lf: bool,
    /// The file offset of the next byte to read, and where this reader's
    /// stretch of the file ends (`u64::MAX`: at the end of the file).
    pos: u64,
    limit: u64,
    /// Where the following stretches end, nearest first: a record that is
    /// still open at `limit` (a quoted line break fell on the boundary)
    /// is read on into them, and each one so taken over is `absorbed`.
    later_ends: std::collections::VecDeque<u64>,
    absorbed: usize,
    /// Where this reader's own stretch ends: bytes read past it belong to
    /// stretches dropped, and are not counted as progress twice.
    own_end: u64,
    /// Read on past the limit even between records (while the header's
    /// records are skipped: they belong to no stretch but the first).
    hold_open: bool,
    progress: Option<Arc<Progress>>,
}

impl Rows {
    fn new(input: Box<dyn Read + Send>, delimiter: u8) -> Self {
        Rows::stretch(input, delimiter, Stretch::whole(0), None)
    }

    /// Rows of one stretch of a file; `input` is positioned at its start.
    fn stretch(
        input: Box<dyn Read + Send>,
        delimiter: u8,
        stretch: Stretch,
        progress: Option<Arc<Progress>>,
    ) -> Self {
        let mut ends: std::collections::VecDeque<u64> = stretch.ends.into();
        let limit = ends.pop_front().unwrap_or(u64::MAX);
        let (mut parser, buffer) = parser_and_buffer(delimiter);
        // `csv_core` takes a byte order mark off the first bytes it is
        // given: only the file's start may lose one. A stretch further on
        // starts its parser past a line feed (an empty line, read as
        // nothing), so a line there keeps its mark as in the whole file.
        let inside = stretch.start > 0;
        if inside {
            parser.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
        }
        Rows {
            input,
            parser,
            buffer,
            start: 0,
            end: 0,
            eof: false,
            fields: vec![0; 4096],
            starts: vec![0; 64],
            ends: vec![0; 64],
            count: 0,
            length: 0,
            doubled: Vec::new(),
            in_buffer: None,
            parser_started: inside,
            plain: true,
            raw: Vec::new(),
            raw_from: 0,
            delimiter,
            max_record: crate::files::MAX_RECORD_BYTES,
            line: stretch.first_line,
            record_line: 0,
            blank_lines: Vec::new(),
            pending_lf: false,
            pos: stretch.start,
            limit,
            later_ends: ends,
            absorbed: 0,
            own_end: limit,
            hold_open: false,
            progress,
        }
    }

    /// Fills the buffer from the input, up to this stretch's limit; at the
    /// limit, a record in progress (`open`) carries on into the next
    /// stretch, else the stretch is done (`eof`).
    fn refill(&mut self, open: bool) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        while self.pos >= self.limit {
            if !open && !self.hold_open {
                self.eof = true;
                return Ok(());
            }
            self.limit = self.later_ends.pop_front().unwrap_or(u64::MAX);
            self.absorbed += 1;
        }
        let room = (self.limit - self.pos).min(self.buffer.len() as u64) as usize;
        self.end = self.input.read(&mut self.buffer[..room])?;
        let read = self.end;
        if let Some(progress) = &self.progress {
            progress.advance((read as u64).min(self.own_end.saturating_sub(self.pos)));
        }
        self.pos += read as u64;
        self.eof = read == 0;
        Ok(())
    }

    /// Reads the next record; `false` at the end of the input.
    fn next(&mut self) -> io::Result<bool> {
        use csv_core::ReadRecordResult::*;
        self.blank_lines.clear();
        if self.next_plain() {
            return Ok(true);
        }
        self.in_buffer = None;
        let (mut out, mut nends) = (0, 0usize);
        let mut started = false;
        self.parser_started = true;
        self.raw.clear();
        self.raw_from = self.start;
        loop {
            if self.start == self.end && !self.eof {
                // The record's bytes so far are kept before the buffer is
                // refilled (most records never see a refill).
                self.raw
                    .extend_from_slice(&self.buffer[self.raw_from..self.end]);
                self.raw_from = 0;
                self.refill(started)?;
                if self.eof && self.start == self.end && self.pos >= self.limit {
                    // The stretch ends between records.
                    return Ok(false);
                }
            }
            if self.eof && self.start == self.end && started && self.in_quotes() {
                // The end of the file inside a quoted field: every line from
                // the quote on would be one cell.
                let before = nends.checked_sub(1).map_or(0, |last| self.ends[last]);
                let opened = self.record_line
                    + memchr::memchr_iter(b'\n', &self.fields[..before]).count() as u64;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    BadRecord::UnclosedQuote { line: opened },
                ));
            }
            let input = &self.buffer[self.start..self.end];
            let (result, nin, nout, nend) =
                self.parser
                    .read_record(input, &mut self.fields[out..], &mut self.ends[nends..]);
            self.count_lines(nin, &mut started);
            self.start += nin;
            // csv_core reports field ends from the record's start, across calls.
            out += nout;
            nends += nend;
            match result {
                InputEmpty => continue,
                OutputFull => {
                    if self.fields.len() >= self.max_record {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            BadRecord::TooLong {
                                line: self.record_line,
                                max: self.max_record,
                            },
                        ));
                    }
                    let grown = (self.fields.len() * 2).min(self.max_record);
                    self.fields.resize(grown, 0);
                }
                OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                Record => {
                    self.count = nends;
                    self.length = self.set_starts();
                    self.pending_lf = nin > 0 && self.buffer[self.start - 1] == b'\r';
                    return Ok(true);
                }
                End => return Ok(false),
            }
        }
    }

    /// Reads the next record without `csv_core` when it is plain: whole in
    /// the buffer, not empty, with no carriage return but one before its
    /// line feed, each field either unquoted without a quote, or quoted
    /// whole (quotes inside doubled, line feeds inside counted). Its fields
    /// read as `csv_core` would write them. Every other record (a quote
    /// left open, text after a closing quote, empty lines before it, cut by
    /// the buffer's end, at the end of the file) is left to `csv_core`,
    /// whose state after a record is the same whether or not plain records
    /// were taken past it.
    fn next_plain(&mut self) -> bool {
        if !(self.plain && self.parser_started) {
            return false;
        }
        let mut from = self.start;
        // The LF of the last record's CRLF (`csv_core` stops at the CR).
        let lf_left = self.pending_lf && self.buffer[from..self.end].first() == Some(&b'\n');
        if lf_left {
            from += 1;
        }
        let bounds = Bounds {
            starts: &mut self.starts,
            ends: &mut self.ends,
            doubled: &mut self.doubled,
        };
        // A record as long as the room for fields is the parser's: it
        // stops with the room full, and past `max_record` that is an error.
        let input = &self.buffer[from..self.end];
        let Some(plain) = plain_record(input, self.delimiter, &mut self.fields, bounds) else {
            return false;
        };
        self.count = plain.count;
        self.length = plain.length;
        self.in_buffer = (!plain.copied).then_some(from);
        self.line += u64::from(lf_left);
        self.record_line = self.line;
        self.line += 1 + plain.breaks;
        self.pending_lf = false;
        self.start = from + plain.next;
        true
    }

    /// Whether the current record's bytes leave a quoted field open: a
    /// line break after them would be part of the field rather than end
    /// the record. (Asked of a fresh parser: `csv_core` does not say, and
    /// a clone of its reader does not keep its state.)
    fn in_quotes(&self) -> bool {
        let mut probe = csv_core::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .build();
        let mut out = vec![0u8; self.raw.len() + 1];
        let mut ends = vec![0usize; self.raw.len() + 2];
        let mut input: &[u8] = &self.raw;
        loop {
            let (result, nin, ..) = probe.read_record(input, &mut out, &mut ends);
            input = &input[nin..];
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                // A record ended before the last one (cannot happen: the
                // bytes are one record), or the output is full.
                _ => return false,
            }
            if input.is_empty() {
                break;
            }
        }
        let (result, ..) = probe.read_record(b"\n", &mut out, &mut ends);
        result == csv_core::ReadRecordResult::InputEmpty
    }

    /// Counts the line breaks in the `consumed` bytes just parsed; the first
    /// byte that is not a line break starts the record. Line breaks before
    /// it, but for the LF that completes the last record's CRLF, end empty
    /// lines.
    fn count_lines(&mut self, consumed: usize, started: &mut bool) {
        let bytes = &self.buffer[self.start..self.start + consumed];
        let mut rest = bytes;
        if !*started {
            let first = bytes.iter().position(|&b| b != b'\n' && b != b'\r');
            let prefix = &bytes[..first.unwrap_or(bytes.len())];
            for &b in prefix {
                if b == b'\n' {
                    if !std::mem::take(&mut self.pending_lf) {
                        self.blank_lines.push(self.line);
                    }
                    self.line += 1;
                } else {
                    self.pending_lf = false;
                }
            }
            rest = &bytes[prefix.len()..];
            if first.is_some() {
                self.record_line = self.line;
                self.pending_lf = false;
                *started = true;
            }
        }
        self.line += memchr::memchr_iter(b'\n', rest).count() as u64;
    }

    /// The bytes of field `index` of the current record (empty past its
    /// last field).
    fn field(&self, index: usize) -> &[u8] {
        if index >= self.count {
            return &[];
        }
        let (from, to) = self.bounds(index);
        &self.bytes()[from..to]
    }

    /// The bytes the current record's fields are read from: the reading
    /// buffer from where a plain record lies, else the record's own.
    fn bytes(&self) -> &[u8] {
        match self.in_buffer {
            Some(at) => &self.buffer[at..],
            None => &self.fields,
        }
    }

    /// Where field `index` (of the current record's `count`) lies in
    /// `fields`.
    fn bounds(&self, index: usize) -> (usize, usize) {
        (self.starts[index], self.ends[index])
    }

    /// The current record's bytes: its fields, and between them nothing
    /// but delimiters and quotes (text exactly when the fields are).
    fn record(&self) -> &[u8] {
        &self.bytes()[..self.length]
    }

    /// Sets where each field of a record `csv_core` wrote starts (where
    /// the one before it ends), and returns the record's length.
    fn set_starts(&mut self) -> usize {
        if self.starts.len() < self.count {
            self.starts.resize(self.ends.len(), 0);
        }
        let mut from = 0;
        for i in 0..self.count {
            self.starts[i] = from;
            from = self.ends[i];
        }
        from
    }
}

impl CsvSource {
    pub fn open(path: &Path) -> anyhow::Result<CsvSource> {
        let size = std::fs::metadata(path)
            .with_context(|| format!("cannot open {}", path.display()))?
            .len();
        let sample = read_sample(path)?;
        let encoding = detect_encoding(&sample);
        if encoding == Encoding::Windows1251 {
            if let Some(line) = utf8_line(&sample) {
                return Err(line_error(path, line as u64, Problem::Utf8InWindows1251).into());
            }
        }
        let text = match encoding {
            Encoding::Utf8 => lossy(&sample),
            Encoding::Utf8Bom => lossy(&sample[3..]),
            Encoding::Windows1251 => WINDOWS_1251
                .decode_without_bom_handling(&sample)
                .0
                .into_owned(),
        };
        if let Some(at) = memchr::memchr(0, &sample) {
            let line = 1 + memchr::memchr_iter(b'\n', &sample[..at]).count();
            return Err(line_error(path, line as u64, Problem::NulBytes).into());
        }
        let delimiter = detect_delimiter(&text);
        let mut rows = Rows::new(open_input(path, encoding, 0, size)?, delimiter);
        // Only the header is searched for in a source so opened: its rows
        // are few, and none is long.
        rows.max_record = crate::files::MAX_HEADER_RECORD_BYTES;
        Ok(CsvSource::of(path, encoding, delimiter, size, rows))
    }

    fn of(path: &Path, encoding: Encoding, delimiter: u8, size: u64, rows: Rows) -> CsvSource {
        CsvSource {
            path: path.to_path_buf(),
            encoding,
            delimiter,
            size,
            rows,
            text: String::new(),
            spans: Vec::new(),
            columns: None,
            read_list: Vec::new(),
        }
    }
}

impl CsvSource {
    /// A stretch of a file whose encoding and delimiter are known (from
    /// `open`), and its size then. Windows-1251 files are read whole: their
    /// offsets change in decoding.
    pub fn open_stretch(
        path: &Path,
        encoding: Encoding,
        delimiter: u8,
        size: u64,
        stretch: Stretch,
        progress: Option<Arc<Progress>>,
    ) -> anyhow::Result<CsvSource> {
        let stretch = Stretch {
            start: stretch.start.max(encoding.data_start()),
            ..stretch
        };
        if encoding == Encoding::Windows1251 {
            assert_eq!(stretch.start, 0, "decoded files are read whole");
        }
        let input = open_input(path, encoding, stretch.start, size)?;
        let rows = Rows::stretch(input, delimiter, stretch, progress);
        Ok(CsvSource::of(path, encoding, delimiter, size, rows))
    }

    /// Skips `n` records (the header and the rows above it), reading on
    /// past the stretch's end if they reach beyond it.
    pub fn skip_records(&mut self, n: usize) -> anyhow::Result<()> {
        self.rows.hold_open = true;
        let mut skipped = Ok(());
        for _ in 0..n {
            skipped = self.next_row().map(drop);
            if skipped.is_err() {
                break;
            }
        }
        self.rows.hold_open = false;
        skipped
    }

    /// Whether column `i` is read.
    fn reads(&self, i: usize) -> bool {
        self.columns
            .as_ref()
            .is_none_or(|c| c.get(i) == Some(&true))
    }

    /// The error for column `i` of the current record not being text.
    fn not_text(&self, i: usize) -> InputError {
        let encoding = self.encoding.as_str();
        InputError {
            column: Some(Column {
                header: None,
                index: i,
            }),
            ..line_error(
                &self.path,
                self.rows.record_line,
                Problem::NotText { encoding },
            )
        }
    }

    /// The current record field by field: each field read checked and
    /// copied, the others left as bytes.
    fn copy_fields_read(&mut self) -> anyhow::Result<bool> {
        for i in 0..self.rows.count {
            if !self.reads(i) {
                self.spans.push(NOT_READ);
                continue;
            }
            match simdutf8::basic::from_utf8(self.rows.field(i)) {
                Ok(text) => {
                    let start = self.text.len();
                    self.text.push_str(text.trim());
                    self.spans.push((start, self.text.len()));
                }
                Err(_) => return Err(self.not_text(i).into()),
            }
        }
        Ok(true)
    }

    /// Reads only these columns from now on: the others are neither
    /// checked as text nor copied (a long note no rule reads costs only
    /// its parsing).
    pub fn read_only(&mut self, columns: impl IntoIterator<Item = usize>) {
        let mut read = Vec::new();
        for c in columns {
            if read.len() <= c {
                read.resize(c + 1, false);
            }
            read[c] = true;
        }
        self.read_list = (0..read.len()).filter(|&c| read[c]).collect();
        self.columns = Some(read);
    }

    /// How many of the following stretches this one read on into.
    pub fn absorbed(&self) -> usize {
        self.rows.absorbed
    }

    /// The number of the line after the last one read.
    pub fn next_line(&self) -> u64 {
        self.rows.line
    }
}

/// Where the text of the field at `bounds` in `record` lies, trimmed;
/// `None` when the field starts or ends inside a character.
fn trimmed_span(record: &str, (from, to): (usize, usize)) -> Option<(usize, usize)> {
    let field = record.get(from..to)?;
    // Every reader trims a cell: done once, here. `value::trim` looks at
    // the first and the last character's lead bytes only (a Cyrillic
    // letter is no space): most cells need no more.
    let trimmed = crate::value::trim(field);
    let start = from + (trimmed.as_ptr() as usize - field.as_ptr() as usize);
    Some((start, start + trimmed.len()))
}

fn read_sample(path: &Path) -> anyhow::Result<Vec<u8>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    file.take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(sample)
}

/// `bytes` as text, as `String::from_utf8_lossy` makes it; the valid
/// part (all but a character cut at the sample's end, as a rule) checked
/// by vectors: the lossy decoder reads a byte at a time.
fn lossy(bytes: &[u8]) -> String {
    match simdutf8::compat::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(e) => {
            let (start, rest) = bytes.split_at(e.valid_up_to());
            // `start` is valid: made text by vectors again, not a byte at
            // a time (the lossy decoder only if that ever failed).
            let start = simdutf8::basic::from_utf8(start).map_or_else(
                |_| String::from_utf8_lossy(start),
                std::borrow::Cow::Borrowed,
            );
            let mut text = String::with_capacity(bytes.len());
            text.push_str(&start);
            text.push_str(&String::from_utf8_lossy(rest));
            text
        }
    }
}

/// The file from `start` (at least past a BOM), decoded to UTF-8, checked
/// to keep its planned `size` while it is read.
fn open_input(
    path: &Path,
    encoding: Encoding,
    start: u64,
    size: u64,
) -> anyhow::Result<Box<dyn Read + Send>> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let start = start.max(encoding.data_start());
    file.seek(SeekFrom::Start(start))
        .with_context(|| format!("cannot read {}", path.display()))?;
    let file = Planned::new(file, path, start, size);
    Ok(match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => Box::new(file),
        Encoding::Windows1251 => Box::new(DecodingReader::new(
            file,
            WINDOWS_1251.new_decoder_without_bom_handling(),
        )),
    })
}

/// UTF-8 when a BOM says so, or when the sample's lines with letters
/// beyond ASCII are at least as often valid UTF-8 as not; else
/// Windows-1251, the encoding Excel uses when it re-saves a CSV on a
/// Russian Windows. Lines vote, so one line pasted from a re-saved file
/// cannot turn a UTF-8 export into mojibake: that line is then an error of
/// its own. (Windows-1251 Cyrillic is almost never valid UTF-8: a
/// letter from `А` up is a lead byte, and another letter is no
/// continuation byte.)
pub fn detect_encoding(sample: &[u8]) -> Encoding {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8Bom;
    }
    // Text valid throughout (but for a character cut at the sample's end)
    // has no line to vote otherwise: told by vectors, not line by line.
    match simdutf8::compat::from_utf8(sample) {
        Ok(_) => return Encoding::Utf8,
        Err(e) if e.error_len().is_none() => return Encoding::Utf8,
        Err(_) => {}
    }
    let (mut utf8, mut other) = (0usize, 0usize);
    let mut lines = sample.split(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        if line.is_ascii() {
            continue;
        }
        match std::str::from_utf8(line) {
            Ok(_) => utf8 += 1,
            // A character cut at the end of the sample.
            Err(e) if e.error_len().is_none() && lines.peek().is_none() => {
                if e.valid_up_to() > 0 && !line[..e.valid_up_to()].is_ascii() {
                    utf8 += 1;
                }
            }
            Err(_) => other += 1,
        }
    }
    if utf8 >= other {
        Encoding::Utf8
    } else {
        Encoding::Windows1251
    }
}

/// The first line (1-based) of `sample` with letters beyond ASCII that is
/// valid UTF-8. In a file most of whose lines are Windows-1251 such a line
/// was pasted from a UTF-8 file: decoded as Windows-1251 it would be
/// mojibake (a manager «РРІР°РЅРѕРІР°» instead of «Иванова»). Real
/// Windows-1251 Cyrillic is not valid UTF-8: a lower-case letter is a
/// lead byte that no letter can follow.
fn utf8_line(sample: &[u8]) -> Option<usize> {
    let mut lines = sample.split(|&b| b == b'\n').enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        // The sample may end inside the last line: it is left unjudged.
        if lines.peek().is_none() && sample.len() >= SAMPLE_BYTES {
            break;
        }
        if !line.is_ascii() && std::str::from_utf8(line).is_ok() {
            return Some(i + 1);
        }
    }
    None
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
        let more = match self.rows.next() {
            Ok(more) => more,
            Err(e) if e.get_ref().is_some_and(|e| e.is::<Changed>()) => {
                bail!("{}", e.into_inner().expect("checked above"))
            }
            Err(e) => match e.get_ref().and_then(|e| e.downcast_ref::<BadRecord>()) {
                Some(bad) => {
                    let (line, problem) = bad.at();
                    return Err(line_error(&self.path, line, problem).into());
                }
                None => {
                    return Err(e).with_context(|| format!("{}: cannot read", self.path.display()))
                }
            },
        };
        if !more {
            return Ok(false);
        }
        let rows = &self.rows;
        if memchr::memchr(0, rows.record()).is_some() {
            return Err(line_error(&self.path, rows.record_line, Problem::NulBytes).into());
        }
        // The record is checked as text at once (fast on long text), and
        // each field read must also start and end on a character boundary:
        // a character cut by a delimiter is no text on either side. A
        // record that fails is checked field by field, so that only the
        // fields read can stop the audit.
        self.text.clear();
        self.spans.clear();
        let Ok(record) = simdutf8::basic::from_utf8(rows.record()) else {
            return self.copy_fields_read();
        };
        self.text.push_str(record);
        // The columns not read are left as bytes: `cell` decodes and trims
        // one if asked.
        self.spans.resize(rows.count, NOT_READ);
        let all = match self.columns {
            None => 0..rows.count,
            Some(_) => 0..0,
        };
        let listed = self.read_list.iter().copied();
        // Slices of their own: through `self`, every field reloaded the
        // vectors' pointers and lengths.
        let (starts, ends, spans) = (&rows.starts[..], &rows.ends[..], &mut self.spans[..]);
        let mut not_text = None;
        for i in all.chain(listed.take_while(|&i| i < rows.count)) {
            match trimmed_span(record, (starts[i], ends[i])) {
                Some(span) => spans[i] = span,
                None => {
                    not_text = Some(i);
                    break;
                }
            }
        }
        if let Some(i) = not_text {
            return Err(self.not_text(i).into());
        }
        Ok(true)
    }

    fn cell(&self, index: usize) -> Cell<'_> {
        let Some(&(start, end)) = self.spans.get(index) else {
            return Cell::Empty;
        };
        let text = if (start, end) == NOT_READ {
            // A column no field reads is not checked as text: what cannot
            // be decoded shows as the replacement character, as in an
            // editor, and only tells that the cell is not empty.
            simdutf8::basic::from_utf8(self.rows.field(index)).map_or("\u{FFFD}", str::trim)
        } else {
            &self.text[start..end]
        };
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    fn text(&self, index: usize) -> Option<std::borrow::Cow<'_, str>> {
        // A field read is trimmed text already: `cell_text` of it is itself.
        match *self.spans.get(index)? {
            NOT_READ => match self.cell(index) {
                Cell::Text(text) => Some(std::borrow::Cow::Borrowed(text)),
                _ => None,
            },
            (start, end) => {
                (start < end).then(|| std::borrow::Cow::Borrowed(&self.text[start..end]))
            }
        }
    }

    fn is_blank(&self) -> bool {
        self.spans.iter().enumerate().all(|(i, &(start, end))| {
            if (start, end) != NOT_READ {
                return start == end;
            }
            // Most cells that are not blank start with a character that
            // is plainly not a space; only the rest need decoding.
            let field = self.rows.field(i);
            match field.iter().find(|b| !b.is_ascii_whitespace()) {
                None => true,
                Some(b) if b.is_ascii() => false,
                Some(_) => self.cell(i).is_empty(),
            }
        })
    }

    fn width(&self) -> usize {
        self.rows.count
    }

    fn row_number(&self) -> u64 {
        self.rows.record_line
    }

    fn rewind(&mut self) -> anyhow::Result<()> {
        let input = open_input(&self.path, self.encoding, 0, self.size)?;
        self.rows = Rows::new(input, self.delimiter);
        Ok(())
    }

    fn row_word(&self) -> super::error::RowWord {
        super::error::RowWord::Line
    }

    fn split(self: Box<Self>, _rows: usize) -> Vec<Box<dyn RowSource + Send>> {
        // Split into stretches by the loader instead, from the file.
        vec![self]
    }

    fn blank_lines(&self) -> &[u64] {
        &self.rows.blank_lines
    }

    fn read_only(&mut self, columns: &[usize]) {
        CsvSource::read_only(self, columns.iter().copied());
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

    /// A reader dropped inside a quoted field, at the end of its input,
    /// leaves its parser and buffer to the readers after it: each starts
    /// afresh, its byte order mark taken off and its records read as
    /// written. (Several rounds: a spare may go to another test's reader.)
    #[test]
    fn a_reader_after_one_dropped_inside_quotes_starts_afresh() {
        for _ in 0..SPARES_KEPT * 2 {
            let open = b"ID;Note\n1;\"left open\nstill".to_vec();
            let mut rows = Rows::new(Box::new(std::io::Cursor::new(open)), b';');
            assert!(rows.next().unwrap());
            assert!(rows.next().is_err());
            drop(rows);
            let next = "\u{FEFF}ID;Note\n2;plain\n".as_bytes().to_vec();
            let mut rows = Rows::new(Box::new(std::io::Cursor::new(next)), b';');
            let mut records = Vec::new();
            while rows.next().unwrap() {
                let fields: Vec<String> = (0..rows.count)
                    .map(|i| String::from_utf8(rows.field(i).to_vec()).unwrap())
                    .collect();
                records.push(fields.join("|"));
            }
            assert_eq!(records, ["ID|Note", "2|plain"]);
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFID;x"), Encoding::Utf8Bom);
        assert_eq!(detect_encoding("ID,Этап".as_bytes()), Encoding::Utf8);
        // "Этап" in Windows-1251.
        assert_eq!(
            detect_encoding(b"ID;\xDD\xF2\xE0\xEF"),
            Encoding::Windows1251
        );
        // One Windows-1251 line among UTF-8 ones does not decide; one UTF-8
        // line among Windows-1251 ones neither.
        let utf8 = "ID,Ответственный\n1,Иванова Мария\n";
        let mut mixed = utf8.as_bytes().to_vec();
        mixed.extend(b"2,\xCF\xE5\xF2\xF0\xEE\xE2\n");
        assert_eq!(detect_encoding(&mixed), Encoding::Utf8);
        let mut mixed = b"ID,\xCE\xF2\xE2\n1,\xC8\xE2\xE0\xED\n".to_vec();
        mixed.extend("2,Петров\n".as_bytes());
        assert_eq!(detect_encoding(&mixed), Encoding::Windows1251);
        // A sample cut inside a character is still UTF-8.
        let cut = "ID,Этап\n1,Счет".as_bytes();
        assert_eq!(detect_encoding(&cut[..cut.len() - 1]), Encoding::Utf8);
        // Pure ASCII is UTF-8.
        assert_eq!(detect_encoding(b"ID,x\n1,y\n"), Encoding::Utf8);
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

    fn read_all(data: &str) -> (Vec<(u64, Vec<String>)>, Vec<u64>) {
        let mut rows = Rows::new(
            Box::new(std::io::Cursor::new(data.as_bytes().to_vec())),
            b',',
        );
        let (mut out, mut blanks) = (Vec::new(), Vec::new());
        loop {
            let more = rows.next().unwrap();
            blanks.extend_from_slice(&rows.blank_lines);
            if !more {
                break;
            }
            let fields = (0..rows.count)
                .map(|i| String::from_utf8(rows.field(i).to_vec()).unwrap())
                .collect();
            out.push((rows.record_line, fields));
        }
        (out, blanks)
    }

    /// Every line start: cuts that fall inside quoted fields too.
    fn every_line_start(data: &str) -> Vec<u64> {
        let mut cuts: Vec<u64> = memchr::memchr_iter(b'\n', data.as_bytes())
            .map(|i| i as u64 + 1)
            .collect();
        cuts.retain(|&c| c < data.len() as u64);
        cuts
    }

    /// Reads `data` cut at `cuts`, each stretch on its own as a reader
    /// thread would, and stitches the stretches as the loader does: line
    /// numbers carried on, absorbed stretches dropped.
    fn read_in_stretches(data: &str, cuts: &[u64]) -> (Vec<(u64, Vec<String>)>, Vec<u64>) {
        let bytes = data.as_bytes();
        let (mut out, mut blanks) = (Vec::new(), Vec::new());
        let (mut k, mut base) = (0, 0);
        while k <= cuts.len() {
            let start = if k == 0 { 0 } else { cuts[k - 1] };
            let mut cursor = std::io::Cursor::new(bytes.to_vec());
            cursor.set_position(start);
            let stretch = Stretch {
                start,
                ends: cuts[k..].to_vec(),
                first_line: 1,
            };
            let mut rows = Rows::stretch(Box::new(cursor), b',', stretch, None);
            loop {
                let more = rows.next().unwrap();
                blanks.extend(rows.blank_lines.iter().map(|l| l + base));
                if !more {
                    break;
                }
                let fields = (0..rows.count)
                    .map(|i| String::from_utf8(rows.field(i).to_vec()).unwrap())
                    .collect();
                out.push((rows.record_line + base, fields));
            }
            base += rows.line - 1;
            k += 1 + rows.absorbed;
        }
        (out, blanks)
    }

    /// Every record of `data` (bytes), read with plain records split
    /// apart or not, through a buffer of `buffer` bytes: line, fields, the blank
    /// lines, the line count at the end, or the error.
    fn read_bytes(data: &[u8], plain: bool, buffer: usize) -> String {
        let mut rows = Rows::new(Box::new(std::io::Cursor::new(data.to_vec())), b',');
        rows.plain = plain;
        rows.buffer = vec![0; buffer];
        let mut out = String::new();
        loop {
            let more = match rows.next() {
                Ok(more) => more,
                Err(e) => return format!("{out}error {e}"),
            };
            out += &format!("blank {:?}\n", rows.blank_lines);
            if !more {
                return format!("{out}lines {}", rows.line);
            }
            let fields: Vec<&[u8]> = (0..rows.count).map(|i| rows.field(i)).collect();
            out += &format!("{} {fields:?}\n", rows.record_line);
        }
    }

    #[test]
    fn plain_records_split_as_csv_core_splits_them() {
        // Pieces that make plain records and every case around them:
        // quotes doubled, left open, text after a closing quote, line
        // breaks inside quotes, CR alone, CRLF, empty lines, a character of
        // two bytes, the end of the file without a line break.
        let pieces: [&[u8]; 16] = [
            b"\"a\nb\"",
            b"\"\n\"\"\"",
            b"a",
            b"bc",
            b",",
            b",",
            b"\"",
            b"\"\"",
            b"\"x,y\"",
            b"\r",
            b"\n",
            b"\r\n",
            b" ",
            "Д".as_bytes(),
            b"12345678",
            b"\n\n",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..4000 {
            let mut data = b"h1,h2\n".to_vec();
            for _ in 0..next(40) {
                data.extend_from_slice(pieces[next(pieces.len())]);
            }
            for buffer in [2, 5, 16, READ_BYTES] {
                assert_eq!(
                    read_bytes(&data, true, buffer),
                    read_bytes(&data, false, buffer),
                    "{:?} through {buffer} bytes",
                    String::from_utf8_lossy(&data)
                );
            }
        }
    }

    #[test]
    fn plain_records_are_split_without_the_parser() {
        let data = b"h\r\nab,\"c,d\",\"e\"\"f\",,12345678901\r\n\"g\nh\",i\r\n\"open,x\n";
        let mut rows = Rows::new(Box::new(std::io::Cursor::new(data.to_vec())), b',');
        assert!(rows.next().unwrap());
        // The header went through `csv_core`, which stopped at its CR.
        assert!(rows.pending_lf);
        assert!(rows.next().unwrap());
        assert!(
            !rows.pending_lf,
            "the plain record was taken with its line feed"
        );
        assert_eq!(rows.record_line, 2);
        let fields: Vec<&[u8]> = (0..rows.count).map(|i| rows.field(i)).collect();
        assert_eq!(fields, [&b"ab"[..], b"c,d", b"e\"f", b"", b"12345678901"]);
        assert_eq!(rows.line, 3);
        // A line break inside quotes is part of a plain record.
        assert!(rows.next().unwrap());
        assert!(!rows.pending_lf, "the plain record was taken whole");
        assert_eq!(rows.record_line, 3);
        let fields: Vec<&[u8]> = (0..rows.count).map(|i| rows.field(i)).collect();
        assert_eq!(fields, [&b"g\nh"[..], b"i"]);
        assert_eq!(rows.line, 5);
        // A quote left open on its line is the parser's to read.
        let error = rows.next().unwrap_err().to_string();
        assert!(
            error.starts_with("line 5: a quote (\") opened on this line is never closed"),
            "{error}"
        );
    }

    #[test]
    fn stretches_read_like_the_whole_file() {
        let cases = [
            "a,b\n1,2\n\n3,4\n\"x\ny\",5\n\r\n6,7",
            "a,b\r\n1,2\r\n\r\n\r\n3,4\r\n",
            "\na,b\n1,2\n\n",
            // Quoted line breaks, blank lines inside quotes, quotes doubled.
            "id,note\n1,\"first\n\nsecond\"\n2,\"say \"\"hi\"\"\n\"\n3,\"\n\n\n\"\n4,x\n",
            "id,note\r\n1,\"a\r\nb\"\r\n\r\n2,\"\r\n\"\r\n3,z",
            // A byte order mark starting a line inside the file (two files
            // joined) is the line's text, wherever the file is cut.
            "a,b\n1,2\n\u{feff}3,4\n\u{feff}\"5\",6\n\u{feff}\"7\"x,8\n",
        ];
        for data in cases {
            let whole = read_all(data);
            for step in 1..=data.len() + 1 {
                let width = read_all(data).0.first().map_or(1, |(_, f)| f.len());
                let shape = crate::input::stretches::Shape {
                    delimiter: b',',
                    width,
                };
                let cuts = crate::input::stretches::cuts(data.as_bytes(), 0, step, shape);
                assert_eq!(
                    read_in_stretches(data, &cuts),
                    whole,
                    "{data:?} cut every {step}"
                );
            }
            // Cuts inside quotes too: the stretch before reads on.
            assert_eq!(
                read_in_stretches(data, &every_line_start(data)),
                whole,
                "{data:?} cut at every line"
            );
        }
    }

    fn lines(data: &str) -> Vec<(u64, Vec<String>)> {
        read_all(data).0
    }

    #[test]
    fn empty_lines_are_reported_by_their_line() {
        assert_eq!(read_all("a,b\n1,2\n\n3,4\n").1, vec![3]);
        assert_eq!(read_all("a,b\r\n1,2\r\n\r\n\r\n3,4\r\n").1, vec![3, 4]);
        assert_eq!(
            read_all("a,b\r\n1,2\r\n").1,
            Vec::<u64>::new(),
            "CRLF ends are not empty lines"
        );
        assert_eq!(read_all("\na,b\n1,2\n\n").1, vec![1, 4]);
        assert_eq!(
            read_all("a,\"x\n\ny\"\n").1,
            Vec::<u64>::new(),
            "line breaks inside quotes"
        );
    }

    #[test]
    fn records_carry_the_line_an_editor_shows() {
        let v = |l: u64, f: &[&str]| (l, f.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        // LF, a blank line, a quoted line break, a CRLF blank line, no final newline.
        assert_eq!(
            lines("a,b\n1,2\n\n3,4\n\"x\ny\",5\n\r\n6,7"),
            vec![
                v(1, &["a", "b"]),
                v(2, &["1", "2"]),
                v(4, &["3", "4"]),
                v(5, &["x\ny", "5"]),
                v(8, &["6", "7"])
            ]
        );
        // CRLF throughout, blank lines included.
        assert_eq!(
            lines("a,b\r\n1,2\r\n\r\n\r\n3,4\r\n"),
            vec![v(1, &["a", "b"]), v(2, &["1", "2"]), v(5, &["3", "4"])]
        );
        // Fields longer than the initial buffers.
        let long = "ж".repeat(5000);
        let many = vec!["x"; 200].join(",");
        assert_eq!(lines(&format!("{long},{many}\n"))[0].1.len(), 201);
        assert_eq!(lines(&format!("{long}\n"))[0].1[0], long);
    }

    /// A deal file whose first row is longer than the encoding sample
    /// (so the file is taken for UTF-8), then `rest`, bytes as written.
    fn long_utf8_then(dir: &tempfile::TempDir, header: &str, first: &str, rest: &[u8]) -> PathBuf {
        let path = dir.path().join("deals.csv");
        let mut bytes = format!("{header}\n").into_bytes();
        bytes.extend(first.replace('~', &"Радиаторы ".repeat(30000)).into_bytes());
        bytes.extend(rest);
        std::fs::write(&path, &bytes).unwrap();
        path
    }

    #[test]
    fn invalid_text_is_an_error_naming_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        // A line whose second field is cut Windows-1251.
        let path = long_utf8_then(&dir, "ID,Название", "1,~\n", b"2,\xD0\n3,x\n");
        let mut source = CsvSource::open(&path).unwrap();
        assert_eq!(source.encoding, Encoding::Utf8);
        assert!(source.next_row().unwrap() && source.next_row().unwrap());
        let long = "Радиаторы ".repeat(30000);
        assert_eq!(
            source.cell(1),
            Cell::Text(long.trim_end()),
            "cells come trimmed"
        );
        let e = source.next_row().unwrap_err().to_string();
        assert!(e.ends_with("deals.csv, line 3, column B: the text is not valid UTF-8 (was the file re-saved in another encoding?)"), "{e}");
    }

    #[test]
    fn columns_not_read_are_not_checked_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let header = "ID,Примечание,Этап";
        let path = long_utf8_then(&dir, header, "1,~,Счет\n", b"2,\xD0\xD1,\n3,x,\xD0\n");
        let mut source = CsvSource::open(&path).unwrap();
        source.read_only([0, 2]);
        assert!(source.next_row().unwrap() && source.next_row().unwrap());
        assert_eq!(source.cell(2), Cell::Text("Счет"));
        assert!(source.next_row().unwrap(), "a broken note is not read");
        assert_eq!(source.cell(0), Cell::Text("2"));
        assert_eq!(
            source.cell(1),
            Cell::Text("\u{FFFD}"),
            "but it is not empty"
        );
        assert_eq!(source.cell(2), Cell::Empty);
        let e = source.next_row().unwrap_err().to_string();
        assert!(e.ends_with("deals.csv, line 4, column C: the text is not valid UTF-8 (was the file re-saved in another encoding?)"), "{e}");
    }

    #[test]
    fn a_character_cut_by_a_delimiter_is_no_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deals.csv");
        // `Р` is D0 A0: cut in two by the comma, each half is no text,
        // though the record's fields run together are.
        let mut bytes =
            format!("ID,Название,Этап\n{}\n", "1,Радиаторы,Счет\n".repeat(20000)).into_bytes();
        bytes.extend(b"2,x\xD0,\xA0y\n");
        std::fs::write(&path, &bytes).unwrap();
        for (read, column) in [(vec![0, 1, 2], "B"), (vec![0, 2], "C")] {
            let mut source = CsvSource::open(&path).unwrap();
            source.read_only(read);
            let e = loop {
                match source.next_row() {
                    Ok(true) => continue,
                    Ok(false) => panic!("no error"),
                    Err(e) => break e.to_string(),
                }
            };
            assert!(
                e.contains(&format!(
                    "line 20003, column {column}: the text is not valid UTF-8"
                )),
                "{e}"
            );
        }
        let mut source = CsvSource::open(&path).unwrap();
        source.read_only([0]);
        while source.next_row().unwrap() {}
    }

    #[test]
    fn a_sample_is_read_as_the_lossy_decoder_reads_it() {
        let cyrillic = "Иванова Анна;1\n".as_bytes();
        for bytes in [cyrillic, &cyrillic[..3], b"a\xff;b\n\xd0", b"\xe2\x82", b""] {
            assert_eq!(lossy(bytes), String::from_utf8_lossy(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn a_row_is_blank_only_when_every_column_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deals.csv");
        std::fs::write(
            &path,
            "ID,Примечание,Этап\n ,\u{a0} ,\n,Звонил,\n,\t\u{a0},\n",
        )
        .unwrap();
        let mut source = CsvSource::open(&path).unwrap();
        source.read_only([0, 2]);
        let mut blank = Vec::new();
        while source.next_row().unwrap() {
            blank.push(source.is_blank());
        }
        assert_eq!(
            blank,
            [false, true, false, true],
            "the header, then three rows"
        );
    }

    /// Reads every row of a stretch of `path` planned at `size` bytes: the
    /// error, if any.
    fn read_planned(path: &Path, encoding: Encoding, size: u64, stretch: Stretch) -> String {
        let mut source =
            CsvSource::open_stretch(path, encoding, b',', size, stretch, None).unwrap();
        loop {
            match source.next_row() {
                Ok(true) => continue,
                Ok(false) => return String::new(),
                Err(e) => return format!("{e:#}"),
            }
        }
    }

    #[test]
    fn a_file_that_changed_since_it_was_planned_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deals.csv");
        let text = "ID,Этап\n1,Счет\n2,Счет\n3,Счет\n";
        std::fs::write(&path, text).unwrap();
        let size = text.len() as u64;
        let whole = Stretch::whole(0);
        assert_eq!(read_planned(&path, Encoding::Utf8, size, whole.clone()), "");
        // Cut short, or grown, since it was planned: whole, or its last stretch.
        let last = Stretch {
            start: 12,
            ends: Vec::new(),
            first_line: 1,
        };
        for (planned, now) in [(size + 10, "shorter"), (size - 5, "longer")] {
            for encoding in [Encoding::Utf8, Encoding::Windows1251] {
                let e = read_planned(&path, encoding, planned, whole.clone());
                assert!(e.ends_with(&format!("deals.csv changed while it was read: it had {planned} bytes when the run started, and is now {now}; audit exports as they stand, not while a program writes them")), "{e}");
            }
            let e = read_planned(&path, Encoding::Utf8, planned, last.clone());
            assert!(e.contains(&format!("is now {now}")), "{e}");
        }
        // A stretch that ends before the end of the file does not look past it.
        let first = Stretch {
            start: 0,
            ends: vec![12],
            first_line: 1,
        };
        assert_eq!(read_planned(&path, Encoding::Utf8, size + 10, first), "");
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

#[cfg(test)]
mod quote_tests {
    use super::*;

    /// The error reading `data` gives, the same in buffers of any size.
    fn error_of(data: &str) -> String {
        let errors: Vec<String> = [1, 2, 3, 7, READ_BYTES]
            .into_iter()
            .map(|buffer| error_in_buffers_of(data, buffer))
            .collect();
        assert!(
            errors.iter().all(|e| *e == errors[0]),
            "{data:?}: {errors:?}"
        );
        errors[0].clone()
    }

    fn error_in_buffers_of(data: &str, buffer: usize) -> String {
        let mut rows = Rows::new(
            Box::new(std::io::Cursor::new(data.as_bytes().to_vec())),
            b',',
        );
        rows.buffer = vec![0; buffer];
        loop {
            match rows.next() {
                Ok(true) => continue,
                Ok(false) => return String::new(),
                // The line and what is wrong, without the advice.
                Err(e) => {
                    let e = e.to_string();
                    return e.split(": the rest").next().unwrap_or_default().to_string();
                }
            }
        }
    }

    const OPEN: &str = "a quote (\") opened on this line is never closed";

    #[test]
    fn a_quote_open_at_the_end_names_its_line() {
        assert_eq!(error_of("a,b\n1,\"x\n2,y\n"), format!("line 2: {OPEN}"));
        assert_eq!(error_of("a,b\n1,x\n2,\"y"), format!("line 3: {OPEN}"));
        // A closed note on lines 2-3, then a quote opened at the end of line 3.
        assert_eq!(
            error_of("a,b,c\n1,\"x\ny\",\"z\nw\n"),
            format!("line 3: {OPEN}")
        );
        // A doubled quote inside the open field keeps it open.
        assert_eq!(
            error_of("a,b\n1,\"say \"\"hi\"\"\n"),
            format!("line 2: {OPEN}")
        );
    }

    #[test]
    fn a_record_past_the_limit_names_its_first_line() {
        let data = "a,b\n1,\"xxxxxxxx\nxxxxxxxxxxxx\"\n";
        let mut rows = Rows::new(
            Box::new(std::io::Cursor::new(data.as_bytes().to_vec())),
            b',',
        );
        rows.max_record = 8;
        rows.fields = vec![0; 4];
        assert!(rows.next().unwrap());
        let e = rows.next().unwrap_err().to_string();
        assert!(
            e.starts_with("line 2: the line is longer than 8 bytes"),
            "{e}"
        );
    }

    #[test]
    fn a_plain_record_as_long_as_the_limit_is_past_it_too() {
        // The parser stops with its room full before it sees the line
        // feed: a record of exactly the limit is refused, plain or not.
        for plain in [true, false] {
            let data = "a,b\nxxxxxxx\n12345678\n";
            let mut rows = Rows::new(
                Box::new(std::io::Cursor::new(data.as_bytes().to_vec())),
                b',',
            );
            rows.plain = plain;
            rows.max_record = 8;
            rows.fields = vec![0; 4];
            assert!(rows.next().unwrap());
            assert!(rows.next().unwrap());
            let e = rows.next().unwrap_err().to_string();
            assert!(
                e.starts_with("line 3: the line is longer than 8 bytes"),
                "plain {plain}: {e}"
            );
        }
    }

    #[test]
    fn quotes_that_open_nothing_are_no_error() {
        // A quote inside an unquoted field is a character (5" pipe); a
        // closed quote at the end of the file; CRLF; no final line break.
        for data in [
            "a,b\n1,5\" pipe\n2,y\n",
            "a,b\n1,\"x\"",
            "a,b\r\n1,\"x\r\ny\"\r\n",
            "a,b\n1,\"\"",
            "a,b\n1,2",
        ] {
            assert_eq!(error_of(data), "", "{data:?}");
        }
    }
}

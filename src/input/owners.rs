//! Whose each extension of a call log is, as the log's CRM column says
//! (Sipuni's `Ответственный из CRM`: `210 Ирина Подшивалова`). Every row
//! may say it, and a row read early must know what a row read late says,
//! so the column is read through, whole, the first time a call asks
//! (`LazyOwners`).
//!
//! Only that column matters here: a plain UTF-8 file (no quote, no NUL, no
//! line past the record limit: what a telephony export is) is cut into
//! lines and fields by its delimiter, which reads it as the CSV parser
//! would at a tenth of the work; any other file is read by the parser.

use super::calls::extension_and_name;
use super::csv_source::Encoding;
use super::source::{cell_text, RowSource};
use crate::value::normalize_name;
use anyhow::Context;
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Extensions with the person each belongs to (an extension two rows give
/// to different people belongs to no one: it is left out).
#[derive(Debug, Default, PartialEq)]
pub(super) struct Owners {
    by_extension: FxHashMap<Box<str>, Option<Box<str>>>,
    /// The cells judged so far: a cell met again cannot change what its
    /// first meeting decided (a log of millions of calls names a few
    /// hundred owners).
    seen: FxHashSet<Box<str>>,
    /// The same cells in the order first met.
    order: Vec<Box<str>>,
}

impl Owners {
    pub(super) fn of(&self, extension: &str) -> Option<&str> {
        self.by_extension.get(extension)?.as_deref()
    }

    /// What the rows after those already read say: the same as reading
    /// them on, since only each cell's first meeting counts.
    fn extend(&mut self, later: Owners) {
        for cell in later.order {
            self.add_cell(&cell);
        }
    }

    /// What one CRM cell says.
    fn add_cell(&mut self, text: &str) {
        if self.seen.contains(text) {
            return;
        }
        self.seen.insert(text.into());
        self.order.push(text.into());
        let Some((extension, name)) = extension_and_name(text) else {
            return;
        };
        let name = normalize_name(name);
        match self.by_extension.get_mut(extension) {
            Some(known) => {
                let same = |k: &str| k.to_lowercase() == name.to_lowercase();
                if !known.as_deref().is_some_and(same) {
                    *known = None;
                }
            }
            None => {
                self.by_extension
                    .insert(extension.into(), Some(name.into()));
            }
        }
    }
}

/// A call log's owners, read through the log the first time a call asks
/// (`of`): a log whose employee cells all name people, or extensions the
/// roster knows, never asks, and is not read twice.
pub(super) enum LazyOwners {
    /// Read already (none, for a file without a CRM column).
    Ready(Owners),
    /// To read from the log when first asked for.
    Later(PlainLog, std::sync::OnceLock<Result<Owners, String>>),
}

/// A UTF-8 CSV log's CRM columns and where its rows start.
pub(super) struct PlainLog {
    pub(super) path: std::path::PathBuf,
    /// Its size when the run planned it: read later, it must still have it.
    pub(super) size: u64,
    pub(super) encoding: Encoding,
    pub(super) delimiter: u8,
    /// The header's record (rows above it are titles).
    pub(super) header_index: usize,
    pub(super) columns: Vec<usize>,
}

impl LazyOwners {
    /// Owners to read from `log` when first asked for.
    pub(super) fn later(log: PlainLog) -> Self {
        LazyOwners::Later(log, std::sync::OnceLock::new())
    }

    /// The person `extension` belongs to, the whole log read for it the
    /// first time (once, whichever thread asks first).
    pub(super) fn of(&self, extension: &str) -> anyhow::Result<Option<&str>> {
        let owners = match self {
            LazyOwners::Ready(owners) => owners,
            // An error's words are kept: every piece that asks fails with them.
            LazyOwners::Later(log, read) => read
                .get_or_init(|| read_log(log).map_err(|e| format!("{e:#}")))
                .as_ref()
                .map_err(|message| anyhow::anyhow!("{message}"))?,
        };
        Ok(owners.of(extension))
    }
}

/// A plain log's owners by lines; a log that is not plain, by the parser,
/// from below its header as the planning source was read. The log must
/// have the size it was planned at, before and after: a log another
/// program writes to is an error, as for its pieces.
fn read_log(log: &PlainLog) -> anyhow::Result<Owners> {
    let PlainLog {
        path,
        size,
        encoding,
        delimiter,
        header_index,
        columns,
    } = log;
    super::planned::unchanged(path, *size)?;
    let body = header_index + 1;
    let owners = match scan_plain(path, *encoding, *delimiter, body, columns)? {
        Some(owners) => owners,
        None => {
            let mut source = super::csv_source::CsvSource::open(path)?;
            // Rewound, it takes records as long as the pieces take (as
            // opened, only as long as a header's).
            super::plan::skip_to_body(&mut source, *header_index)?;
            read(&mut source, columns)?
        }
    };
    super::planned::unchanged(path, *size)?;
    Ok(owners)
}

/// Reads the CRM `columns` of every row left in `source`.
pub(super) fn read(source: &mut dyn RowSource, columns: &[usize]) -> anyhow::Result<Owners> {
    let mut owners = Owners::default();
    source.read_only(columns);
    while source.next_row()? {
        for &column in columns {
            owners.add_cell(&cell_text(source.cell(column)));
        }
    }
    Ok(owners)
}

/// A plain file at least this large is scanned in two halves at once.
const HALVES_FROM_BYTES: u64 = 4 << 20;

/// The CRM `columns` of a plain UTF-8 CSV file's rows after its first
/// `skip` records, by lines; `None` when the file is not plain (see the
/// module's header) and must be read by the parser.
pub(super) fn scan_plain(
    path: &Path,
    encoding: Encoding,
    delimiter: u8,
    skip: usize,
    columns: &[usize],
) -> anyhow::Result<Option<Owners>> {
    scan_in_halves(path, encoding, delimiter, skip, columns, HALVES_FROM_BYTES)
}

/// `scan_plain`, in two halves on two cores when the file has at least
/// `halves_from` bytes: the second from the first line break past the
/// middle, its cells taken after the first's.
fn scan_in_halves(
    path: &Path,
    encoding: Encoding,
    delimiter: u8,
    skip: usize,
    columns: &[usize],
    halves_from: u64,
) -> anyhow::Result<Option<Owners>> {
    if encoding == Encoding::Windows1251 {
        return Ok(None);
    }
    let start = encoding.data_start();
    let lines = Lines {
        skip,
        delimiter,
        columns,
    };
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot open {}", path.display()))?
        .len();
    let cut = if size >= halves_from && crate::parallel::cores() > 1 {
        line_after(path, start.max(size / 2))?
    } else {
        None
    };
    let Some(cut) = cut else {
        return Ok(scan(path, start, u64::MAX, lines)?.map(|(owners, _)| owners));
    };
    let second_lines = Lines { skip: 0, ..lines };
    let (second, first) = crate::parallel::both(
        || scan(path, cut, u64::MAX, second_lines),
        || scan(path, start, cut, lines),
    );
    match (first?, second?) {
        // The header's records all in the first half (else: the parser).
        (Some((mut owners, 0)), Some((later, _))) => {
            owners.extend(later);
            Ok(Some(owners))
        }
        _ => Ok(None),
    }
}

/// Where the line after offset `at` starts; `None` when no line break
/// follows within 64 KiB.
fn line_after(path: &Path, at: u64) -> anyhow::Result<Option<u64>> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    file.seek(SeekFrom::Start(at))
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut window = Vec::with_capacity(64 * 1024);
    file.take(64 * 1024)
        .read_to_end(&mut window)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(memchr::memchr2(b'\n', b'\r', &window).map(|i| at + i as u64 + 1))
}

/// The CRM cells of the lines from offset `from` (a line's start) to `to`
/// (a line's end, or `u64::MAX`), with the records left to skip; `None`
/// when the stretch is not plain.
fn scan(
    path: &Path,
    from: u64,
    to: u64,
    mut lines: Lines,
) -> anyhow::Result<Option<(Owners, usize)>> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    file.seek(SeekFrom::Start(from))
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut file = file.take(to.saturating_sub(from));
    let mut owners = Owners::default();
    let mut buffer = vec![0u8; 1 << 20];
    // `buffer[..kept]`: the start of a line the last read cut.
    let mut kept = 0;
    loop {
        if kept == buffer.len() {
            if buffer.len() >= crate::files::MAX_RECORD_BYTES {
                return Ok(None);
            }
            buffer.resize(buffer.len() * 2, 0);
        }
        let read = file
            .read(&mut buffer[kept..])
            .with_context(|| format!("cannot read {}", path.display()))?;
        let end = kept + read;
        let chunk = &buffer[..end];
        if memchr::memchr2(b'"', 0, &chunk[kept..]).is_some() {
            return Ok(None);
        }
        // Whole lines now; the last, unless the stretch ended, waits for more.
        let whole = if read == 0 {
            chunk.len()
        } else {
            match memchr::memrchr2(b'\n', b'\r', chunk) {
                Some(at) => at + 1,
                None => 0,
            }
        };
        if !lines.take(&chunk[..whole], &mut owners) {
            return Ok(None);
        }
        if read == 0 {
            return Ok(Some((owners, lines.skip)));
        }
        buffer.copy_within(whole..end, 0);
        kept = end - whole;
    }
}

/// Lines taken from a plain file: no quote, so a line break ends a record
/// (CR, LF or both, as the parser reads them; blank lines are no record)
/// and every delimiter ends a field.
#[derive(Clone, Copy)]
struct Lines<'c> {
    /// Records still to skip (the header and the rows above it).
    skip: usize,
    delimiter: u8,
    columns: &'c [usize],
}

impl Lines<'_> {
    /// Reads the CRM cells of `bytes`' lines; `false` when a cell read is
    /// not text (for the parser to report where).
    fn take(&mut self, bytes: &[u8], owners: &mut Owners) -> bool {
        let mut rest = bytes;
        while !rest.is_empty() {
            let end = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
            let line = &rest[..end];
            rest = &rest[(end + 1).min(rest.len())..];
            if line.is_empty() {
                continue;
            }
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            for &column in self.columns {
                let Some(cell) = field(line, self.delimiter, column) else {
                    owners.add_cell("");
                    continue;
                };
                match std::str::from_utf8(cell) {
                    Ok(text) => owners.add_cell(text.trim()),
                    Err(_) => return false,
                }
            }
        }
        true
    }
}

/// Field `column` of a line with no quote; `None` past its last field.
/// The delimiters are counted first (a vector count), and the field is
/// found from the nearer end: the CRM column is a log's last.
fn field(line: &[u8], delimiter: u8, column: usize) -> Option<&[u8]> {
    let delimiters = memchr::memchr_iter(delimiter, line).count();
    if column > delimiters {
        return None;
    }
    let after = delimiters - column;
    if after >= column {
        let mut start = 0;
        for _ in 0..column {
            start += memchr::memchr(delimiter, &line[start..])? + 1;
        }
        let end = memchr::memchr(delimiter, &line[start..]).map_or(line.len(), |e| start + e);
        return Some(&line[start..end]);
    }
    // `after` delimiters follow the field, `column` come before it.
    let mut end = line.len();
    for _ in 0..after {
        end = memchr::memrchr(delimiter, &line[..end])?;
    }
    let start = memchr::memrchr(delimiter, &line[..end]).map_or(0, |s| s + 1);
    Some(&line[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::csv_source::CsvSource;

    /// A call log named `calls.csv` holding `text`, in a folder of its own
    /// (removed when the folder returned is dropped).
    fn log_file(text: impl AsRef<[u8]>) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calls.csv");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    /// The owners of `text` both ways: by lines, and by the parser.
    fn both(text: &[u8], skip: usize, columns: &[usize]) -> (Option<Owners>, Owners) {
        let (_dir, path) = log_file(text);
        let encoding = crate::input::csv_source::detect_encoding(text);
        let scanned = scan_plain(&path, encoding, b';', skip, columns).unwrap();
        let mut source = CsvSource::open(&path).unwrap();
        for _ in 0..skip {
            source.next_row().unwrap();
        }
        let parsed = read(&mut source, columns).unwrap();
        (scanned, parsed)
    }

    #[test]
    fn a_plain_log_is_read_by_lines_as_the_parser_reads_it() {
        // Title line, header, then CRLF and bare CR line ends, a blank
        // line, a row short of the CRM column, a name in two cases (one
        // owner), an extension given to two people (no one's).
        let text = "\u{feff}Журнал звонков\r\nТип;Откуда;Ответственный из CRM\r\n\
                    Исходящий;210;210 Ирина Подшивалова\r\n\
                    Исходящий;210;210  ирина подшивалова\r\
                    \r\n\
                    Исходящий;211\n\
                    Исходящий;212;212 Иван Петров\n\
                    Входящий;;212 Пётр Иванов\n\
                    Входящий;; 213 (Смирнова) \n";
        let (scanned, parsed) = both(text.as_bytes(), 2, &[2]);
        let scanned = scanned.expect("a plain file");
        assert_eq!(scanned, parsed);
        assert_eq!(scanned.of("210"), Some("Ирина Подшивалова"));
        assert_eq!(scanned.of("212"), None);
        assert_eq!(scanned.of("213"), Some("Смирнова"));
        assert_eq!(scanned.of("211"), None);
    }

    #[test]
    fn a_log_read_in_halves_has_the_owners_read_in_one_pass() {
        // 210 is Ирина's in the first half and someone else's in the
        // second (no one's); 211's name is first written in the second
        // half; 212 is named only in the first. CRLF line ends, so the
        // second half may start on an LF.
        let mut text = String::from("\u{feff}Тип;Откуда;Ответственный из CRM\r\n");
        for i in 0..400 {
            let cell = match i {
                10 => "210 Ирина Подшивалова",
                20 => "212 Иван Петров",
                300 => "210 Пётр Иванов",
                310 => "211 Анна Смирнова",
                320 => "211 анна смирнова",
                _ => "",
            };
            text.push_str(&format!("Исходящий;{i};{cell}\r\n"));
        }
        let (_dir, path) = log_file(&text);
        let whole = scan_in_halves(&path, Encoding::Utf8Bom, b';', 1, &[2], u64::MAX).unwrap();
        let halves = scan_in_halves(&path, Encoding::Utf8Bom, b';', 1, &[2], 0).unwrap();
        let (_, parsed) = both(text.as_bytes(), 1, &[2]);
        assert_eq!(whole.as_ref(), Some(&parsed));
        if crate::parallel::cores() > 1 {
            assert_eq!(halves.as_ref(), Some(&parsed));
        }
        assert_eq!(parsed.of("210"), None);
        assert_eq!(parsed.of("211"), Some("Анна Смирнова"));
        assert_eq!(parsed.of("212"), Some("Иван Петров"));
        // Cut at every line break: the same owners.
        for at in memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()) {
            let lines = Lines {
                skip: 1,
                delimiter: b';',
                columns: &[2],
            };
            let cut = at as u64 + 1;
            let (mut first, left) = scan(&path, 3, cut, lines).unwrap().unwrap();
            let second = Lines {
                skip: left,
                ..lines
            };
            let (later, _) = scan(&path, cut, u64::MAX, second).unwrap().unwrap();
            first.extend(later);
            assert_eq!(first, parsed, "cut after byte {at}");
        }
    }

    #[test]
    fn fields_are_cut_at_each_delimiter() {
        assert_eq!(field(b"a;bc;", b';', 0), Some(&b"a"[..]));
        assert_eq!(field(b"a;bc;", b';', 1), Some(&b"bc"[..]));
        assert_eq!(field(b"a;bc;", b';', 2), Some(&b""[..]));
        assert_eq!(field(b"a;bc", b';', 2), None);
        assert_eq!(field(b";", b';', 1), Some(&b""[..]));
        // Found from the end when nearer it.
        assert_eq!(field(b"a;b;c;d;e", b';', 3), Some(&b"d"[..]));
        assert_eq!(field(b"a;b;c;d;e", b';', 4), Some(&b"e"[..]));
        assert_eq!(field(b"a;b;c;;", b';', 3), Some(&b""[..]));
        assert_eq!(field(b"a;b;c;d;e", b';', 5), None);
        assert_eq!(field(b"a;b", b';', 1), Some(&b"b"[..]));
        for line in [&b""[..], b";", b";;", b"a", b"ab;;c;", b";x;yy;zzz;;w"] {
            for column in 0..8 {
                let split = line.split(|&b| b == b';').nth(column);
                assert_eq!(field(line, b';', column), split, "{line:?} {column}");
            }
        }
    }

    #[test]
    fn a_log_with_quotes_is_left_to_the_parser() {
        let text = "Тип;Ответственный из CRM\nИсходящий;\"210 Ирина; Подшивалова\"\n";
        let (scanned, parsed) = both(text.as_bytes(), 1, &[1]);
        assert_eq!(scanned, None);
        assert_eq!(parsed.of("210"), Some("Ирина; Подшивалова"));
    }

    #[test]
    fn a_cell_that_is_no_text_is_left_to_the_parser() {
        let mut text = b"\xef\xbb\xbf\xd0\xa2\xd0\xb8\xd0\xbf;CRM\n1;210 \xff\n".to_vec();
        let (_dir, path) = log_file(&text);
        assert_eq!(
            scan_plain(&path, Encoding::Utf8Bom, b';', 1, &[1]).unwrap(),
            None
        );
        // The same byte in a column not read is no matter.
        text = b"\xef\xbb\xbfA;CRM\n\xff;210 Ann Lee\n".to_vec();
        std::fs::write(&path, &text).unwrap();
        let owners = scan_plain(&path, Encoding::Utf8Bom, b';', 1, &[1]).unwrap();
        assert_eq!(owners.unwrap().of("210"), Some("Ann Lee"));
    }

    #[test]
    fn a_line_longer_than_the_buffer_is_read_whole() {
        let long = "x".repeat(3 << 20);
        let text = format!("A;CRM\n{long};210 Ann Lee\n1;211 Bob Ray");
        let (scanned, parsed) = both(text.as_bytes(), 1, &[1]);
        assert_eq!(scanned.expect("a plain file"), parsed);
        assert_eq!(parsed.of("211"), Some("Bob Ray"));
    }

    /// Owners to read later from `path`, planned at its size now.
    fn later(path: &Path) -> LazyOwners {
        LazyOwners::later(PlainLog {
            path: path.to_path_buf(),
            size: std::fs::metadata(path).map_or(0, |m| m.len()),
            encoding: Encoding::Utf8,
            delimiter: b';',
            header_index: 0,
            columns: vec![2],
        })
    }

    const LOG: &str = "Тип;Откуда;Ответственный из CRM\nИсходящий;210;210 Ирина Подшивалова\n";

    #[test]
    fn a_log_is_read_for_its_owners_when_a_call_asks() {
        let (_dir, path) = log_file(LOG);
        let owners = later(&path);
        assert_eq!(owners.of("210").unwrap(), Some("Ирина Подшивалова"));
        assert_eq!(owners.of("211").unwrap(), None);
    }

    #[test]
    fn a_log_with_quotes_is_read_by_the_parser_when_asked() {
        let (_dir, path) = log_file(
            "Тип;Откуда;Ответственный из CRM\n\"Исходящий\";210;\"210 Ирина Подшивалова\"\n",
        );
        assert_eq!(later(&path).of("210").unwrap(), Some("Ирина Подшивалова"));
    }

    #[test]
    fn a_quoted_log_read_by_the_parser_takes_records_as_long_as_its_pieces_do() {
        // A note of 17 MiB: past the header's limit, within a record's.
        let note = "ж".repeat(17 << 19);
        let (_dir, path) = log_file(format!(
            "{LOG}\"Исходящий\";211;\"211 Пётр Иванов\";\"{note}\"\n"
        ));
        assert_eq!(later(&path).of("211").unwrap(), Some("Пётр Иванов"));
    }

    #[test]
    fn a_log_written_to_since_it_was_planned_is_an_error() {
        let (_dir, path) = log_file(LOG);
        let owners = later(&path);
        // Another program appends a row giving 210 to someone else.
        std::fs::write(&path, format!("{LOG}Исходящий;210;210 Пётр Иванов\n")).unwrap();
        let error = owners.of("210").unwrap_err().to_string();
        assert!(error.contains("changed while it was read"), "{error}");
    }

    #[test]
    fn a_log_that_cannot_be_read_fails_every_call_that_asks() {
        let dir = tempfile::tempdir().unwrap();
        let owners = later(&dir.path().join("calls.csv"));
        let first = owners.of("210").unwrap_err().to_string();
        assert!(first.contains("calls.csv"), "{first}");
        assert_eq!(owners.of("210").unwrap_err().to_string(), first);
    }
}

//! A plain CSV record split without a general parser: each field either
//! unquoted without a quote, or quoted whole (quotes inside doubled, line
//! breaks inside allowed), no carriage return in it but one before its
//! line feed. Most records of a CRM export are such records.
//!
//! The record is found in the reading buffer and its fields are read where
//! they lie there: between the delimiters or inside their quotes. Only a
//! record with a field of doubled quotes is copied into the record's own
//! buffer, where that field is moved (left, within its own bytes). Quotes
//! and line breaks are found by `memchr`; the delimiters between them
//! thirty-two bytes at a time, each delimiter of a block ending a field.
//! Every other record is `csv_core`'s (`csv_source`, whose differential
//! test holds the two to each other).

use wide::u8x32;

/// Where the fields of a record lie in its bytes: `starts[i]..ends[i]`.
pub(super) struct Bounds<'a> {
    pub(super) starts: &'a mut Vec<usize>,
    pub(super) ends: &'a mut Vec<usize>,
    /// The quoted fields with quotes doubled inside.
    pub(super) doubled: &'a mut Vec<usize>,
}

impl Bounds<'_> {
    /// Makes room for `count` fields.
    fn room(&mut self, count: usize) {
        if self.ends.len() < count {
            self.ends.resize(count, 0);
        }
        if self.starts.len() < count {
            self.starts.resize(count, 0);
        }
    }

    /// Field `count` lies at `start..end`.
    fn set(&mut self, count: usize, start: usize, end: usize) {
        self.starts[count] = start;
        self.ends[count] = end;
    }
}

/// A plain record read from the start of the input.
#[derive(Debug, PartialEq)]
pub(super) struct Plain {
    /// How many fields it has.
    pub(super) count: usize,
    /// Its bytes, without the line break that ends it.
    pub(super) length: usize,
    /// Where the next record starts: past its line break.
    pub(super) next: usize,
    /// The line breaks inside its quoted fields.
    pub(super) breaks: u64,
    /// Whether its bytes were copied into the record's buffer (a field
    /// held doubled quotes); else they lie at the input's start.
    pub(super) copied: bool,
}

/// Splits the record at the start of `input` when it is plain: each
/// field's bytes lie at `bounds` in the input's first `length` bytes, or,
/// when a field holds doubled quotes, in `record`, where the record's
/// bytes are copied and those quotes made one (`copied`). What lies
/// between the fields is delimiters and quotes, so the record's bytes are
/// text exactly when the input's are. `None` unless every field is
/// either unquoted without a quote or quoted whole, no carriage return is
/// in it but one before the line feed that ends it, the record ends in
/// `input` (a line feed read), it is not empty, and it is shorter than
/// `record`.
pub(super) fn plain_record(
    input: &[u8],
    delimiter: u8,
    record: &mut [u8],
    mut bounds: Bounds<'_>,
) -> Option<Plain> {
    let delimiters = Delimiters::new(delimiter);
    let (mut at, mut count, mut breaks) = (0, 0, 0);
    bounds.doubled.clear();
    // Where the record's bytes end, and its line break's length.
    let (length, ending) = loop {
        // The fields from `at` to the next quote or line break are
        // unquoted: each ends at a delimiter, found a block at a time.
        let special = at + memchr::memchr3(b'"', b'\r', b'\n', &input[at..])?;
        // Longer than the room: the parser's (and `bounds` grow no further
        // than a record that fits).
        if special >= record.len() {
            return None;
        }
        bounds.room(count + special - at + 1);
        // The fields' bounds as slices of their own: written through
        // `bounds`, each field reloaded both vectors' pointers and lengths
        // (the compiler cannot tell a vector's bytes from its header).
        let (starts, ends) = (&mut bounds.starts[..], &mut bounds.ends[..]);
        let mut block_at = at;
        while block_at < special {
            let mut marked = delimiters.in_block(input, block_at, special);
            while marked != 0 {
                let stop = block_at + marked.trailing_zeros() as usize;
                starts[count] = at;
                ends[count] = stop;
                count += 1;
                at = stop + 1;
                marked &= marked - 1;
            }
            block_at += BLOCK;
        }
        if input[special] != b'"' {
            bounds.set(count, at, special);
            count += 1;
            break (special, line_break(input, special)?);
        }
        // A quote may only open a field.
        if special != at {
            return None;
        }
        let (close, doubled) = closing_quote(input, at + 1, &mut breaks)?;
        bounds.room(count + 1);
        bounds.set(count, at + 1, close);
        if doubled {
            bounds.doubled.push(count);
        }
        count += 1;
        match input.get(close + 1) {
            Some(&b) if b == delimiter => at = close + 2,
            Some(_) => break (close + 1, line_break(input, close + 1)?),
            None => return None,
        }
    };
    if length == 0 || length >= record.len() {
        return None;
    }
    // Most records are read where they lie; one with doubled quotes is
    // copied to undo them.
    let copied = !bounds.doubled.is_empty();
    if copied {
        record[..length].copy_from_slice(&input[..length]);
        for &field in bounds.doubled.iter() {
            bounds.ends[field] = undouble(record, bounds.starts[field], bounds.ends[field]);
        }
    }
    Some(Plain {
        count,
        length,
        next: length + ending,
        breaks,
        copied,
    })
}

/// The length of the line break at `at`: a line feed, or a carriage
/// return and a line feed; `None` for anything else (a carriage return
/// alone, a byte after a closing quote) or the input's end.
fn line_break(input: &[u8], at: usize) -> Option<usize> {
    match input.get(at..)? {
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    }
}

/// The closing quote of a quoted field whose text starts at `at`, and
/// whether quotes are doubled inside it; the line feeds inside it are
/// counted into `breaks`. `None` when a carriage return comes first or
/// the input ends.
fn closing_quote(input: &[u8], mut at: usize, breaks: &mut u64) -> Option<(usize, bool)> {
    let mut doubled = false;
    loop {
        let found = at + memchr::memchr3(b'"', b'\r', b'\n', &input[at..])?;
        match input[found] {
            b'\n' => *breaks += 1,
            b'\r' => return None,
            _ if input.get(found + 1) == Some(&b'"') => {
                doubled = true;
                at = found + 2;
                continue;
            }
            _ => return Some((found, doubled)),
        }
        at = found + 1;
    }
}

/// Makes each pair of quotes in `record[start..end]` one, moving the text
/// after it left; the bytes it moved off become quotes. Returns the new
/// end.
fn undouble(record: &mut [u8], start: usize, end: usize) -> usize {
    let (mut at, mut out) = (start, start);
    while let Some(found) = memchr::memchr(b'"', &record[at..end]) {
        let quote = at + found;
        record.copy_within(at..=quote, out);
        out += quote + 1 - at;
        at = quote + 2;
    }
    record.copy_within(at..end, out);
    out += end - at;
    record[out..end].fill(b'"');
    out
}

/// Finds delimiters thirty-two bytes at a time: the bytes compared as
/// vectors (SSE2 on x86-64, which every x86-64 has; plain arrays where
/// there is no vector unit), into a mask of one bit a byte.
struct Delimiters {
    pattern: u8x32,
}

/// The bytes `Delimiters` compares at once.
const BLOCK: usize = 32;

impl Delimiters {
    fn new(delimiter: u8) -> Delimiters {
        Delimiters {
            pattern: u8x32::splat(delimiter),
        }
    }

    /// The delimiters among the thirty-two bytes from `at` that lie before
    /// `end`: bit `i` set for a delimiter at `at + i`.
    fn in_block(&self, input: &[u8], at: usize, end: usize) -> u32 {
        let block: [u8; BLOCK] = match input.get(at..at + BLOCK) {
            Some(block) => block.try_into().expect("a block"),
            None => {
                let mut tail = [0u8; BLOCK];
                let rest = &input[at..];
                tail[..rest.len()].copy_from_slice(rest);
                tail
            }
        };
        let inside = match end - at {
            BLOCK.. => u32::MAX,
            n => (1u32 << n) - 1,
        };
        u8x32::new(block).simd_eq(self.pattern).to_bitmask() & inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of `line` (a line feed is put after it) when it is a
    /// plain record, and its line breaks inside quotes.
    fn split(line: &str) -> Option<(Vec<String>, u64)> {
        let input = format!("{line}\nnext;record\n");
        let mut record = vec![0u8; input.len()];
        let (mut starts, mut ends, mut doubled) = (Vec::new(), Vec::new(), Vec::new());
        let bounds = Bounds {
            starts: &mut starts,
            ends: &mut ends,
            doubled: &mut doubled,
        };
        let plain = plain_record(input.as_bytes(), b';', &mut record, bounds)?;
        assert_eq!(plain.length, line.len());
        assert_eq!(plain.next, line.len() + 1);
        // Copied exactly when quotes are doubled inside a field.
        assert_eq!(plain.copied, !doubled.is_empty(), "{line:?}");
        let record = if plain.copied {
            record
        } else {
            input.as_bytes().to_vec()
        };
        // Between the fields lies nothing but delimiters and quotes.
        let mut between = record[..line.len()].to_vec();
        for i in 0..plain.count {
            between[starts[i]..ends[i]].fill(b';');
        }
        assert!(between.iter().all(|&b| b == b';' || b == b'"'), "{line:?}");
        let fields = (0..plain.count)
            .map(|i| String::from_utf8(record[starts[i]..ends[i]].to_vec()).unwrap())
            .collect();
        Some((fields, plain.breaks))
    }

    fn fields(line: &str) -> Vec<String> {
        split(line).unwrap_or_else(|| panic!("{line:?} is plain")).0
    }

    #[test]
    fn plain_fields_split_and_quotes_undoubled() {
        assert_eq!(
            fields(r#"1;"ООО ""Тепло""";;"a;b";x"#),
            ["1", "ООО \"Тепло\"", "", "a;b", "x"]
        );
        assert_eq!(fields("a;"), ["a", ""]);
        assert_eq!(fields(r#""""#), [""]);
        // Several fields in one block of thirty-two bytes, and fields across
        // blocks.
        assert_eq!(
            fields("a;b;c;d;e;f;g;h;i;jklmnopqrstuvwxyz0123456789;v"),
            [
                "a",
                "b",
                "c",
                "d",
                "e",
                "f",
                "g",
                "h",
                "i",
                "jklmnopqrstuvwxyz0123456789",
                "v"
            ]
        );
        // Quoted fields right after a delimiter in the same word, quotes
        // doubled one after another, and a quoted field that ends the line.
        assert_eq!(
            fields(r#"x;"""";"a""b""""c";"Ёж";;"#),
            ["x", "\"", "a\"b\"\"c", "Ёж", "", ""]
        );
        assert_eq!(
            fields(r#"1234567;"в ""кавычках"" текст";z"#),
            ["1234567", "в \"кавычках\" текст", "z"]
        );
    }

    #[test]
    fn line_breaks_inside_quotes_are_counted() {
        assert_eq!(
            split("1;\"первая\nвторая\n\";\"\"\"x\"\"\ny\"").unwrap(),
            (
                vec!["1".into(), "первая\nвторая\n".into(), "\"x\"\ny".into()],
                3
            )
        );
    }

    #[test]
    fn a_record_ends_at_its_line_break() {
        let mut record = vec![0u8; 64];
        let (mut starts, mut ends, mut doubled) = (Vec::new(), Vec::new(), Vec::new());
        for (input, length, next) in [
            ("a;b\r\nc", 3, 5),
            ("a;\"b\"\r\nc", 5, 7),
            ("\"a\"\nc", 3, 4),
        ] {
            let bounds = Bounds {
                starts: &mut starts,
                ends: &mut ends,
                doubled: &mut doubled,
            };
            let plain = plain_record(input.as_bytes(), b';', &mut record, bounds);
            let expected = Plain {
                count: if input.starts_with("a;") { 2 } else { 1 },
                length,
                next,
                breaks: 0,
                copied: false,
            };
            assert_eq!(plain, Some(expected), "{input:?}");
        }
        // Cut by the input's end, empty, too long for the room, a carriage
        // return alone: the parser's.
        for (input, room) in [
            ("a;b", 64),
            ("a;\"b\"", 64),
            ("\r\na", 64),
            ("\n", 64),
            ("abcd\n", 4),
        ] {
            let bounds = Bounds {
                starts: &mut starts,
                ends: &mut ends,
                doubled: &mut doubled,
            };
            let plain = plain_record(input.as_bytes(), b';', &mut record[..room], bounds);
            assert_eq!(plain, None, "{input:?}");
        }
    }

    #[test]
    fn other_records_are_left_to_the_parser() {
        for line in [
            r#"a"b;c"#,
            r#""a"b;c"#,
            r#""open;x"#,
            "a\rb",
            "\"a\rb\"",
            "\"a\"\rb",
        ] {
            assert_eq!(split(line), None, "{line:?}");
        }
    }

    #[test]
    fn a_block_marks_exactly_its_delimiters_before_the_end() {
        // Each delimiter among other bytes (every value once, the high bit
        // set or not), from every start, up to every end: near the input's
        // end the block is read short.
        for delimiter in [b';', b',', b'\t'] {
            let delimiters = Delimiters::new(delimiter);
            let input: Vec<u8> = (0..=255u8).chain([delimiter; 3]).chain(0..40).collect();
            for at in 0..input.len() {
                for end in at..input.len().min(at + BLOCK + 2) {
                    let marked = delimiters.in_block(&input, at, end);
                    for i in 0..u32::BITS as usize {
                        let expected = i < BLOCK && at + i < end && input[at + i] == delimiter;
                        assert_eq!(
                            marked >> i & 1 == 1,
                            expected,
                            "{delimiter} {at}..{end} bit {i}"
                        );
                    }
                }
            }
        }
    }
}

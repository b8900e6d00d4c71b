//! A plain CSV line split without a general parser: each field either
//! unquoted without a quote, or quoted whole (quotes inside doubled), no
//! carriage return in it. Most lines of a CRM export are such lines, and
//! looking at eight bytes at a time for the three bytes that end a field
//! is several times cheaper than `csv_core`'s byte-by-byte state machine.
//! Every other line is `csv_core`'s (`csv_source`, whose differential
//! test holds the two to each other).

/// Splits `line` (no line feed in it, no longer than `fields`) into
/// fields written to `fields` and `ends` as `csv_core` writes them, and
/// returns their count; `None` unless every field is either unquoted
/// without a quote or quoted whole, and no carriage return is in it.
pub(super) fn plain_line(
    line: &[u8],
    delimiter: u8,
    fields: &mut [u8],
    ends: &mut Vec<usize>,
) -> Option<usize> {
    let special = Special::new(delimiter);
    let (mut at, mut out, mut count) = (0, 0, 0);
    loop {
        let next = if line.get(at) == Some(&b'"') {
            // Quoted: copied up to each quote; a doubled one is one quote.
            at += 1;
            loop {
                let quote = special.quote_from(line, at)?;
                let piece = &line[at..quote];
                fields[out..out + piece.len()].copy_from_slice(piece);
                out += piece.len();
                match line.get(quote + 1) {
                    Some(&b'"') => {
                        fields[out] = b'"';
                        out += 1;
                        at = quote + 2;
                    }
                    Some(&b) if b == delimiter => break Some(quote + 2),
                    None => break None,
                    Some(_) => return None,
                }
            }
        } else {
            let stop = special.any_from(line, at);
            let piece = &line[at..stop];
            fields[out..out + piece.len()].copy_from_slice(piece);
            out += piece.len();
            match line.get(stop) {
                None => None,
                Some(&b) if b == delimiter => Some(stop + 1),
                Some(_) => return None,
            }
        };
        if count == ends.len() {
            ends.resize(count * 2 + 1, 0);
        }
        ends[count] = out;
        count += 1;
        match next {
            Some(next) => at = next,
            None => return Some(count),
        }
    }
}

/// Finds the bytes that end a plain field (the delimiter, a quote, a
/// carriage return) eight at a time.
struct Special {
    delimiter: u64,
}

const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
const CRS: u64 = u64::from_ne_bytes([b'\r'; 8]);

impl Special {
    fn new(delimiter: u8) -> Special {
        Special {
            delimiter: u64::from_ne_bytes([delimiter; 8]),
        }
    }

    /// The first delimiter, quote or carriage return at or after `at`, or
    /// the line's length.
    fn any_from(&self, line: &[u8], at: usize) -> usize {
        self.find(line, at, |w| {
            equal_bytes(w, self.delimiter) | equal_bytes(w, QUOTES) | equal_bytes(w, CRS)
        })
        .unwrap_or(line.len())
    }

    /// The first quote at or after `at`; `None` when there is none, or a
    /// carriage return comes first.
    fn quote_from(&self, line: &[u8], at: usize) -> Option<usize> {
        let found = self.find(line, at, |w| equal_bytes(w, QUOTES) | equal_bytes(w, CRS))?;
        (line[found] == b'"').then_some(found)
    }

    /// The first byte at or after `at` that `mark` marks (its high bit
    /// set in the word of eight bytes from it).
    fn find(&self, line: &[u8], mut at: usize, mark: impl Fn(u64) -> u64) -> Option<usize> {
        while let Some(eight) = line.get(at..at + 8) {
            let word = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
            let marked = mark(word);
            if marked != 0 {
                return Some(at + (marked.trailing_zeros() / 8) as usize);
            }
            at += 8;
        }
        let mut tail = [0u8; 8];
        let rest = &line[at..];
        tail[..rest.len()].copy_from_slice(rest);
        // The zeros past the line's end are masked off.
        let marked = mark(u64::from_le_bytes(tail)) & ((1u64 << (rest.len() * 8)) - 1);
        (marked != 0).then(|| at + (marked.trailing_zeros() / 8) as usize)
    }
}

/// The high bit of each byte of `word` equal to its byte in `pattern`.
fn equal_bytes(word: u64, pattern: u64) -> u64 {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ pattern;
    !(((x & LOW) + LOW) | x | LOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Option<Vec<String>> {
        let mut fields = vec![0u8; line.len()];
        let mut ends = Vec::new();
        let count = plain_line(line.as_bytes(), b';', &mut fields, &mut ends)?;
        let mut from = 0;
        Some(
            ends[..count]
                .iter()
                .map(|&end| {
                    let field = String::from_utf8(fields[from..end].to_vec()).unwrap();
                    from = end;
                    field
                })
                .collect(),
        )
    }

    #[test]
    fn plain_fields_split_and_quotes_undoubled() {
        assert_eq!(
            split(r#"1;"ООО ""Тепло""";;"a;b";x"#).unwrap(),
            ["1", "ООО \"Тепло\"", "", "a;b", "x"]
        );
        assert_eq!(split("a;").unwrap(), ["a", ""]);
        assert_eq!(split(r#""""#).unwrap(), [""]);
    }

    #[test]
    fn other_lines_are_left_to_the_parser() {
        for line in [r#"a"b;c"#, r#""a"b;c"#, r#""open;x"#, "a\rb", "\"a\rb\""] {
            assert_eq!(split(line), None, "{line:?}");
        }
    }

    #[test]
    fn equal_bytes_marks_exactly_the_equal_bytes() {
        // Every byte value against every pattern byte, in each place of
        // the word, with a match below it (whose borrow a subtraction
        // would carry up) or none, beside bytes with the high bit set.
        for pattern in [b';', b',', b'\t', b'"', b'\r'] {
            let wide = u64::from_ne_bytes([pattern; 8]);
            for value in 0..=255u8 {
                for place in 0..8 {
                    for below in [0xFF, pattern] {
                        let mut bytes = [0x80u8 ^ pattern; 8];
                        if place > 0 {
                            bytes[place - 1] = below;
                        }
                        bytes[place] = value;
                        let marked = equal_bytes(u64::from_le_bytes(bytes), wide).to_le_bytes();
                        for (i, &b) in bytes.iter().enumerate() {
                            assert_eq!(marked[i] == 0x80, b == pattern, "{value} at {place}");
                            assert!(marked[i] == 0 || marked[i] == 0x80);
                        }
                    }
                }
            }
        }
    }
}

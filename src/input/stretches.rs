//! Cutting a large CSV file into stretches that readers on several cores
//! take at once.
//!
//! A stretch starts at the start of a line near a size step set by the
//! file's size (`step`), so the cuts depend on the file alone, never on
//! the number of cores: the
//! records, and so the report, are the same on any machine. A line break
//! may also sit inside a quoted field (a note written on several lines): a
//! cut is taken only where the next few records each have the header's
//! number of fields, which a start inside a field almost never gives.
//! Should a cut still fall inside a field, the reader of the stretch before
//! finds its last record open at the cut, reads on, and the stretch it ran
//! into is discarded (`Rows::absorbed`): a wrong cut costs time, never a
//! wrong record.

use std::path::Path;

/// The largest size step between cuts (a file of sixteen steps or more is
/// cut at it): large enough that each stretch's fixed costs (opening the
/// file, its own small tables) do not show, small enough to keep both
/// cores busy to the end and the memory of stretches read ahead of their
/// merge low.
pub const STRETCH_BYTES: u64 = 8 * 1024 * 1024;

/// The smallest step a smaller file is cut at (unless the largest step
/// asked is smaller still): below it, a stretch's fixed costs would show.
pub const MIN_STRETCH_BYTES: u64 = 1024 * 1024;

/// How many stretches a file smaller than sixteen full steps is cut into.
const STRETCHES_OF_A_SMALL_FILE: u64 = 16;

/// The step a file of `size` bytes is cut at: `largest` (the full step),
/// or for a smaller file a sixteenth of it but at least
/// `MIN_STRETCH_BYTES` (or `largest`, when that is smaller still), so
/// that the cores share a small folder too. A file of three full steps
/// on two cores would keep one core reading the third alone. Like the
/// cuts, the step depends on the file alone.
pub fn step(size: u64, largest: u64) -> u64 {
    (size / STRETCHES_OF_A_SMALL_FILE)
        .max(MIN_STRETCH_BYTES)
        .min(largest)
}

/// The shape of the records a cut must be followed by.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub delimiter: u8,
    /// The header's number of fields.
    pub width: usize,
}

/// Where the stretches after the first start: a step past `from` (or past
/// the last cut, if that is further), the first line start after it that is
/// followed by records of the file's `shape`; and so on to the end. What
/// `file_cuts` finds reading a file in windows; the tests hold it to this.
#[cfg(test)]
pub fn cuts(bytes: &[u8], from: usize, step: usize, shape: Shape) -> Vec<u64> {
    let step = step.max(1);
    let mut cuts: Vec<u64> = Vec::new();
    let mut at = from.saturating_add(step);
    // Built at the first cut tried: a file smaller than a step has none.
    let mut parser = None;
    while at < bytes.len() {
        let parser = parser.get_or_insert_with(|| shape_parser(shape));
        let found = record_start(bytes, at, shape, parser);
        let Some(cut) = found.filter(|&c| c < bytes.len()) else {
            break;
        };
        cuts.push(cut as u64);
        // The next step, but not before this cut: each cut is past the last.
        at = at.saturating_add(step).max(cut);
    }
    cuts
}

/// How many records after a line start must have the file's shape.
const RECORDS_CHECKED: usize = 3;
/// How many line starts are tried before settling for the first (in a
/// file whose records vary in width).
const STARTS_TRIED: usize = 16;

/// A parser for `record_start`, one for every start tried in a file:
/// building one builds its tables (as many instructions as splitting a
/// thousand rows), and a file is cut at many places.
fn shape_parser(shape: Shape) -> csv_core::Reader {
    csv_core::ReaderBuilder::new()
        .delimiter(shape.delimiter)
        .build()
}

/// The first line start at or after `at` followed by records of `shape`
/// (read by `parser`, a `shape_parser`); failing that, the first line
/// start.
fn record_start(
    bytes: &[u8],
    at: usize,
    shape: Shape,
    parser: &mut csv_core::Reader,
) -> Option<usize> {
    let mut starts = memchr::memchr_iter(b'\n', &bytes[at..]).map(|i| at + i + 1);
    let first = starts.next()?;
    std::iter::once(first)
        .chain(starts)
        .take(STARTS_TRIED)
        .find(|&start| has_shape(parser, &bytes[start..], shape))
        .or(Some(first))
}

/// Whether the records at the start of `bytes` (up to `RECORDS_CHECKED`,
/// at least one) each have `shape.width` fields, by `parser` (made ready).
fn has_shape(parser: &mut csv_core::Reader, bytes: &[u8], shape: Shape) -> bool {
    use csv_core::ReadFieldResult::*;
    parser.reset();
    let mut scratch = [0u8; 1024];
    let (mut input, mut fields, mut records) = (bytes, 0, 0);
    while records < RECORDS_CHECKED {
        // An empty input tells the parser the file ends there.
        let (result, read, _) = parser.read_field(input, &mut scratch);
        input = &input[read..];
        match result {
            InputEmpty | OutputFull => {}
            Field { record_end } => {
                fields += 1;
                if record_end {
                    if fields != shape.width {
                        return false;
                    }
                    fields = 0;
                    records += 1;
                }
            }
            End => return records > 0,
        }
    }
    true
}

/// How much of a file is read after each step to find a cut there: many
/// lines of any export (`STARTS_TRIED` and `RECORDS_CHECKED` lines of a
/// deal export, some 700 bytes each, are 14 KiB).
const WINDOW_BYTES: u64 = 64 * 1024;

/// The same for a file, reading only a window after each step (a line
/// longer than the window leaves that step without a cut).
pub fn file_cuts(path: &Path, from: u64, step: u64, shape: Shape) -> anyhow::Result<Vec<u64>> {
    use anyhow::Context;
    use std::io::{Read, Seek, SeekFrom};
    let read = || format!("cannot read {}", path.display());
    let mut file = std::fs::File::open(path).with_context(read)?;
    let len = file.metadata().with_context(read)?.len();
    let step = step.max(1);
    let mut cuts: Vec<u64> = Vec::new();
    let mut window = Vec::with_capacity(WINDOW_BYTES as usize);
    let mut at = from.saturating_add(step);
    // Built at the first cut tried: a file smaller than a step has none.
    let mut parser = None;
    while at < len {
        let parser = parser.get_or_insert_with(|| shape_parser(shape));
        window.clear();
        file.seek(SeekFrom::Start(at)).with_context(read)?;
        (&mut file)
            .take(WINDOW_BYTES)
            .read_to_end(&mut window)
            .with_context(read)?;
        let cut = record_start(&window, 0, shape, parser).map(|c| at + c as u64);
        match cut {
            Some(cut) if cut < len => {
                cuts.push(cut);
                at = at.saturating_add(step).max(cut);
            }
            // No line starts in the rest of the file.
            _ if at + window.len() as u64 >= len => break,
            _ => at = at.saturating_add(step),
        }
    }
    Ok(cuts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, from: usize, step: usize, width: usize) -> Vec<u64> {
        let shape = Shape {
            delimiter: b',',
            width,
        };
        cuts(text.as_bytes(), from, step, shape)
    }

    #[test]
    fn a_start_inside_a_quote_left_open_is_passed_over() {
        // The first line start is inside a quote the window never closes:
        // its one field is no record of the shape. The next start is.
        let bytes = b"x\n\"open\na,b\nc,d\n";
        let shape = Shape {
            delimiter: b',',
            width: 2,
        };
        assert_eq!(
            record_start(bytes, 0, shape, &mut shape_parser(shape)),
            Some(8)
        );
    }

    #[test]
    fn a_small_file_is_cut_finer_down_to_the_least_step() {
        const MIB: u64 = 1024 * 1024;
        // Three exports of a few megabytes: a megabyte each, not one
        // stretch each (two cores would read the third one alone).
        assert_eq!(step(7 * MIB, STRETCH_BYTES), MIN_STRETCH_BYTES);
        assert_eq!(step(48 * MIB, STRETCH_BYTES), 3 * MIB);
        assert_eq!(step(700 * MIB, STRETCH_BYTES), STRETCH_BYTES);
        // A step asked smaller than the least (the tests') is kept.
        assert_eq!(step(7 * MIB, 64), 64);
    }

    #[test]
    fn cuts_fall_on_line_starts_past_each_step() {
        // Lines start at 0, 4, 8, 20, 22.
        let text = "ab;\ncd;\nlong line  \nx\ny\n";
        assert_eq!(at(text, 0, 5, 1), vec![8, 20, 22]);
        assert_eq!(at(text, 0, 1, 1), vec![4, 8, 20, 22]);
        assert_eq!(at(text, 0, 100, 1), Vec::<u64>::new());
        // The steps count from where the data starts (after a BOM).
        assert_eq!(at(text, 3, 5, 1), vec![20, 22]);
    }

    #[test]
    fn cuts_skip_line_breaks_inside_quotes() {
        // Records start at 0, 10 and 22; the line breaks at 4 and 14 are
        // inside quoted notes (the second after a doubled quote).
        let text = "1,\"a\nb\",x\n2,\"c\n\"\"d\",y\n3,z,w\n";
        assert_eq!(at(text, 0, 3, 3), vec![10, 22]);
        assert_eq!(at(text, 0, 1, 3), vec![10, 22]);
    }

    #[test]
    fn records_of_another_width_fall_back_to_the_first_line_start() {
        // No line start is followed by records of four fields.
        let text = "1,\"a\nb\",x\n2,y,z\n";
        assert_eq!(at(text, 0, 3, 4), vec![5, 10]);
    }

    #[test]
    fn a_file_without_line_feeds_is_one_stretch() {
        assert!(at("a,b\r1,2\r3,4\r", 0, 2, 2).is_empty());
    }

    #[test]
    fn files_are_cut_like_texts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "ab;\ncd;\nlong line  \nx\ny\n").unwrap();
        let shape = Shape {
            delimiter: b',',
            width: 1,
        };
        assert_eq!(file_cuts(&path, 0, 5, shape).unwrap(), vec![8, 20, 22]);
        let empty = dir.path().join("empty.csv");
        std::fs::write(&empty, "").unwrap();
        assert!(file_cuts(&empty, 0, 5, shape).unwrap().is_empty());
        // Across several windows, the cuts of the text.
        let mut long = String::new();
        for i in 0..60_000 {
            long.push_str(&format!("{i},\"note\nline\",x\n"));
        }
        let path = dir.path().join("long.csv");
        std::fs::write(&path, &long).unwrap();
        let shape = Shape {
            delimiter: b',',
            width: 3,
        };
        for step in [1000, 100_000, 300_000] {
            assert_eq!(
                file_cuts(&path, 0, step, shape).unwrap(),
                cuts(long.as_bytes(), 0, step as usize, shape),
                "every {step}"
            );
        }
    }
}

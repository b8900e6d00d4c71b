//! Cutting a large CSV file into stretches that readers on several cores
//! take at once.
//!
//! A stretch starts at the start of a line near a fixed size step, so the
//! cuts depend on the file alone, never on the number of cores: the
//! records, and so the report, are the same on any machine. A line break
//! may also sit inside a quoted field (a note written on several lines);
//! the quotes before each step are counted first (on every core), and the
//! cut goes to the first line break after the step with an even count
//! behind it: outside quotes, in a file that doubles its quotes as every
//! export does. Should a cut still fall inside a field (a file with stray
//! quotes), the reader of the stretch before finds its last record open at
//! the cut, reads on, and the stretch it ran into is discarded
//! (`Rows::absorbed`): a wrong cut costs time, never a wrong record.

use anyhow::Context;
use std::fs::File;
use std::path::Path;

/// The size step between cuts: large enough that each stretch's fixed
/// costs (opening the file, its own small tables) do not show, small
/// enough to keep both cores busy to the end and the memory of stretches
/// read ahead of their merge low.
pub const STRETCH_BYTES: u64 = 8 * 1024 * 1024;

/// Where the stretches after the first start: for each multiple of `step`
/// past `from`, the start of the first line after it outside quotes, in
/// increasing order without repeats.
pub fn cuts(bytes: &[u8], from: usize, step: usize) -> Vec<u64> {
    let step = step.max(1);
    let starts: Vec<usize> = (from..bytes.len()).step_by(step).collect();
    let quotes = quotes_per_segment(bytes, &starts, step);
    let mut cuts: Vec<u64> = Vec::new();
    let mut odd = false;
    for k in 1..starts.len() {
        odd ^= quotes[k - 1] % 2 == 1;
        let Some(cut) = line_start_outside_quotes(bytes, starts[k], odd) else {
            continue;
        };
        if cut < bytes.len() && cuts.last().is_none_or(|&last| (cut as u64) > last) {
            cuts.push(cut as u64);
        }
    }
    cuts
}

/// How far past a step a cut is looked for before settling for the
/// first line break (the quotes may not pair up in a file with stray ones).
const LOOK_AHEAD: usize = 1 << 20;

/// The offset after the first line feed at or after `at` with an even
/// number of quotes before it (`odd`: the count before `at` is odd); past
/// `LOOK_AHEAD`, after the first line feed.
fn line_start_outside_quotes(bytes: &[u8], at: usize, mut odd: bool) -> Option<usize> {
    let window = &bytes[at..bytes.len().min(at + LOOK_AHEAD)];
    for (i, &b) in window.iter().enumerate() {
        match b {
            b'"' => odd = !odd,
            b'\n' if !odd => return Some(at + i + 1),
            _ => {}
        }
    }
    memchr::memchr(b'\n', &bytes[at..]).map(|i| at + i + 1)
}

/// The quotes in each `step` bytes from each of `starts`, counted on
/// every core.
fn quotes_per_segment(bytes: &[u8], starts: &[usize], step: usize) -> Vec<usize> {
    let count =
        |&s: &usize| memchr::memchr_iter(b'"', &bytes[s..bytes.len().min(s + step)]).count();
    let share = starts.len().div_ceil(crate::parallel::cores()).max(1);
    if starts.len() <= share {
        return starts.iter().map(count).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .chunks(share)
            .map(|part| scope.spawn(move || part.iter().map(count).collect::<Vec<usize>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// The same for a file (mapped, not read).
pub fn file_cuts(path: &Path, from: u64, step: u64) -> anyhow::Result<Vec<u64>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    if file.metadata()?.len() == 0 {
        return Ok(Vec::new());
    }
    // SAFETY: read only; see `CsvSource::open_stretch` on files changed
    // during the run.
    let map = unsafe { memmap2::Mmap::map(&file) }
        .with_context(|| format!("cannot read {}", path.display()))?;
    let step = usize::try_from(step).unwrap_or(usize::MAX);
    Ok(cuts(&map, from as usize, step))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, from: usize, step: usize) -> Vec<u64> {
        cuts(text.as_bytes(), from, step)
    }

    #[test]
    fn cuts_fall_on_line_starts_past_each_step() {
        // Lines start at 0, 4, 8, 20, 22.
        let text = "ab;\ncd;\nlong line  \nx\ny\n";
        assert_eq!(at(text, 0, 5), vec![8, 20, 22]);
        assert_eq!(at(text, 0, 1), vec![4, 8, 20, 22]);
        assert_eq!(at(text, 0, 100), Vec::<u64>::new());
        // The steps count from where the data starts (after a BOM).
        assert_eq!(at(text, 3, 5), vec![20]);
    }

    #[test]
    fn cuts_skip_line_breaks_inside_quotes() {
        // Records start at 0, 10 and 22; the line breaks at 4 and 14 are
        // inside quoted notes (the second after a doubled quote).
        let text = "1,\"a\nb\",x\n2,\"c\n\"\"d\",y\n3,z\n";
        assert_eq!(at(text, 0, 3), vec![10, 22]);
        assert_eq!(at(text, 0, 1), vec![10, 22]);
    }

    #[test]
    fn a_file_without_line_feeds_is_one_stretch() {
        assert!(at("a,b\r1,2\r3,4\r", 0, 2).is_empty());
    }

    #[test]
    fn files_are_cut_like_texts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "ab;\ncd;\nlong line  \nx\ny\n").unwrap();
        assert_eq!(file_cuts(&path, 0, 5).unwrap(), vec![8, 20, 22]);
        let empty = dir.path().join("empty.csv");
        std::fs::write(&empty, "").unwrap();
        assert!(file_cuts(&empty, 0, 5).unwrap().is_empty());
    }
}

//! The words of a task's result that report a failed contact
//! (`failure-patterns`), found as written, ignoring case: a result
//! `Не дозвонился` holds the word `не дозвон`, `НЕДОЗВОН` holds `недозвон`.
//!
//! A task list holds millions of results, each searched as it is read. A
//! regular expression ignoring case spent a tenth of a large audit's time
//! on them (no prefix of a Cyrillic word in either case is rare enough to
//! skip text by) and a millisecond of every run building itself. Here the
//! words are folded once, each result is folded as it is searched (ASCII
//! and the Cyrillic letters U+0400 to U+045F, each to its lowercase), and
//! the folded words are found in it by Aho-Corasick.
//!
//! The answer is the regular expression's: letters outside that alphabet
//! whose case folds into it ([`FOLDED_FROM_OUTSIDE`]: the Kelvin sign, the
//! long s, the old Cyrillic letter forms) send a result to the expression,
//! built the first time one is met; so does every result when a word has a
//! letter outside the alphabet. The tests hold the fold to the expression
//! letter by letter.

use aho_corasick::AhoCorasick;
use std::sync::{Arc, OnceLock};
use wide::u8x32;

/// Finds any of a list of words in a text, ignoring case.
#[derive(Debug, Clone)]
pub struct FailureWords {
    /// The words as given, for the regular expression.
    words: Vec<String>,
    /// The words folded; none when a word has a letter outside the fold's
    /// alphabet.
    folded: Option<Folded>,
    /// Any of the words, ignoring case: for the texts the fold cannot
    /// judge. Built once for a finder and its clones (the readers' filter
    /// is the one follow-up rule's finder).
    regex: Arc<OnceLock<regex::Regex>>,
}

/// A finder of the folded words: Aho-Corasick's vector search (Teddy,
/// the regular expression's own prefilter) where the processor has it,
/// else its automaton.
#[derive(Debug, Clone)]
enum Folded {
    Vectors(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl Folded {
    fn new(words: &[Vec<u8>]) -> Folded {
        let vectors = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(words)
            .build();
        match vectors {
            Some(searcher) => Folded::Vectors(searcher),
            None => Folded::Automaton(AhoCorasick::new(words).expect("a few short words")),
        }
    }

    fn is_match(&self, text: &[u8]) -> bool {
        match self {
            Folded::Vectors(searcher) => searcher.find(text).is_some(),
            Folded::Automaton(automaton) => automaton.is_match(text),
        }
    }
}

/// Characters outside ASCII and U+0400..U+045F that a case-insensitive
/// regular expression takes for letters inside them: `ſ` (s), the Kelvin
/// sign (k) and the old Cyrillic forms of в, д, о, с, т (two) and ъ. A
/// test finds them by asking the expression about every character.
pub(crate) const FOLDED_FROM_OUTSIDE: [char; 9] = [
    '\u{17f}', '\u{1c80}', '\u{1c81}', '\u{1c82}', '\u{1c83}', '\u{1c84}', '\u{1c85}', '\u{1c86}',
    '\u{212a}',
];

/// Texts up to this many bytes are folded on the stack.
const ON_STACK: usize = 256;

impl FailureWords {
    /// A finder of `words` (lowercase, none empty); none for no words.
    pub fn new(words: &[String]) -> Option<FailureWords> {
        if words.is_empty() {
            return None;
        }
        let folded: Option<Vec<Vec<u8>>> = words
            .iter()
            .map(|w| {
                let mut out = vec![0u8; w.len()];
                (fold(w, &mut out) && within_alphabet(w)).then_some(out)
            })
            .collect();
        Some(FailureWords {
            words: words.to_vec(),
            folded: folded.map(|f| Folded::new(&f)),
            regex: Arc::default(),
        })
    }

    /// A finder of every word of `finders` (each follow-up rule's): the
    /// one finder itself where there is one (its regex, if it falls back
    /// to it, then built once for both); none for none.
    pub fn any_of(finders: &[FailureWords]) -> Option<FailureWords> {
        match finders {
            [one] => Some(one.clone()),
            _ => {
                let mut words: Vec<String> = finders.iter().flat_map(|f| f.words.clone()).collect();
                words.sort();
                words.dedup();
                FailureWords::new(&words)
            }
        }
    }

    /// Whether `text` holds one of the words, whatever the case of its
    /// letters.
    pub fn is_match(&self, text: &str) -> bool {
        let Some(words) = &self.folded else {
            return self.regex().is_match(text);
        };
        let mut stack = [0u8; ON_STACK];
        let mut heap = Vec::new();
        let out = match stack.get_mut(..text.len()) {
            Some(out) => out,
            None => {
                heap.resize(text.len(), 0);
                &mut heap[..]
            }
        };
        if fold(text, out) {
            words.is_match(&*out)
        } else {
            self.regex().is_match(text)
        }
    }

    fn regex(&self) -> &regex::Regex {
        self.regex.get_or_init(|| {
            let words: Vec<String> = self.words.iter().map(|w| regex::escape(w)).collect();
            regex::RegexBuilder::new(&words.join("|"))
                .case_insensitive(true)
                .build()
                .expect("escaped words form a valid pattern")
        })
    }
}

/// Whether every character of `word` is in the fold's alphabet.
fn within_alphabet(word: &str) -> bool {
    word.chars()
        .all(|c| c.is_ascii() || ('\u{400}'..='\u{45f}').contains(&c))
}

/// Writes `text` folded into `out` (as long as `text`): ASCII letters and
/// the Cyrillic ones up to U+045F in lowercase, each in as many bytes as
/// before; every other character as it is. False when `text` holds one of
/// [`FOLDED_FROM_OUTSIDE`], which the fold cannot judge.
///
/// Each byte's fold depends on its neighbours alone (`fold_byte`), so the
/// bytes are folded 32 at a time wherever both neighbours of all 32 are
/// there, and one by one at the ends.
fn fold(text: &str, out: &mut [u8]) -> bool {
    let bytes = text.as_bytes();
    if holds_folded_from_outside(text) {
        return false;
    }
    let n = bytes.len();
    let out = &mut out[..n];
    let one = |j: usize| {
        let prev = j.checked_sub(1).map_or(0, |p| bytes[p]);
        fold_byte(prev, bytes[j], bytes.get(j + 1).copied().unwrap_or(0))
    };
    let block = |j: usize| {
        let at = |k: usize| u8x32::new(bytes[k..k + 32].try_into().expect("32 bytes"));
        fold_block(at(j - 1), at(j), at(j + 1)).to_array()
    };
    // Blocks of positions `j..j + 32`, their neighbours `j - 1..j + 33`:
    // from position 1, and a last one ending a byte before the end.
    let mut j = 1;
    while j + 33 <= n {
        out[j..j + 32].copy_from_slice(&block(j));
        j += 32;
    }
    if n >= 34 && j < n - 1 {
        out[n - 33..n - 1].copy_from_slice(&block(n - 33));
        j = n - 1;
    }
    if n > 0 {
        out[0] = one(0);
    }
    let rest = j.max(1);
    for (k, b) in out.iter_mut().enumerate().skip(rest) {
        *b = one(k);
    }
    true
}

/// Whether `text` holds one of [`FOLDED_FROM_OUTSIDE`], each of which
/// begins with the byte C5, E1 or E2.
fn holds_folded_from_outside(text: &str) -> bool {
    memchr::memchr3_iter(0xc5, 0xe1, 0xe2, text.as_bytes()).any(|i| {
        // A lead byte: a character starts there.
        (text[i..].chars().next()).is_some_and(|c| FOLDED_FROM_OUTSIDE.contains(&c))
    })
}

/// A byte folded, by the bytes either side of it (0 at an end). In UTF-8
/// a byte after D0 is the second of a letter U+0400..U+043F, whose
/// capitals U+0400..U+042F fold to U+0450..U+045F (D1 90..9F) and
/// U+0430..U+044F (D0 B0..BF, D1 80..8F): the second byte moves, and the
/// first becomes D1 for two of the three ranges.
fn fold_byte(prev: u8, byte: u8, next: u8) -> u8 {
    match (prev, byte) {
        (_, b'A'..=b'Z') => byte + 0x20,
        (0xd0, 0x80..=0x8f) => byte + 0x10,
        (0xd0, 0x90..=0x9f) => byte + 0x20,
        (0xd0, 0xa0..=0xaf) => byte - 0x20,
        (_, 0xd0) if matches!(next, 0x80..=0x8f | 0xa0..=0xaf) => 0xd1,
        _ => byte,
    }
}

/// `fold_byte` over 32 bytes at once: `prev` and `next` are the bytes one
/// before and one after each.
fn fold_block(prev: u8x32, byte: u8x32, next: u8x32) -> u8x32 {
    let splat = u8x32::splat;
    let high = byte & splat(0xf0);
    let next_high = next & splat(0xf0);
    let upper = byte.max(splat(b'A')).simd_eq(byte) & byte.min(splat(b'Z')).simd_eq(byte);
    let second = prev.simd_eq(splat(0xd0));
    let lead = byte.simd_eq(splat(0xd0))
        & (next_high.simd_eq(splat(0x80)) | next_high.simd_eq(splat(0xa0)));
    // Added, wrapping: 0xe0 takes 0x20 away.
    let add = (upper & splat(0x20))
        | (second & high.simd_eq(splat(0x80)) & splat(0x10))
        | (second & high.simd_eq(splat(0x90)) & splat(0x20))
        | (second & high.simd_eq(splat(0xa0)) & splat(0xe0))
        | (lead & splat(0x01));
    byte + add
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_fold_as_bytes_one_by_one_do() {
        // Every byte between every pair of neighbours that matter (ASCII
        // letters' edges, D0, the ranges after D0), each place of a block.
        let edges: Vec<u8> = vec![
            0, b'@', b'A', b'Z', b'[', b'a', 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xaf, 0xb0, 0xbf,
            0xc5, 0xcf, 0xd0, 0xd1, 0xe2, 0xff,
        ];
        for &prev in &edges {
            for &next in &edges {
                let bytes: Vec<u8> = (0..=255u8).collect();
                for start in (0..256).step_by(32) {
                    let byte: [u8; 32] = bytes[start..start + 32].try_into().unwrap();
                    let folded =
                        fold_block(u8x32::splat(prev), u8x32::new(byte), u8x32::splat(next));
                    for (k, b) in byte.iter().enumerate() {
                        assert_eq!(
                            folded.to_array()[k],
                            fold_byte(prev, *b, next),
                            "{prev:x} {b:x} {next:x}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn texts_of_every_byte_length_fold_with_capitals_at_every_edge() {
        // ASCII around a capital Д (D0 94) and a capital Ж (D0 96) put at
        // the start, the end, and across the places where the blocks of 32
        // and the last overlapping block begin and end.
        for n in 0..=100usize {
            for at in [
                0,
                1,
                15,
                16,
                30,
                31,
                32,
                33,
                34,
                n.saturating_sub(2),
                n.saturating_sub(3),
            ] {
                if n < 2 || at + 2 > n {
                    continue;
                }
                let mut text = "q".repeat(n);
                text.replace_range(at..at + 2, "Д");
                if at >= 4 {
                    text.replace_range(at - 4..at - 2, "Ж");
                }
                let expected = text.replace('Д', "д").replace('Ж', "ж");
                assert_eq!(folded(&text), Some(expected), "{n} bytes, Д at {at}");
            }
            let ascii = "Q".repeat(n);
            assert_eq!(folded(&ascii), Some("q".repeat(n)), "{n} bytes");
        }
    }

    #[test]
    fn texts_of_every_length_fold_letter_by_letter() {
        // Lengths around the blocks and their last overlapping one.
        let letters = ["Ж", "ж", "Ё", "ё", "Ѐ", "Q", "q", "—", "ґ", "Ѣ", "7", " "];
        for len in 0..80 {
            let text: String = (0..len)
                .map(|i| letters[(i * 7 + len) % letters.len()])
                .collect();
            let expected: String = text
                .chars()
                .map(|c| match c {
                    'A'..='Z' | '\u{400}'..='\u{42f}' => c.to_lowercase().next().unwrap(),
                    c => c,
                })
                .collect();
            assert_eq!(folded(&text), Some(expected), "{text}");
        }
    }

    #[test]
    fn the_fold_stops_at_exactly_the_characters_from_outside() {
        // Its byte patterns are written out by hand: each character from
        // outside stops it, and every other character (from U+0080 on, as
        // the patterns look at bytes) is written as it is.
        for c in (0x80u32..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("а{c}б");
            let expected = if FOLDED_FROM_OUTSIDE.contains(&c) {
                None
            } else if ('\u{400}'..='\u{42f}').contains(&c) {
                Some(format!("а{}б", c.to_lowercase()))
            } else {
                Some(text.clone())
            };
            assert_eq!(folded(&text), expected, "{c:?}");
        }
    }

    /// The alphabet the fold folds: ASCII and U+0400..U+045F.
    fn alphabet() -> impl Iterator<Item = char> {
        (0u32..0x80).chain(0x400..0x460).filter_map(char::from_u32)
    }

    fn folded(text: &str) -> Option<String> {
        let mut out = vec![0u8; text.len()];
        fold(text, &mut out).then(|| String::from_utf8(out).unwrap())
    }

    #[test]
    fn the_characters_from_outside_begin_with_the_bytes_searched_for() {
        for c in FOLDED_FROM_OUTSIDE {
            let mut lead = [0u8; 4];
            c.encode_utf8(&mut lead);
            assert!([0xc5, 0xe1, 0xe2].contains(&lead[0]), "{c:?}");
        }
    }

    #[test]
    fn letters_fold_together_exactly_when_the_expression_takes_one_for_the_other() {
        for p in alphabet() {
            let regex = regex::RegexBuilder::new(&format!("^{}$", regex::escape(&p.to_string())))
                .case_insensitive(true)
                .build()
                .unwrap();
            for c in alphabet() {
                assert_eq!(
                    regex.is_match(&c.to_string()),
                    folded(&c.to_string()) == folded(&p.to_string()),
                    "{p:?} and {c:?}"
                );
            }
        }
    }

    #[test]
    fn the_characters_from_outside_are_those_the_expression_folds_into_the_alphabet() {
        let outside: String = (0u32..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| !(c.is_ascii() || ('\u{400}'..='\u{45f}').contains(c)))
            .collect();
        let any_letter = regex::RegexBuilder::new(r"[\x00-\x7f\u0400-\u045f]")
            .case_insensitive(true)
            .build()
            .unwrap();
        let found: Vec<char> = any_letter
            .find_iter(&outside)
            .flat_map(|m| m.as_str().chars())
            .collect();
        assert_eq!(found, FOLDED_FROM_OUTSIDE);
        for c in FOLDED_FROM_OUTSIDE {
            assert_eq!(folded(&format!("ab{c}")), None);
        }
    }

    fn words(list: &[&str]) -> FailureWords {
        let list: Vec<String> = list.iter().map(|w| w.to_string()).collect();
        FailureWords::new(&list).unwrap()
    }

    #[test]
    fn words_are_found_in_any_case_as_the_expression_finds_them() {
        let built_in = words(&[
            "не дозвон",
            "недозвон",
            "не ответил",
            "не отвечает",
            "не берет",
            "не берёт",
            "сбросил",
            "перезвонить",
            "вне зоны",
            "абонент недоступен",
        ]);
        assert!(built_in.folded.is_some());
        for (text, found) in [
            ("Не дозвонился", true),
            ("НЕДОЗВОН", true),
            ("клиент НЕ БЕРЁТ трубку", true),
            ("Не Берет", true),
            ("Абонент Недоступен, перезвоню", true),
            ("ПЕРЕЗВОНИТЬ завтра — «после обеда»", true),
            ("Доставка согласована на 10:00; приемщик — прораб", false),
            ("не дозвонилась? нет: дозвонилась", true),
            ("недоступен", false),
            ("", false),
            // Old letter forms and signs only the expression folds.
            ("\u{1c83}\u{431}\u{440}\u{1c82}\u{441}\u{438}\u{43b}", true),
            ("сбр\u{1c82}", false),
            // Longer than the stack's room.
            (&format!("{} не ответил", "а".repeat(300)), true),
            (&format!("{} не ответ", "а".repeat(300)), false),
        ] {
            assert_eq!(built_in.is_match(text), found, "{text}");
            assert_eq!(
                built_in.regex().is_match(text),
                found,
                "{text} (the expression)"
            );
        }
    }

    #[test]
    fn the_finder_of_several_rules_finds_every_rules_words() {
        assert!(FailureWords::any_of(&[]).is_none());
        let one = words(&["недозвон"]);
        let same = FailureWords::any_of(std::slice::from_ref(&one)).unwrap();
        assert!(std::ptr::eq(same.regex(), one.regex()));
        let both = FailureWords::any_of(&[one, words(&["сбросил", "недозвон"])]).unwrap();
        assert!(both.is_match("НЕДОЗВОН"));
        assert!(both.is_match("Сбросил"));
        assert!(!both.is_match("перезвонить"));
    }

    #[test]
    fn a_word_outside_the_alphabet_is_left_to_the_expression() {
        // Ukrainian ґ (U+0491) and a Greek word: no fold, same answers.
        let w = words(&["ґанок", "σίγμα", "ok"]);
        assert!(w.folded.is_none());
        assert!(w.is_match("ҐАНОК"));
        assert!(w.is_match("ΣΊΓΜΑ"));
        assert!(w.is_match("OK"));
        assert!(!w.is_match("ганок"));
        assert!(FailureWords::new(&[]).is_none());
        // A clone shares the expression built for the first.
        let clone = w.clone();
        assert!(std::ptr::eq(clone.regex(), w.regex()));
    }
}

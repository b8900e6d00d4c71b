//! `blank-words`: the words a person types into a mandatory field to get
//! past it (`-`, `нет`, `n/a`). A text field holding only one of them, or
//! only invisible characters, is empty for every rule that asks whether a
//! field is filled; the reader asks [`BlankWords::is_blank`] and nothing
//! else decides it.

use super::location::SourceMap;
use super::raw::RawRuleSet;
use crate::value::is_format_char;

/// The words that fill no field, folded (lowercase, single spaces).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlankWords {
    words: Vec<String>,
    /// The most visible characters any word has: a text with more is no
    /// word, and is told so without folding it (every cell read asks).
    longest: usize,
    /// Each word's first character: a text starting otherwise (a name, a
    /// duration, a yes) is no word, told from its first character.
    firsts: Firsts,
}

/// The words' first characters (folded), with those in ASCII and in
/// U+0400..U+047F also as bits: a cell is asked of them before anything
/// else, and nearly every cell starts with a character of those ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Firsts {
    all: Vec<char>,
    /// Bit `c` for an ASCII first character `c`.
    ascii: u128,
    /// Bit `c - 0x400` for a first character `c` in U+0400..U+047F.
    cyrillic: u128,
}

impl Firsts {
    fn of(words: &[String]) -> Firsts {
        let all: Vec<char> = words.iter().filter_map(|w| w.chars().next()).collect();
        let (mut ascii, mut cyrillic) = (0u128, 0u128);
        for &c in &all {
            match c as u32 {
                c @ 0..=0x7F => ascii |= 1 << c,
                c @ 0x400..=0x47F => cyrillic |= 1 << (c - 0x400),
                _ => {}
            }
        }
        Firsts {
            all,
            ascii,
            cyrillic,
        }
    }

    /// Whether `text` starts with a visible character whose lowercase
    /// starts with no word's first character: then it is no word (and not
    /// empty). `false` says nothing. ASCII and the Cyrillic letters
    /// U+0400..U+045F are told by their bytes: neither holds whitespace
    /// but ASCII's, nor a format character.
    fn starts_no_word(&self, text: &str) -> bool {
        match *text.as_bytes() {
            [b, ..] if b.is_ascii() => {
                !matches!(b, b'\t'..=b'\r' | b' ')
                    && self.ascii & (1 << b.to_ascii_lowercase()) == 0
            }
            [lead @ (0xD0 | 0xD1), next, ..] => {
                let c = (u32::from(lead & 0x1F) << 6) | u32::from(next & 0x3F);
                let lower = match char::from_u32(c) {
                    Some(c @ '\u{400}'..='\u{45F}') => crate::value::lowercase(c).next(),
                    _ => None,
                };
                match lower {
                    Some(lower) => self.cyrillic & (1 << (lower as u32 - 0x400)) == 0,
                    None => self.starts_no_word_by_char(text),
                }
            }
            _ => self.starts_no_word_by_char(text),
        }
    }

    /// `starts_no_word` for any first character.
    fn starts_no_word_by_char(&self, text: &str) -> bool {
        text.chars().next().is_some_and(|c| {
            let visible = !c.is_whitespace() && !is_format_char(c);
            visible
                && !crate::value::lowercase(c)
                    .next()
                    .is_some_and(|c| self.all.contains(&c))
        })
    }
}

/// `text` trimmed and lowercased, its whitespace runs made one space and
/// its invisible format characters (U+200B, U+FEFF, U+00AD, …) removed.
fn folded(text: &str) -> String {
    folded_chars(text).collect()
}

/// The characters of `folded(text)`, one at a time: a cell is compared
/// with the words without a string made of it. Removing a format
/// character (never whitespace) can only leave a word of them empty.
fn folded_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.split_whitespace()
        .filter(|word| word.chars().any(|c| !is_format_char(c)))
        .enumerate()
        .flat_map(|(i, word)| {
            let space = (i > 0).then_some(' ');
            let visible = word.chars().filter(|&c| !is_format_char(c));
            space
                .into_iter()
                .chain(visible.flat_map(crate::value::lowercase))
        })
}

impl BlankWords {
    /// The words given, each already folded.
    fn of(words: Vec<String>) -> Self {
        let longest = words.iter().map(|w| visible_len(w)).max().unwrap_or(0);
        let firsts = Firsts::of(&words);
        BlankWords {
            words,
            longest,
            firsts,
        }
    }

    /// Whether a text field holding `text` is empty: nothing visible in it,
    /// or only one of the words (trimmed, case ignored).
    pub fn is_blank(&self, text: &str) -> bool {
        // Nearly every cell starts with a visible character (a letter, a
        // digit) that starts no word: told from that character alone, as
        // the first of the folded characters.
        if self.firsts.starts_no_word(text) {
            return false;
        }
        // Lowercasing never makes fewer characters of one, so a text with
        // more visible characters than the longest word folds to no word.
        match visible_up_to(text, self.longest + 1) {
            0 => return true,
            seen if seen > self.longest => return false,
            _ => {}
        }
        if !folded_chars(text)
            .next()
            .is_some_and(|c| self.firsts.all.contains(&c))
        {
            return false;
        }
        self.words
            .iter()
            .any(|word| word.chars().eq(folded_chars(text)))
    }
}

/// How many visible characters `text` has (neither whitespace nor a
/// format character), counted no further than `limit`. Every cell read
/// asks, so the characters nearly every cell is made of are told by their
/// first byte: ASCII, and the two-byte ones from U+00C0 to U+05FF (Latin,
/// IPA, combining marks, Greek, Cyrillic, Armenian, Hebrew: none of them
/// whitespace or a format character); any other is decoded and asked.
fn visible_up_to(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut seen, mut at) = (0, 0);
    while at < bytes.len() && seen < limit {
        let (visible, length) = match bytes[at] {
            b @ 0..=0x7F => (!matches!(b, b'\t'..=b'\r' | b' '), 1),
            0xC3..=0xD7 => (true, 2),
            _ => match text[at..].chars().next() {
                Some(c) => (!c.is_whitespace() && !is_format_char(c), c.len_utf8()),
                None => break,
            },
        };
        seen += usize::from(visible);
        at += length;
    }
    seen
}

/// The visible characters of a folded word, its spaces not counted.
fn visible_len(word: &str) -> usize {
    word.chars().filter(|c| !c.is_whitespace()).count()
}

/// The rule set's `blank-words`, none unless it names some. A word with
/// nothing visible in it is a mistake: every such text is blank anyway.
pub(super) fn blank_words(
    src: &SourceMap,
    raw: &RawRuleSet,
) -> Result<BlankWords, super::location::RuleFileError> {
    let mut words = Vec::new();
    for word in raw.blank_words.iter().flatten() {
        let key = folded(word.get_ref());
        if key.is_empty() {
            return Err(src.error(
                Some(word.span()),
                "blank-words: an empty word; list what people type to leave a field \
                 empty, such as \"-\" or \"нет\" (a field with nothing visible is empty anyway)",
            ));
        }
        if !words.contains(&key) {
            words.push(key);
        }
    }
    Ok(BlankWords::of(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> BlankWords {
        BlankWords::of(list.iter().map(|w| folded(w)).collect())
    }

    #[test]
    fn a_listed_word_or_nothing_visible_is_blank() {
        let blank = words(&["-", "нет", "n/a"]);
        for text in [
            "",
            "  ",
            "-",
            " - ",
            "НЕТ",
            "Нет",
            "N/A",
            "\u{200b}",
            "\u{feff}\u{ad}",
            "\u{200b}-",
        ] {
            assert!(blank.is_blank(text), "{text:?}");
        }
        for text in ["Орлов Игорь", "С-1", "нет денег", "--", "0"] {
            assert!(!blank.is_blank(text), "{text:?}");
        }
    }

    #[test]
    fn a_word_of_two_is_matched_whatever_the_spacing() {
        let blank = words(&["не знаю"]);
        for text in ["не знаю", "  Не   знаю ", "НЕ\tЗНАЮ", "не\u{200b} знаю"]
        {
            assert!(blank.is_blank(text), "{text:?}");
        }
        for text in ["незнаю", "не знаю.", "не знаю точно"] {
            assert!(!blank.is_blank(text), "{text:?}");
        }
    }

    /// Folding as first written: format characters out of the whole text,
    /// then its words lowercased and joined by one space.
    fn folded_by_strings(text: &str) -> String {
        let visible: String = text.chars().filter(|&c| !is_format_char(c)).collect();
        let lower = |w: &str| w.chars().flat_map(char::to_lowercase).collect::<String>();
        let words: Vec<String> = visible.split_whitespace().map(lower).collect();
        words.join(" ")
    }

    #[test]
    fn folding_a_character_at_a_time_gives_what_folding_strings_gives() {
        for text in [
            "",
            " ",
            "\u{200b}",
            " \u{200b} ",
            "a\u{200b} b",
            "a \u{200b} b",
            "\u{200b}a\u{feff}",
            "  Не   ЗНАЮ\t",
            "İstanbul",
            "N/A\u{ad}",
            "\u{ad} \u{ad}x",
            "ß ΑΣ",
        ] {
            assert_eq!(folded(text), folded_by_strings(text), "{text:?}");
        }
    }

    #[test]
    fn a_text_is_blank_exactly_when_its_folded_string_is_empty_or_a_word() {
        // Every character up to U+3100 and a few beyond, first in a text
        // and before the rest of a word: the shortcut by the first
        // character gives the answer of folding the whole text. `İ`
        // lowercases to two characters, the first of the last word.
        // The lists hold first characters among ASCII, basic Cyrillic
        // (`ё` of the U+0450 row), historic Cyrillic (U+0460..U+047F, told
        // by character) and beyond.
        let lists: [&[&str]; 2] = [&["-", "нет", "n/a", "i\u{307}"], &["ёж", "ѡт", "z", "ßx"]];
        let chars = ('\0'..='\u{3100}').chain(['\u{feff}', '\u{fffb}', '\u{110bd}', '😀']);
        for list in lists {
            let blank = words(list);
            for c in chars.clone() {
                for text in [
                    c.to_string(),
                    format!("{c}ет"),
                    format!("{c}/a"),
                    format!("{c} -"),
                    format!("{c}ж"),
                    format!("{c}т"),
                    format!("{c}x"),
                ] {
                    let folded = folded_by_strings(&text);
                    let expected = folded.is_empty() || list.contains(&folded.as_str());
                    assert_eq!(blank.is_blank(&text), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn visible_characters_are_counted_as_each_character_says() {
        // Every character up to U+3100 and a few beyond, alone and among
        // ASCII and Cyrillic letters: the first-byte shortcuts agree with
        // asking each character.
        let chars = ('\0'..='\u{3100}').chain(['\u{feff}', '\u{fffb}', '\u{110bd}', '😀']);
        for c in chars {
            for text in [c.to_string(), format!("a{c} я"), format!("{c}{c}ж")] {
                let counted = text
                    .chars()
                    .filter(|&c| !c.is_whitespace() && !is_format_char(c))
                    .count();
                assert_eq!(visible_up_to(&text, usize::MAX), counted, "{text:?}");
                assert_eq!(visible_up_to(&text, 1), counted.min(1), "{text:?}");
            }
        }
    }

    #[test]
    fn without_words_only_invisible_text_is_blank() {
        let blank = BlankWords::default();
        assert!(blank.is_blank("\u{200b}"));
        assert!(!blank.is_blank("-"));
    }
}

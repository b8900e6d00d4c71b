//! JSON strings as serde_json writes them: the quotation mark, the
//! backslash and the control characters below U+0020 escaped (`\"`, `\\`,
//! `\n`, `\u001f`, …), every other character as it is. The report's texts
//! are mostly Cyrillic, two bytes a letter, and hardly ever need an escape,
//! so the bytes are searched for one 32 at a time.

use wide::{u8x16, u8x32};

/// Appends `text` as a JSON string, quotes included.
pub(super) fn push_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    push_escaped(out, text);
    out.push(b'"');
}

/// Appends `text` escaped, without quotes: a string written in pieces is
/// escaped piece by piece, as the escapes never span two characters.
pub(super) fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut run = 0;
    while let Some(i) = next_escape(bytes, run) {
        out.extend_from_slice(&bytes[run..i]);
        push_escape(out, bytes[i]);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
}

/// Where the first byte to escape from `at` is: searched 32 bytes at a
/// time, then 16, the last few of a text of 16 bytes or more in the 16
/// that end it, and those of a shorter text one by one. (Copying a short
/// tail into a block of its own to load it as a vector stalls the
/// processor longer than the bytes take to look at.)
fn next_escape(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(block) = bytes.get(at..at + 32) {
        let v = u8x32::new(block.try_into().expect("32 bytes"));
        let control = v.min(u8x32::splat(0x1f)).simd_eq(v);
        let quote = v.simd_eq(u8x32::splat(b'"'));
        let backslash = v.simd_eq(u8x32::splat(b'\\'));
        match (control | quote | backslash).to_bitmask() {
            0 => at += 32,
            found => return Some(at + found.trailing_zeros() as usize),
        }
    }
    if at >= bytes.len() {
        return None;
    }
    if bytes.len() < 16 {
        let rest = &bytes[at..];
        return (rest.iter().position(|&b| ESCAPED[usize::from(b)])).map(|i| at + i);
    }
    // The block at `at` when 16 bytes are left, else the last 16, its
    // bytes before `at` (looked at already) left out.
    let start = at.min(bytes.len() - 16);
    let v = u8x16::new(bytes[start..start + 16].try_into().expect("16 bytes"));
    let control = v.min(u8x16::splat(0x1f)).simd_eq(v);
    let quote = v.simd_eq(u8x16::splat(b'"'));
    let backslash = v.simd_eq(u8x16::splat(b'\\'));
    let found = (control | quote | backslash).to_bitmask() >> (at - start) << (at - start);
    match found {
        0 if start + 16 < bytes.len() => next_escape(bytes, start + 16),
        0 => None,
        found => Some(start + found.trailing_zeros() as usize),
    }
}

/// The bytes JSON escapes: the quotation mark, the backslash and the
/// control characters.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Appends the escape of `byte`, one of those `next_escape` finds.
fn push_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x09 => b't',
        0x0a => b'n',
        0x0c => b'f',
        0x0d => b'r',
        _ => {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes before and after a character: either side of a vector's
    /// width (16, 32) and of two, and past a block of 16 with more than 16
    /// bytes left after the blocks of 32 (17 to 31: a block, then the last
    /// 16 overlapping it).
    const PLACES: [(usize, usize); 18] = [
        (16, 4),
        (18, 1),
        (20, 10),
        (52, 3),
        (0, 0),
        (0, 2),
        (1, 1),
        (14, 2),
        (15, 0),
        (15, 17),
        (16, 15),
        (17, 31),
        (30, 1),
        (31, 0),
        (32, 16),
        (33, 14),
        (47, 16),
        (63, 33),
    ];

    /// `n` bytes of text: Cyrillic letters, and a Latin one for an odd `n`.
    fn bytes(n: usize) -> String {
        "б".repeat(n / 2) + &"x".repeat(n % 2)
    }

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        push_string(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_character_is_written_as_serde_json_writes_it() {
        // Each character alone, and at every place of a block and of its
        // end: between Cyrillic letters, so a miscounted position shows.
        let chars = (0u32..0x800)
            .chain([0x2014, 0x2028, 0x2029, 0xfeff, 0x1f600])
            .filter_map(char::from_u32);
        for c in chars {
            for (before, after) in PLACES {
                let text = format!("{}{c}{}", bytes(before), bytes(after));
                assert_eq!(
                    written(&text),
                    serde_json::to_string(&text).unwrap(),
                    "{c:?} after {before} bytes, before {after}"
                );
            }
        }
    }

    #[test]
    fn texts_of_many_escapes_and_none() {
        for text in [
            "",
            "\"",
            "\\\\\"\"\n\n",
            &"\u{1}".repeat(70),
            &"Клиент не взял трубку, перезвонить завтра".repeat(5),
            "строка 1\r\nстрока 2\tконец\u{7f}",
        ] {
            assert_eq!(written(text), serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn pieces_escaped_apart_make_the_string_escaped_whole() {
        let (a, b) = ("кавычка \"", "\\ и\nперевод");
        let mut out = vec![b'"'];
        push_escaped(&mut out, a);
        push_escaped(&mut out, b);
        out.push(b'"');
        assert_eq!(out, serde_json::to_vec(&format!("{a}{b}")).unwrap());
    }
}

//! Stable fingerprints of violations: the same violation (rule, entity)
//! gets the same fingerprint on every run, whatever else changed, so a
//! nightly history can tell new violations from old ones.
//!
//! FNV-1a, 64 bits: fixed by its definition, unlike std's hasher, whose
//! output may change between Rust releases.

/// 16 hex digits identifying `parts` (joined with a separator no part holds).
pub fn fingerprint(parts: &[&str]) -> String {
    Digits::of(parts).as_str().to_string()
}

/// A fingerprint's 16 hex digits, kept without a `String` of their own
/// (a report of a dense company makes hundreds of thousands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digits([u8; 16]);

impl Digits {
    /// The fingerprint of `parts`.
    pub fn of(parts: &[&str]) -> Digits {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hash = OFFSET;
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                hash ^= 0x1f;
                hash = hash.wrapping_mul(PRIME);
            }
            for byte in part.bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(PRIME);
            }
        }
        let mut digits = [0u8; 16];
        for (i, digit) in digits.iter_mut().enumerate() {
            *digit = HEX[(hash >> (60 - 4 * i) & 0xf) as usize];
        }
        Digits(digits)
    }

    /// The digits: lowercase hex, none of which JSON escapes.
    pub fn hex(&self) -> &[u8; 16] {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_of_fnv1a() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(fingerprint(&[""]), "cbf29ce484222325");
        assert_eq!(fingerprint(&["a"]), "af63dc4c8601ec8c");
    }

    #[test]
    fn digits_are_the_hash_in_sixteen_lowercase_hex_digits() {
        // The hash computed apart, printed by the formatter; leading zeros
        // kept (about one ID in sixteen here).
        let hash = |parts: &[&str]| {
            let bytes = parts.join("\u{1f}");
            bytes.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            })
        };
        let mut leading_zero = 0;
        for n in 0..400 {
            let id = n.to_string();
            // The ID first, so that the bytes after it mix it up to the
            // hash's top digit.
            let parts = [id.as_str(), "task", "overdue-task"];
            let expected = format!("{:016x}", hash(&parts));
            leading_zero += usize::from(expected.starts_with('0'));
            assert_eq!(fingerprint(&parts), expected);
        }
        assert!(leading_zero > 0);
    }

    #[test]
    fn parts_are_separated() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(
            fingerprint(&["overdue-task", "task", "T-1"]),
            fingerprint(&["overdue-task", "task", "T-1"])
        );
    }
}

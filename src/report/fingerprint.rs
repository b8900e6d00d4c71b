//! Stable fingerprints of violations: the same violation (rule, entity)
//! gets the same fingerprint on every run, whatever else changed, so a
//! nightly history can tell new violations from old ones.
//!
//! FNV-1a, 64 bits: fixed by its definition, unlike std's hasher, whose
//! output may change between Rust releases.

/// 16 hex digits identifying `parts` (joined with a separator no part holds).
pub fn fingerprint(parts: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
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
    format!("{hash:016x}")
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
    fn parts_are_separated() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(
            fingerprint(&["overdue-task", "task", "T-1"]),
            fingerprint(&["overdue-task", "task", "T-1"])
        );
    }
}

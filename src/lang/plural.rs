//! Russian plural forms: a number takes one of three forms of the noun
//! after it (1 нарушение, 2 нарушения, 5 нарушений). The last two digits
//! decide: 11–14 always take the "many" form (11 нарушений), otherwise the
//! last digit does (1: one; 2–4: few; 0, 5–9: many).

/// The three forms of a noun after a number.
#[derive(Debug, Clone, Copy)]
pub struct Forms {
    /// After 1, 21, 101, …: `нарушение`.
    pub one: &'static str,
    /// After 2–4, 22–24, …: `нарушения`.
    pub few: &'static str,
    /// After 0, 5–20, 25–30, 11–14 of any hundred: `нарушений`.
    pub many: &'static str,
}

pub const VIOLATIONS: Forms = Forms {
    one: "нарушение",
    few: "нарушения",
    many: "нарушений",
};

pub const RUNS: Forms = Forms {
    one: "запуск",
    few: "запуска",
    many: "запусков",
};

/// The form of `forms` that follows `n`.
pub fn plural(n: i64, forms: Forms) -> &'static str {
    let n = n.unsigned_abs();
    match (n % 100, n % 10) {
        (11..=14, _) => forms.many,
        (_, 1) => forms.one,
        (_, 2..=4) => forms.few,
        _ => forms.many,
    }
}

/// `n` and the noun's form after it: `42 нарушения`.
pub fn count(n: i64, forms: Forms) -> String {
    format!("{n} {}", plural(n, forms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_number_takes_its_form() {
        let cases = [
            (0, "нарушений"),
            (1, "нарушение"),
            (2, "нарушения"),
            (4, "нарушения"),
            (5, "нарушений"),
            (10, "нарушений"),
            (11, "нарушений"),
            (12, "нарушений"),
            (14, "нарушений"),
            (15, "нарушений"),
            (21, "нарушение"),
            (22, "нарушения"),
            (25, "нарушений"),
            (42, "нарушения"),
            (100, "нарушений"),
            (101, "нарушение"),
            (111, "нарушений"),
            (112, "нарушений"),
            (121, "нарушение"),
            (1004, "нарушения"),
            (1011, "нарушений"),
        ];
        for (n, form) in cases {
            assert_eq!(plural(n, VIOLATIONS), form, "{n}");
        }
        assert_eq!(count(3, RUNS), "3 запуска");
        assert_eq!(count(7, RUNS), "7 запусков");
        assert_eq!(count(31, RUNS), "31 запуск");
    }
}

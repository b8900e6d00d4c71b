//! The languages a report can speak, and the few rules of writing that
//! differ between them: numbers, durations and the plural forms of nouns
//! after a number. The texts themselves live with what shows them
//! (`report::lang` for the reports, the rule set for rule messages); this
//! module owns only what every one of them shares.
//!
//! Russian numbers group thousands with a no-break space (U+00A0), so a
//! number never breaks across lines in a report, and write a comma before
//! decimals: `150 000`, `1 234,50`, `49,9%`.

pub mod plural;

use plural::Forms;

/// A report's language: a closed set, chosen once by the rule set
/// (`language = "ru"`) or `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Russian, the language of the built-in regulation and its readers.
    #[default]
    Ru,
    En,
}

/// The thousands separator of Russian numbers: a no-break space.
pub const RU_THOUSANDS: char = '\u{a0}';

impl Lang {
    /// Every language, in the order messages list them.
    pub const ALL: [Lang; 2] = [Lang::Ru, Lang::En];

    /// The code a rule file and `--lang` use (`ru`, `en`); also the HTML `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language of a code, ignoring case and surrounding spaces.
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// A duration given in minutes: `2 дня 11 ч`, `45 мин`; `2 d 11 h`, `45 min`.
    pub fn duration(self, minutes: i64) -> String {
        let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
        let (d, h, m) = match self {
            Lang::Ru => (plural::count(days, DAYS), "ч", "мин"),
            Lang::En => (format!("{days} d"), "h", "min"),
        };
        match (days, hours) {
            (0, 0) => format!("{mins} {m}"),
            (0, _) if mins == 0 => format!("{hours} {h}"),
            (0, _) => format!("{hours} {h} {mins} {m}"),
            (_, 0) => d,
            _ => format!("{d} {hours} {h}"),
        }
    }

    /// An amount of money, to the kopeck where it has kopecks:
    /// `150 000`, `1 234,50`. English reports have always grouped with a
    /// plain space and kept the comma, and keep doing so.
    pub fn amount(self, amount: f64) -> String {
        // Below 1e13 its kopecks are exact in a f64 and fit a u64; a larger
        // amount is written from its own digits, never cut to u64::MAX.
        if amount.is_nan() || amount.abs() >= 1e13 {
            return self.large_amount(amount);
        }
        let cents = (amount.abs() * 100.0).round() as u64;
        let (whole, fraction) = (cents / 100, cents % 100);
        let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
        let grouped = self.group(whole);
        if fraction == 0 {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped},{fraction:02}")
        }
    }

    /// An amount of 1e13 or more, whole (kopecks are below its precision),
    /// grouped from the digits of the number itself.
    fn large_amount(self, amount: f64) -> String {
        if !amount.is_finite() {
            return amount.to_string();
        }
        let digits = format!("{:.0}", amount.abs());
        let sign = if amount < 0.0 { "-" } else { "" };
        format!("{sign}{}", self.group_digits(&digits))
    }

    /// A whole number with its thousands grouped: `12 345` (no-break
    /// space) in Russian, `12345` in English as before.
    pub fn integer(self, n: u64) -> String {
        match self {
            Lang::Ru => self.group(n),
            Lang::En => n.to_string(),
        }
    }

    /// A number with `places` decimals: `2,5` in Russian, `2.5` in English.
    pub fn decimal(self, x: f64, places: usize) -> String {
        let text = format!("{x:.places$}");
        match self {
            Lang::Ru => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// A share, rounded down to a tenth of a percent so that a share just
    /// below a bound never reads as the bound: `49,9%` / `49.9%`, `50%`.
    pub fn share(self, share: f64) -> String {
        let percent = (share * 1000.0 + 1e-9).floor() / 10.0;
        if percent.fract() == 0.0 {
            format!("{percent:.0}%")
        } else {
            format!("{}%", self.decimal(percent, 1))
        }
    }

    /// `n` and the noun's right form after it: `5 нарушений`, `5 violations`.
    pub fn count(self, n: i64, ru: Forms, en: (&str, &str)) -> String {
        match self {
            Lang::Ru => plural::count(n, ru),
            Lang::En if n == 1 => format!("{n} {}", en.0),
            Lang::En => format!("{n} {}", en.1),
        }
    }

    fn group(self, n: u64) -> String {
        self.group_digits(&n.to_string())
    }

    /// ASCII `digits` with their thousands grouped as `group` does.
    fn group_digits(self, digits: &str) -> String {
        let separator = match self {
            Lang::Ru => RU_THOUSANDS,
            Lang::En => ' ',
        };
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(c);
        }
        grouped
    }
}

/// `день`, `дня`, `дней`.
pub const DAYS: Forms = Forms {
    one: "день",
    few: "дня",
    many: "дней",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_none() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
        assert_eq!(Lang::parse(" RU "), Some(Lang::Ru));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::default(), Lang::Ru);
    }

    #[test]
    fn durations_in_russian_take_the_days_plural() {
        let ru = |m| Lang::Ru.duration(m);
        assert_eq!(ru(45), "45 мин");
        assert_eq!(ru(180), "3 ч");
        assert_eq!(ru(190), "3 ч 10 мин");
        assert_eq!(ru(1440), "1 день");
        // 2 days 11 hours: the issue's own example.
        assert_eq!(ru(2 * 1440 + 11 * 60), "2 дня 11 ч");
        assert_eq!(ru(5 * 1440 + 60), "5 дней 1 ч");
        assert_eq!(ru(11 * 1440), "11 дней");
        assert_eq!(ru(21 * 1440), "21 день");
        assert_eq!(Lang::En.duration(2 * 1440 + 11 * 60), "2 d 11 h");
        assert_eq!(Lang::En.duration(45), "45 min");
    }

    #[test]
    fn russian_numbers_group_with_a_no_break_space_and_a_decimal_comma() {
        assert_eq!(Lang::Ru.amount(150_000.0), "150\u{a0}000");
        assert_eq!(Lang::Ru.amount(1_234.5), "1\u{a0}234,50");
        assert_eq!(Lang::Ru.amount(999.0), "999");
        assert_eq!(Lang::Ru.amount(-1_000_000.0), "-1\u{a0}000\u{a0}000");
        // Beyond a u64 of kopecks: its own digits, not 184 467 440 737 095 516,15.
        assert_eq!(Lang::En.amount(1e20), "100 000 000 000 000 000 000");
        assert_eq!(Lang::En.amount(-2e15), "-2 000 000 000 000 000");
        assert_eq!(Lang::En.amount(9_999_999_999_999.5), "9 999 999 999 999,50");
        assert_eq!(Lang::En.amount(1e13), "10 000 000 000 000");
        assert_eq!(Lang::Ru.integer(12_345), "12\u{a0}345");
        assert_eq!(Lang::Ru.integer(345), "345");
        assert_eq!(Lang::Ru.decimal(2.5, 1), "2,5");
        assert_eq!(Lang::Ru.share(0.4999), "49,9%");
        assert_eq!(Lang::Ru.share(0.5), "50%");
        // English keeps what its reports always wrote.
        assert_eq!(Lang::En.amount(150_000.0), "150 000");
        assert_eq!(Lang::En.amount(1_234.5), "1 234,50");
        assert_eq!(Lang::En.integer(12_345), "12345");
        assert_eq!(Lang::En.share(0.4999), "49.9%");
    }

    #[test]
    fn counts_take_the_right_form_at_1_2_5_11_21_22_25() {
        let forms = plural::VIOLATIONS;
        let ru = |n| Lang::Ru.count(n, forms, ("violation", "violations"));
        assert_eq!(ru(1), "1 нарушение");
        assert_eq!(ru(2), "2 нарушения");
        assert_eq!(ru(5), "5 нарушений");
        assert_eq!(ru(11), "11 нарушений");
        assert_eq!(ru(21), "21 нарушение");
        assert_eq!(ru(22), "22 нарушения");
        assert_eq!(ru(25), "25 нарушений");
        assert_eq!(
            Lang::En.count(1, forms, ("violation", "violations")),
            "1 violation"
        );
        assert_eq!(
            Lang::En.count(2, forms, ("violation", "violations")),
            "2 violations"
        );
    }
}

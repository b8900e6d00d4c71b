//! Whether a record's phone cells hold a number one could call. A cell may
//! hold several numbers separated by `,`, `;` or a line break; one plausible
//! number is enough.

use crate::model::PhoneState;
use crate::rules::PhoneCountry;

/// Judges one number's digits.
fn plausible(digits: &[u8], country: PhoneCountry) -> bool {
    match country {
        PhoneCountry::Ru => match digits.len() {
            10 => true,
            // A Russian number with its trunk or country prefix.
            11 => matches!(digits[0], b'7' | b'8'),
            // A foreign number (or one with an extension).
            12..=15 => true,
            _ => false,
        },
        PhoneCountry::Any => (10..=15).contains(&digits.len()),
    }
}

/// The state of a set of phone cells.
pub fn phone_state<'a>(cells: impl Iterator<Item = &'a str>, country: PhoneCountry) -> PhoneState {
    let mut state = PhoneState::Missing;
    let mut digits = Vec::with_capacity(16);
    for cell in cells {
        for part in cell.split([',', ';', '\n']) {
            digits.clear();
            digits.extend(part.bytes().filter(u8::is_ascii_digit));
            if digits.is_empty() {
                continue;
            }
            if plausible(&digits, country) {
                return PhoneState::Plausible;
            }
            state = PhoneState::Implausible;
        }
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;
    use PhoneState::*;

    fn ru(cells: &[&str]) -> PhoneState {
        phone_state(cells.iter().copied(), PhoneCountry::Ru)
    }

    #[test]
    fn russian_numbers() {
        assert_eq!(ru(&["+7 (927) 555-66-77"]), Plausible);
        assert_eq!(ru(&["8 927 555 66 77"]), Plausible);
        assert_eq!(ru(&["9275556677"]), Plausible, "10 digits without a prefix");
        assert_eq!(ru(&["'89275556677"]), Plausible, "Excel's text apostrophe");
        assert_eq!(ru(&["555-66-77"]), Implausible, "7 digits: no area code");
        assert_eq!(ru(&["927555667"]), Implausible, "9 digits");
        assert_eq!(
            ru(&["19275556677"]),
            Implausible,
            "11 digits not starting with 7 or 8"
        );
        assert_eq!(ru(&["+375 29 123-45-67"]), Plausible, "a foreign number");
        assert_eq!(ru(&["", "нет"]), Missing);
        assert_eq!(ru(&[]), Missing);
    }

    #[test]
    fn one_plausible_number_among_several_is_enough() {
        assert_eq!(ru(&["555-66-77, +7 927 555-66-77"]), Plausible);
        assert_eq!(ru(&["555-66-77; 12-34"]), Implausible);
        assert_eq!(ru(&["555-66-77", "8 (846) 200-10-10"]), Plausible);
        assert_eq!(ru(&["123\n8 927 555 66 77"]), Plausible);
    }

    #[test]
    fn any_country_needs_ten_digits() {
        assert_eq!(
            phone_state(["19275556677"].into_iter(), PhoneCountry::Any),
            Plausible
        );
        assert_eq!(
            phone_state(["555-66-77"].into_iter(), PhoneCountry::Any),
            Implausible
        );
    }
}

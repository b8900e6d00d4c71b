//! Whether a record's phone cells hold a number one could call. A cell may
//! hold several numbers separated by `,`, `;`, a line break, a tab, `/`,
//! `|` or the word `или`; one plausible number is enough. Numbers may also
//! run together, separated by a space (`+7 927 555 66 77 8 495 123 45 67`)
//! or by nothing at all (a run of 20 or more digits): such a cell is
//! plausible when it splits into numbers that each are, so two good numbers
//! are never taken for one bad one; a single number written with spaces is
//! judged whole first.

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
        for part in cell.split([',', ';', '\n', '\r', '\t', '/', '|']) {
            let mut tokens = part.split_whitespace().peekable();
            while tokens.peek().is_some() {
                // One number, or several run together: the tokens up to the
                // next «или».
                let number: Vec<&str> = tokens.by_ref().take_while(|t| !is_or(t)).collect();
                digits.clear();
                digits.extend(
                    number
                        .iter()
                        .flat_map(|t| t.bytes())
                        .filter(u8::is_ascii_digit),
                );
                if digits.is_empty() {
                    continue;
                }
                if plausible(&digits, country) || run_together(&number, country) {
                    return PhoneState::Plausible;
                }
                state = PhoneState::Implausible;
            }
        }
    }
    state
}

fn is_or(token: &str) -> bool {
    token.len() == "или".len() && token.to_lowercase() == "или"
}

/// The longest digit string tried as numbers run together: five numbers.
const MAX_RUN: usize = 75;

/// A digit run this long is more than one number (two of 10 digits, the
/// shortest plausible).
const TWO_NUMBERS: usize = 20;

/// Whether the tokens' digits split into two or more plausible numbers,
/// cut only between tokens, or anywhere inside a token of 20 or more digits.
fn run_together(tokens: &[&str], country: PhoneCountry) -> bool {
    let mut digits = Vec::new();
    // can_cut[i]: a number may end before digits[i].
    let mut can_cut = vec![true];
    for token in tokens {
        let start = digits.len();
        digits.extend(token.bytes().filter(u8::is_ascii_digit));
        if digits.len() == start {
            continue;
        }
        let long = digits.len() - start >= TWO_NUMBERS;
        can_cut.truncate(start + 1);
        can_cut.resize(digits.len(), long);
        can_cut.push(true);
    }
    let n = digits.len();
    if !(TWO_NUMBERS..=MAX_RUN).contains(&n) {
        return false;
    }
    // reachable[j]: digits[..j] is whole plausible numbers.
    let mut reachable = vec![false; n + 1];
    reachable[0] = true;
    for j in 1..=n {
        if !can_cut[j] {
            continue;
        }
        reachable[j] = (0..j).any(|i| reachable[i] && plausible(&digits[i..j], country));
    }
    reachable[n]
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
    fn two_numbers_in_one_cell_are_two_numbers() {
        let both = "+7 927 555 66 77 / 8 495 123 45 67";
        assert_eq!(ru(&[both]), Plausible);
        assert_eq!(ru(&["+7 927 555 66 77\t8 495 123 45 67"]), Plausible);
        assert_eq!(ru(&["+7 927 555 66 77 или 8 495 123 45 67"]), Plausible);
        assert_eq!(ru(&["89275556677 ИЛИ 555-66-77"]), Plausible);
        assert_eq!(ru(&["+7 927 555 66 77|8 495 123 45 67"]), Plausible);
        assert_eq!(
            ru(&["+7 927 555 66 77 8 495 123 45 67"]),
            Plausible,
            "a space"
        );
        assert_eq!(ru(&["89275556677 84951234567"]), Plausible);
        assert_eq!(
            ru(&["8927555667784951234567"]),
            Plausible,
            "22 digits run together"
        );
        assert_eq!(ru(&["555-66-77 / 12-34"]), Implausible);
        assert_eq!(ru(&["555-66-77 или 123"]), Implausible);
    }

    #[test]
    fn a_number_written_with_spaces_is_one_number() {
        assert_eq!(ru(&["+7 927 555 66 77"]), Plausible);
        // 11 digits not starting with 7 or 8 stay implausible, spaces or
        // not: the last 10 are not cut out as a number of their own.
        assert_eq!(ru(&["1 927 555 66 77"]), Implausible);
        assert_eq!(ru(&["927 555 66 7"]), Implausible, "9 digits");
        // 20 digits written as an implausible 11 and a 9: cut only where
        // the spaces are, they are no two numbers.
        assert_eq!(ru(&["19275556677 192755566"]), Implausible);
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

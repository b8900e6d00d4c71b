//! Whether a record's phone cells hold a number one could call. A cell may
//! hold several numbers separated by `,`, `;`, a line break, a tab, `|` or
//! the word `или`; one plausible number is enough. An extension (`доб.`,
//! `доб`, `ext`) ends a number and is no part of it.
//!
//! `/` may set off an area code (`495/123-45-67`) or separate two numbers,
//! so the text around it is judged whole first, then each side. Numbers
//! may also stand side by side with only a space between them
//! (`89275556677 555-66-77`): the cell is plausible when a group of whole
//! tokens is a real number and what is left on each side could be a number
//! of its own (5 digits or more), so a single number written with spaces,
//! dashes or parentheses is never cut up. Inside one run of digits with no
//! separator at all (20 or more digits), only a cut into numbers of the
//! Russian numbering plan counts: a bank account or a row of zeros is no
//! phone, whatever its length.

use crate::model::{PhoneState, Phones, Text};
use crate::rules::PhoneCountry;

/// Judges one number's digits.
fn plausible(digits: &[u8], country: PhoneCountry) -> bool {
    digits
        .first()
        .is_some_and(|&first| plausible_count(digits.len(), first, country))
}

/// [`plausible`] of `count` digits, the first of them `first`.
fn plausible_count(count: usize, first: u8, country: PhoneCountry) -> bool {
    match country {
        PhoneCountry::Ru => match count {
            10 => true,
            // A Russian number with its trunk or country prefix.
            11 => matches!(first, b'7' | b'8'),
            // A foreign number (or one with an extension).
            12..=15 => true,
            _ => false,
        },
        PhoneCountry::Any => (10..=15).contains(&count),
    }
}

/// Whether the digits are a number of the Russian numbering plan: 10 digits
/// starting with a code in use, or 11 with the trunk or country prefix
/// first. Stricter than [`plausible`]: it decides where numbers written
/// together begin and end, where a loose test would find numbers anywhere.
/// Any country has no plan, so nothing is such a number.
fn real_number(digits: &[u8], country: PhoneCountry) -> bool {
    match (country, digits) {
        (PhoneCountry::Ru, [a, b, c, _, _, _, _, _, _, _]) => code_in_use(*a, *b, *c),
        (PhoneCountry::Ru, [b'7' | b'8', a, b, c, _, _, _, _, _, _, _]) => code_in_use(*a, *b, *c),
        _ => false,
    }
}

/// The three-digit codes after +7: mobile 9xx; the geographic codes of
/// Russia (3xx, 4xx, 8xx, Crimea's 365 and 869 among them); 800–809, the
/// free and service numbers; Kazakhstan's 70x–77x, which share +7.
fn code_in_use(a: u8, b: u8, c: u8) -> bool {
    match (a, b) {
        (b'9', _) => true,
        (b'3', b'0') => matches!(c, b'1' | b'2'),
        (b'3', b'3') => c == b'6',
        (b'3', b'4') => matches!(c, b'1'..=b'3' | b'5'..=b'7' | b'9'),
        (b'3', b'5') => matches!(c, b'1'..=b'3'),
        (b'3', b'6') => c == b'5',
        (b'3', b'8') => matches!(c, b'1'..=b'5' | b'8'),
        (b'3', b'9') => matches!(c, b'0' | b'1' | b'4' | b'5'),
        (b'4', b'0') => c == b'1',
        (b'4', b'1') => matches!(c, b'1' | b'3' | b'5' | b'6'),
        (b'4', b'2') => matches!(c, b'1' | b'3' | b'4' | b'6' | b'7'),
        (b'4', b'7') => matches!(c, b'1'..=b'5'),
        (b'4', b'8') => matches!(c, b'1'..=b'7'),
        (b'4', b'9') => matches!(c, b'1'..=b'6' | b'8' | b'9'),
        (b'8', b'0') => true,
        (b'8', b'1') => matches!(c, b'1'..=b'8'),
        (b'8', b'2') => matches!(c, b'0' | b'1'),
        (b'8', b'3') => matches!(c, b'1' | b'3'..=b'6'),
        (b'8', b'4') => matches!(c, b'0'..=b'8'),
        (b'8', b'5') => matches!(c, b'1' | b'5'..=b'7'),
        (b'8', b'6') => matches!(c, b'0'..=b'3' | b'5'..=b'7' | b'9'),
        (b'8', b'7') => matches!(c, b'1'..=b'3' | b'7'..=b'9'),
        (b'7', b'0'..=b'7') => true,
        _ => false,
    }
}

/// The state of a set of phone cells.
pub fn phone_state<'a>(cells: impl Iterator<Item = &'a str>, country: PhoneCountry) -> PhoneState {
    let mut state = PhoneState::Missing;
    for cell in cells {
        // Most cells hold one number written plainly; read by its digits
        // alone, it needs neither the cell split into numbers nor those
        // numbers' tokens collected (a dense company's deals each paid
        // four or five allocations for them).
        if plainly_plausible(cell, country) {
            return PhoneState::Plausible;
        }
        match cell_state(cell, country) {
            PhoneState::Plausible => return PhoneState::Plausible,
            PhoneState::Implausible => state = PhoneState::Implausible,
            PhoneState::Missing => {}
        }
    }
    state
}

/// What separates the numbers of a cell (besides the word `или`).
const SEPARATORS: [char; 6] = [',', ';', '\n', '\r', '\t', '|'];

/// One cell's state: its parts split at the separators, each part's
/// numbers judged.
fn cell_state(cell: &str, country: PhoneCountry) -> PhoneState {
    let mut state = PhoneState::Missing;
    for part in cell.split(SEPARATORS) {
        for number in numbers(part) {
            match judge(&number, country) {
                None => {}
                Some(true) => return PhoneState::Plausible,
                Some(false) => state = PhoneState::Implausible,
            }
        }
    }
    state
}

/// Whether `cell` is one number that [`cell_state`] finds plausible as a
/// whole, told from its digits alone. Such a cell is ASCII with no letter
/// (no `или`, no extension), no separator of numbers and no `/`: it is one
/// part, one number of all its tokens, and judged whole first, by all
/// its digits. `false` says nothing: the cell is then read in full.
fn plainly_plausible(cell: &str, country: PhoneCountry) -> bool {
    let (mut count, mut first) = (0, 0);
    for b in cell.bytes() {
        match b {
            b'0'..=b'9' => {
                if count == 0 {
                    first = b;
                }
                count += 1;
            }
            b'/' => return false,
            b if SEPARATORS.contains(&char::from(b)) => return false,
            b if b.is_ascii_alphabetic() || !b.is_ascii() => return false,
            _ => {}
        }
    }
    count > 0 && plausible_count(count, first, country)
}

/// The state of a set of phone cells in each of `countries` (the others
/// left `Missing`): a record is read once, and judged once per numbering
/// plan the rules ask for, usually one.
pub fn phone_states<S: AsRef<str>>(cells: &[S], countries: &[PhoneCountry]) -> Phones {
    let mut phones = Phones::default();
    for &country in countries {
        phones.set(
            country,
            phone_state(cells.iter().map(AsRef::as_ref), country),
        );
    }
    phones
}

/// Two readings of one record's phones together (a repeat row, or contacts
/// of one name), each with its implausible cells: in each numbering plan
/// the better state, and the cells of the first reading that has some.
pub(super) fn together(first: (Phones, Text), other: (Phones, Text)) -> (Phones, Text) {
    let mut phones = first.0;
    for country in PhoneCountry::ALL {
        phones.set(country, phones.of(country).max(other.0.of(country)));
    }
    let cells = if !phones.implausible_somewhere() {
        Text::EMPTY
    } else if first.1.is_empty() {
        other.1
    } else {
        first.1
    };
    (phones, cells)
}

/// A part's numbers as tokens: the word «или» separates two, and an
/// extension ends one (its digits are dropped).
fn numbers(part: &str) -> Vec<Vec<&str>> {
    let mut numbers = Vec::new();
    let mut number = Vec::new();
    let mut tokens = part.split_whitespace().peekable();
    while let Some(token) = tokens.next() {
        if is_or(token) {
            numbers.push(std::mem::take(&mut number));
            continue;
        }
        // An extension with no number before it is judged as written.
        if !number.is_empty() {
            if let Some(with_digits) = extension(token) {
                numbers.push(std::mem::take(&mut number));
                if !with_digits {
                    tokens.next_if(|t| {
                        t.bytes().any(|b| b.is_ascii_digit()) && !t.chars().any(char::is_alphabetic)
                    });
                }
                continue;
            }
        }
        number.push(token);
    }
    numbers.push(number);
    numbers
}

fn is_or(token: &str) -> bool {
    token.len() == "или".len() && token.to_lowercase() == "или"
}

/// Whether the token marks an extension (`доб.`, `доб`, `ext`, `Доб.123`),
/// and if so whether it carries the extension's digits itself.
fn extension(token: &str) -> Option<bool> {
    if !token.starts_with(char::is_alphabetic) {
        return None;
    }
    let lower = token.to_lowercase();
    let rest = ["доб", "ext"]
        .iter()
        .find_map(|marker| lower.strip_prefix(marker))?;
    let rest = rest.trim_start_matches(['.', ':']);
    rest.bytes()
        .all(|b| b.is_ascii_digit())
        .then_some(!rest.is_empty())
}

fn digits_of(tokens: &[&str]) -> Vec<u8> {
    tokens
        .iter()
        .flat_map(|t| t.bytes())
        .filter(u8::is_ascii_digit)
        .collect()
}

/// Whether a number's tokens hold a plausible number; `None` without a
/// digit.
fn judge(tokens: &[&str], country: PhoneCountry) -> Option<bool> {
    let digits = digits_of(tokens);
    if digits.is_empty() {
        return None;
    }
    // Judged whole: a slash may set off the code (`495/123-45-67`).
    let whole = if tokens.iter().any(|t| t.contains('/')) {
        inferred_number(&digits, tokens[0], country)
    } else {
        plausible(&digits, country)
    };
    if whole {
        return Some(true);
    }
    Some(
        slash_pieces(tokens)
            .iter()
            .any(|piece| side_by_side(piece, country)),
    )
}

/// The tokens split at every `/`.
fn slash_pieces<'a>(tokens: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut pieces = vec![Vec::new()];
    for token in tokens {
        for (i, bit) in token.split('/').enumerate() {
            if i > 0 {
                pieces.push(Vec::new());
            }
            if !bit.is_empty() {
                pieces.last_mut().expect("one piece at least").push(bit);
            }
        }
    }
    pieces
}

fn starts_with_plus(token: &str) -> bool {
    token.trim_start_matches('(').starts_with('+')
}

/// The fewest digits of a number of its own: a local number of a small
/// town has 5.
const LOCAL: usize = 5;

/// The most digits of one number.
const LONGEST: usize = 15;

/// Whether the tokens hold a plausible number, whole or as a group of
/// whole tokens among others, each side of the group long enough to be a
/// number of its own.
fn side_by_side(tokens: &[&str], country: PhoneCountry) -> bool {
    let tokens: Vec<(&str, Vec<u8>)> = tokens
        .iter()
        .map(|t| (*t, digits_of(&[t])))
        .filter(|(_, d)| !d.is_empty())
        .collect();
    let all: Vec<u8> = tokens.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    if all.is_empty() {
        return false;
    }
    if plausible(&all, country) {
        return true;
    }
    // What is left beside a group is nothing, or could be a number.
    let apart = |left: usize| left == 0 || left >= LOCAL;
    let mut start = 0;
    for i in 0..tokens.len() {
        let mut end = start;
        for j in i..tokens.len() {
            end += tokens[j].1.len();
            if apart(start) && apart(all.len() - end) {
                let group = &all[start..end];
                let number = if i == j {
                    one_token(group, country)
                } else {
                    inferred_number(group, tokens[i].0, country)
                };
                if number {
                    return true;
                }
            }
            if end - start > LONGEST {
                break;
            }
        }
        start += tokens[i].1.len();
    }
    false
}

/// Whether digits read across a space or a slash, which may as well
/// separate two numbers, are one number: a Russian one by its code, a
/// foreign one written with its `+`, or, with no numbering plan (any
/// country), one of plausible length.
fn inferred_number(digits: &[u8], first_token: &str, country: PhoneCountry) -> bool {
    match country {
        PhoneCountry::Ru => {
            real_number(digits, country)
                || (digits.len() > 11
                    && starts_with_plus(first_token)
                    && plausible(digits, country))
        }
        PhoneCountry::Any => plausible(digits, country),
    }
}

/// Whether one token's digits, beside other numbers, are a number: a
/// Russian one by its code, a foreign one by its length, or Russian
/// numbers run together.
fn one_token(digits: &[u8], country: PhoneCountry) -> bool {
    match digits.len() {
        10 | 11 if country == PhoneCountry::Ru => real_number(digits, country),
        n if n >= TWO_NUMBERS => run_together(digits, country),
        _ => plausible(digits, country),
    }
}

/// The longest digit run tried as numbers run together: five numbers.
const MAX_RUN: usize = 75;

/// A digit run this long is more than one number (two of 10 digits, the
/// shortest).
const TWO_NUMBERS: usize = 20;

/// Whether a run of digits with no separator is Russian numbers run
/// together: it cuts into numbers of 10 or 11 digits that each are
/// [`real_number`]s.
fn run_together(digits: &[u8], country: PhoneCountry) -> bool {
    let n = digits.len();
    if !(TWO_NUMBERS..=MAX_RUN).contains(&n) {
        return false;
    }
    // reachable[j]: digits[..j] is whole numbers.
    let mut reachable = vec![false; n + 1];
    reachable[0] = true;
    for j in 10..=n {
        reachable[j] = [10, 11].iter().any(|len| {
            j >= *len && reachable[j - len] && real_number(&digits[j - len..j], country)
        });
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

    #[test]
    fn each_country_asked_for_is_judged_and_kept_apart() {
        // 11 digits starting with 1: no Russian number, some country's.
        let both = phone_states(&["19275556677"], &PhoneCountry::ALL);
        assert_eq!(both.of(PhoneCountry::Ru), Implausible);
        assert_eq!(both.of(PhoneCountry::Any), Plausible);
        // A country no rule asks for is not judged.
        let any = phone_states(&["19275556677"], &[PhoneCountry::Any]);
        assert_eq!(
            (any.of(PhoneCountry::Ru), any.of(PhoneCountry::Any)),
            (Missing, Plausible)
        );
        assert!(!any.missing() && phone_states(&["нет"], &PhoneCountry::ALL).missing());
    }

    #[test]
    fn two_readings_together_keep_the_better_state_in_each_country() {
        let mut texts = crate::model::Texts::default();
        let (a, b) = (texts.keep("a").unwrap(), texts.keep("b").unwrap());
        // Implausible in Russia only, then in any country only: each
        // country's better state, and the first reading's cells.
        let first = phone_states(&["19275556677"], &PhoneCountry::ALL);
        let other = phone_states(&["8927555667789275556688"], &PhoneCountry::ALL);
        let (phones, cells) = together((first, a), (other, b));
        assert_eq!(phones.of(PhoneCountry::Ru), Plausible);
        assert_eq!(phones.of(PhoneCountry::Any), Plausible);
        assert_eq!(cells, Text::EMPTY, "nothing implausible is left to show");
        // Nothing first: the other's state and cells.
        assert_eq!(
            together((Phones::default(), Text::EMPTY), (first, a)),
            (first, a)
        );
        assert_eq!(together((first, a), (first, b)), (first, a));
    }

    // ---- a run of digits with no separator ----

    #[test]
    fn a_long_run_of_digits_is_no_phone_unless_it_cuts_into_real_numbers() {
        // A bank account (20 digits): the only cut into numbers of 10 or 11
        // digits is 10 + 10, «4070281090» (code 407: no such Russian code)
        // and «0000012345» (code 000): no phone.
        assert_eq!(ru(&["40702810900000012345"]), Implausible, "a bank account");
        // Another account, whose 10 + 10 cut starts with 4 and 9 (so a check
        // of the first digit alone would pass it): «4081781009» has code
        // 408, which Russia does not use.
        assert_eq!(
            ru(&["40817810099910004312"]),
            Implausible,
            "a personal account"
        );
        assert_eq!(ru(&["00000000000000000000"]), Implausible, "twenty zeros");
        // 25 digits: no sum of 10s and 11s makes 25, so no cut into Russian
        // numbers exists, whatever the digits.
        assert_eq!(ru(&["8927555667712345678901234"]), Implausible, "25 digits");
        // 11 + 11: «89275556677» (8, mobile 927) and «84951234567» (8,
        // Moscow 495) are two real numbers run together.
        assert_eq!(ru(&["8927555667784951234567"]), Plausible);
        // 10 + 11: «9275556677» (mobile 927) and «88462001010» (8, Samara
        // 846).
        assert_eq!(ru(&["927555667788462001010"]), Plausible);
        // Any country knows no numbering plan: a run is never cut.
        assert_eq!(
            phone_state(["40702810900000012345"].into_iter(), PhoneCountry::Any),
            Implausible
        );
    }

    // ---- one plausible number among numbers written side by side ----

    #[test]
    fn a_plausible_number_beside_another_is_enough() {
        // 11 + 7 digits: a mobile number and a local one, 18 digits in all.
        assert_eq!(ru(&["89275556677 555-66-77"]), Plausible);
        // «+7 927 555 66 77» is a plausible number; «19275556677» is not,
        // but one is enough, as with a comma.
        assert_eq!(ru(&["+7 927 555 66 77 19275556677"]), Plausible);
        assert_eq!(ru(&["+7 927 555 66 77, 19275556677"]), Plausible);
        // The other way round.
        assert_eq!(ru(&["555-66-77 8 (846) 200-10-10"]), Plausible);
        // Neither side is a number: 7 + 4 digits.
        assert_eq!(ru(&["555-66-77 12-34"]), Implausible);
    }

    #[test]
    fn a_slash_may_set_off_the_area_code() {
        // «495/123-45-67»: 10 digits, Moscow's code and a local number.
        assert_eq!(ru(&["495/123-45-67"]), Plausible);
        assert_eq!(ru(&["8 (495) / 123-45-67"]), Plausible);
        // Two local numbers are no number with a code: 14 digits across a
        // slash are two numbers, each of 7 digits.
        assert_eq!(ru(&["555-66-77 / 555-66-78"]), Implausible);
        // 10 digits across a slash are one number only with a code in use:
        // «555» is none, so this is a local number and 3 stray digits.
        assert_eq!(ru(&["555-66-77 / 123"]), Implausible);
        // A foreign number set off by slashes, written with its «+».
        assert_eq!(ru(&["+375/29/123-45-67"]), Plausible);
    }

    #[test]
    fn an_extension_ends_the_number() {
        // 11 digits, then an extension: the number is plausible.
        assert_eq!(ru(&["+7 (927) 555-66-77 доб. 12345"]), Plausible);
        assert_eq!(ru(&["8 495 123 45 67 доб 123"]), Plausible);
        assert_eq!(ru(&["8 495 123 45 67 Доб.123"]), Plausible);
        assert_eq!(ru(&["8 495 123 45 67 ext. 123"]), Plausible);
        // An extension of a local number without a code stays implausible.
        assert_eq!(ru(&["555-66-77 доб. 123"]), Implausible);
        // An extension with nothing before it is still a written phone.
        assert_eq!(ru(&["доб. 123"]), Implausible);
    }

    #[test]
    fn a_number_with_spaces_dashes_or_parentheses_is_never_cut() {
        assert_eq!(ru(&["+7 927 555 66 77"]), Plausible);
        assert_eq!(ru(&["8 (495) 123-45-67"]), Plausible);
        // 11 digits starting with 1: «927 555 66 77» would be a number, but
        // the «1» left before it is no number of its own.
        assert_eq!(ru(&["1 927 555 66 77"]), Implausible);
        assert_eq!(ru(&["1 (927) 555-66-77"]), Implausible);
        // A bank account written in groups: no group of whole tokens is a
        // real number (the 11 digits «0000 0012345» start with 0).
        assert_eq!(ru(&["40702 810 9 0000 0012345"]), Implausible);
        // A card number in fours: no group leaves 5 digits on each side.
        assert_eq!(ru(&["4276 3800 1234 5678"]), Implausible);
    }

    #[test]
    fn codes_in_use_decide_where_numbers_run_together_split() {
        let real = |s: &str| real_number(s.as_bytes(), PhoneCountry::Ru);
        for number in [
            "9275556677",  // mobile
            "4951234567",  // Moscow
            "8121234567",  // St Petersburg
            "3431234567",  // Yekaterinburg
            "3651234567",  // Crimea
            "8691234567",  // Sevastopol
            "8001234567",  // free call
            "7271234567",  // Almaty: Kazakhstan shares +7
            "89275556677", // with the trunk prefix
            "74951234567", // with the country code
        ] {
            assert!(real(number), "{number}");
        }
        for number in [
            "4071234567", // 407, 408: account classes, no codes
            "4081234567",
            "5551234567", // 5xx, 6xx, 0xx, 1xx, 2xx: unused
            "6001234567",
            "0001234567",
            "1234567890",
            "2121234567",
            "19275556677", // prefix 1
            "892755566",   // 9 digits
        ] {
            assert!(!real(number), "{number}");
        }
    }

    /// Cells of the tests above, and more of the shapes the shortcut must
    /// leave alone: slashes, every separator, words, extensions, non-ASCII
    /// spaces and digits (their characters make the random cells below).
    const SHAPES: &[&str] = &[
        "+7 (927) 555-66-77",
        "8 927 555 66 77",
        "'89275556677",
        "555-66-77",
        "19275556677",
        "+375 29 123-45-67",
        "12345/1234567",
        "495/123-45-67",
        "8 927 555 66 77 / 8 495 123 45 67",
        "12345678901234567890",
        "89275556677 555-66-77",
        "555-66-77, +7 927 555-66-77",
        "555-66-77;8927|555\t66\n77\r12",
        "8 (846) 200-10-10 доб. 123",
        "8 846 200 10 10 ext 12",
        "555-66-77 ext. 123",
        "555-66-77 доб. 123",
        "123 ext 4567890",
        "89275556677 или 5",
        "8\u{a0}927\u{a0}555\u{a0}66\u{a0}77",
        "８９２７５５５６６７７",
        "тел. 89275556677",
        "0000000000",
        "",
    ];

    /// The shortcut says plausible only where the full reading of the
    /// cell does: over the shapes above, and over 20,000 cells of their
    /// characters put together at random (a fixed seed).
    #[test]
    fn the_plain_shortcut_never_finds_a_number_the_full_reading_does_not() {
        let check = |cell: &str| {
            for country in PhoneCountry::ALL {
                if plainly_plausible(cell, country) {
                    assert_eq!(cell_state(cell, country), Plausible, "{cell:?} {country:?}");
                }
            }
        };
        SHAPES.iter().for_each(|cell| check(cell));
        let alphabet: Vec<char> = SHAPES
            .concat()
            .chars()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let ascii: Vec<char> = alphabet.iter().copied().filter(char::is_ascii).collect();
        let mut seed: u64 = 20261205;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % below
        };
        let mut shortcut_taken = 0;
        for _ in 0..20_000 {
            let length = next(20);
            // Mostly digits, so that numbers form; then the shapes' ASCII
            // characters; now and then any of theirs.
            let cell: String = (0..length)
                .map(|_| match next(10) {
                    0..=5 => char::from(b'0' + next(10) as u8),
                    6..=8 => ascii[next(ascii.len())],
                    _ => alphabet[next(alphabet.len())],
                })
                .collect();
            check(&cell);
            shortcut_taken += usize::from(plainly_plausible(&cell, PhoneCountry::Ru));
        }
        // The random cells do reach the shortcut.
        assert!(shortcut_taken > 300, "{shortcut_taken}");
    }

    #[test]
    fn a_plain_number_is_read_by_its_digits_alone() {
        let ru = |cell| plainly_plausible(cell, PhoneCountry::Ru);
        assert!(ru("+7 (927) 555-66-77"));
        assert!(ru("'89275556677"));
        assert!(!ru("19275556677"), "11 digits not starting with 7 or 8");
        assert!(!ru("555-66-77"));
        // Left to the full reading: a slash, a separator, a word, a
        // non-ASCII space.
        assert!(!ru("495/123-45-67"));
        assert!(!ru("89275556677, 1"));
        assert!(!ru("89275556677 доб 1"));
        assert!(!ru("555-66-77 ext. 123"));
        assert!(!ru("8\u{a0}927\u{a0}555\u{a0}66\u{a0}77"));
    }
}

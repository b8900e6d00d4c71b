//! `--mask-phones`: one pass over the report, before any format renders
//! it, that hides phone numbers (all but their last 4 digits) and e-mail
//! local parts (all but the first character) in every free-text field, so
//! a report can leave the head of sales' hands. Identifiers (deal and task
//! IDs, CRM links, fingerprints) are left as they are: they are needed to
//! find the record and name no person.

use super::texts::{rewrite, TextPass};
use super::Report;

/// Masks every free-text field of the report in place: every text the
/// report holds (`texts::rewrite`) but its identifiers.
pub fn mask_report(report: &mut Report) {
    report.masked = true;
    rewrite(report, TextPass::Mask);
}

pub(super) fn mask(text: &mut String) {
    if text.contains(|c: char| c.is_ascii_digit() || c == '@') {
        *text = mask_text(text);
    }
}

/// A phone number is a run of 10 or more digits that may be broken by
/// spaces, hyphens and parentheses and may start with `+`.
const PHONE_MIN_DIGITS: usize = 10;
/// How many trailing digits of a phone number stay readable.
const PHONE_KEPT_DIGITS: usize = 4;

/// The text with e-mail local parts and phone numbers masked:
/// `ivan.petrov@mail.ru` → `i***@mail.ru`, `+7 (927) 123-45-67` →
/// `+* (***) ***-45-67`.
pub fn mask_text(text: &str) -> String {
    let chars: Vec<char> = mask_emails(text.chars().collect());
    mask_phones(chars).into_iter().collect()
}

/// What a phone number is written with between its digits: spaces of any
/// width, any dash, parentheses, dots, slashes and underscores.
fn is_phone_formatting(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}'
            | '\u{2000}'..='\u{200a}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '-'
            | '\u{2010}'..='\u{2015}'
            | '\u{2212}'
            | '('
            | ')'
            | '.'
            | '/'
            | '_'
    )
}

/// A run written with dots or slashes around a group of four digits is a
/// date and its hour (`24.11.2026 15:00`), not a phone number.
fn is_date(run: &[char]) -> bool {
    run.iter().any(|c| matches!(c, '.' | '/'))
        && run
            .split(|c| !c.is_ascii_digit())
            .any(|group| group.len() == 4)
}

fn mask_phones(mut chars: Vec<char>) -> Vec<char> {
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (matches!(chars[i], '+' | '(')
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()));
        if !starts {
            i += 1;
            continue;
        }
        // The run: digits and formatting, ending at its last digit. A phone
        // has its parenthesis around the area code, near its start: a `(`
        // after two groups of digits ends the run (`10 000 000 (15%)`).
        let mut end = i + 1;
        let mut last_digit = chars[i].is_ascii_digit().then_some(i);
        let mut groups = usize::from(chars[i].is_ascii_digit());
        while end < chars.len() && (chars[end].is_ascii_digit() || is_phone_formatting(chars[end]))
        {
            if chars[end].is_ascii_digit() {
                if !chars[end - 1].is_ascii_digit() {
                    groups += 1;
                }
                last_digit = Some(end);
            } else if chars[end] == '(' && groups > 1 {
                break;
            }
            end += 1;
        }
        let Some(last) = last_digit else {
            i = end;
            continue;
        };
        let digits: Vec<usize> = (i..=last).filter(|&k| chars[k].is_ascii_digit()).collect();
        let run = &chars[i..=last];
        if digits.len() >= PHONE_MIN_DIGITS && !is_amount(run) && !is_date(run) {
            for &k in &digits[..digits.len() - PHONE_KEPT_DIGITS] {
                chars[k] = '*';
            }
        }
        i = last + 1;
    }
    chars
}

/// Digits grouped by threes after the first group (`1 000 000 000`) are an
/// amount of money, not a phone number.
fn is_amount(run: &[char]) -> bool {
    // Ten or eleven digits from 7, 8 or 9 are read as a phone first
    // (`7 927 555 666`): masking an amount by mistake hides less than
    // showing a phone.
    let digits: Vec<&char> = run.iter().filter(|c| c.is_ascii_digit()).collect();
    if matches!(digits.len(), 10 | 11) && matches!(digits[0], '7' | '8' | '9') {
        return false;
    }
    let text: String = run.iter().collect();
    let groups: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() >= 2
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && run
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '\u{a0}'))
}

fn is_local_part(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

fn mask_emails(chars: Vec<char>) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let domain_end = (i + 1..chars.len())
            .find(|&k| !is_domain(chars[k]))
            .unwrap_or(chars.len());
        let domain: String = chars[i + 1..domain_end].iter().collect();
        let domain = domain.trim_end_matches(['.', '-']);
        let local_len = out.iter().rev().take_while(|&&c| is_local_part(c)).count();
        let is_email = local_len > 0
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.');
        if is_email {
            let first = out[out.len() - local_len];
            out.truncate(out.len() - local_len);
            out.push(first);
            out.extend("***".chars());
        }
        out.push('@');
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn amounts_are_not_phone_numbers() {
        assert_eq!(
            mask_text("paid 1 500 000 of budget 10 000 000 (15%)"),
            "paid 1 500 000 of budget 10 000 000 (15%)"
        );
        assert_eq!(mask_text("бюджет 1 000 000 000"), "бюджет 1 000 000 000");
        assert_eq!(mask_text("+7 (927) 123-45-67"), "+* (***) ***-45-67");
        assert_eq!(
            mask_text("8 927 555 66 77 (моб.)"),
            "* *** *** 66 77 (моб.)"
        );
    }

    use super::*;

    #[test]
    fn phones_keep_their_last_four_digits() {
        assert_eq!(mask_text("+7 (927) 123-45-67"), "+* (***) ***-45-67");
        assert_eq!(mask_text("89271234567"), "*******4567");
        assert_eq!(mask_text("8 800 555 35 35"), "* *** *** 35 35");
        assert_eq!(
            mask_text("Перезвонить на 8-927-123-45-67, спросить Олега"),
            "Перезвонить на *-***-***-45-67, спросить Олега"
        );
        assert_eq!(mask_text("тел.(846)2001234 доб"), "тел.(***)***1234 доб");
    }

    #[test]
    fn phones_written_with_dots_dashes_and_odd_spaces_are_masked() {
        // Each was printed unmasked before (an independent review).
        for (text, masked) in [
            ("8.927.555.66.77", "*.***.***.66.77"),
            ("8 927 555–66–77", "* *** ***–66–77"),
            (
                "8\u{2011}927\u{2011}555\u{2011}66\u{2011}77",
                "*\u{2011}***\u{2011}***\u{2011}66\u{2011}77",
            ),
            (
                "8\u{202f}927\u{2009}555 66 77",
                "*\u{202f}***\u{2009}*** 66 77",
            ),
            ("8_927_555_66_77", "*_***_***_66_77"),
            ("8/927/555-66-77", "*/***/***-66-77"),
            ("7 927 555 666", "* *** **5 666"),
        ] {
            assert_eq!(mask_text(text), masked, "{text}");
        }
        // A date and its hour written with dots or slashes stays.
        assert_eq!(mask_text("до 24.11.2026 15:00"), "до 24.11.2026 15:00");
        assert_eq!(mask_text("до 24/11/2026 15:00"), "до 24/11/2026 15:00");
    }

    #[test]
    fn other_numbers_are_not_phones() {
        for text in [
            "task due 24.11.2026 15:00 is 2 d 11 h overdue",
            "31 outgoing contacts on 26.11.2026, quota 40 (29 calls, 2 letters)",
            "Радиаторы для спортзала школы № 37",
            "ООО «Инжтехмонтаж»: 40 радиаторов, 352 000 руб",
            "examples/amocrm/deals.xlsx",
            "call 123-45-67",
        ] {
            assert_eq!(mask_text(text), text);
        }
    }

    #[test]
    fn emails_keep_the_first_character_and_the_domain() {
        assert_eq!(mask_text("ivan.petrov@mail.ru"), "i***@mail.ru");
        assert_eq!(
            mask_text("Письмо от a.smirnova@stroy-torg.ru."),
            "Письмо от a***@stroy-torg.ru."
        );
        assert_eq!(mask_text("почта: олег@почта.рф"), "почта: о***@почта.рф");
        assert_eq!(mask_text("89271234567@mail.ru"), "8***@mail.ru");
    }

    #[test]
    fn the_whole_report_is_masked_but_identifiers_stay() {
        let mut report =
            super::super::sample::with_deal_name("Иван +7 927 123-45-67, ivan@mail.ru");
        report.violations.to_mut()[0].message = "звонить 89271234567".to_string();
        mask_report(&mut report);
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains("927"), "{json}");
        assert!(!json.contains("ivan@"), "{json}");
        assert!(json.contains("+* *** ***-45-67"), "{json}");
        assert!(json.contains("i***@mail.ru"), "{json}");
        assert!(json.contains("https://example.amocrm.ru/leads/detail/101"));
        assert!(json.contains("\"fingerprint\":\"0123456789abcdef\""));
    }

    #[test]
    fn at_signs_that_are_not_emails_stay() {
        for text in ["@channel", "встреча @ 15:00", "a@b", "x@localhost"] {
            assert_eq!(mask_text(text), text);
        }
    }
}

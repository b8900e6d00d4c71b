//! Whether two written names denote one person: the one place every list
//! of names meets another (the CRM's deals and tasks, a call log's callers,
//! the roster, a rule's per-manager settings, waivers, `--manager`).
//!
//! Two levels, the first always safe, the second only with one candidate:
//! - `name_key`: the same name however it is typed. Case, spacing and the
//!   order of the words aside, `ё` is `е`, and a Latin letter that looks
//!   like a Cyrillic one inside an otherwise Cyrillic word is that letter
//!   (`Петрoв` with a Latin `o`).
//! - `fits`: a shorter or longer form of a known full name: the same name
//!   with a patronymic (`Петров Алексей Викторович` for `Петров Алексей`),
//!   or a surname with initials (`Иванова М.`, `М. Иванова`). `find` takes
//!   it only when exactly one known name fits; two are never guessed
//!   between.
//!
//! It must not decide which names are known: callers hand it the list.

use crate::value::normalize_name;

/// The key a person's name is looked up by: tidied, ignoring case, `ё`
/// as `е`, Latin look-alikes inside Cyrillic words as the Cyrillic letter,
/// and ignoring the order of the words, so a call log's «Орлов Дмитрий» is
/// the deals' «Дмитрий Орлов» and «Семенова Алена» is «Семёнова Алёна», not
/// a second person with no deals (or no calls, and a quota violation that
/// is not there).
pub fn name_key(name: &str) -> String {
    let lower = normalize_name(name).to_lowercase();
    let mut words: Vec<String> = lower.split_whitespace().map(fold_word).collect();
    words.sort_unstable();
    words.join(" ")
}

/// `text` lowercased with its words' letters folded as `name_key` does,
/// the words kept in order (for matching the start of a name).
pub fn folded(text: &str) -> String {
    let lower = normalize_name(text).to_lowercase();
    let words: Vec<String> = lower.split_whitespace().map(fold_word).collect();
    words.join(" ")
}

/// A lowercase word with `ё` as `е` and, when the word is otherwise
/// Cyrillic, its Latin look-alikes as Cyrillic letters.
fn fold_word(word: &str) -> String {
    let cyrillic = word.chars().any(is_cyrillic);
    let latin_only_lookalikes = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .all(|c| cyrillic_lookalike(c).is_some());
    word.chars()
        .map(|c| match c {
            'ё' => 'е',
            c if cyrillic && latin_only_lookalikes => cyrillic_lookalike(c).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// The Cyrillic letter a lowercase Latin letter is typed for (its capital
/// looks the same as the Cyrillic capital: `A B C E H K M O P T X Y`).
fn cyrillic_lookalike(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'b' => 'в',
        'c' => 'с',
        'e' => 'е',
        'h' => 'н',
        'k' => 'к',
        'm' => 'м',
        'o' => 'о',
        'p' => 'р',
        't' => 'т',
        'x' => 'х',
        'y' => 'у',
        _ => return None,
    })
}

/// Whether a word of a name is an initial: `А.`, `А.С.` or a lone letter.
pub fn is_initial(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let lone = letters == 1 && word.chars().count() == 1;
    lone || (word.ends_with('.')
        && (1..=2).contains(&letters)
        && word.chars().all(|c| c.is_alphabetic() || c == '.'))
}

/// Whether a (lowercase) word is a patronymic: `Викторович`, `Петровна`,
/// `Ильинична`, and the Turkic `оглы`/`кызы`/`улы` forms.
fn is_patronymic(word: &str) -> bool {
    ["вич", "вна", "чна", "оглы", "кызы", "улы"]
        .iter()
        .any(|end| word.ends_with(end) && word.chars().count() > end.chars().count() + 1)
}

/// Whether `written` (`folded`: its words in the order written) is
/// another form of the full name `known` (a `name_key`): the same words
/// but a patronymic one has and the other has not (both with a surname and
/// a first name), a surname alone, or some of its words with initials
/// standing for the others: the first initial for the first name, a
/// second for the patronymic where `known` has one (else it says nothing).
/// A name equal to `known` is not "another form": compare keys for that.
pub fn fits(written: &str, known: &str) -> bool {
    let known: Vec<&str> = known.split_whitespace().collect();
    if known.iter().any(|w| is_initial(w)) || !(2..=3).contains(&known.len()) {
        return false;
    }
    let (initials, full): (Vec<&str>, Vec<&str>) =
        written.split_whitespace().partition(|w| is_initial(w));
    if initials.is_empty() {
        if let [one] = full.as_slice() {
            // A surname alone (or a first name alone): a word of the
            // full name that is no patronymic.
            return !is_patronymic(one) && known.contains(one);
        }
        // One patronymic more or less, the other words (at least a
        // surname and a first name) the same.
        let only_written: Vec<&str> = full
            .iter()
            .copied()
            .filter(|w| !known.contains(w))
            .collect();
        let only_known: Vec<&str> = known
            .iter()
            .copied()
            .filter(|w| !full.contains(w))
            .collect();
        return match (only_written.as_slice(), only_known.as_slice()) {
            ([one], []) => known.len() >= 2 && is_patronymic(one),
            ([], [one]) => full.len() >= 2 && is_patronymic(one),
            _ => false,
        };
    }
    if full.is_empty() || !full.iter().all(|w| known.contains(w)) {
        return false;
    }
    let mut rest: Vec<&str> = known
        .iter()
        .copied()
        .filter(|w| !full.contains(w))
        .collect();
    let letters: Vec<char> = initials
        .iter()
        .flat_map(|i| i.chars().filter(|c| c.is_alphabetic()))
        .collect();
    let [first, more @ ..] = letters.as_slice() else {
        return false;
    };
    if more.len() > 1 {
        return false;
    }
    // The first initial stands for a first name, not a patronymic.
    let Some(at) = rest
        .iter()
        .position(|w| w.starts_with(*first) && !is_patronymic(w))
    else {
        return false;
    };
    rest.remove(at);
    // The second, for the patronymic, if the full name has one.
    match (more.first(), rest.iter().find(|w| is_patronymic(w))) {
        (Some(second), Some(patronymic)) => patronymic.starts_with(*second),
        _ => true,
    }
}

/// The patronymic a written name (`folded`) gives: a whole word, or the
/// second of its initials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patronymic {
    Word(String),
    Initial(char),
}

impl Patronymic {
    /// The patronymic `written` (`folded`) gives, if any.
    pub fn of(written: &str) -> Option<Patronymic> {
        let words: Vec<&str> = written.split_whitespace().collect();
        if let Some(word) = words.iter().find(|w| !is_initial(w) && is_patronymic(w)) {
            return Some(Patronymic::Word(word.to_string()));
        }
        let letters: Vec<char> = (words.iter().filter(|w| is_initial(w)))
            .flat_map(|i| i.chars().filter(|c| c.is_alphabetic()))
            .collect();
        letters.get(1).map(|&c| Patronymic::Initial(c))
    }

    /// Whether the two cannot be one person's patronymic.
    pub fn differs(&self, other: &Patronymic) -> bool {
        match (self, other) {
            (Patronymic::Word(a), Patronymic::Word(b)) => a != b,
            (Patronymic::Word(w), Patronymic::Initial(c))
            | (Patronymic::Initial(c), Patronymic::Word(w)) => !w.starts_with(*c),
            (Patronymic::Initial(a), Patronymic::Initial(b)) => a != b,
        }
    }
}

/// Which of `known` (each a `name_key`) a name is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The index of the one name it is.
    One(usize),
    /// No name it is.
    None,
    /// The indices of every name it could be: it is none of them.
    Several(Vec<usize>),
}

/// Which of `known` (each a `name_key`) the name `written` is: the one of
/// the same key, else the one full name it is another form of (`fits`).
pub fn find(written: &str, known: &[&str]) -> Found {
    let key = name_key(written);
    if let Some(at) = known.iter().position(|k| *k == key) {
        return Found::One(at);
    }
    let written = folded(written);
    let fitting: Vec<usize> = (0..known.len())
        .filter(|&i| fits(&written, known[i]))
        .collect();
    match fitting.as_slice() {
        [] => Found::None,
        [one] => Found::One(*one),
        _ => Found::Several(fitting),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yo_and_ye_are_one_letter() {
        assert_eq!(name_key("Семёнова Алёна"), name_key("Семенова Алена"));
        assert_eq!(name_key("СЁМИН ПЁТР"), name_key("Семин Петр"));
    }

    #[test]
    fn a_latin_lookalike_in_a_cyrillic_word_is_the_cyrillic_letter() {
        // «Петрoв» with a Latin o; «Cидоров» with a Latin C; «Кирилл» with
        // a Latin K, p and y would be «Kиpилл».
        assert_eq!(name_key("Петрoв Алексей"), name_key("Петров Алексей"));
        assert_eq!(name_key("Cидоров Иван"), name_key("Сидоров Иван"));
        assert_eq!(name_key("Aнна Xмелева"), name_key("Анна Хмелева"));
        // A Latin word stays Latin, and a word with a Latin letter that
        // looks like no Cyrillic one is not folded.
        assert_eq!(name_key("Mega"), "mega");
        assert_ne!(name_key("Petrов"), name_key("Петров"));
    }

    #[test]
    fn the_order_of_words_and_case_do_not_matter() {
        assert_eq!(name_key("Орлов  Дмитрий"), name_key("дмитрий орлов"));
        assert_eq!(folded("  Семёнова   Алёна "), "семенова алена");
    }

    #[test]
    fn a_patronymic_more_or_less_is_the_same_person() {
        let known = name_key("Петров Алексей");
        assert!(fits(&name_key("Петров Алексей Викторович"), &known));
        assert!(fits(
            &name_key("Петров Алексей"),
            &name_key("Алексей Викторович Петров")
        ));
        // Another first name, or a third word that is no patronymic.
        assert!(!fits(&name_key("Петров Андрей Викторович"), &known));
        assert!(!fits(&name_key("Петров Алексей Иванов"), &known));
        // Two patronymics are two people.
        assert!(!fits(
            &name_key("Петров Алексей Викторович"),
            &name_key("Петров Алексей Иванович")
        ));
    }

    #[test]
    fn initials_stand_for_the_first_name_and_patronymic() {
        let maria = name_key("Иванова Мария");
        assert!(fits(&name_key("Иванова М."), &maria));
        assert!(fits(&name_key("М. Иванова"), &maria));
        assert!(fits(
            &name_key("Иванова М."),
            &name_key("Иванова Мария Петровна")
        ));
        assert!(fits(
            &name_key("Иванова М.П."),
            &name_key("Иванова Мария Петровна")
        ));
        assert!(!fits(&name_key("Иванова А."), &maria));
        // A patronymic's initial alone is no first name's.
        assert!(!fits(
            &name_key("Иванова П."),
            &name_key("Иванова Мария Петровна")
        ));
        assert!(!fits(&name_key("Петрова М."), &maria));
    }

    #[test]
    fn a_surname_alone_or_with_two_initials_is_a_form_of_the_name() {
        let ivan = name_key("Сидоров Иван");
        assert!(fits(&folded("Сидоров"), &ivan));
        // A second initial says nothing of a name without a patronymic…
        assert!(fits(&folded("Сидоров И.И."), &ivan));
        assert!(fits(&folded("И.П. Сидоров"), &ivan));
        assert!(!fits(&folded("Сидоров П.И."), &ivan));
        // …and must be the patronymic's where there is one.
        let full = name_key("Сидоров Иван Петрович");
        assert!(fits(&folded("Сидоров И.П."), &full));
        assert!(fits(&folded("Сидоров И. П."), &full));
        assert!(!fits(&folded("Сидоров И.И."), &full));
        assert!(!fits(&folded("Сидоров И.П.К."), &full));
        // A patronymic alone is nobody's surname.
        assert!(!fits(&folded("Петрович"), &full));
        assert!(!fits(&folded("Сидорова"), &ivan));
    }

    #[test]
    fn patronymics_that_differ() {
        let of = |w: &str| Patronymic::of(&folded(w)).unwrap();
        assert!(of("Андреев Павел Иванович").differs(&of("Андреев Павел Петрович")));
        assert!(of("Андреев П.П.").differs(&of("Андреев Павел Иванович")));
        assert!(!of("Андреев П.И.").differs(&of("Андреев Павел Иванович")));
        assert_eq!(Patronymic::of(&folded("Андреев П.")), None);
    }

    #[test]
    fn find_takes_only_one_candidate() {
        let known = [
            name_key("Иванова Мария"),
            name_key("Иванова Марина"),
            name_key("Петров Алексей"),
        ];
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        assert_eq!(find("Иванова М.", &known), Found::Several(vec![0, 1]));
        assert_eq!(find("мария иванова", &known), Found::One(0));
        assert_eq!(find("Петров Алексей Викторович", &known), Found::One(2));
        assert_eq!(find("Петров А.", &known), Found::One(2));
        assert_eq!(find("Сидоров Иван", &known), Found::None);
    }
}

//! The funnel: which stages are known, their order, which are final, and
//! what data a stage requires. Built once from the rule set; the audit asks
//! it to classify each distinct stage text once.

use crate::value::normalize_header;
use std::collections::HashMap;

/// Where a known stage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StageClass {
    /// Before the funnel (amoCRM's `Неразобранное`): in work, requires nothing.
    Inbox,
    /// Known, in work, outside the funnel (another CRM's stages): no place
    /// in the funnel's order, requires nothing.
    Other,
    /// A funnel stage, by its position (0 = first).
    Funnel(u16),
    /// Final, won.
    Won,
    /// Final, lost.
    Lost,
}

impl StageClass {
    /// "In work" means not in a final stage (clause 3).
    pub fn in_work(self) -> bool {
        !matches!(self, StageClass::Won | StageClass::Lost)
    }
}

/// A stage text as the rule set understands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageMatch {
    /// `None`: the stage is in no list of the rule set.
    pub class: Option<StageClass>,
    /// A lost stage written with the reason in parentheses:
    /// `Закрыто и не реализовано (Дорого)`.
    pub reason_in_stage: bool,
}

impl StageMatch {
    /// Unknown stages are not final, so they count as in work.
    pub fn in_work(self) -> bool {
        self.class.is_none_or(StageClass::in_work)
    }
}

/// A set of field indexes (into a `FieldCatalog`); at most 128. Two words
/// rather than one `u128`, whose 16-byte alignment would pad every record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FieldMask([u64; 2]);

impl FieldMask {
    pub const MAX_FIELDS: usize = 128;

    pub fn with(mut self, index: usize) -> Self {
        self.0[index / 64] |= 1 << (index % 64);
        self
    }

    pub fn without(mut self, index: usize) -> Self {
        self.0[index / 64] &= !(1 << (index % 64));
        self
    }

    pub fn contains(self, index: usize) -> bool {
        index < Self::MAX_FIELDS && self.0[index / 64] & (1 << (index % 64)) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == [0, 0]
    }

    /// The indexes in the set, ascending.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..Self::MAX_FIELDS).filter(move |&i| self.contains(i))
    }
}

impl std::ops::BitAnd for FieldMask {
    type Output = FieldMask;
    fn bitand(self, rhs: Self) -> Self {
        FieldMask([self.0[0] & rhs.0[0], self.0[1] & rhs.0[1]])
    }
}

impl std::ops::BitOr for FieldMask {
    type Output = FieldMask;
    fn bitor(self, rhs: Self) -> Self {
        FieldMask([self.0[0] | rhs.0[0], self.0[1] | rhs.0[1]])
    }
}

impl std::ops::Not for FieldMask {
    type Output = FieldMask;
    fn not(self) -> Self {
        FieldMask([!self.0[0], !self.0[1]])
    }
}

/// The validated funnel of a rule set.
#[derive(Debug, Clone, Default)]
pub struct Stages {
    by_key: HashMap<String, StageClass>,
    /// Funnel stage names as written in the rule set, in order.
    pub funnel: Vec<String>,
    /// Every stage name the rule set knows, as written, for suggestions.
    pub known: Vec<String>,
    /// Deal fields (catalog indexes) required at each funnel position (cumulative).
    required_at: Vec<FieldMask>,
}

impl Stages {
    /// `required` pairs a funnel position with the deal fields (catalog
    /// indexes) required from it on; validated by the compiler.
    pub fn new(
        inbox: &[String],
        other: &[String],
        funnel: Vec<String>,
        won: &[String],
        lost: &[String],
        required: &[(u16, Vec<usize>)],
    ) -> Self {
        let mut by_key = HashMap::new();
        for name in inbox {
            by_key.insert(normalize_header(name), StageClass::Inbox);
        }
        for name in other {
            by_key.insert(normalize_header(name), StageClass::Other);
        }
        for (i, name) in funnel.iter().enumerate() {
            by_key.insert(normalize_header(name), StageClass::Funnel(i as u16));
        }
        for name in won {
            by_key.insert(normalize_header(name), StageClass::Won);
        }
        for name in lost {
            by_key.insert(normalize_header(name), StageClass::Lost);
        }
        let required_at = (0..funnel.len())
            .map(|position| {
                required
                    .iter()
                    .filter(|(from, _)| usize::from(*from) <= position)
                    .flat_map(|(_, fields)| fields.iter().copied())
                    .fold(FieldMask::default(), FieldMask::with)
            })
            .collect();
        let known = inbox
            .iter()
            .chain(other)
            .chain(&funnel)
            .chain(won)
            .chain(lost)
            .cloned()
            .collect();
        Stages {
            by_key,
            funnel,
            known,
            required_at,
        }
    }

    /// The class of a stage name as written in the rule set, if it is known.
    pub fn lookup(&self, name: &str) -> Option<StageClass> {
        self.by_key.get(&normalize_header(name)).copied()
    }

    /// Classifies a stage text from an export: trimmed, case-insensitive;
    /// a lost stage may carry the refusal reason in parentheses.
    pub fn classify(&self, text: &str) -> StageMatch {
        self.classify_with(text, &super::blank::BlankWords::default())
    }

    /// As [`Stages::classify`], a reason in parentheses that is only one
    /// of `blank` (`(-)`) being no reason.
    pub fn classify_with(&self, text: &str, blank: &super::blank::BlankWords) -> StageMatch {
        if let Some(class) = self.lookup(text) {
            return StageMatch {
                class: Some(class),
                reason_in_stage: false,
            };
        }
        // A lost stage, then the reason in parentheses (which may hold
        // parentheses of its own): "Закрыто и не реализовано (Дорого)".
        let trimmed = text.trim();
        if let Some(inner) = trimmed.strip_suffix(')') {
            for (open, _) in inner.match_indices('(') {
                let (base, reason) = (&inner[..open], &inner[open + 1..]);
                if self.lookup(base) == Some(StageClass::Lost) {
                    return StageMatch {
                        class: Some(StageClass::Lost),
                        reason_in_stage: !blank.is_blank(reason),
                    };
                }
            }
        }
        StageMatch {
            class: None,
            reason_in_stage: false,
        }
    }

    /// The fields a deal at funnel `position` must carry.
    pub fn required_at(&self, position: u16) -> FieldMask {
        self.required_at
            .get(usize::from(position))
            .copied()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages() -> Stages {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Stages::new(
            &s(&["Неразобранное"]),
            &s(&["В работе"]),
            s(&["Новая заявка", "Квалификация", "Счет"]),
            &s(&["Успешно реализовано"]),
            &s(&["Закрыто и не реализовано"]),
            &[(1, vec![0]), (2, vec![1])],
        )
    }

    #[test]
    fn classifies_trimmed_and_case_insensitively() {
        let st = stages();
        assert_eq!(
            st.classify("  квалификация ").class,
            Some(StageClass::Funnel(1))
        );
        assert_eq!(st.classify("Неразобранное").class, Some(StageClass::Inbox));
        assert_eq!(
            st.classify("УСПЕШНО РЕАЛИЗОВАНО").class,
            Some(StageClass::Won)
        );
        assert_eq!(st.classify("Выставлен счёт").class, None);
        assert!(
            st.classify("Выставлен счёт").in_work(),
            "unknown stages are in work"
        );
        assert!(!st.classify("Успешно реализовано").in_work());
    }

    #[test]
    fn lost_stage_with_reason_in_parentheses() {
        let st = stages();
        let m = st.classify("Закрыто и не реализовано (Дорого)");
        assert_eq!(m.class, Some(StageClass::Lost));
        assert!(m.reason_in_stage);
        let nested = st.classify("Закрыто и не реализовано (Купили у конкурента (дешевле))");
        assert_eq!(
            (nested.class, nested.reason_in_stage),
            (Some(StageClass::Lost), true)
        );
        let empty = st.classify("Закрыто и не реализовано ( )");
        assert_eq!(
            (empty.class, empty.reason_in_stage),
            (Some(StageClass::Lost), false),
            "lost, with no reason given"
        );
        assert_eq!(
            st.classify("Счет (Дорого)").class,
            None,
            "only lost stages carry reasons"
        );
    }

    #[test]
    fn masks_hold_up_to_128_fields() {
        let m = FieldMask::default().with(0).with(63).with(64).with(127);
        assert_eq!(m.iter().collect::<Vec<_>>(), vec![0, 63, 64, 127]);
        assert!(!m.contains(1) && !m.contains(128));
        assert_eq!(m.without(64).iter().collect::<Vec<_>>(), vec![0, 63, 127]);
        let other = FieldMask::default().with(63).with(100);
        assert_eq!((m & other).iter().collect::<Vec<_>>(), vec![63]);
        assert_eq!((m | other).iter().count(), 5);
        assert_eq!((m & !other).iter().collect::<Vec<_>>(), vec![0, 64, 127]);
    }

    #[test]
    fn requirements_accumulate_along_the_funnel() {
        let st = stages();
        assert!(st.required_at(0).is_empty());
        assert_eq!(st.required_at(1).iter().collect::<Vec<_>>(), vec![0]);
        assert_eq!(st.required_at(2).iter().collect::<Vec<_>>(), vec![0, 1]);
        assert!(
            st.required_at(9).is_empty(),
            "out of range asks for nothing"
        );
    }
}

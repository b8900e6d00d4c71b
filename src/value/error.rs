//! Why a cell's text is not the value its field reads, kept as data: the
//! text as it is quoted (cut past 80 characters) and what was expected (a
//! date, an amount, a yes/no, a duration, a call direction, a mark, an
//! Excel day number in range), so each reader gets it in their language.
//! An error ending the run says it in English (`Display`); a report's
//! unreadable-value finding in the report's language (`describe`).
//!
//! Nothing here knows the file, the row or the column: the caller adds
//! them (`input::error`).

use crate::lang::Lang;
use std::fmt;

/// Longest stretch of a cell's text quoted in an error message, in characters.
const MAX_QUOTED_CHARS: usize = 80;

/// Why a cell's text is not a value of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// The text is not a value of this kind: `` `вчера` is not a date ``.
    NotA { written: Written, kind: Expected },
    /// A number read as a day of Excel's 1900 date system that is none.
    Serial { serial: String, fault: SerialFault },
    /// A spreadsheet's error cell (`#N/A`, `#REF!`).
    ErrorCell(String),
}

/// A cell's text as an error quotes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Nothing but spaces.
    Empty,
    /// The whole text.
    Whole(String),
    /// The first `MAX_QUOTED_CHARS` characters of a longer text.
    Cut(String),
}

/// What the cell should have held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A date or a date with a time, as text or an Excel day number.
    Date,
    /// A date written as a plain number: an Excel day number in range.
    DateSerial,
    YesNo,
    Duration,
    Amount,
    /// A call's direction: the words the rule set's list `[values.TABLE]`
    /// knows.
    Direction {
        known: Vec<String>,
        table: &'static str,
    },
    /// A call review's mark (`+`, `1`, `да`, `✓`, or nothing).
    Mark,
}

/// Why a number is no Excel day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerialFault {
    /// Below 1 or above 2958465 (9999-12-31), or no number at all.
    OutOfRange,
    /// 60: Excel's 1900-02-29, a day that never was.
    Fictitious,
    /// A day chrono cannot hold.
    Unsupported,
}

impl Written {
    /// `text` (already trimmed) as an error quotes it.
    pub fn of(text: &str) -> Written {
        if text.is_empty() {
            return Written::Empty;
        }
        match text.char_indices().nth(MAX_QUOTED_CHARS) {
            Some((cut, _)) => Written::Cut(text[..cut].to_string()),
            None => Written::Whole(text.to_string()),
        }
    }

    fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Written::Empty, Lang::En) => "empty text".to_string(),
            (Written::Empty, Lang::Ru) => "пустая ячейка".to_string(),
            (Written::Whole(text), Lang::En) => format!("`{text}`"),
            (Written::Whole(text), Lang::Ru) => format!("«{text}»"),
            (Written::Cut(text), Lang::En) => format!("`{text}…`"),
            (Written::Cut(text), Lang::Ru) => format!("«{text}…»"),
        }
    }
}

impl ValueError {
    /// `text` (already trimmed) is not a value of `kind`.
    pub fn not_a(text: &str, kind: Expected) -> ValueError {
        ValueError::NotA {
            written: Written::of(text),
            kind,
        }
    }

    /// The error in `lang`, as a report says it.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            ValueError::NotA { written, kind } => {
                let written = written.describe(lang);
                match lang {
                    Lang::En => {
                        format!("{written} is not {}; {}", kind.what_en(), kind.advice_en())
                    }
                    Lang::Ru => format!("{written} — не {}; {}", kind.what_ru(), kind.advice_ru()),
                }
            }
            ValueError::Serial { serial, fault } => match lang {
                Lang::En => format!(
                    "`{serial}` is not an Excel date serial number; {}",
                    fault.why(lang)
                ),
                Lang::Ru => format!("«{serial}» — не номер дня Excel; {}", fault.why(lang)),
            },
            ValueError::ErrorCell(error) => match lang {
                Lang::En => format!("the cell holds the error {error}"),
                Lang::Ru => format!("в ячейке ошибка {error}"),
            },
        }
    }

    /// The cell's own text the error quotes, if any: the only part of it
    /// that can hold a client's data.
    pub fn written_mut(&mut self) -> Option<&mut String> {
        match self {
            ValueError::NotA {
                written: Written::Whole(text) | Written::Cut(text),
                ..
            } => Some(text),
            _ => None,
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

impl std::error::Error for ValueError {}

impl Expected {
    fn what_en(&self) -> &'static str {
        match self {
            Expected::Date | Expected::DateSerial => "a date",
            Expected::YesNo => "a yes/no value",
            Expected::Duration => "a duration",
            Expected::Amount => "an amount",
            Expected::Direction { .. } => "a call direction",
            Expected::Mark => "a mark",
        }
    }

    fn what_ru(&self) -> &'static str {
        match self {
            Expected::Date | Expected::DateSerial => "дата",
            Expected::YesNo => "«да» или «нет»",
            Expected::Duration => "длительность",
            Expected::Amount => "сумма",
            Expected::Direction { .. } => "направление звонка",
            Expected::Mark => "отметка",
        }
    }

    fn advice_en(&self) -> String {
        match self {
            Expected::Date => {
                "expected e.g. 26.11.2026 14:30, 26.11.2026, 2026-11-26T14:30:00 or an Excel \
                 serial number"
                    .into()
            }
            Expected::DateSerial => {
                "expected an Excel serial number from 1 (1900-01-01) to 2958465 (9999-12-31), \
                 other than the fictitious 60 (1900-02-29)"
                    .into()
            }
            Expected::YesNo => "expected Да/Нет, true/false, 1/0, yes/no, y/n, +/-, ✓, Выполнена, \
                                Завершена or Не выполнена"
                .into(),
            Expected::Duration => {
                "expected seconds (75 or 75.4), m:ss (1:15) or h:mm:ss (01:02:03)".into()
            }
            Expected::Amount => "expected a number such as 150000, 150 000,50, 1,234,567.89, \
                                 150 000 ₽, 150 000 руб., 150000 RUB or $1,200"
                .into(),
            Expected::Direction { known, table } => format!(
                "expected {}, or the word added to the rule set's [values.{table}]",
                known.join(", ")
            ),
            Expected::Mark => "write +, 1, да or ✓, or leave the cell empty".into(),
        }
    }

    fn advice_ru(&self) -> String {
        match self {
            Expected::Date => "ожидается, например, 26.11.2026 14:30, 26.11.2026, \
                               2026-11-26T14:30:00 или номер дня Excel"
                .into(),
            Expected::DateSerial => "ожидается номер дня Excel от 1 (01.01.1900) до 2958465 \
                                     (31.12.9999), кроме несуществующего 60 (29.02.1900)"
                .into(),
            Expected::YesNo => "ожидается Да/Нет, true/false, 1/0, yes/no, y/n, +/-, ✓, \
                                Выполнена, Завершена или Не выполнена"
                .into(),
            Expected::Duration => "ожидается длительность в секундах (75 или 75,4), м:сс (1:15) \
                                   или ч:мм:сс (01:02:03)"
                .into(),
            Expected::Amount => "ожидается число, например 150000, 150 000,50, 1,234,567.89, \
                                 150 000 ₽, 150 000 руб., 150000 RUB или $1,200"
                .into(),
            Expected::Direction { known, table } => format!(
                "ожидается {} или слово, добавленное в список [values.{table}] набора правил",
                known.join(", ")
            ),
            Expected::Mark => "поставьте +, 1, да или ✓ либо оставьте ячейку пустой".into(),
        }
    }
}

impl SerialFault {
    fn why(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SerialFault::OutOfRange, Lang::En) => {
                "expected a number from 1 (1900-01-01) to 2958465 (9999-12-31)"
            }
            (SerialFault::OutOfRange, Lang::Ru) => {
                "ожидается число от 1 (01.01.1900) до 2958465 (31.12.9999)"
            }
            (SerialFault::Fictitious, Lang::En) => {
                "serial 60 is Excel's fictitious 1900-02-29, which does not exist"
            }
            (SerialFault::Fictitious, Lang::Ru) => {
                "номер 60 — это 29.02.1900, которого не было (Excel считает 1900 год високосным)"
            }
            (SerialFault::Unsupported, Lang::En) => "it is out of the supported date range",
            (SerialFault::Unsupported, Lang::Ru) => "дата вне поддерживаемого диапазона",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_in_russian_beside_its_english() {
        let date = ValueError::not_a("вчера", Expected::Date);
        assert_eq!(
            date.to_string(),
            "`вчера` is not a date; expected e.g. 26.11.2026 14:30, 26.11.2026, \
             2026-11-26T14:30:00 or an Excel serial number"
        );
        assert_eq!(
            date.describe(Lang::Ru),
            "«вчера» — не дата; ожидается, например, 26.11.2026 14:30, 26.11.2026, \
             2026-11-26T14:30:00 или номер дня Excel"
        );
        let empty = ValueError::not_a("", Expected::Amount);
        assert!(empty
            .to_string()
            .starts_with("empty text is not an amount; expected"));
        assert!(empty
            .describe(Lang::Ru)
            .starts_with("пустая ячейка — не сумма; ожидается"));
        let serial = ValueError::Serial {
            serial: "0".into(),
            fault: SerialFault::OutOfRange,
        };
        assert_eq!(
            serial.describe(Lang::Ru),
            "«0» — не номер дня Excel; ожидается число от 1 (01.01.1900) до 2958465 (31.12.9999)"
        );
        let cell = ValueError::ErrorCell("#N/A".into());
        assert_eq!(cell.to_string(), "the cell holds the error #N/A");
        assert_eq!(cell.describe(Lang::Ru), "в ячейке ошибка #N/A");
    }

    #[test]
    fn a_long_text_is_cut_in_both_languages() {
        let long = "я".repeat(100);
        let error = ValueError::not_a(&long, Expected::Duration);
        let cut = "я".repeat(80);
        assert!(error.to_string().starts_with(&format!("`{cut}…` is not")));
        assert!(error
            .describe(Lang::Ru)
            .starts_with(&format!("«{cut}…» — не")));
    }
}

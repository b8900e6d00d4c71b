//! Cell values: turning the text of one cell of an exported file into a typed
//! value (a moment, a yes/no flag, a call duration, a money amount, a task type,
//! a call direction) and normalising header cells and people's names for
//! comparison.
//!
//! This module owns only the meaning of a single cell's text. It does no I/O and
//! knows nothing about files, rows or columns: a [`ValueError`] says what was
//! wrong with the text and what was expected, and the caller adds the file, row
//! and column context. The parsers are called once per cell on files with
//! millions of rows, so the success path does not allocate (except the two
//! `normalize_*` functions, which return an owned key).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone};
use chrono_tz::Tz;

/// The last second of a day, used for the end of a whole-day [`Moment`].
const END_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 59) {
    Some(time) => time,
    None => panic!("23:59:59 is a valid time"),
};

/// Day 0 of Excel serials 1..=59 (serial 1 is 1900-01-01).
const EXCEL_EPOCH_BEFORE_MARCH_1900: NaiveDate = match NaiveDate::from_ymd_opt(1899, 12, 31) {
    Some(date) => date,
    None => panic!("1899-12-31 is a valid date"),
};

/// Day 0 of Excel serials from 61 on, which count the fictitious 1900-02-29.
const EXCEL_EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1899, 12, 30) {
    Some(date) => date,
    None => panic!("1899-12-30 is a valid date"),
};

/// A moment read from a cell: a date with a time of day, or a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Moment {
    /// A date with a time of day (company-local).
    At(NaiveDateTime),
    /// A whole day, written without a time of day.
    Day(NaiveDate),
}

impl Moment {
    /// The calendar date of the moment.
    pub fn date(self) -> NaiveDate {
        match self {
            Moment::At(at) => at.date(),
            Moment::Day(day) => day,
        }
    }

    /// The last instant the moment covers: a whole day ends at 23:59:59 (so a task due `26.11.2026` is overdue only from 27.11.2026 00:00:00).
    pub fn end(self) -> NaiveDateTime {
        match self {
            Moment::At(at) => at,
            Moment::Day(day) => day.and_time(END_OF_DAY),
        }
    }

    /// The first instant: a whole day starts at 00:00:00.
    pub fn start(self) -> NaiveDateTime {
        match self {
            Moment::At(at) => at,
            Moment::Day(day) => day.and_time(NaiveTime::MIN),
        }
    }

    /// The moment a due date passes: its minute, or for a whole day the
    /// midnight that ends it.
    pub fn deadline(self) -> NaiveDateTime {
        match self {
            Moment::At(at) => at,
            Moment::Day(day) => day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN),
        }
    }
}

mod error;

pub use error::{Expected, SerialFault, ValueError, Written};

/// `text.trim()`, cheaply when there is nothing to trim (most cells, and
/// every cell a CSV file gives: trimmed once when the line was read):
/// only the lead bytes of the first and the last character are looked
/// at. Every whitespace character is ASCII up to the space, or starts
/// with 0xC2 (U+0085, U+00A0) or 0xE1 to 0xE3 (U+1680, U+2000 to U+205F,
/// U+3000); a Cyrillic letter starts with 0xD0 or 0xD1.
pub fn trim(text: &str) -> &str {
    let may_be_space = |lead: u8| matches!(lead, 0..=b' ' | 0xC2 | 0xE1..=0xE3);
    let bytes = text.as_bytes();
    // The last character's lead byte: the last byte that is no 10xxxxxx.
    let last = bytes
        .iter()
        .rev()
        .take(4)
        .find(|&&b| !(0x80..0xC0).contains(&b));
    match (bytes.first(), last) {
        (Some(&first), Some(&last)) if may_be_space(first) || may_be_space(last) => text.trim(),
        _ => text,
    }
}

/// Strips surrounding whitespace (Unicode, so U+00A0 too) and byte-order marks.
fn trim_cell(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// The characters of trimmed `text` with each whitespace run collapsed into
/// one ASCII space.
fn collapsed(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut after_space = false;
    text.chars().filter_map(move |c| {
        if !c.is_whitespace() {
            after_space = false;
            Some(c)
        } else if after_space {
            None
        } else {
            after_space = true;
            Some(' ')
        }
    })
}

/// [`collapsed`], lowercased (Unicode).
fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    collapsed(text).flat_map(lowercase)
}

/// `char::to_lowercase`, told without its tables for ASCII and the
/// Cyrillic letters U+0400..U+045F (nearly every letter of a Russian
/// export's header; planning folds each header cell).
pub(crate) fn lowercase(c: char) -> Lowercase {
    let one = match c {
        'A'..='Z' | '\u{410}'..='\u{42f}' => char::from_u32(c as u32 + 0x20),
        '\u{400}'..='\u{40f}' => char::from_u32(c as u32 + 0x50),
        '\0'..='\u{7f}' | '\u{430}'..='\u{45f}' => Some(c),
        _ => return Lowercase::Table(c.to_lowercase()),
    };
    Lowercase::One(one)
}

/// The characters of a character's lowercase (`lowercase`).
pub(crate) enum Lowercase {
    One(Option<char>),
    Table(std::char::ToLowercase),
}

impl Iterator for Lowercase {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            Lowercase::One(c) => c.take(),
            Lowercase::Table(t) => t.next(),
        }
    }
}

/// Whether trimmed `text`, lowercased and with whitespace runs collapsed, is
/// `key` (which must be lowercase with single spaces). Does not allocate.
fn is_key(text: &str, key: &str) -> bool {
    folded(text).eq(key.chars())
}

/// Whether trimmed `text` matches any of `keys` (see [`is_key`]).
fn is_any_key(text: &str, keys: &[&str]) -> bool {
    keys.iter().any(|key| is_key(text, key))
}

/// A forward-only reader over the ASCII bytes of a cell.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Reads at least `min` and at most `max` ASCII digits as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let mut value: u32 = 0;
        let mut count = 0;
        while count < max {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
                    self.pos += 1;
                    count += 1;
                }
                _ => break,
            }
        }
        (count >= min).then_some(value)
    }

    /// Skips a run of ASCII digits and says how many there were.
    fn skip_digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Skips spaces, tabs and U+00A0 / U+202F (as UTF-8); says whether any were skipped.
    fn skip_spaces(&mut self) -> bool {
        let start = self.pos;
        loop {
            match self.bytes.get(self.pos..) {
                Some([b' ' | b'\t', ..]) => self.pos += 1,
                Some([0xC2, 0xA0, ..]) => self.pos += 2,
                Some([0xE2, 0x80, 0xAF, ..]) => self.pos += 3,
                _ => break,
            }
        }
        self.pos > start
    }

    /// Reads `H:MM` or `H:MM:SS` (hour of one or two digits), dropping any
    /// fractional seconds.
    fn time(&mut self) -> Option<NaiveTime> {
        let hour = self.digits(1, 2)?;
        if !self.eat(b':') {
            return None;
        }
        let minute = self.digits(2, 2)?;
        let mut second = 0;
        if self.eat(b':') {
            second = self.digits(2, 2)?;
            let has_fraction = self.eat(b'.') || self.eat(b',');
            if has_fraction && self.skip_digits() == 0 {
                return None;
            }
        }
        NaiveTime::from_hms_opt(hour, minute, second)
    }

    /// Reads an ISO 8601 offset (`Z`, `+03:00`, `+0300`, `+03`) as seconds east of UTC.
    fn offset(&mut self) -> Option<i32> {
        if self.eat(b'Z') || self.eat(b'z') {
            return Some(0);
        }
        let sign = if self.eat(b'+') {
            1
        } else if self.eat(b'-') {
            -1
        } else {
            return None;
        };
        let hours = self.digits(2, 2)?;
        let minutes = if self.at_end() {
            0
        } else {
            self.eat(b':');
            self.digits(2, 2)?
        };
        if hours >= 24 || minutes >= 60 {
            return None;
        }
        let secs = i32::try_from(hours * 3600 + minutes * 60).ok()?;
        Some(sign * secs)
    }
}

/// `26.11.2026`, `26/11/2026`, optionally followed by a time of day.
fn parse_day_first(text: &str) -> Option<Moment> {
    let mut cur = Cursor::new(text);
    let day = cur.digits(1, 2)?;
    let sep = cur.peek().filter(|&b| b == b'.' || b == b'/')?;
    cur.pos += 1;
    let month = cur.digits(1, 2)?;
    if !cur.eat(sep) {
        return None;
    }
    let year = cur.digits(4, 4)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    if cur.at_end() {
        return Some(Moment::Day(date));
    }
    if !cur.skip_spaces() {
        return None;
    }
    let time = cur.time()?;
    cur.at_end().then_some(Moment::At(date.and_time(time)))
}

/// The forms exports write millions of: `26.11.2026 14:30`, `26.11.2026
/// 14:30:05` and `26.11.2026`, read byte by byte; `None` for any other
/// text, which the general parser reads (to the same moment, where this
/// one reads it).
fn parse_exact(text: &str) -> Option<Moment> {
    let b = text.as_bytes();
    if !matches!(b.len(), 10 | 16 | 19) || b[2] != b'.' || b[5] != b'.' {
        return None;
    }
    let two = |at: usize| two_digits(b, at);
    let year = i32::try_from(two(6)? * 100 + two(8)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, two(3)?, two(0)?)?;
    if b.len() == 10 {
        return Some(Moment::Day(date));
    }
    if b[10] != b' ' || b[13] != b':' || (b.len() == 19 && b[16] != b':') {
        return None;
    }
    let second = if b.len() == 19 { two(17)? } else { 0 };
    let time = NaiveTime::from_hms_opt(two(11)?, two(14)?, second)?;
    Some(Moment::At(date.and_time(time)))
}

/// The two digits at `at` as a number: a byte below `0` wraps past 9.
#[inline(always)]
fn two_digits(b: &[u8], at: usize) -> Option<u32> {
    let (high, low) = (b[at].wrapping_sub(b'0'), b[at + 1].wrapping_sub(b'0'));
    (high < 10 && low < 10).then(|| u32::from(high) * 10 + u32::from(low))
}

/// `2026-11-26`, optionally followed by `T` or a space, a time of day and an offset.
fn parse_iso(text: &str, tz: Tz) -> Option<Moment> {
    let mut cur = Cursor::new(text);
    let year = cur.digits(4, 4)?;
    if !cur.eat(b'-') {
        return None;
    }
    let month = cur.digits(2, 2)?;
    if !cur.eat(b'-') {
        return None;
    }
    let day = cur.digits(2, 2)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    if cur.at_end() {
        return Some(Moment::Day(date));
    }
    if !(cur.eat(b'T') || cur.eat(b't') || cur.skip_spaces()) {
        return None;
    }
    let local = date.and_time(cur.time()?);
    cur.skip_spaces();
    if cur.at_end() {
        return Some(Moment::At(local));
    }
    let offset = cur.offset()?;
    if !cur.at_end() {
        return None;
    }
    let utc = local.checked_sub_signed(TimeDelta::seconds(i64::from(offset)))?;
    Some(Moment::At(tz.from_utc_datetime(&utc).naive_local()))
}

/// Copies the plain number `digits` (ASCII digits with at most one `.` or `,`)
/// into a stack buffer with a `.` decimal point and parses it.
fn parse_plain_number(text: &str) -> Option<f64> {
    let mut buf = [0u8; 64];
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > buf.len() {
        return None;
    }
    let mut seen_point = false;
    for (i, &b) in bytes.iter().enumerate() {
        buf[i] = match b {
            b'0'..=b'9' => b,
            b'.' | b',' if !seen_point && i > 0 && i + 1 < bytes.len() => {
                seen_point = true;
                b'.'
            }
            _ => return None,
        };
    }
    std::str::from_utf8(&buf[..bytes.len()]).ok()?.parse().ok()
}

/// Parses a date or date-time cell. Times without an offset are company-local
/// and returned as written; times with an offset (`Z`, `+03:00`, `+0300`) are
/// converted to `tz`. A plain number is read as an Excel serial date.
pub fn parse_moment(text: &str, tz: Tz) -> Result<Moment, ValueError> {
    if let Some(moment) = parse_exact(text) {
        return Ok(moment);
    }
    let text = trim_cell(text);
    if let Some(serial) = parse_plain_number(text) {
        return moment_from_excel_serial(serial)
            .map_err(|_| ValueError::not_a(text, Expected::DateSerial));
    }
    parse_day_first(text)
        .or_else(|| parse_iso(text, tz))
        .ok_or_else(|| ValueError::not_a(text, Expected::Date))
}

/// Converts a serial number of Excel's 1900 date system (1 = 1900-01-01) into a
/// moment: an integral serial is a [`Moment::Day`], a fractional one a
/// [`Moment::At`] rounded to the nearest second. Serial 60, Excel's fictitious
/// 1900-02-29, is rejected, as are serials below 1 or above 2958465 (9999-12-31).
pub fn moment_from_excel_serial(serial: f64) -> Result<Moment, ValueError> {
    let invalid = |fault| ValueError::Serial {
        serial: serial.to_string(),
        fault,
    };
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return Err(invalid(SerialFault::OutOfRange));
    }
    // Excel counts 1900 as a leap year: serials 1..=59 are 1900-01-01..=1900-02-28,
    // 60 is the non-existent 1900-02-29, and from 61 on the count is off by one.
    let epoch = if serial < 60.0 {
        EXCEL_EPOCH_BEFORE_MARCH_1900
    } else if serial >= 61.0 {
        EXCEL_EPOCH
    } else {
        return Err(invalid(SerialFault::Fictitious));
    };
    let out_of_range = || invalid(SerialFault::Unsupported);
    if serial.fract() == 0.0 {
        // In range 1..=2958465, so the cast is exact.
        let days = serial as i64;
        let date = epoch
            .checked_add_signed(TimeDelta::days(days))
            .ok_or_else(out_of_range)?;
        return Ok(Moment::Day(date));
    }
    // At most 2958465 * 86400 < 2^38: exact in f64 and in i64.
    let total_secs = (serial * 86_400.0).round() as i64;
    let at = epoch
        .and_time(NaiveTime::MIN)
        .checked_add_signed(TimeDelta::seconds(total_secs))
        .ok_or_else(out_of_range)?;
    Ok(Moment::At(at))
}

/// Parses a yes/no cell: `Да`, `true`, `1`, `yes`, `y`, `+`, `✓`, `Выполнена`,
/// `Завершена` are true; `Нет`, `false`, `0`, `no`, `n`, `-`, `Не выполнена` are
/// false. Letters are compared case-insensitively (Cyrillic included).
pub fn parse_bool(text: &str) -> Result<bool, ValueError> {
    const TRUE: &[&str] = &[
        "да",
        "true",
        "1",
        "yes",
        "y",
        "+",
        "✓",
        "выполнена",
        "завершена",
    ];
    const FALSE: &[&str] = &["нет", "false", "0", "no", "n", "-", "не выполнена"];
    let text = trim_cell(text);
    if is_any_key(text, TRUE) {
        Ok(true)
    } else if is_any_key(text, FALSE) {
        Ok(false)
    } else {
        Err(ValueError::not_a(text, Expected::YesNo))
    }
}

/// Parses a call duration into whole seconds: `75`, `75.4` or `75,4` (rounded
/// half up), `m:ss` (`1:15`), `h:mm:ss` (`01:02:03`). Negative or malformed
/// text, or more than `u32::MAX` seconds, is an error.
pub fn parse_duration_secs(text: &str) -> Result<u32, ValueError> {
    let text = trim_cell(text);
    duration_secs(text).ok_or_else(|| ValueError::not_a(text, Expected::Duration))
}

/// The body of [`parse_duration_secs`]; `None` when the text is malformed.
fn duration_secs(text: &str) -> Option<u32> {
    let mut cur = Cursor::new(text);
    // The leading part (seconds, minutes or hours) may have any number of digits.
    let leading = cur.skip_digits();
    if leading == 0 {
        return None;
    }
    let mut total = leading_number(&text.as_bytes()[..leading])?;
    let mut colons = 0;
    while cur.eat(b':') {
        colons += 1;
        if colons > 2 {
            return None;
        }
        let part = cur.digits(2, 2)?;
        if part >= 60 {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(u64::from(part))?;
    }
    // An optional decimal fraction of the seconds, rounded half up.
    if cur.eat(b'.') || cur.eat(b',') {
        let first = cur.digits(1, 1)?;
        cur.skip_digits();
        if first >= 5 {
            total = total.checked_add(1)?;
        }
    }
    if !cur.at_end() {
        return None;
    }
    u32::try_from(total).ok()
}

/// Reads ASCII digits as a `u64`, `None` on overflow.
fn leading_number(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |acc, &b| {
        acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// Currency words and symbols `parse_amount` strips, lowercase. The Cyrillic
/// and Latin letters have the same UTF-8 length in either case, so a match can
/// be looked for by byte length.
const CURRENCY_TOKENS: &[&str] = &["руб.", "руб", "rub", "₽", "$"];

/// Strips one currency token from the start of `text`, if there is one.
fn strip_currency_prefix(text: &str) -> Option<&str> {
    CURRENCY_TOKENS.iter().find_map(|token| {
        let n = token.len();
        (text.len() >= n && text.is_char_boundary(n) && is_key(&text[..n], token))
            .then(|| &text[n..])
    })
}

/// Strips one currency token from the end of `text`, if there is one.
fn strip_currency_suffix(text: &str) -> Option<&str> {
    CURRENCY_TOKENS.iter().find_map(|token| {
        let cut = text.len().checked_sub(token.len())?;
        (text.is_char_boundary(cut) && is_key(&text[cut..], token)).then(|| &text[..cut])
    })
}

/// Strips a leading minus sign (ASCII or U+2212).
fn strip_minus(text: &str) -> Option<&str> {
    text.strip_prefix('-')
        .or_else(|| text.strip_prefix('\u{2212}'))
}

/// Whether `c` separates thousands as a space (space, U+00A0, U+202F, U+2009).
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Parses a money amount: `150000`, `150 000` (space, U+00A0 or U+202F between
/// thousands), `150000.50`, `150 000,50`, `1,234,567.89`, `1.234.567,89`,
/// with an optional leading `-` and an optional currency (`₽`, `руб.`, `RUB`,
/// `$`) before or after.
///
/// Money has at most two decimals (kopecks, cents), so a single `.` or `,`
/// followed by exactly three digits and nothing else separates thousands,
/// whichever mark it is: `600.000` = `600,000` = `600 000`, as `$1,200`;
/// `1.5`, `1,50` and `150000.5` are decimals. Where three digits after the
/// mark cannot be a thousands group either (`0,125`, `1234.567`, `1 500,000`,
/// `1.234,567`), the text is refused rather than read one way or the other.
/// Four or more decimals (`83333.3333`, a computed cell) are only decimals.
pub fn parse_amount(text: &str) -> Result<f64, ValueError> {
    let text = trim_cell(text);
    amount(text).ok_or_else(|| ValueError::not_a(text, Expected::Amount))
}

/// The most whole digits an amount may have: every such number is exact
/// in a f64, so a report writes it as the export did.
const MAX_AMOUNT_DIGITS: usize = 15;

/// The body of [`parse_amount`]; `None` when the text is not an amount.
fn amount(text: &str) -> Option<f64> {
    // Most amounts are plain digits: no sign, currency or separators to
    // look for.
    if (1..=15).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<u64>().ok().map(|n| n as f64);
    }
    let mut rest = text;
    let mut negative = false;
    // The sign may come before or after a leading currency: `-$1,200`, `$-1,200`.
    for _ in 0..2 {
        if !negative {
            if let Some(r) = strip_minus(rest) {
                negative = true;
                rest = r.trim();
            }
        }
        if let Some(r) = strip_currency_prefix(rest) {
            rest = r.trim();
        }
    }
    if let Some(r) = strip_currency_suffix(rest) {
        rest = r.trim();
    }
    let value = number_with_separators(rest)?;
    Some(if negative && value != 0.0 {
        -value
    } else {
        value
    })
}

/// Parses digits with thousands separators and an optional decimal mark.
fn number_with_separators(body: &str) -> Option<f64> {
    let (mut commas, mut points, mut spaces) = (0usize, 0usize, 0usize);
    let (mut last_comma, mut last_point) = (0usize, 0usize);
    for (i, c) in body.char_indices() {
        match c {
            '0'..='9' => {}
            ',' => {
                commas += 1;
                last_comma = i;
            }
            '.' => {
                points += 1;
                last_point = i;
            }
            c if is_group_space(c) => spaces += 1,
            _ => return None,
        }
    }
    // Which byte, if any, is the decimal mark, and which is the thousands mark.
    let (decimal, thousands) = match (commas, points) {
        (0, 0) => (None, None),
        (1, 0) if single_mark_is_thousands(body, last_comma, spaces) => (None, Some(',')),
        (1, 0) => (Some(last_comma), None),
        (_, 0) => (None, Some(',')),
        (0, 1) if single_mark_is_thousands(body, last_point, spaces) => (None, Some('.')),
        (0, 1) => (Some(last_point), None),
        (0, _) => (None, Some('.')),
        _ if last_point > last_comma && points == 1 => (Some(last_point), Some(',')),
        _ if last_comma > last_point && commas == 1 => (Some(last_comma), Some('.')),
        _ => return None,
    };
    let (int_part, frac_part) = match decimal {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    // Three decimals are no money: a thousands group that cannot be one.
    if frac_part.is_some_and(|frac| frac.len() == 3) {
        return None;
    }

    let mut buf = [0u8; 64];
    let mut len = 0;
    let mut push = |b: u8| -> Option<()> {
        *buf.get_mut(len)? = b;
        len += 1;
        Some(())
    };
    // Integer part: groups split by separators; when there are several, the
    // first has one to three digits and every later one exactly three.
    let mut groups = int_part.split(|c: char| is_group_space(c) || Some(c) == thousands);
    let first = groups.next()?;
    let mut grouped = false;
    for (i, group) in std::iter::once(first).chain(groups).enumerate() {
        if group.is_empty() || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if i > 0 {
            grouped = true;
            if group.len() != 3 {
                return None;
            }
        }
        group.bytes().try_for_each(&mut push)?;
    }
    if grouped && first.len() > 3 {
        return None;
    }
    // More than 15 whole digits (a quadrillion rubles) is no amount a deal
    // holds, and past what a f64 keeps exactly: it could not be shown as
    // written.
    let significant = int_part
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count();
    if significant > MAX_AMOUNT_DIGITS {
        return None;
    }
    if let Some(frac) = frac_part {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        push(b'.')?;
        frac.bytes().try_for_each(&mut push)?;
    }
    std::str::from_utf8(&buf[..len]).ok()?.parse().ok()
}

/// Whether the only mark in `body` (a `,` or a `.` at byte `at`, no other
/// mark present) is a thousands separator: exactly three digits follow it,
/// one to three digits not starting with `0` precede it, and no space
/// grouping is used.
fn single_mark_is_thousands(body: &str, at: usize, spaces: usize) -> bool {
    let (before, after) = (&body[..at], &body[at + 1..]);
    spaces == 0 && after.len() == 3 && (1..=3).contains(&before.len()) && !before.starts_with('0')
}

/// Whether the text contains an ASCII digit.
pub fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

/// The kind of a CRM task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskType {
    /// A phone call (`Звонок`, `Позвонить`, `Связаться`, `call`).
    Call,
    /// An e-mail (`Письмо`, `Написать письмо`, `Написать`, `email`).
    Email,
    /// A meeting (`Встреча`, `meeting`).
    Meeting,
    /// Any other or unrecognised task type.
    Other,
}

/// The direction of a call in a telephony log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// A call made by the company.
    Outgoing,
    /// A call received by the company.
    Incoming,
    /// A call between the company's own extensions.
    Internal,
}

/// The key a header cell is matched by: BOM and surrounding whitespace
/// stripped, inner whitespace runs (U+00A0 included) collapsed into one space,
/// lowercased (Unicode; `ё` is kept distinct from `е`).
pub fn normalize_header(text: &str) -> String {
    folded(trim_cell(text)).collect()
}

/// A person's name for comparison across files: invisible format
/// characters removed (see [`is_format_char`]), surrounding whitespace
/// stripped, inner whitespace runs collapsed into one space, case kept.
pub fn normalize_name(text: &str) -> String {
    if !has_format_chars(text) {
        return collapsed(trim_cell(text)).collect();
    }
    let visible: String = text.chars().filter(|&c| !is_format_char(c)).collect();
    collapsed(trim_cell(&visible)).collect()
}

/// Whether `text` holds a format character.
pub fn has_format_chars(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(is_format_char)
}

/// Whether `c` is a format character (Unicode general category Cf, as of
/// Unicode 15.1): invisible marks such as the zero-width space, the byte
/// order mark, the soft hyphen and the bidirectional overrides. In a name
/// they only make one person look like two, or turn a report's text around.
pub fn is_format_char(c: char) -> bool {
    // Latin and Cyrillic, nearly every character of a Russian export, hold
    // none but the soft hyphen: told so in two comparisons.
    if c < '\u{00AD}' || ('\u{00AE}'..'\u{0600}').contains(&c) {
        return false;
    }
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_is_the_standard_librarys_for_every_character() {
        for c in (0u32..=0x10ffff).filter_map(char::from_u32) {
            assert!(lowercase(c).eq(c.to_lowercase()), "{c:?}");
        }
    }

    const MSK: Tz = chrono_tz::Europe::Moscow;
    const YEKT: Tz = chrono_tz::Asia::Yekaterinburg;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_exact_form_reads_as_the_general_parser_reads_it() {
        let general = |text: &str| parse_day_first(trim_cell(text));
        for text in [
            "26.11.2026 14:30",
            "26.11.2026 14:30:05",
            "01.01.2027 00:00",
            "31.12.2026 23:59:59",
            "29.02.2028 12:00",
            "26.11.2026",
            "29.02.2028",
        ] {
            assert!(parse_exact(text).is_some(), "{text}");
            assert_eq!(parse_exact(text), general(text), "{text}");
            assert_eq!(
                parse_moment(text, MSK),
                Ok(general(text).unwrap()),
                "{text}"
            );
        }
        // Not the exact form, or no moment: left to the general parser.
        for text in [
            "29.02.2026 12:00",
            "26.11.2026 24:00",
            "26.11.2026 14:60",
            "26.13.2026 14:30",
            "26/11/2026 14:30",
            "26.11.2026T14:30",
            "26.11.2026 14:30:5x",
            "26.11.2026 14.30",
            "2026-11-26 14:30",
            "26.11.2026  14:3",
            "+6.11.2026 14:30",
            "26.11.2026 14:30 ",
            "2:.11.2026 14:30",
            "26./1.2026 14:30",
            "26.11.2026 1:/30",
            "26.11.20:6",
            "29.02.2026",
            "26.11.2026 14:30:",
            "26.11.2026 14:30:0",
            " 26.11.2026",
        ] {
            assert_eq!(parse_exact(text), None, "{text}");
        }
        assert_eq!(
            parse_moment("26.11.2026 14:30 ", MSK),
            Ok(general("26.11.2026 14:30").unwrap())
        );
        assert!(parse_moment("29.02.2026 12:00", MSK).is_err());
    }

    #[test]
    fn trim_is_the_standard_trim() {
        for text in [
            "",
            " ",
            "x",
            "Иванова Мария",
            " Иванова ",
            "\u{a0}Иванова\u{a0}",
            "\u{3000}x",
            "x\u{2029}",
            "\tя\r\n",
            "ё\u{0b}",
            "я\u{85}",
            "\u{1680}я",
            "я\u{202f}",
            "\u{205f}",
            "\u{feff}x",
            "x\u{a0}",
            "é",
            "€ ",
            "😀",
            " 😀",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn every_whitespace_character_starts_with_a_byte_trim_looks_for() {
        // What makes `trim` the standard trim for every text: a text whose
        // first and last characters start otherwise ends in no whitespace.
        let mut buffer = [0u8; 4];
        let spaces: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert!(spaces.len() > 20);
        for c in spaces {
            let text = c.encode_utf8(&mut buffer);
            assert_eq!(trim(&format!("x{text}")), "x", "{c:?}");
            assert_eq!(trim(&format!("{text}x")), "x", "{c:?}");
        }
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Moment {
        Moment::At(date(y, mo, d).and_hms_opt(h, mi, s).unwrap())
    }

    fn day(y: i32, m: u32, d: u32) -> Moment {
        Moment::Day(date(y, m, d))
    }

    #[test]
    fn moment_date_start_end() {
        let whole = day(2026, 11, 26);
        assert_eq!(whole.date(), date(2026, 11, 26));
        assert_eq!(
            whole.start(),
            date(2026, 11, 26).and_hms_opt(0, 0, 0).unwrap()
        );
        assert_eq!(
            whole.end(),
            date(2026, 11, 26).and_hms_opt(23, 59, 59).unwrap()
        );
        let timed = at(2026, 11, 26, 14, 30, 5);
        let instant = date(2026, 11, 26).and_hms_opt(14, 30, 5).unwrap();
        assert_eq!(timed.date(), date(2026, 11, 26));
        assert_eq!(timed.start(), instant);
        assert_eq!(timed.end(), instant);
    }

    #[test]
    fn parse_moment_accepts_every_form() {
        let cases: &[(&str, Moment)] = &[
            ("26.11.2026 14:30:00", at(2026, 11, 26, 14, 30, 0)),
            ("26.11.2026 14:30", at(2026, 11, 26, 14, 30, 0)),
            ("26.11.2026 9:05", at(2026, 11, 26, 9, 5, 0)),
            ("26.11.2026", day(2026, 11, 26)),
            ("2026-11-26T14:30:00", at(2026, 11, 26, 14, 30, 0)),
            ("2026-11-26 14:30:00", at(2026, 11, 26, 14, 30, 0)),
            ("2026-11-26T14:30", at(2026, 11, 26, 14, 30, 0)),
            ("2026-11-26", day(2026, 11, 26)),
            ("2026-11-26T14:30:59.987", at(2026, 11, 26, 14, 30, 59)),
            ("2026-11-26T14:30:00.123", at(2026, 11, 26, 14, 30, 0)),
            // Offsets are converted to the company time zone (Moscow, UTC+3).
            ("2026-11-26T14:30:00+03:00", at(2026, 11, 26, 14, 30, 0)),
            ("2026-11-26T14:30:00+0300", at(2026, 11, 26, 14, 30, 0)),
            ("2026-11-26T14:30:00Z", at(2026, 11, 26, 17, 30, 0)),
            ("2026-11-26T23:30:00Z", at(2026, 11, 27, 2, 30, 0)),
            ("2026-11-26T14:30:00-05:00", at(2026, 11, 26, 22, 30, 0)),
            // Excel serials written as text.
            ("46352", day(2026, 11, 26)),
            ("46352.5", at(2026, 11, 26, 12, 0, 0)),
            ("46352,5", at(2026, 11, 26, 12, 0, 0)),
            // Slashes, day first.
            ("26/11/2026", day(2026, 11, 26)),
            ("26/11/2026 14:30", at(2026, 11, 26, 14, 30, 0)),
            // Surrounding whitespace, BOM, no-break space between date and time.
            ("\u{feff} 26.11.2026\u{a0}", day(2026, 11, 26)),
            ("26.11.2026\u{a0}14:30", at(2026, 11, 26, 14, 30, 0)),
            // Boundaries.
            ("29.02.2028", day(2028, 2, 29)),
            ("31.12.2026 23:59:59", at(2026, 12, 31, 23, 59, 59)),
            ("01.01.2026 0:00", at(2026, 1, 1, 0, 0, 0)),
        ];
        for &(text, expected) in cases {
            assert_eq!(parse_moment(text, MSK), Ok(expected), "{text:?}");
        }
        // The same offset-bearing instant seen from Yekaterinburg (UTC+5).
        assert_eq!(
            parse_moment("2026-11-26T14:30:00+03:00", YEKT),
            Ok(at(2026, 11, 26, 16, 30, 0))
        );
        // Times without an offset are company-local whatever the zone.
        assert_eq!(
            parse_moment("26.11.2026 14:30", YEKT),
            Ok(at(2026, 11, 26, 14, 30, 0))
        );
    }

    #[test]
    fn parse_moment_rejects_invalid_text_and_quotes_it() {
        let err = parse_moment("32.13.2026", MSK).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`32.13.2026` is not a date; expected e.g. 26.11.2026 14:30, 26.11.2026, \
             2026-11-26T14:30:00 or an Excel serial number"
        );
        for text in [
            "29.02.2026",
            "2026-02-29",
            "31.04.2026",
            "26.11.2026 24:00",
            "26.11.2026 23:60",
            "26.11.2026 23:59:60",
            "26.11.2026 14:3",
            "26.11.2026 14",
            "26.11.26",
            "26-11-2026",
            "26.11/2026",
            "26.11.2026T14:30",
            "2026-11-26T14:30:00+25:00",
            "2026-11-26T14:30:00 MSK",
            "26.11.2026 14:30 завтра",
            "завтра",
        ] {
            let err = parse_moment(text, MSK).unwrap_err();
            assert!(
                err.to_string().contains(&format!("`{text}`")),
                "{text:?}: {err}"
            );
            assert!(err.to_string().contains("is not a date"), "{text:?}: {err}");
        }
        // Plain numbers outside the serial range, and Excel's fictitious 1900-02-29.
        for text in ["0", "60", "2958466", "99999999"] {
            let err = parse_moment(text, MSK).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with(&format!("`{text}` is not a date")),
                "{err}"
            );
            assert!(err.to_string().contains("Excel serial"), "{err}");
        }
        // Blank input is an error, not a panic; long text is quoted truncated.
        assert!(parse_moment("", MSK)
            .unwrap_err()
            .to_string()
            .starts_with("empty text"));
        assert!(parse_moment(" \u{a0}\u{feff}", MSK).is_err());
        let long = "x".repeat(200);
        let err = parse_moment(&long, MSK).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("`{}…`", "x".repeat(80))),
            "{err}"
        );
    }

    #[test]
    fn excel_serials_follow_the_1900_date_system() {
        let ok: &[(f64, Moment)] = &[
            (1.0, day(1900, 1, 1)),
            (59.0, day(1900, 2, 28)),
            (59.5, at(1900, 2, 28, 12, 0, 0)),
            (61.0, day(1900, 3, 1)),
            (61.75, at(1900, 3, 1, 18, 0, 0)),
            (45292.0, day(2024, 1, 1)),
            (46352.0, day(2026, 11, 26)),
            (46352.5, at(2026, 11, 26, 12, 0, 0)),
            (46352.25, at(2026, 11, 26, 6, 0, 0)),
            // Rounded to the nearest second, carrying into the next day.
            (46352.000011574, at(2026, 11, 26, 0, 0, 1)),
            (46352.999999, at(2026, 11, 27, 0, 0, 0)),
            (2958465.0, day(9999, 12, 31)),
        ];
        for &(serial, expected) in ok {
            assert_eq!(moment_from_excel_serial(serial), Ok(expected), "{serial}");
        }
        for serial in [
            0.0,
            0.5,
            -1.0,
            60.0,
            60.5,
            2958465.5,
            2958466.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let err = moment_from_excel_serial(serial).unwrap_err();
            assert!(
                err.to_string().contains(&format!("`{serial}`")),
                "{serial}: {err}"
            );
        }
        assert!(moment_from_excel_serial(60.0)
            .unwrap_err()
            .to_string()
            .contains("1900-02-29"));
    }

    #[test]
    fn parse_bool_accepts_listed_words_in_any_case() {
        for text in [
            "Да",
            "да",
            "ДА",
            "true",
            "TRUE",
            "True",
            "1",
            "yes",
            "YES",
            "y",
            "Y",
            "+",
            "✓",
            "Выполнена",
            "ВЫПОЛНЕНА",
            "Завершена",
            " \u{feff}да\u{a0}",
        ] {
            assert_eq!(parse_bool(text), Ok(true), "{text:?}");
        }
        for text in [
            "Нет",
            "нет",
            "НЕТ",
            "false",
            "FALSE",
            "0",
            "no",
            "n",
            "N",
            "-",
            "Не выполнена",
            "НЕ ВЫПОЛНЕНА",
            "Не\u{a0} выполнена",
        ] {
            assert_eq!(parse_bool(text), Ok(false), "{text:?}");
        }
        for text in ["maybe", "2", "да!", "Выполнено", "Невыполнена", "", "  "]
        {
            assert!(parse_bool(text).is_err(), "{text:?}");
        }
        let err = parse_bool("maybe").unwrap_err();
        assert!(
            err.to_string().starts_with("`maybe` is not a yes/no value"),
            "{err}"
        );
        assert!(err.to_string().contains("Да/Нет"), "{err}");
    }

    #[test]
    fn parse_duration_secs_reads_seconds_and_clock_forms() {
        let cases: &[(&str, u32)] = &[
            ("75", 75),
            (" 75 ", 75),
            ("0", 0),
            ("1:15", 75),
            ("10:00", 600),
            ("90:00", 5400),
            ("01:02:03", 3723),
            ("1:02:03", 3723),
            ("0:00", 0),
            ("75.4", 75),
            ("75,4", 75),
            ("75.5", 76),
            ("74.96", 75),
            ("1:15.5", 76),
            ("4294967295", u32::MAX),
        ];
        for &(text, expected) in cases {
            assert_eq!(parse_duration_secs(text), Ok(expected), "{text:?}");
        }
        for text in [
            "-5",
            "-1:15",
            "1:60",
            "1:2",
            "1:02:60",
            "1:60:00",
            "1:02:03:04",
            "75.",
            ".5",
            "1:",
            "75 сек",
            "abc",
            "4294967296",
            "99999999999999999999999",
            "",
            "\u{a0}",
        ] {
            assert!(parse_duration_secs(text).is_err(), "{text:?}");
        }
        let err = parse_duration_secs("1:60").unwrap_err();
        assert!(
            err.to_string().starts_with("`1:60` is not a duration"),
            "{err}"
        );
        assert!(err.to_string().contains("h:mm:ss"), "{err}");
    }

    #[test]
    fn parse_amount_reads_money_formats() {
        let cases: &[(&str, f64)] = &[
            ("150000", 150000.0),
            ("150 000", 150000.0),
            ("150\u{a0}000", 150000.0),
            ("150\u{202f}000", 150000.0),
            ("150000.50", 150000.5),
            ("150 000,50", 150000.5),
            ("1 234 567,89", 1234567.89),
            ("1,234,567.89", 1234567.89),
            ("1.234.567,89", 1234567.89),
            ("12,345,678", 12345678.0),
            ("150 000 ₽", 150000.0),
            ("₽150", 150.0),
            ("150 000 руб.", 150000.0),
            ("150 000 РУБ.", 150000.0),
            ("150 000 руб", 150000.0),
            ("150000 RUB", 150000.0),
            ("150000rub", 150000.0),
            ("$1,200", 1200.0),
            ("1,200", 1200.0),
            ("1,5", 1.5),
            ("1,20", 1.2),
            ("1.5", 1.5),
            ("49999.99", 49999.99),
            ("50 000.5", 50000.5),
            ("83333.3333", 83333.3333),
            // Money has at most two decimals: a single mark before exactly
            // three digits separates thousands, a point as a comma does.
            ("600.000", 600000.0),
            ("600,000", 600000.0),
            ("75.000", 75000.0),
            ("1.000.000", 1000000.0),
            ("100.000,00", 100000.0),
            ("60.000,00", 60000.0),
            ("$1.200", 1200.0),
            ("-1.500", -1500.0),
            ("999 999 999 999 999", 999_999_999_999_999.0),
            ("0000000000000000042", 42.0),
            ("-1 500,25", -1500.25),
            ("-$1,200", -1200.0),
            ("$-1,200", -1200.0),
            ("\u{2212}150", -150.0),
            ("- 150 000 ₽", -150000.0),
            ("\u{feff} 42 ", 42.0),
        ];
        for &(text, expected) in cases {
            assert_eq!(parse_amount(text), Ok(expected), "{text:?}");
        }
        let zero = parse_amount("-0").unwrap();
        assert!(zero == 0.0 && zero.is_sign_positive());
        for text in [
            "abc",
            "150 000 USD",
            "150 000 р.",
            "12 34",
            "1 2345",
            "1234 567",
            "1,2,3",
            "1.234,5.6",
            "1,234,567.89.1",
            // Three digits after a mark that cannot separate thousands: three
            // decimals are no money, so these are refused, not guessed.
            "0,125",
            "0.125",
            "1234,567",
            "1234.567",
            "150 000,000",
            "150 000.000",
            "1.234,567",
            "1,234.567",
            // More than 15 whole digits: no deal's amount, and not kept
            // exactly by a f64.
            "99999999999999999999999999999",
            "1 000 000 000 000 000",
            "150,",
            ",50",
            "--5",
            "+5",
            "5-",
            "-",
            "$",
            "₽ ₽",
            "",
            "   ",
        ] {
            assert!(parse_amount(text).is_err(), "{text:?}");
        }
        let err = parse_amount("150 000 USD").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("`150 000 USD` is not an amount"),
            "{err}"
        );
        assert!(err.to_string().contains("1,234,567.89"), "{err}");
    }

    #[test]
    fn has_digit_finds_ascii_digits_only() {
        assert!(has_digit("abc1"));
        assert!(has_digit("+7 (999) 123-45-67"));
        assert!(!has_digit("без номера"));
        assert!(!has_digit(""));
        assert!(!has_digit("\u{663}")); // ARABIC-INDIC DIGIT THREE
    }

    #[test]
    fn value_classes_serialise_in_kebab_case() {
        assert_eq!(
            serde_json::to_string(&[TaskType::Call, TaskType::Other]).unwrap(),
            r#"["call","other"]"#
        );
        assert_eq!(
            serde_json::to_string(&Direction::Outgoing).unwrap(),
            r#""outgoing""#
        );
    }

    #[test]
    fn normalize_header_trims_collapses_and_lowercases() {
        assert_eq!(normalize_header("\u{feff} Бюджет "), "бюджет");
        assert_eq!(normalize_header("Бюджет "), normalize_header("бюджет"));
        assert_eq!(
            normalize_header("Бюджет\u{a0}\u{a0} СДЕЛКИ"),
            "бюджет сделки"
        );
        assert_eq!(
            normalize_header("Ответственный\tменеджер"),
            "ответственный менеджер"
        );
        assert_eq!(normalize_header("Deal BUDGET"), "deal budget");
        assert_eq!(normalize_header("Ёмкость"), "ёмкость");
        assert_ne!(normalize_header("Ёмкость"), normalize_header("Емкость"));
        assert_eq!(normalize_header(" \u{a0}"), "");
    }

    #[test]
    fn normalize_name_removes_format_characters() {
        assert_eq!(normalize_name("Пет\u{200B}ров Алексей"), "Петров Алексей");
        assert_eq!(
            normalize_name("\u{202E}Иванова Мария\u{202C}"),
            "Иванова Мария"
        );
        assert_eq!(
            normalize_name("Иванова\u{2060} \u{200D}Мария"),
            "Иванова Мария"
        );
        assert_eq!(normalize_name("\u{00AD}\u{FEFF}"), "");
        // Letters, spaces and joiners that are not Cf are kept.
        assert_eq!(normalize_name("Ёлкин Пётр"), "Ёлкин Пётр");
        assert!(!has_format_chars("Иванова Мария") && has_format_chars("a\u{200E}b"));
    }

    #[test]
    fn normalize_name_trims_and_collapses_keeping_case() {
        assert_eq!(
            normalize_name("\u{feff}  Иванов\u{a0} Иван  "),
            "Иванов Иван"
        );
        assert_eq!(normalize_name("ИВАНОВ\t\tиван"), "ИВАНОВ иван");
        assert_eq!(normalize_name("Пётр"), "Пётр");
        assert_eq!(normalize_name(""), "");
    }
}

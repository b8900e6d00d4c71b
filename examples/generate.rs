//! Generates the CRM exports of a made-up radiator dealer for the
//! performance benchmark (`bench/run.sh`):
//!
//! ```text
//! cargo run --release --example generate -- --deals N --tasks N --calls N \
//!     --seed S --out DIR [--xlsx] [--calls-layout generic|sipuni] \
//!     [--density sparse|dense]
//! ```
//!
//! It writes, into `DIR`:
//! - `deals.csv`: the amoCRM deal export, newer layout (UTF-8, `,`), with the
//!   twelve qualification fields of `rules/regulation.toml`;
//! - `tasks.csv`: a task list (`;`, UTF-8 with a BOM);
//! - `calls.csv`: a call log, the generic layout the tool reads
//!   (`Дата,Ответственный,Направление,...`), or with `--calls-layout sipuni`
//!   Sipuni's call-log CSV (`;`, `Тип;Статус;Время;...`);
//! - with `--xlsx`, `DIR/xlsx/deals.xlsx`: the same deal table as a workbook
//!   (a folder of its own, so that auditing `DIR` reads the deals once).
//!
//! The company is audited as of 27.11.2026 02:00: the call log covers the
//! working days up to 26.11.2026, the day the quota rule judges. Between 20
//! and 300 managers (more for more deals); most deals are closed (won or
//! lost); a few percent of the records break each rule of the regulation:
//! overdue tasks, deals in work without an open task, without a phone or a
//! contact name, missing qualification data, lost deals without a reason,
//! and managers below the call quota. Values come in the shapes real exports
//! have: phones as `+7 (927) 555-66-77`, `8 927 555 66 77`, `79275556677`,
//! `'89275556677` or two numbers in a cell; notes with commas, quotes and
//! line breaks; due dates with or without a time of day; lost stages with the
//! reason in parentheses.
//!
//! With `--density dense` the company is a neglected CRM instead: most deals
//! are in work, and most of those break at least one rule (no open task, no
//! contact name or phone, missing qualification data, an overdue task), so
//! the audit finds violations for well over half the deals: the report, not
//! the reading, is what such a company costs.
//!
//! The output depends only on the arguments: a small seeded generator
//! (SplitMix64) drives every choice, and the workbook's creation time is
//! fixed, so the same seed always gives the same bytes.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use std::collections::HashSet;
use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const USAGE: &str = "usage: generate --deals N --tasks N --calls N --seed S --out DIR \
                     [--xlsx] [--calls-layout generic|sipuni] [--density sparse|dense]";

type Res<T> = Result<T, Box<dyn Error>>;

// ---------------------------------------------------------------- arguments

#[derive(Clone, Copy, PartialEq, Eq)]
enum CallsLayout {
    Generic,
    Sipuni,
}

/// How often a record breaks a rule. The same draws are made at either
/// density (only their odds differ), so `sparse` writes what the generator
/// always wrote.
#[derive(Clone, Copy)]
struct Odds {
    /// Weights of won, lost and in-work deals.
    classes: [u32; 3],
    /// A deal in work with no open task.
    no_open_task: f64,
    /// A deal in work with no contact.
    no_contact: f64,
    /// A deal in work with no digit in its phones.
    no_phone: f64,
    /// A deal in work past qualification missing some of its data.
    missing_fields: f64,
    /// Weights of an open task's due moment: in the coming two weeks,
    /// overdue, then the four edges of the audit moment.
    due: [u32; 6],
}

const SPARSE: Odds = Odds {
    classes: [52, 30, 18],
    no_open_task: 0.06,
    no_contact: 0.03,
    no_phone: 0.04,
    missing_fields: 0.07,
    due: [860, 80, 15, 15, 15, 15],
};

const DENSE: Odds = Odds {
    classes: [25, 15, 60],
    no_open_task: 0.25,
    no_contact: 0.2,
    no_phone: 0.2,
    missing_fields: 0.5,
    due: [640, 300, 15, 15, 15, 15],
};

struct Args {
    odds: Odds,
    deals: usize,
    tasks: usize,
    calls: usize,
    seed: u64,
    out: PathBuf,
    xlsx: bool,
    calls_layout: CallsLayout,
}

fn parse_args() -> Res<Args> {
    let mut args = Args {
        odds: SPARSE,
        deals: 0,
        tasks: 0,
        calls: 0,
        seed: 1,
        out: PathBuf::new(),
        xlsx: false,
        calls_layout: CallsLayout::Generic,
    };
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--deals" => args.deals = value()?.parse()?,
            "--tasks" => args.tasks = value()?.parse()?,
            "--calls" => args.calls = value()?.parse()?,
            "--seed" => args.seed = value()?.parse()?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--xlsx" => args.xlsx = true,
            "--calls-layout" => {
                args.calls_layout = match value()?.as_str() {
                    "generic" => CallsLayout::Generic,
                    "sipuni" => CallsLayout::Sipuni,
                    other => return Err(format!("unknown calls layout {other:?}\n{USAGE}").into()),
                }
            }
            "--density" => {
                args.odds = match value()?.as_str() {
                    "sparse" => SPARSE,
                    "dense" => DENSE,
                    other => return Err(format!("unknown density {other:?}\n{USAGE}").into()),
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}").into()),
        }
    }
    args.out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    Ok(args)
}

// ---------------------------------------------------------------- randomness

/// SplitMix64: tiny, fast, and the same sequence for a seed everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------- calendar

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn at(day: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(h, m, s).expect("a valid time"))
}

/// The audit moment the company is generated for.
fn as_of() -> NaiveDateTime {
    at(date(2026, 11, 27), 2, 0, 0)
}

/// The day the quota rule judges at the audit moment.
fn judged_day() -> NaiveDate {
    date(2026, 11, 26)
}

/// Russia's non-working weekdays of 2026, as in `rules/regulation.toml`.
const HOLIDAYS_2026: [(u32, u32); 14] = [
    (1, 1),
    (1, 2),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (1, 9),
    (2, 23),
    (3, 9),
    (5, 1),
    (5, 11),
    (6, 12),
    (11, 4),
    (12, 31),
];

fn is_working_day(day: NaiveDate) -> bool {
    if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        return false;
    }
    let md = (day.month(), day.day());
    // Outside 2026, only the New Year holidays every year has.
    let holiday = if day.year() == 2026 {
        HOLIDAYS_2026.contains(&md)
    } else {
        md.0 == 1 && md.1 <= 8
    };
    !holiday
}

/// `count` working days up to and including `last`, earliest first.
fn working_days_until(last: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let mut days = Vec::with_capacity(count);
    let mut day = last;
    while days.len() < count {
        if is_working_day(day) {
            days.push(day);
        }
        day = day.pred_opt().expect("a date after year 0");
    }
    days.reverse();
    days
}

fn fmt_dt(t: NaiveDateTime) -> String {
    t.format("%d.%m.%Y %H:%M:%S").to_string()
}

fn fmt_dm(t: NaiveDateTime) -> String {
    t.format("%d.%m.%Y %H:%M").to_string()
}

fn fmt_d(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// A moment during working hours of `day`, in seconds from 08:30 to 19:30.
fn office_time(rng: &mut Rng, day: NaiveDate) -> NaiveDateTime {
    let secs = rng.range(8 * 3600 + 1800, 19 * 3600 + 1800) as u32;
    day.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).expect("in a day"))
}

// ---------------------------------------------------------------- vocabulary

const SURNAMES: &[&str] = &[
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Федоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семенов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьев",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьев",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королев",
    "Гусев",
    "Киселев",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалев",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
];

const MALE_NAMES: &[&str] = &[
    "Алексей",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Михаил",
    "Иван",
    "Николай",
    "Павел",
    "Артем",
    "Максим",
    "Евгений",
    "Владимир",
    "Олег",
    "Роман",
    "Игорь",
    "Денис",
    "Кирилл",
    "Никита",
    "Антон",
    "Виктор",
];

const FEMALE_NAMES: &[&str] = &[
    "Мария",
    "Анна",
    "Ольга",
    "Елена",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Екатерина",
    "Светлана",
    "Юлия",
    "Анастасия",
    "Дарья",
    "Ксения",
    "Марина",
    "Виктория",
    "Алина",
    "Полина",
    "Вероника",
    "Людмила",
    "Галина",
];

/// Patronymics, male and female forms.
const PATRONYMICS: &[(&str, &str)] = &[
    ("Алексеевич", "Алексеевна"),
    ("Сергеевич", "Сергеевна"),
    ("Владимирович", "Владимировна"),
    ("Николаевич", "Николаевна"),
    ("Иванович", "Ивановна"),
    ("Петрович", "Петровна"),
    ("Андреевич", "Андреевна"),
    ("Викторович", "Викторовна"),
    ("Олегович", "Олеговна"),
    ("Геннадьевич", "Геннадьевна"),
];

const COMPANIES: &[&str] = &[
    "ООО «ТеплоСтрой»",
    "ООО «Волга-Инжиниринг»",
    "ООО \"СамараМонтаж\"",
    "ИП Сидоров А. В.",
    "ООО «Уютный дом»",
    "АО «Жигулевские сады»",
    "ООО «Термотехника-С»",
    "ТСЖ «Ново-Садовая, 106»",
    "ООО «Ремонт и отделка»",
    "МБОУ «Школа № 124»",
    "ООО «Складской комплекс Кряж»",
    "ИП Орлова Е. Н.",
];

const OBJECTS: &[&str] = &[
    "Коттедж",
    "Квартира",
    "Офис",
    "Дача",
    "Таунхаус",
    "Склад",
    "Магазин",
    "Школа",
    "Баня",
];

const PLACES: &[&str] = &[
    "в Красной Глинке",
    "на Ново-Садовой",
    "в Царевщине",
    "на Московском шоссе",
    "в Жигулевске",
    "в Новокуйбышевске",
    "на Управленческом",
    "в Тольятти",
    "в Сызрани",
    "на Волжском проспекте",
    "в Смышляевке",
    "на Южном шоссе",
];

const BRANDS: &[&str] = &[
    "Rifar Monolit",
    "Royal Thermo",
    "Global Style",
    "Kermi FKO",
    "Sira",
    "Buderus Logatrend",
    "замена радиаторов",
    "радиаторы и вентили",
];

const TAGS: &[&str] = &[
    "сайт, розница",
    "звонок",
    "повторный",
    "Авито",
    "опт",
    "сайт, опт, монтаж",
    "",
    "",
];

const POSITIONS: &[&str] = &[
    "Директор",
    "Главный инженер",
    "Снабженец",
    "Прораб",
    "Завхоз",
    "",
    "",
    "",
];

const MAIL_DOMAINS: &[&str] = &["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru"];

const REASONS: &[&str] = &[
    "Дорого",
    "Купили у конкурента",
    "Нет нужной модели в наличии",
    "Не устроили сроки доставки",
    "Передумали, отложили ремонт",
    "Не выходит на связь",
    "Ушли на другой тип отопления",
];

const NOTE_PARTS: &[&str] = &[
    "Клиент просил перезвонить после 18:00",
    "решение принимает жена",
    "нужна доставка до 5 этажа, лифта нет",
    "сравнивает с предложением «Термоцентра»",
    "объект сдается в декабре",
    "монтаж делает своя бригада",
    "просил скидку 5%, согласовать с РОП",
    "мастер сказал: \"ставить только биметалл\"",
    "оплата частями: 50% сейчас, 50% по факту",
    "есть старые чугунные батареи, нужен вывоз",
];

const FUNNEL: &[&str] = &[
    "Новая заявка",
    "Уточнение остатков на складе",
    "Квалификация",
    "Счет",
    "Заказ утвержден / ждем оплату",
    "Заказ оплачен / предоплачен",
    "Формирование доставки / Доплата",
    "Доставка заказа / Доплата",
    "Документы подписаны, возвращены в офис",
];
/// How deals in work spread over the funnel.
const FUNNEL_WEIGHTS: &[u32] = &[15, 10, 20, 15, 10, 8, 6, 4, 2];
/// The funnel position from which the qualification fields are required.
const QUALIFICATION: usize = 2;

/// The twelve qualification fields, headers exactly as in the rule set.
const FIELDS: [&str; 12] = [
    "Рабочее давление",
    "Модель радиатора",
    "Количество радиаторов",
    "Количество секций",
    "Диаметр подключения",
    "Вид подключения",
    "Покраска радиаторов",
    "Вентили",
    "Аксессуары",
    "Покраска вентилей и аксессуаров",
    "Форма оплаты",
    "Адрес и приемщик",
];

const STREETS: &[&str] = &[
    "ул. Ново-Садовая",
    "ул. Победы",
    "Московское шоссе",
    "ул. Мичурина",
    "ул. Гагарина",
    "пр. Кирова",
    "ул. Куйбышева",
    "ул. Революционная",
];

fn field_value(rng: &mut Rng, field: usize, contact: &str) -> String {
    let choose = |rng: &mut Rng, items: &[&str]| rng.pick(items).to_string();
    match field {
        0 => choose(rng, &["6 атм", "10 атм", "16 атм", "20 атм"]),
        1 => choose(
            rng,
            &[
                "Биметалл Rifar Monolit 500",
                "Биметалл Royal Thermo BiLiner 500",
                "Алюминий Global Iseo 500",
                "Стальной панельный Kermi FKO 22",
                "Биметалл Sira RS 300",
            ],
        ),
        2 => rng.range(1, 40).to_string(),
        3 => rng.range(4, 14).to_string(),
        4 => choose(rng, &["1/2\"", "3/4\"", "1\""]),
        5 => choose(rng, &["Боковое", "Нижнее", "Диагональное"]),
        6 => choose(rng, &["Нет", "RAL 9016", "RAL 9005, матовый"]),
        7 => choose(rng, &["Угловые", "Прямые", "Термостатические"]),
        8 => choose(rng, &["Кронштейны, заглушки", "Кронштейны", "Нет"]),
        9 => choose(rng, &["Нет", "Хром", "Белый"]),
        10 => choose(
            rng,
            &["Безналичный расчет", "Наличные", "Карта", "Рассрочка"],
        ),
        _ => format!(
            "г. Самара, {}, д. {}, кв. {}; принимает {}",
            rng.pick(STREETS),
            rng.range(1, 180),
            rng.range(1, 240),
            contact
        ),
    }
}

fn note(rng: &mut Rng) -> String {
    let parts = rng.range(1, 3);
    let mut text = String::new();
    for i in 0..parts {
        if i > 0 {
            text.push_str(rng.pick(&[", ", ";\n", ".\n", ", "]));
        }
        text.push_str(rng.pick(NOTE_PARTS));
    }
    text
}

/// A Russian phone number's ten digits after the country code.
fn phone_digits(rng: &mut Rng, landline: bool) -> String {
    let code = if landline {
        "846"
    } else {
        rng.pick(&["927", "937", "917", "902", "960", "987", "999"])
    };
    format!("{code}{:07}", rng.below(10_000_000))
}

/// One number in one of the shapes people type.
fn phone_text(rng: &mut Rng, digits: &str) -> String {
    let (a, b, c, d) = (&digits[..3], &digits[3..6], &digits[6..8], &digits[8..]);
    match rng.weighted(&[40, 25, 15, 8, 12]) {
        0 => format!("+7 ({a}) {b}-{c}-{d}"),
        1 => format!("8 {a} {b} {c} {d}"),
        2 => format!("7{digits}"),
        3 => format!("'8{digits}"),
        _ => format!("+7{digits}"),
    }
}

/// A phone cell: usually one number, sometimes two.
fn phone_cell(rng: &mut Rng, landline: bool) -> String {
    let first = phone_digits(rng, landline);
    let mut text = phone_text(rng, &first);
    if rng.chance(0.06) {
        let second = phone_digits(rng, !landline);
        text.push_str(rng.pick(&[", ", "; ", "\n"]));
        text.push_str(&phone_text(rng, &second));
    }
    text
}

fn translit(text: &str) -> String {
    const MAP: &[(char, &str)] = &[
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "g"),
        ('д', "d"),
        ('е', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "i"),
        ('й', "y"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "kh"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "sch"),
        ('ы', "y"),
        ('ь', ""),
        ('ъ', ""),
        ('э', "e"),
        ('ю', "yu"),
        ('я', "ya"),
    ];
    text.to_lowercase()
        .chars()
        .map(|c| {
            MAP.iter()
                .find(|(k, _)| *k == c)
                .map_or_else(|| c.to_string(), |(_, v)| v.to_string())
        })
        .collect()
}

struct Person {
    surname: String,
    name: &'static str,
    patronymic: &'static str,
}

fn person(rng: &mut Rng) -> Person {
    let female = rng.chance(0.5);
    let stem = rng.pick(SURNAMES);
    let (patronymic_m, patronymic_f) = rng.pick(PATRONYMICS);
    if female {
        Person {
            surname: format!("{stem}а"),
            name: rng.pick(FEMALE_NAMES),
            patronymic: patronymic_f,
        }
    } else {
        Person {
            surname: stem.to_string(),
            name: rng.pick(MALE_NAMES),
            patronymic: patronymic_m,
        }
    }
}

// ---------------------------------------------------------------- managers

struct Manager {
    name: String,
    /// Left the company before the judged day: still responsible for deals
    /// in the export, but no task or call of theirs after they left.
    departed: bool,
    /// For a departed manager, the last day with calls, as an index into
    /// the call log's days.
    last_day: usize,
}

/// Between 20 and 300 managers, more for more deals; one in thirty of them
/// (at least one) has left.
fn managers(rng: &mut Rng, deals: usize) -> Vec<Manager> {
    let count = ((deals as f64).sqrt() * 0.3).round().clamp(20.0, 300.0) as usize;
    let mut seen = HashSet::new();
    let mut list = Vec::with_capacity(count);
    while list.len() < count {
        let p = person(rng);
        let name = format!("{} {}", p.surname, p.name);
        if seen.insert(name.clone()) {
            list.push(Manager {
                name,
                departed: false,
                last_day: 0,
            });
        }
    }
    let mut departing = (count / 30).max(1);
    while departing > 0 {
        let m = rng.below(count);
        if !list[m].departed {
            list[m].departed = true;
            departing -= 1;
        }
    }
    list
}

/// A manager who still works, at random.
fn active_manager(rng: &mut Rng, managers: &[Manager]) -> usize {
    loop {
        let m = rng.below(managers.len());
        if !managers[m].departed {
            return m;
        }
    }
}

// ---------------------------------------------------------------- deals

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Won,
    Lost,
    /// In work: inbox, a funnel stage, or a stage the rule set does not know.
    Work,
}

/// An open task of a deal: its due moment, and whether it is written as a
/// date without a time.
#[derive(Clone, Copy)]
struct Due {
    at: NaiveDateTime,
    day_only: bool,
}

impl Due {
    fn text(self) -> String {
        if self.day_only {
            fmt_d(self.at.date())
        } else {
            fmt_dm(self.at)
        }
    }
}

/// What the task list needs to know of a deal.
struct DealInfo {
    id: u64,
    /// `None`: no responsible manager.
    manager: Option<u16>,
    created: NaiveDateTime,
    /// When work on the deal ended: its closing, or the audit moment.
    until: NaiveDateTime,
    open: [Option<Due>; 2],
}

fn open_due(rng: &mut Rng, odds: &Odds) -> Due {
    let judged = judged_day();
    let tomorrow = date(2026, 11, 27);
    match rng.weighted(&odds.due) {
        0 => {
            // Due in the coming two weeks.
            let mut day = tomorrow + Duration::days(rng.range(0, 14));
            while !is_working_day(day) {
                day = day.succ_opt().expect("a date");
            }
            let at = at(
                day,
                rng.range(9, 18) as u32,
                rng.pick(&[0, 0, 15, 30, 45]),
                0,
            );
            Due {
                at,
                day_only: rng.chance(0.2),
            }
        }
        1 => {
            // Overdue by up to two weeks.
            let day = judged - Duration::days(rng.range(0, 14));
            let at = at(day, rng.range(9, 18) as u32, rng.pick(&[0, 0, 30]), 0);
            Due {
                at,
                day_only: rng.chance(0.2),
            }
        }
        // The edges of the audit moment: a date-only due is late only after
        // its day ends, a timed one from its minute on.
        2 => Due {
            at: at(judged, 0, 0, 0),
            day_only: true,
        },
        3 => Due {
            at: at(tomorrow, 0, 0, 0),
            day_only: true,
        },
        4 => Due {
            at: at(tomorrow, 1, 30, 0),
            day_only: false,
        },
        _ => Due {
            at: at(tomorrow, 2, 0, 0),
            day_only: false,
        },
    }
}

const DEAL_HEADER_START: [&str; 16] = [
    "ID",
    "Название сделки",
    "Компания",
    "Основной контакт",
    "Компания контакта",
    "Ответственный",
    "Этап сделки",
    "Воронка",
    "Бюджет",
    "Дата создания",
    "Кем создана",
    "Дата изменения",
    "Кем изменена",
    "Теги сделки",
    "Ближайшая задача",
    "Дата закрытия",
];
const DEAL_HEADER_END: [&str; 6] = [
    "Причина отказа",
    "Примечание 1",
    "Рабочий телефон (контакт)",
    "Мобильный телефон (контакт)",
    "Рабочий email (контакт)",
    "Должность (контакт)",
];

fn deal_header() -> Vec<&'static str> {
    DEAL_HEADER_START
        .iter()
        .chain(FIELDS.iter())
        .chain(DEAL_HEADER_END.iter())
        .copied()
        .collect()
}

/// Writes the deal table as rows of text; `Xlsx` mirrors it into a workbook.
struct Xlsx {
    workbook: rust_xlsxwriter::Workbook,
    path: PathBuf,
}

impl Xlsx {
    fn new(path: PathBuf, header: &[&str]) -> Res<Xlsx> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(2026, 11, 27)?.and_hms(1, 55, 0)?;
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let sheet = workbook.add_worksheet();
        sheet.set_name("Сделки")?;
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, *h)?;
        }
        Ok(Xlsx { workbook, path })
    }

    fn row(&mut self, row: u32, cells: &[String]) -> Res<()> {
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (c, text) in cells.iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            // IDs and budgets are number cells, as amoCRM writes them.
            let numeric = (c == 0 || c == 8) && text.bytes().all(|b| b.is_ascii_digit());
            if numeric {
                sheet.write_number(row, c as u16, text.parse::<f64>()?)?;
            } else {
                sheet.write_string(row, c as u16, text)?;
            }
        }
        Ok(())
    }

    fn save(mut self) -> Res<()> {
        self.workbook.save(&self.path)?;
        Ok(())
    }
}

fn csv_writer(path: &Path, delimiter: u8, bom: bool) -> Res<csv::Writer<BufWriter<File>>> {
    let mut file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    if bom {
        file.write_all(b"\xEF\xBB\xBF")?;
    }
    Ok(csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(file))
}

/// Generates and writes the deals; returns what the tasks need of them.
fn write_deals(
    args: &Args,
    rng: &mut Rng,
    managers: &[Manager],
    task_budget: usize,
) -> Res<Vec<DealInfo>> {
    let header = deal_header();
    let mut out = csv_writer(&args.out.join("deals.csv"), b',', false)?;
    out.write_record(&header)?;
    let mut xlsx = if args.xlsx {
        let dir = args.out.join("xlsx");
        std::fs::create_dir_all(&dir)?;
        Some(Xlsx::new(dir.join("deals.xlsx"), &header)?)
    } else {
        None
    };
    let as_of = as_of();
    let mut infos = Vec::with_capacity(args.deals);
    let mut open_tasks = 0usize;
    let mut row: Vec<String> = vec![String::new(); header.len()];
    for i in 0..args.deals {
        let id = 31_400_000 + i as u64;
        let odds = &args.odds;
        let class = match rng.weighted(&odds.classes) {
            0 => Class::Won,
            1 => Class::Lost,
            _ => Class::Work,
        };
        // Deals in work are younger; closed ones spread over two years.
        let age_days = match class {
            Class::Work => rng.range(0, 120),
            _ => rng.range(3, 730),
        };
        let created_day = as_of.date() - Duration::days(age_days + 1);
        let created = office_time(rng, created_day);
        let until = match class {
            Class::Work => as_of,
            _ => {
                let closed = created + Duration::minutes(rng.range(60, 120 * 24 * 60));
                closed.min(as_of - Duration::minutes(rng.range(300, 2 * 24 * 60)))
            }
        };
        let mut manager = Some(rng.below(managers.len()) as u16);
        let mut stage = String::new();
        let mut funnel_position = None;
        let mut reason = String::new();
        match class {
            Class::Won => stage.push_str("Успешно реализовано"),
            Class::Lost => {
                let why = rng.pick(REASONS);
                match rng.weighted(&[720, 200, 40, 10, 10, 10, 5, 5, 5]) {
                    0 => {
                        stage.push_str("Закрыто и не реализовано");
                        reason.push_str(why);
                    }
                    1 => stage = format!("Закрыто и не реализовано ({why})"),
                    // No reason anywhere: a violation.
                    2 => stage.push_str("Закрыто и не реализовано"),
                    3 => {
                        stage.push_str("Закрыто и не реализовано");
                        reason.push_str("  ");
                    }
                    // Written otherwise: still the lost stage.
                    4 => {
                        stage.push_str("закрыто и не  реализовано ");
                        reason.push_str(why);
                    }
                    5 => stage.push_str("Анализ причины провала"),
                    // Empty parentheses: lost, with no reason given.
                    6 => stage.push_str("Закрыто и не реализовано ( )"),
                    // A reason with parentheses of its own.
                    7 => stage = format!("Закрыто и не реализовано ({why} (со слов клиента))"),
                    _ => stage = format!("ЗАКРЫТО И НЕ РЕАЛИЗОВАНО ({why})"),
                }
            }
            Class::Work => match rng.weighted(&[10, 89, 1]) {
                0 => {
                    stage.push_str("Неразобранное");
                    if rng.chance(0.05) {
                        manager = None;
                    }
                }
                1 => {
                    let p = rng.weighted(FUNNEL_WEIGHTS);
                    funnel_position = Some(p);
                    stage.push_str(FUNNEL[p]);
                }
                // A stage renamed in the CRM but not in the rule set.
                _ => stage.push_str("Выставлен счёт"),
            },
        }
        let in_work = class == Class::Work;
        let manager_name = manager.map_or("", |m| managers[usize::from(m)].name.as_str());

        // Open tasks of a deal in work: most have one, some two, a few none.
        let mut open = [None, None];
        if in_work && !rng.chance(odds.no_open_task) {
            let n = if rng.chance(0.15) { 2 } else { 1 };
            for slot in open.iter_mut().take(n) {
                if open_tasks < task_budget {
                    *slot = Some(open_due(rng, odds));
                    open_tasks += 1;
                }
            }
        }
        let nearest = open
            .iter()
            .flatten()
            .min_by_key(|d| d.at)
            .map(|d| {
                if d.day_only {
                    fmt_d(d.at.date())
                } else {
                    fmt_dt(d.at)
                }
            })
            .unwrap_or_default();

        let contact = person(rng);
        let contact_full = format!(
            "{} {} {}",
            contact.surname, contact.name, contact.patronymic
        );
        let company = if rng.chance(0.4) {
            rng.pick(COMPANIES).to_string()
        } else {
            String::new()
        };
        let has_contact = if in_work {
            !rng.chance(odds.no_contact)
        } else {
            !rng.chance(0.05)
        };
        let (work_phone, mobile) = if in_work && rng.chance(odds.no_phone) {
            // No digit anywhere: a violation.
            match rng.below(3) {
                0 => (String::new(), String::new()),
                1 => (String::new(), "нет".to_string()),
                _ => ("уточнить у клиента".to_string(), String::new()),
            }
        } else {
            let work = if rng.chance(0.3) {
                phone_cell(rng, true)
            } else {
                String::new()
            };
            let mobile = if work.is_empty() || rng.chance(0.7) {
                phone_cell(rng, false)
            } else {
                String::new()
            };
            (work, mobile)
        };
        let email = if rng.chance(0.45) {
            format!(
                "{}.{}{}@{}",
                translit(&contact.surname),
                translit(&contact.name[..contact.name.char_indices().nth(1).unwrap().0]),
                rng.below(100),
                rng.pick(MAIL_DOMAINS)
            )
        } else {
            String::new()
        };

        // Qualification data: complete from the qualification stage on
        // (and for won deals), bar a few deals; sparse before it.
        let required = match class {
            Class::Won => true,
            _ => funnel_position.is_some_and(|p| p >= QUALIFICATION),
        };
        let mut filled = [false; 12];
        if required {
            filled = [true; 12];
            if in_work && rng.chance(odds.missing_fields) {
                for _ in 0..rng.range(1, 3) {
                    filled[rng.below(12)] = false;
                }
            }
        } else {
            for f in filled.iter_mut() {
                *f = rng.chance(0.25);
            }
        }

        let modified = if in_work {
            as_of - Duration::minutes(rng.range(300, 20 * 24 * 60))
        } else {
            until + Duration::minutes(rng.range(1, 600))
        };
        let modified = modified.max(created).min(as_of - Duration::minutes(1));
        let creator = if rng.chance(0.15) {
            "Интеграция с сайтом"
        } else {
            manager_name
        };
        let budget = rng.range(150, 15_000) * 100;

        for cell in row.iter_mut() {
            cell.clear();
        }
        row[0] = id.to_string();
        row[1] = format!(
            "{} {}, {}",
            rng.pick(OBJECTS),
            rng.pick(PLACES),
            rng.pick(BRANDS)
        );
        row[2].push_str(&company);
        if has_contact {
            row[3].push_str(&contact_full);
        }
        row[4].push_str(&company);
        row[5].push_str(manager_name);
        row[6].push_str(&stage);
        row[7].push_str("Воронка продаж");
        row[8] = budget.to_string();
        row[9] = fmt_dt(created);
        row[10].push_str(creator);
        row[11] = fmt_dt(modified);
        row[12].push_str(if manager_name.is_empty() {
            creator
        } else {
            manager_name
        });
        row[13].push_str(rng.pick(TAGS));
        row[14] = nearest;
        row[15] = if in_work {
            "не закрыта".to_string()
        } else {
            fmt_dt(until)
        };
        for (f, &is_filled) in filled.iter().enumerate() {
            if is_filled {
                row[16 + f] = field_value(rng, f, &format!("{} {}", contact.surname, contact.name));
            }
        }
        let end = 16 + FIELDS.len();
        row[end] = reason;
        if rng.chance(0.35) {
            row[end + 1] = note(rng);
        }
        row[end + 2] = work_phone;
        row[end + 3] = mobile;
        row[end + 4] = email;
        row[end + 5].push_str(rng.pick(POSITIONS));

        out.write_record(&row)?;
        if let Some(x) = xlsx.as_mut() {
            x.row(i as u32 + 1, &row)?;
        }
        infos.push(DealInfo {
            id,
            manager,
            created,
            until,
            open,
        });
    }
    out.flush()?;
    if let Some(x) = xlsx {
        x.save()?;
    }
    Ok(infos)
}

// ---------------------------------------------------------------- tasks

const TASK_HEADER: [&str; 9] = [
    "ID",
    "ID сделки",
    "Ответственный",
    "Тип задачи",
    "Срок",
    "Выполнена",
    "Дата выполнения",
    "Результат",
    "Дата создания",
];

const RESULTS: &[&str] = &[
    "Клиент не взял трубку, перезвонить завтра",
    "Отправил КП на почту; ждет счет",
    "Договорились о замере на объекте в субботу",
    "Счет оплачен, платежка в почте",
    "Клиент сравнивает цены, просил \"подумать до понедельника\"",
    "Уточнил количество секций: 10 и 12",
    "Выслал схему подключения,\nклиент согласовал",
    "Доставка согласована на 10:00; приемщик — прораб",
    "Документы подписаны",
];

fn task_type(rng: &mut Rng) -> &'static str {
    rng.pick(&[
        "Звонок",
        "Звонок",
        "Звонок",
        "Звонок",
        "Звонок",
        "Звонок",
        "Письмо",
        "Письмо",
        "Письмо",
        "Встреча",
    ])
}

/// Mostly the deal's manager; a colleague for a departed one's deals.
fn task_manager(rng: &mut Rng, deal: Option<&DealInfo>, managers: &[Manager]) -> usize {
    match deal.and_then(|d| d.manager).map(usize::from) {
        Some(m) if !managers[m].departed && rng.chance(0.92) => m,
        _ => active_manager(rng, managers),
    }
}

struct TaskWriter {
    out: csv::Writer<BufWriter<File>>,
    next_id: u64,
    written: usize,
    /// Completed letters per manager on the judged day, as the quota counts them.
    letters: Vec<u32>,
}

impl TaskWriter {
    fn completed(
        &mut self,
        rng: &mut Rng,
        deal: Option<&DealInfo>,
        window: (NaiveDateTime, NaiveDateTime),
        managers: &[Manager],
    ) -> Res<()> {
        let (from, to) = window;
        let span = (to - from).num_minutes().max(1);
        let done = from + Duration::minutes(rng.range(0, span - 1));
        // Done at work hours of that day (or just before the window ends).
        let done = office_time(rng, done.date())
            .min(to - Duration::minutes(1))
            .max(from);
        let day_only = rng.chance(0.2);
        let due = if day_only {
            at(done.date(), 0, 0, 0)
        } else {
            done.date()
                .and_hms_opt(rng.range(9, 18) as u32, 0, 0)
                .expect("a time")
        };
        let created = (due - Duration::hours(rng.range(2, 24 * 7))).max(from - Duration::hours(1));
        let (flag, done_at) = match rng.weighted(&[980, 10, 10]) {
            0 => ("Да", fmt_dm(done)),
            // Completed without a date: counts for no day.
            1 => ("Да", String::new()),
            // The flag left blank, the date says it is done.
            _ => ("", fmt_dm(done)),
        };
        let due_text = if day_only {
            fmt_d(due.date())
        } else {
            fmt_dm(due)
        };
        let manager = task_manager(rng, deal, managers);
        let kind = task_type(rng);
        if kind == "Письмо" && !done_at.is_empty() && done.date() == judged_day() {
            self.letters[manager] += 1;
        }
        let record = [
            self.next_id.to_string(),
            deal.map_or(String::new(), |d| d.id.to_string()),
            managers[manager].name.clone(),
            kind.to_string(),
            due_text,
            flag.to_string(),
            done_at,
            rng.pick(RESULTS).to_string(),
            fmt_dm(created),
        ];
        self.write(&record)
    }

    fn open(
        &mut self,
        rng: &mut Rng,
        deal: Option<&DealInfo>,
        due: Due,
        managers: &[Manager],
    ) -> Res<()> {
        let created = due.at - Duration::hours(rng.range(1, 24 * 10));
        let created = match deal {
            Some(d) => created.max(d.created),
            None => created,
        }
        .min(as_of() - Duration::hours(3));
        let flag = if rng.chance(0.01) { "" } else { "Нет" };
        let record = [
            self.next_id.to_string(),
            deal.map_or(String::new(), |d| d.id.to_string()),
            managers[task_manager(rng, deal, managers)].name.clone(),
            task_type(rng).to_string(),
            due.text(),
            flag.to_string(),
            String::new(),
            String::new(),
            fmt_dm(created),
        ];
        self.write(&record)
    }

    fn write(&mut self, record: &[String]) -> Res<()> {
        self.out.write_record(record)?;
        self.next_id += 1;
        self.written += 1;
        Ok(())
    }
}

fn write_tasks(
    args: &Args,
    rng: &mut Rng,
    deals: &[DealInfo],
    managers: &[Manager],
    loose_open: usize,
) -> Res<Vec<u32>> {
    let mut writer = TaskWriter {
        out: csv_writer(&args.out.join("tasks.csv"), b';', true)?,
        next_id: 52_000_000,
        written: 0,
        letters: vec![0; managers.len()],
    };
    writer.out.write_record(TASK_HEADER)?;
    let open_total: usize = deals.iter().map(|d| d.open.iter().flatten().count()).sum();
    let completed_total = args.tasks.saturating_sub(open_total + loose_open);
    // Completed tasks go to random deals; 2% belong to no deal.
    let mut per_deal = vec![0u16; deals.len()];
    let mut loose_done = vec![0u16; deals.len()];
    if !deals.is_empty() {
        for _ in 0..completed_total {
            let d = rng.below(deals.len());
            if rng.chance(0.02) {
                loose_done[d] = loose_done[d].saturating_add(1);
            } else {
                per_deal[d] = per_deal[d].saturating_add(1);
            }
        }
    }
    // Open tasks of no deal, spread over the file.
    let mut loose_at = vec![0u16; deals.len()];
    if !deals.is_empty() {
        for _ in 0..loose_open {
            let d = rng.below(deals.len());
            loose_at[d] = loose_at[d].saturating_add(1);
        }
    }
    let as_of = as_of();
    for (i, deal) in deals.iter().enumerate() {
        for _ in 0..per_deal[i] {
            writer.completed(rng, Some(deal), (deal.created, deal.until), managers)?;
        }
        for _ in 0..loose_done[i] {
            let from = as_of - Duration::days(rng.range(1, 365));
            writer.completed(rng, None, (from, as_of - Duration::hours(5)), managers)?;
        }
        for _ in 0..loose_at[i] {
            let due = open_due(rng, &args.odds);
            writer.open(rng, None, due, managers)?;
        }
        for due in deal.open.iter().flatten() {
            writer.open(rng, Some(deal), *due, managers)?;
        }
    }
    // Whatever the rounding left (the u16 counters saturate only absurdly).
    while writer.written < args.tasks && !deals.is_empty() {
        let deal = &deals[rng.below(deals.len())];
        writer.completed(rng, Some(deal), (deal.created, deal.until), managers)?;
    }
    writer.out.flush()?;
    Ok(writer.letters)
}

// ---------------------------------------------------------------- calls

struct Call {
    time: NaiveDateTime,
    manager: u16,
    outgoing: bool,
    answered: bool,
    talk: u32,
    ring: u32,
    phone: String,
    deal: Option<u64>,
}

const SIPUNI_HEADER: [&str; 24] = [
    "Тип",
    "Статус",
    "Время",
    "ID схемы звонка",
    "Схема",
    "Исходящая линия",
    "Откуда",
    "Куда",
    "Кто ответил",
    "Длительность звонка",
    "Длительность разговора",
    "Время ответа",
    "Оценка",
    "ID записи",
    "Метка",
    "Теги",
    "Инициатор завершения звонка",
    "ID заказа звонка",
    "Запись существует",
    "Новый клиент",
    "Состояние перезвона",
    "Время перезвона",
    "Информация из CRM",
    "Ответственный из CRM",
];

const GENERIC_HEADER: [&str; 7] = [
    "Дата",
    "Ответственный",
    "Направление",
    "Статус",
    "Длительность",
    "Телефон",
    "ID сделки",
];

const COMPANY_LINE: &str = "78462001010";

struct CallWriter<'m> {
    out: csv::Writer<BufWriter<File>>,
    layout: CallsLayout,
    managers: &'m [Manager],
    written: usize,
}

impl CallWriter<'_> {
    fn write(&mut self, rng: &mut Rng, call: &Call) -> Res<()> {
        let manager = self.managers[usize::from(call.manager)].name.as_str();
        let status = if call.answered {
            "Отвечен"
        } else {
            "Не отвечен"
        };
        let direction = if call.outgoing {
            "Исходящий"
        } else {
            "Входящий"
        };
        match self.layout {
            CallsLayout::Generic => {
                self.out.write_record([
                    fmt_dt(call.time).as_str(),
                    manager,
                    direction,
                    status,
                    &format!("{}:{:02}", call.talk / 60, call.talk % 60),
                    &call.phone,
                    &call.deal.map_or(String::new(), |d| d.to_string()),
                ])?;
            }
            CallsLayout::Sipuni => {
                let (from, to, answered_by) = if call.outgoing {
                    (
                        manager.to_string(),
                        call.phone.clone(),
                        if call.answered {
                            call.phone.clone()
                        } else {
                            String::new()
                        },
                    )
                } else {
                    (
                        call.phone.clone(),
                        COMPANY_LINE.to_string(),
                        if call.answered {
                            manager.to_string()
                        } else {
                            String::new()
                        },
                    )
                };
                let record_id = if call.answered {
                    format!("{:016x}", rng.next())
                } else {
                    String::new()
                };
                let ender = if !call.answered {
                    ""
                } else if rng.chance(0.5) {
                    "Сотрудник"
                } else {
                    "Клиент"
                };
                self.out.write_record([
                    direction,
                    status,
                    &fmt_dt(call.time),
                    if call.outgoing { "0" } else { "100231" },
                    if call.outgoing {
                        ""
                    } else {
                        "Входящая линия"
                    },
                    if call.outgoing { COMPANY_LINE } else { "" },
                    &from,
                    &to,
                    &answered_by,
                    &(call.ring + call.talk).to_string(),
                    &call.talk.to_string(),
                    &if call.answered {
                        call.ring.to_string()
                    } else {
                        String::new()
                    },
                    "",
                    &record_id,
                    "",
                    "",
                    ender,
                    "",
                    if call.answered { "Да" } else { "Нет" },
                    if rng.chance(0.1) { "Да" } else { "Нет" },
                    "",
                    "",
                    &call.deal.map_or(String::new(), |d| format!("Сделка {d}")),
                    manager,
                ])?;
            }
        }
        self.written += 1;
        Ok(())
    }
}

fn make_call(rng: &mut Rng, day: NaiveDate, manager: u16, outgoing: bool, deals: usize) -> Call {
    let answered = rng.chance(if outgoing { 0.62 } else { 0.92 });
    let talk = if answered {
        rng.range(15, 1500) as u32
    } else {
        0
    };
    let landline = rng.chance(0.15);
    let digits = phone_digits(rng, landline);
    let phone = if rng.chance(0.8) {
        format!("+7{digits}")
    } else {
        format!("7{digits}")
    };
    Call {
        time: office_time(rng, day),
        manager,
        outgoing,
        answered,
        talk,
        ring: rng.range(3, 40) as u32,
        phone,
        deal: (deals > 0 && rng.chance(0.3)).then(|| 31_400_000 + rng.below(deals) as u64),
    }
}

fn write_calls(args: &Args, rng: &mut Rng, managers: &mut [Manager], letters: &[u32]) -> Res<()> {
    // The judged day: each active manager's outgoing contacts against the
    // quota of 40; most reach it, one in twelve falls short (counting the
    // letters they completed that day), and departed managers made none.
    let mut judged: Vec<Call> = Vec::new();
    for m in 0..managers.len() {
        if managers[m].departed {
            continue;
        }
        let outgoing = if rng.chance(0.08) {
            rng.range(5, 39)
                .saturating_sub(i64::from(letters[m]))
                .max(0)
        } else {
            rng.range(40, 75)
        };
        let incoming = rng.range(0, 15);
        for k in 0..(outgoing + incoming) {
            judged.push(make_call(
                rng,
                judged_day(),
                m as u16,
                k < outgoing,
                args.deals,
            ));
        }
    }
    judged.truncate(args.calls);
    // The other calls, about 55 a manager a day, over the working days before.
    let rest = args.calls - judged.len();
    let active = managers.iter().filter(|m| !m.departed).count().max(1);
    let days = rest.div_ceil(active * 55);
    let before = working_days_until(judged_day().pred_opt().expect("a date"), days);
    for m in managers.iter_mut().filter(|m| m.departed) {
        m.last_day = rng.below(days.max(1));
    }
    let managers: &[Manager] = managers;

    let delimiter = match args.calls_layout {
        CallsLayout::Generic => b',',
        CallsLayout::Sipuni => b';',
    };
    let mut writer = CallWriter {
        out: csv_writer(&args.out.join("calls.csv"), delimiter, false)?,
        layout: args.calls_layout,
        managers,
        written: 0,
    };
    match args.calls_layout {
        CallsLayout::Generic => writer.out.write_record(GENERIC_HEADER)?,
        CallsLayout::Sipuni => writer.out.write_record(SIPUNI_HEADER)?,
    }
    let mut day_calls: Vec<Call> = Vec::new();
    for (index, &day) in before.iter().enumerate() {
        let count = rest * (index + 1) / days - rest * index / days;
        day_calls.clear();
        while day_calls.len() < count {
            let m = rng.below(managers.len());
            if managers[m].departed && index > managers[m].last_day {
                continue;
            }
            let outgoing = rng.chance(0.78);
            day_calls.push(make_call(rng, day, m as u16, outgoing, args.deals));
        }
        day_calls.sort_by_key(|c| c.time);
        for call in &day_calls {
            writer.write(rng, call)?;
        }
    }
    judged.sort_by_key(|c| c.time);
    for call in &judged {
        writer.write(rng, call)?;
    }
    debug_assert_eq!(writer.written, args.calls);
    writer.out.flush()?;
    Ok(())
}

// ---------------------------------------------------------------- main

fn main() -> Res<()> {
    let args = parse_args()?;
    std::fs::create_dir_all(&args.out)?;
    let mut people = Rng::new(args.seed, 1);
    let mut managers = managers(&mut people, args.deals);
    let loose_open = args.tasks / 200;
    let mut deal_rng = Rng::new(args.seed, 2);
    let deals = write_deals(
        &args,
        &mut deal_rng,
        &managers,
        args.tasks.saturating_sub(loose_open),
    )?;
    let mut task_rng = Rng::new(args.seed, 3);
    let letters = write_tasks(&args, &mut task_rng, &deals, &managers, loose_open)?;
    let mut call_rng = Rng::new(args.seed, 4);
    write_calls(&args, &mut call_rng, &mut managers, &letters)?;
    eprintln!(
        "generate: {} deals, {} tasks, {} calls, {} managers in {}",
        args.deals,
        args.tasks,
        args.calls,
        managers.len(),
        args.out.display()
    );
    Ok(())
}

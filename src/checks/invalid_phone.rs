//! `invalid-phone`, clause 6: a deal in work whose phones are all numbers
//! no one could call (too few digits, a code not in use). Whose numbering
//! plan decides is the rule's `country`; the readers judge each record's
//! phones as they read them, once for each country the rules ask for, and
//! each rule reads the judgement of its own.

use super::missing_phone::phones_checkable;
use super::shared::{fill, records_in_work};
use super::{Described, Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Entity, Sink, Value};
use crate::input::Wants;
use crate::model::{Dataset, PhoneState};
use crate::rules::RuleSet;

/// Whose numbering plan decides whether a phone is plausible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneCountry {
    /// Russia: 10 digits, or 11 starting with 7 or 8 (more digits: a foreign number).
    Ru,
    /// Any: at least 10 digits.
    Any,
}

impl PhoneCountry {
    /// Every numbering plan, in the order of `index`.
    pub const ALL: [PhoneCountry; 2] = [PhoneCountry::Ru, PhoneCountry::Any];

    /// Its place in `ALL` (and in `model::Phones`).
    pub const fn index(self) -> usize {
        match self {
            PhoneCountry::Ru => 0,
            PhoneCountry::Any => 1,
        }
    }
}

/// A deal in work whose phones are all implausible numbers.
#[derive(Debug, Clone)]
pub struct InvalidPhone {
    pub country: PhoneCountry,
}

/// `{phones}`: the phone cells as written.
const PHONES: Placeholder = Placeholder::new("phones");

impl Kind for InvalidPhone {
    const NAME: &'static str = "invalid-phone";
    const PARAMS: &'static [Param] = &[Param::new("country", Shape::Text), Param::new("leads", Shape::Flag)];
    const PLACEHOLDERS: &'static [Placeholder] = &[PHONES];

    fn compile(cx: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        let country = match cx
            .text("country")
            .map(|c| (c.get_ref().trim().to_ascii_lowercase(), c.span()))
        {
            None => PhoneCountry::Ru,
            Some((c, _)) if c == "ru" => PhoneCountry::Ru,
            Some((c, _)) if c == "any" => PhoneCountry::Any,
            Some((c, span)) => {
                return Err(cx.error(Some(span), format!("country `{c}`: use \"ru\" or \"any\"")));
            }
        };
        Ok(InvalidPhone { country })
    }

    fn describe(&self, _: &RuleSet, out: &mut Described) {
        let text = match self.country {
            PhoneCountry::Ru => "ru (10 digits, or 11 starting with 7 or 8; 12–15: foreign)",
            PhoneCountry::Any => "any (10 to 15 digits)",
        };
        out.push(("country".into(), text.into()));
    }

    fn needs(&self, needs: &mut Wants) {
        if !needs.phone_countries.contains(&self.country) {
            needs.phone_countries.push(self.country);
        }
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        invalid_phone(cx.data, self.country, cx.leads, sink);
    }
}

fn invalid_phone(data: &Dataset, country: PhoneCountry, leads: bool, sink: &mut Sink) {
    if !phones_checkable(data, leads, sink) {
        return;
    }
    for (i, deal) in records_in_work(data, leads) {
        if deal.phones.of(country) == PhoneState::Implausible {
            let phones = data.text(deal.implausible_phones);
            sink.violation(
                deal.manager,
                Entity::Deal(i),
                vec![fill(PHONES, Value::Text(phones.into()))],
            );
        }
    }
}

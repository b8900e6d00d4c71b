//! The call log as the outgoing-contacts count reads it, in one pass:
//! which days it spans and holds, whom it names, and per manager and day
//! asked about, whether they called and how many of their outgoing calls
//! count. A log of millions of calls was walked four times for these, each
//! walk as long as the log, on the thread that finished the rules last.

use crate::model::{Call, Dataset, ManagerId};
use crate::value::Direction;
use chrono::NaiveDate;

/// What the calls say, for the days asked about.
pub(super) struct CallSweep {
    /// The days asked about, in the rule's order.
    days: Vec<NaiveDate>,
    /// The first and last day of any call; `None` for no call.
    pub(super) span: Option<(NaiveDate, NaiveDate)>,
    /// Per manager (by ID): whether a call names them.
    named: Vec<bool>,
    /// Per manager, then per day asked about: `manager * days + day`.
    calls: Vec<DayCalls>,
}

/// A manager's calls on a day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct DayCalls {
    /// Any call of theirs, whatever its direction.
    any: bool,
    /// Outgoing calls that count as contacts.
    counted: u32,
    /// Outgoing calls that may count, the log not saying.
    maybe: u32,
}

impl CallSweep {
    /// Reads every call once; `counts` tells whether an outgoing one
    /// counts (`None`: the log does not say).
    pub(super) fn new(
        data: &Dataset,
        days: &[NaiveDate],
        counts: impl Fn(&Call) -> Option<bool>,
    ) -> CallSweep {
        let width = days.len();
        let mut sweep = CallSweep {
            days: days.to_vec(),
            span: None,
            named: vec![false; data.managers.len()],
            calls: vec![DayCalls::default(); data.managers.len() * width],
        };
        for call in &data.calls {
            let date = call.time.date();
            sweep.span = Some(match sweep.span {
                None => (date, date),
                Some((first, last)) => (first.min(date), last.max(date)),
            });
            let m = call.manager as usize;
            if m >= sweep.named.len() {
                sweep.named.resize(m + 1, false);
                sweep.calls.resize((m + 1) * width, DayCalls::default());
            }
            sweep.named[m] = true;
            let Some(k) = days.iter().position(|d| *d == date) else {
                continue;
            };
            let day = &mut sweep.calls[m * width + k];
            day.any = true;
            if call.direction == Direction::Outgoing {
                match counts(call) {
                    Some(true) => day.counted += 1,
                    Some(false) => {}
                    None => day.maybe += 1,
                }
            }
        }
        sweep
    }

    /// Whether any call falls on `day`; false for a day the sweep was not
    /// asked about, whatever its calls (`span` covers every day).
    pub(super) fn holds(&self, day: NaiveDate) -> bool {
        self.calling_on(day).next().is_some()
    }

    /// The managers some call names.
    pub(super) fn named(&self) -> impl Iterator<Item = ManagerId> + '_ {
        (self.named.iter().enumerate())
            .filter(|(_, &named)| named)
            .map(|(m, _)| m as ManagerId)
    }

    /// The managers with a call on `day`.
    pub(super) fn calling_on(&self, day: NaiveDate) -> impl Iterator<Item = ManagerId> + '_ {
        (self.per_manager(day).into_iter().flatten())
            .filter(|(_, c)| c.any)
            .map(|(m, _)| m)
    }

    /// Per manager with any on `day`: their outgoing calls counted, and
    /// those that may count.
    pub(super) fn outgoing_on(
        &self,
        day: NaiveDate,
    ) -> impl Iterator<Item = (ManagerId, u32, u32)> + '_ {
        (self.per_manager(day).into_iter().flatten())
            .filter(|(_, c)| c.counted > 0 || c.maybe > 0)
            .map(|(m, c)| (m, c.counted, c.maybe))
    }

    /// Each manager's calls on `day`; `None` for a day not asked about.
    fn per_manager(
        &self,
        day: NaiveDate,
    ) -> Option<impl Iterator<Item = (ManagerId, &DayCalls)> + '_> {
        let k = self.days.iter().position(|d| *d == day)?;
        let width = self.days.len();
        Some(
            (self.calls.iter().skip(k).step_by(width))
                .enumerate()
                .map(|(m, c)| (m as ManagerId, c)),
        )
    }
}

#[cfg(test)]
#[path = "daily_count_calls_tests.rs"]
mod tests;

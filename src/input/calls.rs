//! Call rows → `Call`. A call without a time or a direction cannot be
//! counted for any day: it is skipped with that reason, never guessed.
//!
//! Whose call it is: a telephony log names the caller of an outgoing call
//! (`Откуда`) and who answered an incoming one (`Кто ответил`), often as an
//! extension number that the roster turns into a person; a generic log
//! names the manager. An extension the roster does not know is no one's:
//! the call is skipped with that reason and kept aside, so the quota is not
//! judged on a day whose calls could not all be attributed.

use super::row::Row;
use super::{memo, Loader};
use crate::model::{Call, FileId};
use crate::rules::columns::CallField;
use crate::value::{self, Direction};

pub(super) fn read(
    loader: &mut Loader,
    row: &Row,
    file: FileId,
    keep_deal_ids: bool,
) -> anyhow::Result<Option<String>> {
    let Some(time) = row.moment(CallField::Time.index())? else {
        return Ok(Some("call without a time".into()));
    };
    let direction_text = row.text(CallField::Direction.index());
    let direction = memo(&mut loader.memo.directions, &direction_text, || {
        row.parsed(CallField::Direction.index(), value::parse_direction)
    })?;
    let Some(direction) = direction else {
        return Ok(Some("call without a direction".into()));
    };
    let answered = if loader.needs.call_status && row.has(CallField::Status.index()) {
        Some(is_answered(&row.text(CallField::Status.index())))
    } else {
        None
    };
    let duration = if loader.needs.call_duration {
        row.seconds(CallField::Duration.index())?
    } else {
        None
    };
    let employee_field = match direction {
        Direction::Incoming => CallField::AnsweredBy,
        Direction::Outgoing | Direction::Internal => CallField::From,
    };
    let employee = match row.text(employee_field.index()) {
        e if e.is_empty() => row.text(CallField::Manager.index()),
        e => e,
    };
    let is_extension = !employee.is_empty() && employee.bytes().all(|b| b.is_ascii_digit());
    if is_extension && loader.rules.roster.find(&employee).is_none() {
        if direction == Direction::Outgoing {
            loader
                .data
                .unattributed_calls
                .push((time.start().date(), employee.as_ref().into()));
        }
        return Ok(Some(format!(
            "extension {employee} is not in the managers roster"
        )));
    }
    let call = Call {
        time: time.start(),
        manager: loader.manager(&employee),
        direction,
        answered,
        duration,
        file,
    };
    if keep_deal_ids {
        let deal = row.text(CallField::DealId.index());
        if !deal.is_empty() {
            *loader
                .data
                .call_deal_ids
                .entry(deal.as_ref().into())
                .or_default() += 1;
        }
    }
    loader.data.calls.push(call);
    Ok(None)
}

/// `Отвечен`, `Отвеченный`, `answered`, `success`: the call got through.
fn is_answered(status: &str) -> bool {
    let s = status.trim().to_lowercase();
    s.starts_with("отвечен") || s == "answered" || s == "success" || s == "успешный"
}

#[cfg(test)]
mod tests {
    #[test]
    fn answered_statuses() {
        assert!(super::is_answered("Отвечен"));
        assert!(super::is_answered("answered"));
        assert!(!super::is_answered("Не отвечен"));
        assert!(!super::is_answered("Занято"));
    }
}

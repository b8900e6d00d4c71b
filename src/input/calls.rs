//! Call rows → `Call`. A call without a time or a direction cannot be
//! counted for any day: it is skipped with that reason, never guessed.

use super::row::Row;
use super::Loader;
use crate::model::Call;
use crate::rules::columns::CallField;
use crate::value;

pub(super) fn read(loader: &mut Loader, row: &Row) -> anyhow::Result<Option<String>> {
    let Some(time) = row.moment(CallField::Time.index())? else {
        return Ok(Some("call without a time".into()));
    };
    let Some(direction) = row.parsed(CallField::Direction.index(), value::parse_direction)? else {
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
    let call = Call {
        time: time.start(),
        manager: loader.manager(&row.text(CallField::Manager.index())),
        direction,
        answered,
        duration,
    };
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

//! What the CRM pulls (amoCRM's, Bitrix24's) share: the files their
//! snapshot holds, and what a pull asks for.

use chrono::{DateTime, Utc};

pub const DEALS_FILE: &str = "deals.csv";
pub const TASKS_FILE: &str = "tasks.csv";
pub const CALLS_FILE: &str = "calls.csv";
pub const DEFAULT_DAYS: u32 = 45;

/// What a pull asks for.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Completed tasks and calls of the last `days` days.
    pub days: u32,
    pub now: DateTime<Utc>,
}

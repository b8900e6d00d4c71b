//! When a failed request is tried again, and how long to wait first:
//! bounded in attempts and in total time, exponential backoff, and a
//! server's `Retry-After` honoured, never undercut. A server that asks for
//! a longer pause than the cap is not hammered early (amoCRM answers
//! repeated excess with a block): the pull gives up and says so.

use std::time::Duration;

/// How a client retries.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: no retry).
    pub retries: u32,
    /// The first backoff; each next one doubles.
    pub base_delay: Duration,
    /// The longest single wait, backoff or `Retry-After`.
    pub max_delay: Duration,
    /// The longest time all waits of one request may add up to.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            retries: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_total_wait: Duration::from_secs(300),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Stop: the reason, for the error message.
    GiveUp(String),
}

/// Statuses worth another try: rate-limited, or a gateway or server that
/// is briefly unavailable.
pub fn is_transient_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// `Retry-After` in seconds; the HTTP-date form (which no API here sends)
/// gives `None`, and the backoff applies.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

impl RetryPolicy {
    /// After the failed attempt number `attempt` (1 the first) of a
    /// transient failure, having waited `waited` so far: wait or give up.
    pub fn decide(
        &self,
        attempt: u32,
        waited: Duration,
        retry_after: Option<Duration>,
    ) -> Decision {
        if attempt > self.retries {
            return Decision::GiveUp(format!("after {attempt} attempts"));
        }
        let delay = match retry_after {
            Some(asked) if asked > self.max_delay => {
                return Decision::GiveUp(format!(
                    "the server asks to wait {} s, longer than the {} s crm-audit waits",
                    asked.as_secs(),
                    self.max_delay.as_secs()
                ));
            }
            Some(asked) => asked,
            None => self
                .base_delay
                .saturating_mul(1u32 << (attempt - 1).min(16))
                .min(self.max_delay),
        };
        if waited + delay > self.max_total_wait {
            return Decision::GiveUp(format!(
                "after {attempt} attempts and {} s of waiting",
                waited.as_secs()
            ));
        }
        Decision::RetryAfter(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn backoff_doubles_then_stops() {
        let policy = RetryPolicy::default();
        let waits: Vec<Decision> = (1..=5).map(|a| policy.decide(a, secs(0), None)).collect();
        assert_eq!(
            waits,
            [
                Decision::RetryAfter(secs(1)),
                Decision::RetryAfter(secs(2)),
                Decision::RetryAfter(secs(4)),
                Decision::RetryAfter(secs(8)),
                Decision::GiveUp("after 5 attempts".into()),
            ]
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(1, secs(0), Some(secs(7))),
            Decision::RetryAfter(secs(7))
        );
        assert!(matches!(
            policy.decide(1, secs(0), Some(secs(3600))),
            Decision::GiveUp(reason) if reason.contains("wait 3600 s")
        ));
    }

    #[test]
    fn the_total_wait_is_bounded() {
        let policy = RetryPolicy::default();
        assert!(matches!(
            policy.decide(2, secs(290), Some(secs(30))),
            Decision::GiveUp(_)
        ));
    }

    #[test]
    fn retry_after_in_seconds_only() {
        assert_eq!(parse_retry_after(" 1 "), Some(secs(1)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert!(is_transient_status(429) && is_transient_status(503));
        assert!(!is_transient_status(500) && !is_transient_status(401));
    }
}

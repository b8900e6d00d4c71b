//! A per-source request-rate limit: requests are spaced at least
//! `1 / rate` apart, so a pull stays under the API's published limit
//! (amoCRM 7 requests a second, Bitrix24 2) instead of learning it from a
//! 429 or, worse, an account block.

use std::time::{Duration, Instant};

/// The documented limits, requests per second.
pub const AMOCRM_PER_SECOND: u32 = 7;
pub const BITRIX24_PER_SECOND: u32 = 2;
/// Sipuni publishes none; one a second is what a nightly export needs.
pub const SIPUNI_PER_SECOND: u32 = 1;

/// Spaces requests evenly: at most `per_second` starts in any second.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Option<Instant>,
}

impl RateLimiter {
    /// A limiter for `per_second` requests a second (at least one).
    pub fn per_second(per_second: u32) -> RateLimiter {
        RateLimiter {
            interval: Duration::from_secs(1) / per_second.max(1),
            next: None,
        }
    }

    /// How long the next request must wait from `now`, and books its slot.
    /// The wait is at most one interval: the limiter never sleeps longer.
    pub fn reserve(&mut self, now: Instant) -> Duration {
        let start = match self.next {
            Some(next) if next > now => next,
            _ => now,
        };
        self.next = Some(start + self.interval);
        start - now
    }

    /// Waits until the next request may start.
    pub fn wait(&mut self) {
        let wait = self.reserve(Instant::now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_spaced_by_the_rate() {
        // 2 a second: the first goes at once, the next two wait 500 ms and
        // 1 s from the same moment; a request after a quiet spell goes at once.
        let mut limiter = RateLimiter::per_second(2);
        let t0 = Instant::now();
        assert_eq!(limiter.reserve(t0), Duration::ZERO);
        assert_eq!(limiter.reserve(t0), Duration::from_millis(500));
        assert_eq!(limiter.reserve(t0), Duration::from_millis(1000));
        let later = t0 + Duration::from_secs(5);
        assert_eq!(limiter.reserve(later), Duration::ZERO);
    }

    #[test]
    fn seven_a_second_is_about_143_ms_apart() {
        let mut limiter = RateLimiter::per_second(AMOCRM_PER_SECOND);
        let t0 = Instant::now();
        limiter.reserve(t0);
        let wait = limiter.reserve(t0);
        assert!(wait >= Duration::from_millis(142) && wait <= Duration::from_millis(143));
    }
}

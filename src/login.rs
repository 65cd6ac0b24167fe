//! The sign-in throttle: after 5 failed attempts for one account within 15 minutes the
//! account is locked for 15 minutes (SEED-ACCT-06). Attempts are counted per login name,
//! whether or not an account exists under it, so the answers never reveal which accounts
//! exist.

use chrono::{DateTime, Duration, Utc};

/// Throttle settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures within [`LoginThrottle::window`] that trigger a lock.
    pub max_failures: u32,
    /// How far back failures count.
    pub window: Duration,
    /// How long a lock lasts.
    pub lockout: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            max_failures: 5,
            window: Duration::minutes(15),
            lockout: Duration::minutes(15),
        }
    }
}

impl LoginThrottle {
    /// The oldest failure instant that still counts at `now`.
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// Given the number of failures inside the window (including the one just recorded),
    /// returns until when the account is locked, if it now is.
    pub fn lock_after_failure(
        &self,
        failures_in_window: u32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        (failures_in_window >= self.max_failures).then(|| now + self.lockout)
    }

    /// Whether a lock that lasts until `locked_until` still holds at `now`.
    pub fn is_locked(locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        locked_until.is_some_and(|until| now < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
    }

    #[test]
    fn four_failures_do_not_lock_the_fifth_does() {
        let th = LoginThrottle::default();
        assert_eq!(th.lock_after_failure(4, t0()), None);
        assert_eq!(
            th.lock_after_failure(5, t0()),
            Some(t0() + Duration::minutes(15))
        );
    }

    #[test]
    fn a_lock_expires_exactly_at_its_end() {
        let until = Some(t0() + Duration::minutes(15));
        assert!(LoginThrottle::is_locked(until, t0()));
        assert!(LoginThrottle::is_locked(
            until,
            t0() + Duration::seconds(899)
        ));
        assert!(!LoginThrottle::is_locked(
            until,
            t0() + Duration::minutes(15)
        ));
        assert!(!LoginThrottle::is_locked(None, t0()));
    }

    #[test]
    fn the_window_reaches_back_fifteen_minutes() {
        assert_eq!(
            LoginThrottle::default().window_start(t0()),
            t0() - Duration::minutes(15)
        );
    }
}

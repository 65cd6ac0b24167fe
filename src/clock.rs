//! The time source port. The domain never reads the system clock; the server injects a
//! [`Clock`] so that tests can drive time explicitly (lockout expiry, SLA clocks).

use chrono::{DateTime, Utc};

/// Something that tells the current instant.
pub trait Clock: Send + Sync {
    /// The current instant in UTC.
    fn now(&self) -> DateTime<Utc>;
}

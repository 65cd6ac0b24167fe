//! The customer self-service portal's rules: phone verification codes (register, reset a
//! password), the customers' password rule, mainland mobile numbers, and rate limits on
//! registration, verification and sign-in. Attachments and the customer-visible ticket
//! timeline live in the submodules. Pure: codes and times come in as parameters.

pub mod attachment;
pub mod timeline;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

coded_enum!(
    /// What a verification code proves.
    CodePurpose {
        /// Registering (or activating an account staff created).
        Register = "register",
        /// Resetting a forgotten password.
        Reset = "reset",
    }
);

/// How long a code is valid.
pub const CODE_TTL_MINUTES: i64 = 10;
/// Wrong entries before a code is dead.
pub const MAX_CODE_ATTEMPTS: u32 = 5;

/// A code sent to a phone, as stored (the code itself only as a hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationCode {
    /// The number it was sent to (national form).
    pub phone: String,
    /// What it is for.
    pub purpose: CodePurpose,
    /// [`hash_code`] of the code.
    pub code_hash: String,
    /// Sent at.
    pub created_at: DateTime<Utc>,
    /// Invalid after.
    pub expires_at: DateTime<Utc>,
    /// Wrong entries so far.
    pub attempts: u32,
    /// Used (a code works once).
    pub consumed: bool,
}

impl VerificationCode {
    /// A fresh code for `phone`; `random` supplies the digits (the caller's RNG).
    pub fn issue(
        phone: &str,
        purpose: CodePurpose,
        random: u32,
        now: DateTime<Utc>,
    ) -> (VerificationCode, String) {
        let code = format!("{:06}", random % 1_000_000);
        let stored = VerificationCode {
            phone: phone.to_owned(),
            purpose,
            code_hash: hash_code(phone, purpose, &code),
            created_at: now,
            expires_at: now + Duration::minutes(CODE_TTL_MINUTES),
            attempts: 0,
            consumed: false,
        };
        (stored, code)
    }

    /// Checks an entered code. A wrong code counts an attempt (the caller stores it).
    pub fn check(&self, entered: &str, now: DateTime<Utc>) -> Result<(), CodeError> {
        if self.consumed {
            return Err(CodeError::NotRequested);
        }
        if now >= self.expires_at {
            return Err(CodeError::Expired);
        }
        if self.attempts >= MAX_CODE_ATTEMPTS {
            return Err(CodeError::TooManyAttempts);
        }
        let entered = entered.trim();
        if entered.len() != 6 || !entered.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::Malformed);
        }
        if hash_code(&self.phone, self.purpose, entered) != self.code_hash {
            return Err(CodeError::Wrong);
        }
        Ok(())
    }
}

/// The stored form of a code: SHA-256 over phone, purpose and code, hex.
pub fn hash_code(phone: &str, purpose: CodePurpose, code: &str) -> String {
    let mut h = Sha256::new();
    h.update(phone.as_bytes());
    h.update(b"\0");
    h.update(purpose.code().as_bytes());
    h.update(b"\0");
    h.update(code.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Why an entered code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum CodeError {
    /// No code was sent to this number for this purpose (or it was used already).
    #[error("no code requested")]
    NotRequested,
    /// Older than [`CODE_TTL_MINUTES`].
    #[error("code expired")]
    Expired,
    /// [`MAX_CODE_ATTEMPTS`] wrong entries.
    #[error("too many wrong codes")]
    TooManyAttempts,
    /// Not six digits.
    #[error("code malformed")]
    Malformed,
    /// Does not match.
    #[error("wrong code")]
    Wrong,
}

/// Why a mobile number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum PhoneError {
    /// Empty.
    #[error("phone missing")]
    Empty,
    /// Not a mainland mobile number (11 digits starting 13–19).
    #[error("not a mobile number")]
    NotMobile,
}

/// A mainland mobile number in national form: `+86`/`0086` prefixes, spaces and dashes
/// removed; 11 digits starting `1[3-9]`.
pub fn mobile(input: &str) -> Result<String, PhoneError> {
    let digits: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    if digits.is_empty() {
        return Err(PhoneError::Empty);
    }
    let national = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    let b = national.as_bytes();
    let ok = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    if ok {
        Ok(national.to_owned())
    } else {
        Err(PhoneError::NotMobile)
    }
}

pub use crate::password::{PasswordError, MAX_LEN as MAX_PASSWORD, MIN_CUSTOMER as MIN_PASSWORD};

/// The customers' password rule (see [`crate::password::check_customer`]).
pub fn check_password(password: &str, phone: &str) -> Result<(), PasswordError> {
    crate::password::check_customer(password, phone)
}

coded_enum!(
    /// What a rate limit counts.
    RateBucket {
        /// Codes sent to one number.
        CodePerPhone = "code_phone",
        /// Codes requested from one address.
        CodePerIp = "code_ip",
        /// Code entries for one number.
        VerifyPerPhone = "verify_phone",
        /// Sign-in attempts from one address.
        SignInPerIp = "sign_in_ip",
    }
);

/// A limit: at most `limit` hits in a sliding `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRule {
    /// What it counts.
    pub bucket: RateBucket,
    /// Hits allowed in the window.
    pub limit: u32,
    /// Window length.
    pub window_seconds: i64,
}

impl RateRule {
    /// The seed rules: a code per number per minute and 5 per hour; 20 codes per address
    /// per hour; 10 code entries per number per hour; 300 sign-ins per address per 15 min
    /// (a whole shift of agents may sign in from behind one address).
    pub fn defaults(bucket: RateBucket) -> Vec<RateRule> {
        let r = |limit, window_seconds| RateRule {
            bucket,
            limit,
            window_seconds,
        };
        match bucket {
            RateBucket::CodePerPhone => vec![r(1, 60), r(5, 3600)],
            RateBucket::CodePerIp => vec![r(20, 3600)],
            RateBucket::VerifyPerPhone => vec![r(10, 3600)],
            RateBucket::SignInPerIp => vec![r(300, 900)],
        }
    }

    /// The window.
    pub fn window(&self) -> Duration {
        Duration::seconds(self.window_seconds)
    }

    /// Given the earlier hits of the key (any order), whether one more is allowed now;
    /// `Err(retry_at)` when not.
    pub fn decide(&self, hits: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let start = now - self.window();
        let mut inside: Vec<DateTime<Utc>> = hits.iter().copied().filter(|h| *h > start).collect();
        if (inside.len() as u64) < u64::from(self.limit) {
            return Ok(());
        }
        inside.sort();
        // The hit that has to leave the window before another fits.
        let blocking = inside[inside.len() - self.limit as usize];
        Err(blocking + self.window())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn codes_verify_once_within_their_time_and_attempts() {
        let now = at("2026-11-23T10:00:00Z");
        let (mut c, code) = VerificationCode::issue("13800000001", CodePurpose::Register, 42, now);
        assert_eq!(code, "000042");
        assert_ne!(c.code_hash, code, "only the hash is stored");
        assert_eq!(c.check("000042", now), Ok(()));
        assert_eq!(c.check(" 000042 ", now), Ok(()));
        assert_eq!(c.check("000043", now), Err(CodeError::Wrong));
        assert_eq!(c.check("42", now), Err(CodeError::Malformed));
        assert_eq!(
            c.check("000042", now + Duration::minutes(CODE_TTL_MINUTES)),
            Err(CodeError::Expired)
        );
        // A code for registering does not reset a password.
        let reset = VerificationCode {
            purpose: CodePurpose::Reset,
            ..c.clone()
        };
        assert_eq!(reset.check("000042", now), Err(CodeError::Wrong));
        c.attempts = MAX_CODE_ATTEMPTS;
        assert_eq!(c.check("000042", now), Err(CodeError::TooManyAttempts));
        c.attempts = 0;
        c.consumed = true;
        assert_eq!(c.check("000042", now), Err(CodeError::NotRequested));
        let (_, big) =
            VerificationCode::issue("13800000001", CodePurpose::Reset, 4_123_456_789, now);
        assert_eq!(big, "456789");
    }

    #[test]
    fn mobile_numbers_are_normalised_and_checked() {
        assert_eq!(mobile("+86 138-0000-0001").as_deref(), Ok("13800000001"));
        assert_eq!(mobile("008613800000001").as_deref(), Ok("13800000001"));
        assert_eq!(mobile(""), Err(PhoneError::Empty));
        assert_eq!(mobile("12800000001"), Err(PhoneError::NotMobile));
        assert_eq!(mobile("1380000000"), Err(PhoneError::NotMobile));
        assert_eq!(mobile("010-12345678"), Err(PhoneError::NotMobile));
        assert_eq!(mobile("1380000000a"), Err(PhoneError::NotMobile));
    }

    #[test]
    fn password_rule() {
        let p = "13800000001";
        assert_eq!(check_password("abc123xy", p), Ok(()));
        assert_eq!(check_password("密码abc12345", p), Ok(()));
        assert_eq!(
            check_password("abc12", p),
            Err(PasswordError::TooShort { min: 8 })
        );
        assert_eq!(
            check_password("abcdefghij", p),
            Err(PasswordError::NeedsLettersAndDigits)
        );
        assert_eq!(
            check_password("1234567890", p),
            Err(PasswordError::NeedsLettersAndDigits)
        );
        assert_eq!(check_password("x00000001", p), Err(PasswordError::IsPhone));
        assert_eq!(
            check_password(&"a1".repeat(65), p),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn rate_rules_slide_and_say_when_to_retry() {
        let now = at("2026-11-23T10:00:00Z");
        let per_minute = RateRule::defaults(RateBucket::CodePerPhone)[0];
        assert_eq!(per_minute.decide(&[], now), Ok(()));
        let last = now - Duration::seconds(20);
        assert_eq!(
            per_minute.decide(&[last], now),
            Err(last + Duration::seconds(60))
        );
        assert_eq!(
            per_minute.decide(&[now - Duration::seconds(60)], now),
            Ok(())
        );
        let hourly = RateRule::defaults(RateBucket::CodePerPhone)[1];
        let hits: Vec<_> = (1..=5).map(|m| now - Duration::minutes(m * 10)).collect();
        // The oldest of the five (50 min ago) leaves the window in 10 minutes.
        assert_eq!(hourly.decide(&hits, now), Err(now + Duration::minutes(10)));
        assert_eq!(hourly.decide(&hits[..4], now), Ok(()));
    }
}

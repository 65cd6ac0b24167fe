//! Password rules and the account lifecycle (DESIGN §5, SEED-SEC-05/13): how strong a new
//! password must be for staff and for customers, when a staff password expires or may be
//! changed again, how many earlier passwords it must differ from, and when an unused staff
//! account is disabled. Pure: the store keeps the dates, these functions decide.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::user::Role;

/// Shortest customer password.
pub const MIN_CUSTOMER: usize = 8;
/// Shortest staff password.
pub const MIN_STAFF: usize = 10;
/// Longest password (argon2 input bound).
pub const MAX_LEN: usize = 128;

/// Why a new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum PasswordError {
    /// Shorter than the role's minimum ([`MIN_CUSTOMER`], [`MIN_STAFF`]).
    #[error("password shorter than {min} characters")]
    TooShort {
        /// The minimum.
        min: usize,
    },
    /// More than [`MAX_LEN`] characters.
    #[error("password too long")]
    TooLong,
    /// Customers: needs at least one letter and one digit.
    #[error("password needs letters and digits")]
    NeedsLettersAndDigits,
    /// Staff: needs three of lower-case letters, upper-case letters, digits and symbols.
    #[error("password needs three kinds of characters")]
    NeedsThreeKinds,
    /// The phone number (or its last 8 digits) is not a password.
    #[error("password is the phone number")]
    IsPhone,
    /// Staff: the username is not a password.
    #[error("password contains the username")]
    ContainsName,
    /// The new password is the current one or one of the previous ones.
    #[error("password used before")]
    Reused,
}

/// The customers' rule: 8–128 characters, letters and digits, not the phone number.
pub fn check_customer(password: &str, phone: &str) -> Result<(), PasswordError> {
    check_length(password, MIN_CUSTOMER)?;
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !(letters && digits) {
        return Err(PasswordError::NeedsLettersAndDigits);
    }
    // The number's last 8 characters (whole characters: the input may be anything).
    let skip = phone.chars().count().saturating_sub(8);
    let tail: String = phone.chars().skip(skip).collect();
    if !tail.is_empty() && password.contains(&tail) {
        return Err(PasswordError::IsPhone);
    }
    Ok(())
}

/// The staff rule: 10–128 characters of at least three kinds (lower case, upper case,
/// digits, anything else), not containing the username (case-insensitive).
pub fn check_staff(password: &str, username: &str) -> Result<(), PasswordError> {
    check_length(password, MIN_STAFF)?;
    let kinds = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 3 {
        return Err(PasswordError::NeedsThreeKinds);
    }
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && password.to_lowercase().contains(&name) {
        return Err(PasswordError::ContainsName);
    }
    Ok(())
}

/// The rule for a role: staff or customer. `login` is the username or the phone number.
pub fn check_for(role: Role, password: &str, login: &str) -> Result<(), PasswordError> {
    if role.is_staff() {
        check_staff(password, login)
    } else {
        check_customer(password, login)
    }
}

fn check_length(password: &str, min: usize) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < min {
        return Err(PasswordError::TooShort { min });
    }
    if n > MAX_LEN {
        return Err(PasswordError::TooLong);
    }
    Ok(())
}

/// Why a password must be changed before its owner may work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeReason {
    /// Older than the maximum age.
    Expired,
    /// Set by an administrator (a reset or a new account): the owner chooses their own.
    Reset,
}

/// Why a staff account is disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisabledReason {
    /// Not used for [`PasswordPolicy::inactivity`].
    Inactive,
    /// Disabled by an administrator.
    Admin,
}

impl DisabledReason {
    /// Stable storage code.
    pub fn code(self) -> &'static str {
        match self {
            DisabledReason::Inactive => "inactive",
            DisabledReason::Admin => "admin",
        }
    }

    /// The reason for a stored code.
    pub fn from_code(code: &str) -> Option<DisabledReason> {
        [DisabledReason::Inactive, DisabledReason::Admin]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// A password's dates as the store keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordAge {
    /// When the password was set (the account's creation for the first one).
    pub changed_at: DateTime<Utc>,
    /// An administrator set it; the owner must choose a new one at next sign-in.
    pub must_change: bool,
}

/// The staff password and account lifecycle (SEED-SEC-05): expiry after 3 months, no new
/// change within 5 days, no reuse of the last 5, accounts unused for 30 days disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// A staff password older than this must be changed at the next sign-in.
    pub max_age: Duration,
    /// A staff password younger than this cannot be changed again (unless it must be).
    pub min_age: Duration,
    /// A new password must differ from this many: the current one and the ones before it.
    pub history: usize,
    /// Staff accounts not used for this long are disabled.
    pub inactivity: Duration,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            max_age: Duration::days(90),
            min_age: Duration::days(5),
            history: 5,
            inactivity: Duration::days(30),
        }
    }
}

impl PasswordPolicy {
    /// Whether (and why) the owner must change the password before working. Customers'
    /// passwords do not expire; a reset applies to everyone.
    pub fn change_required(
        &self,
        role: Role,
        age: PasswordAge,
        now: DateTime<Utc>,
    ) -> Option<ChangeReason> {
        if age.must_change {
            Some(ChangeReason::Reset)
        } else if role.is_staff() && now >= self.expires_at(age) {
            Some(ChangeReason::Expired)
        } else {
            None
        }
    }

    /// When a staff password expires.
    pub fn expires_at(&self, age: PasswordAge) -> DateTime<Utc> {
        age.changed_at + self.max_age
    }

    /// Whether the owner may choose a new password now: `Err(earliest)` while a staff
    /// password is younger than the minimum age and no change is required.
    pub fn may_change(
        &self,
        role: Role,
        age: PasswordAge,
        now: DateTime<Utc>,
    ) -> Result<(), DateTime<Utc>> {
        let earliest = age.changed_at + self.min_age;
        if role.is_staff() && now < earliest && self.change_required(role, age, now).is_none() {
            Err(earliest)
        } else {
            Ok(())
        }
    }

    /// How many earlier hashes a role keeps besides the current one (customers: none).
    pub fn kept_history(&self, role: Role) -> usize {
        if role.is_staff() {
            self.history.saturating_sub(1)
        } else {
            0
        }
    }

    /// Staff whose last use (sign-in, creation or re-enabling) is before this are disabled.
    pub fn inactive_before(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.inactivity
    }

    /// Whether an account last used at `last_used` is inactive at `now`.
    pub fn is_inactive(&self, role: Role, last_used: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        role.is_staff() && last_used < self.inactive_before(now)
    }
}

/// A temporary password an administrator hands over: 14 characters of all four kinds from
/// an alphabet without look-alikes, drawn from the given random bytes (at least 14).
pub fn temporary_from(random: &[u8]) -> String {
    const SETS: [&[u8]; 4] = [
        b"abcdefghijkmnpqrstuvwxyz",
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"23456789",
        b"#%+=-!?",
    ];
    random
        .iter()
        .take(14)
        .enumerate()
        .map(|(i, b)| {
            // The first four positions take one of each kind; the rest mix letters and digits.
            let set = if i < 4 {
                SETS[i]
            } else {
                SETS[usize::from(*b) % 3]
            };
            char::from(set[usize::from(*b / 3) % set.len()])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(i64::from(day))
    }

    #[test]
    fn staff_strength_table() {
        use PasswordError::*;
        let long = "Aa1".repeat(43);
        let cases: [(&str, Result<(), PasswordError>); 9] = [
            ("Short1!", Err(TooShort { min: 10 })),
            ("alllowercaseletters", Err(NeedsThreeKinds)),
            ("lowercase123456", Err(NeedsThreeKinds)),
            ("Lowercase123456", Ok(())),
            ("lowercase-123456", Ok(())),
            ("LOWER-case-only", Ok(())),
            ("xLiNa-1234567", Err(ContainsName)),
            ("密码Abc12345678", Ok(())),
            (long.as_str(), Err(TooLong)),
        ];
        for (password, want) in cases {
            assert_eq!(check_staff(password, "LiNa"), want, "{password}");
        }
        // Short usernames are not searched for (every password would contain "a").
        assert_eq!(check_staff("Abcdefgh12", "ab"), Ok(()));
    }

    #[test]
    fn customer_strength_table() {
        assert_eq!(check_customer("abc12345", "13800000001"), Ok(()));
        assert_eq!(
            check_customer("abc1234", ""),
            Err(PasswordError::TooShort { min: 8 })
        );
        assert_eq!(
            check_customer("abcdefgh", ""),
            Err(PasswordError::NeedsLettersAndDigits)
        );
        assert_eq!(
            check_customer("x00000001", "13800000001"),
            Err(PasswordError::IsPhone)
        );
        assert_eq!(check_for(Role::Customer, "abc12345", "138"), Ok(()));
        // Found by fuzzing: a non-ASCII "number" is cut on character boundaries.
        assert_eq!(
            check_customer("密码abc12345", "电话号码一二三四五六七八"),
            Ok(())
        );
        assert_eq!(
            check_customer("x一二三四五六七八1", "电话号码一二三四五六七八"),
            Err(PasswordError::IsPhone)
        );
        assert_eq!(
            check_for(Role::Agent, "abc12345", "li"),
            Err(PasswordError::TooShort { min: 10 })
        );
    }

    #[test]
    fn expiry_and_minimum_age() {
        let p = PasswordPolicy::default();
        let age = PasswordAge {
            changed_at: t(0),
            must_change: false,
        };
        assert_eq!(p.change_required(Role::Agent, age, t(89)), None);
        assert_eq!(
            p.change_required(Role::Agent, age, t(90)),
            Some(ChangeReason::Expired)
        );
        assert_eq!(p.change_required(Role::Customer, age, t(900)), None);
        // Within 5 days: refused with the earliest moment; afterwards allowed.
        assert_eq!(p.may_change(Role::Admin, age, t(4)), Err(t(5)));
        assert_eq!(p.may_change(Role::Admin, age, t(5)), Ok(()));
        assert_eq!(p.may_change(Role::Customer, age, t(0)), Ok(()));
        // A reset must be changed at once, minimum age or not.
        let reset = PasswordAge {
            must_change: true,
            ..age
        };
        assert_eq!(
            p.change_required(Role::Customer, reset, t(1)),
            Some(ChangeReason::Reset)
        );
        assert_eq!(p.may_change(Role::Agent, reset, t(1)), Ok(()));
        assert_eq!(p.kept_history(Role::Agent), 4);
        assert_eq!(p.kept_history(Role::Customer), 0);
    }

    #[test]
    fn inactivity() {
        let p = PasswordPolicy::default();
        assert!(!p.is_inactive(Role::Agent, t(0), t(30)));
        assert!(p.is_inactive(Role::Agent, t(0), t(30) + Duration::seconds(1)));
        assert!(!p.is_inactive(Role::Customer, t(0), t(300)));
        assert_eq!(
            DisabledReason::from_code(DisabledReason::Inactive.code()),
            Some(DisabledReason::Inactive)
        );
        assert_eq!(DisabledReason::from_code("x"), None);
    }

    #[test]
    fn temporary_passwords_pass_the_staff_rule() {
        for seed in 0u8..=255 {
            let bytes: Vec<u8> = (0..14u8)
                .map(|i| seed.wrapping_mul(31).wrapping_add(i.wrapping_mul(17)))
                .collect();
            let pw = temporary_from(&bytes);
            assert_eq!(pw.chars().count(), 14);
            assert_eq!(check_staff(&pw, "someone"), Ok(()), "{pw}");
        }
    }
}

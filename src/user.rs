//! Users, roles, departments and login names.
//!
//! Staff sign in with a username; customers sign in with their mobile number. Every staff
//! user belongs to exactly one department; customers belong to none.

use crate::locale::Locale;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// Identifies a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserId(pub Uuid);

/// Identifies a department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DepartmentId(pub Uuid);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for DepartmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a user is allowed to be. Stored as TEXT with a CHECK constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A customer using the self-service portal.
    Customer,
    /// A hotline agent or back-office handler (department decides which).
    Agent,
    /// A supervisor (班长 / 质检).
    Supervisor,
    /// An administrator.
    Admin,
}

/// A role code that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Customer, Role::Agent, Role::Supervisor, Role::Admin];

    /// The stable code used in storage and APIs.
    pub fn code(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    /// Staff are everyone but customers.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Customer)
    }

    /// Where the role lands after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Customer => "/portal",
            Role::Agent => "/agent",
            Role::Supervisor => "/supervisor",
            Role::Admin => "/admin",
        }
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A department (客服中心, 计费, …) with its stable code and names in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Identifier.
    pub id: DepartmentId,
    /// Stable code, e.g. `billing`.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
}

impl Department {
    /// The name in the given language.
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => &self.name_zh,
            Locale::En => &self.name_en,
        }
    }
}

/// A user account as the rest of the system sees it (the password hash is kept apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Staff username (lower case); `None` for customers.
    pub username: Option<String>,
    /// Mobile number in national form (11 digits); customers sign in with it.
    pub phone: Option<String>,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Department; set exactly for staff.
    pub department_id: Option<DepartmentId>,
    /// The user's chosen UI language, if they chose one.
    pub locale: Option<Locale>,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
}

/// What someone typed into the "username or phone" box, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LoginName {
    /// A staff username (trimmed, lower case).
    Username(String),
    /// A mainland mobile number, national form (`+86`, spaces and dashes removed).
    Phone(String),
}

/// Why a login name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LoginNameError {
    /// Nothing was typed.
    #[error("login name is empty")]
    Empty,
    /// Longer than 64 characters.
    #[error("login name is too long")]
    TooLong,
}

impl LoginName {
    /// Normalises input: anything that looks like a mobile number becomes [`LoginName::Phone`],
    /// everything else a lower-case [`LoginName::Username`].
    pub fn parse(input: &str) -> Result<LoginName, LoginNameError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(LoginNameError::Empty);
        }
        if let Some(phone) = normalize_mobile(trimmed) {
            return Ok(LoginName::Phone(phone));
        }
        // Checked after lower-casing, which can lengthen a string (e.g. 'İ').
        let username = trimmed.to_lowercase();
        if username.chars().count() > 64 {
            return Err(LoginNameError::TooLong);
        }
        Ok(LoginName::Username(username))
    }

    /// The key used for throttling: one per account, independent of how it was typed.
    pub fn throttle_key(&self) -> String {
        match self {
            LoginName::Username(u) => format!("u:{u}"),
            LoginName::Phone(p) => format!("p:{p}"),
        }
    }
}

/// Normalises a mainland mobile number (`+86 138-0000-0001` → `13800000001`); `None` if the
/// input is not one.
pub fn normalize_mobile(input: &str) -> Option<String> {
    let mut digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    if let Some(rest) = digits.strip_prefix("+86") {
        digits = rest.to_owned();
    } else if let Some(rest) = digits.strip_prefix("0086") {
        digits = rest.to_owned();
    }
    let is_mobile =
        digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit());
    is_mobile.then_some(digits)
}

/// Masks a phone number for display: `13800000001` → `138****0001`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>(), Ok(r));
        }
        assert!("handler".parse::<Role>().is_err());
    }

    #[test]
    fn only_customers_are_not_staff() {
        assert!(!Role::Customer.is_staff());
        assert!(Role::Agent.is_staff() && Role::Supervisor.is_staff() && Role::Admin.is_staff());
    }

    #[test]
    fn login_names_are_normalised() {
        assert_eq!(
            LoginName::parse("  Agent "),
            Ok(LoginName::Username("agent".into()))
        );
        assert_eq!(
            LoginName::parse("+86 138-0000-0001"),
            Ok(LoginName::Phone("13800000001".into()))
        );
        assert_eq!(
            LoginName::parse("13800000001"),
            Ok(LoginName::Phone("13800000001".into()))
        );
        assert_eq!(LoginName::parse("   "), Err(LoginNameError::Empty));
        assert_eq!(
            LoginName::parse(&"x".repeat(65)),
            Err(LoginNameError::TooLong)
        );
        // 12 digits is not a mobile number; it is treated as a username.
        assert_eq!(
            LoginName::parse("138000000011"),
            Ok(LoginName::Username("138000000011".into()))
        );
    }

    proptest::proptest! {
        /// However a mobile number is typed (+86, 0086, spaces, dashes), it normalises to
        /// the same 11 digits, and normalising is idempotent.
        #[test]
        fn mobile_numbers_normalise_whatever_the_formatting(
            rest in "[0-9]{10}",
            prefix in proptest::sample::select(vec!["", "+86", "0086", "+86 "]),
            dash in proptest::bool::ANY,
        ) {
            let digits = format!("1{rest}");
            let typed = if dash {
                format!("{prefix}{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..])
            } else {
                format!("{prefix}{digits}")
            };
            proptest::prop_assert_eq!(LoginName::parse(&typed), Ok(LoginName::Phone(digits.clone())));
            proptest::prop_assert_eq!(normalize_mobile(&digits), Some(digits));
        }

        /// Parsing never panics and never yields an empty or over-long login name.
        #[test]
        fn login_name_parsing_is_total(input in "\\PC{0,80}") {
            match LoginName::parse(&input) {
                Ok(LoginName::Username(u)) => proptest::prop_assert!(!u.is_empty() && u.chars().count() <= 64),
                Ok(LoginName::Phone(p)) => proptest::prop_assert_eq!(p.len(), 11),
                Err(_) => {}
            }
        }
    }

    #[test]
    fn phones_are_masked() {
        assert_eq!(mask_phone("13800000001"), "138****0001");
        assert_eq!(mask_phone("12345"), "*****");
    }
}

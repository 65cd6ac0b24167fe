//! Customers as the ticket rules see them: the service tier (normal, silver 银, gold 金,
//! diamond 钻, supreme 至尊) that selects tighter SLA policies. The full customer record
//! (numbers, accounts, billing) comes with the calls and billing work.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Identifies a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CustomerId(pub Uuid);

/// Service tier, lowest first (the order is used: higher tiers get tighter targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Normal customer.
    Normal,
    /// Silver (银卡).
    Silver,
    /// Gold (金卡).
    Gold,
    /// Diamond (钻石卡).
    Diamond,
    /// Supreme (至尊).
    Supreme,
}

impl Tier {
    /// Every tier, lowest first.
    pub const ALL: [Tier; 5] = [
        Tier::Normal,
        Tier::Silver,
        Tier::Gold,
        Tier::Diamond,
        Tier::Supreme,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Tier::Normal => "normal",
            Tier::Silver => "silver",
            Tier::Gold => "gold",
            Tier::Diamond => "diamond",
            Tier::Supreme => "supreme",
        }
    }

    /// The tier for a stable code.
    pub fn from_code(code: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// The basic customer record tickets are registered for (name, numbers, tier). The full
/// customer 360 (accounts, billing, addresses) extends it later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Identifier.
    pub id: CustomerId,
    /// Name.
    pub name: String,
    /// Phone numbers in national form (11-digit mobiles or area code + number), first is
    /// the main one.
    pub phones: Vec<String>,
    /// Tier.
    pub tier: Tier,
}

/// Why a customer record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    /// No name.
    #[error("name is required")]
    NameRequired,
    /// No phone number.
    #[error("at least one phone number is required")]
    PhoneRequired,
    /// A number that is not a phone number.
    #[error("{0:?} is not a phone number")]
    BadPhone(String),
}

/// Normalises a phone number for storage and matching: drops spaces, dashes and
/// parentheses, a `+86`/`0086` prefix; keeps 11-digit mobiles and fixed lines with their
/// area code (7 to 12 digits).
pub fn normalize_phone(input: &str) -> Option<String> {
    if let Some(mobile) = crate::user::normalize_mobile(input) {
        return Some(mobile);
    }
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .map(|rest| format!("0{rest}"))
        .unwrap_or(digits);
    (digits.chars().all(|c| c.is_ascii_digit()) && (7..=12).contains(&digits.len()))
        .then_some(digits)
}

impl Customer {
    /// A validated record: trimmed name, normalised and de-duplicated numbers.
    pub fn new(
        id: CustomerId,
        name: &str,
        phones: &[String],
        tier: Tier,
    ) -> Result<Customer, CustomerError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CustomerError::NameRequired);
        }
        let mut list: Vec<String> = Vec::new();
        for p in phones.iter().filter(|p| !p.trim().is_empty()) {
            let n = normalize_phone(p).ok_or_else(|| CustomerError::BadPhone(p.clone()))?;
            if !list.contains(&n) {
                list.push(n);
            }
        }
        if list.is_empty() {
            return Err(CustomerError::PhoneRequired);
        }
        Ok(Customer {
            id,
            name: name.to_owned(),
            phones: list,
            tier,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_are_validated_and_numbers_normalised() {
        let id = CustomerId(Uuid::from_u128(1));
        let c = Customer::new(
            id,
            " 张明 ",
            &[
                "+86 138-0000-0001".into(),
                "13800000001".into(),
                "010-6552 1234".into(),
            ],
            Tier::Gold,
        )
        .unwrap();
        assert_eq!(c.name, "张明");
        assert_eq!(c.phones, vec!["13800000001", "01065521234"]);
        assert_eq!(
            Customer::new(id, " ", &["13800000001".into()], Tier::Normal),
            Err(CustomerError::NameRequired)
        );
        assert_eq!(
            Customer::new(id, "a", &[], Tier::Normal),
            Err(CustomerError::PhoneRequired)
        );
        assert_eq!(
            Customer::new(id, "a", &["12ab".into()], Tier::Normal),
            Err(CustomerError::BadPhone("12ab".into()))
        );
    }
}

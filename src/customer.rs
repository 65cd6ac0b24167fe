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
    /// Resident ID number (身份证号), only ever shown masked.
    #[serde(default)]
    pub id_number: Option<String>,
    /// How to address them (先生/女士).
    #[serde(default)]
    pub salutation: Option<crate::phrase::Salutation>,
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
    /// Not an 18-character resident ID number with a valid check digit.
    #[error("not a valid resident ID number")]
    BadIdNumber,
}

/// Checks an 18-character resident ID number (GB 11643: 17 digits and an ISO 7064
/// MOD 11-2 check character, `X` for 10); returns it upper-cased.
pub fn valid_id_number(input: &str) -> Option<String> {
    let id = input.trim().to_ascii_uppercase();
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 || !chars[..17].iter().all(char::is_ascii_digit) {
        return None;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = chars[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    (chars[17] == check).then_some(id)
}

/// Masks an ID number for display: the first 3 and last 4 characters stay
/// (`110***********123X`).
pub fn mask_id_number(id: &str) -> String {
    crate::user::mask_phone(id)
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
            id_number: None,
            salutation: None,
        })
    }

    /// The same record with a (validated) resident ID number; blank clears it.
    pub fn with_id_number(mut self, id: &str) -> Result<Customer, CustomerError> {
        self.id_number = match id.trim() {
            "" => None,
            id => Some(valid_id_number(id).ok_or(CustomerError::BadIdNumber)?),
        };
        Ok(self)
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

    #[test]
    fn id_numbers_are_checked_and_masked() {
        assert_eq!(
            valid_id_number("11010519491231002x").as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(valid_id_number("110105194912310021"), None);
        assert_eq!(valid_id_number("1101051949123100"), None);
        assert_eq!(mask_id_number("11010519491231002X"), "110***********002X");
        let c = Customer::new(
            CustomerId(Uuid::nil()),
            "a",
            &["13800000001".into()],
            Tier::Normal,
        )
        .unwrap();
        assert_eq!(
            c.clone().with_id_number("123"),
            Err(CustomerError::BadIdNumber)
        );
        assert_eq!(c.with_id_number(" ").unwrap().id_number, None);
    }
}

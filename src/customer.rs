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

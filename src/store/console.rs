//! Storage ports of the agent console: billing data (accounts, bills, payments, usage),
//! agent states with their change log, the standard phrases and API tokens.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::StoreError;
use crate::agent::{AgentStatus, StateSource};
use crate::billing::{Account, Bill, Payment, Usage};
use crate::customer::CustomerId;
use crate::phrase::Phrase;
use crate::user::UserId;

/// A validated billing import with every owner resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillingBatch {
    /// Accounts (upserted by number).
    pub accounts: Vec<Account>,
    /// Bills (upserted by account and month).
    pub bills: Vec<Bill>,
    /// Payments (upserted by reference).
    pub payments: Vec<Payment>,
    /// Usage (upserted by account, day and kind).
    pub usage: Vec<Usage>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    /// New records.
    pub created: u32,
    /// Records that existed with other values.
    pub updated: u32,
    /// Records that existed with the same values.
    pub unchanged: u32,
}

/// Billing data kept locally (DESIGN §3.5).
#[async_trait]
pub trait BillingStore: Send + Sync {
    /// Writes a whole batch in one transaction: all of it or nothing. Re-importing the same
    /// batch changes nothing and counts every record as unchanged.
    async fn import_billing(
        &self,
        batch: &BillingBatch,
        now: DateTime<Utc>,
    ) -> Result<ImportCounts, StoreError>;
    /// One account.
    async fn account(&self, number: &str) -> Result<Option<Account>, StoreError>;
    /// A customer's accounts, by number.
    async fn customer_accounts(&self, customer: CustomerId) -> Result<Vec<Account>, StoreError>;
    /// The latest bills of an account, newest month first.
    async fn bills(&self, account: &str, limit: u32) -> Result<Vec<Bill>, StoreError>;
    /// The latest payments of an account, newest first.
    async fn payments(&self, account: &str, limit: u32) -> Result<Vec<Payment>, StoreError>;
    /// Usage of an account between two days (inclusive), by day.
    async fn usage(
        &self,
        account: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Usage>, StoreError>;
    /// Accounts with a negative balance that are not closed, most owed first.
    async fn owing_accounts(&self, limit: u32) -> Result<Vec<Account>, StoreError>;
}

/// One logged change of an agent's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStateChange {
    /// The agent.
    pub user: UserId,
    /// The new state.
    pub status: AgentStatus,
    /// Who changed it.
    pub source: StateSource,
}

/// Agent states.
#[async_trait]
pub trait AgentStore: Send + Sync {
    /// The agent's state and its version (`None`: never set, i.e. offline).
    async fn agent_status(&self, user: UserId) -> Result<Option<(AgentStatus, u64)>, StoreError>;
    /// Sets the state if its stored version is `expected` (`None`: never set) and logs the
    /// change in the same transaction; otherwise `Conflict { what: "version" }`.
    async fn set_agent_status(
        &self,
        change: &AgentStateChange,
        expected: Option<u64>,
    ) -> Result<(), StoreError>;
    /// Every agent's current state.
    async fn agent_statuses(&self) -> Result<Vec<(UserId, AgentStatus)>, StoreError>;
    /// An agent's logged changes since `from`, oldest first.
    async fn agent_state_log(
        &self,
        user: UserId,
        from: DateTime<Utc>,
    ) -> Result<Vec<AgentStateChange>, StoreError>;
}

/// Standard phrases.
#[async_trait]
pub trait PhraseStore: Send + Sync {
    /// All phrases, by position.
    async fn phrases(&self) -> Result<Vec<Phrase>, StoreError>;
    /// Creates or replaces a phrase.
    async fn put_phrase(&self, phrase: &Phrase, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Deletes a phrase; `NotFound` when there is none.
    async fn delete_phrase(&self, id: Uuid) -> Result<(), StoreError>;
}

/// API tokens.
#[async_trait]
pub trait TokenStore: Send + Sync {
    /// Stores a new token with the hash of its full text; `Conflict` when the prefix exists.
    async fn create_token(
        &self,
        token: &crate::token::ApiToken,
        hash: &str,
    ) -> Result<(), StoreError>;
    /// A token and its hash by prefix.
    async fn token_by_prefix(
        &self,
        prefix: &str,
    ) -> Result<Option<(crate::token::ApiToken, String)>, StoreError>;
    /// Every token, newest first.
    async fn tokens(&self) -> Result<Vec<crate::token::ApiToken>, StoreError>;
    /// Revokes a token (revoking twice keeps the first time); `NotFound` when absent.
    async fn revoke_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Records a use.
    async fn token_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError>;
}

//! Storage port of the self-service portal: verification codes, rate-limit hits, ticket
//! attachments (the bytes live in the database, so every instance serves them) and the
//! customers' in-portal notices.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::StoreError;
use crate::customer::CustomerId;
use crate::portal::attachment::FileKind;
use crate::portal::{CodePurpose, RateBucket, VerificationCode};
use crate::ticket::{TicketId, TicketState};
use crate::user::UserId;

/// A stored attachment, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    /// Id.
    pub id: Uuid,
    /// The ticket.
    pub ticket: TicketId,
    /// The ticket's customer (who may read it).
    pub customer: CustomerId,
    /// Who uploaded it.
    pub uploaded_by: Option<UserId>,
    /// Safe file name.
    pub name: String,
    /// Recognised type.
    pub kind: FileKind,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Uploaded at.
    pub created_at: DateTime<Utc>,
}

coded_enum!(
    /// What a customer notice is about.
    NoticeKind {
        /// The ticket moved to a new state.
        StateChanged = "state_changed",
        /// The center answered (the ticket awaits the customer's confirmation).
        Answered = "answered",
        /// A message for the customer.
        Message = "message",
    }
);

/// An in-portal notice for a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerNotice {
    /// Id.
    pub id: Uuid,
    /// For whom.
    pub customer: CustomerId,
    /// About which ticket.
    pub ticket: TicketId,
    /// What happened.
    pub kind: NoticeKind,
    /// The ticket's state after it.
    pub state: TicketState,
    /// When.
    pub at: DateTime<Utc>,
    /// Read (the customer opened their notices since).
    pub read: bool,
}

/// Portal storage.
#[async_trait]
pub trait PortalStore: Send + Sync {
    /// Stores a code, replacing any earlier one for the same number and purpose.
    async fn put_code(&self, code: &VerificationCode) -> Result<(), StoreError>;
    /// The current code for a number and purpose.
    async fn get_code(
        &self,
        phone: &str,
        purpose: CodePurpose,
    ) -> Result<Option<VerificationCode>, StoreError>;
    /// Counts a wrong entry.
    async fn code_failed(&self, phone: &str, purpose: CodePurpose) -> Result<(), StoreError>;
    /// Marks the code used; `false` when it was used already (two racing requests: one wins).
    async fn consume_code(&self, phone: &str, purpose: CodePurpose) -> Result<bool, StoreError>;
    /// Hits of a rate-limit key since `since`.
    async fn rate_hits(
        &self,
        bucket: RateBucket,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError>;
    /// Records a hit (and forgets hits older than a day).
    async fn record_rate_hit(
        &self,
        bucket: RateBucket,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Stores a file; `Conflict { what: "attachments" }` when the ticket has `max` already.
    async fn add_attachment(
        &self,
        meta: &AttachmentMeta,
        bytes: &[u8],
        max: usize,
    ) -> Result<(), StoreError>;
    /// A ticket's files, oldest first.
    async fn attachments(&self, ticket: TicketId) -> Result<Vec<AttachmentMeta>, StoreError>;
    /// One file with its bytes.
    async fn attachment(&self, id: Uuid) -> Result<(AttachmentMeta, Vec<u8>), StoreError>;
    /// A customer's notices, newest first.
    async fn notices(
        &self,
        customer: CustomerId,
        limit: u32,
    ) -> Result<Vec<CustomerNotice>, StoreError>;
    /// How many are unread.
    async fn unread_notices(&self, customer: CustomerId) -> Result<u64, StoreError>;
    /// Marks all read; returns how many were unread.
    async fn mark_notices_read(&self, customer: CustomerId) -> Result<u64, StoreError>;
}

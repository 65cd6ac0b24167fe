//! Storage ports: object-safe async traits, one per aggregate, implemented by the server's
//! backends (SQLite now; PostgreSQL is an addition behind the same traits). Every backend
//! passes the same conformance suite.

pub mod console;
pub mod desk;
pub mod knowledge;
pub mod portal;
pub mod supervision;

use crate::login::LoginThrottle;
use crate::password::{DisabledReason, PasswordAge};
use crate::user::{Department, DepartmentId, LoginName, User, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What can go wrong in a store, classified so callers never parse messages.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness or version conflict.
    #[error("conflict: {what}")]
    Conflict {
        /// What conflicted (e.g. `username`).
        what: &'static str,
    },
    /// Anything else (connection, IO); logged, never shown to users.
    #[error("storage failure: {0}")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// A stored password hash (PHC string). Neither printable nor serialisable.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The user (its id is chosen by the caller).
    pub user: User,
    /// The password hash.
    pub password_hash: PasswordHash,
}

/// A user with the dates of the account's lifecycle (see [`crate::password`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The user.
    pub user: User,
    /// When the password was set and whether it must be changed.
    pub password: PasswordAge,
    /// Why the account is disabled, when it is.
    pub disabled_reason: Option<DisabledReason>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last successful sign-in.
    pub last_login_at: Option<DateTime<Utc>>,
    /// Last re-enabled by an administrator.
    pub enabled_at: Option<DateTime<Utc>>,
    /// Sessions signed in under another epoch are signed out.
    pub session_epoch: i64,
}

impl Account {
    /// The last use that counts for the inactivity rule: sign-in, creation or re-enabling.
    pub fn last_used(&self) -> DateTime<Utc> {
        [Some(self.created_at), self.last_login_at, self.enabled_at]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.created_at)
    }
}

/// A new password to store.
#[derive(Debug, Clone)]
pub struct PasswordUpdate {
    /// Its hash.
    pub hash: PasswordHash,
    /// When it is set.
    pub at: DateTime<Utc>,
    /// Set by an administrator: the owner must choose another at next sign-in.
    pub must_change: bool,
    /// How many earlier hashes to keep (the replaced one included); older ones are dropped.
    pub keep_history: usize,
}

/// Users and their credentials.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates a user; `Conflict` when the username or phone is taken.
    async fn create_user(&self, new: NewUser, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// The user and password hash for a login name, if any.
    async fn find_for_login(
        &self,
        login: &LoginName,
    ) -> Result<Option<(User, PasswordHash)>, StoreError>;
    /// A user by id.
    async fn get_user(&self, id: UserId) -> Result<User, StoreError>;
    /// Stores the user's UI language choice.
    async fn set_locale(&self, id: UserId, locale: crate::locale::Locale)
        -> Result<(), StoreError>;
    /// The user with the account's lifecycle dates.
    async fn account(&self, id: UserId) -> Result<Account, StoreError>;
    /// Replaces the password: the replaced hash joins the history (trimmed to
    /// `keep_history`), and the session epoch moves (every session is signed out). Returns the
    /// new epoch.
    async fn set_password(&self, id: UserId, update: PasswordUpdate) -> Result<i64, StoreError>;
    /// The earlier password hashes kept for the reuse rule, newest first.
    async fn password_history(&self, id: UserId) -> Result<Vec<PasswordHash>, StoreError>;
    /// Disables the account for a reason, or (with `None`) enables it again at `now`, which
    /// counts as a use for the inactivity rule.
    async fn set_disabled(
        &self,
        id: UserId,
        reason: Option<DisabledReason>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Moves the session epoch: every session of the user is signed out. Returns the new one.
    async fn revoke_sessions(&self, id: UserId) -> Result<i64, StoreError>;
    /// Disables (reason `inactive`) enabled staff accounts last used before `before`;
    /// returns them.
    async fn disable_inactive(&self, before: DateTime<Utc>) -> Result<Vec<User>, StoreError>;
    /// Every staff account, by username.
    async fn list_staff_accounts(&self) -> Result<Vec<Account>, StoreError>;
    /// Records a successful sign-in.
    async fn record_login(&self, id: UserId, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Number of users (to know whether demo data was seeded).
    async fn count_users(&self) -> Result<u64, StoreError>;
    /// Enabled staff who work tickets (agents and supervisors), by name.
    async fn list_ticket_staff(&self) -> Result<Vec<User>, StoreError>;
}

/// Departments (客服中心, 计费, 网络维护, 装维 …).
#[async_trait]
pub trait DepartmentStore: Send + Sync {
    /// Creates a department; `Conflict` when the code is taken.
    async fn create_department(&self, dept: Department) -> Result<(), StoreError>;
    /// All departments, ordered by code.
    async fn list_departments(&self) -> Result<Vec<Department>, StoreError>;
    /// One department.
    async fn get_department(&self, id: DepartmentId) -> Result<Department, StoreError>;
}

/// Failed sign-in bookkeeping per login name (see [`crate::login`]).
#[async_trait]
pub trait LoginAttemptStore: Send + Sync {
    /// Until when the login name is locked, if a lock was ever set.
    async fn locked_until(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Records a failure at `now` and, in the same transaction, locks the login name when the
    /// throttle says so. Returns the new lock's end if this failure set one.
    async fn record_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        throttle: &LoginThrottle,
    ) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Forgets failures and any lock after a successful sign-in.
    async fn clear(&self, key: &str) -> Result<(), StoreError>;
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A successful sign-in.
    LoginSucceeded,
    /// A refused sign-in (wrong credentials).
    LoginFailed,
    /// A login name was locked after repeated failures.
    AccountLocked,
    /// A sign-out.
    Logout,
    /// A calendar was changed.
    CalendarChanged,
    /// The SLA policies were changed.
    PoliciesChanged,
    /// A historical ticket was imported.
    TicketImported,
    /// Staff looked at a customer's billing data (access log).
    BillingViewed,
    /// Staff revealed a masked number or ID number (access log).
    NumberRevealed,
    /// Billing data was imported.
    BillingImported,
    /// The standard phrases were changed.
    PhrasesChanged,
    /// An agent put a new customer on file.
    CustomerCreated,
    /// An API token was created.
    TokenCreated,
    /// An API token was revoked.
    TokenRevoked,
    /// An API token was used (subject: its prefix; detail: the request).
    TokenUsed,
    /// An API token was refused (subject: its prefix when known; detail: why).
    TokenRefused,
    /// A user chose a new password (subject: the user).
    PasswordChanged,
    /// An administrator set a temporary password (subject: the user).
    PasswordReset,
    /// An account was disabled (subject: the user; detail: why).
    AccountDisabled,
    /// An administrator enabled an account again (subject: the user).
    AccountEnabled,
    /// An administrator signed out every session of a user (subject: the user).
    SessionsRevoked,
}

impl AuditAction {
    /// Stable code stored in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::LoginSucceeded => "login_succeeded",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::AccountLocked => "account_locked",
            AuditAction::Logout => "logout",
            AuditAction::CalendarChanged => "calendar_changed",
            AuditAction::PoliciesChanged => "policies_changed",
            AuditAction::TicketImported => "ticket_imported",
            AuditAction::BillingViewed => "billing_viewed",
            AuditAction::NumberRevealed => "number_revealed",
            AuditAction::BillingImported => "billing_imported",
            AuditAction::PhrasesChanged => "phrases_changed",
            AuditAction::CustomerCreated => "customer_created",
            AuditAction::TokenCreated => "token_created",
            AuditAction::TokenRevoked => "token_revoked",
            AuditAction::TokenUsed => "token_used",
            AuditAction::TokenRefused => "token_refused",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::AccountDisabled => "account_disabled",
            AuditAction::AccountEnabled => "account_enabled",
            AuditAction::SessionsRevoked => "sessions_revoked",
        }
    }

    /// Every action.
    pub const ALL: [AuditAction; 21] = [
        AuditAction::LoginSucceeded,
        AuditAction::LoginFailed,
        AuditAction::AccountLocked,
        AuditAction::Logout,
        AuditAction::CalendarChanged,
        AuditAction::PoliciesChanged,
        AuditAction::TicketImported,
        AuditAction::BillingViewed,
        AuditAction::NumberRevealed,
        AuditAction::BillingImported,
        AuditAction::PhrasesChanged,
        AuditAction::CustomerCreated,
        AuditAction::TokenCreated,
        AuditAction::TokenRevoked,
        AuditAction::TokenUsed,
        AuditAction::TokenRefused,
        AuditAction::PasswordChanged,
        AuditAction::PasswordReset,
        AuditAction::AccountDisabled,
        AuditAction::AccountEnabled,
        AuditAction::SessionsRevoked,
    ];

    /// The action for a stored code.
    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One audit log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The acting user, when known.
    pub actor: Option<UserId>,
    /// What happened.
    pub action: AuditAction,
    /// What it happened to (e.g. the login name).
    pub subject: String,
    /// Free detail (never secrets).
    pub detail: String,
    /// The request's transaction id.
    pub transaction_id: Option<String>,
}

impl AuditEntry {
    /// An entry about `subject` with no actor, detail or transaction id yet.
    pub fn new(at: DateTime<Utc>, action: AuditAction, subject: impl Into<String>) -> AuditEntry {
        AuditEntry {
            at,
            actor: None,
            action,
            subject: subject.into(),
            detail: String::new(),
            transaction_id: None,
        }
    }

    /// Who acted.
    pub fn by(mut self, actor: Option<UserId>) -> AuditEntry {
        self.actor = actor;
        self
    }

    /// The detail.
    pub fn detail(mut self, detail: impl Into<String>) -> AuditEntry {
        self.detail = detail.into();
        self
    }

    /// The request's transaction id.
    pub fn transaction(mut self, transaction_id: Option<String>) -> AuditEntry {
        self.transaction_id = transaction_id;
        self
    }
}

/// The append-only audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends one entry.
    async fn append(&self, entry: AuditEntry) -> Result<(), StoreError>;
    /// The most recent entries, newest first.
    async fn recent(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
    /// The most recent entries about one subject (e.g. a customer id), newest first.
    async fn about(&self, subject: &str, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
    /// Entries in log order with their links, after position `after` (0: from the start),
    /// at most `limit` — for walking the hash chain.
    async fn sealed_after(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<crate::audit::SealedAudit>, StoreError>;
    /// Entries matching a query, newest first, one page.
    async fn search_audit(&self, q: &AuditQuery) -> Result<AuditPage, StoreError>;
}

/// What an audit search asks for (all given filters must match).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Who acted.
    pub actor: Option<UserId>,
    /// What happened.
    pub action: Option<AuditAction>,
    /// What it happened to (exactly).
    pub subject: Option<String>,
    /// Not before.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
    /// Page, from 1.
    pub page: u32,
    /// Entries per page (1–200).
    pub page_size: u32,
}

/// One page of an audit search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// The entries, newest first.
    pub items: Vec<crate::audit::SealedAudit>,
    /// How many entries match in all.
    pub total: u64,
}

/// Liveness of the backing database, for `/readyz`.
#[async_trait]
pub trait HealthStore: Send + Sync {
    /// Succeeds when the database answers a trivial query.
    async fn ping(&self) -> Result<(), StoreError>;
}

//! What the administrators' user page shows of staff accounts, and the actions it sends.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::CodeName;

/// What an administrator does to a staff account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountAction {
    /// Disable it (its sessions end at their next request).
    Disable,
    /// Enable it again (counts as a use for the inactivity rule).
    Enable,
    /// Sign out every session.
    SignOut,
    /// Set a temporary password, shown once; the owner must choose a new one at sign-in.
    ResetPassword,
}

/// Where a staff account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// May sign in and work.
    Active,
    /// Signs in only through choosing a new password (expired or reset).
    MustChangePassword,
    /// Disabled after 30 days without use.
    DisabledInactive,
    /// Disabled by an administrator.
    DisabledAdmin,
}

/// One staff account on the user page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccountView {
    /// User id.
    pub id: String,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role `{code, name}`.
    pub role: CodeName,
    /// Department name.
    pub department: String,
    /// Status.
    pub status: AccountStatus,
    /// Last sign-in.
    pub last_login_at: Option<DateTime<Utc>>,
    /// When the password was set.
    pub password_changed_at: DateTime<Utc>,
    /// When it expires.
    pub password_expires_at: DateTime<Utc>,
    /// The viewer's own account (no actions).
    pub is_self: bool,
}

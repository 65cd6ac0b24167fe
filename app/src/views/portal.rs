//! What the customer portal shows: the home page, request rows with their promise in plain
//! words, the customer-visible ticket with its timeline and files, notices, the submission
//! form's choices — serialisable, built on the server in the customer's language.

use chrono::{DateTime, Utc};
use loopdesk::billing::Fen;
use serde::{Deserialize, Serialize};

use super::console::{AccountView, BillView};
use super::CodeName;

/// What the center promises next for an open request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseKind {
    /// We will contact you (acknowledge target).
    Contact,
    /// We will answer (resolve target).
    Answer,
    /// Waiting for the customer: the clock is stopped.
    WaitingForYou,
    /// Answered: please confirm.
    Confirm,
}

/// The promise with its time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    /// What.
    pub kind: PromiseKind,
    /// By when (none while waiting for the customer).
    pub due_at: Option<DateTime<Utc>>,
}

/// One of the customer's requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    /// Ticket id.
    pub id: String,
    /// `T20261123-000001`.
    pub number: String,
    /// Subject.
    pub subject: String,
    /// Kind.
    pub kind: CodeName,
    /// State (customer wording).
    pub state: CodeName,
    /// Submitted at.
    pub registered_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Next promise, for open requests.
    pub promise: Option<Promise>,
}

/// The portal home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalHomeView {
    /// Open requests, nearest promise first.
    pub open: Vec<RequestRow>,
    /// Accounts with balances.
    pub accounts: Vec<AccountView>,
    /// Total balance over the accounts.
    pub balance: Fen,
    /// The latest bills (at most 3).
    pub bills: Vec<BillView>,
    /// Unread notices.
    pub unread: u64,
    /// Server time of the view (countdowns tick from it).
    pub as_of: DateTime<Utc>,
}

/// A timeline line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineItem {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: "您" / "工号 agent01" / "客服中心".
    pub who: String,
    /// `submitted`, `state`, `answer`, `message`, `follow_up`, `confirmed`.
    pub kind: String,
    /// The line, e.g. "状态更新为：处理中".
    pub title: String,
    /// Text (answer, message, comment), if any.
    pub body: Option<String>,
    /// From the customer.
    pub mine: bool,
}

/// A file on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    /// Id.
    pub id: String,
    /// File name.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// `image/png`, `application/pdf`.
    pub content_type: String,
    /// Download address.
    pub url: String,
}

/// One request as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    /// The row.
    pub row: RequestRow,
    /// Description.
    pub description: String,
    /// Category (localized name when known).
    pub category: String,
    /// Account.
    pub account: Option<String>,
    /// Preferred contact time.
    pub contact_time: Option<CodeName>,
    /// What happened.
    pub timeline: Vec<TimelineItem>,
    /// Files.
    pub attachments: Vec<AttachmentView>,
    /// The customer may reply now.
    pub can_reply: bool,
    /// The customer may confirm or reject the answer now.
    pub can_confirm: bool,
    /// Files may still be added.
    pub can_attach: bool,
    /// Version (for replies and confirmations).
    pub version: u64,
    /// Server time of the view.
    pub as_of: DateTime<Utc>,
}

/// An in-portal notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    /// Ticket id.
    pub ticket_id: String,
    /// Ticket number.
    pub number: String,
    /// The line, e.g. "T2026… 已答复，请确认处理结果".
    pub text: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Read before.
    pub read: bool,
}

/// The choices of the submission form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitChoices {
    /// Kinds a customer may submit.
    pub kinds: Vec<CodeName>,
    /// Top-level categories.
    pub categories: Vec<CodeName>,
    /// The customer's accounts.
    pub accounts: Vec<String>,
    /// Contact times.
    pub contact_times: Vec<CodeName>,
}

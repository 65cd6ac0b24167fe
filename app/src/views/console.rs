//! What the console shows beyond tickets: the customer 360, billing, calls, the task list,
//! agent states and standard phrases — serialisable views with names in the reader's
//! language and numbers masked, built on the server.

use chrono::{DateTime, NaiveDate, Utc};
use loopdesk::billing::{Arrears, BillItem, BillingSummary, Fen};
use serde::{Deserialize, Serialize};

use super::{CodeName, CustomerView, RefView, TicketRow};

/// A billing account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// Number.
    pub number: String,
    /// Plan.
    pub plan: String,
    /// Status.
    pub status: CodeName,
    /// Balance.
    pub balance: Fen,
    /// Credit limit.
    pub credit_limit: Fen,
    /// Arrears today, if any.
    pub arrears: Option<Arrears>,
}

/// A bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillView {
    /// Account.
    pub account: String,
    /// `2026-10`.
    pub period: String,
    /// Due date.
    pub due_on: NaiveDate,
    /// Total.
    pub total: Fen,
    /// Lines.
    pub items: Vec<BillItem>,
}

/// A payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    /// Reference.
    pub reference: String,
    /// Account.
    pub account: String,
    /// When.
    pub paid_at: DateTime<Utc>,
    /// Amount.
    pub amount: Fen,
    /// Method.
    pub method: CodeName,
}

/// Usage of one kind over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageView {
    /// Account.
    pub account: String,
    /// Kind.
    pub kind: CodeName,
    /// Quantity.
    pub quantity: i64,
    /// Charges.
    pub charge: Fen,
}

/// A customer's billing as an agent looks it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingView {
    /// Accounts.
    pub accounts: Vec<AccountView>,
    /// The last 12 bills per account, newest first.
    pub bills: Vec<BillView>,
    /// Latest payments.
    pub payments: Vec<PaymentView>,
    /// Usage totals per account and kind for the period.
    pub usage: Vec<UsageView>,
    /// Usage period start.
    pub from: NaiveDate,
    /// Usage period end.
    pub to: NaiveDate,
    /// Summary.
    pub summary: BillingSummary,
}

/// A call as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRow {
    /// PBX id.
    pub call_id: String,
    /// `in` / `out`.
    pub direction: String,
    /// State.
    pub state: CodeName,
    /// The customer's number, masked.
    pub number: String,
    /// Rang at.
    pub at: Option<DateTime<Utc>>,
    /// Agent login.
    pub agent: Option<String>,
    /// Seconds waited before answer or abandon.
    pub wait_seconds: Option<i64>,
    /// Talk seconds.
    pub talk_seconds: Option<i64>,
    /// Wrap-up code.
    pub disposition: Option<String>,
    /// Notes.
    pub notes: String,
    /// Linked tickets.
    pub tickets: Vec<RefView>,
}

/// A task on the outbound list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    /// Id.
    pub id: String,
    /// Why.
    pub reason: CodeName,
    /// Customer.
    pub customer: Option<RefView>,
    /// Number to call, masked.
    pub phone: String,
    /// Ticket (id and number).
    pub ticket: Option<RefView>,
    /// Call it answers.
    pub call_id: Option<String>,
    /// Account.
    pub account: Option<String>,
    /// Due.
    pub due_at: DateTime<Utc>,
    /// Attempts so far.
    pub attempts: u32,
    /// Taken by.
    pub assignee: Option<RefView>,
    /// Final outcome.
    pub outcome: Option<CodeName>,
    /// Last note.
    pub note: String,
    /// Done at.
    pub done_at: Option<DateTime<Utc>>,
    /// Version for the next change.
    pub version: u64,
    /// Outcomes that may be recorded.
    pub outcomes: Vec<CodeName>,
}

/// The task list as of a server time (countdowns tick from it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskList {
    /// Server time of the list.
    pub as_of: DateTime<Utc>,
    /// Tasks.
    pub items: Vec<TaskView>,
}

/// One entry of a customer's contact timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    /// When.
    pub at: DateTime<Utc>,
    /// `call` or `ticket`.
    pub kind: String,
    /// What (call state and direction, or ticket kind and subject).
    pub summary: String,
    /// Link target (ticket id), if any.
    pub ticket_id: Option<String>,
}

/// The customer 360.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer360 {
    /// The card (numbers masked).
    pub customer: CustomerView,
    /// ID number, masked.
    pub id_number: Option<String>,
    /// Accounts.
    pub accounts: Vec<AccountView>,
    /// Billing summary.
    pub billing: BillingSummary,
    /// Open tickets, nearest due first.
    pub open_tickets: Vec<TicketRow>,
    /// Closed and cancelled tickets, newest first.
    pub past_tickets: Vec<TicketRow>,
    /// Calls, newest first.
    pub calls: Vec<CallRow>,
    /// Outbound tasks (open first).
    pub tasks: Vec<TaskView>,
    /// Calls and tickets in one timeline, newest first.
    pub timeline: Vec<ContactRow>,
}

/// What a reveal showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revealed {
    /// The unmasked value.
    pub value: String,
}

/// An agent's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStateView {
    /// State.
    pub state: CodeName,
    /// Break reason.
    pub reason: Option<String>,
    /// The call it is about.
    pub call_id: Option<String>,
    /// Since.
    pub since: DateTime<Utc>,
}

/// A standard phrase rendered for the call at hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhraseView {
    /// Id.
    pub id: String,
    /// Situation.
    pub title: String,
    /// Steps: text and the pause after it in seconds.
    pub steps: Vec<(String, u32)>,
    /// The forbidden phrase.
    pub forbidden: String,
}

/// Wrap-up codes (话后小结) an agent chooses from.
pub const DISPOSITIONS: [&str; 6] = [
    "resolved",
    "ticket_registered",
    "transferred",
    "callback_needed",
    "silent_or_noise",
    "wrong_number",
];

/// A wrap-up code's name.
pub fn disposition_name(code: &str, locale: loopdesk::locale::Locale) -> &'static str {
    let zh = locale == loopdesk::locale::Locale::ZhCn;
    match (code, zh) {
        ("resolved", true) => "已解答",
        ("resolved", false) => "Answered on the call",
        ("ticket_registered", true) => "已登记工单",
        ("ticket_registered", false) => "Ticket registered",
        ("transferred", true) => "已转接",
        ("transferred", false) => "Transferred",
        ("callback_needed", true) => "需回拨",
        ("callback_needed", false) => "Call back later",
        ("silent_or_noise", true) => "无声/杂音",
        ("silent_or_noise", false) => "Silent or noisy line",
        ("wrong_number", true) => "打错电话",
        ("wrong_number", false) => "Wrong number",
        (_, true) => "其他",
        (_, false) => "Other",
    }
}

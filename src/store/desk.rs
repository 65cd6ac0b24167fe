//! Storage ports of the service desk: customers (basic record), tickets with their
//! append-only hash-chained event log and SLA state, the editable calendars and SLA
//! policies, outbound tasks and staff notifications.
//!
//! Every ticket write is one transaction checked against the ticket's `version`: a stale
//! version writes nothing and returns [`StoreError::Conflict`] with `what = "version"`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::StoreError;
use crate::calendar::spec::CalendarSpec;
use crate::customer::{Customer, CustomerId, Tier};
use crate::sla::{Policy, TargetStatus};
use crate::task::{OutboundTask, TaskAttempt, TaskReason};
use crate::ticket::event::{NewEvent, TicketEvent};
use crate::ticket::{Channel, Priority, Ticket, TicketId, TicketKind, TicketState};
use crate::user::{DepartmentId, Role, UserId};

/// Customers.
#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// Creates a customer; `Conflict { what: "phone" }` when a number belongs to another.
    async fn create_customer(&self, c: &Customer, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// One customer.
    async fn get_customer(&self, id: CustomerId) -> Result<Customer, StoreError>;
    /// Customers whose name contains `query` or one of whose numbers starts with its
    /// digits, by name; at most `limit`.
    async fn search_customers(&self, query: &str, limit: u32) -> Result<Vec<Customer>, StoreError>;
    /// Customers owning a normalised number (at most one today; callers handle several).
    async fn customers_by_phone(&self, phone: &str) -> Result<Vec<Customer>, StoreError>;
}

/// The free-text parts of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetails {
    /// One-line summary.
    pub subject: String,
    /// What the customer said.
    pub description: String,
    /// Business category (e.g. `billing/charge_dispute`).
    pub category: String,
    /// The customer's account it concerns, if one.
    #[serde(default)]
    pub account: Option<String>,
    /// When the customer prefers to be contacted.
    #[serde(default)]
    pub contact_time: Option<crate::ticket::ContactTime>,
}

/// The SLA snapshot stored with a ticket after each write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SlaSnapshot {
    /// Every started target.
    pub targets: Vec<TargetStatus>,
    /// When the sweeper must look at the ticket next (none: nothing can fall due).
    pub next_check_at: Option<DateTime<Utc>>,
    /// The earliest due time of a running target (queues sort by it).
    pub nearest_due_at: Option<DateTime<Utc>>,
    /// The earliest warning point of a running target (`at_risk` filters by it).
    pub risk_at: Option<DateTime<Utc>>,
}

/// A ticket to create, with its first events.
#[derive(Debug, Clone)]
pub struct NewTicket {
    /// The aggregate (version 1).
    pub ticket: Ticket,
    /// Free text.
    pub details: TicketDetails,
    /// Local registration date `YYYYMMDD`, the number's prefix (`T20261123-000001`).
    pub day: String,
    /// When (imports keep the original time).
    pub registered_at: DateTime<Utc>,
    /// Who.
    pub registered_by: Option<UserId>,
    /// The first events (registration, and any imported history).
    pub events: Vec<NewEvent>,
    /// SLA state.
    pub sla: SlaSnapshot,
}

/// A version-checked change of a ticket.
#[derive(Debug, Clone)]
pub struct TicketWrite {
    /// The aggregate after the change (its version is the new version).
    pub ticket: Ticket,
    /// Events to append, in order.
    pub events: Vec<NewEvent>,
    /// SLA state after the change.
    pub sla: SlaSnapshot,
    /// Outbound tasks created by the change.
    pub outbound: Vec<OutboundTask>,
    /// Open tasks of the ticket with these reasons are closed as superseded (the ticket
    /// moved on, e.g. a follow-up task once the customer confirmed in the portal).
    pub supersede: Vec<TaskReason>,
    /// Notifications raised by the change.
    pub notifications: Vec<Notification>,
    /// In-portal notices for the ticket's customer.
    pub customer_notices: Vec<super::portal::CustomerNotice>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A stored ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRecord {
    /// The aggregate.
    pub ticket: Ticket,
    /// `T20261123-000001`.
    pub number: String,
    /// Free text.
    pub details: TicketDetails,
    /// Registered at.
    pub registered_at: DateTime<Utc>,
    /// Registered by.
    pub registered_by: Option<UserId>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// SLA targets as of the last write.
    pub sla: Vec<TargetStatus>,
    /// Next sweeper check.
    pub next_check_at: Option<DateTime<Utc>>,
}

/// How a ticket list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketSort {
    /// Nearest due time first (tickets without one last).
    #[default]
    NearestDue,
    /// Newest registration first.
    Newest,
}

/// Which tickets to list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TicketQuery {
    /// These states (empty: any).
    pub states: Vec<TicketState>,
    /// Only open tickets.
    pub open_only: bool,
    /// Kind.
    pub kind: Option<TicketKind>,
    /// Owning department.
    pub department: Option<DepartmentId>,
    /// Assignee.
    pub assignee: Option<UserId>,
    /// Customer.
    pub customer: Option<CustomerId>,
    /// Running targets past their warning point at this instant.
    pub at_risk_at: Option<DateTime<Utc>>,
    /// Running targets past their due time at this instant.
    pub overdue_at: Option<DateTime<Utc>>,
    /// Escalated at least once.
    pub escalated: bool,
    /// Order.
    pub sort: TicketSort,
    /// 1-based page.
    pub page: u32,
    /// Rows per page (1–200).
    pub page_size: u32,
}

/// One row of a ticket list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    /// Id.
    pub id: TicketId,
    /// Number.
    pub number: String,
    /// Kind.
    pub kind: TicketKind,
    /// Channel.
    pub channel: Channel,
    /// Priority.
    pub priority: Priority,
    /// State.
    pub state: TicketState,
    /// Subject.
    pub subject: String,
    /// Customer.
    pub customer: CustomerId,
    /// Customer name.
    pub customer_name: String,
    /// Tier snapshot.
    pub tier: Tier,
    /// Department.
    pub department: DepartmentId,
    /// Assignee.
    pub assignee: Option<UserId>,
    /// Escalation level.
    pub escalation_level: u32,
    /// Nearest due time of a running target.
    pub nearest_due_at: Option<DateTime<Utc>>,
    /// Earliest warning point of a running target.
    pub risk_at: Option<DateTime<Utc>>,
    /// Registered at.
    pub registered_at: DateTime<Utc>,
    /// Version.
    pub version: u64,
}

/// A page of tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketPage {
    /// The rows.
    pub items: Vec<TicketSummary>,
    /// Rows matching in all.
    pub total: u64,
}

/// Tickets and their event log.
#[async_trait]
pub trait TicketStore: Send + Sync {
    /// Creates a ticket with its first events; returns its number.
    async fn create_ticket(&self, new: NewTicket) -> Result<String, StoreError>;
    /// One ticket.
    async fn get_ticket(&self, id: TicketId) -> Result<TicketRecord, StoreError>;
    /// A ticket by its number (`T20261123-000001`), if any.
    async fn ticket_by_number(&self, number: &str) -> Result<Option<TicketRecord>, StoreError>;
    /// A ticket's events in order.
    async fn ticket_events(&self, id: TicketId) -> Result<Vec<TicketEvent>, StoreError>;
    /// Writes a change if the stored version is still `expected_version`; otherwise
    /// nothing is written and `Conflict { what: "version" }` is returned.
    async fn write_ticket(&self, expected_version: u64, w: TicketWrite) -> Result<(), StoreError>;
    /// A page of tickets.
    async fn list_tickets(&self, q: &TicketQuery) -> Result<TicketPage, StoreError>;
    /// How many tickets match the query's filters (its page and sort do not matter).
    async fn count_tickets(&self, q: &TicketQuery) -> Result<u64, StoreError>;
    /// Claims at most `limit` tickets whose next SLA check is due at `now`, earliest first:
    /// their next check moves to `lease_until`, so another sweeper (another instance)
    /// passes them by while this one works, and a sweeper that dies mid-batch leaves them
    /// to be claimed again when the lease ends. Concurrent claims never return the same
    /// ticket (PostgreSQL: `FOR UPDATE SKIP LOCKED`). The sweep stores the real next check.
    async fn claim_sla_checks(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<TicketId>, StoreError>;
    /// Every open ticket (for recomputing after a calendar or policy change).
    async fn open_ticket_ids(&self) -> Result<Vec<TicketId>, StoreError>;
    /// Replaces the SLA snapshot of a ticket without an event (recompute), if the version
    /// is unchanged.
    async fn store_sla(
        &self,
        id: TicketId,
        version: u64,
        sla: SlaSnapshot,
    ) -> Result<(), StoreError>;
}

/// Which calendar (the SLA rules count on these two).
pub const CALENDAR_CODES: [&str; 2] = ["24x7", "office"];

/// A stored calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCalendar {
    /// `24x7` or `office`.
    pub code: String,
    /// Definition.
    pub spec: CalendarSpec,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Calendars and SLA policies.
#[async_trait]
pub trait SlaConfigStore: Send + Sync {
    /// Every stored calendar, by code.
    async fn calendars(&self) -> Result<Vec<StoredCalendar>, StoreError>;
    /// Creates or replaces a calendar.
    async fn put_calendar(&self, cal: StoredCalendar) -> Result<(), StoreError>;
    /// The policies in order (empty when never stored).
    async fn policies(&self) -> Result<Vec<Policy>, StoreError>;
    /// Replaces the policies.
    async fn put_policies(&self, policies: &[Policy], now: DateTime<Utc>)
        -> Result<(), StoreError>;
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A hard limit passed.
    SlaBreached,
    /// Someone escalated a ticket.
    Escalated,
}

/// A notification for every user of a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Id.
    pub id: Uuid,
    /// Recipients.
    pub role: Role,
    /// About.
    pub kind: NotificationKind,
    /// Ticket.
    pub ticket: TicketId,
    /// When.
    pub at: DateTime<Utc>,
}

/// Which tasks to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskQuery {
    /// Only this reason.
    pub reason: Option<TaskReason>,
    /// Only open tasks (otherwise also done ones, newest first).
    pub open_only: bool,
    /// Only tasks taken by this agent, or not taken at all (`Some(None)`).
    pub assignee: Option<Option<UserId>>,
    /// Only this customer's.
    pub customer: Option<CustomerId>,
    /// At most this many.
    pub limit: u32,
}

/// Outbound tasks and notifications.
#[async_trait]
pub trait WorkStore: Send + Sync {
    /// Tasks: open ones by due time, earliest first; with done ones, newest first.
    async fn tasks(&self, q: &TaskQuery) -> Result<Vec<OutboundTask>, StoreError>;
    /// One task.
    async fn get_task(&self, id: Uuid) -> Result<OutboundTask, StoreError>;
    /// Adds a task; `false` when an equivalent one exists already (an open collection of
    /// the account, the callback of the call), so adding is idempotent.
    async fn add_task(&self, task: &OutboundTask) -> Result<bool, StoreError>;
    /// Replaces a task if its stored version is `expected_version` and records the attempt;
    /// otherwise `Conflict { what: "version" }`.
    async fn update_task(
        &self,
        task: &OutboundTask,
        expected_version: u64,
        attempt: Option<&TaskAttempt>,
    ) -> Result<(), StoreError>;
    /// The attempts recorded on a task, oldest first.
    async fn task_attempts(&self, id: Uuid) -> Result<Vec<TaskAttempt>, StoreError>;
    /// Outbound tasks of a ticket.
    async fn ticket_outbound_tasks(&self, id: TicketId) -> Result<Vec<OutboundTask>, StoreError>;
    /// Latest notifications for a role, newest first.
    async fn notifications(&self, role: Role, limit: u32) -> Result<Vec<Notification>, StoreError>;
}

/// A stored call: the CTI record plus what the center added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCall {
    /// The record built from CTI events.
    pub record: crate::call::CallRecord,
    /// The agent's user, when the login is known.
    pub agent_user: Option<UserId>,
    /// The customer, when exactly one matched the number.
    pub customer: Option<CustomerId>,
    /// How many customers matched the number (several: the agent chooses).
    pub candidates: u32,
    /// Wrap-up code.
    pub disposition: Option<String>,
    /// Agent's notes.
    pub notes: String,
    /// Optimistic-concurrency version.
    pub version: u64,
}

/// Calls.
#[async_trait]
pub trait CallStore: Send + Sync {
    /// A call by the PBX's id.
    async fn get_call(&self, call_id: &str) -> Result<Option<StoredCall>, StoreError>;
    /// Inserts a new call (version 1); `Conflict { what: "call" }` when it exists.
    async fn insert_call(&self, call: &StoredCall, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Replaces a call if its stored version is `expected_version`; otherwise
    /// `Conflict { what: "version" }`.
    async fn update_call(
        &self,
        call: &StoredCall,
        expected_version: u64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// The latest calls (by ringing time), optionally of one customer.
    async fn recent_calls(
        &self,
        customer: Option<CustomerId>,
        limit: u32,
    ) -> Result<Vec<StoredCall>, StoreError>;
    /// Links a ticket to the call it was registered on (linking twice is harmless).
    async fn link_ticket(&self, call_id: &str, ticket: TicketId) -> Result<(), StoreError>;
    /// The tickets linked to a call.
    async fn call_tickets(&self, call_id: &str) -> Result<Vec<TicketId>, StoreError>;
}

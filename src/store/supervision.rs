//! Storage ports of supervision: report aggregates over tickets, satisfaction outcomes,
//! calls and agent states (counted by the database, defined by [`crate::metrics`]); quality
//! inspection scorecards and reviews; the staffing roster.
//!
//! Aggregates come back as small grouped cells; the app adds them up per dimension. Every
//! cell's counts mean exactly what the `metrics` types say, and the conformance suite checks
//! them against the domain's own computation over the raw records.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::StoreError;
use crate::agent::AgentState;
use crate::metrics::{CallSummary, Compliance, FeedbackSource, Satisfaction, TicketTotals};
use crate::quality::{Review, Scorecard};
use crate::sla::SlaTarget;
use crate::staffing::Shift;
use crate::ticket::{Channel, TicketKind, TicketState};
use crate::user::{DepartmentId, UserId};

/// Which tickets a report covers: registered in `[from, to)`, and the optional filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFilter {
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (exclusive).
    pub to: DateTime<Utc>,
    /// Owning department.
    pub department: Option<DepartmentId>,
    /// Kind.
    pub kind: Option<TicketKind>,
    /// Category code or a prefix of the tree (`billing` covers `billing/charge_dispute`).
    pub category: Option<String>,
    /// Channel.
    pub channel: Option<Channel>,
    /// Assignee.
    pub agent: Option<UserId>,
    /// Local time = UTC + this many minutes (days and hours of day are local).
    pub utc_offset_minutes: i32,
}

/// Tickets of one combination of kind, channel, category and department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketCell {
    /// Kind.
    pub kind: TicketKind,
    /// Channel.
    pub channel: Channel,
    /// Category code.
    pub category: String,
    /// Owning department.
    pub department: DepartmentId,
    /// Counts.
    pub totals: TicketTotals,
    /// Per SLA target (every one of [`SlaTarget::ALL`], in that order): how many of these
    /// tickets have it met, overdue, breached or running ([`crate::metrics::sla_key`]).
    pub sla: Vec<(SlaTarget, Compliance)>,
}

/// Tickets of one department and assignee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerCell {
    /// Owning department.
    pub department: DepartmentId,
    /// Assignee.
    pub assignee: Option<UserId>,
    /// Counts.
    pub totals: TicketTotals,
    /// SLA targets of these tickets (all targets together) by state.
    pub sla: Compliance,
}

/// Tickets registered in one local hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeCell {
    /// Local date.
    pub day: NaiveDate,
    /// Local hour (0–23).
    pub hour: u32,
    /// Tickets.
    pub tickets: u64,
    /// Complaints among them.
    pub complaints: u64,
}

/// Satisfaction outcomes recorded in the period for tickets matching the filter (other
/// than the registration time, which does not apply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackCell {
    /// The ticket's department.
    pub department: DepartmentId,
    /// The ticket's assignee.
    pub assignee: Option<UserId>,
    /// Follow-up or portal.
    pub source: FeedbackSource,
    /// Counts.
    pub satisfaction: Satisfaction,
}

/// Calls of one agent (none: not answered by a known agent) that rang in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallCell {
    /// The agent.
    pub agent: Option<UserId>,
    /// Counts by segment.
    pub summary: CallSummary,
}

/// Inbound calls that rang in one local half hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallInterval {
    /// Local date.
    pub day: NaiveDate,
    /// Half hour of the day (0–47).
    pub slot: u32,
    /// Offered (answered + abandoned).
    pub offered: u64,
    /// Answered and ended.
    pub handled: u64,
    /// Σ talk seconds of the handled ones.
    pub talk_seconds: i64,
}

/// Agent states over a period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StateHistory {
    /// Each agent's state in force at the start (their last change before it).
    pub before: Vec<(UserId, AgentState)>,
    /// Changes within the period, oldest first.
    pub changes: Vec<(UserId, DateTime<Utc>, AgentState)>,
}

/// A handled ticket or call of an agent (what quality inspection samples from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    /// The agent.
    pub agent: UserId,
    /// The ticket or call.
    pub subject: crate::quality::ReviewSubject,
    /// Ticket number and subject, or the call's other party.
    pub label: String,
    /// Registration or ringing time.
    pub at: DateTime<Utc>,
}

/// Report aggregates.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Tickets registered in the filter's range, grouped by kind, channel, category and
    /// department.
    async fn ticket_cells(&self, f: &ReportFilter) -> Result<Vec<TicketCell>, StoreError>;
    /// Tickets registered in the filter's range, grouped by department and assignee.
    async fn owner_cells(&self, f: &ReportFilter) -> Result<Vec<OwnerCell>, StoreError>;
    /// Tickets registered in the range per local day and hour.
    async fn ticket_times(&self, f: &ReportFilter) -> Result<Vec<TimeCell>, StoreError>;
    /// Satisfaction outcomes recorded in the range.
    async fn feedback_cells(&self, f: &ReportFilter) -> Result<Vec<FeedbackCell>, StoreError>;
    /// Calls that rang in `[from, to)`, per agent; `threshold_seconds` for the service
    /// level.
    async fn call_cells(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        threshold_seconds: i64,
    ) -> Result<Vec<CallCell>, StoreError>;
    /// Inbound calls that rang in `[from, to)` per local half hour.
    async fn call_intervals(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        utc_offset_minutes: i32,
    ) -> Result<Vec<CallInterval>, StoreError>;
    /// Agent states in `[from, to)`.
    async fn state_history(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<StateHistory, StoreError>;
    /// Open tickets per department and state.
    async fn open_counts(&self) -> Result<Vec<(DepartmentId, TicketState, u64)>, StoreError>;
    /// Open tickets with a target past its hard limit.
    async fn open_breached(&self) -> Result<u64, StoreError>;
    /// Customers on record (the complaint rate's base).
    async fn customer_count(&self) -> Result<u64, StoreError>;
    /// Answered tickets (registered) and handled calls (rang) in `[from, to)` with their
    /// agent, newest first, at most `limit` of each.
    async fn work_items(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<WorkItem>, StoreError>;
}

/// Which reviews.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewQuery {
    /// Of this agent.
    pub agent: Option<UserId>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
    /// At most (newest first).
    pub limit: u32,
}

/// Quality inspection.
#[async_trait]
pub trait QualityStore: Send + Sync {
    /// Creates or replaces a scorecard.
    async fn put_scorecard(&self, card: &Scorecard, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Every scorecard, by name.
    async fn scorecards(&self) -> Result<Vec<Scorecard>, StoreError>;
    /// Stores a review; `Conflict { what: "review" }` when the subject was already reviewed
    /// with that scorecard.
    async fn add_review(&self, review: &Review) -> Result<(), StoreError>;
    /// Reviews, newest first.
    async fn reviews(&self, q: &ReviewQuery) -> Result<Vec<Review>, StoreError>;
    /// One review.
    async fn get_review(&self, id: Uuid) -> Result<Review, StoreError>;
}

/// The staffing roster.
#[async_trait]
pub trait RosterStore: Send + Sync {
    /// Shifts on local dates `[from, to)`, by date and start.
    async fn shifts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Shift>, StoreError>;
    /// Creates or replaces a shift.
    async fn put_shift(&self, shift: &Shift) -> Result<(), StoreError>;
    /// Deletes a shift (`NotFound` when there is none).
    async fn delete_shift(&self, id: Uuid) -> Result<(), StoreError>;
}

//! Tickets (工单) and the closed loop (DESIGN §3.1–3.2): kinds, channels, priorities,
//! complaint complexity, states, and the ticket aggregate the state machine in
//! [`action`] works on. Registration decides the first state: a ticket registered by an
//! agent on a call with the customer is acknowledged at once.

pub mod action;
pub mod event;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::customer::{CustomerId, Tier};
use crate::user::{DepartmentId, UserId};

/// Identifies a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TicketId(pub Uuid);

coded_enum!(
    /// What the customer wants.
    TicketKind {
        /// 咨询
        Inquiry = "inquiry",
        /// 查询
        Query = "query",
        /// 投诉
        Complaint = "complaint",
        /// 故障申告
        FaultReport = "fault_report",
        /// 业务受理
        ServiceRequest = "service_request",
        /// 建议
        Suggestion = "suggestion",
        /// 表扬
        Praise = "praise",
    }
);

impl TicketKind {
    /// Kinds that may only be archived with a follow-up outcome (SEED-LOOP-02): everything
    /// but inquiries, queries, suggestions and praise.
    pub fn requires_follow_up(self) -> bool {
        !matches!(
            self,
            TicketKind::Inquiry | TicketKind::Query | TicketKind::Suggestion | TicketKind::Praise
        )
    }

    /// Kinds an agent may resolve and archive on the first contact, while on the call.
    pub fn allows_first_contact_resolution(self) -> bool {
        matches!(self, TicketKind::Inquiry | TicketKind::Query)
    }
}

coded_enum!(
    /// Where the ticket came from.
    Channel {
        /// Hotline call.
        Phone = "phone",
        /// Self-service portal.
        Portal = "portal",
        /// Answer-bot hand-over.
        Chat = "chat",
        /// E-mail.
        Email = "email",
        /// Another system through the API.
        Api = "api",
        /// At a service counter.
        WalkIn = "walk_in",
    }
);

coded_enum!(
    /// Urgency.
    Priority {
        /// Low.
        Low = "low",
        /// Normal.
        Normal = "normal",
        /// High.
        High = "high",
        /// Urgent.
        Urgent = "urgent",
    }
);

coded_enum!(
    /// Complaint complexity (SEED-SLA-04..08), deciding the resolve target.
    Complexity {
        /// 简单: answered on the call.
        Simple = "simple",
        /// 一般: 1 working day, hard limit 3.
        General = "general",
        /// 复杂: 5 working days, hard limit 7.
        Complex = "complex",
    }
);

coded_enum!(
    /// When a customer prefers to be contacted about their request.
    ContactTime {
        /// Any time.
        Any = "any",
        /// Working days, office hours.
        WorkdayDaytime = "workday_daytime",
        /// Working days after 18:00.
        WorkdayEvening = "workday_evening",
        /// Weekends.
        Weekend = "weekend",
    }
);

coded_enum!(
    /// Where a ticket is in the closed loop. Codes are stable.
    TicketState {
        /// 已受理: registered, the customer not yet told how it will be handled.
        New = "new",
        /// 已回复受理: the customer was told it is being handled.
        Acknowledged = "acknowledged",
        /// 已派单: sent to a department, waiting for a handler.
        Dispatched = "dispatched",
        /// 处理中: a handler owns it.
        InProgress = "in_progress",
        /// 待客户: waiting for the customer (resolve clock paused).
        PendingCustomer = "pending_customer",
        /// 已答复: answered; follow-up due.
        Resolved = "resolved",
        /// 已归档: loop closed.
        Closed = "closed",
        /// 已撤销: invalid or duplicate.
        Cancelled = "cancelled",
    }
);

impl TicketState {
    /// Open tickets are everything not archived or cancelled.
    pub fn is_open(self) -> bool {
        !matches!(self, TicketState::Closed | TicketState::Cancelled)
    }
}

/// The ticket aggregate: what the state machine needs to decide and record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// Identifier.
    pub id: TicketId,
    /// Kind.
    pub kind: TicketKind,
    /// Channel.
    pub channel: Channel,
    /// Customer.
    pub customer: CustomerId,
    /// The customer's tier when the ticket was registered.
    pub tier: Tier,
    /// Priority.
    pub priority: Priority,
    /// Complexity (complaints).
    pub complexity: Option<Complexity>,
    /// State.
    pub state: TicketState,
    /// Owning department.
    pub department: DepartmentId,
    /// Assignee.
    pub assignee: Option<UserId>,
    /// Where a pending dispatch came from: the state and department to go back to on
    /// `return` (退单).
    pub dispatched_from: Option<(TicketState, DepartmentId)>,
    /// Escalation level (升级), 0 when never escalated.
    pub escalation_level: u32,
    /// Times an unsatisfied follow-up reopened the ticket.
    pub reopen_count: u32,
    /// Follow-up attempts that did not reach the customer since the last reply.
    pub unreachable_attempts: u32,
    /// Resolved and archived on the first contact.
    pub resolved_on_first_contact: bool,
    /// Optimistic-concurrency version, +1 per action.
    pub version: u64,
}

/// What registering a ticket needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// New id.
    pub id: TicketId,
    /// Kind.
    pub kind: TicketKind,
    /// Channel.
    pub channel: Channel,
    /// Customer.
    pub customer: CustomerId,
    /// Customer tier now.
    pub tier: Tier,
    /// Priority.
    pub priority: Priority,
    /// Complexity; required for complaints.
    pub complexity: Option<Complexity>,
    /// The registering agent's department (owner until dispatched).
    pub department: DepartmentId,
    /// The registering agent, if any.
    pub registered_by: Option<UserId>,
    /// Registered by an agent on a call with the customer.
    pub on_call: bool,
}

/// Why a registration was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    /// Complaints need a complexity.
    #[error("a complaint needs its complexity (simple, general or complex)")]
    ComplexityRequired,
    /// Only complaints carry a complexity.
    #[error("only complaints have a complexity")]
    ComplexityNotApplicable,
}

impl Ticket {
    /// A newly registered ticket. On a call with the customer it starts acknowledged (the
    /// customer has just been told); otherwise it is `new` and the acknowledge clock runs.
    pub fn register(r: Registration) -> Result<Ticket, RegistrationError> {
        match (r.kind, r.complexity) {
            (TicketKind::Complaint, None) => return Err(RegistrationError::ComplexityRequired),
            (k, Some(_)) if k != TicketKind::Complaint => {
                return Err(RegistrationError::ComplexityNotApplicable)
            }
            _ => {}
        }
        Ok(Ticket {
            id: r.id,
            kind: r.kind,
            channel: r.channel,
            customer: r.customer,
            tier: r.tier,
            priority: r.priority,
            complexity: r.complexity,
            state: if r.on_call {
                TicketState::Acknowledged
            } else {
                TicketState::New
            },
            department: r.department,
            assignee: r.registered_by,
            dispatched_from: None,
            escalation_level: 0,
            reopen_count: 0,
            unreachable_attempts: 0,
            resolved_on_first_contact: false,
            version: 1,
        })
    }
}

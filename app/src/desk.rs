//! Service-desk use cases (SSR only): register, act on, import and read tickets; compute
//! and store their SLA state; the SLA sweeper's `run_once`; recomputing open tickets after a
//! calendar or policy change; and the SLA what-if preview. Server functions and REST
//! handlers are thin wrappers around these. The rules themselves live in the domain crate
//! (`loopdesk::ticket`, `loopdesk::sla`); this module loads, decides with them, and writes
//! the outcome in one version-checked store call.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use loopdesk::calendar::spec::{CalendarSpec, SpecError};
use loopdesk::calendar::CalendarError;
use loopdesk::customer::{Customer, CustomerError, CustomerId, Tier};
use loopdesk::sla::{self, Calendars, ClockEvent, Policy, TargetStatus, TicketFacts};
use loopdesk::store::desk::{
    NewTicket, Notification, NotificationKind, SlaSnapshot, StoredCalendar, TicketDetails,
    TicketRecord, TicketWrite, CALENDAR_CODES,
};
use loopdesk::store::portal::{CustomerNotice, NoticeKind};
use loopdesk::store::{AuditAction, AuditEntry, StoreError};
use loopdesk::task::{OutboundTask, TaskReason};
use loopdesk::ticket::action::{self, Action, Actor, TransitionError};
use loopdesk::ticket::event::{clock_events, fired_alerts, EventKind, NewEvent, TicketEvent};
use loopdesk::ticket::{
    Channel, Complexity, Priority, Registration, RegistrationError, Ticket, TicketId, TicketKind,
    TicketState,
};
use loopdesk::user::{Role, User};
use uuid::Uuid;

use crate::state::Stores;
pub use crate::views::{FirstContact, RegisterInput};

/// Longest accepted subject.
pub const MAX_SUBJECT: usize = 200;
/// Longest accepted free text (description, reasons, replies, comments).
pub const MAX_TEXT: usize = 10_000;
/// Longest accepted category.
pub const MAX_CATEGORY: usize = 100;

/// What is wrong with an input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Required and missing or blank.
    Required,
    /// Longer than allowed.
    TooLong {
        /// Maximum characters.
        max: usize,
    },
    /// Refers to something that does not exist (customer, department, agent).
    Unknown,
    /// A time that is in the future or out of order.
    BadTime,
    /// A calendar field.
    Calendar(loopdesk::calendar::spec::SpecProblem),
    /// A customer field.
    Customer(CustomerError),
    /// Registration rule.
    Registration(RegistrationError),
    /// Already used by another record (a phone number).
    Taken,
    /// A percentage outside 1–100.
    Percent,
    /// A CTI event that cannot belong to its call.
    Call(loopdesk::call::CtiError),
    /// A standard phrase.
    Phrase(loopdesk::phrase::PhraseError),
    /// Not a date (`YYYY-MM-DD`) or the range is reversed/too long.
    BadDate,
    /// An API token definition.
    Token(loopdesk::token::TokenDefinitionError),
    /// A synonym group.
    Synonym(loopdesk::kb::search::SynonymError),
    /// A category path (lower-case letters, digits, `_`, `-`, segments joined by `/`).
    Category,
    /// An answer to a flow step, with the field's label in the reader's language.
    Answer {
        /// The label.
        label: String,
        /// What is wrong.
        why: loopdesk::flow::RunError,
    },
    /// Not a mainland mobile number.
    Phone(loopdesk::portal::PhoneError),
    /// The password breaks the customers' rule.
    Password(loopdesk::portal::PasswordError),
    /// The verification code was refused.
    Code(loopdesk::portal::CodeError),
    /// The file was refused.
    Attachment(loopdesk::portal::attachment::AttachmentError),
    /// The number has a portal account already.
    Registered,
    /// The current password does not match.
    WrongPassword,
    /// A staff password younger than the minimum age; it may be changed from `until`.
    PasswordTooSoon {
        /// The earliest moment.
        until: chrono::DateTime<chrono::Utc>,
    },
    /// The new password and its confirmation differ.
    PasswordMismatch,
    /// The account is disabled.
    AccountDisabled,
    /// An administrator's action on their own account.
    OwnAccount,
    /// A quality scorecard or review.
    Quality(loopdesk::quality::QualityError),
    /// A staffing goal.
    Goal(loopdesk::staffing::GoalError),
    /// A roster shift.
    Shift(loopdesk::staffing::ShiftError),
    /// Already reviewed with that scorecard.
    Reviewed,
}

/// The one error type of the desk use cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskError {
    /// The actor may not do this.
    Forbidden,
    /// No such ticket, calendar or customer.
    NotFound,
    /// The ticket changed since the caller read it.
    Conflict {
        /// The stored version now.
        current_version: u64,
    },
    /// The closed loop refused the action.
    Refused(TransitionError),
    /// A field is invalid.
    Invalid {
        /// The field (JSON name or path).
        field: String,
        /// What is wrong.
        problem: Invalid,
    },
    /// An import with problems; nothing of it was written.
    Import(Vec<loopdesk::billing::import::ImportIssue>),
    /// An outbound task refused the operation.
    Task(loopdesk::task::TaskError),
    /// The agent's state cannot change like this.
    Agent(loopdesk::agent::AgentStateError),
    /// An external system (billing) did not answer usefully; details are logged.
    Upstream,
    /// An API token was refused.
    Token(loopdesk::token::TokenRefusal),
    /// A knowledge-base article refused the action.
    Article(loopdesk::kb::ArticleError),
    /// A flow definition cannot be published: every problem.
    Flow(Vec<loopdesk::flow::FlowError>),
    /// A flow run refused the step.
    Run(loopdesk::flow::RunError),
    /// The answer bot refused the turn.
    Bot(loopdesk::kb::bot::BotError),
    /// Too many attempts: try again in `seconds`.
    RateLimited {
        /// Seconds until another attempt will be accepted (at least 1).
        seconds: i64,
    },
    /// A failure logged on the server.
    Internal,
}

impl DeskError {
    /// Refusals because of where something stands (HTTP 409), not because of the input.
    pub fn is_state_conflict(&self) -> bool {
        use loopdesk::flow::RunError;
        use loopdesk::kb::bot::BotError;
        use loopdesk::kb::ArticleError;
        matches!(
            self,
            DeskError::Article(ArticleError::NotInStatus(_) | ArticleError::OwnReview)
                | DeskError::Run(RunError::Finished | RunError::AtFirstStep)
                | DeskError::Bot(BotError::Closed | BotError::NotOffered | BotError::NothingToRate)
        )
    }

    /// An invalid field.
    pub fn invalid(field: impl Into<String>, problem: Invalid) -> DeskError {
        DeskError::Invalid {
            field: field.into(),
            problem,
        }
    }
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => DeskError::NotFound,
            other => {
                tracing::error!(error = ?other, "store failure in a desk use case");
                DeskError::Internal
            }
        }
    }
}

fn internal(e: impl std::fmt::Debug) -> DeskError {
    tracing::error!(error = ?e, "desk failure");
    DeskError::Internal
}

pub(crate) fn text(field: &str, value: &str, max: usize, required: bool) -> Result<(), DeskError> {
    if required && value.trim().is_empty() {
        return Err(DeskError::invalid(field, Invalid::Required));
    }
    if value.chars().count() > max {
        return Err(DeskError::invalid(field, Invalid::TooLong { max }));
    }
    Ok(())
}

/// The actor for a staff user; customers and admins do not work tickets here.
pub fn staff_actor(user: &User) -> Result<Actor, DeskError> {
    match user.role {
        Role::Agent | Role::Supervisor => Ok(Actor {
            user: user.id,
            role: user.role,
            department: user.department_id,
        }),
        Role::Customer | Role::Admin => Err(DeskError::Forbidden),
    }
}

// ------------------------------------------------------------------ SLA configuration

/// Policies and calendars as stored (shipped defaults where nothing is stored).
#[derive(Debug, Clone)]
pub struct SlaConfig {
    /// Policies in order.
    pub policies: Vec<Policy>,
    /// The `24x7` and `office` calendars.
    pub calendars: Calendars,
}

/// Loads the SLA configuration.
pub async fn load_sla_config(stores: &Stores) -> Result<SlaConfig, DeskError> {
    let mut policies = stores.sla_config.policies().await?;
    if policies.is_empty() {
        policies = sla::seed_policies();
    }
    let mut calendars = Calendars::shipped();
    for stored in stores.sla_config.calendars().await? {
        let cal = stored.spec.build().map_err(internal)?;
        match stored.code.as_str() {
            "24x7" => calendars.all_hours = cal,
            "office" => calendars.office = cal,
            _ => {}
        }
    }
    Ok(SlaConfig {
        policies,
        calendars,
    })
}

fn facts(t: &Ticket) -> TicketFacts {
    TicketFacts {
        kind: t.kind,
        complexity: t.complexity,
        tier: t.tier,
        priority: t.priority,
    }
}

/// Every started target of a ticket at `now`, from its clock history.
pub fn targets(
    cfg: &SlaConfig,
    ticket: &Ticket,
    clock: &[(DateTime<Utc>, ClockEvent)],
    now: DateTime<Utc>,
) -> Result<Vec<TargetStatus>, DeskError> {
    sla::compute(&cfg.policies, &cfg.calendars, &facts(ticket), clock, now).map_err(internal)
}

/// The SLA state of a ticket from its whole history.
pub fn snapshot(
    cfg: &SlaConfig,
    ticket: &Ticket,
    clock: &[(DateTime<Utc>, ClockEvent)],
    fired: &[(sla::SlaTarget, sla::SlaAlert, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> Result<SlaSnapshot, DeskError> {
    let targets = targets(cfg, ticket, clock, now)?;
    let (_, next) = sla::sweep(&targets, fired, now);
    let running = || {
        targets
            .iter()
            .filter(|s| s.stopped_at.is_none() && s.state != sla::TargetState::Paused)
    };
    Ok(SlaSnapshot {
        next_check_at: if ticket.state.is_open() { next } else { None },
        nearest_due_at: sla::nearest_due(&targets),
        risk_at: running().map(|s| s.warn_at).min(),
        targets,
    })
}

/// Clock events of a history, in order.
type ClockHistory = Vec<(DateTime<Utc>, ClockEvent)>;
/// SLA points already raised: (target, point, run start).
type Fired = Vec<(sla::SlaTarget, sla::SlaAlert, DateTime<Utc>)>;

fn history(stored: &[TicketEvent], new: &[NewEvent]) -> (ClockHistory, Fired) {
    let mut clock = clock_events(stored);
    let mut fired = fired_alerts(stored);
    for e in new {
        if let Some(c) = e.kind.clock_event() {
            clock.push((e.at, c));
        }
        if let EventKind::Sla {
            alert,
            target,
            started_at,
        } = e.kind
        {
            fired.push((target, alert, started_at));
        }
    }
    (clock, fired)
}

/// The local date of an instant on the office calendar, `YYYYMMDD` (ticket numbers).
fn local_day(cfg: &SlaConfig, at: DateTime<Utc>) -> String {
    at.with_timezone(&cfg.calendars.office.tz())
        .format("%Y%m%d")
        .to_string()
}

// ------------------------------------------------------------------ register

fn normal() -> Priority {
    Priority::Normal
}

fn check_details(subject: &str, description: &str, category: &str) -> Result<(), DeskError> {
    text("subject", subject, MAX_SUBJECT, true)?;
    text("description", description, MAX_TEXT, false)?;
    text("category", category, MAX_CATEGORY, false)
}

/// The checked, trimmed free text of a new ticket.
fn details(subject: &str, description: &str, category: &str) -> Result<TicketDetails, DeskError> {
    check_details(subject, description, category)?;
    Ok(TicketDetails {
        subject: subject.trim().to_owned(),
        description: description.trim().to_owned(),
        category: category.trim().to_owned(),
        account: None,
        contact_time: None,
    })
}

async fn customer_of(stores: &Stores, id: Uuid) -> Result<Customer, DeskError> {
    match stores.customers.get_customer(CustomerId(id)).await {
        Err(StoreError::NotFound) => Err(DeskError::invalid("customer", Invalid::Unknown)),
        other => Ok(other?),
    }
}

/// Registers a ticket for a customer; returns its id.
pub async fn register(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: RegisterInput,
) -> Result<TicketId, DeskError> {
    let actor = staff_actor(user)?;
    let department = actor.department.ok_or(DeskError::Forbidden)?;
    register_as(stores, now, user, Some(&actor), department, input).await
}

/// The customer record of a signed-in customer (matched by their mobile number).
pub async fn own_customer(stores: &Stores, user: &User) -> Result<Customer, DeskError> {
    if user.role != Role::Customer {
        return Err(DeskError::Forbidden);
    }
    let phone = user.phone.as_deref().ok_or(DeskError::NotFound)?;
    let found = stores.customers.customers_by_phone(phone).await?;
    found.into_iter().next().ok_or(DeskError::NotFound)
}

/// A customer's own request (portal, answer-bot hand-over, self-service flow): registered
/// for their customer record, owned by the intake department (客服中心), to be acknowledged
/// by staff within the acknowledge target.
pub async fn register_for_customer(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: RegisterInput,
) -> Result<TicketId, DeskError> {
    let customer = own_customer(stores, user).await?;
    let departments = stores.departments.list_departments().await?;
    let intake = departments
        .iter()
        .find(|d| d.code == INTAKE_DEPARTMENT)
        .or(departments.first())
        .ok_or(DeskError::Internal)?;
    let input = RegisterInput {
        customer: customer.id.0,
        priority: Priority::Normal,
        on_call: false,
        first_contact: None,
        call_id: None,
        ..input
    };
    register_as(stores, now, user, None, intake.id, input).await
}

/// The department that owns customers' own requests until dispatched.
pub const INTAKE_DEPARTMENT: &str = "service_center";

async fn register_as(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    actor: Option<&Actor>,
    department: loopdesk::user::DepartmentId,
    input: RegisterInput,
) -> Result<TicketId, DeskError> {
    check_details(&input.subject, &input.description, &input.category)?;
    let customer = customer_of(stores, input.customer).await?;
    if let Some(call_id) = &input.call_id {
        if stores.calls.get_call(call_id).await?.is_none() {
            return Err(DeskError::invalid("call_id", Invalid::Unknown));
        }
    }
    let account = match input.account.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(number) => {
            let accounts = stores.billing.customer_accounts(customer.id).await?;
            if !accounts.iter().any(|a| a.number == number) {
                return Err(DeskError::invalid("account", Invalid::Unknown));
            }
            Some(number.to_owned())
        }
    };
    let ticket = Ticket::register(Registration {
        id: TicketId(Uuid::new_v4()),
        kind: input.kind,
        channel: input.channel,
        customer: customer.id,
        tier: customer.tier,
        priority: input.priority,
        complexity: input.complexity,
        department,
        registered_by: Some(user.id),
        on_call: input.on_call,
    })
    .map_err(|e| DeskError::invalid("complexity", Invalid::Registration(e)))?;
    let mut events = vec![NewEvent {
        at: now,
        actor: Some(user.id),
        kind: EventKind::Registered {
            on_call: input.on_call,
        },
        from: None,
        to: ticket.state,
    }];
    let mut ticket = ticket;
    if let Some(fc) = input.first_contact {
        let actor = actor.ok_or(DeskError::Forbidden)?;
        text("resolution", &fc.resolution, MAX_TEXT, true)?;
        text("cause_category", &fc.cause_category, MAX_CATEGORY, true)?;
        let steps =
            action::resolve_on_first_contact(&ticket, actor, fc.resolution, fc.cause_category)
                .map_err(DeskError::Refused)?;
        for step in steps {
            events.push(NewEvent {
                at: now,
                actor: Some(user.id),
                kind: EventKind::Action(step.action),
                from: Some(step.from),
                to: step.ticket.state,
            });
            ticket = step.ticket;
        }
        // Registration is version 1 whatever happened on the call.
        ticket.version = 1;
    }
    let cfg = load_sla_config(stores).await?;
    let (clock, fired) = history(&[], &events);
    let sla = snapshot(&cfg, &ticket, &clock, &fired, now)?;
    let id = ticket.id;
    stores
        .tickets
        .create_ticket(NewTicket {
            day: local_day(&cfg, now),
            ticket,
            details: TicketDetails {
                account,
                contact_time: input.contact_time,
                ..details(&input.subject, &input.description, &input.category)?
            },
            registered_at: now,
            registered_by: Some(user.id),
            events,
            sla,
        })
        .await?;
    if let Some(call_id) = &input.call_id {
        stores.calls.link_ticket(call_id, id).await?;
    }
    Ok(id)
}

// ------------------------------------------------------------------ import

/// A historical ticket with its original times (`POST /api/v1/tickets/import`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportInput {
    /// Kind.
    pub kind: TicketKind,
    /// Channel.
    pub channel: Channel,
    /// Priority.
    #[serde(default = "normal")]
    pub priority: Priority,
    /// Complexity (complaints).
    #[serde(default)]
    pub complexity: Option<Complexity>,
    /// Customer.
    pub customer: Uuid,
    /// Summary.
    pub subject: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Category.
    #[serde(default)]
    pub category: String,
    /// Original registration time.
    pub registered_at: DateTime<Utc>,
    /// Original acknowledgement time, if it was acknowledged.
    #[serde(default)]
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// Imports a historical ticket (administrators); its clocks run from the original times.
pub async fn import(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: ImportInput,
) -> Result<(TicketId, String), DeskError> {
    if user.role != Role::Admin {
        return Err(DeskError::Forbidden);
    }
    let department = user.department_id.ok_or(DeskError::Forbidden)?;
    check_details(&input.subject, &input.description, &input.category)?;
    if input.registered_at > now {
        return Err(DeskError::invalid("registered_at", Invalid::BadTime));
    }
    if let Some(a) = input.acknowledged_at {
        if a < input.registered_at || a > now {
            return Err(DeskError::invalid("acknowledged_at", Invalid::BadTime));
        }
    }
    let customer = customer_of(stores, input.customer).await?;
    let mut ticket = Ticket::register(Registration {
        id: TicketId(Uuid::new_v4()),
        kind: input.kind,
        channel: input.channel,
        customer: customer.id,
        tier: customer.tier,
        priority: input.priority,
        complexity: input.complexity,
        department,
        registered_by: None,
        on_call: false,
    })
    .map_err(|e| DeskError::invalid("complexity", Invalid::Registration(e)))?;
    let mut events = vec![NewEvent {
        at: input.registered_at,
        actor: None,
        kind: EventKind::Registered { on_call: false },
        from: None,
        to: TicketState::New,
    }];
    if let Some(at) = input.acknowledged_at {
        ticket.state = TicketState::Acknowledged;
        events.push(NewEvent {
            at,
            actor: None,
            kind: EventKind::Action(Action::Acknowledge),
            from: Some(TicketState::New),
            to: TicketState::Acknowledged,
        });
    }
    let cfg = load_sla_config(stores).await?;
    let (clock, fired) = history(&[], &events);
    let sla = snapshot(&cfg, &ticket, &clock, &fired, now)?;
    let id = ticket.id;
    let number = stores
        .tickets
        .create_ticket(NewTicket {
            day: local_day(&cfg, input.registered_at),
            ticket,
            details: details(&input.subject, &input.description, &input.category)?,
            registered_at: input.registered_at,
            registered_by: None,
            events,
            sla,
        })
        .await?;
    stores
        .audit
        .append(AuditEntry {
            at: now,
            actor: Some(user.id),
            action: AuditAction::TicketImported,
            subject: number.clone(),
            detail: format!("registered_at={}", input.registered_at.to_rfc3339()),
            transaction_id: None,
        })
        .await?;
    Ok((id, number))
}

// ------------------------------------------------------------------ act

async fn check_references(stores: &Stores, action: &Action) -> Result<(), DeskError> {
    let long = |field: &str, v: &str| text(field, v, MAX_TEXT, false);
    match action {
        Action::Dispatch { department, note } => {
            long("note", note)?;
            match stores.departments.get_department(*department).await {
                Err(StoreError::NotFound) => {
                    return Err(DeskError::invalid("department", Invalid::Unknown))
                }
                other => {
                    other?;
                }
            }
        }
        Action::Transfer { department, reason } => {
            long("reason", reason)?;
            match stores.departments.get_department(*department).await {
                Err(StoreError::NotFound) => {
                    return Err(DeskError::invalid("department", Invalid::Unknown))
                }
                other => {
                    other?;
                }
            }
        }
        Action::Reassign { agent } => match stores.users.get_user(*agent).await {
            Ok(u) if matches!(u.role, Role::Agent | Role::Supervisor) && !u.disabled => {}
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(DeskError::invalid("agent", Invalid::Unknown))
            }
            Err(e) => return Err(e.into()),
        },
        Action::Return { reason }
        | Action::Pause { reason }
        | Action::Escalate { reason }
        | Action::Cancel { reason } => long("reason", reason)?,
        Action::Reply {
            resolution,
            cause_category,
        } => {
            long("resolution", resolution)?;
            text("cause_category", cause_category, MAX_CATEGORY, false)?;
        }
        Action::Revisit { note, .. } | Action::Close { note } => long("note", note)?,
        Action::CustomerConfirm { comment, .. } => long("comment", comment)?,
        Action::Comment { text: body, .. } => long("text", body)?,
        Action::Acknowledge | Action::Accept | Action::Resume => {}
    }
    Ok(())
}

/// Takes an action on a ticket the caller last saw at `expected_version`.
pub async fn act(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: TicketId,
    expected_version: u64,
    action: Action,
) -> Result<(), DeskError> {
    let (actor, record) = load_for_action(stores, user, id, expected_version).await?;
    check_references(stores, &action).await?;
    let step = action::apply(&record.ticket, &actor, action).map_err(DeskError::Refused)?;
    commit(stores, now, user, &record, vec![step]).await
}

/// A customer's reply from the portal (a reply to a ticket waiting for them resumes it).
pub async fn customer_reply(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: TicketId,
    expected_version: u64,
    body: &str,
) -> Result<(), DeskError> {
    let (actor, record) = load_for_action(stores, user, id, expected_version).await?;
    text("text", body, MAX_TEXT, true)?;
    let steps = action::customer_reply(&record.ticket, &actor, body.trim().to_owned())
        .map_err(DeskError::Refused)?;
    commit(stores, now, user, &record, steps).await
}

/// The actor and the ticket for an action: customers reach only their own tickets (any
/// other is "not found"); the version must be the one the caller saw.
async fn load_for_action(
    stores: &Stores,
    user: &User,
    id: TicketId,
    expected_version: u64,
) -> Result<(Actor, TicketRecord), DeskError> {
    let actor = match user.role {
        Role::Customer => Actor {
            user: user.id,
            role: Role::Customer,
            department: None,
        },
        _ => staff_actor(user)?,
    };
    let record = stores.tickets.get_ticket(id).await?;
    if user.role == Role::Customer {
        let own = own_customer(stores, user).await?;
        if record.ticket.customer != own.id {
            return Err(DeskError::NotFound);
        }
    }
    if record.ticket.version != expected_version {
        return Err(DeskError::Conflict {
            current_version: record.ticket.version,
        });
    }
    Ok((actor, record))
}

/// What the customer hears of a step taken by staff: an answer, a message for them, or a
/// state change. Their own steps and internal ones tell them nothing.
fn customer_notice(
    user: &User,
    step: &action::Transition,
    now: DateTime<Utc>,
) -> Option<CustomerNotice> {
    if user.role == Role::Customer {
        return None;
    }
    let kind = match &step.action {
        Action::Reply { .. } => NoticeKind::Answered,
        Action::Comment {
            visibility: action::Visibility::Customer,
            ..
        } => NoticeKind::Message,
        _ if step.from != step.ticket.state => NoticeKind::StateChanged,
        _ => return None,
    };
    Some(CustomerNotice {
        id: Uuid::new_v4(),
        customer: step.ticket.customer,
        ticket: step.ticket.id,
        kind,
        state: step.ticket.state,
        at: now,
        read: false,
    })
}

/// Writes the steps of one action (events, SLA state, follow-up tasks, notifications and
/// customer notices) in one version-checked store call.
async fn commit(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    record: &TicketRecord,
    steps: Vec<action::Transition>,
) -> Result<(), DeskError> {
    let id = record.ticket.id;
    let expected_version = record.ticket.version;
    let Some(last) = steps.last() else {
        return Ok(());
    };
    let after = last.ticket.clone();
    let mut notifications = Vec::new();
    if after.escalation_level > record.ticket.escalation_level {
        notifications.push(Notification {
            id: Uuid::new_v4(),
            role: Role::Supervisor,
            kind: NotificationKind::Escalated,
            ticket: id,
            at: now,
        });
    }
    let customer_notices = steps
        .iter()
        .filter_map(|s| customer_notice(user, s, now))
        .collect();
    let new_events: Vec<NewEvent> = steps
        .into_iter()
        .map(|step| NewEvent {
            at: now,
            actor: Some(user.id),
            to: step.ticket.state,
            kind: EventKind::Action(step.action),
            from: Some(step.from),
        })
        .collect();
    let stored = stores.tickets.ticket_events(id).await?;
    let cfg = load_sla_config(stores).await?;
    let (clock, fired) = history(&stored, &new_events);
    let sla = snapshot(&cfg, &after, &clock, &fired, now)?;
    // Entering `resolved` puts a follow-up call on the task list (due when the follow-up
    // target is); leaving it closes any follow-up still open.
    let (from, to) = (record.ticket.state, after.state);
    let mut outbound = Vec::new();
    let mut supersede = Vec::new();
    if to == TicketState::Resolved && from != TicketState::Resolved {
        if after.kind.requires_follow_up() {
            let due = sla
                .targets
                .iter()
                .find(|t| t.target == sla::SlaTarget::FollowUp && t.stopped_at.is_none())
                .map_or(now, |t| t.due_at);
            let mut task = OutboundTask::new(
                Uuid::new_v4(),
                TaskReason::FollowUp,
                Some(after.customer),
                customer_phone(stores, after.customer).await?,
                after.department,
                due,
                now,
            );
            task.ticket = Some(id);
            outbound.push(task);
        }
    } else if from == TicketState::Resolved && to != TicketState::Resolved {
        supersede.push(TaskReason::FollowUp);
    }
    if !to.is_open() {
        supersede.push(TaskReason::SlaOverdue);
    }
    write(
        stores,
        expected_version,
        TicketWrite {
            ticket: after,
            events: new_events,
            sla,
            outbound,
            supersede,
            notifications,
            customer_notices,
            at: now,
        },
    )
    .await
}

/// The number to call a customer on: their first.
pub async fn customer_phone(stores: &Stores, customer: CustomerId) -> Result<String, DeskError> {
    let c = stores.customers.get_customer(customer).await?;
    Ok(c.phones.first().cloned().unwrap_or_default())
}

async fn write(stores: &Stores, expected: u64, w: TicketWrite) -> Result<(), DeskError> {
    let id = w.ticket.id;
    match stores.tickets.write_ticket(expected, w).await {
        Err(StoreError::Conflict { what: "version" }) => {
            let current = stores.tickets.get_ticket(id).await?;
            Err(DeskError::Conflict {
                current_version: current.ticket.version,
            })
        }
        other => Ok(other?),
    }
}

// ------------------------------------------------------------------ read

/// A ticket with its events, customer, and what the viewer may do now.
#[derive(Debug, Clone)]
pub struct TicketDetail {
    /// The stored ticket.
    pub record: TicketRecord,
    /// Its events in order.
    pub events: Vec<TicketEvent>,
    /// Whether the event chain verifies.
    pub chain_intact: bool,
    /// The customer.
    pub customer: Customer,
    /// The SLA targets recomputed at `now` (states move with time).
    pub sla: Vec<TargetStatus>,
    /// Action codes the viewer may take.
    pub allowed: Vec<&'static str>,
    /// When it was read.
    pub as_of: DateTime<Utc>,
}

/// Reads a ticket for a staff member.
pub async fn detail(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: TicketId,
) -> Result<TicketDetail, DeskError> {
    if !user.role.is_staff() {
        return Err(DeskError::NotFound);
    }
    let record = stores.tickets.get_ticket(id).await?;
    let events = stores.tickets.ticket_events(id).await?;
    let customer = stores
        .customers
        .get_customer(record.ticket.customer)
        .await?;
    let cfg = load_sla_config(stores).await?;
    let (clock, _) = history(&events, &[]);
    let sla = targets(&cfg, &record.ticket, &clock, now)?;
    let allowed = match staff_actor(user) {
        Ok(actor) => action::available(&record.ticket, &actor),
        Err(_) => Vec::new(),
    };
    let chain_intact = loopdesk::ticket::event::verify_chain(&events).is_ok();
    Ok(TicketDetail {
        record,
        events,
        chain_intact,
        customer,
        sla,
        allowed,
        as_of: now,
    })
}

// ------------------------------------------------------------------ sweeper

/// What one sweeper pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SweepOutcome {
    /// Tickets looked at.
    pub tickets: usize,
    /// `sla_warning` events raised.
    pub warnings: usize,
    /// `sla_overdue` events raised (each with an outbound task).
    pub overdue: usize,
    /// `sla_breached` events raised (each escalating and notifying supervisors).
    pub breached: usize,
    /// Tickets skipped because an action changed them meanwhile (picked up next pass).
    pub conflicts: usize,
}

/// How long a claimed ticket is left to the sweeper that claimed it: if that sweeper (or
/// its instance) dies, another claims the ticket once this has passed.
pub const SWEEP_LEASE: chrono::Duration = chrono::Duration::minutes(5);

/// One sweeper pass at `now`: claims tickets whose next SLA check is due, in batches,
/// raises each due point exactly once (the event log is the record of what was raised, so
/// a restart or a repeated pass raises nothing twice), and stores the next check.
pub async fn run_once(
    stores: &Stores,
    now: DateTime<Utc>,
    batch: u32,
) -> Result<SweepOutcome, DeskError> {
    let cfg = load_sla_config(stores).await?;
    let mut out = SweepOutcome::default();
    let mut seen = HashSet::new();
    loop {
        let ids = stores
            .tickets
            .claim_sla_checks(now, batch, now + SWEEP_LEASE)
            .await?;
        let fresh: Vec<TicketId> = ids.iter().copied().filter(|i| seen.insert(*i)).collect();
        if fresh.is_empty() {
            break;
        }
        for id in fresh {
            out.tickets += 1;
            match sweep_ticket(stores, &cfg, id, now, &mut out).await {
                Ok(()) => {}
                Err(DeskError::Conflict { .. }) => out.conflicts += 1,
                Err(e) => return Err(e),
            }
        }
        if ids.len() < batch as usize {
            break;
        }
    }
    Ok(out)
}

async fn sweep_ticket(
    stores: &Stores,
    cfg: &SlaConfig,
    id: TicketId,
    now: DateTime<Utc>,
    out: &mut SweepOutcome,
) -> Result<(), DeskError> {
    let record = stores.tickets.get_ticket(id).await?;
    let stored = stores.tickets.ticket_events(id).await?;
    let (clock, fired) = history(&stored, &[]);
    let targets = targets(cfg, &record.ticket, &clock, now)?;
    let (due, _) = sla::sweep(&targets, &fired, now);
    let version = record.ticket.version;
    if due.is_empty() || !record.ticket.state.is_open() {
        let sla = snapshot(cfg, &record.ticket, &clock, &fired, now)?;
        return match stores.tickets.store_sla(id, version, sla).await {
            Err(StoreError::Conflict { .. }) => Err(DeskError::Conflict {
                current_version: version,
            }),
            other => Ok(other?),
        };
    }
    let mut ticket = record.ticket.clone();
    let mut events = Vec::new();
    let mut outbound = Vec::new();
    let mut notifications = Vec::new();
    let (mut warnings, mut overdue, mut breached) = (0, 0, 0);
    for d in due {
        match d.alert {
            sla::SlaAlert::Warning => warnings += 1,
            sla::SlaAlert::Overdue => {
                overdue += 1;
                let mut task = OutboundTask::new(
                    Uuid::new_v4(),
                    TaskReason::SlaOverdue,
                    Some(ticket.customer),
                    customer_phone(stores, ticket.customer).await?,
                    ticket.department,
                    now,
                    now,
                );
                task.ticket = Some(id);
                outbound.push(task);
            }
            sla::SlaAlert::Breached => {
                breached += 1;
                ticket.escalation_level += 1;
                notifications.push(Notification {
                    id: Uuid::new_v4(),
                    role: Role::Supervisor,
                    kind: NotificationKind::SlaBreached,
                    ticket: id,
                    at: now,
                });
            }
        }
        events.push(NewEvent {
            at: now,
            actor: None,
            kind: EventKind::Sla {
                alert: d.alert,
                target: d.target,
                started_at: d.started_at,
            },
            from: Some(ticket.state),
            to: ticket.state,
        });
    }
    ticket.version += 1;
    let (clock, fired) = history(&stored, &events);
    let sla = snapshot(cfg, &ticket, &clock, &fired, now)?;
    write(
        stores,
        version,
        TicketWrite {
            ticket,
            events,
            sla,
            outbound,
            supersede: Vec::new(),
            notifications,
            customer_notices: Vec::new(),
            at: now,
        },
    )
    .await?;
    out.warnings += warnings;
    out.overdue += overdue;
    out.breached += breached;
    Ok(())
}

/// Recomputes the stored SLA state of every open ticket (after a calendar or policy
/// change). Returns how many were updated.
pub async fn recompute_open(stores: &Stores, now: DateTime<Utc>) -> Result<usize, DeskError> {
    let cfg = load_sla_config(stores).await?;
    let mut n = 0;
    for id in stores.tickets.open_ticket_ids().await? {
        // An action between the read and the write recomputed it already.
        let record = stores.tickets.get_ticket(id).await?;
        let events = stores.tickets.ticket_events(id).await?;
        let (clock, fired) = history(&events, &[]);
        let sla = snapshot(&cfg, &record.ticket, &clock, &fired, now)?;
        match stores
            .tickets
            .store_sla(id, record.ticket.version, sla)
            .await
        {
            Ok(()) => n += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(n)
}

// ------------------------------------------------------------------ calendars and policies

/// Stores a calendar after validation, recomputes open tickets and audits the change.
pub async fn put_calendar(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    code: &str,
    spec: CalendarSpec,
) -> Result<usize, DeskError> {
    if user.role != Role::Admin {
        return Err(DeskError::Forbidden);
    }
    if !CALENDAR_CODES.contains(&code) {
        return Err(DeskError::NotFound);
    }
    let cal = spec.build().map_err(|SpecError { field, problem }| {
        DeskError::invalid(field, Invalid::Calendar(problem))
    })?;
    if let Err(e @ CalendarError::NoWorkingTime) = cal.add_business_seconds(now, 60) {
        return Err(DeskError::invalid("weekly", Invalid::Calendar(e.into())));
    }
    // Store the normalised form (sorted intervals and dates).
    let spec = CalendarSpec::of(&cal);
    stores
        .sla_config
        .put_calendar(StoredCalendar {
            code: code.to_owned(),
            spec,
            updated_at: now,
        })
        .await?;
    audit(stores, now, user, AuditAction::CalendarChanged, code).await?;
    recompute_open(stores, now).await
}

/// The stored calendars in exchange form (shipped ones where nothing is stored).
pub async fn calendars(stores: &Stores) -> Result<Vec<(String, CalendarSpec)>, DeskError> {
    let cfg = load_sla_config(stores).await?;
    Ok(vec![
        ("24x7".into(), CalendarSpec::of(&cfg.calendars.all_hours)),
        ("office".into(), CalendarSpec::of(&cfg.calendars.office)),
    ])
}

/// Replaces the SLA policies, recomputes open tickets and audits the change.
pub async fn put_policies(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    policies: Vec<Policy>,
) -> Result<usize, DeskError> {
    if user.role != Role::Admin {
        return Err(DeskError::Forbidden);
    }
    for (i, p) in policies.iter().enumerate() {
        text(&format!("[{i}].name"), &p.name, MAX_CATEGORY, true)?;
        if p.warn_percent == 0 || p.warn_percent > 100 {
            return Err(DeskError::invalid(
                format!("[{i}].warn_percent"),
                Invalid::Percent,
            ));
        }
    }
    if policies.is_empty() {
        return Err(DeskError::invalid("policies", Invalid::Required));
    }
    stores.sla_config.put_policies(&policies, now).await?;
    audit(stores, now, user, AuditAction::PoliciesChanged, "sla").await?;
    recompute_open(stores, now).await
}

/// Today in the center's time zone (the office calendar's).
pub async fn today(stores: &Stores, now: DateTime<Utc>) -> Result<chrono::NaiveDate, DeskError> {
    let cfg = load_sla_config(stores).await?;
    Ok(now.with_timezone(&cfg.calendars.office.tz()).date_naive())
}

/// The local hour of day in the center's time zone.
pub async fn local_hour(stores: &Stores, now: DateTime<Utc>) -> Result<u32, DeskError> {
    use chrono::Timelike;
    let cfg = load_sla_config(stores).await?;
    Ok(now.with_timezone(&cfg.calendars.office.tz()).hour())
}

/// Appends an audit-log entry for the user's action.
pub(crate) async fn audit(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    action: AuditAction,
    subject: &str,
) -> Result<(), DeskError> {
    let entry = AuditEntry::new(now, action, subject).by(Some(user.id));
    stores.audit.append(entry).await?;
    Ok(())
}

// ------------------------------------------------------------------ preview

/// A pause in a preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PausePreview {
    /// Start.
    pub from: DateTime<Utc>,
    /// End.
    pub to: DateTime<Utc>,
}

/// `POST /api/v1/sla/preview`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PreviewInput {
    /// Kind.
    pub kind: TicketKind,
    /// Complexity (complaints).
    #[serde(default)]
    pub complexity: Option<Complexity>,
    /// Tier.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// Priority.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// When the clocks start.
    pub start: DateTime<Utc>,
    /// Pauses of the resolve clock.
    #[serde(default)]
    pub pauses: Vec<PausePreview>,
}

/// What-if due times for every target started at `start`, with the stored policies and
/// calendars.
pub async fn preview(
    stores: &Stores,
    input: &PreviewInput,
) -> Result<Vec<TargetStatus>, DeskError> {
    if input.kind == TicketKind::Complaint && input.complexity.is_none() {
        return Err(DeskError::invalid(
            "complexity",
            Invalid::Registration(RegistrationError::ComplexityRequired),
        ));
    }
    let mut last = input.start;
    for (i, p) in input.pauses.iter().enumerate() {
        if p.from < last || p.to <= p.from {
            return Err(DeskError::invalid(format!("pauses[{i}]"), Invalid::BadTime));
        }
        last = p.to;
    }
    let cfg = load_sla_config(stores).await?;
    let f = TicketFacts {
        kind: input.kind,
        complexity: input.complexity,
        tier: input.tier.unwrap_or(Tier::Normal),
        priority: input.priority.unwrap_or(Priority::Normal),
    };
    let start = input.start;
    let mut main = vec![(start, ClockEvent::Registered { on_call: false })];
    for p in &input.pauses {
        main.push((p.from, ClockEvent::Paused));
        main.push((p.to, ClockEvent::Resumed));
    }
    let registered = (start, ClockEvent::Registered { on_call: false });
    let runs = [
        main,
        vec![registered, (start, ClockEvent::Dispatched)],
        vec![registered, (start, ClockEvent::Replied)],
    ];
    let mut out: Vec<TargetStatus> = Vec::new();
    for (run, wanted) in runs.iter().zip([
        &[sla::SlaTarget::Acknowledge, sla::SlaTarget::Resolve][..],
        &[sla::SlaTarget::DispatchAcceptance][..],
        &[sla::SlaTarget::FollowUp][..],
    ]) {
        let all = sla::compute(&cfg.policies, &cfg.calendars, &f, run, last).map_err(internal)?;
        out.extend(all.into_iter().filter(|s| wanted.contains(&s.target)));
    }
    out.sort_by_key(|s| s.target as u8);
    Ok(out)
}

/// A customer to put on file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewCustomerInput {
    /// Name.
    pub name: String,
    /// Phone numbers, any format.
    pub phones: Vec<String>,
    /// Tier (normal when absent).
    #[serde(default)]
    pub tier: Option<Tier>,
    /// Resident ID number (optional).
    #[serde(default)]
    pub id_number: String,
    /// 先生 / 女士.
    #[serde(default)]
    pub salutation: Option<loopdesk::phrase::Salutation>,
}

/// Validates and creates a customer (agents register callers who are not on file yet).
pub async fn create_customer(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: &NewCustomerInput,
) -> Result<Customer, DeskError> {
    if !user.role.is_staff() {
        return Err(DeskError::Forbidden);
    }
    let c = Customer::new(
        CustomerId(Uuid::new_v4()),
        &input.name,
        &input.phones,
        input.tier.unwrap_or(Tier::Normal),
    )
    .and_then(|c| c.with_id_number(&input.id_number))
    .map_err(|e| {
        let field = match e {
            CustomerError::NameRequired => "name",
            CustomerError::BadIdNumber => "id_number",
            _ => "phones",
        };
        DeskError::invalid(field, Invalid::Customer(e))
    })?;
    let c = Customer {
        salutation: input.salutation,
        ..c
    };
    match stores.customers.create_customer(&c, now).await {
        Err(StoreError::Conflict { .. }) => Err(DeskError::invalid("phones", Invalid::Taken)),
        other => {
            other?;
            audit(
                stores,
                now,
                user,
                AuditAction::CustomerCreated,
                &c.id.0.to_string(),
            )
            .await?;
            Ok(c)
        }
    }
}

impl DeskError {
    /// The message for the user, in their language; names the field where one is wrong.
    pub fn message(&self, locale: loopdesk::locale::Locale) -> String {
        use crate::i18n::names::{field_name, transition_error};
        use crate::i18n::t;
        let zh = locale == loopdesk::locale::Locale::ZhCn;
        let tx = t(locale);
        match self {
            DeskError::Forbidden => tx.err_forbidden.to_owned(),
            DeskError::NotFound => tx.err_not_found.to_owned(),
            DeskError::Internal => tx.err_internal.to_owned(),
            DeskError::Conflict { current_version } => {
                if zh {
                    format!(
                        "工单已被他人更新（当前版本 {current_version}），请查看最新内容后再操作"
                    )
                } else {
                    format!("Someone else changed the ticket (now version {current_version}); review the fresh ticket and try again")
                }
            }
            DeskError::Refused(e) => transition_error(e, locale),
            DeskError::Import(issues) => match zh {
                true => format!("导入文件有 {} 处问题，未导入任何数据", issues.len()),
                false => format!(
                    "The file has {} problem(s); nothing was imported",
                    issues.len()
                ),
            },
            DeskError::Task(e) => crate::i18n::names::task_error(e, locale),
            DeskError::Agent(e) => crate::i18n::names::agent_state_error(e, locale),
            DeskError::Token(r) => crate::i18n::names::token_refusal(*r, locale),
            DeskError::Article(e) => crate::i18n::knowledge::article_error(e, locale),
            DeskError::Flow(problems) => crate::i18n::knowledge::flow_errors(problems, locale),
            DeskError::Run(e) => crate::i18n::knowledge::run_error(e, locale),
            DeskError::Bot(e) => crate::i18n::knowledge::bot_error(*e, locale),
            DeskError::Upstream => match zh {
                true => "计费系统暂时无法访问，请稍后再试".to_owned(),
                false => {
                    "The billing system cannot be reached right now; try again later".to_owned()
                }
            },
            DeskError::Invalid {
                problem: Invalid::Answer { label, why },
                ..
            } => crate::i18n::knowledge::answer_error(label, why, locale),
            DeskError::RateLimited { .. } => crate::i18n::portal::rate_limited(locale),
            DeskError::Invalid {
                problem:
                    p @ (Invalid::Quality(_) | Invalid::Goal(_) | Invalid::Shift(_) | Invalid::Reviewed),
                ..
            } => crate::i18n::supervision::problem(p, locale),
            DeskError::Invalid {
                problem:
                    p @ (Invalid::Phone(_)
                    | Invalid::Password(_)
                    | Invalid::Code(_)
                    | Invalid::Attachment(_)
                    | Invalid::Registered
                    | Invalid::WrongPassword
                    | Invalid::PasswordTooSoon { .. }
                    | Invalid::PasswordMismatch
                    | Invalid::AccountDisabled
                    | Invalid::OwnAccount),
                ..
            } => crate::i18n::portal::problem(p, locale),
            DeskError::Invalid { field, problem } => {
                let f = field_name(field, locale);
                let what = match (problem, zh) {
                    (Invalid::Required, true) => "必须填写".to_owned(),
                    (Invalid::Required, false) => "is required".to_owned(),
                    (Invalid::TooLong { max }, true) => format!("不能超过 {max} 个字符"),
                    (Invalid::TooLong { max }, false) => {
                        format!("must be at most {max} characters")
                    }
                    (Invalid::Unknown, true) => "不存在".to_owned(),
                    (Invalid::Unknown, false) => "does not exist".to_owned(),
                    (Invalid::BadTime, true) => {
                        "时间无效（不能晚于现在，且须按先后顺序）".to_owned()
                    }
                    (Invalid::BadTime, false) => {
                        "is not a valid time (not in the future, and in order)".to_owned()
                    }
                    (Invalid::Calendar(p), true) => {
                        format!("无效：{}", crate::i18n::names::spec_problem(p, locale))
                    }
                    (Invalid::Calendar(p), false) => format!("is invalid: {p}"),
                    (Invalid::Customer(e), true) => match e {
                        CustomerError::NameRequired => "必须填写".to_owned(),
                        CustomerError::PhoneRequired => "至少填写一个电话号码".to_owned(),
                        CustomerError::BadPhone(p) => format!("“{p}”不是有效的电话号码"),
                        CustomerError::BadIdNumber => "不是有效的18位身份证号码".to_owned(),
                    },
                    (Invalid::Customer(e), false) => e.to_string(),
                    (Invalid::Registration(e), true) => match e {
                        RegistrationError::ComplexityRequired => {
                            "投诉必须选择复杂度（简单、一般或复杂）".to_owned()
                        }
                        RegistrationError::ComplexityNotApplicable => "只有投诉有复杂度".to_owned(),
                    },
                    (Invalid::Registration(e), false) => e.to_string(),
                    (Invalid::Taken, true) => "已属于另一位客户".to_owned(),
                    (Invalid::Taken, false) => "already belongs to another customer".to_owned(),
                    (Invalid::Call(loopdesk::call::CtiError::BadCallId), true) => {
                        "必须为 1 到 100 个字符".to_owned()
                    }
                    (Invalid::Call(loopdesk::call::CtiError::DirectionChanged(_)), true) => {
                        "与该通话之前的事件方向不一致".to_owned()
                    }
                    (Invalid::Call(e), false) => e.to_string(),
                    (Invalid::Percent, true) => "必须在 1 到 100 之间".to_owned(),
                    (Invalid::Percent, false) => "must be between 1 and 100".to_owned(),
                    (Invalid::Phrase(e), _) => crate::i18n::names::phrase_error(e, locale),
                    (Invalid::Token(e), _) => crate::i18n::names::token_definition_error(e, locale),
                    (Invalid::Synonym(e), _) => crate::i18n::knowledge::synonym_error(*e, locale),
                    (Invalid::Category, true) => {
                        "只能包含小写字母、数字、下划线和连字符，层级用 / 分隔".to_owned()
                    }
                    (Invalid::Answer { why, .. }, _) => {
                        crate::i18n::knowledge::run_error(why, locale)
                    }
                    (Invalid::Category, false) => {
                        "may contain lower-case letters, digits, _ and -, with / between levels"
                            .to_owned()
                    }
                    (Invalid::BadDate, true) => {
                        "不是有效的日期范围（YYYY-MM-DD，最长一年）".to_owned()
                    }
                    (Invalid::BadDate, false) => {
                        "is not a valid date range (YYYY-MM-DD, at most a year)".to_owned()
                    }
                    (p, _) => crate::i18n::portal::problem(p, locale),
                };
                if zh {
                    format!("{f}{what}")
                } else {
                    format!("The {f} {what}")
                }
            }
        }
    }
}

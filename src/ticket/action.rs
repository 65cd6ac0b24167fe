//! The closed-loop state machine (DESIGN §3.2): every action, its allowed states, its
//! required fields and who may take it. [`apply`] is pure: it returns the updated ticket
//! and the event to append, or a precise [`TransitionError`]; the store writes both in one
//! version-checked transaction.

use serde::{Deserialize, Serialize};

use super::{Ticket, TicketKind, TicketState};
use crate::user::{DepartmentId, Role, UserId};

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user.
    pub user: UserId,
    /// Their role.
    pub role: Role,
    /// Their department (staff).
    pub department: Option<DepartmentId>,
}

/// Outcome of a follow-up call (回访).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisitOutcome {
    /// The customer is satisfied: the loop closes.
    Satisfied,
    /// Not satisfied: the ticket reopens.
    Unsatisfied,
    /// The customer could not be reached: the attempt is recorded.
    Unreachable,
}

/// Who may read a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Staff only.
    Internal,
    /// Also the customer.
    Customer,
}

/// An action on a ticket, with its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// new → acknowledged.
    Acknowledge,
    /// new | acknowledged | in_progress → dispatched.
    Dispatch {
        /// Target department.
        department: DepartmentId,
        /// Instructions for the handlers.
        note: String,
    },
    /// dispatched → in_progress (a member of the department).
    Accept,
    /// dispatched → back where it was dispatched from (退单).
    Return {
        /// Why (required).
        reason: String,
    },
    /// in_progress → dispatched to another department.
    Transfer {
        /// Target department.
        department: DepartmentId,
        /// Why (required).
        reason: String,
    },
    /// in_progress → pending_customer.
    Pause {
        /// Why (required).
        reason: String,
    },
    /// pending_customer → in_progress.
    Resume,
    /// acknowledged | in_progress → resolved.
    Reply {
        /// The answer given to the customer (required).
        resolution: String,
        /// Cause category (required).
        cause_category: String,
    },
    /// Follow-up outcome on a resolved ticket.
    Revisit {
        /// Outcome.
        outcome: RevisitOutcome,
        /// Rating 1–5, optional.
        rating: Option<u8>,
        /// Note.
        note: String,
    },
    /// The customer's own confirmation in the portal; same effect as a revisit.
    CustomerConfirm {
        /// Satisfied or not.
        satisfied: bool,
        /// Rating 1–5.
        rating: u8,
        /// Comment.
        comment: String,
    },
    /// resolved → closed, for kinds without follow-up, or by a supervisor after 3
    /// unreachable attempts.
    Close {
        /// Note.
        note: String,
    },
    /// Escalation level +1 (升级), any open state.
    Escalate {
        /// Why (required).
        reason: String,
    },
    /// New assignee (supervisors).
    Reassign {
        /// The new assignee.
        agent: UserId,
    },
    /// A comment.
    Comment {
        /// Text (required).
        text: String,
        /// Who may read it.
        visibility: Visibility,
    },
    /// Invalid or duplicate (complaints: supervisors only).
    Cancel {
        /// Why (required).
        reason: String,
    },
}

impl Action {
    /// Stable code of the action.
    pub fn code(&self) -> &'static str {
        match self {
            Action::Acknowledge => "acknowledge",
            Action::Dispatch { .. } => "dispatch",
            Action::Accept => "accept",
            Action::Return { .. } => "return",
            Action::Transfer { .. } => "transfer",
            Action::Pause { .. } => "pause",
            Action::Resume => "resume",
            Action::Reply { .. } => "reply",
            Action::Revisit { .. } => "revisit",
            Action::CustomerConfirm { .. } => "customer_confirm",
            Action::Close { .. } => "close",
            Action::Escalate { .. } => "escalate",
            Action::Reassign { .. } => "reassign",
            Action::Comment { .. } => "comment",
            Action::Cancel { .. } => "cancel",
        }
    }

    /// The states the action may be taken in.
    pub fn allowed_in(&self) -> &'static [TicketState] {
        use TicketState::*;
        const OPEN: &[TicketState] = &[
            New,
            Acknowledged,
            Dispatched,
            InProgress,
            PendingCustomer,
            Resolved,
        ];
        match self {
            Action::Acknowledge => &[New],
            Action::Dispatch { .. } => &[New, Acknowledged, InProgress],
            Action::Accept | Action::Return { .. } => &[Dispatched],
            Action::Transfer { .. } | Action::Pause { .. } => &[InProgress],
            Action::Resume => &[PendingCustomer],
            Action::Reply { .. } => &[Acknowledged, InProgress],
            Action::Revisit { .. } | Action::CustomerConfirm { .. } | Action::Close { .. } => {
                &[Resolved]
            }
            Action::Escalate { .. } | Action::Reassign { .. } | Action::Comment { .. } => OPEN,
            Action::Cancel { .. } => &[New, Acknowledged, Dispatched, InProgress, PendingCustomer],
        }
    }
}

/// Why a permission guard refused an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Customers may only reply (customer-visible) and confirm or reject a resolution.
    CustomersOnlyConfirm,
    /// Only the customer confirms in the portal.
    OnlyCustomersConfirm,
    /// Only members of the ticket's department accept or return it.
    NotInDepartment,
    /// Only supervisors cancel complaints.
    SupervisorCancelsComplaints,
    /// Only supervisors close a ticket after unreachable follow-ups.
    SupervisorClosesUnreachable,
    /// Only supervisors reassign.
    SupervisorReassigns,
    /// Administrators do not work tickets.
    AdminsDoNotWorkTickets,
}

/// Why an action was refused. Each variant says exactly what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The action is not possible in the ticket's state.
    #[error("{action} is not possible while the ticket is {}", state.code())]
    NotAllowedInState {
        /// The action code.
        action: &'static str,
        /// The ticket's state.
        state: TicketState,
    },
    /// A required field is missing or blank.
    #[error("{field} is required")]
    MissingField {
        /// The field name.
        field: &'static str,
    },
    /// A rating outside 1–5.
    #[error("rating must be between 1 and 5, got {0}")]
    BadRating(u8),
    /// The actor may not do this.
    #[error("not permitted: {0:?}")]
    Forbidden(Refusal),
    /// Complaints, fault reports and service requests need a follow-up outcome first.
    #[error("a {} can only be archived with a follow-up outcome", kind.code())]
    FollowUpRequired {
        /// The ticket kind.
        kind: TicketKind,
    },
    /// Closing without follow-up needs 3 unreachable attempts.
    #[error("closing without a follow-up needs 3 unreachable attempts, there were {attempts}")]
    NotEnoughUnreachableAttempts {
        /// Attempts so far.
        attempts: u32,
    },
    /// Dispatching or transferring to the department that already owns the ticket.
    #[error("the ticket already belongs to that department")]
    SameDepartment,
    /// `return` on a dispatch with no origin (corrupt history).
    #[error("the ticket has no dispatch to return")]
    NothingToReturn,
}

/// Unreachable follow-up attempts after which a supervisor may close (DESIGN §3.2).
pub const UNREACHABLE_ATTEMPTS_TO_CLOSE: u32 = 3;

fn required(value: &str, field: &'static str) -> Result<(), TransitionError> {
    if value.trim().is_empty() {
        Err(TransitionError::MissingField { field })
    } else {
        Ok(())
    }
}

fn rating(value: u8) -> Result<(), TransitionError> {
    if (1..=5).contains(&value) {
        Ok(())
    } else {
        Err(TransitionError::BadRating(value))
    }
}

fn supervisor(actor: &Actor) -> bool {
    actor.role == Role::Supervisor
}

/// Checks who may act, before any state logic.
fn authorise(ticket: &Ticket, actor: &Actor, action: &Action) -> Result<(), TransitionError> {
    let forbid = |r| Err(TransitionError::Forbidden(r));
    match (actor.role, action) {
        (Role::Customer, Action::CustomerConfirm { .. }) => Ok(()),
        (
            Role::Customer,
            Action::Comment {
                visibility: Visibility::Customer,
                ..
            },
        ) => Ok(()),
        (Role::Customer, _) => forbid(Refusal::CustomersOnlyConfirm),
        (Role::Admin, _) => forbid(Refusal::AdminsDoNotWorkTickets),
        (_, Action::CustomerConfirm { .. }) => forbid(Refusal::OnlyCustomersConfirm),
        (_, Action::Accept | Action::Return { .. })
            if actor.department != Some(ticket.department) =>
        {
            forbid(Refusal::NotInDepartment)
        }
        (_, Action::Cancel { .. })
            if ticket.kind == TicketKind::Complaint && !supervisor(actor) =>
        {
            forbid(Refusal::SupervisorCancelsComplaints)
        }
        (_, Action::Reassign { .. }) if !supervisor(actor) => forbid(Refusal::SupervisorReassigns),
        _ => Ok(()),
    }
}

fn check_fields(action: &Action) -> Result<(), TransitionError> {
    match action {
        Action::Return { reason }
        | Action::Transfer { reason, .. }
        | Action::Pause { reason }
        | Action::Escalate { reason }
        | Action::Cancel { reason } => required(reason, "reason"),
        Action::Reply {
            resolution,
            cause_category,
        } => {
            required(resolution, "resolution")?;
            required(cause_category, "cause_category")
        }
        Action::Comment { text, .. } => required(text, "text"),
        Action::Revisit {
            rating: Some(r), ..
        } => rating(*r),
        Action::CustomerConfirm { rating: r, .. } => rating(*r),
        _ => Ok(()),
    }
}

/// The result of an allowed action: the ticket after it, and the action to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The ticket after the action (version +1).
    pub ticket: Ticket,
    /// The state before.
    pub from: TicketState,
    /// The action as recorded in the event log.
    pub action: Action,
}

/// Applies an action: permission, state and field guards, then the effect.
pub fn apply(
    ticket: &Ticket,
    actor: &Actor,
    action: Action,
) -> Result<Transition, TransitionError> {
    authorise(ticket, actor, &action)?;
    if !action.allowed_in().contains(&ticket.state) {
        return Err(TransitionError::NotAllowedInState {
            action: action.code(),
            state: ticket.state,
        });
    }
    check_fields(&action)?;

    let mut t = ticket.clone();
    let follow_up = |t: &mut Ticket, satisfied: bool| {
        if satisfied {
            t.state = TicketState::Closed;
        } else {
            // Unsatisfied: reopen; complaints also escalate (SEED-SAT-*).
            t.state = TicketState::InProgress;
            t.reopen_count += 1;
            t.unreachable_attempts = 0;
            if t.kind == TicketKind::Complaint {
                t.escalation_level += 1;
            }
        }
    };
    match &action {
        Action::Acknowledge => t.state = TicketState::Acknowledged,
        Action::Dispatch { department, .. } => {
            if *department == t.department && t.state == TicketState::InProgress {
                return Err(TransitionError::SameDepartment);
            }
            t.dispatched_from = Some((t.state, t.department));
            t.department = *department;
            t.assignee = None;
            t.state = TicketState::Dispatched;
        }
        Action::Accept => {
            t.state = TicketState::InProgress;
            t.assignee = Some(actor.user);
            t.dispatched_from = None;
        }
        Action::Return { .. } => {
            let (state, department) = t
                .dispatched_from
                .take()
                .ok_or(TransitionError::NothingToReturn)?;
            t.state = state;
            t.department = department;
        }
        Action::Transfer { department, .. } => {
            if *department == t.department {
                return Err(TransitionError::SameDepartment);
            }
            t.dispatched_from = Some((TicketState::InProgress, t.department));
            t.department = *department;
            t.assignee = None;
            t.state = TicketState::Dispatched;
        }
        Action::Pause { .. } => t.state = TicketState::PendingCustomer,
        Action::Resume => t.state = TicketState::InProgress,
        Action::Reply { .. } => {
            t.state = TicketState::Resolved;
            t.unreachable_attempts = 0;
        }
        Action::Revisit { outcome, .. } => match outcome {
            RevisitOutcome::Satisfied => follow_up(&mut t, true),
            RevisitOutcome::Unsatisfied => follow_up(&mut t, false),
            RevisitOutcome::Unreachable => t.unreachable_attempts += 1,
        },
        Action::CustomerConfirm { satisfied, .. } => follow_up(&mut t, *satisfied),
        Action::Close { .. } => {
            if t.kind.requires_follow_up() {
                if t.unreachable_attempts < UNREACHABLE_ATTEMPTS_TO_CLOSE {
                    return Err(if t.unreachable_attempts == 0 {
                        TransitionError::FollowUpRequired { kind: t.kind }
                    } else {
                        TransitionError::NotEnoughUnreachableAttempts {
                            attempts: t.unreachable_attempts,
                        }
                    });
                }
                if !supervisor(actor) {
                    return Err(TransitionError::Forbidden(
                        Refusal::SupervisorClosesUnreachable,
                    ));
                }
            }
            t.state = TicketState::Closed;
        }
        Action::Escalate { .. } => t.escalation_level += 1,
        Action::Reassign { agent } => t.assignee = Some(*agent),
        Action::Comment { .. } => {}
        Action::Cancel { .. } => t.state = TicketState::Cancelled,
    }
    t.version += 1;
    Ok(Transition {
        ticket: t,
        from: ticket.state,
        action,
    })
}

/// First-contact resolution: an agent on the call answers an inquiry or query and archives
/// it at once (`reply` + `close`), and the ticket records it.
pub fn resolve_on_first_contact(
    ticket: &Ticket,
    actor: &Actor,
    resolution: String,
    cause_category: String,
) -> Result<[Transition; 2], TransitionError> {
    if !ticket.kind.allows_first_contact_resolution() {
        return Err(TransitionError::FollowUpRequired { kind: ticket.kind });
    }
    let replied = apply(
        ticket,
        actor,
        Action::Reply {
            resolution,
            cause_category,
        },
    )?;
    let mut closed = apply(
        &replied.ticket,
        actor,
        Action::Close {
            note: String::new(),
        },
    )?;
    closed.ticket.resolved_on_first_contact = true;
    Ok([replied, closed])
}

/// A customer's reply from the portal: a customer-visible comment; on a ticket waiting for
/// the customer it also resumes the work (the resolution clock runs again), as a customer
/// reply reopens a pending ticket in other helpdesks.
pub fn customer_reply(
    ticket: &Ticket,
    actor: &Actor,
    text: String,
) -> Result<Vec<Transition>, TransitionError> {
    if actor.role != Role::Customer {
        return Err(TransitionError::Forbidden(Refusal::CustomersOnlyConfirm));
    }
    let commented = apply(
        ticket,
        actor,
        Action::Comment {
            text,
            visibility: Visibility::Customer,
        },
    )?;
    if commented.ticket.state != TicketState::PendingCustomer {
        return Ok(vec![commented]);
    }
    // The resume is the reply's consequence, not a customer action of its own.
    let mut resumed = commented.ticket.clone();
    resumed.state = TicketState::InProgress;
    resumed.version += 1;
    let resume = Transition {
        ticket: resumed,
        from: TicketState::PendingCustomer,
        action: Action::Resume,
    };
    Ok(vec![commented, resume])
}

/// The codes of the actions `actor` may take on `ticket` now, in the order of
/// [`Action::code`]'s listing. Each is checked with a sample of valid fields, so the UI
/// offers exactly what the server would accept (field values aside).
pub fn available(ticket: &Ticket, actor: &Actor) -> Vec<&'static str> {
    let other_department = DepartmentId(uuid::Uuid::from_u128(u128::MAX));
    let text = || "-".to_owned();
    let samples = [
        Action::Acknowledge,
        Action::Dispatch {
            department: other_department,
            note: text(),
        },
        Action::Accept,
        Action::Return { reason: text() },
        Action::Transfer {
            department: other_department,
            reason: text(),
        },
        Action::Pause { reason: text() },
        Action::Resume,
        Action::Reply {
            resolution: text(),
            cause_category: text(),
        },
        Action::Revisit {
            outcome: RevisitOutcome::Satisfied,
            rating: None,
            note: text(),
        },
        Action::CustomerConfirm {
            satisfied: true,
            rating: 5,
            comment: text(),
        },
        Action::Close { note: text() },
        Action::Escalate { reason: text() },
        Action::Reassign { agent: actor.user },
        Action::Comment {
            text: text(),
            visibility: Visibility::Internal,
        },
        Action::Cancel { reason: text() },
    ];
    samples
        .into_iter()
        .filter(|a| apply(ticket, actor, a.clone()).is_ok())
        .map(|a| a.code())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::{CustomerId, Tier};
    use crate::ticket::{Channel, Complexity, Priority, Registration, TicketId};
    use uuid::Uuid;
    use TicketState::*;

    fn dept(n: u128) -> DepartmentId {
        DepartmentId(Uuid::from_u128(n))
    }
    const CENTER: u128 = 1;
    const BILLING: u128 = 2;

    fn actor(role: Role, department: u128) -> Actor {
        Actor {
            user: UserId(Uuid::from_u128(100 + department)),
            role,
            department: Some(dept(department)),
        }
    }

    fn ticket(kind: TicketKind, state: TicketState) -> Ticket {
        let mut t = Ticket::register(Registration {
            id: TicketId(Uuid::from_u128(9)),
            kind,
            channel: Channel::Phone,
            customer: CustomerId(Uuid::from_u128(7)),
            tier: Tier::Gold,
            priority: Priority::Normal,
            complexity: (kind == TicketKind::Complaint).then_some(Complexity::General),
            department: dept(CENTER),
            registered_by: None,
            on_call: false,
        })
        .unwrap();
        t.state = state;
        if state == Dispatched {
            t.dispatched_from = Some((Acknowledged, dept(CENTER)));
            t.department = dept(BILLING);
        }
        t
    }

    #[test]
    fn available_actions_follow_the_guards() {
        let agent = actor(Role::Agent, CENTER);
        let t = ticket(TicketKind::Complaint, Acknowledged);
        assert_eq!(
            available(&t, &agent),
            vec!["dispatch", "reply", "escalate", "comment"]
        );
        let handler = actor(Role::Agent, BILLING);
        let d = ticket(TicketKind::Complaint, Dispatched);
        assert_eq!(
            available(&d, &handler),
            vec!["accept", "return", "escalate", "comment"]
        );
        assert_eq!(available(&d, &agent), vec!["escalate", "comment"]);
        let sup = actor(Role::Supervisor, CENTER);
        assert!(available(&d, &sup).contains(&"cancel"));
        assert!(available(&d, &sup).contains(&"reassign"));
        let closed = ticket(TicketKind::Complaint, Closed);
        assert!(available(&closed, &sup).is_empty());
    }

    /// One sample of every action, with valid fields.
    fn every_action() -> Vec<Action> {
        vec![
            Action::Acknowledge,
            Action::Dispatch {
                department: dept(3),
                note: "please check".into(),
            },
            Action::Accept,
            Action::Return {
                reason: "not ours".into(),
            },
            Action::Transfer {
                department: dept(3),
                reason: "network fault".into(),
            },
            Action::Pause {
                reason: "waiting for the bill copy".into(),
            },
            Action::Resume,
            Action::Reply {
                resolution: "refunded 10 yuan".into(),
                cause_category: "billing_error".into(),
            },
            Action::Revisit {
                outcome: RevisitOutcome::Satisfied,
                rating: Some(5),
                note: String::new(),
            },
            Action::CustomerConfirm {
                satisfied: true,
                rating: 5,
                comment: String::new(),
            },
            Action::Close {
                note: String::new(),
            },
            Action::Escalate {
                reason: "customer angry".into(),
            },
            Action::Reassign {
                agent: UserId(Uuid::from_u128(55)),
            },
            Action::Comment {
                text: "called back".into(),
                visibility: Visibility::Internal,
            },
            Action::Cancel {
                reason: "duplicate".into(),
            },
        ]
    }

    /// Expected result of each action in each state, for an inquiry (no follow-up needed)
    /// taken by a supervisor of the owning department (customers for `customer_confirm`).
    /// `None` = refused because of the state.
    fn expected(action: &Action, state: TicketState) -> Option<TicketState> {
        let same = Some(state);
        match (action.code(), state) {
            ("acknowledge", New) => Some(Acknowledged),
            ("dispatch", New | Acknowledged | InProgress) => Some(Dispatched),
            ("accept", Dispatched) => Some(InProgress),
            ("return", Dispatched) => Some(Acknowledged),
            ("transfer", InProgress) => Some(Dispatched),
            ("pause", InProgress) => Some(PendingCustomer),
            ("resume", PendingCustomer) => Some(InProgress),
            ("reply", Acknowledged | InProgress) => Some(Resolved),
            ("revisit" | "customer_confirm" | "close", Resolved) => Some(Closed),
            ("escalate" | "reassign" | "comment", s) if s.is_open() => same,
            ("cancel", New | Acknowledged | Dispatched | InProgress | PendingCustomer) => {
                Some(Cancelled)
            }
            _ => None,
        }
    }

    #[test]
    fn every_state_and_action() {
        let mut checked = 0;
        for &state in TicketState::ALL {
            for action in every_action() {
                let t = ticket(TicketKind::Inquiry, state);
                let who = if matches!(action, Action::CustomerConfirm { .. }) {
                    Actor {
                        user: UserId(Uuid::from_u128(7)),
                        role: Role::Customer,
                        department: None,
                    }
                } else {
                    // A supervisor of whichever department owns the ticket.
                    Actor {
                        department: Some(t.department),
                        ..actor(Role::Supervisor, CENTER)
                    }
                };
                let code = action.code();
                let result = apply(&t, &who, action);
                match expected_for(code, state) {
                    Some(next) => {
                        let tr = result.unwrap_or_else(|e| panic!("{code} in {state:?}: {e}"));
                        assert_eq!(tr.ticket.state, next, "{code} in {state:?}");
                        assert_eq!(tr.from, state);
                        assert_eq!(tr.action.code(), code);
                        assert_eq!(tr.ticket.version, t.version + 1);
                    }
                    None => assert_eq!(
                        result,
                        Err(TransitionError::NotAllowedInState {
                            action: code,
                            state
                        }),
                        "{code} in {state:?}"
                    ),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, TicketState::ALL.len() * 15);
    }

    fn expected_for(code: &str, state: TicketState) -> Option<TicketState> {
        every_action()
            .into_iter()
            .find(|a| a.code() == code)
            .and_then(|a| expected(&a, state))
    }

    #[test]
    fn actions_list_their_states_consistently_with_the_table() {
        for action in every_action() {
            for &state in TicketState::ALL {
                assert_eq!(
                    action.allowed_in().contains(&state),
                    expected(&action, state).is_some(),
                    "{} in {state:?}",
                    action.code()
                );
            }
        }
    }

    #[test]
    fn required_fields_are_named() {
        let sup = actor(Role::Supervisor, CENTER);
        let t = ticket(TicketKind::Inquiry, InProgress);
        let blank = "  ".to_string();
        for (action, field) in [
            (
                Action::Pause {
                    reason: blank.clone(),
                },
                "reason",
            ),
            (
                Action::Escalate {
                    reason: blank.clone(),
                },
                "reason",
            ),
            (
                Action::Cancel {
                    reason: blank.clone(),
                },
                "reason",
            ),
            (
                Action::Transfer {
                    department: dept(3),
                    reason: blank.clone(),
                },
                "reason",
            ),
            (
                Action::Reply {
                    resolution: blank.clone(),
                    cause_category: "x".into(),
                },
                "resolution",
            ),
            (
                Action::Reply {
                    resolution: "x".into(),
                    cause_category: blank.clone(),
                },
                "cause_category",
            ),
            (
                Action::Comment {
                    text: blank,
                    visibility: Visibility::Customer,
                },
                "text",
            ),
        ] {
            assert_eq!(
                apply(&t, &sup, action),
                Err(TransitionError::MissingField { field })
            );
        }
        let dispatched = ticket(TicketKind::Inquiry, Dispatched);
        let billing = actor(Role::Agent, BILLING);
        assert_eq!(
            apply(
                &dispatched,
                &billing,
                Action::Return {
                    reason: String::new()
                }
            ),
            Err(TransitionError::MissingField { field: "reason" })
        );
    }

    #[test]
    fn ratings_must_be_one_to_five() {
        let t = ticket(TicketKind::Complaint, Resolved);
        let customer = Actor {
            user: UserId(Uuid::from_u128(7)),
            role: Role::Customer,
            department: None,
        };
        for bad in [0, 6] {
            assert_eq!(
                apply(
                    &t,
                    &customer,
                    Action::CustomerConfirm {
                        satisfied: true,
                        rating: bad,
                        comment: String::new()
                    }
                ),
                Err(TransitionError::BadRating(bad))
            );
        }
        let agent = actor(Role::Agent, CENTER);
        assert_eq!(
            apply(
                &t,
                &agent,
                Action::Revisit {
                    outcome: RevisitOutcome::Satisfied,
                    rating: Some(9),
                    note: String::new()
                }
            ),
            Err(TransitionError::BadRating(9))
        );
    }

    #[test]
    fn only_department_members_accept_or_return() {
        let t = ticket(TicketKind::Complaint, Dispatched); // dispatched to billing
        let center_agent = actor(Role::Agent, CENTER);
        let billing_agent = actor(Role::Agent, BILLING);
        assert_eq!(
            apply(&t, &center_agent, Action::Accept),
            Err(TransitionError::Forbidden(Refusal::NotInDepartment))
        );
        let accepted = apply(&t, &billing_agent, Action::Accept).unwrap();
        assert_eq!(accepted.ticket.assignee, Some(billing_agent.user));
        let returned = apply(
            &t,
            &billing_agent,
            Action::Return {
                reason: "not billing".into(),
            },
        )
        .unwrap();
        assert_eq!(returned.ticket.state, Acknowledged);
        assert_eq!(returned.ticket.department, dept(CENTER));
    }

    #[test]
    fn complaints_are_cancelled_by_supervisors_only() {
        let t = ticket(TicketKind::Complaint, Acknowledged);
        assert_eq!(
            apply(
                &t,
                &actor(Role::Agent, CENTER),
                Action::Cancel {
                    reason: "dup".into()
                }
            ),
            Err(TransitionError::Forbidden(
                Refusal::SupervisorCancelsComplaints
            ))
        );
        assert!(apply(
            &t,
            &actor(Role::Supervisor, CENTER),
            Action::Cancel {
                reason: "dup".into()
            }
        )
        .is_ok());
        let inquiry = ticket(TicketKind::Inquiry, Acknowledged);
        assert!(apply(
            &inquiry,
            &actor(Role::Agent, CENTER),
            Action::Cancel {
                reason: "dup".into()
            }
        )
        .is_ok());
    }

    #[test]
    fn complaints_and_fault_reports_need_a_follow_up_to_close() {
        let agent = actor(Role::Agent, CENTER);
        let sup = actor(Role::Supervisor, CENTER);
        for kind in [
            TicketKind::Complaint,
            TicketKind::FaultReport,
            TicketKind::ServiceRequest,
        ] {
            let t = ticket(kind, Resolved);
            assert_eq!(
                apply(
                    &t,
                    &sup,
                    Action::Close {
                        note: String::new()
                    }
                ),
                Err(TransitionError::FollowUpRequired { kind })
            );
        }
        for kind in [
            TicketKind::Inquiry,
            TicketKind::Query,
            TicketKind::Suggestion,
            TicketKind::Praise,
        ] {
            let t = ticket(kind, Resolved);
            assert_eq!(
                apply(
                    &t,
                    &agent,
                    Action::Close {
                        note: String::new()
                    }
                )
                .unwrap()
                .ticket
                .state,
                Closed
            );
        }
    }

    #[test]
    fn after_three_unreachable_attempts_a_supervisor_may_close() {
        let agent = actor(Role::Agent, CENTER);
        let sup = actor(Role::Supervisor, CENTER);
        let mut t = ticket(TicketKind::Complaint, Resolved);
        let unreachable = || Action::Revisit {
            outcome: RevisitOutcome::Unreachable,
            rating: None,
            note: "no answer".into(),
        };
        for attempt in 1..=3 {
            t = apply(&t, &agent, unreachable()).unwrap().ticket;
            assert_eq!(t.state, Resolved);
            assert_eq!(t.unreachable_attempts, attempt);
            if attempt < 3 {
                assert_eq!(
                    apply(&t, &sup, Action::Close { note: "x".into() }),
                    Err(TransitionError::NotEnoughUnreachableAttempts { attempts: attempt })
                );
            }
        }
        assert_eq!(
            apply(&t, &agent, Action::Close { note: "x".into() }),
            Err(TransitionError::Forbidden(
                Refusal::SupervisorClosesUnreachable
            ))
        );
        assert_eq!(
            apply(&t, &sup, Action::Close { note: "x".into() })
                .unwrap()
                .ticket
                .state,
            Closed
        );
    }

    #[test]
    fn an_unsatisfied_follow_up_reopens_and_escalates_complaints() {
        let agent = actor(Role::Agent, CENTER);
        let unsatisfied = Action::Revisit {
            outcome: RevisitOutcome::Unsatisfied,
            rating: Some(1),
            note: "still wrong".into(),
        };
        let complaint = apply(
            &ticket(TicketKind::Complaint, Resolved),
            &agent,
            unsatisfied.clone(),
        )
        .unwrap()
        .ticket;
        assert_eq!(
            (
                complaint.state,
                complaint.reopen_count,
                complaint.escalation_level
            ),
            (InProgress, 1, 1)
        );
        let fault = apply(
            &ticket(TicketKind::FaultReport, Resolved),
            &agent,
            unsatisfied,
        )
        .unwrap()
        .ticket;
        assert_eq!(
            (fault.state, fault.reopen_count, fault.escalation_level),
            (InProgress, 1, 0)
        );
        let customer = Actor {
            user: UserId(Uuid::from_u128(7)),
            role: Role::Customer,
            department: None,
        };
        let rejected = apply(
            &ticket(TicketKind::Complaint, Resolved),
            &customer,
            Action::CustomerConfirm {
                satisfied: false,
                rating: 2,
                comment: "no".into(),
            },
        )
        .unwrap()
        .ticket;
        assert_eq!(
            (
                rejected.state,
                rejected.reopen_count,
                rejected.escalation_level
            ),
            (InProgress, 1, 1)
        );
    }

    #[test]
    fn roles_outside_their_lane_are_refused() {
        let t = ticket(TicketKind::Inquiry, New);
        let customer = Actor {
            user: UserId(Uuid::from_u128(7)),
            role: Role::Customer,
            department: None,
        };
        assert_eq!(
            apply(&t, &customer, Action::Acknowledge),
            Err(TransitionError::Forbidden(Refusal::CustomersOnlyConfirm))
        );
        assert_eq!(
            apply(&t, &actor(Role::Admin, CENTER), Action::Acknowledge),
            Err(TransitionError::Forbidden(Refusal::AdminsDoNotWorkTickets))
        );
        assert_eq!(
            apply(
                &t,
                &customer,
                Action::Comment {
                    text: "x".into(),
                    visibility: Visibility::Internal
                }
            ),
            Err(TransitionError::Forbidden(Refusal::CustomersOnlyConfirm))
        );
        let reply = |state| {
            customer_reply(
                &ticket(TicketKind::Complaint, state),
                &customer,
                "补充".into(),
            )
            .map(|steps| {
                steps
                    .iter()
                    .map(|s| (s.action.code(), s.ticket.state, s.ticket.version))
                    .collect::<Vec<_>>()
            })
        };
        let v = ticket(TicketKind::Complaint, New).version;
        assert_eq!(reply(InProgress), Ok(vec![("comment", InProgress, v + 1)]));
        assert_eq!(
            reply(PendingCustomer),
            Ok(vec![
                ("comment", PendingCustomer, v + 1),
                ("resume", InProgress, v + 2)
            ])
        );
        assert!(matches!(
            reply(Closed),
            Err(TransitionError::NotAllowedInState { .. })
        ));
        assert_eq!(
            customer_reply(&t, &actor(Role::Agent, CENTER), "x".into()).map(|_| ()),
            Err(TransitionError::Forbidden(Refusal::CustomersOnlyConfirm))
        );
        let resolved = ticket(TicketKind::Inquiry, Resolved);
        assert_eq!(
            apply(
                &resolved,
                &actor(Role::Agent, CENTER),
                Action::CustomerConfirm {
                    satisfied: true,
                    rating: 5,
                    comment: String::new()
                }
            ),
            Err(TransitionError::Forbidden(Refusal::OnlyCustomersConfirm))
        );
        assert_eq!(
            apply(
                &t,
                &actor(Role::Agent, CENTER),
                Action::Reassign {
                    agent: UserId(Uuid::from_u128(5))
                }
            ),
            Err(TransitionError::Forbidden(Refusal::SupervisorReassigns))
        );
    }

    #[test]
    fn transfer_and_dispatch_keep_track_of_where_to_return() {
        let billing = actor(Role::Agent, BILLING);
        let mut t = ticket(TicketKind::Complaint, InProgress);
        t.department = dept(BILLING);
        assert_eq!(
            apply(
                &t,
                &billing,
                Action::Transfer {
                    department: dept(BILLING),
                    reason: "x".into()
                }
            ),
            Err(TransitionError::SameDepartment)
        );
        let moved = apply(
            &t,
            &billing,
            Action::Transfer {
                department: dept(3),
                reason: "network".into(),
            },
        )
        .unwrap()
        .ticket;
        assert_eq!(
            (moved.state, moved.department, moved.assignee),
            (Dispatched, dept(3), None)
        );
        let network = actor(Role::Agent, 3);
        let back = apply(
            &moved,
            &network,
            Action::Return {
                reason: "not network".into(),
            },
        )
        .unwrap()
        .ticket;
        assert_eq!((back.state, back.department), (InProgress, dept(BILLING)));
    }

    #[test]
    fn registration_on_a_call_is_acknowledged_and_complaints_need_complexity() {
        let base = Registration {
            id: TicketId(Uuid::from_u128(1)),
            kind: TicketKind::Complaint,
            channel: Channel::Phone,
            customer: CustomerId(Uuid::from_u128(7)),
            tier: Tier::Normal,
            priority: Priority::High,
            complexity: Some(Complexity::Complex),
            department: dept(CENTER),
            registered_by: Some(UserId(Uuid::from_u128(101))),
            on_call: true,
        };
        assert_eq!(Ticket::register(base.clone()).unwrap().state, Acknowledged);
        let portal = Registration {
            channel: Channel::Portal,
            on_call: false,
            ..base
        };
        assert_eq!(Ticket::register(portal).unwrap().state, New);
        assert_eq!(
            Ticket::register(Registration {
                complexity: None,
                ..base
            }),
            Err(crate::ticket::RegistrationError::ComplexityRequired)
        );
        assert_eq!(
            Ticket::register(Registration {
                kind: TicketKind::Query,
                ..base
            }),
            Err(crate::ticket::RegistrationError::ComplexityNotApplicable)
        );
    }

    #[test]
    fn first_contact_resolution_archives_inquiries_in_one_step() {
        let agent = actor(Role::Agent, CENTER);
        let t = ticket(TicketKind::Query, Acknowledged);
        let [replied, closed] =
            resolve_on_first_contact(&t, &agent, "balance is 35 yuan".into(), "info".into())
                .unwrap();
        assert_eq!(replied.ticket.state, Resolved);
        assert_eq!(closed.ticket.state, Closed);
        assert!(closed.ticket.resolved_on_first_contact);
        assert_eq!(closed.ticket.version, t.version + 2);
        let complaint = ticket(TicketKind::Complaint, Acknowledged);
        assert_eq!(
            resolve_on_first_contact(&complaint, &agent, "x".into(), "y".into()),
            Err(TransitionError::FollowUpRequired {
                kind: TicketKind::Complaint
            })
        );
    }

    #[test]
    fn escalation_counts_up_and_codes_round_trip() {
        let t = ticket(TicketKind::Complaint, Dispatched);
        let up = apply(
            &t,
            &actor(Role::Agent, CENTER),
            Action::Escalate {
                reason: "VIP".into(),
            },
        )
        .unwrap();
        assert_eq!(up.ticket.escalation_level, 1);
        assert_eq!(up.ticket.state, Dispatched);
        for &s in TicketState::ALL {
            assert_eq!(TicketState::from_code(s.code()), Some(s));
        }
        for &k in TicketKind::ALL {
            assert_eq!(TicketKind::from_code(k.code()), Some(k));
        }
        assert_eq!(TicketState::from_code("open"), None);
    }
}

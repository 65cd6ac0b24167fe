//! What a customer may see of their ticket's history: submission, state changes, answers,
//! messages meant for them, follow-up outcomes and their own confirmations. Internal
//! comments, dispatch notes, reasons, escalations, reassignments, cause categories and SLA
//! alerts never appear; staff appear only by agent number.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ticket::action::{Action, RevisitOutcome, Visibility};
use crate::ticket::event::{EventKind, TicketEvent};
use crate::ticket::TicketState;
use crate::user::UserId;

/// Who did something, as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "agent_no", rename_all = "snake_case")]
pub enum Author {
    /// The customer.
    You,
    /// A staff member, by agent number (工号).
    Agent(String),
    /// Nobody in particular (imports, the system).
    Center,
}

/// One line of the customer's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EntryKind {
    /// The request was registered.
    Submitted,
    /// The ticket moved to a new state.
    State {
        /// The new state.
        to: TicketState,
    },
    /// The center's answer.
    Answer {
        /// What was done / the answer.
        resolution: String,
    },
    /// A message for the customer, or the customer's own reply.
    Message {
        /// Text.
        text: String,
    },
    /// A follow-up call's outcome.
    FollowUp {
        /// Satisfied or not.
        satisfied: bool,
    },
    /// The customer's own confirmation in the portal.
    Confirmed {
        /// Satisfied or not.
        satisfied: bool,
        /// Rating 1–5.
        rating: u8,
        /// Their comment.
        comment: String,
    },
}

/// A timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub author: Author,
    /// What.
    pub kind: EntryKind,
}

/// The customer-visible entries of `events`, oldest first. `author` names the actor of an
/// event (the customer, an agent number, or the center).
pub fn customer_timeline(
    events: &[TicketEvent],
    author: impl Fn(Option<UserId>) -> Author,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for e in events {
        let kind = match &e.kind {
            EventKind::Registered { .. } => Some(EntryKind::Submitted),
            EventKind::Sla { .. } => None,
            EventKind::Action(a) => match a {
                Action::Reply { resolution, .. } => Some(EntryKind::Answer {
                    resolution: resolution.clone(),
                }),
                Action::Comment {
                    text,
                    visibility: Visibility::Customer,
                } => Some(EntryKind::Message { text: text.clone() }),
                Action::Comment { .. } | Action::Escalate { .. } | Action::Reassign { .. } => None,
                Action::Revisit { outcome, .. } => match outcome {
                    RevisitOutcome::Satisfied => Some(EntryKind::FollowUp { satisfied: true }),
                    RevisitOutcome::Unsatisfied => Some(EntryKind::FollowUp { satisfied: false }),
                    RevisitOutcome::Unreachable => None,
                },
                Action::CustomerConfirm {
                    satisfied,
                    rating,
                    comment,
                } => Some(EntryKind::Confirmed {
                    satisfied: *satisfied,
                    rating: *rating,
                    comment: comment.clone(),
                }),
                Action::Acknowledge
                | Action::Dispatch { .. }
                | Action::Accept
                | Action::Return { .. }
                | Action::Transfer { .. }
                | Action::Pause { .. }
                | Action::Resume
                | Action::Close { .. }
                | Action::Cancel { .. } => {
                    (e.from != Some(e.to)).then_some(EntryKind::State { to: e.to })
                }
            },
        };
        if let Some(kind) = kind {
            out.push(Entry {
                at: e.at,
                author: author(e.actor),
                kind,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::TicketId;
    use crate::user::DepartmentId;
    use uuid::Uuid;

    fn ev(
        seq: u64,
        actor: u128,
        kind: EventKind,
        from: Option<TicketState>,
        to: TicketState,
    ) -> TicketEvent {
        TicketEvent {
            ticket: TicketId(Uuid::from_u128(1)),
            seq,
            at: DateTime::from_timestamp(1_800_000_000 + seq as i64 * 60, 0).unwrap(),
            actor: Some(UserId(Uuid::from_u128(actor))),
            kind,
            from,
            to,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn only_what_the_customer_may_see_in_order() {
        use TicketState::*;
        let secret = "内部备注-请勿外传";
        let events = vec![
            ev(1, 9, EventKind::Registered { on_call: false }, None, New),
            ev(
                2,
                2,
                EventKind::Action(Action::Acknowledge),
                Some(New),
                Acknowledged,
            ),
            ev(
                3,
                2,
                EventKind::Action(Action::Comment {
                    text: secret.into(),
                    visibility: Visibility::Internal,
                }),
                Some(Acknowledged),
                Acknowledged,
            ),
            ev(
                4,
                2,
                EventKind::Action(Action::Dispatch {
                    department: DepartmentId(Uuid::nil()),
                    note: secret.into(),
                }),
                Some(Acknowledged),
                Dispatched,
            ),
            ev(
                5,
                3,
                EventKind::Action(Action::Accept),
                Some(Dispatched),
                InProgress,
            ),
            ev(
                6,
                3,
                EventKind::Action(Action::Escalate {
                    reason: secret.into(),
                }),
                Some(InProgress),
                InProgress,
            ),
            ev(
                7,
                3,
                EventKind::Action(Action::Comment {
                    text: "请提供账单截图".into(),
                    visibility: Visibility::Customer,
                }),
                Some(InProgress),
                InProgress,
            ),
            ev(
                8,
                9,
                EventKind::Action(Action::Comment {
                    text: "已上传".into(),
                    visibility: Visibility::Customer,
                }),
                Some(InProgress),
                InProgress,
            ),
            ev(
                9,
                3,
                EventKind::Action(Action::Reply {
                    resolution: "已退费 10 元".into(),
                    cause_category: secret.into(),
                }),
                Some(InProgress),
                Resolved,
            ),
            ev(
                10,
                9,
                EventKind::Action(Action::CustomerConfirm {
                    satisfied: false,
                    rating: 2,
                    comment: "没收到".into(),
                }),
                Some(Resolved),
                InProgress,
            ),
            ev(
                11,
                3,
                EventKind::Action(Action::Revisit {
                    outcome: RevisitOutcome::Unreachable,
                    rating: None,
                    note: secret.into(),
                }),
                Some(Resolved),
                Resolved,
            ),
            ev(
                12,
                3,
                EventKind::Action(Action::Cancel {
                    reason: secret.into(),
                }),
                Some(InProgress),
                Cancelled,
            ),
        ];
        let timeline = customer_timeline(&events, |a| match a {
            Some(UserId(id)) if id == Uuid::from_u128(9) => Author::You,
            Some(UserId(id)) => Author::Agent(format!("{:03}", id.as_u128())),
            None => Author::Center,
        });
        let kinds: Vec<&EntryKind> = timeline.iter().map(|e| &e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                &EntryKind::Submitted,
                &EntryKind::State { to: Acknowledged },
                &EntryKind::State { to: Dispatched },
                &EntryKind::State { to: InProgress },
                &EntryKind::Message {
                    text: "请提供账单截图".into()
                },
                &EntryKind::Message {
                    text: "已上传".into()
                },
                &EntryKind::Answer {
                    resolution: "已退费 10 元".into()
                },
                &EntryKind::Confirmed {
                    satisfied: false,
                    rating: 2,
                    comment: "没收到".into()
                },
                &EntryKind::State { to: Cancelled },
            ]
        );
        assert_eq!(timeline[0].author, Author::You);
        assert_eq!(timeline[1].author, Author::Agent("002".into()));
        let json = serde_json::to_string(&timeline).unwrap();
        assert!(!json.contains(secret), "internal text leaked: {json}");
    }
}

//! The append-only ticket event log (DESIGN §3.2): what each event records, the hash chain
//! that makes tampering visible (each event stores the hash of the ticket's previous event
//! and its own hash over both), the verify walk, and the clock events the SLA engine reads
//! from the log.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::action::{Action, RevisitOutcome};
use super::{TicketId, TicketState};
use crate::sla::{ClockEvent, SlaTarget};
use crate::user::UserId;

/// The `prev_hash` of a ticket's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Which SLA point the sweeper reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaAlert {
    /// The warning point (default 75 % of the allowed time).
    Warning,
    /// The due time: the customer is contacted proactively (outbound task).
    Overdue,
    /// The hard limit: escalation level +1, supervisors notified.
    Breached,
}

impl SlaAlert {
    /// Every alert, in the order they fall due.
    pub const ALL: [SlaAlert; 3] = [SlaAlert::Warning, SlaAlert::Overdue, SlaAlert::Breached];

    /// Stable event code (`sla_warning`, `sla_overdue`, `sla_breached`).
    pub fn code(self) -> &'static str {
        match self {
            SlaAlert::Warning => "sla_warning",
            SlaAlert::Overdue => "sla_overdue",
            SlaAlert::Breached => "sla_breached",
        }
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The ticket was registered.
    Registered {
        /// On a call with the customer (acknowledged at once).
        on_call: bool,
    },
    /// A closed-loop action.
    Action(Action),
    /// The sweeper reached an SLA point of the clock run started at `started_at`.
    Sla {
        /// Which point.
        alert: SlaAlert,
        /// Which target.
        target: SlaTarget,
        /// The start of the clock run (identifies the run: each dispatch starts a new one).
        started_at: DateTime<Utc>,
    },
}

impl EventKind {
    /// Stable code: `registered`, the action code, or the SLA alert code.
    pub fn code(&self) -> &'static str {
        match self {
            EventKind::Registered { .. } => "registered",
            EventKind::Action(a) => a.code(),
            EventKind::Sla { alert, .. } => alert.code(),
        }
    }

    /// What the SLA clocks make of this event, if anything.
    pub fn clock_event(&self) -> Option<ClockEvent> {
        match self {
            EventKind::Registered { on_call } => Some(ClockEvent::Registered { on_call: *on_call }),
            EventKind::Sla { .. } => None,
            EventKind::Action(a) => match a {
                Action::Acknowledge => Some(ClockEvent::Acknowledged),
                Action::Dispatch { .. } | Action::Transfer { .. } => Some(ClockEvent::Dispatched),
                Action::Accept | Action::Return { .. } => Some(ClockEvent::DispatchEnded),
                Action::Pause { .. } => Some(ClockEvent::Paused),
                Action::Resume => Some(ClockEvent::Resumed),
                Action::Reply { .. } => Some(ClockEvent::Replied),
                Action::Revisit { outcome, .. } => match outcome {
                    RevisitOutcome::Satisfied => Some(ClockEvent::FollowedUp { reopened: false }),
                    RevisitOutcome::Unsatisfied => Some(ClockEvent::FollowedUp { reopened: true }),
                    RevisitOutcome::Unreachable => None,
                },
                Action::CustomerConfirm { satisfied, .. } => Some(ClockEvent::FollowedUp {
                    reopened: !satisfied,
                }),
                Action::Close { .. } => Some(ClockEvent::FollowedUp { reopened: false }),
                Action::Cancel { .. } => Some(ClockEvent::Cancelled),
                Action::Escalate { .. } | Action::Reassign { .. } | Action::Comment { .. } => None,
            },
        }
    }
}

/// An event to append (the store assigns the sequence number and hashes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (none for the system, e.g. the SLA sweeper).
    pub actor: Option<UserId>,
    /// What.
    pub kind: EventKind,
    /// State before.
    pub from: Option<TicketState>,
    /// State after.
    pub to: TicketState,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketEvent {
    /// The ticket.
    pub ticket: TicketId,
    /// 1, 2, 3… per ticket.
    pub seq: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: Option<UserId>,
    /// What.
    pub kind: EventKind,
    /// State before.
    pub from: Option<TicketState>,
    /// State after.
    pub to: TicketState,
    /// Hash of the previous event of the ticket ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// SHA-256 over `prev_hash` and this event's content, hex.
    pub hash: String,
}

#[derive(Serialize)]
struct Hashed<'a> {
    ticket: TicketId,
    seq: u64,
    at: String,
    actor: Option<UserId>,
    kind: &'a EventKind,
    from: Option<&'static str>,
    to: &'static str,
}

/// The hash of an event's content chained to `prev_hash`.
pub fn event_hash(
    prev_hash: &str,
    ticket: TicketId,
    seq: u64,
    event: &NewEvent,
) -> Result<String, serde_json::Error> {
    let body = serde_json::to_vec(&Hashed {
        ticket,
        seq,
        at: event.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        actor: event.actor,
        kind: &event.kind,
        from: event.from.map(TicketState::code),
        to: event.to.code(),
    })?;
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(&body);
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

impl TicketEvent {
    /// Seals a new event after `prev` (or as the first event of `ticket`).
    pub fn seal(
        ticket: TicketId,
        prev: Option<(u64, &str)>,
        event: NewEvent,
    ) -> Result<TicketEvent, serde_json::Error> {
        let (seq, prev_hash) = match prev {
            Some((seq, hash)) => (seq + 1, hash.to_owned()),
            None => (1, GENESIS.to_owned()),
        };
        let hash = event_hash(&prev_hash, ticket, seq, &event)?;
        Ok(TicketEvent {
            ticket,
            seq,
            at: event.at,
            actor: event.actor,
            kind: event.kind,
            from: event.from,
            to: event.to,
            prev_hash,
            hash,
        })
    }

    fn content(&self) -> NewEvent {
        NewEvent {
            at: self.at,
            actor: self.actor,
            kind: self.kind.clone(),
            from: self.from,
            to: self.to,
        }
    }
}

/// Where a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// Sequence numbers are not 1, 2, 3…
    #[error("event {found} found where event {expected} was expected")]
    Gap {
        /// Expected seq.
        expected: u64,
        /// Found seq.
        found: u64,
    },
    /// The stored previous hash does not match the previous event.
    #[error("event {seq} does not follow the previous event's hash")]
    BrokenLink {
        /// The event.
        seq: u64,
    },
    /// The stored hash does not match the event's content.
    #[error("event {seq} was altered after it was written")]
    Altered {
        /// The event.
        seq: u64,
    },
}

/// Walks a ticket's events in order and checks every link and hash.
pub fn verify_chain(events: &[TicketEvent]) -> Result<(), ChainError> {
    let mut prev = GENESIS.to_owned();
    for (i, e) in events.iter().enumerate() {
        let expected = i as u64 + 1;
        if e.seq != expected {
            return Err(ChainError::Gap {
                expected,
                found: e.seq,
            });
        }
        if e.prev_hash != prev {
            return Err(ChainError::BrokenLink { seq: e.seq });
        }
        let h = event_hash(&prev, e.ticket, e.seq, &e.content())
            .map_err(|_| ChainError::Altered { seq: e.seq })?;
        if h != e.hash {
            return Err(ChainError::Altered { seq: e.seq });
        }
        prev = h;
    }
    Ok(())
}

/// The clock events of a log, in order, for [`crate::sla::compute`].
pub fn clock_events(events: &[TicketEvent]) -> Vec<(DateTime<Utc>, ClockEvent)> {
    events
        .iter()
        .filter_map(|e| e.kind.clock_event().map(|c| (e.at, c)))
        .collect()
}

/// The SLA points already raised, as `(target, alert, run start)`.
pub fn fired_alerts(events: &[TicketEvent]) -> Vec<(SlaTarget, SlaAlert, DateTime<Utc>)> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Sla {
                alert,
                target,
                started_at,
            } => Some((target, alert, started_at)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn chain() -> Vec<TicketEvent> {
        let ticket = TicketId(Uuid::from_u128(5));
        let at = DateTime::from_timestamp(1_764_000_000, 0).unwrap();
        let kinds = [
            (
                EventKind::Registered { on_call: true },
                TicketState::Acknowledged,
            ),
            (
                EventKind::Action(Action::Comment {
                    text: "备注".into(),
                    visibility: super::super::action::Visibility::Internal,
                }),
                TicketState::Acknowledged,
            ),
            (
                EventKind::Action(Action::Reply {
                    resolution: "refunded".into(),
                    cause_category: "billing".into(),
                }),
                TicketState::Resolved,
            ),
        ];
        let mut out: Vec<TicketEvent> = Vec::new();
        let mut from = None;
        for (kind, to) in kinds {
            let prev = out.last().map(|e| (e.seq, e.hash.as_str()));
            let e = TicketEvent::seal(
                ticket,
                prev,
                NewEvent {
                    at,
                    actor: Some(UserId(Uuid::from_u128(1))),
                    kind,
                    from,
                    to,
                },
            )
            .unwrap();
            from = Some(to);
            out.push(e);
        }
        out
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain();
        assert_eq!(c[0].prev_hash, GENESIS);
        assert_eq!(c[1].prev_hash, c[0].hash);
        assert_eq!(verify_chain(&c), Ok(()));
    }

    #[test]
    fn tampering_is_found_where_it_happened() {
        let mut c = chain();
        c[1].kind = EventKind::Action(Action::Comment {
            text: "changed".into(),
            visibility: super::super::action::Visibility::Internal,
        });
        assert_eq!(verify_chain(&c), Err(ChainError::Altered { seq: 2 }));

        let mut c = chain();
        c.remove(1);
        assert_eq!(
            verify_chain(&c),
            Err(ChainError::Gap {
                expected: 2,
                found: 3
            })
        );

        let mut c = chain();
        c[2].prev_hash = c[0].hash.clone();
        assert_eq!(verify_chain(&c), Err(ChainError::BrokenLink { seq: 3 }));
    }

    #[test]
    fn events_serialise_with_their_action_fields() {
        let c = chain();
        let json = serde_json::to_value(&c[2].kind).unwrap();
        assert_eq!(json["type"], "action");
        assert_eq!(json["action"], "reply");
        assert_eq!(json["cause_category"], "billing");
        let back: EventKind = serde_json::from_value(json).unwrap();
        assert_eq!(back, c[2].kind);
        assert_eq!(c[2].kind.clock_event(), Some(ClockEvent::Replied));
        assert_eq!(c[1].kind.clock_event(), None);
    }
}

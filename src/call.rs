//! Calls from the telephony system (CTI, DESIGN §3.4): the push events a PBX sends
//! (`newCall`, `answer`, `hangup`), and the call record they build. Events may arrive twice
//! or out of order; [`CallRecord::apply`] is idempotent and order-independent, so every
//! delivery order of the same events converges to the same record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::normalize_phone;

/// What the PBX reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CtiEventKind {
    /// The call starts ringing (in a queue or at an agent).
    NewCall,
    /// Someone answered.
    Answer,
    /// The call ended.
    Hangup,
}

/// Direction of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Customer calls the center.
    In,
    /// The center calls out.
    Out,
}

/// One CTI push event (the generic shape peer helpdesks use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CtiEvent {
    /// Which event.
    pub event: CtiEventKind,
    /// The PBX's call id.
    pub call_id: String,
    /// Direction.
    pub direction: Direction,
    /// Calling number as the PBX sent it.
    pub from: String,
    /// Called number.
    pub to: String,
    /// ACD queue.
    #[serde(default)]
    pub queue: Option<String>,
    /// Agent login the call rings at / was answered by.
    #[serde(default)]
    pub agent: Option<String>,
    /// Hangup cause (`normalClearing`, `cancel`, `noAnswer`, `busy`…).
    #[serde(default)]
    pub cause: Option<String>,
    /// When, per the PBX (the server's clock when absent).
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

/// Why a CTI event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CtiError {
    /// Empty or over-long call id.
    #[error("call_id must be 1 to 100 characters")]
    BadCallId,
    /// A different direction than the call's earlier events.
    #[error("the call was {0:?} in an earlier event")]
    DirectionChanged(Direction),
}

/// Where a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// Ringing, not answered yet.
    Ringing,
    /// Answered, still connected.
    Connected,
    /// Ended after being answered.
    Completed,
    /// Ended without being answered (abandoned in queue or not picked up).
    Missed,
}

/// The call record built from CTI events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The PBX's call id.
    pub call_id: String,
    /// Direction.
    pub direction: Direction,
    /// Calling number as received.
    pub from: String,
    /// Called number as received.
    pub to: String,
    /// The customer's side, normalised (`from` inbound, `to` outbound), if it is a number.
    pub customer_number: Option<String>,
    /// Queue.
    pub queue: Option<String>,
    /// Agent login (the answering agent wins over the ringing one).
    pub agent: Option<String>,
    /// Ringing since.
    pub ringing_at: Option<DateTime<Utc>>,
    /// Answered at.
    pub answered_at: Option<DateTime<Utc>>,
    /// Ended at.
    pub ended_at: Option<DateTime<Utc>>,
    /// Hangup cause.
    pub cause: Option<String>,
}

fn earliest(a: Option<DateTime<Utc>>, b: DateTime<Utc>) -> Option<DateTime<Utc>> {
    Some(a.map_or(b, |a| a.min(b)))
}

impl CallRecord {
    /// The record of a call first seen with `e` at `at`.
    pub fn new(e: &CtiEvent, at: DateTime<Utc>) -> Result<CallRecord, CtiError> {
        if e.call_id.trim().is_empty() || e.call_id.len() > 100 {
            return Err(CtiError::BadCallId);
        }
        let mut r = CallRecord {
            call_id: e.call_id.clone(),
            direction: e.direction,
            from: e.from.clone(),
            to: e.to.clone(),
            customer_number: None,
            queue: None,
            agent: None,
            ringing_at: None,
            answered_at: None,
            ended_at: None,
            cause: None,
        };
        r.customer_number = normalize_phone(r.customer_side());
        r.apply(e, at)?;
        Ok(r)
    }

    /// The customer's number as received.
    pub fn customer_side(&self) -> &str {
        match self.direction {
            Direction::In => &self.from,
            Direction::Out => &self.to,
        }
    }

    /// Folds one event in. Idempotent (the same event twice changes nothing) and
    /// order-independent: each time is the earliest reported for its event, the answering
    /// agent replaces the ringing one, and the hangup cause is kept from the hangup.
    pub fn apply(&mut self, e: &CtiEvent, at: DateTime<Utc>) -> Result<(), CtiError> {
        if e.direction != self.direction {
            return Err(CtiError::DirectionChanged(self.direction));
        }
        let at = e.at.unwrap_or(at);
        if self.queue.is_none() {
            self.queue = e.queue.clone().filter(|q| !q.trim().is_empty());
        }
        let agent = e.agent.clone().filter(|a| !a.trim().is_empty());
        match e.event {
            CtiEventKind::NewCall => {
                self.ringing_at = earliest(self.ringing_at, at);
                if self.answered_at.is_none() && self.agent.is_none() {
                    self.agent = agent;
                }
            }
            CtiEventKind::Answer => {
                let first = self.answered_at.is_none_or(|t| at <= t);
                self.answered_at = earliest(self.answered_at, at);
                if first && agent.is_some() {
                    self.agent = agent;
                }
            }
            CtiEventKind::Hangup => {
                let first = self.ended_at.is_none_or(|t| at <= t);
                self.ended_at = earliest(self.ended_at, at);
                if first {
                    self.cause = e.cause.clone().or(self.cause.take());
                }
                if self.agent.is_none() {
                    self.agent = agent;
                }
            }
        }
        Ok(())
    }

    /// Where the call is.
    pub fn state(&self) -> CallState {
        match (self.answered_at, self.ended_at) {
            (Some(_), Some(_)) => CallState::Completed,
            (None, Some(_)) => CallState::Missed,
            (Some(_), None) => CallState::Connected,
            (None, None) => CallState::Ringing,
        }
    }

    /// Seconds from ringing to answer, when both are known.
    pub fn wait_seconds(&self) -> Option<i64> {
        Some((self.answered_at? - self.ringing_at?).num_seconds())
    }

    /// An unanswered inbound call that should be called back.
    pub fn needs_callback(&self) -> bool {
        self.direction == Direction::In && self.state() == CallState::Missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_764_000_000 + s, 0).unwrap()
    }

    fn ev(event: CtiEventKind, at: i64, agent: Option<&str>, cause: Option<&str>) -> CtiEvent {
        CtiEvent {
            event,
            call_id: "c-1".into(),
            direction: Direction::In,
            from: "+86 138-0000-0001".into(),
            to: "10000".into(),
            queue: Some("vip".into()),
            agent: agent.map(str::to_owned),
            cause: cause.map(str::to_owned),
            at: Some(t(at)),
        }
    }

    fn normal_call() -> Vec<CtiEvent> {
        vec![
            ev(CtiEventKind::NewCall, 0, Some("agent"), None),
            ev(CtiEventKind::Answer, 8, Some("agent"), None),
            ev(CtiEventKind::Hangup, 200, None, Some("normalClearing")),
        ]
    }

    fn fold(events: &[CtiEvent]) -> CallRecord {
        let mut r = CallRecord::new(&events[0], t(999)).unwrap();
        for e in &events[1..] {
            r.apply(e, t(999)).unwrap();
        }
        r
    }

    #[test]
    fn a_normal_call_is_completed_with_its_times() {
        let r = fold(&normal_call());
        assert_eq!(r.state(), CallState::Completed);
        assert_eq!(r.customer_number.as_deref(), Some("13800000001"));
        assert_eq!(r.wait_seconds(), Some(8));
        assert_eq!(r.agent.as_deref(), Some("agent"));
        assert_eq!(r.cause.as_deref(), Some("normalClearing"));
        assert!(!r.needs_callback());
    }

    #[test]
    fn duplicates_and_any_order_converge() {
        let events = normal_call();
        let expected = fold(&events);
        let orders = [
            [0, 1, 2],
            [2, 1, 0],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [0, 2, 1],
        ];
        for order in orders {
            let mut list: Vec<CtiEvent> = order.iter().map(|i| events[*i].clone()).collect();
            list.push(events[order[0]].clone());
            list.insert(1, events[order[2]].clone());
            assert_eq!(fold(&list), expected, "order {order:?}");
        }
    }

    #[test]
    fn a_hangup_without_answer_is_a_missed_call_to_call_back() {
        let r = fold(&[
            ev(CtiEventKind::NewCall, 0, None, None),
            ev(CtiEventKind::Hangup, 30, None, Some("cancel")),
        ]);
        assert_eq!(r.state(), CallState::Missed);
        assert!(r.needs_callback());
        // A hangup seen before its newCall still ends up missed with both times.
        let r = fold(&[
            ev(CtiEventKind::Hangup, 30, None, Some("cancel")),
            ev(CtiEventKind::NewCall, 0, None, None),
        ]);
        assert_eq!((r.ringing_at, r.ended_at), (Some(t(0)), Some(t(30))));
    }

    #[test]
    fn bad_events_are_refused_precisely() {
        let mut e = ev(CtiEventKind::NewCall, 0, None, None);
        e.call_id = " ".into();
        assert_eq!(CallRecord::new(&e, t(0)), Err(CtiError::BadCallId));
        let mut r = fold(&normal_call());
        let mut out = ev(CtiEventKind::Answer, 5, None, None);
        out.direction = Direction::Out;
        assert_eq!(
            r.apply(&out, t(0)),
            Err(CtiError::DirectionChanged(Direction::In))
        );
        // A number that is not one leaves the customer side unmatched.
        let mut anon = ev(CtiEventKind::NewCall, 0, None, None);
        anon.from = "anonymous".into();
        assert_eq!(CallRecord::new(&anon, t(0)).unwrap().customer_number, None);
        let _ = Duration::zero();
    }

    #[test]
    fn numbers_are_normalised_for_matching() {
        let table = [
            ("13800000001", Some("13800000001")),
            ("+86 138 0000 0001", Some("13800000001")),
            ("0086-138-0000-0001", Some("13800000001")),
            ("010-6552 1234", Some("01065521234")),
            ("+86 10 6552 1234", Some("01065521234")),
            ("(021) 6555-0005", Some("02165550005")),
            ("anonymous", None),
            ("12", None),
        ];
        for (input, expected) in table {
            assert_eq!(normalize_phone(input).as_deref(), expected, "{input}");
        }
    }
}

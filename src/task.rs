//! The one list of outbound work (外呼任务) agents call from: follow-ups of answered
//! tickets (回访), proactive notices for overdue tickets, callbacks of unanswered calls and
//! arrears collection (欠费催缴). Owns which outcomes a task accepts, attempt counting and
//! retries, and how a follow-up outcome becomes the ticket's `revisit` action.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::customer::CustomerId;
use crate::ticket::action::{Action, RevisitOutcome};
use crate::ticket::TicketId;
use crate::user::{DepartmentId, UserId};

coded_enum!(
    /// Why a call is due.
    TaskReason {
        /// Follow up an answered ticket (回访).
        FollowUp = "follow_up",
        /// A ticket is overdue: tell the customer proactively (SEED-SLA-09).
        SlaOverdue = "sla_overdue",
        /// An inbound call went unanswered.
        Callback = "callback",
        /// An account is in arrears (欠费催缴).
        Collection = "collection",
    }
);

coded_enum!(
    /// What a call attempt (or the system) recorded.
    TaskOutcome {
        /// Spoke with the customer.
        Reached = "reached",
        /// Follow-up: the customer is satisfied.
        Satisfied = "satisfied",
        /// Follow-up: the customer is not satisfied (the ticket reopens).
        Unsatisfied = "unsatisfied",
        /// Nobody answered; tried again later.
        NoAnswer = "no_answer",
        /// The number does not belong to the customer.
        WrongNumber = "wrong_number",
        /// Collection: the customer promised to pay.
        Promised = "promised",
        /// Given up after [`MAX_ATTEMPTS`] unanswered attempts.
        Unreachable = "unreachable",
        /// Closed by the system: the ticket moved on without the call.
        Superseded = "superseded",
    }
);

/// Unanswered attempts after which a task is given up.
pub const MAX_ATTEMPTS: u32 = 3;
/// How long after an unanswered attempt the task is due again.
pub const RETRY_AFTER_MINUTES: i64 = 60;

impl TaskReason {
    /// The outcomes an agent may record on a task of this reason.
    pub fn outcomes(self) -> &'static [TaskOutcome] {
        use TaskOutcome::*;
        match self {
            TaskReason::FollowUp => &[Satisfied, Unsatisfied, NoAnswer, WrongNumber],
            TaskReason::Collection => &[Reached, Promised, NoAnswer, WrongNumber],
            TaskReason::SlaOverdue | TaskReason::Callback => &[Reached, NoAnswer, WrongNumber],
        }
    }
}

/// An outbound call task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundTask {
    /// Id.
    pub id: Uuid,
    /// Why.
    pub reason: TaskReason,
    /// The customer, when on file (callbacks of unknown callers have none).
    pub customer: Option<CustomerId>,
    /// The number to call (normalised).
    pub phone: String,
    /// The ticket it belongs to (follow-ups, overdue notices).
    pub ticket: Option<TicketId>,
    /// The call it answers (callbacks).
    pub call_id: Option<String>,
    /// The account (collections).
    pub account: Option<String>,
    /// Department that should call.
    pub department: DepartmentId,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// Attempts so far.
    pub attempts: u32,
    /// The agent who took it.
    pub assignee: Option<UserId>,
    /// Final outcome once done.
    pub outcome: Option<TaskOutcome>,
    /// Last note.
    pub note: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Done.
    pub done_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version.
    pub version: u64,
}

/// One recorded call attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskAttempt {
    /// When.
    pub at: DateTime<Utc>,
    /// Who called.
    pub user: UserId,
    /// What came of it.
    pub outcome: TaskOutcome,
    /// Note.
    pub note: String,
}

/// Why a task operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum TaskError {
    /// The task is done.
    #[error("the task is already done")]
    Done,
    /// Another agent took it.
    #[error("another agent has taken the task")]
    TakenByOther,
    /// The outcome does not fit the task.
    #[error("outcome {outcome:?} does not apply to a {reason:?} task")]
    OutcomeNotAllowed {
        /// The task's reason.
        reason: TaskReason,
        /// The refused outcome.
        outcome: TaskOutcome,
    },
}

impl OutboundTask {
    /// A new open task (version 1).
    pub fn new(
        id: Uuid,
        reason: TaskReason,
        customer: Option<CustomerId>,
        phone: String,
        department: DepartmentId,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> OutboundTask {
        OutboundTask {
            id,
            reason,
            customer,
            phone,
            ticket: None,
            call_id: None,
            account: None,
            department,
            due_at,
            attempts: 0,
            assignee: None,
            outcome: None,
            note: String::new(),
            created_at: now,
            done_at: None,
            version: 1,
        }
    }

    /// Open tasks are not done.
    pub fn is_open(&self) -> bool {
        self.done_at.is_none()
    }

    /// `agent` takes the task (taking one's own again is harmless).
    pub fn take(&self, agent: UserId) -> Result<OutboundTask, TaskError> {
        if !self.is_open() {
            return Err(TaskError::Done);
        }
        if self.assignee.is_some_and(|a| a != agent) {
            return Err(TaskError::TakenByOther);
        }
        Ok(OutboundTask {
            assignee: Some(agent),
            version: self.version + 1,
            ..self.clone()
        })
    }

    /// Records an attempt by `agent`. Unanswered attempts reschedule the task
    /// [`RETRY_AFTER_MINUTES`] later until [`MAX_ATTEMPTS`], when it is closed as
    /// unreachable; every other outcome closes it. An untaken task is taken on the way.
    pub fn record(
        &self,
        agent: UserId,
        outcome: TaskOutcome,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<OutboundTask, TaskError> {
        let mut t = self.take(agent)?;
        if !self.reason.outcomes().contains(&outcome) {
            return Err(TaskError::OutcomeNotAllowed {
                reason: self.reason,
                outcome,
            });
        }
        t.attempts += 1;
        t.note = note.trim().to_owned();
        match outcome {
            TaskOutcome::NoAnswer if t.attempts < MAX_ATTEMPTS => {
                t.due_at = now + Duration::minutes(RETRY_AFTER_MINUTES);
            }
            TaskOutcome::NoAnswer => {
                t.outcome = Some(TaskOutcome::Unreachable);
                t.done_at = Some(now);
            }
            other => {
                t.outcome = Some(other);
                t.done_at = Some(now);
            }
        }
        Ok(t)
    }

    /// The closed-loop action an outcome of this task means for its ticket: follow-ups
    /// become `revisit` (unanswered attempts count as unreachable); nothing for the rest.
    pub fn ticket_action(&self, outcome: TaskOutcome, note: &str) -> Option<Action> {
        if self.reason != TaskReason::FollowUp || self.ticket.is_none() {
            return None;
        }
        let outcome = match outcome {
            TaskOutcome::Satisfied => RevisitOutcome::Satisfied,
            TaskOutcome::Unsatisfied => RevisitOutcome::Unsatisfied,
            TaskOutcome::NoAnswer | TaskOutcome::WrongNumber => RevisitOutcome::Unreachable,
            _ => return None,
        };
        Some(Action::Revisit {
            outcome,
            rating: None,
            note: note.trim().to_owned(),
        })
    }

    /// Closes the task without a call (the ticket moved on).
    pub fn supersede(&self, now: DateTime<Utc>) -> OutboundTask {
        OutboundTask {
            outcome: Some(TaskOutcome::Superseded),
            done_at: Some(now),
            version: self.version + 1,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> DateTime<Utc> {
        format!("2026-11-23T{h:02}:00:00Z").parse().unwrap()
    }

    fn task(reason: TaskReason) -> OutboundTask {
        let mut t = OutboundTask::new(
            Uuid::from_u128(7),
            reason,
            Some(CustomerId(Uuid::nil())),
            "13800000001".into(),
            DepartmentId(Uuid::nil()),
            at(1),
            at(0),
        );
        t.ticket = Some(TicketId(Uuid::nil()));
        t
    }

    #[test]
    fn unanswered_attempts_retry_then_give_up() {
        let agent = UserId(Uuid::from_u128(1));
        let t = task(TaskReason::Callback);
        let t1 = t.record(agent, TaskOutcome::NoAnswer, "", at(2)).unwrap();
        assert_eq!((t1.attempts, t1.is_open(), t1.due_at), (1, true, at(3)));
        assert_eq!(t1.assignee, Some(agent));
        let t2 = t1.record(agent, TaskOutcome::NoAnswer, "", at(3)).unwrap();
        assert!(t2.is_open());
        let t3 = t2
            .record(agent, TaskOutcome::NoAnswer, " 关机 ", at(4))
            .unwrap();
        assert_eq!(t3.outcome, Some(TaskOutcome::Unreachable));
        assert_eq!((t3.done_at, t3.note.as_str()), (Some(at(4)), "关机"));
        assert_eq!(
            t3.record(agent, TaskOutcome::Reached, "", at(5)),
            Err(TaskError::Done)
        );
    }

    #[test]
    fn outcomes_must_fit_the_reason_and_the_taker() {
        let (a, b) = (UserId(Uuid::from_u128(1)), UserId(Uuid::from_u128(2)));
        let t = task(TaskReason::Callback).take(a).unwrap();
        assert_eq!(t.take(b), Err(TaskError::TakenByOther));
        assert_eq!(
            t.record(a, TaskOutcome::Satisfied, "", at(2)),
            Err(TaskError::OutcomeNotAllowed {
                reason: TaskReason::Callback,
                outcome: TaskOutcome::Satisfied
            })
        );
        let done = t.record(a, TaskOutcome::Reached, "", at(2)).unwrap();
        assert_eq!(done.outcome, Some(TaskOutcome::Reached));
        assert_eq!(done.version, t.version + 1);
        for reason in TaskReason::ALL {
            assert!(!reason.outcomes().contains(&TaskOutcome::Superseded));
            assert!(!reason.outcomes().contains(&TaskOutcome::Unreachable));
        }
    }

    #[test]
    fn follow_up_outcomes_become_revisits() {
        let t = task(TaskReason::FollowUp);
        let revisit = |o| match t.ticket_action(o, "ok") {
            Some(Action::Revisit { outcome, .. }) => Some(outcome),
            _ => None,
        };
        assert_eq!(
            revisit(TaskOutcome::Satisfied),
            Some(RevisitOutcome::Satisfied)
        );
        assert_eq!(
            revisit(TaskOutcome::Unsatisfied),
            Some(RevisitOutcome::Unsatisfied)
        );
        assert_eq!(
            revisit(TaskOutcome::NoAnswer),
            Some(RevisitOutcome::Unreachable)
        );
        assert_eq!(
            task(TaskReason::Collection).ticket_action(TaskOutcome::Reached, ""),
            None
        );
        let s = t.supersede(at(3));
        assert_eq!(
            (s.outcome, s.is_open()),
            (Some(TaskOutcome::Superseded), false)
        );
    }
}

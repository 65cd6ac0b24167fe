//! Agent states (坐席状态): available, on call, wrap-up, break (with a reason), offline.
//! Agents set some themselves, CTI events set the others; after a hangup the agent stays
//! in wrap-up (话后处理) until the call's disposition is submitted. Every change is logged
//! by the store with its source, for occupancy and adherence reports.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

coded_enum!(
    /// What an agent is doing.
    AgentState {
        /// Ready for calls.
        Available = "available",
        /// On a call.
        OnCall = "on_call",
        /// After a call, recording it.
        WrapUp = "wrap_up",
        /// On a break (reason required).
        Break = "break",
        /// Not working.
        Offline = "offline",
    }
);

coded_enum!(
    /// Who changed an agent's state.
    StateSource {
        /// The agent.
        Agent = "agent",
        /// A CTI event.
        Cti = "cti",
        /// The system (sign-out, disposition submitted).
        System = "system",
    }
);

/// An agent's current state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStatus {
    /// State.
    pub state: AgentState,
    /// Break reason.
    pub reason: Option<String>,
    /// The call the state is about (on call, wrap-up).
    pub call_id: Option<String>,
    /// Since when.
    pub since: DateTime<Utc>,
}

impl AgentStatus {
    /// An agent never seen before is offline.
    pub fn offline(since: DateTime<Utc>) -> AgentStatus {
        AgentStatus {
            state: AgentState::Offline,
            reason: None,
            call_id: None,
            since,
        }
    }
}

/// Why an agent's request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum AgentStateError {
    /// On call and wrap-up come from the telephony, not from the agent.
    #[error("this state is set by the telephony system")]
    NotSelectable,
    /// A break needs a reason.
    #[error("a break needs a reason")]
    ReasonRequired,
    /// Cannot change state during a call.
    #[error("not while on a call")]
    OnCall,
    /// Submit the disposition of the last call first.
    #[error("submit the call's disposition first")]
    WrapUpPending,
}

/// The agent asks to change to `wanted`.
pub fn request(
    current: &AgentStatus,
    wanted: AgentState,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<AgentStatus, AgentStateError> {
    let reason = reason.trim();
    match (current.state, wanted) {
        (_, AgentState::OnCall | AgentState::WrapUp) => Err(AgentStateError::NotSelectable),
        (AgentState::OnCall, _) => Err(AgentStateError::OnCall),
        (AgentState::WrapUp, _) => Err(AgentStateError::WrapUpPending),
        (_, AgentState::Break) if reason.is_empty() => Err(AgentStateError::ReasonRequired),
        (_, wanted) => Ok(AgentStatus {
            state: wanted,
            reason: (wanted == AgentState::Break).then(|| reason.chars().take(80).collect()),
            call_id: None,
            since: now,
        }),
    }
}

/// What happened on a call of this agent, as far as the agent's state is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStep {
    /// The agent answered.
    Answered,
    /// The answered call ended.
    Ended,
}

/// The state after a CTI step on call `call_id`, or `None` when nothing changes (a repeated
/// event, or the end of a call the agent is no longer on).
pub fn on_call_step(
    current: &AgentStatus,
    call_id: &str,
    step: CallStep,
    now: DateTime<Utc>,
) -> Option<AgentStatus> {
    let same_call = current.call_id.as_deref() == Some(call_id);
    let state = match step {
        CallStep::Answered if current.state == AgentState::OnCall && same_call => return None,
        CallStep::Answered => AgentState::OnCall,
        CallStep::Ended if same_call && current.state == AgentState::OnCall => AgentState::WrapUp,
        CallStep::Ended => return None,
    };
    Some(AgentStatus {
        state,
        reason: None,
        call_id: Some(call_id.to_owned()),
        since: now,
    })
}

/// The state after the disposition of `call_id` was submitted: wrap-up of that call ends
/// and the agent is available again; anything else stays.
pub fn on_disposition(
    current: &AgentStatus,
    call_id: &str,
    now: DateTime<Utc>,
) -> Option<AgentStatus> {
    (current.state == AgentState::WrapUp && current.call_id.as_deref() == Some(call_id)).then_some(
        AgentStatus {
            state: AgentState::Available,
            reason: None,
            call_id: None,
            since: now,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(m: u32) -> DateTime<Utc> {
        format!("2026-11-23T09:{m:02}:00Z").parse().unwrap()
    }

    fn status(state: AgentState, call: Option<&str>) -> AgentStatus {
        AgentStatus {
            state,
            reason: None,
            call_id: call.map(str::to_owned),
            since: t(0),
        }
    }

    #[test]
    fn agents_choose_available_break_and_offline_but_not_call_states() {
        let s = status(AgentState::Offline, None);
        assert_eq!(
            request(&s, AgentState::Available, "", t(1)).unwrap().state,
            AgentState::Available
        );
        assert_eq!(
            request(&s, AgentState::Break, " ", t(1)),
            Err(AgentStateError::ReasonRequired)
        );
        let b = request(&s, AgentState::Break, " 午餐 ", t(1)).unwrap();
        assert_eq!(
            (b.state, b.reason.as_deref(), b.since),
            (AgentState::Break, Some("午餐"), t(1))
        );
        for wanted in [AgentState::OnCall, AgentState::WrapUp] {
            assert_eq!(
                request(&s, wanted, "", t(1)),
                Err(AgentStateError::NotSelectable)
            );
        }
        let on_call = status(AgentState::OnCall, Some("c1"));
        assert_eq!(
            request(&on_call, AgentState::Break, "x", t(1)),
            Err(AgentStateError::OnCall)
        );
        let wrap = status(AgentState::WrapUp, Some("c1"));
        assert_eq!(
            request(&wrap, AgentState::Available, "", t(1)),
            Err(AgentStateError::WrapUpPending)
        );
        assert_eq!(
            request(&wrap, AgentState::Offline, "", t(1)),
            Err(AgentStateError::WrapUpPending)
        );
    }

    #[test]
    fn a_call_goes_on_call_then_wrap_up_until_the_disposition() {
        let s = status(AgentState::Available, None);
        let on = on_call_step(&s, "c1", CallStep::Answered, t(1)).unwrap();
        assert_eq!(
            (on.state, on.call_id.as_deref()),
            (AgentState::OnCall, Some("c1"))
        );
        // A repeated answer changes nothing.
        assert_eq!(on_call_step(&on, "c1", CallStep::Answered, t(2)), None);
        // The end of another call changes nothing.
        assert_eq!(on_call_step(&on, "c9", CallStep::Ended, t(2)), None);
        let wrap = on_call_step(&on, "c1", CallStep::Ended, t(3)).unwrap();
        assert_eq!(wrap.state, AgentState::WrapUp);
        // A repeated hangup changes nothing.
        assert_eq!(on_call_step(&wrap, "c1", CallStep::Ended, t(4)), None);
        assert_eq!(on_disposition(&wrap, "c9", t(5)), None);
        let free = on_disposition(&wrap, "c1", t(5)).unwrap();
        assert_eq!(
            (free.state, free.call_id, free.since),
            (AgentState::Available, None, t(5))
        );
        // A call answered during a break puts the agent on the call anyway.
        let brk = status(AgentState::Break, None);
        assert_eq!(
            on_call_step(&brk, "c2", CallStep::Answered, t(6))
                .unwrap()
                .state,
            AgentState::OnCall
        );
    }
}

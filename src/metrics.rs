//! Contact-center metrics: the one place their definitions live (wallboard, reports and
//! their tests all use these).
//!
//! Calls (inbound only, unless said otherwise):
//! - *offered* = answered + abandoned (calls still ringing are *waiting*, not yet counted);
//! - **service level** = answered within the threshold (20 s, SEED-SLA-10/11) ÷ offered —
//!   an abandoned call counts against it, whenever it hung up;
//! - **ASA** (average speed of answer) = Σ(answered − ringing) ÷ answered;
//! - **abandonment rate** = abandoned ÷ offered;
//! - **AHT** (average handle time, both directions) = (Σ talk time of ended answered calls +
//!   Σ time agents spent in wrap-up) ÷ those calls;
//! - **occupancy** = (on call + wrap-up) ÷ (available + on call + wrap-up) agent time.
//!
//! Tickets: **FCR** = resolved on the first contact ÷ answered (resolved or closed);
//! **reopen rate** = answered tickets reopened at least once ÷ answered; **satisfaction** =
//! satisfied ÷ (satisfied + unsatisfied) follow-up and portal outcomes, with the mean
//! 1–5 rating of those that gave one; **complaint rate** = complaints per 10 000 customers;
//! a complaint is **serious** (重大) when it is complex or urgent, and serious complaints
//! should stay at or under 1 % (SEED-AS-27).
//!
//! Everything here is counts and sums; rates are computed at the end and are `None` when
//! their denominator is zero.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::agent::AgentState;
use crate::customer::Tier;
use crate::sla::{SlaTarget, TargetState, TargetStatus};
use crate::ticket::action::{Action, RevisitOutcome};
use crate::ticket::event::EventKind;

/// Answered within this many seconds counts for the service level (SEED-SLA-10).
pub const SERVICE_LEVEL_SECONDS: i64 = 20;
/// Standard service-level target, per mille (≥ 75 %, SEED-SLA-10).
pub const STANDARD_TARGET_PERMILLE: u32 = 750;
/// VIP service-level target, per mille (≥ 85 %, SEED-SLA-11).
pub const VIP_TARGET_PERMILLE: u32 = 850;
/// The ceiling for the share of serious complaints, per mille (SEED-AS-27: ≤ 1 %).
pub const SERIOUS_COMPLAINT_CEILING_PERMILLE: u32 = 10;

/// Whether calls from this tier are measured against the VIP target (silver and above:
/// the graded tiers that get a VIP acceptance seat, SEED-SLA-11).
pub fn is_vip(tier: Tier) -> bool {
    tier >= Tier::Silver
}

/// `part ÷ whole`, `None` when `whole` is zero.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Whole seconds from `a` to `b` (each instant cut to its whole second, as stores compute
/// it in SQL), never negative.
pub fn seconds_between(a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    (b.timestamp() - a.timestamp()).max(0)
}

/// A call's answer wait and talk time in whole seconds, when it has them.
pub fn call_seconds(r: &crate::call::CallRecord) -> (Option<i64>, Option<i64>) {
    let wait = r
        .ringing_at
        .zip(r.answered_at)
        .map(|(a, b)| seconds_between(a, b));
    let talk = r
        .answered_at
        .zip(r.ended_at)
        .map(|(a, b)| seconds_between(a, b));
    (wait, talk)
}

coded_enum!(
    /// Where a satisfaction outcome came from.
    FeedbackSource {
        /// A follow-up (回访) by staff.
        Revisit = "revisit",
        /// The customer's confirmation in the portal.
        Portal = "portal",
    }
);

/// The satisfaction outcome an event records, if it records one: (source, satisfied,
/// rating). Unreachable follow-ups are not outcomes.
pub fn feedback_of(kind: &EventKind) -> Option<(FeedbackSource, bool, Option<u8>)> {
    match kind {
        EventKind::Action(Action::Revisit {
            outcome, rating, ..
        }) => match outcome {
            RevisitOutcome::Satisfied => Some((FeedbackSource::Revisit, true, *rating)),
            RevisitOutcome::Unsatisfied => Some((FeedbackSource::Revisit, false, *rating)),
            RevisitOutcome::Unreachable => None,
        },
        EventKind::Action(Action::CustomerConfirm {
            satisfied, rating, ..
        }) => Some((FeedbackSource::Portal, *satisfied, Some(*rating))),
        _ => None,
    }
}

/// The service-level settings (configurable; defaults from the seeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceTargets {
    /// Answer within this many seconds.
    pub threshold_seconds: i64,
    /// Target for standard customers, per mille.
    pub standard_permille: u32,
    /// Target for VIP customers, per mille.
    pub vip_permille: u32,
}

impl Default for ServiceTargets {
    fn default() -> Self {
        ServiceTargets {
            threshold_seconds: SERVICE_LEVEL_SECONDS,
            standard_permille: STANDARD_TARGET_PERMILLE,
            vip_permille: VIP_TARGET_PERMILLE,
        }
    }
}

/// What the metrics need of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFacts {
    /// Inbound (else outbound).
    pub inbound: bool,
    /// The matched customer is VIP.
    pub vip: bool,
    /// Ringing since.
    pub ringing_at: Option<DateTime<Utc>>,
    /// Answered at.
    pub answered_at: Option<DateTime<Utc>>,
    /// Ended at.
    pub ended_at: Option<DateTime<Utc>>,
}

/// Counts and sums over calls of one segment (standard or VIP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallTotals {
    /// Inbound answered + abandoned.
    pub offered: u64,
    /// Inbound answered.
    pub answered: u64,
    /// Inbound answered within the threshold.
    pub answered_within: u64,
    /// Inbound ended without an answer.
    pub abandoned: u64,
    /// Σ seconds from ringing to answer of inbound answered calls.
    pub wait_seconds: i64,
    /// Answered calls that ended (both directions).
    pub handled: u64,
    /// Σ talk seconds of handled calls.
    pub talk_seconds: i64,
    /// Inbound calls ringing, not answered, not ended.
    pub waiting: u64,
    /// Calls answered and not ended (both directions).
    pub in_progress: u64,
}

impl CallTotals {
    /// Adds one call.
    pub fn add(&mut self, c: &CallFacts, threshold_seconds: i64) {
        match (c.answered_at, c.ended_at) {
            (Some(answered), Some(ended)) => {
                self.handled += 1;
                self.talk_seconds += seconds_between(answered, ended);
            }
            (Some(_), None) => self.in_progress += 1,
            _ => {}
        }
        if !c.inbound {
            return;
        }
        match (c.ringing_at, c.answered_at, c.ended_at) {
            (_, Some(answered), _) => {
                self.offered += 1;
                self.answered += 1;
                let wait = c.ringing_at.map_or(0, |r| seconds_between(r, answered));
                self.wait_seconds += wait;
                if wait <= threshold_seconds {
                    self.answered_within += 1;
                }
            }
            (_, None, Some(_)) => {
                self.offered += 1;
                self.abandoned += 1;
            }
            (Some(_), None, None) => self.waiting += 1,
            (None, None, None) => {}
        }
    }

    /// The sum of two segments.
    pub fn plus(&self, o: &CallTotals) -> CallTotals {
        CallTotals {
            offered: self.offered + o.offered,
            answered: self.answered + o.answered,
            answered_within: self.answered_within + o.answered_within,
            abandoned: self.abandoned + o.abandoned,
            wait_seconds: self.wait_seconds + o.wait_seconds,
            handled: self.handled + o.handled,
            talk_seconds: self.talk_seconds + o.talk_seconds,
            waiting: self.waiting + o.waiting,
            in_progress: self.in_progress + o.in_progress,
        }
    }

    /// Service level (answered within the threshold ÷ offered).
    pub fn service_level(&self) -> Option<f64> {
        ratio(self.answered_within, self.offered)
    }

    /// Average speed of answer, seconds.
    pub fn asa_seconds(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.wait_seconds as f64 / self.answered as f64)
    }

    /// Abandonment rate.
    pub fn abandonment(&self) -> Option<f64> {
        ratio(self.abandoned, self.offered)
    }

    /// Average handle time in seconds, with the agents' wrap-up time.
    pub fn aht_seconds(&self, wrap_up_seconds: i64) -> Option<f64> {
        (self.handled > 0)
            .then(|| (self.talk_seconds + wrap_up_seconds) as f64 / self.handled as f64)
    }
}

/// Calls split by segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallSummary {
    /// Standard customers and unmatched callers.
    pub standard: CallTotals,
    /// VIP customers.
    pub vip: CallTotals,
}

impl CallSummary {
    /// Counts a list of calls (what the store's aggregate must equal).
    pub fn from_facts(calls: &[CallFacts], threshold_seconds: i64) -> CallSummary {
        let mut s = CallSummary::default();
        for c in calls {
            if c.vip {
                s.vip.add(c, threshold_seconds);
            } else {
                s.standard.add(c, threshold_seconds);
            }
        }
        s
    }

    /// Both segments together.
    pub fn total(&self) -> CallTotals {
        self.standard.plus(&self.vip)
    }
}

/// Seconds agents spent in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StateSeconds {
    /// Available.
    pub available: i64,
    /// On call.
    pub on_call: i64,
    /// Wrap-up.
    pub wrap_up: i64,
    /// Break.
    pub on_break: i64,
}

impl StateSeconds {
    /// Occupancy: busy (on call + wrap-up) ÷ staffed-and-ready time.
    pub fn occupancy(&self) -> Option<f64> {
        let busy = self.on_call + self.wrap_up;
        let staffed = busy + self.available;
        (staffed > 0).then(|| busy as f64 / staffed as f64)
    }

    /// Adds another agent's time.
    pub fn plus(&self, o: &StateSeconds) -> StateSeconds {
        StateSeconds {
            available: self.available + o.available,
            on_call: self.on_call + o.on_call,
            wrap_up: self.wrap_up + o.wrap_up,
            on_break: self.on_break + o.on_break,
        }
    }

    fn add(&mut self, state: AgentState, seconds: i64) {
        match state {
            AgentState::Available => self.available += seconds,
            AgentState::OnCall => self.on_call += seconds,
            AgentState::WrapUp => self.wrap_up += seconds,
            AgentState::Break => self.on_break += seconds,
            AgentState::Offline => {}
        }
    }
}

/// Time one agent spent in each state within `[from, to)`: `before` is the state in force
/// at `from` (the last change before it), `changes` the changes after it, oldest first.
pub fn agent_time(
    before: Option<AgentState>,
    changes: &[(DateTime<Utc>, AgentState)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StateSeconds {
    let mut out = StateSeconds::default();
    let mut state = before.unwrap_or(AgentState::Offline);
    let mut since = from;
    for &(at, next) in changes {
        let at = at.clamp(from, to);
        out.add(state, (at - since).num_seconds().max(0));
        state = next;
        since = at.max(since);
    }
    out.add(state, (to - since).num_seconds().max(0));
    out
}

/// A compact, stable key of a ticket's SLA target states (`acknowledge=met;resolve=running`),
/// stored with the ticket so reports can count compliance per target without reading the
/// full snapshot.
pub fn sla_key(targets: &[TargetStatus]) -> String {
    let mut parts: Vec<(SlaTarget, TargetState)> = Vec::new();
    for t in targets {
        // A target can run several times (dispatch acceptance): the worst run counts.
        match parts.iter_mut().find(|(k, _)| *k == t.target) {
            Some(p) if severity(t.state) > severity(p.1) => p.1 = t.state,
            Some(_) => {}
            None => parts.push((t.target, t.state)),
        }
    }
    parts.sort_by_key(|(k, _)| SlaTarget::ALL.iter().position(|x| x == k));
    parts
        .iter()
        .map(|(k, s)| format!("{}={}", k.code(), s.code()))
        .collect::<Vec<_>>()
        .join(";")
}

fn severity(s: TargetState) -> u8 {
    match s {
        TargetState::Met => 0,
        TargetState::Running => 1,
        TargetState::Paused => 2,
        TargetState::Overdue => 3,
        TargetState::Breached => 4,
    }
}

/// Reads a key written by [`sla_key`]; unknown parts are skipped.
pub fn parse_sla_key(key: &str) -> Vec<(SlaTarget, TargetState)> {
    key.split(';')
        .filter_map(|p| {
            let (k, s) = p.split_once('=')?;
            Some((SlaTarget::from_code(k)?, TargetState::from_code(s)?))
        })
        .collect()
}

/// Compliance of one SLA target over a set of tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Compliance {
    /// Stopped in time.
    pub met: u64,
    /// Past due (stopped late, or running past due).
    pub overdue: u64,
    /// Past the hard limit.
    pub breached: u64,
    /// Still running (or paused) in time.
    pub running: u64,
}

impl Compliance {
    /// Counts `n` tickets in `state`.
    pub fn add(&mut self, state: TargetState, n: u64) {
        match state {
            TargetState::Met => self.met += n,
            TargetState::Overdue => self.overdue += n,
            TargetState::Breached => self.breached += n,
            TargetState::Running | TargetState::Paused => self.running += n,
        }
    }

    /// The sum of two sets.
    pub fn plus(&self, o: &Compliance) -> Compliance {
        Compliance {
            met: self.met + o.met,
            overdue: self.overdue + o.overdue,
            breached: self.breached + o.breached,
            running: self.running + o.running,
        }
    }

    /// Met ÷ decided (met + overdue + breached).
    pub fn rate(&self) -> Option<f64> {
        ratio(self.met, self.met + self.overdue + self.breached)
    }
}

/// Counts over a set of tickets (one cell of a report, or their sum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TicketTotals {
    /// Tickets registered.
    pub tickets: u64,
    /// Answered (resolved or closed).
    pub answered: u64,
    /// Answered on the first contact.
    pub first_contact: u64,
    /// Answered and reopened at least once.
    pub reopened: u64,
    /// Complaints.
    pub complaints: u64,
    /// Serious complaints (complex or urgent).
    pub serious: u64,
}

impl TicketTotals {
    /// Adds another cell.
    pub fn plus(&self, o: &TicketTotals) -> TicketTotals {
        TicketTotals {
            tickets: self.tickets + o.tickets,
            answered: self.answered + o.answered,
            first_contact: self.first_contact + o.first_contact,
            reopened: self.reopened + o.reopened,
            complaints: self.complaints + o.complaints,
            serious: self.serious + o.serious,
        }
    }

    /// First-contact resolution rate.
    pub fn fcr(&self) -> Option<f64> {
        ratio(self.first_contact, self.answered)
    }

    /// Reopen rate.
    pub fn reopen_rate(&self) -> Option<f64> {
        ratio(self.reopened, self.answered)
    }

    /// Complaints per 10 000 customers.
    pub fn complaint_rate(&self, customers: u64) -> Option<f64> {
        (customers > 0).then(|| self.complaints as f64 * 10_000.0 / customers as f64)
    }

    /// Share of complaints that are serious.
    pub fn serious_share(&self) -> Option<f64> {
        ratio(self.serious, self.complaints)
    }
}

/// Follow-up and portal outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Satisfaction {
    /// Satisfied outcomes.
    pub satisfied: u64,
    /// Unsatisfied outcomes.
    pub unsatisfied: u64,
    /// Σ ratings given.
    pub rating_sum: u64,
    /// Outcomes with a rating.
    pub rated: u64,
}

impl Satisfaction {
    /// Adds one outcome (unreachable attempts are not outcomes).
    pub fn add(&mut self, satisfied: bool, rating: Option<u8>) {
        if satisfied {
            self.satisfied += 1;
        } else {
            self.unsatisfied += 1;
        }
        if let Some(r) = rating {
            self.rating_sum += u64::from(r);
            self.rated += 1;
        }
    }

    /// Adds another set.
    pub fn plus(&self, o: &Satisfaction) -> Satisfaction {
        Satisfaction {
            satisfied: self.satisfied + o.satisfied,
            unsatisfied: self.unsatisfied + o.unsatisfied,
            rating_sum: self.rating_sum + o.rating_sum,
            rated: self.rated + o.rated,
        }
    }

    /// Share satisfied.
    pub fn share(&self) -> Option<f64> {
        ratio(self.satisfied, self.satisfied + self.unsatisfied)
    }

    /// Mean rating (1–5).
    pub fn mean_rating(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.rating_sum as f64 / self.rated as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
    }

    fn call(
        vip: bool,
        wait: Option<i64>,
        talk: Option<i64>,
        abandon_after: Option<i64>,
    ) -> CallFacts {
        let r = t0();
        let answered = wait.map(|w| r + Duration::seconds(w));
        let ended = match (answered, talk, abandon_after) {
            (Some(a), Some(t), _) => Some(a + Duration::seconds(t)),
            (None, _, Some(x)) => Some(r + Duration::seconds(x)),
            _ => None,
        };
        CallFacts {
            inbound: true,
            vip,
            ringing_at: Some(r),
            answered_at: answered,
            ended_at: ended,
        }
    }

    #[test]
    fn call_metrics_on_hand_built_calls() {
        // 10 standard inbound calls: 6 answered within 20 s (5,10,15,20,20,3), 2 after
        // (21, 60), 1 abandoned after 40 s, 1 abandoned after 5 s; talk 100 s each for the
        // answered ones except one still on the line. One still ringing.
        let mut calls = vec![
            call(false, Some(5), Some(100), None),
            call(false, Some(10), Some(100), None),
            call(false, Some(15), Some(100), None),
            call(false, Some(20), Some(100), None),
            call(false, Some(20), Some(100), None),
            call(false, Some(3), None, None),
            call(false, Some(21), Some(100), None),
            call(false, Some(60), Some(100), None),
            call(false, None, None, Some(40)),
            call(false, None, None, Some(5)),
            call(false, None, None, None),
        ];
        // VIP: 2 answered in 10 s, one abandoned.
        calls.push(call(true, Some(10), Some(200), None));
        calls.push(call(true, Some(10), Some(200), None));
        calls.push(call(true, None, None, Some(30)));
        let s = CallSummary::from_facts(&calls, 20);
        assert_eq!(s.standard.offered, 10);
        assert_eq!(s.standard.answered, 8);
        assert_eq!(s.standard.answered_within, 6);
        assert_eq!(s.standard.abandoned, 2);
        assert_eq!(s.standard.waiting, 1);
        assert_eq!(s.standard.in_progress, 1);
        assert_eq!(s.standard.handled, 7);
        assert_eq!(s.standard.service_level(), Some(0.6));
        assert_eq!(s.standard.asa_seconds(), Some(154.0 / 8.0));
        assert_eq!(s.standard.abandonment(), Some(0.2));
        // AHT with 70 s of wrap-up over the 7 handled calls: (700 + 70) / 7.
        assert_eq!(s.standard.aht_seconds(70), Some(110.0));
        assert_eq!(s.vip.service_level(), Some(2.0 / 3.0));
        let all = s.total();
        assert_eq!(all.offered, 13);
        assert_eq!(all.answered_within, 8);
        assert_eq!(all.service_level(), Some(8.0 / 13.0));
        assert_eq!(CallTotals::default().service_level(), None);
    }

    #[test]
    fn outbound_calls_count_for_handle_time_only() {
        let mut c = call(false, Some(1), Some(50), None);
        c.inbound = false;
        let s = CallSummary::from_facts(&[c], 20);
        assert_eq!(s.standard.offered, 0);
        assert_eq!(s.standard.handled, 1);
        assert_eq!(s.standard.aht_seconds(10), Some(60.0));
    }

    #[test]
    fn agent_time_and_occupancy() {
        let from = t0();
        let to = from + Duration::hours(1);
        let m = |x| from + Duration::minutes(x);
        // Available at the start (set before the window), on a call at 10, wrap-up at 25,
        // available at 30, break at 50 (to the end).
        let changes = [
            (m(10), AgentState::OnCall),
            (m(25), AgentState::WrapUp),
            (m(30), AgentState::Available),
            (m(50), AgentState::Break),
        ];
        let s = agent_time(Some(AgentState::Available), &changes, from, to);
        assert_eq!(s.available, 30 * 60);
        assert_eq!(s.on_call, 15 * 60);
        assert_eq!(s.wrap_up, 5 * 60);
        assert_eq!(s.on_break, 10 * 60);
        assert_eq!(s.occupancy(), Some(20.0 / 50.0));
        // Never seen: offline, no time counted.
        assert_eq!(agent_time(None, &[], from, to), StateSeconds::default());
        // Changes outside the window are clamped.
        let s = agent_time(
            None,
            &[(from - Duration::hours(1), AgentState::Available)],
            from,
            to,
        );
        assert_eq!(s.available, 3600);
    }

    #[test]
    fn ticket_rates() {
        let t = TicketTotals {
            tickets: 100,
            answered: 80,
            first_contact: 20,
            reopened: 4,
            complaints: 10,
            serious: 1,
        };
        assert_eq!(t.fcr(), Some(0.25));
        assert_eq!(t.reopen_rate(), Some(0.05));
        assert_eq!(t.complaint_rate(50_000), Some(2.0));
        assert_eq!(t.serious_share(), Some(0.1));
        let mut s = Satisfaction::default();
        s.add(true, Some(5));
        s.add(true, Some(4));
        s.add(false, Some(1));
        s.add(true, None);
        assert_eq!(s.share(), Some(0.75));
        assert_eq!(s.mean_rating(), Some(10.0 / 3.0));
    }

    #[test]
    fn sla_keys_round_trip_and_keep_the_worst_run() {
        use crate::sla::TargetStatus;
        let st = |target, state| TargetStatus {
            target,
            state,
            started_at: t0(),
            stopped_at: None,
            due_at: t0(),
            hard_due_at: None,
            warn_at: t0(),
            paused_seconds: 0,
            trace: vec![],
        };
        let key = sla_key(&[
            st(SlaTarget::Resolve, TargetState::Running),
            st(SlaTarget::DispatchAcceptance, TargetState::Overdue),
            st(SlaTarget::Acknowledge, TargetState::Met),
            st(SlaTarget::DispatchAcceptance, TargetState::Met),
        ]);
        assert_eq!(
            key,
            "acknowledge=met;dispatch_acceptance=overdue;resolve=running"
        );
        assert_eq!(
            parse_sla_key(&key),
            vec![
                (SlaTarget::Acknowledge, TargetState::Met),
                (SlaTarget::DispatchAcceptance, TargetState::Overdue),
                (SlaTarget::Resolve, TargetState::Running),
            ]
        );
        assert_eq!(sla_key(&[]), "");
        assert!(parse_sla_key("").is_empty());
        let mut c = Compliance::default();
        c.add(TargetState::Met, 8);
        c.add(TargetState::Overdue, 1);
        c.add(TargetState::Breached, 1);
        c.add(TargetState::Running, 5);
        assert_eq!(c.rate(), Some(0.8));
    }

    #[test]
    fn feedback_comes_from_follow_ups_and_confirmations() {
        let revisit = |outcome, rating| {
            EventKind::Action(Action::Revisit {
                outcome,
                rating,
                note: String::new(),
            })
        };
        assert_eq!(
            feedback_of(&revisit(RevisitOutcome::Satisfied, Some(5))),
            Some((FeedbackSource::Revisit, true, Some(5)))
        );
        assert_eq!(
            feedback_of(&revisit(RevisitOutcome::Unsatisfied, None)),
            Some((FeedbackSource::Revisit, false, None))
        );
        assert_eq!(
            feedback_of(&revisit(RevisitOutcome::Unreachable, None)),
            None
        );
        let confirm = EventKind::Action(Action::CustomerConfirm {
            satisfied: false,
            rating: 2,
            comment: String::new(),
        });
        assert_eq!(
            feedback_of(&confirm),
            Some((FeedbackSource::Portal, false, Some(2)))
        );
        assert_eq!(feedback_of(&EventKind::Registered { on_call: false }), None);
    }

    #[test]
    fn seconds_are_whole_second_differences() {
        let a = t0() + Duration::milliseconds(900);
        let b = t0() + Duration::milliseconds(21_100);
        assert_eq!(seconds_between(a, b), 21);
        assert_eq!(seconds_between(b, a), 0);
    }

    #[test]
    fn vip_means_silver_and_above() {
        assert!(!is_vip(Tier::Normal));
        assert!(is_vip(Tier::Silver));
        assert!(is_vip(Tier::Supreme));
    }
}

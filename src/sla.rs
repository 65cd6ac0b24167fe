//! SLA clocks (DESIGN §3.3): policies, their selection, and the targets of one ticket
//! computed as a pure function of (policy, calendars, the ticket's clock events, now).
//!
//! | target | starts | stops | pauses |
//! |---|---|---|---|
//! | acknowledge | registration | `acknowledge` | never |
//! | dispatch acceptance | each `dispatch` | `accept` / `return` | never |
//! | resolve | registration | `reply` | while pending the customer |
//! | follow-up | `reply` | follow-up outcome | never |
//!
//! A pause extends the resolve target by the working time it covered, so a pause never
//! moves a due time earlier. The warning point is a share (default 75 %) of the allowed
//! working time after the start.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError, DateNote};
use crate::customer::Tier;
pub use crate::ticket::event::SlaAlert;
use crate::ticket::{Complexity, Priority, TicketKind};

/// The clocks a ticket runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaTarget {
    /// Tell the customer the request is being handled (SEED-SLA-03: 2 h).
    Acknowledge,
    /// A department accepts a dispatched work order.
    DispatchAcceptance,
    /// Answer the customer.
    Resolve,
    /// Follow up with the customer after the answer (回访).
    FollowUp,
}

impl SlaTarget {
    /// Every target.
    pub const ALL: [SlaTarget; 4] = [
        SlaTarget::Acknowledge,
        SlaTarget::DispatchAcceptance,
        SlaTarget::Resolve,
        SlaTarget::FollowUp,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            SlaTarget::Acknowledge => "acknowledge",
            SlaTarget::DispatchAcceptance => "dispatch_acceptance",
            SlaTarget::Resolve => "resolve",
            SlaTarget::FollowUp => "follow_up",
        }
    }

    /// The target for a stable code.
    pub fn from_code(code: &str) -> Option<SlaTarget> {
        SlaTarget::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// An allowed amount of time, in one of the three units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum Span {
    /// Working minutes of the rule's calendar.
    BusinessMinutes(u32),
    /// Working days of the rule's calendar (same local time of day).
    WorkingDays(u32),
    /// Calendar days (自然日).
    NaturalDays(u32),
}

impl Span {
    /// The end of the span started at `start`.
    pub fn end(self, cal: &Calendar, start: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        match self {
            Span::BusinessMinutes(m) => cal.add_business_seconds(start, i64::from(m) * 60),
            Span::WorkingDays(n) => cal.add_working_days(start, n),
            Span::NaturalDays(n) => Ok(cal.add_natural_days(start, n)),
        }
    }
}

/// Which calendar a rule counts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarKind {
    /// The `24x7` calendar.
    AllHours,
    /// The `office` calendar (with holidays and make-up days).
    Office,
}

/// The two calendars policies count on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendars {
    /// `24x7`.
    pub all_hours: Calendar,
    /// `office`.
    pub office: Calendar,
}

impl Calendars {
    /// The shipped calendars.
    pub fn shipped() -> Calendars {
        Calendars {
            all_hours: Calendar::twenty_four_seven(),
            office: Calendar::office(),
        }
    }

    /// The calendar of a kind.
    pub fn get(&self, kind: CalendarKind) -> &Calendar {
        match kind {
            CalendarKind::AllHours => &self.all_hours,
            CalendarKind::Office => &self.office,
        }
    }
}

/// How long one target allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRule {
    /// The calendar counted on.
    pub calendar: CalendarKind,
    /// Due after.
    pub due: Span,
    /// Hard limit after (breach), if any.
    pub hard: Option<Span>,
}

/// Which tickets a policy applies to; `None` matches anything. The most specific matching
/// policy wins (ties: the later one in the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PolicyMatch {
    /// Ticket kind.
    pub kind: Option<TicketKind>,
    /// Complaint complexity.
    pub complexity: Option<Complexity>,
    /// Applies to customers of this tier and above.
    pub min_tier: Option<Tier>,
    /// Priority.
    pub priority: Option<Priority>,
}

impl PolicyMatch {
    fn matches(&self, t: &TicketFacts) -> bool {
        self.kind.is_none_or(|k| k == t.kind)
            && self.complexity.is_none_or(|c| Some(c) == t.complexity)
            && self.min_tier.is_none_or(|m| t.tier >= m)
            && self.priority.is_none_or(|p| p == t.priority)
    }

    fn specificity(&self) -> u8 {
        u8::from(self.kind.is_some())
            + u8::from(self.complexity.is_some())
            + u8::from(self.min_tier.is_some())
            + u8::from(self.priority.is_some())
    }
}

/// One target rule for the tickets a [`PolicyMatch`] selects. Targets are chosen
/// independently: the acknowledge rule may come from a tier policy and the resolve rule
/// from a kind policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Name shown in explanations.
    pub name: String,
    /// Which tickets.
    pub applies_to: PolicyMatch,
    /// Which target.
    pub target: SlaTarget,
    /// The rule.
    pub rule: TargetRule,
    /// Warning at this share of the allowed working time, in percent (default 75).
    pub warn_percent: u8,
}

/// What policy selection needs to know about a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketFacts {
    /// Kind.
    pub kind: TicketKind,
    /// Complexity.
    pub complexity: Option<Complexity>,
    /// Tier snapshot.
    pub tier: Tier,
    /// Priority.
    pub priority: Priority,
}

fn rule(calendar: CalendarKind, due: Span, hard: Option<Span>) -> TargetRule {
    TargetRule {
        calendar,
        due,
        hard,
    }
}

fn policy(name: &str, applies_to: PolicyMatch, target: SlaTarget, rule: TargetRule) -> Policy {
    Policy {
        name: name.to_owned(),
        applies_to,
        target,
        rule,
        warn_percent: 75,
    }
}

/// The seed policies of DESIGN §3.3.
pub fn seed_policies() -> Vec<Policy> {
    use CalendarKind::{AllHours, Office};
    use Span::{BusinessMinutes as Min, WorkingDays as Wd};
    let any = PolicyMatch::default();
    let kind = |k| PolicyMatch {
        kind: Some(k),
        ..any
    };
    let complaint = |c| PolicyMatch {
        kind: Some(TicketKind::Complaint),
        complexity: Some(c),
        ..any
    };
    let gold = PolicyMatch {
        min_tier: Some(Tier::Gold),
        ..any
    };
    vec![
        // SEED-SLA-03: acknowledge within 2 h, around the clock.
        policy(
            "acknowledge 2 h",
            any,
            SlaTarget::Acknowledge,
            rule(AllHours, Min(120), None),
        ),
        // Higher tiers get tighter targets.
        policy(
            "gold+ acknowledge 1 h",
            gold,
            SlaTarget::Acknowledge,
            rule(AllHours, Min(60), None),
        ),
        policy(
            "dispatch acceptance 30 min",
            any,
            SlaTarget::DispatchAcceptance,
            rule(Office, Min(30), None),
        ),
        policy(
            "gold+ dispatch acceptance 15 min",
            gold,
            SlaTarget::DispatchAcceptance,
            rule(Office, Min(15), None),
        ),
        policy(
            "follow-up 2 working days",
            any,
            SlaTarget::FollowUp,
            rule(Office, Wd(2), None),
        ),
        policy(
            "gold+ follow-up 1 working day",
            gold,
            SlaTarget::FollowUp,
            rule(Office, Wd(1), None),
        ),
        // Not set by the seed texts: a default for kinds without their own rule.
        policy(
            "resolve 2 working days",
            any,
            SlaTarget::Resolve,
            rule(Office, Wd(2), None),
        ),
        // SEED-SLA-02: queries in 15 minutes.
        policy(
            "query 15 min",
            kind(TicketKind::Query),
            SlaTarget::Resolve,
            rule(AllHours, Min(15), None),
        ),
        // SEED-SLA-04..08: complaints by complexity.
        policy(
            "simple complaint on the call",
            complaint(Complexity::Simple),
            SlaTarget::Resolve,
            rule(AllHours, Min(120), None),
        ),
        policy(
            "general complaint 1/3 working days",
            complaint(Complexity::General),
            SlaTarget::Resolve,
            rule(Office, Wd(1), Some(Wd(3))),
        ),
        policy(
            "complex complaint 5/7 working days",
            complaint(Complexity::Complex),
            SlaTarget::Resolve,
            rule(Office, Wd(5), Some(Wd(7))),
        ),
        // Fault reports: others escalate after 3 h; important customers after 1 h, with
        // someone on site within 2 h.
        policy(
            "fault report 3 h",
            kind(TicketKind::FaultReport),
            SlaTarget::Resolve,
            rule(AllHours, Min(180), Some(Min(180))),
        ),
        policy(
            "gold+ fault report 1 h / on site 2 h",
            PolicyMatch {
                kind: Some(TicketKind::FaultReport),
                min_tier: Some(Tier::Gold),
                ..any
            },
            SlaTarget::Resolve,
            rule(AllHours, Min(60), Some(Min(120))),
        ),
    ]
}

/// The policy for one target of a ticket: the most specific match, later ones winning ties.
pub fn select<'a>(
    policies: &'a [Policy],
    target: SlaTarget,
    facts: &TicketFacts,
) -> Option<&'a Policy> {
    policies
        .iter()
        .filter(|p| p.target == target && p.applies_to.matches(facts))
        .fold(None, |best: Option<&Policy>, p| match best {
            Some(b) if b.applies_to.specificity() > p.applies_to.specificity() => Some(b),
            _ => Some(p),
        })
}

/// What the clocks react to, extracted from the ticket's event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockEvent {
    /// Registered (acknowledged at once when `on_call`).
    Registered {
        /// Registered on a call with the customer.
        on_call: bool,
    },
    /// `acknowledge`.
    Acknowledged,
    /// `dispatch` or `transfer`.
    Dispatched,
    /// `accept` or `return`.
    DispatchEnded,
    /// `pause`.
    Paused,
    /// `resume`.
    Resumed,
    /// `reply`.
    Replied,
    /// A follow-up outcome (`revisit` satisfied/unsatisfied, `customer_confirm`, `close`).
    FollowedUp {
        /// Unsatisfied: the ticket reopened and the resolve clock runs again.
        reopened: bool,
    },
    /// `cancel`: every running clock stops.
    Cancelled,
}

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetState {
    /// Running, before its due time.
    Running,
    /// Paused (resolve while pending the customer).
    Paused,
    /// Stopped in time.
    Met,
    /// Past due (stopped late, or still running past due).
    Overdue,
    /// Past the hard limit.
    Breached,
}

impl TargetState {
    /// Every state.
    pub const ALL: [TargetState; 5] = [
        TargetState::Running,
        TargetState::Paused,
        TargetState::Met,
        TargetState::Overdue,
        TargetState::Breached,
    ];

    /// Stable code (as serialized).
    pub fn code(self) -> &'static str {
        match self {
            TargetState::Running => "running",
            TargetState::Paused => "paused",
            TargetState::Met => "met",
            TargetState::Overdue => "overdue",
            TargetState::Breached => "breached",
        }
    }

    /// The state for a stable code.
    pub fn from_code(code: &str) -> Option<TargetState> {
        TargetState::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// A step of the explanation of a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum TraceStep {
    /// The policy that applies.
    Policy {
        /// Its name.
        name: String,
    },
    /// A holiday, make-up day or special day crossed.
    Date(DateNote),
    /// A pause and the working seconds it added.
    Pause {
        /// Start.
        from: DateTime<Utc>,
        /// End (or now when still paused).
        to: DateTime<Utc>,
        /// Working seconds added to the due time.
        seconds: i64,
    },
}

/// One target's computed state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetStatus {
    /// Which target.
    pub target: SlaTarget,
    /// State at `now`.
    pub state: TargetState,
    /// When the clock (last) started.
    pub started_at: DateTime<Utc>,
    /// When it stopped, if it did.
    pub stopped_at: Option<DateTime<Utc>>,
    /// Due time (pauses applied).
    pub due_at: DateTime<Utc>,
    /// Hard limit (pauses applied), if any.
    pub hard_due_at: Option<DateTime<Utc>>,
    /// Warning point.
    pub warn_at: DateTime<Utc>,
    /// Working seconds spent paused.
    pub paused_seconds: i64,
    /// How the due time was reached.
    pub trace: Vec<TraceStep>,
}

struct Run {
    started: DateTime<Utc>,
    stopped: Option<DateTime<Utc>>,
    pauses: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

impl Run {
    fn start(at: DateTime<Utc>) -> Run {
        Run {
            started: at,
            stopped: None,
            pauses: Vec::new(),
        }
    }
}

/// Computes every target that has started, at `now`, from the ticket's clock events in
/// order. Targets without a matching policy are left out.
pub fn compute(
    policies: &[Policy],
    calendars: &Calendars,
    facts: &TicketFacts,
    events: &[(DateTime<Utc>, ClockEvent)],
    now: DateTime<Utc>,
) -> Result<Vec<TargetStatus>, CalendarError> {
    let mut runs: [Option<Run>; 4] = Default::default();
    let idx = |t: SlaTarget| t as usize;
    let stop = |run: &mut Option<Run>, at| {
        if let Some(r) = run.as_mut().filter(|r| r.stopped.is_none()) {
            r.stopped = Some(at);
            if let Some(p) = r.pauses.last_mut().filter(|p| p.1.is_none()) {
                p.1 = Some(at);
            }
        }
    };
    for &(at, event) in events {
        match event {
            ClockEvent::Registered { on_call } => {
                let mut ack = Run::start(at);
                if on_call {
                    ack.stopped = Some(at);
                }
                runs[idx(SlaTarget::Acknowledge)] = Some(ack);
                runs[idx(SlaTarget::Resolve)] = Some(Run::start(at));
            }
            ClockEvent::Acknowledged => stop(&mut runs[idx(SlaTarget::Acknowledge)], at),
            ClockEvent::Dispatched => {
                runs[idx(SlaTarget::DispatchAcceptance)] = Some(Run::start(at))
            }
            ClockEvent::DispatchEnded => stop(&mut runs[idx(SlaTarget::DispatchAcceptance)], at),
            ClockEvent::Paused => {
                if let Some(r) = runs[idx(SlaTarget::Resolve)]
                    .as_mut()
                    .filter(|r| r.stopped.is_none())
                {
                    r.pauses.push((at, None));
                }
            }
            ClockEvent::Resumed => {
                if let Some(r) = runs[idx(SlaTarget::Resolve)].as_mut() {
                    if let Some(p) = r.pauses.last_mut().filter(|p| p.1.is_none()) {
                        p.1 = Some(at);
                    }
                }
            }
            ClockEvent::Replied => {
                // An answer also tells the customer the request was handled.
                stop(&mut runs[idx(SlaTarget::Acknowledge)], at);
                stop(&mut runs[idx(SlaTarget::Resolve)], at);
                runs[idx(SlaTarget::FollowUp)] = Some(Run::start(at));
            }
            ClockEvent::FollowedUp { reopened } => {
                stop(&mut runs[idx(SlaTarget::FollowUp)], at);
                if reopened {
                    // The resolve clock runs again from the reopening, with its full allowance.
                    runs[idx(SlaTarget::Resolve)] = Some(Run::start(at));
                }
            }
            ClockEvent::Cancelled => {
                for run in runs.iter_mut() {
                    stop(run, at);
                }
            }
        }
    }

    let mut out = Vec::new();
    for target in SlaTarget::ALL {
        let (Some(run), Some(policy)) = (&runs[idx(target)], select(policies, target, facts))
        else {
            continue;
        };
        out.push(status(target, run, policy, calendars, now)?);
    }
    Ok(out)
}

fn status(
    target: SlaTarget,
    run: &Run,
    policy: &Policy,
    calendars: &Calendars,
    now: DateTime<Utc>,
) -> Result<TargetStatus, CalendarError> {
    let cal = calendars.get(policy.rule.calendar);
    let mut trace = vec![TraceStep::Policy {
        name: policy.name.clone(),
    }];
    let mut paused_seconds = 0;
    for &(from, to) in &run.pauses {
        let to = to.unwrap_or(now);
        let seconds = cal.business_seconds_between(from, to);
        paused_seconds += seconds;
        trace.push(TraceStep::Pause { from, to, seconds });
    }
    let base_due = policy.rule.due.end(cal, run.started)?;
    let due_at = cal.add_business_seconds(base_due, paused_seconds)?;
    let hard_due_at = match policy.rule.hard {
        Some(span) => Some(cal.add_business_seconds(span.end(cal, run.started)?, paused_seconds)?),
        None => None,
    };
    let allowed = cal.business_seconds_between(run.started, base_due);
    let warn_at = cal.add_business_seconds(
        run.started,
        allowed * i64::from(policy.warn_percent.min(100)) / 100 + paused_seconds,
    )?;
    let last = hard_due_at.unwrap_or(due_at).max(due_at);
    let tz = cal.tz();
    let first_date = run.started.with_timezone(&tz).date_naive();
    let last_date = last.with_timezone(&tz).date_naive();
    trace.extend(
        cal.notes_between(first_date, last_date)
            .into_iter()
            .map(TraceStep::Date),
    );

    let measured_at = run.stopped.unwrap_or(now);
    let paused_now = run.stopped.is_none() && run.pauses.last().is_some_and(|p| p.1.is_none());
    let state = if hard_due_at.is_some_and(|h| measured_at > h) {
        TargetState::Breached
    } else if measured_at > due_at {
        TargetState::Overdue
    } else if run.stopped.is_some() {
        TargetState::Met
    } else if paused_now {
        TargetState::Paused
    } else {
        TargetState::Running
    };
    Ok(TargetStatus {
        target,
        state,
        started_at: run.started,
        stopped_at: run.stopped,
        due_at,
        hard_due_at,
        warn_at,
        paused_seconds,
        trace,
    })
}

/// An SLA point the sweeper must raise now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueAlert {
    /// Which target.
    pub target: SlaTarget,
    /// Which point.
    pub alert: SlaAlert,
    /// The start of the clock run.
    pub started_at: DateTime<Utc>,
    /// When the point fell due.
    pub due: DateTime<Utc>,
}

fn alert_points(s: &TargetStatus) -> impl Iterator<Item = (SlaAlert, DateTime<Utc>)> + '_ {
    let live = s.stopped_at.is_none() && s.state != TargetState::Paused;
    [
        (SlaAlert::Warning, Some(s.warn_at)),
        (SlaAlert::Overdue, Some(s.due_at)),
        (SlaAlert::Breached, s.hard_due_at),
    ]
    .into_iter()
    .filter(move |_| live)
    .filter_map(|(a, at)| at.map(|at| (a, at)))
}

/// The points of running targets that are due at `now` and not raised yet, and the next
/// moment a point falls due (the ticket's `next_sla_check_at`). Paused and stopped targets
/// raise nothing: a pause moves the points, and the action that ends it recomputes them.
pub fn sweep(
    statuses: &[TargetStatus],
    fired: &[(SlaTarget, SlaAlert, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> (Vec<DueAlert>, Option<DateTime<Utc>>) {
    let mut due = Vec::new();
    let mut next: Option<DateTime<Utc>> = None;
    for s in statuses {
        for (alert, at) in alert_points(s) {
            if fired.contains(&(s.target, alert, s.started_at)) {
                continue;
            }
            if at <= now {
                due.push(DueAlert {
                    target: s.target,
                    alert,
                    started_at: s.started_at,
                    due: at,
                });
            } else {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
        }
    }
    due.sort_by_key(|d| (d.due, d.alert));
    (due, next)
}

/// The earliest due time among running targets (queues sort by it).
pub fn nearest_due(statuses: &[TargetStatus]) -> Option<DateTime<Utc>> {
    statuses
        .iter()
        .filter(|s| s.stopped_at.is_none())
        .map(|s| s.due_at)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::testing::{office_with_holiday_monday_and_make_up_sunday, sh};
    use chrono::Duration;

    fn facts(kind: TicketKind, complexity: Option<Complexity>, tier: Tier) -> TicketFacts {
        TicketFacts {
            kind,
            complexity,
            tier,
            priority: Priority::Normal,
        }
    }

    fn general() -> TicketFacts {
        facts(
            TicketKind::Complaint,
            Some(Complexity::General),
            Tier::Normal,
        )
    }

    fn target(all: &[TargetStatus], t: SlaTarget) -> &TargetStatus {
        all.iter().find(|s| s.target == t).expect("target present")
    }

    fn resolve_of(
        f: TicketFacts,
        cals: &Calendars,
        events: &[(DateTime<Utc>, ClockEvent)],
        now: DateTime<Utc>,
    ) -> TargetStatus {
        let all = compute(&seed_policies(), cals, &f, events, now).unwrap();
        target(&all, SlaTarget::Resolve).clone()
    }

    fn registered(at: DateTime<Utc>) -> Vec<(DateTime<Utc>, ClockEvent)> {
        vec![(at, ClockEvent::Registered { on_call: false })]
    }

    #[test]
    fn worked_examples_1_and_3_at_policy_level() {
        let cals = Calendars::shipped();
        let start = sh(2026, 11, 27, 16, 0);
        let g = resolve_of(general(), &cals, &registered(start), start);
        assert_eq!(
            (g.due_at, g.hard_due_at),
            (sh(2026, 11, 30, 16, 0), Some(sh(2026, 12, 2, 16, 0)))
        );
        let complex = facts(
            TicketKind::Complaint,
            Some(Complexity::Complex),
            Tier::Normal,
        );
        let c = resolve_of(complex, &cals, &registered(start), start);
        assert_eq!(
            (c.due_at, c.hard_due_at),
            (sh(2026, 12, 4, 16, 0), Some(sh(2026, 12, 8, 16, 0)))
        );
    }

    #[test]
    fn worked_example_2_with_the_trace_naming_the_special_days() {
        let office = office_with_holiday_monday_and_make_up_sunday();
        let cals = Calendars {
            office,
            ..Calendars::shipped()
        };
        let start = sh(2026, 11, 27, 16, 0);
        let g = resolve_of(general(), &cals, &registered(start), start);
        assert_eq!(
            (g.due_at, g.hard_due_at),
            (sh(2026, 11, 29, 16, 0), Some(sh(2026, 12, 2, 16, 0)))
        );
        let dates: Vec<_> = g
            .trace
            .iter()
            .filter_map(|s| match s {
                TraceStep::Date(n) => Some(n.date),
                _ => None,
            })
            .collect();
        assert_eq!(dates.len(), 2);
        assert!(matches!(&g.trace[0], TraceStep::Policy { name } if name.contains("general")));
    }

    #[test]
    fn worked_example_5_acknowledge_and_dispatch() {
        let cals = Calendars::shipped();
        let reg = sh(2026, 12, 1, 23, 0);
        let all = compute(&seed_policies(), &cals, &general(), &registered(reg), reg).unwrap();
        assert_eq!(
            target(&all, SlaTarget::Acknowledge).due_at,
            sh(2026, 12, 2, 1, 0)
        );
        let events = vec![
            (
                sh(2026, 11, 27, 17, 0),
                ClockEvent::Registered { on_call: true },
            ),
            (sh(2026, 11, 27, 17, 50), ClockEvent::Dispatched),
        ];
        let all = compute(
            &seed_policies(),
            &cals,
            &general(),
            &events,
            sh(2026, 11, 27, 17, 55),
        )
        .unwrap();
        let d = target(&all, SlaTarget::DispatchAcceptance);
        assert_eq!(d.due_at, sh(2026, 11, 30, 9, 20));
        assert_eq!(d.state, TargetState::Running);
        assert_eq!(target(&all, SlaTarget::Acknowledge).state, TargetState::Met);
    }

    #[test]
    fn worked_example_6_pending_the_customer() {
        let cals = Calendars::shipped();
        let events = vec![
            (
                sh(2026, 11, 30, 10, 0),
                ClockEvent::Registered { on_call: true },
            ),
            (sh(2026, 11, 30, 13, 30), ClockEvent::Paused),
            (sh(2026, 11, 30, 16, 30), ClockEvent::Resumed),
        ];
        let r = resolve_of(general(), &cals, &events, sh(2026, 11, 30, 17, 0));
        assert_eq!(r.due_at, sh(2026, 12, 1, 14, 30));
        assert_eq!(r.paused_seconds, 3 * 3600);
        assert_eq!(r.state, TargetState::Running);
        // While still paused, the state says so.
        let r = resolve_of(general(), &cals, &events[..2], sh(2026, 11, 30, 15, 0));
        assert_eq!(r.state, TargetState::Paused);
    }

    #[test]
    fn worked_example_7_warning_point() {
        let cals = Calendars::shipped();
        let reg = sh(2026, 11, 30, 9, 0);
        let r = resolve_of(general(), &cals, &registered(reg), reg);
        assert_eq!(r.warn_at, sh(2026, 11, 30, 16, 7) + Duration::seconds(30));
    }

    #[test]
    fn states_met_overdue_breached() {
        let cals = Calendars::shipped();
        let reg = sh(2026, 11, 27, 16, 0);
        let mut events = registered(reg);
        assert_eq!(
            resolve_of(general(), &cals, &events, sh(2026, 11, 30, 15, 0)).state,
            TargetState::Running
        );
        assert_eq!(
            resolve_of(general(), &cals, &events, sh(2026, 11, 30, 17, 0)).state,
            TargetState::Overdue
        );
        assert_eq!(
            resolve_of(general(), &cals, &events, sh(2026, 12, 2, 16, 1)).state,
            TargetState::Breached
        );
        events.push((sh(2026, 11, 30, 11, 0), ClockEvent::Replied));
        let r = resolve_of(general(), &cals, &events, sh(2026, 12, 9, 0, 0));
        assert_eq!(
            (r.state, r.stopped_at),
            (TargetState::Met, Some(sh(2026, 11, 30, 11, 0)))
        );
        let all = compute(
            &seed_policies(),
            &cals,
            &general(),
            &events,
            sh(2026, 11, 30, 11, 0),
        )
        .unwrap();
        assert_eq!(
            target(&all, SlaTarget::FollowUp).due_at,
            sh(2026, 12, 2, 11, 0)
        );
    }

    #[test]
    fn higher_tiers_get_tighter_targets() {
        let cals = Calendars::shipped();
        let reg = sh(2026, 12, 1, 10, 0);
        let ack = |tier| {
            let f = facts(TicketKind::Inquiry, None, tier);
            let all = compute(&seed_policies(), &cals, &f, &registered(reg), reg).unwrap();
            target(&all, SlaTarget::Acknowledge).due_at
        };
        assert_eq!(ack(Tier::Normal), sh(2026, 12, 1, 12, 0));
        assert_eq!(ack(Tier::Silver), sh(2026, 12, 1, 12, 0));
        assert_eq!(ack(Tier::Gold), sh(2026, 12, 1, 11, 0));
        assert_eq!(ack(Tier::Supreme), sh(2026, 12, 1, 11, 0));
        let fault = |tier| {
            resolve_of(
                facts(TicketKind::FaultReport, None, tier),
                &cals,
                &registered(reg),
                reg,
            )
        };
        assert_eq!(fault(Tier::Normal).due_at, sh(2026, 12, 1, 13, 0));
        let vip = fault(Tier::Diamond);
        assert_eq!(
            (vip.due_at, vip.hard_due_at),
            (sh(2026, 12, 1, 11, 0), Some(sh(2026, 12, 1, 12, 0)))
        );
    }

    #[test]
    fn queries_and_unlisted_kinds() {
        let cals = Calendars::shipped();
        let reg = sh(2026, 12, 1, 10, 0);
        let q = resolve_of(
            facts(TicketKind::Query, None, Tier::Normal),
            &cals,
            &registered(reg),
            reg,
        );
        assert_eq!(q.due_at, sh(2026, 12, 1, 10, 15));
        let s = resolve_of(
            facts(TicketKind::ServiceRequest, None, Tier::Normal),
            &cals,
            &registered(reg),
            reg,
        );
        assert_eq!(s.due_at, sh(2026, 12, 3, 10, 0));
    }

    #[test]
    fn a_reopened_ticket_restarts_the_resolve_clock() {
        let cals = Calendars::shipped();
        let events = vec![
            (
                sh(2026, 11, 30, 9, 0),
                ClockEvent::Registered { on_call: true },
            ),
            (sh(2026, 11, 30, 11, 0), ClockEvent::Replied),
            (
                sh(2026, 12, 1, 10, 0),
                ClockEvent::FollowedUp { reopened: true },
            ),
        ];
        let r = resolve_of(general(), &cals, &events, sh(2026, 12, 1, 10, 0));
        assert_eq!(
            (r.started_at, r.due_at, r.state),
            (
                sh(2026, 12, 1, 10, 0),
                sh(2026, 12, 2, 10, 0),
                TargetState::Running
            )
        );
        let all = compute(
            &seed_policies(),
            &cals,
            &general(),
            &events,
            sh(2026, 12, 1, 10, 0),
        )
        .unwrap();
        assert_eq!(target(&all, SlaTarget::FollowUp).state, TargetState::Met);
    }

    #[test]
    fn cancelling_stops_every_clock() {
        let cals = Calendars::shipped();
        let events = vec![
            (
                sh(2026, 11, 30, 9, 0),
                ClockEvent::Registered { on_call: false },
            ),
            (sh(2026, 11, 30, 9, 30), ClockEvent::Cancelled),
        ];
        let all = compute(
            &seed_policies(),
            &cals,
            &general(),
            &events,
            sh(2026, 12, 30, 0, 0),
        )
        .unwrap();
        assert!(all.iter().all(|s| s.state == TargetState::Met), "{all:?}");
    }

    #[test]
    fn the_most_specific_policy_wins() {
        let p = seed_policies();
        let vip_fault = facts(TicketKind::FaultReport, None, Tier::Gold);
        assert_eq!(
            select(&p, SlaTarget::Resolve, &vip_fault).unwrap().name,
            "gold+ fault report 1 h / on site 2 h"
        );
        let inquiry = facts(TicketKind::Inquiry, None, Tier::Normal);
        assert_eq!(
            select(&p, SlaTarget::Resolve, &inquiry).unwrap().name,
            "resolve 2 working days"
        );
        assert!(select(&[], SlaTarget::Resolve, &inquiry).is_none());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn start() -> impl Strategy<Value = DateTime<Utc>> {
            (0i64..14 * 86_400).prop_map(|s| sh(2026, 11, 23, 0, 0) + Duration::seconds(s))
        }

        proptest! {
            /// Adding a pause to a ticket's history never moves any due time earlier.
            #[test]
            fn a_pause_never_moves_a_due_time_earlier(
                reg in start(),
                pause_after in 0i64..3 * 86_400,
                pause_len in 0i64..2 * 86_400,
            ) {
                let cals = Calendars::shipped();
                let p0 = reg + Duration::seconds(pause_after);
                let p1 = p0 + Duration::seconds(pause_len);
                let now = p1 + Duration::seconds(1);
                let plain = registered(reg);
                let mut paused = plain.clone();
                paused.push((p0, ClockEvent::Paused));
                paused.push((p1, ClockEvent::Resumed));
                let a = resolve_of(general(), &cals, &plain, now);
                let b = resolve_of(general(), &cals, &paused, now);
                prop_assert!(b.due_at >= a.due_at);
                prop_assert!(b.hard_due_at >= a.hard_due_at);
                prop_assert!(b.warn_at >= a.warn_at);
            }

            /// Business-time due times are working time or the end of an interval.
            #[test]
            fn due_times_fall_in_working_time(reg in start(), tier in 0usize..5, kind in 0usize..7) {
                let cals = Calendars::shipped();
                let k = TicketKind::ALL[kind];
                let complexity = (k == TicketKind::Complaint).then_some(Complexity::General);
                let f = facts(k, complexity, Tier::ALL[tier]);
                for s in compute(&seed_policies(), &cals, &f, &registered(reg), reg).unwrap() {
                    let cal = cals.get(select(&seed_policies(), s.target, &f).unwrap().rule.calendar);
                    prop_assert!(cal.is_working_time_or_interval_end(s.due_at), "{:?} {}", s.target, s.due_at);
                    prop_assert!(s.warn_at <= s.due_at);
                    prop_assert!(s.hard_due_at.is_none_or(|h| h >= s.due_at));
                }
            }

            /// Computing at each event from the history so far agrees with computing once
            /// from the full history, for every target already started and stopped.
            #[test]
            fn replaying_the_history_gives_the_same_clocks(reg in start(), gaps in proptest::collection::vec(60i64..20_000, 1..6)) {
                let cals = Calendars::shipped();
                let sequence = [ClockEvent::Paused, ClockEvent::Resumed, ClockEvent::Dispatched, ClockEvent::DispatchEnded, ClockEvent::Replied];
                let mut events = registered(reg);
                let mut at = reg;
                for (gap, e) in gaps.iter().zip(sequence) {
                    at += Duration::seconds(*gap);
                    events.push((at, e));
                }
                let now = at + Duration::hours(1);
                let full = compute(&seed_policies(), &cals, &general(), &events, now).unwrap();
                for cut in 1..=events.len() {
                    let partial = compute(&seed_policies(), &cals, &general(), &events[..cut], now).unwrap();
                    for p in partial.iter().filter(|p| p.stopped_at.is_some()) {
                        let f = target(&full, p.target);
                        prop_assert_eq!(p, f);
                    }
                }
            }
        }
    }
}

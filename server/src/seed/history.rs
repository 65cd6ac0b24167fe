//! Demo history for the supervisors' screens: weeks of inbound calls in a daily pattern
//! (busier mornings and afternoons, quieter weekends; some abandoned), today's agent states
//! following the calls, a roster for next week, and a quality review — deterministic, so
//! every demo shows the same figures. Seeded calls match no customer; the agents end the
//! seeded day signed out.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use loopdesk::agent::{AgentState, AgentStatus, StateSource};
use loopdesk::call::{CallRecord, Direction};
use loopdesk::quality::{Review, ReviewSubject, Scorecard};
use loopdesk::staffing::{week_start, Shift};
use loopdesk::store::console::AgentStateChange;
use loopdesk::store::desk::StoredCall;
use loopdesk::store::StoreError;
use loopdesk::user::User;
use uuid::Uuid;

use app::state::Stores;

/// A small deterministic generator (demo data and benchmarks must not change between
/// runs).
pub struct Lcg(pub u64);

impl Lcg {
    /// The next 31 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// Calls expected in a half hour starting at `minute` of a day (08:00–21:00).
fn volume(weekday: Weekday, minute: u32, rng: &mut Lcg) -> u64 {
    let hour = f64::from(minute) / 60.0;
    let peak = |at: f64, width: f64| (-((hour - at) / width).powi(2)).exp();
    let base = 1.0 + 5.0 * peak(10.0, 1.5) + 4.0 * peak(15.0, 1.8) + 1.5 * peak(19.5, 1.0);
    let day = match weekday {
        Weekday::Sat | Weekday::Sun => 0.55,
        Weekday::Mon => 1.15,
        _ => 1.0,
    };
    (base * day).round() as u64 + rng.below(2)
}

/// Seeds `days` days of calls before `now` (and today's so far), today's agent states,
/// next week's roster and one review.
pub async fn seed_history(
    stores: &Stores,
    now: DateTime<Utc>,
    agents: &[&User],
    supervisor: &User,
    days: u32,
) -> Result<(), StoreError> {
    if days == 0 || agents.is_empty() {
        return Ok(());
    }
    let tz = app::desk::load_sla_config(stores)
        .await
        .map_err(|e| StoreError::Other(format!("{e:?}").into()))?
        .calendars
        .office
        .tz();
    let mut rng = Lcg(20261202);
    let today = now.with_timezone(&tz).date_naive();
    let mut today_calls: Vec<(usize, DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let mut n = 0u32;
    for back in (0..=days).rev() {
        let day: NaiveDate = today - Duration::days(i64::from(back));
        for slot in 16..42u32 {
            let minute = slot * 30;
            for _ in 0..volume(day.weekday(), minute, &mut rng) {
                let local = day.and_time(NaiveTime::MIN)
                    + Duration::minutes(i64::from(minute))
                    + Duration::seconds(rng.below(1800) as i64);
                let Some(ringing) = tz.from_local_datetime(&local).earliest() else {
                    continue;
                };
                let ringing = ringing.with_timezone(&Utc);
                let abandoned = rng.below(100) < 9;
                let slow = rng.below(100) >= 80;
                let wait = 2 + rng.below(if slow { 60 } else { 18 }) as i64;
                let talk = 60 + rng.below(300) as i64;
                let answered = (!abandoned).then(|| ringing + Duration::seconds(wait));
                let ended = match answered {
                    Some(a) => a + Duration::seconds(talk),
                    None => ringing + Duration::seconds(5 + rng.below(50) as i64),
                };
                if ended >= now {
                    continue;
                }
                let who = (n as usize) % agents.len();
                n += 1;
                let number = format!("139{:08}", 10_000_000 + rng.below(80_000_000));
                let record = CallRecord {
                    call_id: format!("demo-{n:06}"),
                    direction: Direction::In,
                    from: number.clone(),
                    to: "10086".into(),
                    customer_number: Some(number),
                    queue: Some("hotline".into()),
                    agent: answered.and(agents[who].username.clone()),
                    ringing_at: Some(ringing),
                    answered_at: answered,
                    ended_at: Some(ended),
                    cause: Some(
                        if abandoned {
                            "abandon"
                        } else {
                            "normalClearing"
                        }
                        .into(),
                    ),
                };
                stores
                    .calls
                    .insert_call(
                        &StoredCall {
                            record,
                            agent_user: answered.map(|_| agents[who].id),
                            customer: None,
                            candidates: 0,
                            disposition: answered.map(|_| "resolved".to_owned()),
                            notes: String::new(),
                            version: 1,
                        },
                        ended,
                    )
                    .await?;
                if day == today {
                    if let Some(a) = answered {
                        today_calls.push((who, a, ended));
                    }
                }
            }
        }
    }
    // Today's agent states: available from 08:00, on each call, 20 s of wrap-up after it.
    let start = tz
        .from_local_datetime(&today.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default()))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    for (who, agent) in agents.iter().enumerate() {
        let mut changes = vec![(start.min(now), AgentState::Available)];
        let mut last_end = start;
        for (w, answered, ended) in &today_calls {
            if *w != who || *answered < last_end {
                continue;
            }
            changes.push((*answered, AgentState::OnCall));
            changes.push((*ended, AgentState::WrapUp));
            let ready = *ended + Duration::seconds(20);
            if ready < now {
                changes.push((ready, AgentState::Available));
            }
            last_end = ready;
        }
        // Nobody is signed in when the demo starts.
        changes.push((now, AgentState::Offline));
        let mut version = stores.agents.agent_status(agent.id).await?.map(|(_, v)| v);
        for (at, state) in changes {
            let change = AgentStateChange {
                user: agent.id,
                status: AgentStatus {
                    state,
                    reason: None,
                    call_id: None,
                    since: at,
                },
                source: StateSource::System,
            };
            stores.agents.set_agent_status(&change, version).await?;
            version = Some(version.unwrap_or(0) + 1);
        }
    }
    // Next week's roster: two agents on early and late shifts on weekdays.
    let monday = week_start(today) + Duration::days(7);
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    for d in 0..7 {
        let date = monday + Duration::days(d);
        let weekend = d >= 5;
        for (i, agent) in agents.iter().enumerate() {
            let (s, e) = match (i % 2, weekend) {
                (0, false) => (t(8, 0), t(16, 30)),
                (_, false) => (t(12, 30), t(21, 0)),
                (0, true) => (t(9, 0), t(17, 0)),
                (_, true) => continue,
            };
            stores
                .roster
                .put_shift(&Shift {
                    id: Uuid::new_v4(),
                    agent: agent.username.clone().unwrap_or_default(),
                    date,
                    start: s,
                    end: e,
                })
                .await?;
        }
    }
    // A first quality review with the seeded scorecard, of the latest handled call.
    let card = Scorecard::seed(Uuid::new_v4());
    stores.quality.put_scorecard(&card, now).await?;
    if let Some(call) = stores
        .calls
        .recent_calls(None, 50)
        .await?
        .into_iter()
        .find(|c| c.agent_user == Some(agents[0].id))
    {
        let scores: Vec<(String, u32)> = card
            .criteria
            .iter()
            .map(|c| {
                (
                    c.key.clone(),
                    if c.key == "closing" {
                        c.weight - 5
                    } else {
                        c.weight
                    },
                )
            })
            .collect();
        let total = card.total(&scores).unwrap_or(0);
        stores
            .quality
            .add_review(&Review {
                id: Uuid::new_v4(),
                scorecard: card.id,
                subject: ReviewSubject::Call(call.record.call_id),
                agent: agents[0].id,
                reviewer: supervisor.id,
                scores,
                total,
                comment: "结束语不够完整，其余规范。".into(),
                at: now,
            })
            .await?;
    }
    Ok(())
}

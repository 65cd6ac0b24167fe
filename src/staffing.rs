//! Staffing (排班 support): half-hour interval volumes, a forecast for a future week, the
//! Erlang C model of agents needed for a service-level target with an occupancy cap, and
//! the roster of planned shifts compared against that requirement.
//!
//! Erlang C (M/M/N, callers wait): with traffic `A = calls × AHT ÷ interval` Erlangs and `N`
//! agents, the probability that a caller waits is
//! `C(N, A) = N·B(N, A) ÷ (N − A·(1 − B(N, A)))`, with Erlang B from the stable recursion
//! `B(0) = 1, B(n) = A·B(n−1) ÷ (n + A·B(n−1))`; the service level is
//! `1 − C·e^{−(N−A)·t/AHT}` and the ASA `C·AHT ÷ (N − A)`.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

/// Minutes in one interval.
pub const INTERVAL_MINUTES: u32 = 30;
/// Intervals in a day.
pub const INTERVALS_PER_DAY: usize = 48;
/// Intervals in a week (Monday 00:00 first).
pub const INTERVALS_PER_WEEK: usize = 7 * INTERVALS_PER_DAY;

/// The probability that a caller has to wait, `C(N, A)`; 1 when `agents ≤ traffic` (the
/// queue grows without bound).
pub fn erlang_c(agents: u32, traffic: f64) -> f64 {
    if traffic <= 0.0 {
        return 0.0;
    }
    let n = f64::from(agents);
    if n <= traffic {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=agents {
        b = traffic * b / (f64::from(k) + traffic * b);
    }
    n * b / (n - traffic * (1.0 - b))
}

/// Share of calls answered within `threshold_seconds`.
pub fn service_level(agents: u32, traffic: f64, aht_seconds: f64, threshold_seconds: f64) -> f64 {
    if traffic <= 0.0 {
        return 1.0;
    }
    let n = f64::from(agents);
    if n <= traffic || aht_seconds <= 0.0 {
        return 0.0;
    }
    1.0 - erlang_c(agents, traffic) * (-(n - traffic) * threshold_seconds / aht_seconds).exp()
}

/// Average speed of answer, seconds (`None` when the queue is unstable).
pub fn asa_seconds(agents: u32, traffic: f64, aht_seconds: f64) -> Option<f64> {
    let n = f64::from(agents);
    if traffic <= 0.0 {
        return Some(0.0);
    }
    (n > traffic).then(|| erlang_c(agents, traffic) * aht_seconds / (n - traffic))
}

/// Traffic in Erlangs of `calls` with `aht_seconds` in an interval of `interval_seconds`.
pub fn traffic(calls: f64, aht_seconds: f64, interval_seconds: f64) -> f64 {
    if interval_seconds <= 0.0 {
        return 0.0;
    }
    calls * aht_seconds / interval_seconds
}

/// What staffing must reach.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StaffingGoal {
    /// Share answered within the threshold (0–1), e.g. 0.8.
    pub service_level: f64,
    /// The threshold, seconds (e.g. 20).
    pub threshold_seconds: f64,
    /// Highest acceptable occupancy (0–1), e.g. 0.85.
    pub max_occupancy: f64,
}

impl Default for StaffingGoal {
    fn default() -> Self {
        StaffingGoal {
            service_level: 0.8,
            threshold_seconds: 20.0,
            max_occupancy: 0.85,
        }
    }
}

/// Why a goal was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GoalError {
    /// Service level outside (0, 1).
    #[error("service level must be between 0 and 100 %")]
    ServiceLevel,
    /// Threshold not positive.
    #[error("answer time must be positive")]
    Threshold,
    /// Occupancy outside (0, 1].
    #[error("occupancy cap must be between 1 and 100 %")]
    Occupancy,
}

impl StaffingGoal {
    /// Checks the goal's ranges.
    pub fn validate(&self) -> Result<(), GoalError> {
        if !(self.service_level > 0.0 && self.service_level < 1.0) {
            return Err(GoalError::ServiceLevel);
        }
        if self.threshold_seconds.is_nan() || self.threshold_seconds <= 0.0 {
            return Err(GoalError::Threshold);
        }
        if !(self.max_occupancy > 0.0 && self.max_occupancy <= 1.0) {
            return Err(GoalError::Occupancy);
        }
        Ok(())
    }
}

/// The fewest agents that reach the goal for `calls` of `aht_seconds` in one interval of
/// `interval_seconds` (0 when no calls are expected).
pub fn agents_needed(
    calls: f64,
    aht_seconds: f64,
    interval_seconds: f64,
    goal: &StaffingGoal,
) -> u32 {
    let a = traffic(calls, aht_seconds, interval_seconds);
    if a <= 0.0 {
        return 0;
    }
    // The occupancy cap alone: A / N ≤ cap.
    let mut n = ((a / goal.max_occupancy).ceil() as u32).max(a.floor() as u32 + 1);
    while service_level(n, a, aht_seconds, goal.threshold_seconds) < goal.service_level {
        n += 1;
    }
    n
}

/// The interval of the week (0 = Monday 00:00–00:30) a local time falls in.
pub fn week_interval(date: NaiveDate, time: NaiveTime) -> usize {
    let day = date.weekday().num_days_from_monday() as usize;
    day * INTERVALS_PER_DAY
        + (time.hour() * 60 + time.minute()) as usize / INTERVAL_MINUTES as usize
}

/// The Monday of the week `date` is in.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// One week of history: calls offered and handle seconds per interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekHistory {
    /// Monday of the week.
    pub week: NaiveDate,
    /// Calls per interval (`INTERVALS_PER_WEEK` entries).
    pub calls: Vec<u32>,
    /// Σ handle seconds of the handled calls per interval.
    pub handle_seconds: Vec<i64>,
    /// Handled calls per interval (the AHT denominator).
    pub handled: Vec<u32>,
}

impl WeekHistory {
    /// An empty week.
    pub fn empty(week: NaiveDate) -> WeekHistory {
        WeekHistory {
            week,
            calls: vec![0; INTERVALS_PER_WEEK],
            handle_seconds: vec![0; INTERVALS_PER_WEEK],
            handled: vec![0; INTERVALS_PER_WEEK],
        }
    }

    fn total(&self) -> f64 {
        self.calls.iter().map(|&c| f64::from(c)).sum()
    }
}

/// The forecast of one interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IntervalForecast {
    /// Expected calls.
    pub calls: f64,
    /// Expected average handle time, seconds.
    pub aht_seconds: f64,
}

/// A forecast week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Per interval (`INTERVALS_PER_WEEK`).
    pub intervals: Vec<IntervalForecast>,
    /// The weekly growth factor applied (1.0: no trend).
    pub trend: f64,
}

/// Forecasts `weeks_ahead` weeks after the last of `history` (oldest first): each interval
/// is the mean of the same interval over the history weeks, scaled by the linear trend of
/// the weekly totals (least squares, extrapolated, clamped to ×0.5–×2); its AHT is the mean
/// handle time of that interval over the history (or of the whole history when the
/// interval had no handled calls).
pub fn forecast(history: &[WeekHistory], weeks_ahead: u32) -> Forecast {
    let weeks = history.len();
    let mut intervals = vec![
        IntervalForecast {
            calls: 0.0,
            aht_seconds: 0.0,
        };
        INTERVALS_PER_WEEK
    ];
    if weeks == 0 {
        return Forecast {
            intervals,
            trend: 1.0,
        };
    }
    let totals: Vec<f64> = history.iter().map(WeekHistory::total).collect();
    let mean_total = totals.iter().sum::<f64>() / weeks as f64;
    let trend = if weeks >= 2 && mean_total > 0.0 {
        let xs: Vec<f64> = (0..weeks).map(|i| i as f64).collect();
        let mx = xs.iter().sum::<f64>() / weeks as f64;
        let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
        let sxy: f64 = xs
            .iter()
            .zip(&totals)
            .map(|(x, y)| (x - mx) * (y - mean_total))
            .sum();
        let slope = sxy / sxx;
        // The mean sits at the middle week; the target week is further on.
        let target_x = (weeks - 1) as f64 + f64::from(weeks_ahead.max(1));
        ((mean_total + slope * (target_x - mx)) / mean_total).clamp(0.5, 2.0)
    } else {
        1.0
    };
    let all_handled: u64 = history
        .iter()
        .flat_map(|w| w.handled.iter())
        .map(|&h| u64::from(h))
        .sum();
    let all_seconds: i64 = history.iter().flat_map(|w| w.handle_seconds.iter()).sum();
    let overall_aht = if all_handled > 0 {
        all_seconds as f64 / all_handled as f64
    } else {
        0.0
    };
    for (i, slot) in intervals.iter_mut().enumerate() {
        let calls: f64 = history
            .iter()
            .map(|w| f64::from(w.calls.get(i).copied().unwrap_or(0)))
            .sum();
        let handled: u64 = history
            .iter()
            .map(|w| u64::from(w.handled.get(i).copied().unwrap_or(0)))
            .sum();
        let seconds: i64 = history
            .iter()
            .map(|w| w.handle_seconds.get(i).copied().unwrap_or(0))
            .sum();
        slot.calls = calls / weeks as f64 * trend;
        slot.aht_seconds = if handled > 0 {
            seconds as f64 / handled as f64
        } else {
            overall_aht
        };
    }
    Forecast { intervals, trend }
}

/// A planned shift of one agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    /// Id.
    pub id: uuid::Uuid,
    /// The agent's login (or a placeholder name for an unfilled shift).
    pub agent: String,
    /// Local date.
    pub date: NaiveDate,
    /// Local start.
    pub start: NaiveTime,
    /// Local end (after the start; a shift ends on the day it starts).
    pub end: NaiveTime,
}

/// Why a shift was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShiftError {
    /// No agent.
    #[error("agent is required")]
    Agent,
    /// End not after start.
    #[error("the shift must end after it starts")]
    Order,
    /// Not on the half-hour grid.
    #[error("shifts start and end on the hour or half hour")]
    Grid,
}

impl Shift {
    /// Checks the shift.
    pub fn validate(&self) -> Result<(), ShiftError> {
        if self.agent.trim().is_empty() {
            return Err(ShiftError::Agent);
        }
        let on_grid = |t: NaiveTime| t.second() == 0 && t.minute().is_multiple_of(INTERVAL_MINUTES);
        if !on_grid(self.start) || !on_grid(self.end) {
            return Err(ShiftError::Grid);
        }
        if self.end <= self.start {
            return Err(ShiftError::Order);
        }
        Ok(())
    }
}

/// Agents rostered in each interval of the week starting on Monday `week`.
pub fn coverage(shifts: &[Shift], week: NaiveDate) -> Vec<u32> {
    let mut out = vec![0u32; INTERVALS_PER_WEEK];
    for s in shifts {
        let day = (s.date - week).num_days();
        if !(0..7).contains(&day) {
            continue;
        }
        let first = week_interval(s.date, s.start);
        let minutes = (s.end - s.start).num_minutes().max(0) as usize;
        let count = minutes / INTERVAL_MINUTES as usize;
        for slot in out.iter_mut().skip(first).take(count) {
            *slot += 1;
        }
    }
    out
}

/// One interval of the plan: forecast, requirement, roster and the gap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlanInterval {
    /// Expected calls.
    pub calls: f64,
    /// Expected AHT, seconds.
    pub aht_seconds: f64,
    /// Agents needed for the goal.
    pub required: u32,
    /// Agents rostered.
    pub rostered: u32,
}

impl PlanInterval {
    /// Rostered − required (negative: short).
    pub fn gap(&self) -> i64 {
        i64::from(self.rostered) - i64::from(self.required)
    }
}

/// The week's plan: each interval's forecast, requirement and roster.
pub fn plan(forecast: &Forecast, roster: &[u32], goal: &StaffingGoal) -> Vec<PlanInterval> {
    let seconds = f64::from(INTERVAL_MINUTES * 60);
    forecast
        .intervals
        .iter()
        .enumerate()
        .map(|(i, f)| PlanInterval {
            calls: f.calls,
            aht_seconds: f.aht_seconds,
            required: agents_needed(f.calls, f.aht_seconds, seconds, goal),
            rostered: roster.get(i).copied().unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    /// The worked example of Call Centre Helper's "Erlang C formula – made simple": 100
    /// calls in 30 minutes, AHT 180 s (10 Erlangs), 80 % in 20 s. With 11 agents the chance
    /// of waiting is 68.21 % and the service level 39.0 %; 13 agents give 79.6 %, so 14 are
    /// needed (88.8 %), ASA 7.8 s.
    #[test]
    fn erlang_c_matches_the_call_centre_helper_example() {
        let a = traffic(100.0, 180.0, 1800.0);
        assert!(close(a, 10.0, 1e-12));
        assert!(close(erlang_c(11, a), 0.6821, 5e-5));
        assert!(close(service_level(11, a, 180.0, 20.0), 0.3896, 5e-4));
        assert!(close(service_level(13, a, 180.0, 20.0), 0.7956, 5e-4));
        assert!(close(service_level(14, a, 180.0, 20.0), 0.8884, 5e-4));
        assert!(close(asa_seconds(14, a, 180.0).unwrap(), 7.84, 5e-3));
        let goal = StaffingGoal {
            service_level: 0.8,
            threshold_seconds: 20.0,
            max_occupancy: 1.0,
        };
        assert_eq!(agents_needed(100.0, 180.0, 1800.0, &goal), 14);
    }

    /// The Footbridge Call Calc application note (al911.org): 2 call takers, 60-second
    /// calls at 30 an hour — fewer than 8 % wait over 10 s; with 80-second calls, 14 %.
    #[test]
    fn erlang_c_matches_the_call_calc_application_note() {
        let a = traffic(30.0, 60.0, 3600.0);
        let wait_over_10 = 1.0 - service_level(2, a, 60.0, 10.0);
        assert!(close(wait_over_10, 0.0779, 5e-4), "{wait_over_10}");
        let a = traffic(30.0, 80.0, 3600.0);
        let wait_over_10 = 1.0 - service_level(2, a, 80.0, 10.0);
        assert!(close(wait_over_10, 0.141, 5e-4), "{wait_over_10}");
    }

    #[test]
    fn unstable_queues_and_empty_intervals() {
        assert_eq!(erlang_c(10, 10.0), 1.0);
        assert_eq!(service_level(9, 10.0, 180.0, 20.0), 0.0);
        assert_eq!(asa_seconds(10, 10.0, 180.0), None);
        assert_eq!(erlang_c(3, 0.0), 0.0);
        assert_eq!(
            agents_needed(0.0, 180.0, 1800.0, &StaffingGoal::default()),
            0
        );
    }

    #[test]
    fn the_occupancy_cap_can_need_more_agents_than_the_service_level() {
        // 400 calls, 180 s: 40 Erlangs. 80/20 needs ~45; an 80 % cap needs 50.
        let loose = StaffingGoal {
            max_occupancy: 1.0,
            ..StaffingGoal::default()
        };
        let capped = StaffingGoal {
            max_occupancy: 0.8,
            ..StaffingGoal::default()
        };
        let by_sl = agents_needed(400.0, 180.0, 1800.0, &loose);
        assert!(by_sl < 50, "{by_sl}");
        assert_eq!(agents_needed(400.0, 180.0, 1800.0, &capped), 50);
    }

    #[test]
    fn goals_are_checked() {
        assert!(StaffingGoal::default().validate().is_ok());
        let bad = |f: fn(&mut StaffingGoal)| {
            let mut g = StaffingGoal::default();
            f(&mut g);
            g.validate()
        };
        assert_eq!(bad(|g| g.service_level = 1.0), Err(GoalError::ServiceLevel));
        assert_eq!(
            bad(|g| g.threshold_seconds = 0.0),
            Err(GoalError::Threshold)
        );
        assert_eq!(bad(|g| g.max_occupancy = 0.0), Err(GoalError::Occupancy));
    }

    fn week(monday: NaiveDate, calls_at_9: u32, aht: i64) -> WeekHistory {
        let mut w = WeekHistory::empty(monday);
        let i = week_interval(monday, NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        w.calls[i] = calls_at_9;
        w.handled[i] = calls_at_9;
        w.handle_seconds[i] = i64::from(calls_at_9) * aht;
        w
    }

    #[test]
    fn forecast_averages_the_same_interval_and_follows_the_trend() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        // Flat history: the mean, no trend.
        let flat = [
            week(d(2), 100, 180),
            week(d(9), 100, 200),
            week(d(16), 100, 220),
        ];
        let f = forecast(&flat, 1);
        assert!(close(f.trend, 1.0, 1e-12));
        let nine = week_interval(d(23), NaiveTime::from_hms_opt(9, 15, 0).unwrap());
        assert_eq!(nine, 18);
        assert!(close(f.intervals[nine].calls, 100.0, 1e-9));
        assert!(close(f.intervals[nine].aht_seconds, 200.0, 1e-9));
        // Quiet intervals take the overall AHT.
        assert!(close(f.intervals[0].aht_seconds, 200.0, 1e-9));
        assert_eq!(f.intervals[0].calls, 0.0);
        // Growing 10 a week (90, 100, 110): next week 120 = mean 100 × 1.2.
        let growing = [
            week(d(2), 90, 180),
            week(d(9), 100, 180),
            week(d(16), 110, 180),
        ];
        let f = forecast(&growing, 1);
        assert!(close(f.trend, 1.2, 1e-9), "{}", f.trend);
        assert!(close(f.intervals[nine].calls, 120.0, 1e-9));
        // Two weeks ahead: 130.
        assert!(close(
            forecast(&growing, 2).intervals[nine].calls,
            130.0,
            1e-9
        ));
        assert_eq!(forecast(&[], 1).intervals.len(), INTERVALS_PER_WEEK);
    }

    #[test]
    fn roster_coverage_and_gaps() {
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let shift = |agent: &str, date, start, end| Shift {
            id: uuid::Uuid::nil(),
            agent: agent.into(),
            date,
            start,
            end,
        };
        let shifts = vec![
            shift("a1", monday, t(9, 0), t(12, 0)),
            shift("a2", monday, t(10, 30), t(11, 30)),
            // Next week: not counted.
            shift("a3", monday + Duration::days(7), t(9, 0), t(12, 0)),
        ];
        let c = coverage(&shifts, monday);
        assert_eq!(c[17], 0); // 08:30
        assert_eq!(c[18], 1); // 09:00
        assert_eq!(c[21], 2); // 10:30
        assert_eq!(c[22], 2); // 11:00
        assert_eq!(c[23], 1); // 11:30
        assert_eq!(c[24], 0); // 12:00
        assert_eq!(c.iter().sum::<u32>(), 8);
        assert_eq!(
            shift("", monday, t(9, 0), t(10, 0)).validate(),
            Err(ShiftError::Agent)
        );
        assert_eq!(
            shift("a", monday, t(9, 0), t(9, 0)).validate(),
            Err(ShiftError::Order)
        );
        assert_eq!(
            shift("a", monday, t(9, 10), t(10, 0)).validate(),
            Err(ShiftError::Grid)
        );
        let mut f = forecast(&[], 1);
        f.intervals[18] = IntervalForecast {
            calls: 100.0,
            aht_seconds: 180.0,
        };
        let p = plan(
            &f,
            &c,
            &StaffingGoal {
                max_occupancy: 1.0,
                ..StaffingGoal::default()
            },
        );
        assert_eq!(p[18].required, 14);
        assert_eq!(p[18].gap(), -13);
        assert_eq!(p[21].gap(), 2);
    }
}

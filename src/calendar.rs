//! Working-time calendars and the time units SLA clocks are measured in (DESIGN §3.3).
//!
//! A [`Calendar`] has a time zone, a list of working intervals per weekday (minute
//! precision, split shifts allowed) and dated overrides: a holiday (no work), a make-up
//! working day (调休: a weekend date that works, with its intervals) or special hours.
//!
//! Units:
//! - **business time** ([`Calendar::add_business_seconds`]) consumes only working time. A due
//!   time computed this way is always inside working time or exactly at the end of an
//!   interval (a target that runs out at 12:00 is due at 12:00, not at 13:30).
//! - **working days** ([`Calendar::add_working_days`]): the same local time of day on the
//!   N-th following working day. If the start is outside working time, counting starts from
//!   the next working moment; if that time of day is not working time on the target day,
//!   the end of that day's working time is used.
//! - **natural days** ([`Calendar::add_natural_days`]) for rules that say 自然日.
//!
//! Working intervals are half-open, `[start, end)`: 12:00 is not working time in an office
//! whose morning ends at 12:00.

pub mod spec;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// How far the arithmetic looks ahead before deciding a calendar has no working time.
const MAX_DAYS_AHEAD: i64 = 3 * 366;

/// A working interval within one day, in minutes after local midnight: `[start, end)`,
/// `0 <= start < end <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WorkInterval {
    start: u16,
    end: u16,
}

impl WorkInterval {
    /// An interval from `start` to `end` minutes after midnight.
    pub fn new(start: u16, end: u16) -> Result<WorkInterval, CalendarError> {
        if end > 1440 {
            return Err(CalendarError::OutOfDay { minute: end });
        }
        if start >= end {
            return Err(CalendarError::EmptyInterval { start, end });
        }
        Ok(WorkInterval { start, end })
    }

    /// Parses `"09:00"`–`"12:00"` style bounds (`"24:00"` is allowed as an end).
    pub fn parse(start: &str, end: &str) -> Result<WorkInterval, CalendarError> {
        WorkInterval::new(parse_hhmm(start)?, parse_hhmm(end)?)
    }

    /// Start, in minutes after midnight.
    pub fn start(self) -> u16 {
        self.start
    }

    /// End, in minutes after midnight.
    pub fn end(self) -> u16 {
        self.end
    }

    fn start_secs(self) -> i64 {
        i64::from(self.start) * 60
    }

    fn end_secs(self) -> i64 {
        i64::from(self.end) * 60
    }
}

impl fmt::Display for WorkInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

fn parse_hhmm(text: &str) -> Result<u16, CalendarError> {
    let bad = || CalendarError::BadTime {
        text: text.to_owned(),
    };
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) || h.to_string().len() > 2 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// What an override does to its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayOverride {
    /// No work that day.
    Holiday,
    /// A make-up working day (调休), usually a weekend date, with its intervals.
    Workday {
        /// Working intervals of the day.
        intervals: Vec<WorkInterval>,
    },
    /// Different hours than the weekly pattern.
    Special {
        /// Working intervals of the day.
        intervals: Vec<WorkInterval>,
    },
}

/// Why a calendar definition or computation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A time of day that is not `HH:MM` between 00:00 and 24:00.
    #[error("{text:?} is not a time of day (HH:MM, 00:00 to 24:00)")]
    BadTime {
        /// What was given.
        text: String,
    },
    /// A minute past the end of the day.
    #[error("minute {minute} is past the end of the day (1440)")]
    OutOfDay {
        /// The minute.
        minute: u16,
    },
    /// An interval whose end is not after its start.
    #[error("interval ends ({end}) before or when it starts ({start})")]
    EmptyInterval {
        /// Start minute.
        start: u16,
        /// End minute.
        end: u16,
    },
    /// Two intervals of one day overlap.
    #[error("intervals {first} and {second} overlap")]
    Overlap {
        /// The earlier interval.
        first: WorkInterval,
        /// The interval that overlaps it.
        second: WorkInterval,
    },
    /// A make-up day or special day without intervals.
    #[error("a working-day or special-hours override on {date} needs at least one interval")]
    OverrideWithoutIntervals {
        /// The date.
        date: NaiveDate,
    },
    /// The time zone name is unknown.
    #[error("unknown time zone {name:?}")]
    UnknownTimeZone {
        /// What was given.
        name: String,
    },
    /// No working time within three years: the calendar cannot serve a deadline.
    #[error("the calendar has no working time in the next three years")]
    NoWorkingTime,
}

/// Sorts and checks one day's intervals.
fn normalise(mut intervals: Vec<WorkInterval>) -> Result<Vec<WorkInterval>, CalendarError> {
    intervals.sort();
    for pair in intervals.windows(2) {
        if pair[1].start < pair[0].end {
            return Err(CalendarError::Overlap {
                first: pair[0],
                second: pair[1],
            });
        }
    }
    Ok(intervals)
}

/// A working-time calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    tz: Tz,
    /// Monday first.
    weekly: [Vec<WorkInterval>; 7],
    overrides: BTreeMap<NaiveDate, DayOverride>,
}

/// A step of an explanation: which special dates a computation crossed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateNote {
    /// The date.
    pub date: NaiveDate,
    /// The override applied on it.
    pub applied: DayOverride,
}

impl Calendar {
    /// A calendar from its parts; every day's intervals are sorted and checked for overlaps.
    pub fn new(
        tz: Tz,
        weekly: [Vec<WorkInterval>; 7],
        overrides: BTreeMap<NaiveDate, DayOverride>,
    ) -> Result<Calendar, CalendarError> {
        let mut checked: [Vec<WorkInterval>; 7] = Default::default();
        for (slot, day) in checked.iter_mut().zip(weekly) {
            *slot = normalise(day)?;
        }
        let mut checked_overrides = BTreeMap::new();
        for (date, o) in overrides {
            let o = match o {
                DayOverride::Holiday => DayOverride::Holiday,
                DayOverride::Workday { intervals } | DayOverride::Special { intervals }
                    if intervals.is_empty() =>
                {
                    return Err(CalendarError::OverrideWithoutIntervals { date })
                }
                DayOverride::Workday { intervals } => DayOverride::Workday {
                    intervals: normalise(intervals)?,
                },
                DayOverride::Special { intervals } => DayOverride::Special {
                    intervals: normalise(intervals)?,
                },
            };
            checked_overrides.insert(date, o);
        }
        Ok(Calendar {
            tz,
            weekly: checked,
            overrides: checked_overrides,
        })
    }

    /// Parses an IANA time zone name such as `Asia/Shanghai`.
    pub fn parse_tz(name: &str) -> Result<Tz, CalendarError> {
        name.parse::<Tz>()
            .map_err(|_| CalendarError::UnknownTimeZone {
                name: name.to_owned(),
            })
    }

    /// The shipped `24x7` calendar (Asia/Shanghai): every minute is working time.
    pub fn twenty_four_seven() -> Calendar {
        let all_day = vec![WorkInterval {
            start: 0,
            end: 1440,
        }];
        Calendar {
            tz: chrono_tz::Asia::Shanghai,
            weekly: std::array::from_fn(|_| all_day.clone()),
            overrides: BTreeMap::new(),
        }
    }

    /// The shipped `office` calendar: Mon–Fri 09:00–12:00 and 13:30–18:00, Asia/Shanghai.
    pub fn office() -> Calendar {
        let day = vec![
            WorkInterval {
                start: 9 * 60,
                end: 12 * 60,
            },
            WorkInterval {
                start: 13 * 60 + 30,
                end: 18 * 60,
            },
        ];
        let mut weekly: [Vec<WorkInterval>; 7] = Default::default();
        for slot in weekly.iter_mut().take(5) {
            *slot = day.clone();
        }
        Calendar {
            tz: chrono_tz::Asia::Shanghai,
            weekly,
            overrides: BTreeMap::new(),
        }
    }

    /// Adds or replaces an override (intervals are checked).
    pub fn with_override(
        mut self,
        date: NaiveDate,
        o: DayOverride,
    ) -> Result<Calendar, CalendarError> {
        let mut overrides = std::mem::take(&mut self.overrides);
        overrides.insert(date, o);
        Calendar::new(self.tz, self.weekly, overrides)
    }

    /// The time zone.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The weekly pattern, Monday first.
    pub fn weekly(&self) -> &[Vec<WorkInterval>; 7] {
        &self.weekly
    }

    /// The dated overrides.
    pub fn overrides(&self) -> &BTreeMap<NaiveDate, DayOverride> {
        &self.overrides
    }

    /// The working intervals of a local date, overrides applied.
    pub fn intervals_on(&self, date: NaiveDate) -> &[WorkInterval] {
        match self.overrides.get(&date) {
            Some(DayOverride::Holiday) => &[],
            Some(DayOverride::Workday { intervals } | DayOverride::Special { intervals }) => {
                intervals
            }
            None => &self.weekly[date.weekday().num_days_from_monday() as usize],
        }
    }

    /// Whether a local date has any working time.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !self.intervals_on(date).is_empty()
    }

    /// Overrides on dates from `from` to `to` inclusive, for explanations.
    pub fn notes_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<DateNote> {
        if to < from {
            return Vec::new();
        }
        self.overrides
            .range(from..=to)
            .map(|(date, o)| DateNote {
                date: *date,
                applied: o.clone(),
            })
            .collect()
    }

    fn local(&self, t: DateTime<Utc>) -> (NaiveDate, i64) {
        let local = t.with_timezone(&self.tz).naive_local();
        (
            local.date(),
            i64::from(local.time().num_seconds_from_midnight()),
        )
    }

    /// The instant of a local date plus seconds after midnight (86 400 = next midnight).
    /// Local times that do not exist (a DST gap) move forward; ambiguous ones take the
    /// earlier instant.
    fn instant(&self, date: NaiveDate, secs: i64) -> DateTime<Utc> {
        let naive: NaiveDateTime =
            date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::seconds(secs);
        let mut probe = naive;
        for _ in 0..4 {
            if let Some(t) = self.tz.from_local_datetime(&probe).earliest() {
                return t.with_timezone(&Utc);
            }
            probe += Duration::minutes(30);
        }
        Utc.from_utc_datetime(&naive)
    }

    /// Whether `t` is working time.
    pub fn is_working_time(&self, t: DateTime<Utc>) -> bool {
        let (date, tod) = self.local(t);
        self.intervals_on(date)
            .iter()
            .any(|iv| iv.start_secs() <= tod && tod < iv.end_secs())
    }

    /// Whether `t` is working time or exactly the end of a working interval.
    pub fn is_working_time_or_interval_end(&self, t: DateTime<Utc>) -> bool {
        let (date, tod) = self.local(t);
        let ends_here =
            |d: NaiveDate, secs: i64| self.intervals_on(d).iter().any(|iv| iv.end_secs() == secs);
        self.is_working_time(t)
            || ends_here(date, tod)
            || (tod == 0 && date.pred_opt().is_some_and(|d| ends_here(d, DAY)))
    }

    /// The instant after `start` at which `seconds` of working time have passed. With
    /// `seconds == 0` this is the next working moment (or `start` itself when it is one).
    pub fn add_business_seconds(
        &self,
        start: DateTime<Utc>,
        seconds: i64,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let (mut date, mut tod) = self.local(start);
        let mut remaining = seconds.max(0);
        for _ in 0..MAX_DAYS_AHEAD {
            for iv in self.intervals_on(date) {
                let from = iv.start_secs().max(tod);
                let available = iv.end_secs() - from;
                if available <= 0 {
                    continue;
                }
                if remaining <= available {
                    // When the time runs out exactly at an interval's end, the due time
                    // is that end (the instant itself is kept to sub-second precision).
                    let at = self.instant(date, from + remaining);
                    return Ok(if remaining == 0 && from == tod {
                        start.max(at)
                    } else {
                        at
                    });
                }
                remaining -= available;
            }
            date = date.succ_opt().ok_or(CalendarError::NoWorkingTime)?;
            tod = 0;
        }
        Err(CalendarError::NoWorkingTime)
    }

    /// Working seconds in `[from, to)`; zero when `to <= from`.
    pub fn business_seconds_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let (mut date, mut tod) = self.local(from);
        let (end_date, end_tod) = self.local(to);
        let mut total = 0;
        loop {
            let limit = if date == end_date { end_tod } else { DAY };
            for iv in self.intervals_on(date) {
                let a = iv.start_secs().max(tod);
                let b = iv.end_secs().min(limit);
                if b > a {
                    total += b - a;
                }
            }
            if date >= end_date {
                return total;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => return total,
            }
            tod = 0;
        }
    }

    /// The same local time of day on the `n`-th working day after `start` (see the module
    /// documentation for starts outside working time and short target days).
    pub fn add_working_days(
        &self,
        start: DateTime<Utc>,
        n: u32,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let first = self.add_business_seconds(start, 0)?;
        let (mut date, tod) = self.local(first);
        let mut counted = 0;
        let mut steps = 0;
        while counted < n {
            date = date.succ_opt().ok_or(CalendarError::NoWorkingTime)?;
            steps += 1;
            if steps > MAX_DAYS_AHEAD {
                return Err(CalendarError::NoWorkingTime);
            }
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        let intervals = self.intervals_on(date);
        let inside = intervals
            .iter()
            .any(|iv| iv.start_secs() <= tod && tod < iv.end_secs());
        if n == 0 || inside {
            // Keep the start's sub-second precision on the same time of day.
            let base = self.instant(date, tod);
            let frac = first - self.instant(self.local(first).0, tod);
            return Ok(base + frac);
        }
        let end_of_day = intervals
            .iter()
            .map(|iv| iv.end_secs())
            .max()
            .unwrap_or(DAY);
        Ok(self.instant(date, end_of_day))
    }

    /// The same local time `n` calendar days later (自然日).
    pub fn add_natural_days(&self, start: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let (date, tod) = self.local(start);
        let target = date + Duration::days(i64::from(n));
        let frac = start - self.instant(date, tod);
        self.instant(target, tod) + frac
    }
}

/// Fixtures shared by the calendar and SLA tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A local time in Asia/Shanghai as UTC.
    pub(crate) fn sh(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// A date.
    pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The office day: 09:00–12:00 and 13:30–18:00.
    pub(crate) fn office_hours() -> Vec<WorkInterval> {
        vec![
            WorkInterval::parse("09:00", "12:00").unwrap(),
            WorkInterval::parse("13:30", "18:00").unwrap(),
        ]
    }

    /// Worked example 2: Mon 2026-11-30 a holiday, Sun 2026-11-29 a make-up working day.
    pub(crate) fn office_with_holiday_monday_and_make_up_sunday() -> Calendar {
        Calendar::office()
            .with_override(date(2026, 11, 30), DayOverride::Holiday)
            .unwrap()
            .with_override(
                date(2026, 11, 29),
                DayOverride::Workday {
                    intervals: office_hours(),
                },
            )
            .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use proptest::prelude::*;

    // Worked examples of issue 3 (office calendar Mon–Fri 09:00–12:00, 13:30–18:00).

    #[test]
    fn example_1_general_complaint_friday_afternoon() {
        let cal = Calendar::office();
        let start = sh(2026, 11, 27, 16, 0);
        assert_eq!(
            cal.add_working_days(start, 1).unwrap(),
            sh(2026, 11, 30, 16, 0)
        );
        assert_eq!(
            cal.add_working_days(start, 3).unwrap(),
            sh(2026, 12, 2, 16, 0)
        );
    }

    #[test]
    fn example_2_holiday_monday_and_make_up_sunday() {
        let cal = office_with_holiday_monday_and_make_up_sunday();
        let start = sh(2026, 11, 27, 16, 0);
        assert_eq!(
            cal.add_working_days(start, 1).unwrap(),
            sh(2026, 11, 29, 16, 0)
        );
        assert_eq!(
            cal.add_working_days(start, 3).unwrap(),
            sh(2026, 12, 2, 16, 0)
        );
    }

    #[test]
    fn example_3_complex_complaint() {
        let cal = Calendar::office();
        let start = sh(2026, 11, 27, 16, 0);
        assert_eq!(
            cal.add_working_days(start, 5).unwrap(),
            sh(2026, 12, 4, 16, 0)
        );
        assert_eq!(
            cal.add_working_days(start, 7).unwrap(),
            sh(2026, 12, 8, 16, 0)
        );
    }

    #[test]
    fn example_4_starts_outside_working_time() {
        let cal = Calendar::office();
        assert_eq!(
            cal.add_working_days(sh(2026, 11, 28, 10, 0), 1).unwrap(),
            sh(2026, 12, 1, 9, 0)
        );
        assert_eq!(
            cal.add_working_days(sh(2026, 12, 1, 12, 30), 1).unwrap(),
            sh(2026, 12, 2, 13, 30)
        );
        assert_eq!(
            cal.add_working_days(sh(2026, 12, 1, 18, 30), 1).unwrap(),
            sh(2026, 12, 3, 9, 0)
        );
    }

    #[test]
    fn example_5_acknowledge_and_dispatch_acceptance() {
        let ack = Calendar::twenty_four_seven();
        assert_eq!(
            ack.add_business_seconds(sh(2026, 12, 1, 23, 0), 2 * 3600)
                .unwrap(),
            sh(2026, 12, 2, 1, 0)
        );
        let office = Calendar::office();
        assert_eq!(
            office
                .add_business_seconds(sh(2026, 11, 27, 17, 50), 30 * 60)
                .unwrap(),
            sh(2026, 11, 30, 9, 20)
        );
    }

    #[test]
    fn example_6_a_pause_extends_by_its_working_time() {
        let cal = Calendar::office();
        let registered = sh(2026, 11, 30, 10, 0);
        let base = cal.add_working_days(registered, 1).unwrap();
        let paused =
            cal.business_seconds_between(sh(2026, 11, 30, 13, 30), sh(2026, 11, 30, 16, 30));
        assert_eq!(paused, 3 * 3600);
        assert_eq!(
            cal.add_business_seconds(base, paused).unwrap(),
            sh(2026, 12, 1, 14, 30)
        );
    }

    #[test]
    fn example_7_warning_at_three_quarters_of_the_allowed_time() {
        let cal = Calendar::office();
        let registered = sh(2026, 11, 30, 9, 0);
        let due = cal.add_working_days(registered, 1).unwrap();
        let allowed = cal.business_seconds_between(registered, due);
        assert_eq!(allowed, 450 * 60);
        let warn = cal
            .add_business_seconds(registered, allowed * 3 / 4)
            .unwrap();
        assert_eq!(warn, sh(2026, 11, 30, 16, 7) + Duration::seconds(30));
    }

    // Edge cases.

    #[test]
    fn business_time_that_runs_out_at_noon_is_due_at_noon() {
        let cal = Calendar::office();
        assert_eq!(
            cal.add_business_seconds(sh(2026, 11, 30, 11, 0), 3600)
                .unwrap(),
            sh(2026, 11, 30, 12, 0)
        );
        assert!(!cal.is_working_time(sh(2026, 11, 30, 12, 0)));
        assert!(cal.is_working_time_or_interval_end(sh(2026, 11, 30, 12, 0)));
    }

    #[test]
    fn zero_business_time_is_the_next_working_moment() {
        let cal = Calendar::office();
        assert_eq!(
            cal.add_business_seconds(sh(2026, 11, 28, 10, 0), 0)
                .unwrap(),
            sh(2026, 11, 30, 9, 0)
        );
        let inside = sh(2026, 11, 30, 10, 15);
        assert_eq!(cal.add_business_seconds(inside, 0).unwrap(), inside);
    }

    #[test]
    fn a_short_target_day_ends_at_its_last_interval() {
        // Tuesday has special hours 09:00-11:00; 16:00 is not working time then.
        let cal = Calendar::office()
            .with_override(
                date(2026, 12, 1),
                DayOverride::Special {
                    intervals: vec![WorkInterval::parse("09:00", "11:00").unwrap()],
                },
            )
            .unwrap();
        assert_eq!(
            cal.add_working_days(sh(2026, 11, 30, 16, 0), 1).unwrap(),
            sh(2026, 12, 1, 11, 0)
        );
    }

    #[test]
    fn natural_days_ignore_the_calendar() {
        let cal = Calendar::office();
        assert_eq!(
            cal.add_natural_days(sh(2026, 11, 27, 16, 0), 3),
            sh(2026, 11, 30, 16, 0)
        );
    }

    #[test]
    fn whole_day_intervals_roll_over_midnight() {
        let cal = Calendar::twenty_four_seven();
        assert_eq!(
            cal.add_business_seconds(sh(2026, 12, 1, 23, 0), 3600)
                .unwrap(),
            sh(2026, 12, 2, 0, 0)
        );
        assert!(cal.is_working_time_or_interval_end(sh(2026, 12, 2, 0, 0)));
        assert_eq!(
            cal.business_seconds_between(sh(2026, 12, 1, 22, 0), sh(2026, 12, 2, 2, 0)),
            4 * 3600
        );
    }

    #[test]
    fn invalid_definitions_are_refused_precisely() {
        assert_eq!(
            WorkInterval::parse("12:00", "09:00"),
            Err(CalendarError::EmptyInterval {
                start: 720,
                end: 540
            })
        );
        assert!(matches!(
            WorkInterval::parse("9", "12:00"),
            Err(CalendarError::BadTime { .. })
        ));
        assert!(matches!(
            WorkInterval::parse("09:60", "12:00"),
            Err(CalendarError::BadTime { .. })
        ));
        assert!(matches!(
            WorkInterval::parse("09:00", "24:30"),
            Err(CalendarError::BadTime { .. })
        ));
        assert!(WorkInterval::parse("00:00", "24:00").is_ok());
        let overlap = Calendar::new(
            chrono_tz::Asia::Shanghai,
            std::array::from_fn(|_| {
                vec![
                    WorkInterval::parse("09:00", "12:00").unwrap(),
                    WorkInterval::parse("11:00", "13:00").unwrap(),
                ]
            }),
            BTreeMap::new(),
        );
        assert!(matches!(overlap, Err(CalendarError::Overlap { .. })));
        let empty_workday = Calendar::office().with_override(
            date(2026, 11, 29),
            DayOverride::Workday { intervals: vec![] },
        );
        assert_eq!(
            empty_workday,
            Err(CalendarError::OverrideWithoutIntervals {
                date: date(2026, 11, 29)
            })
        );
        assert!(matches!(
            Calendar::parse_tz("Mars/Olympus"),
            Err(CalendarError::UnknownTimeZone { .. })
        ));
        assert_eq!(
            Calendar::parse_tz("Asia/Shanghai"),
            Ok(chrono_tz::Asia::Shanghai)
        );
    }

    #[test]
    fn a_calendar_without_working_time_says_so() {
        let never = Calendar::new(chrono_tz::UTC, Default::default(), BTreeMap::new()).unwrap();
        assert_eq!(
            never.add_business_seconds(sh(2026, 1, 1, 0, 0), 60),
            Err(CalendarError::NoWorkingTime)
        );
        assert_eq!(
            never.add_working_days(sh(2026, 1, 1, 0, 0), 1),
            Err(CalendarError::NoWorkingTime)
        );
    }

    #[test]
    fn explanations_list_the_overrides_crossed() {
        let cal = Calendar::office()
            .with_override(date(2026, 11, 30), DayOverride::Holiday)
            .unwrap();
        let notes = cal.notes_between(date(2026, 11, 27), date(2026, 12, 2));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].date, date(2026, 11, 30));
        assert!(cal
            .notes_between(date(2026, 12, 2), date(2026, 11, 27))
            .is_empty());
    }

    /// An office calendar with a holiday and a make-up day in the test range.
    fn busy_calendar() -> Calendar {
        Calendar::office()
            .with_override(date(2026, 12, 2), DayOverride::Holiday)
            .unwrap()
            .with_override(
                date(2026, 12, 6),
                DayOverride::Workday {
                    intervals: office_hours(),
                },
            )
            .unwrap()
    }

    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        // Three weeks around the worked examples, to the second.
        (0i64..21 * DAY).prop_map(|s| sh(2026, 11, 23, 0, 0) + Duration::seconds(s))
    }

    proptest! {
        /// A business-time due time is inside working time or at the end of an interval.
        #[test]
        fn business_due_times_fall_in_working_time(t in any_instant(), secs in 1i64..40 * 3600) {
            for cal in [busy_calendar(), Calendar::twenty_four_seven()] {
                let due = cal.add_business_seconds(t, secs).unwrap();
                prop_assert!(cal.is_working_time_or_interval_end(due), "{due}");
                prop_assert!(due > t);
            }
        }

        /// Adding business time and measuring it back give the same amount.
        #[test]
        fn adding_and_measuring_business_time_agree(t in any_instant(), secs in 0i64..60 * 3600) {
            let cal = busy_calendar();
            let due = cal.add_business_seconds(t, secs).unwrap();
            prop_assert_eq!(cal.business_seconds_between(t, due), secs);
        }

        /// More business time never gives an earlier due time, so a pause (which adds its
        /// working time to the target) never moves a due time earlier.
        #[test]
        fn a_pause_never_moves_a_due_time_earlier(
            t in any_instant(),
            secs in 0i64..40 * 3600,
            pause_from in 0i64..5 * DAY,
            pause_len in 0i64..2 * DAY,
        ) {
            let cal = busy_calendar();
            let due = cal.add_business_seconds(t, secs).unwrap();
            let p0 = t + Duration::seconds(pause_from);
            let paused = cal.business_seconds_between(p0, p0 + Duration::seconds(pause_len));
            let later = cal.add_business_seconds(due, paused).unwrap();
            prop_assert!(later >= due);
        }

        /// A working-days due time is working time or the end of a (short) working day,
        /// and lands on a working day.
        #[test]
        fn working_day_due_times_land_on_working_days(t in any_instant(), n in 1u32..8) {
            let cal = busy_calendar();
            let due = cal.add_working_days(t, n).unwrap();
            let local = due.with_timezone(&cal.tz()).date_naive();
            prop_assert!(cal.is_working_day(local));
            prop_assert!(cal.is_working_time_or_interval_end(due));
            prop_assert!(due > t);
        }
    }
}

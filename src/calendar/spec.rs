//! The exchange form of a calendar (REST `GET/PUT /api/v1/calendars/{code}`, storage, and
//! the admin editor), its validation with errors that name the offending field, and the
//! CSV import of a year's holidays and make-up working days.
//!
//! ```json
//! {"timezone": "Asia/Shanghai",
//!  "weekly": {"mon": [["09:00","12:00"], ["13:30","18:00"]], "sat": []},
//!  "overrides": [{"date": "2026-10-01", "kind": "holiday"},
//!                {"date": "2026-09-27", "kind": "workday", "intervals": [["09:00","18:00"]]}]}
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Calendar, CalendarError, DayOverride, WorkInterval};

/// One interval as two `HH:MM` strings.
pub type IntervalSpec = [String; 2];

/// Working intervals per weekday; a missing day has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklySpec {
    /// Monday.
    #[serde(default)]
    pub mon: Vec<IntervalSpec>,
    /// Tuesday.
    #[serde(default)]
    pub tue: Vec<IntervalSpec>,
    /// Wednesday.
    #[serde(default)]
    pub wed: Vec<IntervalSpec>,
    /// Thursday.
    #[serde(default)]
    pub thu: Vec<IntervalSpec>,
    /// Friday.
    #[serde(default)]
    pub fri: Vec<IntervalSpec>,
    /// Saturday.
    #[serde(default)]
    pub sat: Vec<IntervalSpec>,
    /// Sunday.
    #[serde(default)]
    pub sun: Vec<IntervalSpec>,
}

/// Weekday keys, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl WeeklySpec {
    /// The days, Monday first.
    pub fn days(&self) -> [&Vec<IntervalSpec>; 7] {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
    }

    fn days_mut(&mut self) -> [&mut Vec<IntervalSpec>; 7] {
        [
            &mut self.mon,
            &mut self.tue,
            &mut self.wed,
            &mut self.thu,
            &mut self.fri,
            &mut self.sat,
            &mut self.sun,
        ]
    }
}

/// What kind of override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    /// No work.
    Holiday,
    /// Make-up working day (调休).
    Workday,
    /// Special hours.
    Special,
}

impl OverrideKind {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            OverrideKind::Holiday => "holiday",
            OverrideKind::Workday => "workday",
            OverrideKind::Special => "special",
        }
    }
}

/// One dated override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideSpec {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Kind.
    pub kind: OverrideKind,
    /// Intervals (workday and special only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervals: Vec<IntervalSpec>,
}

/// A calendar in exchange form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone.
    pub timezone: String,
    /// Weekly pattern.
    pub weekly: WeeklySpec,
    /// Dated overrides.
    #[serde(default)]
    pub overrides: Vec<OverrideSpec>,
}

/// A validation error naming the field, e.g. `weekly.mon[1]` or `overrides[3].date`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct SpecError {
    /// JSON path of the field (or `line N` for CSV).
    pub field: String,
    /// What is wrong.
    pub problem: SpecProblem,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecProblem {
    /// A calendar rule was broken.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Not a `YYYY-MM-DD` date.
    #[error("{0:?} is not a date (YYYY-MM-DD)")]
    BadDate(String),
    /// The same date twice.
    #[error("{0} appears twice")]
    DuplicateDate(NaiveDate),
    /// A holiday with intervals.
    #[error("a holiday has no working intervals")]
    HolidayWithIntervals,
    /// A CSV line that is not `date,kind[,intervals]`.
    #[error("expected date,kind[,HH:MM-HH:MM …], got {0:?}")]
    BadLine(String),
    /// Unknown override kind in CSV.
    #[error("{0:?} is not holiday, workday or special")]
    BadKind(String),
}

fn err(field: impl Into<String>, problem: impl Into<SpecProblem>) -> SpecError {
    SpecError {
        field: field.into(),
        problem: problem.into(),
    }
}

fn intervals(field: &str, specs: &[IntervalSpec]) -> Result<Vec<WorkInterval>, SpecError> {
    let parsed = specs
        .iter()
        .enumerate()
        .map(|(i, [a, b])| WorkInterval::parse(a, b).map_err(|e| err(format!("{field}[{i}]"), e)))
        .collect::<Result<Vec<_>, _>>()?;
    // Overlaps are reported against the day as a whole.
    super::normalise(parsed).map_err(|e| err(field, e))
}

fn interval_specs(list: &[WorkInterval]) -> Vec<IntervalSpec> {
    list.iter()
        .map(|i| [hhmm(i.start()), hhmm(i.end())])
        .collect()
}

/// Minutes after midnight as `HH:MM`.
pub fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl CalendarSpec {
    /// Validates and builds the calendar.
    pub fn build(&self) -> Result<Calendar, SpecError> {
        let tz = Calendar::parse_tz(&self.timezone).map_err(|e| err("timezone", e))?;
        let mut weekly: [Vec<WorkInterval>; 7] = Default::default();
        for ((slot, day), key) in weekly.iter_mut().zip(self.weekly.days()).zip(WEEKDAYS) {
            *slot = intervals(&format!("weekly.{key}"), day)?;
        }
        let mut overrides = BTreeMap::new();
        for (i, o) in self.overrides.iter().enumerate() {
            let at = |f: &str| format!("overrides[{i}].{f}");
            let date = NaiveDate::parse_from_str(o.date.trim(), "%Y-%m-%d")
                .map_err(|_| err(at("date"), SpecProblem::BadDate(o.date.clone())))?;
            let list = intervals(&at("intervals"), &o.intervals)?;
            let value = match o.kind {
                OverrideKind::Holiday if !list.is_empty() => {
                    return Err(err(at("intervals"), SpecProblem::HolidayWithIntervals))
                }
                OverrideKind::Holiday => DayOverride::Holiday,
                _ if list.is_empty() => {
                    return Err(err(
                        at("intervals"),
                        CalendarError::OverrideWithoutIntervals { date },
                    ))
                }
                OverrideKind::Workday => DayOverride::Workday { intervals: list },
                OverrideKind::Special => DayOverride::Special { intervals: list },
            };
            if overrides.insert(date, value).is_some() {
                return Err(err(at("date"), SpecProblem::DuplicateDate(date)));
            }
        }
        Calendar::new(tz, weekly, overrides).map_err(|e| err("calendar", e))
    }

    /// The exchange form of a calendar.
    pub fn of(calendar: &Calendar) -> CalendarSpec {
        let mut weekly = WeeklySpec::default();
        for (slot, day) in weekly.days_mut().into_iter().zip(calendar.weekly()) {
            *slot = interval_specs(day);
        }
        let overrides = calendar
            .overrides()
            .iter()
            .map(|(date, o)| {
                let (kind, list) = match o {
                    DayOverride::Holiday => (OverrideKind::Holiday, Vec::new()),
                    DayOverride::Workday { intervals } => {
                        (OverrideKind::Workday, interval_specs(intervals))
                    }
                    DayOverride::Special { intervals } => {
                        (OverrideKind::Special, interval_specs(intervals))
                    }
                };
                OverrideSpec {
                    date: date.format("%Y-%m-%d").to_string(),
                    kind,
                    intervals: list,
                }
            })
            .collect();
        CalendarSpec {
            timezone: calendar.tz().name().to_owned(),
            weekly,
            overrides,
        }
    }

    /// Merges imported overrides: an imported date replaces an existing one.
    pub fn merge_overrides(&mut self, imported: Vec<OverrideSpec>) {
        for o in imported {
            self.overrides.retain(|e| e.date.trim() != o.date.trim());
            self.overrides.push(o);
        }
        self.overrides.sort_by(|a, b| a.date.cmp(&b.date));
    }
}

/// Parses a CSV of overrides, one per line: `date,kind[,HH:MM-HH:MM HH:MM-HH:MM]`
/// (a header line starting with `date` and blank lines are skipped). Errors name the line.
pub fn parse_overrides_csv(text: &str) -> Result<Vec<OverrideSpec>, SpecError> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim().trim_start_matches('\u{feff}');
        let field = format!("line {}", n + 1);
        if line.is_empty() || line.to_ascii_lowercase().starts_with("date") {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() < 2 || cells.len() > 3 {
            return Err(err(field, SpecProblem::BadLine(line.to_owned())));
        }
        let kind = match cells[1].to_ascii_lowercase().as_str() {
            "holiday" | "假日" | "节假日" => OverrideKind::Holiday,
            "workday" | "调休" | "补班" => OverrideKind::Workday,
            "special" => OverrideKind::Special,
            other => return Err(err(field, SpecProblem::BadKind(other.to_owned()))),
        };
        let mut intervals = Vec::new();
        for part in cells.get(2).unwrap_or(&"").split_whitespace() {
            let (a, b) = part
                .split_once('-')
                .ok_or_else(|| err(&field, SpecProblem::BadLine(line.to_owned())))?;
            intervals.push([a.to_owned(), b.to_owned()]);
        }
        let spec = OverrideSpec {
            date: cells[0].to_owned(),
            kind,
            intervals,
        };
        // Validate the line on its own so the error names it.
        CalendarSpec {
            timezone: "UTC".into(),
            weekly: WeeklySpec::default(),
            overrides: vec![spec.clone()],
        }
        .build()
        .map_err(|e| err(&field, e.problem))?;
        out.push(spec);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::testing::{date, office_with_holiday_monday_and_make_up_sunday};

    fn s(a: &str, b: &str) -> IntervalSpec {
        [a.to_owned(), b.to_owned()]
    }

    #[test]
    fn round_trips_a_calendar_with_overrides() {
        let cal = office_with_holiday_monday_and_make_up_sunday();
        let spec = CalendarSpec::of(&cal);
        assert_eq!(
            spec.weekly.mon,
            vec![s("09:00", "12:00"), s("13:30", "18:00")]
        );
        assert!(spec.weekly.sat.is_empty());
        assert_eq!(spec.overrides.len(), 2);
        assert_eq!(spec.build().unwrap(), cal);
        let json = serde_json::to_string(&spec).unwrap();
        let back: CalendarSpec = serde_json::from_str(&json).unwrap();
        assert_eq!(back, spec);
    }

    #[test]
    fn errors_name_the_field() {
        let mut spec = CalendarSpec::of(&Calendar::office());
        spec.weekly.tue = vec![s("09:00", "12:00"), s("11:00", "13:00")];
        assert_eq!(spec.build().unwrap_err().field, "weekly.tue");
        spec.weekly.tue = vec![s("12:00", "09:00")];
        assert_eq!(spec.build().unwrap_err().field, "weekly.tue[0]");
        spec.weekly.tue = vec![s("9h", "12:00")];
        assert_eq!(spec.build().unwrap_err().field, "weekly.tue[0]");
        spec.weekly.tue = Vec::new();
        spec.timezone = "Mars/Olympus".into();
        assert_eq!(spec.build().unwrap_err().field, "timezone");
        spec.timezone = "Asia/Shanghai".into();
        spec.overrides = vec![OverrideSpec {
            date: "2026-02-30".into(),
            kind: OverrideKind::Holiday,
            intervals: vec![],
        }];
        assert_eq!(spec.build().unwrap_err().field, "overrides[0].date");
        spec.overrides = vec![OverrideSpec {
            date: "2026-02-28".into(),
            kind: OverrideKind::Workday,
            intervals: vec![],
        }];
        assert_eq!(spec.build().unwrap_err().field, "overrides[0].intervals");
        let holiday = OverrideSpec {
            date: "2026-10-01".into(),
            kind: OverrideKind::Holiday,
            intervals: vec![],
        };
        spec.overrides = vec![holiday.clone(), holiday];
        let e = spec.build().unwrap_err();
        assert_eq!(e.field, "overrides[1].date");
        assert_eq!(e.problem, SpecProblem::DuplicateDate(date(2026, 10, 1)));
    }

    #[test]
    fn imports_a_year_of_holidays_from_csv() {
        let csv = "date,kind,intervals\n2026-10-01,holiday\n2026-10-02,节假日,\n\n2026-09-27,workday,09:00-12:00 13:30-18:00\n";
        let list = parse_overrides_csv(csv).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[2].kind, OverrideKind::Workday);
        assert_eq!(list[2].intervals.len(), 2);
        let mut spec = CalendarSpec::of(&Calendar::office());
        spec.merge_overrides(list);
        let cal = spec.build().unwrap();
        assert!(!cal.is_working_day(date(2026, 10, 1)));
        assert!(cal.is_working_day(date(2026, 9, 27)));

        let bad = parse_overrides_csv("2026-10-01,holiday\n2026-13-01,holiday\n").unwrap_err();
        assert_eq!(bad.field, "line 2");
        let bad = parse_overrides_csv("2026-10-01,vacation\n").unwrap_err();
        assert_eq!(bad.problem, SpecProblem::BadKind("vacation".into()));
        let bad = parse_overrides_csv("2026-10-01,workday,18:00-09:00\n").unwrap_err();
        assert_eq!(bad.field, "line 1");
    }
}

//! Supervision use cases (SSR only): the live wallboard, reports with their CSV export and
//! charts, quality inspection (scorecards, sampling, reviews, the agent's own results) and
//! staffing (forecast, Erlang C requirement, roster). Figures are the definitions of
//! `loopdesk::metrics` applied to the store's aggregates; supervisors and administrators
//! see everything, agents only their own quality results.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use loopdesk::agent::AgentState;
use loopdesk::locale::Locale;
use loopdesk::metrics::{
    agent_time, CallSummary, CallTotals, Compliance, Satisfaction, ServiceTargets, StateSeconds,
    TicketTotals, SERIOUS_COMPLAINT_CEILING_PERMILLE,
};
use loopdesk::quality::{Review, ReviewSubject, Scorecard};
use loopdesk::sla::SlaTarget;
use loopdesk::staffing::{self, Shift, StaffingGoal, WeekHistory, INTERVALS_PER_DAY};
use loopdesk::store::desk::{TicketQuery, TicketSort};
use loopdesk::store::supervision::{ReportFilter, ReviewQuery, StateHistory};
use loopdesk::store::StoreError;
use loopdesk::ticket::{Channel, TicketKind, TicketState};
use loopdesk::user::{DepartmentId, Role, User, UserId};
use uuid::Uuid;

use crate::charts::{bars, lines, Series};
use crate::desk::{DeskError, Invalid};
use crate::i18n::names::{agent_state_name, channel_name, kind_name, state_name, target_name};
use crate::state::Stores;
use crate::views::supervision::{
    AgentNow, Bucket, CallFigures, ComplianceRow, DepartmentLoad, Performance, PlanRow,
    QualityView, ReportCharts, ReportQuery, ReportTotals, ReportView, ReviewInput, ReviewView,
    SampleItem, ScorecardInput, ScorecardView, ShiftInput, ShiftView, StaffingView, WallboardView,
};
use crate::views::{cn, ticket_list, RefView};

/// Supervisors and administrators run the center's figures.
pub fn require_supervisor(user: &User) -> Result<(), DeskError> {
    match user.role {
        Role::Supervisor | Role::Admin => Ok(()),
        _ => Err(DeskError::Forbidden),
    }
}

/// The center's time zone (the office calendar's).
pub(crate) async fn center_tz(stores: &Stores) -> Result<Tz, DeskError> {
    Ok(crate::desk::load_sla_config(stores)
        .await?
        .calendars
        .office
        .tz())
}

fn offset_minutes(tz: Tz, at: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
        / 60
}

/// The UTC instant of local midnight starting `day`.
pub(crate) fn local_midnight(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// Time per state summed over agents, from the store's history.
fn team_time(
    h: &StateHistory,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> HashMap<UserId, StateSeconds> {
    let mut users: Vec<UserId> = h.before.iter().map(|(u, _)| *u).collect();
    for (u, _, _) in &h.changes {
        if !users.contains(u) {
            users.push(*u);
        }
    }
    users
        .into_iter()
        .map(|u| {
            let before = h.before.iter().find(|(x, _)| *x == u).map(|(_, s)| *s);
            let changes: Vec<(DateTime<Utc>, AgentState)> = h
                .changes
                .iter()
                .filter(|(x, _, _)| *x == u)
                .map(|(_, at, s)| (*at, *s))
                .collect();
            (u, agent_time(before, &changes, from, to))
        })
        .collect()
}

fn permille(p: u32) -> f64 {
    f64::from(p) / 1000.0
}

/// The call figures of a summary and the agents' time over the same period.
pub fn call_figures(s: &CallSummary, time: &StateSeconds, targets: &ServiceTargets) -> CallFigures {
    let all = s.total();
    CallFigures {
        offered: all.offered,
        answered: all.answered,
        abandoned: all.abandoned,
        waiting: all.waiting,
        in_progress: all.in_progress,
        service_level: all.service_level(),
        service_level_standard: s.standard.service_level(),
        service_level_vip: s.vip.service_level(),
        target_standard: permille(targets.standard_permille),
        target_vip: permille(targets.vip_permille),
        threshold_seconds: targets.threshold_seconds,
        asa_seconds: all.asa_seconds(),
        abandonment: all.abandonment(),
        aht_seconds: all.aht_seconds(time.wrap_up),
        occupancy: time.occupancy(),
    }
}

async fn count(stores: &Stores, q: TicketQuery) -> Result<u64, DeskError> {
    Ok(stores.tickets.count_tickets(&q).await?)
}

fn open_query() -> TicketQuery {
    TicketQuery {
        open_only: true,
        sort: TicketSort::NearestDue,
        page: 1,
        page_size: 1,
        ..TicketQuery::default()
    }
}

/// The wallboard at `now`.
pub async fn wallboard(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    targets: &ServiceTargets,
    locale: Locale,
) -> Result<WallboardView, DeskError> {
    require_supervisor(user)?;
    let tz = center_tz(stores).await?;
    let open_states: Vec<TicketState> = TicketState::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
        .collect();
    let departments = stores.departments.list_departments().await?;
    let counts = stores.reports.open_counts().await?;
    let by_state: Vec<u64> = open_states
        .iter()
        .map(|s| {
            counts
                .iter()
                .filter(|(_, x, _)| x == s)
                .map(|(_, _, n)| n)
                .sum()
        })
        .collect();
    let mut loads: Vec<DepartmentLoad> = departments
        .iter()
        .map(|d| {
            let counts: Vec<u64> = open_states
                .iter()
                .map(|s| {
                    counts
                        .iter()
                        .filter(|(dep, x, _)| *dep == d.id && x == s)
                        .map(|(_, _, n)| n)
                        .sum()
                })
                .collect();
            DepartmentLoad {
                department: RefView {
                    id: d.id.0.to_string(),
                    name: d.name(locale).to_owned(),
                },
                total: counts.iter().sum(),
                counts,
            }
        })
        .collect();
    loads.sort_by_key(|l| std::cmp::Reverse(l.total));
    let at_risk = count(
        stores,
        TicketQuery {
            at_risk_at: Some(now),
            ..open_query()
        },
    )
    .await?;
    let overdue = count(
        stores,
        TicketQuery {
            overdue_at: Some(now),
            ..open_query()
        },
    )
    .await?;
    let escalated = count(
        stores,
        TicketQuery {
            escalated: true,
            ..open_query()
        },
    )
    .await?;
    let breached = stores.reports.open_breached().await?;
    // What to act on: overdue first, then escalated, nearest due first, at most 10.
    let mut attention = Vec::new();
    for q in [
        TicketQuery {
            overdue_at: Some(now),
            page_size: 10,
            ..open_query()
        },
        TicketQuery {
            escalated: true,
            page_size: 10,
            ..open_query()
        },
    ] {
        let page = stores.tickets.list_tickets(&q).await?;
        let list = ticket_list(stores, page, 1, 10, now, locale).await?;
        for row in list.items {
            if attention.len() < 10
                && !attention
                    .iter()
                    .any(|r: &crate::views::TicketRow| r.id == row.id)
            {
                attention.push(row);
            }
        }
    }
    // Agents.
    let staff = stores.users.list_ticket_staff().await?;
    let statuses = stores.agents.agent_statuses().await?;
    let mut agents: Vec<AgentNow> = statuses
        .iter()
        .filter_map(|(u, st)| {
            let who = staff.iter().find(|s| s.id == *u)?;
            Some(AgentNow {
                agent: RefView {
                    id: u.0.to_string(),
                    name: who.display_name.clone(),
                },
                state: cn(st.state.code(), agent_state_name(st.state, locale)),
                reason: st.reason.clone(),
                since: st.since,
            })
        })
        .collect();
    agents.sort_by_key(|a| {
        (
            AgentState::ALL
                .iter()
                .position(|s| s.code() == a.state.code),
            a.since,
        )
    });
    // Today's calls and agent time (local day so far).
    let today = now.with_timezone(&tz).date_naive();
    let from = local_midnight(tz, today);
    let cells = stores
        .reports
        .call_cells(from, now + Duration::seconds(1), targets.threshold_seconds)
        .await?;
    let summary = sum_calls(cells.iter().map(|c| &c.summary));
    let history = stores.reports.state_history(from, now).await?;
    let time = team_time(&history, from, now)
        .values()
        .fold(StateSeconds::default(), |a, b| a.plus(b));
    Ok(WallboardView {
        states: open_states
            .iter()
            .map(|s| cn(s.code(), state_name(*s, locale)))
            .collect(),
        open: by_state.iter().sum(),
        by_state,
        departments: loads,
        at_risk,
        overdue,
        breached,
        escalated,
        attention,
        agents,
        today: call_figures(&summary, &time, targets),
        as_of: now,
    })
}

fn sum_calls<'a>(cells: impl Iterator<Item = &'a CallSummary>) -> CallSummary {
    cells.fold(CallSummary::default(), |a, c| CallSummary {
        standard: a.standard.plus(&c.standard),
        vip: a.vip.plus(&c.vip),
    })
}

pub(crate) fn parse_day(text: &str, field: &str) -> Result<NaiveDate, DeskError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| DeskError::invalid(field, Invalid::BadDate))
}

fn opt(text: &str) -> Option<&str> {
    let t = text.trim();
    (!t.is_empty()).then_some(t)
}

/// Checks a report's filters: dates (default: the last 30 days), at most 366 days, known
/// codes and ids.
pub fn parse_report_query(
    q: &ReportQuery,
    today: NaiveDate,
    tz: Tz,
) -> Result<(NaiveDate, NaiveDate, ReportFilter), DeskError> {
    let to = match opt(&q.to) {
        Some(t) => parse_day(t, "to")?,
        None => today,
    };
    let from = match opt(&q.from) {
        Some(f) => parse_day(f, "from")?,
        None => to - Duration::days(29),
    };
    if to < from || (to - from).num_days() > 366 {
        return Err(DeskError::invalid("to", Invalid::BadDate));
    }
    let uuid = |text: &str, field: &str| {
        Uuid::parse_str(text).map_err(|_| DeskError::invalid(field, Invalid::Unknown))
    };
    let department = opt(&q.department)
        .map(|d| uuid(d, "department").map(DepartmentId))
        .transpose()?;
    let kind = opt(&q.kind)
        .map(|k| {
            TicketKind::from_code(k).ok_or_else(|| DeskError::invalid("kind", Invalid::Unknown))
        })
        .transpose()?;
    let channel = opt(&q.channel)
        .map(|c| {
            Channel::from_code(c).ok_or_else(|| DeskError::invalid("channel", Invalid::Unknown))
        })
        .transpose()?;
    let agent = opt(&q.agent)
        .map(|a| uuid(a, "agent").map(UserId))
        .transpose()?;
    let category = opt(&q.category).map(str::to_owned);
    if category.as_ref().is_some_and(|c| c.chars().count() > 100) {
        return Err(DeskError::invalid(
            "category",
            Invalid::TooLong { max: 100 },
        ));
    }
    let (start, end) = (
        local_midnight(tz, from),
        local_midnight(tz, to + Duration::days(1)),
    );
    Ok((
        from,
        to,
        ReportFilter {
            from: start,
            to: end,
            department,
            kind,
            category,
            channel,
            agent,
            utc_offset_minutes: offset_minutes(tz, start),
        },
    ))
}

fn pct_rate(c: &Compliance) -> Option<f64> {
    c.rate()
}

#[derive(Default)]
struct Acc {
    totals: TicketTotals,
    sla: Compliance,
    satisfaction: Satisfaction,
    calls: CallTotals,
    wrap_up: i64,
    quality_sum: u64,
    reviews: u64,
}

impl Acc {
    fn performance(&self, who: RefView) -> Performance {
        Performance {
            who,
            tickets: self.totals.tickets,
            handled: self.totals.answered,
            calls: self.calls.handled,
            aht_seconds: self.calls.aht_seconds(self.wrap_up),
            sla_rate: pct_rate(&self.sla),
            satisfaction: self.satisfaction.share(),
            mean_rating: self.satisfaction.mean_rating(),
            quality: (self.reviews > 0).then(|| self.quality_sum as f64 / self.reviews as f64),
            reviews: self.reviews,
        }
    }
}

/// A report over the query's range and filters.
pub async fn report(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    q: &ReportQuery,
    targets: &ServiceTargets,
    locale: Locale,
) -> Result<ReportView, DeskError> {
    require_supervisor(user)?;
    let tz = center_tz(stores).await?;
    let today = now.with_timezone(&tz).date_naive();
    let (from_day, to_day, filter) = parse_report_query(q, today, tz)?;
    let (from, to, department, agent) = (filter.from, filter.to, filter.department, filter.agent);
    let departments = stores.departments.list_departments().await?;
    let staff = stores.users.list_ticket_staff().await?;
    // The aggregates are independent reads: run them side by side (SQLite serves readers
    // on several connections in WAL mode).
    let review_query = ReviewQuery {
        agent,
        from: Some(from),
        to: Some(to),
        limit: 10_000,
    };
    let (cells, owners, times, feedback, calls, history, reviews, customers) = tokio::join!(
        stores.reports.ticket_cells(&filter),
        stores.reports.owner_cells(&filter),
        stores.reports.ticket_times(&filter),
        stores.reports.feedback_cells(&filter),
        stores
            .reports
            .call_cells(from, to, targets.threshold_seconds),
        stores.reports.state_history(from, to.min(now)),
        stores.quality.reviews(&review_query),
        stores.reports.customer_count(),
    );
    let (cells, owners, times, feedback, calls, history, reviews, customers) = (
        cells?, owners?, times?, feedback?, calls?, history?, reviews?, customers?,
    );
    let time = team_time(&history, from, to.min(now));
    let dept_of: HashMap<UserId, Option<DepartmentId>> =
        staff.iter().map(|u| (u.id, u.department_id)).collect();
    // Agents' calls count for a department filter through the agent's department.
    let call_in_scope = |a: &Option<UserId>| match (agent, department) {
        (Some(x), _) => *a == Some(x),
        (None, Some(d)) => a.and_then(|u| dept_of.get(&u).copied().flatten()) == Some(d),
        (None, None) => true,
    };

    let mut totals = TicketTotals::default();
    let mut by_kind: HashMap<TicketKind, u64> = HashMap::new();
    let mut by_channel: HashMap<Channel, u64> = HashMap::new();
    let mut by_category: HashMap<String, u64> = HashMap::new();
    let mut kind_channel: HashMap<(TicketKind, Channel), u64> = HashMap::new();
    let mut sla: HashMap<SlaTarget, Compliance> = HashMap::new();
    let mut per_agent: HashMap<UserId, Acc> = HashMap::new();
    let mut per_dept: HashMap<DepartmentId, Acc> = HashMap::new();
    for c in &cells {
        let n = c.totals.tickets;
        totals = totals.plus(&c.totals);
        *by_kind.entry(c.kind).or_default() += n;
        *by_channel.entry(c.channel).or_default() += n;
        *by_category.entry(c.category.clone()).or_default() += n;
        *kind_channel.entry((c.kind, c.channel)).or_default() += n;
        for (target, counts) in &c.sla {
            let e = sla.entry(*target).or_default();
            *e = e.plus(counts);
        }
    }
    for c in &owners {
        let add = |acc: &mut Acc| {
            acc.totals = acc.totals.plus(&c.totals);
            acc.sla = acc.sla.plus(&c.sla);
        };
        if let Some(a) = c.assignee {
            add(per_agent.entry(a).or_default());
        }
        add(per_dept.entry(c.department).or_default());
    }
    let mut satisfaction = Satisfaction::default();
    for f in &feedback {
        satisfaction = satisfaction.plus(&f.satisfaction);
        if let Some(a) = f.assignee {
            let acc = per_agent.entry(a).or_default();
            acc.satisfaction = acc.satisfaction.plus(&f.satisfaction);
        }
        let acc = per_dept.entry(f.department).or_default();
        acc.satisfaction = acc.satisfaction.plus(&f.satisfaction);
    }
    let mut call_sum = CallSummary::default();
    let mut scoped_time = StateSeconds::default();
    for c in calls.iter().filter(|c| call_in_scope(&c.agent)) {
        call_sum = sum_calls([&call_sum, &c.summary].into_iter());
        if let Some(a) = c.agent {
            let t = time.get(&a).copied().unwrap_or_default();
            let acc = per_agent.entry(a).or_default();
            acc.calls = acc.calls.plus(&c.summary.total());
            acc.wrap_up = t.wrap_up;
            if let Some(Some(d)) = dept_of.get(&a) {
                let dacc = per_dept.entry(*d).or_default();
                dacc.calls = dacc.calls.plus(&c.summary.total());
                dacc.wrap_up += t.wrap_up;
            }
        }
    }
    for (u, t) in &time {
        if call_in_scope(&Some(*u)) {
            scoped_time = scoped_time.plus(t);
        }
    }
    for r in &reviews {
        if !call_in_scope(&Some(r.agent)) {
            continue;
        }
        let acc = per_agent.entry(r.agent).or_default();
        acc.quality_sum += u64::from(r.total);
        acc.reviews += 1;
        if let Some(Some(d)) = dept_of.get(&r.agent) {
            let dacc = per_dept.entry(*d).or_default();
            dacc.quality_sum += u64::from(r.total);
            dacc.reviews += 1;
        }
    }

    let kinds: Vec<TicketKind> = TicketKind::ALL.to_vec();
    let channels: Vec<Channel> = Channel::ALL.to_vec();
    let bucket = |code: &str, name: &str, tickets| Bucket {
        key: cn(code, name),
        tickets,
    };
    let by_kind_v: Vec<Bucket> = kinds
        .iter()
        .map(|k| {
            bucket(
                k.code(),
                kind_name(*k, locale),
                by_kind.get(k).copied().unwrap_or(0),
            )
        })
        .collect();
    let by_channel_v: Vec<Bucket> = channels
        .iter()
        .map(|c| {
            bucket(
                c.code(),
                channel_name(*c, locale),
                by_channel.get(c).copied().unwrap_or(0),
            )
        })
        .collect();
    let mut by_category_v: Vec<Bucket> = by_category
        .into_iter()
        .map(|(c, n)| {
            let name = if c.is_empty() {
                "—".to_owned()
            } else {
                c.clone()
            };
            Bucket {
                key: cn(&c, &name),
                tickets: n,
            }
        })
        .collect();
    by_category_v.sort_by(|a, b| b.tickets.cmp(&a.tickets).then(a.key.code.cmp(&b.key.code)));
    let mut by_hour = vec![0u64; 24];
    let mut by_day_map: HashMap<NaiveDate, u64> = HashMap::new();
    for t in &times {
        if let Some(h) = by_hour.get_mut(t.hour as usize) {
            *h += t.tickets;
        }
        *by_day_map.entry(t.day).or_default() += t.tickets;
    }
    let by_day: Vec<(NaiveDate, u64)> = from_day
        .iter_days()
        .take_while(|d| *d <= to_day)
        .map(|d| (d, by_day_map.get(&d).copied().unwrap_or(0)))
        .collect();
    let sla_rows: Vec<ComplianceRow> = SlaTarget::ALL
        .iter()
        .map(|t| {
            let c = sla.get(t).copied().unwrap_or_default();
            ComplianceRow {
                target: cn(t.code(), target_name(*t, locale)),
                met: c.met,
                overdue: c.overdue,
                breached: c.breached,
                running: c.running,
                rate: c.rate(),
            }
        })
        .collect();
    // Assignees outside the ticket staff (administrators, disabled accounts) by lookup.
    let mut names: HashMap<UserId, String> = staff
        .iter()
        .map(|s| (s.id, s.display_name.clone()))
        .collect();
    for u in per_agent.keys() {
        if !names.contains_key(u) {
            if let Ok(x) = stores.users.get_user(*u).await {
                names.insert(*u, x.display_name);
            }
        }
    }
    let name_of = |u: UserId| names.get(&u).cloned().unwrap_or_default();
    let mut agents: Vec<Performance> = per_agent
        .iter()
        .map(|(u, acc)| {
            acc.performance(RefView {
                id: u.0.to_string(),
                name: name_of(*u),
            })
        })
        .collect();
    agents.sort_by(|a, b| b.handled.cmp(&a.handled).then(a.who.name.cmp(&b.who.name)));
    let mut depts: Vec<Performance> = per_dept
        .iter()
        .filter(|(d, _)| department.is_none_or(|x| x == **d))
        .map(|(d, acc)| {
            let name = departments
                .iter()
                .find(|x| x.id == *d)
                .map(|x| x.name(locale).to_owned())
                .unwrap_or_default();
            acc.performance(RefView {
                id: d.0.to_string(),
                name,
            })
        })
        .collect();
    depts.sort_by(|a, b| b.tickets.cmp(&a.tickets).then(a.who.name.cmp(&b.who.name)));

    let tx = crate::i18n::supervision::st(locale);
    let charts = ReportCharts {
        by_day: lines(
            &by_day
                .iter()
                .map(|(d, _)| d.format("%m-%d").to_string())
                .collect::<Vec<_>>(),
            &[Series {
                name: tx.tickets.to_owned(),
                values: by_day.iter().map(|(_, n)| *n as f64).collect(),
            }],
            tx.tickets,
        ),
        by_hour: bars(
            &(0..24).map(|h| format!("{h:02}")).collect::<Vec<_>>(),
            &[Series {
                name: tx.tickets.to_owned(),
                values: by_hour.iter().map(|n| *n as f64).collect(),
            }],
            false,
            tx.tickets,
        ),
        kind_channel: bars(
            &kinds
                .iter()
                .map(|k| kind_name(*k, locale).to_owned())
                .collect::<Vec<_>>(),
            &channels
                .iter()
                .map(|c| Series {
                    name: channel_name(*c, locale).to_owned(),
                    values: kinds
                        .iter()
                        .map(|k| kind_channel.get(&(*k, *c)).copied().unwrap_or(0) as f64)
                        .collect(),
                })
                .filter(|s| s.values.iter().any(|v| *v > 0.0))
                .collect::<Vec<_>>(),
            true,
            tx.tickets,
        ),
        sla: bars(
            &sla_rows
                .iter()
                .map(|r| r.target.name.clone())
                .collect::<Vec<_>>(),
            &[
                (tx.met, sla_rows.iter().map(|r| r.met).collect::<Vec<_>>()),
                (tx.overdue, sla_rows.iter().map(|r| r.overdue).collect()),
                (tx.breached, sla_rows.iter().map(|r| r.breached).collect()),
                (tx.running, sla_rows.iter().map(|r| r.running).collect()),
            ]
            .into_iter()
            .map(|(name, v)| Series {
                name: name.to_owned(),
                values: v.into_iter().map(|n| n as f64).collect(),
            })
            .collect::<Vec<_>>(),
            true,
            tx.tickets,
        ),
    };
    Ok(ReportView {
        from: from_day,
        to: to_day,
        totals: ReportTotals {
            tickets: totals.tickets,
            answered: totals.answered,
            fcr: totals.fcr(),
            reopen_rate: totals.reopen_rate(),
            satisfaction: satisfaction.share(),
            mean_rating: satisfaction.mean_rating(),
            outcomes: satisfaction.satisfied + satisfaction.unsatisfied,
            complaints: totals.complaints,
            complaint_rate: totals.complaint_rate(customers),
            serious_share: totals.serious_share(),
            serious_ceiling: permille(SERIOUS_COMPLAINT_CEILING_PERMILLE),
            customers,
        },
        by_kind: by_kind_v,
        by_channel: by_channel_v,
        by_category: by_category_v,
        by_hour,
        by_day,
        sla: sla_rows,
        calls: call_figures(&call_sum, &scoped_time, targets),
        agents,
        departments: depts,
        charts,
        department_choices: departments
            .iter()
            .map(|d| RefView {
                id: d.id.0.to_string(),
                name: d.name(locale).to_owned(),
            })
            .collect(),
        agent_choices: staff
            .iter()
            .map(|u| RefView {
                id: u.id.0.to_string(),
                name: u.display_name.clone(),
            })
            .collect(),
    })
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_default()
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

/// The report as CSV (UTF-8 with BOM for spreadsheet programs): one section per table,
/// each with its own header row, separated by an empty line.
pub fn report_csv(r: &ReportView, locale: Locale) -> String {
    let tx = crate::i18n::supervision::st(locale);
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut row = |cells: Vec<String>| {
        let _ = w.write_record(&cells);
    };
    let s = |x: &str| x.to_owned();
    row(vec![s(tx.csv_period), r.from.to_string(), r.to.to_string()]);
    row(vec![]);
    row(vec![s(tx.csv_figure), s(tx.csv_value)]);
    let t = &r.totals;
    for (k, v) in [
        (tx.tickets, t.tickets.to_string()),
        (tx.answered, t.answered.to_string()),
        (tx.fcr, pct(t.fcr)),
        (tx.reopen_rate, pct(t.reopen_rate)),
        (tx.satisfaction, pct(t.satisfaction)),
        (tx.mean_rating, num(t.mean_rating)),
        (tx.complaints, t.complaints.to_string()),
        (tx.complaint_rate, num(t.complaint_rate)),
        (tx.serious_share, pct(t.serious_share)),
        (tx.calls_offered, r.calls.offered.to_string()),
        (tx.service_level, pct(r.calls.service_level)),
        (tx.asa, num(r.calls.asa_seconds)),
        (tx.abandonment, pct(r.calls.abandonment)),
        (tx.aht, num(r.calls.aht_seconds)),
        (tx.occupancy, pct(r.calls.occupancy)),
    ] {
        row(vec![s(k), v]);
    }
    for (title, buckets) in [
        (tx.by_kind, &r.by_kind),
        (tx.by_channel, &r.by_channel),
        (tx.by_category, &r.by_category),
    ] {
        row(vec![]);
        row(vec![s(title), s(tx.csv_code), s(tx.tickets)]);
        for b in buckets {
            row(vec![
                b.key.name.clone(),
                b.key.code.clone(),
                b.tickets.to_string(),
            ]);
        }
    }
    row(vec![]);
    row(vec![s(tx.by_hour), s(tx.tickets)]);
    for (h, n) in r.by_hour.iter().enumerate() {
        row(vec![format!("{h:02}:00"), n.to_string()]);
    }
    row(vec![]);
    row(vec![s(tx.by_day), s(tx.tickets)]);
    for (d, n) in &r.by_day {
        row(vec![d.to_string(), n.to_string()]);
    }
    row(vec![]);
    row(vec![
        s(tx.sla_compliance),
        s(tx.met),
        s(tx.overdue),
        s(tx.breached),
        s(tx.running),
        s(tx.rate),
    ]);
    for c in &r.sla {
        row(vec![
            c.target.name.clone(),
            c.met.to_string(),
            c.overdue.to_string(),
            c.breached.to_string(),
            c.running.to_string(),
            pct(c.rate),
        ]);
    }
    for (title, list) in [
        (tx.per_agent, &r.agents),
        (tx.per_department, &r.departments),
    ] {
        row(vec![]);
        row(vec![
            s(title),
            s(tx.tickets),
            s(tx.answered),
            s(tx.calls_handled),
            s(tx.aht),
            s(tx.sla_rate),
            s(tx.satisfaction),
            s(tx.mean_rating),
            s(tx.quality_score),
        ]);
        for p in list {
            row(vec![
                p.who.name.clone(),
                p.tickets.to_string(),
                p.handled.to_string(),
                p.calls.to_string(),
                num(p.aht_seconds),
                pct(p.sla_rate),
                pct(p.satisfaction),
                num(p.mean_rating),
                num(p.quality),
            ]);
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

// ------------------------------------------------------------------ quality inspection

fn scorecard_view(c: &Scorecard, locale: Locale) -> ScorecardView {
    ScorecardView {
        id: c.id.to_string(),
        name: c.name.clone(),
        active: c.active,
        criteria: c
            .criteria
            .iter()
            .map(|x| {
                let label = match locale {
                    Locale::ZhCn => x.label.clone(),
                    Locale::En if !x.label_en.is_empty() => x.label_en.clone(),
                    Locale::En => x.label.clone(),
                };
                (x.key.clone(), label, x.weight)
            })
            .collect(),
        definition: c.criteria.clone(),
    }
}

async fn review_views(
    stores: &Stores,
    reviews: &[Review],
    locale: Locale,
) -> Result<Vec<ReviewView>, DeskError> {
    let cards = stores.quality.scorecards().await?;
    let mut names: HashMap<UserId, String> = HashMap::new();
    for r in reviews {
        for u in [r.agent, r.reviewer] {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(u) {
                if let Ok(x) = stores.users.get_user(u).await {
                    e.insert(x.display_name);
                }
            }
        }
    }
    let who = |u: UserId| RefView {
        id: u.0.to_string(),
        name: names.get(&u).cloned().unwrap_or_default(),
    };
    Ok(reviews
        .iter()
        .map(|r| {
            let card = cards.iter().find(|c| c.id == r.scorecard);
            let view = card.map(|c| scorecard_view(c, locale));
            ReviewView {
                id: r.id.to_string(),
                scorecard: card.map(|c| c.name.clone()).unwrap_or_default(),
                kind: r.subject.kind_code().to_owned(),
                subject: r.subject.id_text(),
                href: match &r.subject {
                    ReviewSubject::Ticket(id) => Some(format!("/agent/tickets/{id}")),
                    ReviewSubject::Call(_) => None,
                },
                agent: who(r.agent),
                reviewer: who(r.reviewer),
                scores: r
                    .scores
                    .iter()
                    .map(|(k, pts)| {
                        let (label, weight) = view
                            .as_ref()
                            .and_then(|v| v.criteria.iter().find(|c| c.0 == *k))
                            .map(|c| (c.1.clone(), c.2))
                            .unwrap_or_else(|| (k.clone(), 0));
                        (label, *pts, weight)
                    })
                    .collect(),
                total: r.total,
                comment: r.comment.clone(),
                at: r.at,
            }
        })
        .collect())
}

/// Makes sure the seeded scorecard exists (first use of quality inspection).
async fn scorecards(stores: &Stores, now: DateTime<Utc>) -> Result<Vec<Scorecard>, DeskError> {
    let cards = stores.quality.scorecards().await?;
    if !cards.is_empty() {
        return Ok(cards);
    }
    let seed = Scorecard::seed(Uuid::new_v4());
    stores.quality.put_scorecard(&seed, now).await?;
    Ok(vec![seed])
}

/// The supervisors' quality page: scorecards, the latest reviews, means per agent.
pub async fn quality(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    locale: Locale,
) -> Result<QualityView, DeskError> {
    require_supervisor(user)?;
    let cards = scorecards(stores, now).await?;
    let reviews = stores
        .quality
        .reviews(&ReviewQuery {
            limit: 200,
            ..ReviewQuery::default()
        })
        .await?;
    let views = review_views(stores, &reviews, locale).await?;
    let mut by_agent: Vec<(RefView, f64, u64)> = Vec::new();
    for v in &views {
        match by_agent.iter_mut().find(|(a, _, _)| a.id == v.agent.id) {
            Some((_, sum, n)) => {
                *sum += f64::from(v.total);
                *n += 1;
            }
            None => by_agent.push((v.agent.clone(), f64::from(v.total), 1)),
        }
    }
    for (_, sum, n) in &mut by_agent {
        *sum /= *n as f64;
    }
    by_agent.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let staff = stores.users.list_ticket_staff().await?;
    Ok(QualityView {
        scorecards: cards.iter().map(|c| scorecard_view(c, locale)).collect(),
        reviews: views,
        by_agent,
        agents: staff
            .iter()
            .filter(|u| u.role == Role::Agent)
            .map(|u| RefView {
                id: u.id.0.to_string(),
                name: u.display_name.clone(),
            })
            .collect(),
    })
}

/// Saves a scorecard (supervisors and administrators).
pub async fn save_scorecard(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: ScorecardInput,
) -> Result<String, DeskError> {
    require_supervisor(user)?;
    let id = match input.id.trim() {
        "" => Uuid::new_v4(),
        id => Uuid::parse_str(id).map_err(|_| DeskError::NotFound)?,
    };
    let card = Scorecard {
        id,
        name: input.name.trim().to_owned(),
        criteria: input
            .criteria
            .into_iter()
            .map(|mut c| {
                c.key = c.key.trim().to_owned();
                c.label = c.label.trim().to_owned();
                c.label_en = c.label_en.trim().to_owned();
                c
            })
            .collect(),
        active: input.active,
    };
    card.validate()
        .map_err(|e| DeskError::invalid("criteria", Invalid::Quality(e)))?;
    stores.quality.put_scorecard(&card, now).await?;
    Ok(id.to_string())
}

/// A random sample of each agent's handled tickets and calls of the last `days` days
/// (`agent`: only theirs), `per_agent` each; `seed` makes a draw repeatable.
pub async fn sample(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    agent: Option<UserId>,
    days: u32,
    per_agent: u32,
    seed: u64,
) -> Result<Vec<SampleItem>, DeskError> {
    require_supervisor(user)?;
    if !(1..=92).contains(&days) {
        return Err(DeskError::invalid("days", Invalid::BadDate));
    }
    if !(1..=50).contains(&per_agent) {
        return Err(DeskError::invalid("per_agent", Invalid::Percent));
    }
    let items = stores
        .reports
        .work_items(now - Duration::days(i64::from(days)), now, 5_000)
        .await?;
    let pairs: Vec<(UserId, loopdesk::store::supervision::WorkItem)> = items
        .into_iter()
        .filter(|i| agent.is_none_or(|a| a == i.agent))
        .map(|i| (i.agent, i))
        .collect();
    let picked = loopdesk::quality::sample(&pairs, per_agent as usize, seed);
    let staff = stores.users.list_ticket_staff().await?;
    Ok(picked
        .into_iter()
        .map(|(a, i)| SampleItem {
            kind: i.subject.kind_code().to_owned(),
            id: i.subject.id_text(),
            label: i.label,
            at: i.at,
            agent: RefView {
                id: a.0.to_string(),
                name: staff
                    .iter()
                    .find(|s| s.id == a)
                    .map(|s| s.display_name.clone())
                    .unwrap_or_default(),
            },
        })
        .collect())
}

/// Scores a ticket or call: the agent is the ticket's assignee or the call's agent.
pub async fn add_review(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: ReviewInput,
    locale: Locale,
) -> Result<ReviewView, DeskError> {
    require_supervisor(user)?;
    let card_id = Uuid::parse_str(input.scorecard.trim())
        .map_err(|_| DeskError::invalid("scorecard", Invalid::Unknown))?;
    let card = stores
        .quality
        .scorecards()
        .await?
        .into_iter()
        .find(|c| c.id == card_id)
        .ok_or_else(|| DeskError::invalid("scorecard", Invalid::Unknown))?;
    if !card.active {
        return Err(DeskError::invalid(
            "scorecard",
            Invalid::Quality(loopdesk::quality::QualityError::Inactive),
        ));
    }
    let subject = ReviewSubject::from_parts(input.kind.trim(), input.subject.trim())
        .ok_or_else(|| DeskError::invalid("subject", Invalid::Unknown))?;
    let agent = match &subject {
        ReviewSubject::Ticket(id) => {
            match stores
                .tickets
                .get_ticket(loopdesk::ticket::TicketId(*id))
                .await
            {
                Ok(t) => t.ticket.assignee,
                Err(StoreError::NotFound) => {
                    return Err(DeskError::invalid("subject", Invalid::Unknown))
                }
                Err(e) => return Err(e.into()),
            }
        }
        ReviewSubject::Call(id) => match stores.calls.get_call(id).await? {
            Some(c) => c.agent_user,
            None => return Err(DeskError::invalid("subject", Invalid::Unknown)),
        },
    }
    .ok_or_else(|| DeskError::invalid("agent", Invalid::Unknown))?;
    let total = card
        .total(&input.scores)
        .map_err(|e| DeskError::invalid("scores", Invalid::Quality(e)))?;
    let comment = input.comment.trim().to_owned();
    crate::desk::text("comment", &comment, 2000, false)?;
    let review = Review {
        id: Uuid::new_v4(),
        scorecard: card.id,
        subject,
        agent,
        reviewer: user.id,
        scores: input.scores,
        total,
        comment,
        at: now,
    };
    match stores.quality.add_review(&review).await {
        Ok(()) => {}
        Err(StoreError::Conflict { .. }) => {
            return Err(DeskError::invalid("subject", Invalid::Reviewed))
        }
        Err(e) => return Err(e.into()),
    }
    Ok(review_views(stores, &[review], locale).await?.remove(0))
}

/// The signed-in agent's own reviews (newest first).
pub async fn my_reviews(
    stores: &Stores,
    user: &User,
    locale: Locale,
) -> Result<Vec<ReviewView>, DeskError> {
    if !user.role.is_staff() {
        return Err(DeskError::Forbidden);
    }
    let reviews = stores
        .quality
        .reviews(&ReviewQuery {
            agent: Some(user.id),
            limit: 200,
            ..ReviewQuery::default()
        })
        .await?;
    review_views(stores, &reviews, locale).await
}

// ------------------------------------------------------------------ staffing

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn shift_view(s: &Shift) -> ShiftView {
    ShiftView {
        id: s.id.to_string(),
        agent: s.agent.clone(),
        date: s.date,
        start: hhmm(s.start),
        end: hhmm(s.end),
    }
}

/// The staffing plan for the week starting on the Monday of `week` (default: next week):
/// history from the `history_weeks` weeks before the current one.
pub async fn staffing(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    week: Option<NaiveDate>,
    history_weeks: u32,
    goal: StaffingGoal,
    locale: Locale,
) -> Result<StaffingView, DeskError> {
    require_supervisor(user)?;
    goal.validate()
        .map_err(|e| DeskError::invalid("goal", Invalid::Goal(e)))?;
    if !(1..=26).contains(&history_weeks) {
        return Err(DeskError::invalid("weeks", Invalid::BadDate));
    }
    let tz = center_tz(stores).await?;
    let this_week = staffing::week_start(now.with_timezone(&tz).date_naive());
    let target = staffing::week_start(week.unwrap_or(this_week + Duration::days(7)));
    // History: complete weeks before the current one.
    let first = this_week - Duration::weeks(i64::from(history_weeks));
    let from = local_midnight(tz, first);
    let to = local_midnight(tz, this_week);
    let intervals = stores
        .reports
        .call_intervals(from, to, offset_minutes(tz, from))
        .await?;
    let mut history: Vec<WeekHistory> = (0..history_weeks)
        .map(|i| WeekHistory::empty(first + Duration::weeks(i64::from(i))))
        .collect();
    for iv in &intervals {
        let w = staffing::week_start(iv.day);
        if let Some(h) = history.iter_mut().find(|h| h.week == w) {
            let i = staffing::week_interval(iv.day, NaiveTime::MIN) + iv.slot as usize;
            if let (Some(c), Some(hs), Some(hd)) = (
                h.calls.get_mut(i),
                h.handle_seconds.get_mut(i),
                h.handled.get_mut(i),
            ) {
                *c += iv.offered as u32;
                *hs += iv.talk_seconds;
                *hd += iv.handled as u32;
            }
        }
    }
    let weeks_ahead = ((target - this_week).num_days() / 7).max(1) as u32;
    let forecast = staffing::forecast(&history, weeks_ahead);
    let shifts = stores
        .roster
        .shifts(target, target + Duration::days(7))
        .await?;
    let cover = staffing::coverage(&shifts, target);
    let plan = staffing::plan(&forecast, &cover, &goal);
    let half_hours = |n: u32| f64::from(n) / 2.0;
    let summary = (
        plan.iter().map(|p| half_hours(p.required)).sum(),
        plan.iter().map(|p| half_hours(p.rostered)).sum(),
        plan.iter().filter(|p| p.gap() < 0).count() as u32,
    );
    let rows: Vec<PlanRow> = plan
        .iter()
        .enumerate()
        .filter(|(_, p)| p.required > 0 || p.rostered > 0 || p.calls > 0.0)
        .map(|(i, p)| {
            let day = target + Duration::days((i / INTERVALS_PER_DAY) as i64);
            let minute = (i % INTERVALS_PER_DAY) as u32 * staffing::INTERVAL_MINUTES;
            PlanRow {
                date: day,
                time: format!("{:02}:{:02}", minute / 60, minute % 60),
                calls: p.calls,
                aht_seconds: p.aht_seconds,
                required: p.required,
                rostered: p.rostered,
            }
        })
        .collect();
    let tx = crate::i18n::supervision::st(locale);
    // The chart: one point per hour of the week (the two half hours' maximum).
    let hours = plan.len() / 2;
    let labels: Vec<String> = (0..hours)
        .map(|h| {
            let day = target + Duration::days((h / 24) as i64);
            format!("{} {:02}", day.format("%m-%d"), h % 24)
        })
        .collect();
    let hourly = |f: fn(&staffing::PlanInterval) -> u32| -> Vec<f64> {
        (0..hours)
            .map(|h| f64::from(f(&plan[2 * h]).max(f(&plan[2 * h + 1]))))
            .collect()
    };
    let chart = lines(
        &labels,
        &[
            Series {
                name: tx.required.to_owned(),
                values: hourly(|p| p.required),
            },
            Series {
                name: tx.rostered.to_owned(),
                values: hourly(|p| p.rostered),
            },
        ],
        tx.agents,
    );
    Ok(StaffingView {
        week: target,
        history_weeks,
        trend: forecast.trend,
        goal: (
            goal.service_level,
            goal.threshold_seconds,
            goal.max_occupancy,
        ),
        rows,
        summary,
        chart,
        shifts: shifts.iter().map(shift_view).collect(),
    })
}

/// Adds or changes a shift (supervisors and administrators).
pub async fn save_shift(
    stores: &Stores,
    user: &User,
    input: ShiftInput,
) -> Result<String, DeskError> {
    require_supervisor(user)?;
    let id = match input.id.trim() {
        "" => Uuid::new_v4(),
        id => Uuid::parse_str(id).map_err(|_| DeskError::NotFound)?,
    };
    let time = |text: &str, field: &str| {
        NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map_err(|_| DeskError::invalid(field, Invalid::BadTime))
    };
    let shift = Shift {
        id,
        agent: input.agent.trim().to_owned(),
        date: parse_day(&input.date, "date")?,
        start: time(&input.start, "start")?,
        end: time(&input.end, "end")?,
    };
    crate::desk::text("agent", &shift.agent, 60, true)?;
    shift
        .validate()
        .map_err(|e| DeskError::invalid("end", Invalid::Shift(e)))?;
    stores.roster.put_shift(&shift).await?;
    Ok(id.to_string())
}

/// Removes a shift.
pub async fn delete_shift(stores: &Stores, user: &User, id: &str) -> Result<(), DeskError> {
    require_supervisor(user)?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| DeskError::NotFound)?;
    Ok(stores.roster.delete_shift(id).await?)
}

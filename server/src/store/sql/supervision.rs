//! The SQL implementation (both backends) of the supervision ports: report aggregates (grouped in SQL over
//! the covering `tickets_report` index and hour prefixes of the stored instants; call
//! seconds come stored with each call as `loopdesk::metrics::seconds_between` defines them),
//! quality scorecards and reviews, and the roster.

use async_trait::async_trait;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use super::db::{query, query_scalar, Arg, Builder, Row};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use loopdesk::agent::AgentState;
use loopdesk::metrics::{
    CallSummary, CallTotals, Compliance, FeedbackSource, Satisfaction, TicketTotals,
};
use loopdesk::quality::{Review, ReviewSubject, Scorecard};
use loopdesk::sla::{SlaTarget, TargetState};
use loopdesk::staffing::Shift;
use loopdesk::store::supervision::{
    CallCell, CallInterval, FeedbackCell, OwnerCell, QualityStore, ReportFilter, ReportStore,
    ReviewQuery, RosterStore, StateHistory, TicketCell, TimeCell, WorkItem,
};
use loopdesk::store::StoreError;
use loopdesk::ticket::{Channel, TicketKind, TicketState};
use loopdesk::user::{DepartmentId, UserId};
use uuid::Uuid;

use super::rows::{code, col, corrupt, json, opt_uuid_col, to_json, uuid_col};
use super::{classify, other, parse_ts, parse_uuid, SqlBackend};

fn n(row: &Row, name: &str) -> Result<u64, StoreError> {
    u64::try_from(col::<Option<i64>>(row, name)?.unwrap_or(0))
        .map_err(|_| corrupt(format!("negative {name}")))
}

fn secs(row: &Row, name: &str) -> Result<i64, StoreError> {
    Ok(col::<Option<i64>>(row, name)?.unwrap_or(0))
}

/// The local time of a UTC hour bucket (`2026-11-23T02`) plus `minute`.
fn local_of(utc_hour: &str, minute: i64, offset_minutes: i32) -> Result<NaiveDateTime, StoreError> {
    let start = NaiveDateTime::parse_from_str(&format!("{utc_hour}:00:00"), "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| corrupt(format!("bad hour {utc_hour:?}")))?;
    Ok(start + Duration::minutes(minute + i64::from(offset_minutes)))
}

/// The UTC hour of an instant column as `YYYY-MM-DDTHH` (a prefix of SQLite's stored text).
fn utc_hour(db: &super::db::Db, column: &str) -> String {
    match db.dialect() {
        super::db::Dialect::Sqlite => format!("substr({column}, 1, 13)"),
        super::db::Dialect::Postgres => {
            format!("to_char({column} at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24')")
        }
    }
}

fn open_states() -> String {
    TicketState::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The optional filters, on ticket columns aliased `t`.
fn push_filters(q: &mut Builder, f: &ReportFilter) {
    if let Some(d) = f.department {
        q.push(" and t.department_id = ").push_bind(d.0);
    }
    if let Some(k) = f.kind {
        q.push(" and t.kind = ").push_bind(k.code());
    }
    if let Some(c) = &f.category {
        q.push(" and (t.category = ")
            .push_bind(c.as_str())
            .push(" or t.category like ")
            .push_bind(format!("{}/%", c.replace(['%', '_'], "")))
            .push(")");
    }
    if let Some(c) = f.channel {
        q.push(" and t.channel = ").push_bind(c.code());
    }
    if let Some(a) = f.agent {
        q.push(" and t.assignee_id = ").push_bind(a.0);
    }
}

/// The per-segment call sums, from a row of [`CALL_SUMS`].
fn call_totals(r: &Row) -> Result<CallTotals, StoreError> {
    Ok(CallTotals {
        offered: n(r, "offered")?,
        answered: n(r, "answered")?,
        answered_within: n(r, "answered_within")?,
        abandoned: n(r, "abandoned")?,
        wait_seconds: secs(r, "wait_seconds")?,
        handled: n(r, "handled")?,
        talk_seconds: secs(r, "talk_seconds")?,
        waiting: n(r, "waiting")?,
        in_progress: n(r, "in_progress")?,
    })
}

/// Sums over calls `c` (the definitions of `loopdesk::metrics::CallTotals::add`, with the
/// whole seconds stored by each call write); `$3` is the service-level threshold in seconds.
const CALL_SUMS: &str = "\
    sum(case when c.direction = 'in' and (c.answered_at is not null or c.ended_at is not null) \
        then 1 else 0 end) as offered, \
    sum(case when c.direction = 'in' and c.answered_at is not null then 1 else 0 end) as answered, \
    sum(case when c.direction = 'in' and c.answered_at is not null \
        and coalesce(c.wait_seconds, 0) <= $3 then 1 else 0 end) as answered_within, \
    sum(case when c.direction = 'in' and c.answered_at is null and c.ended_at is not null \
        then 1 else 0 end) as abandoned, \
    sum(case when c.direction = 'in' then coalesce(c.wait_seconds, 0) else 0 end) as wait_seconds, \
    sum(case when c.talk_seconds is not null then 1 else 0 end) as handled, \
    sum(coalesce(c.talk_seconds, 0)) as talk_seconds, \
    sum(case when c.direction = 'in' and c.ringing_at is not null and c.answered_at is null \
        and c.ended_at is null then 1 else 0 end) as waiting, \
    sum(case when c.answered_at is not null and c.ended_at is null then 1 else 0 end) \
        as in_progress";

/// Ticket facts summed by the reports, as (column, expression over tickets `t`). The rollup
/// tables of migration 0008 hold the same columns, kept by triggers with the same
/// definitions.
fn ticket_facts() -> Vec<(String, String)> {
    let answered = "t.state in ('resolved', 'closed')";
    vec![
        ("tickets".into(), "1".into()),
        ("answered".into(), flag(answered)),
        (
            "first_contact".into(),
            flag(&format!(
                "{answered} and t.resolved_on_first_contact = true"
            )),
        ),
        (
            "reopened".into(),
            flag(&format!("{answered} and t.reopen_count > 0")),
        ),
        ("complaints".into(), flag("t.kind = 'complaint'")),
        (
            "serious".into(),
            flag("t.kind = 'complaint' and (t.complexity = 'complex' or t.priority = 'urgent')"),
        ),
    ]
}

/// A condition as 0 or 1 (both dialects: PostgreSQL does not add booleans).
fn flag(condition: &str) -> String {
    format!("(case when {condition} then 1 else 0 end)")
}

/// How many times `part` occurs in the ticket's SLA key (portable: no `instr`/`strpos`).
fn occurrences(part: &str) -> String {
    format!(
        "(length({KEY}) - length(replace({KEY}, '{part}', ''))) / {}",
        part.chars().count()
    )
}

fn totals_of(r: &Row) -> Result<TicketTotals, StoreError> {
    Ok(TicketTotals {
        tickets: n(r, "tickets")?,
        answered: n(r, "answered")?,
        first_contact: n(r, "first_contact")?,
        reopened: n(r, "reopened")?,
        complaints: n(r, "complaints")?,
        serious: n(r, "serious")?,
    })
}

/// The four compliance buckets and the target states each counts.
const BUCKETS: [(&str, &[TargetState]); 4] = [
    ("met", &[TargetState::Met]),
    ("overdue", &[TargetState::Overdue]),
    ("breached", &[TargetState::Breached]),
    ("running", &[TargetState::Running, TargetState::Paused]),
];

/// The rollup column prefix of a target.
fn target_col(t: SlaTarget) -> &'static str {
    match t {
        SlaTarget::Acknowledge => "ack",
        SlaTarget::DispatchAcceptance => "dsp",
        SlaTarget::Resolve => "res",
        SlaTarget::FollowUp => "fup",
    }
}

const KEY: &str = "(';' || t.sla_key || ';')";

/// Per target and bucket: 1 when the ticket's target is in it.
fn target_facts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in SlaTarget::ALL {
        for (bucket, states) in BUCKETS {
            let expr = states
                .iter()
                .map(|s| occurrences(&format!(";{}={};", t.code(), s.code())))
                .collect::<Vec<_>>()
                .join(" + ");
            out.push((format!("{}_{bucket}", target_col(t)), expr));
        }
    }
    out
}

/// Per bucket: how many of the ticket's targets are in it.
fn owner_sla_facts() -> Vec<(String, String)> {
    BUCKETS
        .iter()
        .map(|(bucket, states)| {
            let expr = states
                .iter()
                .map(|s| occurrences(&format!("={};", s.code())))
                .collect::<Vec<_>>()
                .join(" + ");
            (format!("sla_{bucket}"), expr)
        })
        .collect()
}

fn compliance_of(r: &Row, prefix: &str) -> Result<Compliance, StoreError> {
    Ok(Compliance {
        met: n(r, &format!("{prefix}_met"))?,
        overdue: n(r, &format!("{prefix}_overdue"))?,
        breached: n(r, &format!("{prefix}_breached"))?,
        running: n(r, &format!("{prefix}_running"))?,
    })
}

/// `sum(col) as col` over a rollup, or `sum(expr) as col` over the tickets.
fn sums(facts: &[(String, String)], rollup: bool) -> String {
    facts
        .iter()
        .map(|(c, e)| {
            if rollup {
                format!("sum({c}) as {c}")
            } else {
                format!("sum({e}) as {c}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a report range is read: whole rollup units in the middle, the tickets at the
/// partial edges.
struct Plan {
    /// `[from, to)` of whole units, as the rollup's keys.
    rollup: Option<(Arg, Arg)>,
    /// Instant ranges read from the tickets.
    raw: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Splits `[from, to)` at the boundaries `floor` gives (units of `unit`); `key` names a
/// boundary as the rollup does.
fn plan(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    floor: impl Fn(DateTime<Utc>) -> DateTime<Utc>,
    unit: Duration,
    key: impl Fn(DateTime<Utc>) -> Arg,
) -> Plan {
    let first = if floor(from) == from {
        from
    } else {
        floor(from) + unit
    };
    let last = floor(to);
    if first >= last {
        return Plan {
            rollup: None,
            raw: vec![(from, to)],
        };
    }
    let raw = [(from, first), (last, to)]
        .into_iter()
        .filter(|(a, b)| a < b)
        .collect();
    Plan {
        rollup: Some((key(first), key(last))),
        raw,
    }
}

fn raw_only(f: &ReportFilter) -> Plan {
    Plan {
        rollup: None,
        raw: vec![(f.from, f.to)],
    }
}

impl SqlBackend {
    /// SQLite's hint to read open-ticket counts from the load index (PostgreSQL's planner
    /// chooses by itself).
    fn open_load_index(&self) -> &'static str {
        self.db.pick("indexed by tickets_open_load", "")
    }

    /// The local-day offset the rollups are kept at.
    async fn rollup_offset(&self) -> Result<i32, StoreError> {
        let m: i64 = query_scalar("select minutes from report_offset")
            .fetch_one(&self.db)
            .await
            .map_err(other)?;
        i32::try_from(m).map_err(|_| corrupt("bad report offset".into()))
    }

    /// Whole local days from the day rollups when the filter's offset is theirs.
    async fn day_plan(&self, f: &ReportFilter) -> Result<Plan, StoreError> {
        let offset = self.rollup_offset().await?;
        if offset != f.utc_offset_minutes {
            return Ok(raw_only(f));
        }
        let shift = Duration::minutes(i64::from(offset));
        let floor = |t: DateTime<Utc>| {
            let local = (t + shift).date_naive().and_time(NaiveTime::MIN).and_utc();
            local - shift
        };
        let key = |t: DateTime<Utc>| Arg::from((t + shift).date_naive());
        Ok(plan(f.from, f.to, floor, Duration::days(1), key))
    }

    /// Runs `rollup` (a query ending in `where t.<key> >= `, with the name of its key
    /// column) and `raw_sql` (ending in `where t.registered_at >= `) as the plan says, each
    /// followed by the range's end, the filters and `group`.
    async fn planned(
        &self,
        plan: &Plan,
        f: &ReportFilter,
        (rollup_sql, key): (&str, &str),
        raw_sql: &str,
        group: &str,
    ) -> Result<Vec<Row>, StoreError> {
        let mut rows = Vec::new();
        if let Some((a, b)) = &plan.rollup {
            let mut q = Builder::new(rollup_sql);
            q.push_bind(a.clone())
                .push(format!(" and t.{key} < "))
                .push_bind(b.clone());
            push_filters(&mut q, f);
            q.push(group);
            rows.extend(q.build().fetch_all(&self.db).await.map_err(other)?);
        }
        for (a, b) in &plan.raw {
            let mut q = Builder::new(raw_sql);
            q.push_bind(*a)
                .push(" and t.registered_at < ")
                .push_bind(*b);
            push_filters(&mut q, f);
            q.push(group);
            rows.extend(q.build().fetch_all(&self.db).await.map_err(other)?);
        }
        Ok(rows)
    }
}

/// A report cell with its ticket counts.
trait Counted {
    fn tickets(&self) -> u64;
}

impl Counted for TicketCell {
    fn tickets(&self) -> u64 {
        self.totals.tickets
    }
}

impl Counted for OwnerCell {
    fn tickets(&self) -> u64 {
        self.totals.tickets
    }
}

/// Cells read from several sources (rollups and tickets) with equal keys added together by
/// `add`, in first-seen order, without the empty ones (rollup rows a write emptied).
fn merged<K: std::hash::Hash + Eq, C: Counted>(
    cells: Vec<(K, C)>,
    add: impl Fn(&mut C, &C),
) -> Vec<C> {
    let mut out: Vec<C> = Vec::new();
    let mut index: HashMap<K, usize> = HashMap::new();
    for (key, cell) in cells {
        match index.entry(key) {
            Entry::Occupied(e) => add(&mut out[*e.get()], &cell),
            Entry::Vacant(e) => {
                e.insert(out.len());
                out.push(cell);
            }
        }
    }
    out.retain(|c| c.tickets() > 0);
    out
}

#[async_trait]
impl ReportStore for SqlBackend {
    async fn ticket_cells(&self, f: &ReportFilter) -> Result<Vec<TicketCell>, StoreError> {
        let plan = if f.agent.is_some() {
            raw_only(f)
        } else {
            self.day_plan(f).await?
        };
        let facts: Vec<_> = ticket_facts().into_iter().chain(target_facts()).collect();
        let dims = "t.kind, t.channel, t.category, t.department_id";
        let rows = self
            .planned(
                &plan,
                f,
                (
                    &format!(
                        "select {dims}, {} from report_mix t where t.day >= ",
                        sums(&facts, true)
                    ),
                    "day",
                ),
                &format!(
                    "select {dims}, {} from tickets t where t.registered_at >= ",
                    sums(&facts, false)
                ),
                &format!(" group by {dims}"),
            )
            .await?;
        let mut cells = Vec::new();
        for r in &rows {
            let cell = TicketCell {
                kind: code(&col::<String>(r, "kind")?, TicketKind::from_code)?,
                channel: code(&col::<String>(r, "channel")?, Channel::from_code)?,
                category: col(r, "category")?,
                department: DepartmentId(uuid_col(r, "department_id")?),
                totals: totals_of(r)?,
                sla: SlaTarget::ALL
                    .into_iter()
                    .map(|t| Ok((t, compliance_of(r, target_col(t))?)))
                    .collect::<Result<Vec<_>, StoreError>>()?,
            };
            let key = (
                cell.kind,
                cell.channel,
                cell.category.clone(),
                cell.department,
            );
            cells.push((key, cell));
        }
        Ok(merged(cells, |c, add| {
            c.totals = c.totals.plus(&add.totals);
            for ((_, have), (_, more)) in c.sla.iter_mut().zip(&add.sla) {
                *have = have.plus(more);
            }
        }))
    }

    async fn owner_cells(&self, f: &ReportFilter) -> Result<Vec<OwnerCell>, StoreError> {
        // The owner rollup knows departments, assignees and kinds only.
        let plan = if f.agent.is_some() || f.category.is_some() || f.channel.is_some() {
            raw_only(f)
        } else {
            self.day_plan(f).await?
        };
        let facts: Vec<_> = ticket_facts()
            .into_iter()
            .chain(owner_sla_facts())
            .collect();
        let rows = self
            .planned(
                &plan,
                f,
                (
                    &format!(
                        "select t.department_id, t.assignee_id, {} from report_owner t \
                         where t.day >= ",
                        sums(&facts, true)
                    ),
                    "day",
                ),
                &format!(
                    "select t.department_id, {} as assignee_id, {} \
                     from tickets t where t.registered_at >= ",
                    self.db.pick(
                        "coalesce(t.assignee_id, '')",
                        "coalesce(t.assignee_id::text, '')"
                    ),
                    sums(&facts, false)
                ),
                " group by 1, 2",
            )
            .await?;
        let mut cells = Vec::new();
        for r in &rows {
            let cell = OwnerCell {
                department: DepartmentId(uuid_col(r, "department_id")?),
                // No assignee: '' in SQLite's rollup and the raw rows, the nil UUID in
                // PostgreSQL's rollup.
                assignee: match col::<String>(r, "assignee_id")?.as_str() {
                    "" => None,
                    id => Some(UserId(parse_uuid(id)?)).filter(|u| !u.0.is_nil()),
                },
                totals: totals_of(r)?,
                sla: compliance_of(r, "sla")?,
            };
            cells.push(((cell.department, cell.assignee), cell));
        }
        Ok(merged(cells, |c, add| {
            c.totals = c.totals.plus(&add.totals);
            c.sla = c.sla.plus(&add.sla);
        }))
    }

    async fn ticket_times(&self, f: &ReportFilter) -> Result<Vec<TimeCell>, StoreError> {
        // Grouped by UTC hour (the hour rollup, or a cheap prefix of the stored instant),
        // shifted to local time here: exact for whole-hour offsets such as Asia/Shanghai's.
        let plan = if f.agent.is_some() || f.category.is_some() || f.channel.is_some() {
            raw_only(f)
        } else {
            let floor = |t: DateTime<Utc>| {
                t.date_naive()
                    .and_time(NaiveTime::from_hms_opt(t.hour(), 0, 0).unwrap_or(NaiveTime::MIN))
                    .and_utc()
            };
            let key = |t: DateTime<Utc>| Arg::UtcHour(Some(t.naive_utc()));
            plan(f.from, f.to, floor, Duration::hours(1), key)
        };
        let rows = self
            .planned(
                &plan,
                f,
                (
                    &format!(
                        "select {} as utc_hour, sum(t.tickets) as tickets, \
                         sum(case when t.kind = 'complaint' then t.tickets else 0 end) \
                         as complaints from report_hours t where t.utc_hour >= ",
                        self.db
                            .pick("t.utc_hour", "to_char(t.utc_hour, 'YYYY-MM-DD\"T\"HH24')")
                    ),
                    "utc_hour",
                ),
                &format!(
                    "select {} as utc_hour, count(*) as tickets, \
                     sum(case when t.kind = 'complaint' then 1 else 0 end) as complaints \
                     from tickets t where t.registered_at >= ",
                    utc_hour(&self.db, "t.registered_at")
                ),
                " group by 1",
            )
            .await?;
        let mut cells: BTreeMap<(NaiveDate, u32), (u64, u64)> = BTreeMap::new();
        for r in &rows {
            let local = local_of(&col::<String>(r, "utc_hour")?, 0, f.utc_offset_minutes)?;
            let e = cells.entry((local.date(), local.hour())).or_default();
            e.0 += n(r, "tickets")?;
            e.1 += n(r, "complaints")?;
        }
        Ok(cells
            .into_iter()
            .filter(|(_, (tickets, _))| *tickets > 0)
            .map(|((day, hour), (tickets, complaints))| TimeCell {
                day,
                hour,
                tickets,
                complaints,
            })
            .collect())
    }

    async fn feedback_cells(&self, f: &ReportFilter) -> Result<Vec<FeedbackCell>, StoreError> {
        let mut q = Builder::new(
            "select t.department_id, t.assignee_id, t.source, \
             sum(case when t.satisfied then 1 else 0 end) as satisfied, \
             sum(case when t.satisfied then 0 else 1 end) as unsatisfied, \
             sum(t.rating) as rating_sum, count(t.rating) as rated \
             from ticket_feedback t where t.at >= ",
        );
        q.push_bind(f.from).push(" and t.at < ").push_bind(f.to);
        push_filters(&mut q, f);
        q.push(" group by t.department_id, t.assignee_id, t.source");
        let rows = q.build().fetch_all(&self.db).await.map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(FeedbackCell {
                    department: DepartmentId(uuid_col(r, "department_id")?),
                    assignee: opt_uuid_col(r, "assignee_id")?.map(UserId),
                    source: code(&col::<String>(r, "source")?, FeedbackSource::from_code)?,
                    satisfaction: Satisfaction {
                        satisfied: n(r, "satisfied")?,
                        unsatisfied: n(r, "unsatisfied")?,
                        rating_sum: n(r, "rating_sum")?,
                        rated: n(r, "rated")?,
                    },
                })
            })
            .collect()
    }

    async fn call_cells(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        threshold_seconds: i64,
    ) -> Result<Vec<CallCell>, StoreError> {
        let sql = format!(
            "select c.agent_id, c.vip, {CALL_SUMS} from calls c \
             where c.ringing_at >= $1 and c.ringing_at < $2 group by c.agent_id, c.vip"
        );
        let rows = query(&sql)
            .bind(from)
            .bind(to)
            .bind(threshold_seconds)
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        let mut out: Vec<CallCell> = Vec::new();
        for r in &rows {
            let agent = opt_uuid_col(r, "agent_id")?.map(UserId);
            let totals = call_totals(r)?;
            let vip = col::<i64>(r, "vip")? != 0;
            let i = match out.iter().position(|c| c.agent == agent) {
                Some(i) => i,
                None => {
                    out.push(CallCell {
                        agent,
                        summary: CallSummary::default(),
                    });
                    out.len() - 1
                }
            };
            if vip {
                out[i].summary.vip = totals;
            } else {
                out[i].summary.standard = totals;
            }
        }
        Ok(out)
    }

    async fn call_intervals(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        utc_offset_minutes: i32,
    ) -> Result<Vec<CallInterval>, StoreError> {
        // Grouped by UTC half hour, shifted to local time here (exact for offsets in whole
        // half hours).
        let rows = query(format!(
            "select {} as utc_hour, {} as late_half, \
             sum(case when c.answered_at is not null or c.ended_at is not null then 1 else 0 end) \
                 as offered, \
             sum(case when c.talk_seconds is not null then 1 else 0 end) as handled, \
             sum(coalesce(c.talk_seconds, 0)) as talk_seconds \
             from calls c where c.direction = 'in' and c.ringing_at >= $1 and c.ringing_at < $2 \
             group by 1, 2",
            utc_hour(&self.db, "c.ringing_at"),
            self.db.pick(
                "substr(c.ringing_at, 15, 2) >= '30'",
                "extract(minute from c.ringing_at at time zone 'UTC') >= 30",
            ),
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        let mut cells: BTreeMap<(NaiveDate, u32), (u64, u64, i64)> = BTreeMap::new();
        for r in &rows {
            let half = if col::<i64>(r, "late_half")? != 0 {
                30
            } else {
                0
            };
            let local = local_of(&col::<String>(r, "utc_hour")?, half, utc_offset_minutes)?;
            let slot = (local.hour() * 60 + local.minute()) / 30;
            let e = cells.entry((local.date(), slot)).or_default();
            e.0 += n(r, "offered")?;
            e.1 += n(r, "handled")?;
            e.2 += secs(r, "talk_seconds")?;
        }
        Ok(cells
            .into_iter()
            .map(
                |((day, slot), (offered, handled, talk_seconds))| CallInterval {
                    day,
                    slot,
                    offered,
                    handled,
                    talk_seconds,
                },
            )
            .collect())
    }

    async fn state_history(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<StateHistory, StoreError> {
        let before = query(
            "select u.id as user_id, (select x.state from agent_state_log x \
             where x.user_id = u.id and x.at < $1 order by x.at desc, x.id desc limit 1) as state \
             from users u",
        )
        .bind(from)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        let changes = query(
            "select user_id, at, state from agent_state_log where at >= $1 and at < $2 \
             order by at, id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        let mut h = StateHistory::default();
        for r in &before {
            if let Some(state) = col::<Option<String>>(r, "state")? {
                h.before.push((
                    UserId(uuid_col(r, "user_id")?),
                    code(&state, AgentState::from_code)?,
                ));
            }
        }
        for r in &changes {
            h.changes.push((
                UserId(uuid_col(r, "user_id")?),
                parse_ts(&col::<String>(r, "at")?)?,
                code(&col::<String>(r, "state")?, AgentState::from_code)?,
            ));
        }
        Ok(h)
    }

    async fn open_counts(&self) -> Result<Vec<(DepartmentId, TicketState, u64)>, StoreError> {
        let sql = format!(
            // From the (state, department, escalation, SLA key) index alone; SQLite's
            // planner would otherwise pick a narrower index and read every open ticket's row.
            "select department_id, state, count(*) as n from tickets {} \
             where state in ({}) group by department_id, state",
            self.open_load_index(),
            open_states()
        );
        let rows = query(&sql).fetch_all(&self.db).await.map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok((
                    DepartmentId(uuid_col(r, "department_id")?),
                    code(&col::<String>(r, "state")?, TicketState::from_code)?,
                    n(r, "n")?,
                ))
            })
            .collect()
    }

    async fn open_breached(&self) -> Result<u64, StoreError> {
        let sql = format!(
            "select count(*) from tickets {} \
             where state in ({}) and sla_key like '%=breached%'",
            self.open_load_index(),
            open_states()
        );
        let n: i64 = query_scalar(&sql)
            .fetch_one(&self.db)
            .await
            .map_err(other)?;
        u64::try_from(n).map_err(|_| corrupt("negative count".into()))
    }

    async fn customer_count(&self) -> Result<u64, StoreError> {
        let n: i64 = query_scalar("select count(*) from customers")
            .fetch_one(&self.db)
            .await
            .map_err(other)?;
        u64::try_from(n).map_err(|_| corrupt("negative count".into()))
    }

    async fn work_items(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<WorkItem>, StoreError> {
        let tickets = query(
            "select id, number, subject, assignee_id, registered_at from tickets \
             where assignee_id is not null and state in ('resolved', 'closed') \
             and registered_at >= $1 and registered_at < $2 \
             order by registered_at desc limit $3",
        )
        .bind(from)
        .bind(to)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        let calls = query(
            "select call_id, agent_id, direction, from_number, to_number, ringing_at from calls \
             where agent_id is not null and answered_at is not null and ended_at is not null \
             and ringing_at >= $1 and ringing_at < $2 order by ringing_at desc limit $3",
        )
        .bind(from)
        .bind(to)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        let mut out = Vec::with_capacity(tickets.len() + calls.len());
        for r in &tickets {
            out.push(WorkItem {
                agent: UserId(uuid_col(r, "assignee_id")?),
                subject: ReviewSubject::Ticket(uuid_col(r, "id")?),
                label: format!(
                    "{} {}",
                    col::<String>(r, "number")?,
                    col::<String>(r, "subject")?
                ),
                at: parse_ts(&col::<String>(r, "registered_at")?)?,
            });
        }
        for r in &calls {
            let party: String = match col::<String>(r, "direction")?.as_str() {
                "in" => col(r, "from_number")?,
                _ => col(r, "to_number")?,
            };
            out.push(WorkItem {
                agent: UserId(uuid_col(r, "agent_id")?),
                subject: ReviewSubject::Call(col(r, "call_id")?),
                label: party,
                at: parse_ts(&col::<String>(r, "ringing_at")?)?,
            });
        }
        out.sort_by_key(|w| std::cmp::Reverse(w.at));
        Ok(out)
    }
}

// ---------------------------------------------------------------- quality

const REVIEW_COLUMNS: &str = "id, scorecard_id, subject_kind, subject_id, agent_id, reviewer_id, \
     scores, total, comment, at";

fn review_row(r: &Row) -> Result<Review, StoreError> {
    let kind: String = col(r, "subject_kind")?;
    let id: String = col(r, "subject_id")?;
    Ok(Review {
        id: uuid_col(r, "id")?,
        scorecard: uuid_col(r, "scorecard_id")?,
        subject: ReviewSubject::from_parts(&kind, &id)
            .ok_or_else(|| corrupt(format!("bad subject {kind}:{id}")))?,
        agent: UserId(uuid_col(r, "agent_id")?),
        reviewer: UserId(uuid_col(r, "reviewer_id")?),
        scores: json(&col::<String>(r, "scores")?)?,
        total: u32::try_from(col::<i64>(r, "total")?).map_err(|_| corrupt("bad total".into()))?,
        comment: col(r, "comment")?,
        at: parse_ts(&col::<String>(r, "at")?)?,
    })
}

#[async_trait]
impl QualityStore for SqlBackend {
    async fn put_scorecard(&self, card: &Scorecard, now: DateTime<Utc>) -> Result<(), StoreError> {
        query(
            "insert into qa_scorecards (id, name, criteria, active, updated_at) \
             values ($1, $2, $3, $4, $5) on conflict (id) do update set name = excluded.name, \
             criteria = excluded.criteria, active = excluded.active, \
             updated_at = excluded.updated_at",
        )
        .bind(card.id)
        .bind(&card.name)
        .bind(to_json(&card.criteria)?)
        .bind(card.active)
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "scorecard"))?;
        Ok(())
    }

    async fn scorecards(&self) -> Result<Vec<Scorecard>, StoreError> {
        let rows = query("select id, name, criteria, active from qa_scorecards order by name, id")
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(Scorecard {
                    id: uuid_col(r, "id")?,
                    name: col(r, "name")?,
                    criteria: json(&col::<String>(r, "criteria")?)?,
                    active: col::<i64>(r, "active")? != 0,
                })
            })
            .collect()
    }

    async fn add_review(&self, review: &Review) -> Result<(), StoreError> {
        query(
            "insert into qa_reviews (id, scorecard_id, subject_kind, subject_id, agent_id, \
             reviewer_id, scores, total, comment, at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(review.id)
        .bind(review.scorecard)
        .bind(review.subject.kind_code())
        .bind(review.subject.id_text())
        .bind(review.agent.0)
        .bind(review.reviewer.0)
        .bind(to_json(&review.scores)?)
        .bind(i64::from(review.total))
        .bind(&review.comment)
        .bind(review.at)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "review"))?;
        Ok(())
    }

    async fn reviews(&self, q: &ReviewQuery) -> Result<Vec<Review>, StoreError> {
        let mut b = Builder::new(format!(
            "select {REVIEW_COLUMNS} from qa_reviews where 1 = 1"
        ));
        if let Some(a) = q.agent {
            b.push(" and agent_id = ").push_bind(a.0);
        }
        if let Some(from) = q.from {
            b.push(" and at >= ").push_bind(from);
        }
        if let Some(to) = q.to {
            b.push(" and at < ").push_bind(to);
        }
        b.push(" order by at desc, id limit ")
            .push_bind(i64::from(q.limit.clamp(1, 10_000)));
        let rows = b.build().fetch_all(&self.db).await.map_err(other)?;
        rows.iter().map(review_row).collect()
    }

    async fn get_review(&self, id: Uuid) -> Result<Review, StoreError> {
        let sql = format!("select {REVIEW_COLUMNS} from qa_reviews where id = $1");
        let row = query(&sql)
            .bind(id)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "review"))?;
        review_row(&row)
    }
}

// ---------------------------------------------------------------- roster

fn minute_of(t: NaiveTime) -> i64 {
    i64::from(t.hour() * 60 + t.minute())
}

fn time_of(minute: i64) -> Result<NaiveTime, StoreError> {
    let m = u32::try_from(minute).map_err(|_| corrupt("bad minute".into()))?;
    NaiveTime::from_hms_opt(m / 60, m % 60, 0).ok_or_else(|| corrupt("bad minute".into()))
}

#[async_trait]
impl RosterStore for SqlBackend {
    async fn shifts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Shift>, StoreError> {
        let rows = query(
            "select id, agent, day, start_minute, end_minute from roster_shifts \
             where day >= $1 and day < $2 order by day, start_minute, agent, id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|r| {
                let day: String = col(r, "day")?;
                Ok(Shift {
                    id: uuid_col(r, "id")?,
                    agent: col(r, "agent")?,
                    date: NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                        .map_err(|_| corrupt(format!("bad day {day:?}")))?,
                    start: time_of(col(r, "start_minute")?)?,
                    end: time_of(col(r, "end_minute")?)?,
                })
            })
            .collect()
    }

    async fn put_shift(&self, shift: &Shift) -> Result<(), StoreError> {
        query(
            "insert into roster_shifts (id, agent, day, start_minute, end_minute) \
             values ($1, $2, $3, $4, $5) on conflict (id) do update set agent = excluded.agent, \
             day = excluded.day, start_minute = excluded.start_minute, \
             end_minute = excluded.end_minute",
        )
        .bind(shift.id)
        .bind(&shift.agent)
        .bind(shift.date)
        .bind(minute_of(shift.start))
        .bind(minute_of(shift.end))
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "shift"))?;
        Ok(())
    }

    async fn delete_shift(&self, id: Uuid) -> Result<(), StoreError> {
        let done = query("delete from roster_shifts where id = $1")
            .bind(id)
            .execute(&self.db)
            .await
            .map_err(other)?;
        super::rows::found(&done)
    }
}

//! SQLite implementation of the supervision ports: report aggregates (grouped in SQL over
//! the covering `tickets_report` index and hour prefixes of the stored instants; call
//! seconds come stored with each call as `loopdesk::metrics::seconds_between` defines them),
//! quality scorecards and reviews, and the roster.

use async_trait::async_trait;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use loopdesk::agent::AgentState;
use loopdesk::customer::Tier;
use loopdesk::metrics::{
    is_vip, CallSummary, CallTotals, FeedbackSource, Satisfaction, TicketTotals,
};
use loopdesk::quality::{Review, ReviewSubject, Scorecard};
use loopdesk::staffing::Shift;
use loopdesk::store::supervision::{
    CallCell, CallInterval, FeedbackCell, QualityStore, ReportFilter, ReportStore, ReviewQuery,
    RosterStore, StateHistory, TicketCell, TimeCell, WorkItem,
};
use loopdesk::store::StoreError;
use loopdesk::ticket::{Channel, TicketKind, TicketState};
use loopdesk::user::{DepartmentId, UserId};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

use super::rows::{code, col, corrupt, json, opt_uuid_col, to_json, uuid_col};
use super::{classify, other, parse_ts, ts, SqliteBackend};

fn n(row: &SqliteRow, name: &str) -> Result<u64, StoreError> {
    u64::try_from(col::<Option<i64>>(row, name)?.unwrap_or(0))
        .map_err(|_| corrupt(format!("negative {name}")))
}

fn secs(row: &SqliteRow, name: &str) -> Result<i64, StoreError> {
    Ok(col::<Option<i64>>(row, name)?.unwrap_or(0))
}

/// The local time of a UTC hour bucket (`2026-11-23T02`) plus `minute`.
fn local_of(utc_hour: &str, minute: i64, offset_minutes: i32) -> Result<NaiveDateTime, StoreError> {
    let start = NaiveDateTime::parse_from_str(&format!("{utc_hour}:00:00"), "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| corrupt(format!("bad hour {utc_hour:?}")))?;
    Ok(start + Duration::minutes(minute + i64::from(offset_minutes)))
}

fn open_states() -> String {
    TicketState::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn vip_tiers() -> String {
    Tier::ALL
        .into_iter()
        .filter(|t| is_vip(*t))
        .map(|t| format!("'{}'", t.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The optional filters, on ticket columns aliased `t`.
fn push_filters<'a>(q: &mut QueryBuilder<'a, Sqlite>, f: &'a ReportFilter) {
    if let Some(d) = f.department {
        q.push(" and t.department_id = ").push_bind(d.0.to_string());
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
        q.push(" and t.assignee_id = ").push_bind(a.0.to_string());
    }
}

/// The per-segment call sums, from a row of [`CALL_SUMS`].
fn call_totals(r: &SqliteRow) -> Result<CallTotals, StoreError> {
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

#[async_trait]
impl ReportStore for SqliteBackend {
    async fn ticket_cells(&self, f: &ReportFilter) -> Result<Vec<TicketCell>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "select t.kind, t.channel, t.category, t.department_id, t.assignee_id, t.sla_key, \
             count(*) as tickets, \
             sum(t.state in ('resolved', 'closed')) as answered, \
             sum(t.state in ('resolved', 'closed') and t.resolved_on_first_contact = 1) \
                 as first_contact, \
             sum(t.state in ('resolved', 'closed') and t.reopen_count > 0) as reopened, \
             sum(t.kind = 'complaint') as complaints, \
             sum(t.kind = 'complaint' and (t.complexity = 'complex' or t.priority = 'urgent')) \
                 as serious \
             from tickets t where t.registered_at >= ",
        );
        q.push_bind(ts(f.from))
            .push(" and t.registered_at < ")
            .push_bind(ts(f.to));
        push_filters(&mut q, f);
        q.push(
            " group by t.kind, t.channel, t.category, t.department_id, t.assignee_id, t.sla_key",
        );
        let rows = q.build().fetch_all(&self.pool).await.map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(TicketCell {
                    kind: code(&col::<String>(r, "kind")?, TicketKind::from_code)?,
                    channel: code(&col::<String>(r, "channel")?, Channel::from_code)?,
                    category: col(r, "category")?,
                    department: DepartmentId(uuid_col(r, "department_id")?),
                    assignee: opt_uuid_col(r, "assignee_id")?.map(UserId),
                    sla_key: col(r, "sla_key")?,
                    totals: TicketTotals {
                        tickets: n(r, "tickets")?,
                        answered: n(r, "answered")?,
                        first_contact: n(r, "first_contact")?,
                        reopened: n(r, "reopened")?,
                        complaints: n(r, "complaints")?,
                        serious: n(r, "serious")?,
                    },
                })
            })
            .collect()
    }

    async fn ticket_times(&self, f: &ReportFilter) -> Result<Vec<TimeCell>, StoreError> {
        // Grouped by UTC hour (a cheap prefix of the stored instant), shifted to local time
        // here: exact for whole-hour offsets such as Asia/Shanghai's.
        let mut q = QueryBuilder::<Sqlite>::new(
            "select substr(t.registered_at, 1, 13) as utc_hour, count(*) as tickets, \
             sum(t.kind = 'complaint') as complaints from tickets t where t.registered_at >= ",
        );
        q.push_bind(ts(f.from))
            .push(" and t.registered_at < ")
            .push_bind(ts(f.to));
        push_filters(&mut q, f);
        q.push(" group by utc_hour");
        let rows = q.build().fetch_all(&self.pool).await.map_err(other)?;
        let mut cells: BTreeMap<(NaiveDate, u32), (u64, u64)> = BTreeMap::new();
        for r in &rows {
            let local = local_of(&col::<String>(r, "utc_hour")?, 0, f.utc_offset_minutes)?;
            let e = cells.entry((local.date(), local.hour())).or_default();
            e.0 += n(r, "tickets")?;
            e.1 += n(r, "complaints")?;
        }
        Ok(cells
            .into_iter()
            .map(|((day, hour), (tickets, complaints))| TimeCell {
                day,
                hour,
                tickets,
                complaints,
            })
            .collect())
    }

    async fn feedback_cells(&self, f: &ReportFilter) -> Result<Vec<FeedbackCell>, StoreError> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "select t.department_id, t.assignee_id, fb.source, \
             sum(fb.satisfied) as satisfied, sum(1 - fb.satisfied) as unsatisfied, \
             sum(fb.rating) as rating_sum, count(fb.rating) as rated \
             from ticket_feedback fb join tickets t on t.id = fb.ticket_id where fb.at >= ",
        );
        q.push_bind(ts(f.from))
            .push(" and fb.at < ")
            .push_bind(ts(f.to));
        push_filters(&mut q, f);
        q.push(" group by t.department_id, t.assignee_id, fb.source");
        let rows = q.build().fetch_all(&self.pool).await.map_err(other)?;
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
            "select c.agent_id, coalesce(cu.tier in ({}), 0) as vip, {CALL_SUMS} \
             from calls c left join customers cu on cu.id = c.customer_id \
             where c.ringing_at >= $1 and c.ringing_at < $2 group by c.agent_id, vip",
            vip_tiers()
        );
        let rows = sqlx::query(&sql)
            .bind(ts(from))
            .bind(ts(to))
            .bind(threshold_seconds)
            .fetch_all(&self.pool)
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
        let rows = sqlx::query(
            "select substr(c.ringing_at, 1, 13) as utc_hour, \
             substr(c.ringing_at, 15, 2) >= '30' as late_half, \
             sum(case when c.answered_at is not null or c.ended_at is not null then 1 else 0 end) \
                 as offered, \
             sum(case when c.talk_seconds is not null then 1 else 0 end) as handled, \
             sum(coalesce(c.talk_seconds, 0)) as talk_seconds \
             from calls c where c.direction = 'in' and c.ringing_at >= $1 and c.ringing_at < $2 \
             group by utc_hour, late_half",
        )
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pool)
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
        let before = sqlx::query(
            "select u.id as user_id, (select x.state from agent_state_log x \
             where x.user_id = u.id and x.at < $1 order by x.at desc, x.id desc limit 1) as state \
             from users u",
        )
        .bind(ts(from))
        .fetch_all(&self.pool)
        .await
        .map_err(other)?;
        let changes = sqlx::query(
            "select user_id, at, state from agent_state_log where at >= $1 and at < $2 \
             order by at, id",
        )
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pool)
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
            "select department_id, state, count(*) as n from tickets \
             where state in ({}) group by department_id, state",
            open_states()
        );
        let rows = sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await
            .map_err(other)?;
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
            "select count(*) from tickets where state in ({}) and sla_key like '%=breached%'",
            open_states()
        );
        let n: i64 = sqlx::query_scalar(&sql)
            .fetch_one(&self.pool)
            .await
            .map_err(other)?;
        u64::try_from(n).map_err(|_| corrupt("negative count".into()))
    }

    async fn customer_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("select count(*) from customers")
            .fetch_one(&self.pool)
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
        let tickets = sqlx::query(
            "select id, number, subject, assignee_id, registered_at from tickets \
             where assignee_id is not null and state in ('resolved', 'closed') \
             and registered_at >= $1 and registered_at < $2 \
             order by registered_at desc limit $3",
        )
        .bind(ts(from))
        .bind(ts(to))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(other)?;
        let calls = sqlx::query(
            "select call_id, agent_id, direction, from_number, to_number, ringing_at from calls \
             where agent_id is not null and answered_at is not null and ended_at is not null \
             and ringing_at >= $1 and ringing_at < $2 order by ringing_at desc limit $3",
        )
        .bind(ts(from))
        .bind(ts(to))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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

fn review_row(r: &SqliteRow) -> Result<Review, StoreError> {
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
impl QualityStore for SqliteBackend {
    async fn put_scorecard(&self, card: &Scorecard, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "insert into qa_scorecards (id, name, criteria, active, updated_at) \
             values ($1, $2, $3, $4, $5) on conflict (id) do update set name = excluded.name, \
             criteria = excluded.criteria, active = excluded.active, \
             updated_at = excluded.updated_at",
        )
        .bind(card.id.to_string())
        .bind(&card.name)
        .bind(to_json(&card.criteria)?)
        .bind(card.active)
        .bind(ts(now))
        .execute(&self.pool)
        .await
        .map_err(|e| classify(e, "scorecard"))?;
        Ok(())
    }

    async fn scorecards(&self) -> Result<Vec<Scorecard>, StoreError> {
        let rows =
            sqlx::query("select id, name, criteria, active from qa_scorecards order by name, id")
                .fetch_all(&self.pool)
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
        sqlx::query(
            "insert into qa_reviews (id, scorecard_id, subject_kind, subject_id, agent_id, \
             reviewer_id, scores, total, comment, at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(review.id.to_string())
        .bind(review.scorecard.to_string())
        .bind(review.subject.kind_code())
        .bind(review.subject.id_text())
        .bind(review.agent.0.to_string())
        .bind(review.reviewer.0.to_string())
        .bind(to_json(&review.scores)?)
        .bind(i64::from(review.total))
        .bind(&review.comment)
        .bind(ts(review.at))
        .execute(&self.pool)
        .await
        .map_err(|e| classify(e, "review"))?;
        Ok(())
    }

    async fn reviews(&self, q: &ReviewQuery) -> Result<Vec<Review>, StoreError> {
        let mut b = QueryBuilder::<Sqlite>::new(format!(
            "select {REVIEW_COLUMNS} from qa_reviews where 1 = 1"
        ));
        if let Some(a) = q.agent {
            b.push(" and agent_id = ").push_bind(a.0.to_string());
        }
        if let Some(from) = q.from {
            b.push(" and at >= ").push_bind(ts(from));
        }
        if let Some(to) = q.to {
            b.push(" and at < ").push_bind(ts(to));
        }
        b.push(" order by at desc, id limit ")
            .push_bind(i64::from(q.limit.clamp(1, 10_000)));
        let rows = b.build().fetch_all(&self.pool).await.map_err(other)?;
        rows.iter().map(review_row).collect()
    }

    async fn get_review(&self, id: Uuid) -> Result<Review, StoreError> {
        let sql = format!("select {REVIEW_COLUMNS} from qa_reviews where id = $1");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_one(&self.pool)
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
impl RosterStore for SqliteBackend {
    async fn shifts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Shift>, StoreError> {
        let rows = sqlx::query(
            "select id, agent, day, start_minute, end_minute from roster_shifts \
             where day >= $1 and day < $2 order by day, start_minute, agent, id",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
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
        sqlx::query(
            "insert into roster_shifts (id, agent, day, start_minute, end_minute) \
             values ($1, $2, $3, $4, $5) on conflict (id) do update set agent = excluded.agent, \
             day = excluded.day, start_minute = excluded.start_minute, \
             end_minute = excluded.end_minute",
        )
        .bind(shift.id.to_string())
        .bind(&shift.agent)
        .bind(shift.date.to_string())
        .bind(minute_of(shift.start))
        .bind(minute_of(shift.end))
        .execute(&self.pool)
        .await
        .map_err(|e| classify(e, "shift"))?;
        Ok(())
    }

    async fn delete_shift(&self, id: Uuid) -> Result<(), StoreError> {
        let done = sqlx::query("delete from roster_shifts where id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(other)?;
        super::rows::found(&done)
    }
}

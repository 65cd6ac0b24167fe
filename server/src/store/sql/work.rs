//! The SQL implementation (both backends) of the work port: the outbound task list with its attempts, and
//! staff notifications. Ticket writes add and supersede tasks inside their own transaction
//! through [`insert_task`] and [`supersede_tasks`].

use super::db::{query, query_scalar, Builder, Row, Tx};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use loopdesk::customer::CustomerId;
use loopdesk::store::desk::{Notification, NotificationKind, TaskQuery, WorkStore};
use loopdesk::store::StoreError;
use loopdesk::task::{OutboundTask, TaskAttempt, TaskOutcome, TaskReason};
use loopdesk::ticket::TicketId;
use loopdesk::user::{DepartmentId, Role, UserId};
use uuid::Uuid;

use super::rows::{code, col, corrupt, count, opt_ts, opt_uuid_col, uuid_col};
use super::{classify, other, parse_ts, SqlBackend};

pub(super) fn notification_code(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::SlaBreached => "sla_breached",
        NotificationKind::Escalated => "escalated",
    }
}

const TASK_COLUMNS: &str = "id, reason, customer_id, phone, ticket_id, call_id, account_number, \
    department_id, due_at, attempts, assignee_id, outcome, note, created_at, done_at, version";

fn task_from_row(r: &Row) -> Result<OutboundTask, StoreError> {
    Ok(OutboundTask {
        id: uuid_col(r, "id")?,
        reason: code(&col::<String>(r, "reason")?, TaskReason::from_code)?,
        customer: opt_uuid_col(r, "customer_id")?.map(CustomerId),
        phone: col(r, "phone")?,
        ticket: opt_uuid_col(r, "ticket_id")?.map(TicketId),
        call_id: col(r, "call_id")?,
        account: col(r, "account_number")?,
        department: DepartmentId(uuid_col(r, "department_id")?),
        due_at: parse_ts(&col::<String>(r, "due_at")?)?,
        attempts: count(r, "attempts")?,
        assignee: opt_uuid_col(r, "assignee_id")?.map(UserId),
        outcome: col::<Option<String>>(r, "outcome")?
            .map(|o| code(&o, TaskOutcome::from_code))
            .transpose()?,
        note: col(r, "note")?,
        created_at: parse_ts(&col::<String>(r, "created_at")?)?,
        done_at: opt_ts(col(r, "done_at")?)?,
        version: u64::try_from(col::<i64>(r, "version")?)
            .map_err(|_| corrupt("bad version".into()))?,
    })
}

/// Inserts a task; `false` when a unique index says an equivalent one exists.
pub(super) async fn insert_task(conn: &mut Tx, t: &OutboundTask) -> Result<bool, StoreError> {
    let done = query(
        "insert into tasks (id, reason, customer_id, phone, ticket_id, call_id, account_number, \
         department_id, due_at, attempts, assignee_id, outcome, note, created_at, done_at, \
         version) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         on conflict do nothing",
    )
    .bind(t.id)
    .bind(t.reason.code())
    .bind(t.customer.map(|c| c.0))
    .bind(&t.phone)
    .bind(t.ticket.map(|x| x.0))
    .bind(&t.call_id)
    .bind(&t.account)
    .bind(t.department.0)
    .bind(t.due_at)
    .bind(i64::from(t.attempts))
    .bind(t.assignee.map(|u| u.0))
    .bind(t.outcome.map(TaskOutcome::code))
    .bind(&t.note)
    .bind(t.created_at)
    .bind(t.done_at)
    .bind(t.version as i64)
    .execute(&mut *conn)
    .await
    .map_err(|e| classify(e, "task"))?;
    Ok(done.rows_affected() == 1)
}

/// Closes the open tasks of a ticket with the given reasons as superseded.
pub(super) async fn supersede_tasks(
    conn: &mut Tx,
    ticket: TicketId,
    reasons: &[TaskReason],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    for reason in reasons {
        query(
            "update tasks set outcome = 'superseded', done_at = $1, version = version + 1 \
             where ticket_id = $2 and reason = $3 and done_at is null",
        )
        .bind(at)
        .bind(ticket.0)
        .bind(reason.code())
        .execute(&mut *conn)
        .await
        .map_err(other)?;
    }
    Ok(())
}

#[async_trait]
impl WorkStore for SqlBackend {
    async fn tasks(&self, f: &TaskQuery) -> Result<Vec<OutboundTask>, StoreError> {
        let mut q = Builder::new(format!("select {TASK_COLUMNS} from tasks where 1 = 1"));
        if f.open_only {
            q.push(" and done_at is null");
        }
        if let Some(reason) = f.reason {
            q.push(" and reason = ").push_bind(reason.code());
        }
        match f.assignee {
            Some(Some(user)) => {
                q.push(" and assignee_id = ").push_bind(user.0);
            }
            Some(None) => {
                q.push(" and assignee_id is null");
            }
            None => {}
        }
        if let Some(c) = f.customer {
            q.push(" and customer_id = ").push_bind(c.0);
        }
        q.push(match f.open_only {
            true => " order by due_at, id",
            false => " order by done_at is not null, coalesce(done_at, due_at) desc, id",
        });
        q.push(" limit ")
            .push_bind(i64::from(f.limit.clamp(1, 500)));
        let rows = q.build().fetch_all(&self.db).await.map_err(other)?;
        rows.iter().map(task_from_row).collect()
    }

    async fn get_task(&self, id: Uuid) -> Result<OutboundTask, StoreError> {
        let row = query(format!("select {TASK_COLUMNS} from tasks where id = $1"))
            .bind(id)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "task"))?;
        task_from_row(&row)
    }

    async fn add_task(&self, task: &OutboundTask) -> Result<bool, StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        let added = insert_task(&mut tx, task).await?;
        tx.commit().await.map_err(other)?;
        Ok(added)
    }

    async fn update_task(
        &self,
        t: &OutboundTask,
        expected_version: u64,
        attempt: Option<&TaskAttempt>,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        let done = query(
            "update tasks set due_at = $1, attempts = $2, assignee_id = $3, outcome = $4, \
             note = $5, done_at = $6, version = $7 where id = $8 and version = $9",
        )
        .bind(t.due_at)
        .bind(i64::from(t.attempts))
        .bind(t.assignee.map(|u| u.0))
        .bind(t.outcome.map(TaskOutcome::code))
        .bind(&t.note)
        .bind(t.done_at)
        .bind(t.version as i64)
        .bind(t.id)
        .bind(expected_version as i64)
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "task"))?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = query_scalar("select 1 from tasks where id = $1")
                .bind(t.id)
                .fetch_optional(&mut tx)
                .await
                .map_err(other)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict { what: "version" },
                None => StoreError::NotFound,
            });
        }
        if let Some(a) = attempt {
            query(
                "insert into task_attempts (task_id, at, user_id, outcome, note, seq) \
                 values ($1, $2, $3, $4, $5, (select coalesce(max(seq), 0) + 1 \
                 from task_attempts where task_id = $1))",
            )
            .bind(t.id)
            .bind(a.at)
            .bind(a.user.0)
            .bind(a.outcome.code())
            .bind(&a.note)
            .execute(&mut tx)
            .await
            .map_err(|e| classify(e, "attempt"))?;
        }
        tx.commit().await.map_err(other)
    }

    async fn task_attempts(&self, id: Uuid) -> Result<Vec<TaskAttempt>, StoreError> {
        let rows = query(
            "select at, user_id, outcome, note from task_attempts where task_id = $1 \
             order by seq",
        )
        .bind(id)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(TaskAttempt {
                    at: parse_ts(&col::<String>(r, "at")?)?,
                    user: UserId(uuid_col(r, "user_id")?),
                    outcome: code(&col::<String>(r, "outcome")?, TaskOutcome::from_code)?,
                    note: col(r, "note")?,
                })
            })
            .collect()
    }

    async fn ticket_outbound_tasks(&self, id: TicketId) -> Result<Vec<OutboundTask>, StoreError> {
        let rows = query(format!(
            "select {TASK_COLUMNS} from tasks where ticket_id = $1 order by created_at, id"
        ))
        .bind(id.0)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(task_from_row).collect()
    }

    async fn notifications(&self, role: Role, limit: u32) -> Result<Vec<Notification>, StoreError> {
        let rows = query(
            "select id, kind, ticket_id, at from notifications where role = $1 \
             order by at desc, id limit $2",
        )
        .bind(role.code())
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|r| {
                let kind: String = col(r, "kind")?;
                Ok(Notification {
                    id: uuid_col(r, "id")?,
                    role,
                    kind: match kind.as_str() {
                        "sla_breached" => NotificationKind::SlaBreached,
                        "escalated" => NotificationKind::Escalated,
                        other => return Err(corrupt(format!("unknown notification {other}"))),
                    },
                    ticket: TicketId(uuid_col(r, "ticket_id")?),
                    at: parse_ts(&col::<String>(r, "at")?)?,
                })
            })
            .collect()
    }
}

//! The SQL implementation (both backends) of the service-desk ports: customers, tickets with their
//! hash-chained event log, calendars, SLA policies, outbound tasks and notifications.
//!
//! A ticket write starts with the version-checked `update`, so the transaction holds
//! SQLite's write lock from its first statement (no lock upgrade, no busy deadlock), and
//! the event chain is extended from the last stored hash inside the same transaction.

use super::db::{query, query_scalar, Builder, Db, Row, Tx};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use loopdesk::calendar::spec::CalendarSpec;
use loopdesk::call::{CallRecord, Direction};
use loopdesk::customer::{Customer, CustomerId, Tier};
use loopdesk::metrics::{call_seconds, feedback_of, sla_key};
use loopdesk::phrase::Salutation;
use loopdesk::sla::{Policy, TargetStatus};
use loopdesk::store::desk::{
    CallStore, CustomerStore, NewTicket, SlaConfigStore, SlaSnapshot, StoredCalendar, StoredCall,
    TicketDetails, TicketPage, TicketQuery, TicketRecord, TicketSort, TicketStore, TicketSummary,
    TicketWrite,
};
use loopdesk::store::StoreError;
use loopdesk::ticket::event::{EventKind, NewEvent, TicketEvent};
use loopdesk::ticket::{
    Channel, Complexity, ContactTime, Priority, Ticket, TicketId, TicketKind, TicketState,
};
use loopdesk::user::{DepartmentId, UserId};

use super::rows::{code, col, corrupt, count, json, opt_ts, opt_uuid_col, to_json, uuid_col};
use super::{classify, other, parse_ts, parse_uuid, SqlBackend};

fn tier(text: &str) -> Result<Tier, StoreError> {
    code(text, Tier::from_code)
}

// ---------------------------------------------------------------- customers

const CUSTOMER_COLUMNS: &str = "id, name, tier, id_number, salutation";

fn salutation_code(s: Salutation) -> &'static str {
    match s {
        Salutation::Mr => "mr",
        Salutation::Ms => "ms",
    }
}

fn customer_from_row(r: &Row, phones: Vec<String>) -> Result<Customer, StoreError> {
    let salutation: Option<String> = col(r, "salutation")?;
    Ok(Customer {
        id: CustomerId(parse_uuid(&col::<String>(r, "id")?)?),
        name: col(r, "name")?,
        phones,
        tier: tier(&col::<String>(r, "tier")?)?,
        id_number: col(r, "id_number")?,
        salutation: match salutation.as_deref() {
            None => None,
            Some("mr") => Some(Salutation::Mr),
            Some("ms") => Some(Salutation::Ms),
            Some(other) => return Err(corrupt(format!("unknown salutation {other}"))),
        },
    })
}

async fn phones_of(
    pool: &Db,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<String>>, StoreError> {
    let mut out: std::collections::HashMap<String, Vec<String>> = Default::default();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut q =
        Builder::new("select customer_id, phone from customer_phones where customer_id in (");
    let ids: Vec<uuid::Uuid> = ids
        .iter()
        .map(|id| parse_uuid(id))
        .collect::<Result<_, _>>()?;
    q.push_list(ids);
    q.push(") order by customer_id, position");
    for row in q.build().fetch_all(pool).await.map_err(other)? {
        out.entry(col(&row, "customer_id")?)
            .or_default()
            .push(col(&row, "phone")?);
    }
    Ok(out)
}

#[async_trait]
impl CustomerStore for SqlBackend {
    async fn create_customer(&self, c: &Customer, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        query(
            "insert into customers (id, name, tier, id_number, salutation, created_at) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(c.id.0)
        .bind(&c.name)
        .bind(c.tier.code())
        .bind(&c.id_number)
        .bind(c.salutation.map(salutation_code))
        .bind(now)
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "customer"))?;
        for (i, phone) in c.phones.iter().enumerate() {
            query("insert into customer_phones (phone, customer_id, position) values ($1, $2, $3)")
                .bind(phone)
                .bind(c.id.0)
                .bind(i as i64)
                .execute(&mut tx)
                .await
                .map_err(|e| classify(e, "phone"))?;
        }
        tx.commit().await.map_err(other)
    }

    async fn get_customer(&self, id: CustomerId) -> Result<Customer, StoreError> {
        let row = query(format!(
            "select {CUSTOMER_COLUMNS} from customers where id = $1"
        ))
        .bind(id.0)
        .fetch_one(&self.db)
        .await
        .map_err(|e| classify(e, "customer"))?;
        let key: String = col(&row, "id")?;
        let mut phones = phones_of(&self.db, std::slice::from_ref(&key)).await?;
        customer_from_row(&row, phones.remove(&key).unwrap_or_default())
    }

    async fn customers_by_phone(&self, phone: &str) -> Result<Vec<Customer>, StoreError> {
        let ids: Vec<String> =
            query_scalar("select customer_id from customer_phones where phone = $1")
                .bind(phone)
                .fetch_all(&self.db)
                .await
                .map_err(other)?;
        let mut out = Vec::new();
        for id in ids {
            out.push(self.get_customer(CustomerId(parse_uuid(&id)?)).await?);
        }
        Ok(out)
    }

    async fn search_customers(&self, text: &str, limit: u32) -> Result<Vec<Customer>, StoreError> {
        let text = text.trim();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let like = format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let rows = query(
            "select id, name, tier, id_number, salutation from customers c \
             where name like $1 escape '\\' \
             or ($2 <> '' and exists (select 1 from customer_phones p \
                 where p.customer_id = c.id and p.phone like $2 || '%')) \
             order by name, id limit $3",
        )
        .bind(like)
        .bind(digits)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        let ids: Vec<String> = rows
            .iter()
            .map(|r| col(r, "id"))
            .collect::<Result<_, _>>()?;
        let mut phones = phones_of(&self.db, &ids).await?;
        rows.iter()
            .map(|r| {
                let id: String = col(r, "id")?;
                customer_from_row(r, phones.remove(&id).unwrap_or_default())
            })
            .collect()
    }
}

// ---------------------------------------------------------------- tickets

const TICKET_COLUMNS: &str = "t.id, t.number, t.kind, t.channel, t.priority, t.complexity, \
    t.state, t.customer_id, t.tier, t.department_id, t.assignee_id, t.dispatched_from_state, \
    t.dispatched_from_department_id, t.escalation_level, t.reopen_count, \
    t.unreachable_attempts, t.resolved_on_first_contact, t.version, t.subject, t.description, \
    t.category, t.account, t.contact_time, t.registered_at, t.registered_by, t.updated_at, t.sla, t.next_sla_check_at, \
    t.nearest_due_at, t.risk_at";

fn ticket_from_row(row: &Row) -> Result<Ticket, StoreError> {
    let from_state: Option<String> = col(row, "dispatched_from_state")?;
    let from_dept = opt_uuid_col(row, "dispatched_from_department_id")?;
    let dispatched_from = match (from_state, from_dept) {
        (Some(s), Some(d)) => Some((code(&s, TicketState::from_code)?, DepartmentId(d))),
        _ => None,
    };
    Ok(Ticket {
        id: TicketId(uuid_col(row, "id")?),
        kind: code(&col::<String>(row, "kind")?, TicketKind::from_code)?,
        channel: code(&col::<String>(row, "channel")?, Channel::from_code)?,
        customer: CustomerId(uuid_col(row, "customer_id")?),
        tier: tier(&col::<String>(row, "tier")?)?,
        priority: code(&col::<String>(row, "priority")?, Priority::from_code)?,
        complexity: col::<Option<String>>(row, "complexity")?
            .map(|c| code(&c, Complexity::from_code))
            .transpose()?,
        state: code(&col::<String>(row, "state")?, TicketState::from_code)?,
        department: DepartmentId(uuid_col(row, "department_id")?),
        assignee: opt_uuid_col(row, "assignee_id")?.map(UserId),
        dispatched_from,
        escalation_level: count(row, "escalation_level")?,
        reopen_count: count(row, "reopen_count")?,
        unreachable_attempts: count(row, "unreachable_attempts")?,
        resolved_on_first_contact: col::<i64>(row, "resolved_on_first_contact")? != 0,
        version: u64::try_from(col::<i64>(row, "version")?)
            .map_err(|_| corrupt("bad version".into()))?,
    })
}

fn record_from_row(row: &Row) -> Result<TicketRecord, StoreError> {
    Ok(TicketRecord {
        ticket: ticket_from_row(row)?,
        number: col(row, "number")?,
        details: TicketDetails {
            subject: col(row, "subject")?,
            description: col(row, "description")?,
            category: col(row, "category")?,
            account: col(row, "account")?,
            contact_time: col::<Option<String>>(row, "contact_time")?
                .map(|c| code(&c, ContactTime::from_code))
                .transpose()?,
        },
        registered_at: parse_ts(&col::<String>(row, "registered_at")?)?,
        registered_by: opt_uuid_col(row, "registered_by")?.map(UserId),
        updated_at: parse_ts(&col::<String>(row, "updated_at")?)?,
        sla: json::<Vec<TargetStatus>>(&col::<String>(row, "sla")?)?,
        next_check_at: opt_ts(col(row, "next_sla_check_at")?)?,
    })
}

fn summary_from_row(row: &Row) -> Result<TicketSummary, StoreError> {
    let t = ticket_from_row(row)?;
    Ok(TicketSummary {
        id: t.id,
        number: col(row, "number")?,
        kind: t.kind,
        channel: t.channel,
        priority: t.priority,
        state: t.state,
        subject: col(row, "subject")?,
        customer: t.customer,
        customer_name: col(row, "customer_name")?,
        tier: t.tier,
        department: t.department,
        assignee: t.assignee,
        escalation_level: t.escalation_level,
        nearest_due_at: opt_ts(col(row, "nearest_due_at")?)?,
        risk_at: opt_ts(col(row, "risk_at")?)?,
        registered_at: parse_ts(&col::<String>(row, "registered_at")?)?,
        version: t.version,
    })
}

fn event_from_row(row: &Row) -> Result<TicketEvent, StoreError> {
    Ok(TicketEvent {
        ticket: TicketId(uuid_col(row, "ticket_id")?),
        seq: u64::try_from(col::<i64>(row, "seq")?).map_err(|_| corrupt("bad seq".into()))?,
        at: parse_ts(&col::<String>(row, "at")?)?,
        actor: opt_uuid_col(row, "actor_id")?.map(UserId),
        kind: json::<EventKind>(&col::<String>(row, "payload")?)?,
        from: col::<Option<String>>(row, "from_state")?
            .map(|s| code(&s, TicketState::from_code))
            .transpose()?,
        to: code(&col::<String>(row, "to_state")?, TicketState::from_code)?,
        prev_hash: col(row, "prev_hash")?,
        hash: col(row, "hash")?,
    })
}

/// Appends events after the ticket's last one, chaining hashes.
async fn append_events(
    tx: &mut Tx,
    ticket: TicketId,
    events: Vec<NewEvent>,
) -> Result<(), StoreError> {
    let last =
        query("select seq, hash from ticket_events where ticket_id = $1 order by seq desc limit 1")
            .bind(ticket.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(other)?;
    let mut prev: Option<(u64, String)> = match last {
        Some(row) => Some((
            u64::try_from(col::<i64>(&row, "seq")?).map_err(|_| corrupt("bad seq".into()))?,
            col(&row, "hash")?,
        )),
        None => None,
    };
    for e in events {
        let sealed = TicketEvent::seal(ticket, prev.as_ref().map(|(s, h)| (*s, h.as_str())), e)
            .map_err(other)?;
        query(
            "insert into ticket_events (ticket_id, seq, at, actor_id, code, payload, \
             from_state, to_state, prev_hash, hash) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(ticket.0)
        .bind(sealed.seq as i64)
        .bind(sealed.at)
        .bind(sealed.actor.map(|u| u.0))
        .bind(sealed.kind.code())
        .bind(to_json(&sealed.kind)?)
        .bind(sealed.from.map(TicketState::code))
        .bind(sealed.to.code())
        .bind(&sealed.prev_hash)
        .bind(&sealed.hash)
        .execute(&mut *tx)
        .await
        .map_err(|e| classify(e, "event"))?;
        if let Some((source, satisfied, rating)) = feedback_of(&sealed.kind) {
            query(
                "insert into ticket_feedback (ticket_id, seq, at, source, satisfied, rating) \
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(ticket.0)
            .bind(sealed.seq as i64)
            .bind(sealed.at)
            .bind(source.code())
            .bind(satisfied)
            .bind(rating.map(i64::from))
            .execute(&mut *tx)
            .await
            .map_err(|e| classify(e, "event"))?;
        }
        prev = Some((sealed.seq, sealed.hash));
    }
    Ok(())
}

fn push_filters(q: &mut Builder, f: &TicketQuery) {
    q.push(" where 1 = 1");
    if !f.states.is_empty() {
        q.push(" and t.state in (");
        q.push_list(f.states.iter().map(|s| s.code()));
        q.push(")");
    }
    if f.open_only {
        // Listed as an `in` so the (state, …) indexes serve it.
        q.push(" and t.state in (");
        q.push_list(
            TicketState::ALL
                .iter()
                .filter(|s| s.is_open())
                .map(|s| s.code()),
        );
        q.push(")");
    }
    if let Some(k) = f.kind {
        q.push(" and t.kind = ").push_bind(k.code());
    }
    if let Some(d) = f.department {
        q.push(" and t.department_id = ").push_bind(d.0);
    }
    if let Some(a) = f.assignee {
        q.push(" and t.assignee_id = ").push_bind(a.0);
    }
    if let Some(c) = f.customer {
        q.push(" and t.customer_id = ").push_bind(c.0);
    }
    if let Some(at) = f.at_risk_at {
        q.push(" and t.risk_at <= ").push_bind(at);
    }
    if let Some(at) = f.overdue_at {
        q.push(" and t.nearest_due_at <= ").push_bind(at);
    }
    if f.escalated {
        q.push(" and t.escalation_level > 0");
    }
}

#[async_trait]
impl TicketStore for SqlBackend {
    async fn create_ticket(&self, new: NewTicket) -> Result<String, StoreError> {
        let t = &new.ticket;
        let mut tx = self.db.begin().await.map_err(other)?;
        let seq: i64 = query_scalar(
            "insert into ticket_counters (day, last) values ($1, 1) \
             on conflict (day) do update set last = ticket_counters.last + 1 returning last",
        )
        .bind(&new.day)
        .fetch_one(&mut tx)
        .await
        .map_err(other)?;
        let number = format!("T{}-{seq:06}", new.day);
        query(
            "insert into tickets (id, number, kind, channel, priority, complexity, state, \
             customer_id, tier, department_id, assignee_id, dispatched_from_state, \
             dispatched_from_department_id, escalation_level, reopen_count, \
             unreachable_attempts, resolved_on_first_contact, version, subject, description, \
             category, registered_at, registered_by, updated_at, sla, next_sla_check_at, \
             nearest_due_at, risk_at, account, contact_time, sla_key) values ($1, $2, $3, $4, \
             $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
             $22, $23, $24, $25, $26, $27, $28, $29, $30, $31)",
        )
        .bind(t.id.0)
        .bind(&number)
        .bind(t.kind.code())
        .bind(t.channel.code())
        .bind(t.priority.code())
        .bind(t.complexity.map(Complexity::code))
        .bind(t.state.code())
        .bind(t.customer.0)
        .bind(t.tier.code())
        .bind(t.department.0)
        .bind(t.assignee.map(|u| u.0))
        .bind(t.dispatched_from.map(|(s, _)| s.code()))
        .bind(t.dispatched_from.map(|(_, d)| d.0))
        .bind(i64::from(t.escalation_level))
        .bind(i64::from(t.reopen_count))
        .bind(i64::from(t.unreachable_attempts))
        .bind(t.resolved_on_first_contact)
        .bind(t.version as i64)
        .bind(&new.details.subject)
        .bind(&new.details.description)
        .bind(&new.details.category)
        .bind(new.registered_at)
        .bind(new.registered_by.map(|u| u.0))
        .bind(new.registered_at)
        .bind(to_json(&new.sla.targets)?)
        .bind(new.sla.next_check_at)
        .bind(new.sla.nearest_due_at)
        .bind(new.sla.risk_at)
        .bind(&new.details.account)
        .bind(new.details.contact_time.map(ContactTime::code))
        .bind(sla_key(&new.sla.targets))
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "ticket"))?;
        append_events(&mut tx, t.id, new.events).await?;
        tx.commit().await.map_err(other)?;
        Ok(number)
    }

    async fn get_ticket(&self, id: TicketId) -> Result<TicketRecord, StoreError> {
        let sql = format!("select {TICKET_COLUMNS} from tickets t where t.id = $1");
        let row = query(&sql)
            .bind(id.0)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "ticket"))?;
        record_from_row(&row)
    }

    async fn ticket_by_number(&self, number: &str) -> Result<Option<TicketRecord>, StoreError> {
        let sql = format!("select {TICKET_COLUMNS} from tickets t where t.number = $1");
        let row = query(&sql)
            .bind(number)
            .fetch_optional(&self.db)
            .await
            .map_err(other)?;
        row.as_ref().map(record_from_row).transpose()
    }

    async fn ticket_events(&self, id: TicketId) -> Result<Vec<TicketEvent>, StoreError> {
        let rows = query(
            "select ticket_id, seq, at, actor_id, payload, from_state, to_state, prev_hash, \
             hash from ticket_events where ticket_id = $1 order by seq",
        )
        .bind(id.0)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(event_from_row).collect()
    }

    async fn write_ticket(&self, expected_version: u64, w: TicketWrite) -> Result<(), StoreError> {
        let t = &w.ticket;
        let mut tx = self.db.begin().await.map_err(other)?;
        let done = query(
            "update tickets set state = $1, department_id = $2, assignee_id = $3, \
             dispatched_from_state = $4, dispatched_from_department_id = $5, \
             escalation_level = $6, reopen_count = $7, unreachable_attempts = $8, \
             resolved_on_first_contact = $9, version = $10, updated_at = $11, sla = $12, \
             next_sla_check_at = $13, nearest_due_at = $14, risk_at = $15, sla_key = $16 \
             where id = $17 and version = $18",
        )
        .bind(t.state.code())
        .bind(t.department.0)
        .bind(t.assignee.map(|u| u.0))
        .bind(t.dispatched_from.map(|(s, _)| s.code()))
        .bind(t.dispatched_from.map(|(_, d)| d.0))
        .bind(i64::from(t.escalation_level))
        .bind(i64::from(t.reopen_count))
        .bind(i64::from(t.unreachable_attempts))
        .bind(t.resolved_on_first_contact)
        .bind(t.version as i64)
        .bind(w.at)
        .bind(to_json(&w.sla.targets)?)
        .bind(w.sla.next_check_at)
        .bind(w.sla.nearest_due_at)
        .bind(w.sla.risk_at)
        .bind(sla_key(&w.sla.targets))
        .bind(t.id.0)
        .bind(expected_version as i64)
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "ticket"))?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = query_scalar("select 1 from tickets where id = $1")
                .bind(t.id.0)
                .fetch_optional(&mut tx)
                .await
                .map_err(other)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict { what: "version" },
                None => StoreError::NotFound,
            });
        }
        append_events(&mut tx, t.id, w.events).await?;
        for task in &w.outbound {
            super::work::insert_task(&mut tx, task).await?;
        }
        super::work::supersede_tasks(&mut tx, t.id, &w.supersede, w.at).await?;
        for n in &w.notifications {
            query(
                "insert into notifications (id, role, kind, ticket_id, at) \
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(n.id)
            .bind(n.role.code())
            .bind(super::work::notification_code(n.kind))
            .bind(n.ticket.0)
            .bind(n.at)
            .execute(&mut tx)
            .await
            .map_err(|e| classify(e, "notification"))?;
        }
        super::portal::insert_notices(&mut tx, &w.customer_notices).await?;
        tx.commit().await.map_err(other)
    }

    async fn count_tickets(&self, f: &TicketQuery) -> Result<u64, StoreError> {
        let mut q = Builder::new("select count(*) from tickets t");
        push_filters(&mut q, f);
        let total: i64 = q
            .build()
            .scalar()
            .fetch_one(&self.db)
            .await
            .map_err(other)?;
        u64::try_from(total).map_err(|_| super::rows::corrupt("negative count".into()))
    }

    async fn list_tickets(&self, f: &TicketQuery) -> Result<TicketPage, StoreError> {
        let total = self.count_tickets(f).await?;
        let mut q = Builder::new(format!(
            "select {TICKET_COLUMNS}, c.name as customer_name from tickets t \
             join customers c on c.id = t.customer_id"
        ));
        push_filters(&mut q, f);
        q.push(match f.sort {
            TicketSort::NearestDue => {
                " order by t.nearest_due_at is null, t.nearest_due_at, t.registered_at, t.id"
            }
            TicketSort::Newest => " order by t.registered_at desc, t.id",
        });
        let size = f.page_size.clamp(1, 200);
        let offset = i64::from(f.page.max(1) - 1) * i64::from(size);
        q.push(" limit ")
            .push_bind(i64::from(size))
            .push(" offset ")
            .push_bind(offset);
        let rows = q.build().fetch_all(&self.db).await.map_err(other)?;
        Ok(TicketPage {
            items: rows
                .iter()
                .map(summary_from_row)
                .collect::<Result<_, _>>()?,
            total,
        })
    }

    async fn claim_sla_checks(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<TicketId>, StoreError> {
        // SQLite: one writer for the whole transaction; PostgreSQL: the chosen rows are
        // locked and rows another sweeper holds are skipped.
        let mut tx = self.db.begin_immediate().await.map_err(other)?;
        let sql = format!(
            "select id, next_sla_check_at from tickets where next_sla_check_at is not null \
             and next_sla_check_at <= $1 order by next_sla_check_at, id limit $2{}",
            self.db.pick("", " for update skip locked")
        );
        let rows = query(sql)
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&mut tx)
            .await
            .map_err(other)?;
        let mut claimed = rows
            .iter()
            .map(|r| {
                Ok((
                    col::<DateTime<Utc>>(r, "next_sla_check_at")?,
                    TicketId(uuid_col(r, "id")?),
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        if !claimed.is_empty() {
            let mut q = Builder::new("update tickets set next_sla_check_at = ");
            q.push_bind(lease_until)
                .push(" where id in (")
                .push_list(claimed.iter().map(|(_, id)| id.0))
                .push(")");
            q.build().execute(&mut tx).await.map_err(other)?;
        }
        tx.commit().await.map_err(other)?;
        claimed.sort_by_key(|(was, id)| (*was, id.0));
        Ok(claimed.into_iter().map(|(_, id)| id).collect())
    }

    async fn open_ticket_ids(&self) -> Result<Vec<TicketId>, StoreError> {
        let rows: Vec<String> = query_scalar(
            "select id from tickets where state not in ('closed', 'cancelled') order by id",
        )
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(|id| parse_uuid(id).map(TicketId)).collect()
    }

    async fn store_sla(
        &self,
        id: TicketId,
        version: u64,
        sla: SlaSnapshot,
    ) -> Result<(), StoreError> {
        let done = query(
            "update tickets set sla = $1, next_sla_check_at = $2, nearest_due_at = $3, \
             risk_at = $4, sla_key = $5 where id = $6 and version = $7",
        )
        .bind(to_json(&sla.targets)?)
        .bind(sla.next_check_at)
        .bind(sla.nearest_due_at)
        .bind(sla.risk_at)
        .bind(sla_key(&sla.targets))
        .bind(id.0)
        .bind(version as i64)
        .execute(&self.db)
        .await
        .map_err(other)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { what: "version" });
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- configuration

#[async_trait]
impl SlaConfigStore for SqlBackend {
    async fn calendars(&self) -> Result<Vec<StoredCalendar>, StoreError> {
        let rows = query("select code, definition, updated_at from calendars order by code")
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(StoredCalendar {
                    code: col(r, "code")?,
                    spec: json::<CalendarSpec>(&col::<String>(r, "definition")?)?,
                    updated_at: parse_ts(&col::<String>(r, "updated_at")?)?,
                })
            })
            .collect()
    }

    async fn put_calendar(&self, cal: StoredCalendar) -> Result<(), StoreError> {
        query(
            "insert into calendars (code, definition, updated_at) values ($1, $2, $3) \
             on conflict (code) do update set definition = excluded.definition, \
             updated_at = excluded.updated_at",
        )
        .bind(&cal.code)
        .bind(to_json(&cal.spec)?)
        .bind(cal.updated_at)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "calendar"))?;
        Ok(())
    }

    async fn policies(&self) -> Result<Vec<Policy>, StoreError> {
        let rows: Vec<String> =
            query_scalar("select definition from sla_policies order by position")
                .fetch_all(&self.db)
                .await
                .map_err(other)?;
        rows.iter().map(|d| json::<Policy>(d)).collect()
    }

    async fn put_policies(
        &self,
        policies: &[Policy],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        query("delete from sla_policies")
            .execute(&mut tx)
            .await
            .map_err(other)?;
        for (i, p) in policies.iter().enumerate() {
            query(
                "insert into sla_policies (position, definition, updated_at) values ($1, $2, $3)",
            )
            .bind(i as i64)
            .bind(to_json(p)?)
            .bind(now)
            .execute(&mut tx)
            .await
            .map_err(other)?;
        }
        tx.commit().await.map_err(other)
    }
}

// ---------------------------------------------------------------- calls

const CALL_COLUMNS: &str = "call_id, direction, from_number, to_number, customer_number, queue, \
    agent_login, agent_id, customer_id, candidates, ringing_at, answered_at, ended_at, cause, \
    disposition, notes, version";

fn call_from_row(r: &Row) -> Result<StoredCall, StoreError> {
    let direction: String = col(r, "direction")?;
    Ok(StoredCall {
        record: CallRecord {
            call_id: col(r, "call_id")?,
            direction: if direction == "out" {
                Direction::Out
            } else {
                Direction::In
            },
            from: col(r, "from_number")?,
            to: col(r, "to_number")?,
            customer_number: col(r, "customer_number")?,
            queue: col(r, "queue")?,
            agent: col(r, "agent_login")?,
            ringing_at: opt_ts(col(r, "ringing_at")?)?,
            answered_at: opt_ts(col(r, "answered_at")?)?,
            ended_at: opt_ts(col(r, "ended_at")?)?,
            cause: col(r, "cause")?,
        },
        agent_user: opt_uuid_col(r, "agent_id")?.map(UserId),
        customer: opt_uuid_col(r, "customer_id")?.map(CustomerId),
        candidates: count(r, "candidates")?,
        disposition: col(r, "disposition")?,
        notes: col(r, "notes")?,
        version: u64::try_from(col::<i64>(r, "version")?)
            .map_err(|_| corrupt("bad version".into()))?,
    })
}

fn direction_code(d: Direction) -> &'static str {
    match d {
        Direction::In => "in",
        Direction::Out => "out",
    }
}

#[async_trait]
impl CallStore for SqlBackend {
    async fn get_call(&self, call_id: &str) -> Result<Option<StoredCall>, StoreError> {
        let sql = format!("select {CALL_COLUMNS} from calls where call_id = $1");
        let row = query(&sql)
            .bind(call_id)
            .fetch_optional(&self.db)
            .await
            .map_err(other)?;
        row.as_ref().map(call_from_row).transpose()
    }

    async fn insert_call(&self, c: &StoredCall, now: DateTime<Utc>) -> Result<(), StoreError> {
        let r = &c.record;
        query(
            "insert into calls (call_id, direction, from_number, to_number, customer_number, \
             queue, agent_login, agent_id, customer_id, candidates, ringing_at, answered_at, \
             ended_at, cause, disposition, notes, version, updated_at, wait_seconds, talk_seconds) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, \
             $18, $19)",
        )
        .bind(&r.call_id)
        .bind(direction_code(r.direction))
        .bind(&r.from)
        .bind(&r.to)
        .bind(&r.customer_number)
        .bind(&r.queue)
        .bind(&r.agent)
        .bind(c.agent_user.map(|u| u.0))
        .bind(c.customer.map(|u| u.0))
        .bind(i64::from(c.candidates))
        .bind(r.ringing_at)
        .bind(r.answered_at)
        .bind(r.ended_at)
        .bind(&r.cause)
        .bind(&c.disposition)
        .bind(&c.notes)
        .bind(now)
        .bind(call_seconds(r).0)
        .bind(call_seconds(r).1)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "call"))?;
        Ok(())
    }

    async fn update_call(
        &self,
        c: &StoredCall,
        expected_version: u64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let r = &c.record;
        let done = query(
            "update calls set queue = $1, agent_login = $2, agent_id = $3, customer_id = $4, \
             candidates = $5, ringing_at = $6, answered_at = $7, ended_at = $8, cause = $9, \
             disposition = $10, notes = $11, version = version + 1, updated_at = $12, \
             wait_seconds = $15, talk_seconds = $16 where call_id = $13 and version = $14",
        )
        .bind(&r.queue)
        .bind(&r.agent)
        .bind(c.agent_user.map(|u| u.0))
        .bind(c.customer.map(|u| u.0))
        .bind(i64::from(c.candidates))
        .bind(r.ringing_at)
        .bind(r.answered_at)
        .bind(r.ended_at)
        .bind(&r.cause)
        .bind(&c.disposition)
        .bind(&c.notes)
        .bind(now)
        .bind(&r.call_id)
        .bind(expected_version as i64)
        .bind(call_seconds(r).0)
        .bind(call_seconds(r).1)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "call"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { what: "version" });
        }
        Ok(())
    }

    async fn recent_calls(
        &self,
        customer: Option<CustomerId>,
        limit: u32,
    ) -> Result<Vec<StoredCall>, StoreError> {
        let sql = format!(
            "select {CALL_COLUMNS} from calls where ($1 is null or customer_id = $1) \
             order by ringing_at desc, call_id limit $2"
        );
        let rows = query(&sql)
            .bind(customer.map(|c| c.0))
            .bind(i64::from(limit))
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        rows.iter().map(call_from_row).collect()
    }

    async fn link_ticket(&self, call_id: &str, ticket: TicketId) -> Result<(), StoreError> {
        query(
            "insert into call_tickets (call_id, ticket_id) values ($1, $2) on conflict do nothing",
        )
        .bind(call_id)
        .bind(ticket.0)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "call"))?;
        Ok(())
    }

    async fn call_tickets(&self, call_id: &str) -> Result<Vec<TicketId>, StoreError> {
        let ids: Vec<String> = query_scalar(
            "select l.ticket_id from call_tickets l join tickets t on t.id = l.ticket_id \
             where l.call_id = $1 order by t.registered_at, t.id",
        )
        .bind(call_id)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        ids.iter().map(|i| Ok(TicketId(parse_uuid(i)?))).collect()
    }
}

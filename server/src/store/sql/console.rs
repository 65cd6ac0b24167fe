//! The SQL implementation (both backends) of the console ports: billing data, agent states with their
//! change log, standard phrases, API tokens. A billing import is one `BEGIN IMMEDIATE` transaction that
//! compares every record with the stored one, so a re-import changes nothing.

use super::db::{query, Row, Tx};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use loopdesk::agent::{AgentState, AgentStatus, StateSource};
use loopdesk::billing::{
    Account, AccountStatus, Bill, BillItem, Fen, PayMethod, Payment, Period, Usage, UsageKind,
};
use loopdesk::customer::CustomerId;
use loopdesk::phrase::{Phrase, PhraseStep};
use loopdesk::store::console::{
    AgentStateChange, AgentStore, BillingBatch, BillingStore, ImportCounts, PhraseStore, TokenStore,
};
use loopdesk::store::StoreError;
use loopdesk::token::{ApiToken, TokenScope};
use loopdesk::user::UserId;
use uuid::Uuid;

use super::rows::{code, col, corrupt, found, json, opt_ts, to_json, uuid_col};
use super::{classify, other, parse_ts, SqlBackend};

// ---------------------------------------------------------------- billing

const ACCOUNT_COLUMNS: &str = "number, customer_id, plan, status, balance_fen, credit_limit_fen";

fn account_from_row(r: &Row) -> Result<Account, StoreError> {
    Ok(Account {
        number: col(r, "number")?,
        customer: CustomerId(uuid_col(r, "customer_id")?),
        plan: col(r, "plan")?,
        status: code(&col::<String>(r, "status")?, AccountStatus::from_code)?,
        balance: Fen(col(r, "balance_fen")?),
        credit_limit: Fen(col(r, "credit_limit_fen")?),
    })
}

fn date(text: &str) -> Result<NaiveDate, StoreError> {
    text.parse()
        .map_err(|_| corrupt(format!("bad date {text:?}")))
}

fn bill_from_row(r: &Row) -> Result<Bill, StoreError> {
    let period: String = col(r, "period")?;
    Ok(Bill {
        account: col(r, "account_number")?,
        period: Period::parse(&period).ok_or_else(|| corrupt(format!("bad month {period}")))?,
        due_on: date(&col::<String>(r, "due_on")?)?,
        items: json::<Vec<BillItem>>(&col::<String>(r, "items")?)?,
    })
}

fn payment_from_row(r: &Row) -> Result<Payment, StoreError> {
    Ok(Payment {
        reference: col(r, "reference")?,
        account: col(r, "account_number")?,
        paid_at: parse_ts(&col::<String>(r, "paid_at")?)?,
        amount: Fen(col(r, "amount_fen")?),
        method: code(&col::<String>(r, "method")?, PayMethod::from_code)?,
    })
}

fn usage_from_row(r: &Row) -> Result<Usage, StoreError> {
    Ok(Usage {
        account: col(r, "account_number")?,
        day: date(&col::<String>(r, "day")?)?,
        kind: code(&col::<String>(r, "kind")?, UsageKind::from_code)?,
        quantity: col(r, "quantity")?,
        charge: Fen(col(r, "charge_fen")?),
    })
}

/// Counts one record: new, changed or the same as stored.
fn tally(counts: &mut ImportCounts, existing: Option<bool>) {
    match existing {
        None => counts.created += 1,
        Some(true) => counts.unchanged += 1,
        Some(false) => counts.updated += 1,
    }
}

async fn upsert_account(
    conn: &mut Tx,
    a: &Account,
    now: DateTime<Utc>,
) -> Result<Option<bool>, StoreError> {
    let row = query(format!(
        "select {ACCOUNT_COLUMNS} from billing_accounts where number = $1"
    ))
    .bind(&a.number)
    .fetch_optional(&mut *conn)
    .await
    .map_err(other)?;
    let existing = row.as_ref().map(account_from_row).transpose()?;
    if existing.as_ref() == Some(a) {
        return Ok(Some(true));
    }
    query(
        "insert into billing_accounts (number, customer_id, plan, status, balance_fen, \
         credit_limit_fen, updated_at) values ($1, $2, $3, $4, $5, $6, $7) \
         on conflict (number) do update set customer_id = excluded.customer_id, \
         plan = excluded.plan, status = excluded.status, balance_fen = excluded.balance_fen, \
         credit_limit_fen = excluded.credit_limit_fen, updated_at = excluded.updated_at",
    )
    .bind(&a.number)
    .bind(a.customer.0)
    .bind(&a.plan)
    .bind(a.status.code())
    .bind(a.balance.0)
    .bind(a.credit_limit.0)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(|e| classify(e, "account"))?;
    Ok(existing.map(|_| false))
}

async fn upsert_bill(conn: &mut Tx, b: &Bill) -> Result<Option<bool>, StoreError> {
    let row = query(
        "select account_number, period, due_on, items from bills \
         where account_number = $1 and period = $2",
    )
    .bind(&b.account)
    .bind(b.period.to_string())
    .fetch_optional(&mut *conn)
    .await
    .map_err(other)?;
    let existing = row.as_ref().map(bill_from_row).transpose()?;
    if existing.as_ref() == Some(b) {
        return Ok(Some(true));
    }
    query(
        "insert into bills (account_number, period, due_on, total_fen, items) \
         values ($1, $2, $3, $4, $5) on conflict (account_number, period) do update set \
         due_on = excluded.due_on, total_fen = excluded.total_fen, items = excluded.items",
    )
    .bind(&b.account)
    .bind(b.period.to_string())
    .bind(b.due_on)
    .bind(b.total().0)
    .bind(to_json(&b.items)?)
    .execute(&mut *conn)
    .await
    .map_err(|e| classify(e, "bill"))?;
    Ok(existing.map(|_| false))
}

async fn upsert_payment(conn: &mut Tx, p: &Payment) -> Result<Option<bool>, StoreError> {
    let row = query(
        "select reference, account_number, paid_at, amount_fen, method from payments \
         where reference = $1",
    )
    .bind(&p.reference)
    .fetch_optional(&mut *conn)
    .await
    .map_err(other)?;
    let existing = row.as_ref().map(payment_from_row).transpose()?;
    if existing.as_ref() == Some(p) {
        return Ok(Some(true));
    }
    query(
        "insert into payments (reference, account_number, paid_at, amount_fen, method) \
         values ($1, $2, $3, $4, $5) on conflict (reference) do update set \
         account_number = excluded.account_number, paid_at = excluded.paid_at, \
         amount_fen = excluded.amount_fen, method = excluded.method",
    )
    .bind(&p.reference)
    .bind(&p.account)
    .bind(p.paid_at)
    .bind(p.amount.0)
    .bind(p.method.code())
    .execute(&mut *conn)
    .await
    .map_err(|e| classify(e, "payment"))?;
    Ok(existing.map(|_| false))
}

async fn upsert_usage(conn: &mut Tx, u: &Usage) -> Result<Option<bool>, StoreError> {
    let row = query(
        "select account_number, day, kind, quantity, charge_fen from usage_records \
         where account_number = $1 and day = $2 and kind = $3",
    )
    .bind(&u.account)
    .bind(u.day)
    .bind(u.kind.code())
    .fetch_optional(&mut *conn)
    .await
    .map_err(other)?;
    let existing = row.as_ref().map(usage_from_row).transpose()?;
    if existing.as_ref() == Some(u) {
        return Ok(Some(true));
    }
    query(
        "insert into usage_records (account_number, day, kind, quantity, charge_fen) \
         values ($1, $2, $3, $4, $5) on conflict (account_number, day, kind) do update set \
         quantity = excluded.quantity, charge_fen = excluded.charge_fen",
    )
    .bind(&u.account)
    .bind(u.day)
    .bind(u.kind.code())
    .bind(u.quantity)
    .bind(u.charge.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| classify(e, "usage"))?;
    Ok(existing.map(|_| false))
}

/// The advisory lock key billing imports serialise on (PostgreSQL).
const BILLING_IMPORT_LOCK: i64 = 0x4c44_4249_4c4c;

#[async_trait]
impl BillingStore for SqlBackend {
    async fn import_billing(
        &self,
        batch: &BillingBatch,
        now: DateTime<Utc>,
    ) -> Result<ImportCounts, StoreError> {
        let mut tx = self.db.begin_immediate().await.map_err(other)?;
        // One import at a time: each compares records with the stored ones.
        tx.exclusive(BILLING_IMPORT_LOCK).await.map_err(other)?;
        let mut counts = ImportCounts::default();
        for a in &batch.accounts {
            tally(&mut counts, upsert_account(&mut tx, a, now).await?);
        }
        for b in &batch.bills {
            tally(&mut counts, upsert_bill(&mut tx, b).await?);
        }
        for p in &batch.payments {
            tally(&mut counts, upsert_payment(&mut tx, p).await?);
        }
        for u in &batch.usage {
            tally(&mut counts, upsert_usage(&mut tx, u).await?);
        }
        tx.commit().await.map_err(other)?;
        Ok(counts)
    }

    async fn account(&self, number: &str) -> Result<Option<Account>, StoreError> {
        let row = query(format!(
            "select {ACCOUNT_COLUMNS} from billing_accounts where number = $1"
        ))
        .bind(number)
        .fetch_optional(&self.db)
        .await
        .map_err(other)?;
        row.as_ref().map(account_from_row).transpose()
    }

    async fn customer_accounts(&self, customer: CustomerId) -> Result<Vec<Account>, StoreError> {
        let rows = query(format!(
            "select {ACCOUNT_COLUMNS} from billing_accounts where customer_id = $1 order by number"
        ))
        .bind(customer.0)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(account_from_row).collect()
    }

    async fn bills(&self, account: &str, limit: u32) -> Result<Vec<Bill>, StoreError> {
        let rows = query(
            "select account_number, period, due_on, items from bills where account_number = $1 \
             order by period desc limit $2",
        )
        .bind(account)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(bill_from_row).collect()
    }

    async fn payments(&self, account: &str, limit: u32) -> Result<Vec<Payment>, StoreError> {
        let rows = query(
            "select reference, account_number, paid_at, amount_fen, method from payments \
             where account_number = $1 order by paid_at desc, reference limit $2",
        )
        .bind(account)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(payment_from_row).collect()
    }

    async fn usage(
        &self,
        account: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Usage>, StoreError> {
        let rows = query(
            "select account_number, day, kind, quantity, charge_fen from usage_records \
             where account_number = $1 and day >= $2 and day <= $3 order by day, kind",
        )
        .bind(account)
        .bind(from)
        .bind(to)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(usage_from_row).collect()
    }

    async fn owing_accounts(&self, limit: u32) -> Result<Vec<Account>, StoreError> {
        let rows = query(format!(
            "select {ACCOUNT_COLUMNS} from billing_accounts where balance_fen < 0 \
             and status <> 'closed' order by balance_fen, number limit $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(account_from_row).collect()
    }
}

// ---------------------------------------------------------------- agent states

fn status_from_row(r: &Row, at: &str) -> Result<AgentStatus, StoreError> {
    Ok(AgentStatus {
        state: code(&col::<String>(r, "state")?, AgentState::from_code)?,
        reason: col(r, "reason")?,
        call_id: col(r, "call_id")?,
        since: parse_ts(&col::<String>(r, at)?)?,
    })
}

#[async_trait]
impl AgentStore for SqlBackend {
    async fn agent_status(&self, user: UserId) -> Result<Option<(AgentStatus, u64)>, StoreError> {
        let row = query(
            "select state, reason, call_id, since, version from agent_status where user_id = $1",
        )
        .bind(user.0)
        .fetch_optional(&self.db)
        .await
        .map_err(other)?;
        row.map(|r| {
            let version = u64::try_from(col::<i64>(&r, "version")?)
                .map_err(|_| corrupt("bad version".into()))?;
            Ok((status_from_row(&r, "since")?, version))
        })
        .transpose()
    }

    async fn set_agent_status(
        &self,
        c: &AgentStateChange,
        expected: Option<u64>,
    ) -> Result<(), StoreError> {
        let s = &c.status;
        let mut tx = self.db.begin_immediate().await.map_err(other)?;
        let done = match expected {
            None => query(
                "insert into agent_status (user_id, state, reason, call_id, since, version) \
                 values ($1, $2, $3, $4, $5, 1) on conflict (user_id) do nothing",
            )
            .bind(c.user.0)
            .bind(s.state.code())
            .bind(&s.reason)
            .bind(&s.call_id)
            .bind(s.since)
            .execute(&mut tx)
            .await
            .map_err(|e| classify(e, "agent"))?,
            Some(v) => query(
                "update agent_status set state = $1, reason = $2, call_id = $3, since = $4, \
                 version = version + 1 where user_id = $5 and version = $6",
            )
            .bind(s.state.code())
            .bind(&s.reason)
            .bind(&s.call_id)
            .bind(s.since)
            .bind(c.user.0)
            .bind(v as i64)
            .execute(&mut tx)
            .await
            .map_err(other)?,
        };
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { what: "version" });
        }
        query(
            "insert into agent_state_log (user_id, state, reason, call_id, source, at) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(c.user.0)
        .bind(s.state.code())
        .bind(&s.reason)
        .bind(&s.call_id)
        .bind(c.source.code())
        .bind(s.since)
        .execute(&mut tx)
        .await
        .map_err(other)?;
        tx.commit().await.map_err(other)
    }

    async fn agent_statuses(&self) -> Result<Vec<(UserId, AgentStatus)>, StoreError> {
        let rows = query(
            "select user_id, state, reason, call_id, since from agent_status order by user_id",
        )
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok((
                    UserId(uuid_col(r, "user_id")?),
                    status_from_row(r, "since")?,
                ))
            })
            .collect()
    }

    async fn agent_state_log(
        &self,
        user: UserId,
        from: DateTime<Utc>,
    ) -> Result<Vec<AgentStateChange>, StoreError> {
        let rows = query(
            "select state, reason, call_id, source, at from agent_state_log \
             where user_id = $1 and at >= $2 order by at, id",
        )
        .bind(user.0)
        .bind(from)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(AgentStateChange {
                    user,
                    status: status_from_row(r, "at")?,
                    source: code(&col::<String>(r, "source")?, StateSource::from_code)?,
                })
            })
            .collect()
    }
}

// ---------------------------------------------------------------- phrases

#[async_trait]
impl PhraseStore for SqlBackend {
    async fn phrases(&self) -> Result<Vec<Phrase>, StoreError> {
        let rows = query(
            "select id, position, title_zh, title_en, steps, forbidden_zh, forbidden_en \
             from phrases order by position, id",
        )
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(Phrase {
                    id: uuid_col(r, "id")?,
                    position: u32::try_from(col::<i64>(r, "position")?)
                        .map_err(|_| corrupt("bad position".into()))?,
                    title_zh: col(r, "title_zh")?,
                    title_en: col(r, "title_en")?,
                    steps: json::<Vec<PhraseStep>>(&col::<String>(r, "steps")?)?,
                    forbidden_zh: col(r, "forbidden_zh")?,
                    forbidden_en: col(r, "forbidden_en")?,
                })
            })
            .collect()
    }

    async fn put_phrase(&self, p: &Phrase, now: DateTime<Utc>) -> Result<(), StoreError> {
        query(
            "insert into phrases (id, position, title_zh, title_en, steps, forbidden_zh, \
             forbidden_en, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8) \
             on conflict (id) do update set position = excluded.position, \
             title_zh = excluded.title_zh, title_en = excluded.title_en, steps = excluded.steps, \
             forbidden_zh = excluded.forbidden_zh, forbidden_en = excluded.forbidden_en, \
             updated_at = excluded.updated_at",
        )
        .bind(p.id)
        .bind(i64::from(p.position))
        .bind(&p.title_zh)
        .bind(&p.title_en)
        .bind(to_json(&p.steps)?)
        .bind(&p.forbidden_zh)
        .bind(&p.forbidden_en)
        .bind(now)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "phrase"))?;
        Ok(())
    }

    async fn delete_phrase(&self, id: Uuid) -> Result<(), StoreError> {
        let done = query("delete from phrases where id = $1")
            .bind(id)
            .execute(&self.db)
            .await
            .map_err(other)?;
        found(&done)
    }
}

// ---------------------------------------------------------------- API tokens

const TOKEN_COLUMNS: &str = "id, name, prefix, hash, scopes, allow_ips, created_by, created_at, \
    expires_at, revoked_at, last_used_at, acts_as";

fn token_from_row(r: &Row) -> Result<(ApiToken, String), StoreError> {
    let scopes: Vec<String> = json(&col::<String>(r, "scopes")?)?;
    Ok((
        ApiToken {
            id: uuid_col(r, "id")?,
            name: col(r, "name")?,
            prefix: col(r, "prefix")?,
            scopes: scopes
                .iter()
                .map(|s| code(s, TokenScope::from_code))
                .collect::<Result<_, _>>()?,
            created_by: UserId(uuid_col(r, "created_by")?),
            acts_as: r.get::<Option<Uuid>>("acts_as").map_err(other)?.map(UserId),
            created_at: parse_ts(&col::<String>(r, "created_at")?)?,
            expires_at: opt_ts(col(r, "expires_at")?)?,
            revoked_at: opt_ts(col(r, "revoked_at")?)?,
            last_used_at: opt_ts(col(r, "last_used_at")?)?,
            allow_ips: json(&col::<String>(r, "allow_ips")?)?,
        },
        col(r, "hash")?,
    ))
}

#[async_trait]
impl TokenStore for SqlBackend {
    async fn create_token(&self, t: &ApiToken, hash: &str) -> Result<(), StoreError> {
        let scopes: Vec<&str> = t.scopes.iter().map(|s| s.code()).collect();
        query(
            "insert into api_tokens (id, name, prefix, hash, scopes, allow_ips, created_by, \
             created_at, expires_at, revoked_at, last_used_at, acts_as) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(t.id)
        .bind(&t.name)
        .bind(&t.prefix)
        .bind(hash)
        .bind(to_json(&scopes)?)
        .bind(to_json(&t.allow_ips)?)
        .bind(t.created_by.0)
        .bind(t.created_at)
        .bind(t.expires_at)
        .bind(t.revoked_at)
        .bind(t.last_used_at)
        .bind(t.acts_as.map(|u| u.0))
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "token"))?;
        Ok(())
    }

    async fn token_by_prefix(
        &self,
        prefix: &str,
    ) -> Result<Option<(ApiToken, String)>, StoreError> {
        let row = query(format!(
            "select {TOKEN_COLUMNS} from api_tokens where prefix = $1"
        ))
        .bind(prefix)
        .fetch_optional(&self.db)
        .await
        .map_err(other)?;
        row.as_ref().map(token_from_row).transpose()
    }

    async fn tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let rows = query(format!(
            "select {TOKEN_COLUMNS} from api_tokens order by created_at desc, id"
        ))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(|r| Ok(token_from_row(r)?.0)).collect()
    }

    async fn revoke_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        let done =
            query("update api_tokens set revoked_at = coalesce(revoked_at, $1) where id = $2")
                .bind(at)
                .bind(id)
                .execute(&self.db)
                .await
                .map_err(other)?;
        found(&done)
    }

    async fn token_used(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        query("update api_tokens set last_used_at = $1 where id = $2")
            .bind(at)
            .bind(id)
            .execute(&self.db)
            .await
            .map_err(other)?;
        Ok(())
    }
}

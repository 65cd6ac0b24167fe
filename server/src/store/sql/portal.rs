//! The SQL implementation (both backends) of the portal port: verification codes, rate-limit hits,
//! attachments (bytes in a BLOB column) and customer notices. Ticket writes add notices
//! inside their own transaction ([`insert_notices`]).

use super::db::{query, query_scalar, Row, Tx};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use loopdesk::customer::CustomerId;
use loopdesk::portal::attachment::FileKind;
use loopdesk::portal::{CodePurpose, RateBucket, VerificationCode};
use loopdesk::store::portal::{AttachmentMeta, CustomerNotice, NoticeKind, PortalStore};
use loopdesk::store::StoreError;
use loopdesk::ticket::{TicketId, TicketState};
use loopdesk::user::UserId;
use uuid::Uuid;

use super::rows::{code, col, corrupt, opt_uuid_col, uuid_col};
use super::{classify, other, parse_ts, SqlBackend};

fn code_row(r: &Row) -> Result<VerificationCode, StoreError> {
    Ok(VerificationCode {
        phone: col(r, "phone")?,
        purpose: code(&col::<String>(r, "purpose")?, CodePurpose::from_code)?,
        code_hash: col(r, "code_hash")?,
        created_at: parse_ts(&col::<String>(r, "created_at")?)?,
        expires_at: parse_ts(&col::<String>(r, "expires_at")?)?,
        attempts: u32::try_from(col::<i64>(r, "attempts")?)
            .map_err(|_| corrupt("bad attempts".into()))?,
        consumed: col::<i64>(r, "consumed")? != 0,
    })
}

const ATTACHMENT_COLUMNS: &str =
    "id, ticket_id, customer_id, uploaded_by, name, kind, size, sha256, created_at";

fn attachment_row(r: &Row) -> Result<AttachmentMeta, StoreError> {
    Ok(AttachmentMeta {
        id: uuid_col(r, "id")?,
        ticket: TicketId(uuid_col(r, "ticket_id")?),
        customer: CustomerId(uuid_col(r, "customer_id")?),
        uploaded_by: opt_uuid_col(r, "uploaded_by")?.map(UserId),
        name: col(r, "name")?,
        kind: code(&col::<String>(r, "kind")?, FileKind::from_code)?,
        size: u64::try_from(col::<i64>(r, "size")?).map_err(|_| corrupt("bad size".into()))?,
        sha256: col(r, "sha256")?,
        created_at: parse_ts(&col::<String>(r, "created_at")?)?,
    })
}

fn notice_row(r: &Row) -> Result<CustomerNotice, StoreError> {
    Ok(CustomerNotice {
        id: uuid_col(r, "id")?,
        customer: CustomerId(uuid_col(r, "customer_id")?),
        ticket: TicketId(uuid_col(r, "ticket_id")?),
        kind: code(&col::<String>(r, "kind")?, NoticeKind::from_code)?,
        state: code(&col::<String>(r, "state")?, TicketState::from_code)?,
        at: parse_ts(&col::<String>(r, "at")?)?,
        read: col::<i64>(r, "read")? != 0,
    })
}

/// Adds notices inside a ticket write.
pub(super) async fn insert_notices(
    tx: &mut Tx,
    notices: &[CustomerNotice],
) -> Result<(), StoreError> {
    for n in notices {
        query(
            "insert into customer_notices (id, customer_id, ticket_id, kind, state, at, read) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(n.id)
        .bind(n.customer.0)
        .bind(n.ticket.0)
        .bind(n.kind.code())
        .bind(n.state.code())
        .bind(n.at)
        .bind(n.read)
        .execute(&mut *tx)
        .await
        .map_err(|e| classify(e, "notice"))?;
    }
    Ok(())
}

#[async_trait]
impl PortalStore for SqlBackend {
    async fn put_code(&self, c: &VerificationCode) -> Result<(), StoreError> {
        query(
            "insert into verification_codes \
             (phone, purpose, code_hash, created_at, expires_at, attempts, consumed) \
             values ($1, $2, $3, $4, $5, $6, $7) \
             on conflict (phone, purpose) do update set code_hash = excluded.code_hash, \
             created_at = excluded.created_at, expires_at = excluded.expires_at, \
             attempts = excluded.attempts, consumed = excluded.consumed",
        )
        .bind(&c.phone)
        .bind(c.purpose.code())
        .bind(&c.code_hash)
        .bind(c.created_at)
        .bind(c.expires_at)
        .bind(i64::from(c.attempts))
        .bind(c.consumed)
        .execute(&self.db)
        .await
        .map_err(other)?;
        Ok(())
    }

    async fn get_code(
        &self,
        phone: &str,
        purpose: CodePurpose,
    ) -> Result<Option<VerificationCode>, StoreError> {
        query("select * from verification_codes where phone = $1 and purpose = $2")
            .bind(phone)
            .bind(purpose.code())
            .fetch_optional(&self.db)
            .await
            .map_err(other)?
            .as_ref()
            .map(code_row)
            .transpose()
    }

    async fn code_failed(&self, phone: &str, purpose: CodePurpose) -> Result<(), StoreError> {
        query(
            "update verification_codes set attempts = attempts + 1 \
             where phone = $1 and purpose = $2",
        )
        .bind(phone)
        .bind(purpose.code())
        .execute(&self.db)
        .await
        .map_err(other)?;
        Ok(())
    }

    async fn consume_code(&self, phone: &str, purpose: CodePurpose) -> Result<bool, StoreError> {
        let done = query(
            "update verification_codes set consumed = true \
             where phone = $1 and purpose = $2 and consumed = false",
        )
        .bind(phone)
        .bind(purpose.code())
        .execute(&self.db)
        .await
        .map_err(other)?;
        Ok(done.rows_affected() == 1)
    }

    async fn rate_hits(
        &self,
        bucket: RateBucket,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let rows: Vec<String> =
            query_scalar("select at from rate_hits where bucket = $1 and key = $2 and at > $3")
                .bind(bucket.code())
                .bind(key)
                .bind(since)
                .fetch_all(&self.db)
                .await
                .map_err(other)?;
        rows.iter().map(|s| parse_ts(s)).collect()
    }

    async fn record_rate_hit(
        &self,
        bucket: RateBucket,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        query("delete from rate_hits where bucket = $1 and key = $2 and at < $3")
            .bind(bucket.code())
            .bind(key)
            .bind(at - Duration::days(1))
            .execute(&mut tx)
            .await
            .map_err(other)?;
        query("insert into rate_hits (bucket, key, at) values ($1, $2, $3)")
            .bind(bucket.code())
            .bind(key)
            .bind(at)
            .execute(&mut tx)
            .await
            .map_err(other)?;
        tx.commit().await.map_err(other)
    }

    async fn add_attachment(
        &self,
        m: &AttachmentMeta,
        bytes: &[u8],
        max: usize,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        let n: i64 = query_scalar("select count(*) from attachments where ticket_id = $1")
            .bind(m.ticket.0)
            .fetch_one(&mut tx)
            .await
            .map_err(other)?;
        if usize::try_from(n).unwrap_or(usize::MAX) >= max {
            return Err(StoreError::Conflict {
                what: "attachments",
            });
        }
        query(
            "insert into attachments (id, ticket_id, customer_id, uploaded_by, name, kind, \
             size, sha256, data, created_at, position) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(m.id)
        .bind(m.ticket.0)
        .bind(m.customer.0)
        .bind(m.uploaded_by.map(|u| u.0))
        .bind(&m.name)
        .bind(m.kind.code())
        .bind(i64::try_from(m.size).map_err(other)?)
        .bind(&m.sha256)
        .bind(bytes)
        .bind(m.created_at)
        .bind(n)
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "attachment"))?;
        tx.commit().await.map_err(other)
    }

    async fn attachments(&self, ticket: TicketId) -> Result<Vec<AttachmentMeta>, StoreError> {
        let sql = format!(
            "select {ATTACHMENT_COLUMNS} from attachments where ticket_id = $1 \
             order by position"
        );
        query(&sql)
            .bind(ticket.0)
            .fetch_all(&self.db)
            .await
            .map_err(other)?
            .iter()
            .map(attachment_row)
            .collect()
    }

    async fn attachment(&self, id: Uuid) -> Result<(AttachmentMeta, Vec<u8>), StoreError> {
        let sql = format!("select {ATTACHMENT_COLUMNS}, data from attachments where id = $1");
        let row = query(&sql)
            .bind(id)
            .fetch_optional(&self.db)
            .await
            .map_err(other)?
            .ok_or(StoreError::NotFound)?;
        let data: Vec<u8> = row.get("data").map_err(other)?;
        Ok((attachment_row(&row)?, data))
    }

    async fn notices(
        &self,
        customer: CustomerId,
        limit: u32,
    ) -> Result<Vec<CustomerNotice>, StoreError> {
        query(
            "select * from customer_notices where customer_id = $1 \
             order by at desc, id limit $2",
        )
        .bind(customer.0)
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(other)?
        .iter()
        .map(notice_row)
        .collect()
    }

    async fn unread_notices(&self, customer: CustomerId) -> Result<u64, StoreError> {
        let n: i64 = query_scalar(
            "select count(*) from customer_notices where customer_id = $1 and read = false",
        )
        .bind(customer.0)
        .fetch_one(&self.db)
        .await
        .map_err(other)?;
        u64::try_from(n).map_err(other)
    }

    async fn mark_notices_read(&self, customer: CustomerId) -> Result<u64, StoreError> {
        let done = query(
            "update customer_notices set read = true where customer_id = $1 and read = false",
        )
        .bind(customer.0)
        .execute(&self.db)
        .await
        .map_err(other)?;
        Ok(done.rows_affected())
    }
}

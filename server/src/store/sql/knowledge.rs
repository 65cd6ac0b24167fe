//! The SQL implementation (both backends) of the knowledge ports: articles and versions, votes, uses,
//! categories, synonyms, zero-result queries, SOP flows with frozen versions, runs and bot
//! conversations.

use super::db::{query, query_scalar, Row, Tx};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use loopdesk::customer::CustomerId;
use loopdesk::flow::{Flow, FlowDef, Run, RunStatus};
use loopdesk::kb::bot::Conversation;
use loopdesk::kb::search::SynonymGroup;
use loopdesk::kb::{Article, ArticleContent, ArticleStatus, Audience};
use loopdesk::store::knowledge::{
    ArticleFilter, ArticleRecord, ArticleVersion, BotSession, Category, FlowRun, FlowStore,
    KnowledgeStore, SuggestionUse, ZeroResult,
};
use loopdesk::store::StoreError;
use loopdesk::ticket::TicketId;
use loopdesk::user::UserId;
use uuid::Uuid;

use super::rows::{code, col, corrupt, count, found, json, opt_uuid_col, to_json, uuid_col};
use super::{classify, other, parse_ts, SqlBackend};

/// After an update with a row-version check changed nothing: `Conflict` when the row
/// exists, `NotFound` when it does not.
async fn stale_or_missing(tx: &mut Tx, table: &'static str, id: Uuid) -> StoreError {
    let sql = format!("select 1 from {table} where id = $1");
    match query_scalar::<i64>(sql)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
    {
        Ok(Some(_)) => StoreError::Conflict { what: "version" },
        Ok(None) => StoreError::NotFound,
        Err(e) => other(e),
    }
}

fn u64_col(row: &Row, name: &str) -> Result<u64, StoreError> {
    u64::try_from(col::<i64>(row, name)?).map_err(|_| corrupt(format!("bad {name}")))
}

const ARTICLE_COLUMNS: &str = "a.id, a.status, a.content, a.author_id, a.reviewer_id, \
    a.version, a.live_version, a.rev, a.views, a.used, a.created_at, a.updated_at, \
    (select count(*) from kb_votes v where v.article_id = a.id and v.helpful = true) as helpful, \
    (select count(*) from kb_votes v where v.article_id = a.id and v.helpful = false) as not_helpful";

fn article_row(r: &Row) -> Result<ArticleRecord, StoreError> {
    let live: Option<i64> = col(r, "live_version")?;
    Ok(ArticleRecord {
        article: Article {
            id: uuid_col(r, "id")?,
            content: json::<ArticleContent>(&col::<String>(r, "content")?)?,
            status: code(&col::<String>(r, "status")?, ArticleStatus::from_code)?,
            author: UserId(uuid_col(r, "author_id")?),
            reviewer: opt_uuid_col(r, "reviewer_id")?.map(UserId),
            version: count(r, "version")?,
            live: live
                .map(|v| u32::try_from(v).map_err(|_| corrupt("bad live version".into())))
                .transpose()?,
            updated_at: parse_ts(&col::<String>(r, "updated_at")?)?,
        },
        rev: count(r, "rev")?,
        views: u64_col(r, "views")?,
        helpful: u64_col(r, "helpful")?,
        not_helpful: u64_col(r, "not_helpful")?,
        used: u64_col(r, "used")?,
        created_at: parse_ts(&col::<String>(r, "created_at")?)?,
    })
}

async fn insert_version(tx: &mut Tx, a: &Article) -> Result<(), StoreError> {
    query(
        "insert into kb_article_versions (article_id, version, content, audience, category, \
         editor_id, saved_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a.id)
    .bind(i64::from(a.version))
    .bind(to_json(&a.content)?)
    .bind(a.content.audience.code())
    .bind(&a.content.category)
    .bind(a.author.0)
    .bind(a.updated_at)
    .execute(&mut *tx)
    .await
    .map_err(|e| classify(e, "article version"))?;
    Ok(())
}

fn version_row(r: &Row) -> Result<ArticleVersion, StoreError> {
    Ok(ArticleVersion {
        version: count(r, "version")?,
        content: json(&col::<String>(r, "content")?)?,
        editor: UserId(uuid_col(r, "editor_id")?),
        saved_at: parse_ts(&col::<String>(r, "saved_at")?)?,
    })
}

#[async_trait]
impl KnowledgeStore for SqlBackend {
    async fn create_article(&self, a: &Article, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        query(
            "insert into kb_articles (id, status, content, author_id, reviewer_id, version, \
             live_version, live_audience, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(a.id)
        .bind(a.status.code())
        .bind(to_json(&a.content)?)
        .bind(a.author.0)
        .bind(a.reviewer.map(|u| u.0))
        .bind(i64::from(a.version))
        .bind(a.live.map(i64::from))
        .bind(a.live.map(|_| a.content.audience.code()))
        .bind(now)
        .bind(a.updated_at)
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "article"))?;
        insert_version(&mut tx, a).await?;
        tx.commit().await.map_err(other)
    }

    async fn save_article(
        &self,
        a: &Article,
        rev: u32,
        new_version: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        if new_version {
            insert_version(&mut tx, a).await?;
        }
        let done = query(
            "update kb_articles set status = $1, content = $2, author_id = $3, reviewer_id = $4, \
             version = $5, live_version = $6, live_audience = (select audience from \
             kb_article_versions where article_id = $7 and version = $6), rev = rev + 1, \
             updated_at = $8 where id = $7 and rev = $9",
        )
        .bind(a.status.code())
        .bind(to_json(&a.content)?)
        .bind(a.author.0)
        .bind(a.reviewer.map(|u| u.0))
        .bind(i64::from(a.version))
        .bind(a.live.map(i64::from))
        .bind(a.id)
        .bind(a.updated_at)
        .bind(i64::from(rev))
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "article"))?;
        if done.rows_affected() == 0 {
            return Err(stale_or_missing(&mut tx, "kb_articles", a.id).await);
        }
        tx.commit().await.map_err(other)
    }

    async fn article(&self, id: Uuid) -> Result<ArticleRecord, StoreError> {
        let sql = format!("select {ARTICLE_COLUMNS} from kb_articles a where a.id = $1");
        let row = query(&sql)
            .bind(id)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "article"))?;
        article_row(&row)
    }

    async fn article_version(&self, id: Uuid, version: u32) -> Result<ArticleVersion, StoreError> {
        let row = query(
            "select version, content, editor_id, saved_at from kb_article_versions \
             where article_id = $1 and version = $2",
        )
        .bind(id)
        .bind(i64::from(version))
        .fetch_one(&self.db)
        .await
        .map_err(|e| classify(e, "article version"))?;
        version_row(&row)
    }

    async fn article_versions(&self, id: Uuid) -> Result<Vec<ArticleVersion>, StoreError> {
        let rows = query(
            "select version, content, editor_id, saved_at from kb_article_versions \
             where article_id = $1 order by version desc",
        )
        .bind(id)
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter().map(version_row).collect()
    }

    async fn articles(&self, f: &ArticleFilter) -> Result<Vec<ArticleRecord>, StoreError> {
        let sql = format!(
            "select {ARTICLE_COLUMNS} from kb_articles a \
             where ($1 is null or a.status = $1) \
             and ($2 is null or a.live_audience = $2 or ($2 = 'internal' and a.live_audience is not null)) \
             and ($3 is null or exists (select 1 from kb_article_versions v where v.article_id = a.id \
                  and v.version = coalesce(a.live_version, a.version) \
                  and (v.category = $3 or v.category like $3 || '/%'))) \
             order by a.updated_at desc limit $4"
        );
        let rows = query(&sql)
            .bind(f.status.map(ArticleStatus::code))
            .bind(f.live_audience.map(Audience::code))
            .bind(f.category.as_deref())
            .bind(i64::from(f.limit.clamp(1, 1000)))
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        rows.iter().map(article_row).collect()
    }

    async fn live_articles(&self) -> Result<Vec<(Uuid, ArticleContent)>, StoreError> {
        let rows = query(
            "select a.id, v.content from kb_articles a join kb_article_versions v \
             on v.article_id = a.id and v.version = a.live_version",
        )
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|r| Ok((uuid_col(r, "id")?, json(&col::<String>(r, "content")?)?)))
            .collect()
    }

    async fn count_view(&self, id: Uuid) -> Result<(), StoreError> {
        let done = query("update kb_articles set views = views + 1 where id = $1")
            .bind(id)
            .execute(&self.db)
            .await
            .map_err(other)?;
        found(&done)
    }

    async fn vote(
        &self,
        id: Uuid,
        voter: &str,
        helpful: bool,
        at: DateTime<Utc>,
    ) -> Result<(u64, u64), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        query(
            "insert into kb_votes (article_id, voter, helpful, at) values ($1, $2, $3, $4) \
             on conflict (article_id, voter) do update set helpful = excluded.helpful, \
             at = excluded.at",
        )
        .bind(id)
        .bind(voter)
        .bind(helpful)
        .bind(at)
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "vote"))?;
        let row = query(
            "select coalesce(sum(case when helpful then 1 else 0 end), 0) as yes, \
             coalesce(sum(case when helpful then 0 else 1 end), 0) as no \
             from kb_votes where article_id = $1",
        )
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .map_err(other)?;
        let counts = (u64_col(&row, "yes")?, u64_col(&row, "no")?);
        tx.commit().await.map_err(other)?;
        Ok(counts)
    }

    async fn record_use(&self, u: &SuggestionUse) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        query(
            "insert into kb_uses (kind, target_id, ticket_id, user_id, at) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(u.kind.code())
        .bind(u.target)
        .bind(u.ticket.map(|t| t.0))
        .bind(u.user.0)
        .bind(u.at)
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "use"))?;
        query("update kb_articles set used = used + 1 where id = $1")
            .bind(u.target)
            .execute(&mut tx)
            .await
            .map_err(other)?;
        tx.commit().await.map_err(other)
    }

    async fn categories(&self) -> Result<Vec<Category>, StoreError> {
        let rows = query("select path, name_zh, name_en from kb_categories order by path")
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(Category {
                    path: col(r, "path")?,
                    name_zh: col(r, "name_zh")?,
                    name_en: col(r, "name_en")?,
                })
            })
            .collect()
    }

    async fn put_category(&self, c: &Category) -> Result<(), StoreError> {
        query(
            "insert into kb_categories (path, name_zh, name_en) values ($1, $2, $3) \
             on conflict (path) do update set name_zh = excluded.name_zh, \
             name_en = excluded.name_en",
        )
        .bind(&c.path)
        .bind(&c.name_zh)
        .bind(&c.name_en)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "category"))?;
        Ok(())
    }

    async fn synonyms(&self) -> Result<Vec<SynonymGroup>, StoreError> {
        let rows = query("select id, words from kb_synonyms order by words")
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(SynonymGroup {
                    id: uuid_col(r, "id")?,
                    words: json(&col::<String>(r, "words")?)?,
                })
            })
            .collect()
    }

    async fn put_synonym(&self, g: &SynonymGroup) -> Result<(), StoreError> {
        query(
            "insert into kb_synonyms (id, words) values ($1, $2) \
             on conflict (id) do update set words = excluded.words",
        )
        .bind(g.id)
        .bind(to_json(&g.words)?)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "synonym"))?;
        Ok(())
    }

    async fn delete_synonym(&self, id: Uuid) -> Result<(), StoreError> {
        let done = query("delete from kb_synonyms where id = $1")
            .bind(id)
            .execute(&self.db)
            .await
            .map_err(other)?;
        found(&done)
    }

    async fn record_zero_result(
        &self,
        text: &str,
        audience: Audience,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        query(
            "insert into kb_zero_results (query, audience, count, last_at) values ($1, $2, 1, $3) \
             on conflict (query, audience) do update set count = kb_zero_results.count + 1, \
             last_at = excluded.last_at",
        )
        .bind(text)
        .bind(audience.code())
        .bind(at)
        .execute(&self.db)
        .await
        .map_err(other)?;
        Ok(())
    }

    async fn zero_results(&self, limit: u32) -> Result<Vec<ZeroResult>, StoreError> {
        let rows = query(
            "select query, audience, count, last_at from kb_zero_results \
             order by count desc, last_at desc limit $1",
        )
        .bind(i64::from(limit.clamp(1, 500)))
        .fetch_all(&self.db)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|r| {
                Ok(ZeroResult {
                    query: col(r, "query")?,
                    audience: code(&col::<String>(r, "audience")?, Audience::from_code)?,
                    count: u64_col(r, "count")?,
                    last_at: parse_ts(&col::<String>(r, "last_at")?)?,
                })
            })
            .collect()
    }
}

const FLOW_COLUMNS: &str = "id, def, audience, category, keywords, live_version, rev, updated_at";

fn flow_row(r: &Row) -> Result<Flow, StoreError> {
    let live: Option<i64> = col(r, "live_version")?;
    Ok(Flow {
        id: uuid_col(r, "id")?,
        def: json(&col::<String>(r, "def")?)?,
        audience: code(&col::<String>(r, "audience")?, Audience::from_code)?,
        category: col(r, "category")?,
        keywords: json(&col::<String>(r, "keywords")?)?,
        live: live
            .map(|v| u32::try_from(v).map_err(|_| corrupt("bad live version".into())))
            .transpose()?,
        rev: count(r, "rev")?,
        updated_at: parse_ts(&col::<String>(r, "updated_at")?)?,
    })
}

const RUN_COLUMNS: &str =
    "id, flow_id, version, run, user_id, customer_id, ticket_id, rev, started_at, updated_at";

fn run_row(r: &Row) -> Result<FlowRun, StoreError> {
    Ok(FlowRun {
        id: uuid_col(r, "id")?,
        flow: uuid_col(r, "flow_id")?,
        version: count(r, "version")?,
        run: json::<Run>(&col::<String>(r, "run")?)?,
        user: UserId(uuid_col(r, "user_id")?),
        customer: opt_uuid_col(r, "customer_id")?.map(CustomerId),
        ticket: opt_uuid_col(r, "ticket_id")?.map(TicketId),
        rev: count(r, "rev")?,
        started_at: parse_ts(&col::<String>(r, "started_at")?)?,
        updated_at: parse_ts(&col::<String>(r, "updated_at")?)?,
    })
}

fn session_row(r: &Row) -> Result<BotSession, StoreError> {
    Ok(BotSession {
        id: uuid_col(r, "id")?,
        user: UserId(uuid_col(r, "user_id")?),
        conversation: json::<Conversation>(&col::<String>(r, "conversation")?)?,
        rev: count(r, "rev")?,
        started_at: parse_ts(&col::<String>(r, "started_at")?)?,
        updated_at: parse_ts(&col::<String>(r, "updated_at")?)?,
    })
}

#[async_trait]
impl FlowStore for SqlBackend {
    async fn create_flow(&self, f: &Flow, by: UserId) -> Result<(), StoreError> {
        query(
            "insert into flows (id, title, def, audience, category, keywords, live_version, \
             updated_by, updated_at) values ($1, $2, $3, $4, $5, $6, null, $7, $8)",
        )
        .bind(f.id)
        .bind(&f.def.title_zh)
        .bind(to_json(&f.def)?)
        .bind(f.audience.code())
        .bind(&f.category)
        .bind(to_json(&f.keywords)?)
        .bind(by.0)
        .bind(f.updated_at)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "flow"))?;
        Ok(())
    }

    async fn save_flow(&self, f: &Flow, rev: u32, by: UserId) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        let done = query(
            "update flows set title = $1, def = $2, audience = $3, category = $4, keywords = $5, \
             rev = rev + 1, updated_by = $6, updated_at = $7 where id = $8 and rev = $9",
        )
        .bind(&f.def.title_zh)
        .bind(to_json(&f.def)?)
        .bind(f.audience.code())
        .bind(&f.category)
        .bind(to_json(&f.keywords)?)
        .bind(by.0)
        .bind(f.updated_at)
        .bind(f.id)
        .bind(i64::from(rev))
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "flow"))?;
        if done.rows_affected() == 0 {
            return Err(stale_or_missing(&mut tx, "flows", f.id).await);
        }
        tx.commit().await.map_err(other)
    }

    async fn publish_flow(
        &self,
        id: Uuid,
        def: &FlowDef,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        let next: i64 = query_scalar(
            "select coalesce(max(version), 0) + 1 from flow_versions where flow_id = $1",
        )
        .bind(id)
        .fetch_one(&mut tx)
        .await
        .map_err(other)?;
        query(
            "insert into flow_versions (flow_id, version, def, published_by, published_at) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(next)
        .bind(to_json(def)?)
        .bind(by.0)
        .bind(at)
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "flow version"))?;
        query("update flows set live_version = $1, rev = rev + 1 where id = $2")
            .bind(next)
            .bind(id)
            .execute(&mut tx)
            .await
            .map_err(other)?;
        tx.commit().await.map_err(other)?;
        u32::try_from(next).map_err(|_| corrupt("bad version".into()))
    }

    async fn flow(&self, id: Uuid) -> Result<Flow, StoreError> {
        let sql = format!("select {FLOW_COLUMNS} from flows where id = $1");
        let row = query(&sql)
            .bind(id)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "flow"))?;
        flow_row(&row)
    }

    async fn flows(&self) -> Result<Vec<Flow>, StoreError> {
        let sql = format!("select {FLOW_COLUMNS} from flows order by title, id");
        let rows = query(&sql).fetch_all(&self.db).await.map_err(other)?;
        rows.iter().map(flow_row).collect()
    }

    async fn flow_version(&self, id: Uuid, version: u32) -> Result<FlowDef, StoreError> {
        let text: String =
            query_scalar("select def from flow_versions where flow_id = $1 and version = $2")
                .bind(id)
                .bind(i64::from(version))
                .fetch_one(&self.db)
                .await
                .map_err(|e| classify(e, "flow version"))?;
        json(&text)
    }

    async fn create_run(&self, r: &FlowRun) -> Result<(), StoreError> {
        query(
            "insert into flow_runs (id, flow_id, version, run, finished, user_id, customer_id, \
             ticket_id, started_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(r.id)
        .bind(r.flow)
        .bind(i64::from(r.version))
        .bind(to_json(&r.run)?)
        .bind(matches!(r.run.status, RunStatus::Finished { .. }))
        .bind(r.user.0)
        .bind(r.customer.map(|c| c.0))
        .bind(r.ticket.map(|t| t.0))
        .bind(r.started_at)
        .bind(r.updated_at)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "run"))?;
        Ok(())
    }

    async fn run(&self, id: Uuid) -> Result<FlowRun, StoreError> {
        let sql = format!("select {RUN_COLUMNS} from flow_runs where id = $1");
        let row = query(&sql)
            .bind(id)
            .fetch_one(&self.db)
            .await
            .map_err(|e| classify(e, "run"))?;
        run_row(&row)
    }

    async fn save_run(&self, r: &FlowRun, rev: u32) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        let done = query(
            "update flow_runs set run = $1, finished = $2, ticket_id = $3, customer_id = $4, \
             rev = rev + 1, updated_at = $5 where id = $6 and rev = $7",
        )
        .bind(to_json(&r.run)?)
        .bind(matches!(r.run.status, RunStatus::Finished { .. }))
        .bind(r.ticket.map(|t| t.0))
        .bind(r.customer.map(|c| c.0))
        .bind(r.updated_at)
        .bind(r.id)
        .bind(i64::from(rev))
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "run"))?;
        if done.rows_affected() == 0 {
            return Err(stale_or_missing(&mut tx, "flow_runs", r.id).await);
        }
        tx.commit().await.map_err(other)
    }

    async fn open_runs(&self, user: UserId, limit: u32) -> Result<Vec<FlowRun>, StoreError> {
        let sql = format!(
            "select {RUN_COLUMNS} from flow_runs where user_id = $1 and finished = false \
             order by updated_at desc limit $2"
        );
        let rows = query(&sql)
            .bind(user.0)
            .bind(i64::from(limit.clamp(1, 100)))
            .fetch_all(&self.db)
            .await
            .map_err(other)?;
        rows.iter().map(run_row).collect()
    }

    async fn create_conversation(&self, s: &BotSession) -> Result<(), StoreError> {
        query(
            "insert into bot_conversations (id, user_id, conversation, started_at, updated_at) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(s.id)
        .bind(s.user.0)
        .bind(to_json(&s.conversation)?)
        .bind(s.started_at)
        .bind(s.updated_at)
        .execute(&self.db)
        .await
        .map_err(|e| classify(e, "conversation"))?;
        Ok(())
    }

    async fn conversation(&self, id: Uuid) -> Result<BotSession, StoreError> {
        let row = query(
            "select id, user_id, conversation, rev, started_at, updated_at from bot_conversations \
             where id = $1",
        )
        .bind(id)
        .fetch_one(&self.db)
        .await
        .map_err(|e| classify(e, "conversation"))?;
        session_row(&row)
    }

    async fn save_conversation(&self, s: &BotSession, rev: u32) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await.map_err(other)?;
        let done = query(
            "update bot_conversations set conversation = $1, rev = rev + 1, updated_at = $2 \
             where id = $3 and rev = $4",
        )
        .bind(to_json(&s.conversation)?)
        .bind(s.updated_at)
        .bind(s.id)
        .bind(i64::from(rev))
        .execute(&mut tx)
        .await
        .map_err(|e| classify(e, "conversation"))?;
        if done.rows_affected() == 0 {
            return Err(stale_or_missing(&mut tx, "bot_conversations", s.id).await);
        }
        tx.commit().await.map_err(other)
    }
}

//! Live events across instances (PostgreSQL only): what one instance's [`LiveHub`] sends is
//! written to `live_events` and announced with `NOTIFY loopdesk_live, '<instance>:<id>'`;
//! wallboard change signals go out as `NOTIFY loopdesk_changed, '<instance>'` (a burst of
//! writes sends one). Every instance `LISTEN`s on both channels and delivers what other
//! instances sent to its own connections. The event body travels through the table because
//! a NOTIFY payload is limited to 8000 bytes and a screen pop can be larger. Rows older
//! than a minute are deleted. Each instance keeps its own knowledge search index: an index
//! change here goes out as `NOTIFY loopdesk_kb, '<instance>:doc:<id>'` (or `:synonyms`) and
//! the others reload that document or the synonyms from the database. On SQLite there is
//! one instance and none of this runs.

use std::sync::Arc;
use std::time::Duration;

use app::knowledge::Index;
use app::live::{LiveEvent, LiveHub, LiveKind, LivePayload, Relayed};
use app::state::Stores;
use chrono::Utc;
use loopdesk::kb::search::{
    SearchDoc, SearchError, SearchHit, SearchIndex, SearchQuery, SynonymGroup,
};
use loopdesk::user::UserId;
use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use uuid::Uuid;

const EVENTS: &str = "loopdesk_live";
const CHANGES: &str = "loopdesk_changed";
const KNOWLEDGE: &str = "loopdesk_kb";

/// The running fan-out: its tasks stop when this is dropped or stopped.
pub struct Fanout {
    tasks: Vec<JoinHandle<()>>,
}

impl Fanout {
    /// Stops listening and sending.
    pub fn stop(&self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Drop for Fanout {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The search index of this instance, telling the other instances of every change.
struct RelayingIndex {
    inner: Index,
    relay: mpsc::UnboundedSender<Relayed>,
}

impl SearchIndex for RelayingIndex {
    fn upsert(&self, docs: Vec<SearchDoc>) -> Result<(), SearchError> {
        let ids: Vec<Uuid> = docs.iter().map(|d| d.id).collect();
        self.inner.upsert(docs)?;
        for id in ids {
            let _ = self.relay.send(Relayed::SearchDoc(id));
        }
        Ok(())
    }
    fn remove(&self, id: Uuid) -> Result<(), SearchError> {
        self.inner.remove(id)?;
        let _ = self.relay.send(Relayed::SearchDoc(id));
        Ok(())
    }
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, SearchError> {
        self.inner.search(query)
    }
    fn set_synonyms(&self, groups: &[SynonymGroup]) {
        self.inner.set_synonyms(groups);
        let _ = self.relay.send(Relayed::Synonyms);
    }
    fn len(&self) -> u64 {
        self.inner.len()
    }
}

/// Starts the fan-out for `pool`: returns the hub to serve this instance's connections
/// with and the search index to use (`index`, built from the store, wrapped so that its
/// changes reach the other instances). Listening has begun when this returns, so nothing
/// another instance sends from then on is missed.
pub async fn start(
    pool: PgPool,
    stores: Stores,
    index: Index,
) -> anyhow::Result<(LiveHub, Index, Fanout)> {
    use anyhow::Context;
    let instance = Uuid::new_v4().simple().to_string();
    let mut listener = PgListener::connect_with(&pool)
        .await
        .context("cannot open the LISTEN connection")?;
    listener
        .listen_all([EVENTS, CHANGES, KNOWLEDGE])
        .await
        .context("cannot LISTEN for live events")?;
    let (tx, rx) = mpsc::unbounded_channel();
    let hub = LiveHub::with_relay(tx.clone());
    let relaying: Index = Arc::new(RelayingIndex {
        inner: index.clone(),
        relay: tx,
    });
    let here = Here {
        instance: instance.clone(),
        hub: hub.clone(),
        stores,
        index,
    };
    let tasks = vec![
        tokio::spawn(publish(pool.clone(), instance, rx)),
        tokio::spawn(receive(pool.clone(), listener, here)),
        tokio::spawn(prune(pool)),
    ];
    Ok((hub, relaying, Fanout { tasks }))
}

/// Sends what this instance's hub relays.
async fn publish(pool: PgPool, instance: String, mut rx: mpsc::UnboundedReceiver<Relayed>) {
    while let Some(first) = rx.recv().await {
        // Take everything queued meanwhile: events go out one by one, changes once.
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        let mut changed = false;
        for item in batch {
            match item {
                Relayed::Changed => changed = true,
                Relayed::SearchDoc(id) => {
                    notify(&pool, KNOWLEDGE, &format!("{instance}:doc:{id}")).await
                }
                Relayed::Synonyms => {
                    notify(&pool, KNOWLEDGE, &format!("{instance}:synonyms")).await
                }
                Relayed::Event { user, kind, data } => {
                    let sent = sqlx::query(
                        "with e as (insert into live_events (user_id, event, data, at) \
                         values ($1, $2, $3, $4) returning id) \
                         select pg_notify($5, $6 || ':' || e.id) from e",
                    )
                    .bind(user.0)
                    .bind(kind.code())
                    .bind(data)
                    .bind(Utc::now())
                    .bind(EVENTS)
                    .bind(&instance)
                    .execute(&pool)
                    .await;
                    if let Err(e) = sent {
                        tracing::warn!(error = %e, "relaying a live event failed");
                    }
                }
            }
        }
        if changed {
            notify(&pool, CHANGES, &instance).await;
        }
    }
}

async fn notify(pool: &PgPool, channel: &str, payload: &str) {
    if let Err(e) = sqlx::query("select pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(pool)
        .await
    {
        tracing::warn!(error = %e, channel, "NOTIFY failed");
    }
}

/// What the receiving side updates on this instance.
struct Here {
    instance: String,
    hub: LiveHub,
    stores: Stores,
    /// The plain index (changes from elsewhere are not sent back out).
    index: Index,
}

/// Delivers what other instances sent.
async fn receive(pool: PgPool, mut listener: PgListener, here: Here) {
    let (instance, hub) = (&here.instance, &here.hub);
    loop {
        // `recv` reconnects by itself after a lost connection (notifications sent while it
        // was away are lost; the wallboard reloads on its next change anyway).
        let n = match listener.recv().await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "LISTEN connection failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        match n.channel() {
            CHANGES if n.payload() != instance => hub.changed_here(),
            KNOWLEDGE => {
                let Some((from, what)) = n.payload().split_once(':') else {
                    continue;
                };
                if from == instance {
                    continue;
                }
                let done = match what.strip_prefix("doc:").map(Uuid::parse_str) {
                    Some(Ok(id)) => {
                        app::knowledge::refresh_doc(&here.stores, here.index.as_ref(), id).await
                    }
                    _ => app::knowledge::refresh_synonyms(&here.stores, here.index.as_ref()).await,
                };
                if let Err(e) = done {
                    tracing::warn!(error = ?e, what, "updating the search index failed");
                }
            }
            EVENTS => {
                let Some((from, id)) = n.payload().split_once(':') else {
                    continue;
                };
                let Ok(id) = id.parse::<i64>() else { continue };
                if from == instance {
                    continue;
                }
                if let Err(e) = deliver(&pool, hub, id).await {
                    tracing::warn!(error = %e, id, "reading a relayed live event failed");
                }
            }
            _ => {}
        }
    }
}

async fn deliver(pool: &PgPool, hub: &LiveHub, id: i64) -> Result<(), sqlx::Error> {
    let row: Option<(Uuid, String, String)> =
        sqlx::query_as("select user_id, event, data from live_events where id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    if let Some((user, event, data)) = row {
        if let Some(kind) = LiveKind::from_code(&event) {
            hub.deliver(LiveEvent {
                user: UserId(user),
                payload: LivePayload::Relayed { kind, data },
            });
        }
    }
    Ok(())
}

/// Deletes relayed events every instance has had time to read.
async fn prune(pool: PgPool) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let cutoff = Utc::now() - chrono::Duration::minutes(1);
        if let Err(e) = sqlx::query("delete from live_events where at < $1")
            .bind(cutoff)
            .execute(&pool)
            .await
        {
            tracing::warn!(error = %e, "pruning relayed live events failed");
        }
    }
}

//! Live events across instances (PostgreSQL only): what one instance's [`LiveHub`] sends is
//! written to `live_events` and announced with `NOTIFY loopdesk_live, '<instance>:<id>'`;
//! wallboard change signals go out as `NOTIFY loopdesk_changed, '<instance>'` (a burst of
//! writes sends one). Every instance `LISTEN`s on both channels and delivers what other
//! instances sent to its own connections. The event body travels through the table because
//! a NOTIFY payload is limited to 8000 bytes and a screen pop can be larger. Rows older
//! than a minute are deleted. On SQLite there is one instance and none of this runs.

use std::time::Duration;

use app::live::{LiveEvent, LiveHub, LiveKind, LivePayload, Relayed};
use chrono::Utc;
use loopdesk::user::UserId;
use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use uuid::Uuid;

const EVENTS: &str = "loopdesk_live";
const CHANGES: &str = "loopdesk_changed";

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

/// Starts the fan-out for `pool`: returns the hub to serve this instance's connections
/// with. Listening has begun when this returns, so nothing another instance sends from
/// then on is missed.
pub async fn start(pool: PgPool) -> anyhow::Result<(LiveHub, Fanout)> {
    use anyhow::Context;
    let instance = Uuid::new_v4().simple().to_string();
    let mut listener = PgListener::connect_with(&pool)
        .await
        .context("cannot open the LISTEN connection")?;
    listener
        .listen_all([EVENTS, CHANGES])
        .await
        .context("cannot LISTEN for live events")?;
    let (tx, rx) = mpsc::unbounded_channel();
    let hub = LiveHub::with_relay(tx);
    let tasks = vec![
        tokio::spawn(publish(pool.clone(), instance.clone(), rx)),
        tokio::spawn(receive(pool.clone(), instance, listener, hub.clone())),
        tokio::spawn(prune(pool)),
    ];
    Ok((hub, Fanout { tasks }))
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
            if let Err(e) = sqlx::query("select pg_notify($1, $2)")
                .bind(CHANGES)
                .bind(&instance)
                .execute(&pool)
                .await
            {
                tracing::warn!(error = %e, "relaying a change signal failed");
            }
        }
    }
}

/// Delivers what other instances sent.
async fn receive(pool: PgPool, instance: String, mut listener: PgListener, hub: LiveHub) {
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
            EVENTS => {
                let Some((from, id)) = n.payload().split_once(':') else {
                    continue;
                };
                let Ok(id) = id.parse::<i64>() else { continue };
                if from == instance {
                    continue;
                }
                if let Err(e) = deliver(&pool, &hub, id).await {
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

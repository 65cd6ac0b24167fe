//! Live events to open browser pages (SSR only): an in-process fan-out of per-user events
//! (screen pops and agent-state changes now; wallboard and notifications later), counting each user's open
//! connections. One instance serves its own connections; PostgreSQL LISTEN/NOTIFY will carry
//! events between instances (issue 8).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use loopdesk::user::UserId;
use tokio::sync::{broadcast, watch};

use crate::views::console::AgentStateView;
use crate::views::ScreenPop;

/// What a live event carries.
#[derive(Debug, Clone)]
pub enum LivePayload {
    /// A call rings at the agent: the caller's card (SSE event `pop`).
    Pop(Box<ScreenPop>),
    /// The agent's state changed, e.g. by a CTI event (SSE event `state`).
    State(AgentStateView),
}

impl LivePayload {
    /// The SSE event name and its JSON data.
    pub fn event(&self) -> (&'static str, String) {
        match self {
            LivePayload::Pop(p) => ("pop", serde_json::to_string(p).unwrap_or_default()),
            LivePayload::State(s) => ("state", serde_json::to_string(s).unwrap_or_default()),
        }
    }
}

/// An event for one user.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    /// Who should see it.
    pub user: UserId,
    /// What.
    pub payload: LivePayload,
}

/// The fan-out.
#[derive(Debug, Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<LiveEvent>,
    open: Arc<Mutex<HashMap<UserId, usize>>>,
    closing: Arc<watch::Sender<bool>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub {
            tx: broadcast::channel(1024).0,
            open: Arc::default(),
            closing: Arc::new(watch::channel(false).0),
        }
    }
}

/// One open connection of a user; dropping it closes the count.
pub struct Subscription {
    /// Every event (keep the user's own).
    pub rx: broadcast::Receiver<LiveEvent>,
    /// Turns true when the server shuts down: end the stream so graceful shutdown is not
    /// held up by open consoles.
    pub closing: watch::Receiver<bool>,
    user: UserId,
    open: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Ok(mut open) = self.open.lock() {
            if let Some(n) = open.get_mut(&self.user) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    open.remove(&self.user);
                }
            }
        }
    }
}

impl LiveHub {
    /// Sends an event; returns how many of the user's connections are open to see it.
    pub fn send(&self, event: LiveEvent) -> usize {
        let open = self
            .open
            .lock()
            .map(|o| o.get(&event.user).copied().unwrap_or(0))
            .unwrap_or(0);
        if open > 0 {
            let _ = self.tx.send(event);
        }
        open
    }

    /// Ends every open stream (server shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Opens a connection for `user`.
    pub fn subscribe(&self, user: UserId) -> Subscription {
        if let Ok(mut open) = self.open.lock() {
            *open.entry(user).or_default() += 1;
        }
        Subscription {
            rx: self.tx.subscribe(),
            closing: self.closing.subscribe(),
            user,
            open: self.open.clone(),
        }
    }
}

//! Live events to open browser pages (SSR only): an in-process fan-out of per-user events
//! (screen pops and agent-state changes), counting each user's open connections, and the
//! wallboard's change signal: every successful ticket, call or agent-state write goes
//! through [`with_live`]'s store wrappers, which bump a counter that open wallboards watch
//! (a `watch` channel, so a burst of writes wakes a wallboard once). Each instance serves
//! its own connections; with several instances the hub also hands every event and change
//! signal to a relay (the server's PostgreSQL LISTEN/NOTIFY fan-out), and the relay
//! delivers what other instances sent through [`LiveHub::deliver`] and
//! [`LiveHub::changed_here`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use loopdesk::agent::AgentStatus;
use loopdesk::customer::CustomerId;
use loopdesk::store::console::{AgentStateChange, AgentStore};
use loopdesk::store::desk::{
    CallStore, NewTicket, SlaSnapshot, StoredCall, TicketPage, TicketQuery, TicketRecord,
    TicketStore, TicketWrite,
};
use loopdesk::store::StoreError;
use loopdesk::ticket::event::TicketEvent;
use loopdesk::ticket::TicketId;
use loopdesk::user::UserId;
use tokio::sync::{broadcast, watch};

use crate::state::Stores;

use crate::views::console::AgentStateView;
use crate::views::ScreenPop;

/// What a live event carries.
#[derive(Debug, Clone)]
pub enum LivePayload {
    /// A call rings at the agent: the caller's card (SSE event `pop`).
    Pop(Box<ScreenPop>),
    /// The agent's state changed, e.g. by a CTI event (SSE event `state`).
    State(AgentStateView),
    /// An event another instance sent, as it goes on the wire.
    Relayed {
        /// Which event.
        kind: LiveKind,
        /// Its JSON data.
        data: String,
    },
}

/// The kinds of live event (the SSE event names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveKind {
    /// `pop`: a screen pop.
    Pop,
    /// `state`: the agent's state.
    State,
}

impl LiveKind {
    /// The SSE event name (also the code the relay stores).
    pub fn code(self) -> &'static str {
        match self {
            LiveKind::Pop => "pop",
            LiveKind::State => "state",
        }
    }

    /// The kind of a code.
    pub fn from_code(code: &str) -> Option<LiveKind> {
        [LiveKind::Pop, LiveKind::State]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

impl LivePayload {
    /// The SSE event and its JSON data.
    pub fn encoded(&self) -> (LiveKind, String) {
        match self {
            LivePayload::Pop(p) => (LiveKind::Pop, serde_json::to_string(p).unwrap_or_default()),
            LivePayload::State(s) => (
                LiveKind::State,
                serde_json::to_string(s).unwrap_or_default(),
            ),
            LivePayload::Relayed { kind, data } => (*kind, data.clone()),
        }
    }

    /// The SSE event name and its JSON data.
    pub fn event(&self) -> (&'static str, String) {
        let (kind, data) = self.encoded();
        (kind.code(), data)
    }
}

/// What the hub hands to the relay for the other instances.
#[derive(Debug, Clone)]
pub enum Relayed {
    /// An event for a user who may be connected elsewhere.
    Event {
        /// Who should see it.
        user: UserId,
        /// Which event.
        kind: LiveKind,
        /// Its JSON data.
        data: String,
    },
    /// Something the wallboard shows changed.
    Changed,
    /// A knowledge document (article or flow) was indexed or removed here.
    SearchDoc(uuid::Uuid),
    /// The search synonyms changed.
    Synonyms,
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
    changes: Arc<watch::Sender<u64>>,
    relay: Option<tokio::sync::mpsc::UnboundedSender<Relayed>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub {
            tx: broadcast::channel(1024).0,
            open: Arc::default(),
            closing: Arc::new(watch::channel(false).0),
            changes: Arc::new(watch::channel(0).0),
            relay: None,
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
    /// A hub that also hands every event and change signal to `relay` (for the other
    /// instances).
    pub fn with_relay(relay: tokio::sync::mpsc::UnboundedSender<Relayed>) -> LiveHub {
        LiveHub {
            relay: Some(relay),
            ..LiveHub::default()
        }
    }

    /// Whether events also go to other instances.
    pub fn relays(&self) -> bool {
        self.relay.is_some()
    }

    /// Sends an event to the user's connections on this instance and, through the relay,
    /// on the others; returns how many of the user's connections on this instance are open
    /// to see it.
    pub fn send(&self, event: LiveEvent) -> usize {
        if let Some(relay) = &self.relay {
            let (kind, data) = event.payload.encoded();
            let _ = relay.send(Relayed::Event {
                user: event.user,
                kind,
                data,
            });
        }
        self.deliver(event)
    }

    /// Delivers an event to the user's connections on this instance only (what the relay
    /// calls for events from other instances); returns how many were open.
    pub fn deliver(&self, event: LiveEvent) -> usize {
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

    /// Something the wallboard shows changed (here; the relay tells the other instances).
    pub fn changed(&self) {
        if let Some(relay) = &self.relay {
            let _ = relay.send(Relayed::Changed);
        }
        self.changed_here();
    }

    /// Signals a change to this instance's wallboards only (a change on another instance).
    pub fn changed_here(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The change signal (for wallboard streams) and the shutdown signal.
    pub fn watch_changes(&self) -> (watch::Receiver<u64>, watch::Receiver<bool>) {
        (self.changes.subscribe(), self.closing.subscribe())
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

/// The stores with the wallboard's change signal on every ticket, call and agent-state
/// write (failed writes signal nothing).
pub fn with_live(stores: Stores, hub: &LiveHub) -> Stores {
    Stores {
        tickets: Arc::new(LiveTickets(stores.tickets.clone(), hub.clone())),
        calls: Arc::new(LiveCalls(stores.calls.clone(), hub.clone())),
        agents: Arc::new(LiveAgents(stores.agents.clone(), hub.clone())),
        ..stores
    }
}

fn signal<T>(hub: &LiveHub, r: Result<T, StoreError>) -> Result<T, StoreError> {
    if r.is_ok() {
        hub.changed();
    }
    r
}

struct LiveTickets(Arc<dyn TicketStore>, LiveHub);

#[async_trait]
impl TicketStore for LiveTickets {
    async fn create_ticket(&self, new: NewTicket) -> Result<String, StoreError> {
        signal(&self.1, self.0.create_ticket(new).await)
    }
    async fn get_ticket(&self, id: TicketId) -> Result<TicketRecord, StoreError> {
        self.0.get_ticket(id).await
    }
    async fn ticket_by_number(&self, number: &str) -> Result<Option<TicketRecord>, StoreError> {
        self.0.ticket_by_number(number).await
    }
    async fn ticket_events(&self, id: TicketId) -> Result<Vec<TicketEvent>, StoreError> {
        self.0.ticket_events(id).await
    }
    async fn write_ticket(&self, expected_version: u64, w: TicketWrite) -> Result<(), StoreError> {
        signal(&self.1, self.0.write_ticket(expected_version, w).await)
    }
    async fn list_tickets(&self, q: &TicketQuery) -> Result<TicketPage, StoreError> {
        self.0.list_tickets(q).await
    }

    async fn count_tickets(&self, q: &TicketQuery) -> Result<u64, StoreError> {
        self.0.count_tickets(q).await
    }
    async fn claim_sla_checks(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<TicketId>, StoreError> {
        self.0.claim_sla_checks(now, limit, lease_until).await
    }
    async fn open_ticket_ids(&self) -> Result<Vec<TicketId>, StoreError> {
        self.0.open_ticket_ids().await
    }
    async fn store_sla(
        &self,
        id: TicketId,
        version: u64,
        sla: SlaSnapshot,
    ) -> Result<(), StoreError> {
        signal(&self.1, self.0.store_sla(id, version, sla).await)
    }
}

struct LiveCalls(Arc<dyn CallStore>, LiveHub);

#[async_trait]
impl CallStore for LiveCalls {
    async fn get_call(&self, call_id: &str) -> Result<Option<StoredCall>, StoreError> {
        self.0.get_call(call_id).await
    }
    async fn insert_call(&self, call: &StoredCall, now: DateTime<Utc>) -> Result<(), StoreError> {
        signal(&self.1, self.0.insert_call(call, now).await)
    }
    async fn update_call(
        &self,
        call: &StoredCall,
        expected_version: u64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        signal(
            &self.1,
            self.0.update_call(call, expected_version, now).await,
        )
    }
    async fn recent_calls(
        &self,
        customer: Option<CustomerId>,
        limit: u32,
    ) -> Result<Vec<StoredCall>, StoreError> {
        self.0.recent_calls(customer, limit).await
    }
    async fn link_ticket(&self, call_id: &str, ticket: TicketId) -> Result<(), StoreError> {
        self.0.link_ticket(call_id, ticket).await
    }
    async fn call_tickets(&self, call_id: &str) -> Result<Vec<TicketId>, StoreError> {
        self.0.call_tickets(call_id).await
    }
}

struct LiveAgents(Arc<dyn AgentStore>, LiveHub);

#[async_trait]
impl AgentStore for LiveAgents {
    async fn agent_status(&self, user: UserId) -> Result<Option<(AgentStatus, u64)>, StoreError> {
        self.0.agent_status(user).await
    }
    async fn set_agent_status(
        &self,
        change: &AgentStateChange,
        expected: Option<u64>,
    ) -> Result<(), StoreError> {
        signal(&self.1, self.0.set_agent_status(change, expected).await)
    }
    async fn agent_statuses(&self) -> Result<Vec<(UserId, AgentStatus)>, StoreError> {
        self.0.agent_statuses().await
    }
    async fn agent_state_log(
        &self,
        user: UserId,
        from: DateTime<Utc>,
    ) -> Result<Vec<AgentStateChange>, StoreError> {
        self.0.agent_state_log(user, from).await
    }
}

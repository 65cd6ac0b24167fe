//! Server-side application state (SSR only): the stores, the clock and settings, provided to
//! server functions through Leptos context and to axum handlers as router state.

use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::HeaderMap;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use loopdesk::clock::Clock;
use loopdesk::login::LoginThrottle;
use loopdesk::store::console::{AgentStore, BillingStore, PhraseStore, TokenStore};
use loopdesk::store::desk::{CallStore, CustomerStore, SlaConfigStore, TicketStore, WorkStore};
use loopdesk::store::knowledge::{FlowStore, KnowledgeStore};
use loopdesk::store::{
    AuditStore, DepartmentStore, HealthStore, LoginAttemptStore, PasswordHash, UserStore,
};

use crate::auth::AuthSession;
use crate::error::AppError;

/// The storage ports, implemented by whichever backend the server selected.
#[derive(Clone)]
pub struct Stores {
    /// Users and credentials.
    pub users: Arc<dyn UserStore>,
    /// Departments.
    pub departments: Arc<dyn DepartmentStore>,
    /// Failed sign-in bookkeeping.
    pub login_attempts: Arc<dyn LoginAttemptStore>,
    /// Audit log.
    pub audit: Arc<dyn AuditStore>,
    /// Database liveness.
    pub health: Arc<dyn HealthStore>,
    /// Customers.
    pub customers: Arc<dyn CustomerStore>,
    /// Tickets and their event log.
    pub tickets: Arc<dyn TicketStore>,
    /// Calendars and SLA policies.
    pub sla_config: Arc<dyn SlaConfigStore>,
    /// Outbound tasks and notifications.
    pub work: Arc<dyn WorkStore>,
    /// Calls.
    pub calls: Arc<dyn CallStore>,
    /// Billing data.
    pub billing: Arc<dyn BillingStore>,
    /// Agent states.
    pub agents: Arc<dyn AgentStore>,
    /// Standard phrases.
    pub phrases: Arc<dyn PhraseStore>,
    /// API tokens.
    pub tokens: Arc<dyn TokenStore>,
    /// Knowledge-base articles, categories, synonyms.
    pub knowledge: Arc<dyn KnowledgeStore>,
    /// SOP flows, runs and bot conversations.
    pub flows: Arc<dyn FlowStore>,
    /// Portal codes, rate limits, attachments and customer notices.
    pub portal: Arc<dyn loopdesk::store::portal::PortalStore>,
    /// Report aggregates (tickets, satisfaction, calls, agent states).
    pub reports: Arc<dyn loopdesk::store::supervision::ReportStore>,
    /// Quality inspection scorecards and reviews.
    pub quality: Arc<dyn loopdesk::store::supervision::QualityStore>,
    /// The staffing roster.
    pub roster: Arc<dyn loopdesk::store::supervision::RosterStore>,
}

/// Everything a request handler needs.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Leptos settings (site root, output name).
    pub leptos_options: LeptosOptions,
    /// Storage.
    pub stores: Stores,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Sign-in throttle settings.
    pub throttle: LoginThrottle,
    /// The password and account lifecycle rules.
    pub policy: loopdesk::password::PasswordPolicy,
    /// Live events to open pages (screen pops).
    pub live: crate::live::LiveHub,
    /// Where billing lookups go (the local store, or an external billing system).
    pub billing: crate::console::Provider,
    /// The knowledge search index (articles and flows).
    pub search: crate::knowledge::Index,
    /// Where SMS and e-mail to customers go.
    pub sender: crate::messaging::Sender,
    /// Service-level threshold and targets.
    pub targets: loopdesk::metrics::ServiceTargets,
    /// A hash to verify against when the login name is unknown, so that unknown and known
    /// users cost the same time.
    pub dummy_hash: PasswordHash,
}

/// The state, from Leptos context.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// State, typed session and request headers for a server function.
pub async fn request_context() -> Result<(AppState, AuthSession, HeaderMap), AppError> {
    let state = state()?;
    let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer");
        AppError::Internal
    })?;
    let headers: HeaderMap = leptos_axum::extract().await.map_err(|e| {
        tracing::error!(error = %e, "headers unavailable");
        AppError::Internal
    })?;
    Ok((state, AuthSession(session), headers))
}

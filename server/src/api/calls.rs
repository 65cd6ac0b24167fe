//! `POST /api/v1/cti/events` (the PBX push), `GET /api/v1/calls[/{id}]`, and
//! `GET /api/v1/live`: the server-sent event stream that carries screen pops to the
//! signed-in agent's open console.

use std::convert::Infallible;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::{self, Stream};
use loopdesk::call::{CallState, CtiEvent};
use loopdesk::store::desk::StoredCall;
use loopdesk::store::StoreError;
use loopdesk::user::Role;
use serde::Serialize;

use app::calls::{handle_event, screen_pop, CtiWarning};
use app::desk::DeskError;
use app::live::{LiveEvent, LivePayload};
use app::state::AppState;

use super::caller::{Caller, CtiScope, Integration};
use super::error::{ApiError, ApiJson};

/// A call as the API shows it.
#[derive(Debug, Serialize)]
pub struct CallBody {
    call_id: String,
    direction: loopdesk::call::Direction,
    state: CallState,
    from: String,
    to: String,
    queue: Option<String>,
    agent: Option<String>,
    agent_known: bool,
    customer: Option<String>,
    candidates: u32,
    ringing_at: Option<chrono::DateTime<chrono::Utc>>,
    answered_at: Option<chrono::DateTime<chrono::Utc>>,
    ended_at: Option<chrono::DateTime<chrono::Utc>>,
    wait_seconds: Option<i64>,
    cause: Option<String>,
    disposition: Option<String>,
    notes: String,
    needs_callback: bool,
    /// Ids of the tickets registered on the call.
    tickets: Vec<String>,
}

fn body(c: &StoredCall) -> CallBody {
    let r = &c.record;
    CallBody {
        call_id: r.call_id.clone(),
        direction: r.direction,
        state: r.state(),
        from: match r.direction {
            loopdesk::call::Direction::In => app::calls::masked_number(r),
            loopdesk::call::Direction::Out => r.from.clone(),
        },
        to: r.to.clone(),
        queue: r.queue.clone(),
        agent: r.agent.clone(),
        agent_known: c.agent_user.is_some(),
        customer: c.customer.map(|id| id.0.to_string()),
        candidates: c.candidates,
        ringing_at: r.ringing_at,
        answered_at: r.answered_at,
        ended_at: r.ended_at,
        wait_seconds: r.wait_seconds(),
        cause: r.cause.clone(),
        disposition: c.disposition.clone(),
        notes: c.notes.clone(),
        needs_callback: r.needs_callback(),
        tickets: Vec::new(),
    }
}

/// The body with the call's linked tickets.
async fn body_with_tickets(state: &AppState, c: &StoredCall) -> Result<CallBody, StoreError> {
    let mut b = body(c);
    b.tickets = state
        .stores
        .calls
        .call_tickets(&c.record.call_id)
        .await?
        .into_iter()
        .map(|t| t.0.to_string())
        .collect();
    Ok(b)
}

/// Response of a CTI event.
#[derive(Debug, Serialize)]
pub struct CtiResponse {
    call: CallBody,
    /// False when the event was a duplicate.
    changed: bool,
    warnings: Vec<CtiWarning>,
    /// Open consoles on this instance the screen pop reached.
    popped: usize,
    /// Whether the pop was also sent to the other instances (PostgreSQL deployments), where
    /// the agent's console may be open.
    relayed: bool,
}

/// `POST /api/v1/cti/events`: a bearer token with scope `cti`, or an administrator's
/// session.
pub async fn cti_event(
    State(state): State<AppState>,
    integration: Integration<CtiScope>,
    ApiJson(event): ApiJson<CtiEvent>,
) -> Result<Json<CtiResponse>, ApiError> {
    let caller = integration.caller;
    if caller.user.role != Role::Admin {
        return Err(caller.desk_error(&DeskError::Forbidden));
    }
    let now = state.clock.now();
    let out = handle_event(&state.stores, now, event)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    let (mut popped, mut relayed) = (0, false);
    if let Some(user) = out.pop_for {
        let locale = state
            .stores
            .users
            .get_user(user)
            .await
            .ok()
            .and_then(|u| u.locale)
            .unwrap_or_default();
        match screen_pop(&state.stores, now, &out.call, locale).await {
            Ok(pop) => {
                popped = state.live.send(LiveEvent {
                    user,
                    payload: LivePayload::Pop(Box::new(pop)),
                });
                relayed = state.live.relays();
            }
            Err(e) => tracing::warn!(error = ?e, "screen pop failed"),
        }
    }
    if let (true, Some(user)) = (out.changed, out.call.agent_user) {
        if let Ok((status, _)) = app::console::agent_status(&state.stores, user, now).await {
            let locale = state
                .stores
                .users
                .get_user(user)
                .await
                .ok()
                .and_then(|u| u.locale)
                .unwrap_or_default();
            state.live.send(LiveEvent {
                user,
                payload: LivePayload::State(app::console::agent_state_view(&status, locale)),
            });
        }
    }
    Ok(Json(CtiResponse {
        call: body(&out.call),
        changed: out.changed,
        warnings: out.warnings,
        popped,
        relayed,
    }))
}

/// `GET /api/v1/calls` (staff): the latest 50 calls.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CallBody>>, ApiError> {
    if !caller.user.role.is_staff() {
        return Err(caller.desk_error(&DeskError::Forbidden));
    }
    let calls = state
        .stores
        .calls
        .recent_calls(None, 50)
        .await
        .map_err(|e| caller.desk_error(&e.into()))?;
    Ok(Json(calls.iter().map(body).collect()))
}

/// `GET /api/v1/calls/{id}` (staff).
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<CallBody>, ApiError> {
    if !caller.user.role.is_staff() {
        return Err(caller.desk_error(&DeskError::Forbidden));
    }
    match state.stores.calls.get_call(&id).await {
        Ok(Some(c)) => body_with_tickets(&state, &c)
            .await
            .map(Json)
            .map_err(|e| caller.desk_error(&e.into())),
        Ok(None) => Err(caller.desk_error(&DeskError::NotFound)),
        Err(e) => Err(caller.desk_error(&e.into())),
    }
}

/// `GET /api/v1/live` (staff): `pop` events with the screen pop JSON for this user.
pub async fn live(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    if !caller.user.role.is_staff() {
        return Err(caller.desk_error(&DeskError::Forbidden));
    }
    let me = caller.user.id;
    let sub = state.live.subscribe(me);
    let events = stream::unfold(sub, move |mut sub| async move {
        loop {
            if *sub.closing.borrow() {
                return None;
            }
            let received = tokio::select! {
                r = sub.rx.recv() => r,
                _ = sub.closing.changed() => return None,
            };
            match received {
                Ok(e) if e.user == me => {
                    let (name, data) = e.payload.event();
                    return Some((Ok(Event::default().event(name).data(data)), sub));
                }
                Ok(_) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

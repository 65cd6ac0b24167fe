//! REST resources of the agent console: customers (search by number, name, account or
//! ticket number; the 360; billing; logged reveals), the billing import, the outbound task
//! list, agent states, call dispositions and standard phrases. Handlers only translate
//! HTTP to the use cases in `app::console`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use loopdesk::agent::AgentState;
use loopdesk::billing::import::ImportKind;
use loopdesk::customer::CustomerId;
use loopdesk::phrase::Phrase;
use loopdesk::task::TaskReason;
use serde::Deserialize;
use uuid::Uuid;

use app::console::{self, ImportFormat, NewTaskInput, RevealField, TaskInput, TaskScope};
use app::desk::{self, DeskError, Invalid, NewCustomerInput};
use app::state::AppState;
use app::views::console::{
    AgentStateView, BillingView, Customer360, PhraseView, Revealed, TaskView,
};
use app::views::{customer_view, CustomerView};

use super::caller::{BillingImportScope, Caller, Integration};
use super::error::{ApiError, ApiJson};

use super::error::ApiResult;

fn uuid(caller: &Caller, text: &str) -> ApiResult<Uuid> {
    text.parse()
        .map_err(|_| caller.desk_error(&DeskError::NotFound))
}

fn invalid(caller: &Caller, field: &str, problem: Invalid) -> ApiError {
    caller.desk_error(&DeskError::invalid(field, problem))
}

/// `GET /api/v1/customers?phone=…` (exact number, any format) or `?q=…` (name, number
/// prefix, account number or ticket number).
pub async fn customers(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<CustomerView>>> {
    if !caller.user.role.is_staff() {
        return Err(caller.desk_error(&DeskError::Forbidden));
    }
    let list = match (q.get("phone"), q.get("q")) {
        (Some(phone), _) => {
            let n = loopdesk::customer::normalize_phone(phone).ok_or_else(|| {
                invalid(
                    &caller,
                    "phone",
                    Invalid::Customer(loopdesk::customer::CustomerError::BadPhone(phone.clone())),
                )
            })?;
            state
                .stores
                .customers
                .customers_by_phone(&n)
                .await
                .map_err(|e| caller.desk_error(&e.into()))?
        }
        (None, Some(query)) => console::search_customers(&state.stores, query)
            .await
            .map_err(|e| caller.desk_error(&e))?,
        (None, None) => Vec::new(),
    };
    Ok(Json(
        list.iter()
            .map(|c| customer_view(c, caller.locale))
            .collect(),
    ))
}

/// `POST /api/v1/customers`.
pub async fn create_customer(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewCustomerInput>,
) -> ApiResult<Response> {
    let c = desk::create_customer(&state.stores, state.clock.now(), &caller.user, &body)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok((StatusCode::CREATED, Json(customer_view(&c, caller.locale))).into_response())
}

/// `GET /api/v1/customers/{id}`: the customer 360 (access-logged).
pub async fn customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Customer360>> {
    let id = CustomerId(uuid(&caller, &id)?);
    let now = state.clock.now();
    let today = desk::today(&state.stores, now)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    console::customer_360(
        &state.stores,
        now,
        today,
        &caller.user,
        id,
        caller.locale,
        Some(caller.ctx.transaction_id.clone()),
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

fn date_param(
    caller: &Caller,
    q: &HashMap<String, String>,
    name: &str,
) -> ApiResult<Option<NaiveDate>> {
    q.get(name)
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| invalid(caller, name, Invalid::BadDate))
        })
        .transpose()
}

/// `GET /api/v1/customers/{id}/billing?from=&to=` (access-logged).
pub async fn billing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<BillingView>> {
    let id = CustomerId(uuid(&caller, &id)?);
    let now = state.clock.now();
    let today = desk::today(&state.stores, now)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    let range = match (
        date_param(&caller, &q, "from")?,
        date_param(&caller, &q, "to")?,
    ) {
        (Some(f), Some(t)) => Some((f, t)),
        (Some(f), None) => Some((f, today)),
        (None, Some(t)) => Some((t - chrono::Duration::days(30), t)),
        (None, None) => None,
    };
    console::billing_lookup(
        &state.stores,
        state.billing.as_ref(),
        now,
        today,
        &caller.user,
        id,
        range,
        caller.locale,
        Some(caller.ctx.transaction_id.clone()),
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

/// `POST /api/v1/customers/{id}/reveal` with `{"field": "phone", "index": 0}` or
/// `{"field": "id_number"}` (access-logged).
pub async fn reveal(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(field): ApiJson<RevealField>,
) -> ApiResult<Json<Revealed>> {
    let id = CustomerId(uuid(&caller, &id)?);
    console::reveal(
        &state.stores,
        state.clock.now(),
        &caller.user,
        id,
        field,
        Some(caller.ctx.transaction_id.clone()),
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

/// `POST /api/v1/billing/import` (administrators, or a bearer token with scope
/// `billing:import`): `application/json` with sections, or `text/csv` with
/// `?kind=accounts|bills|payments|usage`. 422 lists every problem; nothing is written then.
pub async fn import_billing(
    State(state): State<AppState>,
    integration: Integration<BillingImportScope>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<console::ImportReport>> {
    let caller = integration.caller;
    let tx = app::i18n::t(caller.locale);
    let body = body.map_err(|r| {
        let status = match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::new(
            status,
            super::error::ErrorCode::Validation,
            tx.err_too_large.to_owned(),
            &caller.ctx,
        )
    })?;
    let text =
        std::str::from_utf8(&body).map_err(|_| invalid(&caller, "body", Invalid::Required))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = if content_type.starts_with("application/json") {
        ImportFormat::Json
    } else if content_type.starts_with("text/csv") {
        let kind = q
            .get("kind")
            .and_then(|k| ImportKind::from_code(k))
            .ok_or_else(|| invalid(&caller, "kind", Invalid::Unknown))?;
        ImportFormat::Csv(kind)
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            super::error::ErrorCode::Validation,
            tx.err_unsupported_media.to_owned(),
            &caller.ctx,
        ));
    };
    let now = state.clock.now();
    let today = desk::today(&state.stores, now)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    console::import_billing(&state.stores, now, &caller.user, format, text, today)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/tasks?scope=open|mine|all&reason=…`.
pub async fn tasks(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<TaskView>>> {
    let scope = match q.get("scope").map(String::as_str) {
        None | Some("open") => TaskScope::Open,
        Some("mine") => TaskScope::Mine,
        Some("all") => TaskScope::All,
        Some(_) => return Err(invalid(&caller, "scope", Invalid::Unknown)),
    };
    let reason = match q.get("reason") {
        Some(r) => Some(
            TaskReason::from_code(r).ok_or_else(|| invalid(&caller, "reason", Invalid::Unknown))?,
        ),
        None => None,
    };
    let list = console::list_tasks(&state.stores, &caller.user, scope, reason)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    console::task_views(&state.stores, &list, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

async fn one_task_view(
    state: &AppState,
    caller: &Caller,
    task: loopdesk::task::OutboundTask,
) -> ApiResult<TaskView> {
    console::task_views(&state.stores, &[task], caller.locale)
        .await
        .map_err(|e| caller.desk_error(&e))?
        .pop()
        .ok_or_else(|| caller.desk_error(&DeskError::Internal))
}

/// `POST /api/v1/tasks` (supervisors, administrators).
pub async fn create_task(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewTaskInput>,
) -> ApiResult<Response> {
    let task = console::create_task(&state.stores, state.clock.now(), &caller.user, body)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    let view = one_task_view(&state, &caller, task).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// `POST /api/v1/tasks/{id}`: `{version}` takes the task; `{version, outcome, note}`
/// records an attempt.
pub async fn work_task(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TaskInput>,
) -> ApiResult<Json<TaskView>> {
    let id = uuid(&caller, &id)?;
    let task = console::work_task(&state.stores, state.clock.now(), &caller.user, id, body)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    one_task_view(&state, &caller, task).await.map(Json)
}

/// `GET /api/v1/agent/state`: the caller's state.
pub async fn my_state(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AgentStateView>> {
    if !caller.user.role.is_staff() {
        return Err(caller.desk_error(&DeskError::Forbidden));
    }
    let (s, _) = console::agent_status(&state.stores, caller.user.id, state.clock.now())
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok(Json(console::agent_state_view(&s, caller.locale)))
}

/// A state the agent asks for.
#[derive(Debug, Deserialize)]
pub struct StateBody {
    state: AgentState,
    #[serde(default)]
    reason: String,
}

/// `PUT /api/v1/agent/state`.
pub async fn set_state(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<StateBody>,
) -> ApiResult<Json<AgentStateView>> {
    let s = console::set_my_state(
        &state.stores,
        state.clock.now(),
        &caller.user,
        body.state,
        &body.reason,
    )
    .await
    .map_err(|e| caller.desk_error(&e))?;
    Ok(Json(console::agent_state_view(&s, caller.locale)))
}

/// A call's wrap-up.
#[derive(Debug, Deserialize)]
pub struct DispositionBody {
    disposition: String,
    #[serde(default)]
    notes: String,
}

/// `POST /api/v1/calls/{id}/disposition`: ends the agent's wrap-up.
pub async fn disposition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DispositionBody>,
) -> ApiResult<StatusCode> {
    console::submit_disposition(
        &state.stores,
        state.clock.now(),
        &caller.user,
        &id,
        &body.disposition,
        &body.notes,
    )
    .await
    .map_err(|e| caller.desk_error(&e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/phrases?customer=…`: rendered for the caller (and the customer).
pub async fn phrases(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<PhraseView>>> {
    let customer = match q.get("customer") {
        Some(c) => Some(CustomerId(uuid(&caller, c)?)),
        None => None,
    };
    let hour = desk::local_hour(&state.stores, state.clock.now())
        .await
        .map_err(|e| caller.desk_error(&e))?;
    console::phrases_for(&state.stores, &caller.user, customer, hour, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// `PUT /api/v1/phrases/{id}` (administrators): creates or replaces.
pub async fn put_phrase(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(mut body): ApiJson<Phrase>,
) -> ApiResult<Json<Phrase>> {
    body.id = uuid(&caller, &id)?;
    console::save_phrase(&state.stores, state.clock.now(), &caller.user, body)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// `DELETE /api/v1/phrases/{id}` (administrators).
pub async fn delete_phrase(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = uuid(&caller, &id)?;
    console::delete_phrase(&state.stores, state.clock.now(), &caller.user, id)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/tokens` (administrators).
pub async fn tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<loopdesk::token::ApiToken>>> {
    app::tokens::list(&state.stores, &caller.user)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// `POST /api/v1/tokens` (administrators): the answer carries the token's text, once.
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<app::tokens::NewTokenInput>,
) -> ApiResult<Response> {
    let created = app::tokens::create(&state.stores, state.clock.now(), &caller.user, body)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `DELETE /api/v1/tokens/{id}` (administrators): revokes.
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = uuid(&caller, &id)?;
    app::tokens::revoke(&state.stores, state.clock.now(), &caller.user, id)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok(StatusCode::NO_CONTENT)
}

//! REST resources of the knowledge base: search (ranked hits with highlights), published
//! articles, SOP flows and their runs (start, submit the current step, roll back). Handlers
//! only translate HTTP to the use cases in `app::knowledge`.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use loopdesk::customer::CustomerId;
use loopdesk::kb::search::DocKind;
use loopdesk::kb::Audience;
use serde::Deserialize;
use uuid::Uuid;

use app::desk::{DeskError, Invalid};
use app::knowledge::{self, SearchInput};
use app::state::AppState;
use app::views::knowledge::{ArticleView, FlowRow, FlowView, HitView, RunView};

use super::caller::Caller;
use super::error::ApiJson;

use super::error::ApiResult;

fn id(caller: &Caller, text: &str) -> ApiResult<Uuid> {
    text.parse()
        .map_err(|_| caller.desk_error(&DeskError::NotFound))
}

fn code<T>(
    caller: &Caller,
    q: &HashMap<String, String>,
    name: &str,
    parse: fn(&str) -> Option<T>,
) -> ApiResult<Option<T>> {
    match q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| caller.desk_error(&DeskError::invalid(name, Invalid::Unknown))),
    }
}

/// `GET /api/v1/kb/search?q=…&audience=…&category=…&kind=…&limit=…`.
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<HitView>>> {
    let limit = match q.get("limit") {
        None => None,
        Some(l) => Some(
            l.trim()
                .parse::<usize>()
                .map_err(|_| caller.desk_error(&DeskError::invalid("limit", Invalid::Unknown)))?,
        ),
    };
    let input = SearchInput {
        text: q.get("q").cloned().unwrap_or_default(),
        category: q.get("category").cloned(),
        kind: code(&caller, &q, "kind", DocKind::from_code)?,
        audience: code(&caller, &q, "audience", Audience::from_code)?,
        limit,
    };
    knowledge::search(
        &state.stores,
        state.search.as_ref(),
        Some(&caller.user),
        input,
        caller.locale,
        state.clock.now(),
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/kb/articles/{id}`: the published version (customers: public ones only).
pub async fn article(
    State(state): State<AppState>,
    caller: Caller,
    Path(article): Path<String>,
) -> ApiResult<Json<ArticleView>> {
    let article = id(&caller, &article)?;
    knowledge::read_article(&state.stores, Some(&caller.user), article, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/kb/flows`.
pub async fn flows(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<FlowRow>>> {
    knowledge::list_flows(&state.stores, Some(&caller.user), caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/kb/flows/{id}`.
pub async fn flow(
    State(state): State<AppState>,
    caller: Caller,
    Path(flow): Path<String>,
) -> ApiResult<Json<FlowView>> {
    let flow = id(&caller, &flow)?;
    knowledge::flow_view(&state.stores, Some(&caller.user), flow, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// Body of `POST /api/v1/kb/flows/{id}/runs`.
#[derive(Debug, Default, Deserialize)]
pub struct StartBody {
    /// The customer the run is for (staff).
    #[serde(default)]
    pub customer: Option<Uuid>,
}

/// `POST /api/v1/kb/flows/{id}/runs` (body `{}` or `{"customer": …}`): starts a run of the
/// published version.
pub async fn start_run(
    State(state): State<AppState>,
    caller: Caller,
    Path(flow): Path<String>,
    ApiJson(body): ApiJson<StartBody>,
) -> ApiResult<Response> {
    let flow = id(&caller, &flow)?;
    let run = knowledge::start_run(
        &state.stores,
        &caller.user,
        flow,
        body.customer.map(CustomerId),
        caller.locale,
        state.clock.now(),
    )
    .await
    .map_err(|e| caller.desk_error(&e))?;
    Ok((StatusCode::CREATED, Json(run)).into_response())
}

/// `GET /api/v1/kb/runs/{id}`.
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    Path(run): Path<String>,
) -> ApiResult<Json<RunView>> {
    let run = id(&caller, &run)?;
    knowledge::get_run(&state.stores, &caller.user, run, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// Body of `POST /api/v1/kb/runs/{id}/submit`.
#[derive(Debug, Deserialize)]
pub struct SubmitBody {
    /// The run's row version as read.
    pub rev: u32,
    /// Answers of the current step by field name.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// `POST /api/v1/kb/runs/{id}/submit`: submits the current step.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(run): Path<String>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> ApiResult<Json<RunView>> {
    let run = id(&caller, &run)?;
    knowledge::submit_run(
        &state.stores,
        &caller.user,
        run,
        body.rev,
        body.answers,
        caller.locale,
        state.clock.now(),
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

/// Body of `POST /api/v1/kb/runs/{id}/rollback`.
#[derive(Debug, Deserialize)]
pub struct RollbackBody {
    /// The run's row version as read.
    pub rev: u32,
}

/// `POST /api/v1/kb/runs/{id}/rollback`: back to the previous step.
pub async fn rollback(
    State(state): State<AppState>,
    caller: Caller,
    Path(run): Path<String>,
    ApiJson(body): ApiJson<RollbackBody>,
) -> ApiResult<Json<RunView>> {
    let run = id(&caller, &run)?;
    knowledge::rollback_run(
        &state.stores,
        &caller.user,
        run,
        body.rev,
        caller.locale,
        state.clock.now(),
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

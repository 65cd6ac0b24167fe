//! Ticket, customer, calendar and SLA resources of `/api/v1` (DESIGN §4): thin handlers
//! that parse, call the desk use cases in `app::desk`, and render views or errors.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use loopdesk::calendar::spec::CalendarSpec;
use loopdesk::customer::CustomerId;
use loopdesk::sla::Policy;
use loopdesk::store::desk::{TicketQuery, TicketSort};
use loopdesk::ticket::action::Action;
use loopdesk::ticket::{TicketId, TicketKind, TicketState};
use loopdesk::user::{DepartmentId, UserId};
use serde::Serialize;
use uuid::Uuid;

use app::desk::{self, ImportInput, PreviewInput, RegisterInput};
use app::state::AppState;
use app::views::{self, target_view, EventView, SlaTargetView};

use super::caller::{Caller, ImportScope, Integration, TicketsReadScope, TicketsWriteScope};
use super::error::ApiJson;

use super::error::ApiResult;

fn ticket_id(caller: &Caller, raw: &str) -> ApiResult<TicketId> {
    Uuid::parse_str(raw)
        .map(TicketId)
        .map_err(|_| caller.desk_error(&desk::DeskError::NotFound))
}

async fn view(state: &AppState, caller: &Caller, id: TicketId) -> ApiResult<views::TicketView> {
    let now = state.clock.now();
    let d = desk::detail(&state.stores, now, &caller.user, id)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    views::ticket_view(&state.stores, d, caller.locale)
        .await
        .map_err(|e| caller.desk_error(&e))
}

/// `POST /api/v1/tickets`.
pub async fn create(
    State(state): State<AppState>,
    Integration { caller, .. }: Integration<TicketsWriteScope>,
    ApiJson(input): ApiJson<RegisterInput>,
) -> ApiResult<Response> {
    let id = desk::register(&state.stores, state.clock.now(), &caller.user, input)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    let body = view(&state, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

fn parse_list(
    caller: &Caller,
    q: &HashMap<String, String>,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<(TicketQuery, u32, u32)> {
    let zh = caller.locale == loopdesk::locale::Locale::ZhCn;
    let bad = |field: &str, value: &str| {
        caller.invalid(
            field,
            if zh {
                format!("查询参数 {field} 的值“{value}”无效")
            } else {
                format!("The query parameter {field} has an invalid value {value:?}")
            },
        )
    };
    let uuid = |field: &str| -> ApiResult<Option<Uuid>> {
        match q.get(field) {
            None => Ok(None),
            Some(v) if field == "assignee" && v == "me" => Ok(Some(caller.user.id.0)),
            Some(v) => Uuid::parse_str(v).map(Some).map_err(|_| bad(field, v)),
        }
    };
    let flag = |field: &str| -> ApiResult<bool> {
        match q.get(field).map(String::as_str) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(v) => Err(bad(field, v)),
        }
    };
    let number = |field: &str, default: u32, max: u32| -> ApiResult<u32> {
        match q.get(field) {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| bad(field, v)),
        }
    };
    let mut states = Vec::new();
    if let Some(list) = q.get("state") {
        for code in list.split(',').filter(|c| !c.is_empty()) {
            states.push(TicketState::from_code(code).ok_or_else(|| bad("state", code))?);
        }
    }
    let kind = match q.get("kind") {
        Some(k) => Some(TicketKind::from_code(k).ok_or_else(|| bad("kind", k))?),
        None => None,
    };
    let sort = match q.get("sort").map(String::as_str) {
        None | Some("nearest_due") => TicketSort::NearestDue,
        Some("newest") => TicketSort::Newest,
        Some(v) => return Err(bad("sort", v)),
    };
    let page = number("page", 1, u32::MAX)?;
    let page_size = number("page_size", 50, 200)?;
    Ok((
        TicketQuery {
            states,
            open_only: flag("open")?,
            kind,
            department: uuid("department")?.map(DepartmentId),
            assignee: uuid("assignee")?.map(UserId),
            customer: uuid("customer")?.map(CustomerId),
            at_risk_at: flag("at_risk")?.then_some(now),
            overdue_at: flag("overdue")?.then_some(now),
            escalated: flag("escalated")?,
            sort,
            page,
            page_size,
        },
        page,
        page_size,
    ))
}

/// `GET /api/v1/tickets?state=&kind=&department=&assignee=&customer=&at_risk=&overdue=&escalated=&open=&sort=&page=&page_size=`.
pub async fn list(
    State(state): State<AppState>,
    Integration { caller, .. }: Integration<TicketsReadScope>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<views::TicketList>> {
    if !caller.user.role.is_staff() {
        return Err(caller.desk_error(&desk::DeskError::Forbidden));
    }
    let now = state.clock.now();
    let (query, page, size) = parse_list(&caller, &q, now)?;
    let rows = state
        .stores
        .tickets
        .list_tickets(&query)
        .await
        .map_err(|e| caller.desk_error(&e.into()))?;
    views::ticket_list(&state.stores, rows, page, size, now, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/tickets/{id}`.
pub async fn get_one(
    State(state): State<AppState>,
    Integration { caller, .. }: Integration<TicketsReadScope>,
    Path(id): Path<String>,
) -> ApiResult<Json<views::TicketView>> {
    let id = ticket_id(&caller, &id)?;
    view(&state, &caller, id).await.map(Json)
}

/// The event log of a ticket.
#[derive(Debug, Serialize)]
pub struct EventsBody {
    items: Vec<EventView>,
    chain_intact: bool,
}

/// `GET /api/v1/tickets/{id}/events`.
pub async fn events(
    State(state): State<AppState>,
    Integration { caller, .. }: Integration<TicketsReadScope>,
    Path(id): Path<String>,
) -> ApiResult<Json<EventsBody>> {
    let id = ticket_id(&caller, &id)?;
    let v = view(&state, &caller, id).await?;
    Ok(Json(EventsBody {
        items: v.events,
        chain_intact: v.chain_intact,
    }))
}

/// `POST /api/v1/tickets/{id}/actions` with `{action, expected_version, …fields}`.
pub async fn act(
    State(state): State<AppState>,
    Integration { caller, .. }: Integration<TicketsWriteScope>,
    Path(id): Path<String>,
    ApiJson(mut body): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<views::TicketView>> {
    let id = ticket_id(&caller, &id)?;
    let zh = caller.locale == loopdesk::locale::Locale::ZhCn;
    let version = match body.remove("expected_version") {
        Some(v) => v.as_u64().ok_or_else(|| {
            caller.invalid(
                "expected_version",
                if zh {
                    "expected_version 必须是正整数".into()
                } else {
                    "expected_version must be a positive integer".into()
                },
            )
        })?,
        None => {
            return Err(caller.invalid(
                "expected_version",
                if zh {
                    "必须提供 expected_version（你看到的工单版本）".into()
                } else {
                    "expected_version (the version of the ticket you saw) is required".into()
                },
            ))
        }
    };
    let action: Action = serde_json::from_value(serde_json::Value::Object(body)).map_err(|e| {
        let detail = e.to_string();
        let field = if detail.contains("action") || detail.contains("variant") {
            "action".to_owned()
        } else {
            detail
                .split('`')
                .nth(1)
                .map(str::to_owned)
                .unwrap_or_else(|| "action".into())
        };
        caller.invalid(
            &field,
            if zh {
                format!("操作内容无效：{detail}")
            } else {
                format!("Invalid action: {detail}")
            },
        )
    })?;
    let taken = action.clone();
    desk::act(
        &state.stores,
        state.clock.now(),
        &caller.user,
        id,
        version,
        action,
    )
    .await
    .map_err(|e| caller.desk_error(&e))?;
    app::portal::text_customer(&state.stores, state.sender.as_ref(), id, &taken).await;
    view(&state, &caller, id).await.map(Json)
}

/// Response of an import.
#[derive(Debug, Serialize)]
pub struct ImportedBody {
    id: String,
    number: String,
}

/// `POST /api/v1/tickets/import` (administrators).
pub async fn import(
    State(state): State<AppState>,
    Integration { caller, .. }: Integration<ImportScope>,
    ApiJson(input): ApiJson<ImportInput>,
) -> ApiResult<Response> {
    let (id, number) = desk::import(&state.stores, state.clock.now(), &caller.user, input)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok((
        StatusCode::CREATED,
        Json(ImportedBody {
            id: id.0.to_string(),
            number,
        }),
    )
        .into_response())
}

/// A calendar with its code.
#[derive(Debug, Serialize)]
pub struct CalendarBody {
    code: String,
    #[serde(flatten)]
    spec: CalendarSpec,
}

fn staff(caller: &Caller) -> ApiResult<()> {
    if caller.user.role.is_staff() {
        Ok(())
    } else {
        Err(caller.desk_error(&desk::DeskError::Forbidden))
    }
}

/// `GET /api/v1/calendars`.
pub async fn calendars(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<CalendarBody>>> {
    staff(&caller)?;
    let list = desk::calendars(&state.stores)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok(Json(
        list.into_iter()
            .map(|(code, spec)| CalendarBody { code, spec })
            .collect(),
    ))
}

/// `GET /api/v1/calendars/{code}`.
pub async fn calendar(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<CalendarBody>> {
    staff(&caller)?;
    desk::calendars(&state.stores)
        .await
        .map_err(|e| caller.desk_error(&e))?
        .into_iter()
        .find(|(c, _)| *c == code)
        .map(|(code, spec)| Json(CalendarBody { code, spec }))
        .ok_or_else(|| caller.desk_error(&desk::DeskError::NotFound))
}

/// `PUT /api/v1/calendars/{code}` (administrators): replaces the calendar, recomputes
/// open tickets.
pub async fn put_calendar(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(spec): ApiJson<CalendarSpec>,
) -> ApiResult<Json<CalendarBody>> {
    desk::put_calendar(&state.stores, state.clock.now(), &caller.user, &code, spec)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    calendar(State(state), caller, Path(code)).await
}

/// `GET /api/v1/sla/policies`.
pub async fn policies(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<Policy>>> {
    staff(&caller)?;
    let cfg = desk::load_sla_config(&state.stores)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok(Json(cfg.policies))
}

/// `PUT /api/v1/sla/policies` (administrators).
pub async fn put_policies(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(list): ApiJson<Vec<Policy>>,
) -> ApiResult<Json<Vec<Policy>>> {
    desk::put_policies(&state.stores, state.clock.now(), &caller.user, list)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    policies(State(state), caller).await
}

/// `POST /api/v1/sla/preview`.
pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PreviewInput>,
) -> ApiResult<Json<Vec<SlaTargetView>>> {
    staff(&caller)?;
    let list = desk::preview(&state.stores, &input)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok(Json(
        list.iter().map(|s| target_view(s, caller.locale)).collect(),
    ))
}

//! `GET /api/v1/audit` (supervisors and administrators): the audit log searched by actor,
//! action, subject and time, newest first, one page, each entry with its chain hash
//! (`app::audit::search`; this module parses the query).

use std::collections::HashMap;

use app::state::AppState;
use app::views::supervision::AuditListView;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use loopdesk::locale::Locale;
use loopdesk::store::{AuditAction, AuditQuery};
use loopdesk::user::UserId;
use uuid::Uuid;

use super::caller::Caller;
use super::error::ApiResult;

fn parse(caller: &Caller, q: &HashMap<String, String>) -> ApiResult<AuditQuery> {
    let bad = |field: &str, value: &str| {
        caller.invalid(
            field,
            match caller.locale {
                Locale::ZhCn => format!("查询参数 {field} 的值“{value}”无效"),
                Locale::En => format!("The query parameter {field} has an invalid value {value:?}"),
            },
        )
    };
    let instant = |field: &str| -> ApiResult<Option<DateTime<Utc>>> {
        q.get(field)
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| bad(field, v))
            })
            .transpose()
    };
    let number = |field: &str, default: u32, max: u32| -> ApiResult<u32> {
        q.get(field).map_or(Ok(default), |v| {
            v.parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| bad(field, v))
        })
    };
    Ok(AuditQuery {
        actor: q
            .get("actor")
            .map(|v| Uuid::parse_str(v).map(UserId).map_err(|_| bad("actor", v)))
            .transpose()?,
        action: q
            .get("action")
            .map(|v| AuditAction::from_code(v).ok_or_else(|| bad("action", v)))
            .transpose()?,
        subject: q.get("subject").filter(|s| !s.is_empty()).cloned(),
        from: instant("from")?,
        to: instant("to")?,
        page: number("page", 1, u32::MAX)?,
        page_size: number("page_size", 50, 200)?,
    })
}

/// `GET /api/v1/audit?actor=&action=&subject=&from=&to=&page=&page_size=`.
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<AuditListView>> {
    let query = parse(&caller, &q)?;
    app::audit::search(&state.stores, &caller.user, &query, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

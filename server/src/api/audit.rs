//! `GET /api/v1/audit` (supervisors and administrators): the audit log searched by actor,
//! action, subject and time, newest first, one page, each entry with its chain hash.

use std::collections::HashMap;

use app::desk::DeskError;
use app::i18n::names::audit_action_name;
use app::state::AppState;
use app::supervision::require_supervisor;
use app::views::CodeName;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use loopdesk::locale::Locale;
use loopdesk::store::{AuditAction, AuditQuery};
use loopdesk::user::UserId;
use serde::Serialize;
use uuid::Uuid;

use super::caller::Caller;
use super::error::ApiResult;

/// One entry as the API shows it.
#[derive(Debug, Serialize)]
pub struct AuditView {
    id: i64,
    at: DateTime<Utc>,
    actor: Option<String>,
    action: CodeName,
    subject: String,
    detail: String,
    transaction_id: Option<String>,
    hash: String,
}

/// A page of entries.
#[derive(Debug, Serialize)]
pub struct AuditList {
    items: Vec<AuditView>,
    page: u32,
    page_size: u32,
    total: u64,
    total_pages: u32,
    last_page: bool,
}

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
) -> ApiResult<Json<AuditList>> {
    require_supervisor(&caller.user).map_err(|e| caller.desk_error(&e))?;
    let query = parse(&caller, &q)?;
    let found = state
        .stores
        .audit
        .search_audit(&query)
        .await
        .map_err(|e| caller.desk_error(&DeskError::from(e)))?;
    let total_pages = found.total.div_ceil(u64::from(query.page_size)).max(1);
    let total_pages = u32::try_from(total_pages).unwrap_or(u32::MAX);
    Ok(Json(AuditList {
        items: found
            .items
            .into_iter()
            .map(|s| AuditView {
                id: s.id,
                at: s.entry.at,
                actor: s.entry.actor.map(|a| a.0.to_string()),
                action: CodeName {
                    code: s.entry.action.code().into(),
                    name: audit_action_name(s.entry.action, caller.locale).into(),
                },
                subject: s.entry.subject,
                detail: s.entry.detail,
                transaction_id: s.entry.transaction_id,
                hash: s.hash,
            })
            .collect(),
        page: query.page,
        page_size: query.page_size,
        total: found.total,
        total_pages,
        last_page: query.page >= total_pages,
    }))
}

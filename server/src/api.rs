//! The REST API under `/api/v1` (DESIGN §4): transaction ids, the JSON error shape, the
//! JSON extractor with localized rejections, and the resources that exist so far
//! (`session`, `me`, `departments`, tickets, customers with billing, calendars, SLA policies
//! and preview, calls and CTI, tasks, agent states, phrases).

pub mod audit;
pub mod caller;
pub mod calls;
pub mod console;
pub mod error;
pub mod knowledge;
pub mod portal;
pub mod rate;
pub mod session;
pub mod supervision;
pub mod tickets;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use tracing::Instrument;

use app::state::AppState;

/// The request's transaction id (SEED-BUS conventions): taken from `X-Transaction-Id` when
/// the caller sent a sane one, generated otherwise; echoed on every response and logged.
#[derive(Debug, Clone)]
pub struct TransactionId(pub String);

/// Header carrying the transaction id.
pub const TRANSACTION_HEADER: &str = "x-transaction-id";

fn acceptable_transaction_id(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// Middleware: a request not answered within `limit` (reading its body included) gets 408
/// with the error body. Dropping the unfinished handler rolls back any transaction it had
/// open, so nothing half-done is kept. A response that has started (an event stream) is not
/// cut: only the wait for the response is timed.
pub async fn request_timeout(
    axum::extract::State(limit): axum::extract::State<std::time::Duration>,
    request: Request,
    next: Next,
) -> Response {
    use axum::response::IntoResponse;
    let ctx = error::ApiCtx::from_parts(request.extensions(), request.headers());
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => error::ApiError::new(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            error::ErrorCode::Timeout,
            app::i18n::t(ctx.locale).err_timeout.into(),
            &ctx,
        )
        .into_response(),
    }
}

/// Middleware: assigns the transaction id, runs the request inside a span carrying it, and
/// echoes it on the response.
pub async fn transaction_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(TRANSACTION_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable_transaction_id(v))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    request.extensions_mut().insert(TransactionId(id.clone()));
    let span = tracing::info_span!(
        "request",
        transaction_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| tracing::info!(status = response.status().as_u16(), "handled"));
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(TRANSACTION_HEADER, value);
    }
    response
}

/// The OpenAPI document of this API (hand-written; a test checks every documented path
/// is routed).
pub const OPENAPI: &str = include_str!("api/openapi.json");

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    use axum::response::IntoResponse;
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}

/// Largest accepted request body (DESIGN §4).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The `/api/v1` routes.
pub fn routes() -> Router<AppState> {
    table()
        .router
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// Every route pattern of [`routes`], from the same table (the permission-matrix test lists
/// the router's routes with it).
pub fn route_patterns() -> Vec<&'static str> {
    table().patterns
}

/// The router being built and the patterns it was given.
#[derive(Default)]
struct Table {
    router: Router<AppState>,
    patterns: Vec<&'static str>,
}

impl Table {
    fn route(mut self, pattern: &'static str, handler: MethodRouter<AppState>) -> Table {
        self.patterns.push(pattern);
        self.router = self.router.route(pattern, handler);
        self
    }
}

fn table() -> Table {
    Table::default()
        .route(
            "/session",
            post(session::create_session).delete(session::delete_session),
        )
        .route("/session/password", post(session::change_password))
        .route("/users", get(session::users))
        .route("/users/{id}/actions", post(session::user_action))
        .route("/me", get(session::me))
        .route("/departments", get(session::departments))
        .route("/audit", get(audit::search))
        .route("/tickets", post(tickets::create).get(tickets::list))
        .route("/tickets/import", post(tickets::import))
        .route("/tickets/{id}", get(tickets::get_one))
        .route("/tickets/{id}/actions", post(tickets::act))
        .route("/tickets/{id}/events", get(tickets::events))
        .route(
            "/customers",
            get(console::customers).post(console::create_customer),
        )
        .route("/customers/{id}", get(console::customer))
        .route("/customers/{id}/billing", get(console::billing))
        .route("/customers/{id}/reveal", post(console::reveal))
        .route("/billing/import", post(console::import_billing))
        .route("/tasks", get(console::tasks).post(console::create_task))
        .route("/tasks/{id}", post(console::work_task))
        .route(
            "/agent/state",
            get(console::my_state).put(console::set_state),
        )
        .route("/calls/{id}/disposition", post(console::disposition))
        .route("/phrases", get(console::phrases))
        .route("/kb/search", get(knowledge::search))
        .route("/kb/articles/{id}", get(knowledge::article))
        .route("/kb/flows", get(knowledge::flows))
        .route("/kb/flows/{id}", get(knowledge::flow))
        .route("/kb/flows/{id}/runs", post(knowledge::start_run))
        .route("/kb/runs/{id}", get(knowledge::run))
        .route("/kb/runs/{id}/submit", post(knowledge::submit))
        .route("/kb/runs/{id}/rollback", post(knowledge::rollback))
        .route("/tokens", get(console::tokens).post(console::create_token))
        .route("/tokens/{id}", axum::routing::delete(console::revoke_token))
        .route(
            "/phrases/{id}",
            axum::routing::put(console::put_phrase).delete(console::delete_phrase),
        )
        .route("/calendars", get(tickets::calendars))
        .route(
            "/calendars/{code}",
            get(tickets::calendar).put(tickets::put_calendar),
        )
        .route(
            "/sla/policies",
            get(tickets::policies).put(tickets::put_policies),
        )
        .route("/sla/preview", post(tickets::preview))
        .route("/portal/codes", post(portal::send_code))
        .route("/portal/register", post(portal::register))
        .route("/portal/password/reset", post(portal::reset_password))
        .route(
            "/portal/password",
            axum::routing::put(portal::change_password),
        )
        .route("/portal/home", get(portal::home))
        .route(
            "/portal/tickets",
            get(portal::tickets)
                .post(portal::submit)
                .layer(DefaultBodyLimit::max(portal::UPLOAD_LIMIT)),
        )
        .route("/portal/tickets/{id}", get(portal::ticket))
        .route("/portal/tickets/{id}/replies", post(portal::reply))
        .route("/portal/tickets/{id}/confirm", post(portal::confirm))
        .route(
            "/portal/tickets/{id}/attachments",
            post(portal::add_files).layer(DefaultBodyLimit::max(portal::UPLOAD_LIMIT)),
        )
        .route("/portal/bills", get(portal::bills))
        .route(
            "/portal/bills/{account}/{period}/csv",
            get(portal::bill_csv),
        )
        .route("/portal/notices", get(portal::notices))
        .route("/portal/notices/read", post(portal::read_notices))
        .route("/attachments/{id}", get(portal::attachment))
        .route("/openapi.json", get(openapi))
        .route("/cti/events", post(calls::cti_event))
        .route("/calls", get(calls::list))
        .route("/calls/{id}", get(calls::get_one))
        .route("/live", get(calls::live))
        .route("/metrics/summary", get(supervision::summary))
        .route("/wallboard/live", get(supervision::live))
        .route("/reports", get(supervision::report))
        .route("/reports/csv", get(supervision::report_csv))
}

#[cfg(test)]
mod tests {
    #[test]
    fn transaction_ids_are_sanitised() {
        assert!(super::acceptable_transaction_id("abc-123_x.y:z"));
        assert!(!super::acceptable_transaction_id(""));
        assert!(!super::acceptable_transaction_id("a b"));
        assert!(!super::acceptable_transaction_id(&"a".repeat(65)));
    }
}

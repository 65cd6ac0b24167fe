//! The access gate: who every REST route and server function is for ([`Audience`]),
//! checked on every request before its handler runs (and before its body is read). The
//! tables here are the permission matrix of DESIGN §5; a route or server function without
//! an entry is refused to everyone (and the permission-matrix test names it). Handlers keep
//! their own, finer checks (a customer's own records, a department's tickets).

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use loopdesk::access::{Audience, PageAccess};
use loopdesk::token::TokenScope;
use tower_sessions::Session;

use app::auth::AuthSession;
use app::error::AppError;
use app::state::AppState;

use crate::api::error::{ApiCtx, ApiError};

/// Who a REST route (below `/api/v1`) is for. `method` narrows an entry to one method;
/// `token` names the scope of a bearer token that may call it instead of a session.
#[derive(Debug, Clone, Copy)]
pub struct RestRule {
    /// The route as the router has it, e.g. `/tickets/{id}`.
    pub route: &'static str,
    /// Only this method (else every method of the route).
    pub method: Option<&'static str>,
    /// Who may call it with a session.
    pub audience: Audience,
    /// A bearer token with this scope may call it too.
    pub token: Option<TokenScope>,
}

/// A rule: `method` narrows it to one method, `token` lets a bearer token with that scope in.
const fn rule(
    method: Option<&'static str>,
    route: &'static str,
    audience: Audience,
    token: Option<TokenScope>,
) -> RestRule {
    RestRule {
        route,
        method,
        audience,
        token,
    }
}

const fn rest(route: &'static str, audience: Audience) -> RestRule {
    rule(None, route, audience, None)
}

const fn rest_on(method: &'static str, route: &'static str, audience: Audience) -> RestRule {
    rule(Some(method), route, audience, None)
}

const fn rest_token(route: &'static str, audience: Audience, scope: TokenScope) -> RestRule {
    rule(None, route, audience, Some(scope))
}

const fn rest_on_token(
    method: &'static str,
    route: &'static str,
    audience: Audience,
    scope: TokenScope,
) -> RestRule {
    rule(Some(method), route, audience, Some(scope))
}

use Audience::*;

/// The REST routes.
pub const REST: &[RestRule] = &[
    rest("/session", Anyone),
    rest("/session/password", Anyone),
    rest("/openapi.json", Anyone),
    rest("/portal/codes", Anyone),
    rest("/portal/register", Anyone),
    rest("/portal/password/reset", Anyone),
    rest("/me", SignedIn),
    rest("/kb/search", SignedIn),
    rest("/kb/articles/{id}", SignedIn),
    rest("/kb/flows", SignedIn),
    rest("/kb/flows/{id}", SignedIn),
    rest("/kb/flows/{id}/runs", SignedIn),
    rest("/kb/runs/{id}", SignedIn),
    rest("/kb/runs/{id}/submit", SignedIn),
    rest("/kb/runs/{id}/rollback", SignedIn),
    rest("/attachments/{id}", SignedIn),
    rest("/portal/password", Customers),
    rest("/portal/home", Customers),
    rest("/portal/tickets", Customers),
    rest("/portal/tickets/{id}", Customers),
    rest("/portal/tickets/{id}/replies", Customers),
    rest("/portal/tickets/{id}/confirm", Customers),
    rest("/portal/tickets/{id}/attachments", Customers),
    rest("/portal/bills", Customers),
    rest("/portal/bills/{account}/{period}/csv", Customers),
    rest("/portal/notices", Customers),
    rest("/portal/notices/read", Customers),
    rest("/departments", Staff),
    rest("/tickets", Staff),
    rest_on_token("GET", "/tickets", Staff, TokenScope::TicketsRead),
    rest_on_token("POST", "/tickets", Staff, TokenScope::TicketsWrite),
    rest_token("/tickets/{id}", Staff, TokenScope::TicketsRead),
    rest_token("/tickets/{id}/actions", Staff, TokenScope::TicketsWrite),
    rest_token("/tickets/{id}/events", Staff, TokenScope::TicketsRead),
    rest("/customers", Staff),
    rest("/customers/{id}", Staff),
    rest("/customers/{id}/billing", Staff),
    rest("/customers/{id}/reveal", Staff),
    rest("/tasks", Staff),
    rest("/tasks/{id}", Staff),
    rest("/agent/state", Staff),
    rest("/calls", Staff),
    rest("/calls/{id}", Staff),
    rest("/calls/{id}/disposition", Staff),
    rest("/live", Staff),
    rest("/phrases", Staff),
    rest("/calendars", Staff),
    rest("/calendars/{code}", Staff),
    rest_on("PUT", "/calendars/{code}", Admins),
    rest("/sla/policies", Staff),
    rest_on("PUT", "/sla/policies", Admins),
    rest("/sla/preview", Staff),
    rest_token("/cti/events", Staff, TokenScope::Cti),
    rest("/audit", Supervisors),
    rest("/metrics/summary", Supervisors),
    rest("/wallboard/live", Supervisors),
    rest("/reports", Supervisors),
    rest("/reports/csv", Supervisors),
    rest_token("/tickets/import", Admins, TokenScope::Import),
    rest_token("/billing/import", Admins, TokenScope::BillingImport),
    rest("/phrases/{id}", Admins),
    rest("/tokens", Admins),
    rest("/tokens/{id}", Admins),
    rest("/users", Admins),
    rest("/users/{id}/actions", Admins),
];

/// The server functions (their endpoint below `/api/`).
pub const SERVER_FNS: &[(&str, Audience)] = &[
    ("session", Anyone),
    ("account/password", Anyone),
    ("portal/code", Anyone),
    ("portal/register", Anyone),
    ("portal/reset", Anyone),
    ("kb/search", SignedIn),
    ("kb/article", SignedIn),
    ("kb/vote", SignedIn),
    ("kb/categories", SignedIn),
    ("kb/flows", SignedIn),
    ("kb/flow", SignedIn),
    ("kb/start-run", SignedIn),
    ("kb/run", SignedIn),
    ("kb/open-runs", SignedIn),
    ("kb/submit-run", SignedIn),
    ("kb/rollback-run", SignedIn),
    ("bot/start", SignedIn),
    ("bot/ask", SignedIn),
    ("bot/choose", SignedIn),
    ("bot/feedback", SignedIn),
    ("bot/hand-over", SignedIn),
    ("portal/password", Customers),
    ("portal/home", Customers),
    ("portal/requests", Customers),
    ("portal/request", Customers),
    ("portal/reply", Customers),
    ("portal/confirm", Customers),
    ("portal/choices", Customers),
    ("portal/bills", Customers),
    ("portal/notices", Customers),
    ("portal/notices/read", Customers),
    ("departments", Staff),
    ("console/customer", Staff),
    ("console/billing", Staff),
    ("console/reveal", Staff),
    ("console/tasks", Staff),
    ("console/task", Staff),
    ("console/state", Desk),
    ("console/set-state", Staff),
    ("console/disposition", Staff),
    ("console/phrases", Staff),
    ("desk/queue", Staff),
    ("desk/counts", Desk),
    ("desk/ticket", Staff),
    ("desk/act", Staff),
    ("desk/register", Staff),
    ("desk/customers", Staff),
    ("desk/new-customer", Staff),
    ("desk/directory", Staff),
    ("desk/calendars", Staff),
    ("desk/policies", Staff),
    ("desk/customer", Staff),
    ("kb/articles", Staff),
    ("kb/article-edit", Staff),
    ("kb/create-article", Staff),
    ("kb/article-action", Staff),
    ("kb/diff", Staff),
    ("kb/suggest-ticket", Staff),
    ("kb/suggest-customer", Staff),
    ("kb/use-article", Staff),
    ("kb/save-flow", Staff),
    ("kb/publish-flow", Staff),
    ("supervision/my_reviews", Staff),
    ("supervision/audit", Supervisors),
    ("supervision/wallboard", Supervisors),
    ("supervision/report", Supervisors),
    ("supervision/quality", Supervisors),
    ("supervision/scorecard", Supervisors),
    ("supervision/sample", Supervisors),
    ("supervision/review", Supervisors),
    ("supervision/staffing", Supervisors),
    ("supervision/shift", Supervisors),
    ("supervision/shift_delete", Supervisors),
    ("kb/zero-results", Supervisors),
    ("admin/users", Admins),
    ("admin/users/action", Admins),
    ("console/phrase-defs", Admins),
    ("console/save-phrase", Admins),
    ("console/delete-phrase", Admins),
    ("console/import-billing", Admins),
    ("console/tokens", Admins),
    ("console/create-token", Admins),
    ("console/revoke-token", Admins),
    ("desk/save-calendar", Admins),
    ("desk/import-holidays", Admins),
    ("desk/save-policies", Admins),
    ("kb/save-category", Admins),
    ("kb/synonyms", Admins),
    ("kb/save-synonym", Admins),
    ("kb/delete-synonym", Admins),
];

/// Where a request is going, as the gate classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A REST route with its rule.
    Rest(RestRule),
    /// A server function with its audience.
    ServerFn(Audience),
    /// An `/api` route without an entry: refused.
    Unlisted,
    /// Not the API (pages, assets, health): the page guard's business.
    Other,
}

impl PartialEq for RestRule {
    fn eq(&self, other: &Self) -> bool {
        (self.route, self.method) == (other.route, other.method)
    }
}
impl Eq for RestRule {}

/// Classifies a matched route (`/api/v1/tickets/{id}`, `/api/desk/act`).
pub fn classify(method: &Method, route: &str) -> Target {
    if let Some(rest) = route.strip_prefix("/api/v1") {
        let of_route = || REST.iter().filter(|r| r.route == rest);
        return of_route()
            .find(|r| r.method == Some(method.as_str()))
            .or_else(|| of_route().find(|r| r.method.is_none()))
            .map_or(Target::Unlisted, |r| Target::Rest(*r));
    }
    if let Some(endpoint) = route.strip_prefix("/api/") {
        return SERVER_FNS
            .iter()
            .find(|(e, _)| *e == endpoint)
            .map_or(Target::Unlisted, |(_, a)| Target::ServerFn(*a));
    }
    Target::Other
}

fn has_bearer(request: &Request) -> bool {
    request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "))
}

/// Middleware on matched routes: refuses a caller outside the route's audience with 401 or
/// 403 before the handler runs. Bearer tokens pass to routes that take them (the handler
/// checks the token and its scope).
pub async fn gate(
    State(state): State<AppState>,
    session: Session,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let route = matched.as_ref().map_or_else(
        || request.uri().path().to_owned(),
        |m| m.as_str().to_owned(),
    );
    let target = classify(request.method(), &route);
    let (audience, server_fn) = match target {
        Target::Other => return next.run(request).await,
        Target::Unlisted => {
            tracing::error!(%route, "an API route has no access rule; refused");
            return refuse(&request, AppError::Forbidden, route.starts_with("/api/v1"));
        }
        Target::Rest(rule) if rule.token.is_some() && has_bearer(&request) => {
            return next.run(request).await
        }
        Target::Rest(rule) => (rule.audience, false),
        Target::ServerFn(audience) => (audience, true),
    };
    if audience == Audience::Anyone {
        let response = next.run(request).await;
        return if server_fn {
            unreadable_is_bad_request(response).await
        } else {
            response
        };
    }
    let user = match app::auth::current_user(&state, &AuthSession(session)).await {
        Ok(u) => u,
        Err(e) => return refuse(&request, e, !server_fn),
    };
    match audience.admits(user.map(|u| u.role)) {
        PageAccess::Allowed if server_fn => {
            unreadable_is_bad_request(next.run(request).await).await
        }
        PageAccess::Allowed => next.run(request).await,
        PageAccess::SignIn => refuse(&request, AppError::Unauthenticated, !server_fn),
        PageAccess::Forbidden => refuse(&request, AppError::Forbidden, !server_fn),
    }
}

/// A server function answers every error with 500, also when its arguments could not be
/// read; that is the caller's fault: 400.
async fn unreadable_is_bad_request(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if matches!(
        serde_json::from_slice::<AppError>(&bytes),
        Ok(AppError::BadRequest(_))
    ) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The refusal in the shape the caller reads: the REST error body, or a server function's
/// encoded error with the matching status.
fn refuse(request: &Request, error: AppError, rest: bool) -> Response {
    let ctx = ApiCtx::from_parts(request.extensions(), request.headers());
    if rest {
        return ApiError::from_app(&error, &ctx).into_response();
    }
    let status = match error {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let body = serde_json::to_string(&error).unwrap_or_default();
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_classified_by_their_pattern_and_method() {
        let get = Method::GET;
        let put = Method::PUT;
        assert!(matches!(
            classify(&get, "/api/v1/calendars/{code}"),
            Target::Rest(RestRule {
                audience: Staff,
                ..
            })
        ));
        assert!(matches!(
            classify(&put, "/api/v1/calendars/{code}"),
            Target::Rest(RestRule {
                audience: Admins,
                ..
            })
        ));
        assert_eq!(classify(&get, "/api/v1/nothing"), Target::Unlisted);
        assert_eq!(classify(&get, "/api/desk/act"), Target::ServerFn(Staff));
        assert_eq!(classify(&get, "/api/nothing"), Target::Unlisted);
        assert_eq!(classify(&get, "/agent/{section}"), Target::Other);
    }

    #[test]
    fn every_entry_is_listed_once() {
        let mut rest: Vec<_> = REST.iter().map(|r| (r.route, r.method)).collect();
        rest.sort();
        let n = rest.len();
        rest.dedup();
        assert_eq!(rest.len(), n);
        let mut fns: Vec<_> = SERVER_FNS.iter().map(|(e, _)| *e).collect();
        fns.sort();
        let n = fns.len();
        fns.dedup();
        assert_eq!(fns.len(), n);
    }
}

//! Browser-facing routes outside Leptos: the sign-in, sign-out and language forms (plain
//! HTML forms answered with 303 redirects, so they work before and after hydration), the
//! page guard that sends anonymous visitors of protected pages to `/login`, the same-origin
//! check, and the browser guard on every route (cross-site state changes refused, security
//! headers).

use axum::extract::{Form, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use loopdesk::access::{page_access, PageAccess};
use loopdesk::locale::Locale;
use serde::Deserialize;
use tower_sessions::Session;

use app::auth::{self, AuthSession, LoginError, LOCALE_COOKIE};
use app::state::AppState;

use crate::api::TransactionId;

/// Whether a browser request comes from our own origin. Requests without `Origin` (and
/// without `Referer`) are not cross-site browser posts and pass.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match source {
        None => true,
        Some("null") => false,
        Some(url) => url
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or("") == host)
            .unwrap_or(false),
    }
}

/// Middleware for every route: a state-changing request carried by the browser's session
/// cookie (no `Authorization: Bearer`) must come from our own origin (CSRF; DESIGN §5),
/// else 403 with the API's error body and nothing runs. Every response gets the security
/// headers (no framing, no MIME sniffing, no referrer to other sites) unless the handler set
/// its own (file downloads set a stricter policy).
pub async fn browser_guard(request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    // The sign-in, sign-out and language forms check themselves and answer with a redirect
    // the login page explains.
    let own_check = request.uri().path().starts_with("/auth/");
    if unsafe_method && !bearer && !own_check && !same_origin(request.headers()) {
        let ctx = crate::api::error::ApiCtx::from_parts(request.extensions(), request.headers());
        let message = app::i18n::t(ctx.locale).err_cross_site.to_owned();
        return crate::api::error::ApiError::new(
            StatusCode::FORBIDDEN,
            crate::api::error::ErrorCode::Forbidden,
            message,
            &ctx,
        )
        .into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::CONTENT_SECURITY_POLICY,
            "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
        ),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// A local path that is safe to redirect to (no scheme, no `//host`, no backslashes).
pub fn safe_local_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    ok.then_some(path)
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn login_redirect(params: &[(&str, &str)]) -> Response {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    see_other(&format!("/login?{query}"))
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /login`.
pub async fn post_login(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(client): axum::extract::ConnectInfo<std::net::SocketAddr>,
    session: Session,
    Extension(tx): Extension<TransactionId>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let keep = |code: &'static str| {
        let mut p = vec![("error", code), ("u", form.username.as_str())];
        if !form.next.is_empty() {
            p.push(("next", form.next.as_str()));
        }
        p
    };
    if !same_origin(&headers) {
        return login_redirect(&keep("origin"));
    }
    let ip = client.ip().to_string();
    let bucket = loopdesk::portal::RateBucket::SignInPerIp;
    match app::portal::limit(&state.stores, bucket, &ip, state.clock.now()).await {
        Ok(()) => {}
        Err(app::desk::DeskError::RateLimited { .. }) => return login_redirect(&keep("rate")),
        Err(e) => {
            tracing::error!(error = ?e, "sign-in rate limit check failed");
            return login_redirect(&keep("internal"));
        }
    }
    let session = AuthSession(session);
    match auth::sign_in(&state, &session, &form.username, &form.password, Some(tx.0)).await {
        Ok(user) => {
            // A language chosen on the sign-in page is an explicit choice: it becomes the
            // account's language.
            let chosen = auth::cookie_value(&headers, LOCALE_COOKIE)
                .and_then(|v| v.parse::<Locale>().ok())
                .filter(|l| user.locale != Some(*l));
            if let Some(locale) = chosen {
                if let Err(e) = state.stores.users.set_locale(user.id, locale).await {
                    tracing::error!(error = ?e, "storing the language choice failed");
                }
            }
            let next = safe_local_path(&form.next)
                .filter(|p| page_access(Some(user.role), p) == PageAccess::Allowed)
                .filter(|p| *p != "/login");
            see_other(next.unwrap_or(user.role.home_path()))
        }
        Err(LoginError::Locked { until }) => {
            let minutes = remaining_minutes(until, state.clock.now()).to_string();
            let mut p = keep("locked");
            p.push(("minutes", &minutes));
            login_redirect(&p)
        }
        Err(LoginError::ChangePassword(reason)) => {
            let mut p = vec![
                ("u", form.username.as_str()),
                (
                    "reason",
                    match reason {
                        loopdesk::password::ChangeReason::Expired => "expired",
                        loopdesk::password::ChangeReason::Reset => "reset",
                    },
                ),
            ];
            if !form.next.is_empty() {
                p.push(("next", form.next.as_str()));
            }
            let query = serde_urlencoded::to_string(&p).unwrap_or_default();
            see_other(&format!("/password?{query}"))
        }
        Err(e) => login_redirect(&keep(match e {
            LoginError::EmptyFields => "empty",
            LoginError::NameTooLong => "too_long",
            LoginError::InvalidCredentials => "invalid",
            LoginError::Disabled => "disabled",
            LoginError::Locked { .. } | LoginError::ChangePassword(_) | LoginError::Internal => {
                "internal"
            }
        })),
    }
}

/// Whole minutes until `until`, rounded up, at least 1.
pub fn remaining_minutes(
    until: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> i64 {
    let secs = (until - now).num_seconds().max(1);
    (secs + 59) / 60
}

/// `POST /logout`.
pub async fn post_logout(
    State(state): State<AppState>,
    session: Session,
    Extension(tx): Extension<TransactionId>,
    headers: HeaderMap,
) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    if let Err(e) = auth::sign_out(&state, &AuthSession(session), Some(tx.0)).await {
        tracing::error!(error = ?e, "sign-out failed");
    }
    see_other("/login")
}

/// The language switch form.
#[derive(Deserialize)]
pub struct LocaleForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    return_to: String,
}

/// `POST /locale`: remembers the language in a cookie and, when signed in, for the user.
pub async fn post_locale(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<LocaleForm>,
) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    let back = safe_local_path(&form.return_to).unwrap_or("/").to_owned();
    let Ok(locale) = form.lang.parse::<Locale>() else {
        return see_other(&back);
    };
    let session = AuthSession(session);
    match auth::current_user(&state, &session).await {
        Ok(Some(user)) => {
            if let Err(e) = state.stores.users.set_locale(user.id, locale).await {
                tracing::error!(error = ?e, "storing the language choice failed");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = ?e, "session lookup failed"),
    }
    let mut response = see_other(&back);
    let cookie = format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Sends anonymous visitors of protected pages to `/login?next=…` before any rendering.
/// Signed-in users with the wrong role get the localized 403 page from Leptos.
pub async fn page_guard(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if request.method() == Method::GET && page_access(None, &path) == PageAccess::SignIn {
        match auth::current_user(&state, &AuthSession(session)).await {
            Ok(Some(_)) => {}
            Ok(None) => {
                let query =
                    serde_urlencoded::to_string([("next", path.as_str())]).unwrap_or_default();
                return see_other(&format!("/login?{query}"));
            }
            Err(e) => {
                tracing::error!(error = ?e, "session lookup failed in the page guard");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_check() {
        assert!(same_origin(&headers(&[("host", "a:3000")])));
        assert!(same_origin(&headers(&[
            ("host", "a:3000"),
            ("origin", "http://a:3000")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a:3000"),
            ("origin", "http://evil")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a:3000"),
            ("origin", "null")
        ])));
        assert!(same_origin(&headers(&[
            ("host", "a:3000"),
            ("referer", "http://a:3000/login")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a:3000"),
            ("referer", "http://a:3000.evil/x")
        ])));
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(safe_local_path("/agent"), Some("/agent"));
        assert_eq!(safe_local_path("//evil.com"), None);
        assert_eq!(safe_local_path("https://evil.com"), None);
        assert_eq!(safe_local_path("/\\evil.com"), None);
        assert_eq!(safe_local_path(""), None);
    }

    #[test]
    fn remaining_minutes_round_up() {
        let now = chrono::Utc::now();
        assert_eq!(
            remaining_minutes(now + chrono::Duration::seconds(61), now),
            2
        );
        assert_eq!(
            remaining_minutes(now + chrono::Duration::minutes(15), now),
            15
        );
        assert_eq!(remaining_minutes(now, now), 1);
    }
}

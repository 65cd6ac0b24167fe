//! Rate limits of the public REST API (`/api/v1`, DESIGN §4): every request counts against
//! its client — the bearer token, else the session cookie — and against its IP address, each
//! a GCRA bucket allowing the configured requests per minute (all of them at once at most,
//! then evenly). Over the limit: 429 `rate_limited` with `Retry-After`, before anything runs.
//! The buckets live in memory, so with several instances each enforces its own share. The
//! sign-in, registration and code routes keep their own stored limits as well.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::{ApiCtx, ApiError, ErrorCode};

/// Requests per minute allowed per client and per IP address; `None`: no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateSettings {
    /// Per bearer token or session.
    pub per_client: Option<u32>,
    /// Per IP address.
    pub per_ip: Option<u32>,
}

impl Default for RateSettings {
    fn default() -> Self {
        RateSettings {
            per_client: Some(1200),
            per_ip: Some(6000),
        }
    }
}

/// The buckets of one instance.
pub struct RateLimits {
    settings: RateSettings,
    /// Theoretical arrival time of each key's next request.
    tat: Mutex<HashMap<String, Instant>>,
}

/// Keys kept before stale ones are dropped.
const PRUNE_AT: usize = 50_000;

impl RateLimits {
    /// Buckets under the given settings.
    pub fn new(settings: RateSettings) -> Arc<RateLimits> {
        Arc::new(RateLimits {
            settings,
            tat: Mutex::new(HashMap::new()),
        })
    }

    /// Counts one request of `key` at `now` under `per_minute`; `Err(wait)` when over.
    fn admit(&self, key: String, per_minute: u32, now: Instant) -> Result<(), Duration> {
        let interval = Duration::from_secs(60) / per_minute.max(1);
        let tolerance = Duration::from_secs(60).saturating_sub(interval);
        let mut table = self.tat.lock().unwrap_or_else(|p| p.into_inner());
        if table.len() >= PRUNE_AT {
            table.retain(|_, tat| *tat > now);
        }
        let tat = table.get(&key).copied().unwrap_or(now).max(now);
        let ahead = tat - now;
        if ahead > tolerance {
            return Err(ahead - tolerance);
        }
        table.insert(key, tat + interval);
        Ok(())
    }

    /// Counts a request with these credentials from this address; `Err(wait)` when over
    /// either limit (a refused request counts against neither).
    pub fn check(&self, client: Option<String>, ip: String, now: Instant) -> Result<(), Duration> {
        if let (Some(limit), Some(client)) = (self.settings.per_client, client) {
            self.admit(client, limit, now)?;
        }
        if let Some(limit) = self.settings.per_ip {
            self.admit(format!("ip:{ip}"), limit, now)?;
        }
        Ok(())
    }
}

/// The client a request belongs to: its bearer token, else its session cookie (hashed:
/// the key never holds a credential).
fn client_key(request: &Request) -> Option<String> {
    use sha2::{Digest, Sha256};
    let headers = request.headers();
    let credential = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "))
        .map(|v| format!("t:{}", &v[7..]))
        .or_else(|| {
            app::auth::cookie_value(headers, crate::startup::SESSION_COOKIE)
                .map(|v| format!("s:{v}"))
        })?;
    let digest = Sha256::digest(credential.as_bytes());
    Some(digest[..12].iter().fold(String::from("c:"), |mut key, b| {
        key.push_str(&format!("{b:02x}"));
        key
    }))
}

/// Middleware over every route: `/api/v1` requests are counted; the rest pass.
pub async fn limit(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with("/api/v1/") {
        return next.run(request).await;
    }
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    match limits.check(client_key(&request), ip, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let ctx = ApiCtx::from_parts(request.extensions(), request.headers());
            let seconds = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX) + 1;
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                app::i18n::portal::rate_limited(ctx.locale),
                &ctx,
            )
            .retry_after(seconds)
            .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minute_allows_its_requests_at_once_then_evenly() {
        let limits = RateLimits::new(RateSettings {
            per_client: Some(60),
            per_ip: None,
        });
        let t0 = Instant::now();
        for _ in 0..60 {
            assert_eq!(limits.check(Some("a".into()), "ip".into(), t0), Ok(()));
        }
        let wait = limits.check(Some("a".into()), "ip".into(), t0).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        // Another client has its own bucket; no credentials: only the IP counts.
        assert_eq!(limits.check(Some("b".into()), "ip".into(), t0), Ok(()));
        assert_eq!(limits.check(None, "ip".into(), t0), Ok(()));
        // One second later one more request fits, not two.
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(limits.check(Some("a".into()), "ip".into(), t1), Ok(()));
        assert!(limits.check(Some("a".into()), "ip".into(), t1).is_err());
    }

    #[test]
    fn the_address_limit_covers_every_client_behind_it() {
        let limits = RateLimits::new(RateSettings {
            per_client: Some(100),
            per_ip: Some(10),
        });
        let t0 = Instant::now();
        for i in 0..10 {
            assert_eq!(
                limits.check(Some(format!("c{i}")), "10.0.0.1".into(), t0),
                Ok(())
            );
        }
        assert!(limits
            .check(Some("c99".into()), "10.0.0.1".into(), t0)
            .is_err());
        assert_eq!(
            limits.check(Some("c99".into()), "10.0.0.2".into(), t0),
            Ok(())
        );
    }
}

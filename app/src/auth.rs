//! Authentication (SSR only): password hashing, the sign-in use case with its throttle and
//! audit, the typed session wrapper, and how a request's language is resolved.
//!
//! Passwords are argon2id (m = 19 MiB, t = 2, p = 1) and are hashed and verified on the
//! blocking pool, never on the async threads. Unknown login names are verified against a
//! dummy hash so that they cost the same time as known ones.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use loopdesk::locale::Locale;
use loopdesk::login::LoginThrottle;
use loopdesk::password::ChangeReason;
use loopdesk::store::{AuditAction, AuditEntry, PasswordHash, StoreError};
use loopdesk::user::{mask_phone, LoginName, LoginNameError, User, UserId};
use tower_sessions::Session;

use crate::api::{SessionInfo, SessionUser};
use crate::error::AppError;
use crate::state::AppState;

/// Name of the cookie that keeps an anonymous visitor's language choice.
pub const LOCALE_COOKIE: &str = "loopdesk_lang";

fn argon2() -> Argon2<'static> {
    // OWASP minimum for argon2id; DESIGN §5.
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (blocking; call through [`hash_password`] from async code).
pub fn hash_password_blocking(password: &str) -> PasswordHash {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with valid parameters cannot fail");
    PasswordHash(hash.to_string())
}

/// Checks a password against a stored hash (blocking). A malformed stored hash never matches.
pub fn verify_password_blocking(password: &str, hash: &PasswordHash) -> bool {
    match argon2::PasswordHash::new(&hash.0) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Hashes a password on the blocking pool.
pub async fn hash_password(password: String) -> Result<PasswordHash, AppError> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing task failed");
            AppError::Internal
        })
}

/// Verifies a password off the async threads.
pub async fn verify_password(password: String, hash: PasswordHash) -> Result<bool, AppError> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        span.in_scope(|| verify_password_blocking(&password, &hash))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password verification task failed");
        AppError::Internal
    })
}

/// The typed view of the session: raw keys never appear outside this wrapper.
#[derive(Clone)]
pub struct AuthSession(pub Session);

impl AuthSession {
    const USER_ID_KEY: &'static str = "loopdesk.user_id";
    const EPOCH_KEY: &'static str = "loopdesk.epoch";

    /// The signed-in user's id, if any.
    pub async fn user_id(&self) -> Result<Option<UserId>, AppError> {
        self.0
            .get::<UserId>(Self::USER_ID_KEY)
            .await
            .map_err(session_failure)
    }

    /// The account's session epoch when this session was signed in (0 for sessions from
    /// before epochs existed).
    pub async fn epoch(&self) -> Result<i64, AppError> {
        Ok(self
            .0
            .get::<i64>(Self::EPOCH_KEY)
            .await
            .map_err(session_failure)?
            .unwrap_or(0))
    }

    /// Signs the user in under the account's current session epoch: a new session id (no
    /// fixation), then the user id. Moving the epoch later signs this session out.
    pub async fn sign_in(&self, id: UserId, epoch: i64) -> Result<(), AppError> {
        self.0.cycle_id().await.map_err(session_failure)?;
        self.0
            .insert(Self::EPOCH_KEY, epoch)
            .await
            .map_err(session_failure)?;
        self.0
            .insert(Self::USER_ID_KEY, id)
            .await
            .map_err(session_failure)
    }

    /// Ends the session: its record is deleted and the cookie cleared.
    pub async fn sign_out(&self) -> Result<(), AppError> {
        self.0.flush().await.map_err(session_failure)
    }
}

fn session_failure(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store failure");
    AppError::Internal
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    /// Login name or password missing.
    EmptyFields,
    /// The login name is longer than allowed.
    NameTooLong,
    /// Wrong login name or password (the two are indistinguishable on purpose).
    InvalidCredentials,
    /// Too many failures; locked until the given instant.
    Locked {
        /// End of the lock.
        until: DateTime<Utc>,
    },
    /// The account exists, the password matched, but it is disabled.
    Disabled,
    /// The password matched but must be changed before the owner may work (expired, or set
    /// by an administrator); nobody is signed in.
    ChangePassword(ChangeReason),
    /// Storage or session failure (logged).
    Internal,
}

impl From<AppError> for LoginError {
    fn from(_: AppError) -> Self {
        LoginError::Internal
    }
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = ?e, "store failure during sign-in");
        LoginError::Internal
    }
}

/// Checks a login name and password with the throttle, recording and auditing failures
/// (and the lock they may set). Returns the user and the throttle key; a disabled account is
/// refused only after its password matched.
pub async fn check_credentials(
    state: &AppState,
    login_input: &str,
    password: &str,
    transaction_id: Option<&str>,
) -> Result<(User, String), LoginError> {
    if login_input.trim().is_empty() || password.is_empty() {
        return Err(LoginError::EmptyFields);
    }
    let login = match LoginName::parse(login_input) {
        Ok(l) => l,
        Err(LoginNameError::Empty) => return Err(LoginError::EmptyFields),
        Err(LoginNameError::TooLong) => return Err(LoginError::NameTooLong),
    };
    let key = login.throttle_key();
    let attempts = &state.stores.login_attempts;
    let now = state.clock.now();
    let locked = attempts.locked_until(&key).await?;
    if LoginThrottle::is_locked(locked, now) {
        let until = locked.unwrap_or(now);
        return Err(LoginError::Locked { until });
    }

    let found = state.stores.users.find_for_login(&login).await?;
    let hash = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| state.dummy_hash.clone());
    let matches = verify_password(password.to_owned(), hash).await? && found.is_some();

    let audit = |action, detail: String| AuditEntry {
        at: now,
        actor: None,
        action,
        subject: key.clone(),
        detail,
        transaction_id: transaction_id.map(str::to_owned),
    };
    let Some((user, _)) = found.filter(|_| matches) else {
        let lock = attempts.record_failure(&key, now, &state.throttle).await?;
        state
            .stores
            .audit
            .append(audit(AuditAction::LoginFailed, String::new()))
            .await?;
        if let Some(until) = lock {
            state
                .stores
                .audit
                .append(audit(
                    AuditAction::AccountLocked,
                    format!("locked until {}", until.to_rfc3339()),
                ))
                .await?;
            tracing::warn!(login = %key, %until, "login name locked after repeated failures");
            return Err(LoginError::Locked { until });
        }
        return Err(LoginError::InvalidCredentials);
    };
    if user.disabled {
        return Err(LoginError::Disabled);
    }
    Ok((user, key))
}

/// The sign-in use case: throttle check, password check, bookkeeping and audit. On success
/// the session is rotated and holds the user. A password that must be changed first signs
/// nobody in ([`LoginError::ChangePassword`]).
pub async fn sign_in(
    state: &AppState,
    session: &AuthSession,
    login_input: &str,
    password: &str,
    transaction_id: Option<String>,
) -> Result<User, LoginError> {
    let (user, key) =
        check_credentials(state, login_input, password, transaction_id.as_deref()).await?;
    let now = state.clock.now();
    state.stores.login_attempts.clear(&key).await?;
    let account = state.stores.users.account(user.id).await?;
    if let Some(reason) = state
        .policy
        .change_required(user.role, account.password, now)
    {
        return Err(LoginError::ChangePassword(reason));
    }
    start_session(state, session, &user, account.session_epoch, transaction_id).await?;
    Ok(user)
}

/// Signs a user whose credentials were checked in: the session under the account's epoch,
/// the last sign-in and the audit entry.
pub async fn start_session(
    state: &AppState,
    session: &AuthSession,
    user: &User,
    epoch: i64,
    transaction_id: Option<String>,
) -> Result<(), LoginError> {
    let now = state.clock.now();
    session.sign_in(user.id, epoch).await?;
    state.stores.users.record_login(user.id, now).await?;
    let subject = user
        .username
        .clone()
        .map(|u| format!("u:{u}"))
        .or_else(|| user.phone.clone().map(|p| format!("p:{p}")))
        .unwrap_or_else(|| user.id.to_string());
    state
        .stores
        .audit
        .append(AuditEntry {
            at: now,
            actor: Some(user.id),
            action: AuditAction::LoginSucceeded,
            subject,
            detail: String::new(),
            transaction_id,
        })
        .await?;
    Ok(())
}

/// Signs out, recording it in the audit log when someone was signed in; an agent who was
/// available or on a break goes offline.
pub async fn sign_out(
    state: &AppState,
    session: &AuthSession,
    transaction_id: Option<String>,
) -> Result<(), AppError> {
    if let Some(id) = session.user_id().await? {
        state
            .stores
            .audit
            .append(AuditEntry {
                at: state.clock.now(),
                actor: Some(id),
                action: AuditAction::Logout,
                subject: id.to_string(),
                detail: String::new(),
                transaction_id,
            })
            .await?;
        // Signing out ends an available agent's or a break (a call or its wrap-up stays).
        if let Err(e) = crate::console::sign_out_state(&state.stores, id, state.clock.now()).await {
            tracing::warn!(error = ?e, "could not set the agent offline at sign-out");
        }
    }
    session.sign_out().await
}

/// The signed-in user, if any. A session counts as anonymous when its user is deleted or
/// disabled, was signed out everywhere since (the epoch moved), or must change the password
/// first (it expired while signed in, or an administrator reset it).
pub async fn current_user(
    state: &AppState,
    session: &AuthSession,
) -> Result<Option<User>, AppError> {
    let Some(id) = session.user_id().await? else {
        return Ok(None);
    };
    let account = match state.stores.users.account(id).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let now = state.clock.now();
    let valid = !account.user.disabled
        && account.session_epoch == session.epoch().await?
        && state
            .policy
            .change_required(account.user.role, account.password, now)
            .is_none();
    Ok(valid.then_some(account.user))
}

/// The signed-in user, or `Unauthenticated`.
pub async fn require_user(state: &AppState, session: &AuthSession) -> Result<User, AppError> {
    current_user(state, session)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// The value of a cookie in the request headers.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The request's language: the signed-in user's choice, else the language cookie, else
/// `Accept-Language`, else Simplified Chinese.
pub fn resolve_locale(user: Option<&User>, headers: &HeaderMap) -> Locale {
    user.and_then(|u| u.locale)
        .or_else(|| cookie_value(headers, LOCALE_COOKIE).and_then(|v| v.parse().ok()))
        .or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::negotiate)
        })
        .unwrap_or_default()
}

/// Builds what the pages need to know about the session.
pub async fn session_info(
    state: &AppState,
    session: &AuthSession,
    headers: &HeaderMap,
) -> Result<SessionInfo, AppError> {
    let user = current_user(state, session).await?;
    let locale = resolve_locale(user.as_ref(), headers);
    let view = match user {
        None => None,
        Some(u) => {
            let department = match u.department_id {
                Some(id) => Some(
                    state
                        .stores
                        .departments
                        .get_department(id)
                        .await?
                        .name(locale)
                        .to_owned(),
                ),
                None => None,
            };
            Some(SessionUser {
                login: u
                    .username
                    .clone()
                    .or_else(|| u.phone.as_deref().map(mask_phone))
                    .unwrap_or_default(),
                display_name: u.display_name,
                role: u.role,
                department,
            })
        }
    };
    Ok(SessionInfo { user: view, locale })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let hash = hash_password_blocking("correct horse");
        assert!(hash.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password_blocking("correct horse", &hash));
        assert!(!verify_password_blocking("wrong horse", &hash));
        assert!(!verify_password_blocking(
            "x",
            &PasswordHash("not a hash".into())
        ));
        // Salted: the same password hashes differently each time.
        assert_ne!(hash, hash_password_blocking("correct horse"));
    }

    #[test]
    fn locale_resolution_order() {
        let mut headers = HeaderMap::new();
        assert_eq!(resolve_locale(None, &headers), Locale::ZhCn);
        headers.insert("accept-language", "en-US,en;q=0.9".parse().unwrap());
        assert_eq!(resolve_locale(None, &headers), Locale::En);
        headers.insert("cookie", "a=b; loopdesk_lang=zh-CN".parse().unwrap());
        assert_eq!(resolve_locale(None, &headers), Locale::ZhCn);
        let user = User {
            id: UserId(uuid::Uuid::nil()),
            username: Some("a".into()),
            phone: None,
            display_name: "A".into(),
            role: loopdesk::user::Role::Agent,
            department_id: None,
            locale: Some(Locale::En),
            disabled: false,
        };
        assert_eq!(resolve_locale(Some(&user), &headers), Locale::En);
    }
}

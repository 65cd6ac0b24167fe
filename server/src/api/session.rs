//! `POST/DELETE /api/v1/session`, `GET /api/v1/me`, `GET /api/v1/departments`, the password
//! change (`POST /api/v1/session/password`) and the administrators' staff accounts
//! (`GET /api/v1/users`, `POST /api/v1/users/{id}/actions`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use loopdesk::access::Permission;
use loopdesk::locale::Locale;
use loopdesk::password::ChangeReason;
use loopdesk::user::{mask_phone, User};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use app::auth::{self, AuthSession, LoginError};
use app::i18n::{fill, role_name, t};
use app::state::AppState;

use super::caller::Caller;
use super::error::{ApiCtx, ApiError, ApiJson, ApiResult, ErrorCode};

/// `{code, name}` for enumerations (DESIGN §4).
#[derive(Debug, Serialize)]
pub struct CodeName {
    /// Stable code.
    pub code: String,
    /// Name in the caller's language.
    pub name: String,
}

/// A user as the API shows it (phones masked).
#[derive(Debug, Serialize)]
pub struct UserBody {
    id: String,
    username: Option<String>,
    phone: Option<String>,
    display_name: String,
    role: CodeName,
    department: Option<CodeName>,
    locale: Option<Locale>,
}

/// Response of sign-in and `me`.
#[derive(Debug, Serialize)]
pub struct SessionBody {
    user: UserBody,
    role: CodeName,
}

/// Sign-in request.
#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    username: String,
    password: String,
}

async fn session_body(
    state: &AppState,
    user: User,
    locale: Locale,
) -> Result<SessionBody, app::error::AppError> {
    let department = match user.department_id {
        Some(id) => {
            let d = state.stores.departments.get_department(id).await?;
            Some(CodeName {
                name: d.name(locale).to_owned(),
                code: d.code,
            })
        }
        None => None,
    };
    let role = || CodeName {
        code: user.role.code().into(),
        name: role_name(user.role, locale).into(),
    };
    Ok(SessionBody {
        role: role(),
        user: UserBody {
            id: user.id.to_string(),
            username: user.username.clone(),
            phone: user.phone.as_deref().map(mask_phone),
            display_name: user.display_name.clone(),
            role: role(),
            department,
            locale: user.locale,
        },
    })
}

/// Sign-ins (and password changes, which check the password the same way) per address.
async fn sign_in_limit(
    state: &AppState,
    client: std::net::SocketAddr,
    ctx: &ApiCtx,
) -> Result<(), ApiError> {
    app::portal::limit(
        &state.stores,
        loopdesk::portal::RateBucket::SignInPerIp,
        &client.ip().to_string(),
        state.clock.now(),
    )
    .await
    .map_err(|e| super::caller::desk_error(&e, ctx.locale, ctx))
}

/// `POST /api/v1/session`.
pub async fn create_session(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(client): axum::extract::ConnectInfo<std::net::SocketAddr>,
    session: Session,
    ctx: ApiCtx,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<SessionBody>, ApiError> {
    let tx = t(ctx.locale);
    sign_in_limit(&state, client, &ctx).await?;
    let session = AuthSession(session);
    let result = auth::sign_in(
        &state,
        &session,
        &req.username,
        &req.password,
        Some(ctx.transaction_id.clone()),
    )
    .await;
    match result {
        Ok(user) => {
            let locale = user.locale.unwrap_or(ctx.locale);
            session_body(&state, user, locale)
                .await
                .map(Json)
                .map_err(|e| ApiError::from_app(&e, &ctx))
        }
        Err(LoginError::EmptyFields) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::Validation,
            tx.err_empty_fields.into(),
            &ctx,
        )),
        Err(LoginError::NameTooLong) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::Validation,
            tx.err_login_name_too_long.into(),
            &ctx,
        )),
        Err(LoginError::InvalidCredentials) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            tx.err_invalid_credentials.into(),
            &ctx,
        )),
        Err(LoginError::Locked { until }) => {
            let now = state.clock.now();
            let minutes = crate::web::remaining_minutes(until, now);
            Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                fill(tx.err_locked, &[("minutes", &minutes.to_string())]),
                &ctx,
            )
            .retry_after((until - now).num_seconds()))
        }
        Err(LoginError::ChangePassword(reason)) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::PasswordChangeRequired,
            match reason {
                ChangeReason::Expired => tx.err_password_expired,
                ChangeReason::Reset => tx.err_password_reset,
            }
            .into(),
            &ctx,
        )),
        Err(LoginError::Disabled) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            tx.err_disabled.into(),
            &ctx,
        )),
        Err(LoginError::Internal) => Err(ApiError::internal(&ctx)),
    }
}

/// `DELETE /api/v1/session`.
pub async fn delete_session(
    State(state): State<AppState>,
    session: Session,
    ctx: ApiCtx,
) -> Result<Response, ApiError> {
    auth::sign_out(
        &state,
        &AuthSession(session),
        Some(ctx.transaction_id.clone()),
    )
    .await
    .map_err(|e| ApiError::from_app(&e, &ctx))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/me`.
pub async fn me(
    State(state): State<AppState>,
    session: Session,
    ctx: ApiCtx,
) -> Result<Json<SessionBody>, ApiError> {
    let user = auth::require_user(&state, &AuthSession(session))
        .await
        .map_err(|e| ApiError::from_app(&e, &ctx))?;
    let locale = user.locale.unwrap_or(ctx.locale);
    session_body(&state, user, locale)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_app(&e, &ctx))
}

/// A department in the directory.
#[derive(Debug, Serialize)]
pub struct DepartmentBody {
    id: String,
    code: String,
    name: String,
    name_zh: String,
    name_en: String,
}

/// `GET /api/v1/departments` (staff only).
pub async fn departments(
    State(state): State<AppState>,
    session: Session,
    ctx: ApiCtx,
) -> Result<Json<Vec<DepartmentBody>>, ApiError> {
    let user = auth::require_user(&state, &AuthSession(session))
        .await
        .map_err(|e| ApiError::from_app(&e, &ctx))?;
    if !Permission::ViewDepartments.granted_to(user.role) {
        return Err(ApiError::forbidden(&ctx));
    }
    let locale = user.locale.unwrap_or(ctx.locale);
    let list = state
        .stores
        .departments
        .list_departments()
        .await
        .map_err(|e| ApiError::from_app(&e.into(), &ctx))?;
    Ok(Json(
        list.into_iter()
            .map(|d| DepartmentBody {
                name: d.name(locale).to_owned(),
                id: d.id.0.to_string(),
                code: d.code,
                name_zh: d.name_zh,
                name_en: d.name_en,
            })
            .collect(),
    ))
}

/// `{username, current_password, new_password}` (the username is ignored when signed in).
#[derive(Debug, Deserialize)]
pub struct PasswordRequest {
    #[serde(default)]
    username: String,
    current_password: String,
    new_password: String,
}

/// `POST /api/v1/session/password`: chooses a new password — when it expired or was reset
/// (then nobody is signed in yet) or whenever the signed-in user wants to — and signs in
/// with it; every other session of the account ends.
pub async fn change_password(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(client): axum::extract::ConnectInfo<std::net::SocketAddr>,
    session: Session,
    ctx: ApiCtx,
    ApiJson(req): ApiJson<PasswordRequest>,
) -> Result<Json<SessionBody>, ApiError> {
    let refused = |e: app::desk::DeskError| super::caller::desk_error(&e, ctx.locale, &ctx);
    sign_in_limit(&state, client, &ctx).await?;
    let input = app::accounts::PasswordChange {
        login: req.username,
        current: req.current_password,
        confirm: req.new_password.clone(),
        new: req.new_password,
    };
    let session = AuthSession(session);
    let user =
        app::accounts::change_password(&state, &session, &input, Some(ctx.transaction_id.clone()))
            .await
            .map_err(refused)?;
    let locale = user.locale.unwrap_or(ctx.locale);
    session_body(&state, user, locale)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_app(&e, &ctx))
}

/// `GET /api/v1/users` (administrators): the staff accounts.
pub async fn users(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<app::views::accounts::StaffAccountView>>> {
    app::accounts::staff_account_views(&state, &caller.user, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// `{action}`: `disable`, `enable`, `sign_out` or `reset_password`.
#[derive(Debug, Deserialize)]
pub struct AccountActionRequest {
    action: app::views::accounts::AccountAction,
}

/// `POST /api/v1/users/{id}/actions` (administrators): the answer carries the temporary
/// password of a reset, once.
pub async fn user_action(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<AccountActionRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return Err(caller.desk_error(&app::desk::DeskError::NotFound));
    };
    let temporary = app::accounts::apply(
        &state.stores,
        &state.policy,
        &caller.user,
        loopdesk::user::UserId(id),
        req.action,
        state.clock.now(),
        Some(caller.ctx.transaction_id.clone()),
    )
    .await
    .map_err(|e| caller.desk_error(&e))?;
    Ok(Json(serde_json::json!({ "temporary_password": temporary })))
}

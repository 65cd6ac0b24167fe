//! `Caller`: the signed-in user of a REST request with the request context, extracted once
//! so handlers stay thin; and the mapping of desk use-case errors to REST errors.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use loopdesk::locale::Locale;
use loopdesk::ticket::action::TransitionError;
use loopdesk::user::User;
use tower_sessions::Session;

use app::auth::{self, AuthSession};
use app::desk::DeskError;
use app::state::AppState;

use super::error::{ApiCtx, ApiError, ErrorCode};

/// A signed-in user (401 otherwise), their language and the request context.
pub struct Caller {
    /// The user.
    pub user: User,
    /// Their language (their choice, else the request's).
    pub locale: Locale,
    /// Transaction id and request language.
    pub ctx: ApiCtx,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Ok(ctx) = ApiCtx::from_request_parts(parts, state).await;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::internal(&ctx))?;
        let user = auth::require_user(state, &AuthSession(session))
            .await
            .map_err(|e| ApiError::from_app(&e, &ctx))?;
        Ok(Caller {
            locale: user.locale.unwrap_or(ctx.locale),
            user,
            ctx,
        })
    }
}

/// Which token scope an integration route needs.
pub trait RouteScope {
    /// The scope.
    const SCOPE: loopdesk::token::TokenScope;
}

/// `POST /cti/events`: scope `cti`.
pub struct CtiScope;
impl RouteScope for CtiScope {
    const SCOPE: loopdesk::token::TokenScope = loopdesk::token::TokenScope::Cti;
}

/// `POST /billing/import`: scope `billing:import`.
pub struct BillingImportScope;
impl RouteScope for BillingImportScope {
    const SCOPE: loopdesk::token::TokenScope = loopdesk::token::TokenScope::BillingImport;
}

/// `GET /tickets…`: scope `tickets:read`.
pub struct TicketsReadScope;
impl RouteScope for TicketsReadScope {
    const SCOPE: loopdesk::token::TokenScope = loopdesk::token::TokenScope::TicketsRead;
}

/// `POST /tickets`, `POST /tickets/{id}/actions`: scope `tickets:write`.
pub struct TicketsWriteScope;
impl RouteScope for TicketsWriteScope {
    const SCOPE: loopdesk::token::TokenScope = loopdesk::token::TokenScope::TicketsWrite;
}

/// `POST /tickets/import`: scope `import`.
pub struct ImportScope;
impl RouteScope for ImportScope {
    const SCOPE: loopdesk::token::TokenScope = loopdesk::token::TokenScope::Import;
}

/// The caller of an integration route: a bearer token with the route's scope (acting as
/// the administrator who created it; 401/403 otherwise, every use logged), or else a
/// signed-in session.
pub struct Integration<S> {
    /// The caller.
    pub caller: Caller,
    /// Authenticated by a token (not a session).
    pub by_token: bool,
    scope: std::marker::PhantomData<S>,
}

impl<S: RouteScope + Send + Sync> FromRequestParts<AppState> for Integration<S> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned);
        let Some(bearer) = bearer else {
            return Ok(Integration {
                caller: Caller::from_request_parts(parts, state).await?,
                by_token: false,
                scope: std::marker::PhantomData,
            });
        };
        let Ok(ctx) = ApiCtx::from_request_parts(parts, state).await;
        let client = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let what = format!("{} {}", parts.method, parts.uri.path());
        let user = app::tokens::authenticate(
            &state.stores,
            state.clock.now(),
            &bearer,
            S::SCOPE,
            client,
            &what,
            Some(&ctx.transaction_id),
        )
        .await;
        let caller = |user: User| Caller {
            locale: ctx.locale,
            user,
            ctx: ctx.clone(),
        };
        match user {
            Ok(user) => Ok(Integration {
                caller: caller(user),
                by_token: true,
                scope: std::marker::PhantomData,
            }),
            Err(e) => {
                let anonymous = Caller {
                    locale: ctx.locale,
                    user: User {
                        id: loopdesk::user::UserId(uuid::Uuid::nil()),
                        username: None,
                        phone: None,
                        display_name: String::new(),
                        role: loopdesk::user::Role::Customer,
                        department_id: None,
                        locale: None,
                        disabled: true,
                    },
                    ctx: ctx.clone(),
                };
                Err(anonymous.desk_error(&e))
            }
        }
    }
}

impl Caller {
    /// The REST error for a desk error: refused transitions are 409 (403 for permission
    /// refusals, 422 for missing fields), invalid fields 422 naming the field, stale
    /// versions 409.
    pub fn desk_error(&self, e: &DeskError) -> ApiError {
        desk_error(e, self.locale, &self.ctx)
    }

    /// A 422 naming a field, with a message in the caller's language.
    pub fn invalid(&self, field: &str, message: String) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            message,
            &self.ctx,
        )
        .field(field.to_owned())
    }
}

/// The REST error for a desk error, for signed-in and anonymous callers alike.
pub fn desk_error(e: &DeskError, locale: Locale, ctx: &ApiCtx) -> ApiError {
    {
        use app::desk::Invalid;
        use loopdesk::portal::attachment::AttachmentError;
        let (status, code, field) = match e {
            DeskError::RateLimited { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited, None)
            }
            DeskError::Invalid {
                field,
                problem: Invalid::Attachment(a),
            } => (
                match a {
                    AttachmentError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                    AttachmentError::UnsupportedType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    AttachmentError::Empty | AttachmentError::TooMany => {
                        StatusCode::UNPROCESSABLE_ENTITY
                    }
                },
                ErrorCode::Validation,
                Some(field.clone()),
            ),
            DeskError::Forbidden => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, None),
            DeskError::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound, None),
            DeskError::Conflict { .. } => (StatusCode::CONFLICT, ErrorCode::Conflict, None),
            DeskError::Refused(TransitionError::MissingField { field }) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                Some((*field).to_owned()),
            ),
            DeskError::Refused(TransitionError::BadRating(_)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                Some("rating".to_owned()),
            ),
            DeskError::Refused(TransitionError::Forbidden(_)) => {
                (StatusCode::FORBIDDEN, ErrorCode::Forbidden, None)
            }
            DeskError::Refused(_) => (StatusCode::CONFLICT, ErrorCode::Refused, None),
            DeskError::Invalid { field, .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                Some(field.clone()),
            ),
            DeskError::Import(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                None,
            ),
            DeskError::Task(loopdesk::task::TaskError::OutcomeNotAllowed { .. }) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                Some("outcome".to_owned()),
            ),
            DeskError::Task(_) => (StatusCode::CONFLICT, ErrorCode::Refused, None),
            DeskError::Agent(loopdesk::agent::AgentStateError::ReasonRequired) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                Some("reason".to_owned()),
            ),
            DeskError::Agent(_) => (StatusCode::CONFLICT, ErrorCode::Refused, None),
            DeskError::Upstream => (StatusCode::BAD_GATEWAY, ErrorCode::Unavailable, None),
            DeskError::Article(loopdesk::kb::ArticleError::NotEditor) => {
                (StatusCode::FORBIDDEN, ErrorCode::Forbidden, None)
            }
            e if e.is_state_conflict() => (StatusCode::CONFLICT, ErrorCode::Refused, None),
            DeskError::Article(loopdesk::kb::ArticleError::Invalid { field }) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                Some((*field).to_owned()),
            ),
            DeskError::Run(r) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                crate::api::caller::run_field(r),
            ),
            DeskError::Article(_) | DeskError::Flow(_) | DeskError::Bot(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                None,
            ),
            DeskError::Token(
                loopdesk::token::TokenRefusal::AddressNotAllowed
                | loopdesk::token::TokenRefusal::ScopeMissing,
            ) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, None),
            DeskError::Token(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, None),
            DeskError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, None),
        };
        let mut err = ApiError::new(status, code, e.message(locale), ctx);
        if let Some(f) = field {
            err = err.field(f);
        }
        if let DeskError::RateLimited { seconds } = e {
            err = err.retry_after(*seconds);
        }
        if let DeskError::Import(issues) = e {
            err = err.issues(
                issues
                    .iter()
                    .map(|i| super::error::Issue {
                        issue: i.clone(),
                        message: app::i18n::names::import_issue(i, locale),
                    })
                    .collect(),
            );
        }
        err
    }
}

/// The answer field a refused flow step names.
pub(crate) fn run_field(e: &loopdesk::flow::RunError) -> Option<String> {
    use loopdesk::flow::RunError;
    match e {
        RunError::Required(f)
        | RunError::NotNumber(f)
        | RunError::NotOption(f)
        | RunError::NotDate(f) => Some(f.clone()),
        _ => None,
    }
}

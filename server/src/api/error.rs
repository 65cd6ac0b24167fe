//! `ApiError`: the one error type of the REST boundary, rendered as
//! `{"code", "message", "transaction_id"}` with a classified code and a message in the
//! caller's language; and `ApiJson`, a JSON extractor whose rejections use that shape.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use loopdesk::locale::Locale;
use serde::Serialize;

use app::auth::resolve_locale;
use app::i18n::{fill, t};

use super::TransactionId;

/// Error classes of DESIGN §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Bad input (400/413/415/422).
    Validation,
    /// Not signed in or wrong credentials (401).
    Unauthenticated,
    /// Not allowed (403).
    Forbidden,
    /// The password must be changed before signing in (403): it expired or was reset.
    PasswordChangeRequired,
    /// No such resource (404).
    NotFound,
    /// Version or uniqueness conflict (409).
    Conflict,
    /// The closed loop refused the action in the ticket's state (409).
    Refused,
    /// Throttled or locked (429).
    RateLimited,
    /// Our fault (500); details only in the log.
    Internal,
    /// A system we depend on did not answer (502).
    Unavailable,
    /// The request was not answered in time (408); nothing it started was kept.
    Timeout,
}

/// What an API handler returns.
pub type ApiResult<T> = Result<T, ApiError>;

/// A REST error ready to render.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    transaction_id: String,
    retry_after: Option<i64>,
    field: Option<String>,
    issues: Vec<Issue>,
}

/// One problem of a rejected import: where, which field, the machine-readable problem and
/// the message in the caller's language.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    /// The problem as data (`at`, `field`, `problem`, …).
    #[serde(flatten)]
    pub issue: loopdesk::billing::import::ImportIssue,
    /// In words.
    pub message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    code: ErrorCode,
    message: &'a str,
    transaction_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "<[Issue]>::is_empty")]
    issues: &'a [Issue],
}

impl ApiError {
    /// A new error.
    pub fn new(status: StatusCode, code: ErrorCode, message: String, ctx: &ApiCtx) -> ApiError {
        ApiError {
            status,
            code,
            message,
            transaction_id: ctx.transaction_id.clone(),
            retry_after: None,
            field: None,
            issues: Vec::new(),
        }
    }

    /// Adds the problems of a rejected import.
    pub fn issues(mut self, issues: Vec<Issue>) -> ApiError {
        self.issues = issues;
        self
    }

    /// Names the offending field (`field` in the body).
    pub fn field(mut self, field: String) -> ApiError {
        self.field = Some(field);
        self
    }

    /// Adds a `Retry-After` header (seconds).
    pub fn retry_after(mut self, seconds: i64) -> ApiError {
        self.retry_after = Some(seconds.max(1));
        self
    }

    /// 401.
    pub fn unauthenticated(ctx: &ApiCtx) -> ApiError {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            t(ctx.locale).err_unauthenticated.into(),
            ctx,
        )
    }

    /// 403.
    pub fn forbidden(ctx: &ApiCtx) -> ApiError {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            t(ctx.locale).err_forbidden.into(),
            ctx,
        )
    }

    /// 500; the cause must have been logged by the caller.
    pub fn internal(ctx: &ApiCtx) -> ApiError {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            t(ctx.locale).err_internal.into(),
            ctx,
        )
    }

    /// Maps a server-function-boundary error.
    pub fn from_app(e: &app::error::AppError, ctx: &ApiCtx) -> ApiError {
        use app::error::AppError;
        match e {
            AppError::Unauthenticated => Self::unauthenticated(ctx),
            AppError::Forbidden => Self::forbidden(ctx),
            AppError::NotFound => Self::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                t(ctx.locale).err_not_found.into(),
                ctx,
            ),
            AppError::Refused(m) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Validation,
                m.clone(),
                ctx,
            ),
            AppError::Conflict(m) => {
                Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, m.clone(), ctx)
            }
            AppError::BadRequest(_) => Self::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::Validation,
                t(ctx.locale).err_bad_request.into(),
                ctx,
            ),
            AppError::Internal | AppError::ServerFn(_) => Self::internal(ctx),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            code: self.code,
            message: &self.message,
            transaction_id: &self.transaction_id,
            field: self.field.as_deref(),
            issues: &self.issues,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// Per-request context for REST handlers: transaction id and language.
#[derive(Debug, Clone)]
pub struct ApiCtx {
    /// The transaction id.
    pub transaction_id: String,
    /// The caller's language (cookie, else `Accept-Language`, else Chinese).
    pub locale: Locale,
}

impl ApiCtx {
    pub(crate) fn from_parts(extensions: &axum::http::Extensions, headers: &HeaderMap) -> ApiCtx {
        ApiCtx {
            transaction_id: extensions
                .get::<TransactionId>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            locale: resolve_locale(None, headers),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiCtx::from_parts(&parts.extensions, &parts.headers))
    }
}

/// `Json<T>` whose rejections are localized [`ApiError`]s: malformed JSON → 400, wrong
/// shape → 422, wrong content type → 415, too large → 413.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = ApiCtx::from_parts(req.extensions(), req.headers());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(&rejection, &ctx)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection, ctx: &ApiCtx) -> ApiError {
    let tx = t(ctx.locale);
    let (status, message) = match rejection {
        JsonRejection::JsonSyntaxError(e) => (
            StatusCode::BAD_REQUEST,
            fill(tx.err_malformed_json, &[("detail", &source_text(e))]),
        ),
        JsonRejection::JsonDataError(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            fill(tx.err_invalid_body, &[("detail", &source_text(e))]),
        ),
        JsonRejection::MissingJsonContentType(_) => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            tx.err_unsupported_media.to_owned(),
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            (StatusCode::PAYLOAD_TOO_LARGE, tx.err_too_large.to_owned())
        }
        other => (
            StatusCode::BAD_REQUEST,
            fill(tx.err_malformed_json, &[("detail", &other.body_text())]),
        ),
    };
    ApiError::new(status, ErrorCode::Validation, message, ctx)
}

/// serde's own description of what was wrong (position and expectation), without axum's
/// generic prefix.
fn source_text(e: &dyn std::error::Error) -> String {
    let mut inner: &dyn std::error::Error = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    inner.to_string()
}

/// Fallback for unknown `/api/v1` paths.
pub async fn not_found(ctx: ApiCtx) -> ApiError {
    ApiError::from_app(&app::error::AppError::NotFound, &ctx)
}

//! REST resources of the customer portal: verification codes, sign-up, password reset and
//! change (anonymous routes are rate-limited per number and address), the home view, the
//! customer's requests (submit with files as `multipart/form-data`, read, reply, confirm),
//! bills with CSV export, notices, and attachment downloads (customers: their own; staff:
//! any) served with their checked type, `nosniff`, a sandboxing CSP and
//! `Content-Disposition`. A customer asking for anything that is not theirs gets 404.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use loopdesk::portal::attachment::content_disposition;
use loopdesk::portal::CodePurpose;
use loopdesk::ticket::action::Action;
use loopdesk::ticket::{ContactTime, TicketId, TicketKind};
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use app::auth::AuthSession;
use app::desk::{DeskError, Invalid};
use app::portal::{self, CodeSent, SignUp, SubmitInput, Upload};
use app::state::AppState;
use app::views::console::BillingView;
use app::views::portal::{NoticeView, PortalHomeView, RequestRow, RequestView};

use super::caller::{desk_error, Caller};
use super::error::{ApiCtx, ApiError, ApiJson};

use super::error::ApiResult;

/// Largest upload request: ten files of 5 MB and the form fields.
pub const UPLOAD_LIMIT: usize = 52 * 1024 * 1024;

fn ticket_id(caller: &Caller, text: &str) -> ApiResult<TicketId> {
    text.parse()
        .map(TicketId)
        .map_err(|_| caller.desk_error(&DeskError::NotFound))
}

/// `{phone, purpose}`.
#[derive(Debug, Deserialize)]
pub struct CodeRequest {
    phone: String,
    purpose: CodePurpose,
}

/// `POST /api/v1/portal/codes`: texts a verification code (202).
pub async fn send_code(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    ctx: ApiCtx,
    ApiJson(req): ApiJson<CodeRequest>,
) -> ApiResult<(StatusCode, Json<CodeSent>)> {
    portal::send_code(
        &state.stores,
        state.sender.as_ref(),
        state.clock.now(),
        &req.phone,
        req.purpose,
        Some(client.ip()),
        ctx.locale,
    )
    .await
    .map(|sent| (StatusCode::ACCEPTED, Json(sent)))
    .map_err(|e| desk_error(&e, ctx.locale, &ctx))
}

async fn signed_in(
    session: Session,
    user: loopdesk::user::User,
    epoch: i64,
    ctx: &ApiCtx,
) -> ApiResult<Json<serde_json::Value>> {
    AuthSession(session)
        .sign_in(user.id, epoch)
        .await
        .map_err(|e| ApiError::from_app(&e, ctx))?;
    Ok(Json(serde_json::json!({
        "user": { "id": user.id.0, "display_name": user.display_name, "role": user.role.code() },
        "home": user.role.home_path(),
    })))
}

/// `POST /api/v1/portal/register` `{phone, code, name, password}`: creates the account
/// (or activates the customer record staff created) and signs in (201).
pub async fn register(
    State(state): State<AppState>,
    session: Session,
    ctx: ApiCtx,
    ApiJson(req): ApiJson<SignUp>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let (user, activated) = portal::register(&state.stores, state.clock.now(), &req, ctx.locale)
        .await
        .map_err(|e| desk_error(&e, ctx.locale, &ctx))?;
    let Json(mut body) = signed_in(session, user, 0, &ctx).await?;
    body["activated"] = serde_json::Value::Bool(activated);
    Ok((StatusCode::CREATED, Json(body)))
}

/// `{phone, code, password}`.
#[derive(Debug, Deserialize)]
pub struct ResetRequest {
    phone: String,
    code: String,
    password: String,
}

/// `POST /api/v1/portal/password/reset`: sets a new password and signs in.
pub async fn reset_password(
    State(state): State<AppState>,
    session: Session,
    ctx: ApiCtx,
    ApiJson(req): ApiJson<ResetRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let (user, epoch) = portal::reset_password(
        &state.stores,
        state.clock.now(),
        &req.phone,
        &req.code,
        &req.password,
    )
    .await
    .map_err(|e| desk_error(&e, ctx.locale, &ctx))?;
    signed_in(session, user, epoch, &ctx).await
}

/// `{current_password, new_password}`.
#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// `PUT /api/v1/portal/password` (204): the signed-in customer's new password; the
/// account's other sessions end.
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    session: Session,
    ApiJson(req): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    let input = app::accounts::PasswordChange {
        login: app::accounts::login_of(&caller.user),
        current: req.current_password,
        confirm: req.new_password.clone(),
        new: req.new_password,
    };
    app::accounts::change_password(
        &state,
        &AuthSession(session),
        &input,
        Some(caller.ctx.transaction_id.clone()),
    )
    .await
    .map(|_| StatusCode::NO_CONTENT)
    .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/portal/home`.
pub async fn home(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<PortalHomeView>> {
    let now = state.clock.now();
    let today = app::desk::today(&state.stores, now)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    portal::home(
        &state.stores,
        state.billing.as_ref(),
        now,
        today,
        &caller.user,
        caller.locale,
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/portal/tickets?all=true`: open requests (all with `all=true`).
pub async fn tickets(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Vec<RequestRow>>> {
    let all = q.get("all").is_some_and(|v| v == "true" || v == "1");
    portal::requests(&state.stores, &caller.user, !all, caller.locale)
        .await
        .map(Json)
        .map_err(|e| caller.desk_error(&e))
}

/// Reads a multipart form: text fields, and files from parts named `files`.
async fn read_form(
    caller: &Caller,
    mut form: Multipart,
) -> ApiResult<(HashMap<String, String>, Vec<Upload>)> {
    let bad = |caller: &Caller| {
        caller.invalid(
            "files",
            match caller.locale {
                loopdesk::locale::Locale::ZhCn => "表单数据无法读取（或超过大小限制）".to_owned(),
                loopdesk::locale::Locale::En => {
                    "The form data could not be read (or exceeds the size limit)".to_owned()
                }
            },
        )
    };
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(caller.desk_error(&DeskError::invalid(
                    "files",
                    Invalid::Attachment(loopdesk::portal::attachment::AttachmentError::TooLarge),
                )))
            }
            Err(_) => return Err(bad(caller)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|_| bad(caller))?;
            // A browser sends an empty part when no file was chosen.
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            files.push(Upload {
                name: file_name,
                bytes: bytes.to_vec(),
            });
        } else {
            let text = field.text().await.map_err(|_| bad(caller))?;
            fields.insert(name, text);
        }
    }
    Ok((fields, files))
}

fn field_code<T>(
    caller: &Caller,
    fields: &HashMap<String, String>,
    name: &str,
    parse: fn(&str) -> Option<T>,
) -> ApiResult<Option<T>> {
    match fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| caller.desk_error(&DeskError::invalid(name, Invalid::Unknown))),
    }
}

/// `POST /api/v1/portal/tickets` (`multipart/form-data`: `kind`, `category`, `subject`,
/// `description`, `account`, `contact_time`, `files`…): 201 with the new request.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let (fields, files) = read_form(&caller, form).await?;
    let kind = field_code(&caller, &fields, "kind", TicketKind::from_code)?
        .ok_or_else(|| caller.desk_error(&DeskError::invalid("kind", Invalid::Required)))?;
    let text = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let input = SubmitInput {
        kind,
        category: text("category"),
        subject: text("subject"),
        description: text("description"),
        account: fields
            .get("account")
            .cloned()
            .filter(|a| !a.trim().is_empty()),
        contact_time: field_code(&caller, &fields, "contact_time", ContactTime::from_code)?,
    };
    let now = state.clock.now();
    let id = portal::submit(&state.stores, now, &caller.user, input, files)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    let view = portal::request(&state.stores, now, &caller.user, id, caller.locale)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// `GET /api/v1/portal/tickets/{id}`.
pub async fn ticket(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    let id = ticket_id(&caller, &id)?;
    portal::request(
        &state.stores,
        state.clock.now(),
        &caller.user,
        id,
        caller.locale,
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

/// `{text, expected_version}`.
#[derive(Debug, Deserialize)]
pub struct ReplyRequest {
    text: String,
    expected_version: u64,
}

/// `POST /api/v1/portal/tickets/{id}/replies`: the customer's reply; the fresh request.
pub async fn reply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReplyRequest>,
) -> ApiResult<Json<RequestView>> {
    let id = ticket_id(&caller, &id)?;
    let now = state.clock.now();
    app::desk::customer_reply(
        &state.stores,
        now,
        &caller.user,
        id,
        req.expected_version,
        &req.text,
    )
    .await
    .map_err(|e| caller.desk_error(&e))?;
    fresh(&state, &caller, id).await
}

/// `{satisfied, rating, comment, expected_version}`.
#[derive(Debug, Deserialize)]
pub struct ConfirmRequest {
    satisfied: bool,
    rating: u8,
    #[serde(default)]
    comment: String,
    expected_version: u64,
}

/// `POST /api/v1/portal/tickets/{id}/confirm`: `customer_confirm` (unsatisfied reopens).
pub async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ConfirmRequest>,
) -> ApiResult<Json<RequestView>> {
    let id = ticket_id(&caller, &id)?;
    let now = state.clock.now();
    let action = Action::CustomerConfirm {
        satisfied: req.satisfied,
        rating: req.rating,
        comment: req.comment.trim().to_owned(),
    };
    app::desk::act(
        &state.stores,
        now,
        &caller.user,
        id,
        req.expected_version,
        action,
    )
    .await
    .map_err(|e| caller.desk_error(&e))?;
    fresh(&state, &caller, id).await
}

async fn fresh(state: &AppState, caller: &Caller, id: TicketId) -> ApiResult<Json<RequestView>> {
    portal::request(
        &state.stores,
        state.clock.now(),
        &caller.user,
        id,
        caller.locale,
    )
    .await
    .map(Json)
    .map_err(|e| caller.desk_error(&e))
}

/// `POST /api/v1/portal/tickets/{id}/attachments` (`multipart/form-data`, parts `files`).
pub async fn add_files(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let id = ticket_id(&caller, &id)?;
    let (_, files) = read_form(&caller, form).await?;
    if files.is_empty() {
        return Err(caller.desk_error(&DeskError::invalid("files", Invalid::Required)));
    }
    portal::add_files(&state.stores, state.clock.now(), &caller.user, id, files)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    let Json(view) = fresh(&state, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

fn date(caller: &Caller, q: &HashMap<String, String>, name: &str) -> ApiResult<Option<NaiveDate>> {
    match q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| caller.desk_error(&DeskError::invalid(name, Invalid::BadDate))),
    }
}

async fn my_bills(
    state: &AppState,
    caller: &Caller,
    q: &HashMap<String, String>,
) -> ApiResult<BillingView> {
    let range = match (date(caller, q, "from")?, date(caller, q, "to")?) {
        (Some(f), Some(t)) => Some((f, t)),
        (None, None) => None,
        _ => return Err(caller.desk_error(&DeskError::invalid("from", Invalid::BadDate))),
    };
    let today = app::desk::today(&state.stores, state.clock.now())
        .await
        .map_err(|e| caller.desk_error(&e))?;
    portal::bills(
        &state.stores,
        state.billing.as_ref(),
        today,
        &caller.user,
        range,
        caller.locale,
    )
    .await
    .map_err(|e| caller.desk_error(&e))
}

/// `GET /api/v1/portal/bills?from=&to=`: accounts, bills, payments, usage for the period.
pub async fn bills(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<BillingView>> {
    my_bills(&state, &caller, &q).await.map(Json)
}

/// `GET /api/v1/portal/bills/{account}/{period}/csv`: one bill as CSV.
pub async fn bill_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path((account, period)): Path<(String, String)>,
) -> ApiResult<Response> {
    let view = my_bills(&state, &caller, &HashMap::new()).await?;
    let csv = portal::bill_csv(&view, &account, &period, caller.locale)
        .ok_or_else(|| caller.desk_error(&DeskError::NotFound))?;
    let name = format!("bill-{account}-{period}.csv");
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '.',
            "_"
        )
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}

/// `GET /api/v1/portal/notices`: `{items, unread}`.
pub async fn notices(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<serde_json::Value>> {
    let (items, unread): (Vec<NoticeView>, u64) =
        portal::notices(&state.stores, &caller.user, caller.locale)
            .await
            .map_err(|e| caller.desk_error(&e))?;
    Ok(Json(
        serde_json::json!({ "items": items, "unread": unread }),
    ))
}

/// `POST /api/v1/portal/notices/read`: `{marked}`.
pub async fn read_notices(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<serde_json::Value>> {
    let marked = portal::read_notices(&state.stores, &caller.user)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    Ok(Json(serde_json::json!({ "marked": marked })))
}

/// `GET /api/v1/attachments/{id}`: the file, for its customer or staff.
pub async fn attachment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id: Uuid = id
        .parse()
        .map_err(|_| caller.desk_error(&DeskError::NotFound))?;
    let (meta, bytes) = portal::file(&state.stores, &caller.user, id)
        .await
        .map_err(|e| caller.desk_error(&e))?;
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(meta.kind.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&meta.name, meta.kind)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src 'self'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    Ok(response)
}

//! Server functions of the customer portal: sign-up and password reset (anonymous, with
//! texted codes), password change, home, requests (list, read, reply, confirm), the
//! submission form's choices, bills and notices. Submitting with files goes to the REST
//! route `POST /api/v1/portal/tickets` (multipart). Each function calls `crate::portal`
//! and maps errors to [`AppError`] in the user's language.

use leptos::prelude::*;
use loopdesk::portal::CodePurpose;

use crate::error::AppError;
use crate::views::console::BillingView;
use crate::views::portal::*;

#[cfg(feature = "ssr")]
use super::console::parse_id;
#[cfg(feature = "ssr")]
use super::desk::support;

/// What the sign-up and reset pages learn after sending a code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeInfo {
    /// Masked number.
    pub phone: String,
    /// Registering activates an existing customer record.
    pub activates: bool,
}

#[cfg(feature = "ssr")]
async fn anonymous() -> Result<
    (
        crate::state::AppState,
        crate::auth::AuthSession,
        loopdesk::locale::Locale,
        Option<std::net::IpAddr>,
    ),
    AppError,
> {
    let (state, session, headers) = crate::state::request_context().await?;
    let locale = crate::auth::resolve_locale(None, &headers);
    let client: Option<axum::extract::ConnectInfo<std::net::SocketAddr>> =
        leptos_axum::extract().await.ok();
    Ok((state, session, locale, client.map(|c| c.0.ip())))
}

/// Texts a verification code.
#[server(endpoint = "portal/code")]
pub async fn send_portal_code(phone: String, purpose: CodePurpose) -> Result<CodeInfo, AppError> {
    let (state, _, locale, ip) = anonymous().await?;
    crate::portal::send_code(
        &state.stores,
        state.sender.as_ref(),
        state.clock.now(),
        &phone,
        purpose,
        ip,
        locale,
    )
    .await
    .map(|s| CodeInfo {
        phone: s.phone,
        activates: s.activates,
    })
    .map_err(|e| support::desk(e, locale))
}

/// Registers and signs in; returns the home path.
#[server(endpoint = "portal/register")]
pub async fn portal_register(
    phone: String,
    code: String,
    name: String,
    password: String,
) -> Result<String, AppError> {
    let (state, session, locale, _) = anonymous().await?;
    let input = crate::portal::SignUp {
        phone,
        code,
        name,
        password,
    };
    let (user, _) = crate::portal::register(&state.stores, state.clock.now(), &input, locale)
        .await
        .map_err(|e| support::desk(e, locale))?;
    session.sign_in(user.id, 0).await?;
    Ok(user.role.home_path().to_owned())
}

/// Sets a new password with a code and signs in; returns the home path.
#[server(endpoint = "portal/reset")]
pub async fn portal_reset(
    phone: String,
    code: String,
    password: String,
) -> Result<String, AppError> {
    let (state, session, locale, _) = anonymous().await?;
    let (user, epoch) =
        crate::portal::reset_password(&state.stores, state.clock.now(), &phone, &code, &password)
            .await
            .map_err(|e| support::desk(e, locale))?;
    session.sign_in(user.id, epoch).await?;
    Ok(user.role.home_path().to_owned())
}

/// Changes the signed-in customer's password (the account's other sessions end).
#[server(endpoint = "portal/password")]
pub async fn portal_change_password(current: String, new: String) -> Result<(), AppError> {
    let (state, session, headers) = crate::state::request_context().await?;
    let user = crate::auth::require_user(&state, &session).await?;
    let locale = crate::auth::resolve_locale(Some(&user), &headers);
    let input = crate::accounts::PasswordChange {
        login: crate::accounts::login_of(&user),
        current,
        confirm: new.clone(),
        new,
    };
    crate::accounts::change_password(&state, &session, &input, super::console::transaction_id())
        .await
        .map(|_| ())
        .map_err(|e| support::desk(e, locale))
}

/// The portal home.
#[server(endpoint = "portal/home")]
pub async fn portal_home() -> Result<PortalHomeView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let now = state.clock.now();
    let today = crate::desk::today(&state.stores, now)
        .await
        .map_err(|e| support::desk(e, locale))?;
    crate::portal::home(
        &state.stores,
        state.billing.as_ref(),
        now,
        today,
        &user,
        locale,
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// The customer's requests (all of them), and the server time.
#[server(endpoint = "portal/requests")]
pub async fn portal_requests() -> Result<(Vec<RequestRow>, chrono::DateTime<chrono::Utc>), AppError>
{
    let (state, user, locale) = support::caller().await?;
    crate::portal::requests(&state.stores, &user, false, locale)
        .await
        .map(|rows| (rows, state.clock.now()))
        .map_err(|e| support::desk(e, locale))
}

/// One request.
#[server(endpoint = "portal/request")]
pub async fn portal_request(id: String) -> Result<RequestView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = loopdesk::ticket::TicketId(parse_id(&id, locale)?);
    crate::portal::request(&state.stores, state.clock.now(), &user, id, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Replies; returns the fresh request.
#[server(endpoint = "portal/reply")]
pub async fn portal_reply(id: String, version: u64, text: String) -> Result<RequestView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let tid = loopdesk::ticket::TicketId(parse_id(&id, locale)?);
    let now = state.clock.now();
    crate::desk::customer_reply(&state.stores, now, &user, tid, version, &text)
        .await
        .map_err(|e| support::desk(e, locale))?;
    crate::portal::request(&state.stores, now, &user, tid, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Confirms or rejects the answer; returns the fresh request.
#[server(endpoint = "portal/confirm")]
pub async fn portal_confirm(
    id: String,
    version: u64,
    satisfied: bool,
    rating: u8,
    comment: String,
) -> Result<RequestView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let tid = loopdesk::ticket::TicketId(parse_id(&id, locale)?);
    let now = state.clock.now();
    let action = loopdesk::ticket::action::Action::CustomerConfirm {
        satisfied,
        rating,
        comment: comment.trim().to_owned(),
    };
    crate::desk::act(&state.stores, now, &user, tid, version, action)
        .await
        .map_err(|e| support::desk(e, locale))?;
    crate::portal::request(&state.stores, now, &user, tid, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// The submission form's choices.
#[server(endpoint = "portal/choices")]
pub async fn portal_choices() -> Result<SubmitChoices, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::portal::choices(&state.stores, &user, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// The customer's billing for a period (`YYYY-MM-DD`, empty: the last 30 days).
#[server(endpoint = "portal/bills")]
pub async fn portal_bills(from: String, to: String) -> Result<BillingView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let bad = || {
        support::desk(
            crate::desk::DeskError::invalid("from", crate::desk::Invalid::BadDate),
            locale,
        )
    };
    let range = match (from.trim(), to.trim()) {
        ("", "") => None,
        (f, t) => Some((f.parse().map_err(|_| bad())?, t.parse().map_err(|_| bad())?)),
    };
    let today = crate::desk::today(&state.stores, state.clock.now())
        .await
        .map_err(|e| support::desk(e, locale))?;
    crate::portal::bills(
        &state.stores,
        state.billing.as_ref(),
        today,
        &user,
        range,
        locale,
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// Notices and the unread count.
#[server(endpoint = "portal/notices")]
pub async fn portal_notices() -> Result<(Vec<NoticeView>, u64), AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::portal::notices(&state.stores, &user, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Marks all notices read.
#[server(endpoint = "portal/notices/read")]
pub async fn portal_read_notices() -> Result<u64, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::portal::read_notices(&state.stores, &user)
        .await
        .map_err(|e| support::desk(e, locale))
}

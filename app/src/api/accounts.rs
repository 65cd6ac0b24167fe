//! Server functions of the account lifecycle: choosing a new password (signed in, or at
//! sign-in when it expired or was reset) and the administrators' user page (list, disable,
//! enable, sign out everywhere, reset password). Each calls `crate::accounts`.

use leptos::prelude::*;

use crate::error::AppError;
use crate::views::accounts::{AccountAction, StaffAccountView};

#[cfg(feature = "ssr")]
use super::desk::support;

/// Changes a password and signs its owner in; returns the home path. Signed in, `login` is
/// ignored (the session's account changes its own password).
#[server(endpoint = "account/password")]
pub async fn change_password(
    login: String,
    current: String,
    new: String,
    confirm: String,
) -> Result<String, AppError> {
    let (state, session, headers) = crate::state::request_context().await?;
    let signed_in = crate::auth::current_user(&state, &session).await?;
    let locale = crate::auth::resolve_locale(signed_in.as_ref(), &headers);
    let input = crate::accounts::PasswordChange {
        login,
        current,
        new,
        confirm,
    };
    let user = crate::accounts::change_password(
        &state,
        &session,
        &input,
        super::console::transaction_id(),
    )
    .await
    .map_err(|e| support::desk(e, locale))?;
    Ok(user.role.home_path().to_owned())
}

/// Every staff account (administrators).
#[server(endpoint = "admin/users")]
pub async fn staff_accounts() -> Result<Vec<StaffAccountView>, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::accounts::staff_account_views(&state, &user, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Applies an administrator's action to a staff account; a reset returns the temporary
/// password (shown once).
#[server(endpoint = "admin/users/action")]
pub async fn manage_account(id: String, action: AccountAction) -> Result<Option<String>, AppError> {
    let (state, user, locale) = support::caller().await?;
    let target = loopdesk::user::UserId(super::console::parse_id(&id, locale)?);
    crate::accounts::apply(
        &state.stores,
        &state.policy,
        &user,
        target,
        action,
        state.clock.now(),
        super::console::transaction_id(),
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

//! The account lifecycle (SSR): choosing a new password — when the owner wants to, or
//! because it expired or was reset — under the rules of [`loopdesk::password`]; the
//! administrators' staff-account actions (list, disable, enable, sign out everywhere, reset
//! to a temporary password); and the inactivity job. Every change is audited.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use loopdesk::password::{self, DisabledReason, PasswordError};
use loopdesk::store::{Account, AuditAction, AuditEntry, PasswordHash, PasswordUpdate};
use loopdesk::user::{Role, User, UserId};

use crate::auth::{AuthSession, LoginError};
use crate::desk::{DeskError, Invalid};
use crate::state::{AppState, Stores};
pub use crate::views::accounts::AccountAction;
use crate::views::accounts::{AccountStatus, StaffAccountView};
use crate::views::CodeName;

/// A password change as typed: the login name (ignored when signed in), the current
/// password, the new one twice.
#[derive(Debug, Clone, Default)]
pub struct PasswordChange {
    /// Username or phone number.
    pub login: String,
    /// The current password.
    pub current: String,
    /// The new password.
    pub new: String,
    /// The new password again.
    pub confirm: String,
}

/// A refused check of the current password, as the password form reports it.
fn login_refusal(e: LoginError, now: DateTime<Utc>) -> DeskError {
    match e {
        LoginError::EmptyFields => DeskError::invalid("current_password", Invalid::Required),
        LoginError::NameTooLong => DeskError::invalid("login", Invalid::TooLong { max: 64 }),
        LoginError::InvalidCredentials => {
            DeskError::invalid("current_password", Invalid::WrongPassword)
        }
        LoginError::Locked { until } => DeskError::RateLimited {
            seconds: (until - now).num_seconds().max(1),
        },
        LoginError::Disabled => DeskError::invalid("login", Invalid::AccountDisabled),
        LoginError::ChangePassword(_) | LoginError::Internal => DeskError::Internal,
    }
}

/// Changes a password and signs the owner in with it. The current password is checked like
/// a sign-in (throttle, lockout, audit); then the policy: minimum age for staff (unless a
/// change is required), strength for the role, no reuse of the last five for staff. Every
/// other session of the user is signed out. Returns the user.
pub async fn change_password(
    state: &AppState,
    session: &AuthSession,
    input: &PasswordChange,
    transaction_id: Option<String>,
) -> Result<User, DeskError> {
    if input.new.is_empty() {
        return Err(DeskError::invalid("new_password", Invalid::Required));
    }
    if input.new != input.confirm {
        return Err(DeskError::invalid(
            "confirm_password",
            Invalid::PasswordMismatch,
        ));
    }
    let now = state.clock.now();
    // Signed in: the session's own account, whatever was typed as the login name.
    let login = match crate::auth::current_user(state, session).await {
        Ok(Some(user)) => login_of(&user),
        _ => input.login.clone(),
    };
    let (user, key) =
        crate::auth::check_credentials(state, &login, &input.current, transaction_id.as_deref())
            .await
            .map_err(|e| login_refusal(e, now))?;
    state.stores.login_attempts.clear(&key).await?;
    let account = state.stores.users.account(user.id).await?;
    let epoch = replace_password(state, &account, &input.new, transaction_id.clone()).await?;
    crate::auth::start_session(state, session, &user, epoch, transaction_id)
        .await
        .map_err(|e| login_refusal(e, now))?;
    Ok(user)
}

/// The name the user signs in with.
pub fn login_of(user: &User) -> String {
    user.username
        .clone()
        .or_else(|| user.phone.clone())
        .unwrap_or_default()
}

/// Applies the policy to a new password for an account whose owner proved the current one,
/// stores it and audits the change. Returns the new session epoch.
async fn replace_password(
    state: &AppState,
    account: &Account,
    new: &str,
    transaction_id: Option<String>,
) -> Result<i64, DeskError> {
    let user = &account.user;
    let now = state.clock.now();
    let policy = &state.policy;
    if let Err(until) = policy.may_change(user.role, account.password, now) {
        return Err(DeskError::invalid(
            "new_password",
            Invalid::PasswordTooSoon { until },
        ));
    }
    password::check_for(user.role, new, &login_of(user))
        .map_err(|e| DeskError::invalid("new_password", Invalid::Password(e)))?;
    if user.role.is_staff() {
        let (_, current) = stored_hash(&state.stores, user).await?;
        let mut earlier = state.stores.users.password_history(user.id).await?;
        earlier.truncate(policy.kept_history(user.role));
        earlier.insert(0, current);
        for hash in earlier {
            if crate::auth::verify_password(new.to_owned(), hash)
                .await
                .map_err(|_| DeskError::Internal)?
            {
                return Err(DeskError::invalid(
                    "new_password",
                    Invalid::Password(PasswordError::Reused),
                ));
            }
        }
    }
    let hash = crate::auth::hash_password(new.to_owned())
        .await
        .map_err(|_| DeskError::Internal)?;
    let epoch = state
        .stores
        .users
        .set_password(
            user.id,
            PasswordUpdate {
                hash,
                at: now,
                must_change: false,
                keep_history: policy.kept_history(user.role),
            },
        )
        .await?;
    state
        .stores
        .audit
        .append(
            AuditEntry::new(now, AuditAction::PasswordChanged, user.id.to_string())
                .by(Some(user.id))
                .transaction(transaction_id),
        )
        .await?;
    Ok(epoch)
}

async fn stored_hash(stores: &Stores, user: &User) -> Result<(User, PasswordHash), DeskError> {
    let login =
        loopdesk::user::LoginName::parse(&login_of(user)).map_err(|_| DeskError::NotFound)?;
    stores
        .users
        .find_for_login(&login)
        .await?
        .ok_or(DeskError::NotFound)
}

/// Administrators only.
fn admin(actor: &User) -> Result<(), DeskError> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(DeskError::Forbidden)
    }
}

/// Every staff account with its lifecycle dates (administrators).
pub async fn staff_accounts(stores: &Stores, actor: &User) -> Result<Vec<Account>, DeskError> {
    admin(actor)?;
    Ok(stores.users.list_staff_accounts().await?)
}

/// Every staff account as the user page and `GET /api/v1/users` show it (administrators).
pub async fn staff_account_views(
    state: &AppState,
    actor: &User,
    locale: loopdesk::locale::Locale,
) -> Result<Vec<StaffAccountView>, DeskError> {
    let accounts = staff_accounts(&state.stores, actor).await?;
    let departments = state.stores.departments.list_departments().await?;
    let now = state.clock.now();
    Ok(accounts
        .into_iter()
        .map(|a| {
            let u = &a.user;
            let status = match a.disabled_reason {
                _ if !u.disabled => match state.policy.change_required(u.role, a.password, now) {
                    Some(_) => AccountStatus::MustChangePassword,
                    None => AccountStatus::Active,
                },
                Some(DisabledReason::Inactive) => AccountStatus::DisabledInactive,
                Some(DisabledReason::Admin) | None => AccountStatus::DisabledAdmin,
            };
            StaffAccountView {
                id: u.id.to_string(),
                username: u.username.clone().unwrap_or_default(),
                display_name: u.display_name.clone(),
                role: CodeName {
                    code: u.role.code().into(),
                    name: crate::i18n::role_name(u.role, locale).into(),
                },
                department: departments
                    .iter()
                    .find(|d| Some(d.id) == u.department_id)
                    .map(|d| d.name(locale).to_owned())
                    .unwrap_or_default(),
                status,
                last_login_at: a.last_login_at,
                password_changed_at: a.password.changed_at,
                password_expires_at: state.policy.expires_at(a.password),
                is_self: u.id == actor.id,
            }
        })
        .collect())
}

/// Applies an administrator's action to a staff account. Returns the temporary password of
/// a reset (shown once, never stored in clear). An administrator cannot act on their own
/// account (they would lock themselves out); customers are not managed here.
pub async fn apply(
    stores: &Stores,
    policy: &loopdesk::password::PasswordPolicy,
    actor: &User,
    target: UserId,
    action: AccountAction,
    now: DateTime<Utc>,
    transaction_id: Option<String>,
) -> Result<Option<String>, DeskError> {
    admin(actor)?;
    if target == actor.id {
        return Err(DeskError::invalid("user", Invalid::OwnAccount));
    }
    perform(
        stores,
        policy,
        Some(actor.id),
        target,
        action,
        now,
        transaction_id,
    )
    .await
}

/// The same actions from the server's command line (`server account enable|reset-password
/// <username>`), for when no administrator can sign in: audited with no actor.
pub async fn from_command_line(
    stores: &Stores,
    policy: &loopdesk::password::PasswordPolicy,
    username: &str,
    action: AccountAction,
    now: DateTime<Utc>,
) -> Result<Option<String>, DeskError> {
    let login = loopdesk::user::LoginName::Username(username.trim().to_lowercase());
    let (user, _) = stores
        .users
        .find_for_login(&login)
        .await?
        .ok_or(DeskError::NotFound)?;
    perform(stores, policy, None, user.id, action, now, None).await
}

async fn perform(
    stores: &Stores,
    policy: &loopdesk::password::PasswordPolicy,
    actor: Option<UserId>,
    target: UserId,
    action: AccountAction,
    now: DateTime<Utc>,
    transaction_id: Option<String>,
) -> Result<Option<String>, DeskError> {
    let account = stores.users.account(target).await?;
    if !account.user.role.is_staff() {
        return Err(DeskError::NotFound);
    }
    let mut temporary = None;
    let (audit_action, detail) = match action {
        AccountAction::Disable => {
            stores
                .users
                .set_disabled(target, Some(DisabledReason::Admin), now)
                .await?;
            (AuditAction::AccountDisabled, DisabledReason::Admin.code())
        }
        AccountAction::Enable => {
            stores.users.set_disabled(target, None, now).await?;
            (AuditAction::AccountEnabled, "")
        }
        AccountAction::SignOut => {
            stores.users.revoke_sessions(target).await?;
            (AuditAction::SessionsRevoked, "")
        }
        AccountAction::ResetPassword => {
            let mut random = [0u8; 14];
            OsRng.fill_bytes(&mut random);
            let plain = password::temporary_from(&random);
            let hash = crate::auth::hash_password(plain.clone())
                .await
                .map_err(|_| DeskError::Internal)?;
            stores
                .users
                .set_password(
                    target,
                    PasswordUpdate {
                        hash,
                        at: now,
                        must_change: true,
                        keep_history: policy.kept_history(account.user.role),
                    },
                )
                .await?;
            temporary = Some(plain);
            (AuditAction::PasswordReset, "")
        }
    };
    stores
        .audit
        .append(
            AuditEntry::new(now, audit_action, target.to_string())
                .by(actor)
                .detail(detail)
                .transaction(transaction_id),
        )
        .await?;
    Ok(temporary)
}

/// The inactivity job: disables staff accounts unused for the policy's period and audits
/// each. Returns how many were disabled.
pub async fn disable_inactive(
    stores: &Stores,
    policy: &loopdesk::password::PasswordPolicy,
    now: DateTime<Utc>,
) -> Result<usize, DeskError> {
    let disabled = stores
        .users
        .disable_inactive(policy.inactive_before(now))
        .await?;
    for user in &disabled {
        stores
            .audit
            .append(
                AuditEntry::new(now, AuditAction::AccountDisabled, user.id.to_string())
                    .detail(DisabledReason::Inactive.code()),
            )
            .await?;
    }
    Ok(disabled.len())
}

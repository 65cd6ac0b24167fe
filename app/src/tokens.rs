//! API token use cases (SSR only): administrators create tokens (the full text is shown
//! once and only its hash is kept), list and revoke them; integrations authenticate with
//! `Authorization: Bearer ldk_…`, acting on behalf of the administrator who created the
//! token, within its scopes, before its expiry and from an allowed address. Every use and
//! every refusal is written to the audit log.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use loopdesk::store::{AuditAction, AuditEntry};
use loopdesk::token::{self, ApiToken, TokenRefusal, TokenScope};
use loopdesk::user::{LoginName, Role, User};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::console::admin;
use crate::desk::{DeskError, Invalid};
use crate::state::Stores;

/// A token to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTokenInput {
    /// What it is for.
    pub name: String,
    /// Scopes.
    pub scopes: Vec<TokenScope>,
    /// Expiry (none: until revoked).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Allowed client addresses or CIDR ranges (empty: any).
    #[serde(default)]
    pub allow_ips: Vec<String>,
    /// Username of the agent or supervisor ticket requests act as (ticket scopes).
    #[serde(default)]
    pub acts_as: Option<String>,
}

/// A created token: its record and, this once, its full text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    /// The record.
    pub token: ApiToken,
    /// The full token; not stored, not shown again.
    pub secret: String,
}

async fn log(
    stores: &Stores,
    now: DateTime<Utc>,
    actor: Option<&User>,
    action: AuditAction,
    subject: &str,
    detail: String,
    transaction_id: Option<&str>,
) -> Result<(), DeskError> {
    let entry = AuditEntry::new(now, action, subject)
        .by(actor.map(|u| u.id))
        .detail(detail)
        .transaction(transaction_id.map(str::to_owned));
    stores.audit.append(entry).await?;
    Ok(())
}

/// Creates a token (administrators).
pub async fn create(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: NewTokenInput,
) -> Result<CreatedToken, DeskError> {
    admin(user)?;
    let acts_as = match input
        .acts_as
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => None,
        Some(name) => {
            let login = LoginName::Username(name.to_lowercase());
            match stores.users.find_for_login(&login).await? {
                Some((u, _)) if works_tickets(&u) => Some(u.id),
                _ => return Err(DeskError::invalid("acts_as", Invalid::Unknown)),
            }
        }
    };
    let simple = |u: Uuid| u.simple().to_string();
    let prefix: String = simple(Uuid::new_v4()).chars().take(8).collect();
    let secret = format!("{}{}", simple(Uuid::new_v4()), simple(Uuid::new_v4()));
    let full = token::format_token(&prefix, &secret);
    let record = ApiToken {
        id: Uuid::new_v4(),
        name: input.name,
        prefix,
        scopes: input.scopes,
        created_by: user.id,
        acts_as,
        created_at: now,
        expires_at: input.expires_at,
        revoked_at: None,
        last_used_at: None,
        allow_ips: input.allow_ips,
    }
    .validated(now)
    .map_err(|e| {
        let field = match e {
            token::TokenDefinitionError::NameRequired => "name",
            token::TokenDefinitionError::ScopeRequired => "scopes",
            token::TokenDefinitionError::BadAddress(_) => "allow_ips",
            token::TokenDefinitionError::ExpiryPast => "expires_at",
            token::TokenDefinitionError::ActorRequired => "acts_as",
        };
        DeskError::invalid(field, Invalid::Token(e))
    })?;
    stores
        .tokens
        .create_token(&record, &token::hash(&full))
        .await?;
    let scopes: Vec<&str> = record.scopes.iter().map(|s| s.code()).collect();
    log(
        stores,
        now,
        Some(user),
        AuditAction::TokenCreated,
        &record.prefix,
        format!("{} [{}]", record.name, scopes.join(",")),
        None,
    )
    .await?;
    Ok(CreatedToken {
        token: record,
        secret: full,
    })
}

/// Every token (administrators).
pub async fn list(stores: &Stores, user: &User) -> Result<Vec<ApiToken>, DeskError> {
    admin(user)?;
    Ok(stores.tokens.tokens().await?)
}

/// Revokes a token (administrators).
pub async fn revoke(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: Uuid,
) -> Result<(), DeskError> {
    admin(user)?;
    stores.tokens.revoke_token(id, now).await?;
    log(
        stores,
        now,
        Some(user),
        AuditAction::TokenRevoked,
        &id.to_string(),
        String::new(),
        None,
    )
    .await
}

/// Agents and supervisors work tickets.
fn works_tickets(user: &User) -> bool {
    !user.disabled && matches!(user.role, Role::Agent | Role::Supervisor)
}

/// Equal without an early exit, so timing says nothing about where hashes differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Authenticates a bearer token for `scope`; returns the user the request acts as (the
/// token's creator, who must still be an enabled administrator, or the agent or supervisor
/// it acts as). `what` describes the request and `transaction_id` identifies it in the
/// audit log.
pub async fn authenticate(
    stores: &Stores,
    now: DateTime<Utc>,
    bearer: &str,
    scope: TokenScope,
    client: Option<IpAddr>,
    what: &str,
    transaction_id: Option<&str>,
) -> Result<User, DeskError> {
    let refuse = |prefix: &str, why: TokenRefusal| {
        let prefix = prefix.to_owned();
        async move {
            log(
                stores,
                now,
                None,
                AuditAction::TokenRefused,
                &prefix,
                format!(
                    "{why:?} {what} from {}",
                    client.map(|c| c.to_string()).unwrap_or_default()
                ),
                transaction_id,
            )
            .await?;
            Err::<User, _>(DeskError::Token(why))
        }
    };
    let Some(prefix) = token::prefix_of(bearer.trim()) else {
        return refuse("", TokenRefusal::Invalid).await;
    };
    let Some((record, hash)) = stores.tokens.token_by_prefix(prefix).await? else {
        return refuse(prefix, TokenRefusal::Invalid).await;
    };
    if !same(&hash, &token::hash(bearer.trim())) {
        return refuse(prefix, TokenRefusal::Invalid).await;
    }
    if let Err(why) = record.admits(scope, now, client) {
        return refuse(prefix, why).await;
    }
    let creator = stores.users.get_user(record.created_by).await?;
    if creator.disabled || creator.role != Role::Admin {
        return refuse(prefix, TokenRefusal::Revoked).await;
    }
    let user = match record.acts_as {
        None => creator,
        Some(id) => {
            let actor = stores.users.get_user(id).await?;
            if actor.disabled || !works_tickets(&actor) {
                return refuse(prefix, TokenRefusal::Revoked).await;
            }
            actor
        }
    };
    stores.tokens.token_used(record.id, now).await?;
    log(
        stores,
        now,
        Some(&user),
        AuditAction::TokenUsed,
        prefix,
        what.to_owned(),
        transaction_id,
    )
    .await?;
    Ok(user)
}

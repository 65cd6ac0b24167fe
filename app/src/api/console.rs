//! Server functions of the console screens: the customer 360 with billing and reveals, the
//! outbound task list, the agent's state and call wrap-up, standard phrases, and the
//! administrators' billing import and phrase editor. Each authenticates, calls
//! `crate::console`, and maps errors to [`AppError`] in the user's language.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use loopdesk::phrase::Phrase;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::views::console::{
    AgentStateView, BillingView, Customer360, PhraseView, TaskList, TaskView,
};

#[cfg(feature = "ssr")]
use super::desk::support;

#[cfg(feature = "ssr")]
pub(crate) fn transaction_id() -> Option<String> {
    Some(uuid::Uuid::new_v4().to_string())
}

/// An id from the page; anything that is not one is a 404, like an unknown id.
#[cfg(feature = "ssr")]
pub(crate) fn parse_id(id: &str, locale: loopdesk::locale::Locale) -> Result<uuid::Uuid, AppError> {
    id.parse()
        .map_err(|_| support::desk(crate::desk::DeskError::NotFound, locale))
}

#[cfg(feature = "ssr")]
fn customer_id(
    id: &str,
    locale: loopdesk::locale::Locale,
) -> Result<loopdesk::customer::CustomerId, AppError> {
    parse_id(id, locale).map(loopdesk::customer::CustomerId)
}

/// The customer 360 (access-logged).
#[server(endpoint = "console/customer")]
pub async fn load_customer_360(id: String) -> Result<Customer360, AppError> {
    let (state, user, locale) = support::caller().await?;
    let now = state.clock.now();
    let id = customer_id(&id, locale)?;
    let today = crate::desk::today(&state.stores, now)
        .await
        .map_err(|e| support::desk(e, locale))?;
    crate::console::customer_360(
        &state.stores,
        now,
        today,
        &user,
        id,
        locale,
        transaction_id(),
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// A customer's billing for a usage period (`YYYY-MM-DD`; empty: the last 30 days).
#[server(endpoint = "console/billing")]
pub async fn customer_billing(
    id: String,
    from: String,
    to: String,
) -> Result<BillingView, AppError> {
    use crate::desk::{DeskError, Invalid};
    let (state, user, locale) = support::caller().await?;
    let now = state.clock.now();
    let id = customer_id(&id, locale)?;
    let today = crate::desk::today(&state.stores, now)
        .await
        .map_err(|e| support::desk(e, locale))?;
    let date = |field: &str, v: &str| {
        chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map_err(|_| support::desk(DeskError::invalid(field, Invalid::BadDate), locale))
    };
    let range = match (from.trim().is_empty(), to.trim().is_empty()) {
        (true, true) => None,
        (false, true) => Some((date("from", &from)?, today)),
        (_, false) => {
            let to = date("to", &to)?;
            let from = match from.trim().is_empty() {
                true => to - chrono::Duration::days(30),
                false => date("from", &from)?,
            };
            Some((from, to))
        }
    };
    crate::console::billing_lookup(
        &state.stores,
        state.billing.as_ref(),
        now,
        today,
        &user,
        id,
        range,
        locale,
        transaction_id(),
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// Reveals a masked phone (`phone`, index) or the ID number (`id_number`); logged.
#[server(endpoint = "console/reveal")]
pub async fn reveal_number(id: String, field: String, index: usize) -> Result<String, AppError> {
    use crate::console::RevealField;
    let (state, user, locale) = support::caller().await?;
    let id = customer_id(&id, locale)?;
    let field = match field.as_str() {
        "id_number" => RevealField::IdNumber,
        _ => RevealField::Phone(index),
    };
    crate::console::reveal(
        &state.stores,
        state.clock.now(),
        &user,
        id,
        field,
        transaction_id(),
    )
    .await
    .map(|r| r.value)
    .map_err(|e| support::desk(e, locale))
}

/// The task list: `scope` open | mine | all, `reason` empty for every reason.
#[server(endpoint = "console/tasks")]
pub async fn load_tasks(scope: String, reason: String) -> Result<TaskList, AppError> {
    use crate::console::TaskScope;
    let (state, user, locale) = support::caller().await?;
    let scope = match scope.as_str() {
        "mine" => TaskScope::Mine,
        "all" => TaskScope::All,
        _ => TaskScope::Open,
    };
    let reason = loopdesk::task::TaskReason::from_code(&reason);
    let tasks = crate::console::list_tasks(&state.stores, &user, scope, reason)
        .await
        .map_err(|e| support::desk(e, locale))?;
    let items = crate::console::task_views(&state.stores, &tasks, locale)
        .await
        .map_err(|e| support::desk(e, locale))?;
    Ok(TaskList {
        as_of: state.clock.now(),
        items,
    })
}

/// Takes a task (empty `outcome`) or records an attempt.
#[server(endpoint = "console/task")]
pub async fn work_on_task(
    id: String,
    version: u64,
    outcome: String,
    note: String,
) -> Result<TaskView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    let outcome = match outcome.as_str() {
        "" => None,
        code => Some(loopdesk::task::TaskOutcome::from_code(code).ok_or_else(|| {
            support::desk(
                crate::desk::DeskError::invalid("outcome", crate::desk::Invalid::Unknown),
                locale,
            )
        })?),
    };
    let input = crate::console::TaskInput {
        version,
        outcome,
        note,
    };
    let task = crate::console::work_task(&state.stores, state.clock.now(), &user, id, input)
        .await
        .map_err(|e| support::desk(e, locale))?;
    crate::console::task_views(&state.stores, &[task], locale)
        .await
        .map_err(|e| support::desk(e, locale))?
        .pop()
        .ok_or(AppError::Internal)
}

/// The signed-in agent's state.
#[server(endpoint = "console/state")]
pub async fn my_agent_state() -> Result<AgentStateView, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::desk::staff_actor(&user).map_err(|e| support::desk(e, locale))?;
    let (s, _) = crate::console::agent_status(&state.stores, user.id, state.clock.now())
        .await
        .map_err(|e| support::desk(e, locale))?;
    Ok(crate::console::agent_state_view(&s, locale))
}

/// Sets the agent's state (`available`, `break` with a reason, `offline`).
#[server(endpoint = "console/set-state")]
pub async fn set_agent_state(
    state_code: String,
    reason: String,
) -> Result<AgentStateView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let wanted = loopdesk::agent::AgentState::from_code(&state_code).ok_or_else(|| {
        support::desk(
            crate::desk::DeskError::invalid("state", crate::desk::Invalid::Unknown),
            locale,
        )
    })?;
    let s = crate::console::set_my_state(&state.stores, state.clock.now(), &user, wanted, &reason)
        .await
        .map_err(|e| support::desk(e, locale))?;
    Ok(crate::console::agent_state_view(&s, locale))
}

/// The wrap-up of a call.
#[server(endpoint = "console/disposition")]
pub async fn submit_disposition(
    call_id: String,
    disposition: String,
    notes: String,
) -> Result<(), AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::console::submit_disposition(
        &state.stores,
        state.clock.now(),
        &user,
        &call_id,
        &disposition,
        &notes,
    )
    .await
    .map_err(|e| support::desk(e, locale))
}

/// Standard phrases rendered for the agent and the customer on the call (id or empty).
#[server(endpoint = "console/phrases")]
pub async fn phrase_list(customer: String) -> Result<Vec<PhraseView>, AppError> {
    let (state, user, locale) = support::caller().await?;
    let customer = match customer.trim() {
        "" => None,
        id => Some(customer_id(id, locale)?),
    };
    let hour = crate::desk::local_hour(&state.stores, state.clock.now())
        .await
        .map_err(|e| support::desk(e, locale))?;
    crate::console::phrases_for(&state.stores, &user, customer, hour, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Every phrase as stored (administrators).
#[server(endpoint = "console/phrase-defs")]
pub async fn phrase_definitions() -> Result<Vec<Phrase>, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::console::phrases_raw(&state.stores, &user)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Creates or replaces a phrase (administrators).
#[server(endpoint = "console/save-phrase", input = Json)]
pub async fn save_phrase(phrase: Phrase) -> Result<Phrase, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::console::save_phrase(&state.stores, state.clock.now(), &user, phrase)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Deletes a phrase (administrators).
#[server(endpoint = "console/delete-phrase")]
pub async fn delete_phrase(id: String) -> Result<(), AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    crate::console::delete_phrase(&state.stores, state.clock.now(), &user, id)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// What a billing import from the admin page did: counts, or every problem in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// Records created.
    pub created: u32,
    /// Records updated.
    pub updated: u32,
    /// Records unchanged.
    pub unchanged: u32,
    /// Collection tasks raised.
    pub collections: u32,
    /// Problems (nothing was imported when there are any).
    pub issues: Vec<String>,
}

/// Imports billing data from the admin page: `format` json or csv (with `kind`).
#[server(endpoint = "console/import-billing", input = Json)]
pub async fn import_billing_file(
    format: String,
    kind: String,
    text: String,
) -> Result<ImportOutcome, AppError> {
    use crate::console::ImportFormat;
    use crate::desk::{DeskError, Invalid};
    use loopdesk::billing::import::ImportKind;
    let (state, user, locale) = support::caller().await?;
    let format =
        match format.as_str() {
            "json" => ImportFormat::Json,
            _ => ImportFormat::Csv(ImportKind::from_code(&kind).ok_or_else(|| {
                support::desk(DeskError::invalid("kind", Invalid::Unknown), locale)
            })?),
        };
    let now = state.clock.now();
    let today = crate::desk::today(&state.stores, now)
        .await
        .map_err(|e| support::desk(e, locale))?;
    match crate::console::import_billing(&state.stores, now, &user, format, &text, today).await {
        Ok(r) => Ok(ImportOutcome {
            created: r.counts.created,
            updated: r.counts.updated,
            unchanged: r.counts.unchanged,
            collections: r.collections,
            issues: Vec::new(),
        }),
        Err(DeskError::Import(issues)) => Ok(ImportOutcome {
            created: 0,
            updated: 0,
            unchanged: 0,
            collections: 0,
            issues: issues
                .iter()
                .map(|i| crate::i18n::names::import_issue(i, locale))
                .collect(),
        }),
        Err(e) => Err(support::desk(e, locale)),
    }
}

/// Every API token (administrators).
#[server(endpoint = "console/tokens")]
pub async fn api_tokens() -> Result<Vec<loopdesk::token::ApiToken>, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::tokens::list(&state.stores, &user)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Creates an API token; the answer holds its text, once.
#[server(endpoint = "console/create-token", input = Json)]
pub async fn create_api_token(
    name: String,
    scopes: Vec<String>,
    expires_on: String,
    allow_ips: String,
    acts_as: String,
) -> Result<String, AppError> {
    use crate::desk::{DeskError, Invalid};
    let (state, user, locale) = support::caller().await?;
    let scopes = scopes
        .iter()
        .map(|s| {
            loopdesk::token::TokenScope::from_code(s).ok_or_else(|| {
                support::desk(DeskError::invalid("scopes", Invalid::Unknown), locale)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let expires_at = match expires_on.trim() {
        "" => None,
        d => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| {
                    support::desk(DeskError::invalid("expires_at", Invalid::BadDate), locale)
                })?
                .and_hms_opt(23, 59, 59)
                .unwrap_or_default()
                .and_utc(),
        ),
    };
    let input = crate::tokens::NewTokenInput {
        name,
        scopes,
        expires_at,
        allow_ips: allow_ips
            .split([',', ' ', '\n'])
            .map(str::to_owned)
            .collect(),
        acts_as: Some(acts_as).filter(|a| !a.trim().is_empty()),
    };
    crate::tokens::create(&state.stores, state.clock.now(), &user, input)
        .await
        .map(|c| c.secret)
        .map_err(|e| support::desk(e, locale))
}

/// Revokes an API token.
#[server(endpoint = "console/revoke-token")]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id, locale)?;
    crate::tokens::revoke(&state.stores, state.clock.now(), &user, id)
        .await
        .map_err(|e| support::desk(e, locale))
}

//! Call use cases (SSR only): fold a CTI event into its call record (idempotent and
//! order-independent, retried on concurrent writers), match the caller to customers, resolve
//! the agent, and decide the screen pop for the agent the call rings at.

use chrono::{DateTime, Utc};
use loopdesk::call::{CallRecord, CallState, CtiEvent, CtiEventKind};
use loopdesk::locale::Locale;
use loopdesk::store::desk::{StoredCall, TicketQuery, TicketSort};
use loopdesk::store::StoreError;
use loopdesk::user::{LoginName, UserId};

use crate::desk::{DeskError, Invalid};
use crate::state::Stores;
use crate::views::{customer_view, ScreenPop};

/// Something about an accepted event the PBX should know.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "warning", content = "value", rename_all = "snake_case")]
pub enum CtiWarning {
    /// The agent login is not a Loopdesk user; the call is recorded without one.
    UnknownAgent(String),
    /// The customer's side is not a phone number.
    UnusableNumber(String),
    /// No customer has this number.
    NoCustomer(String),
    /// Several customers have this number; the agent chooses.
    SeveralCustomers(u32),
}

/// What recording one event did.
#[derive(Debug, Clone)]
pub struct CtiOutcome {
    /// The call now.
    pub call: StoredCall,
    /// False when the event was a duplicate.
    pub changed: bool,
    /// Reported problems (never failures).
    pub warnings: Vec<CtiWarning>,
    /// The agent to pop the caller's card for, if the call rings at a known agent.
    pub pop_for: Option<UserId>,
}

/// Records a CTI event.
pub async fn record_event(
    stores: &Stores,
    now: DateTime<Utc>,
    event: CtiEvent,
) -> Result<CtiOutcome, DeskError> {
    for _ in 0..5 {
        match stores.calls.get_call(&event.call_id).await? {
            None => {
                let record = CallRecord::new(&event, now)
                    .map_err(|e| DeskError::invalid("call_id", Invalid::Call(e)))?;
                let (call, warnings) = enrich(stores, record, None, 1).await?;
                match stores.calls.insert_call(&call, now).await {
                    Err(StoreError::Conflict { .. }) => continue,
                    other => other?,
                }
                return Ok(outcome(call, true, warnings, &event));
            }
            Some(stored) => {
                let mut record = stored.record.clone();
                record
                    .apply(&event, now)
                    .map_err(|e| DeskError::invalid("direction", Invalid::Call(e)))?;
                if record == stored.record {
                    return Ok(CtiOutcome {
                        call: stored,
                        changed: false,
                        warnings: Vec::new(),
                        pop_for: None,
                    });
                }
                let version = stored.version;
                let (call, warnings) = enrich(stores, record, Some(stored), version + 1).await?;
                match stores.calls.update_call(&call, version, now).await {
                    Err(StoreError::Conflict { .. }) => continue,
                    other => other?,
                }
                return Ok(outcome(call, true, warnings, &event));
            }
        }
    }
    Err(DeskError::Conflict { current_version: 0 })
}

/// Records a CTI event and what follows from it: the agent's state (on call, wrap-up) and,
/// for an unanswered inbound call, a callback task.
pub async fn handle_event(
    stores: &Stores,
    now: DateTime<Utc>,
    event: CtiEvent,
) -> Result<CtiOutcome, DeskError> {
    let out = record_event(stores, now, event).await?;
    if out.changed {
        crate::console::after_call_event(stores, now, &out.call).await?;
    }
    Ok(out)
}

fn outcome(call: StoredCall, changed: bool, warnings: Vec<CtiWarning>, e: &CtiEvent) -> CtiOutcome {
    let ringing = call.record.state() == CallState::Ringing && e.event == CtiEventKind::NewCall;
    CtiOutcome {
        pop_for: if ringing { call.agent_user } else { None },
        call,
        changed,
        warnings,
    }
}

/// Matches the customer and the agent of a record (keeping what an earlier event found).
async fn enrich(
    stores: &Stores,
    record: CallRecord,
    before: Option<StoredCall>,
    version: u64,
) -> Result<(StoredCall, Vec<CtiWarning>), DeskError> {
    let mut warnings = Vec::new();
    let (mut customer, mut candidates) = before
        .as_ref()
        .map(|b| (b.customer, b.candidates))
        .unwrap_or((None, 0));
    if before.is_none() {
        match &record.customer_number {
            None => warnings.push(CtiWarning::UnusableNumber(
                record.customer_side().to_owned(),
            )),
            Some(n) => {
                let found = stores.customers.customers_by_phone(n).await?;
                candidates = found.len() as u32;
                match found.len() {
                    0 => warnings.push(CtiWarning::NoCustomer(n.clone())),
                    1 => customer = Some(found[0].id),
                    k => warnings.push(CtiWarning::SeveralCustomers(k as u32)),
                }
            }
        }
    }
    let agent_changed = before.as_ref().map(|b| &b.record.agent) != Some(&record.agent);
    let mut agent_user = before.as_ref().and_then(|b| b.agent_user);
    if agent_changed {
        agent_user = None;
        if let Some(login) = &record.agent {
            let found = match LoginName::parse(login) {
                Ok(name) => stores.users.find_for_login(&name).await?,
                Err(_) => None,
            };
            match found.filter(|(u, _)| u.role.is_staff() && !u.disabled) {
                Some((u, _)) => agent_user = Some(u.id),
                None => warnings.push(CtiWarning::UnknownAgent(login.clone())),
            }
        }
    }
    let (disposition, notes) = before
        .map(|b| (b.disposition, b.notes))
        .unwrap_or((None, String::new()));
    Ok((
        StoredCall {
            record,
            agent_user,
            customer,
            candidates,
            disposition,
            notes,
            version,
        },
        warnings,
    ))
}

/// The screen pop for a call: the caller's card, candidates when several match, and the
/// customer's open tickets nearest due first.
pub async fn screen_pop(
    stores: &Stores,
    now: DateTime<Utc>,
    call: &StoredCall,
    locale: Locale,
) -> Result<ScreenPop, DeskError> {
    let number = call.record.customer_number.clone().unwrap_or_default();
    let candidates = if call.candidates > 1 {
        stores.customers.customers_by_phone(&number).await?
    } else {
        Vec::new()
    };
    let customer = match call.customer {
        Some(id) => Some(stores.customers.get_customer(id).await?),
        None => None,
    };
    let open_tickets = match &customer {
        Some(c) => {
            let page = stores
                .tickets
                .list_tickets(&TicketQuery {
                    customer: Some(c.id),
                    open_only: true,
                    sort: TicketSort::NearestDue,
                    page: 1,
                    page_size: 5,
                    ..TicketQuery::default()
                })
                .await?;
            crate::views::ticket_list(stores, page, 1, 5, now, locale)
                .await?
                .items
        }
        None => Vec::new(),
    };
    let recent_calls = match &customer {
        Some(c) => stores
            .calls
            .recent_calls(Some(c.id), 6)
            .await?
            .len()
            .saturating_sub(1) as u32,
        None => 0,
    };
    let (billing, last_contacts) = match &customer {
        Some(c) => {
            let (b, l) = crate::console::pop_extras(stores, now, c.id, call, locale).await?;
            (Some(b), l)
        }
        None => (None, Vec::new()),
    };
    Ok(ScreenPop {
        call_id: call.record.call_id.clone(),
        number: masked_number(&call.record),
        queue: call.record.queue.clone(),
        customer: customer.as_ref().map(|c| customer_view(c, locale)),
        candidates: candidates
            .iter()
            .map(|c| customer_view(c, locale))
            .collect(),
        open_tickets,
        recent_calls,
        billing,
        last_contacts,
        ringing_at: call.record.ringing_at.unwrap_or(now),
    })
}

/// The customer's side of a call, normalised where possible, masked (`138****0001`).
pub fn masked_number(r: &CallRecord) -> String {
    loopdesk::user::mask_phone(r.customer_number.as_deref().unwrap_or(r.customer_side()))
}

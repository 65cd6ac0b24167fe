//! Console use cases (SSR only), each a thin sequence of store calls around the domain's
//! rules: billing imports and arrears collection, the billing lookup behind a
//! [`BillingProvider`], the customer 360 with logged reveals, agent states and call
//! dispositions, the outbound task list, and the standard phrases. Every staff view of
//! billing data and every reveal of a masked number is written to the audit (access) log.

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use loopdesk::agent::{self, AgentState, AgentStatus, CallStep, StateSource};
use loopdesk::billing::import::{
    parse_csv, parse_json, ImportIssue, ImportKind, ImportProblem, ParsedBatch, RowRef,
};
use loopdesk::billing::{self, Account, Bill, Payment, Usage};
use loopdesk::call::CallState;
use loopdesk::customer::{Customer, CustomerId};
use loopdesk::locale::Locale;
use loopdesk::phrase::{self, Phrase, PhraseContext};
use loopdesk::store::console::{AgentStateChange, BillingBatch, ImportCounts};
use loopdesk::store::desk::{StoredCall, TaskQuery, TicketQuery, TicketSort};
use loopdesk::store::{AuditAction, AuditEntry, StoreError};
use loopdesk::task::{OutboundTask, TaskAttempt, TaskOutcome, TaskReason};
use loopdesk::ticket::TicketId;
use loopdesk::user::{mask_phone, DepartmentId, Role, User, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::desk::{self, DeskError, Invalid};
use crate::i18n::names::*;
use crate::state::Stores;
use crate::views::console::*;
use crate::views::{customer_view, ticket_list, CodeName, RefView};

fn cn(code: &str, name: &str) -> CodeName {
    CodeName {
        code: code.to_owned(),
        name: name.to_owned(),
    }
}

/// Staff only (agents, supervisors, administrators).
pub(crate) fn staff(user: &User) -> Result<(), DeskError> {
    match user.role.is_staff() {
        true => Ok(()),
        false => Err(DeskError::Forbidden),
    }
}

/// Administrators only.
pub(crate) fn admin(user: &User) -> Result<(), DeskError> {
    match user.role == Role::Admin {
        true => Ok(()),
        false => Err(DeskError::Forbidden),
    }
}

/// Writes an access-log entry about a customer.
async fn access_log(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    action: AuditAction,
    customer: CustomerId,
    detail: String,
    transaction_id: Option<String>,
) -> Result<(), DeskError> {
    let entry = AuditEntry::new(now, action, customer.0.to_string())
        .by(Some(user.id))
        .detail(detail)
        .transaction(transaction_id);
    stores.audit.append(entry).await?;
    Ok(())
}

/// The department that owns work of a kind: by code, else the first one.
async fn department(stores: &Stores, code: &str) -> Result<DepartmentId, DeskError> {
    let all = stores.departments.list_departments().await?;
    all.iter()
        .find(|d| d.code == code)
        .or(all.first())
        .map(|d| d.id)
        .ok_or(DeskError::Internal)
}

// ------------------------------------------------------------------ billing import

/// What an import holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportFormat {
    /// A JSON document with sections.
    Json,
    /// A CSV file of one kind.
    Csv(ImportKind),
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Records created, updated, unchanged.
    #[serde(flatten)]
    pub counts: ImportCounts,
    /// Collection tasks raised for accounts now in arrears.
    pub collections: u32,
}

/// Imports billing data (administrators and `billing:import` integrations): parsed and
/// checked row by row, owners and accounts resolved against the store, then written in one
/// transaction; a file with any problem writes nothing and reports every problem.
pub async fn import_billing(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    format: ImportFormat,
    text: &str,
    today: NaiveDate,
) -> Result<ImportReport, DeskError> {
    admin(user)?;
    let parsed = match format {
        ImportFormat::Json => parse_json(text),
        ImportFormat::Csv(kind) => parse_csv(kind, text),
    }
    .map_err(DeskError::Import)?;
    let batch = resolve(stores, parsed).await?;
    let counts = stores.billing.import_billing(&batch, now).await?;
    desk::audit(
        stores,
        now,
        user,
        AuditAction::BillingImported,
        &format!(
            "created={} updated={} unchanged={}",
            counts.created, counts.updated, counts.unchanged
        ),
    )
    .await?;
    let collections = raise_collections(stores, now, today).await?;
    Ok(ImportReport {
        counts,
        collections,
    })
}

/// Resolves account owners by phone and checks referenced accounts exist.
async fn resolve(stores: &Stores, parsed: ParsedBatch) -> Result<BillingBatch, DeskError> {
    let mut issues = Vec::new();
    let mut batch = BillingBatch::default();
    let issue = |at: &RowRef, field: &str, problem| ImportIssue {
        at: Some(at.clone()),
        field: Some(field.to_owned()),
        problem,
    };
    for row in &parsed.accounts {
        let a = &row.value;
        let owners = stores
            .customers
            .customers_by_phone(&a.customer_phone)
            .await?;
        match owners.as_slice() {
            [one] => batch.accounts.push(Account {
                number: a.number.clone(),
                customer: one.id,
                plan: a.plan.clone(),
                status: a.status,
                balance: a.balance,
                credit_limit: a.credit_limit,
            }),
            [] => issues.push(issue(
                &row.at,
                "customer_phone",
                ImportProblem::UnknownCustomer,
            )),
            _ => issues.push(issue(
                &row.at,
                "customer_phone",
                ImportProblem::AmbiguousCustomer,
            )),
        }
    }
    let in_file: HashSet<&str> = parsed
        .accounts
        .iter()
        .map(|a| a.value.number.as_str())
        .collect();
    let mut known: HashSet<String> = HashSet::new();
    for (at, number) in parsed.referenced_accounts() {
        if in_file.contains(number) || known.contains(number) {
            continue;
        }
        match stores.billing.account(number).await? {
            Some(_) => {
                known.insert(number.to_owned());
            }
            None => issues.push(issue(at, "account", ImportProblem::UnknownAccount)),
        }
    }
    if !issues.is_empty() {
        return Err(DeskError::Import(issues));
    }
    batch.bills = parsed.bills.into_iter().map(|b| b.value).collect();
    batch.payments = parsed.payments.into_iter().map(|p| p.value).collect();
    batch.usage = parsed.usage.into_iter().map(|u| u.value).collect();
    Ok(batch)
}

/// Puts a collection task (欠费催缴) on the list for every account in arrears on `today`
/// that has none open; returns how many were added.
pub async fn raise_collections(
    stores: &Stores,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<u32, DeskError> {
    let owing = stores.billing.owing_accounts(1000).await?;
    if owing.is_empty() {
        return Ok(0);
    }
    let dept = department(stores, "billing").await?;
    let mut added = 0;
    for account in owing {
        let bills = stores.billing.bills(&account.number, 12).await?;
        if billing::arrears(&account, &bills, today).is_none() {
            continue;
        }
        let mut task = OutboundTask::new(
            Uuid::new_v4(),
            TaskReason::Collection,
            Some(account.customer),
            desk::customer_phone(stores, account.customer).await?,
            dept,
            now,
            now,
        );
        task.account = Some(account.number.clone());
        if stores.work.add_task(&task).await? {
            added += 1;
        }
    }
    Ok(added)
}

// ------------------------------------------------------------------ billing lookup

/// A customer's billing records as a provider returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerBilling {
    /// Accounts.
    pub accounts: Vec<Account>,
    /// Up to 12 bills per account, newest first.
    pub bills: Vec<Bill>,
    /// Latest payments.
    pub payments: Vec<Payment>,
    /// Usage records in the period.
    pub usage: Vec<Usage>,
}

/// Why a billing provider could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The remote system is down, slow or answered nonsense.
    #[error("billing system unavailable: {0}")]
    Unavailable(String),
    /// The local store failed.
    #[error("store: {0}")]
    Store(String),
}

/// Where billing data comes from: the local store (default) or an external billing system.
#[async_trait]
pub trait BillingProvider: Send + Sync {
    /// The customer's billing records, usage between `from` and `to`.
    async fn billing(
        &self,
        customer: &Customer,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<CustomerBilling, ProviderError>;
}

/// The local store as billing provider.
pub struct LocalBilling(pub Stores);

#[async_trait]
impl BillingProvider for LocalBilling {
    async fn billing(
        &self,
        customer: &Customer,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<CustomerBilling, ProviderError> {
        let store = |e: StoreError| ProviderError::Store(e.to_string());
        let b = &self.0.billing;
        let accounts = b.customer_accounts(customer.id).await.map_err(store)?;
        let mut out = CustomerBilling::default();
        for a in &accounts {
            out.bills
                .extend(b.bills(&a.number, 12).await.map_err(store)?);
            out.payments
                .extend(b.payments(&a.number, 20).await.map_err(store)?);
            out.usage
                .extend(b.usage(&a.number, from, to).await.map_err(store)?);
        }
        out.accounts = accounts;
        out.payments.sort_by_key(|p| std::cmp::Reverse(p.paid_at));
        Ok(out)
    }
}

/// The provider in use.
pub type Provider = Arc<dyn BillingProvider>;

fn account_view(a: &Account, bills: &[Bill], today: NaiveDate, locale: Locale) -> AccountView {
    AccountView {
        number: a.number.clone(),
        plan: a.plan.clone(),
        status: cn(a.status.code(), account_status_name(a.status, locale)),
        balance: a.balance,
        credit_limit: a.credit_limit,
        arrears: billing::arrears(a, bills, today),
    }
}

/// Looks up a customer's billing (staff); the view is written to the access log.
#[allow(clippy::too_many_arguments)]
pub async fn billing_lookup(
    stores: &Stores,
    provider: &dyn BillingProvider,
    now: DateTime<Utc>,
    today: NaiveDate,
    user: &User,
    customer: CustomerId,
    range: Option<(NaiveDate, NaiveDate)>,
    locale: Locale,
    transaction_id: Option<String>,
) -> Result<BillingView, DeskError> {
    staff(user)?;
    let c = stores.customers.get_customer(customer).await?;
    let view = billing_view(provider, today, &c, range, locale).await?;
    access_log(
        stores,
        now,
        user,
        AuditAction::BillingViewed,
        customer,
        format!("billing {}..{}", view.from, view.to),
        transaction_id,
    )
    .await?;
    Ok(view)
}

/// A customer's billing: accounts, the last bills, payments and usage in the range
/// (default: the last 30 days; at most a year). Callers check who may see it.
pub async fn billing_view(
    provider: &dyn BillingProvider,
    today: NaiveDate,
    c: &Customer,
    range: Option<(NaiveDate, NaiveDate)>,
    locale: Locale,
) -> Result<BillingView, DeskError> {
    let (from, to) = range.unwrap_or((today - Duration::days(30), today));
    if from > to || (to - from).num_days() > 366 {
        return Err(DeskError::invalid("from", Invalid::BadDate));
    }
    let data = provider.billing(c, from, to).await.map_err(|e| {
        tracing::error!(error = %e, "billing provider failed");
        match e {
            ProviderError::Unavailable(_) => DeskError::Upstream,
            ProviderError::Store(_) => DeskError::Internal,
        }
    })?;
    let usage = data
        .accounts
        .iter()
        .flat_map(|a| {
            let mine: Vec<Usage> = data
                .usage
                .iter()
                .filter(|u| u.account == a.number)
                .cloned()
                .collect();
            billing::usage_totals(&mine)
                .into_iter()
                .map(|t| UsageView {
                    account: a.number.clone(),
                    kind: cn(t.kind.code(), usage_kind_name(t.kind, locale)),
                    quantity: t.quantity,
                    charge: t.charge,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(BillingView {
        accounts: data
            .accounts
            .iter()
            .map(|a| account_view(a, &data.bills, today, locale))
            .collect(),
        bills: data
            .bills
            .iter()
            .map(|b| BillView {
                account: b.account.clone(),
                period: b.period.to_string(),
                due_on: b.due_on,
                total: b.total(),
                items: b.items.clone(),
            })
            .collect(),
        payments: data
            .payments
            .iter()
            .map(|p| PaymentView {
                reference: p.reference.clone(),
                account: p.account.clone(),
                paid_at: p.paid_at,
                amount: p.amount,
                method: cn(p.method.code(), pay_method_name(p.method, locale)),
            })
            .collect(),
        usage,
        from,
        to,
        summary: billing::summarize(&data.accounts, &data.bills, today),
    })
}

// ------------------------------------------------------------------ customer 360

/// Calls as rows, with their linked tickets.
async fn call_rows(
    stores: &Stores,
    calls: &[StoredCall],
    locale: Locale,
) -> Result<Vec<CallRow>, DeskError> {
    let mut out = Vec::new();
    for c in calls {
        let r = &c.record;
        let mut tickets = Vec::new();
        for t in stores.calls.call_tickets(&r.call_id).await? {
            let rec = stores.tickets.get_ticket(t).await?;
            tickets.push(RefView {
                id: t.0.to_string(),
                name: rec.number,
            });
        }
        out.push(CallRow {
            call_id: r.call_id.clone(),
            direction: match r.direction {
                loopdesk::call::Direction::In => "in".into(),
                loopdesk::call::Direction::Out => "out".into(),
            },
            state: cn(call_code(r.state()), call_state_name(r.state(), locale)),
            number: crate::calls::masked_number(r),
            at: r.ringing_at,
            agent: r.agent.clone(),
            wait_seconds: r.wait_seconds(),
            talk_seconds: r
                .answered_at
                .zip(r.ended_at)
                .map(|(a, e)| (e - a).num_seconds()),
            disposition: c.disposition.clone(),
            notes: c.notes.clone(),
            tickets,
        });
    }
    Ok(out)
}

fn call_code(s: CallState) -> &'static str {
    match s {
        CallState::Ringing => "ringing",
        CallState::Connected => "connected",
        CallState::Completed => "completed",
        CallState::Missed => "missed",
    }
}

/// Tasks as the list shows them.
pub async fn task_views(
    stores: &Stores,
    tasks: &[OutboundTask],
    locale: Locale,
) -> Result<Vec<TaskView>, DeskError> {
    let mut out = Vec::new();
    for t in tasks {
        let customer = match t.customer {
            Some(id) => Some(RefView {
                id: id.0.to_string(),
                name: stores.customers.get_customer(id).await?.name,
            }),
            None => None,
        };
        let ticket = match t.ticket {
            Some(id) => Some(RefView {
                id: id.0.to_string(),
                name: stores.tickets.get_ticket(id).await?.number,
            }),
            None => None,
        };
        let assignee = match t.assignee {
            Some(id) => Some(RefView {
                id: id.0.to_string(),
                name: stores.users.get_user(id).await?.display_name,
            }),
            None => None,
        };
        out.push(TaskView {
            id: t.id.to_string(),
            reason: cn(t.reason.code(), task_reason_name(t.reason, locale)),
            customer,
            phone: mask_phone(&t.phone),
            ticket,
            call_id: t.call_id.clone(),
            account: t.account.clone(),
            due_at: t.due_at,
            attempts: t.attempts,
            assignee,
            outcome: t
                .outcome
                .map(|o| cn(o.code(), task_outcome_name(o, locale))),
            note: t.note.clone(),
            done_at: t.done_at,
            version: t.version,
            outcomes: match t.is_open() {
                true => t
                    .reason
                    .outcomes()
                    .iter()
                    .map(|o| cn(o.code(), task_outcome_name(*o, locale)))
                    .collect(),
                false => Vec::new(),
            },
        });
    }
    Ok(out)
}

/// The customer 360 (staff). Balances shown are billing data: the view is access-logged.
pub async fn customer_360(
    stores: &Stores,
    now: DateTime<Utc>,
    today: NaiveDate,
    user: &User,
    id: CustomerId,
    locale: Locale,
    transaction_id: Option<String>,
) -> Result<Customer360, DeskError> {
    staff(user)?;
    let c = stores.customers.get_customer(id).await?;
    let accounts = stores.billing.customer_accounts(id).await?;
    let mut bills = Vec::new();
    for a in &accounts {
        bills.extend(stores.billing.bills(&a.number, 12).await?);
    }
    let list = |open_only: bool, sort: TicketSort| TicketQuery {
        customer: Some(id),
        open_only,
        sort,
        page: 1,
        page_size: 50,
        ..TicketQuery::default()
    };
    let open = stores
        .tickets
        .list_tickets(&list(true, TicketSort::NearestDue))
        .await?;
    let open_tickets = ticket_list(stores, open, 1, 50, now, locale).await?.items;
    let all = stores
        .tickets
        .list_tickets(&list(false, TicketSort::Newest))
        .await?;
    let all = ticket_list(stores, all, 1, 50, now, locale).await?.items;
    let calls = stores.calls.recent_calls(Some(id), 20).await?;
    let calls = call_rows(stores, &calls, locale).await?;
    let tasks = stores
        .work
        .tasks(&TaskQuery {
            customer: Some(id),
            limit: 20,
            ..TaskQuery::default()
        })
        .await?;
    let timeline = contacts(&calls, &all, locale, 30);
    access_log(
        stores,
        now,
        user,
        AuditAction::BillingViewed,
        id,
        "customer 360".into(),
        transaction_id,
    )
    .await?;
    Ok(Customer360 {
        customer: customer_view(&c, locale),
        id_number: c
            .id_number
            .as_deref()
            .map(loopdesk::customer::mask_id_number),
        accounts: accounts
            .iter()
            .map(|a| account_view(a, &bills, today, locale))
            .collect(),
        billing: billing::summarize(&accounts, &bills, today),
        open_tickets,
        past_tickets: all
            .into_iter()
            .filter(|t| matches!(t.state.code.as_str(), "closed" | "cancelled"))
            .collect(),
        calls,
        tasks: task_views(stores, &tasks, locale).await?,
        timeline,
    })
}

/// Calls and tickets in one timeline, newest first, at most `limit`.
fn contacts(
    calls: &[CallRow],
    tickets: &[crate::views::TicketRow],
    locale: Locale,
    limit: usize,
) -> Vec<ContactRow> {
    let mut timeline: Vec<ContactRow> = calls
        .iter()
        .filter_map(|c| {
            Some(ContactRow {
                at: c.at?,
                kind: "call".into(),
                summary: format!(
                    "{} · {}",
                    match (c.direction.as_str(), locale) {
                        ("in", Locale::ZhCn) => "来电",
                        ("out", Locale::ZhCn) => "去电",
                        ("in", Locale::En) => "Inbound call",
                        _ => "Outbound call",
                    },
                    c.state.name
                ),
                ticket_id: c.tickets.first().map(|t| t.id.clone()),
            })
        })
        .chain(tickets.iter().map(|t| ContactRow {
            at: t.registered_at,
            kind: "ticket".into(),
            summary: format!("{} {} · {}", t.number, t.kind.name, t.subject),
            ticket_id: Some(t.id.clone()),
        }))
        .collect();
    timeline.sort_by_key(|c| std::cmp::Reverse(c.at));
    timeline.truncate(limit);
    timeline
}

/// What a screen pop adds about the caller: billing summary (logged as a view by the agent
/// the call rings at) and the last 5 contacts before this call.
pub async fn pop_extras(
    stores: &Stores,
    now: DateTime<Utc>,
    customer: CustomerId,
    call: &StoredCall,
    locale: Locale,
) -> Result<(billing::BillingSummary, Vec<ContactRow>), DeskError> {
    let agent = call.agent_user;
    let today = desk::today(stores, now).await?;
    let accounts = stores.billing.customer_accounts(customer).await?;
    let mut bills = Vec::new();
    for a in &accounts {
        bills.extend(stores.billing.bills(&a.number, 3).await?);
    }
    if let (Some(agent), false) = (agent, accounts.is_empty()) {
        stores
            .audit
            .append(AuditEntry {
                at: now,
                actor: Some(agent),
                action: AuditAction::BillingViewed,
                subject: customer.0.to_string(),
                detail: "screen pop".into(),
                transaction_id: None,
            })
            .await?;
    }
    let mut calls = stores.calls.recent_calls(Some(customer), 6).await?;
    calls.retain(|c| c.record.call_id != call.record.call_id);
    let calls = call_rows(stores, &calls, locale).await?;
    let page = stores
        .tickets
        .list_tickets(&TicketQuery {
            customer: Some(customer),
            sort: TicketSort::Newest,
            page: 1,
            page_size: 5,
            ..TicketQuery::default()
        })
        .await?;
    let tickets = ticket_list(stores, page, 1, 5, now, locale).await?.items;
    Ok((
        billing::summarize(&accounts, &bills, today),
        contacts(&calls, &tickets, locale, 5),
    ))
}

/// What a reveal unmasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", content = "index", rename_all = "snake_case")]
pub enum RevealField {
    /// The n-th phone number.
    Phone(usize),
    /// The resident ID number.
    IdNumber,
}

/// Reveals a masked value (staff); every reveal is written to the access log.
pub async fn reveal(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: CustomerId,
    field: RevealField,
    transaction_id: Option<String>,
) -> Result<Revealed, DeskError> {
    staff(user)?;
    let c = stores.customers.get_customer(id).await?;
    let (value, what) = match field {
        RevealField::Phone(i) => (c.phones.get(i).cloned(), format!("phone[{i}]")),
        RevealField::IdNumber => (c.id_number.clone(), "id_number".to_owned()),
    };
    let value = value.ok_or(DeskError::NotFound)?;
    access_log(
        stores,
        now,
        user,
        AuditAction::NumberRevealed,
        id,
        what,
        transaction_id,
    )
    .await?;
    Ok(Revealed { value })
}

/// Customers for a search box: by name or number (any format), and by account number or
/// ticket number (`T20261123-000001`).
pub async fn search_customers(stores: &Stores, query: &str) -> Result<Vec<Customer>, DeskError> {
    let q = query.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: Vec<Customer> = Vec::new();
    if let Some(a) = stores.billing.account(q).await? {
        found.push(stores.customers.get_customer(a.customer).await?);
    }
    if let Some(t) = stores
        .tickets
        .ticket_by_number(&q.to_ascii_uppercase())
        .await?
    {
        let c = stores.customers.get_customer(t.ticket.customer).await?;
        if !found.iter().any(|f| f.id == c.id) {
            found.push(c);
        }
    }
    let by_phone = loopdesk::customer::normalize_phone(q);
    let text = by_phone.as_deref().unwrap_or(q);
    for c in stores.customers.search_customers(text, 10).await? {
        if !found.iter().any(|f| f.id == c.id) {
            found.push(c);
        }
    }
    Ok(found)
}

// ------------------------------------------------------------------ agent states

/// An agent's state now (offline when never set).
pub async fn agent_status(
    stores: &Stores,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(AgentStatus, Option<u64>), DeskError> {
    Ok(match stores.agents.agent_status(user).await? {
        Some((s, v)) => (s, Some(v)),
        None => (AgentStatus::offline(now), None),
    })
}

/// The view of a state.
pub fn agent_state_view(s: &AgentStatus, locale: Locale) -> AgentStateView {
    AgentStateView {
        state: cn(s.state.code(), agent_state_name(s.state, locale)),
        reason: s.reason.clone(),
        call_id: s.call_id.clone(),
        since: s.since,
    }
}

/// Applies `next` to the agent's state, retrying when CTI and the agent race.
async fn change_state(
    stores: &Stores,
    user: UserId,
    now: DateTime<Utc>,
    source: StateSource,
    next: impl Fn(&AgentStatus) -> Result<Option<AgentStatus>, DeskError>,
) -> Result<AgentStatus, DeskError> {
    for _ in 0..5 {
        let (current, version) = agent_status(stores, user, now).await?;
        let Some(status) = next(&current)? else {
            return Ok(current);
        };
        let change = AgentStateChange {
            user,
            status: status.clone(),
            source,
        };
        match stores.agents.set_agent_status(&change, version).await {
            Err(StoreError::Conflict { .. }) => continue,
            other => other?,
        }
        return Ok(status);
    }
    Err(DeskError::Conflict { current_version: 0 })
}

/// The agent sets their own state (available, break with a reason, offline).
pub async fn set_my_state(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    wanted: AgentState,
    reason: &str,
) -> Result<AgentStatus, DeskError> {
    staff(user)?;
    change_state(stores, user.id, now, StateSource::Agent, |current| {
        agent::request(current, wanted, reason, now)
            .map(Some)
            .map_err(DeskError::Agent)
    })
    .await
}

/// At sign-out an agent who was available or on a break goes offline (logged as a system
/// change); on call or in wrap-up the state stays until the call is done.
pub async fn sign_out_state(
    stores: &Stores,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), DeskError> {
    change_state(stores, user, now, StateSource::System, |current| {
        Ok(
            matches!(current.state, AgentState::Available | AgentState::Break).then(|| {
                AgentStatus {
                    state: AgentState::Offline,
                    reason: None,
                    call_id: None,
                    since: now,
                }
            }),
        )
    })
    .await?;
    Ok(())
}

/// Moves the call's agent to on-call or wrap-up as the call is answered or ends, and puts
/// a callback task on the list for an unanswered inbound call.
pub async fn after_call_event(
    stores: &Stores,
    now: DateTime<Utc>,
    call: &StoredCall,
) -> Result<(), DeskError> {
    let r = &call.record;
    if let Some(agent_user) = call.agent_user {
        let step = match r.state() {
            CallState::Connected => Some(CallStep::Answered),
            CallState::Completed => Some(CallStep::Ended),
            _ => None,
        };
        if let Some(step) = step {
            change_state(stores, agent_user, now, StateSource::Cti, |current| {
                Ok(agent::on_call_step(current, &r.call_id, step, now))
            })
            .await?;
        }
    }
    if r.needs_callback() {
        let Some(number) = r.customer_number.clone() else {
            return Ok(());
        };
        let mut task = OutboundTask::new(
            Uuid::new_v4(),
            TaskReason::Callback,
            call.customer,
            number,
            department(stores, "service_center").await?,
            r.ended_at.unwrap_or(now),
            now,
        );
        task.call_id = Some(r.call_id.clone());
        stores.work.add_task(&task).await?;
    }
    Ok(())
}

/// The wrap-up of a call: disposition code and notes; ends the agent's wrap-up.
pub async fn submit_disposition(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    call_id: &str,
    disposition: &str,
    notes: &str,
) -> Result<(), DeskError> {
    staff(user)?;
    if !DISPOSITIONS.contains(&disposition) {
        return Err(DeskError::invalid("disposition", Invalid::Unknown));
    }
    if notes.chars().count() > 2000 {
        return Err(DeskError::invalid("notes", Invalid::TooLong { max: 2000 }));
    }
    for _ in 0..5 {
        let mut call = stores
            .calls
            .get_call(call_id)
            .await?
            .ok_or(DeskError::NotFound)?;
        if call.agent_user.is_some_and(|a| a != user.id) && user.role != Role::Supervisor {
            return Err(DeskError::Forbidden);
        }
        let version = call.version;
        call.disposition = Some(disposition.to_owned());
        call.notes = notes.trim().to_owned();
        match stores.calls.update_call(&call, version, now).await {
            Err(StoreError::Conflict { .. }) => continue,
            other => other?,
        }
        if let Some(agent_user) = call.agent_user {
            change_state(stores, agent_user, now, StateSource::System, |current| {
                Ok(agent::on_disposition(current, call_id, now))
            })
            .await?;
        }
        return Ok(());
    }
    Err(DeskError::Conflict { current_version: 0 })
}

// ------------------------------------------------------------------ tasks

/// Which tasks a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskScope {
    /// Open tasks nobody took, and mine.
    #[default]
    Open,
    /// Open tasks I took.
    Mine,
    /// Everything, done ones too.
    All,
}

/// The task list (staff).
pub async fn list_tasks(
    stores: &Stores,
    user: &User,
    scope: TaskScope,
    reason: Option<TaskReason>,
) -> Result<Vec<OutboundTask>, DeskError> {
    staff(user)?;
    let q = TaskQuery {
        reason,
        open_only: scope != TaskScope::All,
        assignee: match scope {
            TaskScope::Mine => Some(Some(user.id)),
            _ => None,
        },
        customer: None,
        limit: 200,
    };
    let mut tasks = stores.work.tasks(&q).await?;
    if scope == TaskScope::Open {
        tasks.retain(|t| t.assignee.is_none_or(|a| a == user.id));
    }
    Ok(tasks)
}

/// What to record on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskInput {
    /// The version the agent saw.
    pub version: u64,
    /// `None`: only take the task.
    #[serde(default)]
    pub outcome: Option<TaskOutcome>,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// Takes a task or records an attempt on it (agents and supervisors). A follow-up's
/// outcome is also the ticket's `revisit`: checked against the closed loop before anything
/// is written, applied after the task is recorded.
pub async fn work_task(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: Uuid,
    input: TaskInput,
) -> Result<OutboundTask, DeskError> {
    if !matches!(user.role, Role::Agent | Role::Supervisor) {
        return Err(DeskError::Forbidden);
    }
    if input.note.chars().count() > 2000 {
        return Err(DeskError::invalid("note", Invalid::TooLong { max: 2000 }));
    }
    let task = stores.work.get_task(id).await?;
    if task.version != input.version {
        return Err(DeskError::Conflict {
            current_version: task.version,
        });
    }
    let Some(outcome) = input.outcome else {
        let taken = task.take(user.id).map_err(DeskError::Task)?;
        stores
            .work
            .update_task(&taken, task.version, None)
            .await
            .map_err(|e| match e {
                StoreError::Conflict { .. } => DeskError::Conflict {
                    current_version: task.version,
                },
                e => e.into(),
            })?;
        return Ok(taken);
    };
    let done = task
        .record(user.id, outcome, &input.note, now)
        .map_err(DeskError::Task)?;
    let ticket_action = task.ticket_action(outcome, &input.note);
    let ticket = match (&ticket_action, task.ticket) {
        (Some(action), Some(tid)) => {
            let record = stores.tickets.get_ticket(tid).await?;
            let actor = desk::staff_actor(user)?;
            loopdesk::ticket::action::apply(&record.ticket, &actor, action.clone())
                .map_err(DeskError::Refused)?;
            Some((tid, record.ticket.version))
        }
        _ => None,
    };
    let attempt = TaskAttempt {
        at: now,
        user: user.id,
        outcome,
        note: done.note.clone(),
    };
    stores
        .work
        .update_task(&done, task.version, Some(&attempt))
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => DeskError::Conflict {
                current_version: task.version,
            },
            e => e.into(),
        })?;
    if let (Some(action), Some((tid, version))) = (ticket_action, ticket) {
        if let Err(e) = desk::act(stores, now, user, tid, version, action).await {
            // The ticket changed in between (checked above, so a race): put the task back
            // as it was, so the attempt can be recorded again on the fresh ticket.
            let back = OutboundTask {
                version: done.version + 1,
                ..task.clone()
            };
            if let Err(undo) = stores.work.update_task(&back, done.version, None).await {
                tracing::error!(error = ?undo, "could not put a follow-up task back");
            }
            return Err(e);
        }
    }
    Ok(done)
}

/// A task created through the API or by a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTaskInput {
    /// Why.
    pub reason: TaskReason,
    /// Customer (the number defaults to theirs).
    #[serde(default)]
    pub customer: Option<Uuid>,
    /// Number to call.
    #[serde(default)]
    pub phone: Option<String>,
    /// Ticket.
    #[serde(default)]
    pub ticket: Option<Uuid>,
    /// Account.
    #[serde(default)]
    pub account: Option<String>,
    /// Due (default now).
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// Creates a task (supervisors and administrators).
pub async fn create_task(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: NewTaskInput,
) -> Result<OutboundTask, DeskError> {
    if !matches!(user.role, Role::Supervisor | Role::Admin) {
        return Err(DeskError::Forbidden);
    }
    if input.note.chars().count() > 2000 {
        return Err(DeskError::invalid("note", Invalid::TooLong { max: 2000 }));
    }
    let customer = match input.customer {
        Some(id) => Some(
            stores
                .customers
                .get_customer(CustomerId(id))
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => DeskError::invalid("customer", Invalid::Unknown),
                    e => e.into(),
                })?,
        ),
        None => None,
    };
    let phone = match (&input.phone, &customer) {
        (Some(p), _) => loopdesk::customer::normalize_phone(p).ok_or_else(|| {
            DeskError::invalid(
                "phone",
                Invalid::Customer(loopdesk::customer::CustomerError::BadPhone(p.clone())),
            )
        })?,
        (None, Some(c)) => c.phones.first().cloned().unwrap_or_default(),
        (None, None) => return Err(DeskError::invalid("phone", Invalid::Required)),
    };
    let ticket = match input.ticket {
        Some(id) => match stores.tickets.get_ticket(TicketId(id)).await {
            Ok(_) => Some(TicketId(id)),
            Err(StoreError::NotFound) => {
                return Err(DeskError::invalid("ticket", Invalid::Unknown))
            }
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    if let Some(a) = &input.account {
        if stores.billing.account(a).await?.is_none() {
            return Err(DeskError::invalid("account", Invalid::Unknown));
        }
    }
    let dept = match user.department_id {
        Some(d) => d,
        None => department(stores, "service_center").await?,
    };
    let mut task = OutboundTask::new(
        Uuid::new_v4(),
        input.reason,
        customer.map(|c| c.id),
        phone,
        dept,
        input.due_at.unwrap_or(now),
        now,
    );
    task.ticket = ticket;
    task.account = input.account;
    task.note = input.note.trim().to_owned();
    if !stores.work.add_task(&task).await? {
        return Err(DeskError::Conflict { current_version: 0 });
    }
    Ok(task)
}

// ------------------------------------------------------------------ phrases

/// Puts the default catalogue in place when there are no phrases yet.
pub async fn seed_phrases(stores: &Stores, now: DateTime<Utc>) -> Result<(), DeskError> {
    if stores.phrases.phrases().await?.is_empty() {
        for p in phrase::defaults() {
            stores.phrases.put_phrase(&p, now).await?;
        }
    }
    Ok(())
}

/// The phrases rendered for the agent and, when given, the customer on the call.
pub async fn phrases_for(
    stores: &Stores,
    user: &User,
    customer: Option<CustomerId>,
    local_hour: u32,
    locale: Locale,
) -> Result<Vec<PhraseView>, DeskError> {
    staff(user)?;
    let customer = match customer {
        Some(id) => Some(stores.customers.get_customer(id).await?),
        None => None,
    };
    let ctx = PhraseContext {
        agent_no: user.username.clone().unwrap_or_default(),
        customer_name: customer.as_ref().map(|c| c.name.clone()),
        salutation: customer.as_ref().and_then(|c| c.salutation),
        hour: local_hour,
        center: match locale {
            Locale::ZhCn => "Loopdesk 客户服务热线".into(),
            Locale::En => "the Loopdesk service hotline".into(),
        },
    };
    let zh = locale == Locale::ZhCn;
    Ok(stores
        .phrases
        .phrases()
        .await?
        .into_iter()
        .map(|p| PhraseView {
            id: p.id.to_string(),
            title: if zh {
                p.title_zh.clone()
            } else {
                p.title_en.clone()
            },
            steps: p
                .steps
                .iter()
                .map(|s| {
                    let text = if zh { &s.zh } else { &s.en };
                    (phrase::render(text, &ctx, locale), s.pause_seconds)
                })
                .collect(),
            forbidden: if zh { p.forbidden_zh } else { p.forbidden_en },
        })
        .collect())
}

/// All phrases as stored, for editing (administrators).
pub async fn phrases_raw(stores: &Stores, user: &User) -> Result<Vec<Phrase>, DeskError> {
    admin(user)?;
    Ok(stores.phrases.phrases().await?)
}

/// Creates or replaces a phrase (administrators).
pub async fn save_phrase(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    p: Phrase,
) -> Result<Phrase, DeskError> {
    admin(user)?;
    let p = match p.id.is_nil() {
        true => Phrase {
            id: Uuid::new_v4(),
            ..p
        },
        false => p,
    };
    let p = p
        .validated()
        .map_err(|e| DeskError::invalid("steps", Invalid::Phrase(e)))?;
    stores.phrases.put_phrase(&p, now).await?;
    desk::audit(stores, now, user, AuditAction::PhrasesChanged, &p.title_en).await?;
    Ok(p)
}

/// Deletes a phrase (administrators).
pub async fn delete_phrase(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: Uuid,
) -> Result<(), DeskError> {
    admin(user)?;
    stores.phrases.delete_phrase(id).await?;
    desk::audit(
        stores,
        now,
        user,
        AuditAction::PhrasesChanged,
        &id.to_string(),
    )
    .await
}

//! Server functions of the service desk screens: queues, the ticket page and its actions,
//! registration with the customer picker, and the administrators' calendar and SLA policy
//! editors. Each one authenticates, calls `crate::desk`, and maps its errors to
//! [`AppError`] with the message in the user's language.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use loopdesk::calendar::spec::CalendarSpec;
use loopdesk::sla::Policy;
use loopdesk::ticket::action::Action;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::views::{CustomerView, RefView, RegisterInput, TicketList, TicketView};

/// Which queue of the ticket list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    /// Open tickets assigned to me.
    Mine,
    /// Work orders dispatched to my department, waiting for acceptance.
    Inbox,
    /// Open tickets of my department.
    Department,
    /// Every open ticket.
    AllOpen,
    /// Open tickets past a warning point.
    AtRisk,
    /// Open tickets past a due time.
    Overdue,
    /// Open tickets escalated at least once.
    Escalated,
}

impl Queue {
    /// Every queue, in tab order.
    pub const ALL: [Queue; 7] = [
        Queue::Mine,
        Queue::Inbox,
        Queue::Department,
        Queue::AllOpen,
        Queue::AtRisk,
        Queue::Overdue,
        Queue::Escalated,
    ];

    /// Stable code (URL query).
    pub fn code(self) -> &'static str {
        match self {
            Queue::Mine => "mine",
            Queue::Inbox => "inbox",
            Queue::Department => "department",
            Queue::AllOpen => "open",
            Queue::AtRisk => "at_risk",
            Queue::Overdue => "overdue",
            Queue::Escalated => "escalated",
        }
    }

    /// The queue for a code.
    pub fn from_code(code: &str) -> Option<Queue> {
        Queue::ALL.into_iter().find(|q| q.code() == code)
    }
}

/// Sizes of the agent's queues (home tiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueSizes {
    /// Assigned to me, open.
    pub mine: u64,
    /// Dispatched to my department.
    pub inbox: u64,
    /// Past a warning point.
    pub at_risk: u64,
    /// Past a due time.
    pub overdue: u64,
    /// Answered, waiting for the follow-up call.
    pub to_revisit: u64,
    /// Escalated.
    pub escalated: u64,
    /// All open.
    pub open: u64,
}

/// Departments and staff for the dispatch and reassign forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskDirectory {
    /// Every department.
    pub departments: Vec<RefView>,
    /// Staff who work tickets.
    pub staff: Vec<RefView>,
}

#[cfg(feature = "ssr")]
pub(crate) mod support {
    use loopdesk::locale::Locale;
    use loopdesk::store::desk::{TicketQuery, TicketSort};
    use loopdesk::ticket::TicketState;
    use loopdesk::user::User;

    use super::Queue;
    use crate::desk::DeskError;
    use crate::error::AppError;
    use crate::state::AppState;

    /// The signed-in user, their language and the state.
    pub async fn caller() -> Result<(AppState, User, Locale), AppError> {
        let (state, auth, headers) = crate::state::request_context().await?;
        let user = crate::auth::require_user(&state, &auth).await?;
        let locale = crate::auth::resolve_locale(Some(&user), &headers);
        Ok((state, user, locale))
    }

    /// A desk error for the page, message in the user's language, with the HTTP status
    /// the REST API would use (422 refused input, 409 conflict, 403, 404).
    pub fn desk(e: DeskError, locale: Locale) -> AppError {
        use axum::http::StatusCode;
        let (err, status) = match e {
            DeskError::Forbidden => (AppError::Forbidden, StatusCode::FORBIDDEN),
            DeskError::NotFound => (AppError::NotFound, StatusCode::NOT_FOUND),
            DeskError::Internal => (AppError::Internal, StatusCode::INTERNAL_SERVER_ERROR),
            e @ DeskError::RateLimited { .. } => (
                AppError::Refused(e.message(locale)),
                StatusCode::TOO_MANY_REQUESTS,
            ),
            e @ DeskError::Conflict { .. } => {
                (AppError::Conflict(e.message(locale)), StatusCode::CONFLICT)
            }
            DeskError::Refused(
                r @ loopdesk::ticket::action::TransitionError::NotAllowedInState { .. },
            ) => (
                AppError::Refused(DeskError::Refused(r).message(locale)),
                StatusCode::CONFLICT,
            ),
            e @ DeskError::Upstream => (
                AppError::Refused(e.message(locale)),
                StatusCode::BAD_GATEWAY,
            ),
            e @ (DeskError::Task(loopdesk::task::TaskError::Done)
            | DeskError::Task(loopdesk::task::TaskError::TakenByOther)) => {
                (AppError::Conflict(e.message(locale)), StatusCode::CONFLICT)
            }
            DeskError::Article(loopdesk::kb::ArticleError::NotEditor) => {
                (AppError::Forbidden, StatusCode::FORBIDDEN)
            }
            e if e.is_state_conflict() => {
                (AppError::Conflict(e.message(locale)), StatusCode::CONFLICT)
            }
            e => (
                AppError::Refused(e.message(locale)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        };
        with_status(err, status)
    }

    /// Sets the HTTP status of the server-function response and passes the error on.
    pub fn with_status(err: AppError, status: axum::http::StatusCode) -> AppError {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(status);
        }
        err
    }

    /// The store query of a queue for a user.
    pub fn query(
        queue: Queue,
        user: &User,
        now: chrono::DateTime<chrono::Utc>,
        page: u32,
    ) -> TicketQuery {
        let base = TicketQuery {
            open_only: true,
            sort: TicketSort::NearestDue,
            page: page.max(1),
            page_size: 25,
            ..TicketQuery::default()
        };
        match queue {
            Queue::Mine => TicketQuery {
                assignee: Some(user.id),
                ..base
            },
            Queue::Inbox => TicketQuery {
                department: user.department_id,
                states: vec![TicketState::Dispatched],
                ..base
            },
            Queue::Department => TicketQuery {
                department: user.department_id,
                ..base
            },
            Queue::AllOpen => base,
            Queue::AtRisk => TicketQuery {
                at_risk_at: Some(now),
                ..base
            },
            Queue::Overdue => TicketQuery {
                overdue_at: Some(now),
                ..base
            },
            Queue::Escalated => TicketQuery {
                escalated: true,
                ..base
            },
        }
    }
}

#[cfg(feature = "ssr")]
fn parse_id(id: &str) -> Result<loopdesk::ticket::TicketId, AppError> {
    uuid::Uuid::parse_str(id)
        .map(loopdesk::ticket::TicketId)
        .map_err(|_| AppError::NotFound)
}

/// A page of a queue (staff).
#[server(endpoint = "desk/queue")]
pub async fn ticket_queue(queue: Queue, page: u32) -> Result<TicketList, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::desk::staff_actor(&user).map_err(|e| support::desk(e, locale))?;
    let now = state.clock.now();
    let q = support::query(queue, &user, now, page);
    let rows = state.stores.tickets.list_tickets(&q).await?;
    crate::views::ticket_list(&state.stores, rows, q.page, q.page_size, now, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Sizes of the queues (staff).
#[server(endpoint = "desk/counts")]
pub async fn queue_counts() -> Result<QueueSizes, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::desk::staff_actor(&user).map_err(|e| support::desk(e, locale))?;
    let now = state.clock.now();
    let count = |q: loopdesk::store::desk::TicketQuery| {
        let stores = state.stores.clone();
        async move {
            let q = loopdesk::store::desk::TicketQuery { page_size: 1, ..q };
            stores.tickets.list_tickets(&q).await.map(|p| p.total)
        }
    };
    let to_revisit = loopdesk::store::desk::TicketQuery {
        states: vec![loopdesk::ticket::TicketState::Resolved],
        ..support::query(Queue::Department, &user, now, 1)
    };
    Ok(QueueSizes {
        mine: count(support::query(Queue::Mine, &user, now, 1)).await?,
        inbox: count(support::query(Queue::Inbox, &user, now, 1)).await?,
        at_risk: count(support::query(Queue::AtRisk, &user, now, 1)).await?,
        overdue: count(support::query(Queue::Overdue, &user, now, 1)).await?,
        to_revisit: count(to_revisit).await?,
        escalated: count(support::query(Queue::Escalated, &user, now, 1)).await?,
        open: count(support::query(Queue::AllOpen, &user, now, 1)).await?,
    })
}

/// One ticket with everything its page shows (staff).
#[server(endpoint = "desk/ticket")]
pub async fn get_ticket(id: String) -> Result<TicketView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let id = parse_id(&id)?;
    let d = crate::desk::detail(&state.stores, state.clock.now(), &user, id)
        .await
        .map_err(|e| support::desk(e, locale))?;
    crate::views::ticket_view(&state.stores, d, locale)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Takes an action on the ticket as last seen at `expected_version`; returns it fresh.
#[server(endpoint = "desk/act", input = Json)]
pub async fn act_on_ticket(
    id: String,
    expected_version: u64,
    action: Action,
) -> Result<TicketView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let tid = parse_id(&id)?;
    let taken = action.clone();
    crate::desk::act(
        &state.stores,
        state.clock.now(),
        &user,
        tid,
        expected_version,
        action,
    )
    .await
    .map_err(|e| support::desk(e, locale))?;
    crate::portal::text_customer(&state.stores, state.sender.as_ref(), tid, &taken).await;
    get_ticket(id).await
}

/// Registers a ticket; returns its id.
#[server(endpoint = "desk/register", input = Json)]
pub async fn register_ticket(input: RegisterInput) -> Result<String, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::desk::register(&state.stores, state.clock.now(), &user, input)
        .await
        .map(|id| id.0.to_string())
        .map_err(|e| support::desk(e, locale))
}

/// Customers by name or number (staff).
#[server(endpoint = "desk/customers")]
pub async fn find_customers(query: String) -> Result<Vec<CustomerView>, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::desk::staff_actor(&user).map_err(|e| support::desk(e, locale))?;
    let list = crate::console::search_customers(&state.stores, &query)
        .await
        .map_err(|e| support::desk(e, locale))?;
    Ok(list
        .iter()
        .map(|c| crate::views::customer_view(c, locale))
        .collect())
}

/// Creates a customer record for a caller not on file.
#[server(endpoint = "desk/new-customer")]
pub async fn new_customer(
    name: String,
    phone: String,
    tier: String,
) -> Result<CustomerView, AppError> {
    let (state, user, locale) = support::caller().await?;
    let tier =
        loopdesk::customer::Tier::from_code(&tier).unwrap_or(loopdesk::customer::Tier::Normal);
    let input = crate::desk::NewCustomerInput {
        name,
        phones: vec![phone],
        tier: Some(tier),
        ..Default::default()
    };
    let c = crate::desk::create_customer(&state.stores, state.clock.now(), &user, &input)
        .await
        .map_err(|e| support::desk(e, locale))?;
    Ok(crate::views::customer_view(&c, locale))
}

/// Departments and ticket staff for the action forms.
#[server(endpoint = "desk/directory")]
pub async fn directory() -> Result<DeskDirectory, AppError> {
    let (state, user, locale) = support::caller().await?;
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let departments = state
        .stores
        .departments
        .list_departments()
        .await?
        .into_iter()
        .map(|d| RefView {
            id: d.id.0.to_string(),
            name: d.name(locale).to_owned(),
        })
        .collect();
    let staff = state
        .stores
        .users
        .list_ticket_staff()
        .await?
        .into_iter()
        .map(|u| RefView {
            id: u.id.0.to_string(),
            name: u.display_name,
        })
        .collect();
    Ok(DeskDirectory { departments, staff })
}

/// The `24x7` and `office` calendars (staff).
#[server(endpoint = "desk/calendars")]
pub async fn get_calendars() -> Result<Vec<(String, CalendarSpec)>, AppError> {
    let (state, user, locale) = support::caller().await?;
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    crate::desk::calendars(&state.stores)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Saves a calendar (administrators); returns how many open tickets were recomputed.
#[server(endpoint = "desk/save-calendar", input = Json)]
pub async fn save_calendar(code: String, spec: CalendarSpec) -> Result<usize, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::desk::put_calendar(&state.stores, state.clock.now(), &user, &code, spec)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// Imports holidays and make-up working days from CSV into a calendar (administrators);
/// returns how many dates were imported.
#[server(endpoint = "desk/import-holidays")]
pub async fn import_holidays(code: String, csv: String) -> Result<usize, AppError> {
    let (state, user, locale) = support::caller().await?;
    if user.role != loopdesk::user::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let imported = loopdesk::calendar::spec::parse_overrides_csv(&csv).map_err(|e| {
        let message = match locale {
            loopdesk::locale::Locale::ZhCn => format!(
                "CSV 第 {} 有误：{}",
                e.field.trim_start_matches("line "),
                e.problem
            ),
            loopdesk::locale::Locale::En => format!("CSV {}: {}", e.field, e.problem),
        };
        support::with_status(
            AppError::Refused(message),
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        )
    })?;
    let n = imported.len();
    let mut spec = crate::desk::calendars(&state.stores)
        .await
        .map_err(|e| support::desk(e, locale))?
        .into_iter()
        .find(|(c, _)| *c == code)
        .map(|(_, s)| s)
        .ok_or(AppError::NotFound)?;
    spec.merge_overrides(imported);
    crate::desk::put_calendar(&state.stores, state.clock.now(), &user, &code, spec)
        .await
        .map_err(|e| support::desk(e, locale))?;
    Ok(n)
}

/// The SLA policies (staff).
#[server(endpoint = "desk/policies")]
pub async fn get_policies() -> Result<Vec<Policy>, AppError> {
    let (state, user, locale) = support::caller().await?;
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    crate::desk::load_sla_config(&state.stores)
        .await
        .map(|c| c.policies)
        .map_err(|e| support::desk(e, locale))
}

/// Replaces the SLA policies (administrators); returns how many open tickets were
/// recomputed.
#[server(endpoint = "desk/save-policies", input = Json)]
pub async fn save_policies(policies: Vec<Policy>) -> Result<usize, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::desk::put_policies(&state.stores, state.clock.now(), &user, policies)
        .await
        .map_err(|e| support::desk(e, locale))
}

/// One customer by id (staff), for the registration form opened from a screen pop.
#[server(endpoint = "desk/customer")]
pub async fn customer_by_id(id: String) -> Result<CustomerView, AppError> {
    let (state, user, locale) = support::caller().await?;
    crate::desk::staff_actor(&user).map_err(|e| support::desk(e, locale))?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let c = state
        .stores
        .customers
        .get_customer(loopdesk::customer::CustomerId(id))
        .await?;
    Ok(crate::views::customer_view(&c, locale))
}

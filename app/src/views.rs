//! What the REST API and the pages show of tickets, customers and SLA targets: plain
//! serialisable views with `{code, name}` pairs in the reader's language. Built on the
//! server (`ssr`) from the desk use cases' results; the browser only reads them.

use chrono::{DateTime, Utc};
use loopdesk::ticket::{Channel, Complexity, Priority, TicketKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod accounts;
pub mod console;
pub mod knowledge;
pub mod portal;
pub mod supervision;

/// Resolved on the first contact (inquiries and queries on the call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstContact {
    /// The answer.
    pub resolution: String,
    /// Cause category.
    pub cause_category: String,
}

/// What registering a ticket needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterInput {
    /// Kind.
    pub kind: TicketKind,
    /// Channel.
    pub channel: Channel,
    /// Priority.
    #[serde(default = "normal_priority")]
    pub priority: Priority,
    /// Complexity (complaints).
    #[serde(default)]
    pub complexity: Option<Complexity>,
    /// Customer.
    pub customer: Uuid,
    /// One-line summary.
    pub subject: String,
    /// What the customer said.
    #[serde(default)]
    pub description: String,
    /// Business category.
    #[serde(default)]
    pub category: String,
    /// Registered on a call with the customer (acknowledged at once).
    #[serde(default)]
    pub on_call: bool,
    /// Answer and archive at once (inquiries and queries).
    #[serde(default)]
    pub first_contact: Option<FirstContact>,
    /// The call it was registered on (linked to the ticket).
    #[serde(default)]
    pub call_id: Option<String>,
    /// The customer's account it concerns (must be theirs).
    #[serde(default)]
    pub account: Option<String>,
    /// When the customer prefers to be contacted.
    #[serde(default)]
    pub contact_time: Option<loopdesk::ticket::ContactTime>,
}

fn normal_priority() -> Priority {
    Priority::Normal
}

/// How many pages of `size` rows `total` rows fill (0 for none).
pub fn page_count(total: u64, size: u32) -> u32 {
    u32::try_from(total.div_ceil(u64::from(size.max(1)))).unwrap_or(u32::MAX)
}

/// `{code, name}` for enumerations (DESIGN §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeName {
    /// Stable code.
    pub code: String,
    /// Name in the reader's language.
    pub name: String,
}

/// A reference to a department or user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefView {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// One SLA target of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTargetView {
    /// Which target.
    pub target: CodeName,
    /// Running, paused, met, overdue, breached.
    pub state: CodeName,
    /// Clock start.
    pub started_at: DateTime<Utc>,
    /// Clock stop.
    pub stopped_at: Option<DateTime<Utc>>,
    /// Due.
    pub due_at: DateTime<Utc>,
    /// Hard limit.
    pub hard_due_at: Option<DateTime<Utc>>,
    /// Warning point.
    pub warn_at: DateTime<Utc>,
    /// Working seconds paused.
    pub paused_seconds: i64,
    /// How the due time was reached, one line per step.
    pub explanation: Vec<String>,
}

/// One event of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    /// 1, 2, 3…
    pub seq: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// Event code and name.
    pub event: CodeName,
    /// Who (none: the system).
    pub actor: Option<RefView>,
    /// State before.
    pub from: Option<CodeName>,
    /// State after.
    pub to: CodeName,
    /// The recorded fields.
    pub payload: serde_json::Value,
    /// Hash of the previous event.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

/// A customer as staff see it (numbers masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Masked numbers.
    pub phones: Vec<String>,
    /// Tier.
    pub tier: CodeName,
}

/// A ticket with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    /// Id.
    pub id: String,
    /// `T20261123-000001`.
    pub number: String,
    /// Kind.
    pub kind: CodeName,
    /// Channel.
    pub channel: CodeName,
    /// Priority.
    pub priority: CodeName,
    /// Complexity (complaints).
    pub complexity: Option<CodeName>,
    /// State.
    pub state: CodeName,
    /// Subject.
    pub subject: String,
    /// Description.
    pub description: String,
    /// Category.
    pub category: String,
    /// Customer.
    pub customer: CustomerView,
    /// Owning department.
    pub department: RefView,
    /// Assignee.
    pub assignee: Option<RefView>,
    /// Escalation level.
    pub escalation_level: u32,
    /// Reopened by unsatisfied follow-ups.
    pub reopen_count: u32,
    /// Unreachable follow-up attempts.
    pub unreachable_attempts: u32,
    /// Resolved on the first contact.
    pub resolved_on_first_contact: bool,
    /// Version for `expected_version`.
    pub version: u64,
    /// Registered at.
    pub registered_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// SLA targets at the time of reading.
    pub sla: Vec<SlaTargetView>,
    /// The event log.
    pub events: Vec<EventView>,
    /// Whether the event hash chain verifies.
    pub chain_intact: bool,
    /// Actions the reader may take now.
    pub allowed_actions: Vec<CodeName>,
    /// Files the customer attached, with the account and contact time they gave.
    #[serde(default)]
    pub attachments: Vec<portal::AttachmentView>,
    /// The customer's account it concerns.
    #[serde(default)]
    pub account: Option<String>,
    /// When the customer prefers to be contacted.
    #[serde(default)]
    pub contact_time: Option<CodeName>,
    /// The server's clock when this was read (countdowns start from it).
    pub as_of: DateTime<Utc>,
}

/// A row of a ticket list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRow {
    /// Id.
    pub id: String,
    /// Number.
    pub number: String,
    /// Kind.
    pub kind: CodeName,
    /// State.
    pub state: CodeName,
    /// Priority.
    pub priority: CodeName,
    /// Subject.
    pub subject: String,
    /// Customer name.
    pub customer_name: String,
    /// Tier.
    pub tier: CodeName,
    /// Department.
    pub department: RefView,
    /// Assignee.
    pub assignee: Option<RefView>,
    /// Escalation level.
    pub escalation_level: u32,
    /// Nearest due time of a running target.
    pub nearest_due_at: Option<DateTime<Utc>>,
    /// A running target passed its warning point.
    pub at_risk: bool,
    /// A running target passed its due time.
    pub overdue: bool,
    /// Registered at.
    pub registered_at: DateTime<Utc>,
    /// Version.
    pub version: u64,
}

/// A page of tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketList {
    /// Rows.
    pub items: Vec<TicketRow>,
    /// 1-based page.
    pub page: u32,
    /// Rows per page.
    pub page_size: u32,
    /// Matching rows.
    pub total: u64,
    /// Pages in all.
    pub total_pages: u32,
    /// This is the last page.
    pub last_page: bool,
    /// The server's clock when this was read.
    pub as_of: DateTime<Utc>,
}

/// What an agent's console shows when a call rings at them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenPop {
    /// The PBX's call id.
    pub call_id: String,
    /// The caller's number, masked.
    pub number: String,
    /// ACD queue.
    pub queue: Option<String>,
    /// The matched customer.
    pub customer: Option<CustomerView>,
    /// Several customers share the number: the agent chooses.
    pub candidates: Vec<CustomerView>,
    /// The customer's open tickets, nearest due first.
    pub open_tickets: Vec<TicketRow>,
    /// Earlier calls of the customer (up to 5).
    pub recent_calls: u32,
    /// The customer's billing summary (the view is access-logged for the agent).
    pub billing: Option<loopdesk::billing::BillingSummary>,
    /// The last 5 contacts (calls and tickets), newest first.
    pub last_contacts: Vec<console::ContactRow>,
    /// Ringing since.
    pub ringing_at: DateTime<Utc>,
}

#[cfg(feature = "ssr")]
pub use build::*;

#[cfg(feature = "ssr")]
mod build {
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};
    use loopdesk::customer::Customer;
    use loopdesk::locale::Locale;
    use loopdesk::sla::{TargetStatus, TraceStep};
    use loopdesk::store::desk::{TicketPage, TicketSummary};
    use loopdesk::user::{mask_phone, DepartmentId, UserId};

    use super::*;
    use crate::desk::{DeskError, TicketDetail};
    use crate::i18n::names::*;
    use crate::state::Stores;

    pub fn cn(code: &str, name: &str) -> CodeName {
        CodeName {
            code: code.to_owned(),
            name: name.to_owned(),
        }
    }

    /// A local time on the Shanghai clock, `2026-11-30 16:00`.
    pub fn local(at: DateTime<Utc>) -> String {
        at.with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    fn explain(step: &TraceStep, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match step {
            TraceStep::Policy { name } => {
                if zh {
                    format!("适用策略：{name}")
                } else {
                    format!("Policy: {name}")
                }
            }
            TraceStep::Date(note) => {
                use loopdesk::calendar::DayOverride;
                let date = note.date.format("%Y-%m-%d");
                let hours = |list: &[loopdesk::calendar::WorkInterval]| {
                    list.iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                match (&note.applied, zh) {
                    (DayOverride::Holiday, true) => format!("{date} 节假日，不计工作时间"),
                    (DayOverride::Holiday, false) => format!("{date} is a holiday: not counted"),
                    (DayOverride::Workday { intervals }, true) => {
                        format!("{date} 调休上班（{}）", hours(intervals))
                    }
                    (DayOverride::Workday { intervals }, false) => {
                        format!("{date} is a make-up working day ({})", hours(intervals))
                    }
                    (DayOverride::Special { intervals }, true) => {
                        format!("{date} 特殊工作时间（{}）", hours(intervals))
                    }
                    (DayOverride::Special { intervals }, false) => {
                        format!("{date} has special hours ({})", hours(intervals))
                    }
                }
            }
            TraceStep::Pause { from, to, seconds } => {
                let minutes = seconds / 60;
                if zh {
                    format!(
                        "待客户 {} – {}，顺延 {minutes} 个工作分钟",
                        local(*from),
                        local(*to)
                    )
                } else {
                    format!(
                        "Pending the customer {} – {}: {minutes} working minutes added",
                        local(*from),
                        local(*to)
                    )
                }
            }
        }
    }

    /// One SLA target.
    pub fn target_view(s: &TargetStatus, locale: Locale) -> SlaTargetView {
        SlaTargetView {
            target: cn(s.target.code(), target_name(s.target, locale)),
            state: cn(
                &serde_json::to_value(s.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                target_state_name(s.state, locale),
            ),
            started_at: s.started_at,
            stopped_at: s.stopped_at,
            due_at: s.due_at,
            hard_due_at: s.hard_due_at,
            warn_at: s.warn_at,
            paused_seconds: s.paused_seconds,
            explanation: s.trace.iter().map(|t| explain(t, locale)).collect(),
        }
    }

    /// Names of departments and users, loaded once per view.
    pub struct Names {
        departments: HashMap<DepartmentId, String>,
        users: HashMap<UserId, String>,
    }

    impl Names {
        /// Loads every department and the given users.
        pub async fn load(
            stores: &Stores,
            users: impl IntoIterator<Item = UserId>,
            locale: Locale,
        ) -> Result<Names, DeskError> {
            let departments = stores
                .departments
                .list_departments()
                .await?
                .into_iter()
                .map(|d| (d.id, d.name(locale).to_owned()))
                .collect();
            let mut names = HashMap::new();
            for id in users {
                if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id) {
                    if let Ok(u) = stores.users.get_user(id).await {
                        e.insert(u.display_name);
                    }
                }
            }
            Ok(Names {
                departments,
                users: names,
            })
        }

        fn department(&self, id: DepartmentId) -> RefView {
            RefView {
                id: id.0.to_string(),
                name: self.departments.get(&id).cloned().unwrap_or_default(),
            }
        }

        fn user(&self, id: UserId) -> RefView {
            RefView {
                id: id.0.to_string(),
                name: self.users.get(&id).cloned().unwrap_or_default(),
            }
        }
    }

    /// A customer, numbers masked.
    pub fn customer_view(c: &Customer, locale: Locale) -> CustomerView {
        CustomerView {
            id: c.id.0.to_string(),
            name: c.name.clone(),
            phones: c.phones.iter().map(|p| mask_phone(p)).collect(),
            tier: cn(c.tier.code(), tier_name(c.tier, locale)),
        }
    }

    /// The full view of a ticket.
    pub async fn ticket_view(
        stores: &Stores,
        d: TicketDetail,
        locale: Locale,
    ) -> Result<TicketView, DeskError> {
        let t = &d.record.ticket;
        let users = d
            .events
            .iter()
            .filter_map(|e| e.actor)
            .chain(t.assignee)
            .collect::<Vec<_>>();
        let names = Names::load(stores, users, locale).await?;
        let state = |s: loopdesk::ticket::TicketState| cn(s.code(), state_name(s, locale));
        Ok(TicketView {
            id: t.id.0.to_string(),
            number: d.record.number.clone(),
            kind: cn(t.kind.code(), kind_name(t.kind, locale)),
            channel: cn(t.channel.code(), channel_name(t.channel, locale)),
            priority: cn(t.priority.code(), priority_name(t.priority, locale)),
            complexity: t
                .complexity
                .map(|c| cn(c.code(), complexity_name(c, locale))),
            state: state(t.state),
            subject: d.record.details.subject.clone(),
            description: d.record.details.description.clone(),
            category: d.record.details.category.clone(),
            attachments: crate::portal::ticket_files(stores, t.id).await?,
            account: d.record.details.account.clone(),
            contact_time: d
                .record
                .details
                .contact_time
                .map(|c| cn(c.code(), crate::i18n::portal::contact_time(c, locale))),
            customer: customer_view(&d.customer, locale),
            department: names.department(t.department),
            assignee: t.assignee.map(|u| names.user(u)),
            escalation_level: t.escalation_level,
            reopen_count: t.reopen_count,
            unreachable_attempts: t.unreachable_attempts,
            resolved_on_first_contact: t.resolved_on_first_contact,
            version: t.version,
            registered_at: d.record.registered_at,
            updated_at: d.record.updated_at,
            sla: d.sla.iter().map(|s| target_view(s, locale)).collect(),
            events: d
                .events
                .iter()
                .map(|e| {
                    let code = e.kind.code();
                    EventView {
                        seq: e.seq,
                        at: e.at,
                        event: cn(code, event_name(code, locale)),
                        actor: e.actor.map(|u| names.user(u)),
                        from: e.from.map(state),
                        to: state(e.to),
                        payload: serde_json::to_value(&e.kind).unwrap_or_default(),
                        prev_hash: e.prev_hash.clone(),
                        hash: e.hash.clone(),
                    }
                })
                .collect(),
            chain_intact: d.chain_intact,
            as_of: d.as_of,
            allowed_actions: d
                .allowed
                .iter()
                .map(|a| cn(a, event_name(a, locale)))
                .collect(),
        })
    }

    /// A page of ticket rows.
    pub async fn ticket_list(
        stores: &Stores,
        page: TicketPage,
        page_no: u32,
        page_size: u32,
        now: DateTime<Utc>,
        locale: Locale,
    ) -> Result<TicketList, DeskError> {
        let names = Names::load(
            stores,
            page.items
                .iter()
                .filter_map(|s| s.assignee)
                .collect::<Vec<_>>(),
            locale,
        )
        .await?;
        let row = |s: &TicketSummary| TicketRow {
            id: s.id.0.to_string(),
            number: s.number.clone(),
            kind: cn(s.kind.code(), kind_name(s.kind, locale)),
            state: cn(s.state.code(), state_name(s.state, locale)),
            priority: cn(s.priority.code(), priority_name(s.priority, locale)),
            subject: s.subject.clone(),
            customer_name: s.customer_name.clone(),
            tier: cn(s.tier.code(), tier_name(s.tier, locale)),
            department: names.department(s.department),
            assignee: s.assignee.map(|u| names.user(u)),
            escalation_level: s.escalation_level,
            nearest_due_at: s.nearest_due_at,
            at_risk: s.risk_at.is_some_and(|r| r <= now),
            overdue: s.nearest_due_at.is_some_and(|d| d <= now),
            registered_at: s.registered_at,
            version: s.version,
        };
        let total_pages = page_count(page.total, page_size);
        Ok(TicketList {
            items: page.items.iter().map(row).collect(),
            page: page_no,
            page_size,
            total: page.total,
            total_pages,
            last_page: page_no >= total_pages,
            as_of: now,
        })
    }
}

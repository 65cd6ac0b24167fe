//! Customer self-service use cases (SSR only): sign-up with a phone verification code
//! (which also activates a customer record staff created), password reset and change,
//! the home page, bills with CSV export, submitting requests with files, the
//! customer-visible ticket with reply and confirmation, files, and in-portal notices.
//! Every read is scoped to the signed-in customer's own record: anything else is "not
//! found". Rules come from `loopdesk::portal`; the closed loop from `crate::desk`.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};
use loopdesk::billing::Fen;
use loopdesk::customer::{Customer, CustomerId, Tier};
use loopdesk::locale::Locale;
use loopdesk::portal::attachment::{self, MAX_PER_TICKET};
use loopdesk::portal::timeline::{customer_timeline, Author};
use loopdesk::portal::{
    self as rules, CodeError, CodePurpose, RateBucket, RateRule, VerificationCode,
};
use loopdesk::sla::SlaTarget;
use loopdesk::store::desk::{TicketQuery, TicketRecord, TicketSort};
use loopdesk::store::portal::{AttachmentMeta, NoticeKind};
use loopdesk::store::{NewUser, StoreError};
use loopdesk::ticket::action::{Action, Visibility};
use loopdesk::ticket::{Channel, Complexity, ContactTime, TicketId, TicketKind, TicketState};
use loopdesk::user::{mask_phone, LoginName, Role, User, UserId};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::console::{billing_view, BillingProvider};
use crate::desk::{self, DeskError, Invalid, RegisterInput, MAX_TEXT};
use crate::i18n::names::kind_name;
use crate::i18n::portal as px;
use crate::messaging::{Message, MessageSender, Purpose, Recipient};
use crate::state::Stores;
use crate::views::console::BillingView;
use crate::views::portal::{
    AttachmentView, NoticeView, PortalHomeView, Promise, PromiseKind, RequestRow, RequestView,
    SubmitChoices, TimelineItem,
};
use crate::views::CodeName;

/// Longest name on sign-up.
pub const MAX_NAME: usize = 50;

fn cn(code: &str, name: &str) -> CodeName {
    CodeName {
        code: code.to_owned(),
        name: name.to_owned(),
    }
}

fn phone(input: &str) -> Result<String, DeskError> {
    rules::mobile(input).map_err(|e| DeskError::invalid("phone", Invalid::Phone(e)))
}

fn password(field: &str, value: &str, phone: &str) -> Result<(), DeskError> {
    rules::check_password(value, phone).map_err(|e| DeskError::invalid(field, Invalid::Password(e)))
}

/// Applies the rate rules of a bucket to a key and records the hit when allowed.
pub async fn limit(
    stores: &Stores,
    bucket: RateBucket,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), DeskError> {
    for rule in RateRule::defaults(bucket) {
        let hits = stores
            .portal
            .rate_hits(bucket, key, now - rule.window())
            .await?;
        rule.decide(&hits, now)
            .map_err(|retry_at| DeskError::RateLimited {
                seconds: (retry_at - now).num_seconds().max(1),
            })?;
    }
    stores.portal.record_rate_hit(bucket, key, now).await?;
    Ok(())
}

/// A code was sent (or, for a reset of an unknown number, pretended to be).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeSent {
    /// The number, masked.
    pub phone: String,
    /// Valid until.
    pub expires_at: DateTime<Utc>,
    /// Registering activates a customer record staff created for this number.
    pub activates: bool,
}

/// Sends a verification code by SMS. A registration code for a number that has an account
/// is refused (sign in instead); a reset code for a number without one is not sent, and
/// the answer does not tell (so numbers cannot be probed).
#[allow(clippy::too_many_arguments)]
pub async fn send_code(
    stores: &Stores,
    sender: &dyn MessageSender,
    now: DateTime<Utc>,
    phone_input: &str,
    purpose: CodePurpose,
    client: Option<IpAddr>,
    locale: Locale,
) -> Result<CodeSent, DeskError> {
    let phone = phone(phone_input)?;
    if let Some(ip) = client {
        limit(stores, RateBucket::CodePerIp, &ip.to_string(), now).await?;
    }
    limit(stores, RateBucket::CodePerPhone, &phone, now).await?;
    let account = stores
        .users
        .find_for_login(&LoginName::Phone(phone.clone()))
        .await?;
    let activates = !stores
        .customers
        .customers_by_phone(&phone)
        .await?
        .is_empty();
    let sent = CodeSent {
        phone: mask_phone(&phone),
        expires_at: now + chrono::Duration::minutes(rules::CODE_TTL_MINUTES),
        activates: purpose == CodePurpose::Register && activates,
    };
    match purpose {
        CodePurpose::Register if account.is_some() => {
            return Err(DeskError::invalid("phone", Invalid::Registered))
        }
        CodePurpose::Reset if account.is_none() => return Ok(sent),
        _ => {}
    }
    let random = u32::from_le_bytes(
        Uuid::new_v4().as_bytes()[..4]
            .try_into()
            .map_err(|_| DeskError::Internal)?,
    );
    let (stored, code) = VerificationCode::issue(&phone, purpose, random, now);
    stores.portal.put_code(&stored).await?;
    let message = Message {
        to: Recipient::Sms(phone),
        purpose: Purpose::VerificationCode,
        text: px::code_sms(&code, purpose, locale),
    };
    sender.send(&message).await.map_err(|e| {
        tracing::error!(error = %e, "verification code not sent");
        DeskError::Internal
    })?;
    Ok(sent)
}

/// Checks and uses up a code (wrong entries count; rate-limited per number).
async fn verify(
    stores: &Stores,
    phone: &str,
    purpose: CodePurpose,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), DeskError> {
    let refused = |e| DeskError::invalid("code", Invalid::Code(e));
    limit(stores, RateBucket::VerifyPerPhone, phone, now).await?;
    let stored = stores
        .portal
        .get_code(phone, purpose)
        .await?
        .ok_or(refused(CodeError::NotRequested))?;
    match stored.check(code, now) {
        Ok(()) => {
            if stores.portal.consume_code(phone, purpose).await? {
                Ok(())
            } else {
                Err(refused(CodeError::NotRequested))
            }
        }
        Err(e @ (CodeError::Wrong | CodeError::Malformed)) => {
            stores.portal.code_failed(phone, purpose).await?;
            Err(refused(e))
        }
        Err(e) => Err(refused(e)),
    }
}

/// Sign-up input.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignUp {
    /// Mobile number.
    pub phone: String,
    /// The code sent to it.
    pub code: String,
    /// Name (required unless staff created the customer record).
    #[serde(default)]
    pub name: String,
    /// New password.
    pub password: String,
}

/// Registers a portal account for a verified number; returns the user and whether an
/// existing customer record was activated (otherwise a new one was created).
pub async fn register(
    stores: &Stores,
    now: DateTime<Utc>,
    input: &SignUp,
    locale: Locale,
) -> Result<(User, bool), DeskError> {
    let phone = phone(&input.phone)?;
    password("password", &input.password, &phone)?;
    let existing = stores
        .customers
        .customers_by_phone(&phone)
        .await?
        .into_iter()
        .next();
    let name = input.name.trim();
    if existing.is_none() {
        desk::text("name", name, MAX_NAME, true)?;
    }
    let taken = stores
        .users
        .find_for_login(&LoginName::Phone(phone.clone()))
        .await?;
    if taken.is_some() {
        return Err(DeskError::invalid("phone", Invalid::Registered));
    }
    verify(stores, &phone, CodePurpose::Register, &input.code, now).await?;
    let hash = crate::auth::hash_password(input.password.clone())
        .await
        .map_err(|_| DeskError::Internal)?;
    let user = User {
        id: UserId(Uuid::new_v4()),
        username: None,
        phone: Some(phone.clone()),
        display_name: existing
            .as_ref()
            .map_or_else(|| name.to_owned(), |c| c.name.clone()),
        role: Role::Customer,
        department_id: None,
        locale: Some(locale),
        disabled: false,
    };
    match stores
        .users
        .create_user(
            NewUser {
                user: user.clone(),
                password_hash: hash,
            },
            now,
        )
        .await
    {
        Err(StoreError::Conflict { .. }) => {
            return Err(DeskError::invalid("phone", Invalid::Registered))
        }
        other => other?,
    }
    let activated = existing.is_some();
    if !activated {
        let customer = Customer {
            id: CustomerId(Uuid::new_v4()),
            name: name.to_owned(),
            phones: vec![phone],
            tier: Tier::Normal,
            id_number: None,
            salutation: None,
        };
        stores.customers.create_customer(&customer, now).await?;
    }
    Ok((user, activated))
}

/// Sets a new password for a verified number; returns the user and the session epoch (to
/// sign them in; every other session is signed out).
pub async fn reset_password(
    stores: &Stores,
    now: DateTime<Utc>,
    phone_input: &str,
    code: &str,
    new_password: &str,
) -> Result<(User, i64), DeskError> {
    let phone = phone(phone_input)?;
    password("password", new_password, &phone)?;
    verify(stores, &phone, CodePurpose::Reset, code, now).await?;
    let (user, _) = stores
        .users
        .find_for_login(&LoginName::Phone(phone))
        .await?
        .ok_or(DeskError::invalid(
            "code",
            Invalid::Code(CodeError::NotRequested),
        ))?;
    let hash = crate::auth::hash_password(new_password.to_owned())
        .await
        .map_err(|_| DeskError::Internal)?;
    let epoch = stores
        .users
        .set_password(
            user.id,
            loopdesk::store::PasswordUpdate {
                hash,
                at: now,
                must_change: false,
                keep_history: 0,
            },
        )
        .await?;
    Ok((user, epoch))
}

// ------------------------------------------------------------------ requests

fn due(record: &TicketRecord, target: SlaTarget) -> Option<DateTime<Utc>> {
    record
        .sla
        .iter()
        .rev()
        .find(|t| t.target == target && t.stopped_at.is_none())
        .map(|t| t.due_at)
}

/// What the center promises next, from the stored SLA targets.
pub fn promise(record: &TicketRecord) -> Option<Promise> {
    use TicketState::*;
    let (kind, due_at) = match record.ticket.state {
        New => (PromiseKind::Contact, due(record, SlaTarget::Acknowledge)),
        Acknowledged | Dispatched | InProgress => {
            (PromiseKind::Answer, due(record, SlaTarget::Resolve))
        }
        PendingCustomer => (PromiseKind::WaitingForYou, None),
        Resolved => (PromiseKind::Confirm, due(record, SlaTarget::FollowUp)),
        Closed | Cancelled => return None,
    };
    Some(Promise { kind, due_at })
}

fn row(record: &TicketRecord, locale: Locale) -> RequestRow {
    let t = &record.ticket;
    RequestRow {
        id: t.id.0.to_string(),
        number: record.number.clone(),
        subject: record.details.subject.clone(),
        kind: cn(t.kind.code(), kind_name(t.kind, locale)),
        state: cn(t.state.code(), px::state(t.state, locale)),
        registered_at: record.registered_at,
        updated_at: record.updated_at,
        promise: promise(record),
    }
}

/// The signed-in customer's requests (open ones, or all), newest first.
pub async fn requests(
    stores: &Stores,
    user: &User,
    open_only: bool,
    locale: Locale,
) -> Result<Vec<RequestRow>, DeskError> {
    let customer = desk::own_customer(stores, user).await?;
    let page = stores
        .tickets
        .list_tickets(&TicketQuery {
            customer: Some(customer.id),
            open_only,
            sort: TicketSort::Newest,
            page: 1,
            page_size: 200,
            ..TicketQuery::default()
        })
        .await?;
    let mut out = Vec::with_capacity(page.items.len());
    for s in &page.items {
        let record = stores.tickets.get_ticket(s.id).await?;
        out.push(row(&record, locale));
    }
    Ok(out)
}

/// The portal home: open requests with their promises, balance and recent bills, unread
/// notices. Billing that cannot be reached leaves the billing part empty.
pub async fn home(
    stores: &Stores,
    provider: &dyn BillingProvider,
    now: DateTime<Utc>,
    today: NaiveDate,
    user: &User,
    locale: Locale,
) -> Result<PortalHomeView, DeskError> {
    let customer = desk::own_customer(stores, user).await?;
    let mut open = requests(stores, user, true, locale).await?;
    open.sort_by_key(|r| {
        r.promise
            .as_ref()
            .and_then(|p| p.due_at)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    });
    let billing = match billing_view(provider, today, &customer, None, locale).await {
        Ok(b) => Some(b),
        Err(e) => {
            tracing::warn!(error = ?e, "portal home without billing");
            None
        }
    };
    let (accounts, bills) = billing
        .map(|b| (b.accounts, b.bills.into_iter().take(3).collect()))
        .unwrap_or_default();
    let balance = Fen(accounts.iter().map(|a| a.balance.0).sum());
    Ok(PortalHomeView {
        open,
        accounts,
        balance,
        bills,
        unread: stores.portal.unread_notices(customer.id).await?,
        as_of: now,
    })
}

/// The signed-in customer's billing.
pub async fn bills(
    stores: &Stores,
    provider: &dyn BillingProvider,
    today: NaiveDate,
    user: &User,
    range: Option<(NaiveDate, NaiveDate)>,
    locale: Locale,
) -> Result<BillingView, DeskError> {
    let customer = desk::own_customer(stores, user).await?;
    billing_view(provider, today, &customer, range, locale).await
}

/// One bill of the customer's as CSV (UTF-8 with BOM so spreadsheet programs read the
/// Chinese): its lines and the total. `None` when the customer has no such bill.
pub fn bill_csv(view: &BillingView, account: &str, period: &str, locale: Locale) -> Option<String> {
    let bill = view
        .bills
        .iter()
        .find(|b| b.account == account && b.period == period)?;
    let h = px::csv_headers(locale);
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let line = |w: &mut csv::Writer<Vec<u8>>, item: &str, amount: String| {
        w.write_record([
            bill.account.as_str(),
            bill.period.as_str(),
            &bill.due_on.to_string(),
            item,
            &amount,
        ])
    };
    w.write_record(&h[..5]).ok()?;
    for item in &bill.items {
        line(&mut w, &item.name, yuan(item.amount)).ok()?;
    }
    line(&mut w, h[5], yuan(bill.total)).ok()?;
    String::from_utf8(w.into_inner().ok()?).ok()
}

fn yuan(f: Fen) -> String {
    let sign = if f.0 < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", f.0.abs() / 100, f.0.abs() % 100)
}

/// What a customer submits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubmitInput {
    /// Kind.
    pub kind: TicketKind,
    /// Category path (top level).
    #[serde(default)]
    pub category: String,
    /// Subject (default: the start of the description).
    #[serde(default)]
    pub subject: String,
    /// What happened.
    pub description: String,
    /// Account it concerns.
    #[serde(default)]
    pub account: Option<String>,
    /// Preferred contact time.
    #[serde(default)]
    pub contact_time: Option<ContactTime>,
}

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name the browser sent.
    pub name: String,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// Kinds customers may submit.
pub const PORTAL_KINDS: [TicketKind; 6] = [
    TicketKind::Inquiry,
    TicketKind::Complaint,
    TicketKind::FaultReport,
    TicketKind::ServiceRequest,
    TicketKind::Suggestion,
    TicketKind::Praise,
];

/// The submission form's choices.
pub async fn choices(
    stores: &Stores,
    user: &User,
    locale: Locale,
) -> Result<SubmitChoices, DeskError> {
    let customer = desk::own_customer(stores, user).await?;
    let categories = stores
        .knowledge
        .categories()
        .await?
        .into_iter()
        .filter(|c| !c.path.contains('/'))
        .map(|c| {
            let name = if locale == Locale::ZhCn {
                c.name_zh
            } else {
                c.name_en
            };
            cn(&c.path, &name)
        })
        .collect();
    Ok(SubmitChoices {
        kinds: PORTAL_KINDS
            .iter()
            .map(|k| cn(k.code(), kind_name(*k, locale)))
            .collect(),
        categories,
        accounts: stores
            .billing
            .customer_accounts(customer.id)
            .await?
            .into_iter()
            .map(|a| a.number)
            .collect(),
        contact_times: ContactTime::ALL
            .iter()
            .map(|c| cn(c.code(), px::contact_time(*c, locale)))
            .collect(),
    })
}

/// Checks every file before anything is written.
fn check_files(files: &[Upload], existing: usize) -> Result<Vec<attachment::Accepted>, DeskError> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            attachment::accept(&f.name, &f.bytes, existing + i)
                .map_err(|e| DeskError::invalid("files", Invalid::Attachment(e)))
        })
        .collect()
}

async fn store_files(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    ticket: TicketId,
    customer: CustomerId,
    files: Vec<Upload>,
    accepted: Vec<attachment::Accepted>,
) -> Result<(), DeskError> {
    for (f, a) in files.into_iter().zip(accepted) {
        let meta = AttachmentMeta {
            id: Uuid::new_v4(),
            ticket,
            customer,
            uploaded_by: Some(user.id),
            name: a.name,
            kind: a.kind,
            size: f.bytes.len() as u64,
            sha256: Sha256::digest(&f.bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            created_at: now,
        };
        match stores
            .portal
            .add_attachment(&meta, &f.bytes, MAX_PER_TICKET)
            .await
        {
            Err(StoreError::Conflict { .. }) => {
                return Err(DeskError::invalid(
                    "files",
                    Invalid::Attachment(attachment::AttachmentError::TooMany),
                ))
            }
            other => other?,
        }
    }
    Ok(())
}

/// Submits a request (channel `portal`) with its files; every file is checked before
/// anything is written. Complaints start as "general" complexity (staff may re-grade).
pub async fn submit(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    input: SubmitInput,
    files: Vec<Upload>,
) -> Result<TicketId, DeskError> {
    let customer = desk::own_customer(stores, user).await?;
    if !PORTAL_KINDS.contains(&input.kind) {
        return Err(DeskError::invalid("kind", Invalid::Unknown));
    }
    desk::text("description", &input.description, MAX_TEXT, true)?;
    let accepted = check_files(&files, 0)?;
    let subject = match input.subject.trim() {
        "" => {
            let first = input.description.trim().lines().next().unwrap_or_default();
            first.chars().take(60).collect::<String>()
        }
        s => s.to_owned(),
    };
    let id = desk::register_for_customer(
        stores,
        now,
        user,
        RegisterInput {
            kind: input.kind,
            channel: Channel::Portal,
            priority: loopdesk::ticket::Priority::Normal,
            complexity: (input.kind == TicketKind::Complaint).then_some(Complexity::General),
            customer: customer.id.0,
            subject,
            description: input.description,
            category: input.category,
            on_call: false,
            first_contact: None,
            call_id: None,
            account: input.account,
            contact_time: input.contact_time,
        },
    )
    .await?;
    store_files(stores, now, user, id, customer.id, files, accepted).await?;
    Ok(id)
}

/// The customer's own ticket, or "not found".
async fn own_ticket(
    stores: &Stores,
    user: &User,
    id: TicketId,
) -> Result<(Customer, TicketRecord), DeskError> {
    let customer = desk::own_customer(stores, user).await?;
    let record = stores.tickets.get_ticket(id).await?;
    if record.ticket.customer != customer.id {
        return Err(DeskError::NotFound);
    }
    Ok((customer, record))
}

/// Adds files to one of the customer's open requests.
pub async fn add_files(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: TicketId,
    files: Vec<Upload>,
) -> Result<(), DeskError> {
    let (customer, record) = own_ticket(stores, user, id).await?;
    if !record.ticket.state.is_open() {
        return Err(DeskError::Refused(
            loopdesk::ticket::action::TransitionError::NotAllowedInState {
                action: "comment",
                state: record.ticket.state,
            },
        ));
    }
    let existing = stores.portal.attachments(id).await?.len();
    let accepted = check_files(&files, existing)?;
    store_files(stores, now, user, id, customer.id, files, accepted).await
}

fn attachment_view(m: &AttachmentMeta) -> AttachmentView {
    AttachmentView {
        id: m.id.to_string(),
        name: m.name.clone(),
        size: m.size,
        content_type: m.kind.content_type().to_owned(),
        url: format!("/api/v1/attachments/{}", m.id),
    }
}

/// A ticket's files for staff.
pub async fn ticket_files(stores: &Stores, id: TicketId) -> Result<Vec<AttachmentView>, DeskError> {
    Ok(stores
        .portal
        .attachments(id)
        .await?
        .iter()
        .map(attachment_view)
        .collect())
}

/// One of the customer's requests with its customer-visible timeline.
pub async fn request(
    stores: &Stores,
    now: DateTime<Utc>,
    user: &User,
    id: TicketId,
    locale: Locale,
) -> Result<RequestView, DeskError> {
    let (_, record) = own_ticket(stores, user, id).await?;
    let events = stores.tickets.ticket_events(id).await?;
    let mut actors = std::collections::HashMap::new();
    for actor in events.iter().filter_map(|e| e.actor) {
        if let std::collections::hash_map::Entry::Vacant(v) = actors.entry(actor) {
            let author = match stores.users.get_user(actor).await {
                Ok(u) if u.role == Role::Customer => Author::You,
                Ok(u) => Author::Agent(u.username.unwrap_or_default()),
                Err(StoreError::NotFound) => Author::Center,
                Err(e) => return Err(e.into()),
            };
            v.insert(author);
        }
    }
    let timeline = customer_timeline(&events, |a| {
        a.and_then(|a| actors.get(&a).cloned())
            .unwrap_or(Author::Center)
    })
    .into_iter()
    .map(|e| {
        let (kind, title, body) = px::timeline_line(&e.kind, locale);
        TimelineItem {
            at: e.at,
            who: px::author(&e.author, locale),
            mine: e.author == Author::You,
            kind: kind.to_owned(),
            title,
            body,
        }
    })
    .collect();
    let files = stores.portal.attachments(id).await?;
    let state = record.ticket.state;
    let comment = Action::Comment {
        text: String::new(),
        visibility: Visibility::Customer,
    };
    let category = category_name(stores, &record.details.category, locale).await?;
    Ok(RequestView {
        row: row(&record, locale),
        description: record.details.description.clone(),
        category,
        account: record.details.account.clone(),
        contact_time: record
            .details
            .contact_time
            .map(|c| cn(c.code(), px::contact_time(c, locale))),
        timeline,
        can_reply: comment.allowed_in().contains(&state),
        can_confirm: state == TicketState::Resolved,
        can_attach: state.is_open() && files.len() < MAX_PER_TICKET,
        attachments: files.iter().map(attachment_view).collect(),
        version: record.ticket.version,
        as_of: now,
    })
}

async fn category_name(stores: &Stores, path: &str, locale: Locale) -> Result<String, DeskError> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let cats = stores.knowledge.categories().await?;
    Ok(cats
        .into_iter()
        .find(|c| c.path == path)
        .map(|c| {
            if locale == Locale::ZhCn {
                c.name_zh
            } else {
                c.name_en
            }
        })
        .unwrap_or_else(|| path.to_owned()))
}

/// A file, for its customer or for staff; anyone else gets "not found".
pub async fn file(
    stores: &Stores,
    user: &User,
    id: Uuid,
) -> Result<(AttachmentMeta, Vec<u8>), DeskError> {
    let (meta, bytes) = stores.portal.attachment(id).await?;
    if user.role == Role::Customer {
        let own = desk::own_customer(stores, user).await?;
        if meta.customer != own.id {
            return Err(DeskError::NotFound);
        }
    } else if !user.role.is_staff() {
        return Err(DeskError::NotFound);
    }
    Ok((meta, bytes))
}

/// The customer's notices, newest first.
pub async fn notices(
    stores: &Stores,
    user: &User,
    locale: Locale,
) -> Result<(Vec<NoticeView>, u64), DeskError> {
    let customer = desk::own_customer(stores, user).await?;
    let list = stores.portal.notices(customer.id, 50).await?;
    let mut numbers = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(list.len());
    for n in list {
        let number = match numbers.get(&n.ticket) {
            Some(x) => String::clone(x),
            None => {
                let x = stores.tickets.get_ticket(n.ticket).await?.number;
                numbers.insert(n.ticket, x.clone());
                x
            }
        };
        out.push(NoticeView {
            ticket_id: n.ticket.0.to_string(),
            text: px::notice(&number, n.kind, n.state, locale),
            number,
            at: n.at,
            read: n.read,
        });
    }
    let unread = stores.portal.unread_notices(customer.id).await?;
    Ok((out, unread))
}

/// Marks the customer's notices read.
pub async fn read_notices(stores: &Stores, user: &User) -> Result<u64, DeskError> {
    let customer = desk::own_customer(stores, user).await?;
    Ok(stores.portal.mark_notices_read(customer.id).await?)
}

/// Texts the customer when staff answered their request or left them a message (other
/// changes only show in the portal). Best effort after the action is stored: a failed
/// text is logged, the action stands.
pub async fn text_customer(
    stores: &Stores,
    sender: &dyn MessageSender,
    id: TicketId,
    action: &Action,
) {
    let kind = match action {
        Action::Reply { .. } => NoticeKind::Answered,
        Action::Comment {
            visibility: Visibility::Customer,
            ..
        } => NoticeKind::Message,
        _ => return,
    };
    let result: Result<(), DeskError> = async {
        let record = stores.tickets.get_ticket(id).await?;
        let customer = stores
            .customers
            .get_customer(record.ticket.customer)
            .await?;
        let Some(phone) = customer.phones.iter().find_map(|p| rules::mobile(p).ok()) else {
            return Ok(());
        };
        let locale = stores
            .users
            .find_for_login(&LoginName::Phone(phone.clone()))
            .await?
            .and_then(|(u, _)| u.locale)
            .unwrap_or_default();
        let message = Message {
            to: Recipient::Sms(phone),
            purpose: Purpose::TicketNotice,
            text: px::notice_sms(&record.number, kind, record.ticket.state, locale),
        };
        sender.send(&message).await.map_err(|e| {
            tracing::warn!(error = %e, "ticket notice not texted");
            DeskError::Upstream
        })
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = ?e, ticket = %id.0, "customer not texted");
    }
}

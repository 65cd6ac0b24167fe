//! Audit log use cases (SSR only): searching the log (supervisors and administrators; the
//! REST route and the page share it) and walking the hash chain from the first entry to the
//! last (the `server audit verify` command) — in pages, so a long log is never held in
//! memory.

use std::collections::HashMap;

use chrono::NaiveDate;
use loopdesk::audit::{AuditBreak, ChainWalk};
use loopdesk::locale::Locale;
use loopdesk::store::{AuditAction, AuditQuery, StoreError};
use loopdesk::user::User;

use crate::desk::DeskError;
use crate::i18n::names::audit_action_name;
use crate::state::Stores;
use crate::supervision::{center_tz, local_midnight, require_supervisor};
use crate::views::supervision::{AuditFilter, AuditListView, AuditRowView};
use crate::views::{CodeName, RefView};

/// Entries read per page while walking.
const PAGE: u32 = 1000;

/// Walks the whole audit log: `Ok(n)` when all `n` entries link and match their hashes,
/// otherwise the first break.
pub async fn verify_chain(stores: &Stores) -> Result<Result<u64, AuditBreak>, DeskError> {
    let mut walk = ChainWalk::default();
    let mut after = 0;
    loop {
        let page = stores.audit.sealed_after(after, PAGE).await?;
        for sealed in &page {
            if let Err(broken) = walk.check(sealed) {
                return Ok(Err(broken));
            }
        }
        match page.last() {
            Some(last) if page.len() == PAGE as usize => after = last.id,
            _ => return Ok(Ok(walk.checked())),
        }
    }
}

/// The audit query for whole local days `from..=to` (the center's time zone).
async fn days(
    stores: &Stores,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<
    (
        Option<chrono::DateTime<chrono::Utc>>,
        Option<chrono::DateTime<chrono::Utc>>,
    ),
    DeskError,
> {
    let tz = center_tz(stores).await?;
    Ok((
        from.map(|d| local_midnight(tz, d)),
        to.and_then(|d| d.succ_opt()).map(|d| local_midnight(tz, d)),
    ))
}

/// One page of the log for a supervisor or administrator, newest first, with the actors'
/// names and the actions in the reader's language.
pub async fn search(
    stores: &Stores,
    user: &User,
    query: &AuditQuery,
    locale: Locale,
) -> Result<AuditListView, DeskError> {
    require_supervisor(user)?;
    let found = stores.audit.search_audit(query).await?;
    let mut names: HashMap<loopdesk::user::UserId, String> = HashMap::new();
    for s in &found.items {
        if let Some(a) = s.entry.actor {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(a) {
                match stores.users.get_user(a).await {
                    Ok(u) => {
                        slot.insert(u.display_name);
                    }
                    Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    let size = query.page_size.clamp(1, 200);
    let total_pages = crate::views::page_count(found.total, size).max(1);
    let page = query.page.max(1);
    Ok(AuditListView {
        items: found
            .items
            .into_iter()
            .map(|s| AuditRowView {
                id: s.id,
                at: s.entry.at,
                actor: s.entry.actor.map(|a| RefView {
                    id: a.0.to_string(),
                    name: names.get(&a).cloned().unwrap_or_else(|| a.0.to_string()),
                }),
                action: CodeName {
                    code: s.entry.action.code().into(),
                    name: audit_action_name(s.entry.action, locale).into(),
                },
                subject: s.entry.subject,
                detail: s.entry.detail,
                transaction_id: s.entry.transaction_id,
                hash: s.hash,
            })
            .collect(),
        page,
        page_size: size,
        total: found.total,
        total_pages,
        last_page: page >= total_pages,
    })
}

/// A page of the log for the page's filter form (empty fields: no filter; 50 a page).
pub async fn search_filtered(
    stores: &Stores,
    user: &User,
    filter: &AuditFilter,
    locale: Locale,
) -> Result<AuditListView, DeskError> {
    require_supervisor(user)?;
    let day = |text: &str, field: &str| match text.trim() {
        "" => Ok(None),
        t => crate::supervision::parse_day(t, field).map(Some),
    };
    let (from, to) = days(stores, day(&filter.from, "from")?, day(&filter.to, "to")?).await?;
    let action = match filter.action.trim() {
        "" => None,
        code => Some(
            AuditAction::from_code(code)
                .ok_or_else(|| DeskError::invalid("action", crate::desk::Invalid::Unknown))?,
        ),
    };
    let query = AuditQuery {
        actor: None,
        action,
        subject: Some(filter.subject.trim().to_owned()).filter(|s| !s.is_empty()),
        from,
        to,
        page: filter.page.max(1),
        page_size: 50,
    };
    search(stores, user, &query, locale).await
}

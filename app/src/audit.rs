//! Audit log use cases (SSR only): walking the hash chain from the first entry to the last
//! (the `server audit verify` command) — in pages, so a long log is never held in memory.

use loopdesk::audit::{AuditBreak, ChainWalk};

use crate::desk::DeskError;
use crate::state::Stores;

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

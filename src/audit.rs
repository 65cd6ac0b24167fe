//! The audit log's hash chain (DESIGN §5): every stored entry carries the hash of the entry
//! before it and its own hash over that link and its content, so changing, removing or
//! reordering any stored entry breaks the chain from there on. This module owns the hash
//! and the walk that finds the first broken link; the store seals entries as it appends
//! them.

use chrono::SecondsFormat;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::store::AuditEntry;
pub use crate::ticket::event::GENESIS;

/// An entry as stored: its position, content and links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedAudit {
    /// Position in the log (ascending).
    pub id: i64,
    /// What was recorded.
    pub entry: AuditEntry,
    /// The hash of the entry before ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// This entry's hash ([`audit_hash`] of `prev_hash` and `entry`).
    pub hash: String,
}

#[derive(Serialize)]
struct Hashed<'a> {
    at: String,
    actor: Option<uuid::Uuid>,
    action: &'a str,
    subject: &'a str,
    detail: &'a str,
    transaction_id: Option<&'a str>,
}

/// The hash of `entry` following an entry whose hash is `prev_hash` (hex SHA-256 over the
/// previous hash and the entry's fields; the instant at microsecond precision, as stored).
pub fn audit_hash(prev_hash: &str, entry: &AuditEntry) -> String {
    let body = serde_json::to_vec(&Hashed {
        at: entry.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        actor: entry.actor.map(|a| a.0),
        action: entry.action.code(),
        subject: &entry.subject,
        detail: &entry.detail,
        transaction_id: entry.transaction_id.as_deref(),
    })
    .unwrap_or_default();
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(&body);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditBreak {
    /// The entry does not point at the entry before it (one was removed, inserted or
    /// reordered, or the link itself was changed).
    #[error("audit entry {id} does not follow the entry before it")]
    Link {
        /// The entry.
        id: i64,
    },
    /// The entry's content does not match its hash (it was changed).
    #[error("audit entry {id} was changed after it was written")]
    Content {
        /// The entry.
        id: i64,
    },
}

impl AuditBreak {
    /// The entry where the chain breaks.
    pub fn id(&self) -> i64 {
        match self {
            AuditBreak::Link { id } | AuditBreak::Content { id } => *id,
        }
    }
}

/// A walk along the log in id order, one entry at a time (the log may be long, so it is fed
/// in pages).
#[derive(Debug, Clone)]
pub struct ChainWalk {
    expected: String,
    checked: u64,
}

impl Default for ChainWalk {
    fn default() -> Self {
        ChainWalk {
            expected: GENESIS.to_owned(),
            checked: 0,
        }
    }
}

impl ChainWalk {
    /// Checks the next entry.
    pub fn check(&mut self, sealed: &SealedAudit) -> Result<(), AuditBreak> {
        if sealed.prev_hash != self.expected {
            return Err(AuditBreak::Link { id: sealed.id });
        }
        if audit_hash(&sealed.prev_hash, &sealed.entry) != sealed.hash {
            return Err(AuditBreak::Content { id: sealed.id });
        }
        self.expected = sealed.hash.clone();
        self.checked += 1;
        Ok(())
    }

    /// Entries checked so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::AuditAction;
    use chrono::{TimeZone, Utc};

    fn entry(subject: &str) -> AuditEntry {
        AuditEntry {
            at: Utc.with_ymd_and_hms(2026, 12, 4, 2, 0, 0).unwrap(),
            actor: None,
            action: AuditAction::LoginFailed,
            subject: subject.into(),
            detail: "wrong password".into(),
            transaction_id: Some("tx-1".into()),
        }
    }

    fn chain(subjects: &[&str]) -> Vec<SealedAudit> {
        let mut prev = GENESIS.to_owned();
        subjects
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let e = entry(s);
                let hash = audit_hash(&prev, &e);
                let sealed = SealedAudit {
                    id: i as i64 + 1,
                    entry: e,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                sealed
            })
            .collect()
    }

    fn walk(rows: &[SealedAudit]) -> Result<u64, AuditBreak> {
        let mut w = ChainWalk::default();
        for r in rows {
            w.check(r)?;
        }
        Ok(w.checked())
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(walk(&chain(&["a", "b", "c"])), Ok(3));
        assert_eq!(walk(&[]), Ok(0));
    }

    #[test]
    fn a_changed_entry_is_found() {
        let mut rows = chain(&["a", "b", "c"]);
        rows[1].entry.detail = "right password".into();
        assert_eq!(walk(&rows), Err(AuditBreak::Content { id: 2 }));
        let mut rows = chain(&["a", "b", "c"]);
        rows[2].entry.at += chrono::Duration::microseconds(1);
        assert_eq!(walk(&rows), Err(AuditBreak::Content { id: 3 }));
    }

    #[test]
    fn a_removed_or_reordered_entry_breaks_the_next_link() {
        let mut rows = chain(&["a", "b", "c"]);
        rows.remove(1);
        assert_eq!(walk(&rows), Err(AuditBreak::Link { id: 3 }));
        let mut rows = chain(&["a", "b", "c"]);
        rows.swap(0, 1);
        assert_eq!(walk(&rows), Err(AuditBreak::Link { id: 2 }));
    }

    #[test]
    fn a_rehashed_entry_still_breaks_the_link_after_it() {
        // Someone changes an entry and recomputes its hash: the next entry's link fails.
        let mut rows = chain(&["a", "b", "c"]);
        rows[1].entry.subject = "x".into();
        rows[1].hash = audit_hash(&rows[1].prev_hash, &rows[1].entry);
        assert_eq!(walk(&rows), Err(AuditBreak::Link { id: 3 }));
    }

    #[test]
    fn microseconds_beyond_storage_do_not_count() {
        let e = entry("a");
        let mut finer = e.clone();
        finer.at += chrono::Duration::nanoseconds(300);
        assert_eq!(audit_hash(GENESIS, &e), audit_hash(GENESIS, &finer));
    }
}

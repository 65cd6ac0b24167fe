//! API tokens for systems that call Loopdesk (the PBX's CTI push, billing feeds): created by
//! administrators and shown once (`ldk_<prefix>_<secret>`), stored as a SHA-256 hash, with
//! scopes, an optional expiry and an optional IP allowlist (addresses or CIDR ranges).
//! Owns the token format and the checks a request must pass.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::user::UserId;

coded_enum!(
    /// What a token may do.
    TokenScope {
        /// Post CTI events.
        Cti = "cti",
        /// Import billing data.
        #[serde(rename = "billing:import")]
        BillingImport = "billing:import",
        /// Read tickets (list, one with its SLA targets, events).
        #[serde(rename = "tickets:read")]
        TicketsRead = "tickets:read",
        /// Register tickets and act on them.
        #[serde(rename = "tickets:write")]
        TicketsWrite = "tickets:write",
        /// Import historical tickets with their original times.
        Import = "import",
    }
);

/// A stored token (without its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    /// Id.
    pub id: Uuid,
    /// What it is for (e.g. "PBX 1").
    pub name: String,
    /// The public part, shown in lists and logs.
    pub prefix: String,
    /// Scopes.
    pub scopes: Vec<TokenScope>,
    /// The administrator who created it (requests act on their behalf).
    pub created_by: UserId,
    /// The agent or supervisor ticket requests act as (required for the ticket scopes:
    /// administrators do not work tickets); `None`: the creator.
    #[serde(default)]
    pub acts_as: Option<UserId>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Expires, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// Revoked, if so.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Last use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Allowed client addresses (`10.1.2.3`, `10.1.0.0/16`); empty: any.
    pub allow_ips: Vec<String>,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum TokenRefusal {
    /// Not a token, unknown, or the secret does not match.
    #[error("invalid token")]
    Invalid,
    /// Revoked.
    #[error("token revoked")]
    Revoked,
    /// Past its expiry.
    #[error("token expired")]
    Expired,
    /// The client address is not on the allowlist.
    #[error("address not allowed")]
    AddressNotAllowed,
    /// The token lacks the scope.
    #[error("scope missing")]
    ScopeMissing,
}

/// Why a token definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum TokenDefinitionError {
    /// No name.
    #[error("a name is required")]
    NameRequired,
    /// No scope.
    #[error("at least one scope is required")]
    ScopeRequired,
    /// An allowlist entry that is not an address or CIDR range.
    #[error("{0:?} is not an IP address or CIDR range")]
    BadAddress(String),
    /// Expiry in the past.
    #[error("the expiry is in the past")]
    ExpiryPast,
    /// Ticket scopes act as a staff member who works tickets; none was named.
    #[error("ticket scopes need a staff member to act as")]
    ActorRequired,
}

/// The SHA-256 of a full token, hex.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The full token text from its parts.
pub fn format_token(prefix: &str, secret: &str) -> String {
    format!("ldk_{prefix}_{secret}")
}

/// The prefix of a presented token, when it has the token format.
pub fn prefix_of(token: &str) -> Option<&str> {
    let rest = token.strip_prefix("ldk_")?;
    let (prefix, secret) = rest.split_once('_')?;
    let ok = prefix.len() == 8
        && secret.len() >= 32
        && prefix
            .chars()
            .chain(secret.chars())
            .all(|c| c.is_ascii_hexdigit());
    ok.then_some(prefix)
}

fn parse_range(entry: &str) -> Option<(IpAddr, u8)> {
    let (addr, bits) = match entry.split_once('/') {
        Some((a, b)) => (a.parse::<IpAddr>().ok()?, b.parse::<u8>().ok()?),
        None => {
            let a = entry.parse::<IpAddr>().ok()?;
            (a, if a.is_ipv4() { 32 } else { 128 })
        }
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((addr, bits))
}

fn in_range(ip: IpAddr, (net, bits): (IpAddr, u8)) -> bool {
    let as_v6 = |a: IpAddr| match a {
        IpAddr::V4(v4) => (v4.to_ipv6_mapped().to_bits(), 96u32),
        IpAddr::V6(v6) => (v6.to_bits(), 0),
    };
    let ((ip, _), (net, offset)) = (as_v6(ip), as_v6(net));
    let bits = u32::from(bits) + offset;
    let mask = if bits == 0 {
        0
    } else {
        u128::MAX << (128 - bits)
    };
    ip & mask == net & mask
}

impl ApiToken {
    /// Checks the definition (name, scopes, allowlist, expiry) and normalises it.
    pub fn validated(mut self, now: DateTime<Utc>) -> Result<ApiToken, TokenDefinitionError> {
        self.name = self.name.trim().chars().take(80).collect();
        if self.name.is_empty() {
            return Err(TokenDefinitionError::NameRequired);
        }
        self.scopes.sort_by_key(|s| s.code());
        self.scopes.dedup();
        if self.scopes.is_empty() {
            return Err(TokenDefinitionError::ScopeRequired);
        }
        self.allow_ips = self
            .allow_ips
            .iter()
            .map(|e| e.trim())
            .filter(|e| !e.is_empty())
            .map(|e| match parse_range(e) {
                Some(_) => Ok(e.to_owned()),
                None => Err(TokenDefinitionError::BadAddress(e.to_owned())),
            })
            .collect::<Result<_, _>>()?;
        if self.expires_at.is_some_and(|e| e <= now) {
            return Err(TokenDefinitionError::ExpiryPast);
        }
        let works_tickets = self
            .scopes
            .iter()
            .any(|s| matches!(s, TokenScope::TicketsRead | TokenScope::TicketsWrite));
        if works_tickets && self.acts_as.is_none() {
            return Err(TokenDefinitionError::ActorRequired);
        }
        Ok(self)
    }

    /// Whether a request from `client` at `now` may use this token for `scope`.
    pub fn admits(
        &self,
        scope: TokenScope,
        now: DateTime<Utc>,
        client: Option<IpAddr>,
    ) -> Result<(), TokenRefusal> {
        if self.revoked_at.is_some() {
            return Err(TokenRefusal::Revoked);
        }
        if self.expires_at.is_some_and(|e| e <= now) {
            return Err(TokenRefusal::Expired);
        }
        if !self.allow_ips.is_empty() {
            let allowed = client.is_some_and(|ip| {
                self.allow_ips
                    .iter()
                    .filter_map(|e| parse_range(e))
                    .any(|range| in_range(ip, range))
            });
            if !allowed {
                return Err(TokenRefusal::AddressNotAllowed);
            }
        }
        match self.scopes.contains(&scope) {
            true => Ok(()),
            false => Err(TokenRefusal::ScopeMissing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32) -> DateTime<Utc> {
        format!("2026-11-23T{h:02}:00:00Z").parse().unwrap()
    }

    fn token() -> ApiToken {
        ApiToken {
            id: Uuid::nil(),
            name: " PBX 1 ".into(),
            prefix: "0a1b2c3d".into(),
            scopes: vec![TokenScope::Cti, TokenScope::Cti],
            created_by: UserId(Uuid::nil()),
            acts_as: None,
            created_at: t(0),
            expires_at: Some(t(10)),
            revoked_at: None,
            last_used_at: None,
            allow_ips: vec!["10.1.0.0/16".into(), " 192.168.0.7 ".into(), "".into()],
        }
    }

    #[test]
    fn scopes_serialise_as_their_codes() {
        for s in TokenScope::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        }
    }

    #[test]
    fn tokens_have_a_recognisable_format() {
        let full = format_token("0a1b2c3d", &"f".repeat(32));
        assert_eq!(prefix_of(&full), Some("0a1b2c3d"));
        assert_eq!(prefix_of("ldk_0a1b2c3d_short"), None);
        assert_eq!(prefix_of("Bearer x"), None);
        assert_eq!(prefix_of(&format!("ldk_0a1b2c3z_{}", "f".repeat(32))), None);
        assert_eq!(hash("abc").len(), 64);
        assert_ne!(hash("abc"), hash("abd"));
    }

    #[test]
    fn definitions_are_checked() {
        let v = token().validated(t(1)).unwrap();
        assert_eq!(v.name, "PBX 1");
        assert_eq!(v.scopes, vec![TokenScope::Cti]);
        assert_eq!(v.allow_ips, vec!["10.1.0.0/16", "192.168.0.7"]);
        let bad = ApiToken {
            allow_ips: vec!["10.0.0.0/33".into()],
            ..token()
        };
        assert_eq!(
            bad.validated(t(1)),
            Err(TokenDefinitionError::BadAddress("10.0.0.0/33".into()))
        );
        assert_eq!(
            ApiToken {
                scopes: vec![],
                ..token()
            }
            .validated(t(1)),
            Err(TokenDefinitionError::ScopeRequired)
        );
        assert_eq!(
            ApiToken {
                name: " ".into(),
                ..token()
            }
            .validated(t(1)),
            Err(TokenDefinitionError::NameRequired)
        );
        assert_eq!(
            token().validated(t(11)),
            Err(TokenDefinitionError::ExpiryPast)
        );
    }

    #[test]
    fn requests_need_scope_time_and_an_allowed_address() {
        let tok = token().validated(t(1)).unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(tok.admits(TokenScope::Cti, t(2), ip("10.1.200.3")), Ok(()));
        assert_eq!(tok.admits(TokenScope::Cti, t(2), ip("192.168.0.7")), Ok(()));
        assert_eq!(
            tok.admits(TokenScope::Cti, t(2), ip("::ffff:10.1.2.3")),
            Ok(())
        );
        assert_eq!(
            tok.admits(TokenScope::Cti, t(2), ip("10.2.0.1")),
            Err(TokenRefusal::AddressNotAllowed)
        );
        assert_eq!(
            tok.admits(TokenScope::Cti, t(2), None),
            Err(TokenRefusal::AddressNotAllowed)
        );
        assert_eq!(
            tok.admits(TokenScope::BillingImport, t(2), ip("10.1.0.1")),
            Err(TokenRefusal::ScopeMissing)
        );
        assert_eq!(
            tok.admits(TokenScope::Cti, t(10), ip("10.1.0.1")),
            Err(TokenRefusal::Expired)
        );
        let revoked = ApiToken {
            revoked_at: Some(t(3)),
            ..tok.clone()
        };
        assert_eq!(
            revoked.admits(TokenScope::Cti, t(4), ip("10.1.0.1")),
            Err(TokenRefusal::Revoked)
        );
        let open = ApiToken {
            allow_ips: vec![],
            ..tok
        };
        assert_eq!(open.admits(TokenScope::Cti, t(2), None), Ok(()));
        let v6 = ApiToken {
            allow_ips: vec!["2001:db8::/32".into()],
            ..token()
        };
        assert_eq!(v6.admits(TokenScope::Cti, t(2), ip("2001:db8::1")), Ok(()));
        assert_eq!(
            v6.admits(TokenScope::Cti, t(2), ip("2001:db9::1")),
            Err(TokenRefusal::AddressNotAllowed)
        );
    }
}

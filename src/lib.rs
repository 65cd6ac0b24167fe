//! # loopdesk — the domain crate
//!
//! Pure business rules of the Loopdesk contact center and the ports (store traits) the
//! server implements. **No IO lives here**: no sqlx, no tokio, no leptos, no clock reads.
//! Time comes in as a parameter or through [`clock::Clock`]. The crate compiles for
//! `wasm32-unknown-unknown` so the browser can share the same types and checks.
//!
//! Modules:
//! - [`locale`]: the two UI languages and `Accept-Language` negotiation.
//! - [`user`]: users, roles, departments, login names.
//! - [`access`]: which role may open which area of the UI and which API permission.
//! - [`billing`]: accounts, bills, payments, usage in fen; arrears; billing imports.
//! - [`calendar`]: working-time calendars (holidays, 调休) and business-time arithmetic.
//! - [`call`]: CTI events and the call records they converge to.
//! - [`agent`]: agent states (available, on call, wrap-up, break, offline) and their rules.
//! - [`task`]: the outbound task list (follow-ups, overdue notices, callbacks, collections).
//! - [`phrase`]: standard phrases (规范用语) with variables.
//! - [`portal`]: the self-service portal's rules (verification codes, passwords, rate
//!   limits, attachments, the customer-visible timeline).
//! - [`token`]: API tokens (format, hashing, scopes, expiry, IP allowlist).
//! - [`login`]: the sign-in throttle (5 failures in 15 minutes lock an account for 15 minutes).
//! - [`password`]: password strength (staff and customers), expiry, minimum age, reuse and
//!   the inactivity rule for staff accounts.
//! - [`clock`]: the time source port.
//! - [`customer`]: customer tiers.
//! - [`flow`]: SOP flows (definitions, validation, runs with gateways and rollback).
//! - [`kb`]: knowledge-base articles (editorial workflow, audiences, versions and diffs).
//! - [`ticket`]: tickets and the closed-loop state machine.
//! - [`sla`]: SLA policies and the targets computed from a ticket's clock events.
//! - [`metrics`]: contact-center metric definitions (service level, ASA, abandonment,
//!   AHT, occupancy, FCR, reopen rate, satisfaction, complaint rate, SLA compliance).
//! - [`staffing`]: interval forecasts, Erlang C and the roster against the requirement.
//! - [`quality`]: quality inspection (质检) scorecards, reviews and sampling.
//! - [`store`]: the storage ports and their error type.
#![warn(missing_docs)]

/// Declares a fieldless enum with stable snake_case codes (storage, APIs, imports):
/// `ALL`, `code()` and `from_code()`.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable code (storage, APIs).
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The value for a stable code.
            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

pub mod access;
pub mod agent;
pub mod audit;
pub mod billing;
pub mod calendar;
pub mod call;
pub mod clock;
pub mod customer;
pub mod flow;
pub mod kb;
pub mod locale;
pub mod login;
pub mod metrics;
pub mod password;
pub mod phrase;
pub mod portal;
pub mod quality;
pub mod sla;
pub mod staffing;
pub mod store;
pub mod task;
pub mod ticket;
pub mod token;
pub mod user;

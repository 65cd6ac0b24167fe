//! Configuration from environment variables (with defaults) and the command line.

use std::net::SocketAddr;

/// Which database the URL names.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite:` URL (the default, a file under `data/`).
    Sqlite(String),
    /// `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    // URLs may carry passwords: never print them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(url) => write!(f, "Sqlite({url})"),
            DatabaseUrl::Postgres(_) => f.write_str("Postgres(<redacted>)"),
        }
    }
}

impl DatabaseUrl {
    /// The URL as given.
    pub fn as_str(&self) -> &str {
        match self {
            DatabaseUrl::Sqlite(u) | DatabaseUrl::Postgres(u) => u,
        }
    }

    /// Classifies a URL by scheme; anything else is an error naming the accepted schemes.
    pub fn parse(url: &str) -> Result<DatabaseUrl, ConfigError> {
        if url.starts_with("sqlite:") {
            Ok(DatabaseUrl::Sqlite(url.to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else {
            Err(ConfigError::UnknownDatabaseScheme)
        }
    }
}

/// A configuration error, shown at start-up.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `DATABASE_URL` has an unknown scheme.
    #[error("DATABASE_URL must start with sqlite:, postgres:// or postgresql://")]
    UnknownDatabaseScheme,
    /// A variable has an unparsable value.
    #[error("{name} has an invalid value {value:?}: {reason}")]
    Invalid {
        /// Variable name.
        name: &'static str,
        /// The value found.
        value: String,
        /// What is expected.
        reason: &'static str,
    },
}

/// Process settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Database.
    pub database_url: DatabaseUrl,
    /// Listen address (port 0 picks a free port).
    pub addr: SocketAddr,
    /// Mark cookies `Secure` (set when served over TLS).
    pub secure_cookies: bool,
    /// Sessions expire after this many idle minutes.
    pub session_idle_minutes: i64,
    /// Where the built site (wasm, js, css, public files) lives.
    pub site_root: String,
    /// Seconds between SLA sweeper passes; 0 turns the background sweeper off (tests
    /// drive `run_once` themselves).
    pub sweep_seconds: u64,
    /// Base URL of an external billing system; billing lookups use the local store when
    /// absent.
    pub billing_url: Option<String>,
    /// File that SMS and e-mail to customers are appended to (JSON lines) for a gateway
    /// to pick up; absent: they are written to the log (the demo shows codes there).
    pub sms_spool: Option<std::path::PathBuf>,
    /// The service-level threshold and targets (wallboard and reports).
    pub service_targets: loopdesk::metrics::ServiceTargets,
    /// Days of call history `--demo` seeds for the supervisors' screens (0: none).
    pub demo_history_days: u32,
    /// Seconds a request may take to be answered (reading its body included) before it
    /// gets 408; event streams that have started answering are not cut.
    pub request_timeout_seconds: u64,
    /// Requests per minute the REST API allows per client and per IP address.
    pub api_rate: crate::api::rate::RateSettings,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Serve; with `demo`, seed demo data into an empty database first.
    Serve {
        /// `--demo` was given.
        demo: bool,
    },
    /// Post simulated call traffic to a running server.
    Simulate(crate::simulate::SimOptions),
    /// Walk the audit log's hash chain of the `DATABASE_URL` database.
    AuditVerify,
    /// Enable a staff account, or reset its password to a temporary one (when no
    /// administrator can sign in).
    Account {
        /// `enable` or `reset_password`.
        action: app::views::accounts::AccountAction,
        /// The staff username.
        username: String,
    },
    /// Copy a SQLite database into an empty PostgreSQL database and verify the copy.
    MigrateData {
        /// `sqlite://…`
        from: String,
        /// `postgres://…`
        to: String,
    },
    /// Print help.
    Help,
}

impl Command {
    /// Parses the arguments after the program name.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
        let args: Vec<String> = args.into_iter().collect();
        if args.first().map(String::as_str) == Some("simulate") {
            if args.iter().any(|a| a == "-h" || a == "--help") {
                return Ok(Command::Help);
            }
            return crate::simulate::SimOptions::from_args(&args[1..]).map(Command::Simulate);
        }
        if args.first().map(String::as_str) == Some("audit") {
            return match args.get(1).map(String::as_str) {
                Some("verify") if args.len() == 2 => Ok(Command::AuditVerify),
                Some("-h" | "--help") => Ok(Command::Help),
                _ => Err("usage: server audit verify".into()),
            };
        }
        if args.first().map(String::as_str) == Some("account") {
            use app::views::accounts::AccountAction;
            let action = match args.get(1).map(String::as_str) {
                Some("enable") => AccountAction::Enable,
                Some("reset-password") => AccountAction::ResetPassword,
                Some("-h" | "--help") => return Ok(Command::Help),
                _ => return Err("usage: server account enable|reset-password <username>".into()),
            };
            return match args.get(2..) {
                Some([username]) => Ok(Command::Account {
                    action,
                    username: username.clone(),
                }),
                _ => Err("usage: server account enable|reset-password <username>".into()),
            };
        }
        if args.first().map(String::as_str) == Some("migrate-data") {
            let (mut from, mut to) = (None, None);
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--from" => from = rest.next().cloned(),
                    "--to" => to = rest.next().cloned(),
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unknown argument {other:?}")),
                }
            }
            return match (from, to) {
                (Some(from), Some(to)) => Ok(Command::MigrateData { from, to }),
                _ => Err("migrate-data needs --from sqlite://… and --to postgres://…".into()),
            };
        }
        let mut demo = false;
        for arg in args {
            match arg.as_str() {
                "--demo" => demo = true,
                "-h" | "--help" | "help" => return Ok(Command::Help),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(Command::Serve { demo })
    }
}

impl Config {
    /// `server --help`.
    pub const HELP: &'static str = "\
Loopdesk server

USAGE:
    server [--demo]
    server simulate [--url URL] [--calls N] [--rate PER_MINUTE] [--abandon SHARE]
                    [--wait MEAN_S] [--handle MEAN_S] [--agents a,b] [--speed X]
                    [--customers N] [--seed N] [--login NAME] [--password PW]
                    [--token ldk_…]
    server migrate-data --from sqlite://FILE --to postgres://USER@HOST/DB
    server audit verify
    server account enable|reset-password USERNAME

OPTIONS:
    --demo       seed demo data (departments, staff, a customer) into an empty database;
                 does nothing to a database that already has users
    -h, --help   print this help

AUDIT VERIFY walks the audit log of the DATABASE_URL database from the first entry to the
last and checks every hash link; it prints the first broken entry and exits 1, or the number
of entries verified.

ACCOUNT enables a staff account (e.g. disabled after 30 days unused) or resets its password
to a temporary one, printed once, that its owner must replace at sign-in — for when no
administrator can sign in. Audited with no actor.

MIGRATE-DATA copies every table of a SQLite database (migrated to the current schema first)
into an empty PostgreSQL database in one transaction, then verifies it: row counts and a
digest of every table on both sides, and every ticket's event hash chain. Sessions are not
copied.

SIMULATE posts CTI traffic to a running server: Poisson arrivals, abandoned calls, answer
waits and handle times in simulated time (defaults: 20 calls, 6 per minute, 15 % abandon,
12 s mean wait, 150 s mean talk, agents agent,agent2, 10x speed, seed 1).

ENVIRONMENT:
    DATABASE_URL              sqlite://data/loopdesk.db?mode=rwc (default) or postgres://…
    LOOPDESK_ADDR             listen address, default 127.0.0.1:3000
    LOOPDESK_SECURE_COOKIES   true when served over TLS (default false)
    LOOPDESK_SESSION_IDLE_MINUTES  idle minutes before a session expires (default 120)
    LEPTOS_SITE_ROOT          built site directory (default target/site)
    LOOPDESK_SWEEP_SECONDS    seconds between SLA sweeper passes (default 1; 0 = off)
    LOOPDESK_REQUEST_TIMEOUT_SECONDS  seconds before an unanswered request gets 408 (default 30)
    LOOPDESK_API_RATE_LIMIT           REST requests per minute per client,per IP (default
                                      1200,6000; a part may be off, or just: off)
    LOOPDESK_BILLING_URL      external billing system (http://…); default: local billing data
    LOOPDESK_SMS_SPOOL        file to append customer SMS/e-mail to as JSON lines (for a
                              gateway); default: the log, where the demo shows codes
    LOOPDESK_DEMO_HISTORY_DAYS  days of call history --demo seeds (default 35; 0 = none)
    LOOPDESK_SERVICE_LEVEL    answer threshold in seconds, standard and VIP targets in %
                              (default 20,75,85: SEED-SLA-10/11)
    RUST_LOG                  log filter (default info)
    LOOPDESK_LOG_FORMAT       text (default) or json";

    /// Reads the environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let database_url = DatabaseUrl::parse(
            &var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/loopdesk.db?mode=rwc".into()),
        )?;
        let addr_text = var("LOOPDESK_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_text.parse().map_err(|_| ConfigError::Invalid {
            name: "LOOPDESK_ADDR",
            value: addr_text.clone(),
            reason: "expected host:port, e.g. 127.0.0.1:3000",
        })?;
        let secure_cookies = match var("LOOPDESK_SECURE_COOKIES").as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "LOOPDESK_SECURE_COOKIES",
                    value: other.into(),
                    reason: "expected true or false",
                })
            }
        };
        let idle_text = var("LOOPDESK_SESSION_IDLE_MINUTES").unwrap_or_else(|| "120".into());
        let session_idle_minutes = idle_text
            .parse::<i64>()
            .ok()
            .filter(|m| (1..=7 * 24 * 60).contains(m))
            .ok_or(ConfigError::Invalid {
                name: "LOOPDESK_SESSION_IDLE_MINUTES",
                value: idle_text,
                reason: "expected minutes between 1 and 10080",
            })?;
        let sweep_text = var("LOOPDESK_SWEEP_SECONDS").unwrap_or_else(|| "1".into());
        let sweep_seconds = sweep_text
            .parse::<u64>()
            .ok()
            .filter(|s| *s <= 3600)
            .ok_or(ConfigError::Invalid {
                name: "LOOPDESK_SWEEP_SECONDS",
                value: sweep_text,
                reason: "expected seconds between 0 and 3600",
            })?;
        let timeout_text = var("LOOPDESK_REQUEST_TIMEOUT_SECONDS").unwrap_or_else(|| "30".into());
        let request_timeout_seconds = timeout_text
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=3600).contains(s))
            .ok_or(ConfigError::Invalid {
                name: "LOOPDESK_REQUEST_TIMEOUT_SECONDS",
                value: timeout_text,
                reason: "expected seconds between 1 and 3600",
            })?;
        let rate_text = var("LOOPDESK_API_RATE_LIMIT").unwrap_or_else(|| "1200,6000".into());
        let api_rate = parse_rate(&rate_text).ok_or(ConfigError::Invalid {
            name: "LOOPDESK_API_RATE_LIMIT",
            value: rate_text,
            reason:
                "expected requests per minute per client,per IP (each 1-1000000 or off), or off",
        })?;
        let billing_url = var("LOOPDESK_BILLING_URL");
        if let Some(url) = &billing_url {
            if !url.starts_with("http://") {
                return Err(ConfigError::Invalid {
                    name: "LOOPDESK_BILLING_URL",
                    value: url.clone(),
                    reason: "expected an http:// URL (put TLS in front with a proxy)",
                });
            }
        }
        let sl_text = var("LOOPDESK_SERVICE_LEVEL").unwrap_or_else(|| "20,75,85".into());
        let sl: Vec<u32> = sl_text
            .split(',')
            .filter_map(|p| p.trim().parse().ok())
            .collect();
        let service_targets = match sl.as_slice() {
            [t, s, v]
                if (1..=600).contains(t) && (1..=100).contains(s) && (1..=100).contains(v) =>
            {
                loopdesk::metrics::ServiceTargets {
                    threshold_seconds: i64::from(*t),
                    standard_permille: s * 10,
                    vip_permille: v * 10,
                }
            }
            _ => {
                return Err(ConfigError::Invalid {
                    name: "LOOPDESK_SERVICE_LEVEL",
                    value: sl_text,
                    reason: "expected seconds,standard %,VIP %, e.g. 20,75,85",
                })
            }
        };
        let history_text = var("LOOPDESK_DEMO_HISTORY_DAYS").unwrap_or_else(|| "35".into());
        let demo_history_days = history_text
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= 366)
            .ok_or(ConfigError::Invalid {
                name: "LOOPDESK_DEMO_HISTORY_DAYS",
                value: history_text,
                reason: "expected days between 0 and 366",
            })?;
        Ok(Config {
            demo_history_days,
            service_targets,
            sms_spool: var("LOOPDESK_SMS_SPOOL").map(std::path::PathBuf::from),
            billing_url,
            sweep_seconds,
            request_timeout_seconds,
            api_rate,
            database_url,
            addr,
            secure_cookies,
            session_idle_minutes,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
        })
    }
}

/// `per client,per IP` requests per minute, each a number or `off`; `off` alone turns both
/// off.
fn parse_rate(text: &str) -> Option<crate::api::rate::RateSettings> {
    let one = |part: &str| -> Option<Option<u32>> {
        match part.trim() {
            "off" => Some(None),
            n => n
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .map(Some),
        }
    };
    let parts: Vec<&str> = text.split(',').collect();
    match parts.as_slice() {
        [all] if all.trim() == "off" => Some(crate::api::rate::RateSettings {
            per_client: None,
            per_ip: None,
        }),
        [client, ip] => Some(crate::api::rate::RateSettings {
            per_client: one(client)?,
            per_ip: one(ip)?,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_commands_parse() {
        use app::views::accounts::AccountAction;
        let args = |a: &[&str]| Command::from_args(a.iter().map(|s| s.to_string()));
        assert_eq!(
            args(&["account", "enable", "admin"]),
            Ok(Command::Account {
                action: AccountAction::Enable,
                username: "admin".into()
            })
        );
        assert_eq!(
            args(&["account", "reset-password", "agent"]),
            Ok(Command::Account {
                action: AccountAction::ResetPassword,
                username: "agent".into()
            })
        );
        assert!(args(&["account", "disable", "admin"]).is_err());
        assert!(args(&["account", "enable"]).is_err());
        assert!(args(&["account", "enable", "a", "b"]).is_err());
    }

    #[test]
    fn rate_limits_parse() {
        use crate::api::rate::RateSettings;
        assert_eq!(parse_rate("1200,6000"), Some(RateSettings::default()));
        assert_eq!(
            parse_rate("off"),
            Some(RateSettings {
                per_client: None,
                per_ip: None
            })
        );
        assert_eq!(
            parse_rate("30, off"),
            Some(RateSettings {
                per_client: Some(30),
                per_ip: None
            })
        );
        for bad in ["", "0,10", "10", "a,b", "1,2,3"] {
            assert_eq!(parse_rate(bad), None, "{bad}");
        }
    }

    #[test]
    fn database_schemes_are_classified() {
        assert!(matches!(
            DatabaseUrl::parse("sqlite://x.db"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u:p@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        let pg = DatabaseUrl::parse("postgres://u:secret@h/db").unwrap();
        assert!(!format!("{pg:?}").contains("secret"));
    }

    #[test]
    fn arguments() {
        let args = |a: &[&str]| Command::from_args(a.iter().map(|s| s.to_string()));
        assert_eq!(args(&[]), Ok(Command::Serve { demo: false }));
        assert_eq!(args(&["--demo"]), Ok(Command::Serve { demo: true }));
        assert_eq!(args(&["--help"]), Ok(Command::Help));
        assert!(args(&["--bogus"]).is_err());
    }
}

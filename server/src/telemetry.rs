//! Structured logging with `tracing`: text by default, JSON with `LOOPDESK_LOG_FORMAT=json`,
//! filtered by `RUST_LOG`. Secrets, tokens and message bodies are never logged.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (once; later calls are ignored).
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let json = std::env::var("LOOPDESK_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

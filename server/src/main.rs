//! The `server` binary: parse the command line, set up logging, run until stopped.

#![recursion_limit = "256"]

use std::process::ExitCode;

use server::config::{Command, Config};
use server::startup::Application;

#[tokio::main]
async fn main() -> ExitCode {
    let command = match Command::from_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("{message}\n\n{}", Config::HELP);
            return ExitCode::from(2);
        }
    };
    let demo = match command {
        Command::Serve { demo } => demo,
        Command::Simulate(options) => return simulate(options).await,
        Command::MigrateData { from, to } => return migrate_data(&from, &to).await,
        Command::AuditVerify => return audit_verify().await,
        Command::Account { action, username } => return account(action, &username).await,
        Command::Help => {
            println!("{}", Config::HELP);
            return ExitCode::SUCCESS;
        }
    };
    let config = match configured() {
        Ok(c) => c,
        Err(code) => return code,
    };
    match run(config, demo).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = ?e, "server stopped with an error");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logging on and the configuration read from the environment (exit code 2 when it is bad).
fn configured() -> Result<Config, ExitCode> {
    server::telemetry::init();
    Config::from_env().map_err(|e| {
        eprintln!("configuration error: {e}");
        ExitCode::from(2)
    })
}

async fn audit_verify() -> ExitCode {
    let config = match configured() {
        Ok(c) => c,
        Err(code) => return code,
    };
    match server::startup::audit_verify(&config).await {
        Ok(Ok(n)) => {
            println!("audit log intact: {n} entries verified");
            ExitCode::SUCCESS
        }
        Ok(Err(broken)) => {
            println!("audit log BROKEN at entry {}: {broken}", broken.id());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("audit verify failed: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn account(action: app::views::accounts::AccountAction, username: &str) -> ExitCode {
    let config = match configured() {
        Ok(c) => c,
        Err(code) => return code,
    };
    match server::startup::account_command(&config, action, username).await {
        Ok(Some(temporary)) => {
            println!("temporary password for {username} (shown once): {temporary}");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!("{username} enabled");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("account {username}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate_data(from: &str, to: &str) -> ExitCode {
    server::telemetry::init();
    match server::migrate_data::run(from, to).await {
        Ok(r) => {
            for (table, rows) in &r.tables {
                println!("  {table:<28} {rows:>10} rows");
            }
            println!(
                "copied {} rows of {} tables in {:.1} s; verified every table and {} ticket \
                 event chains in {:.1} s",
                r.rows(),
                r.tables.len(),
                r.copy_seconds,
                r.chains_verified,
                r.verify_seconds
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("migrate-data failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn simulate(options: server::simulate::SimOptions) -> ExitCode {
    server::telemetry::init();
    match server::simulate::run(&options).await {
        Ok(r) => {
            println!(
                "calls {} (abandoned {}), CTI events {} ({} errors), {:.1} events/s, \
                 latency p50 {:.1} ms, p99 {:.1} ms",
                r.calls, r.abandoned, r.events, r.errors, r.events_per_second, r.p50_ms, r.p99_ms
            );
            if r.errors == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("simulation failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config, demo: bool) -> anyhow::Result<()> {
    let app = Application::build(
        config,
        demo,
        std::sync::Arc::new(server::startup::SystemClock),
    )
    .await?;
    app.run_until_stopped().await
}

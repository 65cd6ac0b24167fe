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
    let Command::Serve { demo } = command else {
        println!("{}", Config::HELP);
        return ExitCode::SUCCESS;
    };
    server::telemetry::init();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
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

async fn run(config: Config, demo: bool) -> anyhow::Result<()> {
    let app = Application::build(
        config,
        demo,
        std::sync::Arc::new(server::startup::SystemClock),
    )
    .await?;
    app.run_until_stopped().await
}

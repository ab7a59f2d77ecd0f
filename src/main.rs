//! The `rapport` binary: parse the command line, then open the window or run a CLI command.

// No console window behind the app on Windows release builds.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser as _;
use rapport::cli::{self, Cli};
use rapport::store::Store;
use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RAPPORT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,rapport=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::debug!("{error:?}");
            eprintln!("rapport: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let db_path = match cli.db {
        Some(path) => path,
        None => cli::default_db_path()?,
    };
    match cli.command {
        None => rapport::app::run_window(db_path),
        Some(command) => {
            let mut store = Store::open(&db_path)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            cli::run(&mut store, command, &mut out)
        }
    }
}

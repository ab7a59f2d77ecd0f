//! The `rapport` binary: parse the command line, then open the window or run a CLI command.

// No console window behind the app on Windows release builds.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser as _;
use rapport::cli::{self, Cli};
use rapport::model::ContactId;
use rapport::store::Store;
use std::process::ExitCode;

fn main() -> ExitCode {
    let data_dir =
        directories::ProjectDirs::from("", "", "Rapport").map(|d| d.data_dir().to_path_buf());
    init_logging(data_dir.as_deref());
    install_panic_hook(data_dir.clone());
    let cli = Cli::parse();
    match run(cli, data_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::debug!("{error:?}");
            eprintln!("rapport: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr and to `rapport.log` in the data folder (RAPPORT_LOG sets the level).
fn init_logging(data_dir: Option<&std::path::Path>) {
    use tracing_subscriber::fmt::writer::MakeWriterExt as _;
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAPPORT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,rapport=info"));
    let file = data_dir.and_then(|dir| {
        std::fs::create_dir_all(dir).ok()?;
        let path = dir.join("rapport.log");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .ok()?;
        // Like the database: only its owner may read what Rapport logs.
        rapport::safety::make_private(&path);
        Some(file)
    });
    match file {
        Some(file) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(std::io::stderr.and(std::sync::Mutex::new(file)))
            .init(),
        None => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init(),
    }
}

/// A panic is written to the log and to a marker file; the next launch explains it.
fn install_panic_hook(data_dir: Option<std::path::PathBuf>) {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let backtrace = std::backtrace::Backtrace::force_capture();
        // Where it panicked and how it got there, not the panic's message: that may quote a
        // value (a name, a note) and crash reports carry none.
        let place = info
            .location()
            .map_or_else(|| "an unknown place".to_owned(), ToString::to_string);
        tracing::error!("panic at {place}\n{backtrace}");
        if let Some(dir) = &data_dir {
            let when = chrono::Local::now().format("%Y-%m-%d %H:%M");
            let marker = dir.join("last-crash.txt");
            let _ = std::fs::write(
                &marker,
                format!(
                    "At {when}: Rapport stopped at {place}.\nThe details are in {}.",
                    dir.join("rapport.log").display()
                ),
            );
            rapport::safety::make_private(&marker);
        }
        default_hook(info);
    }));
}

/// The last session's crash report, once (the marker is removed).
fn take_crash_report(data_dir: Option<&std::path::Path>) -> Option<String> {
    let marker = data_dir?.join("last-crash.txt");
    let text = std::fs::read_to_string(&marker).ok()?;
    let _ = std::fs::remove_file(&marker);
    Some(text)
}

fn run(cli: Cli, data_dir: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let chosen = cli.db.is_some();
    let location = cli::database_location(cli.db)?;
    let open_contact = cli.open_contact.map(ContactId);
    if open_contact.is_some() && cli.command.is_some() {
        anyhow::bail!("--open-contact opens the window at a contact; give it without a command.");
    }
    use rapport::cli::{Command, RemindCommand};
    if let Some(command) = &cli.command
        && cli::opens_database(command)
    {
        cli::unlock(&location)?;
    }
    match cli.command {
        None => open_window(location, chosen, open_contact, data_dir.as_deref()),
        Some(Command::Remind { once, setup: None }) => rapport::remind::run(&location, once),
        Some(Command::Remind {
            setup: Some(RemindCommand::Install),
            ..
        }) => say(rapport::remind::autostart::install(&location)?),
        Some(Command::Remind {
            setup: Some(RemindCommand::Uninstall),
            ..
        }) => say(rapport::remind::autostart::uninstall()?),
        Some(Command::Backup { output }) => {
            say(rapport::safety::backup(&location, output.as_deref())?)
        }
        Some(Command::Backups {
            erase_erased: false,
        }) => say(rapport::safety::list(&location)?),
        Some(Command::Backups { erase_erased: true }) => {
            say(rapport::safety::erase_erased_from_backups(&location)?)
        }
        Some(Command::Restore { file }) => say(rapport::safety::restore(&location, &file)?),
        Some(Command::Check) => say(rapport::safety::check(&location)?),
        Some(Command::Protect { remember }) => {
            cli::protect(&location, remember, &mut std::io::stdout().lock())
        }
        Some(Command::Unprotect) => cli::unprotect(&location, &mut std::io::stdout().lock()),
        Some(Command::InstallDesktop) => say(rapport::desktop::install()?),
        Some(Command::Team(rapport::cli::TeamCommand::Init { url, owner, login })) => {
            rapport::cli::team_init(
                &url,
                &owner,
                login.as_deref(),
                &mut std::io::stdout().lock(),
            )
        }
        Some(Command::Team(rapport::cli::TeamCommand::Login { url })) => rapport::cli::team_login(
            &url,
            &mut std::io::stdin().lock(),
            &mut std::io::stdout().lock(),
        ),
        Some(Command::Team(rapport::cli::TeamCommand::Logout { url })) => {
            rapport::cli::team_logout(&url, &mut std::io::stdout().lock())
        }
        Some(command) => {
            let mut store = Store::open_at(&location)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            cli::run(&mut store, command, &mut out)
        }
    }
}

/// The window, at `open_contact` when given; with `--open-contact` and a window already open
/// on the file, that window is asked to show the contact instead.
fn open_window(
    location: rapport::store::Location,
    chosen: bool,
    open_contact: Option<ContactId>,
    data_dir: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use rapport::remind::handoff::{Handed, open_contact_in_window};
    if let (Some(contact), Some(db)) = (open_contact, location.file())
        && open_contact_in_window(db, contact)? == Handed::ToWindow
    {
        return say(format!(
            "Rapport is already open on {}; its window shows contact {contact} now.",
            db.display()
        ));
    }
    rapport::app::run_window_at(location, chosen, take_crash_report(data_dir), open_contact)
        .inspect_err(|error| {
            // Started by a double-click there is no terminal: say it in a message box too.
            tracing::error!("the window could not start");
            let _ = rfd::MessageDialog::new()
                .set_level(rfd::MessageLevel::Error)
                .set_title("Rapport could not start")
                .set_description(format!(
                    "{error:#}\n\nThe details are in rapport.log in Rapport's data folder."
                ))
                .set_buttons(rfd::MessageButtons::Ok)
                .show();
        })
}

fn say(text: String) -> anyhow::Result<()> {
    println!("{text}");
    Ok(())
}

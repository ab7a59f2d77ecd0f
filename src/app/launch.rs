//! Opening the database without a frozen screen. Opening is quick, except the first
//! start after an update on a large file: Rapport then saves a copy and migrates the schema,
//! which took 18 s on a file with a million conversations, and no window appeared meanwhile.
//! The database is now opened on a thread; when it is not ready within a moment the window
//! shows what is happening until it is, then becomes the app. A team database is opened the
//! same way (a server can take seconds to answer, or to time out).
//!
//! A person who last worked in a team database whose password the system keychain holds
//! (`credentials`) is taken straight back to it at launch; when it cannot be reached, the local
//! file is opened instead and the status line says why.

use super::{Command, Prefs, RapportApp};
use crate::model::ContactId;
use crate::remind::handoff::Listener;
use crate::safety::InstanceLock;
use crate::store::{Location, Store, StoreError};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The outcome of opening: the store (or why not) and the lock that keeps a second Rapport
/// off the same file (none for a team database: its server serializes the writers).
pub type Opened = (Result<Store, StoreError>, Option<InstanceLock>);

/// A database being opened: already done, or still on its thread.
pub enum Opening {
    Done(Box<Opened>),
    Waiting(Receiver<Opened>),
}

impl Opening {
    /// Opens the database at `location` on a thread and waits `patience` for it: most open
    /// in milliseconds, and then the window starts with the data at once.
    pub fn start(location: Location, patience: Duration) -> Self {
        Self::spawn(move || open_for_window(&location), patience)
    }

    /// Opens the team database at `team`, or the file at `file` when it cannot be reached; the
    /// sentence saying so is left in `fallback`.
    fn start_team_or_file(team: Location, fallback: Fallback, patience: Duration) -> Self {
        Self::spawn(
            move || {
                let opened = open_for_window(&team);
                let Err(error) = &opened.0 else {
                    return opened;
                };
                tracing::warn!(
                    "could not open the team database {team} at launch: {}",
                    error.for_the_log()
                );
                let said = format!(
                    "The team database {team} could not be reached ({error}), so Rapport opened your local file; Team database… in the File menu connects again."
                );
                if let Ok(mut slot) = fallback.said.lock() {
                    *slot = Some(said);
                }
                open_for_window(&fallback.file)
            },
            patience,
        )
    }

    fn spawn(open: impl FnOnce() -> Opened + Send + 'static, patience: Duration) -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("open-database".to_owned())
            .spawn(move || {
                let _ = sender.send(open());
            });
        if let Err(e) = spawned {
            return Opening::Done(Box::new((Err(StoreError::Io(e)), None)));
        }
        match receiver.recv_timeout(patience) {
            Ok(opened) => Opening::Done(Box::new(opened)),
            Err(_) => Opening::Waiting(receiver),
        }
    }
}

/// The open that a window's launcher had not finished, with the crash report it had not shown:
/// handed back when the launcher is dropped before the file opened (the first window failed and
/// a second one, with another renderer, takes over), so the file is not opened twice.
pub struct Pending {
    pub opening: Opening,
    pub crash_report: Option<String>,
}

/// Where a launcher hands back what it had not used.
pub type Handback = std::rc::Rc<std::cell::RefCell<Option<Pending>>>;

/// A launch that tries the team database first: the local file it falls back on, and the
/// sentence the opening thread leaves there when it did.
#[derive(Clone)]
struct Fallback {
    file: Location,
    said: Arc<Mutex<Option<String>>>,
}

/// The team database to open at launch instead of the local file: the one the prefs remember,
/// with the password the system keychain holds for it (none without one: then the file opens
/// and the dialog asks, as before).
fn team_at_launch(prefs: &Prefs) -> Option<Location> {
    let remembered = Location::parse(prefs.team_database.as_deref()?);
    let Location::Team(_) = &remembered else {
        return None;
    };
    match crate::credentials::with_saved_password(&remembered) {
        Location::Team(url) if crate::credentials::has_password(&url) => Some(Location::Team(url)),
        _ => None,
    }
}

enum State {
    Opening {
        receiver: Receiver<Opened>,
        started: Instant,
    },
    Ready(Box<RapportApp>),
}

/// The window's app: the "opening your file" screen while the file opens, then Rapport.
pub struct Launcher {
    state: State,
    prefs: Prefs,
    location: Location,
    crash_report: Option<String>,
    handback: Option<Handback>,
    /// Frames left in which to check that the window fits the screen (the monitor's size is
    /// known only once the window is up).
    fit_checks_left: u8,
    /// The file to fall back on when this launch tries a team database first.
    fallback: Option<Fallback>,
}

impl Launcher {
    /// The launcher of a window on the database file at `db_path` (see `on`).
    pub fn new(
        ctx: &egui::Context,
        opening: Opening,
        prefs: Prefs,
        db_path: PathBuf,
        crash_report: Option<String>,
    ) -> Self {
        Self::on(ctx, opening, prefs, Location::File(db_path), crash_report)
    }

    /// The launcher of a window on the database at `location`, being opened by `opening`.
    pub fn on(
        ctx: &egui::Context,
        opening: Opening,
        prefs: Prefs,
        location: Location,
        crash_report: Option<String>,
    ) -> Self {
        Self::build(ctx, opening, prefs, location, crash_report, None)
    }

    fn build(
        ctx: &egui::Context,
        opening: Opening,
        prefs: Prefs,
        location: Location,
        crash_report: Option<String>,
        fallback: Option<Fallback>,
    ) -> Self {
        // The opening screen, and then the app, in the user's zoom and theme.
        prefs.apply(ctx);
        let mut launcher = Launcher {
            state: State::Opening {
                receiver: std::sync::mpsc::channel().1,
                started: Instant::now(),
            },
            prefs,
            location,
            crash_report,
            handback: None,
            fit_checks_left: 30,
            fallback,
        };
        match opening {
            Opening::Waiting(receiver) => {
                launcher.state = State::Opening {
                    receiver,
                    started: Instant::now(),
                }
            }
            Opening::Done(opened) => launcher.become_app(*opened),
        }
        launcher
    }

    /// Hands the unfinished open back to `slot` if this launcher is dropped before the file
    /// opened.
    pub fn handing_back_to(mut self, slot: Handback) -> Self {
        self.handback = Some(slot);
        self
    }

    /// The app, once the file is open.
    pub fn app(&self) -> Option<&RapportApp> {
        match &self.state {
            State::Ready(app) => Some(app),
            State::Opening { .. } => None,
        }
    }

    fn become_app(&mut self, opened: Opened) {
        let crash_report = self.crash_report.take();
        // The team database tried first could not be reached: the app is on the file.
        let fell_back = self.fallback.as_ref().and_then(|fallback| {
            let said = fallback.said.lock().ok()?.take()?;
            Some((fallback.file.clone(), said))
        });
        if let Some((file, _)) = &fell_back {
            self.location = file.clone();
        }
        let mut app = app_on(opened, &self.prefs, &self.location, crash_report);
        if let Some((_, said)) = fell_back {
            app.report(Ok(said));
        }
        self.state = State::Ready(app);
    }

    /// One frame: the opening screen, or the app.
    pub fn launcher_ui(&mut self, ui: &mut egui::Ui) {
        if self.fit_checks_left > 0 {
            self.fit_checks_left -= 1;
            if fit_to_screen(ui.ctx()) {
                self.fit_checks_left = 0;
            }
        }
        if let State::Opening { receiver, started } = &self.state {
            let elapsed = started.elapsed();
            match receiver.try_recv() {
                Ok(opened) => self.become_app(opened),
                Err(TryRecvError::Empty) => {
                    let name = crate::view::DatabaseName::of(Some(&self.location));
                    crate::ui::opening_screen(ui, &name, elapsed);
                    ui.ctx().request_repaint_after(Duration::from_millis(250));
                    return;
                }
                Err(TryRecvError::Disconnected) => {
                    let error = StoreError::Invalid(
                        "Opening the database stopped unexpectedly; the details are in rapport.log in Rapport's data folder."
                            .to_owned(),
                    );
                    self.become_app((Err(error), None));
                }
            }
        }
        if let State::Ready(app) = &mut self.state {
            app.frame_ui(ui);
        }
    }
}

/// Maximizes the window when it does not fit the screen: a 1366×768 laptop at 150 % has about
/// 910×512 points, and the first window's 1200×760 would run off it (a window the user sized
/// is remembered by eframe and fits already). Returns whether the screen's size was known.
pub fn fit_to_screen(ctx: &egui::Context) -> bool {
    let (monitor, outer) = ctx.input(|i| (i.viewport().monitor_size, i.viewport().outer_rect));
    let (Some(monitor), Some(outer)) = (monitor, outer) else {
        return false;
    };
    if monitor.x <= 0.0 || monitor.y <= 0.0 {
        return false;
    }
    // Room for a task bar or dock.
    if outer.width() > monitor.x || outer.height() > monitor.y - 32.0 {
        tracing::info!("the window does not fit the screen ({monitor:?}): maximizing it");
        ctx.send_viewport_cmd(egui::ViewportCommand::Maximized(true));
    }
    true
}

/// Rapport on the opened database (or on why it could not be opened).
fn app_on(
    (store, lock): Opened,
    prefs: &Prefs,
    location: &Location,
    crash_report: Option<String>,
) -> Box<RapportApp> {
    let mut app = RapportApp::with_store(store, prefs.clone());
    app.attach(location.clone(), lock, crash_report);
    Box::new(app)
}

impl Drop for Launcher {
    fn drop(&mut self) {
        if let (State::Opening { receiver, .. }, Some(slot)) = (&mut self.state, &self.handback) {
            let receiver = std::mem::replace(receiver, std::sync::mpsc::channel().1);
            *slot.borrow_mut() = Some(Pending {
                opening: Opening::Waiting(receiver),
                crash_report: self.crash_report.take(),
            });
        }
    }
}

impl eframe::App for Launcher {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.launcher_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        match &mut self.state {
            State::Ready(app) => eframe::App::save(app.as_mut(), storage),
            State::Opening { .. } => eframe::set_value(storage, super::PREFS_KEY, &self.prefs),
        }
    }
}

/// Opens a database for the window: a file with the single-window lock taken first, a team
/// database as it is (several windows on one is what a team database is for).
pub(super) fn open_for_window(location: &Location) -> Opened {
    match location {
        Location::File(db_path) => match crate::safety::lock_database(db_path) {
            Ok(lock) => {
                // A protected file whose passphrase the keychain keeps opens without asking.
                crate::credentials::unlock_from_keychain(db_path);
                (Store::open(db_path), Some(lock))
            }
            Err(error) => (Err(error), None),
        },
        Location::Team(_) => (Store::open_at(location), None),
    }
}

/// Opens the window on the database at `location`. If the database cannot be opened, the
/// window still opens and says why, so a double-click never fails silently; while a large file
/// is being prepared (a copy and an update after a new version), the window says so.
///
/// When the database was not `chosen` on the command line and the prefs remember a team
/// database whose password the system keychain holds, that database is opened instead, and
/// `location` only when it cannot be reached.
pub fn run_window(
    location: Location,
    chosen: bool,
    crash_report: Option<String>,
) -> anyhow::Result<()> {
    run_window_at(location, chosen, crash_report, None)
}

/// Like `run_window`, with `contact` selected when the window opens (`--open-contact`).
pub fn run_window_at(
    location: Location,
    chosen: bool,
    crash_report: Option<String>,
    contact: Option<ContactId>,
) -> anyhow::Result<()> {
    let patience = std::time::Duration::from_millis(300);
    let pending: Handback = std::rc::Rc::new(std::cell::RefCell::new(Some(Pending {
        opening: Opening::start(location.clone(), patience),
        crash_report,
    })));
    let title = crate::view::DatabaseName::of(Some(&location)).title();
    let icon = crate::ui::app_icon();
    let make_options = |renderer| eframe::NativeOptions {
        renderer,
        viewport: egui::ViewportBuilder::default()
            .with_title(title.clone())
            .with_app_id("rapport")
            .with_inner_size([1200.0, 760.0])
            .with_min_inner_size([760.0, 480.0])
            .with_icon(icon.clone()),
        ..Default::default()
    };
    let team_launch: std::cell::RefCell<Option<(Location, Fallback)>> = Default::default();
    let make_app = |cc: &eframe::CreationContext<'_>| -> Launcher {
        let mut prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, super::PREFS_KEY))
            .unwrap_or_default();
        // `--open-contact`: the window opens on that contact, as on one it remembered.
        if let Some(contact) = contact {
            prefs.selected_contact = Some(contact.0);
        }
        crate::ui::install_style(&cc.egui_ctx);
        // The prefs are known only now: a team database to go back to replaces the file's open
        // (decided once: a second window keeps the first one's choice).
        let undecided = team_launch.borrow().is_none();
        if !chosen
            && undecided
            && let Some(team) = team_at_launch(&prefs)
        {
            tracing::info!("opening the team database {team} remembered from last time");
            let fallback = Fallback {
                file: location.clone(),
                said: Arc::default(),
            };
            let mut slot = pending.borrow_mut();
            let crash_report = slot.take().and_then(|pending| pending.crash_report);
            *slot = Some(Pending {
                opening: Opening::start_team_or_file(team.clone(), fallback.clone(), patience),
                crash_report,
            });
            *team_launch.borrow_mut() = Some((team, fallback));
        }
        if let Some((team, fallback)) = team_launch.borrow().clone() {
            let Pending {
                opening,
                crash_report,
            } = pending.borrow_mut().take().unwrap_or_else(|| Pending {
                opening: Opening::start_team_or_file(team.clone(), fallback.clone(), patience),
                crash_report: None,
            });
            return Launcher::build(
                &cc.egui_ctx,
                opening,
                prefs,
                team,
                crash_report,
                Some(fallback),
            )
            .handing_back_to(pending.clone());
        }
        // A second window (the OpenGL retry below) takes over the first one's open if that
        // window's launcher handed it back, else opens the file again (the first window had
        // opened it and is gone with its lock).
        let Pending {
            opening,
            crash_report,
        } = pending.borrow_mut().take().unwrap_or_else(|| Pending {
            opening: Opening::start(location.clone(), patience),
            crash_report: None,
        });
        Launcher::on(&cc.egui_ctx, opening, prefs, location.clone(), crash_report)
            .handing_back_to(pending.clone())
    };
    let result = eframe::run_native(
        "Rapport",
        make_options(eframe::Renderer::Wgpu),
        Box::new(|cc| Ok(Box::new(make_app(cc)))),
    );
    if let Err(wgpu_error) = result {
        // Old GPUs and some virtual machines have no working Vulkan/Metal/DX12: try OpenGL.
        tracing::warn!("the wgpu renderer could not start ({wgpu_error}); retrying with OpenGL");
        eframe::run_native(
            "Rapport",
            make_options(eframe::Renderer::Glow),
            Box::new(|cc| Ok(Box::new(make_app(cc)))),
        )
        .map_err(|glow_error| {
            anyhow::anyhow!(
                "Rapport could not open a window: {wgpu_error}; with OpenGL: {glow_error}"
            )
        })?;
    }
    Ok(())
}

/// The handoff listener of the file this window holds (`remind::handoff`), or none when it
/// could not listen.
pub(super) struct Handoff {
    db: PathBuf,
    listener: Option<Listener>,
}

impl RapportApp {
    /// Takes what a second launch handed over while this window holds the file (`rapport
    /// --open-contact ID`, which a reminder's Open runs): opens the contact and brings the
    /// window forward. The listener follows the lock: it starts with the file's lock, moves
    /// when the window switches files, and stops while there is none (a team database).
    pub(super) fn poll_handoff(&mut self, ctx: &egui::Context) {
        let locked = self.lock.as_ref().map(|lock| lock.db.as_path());
        if self.handoff.as_ref().map(|h| h.db.as_path()) != locked {
            self.handoff = locked.map(|db| Handoff {
                db: db.to_path_buf(),
                listener: listen(db, ctx),
            });
        }
        let asked = match self.handoff.as_ref().and_then(|h| h.listener.as_ref()) {
            Some(listener) => listener.requests(),
            None => return,
        };
        if asked.is_empty() {
            return;
        }
        self.commands
            .extend(asked.into_iter().map(Command::OpenContact));
        ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
        ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
            egui::UserAttentionType::Informational,
        ));
    }
}

/// Listens for requests about the file at `db`; each asks the window for a frame.
fn listen(db: &std::path::Path, ctx: &egui::Context) -> Option<Listener> {
    let ctx = ctx.clone();
    Listener::start(db, move || ctx.request_repaint())
        .inspect_err(|e| {
            tracing::warn!("a second launch cannot hand requests to this window: {e:#}")
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_launcher_dropped_while_opening_hands_the_open_back() {
        let (sender, receiver) = std::sync::mpsc::channel();
        let slot: Handback = Default::default();
        let launcher = Launcher::new(
            &egui::Context::default(),
            Opening::Waiting(receiver),
            Prefs::default(),
            PathBuf::from("rapport.sqlite3"),
            Some("crashed at noon".to_owned()),
        )
        .handing_back_to(slot.clone());
        drop(launcher);
        let pending = slot.borrow_mut().take().expect("handed back");
        assert_eq!(pending.crash_report.as_deref(), Some("crashed at noon"));
        // The same open: what its thread sends still arrives.
        sender
            .send((Err(StoreError::Invalid("late".to_owned())), None))
            .unwrap();
        let Opening::Waiting(receiver) = pending.opening else {
            panic!("still waiting");
        };
        assert!(receiver.recv().unwrap().0.is_err());
    }

    #[test]
    fn a_team_database_that_could_not_be_reached_leaves_the_app_on_the_file_saying_so() {
        let fallback = Fallback {
            file: Location::File(PathBuf::from("rapport.sqlite3")),
            said: Arc::new(Mutex::new(Some(
                "The team database could not be reached, so Rapport opened your local file."
                    .to_owned(),
            ))),
        };
        let launcher = Launcher::build(
            &egui::Context::default(),
            Opening::Done(Box::new((Store::open_in_memory(), None))),
            Prefs::default(),
            Location::Team("postgres://ana:pw@server/shop".to_owned()),
            None,
            Some(fallback),
        );
        assert_eq!(launcher.location.to_string(), "rapport.sqlite3");
        let app = launcher.app().expect("the app");
        let status = app.view.status.as_ref().expect("a status line");
        assert!(
            status.text.contains("opened your local file"),
            "{}",
            status.text
        );
    }

    #[test]
    fn without_a_remembered_team_database_the_launch_opens_the_file() {
        assert!(team_at_launch(&Prefs::default()).is_none());
        let remembers_a_file = Prefs {
            team_database: Some("/home/ana/rapport.sqlite3".to_owned()),
            ..Prefs::default()
        };
        assert!(team_at_launch(&remembers_a_file).is_none());
    }

    #[test]
    fn a_launcher_that_became_the_app_hands_nothing_back() {
        let slot: Handback = Default::default();
        let opened: Opened = (Err(StoreError::Invalid("refused".to_owned())), None);
        let launcher = Launcher::new(
            &egui::Context::default(),
            Opening::Done(Box::new(opened)),
            Prefs::default(),
            PathBuf::from("rapport.sqlite3"),
            None,
        )
        .handing_back_to(slot.clone());
        assert!(launcher.app().is_some());
        drop(launcher);
        assert!(slot.borrow().is_none());
    }
}

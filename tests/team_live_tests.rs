//! The window on a team database, live: a teammate's logged conversation and ticked follow-up
//! appear in Ana's window within a second, without restarting; two people saving one contact
//! are merged (and told whose change was kept) or shown both values to choose from; a trash of
//! a contact changed since it was shown asks first; a lost connection is said in the status
//! bar, keeps what was typed in a form whose save failed, and comes back by itself.
//! Each test returns early when no PostgreSQL server is configured (see `fresh_team_url`).

use crate::common::{self, NOW, Window, at, fresh_team_url, selecting};
use egui::accesskit::Role;
use egui_kittest::{Harness, kittest::Queryable as _};
use rapport::app::{Command, MainView, RapportApp};
use rapport::model::{ContactDraft, ContactId, FollowUpDraft, Initiator, InteractionDraft};
use rapport::store::Store;
use rapport::store::team::TeamRole;
use std::time::{Duration, Instant};

type App = Harness<'static, RapportApp>;

/// Ana (whose window is tested) and Ben (her teammate, another program), members of a fresh
/// team database made by the server's administrator.
struct Team {
    url: String,
    ana: (String, String),
    ben: (String, String),
}

/// The team database's URL with another login and password in it.
fn signed_in_as(url: &str, (login, password): &(String, String)) -> String {
    let rest = url.split_once('@').map_or(url, |(_, rest)| rest);
    format!("postgres://{login}:{password}@{rest}")
}

/// The database's name, from its URL.
fn database_of(url: &str) -> String {
    let db = url.rsplit('/').next().unwrap_or("");
    db.split('?').next().unwrap_or(db).to_owned()
}

impl Team {
    fn new() -> Option<Self> {
        let url = fresh_team_url()?;
        let mut admin = Store::open_team(&url).unwrap();
        // Logins belong to the server, not the database: each test's are its own.
        let tail = database_of(&url).replace("rapport_test_", "");
        let ana = admin
            .add_person("Ana Lima", Some(&format!("ana_{tail}")), TeamRole::Member)
            .unwrap();
        let ben = admin
            .add_person("Ben Berg", Some(&format!("ben_{tail}")), TeamRole::Member)
            .unwrap();
        Some(Team { url, ana, ben })
    }

    fn ben(&self) -> Store {
        Store::open_team(&signed_in_as(&self.url, &self.ben)).unwrap()
    }

    /// Ana's window, showing `selected`, once its first background work is done.
    fn anas_window(&self, selected: Option<ContactId>) -> App {
        let store = Store::open_team(&signed_in_as(&self.url, &self.ana)).unwrap();
        let mut h = common::app_in(
            store,
            Window::of(1366.0, 768.0),
            selecting(selected.map(|id| id.0)),
        );
        step_until(
            &mut h,
            "the health pass finished",
            Duration::from_secs(30),
            |h| h.state().view.dashboard.health_progress.is_none(),
        );
        h.run();
        h
    }

    /// A connection as the server's administrator, to the server's own database.
    fn admin(&self) -> postgres::Client {
        let base = self.url.rsplit_once('/').unwrap().0;
        postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls).unwrap()
    }
}

/// Steps frames until `done` holds (work done on other threads, changes heard from the
/// server), at most `limit`; returns how long it took.
fn step_until(h: &mut App, what: &str, limit: Duration, done: impl Fn(&App) -> bool) -> Duration {
    let started = Instant::now();
    while !done(h) {
        assert!(started.elapsed() < limit, "timed out waiting until {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    started.elapsed()
}

fn maria(ben: &mut Store) -> ContactId {
    ben.create_contact(&ContactDraft {
        title: "Owner".into(),
        interests: "Sourdough".into(),
        ..ContactDraft::named("Maria García")
    })
    .unwrap()
}

/// Whether some text on screen contains `text`.
fn shows(h: &App, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn status(h: &App) -> String {
    h.state()
        .view
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Puts `text` in the text box labelled `label`, instead of what it held.
fn replace_text(h: &mut App, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

#[test]
fn a_teammates_conversation_appears_in_the_history_within_a_second() {
    let Some(team) = Team::new() else { return };
    let mut ben = team.ben();
    let maria = maria(&mut ben);
    let mut h = team.anas_window(Some(maria));
    assert!(shows(&h, "No conversations with Maria García"));

    ben.log_interaction(&InteractionDraft {
        summary: "Oven delivery on Friday".into(),
        ..InteractionDraft::new(at("2026-11-19 15:00"), maria)
    })
    .unwrap();
    let took = step_until(
        &mut h,
        "the conversation showed",
        Duration::from_secs(2),
        |h| shows(h, "Oven delivery on Friday"),
    );
    eprintln!("a teammate's conversation appeared after {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    h.run();
    assert!(
        shows(&h, "Logged by Ben Berg"),
        "the card says who logged it"
    );
    assert_eq!(h.state().view.selected.as_ref().unwrap().history.total, 1);

    // Ana's own conversation is hers: no "Logged by" on it.
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        Command::SaveConversation {
            id: None,
            draft: InteractionDraft {
                summary: "Tasting at the shop".into(),
                ..InteractionDraft::new(at(NOW), maria)
            },
        },
        &ctx,
    );
    h.run();
    assert!(shows(&h, "Tasting at the shop"));
    assert_eq!(h.query_all_by_label_contains("Logged by").count(), 1);
}

fn follow_up(contact: ContactId, text: &str) -> FollowUpDraft {
    FollowUpDraft {
        contact_id: contact,
        organization_id: None,
        interaction_id: None,
        text: text.into(),
        notes: String::new(),
        due_date: at(NOW).date(),
        due_time: None,
        promised_by: Initiator::Me,
        repeat: None,
    }
}

#[test]
fn a_follow_up_a_teammate_adds_or_ticks_off_updates_today() {
    let Some(team) = Team::new() else { return };
    let mut ben = team.ben();
    let maria = maria(&mut ben);
    let mut h = team.anas_window(Some(maria));
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(Command::ShowView(MainView::Today), &ctx);
    h.run();
    assert!(!shows(&h, "Send the price list"));

    let promise = ben
        .add_follow_up(&follow_up(maria, "Send the price list"))
        .unwrap();
    let took = step_until(
        &mut h,
        "the follow-up showed",
        Duration::from_secs(2),
        |h| shows(h, "Send the price list"),
    );
    eprintln!("a teammate's follow-up appeared in Today after {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(h.state().view.today.lists.today.len(), 1);
    assert!(shows(&h, "0 overdue, 1 due"));
    assert!(h.query_by_label("✔ Done").is_some());

    ben.complete_follow_up(promise, at(NOW)).unwrap();
    // (Its title stays in Maria's timeline, as kept.)
    let took = step_until(
        &mut h,
        "the ticked follow-up left",
        Duration::from_secs(2),
        |h| h.state().view.today.lists.today.is_empty(),
    );
    eprintln!("a teammate's ticked follow-up left Today after {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    h.run();
    assert!(!shows(&h, "0 overdue, 1 due"));
    assert!(
        h.query_by_label("✔ Done").is_none(),
        "nothing left to tick off"
    );
}

/// Opens the form on the shown contact and puts `title` in its Role.
fn edit_role(h: &mut App, title: &str) {
    h.get_by_label("✏ Edit").click();
    h.run();
    replace_text(h, "Role", title);
}

/// Ben saves Maria with `change` made to her as he reads her now.
fn ben_saves(ben: &mut Store, maria: ContactId, change: impl FnOnce(&mut ContactDraft)) {
    let mut draft = ben.contact(maria).unwrap().draft;
    change(&mut draft);
    ben.update_contact(maria, &draft).unwrap();
}

#[test]
fn two_people_editing_one_contact_merge_or_choose_in_the_window() {
    let Some(team) = Team::new() else { return };
    let mut ben = team.ben();
    let maria = maria(&mut ben);
    let mut h = team.anas_window(Some(maria));

    // Different fields: both kept, and the status line says whose came from whom.
    edit_role(&mut h, "Head baker");
    ben_saves(&mut ben, maria, |d| {
        d.interests = "Sourdough, cycling".into()
    });
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(
        status(&h),
        "Saved Maria García; kept Ben Berg's change to interests."
    );
    let saved = ben.contact(maria).unwrap().draft;
    assert_eq!(
        (saved.title.as_str(), saved.interests.as_str()),
        ("Head baker", "Sourdough, cycling")
    );
    // The save is a step like any: undone, Maria is as Ben left her.
    let ctx = h.ctx.clone();
    h.state_mut().apply(Command::Undo, &ctx);
    h.run();
    let undone = ben.contact(maria).unwrap().draft;
    assert_eq!(
        (undone.title.as_str(), undone.interests.as_str()),
        ("Owner", "Sourdough, cycling")
    );

    // The same field: both values shown, with whose they are; theirs chosen is what is saved.
    edit_role(&mut h, "Co-owner");
    ben_saves(&mut ben, maria, |d| d.title = "Master baker".into());
    h.get_by_label("Save").click();
    h.run();
    assert!(shows(
        &h,
        "Ben Berg saved Maria García while you were editing"
    ));
    assert!(h.query_by_label("Keep mine: Co-owner").is_some());
    assert!(h.query_by_label("Keep Ben Berg's: Master baker").is_some());
    assert_eq!(
        ben.contact(maria).unwrap().draft.title,
        "Master baker",
        "nothing written yet"
    );
    // Cancel goes back to the form, as typed.
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label("Keep mine: Co-owner").is_none());
    assert_eq!(
        h.state().view.contact_form.as_ref().unwrap().draft.title,
        "Co-owner"
    );
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label("Keep Ben Berg's: Master baker").click();
    h.run();
    h.get_by_label("Save with these choices").click();
    h.run();
    assert!(h.state().view.contact_form.is_none(), "saved and closed");
    assert_eq!(ben.contact(maria).unwrap().draft.title, "Master baker");
    assert_eq!(
        status(&h),
        "Saved Maria García; kept Ben Berg's change to title."
    );

    // And mine chosen: mine is saved.
    edit_role(&mut h, "Founder");
    ben_saves(&mut ben, maria, |d| d.title = "Baker-in-chief".into());
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label("Keep mine: Founder").click();
    h.run();
    h.get_by_label("Save with these choices").click();
    h.run();
    assert!(h.state().view.contact_form.is_none());
    assert_eq!(ben.contact(maria).unwrap().draft.title, "Founder");
    assert_eq!(status(&h), "Saved Maria García.");
}

#[test]
fn trashing_a_contact_changed_since_it_was_shown_asks_first() {
    let Some(team) = Team::new() else { return };
    let mut ben = team.ben();
    let maria = maria(&mut ben);
    let mut h = team.anas_window(Some(maria));
    let question = "Ben Berg changed Maria García since you opened it. Move to the trash anyway?";

    // Ben changes her, and Ana deletes her before her window has heard of it (a click takes
    // two frames, and the change may be heard in the first: the command is given at once).
    let ctx = h.ctx.clone();
    ben_saves(&mut ben, maria, |d| d.title = "Co-owner".into());
    h.state_mut().apply(Command::TrashContact(maria), &ctx);
    h.run();
    assert!(h.query_by_label(question).is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label(question).is_none());
    assert!(
        ben.contact(maria).unwrap().deleted_at.is_none(),
        "Cancel leaves her"
    );
    assert!(shows(&h, "Co-owner"), "and shows Ben's change");

    ben_saves(&mut ben, maria, |d| d.title = "Owner again".into());
    h.state_mut().apply(Command::TrashContact(maria), &ctx);
    h.run();
    h.get_by_label("Move to the trash").click();
    h.run();
    assert!(ben.contact(maria).unwrap().deleted_at.is_some());
    assert!(
        status(&h).starts_with("Moved Maria García to the trash"),
        "{}",
        status(&h)
    );
    // Undo brings her back, as Ben left her.
    h.state_mut().apply(Command::Undo, &ctx);
    h.run();
    let back = ben.contact(maria).unwrap();
    assert!(back.deleted_at.is_none());
    assert_eq!(back.draft.title, "Owner again");
}

/// Keeps Ana out of the database (as when the server is away) until dropped.
struct ServerAway<'a> {
    team: &'a Team,
}

impl<'a> ServerAway<'a> {
    /// Refuses new connections to the database and ends the ones there are.
    fn start(team: &'a Team) -> Self {
        let db = database_of(&team.url);
        let mut admin = team.admin();
        admin
            .batch_execute(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS false"))
            .unwrap();
        end_connections(&mut admin, &db, "");
        ServerAway { team }
    }
}

impl Drop for ServerAway<'_> {
    fn drop(&mut self) {
        let db = database_of(&self.team.url);
        self.team
            .admin()
            .batch_execute(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS true"))
            .unwrap();
    }
}

/// Ends the connections to `db` (those whose application name is not like `not_like`, when it
/// is given: the listener names itself), and waits until they are gone.
fn end_connections(admin: &mut postgres::Client, db: &str, not_like: &str) {
    let filter = match not_like {
        "" => String::new(),
        pattern => format!(" AND application_name NOT LIKE '{pattern}' AND usename LIKE 'ana_%'"),
    };
    let which = format!("datname = '{db}' AND pid <> pg_backend_pid(){filter}");
    admin
        .batch_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {which}"
        ))
        .unwrap();
    let started = Instant::now();
    while admin
        .query_one(
            &format!("SELECT count(*) FROM pg_stat_activity WHERE {which}"),
            &[],
        )
        .unwrap()
        .get::<_, i64>(0)
        > 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "connections ended"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Opens the conversation form on the shown contact and types a summary.
fn log_summary(h: &mut App, summary: &str) {
    h.get_by_label("📝 Log conversation").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Summary")
        .type_text(summary);
    h.run();
}

#[test]
fn a_lost_connection_is_said_keeps_what_was_typed_and_comes_back_by_itself() {
    let Some(team) = Team::new() else { return };
    let mut ben = team.ben();
    let maria = maria(&mut ben);
    let mut h = team.anas_window(Some(maria));
    assert!(shows(&h, "— connected as Ana Lima"));
    log_summary(&mut h, "Talked about the new oven");

    let away = ServerAway::start(&team);
    let took = step_until(&mut h, "the loss was said", Duration::from_secs(5), |h| {
        shows(h, "Connection to the team database lost")
    });
    eprintln!("a lost connection was said after {took:?}");
    h.get_by_label("Save").click();
    h.run();
    let form = h
        .state()
        .view
        .conversation_form
        .as_ref()
        .expect("the form stays open");
    assert_eq!(form.draft.summary, "Talked about the new oven");
    assert!(
        form.error.as_ref().unwrap().contains("Not saved"),
        "{:?}",
        form.error
    );
    assert!(shows(&h, "What you typed is kept"));
    // The window still shows what it read.
    assert!(shows(&h, "Maria García"));

    drop(away);
    let took = step_until(
        &mut h,
        "the connection came back",
        Duration::from_secs(20),
        |h| shows(h, "— connected as Ana Lima"),
    );
    eprintln!("the connection came back by itself {took:?} after the server let it in");
    h.run();
    assert!(!shows(&h, "Connection to the team database lost"));
    assert!(
        status(&h).starts_with("Connected to the team database again"),
        "{}",
        status(&h)
    );
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.state().view.conversation_form.is_none(),
        "saved this time"
    );
    // Ben's connection went with the server too.
    assert_eq!(team.ben().count_interactions(maria).unwrap(), 1);
    assert!(
        status(&h).starts_with("Saved the phone call of"),
        "{}",
        status(&h)
    );
}

/// Only the window's own connection goes (the listener still hears): the save that finds it
/// gone fails with the form kept, and the window connects again by itself.
#[test]
fn a_save_that_finds_the_connection_gone_keeps_the_form_and_the_window_reconnects() {
    let Some(team) = Team::new() else { return };
    let mut ben = team.ben();
    let maria = maria(&mut ben);
    let mut h = team.anas_window(Some(maria));
    log_summary(&mut h, "Asked about rye flour");
    end_connections(&mut team.admin(), &database_of(&team.url), "%listening%");

    h.get_by_label("Save").click();
    h.run();
    let form = h
        .state()
        .view
        .conversation_form
        .as_ref()
        .expect("the form stays open");
    assert_eq!(form.draft.summary, "Asked about rye flour");
    assert!(
        form.error.as_ref().unwrap().contains("Not saved"),
        "{:?}",
        form.error
    );
    let took = step_until(
        &mut h,
        "the window reconnected",
        Duration::from_secs(10),
        |h| status(h).starts_with("Connected to the team database again"),
    );
    eprintln!("the window's own connection came back after {took:?}");
    h.get_by_label("Save").click();
    h.run();
    assert!(h.state().view.conversation_form.is_none());
    assert_eq!(ben.count_interactions(maria).unwrap(), 1);

    // And a teammate's change is still heard.
    ben.log_interaction(&InteractionDraft {
        summary: "Rye flour ordered".into(),
        ..InteractionDraft::new(at("2026-11-19 16:00"), maria)
    })
    .unwrap();
    step_until(
        &mut h,
        "Ben's conversation showed",
        Duration::from_secs(2),
        |h| shows(h, "Rye flour ordered"),
    );
}

#[test]
fn the_private_choice_is_offered_on_a_team_database_only() {
    let Some(team) = Team::new() else { return };
    let mut ben = team.ben();
    let maria = maria(&mut ben);
    let mut h = team.anas_window(Some(maria));
    log_summary(&mut h, "Discount talk");
    h.get_by_label("Private (only you see it)").click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(
        ben.count_interactions(maria).unwrap(),
        0,
        "Ben does not see it"
    );
    let ana = h.state().store().unwrap();
    assert_eq!(ana.count_interactions(maria).unwrap(), 1);
    assert!(shows(&h, "🔒 Private"), "her card says so");

    h.get_by_label("✏ Edit").click();
    h.run();
    assert!(h.query_by_label("Private (only you see it)").is_some());

    // On a file there is nobody to hide from.
    let mut store = Store::open_in_memory().unwrap();
    let local = store
        .create_contact(&ContactDraft::named("Local Person"))
        .unwrap();
    let mut h = common::app_in(store, Window::of(1366.0, 768.0), selecting(Some(local.0)));
    h.run();
    h.get_by_label("📝 Log conversation").click();
    h.run();
    assert!(h.query_by_label("Private (only you see it)").is_none());
}

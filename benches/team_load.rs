//! A team under load: 20 client threads, each signed in as its own team member, for 60 s log
//! conversations and edit the same 50 contacts, while each also listens for the others'
//! changes. It checks, and prints:
//!
//! - lost updates: every acknowledged write must be in the database at the end (each edit
//!   appends a token of its own to a contact's notes; each conversation has a unique summary);
//! - conflicts: saves that met a newer version, merged or clashed (a clash is resolved by
//!   starting again from the newer version, as a person choosing would);
//! - how soon a client hears of another's conversation (p50 / p95 / max);
//! - with `--restart "COMMAND"` the server is restarted by that command halfway through: the
//!   clients reconnect by themselves and nothing acknowledged is lost.
//!
//! Loopback only: it connects to the server `PGHOST` names and refuses any other host.
//! Run: `PGHOST=localhost PGUSER=postgres PGPASSWORD=… cargo bench --bench team_load --
//! [--seconds 60] [--clients 20] [--restart "pg_ctlcluster 15 main restart"]`.

use rapport::model::three_way::Keep;
use rapport::model::{ContactDraft, ContactId, InteractionDraft};
use rapport::store::live::{ChangeListener, TeamChange};
use rapport::store::team::TeamRole;
use rapport::store::{Chosen, Saved, Store};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn server_url(db: &str, login: &str, password: &str) -> String {
    let host = std::env::var("PGHOST").unwrap_or_else(|_| "localhost".into());
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    format!("postgres://{login}:{password}@{host}:{port}/{db}?sslmode=disable")
}

#[derive(Default)]
struct Tally {
    saves: AtomicU64,
    merged: AtomicU64,
    clashes: AtomicU64,
    conversations: AtomicU64,
    reconnects: AtomicU64,
    failed_writes: AtomicU64,
}

/// What each client acknowledged, checked at the end.
#[derive(Default)]
struct Acknowledged {
    tokens: Vec<(ContactId, String)>,
    summaries: Vec<String>,
}

fn main() {
    let host = std::env::var("PGHOST").unwrap_or_default();
    if !["localhost", "127.0.0.1", "::1"].contains(&host.as_str()) {
        println!("team_load talks to a server on this machine only: set PGHOST=localhost.");
        return;
    }
    let seconds: u64 = arg("--seconds").and_then(|s| s.parse().ok()).unwrap_or(60);
    let clients: usize = arg("--clients").and_then(|s| s.parse().ok()).unwrap_or(20);
    let restart = arg("--restart");
    let admin_user = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
    let admin_password = std::env::var("PGPASSWORD").unwrap_or_default();
    let db = "rapport_load";
    {
        let mut admin = postgres::Client::connect(
            &server_url("postgres", &admin_user, &admin_password),
            postgres::NoTls,
        )
        .expect("connect as the server's admin");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
            .expect("drop");
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .expect("create");
    }
    let mut admin = Store::open_team(&server_url(db, &admin_user, &admin_password)).expect("open");
    let mut people = Vec::new();
    for i in 0..clients {
        let (login, password) = admin
            .add_person(
                &format!("Member {i}"),
                Some(&format!("load_member_{i}")),
                TeamRole::Member,
            )
            .expect("add a member");
        people.push(server_url(db, &login, &password));
    }
    let contacts: Vec<ContactId> = (0..50)
        .map(|i| {
            admin
                .create_contact(&ContactDraft::named(&format!("Shared Customer {i}")))
                .expect("contact")
        })
        .collect();
    println!(
        "{clients} clients, {seconds} s, 50 shared contacts, server restart: {}",
        restart.as_deref().unwrap_or("no")
    );

    let tally = Arc::new(Tally::default());
    let stop = Arc::new(AtomicBool::new(false));
    // When each conversation was acknowledged, by its id, and when others heard of it.
    let acked_at: Arc<Mutex<HashMap<i64, (usize, Instant)>>> = Arc::default();
    let heard: Arc<Mutex<Vec<(usize, i64, Instant)>>> = Arc::default();
    let mut workers = Vec::new();
    let mut listeners = Vec::new();
    // Everyone listens before anyone writes, and goes on listening a moment after the last
    // write, so every conversation can be heard by every other client.
    let connected = Arc::new(AtomicUsize::new(0));
    let stop_listening = Arc::new(AtomicBool::new(false));
    for (me, url) in people.iter().enumerate() {
        let (url, stop_here, connected, heard) = (
            url.clone(),
            stop_listening.clone(),
            connected.clone(),
            heard.clone(),
        );
        listeners.push(std::thread::spawn(move || {
            listen(me, &url, &stop_here, &connected, &heard)
        }));
    }
    let waiting = Instant::now();
    while connected.load(Ordering::SeqCst) < clients && waiting.elapsed().as_secs() < 20 {
        std::thread::sleep(Duration::from_millis(20));
    }
    for (me, url) in people.iter().enumerate() {
        let (url, tally, stop_here, acks, contacts) = (
            url.clone(),
            tally.clone(),
            stop.clone(),
            acked_at.clone(),
            contacts.clone(),
        );
        workers.push(std::thread::spawn(move || {
            client(me, &url, &contacts, &tally, &stop_here, &acks)
        }));
    }
    let began = Instant::now();
    if let Some(command) = &restart {
        std::thread::sleep(Duration::from_secs(seconds / 2));
        let restarted = Instant::now();
        let status = std::process::Command::new("sh")
            .args(["-c", command])
            .status();
        println!(
            "restarted the server at {:.0} s ({status:?}, {:.1} s)",
            began.elapsed().as_secs_f64(),
            restarted.elapsed().as_secs_f64()
        );
        std::thread::sleep(Duration::from_secs(
            seconds.saturating_sub(began.elapsed().as_secs()),
        ));
    } else {
        std::thread::sleep(Duration::from_secs(seconds));
    }
    stop.store(true, Ordering::SeqCst);
    let mut acknowledged = Acknowledged::default();
    for worker in workers {
        let mine = worker.join().expect("client thread");
        acknowledged.tokens.extend(mine.tokens);
        acknowledged.summaries.extend(mine.summaries);
    }
    std::thread::sleep(Duration::from_secs(1));
    stop_listening.store(true, Ordering::SeqCst);
    for listener in listeners {
        listener.join().expect("listener thread");
    }
    let latencies = latencies(
        &acked_at.lock().expect("acks"),
        &heard.lock().expect("heard"),
        clients,
    );
    // The admin's own connection did not live through a restart either.
    admin.reconnect().expect("reconnect the admin");
    report(&mut admin, &acknowledged, &tally, latencies);
}

/// One team member: edits a shared contact (appending a token to its notes) or logs a
/// conversation with one, as fast as the server allows, until told to stop.
fn client(
    me: usize,
    url: &str,
    contacts: &[ContactId],
    tally: &Tally,
    stop: &AtomicBool,
    acked_at: &Mutex<HashMap<i64, (usize, Instant)>>,
) -> Acknowledged {
    let mut store = loop {
        match Store::open_team(url) {
            Ok(store) => break store,
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    let mut acknowledged = Acknowledged::default();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let contact = contacts[fastrand::usize(..contacts.len())];
        let result = if n % 3 == 0 {
            let summary = format!("load c{me} n{n}");
            store
                .log_interaction(&InteractionDraft {
                    summary: summary.clone(),
                    ..InteractionDraft::new(chrono::Local::now().naive_local(), contact)
                })
                .map(|id| {
                    acked_at
                        .lock()
                        .expect("acks")
                        .insert(id.0, (me, Instant::now()));
                    tally.conversations.fetch_add(1, Ordering::Relaxed);
                    acknowledged.summaries.push(summary);
                })
        } else if n % 4 == 0 {
            // Another field than the notes: merges with a notes edit made meanwhile.
            set_interests(&mut store, contact, &format!("likes {me}.{n}"), tally)
        } else {
            let token = format!("[c{me}n{n}]");
            append_token(&mut store, contact, &token, tally)
                .map(|()| acknowledged.tokens.push((contact, token)))
        };
        if result.is_err() {
            tally.failed_writes.fetch_add(1, Ordering::Relaxed);
            if store.is_disconnected() {
                while !stop.load(Ordering::SeqCst) && store.reconnect().is_err() {
                    std::thread::sleep(Duration::from_millis(200));
                }
                tally.reconnects.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    acknowledged
}

/// Appends `token` to a contact's notes from the version just read; a clash (someone
/// appended meanwhile) starts again from theirs, as a person would after seeing both.
fn append_token(
    store: &mut Store,
    contact: ContactId,
    token: &str,
    tally: &Tally,
) -> rapport::store::Result<()> {
    let mut opened = store.contact(contact)?;
    loop {
        let mut draft = opened.draft.clone();
        draft.personal_notes = format!("{} {token}", draft.personal_notes)
            .trim()
            .to_owned();
        // Some edits also touch another field, so different-field merges happen too.
        if fastrand::u8(..4) == 0 {
            draft.title = format!("Title {token}");
        }
        // A person takes a moment between opening and saving.
        std::thread::sleep(Duration::from_millis(fastrand::u64(0..20)));
        tally.saves.fetch_add(1, Ordering::Relaxed);
        match store.save_contact(&opened, &draft, None)? {
            Saved::Saved => return Ok(()),
            Saved::Merged { .. } => {
                tally.merged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            Saved::Clash { current, .. } => {
                tally.clashes.fetch_add(1, Ordering::Relaxed);
                opened = *current;
            }
        }
    }
}

/// Sets a contact's interests from the version just read; on a clash over the same field this
/// person keeps theirs (their choice), anything else merges.
fn set_interests(
    store: &mut Store,
    contact: ContactId,
    text: &str,
    tally: &Tally,
) -> rapport::store::Result<()> {
    let opened = store.contact(contact)?;
    let mut draft = opened.draft.clone();
    draft.interests = text.to_owned();
    std::thread::sleep(Duration::from_millis(fastrand::u64(0..20)));
    tally.saves.fetch_add(1, Ordering::Relaxed);
    let mine = [("interests".to_owned(), Keep::Mine)];
    let mut chosen = None;
    loop {
        match store.save_contact(&opened, &draft, chosen)? {
            Saved::Merged { .. } => {
                tally.merged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            // The dialog: the person keeps theirs over the version it shows.
            Saved::Clash { current, .. } => {
                tally.clashes.fetch_add(1, Ordering::Relaxed);
                chosen = Some(Chosen {
                    against_version: current.version,
                    keep: &mine,
                });
            }
            Saved::Saved => return Ok(()),
        }
    }
}

/// Listens for the others' conversations and notes how long after their acknowledgement each
/// was heard; reconnects (and catches up from the change log) when the connection is lost.
fn listen(
    me: usize,
    url: &str,
    stop: &AtomicBool,
    connected: &AtomicUsize,
    heard: &Mutex<Vec<(usize, i64, Instant)>>,
) {
    let mut listener: Option<ChangeListener> = None;
    let mut last_id = 0;
    let mut first = true;
    let record = |changes: &[TeamChange], last_id: &mut i64| {
        let now = Instant::now();
        let mut heard = heard.lock().expect("heard");
        for change in changes {
            *last_id = (*last_id).max(change.id);
            if change.table == "interactions" && change.op == "INSERT" {
                heard.push((me, change.row, now));
            }
        }
    };
    while !stop.load(Ordering::SeqCst) {
        let Some(active) = listener.as_mut() else {
            listener = ChangeListener::connect(url).ok();
            match &listener {
                None => std::thread::sleep(Duration::from_millis(200)),
                Some(_) if first => {
                    first = false;
                    connected.fetch_add(1, Ordering::SeqCst);
                }
                // Back after a lost connection: what was notified meanwhile is in the log.
                Some(_) => {
                    if let Ok(missed) =
                        Store::open_team(url).and_then(|s| s.changes_since(last_id, 100_000))
                    {
                        record(&missed, &mut last_id);
                    }
                }
            }
            continue;
        };
        match active.wait(Duration::from_millis(200)) {
            Ok(changes) => record(&changes, &mut last_id),
            Err(_) => listener = None,
        }
    }
}

/// For every acknowledged conversation and every other client: how long after the
/// acknowledgement that client heard of it (zero when it heard first), and how many never did.
fn latencies(
    acked: &HashMap<i64, (usize, Instant)>,
    heard: &[(usize, i64, Instant)],
    clients: usize,
) -> (Vec<Duration>, usize) {
    let mut first: HashMap<(usize, i64), Instant> = HashMap::new();
    for (who, row, at) in heard {
        first.entry((*who, *row)).or_insert(*at);
    }
    let mut latencies = Vec::new();
    let mut unheard = 0;
    for (row, (author, acked_at)) in acked {
        for listener in (0..clients).filter(|c| c != author) {
            match first.get(&(listener, *row)) {
                Some(at) => latencies.push(at.saturating_duration_since(*acked_at)),
                None => unheard += 1,
            }
        }
    }
    (latencies, unheard)
}

fn report(
    admin: &mut Store,
    acknowledged: &Acknowledged,
    tally: &Tally,
    (mut heard, unheard): (Vec<Duration>, usize),
) {
    let mut lost = 0;
    let mut notes: HashMap<ContactId, String> = HashMap::new();
    for (contact, token) in &acknowledged.tokens {
        let text = notes.entry(*contact).or_insert_with(|| {
            admin
                .contact(*contact)
                .expect("contact")
                .draft
                .personal_notes
        });
        if !text.contains(token.as_str()) {
            lost += 1;
        }
    }
    let mut missing_talks = 0;
    for summary in &acknowledged.summaries {
        if admin
            .search_interactions(summary, 5)
            .expect("search")
            .is_empty()
        {
            missing_talks += 1;
        }
    }
    heard.sort();
    let pick = |q: usize| {
        heard
            .get(heard.len().saturating_sub(1) * q / 100)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "acknowledged edits {}, conversations {}",
        acknowledged.tokens.len(),
        acknowledged.summaries.len()
    );
    println!("lost updates: {lost} edits, {missing_talks} conversations");
    println!(
        "saves {}, met a newer version {} (merged {}, clashed and chosen {}), failed writes {}, reconnects {}",
        tally.saves.load(Ordering::Relaxed),
        tally.merged.load(Ordering::Relaxed) + tally.clashes.load(Ordering::Relaxed),
        tally.merged.load(Ordering::Relaxed),
        tally.clashes.load(Ordering::Relaxed),
        tally.failed_writes.load(Ordering::Relaxed),
        tally.reconnects.load(Ordering::Relaxed)
    );
    println!(
        "heard another's conversation: {} times ({unheard} never), p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        heard.len(),
        pick(50).as_secs_f64() * 1000.0,
        pick(95).as_secs_f64() * 1000.0,
        heard.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
    );
    if lost + missing_talks > 0 {
        println!("FAILED: acknowledged writes were lost");
        std::process::exit(1);
    }
}

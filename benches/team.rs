//! The team database next to the local file, measured in one run on the same 100,000 contacts
//! and 1,000,000 conversations:
//!
//! - move-in of the file ÷ a plain `COPY` of the same rows into the same tables (what moving in
//!   adds: search documents, identities, one transaction);
//! - the contacts panel's frame (redraw in place, jump through the list) on PostgreSQL ÷ on
//!   SQLite, driving the real `RapportApp` headlessly;
//! - search as you type, p50 / p95 of one keystroke, on both, against the 16 ms of one frame.
//!
//! Run: `PGHOST=localhost PGUSER=postgres PGPASSWORD=… cargo bench --bench team --
//! /tmp/big.sqlite3` on a file made by `rapport --db /tmp/big.sqlite3 demo --contacts 100000
//! --interactions 1000000`. Loopback only; it makes the database `rapport_bench` anew.

use rapport::app::{Prefs, RapportApp};
use rapport::store::Store;
use std::path::Path;
use std::time::{Duration, Instant};

fn url(db: &str) -> String {
    let host = std::env::var("PGHOST").unwrap_or_else(|_| "localhost".into());
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let user = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    format!("postgres://{user}:{password}@{host}:{port}/{db}?sslmode=disable")
}

fn fresh(db: &str) -> String {
    let mut admin = postgres::Client::connect(&url("postgres"), postgres::NoTls).expect("server");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .expect("drop");
    admin
        .batch_execute("DROP ROLE IF EXISTS rapport_bench_mara")
        .expect("drop the member of the last run");
    admin
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .expect("create");
    url(db)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        println!("Give the demo file: cargo bench --bench team -- /tmp/big.sqlite3");
        return;
    };
    if !["localhost", "127.0.0.1"].contains(&std::env::var("PGHOST").unwrap_or_default().as_str()) {
        println!(
            "Set PGHOST=localhost (and PGUSER, PGPASSWORD): this bench uses a local server only."
        );
        return;
    }
    let path = Path::new(&path);
    let local = Store::open(path).expect("open the file");
    println!(
        "{} contacts in {}",
        local.count_contacts("").expect("count"),
        path.display()
    );
    // `--again`: the team database of the last run, to measure frames and search only.
    let team_url = if std::env::args().any(|a| a == "--again") {
        url("rapport_bench")
    } else {
        move_in(path)
    };
    let team = Store::open_team(&team_url).expect("open the team database");
    frames(local, team);
    let local = Store::open(path).expect("open the file");
    let team = Store::open_team(&team_url).expect("open the team database");
    println!("search as the server's admin (row-level security does not apply):");
    search(&local, &team);
    let member = Store::open_team(&member_url(&team_url)).expect("open as a member");
    println!(
        "search as a team member with 2,000 private contacts of her own (row-level security applies):"
    );
    search(&local, &member);
}

/// Signs in as Mara, a member with 2,000 private contacts, made on the first run.
fn member_url(team_url: &str) -> String {
    let mut admin = Store::open_team(team_url).expect("team");
    let (login, password) = admin
        .add_person(
            "Mara Member",
            Some("rapport_bench_mara"),
            rapport::store::team::TeamRole::Member,
        )
        .expect("add a member");
    let rest = team_url.split_once('@').map_or(team_url, |(_, rest)| rest);
    let url = format!("postgres://{login}:{password}@{rest}");
    let mut mara = Store::open_team(&url).expect("sign in as the member");
    if mara.count_contacts("marianne").expect("count") == 0 {
        for n in 0..2_000 {
            let mut draft = rapport::model::ContactDraft::named(&format!("Marianne Private {n}"));
            draft.private = true;
            mara.create_contact(&draft).expect("a private contact");
        }
    }
    url
}

/// Move-in, then the same rows by plain COPY into a second empty database.
fn move_in(path: &Path) -> String {
    let team_url = fresh("rapport_bench");
    let mut team = Store::open_team(&team_url).expect("team");
    let began = Instant::now();
    let moved = team.move_in(path, false).expect("move in");
    let move_in = began.elapsed();
    let plain_url = fresh("rapport_bench_copy");
    let mut plain = Store::open_team(&plain_url).expect("plain");
    let began = Instant::now();
    let copied = plain.copy_rows_only(path).expect("copy");
    let copy = began.elapsed();
    // What autovacuum would do over the next minutes, done now so it does not run during the
    // measurements below (it took a core: SQLite's own search p95 doubled).
    drop(plain);
    let mut admin = postgres::Client::connect(&url("postgres"), postgres::NoTls).expect("server");
    admin
        .batch_execute("DROP DATABASE rapport_bench_copy")
        .expect("drop the copy");
    let mut bench = postgres::Client::connect(&team_url, postgres::NoTls).expect("team");
    bench.batch_execute("VACUUM (ANALYZE)").expect("vacuum");
    println!(
        "move-in {} rows: {:.1} s; plain COPY of the same {} rows: {:.1} s; move-in ÷ COPY {:.2}",
        moved.total(),
        move_in.as_secs_f64(),
        copied,
        copy.as_secs_f64(),
        move_in.as_secs_f64() / copy.as_secs_f64()
    );
    team_url
}

fn raw_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    }
}

/// p50 / p95 frame times of the contacts panel: redrawing, and jumping to a new place each frame.
fn panel(store: Store) -> [(Duration, Duration); 2] {
    let now =
        chrono::NaiveDateTime::parse_from_str("2026-11-20 09:00", "%Y-%m-%d %H:%M").expect("time");
    let mut app = RapportApp::with_store_at(Ok(store), Prefs::default(), Some(now));
    let ctx = egui::Context::default();
    rapport::ui::install_style(&ctx);
    let mut run = |jump: bool| {
        for _ in 0..5 {
            let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
        }
        let mut times: Vec<Duration> = (0..60)
            .map(|i| {
                if jump {
                    let total = app.view.contacts.total.max(1);
                    app.view.selected_row = Some((i * 7919) % total);
                    app.view.scroll_to_selected = true;
                }
                let began = Instant::now();
                let mut out = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
                out.textures_delta.clear();
                began.elapsed()
            })
            .collect();
        times.sort();
        (times[times.len() / 2], times[times.len() * 95 / 100])
    };
    [run(false), run(true)]
}

fn frames(local: Store, team: Store) {
    let [sqlite_redraw, sqlite_jump] = panel(local);
    let [pg_redraw, pg_jump] = panel(team);
    for (what, s, p) in [
        ("redraw", sqlite_redraw, pg_redraw),
        ("jump", sqlite_jump, pg_jump),
    ] {
        println!(
            "contacts panel {what:<6} SQLite p50 {:.3} p95 {:.3} ms | PostgreSQL p50 {:.3} p95 {:.3} ms | PostgreSQL ÷ SQLite (p50) {:.2}",
            ms(s.0),
            ms(s.1),
            ms(p.0),
            ms(p.1),
            p.0.as_secs_f64() / s.0.as_secs_f64()
        );
    }
}

fn keystroke(run: &dyn Fn() -> usize) -> (Duration, Duration, usize) {
    run();
    let mut times: Vec<Duration> = (0..40)
        .map(|_| {
            let began = Instant::now();
            run();
            began.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100], run())
}

fn search(local: &Store, team: &Store) {
    let mut worst = [Duration::ZERO; 2];
    for (kind, word) in [
        ("notes", "delivery"),
        ("notes", "prices"),
        ("contacts", "maria"),
        ("contacts", "james"),
    ] {
        for letters in 1..=4 {
            let typed = &word[..letters];
            let mut line = format!("{kind:<8} {typed:<5}");
            for (i, store) in [local, team].into_iter().enumerate() {
                let (p50, p95, found) = if kind == "notes" {
                    keystroke(&|| store.search_interactions(typed, 50).expect("search").len())
                } else {
                    // Each keystroke a new text (a trailing space changes nothing but the
                    // text), so the store's remembered count of the last one does not help.
                    let flip = std::cell::Cell::new(false);
                    keystroke(&|| {
                        flip.set(!flip.get());
                        let text = if flip.get() {
                            format!("{typed} ")
                        } else {
                            typed.to_owned()
                        };
                        let total = store.count_contacts(&text).expect("count");
                        store.contact_rows(&text, 0, 60).expect("rows");
                        total
                    })
                };
                worst[i] = worst[i].max(p95);
                let engine = ["SQLite", "PostgreSQL"][i];
                line.push_str(&format!(
                    " | {engine} p50 {:>7.3} p95 {:>7.3} ms ({found})",
                    ms(p50),
                    ms(p95)
                ));
            }
            println!("{line}");
        }
    }
    println!(
        "search worst p95: SQLite {:.3} ms, PostgreSQL {:.3} ms (one frame is 16.7 ms)",
        ms(worst[0]),
        ms(worst[1])
    );
}

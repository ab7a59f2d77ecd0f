//! Frame-time benchmarks that drive the real `RapportApp` headlessly (egui without a GPU) and
//! print ratios measured in one run:
//!
//! - contacts panel: 100,000 contacts ÷ 100 contacts, redrawing in place and jumping through the
//!   list (each jump needs a new window of rows from SQLite);
//! - timeline and history panels: a contact with 10,000 conversations ÷ one with 10;
//! - the dashboard: 100,000 contacts with 300,000 conversations ÷ 100 with 300, plus how long
//!   judging everyone's health and filling the dashboard take (off the frame loop in the app);
//! - the 100k list in a database file with a photo on every contact ÷ the same file without.
//!
//! Run with `cargo bench --bench frame` (add `-- --quick` for fewer frames). `-- --tags`: only
//! what the tags cost a selection and a list refresh on 100,000 contacts (half of them tagged),
//! before (every tag's contacts counted each time) and now (names only; counted when shown),
//! on a file and, with `PGHOST=localhost` (and PGUSER, PGPASSWORD), on a team database.

use chrono::NaiveDateTime;
use rapport::app::{Prefs, RapportApp};
use rapport::model::ContactDraft;
use rapport::store::Store;
use std::time::{Duration, Instant};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("valid time")
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

/// Median and 95th percentile of per-frame CPU time.
fn frames(
    app: &mut RapportApp,
    ctx: &egui::Context,
    count: usize,
    mut before: impl FnMut(&mut RapportApp, usize),
) -> (Duration, Duration) {
    // Warm up: fonts, caches, first fetch.
    for _ in 0..5 {
        let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
    }
    let mut times = Vec::with_capacity(count);
    for i in 0..count {
        before(app, i);
        let started = Instant::now();
        let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
        times.push(started.elapsed());
    }
    times.sort();
    (times[count / 2], times[count * 95 / 100])
}

fn app_with_contacts(n: usize) -> RapportApp {
    let mut store = Store::open_in_memory().expect("memory store");
    rapport::demo::fill(&mut store, n, 0, at("2026-11-20 09:00"), |_, _| {}).expect("demo data");
    RapportApp::with_store_at(Ok(store), Prefs::default(), Some(at("2026-11-20 09:00")))
}

/// The app on the database file at `path`.
fn app_on_file(path: &std::path::Path) -> RapportApp {
    let store = Store::open(path).expect("file store");
    RapportApp::with_store_at(Ok(store), Prefs::default(), Some(at("2026-11-20 09:00")))
}

/// `n` demo contacts in a new database file at `path`.
fn file_with_contacts(path: &std::path::Path, n: usize) {
    let mut store = Store::open(path).expect("file store");
    rapport::demo::fill(&mut store, n, 0, at("2026-11-20 09:00"), |_, _| {}).expect("demo data");
}

/// Gives every contact in the file at `path` a photo (a 64 px PNG, stored with its 48 px
/// thumbnail): the list then draws a thumbnail texture on every row.
fn add_photos(path: &std::path::Path, n: usize) {
    let mut store = Store::open(path).expect("file store");
    let image =
        image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 4, y as u8 * 4, 128]));
    let mut png = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("png");
    let ids: Vec<_> = store
        .contact_rows("", 0, n)
        .expect("rows")
        .into_iter()
        .map(|row| row.id)
        .collect();
    for id in ids {
        store.set_photo(id, png.get_ref()).expect("photo");
    }
}

/// How long after a jump the rows on screen have their thumbnails (frames drawn as the
/// window would, with the thread's repaints).
fn settle(app: &mut RapportApp, ctx: &egui::Context) -> Duration {
    let started = Instant::now();
    loop {
        let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
        if !app.view.photos.has_wanted() || started.elapsed() > Duration::from_secs(2) {
            return started.elapsed();
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn app_with_one_contact_and(conversations: usize) -> RapportApp {
    let mut store = Store::open_in_memory().expect("memory store");
    let id = store
        .create_contact(&ContactDraft::named("Maria García"))
        .expect("contact");
    let mut generator = rapport::demo::DemoGenerator::new(7, at("2026-11-20 09:00"));
    {
        let mut writer = store.bulk().expect("bulk");
        for _ in 0..conversations {
            writer
                .add_interaction(&generator.interaction(vec![id]))
                .expect("conversation");
        }
        writer.commit().expect("commit");
    }
    let prefs = Prefs {
        selected_contact: Some(id.0),
        ..Prefs::default()
    };
    RapportApp::with_store_at(Ok(store), prefs, Some(at("2026-11-20 09:00")))
}

/// An app on `contacts` demo contacts with `conversations` conversations, and how long judging
/// everyone's relationship health took on that data.
fn app_with_history(contacts: usize, conversations: usize) -> (RapportApp, Duration) {
    let now = at("2026-11-20 09:00");
    let mut store = Store::open_in_memory().expect("memory store");
    rapport::demo::fill(&mut store, contacts, conversations, now, |_, _| {}).expect("demo data");
    let started = Instant::now();
    store.refresh_all_health(now, |_, _| true).expect("health");
    let judged = started.elapsed();
    (
        RapportApp::with_store_at(Ok(store), Prefs::default(), Some(now)),
        judged,
    )
}

/// The 100k list in a database file, without and then with a photo on every contact (the
/// thumbnails of the rows that stay on screen are read after the frame).
fn photo_section(ctx: &egui::Context, count: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain_path = dir.path().join("plain.sqlite3");
    let photos_path = dir.path().join("photos.sqlite3");
    file_with_contacts(&plain_path, 100_000);
    file_with_contacts(&photos_path, 100_000);
    add_photos(&photos_path, 100_000);
    let mut plain = app_on_file(&plain_path);
    let mut photos = app_on_file(&photos_path);
    let _ = settle(&mut photos, ctx);
    // Rounds taken in turn, so a slow spell of the machine falls on both.
    let (mut still, mut jumps) = (Vec::new(), Vec::new());
    for _ in 0..4 {
        let plain_still = frames(&mut plain, ctx, count / 2, |_, _| {});
        let photo_still = frames(&mut photos, ctx, count / 2, |_, _| {});
        let plain_jump = frames(&mut plain, ctx, count / 2, jump);
        let photo_jump = frames(&mut photos, ctx, count / 2, jump);
        still.push((plain_still.0, photo_still.0));
        jumps.push((plain_jump.0, photo_jump.0));
    }
    let settled = settle(&mut photos, ctx);
    let median = |pairs: &mut Vec<(Duration, Duration)>,
                  pick: fn(&(Duration, Duration)) -> Duration| {
        let mut values: Vec<Duration> = pairs.iter().map(pick).collect();
        values.sort();
        values[values.len() / 2]
    };
    let ratios = |pairs: &[(Duration, Duration)]| -> Vec<String> {
        pairs
            .iter()
            .map(|(a, b)| format!("{:.2}", ratio(*b, *a)))
            .collect()
    };
    println!(
        "contacts with photos 100k (files, 4 rounds in turn, medians): redraw {:.3} ms ÷ {:.3} ms without photos, jump-scroll {:.3} ms ÷ {:.3} ms; ratios by round: redraw {:?}, jump {:?}; thumbnails on screen {:.1} ms after the last jump",
        ms(median(&mut still, |p| p.1)),
        ms(median(&mut still, |p| p.0)),
        ms(median(&mut jumps, |p| p.1)),
        ms(median(&mut jumps, |p| p.0)),
        ratios(&still),
        ratios(&jumps),
        ms(settled)
    );
}

/// Frame `i` of a jump-scroll: a row far from the last one is selected and scrolled to.
fn jump(app: &mut RapportApp, i: usize) {
    let total = app.view.contacts.total.max(1);
    app.view.selected_row = Some((i * 7919) % total);
    app.view.scroll_to_selected = true;
}

fn ratio(big: Duration, small: Duration) -> f64 {
    big.as_secs_f64() / small.as_secs_f64().max(1e-9)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    // `-- --photos`: only the list with photos.
    let photos_only = std::env::args().any(|a| a == "--photos");
    let count = if quick { 60 } else { 300 };
    let ctx = egui::Context::default();
    rapport::ui::install_style(&ctx);

    println!("Rapport frame benchmark ({count} frames each, CPU time per frame, median / p95)");
    if photos_only {
        photo_section(&ctx, count);
        return;
    }
    if std::env::args().any(|a| a == "--tags") {
        tags_section(&ctx);
        return;
    }
    let mut small = app_with_contacts(100);
    let mut large = app_with_contacts(100_000);
    let still_small = frames(&mut small, &ctx, count, |_, _| {});
    let still_large = frames(&mut large, &ctx, count, |_, _| {});
    let jump_small = frames(&mut small, &ctx, count, jump);
    let jump_large = frames(&mut large, &ctx, count, jump);
    println!(
        "contacts redraw      100: {:>8.3} ms / {:>8.3} ms   100k: {:>8.3} ms / {:>8.3} ms   ratio (median) {:.2}",
        ms(still_small.0),
        ms(still_small.1),
        ms(still_large.0),
        ms(still_large.1),
        ratio(still_large.0, still_small.0)
    );
    println!(
        "contacts jump-scroll 100: {:>8.3} ms / {:>8.3} ms   100k: {:>8.3} ms / {:>8.3} ms   ratio (median) {:.2}, (p95) {:.2}",
        ms(jump_small.0),
        ms(jump_small.1),
        ms(jump_large.0),
        ms(jump_large.1),
        ratio(jump_large.0, jump_small.0),
        ratio(jump_large.1, jump_small.1)
    );

    photo_section(&ctx, count);

    // Search as you type over 100k contacts: what one keystroke costs (count + first page).
    if let Some(store) = large.store() {
        for typed in ["m", "ma", "mar", "mari", "maria g"] {
            let mut times = Vec::new();
            for _ in 0..20 {
                let started = Instant::now();
                let total = store.count_contacts(typed).expect("count");
                let rows = store.contact_rows(typed, 0, 60).expect("rows");
                times.push(started.elapsed());
                assert!(rows.len() <= total);
            }
            times.sort();
            println!(
                "search {typed:<8} over 100k contacts: median {:>7.3} ms, max {:>7.3} ms ({} matches)",
                ms(times[times.len() / 2]),
                ms(times[times.len() - 1]),
                store.count_contacts(typed).expect("count")
            );
        }
    }

    // The Today view's lists at 100k contacts (computed when it opens or data changes, never
    // per frame).
    if let Some(store) = large.store() {
        let now = at("2026-11-20 09:00");
        let started = Instant::now();
        let open = store
            .open_follow_ups_until(now.date() + chrono::Duration::days(7))
            .expect("due");
        let cold =
            rapport::insight::going_cold(&store.cadence_rows().expect("cadence"), now.date());
        let ledger = store.promise_counts(None, now).expect("ledger");
        println!(
            "today lists at 100k contacts: {:>7.1} ms ({} due, {} going cold, {} kept)",
            ms(started.elapsed()),
            open.len(),
            cold.len(),
            ledger.mine_kept
        );
    }

    // The dashboard: lists computed once when it opens (a thread in the app; here inline, timed),
    // then every frame draws the cached lists.
    let (mut dash_small, health_small) = app_with_history(100, 300);
    let (mut dash_large, health_large) = app_with_history(100_000, 300_000);
    let open_dashboard = |app: &mut RapportApp| {
        let started = Instant::now();
        app.apply(
            rapport::app::Command::ShowView(rapport::app::MainView::Dashboard),
            &ctx,
        );
        started.elapsed()
    };
    let open_small = open_dashboard(&mut dash_small);
    let open_large = open_dashboard(&mut dash_large);
    let dashboard_small = frames(&mut dash_small, &ctx, count, |_, _| {});
    let dashboard_large = frames(&mut dash_large, &ctx, count, |_, _| {});
    println!(
        "dashboard frame      100: {:>8.3} ms / {:>8.3} ms   100k: {:>8.3} ms / {:>8.3} ms   ratio (median) {:.2}",
        ms(dashboard_small.0),
        ms(dashboard_small.1),
        ms(dashboard_large.0),
        ms(dashboard_large.1),
        ratio(dashboard_large.0, dashboard_small.0)
    );
    println!(
        "dashboard lists (once, off the frame loop): 100: {:>7.1} ms, 100k: {:>7.1} ms; health of everyone: 100: {:>7.1} ms, 100k: {:>7.1} ms ({} need attention)",
        ms(open_small),
        ms(open_large),
        ms(health_small),
        ms(health_large),
        dash_large.view.dashboard.attention_total
    );
    drop(dash_large);

    let mut few = app_with_one_contact_and(10);
    let mut many = app_with_one_contact_and(10_000);
    let timeline_few = frames(&mut few, &ctx, count, |_, _| {});
    let timeline_many = frames(&mut many, &ctx, count, |_, _| {});
    println!(
        "timeline+history      10: {:>8.3} ms / {:>8.3} ms    10k: {:>8.3} ms / {:>8.3} ms   ratio (median) {:.2}",
        ms(timeline_few.0),
        ms(timeline_few.1),
        ms(timeline_many.0),
        ms(timeline_many.1),
        ratio(timeline_many.0, timeline_few.0)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The tag read as it was before every selection and list refresh: each tag's live contacts
/// counted by a subquery.
const TAGS_COUNTED_BEFORE: &str = "SELECT t.name, t.color, t.cadence_days,
        (SELECT COUNT(*) FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
         WHERE ct.tag_id = t.id AND c.deleted_at IS NULL)
     FROM tags t ORDER BY t.name";

/// Median of `n` runs of `run`.
fn median(n: usize, mut run: impl FnMut(usize)) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|i| {
            let started = Instant::now();
            run(i);
            started.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

/// Selecting a contact and refreshing the list on 100k contacts with tags, before and now.
fn tags_section(ctx: &egui::Context) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tags.sqlite3");
    file_with_contacts(&path, 100_000);
    let sqlite = rusqlite::Connection::open(&path).expect("the file");
    let old = || {
        let mut stmt = sqlite
            .prepare_cached(TAGS_COUNTED_BEFORE)
            .expect("old query");
        let rows = stmt.query_map((), |r| r.get::<_, i64>(3)).expect("rows");
        rows.count()
    };
    tags_on("SQLite file", app_on_file(&path), ctx, old);
    let host = std::env::var("PGHOST").unwrap_or_default();
    if !["localhost", "127.0.0.1"].contains(&host.as_str()) {
        println!("(set PGHOST=localhost, PGUSER and PGPASSWORD for the team database too)");
        return;
    }
    let user = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let url = |db: &str| format!("postgres://{user}:{password}@{host}:{port}/{db}?sslmode=disable");
    let mut admin = postgres::Client::connect(&url("postgres"), postgres::NoTls).expect("server");
    admin
        .batch_execute("DROP DATABASE IF EXISTS rapport_bench_tags")
        .expect("drop");
    admin
        .batch_execute("CREATE DATABASE rapport_bench_tags")
        .expect("create");
    let team_url = url("rapport_bench_tags");
    let mut team = Store::open_team(&team_url).expect("team");
    team.move_in(&path, false).expect("move in");
    let mut pg = postgres::Client::connect(&team_url, postgres::NoTls).expect("team");
    pg.batch_execute("VACUUM (ANALYZE)").expect("vacuum");
    let pg = std::cell::RefCell::new(pg);
    let old = || {
        pg.borrow_mut()
            .query(TAGS_COUNTED_BEFORE, &[])
            .expect("old query")
            .len()
    };
    let app = RapportApp::with_store_at(Ok(team), Prefs::default(), Some(at("2026-11-20 09:00")));
    tags_on("PostgreSQL team database", app, ctx, old);
}

fn tags_on(engine: &str, mut app: RapportApp, ctx: &egui::Context, old: impl Fn() -> usize) {
    let ids: Vec<_> = app
        .store()
        .expect("store")
        .contact_rows("", 0, 200)
        .expect("rows")
        .iter()
        .map(|r| r.id)
        .collect();
    let (tags, before_read, names_only, counted) = {
        let store = app.store().expect("store");
        (
            store.tags().expect("tags").len(),
            median(15, |_| assert!(old() > 0)),
            median(15, |_| assert!(!store.tags().expect("tags").is_empty())),
            median(15, |_| {
                assert!(!store.tags_counted().expect("counted").is_empty())
            }),
        )
    };
    let select = median(41, |i| {
        app.apply(
            rapport::app::Command::SelectContact(ids[i % ids.len()]),
            ctx,
        )
    });
    let refresh = median(41, |_| app.apply(rapport::app::Command::SearchChanged, ctx));
    let before = |now: Duration| now.saturating_sub(names_only) + before_read;
    println!(
        "{engine}, 100k contacts, {tags} tags: tags read before {:>7.2} ms, names only now {:>6.3} ms, counted when shown {:>7.2} ms",
        ms(before_read),
        ms(names_only),
        ms(counted)
    );
    println!(
        "  select a contact: before {:>7.2} ms, now {:>7.2} ms;  list refresh: before {:>7.2} ms, now {:>7.2} ms",
        ms(before(select)),
        ms(select),
        ms(before(refresh)),
        ms(refresh)
    );
}

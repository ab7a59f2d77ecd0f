//! What encryption at rest costs: the same demo data written into two database files in a
//! temporary folder, one plain and one protected with a passphrase (SQLCipher), then measured
//! on both in one run, alternating, each figure printed with its encrypted ÷ plain ratio:
//!
//! - opening an existing file (`Store::open`; SQLCipher derives the key from the passphrase,
//!   PBKDF2 with 256,000 rounds, once per connection — not per query), and the key derivation
//!   alone (a bare connection's first read);
//! - the window's frame on the file (as `frame.rs` measures it: redraw in place, and a jump
//!   through the contact list each frame, which reads a new window of rows);
//! - search as you type (the prefixes `search.rs` types, p50 / p95 of 40 keystrokes);
//! - a Google Contacts CSV import (as `import.rs` generates it) into new files and into the big
//!   files;
//! - a timeline report of one contact to PDF and HTML (as `report.rs` builds it), from the files.
//!
//! Both files are read warm, in the same process: the operating system's page cache holds both
//! after they were written, so no figure includes reading the disk. SQLite's own page cache
//! (the store sets its connections' size, see `configure_connection`; a bare connection has
//! SQLite's default 2 MB) holds less than the files, so a page not in it is read from the
//! operating system's cache again, and on the protected file decrypted and checked again: that
//! is what encryption costs here.
//!
//! Run with `cargo bench --bench cipher` (100,000 contacts, 300,000 conversations; add
//! `-- --contacts 20000` for a quicker run, `--interactions N`, `--entries N` for the report's
//! contact, `--rows N` for the import, `--frames N`).

use chrono::{Duration as Days, NaiveDateTime};
use rapport::app::{Prefs, RapportApp};
use rapport::model::{
    Channel, ContactDraft, ContactId, FollowUpDraft, FollowUpStatus, Initiator, InteractionDraft,
    Purpose, ReportRequest, ReportScope,
};
use rapport::report::ReportFormat;
use rapport::store::Store;
use rapport::store::cipher::{self, Passphrase};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "correct horse battery staple";
const NOW: &str = "2026-11-20 09:00";

struct Args {
    contacts: usize,
    interactions: usize,
    entries: usize,
    rows: usize,
    frames: usize,
}

fn args() -> Args {
    let all: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: usize| {
        all.iter()
            .position(|a| a == name)
            .and_then(|i| all.get(i + 1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let contacts = value("--contacts", 100_000);
    Args {
        contacts,
        interactions: value("--interactions", contacts * 3),
        entries: value("--entries", 10_000),
        rows: value("--rows", 10_000),
        frames: value("--frames", 300),
    }
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("valid time")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Every figure measured on both files, for the summary at the end.
#[derive(Default)]
struct Summary(Vec<(String, [Duration; 2], bool)>);

impl Summary {
    /// Prints one figure on both files and keeps it; `target` marks those held to ≤ 1.2×.
    fn add(&mut self, what: impl Into<String>, both: [Duration; 2], target: bool) {
        let what = what.into();
        let [plain, secret] = both.map(shown);
        println!(
            "{what:<44} plain {plain:>9}   encrypted {secret:>9}   ÷ {:.2}",
            ratio(both)
        );
        self.0.push((what, both, target));
    }

    fn print(&self) {
        println!("\n| what | plain | encrypted | encrypted ÷ plain (target) |");
        println!("|---|---|---|---|");
        for (what, both, target) in &self.0 {
            let r = ratio(*both);
            let verdict = match (target, (r * 100.0).round() <= 120.0) {
                (false, _) => "",
                (true, true) => " (≤ 1.2: met)",
                (true, false) => " (≤ 1.2: **missed**)",
            };
            let [plain, secret] = both.map(shown);
            println!("| {what} | {plain} | {secret} | {r:.2}{verdict} |");
        }
    }
}

fn ratio([plain, secret]: [Duration; 2]) -> f64 {
    secret.as_secs_f64() / plain.as_secs_f64().max(1e-9)
}

fn shown(d: Duration) -> String {
    match ms(d) {
        x if x >= 1000.0 => format!("{:.2} s", x / 1000.0),
        x if x >= 10.0 => format!("{x:.1} ms"),
        x => format!("{x:.3} ms"),
    }
}

/// Runs `measure(run, side)` `runs` times on each side (0 plain, 1 encrypted), alternating,
/// and gives each side's median of each of the `N` figures it returns.
fn alternating<const N: usize>(
    runs: usize,
    mut measure: impl FnMut(usize, usize) -> [Duration; N],
) -> [[Duration; 2]; N] {
    let mut seen: [Vec<[Duration; N]>; 2] = [Vec::new(), Vec::new()];
    for run in 0..runs {
        for (side, times) in seen.iter_mut().enumerate() {
            times.push(measure(run, side));
        }
    }
    std::array::from_fn(|figure| {
        seen.each_ref()
            .map(|times| median(times.iter().map(|t| t[figure]).collect()))
    })
}

/// The plain file, then the protected one.
type Files = [PathBuf; 2];

fn main() {
    let a = args();
    let dir = tempfile::tempdir().expect("temp dir");
    let files: Files = ["plain", "secret"].map(|name| dir.path().join(format!("{name}.sqlite3")));
    cipher::remember(&files[1], Passphrase::new(PASSPHRASE).expect("passphrase"));
    println!(
        "Encryption at rest: {} contacts, {} conversations, a report contact with {} entries, in {}",
        a.contacts,
        a.interactions,
        a.entries,
        dir.path().display()
    );
    let mut summary = Summary::default();
    let contact = build_both(&files, &a, &mut summary);
    build_info(&files);
    measure_open(&files, &mut summary);
    measure_frames(&files, a.frames, &mut summary);
    biggest(&files[0]);
    measure_search(&files, &mut summary);
    measure_settings(&files, dir.path(), &mut summary);
    measure_report(&files, contact, &mut summary);
    measure_import(&files, dir.path(), a.rows, &mut summary);
    println!("\nBoth files warm (written by this process, read from the page cache).");
    summary.print();
}

/// Writes the same data into both files (the demo data, then the report's contact); returns
/// the report contact's id.
fn build_both(files: &Files, a: &Args, summary: &mut Summary) -> ContactId {
    let [(plain, id), (secret, same)] = files.each_ref().map(|path| build(path, a));
    assert_eq!(id, same, "the same data in both files");
    assert!(!cipher::is_protected(&files[0]) && cipher::is_protected(&files[1]));
    let what = "write the data (demo fill + report contact)";
    summary.add(what, [plain, secret], false);
    for path in files {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!("{}: {:.1} MB", path.display(), size as f64 / 1e6);
    }
    id
}

fn build(path: &Path, a: &Args) -> (Duration, ContactId) {
    let mut store = Store::open(path).expect("create the file");
    store.set_clock(at(NOW).and_utc());
    let started = Instant::now();
    rapport::demo::fill(&mut store, a.contacts, a.interactions, at(NOW), |_, _| {})
        .expect("demo data");
    let id = add_report_contact(&mut store, a.entries);
    (started.elapsed(), id)
}

/// The contact of `report.rs`: `entries` timeline entries, nine in ten conversations with all
/// four notes, the rest follow-ups.
fn add_report_contact(store: &mut Store, entries: usize) -> ContactId {
    let start = report_start();
    let contact = store
        .create_contact(&ContactDraft {
            display_name: "Maria García".into(),
            organization: "Golden Crust Bakery".into(),
            family: "Married to Sam; two kids".into(),
            ..ContactDraft::default()
        })
        .expect("contact");
    let conversations = entries * 9 / 10;
    let channels = [Channel::Call, Channel::Visit, Channel::Email, Channel::Meal];
    let purposes = [Purpose::Sales, Purpose::Service, Purpose::Relationship];
    let mut bulk = store.bulk().expect("bulk");
    for i in 0..conversations {
        bulk.add_interaction(&InteractionDraft {
            channel: channels[i % channels.len()],
            purpose: purposes[i % purposes.len()],
            summary: format!("Visit {i}: checked the ovens and the spring order"),
            they_said: "The new oven runs hot on the left side; the bakers like the crust".into(),
            they_need: ["A technician before the weekend rush", "", ""][i % 3].into(),
            i_promised: "Call back Tuesday at 15:00 with the technician's availability".into(),
            next_step: "Send the report and the quote for two more trays".into(),
            ..InteractionDraft::new(start + Days::hours(5 * i as i64), contact)
        })
        .expect("conversation");
    }
    for i in 0..entries - conversations {
        let draft = FollowUpDraft {
            contact_id: contact,
            organization_id: None,
            interaction_id: None,
            text: format!("Follow-up {i}: send the quote"),
            notes: String::new(),
            due_date: (start + Days::hours(50 * i as i64)).date(),
            due_time: None,
            promised_by: Initiator::Me,
            repeat: None,
        };
        let status = match i % 7 {
            0 => FollowUpStatus::DoneLate,
            _ => FollowUpStatus::Done,
        };
        bulk.add_follow_up(&draft, status, start.and_utc())
            .expect("follow-up");
    }
    bulk.commit().expect("commit");
    contact
}

fn report_start() -> NaiveDateTime {
    at("2020-01-01 09:00")
}

/// A bare connection on `path`, keyed when `key` is given.
fn bare(path: &Path, key: Option<&str>) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("connection");
    conn.pragma_update(None, "cipher_log_level", "NONE")
        .expect("quiet");
    if let Some(key) = key {
        conn.pragma_update(None, "key", key).expect("key");
    }
    conn
}

/// The SQLCipher build and the protected file's settings.
fn build_info(files: &Files) {
    let conn = bare(&files[1], Some(PASSPHRASE));
    let mut shown = Vec::new();
    let pragmas = "cipher_version cipher_provider cipher_provider_version cipher_page_size kdf_iter \
        cipher_kdf_algorithm cipher_hmac_algorithm cipher_memory_security mmap_size";
    for pragma in pragmas.split_whitespace() {
        let value = conn
            .query_row(&format!("PRAGMA {pragma}"), (), |r| {
                Ok(match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    other => format!("{other:?}"),
                })
            })
            .unwrap_or_else(|_| "-".to_owned());
        shown.push(format!("{pragma} = {value}"));
    }
    let page = number(&bare(&files[0], None), "PRAGMA page_size");
    println!(
        "SQLCipher: {}; plain file page_size = {page}",
        shown.join(", ")
    );
}

/// The biggest tables and indexes of the plain file once the launch jobs filled the health
/// table, in pages: what a page cache would have to hold.
fn biggest(path: &Path) {
    let conn = bare(path, None);
    let sql = "SELECT name, count(*) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12";
    let mut query = conn.prepare(sql).expect("dbstat");
    let sizes = query
        .query_map((), |r| {
            Ok(format!(
                "{} {}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?
            ))
        })
        .expect("sizes")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("sizes");
    println!("biggest tables and indexes, in pages: {}", sizes.join(", "));
}

/// `Store::open` of each existing file, five times alternating (median), and the key
/// derivation alone: a bare connection's first read of the schema.
fn measure_open(files: &Files, summary: &mut Summary) {
    let [open, read] = alternating(5, |_, side| {
        let began = Instant::now();
        drop(Store::open(&files[side]).expect("open"));
        let opened = began.elapsed();
        let began = Instant::now();
        let conn = bare(&files[side], (side == 1).then_some(PASSPHRASE));
        number(&conn, "SELECT count(*) FROM sqlite_schema");
        [opened, began.elapsed()]
    });
    summary.add("open (Store::open, per connection)", open, false);
    summary.add("  of which key derivation (first read)", read, false);
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

/// The window on the file at `path`, with its own egui context, once its launch jobs (health
/// of everyone, the dashboard's lists, each on a thread with its own connection) are done,
/// and how long they took (to 50 ms, and three quiet frames, alike on both files).
fn window_on(path: &Path) -> (RapportApp, egui::Context, Duration) {
    let store = Store::open(path).expect("open");
    let mut app = RapportApp::with_store_at(Ok(store), Prefs::default(), Some(at(NOW)));
    let ctx = egui::Context::default();
    rapport::ui::install_style(&ctx);
    let began = Instant::now();
    let mut quiet = 0;
    // Settled: three frames in a row that ask for no repaint within a second.
    while quiet < 3 && began.elapsed() < Duration::from_secs(300) {
        let out = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
        let delay = out
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map_or(Duration::MAX, |v| v.repaint_delay);
        quiet = if delay > Duration::from_secs(1) {
            quiet + 1
        } else {
            0
        };
        std::thread::sleep(Duration::from_millis(50));
    }
    (app, ctx, began.elapsed())
}

/// Median and 95th percentile of per-frame CPU time over `count` frames, after five to warm
/// up; with `jump`, each frame first jumps to another row of the list (from `offset` on).
fn frames(
    app: &mut RapportApp,
    ctx: &egui::Context,
    count: usize,
    jump: Option<usize>,
) -> (Duration, Duration) {
    for _ in 0..5 {
        let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
    }
    let mut times = Vec::with_capacity(count);
    for i in 0..count {
        if let Some(offset) = jump {
            let total = app.view.contacts.total.max(1);
            app.view.selected_row = Some(((offset + i) * 7919) % total);
            app.view.scroll_to_selected = true;
        }
        let started = Instant::now();
        let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
        times.push(started.elapsed());
    }
    times.sort();
    (times[count / 2], times[count * 95 / 100])
}

/// Frames of the window on both files, three rounds alternating between them; each figure is
/// the median of the three rounds' medians (or 95th percentiles).
fn measure_frames(files: &Files, count: usize, summary: &mut Summary) {
    let mut windows = files.each_ref().map(|path| window_on(path));
    let what = "launch jobs (health of everyone, dashboard)";
    summary.add(what, [0, 1].map(|side| windows[side].2), false);
    for (what, jump) in [("redraw", false), ("jump-scroll", true)] {
        let [p50, p95] = alternating(3, |round, side| {
            let (app, ctx, _) = &mut windows[side];
            let (p50, p95) = frames(app, ctx, count, jump.then_some(round * count));
            [p50, p95]
        });
        summary.add(format!("frame, contacts {what} p50"), p50, true);
        summary.add(format!("frame, contacts {what} p95"), p95, true);
    }
}

/// p50 and p95 of 40 runs after one to warm up, and what the last found.
fn keystrokes(run: &dyn Fn() -> usize) -> (Duration, Duration, usize) {
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

/// The prefixes `search.rs` types, on both files in turn; the summary has the sum of the
/// p50s and the worst p95 of each kind.
fn measure_search(files: &Files, summary: &mut Summary) {
    let stores = files.each_ref().map(|p| Store::open(p).expect("open"));
    let notes = |s: &Store, typed: &str| s.search_interactions(typed, 50).expect("search").len();
    let contacts = |s: &Store, typed: &str| {
        let total = s.count_contacts(typed).expect("count");
        s.contact_rows(typed, 0, 60).expect("rows");
        total
    };
    type Query<'a> = &'a dyn Fn(&Store, &str) -> usize;
    let kinds: [(&str, [&str; 2], Query); 2] = [
        ("notes", ["delivery", "prices"], &notes),
        ("contacts", ["maria", "james"], &contacts),
    ];
    for (kind, words, query) in kinds {
        let (mut sum, mut worst) = ([Duration::ZERO; 2], [Duration::ZERO; 2]);
        for typed in words.iter().flat_map(|w| (1..=4).map(move |n| &w[..n])) {
            let [a, b] = [0, 1].map(|i| keystrokes(&|| query(&stores[i], typed)));
            assert_eq!(a.2, b.2, "the same matches in both files");
            println!(
                "  {kind:<8} {typed:<5} p50 {:>7.3} / {:>7.3} ms  p95 {:>7.3} / {:>7.3} ms  ÷ {:.2} / {:.2}  ({} found)",
                ms(a.0),
                ms(b.0),
                ms(a.1),
                ms(b.1),
                ratio([a.0, b.0]),
                ratio([a.1, b.1]),
                a.2
            );
            for (i, (p50, p95, _)) in [a, b].into_iter().enumerate() {
                sum[i] += p50;
                worst[i] = worst[i].max(p95);
            }
        }
        summary.add(format!("search {kind}, sum of 8 p50s"), sum, true);
        summary.add(format!("search {kind}, worst p95"), worst, true);
    }
}

/// Why a figure can miss, and which settings change it: the contacts table copied into small
/// files, plain and protected with SQLCipher's defaults and other settings, each scanned on a
/// bare connection (median of five after one to warm up). With SQLite's default page cache
/// (2 MB) every scan reads the pages from the operating system's cache again, and the protected
/// copies decrypt and check them again; a page cache that holds them keeps them decrypted.
fn measure_settings(files: &Files, dir: &Path, summary: &mut Summary) {
    let variants = [
        ("plain", "", -2000),
        ("SQLCipher defaults", "", -2000),
        ("defaults, 256 MB page cache", "", -262_144),
        ("HMAC-SHA256", "cipher_hmac_algorithm = HMAC_SHA256", -2000),
        ("16 KB pages", "cipher_page_size = 16384", -2000),
        ("no HMAC (no tamper check)", "cipher_use_hmac = OFF", -2000),
    ];
    let source = bare(&files[0], None);
    let scan = "SELECT count(*) FROM contacts WHERE display_name LIKE '%zq%'";
    let conns = variants.map(|(name, setting, cache)| {
        let path = dir.join(format!("scan-{}.sqlite3", name.replace([' ', ','], "-")));
        let keyed = name != "plain";
        let key = if keyed { PASSPHRASE } else { "" };
        let set = |db: &str| match setting {
            "" => String::new(),
            _ => format!("PRAGMA {db}{setting};"),
        };
        source
            .execute_batch(&format!(
                "ATTACH DATABASE '{}' AS copy KEY '{key}'; {} CREATE TABLE copy.contacts AS SELECT * FROM main.contacts; DETACH DATABASE copy;",
                path.display(),
                set("copy.")
            ))
            .expect("copy");
        let conn = bare(&path, keyed.then_some(key));
        let opened = format!("{} PRAGMA cache_size = {cache};", set(""));
        conn.execute_batch(&opened).expect("settings");
        number(&conn, scan);
        conn
    });
    let mut times = variants.map(|_| Vec::new());
    for _ in 0..5 {
        for (conn, seen) in conns.iter().zip(&mut times) {
            let began = Instant::now();
            number(conn, scan);
            seen.push(began.elapsed());
        }
    }
    let times = times.map(median);
    let pages = conns
        .each_ref()
        .map(|conn| number(conn, "PRAGMA page_count"));
    for (i, (name, ..)) in variants.iter().enumerate().skip(1) {
        let extra = times[i].saturating_sub(times[0]).as_secs_f64() * 1e6 / pages[i] as f64;
        println!(
            "  scan, {name}: {} pages (plain {}), {extra:.2} µs a page more than plain",
            pages[i], pages[0]
        );
        summary.add(
            format!("scan of contacts, {name}"),
            [times[0], times[i]],
            false,
        );
    }
}

/// The one number `sql` reads on `conn`.
fn number(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, (), |r| r.get(0)).expect(sql)
}

/// The report contact's timeline to PDF and to HTML from each file: the median of three
/// exports of each kind, alternating between the files, after one PDF that loads the fonts;
/// 1.5 s apart, as `report.rs` does (Typst frees the last PDF's pages on other threads).
fn measure_report(files: &Files, contact: ContactId, summary: &mut Summary) {
    let stores = files.each_ref().map(|p| Store::open(p).expect("open"));
    let request = ReportRequest::new(ReportScope::Contact(contact));
    let out = tempfile::tempdir().expect("temp dir");
    let export = |store: &Store, format: ReportFormat| {
        let path = out.path().join(format!("report.{}", format.extension()));
        let began = Instant::now();
        let data = store.report_data(&request).expect("gather");
        let gathered = began.elapsed();
        let now = report_start() + Days::days(3000);
        rapport::files::write_report(data, &request, format, &path, now).expect("export");
        [began.elapsed(), gathered]
    };
    export(&stores[0], ReportFormat::Pdf);
    for format in [ReportFormat::Pdf, ReportFormat::Html] {
        let [total, gathered] = alternating(3, |_, side| {
            std::thread::sleep(Duration::from_millis(1500));
            export(&stores[side], format)
        });
        let name = format.extension().to_uppercase();
        summary.add(format!("report {name} (gather + write)"), total, true);
        summary.add("  of which gathering from the file", gathered, false);
    }
}

/// A Google Contacts CSV of `rows` contacts, as `import.rs` writes it, numbered from `first`
/// (each number its own e-mail address).
fn write_csv(path: &Path, first: usize, rows: usize) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    file.write_all("\u{feff}First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - City,Address 1 - Country\n".as_bytes()).expect("write");
    let given: Vec<&str> = "Maria James Aisha Kenji Sofia Liam Chloé Mateo"
        .split(' ')
        .collect();
    let family: Vec<&str> = "García Smith Okafor Tanaka Rossi Murphy Dubois Silva"
        .split(' ')
        .collect();
    for i in first..first + rows {
        writeln!(
            file,
            "{},,{},,Shop {} Ltd,Owner,--{:02}-{:02},\"Met at fair, {}\",myContacts ::: Customers,* Work,person{i}@shop{}.example,Mobile,+44 7911 {:06},Work,London,United Kingdom",
            given[i % given.len()],
            family[(i / 8) % family.len()],
            i % 5000,
            i % 12 + 1,
            i % 28 + 1,
            i % 97,
            i % 5000,
            i % 1_000_000
        )
        .expect("write");
    }
}

/// Reads, parses and imports the CSV at `csv` into `store`: the whole import and its plan +
/// apply alone, and how many contacts it created.
fn import_into(store: &mut Store, csv: &Path) -> ([Duration; 2], usize) {
    let began = Instant::now();
    let bytes = std::fs::read(csv).expect("read");
    let parsed = rapport::import::parse_file(&bytes, "google.csv", "GB", |_| None).expect("parse");
    let parsed_in = began.elapsed();
    let (_, plan) = store
        .apply_import("google.csv", parsed.format.label(), &parsed.contacts)
        .expect("import");
    let total = began.elapsed();
    ([total, total - parsed_in], plan.created())
}

/// The CSV imported three times into new files (the open not timed), then three times into
/// the big files (other rows each time, so each run creates as many contacts), alternating.
fn measure_import(files: &Files, dir: &Path, rows: usize, summary: &mut Summary) {
    let csv = dir.join("google.csv");
    write_csv(&csv, 0, rows);
    let [total, apply] = alternating(3, |run, side| {
        let path = dir.join(format!("import-{run}-{side}.sqlite3"));
        if side == 1 {
            cipher::remember(&path, Passphrase::new(PASSPHRASE).expect("passphrase"));
        }
        let mut store = Store::open(&path).expect("new file");
        let (times, created) = import_into(&mut store, &csv);
        assert_eq!((created, cipher::is_protected(&path)), (rows, side == 1));
        drop(store);
        let _ = std::fs::remove_file(&path);
        times
    });
    summary.add(format!("import {rows} rows into a new file"), total, true);
    summary.add("  of which plan + apply", apply, false);
    let mut stores = files.each_ref().map(|p| Store::open(p).expect("open"));
    let mut created = [0, 0];
    let [total, apply] = alternating(3, |run, side| {
        let csv = dir.join(format!("google-{run}.csv"));
        if side == 0 {
            write_csv(&csv, (run + 1) * rows, rows);
        }
        let (times, made) = import_into(&mut stores[side], &csv);
        created[side] += made;
        times
    });
    assert_eq!(
        created[0], created[1],
        "the same contacts created in both files"
    );
    summary.add(format!("import {rows} rows into the big file"), total, true);
    summary.add("  of which plan + apply", apply, false);
}

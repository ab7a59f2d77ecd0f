//! Bulk-tagging 10,000 of 100,000 contacts (`Store::add_tag_to`: one transaction, the undo
//! images of every contact changed, their search documents written again), its undo, and the
//! dry run, each against a plain UPDATE of one column on the same 10,000 rows in the same run.
//! Then the window (`RapportApp` driven headlessly on the same database) tags the same 10,000
//! from its bulk bar: the change runs on its own thread while frames keep coming, and the
//! frame times while it runs are printed beside those of the idle window, with the time the
//! change took; then the same for its undo (on the same thread).
//!
//! `cargo bench --bench bulk` makes a 100,000-contact demo file in a temporary folder (a minute
//! or so); `cargo bench --bench bulk -- /tmp/big.sqlite3` measures a file
//! made by `rapport --db /tmp/big.sqlite3 demo --contacts 100000 --interactions 0` (tagged
//! and put back each round), or a team database at `postgres://…`.

use rapport::app::{Command, Prefs, RapportApp};
use rapport::model::ContactId;
use rapport::store::undo::Part;
use rapport::store::{BulkEdit, Store};
use std::time::{Duration, Instant};

const CONTACTS: usize = 100_000;
const TAGGED: usize = 10_000;
const ROUNDS: usize = 3;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let given = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let mut store = match given.as_deref() {
        Some(url) if url.starts_with("postgres://") => Store::open_team(url).expect("team"),
        Some(path) => Store::open(std::path::Path::new(path)).expect("open"),
        None => made(&dir.path().join("bulk.sqlite3")),
    };
    let everyone = store
        .contact_ids_matching("", &Default::default())
        .expect("ids");
    let step = (everyone.len() / TAGGED).max(1);
    let ids: Vec<ContactId> = everyone
        .iter()
        .step_by(step)
        .take(TAGGED)
        .copied()
        .collect();
    println!(
        "bulk changes on {} of {} contacts",
        ids.len(),
        everyone.len()
    );
    let edit = BulkEdit::AddTag("Bench VIP".to_owned());
    let (mut plain, mut tag, mut undo, mut dry) = (vec![], vec![], vec![], vec![]);
    for _ in 0..ROUNDS {
        plain.push(timed(|| store.touch_contacts_plainly(&ids).expect("plain")).0);
        let (took, would) = timed(|| store.bulk_preview(&ids, &edit).expect("dry run"));
        assert_eq!(would.len(), ids.len());
        dry.push(took);
        let (took, done) = timed(|| store.bulk_edit(&ids, &edit).expect("tag"));
        assert_eq!(done.changed.len(), ids.len());
        tag.push(took);
        undo.push(timed(|| store.undo_change(&done.change).expect("undo")).0);
    }
    let parts: Vec<Part> = ids.iter().map(|&id| Part::Contact(id)).collect();
    let (images, _) = timed(|| store.snapshot(&parts).expect("snapshot"));
    let plain = median(plain);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("plain UPDATE of one column:  {:>8.1} ms", ms(plain));
    for (what, took) in [
        ("add a tag (one undo step):", median(tag)),
        ("undo it:", median(undo)),
        ("dry run (who would change):", median(dry)),
        ("of which one set of images:", images),
    ] {
        println!(
            "{what:<28} {:>8.1} ms = {:.1} × the plain UPDATE",
            ms(took),
            took.as_secs_f64() / plain.as_secs_f64()
        );
    }
    let location = store.location().expect("a file or a team database");
    drop(store);
    window(Store::open_at(&location).expect("open again"), &ids);
}

/// The window tags `ids` from its bulk bar: frame times while the change runs on its thread.
fn window(store: Store, ids: &[ContactId]) {
    let ctx = egui::Context::default();
    let mut app = RapportApp::with_store_at(Ok(store), Prefs::default(), None);
    let frame = |app: &mut RapportApp| {
        let began = Instant::now();
        let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
        began.elapsed()
    };
    // The launch judges everyone's health on its own thread (it writes too): let it finish.
    while app.view.dashboard.health_progress.is_some() {
        frame(&mut app);
        std::thread::sleep(Duration::from_millis(20));
    }
    let idle: Vec<Duration> = (0..60).map(|_| frame(&mut app)).collect();
    app.view.bulk.ids = ids.iter().copied().collect();
    let tag = Command::BulkEdit(BulkEdit::AddTag("Bench fair".to_owned()));
    let tagged = until_done(&mut app, &ctx, tag, &frame);
    let status = app.view.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(status.starts_with("Added Bench fair"), "{status}");
    let undone = until_done(&mut app, &ctx, Command::Undo, &frame);
    let status = app.view.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(status.starts_with("Undone: add Bench fair"), "{status}");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "the window, {} contacts from the bulk bar (each on its own thread):",
        ids.len()
    );
    let (median, p95, max) = spread(idle);
    println!(
        "  idle frames:                      median {:>6.2} ms, 95th percentile {:>6.2} ms, longest {:>6.2} ms",
        ms(median),
        ms(p95),
        ms(max)
    );
    for (what, run) in [("the tag", tagged), ("its undo", undone)] {
        let (median, p95, max) = spread(run.frames.clone());
        println!(
            "  {what:<9} asked in {:>5.1} ms, done in {:.2} s; {:>3} frames meanwhile: median {:>6.2} ms, 95th percentile {:>6.2} ms, longest {:>6.2} ms; the frame taking the result {:>6.1} ms",
            ms(run.asked),
            run.took.as_secs_f64(),
            run.frames.len(),
            ms(median),
            ms(p95),
            ms(max),
            ms(run.landed)
        );
    }
}

/// One command that runs on the bulk thread, as the window lived it.
struct Run {
    /// How long applying the command held the frame.
    asked: Duration,
    /// Until the result was taken.
    took: Duration,
    /// The frames drawn while it ran.
    frames: Vec<Duration>,
    /// The frame that took the result (the undo step, the list and its tags read again).
    landed: Duration,
}

/// Applies `command` and draws frames at about a 60 Hz display's pace until its job is done.
fn until_done(
    app: &mut RapportApp,
    ctx: &egui::Context,
    command: Command,
    frame: &dyn Fn(&mut RapportApp) -> Duration,
) -> Run {
    let began = Instant::now();
    app.apply(command, ctx);
    let asked = began.elapsed();
    let mut frames = Vec::new();
    while app.view.bulk.running.is_some() {
        frames.push(frame(app));
        std::thread::sleep(Duration::from_millis(16));
    }
    let took = began.elapsed();
    let landed = frames.pop().unwrap_or_default();
    Run {
        asked,
        took,
        frames,
        landed,
    }
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

/// Median, 95th percentile and longest.
fn spread(mut times: Vec<Duration>) -> (Duration, Duration, Duration) {
    times.sort();
    let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    (at(50), at(95), times[times.len() - 1])
}

fn made(path: &std::path::Path) -> Store {
    let mut store = Store::open(path).expect("open");
    let began = Instant::now();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    rapport::demo::fill(&mut store, CONTACTS, 0, now, |_, _| {}).expect("demo data");
    println!(
        "made {CONTACTS} demo contacts in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    store
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let began = Instant::now();
    let value = f();
    (began.elapsed(), value)
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

//! Relationships between contacts, measured headlessly on the real `RapportApp`:
//!
//! - recording one (`Store::relate`, one transaction with its undo images) on a 2,000-contact
//!   demo base;
//! - a contact's page (header, relationships, briefing, history) with 0, 10, 100 and 1,000
//!   relationships: the frame, and reading them on selection;
//! - Who referred whom on the 2,000-contact base with 600 referrals: reading and grouping
//!   them, a frame with the window open, and a keystroke in its filter.
//!
//! Run with `cargo bench --bench relationships` (add `-- --quick` for fewer frames).

use chrono::NaiveDateTime;
use rapport::app::{Command, Prefs, RapportApp};
use rapport::model::relationship::{Role, referrers};
use rapport::model::{ContactDraft, ContactId};
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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median and 95th percentile of `count` frames.
fn frames(app: &mut RapportApp, ctx: &egui::Context, count: usize) -> (Duration, Duration) {
    for _ in 0..5 {
        let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
    }
    let mut times: Vec<Duration> = (0..count)
        .map(|_| {
            let started = Instant::now();
            let _ = ctx.run_ui(raw_input(), |ui| app.frame_ui(ui));
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[count / 2], times[count * 95 / 100])
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A 2,000-contact demo base (no conversations) and its contacts' ids in name order.
fn demo_base() -> (Store, Vec<ContactId>) {
    let mut store = Store::open_in_memory().expect("memory store");
    rapport::demo::fill(&mut store, 2_000, 0, at("2026-11-20 09:00"), |_, _| {}).expect("demo");
    let ids = store
        .contact_rows("", 0, 2_000)
        .expect("rows")
        .into_iter()
        .map(|r| r.id)
        .collect();
    (store, ids)
}

/// 600 referrals among `ids`: 150 people referred 1 to 7 others each.
fn add_referrals(store: &mut Store, ids: &[ContactId]) -> Vec<Duration> {
    let referred = Role::from_word("referred").expect("role");
    let mut times = Vec::new();
    let mut next = 150;
    for (i, &referrer) in ids.iter().take(150).enumerate() {
        for _ in 0..(i % 7 + 1) {
            if times.len() == 600 || next >= ids.len() {
                return times;
            }
            let started = Instant::now();
            store
                .relate(referrer, referred, ids[next], "")
                .expect("relate");
            times.push(started.elapsed());
            next += 1;
        }
    }
    times
}

/// A contact's page with `n` relationships (colleagues), frames and the read on selection.
fn page_with(n: usize, ctx: &egui::Context, count: usize) -> (Duration, Duration, Duration) {
    let mut store = Store::open_in_memory().expect("memory store");
    let me = store
        .create_contact(&ContactDraft::named("Maria García"))
        .expect("contact");
    let colleague = Role::from_word("colleague").expect("role");
    for i in 0..n {
        let other = store
            .create_contact(&ContactDraft::named(&format!("Colleague {i:04}")))
            .expect("contact");
        store.relate(me, colleague, other, "").expect("relate");
    }
    let read = median(
        (0..50)
            .map(|_| {
                let started = Instant::now();
                let _ = store.relationships_of(me).expect("read");
                started.elapsed()
            })
            .collect(),
    );
    let prefs = Prefs {
        selected_contact: Some(me.0),
        ..Prefs::default()
    };
    let mut app = RapportApp::with_store_at(Ok(store), prefs, Some(at("2026-11-20 09:00")));
    let (frame, p95) = frames(&mut app, ctx, count);
    (frame, p95, read)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let count = if quick { 40 } else { 200 };
    let ctx = egui::Context::default();

    let (mut store, ids) = demo_base();
    let relate = add_referrals(&mut store, &ids);
    println!(
        "relate on a 2,000-contact base: median {:.3} ms a relationship ({} recorded, with their undo images)",
        ms(median(relate.clone())),
        relate.len()
    );

    for n in [0, 10, 100, 1_000] {
        let (frame, p95, read) = page_with(n, &ctx, count);
        println!(
            "contact page with {n:>5} relationships: frame median {:.3} ms (p95 {:.3} ms); reading them on selection {:.3} ms",
            ms(frame),
            ms(p95),
            ms(read)
        );
    }

    let read = median(
        (0..30)
            .map(|_| {
                let started = Instant::now();
                let _ = referrers(&store.referrals().expect("referrals"));
                started.elapsed()
            })
            .collect(),
    );
    let mut app =
        RapportApp::with_store_at(Ok(store), Prefs::default(), Some(at("2026-11-20 09:00")));
    let (closed, _) = frames(&mut app, &ctx, count);
    app.apply(Command::OpenReferrals, &ctx);
    let (open, p95) = frames(&mut app, &ctx, count);
    let window = app.view.relationships.referrals.as_mut().expect("open");
    let referrers_shown = window.shown.len();
    let typed = median(
        (0..50)
            .map(|i| {
                window.filter = if i % 2 == 0 {
                    "ma".into()
                } else {
                    String::new()
                };
                let started = Instant::now();
                window.refresh();
                started.elapsed()
            })
            .collect(),
    );
    println!(
        "who referred whom, 2,000 contacts, 600 referrals by {referrers_shown} people: read and grouped {:.3} ms; frame {:.3} ms open (p95 {:.3} ms) vs {:.3} ms closed; a keystroke in its filter {:.3} ms",
        ms(read),
        ms(open),
        ms(p95),
        ms(closed),
        ms(typed)
    );
}

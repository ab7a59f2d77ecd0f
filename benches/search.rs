//! Search as you type, measured on a big database: p50 / p95 of one keystroke's queries for
//! 1- to 4-letter prefixes — conversations' notes (the newest matches) and the contact list
//! (count + first page) — against the 16 ms of one frame at 60 Hz.
//!
//! Run with `cargo bench --bench search -- /tmp/big.sqlite3` on a database made by
//! `rapport --db /tmp/big.sqlite3 demo --contacts 100000 --interactions 1000000`.

use std::time::{Duration, Instant};

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        println!(
            "Give a database: cargo bench --bench search -- /tmp/big.sqlite3 (made with `rapport --db /tmp/big.sqlite3 demo --contacts 100000 --interactions 1000000`)"
        );
        return;
    };
    let store = rapport::store::Store::open(std::path::Path::new(&path)).expect("open");
    let contacts = store.count_contacts("").expect("count");
    println!("search as you type on {path} ({contacts} contacts)");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let measure = |run: &dyn Fn() -> usize| {
        run(); // the first query reads the index pages from disk
        let mut times: Vec<Duration> = (0..40)
            .map(|_| {
                let began = Instant::now();
                run();
                began.elapsed()
            })
            .collect();
        times.sort();
        (times[times.len() / 2], times[times.len() * 95 / 100], run())
    };
    let mut worst = Duration::ZERO;
    for word in ["delivery", "prices"] {
        for letters in 1..=4 {
            let typed = &word[..letters];
            let (p50, p95, found) =
                measure(&|| store.search_interactions(typed, 50).expect("search").len());
            worst = worst.max(p95);
            println!(
                "notes    {typed:<5} p50 {:>7.3} ms  p95 {:>7.3} ms  ({found} shown)",
                ms(p50),
                ms(p95)
            );
        }
    }
    for word in ["maria", "james"] {
        for letters in 1..=4 {
            let typed = &word[..letters];
            let (p50, p95, found) = measure(&|| {
                let total = store.count_contacts(typed).expect("count");
                store.contact_rows(typed, 0, 60).expect("rows");
                total
            });
            worst = worst.max(p95);
            println!(
                "contacts {typed:<5} p50 {:>7.3} ms  p95 {:>7.3} ms  ({found} matches)",
                ms(p50),
                ms(p95)
            );
        }
    }
    println!(
        "worst p95 {:.3} ms: target p95 < 16 ms {}",
        ms(worst),
        if worst < Duration::from_millis(16) {
            "met"
        } else {
            "MISSED"
        }
    );
}

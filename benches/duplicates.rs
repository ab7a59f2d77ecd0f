//! Finding duplicates among 100,000 contacts: the time of `Store::find_duplicates` (the keys of
//! every live contact read in one query, blocked, the pairs sharing a key compared), against a
//! plain scan of the contacts table in the same run, with how many pairs were compared next to
//! the n × (n − 1) / 2 a comparison of everyone with everyone would make, and the memory it
//! took (the process's peak resident size before and after); and the look-alikes of a new
//! contact, asked before it is saved.
//!
//! `cargo bench --bench duplicates` makes a 100,000-contact demo file in a temporary folder
//! (a minute or so); `cargo bench --bench duplicates -- /tmp/big.sqlite3` measures a database
//! made by `rapport --db /tmp/big.sqlite3 demo --contacts 100000 --interactions 1000000`, or a
//! team database at `postgres://…` (a demo file moved in with `rapport team move-in`).

use rapport::store::Store;
use std::time::{Duration, Instant};

const CONTACTS: usize = 100_000;
const RUNS: usize = 5;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let given = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let path = match &given {
        Some(path) => std::path::PathBuf::from(path),
        None => {
            let path = dir.path().join("duplicates.sqlite3");
            let mut store = Store::open(&path).expect("open");
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
            path
        }
    };
    // A team database's address is measured there (`rapport team move-in` a demo file first).
    let store = match path.to_str().filter(|p| p.starts_with("postgres://")) {
        Some(url) => Store::open_team(url).expect("open the team database"),
        None => Store::open(&path).expect("open"),
    };
    let contacts = store.count_contacts("").expect("count");
    println!("duplicates on {} ({contacts} contacts)", path.display());
    let (scan, read) = median(|| store.scan_contacts_plainly().expect("scan"));
    // The memory of one search, from the peak before it to the peak after.
    let before = peak_kib();
    drop(store.find_duplicates("GB").expect("find"));
    let after = peak_kib();
    let (find, found) = median(|| store.find_duplicates("GB").expect("find"));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let everyone = contacts * contacts.saturating_sub(1) / 2;
    println!(
        "plain scan of the contacts table: {:>8.1} ms ({read} rows)",
        ms(scan)
    );
    println!(
        "find duplicates:                  {:>8.1} ms = {:.1} × the plain scan",
        ms(find),
        find.as_secs_f64() / scan.as_secs_f64()
    );
    println!(
        "pairs compared: {} (everyone with everyone: {everyone}, {:.5} %); pairs found: {}; crowded keys: {}",
        found.compared,
        100.0 * found.compared as f64 / everyone.max(1) as f64,
        found.pairs.len(),
        found.crowded_keys
    );
    // "Is this …?" before a new contact is saved: indexed look-ups, whatever the size.
    let typed = rapport::model::ContactDraft {
        organization: "Old Town Garage".into(),
        ..rapport::model::ContactDraft::named("Jim Murphy")
    };
    let (asked, alike) = median(|| store.look_alikes(&typed, "GB").expect("look-alikes"));
    println!(
        "look-alikes of a new contact (\"Jim Murphy\" at Old Town Garage): {:.1} ms, {} found",
        ms(asked),
        alike.len()
    );
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "peak resident memory: {} MiB before the first search, {} MiB after it (+{} MiB)",
            before / 1024,
            after / 1024,
            after.saturating_sub(before) / 1024
        );
    }
    for pair in found.pairs.iter().take(3) {
        println!(
            "  e.g. {} ({}) and {} ({}): {}",
            pair.first.name,
            pair.first.id,
            pair.second.name,
            pair.second.id,
            pair.reasons.join("; ")
        );
    }
}

/// The median time of `RUNS` runs (after one that warms the page cache) and the last result.
fn median<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut last = run();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let began = Instant::now();
        last = run();
        times.push(began.elapsed());
    }
    times.sort();
    (times[RUNS / 2], last)
}

/// The process's peak resident size so far (Linux), in KiB.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

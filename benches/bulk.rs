//! Bulk-tagging 10,000 of 100,000 contacts (`Store::add_tag_to`: one transaction, the undo
//! images of every contact changed, their search documents written again), its undo, and the
//! dry run, each against a plain UPDATE of one column on the same 10,000 rows in the same run.
//!
//! `cargo bench --bench bulk` makes a 100,000-contact demo file in a temporary folder (a minute
//! or so); `cargo bench --bench bulk -- /tmp/big.sqlite3` measures a file
//! made by `rapport --db /tmp/big.sqlite3 demo --contacts 100000 --interactions 0` (tagged
//! and put back each round), or a team database at `postgres://…`.

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

//! Import speed: a generated 100,000-row Google Contacts CSV imported by Rapport (read, decode,
//! map, normalize, plan, apply in one transaction) ÷ `sqlite3 :memory: ".mode csv" ".import"`
//! of the same file, measured in the same run. Needs the `sqlite3` command.
//!
//! Run with `cargo bench --bench import` (`-- --rows 20000` for a quicker run).

use std::io::Write as _;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = args
        .iter()
        .position(|a| a == "--rows")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("google.csv");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        file.write_all("\u{feff}First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - City,Address 1 - Country\n".as_bytes()).expect("write");
        let given = [
            "Maria", "James", "Aisha", "Kenji", "Sofia", "Liam", "Chloé", "Mateo",
        ];
        let family = [
            "García", "Smith", "Okafor", "Tanaka", "Rossi", "Murphy", "Dubois", "Silva",
        ];
        for i in 0..rows {
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
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "Import benchmark: {rows} rows of Google Contacts CSV ({:.1} MB)",
        size as f64 / 1e6
    );

    let started = Instant::now();
    let status = std::process::Command::new("sqlite3")
        .arg(":memory:")
        .arg(".mode csv")
        .arg(format!(".import {} t", path.display()))
        .status();
    let sqlite_time = started.elapsed();
    match status {
        Ok(s) if s.success() => {}
        other => {
            println!("sqlite3 is needed for the comparison (apt-get install sqlite3): {other:?}");
            return;
        }
    }

    let mut store = rapport::store::Store::open_in_memory().expect("store");
    let started = Instant::now();
    let bytes = std::fs::read(&path).expect("read");
    let parsed = rapport::import::parse_file(&bytes, "google.csv", "GB", |_| None).expect("parse");
    let parse_time = started.elapsed();
    let plan_started = Instant::now();
    let _ = store.plan_import(&parsed.contacts).expect("plan");
    println!(
        "(dry-run plan alone: {:.0} ms)",
        plan_started.elapsed().as_secs_f64() * 1000.0
    );
    let (_, plan) = store
        .apply_import("google.csv", parsed.format.label(), &parsed.contacts)
        .expect("apply");
    let rapport_time = started.elapsed();
    assert_eq!(plan.created(), rows);
    println!(
        "sqlite3 .import: {:>8.0} ms\nRapport import:  {:>8.0} ms (read + parse + normalize {:.0} ms, plan + apply {:.0} ms)\nratio: {:.2}",
        sqlite_time.as_secs_f64() * 1000.0,
        rapport_time.as_secs_f64() * 1000.0,
        parse_time.as_secs_f64() * 1000.0,
        (rapport_time - parse_time).as_secs_f64() * 1000.0,
        rapport_time.as_secs_f64() / sqlite_time.as_secs_f64()
    );
}

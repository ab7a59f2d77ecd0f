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
    let (floor, floor_search) = sql_floor(rows);
    println!(
        "sqlite3 .import: {:>8.0} ms\nRapport import:  {:>8.0} ms (read + parse + normalize {:.0} ms, plan + apply {:.0} ms)\nratio: {:.2}",
        sqlite_time.as_secs_f64() * 1000.0,
        rapport_time.as_secs_f64() * 1000.0,
        parse_time.as_secs_f64() * 1000.0,
        (rapport_time - parse_time).as_secs_f64() * 1000.0,
        rapport_time.as_secs_f64() / sqlite_time.as_secs_f64()
    );
    println!(
        "SQLite alone writing the same rows into Rapport's tables (set-based SQL, no parsing, no Rust per row): {:.0} ms, of which the search index {:.0} ms\nfloor ratio: {:.2} (with no search index: {:.2})",
        floor.as_secs_f64() * 1000.0,
        floor_search.as_secs_f64() * 1000.0,
        floor.as_secs_f64() / sqlite_time.as_secs_f64(),
        (floor - floor_search).as_secs_f64() / sqlite_time.as_secs_f64()
    );
}

/// The least any import can cost with Rapport's schema: the same number of contacts, each with
/// a UID, one e-mail, phone, address, tag and first stage, and their search documents, written by
/// SQLite itself in one `INSERT … SELECT` per table (no parsing, no per-row statements) into a
/// fresh in-memory database with the real migrations. Returns (total, search index part).
fn sql_floor(rows: usize) -> (std::time::Duration, std::time::Duration) {
    let conn = rusqlite::Connection::open_in_memory().expect("memory db");
    conn.pragma_update(None, "foreign_keys", "ON")
        .expect("pragma");
    for migration in rapport::store::migrations() {
        conn.execute_batch(migration).expect("migration");
    }
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE n(value INTEGER PRIMARY KEY);
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows})
         INSERT INTO n SELECT x FROM c;"
    ))
    .expect("numbers");
    let started = std::time::Instant::now();
    conn.execute_batch(
        "BEGIN;
         INSERT INTO import_batches (id, source_name, format, started_at) VALUES (1, 'google.csv', 'Google', '2026-11-22T10:00:00Z');
         INSERT INTO organizations (id, name, name_key, created_at, updated_at)
           WITH RECURSIVE o(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM o WHERE value < 5000)
           SELECT value, 'Shop ' || value || ' Ltd', 'shop ' || value || ' ltd', '2026-11-22T10:00:00Z', '2026-11-22T10:00:00Z' FROM o;
         INSERT INTO contacts (id, uid, given_name, family_name, display_name, sort_key, organization_id, title,
           birthday_month, birthday_day, personal_notes, source, import_batch_id, created_at, updated_at)
           SELECT value, 'urn:uuid:' || lower(hex(randomblob(16))), 'Maria', 'García', 'Maria García ' || value, 'maria garcia ' || (value * 7919 % 100000),
             value % 5000 + 1, 'Owner', value % 12 + 1, value % 28 + 1, 'Met at fair, ' || (value % 97), 'import', 1,
             '2026-11-22T10:00:00Z', '2026-11-22T10:00:00Z' FROM n;
         INSERT INTO contact_emails (contact_id, position, label, address, address_key)
           SELECT value, 0, 'Work', 'person' || value || '@shop' || (value % 5000) || '.example', 'person' || value || '@shop' || (value % 5000) || '.example' FROM n;
         INSERT INTO contact_phones (contact_id, position, label, number, number_key)
           SELECT value, 0, 'Mobile', '+447911' || (value * 7919 % 1000000), '+447911' || (value * 7919 % 1000000) FROM n;
         INSERT INTO contact_addresses (contact_id, position, label, city, country)
           SELECT value, 0, 'Work', 'London', 'United Kingdom' FROM n;
         INSERT INTO tags (id, name) VALUES (1, 'Customers');
         INSERT INTO contact_tags (contact_id, tag_id) SELECT value, 1 FROM n;
         INSERT INTO stage_changes (contact_id, changed_at, new_stage) SELECT value, '2026-11-22T10:00:00Z', 'prospect' FROM n;",
    )
    .expect("floor rows");
    let search_started = std::time::Instant::now();
    conn.execute_batch(
        "INSERT INTO contact_fts (rowid, name, organization, details)
           SELECT value, 'Maria García ' || value, 'Shop ' || (value % 5000) || ' Ltd',
             'person' || value || '@shop' || (value % 5000) || '.example +447911' || (value * 7919 % 1000000) || ' London Customers'
           FROM n;
         COMMIT;",
    )
    .expect("floor search");
    (started.elapsed(), search_started.elapsed())
}

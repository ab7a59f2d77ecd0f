//! Mail import speed and memory: a generated mbox (100,000 messages by default: replies with
//! quotes and signatures among 5,000 contacts, newsletters, strangers, some with base64
//! attachments) planned and imported into a Rapport file with those contacts, in the same run
//! as reading the mbox alone (`MboxReader`, the floor both passes stand on). Each phase runs
//! in a child process, so its peak memory (VmHWM, Linux) is its own; the import is timed
//! with its backup.
//!
//! `cargo bench --bench mail_import` (`-- --messages 20000` for a quicker run).

use rapport::import::conversation_files::ConversationFiles;
use rapport::import::mail::{MboxReader, ReadOptions};
use rapport::import::meetings::MeetingOptions;
use rapport::model::{ContactDraft, Email};
use rapport::store::Store;
use rapport::store::conversation_import::ConversationImportOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

const CONTACTS: usize = 5_000;
const ME: &str = "bruno@bakery.example";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--phase") {
        let (phase, db, mbox) = (&args[i + 1], Path::new(&args[i + 2]), &args[i + 3]);
        return run_phase(phase, db, PathBuf::from(mbox));
    }
    let messages: usize = args
        .iter()
        .position(|a| a == "--messages")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("rapport.sqlite3");
    let mbox = dir.path().join("All mail.mbox");
    let started = Instant::now();
    make_contacts(&db);
    let bytes = generate(&mbox, messages);
    println!(
        "{CONTACTS} contacts; {messages} messages, {:.0} MB generated in {:.1} s",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    for phase in ["read", "plan", "import", "again"] {
        let out = std::process::Command::new(std::env::current_exe().expect("own path"))
            .args(["--phase", phase])
            .arg(&db)
            .arg(&mbox)
            .output()
            .expect("child");
        print!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
    }
}

fn run_phase(phase: &str, db: &Path, mbox: PathBuf) {
    let started = Instant::now();
    let files = ConversationFiles::open(std::slice::from_ref(&mbox)).expect("files");
    let options = ConversationImportOptions {
        my_addresses: vec![ME.to_owned()],
        ..Default::default()
    };
    let entries = || files.entries(ReadOptions::default(), MeetingOptions::default());
    let (what, count) = match phase {
        "read" => {
            let file = std::fs::File::open(&mbox).expect("mbox");
            let reader = std::io::BufReader::with_capacity(256 * 1024, file);
            let n = MboxReader::new(reader, ReadOptions::default()).count();
            ("read the mbox alone".to_owned(), n)
        }
        "plan" => {
            let store = Store::open(db).expect("db");
            let plan = store
                .plan_conversation_import(&mut entries(), &options, &mut |_, _| true)
                .expect("plan");
            let what = format!(
                "plan: {} to make, {} unknown, {} skipped",
                plan.conversations,
                plan.unknown_messages,
                plan.skipped_total()
            );
            (what, plan.read)
        }
        _ => {
            let mut store = Store::open(db).expect("db");
            store
                .backup_now("before-import", chrono::Local::now().naive_local())
                .expect("backup");
            let (_, done) = store
                .import_conversations(
                    "All mail.mbox",
                    "mbox",
                    &mut entries(),
                    &options,
                    &mut |_, _| true,
                )
                .expect("import");
            let what = format!(
                "{}: {} made, {} already in Rapport (backup included)",
                if phase == "again" {
                    "import again"
                } else {
                    "import"
                },
                done.conversations,
                done.already
            );
            (what, done.read)
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "  {what}: {count} messages in {seconds:.2} s = {:.0} messages/s, peak memory {}",
        count as f64 / seconds,
        peak_memory()
    );
}

fn make_contacts(db: &Path) {
    let mut store = Store::open(db).expect("db");
    let mut bulk = store.bulk().expect("bulk");
    for n in 0..CONTACTS {
        let draft = ContactDraft {
            emails: vec![Email {
                label: "work".into(),
                address: format!("person{n}@customer{}.example", n % 700),
            }],
            ..ContactDraft::named(&format!("Person {n}"))
        };
        bulk.add_contact(&draft, "manual").expect("contact");
    }
    bulk.commit().expect("commit");
}

/// Writes `count` messages; returns the file's size.
fn generate(path: &Path, count: usize) -> u64 {
    let mut out = BufWriter::new(std::fs::File::create(path).expect("mbox"));
    let mut rng = fastrand::Rng::with_seed(22);
    let attachment = "JVBERi0xLjQKJcfsj6IK".repeat(1000);
    for n in 0..count {
        let day = 1 + n % 28;
        let person = rng.usize(..CONTACTS);
        let contact = format!(
            "Person {person} <person{person}@customer{}.example>",
            person % 700
        );
        let (from, to, extra) = match rng.u8(..100) {
            0..=39 => (contact.clone(), format!("Bruno <{ME}>"), ""),
            40..=69 => (format!("Bruno <{ME}>"), contact.clone(), ""),
            70..=79 => (
                "Supplies Weekly <news@supplies.example>".to_owned(),
                ME.to_owned(),
                "List-Id: Supplies Weekly <weekly.supplies.example>\n",
            ),
            80..=89 => (
                format!("Stranger {n} <stranger{}@elsewhere.example>", n % 3000),
                ME.to_owned(),
                "",
            ),
            _ => (contact.clone(), format!("Bruno <{ME}>, {contact}"), ""),
        };
        writeln!(out, "From sender@example Mon Mar {day:2} 10:15:00 2025").unwrap();
        write!(
            out,
            "From: {from}\nTo: {to}\nSubject: Order {n}\nDate: Mon, {day:02} Mar 2025 10:{:02}:00 +0000\n\
             Message-ID: <m{n}@bench.example>\nMIME-Version: 1.0\n{extra}",
            n % 60
        )
        .unwrap();
        let body = "Could you send the prices for the rye and the spelt before Friday?\n\
                    We need ten sacks for the weekend market.\n\n\
                    On Sunday, Bruno wrote:\n> Here are the numbers from last week.\n> Best\n\n\
                    -- \nPerson\nCustomer Ltd, 12 High Street\n";
        if rng.u8(..100) < 5 {
            write!(
                out,
                "Content-Type: multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\n{body}\n--B\n\
                 Content-Type: application/pdf; name=\"prices.pdf\"\nContent-Disposition: attachment; filename=\"prices.pdf\"\n\
                 Content-Transfer-Encoding: base64\n\n{attachment}\n--B--\n\n"
            )
            .unwrap();
        } else {
            write!(out, "Content-Type: text/plain; charset=utf-8\n\n{body}\n").unwrap();
        }
    }
    out.flush().unwrap();
    std::fs::metadata(path).expect("size").len()
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

//! Mail import speed and memory: a generated mbox of ≈ 1 GB (≈ 100,000 messages of varied,
//! realistic size: short replies with quotes and signatures, HTML newsletters, multipart mail
//! with base64 attachments) read through `MboxReader` ÷ `grep -c "^From "` on the same file,
//! measured in the same run. The reader runs in a child process so its peak memory (VmHWM)
//! is its own. Needs `grep`; Linux for the memory figure.
//!
//! Run with `cargo bench --bench mbox` (`-- --mb 100` for a quicker run).

use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use rapport::import::mail::{LocalTime, MboxReader, ReadOptions, SkipReason};

const MB: u64 = 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--read") {
        read_and_report(Path::new(&args[i + 1]));
        return;
    }
    let mb: u64 = args
        .iter()
        .position(|a| a == "--mb")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1024);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("All mail Including Spam and Trash.mbox");
    let started = Instant::now();
    let written = generate(&path, mb * MB);
    println!(
        "generated {written} messages, {:.0} MB in {:.1} s",
        file_mb(&path),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let grep = std::process::Command::new("grep")
        .args(["-c", "^From "])
        .arg(&path)
        .output()
        .expect("grep");
    let grep_seconds = started.elapsed().as_secs_f64();
    let grep_count = String::from_utf8_lossy(&grep.stdout).trim().to_owned();
    println!("grep -c \"^From \": {grep_count} lines in {grep_seconds:.2} s");

    let child = std::process::Command::new(std::env::current_exe().expect("own path"))
        .arg("--read")
        .arg(&path)
        .output()
        .expect("reader child");
    let report = String::from_utf8_lossy(&child.stdout);
    print!("{report}");
    eprint!("{}", String::from_utf8_lossy(&child.stderr));
    let reader_seconds: f64 = report
        .lines()
        .find_map(|l| l.strip_prefix("seconds "))
        .and_then(|s| s.trim().parse().ok())
        .expect("the child's time");
    println!(
        "reader / grep: {:.1}x ({reader_seconds:.2} s / {grep_seconds:.2} s)",
        reader_seconds / grep_seconds
    );
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / MB as f64)
}

/// The child: read the whole mbox, print the figures.
fn read_and_report(path: &Path) {
    let opts = ReadOptions {
        local_time: LocalTime::Zone(jiff::tz::TimeZone::UTC),
        ..ReadOptions::default()
    };
    let file = std::fs::File::open(path).expect("open");
    let size = file.metadata().map(|m| m.len()).unwrap_or(1);
    let started = Instant::now();
    let mut reader = MboxReader::new(BufReader::with_capacity(256 * 1024, file), opts);
    let (mut messages, mut said, mut bulk, mut unreadable, mut attachments) =
        (0u64, 0usize, 0, 0, 0);
    for conversation in reader.by_ref() {
        messages += 1;
        said += conversation.they_said.len() + conversation.summary.len();
        attachments += conversation.attachments.len();
        match conversation.skip {
            Some(SkipReason::Bulk(_)) => bulk += 1,
            Some(SkipReason::Unreadable(_)) => unreadable += 1,
            _ => {}
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(reader.bytes_read(), size, "the reader read the whole file");
    println!(
        "reader: {messages} messages ({bulk} bulk, {unreadable} unreadable, {attachments} \
         attachments, {said} bytes said) in {seconds:.2} s"
    );
    println!(
        "  {:.0} messages/s, {:.0} MB/s",
        messages as f64 / seconds,
        size as f64 / MB as f64 / seconds
    );
    println!("  peak memory (VmHWM): {}", peak_memory());
    println!("seconds {seconds}");
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (no /proc)".to_owned())
}

/// Writes messages until the file has `target` bytes; returns how many.
fn generate(path: &Path, target: u64) -> u64 {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("create"));
    let mut rng = fastrand::Rng::with_seed(22);
    let mut written = 0u64;
    let mut count = 0u64;
    let mut message = Vec::with_capacity(128 * 1024);
    while written < target {
        message.clear();
        let kind = rng.u32(0..100);
        envelope(&mut message, count, &mut rng);
        match kind {
            0..55 => plain_reply(&mut message, count, &mut rng),
            55..80 => html_alternative(&mut message, count, &mut rng),
            80..95 => with_attachment(&mut message, count, &mut rng),
            _ => newsletter(&mut message, count, &mut rng),
        }
        message.extend_from_slice(b"\n");
        out.write_all(&message).expect("write");
        written += message.len() as u64;
        count += 1;
    }
    out.flush().expect("flush");
    count
}

const WORDS: [&str; 24] = [
    "flour",
    "delivery",
    "Thursday",
    "rye",
    "sacks",
    "invoice",
    "the",
    "we",
    "can",
    "oven",
    "order",
    "price",
    "week",
    "please",
    "and",
    "croissants",
    "for",
    "your",
    "morning",
    "sourdough",
    "before",
    "confirm",
    "thanks",
    "batch",
];
const NAMES: [(&str, &str); 6] = [
    ("Ana Lima", "ana@millstone.example"),
    ("Bruno Costa", "bruno@costa-bakery.example"),
    ("J\u{fc}rgen M\u{fc}ller", "juergen@example.de"),
    ("Priya Raman", "priya@harbourhotels.example"),
    ("Sofia Rossi", "sofia@studio-rossi.example"),
    ("Fran\u{e7}ois Lef\u{e8}vre", "francois@fromagerie.example"),
];

fn sentence(out: &mut Vec<u8>, rng: &mut fastrand::Rng, words: usize) {
    for i in 0..words {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(WORDS[rng.usize(..WORDS.len())].as_bytes());
    }
    out.extend_from_slice(b".\n");
}

fn envelope(out: &mut Vec<u8>, n: u64, rng: &mut fastrand::Rng) {
    let day = 1 + n % 28;
    let _ = writeln!(
        out,
        "From {}@xxx Tue Mar {day:02} {:02}:{:02}:00 +0000 2024",
        1_790_000_000_000_000_000u64 + n,
        rng.u32(0..24),
        rng.u32(0..60)
    );
}

fn headers(out: &mut Vec<u8>, n: u64, rng: &mut fastrand::Rng, subject: &str) {
    let (from_name, from) = NAMES[rng.usize(..NAMES.len())];
    let (to_name, to) = NAMES[rng.usize(..NAMES.len())];
    let _ = write!(
        out,
        "X-GM-THRID: {}\nX-Gmail-Labels: Inbox\nMIME-Version: 1.0\n\
         From: {from_name} <{from}>\nTo: {to_name} <{to}>\n\
         Date: Tue, {} Mar 2024 10:{:02}:00 +0100\nMessage-ID: <msg-{n}@bench.example>\n\
         Subject: {subject} {n}\n",
        1_790_000_000_000_000_000u64 + n / 3,
        1 + n % 28,
        rng.u32(0..60)
    );
    if !n.is_multiple_of(3) {
        let _ = writeln!(out, "In-Reply-To: <msg-{}@bench.example>", n - n % 3);
        let _ = writeln!(out, "References: <msg-{}@bench.example>", n - n % 3);
    }
}

fn plain_reply(out: &mut Vec<u8>, n: u64, rng: &mut fastrand::Rng) {
    headers(out, n, rng, "Re: Flour delivery");
    out.extend_from_slice(b"Content-Type: text/plain; charset=UTF-8; format=flowed\n\nHi,\n\n");
    for _ in 0..rng.usize(3..12) {
        {
            let words = rng.usize(6..18);
            sentence(out, rng, words);
        }
    }
    if n.is_multiple_of(50) {
        out.extend_from_slice(b">From the market: prices go up in April.\n");
    }
    out.extend_from_slice(
        b"\nOn Tue, 12 Mar 2024 at 10:15, Ana Lima <ana@millstone.example> wrote:\n",
    );
    for _ in 0..rng.usize(15..50) {
        out.extend_from_slice(b"> ");
        {
            let words = rng.usize(6..14);
            sentence(out, rng, words);
        }
    }
    out.extend_from_slice(b"\n-- \nBruno Costa\nCosta Bakery, 12 Harbour Street\n");
}

fn html_alternative(out: &mut Vec<u8>, n: u64, rng: &mut fastrand::Rng) {
    headers(out, n, rng, "Quote for the wedding cake");
    out.extend_from_slice(
        b"Content-Type: multipart/alternative; boundary=\"alt-boundary\"\n\n--alt-boundary\n\
          Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n",
    );
    let mut text = Vec::new();
    for _ in 0..rng.usize(5..20) {
        {
            let words = rng.usize(8..20);
            sentence(&mut text, rng, words);
        }
    }
    out.extend_from_slice(&text);
    out.extend_from_slice(
        b"\n--alt-boundary\nContent-Type: text/html; charset=UTF-8\n\n<html><head><style>p{margin:0}\
          </style></head><body>",
    );
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        out.extend_from_slice(b"<p class=\"MsoNormal\" style=\"font-family:Calibri\">");
        out.extend_from_slice(line);
        out.extend_from_slice(b"</p>\n");
    }
    out.extend_from_slice(b"<div class=\"gmail_quote\"><blockquote>");
    for _ in 0..rng.usize(20..60) {
        out.extend_from_slice(b"<div>");
        sentence(out, rng, 12);
        out.extend_from_slice(b"</div>");
    }
    out.extend_from_slice(b"</blockquote></div></body></html>\n--alt-boundary--\n");
}

fn with_attachment(out: &mut Vec<u8>, n: u64, rng: &mut fastrand::Rng) {
    headers(out, n, rng, "Signed order");
    out.extend_from_slice(
        b"Content-Type: multipart/mixed; boundary=\"mixed-boundary\"\n\n--mixed-boundary\n\
          Content-Type: text/plain; charset=UTF-8\n\nThe signed order is attached.\n\n",
    );
    let size = rng.usize(15_000..45_000);
    let _ = write!(
        out,
        "--mixed-boundary\nContent-Type: application/pdf; name=\"order-{n}.pdf\"\n\
         Content-Disposition: attachment; filename=\"order-{n}.pdf\"\n\
         Content-Transfer-Encoding: base64\n\n"
    );
    let raw: Vec<u8> = (0..size).map(|_| rng.u8(..)).collect();
    base64_lines(out, &raw);
    out.extend_from_slice(b"--mixed-boundary--\n");
}

fn newsletter(out: &mut Vec<u8>, n: u64, rng: &mut fastrand::Rng) {
    headers(out, n, rng, "This week at the mill");
    out.extend_from_slice(
        b"List-Id: Mill News <news.millstone.example>\nPrecedence: bulk\n\
          Content-Type: text/html; charset=UTF-8\n\n<html><body><table>",
    );
    for _ in 0..rng.usize(40..120) {
        out.extend_from_slice(b"<tr><td style=\"padding:8px\">");
        sentence(out, rng, 10);
        out.extend_from_slice(b"</td></tr>\n");
    }
    out.extend_from_slice(b"</table></body></html>\n");
}

fn base64_lines(out: &mut Vec<u8>, raw: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for line in raw.chunks(57) {
        for chunk in line.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]);
                } else {
                    out.push(b'=');
                }
            }
        }
        out.push(b'\n');
    }
}

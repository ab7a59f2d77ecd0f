//! Handing a request to the window already open on a database: `rapport --open-contact ID`
//! (which a reminder's "Open" runs) while a window has the file selects the contact there and
//! brings that window forward, instead of being refused as a second window.
//!
//! The window listens on a loopback TCP port (any free one) while it holds the database's
//! lock, and writes `<port> <token>` to `<db>.handoff` beside the lock file (mode 0600). A
//! request is one line, `rapport-handoff <token> open-contact <id>`, answered `ok`: only the
//! user who can read that file knows the token, and nothing but a contact id crosses. Loopback
//! TCP works the same on Linux, macOS and Windows.

use crate::model::ContactId;
use anyhow::{Result, bail};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

const HELLO: &str = "rapport-handoff";

/// How long a second launch waits for a window that holds the lock but has not started
/// listening yet (it is still opening the file).
const PATIENCE: Duration = Duration::from_secs(5);

/// The address file of the database at `db`.
pub fn address_path(db: &Path) -> PathBuf {
    crate::safety::beside(db, "handoff")
}

/// The window's end: a thread that takes requests and hands the contact ids over.
pub struct Listener {
    db: PathBuf,
    requests: Receiver<ContactId>,
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Listener {
    /// Listens for the database at `db` and writes its address beside it; `wake` is called
    /// after each request (the window asks for a frame).
    pub fn start(db: &Path, wake: impl Fn() + Send + 'static) -> Result<Self> {
        let socket = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let port = socket.local_addr()?.port();
        let token = new_token();
        let address = address_path(db);
        crate::files::write_atomically(&address, format!("{port} {token}\n").as_bytes())?;
        crate::safety::make_private(&address);
        let (sender, requests) = std::sync::mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        std::thread::Builder::new()
            .name("handoff".to_owned())
            .spawn(move || serve(&socket, &token, &sender, &stopping, &wake))?;
        Ok(Listener {
            db: db.to_path_buf(),
            requests,
            port,
            stop,
        })
    }

    /// The database it listens for.
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// The contacts asked for since the last call.
    pub fn requests(&self) -> Vec<ContactId> {
        self.requests.try_iter().collect()
    }
}

impl Drop for Listener {
    /// Stops the thread (a connection of its own wakes it from `accept`) and removes the
    /// address file when it is still this listener's.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(
            &SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)),
            Duration::from_millis(200),
        );
        let address = address_path(&self.db);
        let ours = read_address(&address).is_some_and(|(port, _)| port == self.port);
        if ours {
            let _ = std::fs::remove_file(address);
        }
    }
}

fn serve(
    socket: &TcpListener,
    token: &str,
    sender: &Sender<ContactId>,
    stop: &AtomicBool,
    wake: &dyn Fn(),
) {
    for stream in socket.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Out of file handles, say: not a busy loop.
            std::thread::sleep(Duration::from_millis(100));
            continue;
        };
        match take_request(stream, token) {
            Ok(Some(contact)) => {
                if sender.send(contact).is_err() {
                    return;
                }
                wake();
            }
            Ok(None) => tracing::warn!("a handoff request without the right token was refused"),
            Err(e) => tracing::debug!("a handoff request failed: {e}"),
        }
    }
}

/// Reads one request and answers it: the contact when the token is right.
fn take_request(stream: TcpStream, token: &str) -> std::io::Result<Option<ContactId>> {
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut line = String::new();
    BufReader::new(stream.try_clone()?)
        .take(256)
        .read_line(&mut line)?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let contact = match words[..] {
        [HELLO, given, "open-contact", id] if given == token => id.parse().ok().map(ContactId),
        _ => None,
    };
    let mut stream = stream;
    stream.write_all(if contact.is_some() { b"ok\n" } else { b"no\n" })?;
    Ok(contact)
}

/// What a second launch did with its request.
#[derive(Debug, PartialEq, Eq)]
pub enum Handed {
    /// The window open on the database took it.
    ToWindow,
    /// No window has the database: open one.
    NoWindow,
}

/// Asks the window open on `db` to show `contact`. `NoWindow` when none holds the database's
/// lock; a sentence when one does but does not answer within a few seconds.
pub fn open_contact_in_window(db: &Path, contact: ContactId) -> Result<Handed> {
    let started = Instant::now();
    loop {
        if let Some((port, token)) = read_address(&address_path(db))
            && send(port, &token, contact).is_ok()
        {
            return Ok(Handed::ToWindow);
        }
        if !crate::safety::database_locked(db) {
            return Ok(Handed::NoWindow);
        }
        if started.elapsed() > PATIENCE {
            bail!(
                "Rapport is open on {} but did not answer; switch to its window and open the contact there.",
                db.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn send(port: u16, token: &str, contact: ContactId) -> std::io::Result<()> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    writeln!(stream, "{HELLO} {token} open-contact {}", contact.0)?;
    let mut answer = String::new();
    BufReader::new(stream).take(16).read_line(&mut answer)?;
    match answer.trim() {
        "ok" => Ok(()),
        _ => Err(std::io::Error::other("the window refused the request")),
    }
}

/// The port and token in an address file, if it holds them.
fn read_address(path: &Path) -> Option<(u16, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    let (port, token) = text.trim().split_once(' ')?;
    Some((port.parse().ok()?, token.to_owned()))
}

/// 128 bits from the standard library's hash keys, which the OS's random source seeds, as hex.
fn new_token() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let half = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(salt);
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

//! How the companion sleeps without polling: one channel of `Wake`s, fed by a watch on the
//! database's folder (a change to the file or its `-wal`), by a wall-clock alarm at the next
//! moment, and by the buttons of the notifications it sent.
//!
//! The alarm on Linux is a `timerfd` on `CLOCK_REALTIME` set to an absolute time with
//! `TFD_TIMER_CANCEL_ON_SET`: a monotonic timer stops counting while the computer sleeps (a
//! one-hour sleep at 14:30 would bring a 15:00 reminder at 16:00), an absolute wall-clock one
//! expires as soon as the computer wakes past it, and the cancel flag wakes the companion too
//! when the clock is set or the computer resumes (the kernel cancels such timers then). The
//! companion also looks once every `SAFETY_NET`, for what no timer sees: a move to another
//! time zone (the clock's instant does not change) or a file event lost to a full queue.
//! Elsewhere the alarm is a channel timeout of at most a minute, checked against the clock.

use super::Wake;
use chrono::{DateTime, Utc};
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::ffi::OsString;
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

/// The longest the companion sleeps without looking at the clock.
pub const SAFETY_NET: chrono::Duration = chrono::Duration::minutes(10);

/// How long a burst of file changes (a save writes the `-wal` several times) is let settle.
const SETTLE: Duration = Duration::from_millis(100);

/// Watches the folder of `db` and sends `Wake::FileChanged` when the file or its `-wal`
/// changes (its `-shm`, which readers touch, and other files are ignored). The watch lasts as
/// long as the returned watcher.
pub fn watch_database(
    db: &Path,
    wakes: Sender<Wake>,
) -> notify::Result<notify::RecommendedWatcher> {
    let name = db.file_name().map(OsString::from).unwrap_or_default();
    let mut wal = name.clone();
    wal.push("-wal");
    let folder = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let relevant = match event {
            Ok(event) => {
                event.need_rescan()
                    || (!matches!(event.kind, EventKind::Access(_))
                        && event
                            .paths
                            .iter()
                            .any(|p| p.file_name().is_some_and(|n| n == name || n == wal)))
            }
            // An error may mean events were lost: look again.
            Err(_) => true,
        };
        if relevant {
            let _ = wakes.send(Wake::FileChanged);
        }
    })?;
    watcher.watch(&folder, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}

/// Waits for the next wake: the first on the channel, with the changes that follow it within
/// `SETTLE` folded into it, or `Wake::Timer` when the alarm at `at` rings first.
pub fn next_wakes(alarm: &Alarm, wakes: &Receiver<Wake>, at: DateTime<Utc>) -> Vec<Wake> {
    let first = alarm.wait(wakes, at);
    let settle = matches!(first, Wake::FileChanged);
    let mut all = vec![first];
    if settle {
        std::thread::sleep(SETTLE);
    }
    all.extend(wakes.try_iter());
    all
}

/// The wall-clock alarm.
pub struct Alarm {
    #[cfg(target_os = "linux")]
    timer: std::sync::Arc<rustix::fd::OwnedFd>,
}

#[cfg(target_os = "linux")]
impl Alarm {
    /// A realtime timer, and a thread that sends `Wake::Timer` each time it rings or is
    /// cancelled by a clock change or a resume.
    pub fn start(wakes: Sender<Wake>) -> std::io::Result<Self> {
        use rustix::time::{TimerfdClockId, TimerfdFlags, timerfd_create};
        let timer = std::sync::Arc::new(timerfd_create(
            TimerfdClockId::Realtime,
            TimerfdFlags::CLOEXEC,
        )?);
        let reading = timer.clone();
        std::thread::Builder::new()
            .name("remind-alarm".to_owned())
            .spawn(move || ring(&reading, &wakes))?;
        Ok(Alarm { timer })
    }

    /// Sets the alarm for `at` (a moment already past rings at once) and waits for a wake.
    fn wait(&self, wakes: &Receiver<Wake>, at: DateTime<Utc>) -> Wake {
        use rustix::time::{Itimerspec, TimerfdTimerFlags, Timespec, timerfd_settime};
        let value = Timespec {
            // Zero would disarm the timer: the epoch's first second is as good as past.
            tv_sec: at.timestamp().max(1),
            tv_nsec: i64::from(at.timestamp_subsec_nanos()),
        };
        let spec = Itimerspec {
            it_interval: Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value: value,
        };
        let flags = TimerfdTimerFlags::ABSTIME | TimerfdTimerFlags::CANCEL_ON_SET;
        if let Err(e) = timerfd_settime(&*self.timer, flags, &spec) {
            tracing::warn!("could not set the reminder alarm ({e}); looking every minute");
            return wakes
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or(Wake::Timer);
        }
        wakes.recv().unwrap_or(Wake::Timer)
    }
}

/// Reads the timer forever: each expiry, and each cancellation (the clock was set, or the
/// computer woke up), is a `Wake::Timer`.
#[cfg(target_os = "linux")]
fn ring(timer: &rustix::fd::OwnedFd, wakes: &Sender<Wake>) {
    let mut ticks = [0u8; 8];
    loop {
        match rustix::io::read(timer, &mut ticks) {
            Ok(_) | Err(rustix::io::Errno::CANCELED) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => {
                tracing::warn!("the reminder alarm failed ({e}); trying again in a minute");
                std::thread::sleep(Duration::from_secs(60));
            }
        }
        if wakes.send(Wake::Timer).is_err() {
            return;
        }
    }
}

#[cfg(not(target_os = "linux"))]
impl Alarm {
    /// No thread: `wait` times out instead.
    pub fn start(_wakes: Sender<Wake>) -> std::io::Result<Self> {
        Ok(Alarm {})
    }

    /// Waits for a wake, or until `at`, looking at the wall clock at least every minute (a
    /// timeout counts the monotonic time, which stops while the computer sleeps).
    fn wait(&self, wakes: &Receiver<Wake>, at: DateTime<Utc>) -> Wake {
        let left = (at - Utc::now()).to_std().unwrap_or_default();
        wakes
            .recv_timeout(left.min(Duration::from_secs(60)))
            .unwrap_or(Wake::Timer)
    }
}

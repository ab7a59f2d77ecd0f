//! What the companion remembers between runs, in `<db>.reminded` beside the database (mode
//! 0600): the last check and the follow-ups announced, as ids with their moments. No names or
//! text: the database holds those.

use super::schedule::Announced;
use crate::model::FollowUpId;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const MOMENT: &str = "%Y-%m-%d %H:%M";

/// The last check and what was announced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// When the companion last looked; `None` before its first run on this database.
    pub since: Option<DateTime<Utc>>,
    pub announced: Announced,
}

#[derive(Serialize, Deserialize)]
struct Saved {
    checked_until: Option<DateTime<Utc>>,
    announced: Vec<(i64, String)>,
}

/// The state file of the database at `db`.
pub fn path_for(db: &Path) -> PathBuf {
    crate::safety::beside(db, "reminded")
}

/// The memory in `path`; empty when there is none yet or it cannot be read (then the worst
/// that happens is one reminder again).
pub fn load(path: &Path) -> Memory {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Memory::default(),
        Err(e) => {
            tracing::warn!("could not read {}: {e}", path.display());
            return Memory::default();
        }
    };
    let saved: Saved = match serde_json::from_str(&text) {
        Ok(saved) => saved,
        Err(e) => {
            tracing::warn!(
                "{} is not what Rapport wrote ({e}); starting afresh",
                path.display()
            );
            return Memory::default();
        }
    };
    let announced = saved
        .announced
        .into_iter()
        .filter_map(|(id, moment)| {
            let moment = NaiveDateTime::parse_from_str(&moment, MOMENT).ok()?;
            Some((FollowUpId(id), moment))
        })
        .collect();
    Memory {
        since: saved.checked_until,
        announced,
    }
}

/// Writes `memory` to `path` atomically (a private temporary file renamed over it).
pub fn save(path: &Path, memory: &Memory) -> anyhow::Result<()> {
    let saved = Saved {
        checked_until: memory.since,
        announced: memory
            .announced
            .iter()
            .map(|(id, moment)| (id.0, moment.format(MOMENT).to_string()))
            .collect(),
    };
    crate::files::write_atomically(path, &serde_json::to_vec(&saved)?)?;
    crate::safety::make_private(path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remind_state_round_trips_ids_and_moments_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rapport.sqlite3.reminded");
        assert_eq!(load(&path), Memory::default());
        let moment = NaiveDateTime::parse_from_str("2026-11-20 15:00", MOMENT).unwrap();
        let memory = Memory {
            since: Some(moment.and_utc()),
            announced: [(FollowUpId(7), moment)].into_iter().collect(),
        };
        save(&path, &memory).unwrap();
        assert_eq!(load(&path), memory);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            r#"{"checked_until":"2026-11-20T15:00:00Z","announced":[[7,"2026-11-20 15:00"]]}"#
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not json").unwrap();
        assert_eq!(load(&path), Memory::default());
    }
}

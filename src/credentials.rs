//! Each person's team-database password, kept in the OS keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows) and never in a file: prefs and logs hold
//! the address without it (`view::team_dialog::without_password`).
//!
//! One entry per address: service "Rapport team database", user the address without password
//! (`user@host:port/db`, the port and database filled in as the server would, so
//! `postgres://ana@server/shop` and `postgres://ana@server:5432/shop` share one).
//!
//! A protected database file's passphrase can be kept there too (`saved_passphrase`): service
//! "Rapport database passphrase", user the file's absolute path.
//!
//! A machine without a keychain (no Secret Service on the session bus, a locked store) breaks
//! nothing: nothing is found, Rapport asks for the password as before, and says why in the log
//! once.

use crate::store::Location;
use crate::store::cipher::{self, Passphrase};
use std::sync::atomic::{AtomicBool, Ordering};

/// The keychain entry's service name.
pub const SERVICE: &str = "Rapport team database";

/// Set once the keychain's absence has been logged.
static UNAVAILABLE_LOGGED: AtomicBool = AtomicBool::new(false);

/// The keychain's name for `url`'s password: `user@host:port/db`, or none for an address
/// without a user (whose password would be nobody's) or one that is not a team address.
pub fn account(url: &str) -> Option<String> {
    let config: postgres::Config = url.parse().ok()?;
    let user = config.get_user().filter(|user| !user.is_empty())?;
    if !crate::store::team::is_team_url(url) {
        return None;
    }
    let redacted = crate::store::team::redacted(url);
    redacted
        .strip_prefix("postgres://")
        .map(str::to_owned)
        .filter(|account| account.starts_with(user))
}

/// The password saved for `url`'s address, if the keychain is there and holds one.
pub fn saved_password(url: &str) -> Option<String> {
    read(&entry(url)?)
}

/// Saves `password` for `url`'s address in the keychain, or says in a sentence why it could not.
pub fn save_password(url: &str, password: &str) -> Result<(), String> {
    let Some(account) = account(url) else {
        return Err(
            "The address names no login (postgres://name@server/database), so there is no one to keep a password for."
                .to_owned(),
        );
    };
    let entry = keyring::Entry::new(SERVICE, &account).map_err(|error| {
        unavailable(&error);
        cannot_keep(&error)
    })?;
    entry.set_password(password).map_err(|error| {
        unavailable(&error);
        cannot_keep(&error)
    })?;
    tracing::info!("saved the password of {account} in the system keychain");
    Ok(())
}

/// Forgets the password saved for `url`'s address. Returns whether there was one.
pub fn forget_password(url: &str) -> bool {
    entry(url).is_some_and(|entry| delete(&entry))
}

/// What the keychain keeps in `entry`, if it answers and keeps something.
fn read(entry: &keyring::Entry) -> Option<String> {
    match entry.get_password() {
        Ok(secret) => Some(secret),
        Err(keyring::Error::NoEntry) => None,
        Err(error) => {
            unavailable(&error);
            None
        }
    }
}

/// Deletes `entry` from the keychain; whether there was one.
fn delete(entry: &keyring::Entry) -> bool {
    match entry.delete_credential() {
        Ok(()) => true,
        Err(keyring::Error::NoEntry) => false,
        Err(error) => {
            unavailable(&error);
            false
        }
    }
}

/// `location` with its saved password filled in, when it is a team address without one and
/// the keychain holds one; otherwise `location` as it is.
pub fn with_saved_password(location: &Location) -> Location {
    let Location::Team(url) = location else {
        return location.clone();
    };
    if has_password(url) {
        return location.clone();
    }
    match saved_password(url).and_then(|password| with_password(url, &password)) {
        Some(url) => Location::Team(url),
        None => location.clone(),
    }
}

/// True when `url` carries a password of its own (`user:password@` or `password=`).
pub fn has_password(url: &str) -> bool {
    url.parse::<postgres::Config>()
        .is_ok_and(|config| config.get_password().is_some())
}

/// The password `url` carries, if any.
pub fn password_in(url: &str) -> Option<String> {
    let config: postgres::Config = url.parse().ok()?;
    let password = config.get_password()?;
    String::from_utf8(password.to_vec()).ok()
}

/// `url` with `password` written in as `user:password@` (percent-encoded), or none when the
/// address names no user.
pub fn with_password(url: &str, password: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let before_query = rest.split_once('?').map_or(rest, |(before, _)| before);
    let user_end = before_query.rfind('@')?;
    let (user, host_and_more) = rest.split_at(user_end);
    let user = user.split_once(':').map_or(user, |(user, _)| user);
    Some(format!(
        "{scheme}://{user}:{}{host_and_more}",
        percent_encode(password)
    ))
}

/// Everything but RFC 3986's unreserved characters as `%XX`, so any password survives the URL.
fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The keychain entry's service name for database passphrases.
pub const PASSPHRASE_SERVICE: &str = "Rapport database passphrase";

fn passphrase_entry(db_path: &std::path::Path) -> Option<keyring::Entry> {
    let account = std::path::absolute(db_path).ok()?.display().to_string();
    match keyring::Entry::new(PASSPHRASE_SERVICE, &account) {
        Ok(entry) => Some(entry),
        Err(error) => {
            unavailable(&error);
            None
        }
    }
}

/// The passphrase the keychain keeps for the database file at `db_path`, if it keeps one.
pub fn saved_passphrase(db_path: &std::path::Path) -> Option<Passphrase> {
    Passphrase::new(read(&passphrase_entry(db_path)?)?)
}

/// Keeps `passphrase` for the file at `db_path` in the keychain, or says why it could not.
pub fn save_passphrase(db_path: &std::path::Path, passphrase: &Passphrase) -> Result<(), String> {
    let entry = passphrase_entry(db_path)
        .ok_or_else(|| "The system keychain is not available on this computer.".to_owned())?;
    entry.set_password(passphrase.as_str()).map_err(|error| {
        unavailable(&error);
        format!(
            "The system keychain could not keep the passphrase ({error}); Rapport will ask for it at launch."
        )
    })?;
    tracing::info!("saved a database passphrase in the system keychain");
    Ok(())
}

/// Forgets the passphrase kept for the file at `db_path`. Returns whether there was one.
pub fn forget_passphrase(db_path: &std::path::Path) -> bool {
    passphrase_entry(db_path).is_some_and(|entry| delete(&entry))
}

/// Before the file at `db_path` is opened: when it is protected and this process knows no
/// passphrase for it, the keychain's (if it keeps one) is remembered for the process. Returns
/// whether one is known now.
pub fn unlock_from_keychain(db_path: &std::path::Path) -> bool {
    if !cipher::is_protected(db_path) || cipher::passphrase_for(db_path).is_some() {
        return cipher::passphrase_for(db_path).is_some();
    }
    match saved_passphrase(db_path) {
        Some(passphrase) => {
            cipher::remember(db_path, passphrase);
            true
        }
        None => false,
    }
}

fn entry(url: &str) -> Option<keyring::Entry> {
    let account = account(url)?;
    match keyring::Entry::new(SERVICE, &account) {
        Ok(entry) => Some(entry),
        Err(error) => {
            unavailable(&error);
            None
        }
    }
}

fn cannot_keep(error: &keyring::Error) -> String {
    format!(
        "The system keychain could not keep the password ({error}); type it with the address next time."
    )
}

/// Logs, once per run, that the keychain did not answer; each later failure goes to debug.
fn unavailable(error: &keyring::Error) {
    if UNAVAILABLE_LOGGED.swap(true, Ordering::Relaxed) {
        tracing::debug!("the system keychain did not answer: {error}");
    } else {
        tracing::warn!(
            "the system keychain did not answer ({error}); passwords and passphrases are asked for instead of kept"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_the_address_without_password_with_port_and_database() {
        assert_eq!(
            account("postgres://ana:pw@server/shop").as_deref(),
            Some("ana@server:5432/shop")
        );
        assert_eq!(
            account("postgresql://ana@server:5433/shop?sslmode=require").as_deref(),
            Some("ana@server:5433/shop")
        );
        assert_eq!(account("postgres://server/shop"), None);
        assert_eq!(account("/home/ana/rapport.sqlite3"), None);
    }

    #[test]
    fn a_password_is_written_into_the_address_so_the_server_reads_it_back() {
        let url = with_password(
            "postgres://ana@server:5433/shop?sslmode=disable",
            "p@s s/:%é",
        )
        .unwrap();
        assert_eq!(password_in(&url).as_deref(), Some("p@s s/:%é"));
        assert_eq!(account(&url).as_deref(), Some("ana@server:5433/shop"));
        assert!(url.ends_with("@server:5433/shop?sslmode=disable"));
        // An old password in the address is replaced, not kept beside.
        let url = with_password("postgres://ana:old@server/shop", "new").unwrap();
        assert_eq!(url, "postgres://ana:new@server/shop");
        assert!(with_password("postgres://server/shop", "pw").is_none());
        assert!(has_password("postgres://ana:pw@server/shop"));
        assert!(has_password("postgres://ana@server/shop?password=pw"));
        assert!(!has_password("postgres://ana@server/shop"));
    }

    #[test]
    fn a_file_or_an_address_with_its_password_is_left_as_it_is() {
        let file = Location::File("rapport.sqlite3".into());
        assert_eq!(with_saved_password(&file).to_string(), "rapport.sqlite3");
        let typed = Location::Team("postgres://ana:typed@server/shop".to_owned());
        match with_saved_password(&typed) {
            Location::Team(url) => assert_eq!(url, "postgres://ana:typed@server/shop"),
            Location::File(_) => panic!("still a team database"),
        }
    }
}

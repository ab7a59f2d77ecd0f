//! File ▸ Team database, its state: the address typed, whether the connection is being made,
//! and why the last one failed; checked into a `Location`. `ui::team_dialog` draws it.
//!
//! The address remembered between launches never holds the password (`without_password`):
//! prefs are a plain file. The password goes to the system keychain (`credentials`) once it
//! let the window in, and is filled in from there when the address comes without one.

use crate::store::Location;

/// The state of the team database dialog.
#[derive(Clone, Debug, Default)]
pub struct TeamDialog {
    /// The address as typed: `postgres://name:password@server/database`.
    pub url: String,
    /// True while a connection is being made on its thread.
    pub connecting: bool,
    pub error: Option<String>,
    /// The address field is to get the keyboard (on opening).
    pub focus_first: bool,
}

impl TeamDialog {
    /// A dialog offering `remembered` (the last team address, without its password).
    pub fn new(remembered: Option<&str>) -> Self {
        Self {
            url: remembered.unwrap_or_default().to_owned(),
            connecting: false,
            error: None,
            focus_first: true,
        }
    }

    /// The team database the address names, or the sentence saying why it names none.
    pub fn location(&self) -> Result<Location, String> {
        let url = self.url.trim();
        if url.is_empty() {
            return Err(
                "Type the team database's address, like postgres://name@server/database."
                    .to_owned(),
            );
        }
        match Location::parse(url) {
            team @ Location::Team(_) => Ok(team),
            Location::File(_) => Err(
                "A team database's address starts with postgres://, like postgres://name@server/database."
                    .to_owned(),
            ),
        }
    }
}

/// `url` with its password taken out, both `user:password@` and a `password=` parameter, so
/// it can be remembered and shown; everything else (server, port, database, `sslmode`) stays.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    // The path starts at the first `/` after the user part, which may hold a `/` of its own.
    let host_from = before_query.rfind('@').map_or(0, |at| at + 1);
    let path_from = before_query[host_from..]
        .find('/')
        .map_or(before_query.len(), |slash| host_from + slash);
    let (authority, path) = before_query.split_at(path_from);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info
                .split_once(':')
                .map_or(user_info, |(user, _)| user);
            format!("{user}@{host}")
        }
        None => authority.to_owned(),
    };
    let query = query
        .map(|query| {
            query
                .split('&')
                .filter(|pair| !pair.starts_with("password="))
                .collect::<Vec<_>>()
                .join("&")
        })
        .filter(|query| !query.is_empty())
        .map(|query| format!("?{query}"))
        .unwrap_or_default();
    format!("{scheme}://{authority}{path}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_taken_out_and_the_rest_kept() {
        assert_eq!(
            without_password("postgres://ana:s3cr%40t@db.shop.example:5433/shop?sslmode=require"),
            "postgres://ana@db.shop.example:5433/shop?sslmode=require"
        );
        assert_eq!(
            without_password("postgresql://ana@server/shop?password=x&sslmode=disable"),
            "postgresql://ana@server/shop?sslmode=disable"
        );
        assert_eq!(
            without_password("postgres://server/shop?password=x"),
            "postgres://server/shop"
        );
        assert_eq!(
            without_password("postgres://ana:pw@server"),
            "postgres://ana@server"
        );
        // An `@` or `/` in the password (unescaped) is still the password's.
        assert_eq!(
            without_password("postgres://ana:p@s/s@server/shop"),
            "postgres://ana@server/shop"
        );
    }

    #[test]
    fn only_a_postgres_address_is_a_team_database() {
        let dialog = |url: &str| TeamDialog {
            url: url.to_owned(),
            ..TeamDialog::default()
        };
        assert!(dialog("  postgres://ana@server/shop ").location().is_ok());
        assert!(dialog("/home/ana/rapport.sqlite3").location().is_err());
        assert!(dialog("").location().is_err());
    }
}

//! Opening a team database: a `postgres://` URL, connected over TLS when the server offers it,
//! and the schema checked and migrated like the SQLite file's (a newer schema is refused, an
//! older one is brought up to date by the first client allowed to, under a lock so two
//! clients starting together do not both try).

use super::db::{Db, PgConn};
use super::pg_schema::PG_MIGRATIONS;
use super::{Result, Store, StoreError};
use std::str::FromStr;

/// The schema version this build writes on PostgreSQL.
pub const PG_SCHEMA_VERSION: i64 = PG_MIGRATIONS.len() as i64;

/// Any fixed number: the advisory lock migrations take, so one client migrates at a time.
const MIGRATION_LOCK: i64 = 0x0072_6170_706f_7274; // "rapport"

/// A team database's address without its password, for titles, logs and `Debug`.
pub fn redacted(url: &str) -> String {
    match postgres::Config::from_str(url) {
        Ok(config) => {
            let user = config.get_user().unwrap_or("");
            let host = config
                .get_hosts()
                .first()
                .map(|h| match h {
                    postgres::config::Host::Tcp(name) => name.clone(),
                    #[cfg(unix)]
                    postgres::config::Host::Unix(path) => path.display().to_string(),
                })
                .unwrap_or_default();
            let port = config.get_ports().first().copied().unwrap_or(5432);
            let db = config.get_dbname().unwrap_or(user);
            format!("postgres://{user}@{host}:{port}/{db}")
        }
        Err(_) => "postgres://…".to_owned(),
    }
}

/// True when `text` names a team database rather than a file.
pub fn is_team_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

impl Store {
    /// Opens the team database at `url` (`postgres://user[:password]@host[:port]/db`,
    /// `?sslmode=disable|prefer|require|verify-full`), migrating its schema when it is older
    /// than this build and refusing it when it is newer.
    pub fn open_team(url: &str) -> Result<Self> {
        let client = connect(url)?;
        let mut store = Self {
            conn: Db::Postgres(PgConn::new(client)),
            path: None,
            team: Some(redacted(url)),
            team_url: Some(url.to_owned()),
            fixed_now: None,
            passphrase: None,
            created: false,
            anchors: Default::default(),
            last_count: Default::default(),
        };
        store.created = migrate(&store.conn)?;
        Ok(store)
    }

    /// The team database this store is connected to (without its password), if it is one.
    pub fn team(&self) -> Option<&str> {
        self.team.as_deref()
    }
}

/// Connects over TLS. As with `psql`, `prefer` and `require` encrypt without checking the
/// server's certificate (a shop's own server rarely has one a browser would accept);
/// `verify-full` checks it against the system's trusted certificates. An address that names
/// no `sslmode` requires encryption unless the server is this computer: a password and the
/// customers' notes never cross a network in plain text because a server did not offer TLS.
pub(super) fn connect(url: &str) -> Result<postgres::Client> {
    let (config, verify) = config_for(url)?;
    let mut tls = native_tls::TlsConnector::builder();
    if !verify {
        tls.danger_accept_invalid_certs(true)
            .danger_accept_invalid_hostnames(true);
    }
    let tls = tls
        .build()
        .map_err(|e| StoreError::Invalid(format!("TLS is not available here: {e}")))?;
    config
        .connect(postgres_native_tls::MakeTlsConnector::new(tls))
        .map_err(|e| unreachable(url, e))
}

/// The connection settings of `url`, and whether the server's certificate is to be checked.
fn config_for(url: &str) -> Result<(postgres::Config, bool)> {
    let verify = url.contains("sslmode=verify-full") || url.contains("sslmode=verify-ca");
    let url = url
        .replace("sslmode=verify-full", "sslmode=require")
        .replace("sslmode=verify-ca", "sslmode=require");
    let mut config = postgres::Config::from_str(&url).map_err(|e| {
        StoreError::Invalid(format!(
            "{} is not a team database address ({e}). It looks like postgres://name@server/database.",
            redacted(&url)
        ))
    })?;
    if !url.contains("sslmode=") && !all_local(&config) {
        config.ssl_mode(postgres::config::SslMode::Require);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(5));
    }
    // A connection that died without a word (a laptop lid, a dropped Wi-Fi) is noticed in
    // about a minute instead of the operating system's two hours.
    config.keepalives(true);
    config.keepalives_idle(std::time::Duration::from_secs(30));
    config.application_name("Rapport");
    // Rapport's statements are short: compiling one (JIT) took 300 ms where running it took 1.
    if config.get_options().is_none() {
        config.options("-c jit=off");
    }
    Ok((config, verify))
}

/// True when every host of the address is this computer (a socket or a loopback address).
fn all_local(config: &postgres::Config) -> bool {
    config.get_hosts().iter().all(|host| match host {
        postgres::config::Host::Tcp(name) => {
            name == "localhost"
                || name
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        postgres::config::Host::Unix(_) => true,
    })
}

fn unreachable(url: &str, e: postgres::Error) -> StoreError {
    if e.as_db_error().is_some() {
        return StoreError::Postgres(e);
    }
    if e.to_string().contains("server does not support TLS") {
        return StoreError::Invalid(format!(
            "The team database {} does not offer an encrypted connection, and Rapport will not send \
             a password or notes across a network in plain text. Ask whoever runs the server to turn \
             on TLS (ssl = on), or add ?sslmode=disable to the address if the network is your own.",
            redacted(url)
        ));
    }
    StoreError::Invalid(format!(
        "The team database {} cannot be reached ({e}). Check the address and that the server is running; nothing was changed.",
        redacted(url)
    ))
}

/// Brings the schema up to date; true when it was created just now.
fn migrate(db: &Db) -> Result<bool> {
    // Most connections (each job opens one) find the schema current: they need no lock.
    if schema_version(db)?.0 == PG_SCHEMA_VERSION {
        return Ok(false);
    }
    let tx = db.transaction()?;
    tx.query_row("SELECT pg_advisory_xact_lock(?1)", [MIGRATION_LOCK], |_| {
        Ok(())
    })?;
    // Read again under the lock: another client may have migrated meanwhile.
    let (found, exists) = schema_version(&tx)?;
    if found > PG_SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: PG_SCHEMA_VERSION,
        });
    }
    if found == PG_SCHEMA_VERSION {
        tx.commit()?;
        return Ok(false);
    }
    if !exists {
        tx.execute_batch("CREATE TABLE rapport_schema (version BIGINT NOT NULL)")?;
        tx.execute_batch("INSERT INTO rapport_schema (version) VALUES (0)")?;
    }
    for (index, sql) in PG_MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql).map_err(|e| needs_owner(e, found))?;
        tracing::info!("applied team migration {}", index + 1);
    }
    tx.execute(
        "UPDATE rapport_schema SET version = ?1",
        [PG_SCHEMA_VERSION],
    )?;
    // Every kind of member gets its rights on the tables just made.
    tx.query_row("SELECT rapport_grants()", (), |_| Ok(()))?;
    tx.commit()?;
    Ok(found == 0)
}

/// The schema version the database holds (0 before the first migration), and whether its
/// version table exists.
fn schema_version(db: &Db) -> Result<(i64, bool)> {
    let exists: bool = db.query_row(
        "SELECT to_regclass('rapport_schema') IS NOT NULL",
        (),
        |r| r.get(0),
    )?;
    if !exists {
        return Ok((0, false));
    }
    Ok((
        db.query_row("SELECT version FROM rapport_schema", (), |r| r.get(0))?,
        true,
    ))
}

/// A migration refused for want of rights says who can run it.
fn needs_owner(e: StoreError, found: i64) -> StoreError {
    let refused = match &e {
        StoreError::Postgres(pg) => {
            pg.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
        }
        StoreError::NotAllowed(_) => true,
        _ => false,
    };
    match refused {
        true => StoreError::Invalid(format!(
            "The team database (schema {found}) needs an update to schema {PG_SCHEMA_VERSION} that only its owner may make. Ask the owner to open it with this version of Rapport once; nothing was changed."
        )),
        false => e,
    }
}

/// The three kinds of team member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamRole {
    /// Everything, and manages the people.
    Owner,
    /// Reads and writes the team's contacts and conversations.
    Member,
    /// Reads only.
    ReadOnly,
}

impl TeamRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Owner => "owner",
            TeamRole::Member => "member",
            TeamRole::ReadOnly => "readonly",
        }
    }
}

impl FromStr for TeamRole {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text.trim().to_lowercase().replace(['-', ' '], "").as_str() {
            "owner" => Ok(TeamRole::Owner),
            "member" => Ok(TeamRole::Member),
            "readonly" | "reader" => Ok(TeamRole::ReadOnly),
            other => Err(format!(
                "\"{other}\" is not a team role: choose owner, member or read-only."
            )),
        }
    }
}

/// A person of the team, as `team_members` lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    /// Their own database login.
    pub login: String,
    pub name: String,
    pub role: String,
}

/// A login name from a person's name: lowercase letters, digits and `_` ("Ana Lima" → `ana_lima`).
pub fn login_for(name: &str) -> String {
    let folded = super::search::fold(name);
    let login: String = folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect();
    if login.is_empty() {
        "member".to_owned()
    } else {
        login
    }
}

impl Store {
    fn team_db(&self) -> Result<&Db> {
        if self.conn.is_postgres() {
            Ok(&self.conn)
        } else {
            Err(StoreError::Invalid(
                "This works on a team database, not on a local Rapport file.".to_owned(),
            ))
        }
    }

    /// The login this store is signed in as (`None` on a local file).
    pub fn me(&self) -> Result<Option<String>> {
        if !self.conn.is_postgres() {
            return Ok(None);
        }
        Ok(Some(self.conn.query_row(
            "SELECT CAST(current_user AS TEXT)",
            (),
            |r| r.get(0),
        )?))
    }

    /// Adds a person with their own login (`login`, or one made from the name) in `role`, and
    /// returns the login and the password made for it, to hand to them once.
    pub fn add_person(
        &mut self,
        name: &str,
        login: Option<&str>,
        role: TeamRole,
    ) -> Result<(String, String)> {
        if name.trim().is_empty() {
            return Err(StoreError::Invalid(
                "A team member needs a name.".to_owned(),
            ));
        }
        let login = login.map_or_else(|| login_for(name), |l| l.trim().to_owned());
        let password: String = std::iter::repeat_with(fastrand::alphanumeric)
            .take(20)
            .collect();
        let db = self.team_db()?;
        let tx = db.transaction()?;
        tx.query_row(
            "SELECT rapport_add_person(?1, ?2, ?3, ?4)",
            rusqlite::params![login, name.trim(), role.as_str(), password],
            |_| Ok(()),
        )
        .map_err(owner_only)?;
        tx.commit()?;
        Ok((login, password))
    }

    /// The people of the team, by name.
    pub fn team_members(&self) -> Result<Vec<TeamMember>> {
        self.conn
            .prepare_cached(
                "SELECT role_name, display_name, team_role FROM team_members ORDER BY display_name",
            )?
            .query_map((), |r| {
                Ok(TeamMember {
                    login: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()
            .map_err(StoreError::from)
    }
}

/// A refusal for want of rights, in words.
fn owner_only(e: StoreError) -> StoreError {
    match e {
        StoreError::NotAllowed(_) => StoreError::NotAllowed(
            "Only an owner of the team database can add people or change their role.".to_owned(),
        ),
        other => other,
    }
}

impl Store {
    /// True when this is a team database whose connection is closed (the server restarted, the
    /// network went away): reads and writes fail until `reconnect` succeeds.
    pub fn is_disconnected(&self) -> bool {
        match &self.conn {
            Db::Postgres(pg) => pg.client().is_closed(),
            Db::Sqlite(_) => false,
        }
    }

    /// Connects again to the team database this store was opened on (a no-op on a file).
    pub fn reconnect(&mut self) -> Result<()> {
        let Some(url) = self.team_url.clone() else {
            return Ok(());
        };
        let client = connect(&url)?;
        self.conn = Db::Postgres(PgConn::new(client));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::config_for;
    use postgres::config::SslMode;

    fn mode(url: &str) -> SslMode {
        config_for(url).unwrap().0.get_ssl_mode()
    }

    #[test]
    fn an_address_across_a_network_requires_encryption_unless_it_says_otherwise() {
        assert_eq!(
            mode("postgres://ana@db.shop.example/rapport"),
            SslMode::Require
        );
        assert_eq!(
            mode("postgres://ana@192.168.1.20:5432/rapport"),
            SslMode::Require
        );
        assert_eq!(
            mode("postgres://ana@db.shop.example/rapport?sslmode=disable"),
            SslMode::Disable
        );
        assert_eq!(
            mode("postgres://ana@db.shop.example/rapport?sslmode=prefer"),
            SslMode::Prefer
        );
        // This computer's own server: as psql does, encrypt when it offers TLS.
        assert_eq!(mode("postgres://ana@localhost/rapport"), SslMode::Prefer);
        assert_eq!(mode("postgres://ana@127.0.0.1/rapport"), SslMode::Prefer);
        assert_eq!(mode("postgres://ana@[::1]/rapport"), SslMode::Prefer);
        assert!(
            config_for("postgres://ana@db.shop.example/rapport?sslmode=verify-full")
                .unwrap()
                .1
        );
    }
}

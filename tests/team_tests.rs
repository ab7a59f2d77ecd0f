//! A team on one PostgreSQL database: people sign in as their own logins, the server records
//! who did what, keeps private records private whatever program connects (a plain `psql`
//! session included), refuses what a role may not do, and a save against a newer version is
//! merged or handed back as a clash, never written over. The conflict tests run on a shared
//! SQLite file too (the window and the command line are two connections).

use crate::common::fresh_team_url;
use rapport::model::three_way::Keep;
use rapport::model::{ContactDraft, InteractionDraft, Stage};
use rapport::store::team::TeamRole;
use rapport::store::{Chosen, Saved, Store, StoreError};

pub(crate) fn at(text: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// The team database's URL with another login and password in it.
pub(crate) fn signed_in_as(url: &str, login: &str, password: &str) -> String {
    let rest = url.split_once('@').map_or(url, |(_, rest)| rest);
    format!("postgres://{login}:{password}@{rest}")
}

/// A database name's tail, so each test's logins are its own (roles are shared by the server).
pub(crate) fn suffix(url: &str) -> String {
    let db = url.rsplit('/').next().unwrap_or("");
    let db = db.split('?').next().unwrap_or(db);
    db.rsplit('_').take(2).collect::<Vec<_>>().join("_")
}

pub(crate) struct Team {
    pub(crate) url: String,
    pub(crate) logins: Vec<(String, String)>,
}

impl Team {
    /// Olga (owner), Ana and Ben (members), Rita (read-only), made by the server's admin.
    pub(crate) fn new() -> Option<Self> {
        let url = fresh_team_url()?;
        let mut admin = Store::open_team(&url).unwrap();
        let tail = suffix(&url);
        let mut logins = Vec::new();
        for (name, login, role) in [
            ("Olga Owner", "olga", TeamRole::Owner),
            ("Ana Lima", "ana", TeamRole::Member),
            ("Ben Berg", "ben", TeamRole::Member),
            ("Rita Reader", "rita", TeamRole::ReadOnly),
        ] {
            let login = format!("{login}_{tail}");
            logins.push(admin.add_person(name, Some(&login), role).unwrap());
        }
        Some(Team { url, logins })
    }

    pub(crate) fn url_of(&self, who: usize) -> String {
        let (login, password) = &self.logins[who];
        signed_in_as(&self.url, login, password)
    }

    /// What a plain `psql` session signed in as `who` prints for `sql` (its errors too).
    pub(crate) fn psql(&self, who: usize, sql: &str) -> String {
        let out = std::process::Command::new("psql")
            .arg(self.url_of(who).replace("?sslmode=disable", ""))
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
    }

    pub(crate) fn open(&self, who: usize) -> Store {
        Store::open_team(&self.url_of(who)).unwrap()
    }
}

pub(crate) const OLGA: usize = 0;
pub(crate) const ANA: usize = 1;
pub(crate) const BEN: usize = 2;
pub(crate) const RITA: usize = 3;

#[test]
fn each_role_reads_and_writes_what_it_may_and_private_records_stay_their_authors() {
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    assert_eq!(
        ana.me().unwrap().as_deref(),
        Some(team.logins[ANA].0.as_str())
    );
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let secret = ana
        .create_contact(&ContactDraft {
            private: true,
            personal_notes: "Thinking of selling the shop".into(),
            ..ContactDraft::named("Sam Secret")
        })
        .unwrap();
    let shared_talk = ana
        .log_interaction(&InteractionDraft {
            summary: "Oven delivery".into(),
            ..InteractionDraft::new(at("2026-11-02 10:00"), maria)
        })
        .unwrap();
    let private_talk = ana
        .log_interaction(&InteractionDraft {
            summary: "Price talk, discount 12 percent".into(),
            private: true,
            ..InteractionDraft::new(at("2026-11-03 10:00"), maria)
        })
        .unwrap();
    // Ana sees all she made.
    assert_eq!(ana.count_contacts("").unwrap(), 2);
    assert_eq!(ana.count_interactions(maria).unwrap(), 2);

    for who in [OLGA, BEN, RITA] {
        let store = team.open(who);
        assert_eq!(
            store.count_contacts("").unwrap(),
            1,
            "login {who} sees Maria only"
        );
        assert_eq!(store.count_contacts("sam").unwrap(), 0);
        assert_eq!(
            store.count_contacts("selling").unwrap(),
            0,
            "not through search"
        );
        assert!(store.contact(secret).is_err());
        assert_eq!(store.count_interactions(maria).unwrap(), 1);
        assert!(
            store
                .search_interactions("discount", 10)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.search_interactions("oven", 10).unwrap(),
            vec![shared_talk]
        );
        let talk = store.interaction(shared_talk).unwrap();
        assert_eq!(talk.logged_by, "Ana Lima", "who logged it, by name");
    }

    // A member writes the team's records; the server says who changed them.
    let mut ben = team.open(BEN);
    let mut draft = ben.contact(maria).unwrap().draft;
    draft.stage = Stage::Customer;
    ben.update_contact(maria, &draft).unwrap();
    let seen = ana.contact(maria).unwrap();
    assert_eq!(
        (seen.created_by.as_str(), seen.updated_by.as_str()),
        ("Ana Lima", "Ben Berg")
    );
    // … but not Ana's private ones: to Ben they are not there.
    let err = ben
        .update_interaction(
            private_talk,
            &InteractionDraft::new(at("2026-11-03 10:00"), maria),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");

    // Read-only writes nothing, and is told so in words.
    let mut rita = team.open(RITA);
    // Her window judges health to show it, and writes nothing.
    rita.refresh_all_health(at("2026-11-20 09:00"), |_, _| true)
        .unwrap();
    let err = rita
        .create_contact(&ContactDraft::named("Rita's friend"))
        .unwrap_err();
    assert!(matches!(err, StoreError::NotAllowed(_)), "{err}");
    assert!(err.to_string().contains("does not allow"), "{err}");

    // Only an owner adds people.
    let err = ben
        .add_person("Carl", Some("carl_x"), TeamRole::Member)
        .unwrap_err();
    assert!(err.to_string().contains("Only an owner"), "{err}");
    let mut olga = team.open(OLGA);
    let tail = suffix(&team.url);
    olga.add_person(
        "Carl Clerk",
        Some(&format!("carl_{tail}")),
        TeamRole::Member,
    )
    .unwrap();
    let names: Vec<String> = olga
        .team_members()
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert!(names.contains(&"Carl Clerk".to_owned()), "{names:?}");
}

/// A plain `psql` session with Ben's own login: the server, not Rapport, keeps Ana's private
/// conversation and contact from him, and writes his name on what he changes whatever he sends.
#[test]
fn a_member_in_psql_cannot_read_private_notes_or_sign_as_someone_else() {
    if std::process::Command::new("psql")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("RAPPORT_REQUIRE_POSTGRES").is_none(),
            "psql is needed"
        );
        return;
    }
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    ana.create_contact(&ContactDraft {
        private: true,
        ..ContactDraft::named("Sam Secret")
    })
    .unwrap();
    ana.log_interaction(&InteractionDraft {
        summary: "Price talk, discount 12 percent".into(),
        private: true,
        ..InteractionDraft::new(at("2026-11-03 10:00"), maria)
    })
    .unwrap();
    let psql = |who: usize, sql: &str| team.psql(who, sql);
    assert_eq!(psql(ANA, "SELECT count(*) FROM interactions"), "1");
    assert_eq!(psql(BEN, "SELECT count(*) FROM interactions"), "0");
    assert_eq!(psql(BEN, "SELECT count(*) FROM interaction_fts"), "0");
    assert_eq!(
        psql(BEN, "SELECT count(*) FROM interaction_participants"),
        "0"
    );
    assert_eq!(
        psql(BEN, "SELECT string_agg(display_name, ',') FROM contacts"),
        "Maria García"
    );
    let ana_login = &team.logins[ANA].0;
    let ben_login = &team.logins[BEN].0;
    // Ben writes Ana's name as the author and as the last to change: the server keeps the truth.
    psql(
        BEN,
        &format!(
            "UPDATE contacts SET created_by = '{ana_login}', updated_by = '{ana_login}', title = 'Owner' WHERE id = {}",
            maria.0
        ),
    );
    assert_eq!(
        psql(
            ANA,
            &format!(
                "SELECT created_by || ' ' || updated_by FROM contacts WHERE id = {}",
                maria.0
            )
        ),
        format!("{ana_login} {ben_login}")
    );
    // And he cannot make a record private to someone else.
    let refused = psql(
        BEN,
        &format!("UPDATE contacts SET private = 1 WHERE id = {}", maria.0),
    );
    assert!(refused.contains("row-level security"), "{refused}");
    // The read-only group, checked with SET ROLE from an admin session too.
    let mut admin = postgres::Client::connect(&team.url, postgres::NoTls).unwrap();
    let db = admin
        .query_one("SELECT current_database()", &[])
        .unwrap()
        .get::<_, String>(0);
    admin
        .batch_execute(&format!("SET ROLE \"{db}_readonly\""))
        .unwrap();
    assert_eq!(
        admin
            .query_one("SELECT count(*) FROM contacts", &[])
            .unwrap()
            .get::<_, i64>(0),
        1,
        "the group role sees only what is shared"
    );
    let err = admin
        .batch_execute("INSERT INTO tags (name) VALUES ('x')")
        .unwrap_err();
    assert!(
        err.as_db_error()
            .unwrap()
            .message()
            .contains("permission denied"),
        "{err}"
    );
}

/// Two saves of one contact, each from the version it opened (here two team members; the test
/// below does the same with two connections to one SQLite file).
fn two_people_one_contact(mut first: Store, mut second: Store, first_name: &str) {
    let maria = first
        .create_contact(&ContactDraft {
            title: "Owner".into(),
            ..ContactDraft::named("Maria García")
        })
        .unwrap();
    let opened_by_first = first.contact(maria).unwrap();
    let opened_by_second = second.contact(maria).unwrap();
    // Different fields: merged, and the second is told what came from the first.
    let mut mine = opened_by_first.draft.clone();
    mine.title = "Head baker".into();
    assert_eq!(
        first.save_contact(&opened_by_first, &mine, None).unwrap(),
        Saved::Saved
    );
    let mut theirs = opened_by_second.draft.clone();
    theirs.interests = "Cycling".into();
    let saved = second
        .save_contact(&opened_by_second, &theirs, None)
        .unwrap();
    assert_eq!(
        saved,
        Saved::Merged {
            by: first_name.to_owned(),
            fields: vec!["title".to_owned()]
        }
    );
    let both = first.contact(maria).unwrap();
    assert_eq!(
        (both.draft.title.as_str(), both.draft.interests.as_str()),
        ("Head baker", "Cycling")
    );
    // The same field: nothing saved until the person chooses, with both values shown.
    let opened_again = second.contact(maria).unwrap();
    let mut mine = both.draft.clone();
    mine.title = "Co-owner".into();
    first.save_contact(&both, &mine, None).unwrap();
    let mut theirs = opened_again.draft.clone();
    theirs.title = "Baker".into();
    let Saved::Clash {
        clashes, current, ..
    } = second.save_contact(&opened_again, &theirs, None).unwrap()
    else {
        panic!("a clash expected");
    };
    assert_eq!(clashes.len(), 1);
    assert_eq!(
        (clashes[0].mine.as_str(), clashes[0].theirs.as_str()),
        ("Baker", "Co-owner")
    );
    assert_eq!(
        first.contact(maria).unwrap().draft.title,
        "Co-owner",
        "nothing overwritten"
    );
    let chosen = [("title".to_owned(), Keep::Mine)];
    let chosen = Chosen {
        against_version: current.version,
        keep: &chosen,
    };
    // A third save after the dialog showed "Co-owner": the choice was not made against it.
    let mut third = current.draft.clone();
    third.title = "Owner".into();
    first.save_contact(&current, &third, None).unwrap();
    let Saved::Clash {
        clashes, current, ..
    } = second
        .save_contact(&opened_again, &theirs, Some(chosen))
        .unwrap()
    else {
        panic!("choices made against an older version settle nothing");
    };
    assert_eq!(
        clashes[0].theirs, "Owner",
        "the dialog shows the newest value"
    );
    assert_eq!(first.contact(maria).unwrap().draft.title, "Owner");
    let keep = [("title".to_owned(), Keep::Mine)];
    let chosen = Chosen {
        against_version: current.version,
        keep: &keep,
    };
    let saved = second
        .save_contact(&opened_again, &theirs, Some(chosen))
        .unwrap();
    assert!(matches!(saved, Saved::Merged { .. }), "{saved:?}");
    assert_eq!(first.contact(maria).unwrap().draft.title, "Baker");
    // Deleting what someone changed since it was read asks first.
    let read = second.contact(maria).unwrap();
    let mut edited = read.draft.clone();
    edited.family = "Two kids".into();
    first.update_contact(maria, &edited).unwrap();
    let err = second.trash_contact_seen(maria, read.version).unwrap_err();
    assert!(matches!(err, StoreError::ChangedSince { .. }), "{err}");
    assert!(
        err.to_string().contains("changed this since you opened it"),
        "{err}"
    );
    assert!(first.contact(maria).unwrap().deleted_at.is_none());
    let fresh = second.contact(maria).unwrap();
    second.trash_contact_seen(maria, fresh.version).unwrap();
    assert!(first.contact(maria).unwrap().deleted_at.is_some());
}

#[test]
fn two_team_members_saving_one_contact_merge_or_choose_never_overwrite() {
    let Some(team) = Team::new() else { return };
    two_people_one_contact(team.open(ANA), team.open(BEN), "Ana Lima");
}

#[test]
fn the_window_and_the_command_line_saving_one_contact_merge_or_choose() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.sqlite3");
    let window = Store::open(&path).unwrap();
    let cli = Store::open(&path).unwrap();
    two_people_one_contact(window, cli, "");
}

/// Ana's window listens; Ben logs a conversation and ticks a follow-up: she hears of each within
/// a second. Her listening connection is cut (the server ends it); what Ben does meanwhile is
/// not lost: after reconnecting she reads it from the change log.
#[test]
fn a_teammates_change_is_heard_at_once_and_caught_up_after_a_lost_connection() {
    use rapport::store::live::ChangeListener;
    use std::time::{Duration, Instant};
    let Some(team) = Team::new() else { return };
    let ana = team.open(ANA);
    let mut ben = team.open(BEN);
    let maria = ben
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let mut listener = ChangeListener::connect(&team.url_of(ANA)).unwrap();
    let seen = ana.last_change_id().unwrap();
    let started = Instant::now();
    let talk = ben
        .log_interaction(&InteractionDraft::new(at("2026-11-04 09:30"), maria))
        .unwrap();
    let heard = listener.wait(Duration::from_secs(1)).unwrap();
    let latency = started.elapsed();
    assert!(
        heard
            .iter()
            .any(|c| c.table == "interactions" && c.row == talk.0 && c.op == "INSERT"),
        "{heard:?}"
    );
    assert!(latency < Duration::from_secs(1), "{latency:?}");
    assert_eq!(heard[0].by, team.logins[BEN].0);
    let after_talk = heard.iter().map(|c| c.id).max().unwrap();
    assert!(after_talk > seen);

    // The server ends her listening connection; Ben goes on.
    let mut admin = postgres::Client::connect(&team.url, postgres::NoTls).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE usename = $1 AND application_name LIKE '%listening%'",
            &[&team.logins[ANA].0],
        )
        .unwrap();
    let follow_up = ben
        .add_follow_up(&rapport::model::FollowUpDraft {
            contact_id: maria,
            organization_id: None,
            interaction_id: Some(talk),
            text: "Send the price list".into(),
            notes: String::new(),
            due_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 6).unwrap(),
            due_time: None,
            promised_by: rapport::model::Initiator::Me,
            repeat: None,
        })
        .unwrap();
    let lost = (0..20).find_map(|_| listener.wait(Duration::from_millis(100)).err());
    assert!(lost.is_some(), "the cut connection is noticed");
    let mut listener = ChangeListener::connect(&team.url_of(ANA)).unwrap();
    let missed = ana.changes_since(after_talk, 100).unwrap();
    assert!(
        missed
            .iter()
            .any(|c| c.table == "follow_ups" && c.row == follow_up.0),
        "{missed:?}"
    );
    // And listening again works.
    ben.complete_follow_up(follow_up, at("2026-11-05 10:00"))
        .unwrap();
    let heard = listener.wait(Duration::from_secs(1)).unwrap();
    assert!(
        heard
            .iter()
            .any(|c| c.table == "follow_ups" && c.op == "UPDATE"),
        "{heard:?}"
    );
}

/// What the second review found open, closed: the reschedule notes and import records of a
/// private record, a promise made in a private conversation, an owner making herself anyone
/// (or taking over the server's admin), a log entry signed with another's name, and a forged
/// notification that would silence the others' windows.
#[test]
fn the_holes_a_review_found_stay_closed() {
    use rapport::store::live::ChangeListener;
    use std::time::Duration;
    if std::process::Command::new("psql")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let secret_talk = ana
        .log_interaction(&InteractionDraft {
            summary: "Price talk".into(),
            private: true,
            ..InteractionDraft::new(at("2026-11-03 10:00"), maria)
        })
        .unwrap();
    let promise = ana
        .add_follow_up(&rapport::model::FollowUpDraft {
            contact_id: maria,
            organization_id: None,
            interaction_id: Some(secret_talk),
            text: "Send the secret discount".into(),
            notes: String::new(),
            due_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 6).unwrap(),
            due_time: None,
            promised_by: rapport::model::Initiator::Me,
            repeat: None,
        })
        .unwrap();
    ana.reschedule_follow_up(
        promise,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(),
        None,
        "SNOOZE NOTE",
    )
    .unwrap();
    let psql = |who: usize, sql: &str| team.psql(who, sql);
    assert_eq!(psql(ANA, "SELECT count(*) FROM follow_ups"), "1");
    assert_eq!(
        psql(BEN, "SELECT count(*) FROM follow_ups"),
        "0",
        "a promise of a private talk"
    );
    assert_eq!(psql(BEN, "SELECT count(*) FROM follow_up_changes"), "0");
    // The owner manages people but cannot become one of them or take over the server's admin.
    let ana_login = &team.logins[ANA].0;
    let grab = psql(OLGA, &format!("GRANT \"{ana_login}\" TO CURRENT_USER"));
    assert!(
        grab.contains("permission denied") || grab.contains("must have admin option"),
        "{grab}"
    );
    let mut olga = team.open(OLGA);
    let err = olga
        .add_person("Admin", Some("postgres"), TeamRole::Member)
        .unwrap_err();
    assert!(
        err.to_string().contains("already exists on the server"),
        "{err}"
    );
    // A log entry written by hand carries the writer's name, not the one typed.
    psql(
        BEN,
        &format!(
            "INSERT INTO changes (table_name, row_id, op, changed_by) VALUES ('contacts', 1, 'UPDATE', '{ana_login}')"
        ),
    );
    let ben_login = &team.logins[BEN].0;
    assert_eq!(
        psql(
            ANA,
            "SELECT changed_by FROM changes ORDER BY id DESC LIMIT 1"
        ),
        *ben_login
    );
    // A forged notification with a huge id wakes the listener but changes nothing it reads.
    let mut listener = ChangeListener::connect(&team.url_of(ANA)).unwrap();
    psql(
        BEN,
        r#"NOTIFY rapport_changes, '{"id": 9000000000, "table": "contacts", "row": 1, "op": "DELETE", "by": "x"}'"#,
    );
    let heard = listener.wait(Duration::from_secs(1)).unwrap();
    assert!(heard.iter().all(|c| c.id < 9_000_000_000), "{heard:?}");
    let mut ben = team.open(BEN);
    let talk = ben
        .log_interaction(&InteractionDraft::new(at("2026-11-05 09:00"), maria))
        .unwrap();
    let heard = listener.wait(Duration::from_secs(1)).unwrap();
    assert!(
        heard
            .iter()
            .any(|c| c.table == "interactions" && c.row == talk.0),
        "{heard:?}"
    );
}

/// A conversation edited by two: the second save, from the version it opened, is refused with
/// who changed it, and the first person's words stay.
#[test]
fn a_conversation_saved_by_another_since_it_was_opened_is_not_written_over() {
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let mut ben = team.open(BEN);
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let talk = ana
        .log_interaction(&InteractionDraft {
            summary: "Oven delivery".into(),
            ..InteractionDraft::new(at("2026-11-02 10:00"), maria)
        })
        .unwrap();
    let opened_by_ben = ben.interaction(talk).unwrap();
    let mut anas = ana.interaction(talk).unwrap().draft;
    anas.they_need = "Delivery before Friday".into();
    let opened_by_ana = ana.interaction(talk).unwrap().version;
    ana.update_interaction_seen(talk, &anas, Some(opened_by_ana))
        .unwrap();
    let mut bens = opened_by_ben.draft.clone();
    bens.next_step = "Call on Monday".into();
    let err = ben
        .update_interaction_seen(talk, &bens, Some(opened_by_ben.version))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::ChangedSince { by } if by == "Ana Lima"),
        "{err}"
    );
    let kept = ana.interaction(talk).unwrap().draft;
    assert_eq!(
        (kept.they_need.as_str(), kept.next_step.as_str()),
        ("Delivery before Friday", "")
    );
}

/// One- and two-letter counts come from the beginnings kept per contact: they must follow
/// every change that moves a contact in or out of a search — a new contact, a new name, the
/// trash and back, made private, deleted for good, an import, its undo — and add the
/// author's own private contacts for her alone.
#[test]
fn short_searches_count_what_the_list_shows_through_every_change() {
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let ben = team.open(BEN);
    let check = |store: &Store, when: &str| {
        for typed in ["m", "ma", "mar", "s", "sa", "sam", "g", "z", "mb", "kenj"] {
            let shown = store.contact_rows(typed, 0, 1000).unwrap().len();
            assert_eq!(
                store.count_contacts(typed).unwrap(),
                shown,
                "{typed:?} {when}"
            );
        }
    };
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let sam = ana
        .create_contact(&ContactDraft::named("Sam Secret"))
        .unwrap();
    check(&ana, "after adding");
    check(&ben, "after adding");
    let mut renamed = ana.contact(sam).unwrap().draft;
    renamed.display_name = "Zoe Zed".into();
    ana.update_contact(sam, &renamed).unwrap();
    check(&ben, "after a new name");
    ana.trash_contact(maria).unwrap();
    check(&ben, "in the trash");
    ana.restore_contact(maria).unwrap();
    check(&ben, "back from the trash");
    let mut private = ana.contact(sam).unwrap().draft;
    private.private = true;
    ana.update_contact(sam, &private).unwrap();
    check(&ana, "made private, for its author");
    check(&ben, "made private, for the others");
    assert_eq!(ana.count_contacts("z").unwrap(), 1);
    assert_eq!(ben.count_contacts("z").unwrap(), 0);
    ana.trash_contact(maria).unwrap();
    ana.purge_contact(maria).unwrap();
    check(&ben, "deleted for good");
    let parsed = crate::import_tests::parse(&crate::import_tests::own("google_current.csv"), "GB");
    let (batch, _) = ana
        .apply_import("google_current.csv", "google", &parsed.contacts)
        .unwrap();
    check(&ben, "after an import");
    ana.undo_import(batch).unwrap();
    check(&ben, "after undoing it");
}

/// Another client changes the schema (a newer Rapport migrating): statements this one had
/// prepared are prepared again instead of failing with "cached plan must not change result
/// type".
#[test]
fn statements_prepared_before_another_client_changed_the_schema_are_prepared_again() {
    let Some(url) = fresh_team_url() else { return };
    let mut store = Store::open_team(&url).unwrap();
    store
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let before = store.dump_for_tests().unwrap();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute("ALTER TABLE contacts ADD COLUMN added_later TEXT")
        .unwrap();
    let after = store.dump_for_tests().unwrap();
    assert_eq!(after.len(), before.len());
    assert!(
        after.iter().any(|line| line.contains("added_later=Null")),
        "{after:?}"
    );
}

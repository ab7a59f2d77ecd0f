//! A team database and the files people keep: moving a local file in, setting a team up on
//! the command line, and the local copy `rapport backup` makes of what a person may read.

use crate::common::fresh_team_url;
use crate::team_tests::{ANA, BEN, OLGA, Team, at, signed_in_as, suffix};
use rapport::model::{ContactDraft, InteractionDraft};
use rapport::store::Store;

/// A shop's local file moves into the empty team database in one go: a dry run counts first
/// and changes nothing, every row arrives with its id, search finds the same people and notes
/// on both, new records continue after the moved ones, and a second move-in is refused whole.
#[test]
fn move_in_copies_a_local_file_whole_and_search_finds_the_same() {
    // The owner moves in with her own login, under row-level security like everyone.
    let Some(people) = Team::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.sqlite3");
    let now = at("2026-11-20 09:00");
    {
        let mut local = Store::open(&path).unwrap();
        rapport::demo::fill(&mut local, 120, 900, now, |_, _| {}).unwrap();
        let some = local.contact_rows("", 7, 1).unwrap()[0].id;
        local.trash_contact(some).unwrap();
    }
    let local = Store::open(&path).unwrap();
    let mut team = people.open(OLGA);
    let counted = team.move_in(&path, true).unwrap();
    assert_eq!(counted.count("contacts"), 120);
    assert_eq!(
        team.count_contacts("").unwrap(),
        0,
        "a dry run changes nothing"
    );
    let moved = team.move_in(&path, false).unwrap();
    assert_eq!(moved, counted);
    assert_eq!(
        team.count_contacts("").unwrap(),
        local.count_contacts("").unwrap()
    );
    assert_eq!(
        team.trashed_contacts().unwrap(),
        local.trashed_contacts().unwrap()
    );
    for typed in ["a", "ma", "bak", "garc", "oven", "price"] {
        assert_eq!(
            team.count_contacts(typed).unwrap(),
            local.count_contacts(typed).unwrap(),
            "contacts matching {typed:?}"
        );
        assert_eq!(
            team.search_interactions(typed, 50).unwrap(),
            local.search_interactions(typed, 50).unwrap(),
            "notes matching {typed:?}"
        );
    }
    let first = local.contact_rows("", 0, 20).unwrap();
    assert_eq!(team.contact_rows("", 0, 20).unwrap(), first);
    let one = first[3].id;
    assert_eq!(
        team.contact(one).unwrap().draft,
        local.contact(one).unwrap().draft
    );
    assert_eq!(
        team.interactions_for_contact(one, 0, 100).unwrap().len(),
        local.interactions_for_contact(one, 0, 100).unwrap().len()
    );
    // New records continue after the moved ones.
    let new = team
        .create_contact(&ContactDraft::named("New Neighbour"))
        .unwrap();
    assert!(new.0 > 120, "{new:?}");
    let err = team.move_in(&path, false).unwrap_err();
    assert!(err.to_string().contains("already holds"), "{err}");
    assert_eq!(
        team.count_contacts("").unwrap(),
        local.count_contacts("").unwrap() + 1
    );
}

/// The command line sets a team up as the README says: `team init` makes the schema and the
/// first owner (with a password of her own), she adds a member, the member signs in with his
/// own login and adds a contact, `team people` lists them, and a move-in counts first.
#[test]
fn the_command_line_sets_up_a_team_and_its_people() {
    use crate::common::{rapport, stdout};
    let Some(url) = fresh_team_url() else { return };
    let tail = suffix(&url);
    let password_in = |text: &str| -> String {
        let line = text
            .lines()
            .find(|l| l.contains("with the password"))
            .unwrap();
        line.rsplit(' ').next().unwrap().to_owned()
    };
    let path = |u: &str| std::path::PathBuf::from(u);
    let no_db = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["team", "init", &url, "--owner", "Olga Owner", "--login"])
        .arg(format!("olga_{tail}"))
        .env_remove("RAPPORT_DB")
        .output()
        .unwrap();
    let said = stdout(&no_db);
    assert!(said.contains("is ready"), "{said}");
    assert!(!said.contains(&std::env::var("PGPASSWORD").unwrap_or_else(|_| "@@".into())));
    let olga = signed_in_as(&url, &format!("olga_{tail}"), &password_in(&said));
    let added = stdout(&rapport(
        &path(&olga),
        &[
            "team",
            "add-person",
            "Ana Lima",
            "--role",
            "member",
            "--login",
            &format!("ana_{tail}"),
        ],
    ));
    assert!(added.contains("Ana Lima signs in as ana_"), "{added}");
    let ana = signed_in_as(&url, &format!("ana_{tail}"), &password_in(&added));
    stdout(&rapport(
        &path(&ana),
        &["contact", "add", "--name", "Maria García"],
    ));
    let listed = stdout(&rapport(&path(&olga), &["contacts"]));
    assert!(listed.contains("Maria García"), "{listed}");
    let people = stdout(&rapport(&path(&olga), &["team", "people"]));
    assert!(
        people.contains("Ana Lima\tana_") && people.contains("\tmember"),
        "{people}"
    );
    assert!(
        people.contains("Olga Owner\tolga_") && people.contains("\towner"),
        "{people}"
    );
    // A member cannot add people, and is told so.
    let refused = rapport(
        &path(&ana),
        &[
            "team",
            "add-person",
            "Carl",
            "--login",
            &format!("carl_{tail}"),
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Only an owner"));
    // A move-in into a database that has contacts counts, and refuses to copy.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.sqlite3");
    stdout(&rapport(
        &file,
        &["contact", "add", "--name", "Local Larry"],
    ));
    let counted = stdout(&rapport(
        &path(&olga),
        &["team", "move-in", file.to_str().unwrap(), "--dry-run"],
    ));
    assert!(
        counted.contains("Would copy") && counted.contains("contacts\t1"),
        "{counted}"
    );
    let refused = rapport(&path(&olga), &["team", "move-in", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already holds 1 contact;"));
}

/// `rapport backup` on a team database writes a local Rapport file of what the signed-in person
/// may read: Ben's copy has the shared contact and conversation with their search documents,
/// not Ana's private ones; it opens as any file does; an existing file is never overwritten.
#[test]
fn a_backup_of_a_team_database_is_a_local_file_of_what_you_may_read() {
    use crate::common::{rapport, stdout};
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
        summary: "Oven delivery on Friday".into(),
        ..InteractionDraft::new(at("2026-11-02 10:00"), maria)
    })
    .unwrap();
    ana.log_interaction(&InteractionDraft {
        summary: "Price talk, discount".into(),
        private: true,
        ..InteractionDraft::new(at("2026-11-03 10:00"), maria)
    })
    .unwrap();
    // A shared talk with Maria and Ana's private contact: Ben sees the talk, not Sam.
    let sam = ana.contact_rows("sam", 0, 1).unwrap()[0].id;
    ana.log_interaction(&InteractionDraft {
        summary: "Tasting with both".into(),
        participants: vec![maria, sam],
        ..InteractionDraft::new(at("2026-11-04 10:00"), maria)
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("ben.sqlite3");
    let ben_url = std::path::PathBuf::from(team.url_of(BEN));
    let said = stdout(&rapport(
        &ben_url,
        &["backup", "-o", copy.to_str().unwrap()],
    ));
    assert!(
        said.contains("Copied what you may read") && said.contains("1 contacts"),
        "{said}"
    );
    let local = Store::open(&copy).unwrap();
    assert_eq!(local.count_contacts("").unwrap(), 1);
    assert_eq!(
        local.count_contacts("mar").unwrap(),
        1,
        "the search documents came too"
    );
    assert_eq!(local.count_contacts("sam").unwrap(), 0);
    assert_eq!(local.count_interactions(maria).unwrap(), 2);
    assert_eq!(local.search_interactions("oven", 5).unwrap().len(), 1);
    assert_eq!(local.search_interactions("tasting", 5).unwrap().len(), 1);
    assert!(local.search_interactions("discount", 5).unwrap().is_empty());
    drop(local);
    let again = rapport(&ben_url, &["backup", "-o", copy.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

//! What a second look at team mode found, kept closed: a follow-up step names the version it
//! was shown, a choice in a clash dialog settles only the values it showed (team_tests.rs), a
//! member cannot sign changes as the team's group, deleting a contact for good never takes a
//! teammate's private conversations or promises along, a private conversation's promises do
//! not become everyone's when it is deleted, a teammate's private contact does not make an
//! import of the same card fail, and an undo racing a teammate's saves loses none of them.

use crate::team_tests::{ANA, BEN, Team, at};
use chrono::NaiveDate;
use rapport::model::{ContactDraft, FollowUpDraft, FollowUpStatus, Initiator, InteractionDraft};
use rapport::store::{Saved, Store, StoreError};

fn promise(contact: rapport::model::ContactId, text: &str) -> FollowUpDraft {
    FollowUpDraft {
        contact_id: contact,
        organization_id: None,
        interaction_id: None,
        text: text.into(),
        notes: String::new(),
        due_date: NaiveDate::from_ymd_opt(2026, 11, 6).unwrap(),
        due_time: None,
        promised_by: Initiator::Me,
        repeat: None,
    }
}

/// Ana looks at a follow-up, Ben moves it, then Ana ticks off what she saw: refused with who,
/// and Ben's move stays; from what she sees now, it goes through.
fn a_follow_up_step_names_the_version_shown(mut ana: Store, mut ben: Store, bens_name: &str) {
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let call = ana.add_follow_up(&promise(maria, "Call back")).unwrap();
    let seen_by_ana = ana.follow_up(call).unwrap();
    let monday = NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
    let seen_by_ben = ben.follow_up(call).unwrap();
    ben.reschedule_follow_up_seen(call, (monday, None), "snoozed", Some(seen_by_ben.version))
        .unwrap();
    let err = ana
        .complete_follow_up_seen(&seen_by_ana, at("2026-11-06 12:00"))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::ChangedSince { by } if by == bens_name),
        "{err}"
    );
    let now = ana.follow_up(call).unwrap();
    assert_eq!(
        (now.status, now.draft.due_date),
        (FollowUpStatus::Open, monday)
    );
    let err = ana
        .set_follow_up_status_seen(
            call,
            FollowUpStatus::Missed,
            at("2026-11-06 12:00"),
            Some(seen_by_ana.version),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::ChangedSince { .. }), "{err}");
    ana.complete_follow_up_seen(&now, at("2026-11-09 09:00"))
        .unwrap();
    assert_eq!(ben.follow_up(call).unwrap().status, FollowUpStatus::Done);
}

#[test]
fn a_follow_up_changed_by_a_teammate_since_it_was_shown_is_not_ticked_off_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.sqlite3");
    let window = Store::open(&file).unwrap();
    let command_line = Store::open(&file).unwrap();
    a_follow_up_step_names_the_version_shown(window, command_line, "");
    let Some(team) = Team::new() else { return };
    a_follow_up_step_names_the_version_shown(team.open(ANA), team.open(BEN), "Ben Berg");
}

#[test]
fn a_member_cannot_sign_changes_as_the_teams_group() {
    let Some(team) = Team::new() else { return };
    let db = team
        .url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    let out = team.psql(
        BEN,
        &format!(
            "SET ROLE {db}_member; INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES ('Nobody''s', 'nobody''s', '2026-11-01', '2026-11-01')"
        ),
    );
    assert!(out.contains("sign in as yourself"), "{out}");
    assert_eq!(
        team.psql(
            BEN,
            "SELECT count(*) FROM organizations WHERE name = 'Nobody''s'"
        ),
        "0"
    );
    // Signed in as himself, the same insert is his.
    let out = team.psql(
        BEN,
        "INSERT INTO organizations (name, name_key, created_at, updated_at) VALUES ('Bens', 'bens', '2026-11-01', '2026-11-01'); SELECT created_by FROM organizations WHERE name = 'Bens'",
    );
    assert!(out.ends_with(&team.logins[BEN].0), "{out}");
}

#[test]
fn deleting_a_contact_for_good_leaves_a_teammates_private_conversations_and_promises() {
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let mut ben = team.open(BEN);
    let maria = ben
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let secret = ana
        .log_interaction(&InteractionDraft {
            summary: "Her mother's health".into(),
            private: true,
            ..InteractionDraft::new(at("2026-11-03 10:00"), maria)
        })
        .unwrap();
    ana.add_follow_up(&FollowUpDraft {
        interaction_id: Some(secret),
        ..promise(maria, "Ask how the operation went")
    })
    .unwrap();
    ben.add_follow_up(&promise(maria, "Send the price list"))
        .unwrap();
    ben.trash_contact(maria).unwrap();
    let err = ben.purge_contact(maria).unwrap_err();
    assert!(
        matches!(&err, StoreError::NotAllowed(text) if text.contains("private conversation or promise")),
        "{err}"
    );
    assert_eq!(ana.follow_ups_for_contact(maria).unwrap().len(), 2);
    assert_eq!(ana.count_interactions(maria).unwrap(), 1);
    // Deleting her private conversation takes its promise along; it never becomes everyone's.
    ana.delete_interaction(secret).unwrap();
    assert_eq!(
        team.psql(
            BEN,
            "SELECT count(*) FROM follow_ups WHERE text LIKE 'Ask how%'"
        ),
        "0"
    );
    assert_eq!(ana.follow_ups_for_contact(maria).unwrap().len(), 1);
    ben.purge_contact(maria).unwrap();
    assert_eq!(team.psql(ANA, "SELECT count(*) FROM contacts"), "0");
}

#[test]
fn a_card_whose_uid_a_teammates_private_contact_has_still_imports() {
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let mut ben = team.open(BEN);
    let mut hers = ContactDraft::named("Maria García");
    hers.uid = "urn:uuid:0b2c4e5d-1111-4222-8333-944455556666".into();
    hers.private = true;
    let private = ana.create_contact(&hers).unwrap();
    let mut his = ContactDraft::named("Maria G.");
    his.uid = hers.uid.clone();
    let shared = ben.create_contact(&his).unwrap();
    assert_ne!(ben.contact(shared).unwrap().draft.uid, hers.uid);
    assert_eq!(ana.contact(private).unwrap().draft.uid, hers.uid);
}

/// Ana edits and undoes her edits while Ben keeps saving the same contact's notes: each undo
/// either puts back what Ana changed (Ben's last save kept) or says it changed since, so Ben
/// always reads back his last acknowledged words.
#[test]
fn an_undo_racing_a_teammates_saves_loses_none_of_them() {
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let maria = ana
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    let parts = [rapport::store::undo::Part::Contact(maria)];
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (undone, refused, last) = std::thread::scope(|s| {
        let bens = s.spawn(|| {
            let mut ben = team.open(BEN);
            let mut last = String::new();
            for n in 0..400 {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let opened = ben.contact(maria).unwrap();
                // Nobody else writes the notes: an undo that put back older ones lost his.
                assert_eq!(
                    opened.draft.personal_notes, last,
                    "an undo took Ben's save away"
                );
                let mut draft = opened.draft.clone();
                draft.personal_notes = format!("Ben's note {n}");
                match ben.save_contact(&opened, &draft, None).unwrap() {
                    Saved::Saved | Saved::Merged { .. } => last = draft.personal_notes,
                    Saved::Clash { .. } => {}
                }
            }
            last
        });
        let (mut undone, mut refused) = (0, 0);
        for n in 0..150 {
            let opened = ana.contact(maria).unwrap();
            let mut draft = opened.draft.clone();
            draft.title = format!("Title {n}");
            let (saved, change) = ana
                .save_contact_recorded(&opened, &draft, None, &parts)
                .unwrap();
            if !matches!(saved, Saved::Clash { .. }) {
                match ana.undo_change(&change).unwrap() {
                    rapport::store::undo::Undone::Done => undone += 1,
                    rapport::store::undo::Undone::ChangedSince(_) => refused += 1,
                }
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        (undone, refused, bens.join().unwrap())
    });
    eprintln!("{undone} undone, {refused} refused as changed since");
    assert!(undone > 0, "some undos had nothing in between");
    assert_eq!(ana.contact(maria).unwrap().draft.personal_notes, last);
}

/// A one-letter count is a sum of the rows changes appended; a count that meets many folds
/// them into one (read-only people too), and the number stays what the list shows. A
/// member's private contacts count for her alone.
#[test]
fn short_search_counts_fold_their_rows_and_stay_exact() {
    use crate::team_tests::RITA;
    let Some(team) = Team::new() else { return };
    let mut ana = team.open(ANA);
    let mut ben = team.open(BEN);
    for n in 0..40 {
        ana.create_contact(&ContactDraft::named(&format!("Mara Shared {n}")))
            .unwrap();
    }
    let mut private = ContactDraft::named("Milo Private");
    private.private = true;
    ben.create_contact(&private).unwrap();
    let rows =
        |team: &Team| team.psql(ANA, "SELECT count(*) FROM prefix_counts WHERE prefix = 'm'");
    assert!(rows(&team).parse::<i64>().unwrap() > 32, "{}", rows(&team));
    let rita = team.open(RITA);
    assert_eq!(rita.count_contacts("m").unwrap(), 40);
    assert_eq!(rows(&team), "1", "folded by a read-only count");
    assert_eq!(rita.count_contacts("m").unwrap(), 40);
    assert_eq!(
        ben.count_contacts("m").unwrap(),
        41,
        "his private one is his"
    );
    assert_eq!(ana.count_contacts("mi").unwrap(), 0);
    assert_eq!(ben.count_contacts("mi").unwrap(), 1);
    // Her search documents too, whatever program reads them, until he shares the contact.
    let milo = "SELECT count(*) FROM contact_fts WHERE doc @@ to_tsquery('simple', 'milo:*')";
    assert_eq!(team.psql(ANA, milo), "0");
    assert_eq!(team.psql(BEN, milo), "1");
    let his = ben.contact_rows("milo", 0, 1).unwrap()[0].id;
    let mut shared = ben.contact(his).unwrap().draft;
    shared.private = false;
    ben.update_contact(his, &shared).unwrap();
    assert_eq!(team.psql(ANA, milo), "1");
    assert_eq!(ana.count_contacts("mi").unwrap(), 1);
    assert_eq!(rita.count_contacts("m").unwrap(), 41);
    ben.trash_contact(his).unwrap();
    let first = ana.contact_rows("", 0, 1).unwrap()[0].id;
    ana.trash_contact(first).unwrap();
    assert_eq!(rita.count_contacts("ma").unwrap(), 39);
    assert_eq!(rita.contact_rows("ma", 0, 100).unwrap().len(), 39);
}

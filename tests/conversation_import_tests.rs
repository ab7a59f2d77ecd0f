//! E-mails and meetings become conversations (issue 22): a plan first (per contact, unknown
//! senders, skipped and why, already in Rapport), one transaction, nothing new on a second
//! import, an undo that takes the batch back exactly; on both engines, and on a team database
//! a teammate's private contact is not matched by someone who cannot see them, and a message
//! is stored once for the whole team. The files (e-mail, mailbox, calendar) through the
//! command line and the window: `conversation_import_files_tests`.

use crate::common::{self, each_engine};
use rapport::model::incoming::{IncomingConversation, MailAddress, SkipReason};
use rapport::model::{Channel, ContactDraft, ContactId, Email, Initiator, Interaction, Outcome};
use rapport::store::conversation_import::{
    ConversationImportOptions, ConversationPlan, Listed, UnknownSender,
};
use rapport::store::{Store, StoreError};

pub(crate) const ME: &str = "me@shop.example";

/// Every row but those an import leaves as its record (the batch, the settings), relationship
/// health, a team database's change log, the versions, and the short-search counts by sums.
pub(crate) fn dump(store: &Store) -> Vec<String> {
    crate::bulk_tests::dump_leaving_out(
        store,
        &[
            "contact_health:",
            "import_batches:",
            "import_batch_changes:",
            "settings:",
            "changes:",
        ],
    )
}

pub(crate) fn person(name: &str, address: &str) -> ContactDraft {
    ContactDraft {
        emails: vec![Email {
            label: "work".into(),
            address: address.into(),
        }],
        ..ContactDraft::named(name)
    }
}

fn address(name: &str, address: &str) -> MailAddress {
    MailAddress::new(name, address)
}

/// A message as the mail reader makes it.
fn message(
    id: &str,
    at: &str,
    from: MailAddress,
    to: Vec<MailAddress>,
    subject: &str,
) -> IncomingConversation {
    IncomingConversation {
        source_ref: format!("mid:{id}"),
        thread_ref: Some(format!("mid:{id}")),
        occurred_at: common::at(at),
        channel: Channel::Email,
        outcome: Outcome::Held,
        duration_minutes: None,
        from: Some(from),
        to,
        summary: subject.to_owned(),
        they_said: String::new(),
        attachments: Vec::new(),
        skip: None,
    }
}

fn me() -> MailAddress {
    address("Sam Shop", ME)
}

fn maria_at() -> MailAddress {
    // Written in other case than on her card: matched without case.
    address("Maria García", "Maria@Bakery.example")
}

fn bob_at() -> MailAddress {
    address("Bob Okafor", "bob@fish.example")
}

/// Maria writes to me with Bob in copy and two attachments; I answer in her thread; a
/// newsletter; a note to myself; a stranger; and a meeting I organized with Bob, cancelled.
fn mailbox() -> Vec<IncomingConversation> {
    let mut prices = message(
        "prices-1@bakery.example",
        "2026-03-02 10:15",
        maria_at(),
        vec![me(), bob_at()],
        "Prices for March",
    );
    prices.they_said = "Could you send the new prices before Friday?".into();
    prices.attachments = vec!["prices.pdf".into(), "menu.docx".into()];
    let mut reply = message(
        "reply-2@shop.example",
        "2026-03-02 11:40",
        me(),
        vec![maria_at()],
        "Re: Prices for March",
    );
    reply.thread_ref = Some("mid:prices-1@bakery.example".into());
    reply.they_said = "Here they are.".into();
    let mut news = message(
        "news-3@news.example",
        "2026-03-03 07:00",
        address("Bakery News", "news@news.example"),
        vec![me()],
        "This week's offers",
    );
    news.skip = Some(SkipReason::Bulk("List-Id: <news.example>".into()));
    let note = message(
        "note-4@shop.example",
        "2026-03-04 08:00",
        me(),
        vec![me()],
        "Remember",
    );
    let stranger = message(
        "hello-5@new.example",
        "2026-03-05 09:30",
        address("Ana Lima", "ana@new.example"),
        vec![me()],
        "Hello from a new shop",
    );
    let meeting = IncomingConversation {
        source_ref: "ics:tasting-1@shop.example#".into(),
        thread_ref: None,
        occurred_at: common::at("2026-03-10 15:00"),
        channel: Channel::VideoCall,
        outcome: Outcome::TheyCancelled,
        duration_minutes: Some(30),
        from: Some(me()),
        to: vec![bob_at(), me()],
        summary: "Fish tasting".into(),
        they_said: "Video call link in the invitation".into(),
        attachments: Vec::new(),
        skip: None,
    };
    vec![prices, reply, news, note, stranger, meeting]
}

fn options() -> ConversationImportOptions {
    ConversationImportOptions {
        my_addresses: vec![ME.to_owned()],
        ..ConversationImportOptions::default()
    }
}

fn plan(
    store: &Store,
    entries: Vec<IncomingConversation>,
    options: &ConversationImportOptions,
) -> ConversationPlan {
    store
        .plan_conversation_import(&mut Listed::new(entries), options, &mut |_, _| true)
        .unwrap()
}

fn import(
    store: &mut Store,
    entries: Vec<IncomingConversation>,
    options: &ConversationImportOptions,
) -> (rapport::model::ImportBatchId, ConversationPlan) {
    store
        .import_conversations(
            "Inbox.mbox",
            "mbox",
            &mut Listed::new(entries),
            options,
            &mut |_, _| true,
        )
        .unwrap()
}

pub(crate) fn history(store: &Store, contact: ContactId) -> Vec<Interaction> {
    let total = store.count_interactions(contact).unwrap();
    let mut items = store.interactions_for_contact(contact, 0, total).unwrap();
    items.reverse();
    items
}

pub(crate) fn counts(plan: &ConversationPlan) -> Vec<(String, usize)> {
    plan.per_contact
        .iter()
        .map(|c| (c.name.clone(), c.conversations))
        .collect()
}

fn reasons(plan: &ConversationPlan) -> Vec<(String, usize)> {
    plan.skipped
        .iter()
        .map(|s| (s.reason.clone(), s.count))
        .collect()
}

#[test]
fn conversation_import_plans_makes_each_message_once_and_undoes_exactly() {
    each_engine(|mut store| {
        let maria = store
            .create_contact(&person("Maria García", "maria@bakery.example"))
            .unwrap();
        let bob = store
            .create_contact(&person("Bob Okafor", "bob@fish.example"))
            .unwrap();
        let before = dump(&store);

        let planned = plan(&store, mailbox(), &options());
        assert_eq!(planned.read, 6);
        assert_eq!(planned.conversations, 3);
        assert_eq!(planned.already, 0);
        assert_eq!(
            counts(&planned),
            [("Bob Okafor".to_owned(), 2), ("Maria García".to_owned(), 2)]
        );
        assert_eq!(
            planned.unknown_senders,
            [UnknownSender {
                address: "ana@new.example".into(),
                name: "Ana Lima".into(),
                messages: 1
            }]
        );
        assert_eq!((planned.unknown_messages, planned.new_contacts), (1, 0));
        assert_eq!(
            reasons(&planned),
            [
                (
                    "newsletter or automated sender (List-Id: <news.example>)".to_owned(),
                    1
                ),
                ("only your own addresses".to_owned(), 1)
            ]
        );
        assert_eq!(dump(&store), before, "a plan writes nothing");

        let (batch, done) = import(&mut store, mailbox(), &options());
        assert_eq!(
            done,
            ConversationPlan {
                likely_me: None,
                ..planned.clone()
            },
            "the import did what the plan said"
        );

        let with_maria = history(&store, maria);
        assert_eq!(with_maria.len(), 2);
        let prices = &with_maria[0];
        assert_eq!(prices.draft.summary, "Prices for March");
        assert_eq!(prices.draft.channel, Channel::Email);
        assert_eq!(
            prices.draft.initiated_by,
            Initiator::Them,
            "Maria wrote first"
        );
        assert_eq!(prices.draft.outcome, Outcome::Held);
        assert_eq!(prices.draft.occurred_at, common::at("2026-03-02 10:15"));
        assert_eq!(
            prices.draft.they_said,
            "Could you send the new prices before Friday?"
        );
        assert_eq!(prices.participant_names, ["Bob Okafor", "Maria García"]);
        let reply = &with_maria[1];
        assert_eq!(reply.draft.initiated_by, Initiator::Me, "I answered");
        assert_eq!(
            reply.participant_names,
            ["Maria García"],
            "I am no participant"
        );
        assert_eq!(reply.draft.occurred_at, common::at("2026-03-02 11:40"));

        let origins = store.conversation_origins(&[prices.id, reply.id]).unwrap();
        let origin = &origins[&prices.id];
        assert_eq!(origin.message_id(), Some("prices-1@bakery.example"));
        assert_eq!(
            origin.thread_ref.as_deref(),
            Some("mid:prices-1@bakery.example")
        );
        assert_eq!(origin.attachments, ["prices.pdf", "menu.docx"]);
        assert_eq!(origin.batch, Some(batch));
        assert_eq!(
            origins[&reply.id].thread_ref.as_deref(),
            Some("mid:prices-1@bakery.example"),
            "the answer is in Maria's thread"
        );

        let with_bob = history(&store, bob);
        assert_eq!(with_bob.len(), 2);
        let tasting = &with_bob[1];
        assert_eq!(tasting.draft.summary, "Fish tasting");
        assert_eq!(tasting.draft.channel, Channel::VideoCall);
        assert_eq!(tasting.draft.outcome, Outcome::ICancelled, "I organized it");
        assert_eq!(tasting.draft.initiated_by, Initiator::Me);
        assert_eq!(tasting.draft.duration_minutes, Some(30));
        assert_eq!(tasting.participant_names, ["Bob Okafor"]);
        let origin = &store.conversation_origins(&[tasting.id]).unwrap()[&tasting.id];
        assert_eq!(origin.source_ref, "ics:tasting-1@shop.example#");
        assert_eq!(origin.message_id(), None);
        // The notes are searchable like any conversation's.
        assert_eq!(
            store.search_interactions("prices friday", 10).unwrap(),
            [prices.id]
        );

        // The same mailbox again: nothing new, every conversation already in Rapport.
        let imported = dump(&store);
        let again = plan(&store, mailbox(), &options());
        assert_eq!((again.conversations, again.already), (0, 3));
        let (_, again) = import(&mut store, mailbox(), &options());
        assert_eq!((again.conversations, again.already), (0, 3));
        assert_eq!(dump(&store), imported, "the second import created nothing");

        let report = store.undo_import(batch).unwrap();
        assert_eq!((report.conversations, report.removed), (3, 0));
        assert!(report.kept.is_empty() && report.kept_conversations.is_empty());
        assert_eq!(dump(&store), before, "undo took back exactly the batch");
        assert!(matches!(
            store.undo_import(batch),
            Err(StoreError::Invalid(_))
        ));
    });
}

#[test]
fn conversation_import_makes_contacts_of_unknown_senders_only_when_asked_and_undo_removes_them() {
    each_engine(|mut store| {
        store
            .create_contact(&person("Maria García", "maria@bakery.example"))
            .unwrap();
        let before = dump(&store);
        let mut second = message(
            "hello-6@new.example",
            "2026-03-06 09:30",
            address("", "ana@new.example"),
            vec![me()],
            "Our address",
        );
        second.they_said = "We moved.".into();
        let mut entries = mailbox();
        entries.push(second.clone());
        let asked = ConversationImportOptions {
            new_contacts: true,
            ..options()
        };
        let planned = plan(&store, entries.clone(), &asked);
        assert_eq!(planned.unknown_senders[0].messages, 2);
        // Ana, and Bob (the tasting names nobody else; Maria's message has him in copy).
        assert_eq!((planned.new_contacts, planned.conversations), (2, 5));

        let (batch, done) = import(&mut store, entries, &asked);
        assert_eq!((done.new_contacts, done.conversations), (2, 5));
        let ana = store
            .contact_ids_matching("ana@new.example", &Default::default())
            .unwrap();
        assert_eq!(ana.len(), 1, "one contact for her two messages");
        let card = store.contact(ana[0]).unwrap();
        assert_eq!(card.draft.display_name, "Ana Lima");
        assert_eq!(card.draft.emails[0].address, "ana@new.example");
        let hers = history(&store, ana[0]);
        assert_eq!(
            hers.iter()
                .map(|i| (i.draft.summary.as_str(), i.draft.initiated_by))
                .collect::<Vec<_>>(),
            [
                ("Hello from a new shop", Initiator::Them),
                ("Our address", Initiator::Them)
            ]
        );

        let report = store.undo_import(batch).unwrap();
        assert_eq!((report.conversations, report.removed), (5, 2));
        assert_eq!(dump(&store), before, "her contact went with the batch");
    });
}

#[test]
fn conversation_import_keeps_what_was_edited_since_when_undone() {
    each_engine(|mut store| {
        let maria = store
            .create_contact(&person("Maria García", "maria@bakery.example"))
            .unwrap();
        store.set_clock(common::at("2026-03-20 09:00").and_utc());
        let (batch, _) = import(&mut store, mailbox(), &options());
        let prices = history(&store, maria)[0].clone();
        store.set_clock(common::at("2026-03-21 09:00").and_utc());
        let mut draft = prices.draft.clone();
        draft.they_need = "New prices before Friday".into();
        store.update_interaction(prices.id, &draft).unwrap();

        let report = store.undo_import(batch).unwrap();
        assert_eq!(report.conversations, 1, "my answer went");
        assert_eq!(report.kept_conversations, ["Prices for March"]);
        let left = history(&store, maria);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].draft.they_need, "New prices before Friday");
    });
}

#[test]
fn conversation_import_cancelled_changes_nothing() {
    each_engine(|mut store| {
        store
            .create_contact(&person("Maria García", "maria@bakery.example"))
            .unwrap();
        let before = dump(&store);
        let entries: Vec<IncomingConversation> = (0..600)
            .map(|n| {
                message(
                    &format!("m{n}@bakery.example"),
                    "2026-03-02 10:15",
                    maria_at(),
                    vec![me()],
                    "Order",
                )
            })
            .collect();
        let mut asked = 0;
        let result = store.import_conversations(
            "Inbox.mbox",
            "mbox",
            &mut Listed::new(entries),
            &options(),
            &mut |done, total| {
                asked += 1;
                assert_eq!(total, 600);
                done < 300
            },
        );
        assert!(matches!(result, Err(StoreError::Cancelled)), "{result:?}");
        assert!(asked >= 2, "progress was asked as the reading went");
        assert_eq!(dump(&store), before);
        assert!(
            store.import_batches().unwrap().is_empty(),
            "no batch was recorded"
        );
    });
}

#[test]
fn conversation_import_my_addresses_are_kept_and_checked() {
    each_engine(|mut store| {
        assert!(store.my_addresses().unwrap().is_empty());
        store
            .set_my_addresses(&["Me@Shop.example".into(), "sam@home.example".into()])
            .unwrap();
        assert_eq!(
            store.my_addresses().unwrap(),
            ["Me@Shop.example", "sam@home.example"]
        );
        let refused = store.set_my_addresses(&["not an address".into()]);
        assert!(
            matches!(&refused, Err(StoreError::Invalid(why)) if why.contains("\"not\" is not an e-mail address")),
            "{refused:?}"
        );
        assert_eq!(store.my_addresses().unwrap().len(), 2, "nothing changed");
        // Without my addresses, the plan offers the address in the most messages that no
        // contact has.
        store
            .create_contact(&person("Maria García", "maria@bakery.example"))
            .unwrap();
        let guessed = plan(&store, mailbox(), &ConversationImportOptions::default());
        assert_eq!(guessed.likely_me.map(|a| a.address), Some(ME.to_owned()));
        // The contact the files were dropped on comes first, whatever the counts.
        let bob = store
            .create_contact(&person("Bob Okafor", "bob@fish.example"))
            .unwrap();
        let mut entries = mailbox();
        entries.push(message(
            "x@b",
            "2026-03-06 10:00",
            maria_at(),
            vec![me()],
            "More",
        ));
        let hinted = plan(
            &store,
            entries,
            &ConversationImportOptions {
                hint: Some(bob),
                ..options()
            },
        );
        assert_eq!(
            counts(&hinted),
            [("Bob Okafor".to_owned(), 2), ("Maria García".to_owned(), 3)]
        );
    });
}

#[test]
fn conversation_import_on_a_team_matches_only_who_you_may_see_and_stores_each_message_once() {
    let Some(team) = crate::team_tests::Team::new() else {
        return;
    };
    let mut ana = team.open(crate::team_tests::ANA);
    let mut ben = team.open(crate::team_tests::BEN);
    ana.create_contact(&person("Maria García", "maria@bakery.example"))
        .unwrap();
    // Bob is Ana's private contact: Ben cannot see him, so Ben's import cannot match him.
    ana.create_contact(&ContactDraft {
        private: true,
        ..person("Bob Okafor", "bob@fish.example")
    })
    .unwrap();
    let bens = plan(&ben, mailbox(), &options());
    assert_eq!(counts(&bens), [("Maria García".to_owned(), 2)]);
    assert_eq!(
        bens.conversations, 2,
        "the tasting with Bob is nobody's Ben knows"
    );

    // Ana imports first, privately seen or not, each message is stored once for the team.
    let (_, anas) = import(&mut ana, mailbox(), &options());
    assert_eq!(anas.conversations, 3);
    assert_eq!(
        counts(&anas),
        [("Bob Okafor".to_owned(), 2), ("Maria García".to_owned(), 2)]
    );
    // Ana makes Maria's message private: Ben cannot see it, and still it is not stored twice.
    let maria = ana
        .contact_ids_matching("maria@bakery.example", &Default::default())
        .unwrap()[0];
    let prices = history(&ana, maria)[0].clone();
    let mut draft = prices.draft.clone();
    draft.private = true;
    ana.update_interaction(prices.id, &draft).unwrap();
    let before = dump(&ben);
    let (_, bens) = import(&mut ben, mailbox(), &options());
    // The private one (met at the server's unique index) and the two he sees, the tasting
    // with Bob among them.
    assert_eq!((bens.conversations, bens.already), (0, 3));
    assert_eq!(dump(&ben), before, "Ben's import made nothing");
    // Each person has their own addresses on the team database.
    ana.set_my_addresses(&[ME.into()]).unwrap();
    assert!(ben.my_addresses().unwrap().is_empty());
    assert_eq!(ana.my_addresses().unwrap(), [ME]);
}

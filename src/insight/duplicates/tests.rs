use super::*;
use crate::model::{Birthday, Email, Phone, Stage};

fn person(id: i64, name: &str, org: &str, emails: &[&str], phones: &[&str]) -> Person {
    Person {
        id: ContactId(id),
        name: name.to_owned(),
        given_name: String::new(),
        family_name: String::new(),
        nickname: String::new(),
        organization: org.to_owned(),
        emails: emails.iter().map(|e| (*e).to_owned()).collect(),
        phones: phones.iter().map(|p| (*p).to_owned()).collect(),
    }
}

fn reasons(people: Vec<Person>) -> Vec<(i64, i64, Vec<String>)> {
    find_duplicates(people, "GB")
        .pairs
        .into_iter()
        .map(|p| (p.first.id.0, p.second.id.0, p.reasons))
        .collect()
}

#[test]
fn a_shared_email_in_another_case_and_a_phone_in_another_form_are_said_in_words() {
    let found = reasons(vec![
        person(
            1,
            "Ana Lima",
            "",
            &["ana@lima.example"],
            &["+44 7700 900123"],
        ),
        person(
            2,
            "Ana Lima-Souza",
            "",
            &["Ana@Lima.example"],
            &["07700 900123"],
        ),
    ]);
    assert_eq!(
        found,
        vec![(
            1,
            2,
            vec![
                "same e-mail ana@lima.example".to_owned(),
                "same phone +44 7700 900123".to_owned(),
            ]
        )]
    );
}

#[test]
fn nicknames_accents_transliteration_and_legal_forms_meet() {
    let found = reasons(vec![
        person(1, "Robert Smith", "Smith Plumbing", &[], &[]),
        person(2, "Bob Smith", "Smith Plumbing Ltd.", &[], &[]),
        person(3, "María García", "Golden Crust", &[], &[]),
        person(4, "Maria Garcia", "golden crust", &[], &[]),
        person(5, "Jörg Müller", "Oak & Iron", &[], &[]),
        person(6, "Jorg Mueller", "Oak and Iron GmbH", &[], &[]),
        person(7, "Анна Иванова", "Meadow Deli", &[], &[]),
        person(8, "Anna Ivanova", "Meadow Deli", &[], &[]),
    ]);
    let said: Vec<String> = found.iter().map(|(_, _, r)| r.join("; ")).collect();
    assert!(
        said.contains(
            &"Robert and Bob Smith, at Smith Plumbing and Smith Plumbing Ltd.".to_owned()
        ),
        "{said:?}"
    );
    assert!(
        said.contains(
            &"same name written with and without accents, both at Golden Crust".to_owned()
        ),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|s| s.starts_with("same name transliterated (Jörg Müller and Jorg Mueller)")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|s| s.starts_with("same name transliterated (Анна Иванова and Anna Ivanova)")),
        "{said:?}"
    );
    assert_eq!(found.len(), 4, "{said:?}");
}

#[test]
fn strangers_sharing_an_office_line_or_a_name_elsewhere_are_not_pairs() {
    let found = reasons(vec![
        // The shop's one number, answered by two people.
        person(
            1,
            "Maria Rossi",
            "Harbor Café",
            &["info@harbor.example"],
            &["+44 20 7946 0000"],
        ),
        person(
            2,
            "Luca Rossi",
            "Harbor Café",
            &["info@harbor.example"],
            &["+44 20 7946 0000"],
        ),
        // The same name at two businesses: two people.
        person(3, "James Murphy", "Northside Bakery", &[], &[]),
        person(4, "James Murphy", "Union Garage", &[], &[]),
        // Maria and Mario are not one name with a typo.
        person(5, "Maria Costa", "Station Deli", &[], &[]),
        person(6, "Mario Costa", "Station Deli", &[], &[]),
    ]);
    assert_eq!(found, vec![]);
}

#[test]
fn a_pair_sharing_every_key_is_listed_once_with_every_reason() {
    let found = find_duplicates(
        vec![
            person(
                7,
                "Robert Smith",
                "Smith Plumbing",
                &["bob@smith.example"],
                &["+1 415 555 2671"],
            ),
            person(
                3,
                "Bob Smith",
                "Smith Plumbing",
                &["BOB@smith.example"],
                &["(415) 555-2671"],
            ),
        ],
        "US",
    );
    assert_eq!(found.pairs.len(), 1);
    let pair = &found.pairs[0];
    assert_eq!(
        (pair.first.id.0, pair.second.id.0),
        (3, 7),
        "lower id first"
    );
    assert_eq!(
        pair.reasons,
        vec![
            "same e-mail bob@smith.example",
            "same phone +1 415-555-2671",
            "Bob and Robert Smith, both at Smith Plumbing",
        ]
    );
    assert_eq!(pair.score, 10);
}

#[test]
fn a_typo_in_the_family_name_and_an_initial_are_found() {
    let found = reasons(vec![
        person(1, "Hannah Schneider", "Parkview Studio", &[], &[]),
        person(2, "Hannah Schnieder", "Parkview Studio", &[], &[]),
        person(3, "R. Okafor", "Union Builders", &[], &[]),
        person(4, "Rafael Okafor", "Union Builders", &[], &[]),
    ]);
    let said: Vec<String> = found.iter().map(|(_, _, r)| r.join("; ")).collect();
    assert_eq!(
        said,
        vec![
            "nearly the same name (Hannah Schneider and Hannah Schnieder), both at Parkview Studio",
            "R. Okafor and Rafael Okafor, both at Union Builders",
        ]
    );
}

#[test]
fn without_organizations_only_the_whole_name_counts() {
    let found = reasons(vec![
        person(1, "Zanele Nkosi", "", &[], &[]),
        person(2, "Zanele Nkosi", "", &[], &[]),
        person(3, "Bob Brown", "", &[], &[]),
        person(4, "Robert Brown", "", &[], &[]),
    ]);
    assert_eq!(
        found,
        vec![(
            1,
            2,
            vec!["same name; neither has an organization".to_owned()]
        )]
    );
}

#[test]
fn a_crowded_key_is_counted_not_compared_pair_by_pair() {
    let people = (0..CROWDED as i64 + 1)
        .map(|i| person(i, &format!("P{i}"), "", &["office@shop.example"], &[]));
    let found = find_duplicates(people, "GB");
    assert_eq!(found.crowded_keys, 1);
    assert_eq!(found.compared, 0);
    assert!(found.pairs.is_empty());
}

#[test]
fn blocking_compares_only_contacts_that_share_a_key() {
    let people = (0..2000i64).map(|i| {
        person(
            i,
            &format!("Given{i} Family{}", i % 700),
            &format!("Shop {}", i % 13),
            &[&format!("p{i}@x.example")],
            &[],
        )
    });
    let found = find_duplicates(people, "GB");
    assert_eq!(found.contacts, 2000);
    assert!(found.compared < 2000, "compared {} pairs", found.compared);
}

#[test]
fn dismissed_pairs_are_not_listed_again() {
    let mut finder = Finder::new("GB");
    finder.add(person(1, "Zanele Nkosi", "Meadow", &[], &[]));
    finder.add(person(2, "Zanele Nkosi", "Meadow", &[], &[]));
    assert!(
        finder
            .finish(&[(ContactId(1), ContactId(2))])
            .pairs
            .is_empty()
    );
}

#[test]
fn a_new_contact_without_an_organization_asks_about_the_one_at_a_business() {
    let found = look_alikes(
        person(0, "Bob Smith", "", &[], &[]),
        vec![
            person(4, "Robert Smith", "Smith Plumbing", &[], &[]),
            person(5, "Roberta Smith", "Smith Plumbing", &[], &[]),
        ],
        "GB",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].question(),
        "Is this Robert Smith at Smith Plumbing?"
    );
    assert_eq!(found[0].reasons, vec!["Bob and Robert Smith"]);
}

#[test]
fn folding_and_organization_keys() {
    assert_eq!(fold("Zoë O'Brien-Łukasz"), "zoe o brien lukasz");
    assert_eq!(fold("Straße"), "strasse");
    assert_eq!(organization_key("The Oak & Iron Co. Ltd"), "oak iron");
    assert_eq!(organization_key("Ltd"), "ltd");
    assert!(one_edit_apart("schneider", "schnieder"));
    assert!(one_edit_apart("smith", "smyth"));
    assert!(one_edit_apart("smith", "smiths"));
    assert!(!one_edit_apart("smith", "smith"));
    assert!(!one_edit_apart("costa", "rossi"));
}

fn draft(name: &str) -> ContactDraft {
    ContactDraft::named(name)
}

#[test]
fn merging_keeps_every_value_and_writes_the_ones_not_chosen_into_the_notes() {
    let kept = ContactDraft {
        title: "Owner".into(),
        birthday: Birthday::new(None, 3, 2),
        emails: vec![Email {
            label: "work".into(),
            address: "robert@smith.example".into(),
        }],
        phones: vec![Phone {
            label: "mobile".into(),
            number: "+44 7700 900123".into(),
        }],
        tags: vec!["VIP".into()],
        personal_notes: "Prefers calls.".into(),
        uid: "urn:uuid:kept".into(),
        ..draft("Robert Smith")
    };
    let other = ContactDraft {
        title: "Managing Director".into(),
        birthday: Birthday::new(Some(1970), 3, 2),
        stage: Stage::Customer,
        emails: vec![Email {
            label: "home".into(),
            address: "bob@home.example".into(),
        }],
        phones: vec![Phone {
            label: "mobile".into(),
            number: "07700 900123".into(),
        }],
        tags: vec!["vip".into(), "wholesale".into()],
        personal_notes: "Has a dog.".into(),
        uid: "urn:uuid:other".into(),
        ..draft("Bob Smith")
    };
    let choices = merge_choices(&kept, &other);
    let pick = |f: MergeField| choices.iter().find(|c| c.field == f).map(|c| c.pick);
    assert_eq!(
        pick(MergeField::Name),
        Some(Pick::Kept),
        "alike: the kept one's"
    );
    assert_eq!(
        pick(MergeField::Title),
        Some(Pick::Other),
        "the fuller value"
    );
    assert_eq!(
        pick(MergeField::Birthday),
        Some(Pick::Other),
        "with its year"
    );
    assert_eq!(
        pick(MergeField::Stage),
        Some(Pick::Other),
        "only one side has it"
    );
    assert_eq!(pick(MergeField::Nickname), None, "neither has one");
    let merged = merged_draft(&kept, &other, &choices, "GB");
    assert_eq!(merged.display_name, "Robert Smith");
    assert_eq!(merged.title, "Managing Director");
    assert_eq!(merged.birthday, Birthday::new(Some(1970), 3, 2));
    assert_eq!(merged.stage, Stage::Customer);
    assert_eq!(merged.emails.len(), 2);
    assert_eq!(
        merged.phones.len(),
        1,
        "the same number in two forms is one"
    );
    assert_eq!(merged.tags, vec!["VIP", "wholesale"]);
    assert_eq!(merged.uid, "urn:uuid:kept");
    assert_eq!(
        merged.personal_notes,
        "Prefers calls.\n\nHas a dog.\n\nFrom the merged duplicate: name “Bob Smith”.\n\n\
         Before the merge: role “Owner”; birthday --03-02."
            .replace("birthday --03-02", "birthday “--03-02”")
    );
}

#[test]
fn fields_are_named_on_the_command_line() {
    assert_eq!(MergeField::from_key("title"), Some(MergeField::Title));
    assert_eq!(MergeField::from_key("role"), Some(MergeField::Title));
    assert_eq!(
        MergeField::from_key("how we met"),
        Some(MergeField::HowWeMet)
    );
    assert_eq!(
        MergeField::from_key("decision_maker"),
        Some(MergeField::DecisionMaker)
    );
    assert_eq!(MergeField::from_key("shoe size"), None);
}

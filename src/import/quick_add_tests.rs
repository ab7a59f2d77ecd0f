use super::*;

fn emails(found: &QuickAdd) -> Vec<&str> {
    found
        .draft
        .emails
        .iter()
        .map(|e| e.address.as_str())
        .collect()
}

fn phones(found: &QuickAdd) -> Vec<(&str, &str)> {
    let phones = found.draft.phones.iter();
    phones
        .map(|p| (p.label.as_str(), p.number.as_str()))
        .collect()
}

#[test]
fn a_name_and_an_address_in_angle_brackets() {
    let found = read_pasted("Ana Lima <ana@lima.example>");
    assert_eq!(found.draft.display_name, "Ana Lima");
    assert_eq!(found.draft.given_name, "Ana");
    assert_eq!(found.draft.family_name, "Lima");
    assert_eq!(emails(&found), ["ana@lima.example"]);
    assert!(found.unrecognised.is_empty());
}

#[test]
fn family_name_first_in_quotes_and_a_from_header() {
    let found = read_pasted("From: \"Lima, Ana\" <mailto:ana@lima.example>");
    assert_eq!(found.draft.display_name, "Ana Lima");
    assert_eq!(found.draft.given_name, "Ana");
    assert_eq!(found.draft.family_name, "Lima");
    assert_eq!(emails(&found), ["ana@lima.example"]);
}

#[test]
fn an_english_signature_with_labelled_phones_and_a_website() {
    let text = "Best regards,\n\
        --\n\
        Ana Lima\n\
        Owner, Lima Bakery\n\
        Mobile: +44 7700 900123\n\
        Tel +44 20 7946 0958\n\
        Fax: +44 20 7946 0959\n\
        E-mail: ana@lima.example\n\
        www.limabakery.example\n";
    let found = read_pasted(text);
    assert_eq!(found.draft.display_name, "Ana Lima");
    assert_eq!(found.draft.title, "Owner");
    assert_eq!(found.draft.organization, "Lima Bakery");
    assert_eq!(
        phones(&found),
        [
            ("mobile", "+44 7700 900123"),
            ("work", "+44 20 7946 0958"),
            ("fax", "+44 20 7946 0959")
        ]
    );
    assert_eq!(emails(&found), ["ana@lima.example"]);
    assert_eq!(found.websites, ["www.limabakery.example"]);
    assert!(found.unrecognised.is_empty(), "{:?}", found.unrecognised);
}

#[test]
fn a_german_signature_with_a_confident_address() {
    let text = "Mit freundlichen Grüßen\n\n\
        Dr. Jürgen Müller\n\
        Geschäftsführer\n\
        Müller Backwaren GmbH\n\
        Hauptstraße 12\n\
        10115 Berlin\n\
        Deutschland\n\
        Tel.: +49 30 1234567\n\
        Handy: +49 171 2345678\n\
        juergen.mueller@mueller-backwaren.example";
    let found = read_pasted(text);
    let draft = &found.draft;
    assert_eq!(draft.prefix, "Dr.");
    assert_eq!(draft.display_name, "Jürgen Müller");
    assert_eq!(draft.family_name, "Müller");
    assert_eq!(draft.title, "Geschäftsführer");
    assert_eq!(draft.organization, "Müller Backwaren GmbH");
    let address = &draft.addresses[0];
    assert_eq!(address.street, "Hauptstraße 12");
    assert_eq!(address.postal_code, "10115");
    assert_eq!(address.city, "Berlin");
    assert_eq!(address.country, "Deutschland");
    assert_eq!(
        phones(&found),
        [("work", "+49 30 1234567"), ("mobile", "+49 171 2345678")]
    );
    assert_eq!(
        emails(&found),
        ["juergen.mueller@mueller-backwaren.example"]
    );
    assert!(found.unrecognised.is_empty(), "{:?}", found.unrecognised);
}

#[test]
fn pipes_separate_a_role_company_and_a_phone_with_an_email() {
    let text = "Ana Lima | Head Chef | Lima Bakery\n+44 20 7946 0958 | ana@lima.example";
    let found = read_pasted(text);
    assert_eq!(found.draft.display_name, "Ana Lima");
    assert_eq!(found.draft.title, "Head Chef");
    assert_eq!(found.draft.organization, "Lima Bakery");
    assert_eq!(phones(&found), [("work", "+44 20 7946 0958")]);
    assert_eq!(emails(&found), ["ana@lima.example"]);
}

#[test]
fn a_one_line_card_with_an_em_dash() {
    let found = read_pasted("Ana Lima — Owner, Lima Bakery");
    assert_eq!(found.draft.display_name, "Ana Lima");
    assert_eq!(found.draft.title, "Owner");
    assert_eq!(found.draft.organization, "Lima Bakery");
    assert!(found.unrecognised.is_empty());
}

#[test]
fn title_at_company_and_short_labels() {
    let text = "Bob Okafor\nBuyer at Harbor Hardware\nM: 07700 900456\nT: 020 7946 0001\nE: bob@harbor.example\nhttps://harbor.example/bob";
    let found = read_pasted(text);
    assert_eq!(found.draft.title, "Buyer");
    assert_eq!(found.draft.organization, "Harbor Hardware");
    assert_eq!(
        phones(&found),
        [("mobile", "07700 900456"), ("work", "020 7946 0001")]
    );
    assert_eq!(emails(&found), ["bob@harbor.example"]);
    assert_eq!(found.websites, ["https://harbor.example/bob"]);
}

#[test]
fn an_american_signature_with_a_one_line_address() {
    let text = "Chloe Dubois, PhD\nDirector of Sales\nAcme Foods Inc.\n123 Main St, Springfield, IL 62704\nCell (415) 555-2671";
    let found = read_pasted(text);
    let draft = &found.draft;
    assert_eq!(draft.display_name, "Chloe Dubois");
    assert_eq!(draft.suffix, "PhD");
    assert_eq!(draft.title, "Director of Sales");
    assert_eq!(draft.organization, "Acme Foods Inc.");
    let address = &draft.addresses[0];
    assert_eq!(address.street, "123 Main St");
    assert_eq!(address.city, "Springfield");
    assert_eq!(address.region, "IL");
    assert_eq!(address.postal_code, "62704");
    assert_eq!(phones(&found), [("mobile", "(415) 555-2671")]);
}

#[test]
fn lines_that_fit_nowhere_are_returned_not_guessed() {
    let text = "Ana Lima\nOwner\nLima Bakery\nOpen Tuesday to Saturday, 7 till 2\nUnit 4, Old Mill\nnot-an-email@\nPlease consider the environment before printing.";
    let found = read_pasted(text);
    assert_eq!(found.draft.title, "Owner");
    assert_eq!(found.draft.organization, "Lima Bakery");
    assert!(found.draft.addresses.is_empty(), "no postcode, no address");
    assert!(
        found.draft.emails.is_empty(),
        "an invalid e-mail is not kept"
    );
    assert_eq!(
        found.unrecognised,
        [
            "Open Tuesday to Saturday, 7 till 2",
            "not-an-email@",
            "Please consider the environment before printing.",
            "Unit 4, Old Mill",
        ]
    );
}

#[test]
fn a_british_postcode_line_is_an_address() {
    let found = read_pasted("Ana Lima\n12 Baker Street\nLondon W1U 3BW\nUK");
    let address = &found.draft.addresses[0];
    assert_eq!(address.street, "12 Baker Street");
    assert_eq!(address.city, "London");
    assert_eq!(address.postal_code, "W1U 3BW");
    assert_eq!(address.country, "UK");
}

#[test]
fn names_that_begin_like_titles_are_still_names() {
    let found = read_pasted("Vicente Leadbetter\nSommelier, Harbor Bistro");
    assert_eq!(found.draft.display_name, "Vicente Leadbetter");
    assert_eq!(found.draft.title, "Sommelier");
    assert_eq!(found.draft.organization, "Harbor Bistro");
}

#[test]
fn filling_never_overwrites_what_was_typed() {
    let found = read_pasted("Ana Lima <ana@lima.example>\nOwner, Lima Bakery\nM: +44 7700 900123");
    let mut target = ContactDraft {
        organization: "Lima & Sons".into(),
        emails: vec![Email {
            label: "work".into(),
            address: String::new(),
        }],
        ..ContactDraft::default()
    };
    let filled = fill_empty(&mut target, &found);
    assert_eq!(target.organization, "Lima & Sons");
    assert_eq!(target.display_name, "Ana Lima");
    assert_eq!(target.title, "Owner");
    assert_eq!(target.emails.len(), 1);
    assert_eq!(target.emails[0].address, "ana@lima.example");
    assert_eq!(target.phones[0].number, "+44 7700 900123");
    assert_eq!(filled.kept, ["organization"]);
    let sentence = filled.sentence(&found);
    assert!(
        sentence.starts_with("Filled in: name, first name, last name, role, e-mail, phone."),
        "{sentence}"
    );
    assert!(sentence.contains("Kept what you typed for: organization."));
    // Again: nothing new.
    let again = fill_empty(&mut target, &found);
    assert!(again.filled.is_empty());
}

//! A parsed card into a contact draft: names, organization and department, labels of every
//! e-mail and phone, addresses, birthday, the people it names, Rapport's own properties. The
//! parsing itself (calcard, legacy charsets) is in `vcard.rs`.

use super::*;
use crate::model::card_relation::{CardRelation, RelatedPerson};

fn label_of(types: &[String], label: &Option<String>) -> String {
    if let Some(label) = label {
        return label.to_lowercase();
    }
    ["work", "home", "cell", "mobile", "other", "main", "fax"]
        .iter()
        .find(|t| types.iter().any(|x| x == *t))
        .map(|t| {
            if *t == "cell" {
                "mobile".to_owned()
            } else {
                (*t).to_owned()
            }
        })
        .unwrap_or_default()
}

/// A phone's or an e-mail's label, whatever kind it is: the types that are not a place (work,
/// home, other, main) nor say nothing to a person (`pref`, `voice`, `internet`) are its
/// kind, after the place: `TYPE=WORK,FAX` is "work fax", `TYPE=PAGER` "pager", 2.1's bare
/// `;X-ASSISTANT` "assistant", an e-mail's `TYPE=x-school` "school". A mobile number keeps the
/// label it always had ("work" for `WORK,CELL`, else "mobile").
fn kind_label(types: &[String], label: &Option<String>) -> String {
    const PLACES: [&str; 4] = ["work", "home", "other", "main"];
    const SILENT: [&str; 7] = ["pref", "voice", "internet", "x400", "msg", "text", "cell"];
    if label.is_some() {
        return label_of(types, label);
    }
    let kinds: Vec<&str> = types
        .iter()
        .map(|t| t.trim().trim_start_matches("x-"))
        .filter(|t| !t.is_empty() && !PLACES.contains(t) && !SILENT.contains(t))
        .map(|t| if t == "mobile" { "" } else { t })
        .filter(|t| !t.is_empty())
        .collect();
    if kinds.is_empty() {
        return label_of(types, label);
    }
    let place = PLACES.iter().find(|p| types.iter().any(|t| t == *p));
    place
        .into_iter()
        .copied()
        .chain(kinds)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title with the card's department (`ORG:Acme;Sales`) after it: "Sales" when the card has
/// no title, "Buyer, Sales" when it has one that does not name the department already.
fn with_department(title: String, department: Option<&str>) -> String {
    // " sales manager " holds " sales ", but " unit lead " does not hold " it ".
    let words = |s: &str| {
        let words: Vec<String> = s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        format!(" {} ", words.join(" "))
    };
    match department.map(str::trim).filter(|d| !d.is_empty()) {
        None => title,
        Some(d) if title.trim().is_empty() => d.to_owned(),
        Some(d) if words(&title).contains(&words(d)) => title,
        Some(d) => format!("{}, {d}", title.trim()),
    }
}

/// Contacts from a vCard file, one per card; cards with nothing usable are reported.
/// The card's family notes with the people it names added ("Spouse: Paulo Lima; Child: Bia"),
/// so a spouse from a phone's address book shows on the contact instead of being dropped
/// (the import takes a line out again when it records the relationship: `relations_of`).
fn with_relations(family: &str, relations: &[(String, String)]) -> String {
    let named: Vec<String> = relations
        .iter()
        .map(|(kind, name)| format!("{kind}: {name}"))
        .filter(|line| !family.contains(line.as_str()))
        .collect();
    match (family.trim().is_empty(), named.is_empty()) {
        (_, true) => family.to_owned(),
        (true, false) => named.join("; "),
        (false, false) => format!("{}; {}", family.trim(), named.join("; ")),
    }
}

/// The people a card names, each with the line `with_relations` adds for them to `family`
/// (the card's own family notes) unless those say so already; then the cards it names by UID.
fn relations_of(family: &str, card: &Card) -> Vec<CardRelation> {
    let named = card.relations.iter().map(|(label, name)| {
        let line = format!("{label}: {name}");
        CardRelation {
            label: label.clone(),
            person: RelatedPerson::Name(name.clone()),
            in_family: (!family.contains(line.as_str())).then_some(line),
        }
    });
    let by_uid = card.related_uids.iter().map(|(label, uid)| CardRelation {
        label: label.clone(),
        person: RelatedPerson::Uid(uid.trim().to_owned()),
        in_family: None,
    });
    named.chain(by_uid).collect()
}

/// The family notes a Rapport export wrote on the card (`X-RAPPORT-FAMILY`), before the
/// people it names are added.
fn card_family(card: &Card) -> String {
    card.rapport
        .iter()
        .find(|(field, _)| field == "FAMILY")
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default()
}

pub fn records_from_vcard(
    text: &str,
    phone_region: &str,
) -> Result<(Vec<ImportedContact>, Vec<RowProblem>), String> {
    let (cards, skipped) = parse(text);
    if cards.is_empty() {
        return Err("No vCard (BEGIN:VCARD … END:VCARD) was found in the file.".to_owned());
    }
    let mut contacts = Vec::new();
    let mut problems = Vec::new();
    if skipped > 0 {
        problems.push(RowProblem {
            row: 0,
            message: format!(
                "{skipped} line(s) outside any card, or of a damaged card, were skipped"
            ),
        });
    }
    // calcard reads a card that never ends (a file cut short) as if it were complete.
    let card_lines = |marker: &str| {
        text.lines()
            .filter(|l| l.trim().eq_ignore_ascii_case(marker))
            .count()
    };
    if card_lines("BEGIN:VCARD") > card_lines("END:VCARD") {
        let row = cards.len();
        problems.push(RowProblem {
            row,
            message: format!(
                "card {row} has no END:VCARD, so the file may have been cut short; what the card holds was read, check it is complete"
            ),
        });
    }
    for (index, mut card) in cards.into_iter().enumerate() {
        let row = index + 1;
        let mut d = card_draft(&card);
        add_emails_and_phones(&mut d, &card, phone_region);
        add_addresses(&mut d, &card);
        if let Some(bday) = &card.bday {
            match parse_birthday(bday) {
                Ok(b) => d.birthday = b,
                Err(message) => problems.push(RowProblem {
                    row,
                    message: format!("card {row}: {message}; the birthday was left empty"),
                }),
            }
        }
        if d.effective_display_name().is_empty() {
            if let Some(phone) = d.phones.first() {
                d.display_name = phone.number.clone();
            } else {
                problems.push(RowProblem {
                    row,
                    message: format!(
                        "card {row} has no name, e-mail, phone or organization, so it was skipped"
                    ),
                });
                continue;
            }
        }
        d.display_name = d.effective_display_name();
        contacts.push(ImportedContact {
            row,
            relations: relations_of(&card_family(&card), &card),
            draft: d,
            connected_on: None,
            photo: card.photo.take(),
        });
    }
    Ok((contacts, problems))
}

/// The card's names, organization, title, notes, tags and UID, what a Rapport export adds in its
/// own properties, the people it names, and an organization's own card (`KIND:org`).
fn card_draft(card: &Card) -> ContactDraft {
    let mut d = ContactDraft {
        given_name: card.given.trim().to_owned(),
        family_name: card.family.trim().to_owned(),
        middle_name: card.additional.trim().to_owned(),
        prefix: card.prefixes.trim().to_owned(),
        suffix: card.suffixes.trim().to_owned(),
        nickname: card.nicknames.join(", "),
        organization: card.org.clone().unwrap_or_default(),
        title: with_department(
            card.title.clone().or(card.role.clone()).unwrap_or_default(),
            card.department.as_deref(),
        ),
        display_name: card.full_name.clone().unwrap_or_default().trim().to_owned(),
        personal_notes: card.notes.join("\n"),
        tags: card.categories.clone(),
        uid: card.uid.clone().unwrap_or_default().trim().to_owned(),
        ..ContactDraft::default()
    };
    // What a Rapport export adds in its own properties; other programs never write them.
    for (field, value) in &card.rapport {
        let value = value.trim();
        match field.as_str() {
            "DECISION-MAKER" => {
                d.is_decision_maker =
                    matches!(value.to_ascii_lowercase().as_str(), "true" | "yes" | "1")
            }
            "STAGE" => d.stage = value.parse().unwrap_or_default(),
            "FAMILY" => d.family = value.to_owned(),
            "INTERESTS" => d.interests = value.to_owned(),
            "HOW-WE-MET" => d.how_we_met = value.to_owned(),
            "CADENCE-DAYS" => d.cadence_days = value.parse().ok().filter(|days| *days > 0),
            other => {
                if let Some(name) = other.strip_prefix("FIELD=")
                    && !name.trim().is_empty()
                {
                    d.custom_fields
                        .entry(name.trim().to_owned())
                        .or_insert_with(|| value.to_owned());
                }
            }
        }
    }
    d.family = with_relations(&d.family, &card.relations);
    // A `KIND:org` card is an organization's own: its FN is the organization's name and
    // the contact is named after it (not after its e-mail when FN is empty).
    if card.is_org {
        if d.organization.trim().is_empty() {
            d.organization = d.display_name.clone();
        }
        if d.display_name.is_empty() {
            d.display_name = d.organization.trim().to_owned();
        }
    }
    d
}

/// The card's e-mails (each once, however often written) and phones (normalized, each once),
/// with their labels; a `pref` one first.
fn add_emails_and_phones(d: &mut ContactDraft, card: &Card, phone_region: &str) {
    // A set, not a scan per address: a card may hold thousands of e-mails.
    let mut seen_emails = std::collections::HashSet::new();
    for email in &card.emails {
        let address = email.value.trim();
        if address.contains('@') && seen_emails.insert(address.to_ascii_lowercase()) {
            let entry = Email {
                label: kind_label(&email.types, &email.label),
                address: address.to_lowercase(),
            };
            if email.types.iter().any(|t| t == "pref") {
                d.emails.insert(0, entry)
            } else {
                d.emails.push(entry)
            }
        }
    }
    for tel in &card.tels {
        let number = normalize_phone(tel.value.trim(), phone_region);
        if !number.is_empty() && !d.phones.iter().any(|p| p.number == number) {
            let entry = Phone {
                label: kind_label(&tel.types, &tel.label),
                number,
            };
            if tel.types.iter().any(|t| t == "pref") {
                d.phones.insert(0, entry)
            } else {
                d.phones.push(entry)
            }
        }
    }
}

/// The card's postal addresses that say something.
fn add_addresses(d: &mut ContactDraft, card: &Card) {
    for a in &card.addresses {
        let street = [a.street.as_str(), a.extended.as_str(), a.po_box.as_str()]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let address = Address {
            label: label_of(&a.types, &a.label),
            street,
            city: a.locality.trim().to_owned(),
            region: a.region.trim().to_owned(),
            postal_code: a.postal_code.trim().to_owned(),
            country: a.country.trim().to_owned(),
        };
        if !address.is_blank() {
            d.addresses.push(address);
        }
    }
}

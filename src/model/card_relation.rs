//! A person a contact file names beside a contact — vCard 4.0 `RELATED` (another card's
//! `urn:uuid:` UID, or a name as text), Apple's `X-ABRELATEDNAMES` with its `X-ABLabel`, the
//! `X-SPOUSE` of Outlook and Evolution — and how its word reads as a relationship
//! (`relationship::Role`). The word says what the named person is to the card's contact
//! ("Spouse", "Child": the card's contact is their parent, "Manager": the card's contact
//! reports to them). Rapport's own export writes the standard words where vCard has them
//! (`spouse`, `child`, `parent`, `colleague`) and `x-rapport-<role>` for the rest, the card's
//! contact's role in the command line's words (`x-rapport-referred-by`). Pure.

use super::relationship::{RelationKind, Role, Side};

/// Someone a card names, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardRelation {
    /// The file's word for them, as the family notes show it ("Spouse", "Child").
    pub label: String,
    pub person: RelatedPerson,
    /// What the reader added to the contact's family notes for them ("Spouse: Jenny"), which
    /// the import takes out again once it records the relationship instead; `None` when the
    /// notes said so already or it names a card (a UID says nothing to a person).
    pub in_family: Option<String>,
}

/// Who a card names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RelatedPerson {
    /// By name ("Jenny", "Paulo Lima").
    Name(String),
    /// By another card's `UID` ("urn:uuid:…").
    Uid(String),
}

/// The card's contact's role towards the person a file names with `label`; `None` for a word
/// Rapport has no relationship for (friend, sibling, emergency contact…): those stay text.
pub fn role_of_label(label: &str) -> Option<Role> {
    let word = label.trim().to_lowercase();
    if let Some(role) = word.strip_prefix("x-rapport-") {
        return Role::from_word(role).ok();
    }
    let word = word.trim_start_matches("x-").replace([' ', '_'], "-");
    let (kind, side) = match word.as_str() {
        "spouse" | "wife" | "husband" => (RelationKind::Spouse, Side::From),
        "partner" | "domestic-partner" | "sweetheart" => (RelationKind::Partner, Side::From),
        "child" | "son" | "daughter" => (RelationKind::Parent, Side::From),
        "parent" | "mother" | "father" => (RelationKind::Parent, Side::To),
        "assistant" => (RelationKind::Assistant, Side::To),
        "manager" | "boss" => (RelationKind::ReportsTo, Side::From),
        "colleague" | "co-worker" | "coworker" => (RelationKind::Colleague, Side::From),
        _ => return None,
    };
    Some(Role::of(kind, side))
}

/// The `RELATED;TYPE=` word for the other person of a relationship in which the card's
/// contact is `role`: what `role_of_label` reads back as `role`.
pub fn vcard_type(role: Role) -> String {
    match (role.kind, role.side) {
        (RelationKind::Spouse, _) => "spouse".to_owned(),
        (RelationKind::Colleague, _) => "colleague".to_owned(),
        (RelationKind::Parent, Side::From) => "child".to_owned(),
        (RelationKind::Parent, Side::To) => "parent".to_owned(),
        _ => format!("x-rapport-{}", role.word()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_written_reads_back_as_itself() {
        for role in Role::all() {
            assert_eq!(role_of_label(&vcard_type(role)), Some(role), "{role:?}");
        }
    }

    #[test]
    fn the_words_of_other_address_books_say_who_is_who() {
        let role = |label| role_of_label(label).map(Role::word);
        assert_eq!(role("Spouse"), Some("spouse"));
        assert_eq!(
            role("_$!<Partner>!$_".trim_matches(['_', '$', '!', '<', '>'])),
            Some("partner")
        );
        assert_eq!(
            role("Child"),
            Some("parent-of"),
            "the card's contact is the parent"
        );
        assert_eq!(role("Mother"), Some("child-of"));
        assert_eq!(role("Assistant"), Some("assisted-by"));
        assert_eq!(role("Manager"), Some("reports-to"));
        assert_eq!(role("co-worker"), Some("colleague"));
        assert_eq!(role("Friend"), None);
        assert_eq!(role("emergency"), None);
    }
}

//! Two contacts made one: every field side by side, a choice where both hold different values
//! (by default the fuller one), every e-mail, phone, address and tag of both, both notes, and
//! the values not chosen written into the kept contact's notes so nothing is lost. Custom
//! fields are fields like the others: a value only one has is kept, two different values are
//! a choice.

use super::phone_key;
use crate::model::custom_field::{CustomField, find};
use crate::model::{Birthday, ContactDraft, Stage};

/// A field the merge dialog shows side by side.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MergeField {
    Name,
    Nickname,
    Organization,
    Title,
    DecisionMaker,
    Stage,
    Birthday,
    Family,
    Interests,
    HowWeMet,
    Cadence,
    Private,
    /// A custom field, by its name as defined (`ContactDraft::custom_fields`).
    Custom(String),
}

impl MergeField {
    pub const ALL: [MergeField; 12] = [
        MergeField::Name,
        MergeField::Nickname,
        MergeField::Organization,
        MergeField::Title,
        MergeField::DecisionMaker,
        MergeField::Stage,
        MergeField::Birthday,
        MergeField::Family,
        MergeField::Interests,
        MergeField::HowWeMet,
        MergeField::Cadence,
        MergeField::Private,
    ];

    /// The words the dialog and the notes use.
    pub fn label(&self) -> &str {
        match self {
            MergeField::Name => "name",
            MergeField::Nickname => "nickname",
            MergeField::Organization => "organization",
            MergeField::Title => "role",
            MergeField::DecisionMaker => "decides on purchases",
            MergeField::Stage => "stage",
            MergeField::Birthday => "birthday",
            MergeField::Family => "family",
            MergeField::Interests => "interests",
            MergeField::HowWeMet => "how we met",
            MergeField::Cadence => "keep in touch",
            MergeField::Private => "private",
            MergeField::Custom(name) => name,
        }
    }

    /// The name the command line takes (`--take-other title,birthday`).
    pub fn key(&self) -> &str {
        match self {
            MergeField::DecisionMaker => "decision-maker",
            MergeField::HowWeMet => "how-we-met",
            MergeField::Title => "title",
            MergeField::Cadence => "cadence",
            other => other.label(),
        }
    }

    /// The built-in field the command line names, or `None`.
    pub fn from_key(key: &str) -> Option<Self> {
        let key = key.trim().to_lowercase().replace([' ', '_'], "-");
        MergeField::ALL.into_iter().find(|f| {
            f.key() == key || f.label() == key || (key == "role" && *f == MergeField::Title)
        })
    }

    /// True when `key` names this field: a built-in one as `from_key` reads it, a custom one
    /// by its name without case ("shop-size" and "Shop size" name "Shop size").
    pub fn is_named(&self, key: &str) -> bool {
        let fold = |text: &str| text.trim().to_lowercase().replace([' ', '_'], "-");
        match self {
            MergeField::Custom(name) => fold(name) == fold(key),
            builtin => MergeField::from_key(key).as_ref() == Some(builtin),
        }
    }

    /// The value as shown ("" when the field is blank: no value, no, Prospect, not private;
    /// a custom field's as stored: `merge_choices_in` shows it in words).
    pub fn value(&self, draft: &ContactDraft) -> String {
        let yes = |b: bool| if b { "yes".to_owned() } else { String::new() };
        match self {
            MergeField::Name => draft.effective_display_name(),
            MergeField::Nickname => draft.nickname.trim().to_owned(),
            MergeField::Organization => draft.organization.trim().to_owned(),
            MergeField::Title => draft.title.trim().to_owned(),
            MergeField::DecisionMaker => yes(draft.is_decision_maker),
            MergeField::Stage if draft.stage == Stage::default() => String::new(),
            MergeField::Stage => draft.stage.label().to_owned(),
            MergeField::Birthday => draft.birthday.map(|b| b.to_string()).unwrap_or_default(),
            MergeField::Family => draft.family.trim().to_owned(),
            MergeField::Interests => draft.interests.trim().to_owned(),
            MergeField::HowWeMet => draft.how_we_met.trim().to_owned(),
            MergeField::Cadence => draft
                .cadence_days
                .map(|d| format!("every {d} days"))
                .unwrap_or_default(),
            MergeField::Private => yes(draft.private),
            MergeField::Custom(name) => draft.custom_fields.get(name).cloned().unwrap_or_default(),
        }
    }

    /// How much the field holds, to offer the fuller value: the longer text, a birthday with
    /// its year, a name with more parts.
    fn fullness(&self, draft: &ContactDraft) -> usize {
        let value = self.value(draft).chars().count();
        match self {
            MergeField::Name => {
                let parts = [
                    &draft.prefix,
                    &draft.given_name,
                    &draft.middle_name,
                    &draft.family_name,
                    &draft.suffix,
                ];
                parts.iter().filter(|p| !p.trim().is_empty()).count() * 1000 + value
            }
            MergeField::Birthday => draft
                .birthday
                .map_or(0, |b: Birthday| 1 + usize::from(b.year.is_some())),
            _ => value,
        }
    }

    /// Copies this field from `from` into `to`.
    fn copy(&self, from: &ContactDraft, to: &mut ContactDraft) {
        match self {
            MergeField::Name => {
                to.prefix = from.prefix.clone();
                to.given_name = from.given_name.clone();
                to.middle_name = from.middle_name.clone();
                to.family_name = from.family_name.clone();
                to.suffix = from.suffix.clone();
                to.display_name = from.display_name.clone();
            }
            MergeField::Nickname => to.nickname = from.nickname.clone(),
            MergeField::Organization => to.organization = from.organization.clone(),
            MergeField::Title => to.title = from.title.clone(),
            MergeField::DecisionMaker => to.is_decision_maker = from.is_decision_maker,
            MergeField::Stage => to.stage = from.stage,
            MergeField::Birthday => to.birthday = from.birthday,
            MergeField::Family => to.family = from.family.clone(),
            MergeField::Interests => to.interests = from.interests.clone(),
            MergeField::HowWeMet => to.how_we_met = from.how_we_met.clone(),
            MergeField::Cadence => to.cadence_days = from.cadence_days,
            MergeField::Private => to.private = from.private,
            MergeField::Custom(name) => {
                if let Some(value) = from.custom_fields.get(name) {
                    to.custom_fields.insert(name.clone(), value.clone());
                }
            }
        }
    }
}

/// Which side a field's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Kept,
    Other,
}

/// One field of the merge: both values as shown and which one the merged contact takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChoice {
    pub field: MergeField,
    pub kept: String,
    pub other: String,
    pub pick: Pick,
}

impl FieldChoice {
    /// Both sides hold a value and they differ: the person chooses.
    pub fn conflicts(&self) -> bool {
        !self.kept.is_empty()
            && !self.other.is_empty()
            && self.kept.to_lowercase() != self.other.to_lowercase()
    }

    /// The value the merged contact gets.
    pub fn chosen(&self) -> &str {
        match self.pick {
            Pick::Kept => &self.kept,
            Pick::Other => &self.other,
        }
    }
}

/// Every field either contact fills, side by side. A conflicting field starts on the fuller
/// value (the kept contact's when they are alike), a private one on "private"; a field only
/// one side fills takes that value. Custom fields follow, by name, as stored.
pub fn merge_choices(kept: &ContactDraft, other: &ContactDraft) -> Vec<FieldChoice> {
    merge_choices_in(kept, other, &[])
}

/// `merge_choices` with the custom fields in `fields`' order and their values in words
/// ("1 March 2027", "Yes"); a value of a field not in `fields` comes last, as stored.
pub fn merge_choices_in(
    kept: &ContactDraft,
    other: &ContactDraft,
    fields: &[CustomField],
) -> Vec<FieldChoice> {
    let mut names: Vec<&String> = kept.custom_fields.keys().collect();
    names.extend(other.custom_fields.keys());
    names.sort_by_key(|name| {
        let at = fields.iter().position(|f| f.name == **name);
        (at.unwrap_or(usize::MAX), name.to_lowercase())
    });
    names.dedup();
    let custom = names.into_iter().map(|n| MergeField::Custom(n.clone()));
    MergeField::ALL
        .into_iter()
        .chain(custom)
        .filter_map(|field| {
            let shown = |draft: &ContactDraft| match &field {
                MergeField::Custom(name) => {
                    let value = field.value(draft);
                    match find(fields, name).filter(|_| !value.is_empty()) {
                        Some(defined) => defined.display(&value),
                        None => value,
                    }
                }
                builtin => builtin.value(draft),
            };
            let (kept_value, other_value) = (shown(kept), shown(other));
            let fuller = match &field {
                MergeField::Custom(_) => other_value.chars().count() > kept_value.chars().count(),
                builtin => builtin.fullness(other) > builtin.fullness(kept),
            };
            let choice = FieldChoice {
                field,
                kept: kept_value,
                other: other_value,
                pick: if fuller { Pick::Other } else { Pick::Kept },
            };
            (!choice.kept.is_empty() || !choice.other.is_empty()).then_some(choice)
        })
        .collect()
}

/// The kept contact as the merge leaves it: the chosen value of each field, every e-mail,
/// phone, address and tag of both (each once; phones compared in E.164 for `region`), both
/// notes, and a line in the notes for the values not chosen. Its UID stays the kept one's.
pub fn merged_draft(
    kept: &ContactDraft,
    other: &ContactDraft,
    choices: &[FieldChoice],
    region: &str,
) -> ContactDraft {
    let mut merged = kept.clone();
    for choice in choices.iter().filter(|c| c.pick == Pick::Other) {
        choice.field.copy(other, &mut merged);
    }
    add_lists(&mut merged, other, region);
    let mut notes: Vec<String> = [kept.personal_notes.trim(), other.personal_notes.trim()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    notes.dedup();
    let unchosen = |side: Pick| -> Vec<String> {
        choices
            .iter()
            .filter(|c| c.conflicts() && c.pick != side)
            .map(|c| {
                let value = if side == Pick::Other {
                    &c.other
                } else {
                    &c.kept
                };
                format!("{} “{value}”", c.field.label())
            })
            .collect()
    };
    for (side, heading) in [
        (Pick::Other, "From the merged duplicate"),
        (Pick::Kept, "Before the merge"),
    ] {
        let values = unchosen(side);
        if !values.is_empty() {
            notes.push(format!("{heading}: {}.", values.join("; ")));
        }
    }
    merged.personal_notes = notes.join("\n\n");
    merged.uid = kept.uid.clone();
    merged
}

/// Adds `other`'s e-mails, phones, addresses and tags that `merged` does not have yet, and
/// the custom field values it has that `merged` has none of.
fn add_lists(merged: &mut ContactDraft, other: &ContactDraft, region: &str) {
    for (field, value) in &other.custom_fields {
        merged
            .custom_fields
            .entry(field.clone())
            .or_insert_with(|| value.clone());
    }
    for email in &other.emails {
        let key = email.address.trim().to_lowercase();
        if !key.is_empty()
            && !merged
                .emails
                .iter()
                .any(|e| e.address.trim().to_lowercase() == key)
        {
            merged.emails.push(email.clone());
        }
    }
    let number = |n: &str| phone_key(n, region).unwrap_or_else(|| n.trim().to_owned());
    for phone in &other.phones {
        let key = number(&phone.number);
        if !key.is_empty() && !merged.phones.iter().any(|p| number(&p.number) == key) {
            merged.phones.push(phone.clone());
        }
    }
    for address in &other.addresses {
        let line = address.one_line().to_lowercase();
        if !address.is_blank()
            && !merged
                .addresses
                .iter()
                .any(|a| a.one_line().to_lowercase() == line)
        {
            merged.addresses.push(address.clone());
        }
    }
    for tag in &other.tags {
        if !merged.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            merged.tags.push(tag.clone());
        }
    }
}

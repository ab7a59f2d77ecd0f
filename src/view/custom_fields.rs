//! Custom fields in the window: the fields defined (for the form, the header and the list's
//! filter), the "Custom fields…" dialog's state and checks, an organization's values being
//! edited on its page, and the commands they push (`Command::CustomFields`).

use crate::model::OrganizationId;
use crate::model::custom_field::{
    AppliesTo, CustomField, FieldDefinition, FieldId, FieldKind, parse_choices,
};
use std::collections::BTreeMap;

/// What the panels know about custom fields, loaded with the contact list.
#[derive(Debug, Clone, Default)]
pub struct FieldsView {
    /// The contacts' fields, in the form's order.
    pub contact: Vec<CustomField>,
    /// The organizations' fields.
    pub organization: Vec<CustomField>,
    /// Edit ▸ Custom fields…
    pub dialog: Option<FieldsDialog>,
    /// The values of the organization whose page is open, and its edit.
    pub organization_values: Option<OrganizationValues>,
}

impl FieldsView {
    pub fn of(&self, applies: AppliesTo) -> &[CustomField] {
        match applies {
            AppliesTo::Contact => &self.contact,
            AppliesTo::Organization => &self.organization,
        }
    }
}

/// The dialog: one kind of record's fields at a time, a row to add one, the field being
/// changed, and the question before one is removed.
#[derive(Debug, Clone, Default)]
pub struct FieldsDialog {
    pub applies_to: AppliesTo,
    pub new_field: NewField,
    pub editing: Option<FieldEdit>,
    pub removing: Option<RemoveQuestion>,
    pub error: Option<String>,
    /// The last thing done, said in the dialog ("Added Shop size.").
    pub note: Option<String>,
    /// Give the new field's name the keyboard on the next frame (once: asked every frame, it
    /// would take it back from a choice list's popup and raise the dialog over it).
    pub focus_name: bool,
}

/// The "Add a field" row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewField {
    pub name: String,
    pub kind: Option<FieldKind>,
    /// Choices, comma separated.
    pub choices: String,
    /// Days before the date a follow-up comes; blank for none.
    pub remind_days: String,
}

/// A field being renamed or given other choices or reminder days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEdit {
    pub id: FieldId,
    pub kind: FieldKind,
    /// The name, choices and days as the edit opened.
    pub opened: (String, String, String),
    pub name: String,
    pub choices: String,
    pub remind_days: String,
}

/// "Remove Shop size? 12 contacts have a value; they go with it."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoveQuestion {
    pub id: FieldId,
    pub name: String,
    pub values: usize,
    pub open_reminders: usize,
}

impl RemoveQuestion {
    /// What removing takes away, and what stays.
    pub fn sentence(&self) -> String {
        let values = match self.values {
            0 => "No record has a value in it yet.".to_owned(),
            1 => "1 value goes with it.".to_owned(),
            n => format!("{n} values go with it."),
        };
        let reminders = match self.open_reminders {
            0 => String::new(),
            1 => " Its open follow-up stays, as an ordinary follow-up.".to_owned(),
            n => format!(" Its {n} open follow-ups stay, as ordinary follow-ups."),
        };
        format!(
            "Remove {}? {values}{reminders} Ctrl+Z brings it back.",
            self.name
        )
    }
}

/// Reads "how many days before" as typed: blank is none.
pub fn remind_days(text: &str) -> Result<Option<i64>, String> {
    match text.trim() {
        "" => Ok(None),
        days => days.parse::<i64>().map(Some).map_err(|_| {
            format!("\"{days}\" is not a number of days; leave it empty for no reminder.")
        }),
    }
}

impl NewField {
    /// The definition typed, or a sentence saying what is missing or wrong.
    pub fn to_definition(&self, applies_to: AppliesTo) -> Result<FieldDefinition, String> {
        let definition = FieldDefinition {
            applies_to,
            name: self.name.clone(),
            kind: self.kind,
            choices: parse_choices(&self.choices),
            remind_days_before: remind_days(&self.remind_days)?,
        };
        definition.checked()
    }
}

impl FieldEdit {
    pub fn of(field: &CustomField) -> Self {
        let choices = field.choices.join(", ");
        let days = field
            .remind_days_before
            .map(|d| d.to_string())
            .unwrap_or_default();
        Self {
            id: field.id,
            kind: field.kind,
            opened: (field.name.clone(), choices.clone(), days.clone()),
            name: field.name.clone(),
            choices,
            remind_days: days,
        }
    }

    /// What saving asks for (`None`: nothing changed), or a sentence when the days are not
    /// a number.
    pub fn to_command(&self) -> Result<Option<FieldsCommand>, String> {
        let (name, choices, days) = &self.opened;
        let rename = (self.name.trim() != name).then(|| self.name.clone());
        let change = if self.choices != *choices || self.remind_days.trim() != days {
            Some((
                parse_choices(&self.choices),
                remind_days(&self.remind_days)?,
            ))
        } else {
            None
        };
        Ok(
            (rename.is_some() || change.is_some()).then_some(FieldsCommand::Edit {
                id: self.id,
                rename,
                change,
            }),
        )
    }
}

/// The values of one organization, and what is being typed over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationValues {
    pub organization: OrganizationId,
    pub values: BTreeMap<String, String>,
    /// Open for editing: the values as typed.
    pub editing: Option<BTreeMap<String, String>>,
    pub error: Option<String>,
}

/// What the custom field panels ask the app for.
#[derive(Debug, Clone)]
pub enum FieldsCommand {
    /// Edit ▸ Custom fields…
    Open,
    Define(FieldDefinition),
    /// A new name and/or other choices and reminder days (one undo step each).
    Edit {
        id: FieldId,
        rename: Option<String>,
        change: Option<(Vec<String>, Option<i64>)>,
    },
    /// One place up (-1) or down (1).
    Move {
        id: FieldId,
        by: i64,
    },
    /// Ask before removing: how many values go.
    AskRemove(FieldId),
    Remove(FieldId),
    /// Read an organization's values for its page.
    LoadOrganization(OrganizationId),
    SaveOrganization {
        organization: OrganizationId,
        values: BTreeMap<String, String>,
    },
}

impl FieldsCommand {
    /// Whether it changes data (refused while a team database cannot be reached).
    pub fn writes(&self) -> bool {
        !matches!(
            self,
            FieldsCommand::Open | FieldsCommand::AskRemove(_) | FieldsCommand::LoadOrganization(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_field_is_read_as_typed_or_refused_with_a_sentence() {
        let typed = NewField {
            name: "Shop size".into(),
            kind: Some(FieldKind::Choice),
            choices: "Small, Medium, Large".into(),
            remind_days: String::new(),
        };
        let definition = typed.to_definition(AppliesTo::Contact).unwrap();
        assert_eq!(definition.choices.len(), 3);
        let no_kind = NewField {
            kind: None,
            ..typed.clone()
        };
        assert!(no_kind.to_definition(AppliesTo::Contact).is_err());
        let bad_days = NewField {
            kind: Some(FieldKind::Date),
            choices: String::new(),
            remind_days: "soon".into(),
            ..typed
        };
        assert!(
            bad_days
                .to_definition(AppliesTo::Contact)
                .unwrap_err()
                .contains("not a number of days")
        );
    }
}

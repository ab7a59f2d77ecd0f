//! Custom fields: loading the definitions the panels draw, the "Custom fields…" dialog's
//! changes (each one undo step), and an organization's values on its page.

use super::RapportApp;
use crate::model::OrganizationId;
use crate::model::custom_field::{AppliesTo, FieldId, removed_sentence};
use crate::store::StoreError;
use crate::store::undo::Change;
use crate::view::custom_fields::{FieldsCommand, FieldsDialog, OrganizationValues, RemoveQuestion};
use std::collections::BTreeMap;

impl RapportApp {
    /// Reads the fields defined (with the contact list: a teammate may have changed them).
    /// An organization's values shown are read again, unless they are being edited.
    pub(super) fn load_custom_fields(&mut self) {
        let Some(store) = &self.store else { return };
        let fields = &mut self.view.custom_fields;
        match (
            store.custom_fields(AppliesTo::Contact),
            store.custom_fields(AppliesTo::Organization),
        ) {
            (Ok(contact), Ok(organization)) => {
                fields.contact = contact;
                fields.organization = organization;
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!("could not list the custom fields: {}", error.for_the_log());
            }
        }
        if fields
            .organization_values
            .as_ref()
            .is_some_and(|o| o.editing.is_none())
        {
            fields.organization_values = None;
        }
    }

    /// `Command::CustomFields`.
    pub(super) fn custom_fields_command(&mut self, command: FieldsCommand) {
        match command {
            FieldsCommand::Open => {
                self.view.custom_fields.dialog = Some(FieldsDialog {
                    focus_name: true,
                    ..FieldsDialog::default()
                });
                self.load_custom_fields();
            }
            FieldsCommand::Define(definition) => {
                let done = self.store_mut().map(|s| s.define_field(&definition));
                self.field_changed(
                    done.map(|r| r.map(|(field, change)| (field.name, change))),
                    |name| {
                        (
                            format!("Undo: add field {name}"),
                            format!("Added the field {name}."),
                        )
                    },
                );
                if let Some(dialog) = &mut self.view.custom_fields.dialog
                    && dialog.error.is_none()
                {
                    dialog.new_field = Default::default();
                    dialog.focus_name = true;
                }
            }
            FieldsCommand::Edit { id, rename, change } => self.edit_field(id, rename, change),
            FieldsCommand::Move { id, by } => {
                let name = self.field_name(id);
                match self.store_mut().map(|s| s.move_field(id, by)) {
                    Some(Ok(None)) | None => {}
                    Some(Ok(Some(change))) => self
                        .field_changed(Some(Ok((name.clone(), change))), |name| {
                            (format!("Undo: move {name}"), format!("Moved {name}."))
                        }),
                    Some(Err(error)) => {
                        self.field_changed(Some(Err(error)), |_| Default::default())
                    }
                }
            }
            FieldsCommand::AskRemove(id) => self.ask_remove_field(id),
            FieldsCommand::Remove(id) => self.remove_field(id),
            FieldsCommand::LoadOrganization(organization) => self.load_organization(organization),
            FieldsCommand::SaveOrganization {
                organization,
                values,
            } => self.save_organization_fields(organization, values),
        }
    }

    fn store_mut(&mut self) -> Option<&mut crate::store::Store> {
        self.store.as_mut()
    }

    fn field_name(&self, id: FieldId) -> String {
        let fields = &self.view.custom_fields;
        fields
            .contact
            .iter()
            .chain(&fields.organization)
            .find(|f| f.id == id)
            .map(|f| f.name.clone())
            .unwrap_or_default()
    }

    /// After a change to the definitions: pushed as an undo step and said in the dialog and
    /// the status line (`words` gives the step's label and the sentence from the field's
    /// name), or the reason it was refused said in the dialog.
    fn field_changed(
        &mut self,
        done: Option<Result<(String, Change), StoreError>>,
        words: impl FnOnce(&str) -> (String, String),
    ) {
        let Some(done) = done else { return };
        match done {
            Ok((name, change)) => {
                let (label, text) = words(&name);
                if let Some(dialog) = &mut self.view.custom_fields.dialog {
                    dialog.error = None;
                    dialog.editing = None;
                    dialog.note = Some(text.clone());
                }
                self.after_fields_change();
                self.push_change(label, Some(change), None, text);
            }
            Err(error) => match &mut self.view.custom_fields.dialog {
                Some(dialog) => {
                    dialog.note = None;
                    dialog.error = Some(error.to_string());
                }
                None => self.report(Err(error)),
            },
        }
    }

    /// What shows a field or its values again: the definitions, the list (a filter may name
    /// the field) and the selected contact.
    fn after_fields_change(&mut self) {
        self.load_custom_fields();
        self.refresh_list();
        self.reselect();
    }

    /// A rename, then other choices or days, each its own undo step; the second is not
    /// tried when the first was refused.
    fn edit_field(
        &mut self,
        id: FieldId,
        rename: Option<String>,
        change: Option<(Vec<String>, Option<i64>)>,
    ) {
        if let Some(name) = rename {
            let old = self.field_name(id);
            let done = self.store_mut().map(|s| s.rename_field(id, &name));
            let failed = matches!(done, Some(Err(_)));
            let new = name.trim().to_owned();
            self.field_changed(done.map(|r| r.map(|change| (new, change))), |new| {
                (
                    format!("Undo: rename {old}"),
                    format!("Renamed {old} to {new}."),
                )
            });
            if failed {
                return;
            }
        }
        if let Some((choices, days)) = change {
            let name = self.field_name(id);
            let done = self.store_mut().map(|s| s.change_field(id, &choices, days));
            self.field_changed(done.map(|r| r.map(|change| (name, change))), |name| {
                (format!("Undo: change {name}"), format!("Changed {name}."))
            });
        }
    }

    fn ask_remove_field(&mut self, id: FieldId) {
        let name = self.field_name(id);
        let Some(store) = &self.store else { return };
        match store.field_usage(id) {
            Ok(usage) => {
                if let Some(dialog) = &mut self.view.custom_fields.dialog {
                    dialog.removing = Some(RemoveQuestion {
                        id,
                        name,
                        values: usage.values,
                        open_reminders: usage.open_reminders,
                    });
                }
            }
            Err(error) => self.report(Err(error)),
        }
    }

    fn remove_field(&mut self, id: FieldId) {
        let name = self.field_name(id);
        if let Some(dialog) = &mut self.view.custom_fields.dialog {
            dialog.removing = None;
        }
        let done = self.store_mut().map(|s| s.remove_field(id));
        // A filter on the field goes with it.
        if self
            .view
            .contact_filter
            .field
            .as_ref()
            .is_some_and(|f| f.field == id)
            && matches!(done, Some(Ok(_)))
        {
            self.view.contact_filter.field = None;
        }
        let sentence = match &done {
            Some(Ok((usage, _))) => removed_sentence(&name, usage.values, usage.open_reminders),
            _ => String::new(),
        };
        self.field_changed(done.map(|r| r.map(|(_, change)| (name, change))), |name| {
            (format!("Undo: remove field {name}"), sentence)
        });
    }

    fn load_organization(&mut self, organization: OrganizationId) {
        let Some(store) = &self.store else { return };
        match store.organization_field_values(organization) {
            Ok(values) => {
                self.view.custom_fields.organization_values = Some(OrganizationValues {
                    organization,
                    values,
                    editing: None,
                    error: None,
                })
            }
            Err(error) => self.report(Err(error)),
        }
    }

    fn save_organization_fields(
        &mut self,
        organization: OrganizationId,
        values: BTreeMap<String, String>,
    ) {
        let Some(store) = &mut self.store else { return };
        let name = store
            .organization(organization)
            .map(|o| o.name)
            .unwrap_or_default();
        match store.set_organization_fields(organization, &values) {
            Ok(change) => {
                self.load_organization(organization);
                self.push_change(
                    format!("Undo: change fields of {name}"),
                    Some(change),
                    None,
                    format!("Saved the fields of {name}."),
                );
            }
            Err(error) => {
                if let Some(shown) = &mut self.view.custom_fields.organization_values {
                    shown.error = Some(error.to_string());
                }
                if !matches!(error, StoreError::Invalid(_)) {
                    self.report(Err(error));
                }
            }
        }
    }
}

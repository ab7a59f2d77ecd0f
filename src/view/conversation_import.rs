//! File ▸ Import mail or calendar…, its state: the files, the user's own addresses and the
//! choice about unknown senders, the plan once the files were read, and progress while they
//! are read or imported. `ui::mail_import_dialog` draws it; the app reads, plans and imports.

use crate::model::ContactId;
use crate::model::thousands;
use crate::store::conversation_import::{ContactCount, ConversationPlan};
use std::path::PathBuf;

/// Contacts listed by name in the plan; the rest are "and 40 more".
pub const CONTACTS_LISTED: usize = 8;
/// Unknown senders and skip reasons listed by name.
pub const OTHERS_LISTED: usize = 5;

/// Where the dialog is.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum MailImportStage {
    /// Reading the files for the plan.
    #[default]
    Planning,
    /// The plan is shown; nothing has changed.
    Ready,
    Importing,
    Done {
        conversations: usize,
        new_contacts: usize,
    },
}

/// The dialog's state.
#[derive(Debug, Clone, Default)]
pub struct MailImportDialog {
    pub paths: Vec<PathBuf>,
    /// "Inbox.mbox", or "Inbox.mbox and 2 more files".
    pub source_name: String,
    /// The contact the files were dropped on: listed first.
    pub hint: Option<ContactId>,
    /// The user's own addresses, as typed (comma-separated).
    pub my_addresses: String,
    /// No address of the user's was known: the plan's guess is offered.
    pub addresses_unknown: bool,
    /// Make contacts of the unknown senders.
    pub new_contacts: bool,
    pub plan: Option<ConversationPlan>,
    /// The addresses and choice the plan was made with.
    pub planned_with: Option<(String, bool)>,
    pub stage: MailImportStage,
    /// Bytes read and in all, while reading or importing.
    pub progress: Option<(u64, u64)>,
    pub error: Option<String>,
}

impl MailImportDialog {
    pub fn new(paths: Vec<PathBuf>, source_name: String, hint: Option<ContactId>) -> Self {
        Self {
            paths,
            source_name,
            hint,
            ..Self::default()
        }
    }

    /// The share read so far, 0 to 1.
    pub fn fraction(&self) -> f32 {
        match self.progress {
            Some((done, total)) if total > 0 => (done as f64 / total as f64).min(1.0) as f32,
            _ => 0.0,
        }
    }

    /// The addresses or the choice changed since the plan was made: it must be made again
    /// before importing.
    pub fn needs_new_plan(&self) -> bool {
        self.planned_with.as_ref()
            != Some(&(self.my_addresses.trim().to_owned(), self.new_contacts))
    }

    /// The address to offer as the user's own ("Is … you?"), when none is known yet.
    pub fn offered_address(&self) -> Option<&str> {
        if !self.addresses_unknown || !self.my_addresses.trim().is_empty() {
            return None;
        }
        let plan = self.plan.as_ref()?;
        plan.likely_me.as_ref().map(|a| a.address.as_str())
    }

    /// The files are being read again for a new plan while the one before is still shown
    /// (greyed, Import off), so the dialog keeps its size and place.
    pub fn recounting(&self) -> bool {
        self.stage == MailImportStage::Planning && self.plan.is_some()
    }

    /// Whether Import can be pressed.
    pub fn can_import(&self) -> bool {
        self.stage == MailImportStage::Ready
            && !self.needs_new_plan()
            && self.plan.as_ref().is_some_and(|p| p.conversations > 0)
    }
}

/// The first `n` of a list and how many more there are.
pub fn first_of<T>(items: &[T], n: usize) -> (&[T], usize) {
    let shown = &items[..items.len().min(n)];
    (shown, items.len() - shown.len())
}

/// "Maria García: 12" lines of the plan, with how many contacts are not listed: only the
/// contacts the files give conversations to (the one they were dropped on first, when it is
/// one of them; `hint_note` says so when it is not).
pub fn contact_lines(plan: &ConversationPlan) -> (Vec<&ContactCount>, usize) {
    let with: Vec<&ContactCount> = plan
        .per_contact
        .iter()
        .filter(|c| c.conversations > 0)
        .collect();
    let more = with.len().saturating_sub(CONTACTS_LISTED);
    (with.into_iter().take(CONTACTS_LISTED).collect(), more)
}

/// "Nothing in this file involves Ana Lindqvist.", when the files were dropped on a contact
/// they give no conversation to.
pub fn hint_note(dialog: &MailImportDialog, plan: &ConversationPlan) -> Option<String> {
    let hint = dialog.hint?;
    let count = plan.per_contact.iter().find(|c| c.contact == hint)?;
    if count.conversations > 0 {
        return None;
    }
    let files = if dialog.paths.len() > 1 {
        "these files"
    } else {
        "this file"
    };
    let new = if plan.already > 0 { " new" } else { "" };
    Some(format!("Nothing{new} in {files} involves {}.", count.name))
}

/// "Imported 212 conversations." (and the contacts made).
pub fn done_sentence(conversations: usize, new_contacts: usize) -> String {
    let made = match conversations {
        1 => "Imported 1 conversation".to_owned(),
        n => format!("Imported {} conversations", thousands(n)),
    };
    match new_contacts {
        0 => format!("{made}."),
        1 => format!("{made} and made 1 new contact."),
        n => format!("{made} and made {n} new contacts."),
    }
}

/// What the plan will do, in one sentence.
pub fn plan_sentence(plan: &ConversationPlan) -> String {
    let people = plan
        .per_contact
        .iter()
        .filter(|c| c.conversations > 0)
        .count();
    let mut text = match (plan.conversations, people) {
        (0, _) => "Nothing new to import.".to_owned(),
        (1, _) => "1 conversation will be added".to_owned(),
        (n, 1) => format!(
            "{} conversations will be added, with 1 contact",
            thousands(n)
        ),
        (n, p) => format!(
            "{} conversations will be added, with {} contacts",
            thousands(n),
            thousands(p)
        ),
    };
    if plan.conversations > 0 {
        text.push_str(
            match plan.new_contacts {
                0 => ".".to_owned(),
                1 => " (and 1 new contact).".to_owned(),
                n => format!(" (and {n} new contacts)."),
            }
            .as_str(),
        );
    }
    if plan.already > 0 {
        text.push_str(&format!(" {} already in Rapport.", thousands(plan.already)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_count_what_the_plan_does() {
        assert_eq!(done_sentence(212, 0), "Imported 212 conversations.");
        assert_eq!(
            done_sentence(1, 2),
            "Imported 1 conversation and made 2 new contacts."
        );
        let plan = ConversationPlan {
            conversations: 3,
            already: 2,
            per_contact: vec![
                ContactCount {
                    contact: ContactId(1),
                    name: "Maria".into(),
                    conversations: 3,
                },
                ContactCount {
                    contact: ContactId(2),
                    name: "Hint".into(),
                    conversations: 0,
                },
            ],
            ..ConversationPlan::default()
        };
        assert_eq!(
            plan_sentence(&plan),
            "3 conversations will be added, with 1 contact. 2 already in Rapport."
        );
        assert_eq!(first_of(&[1, 2, 3], 2), (&[1, 2][..], 1));
    }

    #[test]
    fn the_contact_dropped_on_is_listed_only_with_conversations_and_named_without() {
        let count = |id, name: &str, conversations| ContactCount {
            contact: ContactId(id),
            name: name.into(),
            conversations,
        };
        let mut plan = ConversationPlan {
            conversations: 1,
            per_contact: vec![count(2, "Ana Lindqvist", 0), count(1, "Bob Okafor", 1)],
            ..ConversationPlan::default()
        };
        let mut dialog =
            MailImportDialog::new(vec!["bob.ics".into()], "bob.ics".into(), Some(ContactId(2)));
        let names = |plan: &ConversationPlan| -> Vec<String> {
            contact_lines(plan)
                .0
                .iter()
                .map(|c| c.name.clone())
                .collect()
        };
        assert_eq!(names(&plan), ["Bob Okafor"]);
        assert_eq!(
            hint_note(&dialog, &plan).as_deref(),
            Some("Nothing in this file involves Ana Lindqvist.")
        );
        plan.already = 3;
        dialog.paths.push("more.ics".into());
        assert_eq!(
            hint_note(&dialog, &plan).as_deref(),
            Some("Nothing new in these files involves Ana Lindqvist.")
        );
        plan.per_contact[0].conversations = 2;
        assert_eq!(names(&plan), ["Ana Lindqvist", "Bob Okafor"]);
        assert_eq!(hint_note(&dialog, &plan), None);
        dialog.hint = None;
        assert_eq!(hint_note(&dialog, &plan), None);
        plan.per_contact = (0..10).map(|i| count(i, "X", 1)).collect();
        assert_eq!(contact_lines(&plan).0.len(), CONTACTS_LISTED);
        assert_eq!(contact_lines(&plan).1, 10 - CONTACTS_LISTED);
    }

    #[test]
    fn a_changed_address_asks_for_a_new_plan_and_the_guess_is_offered_only_when_none_is_known() {
        let mut dialog = MailImportDialog {
            addresses_unknown: true,
            plan: Some(ConversationPlan {
                conversations: 1,
                likely_me: Some(crate::model::incoming::MailAddress::new("", "me@x.example")),
                ..ConversationPlan::default()
            }),
            planned_with: Some((String::new(), false)),
            stage: MailImportStage::Ready,
            ..MailImportDialog::default()
        };
        assert!(dialog.can_import());
        assert_eq!(dialog.offered_address(), Some("me@x.example"));
        dialog.my_addresses = "me@x.example".into();
        assert!(dialog.needs_new_plan() && !dialog.can_import());
        assert_eq!(dialog.offered_address(), None);
    }
}

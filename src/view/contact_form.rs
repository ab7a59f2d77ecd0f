//! The contact form's state (new and edit): the text buffers, whether anything was typed, and
//! turning them into a `ContactDraft` or a sentence saying what is wrong. `ui::contact_form` draws it.

use crate::model::{Address, Birthday, Contact, ContactDraft, ContactId, Email, Phone};

/// The form's text buffers; turned into a `ContactDraft` on save.
#[derive(Debug, Clone)]
pub struct ContactForm {
    pub id: Option<ContactId>,
    pub draft: ContactDraft,
    pub birthday: String,
    pub tags: String,
    pub cadence: String,
    pub error: Option<String>,
    /// The contact as it was when the form opened (with its version), so a save merges with
    /// whatever a teammate saved meanwhile instead of writing over it.
    pub started: Option<Box<Contact>>,
    /// A save that clashed with a teammate's, waiting for the person's choices.
    pub clash: Option<super::team_live::ContactClash>,
    /// A new contact's look-alikes ("Is this Robert Smith at Smith Plumbing?"): `None` until
    /// the first save looked; empty once the person said it is someone new.
    pub look_alikes: Option<Vec<crate::insight::duplicates::LookAlike>>,
    pub(crate) show_name_parts: bool,
    /// Text pasted to fill the form from ("Ana Lima <ana@lima.example>", a signature), and
    /// what filling from it did.
    pub pasted: String,
    pub pasted_note: Option<String>,
    /// What was opened, whether it is asking before dropping typed text, where the keyboard goes.
    pub session: super::FormSession,
}

impl ContactForm {
    pub fn new(id: Option<ContactId>, draft: &ContactDraft) -> Self {
        let mut draft = draft.clone();
        if draft.emails.is_empty() {
            draft.emails.push(Email {
                label: "work".into(),
                address: String::new(),
            });
        }
        if draft.phones.is_empty() {
            draft.phones.push(Phone {
                label: "mobile".into(),
                number: String::new(),
            });
        }
        if draft.addresses.is_empty() {
            draft.addresses.push(Address {
                label: "work".into(),
                ..Address::default()
            });
        }
        let show_name_parts = [
            &draft.prefix,
            &draft.middle_name,
            &draft.suffix,
            &draft.nickname,
        ]
        .iter()
        .any(|s| !s.is_empty());
        let mut form = Self {
            id,
            birthday: draft.birthday.map(|b| b.to_string()).unwrap_or_default(),
            tags: draft.tags.join(", "),
            cadence: draft
                .cadence_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            draft,
            error: None,
            started: None,
            clash: None,
            look_alikes: None,
            show_name_parts,
            pasted: String::new(),
            pasted_note: None,
            session: super::FormSession::opened_as(String::new()),
        };
        form.session = super::FormSession::opened_as(form.fingerprint());
        form
    }

    /// Everything the user can change, as text: differs from what was opened once they typed.
    fn fingerprint(&self) -> String {
        format!(
            "{:?}|{}|{}|{}|{}",
            self.draft, self.birthday, self.tags, self.cadence, self.pasted
        )
    }

    /// Whether anything was typed or chosen since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.session.is_dirty(&self.fingerprint())
    }

    /// Fills the empty fields from the pasted text (never what was typed) and says what it
    /// filled and what it did not recognise.
    pub fn fill_from_pasted(&mut self) {
        use crate::import::quick_add;
        let found = quick_add::read_pasted(&self.pasted);
        let filled = quick_add::fill_empty(&mut self.draft, &found);
        if !self.draft.prefix.is_empty() || !self.draft.suffix.is_empty() {
            self.show_name_parts = true;
        }
        self.pasted_note = Some(filled.sentence(&found));
    }

    /// Reads the buffers into a draft, or says in a sentence what is wrong.
    pub fn to_draft(&self) -> Result<ContactDraft, String> {
        let mut draft = self.draft.clone();
        draft.birthday = match self.birthday.trim() {
            "" => None,
            text => Some(Birthday::parse(text).ok_or_else(|| {
                format!("\"{text}\" is not a birthday; write 1985-12-01, or --12-01 when you don't know the year.")
            })?),
        };
        draft.tags = self
            .tags
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        draft.cadence_days = match self.cadence.trim() {
            "" => None,
            text => Some(
                text.parse::<i64>()
                    .map_err(|_| format!("\"{text}\" is not a number of days."))?,
            ),
        };
        draft.emails.retain(|e| !e.address.trim().is_empty());
        draft.phones.retain(|p| !p.number.trim().is_empty());
        draft.addresses.retain(|a| !a.is_blank());
        draft
            .custom_fields
            .retain(|_, value| !value.trim().is_empty());
        draft.validate()?;
        Ok(draft)
    }
}

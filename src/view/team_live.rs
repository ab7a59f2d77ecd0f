//! A team database as the window shows it: who I am, whether the connection stands, and the
//! two questions people working on one record raise — a save that clashed with a teammate's,
//! and moving to the trash a contact someone changed since it was shown. Plain data: the app
//! fills it, `ui::team_live` draws it.

use crate::model::three_way::{FieldClash, Keep};
use crate::model::{Contact, ContactDraft, ContactId};

/// What the status bar says while the connection is lost.
pub const LOST: &str = "Connection to the team database lost — showing what was last read; changes cannot be saved until it is back. Reconnecting…";

/// What a form or the status line says when a change could not be saved for want of a
/// connection (what was typed stays in the form).
pub const NOT_SAVED: &str = "Not saved: the connection to the team database is lost. What you typed is kept here; save again when it is back (Rapport reconnects by itself).";

/// Whether the window can reach the team database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Connected,
    /// The listening connection or the window's own one went away; both are being made again.
    Lost,
}

/// The team database the window is on, and who signed in to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamLink {
    /// The address without its password.
    pub address: String,
    /// The login signed in with, and the name the team knows it by (the login when the
    /// login is no team member, such as the server's administrator).
    pub login: String,
    pub name: String,
    pub state: LinkState,
}

impl TeamLink {
    pub fn is_lost(&self) -> bool {
        self.state == LinkState::Lost
    }

    /// "Team database postgres://ana@server:5432/shop — connected as Ana Lima".
    pub fn line(&self) -> String {
        match self.state {
            LinkState::Connected if self.name.is_empty() => {
                format!("Team database {} — connected", self.address)
            }
            LinkState::Connected => {
                format!(
                    "Team database {} — connected as {}",
                    self.address, self.name
                )
            }
            LinkState::Lost => format!("Team database {} — reconnecting…", self.address),
        }
    }

    /// Whether a record's "by" (a team member's name, or a login) is me.
    pub fn is_me(&self, who: &str) -> bool {
        !who.is_empty() && (who == self.name || who == self.login)
    }
}

/// A contact save that clashed with a teammate's: the fields both changed, with both values,
/// and the person's choice for each. Nothing was saved; the form waits behind it.
#[derive(Debug, Clone)]
pub struct ContactClash {
    /// Who saved in between (their name; empty when unknown).
    pub by: String,
    /// The contact as they saved it: the next save starts from it.
    pub current: Box<Contact>,
    /// What I typed.
    pub draft: Box<ContactDraft>,
    pub clashes: Vec<FieldClash>,
    /// The choice for each clash, in order; `None` until chosen.
    pub choices: Vec<Option<Keep>>,
    /// Why saving with the choices failed, if it did.
    pub error: Option<String>,
}

impl ContactClash {
    pub fn new(
        by: String,
        current: Box<Contact>,
        draft: Box<ContactDraft>,
        clashes: Vec<FieldClash>,
    ) -> Self {
        let choices = vec![None; clashes.len()];
        Self {
            by,
            current,
            draft,
            clashes,
            choices,
            error: None,
        }
    }

    /// "Ana Lima's", or "The other" when nobody is named.
    pub fn theirs(&self) -> String {
        if self.by.is_empty() {
            "The other".to_owned()
        } else {
            format!("{}'s", self.by)
        }
    }

    /// The heading: "Ana Lima saved Maria García while you were editing".
    pub fn heading(&self) -> String {
        let who = if self.by.is_empty() {
            "Someone"
        } else {
            self.by.as_str()
        };
        format!(
            "{who} saved {} while you were editing",
            self.current.draft.display_name
        )
    }

    /// Every field's choice, once each has one.
    pub fn chosen(&self) -> Option<Vec<(String, Keep)>> {
        self.clashes
            .iter()
            .zip(&self.choices)
            .map(|(clash, keep)| keep.map(|keep| (clash.field.clone(), keep)))
            .collect()
    }
}

/// Moving a contact to the trash that someone changed since it was shown: asked first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashQuestion {
    pub id: ContactId,
    pub name: String,
    /// Who changed it (their name; empty when unknown).
    pub by: String,
}

impl TrashQuestion {
    /// "Ana Lima changed Maria García since you opened it. Move to the trash anyway?"
    pub fn sentence(&self) -> String {
        let who = if self.by.is_empty() {
            "Someone"
        } else {
            self.by.as_str()
        };
        format!(
            "{who} changed {} since you opened it. Move to the trash anyway?",
            self.name
        )
    }
}

/// The fields taken from the other person's save, in words: "interests", "title and
/// interests", "title, tags and interests".
pub fn field_list(fields: &[String]) -> String {
    let words: Vec<String> = fields
        .iter()
        .map(|f| crate::model::three_way::field_label(f).to_lowercase())
        .collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_as_a_list_in_words() {
        let fields = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(field_list(&fields(&["interests"])), "interests");
        assert_eq!(
            field_list(&fields(&["title", "personal_notes"])),
            "title and personal notes"
        );
        assert_eq!(field_list(&fields(&["a", "b", "c"])), "a, b and c");
    }

    #[test]
    fn the_link_says_who_is_connected_and_knows_me_by_name_or_login() {
        let mut link = TeamLink {
            address: "postgres://ana@server:5432/shop".into(),
            login: "ana".into(),
            name: "Ana Lima".into(),
            state: LinkState::Connected,
        };
        assert_eq!(
            link.line(),
            "Team database postgres://ana@server:5432/shop — connected as Ana Lima"
        );
        assert!(link.is_me("Ana Lima") && link.is_me("ana"));
        assert!(!link.is_me("Ben Berg") && !link.is_me(""));
        link.state = LinkState::Lost;
        assert!(link.line().contains("reconnecting"));
    }
}

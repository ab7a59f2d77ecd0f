//! Edit ▸ Find duplicates…: the likely pairs with their reasons, and the merge of one pair
//! side by side, as plain data. `ui::duplicates_dialog` draws it, `app::duplicates` fills it
//! and merges.

use crate::insight::duplicates::{DuplicatePair, FieldChoice, MergeField, Pick, merge_choices_in};
use crate::model::custom_field::CustomField;
use crate::model::thousands;
use crate::model::{Contact, ContactId};
use crate::store::duplicates::Moves;

/// The dialog: the pairs found (or still being looked for) and, over them, the merge of one.
#[derive(Debug, Clone, Default)]
pub struct DuplicatesDialog {
    /// `None` while the search runs on its own thread.
    pub found: Option<FoundPairs>,
    pub merge: Option<MergeView>,
    pub error: Option<String>,
}

/// What the search found.
#[derive(Debug, Clone, Default)]
pub struct FoundPairs {
    pub pairs: Vec<DuplicatePair>,
    /// Contacts looked at.
    pub contacts: usize,
    /// Keys so many contacts share that they were not compared pair by pair.
    pub crowded_keys: usize,
}

impl FoundPairs {
    /// "12 likely duplicates among 2,400 contacts."
    pub fn summary(&self) -> String {
        let pairs = match self.pairs.len() {
            0 => "No likely duplicates".to_owned(),
            1 => "1 likely duplicate".to_owned(),
            n => format!("{n} likely duplicates"),
        };
        let mut text = format!("{pairs} among {} contacts.", thousands(self.contacts));
        if self.crowded_keys > 0 {
            text.push_str(&format!(
                " {} e-mails, phones or names are shared by so many contacts (an office's address, say) that they were not compared.",
                self.crowded_keys
            ));
        }
        text
    }

    /// Takes off the list every pair with `gone` (merged away) or the pair `a`–`b`.
    pub fn drop_pairs(&mut self, gone: Option<ContactId>, pair: Option<(ContactId, ContactId)>) {
        self.pairs.retain(|p| {
            let ids = (p.first.id, p.second.id);
            Some(ids.0) != gone && Some(ids.1) != gone && Some(ids) != pair
        });
    }
}

/// Two contacts side by side, field by field, with which one stays.
#[derive(Debug, Clone)]
pub struct MergeView {
    /// The pair in id order, as the list showed it, and why it was listed.
    pub first: Contact,
    pub second: Contact,
    pub reasons: Vec<String>,
    /// What moves when `first` stays ([0]) and when `second` stays ([1]).
    pub moves: [Moves; 2],
    /// The second contact stays, the first is merged into it.
    pub keep_second: bool,
    pub choices: Vec<FieldChoice>,
    /// The contacts' custom fields, to show their values in words and in their order.
    pub fields: Vec<CustomField>,
    pub error: Option<String>,
}

impl MergeView {
    /// The pair, keeping by default the one more is linked to (conversations, follow-ups,
    /// life events), or the older one; `fields` are the contacts' custom fields.
    pub fn new(
        first: Contact,
        second: Contact,
        moves: [Moves; 2],
        reasons: Vec<String>,
        fields: Vec<CustomField>,
    ) -> Self {
        let weight = |m: &Moves| m.conversations + m.follow_ups + m.life_events;
        // moves[0] is what the second brings: more there means the second holds more.
        let keep_second = weight(&moves[0]) > weight(&moves[1]);
        let mut view = Self {
            first,
            second,
            reasons,
            moves,
            keep_second,
            choices: Vec::new(),
            fields,
            error: None,
        };
        view.choices = merge_choices_in(&view.kept().draft, &view.other().draft, &view.fields);
        view
    }

    pub fn kept(&self) -> &Contact {
        if self.keep_second {
            &self.second
        } else {
            &self.first
        }
    }

    pub fn other(&self) -> &Contact {
        if self.keep_second {
            &self.first
        } else {
            &self.second
        }
    }

    /// What moves from the other to the kept one.
    pub fn moves(&self) -> &Moves {
        &self.moves[usize::from(self.keep_second)]
    }

    /// Keeps the other one instead; each field keeps the value chosen for it.
    pub fn swap(&mut self) {
        self.keep_second = !self.keep_second;
        let chosen: Vec<(MergeField, Pick)> = self
            .choices
            .iter()
            .map(|c| (c.field.clone(), c.pick))
            .collect();
        self.choices = merge_choices_in(&self.kept().draft, &self.other().draft, &self.fields);
        for choice in &mut self.choices {
            if let Some((_, pick)) = chosen.iter().find(|(f, _)| *f == choice.field) {
                choice.pick = match pick {
                    Pick::Kept => Pick::Other,
                    Pick::Other => Pick::Kept,
                };
            }
        }
    }

    /// "Bob Smith's 3 conversations, 1 follow-up and photo move to Robert Smith."
    pub fn moves_sentence(&self) -> String {
        let moves = self.moves();
        let count = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        let mut items: Vec<String> = [
            count(moves.conversations, "conversation", "conversations"),
            count(moves.follow_ups, "follow-up", "follow-ups"),
            count(moves.life_events, "life event", "life events"),
            count(moves.relationships, "relationship", "relationships"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if moves.photo {
            items.push("photo".to_owned());
        }
        let kept = self.kept().draft.effective_display_name();
        let other = self.other().draft.effective_display_name();
        let single = items.len() == 1 && (moves.photo || items[0].starts_with("1 "));
        let mut text = match items.pop() {
            None => format!(
                "{other} has no conversations, follow-ups, life events or relationships to move."
            ),
            Some(last) => {
                let list = match items.is_empty() {
                    true => last,
                    false => format!("{} and {last}", items.join(", ")),
                };
                let verb = if single { "moves" } else { "move" };
                format!("{other}'s {list} {verb} to {kept}.")
            }
        };
        if moves.photo_dropped {
            text.push_str(&format!(" {kept}'s photo stays; {other}'s is not kept."));
        }
        text
    }
}

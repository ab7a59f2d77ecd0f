//! Two people, one contact: a save that started from an older version is merged field by
//! field with what was saved since. A field only one of them changed takes that change; a field
//! both changed to different values is a clash, shown with both values for the person to
//! choose (as EspoCRM does), never overwritten silently.
//!
//! The fields are the draft's own (serde names), so a field added to `ContactDraft` takes part
//! without being listed here; lists (e-mails, phones, addresses, tags) count as one field each.

use super::ContactDraft;
use serde_json::{Map, Value};

/// A field both people changed, to different values.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldClash {
    /// The draft's field name (`personal_notes`).
    pub field: String,
    /// What this person typed, and what the other saved, as a person reads them.
    pub mine: String,
    pub theirs: String,
}

impl FieldClash {
    /// The field's name in words ("Personal notes").
    pub fn label(&self) -> String {
        field_label(&self.field)
    }
}

/// The outcome of merging a save with what was saved since it started.
#[derive(Clone, Debug, PartialEq)]
pub enum ThreeWay {
    /// Nothing clashed: the draft to save, and the fields taken from the other person's save.
    Merged {
        draft: Box<ContactDraft>,
        theirs: Vec<String>,
    },
    /// Some fields clashed; nothing is saved until the person chooses.
    Clashes(Vec<FieldClash>),
}

/// Whose value a clashing field keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    Mine,
    Theirs,
}

fn fields(draft: &ContactDraft) -> Map<String, Value> {
    match serde_json::to_value(draft) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Merges `mine` (started from `base`) with `theirs` (saved since).
pub fn merge(base: &ContactDraft, mine: &ContactDraft, theirs: &ContactDraft) -> ThreeWay {
    merge_choosing(base, mine, theirs, &|_| None)
}

/// Like `merge`, with `choice` deciding the fields that clash (a field it has no answer for
/// stays a clash).
pub fn merge_choosing(
    base: &ContactDraft,
    mine: &ContactDraft,
    theirs: &ContactDraft,
    choice: &dyn Fn(&str) -> Option<Keep>,
) -> ThreeWay {
    let (base, mine, theirs) = (fields(base), fields(mine), fields(theirs));
    let mut merged = mine.clone();
    let mut taken = Vec::new();
    let mut clashes = Vec::new();
    for (field, mine_value) in &mine {
        let base_value = base.get(field).unwrap_or(&Value::Null);
        let their_value = theirs.get(field).unwrap_or(&Value::Null);
        if mine_value == their_value || their_value == base_value {
            continue;
        }
        if mine_value == base_value {
            merged.insert(field.clone(), their_value.clone());
            taken.push(field.clone());
            continue;
        }
        match choice(field) {
            Some(Keep::Mine) => {}
            Some(Keep::Theirs) => {
                merged.insert(field.clone(), their_value.clone());
                taken.push(field.clone());
            }
            None => clashes.push(FieldClash {
                field: field.clone(),
                mine: readable(mine_value),
                theirs: readable(their_value),
            }),
        }
    }
    if !clashes.is_empty() {
        return ThreeWay::Clashes(clashes);
    }
    match serde_json::from_value(Value::Object(merged)) {
        Ok(draft) => ThreeWay::Merged {
            draft: Box::new(draft),
            theirs: taken,
        },
        // Every value came from one of the drafts, so it reads back; keep mine if not.
        Err(_) => ThreeWay::Clashes(Vec::new()),
    }
}

/// A field's value as a person reads it: text as it is, lists one item a line.
fn readable(value: &Value) -> String {
    match value {
        Value::Null => "(empty)".to_owned(),
        Value::String(text) if text.is_empty() => "(empty)".to_owned(),
        Value::String(text) => text.clone(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Array(items) if items.is_empty() => "(none)".to_owned(),
        Value::Array(items) => items.iter().map(readable).collect::<Vec<_>>().join("\n"),
        Value::Object(map) => map
            .values()
            .map(readable)
            .filter(|t| t != "(empty)")
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// `personal_notes` as "Personal notes".
pub fn field_label(field: &str) -> String {
    let words = field.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maria() -> ContactDraft {
        ContactDraft {
            title: "Owner".into(),
            interests: "Sourdough".into(),
            ..ContactDraft::named("Maria García")
        }
    }

    #[test]
    fn different_fields_merge_and_say_which_came_from_the_other() {
        let base = maria();
        let mine = ContactDraft {
            title: "Head baker".into(),
            ..base.clone()
        };
        let theirs = ContactDraft {
            interests: "Sourdough, cycling".into(),
            ..base.clone()
        };
        let ThreeWay::Merged { draft, theirs } = merge(&base, &mine, &theirs) else {
            panic!("no clash expected");
        };
        assert_eq!(draft.title, "Head baker");
        assert_eq!(draft.interests, "Sourdough, cycling");
        assert_eq!(theirs, vec!["interests".to_owned()]);
    }

    #[test]
    fn the_same_field_changed_twice_is_a_clash_until_chosen() {
        let base = maria();
        let mine = ContactDraft {
            title: "Head baker".into(),
            ..base.clone()
        };
        let theirs = ContactDraft {
            title: "Co-owner".into(),
            ..base.clone()
        };
        let ThreeWay::Clashes(clashes) = merge(&base, &mine, &theirs) else {
            panic!("a clash expected");
        };
        assert_eq!(clashes.len(), 1);
        assert_eq!(clashes[0].label(), "Title");
        assert_eq!(
            (clashes[0].mine.as_str(), clashes[0].theirs.as_str()),
            ("Head baker", "Co-owner")
        );
        let keep_theirs = merge_choosing(&base, &mine, &theirs, &|_| Some(Keep::Theirs));
        assert!(
            matches!(keep_theirs, ThreeWay::Merged { ref draft, .. } if draft.title == "Co-owner")
        );
        // Both typed the same: no clash.
        assert!(matches!(
            merge(&base, &mine, &mine),
            ThreeWay::Merged { .. }
        ));
    }
}

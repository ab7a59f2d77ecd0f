//! View ▸ Tags, its state: each tag's colour and cadence as they are being edited.
//! `ui::tags_dialog` draws it.

use crate::model::Tag;

/// One tag being edited.
#[derive(Debug, Clone)]
pub struct TagRow {
    pub name: String,
    pub contacts: usize,
    pub has_color: bool,
    pub color: [u8; 3],
    pub cadence: String,
}

#[derive(Debug, Clone, Default)]
pub struct TagsDialog {
    pub rows: Vec<TagRow>,
    pub error: Option<String>,
}

impl TagsDialog {
    pub fn new(tags: &[Tag]) -> Self {
        Self {
            rows: tags
                .iter()
                .map(|t| TagRow {
                    name: t.name.clone(),
                    contacts: t.contacts.unwrap_or_default(),
                    has_color: t.rgb().is_some(),
                    color: t.rgb().unwrap_or([0x2a, 0x9d, 0x8f]),
                    cadence: t.cadence_days.map(|d| d.to_string()).unwrap_or_default(),
                })
                .collect(),
            error: None,
        }
    }
}

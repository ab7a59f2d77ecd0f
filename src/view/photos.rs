//! The contact photos on screen as textures: a bounded cache of list thumbnails by contact, and
//! the selected contact's photo for the header. Like `PagedRows`, the UI only asks; the app
//! reads and decodes what was asked for after the frame.

use crate::model::ContactId;
use std::collections::HashMap;

/// How many thumbnails are kept (48 px each, about 9 KB of texture): a few screens of rows.
pub const THUMBNAILS_KEPT: usize = 512;

/// Thumbnail textures by contact and the header's photo. `None` in the cache means the stored
/// thumbnail could not be decoded: the initials are drawn and it is not asked for again.
#[derive(Default)]
pub struct PhotoTextures {
    thumbnails: HashMap<ContactId, (Option<egui::TextureHandle>, u64)>,
    /// Thumbnails a row on screen wanted and the cache lacks, in the order asked.
    wanted: Vec<ContactId>,
    /// What the frame before wanted (see `take_settled`).
    wanted_before: Vec<ContactId>,
    /// Whose header photo the frame before wanted (see `header_settled`).
    header_before: Option<ContactId>,
    /// Counts uses, so the least recently drawn thumbnail goes first.
    clock: u64,
    /// The header's photo: whose it is, and the texture when they have one.
    header: Option<(ContactId, Option<egui::TextureHandle>)>,
}

impl PhotoTextures {
    /// The thumbnail of a contact who has a photo; `None` (and a note to fetch it) when it is
    /// not cached yet.
    pub fn thumbnail(&mut self, contact: ContactId) -> Option<&egui::TextureHandle> {
        self.clock += 1;
        match self.thumbnails.get_mut(&contact) {
            Some((texture, used)) => {
                *used = self.clock;
                texture.as_ref()
            }
            None => {
                if !self.wanted.contains(&contact) {
                    self.wanted.push(contact);
                }
                None
            }
        }
    }

    /// True when rows on screen wait for thumbnails.
    pub fn has_wanted(&self) -> bool {
        !self.wanted.is_empty()
    }

    /// The contacts whose thumbnails to read now: those a row wanted in this frame and in the
    /// one before. Rows that flash by while the list jumps (a dragged scroll bar, Page Down
    /// held, a jump to a letter) show their initials and cost nothing; when the list stops,
    /// the next frame reads what stayed on screen. Reading them on every jump made a jump
    /// through 100,000 contacts with photos 1.5–1.6× the same jump without.
    pub fn take_settled(&mut self) -> Vec<ContactId> {
        let wanted = std::mem::take(&mut self.wanted);
        let mut settled: Vec<ContactId> = wanted
            .iter()
            .filter(|id| self.wanted_before.contains(id))
            .copied()
            .collect();
        settled.truncate(THUMBNAILS_KEPT);
        self.wanted_before = wanted;
        settled
    }

    /// Keeps a decoded thumbnail (or `None` for one that could not be read), dropping the least
    /// recently drawn ones beyond `THUMBNAILS_KEPT`.
    pub fn insert(&mut self, contact: ContactId, texture: Option<egui::TextureHandle>) {
        self.clock += 1;
        self.thumbnails.insert(contact, (texture, self.clock));
        while self.thumbnails.len() > THUMBNAILS_KEPT {
            let oldest = self
                .thumbnails
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(id, _)| *id);
            match oldest {
                Some(id) => self.thumbnails.remove(&id),
                None => break,
            };
        }
    }

    /// How many thumbnails are cached (a contact without a photo counts: it is known to have
    /// none), for tests.
    pub fn cached(&self) -> usize {
        self.thumbnails.len()
    }

    /// Whether the thumbnail texture of `contact` is cached, for tests.
    pub fn has_texture(&self, contact: ContactId) -> bool {
        self.thumbnails
            .get(&contact)
            .is_some_and(|(texture, _)| texture.is_some())
    }

    /// The header's photo of `contact`: `Some(None)` when it is known they have none, `None`
    /// when it has not been read yet.
    pub fn header(&self, contact: ContactId) -> Option<Option<&egui::TextureHandle>> {
        match &self.header {
            Some((id, texture)) if *id == contact => Some(texture.as_ref()),
            _ => None,
        }
    }

    /// True when the header of `contact` wanted its photo in the frame before too: while the
    /// selection runs down the list (a key held), the header shows initials and no photo is
    /// decoded for each contact passed.
    pub fn header_settled(&mut self, contact: ContactId) -> bool {
        self.header_before.replace(contact) == Some(contact)
    }

    /// Keeps the header's photo of `contact`.
    pub fn set_header(&mut self, contact: ContactId, texture: Option<egui::TextureHandle>) {
        self.header = Some((contact, texture));
    }

    /// Forgets what is cached of `contact` (their photo was set or removed).
    pub fn forget(&mut self, contact: ContactId) {
        self.thumbnails.remove(&contact);
        self.wanted.retain(|&c| c != contact);
        self.wanted_before.retain(|&c| c != contact);
        if self.header.as_ref().is_some_and(|(id, _)| *id == contact) {
            self.header = None;
        }
    }

    /// Forgets everything (another database, undo, an import).
    pub fn clear(&mut self) {
        *self = Self {
            clock: self.clock,
            ..Self::default()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_once_and_keeps_at_most_the_bound() {
        let mut photos = PhotoTextures::default();
        assert!(photos.thumbnail(ContactId(1)).is_none());
        assert!(photos.thumbnail(ContactId(1)).is_none());
        assert!(
            photos.take_settled().is_empty(),
            "wanted in one frame only so far"
        );
        assert!(photos.thumbnail(ContactId(1)).is_none());
        assert_eq!(photos.take_settled(), vec![ContactId(1)]);
        assert!(!photos.has_wanted());
        // Read once a row wanted it two frames running: not while the list jumps past.
        assert!(photos.thumbnail(ContactId(2)).is_none());
        assert!(photos.take_settled().is_empty());
        assert!(photos.thumbnail(ContactId(3)).is_none());
        assert!(
            photos.take_settled().is_empty(),
            "another row: still jumping"
        );
        assert!(photos.thumbnail(ContactId(3)).is_none());
        assert_eq!(photos.take_settled(), vec![ContactId(3)]);
        for i in 0..(THUMBNAILS_KEPT as i64 + 10) {
            photos.insert(ContactId(i), None);
        }
        assert_eq!(photos.cached(), THUMBNAILS_KEPT);
        // The first ones inserted went first; the newest are kept.
        assert!(photos.thumbnail(ContactId(0)).is_none());
        assert!(photos.has_wanted());
        let newest = ContactId(THUMBNAILS_KEPT as i64 + 9);
        photos.wanted.clear();
        assert!(photos.thumbnail(newest).is_none());
        assert!(
            !photos.has_wanted(),
            "a cached failure is not asked for again"
        );
    }

    #[test]
    fn forgetting_drops_the_header_too() {
        let mut photos = PhotoTextures::default();
        photos.set_header(ContactId(3), None);
        assert_eq!(
            photos.header(ContactId(3)).map(|t| t.is_some()),
            Some(false)
        );
        assert!(photos.header(ContactId(4)).is_none());
        photos.forget(ContactId(3));
        assert!(photos.header(ContactId(3)).is_none());
    }
}

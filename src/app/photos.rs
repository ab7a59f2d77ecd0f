//! Contact photos as textures, read after the frame: the thumbnails of the rows on screen that
//! the cache lacks, and the selected contact's photo for the header.

use super::RapportApp;
use crate::model::ContactId;

impl RapportApp {
    /// True when the last frame drew rows or a header whose photo is not loaded yet.
    pub(super) fn photos_wanted(&self) -> bool {
        self.view.photos.has_wanted()
            || self
                .view
                .selected
                .as_ref()
                .is_some_and(|s| self.view.photos.header(s.contact.id).is_none())
    }

    /// Reads and decodes the photos the last frame asked for.
    pub(super) fn fetch_photos(&mut self, ctx: &egui::Context) {
        let Some(store) = &self.store else { return };
        for contact in self.view.photos.take_settled() {
            let texture = match store.thumbnail(contact) {
                Ok(Some(bytes)) => texture(ctx, "thumbnail", contact, &bytes),
                Ok(None) => None,
                Err(error) => {
                    tracing::warn!(
                        "could not read the thumbnail of contact {}: {error}",
                        contact.0
                    );
                    None
                }
            };
            self.view.photos.insert(contact, texture);
        }
        if let Some(selected) = &self.view.selected {
            let contact = selected.contact.id;
            if self.view.photos.header(contact).is_none()
                && self.view.photos.header_settled(contact)
            {
                let texture = match store.photo(contact) {
                    Ok(Some(photo)) => texture(ctx, "photo", contact, &photo.bytes),
                    Ok(None) => None,
                    Err(error) => {
                        tracing::warn!(
                            "could not read the photo of contact {}: {error}",
                            contact.0
                        );
                        None
                    }
                };
                self.view.photos.set_header(contact, texture);
            }
        }
    }
}

/// Decodes a stored image (PNG or JPEG) into a texture; `None` when it cannot be read.
fn texture(
    ctx: &egui::Context,
    kind: &str,
    contact: ContactId,
    bytes: &[u8],
) -> Option<egui::TextureHandle> {
    let image = match image::load_from_memory(bytes) {
        Ok(image) => image.to_rgba8(),
        Err(error) => {
            tracing::warn!(
                "the stored {kind} of contact {} is unreadable: {error}",
                contact.0
            );
            return None;
        }
    };
    let size = [image.width() as usize, image.height() as usize];
    let pixels = egui::ColorImage::from_rgba_unmultiplied(size, image.as_raw());
    Some(ctx.load_texture(
        format!("{kind}-{}", contact.0),
        pixels,
        egui::TextureOptions::LINEAR,
    ))
}

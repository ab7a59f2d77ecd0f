//! Contact photos. Whatever a person drops or a vCard carries is decoded here with the `image`
//! crate and stored scaled (at most `PHOTO_SIZE` px, PNG or JPEG), so the database does not grow
//! with camera originals, together with a square `THUMBNAIL_SIZE` px PNG that the contact list
//! draws without ever decoding the larger image.

use super::db::{Db, OptionalExtension as _};
use super::{Result, Store, StoreError};
use crate::model::{ContactId, ContactPhoto as Photo};
use chrono::{DateTime, Utc};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder as _, ImageFormat, ImageReader};
use rusqlite::params;
use std::io::Cursor;

/// The longest side of a stored photo, in pixels.
pub const PHOTO_SIZE: u32 = 256;
/// The side of the square thumbnail the contact list draws, in pixels.
pub const THUMBNAIL_SIZE: u32 = 48;
/// Larger images than this are refused before decoding (a hostile file could claim any size).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// A photo decoded, scaled and encoded again, ready to be written.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    photo: Photo,
    thumbnail: Vec<u8>,
}

fn not_an_image() -> StoreError {
    StoreError::Invalid(
        "That file is not an image Rapport can read (PNG, JPEG, GIF or WebP); the photo was not changed."
            .to_owned(),
    )
}

/// Decodes `bytes` (PNG, JPEG, GIF or WebP), turns it upright and scales it. Pure: the import
/// prepares photos before its transaction.
pub fn prepare_photo(bytes: &[u8]) -> Result<PreparedPhoto> {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_an_image())?;
    reader.limits(limits);
    let format = reader.format().ok_or_else(not_an_image)?;
    let mut decoder = reader.into_decoder().map_err(|_| not_an_image())?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| not_an_image())?;
    let upright = orientation.is_none_or(|o| o == image::metadata::Orientation::NoTransforms);
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let thumbnail =
        encode_png(&image.resize_to_fill(THUMBNAIL_SIZE, THUMBNAIL_SIZE, FilterType::Triangle))?;
    let fits = image.width() <= PHOTO_SIZE && image.height() <= PHOTO_SIZE;
    // A small upright PNG or JPEG is kept byte for byte: a second JPEG compression would only
    // lose detail, and Rapport's own vCard export then imports back as the very same image.
    let photo = match format {
        ImageFormat::Png if fits && upright => Photo {
            mime: "image/png".to_owned(),
            bytes: bytes.to_vec(),
        },
        ImageFormat::Jpeg if fits && upright => Photo {
            mime: "image/jpeg".to_owned(),
            bytes: bytes.to_vec(),
        },
        _ => encode_scaled(&image)?,
    };
    Ok(PreparedPhoto { photo, thumbnail })
}

/// Scales to fit `PHOTO_SIZE` and encodes: PNG when the image has transparency (JPEG has none),
/// otherwise JPEG, which is a tenth of the size for a photograph.
fn encode_scaled(image: &DynamicImage) -> Result<Photo> {
    let scaled = if image.width() > PHOTO_SIZE || image.height() > PHOTO_SIZE {
        image.resize(PHOTO_SIZE, PHOTO_SIZE, FilterType::Lanczos3)
    } else {
        image.clone()
    };
    if scaled.color().has_alpha() {
        return Ok(Photo {
            mime: "image/png".to_owned(),
            bytes: encode_png(&scaled)?,
        });
    }
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 88)
        .encode_image(&scaled.to_rgb8())
        .map_err(|e| StoreError::Invalid(format!("Could not encode the photo: {e}")))?;
    Ok(Photo {
        mime: "image/jpeg".to_owned(),
        bytes,
    })
}

fn encode_png(image: &DynamicImage) -> Result<Vec<u8>> {
    let mut bytes = Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, ImageFormat::Png)
        .map_err(|e| StoreError::Invalid(format!("Could not encode the photo: {e}")))?;
    Ok(bytes.into_inner())
}

/// Writes a prepared photo for `contact` (replacing any) and marks the contact changed, so a
/// vCard export's `REV` moves with it.
pub(super) fn write_photo(
    conn: &Db,
    contact: ContactId,
    prepared: &PreparedPhoto,
    now: DateTime<Utc>,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE contacts SET updated_at = ?2 WHERE id = ?1",
        params![contact, now],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "contact",
            id: contact.0,
        });
    }
    conn.prepare_cached(
        "INSERT INTO contact_photos (contact_id, mime, image, thumbnail, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (contact_id) DO UPDATE SET mime = excluded.mime, image = excluded.image,
             thumbnail = excluded.thumbnail, updated_at = excluded.updated_at",
    )?
    .execute(params![
        contact,
        prepared.photo.mime,
        prepared.photo.bytes,
        prepared.thumbnail,
        now
    ])?;
    Ok(())
}

impl Store {
    /// Gives `contact` the photo in `bytes` (an image file's contents). A file that is not an
    /// image is refused with a sentence and nothing changes.
    pub fn set_photo(&mut self, contact: ContactId, bytes: &[u8]) -> Result<()> {
        let prepared = prepare_photo(bytes)?;
        let now = self.now();
        self.write(|tx| write_photo(tx, contact, &prepared, now))
    }

    /// The contact's stored photo, if it has one.
    pub fn photo(&self, contact: ContactId) -> Result<Option<Photo>> {
        self.conn
            .prepare_cached("SELECT mime, image FROM contact_photos WHERE contact_id = ?1")?
            .query_row([contact], |r| {
                Ok(Photo {
                    mime: r.get(0)?,
                    bytes: r.get(1)?,
                })
            })
            .optional()
    }

    /// The contact's list thumbnail (a square PNG), if it has a photo.
    pub fn thumbnail(&self, contact: ContactId) -> Result<Option<Vec<u8>>> {
        self.conn
            .prepare_cached("SELECT thumbnail FROM contact_photos WHERE contact_id = ?1")?
            .query_row([contact], |r| r.get(0))
            .optional()
    }

    /// Removes the contact's photo; false when there was none.
    pub fn remove_photo(&mut self, contact: ContactId) -> Result<bool> {
        let now = self.now();
        self.write(|tx| {
            let removed = tx.execute(
                "DELETE FROM contact_photos WHERE contact_id = ?1",
                [contact],
            )?;
            if removed > 0 {
                tx.execute(
                    "UPDATE contacts SET updated_at = ?2 WHERE id = ?1",
                    params![contact, now],
                )?;
            }
            Ok(removed > 0)
        })
    }
}

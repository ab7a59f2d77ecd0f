//! Contact photos (issue 21, item 2): stored scaled from real image bytes, refused when not an
//! image, undone with the contact's rows, read from vCards of every version and written back,
//! drawn as avatars (initials without a photo) and added by dropping an image on a contact.

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use rapport::model::{ContactDraft, ContactId};
use rapport::store::Store;
use rapport::store::undo::Part;
use std::io::Cursor;

/// A `width`×`height` picture with a gradient, so scaling and re-encoding show in the pixels.
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 90])
    })
}

pub fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, y| {
        Rgba([
            (x * 7) as u8,
            (y * 5) as u8,
            200,
            if x < 2 { 0 } else { 255 },
        ])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

pub fn jpeg_bytes(width: u32, height: u32) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(picture(width, height))
        .write_to(&mut out, ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

fn decoded(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

fn store_with(name: &str) -> (Store, ContactId) {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_contact(&ContactDraft::named(name)).unwrap();
    (store, id)
}

#[test]
fn photo_a_camera_sized_jpeg_is_stored_scaled_with_a_small_thumbnail() {
    let (mut store, maria) = store_with("Maria García");
    store.set_photo(maria, &jpeg_bytes(1200, 900)).unwrap();
    let photo = store.photo(maria).unwrap().unwrap();
    assert_eq!(photo.mime, "image/jpeg");
    let image = decoded(&photo.bytes);
    assert_eq!((image.width(), image.height()), (256, 192));
    let thumbnail = decoded(&store.thumbnail(maria).unwrap().unwrap());
    assert_eq!((thumbnail.width(), thumbnail.height()), (48, 48));
    assert!(photo.bytes.len() < 40_000, "{} bytes", photo.bytes.len());
}

#[test]
fn photo_a_small_png_is_kept_as_it_is_and_transparency_stays_png() {
    let (mut store, maria) = store_with("Maria García");
    let small = png_bytes(40, 30);
    store.set_photo(maria, &small).unwrap();
    assert_eq!(store.photo(maria).unwrap().unwrap().bytes, small);
    store.set_photo(maria, &png_bytes(600, 300)).unwrap();
    let photo = store.photo(maria).unwrap().unwrap();
    assert_eq!(photo.mime, "image/png");
    assert_eq!(decoded(&photo.bytes).width(), 256);
}

#[test]
fn photo_a_file_that_is_not_an_image_is_refused_and_changes_nothing() {
    let (mut store, maria) = store_with("Maria García");
    store.set_photo(maria, &png_bytes(20, 20)).unwrap();
    let before = store.dump_for_tests().unwrap();
    let error = store
        .set_photo(maria, b"BEGIN:VCARD\nFN:not a picture\nEND:VCARD\n")
        .unwrap_err();
    assert!(error.to_string().contains("not an image"), "{error}");
    let mut broken = png_bytes(20, 20);
    broken.truncate(40);
    assert!(store.set_photo(maria, &broken).is_err());
    assert_eq!(store.dump_for_tests().unwrap(), before);
}

#[test]
fn photo_removed_and_gone_with_the_contact() {
    let (mut store, maria) = store_with("Maria García");
    assert!(!store.remove_photo(maria).unwrap());
    store.set_photo(maria, &png_bytes(20, 20)).unwrap();
    assert!(store.remove_photo(maria).unwrap());
    assert_eq!(store.photo(maria).unwrap(), None);
    assert_eq!(store.thumbnail(maria).unwrap(), None);
    store.set_photo(maria, &png_bytes(20, 20)).unwrap();
    store.trash_contact(maria).unwrap();
    store.purge_contact(maria).unwrap();
    assert!(
        !store
            .dump_for_tests()
            .unwrap()
            .iter()
            .any(|line| line.starts_with("contact_photos:"))
    );
}

#[test]
fn photo_undo_puts_the_previous_photo_back() {
    let (mut store, maria) = store_with("Maria García");
    let first = png_bytes(20, 20);
    store.set_photo(maria, &first).unwrap();
    let before = store.dump_for_tests().unwrap();
    let snapshot = store.snapshot(&[Part::Contact(maria)]).unwrap();
    store.set_photo(maria, &jpeg_bytes(300, 300)).unwrap();
    let change = store.change_since(snapshot, &[]).unwrap();
    store.undo_change(&change).unwrap();
    assert_eq!(store.photo(maria).unwrap().unwrap().bytes, first);
    assert_eq!(store.dump_for_tests().unwrap(), before);
}

/// The contacts of a fixture, imported into a fresh store.
fn imported(fixture: &str) -> Store {
    let parsed = crate::import_tests::parse(&crate::import_tests::own(fixture), "US");
    let mut store = Store::open_in_memory().unwrap();
    store
        .apply_import(fixture, "vcard", &parsed.contacts)
        .unwrap();
    store
}

fn id_of(store: &Store, name: &str) -> ContactId {
    store
        .contact_rows("", 0, 100)
        .unwrap()
        .into_iter()
        .find(|row| row.display_name == name)
        .unwrap_or_else(|| panic!("{name} was not imported"))
        .id
}

fn fixture_image(name: &str) -> DynamicImage {
    let text = std::fs::read_to_string(crate::import_tests::own(name)).unwrap();
    let start = text.find("base64,").map(|at| at + 7).unwrap_or_else(|| {
        text.find("PHOTO;")
            .and_then(|at| text[at..].find(':').map(|c| at + c + 1))
            .unwrap()
    });
    let end = text[start..].find("END:VCARD").unwrap() + start;
    let data: String = text[start..end].split_whitespace().collect();
    use base64::Engine as _;
    decoded(
        &base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap(),
    )
}

#[test]
fn photo_imported_from_vcard_2_1_3_0_and_4_0() {
    for (fixture, name) in [
        ("vcard_photo_v21.vcf", "Bob Okafor"),
        ("vcard_photo_v30.vcf", "Maria García"),
        ("vcard_photo_v40.vcf", "Kenji Tanaka"),
    ] {
        let store = imported(fixture);
        let photo = store.photo(id_of(&store, name)).unwrap();
        let photo = photo.unwrap_or_else(|| panic!("{fixture}: no photo"));
        let (got, want) = (decoded(&photo.bytes), fixture_image(fixture));
        assert_eq!(
            got.dimensions_and_pixels(),
            want.dimensions_and_pixels(),
            "{fixture}"
        );
    }
    // A photo given as a link is not fetched: the contact is imported without one.
    let store = imported("vcard_photo_v30.vcf");
    assert_eq!(store.photo(id_of(&store, "Zelda Quint")).unwrap(), None);
}

trait Pixels {
    fn dimensions_and_pixels(&self) -> (u32, u32, Vec<u8>);
}

impl Pixels for DynamicImage {
    fn dimensions_and_pixels(&self) -> (u32, u32, Vec<u8>) {
        (self.width(), self.height(), self.to_rgba8().into_raw())
    }
}

#[test]
fn photo_written_on_vcard_export_and_read_back_identical() {
    use rapport::model::ReportScope;
    use rapport::report::contacts::{CardVersion, vcard_cards};
    for (version, photo) in [
        (CardVersion::V4, jpeg_bytes(300, 200)),
        (CardVersion::V3, jpeg_bytes(300, 200)),
        (CardVersion::V4, png_bytes(64, 64)),
        (CardVersion::V3, png_bytes(64, 64)),
    ] {
        let (mut store, maria) = store_with("Maria García");
        store.set_photo(maria, &photo).unwrap();
        let stored = store.photo(maria).unwrap().unwrap();
        let cards = vcard_cards(
            &store.exported_contacts(&ReportScope::Everyone).unwrap(),
            version,
        );
        let kind = if stored.mime == "image/png" {
            "PNG"
        } else {
            "JPEG"
        };
        let expected = match version {
            CardVersion::V4 => format!("PHOTO:data:{};base64,", stored.mime),
            CardVersion::V3 => format!("PHOTO;ENCODING=b;TYPE={kind}:"),
        };
        assert!(cards.contains(&expected), "{version:?}: {cards}");
        assert!(cards.lines().all(|l| l.len() <= 76), "folded at 75 octets");
        let parsed =
            rapport::import::parse_file(cards.as_bytes(), "x.vcf", "US", |_| None).unwrap();
        let mut again = Store::open_in_memory().unwrap();
        again
            .apply_import("x.vcf", "vcard", &parsed.contacts)
            .unwrap();
        let back = again.photo(id_of(&again, "Maria García")).unwrap().unwrap();
        assert_eq!(
            decoded(&back.bytes).dimensions_and_pixels(),
            decoded(&stored.bytes).dimensions_and_pixels(),
            "{version:?} {kind}"
        );
    }
}

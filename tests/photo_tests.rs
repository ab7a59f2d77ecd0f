//! Contact photos (issue 21, item 2): stored scaled from real image bytes, refused when not an
//! image, undone with the contact's rows, read from vCards of every version and written back,
//! drawn as avatars (initials without a photo) and added by dropping an image on a contact.

use egui_kittest::kittest::Queryable as _;
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
    let before = crate::common::without_versions(store.dump_for_tests().unwrap());
    let error = store
        .set_photo(maria, b"BEGIN:VCARD\nFN:not a picture\nEND:VCARD\n")
        .unwrap_err();
    assert!(error.to_string().contains("not an image"), "{error}");
    let mut broken = png_bytes(20, 20);
    broken.truncate(40);
    assert!(store.set_photo(maria, &broken).is_err());
    assert_eq!(
        crate::common::without_versions(store.dump_for_tests().unwrap()),
        before
    );
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
    let before = crate::common::without_versions(store.dump_for_tests().unwrap());
    let snapshot = store.snapshot(&[Part::Contact(maria)]).unwrap();
    store.set_photo(maria, &jpeg_bytes(300, 300)).unwrap();
    let change = store.change_since(snapshot, &[]).unwrap();
    store.undo_change(&change).unwrap();
    assert_eq!(store.photo(maria).unwrap().unwrap().bytes, first);
    assert_eq!(
        crate::common::without_versions(store.dump_for_tests().unwrap()),
        before
    );
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

#[test]
fn photo_thumbnails_say_who_has_one() {
    let (mut store, maria) = store_with("Maria García");
    let bob = store
        .create_contact(&ContactDraft::named("Bob Okafor"))
        .unwrap();
    store.set_photo(maria, &png_bytes(64, 64)).unwrap();
    assert!(store.thumbnail(maria).unwrap().is_some());
    assert!(store.thumbnail(bob).unwrap().is_none());
    store.remove_photo(maria).unwrap();
    assert!(store.thumbnail(maria).unwrap().is_none());
}

#[test]
fn photo_shown_in_the_list_and_the_header_after_one_frame() {
    use crate::common::{NOW, Window, app_in, at, selecting};
    // The window runs on SQLite here; the team database in the window is tested on its own.
    let mut store = rapport::store::Store::open_in_memory().unwrap();
    {
        // The clock fixed before anyone is added, so the snapshot's timeline does not move.
        store.set_clock(at(NOW).and_utc());
        let maria = store
            .create_contact(&ContactDraft::named("Maria García"))
            .unwrap();
        store
            .create_contact(&ContactDraft::named("Bob Okafor"))
            .unwrap();
        store.set_photo(maria, &jpeg_bytes(300, 200)).unwrap();
        let mut h = app_in(store, Window::of(1000.0, 700.0), selecting(Some(maria.0)));
        h.run();
        let photos = &h.state().view.photos;
        // Only Maria has a photo: her thumbnail is drawn, Bob (known to have none) draws
        // his initials.
        assert!(photos.has_texture(maria));
        assert_eq!(photos.cached(), 2);
        assert!(!photos.has_wanted());
        let header = photos.header(maria).expect("the header's photo was read");
        assert_eq!(header.map(|t| t.size()), Some([256, 171]));
        // The photo clipped round in the row and before the name; Bob's initials on his colour.
        h.snapshot("contact_photo");
    }
}

/// The app on Maria (selected) and Bob, at a fixed clock, with a folder for image files.
fn photo_window() -> (
    egui_kittest::Harness<'static, rapport::app::RapportApp>,
    ContactId,
    tempfile::TempDir,
) {
    use crate::common::{NOW, Window, app_in, at, selecting};
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at(NOW).and_utc());
    let maria = store
        .create_contact(&ContactDraft::named("Maria García"))
        .unwrap();
    store
        .create_contact(&ContactDraft::named("Bob Okafor"))
        .unwrap();
    let h = app_in(store, Window::of(1000.0, 700.0), selecting(Some(maria.0)));
    (h, maria, tempfile::tempdir().unwrap())
}

/// A file dropped on the window, as the windowing integration hands it to egui (egui 0.37's
/// `DroppedFile` is a trait the integration implements).
#[derive(Debug)]
struct DroppedPath(std::path::PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(
    h: &mut egui_kittest::Harness<'static, rapport::app::RapportApp>,
    path: &std::path::Path,
) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(path.to_path_buf())));
    h.run();
}

fn status(h: &egui_kittest::Harness<'static, rapport::app::RapportApp>) -> (String, bool) {
    let line = h.state().view.status.as_ref().expect("a status line");
    (line.text.clone(), line.is_error)
}

#[test]
fn photo_dropped_on_the_selected_contact_is_set_and_shown_then_removed_and_undone() {
    let (mut h, maria, dir) = photo_window();
    h.run();
    assert!(h.query_by_label("Remove photo").is_none());
    let path = dir.path().join("Maria.JPG");
    std::fs::write(&path, jpeg_bytes(400, 400)).unwrap();
    drop_file(&mut h, &path);
    assert_eq!(
        status(&h),
        ("Photo set for Maria García.".to_owned(), false)
    );
    let store = h.state().store().unwrap();
    assert_eq!(store.photo(maria).unwrap().unwrap().mime, "image/jpeg");
    // No import was opened for the image, and the list and header draw it.
    assert!(h.state().view.import_dialog.is_none());
    assert!(h.state().view.photos.has_texture(maria));
    assert!(h.state().view.photos.header(maria).flatten().is_some());

    h.get_by_label("Remove photo").click();
    h.run();
    assert_eq!(
        status(&h),
        ("Photo removed for Maria García.".to_owned(), false)
    );
    assert!(h.state().store().unwrap().photo(maria).unwrap().is_none());
    assert!(h.query_by_label("Remove photo").is_none());

    // Undo brings the photo back, in the header too.
    h.state_mut().view.status = None;
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(h.state().store().unwrap().photo(maria).unwrap().is_some());
    assert!(h.state().view.photos.header(maria).flatten().is_some());
}

#[test]
fn photo_a_dropped_file_that_is_not_an_image_says_so_and_changes_nothing() {
    let (mut h, maria, dir) = photo_window();
    h.run();
    let path = dir.path().join("holiday.png");
    std::fs::write(&path, b"not a picture at all").unwrap();
    drop_file(&mut h, &path);
    let (text, is_error) = status(&h);
    assert!(is_error, "{text}");
    assert!(text.contains("not an image"), "{text}");
    assert!(h.state().store().unwrap().photo(maria).unwrap().is_none());

    let missing = dir.path().join("gone.webp");
    drop_file(&mut h, &missing);
    let (text, is_error) = status(&h);
    assert!(
        is_error && text.starts_with("Could not read gone.webp"),
        "{text}"
    );
}

#[test]
fn photo_a_dropped_contact_file_still_opens_the_import() {
    let (mut h, _maria, dir) = photo_window();
    h.run();
    let path = dir.path().join("people.csv");
    std::fs::write(&path, "Name,Email\nAda Lovelace,ada@example.com\n").unwrap();
    drop_file(&mut h, &path);
    assert!(h.state().view.import_dialog.is_some());
}

#[test]
fn photo_pasted_on_the_selected_contact_is_set_and_undone_but_not_while_typing() {
    let (mut h, maria, _dir) = photo_window();
    h.run();
    let pixels: Vec<egui::Color32> = (0..64 * 48)
        .map(|i| egui::Color32::from_rgb((i % 64) as u8 * 4, (i / 64) as u8 * 5, 90))
        .collect();
    let image = std::sync::Arc::new(egui::ColorImage::new([64, 48], pixels));
    // Pasted into the search box, it is not a photo.
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Search contacts")
        .focus();
    h.run();
    h.event(egui::Event::PasteImage(image.clone()));
    h.run();
    assert!(h.state().store().unwrap().photo(maria).unwrap().is_none());
    h.key_press(egui::Key::Escape);
    h.run();
    h.state_mut().view.status = None;

    h.event(egui::Event::PasteImage(image));
    h.run();
    assert_eq!(
        status(&h),
        ("Photo set for Maria García.".to_owned(), false)
    );
    let stored = h.state().store().unwrap().photo(maria).unwrap().unwrap();
    assert_eq!(stored.mime, "image/png");
    let decoded = decoded(&stored.bytes);
    assert_eq!((decoded.width(), decoded.height()), (64, 48));
    assert_eq!(decoded.to_rgb8().get_pixel(10, 2).0, [40, 10, 90]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(h.state().store().unwrap().photo(maria).unwrap().is_none());
}

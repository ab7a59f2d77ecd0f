//! Avatars in timeline reports (issue "Every file Rapport reads or writes works in the programs
//! people use", Photos): the contact's photo as a round avatar beside their name in the HTML
//! and the PDF, their initials on the window's colour without one, and the photo left out
//! with the personal details.

use base64::Engine as _;
use chrono::NaiveDateTime;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use rapport::model::{
    ContactDraft, ContactId, ContactPhoto, InteractionDraft, OrganizationId, ReportData,
    ReportPerson, ReportRequest, ReportScope,
};
use rapport::report::{ReportFormat, TimelineReport};
use rapport::store::Store;
use std::io::Cursor;

const NOW: &str = "2026-11-20 09:00";

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// A 300×200 photo, bright yellow with a dark stripe at the top: no colour of the report
/// itself is near that yellow, so its pixels on a rendered page are the photo's.
fn yellow_jpeg() -> Vec<u8> {
    let picture = RgbImage::from_fn(300, 200, |x, y| {
        if y < 20 {
            Rgb([40, 40, 40])
        } else {
            Rgb([250, 220, (x % 20) as u8])
        }
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(picture)
        .write_to(&mut out, ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

struct World {
    store: Store,
    /// Has a photo.
    maria: ContactId,
    /// Has none.
    bob: ContactId,
    golden_crust: OrganizationId,
}

/// Maria (with a photo) and Bob (without) at Golden Crust, a conversation each.
fn world_in(mut store: Store) -> World {
    store.set_clock(at("2026-01-05 08:00").and_utc());
    let maria = store
        .create_contact(&ContactDraft {
            display_name: "Maria García".into(),
            organization: "Golden Crust Bakery".into(),
            title: "Owner".into(),
            family: "Married to Sam".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    let bob = store
        .create_contact(&ContactDraft {
            display_name: "Bob Stone".into(),
            organization: "Golden Crust Bakery".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    store.set_photo(maria, &yellow_jpeg()).unwrap();
    for (who, when) in [(maria, "2026-02-03 10:00"), (bob, "2026-02-04 11:00")] {
        store
            .log_interaction(&InteractionDraft {
                summary: "Talked about the spring order".into(),
                ..InteractionDraft::new(at(when), who)
            })
            .unwrap();
    }
    let golden_crust = store
        .organization_by_name("Golden Crust Bakery")
        .unwrap()
        .unwrap()
        .id;
    World {
        store,
        maria,
        bob,
        golden_crust,
    }
}

fn each_world(test: impl Fn(World)) {
    crate::common::each_engine(|store| test(world_in(store)));
}

fn report(store: &Store, request: &ReportRequest) -> TimelineReport {
    let data = store.report_data(request).unwrap();
    rapport::report::build(data, request, at(NOW), "Rapport test")
}

fn html(store: &Store, request: &ReportRequest) -> String {
    String::from_utf8(rapport::report::render(&report(store, request), ReportFormat::Html).unwrap())
        .unwrap()
}

fn pdf(store: &Store, request: &ReportRequest) -> Vec<u8> {
    rapport::report::render(&report(store, request), ReportFormat::Pdf).unwrap()
}

/// The `<img …>` tags of a page.
fn img_tags(html: &str) -> Vec<&str> {
    html.match_indices("<img ")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
        .collect()
}

/// An attribute's value in a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    &tag[start..start + tag[start..].find('"').unwrap()]
}

/// The image a `data:image/…;base64,` URI holds, decoded; and its media type.
fn data_uri_image(src: &str) -> (String, DynamicImage) {
    let rest = src.strip_prefix("data:").expect("a data: URI");
    let (mime, base64) = rest.split_once(";base64,").expect("base64");
    assert!(mime.starts_with("image/"), "{mime}");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .unwrap();
    (mime.to_owned(), image::load_from_memory(&bytes).unwrap())
}

/// The window's avatar colour of `name`, as `#rrggbb`.
fn window_colour(name: &str) -> String {
    let c = rapport::ui::avatar::avatar_color(name);
    format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b())
}

#[test]
fn report_photo_html_of_a_contact_with_a_photo_embeds_it_round_beside_the_name() {
    each_world(|w| {
        let page = html(&w.store, &ReportRequest::new(ReportScope::Contact(w.maria)));
        let tags = img_tags(&page);
        assert_eq!(tags.len(), 1, "{tags:?}");
        let tag = tags[0];
        assert_eq!(attribute(tag, "alt"), "Maria García");
        assert!(attribute(tag, "class").contains("avatar"), "{tag}");
        // Round: the avatar class clips to a circle.
        assert!(page.contains(".avatar {") && page.contains("border-radius: 50%"));
        let (mime, image) = data_uri_image(attribute(tag, "src"));
        assert_eq!(mime, "image/jpeg");
        // One contact's report carries the stored photo (at most 256 px), sharp at its size.
        assert_eq!((image.width(), image.height()), (256, 171));
        // Beside the name, in the title block, and the page is still one file.
        let header = &page[page.find("<header").unwrap()..page.find("</header>").unwrap()];
        assert!(header.contains("<img ") && header.contains("<h1>Maria García</h1>"));
        for external in ["src=\"http", "href=\"http", "<link", "<script", "url("] {
            assert!(!page.contains(external), "{external} in the page");
        }
    });
}

#[test]
fn report_photo_html_of_a_contact_without_one_has_their_initials_on_the_windows_colour() {
    each_world(|w| {
        let page = html(&w.store, &ReportRequest::new(ReportScope::Contact(w.bob)));
        assert!(img_tags(&page).is_empty());
        let expected = format!(
            "<span class=\"avatar large\" style=\"background:{}\" aria-hidden=\"true\">BS</span>",
            window_colour("Bob Stone")
        );
        assert!(page.contains(&expected), "{expected} missing");
        assert_eq!(
            window_colour("Bob Stone"),
            rapport::model::avatar::avatar_hex("Bob Stone")
        );
    });
}

#[test]
fn report_photo_a_groups_html_shows_each_persons_avatar_with_the_small_thumbnail() {
    each_world(|w| {
        let mut request = ReportRequest::new(ReportScope::Organization(w.golden_crust));
        request.include_personal = true;
        let page = html(&w.store, &request);
        let tags = img_tags(&page);
        assert_eq!(tags.len(), 1, "{tags:?}");
        assert_eq!(attribute(tags[0], "alt"), "Maria García");
        assert!(attribute(tags[0], "class").contains("small"));
        // A group's report carries thumbnails, never the full photos.
        let (mime, image) = data_uri_image(attribute(tags[0], "src"));
        assert_eq!(mime, "image/png");
        assert_eq!((image.width(), image.height()), (48, 48));
        let bob = format!(
            "<span class=\"avatar small\" style=\"background:{}\" aria-hidden=\"true\">BS</span>",
            window_colour("Bob Stone")
        );
        assert!(page.contains(&bob), "{bob} missing");
        // Each avatar is in the person's line, before their name.
        let maria_line = &page[page.find(tags[0]).unwrap()..];
        assert!(maria_line[..200].contains("Maria García"));
    });
}

#[test]
fn report_photo_follows_the_personal_details_choice() {
    each_world(|w| {
        // A group's report leaves personal details out unless asked: the photo too.
        let request = ReportRequest::new(ReportScope::Organization(w.golden_crust));
        assert!(!request.include_personal);
        let data = w.store.report_data(&request).unwrap();
        assert!(data.people.iter().all(|p| p.photo.is_none()));
        let page = html(&w.store, &request);
        assert!(
            img_tags(&page).is_empty(),
            "no photo without personal details"
        );
        let maria = format!(
            "<span class=\"avatar small\" style=\"background:{}\" aria-hidden=\"true\">MG</span>",
            window_colour("Maria García")
        );
        assert!(page.contains(&maria), "her initials instead");
        // One contact's report with personal details left out: initials, no photo.
        let mut request = ReportRequest::new(ReportScope::Contact(w.maria));
        request.include_personal = false;
        let page = html(&w.store, &request);
        assert!(img_tags(&page).is_empty());
        assert!(!page.contains("data:image"));
        assert!(page.contains(">MG</span>"));
        assert!(!pdf_has_image(&pdf(&w.store, &request)));
    });
}

/// Whether a PDF holds an image XObject (its uncompressed object dictionary says so, with or
/// without a space: Typst writes `/Subtype/Image`).
fn pdf_has_image(pdf: &[u8]) -> bool {
    [&b"/Subtype/Image"[..], b"/Subtype /Image"]
        .iter()
        .any(|needle| pdf.windows(needle.len()).any(|w| w == *needle))
}

/// The first page of a PDF as an RGB image at 60 dpi, through poppler's `pdftoppm`; `None`
/// (the test says it skipped) when pdftoppm is not installed.
fn first_page(pdf: &[u8]) -> Option<image::RgbImage> {
    if !crate::common::reader_available("pdftoppm") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(image::open(dir.path().join("page.png")).unwrap().to_rgb8())
}

/// The bounding box (x0, y0, x1, y1) of the pixels that `matches`, if any.
fn bounds(page: &image::RgbImage, matches: impl Fn(&Rgb<u8>) -> bool) -> Option<[u32; 4]> {
    let mut b: Option<[u32; 4]> = None;
    for (x, y, pixel) in page.enumerate_pixels() {
        if matches(pixel) {
            let r = b.get_or_insert([x, y, x, y]);
            *r = [r[0].min(x), r[1].min(y), r[2].max(x), r[3].max(y)];
        }
    }
    b
}

/// Whether a pixel has the window's avatar colour of `name` (give or take anti-aliasing).
fn colour_of(name: &str) -> impl Fn(&Rgb<u8>) -> bool {
    let c = rapport::ui::avatar::avatar_color(name);
    let want = [c.r(), c.g(), c.b()];
    move |p: &Rgb<u8>| {
        p.0.iter()
            .zip(want)
            .all(|(&have, want)| (i16::from(have) - i16::from(want)).abs() < 12)
    }
}

fn is_yellow(p: &Rgb<u8>) -> bool {
    p[0] > 200 && p[1] > 170 && p[2] < 90
}

#[test]
fn report_photo_pdf_of_a_contact_with_a_photo_draws_it_round_in_the_title_block() {
    each_world(|w| {
        let bytes = pdf(&w.store, &ReportRequest::new(ReportScope::Contact(w.maria)));
        assert!(pdf_has_image(&bytes), "an image XObject");
        let Some(page) = first_page(&bytes) else {
            return;
        };
        let [x0, y0, x1, y1] = bounds(&page, is_yellow).expect("the photo's yellow on page 1");
        let (width, height) = (x1 - x0 + 1, y1 - y0 + 1);
        // 40 pt at 60 dpi is 33 px: a sensible size, square, near the top left.
        assert!(
            (28..=38).contains(&width) && (28..=38).contains(&height),
            "{width}×{height}"
        );
        assert!(
            x0 < page.width() / 4 && y0 < page.height() / 4,
            "at {x0},{y0}"
        );
        // Round: the corners of its box are paper, its middle is photo.
        let centre = page.get_pixel((x0 + x1) / 2, (y0 + y1) / 2);
        assert!(is_yellow(centre), "{centre:?}");
        for (x, y) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
            let p = page.get_pixel(x, y);
            assert!(p.0.iter().all(|&c| c > 200), "corner {x},{y} is {p:?}");
        }
    });
}

#[test]
fn report_photo_pdf_of_a_contact_without_one_has_their_initials_on_the_windows_colour() {
    each_world(|w| {
        let bytes = pdf(&w.store, &ReportRequest::new(ReportScope::Contact(w.bob)));
        assert!(!pdf_has_image(&bytes), "no image without a photo");
        let Some(page) = first_page(&bytes) else {
            return;
        };
        let [x0, y0, x1, y1] =
            bounds(&page, colour_of("Bob Stone")).expect("the avatar's colour on page 1");
        let (width, height) = (x1 - x0 + 1, y1 - y0 + 1);
        assert!(
            (28..=38).contains(&width) && (28..=38).contains(&height),
            "{width}×{height}"
        );
        // White initials in the middle of the circle.
        let white = (x0..=x1)
            .flat_map(|x| (y0..=y1).map(move |y| (x, y)))
            .filter(|&(x, y)| page.get_pixel(x, y).0.iter().all(|&v| v > 200))
            .count();
        assert!(
            white > 30,
            "{white} white pixels: the initials and the corners"
        );
    });
}

#[test]
fn report_photo_a_groups_pdf_has_each_persons_avatar() {
    each_world(|w| {
        let mut request = ReportRequest::new(ReportScope::Organization(w.golden_crust));
        request.include_personal = true;
        let bytes = pdf(&w.store, &request);
        assert!(pdf_has_image(&bytes));
        let Some(page) = first_page(&bytes) else {
            return;
        };
        let maria = bounds(&page, is_yellow).expect("Maria's thumbnail");
        let bob = bounds(&page, colour_of("Bob Stone")).expect("Bob's initials");
        for [x0, y0, x1, y1] in [maria, bob] {
            // 14 pt at 60 dpi is 12 px, at the start of the person's line.
            assert!((9..=15).contains(&(x1 - x0 + 1)) && (9..=15).contains(&(y1 - y0 + 1)));
            assert!(x0 < page.width() / 8, "at {x0}");
        }
        // One under the other (Bob's name sorts first), apart.
        assert!(bob[3] < maria[1], "{bob:?} {maria:?}");
    });
}

/// A one-person report built from `photo`, as a crafted or damaged file could hold it.
fn report_with_photo(photo: ContactPhoto) -> TimelineReport {
    let request = ReportRequest::new(ReportScope::Contact(ContactId(1)));
    let data = ReportData {
        subject: "Maria García".into(),
        people: vec![ReportPerson {
            id: ContactId(1),
            display_name: "Maria García".into(),
            organization: String::new(),
            title: String::new(),
            personal: Some(Default::default()),
            photo: Some(photo),
        }],
        ..ReportData::default()
    };
    rapport::report::build(data, &request, at(NOW), "Rapport test")
}

#[test]
fn report_photo_that_is_no_png_or_jpeg_is_drawn_as_initials_and_the_report_still_written() {
    let svg = ContactPhoto {
        mime: "image/svg+xml".into(),
        bytes: br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec(),
    };
    let page = String::from_utf8(
        rapport::report::render(&report_with_photo(svg.clone()), ReportFormat::Html).unwrap(),
    )
    .unwrap();
    assert!(!page.contains("data:image") && !page.contains("svg"));
    assert!(page.contains(">MG</span>"));
    let pdf = rapport::report::render(&report_with_photo(svg), ReportFormat::Pdf).unwrap();
    assert!(!pdf_has_image(&pdf));
    // A PNG's signature over bytes that are no image: Typst cannot decode it, and the report
    // is laid out again with initials rather than failing.
    let mut broken = b"\x89PNG\r\n\x1a\n".to_vec();
    broken.extend_from_slice(&[7; 64]);
    let pdf = rapport::report::render(
        &report_with_photo(ContactPhoto {
            mime: "image/png".into(),
            bytes: broken,
        }),
        ReportFormat::Pdf,
    )
    .expect("written with initials");
    assert!(pdf.starts_with(b"%PDF"));
    // A picture far larger than any the store keeps (a crafted file's, which decoding would
    // spend memory on) is drawn as initials too.
    let mut huge = Cursor::new(Vec::new());
    DynamicImage::ImageLuma8(image::GrayImage::new(5000, 8))
        .write_to(&mut huge, ImageFormat::Png)
        .unwrap();
    let page = String::from_utf8(
        rapport::report::render(
            &report_with_photo(ContactPhoto {
                mime: "image/png".into(),
                bytes: huge.into_inner(),
            }),
            ReportFormat::Html,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(!page.contains("data:image") && page.contains(">MG</span>"));
}

#[test]
fn report_photo_markdown_and_csv_stay_text() {
    each_world(|w| {
        let request = ReportRequest::new(ReportScope::Contact(w.maria));
        for format in [ReportFormat::Markdown, ReportFormat::Csv] {
            let text = String::from_utf8(
                rapport::report::render(&report(&w.store, &request), format).unwrap(),
            )
            .unwrap();
            assert!(
                !text.contains("base64") && !text.contains("data:"),
                "{format:?}"
            );
        }
    });
}

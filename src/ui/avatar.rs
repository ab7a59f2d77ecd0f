//! Round avatars: the contact's photo clipped to a circle, or their initials on a colour that
//! comes from the name, so the same person has the same colour on every screen and every run.

/// Colours dark enough for white text in the light and the dark theme alike.
const AVATAR_COLORS: [egui::Color32; 10] = [
    egui::Color32::from_rgb(0xC6, 0x28, 0x28), // red
    egui::Color32::from_rgb(0xAD, 0x14, 0x57), // pink
    egui::Color32::from_rgb(0x6A, 0x1B, 0x9A), // purple
    egui::Color32::from_rgb(0x45, 0x27, 0xA0), // deep purple
    egui::Color32::from_rgb(0x28, 0x35, 0x93), // indigo
    egui::Color32::from_rgb(0x15, 0x65, 0xC0), // blue
    egui::Color32::from_rgb(0x00, 0x69, 0x5C), // teal
    egui::Color32::from_rgb(0x2E, 0x7D, 0x32), // green
    egui::Color32::from_rgb(0xBF, 0x36, 0x0C), // deep orange
    egui::Color32::from_rgb(0x4E, 0x34, 0x2E), // brown
];

/// "Ada Lovelace" → "AL", "Cher" → "C", "" → "?": the first letters of the first and the last
/// word, upper case.
pub fn initials(name: &str) -> String {
    let mut words = name
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()));
    let Some(first) = words.next() else {
        return "?".to_owned();
    };
    let mut out: String = first.to_uppercase().collect();
    if let Some(last) = words.next_back() {
        out.extend(last.to_uppercase());
    }
    out
}

/// The avatar colour of `name`: one of `AVATAR_COLORS`, from a stable hash (FNV-1a) of the
/// name, so it does not change between runs, platforms or Rust versions.
pub fn avatar_color(name: &str) -> egui::Color32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in name.trim().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    AVATAR_COLORS[hash as usize % AVATAR_COLORS.len()]
}

/// Paints an avatar of diameter `size` in `rect`'s centre: the texture clipped round, or the
/// name's initials in white on its colour.
pub fn paint_avatar(
    painter: &egui::Painter,
    rect: egui::Rect,
    name: &str,
    texture: Option<&egui::TextureHandle>,
) {
    let center = rect.center();
    let radius = rect.width().min(rect.height()) / 2.0;
    match texture {
        Some(texture) => {
            // A circle of the image: a fan of triangles whose corners carry the texture's
            // coordinates, the circle inscribed in the image's central square (a portrait
            // photo loses its top and bottom, not its proportions).
            let [w, h] = texture.size().map(|s| s.max(1) as f32);
            let side = w.min(h);
            let uv_radius = egui::vec2(side / w, side / h) * 0.5;
            let mut mesh = egui::Mesh::with_texture(texture.id());
            let uv_center = egui::pos2(0.5, 0.5);
            mesh.vertices.push(egui::epaint::Vertex {
                pos: center,
                uv: uv_center,
                color: egui::Color32::WHITE,
            });
            const SEGMENTS: u32 = 48;
            for i in 0..=SEGMENTS {
                let angle = i as f32 / SEGMENTS as f32 * std::f32::consts::TAU;
                let dir = egui::vec2(angle.cos(), angle.sin());
                mesh.vertices.push(egui::epaint::Vertex {
                    pos: center + dir * radius,
                    uv: uv_center + dir * uv_radius,
                    color: egui::Color32::WHITE,
                });
                if i > 0 {
                    mesh.add_triangle(0, i, i + 1);
                }
            }
            painter.add(egui::Shape::mesh(mesh));
        }
        None => {
            painter.circle_filled(center, radius, avatar_color(name));
            let font = egui::FontId::proportional((radius * 0.8).max(6.0));
            painter.text(
                center,
                egui::Align2::CENTER_CENTER,
                initials(name),
                font,
                egui::Color32::WHITE,
            );
        }
    }
}

/// The image files a contact's photo can come from, by their extension.
pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "gif", "webp"];

/// Whether `path` names an image by its extension (PNG, JPEG, GIF, WebP; any case).
pub fn is_image_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|i| i.eq_ignore_ascii_case(e)))
}

/// A round avatar of diameter `size` as a widget of its own (the header's).
pub fn avatar_ui(
    ui: &mut egui::Ui,
    name: &str,
    texture: Option<&egui::TextureHandle>,
    size: f32,
) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    if ui.is_rect_visible(rect) {
        paint_avatar(ui.painter(), rect, name, texture);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_files_by_extension() {
        use std::path::Path;
        assert!(is_image_file(Path::new("/tmp/maria.JPG")));
        assert!(is_image_file(Path::new("face.webp")));
        assert!(!is_image_file(Path::new("contacts.vcf")));
        assert!(!is_image_file(Path::new("png")));
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("ada king lovelace"), "AL");
        assert_eq!(initials("Cher"), "C");
        assert_eq!(initials(""), "?");
        assert_eq!(initials("   "), "?");
        assert_eq!(initials("  émile   zola "), "ÉZ");
        assert_eq!(initials("(Bob) Smith"), "BS");
        assert_eq!(initials("ольга петрова"), "ОП");
    }

    #[test]
    fn colour_is_stable_and_spread() {
        assert_eq!(avatar_color("Ada Lovelace"), avatar_color("Ada Lovelace"));
        assert_eq!(avatar_color("Ada Lovelace"), avatar_color(" Ada Lovelace "));
        assert!(AVATAR_COLORS.contains(&avatar_color("")));
        let names = [
            "Ada", "Bob", "Cleo", "Dan", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jo",
        ];
        let distinct: std::collections::HashSet<_> =
            names.iter().map(|n| avatar_color(n)).collect();
        assert!(
            distinct.len() >= 4,
            "{} colours for ten names",
            distinct.len()
        );
    }

    #[test]
    fn white_text_reads_on_every_colour() {
        // WCAG contrast of white on the colour is at least 4.5 : 1.
        fn linear(c: u8) -> f32 {
            let c = f32::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        for color in AVATAR_COLORS {
            let l = 0.2126 * linear(color.r())
                + 0.7152 * linear(color.g())
                + 0.0722 * linear(color.b());
            let contrast = 1.05 / (l + 0.05);
            assert!(contrast >= 4.5, "{color:?}: {contrast}");
        }
    }
}

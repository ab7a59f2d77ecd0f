//! Round avatars: the contact's photo clipped to a circle, or their initials on a colour that
//! comes from the name, so the same person has the same colour on every screen and every run.

pub use crate::model::avatar::initials;

/// The avatar colour of `name` (`model::avatar::avatar_rgb`, which the reports use too): the
/// same person has the same colour on every screen, in every report and on every run.
pub fn avatar_color(name: &str) -> egui::Color32 {
    let [r, g, b] = crate::model::avatar::avatar_rgb(name);
    egui::Color32::from_rgb(r, g, b)
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
    fn the_window_uses_the_reports_colour() {
        for name in ["Ada Lovelace", "Cher", "", "ольга петрова"] {
            let [r, g, b] = crate::model::avatar::avatar_rgb(name);
            assert_eq!(avatar_color(name), egui::Color32::from_rgb(r, g, b));
        }
    }
}

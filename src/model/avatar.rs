//! A contact's avatar when there is no photo: the name's initials on a colour that comes from
//! the name, so the same person has the same colour in the window (src/ui/avatar.rs) and in
//! every report, on every run. Pure: no egui, so the report renderers use it too.

/// Colours dark enough for white text in the light and the dark theme alike (and on paper).
pub const AVATAR_PALETTE: [[u8; 3]; 10] = [
    [0xC6, 0x28, 0x28], // red
    [0xAD, 0x14, 0x57], // pink
    [0x6A, 0x1B, 0x9A], // purple
    [0x45, 0x27, 0xA0], // deep purple
    [0x28, 0x35, 0x93], // indigo
    [0x15, 0x65, 0xC0], // blue
    [0x00, 0x69, 0x5C], // teal
    [0x2E, 0x7D, 0x32], // green
    [0xBF, 0x36, 0x0C], // deep orange
    [0x4E, 0x34, 0x2E], // brown
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

/// The avatar colour of `name` as RGB: one of `AVATAR_PALETTE`, from a stable hash (FNV-1a)
/// of the trimmed name, so it does not change between runs, platforms or Rust versions.
pub fn avatar_rgb(name: &str) -> [u8; 3] {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in name.trim().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    AVATAR_PALETTE[hash as usize % AVATAR_PALETTE.len()]
}

/// The avatar colour of `name` as CSS and Typst write it: `#c62828`.
pub fn avatar_hex(name: &str) -> String {
    let [r, g, b] = avatar_rgb(name);
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(avatar_rgb("Ada Lovelace"), avatar_rgb("Ada Lovelace"));
        assert_eq!(avatar_rgb("Ada Lovelace"), avatar_rgb(" Ada Lovelace "));
        assert!(AVATAR_PALETTE.contains(&avatar_rgb("")));
        let names = [
            "Ada", "Bob", "Cleo", "Dan", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jo",
        ];
        let distinct: std::collections::HashSet<_> = names.iter().map(|n| avatar_rgb(n)).collect();
        assert!(
            distinct.len() >= 4,
            "{} colours for ten names",
            distinct.len()
        );
    }

    #[test]
    fn hex_is_the_rgb() {
        let [r, g, b] = avatar_rgb("Maria García");
        let hex = avatar_hex("Maria García");
        assert_eq!(hex.len(), 7);
        assert_eq!(hex, format!("#{r:02x}{g:02x}{b:02x}"));
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
        for [r, g, b] in AVATAR_PALETTE {
            let l = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
            let contrast = 1.05 / (l + 0.05);
            assert!(contrast >= 4.5, "{r:02x}{g:02x}{b:02x}: {contrast}");
        }
    }
}

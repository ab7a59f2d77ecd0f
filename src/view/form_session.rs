//! What a form remembers about its own session, shared by the contact and conversation forms:
//! the buffers as they were opened (so Escape can tell whether anything was typed), whether it
//! is asking before it drops what was typed, and where the keyboard goes next.

/// One opening of a form.
#[derive(Debug, Clone)]
pub struct FormSession {
    /// The buffers as they were opened, as text.
    opened_as: String,
    /// Escape or Cancel was pressed with something typed: asking before closing.
    pub confirm_discard: bool,
    /// The first field is to get the keyboard (on opening, and after "Keep editing").
    pub focus_first: bool,
    /// The first frame has been drawn (the scroll starts at the top once).
    pub shown: bool,
}

impl FormSession {
    /// A new opening of a form whose buffers read `fingerprint`.
    pub fn opened_as(fingerprint: String) -> Self {
        Self {
            opened_as: fingerprint,
            confirm_discard: false,
            focus_first: true,
            shown: false,
        }
    }

    /// Whether the buffers (as `fingerprint`) differ from what was opened.
    pub fn is_dirty(&self, fingerprint: &str) -> bool {
        fingerprint != self.opened_as
    }
}

//! Turning model values into files people keep: calendar (ICS) now; timeline reports later.
//! No SQL, no egui.

pub mod ics;

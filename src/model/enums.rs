//! The closed vocabularies of Rapport. Each value has a stable storage name (never change it:
//! it is in users' databases) and a label for people.

use serde::{Deserialize, Serialize};

/// A storage name that is not one of the known values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{value}\" is not a known {kind}; use one of: {allowed}")]
pub struct ParseEnumError {
    pub kind: &'static str,
    pub value: String,
    pub allowed: String,
}

/// Defines a vocabulary: its values, stable storage names, labels and icons. The store keeps
/// them in SQLite columns by `as_str` (`store/sql_types.rs`; add a new vocabulary there too).
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $kind:literal, default $default:ident,
     { $($variant:ident => ($key:literal, $label:literal, $icon:literal)),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            #[default]
            $default,
            $($variant),*
        }

        impl $name {
            /// Every value, in the order menus show them.
            pub const ALL: &'static [$name] = &[$name::$default, $($name::$variant),*];

            /// The stable name stored in the database and used on the command line.
            pub fn as_str(self) -> &'static str {
                self.entry().0
            }

            /// The words shown to people.
            pub fn label(self) -> &'static str {
                self.entry().1
            }

            /// A glyph from egui's bundled fonts.
            pub fn icon(self) -> &'static str {
                self.entry().2
            }

            fn entry(self) -> (&'static str, &'static str, &'static str) {
                match self {
                    $($name::$variant => ($key, $label, $icon),)*
                    #[allow(unreachable_patterns)]
                    $name::$default => Self::default_entry(),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = ParseEnumError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                let wanted = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == wanted)
                    .ok_or_else(|| ParseEnumError {
                        kind: $kind,
                        value: text.to_owned(),
                        allowed: $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

vocabulary!(
    /// How a conversation happened. In-person channels build the most trust.
    Channel, "channel", default Call, {
        Visit => ("visit", "In-person visit", "🏠"),
        Meal => ("meal", "Meal", "🍴"),
        VideoCall => ("video_call", "Video call", "📹"),
        Email => ("email", "E-mail", "✉"),
        Text => ("text", "Text message", "💬"),
        Letter => ("letter", "Letter / card", "📨"),
        Event => ("event", "Event", "📅"),
        Note => ("note", "Note", "📝"),
    }
);

impl Channel {
    fn default_entry() -> (&'static str, &'static str, &'static str) {
        ("call", "Phone call", "📞")
    }

    /// Visits, meals and calls: the channels where people really listen to each other.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Channel::Visit | Channel::Meal | Channel::Call | Channel::VideoCall
        )
    }
}

vocabulary!(
    /// Why a conversation happened.
    Purpose, "purpose", default Relationship, {
        Sales => ("sales", "Sales", "💰"),
        Service => ("service", "Service", "🔧"),
    }
);

impl Purpose {
    fn default_entry() -> (&'static str, &'static str, &'static str) {
        ("relationship", "Relationship", "👥")
    }
}

vocabulary!(
    /// What became of a planned conversation.
    Outcome, "outcome", default Held, {
        NoShow => ("no_show", "No-show", "🚫"),
        TheyCancelled => ("they_cancelled", "They cancelled", "✖"),
        ICancelled => ("i_cancelled", "I cancelled", "✖"),
        Rescheduled => ("rescheduled", "Rescheduled", "🔁"),
        NoAnswer => ("no_answer", "No answer / left message", "📭"),
    }
);

impl Outcome {
    fn default_entry() -> (&'static str, &'static str, &'static str) {
        ("held", "Held", "✔")
    }
}

vocabulary!(
    /// Who reached out, or who made a promise.
    Initiator, "side", default Me, {
        Them => ("them", "They did", "⬅"),
    }
);

impl Initiator {
    fn default_entry() -> (&'static str, &'static str, &'static str) {
        ("me", "I did", "➡")
    }
}

vocabulary!(
    /// Where a relationship stands.
    Stage, "stage", default Prospect, {
        Customer => ("customer", "Customer", "💼"),
        Loyal => ("loyal", "Loyal customer", "⭐"),
        Friend => ("friend", "Friend", "❤"),
        Former => ("former", "Former", "⏸"),
    }
);

impl Stage {
    fn default_entry() -> (&'static str, &'static str, &'static str) {
        ("prospect", "Prospect", "🔭")
    }
}

vocabulary!(
    /// The state of a follow-up: kept, kept late, broken, or still open.
    FollowUpStatus, "follow-up status", default Open, {
        Done => ("done", "Done", "✔"),
        DoneLate => ("done_late", "Done late", "⌛"),
        Missed => ("missed", "Missed", "❌"),
        Cancelled => ("cancelled", "Cancelled", "✖"),
    }
);

impl FollowUpStatus {
    fn default_entry() -> (&'static str, &'static str, &'static str) {
        ("open", "Open", "☐")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_storage_name() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>().unwrap(), *c);
        }
        for o in Outcome::ALL {
            assert_eq!(o.as_str().parse::<Outcome>().unwrap(), *o);
        }
        assert_eq!("No-Show".parse::<Outcome>().unwrap(), Outcome::NoShow);
        assert_eq!("video call".parse::<Channel>().unwrap(), Channel::VideoCall);
        let err = "fax".parse::<Channel>().unwrap_err();
        assert!(err.to_string().contains("visit"), "{err}");
    }
}

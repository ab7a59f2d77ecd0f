//! Typed ids, so a contact id can never be passed where a conversation id is expected. How they
//! are stored in SQLite columns is the store's business (`store/sql_types.rs`).

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

typed_id!(
    /// Identifies a contact (a person).
    ContactId,
    /// Identifies an organization.
    OrganizationId,
    /// Identifies a conversation.
    InteractionId,
    /// Identifies a follow-up or promise.
    FollowUpId,
    /// Identifies a life event.
    LifeEventId,
    /// Identifies one import run, so it can be undone as a whole.
    ImportBatchId,
);

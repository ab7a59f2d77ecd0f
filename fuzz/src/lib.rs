//! The pure parts of Rapport the fuzz targets exercise, compiled from the main crate's own source
//! files: `model` (domain types, birthdays) and `import` (bytes → contact drafts). Their
//! `crate::model::…` paths resolve inside this crate, so nothing of the window is built.

#[path = "../../src/model/mod.rs"]
pub mod model;

#[path = "../../src/import/mod.rs"]
pub mod import;

use import::ParsedFile;

/// Checks what every successful parse must hold, whatever the input: each contact has a name
/// to show (the draft's own effective name), row numbers point into the file, e-mails were
/// checked for `@` and lower-cased, and reported problems name a row that exists.
pub fn check_parsed(parsed: &ParsedFile) {
    let rows = parsed
        .table
        .as_ref()
        .map(|t| t.rows.len())
        .unwrap_or(usize::MAX);
    let mut previous_row = 0;
    for contact in &parsed.contacts {
        let draft = &contact.draft;
        assert!(
            !draft.display_name.trim().is_empty(),
            "row {} has an empty display name: {draft:?}",
            contact.row
        );
        assert_eq!(draft.display_name, draft.effective_display_name());
        assert!(draft.validate().is_ok(), "{:?}", draft.validate());
        assert!(
            contact.row >= 1 && contact.row <= rows,
            "row {} of {rows}",
            contact.row
        );
        assert!(contact.row > previous_row, "rows out of order");
        previous_row = contact.row;
        for email in &draft.emails {
            assert!(email.address.contains('@'), "{email:?}");
            assert_eq!(email.address, email.address.to_lowercase());
        }
        if let Some(birthday) = draft.birthday {
            assert_eq!(
                model::Birthday::parse(&birthday.to_string()),
                Some(birthday),
                "a stored birthday must read back"
            );
        }
    }
    for problem in &parsed.problems {
        assert!(!problem.message.trim().is_empty());
        assert!(problem.row <= rows, "problem row {} of {rows}", problem.row);
    }
    // The problems CSV (offered as a download) must be buildable for anything that parsed.
    let _ = import::problems_csv(parsed);
}

/// A sentence for the user: non-empty and not a debug dump.
pub fn check_error(message: &str) {
    assert!(!message.trim().is_empty(), "empty error message");
    assert!(
        message.chars().next().is_some_and(char::is_uppercase),
        "{message}"
    );
}

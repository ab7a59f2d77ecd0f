//! CSV bytes through the real entry point, then the mapping applied again (as the import dialog
//! does when a column is changed): the same contacts must come out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rapport_fuzz::{check_error, check_parsed, import};

fuzz_target!(|bytes: &[u8]| {
    match import::parse_file(bytes, "contacts.csv", "GB", |_| None) {
        Ok(parsed) => {
            check_parsed(&parsed);
            if parsed.table.is_some() {
                let mut again = parsed.clone();
                again.remap(parsed.mapping.clone(), "GB");
                assert_eq!(again.contacts, parsed.contacts, "remap is deterministic");
                assert_eq!(again.problems, parsed.problems);
            }
        }
        Err(message) => check_error(&message),
    }
});

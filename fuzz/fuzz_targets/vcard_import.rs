//! vCard bytes through the real entry point (a `.vcf` name, so it is always read as vCard).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rapport_fuzz::{check_error, check_parsed, import};

fuzz_target!(|bytes: &[u8]| {
    match import::parse_file(bytes, "contacts.vcf", "US", |_| None) {
        Ok(parsed) => {
            assert_eq!(parsed.format, import::Format::VCard);
            assert!(parsed.table.is_none());
            check_parsed(&parsed);
        }
        Err(message) => check_error(&message),
    }
});

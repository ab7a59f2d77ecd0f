//! Phone normalization to E.164. The first byte picks the region (as the user's setting would);
//! the rest is the number as written. What comes out is either the number as written (trimmed)
//! or `+` and digits (at most 17: libphonenumber's limit for country code plus national number,
//! which some German numbers use beyond E.164's 15), and normalizing it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rapport_fuzz::import::normalize_phone;

const REGIONS: &[&str] = &[
    "GB", "US", "DE", "FR", "JP", "IN", "BR", "AU", "gb", "", "XX", "001",
];

fuzz_target!(|bytes: &[u8]| {
    let Some((&selector, rest)) = bytes.split_first() else {
        return;
    };
    let Ok(raw) = std::str::from_utf8(rest) else {
        return;
    };
    let region = REGIONS[selector as usize % REGIONS.len()];
    let number = normalize_phone(raw, region);
    if number != raw.trim() {
        let digits = number
            .strip_prefix('+')
            .unwrap_or_else(|| panic!("{number:?}"));
        assert!(
            (1..=17).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()),
            "not E.164: {number:?} from {raw:?}"
        );
    }
    assert_eq!(
        normalize_phone(&number, region),
        number,
        "from {raw:?} in {region}"
    );
});

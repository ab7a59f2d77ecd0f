//! Birthday parsing: `Birthday::parse` (what the store reads back) and the importer's
//! `parse_birthday` (every form exports use). A birthday either side accepts must format to
//! text that parses back to itself, and must have a next occurrence.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rapport_fuzz::import::parse_birthday;
use rapport_fuzz::model::Birthday;

fn check(birthday: Birthday) {
    let text = birthday.to_string();
    assert_eq!(Birthday::parse(&text), Some(birthday), "{text}");
    assert_eq!(parse_birthday(&text), Ok(Some(birthday)), "{text}");
    assert_eq!(
        Birthday::new(birthday.year, birthday.month, birthday.day),
        Some(birthday)
    );
    for today in [(2024, 2, 29), (2025, 12, 31), (2026, 1, 1)] {
        let today = NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap();
        assert!(birthday.next_on_or_after(today) >= today);
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Some(birthday) = Birthday::parse(text) {
        check(birthday);
    }
    match parse_birthday(text) {
        Ok(Some(birthday)) => check(birthday),
        Ok(None) => {}
        Err(message) => assert!(message.contains("is not a birthday"), "{message}"),
    }
});

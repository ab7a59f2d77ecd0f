//! Unit tests of the pieces; the files people export are read in `tests/meetings_reader_tests.rs`.

use super::*;

fn opts() -> MeetingOptions {
    MeetingOptions::new(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())
        .in_zone(LocalZone::named("Europe/Berlin").unwrap())
}

fn cal(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{body}END:VCALENDAR\r\n")
}

#[test]
fn a_customized_vtimezone_is_read_by_its_rules() {
    let text = cal(
        "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Customized Time Zone:20250115T100000\r\nDTEND;TZID=Customized Time Zone:20250115T110000\r\nSUMMARY:Winter\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART;TZID=Customized Time Zone:20250715T100000\r\nSUMMARY:Summer\r\nEND:VEVENT\r\n",
    );
    let opts = opts().in_zone(LocalZone::named("UTC").unwrap());
    let found = read_ics(text.as_bytes(), &opts).unwrap();
    let at: Vec<String> = found.iter().map(|c| c.occurred_at.to_string()).collect();
    assert_eq!(at, ["2025-01-15 09:00:00", "2025-07-15 08:00:00"]);
    assert_eq!(found[0].duration_minutes, Some(60));
}

#[test]
fn a_time_skipped_by_the_clock_change_is_read_an_hour_later() {
    let text = cal(
        "BEGIN:VEVENT\r\nUID:gap\r\nDTSTART;TZID=Europe/Berlin:20250330T023000\r\nSUMMARY:Gap\r\nEND:VEVENT\r\n",
    );
    let found = read_ics(text.as_bytes(), &opts()).unwrap();
    assert_eq!(found[0].occurred_at.to_string(), "2025-03-30 03:30:00");
}

#[test]
fn no_uid_gives_the_same_made_up_reference_each_time() {
    let text = cal("BEGIN:VEVENT\r\nDTSTART:20250101T100000Z\r\nSUMMARY:No uid\r\nEND:VEVENT\r\n");
    let first = read_ics(text.as_bytes(), &opts()).unwrap();
    let again = read_ics(text.as_bytes(), &opts()).unwrap();
    assert!(first[0].source_ref.starts_with("ics:no-uid-"));
    assert_eq!(first[0].source_ref, again[0].source_ref);
}

#[test]
fn knows_calendar_files_by_name_or_first_line() {
    assert!(is_calendar(Path::new("a.ICS"), b""));
    assert!(is_calendar(
        Path::new("export"),
        b"\xEF\xBB\xBF\r\nBEGIN:VCALENDAR\r\n"
    ));
    assert!(!is_calendar(Path::new("a.vcf"), b"BEGIN:VCARD\r\n"));
}

#[test]
fn odd_rules_and_lengths_keep_the_first_date_and_no_silly_duration() {
    let read = |body: &str| {
        let text = cal(&format!(
            "BEGIN:VEVENT\r\nUID:x\r\n{body}\r\nEND:VEVENT\r\n"
        ));
        read_ics(text.as_bytes(), &opts()).unwrap()
    };
    // A rule that never matches (31 February), and one ending before it starts.
    for rule in [
        "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2",
        "FREQ=WEEKLY;UNTIL=20200101T000000Z",
    ] {
        let found = read(&format!("DTSTART:20250101T100000Z\r\nRRULE:{rule}"));
        let refs: Vec<&str> = found.iter().map(|c| c.source_ref.as_str()).collect();
        assert_eq!(refs, ["ics:x#20250101T100000Z"], "{rule}");
    }
    // Every second: the cap, not the machine, decides.
    let found = read("DTSTART:20250601T100000Z\r\nRRULE:FREQ=SECONDLY");
    assert_eq!(found.len(), MAX_PER_SERIES);
    // An end before the start, and a length of years, say nothing about how long it took.
    for end in ["DTEND:20240101T100000Z", "DURATION:P99999W", "DURATION:P3D"] {
        let found = read(&format!("DTSTART:20250101T100000Z\r\n{end}"));
        assert_eq!(found[0].duration_minutes, None, "{end}");
    }
    let found = read("DTSTART:20250101T100000Z\r\nDURATION:PT1H30M");
    assert_eq!(found[0].duration_minutes, Some(90));
}

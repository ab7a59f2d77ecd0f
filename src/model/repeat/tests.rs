//! The repeat rules' dates: month ends, leap years, clock changes, counts and ends.
use super::*;

pub(super) fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Tuesday 7 July 2026.
pub(super) fn tuesday() -> NaiveDate {
    day("2026-07-07")
}

pub(super) fn repeat(text: &str, first: NaiveDate) -> Repeat {
    Repeat::parse(text, first, None, None).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The first `n` dates of the series, as text.
pub(super) fn dates(repeat: &Repeat, first: NaiveDate, n: u32) -> Vec<String> {
    (0..n)
        .map_while(|done| repeat.next(first, done, None))
        .map(|date| date.to_string())
        .collect()
}

#[test]
fn a_monthly_series_from_a_month_s_last_day_stays_on_the_last_day() {
    for first in ["2027-01-31", "2026-04-30", "2027-02-28"] {
        let repeat = repeat("every month", day(first));
        assert_eq!(
            repeat.rrule_value(),
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "{first}"
        );
        assert_eq!(repeat.describe(), "every month on the last day");
    }
    let repeat = repeat("monthly", day("2027-01-31"));
    let from_january = dates(&repeat, day("2027-01-31"), 4);
    assert_eq!(
        from_january,
        ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
    );
    let from_april = dates(&repeat, day("2026-04-30"), 3);
    assert_eq!(from_april, ["2026-04-30", "2026-05-31", "2026-06-30"]);
}

#[test]
fn a_monthly_series_on_the_29th_or_30th_falls_back_to_a_shorter_month_s_last_day() {
    let thirtieth = repeat("every month", day("2027-01-30"));
    assert_eq!(
        thirtieth.rrule_value(),
        "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"
    );
    let words = "every month on the 30th, or the last day of shorter months";
    assert_eq!(thirtieth.describe(), words);
    let from_january = dates(&thirtieth, day("2027-01-30"), 4);
    assert_eq!(
        from_january,
        ["2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30"]
    );
    let twenty_ninth = repeat("every month on the 29th", day("2028-01-29"));
    assert_eq!(
        twenty_ninth.rrule_value(),
        "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1"
    );
    let leap = dates(&twenty_ninth, day("2028-01-29"), 3);
    assert_eq!(leap, ["2028-01-29", "2028-02-29", "2028-03-29"]);
    let other_year = twenty_ninth.next(day("2029-01-29"), 1, None);
    assert_eq!(other_year, Some(day("2029-02-28")));
    let thirty_first = repeat("every month on the 31st", day("2027-01-05"));
    assert_eq!(thirty_first.rrule_value(), "FREQ=MONTHLY;BYMONTHDAY=-1");
}

#[test]
fn a_yearly_series_from_29_february_is_on_28_february_in_other_years() {
    let leap = repeat("every year", day("2028-02-29"));
    assert_eq!(leap.rrule_value(), "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1");
    assert_eq!(leap.describe(), "every year on the last day of February");
    assert_eq!(
        dates(&leap, day("2028-02-29"), 5),
        [
            "2028-02-29",
            "2029-02-28",
            "2030-02-28",
            "2031-02-28",
            "2032-02-29"
        ]
    );
    let named = repeat("every year on 29 Feb", tuesday());
    assert_eq!(named.rrule_value(), leap.rrule_value());
    assert_eq!(named.next(tuesday(), 0, None), Some(day("2027-02-28")));
}

#[test]
fn weekly_dates_keep_their_weekday_across_daylight_saving_changes() {
    // The US changes on 8 March 2026, the EU on 29 March and 25 October.
    let first = day("2026-03-03");
    let weekly = repeat("every week", first);
    let all: Vec<NaiveDate> = (0..40)
        .filter_map(|n| weekly.next(first, n, None))
        .collect();
    assert_eq!(all.len(), 40);
    assert!(all.iter().all(|date| date.weekday() == Weekday::Tue));
    assert!(
        all.windows(2)
            .all(|pair| (pair[1] - pair[0]).num_days() == 7)
    );
    for expected in ["2026-03-10", "2026-03-31", "2026-10-27"] {
        assert!(all.contains(&day(expected)), "{expected}");
    }
    let sundays = repeat("every Sunday", day("2026-03-01"));
    assert_eq!(
        dates(&sundays, day("2026-03-01"), 5),
        [
            "2026-03-01",
            "2026-03-08",
            "2026-03-15",
            "2026-03-22",
            "2026-03-29"
        ]
    );
    let october = day("2026-10-18");
    assert_eq!(sundays.next(october, 1, None), Some(day("2026-10-25")));
}

#[test]
fn count_includes_the_first_date_and_until_is_inclusive() {
    let three = repeat("every week, 3 times", tuesday());
    assert_eq!(three.count(), Some(3));
    let expected = ["2026-07-07", "2026-07-14", "2026-07-21"];
    assert_eq!(dates(&three, tuesday(), 5), expected);
    assert_eq!(three.next(tuesday(), 3, None), None);
    let until = repeat("every week until 21 July 2026", tuesday());
    assert_eq!(until.until(), Some(day("2026-07-21")));
    assert_eq!(dates(&until, tuesday(), 5), expected);
}

#[test]
fn a_follow_up_done_late_moves_to_the_rule_s_next_date() {
    let fortnightly = repeat("every other Tuesday", tuesday());
    // 7 Jul, 21 Jul, 4 Aug, 18 Aug: the second was done on 1 August.
    let after = Some(day("2026-08-01"));
    assert_eq!(
        fortnightly.next(tuesday(), 2, after),
        Some(day("2026-08-04"))
    );
    assert_eq!(
        fortnightly.next(tuesday(), 1, after),
        Some(day("2026-08-04"))
    );
    let on_a_date = Some(day("2026-08-04"));
    assert_eq!(
        fortnightly.next(tuesday(), 2, on_a_date),
        Some(day("2026-08-18"))
    );
    let six = repeat("every other Tuesday, 6 times", tuesday());
    assert_eq!(six.describe(), "every other Tuesday, 6 times");
    assert_eq!(six.next(tuesday(), 5, None), Some(day("2026-09-15")));
    assert_eq!(six.next(tuesday(), 6, None), None, "after the last one");
    assert_eq!(six.next(tuesday(), 1, Some(day("2026-09-15"))), None);
}

#[test]
fn a_rule_naming_other_days_than_the_first_starts_on_its_own_next_date() {
    let thursday = day("2026-07-09");
    let tuesdays = repeat("every Tuesday", thursday);
    assert_eq!(tuesdays.next(thursday, 0, None), Some(day("2026-07-14")));
    let other = repeat("every other Tuesday", thursday);
    assert_eq!(dates(&other, thursday, 2), ["2026-07-14", "2026-07-28"]);
    let june = repeat("the third Sunday of June", thursday);
    assert_eq!(dates(&june, thursday, 2), ["2027-06-20", "2028-06-18"]);
    let mondays = repeat("the first Monday of every month", thursday);
    assert_eq!(dates(&mondays, thursday, 2), ["2026-08-03", "2026-09-07"]);
    let fridays = repeat("the last Friday of the month", thursday);
    assert_eq!(dates(&fridays, thursday, 2), ["2026-07-31", "2026-08-28"]);
    let friday = day("2026-07-10");
    let weekdays = repeat("every weekday", friday);
    assert_eq!(
        dates(&weekdays, friday, 3),
        ["2026-07-10", "2026-07-13", "2026-07-14"]
    );
}

#[test]
fn the_end_given_beside_the_words_wins_and_a_series_ends_one_way() {
    let until = Some(day("2026-12-31"));
    let given = Repeat::parse("every week for 6 times", tuesday(), until, None).unwrap();
    assert_eq!(given.rrule_value(), "FREQ=WEEKLY;UNTIL=20261231");
    let counted = Repeat::parse("weekly until 2027-01-01", tuesday(), None, Some(4)).unwrap();
    assert_eq!(counted.rrule_value(), "FREQ=WEEKLY;COUNT=4");
    let both = Repeat::parse("every week", tuesday(), until, Some(4)).unwrap_err();
    assert!(both.contains("not both"), "{both}");
    let early = Repeat::parse("every week until 1 Jan 2026", tuesday(), None, None);
    assert!(early.unwrap_err().contains("before its first date"));
    let zero = Repeat::parse("every week", tuesday(), None, Some(0)).unwrap_err();
    assert!(zero.contains("at least once"), "{zero}");
}

#[test]
fn a_stored_rule_rapport_would_not_write_is_refused() {
    for value in [
        "FREQ=HOURLY",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYHOUR=9",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=MONTHLY;BYDAY=5MO",
        "FREQ=DAILY;COUNT=3;UNTIL=20270101",
        "FREQ=DAILY;UNTIL=20270101T000000Z",
        "FREQ=DAILY;FREQ=WEEKLY",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "DTSTART:20260707\nRRULE:FREQ=DAILY",
        "",
    ] {
        let message = Repeat::from_rrule(value).unwrap_err();
        assert!(message.starts_with("The repeat"), "{value}: {message}");
    }
    let read = Repeat::from_rrule("RRULE:freq=weekly;byday=th,mo;interval=1").unwrap();
    assert_eq!(read.rrule_value(), "FREQ=WEEKLY;BYDAY=MO,TH");
}

#[test]
fn a_repeat_is_saved_as_its_rrule_value() {
    let repeat = repeat("every other Tuesday", tuesday());
    let json = serde_json::to_string(&repeat).unwrap();
    assert_eq!(json, "\"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU\"");
    assert_eq!(serde_json::from_str::<Repeat>(&json).unwrap(), repeat);
    assert!(serde_json::from_str::<Repeat>("\"FREQ=SECONDLY\"").is_err());
}

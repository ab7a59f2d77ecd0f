//! When a promise says it is due: "Send a quote by Thursday", "call back tomorrow at 15:00",
//! "in 3 days", "end of the month", "12 Dec". The follow-up offer starts from this date instead
//! of always tomorrow; the user can still change it. The same words, and times, are what a
//! person may type into a due field (`parse_typed_due`). Pure: `today` is passed in.

use chrono::{Datelike, Duration, Month, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// The due day (and time, when one is named) a promise's words point to, the first date
/// expression in the text winning. `None` when the text names no day.
///
/// A weekday alone ("by Thursday", "on Friday") is the next one strictly after today — said
/// on a Thursday, "by Thursday" means a week later; "today" says today. "Next Monday" is the
/// Monday of next week. A day and month without a year ("12 Dec", "Dec 12") is the next such
/// day on or after today.
pub fn due_from_text(text: &str, today: NaiveDate) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let words = words_of(text);
    let day = (0..words.len()).find_map(|i| day_at(&words, i, today))?;
    Some((day, time_in(&words)))
}

const TYPE_A_DAY: &str = "Type a day, such as \"Friday\" or \"in 2 weeks\".";

/// What a person types into a due field: the whole text must be a day, a time, or both
/// ("Friday", "tomorrow 15:00", "in 2 weeks", "12 Dec 2027", "2026-12-12 09:30"), or `Err` with
/// a sentence saying what works. Days mean what they mean in `due_from_text` (typed on a
/// Friday, "Friday" is a week later). A time alone is today's while it is still ahead, else
/// tomorrow's. "12/12" is refused: day first or month first is a guess.
pub fn parse_typed_due(
    text: &str,
    now: NaiveDateTime,
) -> Result<(NaiveDate, Option<NaiveTime>), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TYPE_A_DAY.to_owned());
    }
    if let Some(message) = slashed(text, now.date()) {
        return Err(message);
    }
    let words: Vec<String> = words_of(text)
        .into_iter()
        .map(|word| match word.as_str() {
            // Alone in a field, these are days ("sat" in a promise is "sat down").
            "sat" => "saturday".to_owned(),
            "sun" => "sunday".to_owned(),
            _ => word,
        })
        .collect();
    let unknown = || {
        format!(
            "\"{text}\" is not a day Rapport understands; try \"Friday\", \"tomorrow 15:00\", \
             \"in 2 weeks\" or \"12 Dec\"."
        )
    };
    match typed_parts(&words, now.date())?.ok_or_else(unknown)? {
        (Some(day), time) => Ok((day, time)),
        (None, Some(time)) if time > now.time() => Ok((now.date(), Some(time))),
        (None, Some(time)) => Ok((now.date().succ_opt().ok_or_else(unknown)?, Some(time))),
        (None, None) => Err(unknown()),
    }
}

type TypedParts = (Option<NaiveDate>, Option<NaiveTime>);

/// The day and the time the words name, each at most once, with only small words between
/// ("at", "on", "by"); `None` when a word is neither.
fn typed_parts(words: &[String], today: NaiveDate) -> Result<Option<TypedParts>, String> {
    let (mut day, mut time, mut i) = (None, None, 0);
    while i < words.len() {
        if day.is_none()
            && let Some((date, len)) = typed_day(words, i, today)?
        {
            (day, i) = (Some(date), i + len);
        } else if time.is_none()
            && let Some((clock, len)) = typed_time(words, i)
        {
            let clock = clock.ok_or_else(|| {
                format!(
                    "\"{}\" is not a time of day; type one from 00:00 to 23:59, such as \
                     \"15:00\" or \"3pm\".",
                    words[i..i + len].join(" ")
                )
            })?;
            (time, i) = (Some(clock), i + len);
        } else if filler(words, i) {
            i += 1;
        } else {
            return Ok(None);
        }
    }
    Ok(Some((day, time)))
}

/// A day at word `i`, with a year after a day and month ("12 Dec 2027"); `Err` for a day and
/// month no year has ("31 Apr") or that this year lacks ("29 Feb 2027").
fn typed_day(
    words: &[String],
    i: usize,
    today: NaiveDate,
) -> Result<Option<(NaiveDate, usize)>, String> {
    let pair = day_month_at(words, i).filter(|_| !words[i].contains('-'));
    let named = |(day, month): (u32, u32)| {
        let month = Month::try_from(u8::try_from(month).unwrap_or(0)).map_or("", |m| m.name());
        format!("{day} {month}")
    };
    let Some((date, len)) = day_span(words, i, today) else {
        return match pair {
            Some(pair) => Err(format!("There is no {}.", named(pair))),
            None => Ok(None),
        };
    };
    let year = words.get(i + 2).filter(|w| w.len() == 4);
    match (pair, year.and_then(|y| y.parse::<i32>().ok())) {
        (Some((day, month)), Some(year)) if len == 2 => NaiveDate::from_ymd_opt(year, month, day)
            .map(|date| Some((date, 3)))
            .ok_or_else(|| format!("There is no {} {year}.", named((day, month)))),
        _ => Ok(Some((date, len))),
    }
}

fn typed_time(words: &[String], i: usize) -> Option<(Option<NaiveTime>, usize)> {
    match words[i].as_str() {
        "noon" | "midday" => Some((NaiveTime::from_hms_opt(12, 0, 0), 1)),
        _ => time_at(words, i),
    }
}

/// Small words a typed due may have around its day and time: "on Friday at 3pm", "by the end
/// of the month", "next Tuesday", "the day after tomorrow".
fn filler(words: &[String], i: usize) -> bool {
    let next = words.get(i + 1).map(String::as_str);
    match words[i].as_str() {
        "at" | "on" | "by" | "due" | "this" => true,
        "next" => next.and_then(weekday_of).is_some(),
        "the" => matches!(next, Some("day" | "end")),
        "day" => next == Some("after") && words.get(i + 2).is_some_and(|w| w == "tomorrow"),
        "after" => next == Some("tomorrow") && i > 0 && words[i - 1] == "day",
        _ => false,
    }
}

/// "12/12" or "3/4/2027": refused with the day-first reading spelled out, or `None` when the
/// text has no such date.
fn slashed(text: &str, today: NaiveDate) -> Option<String> {
    let word = text.split_whitespace().find(|w| w.contains('/'))?;
    let mut numbers = word.split('/').map(|part| part.parse::<u32>().ok());
    let (first, second) = (numbers.next()??, numbers.next()??);
    let date = on_or_after(today, second, first).or_else(|| on_or_after(today, first, second));
    Some(match date {
        Some(date) => format!(
            "\"{word}\" could be day first or month first; type \"{}\" or {}.",
            date.format("%-d %b"),
            date.format("%Y-%m-%d")
        ),
        None => format!("\"{word}\" is not a date; type one such as \"12 Dec\" or 2026-12-12."),
    })
}

/// Lowercase words, split on anything but letters, digits, ':' and '-' (for 15:30 and ISO
/// dates); a trailing '.' or ',' never sticks to a word.
fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == ':' || c == '-'))
        .map(|w| w.trim_matches('-').to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The day named by the words starting at `i`, if they start a date expression.
fn day_at(words: &[String], i: usize, today: NaiveDate) -> Option<NaiveDate> {
    day_span(words, i, today).map(|(day, _)| day)
}

/// The day named by the words starting at `i`, and how many words name it ("next" before a
/// weekday and "day after" before "tomorrow" are read from the words before `i`).
fn day_span(words: &[String], i: usize, today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let word = words[i].as_str();
    if let Ok(date) = NaiveDate::parse_from_str(word, "%Y-%m-%d") {
        return Some((date, 1));
    }
    if let Some(found) = keyword_day(words, i, today) {
        return Some(found);
    }
    if let Some(weekday) = weekday_of(word) {
        return Some(if i > 0 && words[i - 1] == "next" {
            (
                monday_of(today) + Duration::weeks(1) + days_from_monday(weekday),
                1,
            )
        } else {
            (first_after(today, weekday), 1)
        });
    }
    let (day, month) = day_month_at(words, i)?;
    Some((on_or_after(today, month, day)?, 2))
}

/// "today", "tomorrow", "in 3 days", "end of the month", "next week", with their length.
fn keyword_day(words: &[String], i: usize, today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let next = |k: usize| words.get(i + k).map(String::as_str);
    match words[i].as_str() {
        "today" | "tonight" | "eod" => Some((today, 1)),
        "tomorrow" => {
            let after = i >= 2 && words[i - 2] == "day" && words[i - 1] == "after";
            Some((today + Duration::days(if after { 2 } else { 1 }), 1))
        }
        "in" => Some((in_so_many(next(1)?, next(2)?, today)?, 3)),
        "end" => {
            // "end of the month", "end of next week": the unit within the next three words.
            let after = &words[i + 1..words.len().min(i + 4)];
            let at = after
                .iter()
                .position(|w| matches!(w.as_str(), "week" | "month" | "day"))?;
            let from = match (after.iter().any(|w| w == "next"), after[at].as_str()) {
                (true, "week") => monday_of(today) + Duration::weeks(1),
                (true, "month") => today.with_day(1)?.checked_add_months(Months::new(1))?,
                _ => today,
            };
            Some((end_of(&after[at], from)?, at + 2))
        }
        "next" => match next(1)? {
            "week" => Some((monday_of(today) + Duration::weeks(1), 2)),
            "month" => Some((today.with_day(1)?.checked_add_months(Months::new(1))?, 2)),
            _ => None,
        },
        _ => None,
    }
}

/// "12 Dec" or "Dec 12" at `i`: the day and the month.
fn day_month_at(words: &[String], i: usize) -> Option<(u32, u32)> {
    let (word, next) = (words[i].as_str(), words.get(i + 1)?.as_str());
    match (day_number(word), month_of(next)) {
        (Some(day), Some(month)) => Some((day, month)),
        _ => Some((day_number(next)?, month_of(word)?)),
    }
}

/// "in 3 days", "in a week", "in two weeks", "in 1 month", "in a year" (from 29 February:
/// 28 February; a month from 31 January: February's last day).
fn in_so_many(count: &str, unit: &str, today: NaiveDate) -> Option<NaiveDate> {
    let n = number_of(count)?;
    match unit.trim_end_matches('s') {
        "day" => Some(today + Duration::days(n.into())),
        "week" => Some(today + Duration::weeks(n.into())),
        "month" => today.checked_add_months(Months::new(n)),
        "year" => today.checked_add_months(Months::new(n.checked_mul(12)?)),
        _ => None,
    }
}

/// "end of the week" (its Friday, or the next one once it is past), "end of the month" (its
/// last day), "end of (the) day" (today).
fn end_of(unit: &str, today: NaiveDate) -> Option<NaiveDate> {
    match unit {
        "week" => {
            let friday = monday_of(today) + Duration::days(4);
            Some(if friday >= today {
                friday
            } else {
                friday + Duration::weeks(1)
            })
        }
        "month" => today
            .with_day(1)?
            .checked_add_months(Months::new(1))?
            .pred_opt(),
        _ => Some(today),
    }
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday().into())
}

fn days_from_monday(weekday: Weekday) -> Duration {
    Duration::days(weekday.num_days_from_monday().into())
}

/// The first `weekday` strictly after `today` (one to seven days on).
fn first_after(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today + Duration::days(if ahead == 0 { 7 } else { ahead.into() })
}

/// Day `day` of `month` this year, or the next year that has it once it has passed (29
/// February waits for a leap year); `None` for 31 April.
fn on_or_after(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    (today.year()..=today.year() + 8)
        .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
        .find(|date| *date >= today)
}

pub(super) fn weekday_of(word: &str) -> Option<Weekday> {
    // "sat" and "sun" are ordinary words too ("sat down", "the sun"): full names only there.
    Some(match word {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

pub(super) fn month_of(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = if word == "sept" { "sep" } else { word };
    MONTHS
        .iter()
        .position(|m| word.len() >= 3 && m.starts_with(word))
        .map(|index| index as u32 + 1)
}

/// A day of the month: "12", "12th", "1st".
pub(super) fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A small count in digits or words: "3", "a", "two".
pub(super) fn number_of(word: &str) -> Option<u32> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    match word {
        "a" | "an" => Some(1),
        _ => word.parse().ok().filter(|n| *n <= 366).or_else(|| {
            WORDS
                .iter()
                .position(|w| *w == word)
                .map(|index| index as u32 + 1)
        }),
    }
}

/// The time named in the words: "15:00", "3pm", "3:30 pm", "at 3 pm", "at 9".
fn time_in(words: &[String]) -> Option<NaiveTime> {
    (0..words.len()).find_map(|i| time_at(words, i)?.0)
}

/// A time starting at word `i` and how many words it takes ("3 pm" is two); the time is `None`
/// when it is shaped like one but is not a time of day ("25:00").
fn time_at(words: &[String], i: usize) -> Option<(Option<NaiveTime>, usize)> {
    let word = words[i].as_str();
    let after = words.get(i + 1).map(String::as_str);
    let meridiem = |w: &str| match w {
        "am" | "a" => Some(false),
        "pm" | "p" => Some(true),
        _ => None,
    };
    let (clock, pm, len) = if let Some(clock) = word.strip_suffix("pm") {
        (clock, Some(true), 1)
    } else if let Some(clock) = word.strip_suffix("am") {
        (clock, Some(false), 1)
    } else {
        let pm = after.and_then(meridiem);
        (word, pm, 1 + usize::from(pm.is_some()))
    };
    let (hour, minute) = match clock.split_once(':') {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        // A bare number is a time only with am/pm or after "at" ("at 9").
        None if pm.is_some() || (i > 0 && words[i - 1] == "at") => (clock.parse::<u32>().ok()?, 0),
        None => return None,
    };
    let hour = match pm {
        Some(true) if hour < 12 => hour + 12,
        Some(false) if hour == 12 => 0,
        _ => hour,
    };
    Some((NaiveTime::from_hms_opt(hour, minute, 0), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    /// Friday 11 December 2026, 10:00.
    fn friday_morning() -> NaiveDateTime {
        at("2026-12-11 10:00")
    }

    /// The typed due as "2026-12-18" or "2026-12-18 15:00".
    fn typed(text: &str, now: NaiveDateTime) -> String {
        match parse_typed_due(text, now) {
            Ok((day, Some(time))) => format!("{day} {}", time.format("%H:%M")),
            Ok((day, None)) => day.to_string(),
            Err(message) => panic!("{text}: {message}"),
        }
    }

    #[test]
    fn a_typed_day_means_what_it_means_in_a_promise() {
        let cases = [
            ("Friday", "2026-12-18"),
            ("fri", "2026-12-18"),
            ("tomorrow 15:00", "2026-12-12 15:00"),
            ("tomorrow at 3pm", "2026-12-12 15:00"),
            ("in 2 weeks", "2026-12-25"),
            ("in 3 days", "2026-12-14"),
            ("in a month", "2027-01-11"),
            ("next Tuesday", "2026-12-15"),
            ("today 17:30", "2026-12-11 17:30"),
            ("12 Dec", "2026-12-12"),
            ("Dec 12", "2026-12-12"),
            ("2026-12-12", "2026-12-12"),
            ("2026-12-12 09:30", "2026-12-12 09:30"),
            ("end of the month", "2026-12-31"),
            ("by the end of next week", "2026-12-18"),
            ("Friday 15:00", "2026-12-18 15:00"),
            ("friday at 9", "2026-12-18 09:00"),
            ("on Monday at 3 pm", "2026-12-14 15:00"),
            ("the day after tomorrow", "2026-12-13"),
            ("15:00 tomorrow", "2026-12-12 15:00"),
            ("tomorrow at noon", "2026-12-12 12:00"),
            ("12 Dec 2027", "2027-12-12"),
            ("March 3, 2027", "2027-03-03"),
            ("sat", "2026-12-12"),
            ("  Next  week ", "2026-12-14"),
        ];
        for (text, expected) in cases {
            assert_eq!(typed(text, friday_morning()), expected, "{text}");
        }
    }

    #[test]
    fn a_time_alone_is_today_while_it_is_still_ahead_else_tomorrow() {
        assert_eq!(typed("15:00", friday_morning()), "2026-12-11 15:00");
        assert_eq!(typed("3pm", at("2026-12-11 16:20")), "2026-12-12 15:00");
        assert_eq!(typed("15:00", at("2026-12-11 15:00")), "2026-12-12 15:00");
        assert_eq!(typed("at 9", at("2026-12-31 21:00")), "2027-01-01 09:00");
    }

    #[test]
    fn month_ends_and_leap_years_land_on_days_that_exist() {
        assert_eq!(typed("in a month", at("2027-01-31 09:00")), "2027-02-28");
        assert_eq!(typed("in a month", at("2028-01-31 09:00")), "2028-02-29");
        assert_eq!(typed("in a year", at("2028-02-29 09:00")), "2029-02-28");
        assert_eq!(
            typed("end of the month", at("2028-02-10 09:00")),
            "2028-02-29"
        );
        assert_eq!(typed("29 Feb", at("2026-07-07 09:00")), "2028-02-29");
        let no_leap = parse_typed_due("29 Feb 2027", friday_morning());
        assert_eq!(no_leap, Err("There is no 29 February 2027.".to_owned()));
        let april = parse_typed_due("31 Apr", friday_morning());
        assert_eq!(april, Err("There is no 31 April.".to_owned()));
    }

    #[test]
    fn what_is_not_a_day_is_refused_with_a_sentence_saying_what_works() {
        let now = friday_morning();
        assert_eq!(parse_typed_due("", now), Err(TYPE_A_DAY.to_owned()));
        assert_eq!(parse_typed_due("   ", now), Err(TYPE_A_DAY.to_owned()));
        for text in ["25:00", "tomorrow 25:00", "friday at 24:30"] {
            let message = parse_typed_due(text, now).unwrap_err();
            assert!(
                message.contains("is not a time of day"),
                "{text}: {message}"
            );
        }
        assert_eq!(
            parse_typed_due("12/12", now),
            Err(
                "\"12/12\" could be day first or month first; type \"12 Dec\" or 2026-12-12."
                    .to_owned()
            )
        );
        let april = parse_typed_due("3/4", now).unwrap_err();
        assert!(april.contains("\"3 Apr\" or 2027-04-03"), "{april}");
        for text in [
            "someday",
            "Friday tomorrow",
            "next",
            "friday 9",
            "in 2 weekz",
            "the",
        ] {
            let message = parse_typed_due(text, now).unwrap_err();
            assert!(message.contains("try \"Friday\""), "{text}: {message}");
        }
    }

    #[test]
    fn a_promise_names_its_day_among_other_words() {
        // Tuesday 8 December 2026.
        let today = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let due = |text: &str| due_from_text(text, today).map(|(d, t)| (d.to_string(), t));
        let date = |text: &str| due(text).map(|(d, _)| d);
        let friday = Some("2026-12-11".to_owned());
        assert_eq!(date("Send the price list on Friday"), friday);
        assert_eq!(
            date("Send a quote by Thursday").as_deref(),
            Some("2026-12-10")
        );
        assert_eq!(
            date("by Tuesday").as_deref(),
            Some("2026-12-15"),
            "strictly after"
        );
        assert_eq!(date("next Monday").as_deref(), Some("2026-12-14"));
        assert_eq!(
            date("the day after tomorrow").as_deref(),
            Some("2026-12-10")
        );
        assert_eq!(
            date("by the end of the month").as_deref(),
            Some("2026-12-31")
        );
        assert_eq!(date("call on 3 March").as_deref(), Some("2027-03-03"));
        let time = due("Call back Tuesday at 15:00").and_then(|(_, t)| t);
        assert_eq!(time, NaiveTime::from_hms_opt(15, 0, 0));
        assert_eq!(due("I may call, the sun sat low"), None, "ordinary words");
    }
}

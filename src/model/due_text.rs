//! When a promise says it is due: "Send a quote by Thursday", "call back tomorrow at 15:00",
//! "in 3 days", "end of the month", "12 Dec". The follow-up offer starts from this date instead
//! of always tomorrow; the user can still change it. Pure: `today` is passed in.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveTime, Weekday};

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
    let word = words[i].as_str();
    let next = |k: usize| words.get(i + k).map(String::as_str);
    let previous = i.checked_sub(1).map(|p| words[p].as_str());
    if let Ok(date) = NaiveDate::parse_from_str(word, "%Y-%m-%d") {
        return Some(date);
    }
    match word {
        "today" | "tonight" | "eod" => return Some(today),
        "tomorrow" => {
            let after = i >= 2 && words[i - 2] == "day" && words[i - 1] == "after";
            return Some(today + Duration::days(if after { 2 } else { 1 }));
        }
        "in" => return in_so_many(next(1)?, next(2)?, today),
        "end" => {
            // "end of the month", "end of next week": the unit within the next three words.
            let after = &words[i + 1..words.len().min(i + 4)];
            let unit = after
                .iter()
                .find(|w| matches!(w.as_str(), "week" | "month" | "day"))?;
            let from = match (after.iter().any(|w| w == "next"), unit.as_str()) {
                (true, "week") => monday_of(today) + Duration::weeks(1),
                (true, "month") => today.with_day(1)?.checked_add_months(Months::new(1))?,
                _ => today,
            };
            return end_of(unit, from);
        }
        "next" => match next(1)? {
            "week" => return Some(monday_of(today) + Duration::weeks(1)),
            "month" => return today.with_day(1)?.checked_add_months(Months::new(1)),
            _ => {}
        },
        _ => {}
    }
    if let Some(weekday) = weekday_of(word) {
        return Some(if previous == Some("next") {
            monday_of(today) + Duration::weeks(1) + days_from_monday(weekday)
        } else {
            first_after(today, weekday)
        });
    }
    let (day, month) = match (day_number(word), next(1).and_then(month_of)) {
        (Some(day), Some(month)) => (day, month),
        _ => (next(1).and_then(day_number)?, month_of(word)?),
    };
    on_or_after(today, month, day)
}

/// "in 3 days", "in a week", "in two weeks", "in 1 month".
fn in_so_many(count: &str, unit: &str, today: NaiveDate) -> Option<NaiveDate> {
    let n = number_of(count)?;
    match unit.trim_end_matches('s') {
        "day" => Some(today + Duration::days(n.into())),
        "week" => Some(today + Duration::weeks(n.into())),
        "month" => today.checked_add_months(Months::new(n)),
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

/// Day `day` of `month` this year, or next year when it has passed; `None` for 31 April.
fn on_or_after(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
    match this_year {
        Some(date) if date >= today => Some(date),
        _ => NaiveDate::from_ymd_opt(today.year() + 1, month, day),
    }
}

fn weekday_of(word: &str) -> Option<Weekday> {
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

fn month_of(word: &str) -> Option<u32> {
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
fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A small count in digits or words: "3", "a", "two".
fn number_of(word: &str) -> Option<u32> {
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
    words.iter().enumerate().find_map(|(i, word)| {
        let after = words.get(i + 1).map(String::as_str);
        let meridiem = |w: &str| match w {
            "am" | "a" => Some(false),
            "pm" | "p" => Some(true),
            _ => None,
        };
        let (clock, pm) = if let Some(clock) = word.strip_suffix("pm") {
            (clock, Some(true))
        } else if let Some(clock) = word.strip_suffix("am") {
            (clock, Some(false))
        } else {
            (word.as_str(), after.and_then(meridiem))
        };
        let (hour, minute) = match clock.split_once(':') {
            Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
            // A bare number is a time only with am/pm or after "at" ("at 9").
            None if pm.is_some() || (i > 0 && words[i - 1] == "at") => {
                (clock.parse::<u32>().ok()?, 0)
            }
            None => return None,
        };
        let hour = match pm {
            Some(true) if hour < 12 => hour + 12,
            Some(false) if hour == 12 => 0,
            _ => hour,
        };
        NaiveTime::from_hms_opt(hour, minute, 0)
    })
}

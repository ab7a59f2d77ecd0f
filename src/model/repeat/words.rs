//! Repeats in English both ways: what people write ("every other Tuesday", "the last Friday
//! of the month", "monthly, 6 times") read into a `Rule`, and a `Rule` put back into words.

use chrono::{Datelike, Month, NaiveDate, Weekday};

use super::{Ends, Freq, On, Rule};
use crate::model::due_text::{day_number, month_of, number_of, weekday_of};

/// The rule and the end ("until …", "… times") that `text` names; the end is `(None, None)`
/// when it names none. `Err` with a sentence, giving two phrases that work.
pub(super) fn rule_of_text(text: &str, first: NaiveDate) -> Result<(Rule, Ends), String> {
    let unknown = || {
        format!(
            "\"{}\" is not a repeat Rapport knows; try \"every 2 weeks\" or \"the first \
             Monday of every month\".",
            text.trim()
        )
    };
    let owned = words_of(text);
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    if words.is_empty() {
        return Err(
            "Type how it repeats, such as \"every 2 weeks\" or \"the first Monday of \
                    every month\"."
                .to_owned(),
        );
    }
    let (words, ends) = split_ends(words, first)?;
    if let Some(message) = ambiguous(text, &words) {
        return Err(message);
    }
    let rule = rule_of(&words).ok_or_else(unknown)?;
    rule.check().map_err(|_| unknown())?;
    Ok((rule, ends))
}

/// Lowercase words, split on spaces, commas and full stops (ISO dates keep their '-').
fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Takes "(for) 6 times" and "until 30 June 2027" (to the end of the text) out of the words.
fn split_ends(mut words: Vec<&str>, first: NaiveDate) -> Result<(Vec<&str>, Ends), String> {
    let mut count = None;
    if let Some(at) = words.iter().position(|w| matches!(*w, "times" | "time")) {
        let n = at.checked_sub(1).and_then(|i| number_of(words[i]));
        let n = n.ok_or("Say how many times with a number, such as \"6 times\".")?;
        let start = if at >= 2 && words[at - 2] == "for" {
            at - 2
        } else {
            at - 1
        };
        words.drain(start..=at);
        count = Some(n);
    }
    let mut until = None;
    if let Some(at) = words.iter().position(|w| matches!(*w, "until" | "till")) {
        let date = date_of(&words[at + 1..], first).ok_or_else(|| {
            format!(
                "\"{}\" is not a date; write it as \"30 June 2027\" or 2027-06-30.",
                words[at + 1..].join(" ")
            )
        })?;
        words.truncate(at);
        until = Some(date);
    }
    Ok((words, (until, count)))
}

/// "2027-06-30", "30 June 2027", "June 30 2027", or "30 June": the next one from `first`.
fn date_of(words: &[&str], first: NaiveDate) -> Option<NaiveDate> {
    let words: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "the" | "of"))
        .collect();
    let (day, month, year) = match words.as_slice() {
        [iso] => return NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok(),
        [a, b, rest @ ..] if rest.len() <= 1 => {
            let (day, month) = day_and_month(a, b)?;
            (day, month, rest.first())
        }
        _ => return None,
    };
    match year {
        Some(year) if year.len() == 4 => NaiveDate::from_ymd_opt(year.parse().ok()?, month, day),
        Some(_) => None,
        None => (first.year()..first.year() + 8)
            .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
            .find(|date| *date >= first),
    }
}

/// "30 June" or "June 30".
fn day_and_month(a: &str, b: &str) -> Option<(u32, u32)> {
    match (day_number(a), month_of(b)) {
        (Some(day), Some(month)) => Some((day, month)),
        _ => Some((day_number(b)?, month_of(a)?)),
    }
}

/// "Every 2nd Tuesday": every other Tuesday, or the month's second? A sentence offering both.
fn ambiguous(text: &str, words: &[&str]) -> Option<String> {
    let ["every" | "each", ord, day] = words else {
        return None;
    };
    let n = ordinal(ord).filter(|n| (2..=4).contains(n))?;
    let day = weekday_name(weekday_word(day)?);
    Some(format!(
        "\"{}\" could mean two things; try \"every {n} weeks on {day}\" or \"the {} {day} of \
         every month\".",
        text.trim(),
        nth_word(n)
    ))
}

fn rule_of(words: &[&str]) -> Option<Rule> {
    let words = match words {
        ["repeat" | "repeats" | "on", rest @ ..] => rest,
        _ => words,
    };
    weekday_rule(words)
        .or_else(|| every_rule(words))
        .or_else(|| nth_rule(words))
        .or_else(|| day_of_month_rule(words))
}

/// "every weekday", "every Tuesday", "every other Tuesday", "every Monday and Thursday".
fn weekday_rule(words: &[&str]) -> Option<Rule> {
    let weekly = |interval, days| Some(Rule::new(Freq::Weekly, interval, None, On::Weekdays(days)));
    match words {
        ["every" | "each", "weekday" | "weekdays"]
        | ["weekdays"]
        | ["every" | "each", "working" | "business", "day"] => weekly(1, work_days()),
        ["every" | "each", "other", days @ ..] => weekly(2, weekdays(days)?),
        ["every" | "each", days @ ..] => weekly(1, weekdays(days)?),
        _ => None,
    }
}

/// "every 3 days", "weekly", "every other month on the 15th", "every year on 3 March".
fn every_rule(words: &[&str]) -> Option<Rule> {
    let (freq, interval, tail) = period(words)?;
    let (month, on) = match tail {
        [] => (None, On::Start),
        ["on", "the", rest @ ..] | ["on", rest @ ..] => on_words(freq, rest)?,
        _ => return None,
    };
    Some(Rule::new(freq, interval, month, on))
}

/// The period a text starts with, and the words after it.
fn period<'a, 'w>(words: &'a [&'w str]) -> Option<(Freq, u16, &'a [&'w str])> {
    let (word, rest) = words.split_first()?;
    if let Some((freq, interval)) = adverb(word) {
        return Some((freq, interval, rest));
    }
    if !matches!(*word, "every" | "each") {
        return None;
    }
    let (times, rest) = match rest {
        ["other", rest @ ..] => (2, rest),
        [n, rest @ ..] if number_of(n).is_some_and(|n| n >= 1) => (number_of(n)?, rest),
        rest => (1, rest),
    };
    let (unit, rest) = rest.split_first()?;
    let (freq, per) = unit_of(unit)?;
    Some((freq, u16::try_from(times * u32::from(per)).ok()?, rest))
}

fn adverb(word: &str) -> Option<(Freq, u16)> {
    Some(match word {
        "daily" => (Freq::Daily, 1),
        "weekly" => (Freq::Weekly, 1),
        "fortnightly" => (Freq::Weekly, 2),
        "monthly" => (Freq::Monthly, 1),
        "quarterly" => (Freq::Monthly, 3),
        "yearly" | "annually" => (Freq::Yearly, 1),
        _ => return None,
    })
}

fn unit_of(word: &str) -> Option<(Freq, u16)> {
    Some(match word.strip_suffix('s').unwrap_or(word) {
        "day" => (Freq::Daily, 1),
        "week" => (Freq::Weekly, 1),
        "fortnight" => (Freq::Weekly, 2),
        "month" => (Freq::Monthly, 1),
        "quarter" => (Freq::Monthly, 3),
        "year" => (Freq::Yearly, 1),
        _ => return None,
    })
}

/// What follows "on": weekdays, a day of the month, or a day of the year.
fn on_words(freq: Freq, words: &[&str]) -> Option<(Option<u32>, On)> {
    match (freq, words) {
        (Freq::Weekly, days) => Some((None, On::Weekdays(weekdays(days)?))),
        (Freq::Monthly, ["last", "day"]) => Some((None, On::LastDay)),
        (Freq::Monthly, [day]) => Some((None, month_day(day_number(day)?))),
        (Freq::Monthly, [ord, day]) => Some((None, On::Nth(ordinal(ord)?, weekday_word(day)?))),
        (Freq::Yearly, ["last", "day", "of", month]) => Some((Some(month_of(month)?), On::LastDay)),
        (Freq::Yearly, [ord, day, "of", month]) => {
            let on = On::Nth(ordinal(ord)?, weekday_word(day)?);
            Some((Some(month_of(month)?), on))
        }
        (Freq::Yearly, [a, b]) => {
            let (day, month) = day_and_month(a, b)?;
            year_day(month, day)
        }
        _ => None,
    }
}

/// "the first Monday of every month", "every last Friday", "the third Sunday of June", "the
/// last day of the month".
fn nth_rule(words: &[&str]) -> Option<Rule> {
    let words = match words {
        ["the" | "every" | "each", rest @ ..] => rest,
        _ => words,
    };
    let [ord, day, tail @ ..] = words else {
        return None;
    };
    let n = ordinal(ord)?;
    let on = match (n, *day) {
        (-1, "day") => On::LastDay,
        (1, "day") => On::MonthDay(1),
        _ => On::Nth(n, weekday_word(day)?),
    };
    Some(match of_what(tail)? {
        None => Rule::new(Freq::Monthly, 1, None, on),
        Some(month) => Rule::new(Freq::Yearly, 1, Some(month), on),
    })
}

/// "the 15th of every month", "the 3rd of March" (every year), "every 15th".
fn day_of_month_rule(words: &[&str]) -> Option<Rule> {
    let words = match words {
        ["the" | "every" | "each", rest @ ..] => rest,
        _ => words,
    };
    let [day, tail @ ..] = words else {
        return None;
    };
    let day = day_number(day)?;
    Some(match of_what(tail)? {
        None => Rule::new(Freq::Monthly, 1, None, month_day(day)),
        Some(month) => {
            let (month, on) = year_day(month, day)?;
            Rule::new(Freq::Yearly, 1, month, on)
        }
    })
}

/// After a day: nothing or "of the month" (monthly: `None`), or "of June" (yearly).
fn of_what(tail: &[&str]) -> Option<Option<u32>> {
    match tail {
        [] | ["of" | "in", "the" | "every" | "each", "month"] | ["of" | "in", "month"] => {
            Some(None)
        }
        ["of" | "in", "every" | "each", month] | ["of" | "in", month] => {
            Some(Some(month_of(month)?))
        }
        _ => None,
    }
}

/// Monthly on a day; the 31st is the month's last day.
fn month_day(day: u32) -> On {
    if day >= 31 {
        On::LastDay
    } else {
        On::MonthDay(day)
    }
}

/// Yearly on a day of a month; 29 February is February's last day (28 February in other
/// years). `None` for a day no year has, such as 31 April.
fn year_day(month: u32, day: u32) -> Option<(Option<u32>, On)> {
    NaiveDate::from_ymd_opt(2028, month, day)?;
    Some(match (month, day) {
        (2, 29) => (Some(2), On::LastDay),
        _ => (Some(month), On::MonthDay(day)),
    })
}

/// "Monday and Thursday", "mon, wed, fri": Monday first, each once.
fn weekdays(words: &[&str]) -> Option<Vec<Weekday>> {
    let mut days: Vec<Weekday> = words
        .iter()
        .filter(|w| !matches!(**w, "and" | "&"))
        .map(|w| weekday_word(w))
        .collect::<Option<_>>()?;
    days.sort_by_key(|day| day.num_days_from_monday());
    days.dedup();
    (!days.is_empty()).then_some(days)
}

/// A weekday, also "sat", "sun" and plurals ("Mondays"): in a repeat they can mean nothing else.
fn weekday_word(word: &str) -> Option<Weekday> {
    match word {
        "sat" | "sats" => Some(Weekday::Sat),
        "sun" | "suns" => Some(Weekday::Sun),
        _ => weekday_of(word).or_else(|| weekday_of(word.strip_suffix('s')?)),
    }
}

/// "first", "2nd", "third", "4th", "last".
fn ordinal(word: &str) -> Option<i8> {
    Some(match word {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        "last" => -1,
        _ => return None,
    })
}

fn work_days() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

/// "every week", "every 3 weeks".
fn every(interval: u16, unit: &str) -> String {
    match interval {
        1 => format!("every {unit}"),
        n => format!("every {n} {unit}s"),
    }
}

fn weekly_words(interval: u16, days: &[Weekday]) -> String {
    let names: Vec<&str> = days.iter().map(|day| weekday_name(*day)).collect();
    let names = match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    match (interval, days == work_days().as_slice()) {
        (1, true) => "every weekday".to_owned(),
        (_, true) => format!("{} on weekdays", every(interval, "week")),
        (1, false) => format!("every {names}"),
        (2, false) if days.len() == 1 => format!("every other {names}"),
        _ => format!("{} on {names}", every(interval, "week")),
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    const NAMES: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    NAMES[day.num_days_from_monday() as usize]
}

fn nth_word(n: i8) -> &'static str {
    match n {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        _ => "last",
    }
}

/// "1st", "2nd", "3rd", "11th", "22nd".
fn ordinal_day(day: u32) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

impl Rule {
    /// The rule's period and days in words, without its end.
    pub(super) fn period_words(&self) -> String {
        let every = |unit: &str| every(self.interval, unit);
        match (self.freq, &self.on) {
            (Freq::Daily, _) => every("day"),
            (Freq::Weekly, On::Weekdays(days)) => weekly_words(self.interval, days),
            (Freq::Weekly, _) => every("week"),
            (Freq::Monthly, On::MonthDay(day)) if *day >= 29 => format!(
                "{} on the {}, or the last day of shorter months",
                every("month"),
                ordinal_day(*day)
            ),
            (Freq::Monthly, On::MonthDay(day)) => {
                format!("{} on the {}", every("month"), ordinal_day(*day))
            }
            (Freq::Monthly, On::LastDay) => format!("{} on the last day", every("month")),
            (Freq::Monthly, On::Nth(n, day)) if self.interval == 1 => {
                format!("the {} {} of every month", nth_word(*n), weekday_name(*day))
            }
            (Freq::Monthly, On::Nth(n, day)) => {
                format!(
                    "{} on the {} {}",
                    every("month"),
                    nth_word(*n),
                    weekday_name(*day)
                )
            }
            (Freq::Yearly, on) => self.yearly_words(on, every("year")),
            (Freq::Monthly, _) => every("month"),
        }
    }

    fn yearly_words(&self, on: &On, every: String) -> String {
        let month = self
            .month
            .and_then(|m| Month::try_from(u8::try_from(m).ok()?).ok());
        let Some(month) = month.map(|m| m.name()) else {
            return every;
        };
        match on {
            On::MonthDay(day) => format!("{every} on {day} {month}"),
            On::LastDay => format!("{every} on the last day of {month}"),
            On::Nth(n, day) => format!(
                "the {} {} of {month}, {every}",
                nth_word(*n),
                weekday_name(*day)
            ),
            _ => every,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Repeat;
    use super::super::tests::{repeat, tuesday};
    use rrule::{RRule, Unvalidated};

    /// What is typed | the RRULE value | the words it is shown in.
    const PHRASES: &[&str] = &[
        "every day | FREQ=DAILY | every day",
        "Daily | FREQ=DAILY | every day",
        "every 3 days | FREQ=DAILY;INTERVAL=3 | every 3 days",
        "every week | FREQ=WEEKLY | every week",
        "weekly | FREQ=WEEKLY | every week",
        "every 2 weeks | FREQ=WEEKLY;INTERVAL=2 | every 2 weeks",
        "every other week | FREQ=WEEKLY;INTERVAL=2 | every 2 weeks",
        "every fortnight | FREQ=WEEKLY;INTERVAL=2 | every 2 weeks",
        "every Tuesday | FREQ=WEEKLY;BYDAY=TU | every Tuesday",
        "every other tuesday | FREQ=WEEKLY;INTERVAL=2;BYDAY=TU | every other Tuesday",
        "every weekday | FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR | every weekday",
        "every Thursday and mon | FREQ=WEEKLY;BYDAY=MO,TH | every Monday and Thursday",
        "every 3 weeks on fri | FREQ=WEEKLY;INTERVAL=3;BYDAY=FR | every 3 weeks on Friday",
        "every month | FREQ=MONTHLY | every month",
        "monthly | FREQ=MONTHLY | every month",
        "every 3 months | FREQ=MONTHLY;INTERVAL=3 | every 3 months",
        "every quarter | FREQ=MONTHLY;INTERVAL=3 | every 3 months",
        "every month on the 15th | FREQ=MONTHLY;BYMONTHDAY=15 | every month on the 15th",
        "the 15th of every month | FREQ=MONTHLY;BYMONTHDAY=15 | every month on the 15th",
        "the first Monday of every month | FREQ=MONTHLY;BYDAY=1MO | the first Monday of every month",
        "every first Monday | FREQ=MONTHLY;BYDAY=1MO | the first Monday of every month",
        "the last Friday of the month | FREQ=MONTHLY;BYDAY=-1FR | the last Friday of every month",
        "every 3 months on the last Friday | FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR | \
         every 3 months on the last Friday",
        "the last day of the month | FREQ=MONTHLY;BYMONTHDAY=-1 | every month on the last day",
        "every year | FREQ=YEARLY | every year",
        "yearly | FREQ=YEARLY | every year",
        "annually | FREQ=YEARLY | every year",
        "every year on 3 March | FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3 | every year on 3 March",
        "the 3rd of March | FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3 | every year on 3 March",
        "the third Sunday of June | FREQ=YEARLY;BYMONTH=6;BYDAY=3SU | \
         the third Sunday of June, every year",
        "every 2 weeks until 30 June 2027 | FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630 | \
         every 2 weeks until 30 Jun 2027",
        "  Every   Week  until 2027-06-30 | FREQ=WEEKLY;UNTIL=20270630 | \
         every week until 30 Jun 2027",
        "every 2 weeks for 6 times | FREQ=WEEKLY;INTERVAL=2;COUNT=6 | every 2 weeks, 6 times",
        "monthly, 6 times | FREQ=MONTHLY;COUNT=6 | every month, 6 times",
    ];

    #[test]
    fn every_phrase_is_written_as_an_rrule_and_read_back_in_words() {
        for case in PHRASES {
            let [text, value, words] = case.split(" | ").collect::<Vec<_>>()[..] else {
                panic!("{case}");
            };
            let repeat = repeat(text, tuesday());
            assert_eq!(repeat.rrule_value(), value, "{text}");
            assert_eq!(repeat.describe(), words, "{text}");
            assert_eq!(Repeat::from_rrule(value), Ok(repeat.clone()), "{text}");
            assert!(!value.contains("DTSTART"));
            assert!(
                value.parse::<RRule<Unvalidated>>().is_ok(),
                "{value} is an RRULE"
            );
        }
    }

    #[test]
    fn words_rapport_does_not_know_are_refused_with_two_that_work() {
        assert_eq!(
            Repeat::parse("every fortnight-ish", tuesday(), None, None),
            Err(
                "\"every fortnight-ish\" is not a repeat Rapport knows; try \"every 2 weeks\" \
                 or \"the first Monday of every month\"."
                    .to_owned()
            )
        );
        for text in [
            "sometimes",
            "every 3 weeks on the 15th",
            "every year on 31 April",
        ] {
            let message = Repeat::parse(text, tuesday(), None, None).unwrap_err();
            assert!(message.contains("every 2 weeks"), "{text}: {message}");
        }
        let empty = Repeat::parse(" ", tuesday(), None, None).unwrap_err();
        assert!(empty.starts_with("Type how it repeats"), "{empty}");
        let date = Repeat::parse("weekly until someday", tuesday(), None, None).unwrap_err();
        assert!(date.contains("is not a date"), "{date}");
    }

    #[test]
    fn every_2nd_tuesday_is_refused_as_ambiguous_but_the_month_s_second_is_not() {
        let second = Repeat::parse("every 2nd Tuesday", tuesday(), None, None).unwrap_err();
        assert_eq!(
            second,
            "\"every 2nd Tuesday\" could mean two things; try \"every 2 weeks on Tuesday\" or \
             \"the second Tuesday of every month\"."
        );
        let month = repeat("every 2nd Tuesday of the month", tuesday());
        assert_eq!(month.rrule_value(), "FREQ=MONTHLY;BYDAY=2TU");
        let last = repeat("every last Friday", tuesday());
        assert_eq!(last.rrule_value(), "FREQ=MONTHLY;BYDAY=-1FR");
    }
}

//! Follow-ups that repeat: "every 2 weeks", "the first Monday of every month", "every year on
//! 3 March". A rule is about days only (a follow-up keeps its time separately) and is kept as
//! the value of an RFC 5545 RRULE, so the database and an .ics export say the same thing. The
//! dates come from the `rrule` crate, fed midnight UTC: no daylight-saving change can move a
//! day. Pure: the series' first date is passed in.

use chrono::{Datelike, Month, NaiveDate, NaiveTime, Weekday};
use rrule::{Frequency, NWeekday, RRule, Tz, Unvalidated};
use serde::{Deserialize, Serialize};

mod words;

/// A repeating rule: the RRULE value Rapport writes, without "RRULE:" and without a DTSTART
/// ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=6"). The series' first date is kept beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Repeat {
    value: String,
}

impl Repeat {
    /// What people write ("every other Tuesday", "the last Friday of the month", "every year
    /// until 2030-01-01", "monthly, 6 times"), with the series' first date, which decides the
    /// weekday or day of the month when the words don't. `until` and `count` come from their
    /// own fields; when either is given, the words' own end is ignored.
    ///
    /// "Every 2nd Tuesday" (and the third, fourth) is refused with a sentence: people mean
    /// every other Tuesday as often as the second Tuesday of the month. "Every first Monday"
    /// and "every last Friday" are the month's.
    pub fn parse(
        text: &str,
        first: NaiveDate,
        until: Option<NaiveDate>,
        count: Option<u32>,
    ) -> Result<Repeat, String> {
        let (mut rule, ends) = words::rule_of_text(text, first)?;
        rule.settle(first);
        (rule.until, rule.count) = match (until, count) {
            (None, None) => ends,
            given => given,
        };
        rule.check_ends(first)?;
        let repeat = Repeat {
            value: rule.value(),
        };
        match repeat.next(first, 0, None) {
            Some(_) => Ok(repeat),
            None => Err(format!(
                "\"{}\" gives no date from {} on.",
                text.trim(),
                first.format("%-d %b %Y")
            )),
        }
    }

    /// From the stored RRULE value (as `rrule_value` writes it; a leading "RRULE:" is
    /// allowed), refusing anything Rapport would not write with a sentence saying why.
    pub fn from_rrule(value: &str) -> Result<Repeat, String> {
        let refuse =
            |why: &str| format!("The repeat \"{value}\" is not one Rapport writes: {why}.");
        let trimmed = value.trim();
        let rule =
            Rule::from_value(trimmed.strip_prefix("RRULE:").unwrap_or(trimmed)).map_err(refuse)?;
        rule.check().map_err(refuse)?;
        Ok(Repeat {
            value: rule.value(),
        })
    }

    /// The RRULE value, for the database and for an .ics `RRULE:` line. UNTIL is a DATE
    /// ("UNTIL=20270630"), which fits an all-day DTSTART.
    pub fn rrule_value(&self) -> &str {
        &self.value
    }

    /// The rule back in words: "every 2 weeks", "every other Tuesday", "every year on
    /// 3 March", "the third Sunday of June, every year", "every month on the last day",
    /// with "until 30 Jun 2027" or ", 6 times" after it.
    pub fn describe(&self) -> String {
        let rule = self.rule();
        let mut words = rule.period_words();
        if let Some(until) = rule.until {
            words.push_str(&format!(" until {}", until.format("%-d %b %Y")));
        }
        match rule.count {
            Some(1) => words.push_str(", once"),
            Some(count) => words.push_str(&format!(", {count} times")),
            None => {}
        }
        words
    }

    /// The occurrence after the `done`-th one (1-based; 0 gives the first) of a series that
    /// began on `first`, and after `after` when it is given: a follow-up done late moves to
    /// the rule's next date, not to the done date plus the interval. `None` once the series
    /// has ended (UNTIL passed or COUNT reached).
    ///
    /// The dates are the rule's own from `first` on: `first` is one of them only when it is on
    /// the rule, so `next(first, 0, None)` is the date a new series should start on.
    pub fn next(&self, first: NaiveDate, done: u32, after: Option<NaiveDate>) -> Option<NaiveDate> {
        let done = usize::try_from(done).ok()?;
        self.rule()
            .dates(first)?
            .enumerate()
            .find(|(index, day)| *index >= done && after.is_none_or(|after| *day > after))
            .map(|(_, day)| day)
    }

    /// The last day the series may fall on (inclusive).
    pub fn until(&self) -> Option<NaiveDate> {
        self.rule().until
    }

    /// How many times it happens in all, the first included.
    pub fn count(&self) -> Option<u32> {
        self.rule().count
    }

    /// The value is always one `Rule::value` wrote.
    fn rule(&self) -> Rule {
        Rule::from_value(&self.value).expect("a Repeat holds a value Rapport wrote")
    }
}

impl TryFrom<String> for Repeat {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Repeat::from_rrule(&value)
    }
}

impl From<Repeat> for String {
    fn from(repeat: Repeat) -> String {
        repeat.value
    }
}

/// Where a series ends: on a day (inclusive), after a number of times, or neither.
type Ends = (Option<NaiveDate>, Option<u32>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// Which days of its period a rule falls on.
#[derive(Clone, Debug, PartialEq, Eq)]
enum On {
    /// The first date's weekday, day of the month or day of the year (no BY part).
    Start,
    /// These weekdays, Monday first (weekly).
    Weekdays(Vec<Weekday>),
    /// This day of the month; monthly, the 29th and 30th fall back to a shorter month's last.
    MonthDay(u32),
    /// The last day of the month.
    LastDay,
    /// The first to fourth (or -1, the last) such weekday of the month.
    Nth(i8, Weekday),
}

/// A rule as Rapport understands it; `value` writes it and `from_value` reads it back.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    freq: Freq,
    interval: u16,
    /// The month of a yearly rule that names its day.
    month: Option<u32>,
    on: On,
    until: Option<NaiveDate>,
    count: Option<u32>,
}

impl Rule {
    fn new(freq: Freq, interval: u16, month: Option<u32>, on: On) -> Rule {
        Rule {
            freq,
            interval,
            month,
            on,
            until: None,
            count: None,
        }
    }

    /// Makes a rule that takes its day from the first date exact where the crate alone would
    /// skip periods: a month's last day, the 29th or 30th, and 29 February.
    fn settle(&mut self, first: NaiveDate) {
        if self.on != On::Start {
            return;
        }
        let last_of_month = first
            .succ_opt()
            .is_none_or(|next| next.month() != first.month());
        match self.freq {
            Freq::Monthly if last_of_month => self.on = On::LastDay,
            Freq::Monthly if first.day() >= 29 => self.on = On::MonthDay(first.day()),
            Freq::Yearly if first.month() == 2 && first.day() == 29 => {
                (self.month, self.on) = (Some(2), On::LastDay);
            }
            _ => {}
        }
    }

    /// The end is after the first date, and a series ends one way only (RFC 5545).
    fn check_ends(&self, first: NaiveDate) -> Result<(), String> {
        if self.until.is_some() && self.count.is_some() {
            return Err(
                "A repeat ends on a day or after a number of times, not both; \
                        choose one."
                    .to_owned(),
            );
        }
        if self.count == Some(0) {
            return Err("A repeat happens at least once; give a count of 1 or more.".to_owned());
        }
        match self.until {
            Some(until) if until < first => Err(format!(
                "The repeat would end on {}, before its first date, {}.",
                until.format("%-d %b %Y"),
                first.format("%-d %b %Y")
            )),
            _ => Ok(()),
        }
    }

    /// The rule is one Rapport writes: each kind of day with the period it belongs to.
    fn check(&self) -> Result<(), &'static str> {
        let fits = match (self.freq, self.month, &self.on) {
            (_, None, On::Start) => true,
            (Freq::Weekly, None, On::Weekdays(days)) => {
                !days.is_empty() && days.windows(2).all(|pair| monday_first(pair[0], pair[1]))
            }
            (Freq::Monthly, None, On::MonthDay(day)) => (1..=30).contains(day),
            (Freq::Monthly, None, On::LastDay) => true,
            (Freq::Monthly, None, On::Nth(n, _)) | (Freq::Yearly, Some(_), On::Nth(n, _)) => {
                matches!(n, -1 | 1..=4)
            }
            // 29 February is written as February's last day.
            (Freq::Yearly, Some(month), On::MonthDay(day)) => {
                NaiveDate::from_ymd_opt(2027, month, *day).is_some()
            }
            (Freq::Yearly, Some(_), On::LastDay) => true,
            _ => false,
        };
        if !fits {
            return Err("its days do not fit how often it repeats");
        }
        if self.interval == 0 || self.count == Some(0) {
            return Err("it repeats every 0 periods or 0 times");
        }
        if self.until.is_some() && self.count.is_some() {
            return Err("it has both UNTIL and COUNT");
        }
        Ok(())
    }

    /// The RRULE value: FREQ, INTERVAL, BYMONTH, BYMONTHDAY, BYDAY, BYSETPOS, UNTIL, COUNT.
    fn value(&self) -> String {
        let mut parts = vec![format!("FREQ={}", freq_name(self.freq))];
        if self.interval != 1 {
            parts.push(format!("INTERVAL={}", self.interval));
        }
        if let Some(month) = self.month {
            parts.push(format!("BYMONTH={month}"));
        }
        match &self.on {
            On::Start => {}
            On::Weekdays(days) => {
                let days: Vec<&str> = days.iter().map(|day| ical_day(*day)).collect();
                parts.push(format!("BYDAY={}", days.join(",")));
            }
            On::MonthDay(day) if self.freq == Freq::Monthly && *day >= 29 => {
                let days: Vec<String> = (28..=*day).map(|d| d.to_string()).collect();
                parts.push(format!("BYMONTHDAY={}", days.join(",")));
                parts.push("BYSETPOS=-1".to_owned());
            }
            On::MonthDay(day) => parts.push(format!("BYMONTHDAY={day}")),
            On::LastDay => parts.push("BYMONTHDAY=-1".to_owned()),
            On::Nth(n, day) => parts.push(format!("BYDAY={n}{}", ical_day(*day))),
        }
        if let Some(until) = self.until {
            parts.push(format!("UNTIL={}", until.format("%Y%m%d")));
        }
        if let Some(count) = self.count {
            parts.push(format!("COUNT={count}"));
        }
        parts.join(";")
    }

    /// Reads an RRULE value; `check` then says whether Rapport would have written it.
    fn from_value(value: &str) -> Result<Rule, &'static str> {
        let mut parts = Parts::default();
        for part in value.split(';') {
            let (name, text) = part.split_once('=').ok_or("each part is NAME=VALUE")?;
            parts.read(
                &name.trim().to_ascii_uppercase(),
                &text.trim().to_ascii_uppercase(),
            )?;
        }
        let freq = parts.freq.ok_or("it has no FREQ")?;
        let on = parts.on(freq)?;
        Ok(Rule {
            interval: parts.interval.unwrap_or(1),
            month: parts.month,
            until: parts.until,
            count: parts.count,
            ..Rule::new(freq, 1, None, on)
        })
    }

    /// The dates of the rule from `first` on, by the `rrule` crate at midnight UTC. A weekly
    /// rule on named days counts its weeks from the first such day, so "every other Tuesday"
    /// begun on a Thursday starts five days later, not twelve.
    fn dates(&self, first: NaiveDate) -> Option<impl Iterator<Item = NaiveDate>> {
        let start = match self.on {
            On::Weekdays(_) if self.interval > 1 => {
                let weekly = Rule::new(self.freq, 1, None, self.on.clone());
                weekly.dates(first)?.next()?
            }
            _ => first,
        };
        let set = self.crate_rule()?.build(midnight_utc(start)).ok()?;
        Some(set.into_iter().map(|at| at.date_naive()))
    }

    fn crate_rule(&self) -> Option<RRule<Unvalidated>> {
        let freq = match self.freq {
            Freq::Daily => Frequency::Daily,
            Freq::Weekly => Frequency::Weekly,
            Freq::Monthly => Frequency::Monthly,
            Freq::Yearly => Frequency::Yearly,
        };
        let mut rule = RRule::new(freq).interval(self.interval);
        if let Some(month) = self.month {
            rule = rule.by_month(&[Month::try_from(u8::try_from(month).ok()?).ok()?]);
        }
        rule = match &self.on {
            On::Start => rule,
            On::Weekdays(days) => {
                rule.by_weekday(days.iter().map(|d| NWeekday::Every(*d)).collect())
            }
            On::MonthDay(day) if self.freq == Freq::Monthly && *day >= 29 => rule
                .by_month_day((28..=i8::try_from(*day).ok()?).collect())
                .by_set_pos(vec![-1]),
            On::MonthDay(day) => rule.by_month_day(vec![i8::try_from(*day).ok()?]),
            On::LastDay => rule.by_month_day(vec![-1]),
            On::Nth(n, day) => rule.by_weekday(vec![NWeekday::Nth((*n).into(), *day)]),
        };
        if let Some(until) = self.until {
            rule = rule.until(midnight_utc(until));
        }
        if let Some(count) = self.count {
            rule = rule.count(count);
        }
        Some(rule)
    }
}

/// The parts of an RRULE value as read, before they are checked against what Rapport writes.
#[derive(Default)]
struct Parts {
    freq: Option<Freq>,
    interval: Option<u16>,
    month: Option<u32>,
    month_days: Option<Vec<i8>>,
    days: Option<Vec<(Option<i8>, Weekday)>>,
    set_pos: Option<i32>,
    until: Option<NaiveDate>,
    count: Option<u32>,
}

impl Parts {
    fn read(&mut self, name: &str, text: &str) -> Result<(), &'static str> {
        match name {
            "FREQ" => once(&mut self.freq, freq_of(text)),
            "INTERVAL" => once(&mut self.interval, text.parse().ok()),
            "BYMONTH" => once(&mut self.month, text.parse().ok()),
            "BYMONTHDAY" => once(&mut self.month_days, list(text, |t| t.parse().ok())),
            "BYDAY" => once(&mut self.days, list(text, by_day)),
            "BYSETPOS" => once(&mut self.set_pos, text.parse().ok()),
            // A DATE only: "20270630", never a time or a zone.
            "UNTIL" => once(
                &mut self.until,
                NaiveDate::parse_from_str(text, "%Y%m%d").ok(),
            ),
            "COUNT" => once(&mut self.count, text.parse().ok()),
            _ => Err("it has a part Rapport does not use"),
        }
    }

    /// The days the parts name, in the shapes `Rule::value` writes them.
    fn on(&self, freq: Freq) -> Result<On, &'static str> {
        let monthly = freq == Freq::Monthly;
        let shape = (
            self.month_days.as_deref(),
            self.days.as_deref(),
            self.set_pos,
        );
        Ok(match shape {
            (None, None, None) => On::Start,
            (Some([-1]), None, None) => On::LastDay,
            (Some(&[day]), None, None) if day >= 1 && !(monthly && day > 28) => {
                On::MonthDay(day.unsigned_abs().into())
            }
            (Some([28, 29]), None, Some(-1)) if monthly => On::MonthDay(29),
            (Some([28, 29, 30]), None, Some(-1)) if monthly => On::MonthDay(30),
            (None, Some(&[(Some(n), day)]), None) => On::Nth(n, day),
            (None, Some(days), None) if days.iter().all(|(n, _)| n.is_none()) => {
                let mut days: Vec<Weekday> = days.iter().map(|(_, day)| *day).collect();
                days.sort_by_key(|day| day.num_days_from_monday());
                On::Weekdays(days)
            }
            _ => return Err("its days are not ones Rapport writes"),
        })
    }
}

/// Fills a part once: a part given twice, or with a value that does not read, is refused.
fn once<T>(slot: &mut Option<T>, value: Option<T>) -> Result<(), &'static str> {
    let value = value.ok_or("a part's value is not one Rapport writes")?;
    match slot.replace(value) {
        None => Ok(()),
        Some(_) => Err("a part is given twice"),
    }
}

fn list<T>(text: &str, item: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    text.split(',').map(|part| item(part.trim())).collect()
}

const ICAL_DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// "TU", "1MO", "-1FR".
fn by_day(text: &str) -> Option<(Option<i8>, Weekday)> {
    let split = text.len().checked_sub(2)?;
    let index = ICAL_DAYS
        .iter()
        .position(|day| Some(*day) == text.get(split..))?;
    let day = Weekday::try_from(u8::try_from(index).ok()?).ok()?;
    let n = match &text[..split] {
        "" => None,
        n => Some(n.strip_prefix('+').unwrap_or(n).parse().ok()?),
    };
    Some((n, day))
}

fn ical_day(day: Weekday) -> &'static str {
    ICAL_DAYS[day.num_days_from_monday() as usize]
}

fn freq_name(freq: Freq) -> &'static str {
    match freq {
        Freq::Daily => "DAILY",
        Freq::Weekly => "WEEKLY",
        Freq::Monthly => "MONTHLY",
        Freq::Yearly => "YEARLY",
    }
}

fn freq_of(text: &str) -> Option<Freq> {
    [Freq::Daily, Freq::Weekly, Freq::Monthly, Freq::Yearly]
        .into_iter()
        .find(|freq| freq_name(*freq) == text)
}

fn monday_first(earlier: Weekday, later: Weekday) -> bool {
    earlier.num_days_from_monday() < later.num_days_from_monday()
}

/// A day as the crate sees it: its midnight in UTC, which has no daylight-saving changes, so
/// the date of every occurrence is the naive local date itself.
fn midnight_utc(day: NaiveDate) -> chrono::DateTime<Tz> {
    day.and_time(NaiveTime::MIN)
        .and_utc()
        .with_timezone(&Tz::UTC)
}

#[cfg(test)]
mod tests;

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
mod tests {
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
}

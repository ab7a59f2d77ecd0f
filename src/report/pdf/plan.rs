//! Where a report's headings and page breaks fall, and how it is split into parts laid out at
//! once.

use crate::report::timeline_report::ReportEntry;
use chrono::NaiveDateTime;

/// Reports longer than this many entries get month headings and start years (and, once
/// enough pages have passed, months) on a new page.
pub(super) const BIG_REPORT: usize = 150;

/// Characters of entries (`entry_weight`) that fill about 11–16 pages, depending on how long
/// the notes are: once the entries since the last break weigh this much, the next month starts
/// on a new page.
pub(super) const RUN_WEIGHT: usize = 60_000;

/// The headings over one entry and whether a new page starts before it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Section {
    pub(super) year: String,
    pub(super) month: String,
    pub(super) page_break: bool,
}

/// Headings and page breaks for a report's entries (oldest first). Every year has a heading;
/// a big report also has month headings, starts each year on a new page, and starts a month
/// on a new page once the entries since the last break weigh `RUN_WEIGHT` (inside a month, a
/// new day once they weigh three times that, under the month's heading marked "continued").
/// Typst lays out the runs of pages between breaks in parallel: runs of even size keep both
/// cores busy to the end, where a report broken only at its years left one core laying out
/// the longest year alone (0.38 s of a 1.9 s export).
pub(super) fn sections(entries: &[ReportEntry]) -> Vec<Section> {
    use chrono::Datelike as _;
    let big = entries.len() > BIG_REPORT;
    let mut previous: Option<NaiveDateTime> = None;
    let mut run = 0usize;
    entries
        .iter()
        .map(|e| {
            let new_year = previous.is_none_or(|p| p.year() != e.at.year());
            let new_month = new_year || previous.is_some_and(|p| p.month() != e.at.month());
            let new_day = new_month || previous.is_some_and(|p| p.date() != e.at.date());
            let started = previous.is_some();
            previous = Some(e.at);
            let mut section = Section {
                year: if new_year {
                    e.at.year().to_string()
                } else {
                    String::new()
                },
                ..Section::default()
            };
            if big {
                let month = e.at.format("%B %Y").to_string();
                section.page_break = started
                    && (new_year
                        || (new_month && run >= RUN_WEIGHT)
                        || (new_day && run >= 3 * RUN_WEIGHT));
                if new_month {
                    section.month = month;
                } else if section.page_break {
                    section.month = format!("{month} (continued)");
                }
            }
            if section.page_break {
                run = 0;
            }
            run += entry_weight(e);
            section
        })
        .collect()
}

/// Roughly how much room an entry takes: its text, and a few lines of date and tag.
pub(super) fn entry_weight(e: &ReportEntry) -> usize {
    120 + e.summary.len()
        + e.they_said.len()
        + e.they_need.len()
        + e.i_promised.len()
        + e.next_step.len()
        + e.participants.iter().map(String::len).sum::<usize>()
}

/// Splits a report into `parts` runs of entries of about equal weight, each starting at a
/// page break (so the parts laid out apart join into the same pages as the whole would).
/// Fewer parts when there are not enough breaks; one for a small report.
pub(super) fn split_parts(
    weights: &[usize],
    breaks: &[bool],
    parts: usize,
) -> Vec<std::ops::Range<usize>> {
    // (index, weight of the entries before it) of every entry a new page starts at.
    let mut before = 0usize;
    let mut candidates = Vec::new();
    for (index, (weight, page_break)) in weights.iter().zip(breaks).enumerate() {
        if *page_break && index > 0 {
            candidates.push((index, before));
        }
        before += weight;
    }
    let total = before;
    let mut starts = vec![0];
    for part in 1..parts.max(1) {
        let goal = total * part / parts;
        let nearest = candidates
            .iter()
            .min_by_key(|(_, at)| at.abs_diff(goal))
            .map(|(index, _)| *index);
        if let Some(index) = nearest
            && starts.last().is_some_and(|last| index > *last)
        {
            starts.push(index);
        }
    }
    let ends = starts.iter().skip(1).copied().chain([weights.len()]);
    starts
        .iter()
        .zip(ends)
        .map(|(&start, end)| start..end)
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::report::timeline_report::EntryKind;

    pub(in crate::report::pdf) fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a date")
    }

    /// A conversation at `when` with `words` characters of notes.
    fn entry(when: NaiveDateTime, words: usize) -> ReportEntry {
        ReportEntry {
            at: when,
            has_time: true,
            kind: EntryKind::Conversation,
            channel: "Visit".into(),
            purpose: "Service".into(),
            outcome: "Held".into(),
            participants: vec!["Ana Lima".into()],
            summary: format!("Visit on {when}"),
            they_said: "x".repeat(words),
            they_need: String::new(),
            i_promised: String::new(),
            next_step: String::new(),
        }
    }

    /// One entry every `hours` from `from`.
    pub(in crate::report::pdf) fn entries(
        from: &str,
        count: usize,
        hours: i64,
        words: usize,
    ) -> Vec<ReportEntry> {
        (0..count)
            .map(|i| entry(at(from) + chrono::Duration::hours(hours * i as i64), words))
            .collect()
    }

    #[test]
    fn a_small_report_has_year_headings_and_no_page_breaks() {
        let list = entries("2024-12-20 09:00", 30, 24, 100);
        let sections = sections(&list);
        let years: Vec<(usize, &str)> = sections
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.year.is_empty())
            .map(|(i, s)| (i, s.year.as_str()))
            .collect();
        assert_eq!(years, [(0, "2024"), (12, "2025")]);
        assert!(sections.iter().all(|s| s.month.is_empty() && !s.page_break));
    }

    #[test]
    fn a_big_report_starts_years_and_months_after_a_full_run_on_a_new_page() {
        // One entry a day for two years, each about 520 characters: about 115 fill a run.
        let list = entries("2024-01-01 09:00", 731, 24, 340);
        let sections = sections(&list);
        let weight = entry_weight(&list[0]);
        let mut run = 0;
        for (index, (e, s)) in list.iter().zip(&sections).enumerate() {
            let first_of_month = index == 0
                || list[index - 1].at.format("%Y-%m").to_string()
                    != e.at.format("%Y-%m").to_string();
            assert_eq!(s.month.is_empty(), !first_of_month, "entry {index}");
            if first_of_month {
                assert_eq!(s.month, e.at.format("%B %Y").to_string());
            }
            if s.page_break {
                assert!(first_of_month, "breaks fall at a month's start ({index})");
                assert!(
                    run >= RUN_WEIGHT || !s.year.is_empty(),
                    "a month starts a new page only after a full run ({index})"
                );
                run = 0;
            } else {
                assert!(
                    run < RUN_WEIGHT + 31 * weight,
                    "no run is much longer than a full run and a month ({index})"
                );
            }
            run += entry_weight(e);
        }
        assert!(sections[366].page_break, "2025 starts on a new page");
        assert_eq!(sections[366].year, "2025");
        assert!(
            !sections[0].page_break,
            "the first entry follows the summary"
        );
        let breaks = sections.iter().filter(|s| s.page_break).count();
        assert!((5..=8).contains(&breaks), "{breaks} breaks in two years");
    }

    #[test]
    fn a_very_long_month_breaks_at_a_new_day_and_says_it_continues() {
        // 1,200 entries in March 2025, one every 36 minutes (40 a day).
        let list: Vec<ReportEntry> = (0..1200)
            .map(|i| {
                entry(
                    at("2025-03-01 00:00") + chrono::Duration::minutes(36 * i),
                    340,
                )
            })
            .collect();
        let sections = sections(&list);
        assert_eq!(sections[0].month, "March 2025");
        let continued: Vec<usize> = (0..list.len())
            .filter(|&i| sections[i].page_break)
            .collect();
        assert!(
            !continued.is_empty(),
            "a month of 1,200 entries is broken up"
        );
        for i in continued {
            assert_eq!(sections[i].month, "March 2025 (continued)");
            assert_ne!(list[i - 1].at.date(), list[i].at.date(), "at a new day");
        }
    }

    #[test]
    fn parts_start_at_page_breaks_near_equal_shares() {
        let weights = vec![1; 100];
        let breaks: Vec<bool> = (0..100).map(|i| i % 10 == 0).collect();
        assert_eq!(split_parts(&weights, &breaks, 1), vec![0..100]);
        assert_eq!(split_parts(&weights, &breaks, 2), [0..50, 50..100]);
        assert_eq!(split_parts(&weights, &breaks, 3), [0..30, 30..70, 70..100]);
        // Without breaks a report stays whole; an empty one is one empty part.
        assert_eq!(split_parts(&weights, &[false; 100], 4), vec![0..100]);
        assert_eq!(split_parts(&[], &[], 2), vec![0..0]);
        // Two breaks cannot make four parts.
        let few: Vec<bool> = (0..100).map(|i| i == 40 || i == 80).collect();
        assert_eq!(split_parts(&weights, &few, 4), [0..40, 40..80, 80..100]);
    }
}

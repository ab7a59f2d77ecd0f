//! Timeline reports: what the PDF, HTML, CSV and Markdown files say, what the scope, period,
//! kinds and privacy switch leave in or out (the command line and the export dialog:
//! `report_export_tests`). Every date is fixed: nothing depends on the day the tests run.

use chrono::{NaiveDate, NaiveDateTime};
use rapport::model::{
    Channel, ContactDraft, ContactId, EntryKinds, FollowUpDraft, Initiator, InteractionDraft,
    Outcome, Purpose, ReportRequest, ReportScope,
};
use rapport::report::timeline_report::EntryKind;
use rapport::report::{ReportFormat, TimelineReport};
use rapport::store::Store;
use std::process::Command;

pub(crate) const NOW: &str = "2026-11-20 09:00";
const MARKUP_NAME: &str = "Zoë #set page(width: 1cm) *bold* _it_ $x$ \\ [a] <l> @ref";

pub(crate) fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

struct World {
    store: Store,
    maria: ContactId,
    bob: ContactId,
    markup: ContactId,
    script: ContactId,
}

/// Two bakers, a hardware buyer, people with names in other scripts and names full of markup.
/// Runs `test` on the world in a database of each engine (see `each_engine`).
fn each_world(test: impl Fn(World)) {
    crate::common::each_engine(|store| test(world_in(store)));
}

fn world_in(mut store: Store) -> World {
    store.set_clock(at("2026-01-05 08:00").and_utc());
    let maria = store
        .create_contact(&ContactDraft {
            display_name: "Maria García".into(),
            organization: "Golden Crust Bakery".into(),
            title: "Owner".into(),
            family: "Married to Sam; two kids".into(),
            interests: "Cycling and jazz".into(),
            how_we_met: "Trade fair in Lyon".into(),
            personal_notes: "Prefers calls after 3 pm".into(),
            birthday: rapport::model::Birthday::new(Some(1980), 4, 12),
            tags: vec!["vip".into()],
            ..ContactDraft::default()
        })
        .unwrap();
    let tomas = store
        .create_contact(&ContactDraft {
            display_name: "Tomás Ruiz".into(),
            organization: "Golden Crust Bakery".into(),
            title: "Baker".into(),
            family: "Tomás's secret family note".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    let bob = store
        .create_contact(&ContactDraft {
            display_name: "Bob Okafor".into(),
            organization: "Harbor Hardware".into(),
            tags: vec!["vip".into()],
            ..ContactDraft::default()
        })
        .unwrap();
    let markup = store
        .create_contact(&ContactDraft::named(MARKUP_NAME))
        .unwrap();
    let script = store
        .create_contact(&ContactDraft::named("<script>alert(1)</script>"))
        .unwrap();
    for name in ["Đặng Thị Mỹ", "李小龙", "Ελένη Παπαδοπούλου"] {
        let id = store.create_contact(&ContactDraft::named(name)).unwrap();
        store
            .log_interaction(&InteractionDraft {
                summary: format!("Catch-up with {name}"),
                ..InteractionDraft::new(at("2026-05-01 10:00"), id)
            })
            .unwrap();
    }
    store
        .log_interaction(&InteractionDraft {
            channel: Channel::Visit,
            purpose: Purpose::Service,
            summary: "Oven repair check".into(),
            they_said: "The new oven runs hot on the left\nand the door sticks".into(),
            they_need: "A technician before the weekend rush".into(),
            i_promised: "Call back Tuesday at 15:00".into(),
            next_step: "Send the technician's report".into(),
            ..InteractionDraft::new(at("2026-03-03 10:30"), maria)
        })
        .unwrap();
    store
        .log_interaction(&InteractionDraft {
            channel: Channel::Call,
            purpose: Purpose::Sales,
            summary: "Quote for the spring order".into(),
            they_said: "=1+2".into(),
            participants: vec![maria, tomas],
            ..InteractionDraft::new(at("2026-02-10 14:00"), maria)
        })
        .unwrap();
    store
        .log_interaction(&InteractionDraft {
            channel: Channel::Meal,
            outcome: Outcome::NoShow,
            summary: "Lunch at the bistro".into(),
            ..InteractionDraft::new(at("2026-06-12 12:30"), maria)
        })
        .unwrap();
    store
        .log_interaction(&InteractionDraft {
            channel: Channel::Email,
            purpose: Purpose::Sales,
            summary: "Sent the hardware catalogue".into(),
            ..InteractionDraft::new(at("2026-04-01 09:15"), bob)
        })
        .unwrap();
    store
        .log_interaction(&InteractionDraft {
            summary: format!("Talked with {MARKUP_NAME}"),
            they_said: "#include \"x\" and $math$ and *stars*".into(),
            ..InteractionDraft::new(at("2026-04-02 11:00"), markup)
        })
        .unwrap();
    store
        .log_interaction(&InteractionDraft {
            summary: "<img src=x onerror=alert(2)>".into(),
            ..InteractionDraft::new(at("2026-04-03 11:00"), script)
        })
        .unwrap();
    let follow_up = |text: &str, due: &str, by: Initiator| FollowUpDraft {
        contact_id: maria,
        organization_id: None,
        interaction_id: None,
        text: text.into(),
        notes: String::new(),
        due_date: day(due),
        due_time: None,
        promised_by: by,
        repeat: None,
    };
    let kept = store
        .add_follow_up(&follow_up("Send the quote", "2026-02-12", Initiator::Me))
        .unwrap();
    store
        .complete_follow_up(kept, at("2026-02-11 16:00"))
        .unwrap();
    let late = store
        .add_follow_up(&follow_up(
            "Call back about the oven",
            "2026-03-05",
            Initiator::Me,
        ))
        .unwrap();
    store
        .complete_follow_up(late, at("2026-03-09 10:00"))
        .unwrap();
    let broken = store
        .add_follow_up(&follow_up("Bring samples", "2026-03-20", Initiator::Me))
        .unwrap();
    store
        .set_follow_up_status(
            broken,
            rapport::model::FollowUpStatus::Missed,
            at("2026-03-21 09:00"),
        )
        .unwrap();
    store
        .add_follow_up(&follow_up("Pay the invoice", "2026-12-01", Initiator::Them))
        .unwrap();
    store
        .add_life_event(maria, day("2026-05-20"), "New baby", "A daughter, Lucía")
        .unwrap();
    World {
        store,
        maria,
        bob,
        markup,
        script,
    }
}

fn report(store: &Store, request: &ReportRequest) -> TimelineReport {
    let data = store.report_data(request).unwrap();
    rapport::report::build(data, request, at(NOW), "Rapport test")
}

fn text(store: &Store, request: &ReportRequest, format: ReportFormat) -> String {
    String::from_utf8(rapport::report::render(&report(store, request), format).unwrap()).unwrap()
}

/// The text of a PDF, in reading order, through poppler's `pdftotext`.
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext is needed to read the PDF ({e}); install poppler-utils (apt-get install poppler-utils)")
        });
    assert!(output.status.success(), "pdftotext failed");
    String::from_utf8(output.stdout).unwrap()
}

/// Asserts `needles` appear in `haystack` in this order.
fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(i) => from += i + needle.len(),
            None => panic!("{needle:?} missing (or out of order) in:\n{haystack}"),
        }
    }
}

#[test]
fn pdf_has_names_dates_and_notes_in_order_with_page_numbers() {
    each_world(|w| {
        let request = ReportRequest::new(ReportScope::Contact(w.maria));
        let pdf = rapport::report::render(&report(&w.store, &request), ReportFormat::Pdf).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let text = pdf_text(&pdf);
        assert_in_order(
            &text,
            &[
                "Maria García",
                "2026-11-20 09:00 by Rapport test",
                "Married to Sam",
                "TOUCHES",
                "Tue 10 Feb 2026, 14:00",
                "With Maria García, Tomás Ruiz",
                "Quote for the spring order",
                "Thu 12 Feb 2026",
                "Send the quote",
                "Tue 3 Mar 2026, 10:30",
                "Oven repair check",
                "The new oven runs hot on the left",
                "A technician before the weekend rush",
                "Call back Tuesday at 15:00",
                "Send the technician",
                "Wed 20 May 2026",
                "New baby: A daughter, Lucía",
                "Lunch at the bistro",
            ],
        );
        assert!(
            text.contains("on the left\nand the door sticks"),
            "a note's second line on a line of its own: {text}"
        );
        assert!(text.contains("Page 1 of"), "{text}");
        assert!(text.contains("Rapport test"), "generator in the footer");
    });
}

/// A database in memory with one contact, Ana Lima, its clock set to `now`.
fn store_with_ana_lima(now: &str) -> (Store, ContactId) {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(at(now).and_utc());
    let contact = store
        .create_contact(&ContactDraft {
            display_name: "Ana Lima".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    (store, contact)
}

#[test]
fn every_pdf_page_but_the_first_has_the_header_and_every_page_its_number() {
    let (mut store, contact) = store_with_ana_lima("2026-01-05 08:00");
    for i in 0..120i64 {
        let moment = at("2025-01-06 09:00") + chrono::Duration::hours(20 * i);
        store
            .log_interaction(&InteractionDraft {
                summary: format!("Visit number {i}"),
                they_said: "The shelves are too high for the older customers".into(),
                ..InteractionDraft::new(moment, contact)
            })
            .unwrap();
    }
    let request = ReportRequest::new(ReportScope::Contact(contact));
    let pdf = rapport::report::render(&report(&store, &request), ReportFormat::Pdf).unwrap();
    let text = pdf_text(&pdf);
    // pdftotext ends each page with a form feed.
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let total = pages.len();
    assert!(total >= 3, "120 visits fill several pages, got {total}");
    for (index, page) in pages.iter().enumerate() {
        let number = index + 1;
        assert!(
            page.contains(&format!("Page {number} of {total}")),
            "page {number}: {page}"
        );
        assert!(page.contains("Rapport test"), "footer on page {number}");
        // The header reads "Relationship timeline · Ana Lima"; the title block on page 1
        // prints the title in capitals above the name.
        assert_eq!(
            page.contains("timeline · Ana Lima"),
            number > 1,
            "the running header is on every page but the first (page {number}): {page}"
        );
    }
    assert_in_order(
        &text,
        &["Visit number 0", "Visit number 60", "Visit number 119"],
    );
}

#[test]
fn pdf_prints_markup_characters_and_other_scripts_as_typed() {
    each_world(|w| {
        let request = ReportRequest::new(ReportScope::Everyone);
        let pdf = rapport::report::render(&report(&w.store, &request), ReportFormat::Pdf).unwrap();
        let text = pdf_text(&pdf);
        // Typst markup in a name is printed, never run (a `#set page(width: 1cm)` would wreck it).
        for piece in [
            "Zoë #set page(width: 1cm)",
            "*bold* _it_ $x$",
            "[a] <l> @ref",
            "#include \"x\" and $math$ and *stars*",
        ] {
            assert!(text.contains(piece), "{piece:?} in\n{text}");
        }
        assert!(text.contains("Đặng Thị Mỹ"), "Vietnamese");
        assert!(text.contains("Ελένη Παπαδοπούλου"), "Greek");
        assert!(text.contains("<script>alert(1)</script>"));
        // Chinese needs a CJK font on the machine; when there is one, the name must come through.
        let has_cjk_font = Command::new("fc-list")
            .arg(":lang=zh")
            .output()
            .is_ok_and(|o| !o.stdout.is_empty());
        if has_cjk_font {
            assert!(text.contains("李小龙"), "Chinese with a CJK font installed");
        } else {
            eprintln!("no CJK font installed: not checking 李小龙 in the PDF");
        }
    });
}

#[test]
fn html_is_one_escaped_file_with_no_live_script() {
    each_world(|w| {
        let request = ReportRequest::new(ReportScope::Contact(w.script));
        let html = text(&w.store, &request, ReportFormat::Html);
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("@media print"));
        assert!(!html.contains("src=\"http"), "self-contained");
        let everyone = text(
            &w.store,
            &ReportRequest::new(ReportScope::Everyone),
            ReportFormat::Html,
        );
        assert!(!everyone.to_lowercase().contains("<script"));
        assert!(
            everyone.contains("Zoë #set page(width: 1cm) *bold* _it_ $x$ \\ [a] &lt;l&gt; @ref")
        );
    });
}

#[test]
fn html_puts_each_year_of_the_timeline_under_its_heading() {
    let (mut store, contact) = store_with_ana_lima("2026-05-01 08:00");
    for (when, summary) in [
        ("2024-12-30 10:00", "Year-end visit"),
        ("2025-01-02 09:00", "New year call"),
        ("2025-06-12 15:00", "Summer order"),
        ("2026-03-01 11:00", "Spring check-in"),
    ] {
        store
            .log_interaction(&InteractionDraft {
                summary: summary.into(),
                ..InteractionDraft::new(at(when), contact)
            })
            .unwrap();
    }
    let html = text(
        &store,
        &ReportRequest::new(ReportScope::Contact(contact)),
        ReportFormat::Html,
    );
    assert_in_order(
        &html,
        &[
            "<h3 class=\"year\">2024</h3>",
            "Year-end visit",
            "</ol>",
            "<h3 class=\"year\">2025</h3>",
            "New year call",
            "Summer order",
            "</ol>",
            "<h3 class=\"year\">2026</h3>",
            "Spring check-in",
            "</ol>",
        ],
    );
    // Every list opened is closed.
    assert_eq!(html.matches("<ol class=\"timeline\">").count(), 3);
    assert_eq!(html.matches("</ol>").count(), 3);
}

#[test]
fn a_report_for_a_folder_that_cannot_take_it_is_refused_at_once_in_one_sentence() {
    each_world(|w| {
        let dir = tempfile::tempdir().unwrap();
        let request = ReportRequest::new(ReportScope::Contact(w.maria));
        let missing = dir.path().join("missing").join("report.pdf");
        // Said before anything else: a contact that does not exist is not even looked up.
        let nobody = ReportRequest::new(ReportScope::Contact(ContactId(987_654)));
        let err =
            rapport::files::export_report(&w.store, &nobody, ReportFormat::Pdf, &missing, at(NOW))
                .unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            format!(
                "Could not write in {} (the folder does not exist); choose another folder.",
                dir.path().join("missing").display()
            )
        );
        // A file where a folder should be.
        std::fs::write(dir.path().join("notes.txt"), "keep").unwrap();
        let under_a_file = dir.path().join("notes.txt").join("report.html");
        let err = rapport::files::export_report(
            &w.store,
            &request,
            ReportFormat::Html,
            &under_a_file,
            at(NOW),
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("(part of the path is a file, not a folder)"),
            "{err:#}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "keep"
        );
        // Nothing but the file that was there.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    });
}

#[test]
fn csv_has_stable_columns_and_neutralized_formulas() {
    each_world(|w| {
        let request = ReportRequest::new(ReportScope::Contact(w.maria));
        let csv_text = text(&w.store, &request, ReportFormat::Csv);
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(headers, rapport::report::csv::COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let quote = rows
            .iter()
            .find(|r| &r[7] == "Quote for the spring order")
            .unwrap();
        assert_eq!(&quote[0], "2026-02-10");
        assert_eq!(&quote[1], "14:00");
        assert_eq!(&quote[2], "conversation");
        assert_eq!(&quote[8], "'=1+2", "a formula comes out as text");
        assert_eq!(&quote[6], "Maria García; Tomás Ruiz");
        for row in &rows {
            for cell in row.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "live formula cell {cell:?}"
                );
            }
        }
        assert_eq!(rapport::report::csv::neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(rapport::report::csv::neutralize("\tx"), "'\tx");
        assert_eq!(rapport::report::csv::neutralize("plain"), "plain");
        assert_eq!(rapport::report::csv::neutralize("'=1"), "''=1");
        assert_eq!(rapport::report::csv::neutralize("'x"), "'x");
        // Oldest first.
        let dates: Vec<String> = rows.iter().map(|r| r[0].to_owned()).collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted);
    });
}

#[test]
fn markdown_round_trips_the_entries() {
    each_world(|w| {
        for request in [
            ReportRequest::new(ReportScope::Contact(w.maria)),
            ReportRequest::new(ReportScope::Everyone),
        ] {
            let report = report(&w.store, &request);
            let markdown = rapport::report::markdown::render(&report);
            let parsed = rapport::report::markdown::parse_entries(&markdown);
            assert_eq!(parsed, report.entries);
            assert!(markdown.contains("# Relationship timeline"));
        }
        let markdown = text(
            &w.store,
            &ReportRequest::new(ReportScope::Contact(w.markup)),
            ReportFormat::Markdown,
        );
        assert!(
            markdown.contains("Zoë \\#set page\\(width: 1cm\\) \\*bold\\*"),
            "{markdown}"
        );
    });
}

#[test]
fn summary_counts_touches_promises_needs_and_no_shows() {
    each_world(|w| {
        let report = report(&w.store, &ReportRequest::new(ReportScope::Contact(w.maria)));
        let s = &report.summary;
        assert_eq!(s.touches, 2, "the no-show is not a touch");
        assert_eq!(s.no_shows, 1);
        assert_eq!(s.in_person_percent, Some(50));
        assert_eq!(s.last_contact, Some(at("2026-03-03 10:30")));
        assert_eq!(
            (s.my_promises_kept, s.my_promises_late, s.my_promises_broken),
            (1, 1, 1)
        );
        assert_eq!(s.open_follow_ups, 1);
        assert_eq!(s.overdue_follow_ups, 0, "due 1 Dec, generated 20 Nov");
        assert_eq!(s.needs_noted, 1);
        assert_eq!(s.open_needs[0].need, "A technician before the weekend rush");
        let channels: Vec<(&str, u32)> = s
            .by_channel
            .iter()
            .map(|t| (t.label.as_str(), t.count))
            .collect();
        assert_eq!(channels, [("In-person visit", 1), ("Phone call", 1)]);
        assert_eq!(report.header.subject, "Maria García");
        assert_eq!(report.header.generator, "Rapport test");
        assert_eq!(report.header.generated_at, at(NOW));
    });
}

#[test]
fn scope_period_kinds_and_privacy_decide_what_is_in() {
    each_world(|w| {
        // An organization: both people, each shared conversation once, no personal details.
        let org = w
            .store
            .organization_by_name("Golden Crust Bakery")
            .unwrap()
            .unwrap();
        let request = ReportRequest::new(ReportScope::Organization(org.id));
        assert!(
            !request.include_personal,
            "off by default for more than one person"
        );
        let r = report(&w.store, &request);
        assert_eq!(r.header.subject, "Everyone at Golden Crust Bakery");
        assert_eq!(r.header.people.len(), 2);
        let quotes = r
            .entries
            .iter()
            .filter(|e| e.summary == "Quote for the spring order")
            .count();
        assert_eq!(quotes, 1, "a conversation with two of them appears once");
        let html = rapport::report::html::render(&r);
        for secret in [
            "Married to Sam",
            "Cycling and jazz",
            "Trade fair in Lyon",
            "Prefers calls",
            "secret family",
            "1980",
        ] {
            assert!(
                !html.contains(secret),
                "{secret} leaked into an organization report"
            );
        }
        // With the switch on, they are in.
        let mut personal = request.clone();
        personal.include_personal = true;
        let html = rapport::report::html::render(&report(&w.store, &personal));
        assert!(html.contains("Married to Sam") && html.contains("1980-04-12"));
        // One contact: personal details by default.
        let single = ReportRequest::new(ReportScope::Contact(w.maria));
        assert!(single.include_personal);
        let md = text(&w.store, &single, ReportFormat::Markdown);
        assert!(md.contains("Trade fair in Lyon"));

        // A tag: Maria and Bob.
        let r = report(
            &w.store,
            &ReportRequest::new(ReportScope::Tag("VIP".into())),
        );
        let names: Vec<&str> = r
            .header
            .people
            .iter()
            .map(|p| p.display_name.as_str())
            .collect();
        assert_eq!(names, ["Bob Okafor", "Maria García"]);
        assert!(
            r.entries
                .iter()
                .any(|e| e.summary == "Sent the hardware catalogue")
        );
        assert!(
            w.store
                .report_data(&ReportRequest::new(ReportScope::Tag("nobody".into())))
                .is_err()
        );

        // A period: only March.
        let mut march = ReportRequest::new(ReportScope::Contact(w.maria));
        march.from = Some(day("2026-03-01"));
        march.to = Some(day("2026-03-31"));
        let r = report(&w.store, &march);
        assert!(
            r.entries
                .iter()
                .all(|e| e.at.date() >= day("2026-03-01") && e.at.date() <= day("2026-03-31"))
        );
        assert!(r.entries.iter().any(|e| e.summary == "Oven repair check"));
        assert!(
            !r.entries
                .iter()
                .any(|e| e.summary == "Quote for the spring order")
        );
        assert_eq!(r.summary.touches, 1);
        assert_eq!(r.header.period(), "1 Mar 2026 – 31 Mar 2026");

        // Kinds: conversations only.
        let mut talk = ReportRequest::new(ReportScope::Contact(w.maria));
        talk.kinds = EntryKinds {
            conversations: true,
            follow_ups: false,
            life_events: false,
        };
        let r = report(&w.store, &talk);
        assert!(r.entries.iter().all(|e| e.kind == EntryKind::Conversation));
        assert_eq!(
            r.summary.my_promises_kept, 1,
            "the summary still counts promises"
        );
        // Everyone: every live contact, oldest first.
        let r = report(&w.store, &ReportRequest::new(ReportScope::Everyone));
        assert_eq!(r.header.people.len(), 8);
        assert!(r.entries.windows(2).all(|p| p[0].at <= p[1].at));
        assert!(r.entries.iter().any(|e| e.participants == ["Bob Okafor"]));
        let _ = w.bob;
    });
}

//! The mail-file reader (`rapport::import::mail`): real-looking `.eml` and `.mbox` files as
//! Thunderbird, Apple Mail, Outlook on the web and Google Takeout write them, read into the
//! conversations they become. Times are shown in a zone given here, never the machine's.

use std::io::{BufReader, Cursor};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rapport::import::mail::{
    IncomingConversation, LocalTime, MailAddress, MailFileKind, MboxReader, ReadOptions,
    SkipReason, detect, read_eml,
};
use rapport::model::{Channel, Outcome};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name)
}

fn in_zone(zone: &str) -> ReadOptions {
    ReadOptions {
        local_time: LocalTime::Zone(jiff::tz::TimeZone::get(zone).unwrap()),
        ..ReadOptions::default()
    }
}

fn utc() -> ReadOptions {
    ReadOptions {
        local_time: LocalTime::Zone(jiff::tz::TimeZone::UTC),
        ..ReadOptions::default()
    }
}

fn eml(name: &str, opts: &ReadOptions) -> IncomingConversation {
    read_eml(&std::fs::read(fixture(name)).unwrap(), opts)
}

fn mbox(bytes: Vec<u8>, opts: &ReadOptions) -> Vec<IncomingConversation> {
    MboxReader::new(BufReader::new(Cursor::new(bytes)), opts.clone()).collect()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn addr(name: &str, address: &str) -> MailAddress {
    MailAddress::new(name, address)
}

#[test]
fn thunderbird_flowed_reply_loses_its_quote_and_signature() {
    let c = eml("thunderbird_flowed_reply.eml", &in_zone("Europe/London"));
    assert_eq!(
        c.source_ref,
        "mid:8f1c2a4e-5b7d-4c1e-9a3f-2d6e8b0c1f47@costa-bakery.example"
    );
    assert_eq!(
        c.thread_ref.as_deref(),
        Some("mid:CAF3k9x7Qd1=first@mail.gmail.com"),
        "the first id of References"
    );
    assert_eq!(c.summary, "Re: Flour delivery for the Easter weekend");
    assert_eq!(
        c.occurred_at,
        at("2024-03-12 09:42:17"),
        "+0100 shown in London (winter)"
    );
    assert_eq!(
        c.from,
        Some(addr("Bruno Costa", "bruno@costa-bakery.example"))
    );
    assert_eq!(
        c.to,
        vec![
            addr("Ana Lima", "ana@millstone.example"),
            addr("", "orders@costa-bakery.example")
        ]
    );
    assert_eq!(
        c.they_said,
        "Hi Ana,\n\nthanks for the quick answer. We will need twelve sacks of the stone-ground \
         rye on Thursday instead of ten, and the spelt can wait until the week after Easter.\n\n\
         Could your driver come before 7:00? The ovens are full from 7:30."
    );
    assert_eq!(
        (c.channel, c.outcome, c.duration_minutes),
        (Channel::Email, Outcome::Held, None)
    );
    assert!(c.attachments.is_empty());
    assert_eq!(c.skip, None);
}

#[test]
fn apple_mail_alternative_prefers_the_plain_text_and_decodes_q_words() {
    let c = eml("apple_mail_german_reply.eml", &in_zone("Europe/Berlin"));
    assert_eq!(c.summary, "Re: Angebot f\u{fc}r die Hochzeitstorte");
    assert_eq!(
        c.from,
        Some(addr(
            "J\u{fc}rgen M\u{fc}ller",
            "juergen.mueller@example.de"
        ))
    );
    assert_eq!(
        c.to,
        vec![
            addr("Konditorei Weiss", "info@konditorei-weiss.example"),
            addr("Lena Weiss", "lena@konditorei-weiss.example"),
        ],
        "To then Cc"
    );
    assert!(!c.they_said.contains("HTML VERSION"), "{}", c.they_said);
    assert_eq!(
        c.they_said,
        "Hallo Frau Weiss,\n\nvielen Dank f\u{fc}r das Angebot. Wir nehmen die \
         dreist\u{f6}ckige Torte mit Himbeeren, bitte ohne Marzipan.\n\nLiefern Sie am Samstag \
         bis 11 Uhr?\n\nViele Gr\u{fc}\u{df}e\nJ\u{fc}rgen M\u{fc}ller"
    );
    assert_eq!(
        c.thread_ref.as_deref(),
        Some("mid:20240305091500.4411@konditorei-weiss.example")
    );
    assert_eq!(c.occurred_at, at("2024-03-06 08:03:29"));
}

#[test]
fn outlook_web_reply_lists_real_attachments_only() {
    let c = eml("outlook_web_reply_attachments.eml", &utc());
    assert_eq!(c.summary, "RE: Breakfast pastries for the conference");
    assert_eq!(c.occurred_at, at("2024-01-15 19:30:05"), "-0500 in UTC");
    assert_eq!(
        c.attachments,
        vec![
            "Order 2024-017 signed.pdf".to_owned(),
            "Preisliste Fr\u{fc}hjahr.xlsx".to_owned()
        ],
        "the logo shown in the HTML and the unnamed inline picture are not attachments"
    );
    assert_eq!(
        c.to,
        vec![
            addr("Costa, Bruno", "bruno@costa-bakery.example"),
            addr("Ana Lima", "ana@millstone.example"),
            addr("", "events@harbourhotels.example"),
        ]
    );
    assert_eq!(
        c.they_said,
        "Hi Bruno,\n\nThe conference moved to the Atrium, so please deliver the 80 croissants \
         and 40 pain au chocolat to the side entrance on Friday by 6:45.\n\nThe signed order is \
         attached.\n\nKind regards,\nPriya",
        "the image placeholder and the From:/Sent: block are gone"
    );
}

#[test]
fn html_only_mail_reads_as_text_without_css_script_or_quote() {
    let c = eml("html_only_outlook.eml", &in_zone("Asia/Tokyo"));
    assert_eq!(c.occurred_at, at("2024-07-04 09:12:40"), "+0900 in Tokyo");
    assert_eq!(
        c.they_said,
        "Dear Bruno,\n\nthe shoot is booked for Tuesday at 8 am. We will need:\n\n- the \
         sourdough loaves & rolls\n- three tarts \u{2013} any fruit\nStudio Via Roma 5\n\
         \u{201c}Natural light\u{201d} works best, so before 10 if you can.\n\nSofia",
        "Windows-1252 quotes and dashes decoded"
    );
    for hidden in [
        "font-family",
        "trackOpen",
        "OfficeDocumentSettings",
        "when can you come",
    ] {
        assert!(!c.they_said.contains(hidden), "{hidden} in {}", c.they_said);
    }
}

#[test]
fn gmail_reply_in_german_stops_at_the_wrapped_attribution() {
    let c = eml("gmail_german_reply.eml", &in_zone("Europe/Berlin"));
    assert_eq!(c.summary, "Re: Brezeln f\u{fc}r das Sommerfest");
    assert_eq!(
        c.they_said,
        "Hallo Bruno,\n\n200 Brezeln passen gut. Bitte in zwei Lieferungen, um 15 und um 17 \
         Uhr.\n\nGru\u{df}\nKatrin"
    );
    assert_eq!(
        c.occurred_at,
        at("2024-07-09 14:03:55"),
        "+0200 in Berlin (summer)"
    );
}

#[test]
fn french_iphone_reply_drops_the_phone_signature_and_quote() {
    let c = eml("french_iphone_reply.eml", &utc());
    assert_eq!(c.summary, "Re: D\u{e9}gustation du 22 mars", "UTF-8 B word");
    assert_eq!(
        c.they_said,
        "Parfait, nous serons douze. Pouvez-vous pr\u{e9}voir une option sans gluten ?"
    );
}

#[test]
fn outlook_original_message_in_windows_1252_with_latin1_subject() {
    let c = eml("windows1252_outlook_original.eml", &utc());
    assert_eq!(c.summary, "Cr\u{e8}me fra\u{ee}che pour f\u{e9}vrier");
    assert_eq!(
        c.from,
        Some(addr(
            "Fran\u{e7}ois Lef\u{e8}vre",
            "francois@fromagerie.example"
        ))
    );
    assert_eq!(
        c.they_said,
        "Bonjour Bruno,\n\nNous livrons 20 pots de cr\u{e8}me fra\u{ee}che \u{2013} \u{20ac} \
         3,10 le pot \u{2013} mardi matin.\n\u{201c}Comme d\u{2019}habitude\u{201d}, la facture \
         suit par courrier.\n\nCordialement,\nFran\u{e7}ois"
    );
    assert_eq!(c.occurred_at, at("2024-01-22 10:05:00"));
}

#[test]
fn shift_jis_body_and_iso_2022_jp_subject() {
    let c = eml("shift_jis.eml", &in_zone("Asia/Tokyo"));
    assert_eq!(
        c.summary,
        "\u{6253}\u{3061}\u{5408}\u{308f}\u{305b}\u{306e}\u{4ef6}"
    );
    assert_eq!(
        c.from,
        Some(addr("\u{7530}\u{4e2d}", "tanaka@shop.example.jp"))
    );
    assert_eq!(
        c.they_said,
        "\u{7530}\u{4e2d}\u{3067}\u{3059}\u{3002}\n\u{660e}\u{65e5}\u{306e}\u{6253}\u{3061}\
         \u{5408}\u{308f}\u{305b}\u{306f}10\u{6642}\u{304b}\u{3089}\u{3067}\u{304a}\u{9858}\
         \u{3044}\u{3057}\u{307e}\u{3059}\u{3002}\n\n\u{7530}\u{4e2d}"
    );
    assert_eq!(c.occurred_at, at("2024-03-08 17:20:00"));
}

#[test]
fn encoded_word_subjects_utf8_b_and_q_and_iso_8859_1() {
    let cases = [
        ("=?UTF-8?B?w4dhIHZhIGJpZW4gPw==?=", "\u{c7}a va bien ?"),
        (
            "=?utf-8?Q?K=C3=A4sekuchen_f=C3=BCr_Freitag?=",
            "K\u{e4}sekuchen f\u{fc}r Freitag",
        ),
        (
            "=?ISO-8859-1?Q?Se=F1ora_Pe=F1a?= =?ISO-8859-1?Q?_llega?=",
            "Se\u{f1}ora Pe\u{f1}a llega",
        ),
        ("Plain words", "Plain words"),
    ];
    for (raw, expected) in cases {
        let bytes = format!(
            "From: ana@millstone.example\nDate: Mon, 1 Apr 2024 10:00:00 +0000\n\
             Message-ID: <s@x.example>\nSubject: {raw}\n\nHello\n"
        );
        assert_eq!(
            read_eml(bytes.as_bytes(), &utc()).summary,
            expected,
            "{raw}"
        );
    }
}

#[test]
fn flowed_text_with_delsp_joins_without_the_space() {
    let bytes = b"From: ana@millstone.example\nDate: Mon, 1 Apr 2024 10:00:00 +0000\n\
        Message-ID: <f@x.example>\nSubject: flowed\n\
        Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\n\
        Sourdough needs twen \nty hours.\n From the start.\n";
    let c = read_eml(bytes, &utc());
    assert_eq!(
        c.they_said,
        "Sourdough needs twenty hours.\nFrom the start."
    );
}

#[test]
fn newsletters_and_automated_senders_are_skipped_with_the_reason() {
    let news = eml("newsletter_mailchimp.eml", &utc());
    assert_eq!(
        news.skip,
        Some(SkipReason::Bulk(
            "List-Id: 1234567mc list <1234567.xt.local>".into()
        )),
        "List-Id decides before Precedence"
    );
    assert_eq!(news.summary, "Spring flours are here \u{1f33e}");

    let shop = eml("noreply_shipping.eml", &utc());
    assert_eq!(
        shop.skip,
        Some(SkipReason::Bulk("sender no-reply@ovenparts.example".into()))
    );
    assert_eq!(
        shop.skip.as_ref().unwrap().describe(),
        "newsletter or automated sender (sender no-reply@ovenparts.example)"
    );

    let with = |headers: &str| {
        let bytes = format!(
            "From: Ana Lima <ana@millstone.example>\n{headers}\nDate: Mon, 1 Apr 2024 10:00:00 +0000\n\
             Message-ID: <b@x.example>\nSubject: s\n\nHello\n"
        );
        read_eml(bytes.as_bytes(), &utc()).skip
    };
    assert_eq!(
        with("Precedence: bulk\nList-Unsubscribe: <mailto:x@y.example>"),
        Some(SkipReason::Bulk(
            "Precedence: bulk and List-Unsubscribe".into()
        ))
    );
    assert_eq!(
        with("Precedence: list"),
        Some(SkipReason::Bulk("Precedence: list".into()))
    );
    assert_eq!(
        with("Auto-Submitted: auto-generated"),
        Some(SkipReason::Bulk("Auto-Submitted: auto-generated".into()))
    );
    assert_eq!(with("Auto-Submitted: no"), None, "a person said no");
    assert_eq!(
        with("List-Unsubscribe: <mailto:x@y.example>"),
        None,
        "a sales mail with an unsubscribe link is still a person's"
    );
    for sender in [
        "noreply@shop.example",
        "NoReply+orders@shop.example",
        "do-not-reply@bank.example",
        "donotreply@bank.example",
        "no_reply@bank.example",
        "MAILER-DAEMON@mx.example",
        "notifications@github.example",
    ] {
        let bytes = format!(
            "From: {sender}\nDate: Mon, 1 Apr 2024 10:00:00 +0000\nMessage-ID: <n@x.example>\n\
             Subject: s\n\nHello\n"
        );
        assert_eq!(
            read_eml(bytes.as_bytes(), &utc()).skip,
            Some(SkipReason::Bulk(format!("sender {sender}"))),
            "{sender}"
        );
    }
    for person in [
        "noreen@shop.example",
        "juno.reply@shop.example",
        "ana@notifications.example",
        "reply.desk@shop.example",
    ] {
        let bytes = format!(
            "From: {person}\nDate: Mon, 1 Apr 2024 10:00:00 +0000\nMessage-ID: <p@x.example>\n\
             Subject: s\n\nHello\n"
        );
        assert_eq!(read_eml(bytes.as_bytes(), &utc()).skip, None, "{person}");
    }
}

#[test]
fn a_message_without_message_id_gets_a_stable_made_up_one() {
    let first = eml("no_message_id.eml", &utc());
    let second = eml("no_message_id.eml", &utc());
    assert!(
        first.source_ref.starts_with("mid:made-up-") && first.source_ref.ends_with("@rapport"),
        "{}",
        first.source_ref
    );
    assert_eq!(first.source_ref, second.source_ref);
    assert_eq!(first.thread_ref.as_ref(), Some(&first.source_ref));
    // The same message with CRLF line ends is the same message.
    let crlf = std::fs::read(fixture("no_message_id.eml"))
        .unwrap()
        .iter()
        .flat_map(|&b| {
            if b == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![b]
            }
        })
        .collect::<Vec<u8>>();
    assert_eq!(read_eml(&crlf, &utc()).source_ref, first.source_ref);
    // Another body is another message.
    let other = String::from_utf8(std::fs::read(fixture("no_message_id.eml")).unwrap())
        .unwrap()
        .replace("500 g rye", "600 g rye");
    assert_ne!(
        read_eml(other.as_bytes(), &utc()).source_ref,
        first.source_ref
    );
    assert_eq!(first.occurred_at, at("2024-01-10 21:20:00"), "-0500 in UTC");
    assert_eq!(
        first.they_said,
        "Bruno dear,\n\nhere it is: 500 g rye, 350 g water, 10 g salt, the starter from \
         Sunday.\nBake it hot, then lower the oven after ten minutes.\n\nLove, Rose"
    );
}

#[test]
fn summer_and_winter_time_of_the_local_zone() {
    let read = |date: &str| {
        let bytes = format!(
            "From: ana@millstone.example\nDate: {date}\nMessage-ID: <t@x.example>\nSubject: s\n\nHi\n"
        );
        read_eml(bytes.as_bytes(), &in_zone("Europe/Berlin")).occurred_at
    };
    assert_eq!(
        read("Mon, 15 Jan 2024 10:00:00 +0000"),
        at("2024-01-15 11:00:00")
    );
    assert_eq!(
        read("Mon, 15 Jul 2024 10:00:00 +0000"),
        at("2024-07-15 12:00:00")
    );
    assert_eq!(
        read("Mon, 15 Jul 2024 10:00:00 -0500"),
        at("2024-07-15 17:00:00")
    );
    assert_eq!(
        read("Tue, 16 Jan 2024 01:30:00 +0900"),
        at("2024-01-15 17:30:00")
    );
}

#[test]
fn long_bodies_are_cut_to_the_first_lines() {
    let lines: String = (1..=40)
        .map(|n| format!("Line number {n} of the order.\n"))
        .collect();
    let bytes = format!(
        "From: ana@millstone.example\nDate: Mon, 1 Apr 2024 10:00:00 +0000\n\
         Message-ID: <l@x.example>\nSubject: s\n\n{lines}"
    );
    let c = read_eml(bytes.as_bytes(), &utc());
    assert_eq!(c.they_said.lines().count(), 12);
    assert!(c.they_said.ends_with("Line number 12 of the order."));
    let opts = ReadOptions {
        max_said_chars: 50,
        ..utc()
    };
    let short = read_eml(bytes.as_bytes(), &opts);
    assert_eq!(
        short.they_said,
        "Line number 1 of the order.\nLine number 2 of the\u{2026}"
    );
}

#[test]
fn takeout_mbox_reads_every_message_in_order() {
    let all = mbox(
        std::fs::read(fixture("takeout_all_mail.mbox")).unwrap(),
        &utc(),
    );
    let summaries: Vec<&str> = all.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "Rye for Thursday",
            "This week: 20% off proofing baskets",
            "Automatic reply: Rye for Thursday",
            "Re: Rye for Thursday",
            "The menu photo",
            "Order for the gala",
        ]
    );
    assert_eq!(
        all[0].they_said,
        "Hi Bruno,\n\nFrom the market on Saturday: the rye harvest was smaller, so prices go up\n\
         by 4% in April.\n\nTen sacks are ready for Thursday.\n\nAna",
        ">From is unquoted"
    );
    assert_eq!(all[0].occurred_at, at("2024-03-12 09:15:00"));
    assert_eq!(
        all[1].skip,
        Some(SkipReason::Bulk(
            "List-Id: Bakery Supplies Weekly <weekly.bakerysupplies.example>".into()
        ))
    );
    assert_eq!(
        all[2].skip,
        Some(SkipReason::Bulk("Auto-Submitted: auto-replied".into()))
    );
    assert_eq!(
        all[3].they_said, "Thanks Ana, Thursday at 6 is fine.\n\nBruno",
        "gmail_quote left out"
    );
    assert_eq!(all[3].thread_ref, all[0].thread_ref, "one thread");
    assert_eq!(
        all[3].thread_ref.as_deref(),
        Some("mid:CAF3k9x7Qd1=first@mail.gmail.com")
    );
    assert_eq!(all[4].attachments, vec!["menu-cover.jpg".to_owned()]);
    assert_eq!(all[4].they_said, "Here is the photo for the menu cover.");
    assert_eq!(
        all[5].skip,
        Some(SkipReason::Unreadable(
            "the file ends in the middle of it".into()
        ))
    );
    assert_eq!(all[5].source_ref, "mid:cut-off@harbourhotels.example");
    assert!(all[..5].iter().all(|c| c.source_ref.starts_with("mid:")));
}

#[test]
fn thunderbird_folder_with_crlf_lines() {
    let bytes = std::fs::read(fixture("Inbox")).unwrap();
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    let length = bytes.len() as u64;
    let mut reader = MboxReader::new(BufReader::new(Cursor::new(bytes)), utc());
    let first = reader.next().unwrap();
    assert_eq!(first.summary, "Marzipan order");
    assert_eq!(
        first.from,
        Some(addr("Lena Weiss", "lena@konditorei-weiss.example"))
    );
    assert_eq!(
        first.they_said,
        "Hallo Bruno,\n\nFrom next week we take 5 kg of marzipan a month. Same price as before?\n\
         2 kg of pistachio paste too.\n\nLena"
    );
    assert_eq!(first.occurred_at, at("2024-01-16 07:01:05"));
    assert!(reader.bytes_read() < length);
    let second = reader.next().unwrap();
    assert_eq!(
        second.they_said, "Yes, same price. The pistachio paste is fine too.",
        "flowed over CRLF; the German attribution and quote are gone"
    );
    assert_eq!(second.thread_ref, Some(first.source_ref.clone()));
    assert!(reader.next().is_none());
    assert_eq!(reader.bytes_read(), length);
}

#[test]
fn a_message_over_the_cap_is_skipped_without_losing_the_next() {
    let mut file = Vec::new();
    file.extend_from_slice(
        b"From ana@millstone.example Mon Apr  1 10:00:00 2024\nFrom: Ana Lima <ana@millstone.example>\n\
          Date: Mon, 1 Apr 2024 10:00:00 +0000\nMessage-ID: <huge@millstone.example>\n\
          Subject: All the photos\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\
          Content-Type: image/jpeg; name=a.jpg\nContent-Transfer-Encoding: base64\n\n",
    );
    let line = [b'Q'; 76];
    while file.len() < 3 * 1024 * 1024 {
        file.extend_from_slice(&line);
        file.push(b'\n');
    }
    file.extend_from_slice(b"--b--\n\n");
    file.extend_from_slice(
        b"From ana@millstone.example Mon Apr  1 11:00:00 2024\nFrom: Ana Lima <ana@millstone.example>\n\
          Date: Mon, 1 Apr 2024 11:00:00 +0000\nMessage-ID: <small@millstone.example>\n\
          Subject: Just one\n\nHere is one photo.\n",
    );
    let opts = ReadOptions {
        max_message_bytes: 1024 * 1024,
        ..utc()
    };
    let all = mbox(file, &opts);
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].skip,
        Some(SkipReason::Unreadable("it is larger than 1 MB".into()))
    );
    assert_eq!(all[0].source_ref, "mid:huge@millstone.example");
    assert_eq!(all[0].summary, "All the photos");
    assert_eq!(all[0].occurred_at, at("2024-04-01 10:00:00"));
    assert_eq!(all[1].skip, None);
    assert_eq!(all[1].they_said, "Here is one photo.");
}

#[test]
fn garbage_in_an_mbox_is_unreadable_not_a_panic() {
    let mut file = b"From x@y.example Mon Apr  1 10:00:00 2024\n".to_vec();
    file.extend((0..5000u32).map(|i| (i * 7919 % 251) as u8));
    file.extend_from_slice(b"\nFrom x@y.example Mon Apr  1 10:00:00 2024\n\n\n");
    file.extend_from_slice(b"From x@y.example Mon Apr  1 10:00:00 2024\nno headers at all\n");
    let all = mbox(file, &utc());
    assert!(!all.is_empty());
    for entry in &all {
        assert!(
            matches!(entry.skip, Some(SkipReason::Unreadable(_))),
            "{entry:?}"
        );
    }
    assert!(all.iter().all(|c| c.source_ref.starts_with("mbox:#")));
    assert_eq!(
        all[0].occurred_at,
        at("2024-04-01 10:00:00"),
        "the From line's date"
    );
}

#[test]
fn detect_tells_mail_from_contact_files() {
    let read = |name: &str| std::fs::read(fixture(name)).unwrap();
    assert_eq!(
        detect(
            Path::new("Reply.eml"),
            &read("thunderbird_flowed_reply.eml")
        ),
        Some(MailFileKind::Eml)
    );
    assert_eq!(
        detect(
            Path::new("All mail Including Spam and Trash.mbox"),
            &read("takeout_all_mail.mbox")
        ),
        Some(MailFileKind::Mbox)
    );
    assert_eq!(
        detect(&fixture("Inbox"), &read("Inbox")),
        Some(MailFileKind::Mbox),
        "no extension"
    );
    assert_eq!(
        detect(Path::new("saved message"), &read("html_only_outlook.eml")),
        Some(MailFileKind::Eml),
        "headers without an extension"
    );
    let vcard = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lima;Ana;;;\r\nFN:Ana Lima\r\nEMAIL:ana@millstone.example\r\nEND:VCARD\r\n";
    assert_eq!(detect(Path::new("ana.vcf"), vcard), None);
    assert_eq!(detect(Path::new("ana"), vcard), None, "by content too");
    let csv = b"From,To,Subject\nana@millstone.example,bruno@costa-bakery.example,Rye\n";
    assert_eq!(detect(Path::new("export.csv"), csv), None);
    assert_eq!(detect(Path::new("export"), csv), None);
    let csv_headers = b"Name: Ana\nE-mail Address: ana@millstone.example\n";
    assert_eq!(
        detect(Path::new("notes"), csv_headers),
        None,
        "no mail header"
    );
}

#[test]
fn big_attachments_are_listed_and_the_text_after_them_read() {
    let picture = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n".repeat(600);
    let bytes = format!(
        "From: Ana Lima <ana@millstone.example>\nTo: bruno@costa-bakery.example\n\
         Date: Mon, 1 Apr 2024 10:00:00 +0000\nMessage-ID: <photos@millstone.example>\n\
         Subject: Photos of the new mill\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"Apple-Mail=_1\"\n\n\
         --Apple-Mail=_1\nContent-Type: text/plain; charset=us-ascii\n\nHere is the mill.\n\n\
         --Apple-Mail=_1\nContent-Disposition: inline; filename=\"mill front.png\"\n\
         Content-Type: image/png; name=\"mill front.png\"\nContent-Transfer-Encoding: base64\n\n\
         {picture}\n--Apple-Mail=_1\nContent-Type: text/plain; charset=us-ascii\n\n\
         And the millstones, see you Friday.\n\n--Apple-Mail=_1\n\
         Content-Type: message/rfc822\nContent-Disposition: inline\n\n\
         From: Bruno Costa <bruno@costa-bakery.example>\nSubject: Opening hours\n\
         Date: Sun, 31 Mar 2024 09:00:00 +0000\n\nOpen from 6.\n\n--Apple-Mail=_1--\n"
    );
    assert!(bytes.len() > 50_000, "big enough to be slimmed");
    let c = read_eml(bytes.as_bytes(), &utc());
    assert_eq!(
        c.attachments,
        vec!["mill front.png".to_owned(), "Opening hours.eml".to_owned()]
    );
    assert_eq!(
        c.they_said,
        "Here is the mill.\n\nAnd the millstones, see you Friday."
    );
}

#[test]
fn a_missing_date_falls_back_to_received_then_is_unreadable() {
    let received = b"Received: from mx.example by mail.example; Tue, 2 Apr 2024 08:30:00 +0200\n\
        From: ana@millstone.example\nMessage-ID: <r@x.example>\nSubject: no date\n\nHi\n";
    let c = read_eml(received, &utc());
    assert_eq!((c.occurred_at, c.skip), (at("2024-04-02 06:30:00"), None));
    let dateless =
        b"From: ana@millstone.example\nMessage-ID: <d@x.example>\nSubject: no date\n\nHi\n";
    let c = read_eml(dateless, &utc());
    assert_eq!(
        c.skip,
        Some(SkipReason::Unreadable("it has no date".into()))
    );
    assert_eq!(c.source_ref, "mid:d@x.example");
    let c = read_eml(b"\x00\x01 this is not mail", &utc());
    assert_eq!(
        c.skip,
        Some(SkipReason::Unreadable("it is not an e-mail message".into()))
    );
}

#[test]
fn outlook_web_html_stops_at_the_reply_header_and_drops_the_signature() {
    // The same message as Outlook on the web sends it, without its text/plain alternative.
    let mut bytes = std::fs::read(fixture("outlook_web_reply_attachments.eml")).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let start = text
        .find("Content-Type: text/plain; charset=\"us-ascii\"")
        .unwrap();
    let end = start + text[start..].find("--_000_").unwrap();
    bytes = format!("{}{}", &text[..start], &text[end..]).into_bytes();
    let c = read_eml(&bytes, &utc());
    assert_eq!(
        c.they_said,
        "Hi Bruno,\nThe conference moved to the Atrium."
    );
    assert_eq!(c.attachments.len(), 2);
}

#[test]
fn an_eml_over_the_cap_is_unreadable_with_its_headers() {
    let bytes = std::fs::read(fixture("outlook_web_reply_attachments.eml")).unwrap();
    let opts = ReadOptions {
        max_message_bytes: 4096,
        ..utc()
    };
    let c = read_eml(&bytes, &opts);
    assert_eq!(
        c.skip,
        Some(SkipReason::Unreadable("it is larger than 4 KB".into()))
    );
    assert_eq!(c.summary, "RE: Breakfast pastries for the conference");
    assert_eq!(c.occurred_at, at("2024-01-15 19:30:05"));
}

//! Import, the last mile (issue 21): the kinds of files other programs write that Rapport read
//! wrongly or refused — no header row, one column of e-mails, Outlook in nine more languages,
//! legacy charsets in vCards, phone kinds without a Rapport word, organizations across many
//! cards, a card with only a name and a photo — and the command line's `--no-header` / `--map`.
//! Every file here was written for these tests (tests/fixtures/import/).

use crate::common::{rapport, stdout as succeeded};
use crate::import_tests::{by_name, own, parse};
use rapport::import::{Field, Format};
use rapport::model::ContactDraft;
use rapport::store::Store;

/// Each phone as (label, number), in the contact's order.
fn phones(contact: &ContactDraft) -> Vec<(&str, &str)> {
    contact
        .phones
        .iter()
        .map(|p| (p.label.as_str(), p.number.as_str()))
        .collect()
}

/// Each e-mail as (label, address), in the contact's order.
fn emails(contact: &ContactDraft) -> Vec<(&str, &str)> {
    contact
        .emails
        .iter()
        .map(|e| (e.label.as_str(), e.address.as_str()))
        .collect()
}

#[test]
fn a_csv_without_a_header_row_is_read_from_its_content() {
    let p = parse(&own("no_header_rows.csv"), "GB");
    assert_eq!(p.format, Format::NoHeader);
    assert_eq!(
        p.contacts.len(),
        3,
        "the first row is a person, not a header"
    );
    let table = p.table.as_ref().unwrap();
    assert_eq!(table.headers, ["Column 1", "Column 2", "Column 3"]);
    let fields: Vec<Field> = p.mapping.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        [Field::GivenName, Field::FamilyName, Field::Email],
        "name, name, e-mail"
    );
    assert!(
        p.notes.iter().any(|n| n.contains("no header row")),
        "the preview says so: {:?}",
        p.notes
    );
    let ada = by_name(&p, "Ada Baker");
    assert_eq!(
        (ada.given_name.as_str(), ada.family_name.as_str()),
        ("Ada", "Baker")
    );
    assert_eq!(emails(ada), [("", "ada@bakery.example")]);
    assert_eq!(
        emails(by_name(&p, "Sofia Maria Rossi")),
        [("", "sofia.rossi@maple.example")]
    );

    // Full name, e-mail and phone, separated by semicolons; one row has no e-mail.
    let p = parse(&own("no_header_phones.csv"), "US");
    let fields: Vec<Field> = p.mapping.iter().map(|c| c.field).collect();
    assert_eq!(fields, [Field::FullName, Field::Email, Field::Phone]);
    let kenji = by_name(&p, "Kenji Tanaka");
    assert_eq!(kenji.family_name, "Tanaka");
    assert_eq!(phones(kenji), [("", "+14155552671")]);
    assert_eq!(phones(by_name(&p, "Nadia Haddad")), [("", "+14155550199")]);
}

#[test]
fn a_single_column_of_email_addresses_imports() {
    let p = parse(&own("emails_only.csv"), "US");
    assert_eq!(p.contacts.len(), 3);
    assert_eq!(
        emails(by_name(&p, "sofia.rossi@maple.example")),
        [("", "sofia.rossi@maple.example")]
    );
    // With its header "E-mail Address" the one column is a header, not a person.
    let p = parse(&own("emails_only_header.csv"), "US");
    assert_eq!(p.contacts.len(), 2);
    assert_eq!(p.format, Format::Outlook);
    assert_eq!(
        emails(by_name(&p, "kenji@harbor.example")),
        [("", "kenji@harbor.example")]
    );
}

/// What one localized Outlook export must give for its first person.
struct Expected {
    file: &'static str,
    encoding: &'static str,
    name: &'static str,
    given_family: (&'static str, &'static str),
    organization: &'static str,
    title: &'static str,
    email: &'static str,
    mobile: &'static str,
    fax: &'static str,
}

/// (Japanese names are shown family name first, as Japanese address books show them.)
#[test]
fn outlook_exports_in_nine_more_languages() {
    let all = [
        Expected {
            file: "outlook_ja.csv",
            encoding: "Shift_JIS",
            name: "山田 太郎",
            given_family: ("太郎", "山田"),
            organization: "株式会社さくら",
            title: "営業部長",
            email: "taro@sakura.example",
            mobile: "+819012345678",
            fax: "+81312345679",
        },
        Expected {
            file: "outlook_de.csv",
            encoding: "windows-1252",
            name: "Jürgen Weiß",
            given_family: ("Jürgen", "Weiß"),
            organization: "Bäckerei Weiß",
            title: "Geschäftsführer",
            email: "juergen@weiss.example",
            mobile: "+4915123456789",
            fax: "+49301234567",
        },
        Expected {
            file: "outlook_fr.csv",
            encoding: "windows-1252",
            name: "Benoît Lefèvre",
            given_family: ("Benoît", "Lefèvre"),
            organization: "Café Crème",
            title: "Gérant",
            email: "benoit@cafe.example",
            mobile: "+33612345678",
            fax: "+33142685301",
        },
        Expected {
            file: "outlook_es.csv",
            encoding: "UTF-8",
            name: "María García",
            given_family: ("María", "García"),
            organization: "Panadería Sol",
            title: "Dueña",
            email: "maria@sol.example",
            mobile: "+34612345678",
            fax: "+34912345679",
        },
        Expected {
            file: "outlook_it.csv",
            encoding: "windows-1252",
            name: "Niccolò Bianchi",
            given_family: ("Niccolò", "Bianchi"),
            organization: "Fioreria Rossi",
            title: "Titolare",
            email: "niccolo@fiori.example",
            mobile: "+393123456789",
            fax: "+390612345678",
        },
        Expected {
            file: "outlook_nl.csv",
            encoding: "UTF-8",
            name: "Sanne de Vries",
            given_family: ("Sanne", "de Vries"),
            organization: "Bakkerij de Molen",
            title: "Eigenaar",
            email: "sanne@molen.example",
            mobile: "+31612345678",
            fax: "+31201234567",
        },
        Expected {
            file: "outlook_pt.csv",
            encoding: "windows-1252",
            name: "João Conceição",
            given_family: ("João", "Conceição"),
            organization: "Padaria Estrela",
            title: "Gerente",
            email: "joao@estrela.example",
            mobile: "+5511912345678",
            fax: "+551134567890",
        },
        Expected {
            file: "outlook_pl.csv",
            encoding: "windows-1250",
            name: "Łukasz Wójcik-Żebrowski",
            given_family: ("Łukasz", "Wójcik-Żebrowski"),
            organization: "Piekarnia Łódź",
            title: "Kierownik sprzedaży",
            email: "lukasz@piekarnia.example",
            mobile: "+48512345678",
            fax: "+48421234567",
        },
        Expected {
            file: "outlook_zh.csv",
            encoding: "GBK",
            name: "王小明",
            given_family: ("小明", "王"),
            organization: "北京面包有限公司",
            title: "销售经理",
            email: "xiaoming@mianbao.example",
            mobile: "+8613912345678",
            fax: "+861012345678",
        },
    ];
    for e in all {
        // Phone numbers written nationally are read for the file's own country.
        let region = match e.file {
            "outlook_ja.csv" => "JP",
            _ => "US",
        };
        let p = parse(&own(e.file), region);
        assert_eq!(
            (p.format, p.encoding),
            (Format::Outlook, e.encoding),
            "{}",
            e.file
        );
        let c = by_name(&p, e.name);
        assert_eq!(
            (c.given_name.as_str(), c.family_name.as_str()),
            e.given_family,
            "{}",
            e.file
        );
        assert_eq!(
            (c.organization.as_str(), c.title.as_str()),
            (e.organization, e.title),
            "{}",
            e.file
        );
        assert_eq!(emails(c), [("", e.email)], "{}", e.file);
        assert_eq!(
            phones(c),
            [("mobile", e.mobile), ("work fax", e.fax)],
            "{}",
            e.file
        );
    }
    let ja = parse(&own("outlook_ja.csv"), "JP");
    assert_eq!(by_name(&ja, "佐藤 花子").organization, "東京商事");
}

#[test]
fn legacy_charsets_declared_inside_a_vcard() {
    // vCard 3.0, Shift-JIS bytes declared with CHARSET=SHIFT_JIS.
    let p = parse(&own("vcard_sjis_v30.vcf"), "JP");
    let taro = by_name(&p, "山田 太郎");
    assert_eq!(
        (taro.family_name.as_str(), taro.given_name.as_str()),
        ("山田", "太郎")
    );
    assert_eq!(
        (taro.organization.as_str(), taro.title.as_str()),
        ("株式会社さくら", "営業部長")
    );
    assert_eq!(phones(taro), [("mobile", "+819012345678")]);
    assert_eq!(by_name(&p, "佐藤 花子").organization, "東京商事");

    // vCard 2.1: quoted-printable Shift-JIS (also a soft line break and the bare
    // `;QUOTED-PRINTABLE`), and one property in raw Shift-JIS bytes.
    let p = parse(&own("vcard_sjis_v21_qp.vcf"), "JP");
    let ichiro = by_name(&p, "鈴木 一郎");
    assert_eq!(
        (ichiro.family_name.as_str(), ichiro.given_name.as_str()),
        ("鈴木", "一郎")
    );
    assert_eq!(
        (ichiro.organization.as_str(), ichiro.title.as_str()),
        ("大阪電機", "技師")
    );
    assert_eq!(emails(ichiro), [("", "ichiro@osaka.example")]);

    // Two cards, two declared charsets: one guess for the whole file cannot read both.
    let p = parse(&own("vcard_two_charsets.vcf"), "US");
    assert_eq!(by_name(&p, "田中 一").organization, "京都書店");
    let olga = by_name(&p, "Ольга Иванова");
    assert_eq!(
        (olga.organization.as_str(), olga.title.as_str()),
        ("Пекарня Заря", "Директор")
    );
    assert!(
        p.notes.iter().any(|n| n.contains("several charsets")),
        "{:?}",
        p.notes
    );
}

#[test]
fn central_european_code_pages_without_a_declaration() {
    let p = parse(&own("vcard_polish_iso8859_2.vcf"), "PL");
    assert_eq!(p.encoding, "ISO-8859-2");
    let m = by_name(&p, "Małgorzata Wiśniewska");
    assert_eq!(
        (m.organization.as_str(), m.title.as_str()),
        ("Księgarnia Śląska", "Właścicielka")
    );
    let j = by_name(&p, "Jiří Dvořák");
    assert_eq!(j.organization, "Pekařství Čížek");

    let p = parse(&own("outlook_pl.csv"), "PL");
    assert_eq!(p.encoding, "windows-1250");
    assert_eq!(
        by_name(&p, "Łukasz Wójcik-Żebrowski").organization,
        "Piekarnia Łódź"
    );
}

#[test]
fn every_phone_and_email_keeps_its_label() {
    let p = parse(&own("vcard_phone_kinds.vcf"), "US");
    let olivia = by_name(&p, "Olivia Chen");
    assert_eq!(
        phones(olivia),
        [
            ("work", "+14155550100"),
            ("work fax", "+14155550101"),
            ("pager", "+14155550102"),
            ("car", "+14155550103"),
            ("assistant", "+14155550104"),
            ("other", "+14155550105"),
            ("warehouse", "+14155550106"),
        ]
    );
    assert_eq!(
        emails(olivia),
        [
            ("work", "olivia@harbor.example"),
            ("school", "olivia@school.example"),
            ("other", "olivia.chen@club.example"),
        ]
    );
    // vCard 2.1 writes its types bare: `TEL;WORK;FAX:`.
    assert_eq!(
        phones(by_name(&p, "Aisha Okafor")),
        [
            ("work", "+12065550110"),
            ("work fax", "+12065550111"),
            ("pager", "+12065550112"),
            ("assistant", "+12065550113"),
            ("car", "+12065550114"),
        ]
    );

    // Outlook's columns for the same kinds.
    let p = parse(&own("outlook_phone_kinds.csv"), "US");
    assert_eq!(
        phones(by_name(&p, "Olivia Chen")),
        [
            ("work", "+14155550100"),
            ("other", "+14155550105"),
            ("work fax", "+14155550101"),
            ("home fax", "+14155550107"),
            ("pager", "+14155550102"),
            ("car", "+14155550103"),
            ("assistant", "+14155550104"),
        ],
        "the Primary Phone repeats the Business Phone and is not listed twice"
    );
    assert_eq!(
        phones(by_name(&p, "Tom Becker")),
        [("mobile", "+491512345678"), ("", "+49301234567")]
    );
}

/// A row that names one number in two columns (Outlook's Primary Phone is often the Business
/// Phone) or holds one address twice is one person with that number once, not a row dropped.
#[test]
fn a_value_repeated_in_two_columns_keeps_the_row() {
    let text = "First Name,Last Name,E-mail Address,E-mail 2 Address,Business Phone,Primary Phone\n\
                Ada,Baker,ada@bakery.example,ADA@bakery.example,+44 7911 123456,+44 7911 123456\n\
                Bob,Stone,not an address,bob@stone.example,,\n";
    let p = rapport::import::parse_file(text.as_bytes(), "x.csv", "GB", |_| None).unwrap();
    let ada = by_name(&p, "Ada Baker");
    assert_eq!(emails(ada), [("", "ada@bakery.example")]);
    assert_eq!(phones(ada), [("work", "+447911123456")]);
    let bob = by_name(&p, "Bob Stone");
    assert_eq!(emails(bob), [("", "bob@stone.example")]);
    assert!(
        bob.personal_notes
            .contains("E-mail as written: not an address")
    );
}

#[test]
fn every_card_of_a_file_keeps_its_organization() {
    let p = parse(&own("vcard_many_orgs.vcf"), "US");
    let orgs: Vec<(&str, &str, &str)> = p
        .contacts
        .iter()
        .map(|c| {
            (
                c.draft.display_name.as_str(),
                c.draft.organization.as_str(),
                c.draft.title.as_str(),
            )
        })
        .collect();
    assert_eq!(
        orgs,
        [
            // `ORG:Lima Consulting;Advisory`: the department follows the title.
            ("Ana Lima", "Lima Consulting", "Partner, Advisory"),
            ("Tom Becker", "Becker Bau", "Polier"),
            ("Sara Olsen", "Fjørd Café", "Owner"),
            ("Kai Wong", "Wong & Sons, Ltd.", "Director"),
            ("Mei Wong", "Mei's Garden", "Florist"),
        ]
    );
    // And once stored: the organizations are looked up once per batch, never mixed up.
    let mut store = Store::open_in_memory().unwrap();
    store
        .apply_import("orgs.vcf", "vCard", &p.contacts)
        .unwrap();
    for row in store.contact_rows("", 0, 10).unwrap() {
        let draft = store.contact(row.id).unwrap().draft;
        let imported = p
            .contacts
            .iter()
            .find(|c| c.draft.display_name == draft.display_name)
            .unwrap();
        assert_eq!(draft.organization, imported.draft.organization);
    }
}

#[test]
fn a_v21_card_with_only_a_name_and_a_photo_imports() {
    let p = parse(&own("vcard_v21_name_and_photo.vcf"), "US");
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let yui = by_name(&p, "Yui Nakamura");
    assert_eq!(
        (yui.given_name.as_str(), yui.family_name.as_str()),
        ("Yui", "Nakamura")
    );
}

/// The drafts of everyone in the database, by display name.
fn stored(db: &std::path::Path) -> Vec<ContactDraft> {
    let store = Store::open(db).unwrap();
    let rows = store.contact_rows("", 0, 100).unwrap();
    rows.iter()
        .map(|row| store.contact(row.id).unwrap().draft)
        .collect()
}

#[test]
fn the_command_line_chooses_columns_and_says_there_is_no_header() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.sqlite3");
    let file = |name: &str| own(name).to_string_lossy().into_owned();

    // Nothing in these headers says what they hold: refused without --map.
    let refused = rapport(&db, &["import", &file("custom_columns.csv"), "--dry-run"]);
    assert!(!refused.status.success());
    let said = succeeded(&rapport(
        &db,
        &[
            "import",
            &file("custom_columns.csv"),
            "--region",
            "GB",
            "--map",
            "Kunde=full name",
            "--map",
            "2=mobile phone",
            "--map",
            "mail=E-mail",
        ],
    ));
    assert!(said.contains("2 contact(s) found"), "{said}");
    let people = stored(&db);
    let ada = people
        .iter()
        .find(|d| d.display_name == "Ada Baker")
        .unwrap();
    assert_eq!(emails(ada), [("", "ada@bakery.example")]);
    assert_eq!(phones(ada), [("mobile", "+447911123456")]);

    // The first row is a person, but nothing in it looks like an e-mail or a phone: only
    // --no-header says so.
    let names = file("names_and_companies.csv");
    let db = dir.path().join("second.sqlite3");
    let refused = rapport(&db, &["import", &names, "--dry-run"]);
    assert!(!refused.status.success());
    let said = succeeded(&rapport(
        &db,
        &[
            "import",
            &names,
            "--no-header",
            "--map",
            "1=full name",
            "--map",
            "2=organization",
        ],
    ));
    assert!(said.contains("no header row"), "{said}");
    let people = stored(&db);
    let kenji = people
        .iter()
        .find(|d| d.display_name == "Kenji Tanaka")
        .unwrap();
    assert_eq!(kenji.organization, "Harbor Hardware");
    assert!(
        people
            .iter()
            .any(|d| d.display_name == "Ada Baker" && d.organization == "Golden Crust Bakery")
    );

    // A column or a field Rapport does not know is a sentence, not a guess.
    for (map, says) in [
        ("Shoe=notes", "no column named \"Shoe\""),
        ("9=notes", "only 4 columns"),
        (
            "Kunde=favourite colour",
            "\"favourite colour\" is not a field",
        ),
        ("Kunde", "Column=field"),
    ] {
        let out = rapport(
            &db,
            &[
                "import",
                &file("custom_columns.csv"),
                "--dry-run",
                "--map",
                map,
            ],
        );
        assert!(!out.status.success(), "{map}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{map}: {stderr}");
    }
}

//! Custom fields on a big database: what five fields on every contact cost the contact list
//! (a page, a page filtered by a field's value, a search that finds a value), a contact's
//! selection and save, and the definitions the window reads with every list refresh.
//!
//! Run with `cargo bench --bench custom_fields` (100,000 contacts in memory, made here with
//! five values each; `-- 20000` for fewer).

use rapport::model::custom_field::{AppliesTo, FieldDefinition, FieldFilter, FieldKind};
use rapport::model::{ContactFilter, ContactId};
use std::time::{Duration, Instant};

fn main() {
    let contacts: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut store = rapport::store::Store::open_in_memory().expect("open");
    let kinds = [
        ("Account number", FieldKind::Text, ""),
        ("Shop size", FieldKind::Choice, "Small,Medium,Large"),
        ("VIP", FieldKind::YesNo, ""),
        ("Seats", FieldKind::Number, ""),
        ("Contract renewal", FieldKind::Date, ""),
    ];
    let mut fields = Vec::new();
    for (name, kind, choices) in kinds {
        let definition = FieldDefinition {
            applies_to: AppliesTo::Contact,
            name: name.into(),
            kind: Some(kind),
            choices: rapport::model::custom_field::parse_choices(choices),
            remind_days_before: None,
        };
        fields.push(store.define_field(&definition).expect("define").0);
    }
    let began = Instant::now();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let mut demo = rapport::demo::DemoGenerator::new(7, now);
    {
        let mut bulk = store.bulk().expect("bulk");
        for index in 0..contacts {
            let mut draft = demo.contact(index);
            let size = ["Small", "Medium", "Large"][index % 3];
            for (name, value) in [
                ("Account number", format!("{}", 100_000 + index)),
                ("Shop size", size.to_owned()),
                ("VIP", if index % 10 == 0 { "1" } else { "0" }.to_owned()),
                ("Seats", format!("{}", index % 200)),
                (
                    "Contract renewal",
                    format!(
                        "{}-{:02}-{:02}",
                        2027 + index % 3,
                        1 + index % 12,
                        1 + index % 28
                    ),
                ),
            ] {
                draft.custom_fields.insert(name.to_owned(), value);
            }
            bulk.add_contact(&draft, "bench").expect("add");
        }
        bulk.commit().expect("commit");
    }
    println!(
        "{contacts} contacts with 5 custom field values each, written in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let measure = |label: &str, run: &dyn Fn() -> usize| {
        let label = if label.len() > 44 {
            &label[..44]
        } else {
            label
        };
        run();
        let mut times: Vec<Duration> = (0..30)
            .map(|_| {
                let began = Instant::now();
                run();
                began.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "{label:<44} p50 {:>8.3} ms  p95 {:>8.3} ms  ({} rows)",
            ms(times[times.len() / 2]),
            ms(times[times.len() * 95 / 100]),
            run()
        );
    };
    let page = |filter: &ContactFilter, search: &str, offset: usize| {
        store
            .count_contacts_filtered(search, filter)
            .expect("count");
        store
            .contact_rows_filtered(search, filter, offset, 60)
            .expect("rows")
            .len()
    };
    let plain = ContactFilter::default();
    let tags = store.tags_counted().expect("tags");
    let tag = tags.iter().max_by_key(|t| t.contacts).expect("a tag");
    let tagged = ContactFilter {
        tag: Some(tag.name.clone()),
        ..ContactFilter::default()
    };
    measure(
        &format!(
            "for comparison: tag filter ({} contacts), top",
            tag.contacts.unwrap_or_default()
        ),
        &|| page(&tagged, "", 0),
    );
    measure("list page, top", &|| page(&plain, "", 0));
    measure("list page, middle", &|| page(&plain, "", contacts / 2));
    measure("a page's values (60 contacts)", &|| {
        let ids: Vec<ContactId> = store
            .contact_rows("", contacts / 2, 60)
            .expect("rows")
            .iter()
            .map(|r| r.id)
            .collect();
        store.field_values_for(&ids).expect("values").len()
    });
    let filter = |field: usize, typed: &str| ContactFilter {
        field: Some(FieldFilter::parse(&fields[field], typed).expect("filter")),
        ..ContactFilter::default()
    };
    let large = filter(1, "Large");
    measure("filter Shop size is Large (1/3), top", &|| {
        page(&large, "", 0)
    });
    measure("filter Shop size is Large, middle", &|| {
        page(&large, "", contacts / 6)
    });
    let vip = filter(2, "yes");
    measure("filter VIP is yes (1/10)", &|| page(&vip, "", 0));
    let account = filter(0, "100042");
    measure("filter Account number contains 100042", &|| {
        page(&account, "", 0)
    });
    let renewal = filter(4, "2027-01-01..2027-12-31");
    measure("filter Contract renewal in 2027 (1/3)", &|| {
        page(&renewal, "", 0)
    });
    let seats = filter(3, "10..20");
    measure("filter Seats 10..20 (numbers)", &|| page(&seats, "", 0));
    measure("search \"Account 100042\"", &|| {
        page(&plain, "Account 100042", 0)
    });
    measure("search \"Large\" (1/3 match)", &|| page(&plain, "Large", 0));
    for typed in ["s", "sh", "sho", "shop", "mar", "mari"] {
        measure(&format!("search \"{typed}\""), &|| page(&plain, typed, 0));
    }
    let middle = ContactId((contacts / 2) as i64);
    measure("a contact with its values (selection)", &|| {
        store
            .contact(middle)
            .expect("contact")
            .draft
            .custom_fields
            .len()
    });
    measure("the definitions (every list refresh)", &|| {
        store
            .custom_fields(AppliesTo::Contact)
            .expect("fields")
            .len()
    });
    let mut store = store;
    let began = Instant::now();
    for i in 0..200 {
        store
            .set_contact_fields(
                ContactId(1 + i),
                &[("Seats".to_owned(), format!("{}", 500 + i))],
            )
            .expect("set");
    }
    println!(
        "{:<44} {:>8.3} ms each (200 saves)",
        "a contact's value set (edit, search, undo)",
        began.elapsed().as_secs_f64() * 1000.0 / 200.0
    );
}

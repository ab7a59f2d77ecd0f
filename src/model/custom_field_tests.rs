//! The unit tests of `model::custom_field`: values read, shown and cleaned; definitions
//! checked; reminders named; filters read.

use super::*;

fn field(name: &str, kind: FieldKind) -> CustomField {
    CustomField {
        id: FieldId(1),
        applies_to: AppliesTo::Contact,
        name: name.into(),
        kind,
        choices: if kind == FieldKind::Choice {
            vec!["Small".into(), "Medium".into(), "Large".into()]
        } else {
            Vec::new()
        },
        position: 0,
        remind_days_before: None,
    }
}

#[test]
fn values_are_kept_in_one_canonical_form() {
    let number = field("Shop size", FieldKind::Number);
    assert_eq!(
        number.canonical(" 12.50 ").unwrap().as_deref(),
        Some("12.5")
    );
    assert_eq!(number.canonical("1 000").unwrap().as_deref(), Some("1000"));
    assert_eq!(number.canonical("-0").unwrap().as_deref(), Some("0"));
    assert_eq!(number.canonical("").unwrap(), None);
    assert_eq!(
        number.canonical("big").unwrap_err(),
        "Shop size is a number: \"big\" is not."
    );
    assert!(number.canonical("1,5").is_err());
    assert!(number.canonical("inf").is_err());
    let date = field("Contract renewal", FieldKind::Date);
    for typed in [
        "2027-03-01",
        "1 March 2027",
        "1 Mar 2027",
        "March 1, 2027",
        "01.03.2027",
    ] {
        assert_eq!(
            date.canonical(typed).unwrap().as_deref(),
            Some("2027-03-01")
        );
    }
    assert!(date.canonical("03/01/2027").is_err());
    assert!(date.canonical("2027-02-30").is_err());
    assert_eq!(date.display("2027-03-01"), "1 March 2027");
    let yes = field("VIP", FieldKind::YesNo);
    assert_eq!(yes.canonical("Yes").unwrap().as_deref(), Some("1"));
    assert_eq!(yes.canonical("no").unwrap().as_deref(), Some("0"));
    assert_eq!(yes.display("1"), "Yes");
    assert_eq!(
        yes.canonical("maybe").unwrap_err(),
        "VIP is yes or no: \"maybe\" is not."
    );
    let size = field("Size", FieldKind::Choice);
    assert_eq!(size.canonical("large").unwrap().as_deref(), Some("Large"));
    assert_eq!(
        size.canonical("Huge").unwrap_err(),
        "Size is one of Small, Medium, Large: \"Huge\" is not."
    );
    let text = field("Account number", FieldKind::Text);
    assert_eq!(text.canonical("  4711 ").unwrap().as_deref(), Some("4711"));
}

#[test]
fn definitions_are_checked_with_a_sentence() {
    let mut definition = FieldDefinition {
        name: "  Shop   size ".into(),
        kind: Some(FieldKind::Choice),
        choices: parse_choices("Small, Medium,, Large"),
        ..FieldDefinition::default()
    };
    let checked = definition.checked().unwrap();
    assert_eq!(checked.name, "Shop size");
    assert_eq!(checked.choices, ["Small", "Medium", "Large"]);
    definition.choices = vec!["Small".into(), "small".into()];
    assert_eq!(
        definition.checked().unwrap_err(),
        "Shop size offers \"small\" twice."
    );
    definition.choices.clear();
    assert!(
        definition
            .checked()
            .unwrap_err()
            .contains("give its choices")
    );
    let reminding_text = FieldDefinition {
        name: "Note".into(),
        kind: Some(FieldKind::Text),
        remind_days_before: Some(3),
        ..FieldDefinition::default()
    };
    assert!(
        reminding_text
            .checked()
            .unwrap_err()
            .contains("Only a date field")
    );
    assert!(checked_name("a=b").is_err());
    assert!(checked_name("").is_err());
    assert_eq!(FieldKind::parse("yes-no").unwrap(), FieldKind::YesNo);
    assert!(
        FieldKind::parse("colour")
            .unwrap_err()
            .contains("text, number")
    );
}

#[test]
fn a_reminding_date_names_its_follow_up() {
    let mut renewal = field("Contract renewal", FieldKind::Date);
    assert_eq!(renewal.reminder("2027-03-01"), None);
    renewal.remind_days_before = Some(30);
    let (due, text) = renewal.reminder("2027-03-01").unwrap();
    assert_eq!(due, NaiveDate::from_ymd_opt(2027, 1, 30).unwrap());
    assert_eq!(text, "Contract renewal on 1 March 2027");
}

#[test]
fn values_from_a_file_are_cleaned_and_what_was_left_out_is_said() {
    let fields = [
        field("Shop size", FieldKind::Choice),
        field("Seats", FieldKind::Number),
    ];
    let mut values: BTreeMap<String, String> = [
        ("shop size".to_owned(), "medium".to_owned()),
        ("Seats".to_owned(), "many".to_owned()),
        ("Colour".to_owned(), "red".to_owned()),
    ]
    .into();
    let problems = clean_values(&mut values, &fields);
    assert_eq!(values.len(), 1);
    assert_eq!(values["Shop size"], "Medium");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("Seats is a number")));
}

#[test]
fn search_words_carry_names_and_leave_out_no() {
    let values: BTreeMap<String, String> = [
        ("Account number".to_owned(), "4711".to_owned()),
        ("VIP".to_owned(), "0".to_owned()),
    ]
    .into();
    assert_eq!(search_words(&values), "Account number 4711");
}

#[test]
fn filters_read_values_and_ranges() {
    let renewal = field("Renewal", FieldKind::Date);
    let filter = FieldFilter::parse(&renewal, "2027-01-01..").unwrap();
    assert_eq!(
        filter.wanted,
        FieldMatch::Between {
            from: Some("2027-01-01".into()),
            to: None
        }
    );
    let size = field("Size", FieldKind::Choice);
    assert_eq!(
        FieldFilter::parse(&size, "large").unwrap().wanted,
        FieldMatch::Is("Large".into())
    );
    assert!(FieldFilter::parse(&size, "").is_err());
}

//! What `rapport contacts --json` shows after importing vCards other programs write: every
//! phone's and e-mail's label (fax, pager, a label of the user's own), an `ORG` department, and
//! a vCard 4.0 `KIND:org` card. The real binary on a real database file, as in `cli_tests`.

use crate::common::{rapport, stdout};
use serde_json::{Value, json};
use std::path::Path;

/// Imports one fixture of tests/fixtures/import into a new database and returns
/// `contacts --json` (the temporary directory is kept alive by the caller).
fn imported(dir: &tempfile::TempDir, fixture: &str) -> Vec<Value> {
    let db = dir.path().join("labels.sqlite3");
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(fixture);
    stdout(&rapport(
        &db,
        &["import", file.to_str().unwrap(), "--region", "CA"],
    ));
    let json: Value =
        serde_json::from_str(&stdout(&rapport(&db, &["contacts", "--json"]))).unwrap();
    json.as_array().unwrap().clone()
}

fn named<'a>(contacts: &'a [Value], name: &str) -> &'a Value {
    contacts
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no contact named {name} in {contacts:#?}"))
}

#[test]
fn contacts_json_shows_each_phone_and_email_with_its_label() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = imported(&dir, "labels.vcf");
    let priya = named(&contacts, "Priya Raman");
    assert_eq!(
        priya["labelled_phones"],
        json!([
            {"label": "work fax", "number": "+14165550100"},
            {"label": "pager", "number": "+14165550101"},
            {"label": "mobile", "number": "+14165550102"},
        ]),
        "{priya:#}"
    );
    assert_eq!(
        priya["labelled_emails"],
        json!([
            {"label": "work", "address": "priya@lakeshore.example"},
            {"label": "rowing club", "address": "priya.r@rowing.example"},
        ]),
        "{priya:#}"
    );
    // The flat lists stay as they were, for scripts that read them.
    assert_eq!(
        priya["phones"],
        json!(["+14165550100", "+14165550101", "+14165550102"])
    );
    assert_eq!(
        priya["emails"],
        json!(["priya@lakeshore.example", "priya.r@rowing.example"])
    );
}

#[test]
fn an_org_department_goes_into_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = imported(&dir, "org_department.vcf");
    let shown = |name: &str| {
        let c = named(&contacts, name);
        (c["organization"].clone(), c["title"].clone())
    };
    // No title: the department is the title.
    assert_eq!(shown("Tomás Ruiz"), (json!("Acme Tools"), json!("Sales")));
    // A title: the department follows it.
    assert_eq!(
        shown("Olivia Chen"),
        (json!("Harbor Hardware"), json!("Buyer, Purchasing"))
    );
    // Several organizational units, outermost first, as vCard orders them.
    assert_eq!(
        shown("Aisha Okafor"),
        (json!("Northside Pharmacy"), json!("Retail, Front Desk"))
    );
    // No department: nothing changes.
    assert_eq!(
        shown("Ben Ortiz"),
        (json!("Ortiz Plumbing"), json!("Owner"))
    );
}

#[test]
fn a_kind_org_card_is_an_organization_named_after_itself() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = imported(&dir, "kind_org.vcf");
    assert_eq!(contacts.len(), 3, "{contacts:#?}");
    let bakery = named(&contacts, "Lakeshore Bakery Supply");
    assert_eq!(bakery["organization"], "Lakeshore Bakery Supply");
    assert_eq!(bakery["emails"], json!(["orders@lakeshore-bakery.example"]));
    // An organization's card with no FN is named after its ORG, not after its e-mail.
    let deli = named(&contacts, "Oak Street Deli");
    assert_eq!(deli["organization"], "Oak Street Deli");
    assert_eq!(deli["emails"], json!(["hello@oakstreet.example"]));
    // A person's card is left as it is.
    let sam = named(&contacts, "Sam Patel");
    assert_eq!(sam["organization"], "Oak Street Deli");
}

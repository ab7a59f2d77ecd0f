//! Tags read cheaply and counted only where the counts are shown: `Store::tags` reads names,
//! colours and cadences without counting anyone (the list refresh and every selection use it),
//! `Store::tags_counted` counts each tag's live contacts (on both engines); the window counts
//! them when the tag filter is opened or View ▸ Tags, and a list refresh forgets them again.

use crate::common::{Window, app_in, each_engine, selecting};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use rapport::model::{ContactDraft, ContactId};
use rapport::store::Store;

fn tagged(name: &str, tags: &[&str]) -> ContactDraft {
    ContactDraft {
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        ..ContactDraft::named(name)
    }
}

/// Ana (VIP, wholesale), Ben (VIP), Cleo (VIP, gone) in the trash; VIP coloured.
fn three(store: &mut Store) -> [ContactId; 3] {
    let ana = store
        .create_contact(&tagged("Ana Alder", &["VIP", "wholesale"]))
        .unwrap();
    let ben = store
        .create_contact(&tagged("Ben Birch", &["VIP"]))
        .unwrap();
    let cleo = store
        .create_contact(&tagged("Cleo Cedar", &["VIP", "gone"]))
        .unwrap();
    store.trash_contact(cleo).unwrap();
    store.set_tag_color("VIP", Some("#2a9d8f")).unwrap();
    [ana, ben, cleo]
}

#[test]
fn tags_are_read_without_counts_and_counted_on_request_on_both_engines() {
    each_engine(|mut store| {
        three(&mut store);
        let plain = store.tags().unwrap();
        let names: Vec<&str> = plain.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["gone", "VIP", "wholesale"], "by name, case ignored");
        assert!(plain.iter().all(|t| t.contacts.is_none()), "{plain:?}");
        assert_eq!(plain[1].rgb(), Some([0x2a, 0x9d, 0x8f]));
        let counted = store.tags_counted().unwrap();
        let counts: Vec<(&str, Option<usize>)> = counted
            .iter()
            .map(|t| (t.name.as_str(), t.contacts))
            .collect();
        // Cleo is in the trash: she counts for neither VIP nor gone.
        assert_eq!(
            counts,
            [("gone", Some(0)), ("VIP", Some(2)), ("wholesale", Some(1))]
        );
        assert_eq!(counted[1].color, plain[1].color);
        assert_eq!(counted[1].cadence_days, plain[1].cadence_days);
    });
}

#[test]
fn opening_the_tag_filter_counts_the_tags_and_a_refresh_forgets_the_counts() {
    let mut store = Store::open_in_memory().unwrap();
    let [ana, ..] = three(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(Some(ana.0)));
    h.run();
    assert!(
        h.state().view.tags.iter().all(|t| t.contacts.is_none()),
        "loading the list and selecting Ana counted nobody"
    );
    h.get_by_role_and_label(Role::ComboBox, "Tag").click();
    h.run();
    assert!(
        h.query_by_label("VIP (2)").is_some(),
        "the open list counts"
    );
    assert!(h.query_by_label("wholesale (1)").is_some());
    h.get_by_label("VIP (2)").click();
    h.run();
    assert_eq!(h.state().view.contacts.total, 2, "the filter applies");
    assert!(
        h.state().view.tags.iter().all(|t| t.contacts.is_none()),
        "the refresh the filter made read the tags without counting"
    );
}

#[test]
fn view_tags_shows_how_many_carry_each() {
    let mut store = Store::open_in_memory().unwrap();
    three(&mut store);
    let mut h = app_in(store, Window::of(1280.0, 800.0), selecting(None));
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Tags…").click();
    h.run();
    assert!(h.query_by_label("2 people").is_some(), "VIP");
    assert!(h.query_by_label("1 person").is_some(), "wholesale");
    assert!(
        h.query_by_label("0 people").is_some(),
        "gone: only in the trash"
    );
}

//! Undo you can trust (issue 18): every undoable command, done through the app and undone,
//! leaves the database exactly as it was; the Edit menu names the step; the status bar's Undo
//! button sits only beside the step it undoes; a step that cannot be applied says so and never
//! lets the next Ctrl+Z silently reach an older change.

use egui::accesskit::Role;
use egui_kittest::{Harness, kittest::Queryable as _};
use rapport::app::{Command, MainView, Prefs, RapportApp};
use rapport::model::{
    Channel, ContactDraft, ContactId, Email, FollowUpDraft, FollowUpId, Initiator,
    InteractionDraft, InteractionId, Purpose, Stage,
};
use rapport::store::Store;

use crate::common::{NOW, Window, app_in, at, selecting};

/// Maria García (with a conversation, 'Oven repair check', and the follow-up it made, 'Call
/// back'), Bob Okafor (tagged VIP) and Zelda Quint, written on a fixed clock.
struct World {
    store: Store,
    maria: ContactId,
    bob: ContactId,
    zelda: ContactId,
    oven_check: InteractionId,
    call_back: FollowUpId,
}

fn world() -> World {
    world_in(Store::open_in_memory().unwrap(), true)
}

/// Runs `test` on the world in a database of each engine (see `each_engine`).
fn each_world(test: impl Fn(World)) {
    crate::common::each_engine(|store| test(world_in(store, true)));
}

/// The world in `store`, written on a fixed clock (left at `NOW`) or on the real one.
fn world_in(mut store: Store, fixed_clock: bool) -> World {
    if fixed_clock {
        store.set_clock(at("2026-08-01 10:00").and_utc());
    }
    let maria = store
        .create_contact(&ContactDraft {
            given_name: "Maria".into(),
            family_name: "García".into(),
            organization: "Golden Crust Bakery".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    let bob = store
        .create_contact(&ContactDraft {
            tags: vec!["VIP".into()],
            ..ContactDraft::named("Bob Okafor")
        })
        .unwrap();
    let zelda = store
        .create_contact(&ContactDraft::named("Zelda Quint"))
        .unwrap();
    store
        .create_contact(&ContactDraft {
            emails: vec![Email {
                label: "Work".into(),
                address: "kenji@harbor.example".into(),
            }],
            ..ContactDraft::named("Kenji Tanaka")
        })
        .unwrap();
    let oven_check = store
        .log_interaction(&InteractionDraft {
            channel: Channel::Visit,
            purpose: Purpose::Service,
            summary: "Oven repair check".into(),
            i_promised: "Call back".into(),
            ..InteractionDraft::new(at("2026-10-06 10:30"), maria)
        })
        .unwrap();
    let call_back = store
        .add_follow_up(&FollowUpDraft {
            interaction_id: Some(oven_check),
            ..follow_up(maria, "Call back", "2026-11-20")
        })
        .unwrap();
    if fixed_clock {
        store.set_clock(at(NOW).and_utc());
    }
    World {
        store,
        maria,
        bob,
        zelda,
        oven_check,
        call_back,
    }
}

fn follow_up(contact: ContactId, text: &str, due: &str) -> FollowUpDraft {
    FollowUpDraft {
        contact_id: contact,
        organization_id: None,
        interaction_id: None,
        text: text.into(),
        notes: String::new(),
        due_date: chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
        due_time: None,
        promised_by: Initiator::Me,
        repeat: None,
    }
}

/// The app on `store` with the clock fixed at `NOW`, driven through `RapportApp::apply`.
fn app_on(store: Store) -> (RapportApp, egui::Context) {
    let app = RapportApp::with_store_at(Ok(store), Prefs::default(), Some(at(NOW)));
    (app, egui::Context::default())
}

/// Every user table of the database, one line per row (full-text indexes by document id).
/// Left out, on purpose:
/// - `contact_health`: derived data, judged again from the clock after every change and undo;
/// - `import_batches`, `import_batch_changes`: the record of an import, which undo marks as
///   undone (`rapport imports` still lists it) rather than erasing;
/// - `settings`, `import_mappings`: the phone country and column choices an import remembers
///   for the next file; undoing the import keeps them, as a person would expect;
/// - `changes` (a team database's log of what changed, which an undo adds to);
/// - the `version` of a row, which counts saves: writing a row back is a save, too.
///
/// `prefix_counts` (a team database's one- to three-letter counts, kept as rows of +n/-n that
/// an undo adds to) is compared by its sums.
///
/// Everything else, `updated_at` included, must come back exactly.
fn dump(app: &RapportApp) -> Vec<String> {
    const LEFT_OUT: [&str; 6] = [
        "contact_health:",
        "import_batches:",
        "import_batch_changes:",
        "settings:",
        "import_mappings:",
        "changes:",
    ];
    let version = regex::Regex::new(r" version=Integer\(\d+\)").unwrap();
    let delta =
        regex::Regex::new(r"^prefix_counts: prefix=(.*) delta=Integer\((-?\d+)\)$").unwrap();
    let mut sums = std::collections::BTreeMap::<String, i64>::new();
    let mut lines: Vec<String> = app
        .store()
        .unwrap()
        .dump_for_tests()
        .unwrap()
        .into_iter()
        .filter(|line| !LEFT_OUT.iter().any(|t| line.starts_with(t)))
        .filter(|line| match delta.captures(line) {
            Some(c) => {
                *sums.entry(c[1].to_owned()).or_default() += c[2].parse::<i64>().unwrap();
                false
            }
            None => true,
        })
        .map(|line| version.replace(&line, " version=…").into_owned())
        .collect();
    lines.extend(
        sums.into_iter()
            .filter(|(_, sum)| *sum != 0)
            .map(|(prefix, sum)| format!("prefix_counts: prefix={prefix} sum={sum}")),
    );
    lines
}

fn undo_label(app: &RapportApp) -> Option<String> {
    app.view.undo_top.as_ref().map(|top| top.label.clone())
}

fn status(app: &RapportApp) -> (String, bool) {
    let line = app.view.status.clone().unwrap_or_default();
    (line.text, line.is_error)
}

/// Applies `command`, checks the Edit menu names it `label` and the status line offers its
/// undo, then undoes it and checks the database is as it was and the user is told so.
fn undo_restores(app: &mut RapportApp, ctx: &egui::Context, command: Command, label: &str) {
    let before = dump(app);
    app.apply(command, ctx);
    assert!(!status(app).1, "the command failed: {}", status(app).0);
    assert_ne!(dump(app), before, "{label}: the command changed nothing");
    assert_eq!(undo_label(app).as_deref(), Some(label));
    let line = app.view.status.clone().unwrap();
    assert_eq!(
        line.undo, app.view.undo_top,
        "the status line reports the step"
    );
    app.apply(Command::Undo, ctx);
    let done = label.strip_prefix("Undo: ").unwrap();
    assert_eq!(status(app), (format!("Undone: {done}."), false));
    assert_eq!(dump(app), before, "{label}: undo left the data changed");
}

#[test]
fn adding_a_contact_with_a_new_organization_and_tag_is_undone_exactly() {
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        let draft = ContactDraft {
            organization: "Baker & Sons".into(),
            tags: vec!["Wholesale".into(), "VIP".into()],
            emails: vec![Email {
                label: "Work".into(),
                address: "ada@bakers.example".into(),
            }],
            ..ContactDraft::named("Ada Baker")
        };
        let save = Command::SaveContact {
            id: None,
            draft: Box::new(draft),
        };
        // The organization and the new tag go too; VIP, which Bob carries, stays.
        undo_restores(&mut app, &ctx, save, "Undo: add Ada Baker");
        assert!(app.view.selected.is_none(), "the added contact is gone");
    });
}

#[test]
fn editing_a_contact_is_undone_exactly_with_its_stage_history() {
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        let mut draft = app.store().unwrap().contact(w.maria).unwrap().draft;
        draft.stage = Stage::Customer;
        draft.organization = "Golden Crust Ltd".into();
        draft.tags.push("Wholesale".into());
        draft.emails.push(Email {
            label: "Home".into(),
            address: "maria.g@home.example".into(),
        });
        let save = Command::SaveContact {
            id: Some(w.maria),
            draft: Box::new(draft),
        };
        undo_restores(&mut app, &ctx, save, "Undo: edit of Maria García");
        assert_eq!(
            app.view.selected.as_ref().map(|s| s.contact.id),
            Some(w.maria),
            "undo shows the contact it put back"
        );
    });
}

#[test]
fn trash_and_restore_are_each_undone_exactly() {
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        undo_restores(
            &mut app,
            &ctx,
            Command::TrashContact(w.zelda),
            "Undo: delete Zelda Quint",
        );
        app.apply(Command::TrashContact(w.zelda), &ctx);
        app.apply(Command::OpenTrash, &ctx);
        undo_restores(
            &mut app,
            &ctx,
            Command::RestoreContact(w.zelda),
            "Undo: restore Zelda Quint",
        );
        let trash = app.store().unwrap().trashed_contacts().unwrap();
        assert_eq!(
            trash.len(),
            1,
            "undoing the restore moved her back to the trash"
        );
    });
}

#[test]
fn logging_editing_and_deleting_a_conversation_are_undone_exactly() {
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        app.apply(Command::SelectContact(w.maria), &ctx);
        let log = Command::SaveConversation {
            id: None,
            draft: InteractionDraft {
                summary: "Price list for spring".into(),
                they_said: "Flour costs are up".into(),
                participants: vec![w.maria, w.bob],
                ..InteractionDraft::new(at("2026-11-19 14:00"), w.maria)
            },
        };
        undo_restores(
            &mut app,
            &ctx,
            log,
            "Undo: log conversation 'Price list for spring'",
        );
        let mut edited = app
            .store()
            .unwrap()
            .interaction(w.oven_check)
            .unwrap()
            .draft;
        edited.summary = "Oven repair check, second visit".into();
        edited.participants.push(w.zelda);
        let edit = Command::SaveConversation {
            id: Some(w.oven_check),
            draft: edited,
        };
        undo_restores(
            &mut app,
            &ctx,
            edit,
            "Undo: edit of conversation 'Oven repair check, second visit'",
        );
        // Deleting unlinks 'Call back' from it: undo brings the conversation back under its own
        // id and links the follow-up again.
        undo_restores(
            &mut app,
            &ctx,
            Command::DeleteConversation(w.oven_check),
            "Undo: delete conversation 'Oven repair check'",
        );
    });
}

#[test]
fn follow_up_changes_are_undone_exactly() {
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        let cases = [
            (
                Command::CompleteFollowUp {
                    id: w.call_back,
                    seen: None,
                },
                "Undo: mark 'Call back' done",
            ),
            (
                Command::MissFollowUp {
                    id: w.call_back,
                    seen: None,
                },
                "Undo: mark 'Call back' missed",
            ),
            (
                Command::SnoozeFollowUp {
                    id: w.call_back,
                    days: 1,
                    seen: None,
                },
                "Undo: snooze 'Call back'",
            ),
            (
                Command::CreateFollowUp(follow_up(w.bob, "Send the spring prices", "2026-11-25")),
                "Undo: add follow-up 'Send the spring prices'",
            ),
        ];
        for (command, label) in cases {
            undo_restores(&mut app, &ctx, command, label);
        }
    });
}

#[test]
fn a_life_event_and_a_tag_change_are_undone_exactly() {
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        let event = Command::AddLifeEvent {
            contact: w.bob,
            occurred_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            kind: "New baby".into(),
            description: "A daughter, Ife".into(),
        };
        undo_restores(&mut app, &ctx, event, "Undo: add life event 'New baby'");
        for name in ["VIP", "Suppliers"] {
            let tag = Command::SaveTag {
                name: name.into(),
                color: Some("#2a9d8f".into()),
                cadence_days: Some(30),
            };
            // VIP gets a colour and cadence back to none; Suppliers, made by the save, goes.
            undo_restores(&mut app, &ctx, tag, &format!("Undo: change of tag {name}"));
        }
    });
}

fn import_google_file(app: &mut RapportApp, ctx: &egui::Context) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/google_current.csv");
    app.apply(Command::OpenImport, ctx);
    app.apply(Command::PreviewImport(path), ctx);
    app.apply(Command::ApplyImport, ctx);
    // On a team database the import runs on a thread with its own connection: draw frames
    // until it has said how it went.
    let started = std::time::Instant::now();
    while !status(app).0.starts_with("Imported") && started.elapsed().as_secs() < 20 {
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| app.frame_ui(ui));
        output.textures_delta.clear();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn an_import_is_undone_exactly_with_the_organizations_and_tags_it_made() {
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        let before = dump(&app);
        // In memory the import applies at once; on a file it runs on a thread (see the UI test).
        import_google_file(&mut app, &ctx);
        let (text, is_error) = status(&app);
        // María (new) and Kenji Tanaka (merged: his organization, title, phone and tags).
        assert!(
            text.starts_with("Imported google_current.csv: 1 new, 1 merged"),
            "{text}"
        );
        assert!(!is_error);
        assert_eq!(
            undo_label(&app).as_deref(),
            Some("Undo: import of google_current.csv")
        );
        app.apply(Command::Undo, &ctx);
        assert_eq!(
            status(&app),
            ("Undone: import of google_current.csv.".to_owned(), false)
        );
        assert_eq!(
            masked_contact_times(dump(&app)),
            masked_contact_times(before)
        );
    });
}

/// undo_import writes a merged contact's earlier fields back from the draft the batch kept
/// (not its timestamps), so its `updated_at` is the time of the undo: masked on contacts. Its
/// e-mails, phones and addresses are written anew, so their row ids are new too (SQLite happens
/// to reuse the freed ones, PostgreSQL never does): masked on those rows, which nothing refers to.
fn masked_contact_times(lines: Vec<String>) -> Vec<String> {
    let child_id =
        regex::Regex::new(r"^(contact_(emails|phones|addresses): )id=Integer\(\d+\)").unwrap();
    lines
        .into_iter()
        .map(
            |line| match (line.find(" updated_at="), line.find(" deleted_at=")) {
                (Some(from), Some(to)) if line.starts_with("contacts:") => {
                    format!("{} updated_at=…{}", &line[..from], &line[to..])
                }
                _ => child_id.replace(&line, "${1}id=…").into_owned(),
            },
        )
        .collect()
}

#[test]
fn an_import_undone_after_an_undone_edit_of_a_merged_contact_restores_it() {
    // On the real clock: an edit a second after the import counts as "changed since" for
    // undo_import, unless undoing the edit put its time back too.
    let w = world_in(Store::open_in_memory().unwrap(), false);
    let (mut app, ctx) = app_on(w.store);
    let before = dump(&app);
    import_google_file(&mut app, &ctx);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let kenji = app.store().unwrap().contact_rows("Kenji", 0, 1).unwrap()[0].id;
    let mut draft = app.store().unwrap().contact(kenji).unwrap().draft;
    draft.title = "Head buyer".into();
    app.apply(
        Command::SaveContact {
            id: Some(kenji),
            draft: Box::new(draft),
        },
        &ctx,
    );
    app.apply(Command::Undo, &ctx);
    app.apply(Command::Undo, &ctx);
    assert_eq!(
        status(&app),
        ("Undone: import of google_current.csv.".to_owned(), false),
        "nobody was kept as changed since the import"
    );
    assert_eq!(
        masked_contact_times(dump(&app)),
        masked_contact_times(before)
    );
    let restored = app.store().unwrap().contact(kenji).unwrap().draft;
    assert_eq!(restored.organization, "", "the merge is undone");
}

#[test]
fn restore_from_trash_is_its_own_step_and_the_history_below_it_stays_true() {
    // Issue (b), through the app: Ctrl+Z after a restore from the Trash undoes the restore;
    // the next ones undo the move to the trash and then the older edit, each as named.
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        let before = dump(&app);
        let mut draft = app.store().unwrap().contact(w.bob).unwrap().draft;
        draft.title = "Buyer".into();
        app.apply(
            Command::SaveContact {
                id: Some(w.bob),
                draft: Box::new(draft),
            },
            &ctx,
        );
        app.apply(Command::TrashContact(w.zelda), &ctx);
        app.apply(Command::OpenTrash, &ctx);
        app.apply(Command::RestoreContact(w.zelda), &ctx);
        for (label, trashed) in [
            ("Undo: restore Zelda Quint", 1),
            ("Undo: delete Zelda Quint", 0),
            ("Undo: edit of Bob Okafor", 0),
        ] {
            assert_eq!(undo_label(&app).as_deref(), Some(label));
            app.apply(Command::Undo, &ctx);
            let done = label.strip_prefix("Undo: ").unwrap();
            assert_eq!(status(&app), (format!("Undone: {done}."), false));
            assert_eq!(
                app.store().unwrap().trashed_contacts().unwrap().len(),
                trashed
            );
        }
        assert_eq!(dump(&app), before);
    });
}

#[test]
fn a_contact_added_trashed_and_restored_is_undone_step_by_step_to_nothing() {
    // Had the restore dropped the move to the trash from the history, the "add" below it
    // would find her in the trash again, changed since it was made, and fail.
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        let before = dump(&app);
        app.apply(
            Command::SaveContact {
                id: None,
                draft: Box::new(ContactDraft::named("Ada Baker")),
            },
            &ctx,
        );
        let ada = app.view.selected.as_ref().unwrap().contact.id;
        app.apply(Command::TrashContact(ada), &ctx);
        app.apply(Command::RestoreContact(ada), &ctx);
        for done in ["restore Ada Baker", "delete Ada Baker", "add Ada Baker"] {
            app.apply(Command::Undo, &ctx);
            assert_eq!(status(&app), (format!("Undone: {done}."), false));
        }
        assert_eq!(dump(&app), before);
    });
}

#[test]
fn steps_about_a_contact_deleted_for_good_leave_the_history() {
    // A conversation logged and edited, then its only participant deleted for good: the
    // steps cannot be applied any more and are taken off, instead of failing on Ctrl+Z.
    each_world(|w| {
        let (mut app, ctx) = app_on(w.store);
        app.apply(Command::SelectContact(w.maria), &ctx);
        let mut draft = app
            .store()
            .unwrap()
            .interaction(w.oven_check)
            .unwrap()
            .draft;
        draft.summary = "Oven fixed".into();
        app.apply(
            Command::SaveConversation {
                id: Some(w.oven_check),
                draft,
            },
            &ctx,
        );
        app.apply(
            Command::CompleteFollowUp {
                id: w.call_back,
                seen: None,
            },
            &ctx,
        );
        app.apply(Command::TrashContact(w.maria), &ctx);
        app.apply(Command::PurgeContact(w.maria), &ctx);
        assert_eq!(undo_label(&app), None, "every step was about Maria");
        app.apply(Command::Undo, &ctx);
        assert_eq!(status(&app), ("Nothing to undo.".to_owned(), false));
    });
}

#[test]
fn a_step_whose_rows_changed_outside_the_history_says_so_and_names_the_next() {
    // The command line (a second connection) edits Bob after the window did: Ctrl+Z must not
    // overwrite that, must say why, and must say what the next Ctrl+Z will undo.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.sqlite3");
    {
        let w = world();
        w.store.backup_to(&path).unwrap();
        let (mut app, ctx) = app_on(Store::open(&path).unwrap());
        app.apply(
            Command::CompleteFollowUp {
                id: w.call_back,
                seen: None,
            },
            &ctx,
        );
        let mut draft = app.store().unwrap().contact(w.bob).unwrap().draft;
        draft.title = "Buyer".into();
        app.apply(
            Command::SaveContact {
                id: Some(w.bob),
                draft: Box::new(draft.clone()),
            },
            &ctx,
        );
        let mut cli = Store::open(&path).unwrap();
        draft.title = "Head buyer".into();
        cli.update_contact(w.bob, &draft).unwrap();
        app.apply(Command::Undo, &ctx);
        assert_eq!(
        status(&app),
        (
            "Could not undo edit of Bob Okafor: the contact was changed since then, so nothing \
             was undone. That step is gone from Edit > Undo; Ctrl+Z now undoes mark 'Call \
             back' done."
                .to_owned(),
            true
        )
    );
        let title = app.store().unwrap().contact(w.bob).unwrap().draft.title;
        assert_eq!(title, "Head buyer", "the other change is kept");
        app.apply(Command::Undo, &ctx);
        assert_eq!(
            status(&app),
            ("Undone: mark 'Call back' done.".to_owned(), false)
        );
    }
}

// ----- the window, as the user saw it ----------------------------------------------------------

fn harness_on(store: Store, selected: Option<ContactId>) -> Harness<'static, RapportApp> {
    app_in(
        store,
        Window::of(1280.0, 800.0),
        selecting(selected.map(|c| c.0)),
    )
}

fn type_into(h: &mut Harness<'static, RapportApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

fn undo_button_shown(h: &Harness<'static, RapportApp>) -> bool {
    h.query_by_role_and_label(Role::Button, "Undo").is_some()
}

#[test]
fn after_an_export_the_status_bar_offers_no_undo_and_the_edit_menu_names_the_step() {
    // Issue (a): tick 'Call back' off, then export the calendar. The export's line has no
    // undo of its own, so no Undo button may sit beside it.
    let dir = tempfile::tempdir().unwrap();
    let w = world();
    let mut h = harness_on(w.store, None);
    h.run();
    // Today opened directly: the view is not what this test is about.
    let ctx = h.ctx.clone();
    h.state_mut()
        .apply(Command::ShowView(MainView::Today), &ctx);
    h.run();
    h.get_by_label("✔ Done").click();
    h.run();
    assert!(h.query_by_label_contains("Marked done").is_some());
    assert!(
        undo_button_shown(&h),
        "the line that reports the step offers its undo"
    );
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::E,
    );
    h.run();
    let ics = dir.path().join("follow-ups.ics");
    type_into(&mut h, "Save as", ics.to_str().unwrap());
    h.get_by_label("Export").click();
    h.run();
    assert!(ics.exists(), "the calendar was written");
    assert!(h.query_by_label_contains("follow-ups.ics").is_some());
    assert!(!undo_button_shown(&h), "no Undo beside the export's line");
    h.get_by_label("Edit").click();
    h.run();
    assert!(
        h.query_by_label_contains("Undo: mark 'Call back' done")
            .is_some(),
        "the Edit menu still names the step Ctrl+Z undoes"
    );
}

#[test]
fn restore_from_the_trash_window_then_ctrl_z_moves_her_back_without_an_error() {
    // Issue (b) as the user saw it: delete Zelda, restore her from File ▸ Trash, Ctrl+Z.
    let w = world();
    let mut h = harness_on(w.store, Some(w.zelda));
    h.run();
    h.get_by_label("🗑 Delete").click();
    h.run();
    h.get_by_label("🗑 Trash").click();
    h.run();
    h.get_by_label("Restore").click();
    h.run();
    assert!(h.query_by_label_contains("Restored Zelda Quint").is_some());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(
        h.query_by_label("Undone: restore Zelda Quint.").is_some(),
        "Ctrl+Z undid the restore"
    );
    assert!(h.query_by_label_contains("⚠").is_none(), "no error");
    let store = h.state().store().unwrap();
    assert_eq!(
        store.trashed_contacts().unwrap()[0].display_name,
        "Zelda Quint"
    );
    // Nothing older was undone in passing: Maria's follow-up is still open, Bob still here.
    assert_eq!(store.count_contacts("").unwrap(), 3);
    // The next Ctrl+Z undoes the move to the trash, as Edit > Undo says beforehand.
    h.get_by_label("Edit").click();
    h.run();
    assert!(
        h.query_by_label_contains("Undo: delete Zelda Quint")
            .is_some()
    );
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(h.query_by_label("Undone: delete Zelda Quint.").is_some());
    assert!(
        h.state()
            .store()
            .unwrap()
            .trashed_contacts()
            .unwrap()
            .is_empty()
    );
}

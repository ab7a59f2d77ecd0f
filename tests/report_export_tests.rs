//! Timeline reports from the command line in every format, and from the export dialog of the
//! File menu (what the files say, and the helpers used here: `report_tests`). Every date is
//! fixed: nothing depends on the day the tests run.

use crate::report_tests::{NOW, at, pdf_text};
use rapport::model::{Channel, ContactDraft, InteractionDraft};
use rapport::store::Store;
use std::process::Command;

fn rapport_cli(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RAPPORT_DB")
        .output()
        .expect("the rapport binary runs")
}

#[test]
fn export_from_the_command_line_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let ok = |args: &[&str]| {
        let out = rapport_cli(&db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    ok(&[
        "contact",
        "add",
        "--name",
        "Maria García",
        "--org",
        "Golden Crust",
    ]);
    ok(&["contact", "add", "--name", "Bob Okafor"]);
    ok(&[
        "log",
        "--contact",
        "1",
        "--channel",
        "visit",
        "--summary",
        "Oven repair check",
        "--at",
        "2026-03-03 10:30",
        "--they-said",
        "=HYPERLINK(\"x\")",
    ]);
    ok(&[
        "log",
        "--contact",
        "1",
        "--summary",
        "Old call",
        "--at",
        "2025-01-01 09:00",
    ]);
    ok(&[
        "log",
        "--contact",
        "2",
        "--summary",
        "Bob's call",
        "--at",
        "2026-03-04 09:00",
    ]);
    for format in ["pdf", "html", "csv", "md"] {
        let file = dir.path().join(format!("maria.{format}"));
        let said = ok(&[
            "export",
            "--format",
            format,
            "--contact",
            "1",
            "--from",
            "2026-01-01",
            "-o",
            file.to_str().unwrap(),
        ]);
        assert!(said.contains("Maria García"), "{said}");
        let bytes = std::fs::read(&file).unwrap();
        let content = if format == "pdf" {
            pdf_text(&bytes)
        } else {
            String::from_utf8(bytes).unwrap()
        };
        assert!(content.contains("Maria García"), "{format}");
        assert!(content.contains("Oven repair check"), "{format}");
        assert!(!content.contains("Old call"), "{format}: --from");
        assert!(!content.contains("Bob's call"), "{format}: scope");
    }
    let csv_text = std::fs::read_to_string(dir.path().join("maria.csv")).unwrap();
    assert!(csv_text.contains("'=HYPERLINK"), "{csv_text}");
    // --org and --all, format from the extension.
    let file = dir.path().join("org.html");
    ok(&[
        "export",
        "--org",
        "golden crust",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("Everyone at Golden Crust")
    );
    let file = dir.path().join("all.md");
    ok(&["export", "--all", "-o", file.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&file).unwrap().contains("Bob"));
    // Mistakes: one sentence on stderr and a non-zero exit.
    for args in [
        vec!["export", "--org", "Nowhere Ltd", "-o", "x.pdf"],
        vec!["export", "--contact", "99", "-o", "x.pdf"],
        vec!["export", "--all", "--from", "March", "-o", "x.pdf"],
        vec!["export", "--all", "-o", "x.docx"],
    ] {
        let out = rapport_cli(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn export_dialog_writes_the_report_from_the_file_menu() {
    use egui_kittest::{Harness, kittest::Queryable as _};
    use rapport::app::{Prefs, RapportApp};
    // egui's bundled fonts lack Vietnamese and Chinese glyphs, so the window gets plain names.
    let mut plain = Store::open_in_memory().unwrap();
    plain.set_clock(at("2026-01-05 08:00").and_utc());
    let maria = plain
        .create_contact(&ContactDraft {
            display_name: "Maria García".into(),
            organization: "Golden Crust Bakery".into(),
            ..ContactDraft::default()
        })
        .unwrap();
    plain
        .log_interaction(&InteractionDraft {
            channel: Channel::Visit,
            summary: "Oven repair check".into(),
            ..InteractionDraft::new(at("2026-03-03 10:30"), maria)
        })
        .unwrap();
    let mut store = Some(plain);
    let prefs = Prefs {
        selected_contact: Some(maria.0),
        ..Prefs::default()
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(16)
        .build_eframe(move |cc| {
            rapport::ui::install_style(&cc.egui_ctx);
            RapportApp::with_store_at(Ok(store.take().expect("built once")), prefs, Some(at(NOW)))
        });
    h.run();
    h.get_by_label("File").click();
    h.run();
    // The menu item's accessible name carries its shortcut too ("… Ctrl+E").
    h.get_by_label_contains("Export timeline report…").click();
    h.run();
    assert!(
        h.query_by_label("Export timeline report").is_some(),
        "the dialog is open"
    );
    assert!(h.query_by_label("This contact: Maria García").is_some());
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("maria.html");
    crate::ui_tests::replace_text(&mut h, "Save as", target.to_str().unwrap());
    h.get_by_label("Export").click();
    let started = std::time::Instant::now();
    while h
        .state()
        .view
        .export_report
        .as_ref()
        .is_some_and(|d| d.written.is_none())
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the export finishes"
        );
        let dialog = h.state().view.export_report.as_ref().unwrap();
        assert!(dialog.error.is_none(), "{:?}", dialog.error);
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    let html = std::fs::read_to_string(&target).expect("the file was written");
    assert!(html.contains("Maria García"));
    assert!(html.contains("Oven repair check"));
    assert!(
        h.query_by_label("Open the file").is_some(),
        "offers to open it"
    );
    h.get_by_label("Close").click();
    h.run();
    assert!(h.state().view.export_report.is_none());
}

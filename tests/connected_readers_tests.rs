//! Custom fields and relationships in Rapport's vCard export, read by an independent program
//! (Python's vobject): each value an `X-RAPPORT-FIELD` with the field's name in `X-NAME`, each
//! relationship a `RELATED` naming the other card's UID — in 4.0 and 3.0 alike.

use crate::common::{rapport, reader_available, stdout};

/// Per card: its UID, its fields (name → value) and its RELATED values with their TYPE.
const VOBJECT_FIELDS: &str = r#"
import json, sys, vobject
cards = {}
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for card in vobject.readComponents(f.read(), validate=True):
        fields = {p.params["X-NAME"][0]: p.value for p in card.contents.get("x-rapport-field", [])}
        related = [[p.params.get("TYPE", [""])[0].lower(), p.value] for p in card.contents.get("related", [])]
        cards[card.fn.value] = {"uid": card.uid.value, "fields": fields, "related": related}
print(json.dumps(cards, ensure_ascii=False))
"#;

fn vobject_available() -> bool {
    if !reader_available("python3") {
        return false;
    }
    let has = std::process::Command::new("python3")
        .args(["-c", "import vobject"])
        .status()
        .is_ok_and(|s| s.success());
    has || reader_available("python3-vobject (pip install vobject)")
}

#[test]
fn vobject_reads_custom_fields_and_relationships_in_the_vcard_export() {
    if !vobject_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fields.sqlite3");
    let run = |args: &[&str]| stdout(&rapport(&db, args));
    run(&[
        "contact",
        "add",
        "--name",
        "Ana Lima",
        "--email",
        "ana@lima.example",
    ]);
    run(&[
        "contact",
        "add",
        "--name",
        "Tom Weber",
        "--email",
        "tom@weber.example",
    ]);
    let listed: serde_json::Value = serde_json::from_str(&run(&["contacts", "--json"])).unwrap();
    let id_of = |name: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["id"]
            .to_string()
    };
    let (ana, tom) = (id_of("Ana Lima"), id_of("Tom Weber"));
    run(&["field", "add", "Größe des Ladens; m²", "--type", "number"]);
    run(&[
        "field",
        "add",
        "Shop size",
        "--type",
        "choice",
        "--choices",
        "Small,Medium,Large",
    ]);
    run(&[
        "contact",
        "set",
        &ana,
        "--field",
        "Größe des Ladens; m²=42.5",
        "--field",
        "Shop size=Large",
    ]);
    run(&["relate", &ana, "spouse", &tom]);
    for version in ["4.0", "3.0"] {
        let file = dir.path().join(format!("cards-{version}.vcf"));
        let file_arg = file.to_str().unwrap();
        run(&[
            "export-contacts",
            "--vcard-version",
            version,
            "-o",
            file_arg,
        ]);
        let out = std::process::Command::new("python3")
            .args(["-c", VOBJECT_FIELDS, file_arg])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cards: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let (a, t) = (&cards["Ana Lima"], &cards["Tom Weber"]);
        assert_eq!(
            a["fields"],
            serde_json::json!({"Größe des Ladens; m²": "42.5", "Shop size": "Large"}),
            "{version}"
        );
        assert_eq!(t["fields"], serde_json::json!({}), "{version}");
        assert_eq!(
            a["related"],
            serde_json::json!([["spouse", t["uid"]]]),
            "{version}"
        );
        assert_eq!(
            t["related"],
            serde_json::json!([["spouse", a["uid"]]]),
            "{version}"
        );
    }
}

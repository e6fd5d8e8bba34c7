//! The program's workflows on the command line: an NFR licence from request to refusal and
//! sending, with the checks printed; each person's curriculum progress; a rules row put, used
//! and removed.

use super::*;

#[test]
fn a_cam_asks_for_nfr_licences_and_the_help_desk_refuses_one_and_sends_another() {
    let desk = Desk::new();
    // A new partner: one person, no certification yet.
    desk.ok(&[
        "partner",
        "add",
        "Acme",
        "--type",
        "msp",
        "--track",
        "open",
        "--region",
        "emea",
        "--owner",
        "cam@vendor.example",
    ]);
    desk.ok(&[
        "person",
        "add",
        "--partner",
        "Acme",
        "--name",
        "Ana Lima",
        "--email",
        "ana@acme.example",
    ]);
    // A personal address: recorded, but its check is not met, and it cannot be verified.
    let out = desk.ok(&[
        "nfr",
        "request",
        "Acme",
        "--contact",
        "Eve",
        "--email",
        "eve@mail.example",
        "--author",
        "cam@vendor.example",
    ]);
    assert!(
        out.contains("[NOT MET] Eve (eve@mail.example) is not one of the people of Acme"),
        "{out}"
    );
    assert!(out.contains("[note] no certification yet"), "{out}");
    assert!(out.contains("Send with the licence:"), "{out}");
    let listed = desk.json(&["nfr", "list", "Acme"]);
    let eve = listed[0]["request"]["id"].as_str().unwrap().to_string();
    let (code, err) = desk.fails(&["nfr", "verify", &eve]);
    assert_ne!(code, 0);
    assert!(
        err.contains("cannot verify: Eve (eve@mail.example) is not one of"),
        "{err}"
    );
    let (_, err) = desk.fails(&["nfr", "refuse", &eve, "--reason", " "]);
    assert!(err.contains("say why the request is refused"), "{err}");
    desk.ok(&["nfr", "refuse", &eve, "--reason", "a personal address"]);

    let ana = desk.json(&[
        "nfr",
        "request",
        "Acme",
        "--contact",
        "Ana Lima",
        "--email",
        "ana@acme.example",
        "--seats",
        "3",
        "--author",
        "cam@vendor.example",
    ]);
    let id = ana["request"]["id"].as_str().unwrap().to_string();
    let (_, err) = desk.fails(&["nfr", "sent", &id]);
    assert!(
        err.contains("verifies it before the licence is sent"),
        "{err}"
    );
    desk.ok(&["nfr", "verify", &id]);
    let sent = desk.json(&["nfr", "sent", &id]);
    assert_eq!(sent["request"]["status"], "sent");
    let table = desk.ok(&["nfr", "list", "Acme"]);
    assert!(table.contains("refused: a personal address"), "{table}");
    assert!(table.contains("Ana Lima <ana@acme.example>"), "{table}");
}

#[test]
fn curriculum_progress_and_a_rules_row_put_used_and_removed() {
    let desk = Desk::new();
    desk.acme();
    desk.ok(&[
        "cert",
        "add",
        "--partner",
        "Acme",
        "--person",
        "Ana Lima",
        "--module",
        "GitLab SDLC Quiz",
        "--status",
        "certified",
        "--completed",
        "2026-11-02",
    ]);
    let progress = desk.json(&["person", "curriculum", "--partner", "Acme"]);
    assert_eq!(progress[0]["levels"][0]["done"], 1);
    assert_eq!(progress[0]["levels"][0]["points_done"], 9, "the SDLC quiz");
    let curriculum = desk.ok(&["rules", "list", "curriculum"]);
    assert!(curriculum.contains("POINTS"), "{curriculum}");

    let cert = desk.json(&[
        "rules",
        "put",
        "certification",
        r#"{"name":"Security Specialist","validity_months":24,"sort_order":5}"#,
    ]);
    let cert_id = cert["row"]["id"].as_str().unwrap().to_string();
    let need = format!(r#"{{"track":"open","certification_id":"{cert_id}","count":1}}"#);
    let rule = desk.json(&["rules", "put", "track-requirement", &need]);
    let compliance = desk.ok(&["compliance", "--partner", "Acme"]);
    assert!(compliance.contains("Security Specialist"), "{compliance}");

    // Still named by the requirement: kept, with why.
    let (_, err) = desk.fails(&["rules", "remove", "certification", &cert_id]);
    assert!(err.contains("is still used: 1 requirement(s)"), "{err}");
    let (_, err) = desk.fails(&["rules", "put", "track-requirement", "{not json"]);
    assert!(err.contains("row: not JSON"), "{err}");
    let (_, err) = desk.fails(&[
        "rules",
        "put",
        "badge",
        r#"{"name":"X","requires_track_compliance":true,"review_every_months":0}"#,
    ]);
    assert!(err.contains("review_every_months"), "{err}");
    desk.ok(&[
        "rules",
        "remove",
        "track-requirement",
        rule["row"]["id"].as_str().unwrap(),
    ]);
    desk.ok(&["rules", "remove", "certification", &cert_id]);
    let compliance = desk.ok(&["compliance", "--partner", "Acme"]);
    assert!(!compliance.contains("Security Specialist"), "{compliance}");
}

//! Bad input is refused clearly (exit 2, the field named) and writes nothing; odd input is safe.

use std::process::{Command, Stdio};

use serde_json::Value;

use super::*;

#[test]
fn hostile_search_input_is_just_text() {
    let desk = Desk::new();
    desk.acme();
    for query in [
        "\"AND (",
        "*",
        "-",
        "\"unbalanced",
        "NEAR(",
        "a:b",
        "'; DROP TABLE partners;",
    ] {
        let out = desk.run(&["search", query]);
        assert!(
            out.status.success(),
            "{query:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(desk.json(&["partner", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn an_impossible_date_exits_2_names_the_field_and_writes_nothing() {
    let desk = Desk::new();
    desk.acme();
    let before = desk.outbox_pending();
    let (code, stderr) = desk.fails(&[
        "note",
        "add",
        "--partner",
        "Acme",
        "--title",
        "Call",
        "--next-step",
        "Fine;ana;2026-12-01",
        "--next-step",
        "Bad;ana;2026-02-30",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("error: next_steps[2].due_on: \"2026-02-30\" is not a valid date"),
        "{stderr}"
    );
    assert_eq!(desk.outbox_pending(), before, "nothing written");
    assert!(desk.json(&["note", "list"])["notes"]
        .as_array()
        .unwrap()
        .is_empty());

    let (code, stderr) = desk.fails(&[
        "cert",
        "add",
        "--partner",
        "Acme",
        "--person",
        "Ana Lima",
        "--cert",
        "pse",
        "--target",
        "2026-02-30",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("target_date"), "{stderr}");
}

#[test]
fn an_unknown_track_lists_the_allowed_values() {
    let desk = Desk::new();
    let (code, stderr) = desk.fails(&[
        "partner", "add", "Acme", "--type", "var_vad", "--track", "Platinum", "--region", "emea",
        "--owner", "cam",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "error: track: \"Platinum\" is not one of: open, select, distribution"
    );
}

#[test]
fn with_json_errors_also_come_as_a_json_line_on_stderr() {
    let desk = Desk::new();
    let (code, stderr) = desk.fails(&["--json", "partner", "show", "Nobody"]);
    assert_eq!(code, 2, "an unknown partner is bad input");
    let last = stderr.lines().last().unwrap();
    let err: Value = serde_json::from_str(last).unwrap();
    assert_eq!(err["error"]["code"], "not_found");
    assert_eq!(err["error"]["message"], "no partner with id Nobody");

    let (code, stderr) = desk.fails(&["--json", "partner", "add"]);
    assert_eq!(code, 2, "usage errors exit 2");
    let err: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(err["error"]["code"], "usage");
}

#[test]
fn a_duplicate_partner_is_refused_clearly() {
    let desk = Desk::new();
    desk.acme();
    let (code, stderr) = desk.fails(&[
        "partner", "add", "ACME", "--type", "dmr", "--track", "open", "--region", "emea",
        "--owner", "cam",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("\"ACME\" already exists"), "{stderr}");
}

#[test]
fn the_data_dir_comes_from_the_environment_too() {
    let desk = Desk::new();
    let out = Command::new(env!("CARGO_BIN_EXE_cdesk"))
        .args(["--json", "partner", "list"])
        .env("CDESK_DATA_DIR", desk.path())
        .envs(desk.keyring_env())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        desk.path().join("channel-desk.db").exists(),
        "the desktop app's file name"
    );
}

//! Backups from the command line: one a day at start, on demand, and restore (which never
//! deletes the database it replaces).

use super::*;

pub(crate) fn add_partner(desk: &Desk, name: &str) {
    desk.ok(&[
        "partner",
        "add",
        name,
        "--type",
        "msp",
        "--track",
        "open",
        "--region",
        "emea",
        "--owner",
        "cam@vendor.example",
    ]);
}

fn partner_names(desk: &Desk) -> Vec<String> {
    let mut names: Vec<String> = desk
        .json(&["partner", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

fn backups(desk: &Desk) -> Vec<Value> {
    desk.json(&["backup", "list"]).as_array().unwrap().clone()
}

#[test]
fn the_first_command_of_the_day_takes_a_backup_and_later_ones_do_not() {
    let desk = Desk::new();
    assert!(backups(&desk).is_empty(), "listing opens no database");
    add_partner(&desk, "Acme");
    assert_eq!(backups(&desk).len(), 1, "taken at start");
    add_partner(&desk, "Globex");
    assert_eq!(backups(&desk).len(), 1, "at most one a day");
    let made = desk.json(&["backup"]);
    assert!(
        made["path"].as_str().unwrap().contains("/backups/"),
        "{made}"
    );
    assert_eq!(backups(&desk).len(), 2, "cdesk backup takes one now");
    assert!(
        desk.ok(&["backup", "list"]).contains("channel-desk-"),
        "the text list names the files"
    );
}

#[test]
fn restore_latest_brings_back_the_backup_and_the_replaced_database_can_be_restored_too() {
    let desk = Desk::new();
    add_partner(&desk, "Acme");
    desk.ok(&["backup"]);
    add_partner(&desk, "Globex");
    let out = desk.ok(&["restore", "--latest"]);
    assert!(
        out.contains("kept as"),
        "says where the replaced database is: {out}"
    );
    assert_eq!(partner_names(&desk), ["Acme"]);

    let replaced = out
        .lines()
        .find_map(|l| l.strip_prefix("The database it replaced is kept as "))
        .unwrap()
        .trim()
        .to_string();
    desk.ok(&["restore", &replaced]);
    assert_eq!(partner_names(&desk), ["Acme", "Globex"], "nothing was lost");
}

#[test]
fn restore_refuses_a_damaged_backup_and_changes_nothing() {
    let desk = Desk::new();
    add_partner(&desk, "Acme");
    let bad = desk.path().join("bad.db");
    std::fs::write(&bad, b"definitely not SQLite\n".repeat(500)).unwrap();
    let (code, stderr) = desk.fails(&["restore", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot be restored"), "{stderr}");
    assert_eq!(partner_names(&desk), ["Acme"]);
}

#[test]
fn restore_latest_without_backups_says_so() {
    let desk = Desk::new();
    let (code, stderr) = desk.fails(&["restore", "--latest"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no backup"), "{stderr}");
}

#[test]
fn a_damaged_database_is_reported_plainly_with_the_restore_command_and_left_untouched() {
    let desk = Desk::new();
    add_partner(&desk, "Acme"); // the day's backup, taken at start, has no Acme
    desk.ok(&["backup"]);
    let db = desk.path().join("channel-desk.db");
    let mut bytes = std::fs::read(&db).unwrap();
    let cut = bytes.len() / 2;
    bytes.truncate(cut);
    std::fs::write(&db, &bytes).unwrap();

    let out = desk.run(&["--json", "partner", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("is damaged"), "{stderr}");
    assert!(
        stderr.contains("cdesk restore --latest"),
        "names the fix: {stderr}"
    );
    let json_line = stderr.lines().last().unwrap();
    let body: Value = serde_json::from_str(json_line).unwrap();
    assert_eq!(body["error"]["code"], "corrupt");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the damaged file is not written to"
    );
    assert_eq!(
        backups(&desk).len(),
        2,
        "no backup of the damaged file was taken"
    );

    desk.ok(&["restore", "--latest"]);
    assert_eq!(partner_names(&desk), ["Acme"]);
}

#[test]
fn a_damaged_database_without_backups_says_there_are_none() {
    let desk = Desk::new();
    std::fs::write(
        desk.path().join("channel-desk.db"),
        b"half a spreadsheet\n".repeat(300),
    )
    .unwrap();
    let (code, stderr) = desk.fails(&["summary"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("No backup was found"), "{stderr}");
}

/// A command that only reads opens without reading the whole file first; when its read meets
/// damage, the file is checked then and the damage is reported as such, with the restore
/// command. A command that writes checks first and writes nothing.
#[test]
fn a_read_that_meets_damage_reports_the_damage_and_a_write_is_refused_first() {
    let desk = Desk::new();
    desk.ok(&["demo", "--partners", "5", "--notes", "400"]);
    desk.ok(&["backup"]);
    let db = desk.path().join("channel-desk.db");
    let mut bytes = std::fs::read(&db).unwrap();
    // One byte in every page of the last two thirds: what a full listing of notes reads.
    let page = 4096;
    for start in (bytes.len() / 3 / page * page..bytes.len()).step_by(page) {
        bytes[start + 200] ^= 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();

    let out = desk.run(&["--json", "note", "list", "--limit", "100000"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("is damaged"), "{stderr}");
    assert!(stderr.contains("cdesk restore --latest"), "{stderr}");
    let body: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "corrupt");

    let (code, stderr) = desk.fails(&[
        "note",
        "add",
        "--partner",
        "p1",
        "--title",
        "Call",
        "--body",
        "b",
        "--author",
        "a@x.io",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("is damaged"), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "nothing was written");
}

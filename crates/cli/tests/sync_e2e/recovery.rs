//! The ordinary mishaps sync must survive, each as a person meets it: the real `cdesk` (or, where
//! page sizes matter, the client library) against the real server on a real PostgreSQL.
//! - two offline drafts of one plan;
//! - a profile restored from a file-level backup;
//! - a change the server refuses;
//! - a partner handed over and back;
//! - a record from the server this laptop cannot store;
//! - a server restored from its dump, and the full resync after it.

use super::*;
use cdesk_core::domain::{CallNote, Partner, Region, Track};
use cdesk_core::store::{NoteFilter, Store};
use cdesk_core::sync::{sync_once, SyncOptions};
use serde_json::json;

const OTHER_CAM: &str = "other.cam@vendor.example";

fn note(l: &Laptop, title: &str) {
    note_on_acme(l, title, "notes");
}

/// The titles of every note on a laptop, sorted.
fn titles(l: &Laptop) -> Vec<String> {
    let (_, notes) = l.snapshot();
    let mut t: Vec<String> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn live_notes(server: &Server) -> i64 {
    server.scalar("SELECT count(*) FROM records WHERE kind = 'call_note' AND NOT deleted")
}

fn plan(l: &Laptop) -> Value {
    l.json(&["plan", "show", "--partner", "Acme", "--year", "FY27"])
}

#[test]
fn two_offline_drafts_of_one_plan_become_one_plan_and_sync_goes_on() {
    let mut server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let (keyring_a, keyring_b) = (SecretService::start(), SecretService::start());
    let laptop = Laptop::new(&keyring_a, CAM);
    let desktop = Laptop::new(&keyring_b, CAM);
    let url = server.url();
    add_acme(&laptop);
    laptop.login(&url, CAM);
    laptop.sync();
    desktop.login(&url, CAM);
    desktop.sync();

    // On the plane, the CAM drafts the FY27 plan on her laptop; at the office, on her desktop.
    server.stop();
    laptop.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--goals",
        "Grow migration",
        "--growth-arr",
        "250000",
    ]);
    desktop.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--goals",
        "Grow education",
        "--new-customer-arr",
        "100000",
    ]);
    server.restart();
    laptop.sync();
    desktop.sync();
    laptop.sync();

    // One plan: the fields only one draft set are both kept; the goals both set differently
    // are one conflict, with the later arrival (the desktop's) applied.
    assert_eq!(
        server.scalar("SELECT count(*) FROM records WHERE kind = 'business_plan' AND NOT deleted"),
        1
    );
    let (on_laptop, on_desktop) = (plan(&laptop), plan(&desktop));
    assert_eq!(on_laptop["id"], on_desktop["id"], "one plan on both");
    for p in [&on_laptop, &on_desktop] {
        assert_eq!(p["goals"], "Grow education");
        assert_eq!(p["growth_arr_target"], json!(25_000_000), "in cents");
        assert_eq!(p["new_customer_arr_target"], json!(10_000_000));
    }
    let conflicts = laptop.json(&["conflicts", "list"]);
    let conflicts = conflicts.as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["field"], "goals");
    assert_eq!(conflicts[0]["overwritten_value"], "Grow migration");

    // Sync goes on: what either writes next arrives, and nothing is stuck aside.
    note(&laptop, "After the plans met");
    laptop.sync();
    desktop.sync();
    assert_eq!(titles(&desktop), strings(&["After the plans met"]));
    for l in [&laptop, &desktop] {
        let status = l.json(&["status"]);
        assert_eq!(status["unapplied"], 0, "{status}");
        assert_eq!(status["pending"], 0, "{status}");
        assert_eq!(status["last_error"], Value::Null, "{status}");
    }

    // An edit the laptop makes to the plan after the merge lands on the one plan too.
    laptop.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--goals",
        "Grow both",
    ]);
    laptop.sync();
    desktop.sync();
    assert_eq!(plan(&desktop)["goals"], "Grow both");
}

#[test]
fn a_partner_handed_over_and_back_comes_back_whole() {
    const BOSS: &str = "boss@vendor.example";
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    server.add_user(OTHER_CAM, Role::Cam, None);
    server.add_user(BOSS, Role::Manager, Some("emea"));
    let (keyring_a, keyring_b) = (SecretService::start(), SecretService::start());
    let laptop = Laptop::new(&keyring_a, CAM);
    let boss = Laptop::new(&keyring_b, BOSS);
    add_acme(&laptop);
    laptop.login(&server.url(), CAM);
    laptop.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--goals",
        "Grow migration",
    ]);
    note(&laptop, "Kick-off");
    laptop.sync();
    boss.login(&server.url(), BOSS);
    boss.sync();

    // The manager hands Acme to another CAM while she is on leave: Acme and its plan leave her
    // laptop (the notes she wrote stay hers).
    boss.ok(&["partner", "edit", "Acme", "--owner", OTHER_CAM]);
    boss.sync();
    laptop.sync();
    assert_eq!(laptop.json(&["partner", "list"]), json!([]), "Acme left");
    assert!(!laptop
        .run(&["plan", "show", "--partner", "Acme"])
        .status
        .success());
    assert_eq!(titles(&laptop), strings(&["Kick-off"]));

    // She is back: Acme returns with her plan, although she wrote every field of it herself
    // (her laptop dropped it when Acme left, so it is not an echo).
    boss.ok(&["partner", "edit", "Acme", "--owner", CAM]);
    boss.sync();
    laptop.sync();
    assert_eq!(laptop.json(&["partner", "list"])[0]["owner"], CAM);
    assert_eq!(plan(&laptop)["goals"], "Grow migration");
    assert_eq!(titles(&laptop), strings(&["Kick-off"]));

    // And what she writes to them next goes back and forth as usual.
    laptop.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--goals",
        "Grow both",
    ]);
    laptop.sync();
    boss.sync();
    assert_eq!(plan(&boss)["goals"], "Grow both");
}

/// A CAM's laptop with one note, last week's OS backup of its profile folder, then a week of
/// work synced: one more note ("Before the backup", "After the backup").
fn backed_up_laptop(server: &Server, keyring: &SecretService) -> (Laptop, tempfile::TempDir) {
    server.add_user(CAM, Role::Cam, None);
    let laptop = Laptop::new(keyring, CAM);
    add_acme(&laptop);
    laptop.login(&server.url(), CAM);
    note(&laptop, "Before the backup");
    laptop.sync();
    let backup = tempfile::tempdir().unwrap();
    copy_files(laptop.dir(), backup.path());
    note(&laptop, "After the backup");
    laptop.sync();
    (laptop, backup)
}

#[test]
fn a_laptop_restored_from_a_file_backup_sends_its_new_notes_and_gets_back_the_others() {
    let server = Server::start();
    let (keyring_a, keyring_b) = (SecretService::start(), SecretService::start());
    let (laptop, backup) = backed_up_laptop(&server, &keyring_a);

    // The folder is restored from that backup (same path, same key in the keyring), and she
    // logs a new call: its mutation reuses an id the server already applied to another note.
    copy_files(backup.path(), laptop.dir());
    note(&laptop, "After the restore");
    let report = laptop.sync();
    assert_eq!(report["new_device"], true, "{report}");
    assert_eq!(laptop.pending(), 0);

    assert_eq!(live_notes(&server), 3, "the new note reached the server");
    assert_eq!(
        titles(&laptop),
        strings(&["After the backup", "After the restore", "Before the backup"]),
        "the note written after the backup came back"
    );
    let other = Laptop::new(&keyring_b, CAM);
    other.login(&server.url(), CAM);
    other.sync();
    assert_eq!(
        titles(&other),
        titles(&laptop),
        "her other laptop has all three"
    );
    // And it keeps working: the next note goes up as usual.
    note(&laptop, "Next week");
    let report = laptop.sync();
    assert_eq!(
        (&report["pushed"], &report["new_device"]),
        (&json!(1), &json!(false))
    );
    assert_eq!(live_notes(&server), 4);
}

#[test]
fn a_laptop_restored_from_a_file_backup_gets_back_its_later_notes_without_writing_anything() {
    let server = Server::start();
    let keyring = SecretService::start();
    let (laptop, backup) = backed_up_laptop(&server, &keyring);

    // Restored, and she only reads: her next sync must still bring back the later note,
    // although this device wrote it (the restored database never saw it).
    copy_files(backup.path(), laptop.dir());
    let report = laptop.sync();
    assert_eq!(report["new_device"], true, "{report}");
    assert_eq!(
        titles(&laptop),
        strings(&["After the backup", "Before the backup"])
    );
    let report = laptop.sync();
    assert_eq!(
        (&report["pulled"], &report["new_device"]),
        (&json!(0), &json!(false)),
        "once is enough"
    );
}

#[test]
fn a_change_the_server_refuses_is_undone_on_the_laptop_and_listed() {
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    server.add_user(OTHER_CAM, Role::Cam, None);
    let keyring = SecretService::start();
    let laptop = Laptop::new(&keyring, CAM);
    add_acme(&laptop);
    laptop.login(&server.url(), CAM);
    laptop.sync();

    // Only a manager hands a partner to another CAM; and a CAM creates only her own partners.
    laptop.ok(&[
        "partner",
        "edit",
        "Acme",
        "--owner",
        OTHER_CAM,
        "--notes",
        "handing over",
    ]);
    laptop.ok(&[
        "partner", "add", "Globex", "--type", "var_vad", "--track", "open", "--region", "emea",
        "--owner", OTHER_CAM,
    ]);
    // A later edit of her own, pushed in the same batch, is hers to make and stays.
    laptop.ok(&["partner", "edit", "Acme", "--stage", "established"]);
    let report = laptop.sync();
    assert_eq!(report["rejected"], 2, "{report}");

    let partners = laptop.json(&["partner", "list"]);
    let partners = partners.as_array().unwrap();
    assert_eq!(
        partners.len(),
        1,
        "the refused partner is gone: {partners:?}"
    );
    assert_eq!(partners[0]["name"], "Acme");
    assert_eq!(partners[0]["owner"], CAM, "the hand-over is undone");
    assert_eq!(
        partners[0]["account_notes"], "",
        "with the rest of that change"
    );
    assert_eq!(
        partners[0]["journey_stage"], "established",
        "the later edit is kept: the server applied it after the refusal"
    );
    let other_keyring = SecretService::start();
    let desktop = Laptop::new(&other_keyring, CAM);
    desktop.login(&server.url(), CAM);
    desktop.sync();
    assert_eq!(
        desktop.json(&["partner", "list"])[0]["journey_stage"],
        "established"
    );

    // What was refused stays listed, with what it would have written, to redo properly.
    let status = laptop.json(&["status"]);
    let refused = status["rejected_changes"].as_array().unwrap();
    assert_eq!(refused.len(), 2, "{status}");
    assert!(refused.iter().all(|r| r["code"] == "forbidden"));
    assert_eq!(refused[0]["patch"]["owner"], OTHER_CAM);
    assert_eq!(refused[1]["patch"]["name"], "Globex");
    assert_eq!(status["pending"], 0);
    // The next sync changes nothing back.
    let again = laptop.sync();
    assert_eq!((&again["pushed"], &again["pulled"]), (&json!(0), &json!(0)));
    assert_eq!(laptop.json(&["partner", "list"])[0]["owner"], CAM);
}

#[test]
fn a_record_this_laptop_cannot_store_is_kept_aside_and_the_rest_arrives() {
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let (keyring_a, keyring_b) = (SecretService::start(), SecretService::start());
    let laptop = Laptop::new(&keyring_a, CAM);
    add_acme(&laptop);
    laptop.login(&server.url(), CAM);
    laptop.sync();
    let acme = laptop.json(&["partner", "list"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The server holds a note under Acme that no client can store (no `created_at`: a newer
    // server, or one that checked less than this client), then an ordinary one.
    server.scalar(&format!(
        "WITH s AS (UPDATE seq_counter SET value = value + 1 RETURNING value)
         INSERT INTO records (kind, id, fields, seq, root_partner_id)
         SELECT 'call_note', 'unfit-note', jsonb_build_object('title', 'No date',
             'body', '', 'via_partner', false, 'partner_id', '{acme}',
             'author', 'cam@vendor.example', 'occurred_at', '2026-12-01T10:00:00.000Z',
             'updated_at', '2026-12-01T10:00:00.000Z'), value, '{acme}'
         FROM s RETURNING seq"
    ));
    let desktop = Laptop::new(&keyring_b, CAM);
    desktop.login(&server.url(), CAM);
    desktop.sync();
    note(&desktop, "Ordinary note");
    desktop.sync();

    let report = laptop.sync();
    assert_eq!(report["not_applied"], 1, "{report}");
    assert_eq!(
        titles(&laptop),
        strings(&["Ordinary note"]),
        "the rest arrived"
    );
    let status = laptop.json(&["status"]);
    assert_eq!(
        status["last_error"],
        Value::Null,
        "sync did not fail: {status}"
    );
    let aside = status["unapplied_changes"].as_array().unwrap();
    assert_eq!(aside.len(), 1, "{status}");
    assert_eq!(aside[0]["entity_id"], "unfit-note");
    assert!(
        aside[0]["reason"].as_str().unwrap().contains("created_at"),
        "the reason names what is wrong: {}",
        aside[0]["reason"]
    );
    // Later syncs go on, and the change stays listed until the server sends one that fits.
    note(&desktop, "Later note");
    desktop.sync();
    let report = laptop.sync();
    assert_eq!(
        (&report["pulled"], &report["not_applied"]),
        (&json!(1), &json!(1))
    );
    server.scalar(
        "WITH s AS (UPDATE seq_counter SET value = value + 1 RETURNING value)
         UPDATE records SET fields = fields || jsonb_build_object(
             'created_at', '2026-12-01T10:00:00.000Z'),
             seq = s.value FROM s WHERE id = 'unfit-note' RETURNING 1::bigint",
    );
    let report = laptop.sync();
    assert_eq!(report["not_applied"], 0, "{report}");
    assert_eq!(
        titles(&laptop),
        strings(&["Later note", "No date", "Ordinary note"])
    );
}

#[test]
fn a_server_restored_from_its_dump_gets_back_what_the_laptops_still_hold() {
    let mut server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let (keyring_a, keyring_b) = (SecretService::start(), SecretService::start());
    let laptop = Laptop::new(&keyring_a, CAM);
    let desktop = Laptop::new(&keyring_b, CAM);
    add_acme(&laptop);
    laptop.login(&server.url(), CAM);
    note(&laptop, "n1");
    laptop.sync();
    let nightly = server.dump();

    // The next day's work, synced from both of her computers.
    note(&laptop, "n2");
    note(&laptop, "n3");
    laptop.sync();
    desktop.login(&server.url(), CAM);
    desktop.sync();
    note(&desktop, "n4");
    desktop.sync();

    // The server's disk dies; the operator restores last night's dump and renews the epoch.
    // Sign-ins since the dump are gone with it: she signs in again on both.
    server.restore(&nightly);
    assert_eq!(live_notes(&server), 1);
    laptop.login(&server.url(), CAM);
    desktop.login(&server.url(), CAM);

    // Her next note: the server expects the laptop's mutation 3 next and gets a later one.
    note(&laptop, "n5");
    let report = laptop.sync();
    assert_eq!(report["new_device"], true, "{report}");
    assert_eq!(
        report["restored_to_server"], 2,
        "n2 and n3 went back up: {report}"
    );
    let report = desktop.sync();
    assert_eq!(report["restored_to_server"], 1, "n4 went back up: {report}");
    laptop.sync();

    let all = strings(&["n1", "n2", "n3", "n4", "n5"]);
    assert_eq!(titles(&laptop), all);
    assert_eq!(titles(&desktop), all);
    assert_eq!(live_notes(&server), 5, "each note once on the server");
    for l in [&laptop, &desktop] {
        let again = l.sync();
        assert_eq!(
            (&again["pushed"], &again["restored_to_server"]),
            (&json!(0), &json!(0)),
            "nothing is sent twice"
        );
    }
}

/// A device of the client library with an in-memory store, syncing in small pages.
struct Device {
    store: Store,
    secrets: SharedSecrets,
}

const SMALL_PAGES: SyncOptions = SyncOptions {
    push_batch: 3,
    pull_page: 2,
    apply_batch: 2,
};

impl Device {
    fn new(url: &str, name: &str) -> Device {
        let secrets = SharedSecrets::default();
        sign_in(url, CAM, name, &secrets);
        Device {
            store: Store::open_in_memory().unwrap(),
            secrets,
        }
    }

    fn sync(&mut self, url: &str) -> cdesk_core::sync::SyncReport {
        let mut session = resume(url, CAM, &self.secrets);
        sync_once(&mut self.store, &mut session, SMALL_PAGES).expect("sync")
    }

    /// Every note's title and body, sorted by title.
    fn notes(&self) -> Vec<(String, String)> {
        let notes = self
            .store
            .read()
            .notes(&NoteFilter {
                limit: 1000,
                ..Default::default()
            })
            .unwrap();
        let mut out: Vec<(String, String)> = notes.into_iter().map(|n| (n.title, n.body)).collect();
        out.sort();
        out
    }
}

#[test]
fn a_full_resync_brings_the_devices_own_records_to_the_last_page() {
    let mut server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let url = server.url();
    let mut device = Device::new(&url, "laptop");
    let mut ids = Vec::new();
    device
        .store
        .write(|w| {
            let acme = Partner::new("Acme", Track::Open, Region::Emea, CAM);
            w.put(&acme)?;
            for i in 0..6 {
                let mut n = CallNote::new(&format!("Call {i}"), "as first written", CAM);
                n.partner_id = Some(acme.id.clone());
                ids.push(n.id.clone());
                w.put(&n)?;
            }
            Ok(())
        })
        .unwrap();
    device.sync(&url);
    let nightly = server.dump();
    // Edited and synced after the dump: the restored server has the first bodies again.
    device
        .store
        .write(|w| {
            for id in &ids {
                let mut n = w.read().note(id)?;
                n.body = "edited after the dump".into();
                w.put(&n)?;
            }
            Ok(())
        })
        .unwrap();
    device.sync(&url);
    server.restore(&nightly);
    sign_in(&url, CAM, "laptop", &device.secrets);

    // Pages of two: the device's own records are on pages 1 to 4 of the full resync, and each
    // page brings them, not just the first. The bodies it sees at versions older than its own
    // were edited after the dump: they go back up.
    let report = device.sync(&url);
    assert_eq!(
        report.pulled, 7,
        "the partner and six notes, all pulled: {report:?}"
    );
    assert_eq!(report.restored_to_server, 6, "{report:?}");
    let mut fresh = Device::new(&url, "fresh");
    fresh.sync(&url);
    let expected: Vec<(String, String)> = (0..6)
        .map(|i| (format!("Call {i}"), "edited after the dump".to_string()))
        .collect();
    assert_eq!(fresh.notes(), expected, "the server has the edits again");
    assert_eq!(device.notes(), expected);
    let again = device.sync(&url);
    assert_eq!((again.pushed, again.restored_to_server), (0, 0));
}

/// Runs `cdesk` as a person who set no author: notes are then written by the profile's person,
/// or before anyone signed in, by the computer's user name (`jane` here).
fn run_as_jane(l: &Laptop, args: &[&str]) -> std::process::Output {
    l.command(args)
        .env_remove("CDESK_AUTHOR")
        .env("USER", "jane")
        .output()
        .unwrap()
}

#[test]
fn one_profile_is_one_persons_and_notes_before_sign_in_are_theirs() {
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    server.add_user(OTHER_CAM, Role::Cam, None);
    let keyring = SecretService::start();
    let laptop = Laptop::new(&keyring, CAM);
    add_acme(&laptop);
    // Offline, before she ever signed in: the note is written under the computer's user name.
    let out = run_as_jane(
        &laptop,
        &[
            "note",
            "add",
            "--partner",
            "Acme",
            "--title",
            "Kickoff",
            "--body",
            "first call",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(laptop.json(&["note", "list"])["notes"][0]["author"], "jane");

    // Her first sign-in makes the profile hers, the note with it: the server accepts it.
    let mut login = laptop.command(&["login", "--server", &server.url(), "--email", CAM]);
    login.env_remove("CDESK_AUTHOR").env("USER", "jane");
    assert!(laptop.try_login(login).status.success());
    assert_eq!(laptop.json(&["note", "list"])["notes"][0]["author"], CAM);
    let report = laptop.sync();
    assert_eq!(report["rejected"], 0, "{report}");
    assert_eq!(live_notes(&server), 1);
    // After signing out, what she writes is still hers.
    laptop.ok(&["logout"]);
    let out = run_as_jane(
        &laptop,
        &[
            "note",
            "add",
            "--partner",
            "Acme",
            "--title",
            "Offline",
            "--body",
            "plane",
        ],
    );
    assert!(out.status.success());
    let notes = laptop.json(&["note", "list"]);
    assert!(
        notes["notes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["author"] == CAM),
        "{notes}"
    );

    // Another person cannot sign in on her profile: refused before anything is sent, with what
    // to do instead; her unsynced note stays hers and waits.
    let out = laptop.try_login(laptop.command(&[
        "login",
        "--server",
        &server.url(),
        "--email",
        OTHER_CAM,
    ]));
    assert!(!out.status.success(), "the other CAM was let in");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(CAM) && err.contains("--data-dir"),
        "the refusal says whose profile it is and what to do: {err}"
    );
    assert_eq!(
        server.scalar("SELECT count(*) FROM devices"),
        1,
        "nothing reached the server as the other CAM"
    );
    assert_eq!(laptop.pending(), 1);
    assert_eq!(
        laptop.json(&["status"])["email"],
        Value::Null,
        "still signed out"
    );
    // She signs in again (any case of her address) and her note goes up as hers.
    laptop.login(&server.url(), &CAM.to_uppercase());
    assert_eq!(laptop.sync()["rejected"], 0);
    assert_eq!(live_notes(&server), 2);
}

//! The database `cdesk` keeps is encrypted under a key in the OS keyring; one from before is
//! encrypted on first start; a missing or wrong key is reported and nothing is overwritten.

use cdesk_core::domain::{Partner, Region, Track};
use cdesk_core::store::Store;

use super::backup::add_partner;
use super::*;

fn partner_names(desk: &Desk) -> Vec<String> {
    desk.json(&["partner", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

fn assert_not_plain_sqlite(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let err = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap_err();
    assert!(err.to_string().contains("file is not a database"), "{err}");
}

#[test]
fn the_database_is_encrypted_under_a_key_in_the_keyring() {
    let desk = Desk::new();
    add_partner(&desk, "Zeppelin Works");
    let key = desk.key_in_keyring().expect("the key is in the keyring");
    assert_eq!(key.len(), 96);
    assert_not_plain_sqlite(&desk.db());
    let bytes = std::fs::read(desk.db()).unwrap();
    assert!(
        !bytes.windows(8).any(|w| w == b"Zeppelin"),
        "no record in clear"
    );
    let backup = desk.json(&["backup"]);
    assert_not_plain_sqlite(Path::new(backup["path"].as_str().unwrap()));
    assert_eq!(partner_names(&desk), ["Zeppelin Works"]);
    assert_eq!(desk.key_in_keyring().unwrap(), key, "one key, kept");
}

#[test]
fn a_plain_database_from_before_is_encrypted_on_first_start_with_nothing_lost() {
    let desk = Desk::new();
    let mut plain = Store::open(&desk.db()).unwrap();
    let acme = Partner::new("Acme", Track::Open, Region::Emea, "cam@vendor.example");
    plain.write(|w| w.put(&acme)).unwrap();
    plain.backup_now().unwrap();
    drop(plain);
    assert_eq!(partner_names(&desk), ["Acme"]);
    assert_not_plain_sqlite(&desk.db());
    let backups = desk.json(&["backup", "list"]);
    for b in backups.as_array().unwrap() {
        assert_not_plain_sqlite(Path::new(b["path"].as_str().unwrap()));
    }
    assert_eq!(desk.outbox_pending(), 1, "the unsynced change still waits");
}

#[test]
fn an_encrypted_database_without_its_key_is_refused_and_left_alone() {
    let first = Desk::new();
    add_partner(&first, "Acme");
    let other = Desk::new();
    std::fs::copy(first.db(), other.db()).unwrap();
    let before = std::fs::read(other.db()).unwrap();
    let (code, stderr) = other.fails(&["partner", "list"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("its key is not in the system keyring"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("restore"),
        "nothing offered over it: {stderr}"
    );
    assert_eq!(other.key_in_keyring(), None, "no new key over it");
    assert_eq!(std::fs::read(other.db()).unwrap(), before, "untouched");
}

#[test]
fn a_database_the_key_does_not_open_is_refused_as_such() {
    let first = Desk::new();
    add_partner(&first, "Acme");
    let other = Desk::new();
    add_partner(&other, "Globex");
    std::fs::copy(first.db(), other.db()).unwrap();
    let before = std::fs::read(other.db()).unwrap();
    let out = other.run(&["--json", "partner", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("the key in the keyring does not open this database"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("restore"),
        "nothing offered over it: {stderr}"
    );
    let body: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "wrong_key");
    assert_eq!(std::fs::read(other.db()).unwrap(), before, "untouched");
}

#[test]
fn without_a_keyring_cdesk_says_so() {
    let desk = Desk::new();
    let out = Command::new(env!("CARGO_BIN_EXE_cdesk"))
        .arg("--data-dir")
        .arg(desk.path())
        .args(["partner", "list"])
        .env_remove("CDESK_DATA_DIR")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("keyring"), "{stderr}");
    assert!(!desk.db().exists(), "no database without its key");
}

/// Copies every file of `from`'s data folder (the database, its key id, the backups) into
/// `to`'s, as a person moves a desk to a new computer.
fn copy_desk(from: &Desk, to: &Desk) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    copy(from.path(), to.path());
}

#[test]
fn the_recovery_key_opens_the_desk_and_its_backups_on_a_new_computer() {
    let first = Desk::new();
    add_partner(&first, "Acme");
    first.ok(&["backup"]);
    add_partner(&first, "Globex");
    let code = first.json(&["recovery-key"])["recovery_key"]
        .as_str()
        .unwrap()
        .to_string();
    let text = first.ok(&["recovery-key"]);
    assert!(text.contains(&code), "{text}");

    // A new computer: the folder, but not the keyring.
    let other = Desk::new();
    copy_desk(&first, &other);
    let (_, stderr) = other.fails(&["partner", "list"]);
    assert!(
        stderr.contains("Open it with its recovery key (`cdesk recover`)"),
        "{stderr}"
    );

    let typo = format!("{}X", &code[..code.len() - 1]);
    let refused = other.run_with_input(&["recover"], &typo);
    assert!(!refused.status.success());
    assert_eq!(
        other.key_in_keyring(),
        None,
        "nothing kept for a wrong code"
    );

    let stranger = Desk::new();
    add_partner(&stranger, "Initech");
    let not_ours = stranger.json(&["recovery-key"])["recovery_key"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = other.run_with_input(&["recover"], &not_ours);
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("it was made for another database"), "{why}");

    let done = other.run_with_input(&["recover"], &format!("{}\n", code.to_lowercase()));
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(partner_names(&other), ["Acme", "Globex"]);
    // The backup, made under the same key, restores there too.
    other.ok(&["restore", "--latest"]);
    assert_eq!(partner_names(&other), ["Acme"]);
}

#[test]
fn a_moved_data_folder_opens_with_the_key_it_had() {
    let first = Desk::new();
    add_partner(&first, "Acme");
    let key = first.key_in_keyring().unwrap();
    let moved = tempfile::tempdir().unwrap();
    let target = moved.path().join("desk");
    std::fs::rename(first.path(), &target).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cdesk"))
        .arg("--data-dir")
        .arg(&target)
        .args(["--json", "partner", "list"])
        .env_remove("CDESK_DATA_DIR")
        .envs(first.keyring_env())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Acme"));
    // Put back, so the desk's folder is removed with it.
    std::fs::rename(&target, first.path()).unwrap();
    assert_eq!(
        first.key_in_keyring().unwrap(),
        key,
        "the same key, no new one"
    );
}

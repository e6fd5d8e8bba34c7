//! Encryption at rest: the file is unreadable without its key, a wrong key is told apart from
//! damage, a plain database (and its backups) is encrypted in place with nothing lost.

use std::path::{Path, PathBuf};

use cdesk_core::domain::*;
use cdesk_core::store::{self, DbKey, Store};
use cdesk_core::CoreError;

fn desk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("channel-desk.db");
    (dir, path)
}

/// Acme with a searchable note; returns the note's id.
fn fill(store: &mut Store) -> String {
    let acme = Partner::new("Acme", Track::Open, Region::Emea, "cam@vendor.example");
    let mut note = CallNote::new(
        "Quarterly review",
        "talked about zeppelins",
        "cam@vendor.example",
    );
    note.partner_id = Some(acme.id.clone());
    store
        .write(|w| {
            w.put(&acme)?;
            w.put(&note)
        })
        .unwrap();
    note.id
}

/// What a person would miss: partners, notes, the outbox, and the search index.
/// 300 notes of 500 characters under `partner_id`: enough pages that damage past the first
/// page still lands in the database.
fn add_pages_of_notes(store: &mut Store, partner_id: &str) {
    store
        .write(|w| {
            for i in 0..300 {
                let mut note = CallNote::new(&format!("n{i}"), &"x".repeat(500), "a@b.c");
                note.partner_id = Some(partner_id.to_string());
                w.put(&note)?;
            }
            Ok(())
        })
        .unwrap();
}

fn assert_full(store: &Store, note_id: &str) {
    let r = store.read();
    assert_eq!(r.partner_count().unwrap(), 1);
    assert_eq!(r.note_count().unwrap(), 1);
    assert_eq!(
        r.outbox_len().unwrap(),
        2,
        "both changes still wait to be pushed"
    );
    let hits = r.search("zeppelins", 10).unwrap();
    assert_eq!(hits.len(), 1, "the search index came along");
    assert_eq!(hits[0].id, note_id);
}

/// Opening with plain SQLite (no key) fails: the file is not a database to it.
fn assert_unreadable_without_key(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let err = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap_err();
    assert!(
        err.to_string().contains("file is not a database"),
        "unexpected: {err}"
    );
    let bytes = std::fs::read(path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3\0"));
    for clear in [&b"zeppelins"[..], b"Acme", b"CREATE TABLE"] {
        assert!(
            !bytes.windows(clear.len()).any(|w| w == clear),
            "{:?} is in the file in clear",
            String::from_utf8_lossy(clear)
        );
    }
}

#[test]
fn an_encrypted_store_round_trips_and_is_unreadable_without_its_key() {
    let (_dir, path) = desk();
    let key = DbKey::generate();
    let mut store = Store::open_encrypted(&path, &key).unwrap();
    let id = fill(&mut store);
    drop(store);
    let mut store = Store::open_encrypted(&path, &key).unwrap();
    assert_full(&store, &id);
    store.checkpoint_after_pull().unwrap();
    drop(store);
    assert_unreadable_without_key(&path);
    let again = DbKey::from_hex(&key.to_hex()).unwrap();
    assert_eq!(again, key, "the keyring's form reads back");
    Store::open_encrypted_checked_already(&path, &again).unwrap();
}

#[test]
fn a_wrong_key_is_refused_as_such_and_changes_nothing() {
    let (_dir, path) = desk();
    let key = DbKey::generate();
    let mut store = Store::open_encrypted(&path, &key).unwrap();
    fill(&mut store);
    drop(store);
    let before = std::fs::read(&path).unwrap();
    for open in [Store::open_encrypted, Store::open_encrypted_checked_already] {
        let err = open(&path, &DbKey::generate()).err().expect("refused");
        assert!(matches!(err, CoreError::WrongKey { .. }), "{err:?}");
        assert_eq!(err.code(), "wrong_key");
        assert!(
            err.to_string()
                .contains("the key in the keyring does not open this database"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "untouched");
    Store::open_encrypted(&path, &key).unwrap();
}

/// An encrypted desk of Acme and pages of notes, closed.
fn encrypted_desk_of_pages(path: &Path, key: &DbKey) {
    let mut store = Store::open_encrypted(path, key).unwrap();
    fill(&mut store);
    let partner = store.read().resolve_partner("Acme").unwrap();
    add_pages_of_notes(&mut store, &partner.id);
}

/// Flips bits over `range` of the file (a bad sector); returns the file as it is now.
fn scribble(path: &Path, range: std::ops::Range<usize>) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    for b in &mut bytes[range] {
        *b ^= 0x5a;
    }
    std::fs::write(path, &bytes).unwrap();
    bytes
}

#[test]
fn damage_under_the_right_key_is_still_damage() {
    let (_dir, path) = desk();
    let key = DbKey::generate();
    encrypted_desk_of_pages(&path, &key);
    // Past the salt: the first page fails its HMAC under the right key.
    let bytes = scribble(&path, 100..2000);
    let err = Store::open_encrypted(&path, &key).err().expect("refused");
    assert!(matches!(err, CoreError::Corrupt { .. }), "{err:?}");
    // Overwritten with text, or cut shorter than a page: nothing encrypted is left to blame
    // on a key.
    std::fs::write(&path, b"half a spreadsheet\n".repeat(300)).unwrap();
    let err = Store::open_encrypted(&path, &key).err().expect("refused");
    assert!(matches!(err, CoreError::Corrupt { .. }), "{err:?}");
    std::fs::write(&path, &bytes[..1000]).unwrap();
    let err = Store::open_encrypted(&path, &key).err().expect("refused");
    assert!(matches!(err, CoreError::Corrupt { .. }), "{err:?}");
}

#[test]
fn damage_deep_in_the_file_is_found_by_a_check_run_after_opening() {
    let (_dir, path) = desk();
    let key = DbKey::generate();
    encrypted_desk_of_pages(&path, &key);
    let sound = Store::open_encrypted_check_later(&path, &key).unwrap();
    sound.check_pages().unwrap();
    drop(sound);
    // A page in the middle of the notes: opening reads only the first pages and the schema.
    let middle = std::fs::metadata(&path).unwrap().len() as usize / 2;
    scribble(&path, middle..middle + 3000);
    let store = Store::open_encrypted_check_later(&path, &key).unwrap();
    let err = store.check_pages().unwrap_err();
    assert!(matches!(err, CoreError::Corrupt { .. }), "{err:?}");
    drop(store);
    let err = Store::open_encrypted(&path, &key).err().expect("refused");
    assert!(matches!(err, CoreError::Corrupt { .. }), "{err:?}");
    // A wrong key is still told at once, not left to the check.
    let err = Store::open_encrypted_check_later(&path, &DbKey::generate())
        .err()
        .expect("refused");
    assert!(matches!(err, CoreError::WrongKey { .. }), "{err:?}");
}

#[test]
fn a_plain_database_is_encrypted_in_place_with_nothing_lost() {
    let (dir, first) = desk();
    let mut plain = Store::open(&first).unwrap();
    let id = fill(&mut plain);
    plain.backup_now().unwrap();
    // The files as a crash leaves them, the last rows only in the WAL: the migration must
    // take them too.
    let path = dir.path().join("crashed").join("channel-desk.db");
    std::fs::create_dir_all(path.parent().unwrap().join("backups")).unwrap();
    for suffix in ["", "-wal"] {
        let from = format!("{}{suffix}", first.display());
        std::fs::copy(&from, format!("{}{suffix}", path.display())).unwrap();
    }
    let taken = store::latest_backup(&first).unwrap();
    let backup_path = store::backup_dir(&path).join(&taken.file_name);
    std::fs::copy(&taken.path, &backup_path).unwrap();
    drop(plain);
    let backup = store::latest_backup(&path).unwrap();
    assert!(
        std::fs::metadata(format!("{}-wal", path.display()))
            .unwrap()
            .len()
            > 0
    );
    assert!(store::is_plain_database(backup.path.as_ref()).unwrap());

    let key = DbKey::generate();
    let store = Store::open_encrypted(&path, &key).unwrap();
    assert_full(&store, &id);
    drop(store);
    assert_unreadable_without_key(&path);
    assert_unreadable_without_key(backup.path.as_ref());
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The encrypted backup restores under the same key.
    store::restore_encrypted(&path, backup.path.as_ref(), &key).unwrap();
    let store = Store::open_encrypted(&path, &key).unwrap();
    assert_full(&store, &id);
}

#[test]
fn an_interrupted_migration_leaves_the_plain_database_and_is_done_again() {
    let (dir, path) = desk();
    let mut plain = Store::open(&path).unwrap();
    let id = fill(&mut plain);
    drop(plain);
    // A crash mid-export: a half-written temporary copy beside an intact plain file.
    std::fs::write(dir.path().join(".channel-desk.db.encrypting.tmp"), b"half").unwrap();
    assert!(store::is_plain_database(&path).unwrap());
    let key = DbKey::generate();
    let store = Store::open_encrypted(&path, &key).unwrap();
    assert_full(&store, &id);
    assert!(!dir.path().join(".channel-desk.db.encrypting.tmp").exists());
}

#[test]
fn a_damaged_plain_database_is_reported_as_damaged_not_migrated() {
    let (_dir, path) = desk();
    let mut plain = Store::open(&path).unwrap();
    let partner = Partner::new("Acme", Track::Open, Region::Emea, "cam@vendor.example");
    plain.write(|w| w.put(&partner)).unwrap();
    add_pages_of_notes(&mut plain, &partner.id);
    drop(plain);
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 3..2 * len / 3] {
        *b = 0xa5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open_encrypted(&path, &DbKey::generate())
        .err()
        .expect("refused");
    assert!(matches!(err, CoreError::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "left as it was");
}

#[test]
fn backups_of_an_encrypted_database_are_encrypted_and_restore() {
    let (_dir, path) = desk();
    let key = DbKey::generate();
    let mut store = Store::open_encrypted(&path, &key).unwrap();
    let id = fill(&mut store);
    let backup = store.backup_now().unwrap();
    store
        .write(|w| w.put(&Partner::new("Globex", Track::Open, Region::Emea, "c@v.e")))
        .unwrap();
    drop(store);
    assert_unreadable_without_key(backup.path.as_ref());
    let other = DbKey::generate();
    let err = store::restore_encrypted(&path, backup.path.as_ref(), &other).unwrap_err();
    assert!(matches!(err, CoreError::BadBackup { .. }), "{err:?}");

    let report = store::restore_encrypted(&path, backup.path.as_ref(), &key).unwrap();
    let store = Store::open_encrypted(&path, &key).unwrap();
    assert_full(&store, &id);
    drop(store);
    assert_unreadable_without_key(&path);
    let replaced = report.replaced_kept_at.expect("the replaced file is kept");
    assert_unreadable_without_key(replaced.as_ref());
}

#[test]
fn a_plain_backup_is_encrypted_when_restored() {
    let (dir, path) = desk();
    let mut plain = Store::open(&path).unwrap();
    let id = fill(&mut plain);
    drop(plain);
    let old = dir.path().join("old-plain.db");
    std::fs::copy(&path, &old).unwrap();
    let key = DbKey::generate();
    Store::open_encrypted(&path, &key).unwrap();
    store::restore_encrypted(&path, &old, &key).unwrap();
    let store = Store::open_encrypted(&path, &key).unwrap();
    assert_full(&store, &id);
    drop(store);
    assert_unreadable_without_key(&path);
}

#[test]
fn the_key_is_redacted_in_debug() {
    let key = DbKey::generate();
    assert_eq!(format!("{key:?}"), "DbKey(<redacted>)");
    assert_eq!(key.to_hex().len(), 96);
    assert!(DbKey::from_hex("abc").is_err());
    // Not hex, at the right length: refused, not read as some other key.
    assert!(DbKey::from_hex(&"zz".repeat(48)).is_err());
    let upper = key.to_hex().to_uppercase();
    assert!(
        DbKey::from_hex(&upper).unwrap() == key,
        "either case reads back"
    );
}

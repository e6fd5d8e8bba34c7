//! Local backups and restore: what a person gets back, what is never lost, what is refused.

use std::path::{Path, PathBuf};

use cdesk_core::domain::*;
use cdesk_core::store::{self, Store, KEEP_BACKUPS};
use chrono::{DateTime, TimeDelta, Utc};

fn partner(name: &str) -> Partner {
    Partner::new(name, Track::Open, Region::Emea, "cam@vendor.example")
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn desk() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("channel-desk.db");
    (dir, path)
}

fn partners(path: &Path) -> Vec<String> {
    let store = Store::open(path).unwrap();
    let mut names: Vec<String> = store
        .read()
        .snapshot()
        .unwrap()
        .into_iter()
        .filter(|((kind, _), _)| kind == "partner")
        .map(|(_, fields)| fields["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// Overwrites whole pages in the middle third of the file with pseudo-random bytes (a fixed
/// seed, so a failure can be replayed): damage deep inside, the header left intact.
pub fn scribble_over_pages(path: &Path, seed: u64) {
    let mut bytes = std::fs::read(path).unwrap();
    let page = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    let pages = bytes.len() / page;
    assert!(pages >= 6, "a database big enough to damage in the middle");
    let mut x = seed | 1;
    for byte in &mut bytes[(pages / 3) * page..(2 * pages / 3) * page] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *byte = x as u8;
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_restored_backup_brings_back_what_it_held_and_keeps_the_replaced_database() {
    let (_dir, path) = desk();
    let mut store = Store::open(&path).unwrap();
    store.write(|w| w.put(&partner("Acme"))).unwrap();
    let backup = store.backup_now().unwrap();
    store.write(|w| w.put(&partner("Globex"))).unwrap();
    drop(store);

    let report = store::restore(&path, backup.path.as_ref()).unwrap();
    assert_eq!(
        partners(&path),
        ["Acme"],
        "the database is as the backup held it"
    );
    let kept = report
        .replaced_kept_at
        .expect("the replaced database is kept");
    assert_eq!(
        partners(kept.as_ref()),
        ["Acme", "Globex"],
        "nothing the person had is deleted: the replaced file holds everything"
    );
    assert_eq!(
        store::list_backups(&path).unwrap(),
        vec![backup],
        "the replaced database is not listed as a backup"
    );
}

#[test]
fn a_restore_keeps_changes_still_in_the_replaced_databases_wal() {
    let (_dir, path) = desk();
    let mut store = Store::open(&path).unwrap();
    let backup = store.backup_now().unwrap();
    store.write(|w| w.put(&partner("Acme"))).unwrap();
    // The process dies with the change in the WAL only: copy the files as they are now.
    let crashed = path.with_file_name("crashed.db");
    std::fs::copy(&path, &crashed).unwrap();
    let wal = |p: &Path| PathBuf::from(format!("{}-wal", p.display()));
    std::fs::copy(wal(&path), wal(&crashed)).unwrap();
    drop(store);
    std::fs::rename(&crashed, &path).unwrap();
    std::fs::rename(wal(&crashed), wal(&path)).unwrap();

    let report = store::restore(&path, backup.path.as_ref()).unwrap();
    assert!(partners(&path).is_empty(), "restored as the backup was");
    let kept = report.replaced_kept_at.unwrap();
    assert_eq!(
        partners(kept.as_ref()),
        ["Acme"],
        "the WAL moved with the replaced file"
    );
}

#[test]
fn backups_are_taken_at_most_daily_and_the_newest_seven_are_kept() {
    let (_dir, path) = desk();
    let store = Store::open(&path).unwrap();
    let start = at("2026-11-01T09:00:00Z");
    let first = store.backup_if_due(start).unwrap();
    assert!(first.is_some(), "no backup yet: one is taken");
    assert!(
        store
            .backup_if_due(start + TimeDelta::hours(23))
            .unwrap()
            .is_none(),
        "the newest is less than a day old"
    );
    for day in 1..=10 {
        let taken = store
            .backup_if_due(start + TimeDelta::days(day) + TimeDelta::minutes(1))
            .unwrap();
        assert!(taken.is_some(), "day {day}: a day has passed");
    }
    let kept = store::list_backups(&path).unwrap();
    assert_eq!(kept.len(), KEEP_BACKUPS);
    assert_eq!(
        kept.first().unwrap().taken_at.0,
        start + TimeDelta::days(10) + TimeDelta::minutes(1),
        "newest first"
    );
    assert_eq!(
        kept.last().unwrap().taken_at.0,
        start + TimeDelta::days(4) + TimeDelta::minutes(1),
        "the oldest went first"
    );
    let files = std::fs::read_dir(store::backup_dir(&path)).unwrap().count();
    assert_eq!(files, KEEP_BACKUPS, "no temporary file is left behind");
}

#[test]
fn pruning_never_touches_files_that_are_not_backups() {
    let (_dir, path) = desk();
    let store = Store::open(&path).unwrap();
    let dir = store::backup_dir(&path);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("my-notes.txt"), "mine").unwrap();
    for n in 0..KEEP_BACKUPS + 2 {
        store
            .backup_now()
            .unwrap_or_else(|e| panic!("backup {n}: {e}"));
    }
    assert_eq!(store::list_backups(&path).unwrap().len(), KEEP_BACKUPS);
    assert!(dir.join("my-notes.txt").exists(), "the person's file stays");
}

#[test]
fn a_damaged_backup_is_refused_and_the_database_is_untouched() {
    let (_dir, path) = desk();
    let mut store = Store::open(&path).unwrap();
    for n in 0..40 {
        store
            .write(|w| w.put(&partner(&format!("Partner {n}"))))
            .unwrap();
    }
    let backup = store.backup_now().unwrap();
    drop(store);
    let before = std::fs::read(&path).unwrap();
    scribble_over_pages(backup.path.as_ref(), 7);

    let err = store::restore(&path, backup.path.as_ref()).unwrap_err();
    assert_eq!(err.code(), "bad_backup", "{err}");
    assert!(
        err.to_string().contains(&backup.file_name),
        "names the file: {err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the database is untouched"
    );
    let dir = store::backup_dir(&path);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [backup.file_name],
        "nothing set aside, no temporary file left"
    );
    assert!(
        !std::fs::read_dir(path.parent().unwrap()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")),
        "the temporary copy is gone"
    );
}

#[test]
fn a_backup_from_a_newer_release_or_not_a_database_is_refused() {
    let (dir, path) = desk();
    Store::open(&path).unwrap();
    let newer = dir.path().join("newer.db");
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = store::restore(&path, &newer).unwrap_err();
    assert_eq!(err.code(), "schema_too_new", "{err}");

    let text = dir.path().join("notes.db");
    std::fs::write(&text, b"not a database at all\n".repeat(300)).unwrap();
    let err = store::restore(&path, &text).unwrap_err();
    assert_eq!(err.code(), "bad_backup", "{err}");

    let empty = dir.path().join("empty.db");
    rusqlite::Connection::open(&empty)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let err = store::restore(&path, &empty).unwrap_err();
    assert_eq!(
        err.code(),
        "bad_backup",
        "another program's database: {err}"
    );
    assert!(store::list_backups(&path).unwrap().is_empty());
}

#[test]
fn a_restored_copy_is_a_new_device_with_its_outbox_and_cursor_as_they_were() {
    let (_dir, path) = desk();
    let mut store = Store::open(&path).unwrap();
    let old_device = store.device_id().unwrap();
    store.write(|w| w.put(&partner("Acme"))).unwrap();
    store.apply_pull(&[], 42, "epoch-1").unwrap();
    let outbox = store.read().outbox(0, 100).unwrap();
    let backup = store.backup_now().unwrap();
    store.write(|w| w.put(&partner("Globex"))).unwrap();
    drop(store);

    let report = store::restore(&path, backup.path.as_ref()).unwrap();
    let mut store = Store::open(&path).unwrap();
    let device = store.device_id().unwrap();
    assert_ne!(
        device, old_device,
        "a restored copy must not reuse mutation ids as the old device"
    );
    assert_eq!(device, report.device_id);
    assert_eq!(
        store.read().outbox(0, 100).unwrap(),
        outbox,
        "changes that may never have reached the server are still pending"
    );
    assert_eq!(
        store.read().sync_cursor().unwrap(),
        42,
        "pulls resume where the copy was"
    );
    assert_eq!(
        store.read().sync_epoch().unwrap().as_deref(),
        Some("epoch-1")
    );
}

#[test]
fn restoring_onto_a_missing_database_creates_it() {
    let (dir, path) = desk();
    let mut store = Store::open(&path).unwrap();
    store.write(|w| w.put(&partner("Acme"))).unwrap();
    let backup = store.backup_now().unwrap();
    drop(store);
    let elsewhere = dir.path().join("new-laptop").join("channel-desk.db");
    let report = store::restore(&elsewhere, backup.path.as_ref()).unwrap();
    assert_eq!(report.replaced_kept_at, None);
    assert_eq!(partners(&elsewhere), ["Acme"]);
}

//! A damaged database file is detected when it is opened, reported as `corrupt` naming the
//! file, and left exactly as it was: nothing is written to it, so a backup (or a recovery
//! tool) still has everything that was there.

use std::path::{Path, PathBuf};

use cdesk_core::domain::*;
use cdesk_core::store::Store;

fn partner(name: &str) -> Partner {
    Partner::new(name, Track::Open, Region::Emea, "cam@vendor.example")
}

/// A database with every page in use (vacuumed: no free pages, whose damage would not
/// matter), closed cleanly. Returns its path and its page size.
fn compact_database(dir: &Path) -> (PathBuf, usize) {
    let path = dir.join("channel-desk.db");
    let mut store = Store::open(&path).unwrap();
    for n in 0..60 {
        let p = partner(&format!("Partner {n}"));
        store.write(|w| w.put(&p)).unwrap();
        let body = format!("Talked about the pipeline, deal {n}. ").repeat(40);
        let mut note = CallNote::new(&format!("Call {n}"), &body, "ae@vendor.example");
        note.partner_id = Some(p.id.clone());
        store.write(|w| w.put(&note)).unwrap();
    }
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA journal_mode = DELETE; VACUUM;")
        .unwrap();
    let page: i64 = conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    drop(conn);
    (path, page as usize)
}

fn xorshift(state: &mut u64) -> u8 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state as u8
}

/// Opening must fail as `corrupt`, naming the file, and leave its bytes as they were.
fn assert_refused_untouched(path: &Path, what: &str) {
    let before = std::fs::read(path).unwrap();
    let err = Store::open(path)
        .err()
        .unwrap_or_else(|| panic!("{what}: opened anyway"));
    assert_eq!(err.code(), "corrupt", "{what}: {err}");
    assert!(
        err.to_string().contains("channel-desk.db"),
        "{what}: names the file: {err}"
    );
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "{what}: nothing written to it"
    );
}

#[test]
fn random_bytes_over_any_page_are_detected_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (clean, page) = compact_database(dir.path());
    let bytes = std::fs::read(&clean).unwrap();
    let pages = bytes.len() / page;
    assert!(pages > 40, "a database of some size ({pages} pages)");
    let damaged = dir.path().join("damaged").join("channel-desk.db");
    std::fs::create_dir_all(damaged.parent().unwrap()).unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    // Every fifth page after the first (page 1, the header and the schema, is covered by
    // the "not a database" test), each damaged on its own.
    for n in (1..pages).step_by(5) {
        let mut copy = bytes.clone();
        for byte in &mut copy[n * page..(n + 1) * page] {
            *byte = xorshift(&mut seed);
        }
        std::fs::write(&damaged, &copy).unwrap();
        assert_refused_untouched(&damaged, &format!("page {} of {pages} scribbled", n + 1));
    }
}

#[test]
fn a_truncated_database_is_detected_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, page) = compact_database(dir.path());
    let full = std::fs::read(&path).unwrap();
    for keep in [full.len() * 9 / 10, full.len() / 2, page * 3, page + 40, 60] {
        std::fs::write(&path, &full[..keep]).unwrap();
        assert_refused_untouched(&path, &format!("cut to {keep} of {} bytes", full.len()));
    }
}

#[test]
fn an_emptied_database_with_backups_is_not_opened_as_a_new_empty_desk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("channel-desk.db");
    let mut store = Store::open(&path).unwrap();
    store.write(|w| w.put(&partner("Acme"))).unwrap();
    store.backup_now().unwrap();
    drop(store);
    std::fs::write(&path, b"").unwrap();
    assert_refused_untouched(&path, "emptied");

    let fresh = dir.path().join("fresh").join("channel-desk.db");
    std::fs::create_dir_all(fresh.parent().unwrap()).unwrap();
    std::fs::write(&fresh, b"").unwrap();
    assert!(
        Store::open(&fresh).is_ok(),
        "an empty file with no backups is a new database, as SQLite makes it"
    );
}

//! The local store: one SQLite file per profile, opened with [`Store::open_encrypted`] (its
//! [`DbKey`] comes from the OS keyring). [`Store::open`] opens a plain file, for tests and
//! tools.
//!
//! Reads go through [`Reader`], writes through [`Store::write`], whose [`Writer`] is the only
//! way to change records: every `put`/`delete` also appends to the outbox in the same
//! transaction, so nothing a person saves can be missed by sync. The raw connection never
//! leaves this module.
//!
//! ```no_run
//! # use cdesk_core::{store::Store, domain::*};
//! let mut store = Store::open("desk.db".as_ref())?;
//! let partner = Partner::new("Acme", Track::Open, Region::Emea, "cam@vendor.example");
//! store.write(|w| w.put(&partner))?;
//! assert_eq!(store.read().partner(&partner.id)?.name, "Acme");
//! # Ok::<(), cdesk_core::CoreError>(())
//! ```

mod backup;
mod drafts;
mod entity;
mod flags;
mod from_row;
mod key;
mod outbox;
mod reads;
mod schema;
pub mod search;
mod snapshot;
mod sync;
pub mod tables;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use backup::{
    backup_dir, latest_backup, list_backups, restore, restore_encrypted, BackupInfo, RestoreReport,
    BACKUP_DIR, KEEP_BACKUPS,
};
pub use drafts::Draft;
pub use entity::PutOutcome;
pub use key::{is_plain_database, looks_encrypted, DbKey};
pub use outbox::OutboxEntry;
pub use reads::*;
pub use snapshot::Snapshot;
pub use sync::{os_user_name, PushOutcome, RejectedChange, SyncStatus, UnappliedChange};
pub use tables::Entity;

use crate::error::{CoreError, Result};

/// WAL pages between automatic checkpoints (4 KB pages: about 16 MB).
const WAL_AUTOCHECKPOINT_PAGES: i64 = 4096;

/// The page cache of each connection, in KiB (SQLite's default is 2,000).
const CACHE_KIB: i64 = 16 * 1024;

/// SQLite's default cache (`-2000`: about 2 MB) for [`Store::check_pages`].
const CHECK_CACHE_KIB: i64 = -2000;

/// An open Channel Desk database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The key the file is encrypted with (None: a plain file, or in memory). Backups are
    /// written under it too.
    key: Option<DbKey>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// A damaged file is refused with [`CoreError::Corrupt`] before anything is written to it:
    /// not a database, a page that does not read back as what points to it (`PRAGMA
    /// quick_check`), or a file emptied while backups of it exist (an empty file would
    /// otherwise open as a new, empty desk). The person then restores a backup.
    ///
    /// The file is not encrypted: this is for tests and tools; the apps use
    /// [`Store::open_encrypted`].
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_file(path, Check::Now, None)
    }

    /// Opens (creating if needed) the database at `path`, encrypted under `key`, and brings
    /// its schema up to date. Checked like [`Store::open`].
    ///
    /// A plain database there (one written before encryption) is encrypted in place first,
    /// keeping everything, and so are plain backups beside it. A file encrypted under another
    /// key is refused with [`CoreError::WrongKey`], untouched.
    pub fn open_encrypted(path: &Path, key: &DbKey) -> Result<Store> {
        Self::open_file(path, Check::Now, Some(key))
    }

    /// [`Store::open_encrypted`] without reading every page first: the caller runs
    /// [`Store::check_pages`] when it suits it (the desktop, on a thread of its own while its
    /// window starts; at 100,000 notes the check takes about a second). Still refused here: a
    /// file that is not a database, one the key does not open, one cut short, and, when a
    /// migration is due, damage (the check runs first then, as it must before anything is
    /// written).
    pub fn open_encrypted_check_later(path: &Path, key: &DbKey) -> Result<Store> {
        Self::open_file(path, Check::Later, Some(key))
    }

    /// Reads every page of the file and checks its structure (`PRAGMA quick_check`); damage
    /// is [`CoreError::Corrupt`] naming what was found. Nothing is written.
    ///
    /// The pages pass through SQLite's default 2 MB cache, not this connection's larger one:
    /// a check reads each page about once, and filling the large cache with the whole file's
    /// pages only left the app holding tens of megabytes more after it.
    pub fn check_pages(&self) -> Result<()> {
        let path = self.path.as_deref().unwrap_or(Path::new(":memory:"));
        self.conn
            .pragma_update(None, "cache_size", CHECK_CACHE_KIB)?;
        let checked = quick_check(&self.conn, path, self.key.as_ref());
        self.conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        checked
    }

    /// Refuses every write through this connection from now on (`PRAGMA query_only`): for a
    /// command that only reads, and was opened without [`Store::check_pages`], a write would be
    /// a bug, and must not reach a file nobody checked.
    pub fn refuse_writes(&self) -> Result<()> {
        self.conn.pragma_update(None, "query_only", true)?;
        Ok(())
    }

    /// Another connection to a database this process has just opened with [`Store::open`]
    /// (the desktop's second connection, the sync thread's): the file is not checked again.
    pub fn open_checked_already(path: &Path) -> Result<Store> {
        Self::open_file(path, Check::Already, None)
    }

    /// Another connection to a database this process has just opened with
    /// [`Store::open_encrypted`]: not checked, nor migrated, again.
    pub fn open_encrypted_checked_already(path: &Path, key: &DbKey) -> Result<Store> {
        Self::open_file(path, Check::Already, Some(key))
    }

    fn open_file(path: &Path, check: Check, key: Option<&DbKey>) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let shown = path.display().to_string();
        let opening = check != Check::Already;
        if opening && emptied(path)? {
            return Err(CoreError::Corrupt {
                path: shown,
                detail: "the file is empty, yet backups of it exist: it was cut short".into(),
            });
        }
        if let (true, Some(key)) = (opening, key) {
            if key::is_plain_database(path)? {
                // Damage is reported as damage (with the backups), not as a failed export.
                quick_check(&Connection::open(path)?, path, None)?;
                tracing::info!(path = %shown, "encrypting the database in place");
                key::encrypt_in_place(path, key).inspect_err(|e| {
                    tracing::error!(path = %shown, error = %e, "encrypting the database failed");
                })?;
            }
            backup::encrypt_plain_backups(path, key);
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(key) = key {
            // Before any other statement: SQLCipher reads the first page with it.
            key.apply(&conn)?;
        }
        conn.busy_timeout(Duration::from_secs(5))?;
        // Before anything below writes to the file (a migration; setting WAL on a file
        // already in WAL writes nothing).
        let check_now = match check {
            Check::Now => true,
            // After a failed first read SQLCipher answers every statement "out of memory":
            // the failure itself says what is wrong.
            Check::Later => schema::migration_due(&conn).map_err(|e| read_failure(path, key, e))?,
            Check::Already => false,
        };
        if check_now {
            quick_check(&conn, path, key)?;
        }
        Self::prepare(conn, Some(path.to_path_buf()), key)
    }

    /// A private database in memory, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        Self::prepare(Connection::open_in_memory()?, None, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>, key: Option<&DbKey>) -> Result<Store> {
        let shown = path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ":memory:".into());
        let unreadable = |detail: String| match &path {
            Some(p) => key::unreadable(p, key, detail),
            None => CoreError::Corrupt {
                path: shown.clone(),
                detail,
            },
        };
        conn.busy_timeout(Duration::from_secs(5))?;
        // The first statement that reads the file tells whether it is a database at all (and,
        // encrypted, whether the key opens it).
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| unreadable(e.to_string()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A note save dirties ~20 pages (row, indexes, FTS segment, outbox), so SQLite's default
        // checkpoint every 1,000 WAL pages made every ~50th save also pay for a checkpoint and
        // its fsyncs (8-80 ms on the benchmark machine). Every ~16 MB, it is every ~200th save:
        // fewer, larger checkpoints, and a save's p99 stays on the save (docs/benchmarks.md).
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A pulled page's rows land all over the indexes; with SQLite's default 2 MB cache a
        // first pull of 100,000 records spilled and re-read index pages throughout (and
        // statement journals went to a temp file): docs/sync-benchmarks.md.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate(&mut conn).map_err(|e| match e {
            CoreError::Database(inner) if is_not_a_database(&inner) => {
                unreadable(inner.to_string())
            }
            other => other,
        })?;
        tracing::debug!(path = %shown, encrypted = key.is_some(), "store opened");
        Ok(Store {
            conn,
            path,
            key: key.cloned(),
        })
    }

    /// Where the database lives (None in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Read access.
    pub fn read(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    /// Runs `f` in one transaction: all of its writes (rows and outbox entries) commit
    /// together, or none do when `f` returns an error.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = {
            let mut w = Writer { conn: &tx };
            f(&mut w)?
        };
        tx.commit()?;
        Ok(out)
    }
}

/// When [`Store::open_file`] reads every page of the file before using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    Now,
    /// Only when a migration is due; else the caller runs [`Store::check_pages`].
    Later,
    /// Another connection to a file this process has opened.
    Already,
}

/// Whether the file exists but is empty while backups of it exist (it was truncated).
fn emptied(path: &Path) -> Result<bool> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == 0 => Ok(!backup::list_backups(path)?.is_empty()),
        Ok(_) => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// `PRAGMA quick_check`: every page of every table and index read and its structure checked
/// (not the index contents against the rows: that is `integrity_check`, much slower).
fn quick_check(conn: &Connection, path: &Path, key: Option<&DbKey>) -> Result<()> {
    match backup::integrity_problems(conn, "quick_check") {
        Ok(problems) if problems.is_empty() => Ok(()),
        Ok(problems) => Err(CoreError::Corrupt {
            path: path.display().to_string(),
            detail: problems.join("; "),
        }),
        Err(e) => Err(read_failure(path, key, e)),
    }
}

/// A failed read of the file: one that is not a database (or not under this key) is said so,
/// naming the file; anything else is a database error.
fn read_failure(path: &Path, key: Option<&DbKey>, e: rusqlite::Error) -> CoreError {
    if is_not_a_database(&e) {
        key::unreadable(path, key, e.to_string())
    } else {
        e.into()
    }
}

fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt))
}

/// Read-only access to the store.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    conn: &'a Connection,
}

/// Write access inside one transaction (see [`Store::write`]).
pub struct Writer<'a> {
    conn: &'a Connection,
}

impl Writer<'_> {
    /// Inserts or updates a record, appending the changed fields to the outbox.
    pub fn put<E: Entity>(&mut self, e: &E) -> Result<PutOutcome> {
        entity::put(self.conn, e)
    }

    /// Deletes a record, appending a tombstone to the outbox.
    pub fn delete<E: Entity>(&mut self, id: &str) -> Result<()> {
        entity::delete::<E>(self.conn, id)
    }

    /// Reads what this transaction sees, including its own uncommitted writes.
    pub fn read(&self) -> Reader<'_> {
        Reader { conn: self.conn }
    }
}

/// Creates a database file as the release with schema `version` left it, for upgrade tests.
#[doc(hidden)]
pub fn create_database_at_schema_version(path: &Path, version: usize) -> Result<()> {
    let mut conn = Connection::open(path)?;
    schema::migrate_to(&mut conn, version)
}

pub use schema::{MIGRATIONS, SCHEMA_VERSION};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_wait_for_about_sixteen_megabytes_of_wal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.db")).unwrap();
        let pages: i64 = store
            .conn
            .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
            .unwrap();
        assert_eq!(
            pages, WAL_AUTOCHECKPOINT_PAGES,
            "saves rarely pay for a checkpoint"
        );
    }

    #[test]
    fn a_check_keeps_the_connections_cache_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_encrypted(&dir.path().join("desk.db"), &DbKey::generate()).unwrap();
        store.check_pages().unwrap();
        let cache: i64 = store
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .unwrap();
        assert_eq!(cache, -CACHE_KIB);
    }

    #[test]
    fn a_store_that_refuses_writes_still_reads() {
        use crate::domain::{Partner, Region, Track};
        let mut store = Store::open_in_memory().unwrap();
        let partner = Partner::new("Acme", Track::Open, Region::Emea, "cam@x.io");
        store.write(|w| w.put(&partner).map(drop)).unwrap();
        store.refuse_writes().unwrap();
        let other = Partner::new("Globex", Track::Open, Region::Emea, "cam@x.io");
        let err = store.write(|w| w.put(&other).map(drop)).unwrap_err();
        assert!(err.to_string().contains("readonly"), "{err}");
        assert_eq!(store.read().partner_count().unwrap(), 1);
    }

    #[test]
    fn a_file_due_a_migration_is_checked_before_it_is_opened() {
        use crate::domain::{CallNote, Partner, Region, Track};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let key = DbKey::generate();
        let mut store = Store::open_encrypted(&path, &key).unwrap();
        let acme = Partner::new("Acme", Track::Open, Region::Emea, "c@v.e");
        store
            .write(|w| {
                w.put(&acme)?;
                for i in 0..300 {
                    let mut note = CallNote::new(&format!("n{i}"), &"x".repeat(500), "c@v.e");
                    note.partner_id = Some(acme.id.clone());
                    w.put(&note)?;
                }
                Ok(())
            })
            .unwrap();
        drop(store);
        // As an older release left it: the last migration is due.
        let conn = Connection::open(&path).unwrap();
        key.apply(&conn).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION - 1)
            .unwrap();
        drop(conn);
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        for b in &mut bytes[middle..middle + 3000] {
            *b ^= 0x5a;
        }
        std::fs::write(&path, &bytes).unwrap();

        let err = Store::open_encrypted_check_later(&path, &key)
            .err()
            .expect("refused before migrating");
        assert!(matches!(err, CoreError::Corrupt { .. }), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing written");
    }
}

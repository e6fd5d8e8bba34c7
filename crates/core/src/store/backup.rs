//! Local backups: whole-database copies in a `backups/` folder beside the database, and the
//! restore that puts one back.
//!
//! - [`Store::backup_if_due`] at start (the CLI and the desktop call it): a copy when the newest
//!   is a day old or more, keeping the newest [`KEEP_BACKUPS`].
//! - [`Store::backup_now`]: a copy now (`cdesk backup`).
//! - [`list_backups`]: newest first.
//! - [`restore`]: checks a backup, sets the current file aside (never deletes it) and puts the
//!   copy in its place with a new device id. No [`Store`] may be open on the database then.
//!
//! A copy is made with `VACUUM INTO` (a consistent snapshot, even while others write) into a
//! hidden temporary name, checked, synced to disk and only then renamed to its final name: a
//! crash never leaves a half-written file that looks like a backup.
//!
//! ```no_run
//! # use cdesk_core::store::{self, Store};
//! let path = std::path::Path::new("desk.db");
//! let store = Store::open(path)?;
//! store.backup_if_due(chrono::Utc::now())?;
//! drop(store); // a restore needs the database closed
//! if let Some(latest) = store::list_backups(path)?.first() {
//!     store::restore(path, latest.path.as_ref())?;
//! }
//! # Ok::<(), cdesk_core::CoreError>(())
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use rusqlite::Connection;
use serde::Serialize;

use super::key::{self, DbKey};
use super::{schema, Check, Store};
use crate::error::{CoreError, Result};
use crate::time::Timestamp;

/// How many automatic and manual backups are kept (the oldest go first).
pub const KEEP_BACKUPS: usize = 7;
/// The folder beside the database that holds them.
pub const BACKUP_DIR: &str = "backups";
/// In file names: fixed width, so name order is time order.
const STAMP: &str = "%Y%m%dT%H%M%S%3fZ";
/// What sets a replaced database apart from a backup in the backups folder.
const REPLACED: &str = "replaced";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupInfo {
    pub file_name: String,
    pub path: String,
    /// When it was taken (UTC, as in the file name).
    pub taken_at: Timestamp,
    pub size_bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestoreReport {
    pub restored_from: String,
    /// Where the database that was replaced now is (None when there was none).
    pub replaced_kept_at: Option<String>,
    /// The restored database's new device id.
    pub device_id: String,
}

/// The backups folder of the database at `db_path`.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(BACKUP_DIR)
}

fn stem(db_path: &Path) -> String {
    db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "database".into())
}

fn stamped(db_path: &Path, label: Option<&str>, at: DateTime<Utc>) -> PathBuf {
    let label = label.map(|l| format!("{l}-")).unwrap_or_default();
    backup_dir(db_path).join(format!("{}-{label}{}.db", stem(db_path), at.format(STAMP)))
}

/// The time in a backup's file name, when `name` is one of `db_path`'s backups.
fn taken_at(db_path: &Path, name: &str) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix(&format!("{}-", stem(db_path)))?;
    let stamp = rest.strip_suffix(".db")?;
    NaiveDateTime::parse_from_str(stamp, STAMP)
        .ok()
        .map(|t| t.and_utc())
}

/// The database's backups, newest first. Files that are not backups are left out.
pub fn list_backups(db_path: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backup_dir(db_path);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(at) = taken_at(db_path, &name) else {
            continue;
        };
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        out.push(BackupInfo {
            path: entry.path().display().to_string(),
            file_name: name,
            taken_at: Timestamp(at),
            size_bytes: meta.len(),
        });
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    Ok(out)
}

/// Flushes a file, or a directory's entries (a rename is durable once its folder is synced).
/// The handle is closed before this returns: Windows refuses to rename an open file.
pub(super) fn sync_path(path: &Path) -> Result<()> {
    #[cfg(unix)]
    fs::File::open(path)?.sync_all()?;
    // Windows flushes only through a handle opened for writing (`FlushFileBuffers` on a
    // read-only one is "Access denied. (os error 5)"), and a folder cannot be opened to flush.
    #[cfg(not(unix))]
    if path.is_file() {
        fs::OpenOptions::new().write(true).open(path)?.sync_all()?;
    }
    Ok(())
}

/// A temporary file name in `dir` that no backup listing or pruning ever takes for a backup.
pub(super) fn temporary(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.tmp"))
}

/// The folder the database file `db_path` is in, and the file's name: where its temporary
/// copies go.
pub(super) fn folder_and_name(db_path: &Path) -> (PathBuf, String) {
    let dir = db_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
        .to_path_buf();
    let name = db_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, name)
}

/// Checks a database file as a whole: every page readable, every index consistent, a schema
/// this build can open. Used on a new backup before it gets its name, and on a backup before
/// it is restored. Errors name `shown`: the file the person knows, not a temporary copy.
fn verify(path: &Path, shown: &Path, key: Option<&DbKey>) -> Result<()> {
    let bad = |detail: String| CoreError::BadBackup {
        path: shown.display().to_string(),
        detail,
    };
    let conn = open_with(path, key).map_err(|e| bad(e.to_string()))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| match key {
            Some(key) if key::another_key(path, key) => {
                bad("it is encrypted with another key than this database's".into())
            }
            _ => bad(e.to_string()),
        })?;
    if version > schema::SCHEMA_VERSION {
        return Err(CoreError::SchemaTooNew {
            found: version,
            known: schema::SCHEMA_VERSION,
        });
    }
    if version < 1 {
        return Err(bad("it is not a Channel Desk database (no schema)".into()));
    }
    let problems = integrity_problems(&conn, "integrity_check").map_err(|e| bad(e.to_string()))?;
    if !problems.is_empty() {
        return Err(bad(problems.join("; ")));
    }
    Ok(())
}

/// A plain connection to `path`, under `key` when given.
fn open_with(path: &Path, key: Option<&DbKey>) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        key.apply(&conn)?;
    }
    Ok(conn)
}

/// Encrypts the plain backups (and replaced databases) in the backups folder of `db_path`
/// under `key`, so that no clear copy outlives the database's own encryption. One that cannot
/// be encrypted (damaged) is left as it is and reported: a restore encrypts it if it can.
pub(crate) fn encrypt_plain_backups(db_path: &Path, key: &DbKey) {
    let Ok(entries) = fs::read_dir(backup_dir(db_path)) else {
        return;
    };
    let prefix = format!("{}-", stem(db_path));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(&prefix) || !name.ends_with(".db") {
            continue;
        }
        let path = entry.path();
        if !matches!(key::is_plain_database(&path), Ok(true)) {
            continue;
        }
        match key::encrypt_in_place(&path, key) {
            Ok(()) => tracing::info!(backup = %path.display(), "plain backup encrypted"),
            Err(e) => {
                tracing::warn!(backup = %path.display(), error = %e, "a plain backup could not be encrypted");
            }
        }
    }
}

/// What `PRAGMA integrity_check` or `quick_check` found (empty when the file is sound).
pub(crate) fn integrity_problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}(20)"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let found = rows.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(found.into_iter().filter(|line| line != "ok").collect())
}

impl Store {
    /// Takes a backup when the newest is at least a day older than `now` (or there is none).
    pub fn backup_if_due(&self, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
        let Some(db_path) = self.path.clone() else {
            return Ok(None);
        };
        let newest = list_backups(&db_path)?.first().map(|b| b.taken_at.0);
        // A backup "from the future" (the clock was wrong) does not stop backups.
        let due = newest.is_none_or(|at| now - at >= TimeDelta::days(1) || at > now);
        if !due {
            return Ok(None);
        }
        self.backup_at(&db_path, now).map(Some)
    }

    /// Takes a backup now, then removes all but the newest [`KEEP_BACKUPS`].
    pub fn backup_now(&self) -> Result<BackupInfo> {
        let db_path = self.path.clone().ok_or_else(|| {
            CoreError::invalid("backup", "a database in memory has no file to back up")
        })?;
        self.backup_at(&db_path, Timestamp::now().0)
    }

    fn backup_at(&self, db_path: &Path, at: DateTime<Utc>) -> Result<BackupInfo> {
        let dir = backup_dir(db_path);
        fs::create_dir_all(&dir)?;
        let mut target = stamped(db_path, None, at);
        // Two backups in one millisecond (a script): the second waits its turn in the name.
        let mut at = at;
        while target.exists() {
            at += TimeDelta::milliseconds(1);
            target = stamped(db_path, None, at);
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = temporary(&dir, &name);
        let _ = fs::remove_file(&tmp); // a leftover of a crash, never a backup
        let made = self
            .copy_into(&tmp)
            .and_then(|()| verify(&tmp, &target, self.key.as_ref()));
        if let Err(e) = made {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        sync_path(&tmp)?;
        fs::rename(&tmp, &target)?;
        sync_path(&dir)?;
        tracing::info!(backup = %target.display(), "backup taken");
        prune(db_path)?;
        let size_bytes = fs::metadata(&target)?.len();
        Ok(BackupInfo {
            file_name: name,
            path: target.display().to_string(),
            taken_at: Timestamp(at),
            size_bytes,
        })
    }

    /// A consistent copy of the whole database into the new file `tmp`, in rollback-journal
    /// mode so it is one self-contained file. SQLCipher writes `VACUUM INTO` under the
    /// database's own key (and salt): a backup is as encrypted as the database.
    fn copy_into(&self, tmp: &Path) -> Result<()> {
        let target = tmp
            .to_str()
            .ok_or_else(|| CoreError::invalid("backup", "the backup path is not valid UTF-8"))?;
        self.conn.execute("VACUUM INTO ?", [target])?;
        let copy = open_with(tmp, self.key.as_ref())?;
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }
}

/// Removes the oldest backups beyond [`KEEP_BACKUPS`]. Only files named as backups are touched.
fn prune(db_path: &Path) -> Result<()> {
    for old in list_backups(db_path)?.iter().skip(KEEP_BACKUPS) {
        fs::remove_file(&old.path)?;
        tracing::info!(backup = %old.path, "old backup removed");
    }
    Ok(())
}

/// The newest backup, or an error saying there is none.
pub fn latest_backup(db_path: &Path) -> Result<BackupInfo> {
    list_backups(db_path)?.into_iter().next().ok_or_else(|| {
        let dir = backup_dir(db_path);
        CoreError::invalid("backup", format!("no backup in {} yet", dir.display()))
    })
}

/// Puts the backup `from` in place of the database at `db_path`.
///
/// The backup is copied and checked first (every page, the schema version); a damaged one is
/// refused and nothing changes. The current database (with its WAL) is kept in the backups
/// folder as `<name>-replaced-<time>.db`. The restored copy gets a new device id: the old one
/// may have pushed changes after the backup was taken, and mutation ids this copy would hand
/// out again must not be taken by the server for those. Its outbox is kept as it was (changes
/// that may never have reached the server; a repeat of one that did is harmless or shows as a
/// conflict) and so is its pull cursor: the copy holds exactly what it had pulled up to it,
/// and the next pull brings everything since — the old device's later pushes included, since
/// to the server they are another device's.
///
/// No [`Store`] may be open on `db_path` while this runs.
pub fn restore(db_path: &Path, from: &Path) -> Result<RestoreReport> {
    restore_with(db_path, from, None)
}

/// [`restore`] for a database encrypted under `key`: the restored copy is encrypted under it
/// too (a plain backup, taken before encryption, is encrypted on the way in).
pub fn restore_encrypted(db_path: &Path, from: &Path, key: &DbKey) -> Result<RestoreReport> {
    restore_with(db_path, from, Some(key))
}

fn restore_with(db_path: &Path, from: &Path, key: Option<&DbKey>) -> Result<RestoreReport> {
    let (dir, db_name) = folder_and_name(db_path);
    fs::create_dir_all(&dir)?;
    if !from.is_file() {
        return Err(CoreError::NotFound {
            entity: "backup",
            id: from.display().to_string(),
        });
    }
    let tmp = temporary(&dir, &format!("{db_name}.restoring"));
    let _ = fs::remove_file(&tmp);
    let prepared = prepare_restored_copy(from, &tmp, key);
    let device_id = match prepared {
        Ok(id) => id,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let replaced_kept_at = set_aside(db_path)?;
    fs::rename(&tmp, db_path)?;
    sync_path(&dir)?;
    tracing::info!(from = %from.display(), "database restored");
    Ok(RestoreReport {
        restored_from: from.display().to_string(),
        replaced_kept_at: replaced_kept_at.map(|p| p.display().to_string()),
        device_id,
    })
}

/// Copies the backup to `tmp`, checks it, brings its schema up to date and gives it a new
/// device id. Returns that id.
fn prepare_restored_copy(from: &Path, tmp: &Path, key: Option<&DbKey>) -> Result<String> {
    fs::copy(from, tmp)?;
    if let Some(key) = key.filter(|_| matches!(key::is_plain_database(tmp), Ok(true))) {
        verify(tmp, from, None)?;
        key::encrypt_in_place(tmp, key)?;
    }
    verify(tmp, from, key)?;
    let mut store = Store::open_file(tmp, Check::Now, key)?;
    store.forget_device()?;
    let device_id = store.device_id()?;
    // One self-contained file: nothing left in a WAL that the rename would leave behind.
    store.conn.pragma_update(None, "journal_mode", "DELETE")?;
    drop(store);
    sync_path(tmp)?;
    Ok(device_id)
}

/// Keeps the current database (if any) in the backups folder before it is replaced. The main
/// file is hard-linked (copied where links are not possible), so the database stays in place
/// until the restored copy is renamed over it; its WAL, which holds committed changes not yet
/// in the main file, moves along with it.
fn set_aside(db_path: &Path) -> Result<Option<PathBuf>> {
    if !db_path.exists() {
        return Ok(None);
    }
    fs::create_dir_all(backup_dir(db_path))?;
    let mut at = Utc::now();
    let mut kept = stamped(db_path, Some(REPLACED), at);
    while kept.exists() {
        at += TimeDelta::milliseconds(1);
        kept = stamped(db_path, Some(REPLACED), at);
    }
    if fs::hard_link(db_path, &kept).is_err() {
        fs::copy(db_path, &kept)?;
    }
    let side = |suffix: &str| {
        let mut p = db_path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    let wal = side("-wal");
    if wal.exists() {
        let mut kept_wal = kept.as_os_str().to_owned();
        kept_wal.push("-wal");
        fs::rename(&wal, PathBuf::from(kept_wal))?;
    }
    // The shared-memory index is rebuilt from the WAL by whoever opens the file next.
    let shm = side("-shm");
    if shm.exists() {
        fs::remove_file(&shm)?;
    }
    sync_path(&backup_dir(db_path))?;
    Ok(Some(kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_names_sort_as_time_and_parse_back() {
        let db = Path::new("/data/channel-desk.db");
        let at = DateTime::parse_from_rfc3339("2026-11-23T21:57:08.042Z")
            .unwrap()
            .with_timezone(&Utc);
        let path = stamped(db, None, at);
        assert_eq!(
            path,
            Path::new("/data/backups/channel-desk-20261123T215708042Z.db")
        );
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(taken_at(db, name), Some(at), "the name carries the time");
        let replaced = stamped(db, Some(REPLACED), at);
        let name = replaced.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            taken_at(db, name),
            None,
            "a replaced database is not a backup"
        );
        assert_eq!(
            taken_at(db, ".channel-desk-20261123T215708042Z.db.tmp"),
            None
        );
    }
}

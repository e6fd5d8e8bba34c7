//! The open database, shared by all commands: one connection for writes, one for reads (SQLite
//! in WAL mode lets a read run while a write commits). Every use runs on tokio's blocking pool,
//! never on the async threads that serve IPC. The file is encrypted under a key from the OS
//! keyring (`cdesk_client::database_key`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use cdesk_client::KeyringSecrets;
use cdesk_core::store::{self, BackupInfo, DbKey, Reader, RestoreReport, Store};
use cdesk_core::CoreError;
use parking_lot::Mutex;

use crate::error::{AppError, AppResult};

/// A connection, or why there is none: the file is damaged ([`AppError::Damaged`], the
/// message says how), or cannot be opened at all (its key: [`AppError::Keyring`] or
/// [`AppError::Storage`]).
type Slot = Result<Store, AppError>;

/// The two connections to the profile's database. When the file is damaged the app still
/// starts, without them: every use answers [`AppError::Damaged`] until a backup is restored.
/// When its key is missing, or does not open it, every use says so (the start screen shows it)
/// and nothing offers to replace the file.
pub struct Db {
    path: PathBuf,
    /// Set once the file is opened; [`Db::open_in_background`] leaves it empty for a moment,
    /// and every use waits for it.
    conns: OnceLock<Conns>,
    /// Set once every page of the file has been read and checked (after `conns`, on the
    /// opener's thread): reads go ahead meanwhile, writes wait for it, so nothing is written
    /// to a file found damaged.
    checked: OnceLock<()>,
}

struct Conns {
    writer: Mutex<Slot>,
    reader: Mutex<Slot>,
    /// The file's key, or why there is none.
    key: Result<DbKey, AppError>,
}

fn live(slot: &mut Slot) -> AppResult<&mut Store> {
    slot.as_mut().map_err(|why| why.clone())
}

/// Opens both connections with `open` (which may check the file, and encrypts a plain one); a
/// damaged file, or one the key does not open, gives two empty slots.
fn open_slots(
    path: &Path,
    key: &DbKey,
    open: fn(&Path, &DbKey) -> cdesk_core::Result<Store>,
) -> AppResult<(Slot, Slot)> {
    match open(path, key) {
        Ok(writer) => Ok((
            Ok(writer),
            Ok(Store::open_encrypted_checked_already(path, key)?),
        )),
        Err(e @ (CoreError::Corrupt { .. } | CoreError::WrongKey { .. })) => {
            tracing::error!(error = %e, "the database cannot be opened");
            let why = AppError::from(e);
            Ok((Err(why.clone()), Err(why)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The key of the database at `path` from the OS keyring (made there on first use), once the
/// keyring has shown at start that it keeps what is written to it.
fn keyring_key(path: &Path) -> Result<DbKey, AppError> {
    cdesk_client::self_check(&KeyringSecrets).map_err(|e| {
        tracing::error!(error = %e, "the keyring failed its self-check");
        AppError::Keyring(e.to_string())
    })?;
    cdesk_client::database_key(&KeyringSecrets, path).map_err(|e| {
        tracing::error!(error = %e, "no database key");
        AppError::Keyring(e.to_string())
    })
}

/// A fixed key for the synchronous test openers.
#[cfg(test)]
fn test_key() -> DbKey {
    DbKey::from_hex(&"5a".repeat(48)).expect("96 hex digits")
}

impl Db {
    /// Opens (creating and migrating) the database at `path`; a damaged file is an error.
    /// Synchronous, for tests: the app opens with [`Db::open_in_background`].
    #[cfg(test)]
    pub fn open(path: &Path) -> AppResult<Arc<Db>> {
        let db = Self::open_or_damaged(path)?;
        match db.damage() {
            Some(why) => Err(AppError::Damaged(why)),
            None => Ok(db),
        }
    }

    /// Opens the database at `path`, or, when the file is damaged, a `Db` that says so (see
    /// [`Db::damage`]) so the app can start and offer to restore a backup. Synchronous, for
    /// tests: the app opens with [`Db::open_in_background`].
    #[cfg(test)]
    pub fn open_or_damaged(path: &Path) -> AppResult<Arc<Db>> {
        let key = test_key();
        let (writer, reader) = open_slots(path, &key, Store::open_encrypted)?;
        let db = Db {
            path: path.to_path_buf(),
            conns: OnceLock::new(),
            checked: OnceLock::new(),
        };
        db.fill(writer, reader, Ok(key));
        db.checked.set(()).expect("checked once");
        Ok(Arc::new(db))
    }

    /// Opens the database on a thread of its own while the window and WebKit start; uses wait
    /// for it. The key comes from the OS keyring, also on that thread. A file that is not a
    /// database gives a `Db` that says so (see [`Db::damage`]); so does a missing keyring or
    /// key, or a key that does not open the file (every use answers why); any other error (a
    /// newer schema, an unreadable folder) goes to `fatal`.
    ///
    /// Then, on the same thread and at a low priority, every page is read and checked: about
    /// a second at 100,000 notes, which no longer delays the first screen. Reads go ahead
    /// meanwhile; writes wait for the check, and damage it finds empties both slots (the UI
    /// learns it from [`Db::wait_checked`] and offers the backups).
    pub fn open_in_background(path: &Path, fatal: fn(&str) -> !) -> Arc<Db> {
        Self::open_in_background_with(path, keyring_key, fatal)
    }

    /// [`Db::open_in_background`] with the key from `key` (the keyring, or a test's).
    fn open_in_background_with(
        path: &Path,
        key: fn(&Path) -> Result<DbKey, AppError>,
        fatal: fn(&str) -> !,
    ) -> Arc<Db> {
        let db = Arc::new(Db {
            path: path.to_path_buf(),
            conns: OnceLock::new(),
            checked: OnceLock::new(),
        });
        let opening = Arc::clone(&db);
        std::thread::spawn(move || {
            match key(&opening.path) {
                Ok(key) => {
                    match open_slots(&opening.path, &key, Store::open_encrypted_check_later) {
                        Ok((writer, reader)) => opening.fill(writer, reader, Ok(key)),
                        Err(e) => fatal(&e.to_string()),
                    }
                }
                Err(why) => opening.fill(Err(why.clone()), Err(why.clone()), Err(why)),
            }
            lower_this_threads_priority();
            opening.check_pages();
            opening.checked.set(()).expect("checked once");
        });
        db
    }

    /// Reads every page on a connection of its own; damage empties both slots.
    fn check_pages(&self) {
        if self.conns().writer.lock().is_err() {
            return; // nothing opened, nothing to check
        }
        let started = std::time::Instant::now();
        let found = self.open_another().and_then(|own| Ok(own.check_pages()?));
        match found {
            Ok(()) => tracing::info!(ms = started.elapsed().as_millis(), "database checked"),
            Err(why @ AppError::Damaged(_)) => {
                tracing::error!(error = %why, "the database is damaged");
                let mut writer = self.conns().writer.lock();
                *self.conns().reader.lock() = Err(why.clone());
                *writer = Err(why);
            }
            // Not damage (the disk went away, say): uses will meet it themselves.
            Err(e) => tracing::warn!(error = %e, "the database check did not finish"),
        }
    }

    /// Waits until every page of the file has been checked (at once for the synchronous
    /// openers); then [`Db::unusable`] is final.
    pub fn wait_checked(&self) {
        self.checked.wait();
    }

    fn fill(&self, writer: Slot, reader: Slot, key: Result<DbKey, AppError>) {
        let conns = Conns {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            key,
        };
        let first = self.conns.set(conns).is_ok();
        assert!(first, "a Db's connections are set once, by its opener");
    }

    fn conns(&self) -> &Conns {
        self.conns.wait()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the database is damaged (None when it is not; see [`Db::unusable`]). Waits for the
    /// check of every page.
    pub fn damage(&self) -> Option<String> {
        match self.unusable() {
            Some(AppError::Damaged(why)) => Some(why),
            _ => None,
        }
    }

    /// Why the database cannot be used now: damaged, no key, or being restored. Waits for the
    /// check of every page.
    pub fn unusable(&self) -> Option<AppError> {
        self.wait_checked();
        self.conns().writer.lock().as_ref().err().cloned()
    }

    /// The database's key, for another connection to it (the sync thread's).
    pub fn key(&self) -> AppResult<DbKey> {
        self.conns().key.clone()
    }

    /// Another connection to the (opened and checked) database.
    pub fn open_another(&self) -> AppResult<Store> {
        Ok(Store::open_encrypted_checked_already(
            &self.path,
            &self.key()?,
        )?)
    }

    /// Runs a read on the blocking pool.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(Reader<'_>) -> cdesk_core::Result<T> + Send + 'static,
    {
        let db = Arc::clone(self);
        blocking(move || {
            let mut slot = db.conns().reader.lock();
            f(live(&mut slot)?.read()).map_err(AppError::from)
        })
        .await
    }

    /// Runs a read that needs the whole (read) store, e.g. an import preview.
    pub async fn read_store<T, F>(self: &Arc<Self>, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> cdesk_core::Result<T> + Send + 'static,
    {
        let db = Arc::clone(self);
        blocking(move || f(live(&mut db.conns().reader.lock())?).map_err(AppError::from)).await
    }

    /// Runs a write (one of the core's use cases) on the blocking pool, once the file has
    /// been checked.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> cdesk_core::Result<T> + Send + 'static,
    {
        let db = Arc::clone(self);
        blocking(move || db.with_writer(|store| f(store).map_err(AppError::from))).await
    }

    /// Synchronous access to the writer, for code already on a blocking thread, once the file
    /// has been checked.
    pub fn with_writer<T>(&self, f: impl FnOnce(&mut Store) -> AppResult<T>) -> AppResult<T> {
        self.wait_checked();
        f(live(&mut self.conns().writer.lock())?)
    }

    /// Synchronous read, for code already on a blocking thread.
    pub fn with_reader<T>(&self, f: impl FnOnce(Reader<'_>) -> AppResult<T>) -> AppResult<T> {
        f(live(&mut self.conns().reader.lock())?.read())
    }

    /// Takes the daily backup if it is due, on a connection of its own: copying a large file
    /// takes seconds, and WAL lets the app's reads and writes go on meanwhile (on the shared
    /// read connection, Today waited ~4 s for it at 100,000 notes). Nothing when damaged.
    pub fn backup_if_due(&self) -> AppResult<Option<BackupInfo>> {
        if self.unusable().is_some() {
            return Ok(None);
        }
        let own = self.open_another()?;
        Ok(own.backup_if_due(chrono::Utc::now())?)
    }

    /// Puts the backup `from` in place of the database (see `cdesk_core::store::restore`).
    /// Both connections are closed while the file is swapped, and reopen on the result — on
    /// the database as it was when the restore is refused. Call with every other connection
    /// to the file closed (the sync loop's: `SyncControl::paused`).
    pub fn restore(&self, from: &Path) -> AppResult<RestoreReport> {
        // Without the key a restore could only write a copy no one can open.
        let key = self.key()?;
        // The check must not empty the slots after they reopen on the restored file.
        self.wait_checked();
        let mut writer = self.conns().writer.lock();
        let mut reader = self.conns().reader.lock();
        // Closing the last connection checkpoints the WAL into the file.
        let restoring = AppError::Damaged("the database is being restored".into());
        *reader = Err(restoring.clone());
        *writer = Err(restoring);
        let restored = store::restore_encrypted(&self.path, from, &key);
        (*writer, *reader) = open_slots(&self.path, &key, Store::open_encrypted)?;
        Ok(restored?)
    }
}

/// The page-by-page check yields to the window and WebKit starting on the same cores.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    {
        // On Linux a priority set for this thread's id applies to this thread only.
        let tid = rustix::thread::gettid();
        if let Err(e) = rustix::process::setpriority_process(Some(tid), 10) {
            tracing::debug!(error = %e, "the check runs at normal priority");
        }
    }
}

/// Runs `f` on tokio's blocking pool and waits for it.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("a background task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdesk_core::domain::{CallNote, Partner, Region, Track};

    fn acme() -> Partner {
        Partner::new("Acme", Track::Open, Region::Emea, "cam@vendor.example")
    }

    /// A database at `path` holding Acme, backed up and closed; returns the backup.
    fn acme_backed_up(path: &Path) -> BackupInfo {
        let db = Db::open(path).unwrap();
        db.with_writer(|s| {
            s.write(|w| w.put(&acme()))?;
            Ok(s.backup_now()?)
        })
        .unwrap()
    }

    #[test]
    fn a_restore_swaps_the_file_under_both_connections() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("desk.db")).unwrap();
        let acme = acme();
        let globex = Partner::new("Globex", Track::Open, Region::Emea, "cam@vendor.example");
        let backup = db
            .with_writer(|s| {
                s.write(|w| w.put(&acme))?;
                let b = s.backup_now()?;
                s.write(|w| w.put(&globex))?;
                Ok(b)
            })
            .unwrap();
        let report = db.restore(backup.path.as_ref()).unwrap();
        assert!(
            report.replaced_kept_at.is_some(),
            "the replaced file is kept"
        );
        let names = |r: Reader<'_>| -> AppResult<i64> { Ok(r.partner_count()?) };
        assert_eq!(
            db.with_reader(names).unwrap(),
            1,
            "the reader sees the backup"
        );
        db.with_writer(|s| Ok(s.write(|w| w.put(&globex))?))
            .unwrap();
        assert_eq!(
            db.with_reader(names).unwrap(),
            2,
            "the writer writes the restored file"
        );
    }

    #[test]
    fn a_damaged_database_opens_as_damaged_and_a_restore_repairs_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let backup = acme_backed_up(&path);
        std::fs::write(&path, b"garbage\n".repeat(2000)).unwrap();

        assert!(matches!(Db::open(&path), Err(AppError::Damaged(_))));
        let db = Db::open_or_damaged(&path).unwrap();
        assert!(db.damage().unwrap().contains("desk.db"), "names the file");
        let err = db.with_reader(|r| Ok(r.partner_count()?)).unwrap_err();
        assert!(
            matches!(err, AppError::Damaged(_)),
            "every use says so: {err:?}"
        );

        db.restore(backup.path.as_ref()).unwrap();
        assert_eq!(db.damage(), None);
        assert_eq!(db.with_reader(|r| Ok(r.partner_count()?)).unwrap(), 1);
    }

    #[test]
    fn a_refused_restore_leaves_both_connections_on_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("desk.db")).unwrap();
        let acme = acme();
        db.with_writer(|s| Ok(s.write(|w| w.put(&acme))?)).unwrap();
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"junk\n".repeat(1000)).unwrap();
        let err = db.restore(&junk).unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
        let count = db.with_reader(|r| Ok(r.partner_count()?)).unwrap();
        assert_eq!(count, 1, "still the same database");
    }

    #[test]
    fn the_daily_backup_is_taken_once_and_never_of_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let db = Db::open(&path).unwrap();
        let acme = acme();
        db.with_writer(|s| Ok(s.write(|w| w.put(&acme))?)).unwrap();
        let made = db
            .backup_if_due()
            .unwrap()
            .expect("the first backup is due");
        assert!(std::path::Path::new(&made.path).exists());
        assert!(db.backup_if_due().unwrap().is_none(), "one a day");
        assert_eq!(db.with_reader(|r| Ok(r.partner_count()?)).unwrap(), 1);

        let damaged = dir.path().join("damaged.db");
        std::fs::write(&damaged, b"garbage\n".repeat(2000)).unwrap();
        let db = Db::open_or_damaged(&damaged).unwrap();
        assert!(db.backup_if_due().unwrap().is_none(), "no backup of damage");
    }

    fn no_fatal_error(message: &str) -> ! {
        panic!("opening in the background failed: {message}")
    }

    #[test]
    fn opened_in_the_background_a_database_is_checked_and_used_as_usual() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let acme = acme();
        let db = Db::open_in_background_with(&path, |_| Ok(test_key()), no_fatal_error);
        db.with_writer(|s| Ok(s.write(|w| w.put(&acme))?)).unwrap();
        assert_eq!(db.with_reader(|r| Ok(r.partner_count()?)).unwrap(), 1);

        let damaged = dir.path().join("damaged.db");
        std::fs::write(&damaged, b"garbage\n".repeat(2000)).unwrap();
        let db = Db::open_in_background_with(&damaged, |_| Ok(test_key()), no_fatal_error);
        let err = db.with_reader(|r| Ok(r.partner_count()?)).unwrap_err();
        assert!(matches!(err, AppError::Damaged(_)), "{err:?}");
    }

    #[test]
    fn damage_found_after_the_first_screen_stops_writes_and_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let db = Db::open(&path).unwrap();
        let acme = acme();
        db.with_writer(|s| {
            s.write(|w| {
                w.put(&acme)?;
                for i in 0..300 {
                    let mut note = CallNote::new(&format!("n{i}"), &"x".repeat(500), "a@b.c");
                    note.partner_id = Some(acme.id.clone());
                    w.put(&note)?;
                }
                Ok(())
            })?;
            Ok(())
        })
        .unwrap();
        drop(db);
        // Deep in the notes: the first pages and the schema still read.
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        for b in &mut bytes[middle..middle + 3000] {
            *b ^= 0x5a;
        }
        std::fs::write(&path, &bytes).unwrap();

        let db = Db::open_in_background_with(&path, |_| Ok(test_key()), no_fatal_error);
        let globex = Partner::new("Globex", Track::Open, Region::Emea, "c@v.e");
        let err = db
            .with_writer(|s| Ok(s.write(|w| w.put(&globex))?))
            .unwrap_err();
        assert!(matches!(err, AppError::Damaged(_)), "{err:?}");
        assert!(db.damage().is_some(), "the UI is told");
        let err = db.with_reader(|r| Ok(r.partner_count()?)).unwrap_err();
        assert!(matches!(err, AppError::Damaged(_)), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing written");
    }

    #[test]
    fn a_write_is_seen_by_the_read_connection() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("desk.db")).unwrap();
        tauri::async_runtime::block_on(async {
            db.write(|s| s.save_draft("k", "typed")).await.unwrap();
            let draft = db.read(|r| r.draft("k")).await.unwrap();
            assert_eq!(
                draft.map(|d| d.body).as_deref(),
                Some("typed"),
                "WAL read sees commit"
            );
        });
    }

    fn another_key(_: &Path) -> Result<DbKey, AppError> {
        Ok(DbKey::from_hex(&"a5".repeat(48)).expect("96 hex digits"))
    }

    fn no_keyring(_: &Path) -> Result<DbKey, AppError> {
        Err(AppError::Keyring(
            "the database key is kept in the system keyring, which is not available".into(),
        ))
    }

    #[test]
    fn the_database_is_encrypted_and_a_wrong_key_is_said_not_offered_a_restore() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let backup = acme_backed_up(&path);
        assert!(store::looks_encrypted(&path).unwrap(), "encrypted on disk");
        assert!(store::looks_encrypted(backup.path.as_ref()).unwrap());

        let before = std::fs::read(&path).unwrap();
        let db = Db::open_in_background_with(&path, another_key, no_fatal_error);
        assert_eq!(
            db.damage(),
            None,
            "not damage: no backup is offered over it"
        );
        let err = db.with_reader(|r| Ok(r.partner_count()?)).unwrap_err();
        assert!(
            err.to_string()
                .contains("the key in the keyring does not open this database"),
            "{err:?}"
        );
        assert!(db.backup_if_due().unwrap().is_none());
        assert!(db.restore(backup.path.as_ref()).is_err(), "{backup:?}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "untouched");
    }

    #[test]
    fn without_a_keyring_every_use_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let db = Db::open_in_background_with(&path, no_keyring, no_fatal_error);
        let err = db.with_reader(|r| Ok(r.partner_count()?)).unwrap_err();
        assert!(matches!(err, AppError::Keyring(_)), "{err:?}");
        assert_eq!(db.damage(), None);
        assert!(!path.exists(), "no database without its key");
    }
}

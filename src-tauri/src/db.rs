//! The open database, shared by all commands: one connection for writes, one for reads (SQLite
//! in WAL mode lets a read run while a write commits). Every use runs on tokio's blocking pool,
//! never on the async threads that serve IPC.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cdesk_core::store::{self, BackupInfo, Reader, RestoreReport, Store};
use parking_lot::Mutex;

use crate::error::{AppError, AppResult};

/// The two connections to the profile's database.
pub struct Db {
    path: PathBuf,
    writer: Mutex<Store>,
    reader: Mutex<Store>,
}

impl Db {
    /// Opens (creating and migrating) the database at `path`.
    pub fn open(path: &Path) -> AppResult<Arc<Db>> {
        let writer = Store::open(path)?;
        let reader = Store::open(path)?;
        Ok(Arc::new(Db {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs a read on the blocking pool.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(Reader<'_>) -> cdesk_core::Result<T> + Send + 'static,
    {
        let db = Arc::clone(self);
        blocking(move || {
            let store = db.reader.lock();
            f(store.read()).map_err(AppError::from)
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
        blocking(move || f(&db.reader.lock()).map_err(AppError::from)).await
    }

    /// Runs a write (one of the core's use cases) on the blocking pool.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> cdesk_core::Result<T> + Send + 'static,
    {
        let db = Arc::clone(self);
        blocking(move || {
            let mut store = db.writer.lock();
            f(&mut store).map_err(AppError::from)
        })
        .await
    }

    /// Synchronous access to the writer, for code already on a blocking thread.
    pub fn with_writer<T>(&self, f: impl FnOnce(&mut Store) -> AppResult<T>) -> AppResult<T> {
        f(&mut self.writer.lock())
    }

    /// Synchronous read, for code already on a blocking thread.
    pub fn with_reader<T>(&self, f: impl FnOnce(Reader<'_>) -> AppResult<T>) -> AppResult<T> {
        f(self.reader.lock().read())
    }

    /// Takes the daily backup if it is due, on the read connection (a backup is a read).
    pub fn backup_if_due(&self) -> AppResult<Option<BackupInfo>> {
        Ok(self.reader.lock().backup_if_due(chrono::Utc::now())?)
    }

    /// Puts the backup `from` in place of the database (see `cdesk_core::store::restore`).
    /// Both connections are closed while the file is swapped, and reopen on the result — on
    /// the database as it was when the restore is refused. Call with every other connection
    /// to the file closed (the sync loop's: `SyncControl::paused`).
    pub fn restore(&self, from: &Path) -> AppResult<RestoreReport> {
        let mut writer = self.writer.lock();
        let mut reader = self.reader.lock();
        // Closing the last connection checkpoints the WAL into the file.
        *reader = Store::open_in_memory()?;
        *writer = Store::open_in_memory()?;
        let restored = store::restore(&self.path, from);
        *writer = Store::open(&self.path)?;
        *reader = Store::open(&self.path)?;
        Ok(restored?)
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
    use cdesk_core::domain::{Partner, Region, Track};

    #[test]
    fn a_restore_swaps_the_file_under_both_connections() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("desk.db")).unwrap();
        let acme = Partner::new("Acme", Track::Open, Region::Emea, "cam@vendor.example");
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
    fn a_refused_restore_leaves_both_connections_on_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("desk.db")).unwrap();
        let acme = Partner::new("Acme", Track::Open, Region::Emea, "cam@vendor.example");
        db.with_writer(|s| Ok(s.write(|w| w.put(&acme))?)).unwrap();
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"junk\n".repeat(1000)).unwrap();
        let err = db.restore(&junk).unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
        let count = db.with_reader(|r| Ok(r.partner_count()?)).unwrap();
        assert_eq!(count, 1, "still the same database");
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
}

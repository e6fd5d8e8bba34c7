//! The open database, shared by all commands: one connection for writes, one for reads (SQLite
//! in WAL mode lets a read run while a write commits). Every use runs on tokio's blocking pool,
//! never on the async threads that serve IPC.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cdesk_core::store::{Reader, Store};
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

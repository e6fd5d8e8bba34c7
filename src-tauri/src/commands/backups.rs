//! Backups from Settings: the list, one now, and restoring one. The UI names a backup by its
//! file name, never by a path: it can only restore what is in the backups folder.

use cdesk_core::store::{self, BackupInfo, RestoreReport};
use tauri::AppHandle;
use tauri_specta::Event;

use super::St;
use crate::db::blocking;
use crate::error::{AppError, AppResult};
use crate::events::DataChanged;

/// The backups beside the database, newest first.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_backups(state: St<'_>) -> AppResult<Vec<BackupInfo>> {
    let path = state.db.path().to_path_buf();
    blocking(move || Ok(store::list_backups(&path)?)).await
}

/// A backup now.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn backup_now(state: St<'_>) -> AppResult<BackupInfo> {
    state.db.read_store(|s| s.backup_now()).await
}

/// Restores the backup named `file_name` (as `list_backups` gave it). The database it replaces
/// is kept in the backups folder; sync pauses while the file is swapped. Also what the start
/// screen calls when the database is damaged.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn restore_backup(
    state: St<'_>,
    app: AppHandle,
    file_name: String,
) -> AppResult<RestoreReport> {
    let db = state.db.clone();
    let sync = state.sync.clone();
    let handle = app.clone();
    let report = blocking(move || {
        let backup = store::list_backups(db.path())?
            .into_iter()
            .find(|b| b.file_name == file_name)
            .ok_or_else(|| AppError::NotFound(format!("no backup named {file_name}")))?;
        let report = sync.paused(&handle, || db.restore(backup.path.as_ref()))?;
        // Restored over a damaged file, sync never started: start it now if signed in.
        if !sync.is_running() {
            let resumed = db.with_writer(|store| sync.resume(&handle, store));
            if let Err(e) = resumed {
                tracing::warn!(error = %e, "sync not resumed after the restore");
            }
        }
        Ok(report)
    })
    .await?;
    let _ = DataChanged { pulled: 0 }.emit(&app);
    Ok(report)
}

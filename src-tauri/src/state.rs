//! What every command gets: the database, the data directory, the sync loop.

use std::path::PathBuf;
use std::sync::Arc;

use crate::commands::export::Exported;
use crate::db::Db;
use crate::notify::Notified;
use crate::sync::SyncControl;

/// The app's state, managed by Tauri.
pub struct AppState {
    pub db: Arc<Db>,
    pub data_dir: PathBuf,
    pub sync: Arc<SyncControl>,
    pub notified: Notified,
    /// What "Show in folder" may reveal.
    pub exported: Exported,
}

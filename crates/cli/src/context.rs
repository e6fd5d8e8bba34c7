//! What every command gets: the open store, the pinned "today", and the output mode.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use cdesk_client::KeyringSecrets;
use cdesk_core::store::{DbKey, Store};
use chrono::NaiveDate;

/// The directory name the desktop app uses too (its bundle identifier), so both share one
/// database.
pub const APP_DIR: &str = "app.channeldesk.desktop";
/// The database file inside the data directory.
pub const DB_FILE: &str = "channel-desk.db";

pub struct Ctx {
    pub store: Store,
    pub today: NaiveDate,
    /// Print JSON instead of text.
    pub json: bool,
}

/// The data directory: `--data-dir`/`CDESK_DATA_DIR`, else the platform's data directory.
pub fn data_dir(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir.to_path_buf()),
        None => dirs::data_dir()
            .map(|d| d.join(APP_DIR))
            .context("this system has no data directory; pass --data-dir DIR"),
    }
}

/// The database file in the data directory.
pub fn database(data_dir: &Path) -> PathBuf {
    data_dir.join(DB_FILE)
}

/// The key of the database at `db_path`, from the OS keyring (made there on first use).
pub fn database_key(db_path: &Path) -> anyhow::Result<DbKey> {
    Ok(cdesk_client::database_key(&KeyringSecrets, db_path)?)
}

impl Ctx {
    /// Opens the database, then takes the daily backup if it is due: a failed backup is
    /// reported but does not stop the command.
    pub fn open(data_dir: &Path, today: NaiveDate, json: bool) -> anyhow::Result<Ctx> {
        let path = database(data_dir);
        tracing::debug!(path = %path.display(), "opening the database");
        let key = database_key(&path)?;
        let store = Store::open_encrypted(&path, &key)?;
        match store.backup_if_due(chrono::Utc::now()) {
            Ok(Some(made)) => tracing::info!(backup = %made.path, "daily backup taken"),
            Ok(None) => {}
            Err(e) => tracing::warn!("the daily backup failed: {e}"),
        }
        Ok(Ctx { store, today, json })
    }
}

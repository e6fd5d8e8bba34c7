//! What every command gets: the open store, the pinned "today", and the output mode.

use std::path::{Path, PathBuf};

use cdesk_client::{profile, KeyringSecrets};
use cdesk_core::store::{DbKey, Store};
use cdesk_core::CoreError;
use chrono::NaiveDate;

pub struct Ctx {
    pub store: Store,
    pub today: NaiveDate,
    /// Print JSON instead of text.
    pub json: bool,
}

/// The data directory: `--data-dir`/`CDESK_DATA_DIR`, else the platform's local data folder
/// (the one the desktop app uses).
pub fn data_dir(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    Ok(profile::data_dir(given)?)
}

/// The database file in the data directory.
pub fn database(data_dir: &Path) -> PathBuf {
    profile::database(data_dir)
}

/// The key of the database at `db_path`, from the OS keyring (made there on first use), once
/// the keyring has shown it keeps what is written to it.
pub fn database_key(db_path: &Path) -> anyhow::Result<DbKey> {
    cdesk_client::self_check(&KeyringSecrets)?;
    Ok(cdesk_client::database_key(&KeyringSecrets, db_path)?)
}

/// What a command does with the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only: the file is not read through before the command (at 100,000 notes that
    /// was most of a command's time). SQLCipher checks each page's HMAC as it reads it, so
    /// damage in what the command reads still fails it, and [`check_after_failed_read`] names
    /// it. Writes are refused.
    Read,
    /// May write: every page is checked first, so nothing is written to a damaged file.
    Write,
}

impl Ctx {
    /// Opens the database, then takes the daily backup if it is due: a failed backup is
    /// reported but does not stop the command (it reads every page and checks its copy, so a
    /// damaged file never becomes a backup).
    pub fn open(
        data_dir: &Path,
        today: NaiveDate,
        json: bool,
        access: Access,
    ) -> anyhow::Result<Ctx> {
        let path = database(data_dir);
        tracing::debug!(path = %path.display(), ?access, "opening the database");
        let key = database_key(&path)?;
        let store = match access {
            Access::Read => Store::open_encrypted_check_later(&path, &key)?,
            Access::Write => Store::open_encrypted(&path, &key)?,
        };
        match store.backup_if_due(chrono::Utc::now()) {
            Ok(Some(made)) => tracing::info!(backup = %made.path, "daily backup taken"),
            Ok(None) => {}
            Err(e) => tracing::warn!("the daily backup failed: {e}"),
        }
        if access == Access::Read {
            store.refuse_writes()?;
        }
        Ok(Ctx { store, today, json })
    }
}

/// After a reading command failed on a database error: checks every page of the file on a
/// connection of its own (after a failed read SQLCipher answers "out of memory" to everything
/// on the first), so that damage is reported as damage, with the backups, not as the error
/// the read happened to meet. Any other failure is returned as it was.
pub fn check_after_failed_read(data_dir: &Path, failed: anyhow::Error) -> anyhow::Error {
    let read_failed = failed.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<CoreError>(),
            Some(CoreError::Database(_))
        )
    });
    if !read_failed {
        return failed;
    }
    let path = database(data_dir);
    let checked = database_key(&path).and_then(|key| Ok(Store::open_encrypted(&path, &key)?));
    match checked {
        Err(damage) => damage,
        Ok(_) => failed,
    }
}

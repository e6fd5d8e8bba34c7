//! Where the refresh token and the database key live: the OS keyring (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows). Never SQLite, never a config file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cdesk_core::store::{self, DbKey};
use thiserror::Error;
use zeroize::Zeroizing;

/// The keyring service name all Channel Desk secrets are filed under.
pub const KEYRING_SERVICE: &str = "app.channeldesk.desktop";

#[derive(Debug, Error)]
pub enum SecretError {
    #[error("the system keyring is not available: {0}")]
    Unavailable(String),
}

/// Why the database key could not be had.
#[derive(Debug, Error)]
pub enum DbKeyError {
    #[error("the database key is kept in the system keyring, which is not available: {0}")]
    Keyring(#[from] SecretError),
    /// An encrypted database whose key is not in the keyring: a new key would not open it.
    #[error("the database {path} is encrypted, but its key is not in the system keyring (service {KEYRING_SERVICE}, account {account}); it cannot be opened without it, and nothing was changed")]
    Missing { path: String, account: String },
    #[error("the database key in the system keyring (account {account}) is malformed")]
    Malformed { account: String },
    #[error("the database folder cannot be read: {0}")]
    Io(#[from] std::io::Error),
}

/// The keyring account of the key of the database at `db_path`: its canonical path, so every
/// way of naming one file finds one key.
pub fn database_key_account(db_path: &Path) -> Result<String, std::io::Error> {
    let canonical = match db_path.canonicalize() {
        Ok(path) => path,
        Err(_) => {
            // Not created yet: its folder must exist (the caller creates it).
            let dir = db_path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or_else(|| Path::new("."));
            let name = db_path.file_name().ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name")
            })?;
            let mut path: PathBuf = dir.canonicalize()?;
            path.push(name);
            path
        }
    };
    Ok(format!("database-key:{}", canonical.display()))
}

/// The key of the database at `db_path` from `secrets`, made (random) and kept there when the
/// database has none yet. Never makes a new key for a file that looks encrypted: that file
/// would be lost to it. (A file that is neither a database nor encrypted gets a key, and is
/// then reported as damaged when opened.)
pub fn database_key(secrets: &dyn SecretStore, db_path: &Path) -> Result<DbKey, DbKeyError> {
    if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let account = database_key_account(db_path)?;
    if let Some(hex) = secrets.get(&account)? {
        return kept_key(hex, account);
    }
    let unopenable = store::looks_encrypted(db_path).map_err(|e| match e {
        cdesk_core::CoreError::Io(io) => DbKeyError::Io(io),
        other => DbKeyError::Io(std::io::Error::other(other.to_string())),
    })?;
    if unopenable {
        return Err(DbKeyError::Missing {
            path: db_path.display().to_string(),
            account,
        });
    }
    let key = DbKey::generate();
    secrets.set(&account, &key.to_hex())?;
    // Read back what was kept: should another process have made one at the same moment, both
    // use the one that won.
    match secrets.get(&account)? {
        Some(hex) => kept_key(hex, account),
        None => Err(SecretError::Unavailable("the new database key was not kept".into()).into()),
    }
}

/// The key kept in the keyring under `account`, read from its hex form (wiped after).
fn kept_key(hex: String, account: String) -> Result<DbKey, DbKeyError> {
    let hex = Zeroizing::new(hex);
    DbKey::from_hex(&hex).map_err(|_| DbKeyError::Malformed { account })
}

/// A place for secrets, keyed by account.
pub trait SecretStore: Send {
    fn get(&self, account: &str) -> Result<Option<String>, SecretError>;
    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError>;
    fn delete(&self, account: &str) -> Result<(), SecretError>;
    /// What the person knows this store as, for messages.
    fn name(&self) -> &'static str {
        "secret store"
    }
}

/// Why a secret store failed its start check: secrets put in it would be lost.
#[derive(Debug, Error)]
pub enum SelfCheckError {
    #[error("the {store} cannot be used: {source}")]
    Unavailable {
        store: &'static str,
        #[source]
        source: SecretError,
    },
    #[error("the {store} did not keep a secret written to it: the database key and sign-in would be lost")]
    NotKept { store: &'static str },
    #[error("the {store} gave back another secret than the one written to it")]
    Changed { store: &'static str },
}

/// The self-check's account, before a random suffix (two processes starting at once must not
/// read each other's value).
const SELF_CHECK_ACCOUNT: &str = "self-check";

/// Writes a random secret to `secrets`, reads it back and deletes it. Run at start (the CLI,
/// the app): a store that loses writes (keyring 3 silently falls back to an in-memory mock on
/// a platform whose backend is not compiled in) would otherwise lose a new database key.
pub fn self_check(secrets: &dyn SecretStore) -> Result<(), SelfCheckError> {
    let store = secrets.name();
    let unavailable = |source| SelfCheckError::Unavailable { store, source };
    let value = DbKey::generate().to_hex();
    let account = format!("{SELF_CHECK_ACCOUNT}:{}", &value[..16]);
    secrets.set(&account, &value).map_err(unavailable)?;
    let read = secrets.get(&account).map(|v| v.map(Zeroizing::new));
    // Deleted before the read is judged; a failed delete leaves only a meaningless value.
    if let Err(e) = secrets.delete(&account) {
        tracing::warn!(store, error = %e, "the secret store's self-check entry was not deleted");
    }
    match read.map_err(unavailable)? {
        None => Err(SelfCheckError::NotKept { store }),
        Some(got) if *got != *value => Err(SelfCheckError::Changed { store }),
        Some(_) => {
            tracing::debug!(store, "secret store self-check passed");
            Ok(())
        }
    }
}

/// The OS keyring.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringSecrets;

/// The store keyring uses on this platform (its backend is enabled per platform in the
/// workspace Cargo.toml).
const KEYRING_NAME: &str = if cfg!(windows) {
    "Windows Credential Manager"
} else if cfg!(target_os = "macos") {
    "macOS Keychain"
} else {
    "Secret Service keyring"
};

fn entry(account: &str) -> Result<keyring::Entry, SecretError> {
    keyring::Entry::new(KEYRING_SERVICE, account)
        .map_err(|e| SecretError::Unavailable(e.to_string()))
}

/// The D-Bus errors of a Secret Service that went away mid-call or is not back yet: its daemon
/// crashed or restarted, and the session (D-Bus activation) starts it again. The names are the
/// D-Bus specification's.
const SERVICE_GONE: &[&str] = &[
    "org.freedesktop.DBus.Error.NoReply",
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.Disconnected",
];

fn service_gone(e: &keyring::Error) -> bool {
    matches!(e, keyring::Error::PlatformFailure(_)) && {
        let text = e.to_string();
        SERVICE_GONE.iter().any(|name| text.contains(name))
    }
}

/// Runs a keyring call, and again (for about 1.5 s at most) while the store is restarting: a
/// keyring daemon that restarts is an ordinary event, not a lost key. Every call made through
/// here (get, set the same value, delete) may safely run twice.
fn with_retry<T>(call: impl FnMut() -> keyring::Result<T>) -> keyring::Result<T> {
    use backon::{BlockingRetryable, ExponentialBuilder};
    let backoff = ExponentialBuilder::default()
        .with_min_delay(std::time::Duration::from_millis(50))
        .with_factor(2.0)
        .with_max_times(5);
    call.retry(backoff)
        .sleep(std::thread::sleep)
        .when(service_gone)
        .notify(
            |e, after| tracing::warn!(error = %e, ?after, "the keyring went away; trying again"),
        )
        .call()
}

impl SecretStore for KeyringSecrets {
    fn get(&self, account: &str) -> Result<Option<String>, SecretError> {
        let entry = entry(account)?;
        match with_retry(|| entry.get_password()) {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(SecretError::Unavailable(e.to_string())),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        let entry = entry(account)?;
        with_retry(|| entry.set_password(secret))
            .map_err(|e| SecretError::Unavailable(e.to_string()))
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        let entry = entry(account)?;
        match with_retry(|| entry.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SecretError::Unavailable(e.to_string())),
        }
    }

    fn name(&self) -> &'static str {
        KEYRING_NAME
    }
}

/// Secrets in memory, for tests and for a session that must not persist.
#[derive(Debug, Default)]
pub struct MemorySecrets(Mutex<HashMap<String, String>>);

impl MemorySecrets {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        // A panic while holding this lock cannot leave the map half-written.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, account: &str) -> Result<Option<String>, SecretError> {
        Ok(self.map().get(account).cloned())
    }
    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        self.map().insert(account.to_string(), secret.to_string());
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<(), SecretError> {
        self.map().remove(account);
        Ok(())
    }
    fn name(&self) -> &'static str {
        "in-memory secret store"
    }
}

/// A value that must never reach a log: its `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(pub T);

impl<T> std::fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_values_are_redacted_in_debug() {
        let s = Sensitive("refresh-token-123".to_string());
        assert_eq!(format!("{s:?}"), "<redacted>");
    }

    #[test]
    fn a_database_key_is_made_once_and_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let secrets = MemorySecrets::default();
        let key = database_key(&secrets, &path).unwrap();
        let other_name = dir.path().join(".").join("desk.db");
        assert_eq!(database_key(&secrets, &other_name).unwrap(), key);
        let account = database_key_account(&path).unwrap();
        assert!(account.starts_with("database-key:/"), "{account}");
        store::Store::open_encrypted(&path, &key).unwrap();
        assert_eq!(database_key(&secrets, &path).unwrap(), key);
    }

    #[test]
    fn no_new_key_is_made_over_an_encrypted_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        store::Store::open_encrypted(&path, &DbKey::generate()).unwrap();
        let secrets = MemorySecrets::default();
        let err = database_key(&secrets, &path).unwrap_err();
        assert!(matches!(err, DbKeyError::Missing { .. }), "{err}");
        assert!(err
            .to_string()
            .contains("its key is not in the system keyring"));
        assert_eq!(
            secrets.get(&database_key_account(&path).unwrap()).unwrap(),
            None
        );
    }

    #[test]
    fn a_plain_database_gets_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        drop(store::Store::open(&path).unwrap());
        let secrets = MemorySecrets::default();
        let key = database_key(&secrets, &path).unwrap();
        store::Store::open_encrypted(&path, &key).unwrap();
        assert!(!store::is_plain_database(&path).unwrap());
    }

    /// A store that accepts every write and keeps none (as keyring's mock does across entries).
    struct LosesWrites;

    impl SecretStore for LosesWrites {
        fn get(&self, _: &str) -> Result<Option<String>, SecretError> {
            Ok(None)
        }
        fn set(&self, _: &str, _: &str) -> Result<(), SecretError> {
            Ok(())
        }
        fn delete(&self, _: &str) -> Result<(), SecretError> {
            Ok(())
        }
        fn name(&self) -> &'static str {
            "forgetful store"
        }
    }

    /// A store whose every call fails, as a keyring with no service behind it.
    struct NoService;

    impl SecretStore for NoService {
        fn get(&self, _: &str) -> Result<Option<String>, SecretError> {
            Err(SecretError::Unavailable("no service".into()))
        }
        fn set(&self, _: &str, _: &str) -> Result<(), SecretError> {
            Err(SecretError::Unavailable("no service".into()))
        }
        fn delete(&self, _: &str) -> Result<(), SecretError> {
            Err(SecretError::Unavailable("no service".into()))
        }
    }

    #[test]
    fn the_self_check_passes_on_a_store_that_keeps_secrets_and_leaves_nothing() {
        let secrets = MemorySecrets::default();
        self_check(&secrets).unwrap();
        assert!(secrets.map().is_empty(), "the check entry is deleted");
    }

    #[test]
    fn the_self_check_names_a_store_that_loses_writes() {
        let err = self_check(&LosesWrites).unwrap_err();
        assert!(
            matches!(
                err,
                SelfCheckError::NotKept {
                    store: "forgetful store"
                }
            ),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("the forgetful store did not keep"),
            "{err}"
        );
    }

    #[test]
    fn the_self_check_reports_a_store_that_cannot_be_reached() {
        let err = self_check(&NoService).unwrap_err();
        assert!(
            matches!(
                err,
                SelfCheckError::Unavailable {
                    store: "secret store",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("no service"), "{err}");
    }

    #[test]
    fn the_keyring_is_named_for_its_platform() {
        let name = KeyringSecrets.name();
        if cfg!(target_os = "linux") {
            assert_eq!(name, "Secret Service keyring");
        } else if cfg!(windows) {
            assert_eq!(name, "Windows Credential Manager");
        }
    }

    #[test]
    fn memory_secrets_round_trip() {
        let m = MemorySecrets::default();
        assert_eq!(m.get("a").unwrap(), None);
        m.set("a", "s").unwrap();
        assert_eq!(m.get("a").unwrap().as_deref(), Some("s"));
        m.delete("a").unwrap();
        assert_eq!(m.get("a").unwrap(), None);
    }
}

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
    #[error("the database {path} is encrypted, but its key is not in the system keyring (service {KEYRING_SERVICE}); nothing was changed. Open it with its recovery key (`cdesk recover`)")]
    Missing { path: String },
    /// The file naming the key's keyring entry does not hold an id: a new key would lose the
    /// database.
    #[error("{file} does not hold a key id; it names the database key's keyring entry: restore it, or open the database with its recovery key")]
    BadKeyId { file: String },
    #[error("the database key in the system keyring (account {account}) is malformed")]
    Malformed { account: String },
    #[error("the database folder cannot be read: {0}")]
    Io(#[from] std::io::Error),
}

/// The file beside a database that names its key's keyring entry: a random id, so that the
/// key follows the database when its folder is moved or renamed (the entry used to be named by
/// the database's path, which a move lost).
pub fn key_id_file(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".keyid");
    PathBuf::from(name)
}

/// The keyring account of the key whose id is `id`.
fn account_of(id: &str) -> String {
    format!("database-key:{id}")
}

/// The database's key id, when it has one. A file that does not hold one is an error, not a
/// reason to make a new key.
fn read_key_id(db_path: &Path) -> Result<Option<String>, DbKeyError> {
    let file = key_id_file(db_path);
    match std::fs::read_to_string(&file) {
        Ok(text) => {
            let id = text.trim();
            if id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(Some(id.to_ascii_lowercase()))
            } else {
                Err(DbKeyError::BadKeyId {
                    file: file.display().to_string(),
                })
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The database's key id, made (random) and written beside it when it has none. Written to a
/// temporary file and renamed, so a crash never leaves half an id.
fn key_id(db_path: &Path) -> Result<String, DbKeyError> {
    if let Some(id) = read_key_id(db_path)? {
        return Ok(id);
    }
    let id = uuid::Uuid::new_v4().simple().to_string();
    let file = key_id_file(db_path);
    let mut tmp = file.clone().into_os_string();
    tmp.push(".tmp");
    std::fs::write(&tmp, format!("{id}\n"))?;
    std::fs::rename(&tmp, &file)?;
    Ok(id)
}

/// The keyring account of the key of the database at `db_path` (by its key id), when it has a
/// key id yet.
pub fn database_key_account(db_path: &Path) -> Result<Option<String>, DbKeyError> {
    Ok(read_key_id(db_path)?.map(|id| account_of(&id)))
}

/// Where keys were filed before key ids: under the database's canonical path.
fn path_account(db_path: &Path) -> Result<String, std::io::Error> {
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

/// Files `key` under `account` and reads it back: a store that did not keep it is an error
/// now, not a lost database later. Should another process have filed one at the same moment,
/// the one kept wins.
fn keep(secrets: &dyn SecretStore, account: String, key: &DbKey) -> Result<DbKey, DbKeyError> {
    secrets.set(&account, &key.to_hex())?;
    match secrets.get(&account)? {
        Some(hex) => kept_key(hex, account),
        None => Err(SecretError::Unavailable("the new database key was not kept".into()).into()),
    }
}

/// The key of the database at `db_path` from `secrets`, made (random) and kept there when the
/// database has none yet. Never makes a new key for a file that looks encrypted: that file
/// would be lost to it (its recovery key opens it: [`recover_database_key`]). A key filed under
/// the database's path by an older version is moved under its key id. (A file that is neither
/// a database nor encrypted gets a key, and is then reported as damaged when opened.)
pub fn database_key(secrets: &dyn SecretStore, db_path: &Path) -> Result<DbKey, DbKeyError> {
    if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    if let Some(account) = database_key_account(db_path)? {
        if let Some(hex) = secrets.get(&account)? {
            return kept_key(hex, account);
        }
    }
    let legacy = path_account(db_path)?;
    if let Some(hex) = secrets.get(&legacy)? {
        let key = kept_key(hex, legacy.clone())?;
        let key = keep(secrets, account_of(&key_id(db_path)?), &key)?;
        if let Err(e) = secrets.delete(&legacy) {
            tracing::warn!(error = %e, "the database key filed under its path was not deleted");
        }
        tracing::info!("the database key is now filed under the database's key id");
        return Ok(key);
    }
    let unopenable = store::looks_encrypted(db_path).map_err(io_error)?;
    if unopenable {
        return Err(DbKeyError::Missing {
            path: db_path.display().to_string(),
        });
    }
    let key = DbKey::generate();
    keep(secrets, account_of(&key_id(db_path)?), &key)
}

fn io_error(e: cdesk_core::CoreError) -> DbKeyError {
    match e {
        cdesk_core::CoreError::Io(io) => DbKeyError::Io(io),
        other => DbKeyError::Io(std::io::Error::other(other.to_string())),
    }
}

/// Opens the database at `db_path` with the recovery key a person kept
/// ([`DbKey::recovery_code`]), and files its key in `secrets` for next time: on a new computer,
/// or after the keyring lost it. The key must open the file (or, for a backup restored
/// later, match its salt); nothing is filed otherwise.
pub fn recover_database_key(
    secrets: &dyn SecretStore,
    db_path: &Path,
    recovery_code: &str,
) -> Result<DbKey, RecoverError> {
    let key = DbKey::from_recovery_code(recovery_code).map_err(RecoverError::Code)?;
    store::Store::open_encrypted(db_path, &key).map_err(|e| match e {
        cdesk_core::CoreError::WrongKey { path } => RecoverError::NotThisDatabase { path },
        other => RecoverError::Open(other),
    })?;
    Ok(keep(secrets, account_of(&key_id(db_path)?), &key)?)
}

/// Why a recovery key did not open a database.
#[derive(Debug, Error)]
pub enum RecoverError {
    #[error("{0}")]
    Code(cdesk_core::CoreError),
    #[error("this recovery key is not the key of {path}: it was made for another database")]
    NotThisDatabase { path: String },
    #[error("the database could not be opened with the recovery key: {0}")]
    Open(cdesk_core::CoreError),
    #[error(transparent)]
    Key(#[from] DbKeyError),
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
        let account = database_key_account(&path).unwrap().unwrap();
        let id = std::fs::read_to_string(key_id_file(&path)).unwrap();
        assert_eq!(account, format!("database-key:{}", id.trim()));
        assert_eq!(id.trim().len(), 32, "a random id, not the path: {id}");
        store::Store::open_encrypted(&path, &key).unwrap();
        assert_eq!(database_key(&secrets, &path).unwrap(), key);
    }

    #[test]
    fn a_moved_data_folder_still_opens_with_its_key() {
        let root = tempfile::tempdir().unwrap();
        let before = root.path().join("desk");
        std::fs::create_dir(&before).unwrap();
        let secrets = MemorySecrets::default();
        let key = database_key(&secrets, &before.join("desk.db")).unwrap();
        drop(store::Store::open_encrypted(&before.join("desk.db"), &key).unwrap());
        let after = root.path().join("elsewhere");
        std::fs::rename(&before, &after).unwrap();
        let moved = after.join("desk.db");
        assert_eq!(database_key(&secrets, &moved).unwrap(), key, "the same key");
        store::Store::open_encrypted(&moved, &key).unwrap();
    }

    #[test]
    fn a_key_filed_under_the_path_moves_under_a_key_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let key = DbKey::generate();
        drop(store::Store::open_encrypted(&path, &key).unwrap());
        let secrets = MemorySecrets::default();
        let legacy = path_account(&path).unwrap();
        secrets.set(&legacy, &key.to_hex()).unwrap();
        assert_eq!(database_key(&secrets, &path).unwrap(), key);
        assert_eq!(secrets.get(&legacy).unwrap(), None, "the old entry is gone");
        let account = database_key_account(&path).unwrap().unwrap();
        assert_eq!(
            secrets.get(&account).unwrap().as_deref(),
            Some(key.to_hex().as_str())
        );
    }

    #[test]
    fn the_recovery_key_opens_a_database_whose_keyring_entry_was_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let secrets = MemorySecrets::default();
        let key = database_key(&secrets, &path).unwrap();
        drop(store::Store::open_encrypted(&path, &key).unwrap());
        let code = key.recovery_code();
        // The keyring is wiped: the database is refused, not given a new key.
        secrets.map().clear();
        let err = database_key(&secrets, &path).unwrap_err();
        assert!(matches!(err, DbKeyError::Missing { .. }), "{err}");
        assert!(err.to_string().contains("recovery key"), "{err}");
        // Another database's recovery key is refused, and nothing is filed.
        let stranger = DbKey::generate().recovery_code();
        let err = recover_database_key(&secrets, &path, &stranger).unwrap_err();
        assert!(matches!(err, RecoverError::NotThisDatabase { .. }), "{err}");
        assert!(secrets.map().is_empty());
        let err = recover_database_key(&secrets, &path, "ABCDE-FGHIJ").unwrap_err();
        assert!(matches!(err, RecoverError::Code(_)), "{err}");
        // Its own opens it, and is kept again.
        assert_eq!(recover_database_key(&secrets, &path, &code).unwrap(), key);
        assert_eq!(database_key(&secrets, &path).unwrap(), key);
    }

    #[test]
    fn a_damaged_key_id_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        std::fs::write(key_id_file(&path), "not an id").unwrap();
        let secrets = MemorySecrets::default();
        let err = database_key(&secrets, &path).unwrap_err();
        assert!(matches!(err, DbKeyError::BadKeyId { .. }), "{err}");
        assert!(secrets.map().is_empty());
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
        assert!(secrets.map().is_empty(), "nothing filed");
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

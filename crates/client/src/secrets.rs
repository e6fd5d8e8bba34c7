//! Where the refresh token lives: the OS keyring (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows). Never SQLite, never a config file.

use std::collections::HashMap;
use std::sync::Mutex;

use thiserror::Error;

/// The keyring service name all Channel Desk secrets are filed under.
pub const KEYRING_SERVICE: &str = "app.channeldesk.desktop";

#[derive(Debug, Error)]
pub enum SecretError {
    #[error("the system keyring is not available: {0}")]
    Unavailable(String),
}

/// A place for secrets, keyed by account.
pub trait SecretStore: Send {
    fn get(&self, account: &str) -> Result<Option<String>, SecretError>;
    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError>;
    fn delete(&self, account: &str) -> Result<(), SecretError>;
}

/// The OS keyring.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringSecrets;

fn entry(account: &str) -> Result<keyring::Entry, SecretError> {
    keyring::Entry::new(KEYRING_SERVICE, account)
        .map_err(|e| SecretError::Unavailable(e.to_string()))
}

impl SecretStore for KeyringSecrets {
    fn get(&self, account: &str) -> Result<Option<String>, SecretError> {
        match entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(SecretError::Unavailable(e.to_string())),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        entry(account)?
            .set_password(secret)
            .map_err(|e| SecretError::Unavailable(e.to_string()))
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        match entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SecretError::Unavailable(e.to_string())),
        }
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
    fn memory_secrets_round_trip() {
        let m = MemorySecrets::default();
        assert_eq!(m.get("a").unwrap(), None);
        m.set("a", "s").unwrap();
        assert_eq!(m.get("a").unwrap().as_deref(), Some("s"));
        m.delete("a").unwrap();
        assert_eq!(m.get("a").unwrap(), None);
    }
}

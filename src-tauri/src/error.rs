//! The one error type of the IPC boundary. It crosses to the UI as `{code, message}`: `code`
//! is stable (the UI branches on it, in `ui/src/lib/ipc.ts`), `message` is a sentence for the
//! person. Add a code only when the UI acts on it differently; everything else is `internal`.

use cdesk_client::{SecretError, SessionError};
use cdesk_core::sync::{SyncError, TransportError};
use cdesk_core::CoreError;
use serde::Serialize;

/// An error a command returns to the UI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, specta::Type)]
#[serde(tag = "code", content = "message", rename_all = "snake_case")]
pub enum AppError {
    /// What was typed breaks a rule; the message names the field ("due_on: …").
    #[error("{0}")]
    Invalid(String),
    /// The record is gone (deleted here or by sync).
    #[error("{0}")]
    NotFound(String),
    /// A second record where one is allowed (a partner name, a plan for a fiscal year).
    #[error("{0}")]
    Duplicate(String),
    /// The server cannot be reached; work goes on offline and syncs later.
    #[error("{0}")]
    Offline(String),
    /// Not signed in (or the session expired): sign in again in Settings.
    #[error("{0}")]
    SignedOut(String),
    /// The server needs a newer Channel Desk.
    #[error("{0}")]
    UpgradeRequired(String),
    /// The server refused or answered something unexpected.
    #[error("{0}")]
    Server(String),
    /// The system keyring, where the sign-in is kept, is not available.
    #[error("{0}")]
    Keyring(String),
    /// The database file is damaged: the app offers to restore a backup.
    #[error("{0}")]
    Damaged(String),
    /// The local database or a file could not be read or written.
    #[error("{0}")]
    Storage(String),
    /// A bug: something that should not happen.
    #[error("{0}")]
    Internal(String),
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        let message = e.to_string();
        match e {
            // A backup the person picked that cannot be restored: another one may.
            CoreError::Invalid { .. }
            | CoreError::Csv(_)
            | CoreError::BadBackup { .. }
            | CoreError::ProfileOfAnother { .. } => AppError::Invalid(message),
            CoreError::NotFound { .. } => AppError::NotFound(message),
            CoreError::Duplicate(_) => AppError::Duplicate(message),
            CoreError::Corrupt { .. } => AppError::Damaged(message),
            // Not damage: nothing may offer to replace the file.
            CoreError::SchemaTooNew { .. }
            | CoreError::WrongKey { .. }
            | CoreError::Database(_)
            | CoreError::Migration(_)
            | CoreError::Io(_) => AppError::Storage(message),
            CoreError::Json(_) => AppError::Internal(message),
        }
    }
}

impl From<TransportError> for AppError {
    fn from(e: TransportError) -> Self {
        let message = e.to_string();
        match e {
            TransportError::Offline(_) => AppError::Offline(message),
            TransportError::Unauthorized(_) => AppError::SignedOut(message),
            TransportError::UpgradeRequired(_) => AppError::UpgradeRequired(message),
            TransportError::Server { .. } | TransportError::Garbage(_) => AppError::Server(message),
            // A malformed server URL, plain HTTP to another computer, or a certificate no
            // authority here vouches for: the person fixes it.
            TransportError::BadAddress(_) | TransportError::Untrusted(_) => {
                AppError::Invalid(message)
            }
        }
    }
}

impl From<SessionError> for AppError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Transport(t) => t.into(),
            SessionError::Secrets(s) => s.into(),
            SessionError::SignedOut { .. } => AppError::SignedOut(e.to_string()),
        }
    }
}

impl From<SecretError> for AppError {
    fn from(e: SecretError) -> Self {
        AppError::Keyring(e.to_string())
    }
}

impl From<SyncError> for AppError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Transport(t) => t.into(),
            SyncError::Store(s) => s.into(),
        }
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::Storage(format!("file error: {e}"))
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_error_crosses_ipc_as_code_and_message() {
        let err: AppError =
            CoreError::invalid("due_on", "\"2026-02-30\" is not a valid date").into();
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({"code": "invalid", "message": "due_on: \"2026-02-30\" is not a valid date"}),
            "the UI reads exactly these two keys"
        );
    }

    #[test]
    fn codes_are_snake_case_and_stable() {
        let cases = [
            (AppError::NotFound("x".into()), "not_found"),
            (AppError::SignedOut("x".into()), "signed_out"),
            (AppError::UpgradeRequired("x".into()), "upgrade_required"),
            (AppError::Offline("x".into()), "offline"),
            (AppError::Damaged("x".into()), "damaged"),
        ];
        for (err, code) in cases {
            assert_eq!(serde_json::to_value(&err).unwrap()["code"], code, "{err:?}");
        }
    }

    #[test]
    fn a_bad_server_address_is_the_persons_to_fix() {
        let bad: AppError =
            TransportError::BadAddress("\"http://x.example\" uses plain HTTP".into()).into();
        assert!(matches!(bad, AppError::Invalid(_)), "{bad:?}");
    }

    #[test]
    fn an_unreachable_server_is_offline_not_a_failure() {
        let err: AppError = TransportError::Offline("connection refused".into()).into();
        assert!(matches!(err, AppError::Offline(_)), "{err:?}");
    }

    #[test]
    fn a_damaged_database_is_its_own_code_naming_the_file() {
        let err: AppError = CoreError::Corrupt {
            path: "/tmp/x.db".into(),
            detail: "file is not a database".into(),
        }
        .into();
        assert!(
            matches!(&err, AppError::Damaged(m) if m.contains("/tmp/x.db")),
            "{err:?}"
        );
    }
}

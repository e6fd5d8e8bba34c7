//! One error type for the core, with a stable machine-readable code per variant.
//!
//! The UI and the CLI show `to_string()` to a person; programs match on [`CoreError::code`].

use thiserror::Error;

/// Everything that can go wrong in the core.
#[derive(Debug, Error)]
pub enum CoreError {
    /// Input that breaks a rule of the domain; `field` names what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },

    /// A record that does not exist (or no longer does).
    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: String },

    /// A record that would break a uniqueness rule (e.g. a second plan for one fiscal year).
    #[error("{0}")]
    Duplicate(String),

    /// The database file was written by a newer Channel Desk than this one.
    #[error("the database was written by a newer version of Channel Desk (schema {found}, this version knows up to {known}); update the app")]
    SchemaTooNew { found: i64, known: i64 },

    /// The file is not a Channel Desk database or is damaged.
    #[error("the database file {path} is damaged or not a Channel Desk database: {detail}")]
    Corrupt { path: String, detail: String },

    /// The database is encrypted with a key other than the one given (from the keyring).
    /// Nothing was changed; it is not damage, so no backup is offered in its place.
    #[error("the key in the keyring does not open this database ({path}): it was encrypted with another key; nothing was changed")]
    WrongKey { path: String },

    /// A backup that cannot be restored: damaged, or not a Channel Desk database.
    #[error("the backup {path} cannot be restored: {detail}")]
    BadBackup { path: String, detail: String },

    /// Signing in as someone else on a profile that holds another person's data: their
    /// changes must never be pushed as this person, nor this person read theirs.
    #[error("this Channel Desk profile holds the data of {owner}; sign in as {owner}, or use a profile of your own for {email} (another data folder: `cdesk --data-dir DIR`, or another user account on this computer). Nothing was changed")]
    ProfileOfAnother { owner: String, email: String },

    /// A CSV import that could not be read at all (rows with errors are reported, not raised).
    #[error("CSV: {0}")]
    Csv(String),

    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),

    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),

    #[error("file error: {0}")]
    Io(#[from] std::io::Error),

    #[error("data encoding error: {0}")]
    Json(#[from] serde_json::Error),
}

impl CoreError {
    /// A stable code for programs (UI, `--json` output). Never reword these.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Invalid { .. } => "invalid",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Duplicate(_) => "duplicate",
            CoreError::SchemaTooNew { .. } => "schema_too_new",
            CoreError::Corrupt { .. } => "corrupt",
            CoreError::WrongKey { .. } => "wrong_key",
            CoreError::BadBackup { .. } => "bad_backup",
            CoreError::ProfileOfAnother { .. } => "profile_of_another",
            CoreError::Csv(_) => "csv",
            CoreError::Database(_) => "database",
            CoreError::Migration(_) => "migration",
            CoreError::Io(_) => "io",
            CoreError::Json(_) => "encoding",
        }
    }

    /// Shorthand for a validation error on one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        CoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl From<cdesk_domain::DomainError> for CoreError {
    fn from(e: cdesk_domain::DomainError) -> Self {
        match e {
            cdesk_domain::DomainError::Invalid { field, message } => {
                CoreError::Invalid { field, message }
            }
        }
    }
}

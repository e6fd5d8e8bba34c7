//! What is wrong with a record: the one error of the domain.

use thiserror::Error;

/// A record, or a value for one of its fields, that breaks a rule of the domain.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// `field` names what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
}

impl DomainError {
    /// Shorthand for a validation error on one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;

//! The one error type of the API. Every failure leaves the server as
//! [`cdesk_protocol::ErrorBody`] with a stable `code` and the matching HTTP status.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cdesk_protocol::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Wrong credentials, a missing or unknown access token, a disabled user.
    #[error("{0}")]
    Unauthorized(String),
    #[error("the token has expired")]
    TokenExpired,
    #[error("the token has been revoked")]
    TokenRevoked,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// Well-formed JSON whose content breaks a limit or rule; the message names the field.
    #[error("{0}")]
    Unprocessable(String),
    /// A state clash the client cannot fix by retrying as is (e.g. an already resolved conflict).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    UpgradeRequired(String),
    /// A push whose mutation ids skip ahead of what the server has processed.
    #[error("mutation {got} skips ahead: the server expects mutation {expected} next")]
    Gap { expected: i64, got: i64 },
    /// A push that reuses a mutation id the server already processed with other content: the
    /// device's database was restored from a backup or copied. The client continues as a new
    /// device (protocol docs, "A duplicate proves it is one").
    #[error("mutation {mutation_id} of this device was processed before with other content: this copy of the database was restored or copied, and must continue as a new device")]
    Diverged { mutation_id: i64 },
    /// A pull from a device whose database has made fewer mutations than the server applied
    /// from it: the database was restored from a backup or copied. Its echoes cannot be left
    /// out (it lacks them): like [`ApiError::Diverged`], it continues as a new device.
    #[error("the server applied mutation {applied} of this device, but this database has made only {made}: it was restored from a backup or copied, and must continue as a new device")]
    RolledBack { made: i64, applied: i64 },
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests (per user), or too many failed sign-ins (per email or address).
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after: std::time::Duration,
    },
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// The stable code the client matches on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::TokenExpired => "token_expired",
            ApiError::TokenRevoked => "token_revoked",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Invalid(_) | ApiError::Unprocessable(_) | ApiError::Conflict(_) => "invalid",
            ApiError::UpgradeRequired(_) => "upgrade_required",
            ApiError::Gap { .. } => "gap",
            ApiError::Diverged { .. } | ApiError::RolledBack { .. } => "diverged",
            ApiError::TooLarge(_) => "too_large",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Database(_) | ApiError::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) | ApiError::TokenExpired | ApiError::TokenRevoked => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::BAD_REQUEST,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_)
            | ApiError::Gap { .. }
            | ApiError::Diverged { .. }
            | ApiError::RolledBack { .. } => StatusCode::CONFLICT,
            ApiError::UpgradeRequired(_) => StatusCode::UPGRADE_REQUIRED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Database(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            // The details stay in the log; the client gets a stable, uninformative message.
            ApiError::Database(err) => tracing::error!(error = %err, "database error"),
            ApiError::Internal(msg) => tracing::error!(error = %msg, "internal error"),
            _ => tracing::debug!(code = self.code(), message = %self, "request refused"),
        }
        let mut response = (self.status(), Json(self.body())).into_response();
        if let ApiError::RateLimited { retry_after, .. } = &self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs(*retry_after).into());
        }
        response
    }
}

/// Whole seconds for `Retry-After`, rounded up, at least 1 (0 would invite an immediate retry
/// that is refused again).
pub fn retry_after_secs(wait: std::time::Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

/// A JSON error response from a status, code and message (used by middleware that runs
/// outside the handlers, such as the body limit).
pub fn error_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, Json(ErrorBody::new(code, message))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_names_the_expected_mutation() {
        let err = ApiError::Gap {
            expected: 8,
            got: 10,
        };
        assert_eq!(err.status(), StatusCode::CONFLICT);
        assert_eq!(
            serde_json::to_value(err.body()).unwrap(),
            serde_json::json!({"error": {"code": "gap",
                "message": "mutation 10 skips ahead: the server expects mutation 8 next"}})
        );
    }

    #[test]
    fn rate_limited_answers_429_with_retry_after_in_whole_seconds() {
        let err = ApiError::RateLimited {
            message: "slow down".into(),
            retry_after: std::time::Duration::from_millis(1500),
        };
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2", "rounded up");
        assert_eq!(retry_after_secs(std::time::Duration::ZERO), 1);
    }

    #[test]
    fn database_errors_do_not_leak_details() {
        let err = ApiError::Database(sqlx::Error::PoolTimedOut);
        assert_eq!(err.code(), "internal");
        assert_eq!(err.to_string(), "database error");
    }
}

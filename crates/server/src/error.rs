//! The one error type of the API. Every failure leaves the server as
//! [`cdesk_protocol::ErrorBody`] with a stable `code` and the matching HTTP status.

use axum::http::StatusCode;
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
    /// A state clash the client cannot fix by retrying as is (e.g. an already resolved conflict).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    UpgradeRequired(String),
    /// A push whose mutation ids skip ahead of what the server has processed.
    #[error("mutation {got} skips ahead: the server expects mutation {expected} next")]
    Gap { expected: i64, got: i64 },
    #[error("{0}")]
    TooLarge(String),
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
            ApiError::Invalid(_) | ApiError::Conflict(_) => "invalid",
            ApiError::UpgradeRequired(_) => "upgrade_required",
            ApiError::Gap { .. } => "gap",
            ApiError::TooLarge(_) => "too_large",
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
            ApiError::Conflict(_) | ApiError::Gap { .. } => StatusCode::CONFLICT,
            ApiError::UpgradeRequired(_) => StatusCode::UPGRADE_REQUIRED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
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
        (self.status(), Json(self.body())).into_response()
    }
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
    fn database_errors_do_not_leak_details() {
        let err = ApiError::Database(sqlx::Error::PoolTimedOut);
        assert_eq!(err.code(), "internal");
        assert_eq!(err.to_string(), "database error");
    }
}

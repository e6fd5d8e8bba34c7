//! Request extractors: the authenticated user, the protocol version, and a JSON body whose
//! rejections are [`ApiError`]s (so even a malformed or oversized body gets an `ErrorBody`).

use axum::extract::rejection::JsonRejection;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use cdesk_protocol::{MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION};

use crate::error::ApiError;
use crate::scope::Subject;
use crate::AppState;

/// A JSON request body.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(
                "the request body is larger than the server accepts: send fewer changes at once"
                    .into(),
            )
        } else {
            ApiError::Invalid(rejection.body_text())
        }
    }
}

/// The signed-in user, from `Authorization: Bearer <access token>`. Every request counts
/// against the user's rate limit ([`crate::ratelimit`]).
#[derive(Debug, Clone)]
pub struct AuthUser(pub Subject);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Unauthorized("sign in: no access token was sent".into()))?;
        let user_id = crate::tokens::check_access(&state.pool, token).await?;
        state.limiter.check(&user_id)?;
        let subject = crate::users::subject(&state.pool, &user_id).await?;
        tracing::Span::current().record("user", subject.email.as_str());
        Ok(AuthUser(subject))
    }
}

/// The address the request came from: the TCP peer, when the router is served with connect
/// info ([`crate::serve::serve`] does). `None` when embedded without it.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// The client's sync protocol version; refuses versions this server cannot serve.
#[derive(Debug, Clone, Copy)]
pub struct ProtocolVersion(pub u32);

impl<S: Send + Sync> FromRequestParts<S> for ProtocolVersion {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let raw = parts
            .headers
            .get(PROTOCOL_HEADER)
            .and_then(|v| v.to_str().ok());
        let version = raw.and_then(|v| v.trim().parse::<u32>().ok());
        match version {
            Some(v) if (MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&v) => {
                Ok(ProtocolVersion(v))
            }
            Some(v) if v > PROTOCOL_VERSION => Err(ApiError::UpgradeRequired(format!(
                "this client speaks sync protocol {v}, newer than this server \
                 ({MIN_PROTOCOL_VERSION}..={PROTOCOL_VERSION}); the server must be upgraded"
            ))),
            Some(v) => Err(ApiError::UpgradeRequired(format!(
                "this version of Channel Desk is too old to sync (protocol {v}; the server needs \
                 {MIN_PROTOCOL_VERSION} or later): please upgrade the app"
            ))),
            None => Err(ApiError::UpgradeRequired(format!(
                "this client did not send a valid {PROTOCOL_HEADER} header; \
                 please upgrade Channel Desk"
            ))),
        }
    }
}

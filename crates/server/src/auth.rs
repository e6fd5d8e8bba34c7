//! `POST /v1/auth/login`, `/refresh` and `/logout`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use cdesk_protocol::{ErrorBody, LoginRequest, RefreshRequest, TokenResponse};

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ClientIp};
use crate::tokens::{self, Issued};
use crate::{limits, throttle, users, AppState};

/// The one answer to a wrong email, a wrong password and a disabled user alike.
pub fn bad_credentials() -> ApiError {
    ApiError::Unauthorized("wrong email or password".into())
}

async fn respond(state: &AppState, user_id: &str, issued: Issued) -> ApiResult<TokenResponse> {
    let subject = users::subject(&state.pool, user_id).await?;
    Ok(TokenResponse {
        access_token: issued.access_token,
        expires_in: state.tokens.access_ttl.as_secs(),
        refresh_token: issued.refresh_token,
        user: users::info(&subject),
    })
}

/// Signs in with email and password; starts a new session (token family).
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "wrong email or password, or a disabled user", body = ErrorBody),
        (status = 422, description = "a field over its length limit, named", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed sign-ins for this email or \
            from this address, or too many sign-ins being checked at once; see `Retry-After`",
            body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait"))),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    limits::chars("email", &req.email, limits::MAX_EMAIL_CHARS)?;
    limits::chars("password", &req.password, limits::MAX_PASSWORD_CHARS)?;
    limits::chars(
        "device_name",
        &req.device_name,
        limits::MAX_DEVICE_NAME_CHARS,
    )?;
    let keys = throttle::Keys::new(&req.email, ip);
    let reservation = throttle::reserve(&state.pool, &state.login, &keys).await?;
    // The failure is counted before the wait for a turn: parallel guesses queue here already
    // counted, so no more of them reach argon2 than the throttle allows.
    let turn = match state.password_checks.turn().await {
        Ok(turn) => turn,
        Err(busy) => {
            reservation.release(&state.pool).await?;
            return Err(busy);
        }
    };
    // A database error from here on leaves the attempt counted as a failure: on the safe side.
    let creds = users::credentials(&state.pool, &req.email).await?;
    let hash = creds.as_ref().map(|c| c.password_hash.clone());
    let ok = crate::password::verify(req.password, hash).await?;
    drop(turn);
    let creds = match creds {
        Some(c) if ok && !c.disabled => c,
        _ => {
            tracing::info!(email = %req.email, ip = ?ip, "login refused");
            reservation.failed();
            return Err(bad_credentials());
        }
    };
    reservation.succeeded(&state.pool).await?;
    let device_name = req.device_name.trim().to_string();
    let mut tx = state.pool.begin().await?;
    let issued = tokens::start_family(&mut tx, &creds.id, &device_name, &state.tokens).await?;
    tx.commit().await?;
    tracing::info!(user = %creds.id, device = %device_name, "signed in");
    Ok(Json(respond(&state, &creds.id, issued).await?))
}

/// Spends the refresh token and issues a new pair. A refresh token presented twice revokes its
/// whole session.
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "`token_expired`, or `token_revoked` (unknown, logged out, \
            or reused)", body = ErrorBody),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    limits::chars("refresh_token", &req.refresh_token, limits::MAX_ID_CHARS)?;
    let (user_id, issued) = tokens::rotate(&state.pool, &req.refresh_token, &state.tokens).await?;
    Ok(Json(respond(&state, &user_id, issued).await?))
}

/// Ends the session of this refresh token: its family's tokens stop working. Idempotent.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "signed out")))]
pub async fn logout(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<StatusCode> {
    limits::chars("refresh_token", &req.refresh_token, limits::MAX_ID_CHARS)?;
    if let Some(family) = tokens::family_of_refresh(&state.pool, &req.refresh_token).await? {
        let mut tx = state.pool.begin().await?;
        tokens::revoke_family(&mut tx, &family).await?;
        tx.commit().await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

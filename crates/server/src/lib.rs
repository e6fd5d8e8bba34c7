//! The Channel Desk central API: sign-in with rotating refresh tokens, per-role authorization,
//! and exactly-once push / commit-ordered pull of the records the desktop clients keep offline.
//!
//! Stateless: everything lives in PostgreSQL, so any number of server processes can share one
//! database. Start with [`router`] (tests do, on `127.0.0.1:0`) or the `cdesk-server` binary.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod bounds;
pub mod cli;
pub mod conflicts;
pub mod db;
pub mod digests;
pub mod error;
pub mod extract;
pub mod kinds;
pub mod limits;
pub mod password;
pub mod pull;
pub mod push;
pub mod ratelimit;
pub mod records;
pub mod rescope;
pub mod scope;
pub mod serve;
pub mod stage;
pub mod throttle;
pub mod tokens;
pub mod users;

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use cdesk_protocol::ErrorBody;
use serde::Serialize;
use sqlx::PgPool;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::bounds::{Cap, PasswordChecks, UserSlots};
use crate::error::{error_response, ApiError, ApiResult};
use crate::ratelimit::{RateLimit, UserLimiter};
use crate::throttle::LoginThrottle;
use crate::tokens::TokenConfig;

/// The default request body limit. A call note body may be 10 MB in the client; JSON escaping can
/// grow it, and it must still sync alone in a batch, so the limit leaves room for twice that.
pub const BODY_LIMIT_BYTES: usize = 24 * 1024 * 1024;

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub tokens: TokenConfig,
    pub limiter: Arc<UserLimiter>,
    pub login: LoginThrottle,
    /// The cap on argon2 checks in flight ([`bounds`]).
    pub password_checks: Arc<PasswordChecks>,
    /// The per-user cap on pushes in flight ([`bounds`]).
    pub push_slots: Arc<UserSlots>,
    /// Peers whose `Forwarded` / `X-Forwarded-For` name the client ([`extract::ClientIp`]).
    pub trusted_proxies: Arc<[IpAddr]>,
}

/// Server settings beyond the database.
#[derive(Debug, Clone)]
pub struct Settings {
    pub tokens: TokenConfig,
    pub body_limit: usize,
    /// Requests per user (`None`: unlimited).
    pub rate_limit: Option<RateLimit>,
    pub login: LoginThrottle,
    /// Password checks in flight in this process.
    pub password_checks: Cap,
    /// Pushes in flight per user in this process.
    pub pushes_per_user: Cap,
    /// Reverse proxies trusted to name the client in `Forwarded` / `X-Forwarded-For`; the
    /// headers from any other peer are ignored.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tokens: TokenConfig::default(),
            body_limit: BODY_LIMIT_BYTES,
            rate_limit: Some(RateLimit::default()),
            login: LoginThrottle::default(),
            password_checks: Cap::password_checks(),
            pushes_per_user: Cap::pushes_per_user(),
            trusted_proxies: Vec::new(),
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Channel Desk central API", description = "Sync, auth and conflicts for Channel Desk clients. Every error body is `ErrorBody`."),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, body = Health), (status = 500, body = ErrorBody)))]
async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    sqlx::query("SELECT 1").execute(&state.pool).await?;
    Ok(Json(Health {
        status: "ok".into(),
    }))
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint".into())
}

/// Errors produced outside the handlers (body limit, wrong method) leave as `ErrorBody` too.
async fn json_errors(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json || response.status().is_success() {
        return response;
    }
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the request body is larger than the server accepts: send fewer changes at once",
        ),
        StatusCode::METHOD_NOT_ALLOWED => error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "not_found",
            "this endpoint does not take that method",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid",
            "send JSON with Content-Type: application/json",
        ),
        _ => response,
    }
}

/// Runs each request to its end in a task of its own, even when the client goes away meanwhile.
/// Otherwise a client that disconnects (killed, or tired of waiting) cancels its handler at
/// whatever `.await` it had reached: a push or refresh it will retry is left undone rather than
/// done (finishing is always safe: the retry is recognised as one), and a transaction cut in the
/// middle of its `BEGIN` leaves the pooled connection inside a transaction, for the next request
/// to stumble on ("there is already a transaction in progress").
async fn run_to_completion(req: axum::extract::Request, next: middleware::Next) -> Response {
    use tracing::Instrument;
    match tokio::spawn(next.run(req).in_current_span()).await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "a request's task failed");
            error::ApiError::Internal("the request failed".into()).into_response()
        }
    }
}

/// The routes and their OpenAPI document.
fn api(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(push::push))
        .routes(routes!(pull::pull))
        .routes(routes!(conflicts::list))
        .routes(routes!(conflicts::resolve))
        .routes(routes!(admin::assign, admin::unassign))
        .routes(routes!(audit::list))
        .with_state(state)
        .split_for_parts()
}

/// The whole HTTP service.
pub fn router(pool: PgPool, settings: Settings) -> Router {
    let body_limit = settings.body_limit;
    router_with(state(pool, settings), body_limit)
}

/// The state [`router_with`] serves: tests keep a clone to look at the caps in flight.
pub fn state(pool: PgPool, settings: Settings) -> AppState {
    AppState {
        pool,
        tokens: settings.tokens,
        limiter: Arc::new(UserLimiter::new(settings.rate_limit)),
        login: settings.login,
        password_checks: Arc::new(PasswordChecks::new(settings.password_checks)),
        push_slots: UserSlots::new(settings.pushes_per_user),
        trusted_proxies: settings.trusted_proxies.into(),
    }
}

/// The whole HTTP service over `state`, with requests up to `body_limit` bytes.
pub fn router_with(state: AppState, body_limit: usize) -> Router {
    let (routes, doc) = api(state);
    let doc = Arc::new(doc);
    routes
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()).into_response() }
            }),
        )
        .fallback(not_found)
        .layer(middleware::from_fn(run_to_completion))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(middleware::map_response(json_errors))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    tracing::info_span!("request", method = %req.method(),
                        path = %req.uri().path(), user = tracing::field::Empty)
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_failure(DefaultOnFailure::new().level(Level::WARN)),
        )
}

//! The test harness: a real PostgreSQL (see [`postgres`]), a fresh database per test, and the
//! server running in-process on 127.0.0.1:0, spoken to over HTTP.

#![allow(dead_code)]

pub use cdesk_testkit::postgres;

pub mod binary;

use std::time::Duration;

use cdesk_protocol::{
    Mutation, Op, PullResponse, PushResponse, Role, TokenResponse, PROTOCOL_HEADER,
    PROTOCOL_VERSION,
};
use cdesk_server::tokens::TokenConfig;
use cdesk_server::Settings;
use reqwest::StatusCode;
use serde_json::{json, Map, Value};
use sqlx::PgPool;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub base: String,
    pub pool: PgPool,
    pub http: reqwest::Client,
    /// The server's shared state, to look at (or hold) its caps in flight.
    pub state: cdesk_server::AppState,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub email: String,
    pub access: String,
    pub refresh: String,
}

pub async fn server() -> TestServer {
    server_with(Settings::default()).await
}

pub async fn server_with(settings: Settings) -> TestServer {
    let url = postgres::fresh_database();
    let pool = cdesk_server::db::connect(&url, 20)
        .await
        .expect("connect to the test database");
    cdesk_server::db::migrate(&pool).await.expect("migrate");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    let body_limit = settings.body_limit;
    let state = cdesk_server::state(pool.clone(), settings);
    let app = cdesk_server::router_with(state.clone(), body_limit);
    let server = tokio::spawn(async move {
        let _ = cdesk_server::serve::serve(listener, app, None, std::future::pending()).await;
    });
    TestServer {
        base: format!("http://{addr}"),
        pool,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .expect("http client"),
        state,
        server,
    }
}

pub fn ttl(access_secs: u64, refresh_secs: u64) -> Settings {
    Settings {
        tokens: TokenConfig {
            access_ttl: Duration::from_secs(access_secs),
            refresh_ttl: Duration::from_secs(refresh_secs),
            ..TokenConfig::default()
        },
        ..Settings::default()
    }
}

/// A JSON response: status and body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The `error.code` of an `ErrorBody`.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// `Retry-After` in seconds, if sent.
    pub fn retry_after(&self) -> Option<u64> {
        self.headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
    }

    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("unexpected body ({e}): {}", self.body))
    }
}

impl TestServer {
    pub async fn add_user(&self, email: &str, role: Role, region: Option<&str>) {
        cdesk_server::users::add(&self.pool, email, role, region, PASSWORD)
            .await
            .expect("add user");
    }

    /// The id of the user with this email.
    pub async fn user_id(&self, email: &str) -> String {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .expect("a user")
    }

    pub async fn assign(&self, email: &str, partner: &str) {
        cdesk_server::admin::set_assignment(&self.pool, email, partner, true)
            .await
            .expect("assign");
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{status}: body is not JSON: {text}"))
        };
        Reply {
            status,
            body,
            headers,
        }
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    pub async fn try_login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/v1/auth/login",
            None,
            &json!({"email": email, "password": password, "device_name": "test"}),
        )
        .await
    }

    pub async fn login(&self, email: &str) -> Session {
        let reply = self.try_login(email, PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login {email}: {:?}",
            reply.body
        );
        let t: TokenResponse = reply.parse();
        Session {
            email: email.to_string(),
            access: t.access_token,
            refresh: t.refresh_token,
        }
    }

    /// Creates a user of `role` and signs them in.
    pub async fn user(&self, email: &str, role: Role, region: Option<&str>) -> Session {
        self.add_user(email, role, region).await;
        self.login(email).await
    }

    pub async fn push_raw(&self, s: &Session, device: &str, mutations: &[Mutation]) -> Reply {
        self.post(
            "/v1/sync/push",
            Some(&s.access),
            &json!({"device_id": device, "mutations": mutations}),
        )
        .await
    }

    pub async fn push(&self, s: &Session, device: &str, mutations: &[Mutation]) -> PushResponse {
        let reply = self.push_raw(s, device, mutations).await;
        assert_eq!(reply.status, StatusCode::OK, "push: {:?}", reply.body);
        reply.parse()
    }

    pub async fn pull_page_raw(&self, s: &Session, cursor: i64) -> Reply {
        self.get(&format!("/v1/sync/pull?cursor={cursor}"), Some(&s.access))
            .await
    }

    pub async fn pull_page(&self, s: &Session, cursor: i64, limit: usize) -> PullResponse {
        let reply = self
            .get(
                &format!("/v1/sync/pull?cursor={cursor}&limit={limit}"),
                Some(&s.access),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "pull: {:?}", reply.body);
        reply.parse()
    }

    /// Pulls everything from `cursor` on; returns the final state per record and the cursor.
    pub async fn pull_all(
        &self,
        s: &Session,
        mut cursor: i64,
    ) -> (Vec<cdesk_protocol::Change>, i64) {
        let mut out = Vec::new();
        loop {
            match self.pull_page(s, cursor, 1000).await {
                PullResponse::Changes {
                    changes,
                    cursor: next,
                    has_more,
                    ..
                } => {
                    out.extend(changes);
                    cursor = next;
                    if !has_more {
                        return (out, cursor);
                    }
                }
                PullResponse::Reset { reason } => panic!("unexpected reset: {reason}"),
            }
        }
    }
}

/// An upsert mutation.
pub fn upsert(id: i64, entity: &str, entity_id: &str, patch: Value) -> Mutation {
    Mutation {
        mutation_id: id,
        entity: entity.into(),
        entity_id: entity_id.into(),
        op: Op::Upsert,
        patch: as_map(patch),
        base_versions: Default::default(),
    }
}

pub fn delete(id: i64, entity: &str, entity_id: &str) -> Mutation {
    Mutation {
        mutation_id: id,
        entity: entity.into(),
        entity_id: entity_id.into(),
        op: Op::Delete,
        patch: Map::new(),
        base_versions: Default::default(),
    }
}

pub fn as_map(v: Value) -> Map<String, Value> {
    v.as_object().cloned().expect("a JSON object")
}

/// The status of each result, as a short string (`applied`, `duplicate`, `rejected:<code>`).
pub fn statuses(r: &PushResponse) -> Vec<String> {
    r.results
        .iter()
        .map(|res| match &res.status {
            cdesk_protocol::MutationStatus::Applied { .. } => "applied".to_string(),
            cdesk_protocol::MutationStatus::Duplicate => "duplicate".to_string(),
            cdesk_protocol::MutationStatus::Rejected { code, .. } => format!("rejected:{code}"),
        })
        .collect()
}

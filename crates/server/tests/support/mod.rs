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
    /// Mutations as [`TestServer::complete`] completed them, by their JSON as given.
    completed: std::sync::Mutex<std::collections::HashMap<String, Mutation>>,
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
        completed: Default::default(),
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

    /// Pushes `mutations`, each create completed to a whole record as a client sends it (see
    /// [`TestServer::complete`]), so that a test names only the fields it is about.
    pub async fn push_raw(&self, s: &Session, device: &str, mutations: &[Mutation]) -> Reply {
        let mutations = self.complete(mutations).await;
        self.push_exact(s, device, &mutations).await
    }

    /// Pushes `mutations` exactly as given.
    pub async fn push_exact(&self, s: &Session, device: &str, mutations: &[Mutation]) -> Reply {
        self.post(
            "/v1/sync/push",
            Some(&s.access),
            &json!({"device_id": device, "mutations": mutations}),
        )
        .await
    }

    /// Completes every upsert that creates a record (none of that kind and id stored, nor
    /// created earlier in the batch by a whole record) with the fields it leaves out, from a
    /// whole record of its kind ([`template`]): a client always sends every field of a new
    /// record, and the server refuses a record a client could not store. A mutation pushed
    /// again is completed as it was the first time (a retry sends the same outbox row).
    pub async fn complete(&self, mutations: &[Mutation]) -> Vec<Mutation> {
        let mut created = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(mutations.len());
        for original in mutations {
            let memo_key = serde_json::to_string(original).expect("a mutation is JSON");
            if let Some(done) = self.completed.lock().unwrap().get(&memo_key) {
                out.push(done.clone());
                continue;
            }
            let mut m = original.clone();
            let key = (m.entity.clone(), m.entity_id.clone());
            let storable = !m.entity.contains('\0') && !m.entity_id.contains('\0');
            if m.op == Op::Upsert && storable && !created.contains(&key) {
                let stored: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM records WHERE kind = $1 AND id = $2)",
                )
                .bind(&m.entity)
                .bind(&m.entity_id)
                .fetch_one(&self.pool)
                .await
                .expect("look up a record");
                if !stored {
                    for (field, value) in template(&m.entity).unwrap_or_default() {
                        m.patch.entry(field).or_insert(value);
                    }
                    // A create the contract refuses is not there for what follows it.
                    let mut fields = m.patch.clone();
                    fields.remove("id");
                    if cdesk_domain::record::check(&m.entity, &m.entity_id, &fields).is_ok() {
                        created.insert(key);
                    }
                }
            }
            self.completed.lock().unwrap().insert(memo_key, m.clone());
            out.push(m);
        }
        out
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

/// Every field of a new record of `kind` but its id, valid but for the links a test names
/// (which partner, account or author): the domain's own blank records.
pub fn template(kind: &str) -> Option<Map<String, Value>> {
    use cdesk_core::domain::*;
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 29).expect("a date");
    let nobody = "nobody@x.io";
    let value = match kind {
        "partner" => json!(Partner::new("Partner", Track::Open, Region::Emea, nobody)),
        "person" => json!(Person::new("p", "Person", "person@x.io", "")),
        "enablement_item" => json!(EnablementItem::plan_certification(
            "p",
            "person",
            "sales-core",
            None
        )),
        "business_plan" => json!(BusinessPlan::draft("p", 2027)),
        "account" => json!(Account::new("Account", nobody)),
        "opportunity" => json!(Opportunity::new("a", "Deal", Segment::Smb, day)),
        "call_note" => json!(CallNote::new("Call", "", nobody)),
        "next_step" => json!(NextStep::new("Step", nobody, day)),
        "nfr_request" => json!({"partner_id": "p", "requested_by": nobody,
            "requested_on": "2026-12-01", "contact_name": "Ana", "contact_email": "ana@x.io",
            "purpose": "", "seats": 5, "status": "requested", "status_on": null,
            "refusal_reason": null, "created_at": "", "updated_at": ""}),
        "certification" => json!({"name": "Cert", "validity_months": null, "sort_order": 0}),
        "track_requirement" => json!({"track": "open", "certification_id": "c", "count": 1}),
        "badge" => json!({"name": "Badge", "requires_track_compliance": false}),
        "badge_requirement" => json!({"badge_id": "b", "certification_id": "c", "count": 1}),
        "r7_threshold" => json!({"segment": "smb", "requirement": "pitch_deck",
            "metric": "amount", "threshold": 0}),
        "exchange_rate" => json!({"currency": "EUR", "usd_per_unit": 1_080_000_000,
            "as_of": "2026-12-01"}),
        "journey_capability" => json!({"stage": "established", "area": "Sales",
            "label": "A capability", "sort_order": 0}),
        "curriculum_module" => json!({"level": "core", "section": "Basics",
            "title": "A module", "kind": "video", "minutes": null, "points": null,
            "sort_order": 0}),
        _ => return None,
    };
    let Value::Object(mut fields) = value else {
        return None;
    };
    fields.remove("id");
    // Fixed times: a retried push must carry the same content.
    for time in ["created_at", "updated_at", "occurred_at"] {
        if let Some(v) = fields.get_mut(time) {
            *v = json!("2026-12-01T09:00:00.000Z");
        }
    }
    Some(fields)
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

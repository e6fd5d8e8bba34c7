//! Bounded under load and attack, against the real server: atomic sign-in throttling and the
//! cap on password checks, `--trusted-proxy`, the per-user cap on pushes in flight, the
//! conflicts list paged in SQL, and partner rescopes that hold the sequence counter briefly.

mod conflict_pages;
mod proxy;
mod pushes;
mod rescope;
mod signin;

use std::time::Duration;

use cdesk_server::bounds::Cap;
use serde_json::json;

use crate::support::{Reply, TestServer};

pub(super) fn cap(max: usize, wait: Duration) -> Cap {
    Cap { max, wait }
}

/// Signs in with extra headers (as a reverse proxy, or a client pretending to be one).
pub(super) async fn login_with(
    srv: &TestServer,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> Reply {
    let mut req = srv
        .http
        .post(format!("{}/v1/auth/login", srv.base))
        .json(&json!({"email": email, "password": password, "device_name": "test"}));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.json().await.expect("a JSON body");
    Reply {
        status,
        body,
        headers,
    }
}

pub(super) async fn failures(srv: &TestServer, key: &str) -> Option<i32> {
    sqlx::query_scalar("SELECT failures FROM login_throttle WHERE key = $1")
        .bind(key)
        .fetch_optional(&srv.pool)
        .await
        .unwrap()
}

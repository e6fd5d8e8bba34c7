//! `--trusted-proxy`: `Forwarded` / `X-Forwarded-For` name the client only from that proxy.

use cdesk_protocol::Role;
use cdesk_server::throttle::LoginThrottle;
use cdesk_server::Settings;
use reqwest::StatusCode;
use serde_json::json;

use super::{failures, login_with};
use crate::support::{server_with, PASSWORD};

#[tokio::test]
async fn a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored() {
    let srv = server_with(Settings {
        login: LoginThrottle {
            max_failures_per_ip: 3,
            ..LoginThrottle::default()
        },
        // A proxy exists, but it is not the peer of these requests.
        trusted_proxies: vec!["10.9.9.9".parse().unwrap()],
        ..Settings::default()
    })
    .await;
    srv.add_user("victim@x.io", Role::Cam, None).await;
    // Each guess claims a fresh address, at a fresh email: were the claims believed, no key
    // would ever reach a limit.
    for i in 0..3 {
        let addr = format!("203.0.113.{i}");
        let r = login_with(
            &srv,
            &format!("guess{i}@x.io"),
            "nope",
            &[
                ("x-forwarded-for", addr.as_str()),
                ("forwarded", &format!("for={addr}")),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{:?}", r.body);
    }
    assert_eq!(failures(&srv, "ip:127.0.0.1").await, Some(3));
    let spoofed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM login_throttle WHERE key LIKE 'ip:203.%'")
            .fetch_one(&srv.pool)
            .await
            .unwrap();
    assert_eq!(spoofed, 0, "no claimed address was counted");
    let r = login_with(
        &srv,
        "victim@x.io",
        PASSWORD,
        &[("x-forwarded-for", "198.51.100.77")],
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the real address is blocked, whatever the header claims"
    );
}

#[tokio::test]
async fn a_trusted_proxy_names_the_client_address() {
    let srv = server_with(Settings {
        login: LoginThrottle {
            max_failures_per_ip: 3,
            ..LoginThrottle::default()
        },
        // The test's requests come from 127.0.0.1: they play the proxy.
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Settings::default()
    })
    .await;
    srv.add_user("cam@x.io", Role::Cam, None).await;
    // The client's own claim (1.1.1.1) comes first; the proxy appends the real address.
    for i in 0..3 {
        let r = login_with(
            &srv,
            &format!("guess{i}@x.io"),
            "nope",
            &[("x-forwarded-for", "1.1.1.1, 203.0.113.7")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{:?}", r.body);
    }
    assert_eq!(failures(&srv, "ip:203.0.113.7").await, Some(3));
    assert_eq!(failures(&srv, "ip:1.1.1.1").await, None);
    assert_eq!(failures(&srv, "ip:127.0.0.1").await, None, "not the proxy");
    let r = login_with(
        &srv,
        "cam@x.io",
        PASSWORD,
        &[("forwarded", "for=\"203.0.113.7:5000\";proto=https")],
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "203.0.113.7 is blocked, named by Forwarded too"
    );
    let r = login_with(
        &srv,
        "cam@x.io",
        PASSWORD,
        &[("x-forwarded-for", "198.51.100.2")],
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "another client behind the same proxy is not blocked: {:?}",
        r.body
    );
}

/// `--trusted-proxy` on the real binary: the proxy's header names the client, and the same
/// header from a server without the setting is ignored.
#[tokio::test]
async fn the_binary_takes_trusted_proxy_from_its_command_line() {
    use crate::support::binary::{run, serve};
    let url = crate::support::postgres::fresh_database();
    let db = ["--database-url", url.as_str()];
    let (ok, out) = run(&[&["migrate"][..], &db].concat(), "").await;
    assert!(ok, "migrate: {out}");
    let pool = cdesk_server::db::connect(&url, 2).await.unwrap();
    let http = reqwest::Client::new();
    let guess = |address: String, claimed: &'static str| {
        let http = http.clone();
        async move {
            let r = http
                .post(format!("http://{address}/v1/auth/login"))
                .header("x-forwarded-for", claimed)
                .json(&json!({"email": "nobody@x.io", "password": "wrong"}))
                .send()
                .await
                .expect("login");
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
    };
    let keys = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT key FROM login_throttle WHERE key LIKE 'ip:%' ORDER BY key",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };

    let plain = serve(&db).await;
    guess(plain.address.clone(), "203.0.113.5").await;
    assert_eq!(
        keys().await,
        ["ip:127.0.0.1"],
        "ignored without the setting"
    );
    drop(plain);

    let behind = serve(&[&db[..], &["--trusted-proxy", "10.0.0.9,127.0.0.1"]].concat()).await;
    guess(behind.address.clone(), "203.0.113.5").await;
    assert_eq!(
        keys().await,
        ["ip:127.0.0.1", "ip:203.0.113.5"],
        "named by the trusted proxy"
    );
}

//! Sign-in throttling: per email and per address, 429 with `Retry-After`, reset by success.

use cdesk_protocol::Role;
use cdesk_server::throttle::LoginThrottle;
use cdesk_server::Settings;
use reqwest::StatusCode;

use crate::support::{server, server_with, TestServer, PASSWORD};

async fn fail(srv: &TestServer, email: &str, times: usize) {
    for i in 0..times {
        let r = srv.try_login(email, "not the password").await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "failure {} of {times} for {email} is still only wrong: {:?}",
            i + 1,
            r.body
        );
    }
}

#[tokio::test]
async fn five_failures_block_the_email_even_for_the_right_password() {
    let srv = server().await;
    srv.add_user("cam@x.io", Role::Cam, None).await;
    srv.add_user("other@x.io", Role::Cam, None).await;
    fail(
        &srv,
        "cam@x.io",
        LoginThrottle::default().max_failures_per_email as usize,
    )
    .await;

    let r = srv.try_login("cam@x.io", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{:?}", r.body);
    assert_eq!(r.code(), "rate_limited");
    let wait = r.retry_after().expect("a Retry-After header");
    assert!(
        (1..=60).contains(&wait),
        "the first block lasts the base lockout (60 s): {wait}"
    );
    let r = srv.try_login("CAM@x.io ", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the email is counted normalized"
    );
    let r = srv.try_login("other@x.io", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "another email is not blocked");
}

#[tokio::test]
async fn a_block_ends_and_the_next_failure_blocks_twice_as_long() {
    let srv = server().await;
    srv.add_user("cam@x.io", Role::Cam, None).await;
    fail(&srv, "cam@x.io", 5).await;
    assert_eq!(
        srv.try_login("cam@x.io", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The block runs out (moved into the past rather than waited for).
    sqlx::query("UPDATE login_throttle SET blocked_until = now() - interval '1 second'")
        .execute(&srv.pool)
        .await
        .unwrap();
    fail(&srv, "cam@x.io", 1).await;
    let r = srv.try_login("cam@x.io", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = r.retry_after().unwrap();
    assert!((61..=120).contains(&wait), "doubled to 120 s: {wait}");
}

#[tokio::test]
async fn a_successful_sign_in_clears_the_emails_failures() {
    let srv = server().await;
    srv.add_user("cam@x.io", Role::Cam, None).await;
    fail(&srv, "cam@x.io", 4).await;
    assert_eq!(
        srv.try_login("cam@x.io", PASSWORD).await.status,
        StatusCode::OK
    );
    // Four more: without the reset the fifth failure in a row would have blocked already.
    fail(&srv, "cam@x.io", 4).await;
    assert_eq!(
        srv.try_login("cam@x.io", PASSWORD).await.status,
        StatusCode::OK,
        "eight failures, but never five in a row"
    );
}

#[tokio::test]
async fn many_failures_from_one_address_block_it_for_every_email() {
    let srv = server_with(Settings {
        login: LoginThrottle {
            max_failures_per_ip: 6,
            ..LoginThrottle::default()
        },
        ..Settings::default()
    })
    .await;
    srv.add_user("victim@x.io", Role::Cam, None).await;
    // Two guesses each at three accounts: no email reaches its limit of 5.
    for email in ["a@x.io", "b@x.io", "c@x.io"] {
        fail(&srv, email, 2).await;
    }
    let r = srv.try_login("victim@x.io", PASSWORD).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "the address is blocked: {:?}",
        r.body
    );
    assert!(r.retry_after().is_some());
}

#[tokio::test]
async fn failures_older_than_the_window_are_forgotten() {
    let srv = server().await;
    srv.add_user("cam@x.io", Role::Cam, None).await;
    fail(&srv, "cam@x.io", 4).await;
    // Sixteen minutes pass (moved back rather than waited for).
    sqlx::query("UPDATE login_throttle SET last_failure = now() - interval '16 minutes'")
        .execute(&srv.pool)
        .await
        .unwrap();
    fail(&srv, "cam@x.io", 1).await;
    assert_eq!(
        srv.try_login("cam@x.io", PASSWORD).await.status,
        StatusCode::OK,
        "the fifth failure is the first within 15 minutes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_failures_are_all_counted_and_never_a_server_error() {
    let srv = std::sync::Arc::new(
        server_with(Settings {
            login: LoginThrottle {
                max_failures_per_ip: 1000,
                ..LoginThrottle::default()
            },
            ..Settings::default()
        })
        .await,
    );
    srv.add_user("cam@x.io", Role::Cam, None).await;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let srv = srv.clone();
            // Half guess at one account, half at others: the address's row is shared by all.
            let email = if i % 2 == 0 {
                "cam@x.io".to_string()
            } else {
                format!("u{i}@x.io")
            };
            tokio::spawn(async move { srv.try_login(&email, "not the password").await })
        })
        .collect();
    let mut wrong = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            StatusCode::UNAUTHORIZED => wrong += 1,
            // cam@x.io blocked by the failures that came first.
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}: {:?}", r.body),
        }
    }
    let ip_failures: i32 =
        sqlx::query_scalar("SELECT failures FROM login_throttle WHERE key LIKE 'ip:%'")
            .fetch_one(&srv.pool)
            .await
            .unwrap();
    assert_eq!(
        ip_failures, wrong,
        "every attempt that reached the password check counted once, none lost"
    );
    let r = srv.try_login("cam@x.io", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "cam@x.io is blocked"
    );
}

//! Sign-in throttling is atomic: parallel guesses cannot pass it; password checks are capped.

use std::sync::Arc;
use std::time::Duration;

use cdesk_protocol::Role;
use cdesk_server::throttle::LoginThrottle;
use cdesk_server::Settings;
use reqwest::StatusCode;

use super::{cap, failures};
use crate::support::{server_with, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_check_no_more_passwords_than_the_limit() {
    let srv = Arc::new(
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
    let limit = LoginThrottle::default().max_failures_per_email as usize;
    let guesses: Vec<_> = (0..40)
        .map(|i| {
            let srv = srv.clone();
            tokio::spawn(async move { srv.try_login("cam@x.io", &format!("guess {i}")).await })
        })
        .collect();
    let (mut checked, mut refused) = (0, 0);
    for g in guesses {
        let r = g.await.unwrap();
        match r.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(r.code(), "rate_limited");
                assert!(r.retry_after().is_some());
                refused += 1;
            }
            other => panic!("{other}: {:?}", r.body),
        }
    }
    assert_eq!(
        checked, limit,
        "exactly the limit of guesses had their password checked ({refused} refused)"
    );
    assert_eq!(failures(&srv, "email:cam@x.io").await, Some(limit as i32));
    assert_eq!(
        failures(&srv, "ip:127.0.0.1").await,
        Some(limit as i32),
        "refused attempts are not counted against the address"
    );
    let r = srv.try_login("cam@x.io", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the lockout holds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn successful_sign_ins_take_their_counted_attempt_back() {
    let srv = Arc::new(
        server_with(Settings {
            login: LoginThrottle {
                max_failures_per_ip: 3,
                ..LoginThrottle::default()
            },
            ..Settings::default()
        })
        .await,
    );
    for i in 0..8 {
        srv.add_user(&format!("u{i}@x.io"), Role::Cam, None).await;
    }
    // Eight right passwords at once from one address whose limit is 3: each is counted while
    // it is checked, but none may block the address or be left counted.
    let logins: Vec<_> = (0..8)
        .map(|i| {
            let srv = srv.clone();
            tokio::spawn(async move { srv.try_login(&format!("u{i}@x.io"), PASSWORD).await })
        })
        .collect();
    let mut ok = 0;
    for l in logins {
        let r = l.await.unwrap();
        match r.status {
            StatusCode::OK => ok += 1,
            // A block set by attempts still in flight, taken back when they succeeded.
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}: {:?}", r.body),
        }
    }
    assert!(ok >= 3, "at least the address's limit got through: {ok}");
    assert_eq!(
        failures(&srv, "ip:127.0.0.1").await,
        None,
        "nothing left counted"
    );
    assert_eq!(
        srv.try_login("u0@x.io", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn password_checks_over_the_cap_wait_then_get_429_and_count_nothing() {
    let srv = server_with(Settings {
        password_checks: cap(1, Duration::from_millis(200)),
        ..Settings::default()
    })
    .await;
    srv.add_user("cam@x.io", Role::Cam, None).await;
    // Every turn is taken (as by a flood of sign-ins being checked).
    let turn = srv.state.password_checks.turn().await.unwrap();
    let r = srv.try_login("cam@x.io", PASSWORD).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{:?}",
        r.body
    );
    assert!(r.retry_after().is_some());
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("busy checking other sign-ins"),
        "{:?}",
        r.body
    );
    assert_eq!(failures(&srv, "email:cam@x.io").await, None, "not counted");
    assert_eq!(failures(&srv, "ip:127.0.0.1").await, None, "not counted");
    drop(turn);
    assert_eq!(
        srv.try_login("cam@x.io", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_sign_ins_queues_for_one_password_check_and_all_succeed() {
    let srv = Arc::new(
        server_with(Settings {
            password_checks: cap(1, Duration::from_secs(120)),
            ..Settings::default()
        })
        .await,
    );
    for i in 0..6 {
        srv.add_user(&format!("u{i}@x.io"), Role::Cam, None).await;
    }
    let logins: Vec<_> = (0..6)
        .map(|i| {
            let srv = srv.clone();
            tokio::spawn(async move { srv.try_login(&format!("u{i}@x.io"), PASSWORD).await })
        })
        .collect();
    for l in logins {
        let r = l.await.unwrap();
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }
}

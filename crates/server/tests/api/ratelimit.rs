//! The per-user request rate limit.

use std::num::NonZeroU32;

use cdesk_protocol::Role;
use cdesk_server::ratelimit::RateLimit;
use cdesk_server::Settings;
use reqwest::StatusCode;

use crate::support::server_with;

#[tokio::test]
async fn a_user_over_the_rate_limit_gets_429_with_retry_after_and_others_do_not() {
    let srv = server_with(Settings {
        rate_limit: Some(RateLimit {
            per_second: NonZeroU32::MIN,
            burst: NonZeroU32::new(3).unwrap(),
        }),
        ..Settings::default()
    })
    .await;
    let busy = srv.user("busy@x.io", Role::Cam, None).await;
    let calm = srv.user("calm@x.io", Role::Cam, None).await;
    for i in 0..3 {
        let r = srv.get("/v1/conflicts", Some(&busy.access)).await;
        assert_eq!(r.status, StatusCode::OK, "request {i} is within the burst");
    }
    let r = srv.get("/v1/conflicts", Some(&busy.access)).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        "{:?}",
        r.body
    );
    assert_eq!(
        r.retry_after(),
        Some(1),
        "one request a second: wait a second"
    );
    let r = srv.pull_page_raw(&busy, 0).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "sync counts too");
    let r = srv.get("/v1/conflicts", Some(&calm.access)).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "another user has their own bucket"
    );
}

#[tokio::test]
async fn the_default_limit_lets_a_client_pull_a_thousand_pages_in_a_burst() {
    let srv = server_with(Settings::default()).await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    for i in 0..RateLimit::default().burst.get() {
        let r = srv.pull_page_raw(&admin, 0).await;
        assert_eq!(r.status, StatusCode::OK, "pull {i}: {:?}", r.body);
    }
}

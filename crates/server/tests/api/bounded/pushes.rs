//! One user's pushes in flight are capped, so one user cannot take the connection pool.

use std::sync::Arc;
use std::time::Duration;

use cdesk_protocol::{MutationStatus, Role};
use cdesk_server::Settings;
use reqwest::StatusCode;
use serde_json::json;

use super::cap;
use crate::support::{server_with, upsert};

#[tokio::test]
async fn a_users_push_over_the_cap_gets_429_and_other_users_are_not_held_up() {
    let srv = server_with(Settings {
        pushes_per_user: cap(1, Duration::from_millis(100)),
        ..Settings::default()
    })
    .await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let other = srv.user("other@x.io", Role::Admin, None).await;
    let admin_id = srv.user_id("admin@x.io").await;
    // The admin's only slot is taken, as by a push still running.
    let slot = srv.state.push_slots.acquire(&admin_id).await.unwrap();
    let batch = [upsert(1, "badge", "b-1", json!({"name": "b"}))];
    let r = srv.push_raw(&admin, "laptop", &batch).await;
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
            .contains("pushes in progress"),
        "{:?}",
        r.body
    );
    let r = srv
        .push(
            &other,
            "desk",
            &[upsert(1, "badge", "b-2", json!({"name": "c"}))],
        )
        .await;
    assert!(matches!(
        r.results[0].status,
        MutationStatus::Applied { .. }
    ));
    drop(slot);
    let r = srv.push(&admin, "laptop", &batch).await;
    assert!(
        matches!(r.results[0].status, MutationStatus::Applied { .. }),
        "the refused push was not half-applied and goes through now: {r:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_of_one_user_stay_under_the_cap_and_all_apply() {
    let srv = Arc::new(
        server_with(Settings {
            pushes_per_user: cap(2, Duration::from_secs(120)),
            ..Settings::default()
        })
        .await,
    );
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let pushes: Vec<_> = (0..8)
        .map(|d| {
            let (srv, admin) = (srv.clone(), admin.clone());
            tokio::spawn(async move {
                let batch: Vec<_> = (1..=20)
                    .map(|i| upsert(i, "badge", &format!("b-{d}-{i}"), json!({"name": "b"})))
                    .collect();
                srv.push(&admin, &format!("device-{d}"), &batch).await
            })
        })
        .collect();
    for p in pushes {
        let r = p.await.unwrap();
        assert!(r
            .results
            .iter()
            .all(|r| matches!(r.status, MutationStatus::Applied { .. })));
    }
    let peak = srv.state.push_slots.peak();
    assert!((1..=2).contains(&peak), "at most 2 in flight: {peak}");
    assert_eq!(srv.state.push_slots.users(), 0, "no slot left held");
}

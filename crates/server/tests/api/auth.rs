use std::time::Duration;

use cdesk_protocol::{Role, TokenResponse};
use cdesk_server::tokens::TokenConfig;
use cdesk_server::Settings;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{server, server_with, ttl, Reply, TestServer, PASSWORD};

#[tokio::test]
async fn login_returns_tokens_and_the_user() {
    let srv = server().await;
    srv.add_user("Cam@Example.com", Role::Cam, None).await;
    let reply = srv.try_login("cam@example.com", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let t: TokenResponse = reply.parse();
    assert_eq!(t.user.email, "cam@example.com", "emails are normalized");
    assert_eq!(t.user.role, Role::Cam);
    assert_eq!(
        t.expires_in,
        15 * 60,
        "access tokens live 15 minutes by default"
    );
    assert_ne!(t.access_token, t.refresh_token);
    let conflicts = srv.get("/v1/conflicts", Some(&t.access_token)).await;
    assert_eq!(conflicts.status, StatusCode::OK, "the access token works");
}

#[tokio::test]
async fn wrong_password_unknown_user_and_disabled_user_look_the_same() {
    let srv = server().await;
    srv.add_user("rep@example.com", Role::Rep, None).await;
    srv.add_user("gone@example.com", Role::Rep, None).await;
    cdesk_server::users::disable(&srv.pool, "gone@example.com")
        .await
        .unwrap();
    let wrong = srv.try_login("rep@example.com", "not the password").await;
    let unknown = srv.try_login("nobody@example.com", PASSWORD).await;
    let disabled = srv.try_login("gone@example.com", PASSWORD).await;
    for r in [&wrong, &unknown, &disabled] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.code(), "unauthorized");
    }
    assert_eq!(wrong.body, unknown.body, "no hint which emails exist");
    assert_eq!(
        wrong.body, disabled.body,
        "no hint that the account is disabled"
    );
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions() {
    let srv = server().await;
    let s = srv.user("rep@example.com", Role::Rep, None).await;
    cdesk_server::users::disable(&srv.pool, "rep@example.com")
        .await
        .unwrap();
    let r = srv.get("/v1/conflicts", Some(&s.access)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = srv
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn refresh_rotates_and_spends_the_old_token() {
    let srv = server().await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let r = srv
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let next: TokenResponse = r.parse();
    assert_ne!(next.refresh_token, s.refresh, "a new refresh token");
    assert_ne!(next.access_token, s.access, "a new access token");
    let r = srv.get("/v1/conflicts", Some(&next.access_token)).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = srv
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": next.refresh_token}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the rotated token refreshes again"
    );
}

async fn refresh(srv: &TestServer, token: &str) -> Reply {
    srv.post("/v1/auth/refresh", None, &json!({"refresh_token": token}))
        .await
}

#[tokio::test]
async fn reusing_a_spent_refresh_token_revokes_the_whole_family() {
    let srv = server().await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let first: TokenResponse = refresh(&srv, &s.refresh).await.parse();
    // The holder moves on with its new token.
    let second: TokenResponse = refresh(&srv, &first.refresh_token).await.parse();
    // Someone replays a spent token (a copy of it leaked).
    let replay = refresh(&srv, &s.refresh).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.code(), "token_revoked");
    // The legitimate holder's newer tokens are dead too.
    let r = refresh(&srv, &second.refresh_token).await;
    assert_eq!(
        r.code(),
        "token_revoked",
        "the family's newest refresh token is revoked"
    );
    let r = srv.get("/v1/conflicts", Some(&second.access_token)).await;
    assert_eq!(r.code(), "token_revoked", "and its access token");
    // Another session of the same user is untouched.
    let other = srv.login("cam@example.com").await;
    let r = srv.get("/v1/conflicts", Some(&other.access)).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_refresh_whose_answer_was_lost_gets_the_same_answer_again() {
    let srv = server().await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    // Two answers lost in a row (connection cut, client killed before storing them).
    let lost: TokenResponse = refresh(&srv, &s.refresh).await.parse();
    let lost_again: TokenResponse = refresh(&srv, &s.refresh).await.parse();
    let retry = refresh(&srv, &s.refresh).await;
    assert_eq!(retry.status, StatusCode::OK, "{:?}", retry.body);
    let kept: TokenResponse = retry.parse();
    assert_eq!(
        (&lost.refresh_token, &lost.access_token),
        (&kept.refresh_token, &kept.access_token),
        "a retry is answered with the same pair"
    );
    assert_eq!(lost_again.refresh_token, kept.refresh_token);
    let next: TokenResponse = refresh(&srv, &kept.refresh_token).await.parse();
    assert_ne!(next.refresh_token, kept.refresh_token);
    let r = srv.get("/v1/conflicts", Some(&next.access_token)).await;
    assert_eq!(r.status, StatusCode::OK);
}

/// A killed client's refresh can reach the server after the client's next run has refreshed
/// with the same token and stored the answer: the late duplicate must not end the session.
#[tokio::test]
async fn a_late_duplicate_of_a_refresh_changes_nothing() {
    let srv = server().await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let stored: TokenResponse = refresh(&srv, &s.refresh).await.parse();
    let r = srv.get("/v1/conflicts", Some(&stored.access_token)).await;
    assert_eq!(r.status, StatusCode::OK);
    let late: TokenResponse = refresh(&srv, &s.refresh).await.parse();
    assert_eq!(late.refresh_token, stored.refresh_token);
    let r = srv.get("/v1/conflicts", Some(&stored.access_token)).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the stored access token still works"
    );
    let next = refresh(&srv, &stored.refresh_token).await;
    assert_eq!(next.status, StatusCode::OK, "{:?}", next.body);
}

/// A thief replaying a copied token while the holder's new pair is unused gets nothing new:
/// the holder's own pair. The two then hold one chain, and as soon as one of them presents a
/// token the other has moved past, the family ends for both.
#[tokio::test]
async fn a_thief_replaying_a_spent_token_shares_the_holders_chain_until_it_ends_it() {
    let srv = server().await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let holder: TokenResponse = refresh(&srv, &s.refresh).await.parse();
    let thief: TokenResponse = refresh(&srv, &s.refresh).await.parse();
    assert_eq!(
        (&thief.refresh_token, &thief.access_token),
        (&holder.refresh_token, &holder.access_token)
    );
    // The thief moves on, twice; the holder's token is now two steps behind.
    let t1: TokenResponse = refresh(&srv, &thief.refresh_token).await.parse();
    let t2: TokenResponse = refresh(&srv, &t1.refresh_token).await.parse();
    let r = refresh(&srv, &holder.refresh_token).await;
    assert_eq!(r.code(), "token_revoked");
    let r = refresh(&srv, &t2.refresh_token).await;
    assert_eq!(r.code(), "token_revoked", "the thief is out too");
    let r = srv.get("/v1/conflicts", Some(&t2.access_token)).await;
    assert_eq!(r.code(), "token_revoked");
}

#[tokio::test]
async fn a_spent_token_presented_after_the_retry_grace_revokes_the_family() {
    let srv = server_with(Settings {
        tokens: TokenConfig {
            retry_grace: Duration::ZERO,
            ..TokenConfig::default()
        },
        ..Settings::default()
    })
    .await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let first: TokenResponse = refresh(&srv, &s.refresh).await.parse();
    let r = refresh(&srv, &s.refresh).await;
    assert_eq!(r.code(), "token_revoked");
    let r = refresh(&srv, &first.refresh_token).await;
    assert_eq!(r.code(), "token_revoked", "the family is revoked");
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let srv = server().await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let r = srv
        .post(
            "/v1/auth/logout",
            None,
            &json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = srv
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(r.code(), "token_revoked");
    let r = srv.get("/v1/conflicts", Some(&s.access)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "token_revoked");
    let again = srv
        .post(
            "/v1/auth/logout",
            None,
            &json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT, "logout is idempotent");
}

#[tokio::test]
async fn unknown_refresh_token_is_revoked_and_missing_access_token_unauthorized() {
    let srv = server().await;
    let r = srv
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": "cdr_made_up"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "token_revoked")
    );
    let r = srv.get("/v1/conflicts", None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let r = srv.get("/v1/conflicts", Some("cda_made_up")).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
}

#[tokio::test]
async fn expired_access_token_is_token_expired() {
    // Access tokens that expire as soon as they are issued.
    let srv = server_with(ttl(0, 3600)).await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let r = srv.get("/v1/conflicts", Some(&s.access)).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "token_expired")
    );
    let r = srv
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "the refresh token still works");
}

#[tokio::test]
async fn expired_refresh_token_is_token_expired() {
    let srv = server_with(ttl(900, 0)).await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let r = srv
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "token_expired")
    );
}

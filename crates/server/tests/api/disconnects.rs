//! A client that goes away while its request runs (killed, or tired of waiting) must not leave
//! the request half done: the server finishes it, and the client's retry is recognised as one.

use std::time::{Duration, Instant};

use cdesk_protocol::Role;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::support::server;

#[tokio::test]
async fn a_refresh_whose_client_hangs_up_is_still_carried_out() {
    let srv = server().await;
    let s = srv.user("cam@example.com", Role::Cam, None).await;
    let body = serde_json::json!({ "refresh_token": s.refresh }).to_string();
    let request = format!(
        "POST /v1/auth/refresh HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    );
    let addr = srv.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(request.as_bytes()).await.unwrap();
    // Hang up without reading the answer.
    tcp.shutdown().await.unwrap();
    drop(tcp);

    let hash = Sha256::digest(s.refresh.as_bytes()).to_vec();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let spent: Option<bool> = sqlx::query_scalar(
            "SELECT spent_at IS NOT NULL FROM refresh_tokens WHERE token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&srv.pool)
        .await
        .unwrap();
        if spent == Some(true) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the refresh was abandoned with its client"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The client's retry gets the answer it missed, and the session goes on.
    let retry = srv
        .post(
            "/v1/auth/refresh",
            None,
            &serde_json::json!({ "refresh_token": s.refresh }),
        )
        .await;
    assert_eq!(retry.status, reqwest::StatusCode::OK, "{:?}", retry.body);
}

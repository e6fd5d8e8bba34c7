use cdesk_protocol::{Role, MAX_PUSH_BATCH};
use cdesk_server::Settings;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{delete, server, server_with, statuses, upsert};

#[tokio::test]
async fn a_body_over_the_limit_is_413_json() {
    let srv = server_with(Settings {
        body_limit: 1024 * 1024,
        ..Settings::default()
    })
    .await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let big = "x".repeat(2 * 1024 * 1024);
    let r = srv
        .push_raw(
            &cam,
            "dev",
            &[upsert(
                1,
                "partner",
                "p1",
                json!({"owner": "cam@x.io", "account_notes": big}),
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "too_large");

    // Without a Content-Length (streamed), the limit holds too.
    let body = serde_json::to_vec(&json!({"device_id": "dev", "mutations": [
        upsert(1, "partner", "p1", json!({"owner": "cam@x.io", "account_notes": big}))]}))
    .unwrap();
    let stream = futures_stream(body);
    let resp = srv
        .http
        .post(format!("{}/v1/sync/push", srv.base))
        .bearer_auth(&cam.access)
        .header(cdesk_protocol::PROTOCOL_HEADER, "1")
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_large");
}

fn futures_stream(
    body: Vec<u8>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    tokio_stream::iter(chunks)
}

#[tokio::test]
async fn a_ten_megabyte_note_syncs_alone_in_a_batch() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let body = "Notes from the call.\n\"quoted\"\n".repeat(10 * 1024 * 1024 / 30);
    let r = srv
        .push(
            &cam,
            "dev",
            &[
                upsert(
                    1,
                    "partner",
                    "p1",
                    json!({"owner": "cam@x.io", "region": "emea"}),
                ),
                upsert(
                    2,
                    "call_note",
                    "n1",
                    json!({"partner_id": "p1", "author": "cam@x.io", "body": body}),
                ),
            ],
        )
        .await;
    assert_eq!(statuses(&r), ["applied", "applied"]);
    let (changes, _) = srv.pull_all(&cam, 0).await;
    let note = changes.iter().find(|c| c.entity_id == "n1").unwrap();
    assert_eq!(note.fields["body"].as_str().map(str::len), Some(body.len()));
}

#[tokio::test]
async fn too_many_mutations_in_one_push_is_too_large() {
    let srv = server().await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let batch: Vec<_> = (1..=(MAX_PUSH_BATCH as i64 + 1))
        .map(|i| upsert(i, "badge", &format!("b{i}"), json!({})))
        .collect();
    let r = srv.push_raw(&admin, "dev", &batch).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
    );
    let ok = srv.push(&admin, "dev", &batch[..MAX_PUSH_BATCH]).await;
    assert_eq!(ok.last_mutation_id, MAX_PUSH_BATCH as i64);
}

#[tokio::test]
async fn malformed_json_and_unknown_routes_are_error_bodies() {
    let srv = server().await;
    let resp = srv
        .http
        .post(format!("{}/v1/auth/login", srv.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid");
    let r = srv.get("/v1/nothing-here", None).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));
    let r = srv.get("/health", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");
}

#[tokio::test]
async fn a_record_field_over_its_limit_rejects_that_mutation_naming_the_field() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let r = srv
        .push(
            &cam,
            "dev",
            &[
                upsert(
                    1,
                    "partner",
                    "p1",
                    json!({"owner": "cam@x.io", "region": "emea",
                    "name": "x".repeat(201)}),
                ),
                upsert(
                    2,
                    "partner",
                    "p1",
                    json!({"owner": "cam@x.io", "region": "emea",
                    "name": "Acme"}),
                ),
                upsert(
                    3,
                    "call_note",
                    "n1",
                    json!({"partner_id": "p1", "author": "cam@x.io",
                    "title": "t".repeat(501)}),
                ),
                upsert(
                    4,
                    "call_note",
                    "n2",
                    json!({"partner_id": "p1", "author": "cam@x.io",
                    "body": "nul \u{0} byte"}),
                ),
                upsert(
                    5,
                    "call_note",
                    "n3",
                    json!({"partner_id": "p1", "author": "cam@x.io",
                    "title": "t".repeat(500)}),
                ),
            ],
        )
        .await;
    assert_eq!(
        statuses(&r),
        [
            "rejected:invalid",
            "applied",
            "rejected:invalid",
            "rejected:invalid",
            "applied"
        ],
        "the queue goes on past a refused change"
    );
    let message = |i: usize| match &r.results[i].status {
        cdesk_protocol::MutationStatus::Rejected { message, .. } => message.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        message(0),
        "partner.name is 201 characters; at most 200 characters"
    );
    assert_eq!(
        message(2),
        "call_note.title is 501 characters; at most 500 characters"
    );
    assert!(
        message(3).starts_with("call_note.body contains a NUL"),
        "{}",
        message(3)
    );
    assert_eq!(r.last_mutation_id, 5);
}

#[tokio::test]
async fn request_fields_over_their_limits_are_422_naming_the_field() {
    let srv = server().await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    for (body, field) in [
        (
            json!({"email": format!("{}@x.io", "a".repeat(300)), "password": "p"}),
            "email",
        ),
        (
            json!({"email": "a@x.io", "password": "p".repeat(1025)}),
            "password",
        ),
        (
            json!({"email": "a@x.io", "password": "p", "device_name": "d".repeat(201)}),
            "device_name",
        ),
        (json!({"email": "a\u{0}@x.io", "password": "p"}), "email"),
    ] {
        let r = srv.post("/v1/auth/login", None, &body).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            "{field}: {:?}",
            r.body
        );
        let message = r.body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(field), "names {field}: {message}");
    }
    let r = srv
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": "t".repeat(201)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = srv
        .post(
            "/v1/admin/assignments",
            Some(&admin.access),
            &json!({"email": "rep@x.io", "partner_id": "p".repeat(201)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("partner_id"));
}

#[tokio::test]
async fn a_resolution_over_the_fields_limit_is_422_naming_the_field() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    srv.push(
        &cam,
        "a",
        &[upsert(
            1,
            "partner",
            "p1",
            json!({"owner": "cam@x.io", "region": "emea",
            "name": "Acme"}),
        )],
    )
    .await;
    srv.push(
        &admin,
        "b",
        &[upsert(1, "partner", "p1", json!({"name": "Acme Ltd"}))],
    )
    .await;
    let mut edit = upsert(2, "partner", "p1", json!({"name": "Acme Inc"}));
    edit.base_versions.insert("name".into(), 1);
    srv.push(&cam, "a", &[edit]).await;
    let conflicts = srv.get("/v1/conflicts", Some(&cam.access)).await;
    let id = conflicts.body["conflicts"][0]["id"]
        .as_str()
        .expect("a conflict")
        .to_string();
    let path = format!("/v1/conflicts/{id}/resolve");
    let r = srv
        .post(&path, Some(&cam.access), &json!({"value": "n".repeat(201)}))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        "{:?}",
        r.body
    );
    assert_eq!(
        r.body["error"]["message"],
        "value: partner.name is 201 characters; at most 200 characters"
    );
    let r = srv
        .post(&path, Some(&cam.access), &json!({"value": "Acme"}))
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a value within the limit resolves it"
    );
}

#[tokio::test]
async fn a_record_id_postgres_cannot_store_is_rejected_not_a_server_error() {
    let srv = server().await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let r = srv
        .push(
            &admin,
            "dev",
            &[
                upsert(1, "badge", "b\u{0}1", json!({"name": "x"})),
                upsert(2, "bad\u{0}ge", "b2", json!({"name": "y"})),
                delete(3, "badge", "b\u{0}3"),
                upsert(4, "badge", "b4", json!({"name": "z"})),
            ],
        )
        .await;
    assert_eq!(
        statuses(&r),
        [
            "rejected:invalid",
            "rejected:invalid",
            "rejected:invalid",
            "applied"
        ]
    );
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM rejected_mutations")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(kept, 3, "the rejections are kept for support");
}

//! `GET /v1/conflicts` is filtered by visibility and paged in SQL.

use cdesk_protocol::{MutationStatus, Role};
use cdesk_server::Settings;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{server_with, upsert, TestServer};

/// Makes `n` open conflicts on partner `partner`, created in `n / 3` distinct instants (so the
/// page order has ties on `created_at` to break by id).
async fn many_conflicts(srv: &TestServer, partner: &str, n: i64) {
    sqlx::query(
        "INSERT INTO conflicts (id, kind, entity_id, field, overwritten_value, overwritten_by,
             written_value, written_by, seq, created_at)
         SELECT $1 || '-' || lpad(i::text, 6, '0'), 'partner', $1, 'account_notes',
                to_jsonb(i), 'a@x.io', to_jsonb(-i), 'b@x.io', 1,
                timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => (i % ($2 / 3 + 1)))
         FROM generate_series(1, $2) AS i",
    )
    .bind(partner)
    .bind(n)
    .execute(&srv.pool)
    .await
    .unwrap();
}

async fn conflicts_page(
    srv: &TestServer,
    token: &str,
    query: &str,
) -> cdesk_protocol::ConflictList {
    let r = srv.get(&format!("/v1/conflicts{query}"), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.parse()
}

#[tokio::test]
async fn the_conflicts_list_is_filtered_and_paged_in_sql() {
    let srv = server_with(Settings::default()).await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let other = srv.user("other@x.io", Role::Cam, None).await;
    for (s, id) in [(&cam, "p-mine"), (&other, "p-theirs")] {
        let r = srv
            .push(
                s,
                &format!("laptop-{id}"),
                &[upsert(
                    1,
                    "partner",
                    id,
                    json!({"name": id, "owner": s.email, "region": "emea"}),
                )],
            )
            .await;
        assert!(matches!(
            r.results[0].status,
            MutationStatus::Applied { .. }
        ));
    }
    many_conflicts(&srv, "p-mine", 1234).await;
    many_conflicts(&srv, "p-theirs", 2000).await;
    // Resolved ones are not listed.
    sqlx::query(
        "UPDATE conflicts SET resolved_at = now(), resolved_by = 'cam@x.io'
         WHERE entity_id = 'p-mine' AND id LIKE '%0'",
    )
    .execute(&srv.pool)
    .await
    .unwrap();
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM conflicts WHERE entity_id = 'p-mine' AND resolved_at IS NULL",
    )
    .fetch_one(&srv.pool)
    .await
    .unwrap();

    let first = conflicts_page(&srv, &cam.access, "").await;
    assert_eq!(first.conflicts.len(), 500, "the default (and largest) page");
    assert!(first.next_cursor.is_some());

    let mut seen = Vec::new();
    let mut query = "?limit=100".to_string();
    let mut pages = 0;
    loop {
        let page = conflicts_page(&srv, &cam.access, &query).await;
        pages += 1;
        assert!(page.conflicts.len() <= 100);
        seen.extend(page.conflicts);
        match page.next_cursor {
            Some(next) => query = format!("?limit=100&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, open, "every open conflict of mine, once");
    assert_eq!(pages, (open as usize).div_ceil(100));
    assert!(seen
        .iter()
        .all(|c| c.entity_id == "p-mine" && c.resolved_at.is_none()));
    let keys: Vec<_> = seen
        .iter()
        .map(|c| (c.created_at.clone(), c.id.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "oldest first, ties by id, no repeats");

    // The client follows the pages.
    let (base, token) = (srv.base.clone(), cam.access.clone());
    let all = tokio::task::spawn_blocking(move || cdesk_client::Api::new(&base)?.conflicts(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(all.conflicts.len() as i64, open);

    let r = srv.get("/v1/conflicts?after=nope", Some(&cam.access)).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
    );
    let theirs = conflicts_page(&srv, &other.access, "?limit=1").await;
    assert_eq!(theirs.conflicts[0].entity_id, "p-theirs");
}

#[tokio::test]
async fn openapi_documents_conflict_paging() {
    let srv = server_with(Settings::default()).await;
    let doc = srv.get("/openapi.json", None).await.body;
    let params = doc["paths"]["/v1/conflicts"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    for name in ["limit", "after"] {
        assert!(
            params
                .iter()
                .any(|p| p["name"] == name && p["in"] == "query"),
            "GET /v1/conflicts documents ?{name}"
        );
    }
    let list = &doc["components"]["schemas"]["ConflictList"]["properties"];
    assert!(list.get("next_cursor").is_some(), "{list}");
}

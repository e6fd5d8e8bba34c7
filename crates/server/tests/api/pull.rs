use cdesk_protocol::{MutationStatus, Op, PullResponse, Role, MAX_PULL_PAGE};
use serde_json::json;

use crate::support::{delete, server, upsert, Session, TestServer};

/// Where `s`'s pull stands now: the cursor after everything it may read.
async fn cursor_now(srv: &TestServer, s: &Session) -> i64 {
    match srv.pull_page(s, 0, 100).await {
        PullResponse::Changes { cursor, .. } => cursor,
        PullResponse::Reset { .. } => panic!("no reset expected"),
    }
}

/// What `device` of `s` pulls after `cursor` (its echoes left out): each record with its
/// operation, in order, and the new cursor.
async fn pull_as(
    srv: &TestServer,
    s: &Session,
    cursor: i64,
    device: &str,
) -> (Vec<(String, Op)>, i64) {
    let reply = srv
        .get(
            &format!("/v1/sync/pull?cursor={cursor}&limit=100&device={device}"),
            Some(&s.access),
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::OK, "{:?}", reply.body);
    match reply.parse() {
        PullResponse::Changes {
            changes, cursor, ..
        } => (
            changes.into_iter().map(|c| (c.entity_id, c.op)).collect(),
            cursor,
        ),
        PullResponse::Reset { .. } => panic!("no reset expected"),
    }
}

#[tokio::test]
async fn pull_pages_in_seq_order_and_ends_at_the_global_max() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let other = srv.user("cam2@x.io", Role::Cam, None).await;
    let mine: Vec<_> = (1..=25)
        .map(|i| {
            upsert(
                i,
                "partner",
                &format!("p{i:02}"),
                json!({"name": format!("P{i}"), "owner": "cam@x.io", "region": "emea"}),
            )
        })
        .collect();
    srv.push(&cam, "dev-a", &mine).await;
    // Changes the CAM may not see come last: the final cursor still moves past them.
    srv.push(
        &other,
        "dev-b",
        &[upsert(
            1,
            "partner",
            "q1",
            json!({"owner": "cam2@x.io", "region": "emea"}),
        )],
    )
    .await;

    let mut cursor = 0;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let PullResponse::Changes {
            changes,
            cursor: next,
            has_more,
            ..
        } = srv.pull_page(&cam, cursor, 10).await
        else {
            panic!("no reset expected");
        };
        pages += 1;
        assert!(changes.len() <= 10);
        assert!(next > cursor, "the cursor advances");
        seen.extend(changes.iter().map(|c| (c.seq, c.entity_id.clone())));
        cursor = next;
        if !has_more {
            break;
        }
    }
    assert_eq!(pages, 3, "25 changes in pages of 10");
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "seq order");
    assert!(
        seen.iter().all(|(_, id)| id.starts_with('p')),
        "only the CAM's partners"
    );
    assert_eq!(
        cursor, 26,
        "the last page's cursor is the global max, past q1"
    );
    let PullResponse::Changes { changes, .. } = srv.pull_page(&cam, cursor, 10).await else {
        panic!()
    };
    assert!(changes.is_empty());
}

#[tokio::test]
async fn pull_carries_fields_versions_and_tombstones() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    srv.push(
        &cam,
        "dev-a",
        &[
            upsert(
                1,
                "partner",
                "p1",
                json!({"name": "A", "owner": "cam@x.io", "region": "emea"}),
            ),
            upsert(
                2,
                "person",
                "pe1",
                json!({"partner_id": "p1", "name": "Ann"}),
            ),
            upsert(3, "person", "pe1", json!({"name": "Ann B"})),
        ],
    )
    .await;
    let (changes, cursor) = srv.pull_all(&cam, 0).await;
    let person = changes.iter().find(|c| c.entity_id == "pe1").unwrap();
    assert_eq!(person.op, Op::Upsert);
    assert_eq!(person.fields["name"], "Ann B");
    assert_eq!(
        person.fields["partner_id"], "p1",
        "all fields, not the patch"
    );
    assert_eq!(person.field_versions["name"], 3);
    assert_eq!(person.field_versions["partner_id"], 2);

    srv.push(&cam, "dev-a", &[delete(4, "person", "pe1")]).await;
    let (changes, _) = srv.pull_all(&cam, cursor).await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].op, Op::Delete);
    assert_eq!(changes[0].entity_id, "pe1");
    assert!(changes[0].fields.is_empty(), "a tombstone has no fields");

    // Someone who never could read the person does not see its tombstone.
    let other = srv.user("cam2@x.io", Role::Cam, None).await;
    let (changes, _) = srv.pull_all(&other, 0).await;
    assert!(changes.iter().all(|c| c.entity_id != "pe1"));
}

#[tokio::test]
async fn a_cursor_ahead_of_the_server_is_reset() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    match srv.pull_page(&cam, 1_000, 10).await {
        PullResponse::Reset { reason } => assert!(reason.contains("again"), "{reason}"),
        other => panic!("expected a reset, got {other:?}"),
    }
}

#[tokio::test]
async fn the_page_size_is_clamped() {
    let srv = server().await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    for ids in [1..=500, 501..=1000, 1001..=1100] {
        let batch: Vec<_> = ids
            .map(|i| upsert(i, "certification", &format!("c{i}"), json!({"name": "x"})))
            .collect();
        srv.push(&admin, "dev-a", &batch).await;
    }
    let PullResponse::Changes {
        changes, has_more, ..
    } = srv.pull_page(&admin, 0, 1_000_000).await
    else {
        panic!()
    };
    assert_eq!(changes.len(), MAX_PULL_PAGE);
    assert!(has_more);
    let r = srv
        .get("/v1/sync/pull?cursor=-1", Some(&admin.access))
        .await;
    assert_eq!(r.code(), "invalid");
}

#[tokio::test]
async fn a_hundred_thousand_records_pull_in_pages_fast() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let other = srv.user("cam2@x.io", Role::Cam, None).await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    srv.push(
        &cam,
        "dev-a",
        &[upsert(
            1,
            "partner",
            "mine",
            json!({"owner": "cam@x.io", "region": "emea"}),
        )],
    )
    .await;
    srv.push(
        &other,
        "dev-b",
        &[upsert(
            1,
            "partner",
            "theirs",
            json!({"owner": "cam2@x.io", "region": "emea"}),
        )],
    )
    .await;
    // Bulk-load as the server would store them: people alternating between the two partners.
    let n: i64 = 100_000;
    sqlx::query(
        "INSERT INTO records (kind, id, fields, field_versions, field_writers, seq, root_partner_id)
         SELECT 'person', 'pe' || g,
                jsonb_build_object('name', 'Person ' || g,
                    'partner_id', CASE WHEN g % 2 = 0 THEN 'mine' ELSE 'theirs' END),
                '{}', '{}', 2 + g, CASE WHEN g % 2 = 0 THEN 'mine' ELSE 'theirs' END
         FROM generate_series(1, $1) g",
    )
    .bind(n)
    .execute(&srv.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE seq_counter SET value = $1")
        .bind(2 + n)
        .execute(&srv.pool)
        .await
        .unwrap();
    sqlx::query("ANALYZE records")
        .execute(&srv.pool)
        .await
        .unwrap();

    let started = std::time::Instant::now();
    let (changes, cursor) = srv.pull_all(&cam, 0).await;
    let cam_time = started.elapsed();
    assert_eq!(
        changes.len() as i64,
        n / 2 + 1,
        "half the people and the partner"
    );
    assert_eq!(cursor, 2 + n);

    let started = std::time::Instant::now();
    let (changes, _) = srv.pull_all(&admin, 0).await;
    let admin_time = started.elapsed();
    assert_eq!(changes.len() as i64, n + 2);
    eprintln!("pulled 100k records: cam {cam_time:?}, admin {admin_time:?}");
    assert!(
        cam_time.as_secs() < 30 && admin_time.as_secs() < 30,
        "paged pulls of 100k records stay fast (cam {cam_time:?}, admin {admin_time:?})"
    );
}

#[tokio::test]
async fn every_page_names_the_database_epoch_which_renews_after_a_restore() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let epoch_of = |r: PullResponse| match r {
        PullResponse::Changes { epoch, .. } => epoch,
        PullResponse::Reset { reason } => panic!("unexpected reset: {reason}"),
    };
    let first = epoch_of(srv.pull_page(&cam, 0, 10).await);
    assert!(!first.is_empty());
    assert_eq!(epoch_of(srv.pull_page(&cam, 0, 10).await), first, "stable");
    let renewed = cdesk_server::db::renew_epoch(&srv.pool).await.unwrap();
    assert_ne!(renewed, first);
    assert_eq!(epoch_of(srv.pull_page(&cam, 0, 10).await), renewed);
}

/// A device that names itself is not sent back what it pushed, while anything another device
/// wrote into the same records still comes; the cursor moves past the left-out records.
#[tokio::test]
async fn a_device_is_not_sent_its_own_echoes() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let partner = |i: i64, id: &str| {
        upsert(
            i,
            "partner",
            id,
            json!({"name": id, "owner": "cam@x.io", "region": "emea"}),
        )
    };
    let start = cursor_now(&srv, &cam).await;
    srv.push(
        &cam,
        "dev-a",
        &[partner(1, "p1"), partner(2, "p2"), partner(3, "p3")],
    )
    .await;
    // Another device of the CAM edits one field of p2.
    srv.push(
        &cam,
        "dev-b",
        &[upsert(1, "partner", "p2", json!({"name": "P2 renamed"}))],
    )
    .await;
    // And dev-a deletes p3: a tombstone always comes.
    srv.push(&cam, "dev-a", &[delete(4, "partner", "p3")]).await;

    let (to_a, cursor_a) = pull_as(&srv, &cam, start, "dev-a").await;
    assert_eq!(
        to_a,
        vec![
            ("p2".to_string(), Op::Upsert),
            ("p3".to_string(), Op::Delete)
        ],
        "p1 is dev-a's own echo; p2 carries dev-b's edit"
    );
    let (to_b, cursor_b) = pull_as(&srv, &cam, start, "dev-b").await;
    assert_eq!(
        to_b,
        vec![
            ("p1".to_string(), Op::Upsert),
            ("p2".to_string(), Op::Upsert),
            ("p3".to_string(), Op::Delete)
        ]
    );
    assert_eq!(
        cursor_a, cursor_b,
        "the cursor moves past left-out records too"
    );

    let reply = srv
        .get(
            "/v1/sync/pull?cursor=0&device=not%20a%20device",
            Some(&cam.access),
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::BAD_REQUEST);
}

/// Pages of nothing but echoes are read past within one request, not answered empty.
#[tokio::test]
async fn a_device_whose_database_made_fewer_mutations_than_were_applied_is_told_it_diverged() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let other = srv.user("other@x.io", Role::Cam, None).await;
    let partner = |i: i64, id: &str| {
        upsert(
            i,
            "partner",
            id,
            json!({"name": id, "owner": "cam@x.io", "region": "emea"}),
        )
    };
    srv.push(&cam, "dev-a", &[partner(1, "p1"), partner(2, "p2")])
        .await;
    let pull = |made: &str, user: &Session| {
        let path = format!("/v1/sync/pull?cursor=0&device=dev-a&made={made}");
        let token = user.access.clone();
        let srv = &srv;
        async move { srv.get(&path, Some(&token)).await }
    };
    // A database restored to before its second mutation: its echo p2 must not be left out.
    let reply = pull("1", &cam).await;
    assert_eq!(
        reply.status,
        reqwest::StatusCode::CONFLICT,
        "{:?}",
        reply.body
    );
    assert_eq!(reply.body["error"]["code"], "diverged");
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("applied mutation 2 of this device, but this database has made only 1"),
        "{:?}",
        reply.body
    );
    // Up to date (or ahead, with mutations still to push): an ordinary pull.
    for made in ["2", "5"] {
        assert_eq!(pull(made, &cam).await.status, reqwest::StatusCode::OK);
    }
    // Another user's pull naming that device id learns nothing about it.
    assert_eq!(pull("0", &other).await.status, reqwest::StatusCode::OK);
    let reply = pull("-1", &cam).await;
    assert_eq!(reply.status, reqwest::StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn pages_of_echoes_are_read_past() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let mine: Vec<_> = (1..=25)
        .map(|i| {
            upsert(
                i,
                "partner",
                &format!("p{i:02}"),
                json!({"name": format!("P{i}"), "owner": "cam@x.io", "region": "emea"}),
            )
        })
        .collect();
    srv.push(&cam, "dev-a", &mine).await;
    srv.push(
        &cam,
        "dev-b",
        &[upsert(1, "partner", "p25", json!({"name": "P25 renamed"}))],
    )
    .await;
    let reply = srv
        .get(
            "/v1/sync/pull?cursor=1&limit=10&device=dev-a",
            Some(&cam.access),
        )
        .await;
    let PullResponse::Changes {
        changes,
        cursor,
        has_more,
        ..
    } = reply.parse()
    else {
        panic!("no reset expected");
    };
    let ids: Vec<_> = changes.iter().map(|c| c.entity_id.as_str()).collect();
    assert_eq!(ids, ["p25"], "24 echoes read past in one request");
    assert!(!has_more);
    assert_eq!(cursor, changes[0].seq);
}

/// Rows written before the `writer` column (migration 20261124000000) hold every writer in
/// `field_writers` and no `writer`: they are still echoes to their device, and still conflict
/// only with other devices.
#[tokio::test]
async fn records_stored_before_the_writer_column_read_as_before() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let start = cursor_now(&srv, &cam).await;
    let fields = json!({"name": "Acme", "owner": "cam@x.io", "region": "emea"});
    srv.push(&cam, "dev-a", &[upsert(1, "partner", "p1", fields)])
        .await;
    let stored: (Option<String>, serde_json::Value) =
        sqlx::query_as("SELECT writer, field_writers FROM records WHERE id = 'p1'")
            .fetch_one(&srv.pool)
            .await
            .unwrap();
    assert_eq!(stored, (Some("dev-a".into()), json!({})), "stored once");
    sqlx::query(
        "UPDATE records SET writer = NULL,
             field_writers = '{\"name\": \"dev-a\", \"owner\": \"dev-a\", \"region\": \"dev-a\"}'
         WHERE id = 'p1'",
    )
    .execute(&srv.pool)
    .await
    .unwrap();

    assert_eq!(
        pull_as(&srv, &cam, start, "dev-a").await.0,
        [],
        "its own echo"
    );
    assert_eq!(pull_as(&srv, &cam, start, "dev-b").await.0.len(), 1);

    // Both edit the name from base version 0: only the other device's edit is a conflict.
    let own = srv
        .push(
            &cam,
            "dev-a",
            &[upsert(2, "partner", "p1", json!({"name": "Acme A"}))],
        )
        .await;
    assert!(
        matches!(&own.results[0].status, MutationStatus::Applied { conflicts, .. } if conflicts.is_empty()),
        "{own:?}"
    );
    let other = srv
        .push(
            &cam,
            "dev-b",
            &[upsert(1, "partner", "p1", json!({"name": "Acme B"}))],
        )
        .await;
    let MutationStatus::Applied { conflicts, .. } = &other.results[0].status else {
        panic!("{other:?}");
    };
    assert_eq!(conflicts.len(), 1, "{other:?}");
    assert_eq!(conflicts[0].overwritten_value, json!("Acme A"));
}

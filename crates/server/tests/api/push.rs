use cdesk_protocol::{MutationStatus, Role, PROTOCOL_HEADER};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{delete, server, statuses, upsert};

fn partner(owner: &str) -> serde_json::Value {
    json!({"name": "Acme", "owner": owner, "region": "emea", "track": "open"})
}

#[tokio::test]
async fn a_batch_pushed_twice_is_applied_once() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let batch = vec![
        upsert(1, "partner", "p1", partner("cam@x.io")),
        upsert(
            2,
            "person",
            "pe1",
            json!({"partner_id": "p1", "name": "Ann"}),
        ),
        upsert(
            3,
            "partner",
            "p1",
            json!({"account_notes": "met at summit"}),
        ),
    ];
    let first = srv.push(&cam, "dev-a", &batch).await;
    assert_eq!(statuses(&first), ["applied", "applied", "applied"]);
    assert_eq!(first.last_mutation_id, 3);
    let max_seq: i64 = sqlx::query_scalar("SELECT value FROM seq_counter")
        .fetch_one(&srv.pool)
        .await
        .unwrap();

    let again = srv.push(&cam, "dev-a", &batch).await;
    assert_eq!(statuses(&again), ["duplicate", "duplicate", "duplicate"]);
    assert_eq!(again.last_mutation_id, 3);
    let after: i64 = sqlx::query_scalar("SELECT value FROM seq_counter")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(after, max_seq, "a retried batch takes no new seq");

    // A retry that overlaps: old ids are duplicates, the new one applies.
    let mut overlap = batch[1..].to_vec();
    overlap.push(upsert(4, "person", "pe1", json!({"name": "Ann B."})));
    let r = srv.push(&cam, "dev-a", &overlap).await;
    assert_eq!(statuses(&r), ["duplicate", "duplicate", "applied"]);
}

/// id, seq, deleted, root_partner_id, root_account_id, fields
type StoredRow = (
    String,
    i64,
    bool,
    Option<String>,
    Option<String>,
    serde_json::Value,
);

/// A push reads, numbers and writes its batch through one stage and saves it in bulk: each
/// mutation must still see the records earlier ones in the batch made, numbers must stay
/// consecutive, and what is stored and pulled must be what the mutations made, in order.
#[tokio::test]
async fn a_batch_builds_on_its_own_earlier_mutations() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let batch = vec![
        upsert(1, "partner", "p1", partner("cam@x.io")),
        upsert(
            2,
            "account",
            "a1",
            json!({"name": "Initech", "partner_id": "p1", "owner": "rep@x.io"}),
        ),
        upsert(
            3,
            "opportunity",
            "o1",
            json!({"name": "Renewal", "account_id": "a1"}),
        ),
        // Its roots come from o1, still unsaved when it is applied.
        upsert(
            4,
            "call_note",
            "n1",
            json!({"title": "Kickoff", "author": "cam@x.io", "opportunity_id": "o1"}),
        ),
        upsert(5, "call_note", "n1", json!({"title": "Kickoff call"})),
        upsert(
            6,
            "call_note",
            "n2",
            json!({"title": "Wrong partner", "author": "cam@x.io", "partner_id": "p1"}),
        ),
        delete(7, "call_note", "n2"),
        upsert(
            8,
            "partner",
            "p1",
            json!({"account_notes": "met at summit"}),
        ),
    ];
    let r = srv.push(&cam, "dev-a", &batch).await;
    assert_eq!(statuses(&r), ["applied"; 8], "{r:?}");
    let seqs: Vec<i64> = r
        .results
        .iter()
        .map(|res| match res.status {
            MutationStatus::Applied { seq, .. } => seq,
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<_>>(), "consecutive, in order");
    let counter: i64 = sqlx::query_scalar("SELECT value FROM seq_counter")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(counter, 8, "the counter holds the last number handed out");

    let rows: Vec<StoredRow> = sqlx::query_as(
        "SELECT id, seq, deleted, root_partner_id, root_account_id, fields FROM records
             ORDER BY seq",
    )
    .fetch_all(&srv.pool)
    .await
    .unwrap();
    let by_id = |id: &str| rows.iter().find(|r| r.0 == id).expect(id).clone();
    let n1 = by_id("n1");
    assert_eq!(n1.1, 5, "n1's last change");
    assert_eq!(
        (n1.3.as_deref(), n1.4.as_deref()),
        (Some("p1"), Some("a1")),
        "a note under an opportunity made in the same batch hangs under its account and partner"
    );
    assert_eq!(n1.5["title"], "Kickoff call");
    assert_eq!(n1.5["author"], "cam@x.io", "earlier fields kept");
    assert!(
        by_id("n2").2,
        "created and deleted in one batch: a tombstone"
    );
    let p1 = by_id("p1");
    assert_eq!((p1.1, &p1.5["name"]), (8, &json!("Acme")));
    assert_eq!(p1.5["account_notes"], "met at summit");

    let (changes, _) = srv.pull_all(&cam, 0).await;
    let pulled: Vec<(&str, i64)> = changes
        .iter()
        .map(|c| (c.entity_id.as_str(), c.seq))
        .collect();
    assert_eq!(
        pulled,
        [("a1", 2), ("o1", 3), ("n1", 5), ("n2", 7), ("p1", 8)],
        "each record once, at its last change"
    );
}

#[tokio::test]
async fn a_gap_is_refused_naming_the_expected_id_and_keeps_what_came_before() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let r = srv
        .push_raw(
            &cam,
            "dev-a",
            &[
                upsert(1, "partner", "p1", partner("cam@x.io")),
                upsert(3, "partner", "p2", partner("cam@x.io")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "gap");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expects mutation 2"),
        "{:?}",
        r.body
    );
    let stored: Vec<String> = sqlx::query_scalar("SELECT id FROM records ORDER BY id")
        .fetch_all(&srv.pool)
        .await
        .unwrap();
    assert_eq!(stored, ["p1"], "mutation 1 is committed, 3 is not applied");
    let r = srv
        .push(
            &cam,
            "dev-a",
            &[upsert(2, "partner", "p2", partner("cam@x.io"))],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"]);
}

#[tokio::test]
async fn a_rejected_mutation_is_reported_and_does_not_block_the_queue() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let r = srv
        .push(
            &cam,
            "dev-a",
            &[
                upsert(1, "partner", "p1", partner("someone-else@x.io")),
                upsert(2, "badge", "psp", json!({"name": "PSP"})),
                upsert(3, "partner", "p2", json!({"nmae": "typo"})),
                upsert(4, "partner", "p3", partner("cam@x.io")),
            ],
        )
        .await;
    assert_eq!(
        statuses(&r),
        [
            "rejected:forbidden",
            "rejected:forbidden",
            "rejected:invalid",
            "applied"
        ]
    );
    assert_eq!(r.last_mutation_id, 4, "rejections advance the queue");
    let logged: i64 = sqlx::query_scalar("SELECT count(*) FROM rejected_mutations")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(logged, 3, "every rejection is logged");
    let again = srv
        .push(
            &cam,
            "dev-a",
            &[upsert(2, "badge", "psp", json!({"name": "PSP"}))],
        )
        .await;
    assert_eq!(
        statuses(&again),
        ["rejected:forbidden"],
        "a rejected id is never retried, and its refusal is said again: the first answer may \
         have been lost, and \"duplicate\" would tell the laptop it was applied"
    );
    let reason = |status: &MutationStatus| match status {
        MutationStatus::Rejected { message, .. } => message.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        reason(&again.results[0].status),
        reason(&r.results[1].status),
        "the first reason"
    );
    let logged: i64 = sqlx::query_scalar("SELECT count(*) FROM rejected_mutations")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(logged, 3, "logged once");
}

#[tokio::test]
async fn deleted_records_are_tombstones_that_refuse_upserts() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let r = srv
        .push(
            &cam,
            "dev-a",
            &[
                upsert(1, "partner", "p1", partner("cam@x.io")),
                delete(2, "partner", "p1"),
                upsert(3, "partner", "p1", json!({"name": "back"})),
                delete(4, "partner", "p1"),
                delete(5, "partner", "nope"),
            ],
        )
        .await;
    assert_eq!(
        statuses(&r),
        [
            "applied",
            "applied",
            "rejected:deleted",
            "applied",
            "rejected:not_found"
        ]
    );
    let (MutationStatus::Applied { seq: s2, .. }, MutationStatus::Applied { seq: s4, .. }) =
        (&r.results[1].status, &r.results[3].status)
    else {
        panic!("deletes applied");
    };
    assert_eq!(s2, s4, "deleting a tombstone again changes nothing");
}

#[tokio::test]
async fn a_device_belongs_to_one_user() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let other = srv.user("cam2@x.io", Role::Cam, None).await;
    srv.push(
        &cam,
        "dev-a",
        &[upsert(1, "partner", "p1", partner("cam@x.io"))],
    )
    .await;
    let r = srv
        .push_raw(
            &other,
            "dev-a",
            &[upsert(2, "partner", "p2", partner("cam2@x.io"))],
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"));
}

#[tokio::test]
async fn sync_needs_a_protocol_version_this_server_speaks() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    for version in [None, Some("0"), Some("999"), Some("banana")] {
        for (method, path) in [
            (reqwest::Method::GET, "/v1/sync/pull?cursor=0"),
            (reqwest::Method::POST, "/v1/sync/push"),
        ] {
            let mut req = srv
                .http
                .request(method, format!("{}{path}", srv.base))
                .bearer_auth(&cam.access)
                .json(&json!({"device_id": "d", "mutations": []}));
            if let Some(v) = version {
                req = req.header(PROTOCOL_HEADER, v);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(
                resp.status(),
                StatusCode::UPGRADE_REQUIRED,
                "{version:?} {path}"
            );
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(body["error"]["code"], "upgrade_required");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(message.contains("upgrade"), "a clear message: {message}");
        }
    }
}

#[tokio::test]
async fn a_device_first_seen_mid_queue_starts_at_its_first_mutation() {
    // A client whose earlier changes this database never saw (restored from an old backup).
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let r = srv
        .push(
            &cam,
            "dev-old",
            &[
                upsert(57, "partner", "p1", partner("cam@x.io")),
                upsert(58, "partner", "p1", json!({"name": "Acme 2"})),
            ],
        )
        .await;
    assert_eq!(statuses(&r), ["applied", "applied"]);
    assert_eq!(r.last_mutation_id, 58);
    let r = srv
        .push_raw(&cam, "dev-old", &[upsert(60, "partner", "p1", json!({}))])
        .await;
    assert_eq!(
        r.code(),
        "gap",
        "once known, the device's queue must not skip"
    );
    let empty = srv.push(&cam, "dev-new", &[]).await;
    assert_eq!(empty.last_mutation_id, 0, "an empty push records nothing");
}

#[tokio::test]
async fn a_reused_mutation_id_with_other_content_is_refused_as_diverged() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let first = vec![
        upsert(1, "partner", "p1", partner("cam@x.io")),
        upsert(
            2,
            "partner",
            "p1",
            json!({"account_notes": "before the backup"}),
        ),
    ];
    assert_eq!(
        statuses(&srv.push(&cam, "dev-a", &first).await),
        ["applied", "applied"]
    );
    // The laptop is restored from a backup taken after mutation 1: its next change reuses id 2.
    let reused = vec![
        first[0].clone(),
        upsert(
            2,
            "partner",
            "p1",
            json!({"account_notes": "after the restore"}),
        ),
    ];
    let reply = srv.push_raw(&cam, "dev-a", &reused).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
    assert_eq!(reply.code(), "diverged");
    let notes: String = sqlx::query_scalar(
        "SELECT fields->>'account_notes' FROM records WHERE kind = 'partner' AND id = 'p1'",
    )
    .fetch_one(&srv.pool)
    .await
    .unwrap();
    assert_eq!(
        notes, "before the backup",
        "nothing of the refused push applied"
    );
    // The same content again is still a duplicate (a retried push, not a restored database).
    assert_eq!(
        statuses(&srv.push(&cam, "dev-a", &first).await),
        ["duplicate", "duplicate"]
    );
    // A rejected mutation's content is kept too.
    let refused = upsert(3, "partner", "p1", json!({"owner": "other@x.io"}));
    assert_eq!(
        statuses(
            &srv.push(&cam, "dev-a", std::slice::from_ref(&refused))
                .await
        ),
        ["rejected:forbidden"]
    );
    let other = upsert(3, "partner", "p1", json!({"account_notes": "x"}));
    assert_eq!(
        srv.push_raw(&cam, "dev-a", &[other]).await.code(),
        "diverged"
    );
    assert_eq!(
        statuses(&srv.push(&cam, "dev-a", &[refused]).await),
        ["rejected:forbidden"]
    );
}

#[tokio::test]
async fn a_refusal_carries_the_record_as_the_server_holds_it() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    srv.add_user("cam2@x.io", Role::Cam, None).await;
    srv.push(
        &cam,
        "dev-a",
        &[upsert(1, "partner", "p1", partner("cam@x.io"))],
    )
    .await;
    // A CAM may not hand her partner to another CAM: the refusal says what the partner is.
    let r = srv
        .push(
            &cam,
            "dev-a",
            &[
                upsert(2, "partner", "p1", json!({"owner": "cam2@x.io"})),
                upsert(3, "partner", "p2", partner("cam2@x.io")),
            ],
        )
        .await;
    assert_eq!(statuses(&r), ["rejected:forbidden", "rejected:forbidden"]);
    match &r.results[0].status {
        MutationStatus::Rejected {
            current: Some(current),
            ..
        } => {
            assert_eq!(current.entity_id, "p1");
            assert_eq!(current.fields["owner"], "cam@x.io");
            assert!(current.field_versions.get("owner").is_some_and(|v| *v > 0));
        }
        other => panic!("a refusal with the partner as it is: {other:?}"),
    }
    // A refused create names nothing: the record does not exist for her.
    assert!(matches!(
        &r.results[1].status,
        MutationStatus::Rejected { current: None, .. }
    ));
}

#[tokio::test]
async fn a_record_no_client_could_store_is_refused_naming_what_is_wrong() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let r = srv
        .push(
            &cam,
            "dev-a",
            &[upsert(1, "partner", "p1", partner("cam@x.io"))],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"]);
    // A script sends records as it likes; exactly what it sent reaches the server.
    let mut note = crate::support::template("call_note").unwrap();
    note.insert("partner_id".into(), json!("p1"));
    note.insert("author".into(), json!("cam@x.io"));
    let without = |field: &str| {
        let mut n = note.clone();
        n.remove(field);
        serde_json::Value::Object(n)
    };
    let with = |field: &str, value: serde_json::Value| {
        let mut n = note.clone();
        n.insert(field.into(), value);
        serde_json::Value::Object(n)
    };
    let cases = [
        (without("created_at"), "created_at"),
        (with("via_partner", json!("yes")), "via_partner"),
        (with("occurred_at", json!("yesterday")), "occurred_at"),
        (with("title", json!("   ")), "title"),
        (with("partner_id", json!(null)), "partner"),
    ];
    for (i, (fields, named)) in cases.iter().enumerate() {
        let m = upsert(2 + i as i64, "call_note", &format!("n{i}"), fields.clone());
        let r: cdesk_protocol::PushResponse = srv.push_exact(&cam, "dev-a", &[m]).await.parse();
        match &r.results[0].status {
            MutationStatus::Rejected { code, message, .. } => {
                assert_eq!(code, "invalid");
                assert!(message.contains(named), "{named}: {message}");
            }
            other => panic!("{named}: {other:?}"),
        }
    }
    // Enums, dates and ids as the clients' stores take them, on other kinds too.
    let more = [
        upsert(
            7,
            "partner",
            "p2",
            json!({"owner": "cam@x.io", "region": "emea",
            "name": "Globex", "track": "gold"}),
        ),
        upsert(
            8,
            "business_plan",
            "plan",
            json!({"partner_id": "p1", "fiscal_year": "soon"}),
        ),
        upsert(9, "partner", &"x".repeat(101), partner("cam@x.io")),
        // An edit that would leave a stored record unstorable is refused the same way.
        upsert(
            10,
            "partner",
            "p1",
            json!({"last_phd_review": "2026-02-30"}),
        ),
    ];
    let r = srv.push(&cam, "dev-a", &more).await;
    assert_eq!(
        statuses(&r),
        [
            "rejected:invalid",
            "rejected:invalid",
            "rejected:invalid",
            "rejected:invalid"
        ]
    );
    let (changes, _) = srv.pull_all(&cam, 0).await;
    assert_eq!(changes.len(), 1, "only the partner was stored: {changes:?}");
}

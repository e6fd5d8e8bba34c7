use cdesk_protocol::{Conflict, ConflictList, MutationStatus, Role};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{server, statuses, upsert};

fn with_base(mut m: cdesk_protocol::Mutation, field: &str, base: i64) -> cdesk_protocol::Mutation {
    m.base_versions.insert(field.into(), base);
    m
}

#[tokio::test]
async fn concurrent_edits_of_a_field_make_a_conflict_both_see_and_resolution_is_a_change() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let manager = srv.user("boss@x.io", Role::Manager, Some("emea")).await;
    let stranger = srv.user("cam2@x.io", Role::Cam, None).await;
    let r = srv
        .push(
            &cam,
            "cam-laptop",
            &[upsert(
                1,
                "partner",
                "p1",
                json!({"name": "Acme", "owner": "cam@x.io", "region": "emea", "account_notes": "v0"}),
            )],
        )
        .await;
    let MutationStatus::Applied { seq: base, .. } = r.results[0].status else {
        panic!("created")
    };

    // Both edit account_notes from the same base; the manager arrives first.
    let r = srv
        .push(
            &manager,
            "boss-laptop",
            &[with_base(
                upsert(
                    1,
                    "partner",
                    "p1",
                    json!({"account_notes": "boss", "updated_at": "2026-01-02T10:00:00Z"}),
                ),
                "account_notes",
                base,
            )],
        )
        .await;
    let MutationStatus::Applied { conflicts, .. } = &r.results[0].status else {
        panic!("applied")
    };
    assert!(
        conflicts.is_empty(),
        "the first edit from the current base is clean"
    );
    // An edit of another field from the old base is no conflict either.
    let r = srv
        .push(
            &cam,
            "cam-laptop",
            &[
                with_base(
                    upsert(
                        2,
                        "partner",
                        "p1",
                        json!({"name": "Acme Ltd", "updated_at": "2026-01-02T11:00:00Z"}),
                    ),
                    "name",
                    base,
                ),
                with_base(
                    upsert(
                        3,
                        "partner",
                        "p1",
                        json!({"account_notes": "cam", "updated_at": "2026-01-02T11:01:00Z"}),
                    ),
                    "account_notes",
                    base,
                ),
            ],
        )
        .await;
    assert_eq!(statuses(&r), ["applied", "applied"]);
    let MutationStatus::Applied { conflicts, .. } = &r.results[0].status else {
        panic!()
    };
    assert!(
        conflicts.is_empty(),
        "different fields do not conflict, nor do the timestamps every edit sets"
    );
    let MutationStatus::Applied { conflicts, seq } = &r.results[1].status else {
        panic!()
    };
    let written_seq = *seq;
    assert_eq!(
        conflicts.len(),
        1,
        "the stale edit of account_notes conflicts"
    );
    let c = &conflicts[0];
    assert_eq!(
        (c.entity.as_str(), c.entity_id.as_str(), c.field.as_str()),
        ("partner", "p1", "account_notes")
    );
    assert_eq!(
        (c.overwritten_value.clone(), c.overwritten_by.as_str()),
        (json!("boss"), "boss@x.io")
    );
    assert_eq!(
        (c.written_value.clone(), c.written_by.as_str()),
        (json!("cam"), "cam@x.io")
    );

    let (changes, _) = srv.pull_all(&cam, 0).await;
    let p1 = changes.iter().find(|c| c.entity_id == "p1").unwrap();
    assert_eq!(p1.fields["account_notes"], "cam", "the later arrival wins");

    for who in [&cam, &manager] {
        let list: ConflictList = srv.get("/v1/conflicts", Some(&who.access)).await.parse();
        assert_eq!(list.conflicts.len(), 1, "{} sees the conflict", who.email);
        assert_eq!(&list.conflicts[0], c);
    }
    let list: ConflictList = srv
        .get("/v1/conflicts", Some(&stranger.access))
        .await
        .parse();
    assert!(list.conflicts.is_empty(), "nobody else sees it");
    let r = srv
        .post(
            &format!("/v1/conflicts/{}/resolve", c.id),
            Some(&stranger.access),
            &json!({"value": "x"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "what you cannot see, you cannot resolve"
    );

    let r = srv
        .post(
            &format!("/v1/conflicts/{}/resolve", c.id),
            Some(&manager.access),
            &json!({"value": "boss + cam"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let resolved: Conflict = r.parse();
    assert!(resolved.resolved_at.is_some());
    assert_eq!(resolved.resolved_by.as_deref(), Some("boss@x.io"));

    let (changes, _) = srv.pull_all(&cam, 0).await;
    let p1 = changes.iter().find(|c| c.entity_id == "p1").unwrap();
    assert_eq!(p1.fields["account_notes"], "boss + cam");
    assert!(p1.seq > written_seq, "the resolution is a new change");
    assert_eq!(p1.field_versions["account_notes"], p1.seq);
    let list: ConflictList = srv.get("/v1/conflicts", Some(&cam.access)).await.parse();
    assert!(
        list.conflicts.is_empty(),
        "resolved conflicts are not listed"
    );
    let again = srv
        .post(
            &format!("/v1/conflicts/{}/resolve", c.id),
            Some(&cam.access),
            &json!({"value": "y"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "resolved once");

    // The CAM's device edits from a base older than the resolution: a new conflict, by user.
    let r = srv
        .push(
            &cam,
            "cam-laptop",
            &[with_base(
                upsert(4, "partner", "p1", json!({"account_notes": "late"})),
                "account_notes",
                written_seq,
            )],
        )
        .await;
    let MutationStatus::Applied { conflicts, .. } = &r.results[0].status else {
        panic!()
    };
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        conflicts[0].overwritten_by, "boss@x.io",
        "the resolver wrote the value"
    );
}

#[tokio::test]
async fn one_device_overwriting_its_own_edit_is_no_conflict() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    srv.push(
        &cam,
        "dev",
        &[
            upsert(
                1,
                "partner",
                "p1",
                json!({"owner": "cam@x.io", "region": "emea", "name": "a"}),
            ),
            upsert(2, "partner", "p1", json!({"name": "b"})),
            upsert(3, "partner", "p1", json!({"name": "c"})),
        ],
    )
    .await;
    let list: ConflictList = srv.get("/v1/conflicts", Some(&cam.access)).await.parse();
    assert!(list.conflicts.is_empty());
}

#[tokio::test]
async fn only_someone_who_may_write_the_record_resolves() {
    let srv = server().await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let manager = srv.user("boss@x.io", Role::Manager, Some("emea")).await;
    let rep = srv.user("rep@x.io", Role::Rep, None).await;
    srv.push(
        &cam,
        "c",
        &[upsert(
            1,
            "partner",
            "p1",
            json!({"owner": "cam@x.io", "region": "emea", "name": "a"}),
        )],
    )
    .await;
    srv.assign("rep@x.io", "p1").await;
    srv.push(
        &manager,
        "m",
        &[with_base(
            upsert(1, "partner", "p1", json!({"name": "m"})),
            "name",
            1,
        )],
    )
    .await;
    let r = srv
        .push(
            &cam,
            "c",
            &[with_base(
                upsert(2, "partner", "p1", json!({"name": "c"})),
                "name",
                1,
            )],
        )
        .await;
    let MutationStatus::Applied { conflicts, .. } = &r.results[0].status else {
        panic!()
    };
    let list: ConflictList = srv.get("/v1/conflicts", Some(&rep.access)).await.parse();
    assert_eq!(
        list.conflicts.len(),
        1,
        "the rep reads the partner, so sees its conflict"
    );
    let r = srv
        .post(
            &format!("/v1/conflicts/{}/resolve", conflicts[0].id),
            Some(&rep.access),
            &json!({"value": "r"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "forbidden"),
        "but may not write it"
    );
}

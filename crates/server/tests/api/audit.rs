//! The audit trail: every change with its author, device, record, fields and time, written with
//! the change, readable by admins only.

use cdesk_protocol::{AuditEntry, AuditPage, MutationStatus, Role};
use cdesk_server::kinds::Kind;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{delete, server, statuses, upsert, Session, TestServer};

async fn audit(srv: &TestServer, admin: &Session, query: &str) -> AuditPage {
    let r = srv
        .get(&format!("/v1/audit{query}"), Some(&admin.access))
        .await;
    assert_eq!(r.status, StatusCode::OK, "audit{query}: {:?}", r.body);
    r.parse()
}

fn summary(e: &AuditEntry) -> (String, String, String, Vec<String>) {
    (
        e.action.clone(),
        e.kind.clone(),
        e.entity_id.clone(),
        e.fields.clone(),
    )
}

#[tokio::test]
async fn every_applied_push_mutation_is_audited_with_author_device_and_fields() {
    let srv = server().await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let first = upsert(
        1,
        "partner",
        "p1",
        json!({"id": "p1", "name": "Acme", "owner": "cam@x.io", "region": "emea"}),
    );
    let r = srv
        .push(
            &cam,
            "cam-laptop",
            &[
                first.clone(),
                upsert(2, "partner", "p2", json!({"owner": "someone@else.io"})),
                upsert(
                    3,
                    "call_note",
                    "n1",
                    json!({"partner_id": "p1",
                    "author": "cam@x.io", "title": "Kickoff"}),
                ),
                delete(4, "call_note", "n1"),
            ],
        )
        .await;
    assert_eq!(
        statuses(&r),
        ["applied", "rejected:forbidden", "applied", "applied"]
    );
    let seqs: Vec<i64> = r
        .results
        .iter()
        .filter_map(|res| match res.status {
            MutationStatus::Applied { seq, .. } => Some(seq),
            _ => None,
        })
        .collect();

    let page = audit(&srv, &admin, "?user_id=").await;
    assert!(
        page.entries.is_empty(),
        "an empty filter matches no user id"
    );
    let cam_id = srv.user_id("cam@x.io").await;
    let page = audit(&srv, &admin, &format!("?user_id={cam_id}")).await;
    let mut entries = page.entries;
    entries.reverse();
    // A create writes every field of its kind (but `id`), listed in name order.
    let every_field = |kind: Kind| {
        let mut fields: Vec<String> = kind.fields().map(String::from).collect();
        fields.sort();
        fields
    };
    assert_eq!(
        entries.iter().map(summary).collect::<Vec<_>>(),
        [
            ("upsert", "partner", "p1", every_field(Kind::Partner)),
            ("upsert", "call_note", "n1", every_field(Kind::CallNote)),
            ("delete", "call_note", "n1", vec![]),
        ]
        .map(|(a, k, i, f)| (a.into(), k.into(), i.into(), f)),
        "applied changes only (the rejected one is in rejected_mutations), `id` is no field"
    );
    for (e, (mutation_id, seq)) in entries
        .iter()
        .zip([(1, seqs[0]), (3, seqs[1]), (4, seqs[2])])
    {
        assert_eq!(e.actor, "cam@x.io");
        assert_eq!(e.user_id.as_deref(), Some(cam_id.as_str()));
        assert_eq!(e.device_id.as_deref(), Some("cam-laptop"));
        assert_eq!(e.mutation_id, Some(mutation_id));
        assert_eq!(e.seq, Some(seq), "the change's place in the sequence");
        assert!(
            e.at.ends_with('Z') && e.at.len() > 20,
            "an RFC 3339 UTC time: {}",
            e.at
        );
    }
    // A retried push changes nothing and audits nothing.
    srv.push(&cam, "cam-laptop", &[first]).await;
    let again = audit(&srv, &admin, &format!("?user_id={cam_id}")).await;
    assert_eq!(again.entries.len(), 3, "duplicates are not audited");
}

#[tokio::test]
async fn rules_edits_assignments_users_and_resolutions_are_audited() {
    let srv = server().await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    srv.add_user("rep@x.io", Role::Rep, None).await;
    srv.push(
        &admin,
        "admin-pc",
        &[upsert(1, "certification", "c1", json!({"name": "Core"}))],
    )
    .await;
    let r = srv
        .post(
            "/v1/admin/assignments",
            Some(&admin.access),
            &json!({"email": "rep@x.io", "partner_id": "p1"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
    cdesk_server::users::disable(&srv.pool, "rep@x.io")
        .await
        .unwrap();

    // A conflict, then its resolution.
    srv.push(
        &cam,
        "a",
        &[upsert(
            1,
            "partner",
            "p1",
            json!({"owner": "cam@x.io", "region": "emea", "account_notes": "v0"}),
        )],
    )
    .await;
    srv.push(
        &admin,
        "admin-pc",
        &[upsert(
            2,
            "partner",
            "p1",
            json!({"account_notes": "admin"}),
        )],
    )
    .await;
    let mut edit = upsert(2, "partner", "p1", json!({"account_notes": "cam"}));
    edit.base_versions.insert("account_notes".into(), 1);
    srv.push(&cam, "a", &[edit]).await;
    let conflicts = srv.get("/v1/conflicts", Some(&cam.access)).await;
    let id = conflicts.body["conflicts"][0]["id"]
        .as_str()
        .expect("a conflict")
        .to_string();
    let r = srv
        .post(
            &format!("/v1/conflicts/{id}/resolve"),
            Some(&cam.access),
            &json!({"value": "both"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    let page = audit(&srv, &admin, "?kind=certification").await;
    assert_eq!(
        page.entries.iter().map(summary).collect::<Vec<_>>(),
        [(
            "upsert".into(),
            "certification".into(),
            "c1".into(),
            vec!["name".into(), "sort_order".into(), "validity_months".into()]
        )]
    );
    assert_eq!(
        page.entries[0].actor, "admin@x.io",
        "a rules edit names its admin"
    );

    let rep_id = srv.user_id("rep@x.io").await;
    let page = audit(&srv, &admin, &format!("?kind=user&entity_id={rep_id}")).await;
    let actions: Vec<(&str, &str)> = page
        .entries
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("user_disable", "cli"),
            ("assign", "admin@x.io"),
            ("user_add", "cli")
        ],
        "newest first"
    );
    assert_eq!(
        page.entries[1].detail,
        Some(json!({"email": "rep@x.io", "partner_id": "p1"}))
    );

    let page = audit(&srv, &admin, "?action=resolve").await;
    let [resolved] = &page.entries[..] else {
        panic!("one resolution: {page:?}")
    };
    assert_eq!(
        summary(resolved),
        (
            "resolve".into(),
            "partner".into(),
            "p1".into(),
            vec!["account_notes".into()]
        )
    );
    assert_eq!(resolved.actor, "cam@x.io");
    assert_eq!(resolved.detail, Some(json!({"conflict_id": id})));
    assert!(resolved.seq.is_some());
}

#[tokio::test]
async fn a_push_that_stops_at_a_gap_audits_what_it_committed() {
    let srv = server().await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let r = srv
        .push_raw(
            &admin,
            "dev",
            &[
                upsert(1, "badge", "b1", json!({})),
                upsert(3, "badge", "b3", json!({})),
            ],
        )
        .await;
    assert_eq!(r.code(), "gap");
    let page = audit(&srv, &admin, "?kind=badge").await;
    assert_eq!(
        page.entries.len(),
        1,
        "b1 was committed, and its entry with it"
    );
    assert_eq!(page.entries[0].entity_id, "b1");
}

#[tokio::test]
async fn the_audit_trail_pages_newest_first_and_filters() {
    let srv = server().await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let batch: Vec<_> = (1..=7)
        .map(|i| upsert(i, "badge", &format!("b{i}"), json!({})))
        .collect();
    srv.push(&admin, "dev", &batch).await;
    let mut seen = Vec::new();
    let mut query = "?kind=badge&limit=3".to_string();
    loop {
        let page = audit(&srv, &admin, &query).await;
        assert!(page.entries.len() <= 3);
        seen.extend(page.entries.iter().map(|e| e.entity_id.clone()));
        match page.next_before {
            Some(before) => query = format!("?kind=badge&limit=3&before={before}"),
            None => break,
        }
    }
    assert_eq!(seen, ["b7", "b6", "b5", "b4", "b3", "b2", "b1"]);

    let page = audit(
        &srv,
        &admin,
        "?since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z",
    )
    .await;
    assert!(page.entries.len() >= 7);
    let page = audit(&srv, &admin, "?since=2999-01-01T00:00:00%2B02:00").await;
    assert!(page.entries.is_empty(), "nothing in the future");
    let r = srv
        .get("/v1/audit?since=yesterday", Some(&admin.access))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
    );
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("since"),
        "{:?}",
        r.body
    );
    let r = srv.get("/v1/audit?limit=501", Some(&admin.access)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_admins_read_the_audit_trail() {
    let srv = server().await;
    for (email, role, region) in [
        ("cam@x.io", Role::Cam, None),
        ("rep@x.io", Role::Rep, None),
        ("boss@x.io", Role::Manager, Some("emea")),
    ] {
        let s = srv.user(email, role, region).await;
        let r = srv.get("/v1/audit", Some(&s.access)).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{email}"
        );
    }
    let r = srv.get("/v1/audit", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

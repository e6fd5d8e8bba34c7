//! The authorization matrix: every role against every kind of record, for reading (pull) and
//! writing (push), plus creation rules and what happens when scopes change.

use std::collections::{BTreeMap, BTreeSet};

use cdesk_protocol::{Op, Role};
use serde_json::{json, Value};

use crate::support::{delete, statuses, upsert, Session, TestServer};

struct World {
    srv: TestServer,
    users: BTreeMap<&'static str, Session>,
}

/// Users: admin, cam (owns p, emea), cam2 (owns q, apac), boss (manager, emea), rep (assigned
/// to p; owns account a under p and account b under q).
async fn world() -> World {
    let srv = crate::support::server().await;
    let mut users = BTreeMap::new();
    users.insert("admin", srv.user("admin@x.io", Role::Admin, None).await);
    users.insert("cam", srv.user("cam@x.io", Role::Cam, None).await);
    users.insert("cam2", srv.user("cam2@x.io", Role::Cam, None).await);
    users.insert(
        "boss",
        srv.user("boss@x.io", Role::Manager, Some("emea")).await,
    );
    users.insert("rep", srv.user("rep@x.io", Role::Rep, None).await);
    let admin = &users["admin"];
    let r = srv
        .push(
            admin,
            "admin-dev",
            &[
                upsert(
                    1,
                    "partner",
                    "p",
                    json!({"name": "P", "owner": "cam@x.io", "region": "emea"}),
                ),
                upsert(
                    2,
                    "person",
                    "p-person",
                    json!({"partner_id": "p", "name": "Ann"}),
                ),
                upsert(
                    3,
                    "enablement_item",
                    "p-item",
                    json!({"partner_id": "p", "status": "planned"}),
                ),
                upsert(
                    4,
                    "business_plan",
                    "p-plan",
                    json!({"partner_id": "p", "fiscal_year": 2026}),
                ),
                upsert(
                    5,
                    "account",
                    "a",
                    json!({"name": "A", "partner_id": "p", "owner": "rep@x.io"}),
                ),
                upsert(
                    6,
                    "opportunity",
                    "a-opp",
                    json!({"account_id": "a", "name": "Deal"}),
                ),
                upsert(
                    7,
                    "certification",
                    "sales-core",
                    json!({"name": "Sales Core"}),
                ),
                upsert(
                    8,
                    "partner",
                    "q",
                    json!({"name": "Q", "owner": "cam2@x.io", "region": "apac"}),
                ),
                upsert(
                    9,
                    "account",
                    "b",
                    json!({"name": "B", "partner_id": "q", "owner": "rep@x.io"}),
                ),
                upsert(
                    10,
                    "nfr_request",
                    "p-nfr",
                    json!({"partner_id": "p", "contact_name": "Ann"}),
                ),
            ],
        )
        .await;
    assert!(
        statuses(&r).iter().all(|s| s == "applied"),
        "{:?}",
        statuses(&r)
    );
    let r = srv
        .push(
            &users["cam"],
            "cam-dev",
            &[
                upsert(
                    1,
                    "call_note",
                    "p-note",
                    json!({"title": "Call", "partner_id": "p", "author": "cam@x.io"}),
                ),
                upsert(
                    2,
                    "next_step",
                    "p-step",
                    json!({"description": "Send deck", "note_id": "p-note"}),
                ),
            ],
        )
        .await;
    assert_eq!(statuses(&r), ["applied", "applied"]);
    srv.assign("rep@x.io", "p").await;
    let r = srv
        .push(
            &users["rep"],
            "rep-dev",
            &[upsert(
                1,
                "call_note",
                "b-note",
                json!({"title": "Call B", "account_id": "b", "author": "rep@x.io"}),
            )],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"]);
    World { srv, users }
}

/// One record of the world: its kind and id, a harmless edit, who reads it, who may edit it.
type Case = (
    &'static str,
    &'static str,
    Value,
    &'static [&'static str],
    &'static [&'static str],
);

#[rustfmt::skip]
fn matrix() -> Vec<Case> {
    const ALL: &[&str] = &["admin", "cam", "cam2", "boss", "rep"];
    const P_TREE: &[&str] = &["admin", "cam", "boss", "rep"];
    const P_EDIT: &[&str] = &["admin", "cam", "boss"];
    vec![
        ("partner",         "p",          json!({"account_notes": "x"}), P_TREE, P_EDIT),
        ("person",          "p-person",   json!({"name": "x"}),          P_TREE, P_EDIT),
        ("enablement_item", "p-item",     json!({"status": "in_progress"}), P_TREE, P_EDIT),
        ("business_plan",   "p-plan",     json!({"goals": "x"}),         P_TREE, P_EDIT),
        ("nfr_request",     "p-nfr",      json!({"seats": 9}),           P_TREE, P_EDIT),
        ("account",         "a",          json!({"tier_notes": "x"}),    P_TREE, P_TREE),
        ("opportunity",     "a-opp",      json!({"stage": "discovery"}), P_TREE, P_TREE),
        ("call_note",       "p-note",     json!({"body": "x"}),          P_TREE, &["cam"]),
        ("next_step",       "p-step",     json!({"status": "cancelled"}), P_TREE, P_EDIT),
        ("certification",   "sales-core", json!({"name": "x"}),          ALL,    &["admin"]),
        ("partner",         "q",          json!({"account_notes": "x"}), &["admin", "cam2"], &["admin", "cam2"]),
        ("account",         "b",          json!({"tier_notes": "x"}),    &["admin", "cam2", "rep"], &["admin", "cam2", "rep"]),
        ("call_note",       "b-note",     json!({"body": "x"}),          &["admin", "cam2", "rep"], &["rep"]),
    ]
}

#[tokio::test]
async fn every_role_reads_exactly_what_it_may() {
    let w = world().await;
    for (name, session) in &w.users {
        let (changes, _) = w.srv.pull_all(session, 0).await;
        let seen: BTreeSet<(String, String)> = changes
            .iter()
            .map(|c| (c.entity.clone(), c.entity_id.clone()))
            .collect();
        let expected: BTreeSet<(String, String)> = matrix()
            .into_iter()
            .filter(|(_, _, _, readers, _)| readers.contains(name))
            .map(|(k, id, ..)| (k.to_string(), id.to_string()))
            .collect();
        assert_eq!(seen, expected, "{name} pulls exactly what they may read");
    }
}

#[tokio::test]
async fn every_role_writes_exactly_what_it_may() {
    let w = world().await;
    let mut next_id: BTreeMap<&str, i64> = BTreeMap::new();
    for (kind, id, patch, _, writers) in matrix() {
        for (name, session) in &w.users {
            let device = format!("{name}-matrix");
            let n = next_id.entry(name).or_insert(0);
            *n += 1;
            let r = w
                .srv
                .push(session, &device, &[upsert(*n, kind, id, patch.clone())])
                .await;
            let expected = if writers.contains(name) {
                "applied"
            } else {
                "rejected:forbidden"
            };
            assert_eq!(statuses(&r), [expected], "{name} editing {kind} {id}");
        }
    }
}

/// Who creates what, and the expected outcome.
#[rustfmt::skip]
fn creation_cases() -> Vec<(&'static str, &'static str, &'static str, Value, &'static str)> {
    vec![
        ("cam",   "partner",     "new-own",    json!({"owner": "cam@x.io", "region": "emea"}),  "applied"),
        ("cam",   "partner",     "new-other",  json!({"owner": "cam2@x.io", "region": "emea"}), "rejected:forbidden"),
        ("cam",   "call_note",   "n-ghost",    json!({"partner_id": "p", "author": "rep@x.io"}), "rejected:forbidden"),
        ("cam",   "person",      "q-person",   json!({"partner_id": "q"}),                       "rejected:forbidden"),
        ("boss",  "partner",     "new-emea",   json!({"owner": "cam@x.io", "region": "emea"}),  "applied"),
        ("boss",  "partner",     "new-apac",   json!({"owner": "cam@x.io", "region": "apac"}),  "rejected:forbidden"),
        ("rep",   "partner",     "r-partner",  json!({"owner": "rep@x.io", "region": "emea"}),  "rejected:forbidden"),
        ("rep",   "person",      "r-person",   json!({"partner_id": "p"}),                       "rejected:forbidden"),
        ("rep",   "account",     "r-acct",     json!({"owner": "rep@x.io", "partner_id": "p"}), "applied"),
        ("rep",   "account",     "r-acct2",    json!({"owner": "cam@x.io"}),                     "rejected:forbidden"),
        ("rep",   "opportunity", "r-opp",      json!({"account_id": "a"}),                       "applied"),
        ("rep",   "opportunity", "r-opp2",     json!({"account_id": "nobodys"}),                 "rejected:forbidden"),
        ("rep",   "call_note",   "r-note",     json!({"partner_id": "p", "author": "rep@x.io"}), "applied"),
        ("rep",   "call_note",   "r-note2",    json!({"partner_id": "q", "author": "rep@x.io"}), "rejected:forbidden"),
        ("rep",   "next_step",   "r-step",     json!({"opportunity_id": "a-opp"}),               "applied"),
        ("rep",   "next_step",   "r-step2",    json!({"partner_id": "q"}),                       "rejected:forbidden"),
        ("rep",   "badge",       "r-badge",    json!({"name": "x"}),                             "rejected:forbidden"),
        ("admin", "badge",       "a-badge",    json!({"name": "x"}),                             "applied"),
    ]
}

#[tokio::test]
async fn creation_stays_inside_the_creators_scope() {
    let w = world().await;
    let cases = creation_cases();
    let mut next_id: BTreeMap<&str, i64> = BTreeMap::new();
    for (who, kind, id, patch, expected) in cases {
        let n = next_id.entry(who).or_insert(0);
        *n += 1;
        let r = w
            .srv
            .push(
                &w.users[who],
                &format!("{who}-create"),
                &[upsert(*n, kind, id, patch)],
            )
            .await;
        assert_eq!(statuses(&r), [expected], "{who} creating {kind} {id}");
    }
    // The rep's new next step is theirs to edit, though a CAM wrote the others.
    let n = next_id["rep"] + 1;
    let r = w
        .srv
        .push(
            &w.users["rep"],
            "rep-create",
            &[upsert(
                n,
                "next_step",
                "r-step",
                json!({"status": "done", "done_at": "2026-12-02T10:00:00.000Z"}),
            )],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"], "authors edit their next steps");
}

#[tokio::test]
async fn deletes_follow_the_write_rules() {
    let w = world().await;
    let cases = [
        ("rep", "partner", "p", "rejected:forbidden"),
        ("cam", "call_note", "b-note", "rejected:forbidden"),
        // An admin does not edit a CAM's note, but may remove it (moderation).
        ("admin", "call_note", "p-note", "applied"),
        ("cam", "person", "p-person", "applied"),
        ("rep", "call_note", "b-note", "applied"),
    ];
    let mut next_id: BTreeMap<&str, i64> = BTreeMap::new();
    for (who, kind, id, expected) in cases {
        let n = next_id.entry(who).or_insert(0);
        *n += 1;
        let r = w
            .srv
            .push(
                &w.users[who],
                &format!("{who}-del"),
                &[delete(*n, kind, id)],
            )
            .await;
        assert_eq!(statuses(&r), [expected], "{who} deleting {kind} {id}");
    }
    // Whoever could read the record pulls its tombstone.
    let (changes, _) = w.srv.pull_all(&w.users["cam2"], 0).await;
    let note = changes
        .iter()
        .find(|c| c.entity_id == "b-note")
        .expect("cam2 pulls the tombstone");
    assert_eq!(note.op, Op::Delete);
}

fn state(changes: &[cdesk_protocol::Change]) -> BTreeMap<String, Op> {
    let mut out = BTreeMap::new();
    for c in changes {
        out.insert(c.entity_id.clone(), c.op);
    }
    out
}

#[tokio::test]
async fn unassigning_a_rep_sends_tombstones_and_reassigning_brings_records_back() {
    let w = world().await;
    let rep = &w.users["rep"];
    let (before, cursor) = w.srv.pull_all(rep, 0).await;
    assert!(state(&before).contains_key("p-plan"));

    cdesk_server::admin::set_assignment(&w.srv.pool, "rep@x.io", "p", false)
        .await
        .unwrap();
    let (changes, cursor) = w.srv.pull_all(rep, cursor).await;
    let gone = state(&changes);
    for id in ["p", "p-person", "p-item", "p-plan", "p-note", "p-step"] {
        assert_eq!(gone.get(id), Some(&Op::Delete), "{id} left the rep's scope");
    }
    for id in ["a", "a-opp"] {
        assert!(
            !gone.contains_key(id),
            "{id}: the rep still owns the account"
        );
    }

    // Through the admin API this time.
    let r = w
        .srv
        .post(
            "/v1/admin/assignments",
            Some(&w.users["admin"].access),
            &json!({"email": "rep@x.io", "partner_id": "p"}),
        )
        .await;
    assert_eq!(r.status, reqwest::StatusCode::NO_CONTENT, "{:?}", r.body);
    let (changes, _) = w.srv.pull_all(rep, cursor).await;
    let back = state(&changes);
    for id in ["p", "p-person", "p-item", "p-plan", "p-note", "p-step"] {
        assert_eq!(back.get(id), Some(&Op::Upsert), "{id} is back for the rep");
    }
    let r = w
        .srv
        .post(
            "/v1/admin/assignments",
            Some(&w.users["cam"].access),
            &json!({"email": "rep@x.io", "partner_id": "q"}),
        )
        .await;
    assert_eq!(r.code(), "forbidden", "only admins assign");
}

#[tokio::test]
async fn a_partner_handed_to_another_cam_moves_with_everything_under_it() {
    let w = world().await;
    let (_, cam_cursor) = w.srv.pull_all(&w.users["cam"], 0).await;
    let (_, cam2_cursor) = w.srv.pull_all(&w.users["cam2"], 0).await;
    let r = w
        .srv
        .push(
            &w.users["boss"],
            "boss-dev",
            &[upsert(1, "partner", "p", json!({"owner": "cam2@x.io"}))],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"]);

    let (changes, _) = w.srv.pull_all(&w.users["cam2"], cam2_cursor).await;
    let got = state(&changes);
    for id in [
        "p", "p-person", "p-item", "p-plan", "p-nfr", "a", "a-opp", "p-note", "p-step",
    ] {
        assert_eq!(got.get(id), Some(&Op::Upsert), "the new owner pulls {id}");
    }
    let (changes, _) = w.srv.pull_all(&w.users["cam"], cam_cursor).await;
    let lost = state(&changes);
    for id in ["p", "p-person", "p-item", "p-plan", "p-nfr", "a", "a-opp"] {
        assert_eq!(
            lost.get(id),
            Some(&Op::Delete),
            "the old owner gets a tombstone for {id}"
        );
    }
    assert!(
        !matches!(lost.get("p-note"), Some(Op::Delete)),
        "the old owner keeps the note they wrote"
    );
}

#[tokio::test]
async fn relinking_an_account_moves_its_notes_and_opportunities() {
    let w = world().await;
    let (_, cam_cursor) = w.srv.pull_all(&w.users["cam"], 0).await;
    let (_, cam2_cursor) = w.srv.pull_all(&w.users["cam2"], 0).await;
    let r = w
        .srv
        .push(
            &w.users["admin"],
            "admin-dev",
            &[upsert(11, "account", "b", json!({"partner_id": "p"}))],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"]);
    let (changes, _) = w.srv.pull_all(&w.users["cam"], cam_cursor).await;
    let got = state(&changes);
    assert_eq!(got.get("b"), Some(&Op::Upsert), "cam now sees the account");
    assert_eq!(got.get("b-note"), Some(&Op::Upsert), "and the note on it");
    let (changes, _) = w.srv.pull_all(&w.users["cam2"], cam2_cursor).await;
    let lost = state(&changes);
    assert_eq!(lost.get("b"), Some(&Op::Delete));
    assert_eq!(lost.get("b-note"), Some(&Op::Delete));
}

#[tokio::test]
async fn a_partner_created_after_records_that_name_it_adopts_them() {
    let w = world().await;
    let (_, cursor) = w.srv.pull_all(&w.users["cam"], 0).await;
    let r = w
        .srv
        .push(
            &w.users["admin"],
            "admin-dev",
            &[
                upsert(
                    11,
                    "person",
                    "early",
                    json!({"partner_id": "late", "name": "Early"}),
                ),
                upsert(
                    12,
                    "partner",
                    "late",
                    json!({"owner": "cam@x.io", "region": "emea"}),
                ),
            ],
        )
        .await;
    assert_eq!(statuses(&r), ["applied", "applied"]);
    let (changes, _) = w.srv.pull_all(&w.users["cam"], cursor).await;
    let got = state(&changes);
    assert_eq!(got.get("late"), Some(&Op::Upsert));
    assert_eq!(
        got.get("early"),
        Some(&Op::Upsert),
        "the earlier person comes along"
    );
}

#[tokio::test]
async fn a_rep_cannot_write_into_a_partner_through_a_record_that_names_two_roots() {
    let w = world().await;
    let rep = &w.users["rep"];
    // The rep owns account a (under p, assigned) and b (under q, not assigned). Each record
    // below names q itself, next to something the rep may write: each is refused.
    let injections = [
        upsert(
            2,
            "call_note",
            "inj-note",
            json!({"title": "x", "partner_id": "q", "account_id": "a", "author": "rep@x.io"}),
        ),
        upsert(
            3,
            "next_step",
            "inj-step",
            json!({"description": "x", "partner_id": "q", "note_id": "b-note"}),
        ),
        upsert(
            4,
            "account",
            "inj-account",
            json!({"name": "Mine", "partner_id": "q", "owner": "rep@x.io"}),
        ),
        upsert(
            5,
            "opportunity",
            "inj-opp",
            json!({"account_id": "a", "name": "Deal", "registered_partner_id": "q"}),
        ),
        // Relinking an owned account to q is the same injection.
        upsert(6, "account", "a", json!({"partner_id": "q"})),
        // So is naming q the incumbent of a renewal on the rep's account.
        upsert(
            7,
            "opportunity",
            "inj-renewal",
            json!({"account_id": "a", "name": "Renewal", "opportunity_type": "renewal",
                   "incumbent_partner_id": "q"}),
        ),
    ];
    let r = w.srv.push(rep, "rep-dev", &injections).await;
    assert!(
        statuses(&r).iter().all(|s| s == "rejected:forbidden"),
        "{:?}",
        statuses(&r)
    );
    // The same records without q are the rep's to write.
    let fine = [
        upsert(
            8,
            "call_note",
            "ok-note",
            json!({"title": "x", "partner_id": "p", "account_id": "a", "author": "rep@x.io"}),
        ),
        upsert(
            9,
            "opportunity",
            "ok-opp",
            json!({"account_id": "a", "name": "Deal", "registered_partner_id": "p"}),
        ),
        upsert(
            10,
            "account",
            "ok-account",
            json!({"name": "Mine", "partner_id": "p", "owner": "rep@x.io"}),
        ),
    ];
    let r = w.srv.push(rep, "rep-dev", &fine).await;
    assert_eq!(statuses(&r), ["applied", "applied", "applied"]);
    // q's CAM sees none of the injections.
    let (changes, _) = w.srv.pull_all(&w.users["cam2"], 0).await;
    assert!(
        !changes.iter().any(|c| c.entity_id.starts_with("inj-")),
        "nothing landed in q's pull"
    );
    // Records that already named q stay editable by the rep (b is the rep's account under q).
    let r = w
        .srv
        .push(
            rep,
            "rep-dev",
            &[upsert(11, "account", "b", json!({"tier_notes": "y"}))],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"]);
}

#[tokio::test]
async fn a_partners_cam_manager_or_an_admin_removes_a_note_under_it() {
    let w = world().await;
    // The rep writes a note on p; p's CAM removes it (moderation), and the audit names her.
    let r = w
        .srv
        .push(
            &w.users["rep"],
            "rep-dev",
            &[upsert(
                2,
                "call_note",
                "rep-note",
                json!({"title": "x", "partner_id": "p", "author": "rep@x.io"}),
            )],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"]);
    let r = w
        .srv
        .push(
            &w.users["cam2"],
            "cam2-dev",
            &[delete(1, "call_note", "rep-note")],
        )
        .await;
    assert_eq!(
        statuses(&r),
        ["rejected:forbidden"],
        "another partner's CAM may not"
    );
    let r = w
        .srv
        .push(
            &w.users["cam"],
            "cam-dev",
            &[delete(3, "call_note", "rep-note")],
        )
        .await;
    assert_eq!(statuses(&r), ["applied"]);
    let actor: String = sqlx::query_scalar(
        "SELECT actor FROM audit_log WHERE kind = 'call_note' AND entity_id = 'rep-note'
         AND action = 'delete'",
    )
    .fetch_one(&w.srv.pool)
    .await
    .unwrap();
    assert_eq!(actor, "cam@x.io");
    // The CAM still does not edit the rep's words.
    let r = w
        .srv
        .push(
            &w.users["cam"],
            "cam-dev",
            &[upsert(4, "call_note", "b-note", json!({"body": "y"}))],
        )
        .await;
    assert_eq!(statuses(&r), ["rejected:forbidden"]);
}

//! A partner rescope renumbers what moved as one block, cheaply, while the counter is held.

use cdesk_protocol::{MutationStatus, Role};
use cdesk_server::Settings;

use crate::support::{server_with, upsert};
use serde_json::json;

#[tokio::test]
async fn a_partner_rescope_renumbers_many_records_as_one_gap_free_block_that_pulls_see() {
    const UNDER: i64 = 1500;
    const USERS: i64 = 3000;
    let srv = server_with(Settings::default()).await;
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let cam = srv.user("cam@x.io", Role::Cam, None).await;
    let cam2 = srv.user("cam2@x.io", Role::Cam, None).await;
    let boss = srv.user("boss@x.io", Role::Manager, Some("emea")).await;
    // Many more users for the rescope to consider (inserted directly: hashing thousands of
    // passwords takes minutes), reps among them assigned to the partner. Checking each user
    // against each record took 1.0 s here in a debug build, with the counter locked; checking
    // each user once per distinct scope takes 0.14 s.
    sqlx::query(
        "INSERT INTO users (id, email, password_hash, role, region)
         SELECT 'bulk-' || i, 'bulk' || i || '@x.io', 'x',
                (ARRAY['cam', 'rep', 'manager'])[i % 3 + 1],
                CASE WHEN i % 3 = 2 THEN (ARRAY['emea', 'apac', 'americas'])[i % 9 / 3 + 1] END
         FROM generate_series(1, $1) AS i",
    )
    .bind(USERS)
    .execute(&srv.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO assignments (user_id, partner_id)
         SELECT id, 'p' FROM users WHERE role = 'rep' AND id LIKE 'bulk-%'",
    )
    .execute(&srv.pool)
    .await
    .unwrap();

    let mut next_id = 1;
    let mut batch = vec![upsert(
        next_id,
        "partner",
        "p",
        json!({"name": "P", "owner": "cam@x.io", "region": "emea"}),
    )];
    srv.push(&admin, "admin-dev", &batch).await;
    batch.clear();
    // People under p, interleaved with people under another partner, so that p's records hold
    // scattered numbers before the rescope.
    for i in 0..UNDER {
        for (partner, prefix) in [("p", "pp"), ("q", "qq")] {
            next_id += 1;
            batch.push(upsert(
                next_id,
                "person",
                &format!("{prefix}-{i}"),
                json!({"partner_id": partner, "name": format!("Person {i}")}),
            ));
        }
        if batch.len() >= 500 || i == UNDER - 1 {
            let r = srv.push(&admin, "admin-dev", &batch).await;
            assert!(r
                .results
                .iter()
                .all(|r| matches!(r.status, MutationStatus::Applied { .. })));
            batch.clear();
        }
    }
    let (_, cam_cursor) = srv.pull_all(&cam, 0).await;
    let (_, cam2_cursor) = srv.pull_all(&cam2, 0).await;
    let (_, boss_cursor) = srv.pull_all(&boss, 0).await;
    let old_order: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM records WHERE root_partner_id = 'p' AND kind = 'person' ORDER BY seq",
    )
    .fetch_all(&srv.pool)
    .await
    .unwrap();

    let started = std::time::Instant::now();
    let r = srv
        .push(
            &boss,
            "boss-dev",
            &[upsert(1, "partner", "p", json!({"owner": "cam2@x.io"}))],
        )
        .await;
    // The push's transaction holds the sequence counter from its start to its commit.
    eprintln!(
        "rescope of a partner with {UNDER} records and {USERS} users: push took {:?}",
        started.elapsed()
    );
    let MutationStatus::Applied { seq, .. } = r.results[0].status else {
        panic!("applied: {r:?}")
    };

    // One block right after the partner's own change, in the order of the old numbers.
    let renumbered: Vec<(String, i64)> = sqlx::query_as(
        "SELECT id, seq FROM records WHERE root_partner_id = 'p' AND kind = 'person' ORDER BY seq",
    )
    .fetch_all(&srv.pool)
    .await
    .unwrap();
    let seqs: Vec<i64> = renumbered.iter().map(|(_, s)| *s).collect();
    assert_eq!(
        seqs,
        (seq + 1..=seq + UNDER).collect::<Vec<_>>(),
        "gap-free block"
    );
    let ids: Vec<String> = renumbered.into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, old_order, "in the order the records last changed");
    let counter: i64 = sqlx::query_scalar("SELECT value FROM seq_counter")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(
        counter,
        seq + UNDER,
        "the counter stands at the block's end"
    );

    // The new owner pulls all of it, the old one a tombstone for each, the region's manager
    // nothing new to lose.
    let (changes, _) = srv.pull_all(&cam2, cam2_cursor).await;
    let upserts = changes
        .iter()
        .filter(|c| c.op == cdesk_protocol::Op::Upsert && c.entity_id.starts_with("pp-"))
        .count();
    assert_eq!(upserts as i64, UNDER, "the new owner pulls every record");
    let (changes, _) = srv.pull_all(&cam, cam_cursor).await;
    let tombstones = changes
        .iter()
        .filter(|c| c.op == cdesk_protocol::Op::Delete)
        .count();
    assert_eq!(
        tombstones as i64,
        UNDER + 1,
        "the old owner loses the partner and all under it"
    );
    let (changes, _) = srv.pull_all(&boss, boss_cursor).await;
    assert!(changes.iter().all(|c| c.op == cdesk_protocol::Op::Upsert));
    let exits_of_others: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM scope_exits WHERE user_id NOT IN (SELECT id FROM users WHERE email = 'cam@x.io')",
    )
    .fetch_one(&srv.pool)
    .await
    .unwrap();
    assert_eq!(
        exits_of_others, 0,
        "nobody else lost sight: same region, same assignments"
    );
}

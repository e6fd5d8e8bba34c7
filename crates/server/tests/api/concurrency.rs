use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use cdesk_protocol::{MutationStatus, PullResponse, Role};
use serde_json::json;

use crate::support::{server, upsert};

const PUSHERS: usize = 8;
const BATCHES: i64 = 25;
const PER_BATCH: i64 = 4;

/// Commit-ordered seqs: a puller running alongside many pushers never steps over a change.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_puller_never_skips_a_change_while_many_devices_push() {
    let srv = Arc::new(server().await);
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let done = Arc::new(AtomicBool::new(false));

    let puller = {
        let (srv, admin, done) = (srv.clone(), admin.clone(), done.clone());
        tokio::spawn(async move {
            let mut cursor = 0;
            let mut seen = BTreeSet::new();
            let mut pulls = 0;
            loop {
                // Read the flag before pulling: once it is set every push has committed, so a
                // pull that starts after it and comes back with nothing more is the end.
                let finished = done.load(Ordering::SeqCst);
                let PullResponse::Changes {
                    changes,
                    cursor: next,
                    has_more,
                    ..
                } = srv.pull_page(&admin, cursor, 50).await
                else {
                    panic!("no reset expected");
                };
                pulls += 1;
                for c in &changes {
                    assert!(c.seq > cursor, "pages only move forward");
                    seen.insert(c.seq);
                }
                cursor = next;
                if finished && !has_more {
                    return (seen, pulls);
                }
            }
        })
    };

    let mut pushers = Vec::new();
    for p in 0..PUSHERS {
        let (srv, admin) = (srv.clone(), admin.clone());
        pushers.push(tokio::spawn(async move {
            let mut applied = Vec::new();
            for b in 0..BATCHES {
                let batch: Vec<_> = (1..=PER_BATCH)
                    .map(|i| {
                        let id = b * PER_BATCH + i;
                        upsert(
                            id,
                            "curriculum_module",
                            &format!("m-{p}-{id}"),
                            json!({"title": "t"}),
                        )
                    })
                    .collect();
                let r = srv.push(&admin, &format!("device-{p}"), &batch).await;
                for res in r.results {
                    match res.status {
                        MutationStatus::Applied { seq, .. } => applied.push(seq),
                        other => panic!("every mutation applies: {other:?}"),
                    }
                }
            }
            applied
        }));
    }
    let mut all = BTreeSet::new();
    for p in pushers {
        all.extend(p.await.expect("pusher"));
    }
    done.store(true, Ordering::SeqCst);
    let (seen, pulls) = puller.await.expect("puller");

    let expected = PUSHERS as i64 * BATCHES * PER_BATCH;
    assert_eq!(all.len() as i64, expected, "every change got its own seq");
    assert_eq!(
        all.iter().copied().collect::<Vec<_>>(),
        (1..=expected).collect::<Vec<_>>(),
        "seqs are gap-free"
    );
    assert_eq!(
        seen, all,
        "the puller saw every applied change ({pulls} pulls)"
    );
}

/// Writers lock the counter before any record, so pushes that touch the same records in
/// different orders wait for each other instead of deadlocking.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pushes_touching_the_same_records_in_any_order_all_apply() {
    let srv = Arc::new(server().await);
    let admin = srv.user("admin@x.io", Role::Admin, None).await;
    let mut tasks = Vec::new();
    for p in 0..PUSHERS {
        let (srv, admin) = (srv.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            for b in 0..10i64 {
                let batch: Vec<_> = (0..5i64)
                    .map(|i| {
                        let record = (i + p as i64 + b) % 5;
                        upsert(
                            b * 5 + i + 1,
                            "badge",
                            &format!("shared-{record}"),
                            json!({"name": format!("{p}-{b}")}),
                        )
                    })
                    .collect();
                let r = srv.push(&admin, &format!("device-{p}"), &batch).await;
                assert!(r
                    .results
                    .iter()
                    .all(|r| matches!(r.status, MutationStatus::Applied { .. })));
            }
        }));
    }
    for t in tasks {
        t.await.expect("pusher");
    }
    let (changes, _) = srv.pull_all(&admin, 0).await;
    assert_eq!(
        changes.len(),
        5,
        "five shared records, each once, at its last change"
    );
}

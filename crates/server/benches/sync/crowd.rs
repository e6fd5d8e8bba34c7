//! Scenario 4: many desktops syncing against one server process at once. Each client is a
//! thread with its own in-memory store and session, signed in as its own CAM: it saves a
//! partner and some notes, waits for all the others, then syncs a few times, saving a few more
//! notes between syncs. Every error is counted; the run passes only with none.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use crate::client::{new_notes, new_partner, Client};
use crate::harness::{load_average, query_count, Server};
use crate::report::{Row, Stats, Target};
use crate::Sizes;

pub fn email(i: usize) -> String {
    format!("load-{i:03}@bench.example")
}

/// Sign-ins at once: each is an argon2 verification (19 MiB, tens of ms of CPU) on the server.
const SIGN_IN_AT_ONCE: usize = 4;

#[derive(Default)]
struct Outcome {
    pushes: Vec<Duration>,
    syncs: Vec<Duration>,
    errors: Vec<String>,
    pushed: usize,
}

fn client(
    i: usize,
    base: &str,
    sizes: &Sizes,
    signed_in: &AtomicUsize,
    start: &Barrier,
) -> Outcome {
    let mut out = Outcome::default();
    // Wait until all but the last few earlier clients are signed in.
    while signed_in.load(Ordering::SeqCst) + SIGN_IN_AT_ONCE <= i {
        thread::sleep(Duration::from_millis(2));
    }
    let me = email(i);
    let client = Client::sign_in(base, &me, None);
    signed_in.fetch_add(1, Ordering::SeqCst);
    let mut client = match client {
        Ok(mut c) => {
            let partner = new_partner(&mut c.store, &format!("Crowd Partner {i}"), &me);
            new_notes(&mut c.store, &partner, &me, sizes.client_notes, i as u64);
            Some((c, partner))
        }
        Err(e) => {
            out.errors.push(e);
            None
        }
    };
    // Everyone starts syncing together (a client that failed to sign in still arrives).
    start.wait();
    let Some((c, partner)) = client.as_mut() else {
        return out;
    };
    for round in 0..sizes.rounds {
        if round > 0 {
            new_notes(
                &mut c.store,
                partner,
                &me,
                sizes.notes_per_round,
                (i * 100 + round) as u64,
            );
        }
        match c.sync() {
            Ok(t) => {
                out.pushes.extend(&t.pushes);
                out.syncs.push(t.total);
                out.pushed += t.report.applied;
                if t.report.rejected > 0 || t.report.conflicts > 0 {
                    out.errors.push(format!("{me}: {:?}", t.report));
                }
            }
            Err(e) => out.errors.push(format!("{me} round {round}: {e}")),
        }
    }
    match c.store.read().outbox_len() {
        Ok(0) => {}
        Ok(n) => out.errors.push(format!("{me}: {n} changes left unpushed")),
        Err(e) => out.errors.push(format!("{me}: {e}")),
    }
    out
}

pub fn run(
    server: &Server,
    sizes: &Sizes,
    rows: &mut Vec<Row>,
    extra: &mut serde_json::Map<String, serde_json::Value>,
) {
    let signed_in = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(sizes.clients + 1));
    let handles: Vec<_> = (0..sizes.clients)
        .map(|i| {
            let (base, sizes) = (server.base.clone(), *sizes);
            let (signed_in, start) = (signed_in.clone(), start.clone());
            thread::Builder::new()
                .name(format!("client-{i}"))
                .spawn(move || client(i, &base, &sizes, &signed_in, &start))
                .expect("spawn a client thread")
        })
        .collect();
    start.wait();
    let began = Instant::now();
    let load_at_start = load_average();
    let mut all = Outcome::default();
    for h in handles {
        match h.join() {
            Ok(o) => {
                all.pushes.extend(o.pushes);
                all.syncs.extend(o.syncs);
                all.errors.extend(o.errors);
                all.pushed += o.pushed;
            }
            Err(_) => all.errors.push("a client thread panicked".into()),
        }
    }
    let wall = began.elapsed();
    let per_client = 1 + sizes.client_notes + (sizes.rounds - 1) * sizes.notes_per_round;
    let on_server = query_count(
        &server.database_url,
        "SELECT count(*) FROM records WHERE scope_owner LIKE 'load-%' OR author LIKE 'load-%'",
    ) as usize;
    if on_server != sizes.clients * per_client {
        all.errors.push(format!(
            "the server holds {on_server} of the clients' records, expected {}",
            sizes.clients * per_client
        ));
    }
    for e in all.errors.iter().take(20) {
        eprintln!("  error: {e}");
    }
    let load = load_average().max(load_at_start);
    let push = Stats::of(&all.pushes);
    let sync = Stats::of(&all.syncs);
    let what = format!("{} concurrent clients", sizes.clients);
    rows.push(Row {
        scenario: "4",
        what: format!("{what}: errors"),
        value: all.errors.len() as f64,
        unit: "",
        target: Target::Below { limit: 1.0 },
        detail: format!(
            "{} syncs, {} push requests, {} mutations applied in {:.1} s; server holds all {on_server}",
            all.syncs.len(),
            push.samples,
            all.pushed,
            wall.as_secs_f64()
        ),
        load_average: load,
    });
    for (p, v) in [("p50", push.p50), ("p95", push.p95), ("p99", push.p99)] {
        rows.push(Row {
            scenario: "4",
            what: format!("{what}: push latency {p}"),
            value: v,
            unit: "ms",
            target: Target::None,
            detail: format!(
                "one push request, sent to parsed answer; whole `sync_once` {p} {:.0} ms",
                match p {
                    "p50" => sync.p50,
                    "p95" => sync.p95,
                    _ => sync.p99,
                }
            ),
            load_average: load,
        });
    }
    extra.insert(
        "crowd_push_ms".into(),
        serde_json::to_value(push).unwrap_or_default(),
    );
    extra.insert(
        "crowd_sync_ms".into(),
        serde_json::to_value(sync).unwrap_or_default(),
    );
}

//! Scenario 2's data: `demo::generate` writes ~100,000 records into a scratch store, and they
//! reach the server the only way records do, through `POST /v1/sync/push` — each call note from
//! its author's session (nobody, not even an admin, writes a note in another's name), everything
//! else from the admin's. The note authors become users: a CAM if they own a partner, otherwise
//! a sales rep assigned to the partners they write about.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use cdesk_client::{MemorySecrets, Session};
use cdesk_core::demo::{self, DemoSize, DemoSummary};
use cdesk_core::store::Store;
use cdesk_core::sync::Transport;
use cdesk_protocol::{Mutation, MutationStatus, PushRequest, Role, MAX_PUSH_BATCH};

use crate::harness::{self, NewUser, Server, PASSWORD};

/// What seeding did.
pub struct Seeded {
    pub summary: DemoSummary,
    pub records: usize,
    pub generate: Duration,
    pub push: Duration,
    pub push_requests: usize,
    pub devices: usize,
}

fn field<'a>(m: &'a Mutation, name: &str) -> Option<&'a str> {
    m.patch.get(name).and_then(|v| v.as_str())
}

/// An email field, normalized as the server compares emails.
fn email(m: &Mutation, name: &str) -> Option<String> {
    field(m, name).map(|s| s.trim().to_lowercase())
}

pub fn seed(server: &Server, dir: &Path, size: DemoSize, admin: &str) -> Seeded {
    let started = Instant::now();
    let mut scratch = Store::open(&dir.join("demo.db")).expect("scratch store");
    let today = "2026-11-23".parse().expect("a date");
    let summary = demo::generate(&mut scratch, size, 42, today).expect("demo data");
    let all = scratch
        .read()
        .pending_mutations(10_000_000)
        .expect("the demo outbox");
    drop(scratch);
    let generate = started.elapsed();

    let owners: BTreeSet<String> = all
        .iter()
        .filter(|m| m.entity == "partner")
        .filter_map(|m| email(m, "owner"))
        .collect();
    let mut streams: BTreeMap<String, Vec<Mutation>> = BTreeMap::new();
    let mut written_about: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in all {
        let author = match m.entity.as_str() {
            "call_note" => email(&m, "author").expect("a note has an author"),
            _ => admin.to_string(),
        };
        if author != admin && !owners.contains(&author) {
            if let Some(p) = field(&m, "partner_id") {
                let p = p.to_string();
                written_about.entry(author.clone()).or_default().insert(p);
            }
        }
        streams.entry(author).or_default().push(m);
    }
    let records = streams.values().map(Vec::len).sum();
    let users: Vec<NewUser> = streams
        .keys()
        .filter(|a| *a != admin)
        .map(|a| NewUser {
            email: a.clone(),
            role: if owners.contains(a) {
                Role::Cam
            } else {
                Role::Rep
            },
        })
        .collect();
    harness::create_users(&server.database_url, &users);
    let pairs: Vec<(String, String)> = written_about
        .iter()
        .flat_map(|(rep, partners)| partners.iter().map(|p| (rep.clone(), p.clone())))
        .collect();
    harness::assign(&server.database_url, &pairs);

    // The admin's stream first: the notes hang under its partners, accounts and opportunities.
    let order = std::iter::once(admin.to_string())
        .chain(streams.keys().filter(|a| *a != admin).cloned())
        .collect::<Vec<_>>();
    let started = Instant::now();
    let mut push_requests = 0;
    for (d, author) in order.iter().enumerate() {
        let mut session = Session::sign_in(
            cdesk_client::Api::new(&server.base).expect("server address"),
            author,
            PASSWORD,
            "seed",
            Box::new(MemorySecrets::default()),
        )
        .unwrap_or_else(|e| panic!("{author} signs in: {e}"));
        let stream = &streams[author];
        for (b, batch) in stream.chunks(MAX_PUSH_BATCH).enumerate() {
            let request = PushRequest {
                device_id: format!("seed-{d}"),
                mutations: batch
                    .iter()
                    .enumerate()
                    .map(|(i, m)| Mutation {
                        mutation_id: (b * MAX_PUSH_BATCH + i + 1) as i64,
                        ..m.clone()
                    })
                    .collect(),
            };
            let response = session
                .push(&request)
                .unwrap_or_else(|e| panic!("seed push as {author}: {e}"));
            push_requests += 1;
            for r in &response.results {
                assert!(
                    matches!(r.status, MutationStatus::Applied { .. }),
                    "seed mutation by {author} not applied: {:?}",
                    r.status
                );
            }
        }
    }
    Seeded {
        summary,
        records,
        generate,
        push: started.elapsed(),
        push_requests,
        devices: order.len(),
    }
}

//! Times (and lets a profiler see) how a fresh client applies a big initial pull, without a
//! server: demo data is generated into one store, its outbox turned into pulled pages (JSON, as
//! they come over the wire), and those pages parsed and applied into a fresh file store the way
//! the sync engine does it.
//!
//! ```sh
//! cargo run --release -p cdesk-core --example pull_apply -- DIR [PARTNERS] [NOTES]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use cdesk_core::demo::{generate, DemoSize};
use cdesk_core::store::Store;
use cdesk_core::sync::{sync_once, OwnEchoes, SyncOptions, Transport, TransportError};
use cdesk_protocol::{Change, Op, PullResponse, PushRequest, PushResponse, MAX_PULL_PAGE};
use serde_json::{Map, Value};

/// Serves pre-rendered pull pages, parsing each like the HTTP client does.
struct Pages {
    pages: Vec<String>,
    parse_seconds: f64,
}

impl Transport for Pages {
    fn push(&mut self, _: &PushRequest) -> Result<PushResponse, TransportError> {
        Err(TransportError::Offline("no push here".into()))
    }
    fn pull(
        &mut self,
        cursor: i64,
        _limit: usize,
        _own: Option<OwnEchoes<'_>>,
    ) -> Result<PullResponse, TransportError> {
        let t = Instant::now();
        let page = &self.pages[(cursor as usize) / MAX_PULL_PAGE];
        let r = serde_json::from_str(page).map_err(|e| TransportError::Garbage(e.to_string()));
        self.parse_seconds += t.elapsed().as_secs_f64();
        r
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: pull_apply DIR [PARTNERS] [NOTES]")?,
    );
    let partners: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(400);
    let notes: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(59_400);
    let source = dir.join("source.db");
    if !source.exists() {
        let mut store = Store::open(&source)?;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        generate(&mut store, DemoSize { partners, notes }, 7, today)?;
    }
    let store = Store::open(&source)?;
    let mutations = store.read().pending_mutations(usize::MAX >> 1)?;
    let mut records: BTreeMap<(String, String), Option<Map<String, Value>>> = BTreeMap::new();
    let mut order = Vec::new();
    for m in mutations {
        let key = (m.entity.clone(), m.entity_id.clone());
        let slot = records.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Some(Map::new())
        });
        match m.op {
            Op::Delete => *slot = None,
            Op::Upsert => slot.get_or_insert_with(Map::new).extend(m.patch),
        }
    }
    drop(store);
    let changes: Vec<Change> = order
        .into_iter()
        .enumerate()
        .map(|(i, key)| {
            let fields = records.remove(&key).flatten();
            let seq = i as i64 + 1;
            Change {
                seq,
                op: if fields.is_some() {
                    Op::Upsert
                } else {
                    Op::Delete
                },
                field_versions: fields
                    .iter()
                    .flat_map(|f| f.keys().map(|k| (k.clone(), seq)))
                    .collect(),
                fields: fields.unwrap_or_default(),
                entity: key.0,
                entity_id: key.1,
            }
        })
        .collect();
    let total = changes.len();
    let pages: Vec<String> = changes
        .chunks(MAX_PULL_PAGE)
        .enumerate()
        .map(|(i, chunk)| {
            let last = ((i + 1) * MAX_PULL_PAGE).min(total) as i64;
            serde_json::to_string(&PullResponse::Changes {
                changes: chunk.to_vec(),
                cursor: last,
                has_more: (last as usize) < total,
                epoch: "e1".into(),
            })
            .unwrap()
        })
        .collect();
    drop(changes);
    let fresh = dir.join("fresh.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", fresh.display()));
    }
    let mut store = Store::open(&fresh)?;
    let mut transport = Pages {
        pages,
        parse_seconds: 0.0,
    };
    let started = Instant::now();
    let report = sync_once(&mut store, &mut transport, SyncOptions::default())?;
    println!(
        "applied {} of {total} changes in {:.2} s (parsing {:.2} s)",
        report.pulled,
        started.elapsed().as_secs_f64(),
        transport.parse_seconds
    );
    Ok(())
}

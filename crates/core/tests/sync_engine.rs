//! The client sync engine against an in-memory server that follows the protocol: exactly-once
//! push, one commit-ordered sequence, field-level conflicts, paged pull, reset — with faults
//! injected where real networks fail. It calls the real server's rules where it has them (the
//! record contract, the conflict rule); scopes, merges and echoes are tested against the real
//! server (crates/server/tests, crates/cli/tests/sync_e2e).

use std::collections::{BTreeMap, HashMap};

use cdesk_core::domain::*;
use cdesk_core::store::Store;
use cdesk_core::sync::{sync_once, OwnEchoes, SyncOptions, Transport, TransportError};
use cdesk_protocol::*;
use proptest::prelude::*;
use serde_json::{Map, Value};

#[derive(Default, Clone)]
struct Record {
    fields: Map<String, Value>,
    versions: BTreeMap<String, i64>,
    writers: BTreeMap<String, String>,
    seq: i64,
    deleted: bool,
}

/// The protocol's server, in memory.
struct MemoryServer {
    epoch: String,
    seq: i64,
    records: BTreeMap<(String, String), Record>,
    devices: HashMap<String, i64>,
    applied: Vec<(String, i64)>,
    conflicts: Vec<Conflict>,
    /// Reject every mutation of this kind (stands in for "no permission").
    forbidden_kind: Option<String>,
}

impl Default for MemoryServer {
    fn default() -> Self {
        MemoryServer {
            epoch: cdesk_core::time::new_id(),
            seq: 0,
            records: BTreeMap::new(),
            devices: HashMap::new(),
            applied: Vec::new(),
            conflicts: Vec::new(),
            forbidden_kind: None,
        }
    }
}

impl MemoryServer {
    fn push(&mut self, req: &PushRequest) -> PushResponse {
        // A device seen for the first time starts wherever its outbox starts.
        let first = req.mutations.first().map_or(0, |m| m.mutation_id - 1);
        let mut last = *self.devices.get(&req.device_id).unwrap_or(&first);
        let mut results = Vec::new();
        for m in &req.mutations {
            if m.mutation_id <= last {
                results.push(MutationResult {
                    mutation_id: m.mutation_id,
                    status: MutationStatus::Duplicate,
                });
                continue;
            }
            assert_eq!(m.mutation_id, last + 1, "client sent a gap");
            last = m.mutation_id;
            if self.forbidden_kind.as_deref() == Some(m.entity.as_str()) {
                results.push(MutationResult {
                    mutation_id: m.mutation_id,
                    status: MutationStatus::Rejected {
                        current: None,
                        code: "forbidden".into(),
                        message: "not yours".into(),
                    },
                });
                continue;
            }
            // The contract the real server checks: a record no store could hold is refused.
            if m.op == Op::Upsert {
                let mut fields = self
                    .records
                    .get(&(m.entity.clone(), m.entity_id.clone()))
                    .map(|r| r.fields.clone())
                    .unwrap_or_default();
                fields.extend(m.patch.clone());
                if let Err(e) = cdesk_core::record::check(&m.entity, &m.entity_id, &fields) {
                    results.push(MutationResult {
                        mutation_id: m.mutation_id,
                        status: MutationStatus::Rejected {
                            current: None,
                            code: "invalid".into(),
                            message: e.to_string(),
                        },
                    });
                    continue;
                }
            }
            self.seq += 1;
            let seq = self.seq;
            self.applied.push((req.device_id.clone(), m.mutation_id));
            let rec = self
                .records
                .entry((m.entity.clone(), m.entity_id.clone()))
                .or_default();
            rec.seq = seq;
            let mut conflicts = Vec::new();
            match m.op {
                Op::Delete => {
                    rec.deleted = true;
                    rec.fields.clear();
                }
                Op::Upsert => {
                    for (field, value) in &m.patch {
                        let writer = rec.writers.get(field).cloned().unwrap_or_default();
                        let old = rec.fields.get(field).cloned().unwrap_or(Value::Null);
                        // The server's own rule, not a copy of it.
                        let written = FieldWrite {
                            field,
                            value,
                            base: m.base_versions.get(field).copied().unwrap_or(0),
                            writer: &req.device_id,
                        };
                        let held = FieldState {
                            value: &old,
                            version: rec.versions.get(field).copied().unwrap_or(0),
                            writer: rec.writers.get(field).map(String::as_str),
                        };
                        if is_conflict(&written, &held) {
                            conflicts.push(Conflict {
                                id: format!("c{seq}-{field}"),
                                entity: m.entity.clone(),
                                entity_id: m.entity_id.clone(),
                                field: field.clone(),
                                overwritten_value: old,
                                overwritten_by: writer,
                                written_value: value.clone(),
                                written_by: req.device_id.clone(),
                                created_at: "now".into(),
                                resolved_at: None,
                                resolved_by: None,
                            });
                        }
                        rec.fields.insert(field.clone(), value.clone());
                        rec.versions.insert(field.clone(), seq);
                        rec.writers.insert(field.clone(), req.device_id.clone());
                    }
                }
            }
            self.conflicts.extend(conflicts.clone());
            results.push(MutationResult {
                mutation_id: m.mutation_id,
                status: MutationStatus::Applied { seq, conflicts },
            });
        }
        self.devices.insert(req.device_id.clone(), last);
        PushResponse {
            last_mutation_id: last,
            results,
        }
    }

    fn pull(&self, cursor: i64, limit: usize) -> PullResponse {
        if cursor > self.seq {
            return PullResponse::Reset {
                reason: "unknown cursor".into(),
            };
        }
        let mut page: Vec<&Record> = self.records.values().filter(|r| r.seq > cursor).collect();
        page.sort_by_key(|r| r.seq);
        let has_more = page.len() > limit;
        page.truncate(limit);
        let changes: Vec<Change> = self
            .records
            .iter()
            .filter(|(_, r)| page.iter().any(|p| std::ptr::eq(*p, *r)))
            .map(|((kind, id), r)| Change {
                seq: r.seq,
                entity: kind.clone(),
                entity_id: id.clone(),
                op: if r.deleted { Op::Delete } else { Op::Upsert },
                fields: r.fields.clone(),
                field_versions: r.versions.clone(),
            })
            .collect();
        let mut changes = changes;
        changes.sort_by_key(|c| c.seq);
        let next = if has_more {
            changes.last().map_or(cursor, |c| c.seq)
        } else {
            self.seq
        };
        PullResponse::Changes {
            changes,
            cursor: next,
            has_more,
            epoch: self.epoch.clone(),
        }
    }
}

/// Where the network fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The request never reaches the server.
    DropRequest,
    /// The server applies the push, the answer is lost.
    DropPushResponse,
    /// The server answers nonsense to a pull.
    GarbagePull,
    /// This many pulls are answered, then the connection is gone.
    CutPullAfter(usize),
}

struct Link<'a> {
    server: &'a mut MemoryServer,
    fault: Fault,
}

impl Transport for Link<'_> {
    fn push(&mut self, req: &PushRequest) -> Result<PushResponse, TransportError> {
        match self.fault {
            Fault::DropRequest => Err(TransportError::Offline("connection refused".into())),
            Fault::DropPushResponse => {
                self.server.push(req);
                Err(TransportError::Offline("connection reset".into()))
            }
            _ => Ok(self.server.push(req)),
        }
    }
    fn pull(
        &mut self,
        cursor: i64,
        limit: usize,
        _own: Option<OwnEchoes<'_>>,
    ) -> Result<PullResponse, TransportError> {
        match self.fault {
            Fault::DropRequest => Err(TransportError::Offline("connection refused".into())),
            Fault::GarbagePull => Ok(PullResponse::Changes {
                changes: vec![],
                cursor: cursor - 1,
                has_more: false,
                epoch: self.server.epoch.clone(),
            }),
            Fault::CutPullAfter(0) => Err(TransportError::Offline("connection reset".into())),
            Fault::CutPullAfter(ref mut left) => {
                *left -= 1;
                Ok(self.server.pull(cursor, limit))
            }
            _ => Ok(self.server.pull(cursor, limit)),
        }
    }
}

fn sync(
    store: &mut Store,
    server: &mut MemoryServer,
    fault: Fault,
) -> Result<cdesk_core::sync::SyncReport, cdesk_core::sync::SyncError> {
    // Two pages per local transaction at most, and sometimes one: grouping is exercised too.
    let options = SyncOptions {
        push_batch: 3,
        pull_page: 4,
        apply_batch: 6,
    };
    sync_once(store, &mut Link { server, fault }, options)
}

fn partner(name: &str) -> Partner {
    Partner::new(name, Track::Open, Region::Emea, "cam@vendor.example")
}

/// The user data of a store (rules rows are seeded identically everywhere and left out).
fn data(store: &Store) -> BTreeMap<(String, String), Map<String, Value>> {
    store
        .read()
        .snapshot()
        .unwrap()
        .into_iter()
        .filter(|((kind, _), _)| ["partner", "call_note", "next_step"].contains(&kind.as_str()))
        .map(|(k, mut v)| {
            v.remove("updated_at");
            (k, v)
        })
        .collect()
}

#[test]
fn two_offline_clients_converge() {
    let mut server = MemoryServer::default();
    let (mut a, mut b) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    let pa = partner("Acme");
    let pb = partner("Globex");
    a.write(|w| w.put(&pa)).unwrap();
    b.write(|w| w.put(&pb)).unwrap();
    for _ in 0..2 {
        sync(&mut a, &mut server, Fault::None).unwrap();
        sync(&mut b, &mut server, Fault::None).unwrap();
    }
    assert_eq!(data(&a), data(&b));
    assert_eq!(a.read().partner_count().unwrap(), 2);
    assert_eq!(a.read().sync_status().unwrap().pending, 0);
}

#[test]
fn a_lost_push_answer_is_retried_and_applied_exactly_once() {
    let mut server = MemoryServer::default();
    let mut a = Store::open_in_memory().unwrap();
    let p = partner("Acme");
    a.write(|w| w.put(&p)).unwrap();
    let err = sync(&mut a, &mut server, Fault::DropPushResponse).unwrap_err();
    assert!(err.is_transient());
    assert_eq!(
        a.read().outbox_len().unwrap(),
        1,
        "unacknowledged: still pending"
    );
    assert!(
        a.read().sync_status().unwrap().last_error.is_some(),
        "the error is shown"
    );
    let report = sync(&mut a, &mut server, Fault::None).unwrap();
    assert_eq!(report.duplicates, 1, "the retry is recognised");
    assert_eq!(server.applied.len(), 1, "applied once");
    assert_eq!(a.read().outbox_len().unwrap(), 0);
    assert_eq!(
        a.read().sync_status().unwrap().last_error,
        None,
        "success clears the error"
    );
}

#[test]
fn an_unreachable_server_leaves_everything_in_place() {
    let mut server = MemoryServer::default();
    let mut a = Store::open_in_memory().unwrap();
    a.write(|w| w.put(&partner("Acme"))).unwrap();
    let before = a.read().snapshot().unwrap();
    assert!(sync(&mut a, &mut server, Fault::DropRequest).is_err());
    assert_eq!(a.read().snapshot().unwrap(), before);
    assert_eq!(a.read().outbox_len().unwrap(), 1);
    sync(&mut a, &mut server, Fault::None).unwrap();
    assert_eq!(server.records.len(), 1);
}

#[test]
fn a_garbage_answer_changes_nothing_and_the_next_sync_works() {
    let mut server = MemoryServer::default();
    let (mut a, mut b) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    a.write(|w| w.put(&partner("Acme"))).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();
    b.write(|w| w.put(&partner("Initech"))).unwrap();
    let cursor = b.read().sync_cursor().unwrap();
    let err = sync(&mut b, &mut server, Fault::GarbagePull).unwrap_err();
    assert!(err.to_string().contains("unexpected"), "{err}");
    assert_eq!(b.read().sync_cursor().unwrap(), cursor, "cursor not moved");
    sync(&mut b, &mut server, Fault::None).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    assert_eq!(data(&a), data(&b));
}

#[test]
fn a_pending_local_field_is_not_overwritten_by_a_pull() {
    let mut server = MemoryServer::default();
    let (mut a, mut b) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    let p = partner("Acme");
    a.write(|w| w.put(&p)).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();

    let mut on_b = b.read().partner(&p.id).unwrap();
    on_b.account_notes = "B's notes".into();
    on_b.owner = "other.cam@vendor.example".into();
    b.write(|w| w.put(&on_b)).unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();

    let mut on_a = a.read().partner(&p.id).unwrap();
    on_a.account_notes = "A's notes, typed offline".into();
    a.write(|w| w.put(&on_a)).unwrap();
    // Pull only: A's notes must survive, B's owner change must arrive.
    a.apply_pull(
        &match server.pull(a.read().sync_cursor().unwrap(), 100) {
            PullResponse::Changes { changes, .. } => changes,
            other => panic!("{other:?}"),
        },
        server.seq,
        &server.epoch,
    )
    .unwrap();
    let now = a.read().partner(&p.id).unwrap();
    assert_eq!(
        now.account_notes, "A's notes, typed offline",
        "pending field kept"
    );
    assert_eq!(now.owner, "other.cam@vendor.example", "other fields pulled");

    let report = sync(&mut a, &mut server, Fault::None).unwrap();
    assert_eq!(
        report.conflicts, 1,
        "both edited account_notes without seeing each other"
    );
    let conflicts = a.read().open_conflicts().unwrap();
    assert_eq!(conflicts[0].field, "account_notes");
    assert_eq!(conflicts[0].overwritten_value, Value::from("B's notes"));
    assert_eq!(
        conflicts[0].written_value,
        Value::from("A's notes, typed offline")
    );
    sync(&mut b, &mut server, Fault::None).unwrap();
    assert_eq!(data(&a), data(&b), "later arrival wins on both");
}

#[test]
fn editing_your_own_pushed_field_again_is_no_conflict() {
    let mut server = MemoryServer::default();
    let mut a = Store::open_in_memory().unwrap();
    let mut p = partner("Acme");
    a.write(|w| w.put(&p)).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    for text in ["one", "two", "three"] {
        p.account_notes = text.into();
        a.write(|w| w.put(&p)).unwrap();
    }
    let report = sync(&mut a, &mut server, Fault::None).unwrap();
    assert_eq!(report.conflicts, 0);
    assert_eq!(a.read().partner(&p.id).unwrap().account_notes, "three");
}

#[test]
fn a_rejected_change_is_kept_and_does_not_block_the_queue() {
    let mut server = MemoryServer {
        forbidden_kind: Some("call_note".into()),
        ..Default::default()
    };
    let mut a = Store::open_in_memory().unwrap();
    let p = partner("Acme");
    let mut n = CallNote::new("Call", "", "ae");
    n.partner_id = Some(p.id.clone());
    a.write(|w| {
        w.put(&p)?;
        w.put(&n)
    })
    .unwrap();
    let p2 = partner("Globex");
    a.write(|w| w.put(&p2)).unwrap();
    let report = sync(&mut a, &mut server, Fault::None).unwrap();
    assert_eq!((report.applied, report.rejected), (2, 1));
    assert_eq!(a.read().outbox_len().unwrap(), 0, "the queue moved on");
    let rejected = a.read().rejected_changes().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        (rejected[0].entity.as_str(), rejected[0].code.as_str()),
        ("call_note", "forbidden")
    );
    assert_eq!(a.read().sync_status().unwrap().rejected, 1);
    a.dismiss_rejected(rejected[0].mutation_id).unwrap();
    assert_eq!(a.read().sync_status().unwrap().rejected, 0);
}

#[test]
fn a_reset_resyncs_without_losing_the_outbox() {
    let mut server = MemoryServer::default();
    let mut a = Store::open_in_memory().unwrap();
    a.write(|w| w.put(&partner("Acme"))).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    // The server lost its history (restored from an old backup): our cursor is unknown there.
    let mut fresh = MemoryServer::default();
    a.write(|w| w.put(&partner("Globex"))).unwrap();
    let report = sync(&mut a, &mut fresh, Fault::None).unwrap();
    assert!(fresh.seq >= a.read().sync_cursor().unwrap());
    assert_eq!(
        report.resets, 1,
        "the new epoch is noticed although its seq passed our cursor"
    );
    assert_eq!(a.read().outbox_len().unwrap(), 0);
    assert_eq!(
        fresh.records.len(),
        2,
        "the pending change reached the new server, and so did what it had lost"
    );
    assert_eq!(report.restored_to_server, 1, "Acme went back up");
    assert_eq!(
        a.read().partner_count().unwrap(),
        2,
        "nothing local was lost"
    );
}

#[test]
fn deletes_travel_as_tombstones() {
    let mut server = MemoryServer::default();
    let (mut a, mut b) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    let p = partner("Acme");
    let mut n = CallNote::new("Call", "", "ae");
    n.partner_id = Some(p.id.clone());
    a.write(|w| {
        w.put(&p)?;
        w.put(&n)
    })
    .unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();
    assert_eq!(b.read().note_count().unwrap(), 1);
    a.write(|w| w.delete::<CallNote>(&n.id)).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();
    assert_eq!(b.read().note_count().unwrap(), 0);
    assert_eq!(data(&a), data(&b));
}

/// Search indexing is deferred while pulled pages are applied (one FTS5 write per transaction,
/// not one per row): what arrives is still found, by its new words once edited elsewhere, not
/// after it is deleted, and local saves after a pull are indexed as before.
#[test]
fn pulled_records_are_searchable_and_follow_edits_and_deletes() {
    let mut server = MemoryServer::default();
    let (mut a, mut b) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    let p = partner("Acme");
    let mut notes: Vec<CallNote> = (0..10)
        .map(|i| {
            let mut n = CallNote::new(&format!("Kubernetes call {i}"), "kubernetes rollout", "ae");
            n.partner_id = Some(p.id.clone());
            n
        })
        .collect();
    a.write(|w| {
        w.put(&p)?;
        notes.iter().try_for_each(|n| w.put(n).map(|_| ()))
    })
    .unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();
    let ids = |store: &Store, q: &str| -> Vec<String> {
        let mut ids: Vec<String> = store
            .read()
            .search(q, 50)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        ids.sort();
        ids
    };
    let mut all: Vec<String> = notes.iter().map(|n| n.id.clone()).collect();
    all.sort();
    assert_eq!(ids(&b, "kubernetes"), all, "pulled over three pages");
    assert_eq!(ids(&b, "acme").len(), 1, "the partner too");

    notes[0].title = "Terraform call".into();
    notes[0].body = "all terraform now".into();
    a.write(|w| w.put(&notes[0])).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();
    assert_eq!(ids(&b, "terraform"), vec![notes[0].id.clone()], "new words");
    assert_eq!(ids(&b, "kubernetes").len(), 9, "old words gone");

    a.write(|w| w.delete::<CallNote>(&notes[0].id)).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();
    assert!(ids(&b, "terraform").is_empty(), "deleted");

    let mut local = CallNote::new("Helm review", "", "ae");
    local.partner_id = Some(p.id.clone());
    b.write(|w| w.put(&local)).unwrap();
    assert_eq!(
        ids(&b, "helm"),
        vec![local.id],
        "a local save indexes at once"
    );
}

/// Pulled pages wait to be applied together (up to `apply_batch` changes): when the connection
/// drops mid-pull, the pages that did arrive are applied with their cursor before the error is
/// returned, and the next sync carries on from there.
#[test]
fn pages_that_arrived_before_a_cut_are_kept() {
    let mut server = MemoryServer::default();
    let (mut a, mut b) = (
        Store::open_in_memory().unwrap(),
        Store::open_in_memory().unwrap(),
    );
    a.write(|w| (0..10).try_for_each(|i| w.put(&partner(&format!("P{i}"))).map(|_| ())))
        .unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();

    // Page size 4, applied in groups of up to 6: the first page waits for the second, whose
    // pull fails.
    let err = sync(&mut b, &mut server, Fault::CutPullAfter(1)).unwrap_err();
    assert!(err.is_transient(), "{err}");
    assert_eq!(data(&b).len(), 4, "the page that arrived is applied");
    let cursor = b.read().sync_cursor().unwrap();
    assert!(cursor > 0, "with its cursor");

    let report = sync(&mut b, &mut server, Fault::None).unwrap();
    assert_eq!(report.pulled, 6, "the rest, from that cursor");
    assert_eq!(data(&a), data(&b));
}

#[derive(Debug, Clone)]
enum Step {
    AddPartner(usize),
    EditNotes(usize, u8, String),
    AddNote(usize, u8),
    DeleteNote(usize, u8),
    Sync(usize, u8),
}

fn step(clients: usize) -> impl Strategy<Value = Step> {
    let c = 0..clients;
    prop_oneof![
        c.clone().prop_map(Step::AddPartner),
        (c.clone(), any::<u8>(), "[a-z]{0,6}").prop_map(|(c, i, s)| Step::EditNotes(c, i, s)),
        (c.clone(), any::<u8>()).prop_map(|(c, i)| Step::AddNote(c, i)),
        (c.clone(), any::<u8>()).prop_map(|(c, i)| Step::DeleteNote(c, i)),
        (c, 0u8..8).prop_map(|(c, f)| Step::Sync(c, f)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn clients_converge_whatever_the_order_and_the_faults(steps in prop::collection::vec(step(3), 1..60)) {
        let mut server = MemoryServer::default();
        let mut clients: Vec<Store> = (0..3).map(|_| Store::open_in_memory().unwrap()).collect();
        for s in steps {
            match s {
                Step::AddPartner(c) => {
                    let n = clients[c].read().partner_count().unwrap();
                    clients[c].write(|w| w.put(&partner(&format!("P{c}-{n}")))).unwrap();
                }
                Step::EditNotes(c, i, text) => {
                    let all = clients[c].read().partners(&Default::default()).unwrap();
                    if let Some(mut p) = all.get(i as usize % all.len().max(1)).cloned() {
                        p.account_notes = text;
                        clients[c].write(|w| w.put(&p)).unwrap();
                    }
                }
                Step::AddNote(c, i) => {
                    let all = clients[c].read().partners(&Default::default()).unwrap();
                    if let Some(p) = all.get(i as usize % all.len().max(1)) {
                        let mut n = CallNote::new("Call", "body", "ae");
                        n.partner_id = Some(p.id.clone());
                        clients[c].write(|w| w.put(&n)).unwrap();
                    }
                }
                Step::DeleteNote(c, i) => {
                    let notes = clients[c].read().notes(&Default::default()).unwrap();
                    if let Some(n) = notes.get(i as usize % notes.len().max(1)) {
                        clients[c].write(|w| w.delete::<CallNote>(&n.id)).unwrap();
                    }
                }
                Step::Sync(c, f) => {
                    let fault = match f { 0 => Fault::DropRequest, 1 => Fault::DropPushResponse, 2 => Fault::GarbagePull, _ => Fault::None };
                    let result = sync(&mut clients[c], &mut server, fault);
                    if fault == Fault::None || fault == Fault::DropRequest {
                        prop_assert_eq!(result.is_ok(), fault == Fault::None, "{:?}", result);
                    }
                }
            }
        }
        // Quiet network: everyone syncs until nothing is pending anywhere.
        for _ in 0..2 {
            for c in clients.iter_mut() {
                sync(c, &mut server, Fault::None).unwrap();
            }
        }
        let mut applied = server.applied.clone();
        let total = applied.len();
        applied.sort();
        applied.dedup();
        prop_assert_eq!(applied.len(), total, "no mutation applied twice");
        let expected: BTreeMap<_, _> = server
            .records
            .iter()
            .filter(|(_, r)| !r.deleted)
            .map(|(k, r)| {
                let mut f = r.fields.clone();
                f.insert("id".into(), Value::from(k.1.clone()));
                f.remove("updated_at");
                (k.clone(), f)
            })
            .collect();
        for c in &clients {
            prop_assert_eq!(c.read().outbox_len().unwrap(), 0);
            prop_assert_eq!(&data(c), &expected, "every client equals the server");
        }
    }
}

#[test]
fn a_restored_backup_syncs_as_a_new_device_and_loses_nothing() {
    let mut server = MemoryServer::default();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("channel-desk.db");
    let mut a = Store::open(&path).unwrap();
    a.write(|w| w.put(&partner("Acme"))).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    let backup = a.backup_now().unwrap();
    // After the backup: one change that reached the server, one that never did.
    a.write(|w| w.put(&partner("Globex"))).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();
    a.write(|w| w.put(&partner("Lost with the disk"))).unwrap();
    drop(a);

    cdesk_core::store::restore(&path, backup.path.as_ref()).unwrap();
    let mut a = Store::open(&path).unwrap();
    // The restored copy's next mutation id is one the old device already used for Globex.
    a.write(|w| w.put(&partner("Initech"))).unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();

    let names: Vec<String> = server
        .records
        .values()
        .filter_map(|r| {
            r.fields
                .get("name")
                .and_then(Value::as_str)
                .map(String::from)
        })
        .collect();
    assert!(
        names.contains(&"Initech".to_string()),
        "the restored copy's new change reached the server, not taken as a duplicate: {names:?}"
    );
    let mut b = Store::open_in_memory().unwrap();
    sync(&mut b, &mut server, Fault::None).unwrap();
    assert_eq!(
        data(&a),
        data(&b),
        "the restored copy pulled what the old device pushed after the backup"
    );
    assert_eq!(
        a.read().partner_count().unwrap(),
        3,
        "Acme, Globex, Initech"
    );
    assert_eq!(a.read().sync_status().unwrap().pending, 0);
}

/// Holds the database's write lock (another connection, nothing written) until the pull of
/// page `release_at`: an engine that waited for each group to be applied before downloading
/// the next page would wait on that lock until its busy timeout.
struct LockedUntil<'a> {
    server: &'a MemoryServer,
    blocker: Option<rusqlite::Connection>,
    release_at: usize,
    pulls: usize,
}

impl Transport for LockedUntil<'_> {
    fn push(&mut self, _: &PushRequest) -> Result<PushResponse, TransportError> {
        Err(TransportError::Offline("pull only".into()))
    }
    fn pull(
        &mut self,
        cursor: i64,
        limit: usize,
        _own: Option<OwnEchoes<'_>>,
    ) -> Result<PullResponse, TransportError> {
        self.pulls += 1;
        if self.pulls == self.release_at {
            let blocker = self.blocker.take().expect("still locked");
            blocker.execute_batch("COMMIT").unwrap();
        }
        Ok(self.server.pull(cursor, limit))
    }
}

/// The next pages are downloaded while the ones before are being applied.
#[test]
fn the_next_pages_download_while_the_previous_ones_are_applied() {
    let mut server = MemoryServer::default();
    let mut a = Store::open_in_memory().unwrap();
    a.write(|w| (0..12).try_for_each(|i| w.put(&partner(&format!("P{i}"))).map(|_| ())))
        .unwrap();
    sync(&mut a, &mut server, Fault::None).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut b = Store::open(&path).unwrap();
    b.device_id().unwrap(); // made on first use: a write
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Pages of 4, groups of 8: the first group (pulls 1 and 2) waits on the lock, which the
    // third pull releases.
    let options = SyncOptions {
        push_batch: 3,
        pull_page: 4,
        apply_batch: 8,
    };
    let mut link = LockedUntil {
        server: &server,
        blocker: Some(blocker),
        release_at: 3,
        pulls: 0,
    };
    let report = sync_once(&mut b, &mut link, options).unwrap();
    assert_eq!(report.pulled, 12);
    assert_eq!(link.pulls, 3);
    assert_eq!(data(&a), data(&b));
    assert_eq!(b.read().sync_cursor().unwrap(), server.seq);
}

/// Groups of pulled pages are not checkpointed one by one (each checkpoint copies the WAL into
/// the file and syncs both): the WAL takes them all, and is checkpointed and truncated once
/// when the pull is done.
#[test]
fn a_big_pull_is_checkpointed_once_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut b = Store::open(&path).unwrap();
    let size = |suffix: &str| {
        std::fs::metadata(format!("{}{suffix}", path.display()))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let notes = "word ".repeat(8_000); // 40 KB
    let mut seq = 0;
    let mut group = |n: usize| -> Vec<Change> {
        (0..n)
            .map(|i| {
                seq += 1;
                let mut p = partner(&format!("P{seq} {i}"));
                p.account_notes = notes.clone();
                let Value::Object(fields) = serde_json::to_value(&p).unwrap() else {
                    unreachable!()
                };
                Change {
                    seq,
                    entity: "partner".into(),
                    entity_id: p.id.clone(),
                    op: Op::Upsert,
                    field_versions: fields.keys().map(|k| (k.clone(), seq)).collect(),
                    fields,
                }
            })
            .collect()
    };
    let file_before = size("");
    // Three groups of about 12 MB: past the automatic checkpoint's 16 MB of WAL by the second.
    for _ in 0..3 {
        let changes = group(300);
        let cursor = changes.last().unwrap().seq;
        b.apply_pull(&changes, cursor, "e1").unwrap();
    }
    assert!(
        size("") < file_before + 1_000_000,
        "no checkpoint while pulling: file {} bytes, was {file_before}",
        size("")
    );
    assert!(size("-wal") > 30_000_000, "the WAL holds the groups");

    b.checkpoint_after_pull().unwrap();
    assert_eq!(size("-wal"), 0, "checkpointed and truncated");
    assert!(size("") > 30_000_000, "into the file");
    assert_eq!(b.read().sync_cursor().unwrap(), 900);

    // Later writes checkpoint on their own again.
    for _ in 0..2 {
        let changes = group(300);
        let cursor = changes.last().unwrap().seq;
        b.apply_pull(&changes, cursor, "e1").unwrap();
    }
    let file = size("");
    b.write(|w| w.put(&partner("After")).map(|_| ())).unwrap();
    assert!(
        size("") > file,
        "a local save past 16 MB of WAL checkpoints"
    );
}

//! The model-based sync test: five laptops of four people in three roles, the real `cdesk` on
//! real encrypted profiles, against the real server on a real PostgreSQL.
//!
//! Random steps: notes, partner edits, offline drafts of the same plan, deletions, hand-overs by
//! the manager and back, hand-overs a CAM may not make (refused), a rep losing and regaining a
//! partner, syncs that are cut by the network or SIGKILLed, a profile folder copied back from a
//! backup, and the server restored from its dump with `renew-epoch`. At the end, on a quiet
//! network:
//! - every sync succeeds, and the laptops come to rest (nothing stuck);
//! - every laptop equals a fresh profile of its person, that is what the server lets them see;
//! - the audit trail applied each mutation once;
//! - every note written (and not removed, nor lost with the copy it lived in) is on the server,
//!   or listed on its laptop as refused.
//!
//! `CDESK_MODEL_CASES` sets the number of cases (2 by default), `CDESK_MODEL_SEED` replays one.
//! A failing case names its seed.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use cdesk_core::domain::CallNote;
use cdesk_core::store::{NoteFilter, PartnerFilter};
use cdesk_testkit::proxy::{FaultProxy, Mode};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The laptops: 0 and 1 are the first CAM's laptop and desktop, 2 the second CAM's, 3 their
/// regional manager's, 4 the rep's (assigned to the first partner).
const LAPTOPS: usize = 5;
const CAMS: [usize; 3] = [0, 1, 2];
const MANAGER: usize = 3;
/// The partners of a case: the first CAM owns the first two, the second CAM the third.
const PARTNERS: usize = 3;

#[derive(Debug, Clone)]
enum Step {
    Note(usize, usize),
    PartnerNotes(usize, usize, u8),
    /// A draft of the partner's FY27 plan (on two laptops offline: two drafts of one plan).
    Plan(usize, usize, u8),
    Delete(usize, usize),
    /// The manager hands the partner to the other CAM (and a later one hands it back).
    HandOver(usize),
    /// A CAM hands her partner over herself, which only a manager may do: refused.
    SelfHandOver(usize, usize),
    /// The admin assigns the rep to the partner, or takes the assignment away.
    ToggleRep(usize),
    Sync(usize),
    /// A sync through a network that drops or cuts the connection.
    CutSync(usize, Mode),
    /// A `cdesk sync` SIGKILLed after this many milliseconds.
    KilledSync(usize, u64),
    /// The OS backs up the profile folder.
    Backup(usize),
    /// A profile folder is copied back from its last backup (same path, same key): the n-th of
    /// the laptops that have a backup.
    Restore(usize),
    /// The operator's `pg_dump`.
    Dump,
    /// The server restored from the last dump, with `renew-epoch`.
    ServerRestore,
}

fn step() -> impl Strategy<Value = Step> {
    let l = 0..LAPTOPS;
    let p = 0..PARTNERS;
    let cam = prop::sample::select(CAMS.to_vec());
    prop_oneof![
        6 => (l.clone(), p.clone()).prop_map(|(l, p)| Step::Note(l, p)),
        2 => (l.clone(), p.clone(), any::<u8>()).prop_map(|(l, p, v)| Step::PartnerNotes(l, p, v)),
        3 => (l.clone(), p.clone(), any::<u8>()).prop_map(|(l, p, v)| Step::Plan(l, p, v)),
        1 => (l.clone(), 0..32usize).prop_map(|(l, n)| Step::Delete(l, n)),
        2 => p.clone().prop_map(Step::HandOver),
        1 => (cam, p.clone()).prop_map(|(c, p)| Step::SelfHandOver(c, p)),
        1 => p.prop_map(Step::ToggleRep),
        6 => l.clone().prop_map(Step::Sync),
        2 => (l.clone(), prop_oneof![
            Just(Mode::Drop),
            (200..4000usize).prop_map(Mode::Truncate),
        ]).prop_map(|(l, m)| Step::CutSync(l, m)),
        2 => (l.clone(), 0..400u64).prop_map(|(l, ms)| Step::KilledSync(l, ms)),
        1 => l.clone().prop_map(Step::Backup),
        1 => l.prop_map(Step::Restore),
        1 => Just(Step::Dump),
        1 => Just(Step::ServerRestore),
    ]
}

/// One laptop: a real `cdesk` profile whose syncs go through its own fault proxy.
struct Device {
    laptop: Laptop,
    email: String,
    proxy: FaultProxy,
    backup: Option<tempfile::TempDir>,
}

impl Device {
    fn new(server: &Server, keyring: &SecretService, email: &str) -> Device {
        let laptop = Laptop::new(keyring, email);
        let proxy = FaultProxy::start(server.addr()).unwrap();
        laptop.login(&proxy.url(), email);
        Device {
            laptop,
            email: email.to_string(),
            proxy,
            backup: None,
        }
    }

    /// The names of the partners this laptop shows.
    fn partner_names(&self) -> BTreeSet<String> {
        self.laptop
            .store()
            .read()
            .partners(&PartnerFilter::default())
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    fn notes(&self) -> Vec<CallNote> {
        self.laptop
            .store()
            .read()
            .notes(&NoteFilter {
                limit: 1_000_000,
                ..Default::default()
            })
            .unwrap()
    }

    /// The titles of the creations this laptop's server refused, as it lists them.
    fn refused_titles(&self) -> BTreeSet<String> {
        self.laptop
            .store()
            .read()
            .rejected_changes()
            .unwrap()
            .into_iter()
            .filter_map(|c| c.patch["title"].as_str().map(str::to_string))
            .collect()
    }

    /// A `cdesk sync`; whether it succeeded, and its report if it did.
    fn sync(&self) -> Option<Value> {
        let out = self.laptop.run(&["--json", "sync"]);
        out.status
            .success()
            .then(|| serde_json::from_slice(&out.stdout).expect("a sync report"))
    }

    fn snapshot(&self) -> Value {
        snapshot(&self.laptop)
    }
}

/// Partners, notes and FY27 plans as a laptop holds them, comparable across laptops.
fn snapshot(l: &Laptop) -> Value {
    let store = l.store();
    let r = store.read();
    let mut v = serde_json::json!({
        "partners": r.partners(&PartnerFilter::default()).unwrap(),
        "notes": r.notes(&NoteFilter { limit: 1_000_000, ..Default::default() }).unwrap(),
        "plans": r.business_plans_for_year(2027).unwrap(),
    });
    strip(&mut v, "updated_at");
    for key in ["partners", "notes", "plans"] {
        sort_by_id(&mut v[key]);
    }
    v
}

/// The state of one case, and what the model expects of it.
struct Case<'a> {
    server: &'a mut Server,
    keyring: &'a SecretService,
    case: usize,
    emails: [String; 4],
    devices: Vec<Device>,
    /// Partner ids, in the order of [`Case::partner_name`].
    partner_ids: Vec<String>,
    /// Partners the rep is assigned to, as the server holds it.
    assigned: BTreeSet<usize>,
    /// The last dump, with the assignments it holds.
    dump: Option<(Vec<u8>, BTreeSet<usize>)>,
    /// Every note written and not removed, by title: the laptop that wrote it.
    written: BTreeMap<String, usize>,
    made: usize,
    /// How often each mishap really happened (a restore needs a backup first, and so on).
    seen: BTreeMap<&'static str, usize>,
}

impl<'a> Case<'a> {
    fn new(server: &'a mut Server, keyring: &'a SecretService, case: usize) -> Case<'a> {
        let emails = [
            format!("cam-a{case}@vendor.example"),
            format!("cam-b{case}@vendor.example"),
            format!("boss{case}@vendor.example"),
            format!("rep{case}@vendor.example"),
        ];
        server.add_user(&emails[0], Role::Cam, None);
        server.add_user(&emails[1], Role::Cam, None);
        server.add_user(&emails[2], Role::Manager, Some("emea"));
        server.add_user(&emails[3], Role::Rep, None);
        let people = [0, 0, 1, 2, 3];
        let devices = people
            .iter()
            .map(|&p| Device::new(server, keyring, &emails[p]))
            .collect();
        let mut case = Case {
            server,
            keyring,
            case,
            emails,
            devices,
            partner_ids: Vec::new(),
            assigned: BTreeSet::new(),
            dump: None,
            written: BTreeMap::new(),
            made: 0,
            seen: BTreeMap::new(),
        };
        for p in 0..PARTNERS {
            let (laptop, owner) = if p < 2 { (0, 0) } else { (2, 1) };
            let name = case.partner_name(p);
            case.devices[laptop].laptop.ok(&[
                "partner",
                "add",
                &name,
                "--type",
                "var_vad",
                "--track",
                "open",
                "--region",
                "emea",
                "--owner",
                &case.emails[owner].clone(),
            ]);
        }
        for d in [0, 2] {
            assert!(case.devices[d].sync().is_some(), "the first syncs");
        }
        case.partner_ids = (0..PARTNERS)
            .map(|p| {
                let laptop = if p < 2 { 0 } else { 2 };
                let name = case.partner_name(p);
                case.devices[laptop]
                    .laptop
                    .store()
                    .read()
                    .resolve_partner(&name)
                    .unwrap()
                    .id
            })
            .collect();
        case.toggle_rep(0);
        for d in &case.devices {
            assert!(d.sync().is_some(), "the first syncs");
        }
        case
    }

    fn partner_name(&self, p: usize) -> String {
        format!("{}-{}", ["Acme", "Globex", "Initech"][p], self.case)
    }

    fn toggle_rep(&mut self, p: usize) {
        let on = !self.assigned.contains(&p);
        self.server
            .assign(&self.emails[3], &self.partner_ids[p], on);
        if on {
            self.assigned.insert(p);
        } else {
            self.assigned.remove(&p);
        }
    }

    /// The partner's name if laptop `d` shows it (a person works on what they see).
    fn visible(&self, d: usize, p: usize) -> Option<String> {
        let name = self.partner_name(p);
        self.devices[d]
            .partner_names()
            .contains(&name)
            .then_some(name)
    }

    fn pending(&self, d: usize) -> i64 {
        self.devices[d].laptop.pending()
    }

    fn run(&mut self, s: &Step) {
        match s.clone() {
            Step::Note(d, p) => {
                let Some(name) = self.visible(d, p) else {
                    return;
                };
                self.made += 1;
                let title = format!("N{}-{} by {d}", self.case, self.made);
                self.devices[d].laptop.ok(&[
                    "note",
                    "add",
                    "--partner",
                    &name,
                    "--title",
                    &title,
                    "--body",
                    "model",
                ]);
                self.written.insert(title, d);
            }
            Step::PartnerNotes(d, p, v) => {
                let Some(name) = self.visible(d, p) else {
                    return;
                };
                self.devices[d].laptop.ok(&[
                    "partner",
                    "edit",
                    &name,
                    "--notes",
                    &format!("v{v} by {d}"),
                ]);
            }
            Step::Plan(d, p, v) => {
                let Some(name) = self.visible(d, p) else {
                    return;
                };
                let growth = (u32::from(v) * 1000).to_string();
                let mut args = vec!["plan", "set", "--partner", &name, "--year", "FY27"];
                let goals = format!("g{v} by {d}");
                if v % 2 == 0 {
                    args.extend(["--goals", goals.as_str()]);
                } else {
                    args.extend(["--growth-arr", growth.as_str()]);
                }
                self.devices[d].laptop.ok(&args);
            }
            Step::Delete(d, n) => {
                let notes = self.devices[d].notes();
                if notes.is_empty() {
                    return;
                }
                let note = &notes[n % notes.len()];
                self.written.remove(&note.title);
                let mut store = self.devices[d].laptop.store();
                store.write(|w| w.delete::<CallNote>(&note.id)).unwrap();
            }
            Step::HandOver(p) => {
                let Some(name) = self.visible(MANAGER, p) else {
                    return;
                };
                let partner = self.devices[MANAGER]
                    .laptop
                    .store()
                    .read()
                    .resolve_partner(&name)
                    .unwrap();
                let to = if partner.owner == self.emails[0] {
                    self.emails[1].clone()
                } else {
                    self.emails[0].clone()
                };
                self.devices[MANAGER]
                    .laptop
                    .ok(&["partner", "edit", &name, "--owner", &to]);
            }
            Step::SelfHandOver(d, p) => {
                let Some(name) = self.visible(d, p) else {
                    return;
                };
                let to = if self.devices[d].email == self.emails[0] {
                    self.emails[1].clone()
                } else {
                    self.emails[0].clone()
                };
                self.devices[d]
                    .laptop
                    .ok(&["partner", "edit", &name, "--owner", &to]);
            }
            Step::ToggleRep(p) => self.toggle_rep(p),
            Step::Sync(d) => {
                assert!(
                    self.devices[d].sync().is_some(),
                    "a sync on a quiet network succeeds"
                );
            }
            Step::CutSync(d, mode) => {
                self.devices[d].proxy.set_mode(mode);
                let before = self.pending(d);
                let ok = self.devices[d].sync().is_some();
                self.devices[d].proxy.set_mode(Mode::Pass);
                let after = self.pending(d);
                assert!(after <= before, "a sync never grows the outbox");
                if ok {
                    assert_eq!(after, 0, "a sync that succeeded pushed everything");
                } else {
                    *self.seen.entry("sync cut").or_default() += 1;
                }
            }
            Step::KilledSync(d, ms) => {
                let mut child = self.devices[d].laptop.spawn(&["sync"]);
                // The moment of the kill is the random input here, not a wait for anything.
                std::thread::sleep(Duration::from_millis(ms));
                if child.try_wait().unwrap().is_none() {
                    *self.seen.entry("sync killed").or_default() += 1;
                }
                let _ = child.kill();
                child.wait().unwrap();
            }
            Step::Backup(d) => {
                let backup = tempfile::tempdir().unwrap();
                copy_files(self.devices[d].laptop.dir(), backup.path());
                self.devices[d].backup = Some(backup);
            }
            Step::Restore(n) => {
                let backed_up: Vec<&Device> =
                    self.devices.iter().filter(|d| d.backup.is_some()).collect();
                if backed_up.is_empty() {
                    return;
                }
                let d = backed_up[n % backed_up.len()];
                copy_files(d.backup.as_ref().unwrap().path(), d.laptop.dir());
                *self.seen.entry("profile restored").or_default() += 1;
                self.forget_lost();
            }
            Step::Dump => self.dump = Some((self.server.dump(), self.assigned.clone())),
            Step::ServerRestore => {
                let Some((dump, assigned)) = self.dump.clone() else {
                    return;
                };
                *self.seen.entry("server restored").or_default() += 1;
                self.server.restore(&dump);
                self.assigned = assigned;
                // The sessions begun since the dump are unknown to the restored server: each
                // person signs in again, as they would when the app asks.
                for d in &self.devices {
                    d.laptop.login(&d.proxy.url(), &d.email);
                }
                self.forget_lost();
            }
        }
    }

    /// Notes that no copy holds any more (written after a backup that was copied back, or after
    /// a dump the server was restored from, and never anywhere else) are gone: the model stops
    /// expecting them.
    fn forget_lost(&mut self) {
        let mut held = self.server_titles();
        for d in &self.devices {
            held.extend(d.notes().into_iter().map(|n| n.title));
            held.extend(d.refused_titles());
        }
        self.written.retain(|t, _| held.contains(t));
    }

    fn server_titles(&self) -> BTreeSet<String> {
        self.server
            .strings(
                "SELECT fields->>'title' FROM records
                 WHERE kind = 'call_note' AND fields->>'title' IS NOT NULL",
            )
            .into_iter()
            .collect()
    }

    /// On a quiet network every laptop syncs until a whole round moves nothing.
    fn come_to_rest(&mut self) {
        for round in 0.. {
            assert!(round < 4, "the laptops still move changes after 4 rounds");
            let mut moved = false;
            for (i, d) in self.devices.iter().enumerate() {
                let report = d
                    .sync()
                    .unwrap_or_else(|| panic!("laptop {i}: a sync on a quiet network failed"));
                moved |= report["pushed"] != 0 || report["pulled"] != 0;
            }
            if !moved {
                return;
            }
        }
    }

    fn check(&mut self) {
        self.come_to_rest();
        let keyring = self.keyring;
        let mut fresh: BTreeMap<String, Value> = BTreeMap::new();
        for (i, d) in self.devices.iter().enumerate() {
            let status = d.laptop.json(&["status"]);
            assert_eq!(status["pending"], 0, "laptop {i}: {status}");
            assert_eq!(status["unapplied"], 0, "laptop {i}: {status}");
            assert_eq!(status["last_error"], Value::Null, "laptop {i}: {status}");
            let expected = fresh.entry(d.email.clone()).or_insert_with(|| {
                let f = Laptop::new(keyring, &d.email);
                f.login(&self.server.url(), &d.email);
                f.sync();
                snapshot(&f)
            });
            let held = d.snapshot();
            assert!(
                &held == expected,
                "laptop {i} differs from what the server lets {} see:\n{}",
                d.email,
                differences(&held, expected)
            );
        }
        let twice = self.server.scalar(
            "SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE mutation_id IS NOT NULL
             GROUP BY device_id, mutation_id, kind, entity_id, action HAVING count(*) > 1) t",
        );
        assert_eq!(twice, 0, "the audit trail applied a mutation twice");
        let refused: usize = self
            .devices
            .iter()
            .map(|d| d.laptop.store().read().rejected_changes().unwrap().len())
            .sum();
        self.seen.insert("changes refused", refused);
        let on_server = self.server_titles();
        for (title, &d) in &self.written {
            assert!(
                on_server.contains(title) || self.devices[d].refused_titles().contains(title),
                "the note {title:?} of laptop {d} is neither on the server nor listed as refused"
            );
        }
    }
}

/// The records two snapshots do not share, by kind: what only the laptop holds, what only the
/// server sends, and the fields of a record that differ.
fn differences(laptop: &Value, server: &Value) -> String {
    let mut out = String::new();
    for (kind, records) in laptop.as_object().unwrap() {
        let by_id = |v: &Value| -> BTreeMap<String, Value> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|r| (r["id"].as_str().unwrap().to_string(), r.clone()))
                .collect()
        };
        let (here, there) = (by_id(records), by_id(&server[kind]));
        for (id, r) in &here {
            match there.get(id) {
                None => out += &format!("{kind} {id} only on the laptop: {r}\n"),
                Some(t) if t != r => {
                    for (field, v) in r.as_object().unwrap() {
                        if t.get(field) != Some(v) {
                            out += &format!(
                                "{kind} {id}.{field}: laptop {v}, server {}\n",
                                t.get(field).unwrap_or(&Value::Null)
                            );
                        }
                    }
                }
                Some(_) => {}
            }
        }
        for (id, t) in &there {
            if !here.contains_key(id) {
                out += &format!("{kind} {id} only from the server: {t}\n");
            }
        }
    }
    out
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} is not a number: {v}"))
    })
}

fn steps_for(seed: u64) -> Vec<Step> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    prop::collection::vec(step(), 25..45)
        .new_tree(&mut runner)
        .unwrap()
        .current()
}

#[test]
fn laptops_of_four_people_in_three_roles_converge_through_every_mishap() {
    let mut server = Server::start();
    let keyring = SecretService::start();
    let seeds: Vec<u64> = match env_number("CDESK_MODEL_SEED") {
        Some(seed) => vec![seed],
        None => {
            let cases = env_number("CDESK_MODEL_CASES").unwrap_or(2);
            let start: u64 = rand_seed();
            (0..cases).map(|i| start.wrapping_add(i)).collect()
        }
    };
    for (case, seed) in seeds.into_iter().enumerate() {
        let steps = steps_for(seed);
        eprintln!("model case {case}: seed {seed}, {} steps", steps.len());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut c = Case::new(&mut server, &keyring, case);
            for s in &steps {
                c.run(s);
            }
            c.check();
            eprintln!("model case {case}: {:?}", c.seen);
        }));
        if let Err(e) = outcome {
            eprintln!(
                "model case {case} failed; replay it with CDESK_MODEL_SEED={seed}\nsteps: {steps:#?}"
            );
            std::panic::resume_unwind(e);
        }
    }
}

/// A seed that differs from run to run.
fn rand_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

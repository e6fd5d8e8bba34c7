//! Property: three devices making random edits, syncing in random order over a network that
//! randomly drops or cuts connections, all end equal to the server, and the server applied
//! every mutation once.

use std::sync::OnceLock;

use super::*;
use cdesk_core::domain::{CallNote, Partner, Region, Track};
use cdesk_core::store::{NoteFilter, PartnerFilter, Store};
use cdesk_core::sync::{sync_once, SyncOptions};
use cdesk_testkit::proxy::{FaultProxy, Mode};
use proptest::prelude::*;

const CLIENTS: usize = 3;
/// Small batches and pages, so a sync is many requests and a fault can land between them; pulled
/// pages are applied two at a time, so a fault can also land between pages that wait together.
const OPTIONS: SyncOptions = SyncOptions {
    push_batch: 4,
    pull_page: 5,
    apply_batch: 10,
};

#[derive(Debug, Clone)]
enum Step {
    CreatePartner(usize),
    CreateNote(usize, usize),
    EditAccountNotes(usize, usize, u8),
    DeleteNote(usize, usize),
    Sync(usize),
    /// A sync through a network that fails from the n-th connection on.
    FaultySync(usize, Mode),
}

fn step() -> impl Strategy<Value = Step> {
    let c = 0..CLIENTS;
    prop_oneof![
        1 => c.clone().prop_map(Step::CreatePartner),
        3 => (c.clone(), 0..8usize).prop_map(|(c, p)| Step::CreateNote(c, p)),
        3 => (c.clone(), 0..8usize, any::<u8>()).prop_map(|(c, p, v)| Step::EditAccountNotes(c, p, v)),
        1 => (c.clone(), 0..16usize).prop_map(|(c, n)| Step::DeleteNote(c, n)),
        3 => c.clone().prop_map(Step::Sync),
        2 => (c, prop_oneof![
            Just(Mode::Drop),
            (0..3000usize).prop_map(Mode::Truncate),
        ]).prop_map(|(c, m)| Step::FaultySync(c, m)),
    ]
}

struct Device {
    store: Store,
    secrets: SharedSecrets,
    email: String,
    proxy: FaultProxy,
    made: i64,
}

impl Device {
    fn new(server: &Server, email: &str, name: &str) -> Device {
        let proxy = FaultProxy::start(server.addr()).unwrap();
        let secrets = SharedSecrets::default();
        sign_in(&proxy.url(), email, name, &secrets);
        Device {
            store: Store::open_in_memory().unwrap(),
            secrets,
            email: email.to_string(),
            proxy,
            made: 0,
        }
    }

    fn pending(&self) -> i64 {
        self.store.read().sync_status().unwrap().pending
    }

    /// Runs a local edit, counting the mutations it queued.
    fn edit(&mut self, f: impl FnOnce(&mut Store)) {
        let before = self.pending();
        f(&mut self.store);
        self.made += self.pending() - before;
    }

    /// One sync in a new session (new connections, so a fault set on the proxy applies; and a
    /// token refresh through it).
    fn sync(&mut self) -> bool {
        let mut session = resume(&self.proxy.url(), &self.email, &self.secrets);
        sync_once(&mut self.store, &mut session, OPTIONS).is_ok()
    }

    fn partners(&self) -> Vec<Partner> {
        self.store
            .read()
            .partners(&PartnerFilter::default())
            .unwrap()
    }

    fn notes(&self) -> Vec<CallNote> {
        self.store
            .read()
            .notes(&NoteFilter {
                limit: 100_000,
                ..Default::default()
            })
            .unwrap()
    }

    fn snapshot(&self) -> Value {
        let mut v = serde_json::json!({"partners": self.partners(), "notes": self.notes()});
        strip(&mut v, "updated_at");
        for key in ["partners", "notes"] {
            sort_by_id(&mut v[key]);
        }
        v
    }
}

fn run(server: &Server, case: usize, steps: &[Step]) -> Result<(), TestCaseError> {
    let email = format!("cam{case}@vendor.example");
    server.add_user(&email, Role::Cam, None);
    let mut devices: Vec<Device> = (0..CLIENTS)
        .map(|i| Device::new(server, &email, &format!("device {i}")))
        .collect();
    let mut faults_bit = 0;
    for s in steps {
        match s.clone() {
            Step::CreatePartner(c) => {
                let n = devices[c].partners().len();
                let p = Partner::new(&format!("P{c}-{n}"), Track::Open, Region::Emea, &email);
                devices[c].edit(|st| {
                    st.write(|w| w.put(&p).map(|_| ())).unwrap();
                });
            }
            Step::CreateNote(c, p) => {
                let partners = devices[c].partners();
                if partners.is_empty() {
                    continue;
                }
                let n = devices[c].notes().len();
                let mut note = CallNote::new(&format!("N{c}-{n}"), "body", &email);
                note.partner_id = Some(partners[p % partners.len()].id.clone());
                devices[c].edit(|st| {
                    st.write(|w| w.put(&note).map(|_| ())).unwrap();
                });
            }
            Step::EditAccountNotes(c, p, v) => {
                let partners = devices[c].partners();
                if partners.is_empty() {
                    continue;
                }
                let mut partner = partners[p % partners.len()].clone();
                partner.account_notes = format!("v{v} by {c}");
                devices[c].edit(|st| {
                    st.write(|w| w.put(&partner).map(|_| ())).unwrap();
                });
            }
            Step::DeleteNote(c, n) => {
                let notes = devices[c].notes();
                if notes.is_empty() {
                    continue;
                }
                let id = notes[n % notes.len()].id.clone();
                devices[c].edit(|st| {
                    st.write(|w| w.delete::<CallNote>(&id)).unwrap();
                });
            }
            Step::Sync(c) => {
                prop_assert!(devices[c].sync(), "a sync on a quiet network succeeds");
            }
            Step::FaultySync(c, mode) => {
                devices[c].proxy.set_mode(mode);
                let before = devices[c].pending();
                let ok = devices[c].sync();
                let after = devices[c].pending();
                prop_assert!(after <= before, "the outbox never grows from a sync");
                if ok {
                    prop_assert_eq!(after, 0, "a successful sync pushed everything");
                } else {
                    faults_bit += 1;
                }
                devices[c].proxy.set_mode(Mode::Pass);
            }
        }
    }
    eprintln!(
        "case {case}: {} steps, {faults_bit} syncs failed on faults",
        steps.len()
    );
    // Quiet network: everyone syncs twice.
    for _ in 0..2 {
        for d in devices.iter_mut() {
            prop_assert!(d.sync(), "sync on a quiet network");
        }
    }
    let mut fresh = Device::new(server, &email, "fresh");
    prop_assert!(fresh.sync());
    let expected = fresh.snapshot();
    for (i, d) in devices.iter().enumerate() {
        prop_assert_eq!(d.pending(), 0);
        prop_assert_eq!(&d.snapshot(), &expected, "device {} equals the server", i);
    }
    prop_assert_eq!(
        server.scalar("SELECT count(*) FROM rejected_mutations"),
        0,
        "nothing rejected"
    );
    for d in devices.iter_mut() {
        let id = d.store.device_id().unwrap();
        let last = server.scalar(&format!(
            "SELECT COALESCE(max(last_mutation_id), 0) FROM devices WHERE device_id = '{id}'"
        ));
        prop_assert_eq!(
            last,
            d.made,
            "the server applied each of the device's mutations once, in order"
        );
    }
    Ok(())
}

fn shared_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(Server::start)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 6,
        max_shrink_iters: 20,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn three_devices_converge_on_a_flaky_network(steps in prop::collection::vec(step(), 10..40)) {
        static CASE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let case = CASE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        run(shared_server(), case, &steps)?;
    }
}
